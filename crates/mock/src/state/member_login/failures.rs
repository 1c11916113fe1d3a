//! The business failures of unified member login, named by what went wrong.

use crate::state::failure::Failure;
pub(crate) use crate::state::failure::BAD_VALUE;
pub(crate) use crate::state::org::failures::{MEMBER_NOT_EXIST, ORG_NOT_EXIST};
pub(crate) use crate::state::policies::failures::{
    MEMBER_POLICY_NOT_EXIST, SUB_ACCOUNT_NOT_BOUND, SUB_ACCOUNT_NOT_EXIST,
};

/// A parameter that is malformed or missing where the action needs it (not its range).
pub(crate) const INVALID: Failure = Failure {
    name: "Invalid",
    codes: &[],
    fallback: "InvalidParameter",
    message: "A parameter is malformed or missing.",
};

/// No identity with this ID in the caller's organization.
pub(crate) const IDENTITY_NOT_EXIST: Failure = Failure {
    name: "IdentityNotExist",
    codes: &["ResourceNotFound.OrganizationIdentityNotExist"],
    fallback: "ResourceNotFound",
    message: "The organization has no login identity with this ID.",
};

/// Another identity of the organization has this name.
pub(crate) const IDENTITY_NAME_USED: Failure = Failure {
    name: "IdentityNameUsed",
    codes: &["FailedOperation.OrganizationIdentityNameUsed"],
    fallback: "FailedOperation",
    message: "Another login identity of the organization has this name.",
};

/// The organization has as many custom identities as it may have.
pub(crate) const IDENTITY_LIMIT: Failure = Failure {
    name: "IdentityLimit",
    codes: &["LimitExceeded.IdentityExceedLimit"],
    fallback: "LimitExceeded",
    message: "The organization has as many login identities as it may have.",
};

/// The identity is still granted to members.
pub(crate) const IDENTITY_IN_USE: Failure = Failure {
    name: "IdentityInUse",
    codes: &["FailedOperation.OrganizationIdentityInUsed"],
    fallback: "FailedOperation",
    message: "The login identity is still granted to members.",
};

/// The preset identity is the service's own: it cannot be changed or deleted.
pub(crate) const PRESET_IDENTITY: Failure = Failure {
    name: "PresetIdentity",
    codes: &[],
    fallback: "UnsupportedOperation",
    message: "The preset login identity cannot be changed or deleted.",
};

/// A preset CAM policy that does not exist (or whose name does not match its ID).
pub(crate) const CAM_POLICY_NOT_EXIST: Failure = Failure {
    name: "CamPolicyNotExist",
    codes: &["ResourceNotFound.PolicyNotExist"],
    fallback: "ResourceNotFound",
    message: "No preset policy has this ID and name.",
};

/// A custom policy document that is not valid policy syntax.
pub(crate) const POLICY_DOCUMENT: Failure = Failure {
    name: "PolicyDocument",
    codes: &["FailedOperation.OrganizationIdentityPolicyError"],
    fallback: "InvalidParameter",
    message: "The custom policy document is not valid policy syntax:",
};

/// The identity is not granted to the member.
pub(crate) const GRANT_NOT_EXIST: Failure = Failure {
    name: "GrantNotExist",
    codes: &["ResourceNotFound.MemberIdentityNotExist"],
    fallback: "ResourceNotFound",
    message: "The login identity is not granted to the member.",
};

/// The grant is in use: a member access policy lets sub-accounts log in to the member with it.
pub(crate) const GRANT_IN_USE: Failure = Failure {
    name: "GrantInUse",
    codes: &["FailedOperation.MemberIdentityAuthUsed"],
    fallback: "FailedOperation",
    message: "Sub-accounts are still bound to log in to the member with this identity.",
};

/// The sub-account already logs in to the member, through another of its access policies.
pub(crate) const SUB_ACCOUNT_HAS_IDENTITY: Failure = Failure {
    name: "SubAccountHasIdentity",
    codes: &["FailedOperation.SubAccountIdentityExist"],
    fallback: "FailedOperation",
    message: "The sub-account already logs in to the member with an identity.",
};

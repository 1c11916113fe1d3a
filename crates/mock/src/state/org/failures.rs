//! The business failures of organizations, units, members and invitations, named by what went
//! wrong rather than by code.
//!
//! The two API versions (and different actions of one version) spell the same failure with
//! different codes: a duplicate sibling name is `ResourceInUse.NodeName` for the 2018
//! AddOrganizationNode, `ResourceInUse.NodeNameUsed` for the 2018 UpdateOrganizationNode and
//! `FailedOperation.OrganizationNodeNameUsed` in 2021. Each [`Failure`] lists the codes that mean
//! it, most specific first.

use crate::state::failure::Failure;
pub(crate) use crate::state::failure::BAD_VALUE;

/// The caller already owns or belongs to an organization.
pub(crate) const ORG_EXISTS: Failure = Failure {
    name: "OrgExists",
    codes: &["FailedOperation.OrganizationExistAlready"],
    fallback: "FailedOperation",
    message: "The caller already has or belongs to an organization.",
};

/// The caller is a member the organization created: it may not create one.
pub(crate) const CREATED_MEMBER_CANNOT_CREATE_ORG: Failure = Failure {
    name: "CreatedMemberCannotCreateOrg",
    codes: &[
        "UnsupportedOperation.CreateMemberNotAllowCreateOrganization",
        "FailedOperation.OrganizationExistAlready",
    ],
    fallback: "UnsupportedOperation",
    message: "An account created by an organization cannot create an organization.",
};

/// The caller has no organization (or does not manage the one the action needs).
pub(crate) const ORG_NOT_EXIST: Failure = Failure {
    name: "OrgNotExist",
    codes: &["ResourceNotFound.OrganizationNotExist"],
    fallback: "ResourceNotFound",
    message: "The caller has no organization that allows this operation.",
};

/// A UIN that names no account.
pub(crate) const USER_NOT_EXIST: Failure = Failure {
    name: "UserNotExist",
    codes: &["ResourceNotFound.UserNotExist"],
    fallback: "ResourceNotFound",
    message: "No account has this UIN.",
};

/// A node that is not in the caller's organization.
pub(crate) const NODE_NOT_EXIST: Failure = Failure {
    name: "NodeNotExist",
    codes: &[
        "ResourceNotFound.NodeNotExist",
        "ResourceNotFound.OrganizationNodeNotExist",
        "FailedOperation.OrganizationNodeNotExist",
        "InvalidParameter.OrganizationNodeNotExist",
    ],
    fallback: "ResourceNotFound",
    message: "The organization has no unit with this ID.",
};

/// Another node under the same parent has this name.
pub(crate) const NODE_NAME_USED: Failure = Failure {
    name: "NodeNameUsed",
    codes: &[
        "ResourceInUse.NodeName",
        "ResourceInUse.NodeNameUsed",
        "FailedOperation.OrganizationNodeNameUsed",
    ],
    fallback: "ResourceInUse",
    message: "A sibling unit already has this name.",
};

/// The node would sit deeper than the depth limit.
pub(crate) const NODE_DEPTH: Failure = Failure {
    name: "NodeDepth",
    codes: &["LimitExceeded.NodeDepthExceedLimit"],
    fallback: "LimitExceeded",
    message: "The unit would be nested deeper than the organization allows.",
};

/// The organization would have more nodes than the limit.
pub(crate) const NODE_COUNT: Failure = Failure {
    name: "NodeCount",
    codes: &["LimitExceeded.NodeExceedLimit"],
    fallback: "LimitExceeded",
    message: "The organization has as many units as it may have.",
};

/// The node still has members.
pub(crate) const NODE_HAS_MEMBERS: Failure = Failure {
    name: "NodeHasMembers",
    codes: &["FailedOperation.NodeNotEmpty"],
    fallback: "FailedOperation",
    message: "The unit still has members.",
};

/// The node still has child nodes.
pub(crate) const NODE_HAS_CHILDREN: Failure = Failure {
    name: "NodeHasChildren",
    codes: &[
        "FailedOperation.OrganizationNodeNotEmpty",
        "FailedOperation.NodeNotEmpty",
    ],
    fallback: "FailedOperation",
    message: "The unit still has child units.",
};

/// The root node cannot be deleted or moved.
pub(crate) const ROOT_NODE: Failure = Failure {
    name: "RootNode",
    codes: &[],
    fallback: "FailedOperation",
    message: "The root unit cannot be deleted or moved.",
};

/// The member is not in the caller's organization (or not in the given node).
pub(crate) const MEMBER_NOT_EXIST: Failure = Failure {
    name: "MemberNotExist",
    codes: &[
        "ResourceNotFound.MemberNotExist",
        "ResourceNotFound.OrganizationMemberNotExist",
        "FailedOperation.OrganizationMemberNotExist",
        "InvalidParameter.OrganizationMemberNotExist",
    ],
    fallback: "ResourceNotFound",
    message: "The organization has no member with this UIN.",
};

/// Some of the UINs of a batch are not members.
pub(crate) const SOME_UINS_NOT_IN_ORG: Failure = Failure {
    name: "SomeUinsNotInOrg",
    codes: &["FailedOperation.SomeUinsNotInOrganization"],
    fallback: "FailedOperation",
    message: "Some UINs are not members of the organization.",
};

/// Another member (or pending invitation) of the organization has this name.
pub(crate) const MEMBER_NAME_USED: Failure = Failure {
    name: "MemberNameUsed",
    codes: &[
        "FailedOperation.MemberNameUsed",
        "FailedOperation.OrganizationMemberNameUsed",
    ],
    fallback: "FailedOperation",
    message: "Another member or pending invitation uses this name.",
};

/// The organization would have more members (pending invitations included) than the limit.
pub(crate) const MEMBER_LIMIT: Failure = Failure {
    name: "MemberLimit",
    codes: &[
        "LimitExceeded.Members",
        "LimitExceeded.OrganizationMemberOverLimit",
    ],
    fallback: "LimitExceeded",
    message: "The organization has as many members as it may have.",
};

/// Removing a member from the root node (members always belong to some node).
pub(crate) const DELETE_FROM_ROOT: Failure = Failure {
    name: "DeleteFromRoot",
    codes: &["FailedOperation.DisableDeleteMemberFromRootNode"],
    fallback: "FailedOperation",
    message: "Members cannot be removed from the root unit.",
};

/// The organization still has members.
pub(crate) const ORG_NOT_EMPTY: Failure = Failure {
    name: "OrgNotEmpty",
    codes: &["FailedOperation.OrganizationNotEmpty"],
    fallback: "FailedOperation",
    message: "The organization still has members.",
};

/// The organization's manager cannot quit or be removed from it.
pub(crate) const QUIT_OWN_ORG: Failure = Failure {
    name: "QuitOwnOrg",
    codes: &["FailedOperation.DisableQuitSelfCreatedOrganization"],
    fallback: "FailedOperation",
    message: "The manager of an organization cannot leave it.",
};

/// The member was created by the organization and cannot quit.
pub(crate) const CREATED_MEMBER_CANNOT_QUIT: Failure = Failure {
    name: "CreatedMemberCannotQuit",
    codes: &["UnsupportedOperation.CreateMemberNotAllowQuit"],
    fallback: "UnsupportedOperation",
    message: "A member created by the organization cannot quit it.",
};

/// The member was created by the organization and has no bound email yet.
pub(crate) const CREATED_MEMBER_CANNOT_BE_REMOVED: Failure = Failure {
    name: "CreatedMemberCannotBeRemoved",
    codes: &["UnsupportedOperation.CreateMemberNotAllowDelete"],
    fallback: "UnsupportedOperation",
    message:
        "A member created by the organization can be removed only after an email is bound to it.",
};

/// The member's IsAllowQuit is `Denied`.
pub(crate) const QUIT_NOT_ALLOWED: Failure = Failure {
    name: "QuitNotAllowed",
    codes: &["UnsupportedOperation.MemberNotAllowQuit"],
    fallback: "UnsupportedOperation",
    message: "The member is not allowed to quit the organization.",
};

/// No pending invitation with this ID for this caller.
pub(crate) const INVITATION_NOT_EXIST: Failure = Failure {
    name: "InvitationNotExist",
    codes: &["ResourceNotFound.InvitationNotExist"],
    fallback: "ResourceNotFound",
    message: "No pending invitation with this ID for the caller.",
};

/// The invitee already belongs to an organization.
pub(crate) const IN_ORG_ALREADY: Failure = Failure {
    name: "InOrgAlready",
    codes: &["FailedOperation.InOrganizationAlready"],
    fallback: "FailedOperation",
    message: "The caller already belongs to an organization.",
};

/// The invitee is already a member of this organization (or is its manager).
pub(crate) const INVITEE_IN_THIS_ORG: Failure = Failure {
    name: "InviteeInThisOrg",
    codes: &[
        "FailedOperation.OrganizationMemberExist",
        "FailedOperation.UserInOrganization",
    ],
    fallback: "FailedOperation",
    message: "The account already belongs to this organization.",
};

/// The invitee belongs to another organization.
pub(crate) const INVITEE_IN_OTHER_ORG: Failure = Failure {
    name: "InviteeInOtherOrg",
    codes: &[
        "FailedOperation.MemberExistInOtherOrganization",
        "FailedOperation.UserInOrganization",
    ],
    fallback: "FailedOperation",
    message: "The account belongs to another organization.",
};

/// A pending invitation to this UIN already exists.
pub(crate) const INVITATION_PENDING: Failure = Failure {
    name: "InvitationPending",
    codes: &[
        "FailedOperation.InvitationExist",
        "FailedOperation.ReSentInvitation",
    ],
    fallback: "FailedOperation",
    message: "A pending invitation to this account already exists.",
};

/// PolicyType is not a known policy.
pub(crate) const POLICY_ILLEGAL: Failure = Failure {
    name: "PolicyIllegal",
    codes: &["FailedOperation.OrganizationPolicyIllegal"],
    fallback: "FailedOperation",
    message: "Unknown relationship policy; the valid value is Financial.",
};

/// PermissionIds holds an unknown ID or lacks a mandatory one.
pub(crate) const PERMISSION_ILLEGAL: Failure = Failure {
    name: "PermissionIllegal",
    codes: &["FailedOperation.OrganizationPermissionIllegal"],
    fallback: "FailedOperation",
    message: "Permission IDs must be between 1 and 10 and include 1 and 2.",
};

/// PayUin is neither empty, the manager nor a member, or is missing for pay-on-behalf.
pub(crate) const PAY_UIN_ILLEGAL: Failure = Failure {
    name: "PayUinIllegal",
    codes: &["FailedOperation.PayUinIllegal"],
    fallback: "FailedOperation",
    message: "The payer must be the organization's manager or one of its members.",
};

/// More tags than allowed.
pub(crate) const TAG_ERROR: Failure = Failure {
    name: "TagError",
    codes: &["InvalidParameter.TagError"],
    fallback: "InvalidParameterValue",
    message: "At most 10 tags are allowed.",
};

/// The member already has a bound email.
pub(crate) const MEMBER_EMAIL_EXIST: Failure = Failure {
    name: "MemberEmailExist",
    codes: &["FailedOperation.MemberEmailExist"],
    fallback: "FailedOperation",
    message: "The member already has a bound email.",
};

/// Another member has bound this email.
pub(crate) const EMAIL_USED: Failure = Failure {
    name: "EmailUsed",
    codes: &["FailedOperation.EmailAlreadyUsed"],
    fallback: "FailedOperation",
    message: "Another member has bound this email.",
};

/// No email binding record with this ID for the member.
pub(crate) const EMAIL_BIND_NOT_EXIST: Failure = Failure {
    name: "EmailBindNotExist",
    codes: &["ResourceNotFound.EmailBindRecordNotExist"],
    fallback: "ResourceNotFound",
    message: "The member has no email binding with this ID.",
};

/// The member was invited, so its email is its own business.
pub(crate) const NOT_CREATED_MEMBER: Failure = Failure {
    name: "NotCreatedMember",
    codes: &[],
    fallback: "UnsupportedOperation",
    message: "Only members created by the organization take this operation.",
};

/// The binding's activation email was sent again as often as allowed.
pub(crate) const RESEND_LIMIT: Failure = Failure {
    name: "ResendLimit",
    codes: &["LimitExceeded.SendEmailLimit"],
    fallback: "LimitExceeded",
    message: "The activation email was sent again as often as allowed.",
};

/// The binding's activation email was sent again as often as allowed within the hour.
pub(crate) const RESEND_HOURLY_LIMIT: Failure = Failure {
    name: "ResendHourlyLimit",
    codes: &["LimitExceeded.SendEmailWithinOneHourLimit"],
    fallback: "LimitExceeded",
    message: "The activation email was sent again as often as allowed within an hour.",
};

/// What deleting the organization may answer, in either version: what hangs on it in other
/// areas refuses it (see `cascade`).
pub(crate) const DELETE_ORG_RAISES: &[Failure] = &[
    ORG_NOT_EXIST,
    ORG_NOT_EMPTY,
    crate::state::policies::failures::TYPE_ENABLED,
    crate::state::policies::failures::MEMBER_POLICIES_EXIST,
    crate::state::sharing::failures::MANAGER_SHARES,
];

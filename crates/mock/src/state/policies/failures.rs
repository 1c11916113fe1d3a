//! The business failures of organization management policies and member access policies,
//! named by what went wrong. Each lists the codes that mean it, most specific first; an action
//! answers with the first one its contract documents, else the common code of the family.

use crate::state::failure::Failure;
pub(crate) use crate::state::org::failures::{MEMBER_NOT_EXIST, NODE_NOT_EXIST};

/// The caller neither manages nor belongs to an organization (or names one it does not manage,
/// for the member access actions, which have no code for "not the manager").
pub(crate) const NO_ORG: Failure = Failure {
    name: "NoOrg",
    codes: &[
        "ResourceNotFound.OrganizationNotExist",
        "InvalidParameter.OrganizationNotExist",
    ],
    fallback: "ResourceNotFound",
    message: "The caller has no organization that allows this operation.",
};

/// The caller belongs to the organization but does not manage it.
pub(crate) const NOT_MANAGER: Failure = Failure {
    name: "NotManager",
    codes: &[
        "InvalidParameter.OrganizationMemberNotManager",
        "UnauthorizedOperation",
    ],
    fallback: "UnauthorizedOperation",
    message: "Only the organization's manager may do this.",
};

/// A parameter outside its documented values (policy type, target type, scope, paging,
/// names and lists of the member access actions).
pub(crate) const BAD_PARAMETER: Failure = Failure {
    name: "BadParameter",
    codes: &["InvalidParameter.ParamError"],
    fallback: "InvalidParameter",
    message: "A parameter is outside its documented values.",
};

/// A `PaginationToken` this mock did not hand out (it hands out none: every answer fits one
/// page).
pub(crate) const BAD_PAGINATION_TOKEN: Failure = Failure {
    name: "BadPaginationToken",
    codes: &[],
    fallback: "InvalidParameterValue",
    message: "The PaginationToken is not one this service handed out.",
};

/// The policy type is not enabled for the organization.
pub(crate) const TYPE_NOT_ENABLED: Failure = Failure {
    name: "TypeNotEnabled",
    codes: &["FailedOperation.OrganizationPolicyIsNotEnabled"],
    fallback: "FailedOperation",
    message: "The policy type is not enabled for the organization.",
};

/// The policy type is enabled (enabling it again, or deleting the organization).
pub(crate) const TYPE_ENABLED: Failure = Failure {
    name: "TypeEnabled",
    codes: &["FailedOperation.OrganizationPolicyIsNotDisabled"],
    fallback: "FailedOperation",
    message: "The policy type is enabled for the organization; disable it first.",
};

/// No policy of the type with this ID in the organization.
pub(crate) const POLICY_NOT_EXIST: Failure = Failure {
    name: "PolicyNotExist",
    codes: &[
        "ResourceNotFound.PolicyNotExist",
        "ResourceNotFound.PolicyIdNotFound",
        "InvalidParameter.PolicyIdNotExist",
    ],
    fallback: "ResourceNotFound",
    message: "The organization has no policy of this type with this ID.",
};

/// A built-in policy cannot be changed or deleted.
pub(crate) const BUILT_IN_POLICY: Failure = Failure {
    name: "BuiltInPolicy",
    codes: &[],
    fallback: "UnsupportedOperation",
    message: "A built-in policy cannot be changed or deleted.",
};

/// The policy name is empty, too long or has characters names may not have.
pub(crate) const POLICY_NAME_INVALID: Failure = Failure {
    name: "PolicyNameInvalid",
    codes: &["InvalidParameter.PolicyNameError"],
    fallback: "InvalidParameter",
    message: "A policy name has 1-128 letters, digits and underscores.",
};

/// The policy description is too long.
pub(crate) const DESCRIPTION_TOO_LONG: Failure = Failure {
    name: "DescriptionTooLong",
    codes: &["InvalidParameter.DescriptionLengthOverlimit"],
    fallback: "InvalidParameter",
    message: "The description is too long.",
};

/// Another policy of the organization has this name.
pub(crate) const POLICY_NAME_USED: Failure = Failure {
    name: "PolicyNameUsed",
    codes: &[
        "FailedOperation.PolicyNameInUse",
        "InvalidParameter.PolicyNameExisted",
    ],
    fallback: "FailedOperation",
    message: "Another policy of the organization has this name.",
};

/// The organization has as many service control policies as it may have.
pub(crate) const SCP_LIMIT: Failure = Failure {
    name: "ScpLimit",
    codes: &["FailedOperation.PolicyFull"],
    fallback: "LimitExceeded",
    message: "The organization has as many service control policies as it may have.",
};

/// The organization has as many tag policies as it may have.
pub(crate) const TAG_POLICY_LIMIT: Failure = Failure {
    name: "TagPolicyLimit",
    codes: &["LimitExceeded.TagPolicy"],
    fallback: "LimitExceeded",
    message: "The organization has as many tag policies as it may have.",
};

/// The policy is still attached to a unit or member.
pub(crate) const POLICY_IN_USE: Failure = Failure {
    name: "PolicyInUse",
    codes: &["FailedOperation.OrganizationPolicyInUsed"],
    fallback: "FailedOperation",
    message: "The policy is still attached; detach it from every unit and member first.",
};

/// The target has as many policies of the type as it may have.
pub(crate) const ATTACHMENT_FULL: Failure = Failure {
    name: "AttachmentFull",
    codes: &["InvalidParameter.AttachmentFull"],
    fallback: "LimitExceeded",
    message: "The target has as many policies of this type as it may have.",
};

/// The policy is not attached to the target.
pub(crate) const NOT_ATTACHED: Failure = Failure {
    name: "NotAttached",
    codes: &["FailedOperation.OrganizationDetachPolicyError"],
    fallback: "FailedOperation",
    message: "The policy is not attached to the target.",
};

/// Detaching would leave the target without a service control policy.
pub(crate) const LAST_POLICY: Failure = Failure {
    name: "LastPolicy",
    codes: &["FailedOperation.OrganizationDetachLastPolicyError"],
    fallback: "FailedOperation",
    message: "A unit or member keeps at least one service control policy.",
};

/// A target ID (member UIN or unit ID) that is neither in the organization.
pub(crate) const TARGET_NOT_EXIST: Failure = Failure {
    name: "TargetNotExist",
    codes: &["ResourceNotFound.NotFound"],
    fallback: "ResourceNotFound",
    message: "The organization has no unit or member with this ID.",
};

/// No tag policy applies to the target.
pub(crate) const NO_EFFECTIVE_POLICY: Failure = Failure {
    name: "NoEffectivePolicy",
    codes: &["ResourceNotFound.EffectivePolicyNotFound"],
    fallback: "ResourceNotFound",
    message: "No tag policy applies to the target.",
};

// The policy document, as the policy syntax checks it.

/// The document is not a JSON object of the policy syntax.
pub(crate) const DOCUMENT_ERROR: Failure = Failure {
    name: "DocumentError",
    codes: &["InvalidParameter.PolicyDocumentError"],
    fallback: "InvalidParameter",
    message: "The policy document is not valid policy syntax.",
};

/// The document is longer than its type allows.
pub(crate) const DOCUMENT_TOO_LONG: Failure = Failure {
    name: "DocumentTooLong",
    codes: &["InvalidParameter.PolicyDocumentLengthOverLimit"],
    fallback: "InvalidParameter",
    message: "The policy document is longer than its type allows.",
};

pub(crate) const VERSION_ERROR: Failure = Failure {
    name: "VersionError",
    codes: &["InvalidParameter.VersionError"],
    fallback: "InvalidParameter",
    message: "The document's version must be \"2.0\".",
};

pub(crate) const STATEMENT_ERROR: Failure = Failure {
    name: "StatementError",
    codes: &["InvalidParameter.StatementError"],
    fallback: "InvalidParameter",
    message: "The document's statement must be a statement object or a non-empty list of them.",
};

pub(crate) const EFFECT_ERROR: Failure = Failure {
    name: "EffectError",
    codes: &["InvalidParameter.EffectError"],
    fallback: "InvalidParameter",
    message: "A statement's effect must be allow or deny.",
};

pub(crate) const ACTION_MISSING: Failure = Failure {
    name: "ActionMissing",
    codes: &["InvalidParameter.ActionMiss"],
    fallback: "InvalidParameter",
    message: "A statement has no action.",
};

pub(crate) const ACTION_ERROR: Failure = Failure {
    name: "ActionError",
    codes: &["InvalidParameter.ActionError"],
    fallback: "InvalidParameter",
    message: "A statement's action must be \"*\" or service:Action, alone or in a non-empty list.",
};

pub(crate) const ACTION_SERVICE_MISSING: Failure = Failure {
    name: "ActionServiceMissing",
    codes: &["InvalidParameter.ActionServiceNotExist"],
    fallback: "InvalidParameter",
    message: "An action names no service before its colon.",
};

pub(crate) const ACTION_NAME_MISSING: Failure = Failure {
    name: "ActionNameMissing",
    codes: &["InvalidParameter.ActionNotExist"],
    fallback: "InvalidParameter",
    message: "An action names no operation after its colon.",
};

pub(crate) const RESOURCE_ERROR: Failure = Failure {
    name: "ResourceError",
    codes: &["InvalidParameter.ResourceError"],
    fallback: "InvalidParameter",
    message: "A statement's resource must be \"*\" or a qcs six-segment resource, alone or in a non-empty list.",
};

pub(crate) const RESOURCE_QCS_ERROR: Failure = Failure {
    name: "ResourceQcsError",
    codes: &["InvalidParameter.ResourceQcsError"],
    fallback: "InvalidParameter",
    message: "A qcs resource has six segments: qcs:project:service:region:account:resource.",
};

pub(crate) const RESOURCE_PROJECT_ERROR: Failure = Failure {
    name: "ResourceProjectError",
    codes: &["InvalidParameter.ResourceProjectError"],
    fallback: "InvalidParameter",
    message: "A resource's project segment is empty, * or id/<digits>.",
};

pub(crate) const RESOURCE_SERVICE_ERROR: Failure = Failure {
    name: "ResourceServiceError",
    codes: &["InvalidParameter.ResourceServiceNotExist"],
    fallback: "InvalidParameter",
    message: "A resource's service segment must name a service.",
};

pub(crate) const RESOURCE_REGION_ERROR: Failure = Failure {
    name: "ResourceRegionError",
    codes: &["InvalidParameter.ResourceRegionError"],
    fallback: "InvalidParameter",
    message: "A resource's region segment is empty, * or a region such as ap-guangzhou.",
};

pub(crate) const RESOURCE_UIN_ERROR: Failure = Failure {
    name: "ResourceUinError",
    codes: &["InvalidParameter.ResourceUinError"],
    fallback: "InvalidParameter",
    message: "A resource's account segment is empty, * or uin/<digits>.",
};

pub(crate) const RESOURCE_CONTENT_ERROR: Failure = Failure {
    name: "ResourceContentError",
    codes: &["InvalidParameter.ResourceContentError"],
    fallback: "InvalidParameter",
    message: "A resource's last segment must name the resource.",
};

pub(crate) const PRINCIPAL_ERROR: Failure = Failure {
    name: "PrincipalError",
    codes: &["InvalidParameter.PrincipalError"],
    fallback: "InvalidParameter",
    message: "Service control policies take no principal.",
};

pub(crate) const CONDITION_ERROR: Failure = Failure {
    name: "ConditionError",
    codes: &["InvalidParameter.ConditionError"],
    fallback: "InvalidParameter",
    message: "A statement's condition must be an object of condition operators.",
};

pub(crate) const CONDITION_TYPE_ERROR: Failure = Failure {
    name: "ConditionTypeError",
    codes: &["InvalidParameter.ConditionTypeError"],
    fallback: "InvalidParameter",
    message: "Unknown condition operator.",
};

pub(crate) const CONDITION_CONTENT_ERROR: Failure = Failure {
    name: "ConditionContentError",
    codes: &["InvalidParameter.ConditionContentError"],
    fallback: "InvalidParameter",
    message: "A condition operator takes an object of keys to a value or a list of values.",
};

/// A tag policy that is JSON but not tag policy syntax.
pub(crate) const TAG_CONTENT_INVALID: Failure = Failure {
    name: "TagContentInvalid",
    codes: &["InvalidParameterValue.PolicyContentInvalid"],
    fallback: "InvalidParameterValue",
    message: "The tag policy is not tag policy syntax.",
};

pub(crate) const TAG_KEY_DUPLICATED: Failure = Failure {
    name: "TagKeyDuplicated",
    codes: &["InvalidParameter.PolicyKeyDuplicated"],
    fallback: "InvalidParameter",
    message: "A tag policy names the same policy key twice (keys compare case-insensitively).",
};

pub(crate) const RESERVED_TAG_KEY: Failure = Failure {
    name: "ReservedTagKey",
    codes: &["InvalidParameter.ReservedTagKey"],
    fallback: "InvalidParameter",
    message: "Tag keys starting with qcloud, tencent or project are reserved.",
};

// Member access policies.

/// The organization has no member access policy with this ID.
pub(crate) const MEMBER_POLICY_NOT_EXIST: Failure = Failure {
    name: "MemberPolicyNotExist",
    codes: &["ResourceNotFound.MemberPolicyNotExist"],
    fallback: "ResourceNotFound",
    message: "The organization has no member access policy with this ID.",
};

/// Another member access policy of the organization has this name.
pub(crate) const MEMBER_POLICY_NAME_USED: Failure = Failure {
    name: "MemberPolicyNameUsed",
    codes: &["FailedOperation.MemberPolicyNameExist"],
    fallback: "FailedOperation",
    message: "Another member access policy of the organization has this name.",
};

/// The identity is not granted to (one of) the members.
pub(crate) const MEMBER_IDENTITY_NOT_EXIST: Failure = Failure {
    name: "MemberIdentityNotExist",
    codes: &["ResourceNotFound.MemberIdentityNotExist"],
    fallback: "ResourceNotFound",
    message: "The identity is not granted to the member.",
};

/// A UIN that is not a sub-account of the manager.
pub(crate) const SUB_ACCOUNT_NOT_EXIST: Failure = Failure {
    name: "SubAccountNotExist",
    codes: &["FailedOperation.SubAccountNotExist"],
    fallback: "FailedOperation",
    message: "The UIN is not a sub-account of the organization's manager.",
};

/// The sub-account is not bound to the policy.
pub(crate) const SUB_ACCOUNT_NOT_BOUND: Failure = Failure {
    name: "SubAccountNotBound",
    codes: &["FailedOperation.OperatePolicy"],
    fallback: "FailedOperation",
    message: "The sub-account is not bound to the policy.",
};

/// Member access policies still exist (deleting the organization).
pub(crate) const MEMBER_POLICIES_EXIST: Failure = Failure {
    name: "MemberPoliciesExist",
    codes: &["FailedOperation.OrgMemberPolicyExist"],
    fallback: "FailedOperation",
    message: "The organization still has member access policies; delete them first.",
};

//! The business failures of resource sharing, named by what went wrong.

use crate::state::failure::Failure;
pub(crate) use crate::state::failure::BAD_VALUE;
pub(crate) use crate::state::org::failures::{NODE_NOT_EXIST, ORG_NOT_EXIST, USER_NOT_EXIST};

/// A parameter of the wrong form (a name, a scope, a language, an empty list).
pub(crate) const INVALID: Failure = Failure {
    name: "Invalid",
    codes: &[],
    fallback: "InvalidParameter",
    message: "A parameter is malformed:",
};

/// No share area of this name.
pub(crate) const AREA_NOT_EXIST: Failure = Failure {
    name: "AreaNotExist",
    codes: &["FailedOperation.ShareAreaNotExist"],
    fallback: "InvalidParameter",
    message: "No share area has this name.",
};

/// No share unit with this ID that the caller may act on (in this area).
pub(crate) const UNIT_NOT_EXIST: Failure = Failure {
    name: "UnitNotExist",
    codes: &["FailedOperation.ShareUnitNotExist"],
    fallback: "ResourceNotFound",
    message: "No share unit with this ID is the caller's (in this area).",
};

/// The caller has as many share units as it may have.
pub(crate) const UNIT_LIMIT: Failure = Failure {
    name: "UnitLimit",
    codes: &["FailedOperation.ResourceOverLimit"],
    fallback: "LimitExceeded",
    message: "The account has as many share units as it may have.",
};

/// The account is not a member of the share unit (or has no pending invitation to it).
pub(crate) const MEMBER_NOT_EXIST: Failure = Failure {
    name: "ShareMemberNotExist",
    codes: &["FailedOperation.ShareMemberNotExist"],
    fallback: "ResourceNotFound",
    message: "The account is not a member of the share unit.",
};

/// An invitation already accepted cannot be rejected.
pub(crate) const ALREADY_JOINED: Failure = Failure {
    name: "AlreadyJoined",
    codes: &[],
    fallback: "UnsupportedOperation",
    message: "The invitation was already accepted.",
};

/// A unit restricted to the organization would get (or has) a member outside it.
pub(crate) const NOT_IN_ORG: Failure = Failure {
    name: "NotInOrg",
    codes: &[
        "FailedOperation.SomeUinsNotInOrganization",
        "FailedOperation.ExistShareMemberNotInOrganization",
    ],
    fallback: "FailedOperation",
    message: "The share unit is restricted to the organization; these accounts are outside it:",
};

/// Sharing with a member of another organization.
pub(crate) const OTHER_ORG_MEMBER: Failure = Failure {
    name: "OtherOrgMember",
    codes: &["UnsupportedOperation.SharingToOtherOrganizationMember"],
    fallback: "UnsupportedOperation",
    message: "Resources cannot be shared with a member of another organization.",
};

/// Too many members for one call or one unit.
pub(crate) const MEMBER_LIMIT: Failure = Failure {
    name: "ShareMemberLimit",
    codes: &["LimitExceeded.ShareUnitMemberOverLimit"],
    fallback: "LimitExceeded",
    message: "Too many share members:",
};

/// Too many units of the organization in one share unit.
pub(crate) const NODE_LIMIT: Failure = Failure {
    name: "ShareNodeLimit",
    codes: &["LimitExceeded.ShareUnitNodeOverLimit"],
    fallback: "LimitExceeded",
    message: "The share unit has as many organization units as it may have.",
};

/// The organization unit is not in the share unit.
pub(crate) const NODE_NOT_SHARED: Failure = Failure {
    name: "NodeNotShared",
    codes: &["FailedOperation.ShareNodeNotExist"],
    fallback: "ResourceNotFound",
    message: "The organization unit is not in the share unit.",
};

/// Too many resources for one call or one unit.
pub(crate) const RESOURCE_LIMIT: Failure = Failure {
    name: "ShareResourceLimit",
    codes: &["LimitExceeded.ShareUnitResourceOverLimit"],
    fallback: "LimitExceeded",
    message: "Too many shared resources:",
};

/// A resource type the catalogue does not have.
pub(crate) const TYPE_NOT_EXIST: Failure = Failure {
    name: "TypeNotExist",
    codes: &["FailedOperation.ShareResourceTypeNotExist"],
    fallback: "InvalidParameter",
    message: "No shareable resource type has this name.",
};

/// A share unit holds resources of one type.
pub(crate) const DIFFERENT_TYPE: Failure = Failure {
    name: "DifferentType",
    codes: &["FailedOperation.HasDifferentResourceType"],
    fallback: "FailedOperation",
    message: "The share unit holds resources of another type.",
};

/// The resource is not in the share unit.
pub(crate) const RESOURCE_NOT_EXIST: Failure = Failure {
    name: "ResourceNotExist",
    codes: &["FailedOperation.ShareResourceNotExist"],
    fallback: "ResourceNotFound",
    message: "The resource is not in the share unit.",
};

/// A member leaving the organization owns share units.
pub(crate) const MEMBER_SHARES: Failure = Failure {
    name: "MemberShares",
    codes: &[
        "FailedOperation.MemberShareResource",
        "FailedOperation.QuitShareUintError",
    ],
    fallback: "FailedOperation",
    message: "The member shares resources through share units it owns; delete them first.",
};

/// An organization unit being deleted is in a share unit.
pub(crate) const NODE_SHARED: Failure = Failure {
    name: "NodeShared",
    codes: &["FailedOperation.ShareNodeExisted"],
    fallback: "FailedOperation",
    message: "The organization unit is in a share unit; remove it from there first.",
};

/// The organization's manager still owns share units.
pub(crate) const MANAGER_SHARES: Failure = Failure {
    name: "ManagerShares",
    codes: &["FailedOperation.ShareUnitNotEmpty"],
    fallback: "FailedOperation",
    message: "The manager still owns share units; delete them first.",
};

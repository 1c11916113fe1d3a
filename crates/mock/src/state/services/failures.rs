//! The business failures of delegated administration, named by what went wrong.

use crate::state::failure::Failure;
pub(crate) use crate::state::failure::BAD_VALUE;
pub(crate) use crate::state::org::failures::{MEMBER_NOT_EXIST, ORG_NOT_EXIST};

/// Neither ServiceId nor Product names the service.
pub(crate) const NO_SERVICE_GIVEN: Failure = Failure {
    name: "NoServiceGiven",
    codes: &[],
    fallback: "InvalidParameter",
    message: "Name the service by ServiceId or Product.",
};

/// No service of the catalogue has this ID or product (or they name different services).
pub(crate) const SERVICE_NOT_EXIST: Failure = Failure {
    name: "ServiceNotExist",
    codes: &["ResourceNotFound.OrganizationServiceNotExist"],
    fallback: "ResourceNotFound",
    message: "No organization service has this ID or product.",
};

/// The service does not support what the request asks (delegation, or a management scope).
pub(crate) const SERVICE_UNSUPPORTED: Failure = Failure {
    name: "ServiceUnsupported",
    codes: &[],
    fallback: "UnsupportedOperation",
    message: "The service does not support this.",
};

/// More delegated administrators than the service allows.
pub(crate) const ASSIGN_LIMIT: Failure = Failure {
    name: "AssignLimit",
    codes: &["LimitExceeded.CreateOrgServiceAssignOverLimit"],
    fallback: "LimitExceeded",
    message: "The service has as many delegated administrators as it allows.",
};

/// The member is not a delegated administrator of the service.
pub(crate) const ASSIGN_NOT_EXIST: Failure = Failure {
    name: "AssignNotExist",
    codes: &["ResourceNotFound.OrganizationServiceAssignNotExist"],
    fallback: "ResourceNotFound",
    message: "The member is not a delegated administrator of the service.",
};

/// A member leaving the organization is a delegated administrator.
pub(crate) const MEMBER_IS_DELEGATE: Failure = Failure {
    name: "MemberIsDelegate",
    codes: &["UnsupportedOperation.MemberExistServiceNotAllowDelete"],
    fallback: "UnsupportedOperation",
    message: "The member is a delegated administrator of an organization service.",
};

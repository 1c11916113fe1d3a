//! Organization services: the catalogue of services that support delegated administration,
//! and the members assigned to administer them.

mod assign;
pub(crate) mod failures;
pub(crate) mod model;
pub(crate) mod rules;
pub(crate) mod seed;

use tco_spec::Version;

use super::{Area, Handler};
use failures::*;
use model::*;

pub(crate) use model::DelegatedServices;

pub(crate) static AREA: Area = Area {
    name: "Delegated administration",
    handlers: &[(Version::V2021_03_31, HANDLERS)],
    decisions,
};

static HANDLERS: &[Handler] = &[
    Handler {
        action: "ListOrganizationService",
        raises: &[ORG_NOT_EXIST, BAD_VALUE],
        run: assign::list_services,
    },
    Handler {
        action: "CreateOrgServiceAssign",
        raises: &[
            ORG_NOT_EXIST,
            NO_SERVICE_GIVEN,
            SERVICE_NOT_EXIST,
            SERVICE_UNSUPPORTED,
            BAD_VALUE,
            MEMBER_NOT_EXIST,
            ASSIGN_LIMIT,
        ],
        run: assign::create,
    },
    Handler {
        action: "ListOrgServiceAssignMember",
        raises: &[
            ORG_NOT_EXIST,
            BAD_VALUE,
            NO_SERVICE_GIVEN,
            SERVICE_NOT_EXIST,
        ],
        run: assign::list_members,
    },
    Handler {
        action: "DeleteOrgServiceAssign",
        raises: &[
            ORG_NOT_EXIST,
            NO_SERVICE_GIVEN,
            SERVICE_NOT_EXIST,
            ASSIGN_NOT_EXIST,
        ],
        run: assign::delete,
    },
];

/// What delegated administration decides where the documentation is silent.
fn decisions() -> Vec<String> {
    let names: Vec<String> = catalogue()
        .iter()
        .map(|s| format!("`{}` ({}, ID {})", s.product, s.product_name, s.service_id))
        .collect();
    vec![
        format!(
            "The catalogue is the service the contract's examples show, {}, as data in \
             `services/catalogue.json`; `ListOrganizationService` lists it with `MemberNum`, the organization's \
             delegated administrators of it. `SearchKey` matches the product or its name, ignoring case.",
            names.join(", ")
        ),
        format!(
            "A service is named by `ServiceId`, `Product` (any case) or both, which must then agree \
             (`ResourceNotFound.OrganizationServiceNotExist`); neither is `InvalidParameter`. \
             `CreateOrgServiceAssign` takes 1-{MAX_ASSIGN_MEMBERS} members of the organization (not its manager) \
             and assigns all or none; a member already assigned stays as it was; the service's `CanAssignCount` \
             caps its delegates per organization (`LimitExceeded.CreateOrgServiceAssignOverLimit`). \
             `ManagementScope` 2 needs a service with `IsSetManagementScope` 1, which no catalogue service is \
             (`UnsupportedOperation`), so every delegate manages all members and the scope lists are empty."
        ),
        "`UsageStatus` is 1 (activated) for a service that reports usage (`IsUsageStatus` 1) and 0 (not \
         applicable) otherwise: the mock cannot know whether a delegate turned the service on. Assignments are the \
         manager's to change; members of the organization may read them."
            .to_owned(),
        "A delegated administrator cannot leave the organization, removed or quitting \
         (`UnsupportedOperation.MemberExistServiceNotAllowDelete`): delete its assignments first."
            .to_owned(),
    ]
}

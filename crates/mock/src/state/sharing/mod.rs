//! Resource sharing: share units, the accounts invited to them (who accept or reject with
//! their own accounts), the organization's units added to them, and the resources shared
//! through them.

mod access;
pub(crate) mod failures;
mod members;
pub(crate) mod model;
mod nodes;
mod resources;
pub(crate) mod rules;
pub(crate) mod seed;
mod units;

use tco_spec::Version;

use super::{Area, Handler};
use failures::*;
use model::*;

pub(crate) use model::Sharing;

pub(crate) static AREA: Area = Area {
    name: "Resource sharing",
    handlers: &[(Version::V2021_03_31, HANDLERS)],
    decisions,
};

static HANDLERS: &[Handler] = &[
    Handler {
        action: "AddShareUnit",
        raises: &[ORG_NOT_EXIST, INVALID, AREA_NOT_EXIST, UNIT_LIMIT],
        run: units::add,
    },
    Handler {
        action: "UpdateShareUnit",
        raises: &[UNIT_NOT_EXIST, INVALID, NOT_IN_ORG],
        run: units::update,
    },
    Handler {
        action: "DeleteShareUnit",
        raises: &[UNIT_NOT_EXIST],
        run: units::delete,
    },
    Handler {
        action: "DescribeShareUnits",
        raises: &[AREA_NOT_EXIST, BAD_VALUE],
        run: units::describe,
    },
    Handler {
        action: "DescribeShareAreas",
        raises: &[INVALID],
        run: units::areas,
    },
    Handler {
        action: "AddShareUnitMembers",
        raises: &[
            AREA_NOT_EXIST,
            UNIT_NOT_EXIST,
            INVALID,
            MEMBER_LIMIT,
            USER_NOT_EXIST,
            NOT_IN_ORG,
            OTHER_ORG_MEMBER,
        ],
        run: members::add,
    },
    Handler {
        action: "DeleteShareUnitMembers",
        raises: &[
            AREA_NOT_EXIST,
            UNIT_NOT_EXIST,
            INVALID,
            MEMBER_LIMIT,
            MEMBER_NOT_EXIST,
        ],
        run: members::delete,
    },
    Handler {
        action: "DescribeShareUnitMembers",
        raises: &[AREA_NOT_EXIST, UNIT_NOT_EXIST, BAD_VALUE],
        run: members::describe,
    },
    Handler {
        action: "AcceptJoinShareUnitInvitation",
        raises: &[UNIT_NOT_EXIST, MEMBER_NOT_EXIST],
        run: members::accept,
    },
    Handler {
        action: "RejectJoinShareUnitInvitation",
        raises: &[UNIT_NOT_EXIST, MEMBER_NOT_EXIST, ALREADY_JOINED],
        run: members::reject,
    },
    Handler {
        action: "AddShareUnitNode",
        raises: &[UNIT_NOT_EXIST, NODE_NOT_EXIST, NODE_LIMIT],
        run: nodes::add,
    },
    Handler {
        action: "DeleteShareUnitNode",
        raises: &[UNIT_NOT_EXIST, NODE_NOT_SHARED],
        run: nodes::delete,
    },
    Handler {
        action: "DescribeShareUnitNodes",
        raises: &[UNIT_NOT_EXIST, BAD_VALUE],
        run: nodes::describe,
    },
    Handler {
        action: "AddShareUnitResources",
        raises: &[
            AREA_NOT_EXIST,
            UNIT_NOT_EXIST,
            TYPE_NOT_EXIST,
            INVALID,
            RESOURCE_LIMIT,
            DIFFERENT_TYPE,
        ],
        run: resources::add,
    },
    Handler {
        action: "DeleteShareUnitResources",
        raises: &[
            AREA_NOT_EXIST,
            UNIT_NOT_EXIST,
            TYPE_NOT_EXIST,
            INVALID,
            RESOURCE_LIMIT,
            RESOURCE_NOT_EXIST,
        ],
        run: resources::delete,
    },
    Handler {
        action: "DescribeShareUnitResources",
        raises: &[AREA_NOT_EXIST, UNIT_NOT_EXIST, BAD_VALUE],
        run: resources::describe,
    },
    Handler {
        action: "DescribeResourceToShareMember",
        raises: &[AREA_NOT_EXIST, INVALID, BAD_VALUE],
        run: resources::to_member,
    },
];

/// What resource sharing decides where the documentation is silent.
fn decisions() -> Vec<String> {
    let areas: Vec<String> = catalogue()
        .areas
        .iter()
        .map(|a| format!("`{}` ({})", a.area, a.area_id))
        .collect();
    let types: Vec<String> = catalogue()
        .resource_types
        .iter()
        .map(|t| format!("`{t}`"))
        .collect();
    let (min, max) = NAME_LEN;
    vec![
        format!(
            "Catalogue (data, `sharing/catalogue.json`): share areas {} (`ap-guangzhou` is the contract's \
             example; the second area lets a test tell areas apart), named in Chinese or English by \
             `DescribeShareAreas` `Lang` (`zh`, `en`; `en` when absent); resource types {} (`secret` is the \
             contract's example; VPC subnets are documented as shareable, the type string is the mock's).",
            areas.join(", "),
            types.join(", ")
        ),
        format!(
            "A share unit is created by a manager or member of an organization and belongs to its creator; IDs are \
             `shareUnit-` and 8 hex digits, resources `shareResource-` and 8 hex digits, from counters. Names have \
             {min}-{max} letters, digits, `-`, `_` (not unique); descriptions at most {MAX_DESCRIPTION}; at most \
             {MAX_UNITS} units per owner (`FailedOperation.ResourceOverLimit`). Only the owner changes a unit; to \
             anyone else (or in another area) it does not exist (`FailedOperation.ShareUnitNotExist`, else \
             `ResourceNotFound`). An unknown area is `FailedOperation.ShareAreaNotExist` (else `InvalidParameter`)."
        ),
        format!(
            "Members: 1-{MAX_MEMBERS_PER_CALL} per call and at most {MAX_MEMBERS} per unit \
             (`LimitExceeded.ShareUnitMemberOverLimit`); an account the mock knows, never the owner. A unit with \
             `ShareScope` 1 (the default) takes only accounts of the owner's organization \
             (`FailedOperation.SomeUinsNotInOrganization`; `UpdateShareUnit` to scope 1 with outside members is \
             `FailedOperation.ExistShareMemberNotInOrganization`); scope 2 also takes accounts in no organization; \
             members of another organization never (`UnsupportedOperation.SharingToOtherOrganizationMember`). \
             Adding an account already invited changes nothing."
        ),
        "Invitations: every added member starts invited. The invitee finds the unit in its own \
         `DescribeShareUnits` (which lists the units of the area the caller owns or is invited to; `Uin` and \
         `OwnerUin` are the owner) and may read its members, units and resources; it accepts \
         (`AcceptJoinShareUnitInvitation`; again changes nothing) or rejects \
         (`RejectJoinShareUnitInvitation`, which removes it; after accepting: `UnsupportedOperation`). Without an \
         invitation: `FailedOperation.ShareMemberNotExist`. The owner lists invited and joined members alike."
            .to_owned(),
        format!(
            "Organization units: units of the owner's organization, at most {MAX_NODES} per share unit \
             (`LimitExceeded.ShareUnitNodeOverLimit`); adding one twice changes nothing. They reach every member of \
             the organization in them or in units under them, without an invitation, wherever the member moves."
        ),
        format!(
            "Resources: 1-{MAX_RESOURCES_PER_CALL} per call and at most {MAX_RESOURCES} per unit \
             (`LimitExceeded.ShareUnitResourceOverLimit`), all of one type per unit \
             (`FailedOperation.HasDifferentResourceType`); sharing one again changes nothing; removal names them by \
             `ResourceId` or `ProductResourceId`. A resource reaches the members that accepted and the accounts of \
             the unit's organization units: `DescribeResourceToShareMember` lists it for each of them, once per \
             share unit. `SharedMemberNum` counts everyone the unit shares with (invited, joined, reached through \
             units); `SharedMemberUseNum` is 0, as the mock has no resource that anyone uses."
        ),
        "Deleting a share unit takes its members, units and resources with it. An account that owns share units \
         cannot leave its organization (`FailedOperation.MemberShareResource`; 2018: \
         `FailedOperation.QuitShareUintError`); a leaving member stops being a member of the units restricted to \
         the organization. An organization unit in a share unit cannot be deleted \
         (`FailedOperation.ShareNodeExisted`), nor the organization while its manager owns share units \
         (`FailedOperation.ShareUnitNotEmpty`)."
            .to_owned(),
    ]
}

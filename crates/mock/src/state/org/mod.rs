//! Organizations, their units (a tree under a root unit), members and invitations: the core of
//! the world, acted on by all 20 actions of 2018-12-25 and the matching 2021-03-31 ones.

pub(crate) mod failures;
pub(crate) mod model;
pub(crate) mod ops;
mod v2018;
mod v2021;
pub(crate) use v2021::describe_organization_json;

use tco_spec::Version;

use super::Area;
use model::*;

pub(crate) static AREA: Area = Area {
    name: "Organizations, units and members",
    handlers: &[
        (Version::V2018_12_25, v2018::HANDLERS),
        (Version::V2021_03_31, v2021::HANDLERS),
    ],
    decisions,
};

/// What the organization area decides where the documentation is silent.
fn decisions() -> Vec<String> {
    vec![
        "One world for both versions: an organization created with 2018-12-25 `CreateOrganization` is the one \
         2021-03-31 `DescribeOrganization` shows, and a 2021 `InviteOrganizationMember` invitation is accepted \
         with the 2018 `AcceptOrganizationInvitation`."
            .to_owned(),
        "An account manages at most one organization or is a member of one. The manager is not a member: member \
         lists, `TotalCount`/`Total` and `IsEmpty` count the other accounts only. Write actions need the manager; \
         read actions (`GetOrganization`, `DescribeOrganization`, node and member lists) also answer a member."
            .to_owned(),
        format!(
            "Units: a tree under a root unit named `{ROOT_NAME}` (its `ParentNodeId` is 0). At most \
             {MAX_NODE_DEPTH} levels, the root being level 1 (`LimitExceeded.NodeDepthExceedLimit`), and at \
             most {MAX_NODES} units per organization, the root included (`LimitExceeded.NodeExceedLimit`). \
             These limits are the mock's choice; the contract gives no numbers. Sibling names are unique. \
             Names have 1-{MAX_NODE_NAME} letters, digits and `+@&._[]-`."
        ),
        "Deleting units: a unit goes only when it has no members and each of its children is deleted in the \
         same call; the root never goes. The 2021 version tells members (`FailedOperation.NodeNotEmpty`) from \
         child units (`FailedOperation.OrganizationNodeNotEmpty`); the 2018 version has one code for both."
            .to_owned(),
        "The 2018 `UpdateOrganizationNode` can move a unit (`ParentNodeId`), never under itself or its \
         descendants, and not the root; the depth limit counts the moved subtree."
            .to_owned(),
        format!(
            "Members: each is in exactly one unit. At most {MAX_MEMBERS} per organization, pending invitations \
             included. Names are unique within the organization (pending invitations included) and have \
             1-{MAX_MEMBER_NAME} letters, digits and `+@&._[]-:,`. `DeleteOrganizationMemberFromNode` puts the \
             member back in the root unit."
        ),
        "Created members (2021 `CreateOrganizationMember`) get a fresh 12-digit UIN from 200000000001 up, \
         cannot quit, and can be removed (`DeleteOrganizationMembers`) only after an email is bound to them \
         (`AddOrganizationMemberEmail`), as `UnsupportedOperation.CreateMemberNotAllowDelete` implies. The \
         mock has no mailbox, so a binding succeeds at once (`BindStatus` `Success`)."
            .to_owned(),
        format!(
            "`SendOrgMemberAccountBindEmail` sends a binding's activation email again: its `ApplyTime` becomes \
             the time of the last send. At most {MAX_RESENDS_PER_HOUR} within any hour \
             (`LimitExceeded.SendEmailWithinOneHourLimit`) and {MAX_RESENDS} per binding \
             (`LimitExceeded.SendEmailLimit`); `UpdateOrganizationMemberEmailBind` starts the count again."
        ),
        "Relationship: `PolicyType` must be `Financial`; `PermissionIds` 1-10 and must include 1 and 2; \
         `PayUin` empty, the manager's UIN or a member's, and required when permission 7 (pay on behalf) is \
         given. Invited members may quit unless `IsAllowQuit` is `Denied`."
            .to_owned(),
        format!(
            "Invitations: pending for {} hours (the contract's example shows three), to an account the mock \
             knows (a registered caller, or an account created by an organization). Status 0 pending, 1 accepted, \
             2 denied or expired (the documented -1 does not fit the unsigned member), 3 cancelled. Accepting \
             puts the invitee in the unit the invitation names (2021) or the root (2018).",
            INVITATION_TTL_SECS / 3600
        ),
        "Paging: `Limit` 1-50, 10 when absent; `Offset` at least 0; otherwise `InvalidParameterValue`. An \
         `Offset` beyond the total gives an empty page with the full total. `Offset` need not be a multiple of \
         `Limit`. Units and invitations are listed by ID, members by UIN."
            .to_owned(),
        format!(
            "IDs: organizations from {FIRST_ORG_ID}, units from {FIRST_NODE_ID}, invitations from \
             {FIRST_INVITATION_ID}, email bindings from {FIRST_BIND_ID}; never reused until a reset, which \
             empties the world but keeps registered accounts. Times are the mock clock in UTC, \
             `2021-04-16 11:49:39`. Mailboxes are shown masked (`10***@example.com`)."
        ),
    ]
}

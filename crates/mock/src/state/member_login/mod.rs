//! Unified member login: the organization's login identities (a preset one, and custom ones
//! made of preset CAM policies or policy documents), granted to members, and sub-accounts of
//! the manager bound to log in to members through member access policies (which the policies
//! area keeps).

mod accounts;
pub(crate) mod failures;
mod grants;
mod identities;
pub(crate) mod model;
mod policy_doc;
pub(crate) mod rules;
pub(crate) mod seed;

use tco_spec::Version;

use super::{Area, Handler};
use failures::*;
use model::*;

pub(crate) use model::MemberLogin;

pub(crate) static AREA: Area = Area {
    name: "Unified member login",
    handlers: &[(Version::V2021_03_31, HANDLERS)],
    decisions,
};

static HANDLERS: &[Handler] = &[
    Handler {
        action: "CreateOrganizationIdentity",
        raises: &[
            ORG_NOT_EXIST,
            BAD_VALUE,
            INVALID,
            CAM_POLICY_NOT_EXIST,
            POLICY_DOCUMENT,
            IDENTITY_NAME_USED,
            IDENTITY_LIMIT,
        ],
        run: identities::create,
    },
    Handler {
        action: "UpdateOrganizationIdentity",
        raises: &[
            ORG_NOT_EXIST,
            IDENTITY_NOT_EXIST,
            PRESET_IDENTITY,
            BAD_VALUE,
            INVALID,
            CAM_POLICY_NOT_EXIST,
            POLICY_DOCUMENT,
        ],
        run: identities::update,
    },
    Handler {
        action: "DeleteOrganizationIdentity",
        raises: &[
            ORG_NOT_EXIST,
            IDENTITY_NOT_EXIST,
            PRESET_IDENTITY,
            IDENTITY_IN_USE,
        ],
        run: identities::delete,
    },
    Handler {
        action: "ListOrganizationIdentity",
        raises: &[ORG_NOT_EXIST, BAD_VALUE],
        run: identities::list,
    },
    Handler {
        action: "CreateOrganizationMemberAuthIdentity",
        raises: &[
            ORG_NOT_EXIST,
            BAD_VALUE,
            MEMBER_NOT_EXIST,
            IDENTITY_NOT_EXIST,
        ],
        run: grants::create,
    },
    Handler {
        action: "DeleteOrganizationMemberAuthIdentity",
        raises: &[
            ORG_NOT_EXIST,
            IDENTITY_NOT_EXIST,
            GRANT_NOT_EXIST,
            GRANT_IN_USE,
        ],
        run: grants::delete,
    },
    Handler {
        action: "DescribeOrganizationMemberAuthIdentities",
        raises: &[ORG_NOT_EXIST, BAD_VALUE, INVALID],
        run: grants::describe,
    },
    Handler {
        action: "BindOrganizationMemberAuthAccount",
        raises: &[
            ORG_NOT_EXIST,
            MEMBER_NOT_EXIST,
            MEMBER_POLICY_NOT_EXIST,
            BAD_VALUE,
            SUB_ACCOUNT_NOT_EXIST,
            SUB_ACCOUNT_HAS_IDENTITY,
        ],
        run: accounts::bind,
    },
    Handler {
        action: "CancelOrganizationMemberAuthAccount",
        raises: &[
            ORG_NOT_EXIST,
            MEMBER_NOT_EXIST,
            MEMBER_POLICY_NOT_EXIST,
            SUB_ACCOUNT_NOT_BOUND,
        ],
        run: accounts::cancel,
    },
    Handler {
        action: "DescribeOrganizationMemberAuthAccounts",
        raises: &[ORG_NOT_EXIST, BAD_VALUE],
        run: accounts::describe,
    },
];

/// What unified member login decides where the documentation is silent.
fn decisions() -> Vec<String> {
    let preset = &presets().identities[0];
    vec![
        format!(
            "Every organization has the preset identity {} `{}` (`IdentityType` 1, the preset policy `{}`), \
             which `CreateOrganizationMember` grants by default (`IdentityRoleID` `[1]`). It cannot be updated or \
             deleted (`UnsupportedOperation`). Custom identities (`IdentityType` 2) get IDs from {FIRST_IDENTITY_ID} \
             up, at most {MAX_IDENTITIES} per organization (`LimitExceeded.IdentityExceedLimit`). The preset \
             identity and the preset CAM policies the mock knows are data, in `member_login/presets.json`.",
            preset.identity_id, preset.identity_alias_name, preset.identity_policy[0].policy_name
        ),
        format!(
            "Identity names have 1-{MAX_IDENTITY_NAME} characters and are unique in the organization, the preset \
             one included (`FailedOperation.OrganizationIdentityNameUsed`); descriptions at most {MAX_DESCRIPTION}. \
             `IdentityPolicy` needs at least one policy. A preset policy (`PolicyType` 2, the default) must name a \
             preset policy by ID and name (`ResourceNotFound.PolicyNotExist`); a custom one (`PolicyType` 1) a \
             policy document: version `2.0`, a non-empty statement list, each statement with effect allow or deny, \
             actions `*` or `service:name`, resources `*` or `qcs::…`, an optional condition object and nothing \
             else (`InvalidParameter` otherwise). Policies are stored and read back as given."
        ),
        format!(
            "Grants: `CreateOrganizationMemberAuthIdentity` takes 1-{MAX_GRANT_MEMBERS} members and \
             1-{MAX_GRANT_IDENTITIES} identities and grants all or none; a grant that exists stays as it was, so no \
             identity is ever granted twice. Grants show in `DescribeOrganizationMembers` (`OrgIdentity`) and \
             `DescribeOrganizationMemberAuthIdentities` (which needs `MemberUin` or `IdentityId`: \
             `InvalidParameter`). A grant's times are when it was made (the member's join time for the ones made at \
             creation); `Status` is 1 (configured). The role name is `OrganizationAccessControlRole` for the preset \
             identity and `OrganizationAccessControlRole_<IdentityId>` for custom ones."
        ),
        "Deleting an identity still granted to a member is refused (`FailedOperation.OrganizationIdentityInUsed`); \
         revoking a grant that a member access policy uses (the policy names the member and the identity) is \
         refused (`FailedOperation.MemberIdentityAuthUsed`). Identities are the manager's to change; members of the organization may read them."
            .to_owned(),
        "A member leaving the organization (removed or quitting) takes its grants along; deleting the \
         organization removes its custom identities."
            .to_owned(),
        format!(
            "Sub-account bindings: `BindOrganizationMemberAuthAccount` binds 1-{} of the manager's sub-accounts to \
             an access policy of the member (kept by the policies area, which binds the same way through \
             `BindOrganizationPolicySubAccount`); a policy that is not the member's is \
             `ResourceNotFound.MemberPolicyNotExist`; a sub-account is any UIN the mock knows no account for \
             (`FailedOperation.SubAccountNotExist`); one already bound through another of the member's policies \
             has an identity there (`FailedOperation.SubAccountIdentityExist`); binding again changes nothing. \
             Cancelling one not bound is `FailedOperation.OperatePolicy`. \
             `DescribeOrganizationMemberAuthAccounts` lists a policy's sub-accounts, with the identity's names from \
             this area, and an empty list for a policy that is not the member's.",
            accounts::MAX_SUB_ACCOUNTS
        ),
    ]
}

//! Organization management policies (service control and tag policies), their attachments to
//! units and members, and member access policies (which login identity of which members the
//! manager's sub-accounts may use).
//!
//! - [`catalogue`]: the policy types and built-in policies, as data;
//! - [`types`]: enabling and disabling a type;
//! - [`manage`] and [`document`]: policies and their documents, checked per type's syntax;
//! - [`attach`] and [`effective`]: attachments seen from both sides, and the tag policy in
//!   effect along a member's path to the root;
//! - [`member_access`] (with [`identities`]): member access policies and their sub-accounts.

mod access;
mod attach;
mod catalogue;
mod document;
mod effective;
pub(crate) mod failures;
mod identities;
mod manage;
pub(crate) mod member_access;
mod model;
mod params;
pub(crate) mod seed;
mod types;

use tco_spec::Version;

use super::data::Inner;
use super::{Area, BusinessError, Ctx};
use catalogue::{BUILT_IN, TYPES};
use failures::{MEMBER_POLICIES_EXIST, TYPE_ENABLED};
use model::Target;

pub(crate) use model::Policies;

pub(crate) static AREA: Area = Area {
    name: "Organization management policies and member access policies",
    handlers: &[
        (Version::V2021_03_31, types::HANDLERS),
        (Version::V2021_03_31, manage::HANDLERS),
        (Version::V2021_03_31, attach::HANDLERS),
        (Version::V2021_03_31, effective::HANDLERS),
        (Version::V2021_03_31, member_access::HANDLERS),
    ],
    decisions,
};

fn decisions() -> Vec<String> {
    let types: Vec<String> = TYPES
        .iter()
        .map(|t| {
            format!(
                "`{}` (`DescribePolicyConfig` type {}): at most {} custom policies per organization, {} attached \
                 directly to one unit or member, documents of at most {} characters",
                t.name, t.config_code, t.max_policies, t.max_per_target, t.max_document
            )
        })
        .collect();
    let built_in: Vec<String> = BUILT_IN
        .iter()
        .map(|b| format!("`{}` (ID {}, {})", b.name, b.id, b.kind.name()))
        .collect();
    vec![
        format!(
            "Policy types, from the catalogue (data in `policies/catalogue.rs`): {}. The limits are the mock's \
             choice (the contract gives none); beyond them `CreatePolicy` answers `FailedOperation.PolicyFull` or \
             `LimitExceeded.TagPolicy`, `AttachPolicy` `InvalidParameter.AttachmentFull`.",
            types.join("; ")
        ),
        format!(
            "Built-in policies: {}. It exists while its type is enabled (created at the time it was enabled), is listed \
             with `Type` 2 (preset; custom policies have 1) under `Scope` `QCS` or `All`, cannot be changed or deleted \
             (`UnsupportedOperation`), and, as the service's documentation says, is bound to every unit (the root \
             included) and member from the moment the type is enabled or they join, whichever is later, unless \
             detached from one. Custom policy IDs start at 100001 (the contract's example), never reused.",
            built_in.join(", ")
        ),
        "Only the manager reads or changes management policies; a member gets \
         `InvalidParameter.OrganizationMemberNotManager` (`UnauthorizedOperation` for `CreatePolicy`, which documents \
         no other), an account outside any organization `ResourceNotFound.OrganizationNotExist` (or the common \
         `ResourceNotFound`). An `OrganizationId` that is not the caller's: not the manager if it exists, else not \
         found. A type must be enabled to create, change, delete, attach or detach its policies \
         (`FailedOperation.OrganizationPolicyIsNotEnabled`); enabling an enabled type answers \
         `FailedOperation.OrganizationPolicyIsNotDisabled`. Reads work whether the type is enabled or not."
            .to_owned(),
        "Disabling a type detaches all its policies from every unit and member; its custom policies stay (listed, \
         readable) and can be attached again once the type is enabled again, when the built-in policy binds every \
         unit and member afresh."
            .to_owned(),
        "Requests naming no policy type mean `SERVICE_CONTROL_POLICY` (as documented); a policy is found only under \
         its own type (`ResourceNotFound.PolicyNotExist` otherwise). `UpdatePolicy` without `Type` finds the policy \
         by ID alone. Names are unique within the organization across types and built-in policies \
         (`FailedOperation.PolicyNameInUse`), 1-128 letters (any script), digits and underscores \
         (`InvalidParameter.PolicyNameError`); descriptions at most 300 bytes."
            .to_owned(),
        "Service control policy documents are checked against the CAM syntax: a JSON object of `version` \"2.0\" and \
         `statement` (one object or a non-empty list), statements of `effect` allow/deny (any case), `action` \
         (`*` or `service:Operation`, optionally `name/`-prefixed, alone or listed), `resource` (`*` or \
         `qcs:project:service:region:account:resource`, each segment checked: project empty, `*` or `id/N`; region \
         like `ap-guangzhou`; account empty, `*`, `uin/N` or `uid/N`) and an optional `condition` of the CAM \
         operators (`string_equal` ... `null_equal`, with `_if_exist` and `for_all_value:`/`for_any_value:`); \
         members are lower-case, a `principal` is refused. Each fault has its own documented code \
         (`InvalidParameter.VersionError`, `.StatementError`, `.EffectError`, `.ActionMiss`, `.ActionError`, \
         `.ActionServiceNotExist`, `.ActionNotExist`, `.ResourceError`, `.ResourceQcsError`, `.ResourceProjectError`, \
         `.ResourceServiceNotExist`, `.ResourceRegionError`, `.ResourceUinError`, `.ResourceContentError`, \
         `.PrincipalError`, `.ConditionError`, `.ConditionTypeError`, `.ConditionContentError`); anything else that \
         is not such a document is `InvalidParameter.PolicyDocumentError`. The mock knows no catalogue of services \
         or operations, so any well-formed name passes."
            .to_owned(),
        "Tag policy documents: exactly `{\"tags\": {policy key: {...}}}`; each policy key's fields are `tag_key` \
         (required, equal to the policy key but for case), `tag_value`, `resource_type_scope` (`*` or \
         `service:type`), `enforced_for` (lists of strings), `tag_value_dynamic`, `correction`, `detection`, \
         `auto_assign`, `auto_assign_value` (strings), each plain or as `{\"@@assign\": value}` (the only operator \
         the syntax documents). A policy key given twice (case ignored) is `InvalidParameter.PolicyKeyDuplicated`, \
         a tag key starting with qcloud, tencent or project `InvalidParameter.ReservedTagKey`, any other fault \
         `InvalidParameterValue.PolicyContentInvalid` (non-JSON: `InvalidParameter.PolicyDocumentError`)."
            .to_owned(),
        "Attachments are a set: attaching an attached policy succeeds and changes nothing. Detaching a policy that is \
         not attached is `FailedOperation.OrganizationDetachPolicyError`; detaching a unit's or member's last service \
         control policy is `FailedOperation.OrganizationDetachLastPolicyError` (tag policies have no such floor). \
         Deleting an attached policy is `FailedOperation.OrganizationPolicyInUsed`. Targets are units (the root \
         included) and members, never the manager's own account."
            .to_owned(),
        "`ListTargetsForPolicy` lists in attachment order (built-in: by when each target was bound); `TargetType` \
         `All`, `User` or `Node`; `Keyword` is IDs separated by spaces, a target matching one equal to its ID or \
         contained in its name. `ListPoliciesForTarget` and `DescribeEffectivePolicy` take a member's UIN or a \
         unit's ID (UINs are looked up first; unknown: `ResourceNotFound.NotFound`); the former lists the policies \
         attached directly, built-in first, `Keyword` matching policy names. `ListPolicies` lists built-in, then \
         custom by ID, `Keyword` matching names. `Rp` 1-200 (20), `Page` 1-200 (1), else `InvalidParameter`."
            .to_owned(),
        "`DescribeEffectivePolicy` combines the tag policies attached to the root, each unit down to the target, \
         and the target itself, in that order; within one level in attachment order. Policy keys compare \
         case-insensitively, keep the spelling of their first appearance, and a field set nearer the target replaces \
         the one above it. The answer is the combined document with `@@assign` unwrapped \
         (`{\"tags\":{key:{\"tag_key\":...,\"tag_value\":[...]}}}`, as the contract's example shows) and the Unix \
         time of the latest attachment or policy change that shaped it. No tag policy along the path (or tag \
         policies not enabled): `ResourceNotFound.EffectivePolicyNotFound`."
            .to_owned(),
        "`ListNonCompliantResource`: the mock knows no cloud resources in member accounts, so the one resource it \
         holds against the member's effective tag policy is the member account itself \
         (`qcs::organization::uin/<manager>:member/<member>`), with the tags the organization gave it: a tag whose \
         key matches a policy's `tag_key` only when case is ignored is a non-compliant key, one whose value is not \
         in `tag_value` (unless it holds `*`) a non-compliant value. Compliant members are not listed; `TagKey` \
         narrows to one policy key. Everything fits one page: `PaginationToken` comes back empty, and a non-empty one \
         is refused (`InvalidParameterValue`). `MaxResults` 1-50."
            .to_owned(),
        "Member access policies: created for members of the manager's organization and a login identity each of \
         them holds (until the member login area keeps identities, those the organization lists for the member, \
         identity 1 `OrganizationAccessControlRole` by default; else `ResourceNotFound.MemberIdentityNotExist`). \
         Names 1-128 of letters, digits and `+=,.@_-`, unique in the organization \
         (`FailedOperation.MemberPolicyNameExist`); descriptions at most 128 characters; 1-10 members and 1-5 \
         sub-accounts per call (else `InvalidParameter`); IDs from 1001. `UpdateOrganizationMembersPolicy` replaces \
         the members and identity (and the description when given). Only the manager acts on them; anyone else \
         has no organization that allows it (`ResourceNotFound.OrganizationNotExist`)."
            .to_owned(),
        "Sub-accounts: the mock keeps no CAM users, so any UIN that is not an account it knows (the manager, members, \
         other callers) counts as one of the manager's sub-accounts, named `sub-account-<UIN>`; a known account is \
         `FailedOperation.SubAccountNotExist`. Binding a bound sub-account changes nothing; cancelling one that is \
         not bound is `FailedOperation.OperatePolicy`. Deleting a member access policy unbinds its sub-accounts. \
         `DescribeOrganizationMembersAuthPolicy` lists one row per (policy, bound sub-account), filtered by member, \
         sub-account and policy (0 or absent: any), its `MemberUin` the member asked for, else the policy's first; \
         `BindType` 1 (sub-account)."
            .to_owned(),
        "Across areas: a member or unit that leaves the organization takes its attachments with it (as the service \
         documents for members); a member leaves every member access policy, which stays. Deleting the \
         organization is refused while a policy type is enabled (`FailedOperation.OrganizationPolicyIsNotDisabled`) \
         or a member access policy exists (`FailedOperation.OrgMemberPolicyExist`; the 2018 version answers \
         `FailedOperation` for both)."
            .to_owned(),
    ]
}

// What removals elsewhere in the world do here (called from `cascade`).

/// Organization `org_id` may go only with every policy type disabled and no member access
/// policy left.
pub(crate) fn check_org_removal(
    inner: &Inner,
    ctx: &Ctx<'_>,
    org_id: u64,
) -> Result<(), BusinessError> {
    let Some(s) = inner.policies.orgs.get(&org_id) else {
        return Ok(());
    };
    if let Some(kind) = s.enabled.keys().next() {
        return Err(ctx.err_with(TYPE_ENABLED, format!("({})", kind.name())));
    }
    if !s.member_policies.is_empty() {
        return Err(ctx.err_with(
            MEMBER_POLICIES_EXIST,
            format!("({} left)", s.member_policies.len()),
        ));
    }
    Ok(())
}

pub(crate) fn org_removed(inner: &mut Inner, org_id: u64) {
    inner.policies.orgs.remove(&org_id);
}

pub(crate) fn members_removed(inner: &mut Inner, org_id: u64, uins: &[u64]) {
    if let Some(s) = inner.policies.orgs.get_mut(&org_id) {
        let gone: Vec<Target> = uins.iter().map(|&u| Target::Member(u)).collect();
        s.targets_removed(&gone);
        member_access::members_removed(s, uins);
    }
}

pub(crate) fn nodes_removed(inner: &mut Inner, org_id: u64, nodes: &[u64]) {
    if let Some(s) = inner.policies.orgs.get_mut(&org_id) {
        let gone: Vec<Target> = nodes.iter().map(|&n| Target::Node(n)).collect();
        s.targets_removed(&gone);
    }
}

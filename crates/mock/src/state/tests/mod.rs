//! Unit tests of the world, calling [`World::handle`] as the HTTP side does.
//!
//! Every call goes through [`Probe::call`], which checks that the test's request is valid
//! against the request shape (as the HTTP side guarantees), that every successful answer is
//! valid against the response shape, and that every error is documented for the action and
//! listed in the coverage table. It also records what it saw, so that the completeness tests
//! can tell that every stateful action answered and every modelled code was produced.

mod concurrency;
mod coverage_doc;
mod errors;
mod identity_center_access;
mod identity_center_assignments;
mod identity_center_groups;
mod identity_center_roles;
mod identity_center_saml;
mod identity_center_scim;
mod identity_center_sync;
mod identity_center_tasks;
mod identity_center_users;
mod identity_center_zone;
mod member_login;
mod policies;
mod resend;
mod services;
mod shapes;
mod sharing;
mod snapshot;
mod typed_answers;
mod workflow;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use serde_json::{json, Value};
use tco_spec::Version;

use super::{coverage, BusinessError, Call, World};

pub(super) const V18: Version = Version::V2018_12_25;
pub(super) const V21: Version = Version::V2021_03_31;

/// Registered accounts: a manager, and accounts to invite.
pub(super) const HOST: u64 = 100_000_000_001;
pub(super) const ALICE: u64 = 100_000_000_002;
pub(super) const BOB: u64 = 100_000_000_003;
pub(super) const CAROL: u64 = 100_000_000_004;
/// A UIN no account has.
pub(super) const NOBODY: u64 = 999_999_999_999;

/// 2021-04-16 11:49:39 UTC.
pub(super) const NOW: i64 = 1_618_573_779;
pub(super) const REQUEST_ID: &str = "00000000-0000-4000-8000-000000000000";

pub(super) struct Probe {
    pub world: World,
    pub now: Cell<i64>,
    ok_seen: RefCell<BTreeSet<(Version, String)>>,
    err_seen: RefCell<BTreeSet<(Version, String, String)>>,
    /// Every call made, in order (replayed by the snapshot tests).
    pub calls: RefCell<Vec<(Version, String, u64, Value)>>,
}

impl Probe {
    pub fn new() -> Self {
        let world = World::new();
        world.register_account(HOST, "host_name");
        world.register_account(ALICE, "alice");
        world.register_account(BOB, "bob");
        world.register_account(CAROL, "carol");
        Probe {
            world,
            now: Cell::new(NOW),
            ok_seen: RefCell::default(),
            err_seen: RefCell::default(),
            calls: RefCell::default(),
        }
    }

    pub fn call(
        &self,
        version: Version,
        action: &str,
        caller: u64,
        params: Value,
    ) -> Result<Value, BusinessError> {
        self.calls
            .borrow_mut()
            .push((version, action.to_owned(), caller, params.clone()));
        check_and_call(&self.world, version, action, caller, params, self.now.get())
            .inspect(|_| {
                self.ok_seen
                    .borrow_mut()
                    .insert((version, action.to_owned()));
            })
            .inspect_err(|e| {
                self.err_seen
                    .borrow_mut()
                    .insert((version, action.to_owned(), e.code.clone()));
            })
    }

    pub fn ok(&self, version: Version, action: &str, caller: u64, params: Value) -> Value {
        self.call(version, action, caller, params)
            .unwrap_or_else(|e| panic!("{version} {action} failed: {e}"))
    }

    /// Asserts the call fails with `code`.
    pub fn fails(
        &self,
        version: Version,
        action: &str,
        caller: u64,
        params: Value,
        code: &str,
    ) -> BusinessError {
        match self.call(version, action, caller, params) {
            Ok(body) => panic!("{version} {action} succeeded, expected {code}: {body}"),
            Err(e) => {
                assert_eq!(e.code, code, "{version} {action}: {}", e.message);
                e
            }
        }
    }

    pub fn succeeded(&self) -> BTreeSet<(Version, String)> {
        self.ok_seen.borrow().clone()
    }

    pub fn failed(&self) -> BTreeSet<(Version, String, String)> {
        self.err_seen.borrow().clone()
    }

    // Shortcuts for building worlds.

    /// A 2018 organization managed by `host`; its ID.
    pub fn org(&self, host: u64) -> u64 {
        self.ok(V18, "CreateOrganization", host, json!({"OrgType": 1}))["OrgId"]
            .as_u64()
            .unwrap()
    }

    pub fn root(&self, caller: u64) -> u64 {
        self.ok(V21, "DescribeOrganization", caller, json!({}))["RootNodeId"]
            .as_u64()
            .unwrap()
    }

    pub fn node(&self, host: u64, parent: u64, name: &str) -> u64 {
        self.ok(
            V18,
            "AddOrganizationNode",
            host,
            json!({"ParentNodeId": parent, "Name": name}),
        )["NodeId"]
            .as_u64()
            .unwrap()
    }

    /// A 2021 created member in `node`; its UIN.
    pub fn created(&self, host: u64, node: u64, name: &str) -> u64 {
        self.ok(
            V21,
            "CreateOrganizationMember",
            host,
            create_member(node, name),
        )["Uin"]
            .as_u64()
            .unwrap()
    }

    /// `invitee` joins `host`'s organization through a 2018 invitation.
    pub fn join(&self, host: u64, invitee: u64, name: &str) {
        self.ok(
            V18,
            "SendOrganizationInvitation",
            host,
            json!({"InviteUin": invitee, "Name": name, "Remark": "joined"}),
        );
        let id = self.pending_invitation(invitee);
        self.ok(
            V18,
            "AcceptOrganizationInvitation",
            invitee,
            json!({"Id": id}),
        );
    }

    /// The ID of the newest pending invitation `invitee` received.
    pub fn pending_invitation(&self, invitee: u64) -> u64 {
        let list = self.ok(
            V18,
            "ListOrganizationInvitations",
            invitee,
            json!({"Invited": 1, "Offset": 0, "Limit": 50}),
        );
        list["Invitations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["Status"] == 0)
            .map(|i| i["Id"].as_u64().unwrap())
            .max()
            .expect("a pending invitation")
    }

    /// Member UINs the 2021 version lists, all pages.
    pub fn members(&self, caller: u64) -> Vec<u64> {
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let page = self.ok(
                V21,
                "DescribeOrganizationMembers",
                caller,
                json!({"Offset": offset, "Limit": 50}),
            );
            let items = page["Items"].as_array().unwrap();
            out.extend(items.iter().map(|m| m["MemberUin"].as_u64().unwrap()));
            offset += 50;
            if offset >= page["Total"].as_u64().unwrap() {
                return out;
            }
        }
    }
}

/// A valid 2021 CreateOrganizationMember request.
pub(super) fn create_member(node: u64, name: &str) -> Value {
    json!({
        "Name": name,
        "PolicyType": "Financial",
        "PermissionIds": [1, 2],
        "NodeId": node,
        "AccountName": name,
    })
}

/// Calls the world after checking the request, then checks the answer (usable from threads).
pub(super) fn check_and_call(
    world: &World,
    version: Version,
    action: &str,
    caller: u64,
    params: Value,
    now: i64,
) -> Result<Value, BusinessError> {
    let spec = tco_spec::action(version, action).expect("action in the contract");
    let bad_request = spec.validate_request(&params);
    assert!(
        bad_request.is_empty(),
        "the test sends an invalid {version} {action} request: {bad_request:?}"
    );
    let call = Call {
        version,
        action,
        caller_uin: caller,
        params: &params,
        now,
        now_millis: now.saturating_mul(1000),
    };
    let answer = world
        .handle(&call)
        .unwrap_or_else(|| panic!("{version} {action} has no stateful handler"));
    match &answer {
        Ok(body) => {
            assert!(
                body.get("RequestId").is_none(),
                "{action} answers a RequestId"
            );
            let mut full = body.clone();
            full["RequestId"] = json!(REQUEST_ID);
            let bad_response = spec.validate_response(&full);
            assert!(
                bad_response.is_empty(),
                "{version} {action} answers out of shape: {bad_response:?}\n{full:#}"
            );
        }
        Err(e) => {
            assert!(
                spec.is_documented_error(&e.code),
                "{version} {action} answers undocumented {}",
                e.code
            );
            let row = coverage()
                .into_iter()
                .find(|r| r.version == version && r.action == action)
                .unwrap();
            assert!(
                row.errors_modelled.contains(&e.code.as_str()),
                "{version} {action} answers {} which the coverage table omits",
                e.code
            );
            assert!(!e.message.is_empty());
        }
    }
    answer
}
mod seed_forms;

//! The hot read actions answered from a typed view ([`World::answer`]) give the very bytes
//! that serialising their `Value` answer ([`World::handle`]) gives: for the manager, for a
//! member with a financial-management relationship, and when there is no organization.

use serde_json::json;

use super::*;
use crate::state::Members;

fn both(p: &Probe, caller: u64) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let params = json!({});
    let call = Call {
        version: V21,
        action: "DescribeOrganization",
        caller_uin: caller,
        params: &params,
        now: NOW,
        now_millis: NOW * 1000,
    };
    let typed = match p.world.answer(&call).expect("stateful") {
        Ok(Members::Json(bytes)) => Some(bytes),
        Ok(Members::Tree(_)) => panic!("DescribeOrganization should answer from its typed view"),
        Err(_) => None,
    };
    let tree = p.world.handle(&call).expect("stateful").ok();
    (typed, tree.map(|v| serde_json::to_vec(&v).unwrap()))
}

#[test]
fn describe_organization_typed_bytes_are_the_value_bytes() {
    let p = Probe::new();
    assert_eq!(both(&p, HOST), (None, None), "no organization yet");
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    p.ok(
        V21,
        "UpdateOrganizationMember",
        HOST,
        json!({"MemberUin": ALICE, "Name": "alice", "PolicyType": "Financial",
               "PermissionIds": [1, 2, 4], "PayUin": HOST.to_string()}),
    );
    for caller in [HOST, ALICE] {
        let (typed, tree) = both(&p, caller);
        let (typed, tree) = (typed.unwrap(), tree.unwrap());
        assert_eq!(
            String::from_utf8(typed).unwrap(),
            String::from_utf8(tree).unwrap()
        );
    }
    let member = p.ok(V21, "DescribeOrganization", ALICE, json!({}));
    assert_eq!(member["OrgPolicyType"], "Financial");
    assert_eq!(member["IsManager"], false);
}

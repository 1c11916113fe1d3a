//! SendOrgMemberAccountBindEmail: each modelled business code by its trigger, and its effect
//! read back from the binding.

use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::state::org::model::{MAX_RESENDS, MAX_RESENDS_PER_HOUR};

type Seen = BTreeSet<(Version, String, String)>;

fn bind_of(p: &Probe, uin: u64) -> serde_json::Value {
    p.ok(
        V21,
        "DescribeOrganizationMemberEmailBind",
        HOST,
        json!({ "MemberUin": uin }),
    )
}

/// One resend, read back: the binding's ApplyTime moves to the send, its BindTime stays.
pub(super) fn sent(p: &Probe) {
    p.org(HOST);
    let member = p.created(HOST, p.root(HOST), "svc");
    p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        json!({"MemberUin": member, "Email": "svc@example.com", "CountryCode": "86", "Phone": "1"}),
    );
    let bind = bind_of(p, member)["BindId"].clone();
    p.now.set(NOW + 90);
    p.ok(
        V21,
        "SendOrgMemberAccountBindEmail",
        HOST,
        json!({"MemberUin": member, "BindId": bind}),
    );
    let after = bind_of(p, member);
    assert_eq!(after["ApplyTime"], "2021-04-16 11:51:09");
    assert_eq!(after["BindTime"], "2021-04-16 11:49:39");
}

#[test]
fn a_resend_moves_the_apply_time() {
    sent(&Probe::new());
}

pub(super) fn errors() -> Seen {
    let p = Probe::new();
    p.org(HOST);
    p.join(HOST, ALICE, "alice");
    let member = p.created(HOST, p.root(HOST), "svc");
    p.ok(
        V21,
        "AddOrganizationMemberEmail",
        HOST,
        json!({"MemberUin": member, "Email": "svc@example.com", "CountryCode": "86", "Phone": "1"}),
    );
    let bind = bind_of(&p, member)["BindId"].as_u64().unwrap();
    let send = |caller, uin: u64, bind: u64| {
        p.call(
            V21,
            "SendOrgMemberAccountBindEmail",
            caller,
            json!({"MemberUin": uin, "BindId": bind}),
        )
    };
    let fails = |caller, uin: u64, bind: u64, code: &str| {
        p.fails(
            V21,
            "SendOrgMemberAccountBindEmail",
            caller,
            json!({"MemberUin": uin, "BindId": bind}),
            code,
        );
    };
    fails(CAROL, member, bind, "ResourceNotFound.OrganizationNotExist");
    fails(
        HOST,
        BOB,
        bind,
        "ResourceNotFound.OrganizationMemberNotExist",
    );
    fails(
        HOST,
        member,
        bind + 1,
        "ResourceNotFound.EmailBindRecordNotExist",
    );
    fails(
        HOST,
        ALICE,
        bind,
        "ResourceNotFound.EmailBindRecordNotExist",
    );

    // Three an hour: the fourth within the hour is refused, and allowed an hour after the first.
    for i in 0..MAX_RESENDS_PER_HOUR as i64 {
        p.now.set(NOW + i * 60);
        send(HOST, member, bind).unwrap();
        assert_eq!(
            bind_of(&p, member)["ApplyTime"],
            crate::state::org::model::format_time(NOW + i * 60)
        );
    }
    p.now.set(NOW + 3599);
    fails(
        HOST,
        member,
        bind,
        "LimitExceeded.SendEmailWithinOneHourLimit",
    );
    let mut t = NOW + 3600;
    let mut sent = MAX_RESENDS_PER_HOUR;
    while sent < MAX_RESENDS {
        p.now.set(t);
        send(HOST, member, bind).unwrap();
        sent += 1;
        t += 3600;
    }
    p.now.set(t + 86_400);
    fails(HOST, member, bind, "LimitExceeded.SendEmailLimit");
    // A changed binding starts the count again.
    p.ok(
        V21,
        "UpdateOrganizationMemberEmailBind",
        HOST,
        json!({"MemberUin": member, "BindId": bind, "Email": "new@example.com",
               "CountryCode": "86", "Phone": "2"}),
    );
    send(HOST, member, bind).unwrap();
    p.failed()
}

#[test]
fn resend_errors() {
    errors();
}

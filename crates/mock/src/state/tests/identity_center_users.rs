//! Identity Center users: what a create or update stores every read returns, the documented
//! codes from their triggers, lists and their paging.

use serde_json::json;

use super::identity_center_zone::{
    group, ids, join, opened, user, walk, with_zone, zone_checks, Seen,
};
use super::*;

const NOT_EXIST: &str = "ResourceNotFound.UserNotExist";

fn create(p: &Probe, zone: &str, params: serde_json::Value, code: &str) {
    p.fails(V21, "CreateUser", HOST, with_zone(zone, params), code);
}

pub(super) fn triggers() -> Seen {
    let (p, zone) = opened();
    let zone = zone.as_str();
    let a = user(&p, zone, "a");
    let ghost = json!({"UserId": "u-00000000"});
    for (action, params) in [
        ("CreateUser", json!({"UserName": "x"})),
        ("GetUser", json!({"UserId": a})),
        ("ListUsers", json!({})),
        ("UpdateUser", json!({"UserId": a})),
        (
            "UpdateUserStatus",
            json!({"UserId": a, "NewUserStatus": "Disabled"}),
        ),
        ("DeleteUser", json!({"UserId": a})),
    ] {
        zone_checks(&p, zone, action, params);
    }

    // CreateUser: formats, lengths, enums, uniqueness.
    let long = |n: usize| "x".repeat(n);
    for bad in [
        "",
        "with space",
        "tab\tname",
        "名字",
        "a/b",
        long(65).as_str(),
    ] {
        create(
            &p,
            zone,
            json!({"UserName": bad}),
            "InvalidParameter.UsernameFormatError",
        );
    }
    for (key, n) in [
        ("FirstName", 65),
        ("LastName", 65),
        ("DisplayName", 257),
        ("Description", 1025),
    ] {
        create(
            &p,
            zone,
            json!({"UserName": "fine", key: long(n)}),
            "InvalidParameterValue",
        );
    }
    for (key, bad) in [
        ("UserStatus", "On"),
        ("UserType", "Imported"),
        ("Email", "no-at-sign"),
        ("Email", "two@@example.com"),
        ("Email", "@example.com"),
    ] {
        create(
            &p,
            zone,
            json!({"UserName": "fine", key: bad}),
            "InvalidParameterValue",
        );
    }
    create(
        &p,
        zone,
        json!({"UserName": "fine", "Email": format!("{}@example.com", long(120))}),
        "InvalidParameterValue",
    );
    p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": "Alice", "Email": "alice@example.com"}),
    );
    create(
        &p,
        zone,
        json!({"UserName": "ALICE"}),
        "InvalidParameter.UsernameAlreadyExists",
    );
    create(
        &p,
        zone,
        json!({"UserName": "alice2", "Email": "Alice@Example.com"}),
        "InvalidParameter.EmailAlreadyExists",
    );

    // Reads and changes of a user that does not exist.
    p.fails(
        V21,
        "GetUser",
        HOST,
        with_zone(zone, ghost.clone()),
        NOT_EXIST,
    );
    p.fails(
        V21,
        "UpdateUser",
        HOST,
        with_zone(zone, ghost.clone()),
        NOT_EXIST,
    );
    p.fails(
        V21,
        "UpdateUserStatus",
        HOST,
        with_zone(
            zone,
            json!({"UserId": "u-00000000", "NewUserStatus": "Enabled"}),
        ),
        NOT_EXIST,
    );
    p.fails(V21, "DeleteUser", HOST, with_zone(zone, ghost), NOT_EXIST);

    // UpdateUser: email taken by another, malformed values.
    p.fails(
        V21,
        "UpdateUser",
        HOST,
        json!({"ZoneId": zone, "UserId": a, "NewEmail": "ALICE@example.com"}),
        "InvalidParameter.EmailAlreadyExists",
    );
    for (key, bad) in [
        ("NewEmail", "nope".to_owned()),
        ("NewFirstName", long(65)),
        ("NewDescription", long(1025)),
    ] {
        p.fails(
            V21,
            "UpdateUser",
            HOST,
            json!({"ZoneId": zone, "UserId": a, key: bad}),
            "InvalidParameterValue",
        );
    }
    p.fails(
        V21,
        "UpdateUserStatus",
        HOST,
        json!({"ZoneId": zone, "UserId": a, "NewUserStatus": "Paused"}),
        "InvalidParameterValue",
    );

    // A synchronized user is locked while SCIM synchronization is on, and only then.
    let synced = p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": "synced", "UserType": "Synchronized"}),
    )["UserInfo"]["UserId"]
        .clone();
    p.ok(
        V21,
        "UpdateSCIMSynchronizationStatus",
        HOST,
        json!({"ZoneId": zone, "SCIMSynchronizationStatus": "Enabled"}),
    );
    p.fails(
        V21,
        "UpdateUser",
        HOST,
        json!({"ZoneId": zone, "UserId": synced, "NewDescription": "changed"}),
        "FailedOperation.SynchronizedUserNotUpdate",
    );
    p.fails(
        V21,
        "UpdateUserStatus",
        HOST,
        json!({"ZoneId": zone, "UserId": synced, "NewUserStatus": "Disabled"}),
        "FailedOperation.SynchronizedUserNotUpdate",
    );
    p.fails(
        V21,
        "DeleteUser",
        HOST,
        json!({"ZoneId": zone, "UserId": synced}),
        "FailedOperation.SynchronizedUserNotDelete",
    );
    // Manual users are not locked.
    p.ok(
        V21,
        "UpdateUser",
        HOST,
        json!({"ZoneId": zone, "UserId": a, "NewDescription": "still mine"}),
    );
    p.ok(
        V21,
        "UpdateSCIMSynchronizationStatus",
        HOST,
        json!({"ZoneId": zone, "SCIMSynchronizationStatus": "Disabled"}),
    );
    p.ok(
        V21,
        "UpdateUser",
        HOST,
        json!({"ZoneId": zone, "UserId": synced, "NewDescription": "changed"}),
    );

    // A user in a group cannot be deleted.
    let g = group(&p, zone, "team", "Manual");
    join(&p, zone, &g, &a);
    p.fails(
        V21,
        "DeleteUser",
        HOST,
        json!({"ZoneId": zone, "UserId": a}),
        "InvalidParameter.UserAlreadyExistsGroup",
    );

    // ListUsers: sort, enum filters, page size, token.
    for (key, bad) in [
        ("SortField", "UserName"),
        ("SortType", "Up"),
        ("UserStatus", "On"),
        ("UserType", "Imported"),
    ] {
        p.fails(
            V21,
            "ListUsers",
            HOST,
            json!({"ZoneId": zone, key: bad}),
            "InvalidParameter.ParamError",
        );
    }
    for bad in [0, 101] {
        p.fails(
            V21,
            "ListUsers",
            HOST,
            json!({"ZoneId": zone, "MaxResults": bad}),
            "InvalidParameterValue",
        );
    }
    p.fails(
        V21,
        "ListUsers",
        HOST,
        json!({"ZoneId": zone, "NextToken": "not-a-token"}),
        "InvalidParameter.NextTokenInvalid",
    );
    p.fails(
        V21,
        "ListUsers",
        HOST,
        json!({"ZoneId": zone, "Offset": -1}),
        "InvalidParameterValue",
    );

    let mut seen = p.failed();
    seen.extend(user_limit());
    seen
}

/// The zone's thousandth user is its last.
fn user_limit() -> Seen {
    let (p, zone) = opened();
    for i in 0..1000 {
        user(&p, &zone, &format!("user{i}"));
    }
    p.fails(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": "one-too-many"}),
        "FailedOperation.UserOverUpperLimit",
    );
    // Room again once one goes.
    let first = walk(&p, "ListUsers", json!({"ZoneId": zone}), "Users", 100)[0]["UserId"].clone();
    p.ok(
        V21,
        "DeleteUser",
        HOST,
        json!({"ZoneId": zone, "UserId": first}),
    );
    user(&p, &zone, "one-too-many");
    p.failed()
}

#[test]
fn user_errors() {
    triggers();
}

#[test]
fn what_create_and_update_store_every_read_returns() {
    let (p, zone) = opened();
    let created = p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": "Alice", "FirstName": "Alice", "LastName": "Liddell",
               "DisplayName": "Alice L.", "Description": "This is a user.", "Email": "alice@example.com",
               "UserStatus": "Disabled", "UserType": "Manual", "NeedResetPassword": true}),
    )["UserInfo"]
        .clone();
    let id = created["UserId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("u-") && id.len() == 10, "{id}");
    let expected = json!({
        "UserName": "Alice", "FirstName": "Alice", "LastName": "Liddell", "DisplayName": "Alice L.",
        "Description": "This is a user.", "Email": "alice@example.com", "UserStatus": "Disabled",
        "UserType": "Manual", "UserId": id, "CreateTime": "2021-04-16 11:49:39",
        "UpdateTime": "2021-04-16 11:49:39", "IsSelected": false, "NeedResetPassword": true,
    });
    assert_eq!(created, expected);
    let got = p.ok(V21, "GetUser", HOST, json!({"ZoneId": zone, "UserId": id}))["UserInfo"].clone();
    assert_eq!(got, expected);
    let listed = p.ok(V21, "ListUsers", HOST, json!({"ZoneId": zone}));
    assert_eq!(listed["Users"][0], expected);
    assert_eq!(listed["TotalCounts"], 1);

    p.now.set(NOW + 3600);
    let updated = p.ok(
        V21,
        "UpdateUser",
        HOST,
        json!({"ZoneId": zone, "UserId": id, "NewFirstName": "Al", "NewEmail": "al@example.com",
               "NewDescription": "", "NeedResetPassword": false}),
    )["UserInfo"]
        .clone();
    p.ok(
        V21,
        "UpdateUserStatus",
        HOST,
        json!({"ZoneId": zone, "UserId": id, "NewUserStatus": "Enabled"}),
    );
    let got = p.ok(V21, "GetUser", HOST, json!({"ZoneId": zone, "UserId": id}))["UserInfo"].clone();
    for (key, value) in [
        ("FirstName", json!("Al")),
        ("LastName", json!("Liddell")),
        ("DisplayName", json!("Alice L.")),
        ("Email", json!("al@example.com")),
        ("Description", json!("")),
        ("NeedResetPassword", json!(false)),
        ("UserStatus", json!("Enabled")),
        ("UpdateTime", json!("2021-04-16 12:49:39")),
        ("CreateTime", json!("2021-04-16 11:49:39")),
    ] {
        assert_eq!(got[key], value, "{key}");
    }
    assert_eq!(updated["FirstName"], "Al");
    // The freed email is anyone's again; the user's own is no conflict.
    p.ok(
        V21,
        "CreateUser",
        HOST,
        json!({"ZoneId": zone, "UserName": "other", "Email": "alice@example.com"}),
    );
    p.ok(
        V21,
        "UpdateUser",
        HOST,
        json!({"ZoneId": zone, "UserId": id, "NewEmail": "al@example.com"}),
    );

    p.ok(
        V21,
        "DeleteUser",
        HOST,
        json!({"ZoneId": zone, "UserId": id}),
    );
    p.fails(
        V21,
        "GetUser",
        HOST,
        json!({"ZoneId": zone, "UserId": id}),
        NOT_EXIST,
    );
    // Its name is free again.
    user(&p, &zone, "Alice");
}

#[test]
fn list_users_filters_and_sorts() {
    let (p, zone) = opened();
    let mk = |name: &str, extra: serde_json::Value| {
        let mut params = json!({"ZoneId": zone, "UserName": name});
        params
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        p.ok(V21, "CreateUser", HOST, params)["UserInfo"]["UserId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let ann = mk(
        "ann",
        json!({"Email": "ann@corp.example", "Description": "Finance"}),
    );
    let ben = mk("ben", json!({"UserStatus": "Disabled"}));
    let cat = mk(
        "cat",
        json!({"UserType": "Synchronized", "Description": "finance lead"}),
    );
    let list = |extra: serde_json::Value| {
        let items = walk(&p, "ListUsers", with_zone(&zone, extra), "Users", 100);
        ids(&items, "UserId")
    };
    assert_eq!(list(json!({})), [ann.clone(), ben.clone(), cat.clone()]);
    assert_eq!(
        list(json!({"SortField": "CreateTime", "SortType": "Desc"})),
        [cat.clone(), ben.clone(), ann.clone()]
    );
    assert_eq!(list(json!({"UserStatus": "Disabled"})), [ben.as_str()]);
    assert_eq!(list(json!({"UserType": "Synchronized"})), [cat.as_str()]);
    // Filter: name, email, ID or description, any case.
    assert_eq!(
        list(json!({"Filter": "FINANCE"})),
        [ann.clone(), cat.clone()]
    );
    assert_eq!(list(json!({"Filter": "corp.example"})), [ann.as_str()]);
    assert_eq!(list(json!({"Filter": &ben[2..]})), [ben.as_str()]);
    let filtered = p.ok(
        V21,
        "ListUsers",
        HOST,
        json!({"ZoneId": zone, "Filter": "finance", "MaxResults": 1}),
    );
    assert_eq!(filtered["TotalCounts"], 2, "totals count what matched");
    assert_eq!(filtered["IsTruncated"], true);
    // FilterGroups marks the members of those groups.
    let g = group(&p, &zone, "payroll", "Manual");
    join(&p, &zone, &g, &ann);
    let marked = p.ok(
        V21,
        "ListUsers",
        HOST,
        json!({"ZoneId": zone, "FilterGroups": [g]}),
    );
    let selected: Vec<bool> = marked["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["IsSelected"].as_bool().unwrap())
        .collect();
    assert_eq!(selected, [true, false, false]);
    // Offset skips on the first page; the token continues after it.
    let skipped = p.ok(
        V21,
        "ListUsers",
        HOST,
        json!({"ZoneId": zone, "Offset": 1, "MaxResults": 1}),
    );
    assert_eq!(
        ids(skipped["Users"].as_array().unwrap(), "UserId"),
        [ben.as_str()]
    );
    assert_eq!(skipped["TotalCounts"], 3);
    let rest = p.ok(
        V21,
        "ListUsers",
        HOST,
        json!({"ZoneId": zone, "Offset": 1, "MaxResults": 5, "NextToken": skipped["NextToken"]}),
    );
    assert_eq!(ids(rest["Users"].as_array().unwrap(), "UserId"), [cat]);
}

/// Paging through 120 users seven at a time while users are added sees each original user
/// exactly once.
#[test]
fn a_walk_sees_every_user_once_while_users_are_added() {
    let (p, zone) = opened();
    let original: Vec<String> = (0..120)
        .map(|i| user(&p, &zone, &format!("u{i:03}")))
        .collect();
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut added = 0;
    loop {
        let mut params = json!({"ZoneId": zone, "MaxResults": 7});
        if !token.is_empty() {
            params["NextToken"] = json!(token);
        }
        let page = p.ok(V21, "ListUsers", HOST, params);
        seen.extend(ids(page["Users"].as_array().unwrap(), "UserId"));
        user(&p, &zone, &format!("late{added}"));
        added += 1;
        if page["IsTruncated"] == false {
            break;
        }
        token = page["NextToken"].as_str().unwrap().to_owned();
    }
    for id in &original {
        assert_eq!(seen.iter().filter(|s| *s == id).count(), 1, "{id}");
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no user twice");
}

//! Users over HTTP: each action's effect read back by another; paging while users are added.

use std::collections::BTreeMap;

use serde_json::json;
use tco_client::models::v2021_03_31::{
    CreateUserRequest, GetUserRequest, ListUsersRequest, UpdateUserRequest,
};

use super::{ids, opened, user, z};

#[tokio::test]
async fn create_user_then_get_and_list_it() {
    let (w, zone) = opened().await;
    let api = w.host.v2021_03_31();
    let created = api
        .create_user(CreateUserRequest {
            zone_id: zone.clone(),
            user_name: "Alice".into(),
            first_name: Some("Alice".into()),
            last_name: Some("Liddell".into()),
            email: Some("alice@example.com".into()),
            need_reset_password: Some(true),
            ..Default::default()
        })
        .await
        .unwrap()
        .user_info;
    let got = api
        .get_user(GetUserRequest {
            zone_id: zone.clone(),
            user_id: created.user_id.clone(),
        })
        .await
        .unwrap()
        .user_info;
    assert_eq!(got, created);
    assert_eq!(got.user_name, "Alice");
    assert_eq!(got.last_name, "Liddell");
    assert_eq!(got.user_status, "Enabled");
    assert_eq!(got.user_type, "Manual");
    assert_eq!(got.need_reset_password, Some(true));
    let listed = api
        .list_users(ListUsersRequest {
            zone_id: zone.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.total_counts, 1);
    assert_eq!(listed.users, [created]);
    w.fails(
        "CreateUser",
        json!({"ZoneId": zone, "UserName": "alice"}),
        "InvalidParameter.UsernameAlreadyExists",
    )
    .await;
    w.fails(
        "CreateUser",
        json!({"ZoneId": zone, "UserName": "bad name"}),
        "InvalidParameter.UsernameFormatError",
    )
    .await;
}

#[tokio::test]
async fn update_user_and_its_status_are_read_back() {
    let (w, zone) = opened().await;
    let id = user(&w, &zone, "bob").await;
    let updated = w
        .host
        .v2021_03_31()
        .update_user(UpdateUserRequest {
            zone_id: zone.clone(),
            user_id: id.clone(),
            new_display_name: Some("Bob B.".into()),
            new_email: Some("bob@example.com".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .user_info
        .expect("UpdateUser answers its UserInfo");
    assert_eq!(updated.display_name, "Bob B.");
    w.ok(
        "UpdateUserStatus",
        z(&zone, json!({"UserId": id, "NewUserStatus": "Disabled"})),
    )
    .await;
    let got = w.ok("GetUser", z(&zone, json!({"UserId": id}))).await["UserInfo"].clone();
    assert_eq!(got["DisplayName"], "Bob B.");
    assert_eq!(got["Email"], "bob@example.com");
    assert_eq!(got["UserStatus"], "Disabled");
    let disabled = w
        .ok("ListUsers", z(&zone, json!({"UserStatus": "Disabled"})))
        .await;
    assert_eq!(ids(&disabled["Users"], "UserId"), [id]);
}

#[tokio::test]
async fn delete_user_then_it_is_gone() {
    let (w, zone) = opened().await;
    let id = user(&w, &zone, "carol").await;
    w.ok("DeleteUser", z(&zone, json!({"UserId": id}))).await;
    w.fails(
        "GetUser",
        z(&zone, json!({"UserId": id})),
        "ResourceNotFound.UserNotExist",
    )
    .await;
    let listed = w.ok("ListUsers", z(&zone, json!({}))).await;
    assert_eq!(listed["TotalCounts"], 0);
    w.fails(
        "DeleteUser",
        z(&zone, json!({"UserId": id})),
        "ResourceNotFound.UserNotExist",
    )
    .await;
}

/// 120 users, walked seven at a time while a user is added after each page: every original
/// user exactly once, in creation order; `TotalCounts` grows with the additions.
#[tokio::test]
async fn paging_through_120_users_while_users_are_added() {
    let (w, zone) = opened().await;
    let mut original = Vec::new();
    for i in 0..120 {
        original.push(user(&w, &zone, &format!("user-{i:03}")).await);
    }
    let api = w.host.v2021_03_31();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = api
            .list_users(ListUsersRequest {
                zone_id: zone.clone(),
                max_results: Some(7),
                next_token: token.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        pages += 1;
        assert!(page.users.len() <= 7);
        assert_eq!(page.max_results, 7);
        assert_eq!(page.total_counts, 120 + pages - 1);
        seen.extend(page.users.into_iter().map(|u| u.user_id));
        user(&w, &zone, &format!("late-{pages}")).await;
        if !page.is_truncated {
            assert!(page.next_token.is_empty());
            break;
        }
        token = Some(page.next_token);
    }
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &seen {
        *count.entry(id.as_str()).or_default() += 1;
    }
    assert!(count.values().all(|&n| n == 1), "no user twice");
    let first_120: Vec<&String> = seen.iter().take(120).collect();
    assert_eq!(first_120, original.iter().collect::<Vec<_>>());
}

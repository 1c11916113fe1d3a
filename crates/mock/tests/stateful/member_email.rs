//! SendOrgMemberAccountBindEmail over HTTP: a resend moves the binding's ApplyTime, on the
//! one clock the client and the mock share.

use serde_json::json;
use tco_client::models::v2021_03_31::*;
use tco_mock::ManualClock;
use tco_mock::MockServer;

#[tokio::test]
async fn a_resend_is_read_back_from_the_binding() {
    // One clock for both sides: the resend's ApplyTime is the time the test moved it to.
    let clock = ManualClock::at_secs(1_700_000_000);
    let mock = MockServer::builder().clock(clock.clone()).start().await;
    let host = tco_client::Client::builder()
        .endpoint(mock.uri())
        .credentials(mock.default_credentials())
        .clock(clock.clone())
        .build()
        .unwrap();
    let api = host.v2021_03_31();
    api.create_organization(CreateOrganizationRequest::default())
        .await
        .unwrap();
    let root = host
        .call_json(
            tco_client::Version::V2021_03_31,
            "DescribeOrganization",
            json!({}),
        )
        .await
        .unwrap()["RootNodeId"]
        .as_i64()
        .unwrap();
    let uin = api
        .create_organization_member(CreateOrganizationMemberRequest {
            name: "svc".into(),
            policy_type: "Financial".into(),
            permission_ids: vec![1, 2],
            node_id: root,
            account_name: "svc".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .uin;
    let bind_id = api
        .add_organization_member_email(AddOrganizationMemberEmailRequest {
            member_uin: uin,
            email: "svc@example.com".into(),
            country_code: "86".into(),
            phone: "13800000000".into(),
        })
        .await
        .unwrap()
        .bind_id
        .expect("a binding ID") as i64;
    clock.advance(std::time::Duration::from_secs(90));
    api.send_org_member_account_bind_email(SendOrgMemberAccountBindEmailRequest {
        member_uin: uin,
        bind_id,
    })
    .await
    .unwrap();
    let bind = api
        .describe_organization_member_email_bind(DescribeOrganizationMemberEmailBindRequest {
            member_uin: uin,
        })
        .await
        .unwrap();
    // 1_700_000_000 is 2023-11-14 22:13:20 UTC.
    assert_eq!(bind.apply_time, "2023-11-14 22:14:50");
    assert_eq!(bind.bind_time, "2023-11-14 22:13:20");
}

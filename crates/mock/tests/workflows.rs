//! The state workflows end to end over real HTTP, signed by the project's signer: both API
//! versions on one world, paging, and concurrent creates and moves keeping the invariants.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use common::{call, code_of, Harness, V2018, V2021};
use serde_json::{json, Value};

async fn ok(h: &Harness, action: &str, version: &str, params: Value) -> Value {
    let response = h.call(&call(action, version).params(params.clone())).await;
    assert_eq!(code_of(&response), "OK", "{action} {params}: {response}");
    let contract = tco_spec::action(version.parse().unwrap(), action).unwrap();
    assert!(
        contract.validate_response(&response).is_empty(),
        "{action}: {response}"
    );
    response
}

async fn code(h: &Harness, action: &str, version: &str, params: Value) -> String {
    h.code(&call(action, version).params(params)).await
}

fn create_member(name: &str, node: u64) -> Value {
    json!({"Name": name, "PolicyType": "Financial", "PermissionIds": [1, 2], "NodeId": node, "AccountName": name})
}

#[tokio::test]
async fn organization_2018_then_2021_on_one_world() {
    let h = Harness::new().await;
    let org = ok(&h, "CreateOrganization", V2018, json!({"OrgType": 1})).await;
    assert_eq!(
        code(&h, "CreateOrganization", V2021, json!({})).await,
        "FailedOperation.OrganizationExistAlready"
    );
    let described = ok(&h, "DescribeOrganization", V2021, json!({})).await;
    assert_eq!(
        described["OrgId"], org["OrgId"],
        "the 2021 view sees the 2018 organization"
    );
    let root = described["RootNodeId"].as_u64().unwrap();

    let unit = ok(
        &h,
        "AddOrganizationNode",
        V2018,
        json!({"ParentNodeId": root, "Name": "finance"}),
    )
    .await;
    let unit = unit["NodeId"].as_u64().unwrap();
    assert_eq!(
        code(
            &h,
            "AddOrganizationNode",
            V2018,
            json!({"ParentNodeId": root, "Name": "finance"})
        )
        .await,
        "ResourceInUse.NodeName"
    );
    let nodes = ok(
        &h,
        "DescribeOrganizationNodes",
        V2021,
        json!({"Limit": 50, "Offset": 0}),
    )
    .await;
    let ids: HashSet<u64> = nodes["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["NodeId"].as_u64().unwrap())
        .collect();
    assert!(ids.contains(&root) && ids.contains(&unit), "{nodes}");

    let member = ok(
        &h,
        "CreateOrganizationMember",
        V2021,
        create_member("alice", unit),
    )
    .await;
    let uin = member["Uin"].as_u64().unwrap();
    let in_unit = ok(
        &h,
        "ListOrganizationNodeMembers",
        V2018,
        json!({"NodeId": unit, "Offset": 0, "Limit": 10}),
    )
    .await;
    assert_eq!(in_unit["TotalCount"], 1, "{in_unit}");
    assert_eq!(
        code(
            &h,
            "DeleteOrganizationNodes",
            V2021,
            json!({"NodeId": [unit]})
        )
        .await,
        "FailedOperation.NodeNotEmpty"
    );

    ok(
        &h,
        "MoveOrganizationNodeMembers",
        V2021,
        json!({"NodeId": root, "MemberUin": [uin]}),
    )
    .await;
    ok(
        &h,
        "UpdateOrganizationMember",
        V2021,
        json!({"MemberUin": uin, "Name": "alice-2"}),
    )
    .await;
    let listed = ok(
        &h,
        "ListOrganizationMembers",
        V2018,
        json!({"Offset": 0, "Limit": 10}),
    )
    .await;
    assert!(listed.to_string().contains("alice-2"), "{listed}");

    ok(
        &h,
        "DeleteOrganizationNodes",
        V2021,
        json!({"NodeId": [unit]}),
    )
    .await;
    ok(&h, "AddOrganizationMemberEmail", V2021, json!({"MemberUin": uin, "Email": "a@example.com", "CountryCode": "86", "Phone": "13800000000"})).await;
    ok(
        &h,
        "DeleteOrganizationMembers",
        V2021,
        json!({"MemberUin": [uin]}),
    )
    .await;
    ok(&h, "DeleteOrganization", V2018, json!({})).await;
    assert_eq!(
        code(&h, "GetOrganization", V2018, json!({})).await,
        "ResourceNotFound.OrganizationNotExist"
    );
}

#[tokio::test]
async fn paging_counts_and_limits() {
    let h = Harness::new().await;
    ok(&h, "CreateOrganization", V2021, json!({})).await;
    let root = ok(&h, "DescribeOrganization", V2021, json!({})).await["RootNodeId"]
        .as_u64()
        .unwrap();
    for i in 0..12 {
        ok(
            &h,
            "AddOrganizationNode",
            V2021,
            json!({"ParentNodeId": root, "Name": format!("unit-{i:02}")}),
        )
        .await;
    }
    let mut seen = HashSet::new();
    for offset in [0, 5, 10] {
        let page = ok(
            &h,
            "DescribeOrganizationNodes",
            V2021,
            json!({"Limit": 5, "Offset": offset}),
        )
        .await;
        assert_eq!(page["Total"], 13, "twelve units and the root");
        for item in page["Items"].as_array().unwrap() {
            assert!(
                seen.insert(item["NodeId"].as_u64().unwrap()),
                "pages do not overlap"
            );
        }
    }
    assert_eq!(seen.len(), 13);
    let beyond = ok(
        &h,
        "DescribeOrganizationNodes",
        V2021,
        json!({"Limit": 5, "Offset": 100}),
    )
    .await;
    assert_eq!(beyond["Items"].as_array().unwrap().len(), 0);
    for limit in [0, 51] {
        assert_eq!(
            code(
                &h,
                "DescribeOrganizationNodes",
                V2021,
                json!({"Limit": limit, "Offset": 0})
            )
            .await,
            "InvalidParameterValue",
            "Limit {limit}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_and_moves_keep_every_member_in_one_node() {
    let h = Arc::new(Harness::with(|b| b.rate_limit_default(100_000)).await);
    ok(&h, "CreateOrganization", V2021, json!({})).await;
    let root = ok(&h, "DescribeOrganization", V2021, json!({})).await["RootNodeId"]
        .as_u64()
        .unwrap();
    let mut units = vec![root];
    for i in 0..4 {
        units.push(
            ok(
                &h,
                "AddOrganizationNode",
                V2021,
                json!({"ParentNodeId": root, "Name": format!("u{i}")}),
            )
            .await["NodeId"]
                .as_u64()
                .unwrap(),
        );
    }
    let units = Arc::new(units);
    let mut tasks = Vec::new();
    for t in 0..16u64 {
        let (h, units) = (h.clone(), units.clone());
        tasks.push(tokio::spawn(async move {
            let mut created = Vec::new();
            for i in 0..6u64 {
                let node = units[((t + i) % units.len() as u64) as usize];
                let r = h
                    .call(
                        &call("CreateOrganizationMember", V2021)
                            .params(create_member(&format!("m{t}-{i}"), node)),
                    )
                    .await;
                if let Some(uin) = r["Uin"].as_u64() {
                    created.push(uin);
                    let target = units[((t * 7 + i) % units.len() as u64) as usize];
                    let moved = h
                        .call(
                            &call("MoveOrganizationNodeMembers", V2021)
                                .params(json!({"NodeId": target, "MemberUin": [uin]})),
                        )
                        .await;
                    assert_eq!(code_of(&moved), "OK", "{moved}");
                }
            }
            created
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        created.extend(task.await.unwrap());
    }
    assert_eq!(created.len(), 96, "every create succeeded");

    // Each member appears in exactly one unit's listing, and that unit exists.
    let mut home: HashMap<u64, u64> = HashMap::new();
    for &unit in units.iter() {
        let mut offset = 0;
        loop {
            let page = ok(
                &h,
                "DescribeOrganizationMembers",
                V2021,
                json!({"Offset": offset, "Limit": 50, "NodeId": unit}),
            )
            .await;
            let items = page["Items"].as_array().unwrap();
            for item in items {
                let uin = item["MemberUin"].as_u64().unwrap();
                assert!(
                    home.insert(uin, unit).is_none(),
                    "member {uin} listed in two units"
                );
            }
            if items.len() < 50 {
                break;
            }
            offset += 50;
        }
    }
    for uin in &created {
        assert!(home.contains_key(uin), "member {uin} is in no unit");
    }
}

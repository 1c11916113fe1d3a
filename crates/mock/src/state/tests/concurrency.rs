//! Many threads changing one world at once: no lost update, no broken invariant.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::thread;

use serde_json::{json, Value};

use super::*;

const THREADS: u64 = 16;
const ROUNDS: u64 = 60;

/// A small deterministic generator (no dependency, reproducible failures).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

fn call(
    world: &World,
    version: Version,
    action: &str,
    params: Value,
) -> Result<Value, BusinessError> {
    check_and_call(world, version, action, HOST, params, NOW)
}

fn node_ids(world: &World) -> Vec<u64> {
    call(world, V18, "ListOrganizationNodes", json!({})).unwrap()["Nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["NodeId"].as_u64().unwrap())
        .collect()
}

#[test]
fn concurrent_creates_moves_and_deletes_keep_the_invariants() {
    let world = Arc::new(World::new());
    world.register_account(HOST, "host_name");
    call(&world, V21, "CreateOrganization", json!({})).unwrap();
    let root = call(&world, V21, "DescribeOrganization", json!({})).unwrap()["RootNodeId"]
        .as_u64()
        .unwrap();
    for i in 0..6 {
        call(
            &world,
            V18,
            "AddOrganizationNode",
            json!({"ParentNodeId": root, "Name": format!("seed{i}")}),
        )
        .unwrap();
    }

    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let world = Arc::clone(&world);
            thread::spawn(move || {
                let mut rng = Lcg(t + 1);
                let mut mine: Vec<u64> = Vec::new();
                let mut removed = 0u64;
                for round in 0..ROUNDS {
                    let nodes = node_ids(&world);
                    let node = nodes[rng.next(nodes.len())];
                    match rng.next(10) {
                        // Create a member somewhere (the unit may vanish meanwhile).
                        0..=3 => {
                            let name = format!("t{t}r{round}");
                            if let Ok(out) = call(
                                &world,
                                V21,
                                "CreateOrganizationMember",
                                create_member(node, &name),
                            ) {
                                mine.push(out["Uin"].as_u64().unwrap());
                            }
                        }
                        // Move a few of this thread's members, with either version.
                        4..=6 if !mine.is_empty() => {
                            let pick: Vec<u64> =
                                (0..3).map(|_| mine[rng.next(mine.len())]).collect();
                            let _ = if round % 2 == 0 {
                                call(
                                    &world,
                                    V18,
                                    "MoveOrganizationMembersToNode",
                                    json!({"NodeId": node, "Uins": pick}),
                                )
                            } else {
                                call(
                                    &world,
                                    V21,
                                    "MoveOrganizationNodeMembers",
                                    json!({"NodeId": node, "MemberUin": pick}),
                                )
                            };
                        }
                        // Add a unit, or try to delete one (fails while it is not empty).
                        7 => {
                            let _ = call(
                                &world,
                                V21,
                                "AddOrganizationNode",
                                json!({"ParentNodeId": node, "Name": format!("t{t}n{round}")}),
                            );
                        }
                        8 => {
                            let _ = call(
                                &world,
                                V21,
                                "DeleteOrganizationNodes",
                                json!({"NodeId": [node]}),
                            );
                        }
                        // Remove one of this thread's members (email first).
                        _ if !mine.is_empty() => {
                            let uin = mine.swap_remove(rng.next(mine.len()));
                            call(
                                &world,
                                V21,
                                "AddOrganizationMemberEmail",
                                json!({"MemberUin": uin, "Email": format!("{uin}@example.com"),
                                       "CountryCode": "86", "Phone": "1"}),
                            )
                            .unwrap();
                            call(
                                &world,
                                V21,
                                "DeleteOrganizationMembers",
                                json!({"MemberUin": [uin]}),
                            )
                            .unwrap();
                            removed += 1;
                        }
                        _ => {}
                    }
                }
                (mine, removed)
            })
        })
        .collect();

    let mut expected: BTreeSet<u64> = BTreeSet::new();
    for w in workers {
        let (mine, _) = w.join().expect("a worker panicked");
        for uin in mine {
            assert!(expected.insert(uin), "UIN {uin} handed out twice");
        }
    }

    // Every surviving member is listed exactly once, in a unit that exists.
    let nodes = call(&world, V18, "ListOrganizationNodes", json!({})).unwrap();
    let nodes = nodes["Nodes"].as_array().unwrap();
    let parents: BTreeMap<u64, u64> = nodes
        .iter()
        .map(|n| {
            (
                n["NodeId"].as_u64().unwrap(),
                n["ParentNodeId"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(parents.len(), nodes.len(), "unit IDs are unique");
    for (id, parent) in &parents {
        assert!(
            *id == root || parents.contains_key(parent),
            "unit {id} lost its parent {parent}"
        );
    }
    assert_eq!(parents[&root], 0);

    let mut listed = Vec::new();
    let mut offset = 0;
    loop {
        let page = call(
            &world,
            V21,
            "DescribeOrganizationMembers",
            json!({"Offset": offset, "Limit": 50}),
        )
        .unwrap();
        for m in page["Items"].as_array().unwrap() {
            let node = m["NodeId"].as_u64().unwrap();
            assert!(parents.contains_key(&node), "member in missing unit {node}");
            listed.push(m["MemberUin"].as_u64().unwrap());
        }
        offset += 50;
        if offset >= page["Total"].as_u64().unwrap() {
            break;
        }
    }
    let listed_set: BTreeSet<u64> = listed.iter().copied().collect();
    assert_eq!(listed_set.len(), listed.len(), "a member listed twice");
    assert_eq!(listed_set, expected, "members lost or invented");

    // Per-unit counts add up to the total, in both versions.
    let counted: u64 = nodes
        .iter()
        .map(|n| n["MemberCount"].as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, expected.len());
    let mut by_unit = 0;
    for id in parents.keys() {
        by_unit += call(
            &world,
            V18,
            "ListOrganizationNodeMembers",
            json!({"NodeId": id, "Limit": 1}),
        )
        .unwrap()["TotalCount"]
            .as_u64()
            .unwrap();
    }
    assert_eq!(by_unit as usize, expected.len());
    assert!(
        expected.len() > 100,
        "the test exercised little: {}",
        expected.len()
    );
}

#[test]
fn racing_creates_make_one_organization_per_caller() {
    let world = Arc::new(World::new());
    let callers: Vec<u64> = (0..8).map(|i| HOST + i).collect();
    let workers: Vec<_> = (0..32)
        .map(|t| {
            let world = Arc::clone(&world);
            let caller = callers[t % callers.len()];
            thread::spawn(move || {
                let version = if t % 2 == 0 { V18 } else { V21 };
                let params = if version == V18 {
                    json!({"OrgType": 1})
                } else {
                    json!({})
                };
                check_and_call(&world, version, "CreateOrganization", caller, params, NOW)
                    .ok()
                    .map(|out| (caller, out["OrgId"].as_u64().unwrap()))
            })
        })
        .collect();
    let made: Vec<(u64, u64)> = workers
        .into_iter()
        .filter_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(
        made.len(),
        callers.len(),
        "exactly one create per caller wins: {made:?}"
    );
    let orgs: BTreeSet<u64> = made.iter().map(|(_, org)| *org).collect();
    assert_eq!(orgs.len(), callers.len(), "organization IDs are unique");
}

//! Hand-written bodies that hit each kind of violation at an exact path.

use serde_json::{json, Value};
use tco_spec::{action, contract, Direction, Type, Version, Violation, ViolationKind};

fn request(name: &str, body: Value) -> Vec<Violation> {
    action(Version::V2021_03_31, name)
        .unwrap()
        .validate_request(&body)
}

fn response(name: &str, body: Value) -> Vec<Violation> {
    action(Version::V2021_03_31, name)
        .unwrap()
        .validate_response(&body)
}

/// (path, kind) pairs, for compact assertions.
fn pairs(violations: &[Violation]) -> Vec<(&str, &ViolationKind)> {
    violations
        .iter()
        .map(|v| (v.path.as_str(), &v.kind))
        .collect()
}

fn wrong(expected: Type, found: &str) -> ViolationKind {
    ViolationKind::WrongType {
        expected,
        found: found.to_owned(),
    }
}

fn invite() -> Value {
    json!({
        "MemberUin": 111111111111i64,
        "Name": "member",
        "PolicyType": "Financial",
        "PermissionIds": [1, 2],
        "NodeId": 2003721,
        "Tags": [{"TagKey": "k", "TagValue": "v"}]
    })
}

#[test]
fn a_valid_request_has_no_violations() {
    assert_eq!(request("InviteOrganizationMember", invite()), vec![]);
}

#[test]
fn missing_required_members_are_all_reported() {
    let v = request("InviteOrganizationMember", json!({"Name": "member"}));
    let kinds = pairs(&v);
    let missing = ViolationKind::MissingRequired;
    assert_eq!(
        kinds,
        vec![
            ("$.MemberUin", &missing),
            ("$.PolicyType", &missing),
            ("$.PermissionIds", &missing),
            ("$.NodeId", &missing),
        ]
    );
    assert_eq!(v[0].to_string(), "$.MemberUin: missing required member");
}

#[test]
fn missing_member_inside_a_list_element() {
    let mut body = invite();
    body["Tags"] = json!([{"TagKey": "a", "TagValue": "b"}, {"TagKey": "c"}]);
    let v = request("InviteOrganizationMember", body);
    assert_eq!(
        pairs(&v),
        vec![("$.Tags[1].TagValue", &ViolationKind::MissingRequired)]
    );
}

#[test]
fn wrong_types_with_paths() {
    let mut body = invite();
    body["Name"] = json!(5);
    body["PermissionIds"] = json!([1, -2, 3.5, "4"]);
    body["NodeId"] = json!(9223372036854775808u64);
    body["Tags"] = json!([{"TagKey": true, "TagValue": "v"}]);
    let v = request("InviteOrganizationMember", body);
    assert_eq!(
        pairs(&v),
        vec![
            ("$.Name", &wrong(Type::String, "integer")),
            (
                "$.PermissionIds[1]",
                &wrong(Type::Uint64, "negative integer")
            ),
            (
                "$.PermissionIds[2]",
                &wrong(Type::Uint64, "non-integer number")
            ),
            ("$.PermissionIds[3]", &wrong(Type::Uint64, "string")),
            (
                "$.NodeId",
                &wrong(Type::Int64, "integer above the int64 range")
            ),
            ("$.Tags[0].TagKey", &wrong(Type::String, "bool")),
        ]
    );
    assert_eq!(
        v[1].to_string(),
        "$.PermissionIds[1]: expected uint64, found negative integer"
    );
}

#[test]
fn wrong_container_types() {
    let mut body = invite();
    body["PermissionIds"] = json!("1,2");
    body["Tags"] = json!({"TagKey": "k"});
    let v = request("InviteOrganizationMember", body);
    let list_of_tags = Type::List(Box::new(Type::Object("Tag".into())));
    assert_eq!(
        pairs(&v),
        vec![
            (
                "$.PermissionIds",
                &wrong(Type::List(Box::new(Type::Uint64)), "string")
            ),
            ("$.Tags", &wrong(list_of_tags, "object")),
        ]
    );
    let top = request("InviteOrganizationMember", json!([1]));
    assert_eq!(
        pairs(&top),
        vec![(
            "$",
            &wrong(
                Type::Object("InviteOrganizationMemberRequest".into()),
                "array"
            )
        )]
    );
}

#[test]
fn uint64_accepts_the_full_range_and_int64_negative() {
    let ok = request(
        "AddShareUnitMembers",
        json!({"UnitId": "u", "Area": "a", "Members": []}),
    );
    assert_eq!(ok, vec![]);
    let v = action(Version::V2018_12_25, "AcceptOrganizationInvitation")
        .unwrap()
        .validate_request(&json!({"Id": u64::MAX}));
    assert_eq!(v, vec![]);
    let mut body = invite();
    body["NodeId"] = json!(-5);
    assert_eq!(request("InviteOrganizationMember", body), vec![]);
}

#[test]
fn null_is_refused_unless_nullable() {
    let mut body = invite();
    body["Remark"] = Value::Null;
    body["PermissionIds"] = json!([1, null]);
    body["Tags"] = json!([{"TagKey": null, "TagValue": "v"}]);
    let v = request("InviteOrganizationMember", body);
    let null = ViolationKind::NullNotAllowed;
    assert_eq!(
        pairs(&v),
        vec![
            ("$.PermissionIds[1]", &null),
            ("$.Remark", &null),
            ("$.Tags[0].TagKey", &null)
        ]
    );
    assert_eq!(v[1].to_string(), "$.Remark: null is not allowed");

    let nullable = json!({"Items": null, "Total": null, "RequestId": "r"});
    assert_eq!(
        response("DescribeOrganizationMembersAuthPolicy", nullable),
        vec![]
    );
}

#[test]
fn unknown_members_at_any_depth() {
    let mut body = invite();
    body["Extra"] = json!(1);
    body["Tags"][0]["Colour"] = json!("red");
    body["odd key"] = json!(true);
    let v = request("InviteOrganizationMember", body);
    let unknown = ViolationKind::UnknownMember;
    assert_eq!(
        pairs(&v),
        vec![
            ("$.Tags[0].Colour", &unknown),
            ("$.Extra", &unknown),
            ("$[\"odd key\"]", &unknown)
        ]
    );
    assert_eq!(v[1].to_string(), "$.Extra: unknown member");
}

#[test]
fn responses_use_output_required_and_nested_objects() {
    let ok = json!({
        "Total": 1,
        "Items": [{"NodeId": 1, "Name": "Root", "ParentNodeId": 0, "Remark": "", "CreateTime": "t",
                   "UpdateTime": "t", "Tags": [{"TagKey": "k", "TagValue": "v"}]}],
        "RequestId": "r"
    });
    assert_eq!(response("DescribeOrganizationNodes", ok.clone()), vec![]);

    let mut broken = ok;
    broken["Items"][0]["Tags"][0]["TagValue"] = json!(7);
    broken["Items"][0].as_object_mut().unwrap().remove("Name");
    broken.as_object_mut().unwrap().remove("RequestId");
    let v = response("DescribeOrganizationNodes", broken);
    assert_eq!(
        pairs(&v),
        vec![
            ("$.Items[0].Name", &ViolationKind::MissingRequired),
            (
                "$.Items[0].Tags[0].TagValue",
                &wrong(Type::String, "integer")
            ),
            ("$.RequestId", &ViolationKind::MissingRequired),
        ]
    );

    let task = json!({"TaskStatus": {"Status": "Success", "TaskId": "t", "TaskType": "x"}, "RequestId": "r"});
    assert_eq!(
        pairs(&response("GetTaskStatus", task)),
        vec![(
            "$.TaskStatus.FailureReason",
            &ViolationKind::MissingRequired
        )]
    );
}

#[test]
fn direction_decides_which_members_are_required() {
    let c = contract(Version::V2021_03_31);
    // Tag is used in both directions; in a response its members are optional.
    assert_eq!(c.validate("Tag", &json!({}), Direction::Response), vec![]);
    assert_eq!(c.validate("Tag", &json!({}), Direction::Request).len(), 2);
}

#[test]
fn deprecated_members_are_accepted_and_never_required() {
    let c = contract(Version::V2021_03_31);
    let shape = c.shape("ProductResource").unwrap();
    let deprecated = shape.member("ResourceGrantLast").unwrap();
    assert!(deprecated.deprecated);
    let mut body = shape.example();
    assert_eq!(
        c.validate("ProductResource", &body, Direction::Request),
        vec![]
    );
    body.as_object_mut().unwrap().remove("ResourceGrantLast");
    assert_eq!(
        c.validate("ProductResource", &body, Direction::Request),
        vec![]
    );
}

#[test]
fn unknown_shape_is_a_violation_not_a_panic() {
    let c = contract(Version::V2018_12_25);
    let v = c.validate("Nope", &json!({}), Direction::Request);
    assert_eq!(
        pairs(&v),
        vec![("$", &ViolationKind::UnknownShape("Nope".into()))]
    );
}

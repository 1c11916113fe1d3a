//! The embedded contract data: completeness, internal consistency, rate limits, error codes.

use tco_spec::{action, all_actions, contract, newest_version_with, Type, Version};

#[test]
fn action_counts_per_version() {
    assert_eq!(contract(Version::V2018_12_25).actions().count(), 20);
    assert_eq!(contract(Version::V2021_03_31).actions().count(), 126);
    assert_eq!(all_actions().count(), 146);
}

#[test]
fn versions_parse_print_and_reject_unknown() {
    for v in Version::ALL {
        assert_eq!(v.as_str().parse::<Version>(), Ok(v));
        assert_eq!(v.to_string(), v.as_str());
        assert_eq!(contract(v).version(), v);
        assert_eq!(contract(v).service(), "organization");
    }
    let err = "2020-01-01".parse::<Version>().unwrap_err();
    assert!(err.to_string().contains("2020-01-01"));
}

#[test]
fn actions_are_sorted_and_found_by_name() {
    for v in Version::ALL {
        let names: Vec<&str> = contract(v).actions().map(|a| a.name.as_str()).collect();
        assert!(
            names.windows(2).all(|w| w[0] < w[1]),
            "{v}: actions not sorted"
        );
        for a in contract(v).actions() {
            assert_eq!(contract(v).action(&a.name), Some(a));
            assert_eq!(a.version, v);
        }
    }
    assert!(action(Version::V2018_12_25, "NoSuchAction").is_none());
}

#[test]
fn newest_version_prefers_2021() {
    assert_eq!(
        newest_version_with("DescribeOrganization"),
        Some(Version::V2021_03_31)
    );
    assert_eq!(
        newest_version_with("GetOrganization"),
        Some(Version::V2018_12_25)
    );
    assert_eq!(newest_version_with("Nope"), None);
}

fn assert_type_resolves(v: Version, ty: &Type, at: &str) {
    match ty {
        Type::List(items) => assert_type_resolves(v, items, at),
        Type::Object(name) => assert!(
            contract(v).shape(name).is_some(),
            "{v} {at}: no shape {name}"
        ),
        _ => {}
    }
}

#[test]
fn every_referenced_shape_exists_and_every_type_resolves() {
    for a in all_actions() {
        let c = contract(a.version);
        assert!(
            c.shape(&a.input).is_some(),
            "{} {}: no input",
            a.version,
            a.name
        );
        assert!(
            c.shape(&a.output).is_some(),
            "{} {}: no output",
            a.version,
            a.name
        );
        assert_eq!(a.request_shape().name, a.input);
        assert_eq!(a.response_shape().name, a.output);
    }
    for v in Version::ALL {
        for shape in contract(v).shapes() {
            for m in &shape.members {
                assert_type_resolves(v, &m.ty, &format!("{}.{}", shape.name, m.name));
            }
        }
    }
}

#[test]
fn every_example_request_validates() {
    for a in all_actions() {
        let violations = a.validate_request(&a.example_request());
        assert!(
            violations.is_empty(),
            "{} {}: {violations:?}",
            a.version,
            a.name
        );
    }
}

#[test]
fn every_example_response_validates_and_carries_a_request_id() {
    for a in all_actions() {
        let response = a.example_response();
        let violations = a.validate_response(&response);
        assert!(
            violations.is_empty(),
            "{} {}: {violations:?}",
            a.version,
            a.name
        );
        assert!(
            response["RequestId"].is_string(),
            "{} {}",
            a.version,
            a.name
        );
        assert!(
            a.response_shape()
                .member("RequestId")
                .unwrap()
                .output_required
        );
    }
}

#[test]
fn example_request_includes_optional_members() {
    let a = action(Version::V2021_03_31, "InviteOrganizationMember").unwrap();
    let example = a.example_request();
    assert!(example.get("Remark").is_some(), "optional member missing");
    assert_eq!(example["Tags"][0].as_object().unwrap().len(), 2);
    assert!(example["MemberUin"].is_i64());
}

#[test]
fn unreadable_examples_are_synthesized_with_the_right_type() {
    let c = contract(Version::V2021_03_31);
    let member = c
        .shape("DeleteRoleAssignmentRequest")
        .unwrap()
        .member("TargetUin")
        .unwrap();
    assert_eq!(member.ty, Type::Int64);
    assert!(member.example_synthesized);
    assert!(member.example.is_i64());
    let read = c
        .shape("DescribeOrganizationNodesRequest")
        .unwrap()
        .member("Limit")
        .unwrap();
    assert!(!read.example_synthesized);
}

#[test]
fn rate_limits() {
    let describe = action(Version::V2021_03_31, "DescribeOrganization").unwrap();
    assert_eq!(describe.rate_limit, 40);
    assert!(describe.rate_limit_documented);

    let create = action(Version::V2018_12_25, "CreateOrganization").unwrap();
    assert_eq!(create.rate_limit, 20);
    assert!(create.rate_limit_documented);
    assert_eq!(create.category, "Write APIs");
    assert!(!create.category_by_name);

    let undocumented = action(Version::V2021_03_31, "GetUser").unwrap();
    assert_eq!(undocumented.rate_limit, 20);
    assert!(!undocumented.rate_limit_documented);
    assert!(undocumented.category_by_name);

    let defaults = all_actions().filter(|a| !a.rate_limit_documented).count();
    assert_eq!(defaults, 35);
    assert!(all_actions()
        .filter(|a| !a.rate_limit_documented)
        .all(|a| a.rate_limit == 20));
}

#[test]
fn documented_errors_of_an_action() {
    let create = action(Version::V2018_12_25, "CreateOrganization").unwrap();
    assert!(create.is_documented_error("FailedOperation.OrganizationExistAlready"));
    assert!(create.is_documented_error("ResourceNotFound.UserNotExist"));
    assert!(
        create.is_documented_error("AuthFailure.SignatureExpire"),
        "common code"
    );
    assert!(
        create.is_documented_error("RequestLimitExceeded"),
        "common code"
    );
    assert!(
        !create.is_documented_error("ResourceNotFound.InvitationNotExist"),
        "other action's"
    );
    assert!(!create.is_documented_error("NotACode"));

    let add = action(Version::V2021_03_31, "AddOrganizationNode").unwrap();
    assert!(add.errors.windows(2).all(|w| w[0] < w[1]), "errors sorted");
    assert!(add
        .errors
        .iter()
        .all(|code| contract(add.version).error_code(code).is_some()));
}

#[test]
fn error_code_tables() {
    let old = contract(Version::V2018_12_25);
    assert_eq!(old.error_codes().len(), 25);
    assert_eq!(contract(Version::V2021_03_31).error_codes().len(), 306);
    let code = old
        .error_code("ResourceNotFound.OrganizationNotExist")
        .unwrap();
    assert_eq!(code.family, "ResourceNotFound");
    assert_eq!(code.message, "The referenced resource does not exist.");
    assert_eq!(old.common_errors().len(), 38);
    let expire = old.error_code("AuthFailure.SignatureExpire").unwrap();
    assert!(expire.message.contains("300 seconds"));
    assert!(old.error_code("NotACode").is_none());
    for v in Version::ALL {
        for e in contract(v)
            .error_codes()
            .iter()
            .chain(contract(v).common_errors())
        {
            assert!(
                !e.message.is_empty() && e.code.starts_with(&e.family),
                "{}",
                e.code
            );
        }
    }
}

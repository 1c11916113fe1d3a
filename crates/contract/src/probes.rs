//! The probes of one action, generated from its contract: a valid request (TC3 and v1), and
//! each way of getting a request wrong that the API must refuse with a documented code.

use serde_json::{Map, Value};
use tco_sign::SignMethod;
use tco_spec::{Action, Direction, Type};

use crate::checks::names;
use crate::wire::{Key, Probe};

/// An action name no version has.
pub const UNKNOWN_ACTION: &str = "TcoContractNoSuchAction";
/// A version no API has.
pub const UNKNOWN_VERSION: &str = "2000-01-01";
/// A parameter no action has.
pub const UNKNOWN_PARAMETER: &str = "TcoContractUnknownParameter";
/// How stale the expired-timestamp probes are: 10 minutes, twice the documented tolerance.
pub const EXPIRED_BY: i64 = 600;

/// What the answer to a probe must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// A contract-valid call: success, or a business answer (any code but a refusal of the
    /// request as such, see [`crate::checks::REFUSALS`]).
    Accepted,
    /// Refused with a code of one of these families.
    Refused(&'static [&'static str]),
}

/// A probe, the check it serves and what it must get.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The check's name, e.g. `missing-parameter` or `bad-signature.v1`.
    pub check: String,
    /// What the probe does, for details: `request without Name`.
    pub what: String,
    pub probe: Probe,
    pub expect: Expect,
}

const MISSING: &[&str] = &["MissingParameter"];
const WRONG_TYPE: &[&str] = &["InvalidParameter", "InvalidParameterValue"];
const UNKNOWN_PARAM: &[&str] = &["UnknownParameter"];
const INVALID_ACTION: &[&str] = &["InvalidAction"];
const NO_SUCH_VERSION: &[&str] = &["NoSuchVersion"];
const SIGNATURE_FAILURE: &[&str] = &["AuthFailure.SignatureFailure"];
const SIGNATURE_EXPIRE: &[&str] = &["AuthFailure.SignatureExpire"];
const SECRET_ID_NOT_FOUND: &[&str] = &["AuthFailure.SecretIdNotFound"];

/// The two signing families, with the method each probe uses and its check suffix.
const SIGNINGS: [(SignMethod, &str); 2] = [
    (SignMethod::Tc3HmacSha256, "tc3"),
    (SignMethod::HmacSha256, "v1"),
];

/// Whether an action only reads: `Describe*`, `List*`, `Get*`. Only these run against an
/// endpoint unless mutations are allowed.
pub fn is_read_only(action: &str) -> bool {
    ["Describe", "List", "Get"]
        .iter()
        .any(|p| action.starts_with(p))
}

/// Every example member of the request shape (the fullest valid request).
pub fn full_request(action: &Action) -> Value {
    action.example_request()
}

/// Only the required members, with their examples (the base every negative probe spoils one
/// way).
pub fn minimal_request(action: &Action) -> Value {
    let map: Map<String, Value> = action
        .request_shape()
        .members
        .iter()
        .filter(|m| m.is_required(Direction::Request))
        .map(|m| (m.name.clone(), m.example.clone()))
        .collect();
    Value::Object(map)
}

/// The members of a list action's answer that list objects (`Items`, `List`, `Users`…): what
/// its first page is expected to hold. A list action reads and says it lists: by its name
/// (`List…`, `Describe…s`) or by a count or paging token in its answer. Empty for the others
/// (a single object's description, such as `DescribeOrganization`, may hold an empty list).
pub fn listed_members(action: &Action) -> Vec<&'static str> {
    let members = &action.response_shape().members;
    let says_it_lists = action.name.starts_with("List")
        || action.name.ends_with('s')
        || members
            .iter()
            .any(|m| m.name.starts_with("Total") || m.name.ends_with("Token"));
    if !is_read_only(&action.name) || !says_it_lists {
        return Vec::new();
    }
    members
        .iter()
        .filter(|m| matches!(&m.ty, Type::List(items) if items.object_ref().is_some()))
        .map(|m| m.name.as_str())
        .collect()
}

/// Only the required members, paging from the start (`Offset` 0, `Page` 1): the request that
/// lists everything the caller may see, where the example's filters and offsets may list
/// nothing.
pub fn first_page(action: &Action) -> Value {
    from_the_start(minimal_request(action))
}

/// `request` paging from the start (`Offset` 0, `Page` 1).
pub fn from_the_start(mut request: Value) -> Value {
    if let Some(map) = request.as_object_mut() {
        for (member, first) in [("Offset", 0), ("Page", 1)] {
            if let Some(value) = map.get_mut(member) {
                *value = Value::from(first);
            }
        }
    }
    request
}

/// A value of the wrong JSON kind for a type.
pub fn wrong_value(ty: &Type) -> Value {
    match ty {
        Type::Int64 | Type::Uint64 | Type::Float => Value::from("not-a-number"),
        Type::String | Type::Datetime => Value::Bool(true),
        Type::Bool => Value::from("not-a-bool"),
        Type::List(_) => Value::from("not-a-list"),
        Type::Object(_) => Value::from("not-an-object"),
    }
}

/// The probes of one action, in the order they run.
pub fn plan(action: &'static Action) -> Vec<Planned> {
    let version = action.version.as_str();
    let name = action.name.as_str();
    let full = full_request(action);
    let minimal = minimal_request(action);
    let shape = action.request_shape();
    let mut out = Vec::new();
    let mut push = |check: String, what: String, probe: Probe, expect: Expect| {
        out.push(Planned {
            check,
            what,
            probe,
            expect,
        })
    };

    // Valid calls: every member with TC3, the required ones with v1.
    push(
        format!("{}.tc3", names::POSITIVE),
        "a valid request with every member".into(),
        Probe::new(name, version, full),
        Expect::Accepted,
    );
    push(
        format!("{}.v1", names::POSITIVE),
        "a valid v1 request with the required members".into(),
        Probe::new(name, version, minimal.clone()).signed_with(SignMethod::HmacSha256),
        Expect::Accepted,
    );

    // A list's first page, with only the required members: its items get their shape checked.
    if !listed_members(action).is_empty() {
        push(
            names::POSITIVE_LIST.into(),
            "the first page, with only the required members".into(),
            Probe::new(name, version, first_page(action)),
            Expect::Accepted,
        );
    }

    // Each required member left out.
    let required: Vec<_> = shape
        .members
        .iter()
        .filter(|m| m.is_required(Direction::Request))
        .collect();
    for member in &required {
        let mut params = minimal.clone();
        params.as_object_mut().expect("object").remove(&member.name);
        push(
            names::MISSING_PARAMETER.into(),
            format!("a request without {}", member.name),
            Probe::new(name, version, params),
            Expect::Refused(MISSING),
        );
    }
    if let Some(member) = required.first() {
        let mut params = minimal.clone();
        params.as_object_mut().expect("object").remove(&member.name);
        push(
            format!("{}.v1", names::MISSING_PARAMETER),
            format!("a v1 request without {}", member.name),
            Probe::new(name, version, params).signed_with(SignMethod::HmacSha256),
            Expect::Refused(MISSING),
        );
    }

    // Each member of the wrong JSON kind (TC3 only: a form carries every value as text).
    for member in shape.members.iter().filter(|m| !m.deprecated) {
        let mut params = minimal.clone();
        params
            .as_object_mut()
            .expect("object")
            .insert(member.name.clone(), wrong_value(&member.ty));
        push(
            names::WRONG_TYPE.into(),
            format!("{} of the wrong type ({} expected)", member.name, member.ty),
            Probe::new(name, version, params),
            Expect::Refused(WRONG_TYPE),
        );
    }

    let mut params = minimal.clone();
    params
        .as_object_mut()
        .expect("object")
        .insert(UNKNOWN_PARAMETER.into(), Value::from("x"));
    push(
        names::UNKNOWN_PARAMETER.into(),
        format!("a request with the unknown parameter {UNKNOWN_PARAMETER}"),
        Probe::new(name, version, params),
        Expect::Refused(UNKNOWN_PARAM),
    );

    push(
        names::UNKNOWN_VERSION.into(),
        format!("a request for version {UNKNOWN_VERSION}"),
        Probe::new(name, UNKNOWN_VERSION, minimal.clone()),
        Expect::Refused(NO_SUCH_VERSION),
    );

    for (method, suffix) in SIGNINGS {
        let base = Probe::new(name, version, minimal.clone()).signed_with(method);
        push(
            format!("{}.{suffix}", names::BAD_SIGNATURE),
            "a request signed with the wrong SecretKey".into(),
            base.clone().key(Key::WrongSecretKey),
            Expect::Refused(SIGNATURE_FAILURE),
        );
        push(
            format!("{}.{suffix}", names::EXPIRED_TIMESTAMP),
            format!("a request stamped {} minutes ago", EXPIRED_BY / 60),
            base.clone().timestamp_offset(-EXPIRED_BY),
            Expect::Refused(SIGNATURE_EXPIRE),
        );
        push(
            format!("{}.{suffix}", names::UNKNOWN_SECRET_ID),
            "a request from an unknown SecretId".into(),
            base.key(Key::UnknownSecretId),
            Expect::Refused(SECRET_ID_NOT_FOUND),
        );
    }
    out
}

/// The service-level probes of one version: an unknown action, with TC3 and v1.
pub fn service_plan(version: tco_spec::Version) -> Vec<Planned> {
    SIGNINGS
        .iter()
        .map(|(method, suffix)| Planned {
            check: format!("{}.{suffix}", names::INVALID_ACTION),
            what: format!("a request for the unknown action {UNKNOWN_ACTION}"),
            probe: Probe::new(UNKNOWN_ACTION, version.as_str(), Value::Object(Map::new()))
                .signed_with(*method),
            expect: Expect::Refused(INVALID_ACTION),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_spec::Version;

    #[test]
    fn every_action_gets_its_probes() {
        for action in tco_spec::all_actions() {
            let plan = plan(action);
            let required = action
                .request_shape()
                .members
                .iter()
                .filter(|m| m.is_required(Direction::Request))
                .count();
            let missing = plan
                .iter()
                .filter(|p| p.check == names::MISSING_PARAMETER)
                .count();
            assert_eq!(missing, required, "{}", action.name);
            // The valid requests validate against the contract.
            for p in plan.iter().filter(|p| p.expect == Expect::Accepted) {
                assert!(action.validate_request(&p.probe.params).is_empty());
            }
            // Each spoiled request breaks the contract in exactly one place.
            for p in plan
                .iter()
                .filter(|p| p.check == names::MISSING_PARAMETER || p.check == names::WRONG_TYPE)
            {
                assert_eq!(
                    action.validate_request(&p.probe.params).len(),
                    1,
                    "{} {}",
                    action.name,
                    p.what
                );
            }
        }
    }

    #[test]
    fn list_actions_get_a_first_page_probe() {
        let nodes = tco_spec::action(Version::V2021_03_31, "DescribeOrganizationNodes").unwrap();
        assert_eq!(listed_members(nodes), ["Items"]);
        // The example filters by tags; the first page does not.
        assert!(full_request(nodes).get("Tags").is_some());
        assert_eq!(
            first_page(nodes),
            serde_json::json!({"Limit": 10, "Offset": 0})
        );
        let identities =
            tco_spec::action(Version::V2021_03_31, "ListOrganizationIdentity").unwrap();
        assert_eq!(identities.example_request()["Offset"], 1);
        assert_eq!(first_page(identities)["Offset"], 0);
        let create = tco_spec::action(Version::V2021_03_31, "CreateOrganizationIdentity").unwrap();
        assert!(listed_members(create).is_empty());
        let org = tco_spec::action(Version::V2021_03_31, "DescribeOrganization").unwrap();
        assert!(listed_members(org).is_empty(), "one object, not a list");
        let auth = tco_spec::action(
            Version::V2021_03_31,
            "DescribeOrganizationMembersAuthPolicy",
        )
        .unwrap();
        assert_eq!(listed_members(auth), ["Items"]);
        let planned = |a| {
            plan(a)
                .into_iter()
                .filter(|p| p.check == names::POSITIVE_LIST)
                .count()
        };
        assert_eq!(planned(nodes), 1);
        assert_eq!(planned(create), 0);
    }

    #[test]
    fn read_only_actions() {
        assert!(is_read_only("DescribeOrganization"));
        assert!(is_read_only("ListOrganizationNodes"));
        assert!(is_read_only("GetOrganization"));
        assert!(!is_read_only("CreateOrganization"));
        let read = tco_spec::contract(Version::V2018_12_25)
            .actions()
            .filter(|a| is_read_only(&a.name))
            .count();
        assert_eq!(read, 6);
    }
}

//! What tag policies mean for a unit or member: `DescribeEffectivePolicy` (the tag policies
//! attached along its path to the root, combined) and `ListNonCompliantResource` (its member
//! account's own tags, held against that effective policy).

use serde_json::{json, Map, Value};

use super::access::{manager, org, state};
use super::catalogue::Kind;
use super::document::read_tag_policy;
use super::failures::*;
use super::model::{resolve, OrgPolicies, Target};
use crate::state::data::Inner;
use crate::state::org::model::{tags_json, Org};
use crate::state::{BusinessError, Ctx, Handler};

type Result<T> = std::result::Result<T, BusinessError>;

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "DescribeEffectivePolicy",
        raises: &[NO_ORG, NOT_MANAGER, TARGET_NOT_EXIST, NO_EFFECTIVE_POLICY],
        run: describe_effective_policy,
    },
    Handler {
        action: "ListNonCompliantResource",
        raises: &[
            NO_ORG,
            NOT_MANAGER,
            BAD_PARAMETER,
            BAD_PAGINATION_TOKEN,
            MEMBER_NOT_EXIST,
        ],
        run: list_non_compliant_resource,
    },
];

/// The tag policy in effect for a target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Effective {
    /// Policy keys (as first written, root side first) and their combined fields.
    pub rules: Vec<(String, Map<String, Value>)>,
    /// The latest attachment or policy change that shaped it, Unix seconds.
    pub updated: i64,
}

/// Combines the tag policies attached to the root, each unit down to the target, and the
/// target itself, in that order: a policy key's fields set nearer the target replace those
/// set above it (`@@assign`), policy keys compare case-insensitively, and within one level
/// policies apply in the order they were attached. `None` when no tag policy applies (or tag
/// policies are not enabled).
pub(crate) fn effective(s: &OrgPolicies, o: &Org, target: Target) -> Option<Effective> {
    if !s.is_enabled(Kind::Tag) {
        return None;
    }
    let mut rules: Vec<(String, Map<String, Value>)> = Vec::new();
    let mut updated = None;
    for level in target.path_up(o).into_iter().rev() {
        let mut attached: Vec<_> = s
            .attached_to(o, level)
            .into_iter()
            .filter(|(p, _)| p.kind == Kind::Tag)
            .collect();
        attached.sort_by_key(|(p, time)| (*time, p.id));
        for (policy, time) in attached {
            // Stored documents passed their checks when written.
            let Ok(doc) = read_tag_policy(policy.document) else {
                continue;
            };
            updated = updated.max(Some(time.max(policy.update_time)));
            for rule in doc {
                match rules
                    .iter_mut()
                    .find(|(key, _)| key.eq_ignore_ascii_case(&rule.key))
                {
                    Some((_, fields)) => fields.extend(rule.fields),
                    None => rules.push((rule.key, rule.fields)),
                }
            }
        }
    }
    Some(Effective {
        rules,
        updated: updated?,
    })
}

fn describe_effective_policy(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let o = org(inner, org_id);
    let id = ctx.id("TargetId");
    let target = resolve(o, id).ok_or_else(|| ctx.err_with(TARGET_NOT_EXIST, format!("({id})")))?;
    let found = effective(state(inner, org_id), o, target)
        .ok_or_else(|| ctx.err_with(NO_EFFECTIVE_POLICY, format!("({id})")))?;
    let tags: Map<String, Value> = found
        .rules
        .into_iter()
        .map(|(key, fields)| (key, Value::Object(fields)))
        .collect();
    Ok(json!({
        "EffectivePolicy": {
            "TargetId": id,
            "PolicyContent": json!({ "tags": tags }).to_string(),
            "LastUpdatedTimestamp": found.updated,
        }
    }))
}

/// How a member's own tags stand against its effective tag policy.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Compliance {
    /// Tag keys that match a policy key only when case is ignored.
    pub non_compliant_keys: Vec<String>,
    /// Tag keys whose value the policy does not allow.
    pub keys_with_non_compliant_values: Vec<String>,
}

/// Holds `tags` against `effective`, for the policy keys named `only` (any case) or all.
pub(crate) fn compliance(
    effective: &Effective,
    tags: &[(String, String)],
    only: Option<&str>,
) -> Compliance {
    let mut out = Compliance::default();
    for (key, fields) in &effective.rules {
        if only.is_some_and(|k| !k.eq_ignore_ascii_case(key)) {
            continue;
        }
        let Some(tag_key) = fields.get("tag_key").and_then(Value::as_str) else {
            continue;
        };
        let allowed: Option<Vec<&str>> = fields
            .get("tag_value")
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).collect());
        for (k, v) in tags.iter().filter(|(k, _)| k.eq_ignore_ascii_case(tag_key)) {
            if k != tag_key {
                out.non_compliant_keys.push(k.clone());
            } else if allowed
                .as_ref()
                .is_some_and(|a| !a.contains(&"*") && !a.contains(&v.as_str()))
            {
                out.keys_with_non_compliant_values.push(k.clone());
            }
        }
    }
    out
}

/// The mock knows no cloud resources in member accounts; the one resource it can hold
/// against a tag policy is the member account itself, tagged by the organization.
fn member_resource(o: &Org, uin: u64) -> String {
    format!("qcs::organization::uin/{}:member/{uin}", o.host_uin)
}

fn list_non_compliant_resource(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let org_id = manager(inner, ctx)?;
    let max = ctx.int("MaxResults").unwrap_or(0);
    if !(1..=50).contains(&max) {
        return Err(ctx.err_with(BAD_PARAMETER, format!("MaxResults is 1-50, not {max}.")));
    }
    // Every answer fits one page, so no token is ever handed out.
    if ctx.str("PaginationToken").is_some_and(|t| !t.is_empty()) {
        return Err(ctx.err(BAD_PAGINATION_TOKEN));
    }
    let o = org(inner, org_id);
    let uin = ctx.id("MemberUin");
    let member = o
        .members
        .get(&uin)
        .ok_or_else(|| ctx.err_with(MEMBER_NOT_EXIST, format!("({uin})")))?;
    let tags: Vec<(String, String)> = member
        .tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    let only = ctx.str("TagKey").filter(|k| !k.is_empty());
    let mut items = Vec::new();
    if let Some(found) = effective(state(inner, org_id), o, Target::Member(uin)) {
        let c = compliance(&found, &tags, only);
        if !c.non_compliant_keys.is_empty() || !c.keys_with_non_compliant_values.is_empty() {
            items.push(json!({
                "Resource": member_resource(o, uin),
                "ComplianceDetails": {
                    "ComplianceStatus": false,
                    "KeysWithNonCompliantValues": c.keys_with_non_compliant_values,
                    "NonCompliantKeys": c.non_compliant_keys,
                },
                "Tags": tags_json(&member.tags),
            }));
        }
    }
    Ok(json!({ "Items": items, "PaginationToken": "" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(doc: &str) -> Effective {
        Effective {
            rules: read_tag_policy(doc)
                .unwrap()
                .into_iter()
                .map(|r| (r.key, r.fields))
                .collect(),
            updated: 0,
        }
    }

    #[test]
    fn compliance_tells_wrong_case_from_wrong_value() {
        let e = rules(
            r#"{"tags":{"env":{"tag_key":"Env","tag_value":["prod","test"]},"team":{"tag_key":"team"},"any":{"tag_key":"any","tag_value":["*"]}}}"#,
        );
        let tags = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let c = compliance(
            &e,
            &tags(&[
                ("env", "prod"),
                ("Env", "dev"),
                ("team", "x"),
                ("any", "y"),
                ("other", "z"),
            ]),
            None,
        );
        assert_eq!(c.non_compliant_keys, ["env"]);
        assert_eq!(c.keys_with_non_compliant_values, ["Env"]);
        let only_team = compliance(&e, &tags(&[("Env", "dev"), ("TEAM", "x")]), Some("team"));
        assert_eq!(only_team.non_compliant_keys, ["TEAM"]);
        assert!(only_team.keys_with_non_compliant_values.is_empty());
        assert_eq!(
            compliance(&e, &tags(&[("Env", "test")]), None),
            Compliance::default()
        );
    }
}

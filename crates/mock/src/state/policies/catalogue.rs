//! The static catalogue: the policy types an organization can enable and the built-in
//! policies that come with them. Data, in one place; the handlers only read it.
//!
//! The names and codes are the contract's (`SERVICE_CONTROL_POLICY` / `TAG_POLICY`, and
//! `DescribePolicyConfig`'s 0 / 1); the built-in `FullQcloudAccess` (ID 1000) is the one the
//! contract's `ListPoliciesForTarget` example shows, bound by the service to every unit and
//! member while service control policies are enabled. The limits are the mock's choice (the
//! contract gives none; they follow the usual figures for such services).

use serde::{Deserialize, Serialize};

use super::failures::{SCP_LIMIT, TAG_POLICY_LIMIT};
use crate::state::failure::Failure;

/// A policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum Kind {
    #[serde(rename = "SERVICE_CONTROL_POLICY")]
    ServiceControl,
    #[serde(rename = "TAG_POLICY")]
    Tag,
}

/// How a type's documents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// CAM policy syntax: version, statements of effect, action, resource, condition.
    Cam,
    /// Tag policy syntax: `{"tags": {policy key: {tag_key, tag_value, ...}}}`.
    Tag,
}

/// What the catalogue says about one policy type.
#[derive(Debug)]
pub(crate) struct TypeInfo {
    pub kind: Kind,
    /// The name requests and answers use.
    pub name: &'static str,
    /// `DescribePolicyConfig`'s number for it.
    pub config_code: u64,
    pub syntax: Syntax,
    /// Custom policies per organization, and the failure beyond that.
    pub max_policies: usize,
    pub limit_failure: Failure,
    /// Policies of the type attached directly to one unit or member.
    pub max_per_target: usize,
    /// Longest document, in characters.
    pub max_document: usize,
    /// Whether every unit and member keeps at least one policy of the type attached.
    pub keep_one: bool,
}

/// A policy the service provides while its type is enabled.
#[derive(Debug)]
pub(crate) struct BuiltIn {
    pub id: u64,
    pub kind: Kind,
    pub name: &'static str,
    pub description: &'static str,
    pub document: &'static str,
}

pub(crate) static TYPES: [TypeInfo; 2] = [
    TypeInfo {
        kind: Kind::ServiceControl,
        name: "SERVICE_CONTROL_POLICY",
        config_code: 0,
        syntax: Syntax::Cam,
        max_policies: 1000,
        limit_failure: SCP_LIMIT,
        max_per_target: 5,
        max_document: 6144,
        keep_one: true,
    },
    TypeInfo {
        kind: Kind::Tag,
        name: "TAG_POLICY",
        config_code: 1,
        syntax: Syntax::Tag,
        max_policies: 1000,
        limit_failure: TAG_POLICY_LIMIT,
        max_per_target: 10,
        max_document: 10000,
        keep_one: false,
    },
];

pub(crate) static BUILT_IN: [BuiltIn; 1] = [BuiltIn {
    id: 1000,
    kind: Kind::ServiceControl,
    name: "FullQcloudAccess",
    description: "Allows every operation on every resource.",
    document: r#"{"version":"2.0","statement":[{"effect":"allow","action":"*","resource":"*"}]}"#,
}];

/// The type the requests name `SERVICE_CONTROL_POLICY` when they name none.
pub(crate) const DEFAULT_KIND: Kind = Kind::ServiceControl;

/// IDs of custom policies start here (the contract's `CreatePolicy` example), above every
/// built-in one.
pub(crate) const FIRST_POLICY_ID: u64 = 100_001;

impl Kind {
    pub fn info(self) -> &'static TypeInfo {
        TYPES
            .iter()
            .find(|t| t.kind == self)
            .expect("every kind is in the catalogue")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The type a request names, exactly as the contract spells it.
    pub fn parse(name: &str) -> Option<Kind> {
        TYPES.iter().find(|t| t.name == name).map(|t| t.kind)
    }

    /// The type `DescribePolicyConfig` numbers `code`.
    pub fn from_config_code(code: u64) -> Option<Kind> {
        TYPES.iter().find(|t| t.config_code == code).map(|t| t.kind)
    }

    pub fn built_ins(self) -> impl Iterator<Item = &'static BuiltIn> {
        BUILT_IN.iter().filter(move |b| b.kind == self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in document passes its own type's checks, and IDs never collide with
    /// custom ones.
    #[test]
    fn the_catalogue_is_consistent() {
        for b in &BUILT_IN {
            assert!(b.id < FIRST_POLICY_ID);
            let syntax = b.kind.info().syntax;
            assert!(
                super::super::document::check_syntax(syntax, b.document).is_ok(),
                "{}",
                b.name
            );
        }
        for t in &TYPES {
            assert_eq!(Kind::parse(t.name), Some(t.kind));
            assert_eq!(Kind::from_config_code(t.config_code), Some(t.kind));
        }
    }
}

//! Rust names for wire names: `UpperCamelCase` types, `snake_case` fields and methods.
//!
//! Acronyms become words (`SAMLIdentityProvider` → `SamlIdentityProvider`,
//! `saml_identity_provider`), as the Rust API guidelines ask; `IdP` is read as one word so that
//! `SAMLIdPCertificate` becomes `SamlIdpCertificate`, not `SamlIdPCertificate`.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words the API spells with inner capitals that are one word in Rust.
const ONE_WORD: &[(&str, &str)] = &[("IdP", "Idp")];

fn words(name: &str) -> String {
    ONE_WORD
        .iter()
        .fold(name.to_owned(), |n, (from, to)| n.replace(from, to))
}

pub fn type_name(wire: &str) -> String {
    words(wire).to_upper_camel_case()
}

/// A field or method name; keywords get the raw prefix (`r#type`).
pub fn field_name(wire: &str) -> String {
    let snake = words(wire).to_snake_case();
    if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// `2018-12-25` → `v2018_12_25`.
pub fn version_module(version: &str) -> String {
    format!("v{}", version.replace('-', "_"))
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            type_name("DescribeOrganizationNodesRequest"),
            "DescribeOrganizationNodesRequest"
        );
        assert_eq!(
            type_name("AddExternalSAMLIdPCertificateRequest"),
            "AddExternalSamlIdpCertificateRequest"
        );
        assert_eq!(field_name("IdentityRoleID"), "identity_role_id");
        assert_eq!(field_name("SAMLIdPCertificates"), "saml_idp_certificates");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("NodeId"), "node_id");
        assert_eq!(version_module("2021-03-31"), "v2021_03_31");
    }
}

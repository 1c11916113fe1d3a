//! X.509 signing certificates of an external identity provider: read from PEM (or its bare
//! base64 body, as the contract's examples send it), parsed with `x509-parser`, and described
//! as `SAMLIdPCertificate` describes them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use x509_parser::asn1_rs::ToDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::objects::{oid2abbrev, oid_registry};
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

/// Why a text is not a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CertError {
    /// Not PEM nor base64.
    Format,
    /// Base64, but not a DER certificate.
    Parse,
}

/// What the mock keeps of a certificate: its canonical PEM and what the reads report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CertInfo {
    /// Armored, 64 characters a line.
    pub pem: String,
    /// Decimal.
    pub serial: String,
    /// RFC 4514 distinguished names (most specific first).
    pub issuer: String,
    pub subject: String,
    /// 1, 2 or 3.
    pub version: u32,
    /// Base64 of the DER `SubjectPublicKeyInfo`.
    pub public_key: String,
    /// In the `SHA256withRSA` style of the contract's example.
    pub signature_algorithm: String,
    pub not_before: i64,
    pub not_after: i64,
}

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// Reads a certificate from PEM, or from the base64 body alone.
pub(crate) fn parse(text: &str) -> Result<CertInfo, CertError> {
    let der = der_of(text).ok_or(CertError::Format)?;
    let (rest, cert) = X509Certificate::from_der(&der).map_err(|_| CertError::Parse)?;
    if !rest.is_empty() {
        return Err(CertError::Parse);
    }
    Ok(CertInfo {
        pem: pem_of(&der),
        serial: cert.serial.to_string(),
        issuer: distinguished_name(cert.issuer()),
        subject: distinguished_name(cert.subject()),
        version: cert.version().0 + 1,
        public_key: STANDARD.encode(cert.public_key().raw),
        signature_algorithm: algorithm_name(&cert.signature_algorithm.algorithm.to_id_string()),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
    })
}

/// The DER bytes of PEM text (one `CERTIFICATE` block) or of a bare base64 body.
fn der_of(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    let body = if text.starts_with("-----") {
        text.strip_prefix(BEGIN)?.trim_end().strip_suffix(END)?
    } else {
        text
    };
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    STANDARD.decode(compact).ok()
}

fn pem_of(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = String::from(BEGIN);
    pem.push('\n');
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(END);
    pem.push('\n');
    pem
}

/// RFC 4514: the last RDN first, `,` between RDNs, `+` inside one; unknown attribute types as
/// their OID with the value's DER in hex.
fn distinguished_name(name: &X509Name<'_>) -> String {
    let registry = oid_registry();
    name.iter_rdn()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|rdn| {
            rdn.iter()
                .map(|attr| {
                    let known = oid2abbrev(attr.attr_type(), registry).ok();
                    match (known, attr.as_str()) {
                        (Some(kind), Ok(value)) => format!("{kind}={}", escape(value)),
                        _ => {
                            let der = attr.attr_value().to_der_vec().unwrap_or_default();
                            let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
                            format!("{}=#{hex}", attr.attr_type().to_id_string())
                        }
                    }
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// RFC 4514 escaping of an attribute value.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || (i == 0 && matches!(c, ' ' | '#'))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The `SHA256withRSA`-style name of a signature algorithm; its OID when unknown.
fn algorithm_name(oid: &str) -> String {
    let known = match oid {
        "1.2.840.113549.1.1.4" => "MD5withRSA",
        "1.2.840.113549.1.1.5" => "SHA1withRSA",
        "1.2.840.113549.1.1.11" => "SHA256withRSA",
        "1.2.840.113549.1.1.12" => "SHA384withRSA",
        "1.2.840.113549.1.1.13" => "SHA512withRSA",
        "1.2.840.113549.1.1.10" => "SHA256withRSAPSS",
        "1.2.840.10045.4.1" => "SHA1withECDSA",
        "1.2.840.10045.4.3.2" => "SHA256withECDSA",
        "1.2.840.10045.4.3.3" => "SHA384withECDSA",
        "1.2.840.10045.4.3.4" => "SHA512withECDSA",
        "1.3.101.112" => "Ed25519",
        other => return other.to_owned(),
    };
    known.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNING: &str = include_str!("../../../fixtures/saml/idp-signing.pem");
    const ROLLOVER: &str = include_str!("../../../fixtures/saml/idp-rollover.pem");

    /// The expected values are what `openssl x509 -noout -serial -issuer -dates -nameopt
    /// RFC2253` prints for the fixtures (see `fixtures/saml/README.md`).
    #[test]
    fn reads_what_openssl_reads() {
        let a = parse(SIGNING).unwrap();
        assert_eq!(a.serial, "1347934239"); // 0x5057D81F
        assert_eq!(a.issuer, "CN=idp.example.com,OU=SSOProvider,O=Example IdP");
        assert_eq!(a.subject, a.issuer);
        assert_eq!(a.version, 3);
        assert_eq!(a.signature_algorithm, "SHA256withRSA");
        // notBefore=Dec  1 18:56:35 2026 GMT, notAfter=Nov 23 18:56:35 2056 GMT
        assert_eq!(a.not_before, 1_796_151_395);
        assert_eq!(a.not_after, 2_742_231_395);
        let b = parse(ROLLOVER).unwrap();
        assert_eq!(b.serial, "20988295479420645121"); // 0x0123456789ABCDEF01
        assert_eq!(
            b.issuer,
            "CN=idp-rollover.example.com,OU=SSOProvider,O=Example IdP"
        );
        assert_eq!(b.signature_algorithm, "SHA256withECDSA");
    }

    #[test]
    fn pem_and_bare_base64_are_the_same_certificate() {
        let armored = parse(SIGNING).unwrap();
        let body: String = SIGNING
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert_eq!(parse(&body).unwrap(), armored);
        // The canonical PEM reads back as itself.
        assert_eq!(parse(&armored.pem).unwrap(), armored);
        assert_eq!(
            armored.pem.lines().map(str::trim).collect::<Vec<_>>(),
            SIGNING.lines().map(str::trim).collect::<Vec<_>>()
        );
    }

    #[test]
    fn not_a_certificate() {
        assert_eq!(parse(""), Err(CertError::Format));
        assert_eq!(
            parse("MIIBtjCCAVugAwIBAgITBmyf1XSX***"),
            Err(CertError::Format)
        );
        assert_eq!(
            parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"),
            Err(CertError::Format)
        );
        // Base64 of something else.
        assert_eq!(parse("aGVsbG8gd29ybGQ="), Err(CertError::Parse));
        let body: String = SIGNING
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert_eq!(parse(&body[..body.len() - 8]), Err(CertError::Parse));
    }

    #[test]
    fn names_escape_rfc_4514_specials() {
        assert_eq!(escape("Acme, Inc."), "Acme\\, Inc.");
        assert_eq!(escape("#1 "), "\\#1\\ ");
        assert_eq!(escape("a+b"), "a\\+b");
    }
}

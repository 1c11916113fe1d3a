//! Identity Center single sign-on: the external SAML identity provider and its certificates.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

use super::identity_center_zone::{opened, with_zone, zone_checks, Seen};
use super::*;
use crate::fixtures::{SAML_IDP_METADATA, SAML_ROLLOVER_CERTIFICATE, SAML_SIGNING_CERTIFICATE};

const NO_IDP: &str = "ResourceNotFound.SAMLIdentityProviderNotFound";

fn metadata() -> String {
    STANDARD.encode(SAML_IDP_METADATA)
}

fn set(p: &Probe, zone: &str, params: Value) -> Value {
    p.ok(
        V21,
        "SetExternalSAMLIdentityProvider",
        HOST,
        with_zone(zone, params),
    )
}

/// A certificate made of the signing one with one byte of its DER changed: still base64,
/// no longer a certificate.
fn corrupted() -> String {
    let body: String = SAML_SIGNING_CERTIFICATE
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut der = STANDARD.decode(body).unwrap();
    der[1] ^= 0x7f;
    STANDARD.encode(der)
}

pub(super) fn triggers() -> Seen {
    let (p, zone) = opened();
    let zone = zone.as_str();
    for (action, params) in [
        ("SetExternalSAMLIdentityProvider", json!({})),
        ("GetExternalSAMLIdentityProvider", json!({})),
        ("ClearExternalSAMLIdentityProvider", json!({})),
        (
            "AddExternalSAMLIdPCertificate",
            json!({"X509Certificate": SAML_SIGNING_CERTIFICATE}),
        ),
        ("ListExternalSAMLIdPCertificates", json!({})),
        (
            "RemoveExternalSAMLIdPCertificate",
            json!({"CertificateId": "idp-c-000000000000"}),
        ),
        ("GetZoneSAMLServiceProviderInfo", json!({})),
    ] {
        zone_checks(&p, zone, action, params);
    }
    let fails = |action: &str, params: Value, code: &str| {
        p.fails(V21, action, HOST, with_zone(zone, params), code);
    };

    // Before a provider is set.
    fails("GetExternalSAMLIdentityProvider", json!({}), NO_IDP);
    fails("ClearExternalSAMLIdentityProvider", json!({}), NO_IDP);
    fails(
        "AddExternalSAMLIdPCertificate",
        json!({"X509Certificate": SAML_SIGNING_CERTIFICATE}),
        "ResourceNotFound",
    );

    // Set: bad status, undecodable or malformed metadata, bad certificates, enabling too early.
    let set_fails =
        |params: Value, code: &str| fails("SetExternalSAMLIdentityProvider", params, code);
    set_fails(
        json!({"SSOStatus": "On"}),
        "InvalidParameterValue.SSoStatusInvalid",
    );
    set_fails(
        json!({"SSOStatus": "Enabled", "EntityId": "https://idp.example.com"}),
        "InvalidParameterValue.SSoStatusInvalid",
    );
    set_fails(
        json!({"EncodedMetadataDocument": "PD94bWwgdmVyc2lvbj0iMS4****"}),
        "FailedOperation.DecodeMetadataDocumentFailed",
    );
    set_fails(
        json!({"EncodedMetadataDocument": STANDARD.encode("<EntityDescriptor><unclosed>")}),
        "FailedOperation.XMLDataUnmarshalFailed",
    );
    set_fails(
        json!({"X509Certificate": "MIIBtjCCAVugAwIBAgITBmyf1XSXNmY/Owua2eiedgPySjAKBggqhkjOPQQDAjA5***"}),
        "InvalidParameterValue.X509CertificateFormatError",
    );
    set_fails(
        json!({"X509Certificate": corrupted()}),
        "FailedOperation.X509CertificateParsingFailed",
    );
    // Metadata naming six distinct certificates is more than a provider may hold.
    let crowded = SAML_IDP_METADATA.replace("</md:IDPSSODescriptor>", &extra_keys(6));
    set_fails(
        json!({"EncodedMetadataDocument": STANDARD.encode(crowded)}),
        "LimitExceeded",
    );

    // With a provider: certificates.
    set(
        &p,
        zone,
        json!({"EncodedMetadataDocument": metadata(), "SSOStatus": "Enabled"}),
    );
    let add_fails = |cert: &str, code: &str| {
        fails(
            "AddExternalSAMLIdPCertificate",
            json!({"X509Certificate": cert}),
            code,
        )
    };
    add_fails(
        SAML_SIGNING_CERTIFICATE,
        "FailedOperation.X509CertificateAlreadyExist",
    );
    add_fails(
        "not a certificate",
        "InvalidParameterValue.X509CertificateFormatError",
    );
    add_fails(&corrupted(), "FailedOperation.X509CertificateParsingFailed");
    let only = p.ok(
        V21,
        "ListExternalSAMLIdPCertificates",
        HOST,
        json!({"ZoneId": zone}),
    )["SAMLIdPCertificates"][0]["CertificateId"]
        .clone();
    fails(
        "RemoveExternalSAMLIdPCertificate",
        json!({"CertificateId": only}),
        "FailedOperation.X509CertificateMinimumRequired",
    );
    fails(
        "RemoveExternalSAMLIdPCertificate",
        json!({"CertificateId": "idp-c-000000000000"}),
        "ResourceNotFound.X509CertificateNotFound",
    );
    fails(
        "ClearExternalSAMLIdentityProvider",
        json!({}),
        "FailedOperation.SSoStatusEnableNotClearIdentityProvider",
    );
    // Up to five.
    p.ok(
        V21,
        "AddExternalSAMLIdPCertificate",
        HOST,
        json!({"ZoneId": zone, "X509Certificate": SAML_ROLLOVER_CERTIFICATE}),
    );
    for pem in generated_certificates(3) {
        p.ok(
            V21,
            "AddExternalSAMLIdPCertificate",
            HOST,
            json!({"ZoneId": zone, "X509Certificate": pem}),
        );
    }
    add_fails(
        &generated_certificates(4)[3],
        "FailedOperation.X509CertificateLimitExceeded",
    );
    p.failed()
}

/// `n` distinct certificates: the signing certificate's DER with its serial number changed
/// (the signature no longer verifies, which the mock does not check: it parses).
fn generated_certificates(n: usize) -> Vec<String> {
    let body: String = SAML_SIGNING_CERTIFICATE
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = STANDARD.decode(body).unwrap();
    // The serial's last byte (1347934239 = 0x5057D81F): find it in the DER.
    let at = der
        .windows(4)
        .position(|w| w == [0x50, 0x57, 0xd8, 0x1f])
        .unwrap()
        + 3;
    (0..n)
        .map(|i| {
            let mut copy = der.clone();
            copy[at] = i as u8;
            STANDARD.encode(copy)
        })
        .collect()
}

fn extra_keys(n: usize) -> String {
    let keys: String = generated_certificates(n)
        .iter()
        .map(|c| {
            format!(
                "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\
                 <ds:X509Data><ds:X509Certificate>{c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            )
        })
        .collect();
    format!("{keys}</md:IDPSSODescriptor>")
}

#[test]
fn saml_errors() {
    triggers();
}

pub(super) fn every_action_once(p: &Probe, zone: &str) {
    let call = |action: &str, params: Value| p.ok(V21, action, HOST, with_zone(zone, params));
    call("GetZoneSAMLServiceProviderInfo", json!({}));
    call(
        "SetExternalSAMLIdentityProvider",
        json!({"EncodedMetadataDocument": metadata()}),
    );
    call("GetExternalSAMLIdentityProvider", json!({}));
    let id = call(
        "AddExternalSAMLIdPCertificate",
        json!({"X509Certificate": SAML_ROLLOVER_CERTIFICATE}),
    )["CertificateId"]
        .clone();
    call("ListExternalSAMLIdPCertificates", json!({}));
    call(
        "RemoveExternalSAMLIdPCertificate",
        json!({"CertificateId": id}),
    );
    call("ClearExternalSAMLIdentityProvider", json!({}));
}

#[test]
fn metadata_sets_the_provider_and_reads_return_it() {
    let (p, zone) = opened();
    let set_answer = set(&p, &zone, json!({"EncodedMetadataDocument": metadata()}));
    let ids = set_answer["CertificateIds"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 1);
    let id = ids[0].as_str().unwrap();
    assert!(id.starts_with("idp-c-") && id.len() == 18, "{id}");
    let got = p.ok(
        V21,
        "GetExternalSAMLIdentityProvider",
        HOST,
        json!({"ZoneId": zone}),
    )["SAMLIdentityProviderConfiguration"]
        .clone();
    assert_eq!(
        got,
        json!({
            "EntityId": "https://idp.example.com/saml/metadata",
            "SSOStatus": "Disabled",
            "EncodedMetadataDocument": metadata(),
            "CertificateIds": [id],
            "LoginUrl": "https://idp.example.com/sso/saml",
            "CreateTime": "2021-04-16 11:49:39",
            "UpdateTime": "2021-04-16 11:49:39",
        })
    );
    // The certificate as OpenSSL reads it (fixtures/saml/README.md).
    let listed = p.ok(
        V21,
        "ListExternalSAMLIdPCertificates",
        HOST,
        json!({"ZoneId": zone}),
    );
    assert_eq!(listed["TotalCounts"], 1);
    let cert = &listed["SAMLIdPCertificates"][0];
    assert_eq!(cert["CertificateId"], id);
    assert_eq!(cert["SerialNumber"], "1347934239");
    assert_eq!(
        cert["Issuer"],
        "CN=idp.example.com,OU=SSOProvider,O=Example IdP"
    );
    assert_eq!(cert["Subject"], cert["Issuer"]);
    assert_eq!(cert["Version"], 3);
    assert_eq!(cert["SignatureAlgorithm"], "SHA256withRSA");
    assert_eq!(cert["NotBefore"], "2026-12-01 18:56:35");
    assert_eq!(cert["NotAfter"], "2056-11-23 18:56:35");
    assert_eq!(cert["X509Certificate"], SAML_SIGNING_CERTIFICATE);
    assert!(cert["PublicKey"].as_str().unwrap().starts_with("MIIBIjAN"));

    // Fields given alongside win; a later call changes only what it gives.
    p.now.set(NOW + 10);
    set(
        &p,
        &zone,
        json!({"LoginUrl": "https://idp.example.com/other", "SSOStatus": "Enabled"}),
    );
    let got = p.ok(
        V21,
        "GetExternalSAMLIdentityProvider",
        HOST,
        json!({"ZoneId": zone}),
    )["SAMLIdentityProviderConfiguration"]
        .clone();
    assert_eq!(got["LoginUrl"], "https://idp.example.com/other");
    assert_eq!(got["EntityId"], "https://idp.example.com/saml/metadata");
    assert_eq!(got["SSOStatus"], "Enabled");
    assert_eq!(got["CertificateIds"], json!([id]));
    assert_eq!(got["CreateTime"], "2021-04-16 11:49:39");
    assert_eq!(got["UpdateTime"], "2021-04-16 11:49:49");
}

#[test]
fn certificates_are_added_replaced_removed_and_cleared() {
    let (p, zone) = opened();
    set(
        &p,
        &zone,
        json!({"EntityId": "https://idp.example.com", "LoginUrl": "https://idp.example.com/sso",
               "X509Certificate": SAML_SIGNING_CERTIFICATE}),
    );
    let added = p.ok(
        V21,
        "AddExternalSAMLIdPCertificate",
        HOST,
        json!({"ZoneId": zone, "X509Certificate": SAML_ROLLOVER_CERTIFICATE}),
    )["CertificateId"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = |p: &Probe| {
        p.ok(
            V21,
            "ListExternalSAMLIdPCertificates",
            HOST,
            json!({"ZoneId": zone}),
        )
    };
    let listed = list(&p);
    assert_eq!(listed["TotalCounts"], 2);
    let rollover = &listed["SAMLIdPCertificates"][1];
    assert_eq!(rollover["CertificateId"], added.as_str());
    assert_eq!(rollover["SerialNumber"], "20988295479420645121");
    assert_eq!(rollover["SignatureAlgorithm"], "SHA256withECDSA");
    assert_eq!(
        rollover["Issuer"],
        "CN=idp-rollover.example.com,OU=SSOProvider,O=Example IdP"
    );

    // A certificate given to Set replaces them all.
    let replaced = set(
        &p,
        &zone,
        json!({"X509Certificate": SAML_ROLLOVER_CERTIFICATE}),
    )["CertificateIds"]
        .clone();
    let listed = list(&p);
    assert_eq!(listed["TotalCounts"], 1);
    assert_eq!(
        listed["SAMLIdPCertificates"][0]["CertificateId"],
        replaced[0]
    );
    assert_ne!(
        replaced[0],
        added.as_str(),
        "a replaced certificate has a new ID"
    );

    p.ok(
        V21,
        "RemoveExternalSAMLIdPCertificate",
        HOST,
        json!({"ZoneId": zone, "CertificateId": replaced[0]}),
    );
    assert_eq!(list(&p)["TotalCounts"], 0);
    p.ok(
        V21,
        "ClearExternalSAMLIdentityProvider",
        HOST,
        json!({"ZoneId": zone}),
    );
    p.fails(
        V21,
        "GetExternalSAMLIdentityProvider",
        HOST,
        json!({"ZoneId": zone}),
        NO_IDP,
    );
    assert_eq!(list(&p)["TotalCounts"], 0);
}

#[test]
fn the_service_provider_info_names_the_zone() {
    let (p, zone) = opened();
    let sp = p.ok(
        V21,
        "GetZoneSAMLServiceProviderInfo",
        HOST,
        json!({"ZoneId": zone}),
    )["SAMLServiceProvider"]
        .clone();
    assert_eq!(sp["ZoneId"], zone.as_str());
    assert_eq!(
        sp["EntityId"],
        format!("https://tencentcloudsso.com/saml/sp/{zone}")
    );
    assert_eq!(
        sp["AcsUrl"],
        format!("https://tencentcloudsso.com/saml/acs/{zone}")
    );
    assert!(!sp["EncodedMetadataDocument"].as_str().unwrap().is_empty());
}

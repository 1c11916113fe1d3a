//! Single sign-on over HTTP: the identity provider set from metadata, its certificates, the
//! service provider's information.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::json;
use tco_client::models::v2021_03_31::{
    AddExternalSamlIdpCertificateRequest, GetExternalSamlIdentityProviderRequest,
    GetZoneSamlServiceProviderInfoRequest, ListExternalSamlIdpCertificatesRequest,
    SetExternalSamlIdentityProviderRequest,
};
use tco_mock::fixtures::{SAML_IDP_METADATA, SAML_ROLLOVER_CERTIFICATE, SAML_SIGNING_CERTIFICATE};

use super::{opened, z};

#[tokio::test]
async fn set_the_identity_provider_then_read_it_and_its_certificates() {
    let (w, zone) = opened().await;
    let api = w.host.v2021_03_31();
    let set = api
        .set_external_saml_identity_provider(SetExternalSamlIdentityProviderRequest {
            zone_id: zone.clone(),
            encoded_metadata_document: Some(STANDARD.encode(SAML_IDP_METADATA)),
            sso_status: Some("Enabled".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let cert_ids = set.certificate_ids.unwrap();
    assert_eq!(cert_ids.len(), 1);
    let got = api
        .get_external_saml_identity_provider(GetExternalSamlIdentityProviderRequest {
            zone_id: zone.clone(),
        })
        .await
        .unwrap()
        .saml_identity_provider_configuration;
    assert_eq!(got.entity_id, "https://idp.example.com/saml/metadata");
    assert_eq!(got.login_url, "https://idp.example.com/sso/saml");
    assert_eq!(got.sso_status, "Enabled");
    assert_eq!(got.certificate_ids, cert_ids);

    // What OpenSSL reads in the signing certificate (fixtures/saml/README.md).
    let listed = api
        .list_external_saml_idp_certificates(ListExternalSamlIdpCertificatesRequest {
            zone_id: zone.clone(),
        })
        .await
        .unwrap();
    assert_eq!(listed.total_counts, 1);
    let cert = &listed.saml_idp_certificates[0];
    assert_eq!(cert.certificate_id, cert_ids[0]);
    assert_eq!(cert.serial_number, "1347934239");
    assert_eq!(
        cert.issuer,
        "CN=idp.example.com,OU=SSOProvider,O=Example IdP"
    );
    assert_eq!(cert.not_before, "2026-12-01 18:56:35");
    assert_eq!(cert.not_after, "2056-11-23 18:56:35");
    assert_eq!(cert.x509_certificate, SAML_SIGNING_CERTIFICATE);

    // SSO on: the provider cannot be cleared, nor lose its last certificate.
    w.fails(
        "ClearExternalSAMLIdentityProvider",
        z(&zone, json!({})),
        "FailedOperation.SSoStatusEnableNotClearIdentityProvider",
    )
    .await;
    w.fails(
        "RemoveExternalSAMLIdPCertificate",
        z(&zone, json!({"CertificateId": cert_ids[0]})),
        "FailedOperation.X509CertificateMinimumRequired",
    )
    .await;
}

#[tokio::test]
async fn certificates_are_added_removed_and_the_provider_cleared() {
    let (w, zone) = opened().await;
    let api = w.host.v2021_03_31();
    w.ok(
        "SetExternalSAMLIdentityProvider",
        z(
            &zone,
            json!({"EntityId": "https://idp.example.com", "LoginUrl": "https://idp.example.com/sso",
                   "X509Certificate": SAML_SIGNING_CERTIFICATE}),
        ),
    )
    .await;
    let added = api
        .add_external_saml_idp_certificate(AddExternalSamlIdpCertificateRequest {
            zone_id: zone.clone(),
            x509_certificate: SAML_ROLLOVER_CERTIFICATE.into(),
        })
        .await
        .unwrap()
        .certificate_id
        .expect("AddExternalSAMLIdPCertificate answers its CertificateId");
    let listed = w
        .ok("ListExternalSAMLIdPCertificates", z(&zone, json!({})))
        .await;
    assert_eq!(listed["TotalCounts"], 2);
    assert_eq!(
        listed["SAMLIdPCertificates"][1]["CertificateId"],
        added.as_str()
    );
    assert_eq!(
        listed["SAMLIdPCertificates"][1]["SerialNumber"],
        "20988295479420645121"
    );
    w.fails(
        "AddExternalSAMLIdPCertificate",
        z(
            &zone,
            json!({"X509Certificate": "MIIBtjCCAVugAwIBAgITBmyf1XSX***"}),
        ),
        "InvalidParameterValue.X509CertificateFormatError",
    )
    .await;

    w.ok(
        "RemoveExternalSAMLIdPCertificate",
        z(&zone, json!({"CertificateId": added})),
    )
    .await;
    let listed = w
        .ok("ListExternalSAMLIdPCertificates", z(&zone, json!({})))
        .await;
    assert_eq!(listed["TotalCounts"], 1);
    let provider = w
        .ok("GetExternalSAMLIdentityProvider", z(&zone, json!({})))
        .await;
    assert_eq!(
        provider["SAMLIdentityProviderConfiguration"]["CertificateIds"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    w.ok("ClearExternalSAMLIdentityProvider", z(&zone, json!({})))
        .await;
    w.fails(
        "GetExternalSAMLIdentityProvider",
        z(&zone, json!({})),
        "ResourceNotFound.SAMLIdentityProviderNotFound",
    )
    .await;
    assert_eq!(
        w.ok("ListExternalSAMLIdPCertificates", z(&zone, json!({})))
            .await["TotalCounts"],
        0
    );
}

#[tokio::test]
async fn the_service_provider_info_names_the_opened_zone() {
    let (w, zone) = opened().await;
    let sp = w
        .host
        .v2021_03_31()
        .get_zone_saml_service_provider_info(GetZoneSamlServiceProviderInfoRequest {
            zone_id: zone.clone(),
        })
        .await
        .unwrap()
        .saml_service_provider;
    assert_eq!(sp.zone_id, zone);
    assert!(sp.entity_id.ends_with(&zone), "{}", sp.entity_id);
    assert!(sp.acs_url.ends_with(&zone), "{}", sp.acs_url);
    let decoded =
        String::from_utf8(STANDARD.decode(&sp.encoded_metadata_document).unwrap()).unwrap();
    assert!(decoded.contains(&zone));
}

//! Single sign-on: the zone's external SAML identity provider (set, read, cleared), its signing
//! certificates, and the zone's own service-provider information.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;
use crate::state::failure::Failure;
use crate::state::org::model::format_time;
use crate::state::{BusinessError, Ctx, Handler};

use super::saml_cert::{self, CertError, CertInfo};
use super::saml_metadata::{self, MetadataError};
use super::zone::{self, NOT_OPEN, ZONE_NOT_EXIST};
use super::{Switch, Zone};

type Result<T> = std::result::Result<T, BusinessError>;

/// Signing certificates per identity provider: the mock's choice (the documentation has the
/// code, not the number).
pub(crate) const MAX_CERTIFICATES: usize = 5;

/// A zone's single sign-on configuration.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Saml {
    pub(super) idp: Option<IdentityProvider>,
}

/// In a seed: `entity_id`, `login_url`, `sso` (disabled if left out, as the action) and the
/// signing certificates as PEM in `pem_certificates`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdentityProvider {
    #[serde(default)]
    pub entity_id: String,
    #[serde(default)]
    pub login_url: String,
    #[serde(default = "disabled")]
    pub sso: Switch,
    /// The metadata document as last given (base64), empty if none was.
    #[serde(default)]
    pub metadata: String,
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// A seed's certificates, PEM or bare base64, read into `certificates` when the document
    /// is loaded; never written.
    #[serde(default, skip_serializing)]
    pub pem_certificates: Vec<String>,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

fn disabled() -> Switch {
    Switch::Disabled
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Certificate {
    pub id: String,
    pub seq: u64,
    pub info: CertInfo,
}

impl Saml {}

impl Certificate {
    fn json(&self) -> Value {
        let c = &self.info;
        json!({
            "SerialNumber": c.serial,
            "Issuer": c.issuer,
            "Version": c.version,
            "CertificateId": self.id,
            "PublicKey": c.public_key,
            "SignatureAlgorithm": c.signature_algorithm,
            "NotAfter": format_time(c.not_after),
            "NotBefore": format_time(c.not_before),
            "Subject": c.subject,
            "X509Certificate": c.pem,
        })
    }
}

/// The zone has no external identity provider.
pub(crate) const IDP_NOT_FOUND: Failure = Failure {
    name: "IdpNotFound",
    codes: &["ResourceNotFound.SAMLIdentityProviderNotFound"],
    fallback: "ResourceNotFound",
    message: "The zone has no external SAML identity provider.",
};

/// An SSO status other than Enabled or Disabled, or enabling SSO on an incomplete provider.
pub(crate) const SSO_STATUS_INVALID: Failure = Failure {
    name: "SsoStatusInvalid",
    codes: &["InvalidParameterValue.SSoStatusInvalid"],
    fallback: "InvalidParameterValue",
    message: "SSO is Enabled or Disabled, and enabled only with an entity ID, a login URL and a certificate.",
};

/// Clearing the provider while SSO is on.
pub(crate) const SSO_ENABLED: Failure = Failure {
    name: "SsoEnabled",
    codes: &["FailedOperation.SSoStatusEnableNotClearIdentityProvider"],
    fallback: "FailedOperation",
    message: "The identity provider cannot be cleared while SSO is enabled.",
};

/// The metadata document is not base64 text.
pub(crate) const METADATA_UNDECODABLE: Failure = Failure {
    name: "MetadataUndecodable",
    codes: &["FailedOperation.DecodeMetadataDocumentFailed"],
    fallback: "FailedOperation",
    message: "The metadata document is not base64-encoded UTF-8 text.",
};

/// The metadata document is not SAML metadata XML.
pub(crate) const METADATA_NOT_XML: Failure = Failure {
    name: "MetadataNotXml",
    codes: &["FailedOperation.XMLDataUnmarshalFailed"],
    fallback: "FailedOperation",
    message: "The metadata document is not well-formed SAML metadata.",
};

/// A certificate that is neither PEM nor base64.
pub(crate) const CERT_FORMAT: Failure = Failure {
    name: "CertFormat",
    codes: &["InvalidParameterValue.X509CertificateFormatError"],
    fallback: "InvalidParameterValue",
    message: "An X.509 certificate is PEM text or its base64 body.",
};

/// Base64 that is not a DER certificate.
pub(crate) const CERT_UNPARSEABLE: Failure = Failure {
    name: "CertUnparseable",
    codes: &["FailedOperation.X509CertificateParsingFailed"],
    fallback: "FailedOperation",
    message: "The X.509 certificate could not be parsed.",
};

/// The provider has this certificate already.
pub(crate) const CERT_EXISTS: Failure = Failure {
    name: "CertExists",
    codes: &["FailedOperation.X509CertificateAlreadyExist"],
    fallback: "FailedOperation",
    message: "The identity provider has this certificate already.",
};

/// The provider has as many certificates as it may have.
pub(crate) const CERT_LIMIT: Failure = Failure {
    name: "CertLimit",
    codes: &["FailedOperation.X509CertificateLimitExceeded"],
    fallback: "LimitExceeded",
    message: "The identity provider has as many certificates as it may have.",
};

/// Removing the last certificate while SSO is on.
pub(crate) const CERT_MINIMUM: Failure = Failure {
    name: "CertMinimum",
    codes: &["FailedOperation.X509CertificateMinimumRequired"],
    fallback: "FailedOperation",
    message: "While SSO is enabled the identity provider keeps at least one certificate.",
};

/// No certificate with this ID.
pub(crate) const CERT_NOT_FOUND: Failure = Failure {
    name: "CertNotFound",
    codes: &["ResourceNotFound.X509CertificateNotFound"],
    fallback: "ResourceNotFound",
    message: "The identity provider has no certificate with this ID.",
};

pub(crate) static HANDLERS: &[Handler] = &[
    Handler {
        action: "SetExternalSAMLIdentityProvider",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            SSO_STATUS_INVALID,
            METADATA_UNDECODABLE,
            METADATA_NOT_XML,
            CERT_FORMAT,
            CERT_UNPARSEABLE,
            CERT_LIMIT,
        ],
        run: set_external_saml_identity_provider,
    },
    Handler {
        action: "GetExternalSAMLIdentityProvider",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, IDP_NOT_FOUND],
        run: get_external_saml_identity_provider,
    },
    Handler {
        action: "ClearExternalSAMLIdentityProvider",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, IDP_NOT_FOUND, SSO_ENABLED],
        run: clear_external_saml_identity_provider,
    },
    Handler {
        action: "AddExternalSAMLIdPCertificate",
        raises: &[
            NOT_OPEN,
            ZONE_NOT_EXIST,
            IDP_NOT_FOUND,
            CERT_FORMAT,
            CERT_UNPARSEABLE,
            CERT_EXISTS,
            CERT_LIMIT,
        ],
        run: add_external_saml_idp_certificate,
    },
    Handler {
        action: "ListExternalSAMLIdPCertificates",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST],
        run: list_external_saml_idp_certificates,
    },
    Handler {
        action: "RemoveExternalSAMLIdPCertificate",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST, CERT_NOT_FOUND, CERT_MINIMUM],
        run: remove_external_saml_idp_certificate,
    },
    Handler {
        action: "GetZoneSAMLServiceProviderInfo",
        raises: &[NOT_OPEN, ZONE_NOT_EXIST],
        run: get_zone_saml_service_provider_info,
    },
];

pub(super) fn decisions() -> Vec<String> {
    vec![
        "SAML: `SetExternalSAMLIdentityProvider` creates the zone's identity provider or changes the members it \
             is given. An `EncodedMetadataDocument` is base64 SAML 2.0 metadata \
             (`FailedOperation.DecodeMetadataDocumentFailed` if not base64 text, \
             `FailedOperation.XMLDataUnmarshalFailed` if not metadata XML): its `entityID`, first \
             `SingleSignOnService` location and signing certificates are taken; `EntityId`, `LoginUrl` and \
             `X509Certificate` given alongside win over it, and certificates given either way replace the \
             provider's. `SSOStatus` is `Disabled` until set; it can be `Enabled` only with an entity ID, a login \
             URL and a certificate (`InvalidParameterValue.SSoStatusInvalid`, also for a value other than \
             `Enabled`/`Disabled`). Clearing is refused while SSO is enabled \
             (`FailedOperation.SSoStatusEnableNotClearIdentityProvider`)."
            .to_owned(),
        format!(
            "SAML certificates are parsed as X.509 (PEM, or the bare base64 body as the contract's examples send \
             it): text that is not PEM or base64 gets `InvalidParameterValue.X509CertificateFormatError`, base64 \
             that is not a certificate `FailedOperation.X509CertificateParsingFailed`. Lists report the \
             certificate's real serial number (decimal), issuer and subject (RFC 4514, most specific first, as \
             the example shows), version, validity, signature algorithm (`SHA256withRSA` style) and public key, \
             and the certificate as PEM. At most {MAX_CERTIFICATES} per provider, a number of the mock's choosing \
             (`FailedOperation.X509CertificateLimitExceeded`); the same certificate twice is \
             `FailedOperation.X509CertificateAlreadyExist`; adding one before a provider is set is \
             `ResourceNotFound`; the last one cannot be removed while SSO is enabled \
             (`FailedOperation.X509CertificateMinimumRequired`). Listing without a provider lists nothing."
        ),
        "`GetZoneSAMLServiceProviderInfo` answers for every open zone: entity ID \
         `https://tencentcloudsso.com/saml/sp/<ZoneId>`, ACS URL `https://tencentcloudsso.com/saml/acs/<ZoneId>` \
         (the example's host), and SP metadata naming both, percent-encoded then base64 as the example is."
            .to_owned(),
    ]
}

fn text<'a>(ctx: &'a Ctx<'_>, key: &str) -> &'a str {
    ctx.str(key).unwrap_or("")
}

/// `text` as a certificate, or the failure that says why not.
fn certificate(ctx: &Ctx<'_>, text: &str) -> Result<CertInfo> {
    saml_cert::parse(text).map_err(|e| match e {
        CertError::Format => ctx.err(CERT_FORMAT),
        CertError::Parse => ctx.err(CERT_UNPARSEABLE),
    })
}

/// What a `SetExternalSAMLIdentityProvider` call gives, checked.
struct Given {
    entity_id: Option<String>,
    login_url: Option<String>,
    sso: Option<Switch>,
    metadata: Option<String>,
    certificates: Option<Vec<CertInfo>>,
}

impl Given {
    fn read(ctx: &Ctx<'_>) -> Result<Given> {
        let sso = match ctx.str("SSOStatus").filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                Switch::parse(s)
                    .ok_or_else(|| ctx.err_with(SSO_STATUS_INVALID, format!("({s:?})")))?,
            ),
        };
        let mut given = Given {
            entity_id: None,
            login_url: None,
            sso,
            metadata: None,
            certificates: None,
        };
        if let Some(encoded) = ctx.str("EncodedMetadataDocument").filter(|s| !s.is_empty()) {
            let read = saml_metadata::read_idp(encoded).map_err(|e| match e {
                MetadataError::Decode => ctx.err(METADATA_UNDECODABLE),
                MetadataError::Xml => ctx.err(METADATA_NOT_XML),
            })?;
            given.entity_id = Some(read.entity_id);
            given.login_url = Some(read.login_url);
            if !read.certificates.is_empty() {
                let parsed: Result<Vec<CertInfo>> = read
                    .certificates
                    .iter()
                    .map(|c| certificate(ctx, c))
                    .collect();
                given.certificates = Some(parsed?);
            }
            given.metadata = Some(encoded.to_owned());
        }
        if let Some(id) = ctx.str("EntityId").filter(|s| !s.is_empty()) {
            given.entity_id = Some(id.to_owned());
        }
        if let Some(url) = ctx.str("LoginUrl").filter(|s| !s.is_empty()) {
            given.login_url = Some(url.to_owned());
        }
        if let Some(pem) = ctx.str("X509Certificate").filter(|s| !s.is_empty()) {
            given.certificates = Some(vec![certificate(ctx, pem)?]);
        }
        if let Some(certs) = given.certificates.take() {
            let mut distinct: Vec<CertInfo> = Vec::new();
            for c in certs {
                if !distinct.iter().any(|d| d.pem == c.pem) {
                    distinct.push(c);
                }
            }
            given.certificates = Some(distinct);
        }
        if given
            .certificates
            .as_ref()
            .is_some_and(|c| c.len() > MAX_CERTIFICATES)
        {
            return Err(ctx.err_with(CERT_LIMIT, format!("(at most {MAX_CERTIFICATES})")));
        }
        Ok(given)
    }
}

fn set_external_saml_identity_provider(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let given = Given::read(ctx)?;
    let old = z.saml.idp.as_ref();
    let entity_id = given
        .entity_id
        .or_else(|| old.map(|p| p.entity_id.clone()))
        .unwrap_or_default();
    let login_url = given
        .login_url
        .or_else(|| old.map(|p| p.login_url.clone()))
        .unwrap_or_default();
    let sso = given
        .sso
        .or_else(|| old.map(|p| p.sso))
        .unwrap_or(Switch::Disabled);
    let keeps_certificates = given.certificates.is_none();
    let certificate_count = match &given.certificates {
        Some(new) => new.len(),
        None => old.map_or(0, |p| p.certificates.len()),
    };
    if sso == Switch::Enabled
        && (entity_id.is_empty() || login_url.is_empty() || certificate_count == 0)
    {
        return Err(ctx.err_with(
            SSO_STATUS_INVALID,
            "(the provider lacks an entity ID, a login URL or a certificate)",
        ));
    }
    let zone_id = z.id.clone();
    let mut certificates = if keeps_certificates {
        old.map(|p| p.certificates.clone()).unwrap_or_default()
    } else {
        Vec::new()
    };
    for info in given.certificates.unwrap_or_default() {
        let (seq, id) = inner.identity_center.new_id("idp-c-", 12);
        certificates.push(Certificate { id, seq, info });
    }
    let z = zone::by_id_mut(inner, &zone_id);
    let (metadata, create_time) = match &z.saml.idp {
        Some(p) => (
            given.metadata.unwrap_or_else(|| p.metadata.clone()),
            p.create_time,
        ),
        None => (given.metadata.unwrap_or_default(), ctx.now),
    };
    let ids: Vec<String> = certificates.iter().map(|c| c.id.clone()).collect();
    z.saml.idp = Some(IdentityProvider {
        entity_id,
        login_url,
        sso,
        metadata,
        certificates,
        pem_certificates: Vec::new(),
        create_time,
        update_time: ctx.now,
    });
    Ok(json!({ "CertificateIds": ids }))
}

/// The caller's zone and its identity provider.
fn provider<'a>(inner: &'a Inner, ctx: &Ctx<'_>) -> Result<(&'a Zone, &'a IdentityProvider)> {
    let z = zone::zone(inner, ctx)?;
    let p = z.saml.idp.as_ref().ok_or_else(|| ctx.err(IDP_NOT_FOUND))?;
    Ok((z, p))
}

fn get_external_saml_identity_provider(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (_, p) = provider(inner, ctx)?;
    Ok(json!({
        "SAMLIdentityProviderConfiguration": {
            "EntityId": p.entity_id,
            "SSOStatus": p.sso.as_str(),
            "EncodedMetadataDocument": p.metadata,
            "CertificateIds": p.certificates.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            "LoginUrl": p.login_url,
            "CreateTime": format_time(p.create_time),
            "UpdateTime": format_time(p.update_time),
        }
    }))
}

fn clear_external_saml_identity_provider(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (z, p) = provider(inner, ctx)?;
    if p.sso == Switch::Enabled {
        return Err(ctx.err(SSO_ENABLED));
    }
    let zone_id = z.id.clone();
    zone::by_id_mut(inner, &zone_id).saml.idp = None;
    Ok(json!({}))
}

fn add_external_saml_idp_certificate(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let (z, p) = provider(inner, ctx)?;
    let info = certificate(ctx, text(ctx, "X509Certificate"))?;
    if let Some(same) = p.certificates.iter().find(|c| c.info.pem == info.pem) {
        return Err(ctx.err_with(CERT_EXISTS, format!("({})", same.id)));
    }
    if p.certificates.len() >= MAX_CERTIFICATES {
        return Err(ctx.err_with(CERT_LIMIT, format!("(at most {MAX_CERTIFICATES})")));
    }
    let zone_id = z.id.clone();
    let (seq, id) = inner.identity_center.new_id("idp-c-", 12);
    if let Some(p) = zone::by_id_mut(inner, &zone_id).saml.idp.as_mut() {
        p.certificates.push(Certificate {
            id: id.clone(),
            seq,
            info,
        });
        p.update_time = ctx.now;
    }
    Ok(json!({ "CertificateId": id }))
}

fn list_external_saml_idp_certificates(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let listed: Vec<Value> = z
        .saml
        .idp
        .iter()
        .flat_map(|p| p.certificates.iter().map(Certificate::json))
        .collect();
    Ok(json!({ "TotalCounts": listed.len(), "SAMLIdPCertificates": listed }))
}

fn remove_external_saml_idp_certificate(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    let id = text(ctx, "CertificateId");
    let p = z
        .saml
        .idp
        .as_ref()
        .filter(|p| p.certificates.iter().any(|c| c.id == id))
        .ok_or_else(|| ctx.err_with(CERT_NOT_FOUND, format!("({id})")))?;
    if p.sso == Switch::Enabled && p.certificates.len() == 1 {
        return Err(ctx.err(CERT_MINIMUM));
    }
    let zone_id = z.id.clone();
    if let Some(p) = zone::by_id_mut(inner, &zone_id).saml.idp.as_mut() {
        p.certificates.retain(|c| c.id != id);
        p.update_time = ctx.now;
    }
    Ok(json!({}))
}

fn get_zone_saml_service_provider_info(inner: &mut Inner, ctx: &Ctx<'_>) -> Result<Value> {
    let z = zone::zone(inner, ctx)?;
    Ok(json!({
        "SAMLServiceProvider": {
            "EntityId": saml_metadata::sp_entity_id(&z.id),
            "ZoneId": z.id,
            "EncodedMetadataDocument": saml_metadata::sp_document(&z.id),
            "AcsUrl": saml_metadata::sp_acs_url(&z.id),
        }
    }))
}

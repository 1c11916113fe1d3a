//! SAML 2.0 metadata documents: what the mock reads from an identity provider's (its entity ID,
//! single sign-on URL and signing certificates) and the service provider's it hands out.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// Why an `EncodedMetadataDocument` could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetadataError {
    /// Not base64, or not UTF-8 text.
    Decode,
    /// Not well-formed XML, or no `EntityDescriptor`.
    Xml,
}

/// What an identity provider's metadata says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdpMetadata {
    pub entity_id: String,
    /// The first `SingleSignOnService` location.
    pub login_url: String,
    /// The base64 bodies of the signing certificates, in document order.
    pub certificates: Vec<String>,
}

/// Reads a base64-encoded IdP metadata document.
pub(crate) fn read_idp(encoded: &str) -> Result<IdpMetadata, MetadataError> {
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD
        .decode(compact)
        .map_err(|_| MetadataError::Decode)?;
    let xml = String::from_utf8(bytes).map_err(|_| MetadataError::Decode)?;
    parse_idp(&xml)
}

fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::default()).ok())
        .map(|v| v.into_owned())
}

/// What the walk has found so far.
#[derive(Default)]
struct Walk {
    found: IdpMetadata,
    saw_entity: bool,
    /// Whether the enclosing KeyDescriptor is for signing (no `use`, or `use="signing"`).
    signing_key: bool,
    /// Local names of the open elements.
    path: Vec<Vec<u8>>,
}

impl Walk {
    fn element(&mut self, e: &BytesStart<'_>) {
        match e.local_name().as_ref() {
            b"EntityDescriptor" => {
                self.saw_entity = true;
                self.found.entity_id = attribute(e, b"entityID").unwrap_or_default();
            }
            b"SingleSignOnService" if self.found.login_url.is_empty() => {
                self.found.login_url = attribute(e, b"Location").unwrap_or_default();
            }
            b"KeyDescriptor" => {
                self.signing_key = attribute(e, b"use").is_none_or(|u| u == "signing");
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let in_certificate = self.path.last().is_some_and(|n| n == b"X509Certificate")
            && self.path.iter().any(|n| n == b"KeyDescriptor");
        if in_certificate && self.signing_key {
            let body: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if !body.is_empty() {
                self.found.certificates.push(body);
            }
        }
    }
}

/// Walks the document, keeping the path of local names, to find the three things it needs.
fn parse_idp(xml: &str) -> Result<IdpMetadata, MetadataError> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    loop {
        match reader.read_event().map_err(|_| MetadataError::Xml)? {
            Event::Start(e) => {
                walk.element(&e);
                walk.path.push(e.local_name().as_ref().to_vec());
            }
            Event::Empty(e) => walk.element(&e),
            Event::End(_) => {
                walk.path.pop();
            }
            Event::Text(t) => walk.text(&t.decode().map_err(|_| MetadataError::Xml)?),
            Event::Eof => break,
            _ => {}
        }
    }
    if !walk.path.is_empty() || !walk.saw_entity {
        return Err(MetadataError::Xml);
    }
    Ok(walk.found)
}

/// The service provider's entity ID and assertion consumer URL for `zone_id`, on the host the
/// contract's example shows.
pub(crate) fn sp_entity_id(zone_id: &str) -> String {
    format!("https://tencentcloudsso.com/saml/sp/{zone_id}")
}

pub(crate) fn sp_acs_url(zone_id: &str) -> String {
    format!("https://tencentcloudsso.com/saml/acs/{zone_id}")
}

/// What `encodeURIComponent` leaves alone.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The SP metadata document, encoded as the contract's example encodes it: the XML
/// percent-encoded, then base64.
pub(crate) fn sp_document(zone_id: &str) -> String {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"{entity}\">\
         <md:SPSSODescriptor AuthnRequestsSigned=\"false\" WantAssertionsSigned=\"true\" \
         protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
         <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>\
         <md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" \
         Location=\"{acs}\" index=\"0\" isDefault=\"true\"/>\
         </md:SPSSODescriptor></md:EntityDescriptor>",
        entity = sp_entity_id(zone_id),
        acs = sp_acs_url(zone_id),
    );
    STANDARD.encode(utf8_percent_encode(&xml, URI_COMPONENT).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const METADATA: &str = include_str!("../../../fixtures/saml/idp-metadata.xml");
    const SIGNING: &str = include_str!("../../../fixtures/saml/idp-signing.pem");

    #[test]
    fn reads_an_identity_providers_metadata() {
        let read = read_idp(&STANDARD.encode(METADATA)).unwrap();
        assert_eq!(read.entity_id, "https://idp.example.com/saml/metadata");
        assert_eq!(read.login_url, "https://idp.example.com/sso/saml");
        let body: String = SIGNING
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert_eq!(read.certificates, [body]);
    }

    #[test]
    fn encryption_keys_are_not_signing_keys() {
        let xml = r#"<EntityDescriptor entityID="e"><IDPSSODescriptor>
            <KeyDescriptor use="encryption"><KeyInfo><X509Data><X509Certificate>AAAA</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
            <KeyDescriptor><KeyInfo><X509Data><X509Certificate> BB
            BB </X509Certificate></X509Data></KeyInfo></KeyDescriptor>
            </IDPSSODescriptor></EntityDescriptor>"#;
        let read = parse_idp(xml).unwrap();
        assert_eq!(read.certificates, ["BBBB"]);
        assert_eq!(read.login_url, "");
    }

    #[test]
    fn refuses_what_is_not_metadata() {
        assert_eq!(read_idp("not base64 ***"), Err(MetadataError::Decode));
        assert_eq!(
            read_idp(&STANDARD.encode([0xff, 0xfe])),
            Err(MetadataError::Decode)
        );
        for xml in [
            "<EntityDescriptor entityID=\"e\">",
            "<a><b></a></b>",
            "<Other/>",
            "plain text",
        ] {
            assert_eq!(
                read_idp(&STANDARD.encode(xml)),
                Err(MetadataError::Xml),
                "{xml}"
            );
        }
    }

    /// The document decodes the way the contract's example does: base64, then percent-encoded
    /// XML (the example starts `JTNDJTNGeG1sJTIwdmVyc2lvbiUzRCUyMjEuMCUyMiUyMGVuY29kaW5nJTNEJTIy`).
    #[test]
    fn the_service_provider_document_is_encoded_like_the_example() {
        let doc = sp_document("z-abc");
        assert!(doc.starts_with("JTNDJTNGeG1sJTIwdmVyc2lvbiUzRCUyMjEuMCUyMiUyMGVuY29kaW5nJTNEJTIy"));
        let decoded = String::from_utf8(STANDARD.decode(doc).unwrap()).unwrap();
        let xml = percent_encoding::percent_decode_str(&decoded)
            .decode_utf8()
            .unwrap()
            .into_owned();
        assert!(xml.contains("entityID=\"https://tencentcloudsso.com/saml/sp/z-abc\""));
        assert!(xml.contains("Location=\"https://tencentcloudsso.com/saml/acs/z-abc\""));
    }
}

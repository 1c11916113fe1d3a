//! Identity Center single sign-on: the external SAML identity provider and its certificates.

use super::identity_center_zone::Seen;

pub(super) fn triggers() -> Seen {
    Seen::new()
}

pub(super) fn every_action_once(p: &super::Probe, zone: &str) {
    let _ = (p, zone);
}

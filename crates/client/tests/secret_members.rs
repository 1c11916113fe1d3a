//! Members that carry a secret (a SCIM credential's secret, a user's password) never show in
//! `Debug` output, so a logged response or an error built from one leaks nothing.

use tco_client::models::v2021_03_31::{CreateScimCredentialResponse, UserInfo};

#[test]
fn a_scim_credential_secret_is_redacted() {
    let response = CreateScimCredentialResponse {
        credential_id: "scimcred-1".into(),
        credential_secret: "scim-secret-do-not-print".into(),
        ..Default::default()
    };
    let shown = format!("{response:?}");
    assert!(!shown.contains("scim-secret-do-not-print"), "{shown}");
    assert!(shown.contains("scimcred-1"), "{shown}");
    assert!(
        shown.contains("credential_secret: \"<redacted>\""),
        "{shown}"
    );
}

#[test]
fn a_user_password_is_redacted() {
    let user = UserInfo {
        user_name: "alice".into(),
        password: Some("hunter2-do-not-print".into()),
        ..Default::default()
    };
    let shown = format!("{user:#?}");
    assert!(!shown.contains("hunter2-do-not-print"), "{shown}");
    assert!(shown.contains("alice"), "{shown}");
}

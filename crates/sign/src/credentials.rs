//! Credentials as the signer sees them: an id that may be shown, a key and a token that may not.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A SecretId / SecretKey pair, with the token that temporary (STS) credentials carry.
///
/// `Debug` shows the SecretId only: the key and the token are redacted so that credentials can
/// sit in structs that get logged without leaking.
#[derive(Clone)]
pub struct Credentials {
    secret_id: String,
    secret_key: SecretString,
    token: Option<SecretString>,
}

impl Credentials {
    /// Long-term credentials (no token).
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: SecretString::from(secret_key.into()),
            token: None,
        }
    }

    /// Temporary credentials: the token travels as `X-TC-Token` (TC3) or `Token` (v1).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(token.into()));
        self
    }

    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The key itself. Only signing code should need this.
    pub fn secret_key(&self) -> &str {
        self.secret_key.expose_secret()
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_ref().map(|t| t.expose_secret())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_key_or_token() {
        let c = Credentials::new("AKIDvisible", "very-secret-key").with_token("tok-secret");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDvisible"));
        assert!(!shown.contains("very-secret-key"));
        assert!(!shown.contains("tok-secret"));
    }
}

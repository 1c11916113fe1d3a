//! How every command that calls an endpoint reaches it and signs for it, resolved in one place:
//! `--endpoint` of the commands that default to the international site ([`EndpointArg`]:
//! `call`, `sign`), `--ca-cert` and `--profile` ([`ConnectionArgs`], flattened into `call`,
//! `contract`, `load rate-limit` and `run`), a key pair given on the command line
//! ([`KeyPairArgs`]: `sign`), and a second account for isolation runs ([`SecondAccountArgs`]).
//!
//! The credentials file is the official tools' INI file (`~/.tencentcloud/credentials`, then
//! `/etc/tencentcloud/credentials`): a section per profile, `[default]` unless `--profile`
//! names another, with `secret_id`, `secret_key`, optional `token`, and the harness's own
//! `ca_cert = /path/to/ca.pem` (a relative path is read from the file's directory).
//! `--ca-cert` wins over `ca_cert`.

use std::path::PathBuf;

use clap::Args;
use tco_client::credentials::{
    profile_path_setting, ChainCredentials, EnvCredentials, Environment, ProfileFile,
};
use tco_client::{Credentials, CredentialsProvider, RootCertificates, DEFAULT_ENDPOINT};

use crate::error::CliError;

/// The credentials-file key naming a PEM file of certificate authorities.
pub const CA_CERT_KEY: &str = "ca_cert";

/// The environment variables of a second account.
pub const ENV_SECOND_SECRET_ID: &str = "TENCENTCLOUD_SECOND_SECRET_ID";
pub const ENV_SECOND_SECRET_KEY: &str = "TENCENTCLOUD_SECOND_SECRET_KEY";

/// `--endpoint`, the international site unless given.
#[derive(Debug, Clone, Args)]
pub struct EndpointArg {
    #[arg(long, default_value = DEFAULT_ENDPOINT, help = crate::endpoint_help("default: the international site"))]
    pub endpoint: String,
}

/// A key pair and token given as flags or in the environment, for a command that signs
/// without calling (`sign`).
#[derive(Clone, Default, Args)]
pub struct KeyPairArgs {
    /// Temporary-credential token (sent as X-TC-Token or Token).
    #[arg(long, env = "TENCENTCLOUD_SESSION_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The SecretId to sign with.
    #[arg(long, env = "TENCENTCLOUD_SECRET_ID")]
    pub secret_id: Option<String>,
    /// The SecretKey to sign with (never printed).
    #[arg(long, env = "TENCENTCLOUD_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
}

/// The secret key and the token are never shown, even in debug output.
impl std::fmt::Debug for KeyPairArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPairArgs")
            .field("secret_id", &self.secret_id)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl KeyPairArgs {
    /// Both halves of the pair, non-empty, and the token when one is given.
    pub fn credentials(&self) -> Result<tco_sign::Credentials, CliError> {
        let (Some(id), Some(key)) = (&self.secret_id, &self.secret_key) else {
            return Err(CliError::usage(
                "no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or pass --secret-id and --secret-key",
            ));
        };
        if id.is_empty() || key.is_empty() {
            return Err(CliError::usage(
                "the SecretId and SecretKey must not be empty",
            ));
        }
        let creds = tco_sign::Credentials::new(id, key);
        Ok(match &self.token {
            Some(t) if !t.is_empty() => creds.with_token(t),
            _ => creds,
        })
    }
}

/// Where an endpoint's certificate authority and credentials come from.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// A PEM file of certificate authorities to trust besides the system's, e.g. a staging
    /// endpoint's private CA (overrides `ca_cert` in the credentials file).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// The section of the credentials file to read (~/.tencentcloud/credentials): its
    /// secret_id/secret_key when the environment has none, and its ca_cert. Default: default.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

impl ConnectionArgs {
    fn profile_name(&self) -> &str {
        self.profile.as_deref().unwrap_or("default")
    }

    /// The certificate authorities to trust: `--ca-cert`, else the profile's `ca_cert`, else
    /// none. Read and checked now, before any request.
    pub fn roots(&self) -> Result<RootCertificates, CliError> {
        let path = match &self.ca_cert {
            Some(path) => Some(path.clone()),
            None => profile_path_setting(&Environment::process(), self.profile_name(), CA_CERT_KEY),
        };
        match path {
            Some(path) => {
                RootCertificates::from_file(&path).map_err(|e| CliError::usage(e.to_string()))
            }
            None => Ok(RootCertificates::default()),
        }
    }

    /// The client's credentials chain: the environment, then the profile's section of the
    /// credentials files.
    pub fn chain(&self) -> ChainCredentials {
        ChainCredentials::default_chain_for_profile(Environment::process(), self.profile_name())
    }

    /// The endpoint's credentials, resolved now (for the commands that sign outside the client).
    pub async fn credentials(&self) -> Result<Credentials, CliError> {
        self.chain().credentials().await.map_err(|e| {
            CliError::usage(format!(
                "an endpoint needs credentials (TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY, or the [{}] section of ~/.tencentcloud/credentials): {e}",
                self.profile_name()
            ))
        })
    }
}

/// A second account, for the scenario that checks one account's calls do not use up
/// another's limit (isolation). Against the in-process mock the harness makes one.
#[derive(Debug, Clone, Default, Args)]
pub struct SecondAccountArgs {
    /// Against an endpoint: the credentials-file section of a second account, for isolation
    /// across accounts (or set TENCENTCLOUD_SECOND_SECRET_ID/TENCENTCLOUD_SECOND_SECRET_KEY).
    /// Without one, isolation across accounts is reported as not tested.
    #[arg(long, value_name = "NAME")]
    pub second_profile: Option<String>,
}

impl SecondAccountArgs {
    /// `--second-profile NAME` (its section must hold a key pair), else the environment pair,
    /// else none.
    pub fn credentials(&self) -> Result<Option<Credentials>, CliError> {
        self.credentials_from(&Environment::process())
    }

    fn credentials_from(&self, env: &Environment) -> Result<Option<Credentials>, CliError> {
        if let Some(name) = &self.second_profile {
            let mut tried = Vec::new();
            for path in tco_client::credentials::default_profile_paths(env) {
                match ProfileFile::new(path).with_profile(name).load() {
                    Ok(creds) => return Ok(Some(creds)),
                    Err(e) => tried.push(e.to_string()),
                }
            }
            return Err(CliError::usage(format!(
                "--second-profile {name}: no credentials: {}",
                tried.join("; ")
            )));
        }
        let id = env.get(ENV_SECOND_SECRET_ID);
        let key = env.get(ENV_SECOND_SECRET_KEY);
        match (id, key) {
            (None, None) => Ok(None),
            (Some(_), Some(_)) => {
                // The same rules as the first pair (trimmed, both needed), under other names.
                let renamed = Environment::from_map([
                    (
                        tco_client::credentials::ENV_SECRET_ID,
                        env.get(ENV_SECOND_SECRET_ID).unwrap_or_default(),
                    ),
                    (
                        tco_client::credentials::ENV_SECRET_KEY,
                        env.get(ENV_SECOND_SECRET_KEY).unwrap_or_default(),
                    ),
                ]);
                EnvCredentials::with_environment(renamed)
                    .load()
                    .map(Some)
                    .map_err(|e| CliError::usage(e.to_string()))
            }
            _ => Err(CliError::usage(format!(
                "{ENV_SECOND_SECRET_ID} and {ENV_SECOND_SECRET_KEY} go together: one is set without the other"
            ))),
        }
    }
}

/// What a command adds when the server's certificate was refused: the remedy.
pub const UNTRUSTED_HINT: &str = "(--ca-cert FILE, or ca_cert in the credentials file)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_account_from_the_environment_or_none() {
        let args = SecondAccountArgs::default();
        let none = Environment::from_map(Vec::<(String, String)>::new());
        assert!(args.credentials_from(&none).unwrap().is_none());
        let pair = Environment::from_map([
            (ENV_SECOND_SECRET_ID, "AKIDsecond"),
            (ENV_SECOND_SECRET_KEY, "second-key"),
        ]);
        let creds = args.credentials_from(&pair).unwrap().unwrap();
        assert_eq!(creds.secret_id(), "AKIDsecond");
        let half = Environment::from_map([(ENV_SECOND_SECRET_ID, "AKIDsecond")]);
        assert!(args.credentials_from(&half).is_err());
    }

    #[test]
    fn a_second_profile_is_read_from_its_section() {
        let home = std::env::temp_dir().join(format!("tco-second-profile-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
        std::fs::write(
            home.join(".tencentcloud/credentials"),
            "[default]\nsecret_id = AKIDfirst\nsecret_key = k1\n[other]\nsecret_id = AKIDother\nsecret_key = k2\n",
        )
        .unwrap();
        let env = Environment::from_map([("HOME", home.to_string_lossy().into_owned())]);
        let args = SecondAccountArgs {
            second_profile: Some("other".into()),
        };
        let creds = args.credentials_from(&env).unwrap().unwrap();
        assert_eq!(creds.secret_id(), "AKIDother");
        let missing = SecondAccountArgs {
            second_profile: Some("absent".into()),
        };
        let err = missing.credentials_from(&env).unwrap_err().to_string();
        assert!(err.contains("--second-profile absent"), "{err}");
        std::fs::remove_dir_all(&home).unwrap();
    }
}

//! Where the client gets its SecretId and SecretKey: given, from the environment, from the
//! INI profile file, from a chain of those, or from your own [`CredentialsProvider`].
//!
//! The default chain is the official SDKs' order without the last step: environment
//! (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, optional `TENCENTCLOUD_SESSION_TOKEN`),
//! then `~/.tencentcloud/credentials`, then `/etc/tencentcloud/credentials` (`[default]`,
//! `secret_id`, `secret_key`, optional `token`). The CVM instance-role step of the official
//! SDKs is out of scope; plug a provider for it if needed.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

pub use tco_sign::Credentials;

use crate::Error;

pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// A boxed future of credentials, what [`CredentialsProvider::credentials`] returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, Error>> + Send + 'a>>;

/// A source of credentials, asked before every attempt (so refreshed credentials are picked
/// up, and each retry is signed with the current ones).
///
/// Implement it to plug temporary credentials that you refresh yourself:
///
/// ```
/// use std::sync::{Arc, RwLock};
/// use tco_client::{Credentials, CredentialsFuture, CredentialsProvider};
///
/// /// Credentials another task refreshes from STS before they expire.
/// #[derive(Debug)]
/// struct Refreshed(Arc<RwLock<Credentials>>);
///
/// impl CredentialsProvider for Refreshed {
///     fn credentials(&self) -> CredentialsFuture<'_> {
///         let current = self.0.read().unwrap().clone();
///         Box::pin(async move { Ok(current) })
///     }
/// }
///
/// let shared = Arc::new(RwLock::new(Credentials::new("AKID", "key").with_token("token")));
/// let client = tco_client::Client::builder()
///     .credentials(Refreshed(shared.clone()))
///     .build()
///     .unwrap();
/// # drop(client);
/// ```
pub trait CredentialsProvider: Send + Sync + fmt::Debug {
    fn credentials(&self) -> CredentialsFuture<'_>;
}

/// Fixed credentials (their `Debug` redacts the key and token).
impl CredentialsProvider for Credentials {
    fn credentials(&self) -> CredentialsFuture<'_> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

impl<P: CredentialsProvider + ?Sized> CredentialsProvider for Arc<P> {
    fn credentials(&self) -> CredentialsFuture<'_> {
        (**self).credentials()
    }
}

/// Where environment variables are read: the process, or a map given by the caller (tests,
/// or programs that hold their configuration elsewhere).
#[derive(Clone, Default)]
pub struct Environment {
    vars: Option<BTreeMap<String, String>>,
}

impl Environment {
    /// The process environment, read at each lookup.
    pub fn process() -> Self {
        Environment { vars: None }
    }

    /// Exactly these variables and no others.
    pub fn from_map<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Environment {
            vars: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// A variable's value, if set and not empty.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.vars {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.trim().is_empty())
    }

    fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }
}

impl fmt::Debug for Environment {
    // Values may be secrets: show only where variables come from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Environment(process)"),
            Some(map) => write!(f, "Environment(map of {} variables)", map.len()),
        }
    }
}

/// `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` (+ `TENCENTCLOUD_SESSION_TOKEN`).
#[derive(Debug, Clone, Default)]
pub struct EnvCredentials {
    env: Environment,
}

impl EnvCredentials {
    pub fn new() -> Self {
        EnvCredentials {
            env: Environment::process(),
        }
    }

    pub fn with_environment(env: Environment) -> Self {
        EnvCredentials { env }
    }

    pub fn load(&self) -> Result<Credentials, Error> {
        let id = self.env.get(ENV_SECRET_ID);
        let key = self.env.get(ENV_SECRET_KEY);
        match (id, key) {
            (Some(id), Some(key)) => {
                let creds = Credentials::new(id.trim(), key.trim());
                Ok(match self.env.get(ENV_SESSION_TOKEN) {
                    Some(token) => creds.with_token(token.trim()),
                    None => creds,
                })
            }
            (None, None) => Err(Error::Credentials(format!(
                "{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"
            ))),
            (Some(_), None) => Err(Error::Credentials(format!(
                "{ENV_SECRET_ID} is set but {ENV_SECRET_KEY} is not"
            ))),
            (None, Some(_)) => Err(Error::Credentials(format!(
                "{ENV_SECRET_KEY} is set but {ENV_SECRET_ID} is not"
            ))),
        }
    }
}

impl CredentialsProvider for EnvCredentials {
    fn credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// A section of an INI credentials file, as the official tools write it:
///
/// ```ini
/// [default]
/// secret_id = AKID...
/// secret_key = ...
/// ; token = ... (temporary credentials only)
/// ```
#[derive(Debug, Clone)]
pub struct ProfileFile {
    path: PathBuf,
    profile: String,
}

impl ProfileFile {
    /// The `[default]` section of the file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ProfileFile {
            path: path.into(),
            profile: "default".to_owned(),
        }
    }

    /// Another section than `[default]`.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = name.into();
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Result<Credentials, Error> {
        let shown = self.path.display();
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| Error::Credentials(format!("{shown}: {e}")))?;
        let section = parse_ini_section(&text, &self.profile)
            .ok_or_else(|| Error::Credentials(format!("{shown}: no [{}] section", self.profile)))?;
        let get = |k: &str| section.get(k).filter(|v| !v.is_empty()).cloned();
        match (get("secret_id"), get("secret_key")) {
            (Some(id), Some(key)) => {
                let creds = Credentials::new(id, key);
                Ok(match get("token") {
                    Some(t) => creds.with_token(t),
                    None => creds,
                })
            }
            _ => Err(Error::Credentials(format!(
                "{shown}: [{}] lacks secret_id or secret_key",
                self.profile
            ))),
        }
    }
}

impl ProfileFile {
    /// Another key of the section, e.g. `ca_cert`: `None` when the file, the section or the
    /// key is missing or empty.
    pub fn setting(&self, key: &str) -> Option<String> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        parse_ini_section(&text, &self.profile)?
            .get(&key.to_ascii_lowercase())
            .filter(|v| !v.is_empty())
            .cloned()
    }

    /// A path-valued setting (`ca_cert`), a relative path read from the file's directory.
    pub fn path_setting(&self, key: &str) -> Option<PathBuf> {
        let value = PathBuf::from(self.setting(key)?);
        Some(match self.path.parent() {
            Some(dir) if value.is_relative() => dir.join(value),
            _ => value,
        })
    }
}

/// The first of the default profile files (see [`default_profile_paths`]) whose `[profile]`
/// section sets `key` to a path, and that path: how the CLI finds `ca_cert`.
pub fn profile_path_setting(env: &Environment, profile: &str, key: &str) -> Option<PathBuf> {
    default_profile_paths(env)
        .into_iter()
        .find_map(|p| ProfileFile::new(p).with_profile(profile).path_setting(key))
}

impl CredentialsProvider for ProfileFile {
    fn credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// The keys of one section (`[name]`), lower-cased; `#` and `;` start comment lines.
fn parse_ini_section(text: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let mut current: Option<&str> = None;
    let mut found: Option<BTreeMap<String, String>> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(header.trim());
            if current == Some(name) {
                found.get_or_insert_with(BTreeMap::new);
            }
            continue;
        }
        if current != Some(name) {
            continue;
        }
        if let Some((k, v)) = line.split_once(['=', ':']) {
            let v = v.trim().trim_matches('"');
            found
                .get_or_insert_with(BTreeMap::new)
                .insert(k.trim().to_ascii_lowercase(), v.to_owned());
        }
    }
    found
}

/// Tries providers in order and uses the first that yields credentials; remembers them after
/// the first success (the sources it is built from do not change while a program runs).
#[derive(Debug)]
pub struct ChainCredentials {
    providers: Vec<Box<dyn CredentialsProvider>>,
    resolved: Mutex<Option<Credentials>>,
}

impl ChainCredentials {
    pub fn new(providers: Vec<Box<dyn CredentialsProvider>>) -> Self {
        ChainCredentials {
            providers,
            resolved: Mutex::new(None),
        }
    }

    /// The official SDKs' order (environment, then the profile files), reading the process
    /// environment and `$HOME`. Instance roles are not part of it.
    pub fn default_chain() -> Self {
        Self::default_chain_with(Environment::process())
    }

    /// The default chain over a given environment: its variables for the credentials, its
    /// `HOME` for `~/.tencentcloud/credentials`.
    pub fn default_chain_with(env: Environment) -> Self {
        Self::default_chain_with_files(env.clone(), default_profile_paths(&env))
    }

    /// The default chain with the profile files given explicitly (for tests).
    pub fn default_chain_with_files(env: Environment, files: Vec<PathBuf>) -> Self {
        Self::chain_of(env, files, "default")
    }

    /// The default chain, reading the `[profile]` section of the profile files instead of
    /// `[default]` (the environment still comes first).
    pub fn default_chain_for_profile(env: Environment, profile: &str) -> Self {
        let files = default_profile_paths(&env);
        Self::chain_of(env, files, profile)
    }

    fn chain_of(env: Environment, files: Vec<PathBuf>, profile: &str) -> Self {
        let mut providers: Vec<Box<dyn CredentialsProvider>> =
            vec![Box::new(EnvCredentials::with_environment(env))];
        providers.extend(files.into_iter().map(|p| {
            Box::new(ProfileFile::new(p).with_profile(profile)) as Box<dyn CredentialsProvider>
        }));
        Self::new(providers)
    }

    async fn resolve(&self) -> Result<Credentials, Error> {
        if let Some(c) = self
            .resolved
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return Ok(c);
        }
        let mut tried = Vec::new();
        for p in &self.providers {
            match p.credentials().await {
                Ok(c) => {
                    *self.resolved.lock().unwrap_or_else(|e| e.into_inner()) = Some(c.clone());
                    return Ok(c);
                }
                Err(Error::Credentials(why)) => tried.push(why),
                Err(other) => tried.push(other.to_string()),
            }
        }
        Err(Error::Credentials(if tried.is_empty() {
            "no credential sources configured".to_owned()
        } else {
            tried.join("; ")
        }))
    }
}

impl CredentialsProvider for ChainCredentials {
    fn credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}

/// `~/.tencentcloud/credentials` (when a home directory is known), then
/// `/etc/tencentcloud/credentials`.
pub fn default_profile_paths(env: &Environment) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    if let Some(home) = env.home() {
        paths.push(home.join(".tencentcloud").join("credentials"));
    }
    paths.push(PathBuf::from("/etc/tencentcloud/credentials"));
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_comments_and_spacing() {
        let text = "# comment\n[other]\nsecret_id = X\n\n[default]\n; note\nSecret_Id= AKID1 \nsecret_key =\"k1\"\n[later]\nsecret_id=Z\n";
        let s = parse_ini_section(text, "default").unwrap();
        assert_eq!(s["secret_id"], "AKID1");
        assert_eq!(s["secret_key"], "k1");
        assert!(parse_ini_section(text, "missing").is_none());
    }

    #[test]
    fn settings_of_a_section_and_relative_paths() {
        let dir = std::env::temp_dir().join(format!("tco-cred-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("credentials");
        std::fs::write(
            &file,
            "[default]\nsecret_id = A\nca_cert = ca.pem\n[staging]\nCA_CERT = /etc/ssl/staging.pem\n",
        )
        .unwrap();
        let default = ProfileFile::new(&file);
        assert_eq!(default.path_setting("ca_cert"), Some(dir.join("ca.pem")));
        let staging = ProfileFile::new(&file).with_profile("staging");
        assert_eq!(
            staging.path_setting("ca_cert"),
            Some(PathBuf::from("/etc/ssl/staging.pem"))
        );
        assert_eq!(staging.setting("secret_id"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn environment_debug_hides_values() {
        let env = Environment::from_map([(ENV_SECRET_KEY, "super-secret")]);
        assert!(!format!("{env:?}").contains("super-secret"));
    }
}

//! Credential sources and the default chain, with the environment passed in as a map and
//! profile files in a temporary directory, so the tests neither touch nor race on the
//! process environment.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::json;
use tco_client::credentials::{
    default_profile_paths, ChainCredentials, EnvCredentials, Environment, ProfileFile,
};
use tco_client::{CredentialsProvider, Error, ManualClock, Profile, Version};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("tco-client-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const ENV_ID: &str = "TENCENTCLOUD_SECRET_ID";
const ENV_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
const ENV_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";

#[tokio::test]
async fn environment_with_and_without_token() {
    let env = Environment::from_map([(ENV_ID, "AKIDenv"), (ENV_KEY, "env-key")]);
    let c = EnvCredentials::with_environment(env)
        .credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.secret_id(), c.secret_key(), c.token()),
        ("AKIDenv", "env-key", None)
    );

    let env = Environment::from_map([
        (ENV_ID, "AKIDenv"),
        (ENV_KEY, "env-key"),
        (ENV_TOKEN, "tok"),
    ]);
    let c = EnvCredentials::with_environment(env)
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.token(), Some("tok"));
}

#[tokio::test]
async fn environment_half_set_or_empty_is_an_error_naming_the_variable() {
    let env = Environment::from_map([(ENV_ID, "AKIDenv")]);
    let err = EnvCredentials::with_environment(env)
        .credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Credentials(m) if m.contains(ENV_KEY)),
        "{err}"
    );
    let env = Environment::from_map([(ENV_ID, "AKIDenv"), (ENV_KEY, "  ")]);
    assert!(EnvCredentials::with_environment(env)
        .credentials()
        .await
        .is_err());
}

#[tokio::test]
async fn profile_file_default_and_named_sections() {
    let dir = TempDir::new("profile");
    let path = dir.write(
        "credentials",
        "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n\n[staging]\nsecret_id=AKIDstage\nsecret_key=stage-key\ntoken=stage-token\n",
    );
    let c = ProfileFile::new(&path).credentials().await.unwrap();
    assert_eq!(
        (c.secret_id(), c.secret_key(), c.token()),
        ("AKIDfile", "file-key", None)
    );
    let c = ProfileFile::new(&path)
        .with_profile("staging")
        .credentials()
        .await
        .unwrap();
    assert_eq!(
        (c.secret_id(), c.token()),
        ("AKIDstage", Some("stage-token"))
    );
    let err = ProfileFile::new(&path)
        .with_profile("prod")
        .credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no [prod] section"), "{err}");
    assert!(!err.to_string().contains("file-key"));
}

#[tokio::test]
async fn default_chain_prefers_environment_over_the_profile() {
    let home = TempDir::new("home");
    home.write(
        ".tencentcloud/credentials",
        "[default]\nsecret_id=AKIDfile\nsecret_key=file-key\n",
    );
    let home_str = home.0.to_str().unwrap();
    let env = Environment::from_map([
        ("HOME", home_str),
        (ENV_ID, "AKIDenv"),
        (ENV_KEY, "env-key"),
    ]);
    let c = ChainCredentials::default_chain_with(env)
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.secret_id(), "AKIDenv");

    let env = Environment::from_map([("HOME", home_str)]);
    let c = ChainCredentials::default_chain_with(env)
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.secret_id(), "AKIDfile");
}

#[tokio::test]
async fn default_chain_falls_back_to_the_second_file_and_names_every_source_when_empty() {
    let dir = TempDir::new("etc");
    let etc = dir.write(
        "etc/credentials",
        "[default]\nsecret_id=AKIDetc\nsecret_key=etc-key\n",
    );
    let missing = dir.0.join("home/.tencentcloud/credentials");
    let chain = ChainCredentials::default_chain_with_files(
        Environment::from_map::<&str, &str>([]),
        vec![missing.clone(), etc],
    );
    assert_eq!(chain.credentials().await.unwrap().secret_id(), "AKIDetc");

    let chain = ChainCredentials::default_chain_with_files(
        Environment::from_map::<&str, &str>([]),
        vec![missing.clone()],
    );
    let err = chain.credentials().await.unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains(ENV_ID) && shown.contains(&missing.display().to_string()),
        "{shown}"
    );
}

#[test]
fn default_paths_follow_home_then_etc() {
    let env = Environment::from_map([("HOME", "/home/ops")]);
    assert_eq!(
        default_profile_paths(&env),
        [
            PathBuf::from("/home/ops/.tencentcloud/credentials"),
            PathBuf::from("/etc/tencentcloud/credentials"),
        ]
    );
}

#[tokio::test]
async fn a_client_on_the_chain_signs_with_its_credentials_and_token() {
    let clock = ManualClock::at_secs(NOW);
    let server = MockServer::start().await;
    let verified = verified(&clock);
    Mock::given(verified.clone())
        .respond_with(ResponseTemplate::new(200).set_body_json(success(json!({}))))
        .mount(&server)
        .await;
    let test = creds();
    let env = Environment::from_map([
        (ENV_ID, test.secret_id()),
        (ENV_KEY, test.secret_key()),
        (ENV_TOKEN, test.token().unwrap()),
    ]);
    let client = builder(&server.uri(), &clock, Profile::default())
        .credentials(ChainCredentials::default_chain_with_files(env, vec![]))
        .build()
        .unwrap();
    client
        .call_json(
            Version::V2021_03_31,
            "QuitOrganization",
            json!({"OrgId": 1}),
        )
        .await
        .unwrap();
    assert_eq!(
        verified.verdicts(),
        [Ok("TC3-HMAC-SHA256 AKIDclienttest".to_owned())]
    );
}

#[tokio::test]
async fn no_credentials_is_an_error_before_anything_is_sent() {
    let clock = ManualClock::at_secs(NOW);
    let server = MockServer::start().await;
    let client = builder(&server.uri(), &clock, Profile::default())
        .credentials(ChainCredentials::default_chain_with_files(
            Environment::from_map::<&str, &str>([]),
            vec![],
        ))
        .build()
        .unwrap();
    let err = client
        .call_json(Version::V2021_03_31, "DescribeOrganization", json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

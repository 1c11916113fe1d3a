//! The configuration read from TOML: every section, the errors, the default account.

use super::*;
use crate::limits::{KeyMode, Layers};

const FULL: &str = r#"
        journal_capacity = 50
        seed = 42
        body_timeout_ms = 1500
        [[accounts]]
        uin = 100000000002
        secret_id = "AKIDSecond"
        secret_key = "second-key"
        token = "tok"
        name = "second"
        [rate_limits]
        default = 10
        algorithm = "token-bucket"
        burst = 3
        [rate_limits.actions]
        DescribeOrganization = 40
        [[faults]]
        action = "CreateOrganization"
        probability = 0.5
        error = "InternalError"
        latency_ms = 20
        [[faults]]
        action = "*"
        drop_connection = true
        probability = 0.01
        [admin]
        token = "admin-secret"
    "#;

#[test]
fn parses_every_section() {
    let c = Config::from_toml(FULL).unwrap();
    assert_eq!(c.journal_capacity, 50);
    assert_eq!(c.seed, Some(42));
    assert_eq!(c.body_timeout, Duration::from_millis(1500));
    assert_eq!(c.accounts.len(), 1);
    assert_eq!(c.accounts[0].credentials().token(), Some("tok"));
    assert_eq!(c.limits.default, Some(10));
    assert_eq!(c.limits.actions["DescribeOrganization"], 40);
    assert_eq!(c.algorithm, Algorithm::TokenBucket { burst: 3 });
    assert_eq!(c.faults[0].latency, Some(Duration::from_millis(20)));
    assert!(c.faults[1].drop_connection);
    assert_eq!(c.admin_token.as_deref(), Some("admin-secret"));
    assert!(
        !c.builtin_account,
        "declared accounts turn the built-in one off"
    );
}

#[test]
fn sub_accounts_key_and_layers_are_read() {
    let c = Config::from_toml(
            "builtin_account = true\n\
             [[accounts]]\nuin = 100000000003\nowner_uin = 100000000001\nsecret_id = \"AKIDsub\"\nsecret_key = \"k\"\n\
             [rate_limits]\nkey = \"legacy\"\nmain_account = 30\nmain_account_region = 20\nsource_ip = 50\n",
        )
        .unwrap();
    assert_eq!(c.accounts[0].owner_uin, Some(DEFAULT_UIN));
    assert_eq!(
        c.limit_model,
        LimitModel {
            key: KeyMode::Legacy,
            layers: Layers {
                main_account: Some(30),
                main_account_region: Some(20),
                source_ip: Some(50),
            },
        }
    );
    // Unset: the documented key, every layer off.
    assert_eq!(
        Config::from_toml("").unwrap().limit_model,
        LimitModel::default()
    );
}

#[test]
fn the_tasks_table_sets_the_task_policy() {
    let c = Config::from_toml(
        "[tasks]\ncomplete = \"after-duration\"\nduration_ms = 1500\nfail = \"no quota\"\n",
    )
    .unwrap();
    assert_eq!(
        c.tasks,
        TaskPolicy::after(Duration::from_millis(1500)).and_fail("no quota")
    );
    let message = error_of("[tasks]\npolls = 0");
    assert!(message.contains("polls"), "{message}");
}

#[test]
fn empty_text_is_the_default() {
    assert_eq!(Config::from_toml("").unwrap(), Config::default());
}

#[test]
fn declaring_the_default_uin_replaces_the_default_account() {
    let c = Config::from_toml(
        "[[accounts]]\nuin = 100000000001\nsecret_id = \"AKIDmine\"\nsecret_key = \"k\"\n",
    )
    .unwrap();
    let accounts = c.effective_accounts();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].secret_id, "AKIDmine");
}

fn error_of(text: &str) -> String {
    Config::from_toml(text).unwrap_err().to_string()
}

#[test]
fn errors_name_the_problem() {
    let cases = [
            ("[rate_limits]\nalgorithm = \"leaky\"", "leaky"),
            ("[rate_limits]\nburst = 3", "burst"),
            ("[rate_limits.actions]\nNoSuchThing = 3", "NoSuchThing"),
            ("[[faults]]\naction = \"Nope\"\nerror = \"InternalError\"", "faults[0]"),
            ("[[faults]]\naction = \"*\"\nprobability = 1.5\nerror = \"InternalError\"", "1.5"),
            ("[[faults]]\naction = \"*\"\nerror = \"Made.Up\"", "Made.Up"),
            ("[[faults]]\naction = \"*\"", "no error"),
            ("[admin]\ntoken = \"\"", "admin.token"),
            ("body_timeout_ms = 0", "body_timeout_ms"),
            ("colour = \"blue\"", "colour"),
            ("[rate_limits]\ndefault = -1", "default"),
            (
                "[[accounts]]\nuin = 1\nsecret_id = \"A\"\nsecret_key = \"k\"\n[[accounts]]\nuin = 2\nsecret_id = \"A\"\nsecret_key = \"k\"",
                "accounts[1]",
            ),
            ("[[accounts]]\nuin = 1\nsecret_id = \"\"\nsecret_key = \"k\"", "secret_id"),
            ("[rate_limits]\nkey = \"version\"", "version"),
            ("[rate_limits]\nsource_ip = -1", "source_ip"),
            (
                "[[accounts]]\nuin = 3\nowner_uin = 9\nsecret_id = \"A\"\nsecret_key = \"k\"",
                "owner_uin 9",
            ),
            (
                "[[accounts]]\nuin = 2\nsecret_id = \"A\"\nsecret_key = \"k\"\n[[accounts]]\nuin = 3\nowner_uin = 2\nsecret_id = \"B\"\nsecret_key = \"k\"\n[[accounts]]\nuin = 4\nowner_uin = 3\nsecret_id = \"C\"\nsecret_key = \"k\"",
                "accounts[2]: owner_uin 3",
            ),
        ];
    for (text, needle) in cases {
        let message = error_of(text);
        assert!(message.contains(needle), "{text:?} gave {message:?}");
    }
}

#[test]
fn declared_accounts_turn_the_builtin_account_off_unless_asked_for() {
    let declared =
        "[[accounts]]\nuin = 100000000002\nsecret_id = \"AKIDmine\"\nsecret_key = \"k\"\n";
    let c = Config::from_toml(declared).unwrap();
    assert!(!c.builtin_account);
    assert_eq!(c.default_account_given(None), None);
    let from_env = Account::new(DEFAULT_UIN, "AKIDfromEnv", "env-key");
    assert_eq!(
        c.default_account_given(Some(from_env.clone())),
        Some(from_env),
        "the environment's credentials stay an account"
    );
    let asked = Config::from_toml(&format!("builtin_account = true\n{declared}")).unwrap();
    assert_eq!(
        asked.default_account_given(None).map(|a| a.secret_id),
        Some(DEFAULT_SECRET_ID.to_string())
    );
    // Without declared accounts, and in code, the built-in account serves.
    for c in [Config::from_toml("").unwrap(), Config::default()] {
        assert_eq!(
            c.default_account_given(None).map(|a| a.secret_id),
            Some(DEFAULT_SECRET_ID.to_string())
        );
    }
}

#[test]
fn no_account_at_all_is_refused() {
    let c = Config {
        builtin_account: false,
        ..Config::default()
    };
    if Account::from_environment().is_none() {
        assert!(matches!(c.validate(), Err(ConfigError::NoAccount)));
    } else {
        assert!(c.validate().is_ok());
    }
}

#[test]
fn parse_errors_name_the_place_and_never_quote_a_value() {
    let cases = [
        (
            "[[accounts]]\nuin = 1\nsecret_id = \"AKIDx\"\nsecret_key = \"s3cr3t-in-line\" x\n",
            "line 4",
        ),
        ("[rate_limits]\ndefault = \"s3cr3t-typed\"\n", "line 2"),
        ("[admin]\ntoken = [\"s3cr3t-listed\"]\n", "line 2"),
        ("seed = \"s3cr3t-seed\n", "line 1"),
    ];
    for (text, place) in cases {
        let message = error_of(text);
        assert!(!message.contains("s3cr3t"), "{text:?} gave {message:?}");
        assert!(message.contains(place), "{text:?} gave {message:?}");
        assert_eq!(message.lines().count(), 1, "{message:?}");
    }
}

#[test]
fn unreadable_file_names_the_path() {
    let err = Config::load("/nonexistent/mock.toml").unwrap_err();
    assert!(err.to_string().contains("/nonexistent/mock.toml"));
}

#[test]
fn debug_redacts_keys_and_tokens() {
    let shown = format!("{:?}", Config::from_toml(FULL).unwrap());
    assert!(!shown.contains("second-key"));
    assert!(!shown.contains("\"tok\""));
    assert!(!shown.contains("admin-secret"));
    assert!(shown.contains("AKIDSecond"));
}

//! The shipped seed scenario parses, validates and converts.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use keyturn::config::{AuditLog, Config, StoreConfig};
use keyturn_core::iam::{KeyOwner, account_of_access_key_id};

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/examples/cross-account.yaml"
);

#[test]
fn the_seed_scenario_loads_and_converts() {
    let config = Config::from_file(EXAMPLE).expect("the example is valid");
    assert_eq!(config.server.listen.to_string(), "127.0.0.1:8787");
    assert_eq!(config.server.region, "us-east-1");
    assert_eq!(config.server.audit_log, Some(AuditLog::Stdout));
    let base = config.base_dir.clone().expect("a file has a base dir");
    assert!(base.ends_with("docs/examples"), "{base:?}");
    assert_eq!(config.keyring, base.join("./keyturn-data/keyring.json"));
    assert_eq!(
        config.store,
        StoreConfig::Sqlite(base.join("./keyturn-data/keyturn.db"))
    );

    let iam = config.to_iam_data();
    assert_eq!(iam.accounts.len(), 2);
    let production = iam.account("111111111111").expect("production");
    assert_eq!(production.alias.as_deref(), Some("production"));
    let role = production.role("UpdateApp").expect("role");
    assert_eq!(
        role.arn(&production.id),
        "arn:aws:iam::111111111111:role/UpdateApp"
    );
    assert_eq!(role.max_session_duration, 3600);
    let trust: serde_json::Value = serde_json::from_str(&role.trust_policy).expect("JSON");
    assert_eq!(
        trust["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::222222222222:root"
    );
    assert!(
        trust["Statement"][0].get("Condition").is_none(),
        "the default path needs no MFA"
    );
    let mfa_role = production.role("UpdateAppMfa").expect("MFA role");
    assert!(
        mfa_role
            .trust_policy
            .contains(r#""aws:MultiFactorAuthPresent":"true""#),
        "{}",
        mfa_role.trust_policy
    );
    let (_, policy) = iam
        .find_managed_policy(&role.managed_policies[0])
        .expect("attached policy exists");
    assert!(policy.document().contains("arn:aws:s3:::productionapp/*"));
    assert!(!policy.document().contains('\n'), "compact JSON");

    let entry = iam
        .find_access_key("AKIATHPL2AOHFJCVQTKQ")
        .expect("alice's key");
    assert_eq!(entry.account.id, "222222222222");
    assert!(
        matches!(entry.owner, KeyOwner::User(u) if u.name == "alice" && u.groups == ["developers"])
    );
    assert_eq!(
        account_of_access_key_id(&entry.key.id).as_deref(),
        Some("222222222222")
    );
    let (_, alice, device) = iam
        .find_mfa_device("arn:aws:iam::222222222222:mfa/alice")
        .expect("device");
    assert_eq!(alice.tags.get("team").map(String::as_str), Some("web"));
    assert_eq!(device.seed_base32.expose(), "JBSWY3DPEHPK3PXP");
    assert!(
        !format!("{config:?}").contains("KeyturnExampleSecretKey"),
        "no secret in Debug"
    );
}

#[test]
fn the_example_also_loads_from_text_and_from_json() {
    let text = std::fs::read_to_string(EXAMPLE).expect("read");
    let from_text = Config::from_str(&text, "cross-account.yaml").expect("valid");
    assert_eq!(from_text.base_dir, None);
    assert_eq!(
        from_text.store,
        StoreConfig::Sqlite("./keyturn-data/keyturn.db".into())
    );
    let value: serde_json::Value = serde_yaml_ng::from_str(&text).expect("yaml");
    let from_json = Config::from_json_value(&value, "dict").expect("valid");
    assert_eq!(from_json.iam, from_text.iam);
    let json_text = serde_json::to_string(&value).expect("json");
    assert_eq!(
        Config::from_str(&json_text, "cross-account.json")
            .expect("JSON is YAML")
            .iam,
        from_text.iam
    );
}

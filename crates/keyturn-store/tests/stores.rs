//! The same behaviour, checked on every store.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::sync::{Arc, Barrier};

use keyturn_core::iam::*;
mod support;

use keyturn_store::{
    IamStore, MemoryStore, SCHEMA_VERSION, SqliteStore, StoreError, StoreRead, StoreWrite,
};
use support::{shared_databases, sqlite_with_raw_account, stores, temp_dir};

fn rich() -> IamData {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    IamData {
        accounts: vec![
            Account {
                id: "111111111111".into(),
                alias: Some("production".into()),
                roles: vec![Role {
                    name: "UpdateApp".into(),
                    // Stored with the role (created through the API).
                    id: Some("AROAJQABLZS4A3QDU576Q".into()),
                    path: "/app/".into(),
                    max_session_duration: 7200,
                    trust_policy: r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
                    inline_policies: [("rw".to_owned(), doc.to_owned())].into(),
                    managed_policies: vec!["arn:aws:iam::111111111111:policy/AppDeploy".into()],
                    permissions_boundary: Some("arn:aws:iam::111111111111:policy/AppDeploy".into()),
                    tags: [("env".to_owned(), "prod".to_owned())].into(),
                    description: Some("deploys the app — ünïcode".into()),
                }],
                managed_policies: vec![ManagedPolicy::new(
                    "AppDeploy".into(),
                    "/".into(),
                    doc.into(),
                )],
                oidc_providers: vec![OidcProvider {
                    url: "https://token.actions.githubusercontent.com".into(),
                    client_ids: vec!["sts.amazonaws.com".into()],
                    thumbprints: vec!["6938fd4d98bab03faadb97b34396831e3780aea1".into()],
                    jwks: Some(r#"{"keys":[]}"#.into()),
                    jwks_file: None,
                    ..OidcProvider::default()
                }],
                saml_providers: vec![SamlProvider {
                    name: "okta".into(),
                    metadata: None,
                    metadata_file: Some("/etc/keyturn/okta.xml".into()),
                    ..SamlProvider::default()
                }],
                ..Account::default()
            },
            Account {
                id: "222222222222".into(),
                alias: Some("development".into()),
                root: Root {
                    access_keys: vec![AccessKey {
                        id: "AKIAQAAAAABXEAAAAAAA".into(),
                        secret: SecretString::new("root/secret"),
                        status: AccessKeyStatus::Inactive,
                    }],
                    ..Root::default()
                },
                users: vec![User {
                    name: "alice".into(),
                    id: Some("AIDAJQABLZS4A3QDU576Q".into()),
                    path: "/".into(),
                    groups: vec!["developers".into()],
                    access_keys: vec![AccessKey {
                        id: "AKIAQAAAAABXEAAAAAAB".into(),
                        secret: SecretString::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                        status: AccessKeyStatus::Active,
                    }],
                    mfa_devices: vec![MfaDevice {
                        name: "alice".into(),
                        seed_base32: "JBSWY3DPEHPK3PXP".into(),
                        ..MfaDevice::default()
                    }],
                    inline_policies: [("self".to_owned(), doc.to_owned())].into(),
                    managed_policies: vec![],
                    permissions_boundary: None,
                    tags: [("team".to_owned(), "web".to_owned())].into(),
                    signing_certificates: vec![SigningCertificate {
                        id: "A".repeat(32),
                        body: "-----BEGIN CERTIFICATE-----…".into(),
                        status: AccessKeyStatus::Inactive,
                        upload_date: "2026-12-06T12:00:00Z".into(),
                    }],
                    ssh_public_keys: vec![SshPublicKey {
                        id: "APKAAAAAAAAAAAAAAAAA".into(),
                        body: "ssh-rsa AAAA".into(),
                        fingerprint: "00:11".into(),
                        status: AccessKeyStatus::Active,
                        upload_date: "2026-12-06T12:00:00Z".into(),
                    }],
                }],
                server_certificates: vec![ServerCertificate {
                    name: "web".into(),
                    path: "/cdn/".into(),
                    id: "ASCAAAAAAAAAAAAAAAAAA".into(),
                    body: "-----BEGIN CERTIFICATE-----…".into(),
                    chain: None,
                    private_key: SecretString::new("-----BEGIN RSA PRIVATE KEY-----…"),
                    expiration: "2126-01-01T00:00:00Z".into(),
                    upload_date: "2026-12-06T12:00:00Z".into(),
                    tags: [("env".to_owned(), "prod".to_owned())].into(),
                }],
                credential_report: Some(CredentialReport {
                    generated: "2026-12-06T12:00:00Z".into(),
                    content: "user,arn".into(),
                }),
                groups: vec![Group {
                    name: "developers".into(),
                    // Configured without one: derived by the engine.
                    id: None,
                    path: "/".into(),
                    inline_policies: [("assume".to_owned(), doc.to_owned())].into(),
                    managed_policies: vec![],
                }],
                ..Account::default()
            },
        ],
        organization: None,
    }
}

#[test]
fn round_trip_of_a_rich_model() {
    let dir = temp_dir("round-trip");
    for (name, store) in stores(&dir) {
        assert_eq!(
            store.load().expect("load").data,
            IamData::default(),
            "{name}"
        );
        let data = rich();
        store.replace(None, &data).expect("apply");
        assert_eq!(store.load().expect("load").data, data, "{name}");
    }
}

#[test]
fn apply_is_idempotent_and_bumps_the_generation_only_on_change() {
    let dir = temp_dir("idempotent");
    for (name, store) in stores(&dir) {
        assert_eq!(store.generation().expect("generation"), 0, "{name}");
        let mut data = rich();
        store.replace(None, &data).expect("apply");
        assert_eq!(store.generation().expect("generation"), 1, "{name}");
        store.replace(None, &data).expect("apply again");
        store.replace(None, &data).expect("and again");
        assert_eq!(
            store.generation().expect("generation"),
            1,
            "{name}: same model, same generation"
        );
        assert_eq!(store.load().expect("load").data, data, "{name}");

        data.accounts[1].users[0]
            .tags
            .insert("level".into(), "senior".into());
        store.replace(None, &data).expect("apply change");
        assert_eq!(store.generation().expect("generation"), 2, "{name}");
        assert_eq!(store.load().expect("load").data, data, "{name}");

        // Removing an account removes it from the store; order is kept.
        data.accounts.remove(0);
        store.replace(None, &data).expect("apply removal");
        assert_eq!(store.generation().expect("generation"), 3, "{name}");
        assert_eq!(store.load().expect("load").data.accounts.len(), 1, "{name}");

        let mut dup = rich();
        dup.accounts[1].id = "111111111111".into();
        assert!(
            matches!(store.replace(None, &dup), Err(StoreError::InvalidData(_))),
            "{name}"
        );
        assert_eq!(
            store.load().expect("load").data,
            data,
            "{name}: a refused model leaves the store as it was"
        );
        assert_eq!(store.generation().expect("generation"), 3, "{name}");
    }
}

#[test]
fn mfa_steps_are_consumed_once_and_only_forward() {
    let dir = temp_dir("mfa");
    let serial = "arn:aws:iam::222222222222:mfa/alice";
    for (name, store) in stores(&dir) {
        assert_eq!(store.last_mfa_step(serial).expect("read"), None, "{name}");
        assert!(
            store.consume_mfa_code(serial, 100).expect("consume"),
            "{name}"
        );
        assert!(
            !store.consume_mfa_code(serial, 100).expect("replay"),
            "{name}: same step twice"
        );
        assert!(
            !store.consume_mfa_code(serial, 99).expect("older"),
            "{name}: an older step after a newer one"
        );
        assert!(store.consume_mfa_code(serial, 101).expect("next"), "{name}");
        assert_eq!(
            store.last_mfa_step(serial).expect("read"),
            Some(101),
            "{name}"
        );
        // Devices are independent.
        assert!(
            store
                .consume_mfa_code("arn:aws:iam::222222222222:mfa/bob", 100)
                .expect("other"),
            "{name}"
        );
        // Applying the model keeps MFA records and does not count as a change of the model.
        let generation = store.generation().expect("generation");
        store
            .replace(None, &store.load().expect("load").data)
            .expect("apply");
        assert_eq!(
            store.generation().expect("generation"),
            generation,
            "{name}"
        );
        assert!(
            !store
                .consume_mfa_code(serial, 101)
                .expect("replay after apply"),
            "{name}"
        );
        // Out-of-range steps are an error, not a wrap-around.
        if name != "memory" {
            assert!(store.consume_mfa_code(serial, u64::MAX).is_err(), "{name}");
        }
    }
}

#[test]
fn concurrent_consumers_on_two_connections_exactly_one_wins() {
    let dir = temp_dir("race");
    for (name, open) in shared_databases(&dir) {
        consumers_race(name, &open);
    }
    let memory = Arc::new(MemoryStore::new());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let memory = memory.clone();
            std::thread::spawn(move || memory.consume_mfa_code("s", 7).expect("consume"))
        })
        .collect();
    assert_eq!(
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .filter(|w| *w)
            .count(),
        1
    );
}

/// Four threads on two connections to one database present the same
/// step at once, twenty times: each time exactly one wins.
fn consumers_race(name: &str, open: &support::Opener) {
    let (first, second) = (open(), open());
    for round in 0..20u64 {
        let step = 1_000 + round;
        let contenders: Vec<Arc<dyn IamStore>> =
            vec![first.clone(), second.clone(), first.clone(), second.clone()];
        let barrier = Arc::new(Barrier::new(contenders.len()));
        let handles: Vec<_> = contenders
            .into_iter()
            .map(|store| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    store
                        .consume_mfa_code("arn:aws:iam::222222222222:mfa/alice", step)
                        .expect("consume")
                })
            })
            .collect();
        let wins = handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .filter(|won| *won)
            .count();
        assert_eq!(wins, 1, "{name}: round {round}");
    }
}

#[test]
fn sqlite_survives_reopening_and_sees_other_connections() {
    let dir = temp_dir("reopen");
    let path = dir.join("keyturn.db");
    let data = rich();
    {
        let store = SqliteStore::open(&path).expect("open");
        store.replace(None, &data).expect("apply");
        assert!(store.consume_mfa_code("serial", 5).expect("consume"));
    }
    let store = SqliteStore::open(&path).expect("reopen");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(store.load().expect("load").data, data);
    assert_eq!(store.generation().expect("generation"), 1);
    assert!(
        !store
            .consume_mfa_code("serial", 5)
            .expect("replay across restarts")
    );

    let other = SqliteStore::open(&path).expect("second connection");
    let mut changed = data.clone();
    changed.accounts[0].alias = Some("prod".into());
    other.replace(None, &changed).expect("apply");
    assert_eq!(
        store.generation().expect("generation"),
        2,
        "a write by another connection bumps the generation seen here"
    );
    assert_eq!(store.load().expect("load").data, changed);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the database holds secrets: {mode:o}");
    }
}

#[test]
fn sqlite_refuses_a_newer_schema_and_migrates_from_zero() {
    let dir = temp_dir("schema");
    let path = dir.join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        conn.execute_batch("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (99);")
            .expect("seed");
    }
    match SqliteStore::open(&path) {
        Err(
            err @ StoreError::SchemaTooNew {
                found: 99,
                supported: SCHEMA_VERSION,
            },
        ) => {
            assert!(
                err.to_string().contains("newer than this build supports"),
                "{err}"
            );
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }

    // An existing empty database (version 0: no schema_version table) is migrated.
    let path = dir.join("empty.db");
    rusqlite::Connection::open(&path)
        .expect("raw open")
        .execute_batch("CREATE TABLE unrelated (x)")
        .expect("seed");
    let store = SqliteStore::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let mode: String = rusqlite::Connection::open(&path)
        .expect("raw")
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(mode, "wal");
}

#[test]
fn store_errors_become_internal_failure_without_details() {
    let err: keyturn_core::Error = StoreError::Backend("disk /secret/path full".into()).into();
    assert_eq!(err.code(), "InternalFailure");
    assert_eq!(err.http_status(), 500);
    assert!(!err.message().contains("/secret/path"));
}

#[test]
fn corrupt_rows_are_reported_not_panicked() {
    let path = sqlite_with_raw_account("corrupt", "1", "{not json");
    let store = SqliteStore::open(&path).expect("open");
    assert!(matches!(store.load(), Err(StoreError::Corrupt(_))));
}

//! The store that takes changes, through the engine: two engines (two processes' worth: two
//! `SqliteStore::open` of one file) writing under contention, where a conflict is planned again
//! on the newer model; and `keyturn export`, whose configuration seeds a new store with the
//! same model.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

#[path = "engine_support/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

use harness::{Creds, Harness};
use keyturn::{Config, FixedClock, Runtime, RuntimeOptions};
use keyturn_core::Error;
use keyturn_core::iam::{
    Change, Entity, IamData, InstanceProfile, ManagedPolicy, MfaDevice, Role, SecretString, User,
};
use keyturn_core::keyring::Keyring;
use keyturn_core::ops::Operation;
use keyturn_core::ops::iam::{AddUserToGroup, CreateUser, DeleteUser};
use keyturn_core::store::{IamStore, StoreRead, StoreWrite};
use keyturn_store::{MemoryStore, SqliteStore};

const ACCT: &str = "222222222222";
const ROOT_KEY: &str = "AKIATHPL2AOHF64TZ2YZ";
const ROOT_SECRET: &str = "StoreWritesRootSecret/00000000000000000";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "keyturn-store-writes-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The database file in a fresh directory for the test `name`.
fn temp_db(name: &str) -> PathBuf {
    temp_dir(name).join("keyturn.db")
}

/// A database file in a fresh directory for the test `name`, the configuration with its store
/// there, and a keyring for the engines on it.
fn on_disk(name: &str) -> (PathBuf, Config, Keyring) {
    let db = temp_db(name);
    let config = config(&db);
    (db, config, Keyring::generate().expect("keyring"))
}

/// A configuration with its store at `db`: root keys, a group, a user whose keys the runtime
/// generates, a role with an inline policy.
fn yaml(db: &Path) -> String {
    format!(
        r#"
store: {{sqlite: "{db}"}}
accounts:
  - id: "{ACCT}"
    alias: development
    root:
      access_keys:
        - {{id: {ROOT_KEY}, secret: "{ROOT_SECRET}", create_date: "2024-01-02T03:04:05Z"}}
    groups:
      - name: developers
    users:
      - name: alice
        groups: [developers]
        tags: {{team: web}}
    roles:
      - name: Deploy
        trust_policy: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{ACCT}:root"}}, Action: "sts:AssumeRole"}}]}}
        inline_policies:
          read: '{{ "Version": "2012-10-17", "Statement": [ {{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }} ] }}'
        create_date: "2023-05-06T07:08:09Z"
"#,
        db = db.display()
    )
}

fn config(db: &Path) -> Config {
    Config::from_str(&yaml(db), "store_writes.yaml").unwrap_or_else(|e| panic!("{e}"))
}

/// A runtime of `config` on `store` (seeded by the configuration if empty), at the harness's
/// fixed time, to call operations signed as the account's root.
fn world(config: &Config, keyring: &Keyring, store: Arc<dyn IamStore>) -> Arc<Harness> {
    let clock = Arc::new(FixedClock::new(
        time::OffsetDateTime::from_unix_timestamp(harness::T0).expect("time"),
    ));
    let runtime = Runtime::with_options(
        config,
        RuntimeOptions {
            keyring: Some(keyring.clone()),
            store: Some(store),
            clock: Some(clock.clone()),
            ..RuntimeOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Arc::new(Harness {
        engine: runtime.engine(),
        clock,
        runtime,
    })
}

fn sqlite(path: &Path) -> Arc<dyn IamStore> {
    Arc::new(SqliteStore::open(path).expect("open"))
}

fn call<O: Operation>(h: &Harness, input: O::Input) -> Result<O::Output, Error> {
    harness::call::<O>(h, &Creds::long_term(ROOT_KEY, ROOT_SECRET), input)
}

fn create_user(h: &Harness, name: &str) -> Result<(), Error> {
    call::<CreateUser>(
        h,
        keyturn_api::iam::CreateUserRequest {
            user_name: name.to_owned(),
            ..Default::default()
        },
    )
    .map(drop)
}

fn add_to_developers(h: &Harness, name: &str) -> Result<(), Error> {
    call::<AddUserToGroup>(
        h,
        keyturn_api::iam::AddUserToGroupRequest {
            group_name: "developers".to_owned(),
            user_name: name.to_owned(),
        },
    )
    .map(drop)
}

fn put(entity: Entity) -> Change {
    Change::Put {
        account: ACCT.to_owned(),
        entity,
    }
}

/// A new user with nothing but its name.
fn put_user(name: &str) -> Change {
    put(Entity::User(User {
        name: name.into(),
        path: "/".into(),
        ..User::default()
    }))
}

fn user_named(data: &IamData, name: &str) -> Option<User> {
    data.account(ACCT)
        .and_then(|a| a.users.iter().find(|u| u.name == name).cloned())
}

#[test]
fn a_write_by_another_engine_in_between_is_planned_again() {
    let (db, config, keyring) = on_disk("replan");
    let first = world(&config, &keyring, sqlite(&db));
    let second = world(&config, &keyring, sqlite(&db));
    let plans = AtomicUsize::new(0);
    let (seen, _) = first
        .engine
        .change(|snapshot| {
            let n = plans.fetch_add(1, Ordering::SeqCst);
            if n == 0 {
                // The other engine commits after this plan read the model, before it commits.
                second
                    .engine
                    .change(|_| Ok((vec![put_user("from-second")], ())))
                    .expect("the other engine's write");
            }
            let seen = user_named(&snapshot.data, "from-second").is_some();
            Ok((vec![put_user("from-first")], seen))
        })
        .expect("the write, planned again");
    assert_eq!(plans.load(Ordering::SeqCst), 2, "one conflict, one re-plan");
    assert!(
        seen,
        "the second plan ran on the model with the other write"
    );
    let stored = SqliteStore::open(&db).expect("open").load().expect("load");
    assert!(user_named(&stored.data, "from-first").is_some());
    assert!(user_named(&stored.data, "from-second").is_some());
    // Both engines serve the same model: the other engine picks the write up within the
    // refresh interval.
    same_model_after_refresh(&[first, second], &stored.data);
}

#[test]
fn two_engines_on_one_file_racing_lose_no_update() {
    let (db, config, keyring) = on_disk("race");
    let engines = [
        world(&config, &keyring, sqlite(&db)),
        world(&config, &keyring, sqlite(&db)),
    ];
    let per_engine = 40usize;
    let plans = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(engines.len()));
    let handles: Vec<_> = engines
        .iter()
        .enumerate()
        .map(|(e, engine)| {
            let (engine, plans, barrier) = (engine.clone(), plans.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                for i in 0..per_engine {
                    // Read-modify-write of one shared value: a lost update would show in the sum.
                    engine
                        .engine
                        .change(|snapshot| {
                            plans.fetch_add(1, Ordering::SeqCst);
                            let mut alice = user_named(&snapshot.data, "alice").expect("alice");
                            let n: usize = alice
                                .tags
                                .get("writes")
                                .map_or(0, |v| v.parse().expect("a count"));
                            alice.tags.insert("writes".into(), (n + 1).to_string());
                            Ok((vec![put(Entity::User(alice))], ()))
                        })
                        .unwrap_or_else(|err| panic!("engine {e}, write {i}: {err}"));
                    // And the API's own writes.
                    let name = format!("e{e}-u{i}");
                    create_user(&engine, &name).unwrap_or_else(|err| panic!("{name}: {err}"));
                    add_to_developers(&engine, &name).unwrap_or_else(|err| panic!("{name}: {err}"));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer");
    }
    let total = engines.len() * per_engine;
    let stored = SqliteStore::open(&db).expect("open").load().expect("load");
    let alice = user_named(&stored.data, "alice").expect("alice");
    assert_eq!(
        alice.tags.get("writes").map(String::as_str),
        Some(total.to_string().as_str()),
        "every read-modify-write counted once"
    );
    for e in 0..engines.len() {
        for i in 0..per_engine {
            let name = format!("e{e}-u{i}");
            let user = user_named(&stored.data, &name).unwrap_or_else(|| panic!("{name} lost"));
            assert_eq!(user.groups, ["developers"], "{name}");
        }
    }
    let replans = plans.load(Ordering::SeqCst) - total;
    eprintln!("{total} counted writes, {replans} re-planned after a conflict");
    same_model_after_refresh(&engines, &stored.data);
}

/// Every engine serves `data` once the refresh interval has passed (another process's writes are
/// read at most that late).
fn same_model_after_refresh(engines: &[Arc<Harness>], data: &IamData) {
    std::thread::sleep(std::time::Duration::from_millis(
        keyturn_core::engine::REFRESH_INTERVAL_MS + 100,
    ));
    for h in engines {
        assert_eq!(h.engine.snapshot().expect("snapshot").data, *data);
    }
}

/// Writes through the API and the engine that leave a model with what the configuration can
/// express beyond the seed: API-made users (no keys, creation dates), a deleted user, group
/// membership, an instance profile and an unassigned MFA device with creation dates.
fn write_a_model(h: &Harness) {
    create_user(h, "bob").expect("bob");
    call::<CreateUser>(
        h,
        keyturn_api::iam::CreateUserRequest {
            user_name: "carol".into(),
            path: Some("/team/".into()),
            tags: Some(vec![keyturn_api::iam::Tag {
                key: "level".into(),
                value: "senior".into(),
            }]),
            ..Default::default()
        },
    )
    .expect("carol");
    add_to_developers(h, "carol").expect("carol in developers");
    create_user(h, "short-lived").expect("short-lived");
    call::<DeleteUser>(
        h,
        keyturn_api::iam::DeleteUserRequest {
            user_name: "short-lived".into(),
        },
    )
    .expect("delete");
    h.engine
        .change(|_| {
            let profile = InstanceProfile {
                name: "web".into(),
                path: "/".into(),
                roles: vec!["Deploy".into()],
                ..InstanceProfile::default()
            };
            let device = MfaDevice {
                name: "spare".into(),
                path: "/devices/".into(),
                seed_base32: SecretString::new("JBSWY3DPEHPK3PXP"),
                tags: [("owner".to_owned(), "ops".to_owned())].into(),
            };
            // A managed policy as the IAM API leaves it: three versions made, one deleted, the
            // second the default, with a description and tags.
            let doc = |action: &str| {
                format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#)
            };
            let mut policy = ManagedPolicy::new("Versioned".into(), "/app/".into(), doc("s3:GetObject"));
            policy.versions.push(keyturn_core::iam::PolicyVersion {
                id: "v3".into(),
                document: doc("s3:PutObject"),
                create_date: Some("2025-02-04T00:00:00Z".into()),
            });
            policy.default_version = "v3".into();
            policy.last_version = 3;
            policy.description = Some("made through the API".into());
            policy.tags = [("team".to_owned(), "web".to_owned())].into();
            let dates = [profile.arn(ACCT), device.serial(ACCT)].map(|key| Change::SetCreateDate {
                account: ACCT.into(),
                key,
                date: Some("2025-02-03T04:05:06Z".into()),
            });
            let mut changes = vec![
                put(Entity::InstanceProfile(profile)),
                put(Entity::VirtualMfaDevice(device)),
                put(Entity::ManagedPolicy(policy)),
                put(Entity::OidcProvider(keyturn_core::iam::OidcProvider {
                    url: "https://issuer.example.com".into(),
                    client_ids: vec!["app".into()],
                    jwks: Some(r#"{"keys":[]}"#.into()),
                    tags: [("env".to_owned(), "test".to_owned())].into(),
                    // Trusted identity propagation: stored, exported and seeded back.
                    context_provider: Some(keyturn_core::iam::ContextProvider {
                        subject_source_key: "sub".into(),
                        subject_type_source_key: Some("typ".into()),
                        key_definitions: vec![keyturn_core::iam::KeyDefinition {
                            source_key: "email".into(),
                            target_key: Some("mail".into()),
                        }],
                        ..Default::default()
                    }),
                    ..Default::default()
                })),
            ];
            changes.extend(dates);
            Ok((changes, ()))
        })
        .expect("engine write");
}

#[test]
fn export_seeds_a_new_store_with_the_same_model() {
    let (db, config, keyring) = on_disk("export");
    let dir = db.parent().expect("the database's directory");
    let source = world(&config, &keyring, sqlite(&db));
    assert_eq!(
        source.runtime.generated_keys.len(),
        1,
        "alice's key is generated"
    );
    write_a_model(&source);
    let model = source.engine.snapshot().expect("snapshot").data.clone();
    let account = model.account(ACCT).expect("account");
    assert!(
        account.create_dates.len() >= 6,
        "{:?}",
        account.create_dates
    );
    assert!(
        user_named(&model, "bob")
            .expect("bob")
            .access_keys
            .is_empty()
    );

    let text = keyturn::export::export_store(&config).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.contains(ROOT_SECRET),
        "the export is the store's content"
    );
    let out = dir.join("exported.yaml");
    keyturn::export::write_private(&out, &text).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        // Replacing a file leaves it private too.
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        keyturn::export::write_private(&out, &text).expect("rewrite");
        let mode = std::fs::metadata(&out)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    // A new store, seeded from the export as `keyturn serve --config exported.yaml` seeds it.
    let exported = Config::from_file(&out).unwrap_or_else(|e| panic!("{e}"));
    assert!(exported.generate_keys_for.is_empty());
    for store in [
        Arc::new(MemoryStore::new()) as Arc<dyn IamStore>,
        sqlite(&dir.join("new/keyturn.db")),
    ] {
        let copy = world(&exported, &keyring, store);
        assert!(
            copy.runtime.generated_keys.is_empty(),
            "no key appears for keyless users"
        );
        assert_eq!(copy.engine.snapshot().expect("snapshot").data, model);
    }
    // The role's inline policy kept its text as written.
    let role: &Role = &account.roles[0];
    assert!(role.inline_policies["read"].starts_with("{ \"Version\""));
}

#[test]
fn export_refuses_what_it_cannot_write_and_stores_it_does_not_have() {
    let db = temp_db("export-refusals");
    let mut data = config(&db).iam;
    data.accounts[0].create_dates.insert(
        "arn:aws:iam::222222222222:user/nobody".into(),
        "2024-01-01T00:00:00Z".into(),
    );
    match keyturn::export::to_yaml(&data) {
        Err(keyturn::export::ExportError::Inexpressible(message)) => {
            assert!(message.contains("create_dates"), "{message}");
            assert!(!message.contains(ROOT_SECRET), "{message}");
        }
        other => panic!("expected Inexpressible, got {other:?}"),
    }
    match keyturn::export::export_store(&config(&db)) {
        Err(keyturn::export::ExportError::NoStore(path)) => assert_eq!(path, db),
        other => panic!("expected NoStore, got {other:?}"),
    }
    assert!(!db.exists(), "exporting never creates a store");
    let memory = Config::from_str("store: {memory: true}", "memory.yaml").expect("config");
    assert!(matches!(
        keyturn::export::export_store(&memory),
        Err(keyturn::export::ExportError::MemoryStore)
    ));
}

#[test]
fn omitted_access_keys_are_generated_and_an_empty_list_is_none() {
    let head = harness::memory_account(ACCT);
    let text = format!(
        r#"{head}    users:
      - name: generated
      - name: keyless
        access_keys: []
"#
    );
    let config = Config::from_str(&text, "keys.yaml").unwrap_or_else(|e| panic!("{e}"));
    let h = world(
        &config,
        &Keyring::generate().expect("keyring"),
        Arc::new(MemoryStore::new()),
    );
    let names: Vec<_> = h
        .runtime
        .generated_keys
        .iter()
        .map(|k| k.user_name.as_str())
        .collect();
    assert_eq!(names, ["generated"]);
    let data = h.engine.snapshot().expect("snapshot").data.clone();
    assert_eq!(
        user_named(&data, "generated")
            .expect("user")
            .access_keys
            .len(),
        1
    );
    assert!(
        user_named(&data, "keyless")
            .expect("user")
            .access_keys
            .is_empty()
    );
}

/// A SQLite connection that another connection to the same file overtakes, as a second server
/// at the same moment would: how depends on the [`Race`].
struct Overtaken {
    store: SqliteStore,
    other: SqliteStore,
    race: Race,
}

/// When the other connection comes first.
enum Race {
    /// Right after the first `load` reads the (empty) model, the other connection seeds it with
    /// this model.
    SeedAfterFirstLoad(Mutex<Option<IamData>>),
    /// Just before each commit, the other connection commits first, so every commit is a
    /// conflict.
    CommitBeforeEach,
}

impl StoreRead for Overtaken {
    fn load(&self) -> keyturn_core::store::Result<keyturn_core::store::Loaded> {
        let loaded = self.store.load()?;
        if let Race::SeedAfterFirstLoad(seed) = &self.race
            && let Some(data) = seed.lock().expect("lock").take()
        {
            self.other.replace(None, &data)?;
        }
        Ok(loaded)
    }

    fn generation(&self) -> keyturn_core::store::Result<u64> {
        self.store.generation()
    }
}

impl StoreWrite for Overtaken {
    fn commit(&self, expected: u64, changes: &[Change]) -> keyturn_core::store::Result<u64> {
        if let Race::CommitBeforeEach = self.race {
            let theirs = self.other.generation()?;
            let nothing = Change::CreateAccount {
                account: ACCT.into(),
            };
            self.other.commit(theirs, &[nothing])?;
        }
        self.store.commit(expected, changes)
    }

    fn replace(&self, expected: Option<u64>, data: &IamData) -> keyturn_core::store::Result<u64> {
        self.store.replace(expected, data)
    }

    fn consume_mfa_code(&self, serial: &str, time_step: u64) -> keyturn_core::store::Result<bool> {
        self.store.consume_mfa_code(serial, time_step)
    }

    fn last_mfa_step(&self, serial: &str) -> keyturn_core::store::Result<Option<u64>> {
        self.store.last_mfa_step(serial)
    }
}

/// Two connections to `db`: the first one, which `race` overtakes, and the other one.
fn overtaken(db: &Path, race: Race) -> Overtaken {
    Overtaken {
        store: SqliteStore::open(db).expect("open"),
        other: SqliteStore::open(db).expect("open other"),
        race,
    }
}

#[test]
fn a_server_overtaken_while_seeding_keeps_the_other_seed() {
    let db = temp_db("seed-race");
    let config = config(&db);
    let mut theirs = config.iam.clone();
    theirs.accounts[0].alias = Some("seeded-first".into());
    let store = overtaken(
        &db,
        Race::SeedAfterFirstLoad(Mutex::new(Some(theirs.clone()))),
    );
    // The configuration's seed conflicts with the other one and starts over: the store has a
    // model now, which it keeps (alice's key was not stored by the other: none is reported).
    let h = world(
        &config,
        &Keyring::generate().expect("keyring"),
        Arc::new(store),
    );
    assert_eq!(h.engine.snapshot().expect("snapshot").data, theirs);
    assert!(h.runtime.generated_keys.is_empty());
    assert_eq!(h.runtime.warnings.len(), 1, "{:?}", h.runtime.warnings);
}

#[test]
fn a_write_that_keeps_losing_is_concurrent_modification_and_writes_nothing() {
    let db = temp_db("contended");
    let store = overtaken(&db, Race::CommitBeforeEach);
    let h = world(
        &config(&db),
        &Keyring::generate().expect("keyring"),
        Arc::new(store),
    );
    let e = create_user(&h, "never").expect_err("every commit conflicts");
    assert_eq!(
        (e.code(), e.message()),
        (
            "ConcurrentModification",
            "The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again."
        )
    );
    assert_eq!(e.error_code().http_status(), 409);
    let stored = SqliteStore::open(&db).expect("open").load().expect("load");
    assert!(user_named(&stored.data, "never").is_none());
}

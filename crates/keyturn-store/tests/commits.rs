//! Committing changes, the same on every store: all or nothing, compare-and-set on the
//! generation, one generation per commit, loads that never mix two commits, and racing writers
//! on two connections to one database (a SQLite file, a PostgreSQL database) that never lose a
//! write.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

mod support;

use std::sync::{Arc, Barrier};

use keyturn_core::iam::{Change, Entity, EntityKind, IamData, User};
use keyturn_store::{IamStore, MemoryStore, SqliteStore, StoreError, StoreRead, StoreWrite};
use support::{
    ACCOUNT, base, put_user, shared_databases, sqlite_with_raw_account, stores, temp_dir,
};

fn user_names(data: &IamData) -> Vec<String> {
    data.account(ACCOUNT)
        .map(|a| a.users.iter().map(|u| u.name.clone()).collect())
        .unwrap_or_default()
}

/// A store holding [`base`], at generation 1.
fn seeded(store: &dyn IamStore, name: &str) -> u64 {
    let generation = store.replace(None, &base()).expect("seed");
    assert_eq!(generation, 1, "{name}");
    generation
}

#[test]
fn a_commit_applies_every_change_and_moves_the_generation_by_one() {
    let dir = temp_dir("commit-all");
    for (name, store) in stores(&dir) {
        let mut generation = seeded(store.as_ref(), name);
        for round in 0..5u64 {
            let changes = [
                put_user(&format!("u{round}a")),
                put_user(&format!("u{round}b")),
                Change::SetAlias {
                    account: ACCOUNT.into(),
                    alias: Some(format!("alias-{round}")),
                },
            ];
            let next = store.commit(generation, &changes).expect("commit");
            assert_eq!(next, generation + 1, "{name}: round {round}");
            assert_eq!(store.generation().expect("generation"), next, "{name}");
            generation = next;
        }
        let loaded = store.load().expect("load");
        assert_eq!(loaded.generation, 6, "{name}");
        let account = loaded.data.account(ACCOUNT).expect("account");
        assert_eq!(account.users.len(), 10, "{name}");
        assert_eq!(account.alias.as_deref(), Some("alias-4"), "{name}");
        // The result is exactly what `Change::apply_all` makes of the model: one implementation.
        let mut expected = base();
        for round in 0..5u64 {
            expected = Change::apply_all(
                &expected,
                &[
                    put_user(&format!("u{round}a")),
                    put_user(&format!("u{round}b")),
                    Change::SetAlias {
                        account: ACCOUNT.into(),
                        alias: Some(format!("alias-{round}")),
                    },
                ],
            )
            .expect("apply");
        }
        assert_eq!(loaded.data, expected, "{name}");

        // A delete and a put in one commit.
        let next = store
            .commit(
                6,
                &[
                    Change::Delete {
                        account: ACCOUNT.into(),
                        kind: EntityKind::User,
                        name: "u0a".into(),
                    },
                    put_user("late"),
                ],
            )
            .expect("commit");
        assert_eq!(next, 7, "{name}");
        let names = user_names(&store.load().expect("load").data);
        assert!(!names.contains(&"u0a".to_owned()), "{name}: {names:?}");
        assert_eq!(names.last().map(String::as_str), Some("late"), "{name}");
    }
}

#[test]
fn a_change_naming_an_unknown_account_writes_nothing() {
    let dir = temp_dir("commit-unknown");
    for (name, store) in stores(&dir) {
        let generation = seeded(store.as_ref(), name);
        let before = store.load().expect("load");
        // The first change is fine; the second names an account the model does not have.
        let changes = [
            put_user("carol"),
            Change::Put {
                account: "333333333333".into(),
                entity: Entity::User(User {
                    name: "mallory".into(),
                    path: "/".into(),
                    ..User::default()
                }),
            },
        ];
        match store.commit(generation, &changes) {
            Err(StoreError::InvalidData(message)) => {
                assert!(message.contains("333333333333"), "{name}: {message}");
            }
            other => panic!("{name}: expected InvalidData, got {other:?}"),
        }
        assert_eq!(
            store.load().expect("load"),
            before,
            "{name}: all or nothing"
        );
        assert_eq!(
            store.generation().expect("generation"),
            generation,
            "{name}"
        );
        // The store is usable afterwards, at the same generation.
        assert_eq!(
            store
                .commit(generation, &[put_user("carol")])
                .expect("commit"),
            generation + 1,
            "{name}"
        );
    }
}

#[test]
fn a_stale_generation_is_a_conflict_and_writes_nothing() {
    let dir = temp_dir("commit-stale");
    for (name, store) in stores(&dir) {
        let first = seeded(store.as_ref(), name);
        let second = store.commit(first, &[put_user("carol")]).expect("commit");
        let before = store.load().expect("load");
        for stale in [0, first, second + 1, u64::MAX] {
            match store.commit(stale, &[put_user("dave")]) {
                Err(StoreError::Conflict { expected, found }) => {
                    assert_eq!((expected, found), (stale, second), "{name}");
                }
                other => panic!("{name}: expected Conflict for {stale}, got {other:?}"),
            }
            assert_eq!(store.load().expect("load"), before, "{name}: {stale}");
        }
        // `Conflict` is what the engine turns into ConcurrentModification.
        let err: keyturn_core::Error = StoreError::Conflict {
            expected: 1,
            found: 2,
        }
        .into();
        assert_eq!(err.code(), "ConcurrentModification");
        assert_eq!(err.http_status(), 409);
    }
}

#[test]
fn replace_checks_the_expected_generation() {
    let dir = temp_dir("replace-cas");
    for (name, store) in stores(&dir) {
        assert_eq!(
            store.replace(Some(0), &base()).expect("seed at 0"),
            1,
            "{name}"
        );
        let mut changed = base();
        changed.accounts[0].alias = Some("dev".into());
        match store.replace(Some(0), &changed) {
            Err(StoreError::Conflict {
                expected: 0,
                found: 1,
            }) => {}
            other => panic!("{name}: expected Conflict, got {other:?}"),
        }
        assert_eq!(store.load().expect("load").data, base(), "{name}");
        assert_eq!(
            store.replace(Some(1), &changed).expect("replace"),
            2,
            "{name}"
        );
        assert_eq!(store.load().expect("load").data, changed, "{name}");
        // The same model at the right generation changes nothing, not even the generation; at a
        // stale one it is still a conflict (the caller's view is out of date).
        assert_eq!(store.replace(Some(2), &changed).expect("same"), 2, "{name}");
        assert!(
            matches!(
                store.replace(Some(1), &changed),
                Err(StoreError::Conflict { .. })
            ),
            "{name}"
        );
    }
}

#[test]
fn load_returns_the_model_and_generation_of_one_commit() {
    // A reader on its own connection, while a writer commits one user per generation: every
    // load's model has exactly `generation - 1` users.
    let dir = temp_dir("load-consistent");
    let memory = Arc::new(MemoryStore::new());
    let mut pairs: Vec<(Arc<dyn IamStore>, Arc<dyn IamStore>)> = shared_databases(&dir)
        .into_iter()
        .map(|(_, open)| (open(), open()))
        .collect();
    pairs.push((memory.clone(), memory));
    for (writer, reader) in pairs {
        writer.replace(None, &base()).expect("seed");
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reading = {
            let done = done.clone();
            std::thread::spawn(move || {
                let mut loads = 0u32;
                while !done.load(std::sync::atomic::Ordering::Acquire) || loads == 0 {
                    let loaded = reader.load().expect("load");
                    let users = user_names(&loaded.data).len() as u64;
                    assert_eq!(users + 1, loaded.generation, "a load mixed two commits");
                    loads += 1;
                }
                loads
            })
        };
        for i in 0..200u64 {
            writer
                .commit(i + 1, &[put_user(&format!("user{i}"))])
                .expect("commit");
        }
        done.store(true, std::sync::atomic::Ordering::Release);
        let loads = reading.join().expect("reader");
        assert!(loads > 0);
        assert_eq!(writer.load().expect("load").generation, 201);
    }
}

/// What one racing writer saw.
#[derive(Debug, Default)]
struct Tally {
    won: Vec<String>,
    conflicts: usize,
}

/// Runs `writers` threads, each committing `per_writer` new users to its store with the
/// generation it just read, retrying a conflict from a fresh read. Returns each one's tally.
fn race(stores: Vec<Arc<dyn IamStore>>, per_writer: usize) -> Vec<Tally> {
    let barrier = Arc::new(Barrier::new(stores.len()));
    let handles: Vec<_> = stores
        .into_iter()
        .enumerate()
        .map(|(w, store)| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut tally = Tally::default();
                barrier.wait();
                for i in 0..per_writer {
                    let name = format!("w{w}-{i}");
                    loop {
                        let generation = store.generation().expect("generation");
                        match store.commit(generation, &[put_user(&name)]) {
                            Ok(next) => {
                                assert!(next > generation, "{next} after {generation}");
                                tally.won.push(name.clone());
                                break;
                            }
                            Err(StoreError::Conflict { expected, found }) => {
                                assert_eq!(expected, generation);
                                assert!(found > expected, "{found} <= {expected}");
                                tally.conflicts += 1;
                            }
                            Err(e) => panic!("writer {w}: {e}"),
                        }
                    }
                }
                tally
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("writer thread"))
        .collect()
}

fn check_race(name: &str, store: &dyn IamStore, tallies: &[Tally], per_writer: usize) {
    let loaded = store.load().expect("load");
    let mut stored = user_names(&loaded.data);
    stored.sort();
    let mut won: Vec<String> = tallies.iter().flat_map(|t| t.won.clone()).collect();
    won.sort();
    assert_eq!(won.len(), tallies.len() * per_writer, "{name}");
    assert_eq!(
        stored, won,
        "{name}: every commit that won is stored, none lost"
    );
    assert_eq!(
        loaded.generation,
        1 + won.len() as u64,
        "{name}: one generation per winning commit"
    );
}

#[test]
fn racing_writers_on_two_connections_to_one_file_lose_nothing() {
    let dir = temp_dir("race-commits");
    let per_writer = 150;
    for (name, open) in shared_databases(&dir) {
        let (first, second) = (open(), open());
        first.replace(None, &base()).expect("seed");
        let tallies = race(vec![first.clone(), second.clone()], per_writer);
        check_race(name, first.as_ref(), &tallies, per_writer);
        // The other connection sees the same.
        assert_eq!(
            second.load().expect("load"),
            first.load().expect("load"),
            "{name}: both connections read the same model"
        );
        eprintln!(
            "{name} race: conflicts {:?}",
            tallies.iter().map(|t| t.conflicts).collect::<Vec<_>>()
        );
    }

    let memory: Arc<dyn IamStore> = Arc::new(MemoryStore::new());
    memory.replace(None, &base()).expect("seed");
    let tallies = race(vec![memory.clone(), memory.clone()], per_writer);
    check_race("memory", memory.as_ref(), &tallies, per_writer);
}

#[test]
fn an_account_document_without_the_newer_fields_still_loads() {
    // Databases written before instance profiles, unassigned MFA devices and creation dates
    // joined the model hold documents without them: they decode with the fields empty, so the
    // schema needs no migration for them.
    let path = sqlite_with_raw_account(
        "old-document",
        ACCOUNT,
        r#"{"id":"222222222222","root":{"access_keys":[]},"users":[{"name":"alice","groups":[],"access_keys":[],"mfa_devices":[],"inline_policies":{},"managed_policies":[],"tags":{}}],"roles":[],"groups":[],"managed_policies":[],"oidc_providers":[],"saml_providers":[]}"#,
    );
    let store = SqliteStore::open(&path).expect("open");
    let data = store.load().expect("load").data;
    let account = data.account(ACCOUNT).expect("account");
    assert_eq!(user_names(&data), ["alice"]);
    assert_eq!(account.users[0].path, "/");
    assert!(account.instance_profiles.is_empty());
    assert!(account.virtual_mfa_devices.is_empty());
    assert!(account.create_dates.is_empty());
    // And a commit on it writes the current shape.
    store.commit(0, &[put_user("bob")]).expect("commit");
    assert_eq!(
        user_names(&store.load().expect("load").data),
        ["alice", "bob"]
    );
}

fn use_record(id: &str, unix: i64, service: &str) -> keyturn_core::store::UseRecord {
    keyturn_core::store::UseRecord {
        id: id.into(),
        unix,
        service: service.into(),
        region: "us-east-1".into(),
    }
}

#[test]
fn last_uses_persist_keep_the_latest_per_id_and_move_no_generation() {
    for (name, open) in shared_databases(&temp_dir("last-uses")) {
        last_uses_on(name, &open);
    }
    // The memory store keeps none: the engine's own record is the only one.
    let memory = MemoryStore::new();
    memory
        .record_uses(&[use_record("AKIA1", 1, "sts")])
        .expect("accepted");
    assert!(memory.load_uses().expect("load").is_empty());
}

fn last_uses_on(name: &str, open: &support::Opener) {
    let (a, b) = (open(), open());
    let before = a.generation().expect("generation");
    a.record_uses(&[
        use_record("AKIA1", 100, "sts"),
        use_record("AROA1", 100, "sts"),
    ])
    .expect("save");
    // Another engine on the same file saves an older use of AKIA1 (kept out) and a newer one of
    // AROA1 (kept), in one write.
    b.record_uses(&[
        use_record("AKIA1", 50, "iam"),
        use_record("AROA1", 200, "sts"),
    ])
    .expect("save");
    assert_eq!(
        a.generation().expect("generation"),
        before,
        "{name}: not a model change"
    );
    drop((a, b));
    let reopened = open();
    let got: Vec<(String, i64, String)> = reopened
        .load_uses()
        .expect("load")
        .into_iter()
        .map(|u| (u.id, u.unix, u.service))
        .collect();
    assert_eq!(
        got,
        [
            ("AKIA1".to_owned(), 100, "sts".to_owned()),
            ("AROA1".to_owned(), 200, "sts".to_owned())
        ],
        "{name}"
    );
}

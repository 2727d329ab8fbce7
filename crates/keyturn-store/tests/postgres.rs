//! What only a shared database does: migrations when several nodes start together, the schema
//! version check, the change feed (notifications and the periodic check), an engine following
//! another's writes, and a server that cannot be reached. Each test has a database of its own
//! on the tests' server (`KEYTURN_TEST_DATABASE_URL`); without one, each is skipped with a
//! notice.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

mod support;

use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use keyturn_core::clock::SystemClock;
use keyturn_core::engine::{Engine, EngineParts};
use keyturn_core::evaluator::DefaultEvaluator;
use keyturn_core::keyring::Keyring;
use keyturn_core::signer::KeyringSigner;
use keyturn_store::postgres::SCHEMA_VERSION;
use keyturn_store::{IamStore, PostgresOptions, PostgresStore, StoreError, StoreRead, StoreWrite};
use support::{base as seed, open_postgres, postgres_database, postgres_execute, put_user};

/// A store on `url` checking every `check_interval`, and the generations it announces, once
/// it has announced the first (the feed reads the generation when it connects).
fn watcher(url: &str, check_interval: Duration) -> (PostgresStore, Receiver<u64>) {
    let mut options = PostgresOptions::new(url);
    options.check_interval = check_interval;
    let store = PostgresStore::open(&options).expect("open");
    let (tx, rx) = channel();
    assert!(store.watch(Box::new(move |g| {
        let _ = tx.send(g);
    })));
    let first = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("first announcement");
    assert_eq!(first, store.generation().expect("generation"));
    (store, rx)
}

/// Waits for an announcement of `generation` (others are skipped); how long it took.
fn announced(rx: &Receiver<u64>, generation: u64, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let left = within
            .checked_sub(start.elapsed())
            .unwrap_or_else(|| panic!("generation {generation} not announced within {within:?}"));
        match rx.recv_timeout(left) {
            Ok(g) if g == generation => return start.elapsed(),
            Ok(_) => {}
            Err(e) => panic!("generation {generation} not announced within {within:?}: {e}"),
        }
    }
}

#[test]
fn nodes_starting_together_on_a_new_database_migrate_it_once() {
    let Some(url) = postgres_database() else {
        return;
    };
    let barrier = Arc::new(Barrier::new(4));
    let opened: Vec<_> = (0..4)
        .map(|_| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                PostgresStore::open(&PostgresOptions::new(url))
            })
        })
        .collect();
    for handle in opened {
        let store = handle.join().expect("thread").expect("open");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        assert_eq!(store.generation().expect("generation"), 0);
    }
    // One row of version, one generation counter: the migration ran once.
    let store = open_postgres(&url);
    store.replace(None, &seed()).expect("seed");
    assert_eq!(store.generation().expect("generation"), 1);
}

#[test]
fn a_database_of_a_newer_build_is_refused() {
    let Some(url) = postgres_database() else {
        return;
    };
    drop(open_postgres(&url));
    postgres_execute(&url, "UPDATE keyturn_schema SET version = 99");
    match PostgresStore::open(&PostgresOptions::new(url)) {
        Err(StoreError::SchemaTooNew { found, supported }) => {
            assert_eq!((found, supported), (99, SCHEMA_VERSION));
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[test]
fn another_nodes_commit_is_announced_by_its_notification() {
    let Some(url) = postgres_database() else {
        return;
    };
    // A check interval of a minute: only the notification can announce the commit in time.
    let (_watcher, rx) = watcher(&url, Duration::from_secs(60));
    let writer = open_postgres(&url);
    let generation = writer.replace(None, &seed()).expect("seed");
    let took = announced(&rx, generation, Duration::from_secs(5));
    let generation = writer
        .commit(generation, &[put_user("alice")])
        .expect("commit");
    let took = took.max(announced(&rx, generation, Duration::from_secs(5)));
    eprintln!("notification delay: at most {took:?}");
}

#[test]
fn a_change_without_a_notification_is_announced_by_the_periodic_check() {
    let Some(url) = postgres_database() else {
        return;
    };
    let (_watcher, rx) = watcher(&url, Duration::from_millis(100));
    // Behind the store's back: no NOTIFY.
    postgres_execute(
        &url,
        "UPDATE keyturn_meta SET value = 5 WHERE key = 'generation'",
    );
    announced(&rx, 5, Duration::from_secs(5));
}

fn engine(store: Arc<dyn IamStore>, keyring: &Keyring) -> Arc<Engine> {
    Arc::new(
        Engine::new(EngineParts {
            store,
            signer: Arc::new(KeyringSigner::new(keyring.clone())),
            evaluator: Arc::new(DefaultEvaluator),
            keyring: Arc::new(keyring.clone()),
            clock: Arc::new(SystemClock),
            region: "us-east-1".into(),
            regions: None,
            identity_providers: Vec::new(),
            compat: None,
        })
        .expect("engine"),
    )
}

#[test]
fn an_engine_following_the_store_reloads_on_another_nodes_write_without_a_request() {
    let Some(url) = postgres_database() else {
        return;
    };
    let keyring = Keyring::generate().expect("keyring");
    let mut options = PostgresOptions::new(&url);
    options.check_interval = Duration::from_secs(60);
    let a = engine(
        Arc::new(PostgresStore::open(&options).expect("open")),
        &keyring,
    );
    let b = engine(
        Arc::new(PostgresStore::open(&options).expect("open")),
        &keyring,
    );
    assert!(b.follow_store(), "a PostgreSQL store has a change feed");
    a.replace_model(&seed()).expect("seed");
    let (_, written) = a
        .change(|_| Ok((vec![put_user("alice")], ())))
        .expect("write through a");
    let start = Instant::now();
    // `snapshot()` on a follower never asks the store: only the feed can move it.
    while b.snapshot().expect("snapshot").generation != written.generation {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "b did not follow a's write"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let users = &b.snapshot().expect("snapshot").data.accounts[0].users;
    assert_eq!(
        users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["alice"]
    );
    eprintln!("engine b followed a's write after {:?}", start.elapsed());
}

#[test]
fn a_server_that_cannot_be_reached_is_unavailable_not_a_panic() {
    // Port 1 on loopback: refused at once.
    let start = Instant::now();
    match PostgresStore::open(&PostgresOptions::new(
        "postgres://keyturn@127.0.0.1:1/keyturn",
    )) {
        Err(StoreError::Unavailable(_)) => {}
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(start.elapsed() < Duration::from_secs(10));
    // A string that does not parse names the option, never the password.
    let bad = PostgresOptions::new("postgres://u:hunter2@127.0.0.1:notaport/db");
    let err = bad.check().expect_err("refused");
    assert!(!err.contains("hunter2"), "{err}");
    match PostgresStore::open(&bad) {
        Err(StoreError::Backend(message)) => assert!(!message.contains("hunter2"), "{message}"),
        other => panic!("expected Backend, got {other:?}"),
    }
    let good = PostgresOptions::new("postgres://u:hunter2@db.internal:5432/keyturn");
    let shown = format!("{good:?}");
    assert!(
        !shown.contains("hunter2") && shown.contains("db.internal/keyturn"),
        "{shown}"
    );
}

#[test]
fn stores_without_a_change_feed_leave_the_engine_asking_on_requests() {
    let keyring = Keyring::generate().expect("keyring");
    let memory = engine(Arc::new(keyturn_store::MemoryStore::new()), &keyring);
    assert!(!memory.follow_store());
    let sqlite = keyturn_store::SqliteStore::open_in_memory().expect("open");
    assert!(!engine(Arc::new(sqlite), &keyring).follow_store());
}

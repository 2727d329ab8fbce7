//! What the store test files share: every store to run a behaviour on, and a fresh directory.
#![allow(
    clippy::expect_used,
    dead_code,
    reason = "test helpers outside #[test] functions; not every file uses every helper"
)]

use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicU32, Ordering};

use keyturn_core::iam::{Account, Change, Entity, Group, IamData, User};
use keyturn_store::{IamStore, MemoryStore, PostgresOptions, PostgresStore, SqliteStore};

/// The account of the commit tests.
pub const ACCOUNT: &str = "222222222222";

/// A model of one account ([`ACCOUNT`]) with one group, `developers`.
pub fn base() -> IamData {
    IamData {
        accounts: vec![Account {
            id: ACCOUNT.into(),
            groups: vec![Group {
                name: "developers".into(),
                path: "/".into(),
                ..Group::default()
            }],
            ..Account::default()
        }],
        organization: None,
    }
}

/// Adds (or replaces) the user `name` of [`ACCOUNT`], a member of `developers`.
pub fn put_user(name: &str) -> Change {
    Change::Put {
        account: ACCOUNT.into(),
        entity: Entity::User(User {
            name: name.into(),
            path: "/".into(),
            groups: vec!["developers".into()],
            ..User::default()
        }),
    }
}

/// The stores every conformance test runs on: memory, SQLite in memory, SQLite in a new file
/// (in a subdirectory of `dir` that does not exist yet), and PostgreSQL in a new database when a
/// test server is given ([`postgres_database`]).
pub fn stores(dir: &Path) -> Vec<(&'static str, Box<dyn IamStore>)> {
    let mut stores: Vec<(&'static str, Box<dyn IamStore>)> = vec![
        ("memory", Box::new(MemoryStore::new())),
        (
            "sqlite-memory",
            Box::new(SqliteStore::open_in_memory().expect("open")),
        ),
        (
            "sqlite-file",
            Box::new(SqliteStore::open(dir.join("sub/dir/keyturn.db")).expect("open")),
        ),
    ];
    if let Some(url) = postgres_database() {
        stores.push(("postgres", Box::new(open_postgres(&url))));
    }
    stores
}

/// Opens the PostgreSQL store at `url`.
pub fn open_postgres(url: &str) -> PostgresStore {
    PostgresStore::open(&PostgresOptions::new(url)).expect("open the PostgreSQL store")
}

/// The PostgreSQL server of the tests (`KEYTURN_TEST_DATABASE_URL`, which `make test` sets with
/// `scripts/pg-test-server.sh`); without it, `None` after a one-line notice.
pub fn postgres_url() -> Option<String> {
    match std::env::var("KEYTURN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "skipped: PostgreSQL: KEYTURN_TEST_DATABASE_URL is not set (scripts/pg-test-server.sh)"
            );
            None
        }
    }
}

/// A new, empty database on the tests' PostgreSQL server, as a connection string; `None` (with
/// a notice) when no server is given. A given server that cannot be reached fails the test.
pub fn postgres_database() -> Option<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let url = postgres_url()?;
    let config: tokio_postgres::Config = url.parse().expect("KEYTURN_TEST_DATABASE_URL parses");
    let name = format!(
        "keyturn_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    postgres_execute(&url, &format!("CREATE DATABASE {name}"));
    let mut target = config.clone();
    target.dbname(&name);
    Some(connection_string(&target))
}

/// `config` as a `key=value` connection string.
fn connection_string(config: &tokio_postgres::Config) -> String {
    let mut parts = vec![format!(
        "dbname={}",
        config.get_dbname().unwrap_or("postgres")
    )];
    if let Some(tokio_postgres::config::Host::Tcp(host)) = config.get_hosts().first() {
        parts.push(format!("host={host}"));
    }
    if let Some(port) = config.get_ports().first() {
        parts.push(format!("port={port}"));
    }
    if let Some(user) = config.get_user() {
        parts.push(format!("user={user}"));
    }
    if let Some(password) = config.get_password() {
        parts.push(format!("password={}", String::from_utf8_lossy(password)));
    }
    parts.join(" ")
}

/// Runs `sql` on the database `url` names, behind the store's back.
pub fn postgres_execute(url: &str, sql: &str) {
    let config: tokio_postgres::Config = url.parse().expect("url");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (client, connection) = config
            .connect(tokio_postgres::NoTls)
            .await
            .expect("the PostgreSQL server of KEYTURN_TEST_DATABASE_URL is reachable");
        let driver = tokio::spawn(connection);
        client.batch_execute(sql).await.expect("execute");
        drop(client);
        let _ = driver.await;
    });
}

/// A new, empty directory for this test and process.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyturn-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A new SQLite store file in a fresh `temp_dir(name)` holding one `accounts` row written behind
/// the store's back: account `id` at position 0 with the raw `document` text. Returns its path.
pub fn sqlite_with_raw_account(name: &str, id: &str, document: &str) -> PathBuf {
    let path = temp_dir(name).join("keyturn.db");
    drop(SqliteStore::open(&path).expect("create"));
    rusqlite::Connection::open(&path)
        .expect("raw")
        .execute(
            "INSERT INTO accounts (id, position, document) VALUES (?1, 0, ?2)",
            [id, document],
        )
        .expect("insert");
    path
}

/// Opens one more connection to a shared database.
pub type Opener = Box<dyn Fn() -> std::sync::Arc<dyn IamStore>>;

/// The databases that several connections (or nodes) share: a new SQLite file in `dir`, and a
/// new PostgreSQL database when a test server is given; each with a way to open a connection.
pub fn shared_databases(dir: &Path) -> Vec<(&'static str, Opener)> {
    let path = dir.join("shared.db");
    let mut databases: Vec<(&'static str, Opener)> = vec![(
        "sqlite",
        Box::new(move || std::sync::Arc::new(SqliteStore::open(&path).expect("open"))),
    )];
    if let Some(url) = postgres_database() {
        databases.push((
            "postgres",
            Box::new(move || std::sync::Arc::new(open_postgres(&url))),
        ));
    }
    databases
}

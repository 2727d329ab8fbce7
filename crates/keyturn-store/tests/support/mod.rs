//! What the store test files share: every store to run a behaviour on, and a fresh directory.
#![allow(
    clippy::expect_used,
    dead_code,
    reason = "test helpers outside #[test] functions; not every file uses every helper"
)]

use std::path::{Path, PathBuf};

use keyturn_store::{IamStore, MemoryStore, SqliteStore};

/// The stores every conformance test runs on: memory, SQLite in memory, SQLite in a new file
/// (in a subdirectory of `dir` that does not exist yet).
pub fn stores(dir: &Path) -> Vec<(&'static str, Box<dyn IamStore>)> {
    vec![
        ("memory", Box::new(MemoryStore::new())),
        (
            "sqlite-memory",
            Box::new(SqliteStore::open_in_memory().expect("open")),
        ),
        (
            "sqlite-file",
            Box::new(SqliteStore::open(dir.join("sub/dir/keyturn.db")).expect("open")),
        ),
    ]
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

//! A SQLite store on a full filesystem: a write fails with `StoreError::Unavailable` and leaves
//! nothing half-written, reads keep working, and the next write succeeds once space is back,
//! on the same open store (no restart). Runs on a small tmpfs, so only where this process may
//! mount one (root); elsewhere it says so in one line and passes.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};

use keyturn_core::iam::{Account, Change, Entity, IamData, User};
use keyturn_store::{SqliteStore, StoreError, StoreRead, StoreWrite};
use support::temp_dir;

const ACCOUNT: &str = "222222222222";

/// A tmpfs of `size` mounted on a fresh directory, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(name: &str, size: &str) -> Option<Self> {
        let dir = temp_dir(name);
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!(
                "skipped: cannot mount a tmpfs on {} (not root?)",
                dir.display()
            );
            return None;
        }
        Some(Self(dir))
    }

    /// Fills the filesystem with `filler` until a write fails for want of space.
    fn fill(&self) -> PathBuf {
        let path = self.0.join("filler");
        let mut f = std::fs::File::create(&path).expect("filler");
        let block = [0u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&block[..1]).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

fn user(name: &str, description_bytes: usize) -> Change {
    Change::Put {
        account: ACCOUNT.into(),
        entity: Entity::User(User {
            name: name.into(),
            path: "/".into(),
            tags: [("pad".to_owned(), "x".repeat(description_bytes))].into(),
            ..User::default()
        }),
    }
}

fn users(store: &SqliteStore) -> Vec<String> {
    let loaded = store.load().expect("a read works on a full disk");
    loaded
        .data
        .account(ACCOUNT)
        .map(|a| a.users.iter().map(|u| u.name.clone()).collect())
        .unwrap_or_default()
}

fn open(dir: &Path) -> SqliteStore {
    let store = SqliteStore::open(dir.join("keyturn.db")).expect("open");
    let data = IamData {
        accounts: vec![Account {
            id: ACCOUNT.into(),
            ..Account::default()
        }],
        organization: None,
    };
    store.replace(None, &data).expect("seed");
    store
}

#[test]
fn a_full_disk_refuses_writes_keeps_reads_and_recovers_without_a_restart() {
    let Some(disk) = SmallDisk::mount("full-disk", "512k") else {
        return;
    };
    let store = open(&disk.0);
    let generation = store
        .commit(1, &[user("before", 10)])
        .expect("room to write");
    assert_eq!(users(&store), ["before"]);

    let filler = disk.fill();
    // Pages enough that the write-ahead log must grow.
    let refused = store.commit(generation, &[user("while-full", 200_000)]);
    assert!(
        matches!(refused, Err(StoreError::Unavailable(_))),
        "{refused:?}"
    );
    // The store's own error becomes AWS's temporary failure, not a 500.
    let wire = keyturn_core::Error::from(refused.expect_err("refused"));
    assert_eq!(
        (wire.code(), wire.http_status(), wire.message()),
        (
            "ServiceUnavailable",
            503,
            "The request has failed due to a temporary failure of the server."
        )
    );
    // Nothing half-written; the model and its generation are as before; reads go on.
    assert_eq!(users(&store), ["before"]);
    assert_eq!(store.generation().expect("generation"), generation);

    std::fs::remove_file(filler).expect("free the space");
    let after = store
        .commit(
            generation,
            &[user("while-full", 200_000), user("after", 10)],
        )
        .expect("writes again once space is back");
    assert_eq!(after, generation + 1);
    assert_eq!(users(&store), ["before", "while-full", "after"]);
    drop(store);
    // And it is all on disk: a new connection reads the same.
    let reopened = SqliteStore::open(disk.0.join("keyturn.db")).expect("reopen");
    assert_eq!(users(&reopened), ["before", "while-full", "after"]);
}

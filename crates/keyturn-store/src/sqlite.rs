//! The SQLite store, Keyturn's embedded default.
//!
//! One database file in WAL mode (readers never block the writer), a busy timeout so that
//! concurrent connections wait instead of failing, and every write in one transaction. The
//! schema is versioned in `schema_version`; opening runs the migrations from the version found
//! (0 for a new file) up to [`SCHEMA_VERSION`], and refuses a database from a newer build.
//!
//! Tables (version 3): `accounts` holds one JSON document per account (the unit the engine
//! reads and the configuration replaces), `meta` holds the generation counter, `mfa_usage` the
//! last TOTP step used per device, `last_use` when each access key and role was last used
//! (version 3; 1 and 2 had the other tables), `organization` the model's organization as one
//! JSON document (version 4).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use keyturn_core::iam::{Change, IamData};
use keyturn_core::store::{
    Loaded, Result, StoreError, StoreRead, StoreWrite, UseRecord, apply_changes, check_applicable,
    check_generation,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::documents::{
    Rows, decode, encode_accounts, encode_organization, row_changes, to_i64, to_u64,
};

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 4;

/// How long a connection waits for another's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Migrations: entry `i` upgrades version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1
    "CREATE TABLE schema_version (version INTEGER NOT NULL);
     INSERT INTO schema_version (version) VALUES (0);
     CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
     INSERT INTO meta (key, value) VALUES ('generation', 0);
     CREATE TABLE accounts (
         id TEXT PRIMARY KEY NOT NULL,
         position INTEGER NOT NULL,
         document TEXT NOT NULL
     );
     CREATE TABLE mfa_usage (
         serial TEXT PRIMARY KEY NOT NULL,
         last_step INTEGER NOT NULL
     );",
    // 1 -> 2: account documents written through the IAM API may hold what version 1's could not
    // (instance profiles, unassigned virtual MFA devices, policy versions). No table changes:
    // the new fields are defaulted when read, and the version makes an older build refuse the
    // file with `SchemaTooNew` ("upgrade Keyturn") instead of calling it corrupt.
    "SELECT 1;",
    // 2 -> 3: when access keys and roles were last used, kept across restarts and shared by the
    // engines on one database (not part of the model: saving one moves no generation).
    "CREATE TABLE last_use (
         id TEXT PRIMARY KEY NOT NULL,
         unix INTEGER NOT NULL,
         service TEXT NOT NULL,
         region TEXT NOT NULL
     );",
    // 3 -> 4: the AWS Organizations organization of the model, one JSON document (or no row).
    "CREATE TABLE organization (
         id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
         document TEXT NOT NULL
     );",
];

/// The store's error for a SQLite one: a full disk or a read-only file is
/// [`StoreError::Unavailable`] (temporary: the transaction was rolled back, and the next write
/// may succeed once space is back), anything else [`StoreError::Backend`].
fn backend(err: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode::{DiskFull, ReadOnly};
    match err.sqlite_error_code() {
        Some(DiskFull | ReadOnly) => StoreError::Unavailable(err.to_string()),
        _ => StoreError::Backend(err.to_string()),
    }
}

/// An [`IamStore`](keyturn_core::store::IamStore) in a SQLite database. Several `SqliteStore`s (threads, processes) may open the
/// same file; their writes are serialised by SQLite.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// The last generation read, returned if the database cannot be read at the moment.
    last_generation: AtomicU64,
}

impl SqliteStore {
    /// Opens (or creates, with mode 0600 and its parent directories) the database at `path`
    /// and migrates it to [`SCHEMA_VERSION`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let is_new = !path.exists();
        if is_new && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Backend(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        let conn = Connection::open(path).map_err(backend)?;
        if is_new {
            restrict_permissions(path)?;
        }
        Self::from_connection(conn, true)
    }

    /// A private database in memory (not shared with other connections).
    pub fn open_in_memory() -> Result<Self> {
        Self::from_connection(Connection::open_in_memory().map_err(backend)?, false)
    }

    fn from_connection(mut conn: Connection, wal: bool) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
        if wal {
            let mode: String = conn
                .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
                .map_err(backend)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Backend(format!(
                    "cannot switch the database to WAL mode (got `{mode}`)"
                )));
            }
            // In WAL mode NORMAL is durable against application crashes and much faster than FULL.
            conn.execute_batch("PRAGMA synchronous=NORMAL")
                .map_err(backend)?;
        }
        migrate(&mut conn)?;
        let store = Self {
            conn: Mutex::new(conn),
            last_generation: AtomicU64::new(0),
        };
        let generation = read_generation(&store.lock())?;
        store.last_generation.store(generation, Ordering::Relaxed);
        Ok(store)
    }

    /// The schema version of the open database (always [`SCHEMA_VERSION`] once opened).
    pub fn schema_version(&self) -> Result<i64> {
        read_version(&self.lock())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A connection stays consistent after a panic elsewhere: an open transaction is rolled
        // back when its guard drops.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // The database holds secret keys and MFA seeds.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| StoreError::Backend(format!("cannot restrict `{}`: {e}", path.display())))
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) -> Result<()> {
    Ok(())
}

fn read_version(conn: &Connection) -> Result<i64> {
    let exists: bool = conn
        .query_row("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", [], |row| {
            row.get(0)
        })
        .map_err(backend)?;
    if !exists {
        return Ok(0);
    }
    conn.query_row("SELECT version FROM schema_version", [], |row| row.get(0))
        .optional()
        .map_err(backend)?
        .ok_or_else(|| StoreError::Corrupt("the schema_version table is empty".to_owned()))
}

fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        // Read inside the write transaction, so that two processes never run the same step.
        let version = read_version(&tx)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let Some(step) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return if version == SCHEMA_VERSION {
                Ok(())
            } else {
                Err(StoreError::Corrupt(format!(
                    "unknown schema version {version}"
                )))
            };
        };
        tx.execute_batch(step).map_err(backend)?;
        tx.execute(
            "UPDATE schema_version SET version = ?1",
            params![version + 1],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
    }
}

fn read_generation(conn: &Connection) -> Result<u64> {
    let value: i64 = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'generation'",
            [],
            |row| row.get(0),
        )
        .map_err(backend)?;
    to_u64(value, "generation")
}

fn read_accounts(conn: &Connection) -> Result<Rows> {
    let mut stmt = conn
        .prepare_cached("SELECT id, document FROM accounts ORDER BY position")
        .map_err(backend)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(backend)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(backend)
}

fn read_organization(conn: &Connection) -> Result<Option<String>> {
    conn.query_row(
        "SELECT document FROM organization WHERE id = 1",
        [],
        |row| row.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)
}

/// Writes (or removes) the organization's document when it differs from `current`.
fn write_organization(
    tx: &rusqlite::Transaction<'_>,
    current: Option<&str>,
    data: &IamData,
) -> Result<()> {
    let wanted = encode_organization(data)?;
    if wanted.as_deref() == current {
        return Ok(());
    }
    match wanted {
        Some(doc) => tx.execute(
            "INSERT INTO organization (id, document) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET document = excluded.document",
            params![doc],
        ),
        None => tx.execute("DELETE FROM organization", []),
    }
    .map_err(backend)?;
    Ok(())
}

/// Writes the accounts of `data` whose document differs from `current` (by id), removes those
/// it no longer has, and bumps the generation. Inside the caller's transaction.
fn write_accounts(
    tx: &rusqlite::Transaction<'_>,
    current: &[(String, String)],
    data: &IamData,
) -> Result<u64> {
    let rows = row_changes(current, data)?;
    let mut upsert = tx
        .prepare_cached(
            "INSERT INTO accounts (id, position, document) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, document = excluded.document",
        )
        .map_err(backend)?;
    for (position, id, document) in rows.upserts {
        upsert
            .execute(params![id, position, document])
            .map_err(backend)?;
    }
    for id in rows.deletes {
        tx.execute("DELETE FROM accounts WHERE id = ?1", params![id])
            .map_err(backend)?;
    }
    tx.execute(
        "UPDATE meta SET value = value + 1 WHERE key = 'generation'",
        [],
    )
    .map_err(backend)?;
    read_generation(tx)
}

impl StoreRead for SqliteStore {
    fn load(&self) -> Result<Loaded> {
        let mut conn = self.lock();
        // One read transaction: the generation and the documents are of the same commit.
        let tx = conn.transaction().map_err(backend)?;
        let generation = read_generation(&tx)?;
        let rows = read_accounts(&tx)?;
        let organization = read_organization(&tx)?;
        tx.commit().map_err(backend)?;
        drop(conn);
        self.last_generation.store(generation, Ordering::Relaxed);
        Ok(Loaded {
            generation,
            data: decode(rows, organization.as_deref())?,
        })
    }

    fn generation(&self) -> Result<u64> {
        // Read from the database, so that writes by other connections are seen.
        let generation = read_generation(&self.lock())?;
        self.last_generation.store(generation, Ordering::Relaxed);
        Ok(generation)
    }

    fn load_uses(&self) -> Result<Vec<UseRecord>> {
        let conn = self.lock();
        let mut rows = conn
            .prepare_cached("SELECT id, unix, service, region FROM last_use ORDER BY id")
            .map_err(backend)?;
        rows.query_map([], |row| {
            Ok(UseRecord {
                id: row.get(0)?,
                unix: row.get(1)?,
                service: row.get(2)?,
                region: row.get(3)?,
            })
        })
        .map_err(backend)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(backend)
    }
}

impl SqliteStore {
    /// The last generation read from the database (without reading it again).
    pub fn last_generation(&self) -> u64 {
        self.last_generation.load(Ordering::Relaxed)
    }

    /// Runs `write` (given the current documents and model) in one IMMEDIATE transaction, after
    /// checking the generation against `expected`.
    fn write(
        &self,
        expected: Option<u64>,
        write: impl FnOnce(&rusqlite::Transaction<'_>, Rows) -> Result<Option<u64>>,
    ) -> Result<u64> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        let generation = read_generation(&tx)?;
        if let Some(expected) = expected {
            check_generation(expected, generation)?;
        }
        let current = read_accounts(&tx)?;
        // `None`: nothing to write (the transaction ends without a change).
        let generation = write(&tx, current)?.unwrap_or(generation);
        tx.commit().map_err(backend)?;
        self.last_generation.store(generation, Ordering::Relaxed);
        Ok(generation)
    }
}

impl StoreWrite for SqliteStore {
    fn commit(&self, expected: u64, changes: &[Change]) -> Result<u64> {
        self.write(Some(expected), |tx, current| {
            let organization = read_organization(tx)?;
            let before = decode(current.clone(), organization.as_deref())?;
            let after = apply_changes(&before, changes)?;
            write_organization(tx, organization.as_deref(), &after)?;
            write_accounts(tx, &current, &after).map(Some)
        })
    }

    fn replace(&self, expected: Option<u64>, data: &IamData) -> Result<u64> {
        check_applicable(data)?;
        self.write(expected, |tx, current| {
            let wanted = encode_accounts(data)?;
            let organization = read_organization(tx)?;
            if current == wanted && organization == encode_organization(data)? {
                // Idempotent: the same model leaves the generation alone.
                return Ok(None);
            }
            write_organization(tx, organization.as_deref(), data)?;
            write_accounts(tx, &current, data).map(Some)
        })
    }

    fn consume_mfa_code(&self, serial: &str, time_step: u64) -> Result<bool> {
        let step = to_i64(time_step, "time step")?;
        // One statement, so one atomic write: insert, or move forward only.
        let changed = self
            .lock()
            .execute(
                "INSERT INTO mfa_usage (serial, last_step) VALUES (?1, ?2)
                 ON CONFLICT (serial) DO UPDATE SET last_step = excluded.last_step
                 WHERE excluded.last_step > mfa_usage.last_step",
                params![serial, step],
            )
            .map_err(backend)?;
        Ok(changed == 1)
    }

    fn last_mfa_step(&self, serial: &str) -> Result<Option<u64>> {
        let step: Option<i64> = self
            .lock()
            .query_row(
                "SELECT last_step FROM mfa_usage WHERE serial = ?1",
                params![serial],
                |row| row.get(0),
            )
            .optional()
            .map_err(backend)?;
        step.map(|s| to_u64(s, "MFA step")).transpose()
    }

    fn record_uses(&self, uses: &[UseRecord]) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend)?;
        {
            // Insert, or move forward only: engines saving in any order keep the latest.
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO last_use (id, unix, service, region) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET unix = excluded.unix,
                         service = excluded.service, region = excluded.region
                     WHERE excluded.unix > last_use.unix",
                )
                .map_err(backend)?;
            for u in uses {
                upsert
                    .execute(params![u.id, u.unix, u.service, u.region])
                    .map_err(backend)?;
            }
        }
        tx.commit().map_err(backend)
    }
}

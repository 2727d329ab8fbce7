//! The PostgreSQL schema and its migrations, applied at start under an advisory lock.

use keyturn_core::store::{Result, StoreError};
use tokio_postgres::GenericClient;

use super::db;
use crate::documents::to_u64;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// The advisory lock key that serialises migrations (any constant: "keyturn" in ASCII).
const MIGRATION_LOCK: i64 = 0x006B_6579_7475_726E;

/// Migrations: entry `i` upgrades version `i` to `i + 1`. The tables are SQLite's version 4,
/// prefixed so that the database may hold other applications' tables.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1
    "CREATE TABLE keyturn_schema (version BIGINT NOT NULL);
     INSERT INTO keyturn_schema (version) VALUES (0);
     CREATE TABLE keyturn_meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
     INSERT INTO keyturn_meta (key, value) VALUES ('generation', 0);
     CREATE TABLE keyturn_accounts (
         id TEXT PRIMARY KEY,
         position BIGINT NOT NULL,
         document TEXT NOT NULL
     );
     CREATE TABLE keyturn_organization (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         document TEXT NOT NULL
     );
     CREATE TABLE keyturn_mfa_usage (serial TEXT PRIMARY KEY, last_step BIGINT NOT NULL);
     CREATE TABLE keyturn_last_use (
         id TEXT PRIMARY KEY,
         unix BIGINT NOT NULL,
         service TEXT NOT NULL,
         region TEXT NOT NULL
     );",
];

/// The schema version of the database (0 for one Keyturn never wrote).
pub(super) async fn read_version(client: &impl GenericClient) -> Result<i64> {
    let exists = client
        .query_one("SELECT to_regclass('keyturn_schema') IS NOT NULL", &[])
        .await
        .map_err(db)?;
    if !exists.get::<_, bool>(0) {
        return Ok(0);
    }
    client
        .query_opt("SELECT version FROM keyturn_schema", &[])
        .await
        .map_err(db)?
        .map(|r| r.get(0))
        .ok_or_else(|| StoreError::Corrupt("the keyturn_schema table is empty".to_owned()))
}

/// The generation counter.
pub(super) async fn read_generation(client: &impl GenericClient) -> Result<u64> {
    let row = client
        .query_one(
            "SELECT value FROM keyturn_meta WHERE key = 'generation'",
            &[],
        )
        .await
        .map_err(db)?;
    to_u64(row.get(0), "generation")
}

/// Brings the database to [`SCHEMA_VERSION`] in one transaction holding the migration lock: a
/// node that waited for another's migration finds the schema current and does nothing.
///
/// # Errors
/// [`StoreError::SchemaTooNew`] for a database of a newer build (nothing is changed).
pub(super) async fn migrate(client: &mut deadpool_postgres::Client) -> Result<()> {
    let tx = client.transaction().await.map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(db)?;
    let found = read_version(&*tx).await?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    let first = usize::try_from(found)
        .map_err(|_| StoreError::Corrupt(format!("unknown schema version {found}")))?;
    for step in MIGRATIONS.iter().skip(first) {
        tx.batch_execute(step).await.map_err(db)?;
    }
    if found < SCHEMA_VERSION {
        tx.execute("UPDATE keyturn_schema SET version = $1", &[&SCHEMA_VERSION])
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)
}

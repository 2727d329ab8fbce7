//! The PostgreSQL store: several stateless Keyturn nodes on one database.
//!
//! The tables hold what SQLite's do (one JSON document per account, the organization's document,
//! the generation, the last TOTP step per MFA device, the last uses), prefixed `keyturn_`. Every
//! write is one transaction that locks the generation's row (`SELECT … FOR UPDATE`), so the
//! compare-and-set holds across nodes; the commit sends a `NOTIFY` on [`CHANNEL`] with the new
//! generation, which the other nodes' change feeds ([`StoreRead::watch`]) turn into a reload.
//! The MFA replay check is one statement (insert, or move the device's step forward only), so a
//! code accepted on one node is refused on every other.
//!
//! The store's methods are synchronous, as the trait is: they run on a small runtime of the
//! store's own (one thread, its connection pool and the change feed) and the caller waits for
//! the answer, so they may be called from any thread, a server's async workers included. When
//! the database cannot be reached, they fail with [`StoreError::Unavailable`] within
//! [`OPERATION_TIMEOUT`] (the engine then answers writes and MFA checks `ServiceUnavailable`
//! and keeps serving from its snapshot), and work again once it is back.

mod listen;
mod schema;

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use keyturn_core::iam::{Change, IamData};
use keyturn_core::store::{
    ChangeCallback, Loaded, Result, StoreError, StoreRead, StoreWrite, UseRecord, apply_changes,
    check_applicable, check_generation,
};
use tokio_postgres::{IsolationLevel, NoTls};

use crate::documents::{
    Rows, decode, encode_accounts, encode_organization, row_changes, to_i64, to_u64,
};
pub use schema::SCHEMA_VERSION;

/// The channel of the change notifications (`LISTEN keyturn_changes`).
pub const CHANNEL: &str = "keyturn_changes";

/// How long one store operation may take, waiting for a connection included, before it fails
/// with [`StoreError::Unavailable`].
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(5);

/// How often the change feed reads the generation when no notification came (the staleness
/// bound when a notification is lost), unless configured.
pub const DEFAULT_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// Connections in the pool (beside the change feed's own).
const POOL_SIZE: usize = 8;

/// How to reach the database and how often to check it.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresOptions {
    /// A libpq connection string: `postgres://user:password@host:port/database` or
    /// `host=… dbname=…`.
    pub url: String,
    /// How often the change feed reads the generation when no notification came.
    pub check_interval: Duration,
}

impl PostgresOptions {
    /// The options for `url`, with the default check interval.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            check_interval: DEFAULT_CHECK_INTERVAL,
        }
    }

    /// Checks that the connection string parses (without connecting).
    ///
    /// # Errors
    /// The parser's message, which names the faulty option but never repeats its value.
    pub fn check(&self) -> std::result::Result<(), String> {
        self.url
            .parse::<tokio_postgres::Config>()
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

impl std::fmt::Debug for PostgresOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection string may hold a password: only the server and database are shown.
        let shown = self.url.parse::<tokio_postgres::Config>().map_or_else(
            |_| "(invalid)".to_owned(),
            |c| {
                let host = match c.get_hosts().first() {
                    Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
                    #[cfg(unix)]
                    Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
                    None => String::new(),
                };
                format!("{host}/{}", c.get_dbname().unwrap_or_default())
            },
        );
        f.debug_struct("PostgresOptions")
            .field("database", &shown)
            .field("check_interval", &self.check_interval)
            .finish()
    }
}

/// The store's runtime, stopped without waiting when the store is dropped (which may happen on
/// another runtime's thread, where waiting is not allowed).
struct Background(Option<tokio::runtime::Runtime>);

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// An [`IamStore`](keyturn_core::store::IamStore) in a PostgreSQL database, shared by every
/// node that opens it.
pub struct PostgresStore {
    handle: tokio::runtime::Handle,
    pool: Pool,
    pg_config: tokio_postgres::Config,
    check_interval: Duration,
    /// The callbacks of [`StoreRead::watch`]; the change feed starts with the first.
    watchers: Arc<Mutex<Vec<ChangeCallback>>>,
    /// Last, so that the pool and the feed go before their runtime.
    _runtime: Background,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection string may hold a password.
        f.debug_struct("PostgresStore")
            .field("check_interval", &self.check_interval)
            .finish_non_exhaustive()
    }
}

/// The store's error for a database one: the server away, shutting down, out of connections or
/// of disk, or the answer late, is [`StoreError::Unavailable`] (temporary); anything else
/// [`StoreError::Backend`].
fn db(err: tokio_postgres::Error) -> StoreError {
    match err.as_db_error() {
        // 08: connection exception; 53: insufficient resources (disk full, too many
        // connections); 57P: shutting down, starting up; 25006: a read-only server (a standby).
        Some(e) => {
            let code = e.code().code();
            if ["08", "53", "57P"].iter().any(|c| code.starts_with(c)) || code == "25006" {
                StoreError::Unavailable(err.to_string())
            } else {
                StoreError::Backend(err.to_string())
            }
        }
        // Without a server's error, the connection failed (refused, reset, closed, timed out).
        None => StoreError::Unavailable(err.to_string()),
    }
}

fn pool_error(err: PoolError) -> StoreError {
    match err {
        PoolError::Backend(e) => db(e),
        PoolError::Timeout(_) => StoreError::Unavailable(format!("database: {err}")),
        other => StoreError::Backend(format!("database pool: {other}")),
    }
}

impl PostgresStore {
    /// Connects to the database `options.url` names, and migrates it to [`SCHEMA_VERSION`] under
    /// an advisory lock (several nodes starting together migrate once).
    ///
    /// # Errors
    /// [`StoreError::Backend`] for a connection string that does not parse or a runtime that
    /// cannot start; [`StoreError::Unavailable`] when the database cannot be reached;
    /// [`StoreError::SchemaTooNew`] for a database written by a newer Keyturn.
    pub fn open(options: &PostgresOptions) -> Result<Self> {
        let mut pg_config: tokio_postgres::Config = options
            .url
            .parse()
            // The parser's message never repeats the string (which may hold a password).
            .map_err(|e| StoreError::Backend(format!("invalid database URL: {e}")))?;
        if pg_config.get_connect_timeout().is_none() {
            pg_config.connect_timeout(OPERATION_TIMEOUT);
        }
        if pg_config.get_application_name().is_none() {
            pg_config.application_name("keyturn");
        }
        pg_config.keepalives(true);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("keyturn-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot start the store's runtime: {e}")))?;
        let manager = Manager::from_config(
            pg_config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(OPERATION_TIMEOUT))
            .create_timeout(Some(OPERATION_TIMEOUT))
            .recycle_timeout(Some(OPERATION_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Backend(format!("database pool: {e}")))?;
        let store = Self {
            handle: runtime.handle().clone(),
            pool,
            pg_config,
            check_interval: options.check_interval,
            watchers: Arc::default(),
            _runtime: Background(Some(runtime)),
        };
        store.call(|pool| async move {
            let mut client = pool.get().await.map_err(pool_error)?;
            schema::migrate(&mut client).await
        })?;
        Ok(store)
    }

    /// The schema version of the database (always [`SCHEMA_VERSION`] once opened).
    ///
    /// # Errors
    /// As every read.
    pub fn schema_version(&self) -> Result<i64> {
        self.call(|pool| async move {
            let client = pool.get().await.map_err(pool_error)?;
            schema::read_version(&**client).await
        })
    }

    /// Runs `work` on the store's runtime with the pool and waits for its answer, at most
    /// [`OPERATION_TIMEOUT`]. Callable from any thread but the store's own.
    fn call<T, F, Fut>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Pool) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let (answer, answered) = std::sync::mpsc::sync_channel(1);
        let pool = self.pool.clone();
        self.handle.spawn(async move {
            let result = tokio::time::timeout(OPERATION_TIMEOUT, work(pool))
                .await
                .unwrap_or_else(|_| {
                    Err(StoreError::Unavailable(format!(
                        "the database did not answer within {} s",
                        OPERATION_TIMEOUT.as_secs()
                    )))
                });
            let _ = answer.send(result);
        });
        answered.recv().unwrap_or_else(|_| {
            Err(StoreError::Backend(
                "the store's runtime stopped".to_owned(),
            ))
        })
    }

    /// Runs `write` (given the current rows and model) in one transaction holding the
    /// generation's row lock, after checking the generation against `expected`; a write that
    /// changes the model bumps the generation and notifies the other nodes.
    fn write<F>(&self, expected: Option<u64>, write: F) -> Result<u64>
    where
        F: FnOnce(Rows, Option<String>) -> Result<Option<(Rows, IamData)>> + Send + 'static,
    {
        self.call(move |pool| async move {
            let mut client = pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await.map_err(db)?;
            let row = tx
                .query_one(
                    "SELECT value FROM keyturn_meta WHERE key = 'generation' FOR UPDATE",
                    &[],
                )
                .await
                .map_err(db)?;
            let generation = to_u64(row.get(0), "generation")?;
            if let Some(expected) = expected {
                check_generation(expected, generation)?;
            }
            let current = read_accounts(&tx).await?;
            let organization = read_organization(&tx).await?;
            // `None`: nothing to write (the transaction ends without a change).
            let Some((current, after)) = write(current, organization.clone())? else {
                return Ok(generation);
            };
            let generation = write_model(&tx, &current, organization.as_deref(), &after).await?;
            tx.commit().await.map_err(db)?;
            Ok(generation)
        })
    }
}

async fn read_accounts(tx: &deadpool_postgres::Transaction<'_>) -> Result<Rows> {
    let rows = tx
        .query(
            "SELECT id, document FROM keyturn_accounts ORDER BY position",
            &[],
        )
        .await
        .map_err(db)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

async fn read_organization(tx: &deadpool_postgres::Transaction<'_>) -> Result<Option<String>> {
    let row = tx
        .query_opt(
            "SELECT document FROM keyturn_organization WHERE id = 1",
            &[],
        )
        .await
        .map_err(db)?;
    Ok(row.map(|r| r.get(0)))
}

/// Writes the rows and the organization that differ, bumps the generation and queues the
/// notification (sent when the transaction commits). Returns the new generation.
async fn write_model(
    tx: &deadpool_postgres::Transaction<'_>,
    current: &[(String, String)],
    organization: Option<&str>,
    data: &IamData,
) -> Result<u64> {
    let rows = row_changes(current, data)?;
    for (position, id, document) in &rows.upserts {
        tx.execute(
            "INSERT INTO keyturn_accounts (id, position, document) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position,
                 document = EXCLUDED.document",
            &[id, position, document],
        )
        .await
        .map_err(db)?;
    }
    for id in &rows.deletes {
        tx.execute("DELETE FROM keyturn_accounts WHERE id = $1", &[id])
            .await
            .map_err(db)?;
    }
    let wanted = encode_organization(data)?;
    if wanted.as_deref() != organization {
        match &wanted {
            Some(doc) => {
                tx.execute(
                    "INSERT INTO keyturn_organization (id, document) VALUES (1, $1)
                     ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document",
                    &[doc],
                )
                .await
            }
            None => tx.execute("DELETE FROM keyturn_organization", &[]).await,
        }
        .map_err(db)?;
    }
    let row = tx
        .query_one(
            "UPDATE keyturn_meta SET value = value + 1 WHERE key = 'generation' RETURNING value",
            &[],
        )
        .await
        .map_err(db)?;
    let generation = to_u64(row.get(0), "generation")?;
    let mut accounts: Vec<&str> = rows.upserts.iter().map(|(_, id, _)| id.as_str()).collect();
    accounts.extend(rows.deletes.iter().map(String::as_str));
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CHANNEL, &listen::payload(generation, &accounts)],
    )
    .await
    .map_err(db)?;
    Ok(generation)
}

impl StoreRead for PostgresStore {
    fn load(&self) -> Result<Loaded> {
        let (generation, rows, organization) = self.call(|pool| async move {
            let mut client = pool.get().await.map_err(pool_error)?;
            // One snapshot of the database: the generation and the documents of one commit.
            let tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await
                .map_err(db)?;
            let generation = schema::read_generation(&*tx).await?;
            let rows = read_accounts(&tx).await?;
            let organization = read_organization(&tx).await?;
            tx.commit().await.map_err(db)?;
            Ok((generation, rows, organization))
        })?;
        Ok(Loaded {
            generation,
            data: decode(rows, organization.as_deref())?,
        })
    }

    fn generation(&self) -> Result<u64> {
        self.call(|pool| async move {
            let client = pool.get().await.map_err(pool_error)?;
            schema::read_generation(&**client).await
        })
    }

    fn load_uses(&self) -> Result<Vec<UseRecord>> {
        self.call(|pool| async move {
            let client = pool.get().await.map_err(pool_error)?;
            let rows = client
                .query(
                    "SELECT id, unix, service, region FROM keyturn_last_use ORDER BY id",
                    &[],
                )
                .await
                .map_err(db)?;
            Ok(rows
                .iter()
                .map(|r| UseRecord {
                    id: r.get(0),
                    unix: r.get(1),
                    service: r.get(2),
                    region: r.get(3),
                })
                .collect())
        })
    }

    fn watch(&self, on_change: ChangeCallback) -> bool {
        let mut watchers = self.watchers.lock().unwrap_or_else(PoisonError::into_inner);
        let first = watchers.is_empty();
        watchers.push(on_change);
        drop(watchers);
        if first {
            self.handle.spawn(listen::follow(
                self.pg_config.clone(),
                Arc::clone(&self.watchers),
                self.check_interval,
            ));
        }
        true
    }
}

impl StoreWrite for PostgresStore {
    fn commit(&self, expected: u64, changes: &[Change]) -> Result<u64> {
        let changes = changes.to_vec();
        self.write(Some(expected), move |current, organization| {
            let before = decode(current.clone(), organization.as_deref())?;
            Ok(Some((current, apply_changes(&before, &changes)?)))
        })
    }

    fn replace(&self, expected: Option<u64>, data: &IamData) -> Result<u64> {
        check_applicable(data)?;
        let wanted = encode_accounts(data)?;
        let wanted_organization = encode_organization(data)?;
        let data = data.clone();
        self.write(expected, move |current, organization| {
            // Idempotent: the same model leaves the generation alone.
            if current == wanted && organization == wanted_organization {
                return Ok(None);
            }
            Ok(Some((current, data)))
        })
    }

    fn consume_mfa_code(&self, serial: &str, time_step: u64) -> Result<bool> {
        let step = to_i64(time_step, "time step")?;
        let serial = serial.to_owned();
        // One statement, so one atomic compare-and-set across every node: insert, or move the
        // device's step forward only.
        self.call(move |pool| async move {
            let client = pool.get().await.map_err(pool_error)?;
            let changed = client
                .execute(
                    "INSERT INTO keyturn_mfa_usage (serial, last_step) VALUES ($1, $2)
                     ON CONFLICT (serial) DO UPDATE SET last_step = EXCLUDED.last_step
                     WHERE keyturn_mfa_usage.last_step < EXCLUDED.last_step",
                    &[&serial, &step],
                )
                .await
                .map_err(db)?;
            Ok(changed == 1)
        })
    }

    fn last_mfa_step(&self, serial: &str) -> Result<Option<u64>> {
        let serial = serial.to_owned();
        self.call(move |pool| async move {
            let client = pool.get().await.map_err(pool_error)?;
            let row = client
                .query_opt(
                    "SELECT last_step FROM keyturn_mfa_usage WHERE serial = $1",
                    &[&serial],
                )
                .await
                .map_err(db)?;
            row.map(|r| to_u64(r.get(0), "MFA step")).transpose()
        })
    }

    fn record_uses(&self, uses: &[UseRecord]) -> Result<()> {
        let uses = uses.to_vec();
        self.call(move |pool| async move {
            let mut client = pool.get().await.map_err(pool_error)?;
            let tx = client.transaction().await.map_err(db)?;
            for u in &uses {
                // Insert, or move forward only: nodes saving in any order keep the latest.
                tx.execute(
                    "INSERT INTO keyturn_last_use (id, unix, service, region)
                     VALUES ($1, $2, $3, $4)
                     ON CONFLICT (id) DO UPDATE SET unix = EXCLUDED.unix,
                         service = EXCLUDED.service, region = EXCLUDED.region
                     WHERE EXCLUDED.unix > keyturn_last_use.unix",
                    &[&u.id, &u.unix, &u.service, &u.region],
                )
                .await
                .map_err(db)?;
            }
            tx.commit().await.map_err(db)
        })
    }
}

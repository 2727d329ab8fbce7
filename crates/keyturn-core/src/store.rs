//! Storage of the IAM model, behind a trait: the engine reads [`IamData`] through [`IamStore`]
//! and never knows whether it lives in memory, in SQLite or elsewhere (`keyturn-store`
//! implements it).
//!
//! The model is read-mostly: the engine compiles a snapshot from [`StoreRead::load`] and reloads
//! it when [`StoreRead::generation`] changes. The IAM write operations commit typed
//! [`Change`]s with [`StoreWrite::commit`], compare-and-set on the generation the operation read;
//! [`StoreWrite::consume_mfa_code`] must be atomic across threads, connections and (for a shared
//! database) nodes.

use crate::iam::{Change, IamData};

/// What went wrong in a store. The engine reports every variant to clients as
/// `InternalFailure` (see the `From` impl); the detail is for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend failed (I/O, database error, lock timeout).
    #[error("store backend error: {0}")]
    Backend(String),
    /// The store cannot be written at the moment (the disk is full, the file or its
    /// filesystem is read-only, the database server cannot be reached): nothing was written,
    /// the engine keeps serving from its snapshot, and a later write may succeed without a
    /// restart.
    #[error("the store cannot be written now: {0}")]
    Unavailable(String),
    /// Stored data could not be decoded.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database was written by a newer Keyturn.
    #[error(
        "the store's schema version {found} is newer than this build supports ({supported}); upgrade Keyturn"
    )]
    SchemaTooNew {
        /// The version found in the database.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A compare-and-set write found the model at another generation than expected: another
    /// write came first. Nothing was written.
    #[error("the model changed (generation {found}, expected {expected})")]
    Conflict {
        /// The generation the writer read.
        expected: u64,
        /// The generation found.
        found: u64,
    },
    /// The data handed to the store is not acceptable (for example, duplicate account ids).
    #[error("invalid IAM data: {0}")]
    InvalidData(String),
}

/// AWS's message for `InternalFailure`.
pub use crate::error::INTERNAL_FAILURE_MESSAGE;

/// AWS's message for `ConcurrentModification`.
pub const CONCURRENT_MODIFICATION_MESSAGE: &str = "The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.";

/// AWS's text for `ServiceUnavailable` (the common errors' description): what a store that
/// cannot be written at the moment ([`StoreError::Unavailable`]) answers.
pub const SERVICE_UNAVAILABLE_MESSAGE: &str =
    "The request has failed due to a temporary failure of the server.";

impl From<StoreError> for crate::Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { .. } => {
                return crate::Error::new(
                    crate::ErrorCode::ConcurrentModification,
                    CONCURRENT_MODIFICATION_MESSAGE.to_owned(),
                );
            }
            // Temporary: the SDKs retry a 503, and the write succeeds once space (or the
            // database server) is back.
            StoreError::Unavailable(_) => {
                return crate::Error::new(
                    crate::ErrorCode::ServiceUnavailable,
                    SERVICE_UNAVAILABLE_MESSAGE.to_owned(),
                );
            }
            _ => {}
        }
        // The detail stays out of the wire (it may name files or tables); log it before converting.
        crate::Error::new(
            crate::ErrorCode::InternalFailure,
            INTERNAL_FAILURE_MESSAGE.to_owned(),
        )
    }
}

/// Results of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The model as read, with the generation it is at (read together, in one transaction).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loaded {
    /// The generation of `data`.
    pub generation: u64,
    /// The model.
    pub data: IamData,
}

/// When an access key or a role was last used (GetAccessKeyLastUsed, a role's `RoleLastUsed`),
/// as the engine saves it to a store beside the model (not a change: no generation moves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseRecord {
    /// The access key id (`AKIA…`) or the role's unique id (`AROA…`).
    pub id: String,
    /// When (Unix seconds).
    pub unix: i64,
    /// The service (the SigV4 scope's: `sts`, `iam`, ...).
    pub service: String,
    /// The region of the request.
    pub region: String,
}

/// Reading the IAM model.
pub trait StoreRead: Send + Sync {
    /// The whole model and its generation, as last committed.
    fn load(&self) -> Result<Loaded>;

    /// A counter that grows with every committed change (including by another connection to the
    /// same database), for cache invalidation. Starts at 0 for an empty store.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the store cannot be reached.
    fn generation(&self) -> Result<u64>;

    /// Every saved last use ([`StoreWrite::record_uses`]). A store that keeps none (memory:
    /// the engine's own record is the only one) returns none.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the store cannot be reached.
    fn load_uses(&self) -> Result<Vec<UseRecord>> {
        Ok(Vec::new())
    }

    /// Asks the store to call `on_change` with the stored generation whenever it learns that
    /// the model may have changed: another node's commit (PostgreSQL's `NOTIFY`), a
    /// reconnection, its own periodic check. Returns whether it will. A store without such a
    /// feed (memory, SQLite: the default) returns `false`, and the engine asks
    /// [`StoreRead::generation`] itself on its request path at most every second.
    ///
    /// `on_change` runs on the store's own thread: it must return at once and never call the
    /// store (the engine hands the generation to a thread of its own).
    fn watch(&self, on_change: ChangeCallback) -> bool {
        let _ = on_change;
        false
    }
}

/// What [`StoreRead::watch`] calls with the stored generation.
pub type ChangeCallback = Box<dyn Fn(u64) + Send + Sync>;

/// Writing the IAM model, atomically and with compare-and-set.
pub trait StoreWrite: Send + Sync {
    /// Applies `changes` ([`Change::apply`], in order) as one atomic write, if and only if the
    /// model is still at generation `expected`; returns the new generation (`expected + 1`).
    /// Readers see the model before or after, never a part of it.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when another write came first (nothing is written: compute the
    /// changes again from the new model); [`StoreError::InvalidData`] when a change names an
    /// account the model does not have (nothing is written).
    fn commit(&self, expected: u64, changes: &[Change]) -> Result<u64>;

    /// Makes the stored model equal to `data`, atomically, if the model is at generation
    /// `expected` (any generation when `None`). Applying the model already stored changes
    /// nothing, not even the generation. MFA usage records are kept. Returns the generation.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] as [`StoreWrite::commit`]; [`StoreError::InvalidData`] for
    /// duplicate account ids.
    fn replace(&self, expected: Option<u64>, data: &IamData) -> Result<u64>;

    /// Atomically records that the TOTP step `time_step` was used for the device `serial`.
    /// Returns `false` (a replay) when that step or a later one was already recorded for the
    /// device, in which case nothing changes.
    fn consume_mfa_code(&self, serial: &str, time_step: u64) -> Result<bool>;

    /// The last TOTP step recorded for `serial`, if any.
    fn last_mfa_step(&self, serial: &str) -> Result<Option<u64>>;

    /// Saves last uses, atomically; per id the later of the saved and the given one stays (so
    /// several engines on one database may save in any order). A store that keeps none
    /// accepts and drops them.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the store cannot be written (nothing is saved).
    fn record_uses(&self, uses: &[UseRecord]) -> Result<()> {
        let _ = uses;
        Ok(())
    }
}

/// The storage of the IAM model: reading and writing. Object-safe: the engine holds an
/// `Arc<dyn IamStore>`. Implemented for every type that reads and writes.
pub trait IamStore: StoreRead + StoreWrite {}

impl<T: StoreRead + StoreWrite> IamStore for T {}

/// Makes `data` the model of a store that has no account yet (a configuration seeding a new
/// database); a store that has accounts keeps them. Returns whether it seeded.
///
/// # Errors
/// As [`StoreWrite::replace`] (a conflict is retried: another node seeding at the same moment).
pub fn seed(store: &dyn IamStore, data: &IamData) -> Result<bool> {
    loop {
        let loaded = store.load()?;
        if !loaded.data.accounts.is_empty() {
            return Ok(false);
        }
        match store.replace(Some(loaded.generation), data) {
            Ok(_) => return Ok(true),
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Checks `expected` against the store's generation `found`.
///
/// # Errors
/// [`StoreError::Conflict`] when they differ.
pub fn check_generation(expected: u64, found: u64) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(StoreError::Conflict { expected, found })
    }
}

/// Applies `changes` to `data` (for a store's commit).
///
/// # Errors
/// [`StoreError::InvalidData`] when a change names an account `data` does not have.
pub fn apply_changes(data: &IamData, changes: &[Change]) -> Result<IamData> {
    Change::apply_all(data, changes).map_err(|e| StoreError::InvalidData(e.to_string()))
}

/// Checks what every store requires of a model before applying it: account ids are unique.
/// (Full validation belongs to the configuration loader.)
pub fn check_applicable(data: &IamData) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for account in &data.accounts {
        if !seen.insert(account.id.as_str()) {
            return Err(StoreError::InvalidData(format!(
                "duplicate account id `{}`",
                account.id
            )));
        }
    }
    Ok(())
}

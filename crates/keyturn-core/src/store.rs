//! Storage of the IAM model, behind a trait: the engine reads [`IamData`] through [`IamStore`]
//! and never knows whether it lives in memory, in SQLite or elsewhere (`keyturn-store`
//! implements it).
//!
//! The model is read-mostly: the engine compiles a snapshot from [`IamStore::load`] and reloads
//! it when [`IamStore::generation`] changes. The one write on the request path is
//! [`IamStore::consume_mfa_code`], which must be atomic across threads, connections and (for a
//! shared database) nodes.

use crate::iam::IamData;

/// What went wrong in a store. The engine reports every variant to clients as
/// `InternalFailure` (see the `From` impl); the detail is for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend failed (I/O, database error, lock timeout).
    #[error("store backend error: {0}")]
    Backend(String),
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
    /// The data handed to the store is not acceptable (for example, duplicate account ids).
    #[error("invalid IAM data: {0}")]
    InvalidData(String),
}

/// AWS's message for `InternalFailure`.
pub use crate::error::INTERNAL_FAILURE_MESSAGE;

impl From<StoreError> for crate::Error {
    fn from(_: StoreError) -> Self {
        // The detail stays out of the wire (it may name files or tables); log it before converting.
        crate::Error::new(
            crate::ErrorCode::InternalFailure,
            INTERNAL_FAILURE_MESSAGE.to_owned(),
        )
    }
}

/// Results of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The storage of the IAM model. Object-safe: the engine holds an `Arc<dyn IamStore>`.
pub trait IamStore: Send + Sync {
    /// The whole model, as last applied.
    fn load(&self) -> Result<IamData>;

    /// Makes the stored model equal to `data`, atomically (readers see the old or the new model,
    /// never a mix). Accounts absent from `data` are removed. Applying the model already stored
    /// changes nothing, not even the generation. MFA usage records are kept.
    fn apply(&self, data: &IamData) -> Result<()>;

    /// A counter that grows whenever the stored model changes (including by another connection
    /// to the same database), for cache invalidation. Starts at 0 for an empty store.
    fn generation(&self) -> u64;

    /// Atomically records that the TOTP step `time_step` was used for the device `serial`.
    /// Returns `false` (a replay) when that step or a later one was already recorded for the
    /// device, in which case nothing changes.
    fn consume_mfa_code(&self, serial: &str, time_step: u64) -> Result<bool>;

    /// The last TOTP step recorded for `serial`, if any.
    fn last_mfa_step(&self, serial: &str) -> Result<Option<u64>>;
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

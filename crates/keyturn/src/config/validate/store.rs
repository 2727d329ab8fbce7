//! The `store` section: SQLite (the default), memory, or PostgreSQL (`KEYTURN_DATABASE_URL`
//! overrides the file's choice).

use std::time::Duration;

use keyturn_store::PostgresOptions;

use super::super::raw::RawStore;
use super::super::{DEFAULT_SQLITE, StoreConfig};
use super::{Checked, Checker};

/// The environment variable whose connection string, when set and not empty, makes the store
/// PostgreSQL whatever the file says.
pub const DATABASE_URL_VARIABLE: &str = "KEYTURN_DATABASE_URL";

/// The longest `check_interval`, in seconds.
const MAX_CHECK_INTERVAL_SECONDS: f64 = 3600.0;

pub(super) fn store(c: &Checker<'_>, raw: Option<RawStore>) -> Checked<StoreConfig> {
    let raw = raw.unwrap_or_default();
    let from_env = std::env::var(DATABASE_URL_VARIABLE)
        .ok()
        .filter(|u| !u.is_empty());
    let check_interval = match raw.check_interval {
        None => None,
        Some(s) if (0.01..=MAX_CHECK_INTERVAL_SECONDS).contains(&s) => {
            Some(Duration::from_secs_f64(s))
        }
        Some(s) => {
            return c.fail(
                "store.check_interval",
                format!(
                    "`{s}` is not a number of seconds from 0.01 to {MAX_CHECK_INTERVAL_SECONDS}"
                ),
            );
        }
    };
    let postgres = |path: &str, url: String| {
        let mut options = PostgresOptions::new(url);
        if let Some(every) = check_interval {
            options.check_interval = every;
        }
        match options.check() {
            Ok(()) => Ok(StoreConfig::Postgres(options)),
            Err(e) => c.fail(path, format!("not a PostgreSQL connection string: {e}")),
        }
    };
    if let Some(url) = from_env {
        return postgres(DATABASE_URL_VARIABLE, url);
    }
    if check_interval.is_some() && raw.postgres.is_none() {
        return c.fail(
            "store.check_interval",
            "only a PostgreSQL store (`postgres: URL`) is checked on an interval",
        );
    }
    match raw {
        RawStore {
            sqlite: None,
            memory: None,
            postgres: None,
            ..
        } => Ok(StoreConfig::Sqlite(c.resolve(DEFAULT_SQLITE))),
        RawStore {
            sqlite: Some(path),
            memory: None,
            postgres: None,
            ..
        } if !path.is_empty() => Ok(StoreConfig::Sqlite(c.resolve(&path))),
        RawStore {
            sqlite: None,
            memory: Some(true),
            postgres: None,
            ..
        } => Ok(StoreConfig::Memory),
        RawStore {
            sqlite: None,
            memory: None,
            postgres: Some(url),
            ..
        } if !url.is_empty() => postgres("store.postgres", url),
        _ => c.fail(
            "store",
            "give exactly one of `sqlite: PATH`, `memory: true` or `postgres: URL`",
        ),
    }
}

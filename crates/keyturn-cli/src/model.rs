//! The model the reading commands (`analyze`, `mfa code`, `policy simulate`) work on: what a
//! server of the configuration serves. That is the store's model when the configuration's
//! SQLite store exists (a server ran and may have changed it through the IAM API), else the
//! configuration's own. Reading never creates a file: without a store, the engine runs in
//! memory with a keyring of its own.

use std::path::Path;

use keyturn::config::StoreConfig;
use keyturn::iam::IamData;
use keyturn::{Config, Keyring, Runtime, RuntimeOptions};

use crate::output::Outcome;

/// The configuration at `path` (or the seed scenario), or exit status 2 with the reason.
pub fn config(path: Option<&Path>) -> Result<Config, Outcome> {
    crate::load_config(path).map_err(|e| Outcome::error(2, e))
}

fn runtime_error(e: impl std::fmt::Display) -> Outcome {
    Outcome::error(1, e)
}

/// The model a server of `config` serves (see the module documentation).
pub fn model(config: &Config) -> Result<IamData, Outcome> {
    match &config.store {
        StoreConfig::Sqlite(path) if path.is_file() => {
            let runtime = Runtime::from_config(config).map_err(runtime_error)?;
            let snapshot = runtime.engine().snapshot().map_err(runtime_error)?;
            Ok(snapshot.data.clone())
        }
        _ => Ok(config.to_iam_data()),
    }
}

/// An engine in memory over `data` (with `config`'s other settings): what a command may
/// change (a key to act with) without touching the store.
pub fn in_memory(config: &Config, data: IamData) -> Result<Runtime, Outcome> {
    let mut copy = config.clone();
    copy.store = StoreConfig::Memory;
    copy.iam = data;
    copy.generate_keys_for.clear();
    let keyring = Keyring::generate().map_err(runtime_error)?;
    let options = RuntimeOptions {
        keyring: Some(keyring),
        ..RuntimeOptions::default()
    };
    Runtime::with_options(&copy, options).map_err(runtime_error)
}

//! `keyturn export`: the stored IAM model written back out as a configuration.
//!
//! The text is the `accounts` section of a configuration file (docs/configuration.md) that seeds
//! a new, empty store with exactly the stored model: every entity, policy document (as the
//! stored text), tag, access key with its secret, MFA seed and creation date. A user without
//! access keys is written with `access_keys: []`, so that seeding does not generate one.
//! Before returning, the text is loaded back as a configuration and compared with the model: a
//! model holding something the configuration cannot express is refused, never written half.
//!
//! The text holds secrets (it is the store's content): [`write_private`] writes it with mode
//! 0600; never print it to a terminal.

use std::io::Write;
use std::path::{Path, PathBuf};

use keyturn_core::iam::{Account, IamData};
use keyturn_core::store::{StoreError, StoreRead};
use keyturn_store::{PostgresStore, SqliteStore};
use serde_yaml_ng::{Mapping, Value};

use crate::config::{Config, StoreConfig};

/// Why the model could not be exported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The configuration names an in-memory store, which holds nothing once its server stops.
    #[error("the configuration's store is in memory: there is nothing stored to export")]
    MemoryStore,
    /// The configuration's SQLite database does not exist.
    #[error("no store at {0}")]
    NoStore(PathBuf),
    /// The store could not be read.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The model holds something the configuration format cannot express (named).
    #[error("the stored model cannot be written as a configuration: {0}")]
    Inexpressible(String),
    /// The file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The model of the store `config` names, as configuration text (see [`to_yaml`]). Reads the
/// SQLite database without creating or changing it (a running server may share it), or the
/// PostgreSQL database.
///
/// # Errors
/// [`ExportError`]: an in-memory or missing store, a store error, or a model the configuration
/// cannot express.
pub fn export_store(config: &Config) -> Result<String, ExportError> {
    let path = match &config.store {
        StoreConfig::Memory => return Err(ExportError::MemoryStore),
        StoreConfig::Sqlite(path) => path,
        // The database is shared: opening it migrates an empty one, and changes no model.
        StoreConfig::Postgres(options) => {
            return to_yaml(&PostgresStore::open(options)?.load()?.data);
        }
    };
    if !path.is_file() {
        return Err(ExportError::NoStore(path.clone()));
    }
    let loaded = SqliteStore::open(path)?.load()?;
    to_yaml(&loaded.data)
}

/// `data` as the `accounts` section of a configuration that seeds exactly `data`.
///
/// # Errors
/// [`ExportError::Inexpressible`] when loading the text back gives another model (a creation
/// date of nothing in the model, a field the configuration has no place for, a value it refuses).
pub fn to_yaml(data: &IamData) -> Result<String, ExportError> {
    let mut accounts = Vec::new();
    for account in &data.accounts {
        accounts.push(account_value(account)?);
    }
    let mut top = Mapping::new();
    top.insert("accounts".into(), Value::Sequence(accounts));
    if let Some(org) = &data.organization {
        // The model's own serialisation is the configuration's form.
        let value =
            serde_yaml_ng::to_value(org).map_err(|e| ExportError::Inexpressible(e.to_string()))?;
        top.insert("organization".into(), value);
    }
    let body = serde_yaml_ng::to_string(&top)
        .map_err(|e| ExportError::Inexpressible(format!("YAML: {e}")))?;
    let text = format!(
        "# Written by `keyturn export`: the stored IAM model, to seed a new store.\n\
         # It holds secret access keys and MFA seeds: keep it private (mode 0600).\n{body}"
    );
    check_round_trip(&text, data)?;
    Ok(text)
}

/// One account as configuration: the model's own serialisation (its field names and order are
/// the configuration's), with each creation date moved onto its entity as `create_date`.
fn account_value(account: &Account) -> Result<Value, ExportError> {
    let id = account.id.as_str();
    let mut value =
        serde_yaml_ng::to_value(account).map_err(|e| ExportError::Inexpressible(e.to_string()))?;
    let Some(fields) = value.as_mapping_mut() else {
        return Err(ExportError::Inexpressible(format!(
            "account {id} is not a mapping"
        )));
    };
    fields.remove("create_dates");
    // A credential report is made on request and expires in hours: not configuration; nor
    // are the deletion tasks of workload identity providers (readable for 24 hours).
    fields.remove("credential_report");
    fields.remove("workload_deletion_tasks");
    let dates = &account.create_dates;
    let date_of = |list: &str, keys: Vec<String>, fields: &mut Mapping| {
        let Some(items) = fields.get_mut(list).and_then(Value::as_sequence_mut) else {
            return;
        };
        for (item, key) in items.iter_mut().zip(keys) {
            if let (Some(obj), Some(date)) = (item.as_mapping_mut(), dates.get(&key)) {
                obj.insert("create_date".into(), Value::String(date.clone()));
            }
        }
    };
    fn keys<T>(items: &[T], key: impl Fn(&T) -> String) -> Vec<String> {
        items.iter().map(key).collect()
    }
    let lists = [
        ("users", keys(&account.users, |u| u.arn(id))),
        ("roles", keys(&account.roles, |r| r.arn(id))),
        ("groups", keys(&account.groups, |g| g.arn(id))),
        (
            "managed_policies",
            keys(&account.managed_policies, |m| m.arn(id)),
        ),
        (
            "oidc_providers",
            keys(&account.oidc_providers, |o| o.arn(id)),
        ),
        (
            "saml_providers",
            keys(&account.saml_providers, |s| s.arn(id)),
        ),
        (
            "instance_profiles",
            keys(&account.instance_profiles, |i| i.arn(id)),
        ),
        (
            "virtual_mfa_devices",
            keys(&account.virtual_mfa_devices, |d| d.serial(id)),
        ),
    ];
    for (list, keys) in lists {
        date_of(list, keys, fields);
    }
    if let Some(root) = fields.get_mut("root").and_then(Value::as_mapping_mut) {
        date_of(
            "access_keys",
            keys(&account.root.access_keys, |k| k.id.clone()),
            root,
        );
    }
    let users = fields.get_mut("users").and_then(Value::as_sequence_mut);
    for (user, model) in users.into_iter().flatten().zip(&account.users) {
        if let Some(user) = user.as_mapping_mut() {
            date_of(
                "access_keys",
                keys(&model.access_keys, |k| k.id.clone()),
                user,
            );
            date_of(
                "mfa_devices",
                keys(&model.mfa_devices, |d| d.serial(id)),
                user,
            );
        }
    }
    Ok(value)
}

/// Loads `text` as a configuration and checks that it seeds exactly `data`.
fn check_round_trip(text: &str, data: &IamData) -> Result<(), ExportError> {
    let config = Config::from_str(text, "the exported configuration")
        .map_err(|e| ExportError::Inexpressible(e.to_string()))?;
    if !config.generate_keys_for.is_empty() {
        return Err(ExportError::Inexpressible(
            "a user would get a generated access key".to_owned(),
        ));
    }
    let back = config.to_iam_data();
    let mut data = data.clone();
    for account in &mut data.accounts {
        account.credential_report = None;
        account.workload_deletion_tasks.clear();
    }
    let data = &data;
    if back == *data {
        return Ok(());
    }
    let differs = data
        .accounts
        .iter()
        .zip(&back.accounts)
        .find(|(a, b)| a != b)
        .map_or_else(
            || "the list of accounts".to_owned(),
            |(a, b)| describe(a, b),
        );
    Err(ExportError::Inexpressible(format!(
        "loading it back changes {differs}"
    )))
}

/// Which part of `a` (stored) and `b` (loaded back) differ, without values (they may be
/// secrets).
fn describe(a: &Account, b: &Account) -> String {
    let fields = |acc: &Account| serde_json::to_value(acc).unwrap_or_default();
    let (fa, fb) = (fields(a), fields(b));
    let names = fa
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .filter(|k| fa.get(k.as_str()) != fb.get(k.as_str()))
        .cloned()
        .collect::<Vec<_>>();
    format!("account {}'s {}", a.id, names.join(", "))
}

/// Writes `text` to `path` with mode 0600: into a new file beside it, then renamed over `path`,
/// so that the file is never readable by others, not even while being written.
///
/// # Errors
/// [`ExportError::Io`].
pub fn write_private(path: &Path, text: &str) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(())
}

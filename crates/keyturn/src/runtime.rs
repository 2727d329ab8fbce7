//! The one wiring of defaults, shared by the server, the CLI and every binding: keyring file,
//! store, the configuration's IAM model (applied idempotently), plugins, and the core engine
//! with the default evaluator and signer, or the plugins that replace them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyturn_core::Error;
use keyturn_core::clock::{Clock, SystemClock};
use keyturn_core::engine::compat::{MOTO_DEFAULT_ACCOUNT, MotoCompat};
use keyturn_core::engine::{Engine, EngineParts};
use keyturn_core::evaluator::{DefaultEvaluator, PolicyEvaluator};
use keyturn_core::iam::{AccessKey, AccessKeyStatus, IamData, SecretString};
use keyturn_core::idp::IdentityProvider;
use keyturn_core::ids::{AccessKeyId, AccessKeyKind, AccountId, generate_secret_access_key};
use keyturn_core::keyring::Keyring;
use keyturn_core::signer::{CredentialSigner, KeyringSigner};
use keyturn_core::store::{IamStore, StoreError};
use keyturn_store::{MemoryStore, PostgresStore, SqliteStore};

use crate::config::{Compat, Config, StoreConfig};
use crate::plugin_backends::{PluginCredentialSigner, PluginPolicyEvaluator};
use crate::plugins::{PluginLoadError, load_plugins};

/// Why the runtime could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RuntimeError {
    /// The keyring file could not be read or created.
    #[error("keyring {path}: {source}")]
    Keyring {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: Error,
    },
    /// A data directory could not be created.
    #[error("cannot create {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The store could not be opened or written.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A plugin could not be loaded.
    #[error("plugins: {0}")]
    Plugins(#[from] PluginLoadError),
    /// The model could not be compiled (an invalid policy, named) or keys not generated.
    #[error("{0}")]
    Engine(Error),
}

/// An access key that the configuration omitted and the runtime generated (and stored, so it
/// stays the same across restarts with a persistent store).
#[derive(Clone, PartialEq, Eq)]
pub struct GeneratedKey {
    /// The account.
    pub account_id: String,
    /// The user's name.
    pub user_name: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: SecretString,
}

impl std::fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("account_id", &self.account_id)
            .field("user_name", &self.user_name)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .finish()
    }
}

/// Overrides for embedding and tests.
#[derive(Default)]
pub struct RuntimeOptions {
    /// The time source (default: the system clock).
    pub clock: Option<Arc<dyn Clock>>,
    /// A store to use instead of the configuration's.
    pub store: Option<Arc<dyn IamStore>>,
    /// A keyring to use instead of the configuration's file.
    pub keyring: Option<Keyring>,
    /// Extra identity providers (after the configuration's plugins).
    pub identity_providers: Vec<Arc<dyn IdentityProvider>>,
}

/// A running Keyturn: the engine and what was done to start it.
pub struct Runtime {
    engine: Arc<Engine>,
    /// The configuration it was started from.
    pub config: Config,
    /// Access keys generated for users whose configuration had none.
    pub generated_keys: Vec<GeneratedKey>,
    /// Things worth logging (plugins configured but not usable in this build, …).
    pub warnings: Vec<String>,
    /// The model the store was seeded with (generated keys included): what a moto-compatible
    /// endpoint's `/moto-api/reset` puts back.
    seed: IamData,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("engine", &self.engine)
            .field("generated_keys", &self.generated_keys)
            .finish_non_exhaustive()
    }
}

fn ensure_parent(path: &Path) -> Result<(), RuntimeError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| RuntimeError::Directory {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

impl Runtime {
    /// Starts from a configuration with the defaults: the configured keyring file and store, the
    /// system clock, the configured plugins.
    ///
    /// # Errors
    /// [`RuntimeError`] naming what failed.
    pub fn from_config(config: &Config) -> Result<Self, RuntimeError> {
        Self::with_options(config, RuntimeOptions::default())
    }

    /// Starts from a configuration with overrides.
    ///
    /// # Errors
    /// [`RuntimeError`] naming what failed.
    pub fn with_options(config: &Config, options: RuntimeOptions) -> Result<Self, RuntimeError> {
        let keyring = match options.keyring {
            Some(k) => k,
            None => {
                ensure_parent(&config.keyring)?;
                Keyring::load_or_create(&config.keyring).map_err(|source| {
                    RuntimeError::Keyring {
                        path: config.keyring.clone(),
                        source,
                    }
                })?
            }
        };
        let store: Arc<dyn IamStore> = match options.store {
            Some(s) => s,
            None => match &config.store {
                StoreConfig::Memory => Arc::new(MemoryStore::new()),
                StoreConfig::Sqlite(path) => {
                    ensure_parent(path)?;
                    Arc::new(SqliteStore::open(path)?)
                }
                StoreConfig::Postgres(options) => Arc::new(PostgresStore::open(options)?),
            },
        };
        let (generated_keys, mut warnings, data) = seed_store(store.as_ref(), config)?;
        let compat = match config.server.compat {
            None => None,
            Some(Compat::Moto) => {
                warnings.push(MOTO_WARNING.to_owned());
                let account: AccountId =
                    MOTO_DEFAULT_ACCOUNT.parse().map_err(RuntimeError::Engine)?;
                Some(MotoCompat::new(account))
            }
        };

        let plugins = load_plugins(&config.plugins, config.base_dir.as_deref())?;
        // A configured credential-signer or policy-evaluator plugin replaces the built-in one.
        let signer: Arc<dyn CredentialSigner> = match &plugins.signer {
            Some(plugin) => Arc::new(PluginCredentialSigner::new(
                Arc::clone(plugin),
                keyring.clone(),
            )),
            None => Arc::new(KeyringSigner::new(keyring.clone())),
        };
        let evaluator: Arc<dyn PolicyEvaluator> = match &plugins.evaluator {
            Some(plugin) => Arc::new(PluginPolicyEvaluator::new(Arc::clone(plugin))),
            None => Arc::new(DefaultEvaluator),
        };
        let mut identity_providers = plugins.identity_providers;
        identity_providers.extend(options.identity_providers);

        let engine = Engine::new(EngineParts {
            store,
            signer,
            evaluator,
            keyring: Arc::new(keyring),
            clock: options.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            region: config.server.region.clone(),
            regions: config.server.regions.clone(),
            identity_providers,
            compat,
        })
        .map_err(RuntimeError::Engine)?;
        engine.set_delegation_channels(config.delegation_channels.clone());
        let engine = Arc::new(engine);
        // A store with a change feed (PostgreSQL) reloads the snapshot when another node writes.
        engine.follow_store();
        Ok(Self {
            engine,
            config: config.clone(),
            generated_keys,
            warnings,
            seed: data,
        })
    }

    /// The engine (also an `Arc<dyn StsBackend>` for the server).
    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine)
    }

    /// The model the store was seeded with (generated keys included): what a moto-compatible
    /// endpoint's `/moto-api/reset` puts back.
    pub fn seed(&self) -> &IamData {
        &self.seed
    }
}

/// Printed at the start of a moto-compatible endpoint.
const MOTO_WARNING: &str = "compat: moto: requests signed with an access key id that this \
     endpoint does not hold act as the root user of account 123456789012 WITHOUT their signature \
     being checked (moto's bootstrap credentials); keys created through CreateAccessKey are \
     verified. For test suites only: never expose this endpoint.";

/// The configuration seeds an empty store; a store that holds a model (written through the IAM
/// API, or seeded before) keeps it. When another process seeds the same database first (two
/// servers starting at once), its model is the one kept. Returns the generated keys that are in
/// the store, the warnings, and the model the configuration seeds (what a moto-compatible
/// endpoint's reset puts back).
fn seed_store(
    store: &dyn IamStore,
    config: &Config,
) -> Result<(Vec<GeneratedKey>, Vec<String>, IamData), RuntimeError> {
    loop {
        let loaded = store.load()?;
        let (data, mut generated_keys) = with_generated_keys(
            config.to_iam_data(),
            &loaded.data,
            &config.generate_keys_for,
        )
        .map_err(RuntimeError::Engine)?;
        if loaded.data.accounts.is_empty() {
            match store.replace(Some(loaded.generation), &data) {
                Ok(_) => return Ok((generated_keys, Vec::new(), data)),
                // Another process seeded (or wrote) in between: start over from its model.
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        // Only keys the stored model has work (a user deleted through the API has none).
        generated_keys.retain(|g| loaded.data.find_access_key(&g.access_key_id).is_some());
        let mut warnings = Vec::new();
        if loaded.data != data {
            warnings.push(
                "the store already holds an IAM model, which differs from the configuration's: \
                 the configuration seeds only an empty store (`keyturn export` writes the stored \
                 model out as a configuration)"
                    .to_owned(),
            );
        }
        return Ok((generated_keys, warnings, data));
    }
}

/// Fills in access keys for the users of `wanted` (whose configuration omits `access_keys`): the
/// ones already stored for that user (from a previous start), else fresh ones.
fn with_generated_keys(
    mut data: IamData,
    stored: &IamData,
    wanted: &BTreeSet<(String, String)>,
) -> Result<(IamData, Vec<GeneratedKey>), Error> {
    let mut generated = Vec::new();
    for account in &mut data.accounts {
        let account_id: AccountId = account.id.parse()?;
        for user in &mut account.users {
            if !user.access_keys.is_empty()
                || !wanted.contains(&(account.id.clone(), user.name.clone()))
            {
                continue;
            }
            let previous = stored
                .account(&account.id)
                .and_then(|a| a.users.iter().find(|u| u.name == user.name))
                .map(|u| u.access_keys.clone())
                .unwrap_or_default();
            let keys = if previous.is_empty() {
                let secret = generate_secret_access_key()?;
                vec![AccessKey {
                    id: AccessKeyId::generate(AccessKeyKind::LongTerm, account_id)?
                        .as_str()
                        .to_owned(),
                    secret: SecretString::new(secret.expose()),
                    status: AccessKeyStatus::Active,
                }]
            } else {
                previous
            };
            for k in &keys {
                generated.push(GeneratedKey {
                    account_id: account.id.clone(),
                    user_name: user.name.clone(),
                    access_key_id: k.id.clone(),
                    secret_access_key: k.secret.clone(),
                });
            }
            user.access_keys = keys;
        }
    }
    Ok((data, generated))
}

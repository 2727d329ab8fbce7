//! The configuration file: server settings, keyring, store, plugins and the IAM model.
//!
//! YAML (JSON is accepted too, YAML being a superset). The schema is documented in
//! `docs/configuration.md`. Loading parses with unknown fields refused, then validates every
//! value; an error names the file, the line and the field path
//! (`cross-account.yaml:42: accounts[1].users[0].access_keys[0].id: …`).
//!
//! Relative paths (keyring, SQLite file, audit log, plugins, JWKS and SAML metadata files) are
//! resolved against the configuration file's directory; for text without a file
//! ([`Config::from_str`]), against the working directory.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use keyturn_core::engine::compat::MOTO_DEFAULT_ACCOUNT;
use keyturn_core::iam::IamData;

mod locate;
mod raw;
mod validate;

/// Where the server listens when the configuration does not say.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";
/// The region reported when the configuration does not say.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The keyring file when the configuration does not say.
pub const DEFAULT_KEYRING: &str = "./keyturn-data/keyring.json";
/// Where the console listens when `console:` gives no `listen` (docs/console.md).
pub const DEFAULT_CONSOLE_LISTEN: &str = "127.0.0.1:8788";
/// The SQLite database when the configuration does not say.
pub const DEFAULT_SQLITE: &str = "./keyturn-data/keyturn.db";

/// A configuration that could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{origin}: cannot read the configuration: {source}")]
    Io {
        /// The file.
        origin: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not valid YAML, or does not fit the schema (unknown field, wrong type).
    #[error("{origin}{}: {message}", fmt_line(*line))]
    Syntax {
        /// The file (or the name given to the text).
        origin: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// The parser's message (it names the field path when it can).
        message: String,
    },
    /// A value breaks a rule of the schema.
    #[error("{origin}{}: {path}: {message}", fmt_line(*line))]
    Invalid {
        /// The file (or the name given to the text).
        origin: String,
        /// 1-based line of the offending field, as best found.
        line: Option<usize>,
        /// The field path, such as `accounts[1].users[0].access_keys[0].id`.
        path: String,
        /// What is wrong.
        message: String,
    },
}

fn fmt_line(line: Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

impl ConfigError {
    /// The 1-based line of the error, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::Io { .. } => None,
            Self::Syntax { line, .. } | Self::Invalid { line, .. } => *line,
        }
    }

    /// The field path of a validation error (`None` for I/O and syntax errors).
    pub fn field_path(&self) -> Option<&str> {
        match self {
            Self::Invalid { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// The `server` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Address and port to listen on (`127.0.0.1:8787` by default).
    pub listen: SocketAddr,
    /// The region the endpoint answers as (`us-east-1` by default): the region it reports and
    /// the default of `aws:RequestedRegion`.
    pub region: String,
    /// The regions whose credential scopes the endpoint accepts: `None` (the default) for every
    /// region of the `aws` partition and `region`; otherwise exactly these (`region` among them).
    pub regions: Option<Vec<String>>,
    /// Where the audit log goes; `None` turns it off (the default).
    pub audit_log: Option<AuditLog>,
    /// `server.audit_log.on_failure: refuse`: a request whose event cannot be written is
    /// answered `ServiceUnavailable` (`false`, `continue`, the default: served anyway).
    pub audit_fail_closed: bool,
    /// Request quotas per account and action (`server.quotas`); `None`: unlimited (the
    /// default).
    pub quotas: Option<QuotaConfig>,
    /// Threads serving requests (1 to [`MAX_WORKERS`]); `None`: one per CPU core.
    pub workers: Option<usize>,
    /// A compatibility mode for test suites written for another tool (`None`: a normal
    /// endpoint, the default).
    pub compat: Option<Compat>,
    /// The URL clients reach the server at (`server.public_url`, `http://` or `https://`, no
    /// query): the OIDC issuers of outbound web identity federation live under it. `None`:
    /// `http://` and the bound address.
    pub public_url: Option<String>,
    /// `server.connections`: limits on connections and on the time a request may take.
    pub connections: Connections,
    /// `server.tls`: HTTPS on `listen` (`None`, the default: plain HTTP).
    pub tls: Option<TlsConfig>,
    /// `server.metrics.listen`: the metrics listener's address (`None`, the default: no
    /// metrics).
    pub metrics_listen: Option<SocketAddr>,
}

/// `server.tls`: the PEM files of the listener's certificate chain and private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsConfig {
    /// The certificate chain, the server's certificate first.
    pub cert: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// `http_listen`: a plain HTTP listener beside the TLS one, on a loopback address.
    pub http_listen: Option<SocketAddr>,
}

/// `log`: the process's own log, on standard error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogConfig {
    /// `format`: `text` (the default) or `json` (one JSON object a line).
    pub format: LogFormat,
    /// `level`: `error`, `warn`, `info`, `debug` or `trace` (`None`: `RUST_LOG`, else `info`).
    pub level: Option<String>,
    /// `requests`: one event per request (request id, action, caller, status, error code,
    /// latency); off by default.
    pub requests: bool,
}

/// `log.format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object a line.
    Json,
}

/// `server.connections`: each limit the configuration sets (`None`: the server's default,
/// docs/configuration.md).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connections {
    /// `max`: the most connections served at once.
    pub max: Option<usize>,
    /// `header_timeout`: the time to send a request head (keep-alive idle time included).
    pub header_timeout: Option<std::time::Duration>,
    /// `body_timeout`: the time a body may take once its head is in.
    pub body_timeout: Option<std::time::Duration>,
    /// `min_body_rate`: the least average rate of a body still arriving, bytes per second
    /// (0: none).
    pub min_body_rate: Option<u64>,
    /// `body_memory`: the bytes that bodies still arriving may hold together.
    pub body_memory: Option<usize>,
    /// `shutdown_timeout`: the time a shutdown lets requests in flight finish.
    pub shutdown_timeout: Option<std::time::Duration>,
    /// `send_timeout`: the time a response may wait for a client that does not read it.
    pub send_timeout: Option<std::time::Duration>,
}

/// `server.quotas`: token-bucket rates per account and action; the most specific applies
/// (account and action, account, action, default), none: unlimited. See docs/limits.md.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotaConfig {
    /// Every account and action without a more specific rate.
    pub default: Option<QuotaRate>,
    /// By action name (an action Keyturn serves).
    pub actions: BTreeMap<String, QuotaRate>,
    /// By account id: the account's own default and per-action rates.
    pub accounts: BTreeMap<String, AccountQuotaConfig>,
}

/// One account's entry of `server.quotas.accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountQuotaConfig {
    /// Every action of the account without a rate of its own here.
    pub default: Option<QuotaRate>,
    /// By action name.
    pub actions: BTreeMap<String, QuotaRate>,
}

/// `{rate, burst}`: `rate` requests a second on average, up to `burst` at once (default:
/// `rate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaRate {
    /// Requests a second (1 to [`QuotaRate::MAX`]).
    pub rate: u32,
    /// Requests at once (`rate` to [`QuotaRate::MAX`]).
    pub burst: u32,
}

impl QuotaRate {
    /// The largest `rate` or `burst`.
    pub const MAX: u32 = 1_000_000;
}

/// `server.compat`: behaviour that test suites written for another tool expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compat {
    /// moto's server mode (`compat: moto`, `keyturn serve --compat moto`): the account
    /// `123456789012` exists (empty unless configured); requests signed with a long-term key id
    /// that the model does not hold act as its root *unverified* (moto's `testing` keys) until
    /// `/moto-api/reset-auth` closes moto's no-auth window; `POST /moto-api/reset` puts the model back to the
    /// configuration's. Keys the model holds are verified as always. See `docs/moto.md`.
    Moto,
}

impl Compat {
    /// The mode named `name` (`moto`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "moto" => Some(Self::Moto),
            _ => None,
        }
    }
}

/// The most worker threads `server.workers` accepts.
pub const MAX_WORKERS: usize = 256;

/// The audit log's destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditLog {
    /// One JSON line per request on standard output.
    Stdout,
    /// Appended to a file.
    File(PathBuf),
}

/// The `store` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// A SQLite database at this path (the default: `./keyturn-data/keyturn.db`).
    Sqlite(PathBuf),
    /// In memory; nothing survives a restart (MFA replay records included).
    Memory,
    /// A PostgreSQL database shared by several nodes (`postgres: URL`, or the
    /// `KEYTURN_DATABASE_URL` environment variable, which overrides the file).
    Postgres(keyturn_store::PostgresOptions),
}

/// One entry of `plugins`: a shared library and its own configuration, carried as is.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginConfig {
    /// The library's path.
    pub path: PathBuf,
    /// The plugin's configuration (any JSON value; `null` when absent).
    pub config: serde_json::Value,
    /// How long one call of an identity-provider plugin may take (`call_timeout_ms`, default
    /// [`PluginConfig::DEFAULT_CALL_TIMEOUT`]): past it the request is answered without the
    /// plugin (`IDPCommunicationError` for web identity, `ServiceUnavailable` for SAML).
    pub call_timeout: std::time::Duration,
}

impl PluginConfig {
    /// `call_timeout_ms` when absent: 10 seconds.
    pub const DEFAULT_CALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
    /// The largest `call_timeout_ms`: 10 minutes.
    pub const MAX_CALL_TIMEOUT_MS: u64 = 600_000;

    /// The library at `path` with its `config` and the default call timeout.
    pub fn new(path: PathBuf, config: serde_json::Value) -> Self {
        Self {
            path,
            config,
            call_timeout: Self::DEFAULT_CALL_TIMEOUT,
        }
    }
}

/// A loaded and validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where it came from (a file path or the name given to the text), for messages.
    pub origin: String,
    /// The directory relative paths were resolved against (`None`: the working directory).
    pub base_dir: Option<PathBuf>,
    /// The `server` section.
    pub server: ServerConfig,
    /// The keyring file.
    pub keyring: PathBuf,
    /// The store.
    pub store: StoreConfig,
    /// Plugins, in order.
    pub plugins: Vec<PluginConfig>,
    /// The IAM model (accounts and everything in them).
    pub iam: IamData,
    /// The users, as `(account id, user name)`, whose entry omits `access_keys`: the runtime
    /// generates a key for each (or keeps the one it generated on an earlier start). A user
    /// with `access_keys: []` has none.
    pub generate_keys_for: BTreeSet<(String, String)>,
    /// `delegation.notification_channels`: SNS topic ARN → the file SendDelegationToken appends
    /// each trade-in token message to (docs/delegation.md).
    pub delegation_channels: std::collections::BTreeMap<String, PathBuf>,
    /// `console`: the web console, off (`None`) unless configured (docs/console.md).
    pub console: Option<ConsoleConfig>,
    /// The `log` section.
    pub log: LogConfig,
}

/// The `console` section: where the web console listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleConfig {
    /// Address and port ([`DEFAULT_CONSOLE_LISTEN`], loopback, by default).
    pub listen: SocketAddr,
}

impl ConsoleConfig {
    /// The console on its default address.
    pub fn loopback() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8788)),
        }
    }
}

impl Config {
    /// Reads and validates the file at `path`; relative paths in it are resolved against its
    /// directory.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            origin: origin.clone(),
            source,
        })?;
        let base = path.parent().map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        });
        let base = base.map(|b| std::fs::canonicalize(b).unwrap_or_else(|_| b.to_path_buf()));
        Self::load(&text, &origin, base)
    }

    /// Validates configuration text; `origin_name` names it in error messages. Relative paths
    /// stay relative (to the working directory).
    pub fn from_str(text: &str, origin_name: &str) -> Result<Self, ConfigError> {
        Self::load(text, origin_name, None)
    }

    /// Validates a configuration given as a JSON value (the bindings' dicts and objects).
    /// Line numbers in errors refer to the value printed as indented JSON.
    pub fn from_json_value(
        value: &serde_json::Value,
        origin_name: &str,
    ) -> Result<Self, ConfigError> {
        let text = serde_json::to_string_pretty(value).map_err(|e| ConfigError::Syntax {
            origin: origin_name.to_owned(),
            line: None,
            message: e.to_string(),
        })?;
        Self::load(&text, origin_name, None)
    }

    /// The IAM model, to apply to a store. Omitted access keys stay empty: the wiring generates
    /// and prints them.
    ///
    /// With `compat: moto`, moto's default account `123456789012` is in it (empty unless the
    /// configuration defines it).
    pub fn to_iam_data(&self) -> IamData {
        let mut data = self.iam.clone();
        if self.server.compat == Some(Compat::Moto) && data.account(MOTO_DEFAULT_ACCOUNT).is_none()
        {
            data.accounts.push(keyturn_core::iam::Account {
                id: MOTO_DEFAULT_ACCOUNT.to_owned(),
                ..Default::default()
            });
        }
        data
    }

    fn load(text: &str, origin: &str, base_dir: Option<PathBuf>) -> Result<Self, ConfigError> {
        let raw: raw::RawConfig = if text.trim().is_empty() {
            raw::RawConfig::default()
        } else {
            serde_yaml_ng::from_str(text).map_err(|e| ConfigError::Syntax {
                origin: origin.to_owned(),
                line: e.location().map(|l| l.line()),
                message: e.to_string(),
            })?
        };
        validate::build(raw, text, origin, base_dir)
    }
}

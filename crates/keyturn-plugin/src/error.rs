//! Errors: `LoadError` (a library could not be loaded or instantiated), `PluginError` (a call into a loaded plugin
//! failed) and, on the plugin side, `PluginFailure` (what a Rust plugin returns to refuse or fail a call).

use std::path::PathBuf;

use crate::abi::KtPluginKind;

/// Why a plugin library could not be loaded or instantiated. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The dynamic loader refused the file.
    #[error("plugin {path}: cannot load library: {source}")]
    Open {
        /// The library.
        path: PathBuf,
        /// The loader's error.
        source: libloading::Error,
    },
    /// A required symbol is not exported.
    #[error("plugin {path}: missing symbol `{symbol}`: not a keyturn plugin")]
    MissingSymbol {
        /// The library.
        path: PathBuf,
        /// The symbol's name.
        symbol: &'static str,
    },
    /// The probe returned the wrong magic number.
    #[error("plugin {path}: bad magic: expected {expected:#010x}, found {found:#010x}")]
    BadMagic {
        /// The library.
        path: PathBuf,
        /// `KT_PLUGIN_MAGIC`.
        expected: u32,
        /// What the probe returned.
        found: u32,
    },
    /// The plugin was built for another ABI major version.
    #[error("plugin {path}: ABI major version mismatch: expected {expected}, found {found}")]
    MajorMismatch {
        /// The library.
        path: PathBuf,
        /// The host's major version.
        expected: u16,
        /// The plugin's major version.
        found: u16,
    },
    /// The plugin was built against a newer minor version than the host's, and may rely on what the host lacks.
    #[error(
        "plugin {path}: ABI version {major}.{found} is newer than this host's {major}.{expected}: upgrade keyturn"
    )]
    NewerMinor {
        /// The library.
        path: PathBuf,
        /// The (shared) major version.
        major: u16,
        /// The host's minor version (the highest it accepts).
        expected: u16,
        /// The plugin's minor version.
        found: u16,
    },
    /// `keyturn_plugin_init` returned NULL.
    #[error("plugin {path}: keyturn_plugin_init returned NULL")]
    NullDescriptor {
        /// The library.
        path: PathBuf,
    },
    /// A descriptor or function table is smaller than the layout the host knows for this major version.
    #[error(
        "plugin {path}: {structure} too small: expected at least {expected} bytes, found {found}"
    )]
    StructTooSmall {
        /// The library.
        path: PathBuf,
        /// Which structure: `KtPluginDescriptor` or a vtable's name.
        structure: &'static str,
        /// The size the host knows.
        expected: usize,
        /// The plugin's `struct_size`.
        found: usize,
    },
    /// The plugin is of another kind than the configuration asked for.
    #[error("plugin {path}: wrong kind: expected {expected}, found {found}")]
    WrongKind {
        /// The library.
        path: PathBuf,
        /// The kind asked for.
        expected: KindName,
        /// The plugin's kind (possibly a value this host does not know).
        found: KindName,
    },
    /// The plugin reports a kind this host does not know (only from `PluginLibrary::load_any`).
    #[error(
        "plugin {path}: unknown kind {found}: this host knows identity provider (1), credential signer (2) and policy evaluator (3)"
    )]
    UnknownKind {
        /// The library.
        path: PathBuf,
        /// The plugin's kind value.
        found: u32,
    },
    /// The descriptor is malformed: a NULL function, a NULL vtable, a name that is not UTF-8.
    #[error("plugin {path}: invalid descriptor: {reason}")]
    InvalidDescriptor {
        /// The library.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// `create` failed.
    #[error("plugin {path}: create failed: {source}")]
    Create {
        /// The library.
        path: PathBuf,
        /// The plugin's error.
        source: PluginError,
    },
}

/// A plugin kind as it appears in errors: a known kind or the raw value a plugin reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindName {
    /// A kind this host knows.
    Known(KtPluginKind),
    /// A value this host does not know.
    Unknown(u32),
}

impl std::fmt::Display for KindName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Known(KtPluginKind::IdentityProvider) => f.write_str("identity provider (1)"),
            Self::Known(KtPluginKind::CredentialSigner) => f.write_str("credential signer (2)"),
            Self::Known(KtPluginKind::PolicyEvaluator) => f.write_str("policy evaluator (3)"),
            Self::Unknown(raw) => write!(f, "unknown kind ({raw})"),
        }
    }
}

/// Why a call into a loaded plugin failed. The host keeps running in every case.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    /// The plugin refused with an AWS error (`KT_STATUS_REJECTED`); `code` and `message` go on the wire as they are.
    #[error("{code}: {message}")]
    Rejected {
        /// AWS error code.
        code: String,
        /// AWS error message.
        message: String,
    },
    /// The plugin reported that its input was invalid (`KT_STATUS_INVALID_INPUT`).
    #[error("plugin rejected its input: {message}")]
    InvalidInput {
        /// The plugin's message (may be empty).
        message: String,
    },
    /// The plugin failed (`KT_STATUS_INTERNAL`).
    #[error("plugin internal error: {message}")]
    Internal {
        /// The plugin's message (may be empty).
        message: String,
    },
    /// The plugin panicked and caught it at its boundary (`KT_STATUS_PANIC`).
    #[error("plugin panicked: {message}")]
    Panicked {
        /// The panic message, if the plugin gave one.
        message: String,
    },
    /// The plugin returned a status this host does not know.
    #[error("plugin returned unknown status {status}")]
    UnknownStatus {
        /// The raw status.
        status: u32,
    },
    /// The plugin's output is not what the ABI requires (not UTF-8, not JSON of the expected shape, a NULL buffer
    /// with a length).
    #[error("plugin returned malformed output: {reason}")]
    MalformedOutput {
        /// What is wrong.
        reason: String,
    },
    /// The call did not return within its deadline (it may still be running, in a thread of its
    /// own); the host answered without it.
    #[error("plugin did not answer within {after_ms} ms")]
    TimedOut {
        /// The deadline, in milliseconds.
        after_ms: u64,
    },
    /// The host could not encode the request (a value JSON cannot represent).
    #[error("cannot encode the request for the plugin: {reason}")]
    RequestEncoding {
        /// What is wrong.
        reason: String,
    },
}

/// What a Rust plugin returns to refuse or fail a call; the export shims turn it into a status and a buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PluginFailure {
    /// An AWS error for the caller (`KT_STATUS_REJECTED`).
    Rejected {
        /// AWS error code.
        code: String,
        /// AWS error message.
        message: String,
    },
    /// The input did not make sense (`KT_STATUS_INVALID_INPUT`).
    InvalidInput(String),
    /// Anything else (`KT_STATUS_INTERNAL`).
    Internal(String),
}

impl PluginFailure {
    /// A rejection with an AWS error code and message.
    pub fn rejected(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Rejected {
            code: code.into(),
            message: message.into(),
        }
    }
}

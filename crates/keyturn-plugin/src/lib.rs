#![doc = include_str!("../README.md")]

pub mod abi;
pub mod error;
pub mod export;
pub mod host;
pub mod wire;

pub use abi::{KT_ABI_MAJOR, KT_ABI_MINOR, KT_PLUGIN_MAGIC, KtPluginKind, KtStatus};
pub use error::{KindName, LoadError, PluginError, PluginFailure};
pub use export::{CredentialSigner, IdentityProvider, Plugin, PolicyEvaluator};
pub use host::{
    CredentialSignerPlugin, IdentityProviderPlugin, LoadedPlugin, MAX_OVERDUE_CALLS, PluginLibrary,
    PolicyEvaluatorPlugin,
};
pub use wire::{
    Decision, EvaluationDecision, EvaluationRequest, MintedToken, OpenedToken, ProviderInfo,
    RejectionBody, RolePair, SecretString, SessionClaims, SessionTag, VerifyRequest, VerifyResult,
};

#![doc = include_str!("../README.md")]

pub mod chunked;
pub mod config;
pub mod embedded;
pub mod export;
pub mod plugin_backends;
pub mod plugins;
pub mod runtime;
#[cfg(feature = "server")]
pub mod server;

pub use config::{Config, ConfigError};
pub use keyturn_core::engine::{Authorization, Caller, CallerKind, Engine, EngineParts};
pub use runtime::{GeneratedKey, Runtime, RuntimeError, RuntimeOptions};

// The public surface the CLI and the bindings build on: they depend on this crate alone.

/// The API shapes generated from AWS's models: `api::sts::AssumeRoleRequest`,
/// `api::iam::SimulatePrincipalPolicyRequest`, [`api::SecretString`], [`api::Input`].
pub use keyturn_api as api;
/// Trust analysis: who may assume which role ([`analysis::trust_graph`],
/// [`Engine::trust_graph`]) and IAM Access Analyzer-style findings ([`analysis::findings`]).
pub use keyturn_core::analysis;
/// Clocks and the ISO 8601 text of times.
pub use keyturn_core::clock;
/// The statements that decided an authorization.
pub use keyturn_core::evaluator::MatchedStatement;
/// The IAM model as plain data (what a configuration and a store hold): `keyturn analyze`,
/// `keyturn mfa code`, `keyturn policy simulate` and the console read it.
pub use keyturn_core::iam;
/// The keyring (a fresh one in memory: [`Keyring::generate`]).
pub use keyturn_core::keyring::Keyring;
/// TOTP codes of virtual MFA devices.
pub use keyturn_core::mfa;
/// The operations: `ops::sts::AssumeRole`, [`ops::invoke`], [`ops::REGISTRY`], [`ops::Backend`].
pub use keyturn_core::ops;
/// What a request brings to the engine ([`request::HttpParts`] for [`ops::invoke`]).
pub use keyturn_core::request;
/// Sealed session tokens: [`token::open`] with the keyring (`keyturn token inspect`).
pub use keyturn_core::token;
pub use keyturn_core::{Clock, Error, ErrorCode, FixedClock, SystemClock};
/// The IAM policy language on its own (`keyturn policy check` / `eval`): parse, validate,
/// evaluate a JSON request.
pub use keyturn_policy as policy;
/// The outcome of an authorization.
pub use keyturn_policy::Outcome;

#![doc = include_str!("../README.md")]

pub mod config;
pub mod embedded;
pub mod plugin_backends;
pub mod plugins;
pub mod runtime;

pub use config::{Config, ConfigError};
pub use keyturn_core::engine::{Authorization, Caller, Engine, EngineParts};
pub use runtime::{GeneratedKey, Runtime, RuntimeError, RuntimeOptions};

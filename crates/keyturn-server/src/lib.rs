#![doc = include_str!("../README.md")]

pub mod audit;
mod error;
pub mod query;
mod server;
pub mod xml;

pub use audit::{AuditLog, AuditSink};
pub use error::WireError;
pub use server::{RunningServer, Server, ServerError, ServerOptions, serve_forever};

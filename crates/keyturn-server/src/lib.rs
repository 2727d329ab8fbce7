#![doc = include_str!("../README.md")]

pub mod audit;
mod error;
pub mod moto;
mod query;
mod server;
mod xml;

pub use audit::{AuditLog, AuditSink};
pub use error::{HttpRefusal, WireError};
pub use moto::MotoApi;
pub use server::{RunningServer, Server, ServerError, ServerOptions, serve_forever};

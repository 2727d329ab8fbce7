#![doc = include_str!("../README.md")]

pub mod audit;
mod error;
pub mod health;
pub mod metrics;
pub mod moto;
mod query;
pub mod quota;
mod server;
pub mod tls;
mod xml;

pub use audit::live::{LiveEvent, LiveFeed};
pub use audit::{AuditLog, AuditSink, OnAuditFailure};
pub use error::{HttpRefusal, WireError};
pub use health::{NodeStatus, Status};
pub use metrics::Metrics;
pub use moto::MotoApi;
pub use quota::{AccountQuota, QuotaRules, Quotas, Rate};
pub use server::{RunningServer, Server, ServerError, ServerOptions, serve_forever};
pub use tls::{Tls, TlsError};

//! Serving a [`Runtime`]'s engine over HTTP (feature `server`): the one place where the server's
//! options are built from a configuration, for the CLI and the Python and Node bindings alike.

use std::net::SocketAddr;
use std::sync::Arc;

pub use keyturn_server::{AuditSink, RunningServer, Server, ServerError, ServerOptions};

use crate::config::{AuditLog, Config};
use crate::ops::Backend;
use crate::runtime::Runtime;

/// The server options a configuration asks for: its region, audit log and worker threads; the
/// limits are the server's defaults.
pub fn options(config: &Config) -> ServerOptions {
    ServerOptions {
        region: config.server.region.clone(),
        audit: audit_sink(config.server.audit_log.as_ref()),
        workers: config.server.workers,
        ..ServerOptions::default()
    }
}

/// The server's audit sink for the configuration's `audit_log` (`None`: off).
pub fn audit_sink(audit_log: Option<&AuditLog>) -> AuditSink {
    match audit_log {
        None => AuditSink::Off,
        Some(AuditLog::Stdout) => AuditSink::Stdout,
        Some(AuditLog::File(p)) => AuditSink::File(p.clone()),
    }
}

/// The engine of `runtime` as the server's backend.
pub fn backend(runtime: &Runtime) -> Arc<dyn Backend> {
    runtime.engine()
}

/// Binds `addr` (port 0 picks a free port) and serves `runtime`'s engine on the current tokio
/// runtime, with [`options`] of its configuration.
///
/// # Errors
/// [`ServerError::Bind`] or [`ServerError::Audit`].
pub async fn start(runtime: &Runtime, addr: SocketAddr) -> Result<RunningServer, ServerError> {
    start_with(runtime, addr, options(&runtime.config)).await
}

/// As [`start`], with options adjusted by the caller (an audit log given to a binding).
///
/// # Errors
/// [`ServerError::Bind`] or [`ServerError::Audit`].
pub async fn start_with(
    runtime: &Runtime,
    addr: SocketAddr,
    options: ServerOptions,
) -> Result<RunningServer, ServerError> {
    Server::bind(addr, backend(runtime), options).await
}

/// Serves `runtime`'s engine with [`options`] of its configuration until Ctrl-C or SIGTERM, on a
/// runtime of its own (the CLI). `on_ready` is called with the bound address.
///
/// # Errors
/// [`ServerError`] if the runtime, the listener or the audit log cannot start.
pub fn serve_forever(
    runtime: &Runtime,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    keyturn_server::serve_forever(addr, backend(runtime), options(&runtime.config), on_ready)
}

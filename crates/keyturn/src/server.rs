//! Serving a [`Runtime`]'s engine over HTTP (feature `server`): the one place where the server's
//! options are built from a configuration, for the CLI and the Python and Node bindings alike.

use std::net::SocketAddr;
use std::sync::Arc;

use keyturn_server::{AccountQuota, QuotaRules, Quotas, Rate};
pub use keyturn_server::{
    AuditSink, MotoApi, NodeStatus, OnAuditFailure, RunningServer, Server, ServerError,
    ServerOptions, Tls,
};

use keyturn_core::iam::IamData;

use crate::Engine;
use crate::config::{AuditLog, Connections, QuotaConfig, QuotaRate};
use crate::ops::Backend;
use crate::runtime::Runtime;

/// The server options `runtime`'s configuration asks for: its region, audit log (and what a
/// request gets when its event cannot be written), quotas, worker threads, public URL,
/// connection limits, metrics listener, request log and the engine's status for `/readyz`, and
/// with `compat: moto` moto's control endpoints; the limits it does not set are the server's
/// defaults. TLS, which reads files, is added by [`with_tls`] ([`start`] and [`serve_forever`]
/// do).
pub fn options(runtime: &Runtime) -> ServerOptions {
    let config = &runtime.config;
    let options = ServerOptions {
        region: config.server.region.clone(),
        audit: audit_sink(config.server.audit_log.as_ref()),
        audit_on_failure: if config.server.audit_fail_closed {
            OnAuditFailure::Refuse
        } else {
            OnAuditFailure::Continue
        },
        quotas: config.server.quotas.as_ref().map(|q| Arc::new(quotas(q))),
        workers: config.server.workers,
        moto_api: moto_api(runtime),
        public_url: config.server.public_url.clone(),
        metrics_listen: config.server.metrics_listen,
        status: Some(Arc::new(EngineStatus(runtime.engine()))),
        log_requests: config.log.requests,
        ..ServerOptions::default()
    };
    with_connections(options, &config.server.connections)
}

/// `options` with the limits that `server.connections` sets.
fn with_connections(options: ServerOptions, limits: &Connections) -> ServerOptions {
    let d = options;
    ServerOptions {
        max_connections: limits.max.unwrap_or(d.max_connections),
        header_read_timeout: limits.header_timeout.unwrap_or(d.header_read_timeout),
        body_timeout: limits.body_timeout.unwrap_or(d.body_timeout),
        min_body_rate: limits.min_body_rate.unwrap_or(d.min_body_rate),
        body_memory_bytes: limits.body_memory.unwrap_or(d.body_memory_bytes),
        shutdown_timeout: limits.shutdown_timeout.unwrap_or(d.shutdown_timeout),
        send_timeout: limits.send_timeout.unwrap_or(d.send_timeout),
        ..d
    }
}

/// `options` with the TLS `runtime`'s configuration asks for (`server.tls`): its certificate
/// and key read now, and the plain loopback listener beside it.
///
/// # Errors
/// [`ServerError::Tls`] when a file cannot be read or the pair cannot serve TLS.
pub fn with_tls(options: ServerOptions, runtime: &Runtime) -> Result<ServerOptions, ServerError> {
    let Some(tls) = &runtime.config.server.tls else {
        return Ok(options);
    };
    Ok(ServerOptions {
        tls: Some(Tls::from_pem_files(&tls.cert, &tls.key)?),
        http_listen: tls.http_listen,
        ..options
    })
}

/// The engine's store and snapshot generations, for `/readyz` and the metrics.
#[derive(Debug)]
struct EngineStatus(Arc<Engine>);

impl NodeStatus for EngineStatus {
    fn store_generation(&self) -> Result<u64, String> {
        self.0.store().generation().map_err(|e| e.to_string())
    }

    fn snapshot_generation(&self) -> u64 {
        self.0.snapshot().map_or(0, |s| s.generation)
    }
}

/// moto's control endpoints over `runtime`, when its engine is moto-compatible.
fn moto_api(runtime: &Runtime) -> Option<Arc<dyn MotoApi>> {
    let engine = runtime.engine();
    engine.moto_compat()?;
    Some(Arc::new(MotoControl {
        engine,
        seed: runtime.seed().clone(),
    }))
}

/// `/moto-api/reset` and `/moto-api/reset-auth` on a moto-compatible engine.
#[derive(Debug)]
struct MotoControl {
    engine: Arc<Engine>,
    seed: IamData,
}

impl MotoApi for MotoControl {
    fn reset(&self) -> Result<(), String> {
        self.engine
            .replace_model(&self.seed)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn reset_auth(&self, limit: f64) -> f64 {
        self.engine
            .moto_compat()
            .map_or(f64::INFINITY, |c| c.reset_auth(limit))
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

/// The server's live quotas for the configuration's `server.quotas`.
pub fn quotas(config: &QuotaConfig) -> Quotas {
    let rate = |r: &QuotaRate| Rate {
        per_second: f64::from(r.rate),
        burst: f64::from(r.burst),
    };
    let by_action = |actions: &std::collections::BTreeMap<String, QuotaRate>| {
        actions.iter().map(|(a, r)| (a.clone(), rate(r))).collect()
    };
    Quotas::new(QuotaRules {
        default: config.default.as_ref().map(rate),
        actions: by_action(&config.actions),
        accounts: config
            .accounts
            .iter()
            .filter_map(|(id, a)| {
                let quota = AccountQuota {
                    default: a.default.as_ref().map(rate),
                    actions: by_action(&a.actions),
                };
                id.parse().ok().map(|id| (id, quota))
            })
            .collect(),
    })
}

/// The engine of `runtime` as the server's backend.
pub fn backend(runtime: &Runtime) -> Arc<dyn Backend> {
    runtime.engine()
}

/// Binds `addr` (port 0 picks a free port) and serves `runtime`'s engine on the current tokio
/// runtime, with [`options`] of its configuration.
///
/// # Errors
/// [`ServerError::Bind`], [`ServerError::Audit`] or [`ServerError::Tls`].
pub async fn start(runtime: &Runtime, addr: SocketAddr) -> Result<RunningServer, ServerError> {
    start_with(runtime, addr, with_tls(options(runtime), runtime)?).await
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
    let options = with_tls(options(runtime), runtime)?;
    keyturn_server::serve_forever(addr, backend(runtime), options, on_ready)
}

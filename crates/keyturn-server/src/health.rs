//! `GET /healthz` (the process serves) and `GET /readyz` (the store answers; the snapshot's
//! generation), on the main listener and on the metrics listener; and the metrics listener
//! itself (`GET /metrics`, docs/configuration.md `server.metrics`).
//!
//! The two paths are matched exactly and only for `GET`: any other path or method is an
//! ordinary request (a Query API call, signed unless its action is one of the unsigned
//! federation actions), so they open nothing else without a signature. Their bodies are small
//! JSON objects that name no secret and no store address.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::metrics::Metrics;

/// The liveness path.
pub const HEALTHZ: &str = "/healthz";
/// The readiness path.
pub const READYZ: &str = "/readyz";
/// The metrics path (metrics listener only).
pub const METRICS: &str = "/metrics";

/// How long a readiness probe waits for the store before it calls the node not ready.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// What a node reports about its data: the engine behind the server implements it.
pub trait NodeStatus: Send + Sync + std::fmt::Debug {
    /// The store's model generation, read now (it may block on the store); `Err` with the
    /// reason when the store cannot be reached.
    ///
    /// # Errors
    /// The store's error, as text (logged, never sent).
    fn store_generation(&self) -> Result<u64, String>;

    /// The generation of the snapshot requests are served from.
    fn snapshot_generation(&self) -> u64;
}

/// One probe's findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The store's generation, or `Err(())` when it did not answer (in time).
    pub store: Result<u64, ()>,
    /// The snapshot's generation.
    pub snapshot: u64,
}

/// Asks `node` off the async workers, within [`PROBE_TIMEOUT`]; a failure is logged and
/// counted as a store error.
pub(crate) async fn probe(node: &Arc<dyn NodeStatus>, metrics: Option<&Metrics>) -> Status {
    let asked = Arc::clone(node);
    let answer = tokio::time::timeout(
        PROBE_TIMEOUT,
        tokio::task::spawn_blocking(move || {
            (asked.store_generation(), asked.snapshot_generation())
        }),
    )
    .await;
    let (store, snapshot) = match answer {
        Ok(Ok((store, snapshot))) => (store, snapshot),
        Ok(Err(_)) => (
            Err("the probe failed".to_owned()),
            node.snapshot_generation(),
        ),
        Err(_) => (
            Err(format!("no answer within {} s", PROBE_TIMEOUT.as_secs())),
            node.snapshot_generation(),
        ),
    };
    let store = store.map_err(|reason| {
        tracing::warn!(%reason, "the store cannot be reached");
        if let Some(m) = metrics {
            m.store_error();
        }
    });
    Status { store, snapshot }
}

/// Whether `method` and `path` are a health check's.
pub(crate) fn is_health(method: &Method, path: &str) -> bool {
    method == Method::GET && (path == HEALTHZ || path == READYZ)
}

/// The answer to `GET /healthz` or `GET /readyz` (any other path: `/readyz`'s).
pub(crate) async fn answer(
    path: &str,
    node: Option<&Arc<dyn NodeStatus>>,
    metrics: Option<&Metrics>,
) -> Response<Full<Bytes>> {
    if path == HEALTHZ {
        return json(StatusCode::OK, "{\"status\":\"alive\"}".to_owned());
    }
    let Some(node) = node else {
        // No store behind this server: serving is being ready.
        return json(StatusCode::OK, "{\"status\":\"ready\"}".to_owned());
    };
    let status = probe(node, metrics).await;
    match status.store {
        Ok(store) => json(
            StatusCode::OK,
            format!(
                "{{\"status\":\"ready\",\"store_generation\":{store},\"snapshot_generation\":{}}}",
                status.snapshot
            ),
        ),
        Err(()) => json(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "{{\"status\":\"unavailable\",\"reason\":\"the store cannot be reached\",\"snapshot_generation\":{}}}",
                status.snapshot
            ),
        ),
    }
}

fn json(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    text(status, body, "application/json")
}

fn text(status: StatusCode, body: String, content_type: &'static str) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    h.insert(CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    resp
}

/// The most connections the metrics listener serves at once (more are closed at once).
const METRICS_CONNECTIONS: usize = 16;
/// The metrics listener's header deadline.
const METRICS_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// What the metrics listener needs.
pub(crate) struct Observed {
    pub metrics: Arc<Metrics>,
    pub node: Option<Arc<dyn NodeStatus>>,
}

/// Binds the metrics listener.
pub(crate) async fn bind_metrics(
    addr: SocketAddr,
) -> Result<(TcpListener, SocketAddr), crate::ServerError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| crate::ServerError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| crate::ServerError::Bind { addr, source })?;
    Ok((listener, bound))
}

/// Serves `GET /metrics`, `/healthz` and `/readyz` on `listener` until `stop`: plain HTTP/1.1,
/// no request body read, at most [`METRICS_CONNECTIONS`] at once.
pub(crate) async fn metrics_loop(
    listener: TcpListener,
    observed: Arc<Observed>,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(METRICS_CONNECTIONS));
    loop {
        let (stream, _) = tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            continue; // dropped: closed
        };
        let observed = Arc::clone(&observed);
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                let observed = Arc::clone(&observed);
                async move { Ok::<_, std::convert::Infallible>(metrics_answer(&observed, &req).await) }
            });
            let conn = http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(METRICS_HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(1), conn.as_mut()).await;
                }
            }
        });
    }
}

async fn metrics_answer<B>(observed: &Observed, req: &Request<B>) -> Response<Full<Bytes>> {
    let path = req.uri().path();
    if req.method() != Method::GET {
        let mut resp = text(StatusCode::METHOD_NOT_ALLOWED, String::new(), "text/plain");
        resp.headers_mut()
            .insert(http::header::ALLOW, http::HeaderValue::from_static("GET"));
        return resp;
    }
    match path {
        METRICS => {
            let status = match &observed.node {
                Some(node) => Some(probe(node, Some(&observed.metrics)).await),
                None => None,
            };
            text(
                StatusCode::OK,
                observed.metrics.render(status.as_ref()),
                "text/plain; version=0.0.4; charset=utf-8",
            )
        }
        HEALTHZ | READYZ => answer(path, observed.node.as_ref(), Some(&observed.metrics)).await,
        _ => text(
            StatusCode::NOT_FOUND,
            "not found\n".to_owned(),
            "text/plain",
        ),
    }
}

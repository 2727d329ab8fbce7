//! The HTTP/1.1 server: hyper 1 on tokio, keep-alive, limits, graceful shutdown, panic safety.

use std::net::{IpAddr, SocketAddr};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use keyturn_core::engine::workload::WORKLOAD_ISSUER_PATH;
use keyturn_core::ops::{self, Backend, Dispatch, Params};
use keyturn_core::request::{CallerIdentity, HttpParts, HttpRequest, Service};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::audit::live::{LiveFeed, LiveRecord};
use crate::audit::{AuditLog, AuditRecord, AuditRequest, AuditSink, OnAuditFailure};
use crate::error::HttpRefusal;
use crate::health::{self, NodeStatus};
use crate::metrics::Metrics;
use crate::moto::{self, MotoApi};
use crate::quota::Quotas;
use crate::tls::Tls;
use crate::xml::Document;
use crate::{WireError, query, xml};

mod accept;
mod body;
mod observe;
mod send;
mod timer;
use body::{BodyBudget, BodyRules};
use observe::{Note, observed};

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The region it answers for (`awsRegion` in audit events).
    pub region: String,
    /// Where audit events go.
    pub audit: AuditSink,
    /// What a request whose audit event cannot be written gets (served, or refused).
    pub audit_on_failure: OnAuditFailure,
    /// The largest request body accepted (bigger: 413 `RequestEntityTooLarge`).
    pub max_body_bytes: usize,
    /// hyper's read buffer, which bounds the request head (minimum 8 KiB).
    pub max_header_bytes: usize,
    /// How long a client may take to send a request head, counted from the connection's
    /// opening or the end of the previous response (keep-alive idle time included).
    pub header_read_timeout: Duration,
    /// How long a request body may take once its head is in (a stalled body is answered
    /// `400 RequestTimeout` and its connection closed).
    pub body_timeout: Duration,
    /// The least average rate of a body that is still arriving, in bytes per second, after a
    /// grace of 5 seconds (0: no minimum); slower is answered as [`Self::body_timeout`].
    pub min_body_rate: u64,
    /// The bytes that bodies still arriving may hold together, across connections; beyond it
    /// a request is answered `503 ServiceUnavailable` and its connection closed.
    pub body_memory_bytes: usize,
    /// The most connections served at once; one more is answered `503 ServiceUnavailable`
    /// and closed.
    pub max_connections: usize,
    /// How long a shutdown lets requests in flight finish before it closes every connection.
    pub shutdown_timeout: Duration,
    /// How long a response may wait for a client that does not read it (writes making no
    /// progress) before the connection is closed.
    pub send_timeout: Duration,
    /// Whether the listener sits behind TLS (`aws:SecureTransport`).
    pub secure_transport: bool,
    /// Worker threads of the runtime [`serve_forever`] builds; `None`: one per CPU core.
    /// (A server started with [`Server::bind`] runs on the caller's runtime.)
    pub workers: Option<usize>,
    /// moto's control endpoints (`/moto-api/reset`, `/moto-api/reset-auth`), served only by a
    /// moto-compatible endpoint (`server.compat: moto`); `None`: those paths are ordinary
    /// requests.
    pub moto_api: Option<Arc<dyn MotoApi>>,
    /// How often the backend's housekeeping runs (saving last-use records), besides once when
    /// the server stops.
    pub housekeeping_interval: Duration,
    /// Request quotas per account and action (`server.quotas`); `None`: unlimited.
    pub quotas: Option<Arc<Quotas>>,
    /// The public base URL clients reach the server at (`server.public_url`): the OIDC
    /// issuers of outbound web identity federation live under it. `None`: `http://` and the
    /// bound address.
    pub public_url: Option<String>,
    /// The live audit feed the console reads (`console` in the configuration); `None`: no
    /// feed, and a request pays one branch for it.
    pub live: Option<Arc<LiveFeed>>,
    /// TLS on the main listener (`server.tls`): the address then serves HTTPS only, and its
    /// requests carry `aws:SecureTransport` = `true`.
    pub tls: Option<Tls>,
    /// With [`Self::tls`]: a second listener serving plain HTTP (`server.tls.http_listen`,
    /// loopback only), whose requests carry `aws:SecureTransport` = `false`.
    pub http_listen: Option<SocketAddr>,
    /// The metrics listener (`server.metrics.listen`): `GET /metrics`, `/healthz`, `/readyz`.
    /// `None` (the default): no metrics are kept.
    pub metrics_listen: Option<SocketAddr>,
    /// What `/readyz` and the metrics report about the store and the snapshot.
    pub status: Option<Arc<dyn NodeStatus>>,
    /// One `tracing` event per request (target `keyturn::request`: request id, action, caller,
    /// status, error code, latency; `log.requests`).
    pub log_requests: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            audit: AuditSink::Off,
            audit_on_failure: OnAuditFailure::Continue,
            max_body_bytes: 256 * 1024,
            max_header_bytes: 64 * 1024,
            header_read_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            min_body_rate: 1024,
            body_memory_bytes: 32 * 1024 * 1024,
            max_connections: 1024,
            shutdown_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(30),
            secure_transport: false,
            workers: None,
            moto_api: None,
            housekeeping_interval: Duration::from_secs(5),
            public_url: None,
            quotas: None,
            live: None,
            tls: None,
            http_listen: None,
            metrics_listen: None,
            status: None,
            log_requests: false,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The audit log could not be opened.
    #[error("cannot open the audit log: {0}")]
    Audit(std::io::Error),
    /// The TLS certificate or key could not be used.
    #[error("TLS: {0}")]
    Tls(#[from] crate::tls::TlsError),
    /// The runtime could not start or a signal handler could not be installed.
    #[error("runtime: {0}")]
    Runtime(std::io::Error),
}

/// The Keyturn HTTP server.
#[derive(Debug)]
pub struct Server;

/// Request ids shaped like UUIDs: a random 64-bit prefix per server and a counter, so that a
/// request costs no call to the OS random source.
struct RequestIds {
    prefix: u64,
    next: std::sync::atomic::AtomicU64,
}

/// One request id: 36 ASCII characters (8-4-4-4-12 lowercase hex digits), on the stack.
#[derive(Clone, Copy)]
struct RequestId([u8; 36]);

impl RequestId {
    fn as_str(&self) -> &str {
        // Always ASCII hex digits and dashes.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl RequestIds {
    fn new() -> Self {
        let u = uuid::Uuid::new_v4().as_u64_pair();
        Self {
            prefix: u.0,
            next: std::sync::atomic::AtomicU64::new(u.1),
        }
    }

    fn next(&self) -> RequestId {
        // Two hex digits per byte by table; where each byte's digits go (dashes between).
        const AT: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.prefix.to_be_bytes());
        bytes[8..].copy_from_slice(&n.to_be_bytes());
        let mut out = [b'-'; 36];
        // A fixed trip count: unrolled, every index a constant.
        for i in 0..16 {
            let [hi, lo] = HEX_PAIRS[usize::from(bytes[i])];
            out[AT[i]] = hi;
            out[AT[i] + 1] = lo;
        }
        RequestId(out)
    }
}

/// Each byte's two lowercase hex digits.
static HEX_PAIRS: [[u8; 2]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [HEX[i >> 4], HEX[i & 0xf]];
        i += 1;
    }
    table
};

struct Shared {
    ids: RequestIds,
    backend: Arc<dyn Backend>,
    options: ServerOptions,
    audit: AuditLog,
    bodies: BodyRules,
    /// The counters, when a metrics listener is on.
    metrics: Option<Arc<Metrics>>,
}

impl Shared {
    /// Whether a request's outcome and latency are wanted (metrics or request logs).
    fn observing(&self) -> bool {
        self.metrics.is_some() || self.options.log_requests
    }
}

/// A server running on a tokio runtime.
#[derive(Debug)]
pub struct RunningServer {
    local_addr: SocketAddr,
    http_addr: Option<SocketAddr>,
    metrics_addr: Option<SocketAddr>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    keeper: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Same as [`RunningServer::local_addr`].
    pub fn bound_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The plain HTTP listener's address beside a TLS one ([`ServerOptions::http_listen`]).
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http_addr
    }

    /// The metrics listener's address ([`ServerOptions::metrics_listen`]).
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_addr
    }

    /// Stops accepting, lets in-flight requests finish, closes idle keep-alive connections, and
    /// returns when every connection is closed: at the latest `shutdown_timeout` after the call
    /// (then connections still open, a stalled body's among them, are dropped).
    /// The backend's housekeeping runs a last time after the last request.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        let _ = self.keeper.await;
    }
}

impl Server {
    /// Binds `addr` (port 0 picks a free port) and starts serving on the current tokio runtime.
    ///
    /// With [`ServerOptions::tls`] the address serves HTTPS (and [`ServerOptions::http_listen`]
    /// plain HTTP beside it); with [`ServerOptions::metrics_listen`] a metrics listener starts too.
    ///
    /// # Errors
    /// [`ServerError::Bind`] or [`ServerError::Audit`].
    pub async fn bind(
        addr: SocketAddr,
        backend: Arc<dyn Backend>,
        options: ServerOptions,
    ) -> Result<RunningServer, ServerError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServerError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| ServerError::Bind { addr, source })?;
        let audit = AuditLog::open(&options.audit)
            .map_err(ServerError::Audit)?
            .on_failure(options.audit_on_failure);
        let plain = match (&options.tls, options.http_listen) {
            (Some(_), Some(addr)) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|source| ServerError::Bind { addr, source })?,
            ),
            _ => None,
        };
        let http_addr = match &plain {
            Some(l) => Some(
                l.local_addr()
                    .map_err(|source| ServerError::Bind { addr, source })?,
            ),
            None => None,
        };
        let metrics_listener = match options.metrics_listen {
            Some(addr) => Some(health::bind_metrics(addr).await?),
            None => None,
        };
        let scheme = if options.tls.is_some() {
            "https"
        } else {
            "http"
        };
        match &options.public_url {
            Some(url) => backend.set_public_url(url),
            None => backend.set_public_url(&format!("{scheme}://{local_addr}")),
        }
        let bodies = BodyRules {
            max_bytes: options.max_body_bytes,
            timeout: options.body_timeout,
            min_rate: options.min_body_rate,
            budget: BodyBudget::new(options.body_memory_bytes),
        };
        let metrics = metrics_listener.as_ref().map(|_| Arc::new(Metrics::new()));
        let shared = Arc::new(Shared {
            ids: RequestIds::new(),
            backend,
            options,
            audit,
            bodies,
            metrics,
        });
        let (stop, stop_rx) = watch::channel(false);
        let keeper = tokio::spawn(housekeeping_loop(Arc::clone(&shared), stop_rx.clone()));
        let main = accept::Listener {
            tls: shared.options.tls.as_ref().map(|t| t.acceptor().clone()),
            secure: shared.options.tls.is_some() || shared.options.secure_transport,
        };
        let mut tasks = vec![tokio::spawn(accept::accept_loop(
            listener,
            main,
            Arc::clone(&shared),
            stop_rx.clone(),
        ))];
        if let Some(plain) = plain {
            let listener = accept::Listener {
                tls: None,
                secure: false,
            };
            tasks.push(tokio::spawn(accept::accept_loop(
                plain,
                listener,
                Arc::clone(&shared),
                stop_rx.clone(),
            )));
        }
        let metrics_addr = match (metrics_listener, &shared.metrics) {
            (Some((listener, bound)), Some(metrics)) => {
                let observed = Arc::new(health::Observed {
                    metrics: Arc::clone(metrics),
                    node: shared.options.status.clone(),
                });
                tasks.push(tokio::spawn(health::metrics_loop(
                    listener, observed, stop_rx,
                )));
                Some(bound)
            }
            _ => None,
        };
        Ok(RunningServer {
            local_addr,
            http_addr,
            metrics_addr,
            stop,
            tasks,
            keeper,
        })
    }
}

/// Runs the backend's housekeeping every `housekeeping_interval` (off the async workers: it may
/// write to the store), and once more when the server stops. A failure is retried at the next
/// run (the backend keeps what it could not save), and counted as a store error. With metrics
/// on, each run also notes the snapshot generation (for its age).
async fn housekeeping_loop(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let run = |shared: &Arc<Shared>| {
        let backend = Arc::clone(&shared.backend);
        let metrics = shared.metrics.clone();
        let node = shared.options.status.clone();
        tokio::task::spawn_blocking(move || {
            let failed = backend.housekeeping().is_err();
            if let Some(metrics) = metrics {
                if failed {
                    metrics.store_error();
                }
                if let Some(node) = node {
                    metrics.note_generation(node.snapshot_generation());
                }
            }
        })
    };
    let interval = shared.options.housekeeping_interval;
    let mut ticks = tokio::time::interval(interval.max(Duration::from_millis(10)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = ticks.tick() => {
                let _ = run(&shared).await;
            }
        }
    }
    let _ = run(&shared).await;
}

/// `x-amzn-requestid`.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

fn xml_response(status: u16, body: String, request_id: &RequestId) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    response(status, body, &[(CONTENT_TYPE, "text/xml")], request_id)
}

/// A `GET` of an OIDC issuer's discovery document or key set (outbound web identity
/// federation, workload identity's JWT-SVID issuers) or of a workload identity provider's SPIFFE
/// bundle: the backend's JSON with `200`, or `404` with an empty JSON object.
fn well_known(shared: &Shared, path: &str, request_id: &RequestId) -> Response<Full<Bytes>> {
    let (status, body) = match shared.backend.well_known(path) {
        Some(json) => (StatusCode::OK, json),
        None => (StatusCode::NOT_FOUND, "{}".to_owned()),
    };
    let headers = [
        (CONTENT_TYPE, "application/json"),
        (CACHE_CONTROL, "public, max-age=300"),
    ];
    response(status, body, &headers, request_id)
}

/// A response of `status` with `body`, the fixed `headers` and the request id, in that order.
fn response(
    status: StatusCode,
    body: String,
    headers: &[(HeaderName, &'static str)],
    request_id: &RequestId,
) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    let mut h = HeaderMap::with_capacity(headers.len() + 1);
    for (name, value) in headers {
        h.insert(name, HeaderValue::from_static(value));
    }
    if let Ok(v) = HeaderValue::from_maybe_shared(Bytes::copy_from_slice(&request_id.0)) {
        h.insert(REQUEST_ID, v);
    }
    *resp.headers_mut() = h;
    resp
}

/// How many request headers [`handle`] lists without allocating.
const FEW_HEADERS: usize = 16;

/// One request's facts that its audit event needs, however it ends.
struct Exchange<'a> {
    shared: &'a Shared,
    peer: IpAddr,
    user_agent: Option<&'a str>,
    request_id: &'a RequestId,
    time: time::OffsetDateTime,
    /// What the request came to, when metrics or request logs want it.
    note: Option<&'a Note>,
}

impl Exchange<'_> {
    /// Records the event (when the audit log is on); `Err(ServiceUnavailable)` when it could
    /// not be written and the log fails closed ([`OnAuditFailure::Refuse`]).
    fn audit(
        &self,
        service: Service,
        action: Option<&str>,
        caller: Option<&CallerIdentity>,
        request: Option<AuditRequest<'_>>,
        outcome: Result<&str, &WireError>,
    ) -> Result<(), WireError> {
        if let Some(live) = &self.shared.options.live {
            live.record(&LiveRecord {
                time: self.time,
                request_id: self.request_id.as_str(),
                source_ip: self.peer,
                service,
                action,
                caller,
                error: outcome.err().map(|e| {
                    let encoded = match e {
                        WireError::Api(e) => e.encoded_authorization_message(),
                        WireError::Http(_) => None,
                    };
                    (e.code(), e.message(), encoded)
                }),
            });
        }
        if !self.shared.audit.enabled() {
            return Ok(());
        }
        let written = self.shared.audit.record(&AuditRecord {
            service: Some(service),
            action,
            region: &self.shared.options.region,
            source_ip: self.peer,
            user_agent: self.user_agent,
            caller,
            request,
            response: outcome.ok(),
            error: outcome.err().map(|e| (e.code(), e.message())),
            request_id: self.request_id.as_str(),
            time: self.time,
        });
        match written {
            Err(_) if self.shared.audit.refuses() => Err(crate::audit::unavailable().into()),
            _ => Ok(()),
        }
    }

    /// Updates the request's note, when one is kept.
    fn noted(&self, f: impl FnOnce(&Note)) {
        if let Some(note) = self.note {
            f(note);
        }
    }

    /// The response to a request refused before its operation ran (audited).
    fn refuse(
        &self,
        e: WireError,
        service: Service,
        action: Option<&str>,
    ) -> Response<Full<Bytes>> {
        let e = self
            .audit(service, action, None, None, Err(&e))
            .err()
            .unwrap_or(e);
        self.noted(|n| {
            let _ = n.code.set(e.code());
        });
        let body = xml::error(service, &e, self.request_id.as_str());
        xml_response(e.status(), body, self.request_id)
    }
}

/// The answer to a body that could not be read: a connection whose body is left unread closes.
fn refuse_body(exchange: &Exchange<'_>, e: &body::BodyError) -> Response<Full<Bytes>> {
    let mut resp = exchange.refuse(e.wire(), Service::Sts, None);
    if e.closes() {
        resp.headers_mut()
            .insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}

/// Answers one request on a connection (`secure`: over TLS, or behind it), counting and
/// logging it when asked.
async fn handle(
    shared: &Shared,
    req: Request<Incoming>,
    peer: IpAddr,
    secure: bool,
) -> Response<Full<Bytes>> {
    let request_id = shared.ids.next();
    if !shared.observing() {
        return respond(shared, req, peer, secure, &request_id, None).await;
    }
    let started = Instant::now();
    let note = Note::default();
    let resp = respond(shared, req, peer, secure, &request_id, Some(&note)).await;
    observed(
        shared,
        &note,
        resp.status(),
        started.elapsed(),
        &request_id,
        peer,
        secure,
    );
    resp
}

/// The answer to one request.
async fn respond(
    shared: &Shared,
    req: Request<Incoming>,
    peer: IpAddr,
    secure: bool,
    request_id: &RequestId,
    note: Option<&Note>,
) -> Response<Full<Bytes>> {
    let request_id = *request_id;
    // Only the audit log and the live feed need the arrival time: no clock read otherwise.
    let time = if shared.audit.enabled() || shared.options.live.is_some() {
        time::OffsetDateTime::now_utc()
    } else {
        time::OffsetDateTime::UNIX_EPOCH
    };
    let (parts, body) = req.into_parts();
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let exchange = Exchange {
        shared,
        peer,
        user_agent,
        request_id: &request_id,
        time,
        note,
    };

    if parts.method != Method::POST && parts.method != Method::GET {
        let e = HttpRefusal::method_not_allowed(parts.method.as_str()).into();
        let mut resp = exchange.refuse(e, Service::Sts, None);
        resp.headers_mut()
            .insert(http::header::ALLOW, HeaderValue::from_static("GET, POST"));
        return resp;
    }
    if health::is_health(&parts.method, parts.uri.path()) {
        exchange.noted(|n| {
            let _ = n.health.set(());
        });
        let node = shared.options.status.as_ref();
        return health::answer(parts.uri.path(), node, shared.metrics.as_deref()).await;
    }
    if parts.method == Method::GET
        && (parts.uri.path().contains("/.well-known/")
            || parts.uri.path().starts_with(WORKLOAD_ISSUER_PATH))
    {
        return well_known(shared, parts.uri.path(), &request_id);
    }
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > shared.options.max_body_bytes as u64) {
        return exchange.refuse(HttpRefusal::too_large().into(), Service::Sts, None);
    }
    let body = match body::read_body(body, &shared.bodies).await {
        Ok(b) => b,
        Err(e) => return refuse_body(&exchange, &e),
    };
    if let Some(api) = &shared.options.moto_api
        && parts.uri.path().starts_with(moto::PREFIX)
    {
        let (status, json) = moto::answer(
            api.as_ref(),
            parts.method == Method::POST,
            parts.uri.path(),
            &body,
        );
        let mut resp = xml_response(status, json, &request_id);
        // Flask's default, which moto's server answers with.
        resp.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return resp;
    }
    let query_str = parts.uri.query().unwrap_or("");
    let params = match Params::parse(query::parameter_text(&parts.method, &body, query_str)) {
        Ok(p) => p,
        Err(e) => return exchange.refuse(e.into(), Service::Sts, None),
    };
    let op: &'static dyn Dispatch = match ops::find_in_indexed(&params) {
        Ok((index, op)) => {
            exchange.noted(|n| {
                let _ = n.op.set(index);
            });
            op
        }
        Err(e) => {
            let service = query::service_of(&params);
            return exchange.refuse(e.into(), service, params.get("Action"));
        }
    };
    let (service, action) = (op.service(), op.action());

    // The header list on the stack for the usual handful; a Vec only for many.
    let mut few: [(&str, &[u8]); FEW_HEADERS] = [("", b""); FEW_HEADERS];
    let many: Vec<(&str, &[u8])>;
    let headers: &[(&str, &[u8])] = if parts.headers.len() <= FEW_HEADERS {
        let mut n = 0;
        for ((k, v), slot) in parts.headers.iter().zip(few.iter_mut()) {
            *slot = (k.as_str(), v.as_bytes());
            n += 1;
        }
        few.get(..n).unwrap_or_default()
    } else {
        many = parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect();
        &many
    };
    let http_parts = HttpParts {
        request: HttpRequest {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: query_str,
            headers,
            body: &body,
        },
        source_ip: peer,
        user_agent,
        secure_transport: secure,
    };
    let taken = match &shared.options.quotas {
        None => None,
        Some(q) => match q.take(op, &params, headers, std::time::Instant::now()) {
            Ok(taken) => taken,
            Err(e) => return exchange.refuse(e.into(), service, Some(action)),
        },
    };
    // A log that fails closed and could not write the last event: refused before the
    // operation runs (writing this refusal is the probe that finds the log writable again).
    if shared.audit.refuses() && shared.audit.failing() {
        return exchange.refuse(crate::audit::unavailable().into(), service, Some(action));
    }
    // One buffer: the head now, the operation's members straight after it, the tail on success.
    let mut doc = Document::begin(service, action, op.has_result());
    let unsigned = op.unsigned();
    let mut caller: Option<CallerIdentity> = None;
    let mut run = || {
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            shared.backend.handle(
                op,
                &http_parts,
                &params,
                (shared.audit.enabled()
                    || taken.is_some()
                    || shared.options.live.is_some()
                    || shared.options.log_requests)
                    .then_some(&mut caller),
                doc.writer(),
            )
        }))
    };
    // The unsigned actions call identity providers, which may take up to their deadline: this
    // worker's other tasks move to another thread meanwhile.
    let outcome = if unsigned
        && tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread
    {
        tokio::task::block_in_place(run)
    } else {
        run()
    };
    if let (Some(q), Some(taken)) = (&shared.options.quotas, taken)
        && caller.is_none()
        && !unsigned
    {
        // The signature failed: the request was not the account's to count.
        q.refund(taken);
    }
    let result: Result<(), WireError> = match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(WireError::panicked()),
    };
    let request = AuditRequest {
        params: &params,
        sensitive: op.sensitive(),
    };
    if shared.options.log_requests
        && let Some(c) = &caller
    {
        exchange.noted(|n| {
            let _ = n.caller.set(c.arn.clone());
        });
    }
    match result {
        Ok(()) => match exchange.audit(
            service,
            Some(action),
            caller.as_ref(),
            Some(request),
            Ok(doc.members()),
        ) {
            Ok(()) => xml_response(200, doc.finish(action, request_id.as_str()), &request_id),
            // The result (credentials, perhaps) never leaves: nothing is issued unrecorded.
            Err(e) => {
                exchange.noted(|n| {
                    let _ = n.code.set(e.code());
                });
                xml_response(
                    e.status(),
                    xml::error(service, &e, request_id.as_str()),
                    &request_id,
                )
            }
        },
        Err(e) => {
            let e = exchange
                .audit(
                    service,
                    Some(action),
                    caller.as_ref(),
                    Some(request),
                    Err(&e),
                )
                .err()
                .unwrap_or(e);
            exchange.noted(|n| {
                let _ = n.code.set(e.code());
            });
            let body = xml::error(service, &e, request_id.as_str());
            xml_response(e.status(), body, &request_id)
        }
    }
}

/// Runs the server until Ctrl-C (SIGINT) or SIGTERM, then shuts down gracefully. For the CLI.
///
/// `on_ready` is called with the bound address once the server listens.
///
/// # Errors
/// [`ServerError`] if the runtime, the listener or the audit log cannot start.
pub fn serve_forever(
    addr: SocketAddr,
    backend: Arc<dyn Backend>,
    options: ServerOptions,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = options.workers {
        builder.worker_threads(n.max(1));
    }
    let runtime = builder.enable_all().build().map_err(ServerError::Runtime)?;
    runtime.block_on(async move {
        let server = Server::bind(addr, backend, options).await?;
        on_ready(server.local_addr());
        wait_for_signal().await?;
        server.shutdown().await;
        Ok(())
    })
}

async fn wait_for_signal() -> Result<(), ServerError> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(ServerError::Runtime)?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.map_err(ServerError::Runtime),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(ServerError::Runtime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_shaped_and_count_up() {
        let ids = RequestIds {
            prefix: 0x0123_4567_89ab_cdef,
            next: std::sync::atomic::AtomicU64::new(0xfedc_ba98_7654_3210),
        };
        assert_eq!(ids.next().as_str(), "01234567-89ab-cdef-fedc-ba9876543210");
        assert_eq!(ids.next().as_str(), "01234567-89ab-cdef-fedc-ba9876543211");
        let zero = RequestIds {
            prefix: 0,
            next: std::sync::atomic::AtomicU64::new(u64::MAX),
        };
        assert_eq!(zero.next().as_str(), "00000000-0000-0000-ffff-ffffffffffff");
        assert_eq!(zero.next().as_str(), "00000000-0000-0000-0000-000000000000");
    }
}

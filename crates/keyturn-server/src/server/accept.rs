//! Accepting connections: the cap on concurrent connections and the refusal beyond it, running
//! out of file descriptors, and a shutdown that drains within a bound.
//!
//! - At most `max_connections` connections are served at once. One more is answered
//!   `503 ServiceUnavailable` (well-formed XML, `Connection: close`) without its request being
//!   read, then closed once the client has read the answer (at most [`REFUSAL_LINGER`]); at
//!   most [`MAX_REFUSING`] connections are being refused at a time, any more are closed at once.
//! - Out of file descriptors (`EMFILE`), `accept` fails while clients wait in the backlog. The
//!   loop keeps one descriptor in reserve (`/dev/null`): it gives it up, accepts the oldest
//!   waiting client, answers it `503` and closes it, takes the reserve back, and waits
//!   [`ACCEPT_BACKOFF`] before the next try. It never spins and never stops accepting.
//! - A TLS listener takes the slot before the handshake; the handshake must end within the
//!   header deadline, and the time it took is taken off the first request head's. A TLS
//!   connection over the cap gets its `503` inside TLS.
//! - On stop, the listener closes, idle keep-alive connections close, requests in flight get
//!   `shutdown_timeout` to finish; then every connection still open is dropped.

use std::net::SocketAddr;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use keyturn_core::request::Service;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio_rustls::TlsAcceptor;

use super::body::service_unavailable;
use super::send::SendDeadline;
use super::timer::HeadTimer;
use super::{Shared, handle};
use crate::xml;

/// The most connections being refused (answered `503` and closed) at a time.
pub(crate) const MAX_REFUSING: usize = 64;
/// How long a refused connection is kept open for its client to read the answer.
pub(crate) const REFUSAL_LINGER: Duration = Duration::from_secs(1);
/// The wait after `accept` fails (out of file descriptors, and the like).
pub(crate) const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// How a listener's connections are served.
#[derive(Clone)]
pub(super) struct Listener {
    /// TLS, for an HTTPS listener.
    pub(super) tls: Option<TlsAcceptor>,
    /// Whether its requests carry `aws:SecureTransport` = `true`.
    pub(super) secure: bool,
}

/// The connection tasks' shared signals, and the count of those still running.
struct Connections {
    /// Each running connection holds a sender; when all are dropped, every connection is done.
    alive: mpsc::Sender<()>,
    /// Set when the drain bound has passed: every connection drops at once.
    force: watch::Receiver<bool>,
    /// Free slots under `max_connections`.
    slots: Arc<Semaphore>,
    /// Free slots for connections being refused.
    refusing: Arc<Semaphore>,
}

/// Accepts connections until `stop`, then drains them (see the module's documentation).
pub(super) async fn accept_loop(
    listener: TcpListener,
    kind: Listener,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let (alive, mut all_done) = mpsc::channel::<()>(1);
    let (force_all, force) = watch::channel(false);
    let connections = Connections {
        alive,
        force,
        slots: Arc::new(Semaphore::new(shared.options.max_connections.max(1))),
        refusing: Arc::new(Semaphore::new(MAX_REFUSING)),
    };
    let mut reserve = Reserve::take();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => admit(&shared, &kind, &connections, &stop, stream, peer),
                Err(_) => {
                    reserve.refuse_one(&listener, &shared).await;
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    }
    drop(listener);
    drop(connections);
    let drained = tokio::time::timeout(shared.options.shutdown_timeout, all_done.recv()).await;
    if drained.is_err() {
        let _ = force_all.send(true);
        let _ = all_done.recv().await;
    }
}

/// Serves `stream` in a task of its own if a slot is free, else refuses it.
fn admit(
    shared: &Arc<Shared>,
    kind: &Listener,
    connections: &Connections,
    stop: &watch::Receiver<bool>,
    stream: TcpStream,
    peer: SocketAddr,
) {
    let _ = stream.set_nodelay(true);
    let Ok(slot) = Arc::clone(&connections.slots).try_acquire_owned() else {
        let Ok(refusing) = Arc::clone(&connections.refusing).try_acquire_owned() else {
            return; // dropped: closed at once
        };
        if let Some(m) = &shared.metrics {
            m.connection_refused();
        }
        let body = refusal(shared);
        let alive = connections.alive.clone();
        let tls = kind.tls.clone();
        tokio::spawn(async move {
            let _alive = alive;
            match tls {
                None => refuse(stream, body.as_bytes(), REFUSAL_LINGER).await,
                Some(acceptor) => {
                    crate::tls::refuse(acceptor, stream, body.as_bytes(), REFUSAL_LINGER).await;
                }
            }
            drop(refusing);
        });
        return;
    };
    let connection = Connection {
        shared: Arc::clone(shared),
        peer,
        stop: stop.clone(),
        force: connections.force.clone(),
        _alive: connections.alive.clone(),
        _slot: slot,
    };
    tokio::spawn(connection.run(stream, kind.clone()));
}

/// A connection being served and what it holds until it closes.
struct Connection {
    shared: Arc<Shared>,
    peer: SocketAddr,
    stop: watch::Receiver<bool>,
    force: watch::Receiver<bool>,
    _alive: mpsc::Sender<()>,
    _slot: OwnedSemaphorePermit,
}

impl Connection {
    /// Serves the connection (after its TLS handshake, on a TLS listener), counted while open.
    async fn run(mut self, stream: TcpStream, kind: Listener) {
        let metrics = self.shared.metrics.clone();
        if let Some(m) = &metrics {
            m.connection_opened();
        }
        match kind.tls {
            None => self.serve(stream, kind.secure, HeadTimer::default()).await,
            Some(acceptor) => {
                let started = std::time::Instant::now();
                let deadline = self.shared.options.header_read_timeout;
                let handshake = tokio::time::timeout(deadline, acceptor.accept(stream));
                let done = tokio::select! {
                    done = handshake => done.ok().and_then(Result::ok),
                    _ = self.stop.changed() => None,
                };
                match done {
                    Some(tls) => {
                        let timer = HeadTimer::after(started.elapsed());
                        self.serve(tls, kind.secure, timer).await;
                    }
                    _ => {
                        if let Some(m) = &metrics {
                            m.tls_handshake_failed();
                        }
                    }
                }
            }
        }
        if let Some(m) = &metrics {
            m.connection_closed();
        }
    }

    /// One connection's HTTP, until it closes, or until the server stops and the drain bound
    /// passes.
    async fn serve<T>(mut self, io: T, secure: bool, timer: HeadTimer)
    where
        T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        let peer = self.peer;
        let service = service_fn(move |req| {
            let shared = Arc::clone(&shared);
            async move {
                Ok::<_, std::convert::Infallible>(handle(&shared, req, peer.ip(), secure).await)
            }
        });
        let options = &self.shared.options;
        let conn = http1::Builder::new()
            .keep_alive(true)
            // A client that sends its request and shuts down its write side still gets the
            // answer.
            .half_close(true)
            .timer(timer)
            .header_read_timeout(options.header_read_timeout)
            .max_buf_size(options.max_header_bytes.max(8192))
            .max_header_size(options.max_header_bytes.max(8192))
            .serve_connection(
                SendDeadline::new(TokioIo::new(io), options.send_timeout),
                service,
            );
        let mut conn = std::pin::pin!(conn);
        tokio::select! {
            _ = conn.as_mut() => {}
            _ = self.stop.changed() => {
                conn.as_mut().graceful_shutdown();
                tokio::select! {
                    _ = conn.as_mut() => {}
                    _ = self.force.changed() => {}
                }
            }
        }
    }
}

/// The whole HTTP response that refuses a connection: `503 ServiceUnavailable`, closing.
fn refusal(shared: &Shared) -> String {
    let request_id = shared.ids.next();
    let body = xml::error(Service::Sts, &service_unavailable(), request_id.as_str());
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/xml\r\nx-amzn-requestid: {}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        request_id.as_str(),
        body.len()
    )
}

/// Sends `answer` on `stream` without reading the request, shuts the write side, and reads
/// (discarding) until the client closes or `linger` passes, so that the client reads the
/// answer rather than a reset.
async fn refuse(stream: TcpStream, answer: &[u8], linger: Duration) {
    let _ = tokio::time::timeout(linger, async {
        let mut rest = answer;
        while !rest.is_empty() {
            stream.writable().await?;
            match stream.try_write(rest) {
                Ok(n) => rest = rest.get(n..).unwrap_or_default(),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        let stream = stream.into_std()?;
        stream.shutdown(std::net::Shutdown::Write)?;
        let stream = TcpStream::from_std(stream)?;
        let mut sink = [0u8; 4096];
        loop {
            stream.readable().await?;
            match stream.try_read(&mut sink) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
    })
    .await;
}

/// A file descriptor kept in reserve for when the process has none left.
struct Reserve(Option<std::fs::File>);

impl Reserve {
    fn take() -> Self {
        Self(std::fs::File::open("/dev/null").ok())
    }

    /// After `accept` failed: frees the reserve, refuses the oldest waiting client with a
    /// `503` (no linger: the descriptor is needed back), and takes the reserve again.
    async fn refuse_one(&mut self, listener: &TcpListener, shared: &Shared) {
        if self.0.take().is_none() {
            *self = Self::take();
            return;
        }
        let waiting = std::future::poll_fn(|cx| Poll::Ready(listener.poll_accept(cx))).await;
        if let Poll::Ready(Ok((stream, _))) = waiting {
            if let Some(m) = &shared.metrics {
                m.connection_refused();
            }
            let _ = stream.try_write(refusal(shared).as_bytes());
            drop(stream);
        }
        *self = Self::take();
    }
}

//! What an operator relies on (issue 14 §2), over real sockets: TLS and `aws:SecureTransport`,
//! the header deadline over a stalled or slow handshake, the connection cap over TLS, `/readyz`
//! when the store fails, and the metrics listener's counters.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use keyturn_core::Error;
use keyturn_core::ops::{Backend, Dispatch, Params, XmlWriter};
use keyturn_core::request::{CallerIdentity, HttpParts};
use keyturn_server::{NodeStatus, RunningServer, Server, ServerOptions, Tls};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// A backend that answers every operation with an empty result and records whether each
/// request came over a secure transport.
#[derive(Default)]
struct Recorder {
    secure: Mutex<Vec<bool>>,
    public_urls: Mutex<Vec<String>>,
}

impl Backend for Recorder {
    fn handle(
        &self,
        _op: &'static dyn Dispatch,
        http: &HttpParts<'_>,
        _params: &Params<'_>,
        _identity: Option<&mut Option<CallerIdentity>>,
        _w: &mut XmlWriter,
    ) -> Result<(), Error> {
        self.secure.lock().unwrap().push(http.secure_transport);
        Ok(())
    }

    fn set_public_url(&self, url: &str) {
        self.public_urls.lock().unwrap().push(url.to_owned());
    }
}

/// A node whose store can be made to fail.
#[derive(Debug, Default)]
struct Node {
    failing: AtomicBool,
}

impl NodeStatus for Node {
    fn store_generation(&self) -> Result<u64, String> {
        if self.failing.load(Ordering::Relaxed) {
            Err("connection refused".to_owned())
        } else {
            Ok(7)
        }
    }

    fn snapshot_generation(&self) -> u64 {
        6
    }
}

/// A CA and a server certificate for `localhost` it signs, made with the `openssl` command:
/// (CA certificate, server chain, server key).
fn pki(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "openssl {args:?}: {out:?}");
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    run(&[
        &["req", "-x509"][..],
        &ec,
        &[
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=test CA",
        ],
    ]
    .concat());
    run(&[
        &["req"][..],
        &ec,
        &[
            "-keyout",
            "key.pem",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=localhost",
        ],
    ]
    .concat());
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    )
}

/// A fresh directory under the target's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyturn-operating-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[allow(deprecated, reason = "the ring provider is the one the server uses")]
fn connector(ca: &Path) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    for cert in tokio_rustls::rustls::pki_types::CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

const CALLER_IDENTITY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

/// Sends one GetCallerIdentity POST on `io` and returns the response's text.
async fn exchange<T: AsyncRead + AsyncWrite + Unpin>(io: &mut T) -> String {
    let request = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{CALLER_IDENTITY}",
        CALLER_IDENTITY.len()
    );
    io.write_all(request.as_bytes()).await.unwrap();
    read_all(io).await
}

/// Reads until the peer closes (at most 10 s).
async fn read_all<T: AsyncRead + Unpin>(io: &mut T) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), io.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn tls_server(
    name: &str,
    options: ServerOptions,
) -> (RunningServer, Arc<Recorder>, TlsConnector) {
    let (ca, cert, key) = pki(&scratch(name));
    let backend = Arc::new(Recorder::default());
    let options = ServerOptions {
        tls: Some(Tls::from_pem_files(&cert, &key).unwrap()),
        ..options
    };
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = Server::bind(addr, Arc::clone(&backend) as Arc<dyn Backend>, options)
        .await
        .unwrap();
    (server, backend, connector(&ca))
}

fn localhost() -> ServerName<'static> {
    ServerName::try_from("localhost").unwrap()
}

/// A TLS connection to `server`, its handshake done.
async fn dial(
    server: &RunningServer,
    tls: &TlsConnector,
) -> tokio_rustls::client::TlsStream<TcpStream> {
    let tcp = TcpStream::connect(server.local_addr()).await.unwrap();
    tls.connect(localhost(), tcp).await.unwrap()
}

/// Asserts that `got` is a whole GetCallerIdentity answer.
fn assert_answered(got: &str) {
    assert!(got.starts_with("HTTP/1.1 200 OK"), "{got}");
    assert!(got.contains("<GetCallerIdentityResult"), "{got}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_over_tls_are_secure_and_the_loopback_http_listener_is_not() {
    let options = ServerOptions {
        http_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..ServerOptions::default()
    };
    let (server, backend, tls) = tls_server("secure", options).await;
    let mut stream = dial(&server, &tls).await;
    let reply = exchange(&mut stream).await;
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    let mut plain = TcpStream::connect(server.http_addr().unwrap())
        .await
        .unwrap();
    let reply = exchange(&mut plain).await;
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert_eq!(*backend.secure.lock().unwrap(), vec![true, false]);
    assert_eq!(
        *backend.public_urls.lock().unwrap(),
        vec![format!("https://{}", server.local_addr())]
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_handshake_is_closed_at_the_header_deadline_and_counted() {
    let options = ServerOptions {
        header_read_timeout: Duration::from_secs(1),
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..ServerOptions::default()
    };
    let (server, _, _) = tls_server("stalled", options).await;
    let started = Instant::now();
    let mut tcp = TcpStream::connect(server.local_addr()).await.unwrap();
    let got = read_all(&mut tcp).await;
    let took = started.elapsed();
    assert!(got.is_empty(), "{got}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
    let metrics = scrape(server.metrics_addr().unwrap()).await;
    assert!(
        metrics
            .lines()
            .any(|l| l == "keyturn_tls_handshake_failures_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.lines().any(|l| l == "keyturn_connections_open 0"),
        "{metrics}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_time_counts_against_the_first_request_head() {
    let options = ServerOptions {
        header_read_timeout: Duration::from_secs(2),
        ..ServerOptions::default()
    };
    let (server, _, tls) = tls_server("slow-handshake", options).await;
    let started = Instant::now();
    let tcp = TcpStream::connect(server.local_addr()).await.unwrap();
    // The client hello comes 1.2 s late; then no request head at all.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let mut stream = tls.connect(localhost(), tcp).await.unwrap();
    let got = read_all(&mut stream).await;
    let took = started.elapsed();
    assert!(!got.contains("200 OK"), "{got}");
    // Closed at the 2 s deadline counted from the connection, not 2 s after the handshake.
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_millis(2900),
        "{took:?}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_connection_over_the_cap_is_answered_503_inside_tls() {
    let options = ServerOptions {
        max_connections: 1,
        ..ServerOptions::default()
    };
    let (server, _, tls) = tls_server("cap", options).await;
    let _held = dial(&server, &tls).await;
    let mut refused = dial(&server, &tls).await;
    let got = read_all(&mut refused).await;
    assert!(got.starts_with("HTTP/1.1 503 Service Unavailable"), "{got}");
    assert!(got.contains("<Code>ServiceUnavailable</Code>"), "{got}");
    server.shutdown().await;
}

async fn get(addr: SocketAddr, path: &str) -> String {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    read_all(&mut tcp).await
}

async fn scrape(addr: SocketAddr) -> String {
    let reply = get(addr, "/metrics").await;
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    reply.split_once("\r\n\r\n").unwrap().1.to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_store_and_store_errors_are_counted() {
    let node = Arc::new(Node::default());
    let options = ServerOptions {
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        status: Some(Arc::clone(&node) as Arc<dyn NodeStatus>),
        ..ServerOptions::default()
    };
    let backend: Arc<dyn Backend> = Arc::new(Recorder::default());
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), backend, options)
        .await
        .unwrap();
    let ready = get(server.local_addr(), "/readyz").await;
    assert!(ready.starts_with("HTTP/1.1 200 OK"), "{ready}");
    assert!(
        ready.ends_with(r#"{"status":"ready","store_generation":7,"snapshot_generation":6}"#),
        "{ready}"
    );

    node.failing.store(true, Ordering::Relaxed);
    let down = get(server.local_addr(), "/readyz").await;
    assert!(
        down.starts_with("HTTP/1.1 503 Service Unavailable"),
        "{down}"
    );
    assert!(
        down.ends_with(r#"{"status":"unavailable","reason":"the store cannot be reached","snapshot_generation":6}"#),
        "{down}"
    );
    // Alive all the same.
    assert!(
        get(server.local_addr(), "/healthz")
            .await
            .ends_with(r#"{"status":"alive"}"#)
    );
    let metrics = scrape(server.metrics_addr().unwrap()).await;
    for line in [
        "keyturn_store_up 0",
        "keyturn_snapshot_generation 6",
        // The failed /readyz and this scrape.
        "keyturn_store_errors_total 2",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
    assert!(!metrics.contains("keyturn_store_generation"), "{metrics}");
    assert!(!metrics.contains("connection refused"), "{metrics}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_client_that_half_closes_after_its_request_gets_the_answer() {
    let (server, _, tls) = tls_server("half-close", ServerOptions::default()).await;
    let mut stream = dial(&server, &tls).await;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n{CALLER_IDENTITY}",
        CALLER_IDENTITY.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    // close_notify and FIN: the client sends nothing more.
    stream.shutdown().await.unwrap();
    let got = read_all(&mut stream).await;
    assert_answered(&got);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_request_in_flight_at_shutdown_is_answered() {
    let options = ServerOptions {
        shutdown_timeout: Duration::from_secs(5),
        ..ServerOptions::default()
    };
    let (server, _, tls) = tls_server("drain", options).await;
    let mut stream = dial(&server, &tls).await;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
        CALLER_IDENTITY.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
        .write_all(&CALLER_IDENTITY.as_bytes()[..10])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let stopping = tokio::spawn(server.shutdown());
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream
        .write_all(&CALLER_IDENTITY.as_bytes()[10..])
        .await
        .unwrap();
    let got = read_all(&mut stream).await;
    assert_answered(&got);
    stopping.await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

//! The HTTP request path as a whole: bytes over a loopback connection into `keyturn serve`'s
//! server (hyper, limits, the Query protocol, authentication, the operations, the XML writer),
//! running on the fuzz configuration ([`crate::world`]). Every answer to a request is below 500
//! and every XML body is well-formed.
//!
//! The server is the real one, reached through a socket (it has no entry point for bytes without
//! one); the client resets the connection when it is done, so that no `TIME_WAIT` piles up.
//!
//! Input: the first byte picks the mode. Raw: the rest is sent as is, then the write side is
//! shut. Request: a method, path, query, headers and a form body (an action of the generated
//! ones with the rest as parameters), framed with `Content-Length` or chunked, optionally
//! signed with the configuration's user (so the operations run, writes included), with
//! `Connection: close`: a complete request, which must be answered.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use keyturn::server::{RunningServer, ServerOptions};
use keyturn_api::Service;
use keyturn_sigv4::{AmzDate, Credentials, SigningParams, sign};
use tokio::runtime::Runtime as Tokio;

use crate::bytes::Bytes;
use crate::sigv4::with_request;
use crate::{check, world};

/// The server, once per process.
struct Served {
    tokio: Tokio,
    addr: SocketAddr,
    _server: RunningServer,
}

fn served() -> Option<&'static Served> {
    static SERVED: OnceLock<Option<Served>> = OnceLock::new();
    SERVED
        .get_or_init(|| {
            let world = world::world()?;
            let tokio = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .ok()?;
            let options = ServerOptions {
                header_read_timeout: Duration::from_secs(2),
                housekeeping_interval: Duration::from_secs(3600),
                ..ServerOptions::default()
            };
            let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
            let server = tokio
                .block_on(keyturn::server::start_with(&world.runtime, addr, options))
                .ok()?;
            let addr = server.local_addr();
            Some(Served {
                tokio,
                addr,
                _server: server,
            })
        })
        .as_ref()
}

/// How many requests were sent; the model is reset every [`RESET_EVERY`].
static SENT: AtomicU64 = AtomicU64::new(0);
const RESET_EVERY: u64 = 500;

const METHODS: [&str; 5] = ["POST", "GET", "PUT", "HEAD", "DELETE"];
const HEADER_NAMES: [&str; 10] = [
    "content-type",
    "user-agent",
    "x-amz-date",
    "x-amz-security-token",
    "authorization",
    "x-amz-content-sha256",
    "accept",
    "expect",
    "x-forwarded-for",
    "content-encoding",
];
const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The target.
pub fn http(data: &[u8]) {
    let Some(served) = served() else {
        return;
    };
    if SENT.fetch_add(1, Ordering::Relaxed) % RESET_EVERY == RESET_EVERY - 1
        && let Some(world) = world::world()
    {
        world::reset(world);
    }
    let mut input = Bytes::new(data);
    let mode = input.byte();
    if mode < 24 {
        let bytes = input.rest().to_vec();
        if let Some(answer) = exchange(served, &bytes, true) {
            check_answer(&answer);
        }
        return;
    }
    let bytes = request(&mut input, mode);
    match exchange(served, &bytes, false) {
        Some(answer) => check_answer(&answer),
        None => check::holds(false, || {
            format!(
                "a complete request got no answer:\n{}",
                String::from_utf8_lossy(&bytes)
            )
        }),
    }
}

/// Printable text from bytes (header values and request targets must be).
fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| char::from(0x20 + b % 0x5f))
        .collect::<String>()
}

/// A complete HTTP/1.1 request built from the input.
fn request(input: &mut Bytes<'_>, mode: u8) -> Vec<u8> {
    let method = if mode < 200 {
        "POST"
    } else {
        *input.pick(&METHODS).unwrap_or(&"POST")
    };
    let path = if input.byte() < 240 {
        "/".to_owned()
    } else {
        format!("/{}", printable(input.chunk(40)).replace(' ', "%20"))
    };
    let query = if input.byte() < 220 {
        String::new()
    } else {
        printable(input.chunk(80))
            .replace(' ', "+")
            .replace('#', "%23")
    };
    let mut headers: Vec<(String, Vec<u8>)> = vec![
        ("host".into(), b"localhost".to_vec()),
        ("content-type".into(), FORM.as_bytes().to_vec()),
    ];
    for _ in 0..input.byte() % 4 {
        let name = (*input.pick(&HEADER_NAMES).unwrap_or(&"accept")).to_owned();
        headers.push((name, printable(input.chunk(60)).into_bytes()));
    }
    let signed = input.flag();
    let chunked = input.byte() > 230;
    let service = if input.flag() {
        Service::Iam
    } else {
        Service::Sts
    };
    let action = input
        .pick(service.actions())
        .copied()
        .unwrap_or("GetCallerIdentity");
    let mut body = format!("Action={action}&Version={}&", service.api_version()).into_bytes();
    body.extend_from_slice(input.rest());
    if signed {
        let credentials = Credentials::new(world::ACCESS_KEY_ID, world::SECRET);
        let params = SigningParams::new(
            &credentials,
            "us-east-1",
            service.signing_name(),
            AmzDate::from_unix(world::NOW),
        );
        let signed = with_request(method, &path, &query, &headers, &body, |req| {
            sign(req, &params)
        });
        if let Ok(out) = signed {
            headers.extend(
                out.headers
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.into_bytes())),
            );
        }
    }
    let target = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let mut out = format!("{method} {target} HTTP/1.1\r\n").into_bytes();
    for (k, v) in &headers {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"connection: close\r\n");
    if chunked {
        out.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
        for piece in body.chunks(97) {
            out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            out.extend_from_slice(piece);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
    } else {
        out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        out.extend_from_slice(&body);
    }
    out
}

/// Sends `bytes` on a new connection (then shuts the write side when `half_close`) and reads
/// until the server closes; `None` when nothing came back within the time allowed.
fn exchange(served: &Served, bytes: &[u8], half_close: bool) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect_timeout(&served.addr, Duration::from_secs(5)).ok()?;
    zero_linger(served, &stream);
    // The server may answer (and close) before it read everything: a failed write is fine.
    let _ = stream.write_all(bytes);
    if half_close {
        let _ = stream.shutdown(Shutdown::Write);
    }
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut answer = Vec::new();
    let complete = match stream.read_to_end(&mut answer) {
        Ok(_) => true,
        // Reset by the server after its answer: what was read is the answer.
        Err(e) => !answer.is_empty() && e.kind() != std::io::ErrorKind::WouldBlock,
    };
    (complete && (!answer.is_empty() || half_close)).then_some(answer)
}

/// `SO_LINGER` 0: closing resets the connection instead of leaving it in `TIME_WAIT` (a fuzz
/// run opens millions). Set through tokio, which has the call; std does not on stable.
fn zero_linger(served: &Served, stream: &TcpStream) {
    let _guard = served.tokio.enter();
    if let Ok(copy) = stream.try_clone()
        && copy.set_nonblocking(true).is_ok()
        && let Ok(tokio_stream) = tokio::net::TcpStream::from_std(copy)
    {
        let _ = tokio_stream.set_zero_linger();
    }
    let _ = stream.set_nonblocking(false);
}

/// The status is below 500; an XML body is well-formed.
fn check_answer(answer: &[u8]) {
    let mut text = String::from_utf8_lossy(answer).into_owned();
    // Interim answers (`100 Continue` to an `Expect`) come before the final one.
    while text.starts_with("HTTP/1.1 1") {
        let Some((_, rest)) = text.split_once("\r\n\r\n") else {
            return;
        };
        text = rest.to_owned();
    }
    let Some(status) = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse::<u16>().ok())
    else {
        return;
    };
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    check::sender_fault(status, "", &text);
    // The first answer's body only: a raw input may hold several requests, each answered.
    let head = head.to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .and_then(|n| n.trim().parse::<usize>().ok());
    let body = rest.get(..length.unwrap_or(rest.len())).unwrap_or(rest);
    if head.contains("content-type: text/xml") && !body.is_empty() {
        check::well_formed(body);
    }
}

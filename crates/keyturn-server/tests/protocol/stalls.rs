//! Connections that hold the server: stalled bodies (Content-Length and chunked), bodies below
//! the minimum rate, the memory that stalled bodies hold, the connection cap, a shutdown with
//! stalled connections, and clients that half-close after their request (issue 16).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use keyturn_server::{RunningServer, ServerOptions};

use crate::client::*;
use crate::fake::*;

/// S3's text for a request whose body stalls.
const TIMEOUT_MESSAGE: &str = "Your socket connection to the server was not read from or written \
                               to within the timeout period. Idle connections will be closed.";
/// The common error of an overloaded service.
const UNAVAILABLE_MESSAGE: &str =
    "The request has failed due to a temporary failure of the server.";

/// A whole GetCallerIdentity request.
fn whole_request() -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{CALLER_IDENTITY}",
        CALLER_IDENTITY.len()
    )
}

/// Options whose bodies must arrive within `body_timeout`.
fn body_timeout(body_timeout: Duration) -> ServerOptions {
    ServerOptions {
        body_timeout,
        ..ServerOptions::default()
    }
}

/// Reads what the server sends until it closes the connection (or 10 s pass: a failure).
fn read_until_closed(conn: &mut TcpStream) -> Vec<u8> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return out,
            Err(e) => panic!("the server kept the connection open: {e}"),
        }
    }
}

/// Parses the response in `bytes` (what [`read_until_closed`] returned).
fn reply_of(bytes: Vec<u8>) -> Reply {
    read_reply(&mut bytes.as_slice())
}

/// Asserts that `conn`, whose request stalls, is answered `400 RequestTimeout` and closed, no
/// sooner than `at_least` after `sent` and within five seconds of it.
fn assert_timed_out(conn: &mut TcpStream, sent: Instant, at_least: Duration) {
    let bytes = read_until_closed(conn);
    let waited = sent.elapsed();
    assert!(
        waited >= at_least && waited < at_least + Duration::from_secs(5),
        "closed after {waited:?}"
    );
    let reply = reply_of(bytes);
    assert_error(&reply, 400, "RequestTimeout", TIMEOUT_MESSAGE);
    assert_eq!(reply.header("connection"), Some("close"));
}

#[test]
fn ten_stalled_content_length_bodies_are_answered_and_closed_by_the_deadline() {
    let rt = rt();
    let timeout = Duration::from_millis(500);
    let (server, _) = start(&rt, body_timeout(timeout));
    // The reproduction: `Content-Length: 100`, part of the body, then silence.
    let mut stalled: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut conn = connect(&server);
            conn.write_all(
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=GetCallerIdentity",
            )
            .unwrap();
            conn
        })
        .collect();
    let sent = Instant::now();
    for conn in &mut stalled {
        assert_timed_out(conn, sent, timeout);
    }
    // A head and no body at all is the same.
    let mut empty = connect(&server);
    empty
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        .unwrap();
    assert_timed_out(&mut empty, Instant::now(), timeout);
    assert_serving(&server);
    shutdown_within_5s(&rt, server);
}

#[test]
fn a_half_sent_chunked_body_is_answered_and_closed_by_the_deadline() {
    let rt = rt();
    let timeout = Duration::from_millis(500);
    let (server, _) = start(&rt, body_timeout(timeout));
    for partial in [
        // Within a chunk.
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n40\r\nAction=Get",
        // Between chunks: the last chunk never comes.
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nAction\r\n",
    ] {
        let mut conn = connect(&server);
        conn.write_all(partial.as_bytes()).unwrap();
        assert_timed_out(&mut conn, Instant::now(), timeout);
    }
    assert_serving(&server);
    shutdown_within_5s(&rt, server);
}

#[test]
fn a_body_in_parts_within_the_deadline_is_served() {
    let rt = rt();
    let (server, _) = start(&rt, body_timeout(Duration::from_secs(3)));
    let body = CALLER_IDENTITY.as_bytes();
    let mut conn = connect(&server);
    let head = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).unwrap();
    for part in body.chunks(15) {
        std::thread::sleep(Duration::from_millis(150));
        conn.write_all(part).unwrap();
    }
    let reply = read_reply(&mut conn);
    assert_eq!(reply.status, 200, "{}", reply.body);
    // The connection stays usable (keep-alive).
    assert_eq!(caller_identity(&mut conn).status, 200);
    shutdown_within_5s(&rt, server);
}

#[test]
fn a_body_below_the_minimum_rate_is_cut_off_after_the_grace() {
    let rt = rt();
    let options = ServerOptions {
        body_timeout: Duration::from_secs(60),
        min_body_rate: 1000,
        ..ServerOptions::default()
    };
    let (server, _) = start(&rt, options);
    let mut conn = connect(&server);
    conn.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n")
        .unwrap();
    let sent = Instant::now();
    // A byte every 100 ms: 10 bytes a second, far below 1000, but never silent for long.
    let mut cut_off = false;
    while sent.elapsed() < Duration::from_secs(15) {
        if conn.write_all(b"A").is_err() {
            cut_off = true;
            break;
        }
        conn.set_nonblocking(true).unwrap();
        let mut probe = [0u8; 1];
        let answered = conn.peek(&mut probe).is_ok();
        conn.set_nonblocking(false).unwrap();
        if answered {
            cut_off = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let waited = sent.elapsed();
    assert!(cut_off, "a trickling body was never cut off");
    // 5 s of grace plus the ~50 bytes sent earn ~50 ms more.
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(9),
        "cut off after {waited:?}"
    );
    let reply = reply_of(read_until_closed(&mut conn));
    assert_error(&reply, 400, "RequestTimeout", TIMEOUT_MESSAGE);
    shutdown_within_5s(&rt, server);
}

#[test]
fn stalled_bodies_hold_no_more_than_the_memory_budget() {
    let rt = rt();
    let options = ServerOptions {
        body_timeout: Duration::from_millis(1500),
        body_memory_bytes: 1000,
        ..ServerOptions::default()
    };
    let (server, _) = start(&rt, options);
    let stall = |server: &RunningServer| {
        let mut conn = connect(server);
        let head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n";
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(&[b'A'; 600]).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        conn
    };
    // The first holds 600 of the 1000 bytes while it waits for the rest.
    let sent = Instant::now();
    let mut first = stall(&server);
    // A second would hold 1200 in all: refused at once, not kept.
    let mut second = stall(&server);
    let reply = reply_of(read_until_closed(&mut second));
    assert!(
        sent.elapsed() < Duration::from_millis(1400),
        "not refused at once"
    );
    assert_error(&reply, 503, "ServiceUnavailable", UNAVAILABLE_MESSAGE);
    assert_eq!(reply.header("connection"), Some("close"));
    // A complete body is not held while waiting: it is served.
    assert_serving(&server);
    // Once the first one is gone, its bytes are free again: a third waits, then times out.
    assert_timed_out(&mut first, sent, Duration::from_millis(1500));
    let mut third = stall(&server);
    assert_timed_out(&mut third, Instant::now(), Duration::from_millis(1200));
    shutdown_within_5s(&rt, server);
}

#[test]
fn connections_over_the_cap_are_refused_with_a_503_and_the_server_recovers() {
    let rt = rt();
    let options = ServerOptions {
        max_connections: 4,
        ..ServerOptions::default()
    };
    let (server, _) = start(&rt, options);
    // Four idle connections hold every slot (each has served a request: it is really open).
    let mut held: Vec<TcpStream> = (0..4).map(|_| connect(&server)).collect();
    for conn in &mut held {
        assert_eq!(caller_identity(conn).status, 200);
    }
    for _ in 0..3 {
        let mut extra = connect(&server);
        let _ = extra.write_all(whole_request().as_bytes());
        let reply = reply_of(read_until_closed(&mut extra));
        assert_error(&reply, 503, "ServiceUnavailable", UNAVAILABLE_MESSAGE);
        assert_eq!(reply.header("connection"), Some("close"));
    }
    // The held connections still work.
    assert_eq!(caller_identity(&mut held[0]).status, 200);
    // One closes: a new connection is served again.
    drop(held.pop());
    let started = Instant::now();
    loop {
        let mut conn = connect(&server);
        conn.write_all(whole_request().as_bytes()).unwrap();
        let reply = read_reply(&mut conn);
        if reply.status == 200 {
            break;
        }
        assert_eq!(reply.status, 503);
        assert!(started.elapsed() < Duration::from_secs(5), "no slot freed");
        std::thread::sleep(Duration::from_millis(20));
    }
    shutdown_within_5s(&rt, server);
}

#[test]
fn shutdown_with_three_stalled_connections_ends_within_its_bound() {
    let rt = rt();
    let bound = Duration::from_millis(500);
    let options = ServerOptions {
        body_timeout: Duration::from_secs(600),
        min_body_rate: 0,
        shutdown_timeout: bound,
        ..ServerOptions::default()
    };
    let (server, _) = start(&rt, options);
    let addr = server.local_addr();
    let mut stalled: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut conn = connect(&server);
            conn.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAct")
                .unwrap();
            conn
        })
        .collect();
    // Let the server start reading the three bodies.
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    shutdown_within_5s(&rt, server);
    let took = started.elapsed();
    assert!(
        took >= bound && took < bound + Duration::from_secs(2),
        "shutdown took {took:?}"
    );
    for conn in &mut stalled {
        read_until_closed(conn);
    }
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}

#[test]
fn a_client_that_half_closes_after_its_request_is_answered_every_time() {
    let rt = rt();
    let (server, _) = start(&rt, ServerOptions::default());
    let request = whole_request();
    let mut unanswered = 0;
    for _ in 0..200 {
        let mut conn = connect(&server);
        conn.write_all(request.as_bytes()).unwrap();
        conn.shutdown(Shutdown::Write).unwrap();
        let reply = read_until_closed(&mut conn);
        if !reply.starts_with(b"HTTP/1.1 200 OK\r\n") {
            unanswered += 1;
        }
    }
    assert_eq!(unanswered, 0, "of 200 half-closed requests");
    shutdown_within_5s(&rt, server);
}

#[test]
fn a_client_that_never_reads_its_answers_is_closed_after_the_send_timeout() {
    let rt = rt();
    let send_timeout = Duration::from_millis(500);
    let options = ServerOptions {
        send_timeout,
        ..ServerOptions::default()
    };
    let (server, _) = start(&rt, options);
    let conn = connect(&server);
    let mut writer = conn.try_clone().unwrap();
    // Pipelined requests (up to 120 MB) whose answers soon overflow both sides' socket buffers.
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let batch = whole_request().repeat(1000);
        let r = (0..1000).try_for_each(|_| writer.write_all(batch.as_bytes()));
        let _ = done.send(r);
    });
    // The writes block once the server stops reading; the server gives up on writing and closes
    // the connection, which fails the blocked write.
    let r = result
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("the server kept a connection that does not read"));
    assert!(
        r.is_err(),
        "all requests were read: the buffers did not fill"
    );
    drop(conn);
    assert_serving(&server);
    shutdown_within_5s(&rt, server);
}

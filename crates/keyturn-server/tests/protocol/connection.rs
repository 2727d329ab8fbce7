//! The HTTP side: panics, keep-alive, shutdown, body and head limits, slow heads.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use keyturn_api::sts;
use keyturn_server::ServerOptions;

use crate::client::*;
use crate::fake::*;

#[test]
fn a_panicking_backend_is_a_500_and_the_server_keeps_serving() {
    let rt = rt();
    let (server, _) = start(&rt, ServerOptions::default());
    let mut conn = connect(&server);
    let body =
        format!("Action=AssumeRole&Version=2011-06-15&RoleArn={ARN}&RoleSessionName=panic-now");
    assert_error(
        &send(&mut conn, "POST", "/", body.as_bytes()),
        500,
        "InternalFailure",
        "An internal error has occurred. Please try again.",
    );
    let reply = caller_identity(&mut conn);
    assert_eq!(reply.status, 200, "same connection still works");
    assert_serving(&server);
    rt.block_on(server.shutdown());
}

#[test]
fn keep_alive_and_graceful_shutdown() {
    let rt = rt();
    let (server, _) = start(&rt, ServerOptions::default());
    let addr = server.bound_addr();
    assert_ne!(addr.port(), 0);
    let mut conn = connect(&server);
    let mut ids = Vec::new();
    for _ in 0..5 {
        let reply = caller_identity(&mut conn);
        assert_eq!(reply.status, 200);
        assert_ne!(reply.header("connection"), Some("close"));
        ids.push(reply.header("x-amzn-requestid").unwrap().to_owned());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "a fresh RequestId per request");
    // Shutdown completes although an idle keep-alive connection is open, and closes it.
    shutdown_within_5s(&rt, server);
    let mut rest = Vec::new();
    assert_eq!(conn.read_to_end(&mut rest).unwrap_or(0), 0);
    assert!(TcpStream::connect(addr).is_err(), "no longer listening");
}

#[test]
fn chunked_bodies_are_limited_too_and_huge_heads_are_refused() {
    let rt = rt();
    let (server, _) = start(&rt, body_limit(1024));
    let body = format!("{CALLER_IDENTITY}&P={}", "a".repeat(2000));
    assert_too_large(&send_raw(&mut connect(&server), &chunked(&[&body])));

    let mut conn = connect(&server);
    // A head that never ends: refused once it passes the limit.
    let req = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}",
        "b".repeat(100 * 1024)
    );
    let _ = conn.write_all(req.as_bytes());
    let mut buf = Vec::new();
    let _ = conn.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 431"),
        "{text}"
    );
    // The server is still fine.
    assert_serving(&server);
    rt.block_on(server.shutdown());
}

#[test]
fn a_head_not_complete_in_time_closes_the_connection_and_busy_keep_alive_survives() {
    let rt = rt();
    let timeout = Duration::from_millis(400);
    let options = ServerOptions {
        header_read_timeout: timeout,
        ..ServerOptions::default()
    };
    let (server, _) = start(&rt, options);

    // A keep-alive connection that keeps sending whole requests lives on for longer than the
    // timeout (each head starts its own clock).
    let mut busy = connect(&server);
    let started = std::time::Instant::now();
    while started.elapsed() < timeout * 3 {
        assert_eq!(caller_identity(&mut busy).status, 200);
        std::thread::sleep(Duration::from_millis(50));
    }

    // Slow loris: part of a head, then a byte now and then, never the end.
    let mut slow = connect(&server);
    let started = std::time::Instant::now();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let mut closed = false;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(50));
        if slow.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        let mut probe = [0u8; 1];
        slow.set_nonblocking(true).unwrap();
        let r = slow.read(&mut probe);
        slow.set_nonblocking(false).unwrap();
        if r.is_ok() {
            closed = true; // EOF (or the 408 hyper may send) means the server gave up
            break;
        }
    }
    let waited = started.elapsed();
    assert!(closed, "the slow head was not cut off");
    assert!(waited >= timeout, "cut off too early: {waited:?}");

    // An idle keep-alive connection after a request: its next head gets the same limit.
    let mut idle = connect(&server);
    assert_eq!(caller_identity(&mut idle).status, 200);
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited >= timeout && waited < Duration::from_secs(5),
        "idle connection closed after {waited:?}"
    );
    drop(busy);
    shutdown_within_5s(&rt, server);
}

#[test]
fn a_body_in_several_chunks_is_joined_and_limited_in_total() {
    let rt = rt();
    let (server, fake) = start(&rt, body_limit(200));
    // Three chunks, split mid-name and mid-escape.
    let req = chunked(&[
        "Action=Assu",
        "meRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3",
        "Arole%2Fr&RoleSessionName=chunks",
    ]);
    let reply = send_raw(&mut connect(&server), &req);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = fake.take();
    let r: &sts::AssumeRoleRequest = seen.input.downcast_ref().unwrap();
    assert_eq!(r.role_arn, "arn:aws:iam::111111111111:role/r");
    assert_eq!(r.role_session_name, "chunks");
    // Each chunk under the limit, the whole over it.
    let part = "A".repeat(120);
    let head = format!("{CALLER_IDENTITY}&P=");
    assert_too_large(&send_raw(
        &mut connect(&server),
        &chunked(&[&head, &part, &part]),
    ));
    rt.block_on(server.shutdown());
}

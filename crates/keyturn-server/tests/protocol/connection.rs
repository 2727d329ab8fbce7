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
    let reply = send(
        &mut conn,
        "POST",
        "/",
        b"Action=GetCallerIdentity&Version=2011-06-15",
    );
    assert_eq!(reply.status, 200, "same connection still works");
    assert_eq!(
        post(&server, "Action=GetCallerIdentity&Version=2011-06-15").status,
        200
    );
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
        let reply = send(
            &mut conn,
            "POST",
            "/",
            b"Action=GetCallerIdentity&Version=2011-06-15",
        );
        assert_eq!(reply.status, 200);
        assert_ne!(reply.header("connection"), Some("close"));
        ids.push(reply.header("x-amzn-requestid").unwrap().to_owned());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "a fresh RequestId per request");
    // Shutdown completes although an idle keep-alive connection is open, and closes it.
    rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await })
        .unwrap();
    let mut rest = Vec::new();
    assert_eq!(conn.read_to_end(&mut rest).unwrap_or(0), 0);
    assert!(TcpStream::connect(addr).is_err(), "no longer listening");
}

#[test]
fn chunked_bodies_are_limited_too_and_huge_heads_are_refused() {
    let rt = rt();
    let (server, _) = start(
        &rt,
        ServerOptions {
            max_body_bytes: 1024,
            ..Default::default()
        },
    );
    let mut conn = connect(&server);
    let chunk = "a".repeat(2000);
    let req = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\nAction=GetCallerIdentity&Version=2011-06-15&P={chunk}\r\n0\r\n\r\n",
        chunk.len() + 46
    );
    conn.write_all(req.as_bytes()).unwrap();
    let reply = read_reply(&mut conn);
    assert_error(
        &reply,
        413,
        "RequestEntityTooLarge",
        "Request body is too large.",
    );

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
    assert_eq!(
        post(&server, "Action=GetCallerIdentity&Version=2011-06-15").status,
        200
    );
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
    let body = b"Action=GetCallerIdentity&Version=2011-06-15";

    // A keep-alive connection that keeps sending whole requests lives on for longer than the
    // timeout (each head starts its own clock).
    let mut busy = connect(&server);
    let started = std::time::Instant::now();
    while started.elapsed() < timeout * 3 {
        assert_eq!(send(&mut busy, "POST", "/", body).status, 200);
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
    assert_eq!(send(&mut idle, "POST", "/", body).status, 200);
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited >= timeout && waited < Duration::from_secs(5),
        "idle connection closed after {waited:?}"
    );
    drop(busy);
    rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await })
        .unwrap();
}

#[test]
fn a_body_in_several_chunks_is_joined_and_limited_in_total() {
    let rt = rt();
    let (server, fake) = start(
        &rt,
        ServerOptions {
            max_body_bytes: 200,
            ..Default::default()
        },
    );
    let chunked = |parts: &[&str]| {
        let mut req =
            String::from("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        for p in parts {
            req.push_str(&format!("{:x}\r\n{p}\r\n", p.len()));
        }
        req.push_str("0\r\n\r\n");
        req
    };
    // Three chunks, split mid-name and mid-escape.
    let mut conn = connect(&server);
    let req = chunked(&[
        "Action=Assu",
        "meRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3",
        "Arole%2Fr&RoleSessionName=chunks",
    ]);
    conn.write_all(req.as_bytes()).unwrap();
    let reply = read_reply(&mut conn);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = fake.take();
    let r: &sts::AssumeRoleRequest = seen.input.downcast_ref().unwrap();
    assert_eq!(r.role_arn, "arn:aws:iam::111111111111:role/r");
    assert_eq!(r.role_session_name, "chunks");
    // Each chunk under the limit, the whole over it.
    let mut conn = connect(&server);
    let part = "A".repeat(120);
    let req = chunked(&[
        "Action=GetCallerIdentity&Version=2011-06-15&P=",
        &part,
        &part,
    ]);
    conn.write_all(req.as_bytes()).unwrap();
    let reply = read_reply(&mut conn);
    assert_error(
        &reply,
        413,
        "RequestEntityTooLarge",
        "Request body is too large.",
    );
    rt.block_on(server.shutdown());
}

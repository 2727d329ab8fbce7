//! `aws-chunked` uploads as the AWS SDK for JavaScript v3 (`@aws-sdk/client-s3`) streams them
//! (`STREAMING-UNSIGNED-PAYLOAD-TRAILER` with a CRC32 or SHA-256 trailer), recorded by
//! `crates/keyturn-cli/tests/clients/node/capture-s3-uploads.mjs` (committed in
//! `tests/data/s3_js_uploads.json`), verified incrementally in pieces of any size and at awkward
//! cuts, and refused when altered. A live test runs the capture again when Node.js and that
//! directory's `node_modules` (with `@aws-sdk/client-s3`) are there; else it prints `skipped:`.

#![allow(clippy::panic, reason = "test helpers fail loudly")]

use std::path::PathBuf;
use std::process::Command;

use keyturn_sigv4::{ChunkError, StreamingPayload};

#[path = "support/uploads.rs"]
mod uploads;

use uploads::*;

fn recorded() -> Vec<Upload> {
    parse(include_bytes!("data/s3_js_uploads.json"))
}

/// What the JS SDK streams: an unsigned payload with one trailing checksum; then the shared
/// checks.
fn check_all_js(uploads: &[Upload]) {
    for u in uploads {
        assert_eq!(
            StreamingPayload::parse(u.header("x-amz-content-sha256")),
            Some(StreamingPayload::UnsignedWithTrailer),
            "{}",
            u.source
        );
        assert_eq!(u.header("content-encoding"), "aws-chunked");
        let (_, trailers) =
            run(u.body_verifier(), &u.body, 1000).unwrap_or_else(|e| panic!("{}: {e}", u.source));
        assert_eq!(trailers.len(), 1);
        assert_eq!(trailers[0].0, u.header("x-amz-trailer"));
    }
    check_all(uploads);
}

#[test]
fn recorded_js_sdk_uploads_verify_in_pieces_of_any_size() {
    let uploads = recorded();
    assert_eq!(uploads.len(), 3);
    check_all_js(&uploads);
}

#[test]
fn altered_js_sdk_uploads_are_refused() {
    for u in recorded() {
        let b = u.body_verifier();
        if !u.content.is_empty() {
            let mut body = u.body.clone();
            let first = body.iter().position(|&c| c == b'\n').unwrap_or(0) + 1;
            body[first + 3] ^= 1;
            assert!(
                matches!(
                    run(b.clone(), &body, 100),
                    Err(ChunkError::ChecksumMismatch(_))
                ),
                "{}",
                u.source
            );
        }
        assert_eq!(
            run(b.clone(), &u.body[..u.body.len() - 3], 100).err(),
            Some(ChunkError::IncompleteBody),
            "{}",
            u.source
        );
        // The trailing checksum changed (its first base64 character).
        let name = format!("{}:", u.header("x-amz-trailer"));
        let at = u
            .body
            .windows(name.len())
            .position(|w| w == name.as_bytes())
            .map_or(0, |i| i + name.len());
        let mut body = u.body.clone();
        body[at] = if body[at] == b'A' { b'B' } else { b'A' };
        assert!(
            matches!(
                run(b.clone(), &body, 100),
                Err(ChunkError::ChecksumMismatch(_))
            ),
            "{}",
            u.source
        );
        // Headers as signed: the decoded length changed fails the seed signature.
        let mut u = u;
        for (n, v) in &mut u.headers {
            if n.eq_ignore_ascii_case("x-amz-decoded-content-length") {
                *v = b"7".to_vec();
            }
        }
        assert!(u.verify(&verifier(true)).is_err(), "{}", u.source);
    }
}

#[test]
fn live_js_sdk_uploads() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../keyturn-cli/tests/clients/node");
    if !dir.join("node_modules/@aws-sdk/client-s3").is_dir() {
        eprintln!(
            "skipped: no node_modules with @aws-sdk/client-s3 in {}",
            dir.display()
        );
        return;
    }
    let out = match Command::new("node")
        .current_dir(&dir)
        .arg("capture-s3-uploads.mjs")
        .args([AKID, SECRET])
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: node: {e}");
            return;
        }
    };
    assert!(
        out.status.success(),
        "capture failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let uploads = parse(&out.stdout);
    assert_eq!(uploads.len(), 3);
    check_all_js(&uploads);
}

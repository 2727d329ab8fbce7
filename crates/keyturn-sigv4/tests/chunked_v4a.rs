//! SigV4a `aws-chunked` bodies, verified incrementally: uploads recorded by
//! `tests/clients/capture_s3_v4a_uploads.py` (committed in `tests/data/s3_v4a_uploads.json`):
//! boto3's S3 client with `signature_version="s3v4a"` (awscrt signs; over TLS it streams
//! `STREAMING-UNSIGNED-PAYLOAD-TRAILER`), and `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]`
//! uploads whose seed awscrt signs and whose chunks the script signs as aws-c-auth does (DER
//! hex padded with `*` to 144 characters). A live test runs the script again when the client
//! venv (or `KEYTURN_PYTHON`) has awscrt; without it, it prints a `skipped:` line.

#![allow(clippy::panic, reason = "test helpers fail loudly")]

use keyturn_sigv4::{ChunkError, ChunkedBody, SigV4Error, StreamingPayload, VerifyError};

#[path = "support/uploads.rs"]
mod uploads;

use uploads::*;

fn recorded() -> Vec<Upload> {
    parse(include_bytes!("data/s3_v4a_uploads.json"))
}

fn kinds(uploads: &[Upload]) -> Vec<StreamingPayload> {
    uploads
        .iter()
        .filter_map(|u| StreamingPayload::parse(u.header("x-amz-content-sha256")))
        .collect()
}

#[test]
fn recorded_v4a_uploads_verify_in_pieces_of_any_size() {
    let uploads = recorded();
    assert_eq!(
        kinds(&uploads),
        [
            StreamingPayload::UnsignedWithTrailer,
            StreamingPayload::UnsignedWithTrailer,
            StreamingPayload::SignedChunksV4a,
            StreamingPayload::SignedChunksWithTrailerV4a,
            StreamingPayload::SignedChunksWithTrailerV4a,
        ]
    );
    check_all(&uploads);
}

/// The index of the first byte of the first chunk's data.
fn first_data(body: &[u8]) -> usize {
    body.iter().position(|&c| c == b'\n').unwrap_or(0) + 1
}

#[test]
fn altered_v4a_uploads_are_refused() {
    for u in recorded() {
        let b = u.body_verifier();
        let signed = b.payload().signed();
        let text = &u.body;
        if !u.content.is_empty() {
            // One data byte changed: the chunk's signature, or the checksum, fails.
            let mut body = u.body.clone();
            body[first_data(&u.body) + 2] ^= 1;
            let err = run(b.clone(), &body, 100).err();
            if signed {
                assert_eq!(err, Some(ChunkError::SignatureMismatch), "{}", u.source);
            } else {
                assert!(
                    matches!(err, Some(ChunkError::ChecksumMismatch(_))),
                    "{}: {err:?}",
                    u.source
                );
            }
        }
        if signed {
            // A chunk signature changed (one hex digit), or its padding dropped and a digit cut.
            let i = find(text, b"chunk-signature=").unwrap_or(0) + 16 + 20;
            let mut body = u.body.clone();
            body[i] = if body[i] == b'0' { b'1' } else { b'0' };
            assert_eq!(
                run(b.clone(), &body, 100).err(),
                Some(ChunkError::SignatureMismatch),
                "{}",
                u.source
            );
            let star = i + find(&text[i..], b"*").unwrap_or(0);
            let mut short = text.clone();
            short.remove(star - 1);
            assert_eq!(
                run(b.clone(), &short, 100).err(),
                Some(ChunkError::SignatureMismatch),
                "{}",
                u.source
            );
            // Another algorithm's signature shape (64 hex digits) is no SigV4a signature.
            let end = i + find(&text[i..], b"\r\n").unwrap_or(0);
            let mut body = text[..i - 20].to_vec();
            body.extend_from_slice("ab".repeat(32).as_bytes());
            body.extend_from_slice(&text[end..]);
            assert_eq!(
                run(b.clone(), &body, 100).err(),
                Some(ChunkError::SignatureMismatch),
                "{}",
                u.source
            );
        }
        // Truncated: the body stops before its end.
        assert_eq!(
            run(b.clone(), &u.body[..u.body.len() - 3], 100).err(),
            Some(ChunkError::IncompleteBody),
            "{}",
            u.source
        );
        if b.payload().has_trailer() {
            // A wrong trailing checksum: the trailer signature fails (signed), or the checksum.
            let name = u.header("x-amz-trailer").to_ascii_lowercase();
            let changed = replace(
                text,
                format!("{name}:").as_bytes(),
                format!("{name}:AAAA").as_bytes(),
            );
            let err = run(b.clone(), &changed, 100).err();
            if signed {
                assert_eq!(err, Some(ChunkError::SignatureMismatch), "{}", u.source);
            } else {
                assert!(
                    matches!(err, Some(ChunkError::ChecksumMismatch(_))),
                    "{}: {err:?}",
                    u.source
                );
            }
        }
    }
}

#[test]
fn v4a_chunked_needs_allow_chunked_and_the_signed_headers() {
    for u in recorded() {
        // Not allowed: the streaming literal is no payload hash.
        assert!(
            matches!(
                u.verify(&verifier(false)),
                Err(VerifyError::SigV4(SigV4Error::InvalidContentSha256))
            ),
            "{}",
            u.source
        );
        // The decoded length is signed: changed, the seed signature fails.
        let mut u = u;
        for (n, v) in &mut u.headers {
            if n.eq_ignore_ascii_case("x-amz-decoded-content-length") {
                *v = b"1".to_vec();
            }
        }
        assert!(
            matches!(
                u.verify(&verifier(true)),
                Err(VerifyError::SigV4(SigV4Error::SignatureMismatch))
            ),
            "{}",
            u.source
        );
    }
}

#[test]
fn a_sigv4a_literal_under_sigv4_is_refused() {
    // A SigV4 body verifier for a SigV4a payload (and the reverse) is refused at construction.
    let key = keyturn_sigv4::SigningKey::from_bytes(b"k");
    let err = ChunkedBody::new(
        StreamingPayload::SignedChunksV4a,
        Some((
            key,
            "20130524T000000Z",
            "20130524/us-east-1/s3/aws4_request",
            [0; 32],
        )),
        None,
        None,
    )
    .err();
    assert!(matches!(err, Some(ChunkError::Malformed(_))), "{err:?}");
}

#[test]
fn live_v4a_uploads_from_boto3_and_awscrt() {
    let Some(uploads) = capture("capture_s3_v4a_uploads.py", "awscrt, boto3, cryptography") else {
        return;
    };
    assert_eq!(uploads.len(), 5);
    check_all(&uploads);
}

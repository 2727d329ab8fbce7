//! `aws-chunked` bodies, verified incrementally: uploads captured from boto3's S3 client (over
//! TLS it streams `STREAMING-UNSIGNED-PAYLOAD-TRAILER` with a trailing checksum; a self-signed
//! loopback listener records them, `tests/clients/capture_s3_uploads.py`), and signed-chunk
//! uploads (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`, which botocore does not send) signed
//! here by an independent implementation of the chunk signatures over the `hmac` crate.
//!
//! The capture needs the client-test venv (`make target/venv/.installed`; or `KEYTURN_PYTHON`
//! naming a Python with boto3, awscrt and cryptography); without it those tests print a
//! `skipped:` line.

#![allow(clippy::panic, reason = "test helpers fail loudly")]

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use keyturn_sigv4::canonical::{CanonicalParts, canonical_request_string};
use keyturn_sigv4::sign::string_to_sign;
use keyturn_sigv4::{
    ChunkError, ChunkedBody, HttpRequest, SigV4Error, SigningKey, SigningSecret, SigningSettings,
    StreamingPayload, Verifier, VerifyError,
};
use sha2::{Digest, Sha256};

#[path = "support/uploads.rs"]
mod uploads;

use uploads::*;

/// The shared S3 verifier, unsigned payloads allowed too.
fn verifier(allow_chunked: bool) -> Verifier {
    let mut c = config(allow_chunked);
    c.allow_unsigned_payload = true;
    Verifier::new(c)
}

/// boto3's uploads, captured; `None` (after a `skipped:` line) without the venv.
fn captured() -> Option<Vec<Upload>> {
    capture("capture_s3_uploads.py", "boto3, cryptography")
}

#[test]
fn boto3_uploads_verify_in_pieces_of_any_size() {
    let Some(uploads) = captured() else {
        return;
    };
    assert_eq!(uploads.len(), 5);
    for u in &uploads {
        assert_eq!(
            u.header("x-amz-content-sha256"),
            StreamingPayload::UnsignedWithTrailer.literal()
        );
        let b = u.body_verifier_with(&verifier(true));
        let trailer = u.header("x-amz-trailer");
        for piece in [1, 2, 7, 64, 4096, 65_536, usize::MAX] {
            let (decoded, trailers) = run(b.clone(), &u.body, piece)
                .unwrap_or_else(|e| panic!("{trailer} in pieces of {piece}: {e}"));
            assert!(decoded == u.content, "{trailer}, pieces of {piece}");
            assert_eq!(trailers.len(), 1);
            assert_eq!(trailers[0].0, trailer);
        }
    }
}

#[test]
fn boto3_uploads_altered_are_refused() {
    let Some(uploads) = captured() else {
        return;
    };
    for u in &uploads {
        let b = u.body_verifier_with(&verifier(true));
        let name = |u: &Upload| {
            let t = u.header("x-amz-trailer");
            t.trim_start_matches("x-amz-checksum-").to_ascii_uppercase()
        };
        // One data byte changed: the checksum differs (the first chunk's data starts after its
        // size line).
        if !u.content.is_empty() {
            let mut body = u.body.clone();
            let at = body.iter().position(|&c| c == b'\n').unwrap_or(0) + 1;
            body[at] ^= 1;
            match run(b.clone(), &body, 1000) {
                Err(ChunkError::ChecksumMismatch(n)) => assert_eq!(n, name(u)),
                other => panic!("{other:?}"),
            }
        }
        // Cut short, or cut inside the trailer.
        for cut in [3, 20] {
            let body = &u.body[..u.body.len() - cut];
            let r = run(b.clone(), body, 1000);
            assert!(
                matches!(
                    r,
                    Err(ChunkError::IncompleteBody | ChunkError::ChecksumMismatch(_))
                ),
                "{r:?}"
            );
        }
        // Data after the end, and a broken chunk-size line.
        let mut longer = u.body.clone();
        longer.extend_from_slice(b"0\r\n");
        assert_eq!(
            run(b.clone(), &longer, 1000).err(),
            Some(ChunkError::Malformed("data after the final chunk"))
        );
        let mut broken = u.body.clone();
        broken[0] = b'g';
        assert_eq!(
            run(b.clone(), &broken, 1000).err(),
            Some(ChunkError::Malformed("invalid chunk size"))
        );
        // Where chunked payloads are not allowed, the header is refused.
        match u.verify(&verifier(false)) {
            Err(VerifyError::SigV4(SigV4Error::InvalidContentSha256)) => {}
            other => panic!("{:?}", other.map(|b| b.is_some())),
        }
    }
}

const AMZ: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = hmac::Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|e| panic!("{e}"));
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// The SigV4 signing key, derived here from the specification (not with the crate's code).
fn signing_key() -> Vec<u8> {
    let k = hmac(format!("AWS4{SECRET}").as_bytes(), b"20130524");
    let k = hmac(&k, b"us-east-1");
    let k = hmac(&k, b"s3");
    hmac(&k, b"aws4_request")
}

/// A signed-chunk upload of `content` in chunks of `chunk` bytes, with a SHA-256 trailer when
/// `trailer`; `alter` may change the signed pieces before the body is assembled.
fn signed_upload(content: &[u8], chunk: usize, trailer: bool) -> Upload {
    let kind = if trailer {
        StreamingPayload::SignedChunksWithTrailer
    } else {
        StreamingPayload::SignedChunks
    };
    let mut headers: Vec<(String, Vec<u8>)> = vec![
        ("Content-Encoding".into(), b"aws-chunked".to_vec()),
        ("Host".into(), b"s3.amazonaws.com".to_vec()),
        (
            "x-amz-content-sha256".into(),
            kind.literal().as_bytes().to_vec(),
        ),
        ("x-amz-date".into(), AMZ.as_bytes().to_vec()),
        (
            "x-amz-decoded-content-length".into(),
            content.len().to_string().into_bytes(),
        ),
    ];
    if trailer {
        headers.push(("x-amz-trailer".into(), b"x-amz-checksum-sha256".to_vec()));
    }
    let names: Vec<String> = headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    let signed_headers = names.join(";");
    // The seed signature, through the crate's public canonicalisation.
    let view: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let parts = CanonicalParts {
        request: HttpRequest {
            method: "PUT",
            path: "/examplebucket/chunkObject.txt",
            query: "",
            headers: &view,
            body: b"",
        },
        signed_headers: &signed_headers,
        payload_hash: kind.literal(),
        settings: SigningSettings::s3(),
    };
    let creq = canonical_request_string(&parts, |_| false).unwrap_or_else(|e| panic!("{e}"));
    let sts = string_to_sign(AMZ, SCOPE, creq.as_bytes());
    let seed = hex::encode(hmac(&signing_key(), sts.as_bytes()));
    let derived = SigningKey::derive(&SigningSecret::new(SECRET), "20130524", "us-east-1", "s3");
    assert_eq!(hex::encode(derived.sign(sts.as_bytes())), seed);
    headers.push((
        "Authorization".into(),
        format!("AWS4-HMAC-SHA256 Credential={AKID}/{SCOPE}, SignedHeaders={signed_headers}, Signature={seed}")
            .into_bytes(),
    ));
    // The chunks, each signature chaining the previous one; then the final empty chunk.
    let mut body = Vec::new();
    let mut previous = seed;
    for data in content.chunks(chunk.max(1)).chain([&b""[..]]) {
        let sts = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{AMZ}\n{SCOPE}\n{previous}\n{EMPTY_SHA256}\n{}",
            hex::encode(Sha256::digest(data))
        );
        previous = hex::encode(hmac(&signing_key(), sts.as_bytes()));
        body.extend_from_slice(
            format!("{:x};chunk-signature={previous}\r\n", data.len()).as_bytes(),
        );
        body.extend_from_slice(data);
        if !data.is_empty() {
            body.extend_from_slice(b"\r\n");
        }
    }
    if trailer {
        let value = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(content));
        let line = format!("x-amz-checksum-sha256:{value}\n");
        let sts = format!(
            "AWS4-HMAC-SHA256-TRAILER\n{AMZ}\n{SCOPE}\n{previous}\n{}",
            hex::encode(Sha256::digest(line.as_bytes()))
        );
        let sig = hex::encode(hmac(&signing_key(), sts.as_bytes()));
        body.extend_from_slice(format!("x-amz-checksum-sha256:{value}\r\n").as_bytes());
        body.extend_from_slice(format!("x-amz-trailer-signature:{sig}\r\n").as_bytes());
    }
    body.extend_from_slice(b"\r\n");
    Upload {
        source: format!("signed, chunks of {chunk}, trailer {trailer}"),
        path: "/examplebucket/chunkObject.txt".into(),
        headers,
        body,
        content: content.to_vec(),
    }
}

fn verify_at_amz(u: &Upload) -> ChunkedBody {
    u.body_verifier_with(&verifier(true))
}

#[test]
fn signed_chunks_verify_in_pieces_of_any_size() {
    // AWS's example shape: 64 KiB chunks of 'a', then the rest.
    let content = vec![b'a'; 66_560];
    for trailer in [false, true] {
        for chunk in [65_536, 1000, 1] {
            let content = &content[..if chunk == 1 { 50 } else { content.len() }];
            let u = signed_upload(content, chunk, trailer);
            let b = verify_at_amz(&u);
            assert_eq!(b.payload().literal(), u.header("x-amz-content-sha256"));
            for piece in [1, 5, 8192, usize::MAX] {
                let (decoded, trailers) = run(b.clone(), &u.body, piece).unwrap_or_else(|e| {
                    panic!("trailer {trailer}, chunk {chunk}, piece {piece}: {e}")
                });
                assert!(decoded == content);
                assert_eq!(trailers.len(), usize::from(trailer));
            }
        }
    }
    // An empty object: the final chunk alone.
    let u = signed_upload(b"", 10, true);
    assert_eq!(run(verify_at_amz(&u), &u.body, 3).map(|r| r.0.len()), Ok(0));
}

#[test]
fn signed_chunks_altered_are_refused() {
    // ASCII, so that the body can be cut and spliced as text below.
    let content: Vec<u8> = b"abcdefghijklmnopqrstuvwxyz".repeat(116);
    for trailer in [false, true] {
        let u = signed_upload(&content, 1000, trailer);
        let b = verify_at_amz(&u);
        // One data byte changed: that chunk's signature fails.
        let mut body = u.body.clone();
        let at = body.iter().position(|&c| c == b'\n').unwrap_or(0) + 10;
        body[at] ^= 1;
        assert_eq!(
            run(b.clone(), &body, 100).err(),
            Some(ChunkError::SignatureMismatch)
        );
        // The first two chunks swapped (each keeps its own signature): the chain breaks.
        let first = u.body.windows(2).position(|w| w == b"\r\n").unwrap_or(0);
        let text = String::from_utf8_lossy(&u.body).into_owned();
        let chunks: Vec<&str> = text.split_inclusive("\r\n").collect();
        assert!(first > 0 && chunks.len() > 4);
        let swapped: String = [chunks[2], chunks[3], chunks[0], chunks[1]]
            .into_iter()
            .chain(chunks[4..].iter().copied())
            .collect();
        assert_eq!(
            run(b.clone(), swapped.as_bytes(), 100).err(),
            Some(ChunkError::SignatureMismatch)
        );
        // A chunk without its signature.
        let unsigned = text.replacen(";chunk-signature=", ";x=", 1);
        assert_eq!(
            run(b.clone(), unsigned.as_bytes(), 100).err(),
            Some(ChunkError::SignatureMismatch)
        );
        // The final chunk missing.
        let cut = text.rfind("0;chunk-signature=").unwrap_or(text.len());
        assert_eq!(
            run(b.clone(), &u.body[..cut], 100).err(),
            Some(ChunkError::IncompleteBody)
        );
        if trailer {
            // The trailer's checksum changed: its signature fails first.
            let changed = text.replacen("x-amz-checksum-sha256:", "x-amz-checksum-sha256:A", 1);
            assert_eq!(
                run(b.clone(), changed.as_bytes(), 100).err(),
                Some(ChunkError::SignatureMismatch)
            );
        }
    }
    // More data than announced (a chunk of 3024 bytes where 3016 are announced) is refused as
    // soon as it arrives, before it is handed on.
    let mut b = verify_at_amz(&signed_upload(&content, 4000, false));
    let mut over = Vec::new();
    over.extend_from_slice(b"bd0;chunk-signature=");
    over.extend_from_slice(&[b'0'; 64]);
    over.extend_from_slice(b"\r\n");
    over.extend_from_slice(&vec![b'a'; 3016 + 8]);
    let mut handed = 0;
    assert_eq!(
        b.feed(&over, &mut |d| handed += d.len()),
        Err(ChunkError::Malformed(
            "more data than x-amz-decoded-content-length"
        ))
    );
    assert_eq!(handed, 0);
    // The decoded length is signed in the headers: changed, the seed signature fails.
    let mut u = signed_upload(&content, 1000, false);
    for (n, v) in &mut u.headers {
        if n == "x-amz-decoded-content-length" {
            *v = b"2999".to_vec();
        }
    }
    assert!(matches!(
        u.verify(&verifier(true)),
        Err(VerifyError::SigV4(SigV4Error::SignatureMismatch))
    ));
}

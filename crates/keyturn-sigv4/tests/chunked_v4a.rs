//! SigV4a `aws-chunked` bodies, verified incrementally: uploads recorded by
//! `tests/clients/capture_s3_v4a_uploads.py` (committed in `tests/data/s3_v4a_uploads.json`):
//! boto3's S3 client with `signature_version="s3v4a"` (awscrt signs; over TLS it streams
//! `STREAMING-UNSIGNED-PAYLOAD-TRAILER`), and `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]`
//! uploads whose seed awscrt signs and whose chunks the script signs as aws-c-auth does (DER
//! hex padded with `*` to 144 characters). A live test runs the script again when the client
//! venv (or `KEYTURN_PYTHON`) has awscrt; without it, it prints a `skipped:` line.

#![allow(clippy::panic, reason = "test helpers fail loudly")]

use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use keyturn_sigv4::{
    AmzDate, ChunkError, ChunkedBody, CredentialLookup, HttpRequest, SigV4Error, SigningSecret,
    SigningSettings, StreamingPayload, Verifier, VerifierConfig, VerifyError,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct OneKey;

impl CredentialLookup for OneKey {
    type Error = ();
    type Identity = ();
    fn lookup(&self, key: &str, _: Option<&str>) -> Result<(SigningSecret, ()), ()> {
        if key == AKID {
            Ok((SigningSecret::new(SECRET), ()))
        } else {
            Err(())
        }
    }
}

fn verifier(allow_chunked: bool) -> Verifier {
    let mut c = VerifierConfig::new("s3").with_region("us-east-1");
    c.settings = SigningSettings::s3();
    c.allow_chunked = allow_chunked;
    Verifier::new(c)
}

struct Upload {
    source: String,
    path: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    content: Vec<u8>,
}

impl Upload {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
            .unwrap_or_default()
    }

    fn verify(&self, v: &Verifier) -> Result<Option<ChunkedBody>, VerifyError<()>> {
        let amz = AmzDate::parse(self.header("x-amz-date")).unwrap_or_else(|| panic!("date"));
        let now = amz.to_offset_date_time().unwrap_or_else(|| panic!("date"));
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        let req = HttpRequest {
            method: "PUT",
            path: &self.path,
            query: "",
            headers: &headers,
            body: &self.body,
        };
        v.verify(&req, &OneKey, now).map(|ok| ok.chunked)
    }

    fn body_verifier(&self) -> ChunkedBody {
        match self.verify(&verifier(true)) {
            Ok(Some(b)) => b,
            other => panic!("{}: {:?}", self.source, other.map(|b| b.is_some())),
        }
    }
}

fn parse(json: &[u8]) -> Vec<Upload> {
    let v: serde_json::Value =
        serde_json::from_slice(json).unwrap_or_else(|e| panic!("uploads: {e}"));
    let b64 = |x: &serde_json::Value| {
        base64::engine::general_purpose::STANDARD
            .decode(x.as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    v.as_array()
        .unwrap_or_else(|| panic!("uploads"))
        .iter()
        .map(|u| Upload {
            source: u["source"].as_str().unwrap_or_default().to_owned(),
            path: u["path"].as_str().unwrap_or_default().to_owned(),
            headers: u["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|h| {
                    (
                        h[0].as_str().unwrap_or_default().to_owned(),
                        h[1].as_str().unwrap_or_default().as_bytes().to_vec(),
                    )
                })
                .collect(),
            body: b64(&u["body"]),
            content: b64(&u["content"]),
        })
        .collect()
}

fn recorded() -> Vec<Upload> {
    parse(include_bytes!("data/s3_v4a_uploads.json"))
}

type Decoded = (Vec<u8>, Vec<(String, String)>);

fn run(mut b: ChunkedBody, body: &[u8], piece: usize) -> Result<Decoded, ChunkError> {
    let mut decoded = Vec::new();
    for part in body.chunks(piece.max(1)) {
        b.feed(part, &mut |d| decoded.extend_from_slice(d))?;
    }
    let trailers = b.finish()?;
    Ok((decoded, trailers))
}

/// Feeds the body in two pieces, cut at `at`.
fn run_cut(b: ChunkedBody, body: &[u8], at: usize) -> Result<Decoded, ChunkError> {
    let mut b = b;
    let mut decoded = Vec::new();
    let (head, tail) = body.split_at(at.min(body.len()));
    b.feed(head, &mut |d| decoded.extend_from_slice(d))?;
    b.feed(tail, &mut |d| decoded.extend_from_slice(d))?;
    let trailers = b.finish()?;
    Ok((decoded, trailers))
}

/// The offset of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `hay` with the first `from` replaced by `to`.
fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = hay.to_vec();
    if let Some(i) = find(hay, from) {
        out.splice(i..i + from.len(), to.iter().copied());
    }
    out
}

fn kinds(uploads: &[Upload]) -> Vec<StreamingPayload> {
    uploads
        .iter()
        .filter_map(|u| StreamingPayload::parse(u.header("x-amz-content-sha256")))
        .collect()
}

fn check_all(uploads: &[Upload]) {
    for u in uploads {
        let b = u.body_verifier();
        assert_eq!(b.payload().literal(), u.header("x-amz-content-sha256"));
        for piece in [1, 7, 144, 1000, usize::MAX] {
            let (decoded, trailers) = run(b.clone(), &u.body, piece)
                .unwrap_or_else(|e| panic!("{} piece {piece}: {e}", u.source));
            assert!(decoded == u.content, "{}", u.source);
            let want = u.header("x-amz-trailer").to_ascii_lowercase();
            assert_eq!(
                trailers.iter().any(|(n, _)| *n == want),
                b.payload().has_trailer(),
                "{}",
                u.source
            );
        }
        // Cut inside a chunk header, inside a (padded) signature, inside the trailer.
        let text = &u.body;
        let mut cuts = vec![1, 3];
        if let Some(i) = find(text, b"chunk-signature=") {
            cuts.extend([i + 5, i + 16 + 40, i + 16 + 140]);
        }
        if let Some(i) = find(text, b"x-amz-checksum-") {
            cuts.extend([i + 4, i + 25]);
        }
        if let Some(i) = find(text, b"x-amz-trailer-signature:") {
            cuts.extend([i + 30, i + 24 + 143]);
        }
        for at in cuts {
            let (decoded, _) = run_cut(b.clone(), &u.body, at)
                .unwrap_or_else(|e| panic!("{} at {at}: {e}", u.source));
            assert!(decoded == u.content, "{} at {at}", u.source);
        }
    }
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

fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KEYTURN_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/venv/bin/python");
    venv.is_file().then_some(venv)
}

#[test]
fn live_v4a_uploads_from_boto3_and_awscrt() {
    let Some(python) = python() else {
        eprintln!("skipped: no client-test venv (target/venv) or KEYTURN_PYTHON");
        return;
    };
    let has_crt = Command::new(&python)
        .args(["-c", "import awscrt, boto3, cryptography"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_crt {
        eprintln!("skipped: {} has no awscrt", python.display());
        return;
    }
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/capture_s3_v4a_uploads.py");
    let out = Command::new(&python)
        .arg(script)
        .args([AKID, SECRET])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    assert!(
        out.status.success(),
        "capture failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let uploads = parse(&out.stdout);
    assert_eq!(uploads.len(), 5);
    check_all(&uploads);
}

//! `aws-chunked` uploads as the AWS SDK for JavaScript v3 (`@aws-sdk/client-s3`) streams them
//! (`STREAMING-UNSIGNED-PAYLOAD-TRAILER` with a CRC32 or SHA-256 trailer), recorded by
//! `crates/keyturn-cli/tests/clients/node/capture-s3-uploads.mjs` (committed in
//! `tests/data/s3_js_uploads.json`), verified incrementally in pieces of any size and at awkward
//! cuts, and refused when altered. A live test runs the capture again when Node.js and that
//! directory's `node_modules` (with `@aws-sdk/client-s3`) are there; else it prints `skipped:`.

#![allow(clippy::panic, reason = "test helpers fail loudly")]

use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use keyturn_sigv4::{
    AmzDate, ChunkError, ChunkedBody, CredentialLookup, HttpRequest, SigningSecret,
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
        let (path, query) = self.path.split_once('?').unwrap_or((&self.path, ""));
        let req = HttpRequest {
            method: "PUT",
            path,
            query,
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
    parse(include_bytes!("data/s3_js_uploads.json"))
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

fn check_all(uploads: &[Upload]) {
    for u in uploads {
        assert_eq!(
            StreamingPayload::parse(u.header("x-amz-content-sha256")),
            Some(StreamingPayload::UnsignedWithTrailer),
            "{}",
            u.source
        );
        assert_eq!(u.header("content-encoding"), "aws-chunked");
        let b = u.body_verifier();
        for piece in [1, 7, 1000, usize::MAX] {
            let (decoded, trailers) = run(b.clone(), &u.body, piece)
                .unwrap_or_else(|e| panic!("{} piece {piece}: {e}", u.source));
            assert!(decoded == u.content, "{}", u.source);
            assert_eq!(trailers.len(), 1);
            assert_eq!(trailers[0].0, u.header("x-amz-trailer"));
        }
        // Cut inside the first size line, inside the trailer's name and inside its value.
        let trailer_at = u.body.windows(15).position(|w| w == b"x-amz-checksum-");
        let mut cuts = vec![1, 3];
        if let Some(i) = trailer_at {
            cuts.extend([i + 5, i + 24]);
        }
        for at in cuts {
            let (decoded, _) = run_cut(b.clone(), &u.body, at)
                .unwrap_or_else(|e| panic!("{} at {at}: {e}", u.source));
            assert!(decoded == u.content, "{} at {at}", u.source);
        }
    }
}

#[test]
fn recorded_js_sdk_uploads_verify_in_pieces_of_any_size() {
    let uploads = recorded();
    assert_eq!(uploads.len(), 3);
    check_all(&uploads);
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
    check_all(&uploads);
}

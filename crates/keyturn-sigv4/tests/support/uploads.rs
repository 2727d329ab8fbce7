//! What the chunked-upload tests share: one key, the S3 verifier, a recorded upload (the request
//! as received and the object's bytes) with its parsing from the capture scripts' JSON, feeding a
//! body in pieces or at a cut, and the check every recorded upload must pass.

#![allow(dead_code, reason = "each test binary uses its part")]

use std::path::PathBuf;

use base64::Engine as _;
use keyturn_sigv4::{
    AmzDate, ChunkError, ChunkedBody, CredentialLookup, HttpRequest, SigningSecret,
    SigningSettings, Verifier, VerifierConfig, VerifyError,
};

pub const AKID: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The one key the uploads are signed with.
pub struct OneKey;

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

/// S3's verifier settings in `us-east-1`, chunked payloads allowed or not.
pub fn config(allow_chunked: bool) -> VerifierConfig {
    let mut c = VerifierConfig::new("s3").with_region("us-east-1");
    c.settings = SigningSettings::s3();
    c.allow_chunked = allow_chunked;
    c
}

pub fn verifier(allow_chunked: bool) -> Verifier {
    Verifier::new(config(allow_chunked))
}

/// An upload: where it came from, the request as received and the object's bytes.
pub struct Upload {
    pub source: String,
    /// The path, with the query after `?` when it has one.
    pub path: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    pub content: Vec<u8>,
}

impl Upload {
    /// A header's value (`""` when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
            .unwrap_or_default()
    }

    /// Verifies the headers with `v`, the clock at the request's `X-Amz-Date`: the body's
    /// verifier.
    pub fn verify(&self, v: &Verifier) -> Result<Option<ChunkedBody>, VerifyError<()>> {
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

    /// The body's verifier from `v`, which must accept the headers.
    pub fn body_verifier_with(&self, v: &Verifier) -> ChunkedBody {
        match self.verify(v) {
            Ok(Some(b)) => b,
            other => panic!("{}: {:?}", self.source, other.map(|b| b.is_some())),
        }
    }

    pub fn body_verifier(&self) -> ChunkedBody {
        self.body_verifier_with(&verifier(true))
    }
}

/// The uploads in a capture script's JSON: `[{source, path, headers: [[name, value]], body,
/// content}]`, bodies in base64.
pub fn parse(json: &[u8]) -> Vec<Upload> {
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

/// The decoded data and the trailers of a verified body.
pub type Decoded = (Vec<u8>, Vec<(String, String)>);

/// Feeds `body` in pieces of `piece` bytes.
pub fn run(mut b: ChunkedBody, body: &[u8], piece: usize) -> Result<Decoded, ChunkError> {
    let mut decoded = Vec::new();
    for part in body.chunks(piece.max(1)) {
        b.feed(part, &mut |d| decoded.extend_from_slice(d))?;
    }
    let trailers = b.finish()?;
    Ok((decoded, trailers))
}

/// Feeds the body in two pieces, cut at `at`.
pub fn run_cut(b: ChunkedBody, body: &[u8], at: usize) -> Result<Decoded, ChunkError> {
    let (head, tail) = body.split_at(at.min(body.len()));
    let mut b = b;
    let mut decoded = Vec::new();
    b.feed(head, &mut |d| decoded.extend_from_slice(d))?;
    b.feed(tail, &mut |d| decoded.extend_from_slice(d))?;
    let trailers = b.finish()?;
    Ok((decoded, trailers))
}

/// The offset of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `hay` with the first `from` replaced by `to`.
pub fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = hay.to_vec();
    if let Some(i) = find(hay, from) {
        out.splice(i..i + from.len(), to.iter().copied());
    }
    out
}

/// Every recorded upload verifies, whole and in pieces of any size, and cut inside a chunk
/// header, inside a (padded) signature and inside the trailer; the trailer named by
/// `X-Amz-Trailer` arrives when the payload has one.
pub fn check_all(uploads: &[Upload]) {
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

/// Runs the capture script `tests/clients/<script>` with the client-test venv's Python (it must
/// import `modules`): the uploads it records. `None`, after a `skipped:` line, when there is no
/// such Python.
pub fn capture(script: &str, modules: &str) -> Option<Vec<Upload>> {
    let Some(python) = python() else {
        eprintln!("skipped: no client-test venv (target/venv) or KEYTURN_PYTHON");
        return None;
    };
    let has_modules = std::process::Command::new(&python)
        .args(["-c", &format!("import {modules}")])
        .status()
        .is_ok_and(|s| s.success());
    if !has_modules {
        eprintln!("skipped: {} cannot import {modules}", python.display());
        return None;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(script);
    let out = std::process::Command::new(&python)
        .arg(script)
        .args([AKID, SECRET])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    assert!(
        out.status.success(),
        "capture failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(parse(&out.stdout))
}

/// The Python of the client-test venv (or `KEYTURN_PYTHON`), for the live captures.
pub fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KEYTURN_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/venv/bin/python");
    venv.is_file().then_some(venv)
}

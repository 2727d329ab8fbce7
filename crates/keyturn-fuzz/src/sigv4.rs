//! SigV4 and SigV4a: the `Authorization` header and presigned-query parsers, the verifier on
//! arbitrary requests, and sign-then-verify round trips with a known secret so that the
//! verification paths past the parsers run (a request signed here must verify; one with its
//! body or signature changed must not).
//!
//! Input: the first byte picks the mode. Raw: method, path, query, headers and body as the
//! fuzzer gives them, verified under three verifier settings. Parsers: the rest as an
//! `Authorization` value, a presigned query and an `aws-chunked` body. Round trip: a request
//! built from the bytes (printable path, headers and query; any body), signed in the header or
//! the query, SigV4 or SigV4a.

use keyturn_sigv4::auth::PresignParams;
use keyturn_sigv4::{
    AmzDate, AuthorizationHeader, ChunkedBody, CredentialLookup, Credentials, HttpRequest,
    SignatureAlgorithm, SignatureLocation, SigningKeyCache, SigningParams, SigningSecret,
    SigningSettings, StreamingPayload, Verifier, VerifierConfig, sign,
};
use time::OffsetDateTime;

use crate::bytes::Bytes;
use crate::check;

/// The one key the lookup knows.
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// Its secret.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The signing and verification time: the SigV4 test suite's 2015-08-30T12:36:00Z.
pub const NOW: i64 = 1_440_938_160;

/// A lookup that knows [`ACCESS_KEY_ID`].
#[derive(Debug)]
pub struct OneKey;

impl CredentialLookup for OneKey {
    type Error = ();
    type Identity = ();

    fn lookup(
        &self,
        access_key_id: &str,
        _session_token: Option<&str>,
    ) -> Result<(SigningSecret, ()), ()> {
        if access_key_id == ACCESS_KEY_ID {
            Ok((SigningSecret::new(SECRET), ()))
        } else {
            Err(())
        }
    }
}

const METHODS: [&str; 6] = ["POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS"];
const HEADER_NAMES: [&str; 14] = [
    "host",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "x-amz-region-set",
    "content-type",
    "content-encoding",
    "x-amz-decoded-content-length",
    "x-amz-trailer",
    "date",
    "X-Amz-Date",
    "user-agent",
    "x-amz-meta-a",
];

/// The target.
pub fn sigv4(data: &[u8]) {
    let mut input = Bytes::new(data);
    match input.byte() % 4 {
        0 => raw(&mut input),
        1 => parsers(&mut input),
        _ => round_trip(&mut input),
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(NOW).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn verifiers() -> [Verifier; 3] {
    let sts = VerifierConfig::new("sts").with_region("us-east-1");
    let mut s3 = VerifierConfig::new("s3");
    s3.settings = SigningSettings::s3();
    s3.allow_unsigned_payload = true;
    s3.allow_chunked = true;
    let mut lax = VerifierConfig::new("sts");
    lax.allow_unsigned_query_session_token = true;
    [
        Verifier::with_cache(sts, SigningKeyCache::new(4)),
        Verifier::new(s3),
        Verifier::new(lax),
    ]
}

/// Arbitrary requests through three verifiers.
fn raw(input: &mut Bytes<'_>) {
    let method = input.pick(&METHODS).copied().unwrap_or("POST");
    let path = input.text(200);
    let query = input.text(400);
    let count = usize::from(input.byte() % 10);
    let mut headers: Vec<(String, Vec<u8>)> = Vec::with_capacity(count);
    for _ in 0..count {
        let name = if input.flag() {
            input.text(30)
        } else {
            (*input.pick(&HEADER_NAMES).unwrap_or(&"host")).to_owned()
        };
        headers.push((name, input.chunk(250).to_vec()));
    }
    // A seed may be a correctly signed request: only a panic is a failure here.
    with_request(method, &path, &query, &headers, input.rest(), |req| {
        for verifier in verifiers() {
            let _ = verifier.verify(req, &OneKey, now());
        }
    });
}

/// Calls `f` with the request of these parts, the headers held as owned name/value pairs.
pub fn with_request<R>(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, Vec<u8>)],
    body: &[u8],
    f: impl FnOnce(&HttpRequest<'_>) -> R,
) -> R {
    let view: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    f(&HttpRequest {
        method,
        path,
        query,
        headers: &view,
        body,
    })
}

/// The parsers on their own.
fn parsers(input: &mut Bytes<'_>) {
    let has_date = input.flag();
    let which = input.byte();
    let text = input.rest_text();
    let _ = AuthorizationHeader::parse(&text, has_date);
    let _ = PresignParams::parse(&text);
    let payload = match which % 3 {
        0 => "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        1 => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        _ => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    };
    if let Some(payload) = StreamingPayload::parse(payload)
        && let Ok(mut body) = ChunkedBody::new(
            payload,
            Some((
                keyturn_sigv4::SigningKey::derive(
                    &SigningSecret::new(SECRET),
                    "20150830",
                    "us-east-1",
                    "s3",
                ),
                "20150830T123600Z",
                "20150830/us-east-1/s3/aws4_request",
                [0; 32],
            ))
            .filter(|_| !which.is_multiple_of(3)),
            Some("x-amz-checksum-crc32"),
            None,
        )
    {
        let mut decoded = 0usize;
        if body
            .feed(text.as_bytes(), &mut |chunk| decoded += chunk.len())
            .is_ok()
        {
            let _ = body.finish();
        }
    }
}

/// Maps bytes into `allowed` (an empty input gives an empty string).
fn printable(bytes: &[u8], allowed: &[u8]) -> String {
    bytes
        .iter()
        .filter_map(|b| allowed.get(usize::from(*b) % allowed.len().max(1)))
        .map(|b| char::from(*b))
        .collect()
}

const PATH_CHARS: &[u8] = b"abcXYZ019-._~/%+=:@!$&'()*, ";
const QUERY_CHARS: &[u8] = b"abcxyz019=&.~_+ ";
const VALUE_CHARS: &[u8] = b"abcXYZ019 -_.,;:=/\"\t";
const SIGNED_NAMES: [&str; 5] = [
    "content-type",
    "user-agent",
    "x-custom",
    "accept",
    "my-header",
];

/// Signs a request built from the input, verifies it, then changes it and verifies again.
fn round_trip(input: &mut Bytes<'_>) {
    let method = input.pick(&METHODS[..4]).copied().unwrap_or("POST");
    let mut path = printable(input.chunk(60), PATH_CHARS);
    path.insert(0, '/');
    let query = printable(input.chunk(60), QUERY_CHARS);
    let mut headers: Vec<(String, Vec<u8>)> = vec![("host".into(), b"sts.amazonaws.com".to_vec())];
    for _ in 0..input.byte() % 4 {
        let name = (*input.pick(&SIGNED_NAMES).unwrap_or(&"x-custom")).to_owned();
        headers.push((name, printable(input.chunk(40), VALUE_CHARS).into_bytes()));
    }
    let mode = input.byte();
    let v4a = mode & 1 == 1;
    let presigned = mode & 2 == 2;
    let expires = 1 + u64::from(input.u32()) % 604_800;
    let body = input.rest();

    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET);
    let mut params = SigningParams::new(
        &credentials,
        if v4a { "us-east-1,eu-*" } else { "us-east-1" },
        "sts",
        AmzDate::from_unix(NOW),
    );
    if v4a {
        params.algorithm = SignatureAlgorithm::EcdsaP256Sha256;
    }
    if presigned {
        params.location = SignatureLocation::Query {
            expires_in: expires,
        };
    }
    let Ok(signed) = with_request(method, &path, &query, &headers, body, |req| {
        sign(req, &params)
    }) else {
        return;
    };
    let mut all = headers.clone();
    for (k, v) in &signed.headers {
        all.push((k.to_ascii_lowercase(), v.clone().into_bytes()));
    }
    let query = if presigned {
        signed.query.clone()
    } else {
        query
    };
    let view: Vec<(&str, &[u8])> = all
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    let signed_req = HttpRequest {
        method,
        path: &path,
        query: &query,
        headers: &view,
        body,
    };
    let verifier = Verifier::new(VerifierConfig::new("sts").with_region("us-east-1"));
    let verified = verifier.verify(&signed_req, &OneKey, now());
    check::holds(verified.is_ok(), || {
        format!(
            "a request signed here did not verify ({:?}): {signed_req:?}\ncanonical request:\n{}",
            verified.as_ref().err(),
            signed.canonical_request
        )
    });
    // A changed body (signed in header mode) or signature must be refused.
    if !presigned && !body.is_empty() {
        let mut changed = body.to_vec();
        if let Some(first) = changed.first_mut() {
            *first ^= 1;
        }
        let tampered = HttpRequest {
            body: &changed,
            ..signed_req
        };
        check::holds(verifier.verify(&tampered, &OneKey, now()).is_err(), || {
            format!("a request whose body changed after signing verified: {tampered:?}")
        });
    }
    if presigned {
        let flipped = flip_signature(&query);
        let tampered = HttpRequest {
            query: &flipped,
            ..signed_req
        };
        check::holds(verifier.verify(&tampered, &OneKey, now()).is_err(), || {
            format!("a presigned request with another signature verified: {tampered:?}")
        });
    }
}

/// The query with the last hex digit of `X-Amz-Signature` changed.
fn flip_signature(query: &str) -> String {
    let mut parts: Vec<String> = query.split('&').map(str::to_owned).collect();
    for part in &mut parts {
        if part.starts_with("X-Amz-Signature=")
            && let Some(last) = part.pop()
        {
            part.push(if last == '0' { '1' } else { '0' });
        }
    }
    parts.join("&")
}

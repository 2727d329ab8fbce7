//! The client side: signing a request with the `Authorization` header or a presigned query.

use crate::auth::{ALGORITHM, ALGORITHM_V4A, MAX_EXPIRES_SECS, TERMINATOR};
use crate::canonical::{CanonicalParts, SigningSettings, canonical_request_string, uri_encode};
use crate::crypto::{SigningKey, SigningSecret, hex_str, hex32, sha256};
use crate::error::SigV4Error;
use crate::request::HttpRequest;
use crate::time::AmzDate;
use crate::v4a::{V4aSigningKey, string_to_sign_v4a};
use crate::verify::SignatureAlgorithm;

/// Credentials to sign with. `Debug` hides the secret.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The access key id, e.g. `AKIDEXAMPLE`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret: SigningSecret,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
}

impl Credentials {
    /// Long-term credentials (no session token).
    #[must_use]
    pub fn new(access_key_id: impl Into<String>, secret: impl Into<SigningSecret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret: secret.into(),
            session_token: None,
        }
    }

    /// Adds a session token (temporary credentials).
    #[must_use]
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }
}

/// Where the signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureLocation {
    /// `Authorization` (and `X-Amz-Date`) headers.
    Headers,
    /// A presigned query string valid for `expires_in` seconds (at most 604800).
    Query {
        /// `X-Amz-Expires`.
        expires_in: u64,
    },
}

/// Everything a signature depends on besides the request.
#[derive(Debug, Clone)]
pub struct SigningParams<'p> {
    /// Who signs.
    pub credentials: &'p Credentials,
    /// Region of the scope; for SigV4a, the region set (`us-east-1`, `us-*,eu-west-1`, `*`).
    pub region: &'p str,
    /// Service of the scope.
    pub service: &'p str,
    /// The signing time.
    pub time: AmzDate,
    /// Header or query placement.
    pub location: SignatureLocation,
    /// Path rules.
    pub settings: SigningSettings,
    /// In header mode, add and sign `x-amz-content-sha256`.
    pub content_sha256_header: bool,
    /// Sign the session token (`true`, the usual way); `false` adds it after signing, unsigned.
    pub sign_session_token: bool,
    /// SigV4 (the default) or SigV4a.
    pub algorithm: SignatureAlgorithm,
}

impl<'p> SigningParams<'p> {
    /// Header signing with default settings and a signed session token.
    #[must_use]
    pub fn new(
        credentials: &'p Credentials,
        region: &'p str,
        service: &'p str,
        time: AmzDate,
    ) -> Self {
        Self {
            credentials,
            region,
            service,
            time,
            location: SignatureLocation::Headers,
            settings: SigningSettings::default(),
            content_sha256_header: false,
            sign_session_token: true,
            algorithm: SignatureAlgorithm::HmacSha256,
        }
    }
}

/// The result of signing: what to add to the request, plus the intermediate stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// Headers to append to the request, in order (header mode; the token header in both modes
    /// is only added in header mode).
    pub headers: Vec<(&'static str, String)>,
    /// The complete new query string (the original one, then the presign parameters), without `?`.
    pub query: String,
    /// The signature in lower-case hex: 64 digits (SigV4), or a DER-encoded ECDSA signature (SigV4a).
    pub signature: String,
    /// The canonical request that was signed.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

fn encode(s: &str) -> String {
    let mut v = Vec::with_capacity(s.len() + 16);
    uri_encode(&mut v, s.as_bytes(), false);
    String::from_utf8_lossy(&v).into_owned()
}

/// Builds the SigV4 string to sign.
#[must_use]
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &[u8]) -> String {
    let h = hex32(&sha256(canonical_request));
    format!("{ALGORITHM}\n{amz_date}\n{scope}\n{}", hex_str(&h))
}

/// Signs `req` (which must carry a `Host` header).
pub fn sign(
    req: &HttpRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigV4Error> {
    let creds = params.credentials;
    let amz_bytes = params.time.format();
    let amz = String::from_utf8_lossy(&amz_bytes).into_owned();
    let date = &amz[..8];
    let v4a = params.algorithm == SignatureAlgorithm::EcdsaP256Sha256;
    let (algorithm, scope) = if v4a {
        (
            ALGORITHM_V4A,
            format!("{date}/{}/{TERMINATOR}", params.service),
        )
    } else {
        (
            ALGORITHM,
            format!("{date}/{}/{}/{TERMINATOR}", params.region, params.service),
        )
    };
    let credential = format!("{}/{scope}", creds.access_key_id);
    let payload_hex = hex32(&sha256(req.body));
    let payload = hex_str(&payload_hex).to_owned();
    let token = creds.session_token.as_deref();

    let mut extra: Vec<(&'static str, String)> = Vec::new();
    if params.location == SignatureLocation::Headers {
        if let Some(t) = token {
            extra.push(("X-Amz-Security-Token", t.to_owned()));
        }
        extra.push(("X-Amz-Date", amz.clone()));
        if v4a {
            extra.push(("X-Amz-Region-Set", params.region.to_owned()));
        }
        if params.content_sha256_header {
            extra.push(("x-amz-content-sha256", payload.clone()));
        }
    }
    let all: Vec<(&str, &[u8])> = req
        .headers
        .iter()
        .copied()
        .chain(extra.iter().map(|(n, v)| (*n, v.as_bytes())))
        .collect();
    let mut names: Vec<String> = all
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| {
            n != "authorization" && (params.sign_session_token || n != "x-amz-security-token")
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let signed_headers = names.join(";");

    let (query_for_signing, exclude_token) = match params.location {
        SignatureLocation::Headers => (req.query.to_owned(), false),
        SignatureLocation::Query { expires_in } => {
            if expires_in > MAX_EXPIRES_SECS {
                return Err(SigV4Error::ExpiresTooLarge);
            }
            let mut q = presign_prefix(
                req.query,
                algorithm,
                &credential,
                &amz,
                &signed_headers,
                expires_in,
            );
            if let Some(t) = token {
                q.push_str("&X-Amz-Security-Token=");
                q.push_str(&encode(t));
            }
            if v4a {
                q.push_str("&X-Amz-Region-Set=");
                q.push_str(&encode(params.region));
            }
            (q, !params.sign_session_token)
        }
    };
    let parts = CanonicalParts {
        request: HttpRequest {
            query: &query_for_signing,
            headers: &all,
            ..*req
        },
        signed_headers: &signed_headers,
        payload_hash: &payload,
        settings: params.settings,
    };
    let canonical_request =
        canonical_request_string(&parts, |k| exclude_token && k == b"X-Amz-Security-Token")?;
    let (string_to_sign, signature) = if v4a {
        let sts = string_to_sign_v4a(&amz, &scope, canonical_request.as_bytes());
        let failed = || SigV4Error::InvalidRequest("SigV4a signing failed".to_owned());
        let key = V4aSigningKey::derive(&creds.access_key_id, &creds.secret).ok_or_else(failed)?;
        let der = key.sign(sts.as_bytes()).map_err(|_| failed())?;
        (sts, hex::encode(der))
    } else {
        let sts = string_to_sign(&amz, &scope, canonical_request.as_bytes());
        let key = SigningKey::derive(&creds.secret, date, params.region, params.service);
        let sig = hex_str(&hex32(&key.sign(sts.as_bytes()))).to_owned();
        (sts, sig)
    };

    let (headers, query) = match params.location {
        SignatureLocation::Headers => {
            let mut headers = extra;
            headers.push((
                "Authorization",
                format!("{algorithm} Credential={credential}, SignedHeaders={signed_headers}, Signature={signature}"),
            ));
            (headers, req.query.to_owned())
        }
        SignatureLocation::Query { .. } => {
            let mut q = query_for_signing;
            q.push_str("&X-Amz-Signature=");
            q.push_str(&signature);
            (Vec::new(), q)
        }
    };
    Ok(SigningOutput {
        headers,
        query,
        signature,
        canonical_request,
        string_to_sign,
    })
}

/// The original query followed by the presign parameters in the order AWS's signers emit them.
fn presign_prefix(
    query: &str,
    algorithm: &str,
    credential: &str,
    amz: &str,
    signed_headers: &str,
    expires_in: u64,
) -> String {
    let mut q = String::with_capacity(query.len() + 256);
    q.push_str(query);
    if !query.is_empty() {
        q.push('&');
    }
    q.push_str("X-Amz-Algorithm=");
    q.push_str(algorithm);
    q.push_str("&X-Amz-Credential=");
    q.push_str(&encode(credential));
    q.push_str("&X-Amz-Date=");
    q.push_str(amz);
    q.push_str("&X-Amz-SignedHeaders=");
    q.push_str(&encode(signed_headers));
    q.push_str("&X-Amz-Expires=");
    q.push_str(&expires_in.to_string());
    q
}

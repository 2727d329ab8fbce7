//! Server-side verification of SigV4-signed requests (header or presigned query).

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::auth::{
    ALGORITHM, ALGORITHM_V4A, AuthorizationHeader, CredentialScope, PresignParams, TERMINATOR,
    parse_expires, parse_usual,
};
use crate::cache::SigningKeyCache;
use crate::canonical::{
    CanonicalParts, MAX_HEADER_VALUE_LEN, MAX_HEADERS, SigningSettings, signs_host,
    split_once_byte, valid_signed_headers, write_canonical_request,
};
use crate::chunked::{ChunkSigning, ChunkedBody, StreamingPayload};
use crate::crypto::{
    Sha256Stream, SigningKey, SigningSecret, ct_eq32, hex_str, hex32, sha256, unhex32,
};
use crate::error::{SigV4Error, VerifyError};
use crate::swar;
use crate::time::AmzDate;
use crate::v4a::{self, V4aKeyCache};

/// Allowed distance between the request's `X-Amz-Date` and the verifier's clock.
pub const MAX_CLOCK_SKEW_SECS: i64 = 15 * 60;

/// The caller's credential store: maps an access key id (and session token) to a secret.
pub trait CredentialLookup {
    /// The caller's error, e.g. "unknown key" (`InvalidClientTokenId`) or "expired token".
    type Error;
    /// What the caller learns about the signer (an IAM user, an opened session).
    type Identity;
    /// Returns the secret for `access_key_id`, given the session token if the request carried one.
    fn lookup(
        &self,
        access_key_id: &str,
        session_token: Option<&str>,
    ) -> Result<(SigningSecret, Self::Identity), Self::Error>;
}

/// What the verifier needs to know about the service it guards.
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    /// The signing name of the service, e.g. `sts`.
    pub service: String,
    /// The regions this endpoint serves: which credential scopes it accepts.
    pub regions: Regions,
    /// Path normalisation and encoding rules.
    pub settings: SigningSettings,
    /// Accept `X-Amz-Content-Sha256: UNSIGNED-PAYLOAD` (S3-style); otherwise it is rejected.
    pub allow_unsigned_payload: bool,
    /// Accept presigned URLs whose `X-Amz-Security-Token` was added after signing (as in the
    /// suite's `post-sts-header-after`). Costs a second hash on mismatch only.
    pub allow_unsigned_query_session_token: bool,
    /// Accept chunked (`aws-chunked`) payloads in SigV4 and SigV4a header-signed requests
    /// ([`crate::StreamingPayload`]); [`Verified::chunked`] then verifies the body.
    pub allow_chunked: bool,
}

impl VerifierConfig {
    /// A configuration for `service` in any region, with default (non-S3) rules.
    #[must_use]
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            regions: Regions::Any,
            settings: SigningSettings::default(),
            allow_unsigned_payload: false,
            allow_unsigned_query_session_token: false,
            allow_chunked: false,
        }
    }

    /// Restricts the accepted region to one.
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.regions = Regions::Listed(vec![region.into()]);
        self
    }

    /// Restricts the accepted regions.
    #[must_use]
    pub fn with_regions(mut self, regions: Regions) -> Self {
        self.regions = regions;
        self
    }
}

/// The regions a verifier accepts in a credential scope.
#[derive(Debug, Clone, Default)]
pub enum Regions {
    /// Any region.
    #[default]
    Any,
    /// Exactly these names.
    Listed(Vec<String>),
    /// The names this predicate accepts (a partition's naming pattern, say), and these names
    /// besides.
    Matching(fn(&str) -> bool, Vec<String>),
}

impl Regions {
    /// Whether a scope naming `region` is accepted.
    #[must_use]
    pub fn accepts(&self, region: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Listed(names) => names.iter().any(|n| n == region),
            // The listed names first: the common scope is the endpoint's own region.
            Self::Matching(pattern, names) => names.iter().any(|n| n == region) || pattern(region),
        }
    }

    /// For a SigV4a region set (`us-east-1,eu-*`, `*`): the accepted region the set names,
    /// which the request is reported under, or `None` when the set names none. A literal entry
    /// comes first; then a listed name that a wildcard entry covers; with [`Regions::Any`], the
    /// set's first entry as written.
    #[must_use]
    pub fn in_set(&self, region_set: &str) -> Option<String> {
        let entries = || {
            region_set
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
        };
        if let Some(e) = entries().find(|e| !e.contains('*') && self.accepts(e)) {
            return Some(e.to_owned());
        }
        let names: &[String] = match self {
            Self::Any => return entries().next().map(str::to_owned),
            Self::Listed(names) | Self::Matching(_, names) => names,
        };
        names
            .iter()
            .find(|n| crate::v4a::region_set_includes(region_set, n))
            .cloned()
    }
}

/// A verified request: who signed it and for what scope. Borrows from the request where it can
/// (header authentication); presigned values are decoded from the query, hence owned.
#[derive(Debug, Clone)]
pub struct Verified<'a, I> {
    /// The access key id from the credential scope.
    pub access_key_id: Cow<'a, str>,
    /// The session token (header, or decoded from the query), if any.
    pub session_token: Option<Cow<'a, str>>,
    /// Region from the scope; SigV4a: the verifier's region (which the region set includes), or
    /// the set's first entry when the verifier accepts any region.
    pub region: Cow<'a, str>,
    /// Service from the scope.
    pub service: Cow<'a, str>,
    /// The request's `X-Amz-Date`.
    pub date: AmzDate,
    /// The `;`-separated signed header names.
    pub signed_headers: Cow<'a, str>,
    /// Whether the request was presigned (query authentication).
    pub presigned: bool,
    /// The signature's algorithm.
    pub algorithm: SignatureAlgorithm,
    /// SigV4a: the region set as sent (`X-Amz-Region-Set`); `None` for SigV4.
    pub region_set: Option<Cow<'a, str>>,
    /// For a chunked payload (see [`VerifierConfig::allow_chunked`]): the body's verifier,
    /// holding the seed signature and the signing key. The body is verified only once this
    /// has been fed all of it and [`ChunkedBody::finish`] succeeded.
    pub chunked: Option<ChunkedBody>,
    /// What the caller's lookup returned.
    pub identity: I,
}

impl<I> Verified<'_, I> {
    /// The signed header names.
    pub fn signed_header_names(&self) -> impl Iterator<Item = &str> {
        self.signed_headers.split(';')
    }
}

/// The two signature algorithms of Signature Version 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// `AWS4-HMAC-SHA256`: SigV4, scoped to one region.
    HmacSha256,
    /// `AWS4-ECDSA-P256-SHA256`: SigV4a, scoped to a region set.
    EcdsaP256Sha256,
}

/// Verifies SigV4 and SigV4a requests for one service; optionally caches derived keys.
#[derive(Debug)]
pub struct Verifier {
    pub(crate) config: VerifierConfig,
    cache: Option<SigningKeyCache>,
    pub(crate) v4a_cache: Option<V4aKeyCache>,
}

#[derive(Default)]
pub(crate) struct AuthHeaders<'a> {
    authorization: Option<&'a str>,
    pub(crate) date: Option<&'a str>,
    pub(crate) token: Option<&'a str>,
    pub(crate) content_sha256: Option<&'a str>,
    pub(crate) region_set: Option<&'a str>,
}

fn header_str<'a>(name: &str, v: &'a [u8]) -> Result<&'a str, SigV4Error> {
    // These values are all parsed strictly afterwards (date, hex, Authorization grammar) or
    // handed to the caller's lookup (token), so UTF-8 and size are what must hold here.
    if v.len() > MAX_HEADER_VALUE_LEN {
        return Err(SigV4Error::InvalidHeader(name.to_owned()));
    }
    let s = std::str::from_utf8(v).map_err(|_| SigV4Error::InvalidHeader(name.to_owned()))?;
    // `str::trim` decodes characters at both ends; a value that starts and ends with graphic
    // ASCII (none of it Unicode white space) has nothing to trim.
    let graphic = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if graphic(v.first()) && graphic(v.last()) {
        Ok(s)
    } else {
        Ok(s.trim())
    }
}

fn scan_headers<'a>(headers: &'a [(&'a str, &'a [u8])]) -> Result<AuthHeaders<'a>, SigV4Error> {
    if headers.len() > MAX_HEADERS {
        return Err(SigV4Error::InvalidRequest("Too many headers".to_owned()));
    }
    let mut a = AuthHeaders::default();
    for (name, value) in headers {
        // Dispatch on the length first (every header we look for is 10, 13, 16 or 20 bytes
        // long), then compare eight bytes at a time.
        let n = name.as_bytes();
        let is = |want: &[u8]| swar::eq_ignore_ascii_case(n, want);
        let slot = match n.len() {
            13 if is(b"authorization") => &mut a.authorization,
            10 if is(b"x-amz-date") => &mut a.date,
            20 if is(b"x-amz-security-token") => &mut a.token,
            20 if is(b"x-amz-content-sha256") => &mut a.content_sha256,
            16 if is(b"x-amz-region-set") => &mut a.region_set,
            _ => continue,
        };
        if slot.is_some() {
            return Err(SigV4Error::DuplicateAuthParameter((*name).to_owned()));
        }
        *slot = Some(header_str(name, value)?);
    }
    Ok(a)
}

impl Verifier {
    /// A verifier without a key cache (every request derives its key).
    #[must_use]
    pub fn new(config: VerifierConfig) -> Self {
        Self {
            config,
            cache: None,
            v4a_cache: None,
        }
    }

    /// A verifier that caches derived SigV4 keys in `cache`, and SigV4a keys in a cache of
    /// [`V4aKeyCache::default`]'s size (see [`Self::with_v4a_cache`]).
    #[must_use]
    pub fn with_cache(config: VerifierConfig, cache: SigningKeyCache) -> Self {
        Self {
            config,
            cache: Some(cache),
            v4a_cache: Some(V4aKeyCache::default()),
        }
    }

    /// Replaces the SigV4a key cache (`None`: derive the key on every SigV4a request).
    #[must_use]
    pub fn with_v4a_cache(mut self, cache: Option<V4aKeyCache>) -> Self {
        self.v4a_cache = cache;
        self
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// The key cache, if any.
    #[must_use]
    pub fn cache(&self) -> Option<&SigningKeyCache> {
        self.cache.as_ref()
    }

    /// The SigV4a key cache, if any.
    #[must_use]
    pub fn v4a_cache(&self) -> Option<&V4aKeyCache> {
        self.v4a_cache.as_ref()
    }

    /// Calls `f` with the signing key for the scope (cached or derived).
    fn with_signing_key<R>(
        &self,
        secret: &SigningSecret,
        scope: &CredentialScope<'_>,
        mut f: impl FnMut(&SigningKey) -> R,
    ) -> R {
        match &self.cache {
            Some(c) => c.with_key(
                secret,
                scope.access_key_id,
                scope.date,
                scope.region,
                scope.service,
                // By reference: moving the closure's captures (fresh stores) into the call
                // cost a stalled copy.
                &mut f,
            ),
            None => f(&SigningKey::derive(
                secret,
                scope.date,
                scope.region,
                scope.service,
            )),
        }
    }

    fn check_scope(&self, scope: &CredentialScope<'_>, amz_date: &str) -> Result<(), SigV4Error> {
        self.check_scope_fields(scope.terminator, scope.date, amz_date, || {
            if self.config.regions.accepts(scope.region) {
                Ok(())
            } else {
                Err(SigV4Error::WrongRegion(scope.region.to_owned()))
            }
        })?;
        self.check_service(scope.service)
    }

    /// The scope's service must be this verifier's.
    pub(crate) fn check_service(&self, service: &str) -> Result<(), SigV4Error> {
        if service != self.config.service {
            return Err(SigV4Error::WrongService {
                expected: self.config.service.clone(),
                got: service.to_owned(),
            });
        }
        Ok(())
    }

    /// The scope checks in AWS's order: terminator, date, then the region (`region`), then the
    /// service (left to the caller).
    pub(crate) fn check_scope_fields(
        &self,
        terminator: &str,
        scope_date: &str,
        amz_date: &str,
        region: impl FnOnce() -> Result<(), SigV4Error>,
    ) -> Result<(), SigV4Error> {
        if terminator != TERMINATOR {
            return Err(SigV4Error::WrongTerminator(terminator.to_owned()));
        }
        if amz_date.get(..8) != Some(scope_date) {
            return Err(SigV4Error::ScopeDateMismatch {
                scope: scope_date.to_owned(),
                date: amz_date.get(..8).unwrap_or(amz_date).to_owned(),
                amz_date: amz_date.to_owned(),
            });
        }
        region()
    }

    pub(crate) fn check_signed_headers(signed_headers: &str) -> Result<(), SigV4Error> {
        if !valid_signed_headers(signed_headers) {
            return Err(SigV4Error::IncompleteAuthorization(format!(
                "Invalid SignedHeaders: '{signed_headers}'"
            )));
        }
        if !signs_host(signed_headers) {
            return Err(SigV4Error::HostNotSigned);
        }
        Ok(())
    }

    /// The payload hash that goes into the canonical request, checked against the body.
    /// `chunked_ok`: a chunked payload's literal is accepted (its body is verified apart).
    pub(crate) fn payload_hash<'b>(
        &self,
        declared: Option<&'b str>,
        body: &[u8],
        buf: &'b mut [u8; 64],
        chunked_ok: bool,
    ) -> Result<&'b str, SigV4Error> {
        match declared {
            Some("UNSIGNED-PAYLOAD") if self.config.allow_unsigned_payload => {
                Ok("UNSIGNED-PAYLOAD")
            }
            Some(d) if chunked_ok && StreamingPayload::parse(d).is_some() => Ok(d),
            Some(d) => {
                let want = unhex32(d.as_bytes()).ok_or(SigV4Error::InvalidContentSha256)?;
                if want != sha256(body) {
                    return Err(SigV4Error::ContentSha256Mismatch);
                }
                Ok(d)
            }
            None => {
                *buf = hex32(&sha256(body));
                Ok(hex_str(buf))
            }
        }
    }

    /// Verifies `req` at time `now`, looking the key up through `lookup`.
    pub fn verify<'a, L: CredentialLookup>(
        &self,
        req: &HttpRequest<'a>,
        lookup: &L,
        now: OffsetDateTime,
    ) -> Result<Verified<'a, L::Identity>, VerifyError<L::Error>> {
        let headers = scan_headers(req.headers)?;
        // No query, no presigned parameters (the usual POST).
        let presign = if req.query.is_empty() {
            None
        } else {
            PresignParams::parse(req.query)?
        };
        match (headers.authorization, presign) {
            (Some(_), Some(_)) => Err(SigV4Error::AmbiguousAuthentication.into()),
            (None, None) => Err(SigV4Error::MissingAuthentication.into()),
            (Some(auth), None) if v4a::is_v4a_authorization(auth) => {
                self.verify_v4a_header(req, &headers, auth, lookup, now)
            }
            (Some(auth), None) => self.verify_header(req, &headers, auth, lookup, now),
            (None, Some(p)) => self.verify_query(req, &headers, p, lookup, now),
        }
    }

    pub(crate) fn check_time(
        amz: &str,
        date: AmzDate,
        now: OffsetDateTime,
    ) -> Result<(), SigV4Error> {
        let now = AmzDate::from_offset_date_time(now);
        if date.unix() < now.unix() - MAX_CLOCK_SKEW_SECS {
            return Err(SigV4Error::SignatureExpired {
                request: amz.to_owned(),
                earliest: now.plus(-MAX_CLOCK_SKEW_SECS).to_amz_string(),
                now: now.to_amz_string(),
            });
        }
        Self::check_not_future(amz, date, now)
    }

    fn check_not_future(amz: &str, date: AmzDate, now: AmzDate) -> Result<(), SigV4Error> {
        if date.unix() > now.unix() + MAX_CLOCK_SKEW_SECS {
            return Err(SigV4Error::SignatureNotYetCurrent {
                request: amz.to_owned(),
                latest: now.plus(MAX_CLOCK_SKEW_SECS).to_amz_string(),
                now: now.to_amz_string(),
            });
        }
        Ok(())
    }

    fn verify_header<'a, L: CredentialLookup>(
        &self,
        req: &HttpRequest<'a>,
        h: &AuthHeaders<'a>,
        auth: &'a str,
        lookup: &L,
        now: OffsetDateTime,
    ) -> Result<Verified<'a, L::Identity>, VerifyError<L::Error>> {
        // The usual form in one pass; anything else through the general parser and checks,
        // which also produce the errors (the fast path only says yes or "don't know").
        // Borrowed rather than copied out: the parsed values are read in place.
        let usual = h.date.and_then(|_| parse_usual(auth));
        let general;
        let (parsed, scope) = match &usual {
            Some(u) => (&u.header, &u.scope),
            None => {
                let parsed = AuthorizationHeader::parse(auth, h.date.is_some())?;
                general = (parsed, CredentialScope::parse(parsed.credential)?);
                (&general.0, &general.1)
            }
        };
        let amz = h.date.unwrap_or_default();
        let date = AmzDate::parse(amz).ok_or_else(|| SigV4Error::MalformedDate(amz.to_owned()))?;
        self.check_scope(scope, amz)?;
        if usual.is_none() {
            Self::check_signed_headers(parsed.signed_headers)?;
        }
        Self::check_time(amz, date, now)?;
        let provided = match &usual {
            Some(u) => u.signature,
            None => unhex32(parsed.signature.as_bytes()).ok_or(SigV4Error::SignatureMismatch)?,
        };
        let mut buf = [0u8; 64];
        let chunked_ok = self.config.allow_chunked;
        let payload = self.payload_hash(h.content_sha256, req.body, &mut buf, chunked_ok)?;
        let (secret, identity) = lookup
            .lookup(scope.access_key_id, h.token)
            .map_err(VerifyError::Lookup)?;
        let parts = CanonicalParts {
            request: *req,
            signed_headers: parsed.signed_headers,
            payload_hash: payload,
            settings: self.config.settings,
        };
        // The comparison happens inside the closure, so what comes back through the key
        // cache's layers is one `bool` (returning the 80-byte `Result` cost copies that stalled
        // on the signature's fresh stores); a canonicalisation error comes out on the side.
        let mut failed = None;
        let matches = self.with_signing_key(&secret, scope, |key| {
            match compute_signature(key, &parts, amz, parsed.credential, |_| false) {
                Ok(sig) => ct_eq32(&sig, &provided),
                Err(e) => {
                    failed = Some(e);
                    false
                }
            }
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        if !matches {
            return Err(SigV4Error::SignatureMismatch.into());
        }
        // A chunked payload (only where allowed: `payload_hash` refuses it otherwise): its
        // body's verifier, seeded with this signature.
        let chunked = match StreamingPayload::parse(payload) {
            Some(kind) => {
                let key = self.with_signing_key(&secret, scope, SigningKey::clone);
                let scope = split_once_byte(parsed.credential, b'/').map_or("", |(_, s)| s);
                let signing = ChunkSigning::Hmac {
                    key,
                    seed: provided,
                };
                Some(chunked_body(req, kind, (signing, amz, scope))?)
            }
            None => None,
        };
        Ok(Verified {
            access_key_id: Cow::Borrowed(scope.access_key_id),
            session_token: h.token.map(Cow::Borrowed),
            region: Cow::Borrowed(scope.region),
            service: Cow::Borrowed(scope.service),
            date,
            signed_headers: Cow::Borrowed(parsed.signed_headers),
            presigned: false,
            algorithm: SignatureAlgorithm::HmacSha256,
            region_set: None,
            chunked,
            identity,
        })
    }

    fn verify_query<'a, L: CredentialLookup>(
        &self,
        req: &HttpRequest<'a>,
        h: &AuthHeaders<'a>,
        p: PresignParams,
        lookup: &L,
        now: OffsetDateTime,
    ) -> Result<Verified<'a, L::Identity>, VerifyError<L::Error>> {
        let q = Presigned::new(&p)?;
        match q.algorithm {
            ALGORITHM => {}
            ALGORITHM_V4A => return self.verify_v4a_query(req, h, &p, &q, lookup, now),
            other => return Err(SigV4Error::UnsupportedAlgorithm(other.to_owned()).into()),
        }
        let amz = q.date;
        let scope = CredentialScope::parse(q.credential)?;
        let date = AmzDate::parse(amz).ok_or_else(|| SigV4Error::MalformedDate(amz.to_owned()))?;
        self.check_scope(&scope, amz)?;
        Self::check_presigned(&q, date, now)?;
        let provided = unhex32(q.signature.as_bytes()).ok_or(SigV4Error::SignatureMismatch)?;
        let mut buf = [0u8; 64];
        let payload = self.payload_hash(h.content_sha256, req.body, &mut buf, false)?;
        let token = p.security_token.as_deref().or(h.token);
        let (secret, identity) = lookup
            .lookup(scope.access_key_id, token)
            .map_err(VerifyError::Lookup)?;
        let key = self.with_signing_key(&secret, &scope, SigningKey::clone);
        let parts = CanonicalParts {
            request: *req,
            signed_headers: q.signed_headers,
            payload_hash: payload,
            settings: self.config.settings,
        };
        let ok = self.presigned_matches(h, &p, &parts, |parts, exclude| {
            let sig = compute_signature(&key, parts, amz, q.credential, exclude)?;
            Ok(ct_eq32(&sig, &provided))
        })?;
        if !ok {
            return Err(SigV4Error::SignatureMismatch.into());
        }
        Ok(Verified {
            access_key_id: Cow::Owned(scope.access_key_id.to_owned()),
            session_token: token.map(|t| Cow::Owned(t.to_owned())),
            region: Cow::Owned(scope.region.to_owned()),
            service: Cow::Owned(scope.service.to_owned()),
            date,
            signed_headers: Cow::Owned(q.signed_headers.to_owned()),
            presigned: true,
            algorithm: SignatureAlgorithm::HmacSha256,
            region_set: None,
            chunked: None,
            identity,
        })
    }

    /// The presigned checks after the scope's: signed headers, `X-Amz-Expires`, the clock.
    pub(crate) fn check_presigned(
        q: &Presigned<'_>,
        date: AmzDate,
        now: OffsetDateTime,
    ) -> Result<(), SigV4Error> {
        Self::check_signed_headers(q.signed_headers)?;
        let expires = parse_expires(q.expires)?;
        let now_d = AmzDate::from_offset_date_time(now);
        Self::check_not_future(q.date, date, now_d)?;
        // `expires` is at most seven days, so the cast is lossless.
        if now_d.unix() > date.unix() + expires as i64 {
            return Err(SigV4Error::RequestExpired);
        }
        Ok(())
    }

    /// Whether `check` accepts the presigned request's canonical form: as signed, or (where
    /// the configuration allows them) with the session token added after signing, or with
    /// `UNSIGNED-PAYLOAD` in place of the body's hash. `check` gets the canonical parts and
    /// which query parameters to leave out.
    pub(crate) fn presigned_matches(
        &self,
        h: &AuthHeaders<'_>,
        p: &PresignParams,
        parts: &CanonicalParts<'_>,
        check: impl Fn(&CanonicalParts<'_>, &dyn Fn(&[u8]) -> bool) -> Result<bool, SigV4Error>,
    ) -> Result<bool, SigV4Error> {
        let signature_only = |k: &[u8]| k == b"X-Amz-Signature";
        if check(parts, &signature_only)? {
            return Ok(true);
        }
        if self.config.allow_unsigned_query_session_token
            && p.security_token.is_some()
            && check(parts, &|k| {
                k == b"X-Amz-Signature" || k == b"X-Amz-Security-Token"
            })?
        {
            return Ok(true);
        }
        // S3 presigns with `UNSIGNED-PAYLOAD` in place of the body's hash and sends no
        // `X-Amz-Content-Sha256`; where unsigned payloads are allowed, accept that form too.
        if self.config.allow_unsigned_payload && h.content_sha256.is_none() {
            let unsigned = CanonicalParts {
                payload_hash: "UNSIGNED-PAYLOAD",
                ..*parts
            };
            return check(&unsigned, &signature_only);
        }
        Ok(false)
    }
}

/// The presigned parameters every form requires, checked present (in AWS's order).
pub(crate) struct Presigned<'p> {
    /// `X-Amz-Algorithm`.
    pub(crate) algorithm: &'p str,
    /// `X-Amz-Credential`.
    pub(crate) credential: &'p str,
    /// `X-Amz-Signature`.
    pub(crate) signature: &'p str,
    /// `X-Amz-SignedHeaders`.
    pub(crate) signed_headers: &'p str,
    /// `X-Amz-Date`.
    pub(crate) date: &'p str,
    /// `X-Amz-Expires`.
    pub(crate) expires: &'p str,
}

impl<'p> Presigned<'p> {
    fn new(p: &'p PresignParams) -> Result<Self, SigV4Error> {
        let need = |v: &'p Option<String>, name: &'static str| {
            v.as_deref().ok_or(SigV4Error::MissingQueryParameter(name))
        };
        Ok(Self {
            credential: need(&p.credential, "X-Amz-Credential")?,
            signature: need(&p.signature, "X-Amz-Signature")?,
            signed_headers: need(&p.signed_headers, "X-Amz-SignedHeaders")?,
            date: need(&p.date, "X-Amz-Date")?,
            expires: need(&p.expires, "X-Amz-Expires")?,
            algorithm: p.algorithm.as_deref().unwrap_or_default(),
        })
    }
}

use crate::request::HttpRequest;

/// The body verifier of a header-signed chunked request; `signer`: the key and seed
/// signature, `X-Amz-Date` and the scope.
pub(crate) fn chunked_body(
    req: &HttpRequest<'_>,
    kind: StreamingPayload,
    signer: (ChunkSigning<'_>, &str, &str),
) -> Result<ChunkedBody, SigV4Error> {
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    };
    let decoded_length = match header("x-amz-decoded-content-length") {
        Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
            SigV4Error::InvalidRequest("Invalid x-amz-decoded-content-length".to_owned())
        })?),
        None => None,
    };
    Ok(ChunkedBody::with_signing(
        kind,
        Some(signer),
        header("x-amz-trailer"),
        decoded_length,
    )?)
}

/// The string to sign's first line, `AWS4-HMAC-SHA256\n`.
const STRING_TO_SIGN_HEAD: &[u8] = b"AWS4-HMAC-SHA256\n";

/// SHA-256 of the canonical request, streamed (no intermediate string).
pub(crate) fn canonical_request_hash(
    parts: &CanonicalParts<'_>,
    exclude: impl Fn(&[u8]) -> bool,
) -> Result<[u8; 32], SigV4Error> {
    // Four blocks hold a typical canonical request: gathered, then compressed in one call.
    let mut hasher = Sha256Stream::<4>::new_buffered();
    write_canonical_request(&mut hasher, parts, exclude)?;
    Ok(hasher.finalize())
}

/// Feeds the string to sign (`head` is its algorithm line, newline included) into `s`.
pub(crate) fn feed_string_to_sign<const B: usize>(
    s: &mut Sha256Stream<B>,
    head: &[u8],
    amz_date: &str,
    scope: &str,
    creq_hash: &[u8; 32],
) {
    for piece in [head, amz_date.as_bytes(), b"\n", scope.as_bytes(), b"\n"] {
        s.update(piece);
    }
    s.update_hex32(creq_hash);
}

/// Hashes the canonical request and signs the string to sign, all streamed (no intermediate strings).
pub(crate) fn compute_signature(
    key: &SigningKey,
    parts: &CanonicalParts<'_>,
    amz_date: &str,
    credential: &str,
    exclude: impl Fn(&[u8]) -> bool,
) -> Result<[u8; 32], SigV4Error> {
    let creq_hash = canonical_request_hash(parts, exclude)?;
    // The scope is the credential minus the access key id.
    let scope = split_once_byte(credential, b'/').map_or("", |(_, s)| s);
    let k = key.hmac_key();
    // Three blocks hold the string to sign after the key's block.
    let mut mac = k.start::<3>();
    feed_string_to_sign(&mut mac, STRING_TO_SIGN_HEAD, amz_date, scope, &creq_hash);
    Ok(k.finish(&mut mac))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header scan finds the five headers in any case, and nothing else, against a plain
    /// reference (names that differ in one byte, or only in length, are not taken).
    #[test]
    fn scan_headers_matches_reference() {
        let wanted = [
            "authorization",
            "x-amz-date",
            "x-amz-security-token",
            "x-amz-content-sha256",
            "x-amz-region-set",
        ];
        let mut names: Vec<String> = Vec::new();
        for w in wanted {
            names.push(w.to_owned());
            names.push(w.to_ascii_uppercase());
            for i in 0..w.len() {
                let mut b = w.as_bytes().to_vec();
                b[i] = b[i].to_ascii_uppercase();
                names.push(String::from_utf8_lossy(&b).into_owned());
                b[i] ^= 0x01;
                names.push(String::from_utf8_lossy(&b).into_owned());
                let mut shorter = w.to_owned();
                shorter.remove(i);
                names.push(shorter);
            }
            names.push(format!("{w}x"));
        }
        for name in &names {
            let headers = [(name.as_str(), &b" v "[..])];
            let got = scan_headers(&headers).ok();
            let a = got.as_ref();
            let want = wanted.iter().position(|w| w.eq_ignore_ascii_case(name));
            let found = [
                a.and_then(|a| a.authorization),
                a.and_then(|a| a.date),
                a.and_then(|a| a.token),
                a.and_then(|a| a.content_sha256),
                a.and_then(|a| a.region_set),
            ];
            for (i, f) in found.iter().enumerate() {
                assert_eq!(*f, (want == Some(i)).then_some("v"), "{name}");
            }
            // Twice is refused as a duplicate, once matched.
            let twice = [(name.as_str(), &b"v"[..]), (name.as_str(), &b"v"[..])];
            assert_eq!(
                matches!(
                    scan_headers(&twice),
                    Err(SigV4Error::DuplicateAuthParameter(_))
                ),
                want.is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn header_values_trim_like_str_trim() {
        for v in [
            "a",
            " a",
            "a ",
            "\ta b\n",
            "\u{a0}a\u{3000}",
            "\u{85}",
            "",
            " ",
            "x\u{1c}",
            "\u{1f}x",
        ] {
            assert_eq!(header_str("h", v.as_bytes()).ok(), Some(v.trim()), "{v:?}");
        }
        assert!(header_str("h", b"\xff").is_err());
    }

    #[test]
    fn string_to_sign_head_is_the_algorithm_line() {
        assert_eq!(STRING_TO_SIGN_HEAD, format!("{ALGORITHM}\n").as_bytes());
    }
}

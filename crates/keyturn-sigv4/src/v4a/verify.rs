//! Verification of SigV4a requests (header and presigned forms), beside SigV4's in
//! [`crate::verify`], whose checks it shares.

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::auth::{ALGORITHM_V4A, AuthorizationHeader, PresignParams, V4aCredentialScope};
use crate::canonical::{CanonicalParts, split_byte, split_once_byte};
use crate::chunked::{ChunkSigning, StreamingPayload};
use crate::crypto::Sha256Stream;
use crate::error::{SigV4Error, VerifyError};
use crate::request::HttpRequest;
use crate::time::AmzDate;
use crate::verify::{
    AuthHeaders, CredentialLookup, Presigned, SignatureAlgorithm, Verified, Verifier,
    canonical_request_hash, chunked_body, feed_string_to_sign,
};

use super::{STRING_TO_SIGN_HEAD_V4A, V4aVerifyingKey};

/// The longest DER encoding of a P-256 ECDSA signature: two 33-byte integers and headers.
const MAX_DER_LEN: usize = 72;

/// A signature as sent: hex of a DER-encoded ECDSA signature, decoded on the stack.
struct DerSignature {
    bytes: [u8; MAX_DER_LEN],
    len: usize,
}

impl DerSignature {
    /// Decodes the hex; anything that is not hex of at most [`MAX_DER_LEN`] bytes is a
    /// mismatch (AWS reports a garbled signature as one).
    fn from_hex(s: &str) -> Result<Self, SigV4Error> {
        let mut bytes = [0u8; MAX_DER_LEN];
        let len = s.len() / 2;
        if !s.len().is_multiple_of(2) || len > MAX_DER_LEN {
            return Err(SigV4Error::SignatureMismatch);
        }
        hex::decode_to_slice(s, &mut bytes[..len]).map_err(|_| SigV4Error::SignatureMismatch)?;
        Ok(Self { bytes, len })
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// SHA-256 of the SigV4a string to sign for `parts`; `credential` is the whole credential.
fn v4a_digest(
    parts: &CanonicalParts<'_>,
    amz_date: &str,
    credential: &str,
    exclude: &dyn Fn(&[u8]) -> bool,
) -> Result<[u8; 32], SigV4Error> {
    let creq_hash = canonical_request_hash(parts, exclude)?;
    let scope = split_once_byte(credential, b'/').map_or("", |(_, s)| s);
    let mut s = Sha256Stream::<3>::new_buffered();
    feed_string_to_sign(&mut s, STRING_TO_SIGN_HEAD_V4A, amz_date, scope, &creq_hash);
    Ok(s.finalize())
}

impl Verifier {
    /// The SigV4a scope checks: terminator, date, the region set (must name a region the
    /// verifier accepts), service.
    fn check_v4a_scope(
        &self,
        scope: &V4aCredentialScope<'_>,
        amz_date: &str,
        region_set: &str,
    ) -> Result<(), SigV4Error> {
        self.check_scope_fields(scope.terminator, scope.date, amz_date, || {
            match self.config.regions.in_set(region_set) {
                Some(_) => Ok(()),
                None => Err(SigV4Error::WrongRegion(region_set.to_owned())),
            }
        })?;
        self.check_service(scope.service)
    }

    /// The region a verified SigV4a request is reported under ([`crate::Regions::in_set`]; the scope
    /// check has made sure there is one).
    fn v4a_region(&self, region_set: &str) -> String {
        self.config.regions.in_set(region_set).unwrap_or_default()
    }

    /// The caller behind `access_key_id` (its secret looked up with the session `token`) and its
    /// public key, from the cache or derived.
    fn v4a_key<L: CredentialLookup>(
        &self,
        lookup: &L,
        access_key_id: &str,
        token: Option<&str>,
    ) -> Result<(V4aVerifyingKey, L::Identity), VerifyError<L::Error>> {
        let (secret, identity) = lookup
            .lookup(access_key_id, token)
            .map_err(VerifyError::Lookup)?;
        let key = match &self.v4a_cache {
            Some(c) => c.get_or_derive(access_key_id, &secret),
            None => V4aVerifyingKey::derive(access_key_id, &secret),
        }
        .ok_or(SigV4Error::SignatureMismatch)?;
        Ok((key, identity))
    }

    /// Verifies a request whose `Authorization` names `AWS4-ECDSA-P256-SHA256`.
    pub(crate) fn verify_v4a_header<'a, L: CredentialLookup>(
        &self,
        req: &HttpRequest<'a>,
        h: &AuthHeaders<'a>,
        auth: &'a str,
        lookup: &L,
        now: OffsetDateTime,
    ) -> Result<Verified<'a, L::Identity>, VerifyError<L::Error>> {
        let parsed = AuthorizationHeader::parse_for(ALGORITHM_V4A, auth, h.date.is_some())?;
        let scope = V4aCredentialScope::parse(parsed.credential)?;
        let amz = h.date.unwrap_or_default();
        let date = AmzDate::parse(amz).ok_or_else(|| SigV4Error::MalformedDate(amz.to_owned()))?;
        // The region set binds the signature only when it is signed.
        let region_set = h
            .region_set
            .filter(|_| split_byte(parsed.signed_headers, b';').any(|n| n == "x-amz-region-set"))
            .ok_or(SigV4Error::MissingRegionSet)?;
        self.check_v4a_scope(&scope, amz, region_set)?;
        Self::check_signed_headers(parsed.signed_headers)?;
        Self::check_time(amz, date, now)?;
        let signature = DerSignature::from_hex(parsed.signature)?;
        let mut buf = [0u8; 64];
        let chunked_ok = self.config.allow_chunked;
        let payload = self.payload_hash(h.content_sha256, req.body, &mut buf, chunked_ok)?;
        let (key, identity) = self.v4a_key(lookup, scope.access_key_id, h.token)?;
        let parts = CanonicalParts {
            request: *req,
            signed_headers: parsed.signed_headers,
            payload_hash: payload,
            settings: self.config.settings,
        };
        let digest = v4a_digest(&parts, amz, parsed.credential, &|_| false)?;
        if !key.verify_digest(&digest, signature.as_bytes()) {
            return Err(SigV4Error::SignatureMismatch.into());
        }
        // A chunked payload (only where allowed): its body's verifier, seeded with this
        // signature.
        let chunked = match StreamingPayload::parse(payload) {
            Some(kind) => {
                let signing = ChunkSigning::Ecdsa {
                    key,
                    seed: signature.as_bytes(),
                };
                let scope = split_once_byte(parsed.credential, b'/').map_or("", |(_, s)| s);
                Some(chunked_body(req, kind, (signing, amz, scope))?)
            }
            None => None,
        };
        Ok(Verified {
            access_key_id: Cow::Borrowed(scope.access_key_id),
            session_token: h.token.map(Cow::Borrowed),
            region: Cow::Owned(self.v4a_region(region_set)),
            service: Cow::Borrowed(scope.service),
            date,
            signed_headers: Cow::Borrowed(parsed.signed_headers),
            presigned: false,
            algorithm: SignatureAlgorithm::EcdsaP256Sha256,
            region_set: Some(Cow::Borrowed(region_set)),
            chunked,
            identity,
        })
    }

    /// Verifies a presigned request whose `X-Amz-Algorithm` is `AWS4-ECDSA-P256-SHA256`.
    pub(crate) fn verify_v4a_query<'a, L: CredentialLookup>(
        &self,
        req: &HttpRequest<'a>,
        h: &AuthHeaders<'a>,
        p: &PresignParams,
        q: &Presigned<'_>,
        lookup: &L,
        now: OffsetDateTime,
    ) -> Result<Verified<'a, L::Identity>, VerifyError<L::Error>> {
        let region_set = p
            .region_set
            .as_deref()
            .ok_or(SigV4Error::MissingQueryParameter("X-Amz-Region-Set"))?;
        let amz = q.date;
        let scope = V4aCredentialScope::parse(q.credential)?;
        let date = AmzDate::parse(amz).ok_or_else(|| SigV4Error::MalformedDate(amz.to_owned()))?;
        self.check_v4a_scope(&scope, amz, region_set)?;
        Self::check_presigned(q, date, now)?;
        let signature = DerSignature::from_hex(q.signature)?;
        let mut buf = [0u8; 64];
        let payload = self.payload_hash(h.content_sha256, req.body, &mut buf, false)?;
        let token = p.security_token.as_deref().or(h.token);
        let (key, identity) = self.v4a_key(lookup, scope.access_key_id, token)?;
        let parts = CanonicalParts {
            request: *req,
            signed_headers: q.signed_headers,
            payload_hash: payload,
            settings: self.config.settings,
        };
        let ok = self.presigned_matches(h, p, &parts, |parts, exclude| {
            let digest = v4a_digest(parts, amz, q.credential, exclude)?;
            Ok(key.verify_digest(&digest, signature.as_bytes()))
        })?;
        if !ok {
            return Err(SigV4Error::SignatureMismatch.into());
        }
        Ok(Verified {
            access_key_id: Cow::Owned(scope.access_key_id.to_owned()),
            session_token: token.map(|t| Cow::Owned(t.to_owned())),
            region: Cow::Owned(self.v4a_region(region_set)),
            service: Cow::Owned(scope.service.to_owned()),
            date,
            signed_headers: Cow::Owned(q.signed_headers.to_owned()),
            presigned: true,
            algorithm: SignatureAlgorithm::EcdsaP256Sha256,
            region_set: Some(Cow::Owned(region_set.to_owned())),
            chunked: None,
            identity,
        })
    }
}

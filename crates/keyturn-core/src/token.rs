//! Stateless session tokens: the whole session sealed with AES-256-GCM under a keyring key.
//!
//! Layout of the decoded token (see `docs/session-tokens.md`):
//!
//! ```text
//! offset  size  field
//! 0       1     version (2 is minted, 3 for a session with scope-down policies, 4 for one
//!               with a trusted context; 1 to 4 open)
//! 1       4     key id, big-endian
//! 5       12    nonce (userspace CSPRNG)
//! 17      n     AES-256-GCM(token subkey, nonce, aad = bytes 0..17, claims encoding)
//! 17+n    16    GCM tag
//! ```
//!
//! Versions 1 and 2 differ only in the claims encoding (see `codec`): version 2 gathers the
//! strings' bytes into one section so that opening checks UTF-8 once. Version 3 is version 2
//! with the scope-down policies of GetScopedCredentials after the last list: only a scoped
//! session is sealed as version 3, so every other token keeps its version-2 bytes and cost.
//!
//! The token is sent as standard base64 (SIMD codec, strict: one text per blob). AES-GCM is
//! `ring`'s: the `aes-gcm` crate's per-call setup cost more than the whole rest of a ~450-byte
//! open. The secret access key is not stored anywhere: it is AES-256 of two counter blocks built
//! from the token's nonce and version under a separate secret subkey (AES in counter mode as a
//! PRF of the nonce, a tenth of the cost of an HMAC-SHA256), 30 bytes written as 40 characters
//! of `A-Za-z0-9+/`, so whoever holds the keyring recomputes it from the token alone.

mod b64;
pub mod claims_codec;
mod codec;
#[cfg(test)]
mod tests;

use crate::ErrorCode;
use aes_gcm::aes::Block;
use aes_gcm::aes::cipher::BlockCipherEncrypt as _;
use ring::aead::{Aad, LessSafeKey, Nonce};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::Error;
use crate::ids::{
    AccessKeyId, AccessKeyKind, AccountId, Secret, UniqueId, rng, secret_access_key_from_bytes,
};
use crate::keyring::{KeyEntry, KeyId, Keyring};
use crate::principal::Principal;

/// The version byte of the tokens this build mints without scope-down policies (it opens
/// versions 1 to 3).
pub const TOKEN_VERSION: u8 = 2;
/// The version byte of a token whose session has scope-down policies
/// ([`SessionClaims::scope_policies`]).
pub const SCOPED_TOKEN_VERSION: u8 = 3;
/// The version byte of a token whose session has a trusted context ([`SessionClaims::context`]):
/// version 3's layout with the scope-down list always present (0 to 3) and the context after it.
pub const CONTEXT_TOKEN_VERSION: u8 = 4;
/// The most scope-down policies a session carries (GetScopedCredentials' `ScopedPoliciesCount`).
pub const MAX_SCOPE_POLICIES: usize = 3;

/// Version, key id, nonce.
const HEADER_LEN: usize = 1 + 4 + 12;
const TAG_LEN: usize = 16;

/// AWS's text for a token that does not open.
pub const INVALID_TOKEN_MESSAGE: &str = "The security token included in the request is invalid.";
/// AWS's text for a token past its expiry.
pub const EXPIRED_TOKEN_MESSAGE: &str = "The security token included in the request is expired";

/// `InvalidClientTokenId` with AWS's text.
pub fn invalid_token() -> Error {
    Error::new(
        ErrorCode::InvalidClientTokenId,
        INVALID_TOKEN_MESSAGE.to_owned(),
    )
}

/// Everything a session carries. Times are kept to the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClaims {
    /// Who the session is: a role session (plain, web identity or SAML), a federated user, or
    /// the IAM user / root user of a GetSessionToken session. It names the account.
    pub principal: Principal,
    /// When the credentials were issued (`aws:TokenIssueTime`).
    pub issued_at: OffsetDateTime,
    /// When they expire.
    pub expires_at: OffsetDateTime,
    /// When MFA was verified, if it was (`aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge`).
    pub mfa_authenticated_at: Option<OffsetDateTime>,
    /// The source identity, once set it follows the role chain.
    pub source_identity: Option<String>,
    /// Session tags, key and value, case preserved, in request order.
    pub tags: Vec<(String, String)>,
    /// The keys of the tags that pass to chained sessions.
    pub transitive_tag_keys: Vec<String>,
    /// The inline session policy, as sent.
    pub session_policy: Option<String>,
    /// Managed session policies, by ARN.
    pub policy_arns: Vec<String>,
    /// Whether the session was minted by a role session (role chaining: 1 hour at most).
    pub role_chained: bool,
    /// The ARN of the principal that called the minting operation (the IAM user behind a
    /// federated user, the session that chained, …).
    pub caller_arn: Option<String>,
    /// The first principal of the chain, when it is not the direct caller.
    pub original_caller_arn: Option<String>,
    /// The unique id of the IAM user that called the minting operation, when it names no
    /// principal of the session itself (GetFederationToken): the session is refused once that
    /// user is gone, even if another user now has its name.
    pub caller_id: Option<UniqueId>,
    /// The scope-down policies of GetScopedCredentials, oldest first (at most
    /// [`MAX_SCOPE_POLICIES`]): every request of the session must be allowed by each of them as
    /// well as by the session's own permissions. Sealed in version-3 tokens only.
    pub scope_policies: Vec<String>,
    /// The session's trusted context (a workload identity and its context keys), from the
    /// context that AssumeRole's `ProvidedContexts` carried; `None` for every other session (and
    /// then not sealed: the token is version 2 or 3 and costs what it did). Sealed in version-4
    /// tokens only.
    pub context: Option<Box<TrustedContext>>,
    /// Not sealed: the least length, in characters, of the session token minted for these
    /// claims (the request's `MinimumSessionTokenSize`, 0 to 4,096; 0 leaves the token as it
    /// is). A shorter token is padded inside its encryption; opening ignores the padding and
    /// gives 0 here.
    pub minimum_token_size: u16,
}

impl SessionClaims {
    /// Claims for `principal` valid from `issued_at` to `expires_at`, with nothing else set.
    pub fn new(
        principal: Principal,
        issued_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Self {
        Self {
            principal,
            issued_at,
            expires_at,
            mfa_authenticated_at: None,
            source_identity: None,
            tags: Vec::new(),
            transitive_tag_keys: Vec::new(),
            session_policy: None,
            policy_arns: Vec::new(),
            role_chained: false,
            caller_arn: None,
            original_caller_arn: None,
            caller_id: None,
            scope_policies: Vec::new(),
            context: None,
            minimum_token_size: 0,
        }
    }

    /// The session's account; `None` only for a service principal.
    pub fn account(&self) -> Option<AccountId> {
        self.principal.account()
    }

    /// A fresh temporary access key id (`ASIA…`) for credentials of this session, in its account
    /// (what every [`CredentialSigner`](crate::signer::CredentialSigner) mints under).
    ///
    /// # Errors
    /// `InternalFailure` for a service principal, which has no account; as
    /// [`AccessKeyId::generate`] when the system's random source fails.
    pub fn fresh_access_key_id(&self) -> Result<AccessKeyId, Error> {
        let account = self.account().ok_or_else(|| {
            Error::new(
                ErrorCode::InternalFailure,
                "credentials can only be minted for a principal with an account",
            )
        })?;
        AccessKeyId::generate(AccessKeyKind::Temporary, account)
    }

    /// Whether MFA was used.
    pub fn mfa_present(&self) -> bool {
        self.mfa_authenticated_at.is_some()
    }

    /// The value of the session tag `key`, compared case-insensitively as AWS does.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

/// The workload identity of a session: the provider and template it was built from and the
/// workload's identifier (a SPIFFE ID for a provider of the SPIFFE scheme).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadIdentity {
    /// The ARN of the workload identity provider.
    pub provider_arn: String,
    /// The ARN of the workload identity template.
    pub template_arn: String,
    /// The workload's identifier (IssueWorkloadIdentityContext's `Subject`).
    pub subject: String,
}

/// A session's trusted context: its workload identity, if it has one, and the context keys it
/// brings to each of its requests (`aws:OriginIdentity/…`, `aws:WorkloadAttestation/…`), names
/// as AWS spells them, in the order they were set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustedContext {
    /// The workload identity.
    pub workload: Option<WorkloadIdentity>,
    /// The context keys (name, value).
    pub keys: Vec<(String, String)>,
}

impl TrustedContext {
    /// The value of the context key `name`, compared case-insensitively.
    pub fn key(&self, name: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A token just sealed, with the secret access key that goes with it.
#[derive(Debug, Clone)]
pub struct SealedToken {
    /// The session token, standard base64.
    pub token: String,
    /// The derived secret access key.
    pub secret_access_key: Secret,
}

/// A token that opened: its claims, its access key id and the derived secret access key.
#[derive(Debug, Clone)]
pub struct OpenedSession {
    /// The session.
    pub claims: SessionClaims,
    /// The `ASIA…` access key id the token was minted with.
    pub access_key_id: AccessKeyId,
    /// The secret access key, derived from the token.
    pub secret_access_key: Secret,
    /// The id of the key that sealed the token.
    pub key_id: KeyId,
}

impl OpenedSession {
    /// Checks that a request's access key id is the one inside the token.
    pub fn check_access_key_id(&self, access_key_id: &str) -> Result<(), Error> {
        if self.access_key_id.as_str() == access_key_id {
            Ok(())
        } else {
            Err(invalid_token())
        }
    }
}

/// The secret access key of the token whose header is `header`: AES-256 under the secret subkey
/// of the blocks `nonce ‖ version ‖ 0 ‖ 0 ‖ i` for i = 1, 2 (AES in counter mode as a PRF of the
/// nonce), 30 of those 32 bytes written as 40 characters of `A-Za-z0-9+/`.
fn derive_secret(entry: &KeyEntry, header: &[u8]) -> Result<Secret, Error> {
    let failed = || Error::new(ErrorCode::InternalFailure, "secret derivation failed");
    let version = *header.first().ok_or_else(failed)?;
    let nonce = header.get(5..HEADER_LEN).ok_or_else(failed)?;
    let mut blocks = [Block::default(), Block::default()];
    for (i, block) in blocks.iter_mut().enumerate() {
        block[..12].copy_from_slice(nonce);
        block[12] = version;
        block[15] = i as u8 + 1;
    }
    entry.secret_cipher.encrypt_blocks(&mut blocks);
    let mut bytes = Zeroizing::new([0u8; 30]);
    bytes[..16].copy_from_slice(&blocks[0]);
    bytes[16..].copy_from_slice(&blocks[1][..14]);
    blocks.iter_mut().for_each(|b| b.fill(0));
    Ok(secret_access_key_from_bytes(&bytes))
}

/// Seals `claims` for `access_key_id` under the keyring's active key, padded inside the
/// encryption to at least [`SessionClaims::minimum_token_size`] characters.
pub fn seal(
    keyring: &Keyring,
    access_key_id: &AccessKeyId,
    claims: &SessionClaims,
) -> Result<SealedToken, Error> {
    b64::with_scratch(|buf| seal_into(buf, keyring.active(), access_key_id, claims))
}

fn seal_into(
    buf: &mut Vec<u8>,
    entry: &KeyEntry,
    access_key_id: &AccessKeyId,
    claims: &SessionClaims,
) -> Result<SealedToken, Error> {
    seal_blob(buf, entry, access_key_id, claims, 0)?;
    let wanted = usize::from(claims.minimum_token_size);
    if b64_len(buf.len()) < wanted {
        // Rare (only on request): seal again with the padding that makes up the difference.
        let pad = codec::padding_for(blob_len_for(wanted) - buf.len());
        buf.clear();
        seal_blob(buf, entry, access_key_id, claims, pad)?;
    }
    let secret_access_key = derive_secret(entry, &buf[..HEADER_LEN])?;
    Ok(SealedToken {
        token: b64::encode(buf),
        secret_access_key,
    })
}

/// Writes header, encrypted claims (with `pad` bytes of padding) and tag into the empty `buf`.
fn seal_blob(
    buf: &mut Vec<u8>,
    entry: &KeyEntry,
    access_key_id: &AccessKeyId,
    claims: &SessionClaims,
    pad: usize,
) -> Result<(), Error> {
    let version = if claims.context.is_some() {
        CONTEXT_TOKEN_VERSION
    } else if claims.scope_policies.is_empty() {
        TOKEN_VERSION
    } else {
        SCOPED_TOKEN_VERSION
    };
    start_blob(buf, entry, version)?;
    codec::encode(buf, access_key_id, claims, pad);
    let tag = encrypt(&entry.token_cipher, buf)?;
    buf.extend_from_slice(&tag);
    Ok(())
}

/// The length of the padded base64 text of `bytes` bytes.
const fn b64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// The fewest bytes whose base64 text has at least `chars` characters.
const fn blob_len_for(chars: usize) -> usize {
    chars.div_ceil(4) * 3
}

/// Writes the header (`version`, key id, a fresh nonce) into the empty `buf`.
fn start_blob(buf: &mut Vec<u8>, entry: &KeyEntry, version: u8) -> Result<(), Error> {
    let mut header = [0u8; HEADER_LEN];
    header[0] = version;
    header[1..5].copy_from_slice(&entry.id.to_be_bytes());
    rng::fill(&mut header[5..])?;
    buf.extend_from_slice(&header);
    Ok(())
}

/// Encrypts `buf[HEADER_LEN..]` in place with `buf[..HEADER_LEN]` as associated data; returns the tag.
fn encrypt(cipher: &LessSafeKey, buf: &mut [u8]) -> Result<[u8; TAG_LEN], Error> {
    let (header, body) = buf.split_at_mut(HEADER_LEN);
    let nonce = Nonce::try_assume_unique_for_key(&header[5..HEADER_LEN])
        .map_err(|_| Error::new(ErrorCode::InternalFailure, "nonce length"))?;
    let tag = cipher
        .seal_in_place_separate_tag(nonce, Aad::from(&*header), body)
        .map_err(|_| Error::new(ErrorCode::InternalFailure, "token encryption failed"))?;
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(tag.as_ref());
    Ok(out)
}

/// Decrypts a sealed blob (header, ciphertext, tag) in place; returns the plaintext's range end.
fn decrypt(cipher: &LessSafeKey, blob: &mut [u8]) -> Option<usize> {
    if blob.len() < HEADER_LEN + TAG_LEN {
        return None;
    }
    let (head, sealed) = blob.split_at_mut(HEADER_LEN);
    let nonce = Nonce::try_assume_unique_for_key(&head[5..]).ok()?;
    let plain = cipher
        .open_in_place(nonce, Aad::from(&*head), sealed)
        .ok()?;
    Some(HEADER_LEN + plain.len())
}

fn parse_header(blob: &[u8]) -> Option<KeyId> {
    if blob.len() < HEADER_LEN + TAG_LEN || !matches!(blob[0], 1..=CONTEXT_TOKEN_VERSION) {
        return None;
    }
    Some(KeyId::from_be_bytes(blob[1..5].try_into().ok()?))
}

/// Opens a session token: checks version, key, integrity and expiry (`now < expires_at`).
///
/// Anything but a valid unexpired token of ours is `InvalidClientTokenId`; an expired one is
/// `ExpiredToken`.
pub fn open(keyring: &Keyring, token: &str, now: OffsetDateTime) -> Result<OpenedSession, Error> {
    b64::with_scratch(|blob| open_from(blob, keyring, token, now))
}

fn open_from(
    blob: &mut Vec<u8>,
    keyring: &Keyring,
    token: &str,
    now: OffsetDateTime,
) -> Result<OpenedSession, Error> {
    b64::decode_into(token, blob).ok_or_else(invalid_token)?;
    let key_id = parse_header(blob).ok_or_else(invalid_token)?;
    let entry = keyring.get(key_id).ok_or_else(invalid_token)?;
    let end = decrypt(&entry.token_cipher, blob).ok_or_else(invalid_token)?;
    let (access_key_id, claims) =
        codec::decode(blob[0], &blob[HEADER_LEN..end]).ok_or_else(invalid_token)?;
    if now >= claims.expires_at {
        return Err(Error::new(
            ErrorCode::ExpiredToken,
            EXPIRED_TOKEN_MESSAGE.to_owned(),
        ));
    }
    let secret_access_key = derive_secret(entry, &blob[..HEADER_LEN])?;
    Ok(OpenedSession {
        claims,
        access_key_id,
        secret_access_key,
        key_id,
    })
}

/// Seals an arbitrary payload with the keyring's message key (same layout as a token).
pub fn seal_bytes(keyring: &Keyring, payload: &[u8]) -> Result<String, Error> {
    let entry = keyring.active();
    b64::with_scratch(|buf| {
        start_blob(buf, entry, TOKEN_VERSION)?;
        buf.extend_from_slice(payload);
        let tag = encrypt(&entry.message_cipher, buf)?;
        buf.extend_from_slice(&tag);
        Ok(b64::encode(buf))
    })
}

/// Opens what [`seal_bytes`] sealed; `None` for anything else.
pub fn open_bytes(keyring: &Keyring, sealed: &str) -> Option<Vec<u8>> {
    b64::with_scratch(|blob| {
        b64::decode_into(sealed.trim(), blob)?;
        let key_id = parse_header(blob)?;
        let entry = keyring.get(key_id)?;
        let end = decrypt(&entry.message_cipher, blob)?;
        blob.get(HEADER_LEN..end).map(<[u8]>::to_vec)
    })
}

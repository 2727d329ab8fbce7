//! The compact binary encoding of [`SessionClaims`]: fixed-width integers little-endian, strings
//! and lists prefixed with a LEB128 length. Hand-written because it runs on every request
//! signed with temporary credentials and serde_json would cost more than the encryption.
//!
//! Version 1 writes each string's bytes after its length. Version 2 (what [`encode`] writes)
//! keeps the lengths in place but gathers the strings' bytes into one text section after the
//! structure, followed by the structure's length (u32 little-endian): the decoder validates
//! UTF-8 once for all strings instead of once per string, which was a sixth of opening a token.
//! Version 3 is version 2 with one more list after the policy ARNs: the scope-down policies of
//! GetScopedCredentials (one to three; a session without any is encoded as version 2, so that
//! each value has one encoding and unscoped tokens cost what they did). Version 4 is version 3
//! whose scope-down list may be empty, followed by the trusted context: a byte (1 when a
//! workload identity follows, else 0), its provider ARN, template ARN and subject, then the
//! context keys as (name, value) pairs. Only a session with a context is version 4.

use std::cell::Cell;

use time::OffsetDateTime;

use super::{SessionClaims, TrustedContext, WorkloadIdentity};
use crate::arn::Partition;
use crate::ids::{AccessKeyId, AccountId, UniqueId};
use crate::principal::{Principal, RoleSession, SamlInfo, WebIdentityInfo};

const FLAG_MFA: u8 = 1;
const FLAG_CHAINED: u8 = 1 << 1;
const FLAG_SOURCE_IDENTITY: u8 = 1 << 2;
const FLAG_POLICY: u8 = 1 << 3;
const FLAG_CALLER: u8 = 1 << 4;
const FLAG_ORIGINAL_CALLER: u8 = 1 << 5;
/// Added after version 2 was first written: tokens without it still open.
const FLAG_CALLER_ID: u8 = 1 << 6;
/// Padding follows the last field (`MinimumSessionTokenSize`): a non-empty run of zero bytes.
const FLAG_PADDING: u8 = 1 << 7;

thread_local! {
    /// The text section while it is being written (kept to avoid an allocation per token).
    static TEXT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Where the encoder writes: the structure into the caller's buffer, string bytes aside.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
    text: Vec<u8>,
}

impl Writer<'_> {
    fn push(&mut self, byte: u8) {
        self.out.push(byte);
    }

    fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
}

/// The padding that lengthens an encoding by at least `extra` bytes (its length prefix included).
pub(super) fn padding_for(extra: usize) -> usize {
    let mut pad = extra.saturating_sub(1).max(1);
    while pad + leb128_len(pad) < extra {
        pad += 1;
    }
    pad
}

fn leb128_len(n: usize) -> usize {
    (usize::BITS - n.leading_zeros()).max(1).div_ceil(7) as usize
}

/// Appends the encoding of `(access_key_id, claims)` to `out`, with `pad` zero bytes of padding
/// (none when 0): version 2, or version 3 when the claims have scope-down policies.
pub(super) fn encode(
    out: &mut Vec<u8>,
    access_key_id: &AccessKeyId,
    c: &SessionClaims,
    pad: usize,
) {
    let start = out.len();
    let mut text = TEXT.with(Cell::take);
    text.clear();
    let mut w = Writer { out, text };
    encode_structure(&mut w, access_key_id, c, pad);
    let Writer { out, text } = w;
    // Claims are far below 4 GiB (a request body is); saturate rather than wrap regardless.
    let structure_len = u32::try_from(out.len() - start).unwrap_or(u32::MAX);
    out.extend_from_slice(&text);
    out.extend_from_slice(&structure_len.to_le_bytes());
    // Like the scratch blob: wiped, and not kept if a huge session made it grow.
    let mut text = text;
    text.fill(0);
    if text.capacity() <= 16 * 1024 {
        TEXT.with(|cell| cell.set(text));
    }
}

fn encode_structure(
    out: &mut Writer<'_>,
    access_key_id: &AccessKeyId,
    c: &SessionClaims,
    pad: usize,
) {
    put_str(out, access_key_id.as_str());
    put_principal(out, &c.principal);
    put_time(out, c.issued_at);
    put_time(out, c.expires_at);
    let mut flags = 0;
    for (on, bit) in [
        (c.mfa_authenticated_at.is_some(), FLAG_MFA),
        (c.role_chained, FLAG_CHAINED),
        (c.source_identity.is_some(), FLAG_SOURCE_IDENTITY),
        (c.session_policy.is_some(), FLAG_POLICY),
        (c.caller_arn.is_some(), FLAG_CALLER),
        (c.original_caller_arn.is_some(), FLAG_ORIGINAL_CALLER),
        (c.caller_id.is_some(), FLAG_CALLER_ID),
        (pad > 0, FLAG_PADDING),
    ] {
        if on {
            flags |= bit;
        }
    }
    out.push(flags);
    if let Some(t) = c.mfa_authenticated_at {
        put_time(out, t);
    }
    for s in [
        &c.source_identity,
        &c.session_policy,
        &c.caller_arn,
        &c.original_caller_arn,
    ]
    .into_iter()
    .flatten()
    {
        put_str(out, s);
    }
    if let Some(id) = &c.caller_id {
        put_str(out, id.as_str());
    }
    put_len(out, c.tags.len());
    for (k, v) in &c.tags {
        put_str(out, k);
        put_str(out, v);
    }
    put_len(out, c.transitive_tag_keys.len());
    for k in &c.transitive_tag_keys {
        put_str(out, k);
    }
    put_len(out, c.policy_arns.len());
    for a in &c.policy_arns {
        put_str(out, a);
    }
    if !c.scope_policies.is_empty() || c.context.is_some() {
        put_len(out, c.scope_policies.len());
        for p in &c.scope_policies {
            put_str(out, p);
        }
    }
    if let Some(ctx) = &c.context {
        put_context(out, ctx);
    }
    if pad > 0 {
        put_len(out, pad);
        out.text.resize(out.text.len() + pad, 0);
    }
}

/// Decodes a version-1, 2 or 3 encoding (as [`encode`] writes); `None` if the bytes are not
/// exactly one valid encoding of that version.
pub(super) fn decode(version: u8, bytes: &[u8]) -> Option<(AccessKeyId, SessionClaims)> {
    let mut r = match version {
        1 => Reader { bytes, text: None },
        2..=4 => {
            let (body, len) = bytes.split_last_chunk::<4>()?;
            let structure_len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
            let (structure, text) = body.split_at_checked(structure_len)?;
            Reader {
                bytes: structure,
                text: Some(std::str::from_utf8(text).ok()?),
            }
        }
        _ => return None,
    };
    let access_key_id = AccessKeyId::parse(r.str()?).ok()?;
    let principal = r.principal()?;
    let issued_at = r.time()?;
    let expires_at = r.time()?;
    let flags = r.u8()?;
    let mfa_authenticated_at = if flags & FLAG_MFA != 0 {
        Some(r.time()?)
    } else {
        None
    };
    let mut opt = |bit: u8| -> Option<Option<String>> {
        if flags & bit != 0 {
            Some(Some(r.string()?))
        } else {
            Some(None)
        }
    };
    let source_identity = opt(FLAG_SOURCE_IDENTITY)?;
    let session_policy = opt(FLAG_POLICY)?;
    let caller_arn = opt(FLAG_CALLER)?;
    let original_caller_arn = opt(FLAG_ORIGINAL_CALLER)?;
    let caller_id = if flags & FLAG_CALLER_ID != 0 {
        Some(r.unique_id()?)
    } else {
        None
    };
    let n = r.len()?;
    let mut tags = Vec::with_capacity(n.min(64));
    for _ in 0..n {
        tags.push((r.string()?, r.string()?));
    }
    let transitive_tag_keys = r.strings()?;
    let policy_arns = r.strings()?;
    let scope_policies = if version >= 3 {
        // One to three: a session without scope-down policies is a version-2 token (or a
        // version-4 one, whose list may be empty).
        let layers = r.strings()?;
        if (version == 3 && layers.is_empty()) || layers.len() > super::MAX_SCOPE_POLICIES {
            return None;
        }
        layers
    } else {
        Vec::new()
    };
    let context = if version == 4 {
        Some(Box::new(r.context()?))
    } else {
        None
    };
    if flags & FLAG_PADDING != 0 {
        // One encoding per value: the padding is present only when non-empty, and all zeros.
        let padding = r.str()?;
        if padding.is_empty() || padding.bytes().any(|b| b != 0) {
            return None;
        }
    }
    if !r.bytes.is_empty() || r.text.is_some_and(|t| !t.is_empty()) {
        return None;
    }
    let claims = SessionClaims {
        principal,
        issued_at,
        expires_at,
        mfa_authenticated_at,
        source_identity,
        tags,
        transitive_tag_keys,
        session_policy,
        policy_arns,
        role_chained: flags & FLAG_CHAINED != 0,
        caller_arn,
        original_caller_arn,
        caller_id,
        scope_policies,
        context,
        minimum_token_size: 0,
    };
    Some((access_key_id, claims))
}

fn put_len(out: &mut Writer<'_>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_str(out: &mut Writer<'_>, s: &str) {
    put_len(out, s.len());
    out.text.extend_from_slice(s.as_bytes());
}

fn put_context(out: &mut Writer<'_>, ctx: &TrustedContext) {
    match &ctx.workload {
        Some(w) => {
            out.push(1);
            put_str(out, &w.provider_arn);
            put_str(out, &w.template_arn);
            put_str(out, &w.subject);
        }
        None => out.push(0),
    }
    put_len(out, ctx.keys.len());
    for (k, v) in &ctx.keys {
        put_str(out, k);
        put_str(out, v);
    }
}

fn put_time(out: &mut Writer<'_>, t: OffsetDateTime) {
    out.extend_from_slice(&t.unix_timestamp().to_le_bytes());
}

fn partition_code(p: Partition) -> u8 {
    match p {
        Partition::Aws => 0,
        Partition::AwsCn => 1,
        Partition::AwsUsGov => 2,
    }
}

fn put_head(out: &mut Writer<'_>, tag: u8, partition: Partition, account: AccountId) {
    out.push(tag);
    out.push(partition_code(partition));
    out.extend_from_slice(&account.number().to_le_bytes());
}

fn put_session(out: &mut Writer<'_>, tag: u8, s: &RoleSession) {
    put_head(out, tag, s.partition, s.account);
    for f in [
        &s.role_path,
        &s.role_name,
        s.role_id.as_str(),
        &s.session_name,
    ] {
        put_str(out, f);
    }
}

fn put_principal(out: &mut Writer<'_>, p: &Principal) {
    match p {
        Principal::Root { partition, account } => put_head(out, 0, *partition, *account),
        Principal::User { .. } | Principal::Role { .. } => {
            if let Some(e) = p.iam_entity() {
                put_head(out, if e.is_role { 2 } else { 1 }, e.partition, e.account);
                for f in [e.path, e.name, e.unique_id.as_str()] {
                    put_str(out, f);
                }
            }
        }
        Principal::AssumedRole(s) => put_session(out, 3, s),
        Principal::WebIdentitySession { session, identity } => {
            put_session(out, 4, session);
            for f in [&identity.provider, &identity.subject, &identity.audience] {
                put_str(out, f);
            }
        }
        Principal::SamlSession { session, identity } => {
            put_session(out, 5, session);
            for f in [
                &identity.provider_arn,
                &identity.subject,
                &identity.subject_type,
                &identity.issuer,
                &identity.audience,
                &identity.name_qualifier,
            ] {
                put_str(out, f);
            }
        }
        Principal::FederatedUser {
            partition,
            account,
            name,
        } => {
            put_head(out, 6, *partition, *account);
            put_str(out, name);
        }
        Principal::Service { name } => {
            out.push(7);
            put_str(out, name);
        }
    }
}

struct Reader<'a> {
    /// The structure (version 2) or the whole encoding (version 1).
    bytes: &'a [u8],
    /// Version 2: the rest of the text section, already checked to be UTF-8.
    text: Option<&'a str>,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }

    fn len(&mut self) -> Option<usize> {
        let mut n: usize = 0;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            n |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                // Reject non-minimal encodings so that each value has one encoding.
                if b == 0 && shift > 0 {
                    return None;
                }
                return Some(n);
            }
        }
        None
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        match &mut self.text {
            Some(text) => {
                // `None` past the end or inside a character.
                let (s, rest) = text.split_at_checked(n)?;
                *text = rest;
                Some(s)
            }
            None => std::str::from_utf8(self.take(n)?).ok(),
        }
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            v.push(self.string()?);
        }
        Some(v)
    }

    /// A trusted context: one with neither a workload identity nor keys is no context, so it
    /// does not decode (one encoding per value).
    fn context(&mut self) -> Option<TrustedContext> {
        let workload = match self.u8()? {
            0 => None,
            1 => Some(WorkloadIdentity {
                provider_arn: self.string()?,
                template_arn: self.string()?,
                subject: self.string()?,
            }),
            _ => return None,
        };
        let n = self.len()?;
        let mut keys = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            keys.push((self.string()?, self.string()?));
        }
        (workload.is_some() || !keys.is_empty()).then_some(TrustedContext { workload, keys })
    }

    fn time(&mut self) -> Option<OffsetDateTime> {
        let secs = i64::from_le_bytes(self.take(8)?.try_into().ok()?);
        OffsetDateTime::from_unix_timestamp(secs).ok()
    }

    fn head(&mut self) -> Option<(Partition, AccountId)> {
        let partition = match self.u8()? {
            0 => Partition::Aws,
            1 => Partition::AwsCn,
            2 => Partition::AwsUsGov,
            _ => return None,
        };
        Some((partition, AccountId::new(self.u64()?)?))
    }

    fn unique_id(&mut self) -> Option<UniqueId> {
        UniqueId::parse(self.str()?).ok()
    }

    fn session(&mut self) -> Option<RoleSession> {
        let (partition, account) = self.head()?;
        Some(RoleSession {
            partition,
            account,
            role_path: self.string()?,
            role_name: self.string()?,
            role_id: self.unique_id()?,
            session_name: self.string()?,
        })
    }

    fn principal(&mut self) -> Option<Principal> {
        Some(match self.u8()? {
            0 => {
                let (partition, account) = self.head()?;
                Principal::Root { partition, account }
            }
            tag @ (1 | 2) => {
                let (partition, account) = self.head()?;
                let (path, name, unique_id) = (self.string()?, self.string()?, self.unique_id()?);
                Principal::user_or_role(tag == 2, partition, account, path, name, unique_id)
            }
            3 => Principal::AssumedRole(self.session()?),
            4 => Principal::WebIdentitySession {
                session: self.session()?,
                identity: WebIdentityInfo {
                    provider: self.string()?,
                    subject: self.string()?,
                    audience: self.string()?,
                },
            },
            5 => Principal::SamlSession {
                session: self.session()?,
                identity: SamlInfo {
                    provider_arn: self.string()?,
                    subject: self.string()?,
                    subject_type: self.string()?,
                    issuer: self.string()?,
                    audience: self.string()?,
                    name_qualifier: self.string()?,
                },
            },
            6 => {
                let (partition, account) = self.head()?;
                Principal::FederatedUser {
                    partition,
                    account,
                    name: self.string()?,
                }
            }
            7 => Principal::Service {
                name: self.string()?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;
    use crate::ids::AccessKeyKind;

    fn sample() -> (AccessKeyId, SessionClaims, Vec<u8>) {
        let account = AccountId::new(111_122_223_333).unwrap();
        let akid = AccessKeyId::from_parts(AccessKeyKind::Temporary, account, [1, 2, 3, 4, 5]);
        let t0 = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let mut claims = SessionClaims::new(
            Principal::FederatedUser {
                partition: Partition::Aws,
                account,
                name: "zoë".into(),
            },
            t0,
            t0 + Duration::hours(1),
        );
        claims.tags = vec![("Projekt".into(), "Schlüssel €".into())];
        claims.session_policy = Some("{}".into());
        let mut out = Vec::new();
        encode(&mut out, &akid, &claims, 0);
        (akid, claims, out)
    }

    #[test]
    fn padding_lengthens_by_what_was_asked_and_decodes_to_the_same_claims() {
        let (akid, claims, plain) = sample();
        for extra in [1, 2, 3, 127, 128, 129, 130, 131, 4000] {
            let pad = padding_for(extra);
            let mut out = Vec::new();
            encode(&mut out, &akid, &claims, pad);
            let grown = out.len() - plain.len();
            assert!(grown >= extra, "{extra}: grew {grown}");
            assert!(
                grown <= extra + 1,
                "{extra}: grew {grown}, one byte more at most"
            );
            assert_eq!(
                decode(2, &out),
                Some((akid.clone(), claims.clone())),
                "{extra}"
            );
        }
    }

    #[test]
    fn padding_that_is_empty_or_not_zeros_does_not_decode() {
        let (akid, claims, plain) = sample();
        let mut out = Vec::new();
        encode(&mut out, &akid, &claims, 3);
        let (body, len) = out.split_last_chunk::<4>().unwrap();
        // The padding is the text section's last three bytes.
        let mut b = body.to_vec();
        let at = b.len() - 1;
        b[at] = b'x';
        b.extend_from_slice(len);
        assert_eq!(decode(2, &b), None, "padding not zeros");
        // Drop the padding flag (the first byte that differs from the unpadded encoding): the
        // padding is then left over.
        let mut b = out.clone();
        let flags_at = b.iter().zip(&plain).position(|(x, y)| x != y).unwrap();
        assert_eq!(b[flags_at] & FLAG_PADDING, FLAG_PADDING);
        b[flags_at] &= !FLAG_PADDING;
        assert_eq!(decode(2, &b), None, "padding without its flag");
    }

    #[test]
    fn version_2_round_trips_and_other_versions_do_not_decode() {
        let (akid, claims, bytes) = sample();
        assert_eq!(decode(2, &bytes), Some((akid, claims)));
        for v in [0, 1, 3, 255] {
            assert_eq!(decode(v, &bytes), None, "version {v}");
        }
    }

    #[test]
    fn a_trusted_context_round_trips_as_version_4_only() {
        let (akid, mut claims, plain) = sample();
        let workload = WorkloadIdentity {
            provider_arn: "arn:aws:iam::111122223333:workload-identity-provider/p".into(),
            template_arn: "arn:aws:iam::111122223333:workload-identity-template/t".into(),
            subject: "spiffe://example.org/ns/payments".into(),
        };
        let keys = vec![(
            "aws:WorkloadAttestation/aws/eks/Namespace".to_owned(),
            "payments".to_owned(),
        )];
        for (workload, keys, layers) in [
            (Some(workload.clone()), keys.clone(), 0),
            (None, keys.clone(), 2),
            (Some(workload), Vec::new(), 3),
        ] {
            claims.scope_policies = (0..layers).map(|i| format!("{{\"l\":{i}}}")).collect();
            claims.context = Some(Box::new(TrustedContext { workload, keys }));
            let mut out = Vec::new();
            encode(&mut out, &akid, &claims, 4);
            assert_eq!(decode(4, &out), Some((akid.clone(), claims.clone())));
            for v in [2, 3] {
                assert_eq!(decode(v, &out), None, "version {v}");
            }
        }
        // Version-2 bytes are not version 4, nor is an empty context (one encoding per value).
        assert_eq!(decode(4, &plain), None);
        claims.scope_policies.clear();
        claims.context = Some(Box::default());
        let mut out = Vec::new();
        encode(&mut out, &akid, &claims, 0);
        assert_eq!(decode(4, &out), None, "an empty context");
    }

    #[test]
    fn scope_policies_round_trip_as_version_3_only() {
        let (akid, mut claims, unscoped) = sample();
        for n in 1..=3 {
            claims.scope_policies = (0..n).map(|i| format!("{{\"layer\":{i}}}")).collect();
            for pad in [0, 5] {
                let mut out = Vec::new();
                encode(&mut out, &akid, &claims, pad);
                assert_eq!(
                    decode(3, &out),
                    Some((akid.clone(), claims.clone())),
                    "{n} layers, pad {pad}"
                );
                assert_eq!(decode(2, &out), None, "{n} layers read as version 2");
            }
        }
        // The unscoped encoding is not a version-3 one (no layer list), and a version-3
        // encoding with an empty list, or with four layers, is refused.
        assert_eq!(decode(3, &unscoped), None, "version 2 bytes as version 3");
        let (body, _) = unscoped.split_last_chunk::<4>().unwrap();
        let structure_len = u32::from_le_bytes(*unscoped.split_last_chunk::<4>().unwrap().1);
        let (structure, text) = body.split_at(structure_len as usize);
        let mut b = structure.to_vec();
        b.push(0);
        b.extend_from_slice(text);
        b.extend_from_slice(&(structure_len + 1).to_le_bytes());
        assert_eq!(decode(3, &b), None, "an empty layer list");
        claims.scope_policies = vec!["{}".to_owned(); 4];
        let mut out = Vec::new();
        encode(&mut out, &akid, &claims, 0);
        assert_eq!(decode(3, &out), None, "four layers");
    }

    #[test]
    fn a_wrong_structure_length_or_leftover_text_does_not_decode() {
        let (_, _, bytes) = sample();
        let (body, len) = bytes.split_last_chunk::<4>().unwrap();
        let structure_len = u32::from_le_bytes(*len);
        for delta in [-2i64, -1, 1, 2, i64::from(u32::MAX)] {
            let mut b = body.to_vec();
            let l = (i64::from(structure_len) + delta) as u32;
            b.extend_from_slice(&l.to_le_bytes());
            assert_eq!(decode(2, &b), None, "structure length {delta:+}");
        }
        // One more text byte, or one less.
        let mut b = body.to_vec();
        b.push(b'x');
        b.extend_from_slice(len);
        assert_eq!(decode(2, &b), None, "extra text");
        let mut b = body[..body.len() - 1].to_vec();
        b.extend_from_slice(len);
        assert_eq!(decode(2, &b), None, "short text");
        assert_eq!(decode(2, &bytes[..3]), None, "no trailer");
    }

    #[test]
    fn a_string_boundary_inside_a_character_does_not_decode() {
        let (_, _, bytes) = sample();
        // Structure: access key id length (20), principal tag 6, partition, account (8 bytes),
        // then the length of the name `zoë` (4 bytes of UTF-8: `ë` is two).
        assert_eq!(&bytes[..2], &[20, 6]);
        assert_eq!(bytes[11], 4);
        let mut b = bytes.clone();
        b[11] = 3;
        assert_eq!(decode(2, &b), None, "boundary inside `ë`");
        // And any change of one structure byte never panics.
        let structure_len = u32::from_le_bytes(*bytes.split_last_chunk::<4>().unwrap().1);
        for i in 0..structure_len as usize {
            for delta in [1u8, 2, 0x80] {
                let mut b = bytes.clone();
                b[i] = b[i].wrapping_add(delta);
                let _ = decode(2, &b);
            }
        }
    }
}

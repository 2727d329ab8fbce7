//! What several operations share: refusals, session tags, session policies,
//! `PackedPolicySize`, MFA codes and the credentials of a response.

use std::sync::Arc;

use keyturn_api::SecretString;
use keyturn_api::sts::{PolicyDescriptorType, Tag};
use time::OffsetDateTime;

use crate::engine::Engine;
use crate::engine::snapshot::Snapshot;
use crate::evaluator::{PolicyRef, PolicySource};
use crate::{Error, ErrorCode};

/// AWS's text for a wrong (or replayed, or unknown-device) MFA code.
pub const MFA_INVALID_TEXT: &str =
    "MultiFactorAuthentication failed with invalid MFA one time pass code. ";
/// AWS's text when only one of SerialNumber and TokenCode is given.
pub const MFA_INCOMPLETE_TEXT: &str =
    "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.";
/// AWS's text when root calls AssumeRole.
pub const ROOT_ASSUME_TEXT: &str = "Roles may not be assumed by root accounts.";
/// The packed-policy budget in bytes that `PackedPolicySize` is a percentage of.
pub const PACKED_POLICY_LIMIT: usize = 2048;

/// The longest session token Keyturn mints, in characters: what `SessionTokenUtilization` is a
/// percentage of. Every variable part of a token is bounded by the model's constraints and
/// [`PACKED_POLICY_LIMIT`]; a test mints the largest claims those bounds allow and checks that
/// the token stays within this.
pub const MAX_SESSION_TOKEN_SIZE: usize = 16_384;

/// Credentials just minted, with the sizes a response reports of their session token.
pub(crate) struct Minted {
    /// The credentials.
    pub(crate) credentials: keyturn_api::sts::Credentials,
    /// `SessionTokenSize`: the session token's length in characters.
    pub(crate) size: Option<i32>,
    /// `SessionTokenUtilization`: that length as a percentage of [`MAX_SESSION_TOKEN_SIZE`].
    pub(crate) utilization: Option<i32>,
}

/// Mints credentials for `claims`, with a session token at least `minimum` characters long
/// (`MinimumSessionTokenSize`: 0 to 4,096, checked by the model's constraints).
pub(crate) fn mint(
    engine: &Engine,
    mut claims: crate::token::SessionClaims,
    minimum: Option<i32>,
) -> Result<Minted, Error> {
    claims.minimum_token_size = minimum.and_then(|m| u16::try_from(m).ok()).unwrap_or(0);
    let credentials = engine.signer.mint(&claims)?;
    let len = credentials.session_token.expose().len();
    Ok(Minted {
        size: Some(i32::try_from(len).unwrap_or(i32::MAX)),
        utilization: Some(token_utilization(len)),
        credentials,
    })
}

/// A session token's length as a percentage of [`MAX_SESSION_TOKEN_SIZE`], rounded up (a token
/// of one character uses 1 %), at most 100.
pub(crate) fn token_utilization(len: usize) -> i32 {
    let percent = (len * 100).div_ceil(MAX_SESSION_TOKEN_SIZE).min(100);
    i32::try_from(percent).unwrap_or(100)
}

/// `Ok` when `ok`, else the error `code` with the text `text()` (made only for a refusal).
///
/// # Errors
/// As described.
pub(crate) fn ensure(
    ok: bool,
    code: ErrorCode,
    text: impl FnOnce() -> String,
) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::new(code, text()))
    }
}

/// AWS's refusal of a managed policy ARN that names none it can attach: "Policy X does not
/// exist or is not attachable.", with the action's `code`.
pub(crate) fn not_attachable(code: ErrorCode, arn: &str) -> Error {
    Error::new(
        code,
        format!("Policy {arn} does not exist or is not attachable."),
    )
}

/// `now` without its sub-second part (tokens keep times to the second).
pub(crate) fn whole_seconds(now: OffsetDateTime) -> OffsetDateTime {
    now.replace_nanosecond(0).unwrap_or(now)
}

/// Checks session tags: no duplicate keys (ignoring case); transitive keys among the tags; no
/// tag that would override a transitive tag of the calling session.
pub(crate) fn check_tags(
    tags: &[Tag],
    transitive: &[String],
    inherited: &[(String, String)],
) -> Result<(), Error> {
    for t in tags {
        if t.key.len() >= 4 && t.key[..4].eq_ignore_ascii_case("aws:") {
            return Err(Error::new(
                ErrorCode::InvalidParameterValue,
                format!(
                    "Tag key {} is invalid: tag keys may not begin with the reserved prefix aws:",
                    t.key
                ),
            ));
        }
    }
    for (i, t) in tags.iter().enumerate() {
        if tags[..i].iter().any(|u| u.key.eq_ignore_ascii_case(&t.key)) {
            return Err(Error::new(
                ErrorCode::InvalidParameterValue,
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
                    .to_owned(),
            ));
        }
    }
    for k in transitive {
        if !tags.iter().any(|t| t.key.eq_ignore_ascii_case(k)) {
            return Err(Error::new(
                ErrorCode::InvalidParameterValue,
                "The specified transitive tag key must be included in the requested tags."
                    .to_owned(),
            ));
        }
    }
    for t in tags {
        if inherited
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(&t.key))
        {
            return Err(Error::new(
                ErrorCode::InvalidParameterValue,
                "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
            ));
        }
    }
    Ok(())
}

/// Session policies of a request: the inline `Policy` (validated as a session policy) and the
/// `PolicyArns` (which must exist). Returns the compiled policies and the ARNs.
pub(crate) fn session_policies(
    snapshot: &Snapshot,
    policy: Option<&str>,
    arns: &[PolicyDescriptorType],
) -> Result<(Vec<Arc<PolicyRef>>, Vec<String>), Error> {
    let mut out = Vec::new();
    if let Some(text) = policy {
        out.push(Arc::new(PolicyRef::parse(
            "SessionPolicy",
            PolicySource::None,
            text,
            keyturn_policy::PolicyType::Session,
        )?));
    }
    let mut names = Vec::with_capacity(arns.len());
    for d in arns {
        let arn = d.arn.as_deref().unwrap_or_default();
        let p = snapshot
            .managed
            .get(arn)
            .ok_or_else(|| not_attachable(ErrorCode::InvalidParameterValue, arn))?;
        out.push(Arc::clone(p));
        names.push(arn.to_owned());
    }
    Ok((out, names))
}

/// The session policies of a request (AssumeRole, GetFederationToken, the federation actions):
/// the managed policy ARNs it passes, checked as [`session_policies`] checks them, and its
/// `PackedPolicySize` with the session's `tags` ([`packed_policy_size`]).
///
/// # Errors
/// As [`session_policies`] and [`packed_policy_size`].
pub(crate) fn packed_session_policies(
    snapshot: &Snapshot,
    policy: Option<&str>,
    arns: &[PolicyDescriptorType],
    tags: &[(String, String)],
) -> Result<(Vec<String>, Option<i32>), Error> {
    let (_, policy_arns) = session_policies(snapshot, policy, arns)?;
    let packed = packed_policy_size(policy, &policy_arns, tags)?;
    Ok((policy_arns, packed))
}

/// A request's tags as the session's (key, value) pairs.
pub(crate) fn tag_pairs(tags: &[Tag]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect()
}

/// The length of a JSON text without the whitespace outside strings.
fn minified_len(text: &str) -> usize {
    let mut in_string = false;
    let mut escaped = false;
    let mut n = 0;
    for c in text.chars() {
        if in_string {
            n += c.len_utf8();
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_whitespace() {
            n += c.len_utf8();
            if c == '"' {
                in_string = true;
            }
        }
    }
    n
}

/// `PackedPolicySize`: a deterministic estimate of AWS's packed form, as a percentage of
/// [`PACKED_POLICY_LIMIT`] (see docs/engine.md): half the minified inline policy (the binary
/// packing roughly halves JSON), plus each policy ARN, plus each tag's key and value with two
/// bytes of framing. `None` when the request has no session policy and no tags.
///
/// # Errors
/// `PackedPolicyTooLarge` above 100 %.
pub fn packed_policy_size(
    policy: Option<&str>,
    arns: &[String],
    tags: &[(String, String)],
) -> Result<Option<i32>, Error> {
    if policy.is_none() && arns.is_empty() && tags.is_empty() {
        return Ok(None);
    }
    let policy_bytes = policy.map_or(0, |p| minified_len(p).div_ceil(2))
        + arns.iter().map(String::len).sum::<usize>();
    let tag_bytes = tags
        .iter()
        .map(|(k, v)| k.len() + v.len() + 2)
        .sum::<usize>();
    let percent = ((policy_bytes + tag_bytes) * 100).div_ceil(PACKED_POLICY_LIMIT);
    if percent > 100 {
        // AWS words it after what overflowed: the policies, or the session tags.
        let policy_percent = (policy_bytes * 100).div_ceil(PACKED_POLICY_LIMIT);
        return Err(Error::new(
            ErrorCode::PackedPolicyTooLarge,
            if policy_percent > 100 || tag_bytes == 0 {
                format!(
                    "Packed policy consumes {percent}% of allotted space, please use smaller policy for this request."
                )
            } else {
                format!("Packed size of session tags consumes {percent}% of allotted space.")
            },
        ));
    }
    Ok(Some(i32::try_from(percent).unwrap_or(i32::MAX)))
}

/// Verifies an MFA code for `serial` at `now`, once (replays are refused through the store).
/// `owner` is the ARN of the IAM user who must own the device.
pub(crate) fn verify_mfa(
    engine: &Engine,
    snapshot: &Snapshot,
    serial: Option<&str>,
    code: Option<&SecretString>,
    owner: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, Error> {
    let (serial, code) = match (serial, code) {
        (None, None) => return Ok(None),
        (Some(s), Some(c)) => (s, c.expose()),
        _ => {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                MFA_INCOMPLETE_TEXT.to_owned(),
            ));
        }
    };
    let invalid = || Error::new(ErrorCode::AccessDenied, MFA_INVALID_TEXT.to_owned());
    let device = snapshot.mfa.get(serial).ok_or_else(invalid)?;
    if owner.is_some_and(|o| o != device.user_arn) {
        return Err(invalid());
    }
    let unix = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let step = crate::mfa::verify_totp(&device.seed, code, unix, 1).ok_or_else(invalid)?;
    if !engine.store.consume_mfa_code(serial, step)? {
        return Err(invalid());
    }
    Ok(Some(whole_seconds(now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_role_session_the_limits_allow_fits_the_token_budget() {
        use crate::arn::Partition;
        use crate::ids::{AccessKeyId, AccessKeyKind, AccountId, UniqueId};
        use crate::principal::{Principal, RoleSession};
        use crate::token::{self, SessionClaims};

        let account = AccountId::new(123_456_789_012).unwrap();
        let t0 = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let x = |n: usize| "x".repeat(n);
        // Each string at its model maximum: path 512, role and session names 64, source identity 64.
        let session = RoleSession {
            partition: Partition::Aws,
            account,
            role_path: format!("/{}/", x(510)),
            role_name: x(64),
            role_id: UniqueId::parse("AROAXXXXXXXXXXXXXXXXX").unwrap(),
            session_name: x(64),
        };
        let caller = format!("arn:aws:sts::123456789012:assumed-role/{}/{}", x(64), x(64));
        let mut claims = SessionClaims::new(Principal::AssumedRole(session), t0, t0);
        claims.source_identity = Some(x(64));
        claims.caller_arn = Some(caller.clone());
        claims.original_caller_arn = Some(caller);
        // The packed budget at 100 %: an inline policy of 2,048 characters counts half, so
        // 1,024 bytes are left for policy ARNs and tags; tags (key 128, value 256, framing 2)
        // take the rest, and every tag is transitive.
        claims.session_policy = Some(x(2048));
        let tags: Vec<(String, String)> =
            (0..2).map(|i| (format!("{i}{}", x(127)), x(256))).collect();
        let used = PACKED_POLICY_LIMIT.div_ceil(2)
            + tags
                .iter()
                .map(|(k, v)| k.len() + v.len() + 2)
                .sum::<usize>();
        claims.policy_arns = vec![format!(
            "arn:aws:iam::123456789012:policy/{}",
            x(PACKED_POLICY_LIMIT - used - 34)
        )];
        claims.transitive_tag_keys = tags.iter().map(|(k, _)| k.clone()).collect();
        claims.tags = tags;
        let ring = crate::keyring::Keyring::generate().unwrap();
        let akid = AccessKeyId::from_parts(AccessKeyKind::Temporary, account, [1; 5]);
        let len = token::seal(&ring, &akid, &claims).unwrap().token.len();
        assert!(len <= MAX_SESSION_TOKEN_SIZE, "{len}");
        assert!(token_utilization(len) < 100);
        assert_eq!(token_utilization(1), 1);
        assert_eq!(token_utilization(MAX_SESSION_TOKEN_SIZE * 2), 100);
    }

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            key: k.to_owned(),
            value: v.to_owned(),
        }
    }

    #[test]
    fn tag_rules() {
        assert!(matches!(
            check_tags(&[tag("AWS:team", "1")], &[], &[]),
            Err(e) if e.error_code() == ErrorCode::InvalidParameterValue && e.message().contains("aws:")
        ));
        assert!(check_tags(&[tag("a", "1"), tag("A", "2")], &[], &[]).is_err());
        assert!(check_tags(&[tag("a", "1")], &["b".to_owned()], &[]).is_err());
        assert!(check_tags(&[tag("a", "1")], &["A".to_owned()], &[]).is_ok());
        let inherited = [("Team".to_owned(), "x".to_owned())];
        assert!(check_tags(&[tag("team", "1")], &[], &inherited).is_err());
        assert!(check_tags(&[tag("other", "1")], &[], &inherited).is_ok());
    }

    #[test]
    fn packed_size_is_deterministic_and_bounded() {
        assert_eq!(packed_policy_size(None, &[], &[]), Ok(None));
        let p = r#"{ "Version": "2012-10-17", "Statement": [] }"#;
        assert_eq!(minified_len(p), 39);
        assert_eq!(packed_policy_size(Some(p), &[], &[]), Ok(Some(1)));
        let tags: Vec<(String, String)> = (0..50)
            .map(|i| (format!("key{i:0>120}"), "v".repeat(200)))
            .collect();
        match packed_policy_size(None, &[], &tags) {
            Err(e) if e.error_code() == ErrorCode::PackedPolicyTooLarge => {
                assert_eq!(
                    e.message(),
                    "Packed size of session tags consumes 794% of allotted space."
                );
            }
            other => panic!("{other:?}"),
        }
        let big = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"{}"}}]}}"#,
            "a".repeat(5000)
        );
        match packed_policy_size(Some(&big), &[], &[]) {
            Err(e) if e.error_code() == ErrorCode::PackedPolicyTooLarge => assert!(
                e.message().starts_with("Packed policy consumes ")
                    && e.message().ends_with(
                        "% of allotted space, please use smaller policy for this request."
                    ),
                "{e}"
            ),
            other => panic!("{other:?}"),
        }
    }
}

//! The STS operations (and IAM's policy simulation) over the engine.
//!
//! [`run`] authenticates (except for the unsigned federation actions), applies the restrictions
//! of GetSessionToken and GetFederationToken credentials, and dispatches to one operation.

mod assume_role;
mod federation;
mod info;
mod simulate;
mod tokens;

pub use federation::saml_name_qualifier;

use crate::ErrorCode;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::Error;
use crate::engine::snapshot::Snapshot;
use crate::engine::{Caller, CallerKind, Engine};
use crate::evaluator::{PolicyRef, PolicySource};
use crate::request::{CallerIdentity, HttpParts, Service};
use crate::sts::api::{self, PolicyDescriptor, Tag};
use crate::sts::{ApiRequest, ApiResponse};

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

/// Runs one validated request that arrived over HTTP: authenticates it (except the unsigned
/// federation actions), then [`call`]s the operation.
fn run(
    engine: &Engine,
    http: &HttpParts<'_>,
    service: Service,
    request: ApiRequest,
    identity: Option<&mut Option<CallerIdentity>>,
) -> Result<ApiResponse, Error> {
    if is_unsigned(&request) {
        return call(engine, None, http, request);
    }
    let caller = engine.authenticate(http, service)?;
    if let Some(slot) = identity {
        *slot = Some(caller.identity());
    }
    call(engine, Some(&caller), http, request)
}

/// Whether the action is called without a signature (AssumeRoleWithSAML and
/// AssumeRoleWithWebIdentity: the assertion or token authenticates it).
pub fn is_unsigned(request: &ApiRequest) -> bool {
    matches!(
        request,
        ApiRequest::AssumeRoleWithWebIdentity(_) | ApiRequest::AssumeRoleWithSaml(_)
    )
}

/// Runs one validated request as an already authenticated `caller` (`None` only for the
/// unsigned actions, see [`is_unsigned`]). `http` gives the request's environment (source IP,
/// user agent, transport).
///
/// # Errors
/// Any [`Error`] with AWS's code and text; `MissingAuthenticationToken` for a signed action
/// without a caller.
pub fn call(
    engine: &Engine,
    caller: Option<&Caller>,
    http: &HttpParts<'_>,
    request: ApiRequest,
) -> Result<ApiResponse, Error> {
    match request {
        ApiRequest::AssumeRoleWithWebIdentity(r) => {
            return federation::assume_role_with_web_identity(engine, http, &r);
        }
        ApiRequest::AssumeRoleWithSaml(r) => {
            return federation::assume_role_with_saml(engine, http, &r);
        }
        _ => {}
    }
    let Some(caller) = caller else {
        return Err(keyturn_sigv4::SigV4Error::MissingAuthentication.into());
    };
    check_session_restrictions(caller, &request)?;
    match request {
        ApiRequest::AssumeRole(r) => assume_role::assume_role(engine, caller, &r),
        ApiRequest::GetCallerIdentity => Ok(info::get_caller_identity(caller)),
        ApiRequest::GetSessionToken(r) => tokens::get_session_token(engine, caller, &r),
        ApiRequest::GetFederationToken(r) => tokens::get_federation_token(engine, caller, &r),
        ApiRequest::GetAccessKeyInfo(r) => info::get_access_key_info(&r),
        ApiRequest::DecodeAuthorizationMessage(r) => {
            info::decode_authorization_message(engine, caller, &r)
        }
        ApiRequest::AssumeRoot(r) => info::assume_root(caller, &r),
        ApiRequest::GetDelegatedAccessToken(_) => info::get_delegated_access_token(),
        ApiRequest::GetWebIdentityToken(_) => info::get_web_identity_token(),
        ApiRequest::SimulatePrincipalPolicy(r) => simulate::simulate_principal(engine, caller, &r),
        ApiRequest::SimulateCustomPolicy(r) => simulate::simulate_custom(engine, caller, &r),
        ApiRequest::AssumeRoleWithWebIdentity(_) | ApiRequest::AssumeRoleWithSaml(_) => Err(
            Error::new(ErrorCode::InternalFailure, crate::store::INTERNAL_FAILURE_MESSAGE.to_owned()),
        ),
    }
}

/// GetSessionToken credentials may call only AssumeRole and GetCallerIdentity in STS (and IAM
/// only when MFA-authenticated); GetFederationToken credentials only GetCallerIdentity.
fn check_session_restrictions(caller: &Caller, request: &ApiRequest) -> Result<(), Error> {
    let action = request.action_name();
    let allowed = match caller.kind {
        CallerKind::SessionToken => match request {
            ApiRequest::AssumeRole(_) | ApiRequest::GetCallerIdentity => true,
            r if r.is_iam() => caller.session.as_ref().is_some_and(|s| s.mfa_present()),
            _ => false,
        },
        CallerKind::FederatedUser => matches!(request, ApiRequest::GetCallerIdentity),
        _ => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::AccessDenied, format!(
            "Cannot call {action} with session credentials"
        )))
    }
}

/// The core credentials as the API returns them.
pub(crate) fn api_credentials(c: crate::signer::Credentials) -> api::Credentials {
    api::Credentials {
        access_key_id: c.access_key_id.as_str().to_owned(),
        secret_access_key: api::SecretString::new(c.secret_access_key.expose()),
        session_token: api::SecretString::new(c.session_token),
        expiration: c.expiration,
    }
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
            return Err(Error::new(ErrorCode::InvalidParameterValue, format!(
                "Tag key {} is invalid: tag keys may not begin with the reserved prefix aws:",
                t.key
            )));
        }
    }
    for (i, t) in tags.iter().enumerate() {
        if tags[..i].iter().any(|u| u.key.eq_ignore_ascii_case(&t.key)) {
            return Err(Error::new(ErrorCode::InvalidParameterValue, 
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
                    .to_owned(),
            ));
        }
    }
    for k in transitive {
        if !tags.iter().any(|t| t.key.eq_ignore_ascii_case(k)) {
            return Err(Error::new(ErrorCode::InvalidParameterValue, 
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
            return Err(Error::new(ErrorCode::InvalidParameterValue, 
                "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.".to_owned(),
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
    arns: &[PolicyDescriptor],
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
        let p = snapshot.managed.get(arn).ok_or_else(|| {
            Error::new(ErrorCode::InvalidParameterValue, format!(
                "Policy {arn} does not exist or is not attachable."
            ))
        })?;
        out.push(Arc::clone(p));
        names.push(arn.to_owned());
    }
    Ok((out, names))
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
        return Err(Error::new(ErrorCode::PackedPolicyTooLarge, 
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
    code: Option<&api::SecretString>,
    owner: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, Error> {
    let (serial, code) = match (serial, code) {
        (None, None) => return Ok(None),
        (Some(s), Some(c)) => (s, c.expose()),
        _ => return Err(Error::new(ErrorCode::AccessDenied, MFA_INCOMPLETE_TEXT.to_owned())),
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
            Err(Error::new(ErrorCode::InvalidParameterValue, m)) if m.contains("aws:")
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
            Err(Error::new(ErrorCode::PackedPolicyTooLarge, m)) => {
                assert_eq!(
                    m,
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
            Err(Error::new(ErrorCode::PackedPolicyTooLarge, m)) => assert!(
                m.starts_with("Packed policy consumes ")
                    && m.ends_with(
                        "% of allotted space, please use smaller policy for this request."
                    ),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
    }
}

impl crate::sts::StsBackend for Engine {
    fn handle(
        &self,
        http: &HttpParts<'_>,
        service: Service,
        request: ApiRequest,
        caller: Option<&mut Option<CallerIdentity>>,
    ) -> Result<ApiResponse, Error> {
        run(self, http, service, request, caller)
    }
}

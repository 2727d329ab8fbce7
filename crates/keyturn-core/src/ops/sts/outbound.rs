//! `sts:GetWebIdentityToken`: a JWT of the caller's identity, signed by the account's issuer
//! (outbound web identity federation; the keys and documents are `engine::outbound`'s).

use keyturn_api::sts::{GetWebIdentityTokenRequest, GetWebIdentityTokenResponse};
use serde_json::{Map, Value, json};
use time::{Duration, OffsetDateTime};

use super::workload::session_provider;
use crate::engine::Caller;
use crate::engine::outbound::JwtAlgorithm;
use crate::ops::prelude::*;

/// OutboundWebIdentityFederationDisabledException's documented text.
pub const OUTBOUND_DISABLED_TEXT: &str = "The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.";

/// The token's lifetime when `DurationSeconds` is not given (5 minutes).
pub const DEFAULT_TOKEN_LIFETIME: i64 = 300;

/// The longest encoded claims set Keyturn signs (bytes of JSON); longer: JWTPayloadSizeExceeded.
/// AWS publishes no figure; 16 KiB holds about 40 tags of the largest size.
pub const PAYLOAD_LIMIT: usize = 16 * 1024;

/// The namespace of AWS's own claims in the token.
pub const AWS_CLAIMS: &str = "https://sts.amazonaws.com/";

/// The token's issue time and expiry: `DurationSeconds` (default 300) from now, which must not
/// outlive the calling session.
fn lifetime(
    cx: &Context<'_>,
    input: &GetWebIdentityTokenRequest,
) -> Result<(OffsetDateTime, OffsetDateTime), Error> {
    let now = cx.engine.clock().now();
    let lifetime = input
        .duration_seconds
        .map_or(DEFAULT_TOKEN_LIFETIME, i64::from);
    let expires = now + Duration::seconds(lifetime);
    if let Some(session) = &cx.caller()?.session
        && expires > session.expires_at
    {
        return Err(Error::new(
            ErrorCode::SessionDurationEscalationException,
            "The requested token duration would extend the session beyond its original \
             expiration time.",
        ));
    }
    Ok((now, expires))
}

/// The `sub` of an `OriginIdentity` token: the session's `aws:OriginIdentity/Subject`, with
/// `aws:OriginIdentity/Issuer` or `aws:OriginIdentity/FederatedProviderArn` beside it.
fn origin_subject(caller: &Caller) -> Result<String, Error> {
    let ctx = caller.session.as_ref().and_then(|s| s.context.as_deref());
    let key = |name: &str| ctx.and_then(|c| c.key(name));
    let subject = key("aws:OriginIdentity/Subject")
        .filter(|s| !s.trim().is_empty())
        .filter(|_| {
            key("aws:OriginIdentity/Issuer").is_some()
                || key("aws:OriginIdentity/FederatedProviderArn").is_some()
        })
        .ok_or_else(|| {
            validation(
                "SubjectMode OriginIdentity requires the aws:OriginIdentity/Subject key and the \
                 aws:OriginIdentity/Issuer or aws:OriginIdentity/FederatedProviderArn key in the \
                 calling session's trusted identity propagation context.",
            )
        })?;
    let arn_like = subject
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("arn:"));
    // Control, format and separator characters (other than the space), and surrounding spaces.
    let unprintable = subject.chars().any(|c| {
        c != ' '
            && (c.is_control()
                || c.is_whitespace()
                || matches!(c, '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
    });
    if arn_like || unprintable || subject.starts_with(' ') || subject.ends_with(' ') {
        return Err(Error::new(
            ErrorCode::AccessDenied,
            format!(
                "User: {} is not authorized to perform: sts:GetWebIdentityToken because the \
                 session's aws:OriginIdentity/Subject can't be used as a token subject",
                caller.arn
            ),
        ));
    }
    Ok(subject.to_owned())
}

/// A JWT-SVID for the calling session's workload identity: `sub` the SPIFFE ID, one `aud`,
/// `iss` the provider's issuer, signed by the provider's JWT signer for `alg`. Not subject to
/// the account's outbound federation: the provider's own issuer signs it.
fn jwt_svid(
    cx: &Context<'_>,
    input: &GetWebIdentityTokenRequest,
    alg: JwtAlgorithm,
) -> Result<GetWebIdentityTokenResponse, Error> {
    let (workload, provider) = session_provider(cx.caller()?, "sts:GetWebIdentityToken")?;
    let (now, expires) = lifetime(cx, input)?;
    let claims = json!({
        "iss": cx.engine.workload_issuer_url(provider),
        "sub": workload.subject,
        "aud": input.audience.first(),
        "iat": now.unix_timestamp(),
        "exp": expires.unix_timestamp(),
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    let token = cx
        .engine
        .sign_workload_jwt(provider, alg, &claims, PAYLOAD_LIMIT)?
        .ok_or_else(payload_too_large)?;
    Ok(GetWebIdentityTokenResponse {
        web_identity_token: Some(token.into()),
        expiration: Some(expires),
    })
}

fn payload_too_large() -> Error {
    Error::new(
        ErrorCode::JwtPayloadSizeExceededException,
        "The requested token payload size exceeds the maximum allowed size.",
    )
}

fn validation(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::ValidationError, message)
}

/// The request's rules beyond the model's constraints.
fn check(input: &GetWebIdentityTokenRequest) -> Result<JwtAlgorithm, Error> {
    let alg = JwtAlgorithm::from_name(&input.signing_algorithm).ok_or_else(|| {
        validation(format!(
            "1 validation error detected: Value '{}' at 'signingAlgorithm' failed to satisfy \
             constraint: Member must satisfy enum value set: [RS256, ES384]",
            input.signing_algorithm
        ))
    })?;
    if input.token_type.is_some() {
        if input.subject_mode.is_some() {
            return Err(validation(
                "TokenType and SubjectMode are mutually exclusive.",
            ));
        }
        if input.scope.is_some() {
            return Err(validation("TokenType and Scope are mutually exclusive."));
        }
    }
    if input.token_type.as_deref() == Some("JWT_SVID") {
        if input.audience.len() != 1 {
            return Err(validation(
                "A JWT_SVID token requires exactly one audience.",
            ));
        }
        if input.tags.as_ref().is_some_and(|t| !t.is_empty()) {
            return Err(validation("Tags cannot be specified for a JWT_SVID token."));
        }
    }
    if let Some(tags) = &input.tags {
        for (i, t) in tags.iter().enumerate() {
            if tags[..i].iter().any(|u| u.key.eq_ignore_ascii_case(&t.key)) {
                return Err(Error::new(
                    ErrorCode::InvalidParameterValue,
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
                ));
            }
        }
    }
    Ok(alg)
}

operation! {
    /// `sts:GetWebIdentityToken` on `*`, with the condition keys `sts:IdentityTokenAudience`,
    /// `sts:DurationSeconds`, `sts:SigningAlgorithm`, `sts:TokenType`, `sts:SubjectMode` and the
    /// request tags. The caller's account must have outbound federation enabled; the token
    /// (default 300 s) must not outlive the caller's session.
    GetWebIdentityToken(GetWebIdentityTokenRequest) -> GetWebIdentityTokenResponse;

    fn conditions(_cx, input) {
        let mut c: Conditions = vec![
            ("sts:IdentityTokenAudience".to_owned(), input.audience.clone()),
            (
                "sts:DurationSeconds".to_owned(),
                vec![input
                    .duration_seconds
                    .map_or(DEFAULT_TOKEN_LIFETIME, i64::from)
                    .to_string()],
            ),
            ("sts:SigningAlgorithm".to_owned(), vec![input.signing_algorithm.clone()]),
        ];
        if let Some(t) = &input.token_type {
            c.push(("sts:TokenType".to_owned(), vec![t.clone()]));
        }
        if let Some(m) = &input.subject_mode {
            c.push(("sts:SubjectMode".to_owned(), vec![m.clone()]));
        }
        if let Some(tags) = input.tags.as_ref().filter(|t| !t.is_empty()) {
            for t in tags {
                c.push((format!("aws:RequestTag/{}", t.key), vec![t.value.clone()]));
            }
            c.push((
                "aws:TagKeys".to_owned(),
                tags.iter().map(|t| t.key.clone()).collect(),
            ));
        }
        Ok(c)
    }

    fn run(cx, input) {
        let alg = check(&input)?;
        let caller = cx.caller()?;
        if input.token_type.as_deref() == Some("JWT_SVID") {
            return jwt_svid(cx, &input, alg);
        }
        let enabled = caller
            .snapshot
            .data
            .accounts
            .iter()
            .any(|a| a.id == caller.account && a.outbound_web_identity_federation);
        if !enabled {
            return Err(Error::new(
                ErrorCode::OutboundWebIdentityFederationDisabledException,
                OUTBOUND_DISABLED_TEXT,
            ));
        }
        let origin = input.subject_mode.as_deref() == Some("OriginIdentity");
        let subject = if origin {
            origin_subject(caller)?
        } else {
            caller.arn.clone()
        };
        let (now, expires) = lifetime(cx, &input)?;
        let issuer = cx.engine.issuer_url(&caller.account);
        // The role of a role session, else the caller itself.
        let principal_id = caller
            .principal
            .role_session()
            .map_or_else(|| caller.arn.clone(), |s| s.role_arn_string());
        let mut aws = Map::new();
        aws.insert("aws_account".into(), json!(caller.account));
        aws.insert("source_region".into(), json!(cx.engine.region()));
        aws.insert("principal_id".into(), json!(principal_id));
        let tags: Map<String, Value> = caller
            .principal_tags()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect();
        if !tags.is_empty() {
            aws.insert("principal_tags".into(), Value::Object(tags));
        }
        if let Some(tags) = input.tags.as_ref().filter(|t| !t.is_empty()) {
            let tags: Map<String, Value> = tags
                .iter()
                .map(|t| (t.key.clone(), json!(t.value)))
                .collect();
            aws.insert("request_tags".into(), Value::Object(tags));
        }
        let audience = if input.audience.len() == 1 {
            json!(input.audience[0])
        } else {
            json!(input.audience)
        };
        let mut claims = Map::new();
        claims.insert("iss".into(), json!(issuer));
        claims.insert("sub".into(), json!(subject));
        claims.insert("aud".into(), audience);
        claims.insert("iat".into(), json!(now.unix_timestamp()));
        claims.insert("nbf".into(), json!(now.unix_timestamp()));
        claims.insert("exp".into(), json!(expires.unix_timestamp()));
        claims.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
        if let Some(scope) = &input.scope {
            claims.insert("scope".into(), json!(scope));
        }
        if origin {
            claims.insert("subject_mode".into(), json!("OriginIdentity"));
        }
        claims.insert(AWS_CLAIMS.into(), Value::Object(aws));
        let token = cx
            .engine
            .sign_jwt(&caller.account, alg, &Value::Object(claims), PAYLOAD_LIMIT)?
            .ok_or_else(payload_too_large)?;
        Ok(GetWebIdentityTokenResponse {
            web_identity_token: Some(token.into()),
            expiration: Some(expires),
        })
    }
}

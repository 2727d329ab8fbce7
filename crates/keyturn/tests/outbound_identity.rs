//! Outbound web identity federation through the engine: the three IAM operations, the issuer's
//! documents, and GetWebIdentityToken's claims, durations and errors (signatures are verified
//! in keyturn-core's unit tests and by PyJWT and jose in the client suites).

#[path = "engine_support/harness.rs"]
mod harness;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use harness::*;
use keyturn::api::iam::{
    DisableOutboundWebIdentityFederationRequest, EnableOutboundWebIdentityFederationRequest,
    EnableOutboundWebIdentityFederationResponse, GetOutboundWebIdentityFederationInfoRequest,
};
use keyturn::ops::iam::{
    DisableOutboundWebIdentityFederation, EnableOutboundWebIdentityFederation,
    FEATURE_DISABLED_TEXT, FEATURE_ENABLED_TEXT, GetOutboundWebIdentityFederationInfo,
};
use keyturn::{Error, ErrorCode};
use serde_json::Value;

const ISSUER: &str = "http://127.0.0.1:8787/outbound/222222222222";

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD.decode(payload).unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

fn request(alg: &str) -> GetWebIdentityTokenRequest {
    GetWebIdentityTokenRequest {
        audience: vec!["https://api.example.com".into()],
        signing_algorithm: alg.into(),
        ..Default::default()
    }
}

#[allow(clippy::panic, reason = "test helper")]
fn token(r: Result<GetWebIdentityTokenResponse, Error>) -> (String, GetWebIdentityTokenResponse) {
    let r = r.unwrap_or_else(|e| panic!("{e:?}"));
    let text = present(&r.web_identity_token).expose().to_owned();
    (text, r)
}

/// EnableOutboundWebIdentityFederation for 222222222222, by its root.
fn enable(h: &Harness) -> Result<EnableOutboundWebIdentityFederationResponse, Error> {
    call::<EnableOutboundWebIdentityFederation>(
        h,
        &root(),
        EnableOutboundWebIdentityFederationRequest {},
    )
}

/// DisableOutboundWebIdentityFederation for the account of `creds`.
fn disable(h: &Harness, creds: &Creds) -> Result<keyturn::api::NoOutput, Error> {
    call::<DisableOutboundWebIdentityFederation>(
        h,
        creds,
        DisableOutboundWebIdentityFederationRequest {},
    )
}

/// A harness on the scenario whose account 222222222222 has outbound federation enabled.
#[allow(clippy::panic, reason = "test helper")]
fn enabled() -> Harness {
    let h = harness(&scenario_yaml());
    enable(&h).unwrap_or_else(|e| panic!("{e:?}"));
    h
}

#[test]
fn enable_info_disable_and_their_errors() {
    let h = harness(&scenario_yaml());
    let info = || {
        call::<GetOutboundWebIdentityFederationInfo>(
            &h,
            &root(),
            GetOutboundWebIdentityFederationInfoRequest {},
        )
    };
    assert_eq!(
        err(info()),
        Error::new(ErrorCode::FeatureDisabled, FEATURE_DISABLED_TEXT)
    );
    let enabled = enable(&h).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(enabled.issuer_identifier.as_deref(), Some(ISSUER));
    assert_eq!(h.engine.issuer_url("222222222222"), ISSUER);
    let e = err(enable(&h));
    assert_eq!((e.code(), e.http_status()), ("FeatureEnabled", 409));
    assert_eq!(e.message(), FEATURE_ENABLED_TEXT);
    let i = info().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(i.issuer_identifier.as_deref(), Some(ISSUER));
    assert_eq!(i.jwt_vending_enabled, Some(true));

    // The documents, only for an enabled account.
    let doc = h
        .engine
        .well_known("/outbound/222222222222/.well-known/openid-configuration")
        .unwrap_or_default();
    let doc: Value = serde_json::from_str(&doc).unwrap_or(Value::Null);
    assert_eq!(doc["issuer"], ISSUER);
    assert_eq!(doc["jwks_uri"], format!("{ISSUER}/.well-known/jwks.json"));
    assert!(
        h.engine
            .well_known("/outbound/222222222222/.well-known/jwks.json")
            .is_some()
    );
    for path in [
        "/outbound/111111111111/.well-known/jwks.json",
        "/outbound/222222222222/.well-known/other",
        "/outbound/22222222222x/.well-known/jwks.json",
        "/.well-known/jwks.json",
    ] {
        assert_eq!(h.engine.well_known(path), None, "{path}");
    }

    // alice may not change the account's settings.
    assert_eq!(err(disable(&h, &alice())).code(), "AccessDenied");
    disable(&h, &root()).unwrap_or_else(|e| panic!("{e:?}"));
    let e = err(disable(&h, &root()));
    assert_eq!((e.code(), e.http_status()), ("FeatureDisabled", 404));
    assert_eq!(
        h.engine
            .well_known("/outbound/222222222222/.well-known/jwks.json"),
        None
    );
}

#[test]
fn token_claims_and_lifetimes() {
    let h = enabled();
    let now = h.engine.clock().now();

    let (text, r) = token(call::<GetWebIdentityToken>(&h, &root(), request("ES384")));
    let c = claims(&text);
    assert_eq!(c["iss"], ISSUER);
    assert_eq!(c["sub"], "arn:aws:iam::222222222222:root");
    assert_eq!(c["aud"], "https://api.example.com");
    assert_eq!(c["iat"], now.unix_timestamp());
    assert_eq!(c["exp"], now.unix_timestamp() + 300);
    assert_eq!(r.expiration, Some(now + time::Duration::seconds(300)));
    assert_eq!(
        c["https://sts.amazonaws.com/"]["aws_account"],
        "222222222222"
    );
    assert!(c.get("scope").is_none());

    let mut req = request("RS256");
    req.audience.push("second".into());
    req.duration_seconds = Some(3600);
    req.scope = Some("a b".into());
    let (text, _) = token(call::<GetWebIdentityToken>(&h, &root(), req));
    let c = claims(&text);
    assert_eq!(
        c["aud"],
        serde_json::json!(["https://api.example.com", "second"])
    );
    assert_eq!(c["exp"], now.unix_timestamp() + 3600);
    assert_eq!(c["scope"], "a b");
}

#[test]
fn bad_requests() {
    let h = enabled();
    let e = err(call::<GetWebIdentityToken>(&h, &root(), request("HS256")));
    assert_eq!(e.code(), "ValidationError");
    let mut svid = request("RS256");
    svid.token_type = Some("JWT_SVID".into());
    svid.subject_mode = Some("AWSIdentity".into());
    assert_eq!(
        err(call::<GetWebIdentityToken>(&h, &root(), svid.clone())).message(),
        "TokenType and SubjectMode are mutually exclusive."
    );
    svid.subject_mode = None;
    // Root's long-term key has no workload identity (workload_sts.rs issues JWT-SVIDs).
    let e = err(call::<GetWebIdentityToken>(&h, &root(), svid.clone()));
    assert_eq!(e.code(), "AccessDenied");
    assert!(
        e.message()
            .ends_with("because the calling session doesn't have a workload identity")
    );
    svid.tags = Some(vec![keyturn::api::sts::Tag {
        key: "k".into(),
        value: "v".into(),
    }]);
    assert_eq!(
        err(call::<GetWebIdentityToken>(&h, &root(), svid)).message(),
        "Tags cannot be specified for a JWT_SVID token."
    );
    let mut dup = request("RS256");
    dup.tags = Some(vec![
        keyturn::api::sts::Tag {
            key: "Team".into(),
            value: "a".into(),
        },
        keyturn::api::sts::Tag {
            key: "team".into(),
            value: "b".into(),
        },
    ]);
    assert_eq!(
        err(call::<GetWebIdentityToken>(&h, &root(), dup)).code(),
        "InvalidParameterValue"
    );
}

#[test]
fn configuration_sets_the_flag_and_the_public_url() {
    let yaml = r#"
server: {public_url: "https://sts.example.com/"}
accounts:
  - id: "222222222222"
    outbound_web_identity_federation: true
  - id: "111111111111"
"#;
    let config = keyturn::Config::from_str(yaml, "test").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        config.server.public_url.as_deref(),
        Some("https://sts.example.com")
    );
    let data = config.to_iam_data();
    let flag = |id: &str| data.account(id).map(|a| a.outbound_web_identity_federation);
    assert_eq!(flag("222222222222"), Some(true));
    assert_eq!(flag("111111111111"), Some(false));
    for bad in ["ftp://x", "https://", "https://host?q", "sts.example.com"] {
        let yaml = format!("server: {{public_url: \"{bad}\"}}\naccounts: []\n");
        let e = keyturn::Config::from_str(&yaml, "test").map(|_| ());
        assert!(
            e.as_ref()
                .is_err_and(|e| e.to_string().contains("server.public_url")),
            "{bad}: {e:?}"
        );
    }
}

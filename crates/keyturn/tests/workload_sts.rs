//! Workload identity's STS side through the engine: IssueWorkloadIdentityContext, AssumeRole
//! with `ProvidedContexts`, the session's workload identity and condition keys, GetCertificate,
//! GetTrustBundles and GetWebIdentityToken's JWT_SVID and OriginIdentity, with every error.
//! (The certificate chain and the JWT-SVID signature are verified by Python's `cryptography`
//! and PyJWT in the client suite, test_workload_identity.py.)

#[path = "engine_support/harness.rs"]
mod harness;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use harness::*;
use keyturn::{Clock as _, Error, ErrorCode};
use keyturn_core::iam::workload::PrivateCertificateAuthority;
use keyturn_core::iam::{Change, Entity};
use serde_json::Value;

const ACCOUNT: &str = "111111111111";
const PROVIDER: &str = "arn:aws:iam::111111111111:workload-identity-provider/prod";
const TEMPLATE: &str = "arn:aws:iam::111111111111:workload-identity-template/eks";
const PAYMENTS: &str = "arn:aws:iam::111111111111:role/Payments";
const SUBJECT: &str = "spiffe://example.org/k8s/prod/ns/pay";
const PLATFORM: &str = "arn:aws:iam::111111111111:user/platform";
const DOC: &str = r#"{"eks/ClusterName":"prod","eks/Namespace":"pay"}"#;
const CSR: &str = include_str!("../../keyturn-core/tests/data/pki/csr_p256.pem");

fn platform() -> Creds {
    Creds::long_term(&key_id(ACCOUNT, 7), ALICE_SECRET)
}

fn other_account() -> Creds {
    Creds::long_term(&key_id("222222222222", 8), ALICE_SECRET)
}

/// The scenario, without X.509 signers.
fn bare() -> Harness {
    let yaml = include_str!("fixtures/workload.yaml")
        .replace("{platform}", &key_id(ACCOUNT, 7))
        .replace("{alice}", &key_id("222222222222", 8))
        .replace("{SECRET}", ALICE_SECRET);
    harness(&yaml)
}

/// The scenario with the CA `ca-p256` attached to provider `prod`, signing since an hour ago.
#[allow(clippy::panic, reason = "test setup")]
fn setup() -> Harness {
    let h = bare();
    let start = h.clock.now() - time::Duration::hours(1);
    let engine = &h.engine;
    engine
        .change(|snap| {
            let account = snap
                .data
                .account(ACCOUNT)
                .unwrap_or_else(|| panic!("no account"));
            let ca: &PrivateCertificateAuthority = &account.private_certificate_authorities[0];
            let mut provider = account.workload_identity_providers[0].clone();
            provider.x509_signers = vec![engine.new_x509_signer(ACCOUNT, ca, start, 1)?];
            provider.next_sequence = 2;
            Ok((
                vec![Change::Put {
                    account: ACCOUNT.to_owned(),
                    entity: Entity::WorkloadIdentityProvider(Box::new(provider)),
                }],
                (),
            ))
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    h
}

fn issue_request(doc: &str, role: Option<&str>) -> IssueWorkloadIdentityContextRequest {
    IssueWorkloadIdentityContextRequest {
        workload_identity_template_arn: Some(TEMPLATE.to_owned()),
        attestation_document: doc.to_owned(),
        target_role_arn: role.map(str::to_owned),
        ..Default::default()
    }
}

fn issue(
    h: &Harness,
    req: IssueWorkloadIdentityContextRequest,
) -> Result<IssueWorkloadIdentityContextResponse, Error> {
    call::<IssueWorkloadIdentityContext>(h, &platform(), req)
}

/// AssumeRole of `role` by the platform with `context` as its only provided context.
fn redeem(
    h: &Harness,
    creds: &Creds,
    role: &str,
    context: ProvidedContext,
) -> Result<AssumeRoleResponse, Error> {
    let mut req = assume_role(role, "workload");
    req.provided_contexts = Some(vec![context]);
    call::<AssumeRole>(h, creds, req)
}

/// The credentials of a Payments session for the workload `doc` attests.
#[allow(clippy::panic, reason = "test helper")]
fn workload_session(h: &Harness, doc: &str) -> Creds {
    let ctx = issue(h, issue_request(doc, Some(PAYMENTS))).unwrap_or_else(|e| panic!("{e:?}"));
    let r =
        redeem(h, &platform(), PAYMENTS, ctx.provided_context).unwrap_or_else(|e| panic!("{e:?}"));
    Creds::from_api(present(&r.credentials))
}

fn plain_session(h: &Harness) -> Creds {
    let r = assumed(call::<AssumeRole>(
        h,
        &platform(),
        assume_role("arn:aws:iam::111111111111:role/Plain", "plain"),
    ));
    Creds::from_api(&r.credentials)
}

fn code<T: std::fmt::Debug>(r: Result<T, Error>) -> (ErrorCode, String) {
    let e = err(r);
    (e.error_code(), e.message().to_owned())
}

fn claims(token: &str) -> (Value, Value) {
    let part = |i: usize| {
        let text = token.split('.').nth(i).unwrap_or_default();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(text).unwrap_or_default())
            .unwrap_or(Value::Null)
    };
    (part(0), part(1))
}

#[test]
fn a_context_is_issued_redeemed_once_per_role_and_its_session_carries_the_workload() {
    let h = setup();
    let now = h.clock.now();
    let mut req = issue_request(DOC, Some(PAYMENTS));
    req.duration_seconds = Some(300);
    req.session_duration_seconds = Some(900);
    let ctx = issue(&h, req).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ctx.subject, SUBJECT);
    assert_eq!(ctx.provided_context.provider_arn.as_deref(), Some(PROVIDER));
    assert_eq!(ctx.audience.as_deref(), Some(PLATFORM));
    assert_eq!(ctx.expiration, Some(now + time::Duration::seconds(300)));
    assert_eq!(
        ctx.session_expiration,
        Some(now + time::Duration::seconds(900))
    );
    let assertion = present(&ctx.provided_context.context_assertion).clone();
    assert!(assertion.len() <= 3072, "{}", assertion.len());
    // The assertion is encrypted: the subject is not readable in it.
    assert!(!assertion.contains("example.org"));

    let r = redeem(&h, &platform(), PAYMENTS, ctx.provided_context.clone())
        .unwrap_or_else(|e| panic!("{e:?}"));
    // The session ends at the context's SessionExpiration (900 s), before the default hour.
    assert_eq!(lifetime(&r.credentials), 900);
    let session = Creds::from_api(present(&r.credentials));
    assert_eq!(
        identity_of(&h, &session).arn,
        "arn:aws:sts::111111111111:assumed-role/Payments/workload"
    );
    // Its requests carry the workload's keys: the policy that allows one subject decides.
    assert!(allowed(
        &h,
        &session,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key"
    ));
    let other = workload_session(&h, r#"{"eks/ClusterName":"prod","eks/Namespace":"other"}"#);
    assert!(!allowed(
        &h,
        &other,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key"
    ));
    // A session without a context has none of them.
    assert!(!allowed(
        &h,
        &plain_session(&h),
        "s3:GetObject",
        "arn:aws:s3:::bucket/key"
    ));
}

#[test]
fn without_a_target_role_only_the_identity_is_returned() {
    let h = setup();
    let ctx = issue(&h, issue_request(DOC, None)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ctx.subject, SUBJECT);
    assert_eq!(ctx.provided_context.provider_arn.as_deref(), Some(PROVIDER));
    assert_eq!(ctx.provided_context.context_assertion, None);
    assert_eq!(
        (ctx.audience, ctx.expiration, ctx.session_expiration),
        (None, None, None)
    );
    // A NONE provider renders the path alone.
    let mut req = issue_request(r#"{"eks/Namespace":"pay"}"#, None);
    req.workload_identity_template_arn =
        Some("arn:aws:iam::111111111111:workload-identity-template/bare".into());
    let ctx = issue(&h, req).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ctx.subject, "111111111111/pay");
}

#[test]
fn issuing_refuses_bad_documents_templates_policies_and_roles() {
    let h = setup();
    let bad_doc = |doc: &str| code(issue(&h, issue_request(doc, Some(PAYMENTS))));
    for (doc, reason) in [
        ("[]", "cannotParse"),
        ("{}", "invalidValue"),
        (r#"{"ClusterName":"prod"}"#, "invalidKey"),
        (r#"{"eks/Colour":"red"}"#, "unexpectedAttestation"),
        (r#"{"eks/Namespace":""}"#, "invalidValue"),
        (
            r#"{"eks/Namespace":"a","eks/namespace":"b"}"#,
            "duplicateKey",
        ),
        (r#"{"eks/Namespace":"pay"}"#, "unresolvedTemplateVariable"),
    ] {
        let (c, m) = bad_doc(doc);
        assert_eq!(c, ErrorCode::InvalidAttestationDocument, "{doc}");
        assert!(m.contains(&format!("reason: {reason}")), "{doc}: {m}");
    }
    let (c, m) = bad_doc(r#"{"eks/ClusterName":"prod","eks/Namespace":".."}"#);
    assert_eq!(c, ErrorCode::InvalidWorkloadIdentityConfiguration, "{m}");
    assert!(m.contains("unrenderableTemplate"), "{m}");
    // The attestation policy denies this namespace: AccessDenied.
    let (c, m) = bad_doc(r#"{"eks/ClusterName":"prod","eks/Namespace":"forbidden"}"#);
    assert_eq!(c, ErrorCode::AccessDenied, "{m}");
    assert!(m.contains(TEMPLATE), "{m}");
    let with_template = |arn: &str| {
        let mut req = issue_request(DOC, Some(PAYMENTS));
        req.workload_identity_template_arn = Some(arn.to_owned());
        code(issue(&h, req))
    };
    // No attestation policy, no such template.
    for arn in [
        "arn:aws:iam::111111111111:workload-identity-template/closed",
        "arn:aws:iam::111111111111:workload-identity-template/none",
    ] {
        assert_eq!(with_template(arn).0, ErrorCode::AccessDenied, "{arn}");
    }
    let mut req = issue_request(DOC, Some(PAYMENTS));
    req.workload_identity_template_arn = None;
    assert_eq!(code(issue(&h, req)).0, ErrorCode::ValidationError);
    // A role that does not exist, or in another account.
    for role in [
        "arn:aws:iam::111111111111:role/Nope",
        "arn:aws:iam::222222222222:role/Payments",
    ] {
        let (c, m) = code(issue(&h, issue_request(DOC, Some(role))));
        assert_eq!(c, ErrorCode::AccessDenied, "{role}: {m}");
    }
    // Another account's caller is outside the template's scope.
    let r = call::<IssueWorkloadIdentityContext>(
        &h,
        &other_account(),
        issue_request(DOC, Some(PAYMENTS)),
    );
    assert_eq!(code(r).0, ErrorCode::AccessDenied);
}

#[test]
fn assume_role_refuses_a_context_that_is_not_for_it() {
    let h = setup();
    let ctx = issue(&h, issue_request(DOC, Some(PAYMENTS))).unwrap_or_else(|e| panic!("{e:?}"));
    let invalid = |r: Result<AssumeRoleResponse, Error>| {
        let (c, m) = code(r);
        assert_eq!(c, ErrorCode::InvalidContextAssertion, "{m}");
        assert_eq!(err_status(c), 400);
    };
    // Another role, another caller, another provider ARN, an altered or foreign assertion.
    invalid(redeem(
        &h,
        &platform(),
        "arn:aws:iam::111111111111:role/Plain",
        ctx.provided_context.clone(),
    ));
    invalid(redeem(
        &h,
        &other_account(),
        PAYMENTS,
        ctx.provided_context.clone(),
    ));
    let mut wrong = ctx.provided_context.clone();
    wrong.provider_arn = Some("arn:aws:iam::111111111111:workload-identity-provider/bare".into());
    invalid(redeem(&h, &platform(), PAYMENTS, wrong));
    let mut altered = ctx.provided_context.clone();
    let text = present(&altered.context_assertion).clone();
    let flipped = if text.ends_with('A') { "B" } else { "A" };
    altered.context_assertion = Some(format!("{}{flipped}", &text[..text.len() - 1]));
    invalid(redeem(&h, &platform(), PAYMENTS, altered));
    let mut foreign = ctx.provided_context.clone();
    foreign.context_assertion = Some("not-an-assertion".into());
    invalid(redeem(&h, &platform(), PAYMENTS, foreign));
    // Two contexts.
    let mut req = assume_role(PAYMENTS, "two");
    req.provided_contexts = Some(vec![
        ctx.provided_context.clone(),
        ctx.provided_context.clone(),
    ]);
    invalid(call::<AssumeRole>(&h, &platform(), req));
    // Expired: 60 seconds by default.
    h.clock.advance(time::Duration::seconds(60));
    invalid(redeem(&h, &platform(), PAYMENTS, ctx.provided_context));
}

fn err_status(c: ErrorCode) -> u16 {
    c.http_status()
}

#[test]
fn get_certificate_issues_an_svid_for_the_sessions_workload_only() {
    let h = setup();
    let now = h.clock.now();
    let session = workload_session(&h, DOC);
    let req = |csr: &str, max: Option<i32>| GetCertificateRequest {
        certificate_signing_request: csr.to_owned(),
        max_duration_seconds: max,
    };
    let r =
        call::<GetCertificate>(&h, &session, req(CSR, None)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.subject.as_deref(), Some(SUBJECT));
    assert_eq!(r.not_before, Some(now - time::Duration::minutes(5)));
    assert_eq!(r.not_after, Some(now + time::Duration::hours(12)));
    assert!(present(&r.certificate).starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(present(&r.certificate_chain).starts_with("-----BEGIN CERTIFICATE-----"));
    let r = call::<GetCertificate>(&h, &session, req(CSR, Some(3600)))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.not_after, Some(now + time::Duration::hours(1)));
    for max in [3599, 43_201] {
        assert_eq!(
            code(call::<GetCertificate>(&h, &session, req(CSR, Some(max)))).0,
            ErrorCode::ValidationError
        );
    }
    for csr in [
        "junk",
        include_str!("../../keyturn-core/tests/data/pki/csr_rsa1024.pem"),
        include_str!("../../keyturn-core/tests/data/pki/csr_bad_signature.pem"),
    ] {
        let (c, m) = code(call::<GetCertificate>(&h, &session, req(csr, None)));
        assert_eq!(
            c,
            ErrorCode::MalformedCertificateSigningRequestException,
            "{m}"
        );
    }
    // A session without a workload identity, and long-term credentials.
    for creds in [plain_session(&h), platform()] {
        let (c, m) = code(call::<GetCertificate>(&h, &creds, req(CSR, None)));
        assert_eq!(c, ErrorCode::AccessDenied, "{m}");
    }
    // A provider without an X.509 signer.
    let h = bare();
    let session = workload_session(&h, DOC);
    let (c, m) = code(call::<GetCertificate>(&h, &session, req(CSR, None)));
    assert_eq!(c, ErrorCode::SignerNotConfiguredException, "{m}");
    assert_eq!(c.http_status(), 404);
}

#[test]
fn trust_bundles_publish_the_ca_and_the_jwt_keys_to_the_providers_scope() {
    let h = setup();
    let get = |creds: &Creds, arn: &str| {
        call::<GetTrustBundles>(
            &h,
            creds,
            GetTrustBundlesRequest {
                provider_arn: arn.to_owned(),
            },
        )
    };
    let r = get(&platform(), PROVIDER).unwrap_or_else(|e| panic!("{e:?}"));
    let bundles = present(&r.trust_bundles);
    assert_eq!(bundles.len(), 1);
    assert_eq!(bundles[0].trust_domain, "example.org");
    let doc: Value = serde_json::from_str(&bundles[0].bundle).unwrap_or(Value::Null);
    assert_eq!(doc["spiffe_refresh_hint"], 300);
    let keys = doc["keys"].as_array().cloned().unwrap_or_default();
    let x509: Vec<&Value> = keys.iter().filter(|k| k["use"] == "x509-svid").collect();
    let jwt: Vec<&Value> = keys.iter().filter(|k| k["use"] == "jwt-svid").collect();
    assert_eq!(x509.len(), 1);
    assert_eq!(x509[0]["kty"], "EC");
    assert_eq!(x509[0]["x5c"].as_array().map(Vec::len), Some(1));
    assert_eq!(jwt.len(), 2, "RS256 and ES384 under the one keyring key");
    assert!(jwt.iter().all(|k| k["kid"].is_string()));
    // A NONE provider has no trust domain.
    let r = get(
        &platform(),
        "arn:aws:iam::111111111111:workload-identity-provider/bare",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.trust_bundles, Some(Vec::new()));
    // Not found, out of scope, not a provider ARN.
    for (creds, arn, want) in [
        (
            platform(),
            "arn:aws:iam::111111111111:workload-identity-provider/nope",
            ErrorCode::ResourceNotFoundException,
        ),
        (
            other_account(),
            PROVIDER,
            ErrorCode::ResourceNotFoundException,
        ),
        (
            platform(),
            "arn:aws:iam::111111111111:role/Payments",
            ErrorCode::ValidationError,
        ),
        (platform(), "not an arn", ErrorCode::ValidationError),
    ] {
        assert_eq!(code(get(&creds, arn)).0, want, "{arn}");
    }
}

#[test]
fn a_jwt_svid_and_an_origin_identity_token_name_the_workload() {
    let h = setup();
    let session = workload_session(&h, DOC);
    let svid = |creds: &Creds, audience: Vec<String>| {
        call::<GetWebIdentityToken>(
            &h,
            creds,
            GetWebIdentityTokenRequest {
                audience,
                signing_algorithm: "ES384".into(),
                token_type: Some("JWT_SVID".into()),
                ..Default::default()
            },
        )
    };
    let r =
        svid(&session, vec!["spiffe://example.org/db".into()]).unwrap_or_else(|e| panic!("{e:?}"));
    let (header, body) = claims(present(&r.web_identity_token).expose());
    assert_eq!(header["alg"], "ES384");
    assert_eq!(body["sub"], SUBJECT);
    assert_eq!(body["aud"], "spiffe://example.org/db");
    assert_eq!(
        body["iss"],
        "http://127.0.0.1:8787/workload-identity/AWPA3XFRBF535PLBIFPI4"
    );
    let names: Vec<&str> = body
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        names.len(),
        6,
        "only sub, aud, iss, iat, exp, jti: {names:?}"
    );
    // Its kid is in the trust bundle and in the issuer's JWKS.
    let bundle = call::<GetTrustBundles>(
        &h,
        &session,
        GetTrustBundlesRequest {
            provider_arn: PROVIDER.into(),
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let doc = &present(&bundle.trust_bundles)[0].bundle;
    assert!(doc.contains(header["kid"].as_str().unwrap_or("none")));
    let jwks = h
        .engine
        .well_known("/workload-identity/AWPA3XFRBF535PLBIFPI4/.well-known/jwks.json")
        .unwrap_or_default();
    assert!(jwks.contains(header["kid"].as_str().unwrap_or("none")));
    let discovery = h
        .engine
        .well_known("/workload-identity/AWPA3XFRBF535PLBIFPI4/.well-known/openid-configuration")
        .unwrap_or_default();
    assert!(
        discovery.contains(
            "\"issuer\":\"http://127.0.0.1:8787/workload-identity/AWPA3XFRBF535PLBIFPI4\""
        ),
        "{discovery}"
    );
    assert_eq!(
        h.engine
            .well_known("/workload-identity/AWPANOSUCHPROVIDER0000/.well-known/jwks.json"),
        None
    );
    // Without a workload identity: AccessDenied; two audiences: a validation error.
    assert_eq!(
        code(svid(&plain_session(&h), vec!["a".into()])).0,
        ErrorCode::AccessDenied
    );
    assert_eq!(
        code(svid(&session, vec!["a".into(), "b".into()])).0,
        ErrorCode::ValidationError
    );

    let origin = |creds: &Creds| {
        call::<GetWebIdentityToken>(
            &h,
            creds,
            GetWebIdentityTokenRequest {
                audience: vec!["https://api.example.com".into()],
                signing_algorithm: "RS256".into(),
                subject_mode: Some("OriginIdentity".into()),
                ..Default::default()
            },
        )
    };
    let r = origin(&session).unwrap_or_else(|e| panic!("{e:?}"));
    let (_, body) = claims(present(&r.web_identity_token).expose());
    assert_eq!(body["sub"], SUBJECT);
    assert_eq!(body["subject_mode"], "OriginIdentity");
    assert_eq!(body["https://sts.amazonaws.com/"]["principal_id"], PAYMENTS);
    let (c, m) = code(origin(&plain_session(&h)));
    assert_eq!(c, ErrorCode::ValidationError, "{m}");
}

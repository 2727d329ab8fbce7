//! The example credential-signer and policy-evaluator plugins (plugins/example-signer,
//! plugins/example-evaluator), built here with cargo, named in the configuration and used by the
//! engine in place of the built-ins; requests signed for real with keyturn-sigv4.

#![allow(
    clippy::panic,
    reason = "test helpers: a failed setup or a malformed token aborts the test"
)]

#[path = "engine_support/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use harness::*;
use keyturn::{Error, ErrorCode};

const SIGNER_KEY: &str = "an example signer key of at least 32 bytes";
const NO_TRUST: &str = "arn:aws:iam::111111111111:role/NoTrust";

/// Builds the two example plugins once (in a target dir of their own, so as not to wait on
/// the lock of the build running this test) and returns (signer, evaluator) library paths.
fn example_plugins() -> &'static (PathBuf, PathBuf) {
    static BUILT: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugin-backends-target");
        let status = Command::new(env!("CARGO"))
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
            .args([
                "build",
                "--quiet",
                "-p",
                "keyturn-example-signer",
                "-p",
                "keyturn-example-evaluator",
                "--target-dir",
            ])
            .arg(&target)
            .status()
            .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
        assert!(
            status.success(),
            "cargo build of the example plugins failed"
        );
        let lib = |name: &str| {
            target.join("debug").join(format!(
                "{}{name}{}",
                std::env::consts::DLL_PREFIX,
                std::env::consts::DLL_SUFFIX
            ))
        };
        (
            lib("keyturn_example_signer"),
            lib("keyturn_example_evaluator"),
        )
    })
}

fn with_signer(yaml: &str) -> String {
    let (signer, _) = example_plugins();
    format!(
        "{yaml}\nplugins:\n  - path: {:?}\n    config: {{key: \"{SIGNER_KEY}\"}}\n",
        signer.display().to_string()
    )
}

fn with_evaluator(yaml: &str) -> String {
    let (_, evaluator) = example_plugins();
    format!(
        "{yaml}\nplugins:\n  - path: {:?}\n    config: {{allow_action_prefixes: [\"sts:AssumeRole\"]}}\n",
        evaluator.display().to_string()
    )
}

/// Decodes unpadded base64url (the example signer's payload encoding).
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The claims the example signer put in a `ktx1.<claims>.<mac>` token.
fn token_claims(token: &str) -> serde_json::Value {
    let rest = token
        .strip_prefix("ktx1.")
        .unwrap_or_else(|| panic!("not the example signer's format: {token}"));
    let (payload, _) = rest
        .split_once('.')
        .unwrap_or_else(|| panic!("no MAC: {token}"));
    let json = base64url(payload).unwrap_or_else(|| panic!("payload is not base64url"));
    serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn assume_role_mints_through_the_signer_plugin_and_requests_verify_through_it() {
    let h = harness(&with_signer(&scenario_yaml()));
    assert!(h.runtime.warnings.is_empty(), "{:?}", h.runtime.warnings);
    let mut req = assume_role(APP, "deploy");
    req.tags = Some(vec![Tag {
        key: "Team".into(),
        value: "web".into(),
    }]);
    req.transitive_tag_keys = Some(vec!["Team".into()]);
    req.source_identity = Some("alice-id".into());
    let r = assumed(call::<AssumeRole>(&h, &alice(), req));
    let token = r.credentials.session_token.expose().to_owned();
    // The plugin's format, not the keyring's (standard base64 of a binary blob).
    let claims = token_claims(&token);
    assert_eq!(
        claims["access_key_id"],
        r.credentials.access_key_id.as_str()
    );
    assert!(r.credentials.access_key_id.starts_with("ASIA"));
    assert_eq!(claims["account_id"], "111111111111");
    assert_eq!(claims["principal_arn"], r.assumed_role_user.arn.as_str());
    assert_eq!(claims["expires_at"], T0 + 3600);
    let session = &claims["keyturn_session"];
    assert_eq!(session["principal"]["type"], "assumed_role");
    assert_eq!(session["source_identity"], "alice-id");
    assert_eq!(session["tags"], serde_json::json!([["Team", "web"]]));

    // GetCallerIdentity verifies the request through the plugin's open.
    let creds = Creds::from_api(&r.credentials);
    let me = identity_of(&h, &creds);
    assert_eq!(me.arn, "arn:aws:sts::111111111111:assumed-role/App/deploy");
    assert_eq!(me.user_id, r.assumed_role_user.assumed_role_id);
    assert_eq!(me.account, "111111111111");

    // The whole session came back: chaining keeps the source identity and transitive tag.
    let hop = assumed(call::<AssumeRole>(&h, &creds, assume_role(CHAINED, "hop")));
    let hop_claims = token_claims(hop.credentials.session_token.expose());
    let hop_session = &hop_claims["keyturn_session"];
    assert_eq!(hop_session["role_chained"], true);
    assert_eq!(hop_session["source_identity"], "alice-id");
    assert_eq!(hop_session["tags"], serde_json::json!([["Team", "web"]]));
    assert_eq!(
        identity_of(&h, &Creds::from_api(&hop.credentials)).arn,
        "arn:aws:sts::111111111111:assumed-role/Chained/hop"
    );
}

#[test]
fn tampered_foreign_and_expired_tokens_are_refused() {
    let h = harness(&with_signer(&scenario_yaml()));
    let r = assumed(call::<AssumeRole>(&h, &alice(), assume_role(APP, "s1")));
    let good = Creds::from_api(&r.credentials);
    let token = good.token.clone().unwrap_or_default();

    // One character of the claims changed: the MAC no longer matches.
    let mut tampered = good.clone();
    let i = "ktx1.".len() + 3;
    let flipped = if token.as_bytes()[i] == b'A' {
        "B"
    } else {
        "A"
    };
    tampered.token = Some(format!("{}{flipped}{}", &token[..i], &token[i + 1..]));
    let e = identity_error(&h, &tampered);
    assert_eq!(
        e,
        Error::new(
            ErrorCode::InvalidClientTokenId,
            "The security token included in the request is invalid."
        )
    );

    // A token of the built-in keyring signer means nothing to the plugin.
    let builtin = harness(&scenario_yaml());
    let keyring_session = assumed(call::<AssumeRole>(
        &builtin,
        &alice(),
        assume_role(APP, "s1"),
    ));
    assert!(
        !keyring_session
            .credentials
            .session_token
            .expose()
            .starts_with("ktx1.")
    );
    let e = err(call::<GetCallerIdentity>(
        &h,
        &Creds::from_api(&keyring_session.credentials),
        GetCallerIdentityRequest {},
    ));
    assert_eq!(e.code(), "InvalidClientTokenId");

    // The plugin's token with another session's access key id.
    let other = assumed(call::<AssumeRole>(&h, &alice(), assume_role(APP, "other")));
    let mut swapped = Creds::from_api(&other.credentials);
    swapped.token = good.token.clone();
    assert_eq!(identity_error(&h, &swapped).code(), "InvalidClientTokenId");

    // Past its expiry: ExpiredToken with AWS's text.
    h.clock.advance(time::Duration::seconds(3600));
    let e = identity_error(&h, &good);
    assert_eq!(e, expired_token());
}

#[test]
fn authorization_messages_stay_with_the_keyring() {
    // The built-in evaluator decides; the signer plugin mints; denials still encode and decode.
    let h = harness(&with_signer(&scenario_yaml()));
    let e = assume_error(&h, &alice(), NO_TRUST, "s1");
    let encoded = e
        .encoded_authorization_message()
        .unwrap_or_else(|| panic!("no message: {e:?}"))
        .to_owned();
    let r = call::<DecodeAuthorizationMessage>(
        &h,
        &alice(),
        DecodeAuthorizationMessageRequest {
            encoded_message: encoded,
        },
    );
    let Ok(d) = r else { panic!("{r:?}") };
    let v: serde_json::Value = serde_json::from_str(present(&d.decoded_message).as_str())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["allowed"], false);
    assert_eq!(v["context"]["resource"], NO_TRUST);
}

#[test]
fn the_evaluator_plugin_decides_regardless_of_the_iam_policies() {
    // The built-in evaluator: NoTrust trusts another account, bob has no policy, alice may
    // call GetFederationToken.
    let builtin = harness(&scenario_yaml());
    assert_eq!(
        assume_error(&builtin, &alice(), NO_TRUST, "s1").code(),
        "AccessDenied"
    );
    assert_eq!(
        assume_error(&builtin, &bob(&builtin), APP, "s1").code(),
        "AccessDenied"
    );
    let federation = || GetFederationTokenRequest {
        name: "fed".into(),
        ..Default::default()
    };
    assert!(call::<GetFederationToken>(&builtin, &alice(), federation()).is_ok());

    // The plugin allows only actions starting with sts:AssumeRole.
    let h = harness(&with_evaluator(&scenario_yaml()));
    assert!(h.runtime.warnings.is_empty(), "{:?}", h.runtime.warnings);
    let r = assumed(call::<AssumeRole>(
        &h,
        &alice(),
        assume_role(NO_TRUST, "s1"),
    ));
    assert_eq!(
        r.assumed_role_user.arn,
        "arn:aws:sts::111111111111:assumed-role/NoTrust/s1"
    );
    assert!(call::<AssumeRole>(&h, &bob(&h), assume_role(APP, "s1")).is_ok());
    let e = err(call::<GetFederationToken>(&h, &alice(), federation()));
    assert_eq!(e.code(), "AccessDenied");
    assert!(
        e.message().contains("sts:GetFederationToken"),
        "{}",
        e.message()
    );
    // The keyring still signs (no signer plugin): the session works.
    let me = identity_of(&h, &Creds::from_api(&r.credentials));
    assert_eq!(me.arn, r.assumed_role_user.arn);
}

#[test]
fn both_plugins_together() {
    let (signer, evaluator) = example_plugins();
    let yaml = format!(
        "{}\nplugins:\n  - path: {:?}\n    config: {{key: \"{SIGNER_KEY}\"}}\n  - path: {:?}\n    config: {{allow_action_prefixes: [\"sts:Assume\"], deny_action_prefixes: [\"sts:AssumeRoleWith\"]}}\n",
        scenario_yaml(),
        signer.display().to_string(),
        evaluator.display().to_string()
    );
    let h = harness(&yaml);
    let r = assumed(call::<AssumeRole>(
        &h,
        &bob(&h),
        assume_role(NO_TRUST, "both"),
    ));
    assert!(r.credentials.session_token.expose().starts_with("ktx1."));
    let me = identity_of(&h, &Creds::from_api(&r.credentials));
    assert_eq!(
        me.arn,
        "arn:aws:sts::111111111111:assumed-role/NoTrust/both"
    );
}

#[test]
fn scoped_credentials_mint_through_the_signer_plugin_with_their_scope_down_policy() {
    let h = harness(&with_signer(&scenario_yaml()));
    let gst = call::<GetSessionToken>(&h, &root(), GetSessionTokenRequest::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let session = Creds::from_api(present(&gst.credentials));
    let layer = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let req = GetScopedCredentialsRequest {
        policy: Some(layer.to_owned()),
        duration_seconds: Some(600),
        ..Default::default()
    };
    let r = call::<GetScopedCredentials>(&h, &session, req).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.scoped_policies_count, Some(1));
    let credentials = present(&r.credentials);
    // The plugin's token carries the scope-down policy in the session it hands back.
    let claims = token_claims(credentials.session_token.expose());
    assert_eq!(
        claims["keyturn_session"]["scope_policies"],
        serde_json::json!([layer])
    );
    assert_eq!(claims["expires_at"], T0 + 600);
    let scoped = Creds::from_api(credentials);
    assert_eq!(
        identity_of(&h, &scoped).arn,
        "arn:aws:iam::222222222222:root"
    );
    // Opened through the plugin, the session is still narrowed.
    let decide = |creds: &Creds, action: &str| allowed(&h, creds, action, "arn:aws:s3:::b/k");
    assert!(decide(&scoped, "s3:GetObject"));
    assert!(!decide(&scoped, "s3:PutObject"));
    assert!(decide(&session, "s3:PutObject"));
}

#[test]
fn an_evaluator_plugin_cannot_allow_what_an_scp_denies() {
    // The plugin allows every sts:AssumeRole*; an SCP of alice's account (a member) denies
    // sts:AssumeRole: the host applies it after the plugin's decision.
    let org = r#"
organization:
  id: o-aa11bb22cc
  management_account: "111111111111"
  root:
    id: r-ab12
    accounts: [{id: "222222222222", scps: [FullAWSAccess, DenyAssume]}]
  policies:
    - name: DenyAssume
      type: SERVICE_CONTROL_POLICY
      document: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "sts:AssumeRole", Resource: "*"}]}
"#;
    let h = harness(&with_evaluator(&format!("{}{org}", scenario_yaml())));
    let e = assume_error(&h, &alice(), NO_TRUST, "s1");
    assert_eq!(e.code(), "AccessDenied");
    assert!(e.message().contains("sts:AssumeRole"), "{}", e.message());
    // Without the SCP the plugin's allow stands.
    let h = harness(&with_evaluator(&scenario_yaml()));
    assumed(call::<AssumeRole>(
        &h,
        &alice(),
        assume_role(NO_TRUST, "s1"),
    ));
}

#[test]
fn a_session_assumed_with_a_provided_context_keeps_its_workload_identity_through_the_plugin() {
    // The workload scenario of workload_sts.rs, its sessions minted by the example signer.
    let platform_key = key_id("111111111111", 7);
    let yaml = include_str!("fixtures/workload.yaml")
        .replace("{platform}", &platform_key)
        .replace("{alice}", &key_id("222222222222", 8))
        .replace("{SECRET}", ALICE_SECRET);
    let h = harness(&with_signer(&yaml));
    let platform = Creds::long_term(&platform_key, ALICE_SECRET);
    let payments = "arn:aws:iam::111111111111:role/Payments";
    let session_of = |doc: &str| {
        let ctx = call::<IssueWorkloadIdentityContext>(
            &h,
            &platform,
            IssueWorkloadIdentityContextRequest {
                workload_identity_template_arn: Some(
                    "arn:aws:iam::111111111111:workload-identity-template/eks".to_owned(),
                ),
                attestation_document: doc.to_owned(),
                target_role_arn: Some(payments.to_owned()),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut req = assume_role(payments, "workload");
        req.provided_contexts = Some(vec![ctx.provided_context]);
        let r = call::<AssumeRole>(&h, &platform, req).unwrap_or_else(|e| panic!("{e}"));
        present(&r.credentials).clone()
    };
    let credentials = session_of(r#"{"eks/ClusterName":"prod","eks/Namespace":"pay"}"#);
    let token = credentials.session_token.expose();
    assert!(token.starts_with("ktx1."), "minted by the plugin");
    let claims = token_claims(token);
    let context = &claims["keyturn_session"]["context"];
    assert_eq!(
        context["workload"]["subject"],
        "spiffe://example.org/k8s/prod/ns/pay"
    );
    assert_eq!(
        context["workload"]["provider_arn"],
        "arn:aws:iam::111111111111:workload-identity-provider/prod"
    );
    // Opened through the plugin, its requests carry the workload's keys: Payments' policy
    // allows s3:GetObject to that one workload only.
    let session = Creds::from_api(&credentials);
    assert!(allowed(
        &h,
        &session,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key"
    ));
    let other = Creds::from_api(&session_of(
        r#"{"eks/ClusterName":"prod","eks/Namespace":"other"}"#,
    ));
    assert!(!allowed(
        &h,
        &other,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key"
    ));
    // A session assumed without a context carries none.
    let plain = call::<AssumeRole>(
        &h,
        &platform,
        assume_role("arn:aws:iam::111111111111:role/Plain", "plain"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        token_claims(present(&plain.credentials).session_token.expose())["keyturn_session"]
            .get("context")
            .is_none()
    );
}

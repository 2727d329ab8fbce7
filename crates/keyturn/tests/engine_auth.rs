//! Authentication failures, IAM policy simulation, snapshot reloads, the model's policies
//! checked at start, generated keys, and federation without providers.

#[path = "engine_support/harness.rs"]
mod harness;

use std::sync::Arc;

use harness::*;
use keyturn::api::iam::{
    ContextEntry, EvaluationResult, SimulateCustomPolicyRequest, SimulatePolicyResponse,
    SimulatePrincipalPolicyRequest,
};
use keyturn::ops::iam::{SimulateCustomPolicy, SimulatePrincipalPolicy};
use keyturn::{Config, Error, ErrorCode, Runtime, RuntimeOptions};
use keyturn_core::keyring::Keyring;
use keyturn_core::store::IamStore;
use keyturn_store::MemoryStore;

/// The evaluation results of a successful simulation.
#[allow(clippy::panic, reason = "test helper")]
fn results(r: Result<SimulatePolicyResponse, Error>) -> Vec<EvaluationResult> {
    match r {
        Ok(s) => s.evaluation_results.unwrap_or_default(),
        Err(e) => panic!("expected a simulation, got {e:?}"),
    }
}

/// The first matched statement of a result.
#[allow(clippy::panic, reason = "test helper")]
fn first_statement(r: &EvaluationResult) -> &keyturn::api::iam::Statement {
    r.matched_statements
        .as_ref()
        .and_then(|m| m.first())
        .unwrap_or_else(|| panic!("no matched statement in {r:?}"))
}

#[test]
fn signature_failures() {
    let h = harness(&scenario_yaml());
    let wrong = Creds::long_term(&alice().id, "wrongSecretKey/000000000000000000000000");
    assert_eq!(identity_error(&h, &wrong).code(), "SignatureDoesNotMatch");
    let unknown = Creds::long_term(&key_id("222222222222", 77), ALICE_SECRET);
    assert_eq!(
        identity_error(&h, &unknown),
        Error::new(
            ErrorCode::InvalidClientTokenId,
            "The security token included in the request is invalid."
        )
    );
    let (r, id) = call_as::<GetCallerIdentity>(&h, None, GetCallerIdentityRequest {});
    assert_eq!(err(r).code(), "MissingAuthenticationToken");
    assert!(id.is_none());
    // Signed 20 minutes in the past.
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let old = signed(&h, &alice(), "sts", body, -1200);
    assert_eq!(
        err(run::<GetCallerIdentity>(&h, &old, GetCallerIdentityRequest {}).0).code(),
        "SignatureDoesNotMatch"
    );
    // Signed for IAM, sent as STS.
    let iam = signed(&h, &alice(), "iam", body, 0);
    assert_eq!(
        err(run::<GetCallerIdentity>(&h, &iam, GetCallerIdentityRequest {}).0).code(),
        "SignatureDoesNotMatch"
    );
    // A body changed after signing.
    let mut tampered = signed(&h, &alice(), "sts", body, 0);
    tampered.body = b"Action=GetCallerIdentity&Version=2011-06-16".to_vec();
    assert_eq!(
        err(run::<GetCallerIdentity>(&h, &tampered, GetCallerIdentityRequest {}).0).code(),
        "SignatureDoesNotMatch"
    );
}

#[test]
fn session_token_failures() {
    let h = harness(&scenario_yaml());
    let creds = Creds::from_api(
        &assumed(call::<AssumeRole>(&h, &alice(), assume_role(APP, "s1"))).credentials,
    );
    // Another session's key id with this token.
    let other = Creds::from_api(
        &assumed(call::<AssumeRole>(&h, &alice(), assume_role(APP, "s2"))).credentials,
    );
    let mixed = Creds {
        id: other.id.clone(),
        secret: creds.secret.clone(),
        token: creds.token.clone(),
    };
    assert_eq!(identity_error(&h, &mixed).code(), "InvalidClientTokenId");
    // A garbled token.
    let mut garbled = creds.clone();
    garbled.token = garbled.token.map(|t| format!("AB{}", &t[2..]));
    assert_eq!(identity_error(&h, &garbled).code(), "InvalidClientTokenId");
    // An ASIA key without its token.
    let bare = Creds {
        token: None,
        ..creds.clone()
    };
    assert_eq!(identity_error(&h, &bare).code(), "InvalidClientTokenId");
    // Expiry.
    identity_of(&h, &creds);
    h.clock.advance(time::Duration::seconds(3600));
    assert_eq!(identity_error(&h, &creds).code(), "ExpiredToken");
    // Another keyring's engine cannot open it.
    let h2 = harness(&scenario_yaml());
    h2.clock.set(h.clock.now_for_tests());
    assert_eq!(identity_error(&h2, &other).code(), "InvalidClientTokenId");
}

trait Now {
    fn now_for_tests(&self) -> time::OffsetDateTime;
}

impl Now for keyturn::FixedClock {
    fn now_for_tests(&self) -> time::OffsetDateTime {
        keyturn::Clock::now(self) - time::Duration::seconds(3600)
    }
}

#[test]
fn simulate_principal_policy() {
    let h = harness(&scenario_yaml());
    let req = SimulatePrincipalPolicyRequest {
        policy_source_arn: APP.into(),
        action_names: vec!["s3:GetObject".into(), "s3:PutObject".into()],
        resource_arns: Some(vec!["arn:aws:s3:::bucket/key".into()]),
        ..Default::default()
    };
    // Another account's role cannot be simulated (no resource policy grants it).
    let e = err(call::<SimulatePrincipalPolicy>(&h, &alice(), req.clone()));
    assert_eq!(e.code(), "AccessDenied");
    let s = results(call::<SimulatePrincipalPolicy>(&h, &ops(), req.clone()));
    let decisions: Vec<_> = s
        .iter()
        .map(|e| (e.eval_action_name.as_str(), e.eval_decision.as_str()))
        .collect();
    assert_eq!(
        decisions,
        vec![
            ("s3:GetObject", "allowed"),
            ("s3:PutObject", "implicitDeny")
        ]
    );
    // AWS names an inline policy `role_<role>_<policy>` and its type `IAM Policy`.
    assert_eq!(
        first_statement(&s[0]).source_policy_id.as_deref(),
        Some("role_App_work")
    );
    assert_eq!(
        first_statement(&s[0]).source_policy_type.as_deref(),
        Some("IAM Policy")
    );
    // bob may not simulate.
    let e = err(call::<SimulatePrincipalPolicy>(&h, &bob(&h), req.clone()));
    assert_eq!(e.code(), "AccessDenied");
    // Unknown entities.
    let mut missing = req;
    missing.policy_source_arn = "arn:aws:iam::111111111111:role/Nope".into();
    assert_eq!(
        err(call::<SimulatePrincipalPolicy>(&h, &ops(), missing)),
        Error::new(
            ErrorCode::NoSuchEntity,
            "The role with name Nope cannot be found."
        )
    );
    // A user: alice's group grants sts:AssumeRole on production roles.
    let req = SimulatePrincipalPolicyRequest {
        policy_source_arn: "arn:aws:iam::222222222222:user/alice".into(),
        action_names: vec!["sts:AssumeRole".into()],
        resource_arns: Some(vec![APP.into()]),
        ..Default::default()
    };
    let s = results(call::<SimulatePrincipalPolicy>(&h, &alice(), req));
    assert_eq!(s[0].eval_decision, "allowed");
    let st = first_statement(&s[0]);
    assert_eq!(st.source_policy_type.as_deref(), Some("IAM Policy"));
    // The group's inline policy, named as AWS names it.
    assert_eq!(st.source_policy_id.as_deref(), Some("group_devs_assume"));
}

#[test]
fn simulate_custom_policy_with_context() {
    let h = harness(&scenario_yaml());
    let policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#;
    let req = SimulateCustomPolicyRequest {
        policy_input_list: vec![policy.into()],
        action_names: vec!["s3:DeleteObject".into(), "s3:GetObject".into()],
        context_entries: Some(vec![ContextEntry {
            context_key_name: Some("aws:SourceIp".into()),
            context_key_values: Some(vec!["203.0.113.7".into()]),
            context_key_type: Some("ip".into()),
        }]),
        ..Default::default()
    };
    let s = results(call::<SimulateCustomPolicy>(&h, &alice(), req.clone()));
    assert_eq!(s[0].eval_decision, "explicitDeny");
    assert_eq!(s[0].eval_resource_name.as_deref(), Some("*"));
    assert_eq!(s[1].eval_decision, "allowed");
    let mut bad = req;
    bad.policy_input_list = vec!["{".into()];
    refuses::<SimulateCustomPolicy>(&h, &alice(), bad, "MalformedPolicyDocument");
}

#[test]
fn the_snapshot_follows_the_store() {
    let h = harness(&scenario_yaml());
    let new_role = "arn:aws:iam::111111111111:role/Added";
    let try_assume = |name: &str| call::<AssumeRole>(&h, &alice(), assume_role(new_role, name));
    assert_eq!(err(try_assume("s1")).code(), "AccessDenied");
    let mut data = h
        .engine
        .store()
        .load()
        .unwrap_or_else(|e| panic!("{e}"))
        .data;
    let mut role = data.accounts[0].roles[0].clone();
    role.name = "Added".into();
    role.path = "/".into();
    data.accounts[0].roles.push(role);
    h.engine
        .store()
        .replace(None, &data)
        .unwrap_or_else(|e| panic!("{e}"));
    // The engine asks the store at most once per interval.
    std::thread::sleep(std::time::Duration::from_millis(
        keyturn_core::engine::REFRESH_INTERVAL_MS + 100,
    ));
    assumed(try_assume("s2"));
    // An explicit reload is immediate.
    data.accounts[0].roles.pop();
    h.engine
        .store()
        .replace(None, &data)
        .unwrap_or_else(|e| panic!("{e}"));
    h.engine.reload().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(err(try_assume("s3")).code(), "AccessDenied");
}

#[test]
fn an_invalid_policy_is_reported_at_start_naming_the_entity() {
    let yaml = r#"
store: {memory: true}
accounts:
  - id: "111111111111"
    roles:
      - name: Broken
        trust_policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:AssumeRole"}]}
"#;
    let config = match Config::from_str(yaml, "broken.yaml") {
        Ok(c) => c,
        // The configuration loader may already refuse it; that is fine too.
        Err(e) => {
            assert!(e.to_string().contains("trust_policy"), "{e}");
            return;
        }
    };
    let r = Runtime::with_options(
        &config,
        RuntimeOptions {
            store: Some(Arc::new(MemoryStore::new())),
            keyring: Some(Keyring::generate().unwrap_or_else(|e| panic!("{e}"))),
            ..Default::default()
        },
    );
    let e = r
        .map(|_| ())
        .err()
        .unwrap_or_else(|| panic!("accepted a broken trust policy"));
    assert!(e.to_string().contains("role/Broken"), "{e}");
}

#[test]
fn generated_keys_are_stable_across_restarts() {
    let config = Config::from_str(&scenario_yaml(), "test.yaml").unwrap_or_else(|e| panic!("{e}"));
    let store: Arc<dyn IamStore> = Arc::new(MemoryStore::new());
    let keyring = Keyring::generate().unwrap_or_else(|e| panic!("{e}"));
    let start = || {
        Runtime::with_options(
            &config,
            RuntimeOptions {
                store: Some(store.clone()),
                keyring: Some(keyring.clone()),
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let first = start();
    let generation = store.generation().unwrap_or_else(|e| panic!("{e}"));
    let second = start();
    assert_eq!(first.generated_keys, second.generated_keys);
    assert_eq!(
        store.generation().unwrap_or_else(|e| panic!("{e}")),
        generation,
        "re-applying the same model changes nothing"
    );
    let bob = &first.generated_keys[0];
    assert_eq!(bob.user_name, "bob");
    assert!(bob.access_key_id.starts_with("AKIA"));
    assert!(
        !format!("{first:?}").contains(bob.secret_access_key.expose()),
        "no secret in Debug"
    );
}

#[test]
fn federation_without_providers() {
    let h = harness(&scenario_yaml());
    let r = unsigned::<AssumeRoleWithWebIdentity>(
        &h,
        AssumeRoleWithWebIdentityRequest {
            role_arn: APP.into(),
            role_session_name: "web".into(),
            // {"alg":"none"}.{"iss":"https://idp.example.com"}.
            web_identity_token:
                "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSJ9.sig".into(),
            ..Default::default()
        },
    );
    assert_eq!(
        err(r),
        Error::new(
            ErrorCode::InvalidIdentityToken,
            "No OpenIDConnect provider found in your account for https://idp.example.com"
        )
    );
    let r = unsigned::<AssumeRoleWithSaml>(
        &h,
        AssumeRoleWithSAMLRequest {
            role_arn: APP.into(),
            principal_arn: "arn:aws:iam::111111111111:saml-provider/corp".into(),
            saml_assertion: "PHNhbWxwOlJlc3BvbnNlLz4=".into(),
            ..Default::default()
        },
    );
    assert_eq!(err(r).code(), "InvalidIdentityToken");
}

/// A caller carries the snapshot it was authenticated against; its `Debug` form (and the
/// snapshot's) shows no secret key and no MFA seed.
#[test]
fn caller_debug_shows_no_secrets() {
    let h = harness(&scenario_yaml());
    let caller = key_caller(&h, &alice());
    let shown = format!("{caller:?}");
    assert!(shown.contains("Snapshot { generation"), "{shown}");
    assert!(!shown.contains(ALICE_SECRET), "{shown}");
    let snapshot = h.engine.snapshot().unwrap_or_else(|e| panic!("{e}"));
    let mfa = snapshot
        .mfa
        .values()
        .next()
        .unwrap_or_else(|| panic!("the scenario has an MFA device"));
    let shown = format!("{mfa:?}");
    assert!(shown.contains(r#"seed: "***""#), "{shown}");
    // The seed's first bytes as `Vec<u8>`'s Debug would start them.
    let start = format!("{:?}", &mfa.seed[..4]);
    assert!(!shown.contains(start.trim_end_matches(']')), "{shown}");
}

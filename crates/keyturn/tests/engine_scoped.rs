//! GetScopedCredentials: the caller's own session narrowed by up to three scope-down policies,
//! its lifetime at most the caller's; the same identity; every decision intersected with each
//! scope-down policy; the refusals (long-term keys, nothing to scope, a fourth policy, a too
//! long duration, a malformed or too large policy).

#![allow(
    clippy::panic,
    reason = "test helpers: an unexpected answer aborts the test"
)]

#[path = "engine_support/harness.rs"]
mod harness;

use std::net::Ipv4Addr;

use harness::*;
use keyturn::{Error, ErrorCode};
use keyturn_policy::Outcome;

const WORKER: &str = "arn:aws:iam::111111111111:role/Worker";
const NEXT: &str = "arn:aws:iam::111111111111:role/Next";
const SESSION_ARN: &str = "arn:aws:sts::111111111111:assumed-role/Worker/w1";
const IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 10);

fn yaml() -> String {
    let alice = key_id("111111111111", 1);
    format!(
        r#"
store: {{memory: true}}
accounts:
  - id: "111111111111"
    users:
      - name: alice
        access_keys: [{{id: {alice}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          all:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "sts:AssumeRole", "sts:SetSourceIdentity", "sts:GetScopedCredentials"]
                Resource: "*"
    roles:
      - name: Worker
        max_session_duration: 7200
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: "arn:aws:iam::111111111111:root"}}
              Action: [sts:AssumeRole, sts:SetSourceIdentity]
        inline_policies:
          work:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["s3:*", "sts:AssumeRole", "sts:GetScopedCredentials"]
                Resource: "*"
      - name: Next
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: "arn:aws:iam::111111111111:role/Worker"}}
              Action: sts:AssumeRole
        inline_policies:
          write:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: "s3:PutObject"
                Resource: "*"
"#
    )
}

fn alice() -> Creds {
    Creds::long_term(&key_id("111111111111", 1), ALICE_SECRET)
}

/// A Worker session `w1` (an hour), with source identity `alice-si`.
fn worker(h: &Harness) -> Creds {
    let mut req = assume_role(WORKER, "w1");
    req.source_identity = Some("alice-si".into());
    Creds::from_api(&assumed(call::<AssumeRole>(h, &alice(), req)).credentials)
}

/// A policy allowing `actions` on every resource.
fn allow(actions: &[&str]) -> String {
    let list = actions
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{list}],"Resource":"*"}}]}}"#
    )
}

fn scope(policy: Option<&str>, duration: Option<i32>) -> GetScopedCredentialsRequest {
    GetScopedCredentialsRequest {
        policy: policy.map(str::to_owned),
        duration_seconds: duration,
        ..Default::default()
    }
}

fn scoped(
    h: &Harness,
    creds: &Creds,
    req: GetScopedCredentialsRequest,
) -> (Creds, GetScopedCredentialsResponse) {
    match call::<GetScopedCredentials>(h, creds, req) {
        Ok(r) => (Creds::from_api(present(&r.credentials)), r),
        Err(e) => panic!("expected GetScopedCredentials success, got {e:?}"),
    }
}

/// The outcome of `action` on `resource` for the caller of `creds`.
fn decide(h: &Harness, creds: &Creds, action: &str, resource: &str) -> Outcome {
    decisions(h, creds, &[(action, resource)])[0]
}

/// The decisions on each of `cases` (action, resource) for `creds`.
fn decisions(h: &Harness, creds: &Creds, cases: &[(&str, &str)]) -> Vec<Outcome> {
    let caller = signed_caller(h, creds, IP);
    cases
        .iter()
        .map(|(action, resource)| authorization(h, &caller, action, resource).verdict.outcome)
        .collect()
}

const OBJECT: &str = "arn:aws:s3:::bucket/key";

#[test]
fn a_scope_down_policy_narrows_what_the_role_allows() {
    let h = harness(&yaml());
    let w = worker(&h);
    let (s, r) = scoped(&h, &w, scope(Some(&allow(&["s3:GetObject"])), None));
    assert_eq!(r.scoped_policies_count, Some(1));
    // Both allow: allowed. The role allows, the scope-down policy does not: denied.
    assert_eq!(decide(&h, &s, "s3:GetObject", OBJECT), Outcome::Allow);
    assert_eq!(
        decide(&h, &s, "s3:PutObject", OBJECT),
        Outcome::ImplicitDeny
    );
    // The scope-down policy cannot grant what the role does not.
    let (s2, _) = scoped(
        &h,
        &w,
        scope(Some(&allow(&["iam:ListUsers", "s3:GetObject"])), None),
    );
    assert_eq!(decide(&h, &s2, "iam:ListUsers", "*"), Outcome::ImplicitDeny);
    // The calling session keeps its own permissions.
    assert_eq!(decide(&h, &w, "s3:PutObject", OBJECT), Outcome::Allow);
    // An explicit deny in a scope-down policy denies, whatever else allows.
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#;
    let (s3, _) = scoped(&h, &w, scope(Some(deny), None));
    assert_eq!(
        decide(&h, &s3, "s3:DeleteObject", OBJECT),
        Outcome::ExplicitDeny
    );
    assert_eq!(decide(&h, &s3, "s3:PutObject", OBJECT), Outcome::Allow);
    // A denial through an operation is AWS's AccessDenied naming the session.
    let (s4, _) = scoped(&h, &w, scope(Some(&allow(&["s3:GetObject"])), None));
    let e = err(call::<GetScopedCredentials>(
        &h,
        &s4,
        scope(None, Some(900)),
    ));
    assert_eq!(
        (e.error_code(), e.message()),
        (
            ErrorCode::AccessDenied,
            format!(
                "User: {SESSION_ARN} is not authorized to perform: sts:GetScopedCredentials on resource: {SESSION_ARN}"
            )
            .as_str()
        )
    );
}

#[test]
fn the_identity_and_condition_keys_stay_the_callers() {
    let h = harness(&yaml());
    let w = worker(&h);
    let before = identity_of(&h, &w);
    let layer = allow(&["s3:GetObject", "sts:GetScopedCredentials"]);
    let (s, r) = scoped(&h, &w, scope(Some(&layer), None));
    let after = identity_of(&h, &s);
    assert_eq!(after.arn, SESSION_ARN);
    assert_eq!(
        (after.arn.as_str(), after.user_id.as_str()),
        (before.arn.as_str(), before.user_id.as_str())
    );
    assert_eq!(after.account, "111111111111");
    let info = present(&r.session_info);
    assert_eq!(info.arn, SESSION_ARN);
    assert_eq!(info.scoped_session_id, before.user_id);
    assert!(info.scoped_session_id.starts_with("AROA") && info.scoped_session_id.ends_with(":w1"));
    assert_eq!(r.source_identity.as_deref(), Some("alice-si"));
    let creds = present(&r.credentials);
    assert!(creds.access_key_id.starts_with("ASIA"));
    assert_ne!(
        creds.access_key_id, w.id,
        "new credentials, not the caller's"
    );
    let size = usize::try_from(r.session_token_size.unwrap_or(0)).unwrap_or(0);
    assert_eq!(size, creds.session_token.expose().len());
    assert!(matches!(r.session_token_utilization, Some(1..=100)));
    // Every condition key is the caller's (same time, same request environment).
    let keys = |c: &Creds| signed_caller(&h, c, IP).condition_keys();
    assert_eq!(keys(&s), keys(&w));
    // Chained further, with a duration only: still the same principal, no policy added.
    let (s2, r2) = scoped(&h, &s, scope(None, Some(600)));
    assert_eq!(identity_of(&h, &s2).arn, SESSION_ARN);
    assert_eq!(r2.scoped_policies_count, Some(1));
    assert_eq!(r2.source_identity.as_deref(), Some("alice-si"));
}

#[test]
fn three_layers_stack_and_a_fourth_is_refused() {
    let h = harness(&yaml());
    let w = worker(&h);
    let g = "sts:GetScopedCredentials";
    let (s1, r1) = scoped(
        &h,
        &w,
        scope(
            Some(&allow(&[
                g,
                "s3:GetObject",
                "s3:PutObject",
                "s3:ListBucket",
            ])),
            None,
        ),
    );
    let (s2, r2) = scoped(
        &h,
        &s1,
        scope(
            Some(&allow(&[
                g,
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
            ])),
            None,
        ),
    );
    let (s3, r3) = scoped(
        &h,
        &s2,
        scope(Some(&allow(&[g, "s3:GetObject", "s3:ListBucket"])), None),
    );
    assert_eq!(
        [
            r1.scoped_policies_count,
            r2.scoped_policies_count,
            r3.scoped_policies_count
        ],
        [Some(1), Some(2), Some(3)]
    );
    // Each layer intersects: only what all three allow is left.
    let (get, put) = (("s3:GetObject", OBJECT), ("s3:PutObject", OBJECT));
    let (deny, list) = (
        ("s3:DeleteObject", OBJECT),
        ("s3:ListBucket", "arn:aws:s3:::bucket"),
    );
    use Outcome::{Allow, ImplicitDeny};
    assert_eq!(decisions(&h, &s2, &[put, deny]), [Allow, ImplicitDeny]);
    assert_eq!(
        decisions(&h, &s3, &[get, put, list]),
        [Allow, ImplicitDeny, ImplicitDeny]
    );
    // A fourth policy is refused; a duration alone still works and adds none.
    assert_eq!(
        err(call::<GetScopedCredentials>(
            &h,
            &s3,
            scope(Some(&allow(&[g])), None)
        )),
        Error::new(ErrorCode::AccessDenied, TOO_MANY_LAYERS_TEXT)
    );
    let (s4, r4) = scoped(&h, &s3, scope(None, Some(300)));
    assert_eq!(r4.scoped_policies_count, Some(3));
    assert_eq!(decisions(&h, &s4, &[get, put]), [Allow, ImplicitDeny]);
}

#[test]
fn lifetime_is_at_most_the_callers() {
    let h = harness(&yaml());
    let w = worker(&h); // expires at T0 + 3600
    let p = allow(&["s3:GetObject"]);
    // Omitted: the caller's expiry.
    let (_, r) = scoped(&h, &w, scope(Some(&p), None));
    assert_eq!(lifetime(&r.credentials), 3600);
    // Up to the remaining lifetime exactly.
    let (_, r) = scoped(&h, &w, scope(None, Some(3600)));
    assert_eq!(lifetime(&r.credentials), 3600);
    let e = err(call::<GetScopedCredentials>(
        &h,
        &w,
        scope(Some(&p), Some(3601)),
    ));
    assert_eq!(e.error_code(), ErrorCode::InsufficientSessionLifetime);
    assert_eq!(
        e.message(),
        "The requested DurationSeconds (3601) exceeds the remaining lifetime of the calling session (3600 seconds)."
    );
    // Later the remaining lifetime is shorter.
    h.clock.advance(time::Duration::seconds(3000));
    assert_eq!(
        err(call::<GetScopedCredentials>(&h, &w, scope(None, Some(601)))).error_code(),
        ErrorCode::InsufficientSessionLifetime
    );
    let (short, r) = scoped(&h, &w, scope(None, Some(60)));
    assert_eq!(lifetime(&r.credentials), 3060);
    // The shortened credentials expire first; the caller's still work.
    h.clock.advance(time::Duration::seconds(60));
    assert_eq!(identity_error(&h, &short), expired_token());
    assert_eq!(identity_of(&h, &w).arn, SESSION_ARN);
    // The model's range (1 to 129,600) is checked before anything else.
    for d in [0, 129_601] {
        assert_eq!(
            err(call::<GetScopedCredentials>(&h, &w, scope(None, Some(d)))).error_code(),
            ErrorCode::ValidationError,
            "{d}"
        );
    }
}

#[test]
fn long_term_keys_are_refused_and_a_session_token_session_works() {
    let h = harness(&yaml());
    let p = allow(&["s3:GetObject"]);
    assert_eq!(
        err(call::<GetScopedCredentials>(
            &h,
            &alice(),
            scope(Some(&p), None)
        )),
        Error::new(ErrorCode::InvalidSubjectCredentials, LONG_TERM_TEXT)
    );
    let gst = call::<GetSessionToken>(&h, &alice(), GetSessionTokenRequest::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let session = Creds::from_api(present(&gst.credentials));
    let (s, r) = scoped(&h, &session, scope(Some(&p), None));
    assert_eq!(
        identity_of(&h, &s).arn,
        "arn:aws:iam::111111111111:user/alice"
    );
    assert_eq!(
        present(&r.session_info).arn,
        "arn:aws:iam::111111111111:user/alice"
    );
    assert_eq!(r.source_identity, None);
    assert_eq!(decide(&h, &s, "s3:GetObject", OBJECT), Outcome::Allow);
    assert_eq!(
        decide(&h, &s, "s3:PutObject", OBJECT),
        Outcome::ImplicitDeny
    );
    assert_eq!(decide(&h, &session, "s3:PutObject", OBJECT), Outcome::Allow);
}

#[test]
fn requests_that_scope_nothing_or_badly_are_refused() {
    let h = harness(&yaml());
    let w = worker(&h);
    assert_eq!(
        err(call::<GetScopedCredentials>(&h, &w, scope(None, None))),
        Error::new(ErrorCode::ValidationError, NOTHING_TO_SCOPE_TEXT)
    );
    let e = err(call::<GetScopedCredentials>(
        &h,
        &w,
        scope(Some("{not json"), None),
    ));
    assert_eq!(e.error_code(), ErrorCode::MalformedPolicyDocument);
    let e = err(call::<GetScopedCredentials>(
        &h,
        &w,
        scope(
            Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#),
            None,
        ),
    ));
    assert_eq!(e.error_code(), ErrorCode::MalformedPolicyDocument, "{e}");
    // Two policies near the 2,048-character limit fit the packed budget; a third does not.
    let big = |n: u8| {
        let resources = (0..18)
            .map(|i| format!("\"arn:aws:s3:::bucket-{n}-{i:02}-{}/*\"", "x".repeat(70)))
            .collect::<Vec<_>>()
            .join(",");
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:*","sts:GetScopedCredentials"],"Resource":[{resources},"*"]}}]}}"#
        )
    };
    assert!(
        big(1).len() > 1900 && big(1).len() <= 2048,
        "{}",
        big(1).len()
    );
    let (s1, _) = scoped(&h, &w, scope(Some(&big(1)), None));
    let (s2, _) = scoped(&h, &s1, scope(Some(&big(2)), None));
    let e = err(call::<GetScopedCredentials>(
        &h,
        &s2,
        scope(Some(&big(3)), None),
    ));
    assert_eq!(e.error_code(), ErrorCode::PackedPolicyTooLarge);
    assert!(
        e.message().starts_with("Packed policy consumes ")
            && e.message()
                .ends_with("% of allotted space, please use smaller policy for this request."),
        "{e}"
    );
}

#[test]
fn assume_role_from_a_scoped_session_is_limited_and_does_not_inherit_the_layers() {
    let h = harness(&yaml());
    let w = worker(&h);
    // A scope-down policy without sts:AssumeRole: the role chain is closed.
    let (s, _) = scoped(&h, &w, scope(Some(&allow(&["s3:GetObject"])), None));
    let e = assume_error(&h, &s, NEXT, "n1");
    assert_eq!(e.error_code(), ErrorCode::AccessDenied);
    assert!(
        e.message().starts_with(&format!(
            "User: {SESSION_ARN} is not authorized to perform: sts:AssumeRole on resource: {NEXT}"
        )),
        "{e}"
    );
    // With it: the new role session has the new role's permissions, not the scope-down's.
    let (s, _) = scoped(&h, &w, scope(Some(&allow(&["sts:AssumeRole"])), None));
    let next =
        Creds::from_api(&assumed(call::<AssumeRole>(&h, &s, assume_role(NEXT, "n1"))).credentials);
    assert_eq!(decide(&h, &next, "s3:PutObject", OBJECT), Outcome::Allow);
    assert_eq!(
        decide(&h, &s, "s3:PutObject", OBJECT),
        Outcome::ImplicitDeny
    );
}

#[test]
fn denials_of_a_scoped_session_explain_the_scope_down_policy() {
    let h = harness(&yaml());
    let w = worker(&h);
    let (s, _) = scoped(&h, &w, scope(Some(&allow(&["s3:GetObject"])), None));
    let caller = signed_caller(&h, &s, IP);
    let a = authorization(&h, &caller, "s3:PutObject", OBJECT);
    assert_eq!(a.verdict.outcome, Outcome::ImplicitDeny);
    assert!(a.encoded_message.is_some());
    assert!(
        a.verdict
            .reasons
            .iter()
            .any(|r| r == "no statement of scope-down policy 1 allows the action"),
        "{:?}",
        a.verdict.reasons
    );
}

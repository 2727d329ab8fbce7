//! AWS managed policies attached in the configuration are evaluated like customer managed ones.

#![allow(clippy::panic, reason = "test helpers: a failed setup aborts the test")]

#[path = "engine_support/harness.rs"]
mod harness;

use std::net::Ipv4Addr;

use harness::*;
use keyturn_core::evaluator::PolicySource;

fn yaml() -> String {
    let reader = key_id("111111111111", 7);
    let head = memory_account("111111111111");
    format!(
        r#"{head}    roles:
      - name: Auditor
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: "arn:aws:iam::111111111111:root"}}
              Action: sts:AssumeRole
        managed_policies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    users:
      - name: reader
        access_keys: [{{id: {reader}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          assume:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: "*"
"#
    )
}

/// Whether `creds` (long-term or temporary) may do `action` on `resource`, through a signed
/// request's caller.
fn allowed(h: &Harness, creds: &Creds, action: &str, resource: &str) -> bool {
    let caller = signed_caller(h, creds, Ipv4Addr::new(192, 0, 2, 10));
    h.engine
        .authorize(&caller, action, resource, &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .is_allowed()
}

#[test]
fn a_role_with_read_only_access_reads_and_does_not_write() {
    let h = harness(&yaml());
    let reader = Creds::long_term(&key_id("111111111111", 7), ALICE_SECRET);
    let r = assumed(call::<AssumeRole>(
        &h,
        &reader,
        assume_role("arn:aws:iam::111111111111:role/Auditor", "audit"),
    ));
    let session = Creds::from_api(&r.credentials);
    assert!(allowed(
        &h,
        &session,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key"
    ));
    assert!(allowed(
        &h,
        &session,
        "iam:GetRole",
        "arn:aws:iam::111111111111:role/Auditor"
    ));
    assert!(!allowed(
        &h,
        &session,
        "s3:PutObject",
        "arn:aws:s3:::bucket/key"
    ));
    assert!(!allowed(
        &h,
        &session,
        "iam:CreateUser",
        "arn:aws:iam::111111111111:user/x"
    ));
    // The user itself has no ReadOnlyAccess: the role's policy is what allows.
    assert!(!allowed(
        &h,
        &reader,
        "s3:GetObject",
        "arn:aws:s3:::bucket/key"
    ));

    let snapshot = h.engine.snapshot().unwrap_or_else(|e| panic!("{e}"));
    let account = "111111111111".parse().unwrap_or_else(|e| panic!("{e:?}"));
    let role = snapshot
        .roles
        .get(account, "Auditor")
        .unwrap_or_else(|| panic!("no role"));
    let ids: Vec<&str> = role
        .policies
        .identity
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    assert_eq!(role.policies.identity[0].source, PolicySource::AwsManaged);
    // Only the attached AWS policy was compiled, not all of them.
    let aws = snapshot
        .managed
        .keys()
        .filter(|arn| arn.starts_with("arn:aws:iam::aws:policy/"))
        .count();
    assert_eq!(aws, 1);
}

#[test]
fn an_unknown_aws_policy_is_a_config_error_with_its_line() {
    let text = yaml().replace("policy/ReadOnlyAccess", "policy/ReadOnlyAccez");
    let e = keyturn::Config::from_str(&text, "test.yaml")
        .err()
        .unwrap_or_else(|| panic!("accepted"))
        .to_string();
    // The text docs/configuration.md shows.
    assert_eq!(
        e,
        "test.yaml:13: accounts[0].roles[0].managed_policies[0]: \
         `arn:aws:iam::aws:policy/ReadOnlyAccez` is not an AWS managed policy (the ARN includes \
         the policy's path, as in `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`)"
    );
    assert!(e.contains("roles[0].managed_policies[0]"), "{e}");
    assert!(
        e.contains("`arn:aws:iam::aws:policy/ReadOnlyAccez` is not an AWS managed policy"),
        "{e}"
    );
}

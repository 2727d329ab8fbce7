//! `CompiledPolicy::context_keys_for`: the keys, as written, of the statements in scope.

#![allow(clippy::expect_used, reason = "test helpers")]

use keyturn_policy::{CompiledPolicy, PolicyType, Principal, RequestContext};

fn ctx(action: &str, resource: &str) -> RequestContext {
    let alice = Principal::from_arn("arn:aws:iam::111111111111:user/alice").expect("a user ARN");
    RequestContext::new(alice, action, resource)
}

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:111111111111:table/${aws:username}",
  "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"},"StringEquals":{"aws:CURRENTTIME":"x"}}},
 {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team}/*",
  "Condition":{"StringLike":{"s3:prefix":["${aws:userid}/*","${*}"]}}}]}"#;

/// The statements that could apply to the request contribute their keys in document order, as
/// written, once each whatever the case; others contribute none.
#[test]
fn keys_of_statements_in_scope() {
    let p = CompiledPolicy::parse(POLICY, PolicyType::Identity).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        p.context_keys_for(&ctx("dynamodb:GetItem", "*")),
        ["aws:username", "aws:CurrentTime"]
    );
    // The resource variable has no value: the statement may still apply, so its keys count.
    assert_eq!(
        p.context_keys_for(&ctx("s3:GetObject", "arn:aws:s3:::b/web/k")),
        [
            "aws:SecureTransport",
            "aws:PrincipalTag/team",
            "s3:prefix",
            "aws:userid"
        ]
    );
    assert_eq!(
        p.context_keys_for(&ctx("s3:PutObject", "arn:aws:s3:::b/web/k")),
        ["aws:SecureTransport"]
    );
    assert!(p.context_keys_for(&ctx("iam:GetUser", "*")).is_empty());
}

/// In a 2008-10-17 policy `${...}` is text, not a key.
#[test]
fn old_version_has_no_variables() {
    let p = CompiledPolicy::parse(
        r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}"#,
        PolicyType::Identity,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(p.context_keys_for(&ctx("s3:GetObject", "*")).is_empty());
}

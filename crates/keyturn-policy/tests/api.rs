//! The public API: trust evaluation, explanations, principals and request contexts.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers")]

use keyturn_policy::{
    CompiledPolicy, Layer, Outcome, PolicySet, PolicyType, Principal, PrincipalType,
    RequestContext, TrustOutcome, evaluate_trust,
};

const ALICE: &str = "arn:aws:iam::111111111111:user/alice";

fn trust(principal: &str) -> CompiledPolicy {
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":["sts:AssumeRole","sts:TagSession"]}}]}}"#
    );
    CompiledPolicy::parse(&doc, PolicyType::Trust).unwrap()
}

fn assume(caller: &str) -> RequestContext {
    RequestContext::new(
        Principal::from_arn(caller).unwrap(),
        "sts:AssumeRole",
        "arn:aws:iam::111111111111:role/r",
    )
}

#[test]
fn trust_outcomes() {
    assert_eq!(
        evaluate_trust(&trust(ALICE), &assume(ALICE)),
        TrustOutcome::AllowedDirectly
    );
    assert_eq!(
        evaluate_trust(&trust("111111111111"), &assume(ALICE)),
        TrustOutcome::AllowedByDelegation
    );
    assert_eq!(
        evaluate_trust(&trust("arn:aws:iam::111111111111:root"), &assume(ALICE)),
        TrustOutcome::AllowedByDelegation
    );
    assert_eq!(
        evaluate_trust(
            &trust("arn:aws:iam::111111111111:role/app"),
            &assume("arn:aws:sts::111111111111:assumed-role/app/s")
        ),
        TrustOutcome::AllowedForRole
    );
    assert_eq!(
        evaluate_trust(&trust("222222222222"), &assume(ALICE)),
        TrustOutcome::NotAllowed
    );
    let tag = RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "sts:TagSession",
        "arn:aws:iam::111111111111:role/r",
    );
    assert_eq!(
        evaluate_trust(&trust(ALICE), &tag),
        TrustOutcome::AllowedDirectly
    );
    let deny = CompiledPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
            {"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"sts:*"}]}"#,
        PolicyType::Trust,
    )
    .unwrap();
    assert_eq!(
        evaluate_trust(&deny, &assume(ALICE)),
        TrustOutcome::ExplicitDeny
    );
}

#[test]
fn explanation_names_policies_and_statements() {
    let p = CompiledPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:Get*","Resource":"*"},
            {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret/*"}]}"#,
        PolicyType::Identity,
    )
    .unwrap()
    .with_id("arn:aws:iam::111111111111:policy/read");
    let set = PolicySet::new().with_identity(p);
    let ctx = RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "s3:GetObject",
        "arn:aws:s3:::secret/x",
    );
    let d = set.evaluate(&ctx);
    assert_eq!(d.outcome(), Outcome::ExplicitDeny);
    let refs: Vec<_> = d.matched().iter().map(|r| (r.layer, r.statement)).collect();
    assert_eq!(refs, vec![(Layer::Identity, 0), (Layer::Identity, 1)]);
    let json = serde_json::to_value(d.explain(&set)).unwrap();
    assert_eq!(json["decision"], "ExplicitDeny");
    assert_eq!(json["matched"][1]["sid"], "NoSecrets");
    assert_eq!(json["matched"][1]["effect"], "Deny");
    assert_eq!(
        json["matched"][1]["policy_id"],
        "arn:aws:iam::111111111111:policy/read"
    );
    assert_eq!(json["matched"][1]["policy_type"], "identity");
    assert_eq!(
        json["reasons"][0],
        "explicit deny in the identity-based policy"
    );
}

#[test]
fn many_matches_spill_past_the_inline_list() {
    let sts: Vec<String> = (0..20)
        .map(|i| format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"s3:*","Resource":"*"}}"#))
        .collect();
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        sts.join(",")
    );
    let set =
        PolicySet::new().with_identity(CompiledPolicy::parse(&doc, PolicyType::Identity).unwrap());
    let d = set.evaluate(&RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "s3:GetObject",
        "*",
    ));
    assert!(d.is_allowed());
    assert_eq!(d.matched().iter().count(), 20);
    assert_eq!(d.explain(&set).matched[19].sid.as_deref(), Some("S19"));
}

#[test]
fn principals_from_arns() {
    let s = Principal::from_arn("arn:aws:sts::111111111111:assumed-role/app/s1").unwrap();
    assert_eq!(s.kind, PrincipalType::AssumedRole);
    assert_eq!(s.principal_arn, "arn:aws:iam::111111111111:role/app");
    assert_eq!(s.account, "111111111111");
    assert!(s.is_session());
    assert_eq!(
        Principal::from_arn(ALICE).unwrap().kind,
        PrincipalType::User
    );
    assert_eq!(
        Principal::from_arn("arn:aws:iam::111111111111:root")
            .unwrap()
            .kind,
        PrincipalType::Account
    );
    assert_eq!(
        Principal::from_arn("arn:aws:sts::111111111111:federated-user/f")
            .unwrap()
            .kind,
        PrincipalType::FederatedUser
    );
    assert!(Principal::from_arn("arn:aws:s3:::bucket").is_none());
    assert!(Principal::from_arn("nonsense").is_none());
    assert_eq!(s.account_root_arn(), "arn:aws:iam::111111111111:root");
}

#[test]
fn context_keys_are_case_insensitive_and_set_from_the_principal() {
    let mut ctx = RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "S3:GetObject",
        "arn:aws:s3:::b/k",
    );
    ctx.insert("aws:PrincipalTag/Team", "web")
        .insert_many("aws:TagKeys", ["a", "b"]);
    assert_eq!(ctx.get("AWS:PRINCIPALTAG/TEAM").unwrap(), ["web"]);
    assert_eq!(ctx.get("aws:tagkeys").unwrap().len(), 2);
    assert_eq!(ctx.get("aws:username").unwrap(), ["alice"]);
    assert_eq!(ctx.get("aws:PrincipalArn").unwrap(), [ALICE]);
    assert_eq!(ctx.get("aws:PrincipalType").unwrap(), ["User"]);
    assert_eq!(ctx.action(), "s3:getobject");
    assert_eq!(ctx.service(), "s3");
    assert!(ctx.get("aws:SourceIp").is_none());
}

#[test]
fn index_skips_other_services_but_keeps_order() {
    // Statements for s3 and wildcard statements are both considered, in document order.
    let p = CompiledPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},
            {"Sid":"B","Effect":"Allow","Action":"ec2:*","Resource":"*"},
            {"Sid":"C","Effect":"Allow","Action":["s3:Get*","iam:Get*"],"Resource":"*"},
            {"Sid":"D","Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#,
        PolicyType::Identity,
    )
    .unwrap();
    let set = PolicySet::new().with_identity(p);
    let d = set.evaluate(&RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "s3:GetObject",
        "*",
    ));
    let sids: Vec<_> = d
        .explain(&set)
        .matched
        .into_iter()
        .filter_map(|m| m.sid)
        .collect();
    assert_eq!(sids, ["A", "C", "D"]);
}

#[test]
fn errors_carry_aws_text_and_the_location() {
    use keyturn_policy::{PolicyDocument, PolicyError};
    let e = PolicyDocument::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.0.0.0/8"}}}]}"#,
        PolicyType::Identity,
    )
    .unwrap_err();
    assert!(matches!(e, PolicyError::MalformedPolicyDocument { .. }));
    assert_eq!(e.code(), "MalformedPolicyDocument");
    assert_eq!(
        e.location(),
        Some("Statement[1].Condition.IpAddress.aws:SourceIp")
    );
    assert_eq!(
        e.to_string(),
        "Invalid IP address or CIDR block for condition operator IpAddress: 300.0.0.0/8"
    );
    assert!(
        e.detail()
            .ends_with("(at Statement[1].Condition.IpAddress.aws:SourceIp)")
    );
    let e = PolicyDocument::parse(
        r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:AssumeRole"}}"#,
        PolicyType::Trust,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), r#"Invalid principal in policy: "AWS":"bob""#);
    assert_eq!(e.location(), Some("Statement.Principal.AWS"));
    assert_eq!(PolicyType::parse("SCP"), Some(PolicyType::Scp));
    assert_eq!(PolicyType::Trust.default_size_limit(), Some(2048));
}

#[test]
fn condition_keys_lists_what_a_policy_reads() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/Team}/*",
         "Condition": {"StringEquals": {"aws:ResourceTag/Owner": "${aws:username}"},
                       "Bool": {"aws:SecureTransport": "true"}}},
        {"Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"IpAddress": {"AWS:SourceIp": "10.0.0.0/8"}}}]}"#;
    let p = CompiledPolicy::parse(text, PolicyType::Identity).unwrap();
    let keys: Vec<&str> = p.condition_keys().iter().map(|k| &**k).collect();
    assert_eq!(
        keys,
        [
            "aws:principaltag/team",
            "aws:resourcetag/owner",
            "aws:securetransport",
            "aws:sourceip",
            "aws:username"
        ]
    );
    // Version 2008-10-17 has no variables: `${...}` is text, not a key.
    let old = text.replace("2012-10-17", "2008-10-17");
    let p = CompiledPolicy::parse(&old, PolicyType::Identity).unwrap();
    assert!(!p.condition_keys().iter().any(|k| &**k == "aws:username"));
    let none = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
    assert!(
        CompiledPolicy::parse(none, PolicyType::Identity)
            .unwrap()
            .condition_keys()
            .is_empty()
    );
}

//! The IAM policy language: parse and validate a document as each policy type, compile it,
//! evaluate it in a handful of request contexts (as an identity policy, a resource policy, a
//! boundary, a trust policy), and check that the normalised JSON of a document that parsed
//! parses again to the same JSON. Also `keyturn policy eval`'s JSON request and the statement
//! spans of `keyturn policy check`.
//!
//! Input: the first byte picks the mode and the policy type; the rest is the JSON text.

use keyturn_policy::{
    CompiledPolicy, PolicyDocument, PolicySet, PolicyType, Principal, RequestContext,
    eval_request_json, evaluate_trust, statement_spans,
};

use crate::bytes::Bytes;
use crate::check;

const TYPES: [PolicyType; 7] = [
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::Trust,
    PolicyType::Boundary,
    PolicyType::Session,
    PolicyType::Scp,
    PolicyType::Rcp,
];

/// The target.
pub fn policy(data: &[u8]) {
    let mut input = Bytes::new(data);
    let mode = input.byte();
    let ty = *input.pick(&TYPES).unwrap_or(&PolicyType::Identity);
    let text = input.rest_text();
    match mode % 4 {
        0 | 1 => document(&text, ty),
        2 => {
            let _ = eval_request_json(&text);
        }
        _ => {
            let _ = statement_spans(&text);
            document(&text, ty);
        }
    }
}

/// The contexts every compiled policy is evaluated in.
fn contexts() -> Vec<RequestContext> {
    let user = "arn:aws:iam::111122223333:user/alice";
    let session = "arn:aws:sts::111122223333:assumed-role/App/s1";
    let mut out = Vec::new();
    for (principal, action, resource) in [
        (user, "s3:GetObject", "arn:aws:s3:::bucket/key/a.txt"),
        (user, "iam:PassRole", "arn:aws:iam::111122223333:role/App"),
        (
            session,
            "sts:AssumeRole",
            "arn:aws:iam::444455556666:role/Other",
        ),
        (session, "ec2:RunInstances", "*"),
    ] {
        let Some(p) = Principal::from_arn(principal) else {
            continue;
        };
        let mut ctx = RequestContext::new(p, action, resource);
        ctx.insert("aws:SourceIp", "10.1.2.3")
            .insert("aws:CurrentTime", "2026-11-28T12:00:00Z")
            .insert("aws:EpochTime", "1795867200")
            .insert("aws:MultiFactorAuthPresent", "true")
            .insert("aws:MultiFactorAuthAge", "300")
            .insert("aws:PrincipalTag/team", "web")
            .insert("aws:RequestedRegion", "us-east-1")
            .insert("aws:SecureTransport", "false")
            .insert("s3:prefix", "home/alice/")
            .insert_many("aws:TagKeys", ["team", "env"]);
        out.push(ctx);
    }
    out
}

fn document(text: &str, ty: PolicyType) {
    let Ok(doc) = PolicyDocument::parse(text, ty) else {
        return;
    };
    // The normalised form of a valid document is valid, and normalising again changes nothing.
    let json = doc.to_json();
    let again = PolicyDocument::from_value(&json, ty);
    check::holds(again.is_ok(), || {
        format!("{ty:?}: parsed, but its normalised JSON does not: {json}\n{again:?}")
    });
    if let Ok(again) = &again {
        check::holds(again.to_json() == json, || {
            format!(
                "{ty:?}: normalising twice differs: {json} then {}",
                again.to_json()
            )
        });
    }
    let compiled = CompiledPolicy::compile(&doc);
    for ctx in contexts() {
        let _ = compiled.context_keys_for(&ctx);
        let decision = match ty {
            PolicyType::Trust => {
                let _ = evaluate_trust(&compiled, &ctx);
                continue;
            }
            PolicyType::Resource => PolicySet::new()
                .with_resource_policy(compiled.clone(), Some("111122223333"))
                .evaluate(&ctx),
            PolicyType::Boundary | PolicyType::Session => {
                let allow = CompiledPolicy::parse(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                    PolicyType::Identity,
                );
                let Ok(allow) = allow else { continue };
                let set = PolicySet::new().with_identity(allow);
                if ty == PolicyType::Boundary {
                    set.with_boundary(compiled.clone()).evaluate(&ctx)
                } else {
                    set.with_session_policy(compiled.clone()).evaluate(&ctx)
                }
            }
            PolicyType::Scp | PolicyType::Rcp => PolicySet::new()
                .with_scp_level(vec![compiled.clone()])
                .evaluate(&ctx),
            PolicyType::Identity => PolicySet::new()
                .with_identity(compiled.clone())
                .evaluate(&ctx),
        };
        let _ = decision.reasons();
    }
}

//! Property tests: round-tripping, monotonicity of Allow and Deny, and robustness on bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers")]

use keyturn_policy::{
    CompiledPolicy, Outcome, ParseOptions, PolicyDocument, PolicySet, PolicyType, Principal,
    RequestContext,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "*",
    "iam:GetUser",
    "ec2:*Instances",
    "s3:?utObject",
];
const REQ_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "iam:GetUser",
    "ec2:DescribeInstances",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::b*",
    "arn:aws:ec2:*:111111111111:instance/*",
    "arn:aws:s3:::bucket/${aws:username}/*",
];
const REQ_RESOURCES: &[&str] = &[
    "arn:aws:s3:::bucket/alice/x",
    "arn:aws:s3:::other",
    "arn:aws:ec2:us-east-1:111111111111:instance/i-1",
];

fn condition() -> impl Strategy<Value = Option<(String, String, Value)>> {
    prop_oneof![
        Just(None),
        Just(Some((
            "StringEquals".into(),
            "aws:PrincipalTag/team".into(),
            json!("web")
        ))),
        Just(Some((
            "StringNotLike".into(),
            "aws:PrincipalTag/team".into(),
            json!(["d*", "x?"])
        ))),
        Just(Some((
            "ForAnyValue:StringEquals".into(),
            "aws:TagKeys".into(),
            json!(["a", "b"])
        ))),
        Just(Some((
            "ForAllValues:StringLike".into(),
            "aws:TagKeys".into(),
            json!(["a*"])
        ))),
        Just(Some((
            "IpAddressIfExists".into(),
            "aws:SourceIp".into(),
            json!("10.0.0.0/8")
        ))),
        Just(Some((
            "NumericLessThan".into(),
            "s3:max-keys".into(),
            json!(10)
        ))),
        Just(Some((
            "Null".into(),
            "aws:TokenIssueTime".into(),
            json!("true")
        ))),
        Just(Some((
            "DateLessThan".into(),
            "aws:CurrentTime".into(),
            json!("2030-01-01T00:00:00Z")
        ))),
        Just(Some((
            "Bool".into(),
            "aws:SecureTransport".into(),
            json!(true)
        ))),
    ]
}

fn statement(allow: bool) -> impl Strategy<Value = Value> {
    (
        proptest::sample::subsequence(ACTIONS, 1..3),
        proptest::sample::subsequence(RESOURCES, 1..3),
        any::<bool>(),
        any::<bool>(),
        condition(),
    )
        .prop_map(move |(actions, resources, not_action, as_string, cond)| {
            let mut st = serde_json::Map::new();
            st.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
            let a = if as_string && actions.len() == 1 {
                json!(actions[0])
            } else {
                json!(actions)
            };
            st.insert(if not_action { "NotAction" } else { "Action" }.into(), a);
            st.insert("Resource".into(), json!(resources));
            if let Some((op, k, v)) = cond {
                st.insert("Condition".into(), json!({ op: { k: v } }));
            }
            Value::Object(st)
        })
}

fn policy(allow_only: Option<bool>) -> impl Strategy<Value = Value> {
    let st = match allow_only {
        Some(a) => statement(a).boxed(),
        None => any::<bool>().prop_flat_map(statement).boxed(),
    };
    proptest::collection::vec(st, 1..4)
        .prop_map(|sts| json!({"Version": "2012-10-17", "Statement": sts}))
}

fn request() -> impl Strategy<Value = RequestContext> {
    (
        proptest::sample::select(REQ_ACTIONS),
        proptest::sample::select(REQ_RESOURCES),
        proptest::option::of(proptest::sample::select(&["web", "db"][..])),
        proptest::option::of(proptest::collection::vec(
            proptest::sample::select(&["a", "b", "c"][..]),
            0..3,
        )),
        any::<bool>(),
    )
        .prop_map(|(action, resource, team, tags, secure)| {
            let p = Principal::from_arn("arn:aws:iam::111111111111:user/alice").unwrap();
            let mut ctx = RequestContext::new(p, action, resource);
            if let Some(t) = team {
                ctx.insert("aws:PrincipalTag/team", t);
            }
            if let Some(t) = tags {
                ctx.insert_many("aws:TagKeys", t);
            }
            ctx.insert("aws:SecureTransport", secure.to_string());
            ctx.insert("aws:SourceIp", "10.1.2.3");
            ctx
        })
}

fn compile(v: &Value, ty: PolicyType) -> CompiledPolicy {
    CompiledPolicy::compile(&PolicyDocument::from_value(v, ty).unwrap())
}

fn set_of(identity: &[Value], boundary: Option<&Value>) -> PolicySet {
    let mut set = PolicySet::new();
    for p in identity {
        set = set.with_identity(compile(p, PolicyType::Identity));
    }
    if let Some(b) = boundary {
        set = set.with_boundary(compile(b, PolicyType::Boundary));
    }
    set
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn reserialising_gives_an_equivalent_document(p in policy(None)) {
        let doc = PolicyDocument::from_value(&p, PolicyType::Identity).unwrap();
        let text = serde_json::to_string(&doc.to_json()).unwrap();
        let again = PolicyDocument::parse_with(&text, ParseOptions::new(PolicyType::Identity).with_max_size(None)).unwrap();
        prop_assert_eq!(&doc, &again);
        // And the compiled forms decide alike.
        prop_assert_eq!(doc.to_json(), again.to_json());
    }

    #[test]
    fn adding_an_allow_never_turns_allow_into_deny(
        ps in proptest::collection::vec(policy(None), 1..4),
        boundary in proptest::option::of(policy(None)),
        extra in policy(Some(true)),
        ctx in request(),
    ) {
        let before = set_of(&ps, boundary.as_ref()).evaluate(&ctx);
        let mut more = ps.clone();
        more.push(extra);
        let after = set_of(&more, boundary.as_ref()).evaluate(&ctx);
        if before.outcome() == Outcome::Allow {
            prop_assert_eq!(after.outcome(), Outcome::Allow);
        }
        if before.outcome() == Outcome::ExplicitDeny {
            prop_assert_eq!(after.outcome(), Outcome::ExplicitDeny);
        }
    }

    #[test]
    fn adding_a_deny_never_turns_deny_into_allow(
        ps in proptest::collection::vec(policy(None), 1..4),
        extra in policy(Some(false)),
        ctx in request(),
    ) {
        let before = set_of(&ps, None).evaluate(&ctx);
        let mut more = ps.clone();
        more.push(extra.clone());
        let after = set_of(&more, None).evaluate(&ctx);
        if before.outcome() != Outcome::Allow {
            prop_assert_ne!(after.outcome(), Outcome::Allow);
        }
        // Also as a boundary or session policy.
        let with_session = set_of(&ps, None).with_session_policy(compile(&extra, PolicyType::Session)).evaluate(&ctx);
        if before.outcome() != Outcome::Allow {
            prop_assert_ne!(with_session.outcome(), Outcome::Allow);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        for ty in [PolicyType::Identity, PolicyType::Trust, PolicyType::Resource] {
            if let Err(e) = PolicyDocument::parse(&s, ty) {
                prop_assert_eq!(e.code(), "MalformedPolicyDocument");
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn mutated_documents_never_panic(p in policy(None), cut in 0usize..400, junk in "[\\[\\]{}\":,*?$a-z0-9 ]{0,8}") {
        let text = serde_json::to_string(&p).unwrap();
        let cut = cut.min(text.len());
        let mutated = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
        if let Ok(doc) = PolicyDocument::parse(&mutated, PolicyType::Identity) {
            let c = CompiledPolicy::compile(&doc);
            let ctx = RequestContext::new(Principal::from_arn("arn:aws:iam::111111111111:user/a").unwrap(), "s3:GetObject", "arn:aws:s3:::b/k");
            let _ = PolicySet::new().with_identity(c).evaluate(&ctx);
        }
    }

    #[test]
    fn invalid_cidrs_and_dates_are_malformed(
        ip in "[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}/[0-9]{1,3}",
        date in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",
    ) {
        let ip_ok = ip.parse::<ipnet::IpNet>().is_ok();
        let doc = json!({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp": ip}}}});
        let r = PolicyDocument::from_value(&doc, PolicyType::Identity);
        prop_assert_eq!(r.is_ok(), ip_ok);
        let doc = json!({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime": date}}}});
        if let Err(e) = PolicyDocument::from_value(&doc, PolicyType::Identity) {
            prop_assert_eq!(e.code(), "MalformedPolicyDocument");
        }
    }
}

#[test]
fn deep_nesting_is_malformed() {
    let text = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let e = PolicyDocument::parse_with(
        &text,
        ParseOptions::new(PolicyType::Identity).with_max_size(None),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "Syntax errors in policy.");
}

#[test]
fn huge_documents_are_rejected_by_size_or_parse() {
    let resources: Vec<String> = (0..20_000).map(|i| format!("arn:aws:s3:::b/{i}")).collect();
    let doc = json!({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":resources}});
    let text = doc.to_string();
    let e = PolicyDocument::parse(&text, PolicyType::Identity).unwrap_err();
    assert_eq!(e.to_string(), "Cannot exceed quota for PolicySize: 6144");
    // Unlimited, it parses and evaluates.
    let d = PolicyDocument::parse_with(
        &text,
        ParseOptions::new(PolicyType::Identity).with_max_size(None),
    )
    .unwrap();
    let ctx = RequestContext::new(
        Principal::from_arn("arn:aws:iam::111111111111:user/a").unwrap(),
        "s3:GetObject",
        "arn:aws:s3:::b/19999",
    );
    assert!(
        PolicySet::new()
            .with_identity(CompiledPolicy::compile(&d))
            .evaluate(&ctx)
            .is_allowed()
    );
}

//! IAM policy evaluation: a typical role (5 policies, 20 statements, 3 conditions each), the same
//! role with 200 attached statements, and the same authorization in Cedar (`cedar-policy`, behind
//! the `baseline-cedar` feature).
//!
//! `cargo bench -p keyturn-benches --features baseline-cedar --bench policy`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench set-up"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use keyturn_policy::{CompiledPolicy, PolicySet, PolicyType, Principal, RequestContext};

/// Services of the role's statements; only one statement (s3) allows the request.
const SERVICES: &[&str] = &["s3", "dynamodb", "ec2", "sqs"];

/// One statement with three conditions (tag equality, source IP, TLS), as JSON.
fn statement(i: usize, service: &str, action: &str, resource: &str) -> String {
    format!(
        r#"{{"Sid":"S{i}","Effect":"Allow","Action":["{service}:{action}"],"Resource":"{resource}",
        "Condition":{{"StringEquals":{{"aws:PrincipalTag/team":"web"}},
        "IpAddress":{{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}},
        "Bool":{{"aws:SecureTransport":"true"}}}}}}"#
    )
}

/// `policies` identity policies of `per_policy` statements; the first five statements are for s3
/// (the fifth allows the request), the next fifteen for three other services. In the bigger role the
/// extra statements are for yet other services, as attached policies are in practice: the cost should
/// follow the statements that could match, not all attached.
fn role(policies: usize, per_policy: usize) -> PolicySet {
    const OTHERS: &[&str] = &[
        "kms", "sns", "logs", "lambda", "rds", "ecr", "ssm", "sqs", "ec2",
    ];
    let mut set = PolicySet::new();
    let mut n = 0;
    for p in 0..policies {
        let mut sts = Vec::new();
        for _ in 0..per_policy {
            let st = if n < 5 {
                let allow = n == 4;
                let action = if allow { "GetObject*" } else { "GetBucket*" };
                let resource = if allow {
                    "arn:aws:s3:::bucket/*".to_owned()
                } else {
                    format!("arn:aws:s3:::res{n}/*")
                };
                statement(n, "s3", action, &resource)
            } else {
                let service = if n < 20 {
                    SERVICES[1 + n % 3]
                } else {
                    OTHERS[n % OTHERS.len()]
                };
                statement(
                    n,
                    service,
                    "Describe*",
                    &format!("arn:aws:{service}:us-east-1:111111111111:res{n}/*"),
                )
            };
            sts.push(st);
            n += 1;
        }
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            sts.join(",")
        );
        let pol = CompiledPolicy::parse(&doc, PolicyType::Identity)
            .unwrap()
            .with_id(&format!("policy-{p}"));
        set = set.with_identity(pol);
    }
    set
}

fn context() -> RequestContext {
    let p = Principal::from_arn("arn:aws:sts::111111111111:assumed-role/app/session").unwrap();
    RequestContext::new(p, "s3:GetObject", "arn:aws:s3:::bucket/key")
        .with("aws:PrincipalTag/team", "web")
        .with("aws:SourceIp", "10.1.2.3")
        .with("aws:SecureTransport", "true")
}

fn bench(c: &mut Criterion) {
    let small = role(5, 4);
    let big = role(10, 20);
    let ctx = context();
    assert!(small.evaluate(&ctx).is_allowed());
    assert!(big.evaluate(&ctx).is_allowed());

    let mut g = c.benchmark_group("policy");
    g.bench_function("keyturn/20 statements", |b| {
        b.iter(|| black_box(&small).evaluate(black_box(&ctx)))
    });
    g.bench_function("keyturn/200 statements", |b| {
        b.iter(|| black_box(&big).evaluate(black_box(&ctx)))
    });
    g.bench_function("keyturn/20 statements + context", |b| {
        b.iter(|| black_box(&small).evaluate(&context()))
    });
    let denied = context().with("aws:SourceIp", "203.0.113.1");
    assert!(!small.evaluate(&denied).is_allowed());
    g.bench_function("keyturn/20 statements, deny + explain", |b| {
        b.iter(|| {
            let d = black_box(&small).evaluate(black_box(&denied));
            black_box(d.explain(&small))
        })
    });
    #[cfg(feature = "baseline-cedar")]
    cedar::bench(&mut g);
    g.finish();
}

#[cfg(feature = "baseline-cedar")]
mod cedar {
    use std::hint::black_box;
    use std::str::FromStr;

    use cedar_policy::{
        Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request,
        RestrictedExpression,
    };
    use criterion::BenchmarkGroup;
    use criterion::measurement::WallTime;

    /// The same 20 statements as Cedar policies: one per statement, three conditions each.
    fn policies() -> PolicySet {
        let mut src = String::new();
        let mut n = 0;
        for _ in 0..5 {
            for _ in 0..4 {
                let (service, action, resource) = if n < 5 {
                    let allow = n == 4;
                    (
                        "s3",
                        if allow { "GetObject" } else { "GetBucketAcl" },
                        if allow {
                            "bucket".to_owned()
                        } else {
                            format!("res{n}")
                        },
                    )
                } else {
                    (
                        ["dynamodb", "ec2", "sqs"][n % 3],
                        "DescribeThings",
                        format!("res{n}"),
                    )
                };
                src.push_str(&format!(
                    "permit(principal, action == Action::\"{service}:{action}\", resource in Bucket::\"{resource}\") when {{ \
                     context.team == \"web\" && \
                     (context.source_ip.isInRange(ip(\"10.0.0.0/8\")) || context.source_ip.isInRange(ip(\"192.168.0.0/16\"))) && \
                     context.secure_transport == true }};\n"
                ));
                n += 1;
            }
        }
        PolicySet::from_str(&src).unwrap()
    }

    pub(super) fn bench(g: &mut BenchmarkGroup<'_, WallTime>) {
        let policies = policies();
        let entities = Entities::from_json_str(
            r#"[{"uid":{"type":"Object","id":"bucket/key"},"attrs":{},"parents":[{"type":"Bucket","id":"bucket"}]}]"#,
            None,
        )
        .unwrap();
        let context = Context::from_pairs([
            (
                "team".to_owned(),
                RestrictedExpression::new_string("web".to_owned()),
            ),
            (
                "source_ip".to_owned(),
                RestrictedExpression::from_str("ip(\"10.1.2.3\")").unwrap(),
            ),
            (
                "secure_transport".to_owned(),
                RestrictedExpression::new_bool(true),
            ),
        ])
        .unwrap();
        let request = Request::new(
            EntityUid::from_str("Role::\"app\"").unwrap(),
            EntityUid::from_str("Action::\"s3:GetObject\"").unwrap(),
            EntityUid::from_str("Object::\"bucket/key\"").unwrap(),
            context,
            None,
        )
        .unwrap();
        let authorizer = Authorizer::new();
        assert_eq!(
            authorizer
                .is_authorized(&request, &policies, &entities)
                .decision(),
            Decision::Allow
        );
        g.bench_function("cedar/20 policies", |b| {
            b.iter(|| {
                black_box(authorizer.is_authorized(black_box(&request), &policies, &entities))
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

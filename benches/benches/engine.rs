//! The engine's whole request path without HTTP: the query string parsed, the operation looked
//! up in the registry, the SigV4 signature verified (signing key cached, as under load), the
//! caller's policies and the role's trust policy evaluated, a session minted and sealed, the
//! answer written as AWS's XML. AssumeRole (cross-account, an inline policy and a trust policy)
//! and GetCallerIdentity (authentication only), as the load bench drives them over HTTP.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-bench cargo bench -p keyturn-benches --bench engine`.
//! Figures: `docs/performance.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench fixtures")]

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use criterion::{Criterion, criterion_group, criterion_main};
use keyturn::api::{Params, XmlWriter};
use keyturn::ops::{self, Backend};
use keyturn::{Clock, Config, Engine, Runtime, RuntimeOptions, SystemClock};
use keyturn_core::ids::{AccessKeyId, AccessKeyKind};
use keyturn_core::request::HttpParts;
use keyturn_sigv4::{AmzDate, Credentials, HttpRequest, SigningParams, sign};

const SECRET: &str = "bench/secret/0123456789abcdefghijklmnopqrstu";

fn config(key: &str) -> String {
    format!(
        r#"
store: {{memory: true}}
accounts:
  - id: "111111111111"
    roles:
      - name: App
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: "arn:aws:iam::222222222222:root"}}
              Action: sts:AssumeRole
  - id: "222222222222"
    users:
      - name: alice
        access_keys: [{{id: {key}, secret: "{SECRET}"}}]
        inline_policies:
          assume:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: "arn:aws:iam::111111111111:role/App"
"#
    )
}

/// A POST of `body` to STS, signed by alice now (valid for the bench's few minutes).
fn signed(key: &str, body: &str) -> Vec<(String, Vec<u8>)> {
    let mut headers: Vec<(String, Vec<u8>)> = vec![
        ("host".into(), b"sts.us-east-1.amazonaws.com".to_vec()),
        (
            "content-type".into(),
            b"application/x-www-form-urlencoded; charset=utf-8".to_vec(),
        ),
    ];
    let creds = Credentials::new(key.to_owned(), SECRET);
    let now = SystemClock.now().unix_timestamp();
    let params = SigningParams::new(&creds, "us-east-1", "sts", AmzDate::from_unix(now));
    let view: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    let req = HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &view,
        body: body.as_bytes(),
    };
    for (k, v) in sign(&req, &params).unwrap().headers {
        headers.push((k.to_ascii_lowercase(), v.into_bytes()));
    }
    headers
}

/// One request as the server runs it after reading the body: parse, look up, handle, write.
fn request(engine: &Engine, headers: &[(&str, &[u8])], body: &[u8]) -> usize {
    let params = Params::parse(body).unwrap();
    let op = ops::find_in(&params).unwrap();
    let http = HttpParts::post(headers, body, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)));
    let mut w = XmlWriter::begin_response(2048, op.service(), op.action(), op.has_result());
    engine.handle(op, &http, &params, None, &mut w).unwrap();
    w.as_str().len()
}

fn bench_engine(c: &mut Criterion) {
    let key = AccessKeyId::from_parts(
        AccessKeyKind::LongTerm,
        "222222222222".parse().unwrap(),
        [1, 2, 3, 4, 5],
    );
    let key = key.as_str();
    let config = Config::from_str(&config(key), "bench.yaml").unwrap();
    let runtime = Runtime::with_options(&config, RuntimeOptions::default()).unwrap();
    let engine = runtime.engine();

    let mut group = c.benchmark_group("engine");
    for (name, body) in [
        (
            "assume_role",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FApp&RoleSessionName=bench",
        ),
        (
            "get_caller_identity",
            "Action=GetCallerIdentity&Version=2011-06-15",
        ),
    ] {
        let headers = signed(key, body);
        let view: Vec<(&str, &[u8])> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect();
        assert!(request(&engine, &view, body.as_bytes()) > 0);
        group.bench_function(name, |b| {
            b.iter(|| request(&engine, black_box(&view), black_box(body.as_bytes())));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_engine);
criterion_main!(benches);

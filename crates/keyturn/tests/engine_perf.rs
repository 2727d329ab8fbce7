//! The engine's cost per request, without HTTP (ignored by default; run in release):
//!
//! `cargo test --release -p keyturn --test engine_perf -- --ignored --nocapture`
//!
//! `ENGINE_PERF_N` sets the number of timed requests per action (default 20,000), e.g. a few
//! million to profile the engine with `perf record`.

#[path = "engine_support/harness.rs"]
mod harness;

use std::time::Instant;

use harness::*;
use keyturn::ops::Operation;

fn per_request<O: Operation>(h: &Harness, signed: &Signed, input: &O::Input) -> f64
where
    O::Input: Clone,
    O::Output: std::fmt::Debug,
{
    let n: u32 = std::env::var("ENGINE_PERF_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    for _ in 0..1000 {
        let _ = run::<O>(h, signed, input.clone());
    }
    let start = Instant::now();
    for _ in 0..n {
        let (r, _) = run::<O>(h, signed, input.clone());
        assert!(r.is_ok(), "{r:?}");
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

#[test]
#[ignore = "a measurement, run in release"]
fn engine_cost_per_request() {
    let h = harness(&scenario_yaml());
    let gci = signed(
        &h,
        &alice(),
        "sts",
        "Action=GetCallerIdentity&Version=2011-06-15",
        0,
    );
    let us = per_request::<GetCallerIdentity>(&h, &gci, &GetCallerIdentityRequest {});
    println!("GetCallerIdentity: {us:.2} µs per request");
    let ar = signed(
        &h,
        &alice(),
        "sts",
        "Action=AssumeRole&Version=2011-06-15",
        0,
    );
    let req = assume_role(APP, "bench");
    let us = per_request::<AssumeRole>(&h, &ar, &req);
    println!("AssumeRole: {us:.2} µs per request");
    let creds = Creds::from_api(&assumed(call::<AssumeRole>(&h, &alice(), req)).credentials);
    let sess = signed(
        &h,
        &creds,
        "sts",
        "Action=GetCallerIdentity&Version=2011-06-15",
        0,
    );
    let us = per_request::<GetCallerIdentity>(&h, &sess, &GetCallerIdentityRequest {});
    println!("GetCallerIdentity (session token): {us:.2} µs per request");
}

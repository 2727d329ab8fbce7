//! A micro-benchmark of AssumeRole's decode and validation from parsed Query parameters (the
//! server's hot path): `cargo run --release -p keyturn-api --example assume_role_decode`.
//! Prints the median over several runs of the nanoseconds per request. Optional arguments:
//! iterations per run and runs (`… -- 1000 1`, e.g. to count instructions under valgrind).

use std::hint::black_box;
use std::time::Instant;

use keyturn_api::{Input, Params, sts};

/// A typical request: the required members, a duration, two tags, a transitive key and a
/// managed policy.
const BODY: &str = "Action=AssumeRole&Version=2011-06-15\
    &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=session-1\
    &DurationSeconds=3600&Tags.member.1.Key=team&Tags.member.1.Value=payments\
    &Tags.member.2.Key=env&Tags.member.2.Value=prod&TransitiveTagKeys.member.1=team\
    &PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess";

/// A request with only the required members (the most common shape).
const MINIMAL: &str = "Action=AssumeRole&Version=2011-06-15\
    &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=session-1";

fn median_ns(body: &str, iterations: u32, runs: usize) -> Result<f64, keyturn_api::ApiError> {
    let p = Params::parse(body.as_bytes())?;
    // Fails loudly if the request does not decode.
    sts::AssumeRoleRequest::from_query(&p)?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        for _ in 0..iterations {
            let r = sts::AssumeRoleRequest::from_query(black_box(&p));
            black_box(&r);
        }
        samples.push(start.elapsed().as_nanos() as f64 / f64::from(iterations));
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples.get(runs / 2).copied().unwrap_or_default())
}

fn main() -> Result<(), keyturn_api::ApiError> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u32>().ok());
    let iterations = args.next().flatten().unwrap_or(200_000);
    let runs = args.next().flatten().unwrap_or(11);
    for (name, body) in [("typical", BODY), ("minimal", MINIMAL)] {
        let ns = median_ns(body, iterations, usize::try_from(runs).unwrap_or(1))?;
        println!("AssumeRole decode+validate ({name}): {ns:.0} ns (median of {runs} runs)");
    }
    Ok(())
}

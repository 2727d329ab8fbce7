//! The regions an endpoint serves: every region of the `aws` partition by default (botocore's
//! known list, and its pattern for regions it does not list yet), or exactly `server.regions`;
//! `server.region` is the one it answers as. A request's `aws:RequestedRegion` is the region
//! its credential scope names.

#![allow(clippy::panic, reason = "test helpers outside #[test] functions")]

#[path = "engine_support/harness.rs"]
mod harness;

use harness::*;
use keyturn::{Config, ErrorCode};

/// The regions of the `aws` partition in botocore 1.44.18's `partitions.json` (without its
/// `aws-global` pseudo-region, which is no signing region).
const BOTOCORE_AWS_REGIONS: [&str; 36] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "me-west-1",
    "mx-central-1",
    "sa-east-1",
    "sa-west-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

const ROOT_ARN: &str = "arn:aws:iam::123456789012:root";
const WRONG_REGION: &str = "Credential should be scoped to a valid region. ";

/// One account with its root key, under `server`.
fn yaml(server: &str) -> String {
    let id = key_id("123456789012", 1);
    format!(
        "server: {server}\nstore: {{memory: true}}\naccounts:\n  - id: \"123456789012\"\n    root:\n      access_keys:\n        - {{id: {id}, secret: plain-secret}}\n    users:\n      - name: eu\n        access_keys: [{{id: {eu}, secret: eu-secret}}]\n        inline_policies:\n          eu-only:\n            Version: \"2012-10-17\"\n            Statement: [{{Effect: Allow, Action: \"sts:GetFederationToken\", Resource: \"*\", Condition: {{StringEquals: {{\"aws:RequestedRegion\": eu-west-1}}}}}}]\n",
        eu = key_id("123456789012", 2),
    )
}

fn root() -> Creds {
    Creds::long_term(&key_id("123456789012", 1), "plain-secret")
}

fn refused(h: &Harness, region: &str) {
    match whoami(h, &root(), region) {
        Err((ErrorCode::SignatureDoesNotMatch, m)) => assert_eq!(m, WRONG_REGION, "{region}"),
        other => panic!("{region}: {other:?}"),
    }
}

#[test]
fn a_plain_endpoint_serves_every_region_of_the_aws_partition_by_default() {
    let h = harness(&yaml("{}"));
    assert_eq!(h.engine.region(), "us-east-1");
    // botocore's `regionRegex` of the partition decides for a region it does not list yet.
    for region in BOTOCORE_AWS_REGIONS.into_iter().chain(["eu-south-9"]) {
        assert_eq!(
            whoami(&h, &root(), region).as_deref(),
            Ok(ROOT_ARN),
            "{region}"
        );
    }
    for region in [
        "cn-north-1",
        "us-gov-west-1",
        "us-iso-east-1",
        "aws-global",
        "xx-east-1",
        "us-east",
    ] {
        refused(&h, region);
    }
}

#[test]
fn the_server_region_is_served_even_outside_the_partition() {
    let h = harness(&yaml("{region: us-gov-west-1}"));
    assert_eq!(h.engine.region(), "us-gov-west-1");
    for region in ["us-gov-west-1", "us-east-1", "eu-west-1"] {
        assert_eq!(
            whoami(&h, &root(), region).as_deref(),
            Ok(ROOT_ARN),
            "{region}"
        );
    }
    refused(&h, "us-gov-east-1");
}

#[test]
fn server_regions_restrict_the_endpoint_to_the_list() {
    let h = harness(&yaml(
        "{region: eu-west-1, regions: [eu-west-1, eu-central-1]}",
    ));
    assert_eq!(h.engine.region(), "eu-west-1");
    for region in ["eu-west-1", "eu-central-1"] {
        assert_eq!(
            whoami(&h, &root(), region).as_deref(),
            Ok(ROOT_ARN),
            "{region}"
        );
        assert!(h.engine.serves_region(region));
    }
    for region in ["us-east-1", "eu-west-2", "cn-north-1"] {
        refused(&h, region);
        assert!(!h.engine.serves_region(region));
    }
}

#[test]
fn a_key_is_last_used_in_the_region_it_signed_for() {
    let h = harness(&yaml("{}"));
    assert_eq!(whoami(&h, &root(), "ap-south-2").as_deref(), Ok(ROOT_ARN));
    let used = h
        .engine
        .access_key_last_used(&key_id("123456789012", 1))
        .unwrap_or_else(|| panic!("a recorded use"));
    assert_eq!(
        (used.service.as_str(), used.region.as_str()),
        ("sts", "ap-south-2")
    );
}

#[test]
fn the_requested_region_is_the_scope_region() {
    let h = harness(&yaml("{}"));
    let eu = Creds::long_term(&key_id("123456789012", 2), "eu-secret");
    let body = "Action=GetFederationToken&Version=2011-06-15&Name=fed";
    let input = || GetFederationTokenRequest {
        name: "fed".into(),
        ..Default::default()
    };
    let signed = signed_in(&h, &eu, "eu-west-1", "sts", body, 0);
    assert!(run::<GetFederationToken>(&h, &signed, input()).0.is_ok());
    let signed = signed_in(&h, &eu, "us-east-1", "sts", body, 0);
    let denied = run::<GetFederationToken>(&h, &signed, input()).0;
    assert_eq!(
        denied.map(|_| ()).map_err(|e| e.error_code()),
        Err(ErrorCode::AccessDenied)
    );
}

#[test]
fn server_regions_are_checked() {
    let cases = [
        (
            "{regions: []}",
            "server.regions",
            "list at least one region",
        ),
        (
            "{regions: [us-east-1, Eu-West-1]}",
            "server.regions[1]",
            "`Eu-West-1` is not a region name such as us-east-1",
        ),
        (
            "{regions: [us-east-1, eu-west-1, us-east-1]}",
            "server.regions[2]",
            "region `us-east-1` is listed more than once",
        ),
        (
            "{region: eu-west-1, regions: [us-east-1]}",
            "server.regions",
            "the list does not include `eu-west-1`, the server's region (`server.region`)",
        ),
    ];
    for (server, path, message) in cases {
        let e = Config::from_str(&yaml(server), "regions.yaml")
            .err()
            .unwrap_or_else(|| panic!("{server} is accepted"))
            .to_string();
        assert!(e.contains(path) && e.contains(message), "{server}: {e}");
    }
}

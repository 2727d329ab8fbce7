//! `server.compat: moto`: moto's default account, bootstrap credentials acting as its root
//! unverified (and only in this mode), moto's no-auth window, every region of the `aws`
//! partition, and `/moto-api/reset` through the facade's server options.

#[path = "engine_support/harness.rs"]
mod harness;

use harness::*;
use keyturn::api::iam::CreateUserRequest;
use keyturn::ops::iam::CreateUser;
use keyturn::{Config, ErrorCode};

const MOTO: &str = "server: {compat: moto}\nstore: {memory: true}\n";
const ROOT_ARN: &str = "arn:aws:iam::123456789012:root";

/// A plain endpoint with one account and its root key.
fn plain_yaml() -> String {
    let id = key_id("123456789012", 1);
    format!(
        "store: {{memory: true}}\naccounts:\n  - id: \"123456789012\"\n    root:\n      access_keys:\n        - {{id: {id}, secret: plain-secret}}\n"
    )
}

/// moto's bootstrap credentials.
fn testing() -> Creds {
    Creds::long_term("testing", "testing")
}

#[test]
fn bootstrap_keys_act_as_root_of_the_default_account() {
    let h = harness(MOTO);
    assert!(h.runtime.seed().account("123456789012").is_some());
    for creds in [testing(), Creds::long_term("FOOBARKEY", "FOOBARSECRET")] {
        assert_eq!(whoami(&h, &creds, "us-east-1").as_deref(), Ok(ROOT_ARN));
    }
    // Root of its account: it may write IAM, and the write is real.
    let made = call::<CreateUser>(
        &h,
        &testing(),
        CreateUserRequest {
            user_name: "alice".into(),
            ..Default::default()
        },
    );
    let arn = made.map(|r| r.user.map(|u| u.arn).unwrap_or_default());
    assert_eq!(
        arn.as_deref().map_err(|e| e.error_code()),
        Ok("arn:aws:iam::123456789012:user/alice")
    );
}

#[test]
fn bootstrap_keys_are_unknown_keys_outside_the_mode() {
    let h = harness(&plain_yaml());
    assert_eq!(
        code(whoami(&h, &testing(), "us-east-1")),
        ErrorCode::InvalidClientTokenId
    );
    // The default account is moto's only in this mode.
    let empty = harness("store: {memory: true}\n");
    assert!(empty.runtime.seed().account("123456789012").is_none());
    assert_eq!(
        code(whoami(&empty, &testing(), "us-east-1")),
        ErrorCode::InvalidClientTokenId
    );
}

#[test]
fn keys_the_model_holds_are_verified() {
    let h = harness(&format!("server: {{compat: moto}}\n{}", plain_yaml()));
    let id = key_id("123456789012", 1);
    assert_eq!(
        whoami(&h, &Creds::long_term(&id, "plain-secret"), "us-east-1").as_deref(),
        Ok(ROOT_ARN)
    );
    assert_eq!(
        code(whoami(&h, &Creds::long_term(&id, "wrong"), "us-east-1")),
        ErrorCode::SignatureDoesNotMatch
    );
    // An unknown key with a session token is not a bootstrap key: its token is checked.
    let with_token = Creds {
        token: Some("not-a-token".into()),
        ..testing()
    };
    assert_ne!(
        whoami(&h, &with_token, "us-east-1").as_deref(),
        Ok(ROOT_ARN)
    );
}

#[test]
fn every_region_of_the_aws_partition_and_no_other() {
    let h = harness(&format!("server: {{compat: moto}}\n{}", plain_yaml()));
    let root = Creds::long_term(&key_id("123456789012", 1), "plain-secret");
    for region in ["us-east-1", "eu-west-2", "ap-southeast-1", "il-central-1"] {
        assert_eq!(
            whoami(&h, &root, region).as_deref(),
            Ok(ROOT_ARN),
            "{region}"
        );
        assert_eq!(
            whoami(&h, &testing(), region).as_deref(),
            Ok(ROOT_ARN),
            "{region}"
        );
    }
    for region in ["cn-north-1", "us-gov-west-1", "us-isob-east-1"] {
        for creds in [&root, &testing()] {
            match whoami(&h, creds, region) {
                Err((ErrorCode::SignatureDoesNotMatch, m)) => {
                    assert_eq!(m, "Credential should be scoped to a valid region. ")
                }
                other => panic!("{region}: {other:?}"),
            }
        }
    }
}

#[test]
fn server_regions_restrict_moto_mode_as_any_endpoint() {
    let h = harness(&format!(
        "server: {{compat: moto, regions: [us-east-1, eu-west-1]}}\n{}",
        plain_yaml()
    ));
    let root = Creds::long_term(&key_id("123456789012", 1), "plain-secret");
    for creds in [&root, &testing()] {
        assert_eq!(whoami(&h, creds, "eu-west-1").as_deref(), Ok(ROOT_ARN));
        assert_eq!(
            code(whoami(&h, creds, "eu-west-2")),
            ErrorCode::SignatureDoesNotMatch
        );
    }
}

#[test]
fn reset_auth_closes_the_window_for_bootstrap_keys_only() {
    let h = harness(&format!("server: {{compat: moto}}\n{}", plain_yaml()));
    let Some(api) = h.engine.moto_compat() else {
        panic!("a moto-compatible engine");
    };
    assert!(api.reset_auth(2.0).is_infinite());
    assert_eq!(whoami(&h, &testing(), "us-east-1").as_deref(), Ok(ROOT_ARN));
    assert_eq!(whoami(&h, &testing(), "us-east-1").as_deref(), Ok(ROOT_ARN));
    assert_eq!(
        code(whoami(&h, &testing(), "us-east-1")),
        ErrorCode::InvalidClientTokenId
    );
    // Real keys are authenticated as always.
    let root = Creds::long_term(&key_id("123456789012", 1), "plain-secret");
    assert_eq!(whoami(&h, &root, "us-east-1").as_deref(), Ok(ROOT_ARN));
    assert!((api.reset_auth(f64::INFINITY) - 2.0).abs() < f64::EPSILON);
    assert_eq!(whoami(&h, &testing(), "us-east-1").as_deref(), Ok(ROOT_ARN));
}

#[test]
fn reset_puts_the_world_back() {
    let h = harness(MOTO);
    let create = |name: &str| {
        call::<CreateUser>(
            &h,
            &testing(),
            CreateUserRequest {
                user_name: name.into(),
                ..Default::default()
            },
        )
        .map_err(|e| e.error_code())
    };
    assert!(create("alice").is_ok());
    assert_eq!(create("alice").err(), Some(ErrorCode::EntityAlreadyExists));
    h.engine
        .replace_model(h.runtime.seed())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(create("alice").is_ok(), "the user is gone after a reset");
    assert_eq!(whoami(&h, &testing(), "us-east-1").as_deref(), Ok(ROOT_ARN));
    // The same through the server's `/moto-api/` hooks, as the facade builds them.
    #[cfg(feature = "server")]
    {
        let Some(api) = keyturn::server::options(&h.runtime).moto_api else {
            panic!("a moto-compatible runtime serves moto's control endpoints");
        };
        api.reset().unwrap_or_else(|e| panic!("{e}"));
        assert!(create("alice").is_ok(), "the user is gone after a reset");
        assert!(api.reset_auth(0.0).is_infinite());
        assert_eq!(
            code(whoami(&h, &testing(), "us-east-1")),
            ErrorCode::InvalidClientTokenId
        );
    }
}

#[test]
fn a_plain_endpoint_has_no_moto_api() {
    let h = harness(&plain_yaml());
    #[cfg(feature = "server")]
    assert!(keyturn::server::options(&h.runtime).moto_api.is_none());
    assert!(h.engine.moto_compat().is_none());
}

#[test]
fn the_mode_is_named_in_the_configuration() {
    let c = Config::from_str(MOTO, "moto.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.server.compat, Some(keyturn::config::Compat::Moto));
    let e = Config::from_str("server: {compat: localstack}\n", "x.yaml")
        .err()
        .unwrap_or_else(|| panic!("refused"));
    assert_eq!(e.field_path(), Some("server.compat"));
    assert!(
        e.to_string()
            .contains("`localstack` is not a compatibility mode")
    );
}

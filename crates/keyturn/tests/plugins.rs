//! Plugins loaded from configuration entries and used through the core traits: the C example
//! identity provider (compiled with gcc here) behind `keyturn_core::idp::IdentityProvider`, and
//! load failures with their messages.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use keyturn::ErrorCode;
use keyturn::config::PluginConfig;
use keyturn::plugins::{PluginLoadError, load_plugins};
use keyturn_core::idp::{FederationKind, FederationRequest, ProviderInfo};
use serde_json::json;
use time::OffsetDateTime;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The one plugin at `path`, with its own `config`.
fn entry(path: &Path, config: serde_json::Value) -> [PluginConfig; 1] {
    [PluginConfig::new(path.to_owned(), config)]
}

/// The error of loading the one plugin at `path` with `config`, which must fail (`loaded` says
/// what it would mean if it did not); its message names the file.
fn refused(
    path: &Path,
    config: serde_json::Value,
    loaded: &'static str,
) -> Result<(PluginLoadError, String), &'static str> {
    let error = load_plugins(&entry(path, config), None)
        .err()
        .ok_or(loaded)?;
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    Ok((error, message))
}

/// The C example identity provider, compiled once for all tests: the tests run in parallel, and
/// two gcc runs writing the same file while another test loads it would race.
fn c_idp() -> Result<PathBuf, Box<dyn std::error::Error>> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("libkeyturn_facade_c_idp.so");
            let status = Command::new("gcc")
                .args([
                    "-std=c11", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-I",
                ])
                .arg(repo().join("crates/keyturn-plugin/include"))
                .arg("-o")
                .arg(&out)
                .arg(repo().join("plugins/example-c-idp/example_idp.c"))
                .status()
                .map_err(|e| format!("cannot run gcc: {e}"))?;
            if status.success() {
                Ok(out)
            } else {
                Err("gcc failed for example_idp.c".to_owned())
            }
        })
        .clone()
        .map_err(Into::into)
}

const PROVIDER: &str = "arn:aws:iam::123456789012:oidc-provider/example-c-idp.invalid";

fn request(token: &str) -> Result<FederationRequest, Box<dyn std::error::Error>> {
    Ok(FederationRequest {
        kind: FederationKind::WebIdentity,
        token: token.to_owned(),
        role_arn: "arn:aws:iam::123456789012:role/web".to_owned(),
        principal_arn: None,
        providers: vec![ProviderInfo {
            arn: PROVIDER.to_owned(),
            account_id: "123456789012".to_owned(),
            settings: json!({"url": "https://example-c-idp.invalid", "client_ids": ["keyturn"]}),
        }],
        now: OffsetDateTime::from_unix_timestamp(1_800_000_000)?,
    })
}

#[test]
fn the_c_identity_provider_through_the_core_trait() -> TestResult {
    let library = c_idp()?;
    // A relative path is resolved against the base directory.
    let entries = [PluginConfig::new(
        PathBuf::from(library.file_name().ok_or("no file name")?),
        json!({"federation": "web_identity"}),
    )];
    let loaded = load_plugins(&entries, library.parent())?;
    assert_eq!(loaded.identity_providers.len(), 1);
    assert!(loaded.signer.is_none() && loaded.evaluator.is_none());
    assert!(loaded.identity_provider(FederationKind::Saml).is_none());
    let provider = loaded
        .identity_provider(FederationKind::WebIdentity)
        .ok_or("no web-identity provider")?;

    let identity = provider.verify(&request("user:alice")?)?;
    assert_eq!(identity.subject, "alice");
    assert_eq!(identity.provider_arn, PROVIDER);
    assert_eq!(identity.issuer, "https://example-c-idp.invalid");
    assert_eq!(identity.audience, "keyturn");
    assert_eq!(
        identity.condition_keys.get("example-c-idp.invalid:sub"),
        Some(&vec!["alice".to_owned()])
    );
    assert_eq!(
        identity.session_tags,
        vec![("user".to_owned(), "alice".to_owned())]
    );

    match provider.verify(&request("not-a-user-token")?) {
        Err(error) if error.error_code() == ErrorCode::InvalidIdentityToken => {
            assert_eq!(error.code(), "InvalidIdentityToken");
        }
        other => return Err(format!("expected InvalidIdentityToken, got {other:?}").into()),
    }
    Ok(())
}

#[test]
fn the_federation_kind_comes_from_the_config_or_the_name() -> TestResult {
    let library = c_idp()?;
    let loaded = load_plugins(&entry(&library, json!({"federation": "saml"})), None)?;
    assert!(loaded.identity_provider(FederationKind::Saml).is_some());
    assert!(
        loaded
            .identity_provider(FederationKind::WebIdentity)
            .is_none()
    );

    // Without the key: the name (example-c-idp) does not say saml.
    let loaded = load_plugins(&entry(&library, serde_json::Value::Null), None)?;
    assert!(
        loaded
            .identity_provider(FederationKind::WebIdentity)
            .is_some()
    );

    let (_, message) = refused(
        &library,
        json!({"federation": "kerberos"}),
        "accepted an unknown federation kind",
    )?;
    assert!(message.contains("\"kerberos\""), "{message}");
    Ok(())
}

#[test]
fn a_load_failure_names_the_file() -> TestResult {
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-plugin.so");
    let (error, message) = refused(&missing, serde_json::Value::Null, "loaded a missing file")?;
    assert!(matches!(error, PluginLoadError::Load(_)));
    assert!(
        message.starts_with(&format!("plugin {}", missing.display())),
        "{message}"
    );

    // Not a keyturn plugin: a shared library without the probe symbol.
    let source = Path::new(env!("CARGO_TARGET_TMPDIR")).join("not_a_plugin.c");
    std::fs::write(&source, "int not_a_plugin(void) { return 1; }\n")?;
    let library = Path::new(env!("CARGO_TARGET_TMPDIR")).join("libnot_a_plugin.so");
    let status = Command::new("gcc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(&source)
        .status()?;
    assert!(status.success());
    let (_, message) = refused(
        &library,
        serde_json::Value::Null,
        "loaded a library without the probe",
    )?;
    assert!(message.contains("missing symbol"), "{message}");
    Ok(())
}

#[test]
fn plugin_errors_map_to_core_errors() {
    use keyturn::plugins::from_plugin_error;
    use keyturn_plugin::PluginError;
    let rejected = |code: &str| PluginError::Rejected {
        code: code.to_owned(),
        message: "text".to_owned(),
    };
    for (code, expected) in [
        ("InvalidIdentityToken", "InvalidIdentityToken"),
        ("IDPRejectedClaim", "IDPRejectedClaim"),
        ("ExpiredTokenException", "ExpiredTokenException"),
        ("IDPCommunicationError", "IDPCommunicationError"),
        ("AccessDenied", "InternalFailure"),
    ] {
        let error = from_plugin_error("p", rejected(code));
        assert_eq!(error.code(), expected, "{code}");
    }
    let error = from_plugin_error(
        "my-idp",
        PluginError::Panicked {
            message: "secret detail".to_owned(),
        },
    );
    assert_eq!(error.code(), "InternalFailure");
    assert!(error.to_string().contains("my-idp"));
    assert!(!error.to_string().contains("secret detail"));
}

//! Loads the built cdylib through the host side of `keyturn-plugin` and uses it.

use std::path::PathBuf;

use keyturn_plugin::{KtPluginKind, LoadError, PluginError, PluginLibrary, SessionClaims};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The cdylib cargo built for this package: next to the test binary's `deps/` directory, or in it.
fn cdylib() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let file = format!(
        "{}keyturn_example_signer{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let exe = std::env::current_exe()?;
    let deps = exe.parent().ok_or("no parent")?;
    for dir in [deps, deps.parent().ok_or("no parent")?] {
        if dir.join(&file).is_file() {
            return Ok(dir.join(&file));
        }
    }
    Err(format!("{file} not found near {}", exe.display()).into())
}

fn claims(expires_at: i64) -> SessionClaims {
    let mut extra = serde_json::Map::new();
    extra.insert(
        "session_tags".to_owned(),
        json!([{"key": "team", "value": "blue"}]),
    );
    SessionClaims {
        access_key_id: "ASIAEXAMPLEEXAMPLE01".to_owned(),
        account_id: "123456789012".to_owned(),
        principal_arn: "arn:aws:sts::123456789012:assumed-role/app/s1".to_owned(),
        issued_at: 1_800_000_000,
        expires_at,
        extra,
    }
}

const KEY: &str = "0123456789abcdef0123456789abcdef";

#[test]
fn pads_a_token_to_the_minimum_the_host_asks_for() -> TestResult {
    let plugin = PluginLibrary::load(cdylib()?, KtPluginKind::CredentialSigner)?;
    let signer = plugin.credential_signer(&json!({"key": KEY}))?;
    let natural = signer.mint(&claims(1_800_003_600))?.session_token.len();
    for wanted in [natural + 1, natural + 5, 4096] {
        let mut c = claims(1_800_003_600);
        c.extra
            .insert("minimum_session_token_size".to_owned(), json!(wanted));
        let minted = signer.mint(&c)?;
        assert!(minted.session_token.len() >= wanted, "{wanted}");
        let opened = signer.open(&minted.session_token, 1_800_000_100)?;
        assert_eq!(opened.claims.access_key_id, c.access_key_id);
        assert_eq!(opened.secret_access_key, minted.secret_access_key);
    }
    Ok(())
}

#[test]
fn mints_and_opens_through_the_c_abi() -> TestResult {
    let plugin = PluginLibrary::load(cdylib()?, KtPluginKind::CredentialSigner)?;
    assert_eq!(plugin.name(), "example-signer");
    let signer = plugin.credential_signer(&json!({"key": KEY}))?;

    let minted = signer.mint(&claims(1_800_003_600))?;
    assert!(minted.session_token.starts_with("ktx1."));
    assert_eq!(minted.secret_access_key.expose().len(), 40);
    assert_eq!(format!("{:?}", minted.secret_access_key), "***");

    let opened = signer.open(&minted.session_token, 1_800_000_100)?;
    assert_eq!(opened.claims, claims(1_800_003_600));
    assert_eq!(opened.secret_access_key, minted.secret_access_key);

    // Another key cannot open it.
    let other = plugin.credential_signer(&json!({"key": "another key of thirty-two bytes!"}))?;
    let invalid = PluginError::Rejected {
        code: "InvalidClientTokenId".to_owned(),
        message: "The security token included in the request is invalid.".to_owned(),
    };
    assert_eq!(
        other.open(&minted.session_token, 1_800_000_100),
        Err(invalid.clone())
    );

    // A tampered payload is refused, and so is garbage.
    let mut tampered = minted.session_token.clone().into_bytes();
    tampered[7] = if tampered[7] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered)?;
    assert_eq!(signer.open(&tampered, 1_800_000_100), Err(invalid.clone()));
    assert_eq!(signer.open("not a token", 1_800_000_100), Err(invalid));

    // Expired.
    let expired = signer.open(&minted.session_token, 1_800_003_600);
    assert!(
        matches!(expired, Err(PluginError::Rejected { ref code, .. }) if code == "ExpiredToken")
    );
    Ok(())
}

#[test]
fn bad_config_and_wrong_kind_are_load_errors() -> TestResult {
    let path = cdylib()?;
    let plugin = PluginLibrary::load(&path, KtPluginKind::CredentialSigner)?;
    let error = plugin
        .credential_signer(&json!({"key": "short"}))
        .err()
        .ok_or("created")?;
    assert!(
        matches!(
            error,
            LoadError::Create {
                source: PluginError::InvalidInput { .. },
                ..
            }
        ),
        "{error}"
    );

    let error = PluginLibrary::load(&path, KtPluginKind::IdentityProvider)
        .err()
        .ok_or("loaded")?;
    assert!(matches!(error, LoadError::WrongKind { .. }), "{error}");
    Ok(())
}

//! C plugins compiled with gcc: the example identity provider, and a deliberately broken fixture for every load
//! check and every call failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use keyturn_plugin::{
    KindName, KtPluginKind, LoadError, LoadedPlugin, PluginError, PluginLibrary, SessionTag,
    VerifyRequest, VerifyResult,
};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Compiles `source` into a shared library named after `name`, with extra flags, and returns its path.
fn compile(
    source: &Path,
    name: &str,
    flags: &[&str],
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("lib{name}.so"));
    let status = Command::new("gcc")
        .args([
            "-std=c11", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-I",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("include"))
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(source)
        .status()?;
    if !status.success() {
        return Err(format!("gcc failed for {name}").into());
    }
    Ok(out)
}

fn fixture(name: &str, flags: &[&str]) -> Result<PathBuf, Box<dyn std::error::Error>> {
    compile(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/misbehaving.c"),
        name,
        flags,
    )
}

fn load_error(path: &Path) -> Result<LoadError, Box<dyn std::error::Error>> {
    match PluginLibrary::load(path, KtPluginKind::IdentityProvider) {
        Ok(_) => Err("the plugin loaded".into()),
        Err(e) => Ok(e),
    }
}

fn request(token: &str) -> VerifyRequest {
    VerifyRequest {
        provider_arn: "arn:aws:iam::123456789012:oidc-provider/example-c-idp.invalid".to_owned(),
        token: token.to_owned(),
        role_arn: "arn:aws:iam::123456789012:role/web".to_owned(),
        now: 1_800_000_000,
        ..VerifyRequest::default()
    }
}

#[test]
fn c_identity_provider_verifies_and_rejects() -> TestResult {
    let path = compile(
        &repo().join("plugins/example-c-idp/example_idp.c"),
        "example_c_idp",
        &[],
    )?;
    let plugin = PluginLibrary::load(&path, KtPluginKind::IdentityProvider)?;
    assert_eq!(plugin.name(), "example-c-idp");
    assert_eq!(plugin.version(), "0.1.0");
    assert_eq!(plugin.abi_version(), (1, 0));
    let idp = plugin.identity_provider(&json!({}))?;

    let result = idp.verify(&request("user:alice"))?;
    assert_eq!(result.subject, "alice");
    assert_eq!(
        result.issuer.as_deref(),
        Some("https://example-c-idp.invalid")
    );
    assert_eq!(
        result.condition_keys.get("example-c-idp.invalid:sub"),
        Some(&vec!["alice".to_owned()])
    );
    assert_eq!(
        result.session_tags,
        vec![SessionTag {
            key: "user".to_owned(),
            value: "alice".to_owned()
        }]
    );

    let rejected = idp.verify(&request("admin"));
    assert_eq!(
        rejected,
        Err(PluginError::Rejected {
            code: "InvalidIdentityToken".to_owned(),
            message: "Token is not of the form user:NAME".to_owned(),
        })
    );
    let bad_name = idp.verify(&request("user:a\\\"b"));
    assert!(
        matches!(bad_name, Err(PluginError::InvalidInput { .. })),
        "{bad_name:?}"
    );
    let bad_char = idp.verify(&request("user:a b"));
    assert!(
        matches!(bad_char, Err(PluginError::Rejected { ref code, .. }) if code == "InvalidIdentityToken")
    );

    // Many calls from several threads on one instance.
    std::thread::scope(|scope| {
        for n in 0..4 {
            let idp = &idp;
            scope.spawn(move || {
                for i in 0..200 {
                    let name = format!("u{n}-{i}");
                    let result = idp.verify(&request(&format!("user:{name}")));
                    assert_eq!(result.map(|r| r.subject), Ok(name));
                }
            });
        }
    });
    Ok(())
}

#[test]
fn missing_library_is_an_open_error() -> TestResult {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("does-not-exist.so");
    let error = load_error(&path)?;
    assert!(matches!(error, LoadError::Open { .. }), "{error}");
    assert!(error.to_string().contains("does-not-exist.so"), "{error}");
    Ok(())
}

/// A load check and the misbehaving fixture it must refuse: the fixture's library name, its
/// compiler flags, and what the load error must be (variant, fields and message).
struct Refusal {
    name: &'static str,
    flags: &'static [&'static str],
    is_expected: fn(&LoadError) -> bool,
}

#[test]
fn every_load_check_refuses_its_misbehaving_fixture() -> TestResult {
    let cases = [
        Refusal {
            name: "fx_no_probe",
            flags: &["-DNO_PROBE"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::MissingSymbol {
                        symbol: "keyturn_plugin_probe",
                        ..
                    }
                ) && e.to_string().contains("libfx_no_probe.so")
            },
        },
        Refusal {
            name: "fx_no_init",
            flags: &["-DNO_INIT"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::MissingSymbol {
                        symbol: "keyturn_plugin_init",
                        ..
                    }
                )
            },
        },
        Refusal {
            name: "fx_null_free",
            flags: &["-DNULL_FREE_BUF"],
            is_expected: |e| matches!(e, LoadError::InvalidDescriptor { reason, .. } if reason == "free_buf is NULL"),
        },
        Refusal {
            name: "fx_magic",
            flags: &["-DMAGIC=0x12345678u"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::BadMagic {
                        expected: 0x4B54_504C,
                        found: 0x1234_5678,
                        ..
                    }
                ) && e
                    .to_string()
                    .ends_with("bad magic: expected 0x4b54504c, found 0x12345678")
            },
        },
        // Wrong major *and* a short struct and wrong kind: the major is reported, as it is
        // checked first after the magic.
        Refusal {
            name: "fx_major",
            flags: &["-DABI_MAJOR_V=2", "-DSTRUCT_SIZE=8", "-DKIND=3"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::MajorMismatch {
                        expected: 1,
                        found: 2,
                        ..
                    }
                ) && e
                    .to_string()
                    .ends_with("ABI major version mismatch: expected 1, found 2")
            },
        },
        Refusal {
            name: "fx_minor",
            flags: &["-DABI_MINOR_V=1"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::NewerMinor {
                        major: 1,
                        expected: 0,
                        found: 1,
                        ..
                    }
                ) && e
                    .to_string()
                    .contains("ABI version 1.1 is newer than this host's 1.0")
            },
        },
        Refusal {
            name: "fx_short",
            flags: &["-DSTRUCT_SIZE=16", "-DKIND=3"],
            is_expected: |e| {
                let descriptor = size_of::<keyturn_plugin::abi::KtPluginDescriptor>();
                matches!(e, LoadError::StructTooSmall { structure: "KtPluginDescriptor", found: 16, expected, .. } if *expected == descriptor)
            },
        },
        Refusal {
            name: "fx_short_vtable",
            flags: &["-DVTABLE_SIZE=4"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::StructTooSmall {
                        structure: "KtIdentityProviderVtable",
                        found: 4,
                        ..
                    }
                )
            },
        },
        Refusal {
            name: "fx_kind",
            flags: &["-DKIND=3"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::WrongKind {
                        expected: KindName::Known(KtPluginKind::IdentityProvider),
                        found: KindName::Known(KtPluginKind::PolicyEvaluator),
                        ..
                    }
                ) && e.to_string().ends_with(
                    "wrong kind: expected identity provider (1), found policy evaluator (3)",
                )
            },
        },
        Refusal {
            name: "fx_kind_unknown",
            flags: &["-DKIND=77"],
            is_expected: |e| {
                matches!(
                    e,
                    LoadError::WrongKind {
                        found: KindName::Unknown(77),
                        ..
                    }
                )
            },
        },
    ];
    for case in cases {
        let error = load_error(&fixture(case.name, case.flags)?)?;
        assert!((case.is_expected)(&error), "{}: {error}", case.name);
    }
    Ok(())
}

fn verifying_fixture(
    name: &str,
    mode: u32,
) -> Result<(LoadedPlugin, PathBuf), Box<dyn std::error::Error>> {
    let path = fixture(name, &[&format!("-DVERIFY_MODE={mode}")])?;
    Ok((
        PluginLibrary::load(&path, KtPluginKind::IdentityProvider)?,
        path,
    ))
}

/// What one `verify` call answers on a fresh instance of the fixture built with `mode`.
fn verify_once(
    name: &str,
    mode: u32,
) -> Result<Result<VerifyResult, PluginError>, Box<dyn std::error::Error>> {
    let (plugin, _) = verifying_fixture(name, mode)?;
    Ok(plugin.identity_provider(&json!({}))?.verify(&request("x")))
}

#[test]
fn call_failures_are_typed_and_buffers_are_freed() -> TestResult {
    let (plugin, path) = verifying_fixture("fx_calls_ok", 0)?;
    let idp = plugin.identity_provider(&json!({}))?;
    assert_eq!(idp.verify(&request("x"))?.subject, "fixture");
    drop(idp);
    // The host handed the buffer back and destroyed the instance.
    assert_eq!(counters(&path)?, (0, 1));

    let result = verify_once("fx_calls_malformed", 1)?;
    assert!(
        matches!(result, Err(PluginError::MalformedOutput { .. })),
        "{result:?}"
    );

    let result = verify_once("fx_calls_unknown", 2)?;
    assert_eq!(result, Err(PluginError::UnknownStatus { status: 99 }));

    let result = verify_once("fx_calls_rejected", 3)?;
    assert_eq!(
        result,
        Err(PluginError::Rejected {
            code: "IDPRejectedClaim".to_owned(),
            message: "Invalid claim".to_owned()
        })
    );

    let result = verify_once("fx_calls_null_buffer", 4)?;
    assert!(
        matches!(result, Err(PluginError::MalformedOutput { .. })),
        "{result:?}"
    );

    let (plugin, path) = verifying_fixture("fx_calls_bad_rejection", 5)?;
    let result = plugin.identity_provider(&json!({}))?.verify(&request("x"));
    assert!(
        matches!(result, Err(PluginError::MalformedOutput { ref reason }) if reason.contains("rejection"))
    );
    assert_eq!(counters(&path)?, (0, 1));
    Ok(())
}

#[test]
fn create_failure_is_a_load_error_with_the_plugins_rejection() -> TestResult {
    let (plugin, _) = verifying_fixture("fx_create_fails", 0)?;
    let error = match plugin.identity_provider(&json!("fail")) {
        Ok(_) => return Err("create succeeded".into()),
        Err(e) => e,
    };
    assert!(
        matches!(
            error,
            LoadError::Create { source: PluginError::Rejected { ref code, .. }, .. } if code == "InvalidParameterValue"
        ),
        "{error}"
    );
    // Asking a loaded identity provider for another kind is refused without calling create.
    let error = match plugin.policy_evaluator(&json!({})) {
        Ok(_) => return Err("created".into()),
        Err(e) => e,
    };
    assert!(matches!(error, LoadError::WrongKind { .. }), "{error}");
    Ok(())
}

/// Reads the fixture's counters (live handles, freed buffers) through its extra exported functions.
fn counters(path: &Path) -> Result<(i32, i32), Box<dyn std::error::Error>> {
    // The library is already loaded (and never unloaded), so this opens the same instance.
    #[expect(unsafe_code, reason = "the fixture's counters are C functions")]
    // SAFETY: the fixture is our own C file; both symbols are `int f(void)`.
    unsafe {
        let library = libloading::Library::new(path)?;
        let live: libloading::Symbol<unsafe extern "C" fn() -> i32> =
            library.get(b"fixture_live_handles")?;
        let freed: libloading::Symbol<unsafe extern "C" fn() -> i32> =
            library.get(b"fixture_freed_buffers")?;
        let result = (live(), freed());
        std::mem::forget(library);
        Ok(result)
    }
}

#[test]
fn c_and_rust_layouts_agree() -> TestResult {
    use keyturn_plugin::abi::{
        KtBuf, KtCredentialSignerVtable, KtIdentityProviderVtable, KtPluginDescriptor,
        KtPolicyEvaluatorVtable, KtProbe, KtStr,
    };
    let source = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layout.c");
    std::fs::write(
        &source,
        r#"#include <stddef.h>
#include <stdio.h>
#include "keyturn_plugin.h"
int main(void) {
    printf("%zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu\n", sizeof(KtProbe), sizeof(KtStr), sizeof(KtBuf),
           sizeof(KtPluginDescriptor), offsetof(KtPluginDescriptor, kind), offsetof(KtPluginDescriptor, name),
           offsetof(KtPluginDescriptor, create), offsetof(KtPluginDescriptor, vtable),
           sizeof(KtIdentityProviderVtable), sizeof(KtCredentialSignerVtable), sizeof(KtPolicyEvaluatorVtable));
    return 0;
}
"#,
    )?;
    let exe = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layout");
    let status = Command::new("gcc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("include"))
        .arg("-o")
        .arg(&exe)
        .arg(&source)
        .status()?;
    assert!(status.success());
    let output = Command::new(&exe).output()?;
    let c: Vec<usize> = String::from_utf8(output.stdout)?
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let rust = vec![
        size_of::<KtProbe>(),
        size_of::<KtStr>(),
        size_of::<KtBuf>(),
        size_of::<KtPluginDescriptor>(),
        std::mem::offset_of!(KtPluginDescriptor, kind),
        std::mem::offset_of!(KtPluginDescriptor, name),
        std::mem::offset_of!(KtPluginDescriptor, create),
        std::mem::offset_of!(KtPluginDescriptor, vtable),
        size_of::<KtIdentityProviderVtable>(),
        size_of::<KtCredentialSignerVtable>(),
        size_of::<KtPolicyEvaluatorVtable>(),
    ];
    assert_eq!(c, rust);
    Ok(())
}

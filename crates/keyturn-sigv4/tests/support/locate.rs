//! Where the AWS SigV4 test suite's `v4/` cases are: `../shared/vectors/sigv4/v4` beside the
//! project when it is there (CI), or else the copy of the same suite that the `aws-sigv4` crate
//! ships in its source (`aws-signing-test-suite/v4`; the benches package's `baseline-aws` feature
//! depends on that crate, so Cargo.lock pins it), found with `cargo metadata`. When neither is
//! there the suite's tests print a notice and pass empty.
//!
//! Also included by `crates/keyturn/tests/embedded.rs`: std and serde_json only.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The directory of the suite's cases, and whether it is the `aws-sigv4` crate's copy.
#[derive(Debug)]
pub struct SuiteDir {
    pub path: PathBuf,
    #[allow(
        dead_code,
        reason = "the suite's copy differs in one request: not every test binary looks"
    )]
    pub from_crate: bool,
}

/// The suite, located once per test binary; None after a `skipped: ...` notice.
pub fn suite_dir() -> Option<&'static SuiteDir> {
    static DIR: OnceLock<Option<SuiteDir>> = OnceLock::new();
    DIR.get_or_init(locate).as_ref()
}

fn locate() -> Option<SuiteDir> {
    // Both crates that use this are at crates/<name>.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = workspace.join("../shared/vectors/sigv4/v4");
    if shared.is_dir() {
        return Some(SuiteDir {
            path: shared,
            from_crate: false,
        });
    }
    if let Some(path) = in_the_aws_sigv4_crate(&workspace) {
        eprintln!(
            "../shared/vectors/sigv4/v4 not found: using the aws-sigv4 crate's copy, {}",
            path.display()
        );
        return Some(SuiteDir {
            path,
            from_crate: true,
        });
    }
    eprintln!("skipped: ../shared/vectors/sigv4/v4 not found (nor the aws-sigv4 crate's copy)");
    None
}

/// `aws-signing-test-suite/v4` beside the `aws-sigv4` package's manifest, as `cargo metadata`
/// reports it (Cargo fetches the source into its registry when it is not there yet).
fn in_the_aws_sigv4_crate(workspace: &Path) -> Option<PathBuf> {
    // Cargo sets CARGO for the tests it runs.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .args([
            "--features",
            "keyturn-benches/baseline-aws",
            "--manifest-path",
        ])
        .arg(workspace.join("Cargo.toml"))
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let manifest = metadata["packages"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == "aws-sigv4")?["manifest_path"]
        .as_str()?;
    let dir = Path::new(manifest)
        .parent()?
        .join("aws-signing-test-suite/v4");
    dir.is_dir().then_some(dir)
}

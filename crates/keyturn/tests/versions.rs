//! One version everywhere: the workspace's Cargo.toml, the Python package, the npm package and
//! the C header must name the same release.

#![allow(clippy::panic, reason = "test helpers outside #[test] fns")]

use std::path::Path;

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The quoted value on the first line that starts with `prefix`.
fn quoted_after(text: &str, prefix: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?}"));
    let (_, quoted) = line[prefix.len()..]
        .split_once('"')
        .unwrap_or_else(|| panic!("no quote in {line:?}"));
    let (value, _) = quoted
        .split_once('"')
        .unwrap_or_else(|| panic!("no closing quote in {line:?}"));
    value.to_owned()
}

#[test]
fn every_package_has_the_workspace_version() {
    let workspace = quoted_after(&repo_file("Cargo.toml"), "version =");
    assert_eq!(workspace, env!("CARGO_PKG_VERSION"));
    let python = quoted_after(&repo_file("bindings/python/pyproject.toml"), "version =");
    let node = quoted_after(&repo_file("bindings/node/package.json"), "\"version\":");
    let c = quoted_after(
        &repo_file("bindings/c/include/keyturn.h"),
        "#define KEYTURN_VERSION",
    );
    assert_eq!(
        [python.as_str(), node.as_str(), c.as_str()],
        [workspace.as_str(); 3],
        "pyproject.toml, package.json and keyturn.h must carry the workspace version"
    );
}

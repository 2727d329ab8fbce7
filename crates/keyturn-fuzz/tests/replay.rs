//! Replays every committed fuzz input through its target: the corpora (`fuzz/corpus/<target>/`)
//! and the inputs of past findings (`fuzz/regressions/<target>/`). Runs on stable with
//! `cargo test`, so `make test` keeps them green without libFuzzer.

#![allow(
    clippy::panic,
    reason = "a test reports the failing input by panicking"
)]

use std::path::{Path, PathBuf};

use keyturn_fuzz::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, sorted (none when it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn replay(kind: &str) -> usize {
    let mut count = 0;
    for (name, target) in TARGETS {
        for file in files(&fuzz_dir().join(kind).join(name)) {
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let outcome = std::panic::catch_unwind(|| target(&data));
            if outcome.is_err() {
                panic!("{name}: {} fails (see the panic above)", file.display());
            }
            count += 1;
        }
    }
    count
}

#[test]
fn every_corpus_input_passes() {
    let count = replay("corpus");
    // Every target has a seeded corpus in the repository.
    for (name, _) in TARGETS {
        assert!(
            !files(&fuzz_dir().join("corpus").join(name)).is_empty(),
            "fuzz/corpus/{name} is empty"
        );
    }
    assert!(count >= TARGETS.len());
}

#[test]
fn every_regression_input_passes() {
    replay("regressions");
}

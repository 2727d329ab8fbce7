//! `cargo run -p keyturn-codegen` writes `crates/keyturn-api/src/generated/`;
//! `-- --check` only compares and exits 1 on drift.

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = keyturn_codegen::workspace_root();
    let files = match keyturn_codegen::generate(&root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("keyturn-codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let drifted = keyturn_codegen::drifted(&root, &files);
        if drifted.is_empty() {
            println!("keyturn-codegen: {} files up to date", files.len());
            return ExitCode::SUCCESS;
        }
        for p in drifted {
            eprintln!("drifted: {}", p.display());
        }
        return ExitCode::FAILURE;
    }
    match keyturn_codegen::write(&root, &files) {
        Ok(()) => {
            println!("keyturn-codegen: wrote {} files", files.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("keyturn-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

//! `keyturn export`: the stored model to a private file (the work is in `keyturn::export`).

use std::path::Path;
use std::process::ExitCode;

/// Reads the store of the configuration at `config` (or the seed scenario's) and writes its
/// model to `output` with mode 0600. Prints only where it wrote and how many accounts.
pub fn run(config: Option<&Path>, output: &Path) -> ExitCode {
    let config = match super::load_config(config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let written = keyturn::export::export_store(&config)
        .and_then(|text| keyturn::export::write_private(output, &text));
    match written {
        Ok(()) => {
            eprintln!(
                "wrote the stored IAM model to {} (mode 0600: it holds secret keys and MFA seeds)",
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

//! `keyturn completions SHELL`: the shell completion script for `keyturn`, from its clap
//! definition (`clap_complete`).
//!
//! ```text
//! keyturn completions bash > /etc/bash_completion.d/keyturn
//! keyturn completions zsh > "${fpath[1]}/_keyturn"
//! keyturn completions fish > ~/.config/fish/completions/keyturn.fish
//! ```

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

/// Writes the completion script for `shell` to standard output.
pub fn run(shell: Shell) -> ExitCode {
    let mut command = crate::Cli::command();
    clap_complete::generate(shell, &mut command, "keyturn", &mut std::io::stdout());
    ExitCode::SUCCESS
}

//! `keyturn policy check` and `keyturn policy eval`.
//!
//! Exit codes: `check` 0 when the document is valid, 1 when it has errors, 2 when the file cannot
//! be read; `eval` 0 for Allow, 1 for a deny (explicit or implicit), 2 for bad input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use keyturn::policy::{PolicyError, PolicyType, check_policy, eval_request_json};

/// The `policy` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy document; print the findings; exit non-zero on errors.
    Check {
        /// The policy document (JSON).
        file: PathBuf,
        /// The policy type, which decides what the document may contain.
        #[arg(long = "type", default_value = "identity",
              value_parser = ["identity", "resource", "trust", "boundary", "session", "scp", "rcp"])]
        ty: String,
    },
    /// Evaluate a request (JSON: principal, action, resource, context, policies); print the decision.
    Eval {
        /// The request file.
        #[arg(long)]
        request: PathBuf,
    },
}

/// What a command prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Exit status.
    pub code: u8,
    /// Text for stdout.
    pub stdout: String,
    /// Text for stderr.
    pub stderr: String,
}

fn read(path: &Path) -> Result<String, Outcome> {
    std::fs::read_to_string(path).map_err(|e| Outcome {
        code: 2,
        stdout: String::new(),
        stderr: format!("error: cannot read {}: {e}\n", path.display()),
    })
}

/// `check` on a document's text.
pub fn check_text(text: &str, ty: &str) -> Outcome {
    let Some(policy_type) = PolicyType::parse(ty) else {
        return Outcome {
            code: 2,
            stdout: String::new(),
            stderr: format!("error: unknown policy type `{ty}`\n"),
        };
    };
    match check_policy(text, policy_type) {
        Ok(doc) => Outcome {
            code: 0,
            stdout: format!(
                "OK: valid {} policy, {} statement(s)\n",
                policy_type.as_str(),
                doc.statements.len()
            ),
            stderr: String::new(),
        },
        Err(e) => Outcome {
            code: 1,
            stdout: format!("{}: {}\n", e.code(), e.detail()),
            stderr: String::new(),
        },
    }
}

/// `eval` on a request's text.
pub fn eval_text(text: &str) -> Outcome {
    match eval_request_json(text) {
        Ok(v) => {
            let code = if v["decision"] == "Allow" { 0 } else { 1 };
            let stdout = serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
            Outcome {
                code,
                stdout,
                stderr: String::new(),
            }
        }
        Err(e @ PolicyError::MalformedPolicyDocument { .. }) => Outcome {
            code: 2,
            stdout: String::new(),
            stderr: format!("error: {}: {}\n", e.code(), e.detail()),
        },
        Err(e) => Outcome {
            code: 2,
            stdout: String::new(),
            stderr: format!("error: {e}\n"),
        },
    }
}

/// Runs a `policy` subcommand, printing its output.
pub fn run(cmd: PolicyCommand) -> ExitCode {
    let out = match cmd {
        PolicyCommand::Check { file, ty } => {
            read(&file).map_or_else(|e| e, |text| check_text(&text, &ty))
        }
        PolicyCommand::Eval { request } => {
            read(&request).map_or_else(|e| e, |text| eval_text(&text))
        }
    };
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    ExitCode::from(out.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_reports_and_exits() {
        let ok = check_text(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            "identity",
        );
        assert_eq!(ok.code, 0, "{ok:?}");
        let bad = check_text(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            "trust",
        );
        assert_eq!(bad.code, 1);
        assert!(
            bad.stdout.contains("Missing required field Principal"),
            "{bad:?}"
        );
        assert_eq!(check_text("{}", "nope").code, 2);
    }

    #[test]
    fn eval_exit_codes() {
        let allow = r#"{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k",
            "identity_policies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}"#;
        let out = eval_text(allow);
        assert_eq!(out.code, 0, "{out:?}");
        assert!(out.stdout.contains("\"Allow\""));
        let deny = r#"{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}"#;
        assert_eq!(eval_text(deny).code, 1);
        assert_eq!(eval_text("not json").code, 2);
        let malformed = r#"{"principal":"arn:aws:iam::111111111111:user/a","action":"s3:GetObject","resource":"*",
            "identity_policies":[{"Statement":{"Effect":"Allow","Action":"s3:*"}}]}"#;
        assert_eq!(eval_text(malformed).code, 2);
    }
}

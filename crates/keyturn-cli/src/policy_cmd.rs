//! `keyturn policy check`, `keyturn policy eval` and `keyturn policy simulate`.
//!
//! Exit codes: `check` 0 when the document is valid, 1 when it has errors, 2 when the file cannot
//! be read; `eval` and `simulate` 0 for Allow (every action), 1 for a deny (explicit or
//! implicit), 2 for bad input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use keyturn::policy::{PolicyError, PolicyType, check_policy, eval_request_json};

pub use crate::output::Outcome;
use crate::output::{Format, FormatArg, json};
use crate::simulate_cmd::{self, SimulateArgs};

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
        #[command(flatten)]
        format: FormatArg,
    },
    /// Evaluate a request (JSON: principal, action, resource, context, policies); print the decision.
    Eval {
        /// The request file.
        #[arg(long)]
        request: PathBuf,
    },
    /// Simulate a principal of the model as IAM's SimulatePrincipalPolicy does: its identity
    /// policies, groups, boundary and the organization's SCPs (and a resource's policy when the
    /// model has it); print each decision and the statements that decided it.
    Simulate(SimulateArgs),
}

fn read(path: &Path) -> Result<String, Outcome> {
    std::fs::read_to_string(path).map_err(|e| Outcome {
        code: 2,
        stdout: String::new(),
        stderr: format!("error: cannot read {}: {e}\n", path.display()),
    })
}

/// `check` on a document's text, printed as `format`.
pub fn check_text_as(text: &str, ty: &str, format: Format) -> Outcome {
    let out = check_text(text, ty);
    if format == Format::Table || out.code == 2 {
        return out;
    }
    let doc = match check_policy(text, PolicyType::parse(ty).unwrap_or(PolicyType::Identity)) {
        Ok(doc) => serde_json::json!({
            "valid": true, "policy_type": ty, "statements": doc.statements.len()
        }),
        Err(e) => serde_json::json!({
            "valid": false, "policy_type": ty, "code": e.code(), "detail": e.detail()
        }),
    };
    Outcome {
        stdout: json(&doc),
        ..out
    }
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
        PolicyCommand::Check { file, ty, format } => {
            read(&file).map_or_else(|e| e, |text| check_text_as(&text, &ty, format.format))
        }
        PolicyCommand::Eval { request } => {
            read(&request).map_or_else(|e| e, |text| eval_text(&text))
        }
        PolicyCommand::Simulate(args) => simulate_cmd::run(&args),
    };
    out.finish()
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
        let as_json = check_text_as(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            "trust",
            Format::Json,
        );
        let v: serde_json::Value = serde_json::from_str(&as_json.stdout).unwrap_or_default();
        assert_eq!(as_json.code, 1);
        assert_eq!(v["valid"], false);
        assert_eq!(v["code"], "MalformedPolicyDocument");
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

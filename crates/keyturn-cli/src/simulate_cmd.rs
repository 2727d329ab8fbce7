//! `keyturn policy simulate`: IAM's SimulatePrincipalPolicy for a principal of the model, run
//! by the engine on a copy of the model in memory (the store is only read).

use std::path::PathBuf;

use keyturn::api::Input as _;
use keyturn::api::iam::{ContextEntry, EvaluationResult, SimulatePrincipalPolicyRequest};
use keyturn::iam::{AccessKey, AccessKeyStatus, IamData, SecretString, access_key_id_for_account};
use keyturn::ops::iam::SimulatePrincipalPolicy;
use serde::Serialize;

use crate::output::{Format, FormatArg, Outcome, json, table};

/// `keyturn policy simulate`'s options.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The user, group or role whose policies to simulate (its ARN).
    #[arg(long)]
    pub principal: String,
    /// An action to simulate (`s3:GetObject`); repeat for more.
    #[arg(long = "action", required = true)]
    pub actions: Vec<String>,
    /// A resource ARN (default `*`); repeat for more.
    #[arg(long = "resource")]
    pub resources: Vec<String>,
    /// A context key as `KEY=TYPE:VALUE` (`aws:MultiFactorAuthPresent=boolean:true`; a
    /// `…List` type takes comma-separated values); repeat for more.
    #[arg(long = "context", value_name = "KEY=TYPE:VALUE")]
    pub context: Vec<String>,
    /// The configuration holding the principal (its store's model when the store exists).
    /// Without it, the embedded seed scenario.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// SimulatePrincipalPolicy's `ContextKeyType` values.
const CONTEXT_TYPES: [&str; 12] = [
    "string",
    "stringList",
    "numeric",
    "numericList",
    "boolean",
    "booleanList",
    "ip",
    "ipList",
    "binary",
    "binaryList",
    "date",
    "dateList",
];

/// Parses `--context KEY=TYPE:VALUE` options into SimulatePrincipalPolicy's context entries.
///
/// # Errors
/// The option that is not of that form, or names no type of [`CONTEXT_TYPES`].
pub fn context_entries(options: &[String]) -> Result<Vec<ContextEntry>, String> {
    let mut entries: Vec<ContextEntry> = Vec::new();
    for option in options {
        let bad = || {
            format!(
                "--context `{option}`: expected KEY=TYPE:VALUE, TYPE one of {}",
                CONTEXT_TYPES.join(", ")
            )
        };
        let (key, typed) = option.split_once('=').ok_or_else(bad)?;
        let (ty, value) = typed.split_once(':').ok_or_else(bad)?;
        let ty = CONTEXT_TYPES
            .iter()
            .find(|t| t.eq_ignore_ascii_case(ty))
            .ok_or_else(bad)?;
        if key.is_empty() {
            return Err(bad());
        }
        let values: Vec<String> = if ty.ends_with("List") {
            value.split(',').map(str::to_owned).collect()
        } else {
            vec![value.to_owned()]
        };
        match entries.iter_mut().find(|e| {
            e.context_key_name
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case(key))
        }) {
            Some(e) => e
                .context_key_values
                .get_or_insert_with(Vec::new)
                .extend(values),
            None => entries.push(ContextEntry {
                context_key_name: Some(key.to_owned()),
                context_key_values: Some(values),
                context_key_type: Some((*ty).to_owned()),
            }),
        }
    }
    Ok(entries)
}

/// A statement that decided, as printed.
#[derive(Debug, Serialize)]
struct Decider {
    policy: String,
    policy_type: String,
    line: Option<i32>,
    column: Option<i32>,
}

/// One decision, as printed.
#[derive(Debug, Serialize)]
struct Decision {
    action: String,
    resource: String,
    decision: String,
    matched_statements: Vec<Decider>,
    missing_context_values: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_by_organizations: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_by_permissions_boundary: Option<bool>,
}

fn decision(r: EvaluationResult) -> Decision {
    Decision {
        action: r.eval_action_name,
        resource: r.eval_resource_name.unwrap_or_else(|| "*".to_owned()),
        decision: r.eval_decision,
        matched_statements: r
            .matched_statements
            .unwrap_or_default()
            .into_iter()
            .map(|s| Decider {
                policy: s.source_policy_id.unwrap_or_default(),
                policy_type: s.source_policy_type.unwrap_or_default(),
                line: s.start_position.as_ref().and_then(|p| p.line),
                column: s.start_position.as_ref().and_then(|p| p.column),
            })
            .collect(),
        missing_context_values: r.missing_context_values.unwrap_or_default(),
        allowed_by_organizations: r
            .organizations_decision_detail
            .and_then(|d| d.allowed_by_organizations),
        allowed_by_permissions_boundary: r
            .permissions_boundary_decision_detail
            .and_then(|d| d.allowed_by_permissions_boundary),
    }
}

/// The simulation's own root key in the principal's account (the caller of the simulation, as
/// an administrator of that account would be); it exists only in the in-memory copy.
fn with_simulation_key(mut data: IamData, account: &str) -> Result<(IamData, String), Outcome> {
    let id = access_key_id_for_account("AKIA", account, *b"ktsim")
        .ok_or_else(|| Outcome::error(2, format!("`{account}` is not a 12-digit account id")))?;
    let holder = data
        .accounts
        .iter_mut()
        .find(|a| a.id == account)
        .ok_or_else(|| Outcome::error(2, format!("no account {account} in the model")))?;
    holder.root.access_keys.push(AccessKey {
        id: id.clone(),
        secret: SecretString::new("keyturn-cli-simulation-key-never-exposed"),
        status: AccessKeyStatus::Active,
    });
    Ok((data, id))
}

fn render_table(decisions: &[Decision]) -> String {
    let rows: Vec<Vec<String>> = decisions
        .iter()
        .map(|d| {
            let by = if d.matched_statements.is_empty() {
                "no statement matched".to_owned()
            } else {
                d.matched_statements
                    .iter()
                    .map(|s| match (s.line, s.column) {
                        (Some(l), Some(c)) => {
                            format!("{} ({}) line {l} column {c}", s.policy, s.policy_type)
                        }
                        _ => format!("{} ({})", s.policy, s.policy_type),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let missing = if d.missing_context_values.is_empty() {
                "-".to_owned()
            } else {
                d.missing_context_values.join(", ")
            };
            vec![
                d.action.clone(),
                d.resource.clone(),
                d.decision.clone(),
                by,
                missing,
            ]
        })
        .collect();
    table(
        &[
            "ACTION",
            "RESOURCE",
            "DECISION",
            "DECIDED BY",
            "MISSING CONTEXT",
        ],
        &rows,
    )
}

/// Simulates `args` on `data` (with `config`'s settings) and prints the decisions.
pub fn simulate(config: &keyturn::Config, data: IamData, args: &SimulateArgs) -> Outcome {
    let context = match context_entries(&args.context) {
        Ok(c) => c,
        Err(e) => return Outcome::error(2, e),
    };
    let Some(account) = args.principal.split(':').nth(4).filter(|a| !a.is_empty()) else {
        return Outcome::error(
            2,
            format!(
                "--principal `{}` is not a user, group or role ARN",
                args.principal
            ),
        );
    };
    let account = account.to_owned();
    let run = || -> Result<Vec<Decision>, Outcome> {
        let (data, key) = with_simulation_key(data, &account)?;
        let runtime = crate::model::in_memory(config, data)?;
        let engine = runtime.engine();
        let api_error =
            |e: keyturn::Error| Outcome::error(2, format!("{}: {}", e.code(), e.message()));
        let caller = engine.caller_for_access_key(&key).map_err(api_error)?;
        let input = SimulatePrincipalPolicyRequest {
            policy_source_arn: args.principal.clone(),
            action_names: args.actions.clone(),
            resource_arns: (!args.resources.is_empty()).then(|| args.resources.clone()),
            context_entries: (!context.is_empty()).then_some(context),
            max_items: Some(1000),
            ..SimulatePrincipalPolicyRequest::default()
        };
        input
            .validate()
            .map_err(|e| api_error(keyturn::Error::from(e)))?;
        let http = keyturn::request::HttpParts::post(
            &[],
            b"",
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        );
        let out =
            keyturn::ops::invoke::<SimulatePrincipalPolicy>(&engine, Some(&caller), &http, input)
                .map_err(api_error)?;
        Ok(out
            .evaluation_results
            .unwrap_or_default()
            .into_iter()
            .map(decision)
            .collect())
    };
    match run() {
        Ok(decisions) => {
            let allowed = decisions.iter().all(|d| d.decision == "allowed");
            let stdout = match args.format.format {
                Format::Json => json(&decisions),
                Format::Table => render_table(&decisions),
            };
            Outcome::printed(if allowed { 0 } else { 1 }, stdout)
        }
        Err(e) => e,
    }
}

/// Runs `keyturn policy simulate`.
pub fn run(args: &SimulateArgs) -> Outcome {
    crate::model::config(args.config.as_deref())
        .and_then(|config| crate::model::model(&config).map(|data| (config, data)))
        .map_or_else(|e| e, |(config, data)| simulate(&config, data, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_options_parse_into_entries() {
        let entries = context_entries(&[
            "aws:MultiFactorAuthPresent=boolean:true".to_owned(),
            "aws:TagKeys=stringList:a,b".to_owned(),
            "aws:tagkeys=stringList:c".to_owned(),
        ])
        .unwrap_or_default();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].context_key_type.as_deref(), Some("boolean"));
        assert_eq!(
            entries[1].context_key_values.as_deref(),
            Some(&["a".to_owned(), "b".to_owned(), "c".to_owned()][..])
        );
        assert!(context_entries(&["k=nosuchtype:v".to_owned()]).is_err());
        assert!(context_entries(&["novalue".to_owned()]).is_err());
        assert!(context_entries(&["=string:v".to_owned()]).is_err());
    }
}

//! An example policy-evaluator plugin: allows an action when it starts with one of the configured prefixes
//! (compared without regard to case, as IAM compares actions), denies it explicitly when it starts with one of
//! the deny prefixes, and otherwise denies it implicitly.
//!
//! Configuration: `{"allow_action_prefixes": ["s3:Get", ...], "deny_action_prefixes": ["s3:GetObjectAcl", ...]}`
//! (`deny_action_prefixes` optional).

use keyturn_plugin::{
    Decision, EvaluationDecision, EvaluationRequest, Plugin, PluginFailure, PolicyEvaluator,
};

/// The evaluator: lowercased prefixes.
pub struct PrefixEvaluator {
    allow: Vec<String>,
    deny: Vec<String>,
}

fn prefixes(
    config: &serde_json::Value,
    field: &str,
    required: bool,
) -> Result<Vec<String>, PluginFailure> {
    let invalid =
        || PluginFailure::InvalidInput(format!("config.{field} must be an array of strings"));
    match config.get(field) {
        None if !required => Ok(Vec::new()),
        None => Err(invalid()),
        Some(value) => value
            .as_array()
            .ok_or_else(invalid)?
            .iter()
            .map(|prefix| {
                prefix
                    .as_str()
                    .map(str::to_ascii_lowercase)
                    .ok_or_else(invalid)
            })
            .collect(),
    }
}

impl Plugin for PrefixEvaluator {
    const NAME: &'static str = "example-evaluator";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    fn create(config: serde_json::Value) -> Result<Self, PluginFailure> {
        Ok(Self {
            allow: prefixes(&config, "allow_action_prefixes", true)?,
            deny: prefixes(&config, "deny_action_prefixes", false)?,
        })
    }
}

impl PolicyEvaluator for PrefixEvaluator {
    fn evaluate(&self, request: EvaluationRequest) -> Result<EvaluationDecision, PluginFailure> {
        let action = request.action.to_ascii_lowercase();
        let matching = |list: &[String]| {
            list.iter()
                .find(|prefix| action.starts_with(prefix.as_str()))
                .cloned()
        };
        let (decision, reason) = if let Some(prefix) = matching(&self.deny) {
            (
                Decision::ExplicitDeny,
                Some(format!("deny prefix {prefix}")),
            )
        } else if let Some(prefix) = matching(&self.allow) {
            (Decision::Allowed, Some(format!("allow prefix {prefix}")))
        } else {
            (Decision::ImplicitDeny, None)
        };
        Ok(EvaluationDecision { decision, reason })
    }
}

keyturn_plugin::export_plugin!(PrefixEvaluator, policy_evaluator);

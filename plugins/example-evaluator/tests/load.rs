//! Loads the built cdylib through the host side of `keyturn-plugin` and uses it.

use std::path::PathBuf;

use keyturn_plugin::{
    Decision, EvaluationRequest, KtPluginKind, LoadError, PluginError, PluginLibrary,
};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The cdylib cargo built for this package: next to the test binary's `deps/` directory, or in it.
fn cdylib() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let file = format!(
        "{}keyturn_example_evaluator{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let exe = std::env::current_exe()?;
    let deps = exe.parent().ok_or("no parent")?;
    for dir in [deps, deps.parent().ok_or("no parent")?] {
        if dir.join(&file).is_file() {
            return Ok(dir.join(&file));
        }
    }
    Err(format!("{file} not found near {}", exe.display()).into())
}

fn request(action: &str) -> EvaluationRequest {
    EvaluationRequest {
        principal_arn: "arn:aws:iam::123456789012:user/alice".to_owned(),
        action: action.to_owned(),
        resource: "*".to_owned(),
        ..EvaluationRequest::default()
    }
}

#[test]
fn decides_by_prefix_through_the_c_abi() -> TestResult {
    let plugin = PluginLibrary::load(cdylib()?, KtPluginKind::PolicyEvaluator)?;
    assert_eq!(plugin.name(), "example-evaluator");
    let evaluator = plugin.policy_evaluator(&json!({
        "allow_action_prefixes": ["s3:Get", "sts:GetCallerIdentity"],
        "deny_action_prefixes": ["s3:GetObjectAcl"],
    }))?;
    assert_eq!(evaluator.name(), "example-evaluator");

    let allowed = evaluator.evaluate(&request("S3:GetObject"))?;
    assert_eq!(allowed.decision, Decision::Allowed);
    assert_eq!(allowed.reason.as_deref(), Some("allow prefix s3:get"));
    assert_eq!(
        evaluator
            .evaluate(&request("sts:GetCallerIdentity"))?
            .decision,
        Decision::Allowed
    );
    assert_eq!(
        evaluator.evaluate(&request("s3:GetObjectAcl"))?.decision,
        Decision::ExplicitDeny
    );
    let denied = evaluator.evaluate(&request("s3:PutObject"))?;
    assert_eq!(denied.decision, Decision::ImplicitDeny);
    assert_eq!(denied.reason, None);
    Ok(())
}

#[test]
fn bad_config_is_a_create_error() -> TestResult {
    let plugin = PluginLibrary::load(cdylib()?, KtPluginKind::PolicyEvaluator)?;
    let error = plugin
        .policy_evaluator(&json!({"allow_action_prefixes": "s3:"}))
        .err()
        .ok_or("created")?;
    assert!(
        matches!(
            error,
            LoadError::Create { source: PluginError::InvalidInput { ref message }, .. }
                if message == "config.allow_action_prefixes must be an array of strings"
        ),
        "{error}"
    );
    Ok(())
}

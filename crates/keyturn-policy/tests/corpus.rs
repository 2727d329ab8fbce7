//! Runs the conformance corpus in `tests/corpus/`: one JSON file per case, each naming the IAM
//! documentation section it checks. Every failing file is reported, not just the first.

use std::path::Path;

use keyturn_policy::{CompiledPolicy, ParseOptions, PolicyDocument, PolicyType, eval_request_json};
use serde_json::Value;

/// The condition keys (lowercase) that the policies of an evaluation request can read.
fn keys_read(request: &Value) -> Result<Vec<String>, String> {
    let mut policies: Vec<(&Value, PolicyType)> = Vec::new();
    let list = |name: &str| request[name].as_array().cloned().unwrap_or_default();
    let identity = list("identity_policies");
    let session = list("session_policies");
    let scps: Vec<Value> = list("scps")
        .iter()
        .flat_map(|l| l.as_array().cloned().unwrap_or_default())
        .collect();
    let rcps: Vec<Value> = list("rcps")
        .iter()
        .flat_map(|l| l.as_array().cloned().unwrap_or_default())
        .collect();
    policies.extend(identity.iter().map(|p| (p, PolicyType::Identity)));
    policies.extend(session.iter().map(|p| (p, PolicyType::Session)));
    policies.extend(scps.iter().map(|p| (p, PolicyType::Scp)));
    policies.extend(rcps.iter().map(|p| (p, PolicyType::Rcp)));
    if let Some(p) = request.get("resource_policy") {
        let ty = if request["resource_policy_type"] == "trust" {
            PolicyType::Trust
        } else {
            PolicyType::Resource
        };
        policies.push((p, ty));
    }
    if let Some(p) = request.get("permissions_boundary") {
        policies.push((p, PolicyType::Boundary));
    }
    let mut keys = Vec::new();
    for (p, ty) in policies {
        let doc = match p {
            Value::String(text) => {
                PolicyDocument::parse_with(text, ParseOptions::new(ty).with_max_size(None))
            }
            other => PolicyDocument::from_value(other, ty),
        }
        .map_err(|e| e.detail())?;
        keys.extend(
            CompiledPolicy::compile(&doc)
                .condition_keys()
                .iter()
                .map(|k| k.to_string()),
        );
    }
    Ok(keys)
}

fn run_case(case: &Value) -> Result<(), String> {
    let expected = &case["expected"];
    if let Some(check) = case.get("check") {
        let ty = check["type"]
            .as_str()
            .and_then(PolicyType::parse)
            .ok_or("bad check.type")?;
        let result = match (check.get("document_text"), check.get("document")) {
            (Some(Value::String(text)), _) => {
                PolicyDocument::parse_with(text, ParseOptions::new(ty))
            }
            (_, Some(doc)) => PolicyDocument::from_value(doc, ty),
            _ => return Err("check needs document or document_text".into()),
        };
        return match (result, expected.get("error").and_then(Value::as_str)) {
            (Ok(_), None) => Ok(()),
            (Ok(_), Some(e)) => Err(format!("expected error `{e}`, document was accepted")),
            (Err(got), None) => Err(format!("expected a valid document, got `{}`", got.detail())),
            (Err(got), Some(e)) if got.to_string() == e => {
                if got.code() == "MalformedPolicyDocument" {
                    Ok(())
                } else {
                    Err(format!("wrong code {}", got.code()))
                }
            }
            (Err(got), Some(e)) => Err(format!("expected error `{e}`, got `{}`", got.detail())),
        };
    }
    let request = serde_json::to_string(&case["request"]).map_err(|e| e.to_string())?;
    let got =
        eval_request_json(&request).map_err(|e| format!("evaluation error: {}", e.detail()))?;
    let want = expected["decision"]
        .as_str()
        .ok_or("expected.decision missing")?;
    if got["decision"] != want {
        return Err(format!("expected {want}, got {got}"));
    }
    // The keys no policy reads cannot change the decision: the engine leaves them out.
    let read = keys_read(&case["request"])?;
    let mut trimmed = case["request"].clone();
    if let Some(ctx) = trimmed.get_mut("context").and_then(Value::as_object_mut) {
        ctx.retain(|k, _| read.contains(&k.to_ascii_lowercase()));
    }
    let again = eval_request_json(&trimmed.to_string())
        .map_err(|e| format!("evaluation error: {}", e.detail()))?;
    if again["decision"] != want {
        return Err(format!(
            "with only the keys the policies read ({read:?}): {}",
            again["decision"]
        ));
    }
    if let Some(reason) = expected.get("reason").and_then(Value::as_str) {
        let reasons = got["reasons"].as_array().cloned().unwrap_or_default();
        if !reasons.iter().any(|r| r == reason) {
            return Err(format!(
                "expected reason `{reason}`, got {}",
                got["reasons"]
            ));
        }
    }
    // An Allow always names at least one matched Allow statement.
    if want == "Allow"
        && !got["matched"]
            .as_array()
            .is_some_and(|m| m.iter().any(|s| s["effect"] == "Allow"))
    {
        return Err(format!("Allow without a matched Allow statement: {got}"));
    }
    Ok(())
}

#[test]
fn conformance_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        count += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let case: Value = serde_json::from_str(&text).unwrap();
        assert!(
            case["doc_section"].is_string() && case["description"].is_string(),
            "{path:?}: metadata"
        );
        if let Err(e) = run_case(&case) {
            failures.push(format!(
                "{}: {} — {e}",
                path.file_name().unwrap().to_string_lossy(),
                case["description"]
            ));
        }
    }
    assert!(count >= 300, "only {count} corpus cases");
    assert!(
        failures.is_empty(),
        "{} of {count} corpus cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

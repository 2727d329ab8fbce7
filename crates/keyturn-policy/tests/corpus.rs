//! Runs the conformance corpus in `tests/corpus/`: one JSON file per case, each naming the IAM
//! documentation section it checks. Every failing file is reported, not just the first.

use std::path::Path;

use keyturn_policy::{ParseOptions, PolicyDocument, PolicyType, eval_request_json};
use serde_json::Value;

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

//! The trust analysis corpus: models with known answers (`tests/analysis_corpus/*.yaml`), each
//! citing the AWS documentation page whose rule it checks.
//!
//! A case holds `source` (the page), `about` (a sentence), `model` (an [`IamData`]: accounts
//! and, optionally, an organization), `findings` (every finding expected, as
//! `SEVERITY KIND ROLE PRINCIPAL`; the list is compared exactly) and optionally `edges` (edges
//! that must be in the trust graph, as `FROM -> TO EVIDENCE [gate,...]`).

#![allow(clippy::panic, reason = "test harness outside #[test] fns")]

use std::path::{Path, PathBuf};

use keyturn_core::analysis::{findings, trust_graph};
use keyturn_core::iam::IamData;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    source: String,
    about: String,
    model: IamData,
    findings: Vec<String>,
    #[serde(default)]
    edges: Vec<String>,
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/analysis_corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Case = serde_yaml_ng::from_str(&text).map_err(|e| e.to_string())?;
    if !case.source.starts_with("https://docs.aws.amazon.com/") {
        return Err(format!(
            "source is not an AWS documentation page: {}",
            case.source
        ));
    }
    if case.about.trim().is_empty() {
        return Err("about is empty".to_owned());
    }
    let graph = trust_graph(&case.model);
    if !graph.skipped.is_empty() {
        return Err(format!("unreadable trust policies: {:?}", graph.skipped));
    }
    let report = findings(&case.model, &graph);
    let mut got: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f.severity,
                f.kind.as_str(),
                f.role,
                f.principal
            )
        })
        .collect();
    let mut want = case.findings.clone();
    got.sort();
    want.sort();
    if got != want {
        return Err(format!(
            "findings differ\n  expected: {want:#?}\n  got:      {got:#?}"
        ));
    }
    let edges: Vec<String> = graph
        .edges
        .iter()
        .map(|e| {
            let mut gates: Vec<String> = e
                .conditions()
                .map(|c| {
                    serde_json::to_value(c.gate)
                        .map_or_else(|_| String::new(), |v| v.as_str().unwrap_or("").to_owned())
                })
                .collect();
            gates.sort();
            gates.dedup();
            let evidence = serde_json::to_value(e.evidence)
                .map_or_else(|_| String::new(), |v| v.as_str().unwrap_or("").to_owned());
            format!("{} -> {} {evidence} [{}]", e.from, e.to, gates.join(","))
        })
        .collect();
    for want in &case.edges {
        if !edges.contains(want) {
            return Err(format!("edge `{want}` missing; the graph has {edges:#?}"));
        }
    }
    Ok(())
}

#[test]
fn corpus_cases_have_their_known_answers() {
    let files = corpus();
    assert!(files.len() >= 12, "the corpus has {} cases", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|p| check(p).err().map(|e| format!("{}: {e}", p.display())))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

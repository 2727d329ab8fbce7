//! `keyturn analyze`: IAM Access Analyzer-style external-access findings for the roles of a
//! model, from the policies alone (`keyturn::analysis`; docs/analysis.md).
//!
//! Exit codes: 0 when no finding reaches `--fail-on` (or it is not given), 1 when one does, 2
//! for a configuration that cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use keyturn::analysis::{Report, Severity, TrustGraph, findings, trust_graph};
use keyturn::iam::IamData;

use crate::output::{Format, FormatArg, Outcome, json, table};

/// `keyturn analyze`'s options.
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// The configuration whose model to analyze (its store's model when the store exists).
    /// Without it, the embedded seed scenario.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
    /// Exit with status 1 when a finding of this severity or a higher one exists (for CI).
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
        .map_err(|e: keyturn::analysis::UnknownSeverity| e.to_string())
}

/// The JSON document `--format json` prints.
#[derive(serde::Serialize)]
struct Document<'a> {
    /// Findings per severity.
    summary: std::collections::BTreeMap<&'static str, usize>,
    findings: &'a [keyturn::analysis::Finding],
    graph: &'a TrustGraph,
}

fn summary(report: &Report) -> std::collections::BTreeMap<&'static str, usize> {
    Severity::ALL
        .into_iter()
        .map(|s| {
            (
                s.as_str(),
                report.findings.iter().filter(|f| f.severity == s).count(),
            )
        })
        .collect()
}

fn conditions_cell(f: &keyturn::analysis::Finding) -> String {
    if f.conditions.is_empty() {
        return "-".to_owned();
    }
    f.conditions
        .iter()
        .map(|c| format!("{} {}={}", c.operator, c.key, c.values.join("|")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn render_table(report: &Report) -> String {
    if report.findings.is_empty() {
        return "No findings: no principal outside a role's zone of trust may assume it.\n"
            .to_owned();
    }
    let rows: Vec<Vec<String>> = report
        .findings
        .iter()
        .map(|f| {
            vec![
                f.severity.to_string(),
                f.kind.as_str().to_owned(),
                f.role.clone(),
                f.principal.clone(),
                conditions_cell(f),
                f.message.clone(),
            ]
        })
        .collect();
    let counts: Vec<String> = Severity::ALL
        .into_iter()
        .rev()
        .map(|s| {
            (
                s,
                report.findings.iter().filter(|f| f.severity == s).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let mut out = table(
        &[
            "SEVERITY",
            "FINDING",
            "ROLE",
            "PRINCIPAL",
            "CONDITIONS",
            "WHY",
        ],
        &rows,
    );
    out.push_str(&format!(
        "\n{} finding(s): {}\n",
        report.findings.len(),
        counts.join(", ")
    ));
    out
}

/// The analysis of `data`, printed as `format`, exiting 1 when a finding reaches `fail_on`.
pub fn analyze(data: &IamData, format: Format, fail_on: Option<Severity>) -> Outcome {
    let graph = trust_graph(data);
    let report = findings(data, &graph);
    let stdout = match format {
        Format::Json => json(&Document {
            summary: summary(&report),
            findings: &report.findings,
            graph: &graph,
        }),
        Format::Table => render_table(&report),
    };
    let mut out = Outcome::printed(0, stdout);
    if let Some(level) = fail_on {
        let n = report.at_or_above(level);
        if n > 0 {
            out.code = 1;
            out.stderr = format!("{n} finding(s) at or above {level}\n");
        }
    }
    for skipped in &graph.skipped {
        out.stderr
            .push_str(&format!("warning: trust policy not analyzed: {skipped}\n"));
    }
    out
}

/// Runs `keyturn analyze`.
pub fn run(args: AnalyzeArgs) -> ExitCode {
    let outcome = crate::model::config(args.config.as_deref())
        .and_then(|config| crate::model::model(&config))
        .map_or_else(
            |e| e,
            |data| analyze(&data, args.format.format, args.fail_on),
        );
    outcome.finish()
}

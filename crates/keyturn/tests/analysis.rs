//! Trust analysis through the facade: `keyturn::analysis` on the engine's current snapshot
//! (`Engine::trust_graph`, `Engine::trust_findings`), which follows the IAM API's writes.

use keyturn::Config;
use keyturn::analysis::{Evidence, FindingKind, Gate, Severity};
use keyturn::api::iam::CreateRoleRequest;
use keyturn::embedded::{EmbedOptions, Embedded};
use keyturn::ops::iam::CreateRole;

/// The seed scenario's shape: production trusts the development account, whose developers group
/// may assume production's roles; the trust asks for MFA.
const MODEL: &str = r#"
store: {memory: true}
accounts:
  - id: "111111111111"
    root: {access_keys: [{id: AKIARTXV5AHDSVIWE4YE, secret: AnalysisRootSecret/111111111111/00000000}]}
    roles:
      - name: UpdateAppMfa
        trust_policy: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "sts:AssumeRole",
          "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}
  - id: "222222222222"
    groups:
      - name: developers
        inline_policies:
          assume: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111111111111:role/*"}]}
"#;

#[test]
fn the_engine_analyzes_its_current_snapshot() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("keyturn-analysis-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut config = Config::from_str(MODEL, "analysis test")?;
    config.keyring = dir.join("keyring.json");
    let embedded = Embedded::from_config(&config, &EmbedOptions::default())?;
    let engine = embedded.engine();

    let graph = engine.trust_graph()?;
    let group = graph
        .edges_to("arn:aws:iam::111111111111:role/UpdateAppMfa")
        .find(|e| e.from == "arn:aws:iam::222222222222:group/developers")
        .ok_or("no edge from the developers group")?;
    assert_eq!(group.evidence, Evidence::TrustAndIdentity);
    assert_eq!(
        group.conditions().map(|c| c.gate).collect::<Vec<_>>(),
        [Gate::Mfa]
    );
    assert_eq!(engine.trust_findings()?.worst(), Some(Severity::Info));

    // A role created through the API is in the next analysis.
    let root = embedded.credentials("111111111111")?;
    embedded.call::<CreateRole>(
        &root,
        CreateRoleRequest {
            role_name: "Everyone".to_owned(),
            assume_role_policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#.to_owned(),
            ..CreateRoleRequest::default()
        },
    )?;
    let report = engine.trust_findings()?;
    assert_eq!(report.worst(), Some(Severity::Critical));
    let public: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::PublicTrust)
        .map(|f| f.role.as_str())
        .collect();
    assert_eq!(public, ["arn:aws:iam::111111111111:role/Everyone"]);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

use super::*;

/// The model of a configuration's text.
fn model(yaml: &str) -> IamData {
    match keyturn::Config::from_str(yaml, "test.yaml") {
        Ok(c) => c.iam,
        Err(e) => unreachable!("bad test configuration: {e}"),
    }
}

/// The edges as `(from, to, conditions)`, ARNs shortened to what follows the account.
fn edges(g: &TrustGraph) -> Vec<(String, String, EdgeKind, Vec<String>)> {
    let short = |s: &str| s.rsplit("::").next().unwrap_or(s).to_owned();
    g.edges
        .iter()
        .map(|e| (short(&e.from), short(&e.to), e.kind, e.conditions.clone()))
        .collect()
}

const SEED: &str = include_str!("../../../../docs/examples/cross-account.yaml");

#[test]
fn the_seed_scenario() {
    let g = TrustGraph::of(&model(SEED));
    let mfa = vec!["MFA: Bool aws:MultiFactorAuthPresent = true".to_owned()];
    let (root, group, alice) = (
        "222222222222:root".to_owned(),
        "222222222222:group/developers".to_owned(),
        "222222222222:user/alice".to_owned(),
    );
    let (app, app_mfa) = (
        "111111111111:role/UpdateApp".to_owned(),
        "111111111111:role/UpdateAppMfa".to_owned(),
    );
    assert_eq!(
        edges(&g),
        vec![
            (root.clone(), app.clone(), EdgeKind::Trusts, vec![]),
            // alice may assume it through her group: drawn as her membership.
            (alice, group.clone(), EdgeKind::Member, vec![]),
            (group.clone(), app, EdgeKind::MayAssume, vec![]),
            (root, app_mfa.clone(), EdgeKind::Trusts, mfa.clone()),
            (group, app_mfa, EdgeKind::MayAssume, mfa),
        ]
    );
    let dev = g.node("arn:aws:iam::222222222222:root");
    assert_eq!(
        dev.map(|n| (n.kind, n.label.as_str())),
        Some((NodeKind::Account, "account 222222222222 (development)"))
    );
    assert_eq!(
        g.node("arn:aws:iam::222222222222:group/developers")
            .map(|n| n.kind),
        Some(NodeKind::Group)
    );
}

const KINDS: &str = r#"
store: {memory: true}
accounts:
  - id: "111111111111"
    roles:
      - name: Deploy
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"}
              Action: sts:AssumeRoleWithWebIdentity
              Condition:
                StringEquals: {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
            - Effect: Allow
              Principal: {Service: ec2.amazonaws.com}
              Action: sts:AssumeRole
            - Effect: Allow
              Principal: {AWS: "333333333333"}
              Action: sts:AssumeRole
              Condition:
                StringEquals: {"sts:ExternalId": "partner-7"}
            - Effect: Deny
              Principal: "*"
              Action: sts:AssumeRole
              Condition:
                Bool: {"aws:SecureTransport": "false"}
            - Effect: Allow
              Principal: "*"
              NotAction: sts:AssumeRole*
      - name: Open
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "*"}
              Action: "sts:*"
              Condition:
                StringEquals: {"aws:PrincipalTag/team": "web", "sts:SourceIdentity": "ci"}
      - name: Chained
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::111111111111:root"}
              Action: sts:AssumeRole
        inline_policies:
          hop:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sts:AssumeRole
                Resource: "arn:aws:iam::111111111111:role/*"
"#;

#[test]
fn providers_services_accounts_anyone_and_chains() {
    let g = TrustGraph::of(&model(KINDS));
    let deny = "denied when condition: Bool aws:SecureTransport = false".to_owned();
    let open = vec![
        "tags: StringEquals aws:PrincipalTag/team = web".to_owned(),
        "source identity: StringEquals sts:SourceIdentity = ci".to_owned(),
    ];
    let deploy = "111111111111:role/Deploy".to_owned();
    let audience =
        "audience: StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com";
    assert_eq!(
        edges(&g),
        vec![
            (
                "111111111111:oidc-provider/token.actions.githubusercontent.com".into(),
                deploy.clone(),
                EdgeKind::Trusts,
                vec![audience.into(), deny.clone()],
            ),
            (
                "ec2.amazonaws.com".into(),
                deploy.clone(),
                EdgeKind::Trusts,
                vec![deny.clone()]
            ),
            (
                "333333333333:root".into(),
                deploy,
                EdgeKind::Trusts,
                vec![
                    "ExternalId: StringEquals sts:ExternalId = partner-7".into(),
                    deny
                ],
            ),
            (
                "*".into(),
                "111111111111:role/Open".into(),
                EdgeKind::Trusts,
                open.clone()
            ),
            // Chained's policy allows role/*, and Open trusts anyone: a chain.
            (
                "111111111111:role/Chained".into(),
                "111111111111:role/Open".into(),
                EdgeKind::MayAssume,
                open
            ),
            (
                "111111111111:root".into(),
                "111111111111:role/Chained".into(),
                EdgeKind::Trusts,
                vec![]
            ),
        ]
    );
    assert_eq!(
        g.node("ec2.amazonaws.com").map(|n| n.kind),
        Some(NodeKind::Service)
    );
    assert_eq!(g.node("*").map(|n| n.kind), Some(NodeKind::Anyone));
    assert_eq!(
        g.node("arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com")
            .map(|n| (n.kind, n.label.as_str())),
        Some((NodeKind::Provider, "token.actions.githubusercontent.com"))
    );
}

#[test]
fn a_role_whose_policy_allows_another_is_an_edge_of_the_chain() {
    let yaml = KINDS.replace("      - name: Chained", "      - name: Hop\n        trust_policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}\n        inline_policies:\n          next: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: sts:AssumeRole, Resource: \"arn:aws:iam::111111111111:role/Chained\"}]}\n      - name: Chained");
    let g = TrustGraph::of(&model(&yaml));
    let e = edges(&g);
    assert!(
        e.contains(&(
            "111111111111:role/Hop".into(),
            "111111111111:role/Chained".into(),
            EdgeKind::MayAssume,
            vec![]
        )),
        "{e:?}"
    );
    // Chained's own policy allows role/* but a role does not reach itself.
    assert!(!e.iter().any(|(f, t, _, _)| f == t));
}

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
    assert_eq!(
        edges(&g),
        vec![
            (
                "222222222222:root".into(),
                "111111111111:role/UpdateApp".into(),
                EdgeKind::Trusts,
                vec![]
            ),
            (
                "222222222222:group/developers".into(),
                "111111111111:role/UpdateApp".into(),
                EdgeKind::MayAssume,
                vec![]
            ),
            (
                "222222222222:user/alice".into(),
                "222222222222:group/developers".into(),
                EdgeKind::Member,
                vec![]
            ),
            (
                "222222222222:root".into(),
                "111111111111:role/UpdateAppMfa".into(),
                EdgeKind::Trusts,
                mfa.clone()
            ),
            (
                "222222222222:group/developers".into(),
                "111111111111:role/UpdateAppMfa".into(),
                EdgeKind::MayAssume,
                mfa
            ),
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
    let e = edges(&g);
    assert_eq!(
        e,
        vec![
            (
                "111111111111:oidc-provider/token.actions.githubusercontent.com".into(),
                "111111111111:role/Deploy".into(),
                EdgeKind::Trusts,
                vec!["token claim: StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com".into()],
            ),
            ("ec2.amazonaws.com".into(), "111111111111:role/Deploy".into(), EdgeKind::Trusts, vec![]),
            (
                "333333333333:root".into(),
                "111111111111:role/Deploy".into(),
                EdgeKind::Trusts,
                vec!["ExternalId: StringEquals sts:ExternalId = partner-7".into()],
            ),
            (
                "*".into(),
                "111111111111:role/Open".into(),
                EdgeKind::Trusts,
                vec![
                    "tags: StringEquals aws:PrincipalTag/team = web".into(),
                    "source identity: StringEquals sts:SourceIdentity = ci".into(),
                ],
            ),
            ("111111111111:root".into(), "111111111111:role/Chained".into(), EdgeKind::Trusts, vec![]),
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

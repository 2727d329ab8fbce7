use super::*;
use crate::iam::{Account, Group, Role, User};

fn role(name: &str, trust: &str) -> Role {
    Role {
        name: name.to_owned(),
        id: None,
        path: "/".to_owned(),
        max_session_duration: 3600,
        trust_policy: trust.to_owned(),
        inline_policies: Default::default(),
        managed_policies: Vec::new(),
        permissions_boundary: None,
        tags: Default::default(),
        description: None,
    }
}

const ASSUME_BOTH: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":["arn:aws:iam::111111111111:role/UpdateApp","arn:aws:iam::111111111111:role/UpdateAppMfa"]}]}"#;

/// The seed scenario's shape (docs/examples/cross-account.yaml).
fn seed() -> IamData {
    let prod = Account {
        id: "111111111111".to_owned(),
        alias: Some("production".to_owned()),
        roles: vec![
            role(
                "UpdateApp",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}]}"#,
            ),
            role(
                "UpdateAppMfa",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#,
            ),
        ],
        ..Account::default()
    };
    let mut group = Group {
        name: "developers".to_owned(),
        path: "/".to_owned(),
        ..Group::default()
    };
    group
        .inline_policies
        .insert("assume-update-app".to_owned(), ASSUME_BOTH.to_owned());
    let dev = Account {
        id: "222222222222".to_owned(),
        alias: Some("development".to_owned()),
        groups: vec![group],
        users: vec![
            User {
                name: "alice".to_owned(),
                path: "/".to_owned(),
                groups: vec!["developers".to_owned()],
                ..User::default()
            },
            User {
                name: "bob".to_owned(),
                path: "/".to_owned(),
                ..User::default()
            },
        ],
        ..Account::default()
    };
    IamData {
        accounts: vec![prod, dev],
        organization: None,
    }
}

#[test]
fn seed_scenario_edges() {
    let g = trust_graph(&seed());
    assert!(g.skipped.is_empty(), "{:?}", g.skipped);
    let to_mfa: Vec<_> = g
        .edges_to("arn:aws:iam::111111111111:role/UpdateAppMfa")
        .collect();
    // The account named by the trust policy, and the group and user its identity policy
    // lets in; not bob, whose policies allow nothing.
    let froms: Vec<_> = to_mfa.iter().map(|e| e.from.as_str()).collect();
    assert_eq!(
        froms,
        [
            "arn:aws:iam::222222222222:root",
            "arn:aws:iam::222222222222:user/alice",
            "arn:aws:iam::222222222222:group/developers",
        ]
    );
    let account = to_mfa[0];
    assert_eq!(account.evidence, Evidence::TrustPendingIdentity);
    assert_eq!(account.via, None);
    let group = to_mfa[2];
    assert_eq!(group.evidence, Evidence::TrustAndIdentity);
    assert_eq!(group.via.as_deref(), Some("arn:aws:iam::222222222222:root"));
    let identity = group
        .identity
        .as_ref()
        .map(|i| (i.attached_to.as_str(), i.policy.as_str()));
    assert_eq!(
        identity,
        Some((
            "arn:aws:iam::222222222222:group/developers",
            "assume-update-app"
        ))
    );
    assert_eq!(group.trust.conditions.len(), 1);
    assert_eq!(group.trust.conditions[0].gate, Gate::Mfa);
    assert_eq!(group.trust.conditions[0].key, "aws:MultiFactorAuthPresent");
    assert_eq!(
        group.trust.statement,
        StatementId {
            index: 0,
            sid: None
        }
    );
    assert_eq!(group.actions, ["sts:AssumeRole"]);
    // alice's node carries her group; the account node its alias.
    let alice = g.node("arn:aws:iam::222222222222:user/alice");
    assert_eq!(
        alice.map(|n| n.groups.clone()),
        Some(vec![
            "arn:aws:iam::222222222222:group/developers".to_owned()
        ])
    );
    assert_eq!(
        g.node("arn:aws:iam::111111111111:root")
            .map(|n| n.label.as_str()),
        Some("production")
    );
    // Serialisable both ways.
    let json = serde_json::to_string(&g).unwrap_or_default();
    let back: TrustGraph = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, g);
    assert!(
        json.contains(r#""evidence":"trust-and-identity""#),
        "{json}"
    );
}

#[test]
fn role_chains_follow_complete_edges() {
    let mut data = seed();
    // UpdateApp may assume Deployer (same account, named directly: the trust alone suffices),
    // which may assume Final only with its own identity policy.
    let prod = &mut data.accounts[0];
    prod.roles.push(role(
        "Deployer",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/UpdateApp"},"Action":"sts:AssumeRole"}]}"#,
    ));
    prod.roles.push(role(
        "Final",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}"#,
    ));
    let chains = trust_graph(&data).role_chains();
    assert!(
        chains.contains(&vec![
            "arn:aws:iam::222222222222:root".to_owned(),
            "arn:aws:iam::111111111111:role/UpdateApp".to_owned(),
            "arn:aws:iam::111111111111:role/Deployer".to_owned(),
        ]),
        "{chains:?}"
    );
    // Deployer has no identity policy: the account-wide trust of Final is not enough.
    assert!(
        !chains
            .iter()
            .any(|c| c.last().is_some_and(|l| l.ends_with("role/Final"))),
        "{chains:?}"
    );
    data.accounts[0].roles[2].inline_policies.insert(
        "next".to_owned(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:Assume*","Resource":"arn:aws:iam::111111111111:role/F*"}]}"#.to_owned(),
    );
    let chains = trust_graph(&data).role_chains();
    assert!(
        chains
            .iter()
            .any(|c| c.len() == 4 && c.last().is_some_and(|l| l.ends_with("role/Final"))),
        "{chains:?}"
    );
}

#[test]
fn unconditional_deny_removes_and_conditional_deny_labels() {
    let mut data = seed();
    data.accounts[0].roles[0].trust_policy = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222222222222:root","arn:aws:iam::333333333333:root"]},"Action":"sts:AssumeRole"},
        {"Sid":"NoThird","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"sts:*"},
        {"Sid":"OnlyTagged","Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"web"}}}]}"#
        .to_owned();
    let g = trust_graph(&data);
    let froms: Vec<_> = g
        .edges_to("arn:aws:iam::111111111111:role/UpdateApp")
        .map(|e| e.from.as_str())
        .collect();
    assert!(
        !froms.contains(&"arn:aws:iam::333333333333:root"),
        "{froms:?}"
    );
    let edge = g
        .edges_to("arn:aws:iam::111111111111:role/UpdateApp")
        .next();
    let denied = edge
        .map(|e| e.trust.denied_when.clone())
        .unwrap_or_default();
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].statement.sid.as_deref(), Some("OnlyTagged"));
    assert_eq!(denied[0].conditions[0].gate, Gate::Tag);
}

#[test]
fn gates_of_keys() {
    let cases = [
        ("sts:ExternalId", Gate::ExternalId),
        ("aws:MultiFactorAuthAge", Gate::Mfa),
        ("sts:SourceIdentity", Gate::SourceIdentity),
        ("aws:RequestTag/project", Gate::Tag),
        ("token.actions.githubusercontent.com:sub", Gate::Subject),
        ("accounts.google.com:aud", Gate::Audience),
        ("SAML:aud", Gate::Audience),
        ("aws:PrincipalOrgID", Gate::Organization),
        ("aws:SourceArn", Gate::Source),
        ("aws:SourceIp", Gate::Network),
        (
            "token.actions.githubusercontent.com:job_workflow_ref",
            Gate::Other,
        ),
    ];
    for (key, gate) in cases {
        assert_eq!(conditions::gate_of(key), gate, "{key}");
    }
}

#[test]
fn severity_levels_parse_and_order() {
    assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
    assert!("severe".parse::<Severity>().is_err());
    assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
}

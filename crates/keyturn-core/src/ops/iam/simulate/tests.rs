use keyturn_policy::Outcome;

use super::results::*;
use super::{managed_policy_name, owner_account};
use crate::evaluator::{MatchLayer, MatchedStatement, PolicySource};

fn m(layer: MatchLayer, policy_index: usize, index: usize, allow: bool) -> MatchedStatement {
    MatchedStatement {
        policy_id: format!("p{policy_index}"),
        source: PolicySource::None,
        sid: None,
        index,
        allow,
        layer,
        policy_index,
        level: 0,
    }
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn layers(identity: Outcome) -> LayerDecisions {
    LayerDecisions {
        identity,
        boundary: None,
        resource: None,
        cross_account: false,
        all_resources: false,
        denied_by_organizations: false,
    }
}

#[test]
fn details_of_a_cross_account_simulation() {
    let d = LayerDecisions {
        boundary: Some(Outcome::ExplicitDeny),
        resource: Some(Outcome::ImplicitDeny),
        cross_account: true,
        ..layers(Outcome::Allow)
    };
    assert_eq!(
        decision_details(&d),
        Some(pairs(&[
            ("IAM Policy", "allowed"),
            ("Permissions Boundary Policy", "explicitDeny"),
            ("Resource Policy", "implicitDeny"),
        ]))
    );
    let no_boundary = LayerDecisions {
        boundary: None,
        ..d
    };
    assert_eq!(
        decision_details(&no_boundary),
        Some(pairs(&[
            ("IAM Policy", "allowed"),
            ("Resource Policy", "implicitDeny")
        ]))
    );
    // An SCP's denial stops the evaluation: no details.
    let scp = LayerDecisions {
        denied_by_organizations: true,
        ..d
    };
    assert_eq!(decision_details(&scp), None);
}

/// Same account: empty for a resource ARN, absent for `*`; per resource, absent.
#[test]
fn details_within_one_account() {
    let arn = layers(Outcome::Allow);
    assert_eq!(decision_details(&arn), Some(Vec::new()));
    let star = LayerDecisions {
        all_resources: true,
        ..arn
    };
    assert_eq!(decision_details(&star), None);
    assert_eq!(resource_details(Some(&Vec::new())), None);
    let cross = pairs(&[("IAM Policy", "allowed")]);
    assert_eq!(resource_details(Some(&cross)), Some(cross.clone()));
}

#[test]
fn deciding_statements() {
    let matched = [
        m(MatchLayer::Resource, 0, 1, false),
        m(MatchLayer::Identity, 0, 0, true),
        m(MatchLayer::Identity, 1, 2, true),
        m(MatchLayer::Boundary, 0, 0, true),
    ];
    let idx = |v: Vec<&MatchedStatement>| -> Vec<(MatchLayer, usize, usize)> {
        v.iter()
            .map(|x| (x.layer, x.policy_index, x.index))
            .collect()
    };
    assert_eq!(
        idx(deciding(&matched, Outcome::ExplicitDeny)),
        [
            (MatchLayer::Resource, 0, 1),
            (MatchLayer::Identity, 0, 0),
            (MatchLayer::Identity, 1, 2),
            (MatchLayer::Boundary, 0, 0)
        ]
    );
    let same_policy = [
        m(MatchLayer::Identity, 0, 0, true),
        m(MatchLayer::Identity, 0, 1, false),
    ];
    assert_eq!(
        idx(deciding(&same_policy, Outcome::ExplicitDeny)),
        [(MatchLayer::Identity, 0, 1)]
    );
    assert_eq!(
        idx(deciding(&matched[1..], Outcome::Allow)),
        [
            (MatchLayer::Identity, 0, 0),
            (MatchLayer::Identity, 1, 2),
            (MatchLayer::Boundary, 0, 0)
        ]
    );
    assert!(deciding(&matched, Outcome::ImplicitDeny).is_empty());
    // Per resource, each policy type's statements are listed whatever the decision.
    let resource_allows = [
        m(MatchLayer::Resource, 0, 0, true),
        m(MatchLayer::Identity, 0, 3, false),
    ];
    assert_eq!(
        idx(by_policy_type(&resource_allows)),
        [(MatchLayer::Resource, 0, 0), (MatchLayer::Identity, 0, 3)]
    );
    assert_eq!(
        idx(by_policy_type(&matched[..1])),
        [(MatchLayer::Resource, 0, 1)]
    );
}

#[test]
fn organizations_decide_first() {
    assert_eq!(
        organizations_decision([Outcome::Allow, Outcome::Allow]),
        Outcome::Allow
    );
    assert_eq!(
        organizations_decision([Outcome::Allow, Outcome::ImplicitDeny]),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        organizations_decision([Outcome::ImplicitDeny, Outcome::ExplicitDeny]),
        Outcome::ExplicitDeny
    );
    assert_eq!(
        with_organizations(Outcome::Allow, Some(Outcome::ImplicitDeny)),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        with_organizations(Outcome::ExplicitDeny, Some(Outcome::Allow)),
        Outcome::ExplicitDeny
    );
    assert_eq!(with_organizations(Outcome::Allow, None), Outcome::Allow);
}

#[test]
fn names_of_policies_and_accounts() {
    assert_eq!(source_policy_type(MatchLayer::Identity), "IAM Policy");
    assert_eq!(source_policy_type(MatchLayer::Resource), "Resource Policy");
    assert_eq!(
        source_policy_type(MatchLayer::Boundary),
        "Permissions Boundary Policy"
    );
    assert_eq!(
        managed_policy_name("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
        "ViewOnlyAccess"
    );
    assert_eq!(
        owner_account("arn:aws:iam::222222222222:root"),
        "222222222222"
    );
    assert_eq!(owner_account("222222222222"), "222222222222");
}

#[test]
fn decisions_as_iam_writes_them() {
    assert_eq!(decision_text(Outcome::Allow), "allowed");
    assert_eq!(decision_text(Outcome::ExplicitDeny), "explicitDeny");
    assert_eq!(decision_text(Outcome::ImplicitDeny), "implicitDeny");
    assert_eq!(
        most_restrictive(Outcome::Allow, Outcome::ImplicitDeny),
        Outcome::ImplicitDeny
    );
    assert_eq!(
        most_restrictive(Outcome::ExplicitDeny, Outcome::ImplicitDeny),
        Outcome::ExplicitDeny
    );
}

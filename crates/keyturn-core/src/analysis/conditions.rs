//! What a condition key gates, and whether a condition really requires it.

use keyturn_policy::{BaseOp, ConditionEntry};
use serde::{Deserialize, Serialize};

use super::EdgeCondition;

/// What a condition key is about (the labels of the trust graph's edges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gate {
    /// `sts:ExternalId`.
    ExternalId,
    /// `aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge`.
    Mfa,
    /// `sts:SourceIdentity`.
    SourceIdentity,
    /// Tags: `aws:RequestTag/…`, `aws:TagKeys`, `aws:PrincipalTag/…`, `iam:ResourceTag/…`,
    /// `aws:ResourceTag/…`.
    Tag,
    /// A federated token's audience: `PROVIDER:aud`, `PROVIDER:oaud`, `PROVIDER:azp`,
    /// `SAML:aud`.
    Audience,
    /// A federated token's subject: `PROVIDER:sub`, `SAML:sub`.
    Subject,
    /// The caller's organization: `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`.
    Organization,
    /// Who the caller is: `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:userid`,
    /// `aws:username`, `aws:PrincipalType`.
    Principal,
    /// On whose behalf a service acts: `aws:SourceArn`, `aws:SourceAccount`,
    /// `aws:SourceOrgID`, `aws:SourceOrgPaths`.
    Source,
    /// Where the request comes from: `aws:SourceIp`, `aws:SourceVpc`, `aws:SourceVpce`.
    Network,
    /// Any other key (kept verbatim in [`EdgeCondition::key`]).
    Other,
}

/// The gate of a condition key (case-insensitive, as IAM reads keys).
pub fn gate_of(key: &str) -> Gate {
    let k = key.to_ascii_lowercase();
    match k.as_str() {
        "sts:externalid" => return Gate::ExternalId,
        "aws:multifactorauthpresent" | "aws:multifactorauthage" => return Gate::Mfa,
        "sts:sourceidentity" => return Gate::SourceIdentity,
        "aws:tagkeys" => return Gate::Tag,
        "aws:principalorgid" | "aws:principalorgpaths" => return Gate::Organization,
        "aws:principalarn"
        | "aws:principalaccount"
        | "aws:userid"
        | "aws:username"
        | "aws:principaltype" => return Gate::Principal,
        "aws:sourcearn" | "aws:sourceaccount" | "aws:sourceorgid" | "aws:sourceorgpaths" => {
            return Gate::Source;
        }
        "aws:sourceip" | "aws:sourcevpc" | "aws:sourcevpce" => return Gate::Network,
        _ => {}
    }
    let tag_prefixes = [
        "aws:requesttag/",
        "aws:principaltag/",
        "iam:resourcetag/",
        "aws:resourcetag/",
    ];
    if tag_prefixes.iter().any(|p| k.starts_with(p)) {
        return Gate::Tag;
    }
    // A federated provider's keys are `PROVIDER:claim` (`token.actions.githubusercontent.com:sub`,
    // `accounts.google.com:aud`, `SAML:aud`).
    match k.rsplit_once(':').map(|(_, claim)| claim) {
        Some("aud" | "oaud" | "azp") => Gate::Audience,
        Some("sub") => Gate::Subject,
        _ => Gate::Other,
    }
}

/// A statement's conditions as edge labels.
pub fn labels(entries: &[ConditionEntry]) -> Vec<EdgeCondition> {
    entries
        .iter()
        .map(|c| EdgeCondition {
            operator: c.operator.clone(),
            key: c.key.clone(),
            values: c.values.values.clone(),
            gate: gate_of(&c.key),
        })
        .collect()
}

/// Whether `condition` requires its key to have one of its values: a positive string test
/// (`StringEquals`, `StringLike`, their `ForAnyValue:`/`ForAllValues:` forms aside), without
/// `IfExists` (which lets a request without the key through) and with no value that is only
/// `*` (which any value matches).
pub fn requires_value(condition: &EdgeCondition) -> bool {
    let Some(op) = keyturn_policy::parse_operator(&condition.operator) else {
        return false;
    };
    let positive = matches!(
        op.base,
        BaseOp::StringEquals | BaseOp::StringEqualsIgnoreCase | BaseOp::StringLike
    );
    positive
        && op.qualifier.is_none()
        && !op.if_exists
        && !condition.values.is_empty()
        && condition
            .values
            .iter()
            .all(|v| !v.chars().all(|c| c == '*'))
}

/// Whether `condition` requires MFA: `Bool` `aws:MultiFactorAuthPresent` `true`, or a
/// `NumericLessThan(Equals)` bound on `aws:MultiFactorAuthAge` (without `IfExists`).
pub fn requires_mfa(condition: &EdgeCondition) -> bool {
    let op = condition.operator.to_ascii_lowercase();
    let key = condition.key.to_ascii_lowercase();
    match key.as_str() {
        "aws:multifactorauthpresent" => {
            op == "bool"
                && condition
                    .values
                    .iter()
                    .all(|v| v.eq_ignore_ascii_case("true"))
        }
        "aws:multifactorauthage" => op == "numericlessthan" || op == "numericlessthanequals",
        _ => false,
    }
}

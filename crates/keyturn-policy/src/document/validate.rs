//! Per-type validation of a parsed document.

use std::collections::HashSet;

use super::{PolicyDocument, PolicyType, PrincipalKind, PrincipalSpec, Statement};
use crate::condition::check_values;
use crate::error::PolicyError;
use crate::glob::split_arn;

/// Partitions IAM accepts in ARNs.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

pub(super) fn validate(doc: &PolicyDocument) -> Result<(), PolicyError> {
    let ty = doc.policy_type;
    let mut sids = HashSet::new();
    for (i, st) in doc.statements.iter().enumerate() {
        let loc = if doc.statement_was_object {
            "Statement".to_owned()
        } else {
            format!("Statement[{i}]")
        };
        if let Some(sid) = &st.sid
            && !sids.insert(sid.as_str())
        {
            return Err(PolicyError::malformed_at(
                "Statement IDs (SID) in a single policy must be unique.",
                format!("{loc}.Sid"),
            ));
        }
        validate_statement(st, ty, &loc)?;
    }
    Ok(())
}

fn validate_statement(st: &Statement, ty: PolicyType, loc: &str) -> Result<(), PolicyError> {
    // Principal rules.
    match ty {
        PolicyType::Identity | PolicyType::Boundary | PolicyType::Session => {
            if let Some((_, not)) = &st.principal {
                let field = if *not { "NotPrincipal" } else { "Principal" };
                return Err(PolicyError::malformed_at(
                    "Policy document should not specify a principal.",
                    format!("{loc}.{field}"),
                ));
            }
        }
        PolicyType::Scp => {
            if let Some((_, not)) = &st.principal {
                let field = if *not { "NotPrincipal" } else { "Principal" };
                return Err(PolicyError::malformed_at(
                    format!("Has prohibited field {field}"),
                    format!("{loc}.{field}"),
                ));
            }
        }
        PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp => {
            if st.principal.is_none() {
                return Err(PolicyError::malformed_at(
                    "Missing required field Principal",
                    loc.to_owned(),
                ));
            }
        }
    }
    if ty == PolicyType::Trust && st.principal.as_ref().is_some_and(|p| p.1) {
        return Err(PolicyError::malformed_at(
            "Has prohibited field NotPrincipal",
            format!("{loc}.NotPrincipal"),
        ));
    }
    if ty == PolicyType::Rcp && !matches!(st.principal, Some((PrincipalSpec::Any, false))) {
        return Err(PolicyError::malformed_at(
            "Resource control policies must specify \"Principal\": \"*\".",
            format!("{loc}.Principal"),
        ));
    }
    if let Some((spec, not)) = &st.principal {
        let field = if *not { "NotPrincipal" } else { "Principal" };
        validate_principal(spec, &format!("{loc}.{field}"))?;
    }
    // Resource rules.
    match (ty, &st.resource) {
        (PolicyType::Trust, Some((_, not))) => {
            let field = if *not { "NotResource" } else { "Resource" };
            return Err(PolicyError::malformed_at(
                format!("Has prohibited field {field}"),
                format!("{loc}.{field}"),
            ));
        }
        (PolicyType::Trust, None) => {}
        (_, None) => {
            return Err(PolicyError::malformed_at(
                "Policy statement must contain resources.",
                loc.to_owned(),
            ));
        }
        (_, Some((list, not))) => {
            let field = if *not { "NotResource" } else { "Resource" };
            if list.values.is_empty() {
                return Err(PolicyError::malformed_at(
                    "Policy statement must contain resources.",
                    loc.to_owned(),
                ));
            }
            for (j, r) in list.values.iter().enumerate() {
                validate_resource(r, &format!("{loc}.{field}[{j}]"))?;
            }
        }
    }
    // Action rules.
    let field = if st.action.1 { "NotAction" } else { "Action" };
    if st.action.0.values.is_empty() {
        return Err(PolicyError::malformed_at(
            "Policy statement must contain actions.",
            loc.to_owned(),
        ));
    }
    for (j, a) in st.action.0.values.iter().enumerate() {
        let here = format!("{loc}.{field}[{j}]");
        validate_action(a, &here)?;
        if ty == PolicyType::Trust && !(a == "*" || a.to_ascii_lowercase().starts_with("sts:")) {
            return Err(PolicyError::malformed_at(
                "AssumeRole policy may only specify STS AssumeRole actions.",
                here,
            ));
        }
    }
    // Conditions.
    for c in &st.conditions {
        let here = format!("{loc}.Condition.{}.{}", c.operator, c.key);
        if !c.key.contains(':') || c.key.starts_with(':') {
            return Err(PolicyError::malformed_at(
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
                here,
            ));
        }
        check_values(c.op, &c.values.values).map_err(|m| PolicyError::malformed_at(m, here))?;
    }
    Ok(())
}

fn validate_action(a: &str, loc: &str) -> Result<(), PolicyError> {
    if a == "*" {
        return Ok(());
    }
    let Some((vendor, name)) = a.split_once(':') else {
        return Err(PolicyError::malformed_at(
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
            loc.to_owned(),
        ));
    };
    if vendor.is_empty()
        || !vendor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(PolicyError::malformed_at(
            format!("Vendor {vendor} is not valid"),
            loc.to_owned(),
        ));
    }
    if name.is_empty() || name.contains(':') {
        return Err(PolicyError::malformed_at(
            format!("Action {a} is not valid"),
            loc.to_owned(),
        ));
    }
    Ok(())
}

fn validate_resource(r: &str, loc: &str) -> Result<(), PolicyError> {
    if r == "*" {
        return Ok(());
    }
    let parts = match split_arn(r) {
        Some(p) if p[0] == "arn" => p,
        _ => {
            return Err(PolicyError::malformed_at(
                format!("Resource {r} must be in ARN format or \"*\"."),
                loc.to_owned(),
            ));
        }
    };
    if !(parts[1] == "*" || parts[1].contains("${") || PARTITIONS.contains(&parts[1])) {
        return Err(PolicyError::malformed_at(
            format!(
                "Partition \"{}\" is not valid for resource \"{r}\".",
                parts[1]
            ),
            loc.to_owned(),
        ));
    }
    if parts[2].is_empty() || parts[2].contains(['*', '?']) {
        return Err(PolicyError::malformed_at(
            "Resource vendor must be fully qualified and cannot contain regexes.",
            loc.to_owned(),
        ));
    }
    Ok(())
}

fn invalid_principal(kind: PrincipalKind, v: &str, loc: &str) -> PolicyError {
    PolicyError::malformed_at(
        format!("Invalid principal in policy: \"{}\":\"{v}\"", kind.as_str()),
        format!("{loc}.{}", kind.as_str()),
    )
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn validate_principal(spec: &PrincipalSpec, loc: &str) -> Result<(), PolicyError> {
    let PrincipalSpec::Map(entries) = spec else {
        return Ok(());
    };
    for (kind, vals) in entries {
        if vals.is_empty() {
            return Err(invalid_principal(*kind, "", loc));
        }
        for v in vals {
            let ok = match kind {
                PrincipalKind::Aws => v == "*" || is_account_id(v) || valid_principal_arn(v),
                PrincipalKind::Service => {
                    v == "*"
                        || (!v.contains('*')
                            && !v.is_empty()
                            && v.contains('.')
                            && !v.contains(' '))
                }
                PrincipalKind::Federated => !v.is_empty() && !v.contains('*'),
                PrincipalKind::CanonicalUser => {
                    !v.is_empty() && v.bytes().all(|b| b.is_ascii_hexdigit())
                }
            };
            if !ok {
                return Err(invalid_principal(*kind, v, loc));
            }
        }
    }
    Ok(())
}

fn valid_principal_arn(v: &str) -> bool {
    let Some(p) = split_arn(v) else { return false };
    if p[0] != "arn"
        || !PARTITIONS.contains(&p[1])
        || !p[3].is_empty()
        || !is_account_id(p[4])
        || v.contains('*')
    {
        return false;
    }
    let res = p[5];
    match p[2] {
        "iam" => {
            res == "root"
                || res
                    .strip_prefix("user/")
                    .is_some_and(|n| !n.is_empty() && !n.ends_with('/'))
                || res
                    .strip_prefix("role/")
                    .is_some_and(|n| !n.is_empty() && !n.ends_with('/'))
        }
        "sts" => {
            res.strip_prefix("assumed-role/")
                .is_some_and(|n| n.split('/').count() == 2 && !n.split('/').any(str::is_empty))
                || res
                    .strip_prefix("federated-user/")
                    .is_some_and(|n| !n.is_empty() && !n.contains('/'))
        }
        _ => false,
    }
}

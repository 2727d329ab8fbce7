//! The checks after the syntax, in IAM's order: the version, the legacy parser, statement ids,
//! actions, resources, the rules of the policy type.

use std::collections::HashSet;

use serde_json::Value;

use super::{
    ParseOptions, PolicyDocument, PolicyType, PrincipalKind, PrincipalSpec, Statement, Version,
};
use crate::condition::{check_values, parse_date};
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

/// What IAM's path part of an IAM resource ARN may start with (after `arn:aws:iam::ACCOUNT:`).
const IAM_RESOURCE_PREFIXES: &[&str] = &[
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
];

/// The S3 resource types whose ARNs name a region (Service Authorization Reference, Amazon S3:
/// access points, Batch Operations jobs, Storage Lens, Access Grants); buckets and objects do not.
const S3_REGIONAL_PREFIXES: &[&str] = &[
    "accesspoint/",
    "job/",
    "storage-lens/",
    "storage-lens-group/",
    "access-grants/",
];

const LEGACY: &str = "The policy failed legacy parsing";

fn at(loc: &str, field: &str) -> String {
    format!("{loc}.{field}")
}

/// Runs the checks after the syntax, in IAM's order (see [`PolicyDocument::from_value_with`]).
/// `raw` are the statements as written, for what the AST does not keep (the effect's case).
pub(super) fn validate(
    doc: &PolicyDocument,
    raw: &[&Value],
    opts: ParseOptions,
) -> Result<(), PolicyError> {
    let ty = doc.policy_type;
    let locs: Vec<String> = (0..doc.statements.len())
        .map(|i| {
            if doc.statement_was_object {
                "Statement".to_owned()
            } else {
                format!("Statement[{i}]")
            }
        })
        .collect();
    let numbered = || doc.statements.iter().zip(&locs);
    if opts.require_current_version && doc.version != Some(Version::V2012_10_17) {
        return Err(PolicyError::malformed_at(
            "Policy document must be version 2012-10-17 or greater.",
            "Version",
        ));
    }
    for ((st, loc), item) in numbered().zip(raw) {
        legacy_statement(st, item, loc)?;
    }
    // The resources' format: the first error is kept for later; while there is none, each
    // statement's resources go through the legacy parser.
    let mut format_error = None;
    for (st, loc) in numbered() {
        let Some((list, not)) = &st.resource else {
            continue;
        };
        let field = if *not { "NotResource" } else { "Resource" };
        for (j, r) in list.values.iter().enumerate() {
            if format_error.is_none()
                && let Err(e) = resource_format(r, opts, &at(loc, &format!("{field}[{j}]")))
            {
                format_error = Some(e);
            }
        }
        if format_error.is_none()
            && let Some(j) = list.values.iter().position(|r| !legacy_resource(r))
        {
            return Err(PolicyError::malformed_at(
                LEGACY,
                at(loc, &format!("{field}[{j}]")),
            ));
        }
    }
    let mut sids = HashSet::new();
    for (st, loc) in numbered() {
        if let Some(sid) = st.sid.as_deref().filter(|s| !s.is_empty())
            && !sids.insert(sid)
        {
            return Err(PolicyError::malformed_at(
                "Statement IDs (SID) in a single policy must be unique.",
                at(loc, "Sid"),
            ));
        }
    }
    if let Some((_, loc)) = numbered().find(|(st, _)| st.action.0.values.is_empty()) {
        return Err(PolicyError::malformed_at(
            "Policy statement must contain actions.",
            loc.clone(),
        ));
    }
    if let Some(e) = format_error {
        return Err(e);
    }
    for (st, loc) in numbered() {
        let field = if st.action.1 { "NotAction" } else { "Action" };
        for (j, a) in st.action.0.values.iter().enumerate() {
            validate_action(a, &at(loc, &format!("{field}[{j}]")))?;
        }
    }
    for (st, loc) in numbered() {
        validate_statement(st, ty, loc)?;
    }
    Ok(())
}

/// The legacy parser's view of a statement: the effect exactly `Allow` or `Deny`, and dates it
/// can read (see [`crate::date`]).
fn legacy_statement(st: &Statement, raw: &Value, loc: &str) -> Result<(), PolicyError> {
    if !matches!(
        raw.get("Effect").and_then(Value::as_str),
        Some("Allow" | "Deny")
    ) {
        return Err(PolicyError::malformed_at(LEGACY, at(loc, "Effect")));
    }
    for c in st.conditions.iter().filter(|c| c.op.base.is_date()) {
        if c.values.values.iter().any(|v| parse_date(v).is_none()) {
            return Err(PolicyError::malformed_at(
                LEGACY,
                format!("{loc}.Condition.{}.{}", c.operator, c.key),
            ));
        }
    }
    Ok(())
}

/// Whether the legacy parser reads a resource: an ARN of fewer than six parts may not have an
/// empty part before its last, and the service (third part) is never empty.
fn legacy_resource(r: &str) -> bool {
    r == "*"
        || ((r.matches(':').count() >= 5 || !r.contains("::"))
            && r.split(':').nth(2).is_some_and(|s| !s.is_empty()))
}

/// The resource's format: `*` or `PREFIX:PARTITION:SERVICE[:…]`, a known partition, a service
/// without wildcards; with IAM's resource rules, IAM and S3 ARNs without a region (S3's
/// regional resource types aside) and IAM ARNs naming an IAM resource type or `*`.
fn resource_format(r: &str, opts: ParseOptions, loc: &str) -> Result<(), PolicyError> {
    if r == "*" {
        return Ok(());
    }
    let malformed = |message: String| Err(PolicyError::malformed_at(message, loc.to_owned()));
    let Some((_, rest)) = r.split_once(':') else {
        return malformed(format!("Resource {r} must be in ARN format or \"*\"."));
    };
    let (partition, after) = match rest.split_once(':') {
        Some((p, after)) => (p, Some(after)),
        None => (rest, None),
    };
    if !(partition == "*" || partition.contains("${") || PARTITIONS.contains(&partition)) {
        // IAM shows the resource as six parts, missing ones as `*`.
        let parts: Vec<&str> = after.unwrap_or("").split(':').collect();
        let part = |i: usize| match parts.get(i) {
            Some(p) if i > 0 || !p.is_empty() || parts.len() > 1 => *p,
            _ => "*",
        };
        let last = if parts.len() > 3 {
            parts[3..].join(":")
        } else {
            "*".to_owned()
        };
        return malformed(format!(
            "Partition \"{partition}\" is not valid for resource \"arn:{partition}:{}:{}:{}:{last}\".",
            part(0),
            part(1),
            part(2),
        ));
    }
    let Some(after) = after else {
        return malformed(
            "Resource vendor must be fully qualified and cannot contain regexes.".into(),
        );
    };
    let mut fields = after.splitn(4, ':');
    let service = fields.next().unwrap_or_default();
    if service.contains(['*', '?']) {
        return malformed(
            "Resource vendor must be fully qualified and cannot contain regexes.".into(),
        );
    }
    if !opts.iam_resource_rules {
        return Ok(());
    }
    let region = fields.next().unwrap_or_default();
    let resource = fields.nth(1).unwrap_or_default();
    match service {
        "iam" if !region.is_empty() => malformed(format!(
            "IAM resource {r} cannot contain region information."
        )),
        "iam"
            if resource != "*"
                && !IAM_RESOURCE_PREFIXES
                    .iter()
                    .any(|p| resource.starts_with(p)) =>
        {
            malformed(format!(
                "IAM resource path must either be \"*\" or start with {}.",
                IAM_RESOURCE_PREFIXES.join(", ")
            ))
        }
        "s3" if !region.is_empty()
            && !S3_REGIONAL_PREFIXES.iter().any(|p| resource.starts_with(p)) =>
        {
            malformed(format!("Resource {r} can not contain region information."))
        }
        _ => Ok(()),
    }
}

/// The type's rules for one statement: principals, resources present (or absent), the actions
/// a trust policy may name, the values of the conditions.
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
        (_, Some((list, _))) if list.values.is_empty() => {
            return Err(PolicyError::malformed_at(
                "Policy statement must contain resources.",
                loc.to_owned(),
            ));
        }
        (_, Some(_)) => {}
    }
    if ty == PolicyType::Trust {
        let field = if st.action.1 { "NotAction" } else { "Action" };
        for (j, a) in st.action.0.values.iter().enumerate() {
            if !(a == "*" || a.to_ascii_lowercase().starts_with("sts:")) {
                return Err(PolicyError::malformed_at(
                    "AssumeRole policy may only specify STS AssumeRole actions.",
                    at(loc, &format!("{field}[{j}]")),
                ));
            }
        }
    }
    for c in &st.conditions {
        check_values(c.op, &c.values.values).map_err(|m| {
            PolicyError::malformed_at(m, format!("{loc}.Condition.{}.{}", c.operator, c.key))
        })?;
    }
    Ok(())
}

/// An action: `*`, or `VENDOR:NAME` with one colon and a vendor of letters, digits, `-` and
/// `.` (or `*`). The name is not checked: IAM accepts actions no service has.
fn validate_action(a: &str, loc: &str) -> Result<(), PolicyError> {
    if a == "*" {
        return Ok(());
    }
    let malformed = |message: String| Err(PolicyError::malformed_at(message, loc.to_owned()));
    let Some((vendor, name)) = a.split_once(':') else {
        return malformed(
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.".into(),
        );
    };
    if name.contains(':') {
        return malformed("Actions/Condition can contain only one colon.".into());
    }
    if vendor != "*"
        && !vendor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'))
    {
        return malformed(format!("Vendor {vendor} is not valid"));
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

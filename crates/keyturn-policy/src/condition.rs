//! Condition operators: parsing, value checking, compilation and evaluation.
//!
//! Semantics: IAM User Guide, "IAM JSON policy elements: Condition operators" and "Single-valued vs.
//! multivalued context keys" (set operators and their empty-set behaviour).

use std::net::IpAddr;

use base64::Engine as _;
use ipnet::IpNet;

use crate::context::RequestContext;
use crate::glob::{ArnGlob, Glob};
use crate::vars::{Template, has_variable};

/// The operator without its qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(
    missing_docs,
    reason = "the variants are the operator names of the IAM reference"
)]
pub enum BaseOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const BASE_OPS: &[(&str, BaseOp)] = &[
    ("StringEquals", BaseOp::StringEquals),
    ("StringNotEquals", BaseOp::StringNotEquals),
    ("StringEqualsIgnoreCase", BaseOp::StringEqualsIgnoreCase),
    (
        "StringNotEqualsIgnoreCase",
        BaseOp::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", BaseOp::StringLike),
    ("StringNotLike", BaseOp::StringNotLike),
    ("NumericEquals", BaseOp::NumericEquals),
    ("NumericNotEquals", BaseOp::NumericNotEquals),
    ("NumericLessThan", BaseOp::NumericLessThan),
    ("NumericLessThanEquals", BaseOp::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOp::NumericGreaterThan),
    ("NumericGreaterThanEquals", BaseOp::NumericGreaterThanEquals),
    ("DateEquals", BaseOp::DateEquals),
    ("DateNotEquals", BaseOp::DateNotEquals),
    ("DateLessThan", BaseOp::DateLessThan),
    ("DateLessThanEquals", BaseOp::DateLessThanEquals),
    ("DateGreaterThan", BaseOp::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOp::DateGreaterThanEquals),
    ("Bool", BaseOp::Bool),
    ("BinaryEquals", BaseOp::BinaryEquals),
    ("IpAddress", BaseOp::IpAddress),
    ("NotIpAddress", BaseOp::NotIpAddress),
    ("ArnEquals", BaseOp::ArnEquals),
    ("ArnLike", BaseOp::ArnLike),
    ("ArnNotEquals", BaseOp::ArnNotEquals),
    ("ArnNotLike", BaseOp::ArnNotLike),
    ("Null", BaseOp::Null),
];

impl BaseOp {
    /// Whether the operator compares dates (`DateEquals`, `DateLessThan`, …): IAM's legacy
    /// parser reads its values.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Self::DateEquals
                | Self::DateNotEquals
                | Self::DateLessThan
                | Self::DateLessThanEquals
                | Self::DateGreaterThan
                | Self::DateGreaterThanEquals
        )
    }

    /// Whether the operator is a negation (true when no value matches, and on a missing key).
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Self::StringNotEquals
                | Self::StringNotEqualsIgnoreCase
                | Self::StringNotLike
                | Self::NumericNotEquals
                | Self::DateNotEquals
                | Self::NotIpAddress
                | Self::ArnNotEquals
                | Self::ArnNotLike
        )
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    /// `ForAllValues:`: every request value must match (true for a missing key or an empty set).
    ForAllValues,
    /// `ForAnyValue:`: at least one request value must match (false for a missing key or an empty set).
    ForAnyValue,
}

/// A full condition operator: base, set qualifier, `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionOp {
    /// The base operator.
    pub base: BaseOp,
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
    /// Whether `IfExists` was appended.
    pub if_exists: bool,
}

/// Parses an operator name as written in a policy (case-sensitive, as in the reference).
pub fn parse_operator(name: &str) -> Option<ConditionOp> {
    let (qualifier, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::ForAllValues), r)
    } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::ForAnyValue), r)
    } else {
        (None, name)
    };
    let (if_exists, rest) = match rest.strip_suffix("IfExists") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let base = BASE_OPS.iter().find(|(n, _)| *n == rest)?.1;
    if base == BaseOp::Null && (if_exists || qualifier.is_some()) {
        return None;
    }
    Some(ConditionOp {
        base,
        qualifier,
        if_exists,
    })
}

/// Parses a number of a `Numeric…` condition.
fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Parses a date of a `Date…` condition (see [`crate::date`]); nanoseconds since the epoch.
pub(crate) fn parse_date(s: &str) -> Option<i128> {
    crate::date::parse(s)
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_net(s: &str) -> Option<IpNet> {
    let t = s.trim();
    if let Ok(n) = t.parse::<IpNet>() {
        return Some(n.trunc());
    }
    t.parse::<IpAddr>().ok().map(IpNet::from)
}

fn parse_binary(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
}

/// Checks the values of a condition for its operator (dates apart: see [`BaseOp::is_date`]);
/// the error is the message to report. An empty list is no error: IAM accepts it, and the
/// condition then matches no value.
pub(crate) fn check_values(op: ConditionOp, values: &[String]) -> Result<(), String> {
    let name = BASE_OPS
        .iter()
        .find(|(_, b)| *b == op.base)
        .map_or("", |(n, _)| *n);
    let bad =
        |v: &str, what: &str| Err(format!("Invalid {what} for condition operator {name}: {v}"));
    for v in values {
        let invalid = match op.base {
            BaseOp::NumericEquals
            | BaseOp::NumericNotEquals
            | BaseOp::NumericLessThan
            | BaseOp::NumericLessThanEquals
            | BaseOp::NumericGreaterThan
            | BaseOp::NumericGreaterThanEquals => parse_number(v).is_none().then_some("number"),
            // Dates are the legacy parser's (`BaseOp::is_date`), checked before everything else.
            BaseOp::Bool | BaseOp::Null => parse_bool(v).is_none().then_some("boolean"),
            BaseOp::IpAddress | BaseOp::NotIpAddress => {
                parse_net(v).is_none().then_some("IP address or CIDR block")
            }
            BaseOp::BinaryEquals => parse_binary(v).is_none().then_some("base64 value"),
            _ => None,
        };
        if let Some(what) = invalid {
            return bad(v, what);
        }
    }
    Ok(())
}

/// Pre-parsed condition values.
#[derive(Debug, Clone)]
enum Vals {
    Exact(Box<[Box<str>]>),
    /// Lowercased.
    IgnoreCase(Box<[Box<str>]>),
    Like(Box<[Glob]>),
    Arn(Box<[ArnGlob]>),
    /// Values with policy variables, resolved per request.
    Dynamic(Box<[Template]>),
    Num(Box<[f64]>),
    Date(Box<[i128]>),
    Bool(bool),
    Binary(Box<[Vec<u8>]>),
    Ip(Box<[IpNet]>),
    /// `Null`: true means "the key must be absent".
    Null(bool),
}

/// A compiled condition (one operator, one key).
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    key: Box<str>,
    op: ConditionOp,
    vals: Vals,
}

impl Condition {
    /// The request keys (lowercase) the condition reads: its own key and those of the policy
    /// variables in its values.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        let vars: &[Template] = match &self.vals {
            Vals::Dynamic(t) => t,
            _ => &[],
        };
        std::iter::once(&*self.key).chain(vars.iter().flat_map(Template::keys))
    }

    /// Compiles a checked condition; `variables` says whether `${…}` is substituted (2012-10-17).
    pub(crate) fn compile(op: ConditionOp, key: &str, values: &[String], variables: bool) -> Self {
        let key = key.to_ascii_lowercase().into_boxed_str();
        let string_op = matches!(
            op.base,
            BaseOp::StringEquals
                | BaseOp::StringNotEquals
                | BaseOp::StringEqualsIgnoreCase
                | BaseOp::StringNotEqualsIgnoreCase
                | BaseOp::StringLike
                | BaseOp::StringNotLike
                | BaseOp::ArnEquals
                | BaseOp::ArnLike
                | BaseOp::ArnNotEquals
                | BaseOp::ArnNotLike
        );
        if string_op && variables && values.iter().any(|v| has_variable(v)) {
            let templates: Vec<Template> = values
                .iter()
                .map(|v| Template::parse(v).unwrap_or_else(|| Template::text(v)))
                .collect();
            return Self {
                key,
                op,
                vals: Vals::Dynamic(templates.into_boxed_slice()),
            };
        }
        let vals = match op.base {
            BaseOp::StringEquals | BaseOp::StringNotEquals => {
                Vals::Exact(values.iter().map(|v| v.as_str().into()).collect())
            }
            BaseOp::StringEqualsIgnoreCase | BaseOp::StringNotEqualsIgnoreCase => Vals::IgnoreCase(
                values
                    .iter()
                    .map(|v| v.to_lowercase().into_boxed_str())
                    .collect(),
            ),
            BaseOp::StringLike | BaseOp::StringNotLike => {
                Vals::Like(values.iter().map(|v| Glob::new(v)).collect())
            }
            BaseOp::ArnEquals | BaseOp::ArnLike | BaseOp::ArnNotEquals | BaseOp::ArnNotLike => {
                // A value that is not an ARN pattern can never match: drop it.
                Vals::Arn(values.iter().filter_map(|v| ArnGlob::new(v)).collect())
            }
            BaseOp::NumericEquals
            | BaseOp::NumericNotEquals
            | BaseOp::NumericLessThan
            | BaseOp::NumericLessThanEquals
            | BaseOp::NumericGreaterThan
            | BaseOp::NumericGreaterThanEquals => {
                Vals::Num(values.iter().filter_map(|v| parse_number(v)).collect())
            }
            BaseOp::DateEquals
            | BaseOp::DateNotEquals
            | BaseOp::DateLessThan
            | BaseOp::DateLessThanEquals
            | BaseOp::DateGreaterThan
            | BaseOp::DateGreaterThanEquals => {
                Vals::Date(values.iter().filter_map(|v| parse_date(v)).collect())
            }
            // No value at all: nothing can match.
            BaseOp::Bool | BaseOp::Null if values.is_empty() => Vals::Exact(Box::default()),
            BaseOp::Bool => Vals::Bool(values.first().and_then(|v| parse_bool(v)).unwrap_or(false)),
            BaseOp::BinaryEquals => {
                Vals::Binary(values.iter().filter_map(|v| parse_binary(v)).collect())
            }
            BaseOp::IpAddress | BaseOp::NotIpAddress => {
                Vals::Ip(values.iter().filter_map(|v| parse_net(v)).collect())
            }
            BaseOp::Null => Vals::Null(values.first().and_then(|v| parse_bool(v)).unwrap_or(false)),
        };
        Self { key, op, vals }
    }

    /// Evaluates the condition against the request.
    pub(crate) fn evaluate(&self, ctx: &RequestContext) -> bool {
        let present = ctx.get_lower(&self.key).filter(|v| !v.is_empty());
        if let Vals::Null(must_be_absent) = self.vals {
            return must_be_absent == present.is_none();
        }
        let negated = self.op.base.is_negated();
        let Some(values) = present else {
            // Missing key (or empty set).
            return match self.op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => self.op.if_exists,
                None => self.op.if_exists || negated,
            };
        };
        // Values with variables: resolve once per evaluation (the uncommon path allocates).
        let resolved;
        let dynamic = match &self.vals {
            Vals::Dynamic(ts) => {
                let r: Option<Vec<Resolved>> = ts
                    .iter()
                    .map(|t| Resolved::new(t, self.op.base, ctx))
                    .collect();
                match r {
                    Some(r) => {
                        resolved = r;
                        Some(resolved.as_slice())
                    }
                    // A variable whose key is missing: the statement does not match.
                    None => return false,
                }
            }
            _ => None,
        };
        let pos = |v: &str| match dynamic {
            Some(r) => r.iter().any(|x| x.matches(v)),
            None => self.positive_match(v),
        };
        match self.op.qualifier {
            Some(SetQualifier::ForAllValues) => values.iter().all(|v| pos(v) != negated),
            Some(SetQualifier::ForAnyValue) => values.iter().any(|v| pos(v) != negated),
            None => values.iter().any(|v| pos(v)) != negated,
        }
    }

    /// Whether one request value matches one of the policy values, for the operator's positive form
    /// (`StringNotEquals` → `StringEquals`).
    fn positive_match(&self, v: &str) -> bool {
        match &self.vals {
            Vals::Exact(xs) => xs.iter().any(|x| **x == *v),
            Vals::IgnoreCase(xs) => xs
                .iter()
                .any(|x| x.len() == v.len() && **x == *v.to_lowercase()),
            Vals::Like(gs) => gs.iter().any(|g| g.matches(v)),
            Vals::Arn(gs) => gs.iter().any(|g| g.matches(v)),
            Vals::Num(ns) => {
                let Some(n) = parse_number(v) else {
                    return false;
                };
                ns.iter().any(|x| compare(self.op.base, n.partial_cmp(x)))
            }
            Vals::Date(ds) => {
                let Some(d) = parse_date(v) else { return false };
                ds.iter().any(|x| compare(self.op.base, Some(d.cmp(x))))
            }
            Vals::Bool(b) => parse_bool(v) == Some(*b),
            Vals::Binary(bs) => parse_binary(v).is_some_and(|d| bs.contains(&d)),
            Vals::Ip(nets) => v
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| nets.iter().any(|n| n.contains(&ip))),
            Vals::Dynamic(_) | Vals::Null(_) => false,
        }
    }
}

/// A template resolved for one request, ready to match.
enum Resolved {
    Text(String),
    Lower(String),
    Like(Glob),
    Arn(ArnGlob),
    Never,
}

impl Resolved {
    fn new(t: &Template, base: BaseOp, ctx: &RequestContext) -> Option<Self> {
        Some(match base {
            BaseOp::StringEquals | BaseOp::StringNotEquals => Self::Text(t.resolve(ctx)?),
            BaseOp::StringEqualsIgnoreCase | BaseOp::StringNotEqualsIgnoreCase => {
                Self::Lower(t.resolve(ctx)?.to_lowercase())
            }
            BaseOp::StringLike | BaseOp::StringNotLike => {
                Self::Like(Glob::from_toks(t.resolve_toks(ctx)?))
            }
            _ => match crate::vars::arn_from_toks(t.resolve_toks(ctx)?) {
                Some(a) => Self::Arn(a),
                None => Self::Never,
            },
        })
    }

    fn matches(&self, v: &str) -> bool {
        match self {
            Self::Text(t) => t == v,
            Self::Lower(t) => eq_lowered(t, v),
            Self::Like(g) => g.matches(v),
            Self::Arn(a) => a.matches(v),
            Self::Never => false,
        }
    }
}

/// Whether `v`, lowercased, equals `lower` (already lowercase), without allocating.
fn eq_lowered(lower: &str, v: &str) -> bool {
    if v.is_ascii() {
        return lower.len() == v.len()
            && lower
                .bytes()
                .zip(v.bytes())
                .all(|(a, b)| a == b.to_ascii_lowercase());
    }
    lower.chars().eq(v.chars().flat_map(char::to_lowercase))
}

fn compare(base: BaseOp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let Some(o) = ord else { return false };
    match base {
        BaseOp::NumericEquals
        | BaseOp::NumericNotEquals
        | BaseOp::DateEquals
        | BaseOp::DateNotEquals => o == Equal,
        BaseOp::NumericLessThan | BaseOp::DateLessThan => o == Less,
        BaseOp::NumericLessThanEquals | BaseOp::DateLessThanEquals => o != Greater,
        BaseOp::NumericGreaterThan | BaseOp::DateGreaterThan => o == Greater,
        BaseOp::NumericGreaterThanEquals | BaseOp::DateGreaterThanEquals => o != Less,
        _ => false,
    }
}

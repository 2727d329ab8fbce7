//! The policy document: JSON → validated AST, and back to JSON.
//!
//! Grammar: IAM User Guide, "Grammar of the IAM JSON policy language" and "IAM JSON policy
//! elements reference". Validation per [`PolicyType`] follows what IAM, STS and Organizations accept.

use serde_json::{Map, Value};

use crate::condition::{ConditionOp, parse_operator};
use crate::error::PolicyError;

mod validate;

/// The kind of policy a document is, which decides what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyType {
    /// An identity-based policy (inline or managed) of a user, group or role.
    Identity,
    /// A resource-based policy (bucket policy, key policy, …): must name a principal.
    Resource,
    /// A role trust policy: names principals, only `sts:` actions, no `Resource`.
    Trust,
    /// A permissions boundary (a managed policy used as a boundary).
    Boundary,
    /// A session policy passed to `AssumeRole*` or `GetFederationToken`.
    Session,
    /// An Organizations service control policy.
    Scp,
    /// An Organizations resource control policy.
    Rcp,
}

impl PolicyType {
    /// The name used in messages and on the command line (`identity`, `trust`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Resource => "resource",
            Self::Trust => "trust",
            Self::Boundary => "boundary",
            Self::Session => "session",
            Self::Scp => "scp",
            Self::Rcp => "rcp",
        }
    }

    /// The layer's name in explanations ("identity-based policy", "permissions boundary", …).
    pub fn layer_name(self) -> &'static str {
        match self {
            Self::Identity => "identity-based policy",
            Self::Resource => "resource-based policy",
            Self::Trust => "role trust policy",
            Self::Boundary => "permissions boundary",
            Self::Session => "session policy",
            Self::Scp => "service control policy",
            Self::Rcp => "resource control policy",
        }
    }

    /// Parses `identity|resource|trust|boundary|session|scp|rcp` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "identity" => Self::Identity,
            "resource" => Self::Resource,
            "trust" => Self::Trust,
            "boundary" => Self::Boundary,
            "session" => Self::Session,
            "scp" => Self::Scp,
            "rcp" => Self::Rcp,
            _ => return None,
        })
    }

    /// The default size limit in characters, whitespace not counted (IAM and Organizations quotas):
    /// managed policy and boundary 6,144; trust 2,048; session 2,048; SCP and RCP 5,120; resource
    /// policies have service-specific limits, so none here. Inline policies have their own limits:
    /// see [`limits`].
    pub fn default_size_limit(self) -> Option<usize> {
        match self {
            Self::Identity | Self::Boundary => Some(limits::MANAGED),
            Self::Trust => Some(limits::TRUST),
            Self::Session => Some(limits::SESSION),
            Self::Scp | Self::Rcp => Some(limits::ORGANIZATIONS),
            Self::Resource => None,
        }
    }
}

/// Size quotas in characters (whitespace not counted), from the IAM and Organizations quotas pages.
pub mod limits {
    /// Inline policies of a user, all together.
    pub const INLINE_USER: usize = 2_048;
    /// Inline policies of a role, all together.
    pub const INLINE_ROLE: usize = 10_240;
    /// Inline policies of a group, all together.
    pub const INLINE_GROUP: usize = 5_120;
    /// A managed policy.
    pub const MANAGED: usize = 6_144;
    /// A role trust policy (default quota).
    pub const TRUST: usize = 2_048;
    /// A session policy (plaintext).
    pub const SESSION: usize = 2_048;
    /// A service or resource control policy.
    pub const ORGANIZATIONS: usize = 5_120;
}

/// Options for [`PolicyDocument::parse_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// What kind of policy the document is.
    pub policy_type: PolicyType,
    /// Maximum size in characters, whitespace not counted; `None` for no limit.
    pub max_size: Option<usize>,
    /// Whether the document must say `"Version": "2012-10-17"`, as IAM requires of a managed
    /// policy ("Policy document must be version 2012-10-17 or greater.", checked right after the
    /// syntax).
    pub require_current_version: bool,
    /// Whether IAM's rules for the resources of the policies it stores apply (an IAM or S3 ARN
    /// without a region, S3's regional resource types aside; an IAM ARN naming an IAM resource
    /// type), as they do to the identity policies written through IAM's API. AWS's own managed
    /// policies, written past that API, do not follow them (`arn:aws:iam::*:root`).
    pub iam_resource_rules: bool,
}

impl ParseOptions {
    /// Options for `policy_type` with its default size limit.
    pub fn new(policy_type: PolicyType) -> Self {
        Self {
            policy_type,
            max_size: policy_type.default_size_limit(),
            require_current_version: false,
            iam_resource_rules: false,
        }
    }

    /// The same options with IAM's resource rules (an identity policy written through IAM).
    pub fn with_iam_resource_rules(mut self) -> Self {
        self.iam_resource_rules = true;
        self
    }

    /// The same options, requiring the 2012-10-17 language (a managed policy).
    pub fn requiring_current_version(mut self) -> Self {
        self.require_current_version = true;
        self
    }

    /// The same options with another size limit (`None`: unlimited).
    pub fn with_max_size(mut self, max_size: Option<usize>) -> Self {
        self.max_size = max_size;
        self
    }
}

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `2012-10-17`: policy variables are substituted.
    V2012_10_17,
    /// `2008-10-17`, or no `Version`: `${...}` is literal text.
    V2008_10_17,
}

impl Version {
    /// Whether policy variables are substituted in this version.
    pub fn has_variables(self) -> bool {
        self == Self::V2012_10_17
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// The kinds of principal in a `Principal` map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalKind {
    /// `AWS`: accounts, users, roles, sessions.
    Aws,
    /// `Federated`: SAML or OIDC providers.
    Federated,
    /// `Service`: AWS service principals.
    Service,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// The JSON key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::Federated => "Federated",
            Self::Service => "Service",
            Self::CanonicalUser => "CanonicalUser",
        }
    }
}

/// The value of `Principal` / `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSpec {
    /// `"*"`: everyone.
    Any,
    /// `{"AWS": [...], "Service": [...], ...}`.
    Map(Vec<(PrincipalKind, Vec<String>)>),
}

/// A JSON string or array of strings, remembering which it was (for faithful re-serialisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringList {
    /// The values.
    pub values: Vec<String>,
    /// Whether the JSON was an array.
    pub was_array: bool,
}

/// One condition: operator, key, values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionEntry {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub operator: String,
    /// The parsed operator.
    pub op: ConditionOp,
    /// The condition key as written.
    pub key: String,
    /// The values, as strings (numbers and booleans in JSON become their text).
    pub values: StringList,
}

/// A statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `Sid`.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` or `NotPrincipal` (with `true` for the latter).
    pub principal: Option<(PrincipalSpec, bool)>,
    /// `Action` or `NotAction` (with `true` for the latter).
    pub action: (StringList, bool),
    /// `Resource` or `NotResource` (with `true` for the latter); absent in trust policies.
    pub resource: Option<(StringList, bool)>,
    /// `Condition`, flattened in document order.
    pub conditions: Vec<ConditionEntry>,
}

/// A parsed, validated policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// `Version`, if given.
    pub version: Option<Version>,
    /// `Id`.
    pub id: Option<String>,
    /// The statements.
    pub statements: Vec<Statement>,
    /// Whether `Statement` was a single object rather than an array.
    pub statement_was_object: bool,
    /// The type the document was validated as.
    pub policy_type: PolicyType,
}

fn syntax(loc: impl Into<String>) -> PolicyError {
    PolicyError::malformed_at("Syntax errors in policy.", loc)
}

impl PolicyDocument {
    /// Parses and validates `text` as a policy of `policy_type`, with its default size limit.
    pub fn parse(text: &str, policy_type: PolicyType) -> Result<Self, PolicyError> {
        Self::parse_with(text, ParseOptions::new(policy_type))
    }

    /// Parses and validates `text` with explicit options.
    pub fn parse_with(text: &str, opts: ParseOptions) -> Result<Self, PolicyError> {
        // IAM accepts tab, LF, CR and U+0020..U+00FF only.
        if let Some(bad) = text
            .chars()
            .find(|c| !matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
        {
            return Err(PolicyError::malformed_at(
                "Syntax errors in policy.",
                format!("invalid character U+{:04X}", u32::from(bad)),
            ));
        }
        if let Some(max) = opts.max_size {
            let size = text.chars().filter(|c| !c.is_whitespace()).count();
            if size > max {
                return Err(PolicyError::malformed(format!(
                    "Cannot exceed quota for PolicySize: {max}"
                )));
            }
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            PolicyError::malformed_at(
                "Syntax errors in policy.",
                format!("line {} column {}", e.line(), e.column()),
            )
        })?;
        Self::from_value_with(&value, opts)
    }

    /// Validates an already-parsed JSON value as a policy of `policy_type` (no size limit).
    pub fn from_value(value: &Value, policy_type: PolicyType) -> Result<Self, PolicyError> {
        Self::from_value_with(value, ParseOptions::new(policy_type))
    }

    /// Validates an already-parsed JSON value with `opts` (its size limit aside).
    ///
    /// The checks run in IAM's order, so the error is the first IAM reports: the syntax (every
    /// shape and type, "Syntax errors in policy."), the version a managed policy needs, the
    /// legacy parser, unique statement ids, actions present, the resources' format, the
    /// actions' vendors, then the rules of the policy type.
    pub fn from_value_with(value: &Value, opts: ParseOptions) -> Result<Self, PolicyError> {
        let policy_type = opts.policy_type;
        let obj = value.as_object().ok_or_else(|| syntax("document"))?;
        let mut version = None;
        let mut id = None;
        let mut statement = None;
        for (k, v) in obj {
            match k.as_str() {
                "Version" => {
                    version = Some(match v.as_str() {
                        Some("2012-10-17") => Version::V2012_10_17,
                        Some("2008-10-17") => Version::V2008_10_17,
                        _ => return Err(syntax("Version")),
                    })
                }
                "Id" => id = Some(v.as_str().ok_or_else(|| syntax("Id"))?.to_owned()),
                "Statement" => statement = Some(v),
                other => return Err(syntax(other.to_owned())),
            }
        }
        let statement = statement.ok_or_else(|| syntax("Statement"))?;
        let (items, statement_was_object): (Vec<&Value>, bool) = match statement {
            Value::Array(a) => (a.iter().collect(), false),
            Value::Object(_) => (vec![statement], true),
            _ => return Err(syntax("Statement")),
        };
        if items.is_empty() {
            return Err(syntax("Statement"));
        }
        let mut statements = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let loc = if statement_was_object {
                "Statement".to_owned()
            } else {
                format!("Statement[{i}]")
            };
            let obj = item.as_object().ok_or_else(|| syntax(loc.clone()))?;
            statements.push(parse_statement(obj, &loc)?);
        }
        let doc = Self {
            version,
            id,
            statements,
            statement_was_object,
            policy_type,
        };
        validate::validate(&doc, &items, opts)?;
        Ok(doc)
    }

    /// The effective version (`None` counts as 2008-10-17).
    pub fn effective_version(&self) -> Version {
        self.version.unwrap_or(Version::V2008_10_17)
    }

    /// Serialises back to JSON (strings stay strings, arrays stay arrays).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(v) = self.version {
            let s = match v {
                Version::V2012_10_17 => "2012-10-17",
                Version::V2008_10_17 => "2008-10-17",
            };
            m.insert("Version".into(), Value::from(s));
        }
        if let Some(id) = &self.id {
            m.insert("Id".into(), Value::from(id.as_str()));
        }
        let stmts: Vec<Value> = self.statements.iter().map(Statement::to_json).collect();
        let st = match (self.statement_was_object, stmts.as_slice()) {
            (true, [one]) => one.clone(),
            _ => Value::Array(stmts),
        };
        m.insert("Statement".into(), st);
        Value::Object(m)
    }
}

fn list_json(l: &StringList) -> Value {
    match (l.was_array, l.values.as_slice()) {
        (false, [one]) => Value::from(one.as_str()),
        _ => Value::Array(l.values.iter().map(|s| Value::from(s.as_str())).collect()),
    }
}

impl Statement {
    /// Serialises the statement back to JSON.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(sid) = &self.sid {
            m.insert("Sid".into(), Value::from(sid.as_str()));
        }
        m.insert(
            "Effect".into(),
            Value::from(if self.effect == Effect::Allow {
                "Allow"
            } else {
                "Deny"
            }),
        );
        if let Some((p, not)) = &self.principal {
            let v = match p {
                PrincipalSpec::Any => Value::from("*"),
                PrincipalSpec::Map(entries) => {
                    let mut pm = Map::new();
                    for (k, vals) in entries {
                        let v = match vals.as_slice() {
                            [one] => Value::from(one.as_str()),
                            _ => {
                                Value::Array(vals.iter().map(|s| Value::from(s.as_str())).collect())
                            }
                        };
                        pm.insert(k.as_str().into(), v);
                    }
                    Value::Object(pm)
                }
            };
            m.insert(if *not { "NotPrincipal" } else { "Principal" }.into(), v);
        }
        m.insert(
            if self.action.1 { "NotAction" } else { "Action" }.into(),
            list_json(&self.action.0),
        );
        if let Some((r, not)) = &self.resource {
            m.insert(
                if *not { "NotResource" } else { "Resource" }.into(),
                list_json(r),
            );
        }
        if !self.conditions.is_empty() {
            let mut cm = Map::new();
            for c in &self.conditions {
                let entry = cm
                    .entry(c.operator.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(km) = entry {
                    km.insert(c.key.clone(), list_json(&c.values));
                }
            }
            m.insert("Condition".into(), Value::Object(cm));
        }
        Value::Object(m)
    }
}

/// A string or a list of strings. IAM lets a list hold `null`s in `Action` and `Resource` and
/// their negations (`nulls`), and skips them.
fn string_list(v: &Value, loc: &str, nulls: bool) -> Result<StringList, PolicyError> {
    match v {
        Value::String(s) => Ok(StringList {
            values: vec![s.clone()],
            was_array: false,
        }),
        Value::Array(a) => {
            let mut values = Vec::with_capacity(a.len());
            for (i, x) in a.iter().enumerate() {
                match x {
                    Value::String(s) => values.push(s.clone()),
                    Value::Null if nulls => {}
                    _ => return Err(syntax(format!("{loc}[{i}]"))),
                }
            }
            Ok(StringList {
                values,
                was_array: true,
            })
        }
        _ => Err(syntax(loc.to_owned())),
    }
}

/// Condition values may be strings, numbers or booleans (IAM keeps their text).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn condition_values(v: &Value, loc: &str) -> Result<StringList, PolicyError> {
    match v {
        Value::Array(a) => {
            let mut values = Vec::with_capacity(a.len());
            for (i, x) in a.iter().enumerate() {
                values.push(scalar_text(x).ok_or_else(|| syntax(format!("{loc}[{i}]")))?);
            }
            Ok(StringList {
                values,
                was_array: true,
            })
        }
        other => Ok(StringList {
            values: vec![scalar_text(other).ok_or_else(|| syntax(loc.to_owned()))?],
            was_array: false,
        }),
    }
}

fn parse_principal(v: &Value, loc: &str) -> Result<PrincipalSpec, PolicyError> {
    match v {
        Value::String(s) if s == "*" => Ok(PrincipalSpec::Any),
        Value::Object(m) => {
            let mut entries = Vec::with_capacity(m.len());
            for (k, vals) in m {
                let kind = match k.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Federated" => PrincipalKind::Federated,
                    "Service" => PrincipalKind::Service,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    other => {
                        return Err(PolicyError::malformed_at(
                            format!("Invalid principal in policy: \"{other}\""),
                            format!("{loc}.{other}"),
                        ));
                    }
                };
                let list = string_list(vals, &format!("{loc}.{k}"), false)?;
                entries.push((kind, list.values));
            }
            if entries.is_empty() {
                return Err(syntax(loc.to_owned()));
            }
            Ok(PrincipalSpec::Map(entries))
        }
        Value::String(s) => Err(PolicyError::malformed_at(
            format!("Invalid principal in policy: \"{s}\""),
            loc.to_owned(),
        )),
        _ => Err(syntax(loc.to_owned())),
    }
}

fn parse_statement(obj: &Map<String, Value>, loc: &str) -> Result<Statement, PolicyError> {
    let mut sid = None;
    let mut effect = None;
    let mut principal = None;
    let mut action = None;
    let mut resource = None;
    let mut conditions = Vec::new();
    for (k, v) in obj {
        let here = format!("{loc}.{k}");
        match k.as_str() {
            "Sid" => sid = Some(v.as_str().ok_or_else(|| syntax(here))?.to_owned()),
            // The syntax takes the effect in any case; the legacy parser then wants it exact.
            "Effect" => {
                effect = Some(match v.as_str() {
                    Some(e) if e.eq_ignore_ascii_case("Allow") => Effect::Allow,
                    Some(e) if e.eq_ignore_ascii_case("Deny") => Effect::Deny,
                    _ => return Err(syntax(here)),
                })
            }
            "Principal" | "NotPrincipal" => {
                if principal.is_some() {
                    return Err(syntax(here));
                }
                principal = Some((parse_principal(v, &here)?, k == "NotPrincipal"));
            }
            "Action" | "NotAction" => {
                if action.is_some() {
                    return Err(syntax(here));
                }
                action = Some((string_list(v, &here, true)?, k == "NotAction"));
            }
            "Resource" | "NotResource" => {
                if resource.is_some() {
                    return Err(syntax(here));
                }
                resource = Some((string_list(v, &here, true)?, k == "NotResource"));
            }
            "Condition" => {
                let ops = v.as_object().ok_or_else(|| syntax(here.clone()))?;
                for (op_name, keys) in ops {
                    let oloc = format!("{here}.{op_name}");
                    let keys = keys.as_object().ok_or_else(|| syntax(oloc.clone()))?;
                    // An operator IAM does not know is a syntax error, unless it tests nothing.
                    let Some(op) = parse_operator(op_name) else {
                        if keys.is_empty() {
                            continue;
                        }
                        return Err(syntax(oloc));
                    };
                    for (key, vals) in keys {
                        let kloc = format!("{oloc}.{key}");
                        let values = condition_values(vals, &kloc)?;
                        conditions.push(ConditionEntry {
                            operator: op_name.clone(),
                            op,
                            key: key.clone(),
                            values,
                        });
                    }
                }
            }
            _ => return Err(syntax(here)),
        }
    }
    let effect = effect.ok_or_else(|| syntax(format!("{loc}.Effect")))?;
    // No action is not a syntax error: IAM reports it later, as an empty list.
    let action = action.unwrap_or_else(|| {
        let none = StringList {
            values: Vec::new(),
            was_array: true,
        };
        (none, false)
    });
    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

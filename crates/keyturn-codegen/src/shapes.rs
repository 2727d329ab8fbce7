//! Shapes → Rust: one struct per structure reachable from a listed operation, its Query
//! decoding and validation (input side) and its XML writing (output side).

mod code;
mod groups;
mod table;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::Model;
use crate::names::{type_name, upper_snake};
use crate::patterns::pattern_row;
pub use table::Constraints;

/// Member orders AWS actually sends where they differ from the model: these members first, in
/// this order, then the others in model order. Observed in AWS's responses (and kept by the
/// hand-written writer before the generator): AssumeRole and its SAML and web-identity
/// variants send `AssumedRoleUser` before `Credentials`; GetCallerIdentity sends `Arn`,
/// `UserId`, `Account`. The simulation results follow the sample responses of IAM's API
/// reference (SimulatePrincipalPolicy, SimulateCustomPolicy): `IsTruncated` before
/// `EvaluationResults`; an `EvaluationResult` from its details to its action name, then its
/// resource-specific results; a `Statement` with its id, end, type and start; a `Position`
/// column before line.
pub const XML_ORDER: &[(&str, &str, &[&str])] = &[
    (
        "sts",
        "AssumeRoleResponse",
        &["AssumedRoleUser", "Credentials"],
    ),
    (
        "sts",
        "AssumeRoleWithSAMLResponse",
        &["AssumedRoleUser", "Credentials"],
    ),
    (
        "sts",
        "AssumeRoleWithWebIdentityResponse",
        &["AssumedRoleUser", "Credentials"],
    ),
    (
        "sts",
        "GetCallerIdentityResponse",
        &["Arn", "UserId", "Account"],
    ),
    (
        "iam",
        "SimulatePolicyResponse",
        &["IsTruncated", "EvaluationResults"],
    ),
    (
        "iam",
        "EvaluationResult",
        &[
            "EvalDecisionDetails",
            "PermissionsBoundaryDecisionDetail",
            "MatchedStatements",
            "MissingContextValues",
            "EvalResourceName",
            "EvalDecision",
            "EvalActionName",
            "ResourceSpecificResults",
        ],
    ),
    (
        "iam",
        "Statement",
        &[
            "SourcePolicyId",
            "EndPosition",
            "SourcePolicyType",
            "StartPosition",
        ],
    ),
    ("iam", "Position", &["Column", "Line"]),
];

/// Structures that a list-size message shows by name only (Java's default `toString`), as the
/// hand-written validator did for AWS's `providedContexts` text; the others show
/// `Name(member=value, …)` like `Tag(key=k, value=v)`.
pub const SHOWN_AS_NAME: &[&str] = &["ProvidedContext"];

/// Names a struct may not take: they would shadow the prelude in the generated modules.
const RESERVED: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "Default",
];

/// One listed operation.
pub struct Op {
    /// The action.
    pub name: String,
    /// The input struct's name.
    pub input: String,
    /// The input shape, if the model has one.
    pub input_shape: Option<String>,
    /// The output shape; `None` when the model has none.
    pub output: Option<String>,
}

/// The generated code of one service, unformatted.
pub struct ServiceCode {
    /// The entries of `rt::shapes!` (structs sharing one member table), in the discovery order
    /// of their first struct.
    pub items: Vec<String>,
    /// The service module's `rt::groups!` (the member runs that several tables share), empty
    /// when there are none.
    pub groups: String,
    /// The actions.
    pub actions: Vec<String>,
}

pub(crate) struct Gen<'m> {
    pub(crate) m: &'m Model,
    input_reach: BTreeSet<String>,
    output_reach: BTreeSet<String>,
    /// Structures in discovery order.
    structs: Vec<String>,
    pub(crate) constraint_names: BTreeMap<String, String>,
    checks: HashMap<String, bool>,
    pub(crate) needs_shown: BTreeSet<String>,
}

/// Generates the code of `ops` of model `m`;
///
/// # Errors
/// An unknown operation or shape, an unsupported construct, a name clash.
/// `patterns` holds the distinct patterns of the services generated so far (the constraints
/// name them `p::PATTERN_n`, n from 1 in that list), `constraints` their constraints (the
/// rules name them `c::NAME`); `m`'s new ones are added.
pub fn generate(
    m: &Model,
    ops: &[String],
    patterns: &mut Vec<String>,
    constraints: &mut Constraints,
) -> Result<ServiceCode, String> {
    let mut list = Vec::new();
    for op in ops {
        let input_shape = m.io(op, "input")?.map(str::to_owned);
        let input = match &input_shape {
            Some(s) => type_name(s),
            None => {
                let name = format!("{op}Request");
                if m.shapes()?.contains_key(&name) {
                    return Err(format!(
                        "{}: {op} has no input and {name} is a shape",
                        m.service
                    ));
                }
                name
            }
        };
        // An action without an output answers with `keyturn_api::NoOutput`.
        let output = m.io(op, "output")?.map(str::to_owned);
        list.push(Op {
            name: op.clone(),
            input,
            input_shape,
            output,
        });
    }
    let mut g = Gen {
        m,
        input_reach: BTreeSet::new(),
        output_reach: BTreeSet::new(),
        structs: Vec::new(),
        constraint_names: BTreeMap::new(),
        checks: HashMap::new(),
        needs_shown: BTreeSet::new(),
    };
    for op in &list {
        if let Some(i) = &op.input_shape {
            g.walk(i, true)?;
        }
    }
    for op in &list {
        if let Some(o) = &op.output {
            g.walk(o, false)?;
        }
    }
    let mut names = BTreeSet::new();
    for s in &g.structs {
        let t = type_name(s);
        if RESERVED.contains(&t.as_str()) || !names.insert(t.clone()) {
            return Err(format!("{}: struct name {t} clashes", m.service));
        }
    }
    for op in &list {
        if op.input_shape.is_none() && !names.insert(op.input.clone()) {
            return Err(format!("{}: struct name {} clashes", m.service, op.input));
        }
    }
    g.constraints(patterns, constraints)?;
    // `needs_shown` (the structures a list-size message shows) is known once every member's
    // rule is: compute them before writing the items.
    for s in g.structs.clone() {
        if g.input_reach.contains(&s) {
            for mm in m.members(&s)? {
                g.rule(mm.shape)?;
            }
        }
    }
    let mut pieces = Vec::new();
    for s in g.structs.clone() {
        pieces.push(g.item(&s, &list)?);
    }
    for op in list.iter().filter(|o| o.input_shape.is_none()) {
        pieces.push(g.synthetic_input(op));
    }
    let families = shared_tables(&pieces);
    let mut tables: Vec<(Vec<String>, Vec<code::Entry>)> = families
        .iter()
        .map(|f| (f.iter().map(|p| p.name.clone()).collect(), code::table(f)))
        .collect();
    let groups = groups::extract(&mut tables);
    Ok(ServiceCode {
        items: families
            .iter()
            .zip(&tables)
            .map(|(f, (_, t))| code::render(f, t))
            .collect(),
        groups: groups::render(&groups),
        actions: list.iter().map(|o| o.name.clone()).collect(),
    })
}

impl Gen<'_> {
    fn walk(&mut self, shape: &str, input: bool) -> Result<(), String> {
        let set = if input {
            &mut self.input_reach
        } else {
            &mut self.output_reach
        };
        if !set.insert(shape.to_owned()) {
            return Ok(());
        }
        match self.m.kind(shape)? {
            "structure" => {
                if !self.structs.iter().any(|s| s == shape) {
                    self.structs.push(shape.to_owned());
                }
                let targets: Vec<String> = self
                    .m
                    .members(shape)?
                    .iter()
                    .map(|mm| mm.shape.to_owned())
                    .collect();
                for t in targets {
                    self.walk(&t, input)?;
                }
            }
            "list" => {
                let e = self.m.element(shape, "member")?.to_owned();
                self.walk(&e, input)?;
            }
            "map" => {
                let k = self.m.element(shape, "key")?.to_owned();
                let v = self.m.element(shape, "value")?.to_owned();
                self.walk(&k, input)?;
                self.walk(&v, input)?;
            }
            "string" | "integer" | "long" | "boolean" | "timestamp" | "blob" => {}
            other => {
                return Err(format!(
                    "{}: {shape}: type {other} unsupported",
                    self.m.service
                ));
            }
        }
        Ok(())
    }

    /// The Rust type of a value of `shape`.
    pub(crate) fn rust_type(&self, shape: &str) -> Result<String, String> {
        Ok(match self.m.kind(shape)? {
            "string" if self.m.secret(shape) => "crate::SecretString".to_owned(),
            "string" => "String".to_owned(),
            "integer" => "i32".to_owned(),
            "long" => "i64".to_owned(),
            "boolean" => "bool".to_owned(),
            "timestamp" => "time::OffsetDateTime".to_owned(),
            "blob" => "Vec<u8>".to_owned(),
            "list" => format!("Vec<{}>", self.rust_type(self.m.element(shape, "member")?)?),
            "map" => {
                let value = self.m.element(shape, "value")?;
                let v = self.rust_type(value)?;
                // A structure value decodes through the runtime's newtype (see rt::Structured).
                let v = if self.m.kind(value)? == "structure" {
                    format!("rt::Structured<{v}>")
                } else {
                    v
                };
                format!(
                    "Vec<({}, {v})>",
                    self.rust_type(self.m.element(shape, "key")?)?
                )
            }
            "structure" => type_name(shape),
            other => {
                return Err(format!(
                    "{}: {shape}: type {other} unsupported",
                    self.m.service
                ));
            }
        })
    }

    /// Whether a value of `shape` has constraints of its own (length, range, pattern, enum).
    fn constrained(&self, shape: &str) -> bool {
        let s = &self.m.json["shapes"][shape];
        ["min", "max", "pattern", "enum"]
            .iter()
            .any(|k| s.get(*k).is_some())
    }

    /// Whether validating a value of `shape` checks anything.
    pub(crate) fn has_checks(&mut self, shape: &str) -> Result<bool, String> {
        if let Some(&b) = self.checks.get(shape) {
            return Ok(b);
        }
        // A cycle checks nothing more than its first pass.
        self.checks.insert(shape.to_owned(), false);
        let b = match self.m.kind(shape)? {
            "string" | "integer" | "long" => self.constrained(shape),
            "list" => {
                let e = self.m.element(shape, "member")?.to_owned();
                self.constrained(shape) || self.has_checks(&e)?
            }
            "structure" => {
                let targets: Vec<String> = self
                    .m
                    .members(shape)?
                    .iter()
                    .map(|mm| mm.shape.to_owned())
                    .collect();
                let mut any = false;
                for t in targets {
                    any |= self.has_checks(&t)?;
                }
                any
            }
            _ => false,
        };
        self.checks.insert(shape.to_owned(), b);
        Ok(b)
    }

    /// Adds the constraints of the input shapes that have constraints to `table` (the one
    /// table of both services, `constraints.rs`), over the distinct patterns of both services
    /// (`patterns`, written once in `patterns.rs` by [`patterns_file`]).
    fn constraints(
        &mut self,
        patterns: &mut Vec<String>,
        table: &mut Constraints,
    ) -> Result<(), String> {
        for shape in self.input_reach.clone() {
            let kind = self.m.kind(&shape)?;
            if !matches!(kind, "string" | "integer" | "long" | "list") || !self.constrained(&shape)
            {
                continue;
            }
            let s = &self.m.json["shapes"][shape.as_str()];
            let num = |k: &str| match s[k].as_i64() {
                Some(n) => format!("Some({n})"),
                None => "None".to_owned(),
            };
            let mut value = format!("range({}, {})", num("min"), num("max"));
            if let Some(p) = s["pattern"].as_str() {
                let i = match patterns.iter().position(|q| q == p) {
                    Some(i) => i,
                    None => {
                        patterns.push(p.to_owned());
                        patterns.len() - 1
                    }
                };
                value.push_str(&format!(".matching(p::PATTERN_{})", i + 1));
            }
            if let Some(a) = s["enum"].as_array() {
                let v: Vec<String> = a
                    .iter()
                    .filter_map(|x| x.as_str())
                    .map(|x| format!("{x:?}"))
                    .collect();
                value.push_str(&format!(".one_of(&[{}])", v.join(", ")));
            }
            if self.m.sensitive(&shape) {
                value.push_str(".sensitive()");
            }
            let name = table.add(self.m.service, &shape, &upper_snake(&shape), value);
            self.constraint_names.insert(shape, name);
        }
        Ok(())
    }
}

/// `patterns.rs`, unformatted: the distinct patterns of both services, each written once.
///
/// # Errors
/// A pattern that is neither one character class nor a known custom one.
pub fn patterns_file(patterns: &[String]) -> Result<String, String> {
    let mut out = String::from(
        "//! The distinct patterns of the STS and IAM constraints, each written once.\n",
    );
    out.push_str(crate::HEADER);
    out.push_str("use crate::rt;\n\nrt::patterns! {\n");
    for (i, p) in patterns.iter().enumerate() {
        out.push_str(&format!(
            "    /// `{p}`.\n    PATTERN_{} = {};\n",
            i + 1,
            pattern_row(p)?
        ));
    }
    out.push_str("}\n");
    Ok(out)
}

/// The structures of `pieces` with equal member tables together, at the place of the first
/// of them.
fn shared_tables(pieces: &[code::Piece]) -> Vec<Vec<&code::Piece>> {
    let mut groups: Vec<Vec<&code::Piece>> = Vec::new();
    let mut by_table: HashMap<String, usize> = HashMap::new();
    for p in pieces {
        let at = p.table_key().and_then(|k| match by_table.get(&k) {
            Some(&i) => Some(i),
            None => {
                by_table.insert(k, groups.len());
                None
            }
        });
        match at.and_then(|i| groups.get_mut(i)) {
            Some(g) => g.push(p),
            None => groups.push(vec![p]),
        }
    }
    groups
}

/// `text` as a Rust string literal, raw when it can be.
pub(crate) fn raw(text: &str) -> String {
    if text.contains("\"#") || text.contains('\n') {
        format!("{text:?}")
    } else {
        format!("r#\"{text}\"#")
    }
}

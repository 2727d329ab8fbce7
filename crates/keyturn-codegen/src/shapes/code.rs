//! The code of one structure: an entry of `rt::shapes!` with the struct, its members' names
//! and rules, and its roles (decoding and validation, XML writing, the `Input` / `Output` of
//! the operations that use it); structures with equal members share one member table.

use super::{Gen, Op, SHOWN_AS_NAME, XML_ORDER};
use crate::model::{Member, Model};
use crate::names::{lower_camel, snake, type_name};

/// One structure as the generator writes it: its header (docs, name, roles), its member
/// table, and the closure that shows it in list-size messages. Structures with equal member
/// tables share one table in the output ([`render`]).
pub(crate) struct Piece {
    /// The struct's documentation.
    doc: String,
    /// The struct's name.
    pub(crate) name: String,
    /// The roles, space-separated.
    roles: String,
    /// Per member: its documentation and its table line.
    members: Vec<(String, String)>,
    /// The `shown` closure, for structures shown in list-size messages.
    shown: Option<String>,
}

impl Piece {
    /// The member table without its documentation: what structures must share to share it
    /// (names, types, wire and message names, rules). A structure with a `shown` closure,
    /// which names its type, keeps a table of its own.
    pub(crate) fn table_key(&self) -> Option<String> {
        if self.shown.is_some() {
            return None;
        }
        let lines: Vec<&str> = self.members.iter().map(|(_, l)| l.as_str()).collect();
        Some(lines.join("\n"))
    }
}

/// A member's documentation in a shared table: the same for every structure, or each
/// structure's own (its name, its text).
pub(crate) enum Docs {
    /// One text for all.
    Same(String),
    /// Per structure.
    Each(Vec<(String, String)>),
}

impl Docs {
    /// The documentation of `texts` (per structure): one text when they are all the same.
    pub(crate) fn of(texts: Vec<(String, String)>) -> Self {
        match texts.first() {
            Some((_, first)) if texts.iter().all(|(_, d)| d == first) => Self::Same(first.clone()),
            _ => Self::Each(texts),
        }
    }

    /// Each structure's text, the structures being `names` where all have the same.
    pub(crate) fn each(self, names: &[String]) -> Vec<(String, String)> {
        match self {
            Self::Same(d) => names.iter().map(|n| (n.clone(), d.clone())).collect(),
            Self::Each(texts) => texts,
        }
    }

    /// The doc comment lines of a member.
    pub(crate) fn lines(&self) -> String {
        match self {
            Self::Same(doc) => format!("        /// {doc}\n"),
            Self::Each(texts) => texts
                .iter()
                .map(|(name, d)| format!("        /// - `{name}`: {d}\n"))
                .collect(),
        }
    }
}

/// An entry of a member table: a member (its documentation and its line), or a group of
/// members declared once (`groups.rs`).
pub(crate) enum Entry {
    /// One member.
    Member(Docs, String),
    /// A group, by name.
    Group(String),
}

/// The member table of structures sharing one (`pieces`, non-empty, with equal
/// [`Piece::table_key`]s); a member documented differently by the structures has each text.
pub(crate) fn table(pieces: &[&Piece]) -> Vec<Entry> {
    let Some(first) = pieces.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, (_, line)) in first.members.iter().enumerate() {
        let mut docs: Vec<(String, String)> = Vec::new();
        for p in pieces {
            if let Some((d, _)) = p.members.get(k) {
                docs.push((p.name.clone(), d.clone()));
            }
        }
        out.push(Entry::Member(Docs::of(docs), line.clone()));
    }
    out
}

/// The `rt::shapes!` entry of structures sharing the member table `table` (`pieces`,
/// non-empty): each struct's header, the last one opening the table.
pub(crate) fn render(pieces: &[&Piece], table: &[Entry]) -> String {
    let mut out = String::new();
    for (i, p) in pieces.iter().enumerate() {
        let end = if i + 1 == pieces.len() { " {" } else { ";" };
        out.push_str(&format!(
            "    /// {}\n    pub struct {} [{}]{end}",
            p.doc, p.name, p.roles
        ));
        out.push('\n');
    }
    let Some(first) = pieces.first() else {
        return out;
    };
    if table.is_empty() {
        // `{` then `}`: an empty table.
        out.truncate(out.len() - 1);
        out.push_str("}\n");
        return out;
    }
    for entry in table {
        match entry {
            Entry::Member(docs, line) => {
                out.push_str(&docs.lines());
                out.push_str(&format!("        {line}\n"));
            }
            Entry::Group(name) => out.push_str(&format!("        ..{name},\n")),
        }
    }
    out.push_str("    }");
    if let Some(shown) = &first.shown {
        out.push_str(&format!(" shown({shown})"));
    }
    out.push('\n');
    out
}

impl Gen<'_> {
    /// The [`Piece`] of `shape`: the struct, its docs, one line per member (type, wire name,
    /// and on the input side the message name and rule), and its roles.
    pub(crate) fn item(&mut self, shape: &str, ops: &[Op]) -> Result<Piece, String> {
        let t = type_name(shape);
        let input = self.input_reach.contains(shape);
        let members = ordered_members(self.m, shape, input)?;
        let doc = self
            .m
            .doc(shape)
            .unwrap_or_else(|| format!("The `{shape}` shape of the model."));
        let mut roles = Vec::new();
        if input {
            roles.push("input".to_owned());
        }
        if self.output_reach.contains(shape) {
            roles.push("output".to_owned());
        }
        for op in ops
            .iter()
            .filter(|o| o.input_shape.as_deref() == Some(shape))
        {
            roles.push(self.input_role(op)?);
        }
        if ops.iter().any(|o| o.output.as_deref() == Some(shape)) {
            roles.push("Output".to_owned());
        }
        let mut rows = Vec::new();
        for mm in &members {
            let doc = mm
                .doc
                .map(crate::names::first_sentence)
                .filter(|d| !d.is_empty())
                .or_else(|| self.m.doc(mm.shape))
                .unwrap_or_else(|| format!("The `{}` member.", mm.name));
            let ty = self.rust_type(mm.shape)?;
            let ty = if mm.required {
                ty
            } else {
                format!("Option<{ty}>")
            };
            let wire = mm.name;
            let names = if input {
                if matches!(self.m.kind(mm.shape)?, "list" | "map") {
                    self.decodable_collection(mm.shape)?;
                }
                let rule = match self.rule(mm.shape)? {
                    Some(r) => format!(" => {r}"),
                    None => String::new(),
                };
                format!("{wire:?} {:?}{rule}", lower_camel(wire))
            } else {
                format!("{wire:?}")
            };
            rows.push((doc, format!("{}: {ty} = {names},", snake(wire))));
        }
        let shown = if input && self.needs_shown.contains(shape) {
            Some(self.shown(shape)?)
        } else {
            None
        };
        Ok(Piece {
            doc,
            name: t,
            roles: roles.join(" "),
            members: rows,
            shown,
        })
    }

    /// An operation without an input shape: an empty struct named `<Op>Request`.
    pub(crate) fn synthetic_input(&self, op: &Op) -> Piece {
        Piece {
            doc: format!(
                "The input of `{}` (the model has none: no parameters).",
                op.name
            ),
            name: op.input.clone(),
            roles: format!("input {}", self.input_trait(op, &[])),
            members: Vec::new(),
            shown: None,
        }
    }

    /// The `Input(…)` role of `op`'s input structure.
    fn input_role(&self, op: &Op) -> Result<String, String> {
        let Some(shape) = &op.input_shape else {
            return Ok(String::new());
        };
        let sensitive: Vec<String> = self
            .m
            .members(shape)?
            .iter()
            .filter(|mm| self.m.secret(mm.shape))
            .map(|mm| mm.name.to_owned())
            .collect();
        Ok(self.input_trait(op, &sensitive))
    }

    /// The `Input("Action", Service, [sensitive…])` role.
    fn input_trait(&self, op: &Op, sensitive: &[String]) -> String {
        let list: Vec<String> = sensitive.iter().map(|s| format!("{s:?}")).collect();
        format!(
            "Input({:?}, {}, [{}])",
            op.name,
            self.m.variant,
            list.join(", ")
        )
    }

    /// Fails for the collections the Query decoder does not support: a list of lists or maps,
    /// a map whose key is not a scalar or whose value is a list or a map.
    fn decodable_collection(&self, shape: &str) -> Result<(), String> {
        let scalar = |k: &str| !matches!(k, "list" | "map" | "structure");
        let ok = if self.m.kind(shape)? == "map" {
            scalar(self.m.kind(self.m.element(shape, "key")?)?)
                && !matches!(
                    self.m.kind(self.m.element(shape, "value")?)?,
                    "list" | "map"
                )
        } else {
            !matches!(
                self.m.kind(self.m.element(shape, "member")?)?,
                "list" | "map"
            )
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{}: {shape}: a list of lists or maps, or a map of other than scalars to scalars or structures, is unsupported",
                self.m.service
            ))
        }
    }

    /// The `rt::Rule` of a member of `shape` (its constraints), `None` when nothing is checked.
    pub(crate) fn rule(&mut self, shape: &str) -> Result<Option<String>, String> {
        if !self.has_checks(shape)? {
            return Ok(None);
        }
        let c = |g: &Self, s: &str| g.constraint_names.get(s).map(|n| format!("&c::{n}"));
        Ok(match self.m.kind(shape)? {
            "string" | "integer" | "long" => c(self, shape),
            "structure" => Some("()".to_owned()),
            "list" => {
                let e = self.m.element(shape, "member")?.to_owned();
                let own = c(self, shape);
                if own.is_some() && self.m.kind(&e)? == "structure" {
                    self.needs_shown.insert(e.clone());
                }
                let each = match self.m.kind(&e)? {
                    "string" | "integer" | "long" => c(self, &e),
                    _ => None,
                };
                Some(match (own, each) {
                    (Some(o), Some(e)) => format!("({o}, {e})"),
                    (Some(o), None) => o,
                    (None, Some(e)) => format!("((), {e})"),
                    (None, None) => "()".to_owned(),
                })
            }
            _ => None,
        })
    }

    /// The `shown` closure of an input structure: the structure in a list-size message.
    pub(crate) fn shown(&self, shape: &str) -> Result<String, String> {
        let t = type_name(shape);
        let body = if SHOWN_AS_NAME.contains(&shape) {
            format!("|_: &{t}| {t:?}.to_owned()")
        } else {
            let mut fmt = Vec::new();
            let mut args = Vec::new();
            for mm in self.m.members(shape)? {
                let f = snake(mm.name);
                let kind = self.m.kind(mm.shape)?;
                let (spec, arg) = match (kind, mm.required, self.m.secret(mm.shape)) {
                    (_, _, true) => ("{}", "\"*** Sensitive Data Redacted ***\"".to_owned()),
                    ("string", true, _) => ("{}", format!("v.{f}")),
                    ("string", false, _) => ("{}", format!("v.{f}.as_deref().unwrap_or(\"null\")")),
                    _ => ("{:?}", format!("v.{f}")),
                };
                fmt.push(format!("{}={spec}", lower_camel(mm.name)));
                args.push(arg);
            }
            format!(
                "|v: &{t}| format!(\"{t}({})\", {})",
                fmt.join(", "),
                args.join(", ")
            )
        };
        Ok(body)
    }
}

/// The members of `shape` in the order the struct lists them: the model's, or for an
/// output structure in [`XML_ORDER`] AWS's (never for an input structure, whose decoding
/// order is the model's).
fn ordered_members<'m>(m: &'m Model, shape: &str, input: bool) -> Result<Vec<Member<'m>>, String> {
    let mut members = m.members(shape)?;
    if let Some((_, _, first)) = XML_ORDER
        .iter()
        .find(|(svc, s, _)| *svc == m.service && *s == shape)
    {
        if input {
            return Err(format!(
                "{}: {shape} has an XML order and is an input",
                m.service
            ));
        }
        members.sort_by_key(|mm| {
            first
                .iter()
                .position(|f| *f == mm.name)
                .unwrap_or(first.len())
        });
    }
    Ok(members)
}

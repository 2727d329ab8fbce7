//! The code of one structure: the struct, its decoding, validation and XML writing, and the
//! `Input` / `Output` implementations of the operations that use it.

use super::{Gen, Op, SHOWN_AS_NAME, XML_ORDER};
use crate::names::{lower_camel, snake, type_name};

impl Gen<'_> {
    /// The struct of `shape` with all its impls.
    pub(crate) fn item(&mut self, shape: &str, ops: &[Op]) -> Result<String, String> {
        let t = type_name(shape);
        let members = self.m.members(shape)?;
        let mut s = String::new();
        let doc = self
            .m
            .doc(shape)
            .unwrap_or_else(|| format!("The `{shape}` shape of the model."));
        s.push_str(&format!("/// {doc}\n"));
        let manual_default = members
            .iter()
            .any(|mm| mm.required && self.m.kind(mm.shape).ok() == Some("timestamp"));
        s.push_str(if manual_default {
            "#[derive(Debug, Clone, PartialEq)]\n"
        } else {
            "#[derive(Debug, Clone, PartialEq, Default)]\n"
        });
        s.push_str(&format!("pub struct {t} {{\n"));
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
            s.push_str(&format!(
                "    /// {doc}\n    pub {}: {ty},\n",
                snake(mm.name)
            ));
        }
        s.push_str("}\n\n");
        if manual_default {
            s.push_str(&format!(
                "impl Default for {t} {{\n    fn default() -> Self {{\n        Self {{\n"
            ));
            for mm in &members {
                let v = if mm.required && self.m.kind(mm.shape)? == "timestamp" {
                    "time::OffsetDateTime::UNIX_EPOCH"
                } else {
                    "Default::default()"
                };
                s.push_str(&format!("            {}: {v},\n", snake(mm.name)));
            }
            s.push_str("        }\n    }\n}\n\n");
        }
        if self.input_reach.contains(shape) {
            s.push_str(&self.input_shape_impl(shape)?);
        }
        if self.output_reach.contains(shape) {
            s.push_str(&self.write_impl(shape)?);
        }
        for op in ops
            .iter()
            .filter(|o| o.input_shape.as_deref() == Some(shape))
        {
            s.push_str(&self.input_impl(op)?);
        }
        if ops.iter().any(|o| o.output.as_deref() == Some(shape)) {
            s.push_str(&format!("rt::output!({t});\n\n"));
        }
        Ok(s)
    }

    /// An operation without an input shape: an empty struct named `<Op>Request`.
    pub(crate) fn synthetic_input(&self, op: &Op) -> String {
        let t = &op.input;
        let mut s = format!(
            "/// The input of `{}` (the model has none: no parameters).\n#[derive(Debug, Clone, PartialEq, Default)]\npub struct {t} {{}}\n\n",
            op.name
        );
        s.push_str(&format!("rt::input_shape! {{ {t} {{}} }}\n\n"));
        s.push_str(&self.input_trait(op, &[]));
        s
    }

    fn input_impl(&self, op: &Op) -> Result<String, String> {
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

    /// `impl Input`, through the runtime's macro.
    fn input_trait(&self, op: &Op, sensitive: &[String]) -> String {
        let list: Vec<String> = sensitive.iter().map(|s| format!("{s:?}")).collect();
        format!(
            "rt::input!({}, {:?}, {}, [{}]);\n\n",
            op.input,
            op.name,
            self.m.variant,
            list.join(", ")
        )
    }

    /// `impl rt::InputShape`, through the runtime's macro: a table of one line per member (its
    /// wire and message names, and its rule when it has checks).
    fn input_shape_impl(&mut self, shape: &str) -> Result<String, String> {
        let t = type_name(shape);
        let members = self.m.members(shape)?;
        let mut rows = String::new();
        for mm in &members {
            let wire = mm.name;
            let lower = lower_camel(wire);
            if matches!(self.m.kind(mm.shape)?, "list" | "map") {
                self.decodable_collection(mm.shape)?;
            }
            let rule = match self.rule(mm.shape)? {
                Some(r) => format!(" => {r}"),
                None => String::new(),
            };
            rows.push_str(&format!(
                "        {}: {wire:?} {lower:?}{rule},\n",
                snake(wire)
            ));
        }
        let shown = if self.needs_shown.contains(shape) {
            format!("; shown = {}", self.shown(shape)?)
        } else {
            String::new()
        };
        Ok(if rows.is_empty() {
            format!("rt::input_shape! {{ {t} {{}}{shown} }}\n\n")
        } else {
            format!("rt::input_shape! {{\n    {t} {{\n{rows}    }}{shown}\n}}\n\n")
        })
    }

    /// Fails for the collections the Query decoder does not support: a list of lists or maps,
    /// a map of other than scalars.
    fn decodable_collection(&self, shape: &str) -> Result<(), String> {
        let scalar = |k: &str| !matches!(k, "list" | "map" | "structure");
        let ok = if self.m.kind(shape)? == "map" {
            scalar(self.m.kind(self.m.element(shape, "key")?)?)
                && scalar(self.m.kind(self.m.element(shape, "value")?)?)
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
                "{}: {shape}: a list of lists or maps, or a map of non-scalars, is unsupported",
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

    /// The `shown` closure of `rt::input_shape!`: a structure in a list-size message.
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

    /// `impl rt::OutputShape`, through the runtime's macro: one line per member, in AWS's order.
    fn write_impl(&self, shape: &str) -> Result<String, String> {
        let t = type_name(shape);
        let mut members = self.m.members(shape)?;
        if let Some((_, _, first)) = XML_ORDER
            .iter()
            .find(|(svc, s, _)| *svc == self.m.service && *s == shape)
        {
            members.sort_by_key(|mm| {
                first
                    .iter()
                    .position(|f| *f == mm.name)
                    .unwrap_or(first.len())
            });
        }
        let mut rows = String::new();
        for mm in &members {
            self.rust_type(mm.shape)?;
            rows.push_str(&format!("        {}: {:?},\n", snake(mm.name), mm.name));
        }
        Ok(if rows.is_empty() {
            format!("rt::output_shape! {{ {t} {{}} }}\n\n")
        } else {
            format!("rt::output_shape! {{\n    {t} {{\n{rows}    }}\n}}\n\n")
        })
    }
}

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
        if ops.iter().any(|o| o.output == shape) {
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
        s.push_str(&format!(
            "impl rt::InputShape for {t} {{\n    fn decode(_s: &rt::Scope<'_>, _at: rt::At<'_>) -> Result<Self, crate::ApiError> {{\n        Ok(Self {{}})\n    }}\n}}\n\n"
        ));
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

    /// `impl rt::InputShape`: one line per member to decode it and, if it has checks, one to
    /// validate it; the runtime's member types do the rest.
    fn input_shape_impl(&mut self, shape: &str) -> Result<String, String> {
        let t = type_name(shape);
        let members = self.m.members(shape)?;
        let mut fields = String::new();
        let mut checks = String::new();
        for mm in &members {
            let wire = mm.name;
            let lower = lower_camel(wire);
            let kind = self.m.kind(mm.shape)?;
            if matches!(kind, "list" | "map") {
                self.decodable_collection(mm.shape)?;
            }
            fields.push_str(&format!(
                "            {}: s.field(at, {wire:?}, {lower:?})?,\n",
                snake(wire)
            ));
            if let Some(rule) = self.rule(mm.shape)? {
                checks.push_str(&format!(
                    "        f.check(at, {lower:?}, &self.{}, {rule});\n",
                    snake(wire)
                ));
            }
        }
        let decode = if members.is_empty() {
            "    fn decode(_s: &rt::Scope<'_>, _at: rt::At<'_>) -> Result<Self, crate::ApiError> {\n        Ok(Self {})\n    }\n".to_owned()
        } else {
            format!(
                "    fn decode(s: &rt::Scope<'_>, at: rt::At<'_>) -> Result<Self, crate::ApiError> {{\n        Ok(Self {{\n{fields}        }})\n    }}\n"
            )
        };
        let validate = if checks.is_empty() {
            String::new()
        } else {
            format!(
                "\n    fn validate_into(&self, at: rt::At<'_>, f: &mut rt::Failures) {{\n{checks}    }}\n"
            )
        };
        let shown = if self.needs_shown.contains(shape) {
            format!("\n{}", self.shown(shape)?)
        } else {
            String::new()
        };
        Ok(format!(
            "impl rt::InputShape for {t} {{\n{decode}{validate}{shown}}}\n\n"
        ))
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

    /// `fn shown` of `rt::InputShape`: a structure in a list-size message.
    pub(crate) fn shown(&self, shape: &str) -> Result<String, String> {
        let t = type_name(shape);
        let body = if SHOWN_AS_NAME.contains(&shape) {
            format!("{t:?}.to_owned()")
        } else {
            let mut fmt = Vec::new();
            let mut args = Vec::new();
            for mm in self.m.members(shape)? {
                let f = snake(mm.name);
                let kind = self.m.kind(mm.shape)?;
                let (spec, arg) = match (kind, mm.required, self.m.secret(mm.shape)) {
                    (_, _, true) => ("{}", "\"*** Sensitive Data Redacted ***\"".to_owned()),
                    ("string", true, _) => ("{}", format!("self.{f}")),
                    ("string", false, _) => {
                        ("{}", format!("self.{f}.as_deref().unwrap_or(\"null\")"))
                    }
                    _ => ("{:?}", format!("self.{f}")),
                };
                fmt.push(format!("{}={spec}", lower_camel(mm.name)));
                args.push(arg);
            }
            format!("format!(\"{t}({})\", {})", fmt.join(", "), args.join(", "))
        };
        Ok(format!(
            "    fn shown(&self) -> String {{\n        {body}\n    }}\n"
        ))
    }

    /// `impl rt::OutputShape`: one line per member, in AWS's order.
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
        let mut body = String::new();
        for mm in &members {
            self.rust_type(mm.shape)?;
            body.push_str(&format!(
                "        w.member({:?}, &self.{});\n",
                mm.name,
                snake(mm.name)
            ));
        }
        if body.is_empty() {
            body.push_str("        let _ = w;\n");
        }
        Ok(format!(
            "impl rt::OutputShape for {t} {{\n    fn write_members(&self, w: &mut crate::XmlWriter) {{\n{body}    }}\n}}\n\n"
        ))
    }
}

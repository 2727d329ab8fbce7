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
            s.push_str(&self.decode_impl(shape)?);
            s.push_str(&self.validate_impl(shape)?);
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
            s.push_str(&format!(
                "impl crate::Output for {t} {{\n    fn write_xml(&self, w: &mut crate::XmlWriter) {{\n        self.write_members(w);\n    }}\n}}\n\n"
            ));
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
            "impl {t} {{\n    pub(crate) fn decode(_s: &rt::Scope<'_>, _at: rt::At<'_>) -> Result<Self, crate::ApiError> {{\n        Ok(Self {{}})\n    }}\n\n    pub(crate) fn validate_into(&self, _at: rt::At<'_>, _f: &mut rt::Failures) {{}}\n}}\n\n"
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

    fn input_trait(&self, op: &Op, sensitive: &[String]) -> String {
        let list: Vec<String> = sensitive.iter().map(|s| format!("{s:?}")).collect();
        format!(
            "impl crate::Input for {t} {{\n    const ACTION: &'static str = {a:?};\n    const SERVICE: crate::Service = crate::Service::{v};\n    const SENSITIVE: &'static [&'static str] = &[{l}];\n\n    fn from_query(p: &crate::Params<'_>) -> Result<Self, crate::ApiError> {{\n        let input = Self::decode(&rt::Scope::top(p), rt::At::Root)?;\n        crate::Input::validate(&input)?;\n        Ok(input)\n    }}\n\n    fn validate(&self) -> Result<(), crate::ApiError> {{\n        let mut f = rt::Failures::default();\n        self.validate_into(rt::At::Root, &mut f);\n        f.finish()\n    }}\n}}\n\n",
            t = op.input,
            a = op.name,
            v = self.m.variant,
            l = list.join(", ")
        )
    }

    /// A scalar conversion of `v: &str`: (expression, whether it returns a `Result`).
    fn conv(&self, shape: &str, wire: &str) -> Result<(String, bool), String> {
        Ok(match self.m.kind(shape)? {
            "string" if self.m.secret(shape) => ("crate::SecretString::from(v)".to_owned(), false),
            "string" => ("v.to_owned()".to_owned(), false),
            "integer" => (format!("rt::parse_int(v, {wire:?})"), true),
            "long" => (format!("rt::parse_long(v, {wire:?})"), true),
            "boolean" => (format!("rt::parse_bool(v, {wire:?})"), true),
            "timestamp" => (format!("rt::parse_time(v, {wire:?})"), true),
            "blob" => (format!("rt::parse_blob(v, {wire:?})"), true),
            other => return Err(format!("{}: {shape}: no scalar {other}", self.m.service)),
        })
    }

    /// `Option<T>` of scalar `name` of scope `scope` (`?` applied).
    fn scalar_opt(
        &self,
        shape: &str,
        scope: &str,
        name: &str,
        wire: &str,
    ) -> Result<String, String> {
        let (c, fallible) = self.conv(shape, wire)?;
        Ok(match (c.as_str(), fallible) {
            ("v.to_owned()", _) => format!("{scope}.get({name:?}).map(str::to_owned)"),
            ("crate::SecretString::from(v)", _) => {
                format!("{scope}.get({name:?}).map(crate::SecretString::from)")
            }
            (_, true) => format!("{scope}.get({name:?}).map(|v| {c}).transpose()?"),
            (_, false) => format!("{scope}.get({name:?}).map(|v| {c})"),
        })
    }

    fn decode_impl(&mut self, shape: &str) -> Result<String, String> {
        let t = type_name(shape);
        let members = self.m.members(shape)?;
        let mut fields = String::new();
        for mm in &members {
            let wire = mm.name;
            let lower = lower_camel(wire);
            let kind = self.m.kind(mm.shape)?;
            let opt = match kind {
                "structure" => format!(
                    "s.structure({wire:?}).map(|sub| {}::decode(&sub, rt::At::Member(&at, {lower:?}))).transpose()?",
                    type_name(mm.shape)
                ),
                "list" | "map" => self.list_decode(mm.shape, wire, &lower)?,
                _ => self.scalar_opt(mm.shape, "s", wire, wire)?,
            };
            let value = if mm.required {
                format!("{opt}.ok_or_else(|| rt::missing(at, {wire:?}, {lower:?}))?")
            } else {
                opt
            };
            fields.push_str(&format!("            {}: {value},\n", snake(wire)));
        }
        let unused = if members.is_empty() {
            "let _ = (s, at);\n        "
        } else if !fields.contains("(at,") && !fields.contains("&at,") {
            "let _ = at;\n        "
        } else {
            ""
        };
        Ok(format!(
            "impl {t} {{\n    pub(crate) fn decode(s: &rt::Scope<'_>, at: rt::At<'_>) -> Result<Self, crate::ApiError> {{\n        {unused}Ok(Self {{\n{fields}        }})\n    }}\n}}\n\n"
        ))
    }

    /// `Option<Vec<T>>` of list or map member `wire` (`?` applied).
    fn list_decode(&self, shape: &str, wire: &str, lower: &str) -> Result<String, String> {
        if self.m.kind(shape)? == "map" {
            let k = self.m.element(shape, "key")?;
            let v = self.m.element(shape, "value")?;
            let kc = self.scalar_opt(k, "e", "key", wire)?;
            let vc = self.scalar_opt(v, "e", "value", wire)?;
            return Ok(format!(
                "rt::list(s, {wire:?}, \".entry.\", |e, _i| Ok(match ({kc}, {vc}) {{ (Some(k), Some(v)) => Some((k, v)), _ => None }}))?"
            ));
        }
        let e = self.m.element(shape, "member")?;
        Ok(match self.m.kind(e)? {
            "structure" => format!(
                "{{ let at_m = rt::At::Member(&at, {lower:?}); rt::list(s, {wire:?}, \".member.\", |e, i| {}::decode(e, rt::At::Index(&at_m, i)).map(Some))? }}",
                type_name(e)
            ),
            "list" | "map" => {
                return Err(format!(
                    "{}: {shape}: a list of lists or maps is unsupported",
                    self.m.service
                ));
            }
            _ => format!(
                "rt::list(s, {wire:?}, \".member.\", |e, _i| Ok({}))?",
                self.scalar_opt(e, "e", "", wire)?
            ),
        })
    }

    fn validate_impl(&mut self, shape: &str) -> Result<String, String> {
        let t = type_name(shape);
        let mut body = String::new();
        for mm in self.m.members(shape)? {
            let at = format!("rt::At::Member(&at, {:?})", lower_camel(mm.name));
            let Some(check) = self.check(mm.shape, "v", &at, 0)? else {
                continue;
            };
            let field = snake(mm.name);
            if mm.required {
                body.push_str(&format!("        {{ let v = &self.{field}; {check} }}\n"));
            } else {
                body.push_str(&format!(
                    "        if let Some(v) = &self.{field} {{ {check} }}\n"
                ));
            }
        }
        if body.is_empty() {
            body.push_str("        let _ = (at, f);\n");
        }
        Ok(format!(
            "impl {t} {{\n    pub(crate) fn validate_into(&self, at: rt::At<'_>, f: &mut rt::Failures) {{\n{body}    }}\n}}\n\n"
        ))
    }

    /// The checks of a value `var` (a reference) of `shape` at `at`, if any.
    fn check(
        &mut self,
        shape: &str,
        var: &str,
        at: &str,
        depth: usize,
    ) -> Result<Option<String>, String> {
        if !self.has_checks(shape)? {
            return Ok(None);
        }
        let c = self
            .constraint_names
            .get(shape)
            .map(|n| format!("super::constraints::{n}"));
        Ok(Some(match (self.m.kind(shape)?, c) {
            ("string", Some(c)) => {
                let v = if self.m.secret(shape) {
                    format!("{var}.expose()")
                } else {
                    var.to_owned()
                };
                format!("f.string(&{c}, {at}, {v});")
            }
            ("integer", Some(c)) => format!("f.int(&{c}, {at}, i64::from(*{var}));"),
            ("long", Some(c)) => format!("f.int(&{c}, {at}, *{var});"),
            ("structure", _) => format!("{var}.validate_into({at}, f);"),
            ("list", c) => {
                let e = self.m.element(shape, "member")?.to_owned();
                let at_m = format!("at_m{depth}");
                let mut s = format!("let {at_m} = {at};");
                if let Some(c) = c {
                    let shown = self.shown_list(&e, var)?;
                    s.push_str(&format!(
                        " f.list_size(&{c}, {at_m}, {var}.len(), &|| {shown});"
                    ));
                }
                let ev = format!("e{depth}");
                let iv = format!("i{depth}");
                if let Some(inner) =
                    self.check(&e, &ev, &format!("rt::At::Index(&{at_m}, {iv})"), depth + 1)?
                {
                    s.push_str(&format!(
                        " for ({iv}, {ev}) in {var}.iter().enumerate() {{ {inner} }}"
                    ));
                }
                format!("{{ {s} }}")
            }
            _ => return Ok(None),
        }))
    }

    /// A list's text in a size message, like Java's `List.toString`.
    fn shown_list(&mut self, elem: &str, var: &str) -> Result<String, String> {
        Ok(match self.m.kind(elem)? {
            "string" if self.m.secret(elem) => {
                format!("format!(\"[{{}}]\", vec![\"***\"; {var}.len()].join(\", \"))")
            }
            "string" => format!("format!(\"[{{}}]\", {var}.join(\", \"))"),
            "structure" => {
                self.needs_shown.insert(elem.to_owned());
                format!(
                    "format!(\"[{{}}]\", {var}.iter().map({}::shown).collect::<Vec<_>>().join(\", \"))",
                    type_name(elem)
                )
            }
            _ => format!(
                "format!(\"[{{}}]\", {var}.iter().map(|x| format!(\"{{x:?}}\")).collect::<Vec<_>>().join(\", \"))"
            ),
        })
    }

    /// `fn shown`: a structure in a list-size message.
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
            "impl {t} {{\n    /// The element as AWS shows it in a list-size message.\n    pub(crate) fn shown(&self) -> String {{\n        {body}\n    }}\n}}\n\n"
        ))
    }

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
            let w = self.write(mm.shape, "v", mm.name, 0)?;
            let field = snake(mm.name);
            if mm.required {
                body.push_str(&format!("        {{ let v = &self.{field}; {w} }}\n"));
            } else {
                body.push_str(&format!(
                    "        if let Some(v) = &self.{field} {{ {w} }}\n"
                ));
            }
        }
        if body.is_empty() {
            body.push_str("        let _ = w;\n");
        }
        Ok(format!(
            "impl {t} {{\n    pub(crate) fn write_members(&self, w: &mut crate::XmlWriter) {{\n{body}    }}\n}}\n\n"
        ))
    }

    /// Writes value `var` (a reference) of `shape` as element `name`.
    fn write(&self, shape: &str, var: &str, name: &str, depth: usize) -> Result<String, String> {
        Ok(match self.m.kind(shape)? {
            "string" if self.m.secret(shape) => format!("w.leaf({name:?}, {var}.expose());"),
            "string" => format!("w.leaf({name:?}, {var});"),
            "integer" => format!("w.int({name:?}, i64::from(*{var}));"),
            "long" => format!("w.int({name:?}, *{var});"),
            "boolean" => format!("w.bool({name:?}, *{var});"),
            "timestamp" => format!("w.time({name:?}, *{var});"),
            "blob" => format!("w.blob({name:?}, {var});"),
            "structure" => format!("w.open({name:?}); {var}.write_members(w); w.close({name:?});"),
            "list" => {
                let e = self.m.element(shape, "member")?;
                let ev = format!("e{depth}");
                let inner = self.write(e, &ev, "member", depth + 1)?;
                format!(
                    "if {var}.is_empty() {{ w.empty({name:?}); }} else {{ w.open({name:?}); for {ev} in {var} {{ {inner} }} w.close({name:?}); }}"
                )
            }
            "map" => {
                let (kv, vv) = (format!("k{depth}"), format!("x{depth}"));
                let k = self.write(self.m.element(shape, "key")?, &kv, "key", depth + 1)?;
                let v = self.write(self.m.element(shape, "value")?, &vv, "value", depth + 1)?;
                format!(
                    "if {var}.is_empty() {{ w.empty({name:?}); }} else {{ w.open({name:?}); for ({kv}, {vv}) in {var} {{ w.open(\"entry\"); {k} {v} w.close(\"entry\"); }} w.close({name:?}); }}"
                )
            }
            other => return Err(format!("{}: {shape}: cannot write {other}", self.m.service)),
        })
    }
}

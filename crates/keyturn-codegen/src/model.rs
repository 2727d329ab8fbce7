//! botocore's service model, as much of it as the generator reads.

use serde_json::{Map, Value};

/// Shapes that the model does not mark sensitive but whose values are secrets all the same:
/// MFA one-time codes (STS `TokenCode`, IAM `AuthenticationCode1`/`2`) and a session token are
/// credentials (they must not reach logs, nor the audit log through an error message), so they
/// are `SecretString`s, their parameters are in `Input::SENSITIVE`, and validation messages
/// leave their values out as they do for the model's sensitive shapes.
pub const EXTRA_SECRETS: &[(&str, &str)] = &[
    ("sts", "tokenCodeType"),
    ("sts", "tokenType"),
    ("iam", "authenticationCodeType"),
];

/// One service model.
pub struct Model {
    /// `sts` or `iam`.
    pub service: &'static str,
    /// The `Service` variant name (`Sts`, `Iam`).
    pub variant: &'static str,
    /// The parsed JSON.
    pub json: Value,
    /// Each structure's member names in model order.
    pub order: crate::order::MemberOrder,
}

/// A member of a structure.
pub struct Member<'m> {
    /// The member name (also its wire name: the Query models have no `locationName`s here).
    pub name: &'m str,
    /// The target shape.
    pub shape: &'m str,
    /// Whether it is in the structure's `required` list.
    pub required: bool,
    /// The member's documentation.
    pub doc: Option<&'m str>,
}

impl Model {
    /// Parses `text`.
    ///
    /// # Errors
    /// Not JSON.
    pub fn parse(service: &'static str, variant: &'static str, text: &str) -> Result<Self, String> {
        let json = serde_json::from_str(text).map_err(|e| format!("{service} model: {e}"))?;
        let order =
            crate::order::member_order(text).map_err(|e| format!("{service} model: {e}"))?;
        Ok(Self {
            service,
            variant,
            json,
            order,
        })
    }

    /// `metadata.<key>` as text.
    pub fn metadata(&self, key: &str) -> Result<&str, String> {
        self.json["metadata"][key]
            .as_str()
            .ok_or_else(|| format!("{}: metadata.{key} missing", self.service))
    }

    /// Every shape.
    pub fn shapes(&self) -> Result<&Map<String, Value>, String> {
        self.json["shapes"]
            .as_object()
            .ok_or_else(|| format!("{}: no shapes", self.service))
    }

    /// Shape `name`.
    pub fn shape(&self, name: &str) -> Result<&Value, String> {
        self.json["shapes"]
            .get(name)
            .ok_or_else(|| format!("{}: no shape {name}", self.service))
    }

    /// Shape `name`'s type (`structure`, `string`, …).
    pub fn kind(&self, name: &str) -> Result<&str, String> {
        self.shape(name)?["type"]
            .as_str()
            .ok_or_else(|| format!("{}: shape {name} has no type", self.service))
    }

    /// Operation `op`'s input or output shape (`which` = `input` / `output`).
    pub fn io(&self, op: &str, which: &str) -> Result<Option<&str>, String> {
        let o = self.json["operations"]
            .get(op)
            .ok_or_else(|| format!("{}: no operation {op}", self.service))?;
        Ok(o[which]["shape"].as_str())
    }

    /// The members of structure `name`, in model order.
    pub fn members(&self, name: &str) -> Result<Vec<Member<'_>>, String> {
        let s = self.shape(name)?;
        let required: Vec<&str> = s["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(members) = s["members"].as_object() else {
            return Ok(Vec::new());
        };
        let names: &[String] = self.order.get(name).map_or(&[], Vec::as_slice);
        names
            .iter()
            .map(|n| {
                let m = members
                    .get(n)
                    .ok_or_else(|| format!("{}: {name}.{n} missing", self.service))?;
                if m.get("locationName").is_some() || m.get("flattened").is_some() {
                    return Err(format!(
                        "{}: {name}.{n}: locationName/flattened unsupported",
                        self.service
                    ));
                }
                Ok(Member {
                    shape: m["shape"]
                        .as_str()
                        .ok_or_else(|| format!("{}: {name}.{n} has no shape", self.service))?,
                    name: n,
                    required: required.contains(&n.as_str()),
                    doc: m["documentation"].as_str(),
                })
            })
            .collect()
    }

    /// A list's element shape, or a map's (key, value) shapes.
    pub fn element(&self, name: &str, part: &str) -> Result<&str, String> {
        let s = self.shape(name)?;
        if s[part].get("locationName").is_some() || s.get("flattened").is_some() {
            return Err(format!(
                "{}: {name}: locationName/flattened unsupported",
                self.service
            ));
        }
        s[part]["shape"]
            .as_str()
            .ok_or_else(|| format!("{}: {name}.{part} has no shape", self.service))
    }

    /// Whether shape `name` is marked sensitive.
    pub fn sensitive(&self, name: &str) -> bool {
        self.json["shapes"][name]["sensitive"].as_bool() == Some(true)
    }

    /// Whether values of shape `name` are secrets: marked sensitive, or in [`EXTRA_SECRETS`].
    /// A secret's value is never written in a validation message.
    pub fn secret(&self, name: &str) -> bool {
        self.sensitive(name) || EXTRA_SECRETS.contains(&(self.service, name))
    }

    /// Shape `name`'s documentation, first sentence.
    pub fn doc(&self, name: &str) -> Option<String> {
        self.json["shapes"][name]["documentation"]
            .as_str()
            .map(crate::names::first_sentence)
            .filter(|s| !s.is_empty())
    }
}

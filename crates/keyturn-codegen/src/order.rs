//! The order of each structure's members as written in the model.
//!
//! `serde_json::Value` keeps objects sorted by key (the workspace builds serde_json without
//! `preserve_order`, and enabling it here would change the map order of every crate built
//! together with this one); the model's member order is the wire order, so it is read again
//! with a visitor that keeps object keys in order.

use std::collections::HashMap;
use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// Shape name → member names in model order.
pub type MemberOrder = HashMap<String, Vec<String>>;

/// Reads the member order of every structure of the model text.
///
/// # Errors
/// Not JSON.
pub fn member_order(text: &str) -> Result<MemberOrder, String> {
    let mut d = serde_json::Deserializer::from_str(text);
    d.deserialize_map(Field("shapes", Shapes))
        .map_err(|e| e.to_string())
}

/// In an object, the value of key `.0` read with seed `.1` (the default when absent); the
/// other keys are skipped.
#[derive(Clone, Copy)]
struct Field<S>(&'static str, S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for Field<S>
where
    S::Value: Default,
{
    type Value = S::Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for Field<S>
where
    S::Value: Default,
{
    type Value = S::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with {}", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Value, A::Error> {
        let mut out = S::Value::default();
        while let Some(key) = map.next_key::<String>()? {
            if key == self.0 {
                out = map.next_value_seed(self.1)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// The `shapes` object: each shape's member names.
#[derive(Clone, Copy)]
struct Shapes;

impl<'de> DeserializeSeed<'de> for Shapes {
    type Value = MemberOrder;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<MemberOrder, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Shapes {
    type Value = MemberOrder;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("shapes")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MemberOrder, A::Error> {
        let mut out = MemberOrder::new();
        while let Some(name) = map.next_key::<String>()? {
            out.insert(name, map.next_value_seed(Field("members", Keys))?);
        }
        Ok(out)
    }
}

/// A `members` object: its keys in order.
#[derive(Clone, Copy)]
struct Keys;

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = Vec<String>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Keys {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("members")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            out.push(key);
        }
        Ok(out)
    }
}

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
    d.deserialize_map(Top).map_err(|e| e.to_string())
}

struct Top;

impl<'de> Visitor<'de> for Top {
    type Value = MemberOrder;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a service model")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MemberOrder, A::Error> {
        let mut out = MemberOrder::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "shapes" {
                out = map.next_value_seed(Shapes)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

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
            let members = map.next_value_seed(Shape)?;
            out.insert(name, members);
        }
        Ok(out)
    }
}

struct Shape;

impl<'de> DeserializeSeed<'de> for Shape {
    type Value = Vec<String>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Shape {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a shape")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "members" {
                out = map.next_value_seed(Keys)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

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

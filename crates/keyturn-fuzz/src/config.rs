//! The configuration loader: YAML (or the bindings' JSON value) through parsing and every
//! validation rule. A configuration that loads is a model `keyturn export` can write back
//! out (the export loads its text again and compares it with the model).
//!
//! Input: the first byte picks YAML or JSON; the rest is the text. Nothing is started: no
//! store is opened, no keyring or plugin read.

use keyturn::Config;

use crate::bytes::Bytes;
use crate::check;

/// The target.
pub fn config(data: &[u8]) {
    let mut input = Bytes::new(data);
    let json = input.byte().is_multiple_of(4);
    let text = input.rest_text();
    let loaded = if json {
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => Config::from_json_value(&value, "fuzz.json"),
            Err(_) => return,
        }
    } else {
        Config::from_str(&text, "fuzz.yaml")
    };
    let Ok(config) = loaded else {
        return;
    };
    let exported = keyturn::export::to_yaml(&config.to_iam_data());
    check::holds(exported.is_ok(), || {
        format!("a configuration that loads cannot be exported: {exported:?}\n{text}")
    });
}

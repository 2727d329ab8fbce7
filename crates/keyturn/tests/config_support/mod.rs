//! What the configuration suites share: a configuration that must load, and the field and
//! message of one that must not.

use keyturn::config::{Config, ConfigError};

/// `text` loaded (it must be valid).
pub fn config(text: &str) -> Config {
    Config::from_str(text, "test.yaml").expect("valid")
}

/// The field path and message of the validation error of `text`.
pub fn refused(text: &str) -> (String, String) {
    match Config::from_str(text, "test.yaml") {
        Err(err @ ConfigError::Invalid { .. }) => (
            err.field_path().unwrap_or_default().to_owned(),
            err.to_string(),
        ),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

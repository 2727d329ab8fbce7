//! [`SecretString`]: the one secret text type of the project.

use std::fmt;

use zeroize::Zeroize;

/// A secret string (secret access key, session token, SAML assertion, web identity token, MFA
/// code): zeroized on drop, `Debug` prints `***`, the value only through [`SecretString::expose`].
#[derive(Clone, Default)]
pub struct SecretString(String);

/// Equality in constant time (for the length of the shorter value).
impl PartialEq for SecretString {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(&other.0)
    }
}

impl Eq for SecretString {}

impl SecretString {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself: for the wire and for the engine, never for logs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compares with `other` in constant time (for the length of the shorter value).
    pub fn ct_eq(&self, other: &str) -> bool {
        use subtle::ConstantTimeEq;
        self.0.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Serialised as the plain string (for stores and the plugin wire), only with the `serde`
/// feature.
#[cfg(feature = "serde")]
impl serde::Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self)
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// The secret members of an identity provider's JSON settings (a SAML provider's
/// `private_keys`): how they are kept out of `Debug` output and wiped after use. The settings cross
/// the plugin ABI as JSON, so the secrets sit there as plain JSON strings rather than
/// [`SecretString`]s.
#[cfg(feature = "serde")]
pub mod settings {
    use serde_json::Value;
    use zeroize::Zeroize;

    /// The members of a provider's settings that hold secrets (strings, or lists of strings).
    pub const SECRET_MEMBERS: [&str; 1] = ["private_keys"];

    /// A copy of `settings` with every secret member's strings replaced by `***`: what `Debug`
    /// shows.
    pub fn redacted(settings: &Value) -> Value {
        let mut copy = settings.clone();
        visit(&mut copy, |text| *text = "***".to_owned());
        copy
    }

    /// Overwrites every secret member's strings with zeros in place (before the settings are
    /// dropped).
    pub fn scrub(settings: &mut Value) {
        visit(settings, Zeroize::zeroize);
    }

    /// Implements `Debug` (secret members redacted, see [`redacted`]) and `Drop` (secret members
    /// wiped, see [`scrub`]) for an identity provider type with `arn`, `account_id` and `settings`
    /// fields: keyturn-core's `ProviderInfo` and the plugin wire's.
    #[macro_export]
    macro_rules! provider_with_secret_settings {
        ($provider:ty) => {
            impl ::std::fmt::Debug for $provider {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("ProviderInfo")
                        .field("arn", &self.arn)
                        .field("account_id", &self.account_id)
                        .field("settings", &$crate::settings::redacted(&self.settings))
                        .finish()
                }
            }

            impl Drop for $provider {
                fn drop(&mut self) {
                    $crate::settings::scrub(&mut self.settings);
                }
            }
        };
    }

    fn visit(settings: &mut Value, mut each: impl FnMut(&mut String)) {
        let Value::Object(members) = settings else {
            return;
        };
        for name in SECRET_MEMBERS {
            match members.get_mut(name) {
                Some(Value::String(text)) => each(text),
                Some(Value::Array(items)) => {
                    for item in items {
                        if let Value::String(text) = item {
                            each(text);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SecretString;

    #[test]
    fn secrets_never_print_and_compare_by_value() {
        let s = SecretString::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "*** ***");
        assert!(s.ct_eq("hunter2"));
        assert!(!s.ct_eq("hunter3"));
        assert!(!s.ct_eq("hunter"));
        assert!(!s.ct_eq("hunter22"));
        assert!(!s.is_empty() && SecretString::default().is_empty());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn secret_settings_are_redacted_and_scrubbed() {
        use super::settings::{redacted, scrub};
        let mut value =
            serde_json::json!({"name": "Corp", "private_keys": ["-----BEGIN PRIVATE KEY-----x"]});
        let shown = redacted(&value);
        assert_eq!(
            shown,
            serde_json::json!({"name": "Corp", "private_keys": ["***"]})
        );
        scrub(&mut value);
        // zeroize wipes the bytes and empties the string.
        assert_eq!(
            value,
            serde_json::json!({"name": "Corp", "private_keys": [""]})
        );
    }
}

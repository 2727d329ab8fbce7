//! The trusted identity propagation context provider of an OIDC or SAML provider (IAM's
//! `ContextProvider`): how AssumeRoleWithWebIdentity and AssumeRoleWithSAML derive the session's
//! `aws:OriginIdentity/…` and `aws:TransactionContext/IdentityProvider/…` keys from the token's
//! claims or the assertion's attributes.
//!
//! [`ContextProvider::check`] is the one check of IAM's constraints, shared by the IAM write
//! operations (which answer `InvalidInput` with its text) and the configuration loader.

use serde::{Deserialize, Serialize};

/// Most key definitions a context provider maps (the model's `keyDefinitionListType`).
pub const MAX_KEY_DEFINITIONS: usize = 10;

/// Longest source or target key, in characters (`contextProviderSourceKeyType`,
/// `contextProviderTargetKeyType`).
pub const MAX_KEY_LENGTH: usize = 128;

/// Longest static subject type (`subjectTypeValueType`).
pub const MAX_SUBJECT_TYPE_LENGTH: usize = 128;

/// A context provider: the subject's source key, the subject type (static or from a claim) and
/// the source-to-target key mappings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextProvider {
    /// The claim or attribute that supplies `aws:OriginIdentity/Subject`.
    pub subject_source_key: String,
    /// A static `aws:OriginIdentity/SubjectType` (`user`, `workload`); empty sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_type_value: Option<String>,
    /// The claim or attribute that supplies `aws:OriginIdentity/SubjectType`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_type_source_key: Option<String>,
    /// The claims mapped into `aws:TransactionContext/IdentityProvider/TARGET` keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_definitions: Vec<KeyDefinition>,
}

/// One mapping of a context provider: the claim `source_key` into the key `target_key`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDefinition {
    /// The claim or attribute to read.
    pub source_key: String,
    /// The trusted context key it becomes; absent, the source key's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_key: Option<String>,
}

impl KeyDefinition {
    /// The key the value is set under (after `aws:TransactionContext/IdentityProvider/`).
    pub fn target(&self) -> &str {
        self.target_key.as_deref().unwrap_or(&self.source_key)
    }
}

impl ContextProvider {
    /// The model's context provider from the API's (unchecked: see [`ContextProvider::check`]).
    pub fn from_api(given: &keyturn_api::iam::ContextProvider) -> Self {
        Self {
            subject_source_key: given.subject_source_key.clone(),
            subject_type_value: given.subject_type_value.clone(),
            subject_type_source_key: given.subject_type_source_key.clone(),
            key_definitions: given
                .key_definition_list
                .iter()
                .flatten()
                .map(|d| KeyDefinition {
                    source_key: d.source_key.clone(),
                    target_key: d.target_key.clone(),
                })
                .collect(),
        }
    }

    /// The API's context provider, as GetOpenIDConnectProvider and GetSAMLProvider return it.
    pub fn to_api(&self) -> keyturn_api::iam::ContextProvider {
        keyturn_api::iam::ContextProvider {
            subject_source_key: self.subject_source_key.clone(),
            subject_type_value: self.subject_type_value.clone(),
            subject_type_source_key: self.subject_type_source_key.clone(),
            key_definition_list: (!self.key_definitions.is_empty()).then(|| {
                self.key_definitions
                    .iter()
                    .map(|d| keyturn_api::iam::ContextProviderKeyDefinition {
                        source_key: d.source_key.clone(),
                        target_key: d.target_key.clone(),
                    })
                    .collect()
            }),
        }
    }

    /// Checks IAM's constraints: every key 1 to 128 characters of ASCII letters, digits, single
    /// inner spaces and `_ . : / = + - @ #`; at most one of `subject_type_value` and
    /// `subject_type_source_key`; a static subject type of at most 128 characters; at most ten
    /// key definitions, no two with the same target key (ignoring case, as condition keys are
    /// compared).
    ///
    /// # Errors
    /// The text IAM's `InvalidInput` answers with (Keyturn's: AWS's texts were not found).
    pub fn check(&self) -> Result<(), String> {
        check_key("SubjectSourceKey", &self.subject_source_key)?;
        if let Some(key) = &self.subject_type_source_key {
            check_key("SubjectTypeSourceKey", key)?;
        }
        if self.subject_type_value.is_some() && self.subject_type_source_key.is_some() {
            return Err(
                "Specify either SubjectTypeValue or SubjectTypeSourceKey, not both.".into(),
            );
        }
        if let Some(value) = &self.subject_type_value
            && value.chars().count() > MAX_SUBJECT_TYPE_LENGTH
        {
            return Err(format!(
                "SubjectTypeValue must be at most {MAX_SUBJECT_TYPE_LENGTH} characters."
            ));
        }
        if self.key_definitions.len() > MAX_KEY_DEFINITIONS {
            return Err(format!(
                "KeyDefinitionList must contain at most {MAX_KEY_DEFINITIONS} key definitions."
            ));
        }
        let mut targets: Vec<String> = Vec::with_capacity(self.key_definitions.len());
        for d in &self.key_definitions {
            check_key("SourceKey", &d.source_key)?;
            if let Some(target) = &d.target_key {
                check_key("TargetKey", target)?;
            }
            let target = d.target().to_ascii_lowercase();
            if targets.contains(&target) {
                return Err(format!(
                    "KeyDefinitionList maps more than one key to the target key {}.",
                    d.target()
                ));
            }
            targets.push(target);
        }
        Ok(())
    }
}

/// Whether `key` is a context provider key: 1 to 128 characters of ASCII letters, digits,
/// `_ . : / = + - @ #` and single spaces, not at either end.
pub fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LENGTH
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" _.:/=+-@#".contains(&b))
        && !key.starts_with(' ')
        && !key.ends_with(' ')
        && !key.contains("  ")
}

fn check_key(member: &str, key: &str) -> Result<(), String> {
    if is_key(key) {
        return Ok(());
    }
    Err(format!(
        "{member} `{key}` is not valid: 1 to {MAX_KEY_LENGTH} characters of ASCII letters, \
         numbers, single spaces and _ . : / = + - @ #, not starting or ending with a space."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(subject: &str) -> ContextProvider {
        ContextProvider {
            subject_source_key: subject.to_owned(),
            ..ContextProvider::default()
        }
    }

    #[test]
    fn keys_follow_iams_alphabet() {
        for good in [
            "sub",
            "Subject/NameID",
            "https://x.example/claims:email",
            "a b",
            "#@=+-",
        ] {
            assert!(is_key(good), "{good}");
        }
        for bad in [
            "",
            " sub",
            "sub ",
            "a  b",
            "é",
            "a\tb",
            "a*b",
            &"k".repeat(129),
        ] {
            assert!(!is_key(bad), "{bad:?}");
        }
        assert!(is_key(&"k".repeat(128)));
    }

    #[test]
    fn check_refuses_both_subject_types_duplicate_targets_and_too_many_keys() {
        assert_eq!(provider("sub").check(), Ok(()));
        let both = ContextProvider {
            subject_type_value: Some("user".into()),
            subject_type_source_key: Some("typ".into()),
            ..provider("sub")
        };
        assert!(both.check().unwrap_err().contains("not both"));
        let def = |s: &str, t: Option<&str>| KeyDefinition {
            source_key: s.into(),
            target_key: t.map(str::to_owned),
        };
        let duplicate = ContextProvider {
            key_definitions: vec![def("email", Some("Mail")), def("mail", None)],
            ..provider("sub")
        };
        assert!(duplicate.check().unwrap_err().contains("target key mail"));
        let many = ContextProvider {
            key_definitions: (0..11).map(|i| def(&format!("c{i}"), None)).collect(),
            ..provider("sub")
        };
        assert!(many.check().unwrap_err().contains("at most 10"));
        let bad_target = ContextProvider {
            key_definitions: vec![def("email", Some(" x"))],
            ..provider("sub")
        };
        assert!(
            bad_target
                .check()
                .unwrap_err()
                .starts_with("TargetKey ` x`")
        );
        let long_type = ContextProvider {
            subject_type_value: Some("t".repeat(129)),
            ..provider("sub")
        };
        assert!(long_type.check().is_err());
        assert!(
            provider("bad key!")
                .check()
                .unwrap_err()
                .starts_with("SubjectSourceKey")
        );
    }
}

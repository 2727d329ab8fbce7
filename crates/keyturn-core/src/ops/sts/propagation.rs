//! Trusted identity propagation for AssumeRoleWithWebIdentity and AssumeRoleWithSAML: when the
//! identity provider that vouched for the token has a context provider (IAM's
//! `ContextProvider`), the session gets the `aws:OriginIdentity/…` keys and the
//! `aws:TransactionContext/IdentityProvider/…` keys it maps, read from the verified token's
//! claims or assertion's attributes, and the response its `TrustedIdentityPropagationContext`.
//!
//! What the model documents, and what Keyturn decided where it is silent:
//! - `Subject` is the claim `SubjectSourceKey` names (for SAML, `Subject/NameID` names the
//!   assertion's NameID); it is required: a token without it, or with several values or an
//!   empty one, is refused (`InvalidIdentityToken`, Keyturn's text).
//! - `SubjectType` is `SubjectTypeValue` (an empty one sets none) or the claim
//!   `SubjectTypeSourceKey` names, absent when the token lacks it.
//! - `Issuer` is the token's `iss` without `https://` (web identity), or a hash of the key that
//!   signed the assertion (SAML: the verifier's lowercase hex SHA-256 of its
//!   `SubjectPublicKeyInfo`); `FederatedProviderArn` the provider's ARN.
//! - Each key definition sets `aws:TransactionContext/IdentityProvider/TARGET` (TARGET the
//!   `TargetKey`, else the `SourceKey`) to its claim's value when the token has the claim; a
//!   claim with several values, or a value over 128 characters (the model's
//!   `transactionContextValueType`), is refused rather than cut.
//! - The response omits the context when the SAML assertion was encrypted, though the session
//!   carries it (as the model says).

use keyturn_api::SecretString;
use keyturn_api::sts::{OriginIdentity, TransactionContext, TrustedIdentityPropagationContext};

use crate::iam::ContextProvider;
use crate::idp::{FederatedIdentity, FederationKind};
use crate::token::TrustedContext;
use crate::{Error, ErrorCode};

/// The source key that names a SAML assertion's `NameID`.
pub const SAML_NAME_ID_KEY: &str = "Subject/NameID";

/// The longest value of an `aws:TransactionContext/IdentityProvider/…` key.
pub const MAX_TRANSACTION_VALUE: usize = 128;

const SUBJECT: &str = "aws:OriginIdentity/Subject";
const SUBJECT_TYPE: &str = "aws:OriginIdentity/SubjectType";
const ISSUER: &str = "aws:OriginIdentity/Issuer";
const PROVIDER_ARN: &str = "aws:OriginIdentity/FederatedProviderArn";
const TRANSACTION: &str = "aws:TransactionContext/IdentityProvider/";

/// A session's propagated identity: the context it carries and what the response returns.
pub(super) struct Propagated {
    /// The session's trusted context (its keys).
    pub context: TrustedContext,
    /// The response's member, `None` when it is not returned (an encrypted SAML assertion).
    pub response: Option<TrustedIdentityPropagationContext>,
}

fn refused(text: String) -> Error {
    Error::new(ErrorCode::InvalidIdentityToken, text)
}

/// The one value of the claim `key` of `id`, `None` when it has none.
///
/// # Errors
/// `InvalidIdentityToken` for a claim with several values.
fn claim<'a>(
    id: &'a FederatedIdentity,
    kind: FederationKind,
    key: &str,
) -> Result<Option<&'a str>, Error> {
    if kind == FederationKind::Saml && key == SAML_NAME_ID_KEY {
        return Ok(Some(id.subject.as_str()));
    }
    match id.claims.get(key).map(Vec::as_slice) {
        None | Some([]) => Ok(None),
        Some([one]) => Ok(Some(one.as_str())),
        Some(_) => Err(refused(format!(
            "The claim {key} that the identity provider's context provider maps has more than one value."
        ))),
    }
}

/// The propagated identity of `id` through the context provider `cp` of its provider.
///
/// # Errors
/// `InvalidIdentityToken` as the module documentation lists.
pub(super) fn propagate(
    cp: &ContextProvider,
    id: &FederatedIdentity,
    kind: FederationKind,
) -> Result<Propagated, Error> {
    let subject = claim(id, kind, &cp.subject_source_key)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            refused(format!(
                "The claim {} that the identity provider's context provider maps as the subject is missing.",
                cp.subject_source_key
            ))
        })?;
    let subject_type = match (&cp.subject_type_value, &cp.subject_type_source_key) {
        (Some(value), _) => Some(value.as_str()).filter(|v| !v.is_empty()),
        (None, Some(key)) => claim(id, kind, key)?,
        (None, None) => None,
    };
    let issuer = match kind {
        FederationKind::WebIdentity => Some(
            id.issuer
                .strip_prefix("https://")
                .unwrap_or(&id.issuer)
                .to_owned(),
        ),
        FederationKind::Saml => id.key_hash.clone(),
    };
    let mut keys = vec![(SUBJECT.to_owned(), subject.to_owned())];
    if let Some(t) = subject_type {
        keys.push((SUBJECT_TYPE.to_owned(), t.to_owned()));
    }
    if let Some(i) = &issuer {
        keys.push((ISSUER.to_owned(), i.clone()));
    }
    keys.push((PROVIDER_ARN.to_owned(), id.provider_arn.clone()));
    let mut transaction: Vec<(String, SecretString)> = Vec::new();
    for d in &cp.key_definitions {
        let Some(value) = claim(id, kind, &d.source_key)? else {
            continue;
        };
        if value.chars().count() > MAX_TRANSACTION_VALUE {
            return Err(refused(format!(
                "The claim {} that the identity provider's context provider maps is longer than {MAX_TRANSACTION_VALUE} characters.",
                d.source_key
            )));
        }
        keys.push((format!("{TRANSACTION}{}", d.target()), value.to_owned()));
        transaction.push((d.target().to_owned(), SecretString::new(value.to_owned())));
    }
    let response = (!id.assertion_encrypted).then(|| TrustedIdentityPropagationContext {
        origin_identity: Some(OriginIdentity {
            subject: Some(SecretString::new(subject.to_owned())),
            subject_type: subject_type.map(|t| SecretString::new(t.to_owned())),
            issuer: issuer.map(SecretString::new),
            federated_provider_arn: Some(id.provider_arn.clone()),
        }),
        transaction_context: (!transaction.is_empty()).then_some(TransactionContext {
            identity_provider: Some(transaction),
        }),
    });
    Ok(Propagated {
        context: TrustedContext {
            workload: None,
            keys,
        },
        response,
    })
}

//! What the identity-provider write operations share: the checks IAM makes of an OIDC issuer
//! URL, of thumbprints and of a SAML metadata document, the providers' private keys, and tagging
//! (Tag/Untag/List…Tags are the same for both kinds, so one function each serves both).
//!
//! AWS's texts, and where each was checked:
//! - URL: a URL without a scheme or host is `ValidationError` "Invalid Open ID Connect Provider
//!   URL"; another scheme `InvalidInput` "Invalid Open ID Connect Provider URL. The URL must begin
//!   with https://."; a port, user info, query or fragment `InvalidInput` "Invalid Open ID Connect
//!   Provider URL." (an IAM emulator's table of AWS's answers; moto has the first).
//! - "Thumbprint list must contain fewer than 5 entries." (`InvalidInput`, for six or more) and
//!   "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100" (`LimitExceeded`): moto.
//! - "Provider with url X already exists." (`EntityAlreadyExists`): the brief, from AWS.
//! - "Could not parse metadata" (`InvalidInput`): AWS's answer to a document that is not SAML
//!   metadata, quoted from a server-verified run.
//!
//! The texts for private keys, encryption modes and context providers are Keyturn's (AWS's were
//! not found); see docs/iam-admin/providers.md.

use base64::Engine as _;
use roxmltree::{Document, Node};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::shared;
use super::write::{self, Plan};
use crate::engine::view;
use crate::iam::{
    Account, ContextProvider, Entity, EntityKind, OidcProvider, SamlPrivateKey, SamlProvider,
    SecretString, Tags,
};
use crate::ops::Context;
use crate::{Error, ErrorCode};
use keyturn_api::NoOutput;

/// IAM's default quotas for identity providers ("IAM object quotas").
pub(crate) mod quota {
    use super::write::Quota;

    /// OIDC providers per account.
    pub(crate) const OIDC_PROVIDERS: Quota = Quota::new(100, "OpenIdConnectProvidersPerAccount");
    /// SAML providers per account.
    pub(crate) const SAML_PROVIDERS: Quota = Quota::new(100, "SamlProvidersPerAccount");
    /// Client ids (audiences) per OIDC provider.
    pub(crate) const CLIENT_IDS: usize = 100;
    /// Thumbprints per OIDC provider.
    pub(crate) const THUMBPRINTS: usize = 5;
    /// Private keys per SAML provider.
    pub(crate) const PRIVATE_KEYS: usize = 2;
}

const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// How long a SAML provider created through the API stays valid when its metadata gives no
/// `validUntil`, in years (what IAM answers for such providers).
const DEFAULT_VALIDITY_YEARS: i32 = 100;

fn invalid(text: &str) -> Error {
    Error::new(ErrorCode::InvalidInput, text)
}

/// The ARN of the OIDC provider for issuer `url` in `account`, once `url` passed IAM's checks:
/// `https://`, a host, no port, user info, query or fragment.
///
/// # Errors
/// As the module documentation lists.
pub(crate) fn oidc_arn(account: &str, url: &str) -> Result<String, Error> {
    const TEXT: &str = "Invalid Open ID Connect Provider URL";
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(Error::new(ErrorCode::ValidationError, TEXT));
    };
    let host = rest.split('/').next().unwrap_or_default();
    if scheme.is_empty() || host.is_empty() {
        return Err(Error::new(ErrorCode::ValidationError, TEXT));
    }
    if scheme != "https" {
        return Err(invalid(
            "Invalid Open ID Connect Provider URL. The URL must begin with https://.",
        ));
    }
    let bad_host = !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if bad_host || rest.contains(['?', '#', ' ']) {
        return Err(invalid("Invalid Open ID Connect Provider URL."));
    }
    Ok(OidcProvider {
        url: url.to_owned(),
        ..OidcProvider::default()
    }
    .arn(account))
}

/// Checks a thumbprint list: at most five, each 40 hexadecimal characters (stored lowercase).
///
/// # Errors
/// `InvalidInput`.
pub(crate) fn thumbprints(list: Option<&[String]>) -> Result<Vec<String>, Error> {
    let list = list.unwrap_or_default();
    if list.len() > quota::THUMBPRINTS {
        return Err(invalid(
            "Thumbprint list must contain fewer than 5 entries.",
        ));
    }
    list.iter()
        .map(|t| {
            if t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(t.to_ascii_lowercase())
            } else {
                Err(invalid(
                    "Thumbprint must be exactly 40 hexadecimal characters.",
                ))
            }
        })
        .collect()
}

/// `LimitExceeded` unless `count` client ids fit on a provider.
///
/// # Errors
/// As described.
pub(crate) fn client_ids_fit(count: usize) -> Result<(), Error> {
    if count > quota::CLIENT_IDS {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {}",
                quota::CLIENT_IDS
            ),
        ));
    }
    Ok(())
}

/// An identity provider of the model (OIDC or SAML): what the writes of one provider need.
pub(crate) trait IdentityProvider: Clone + Sized {
    /// Its kind.
    const KIND: Provider;
    /// Its kind among the model's entities.
    const ENTITY: EntityKind;
    /// The account's providers of this kind.
    fn all(account: &Account) -> &[Self];
    /// Its ARN in the account `id`.
    fn arn_in(&self, id: &str) -> String;
    /// What the model names it by (an OIDC provider's URL, a SAML provider's name).
    fn key(&self) -> &str;
    /// Its tags, to change.
    fn tags_mut(&mut self) -> &mut Tags;
    /// The entity to store.
    fn into_entity(self) -> Entity;
    /// `NoSuchEntity` for an `arn` that names none, as the Get action answers.
    fn missing(arn: &str) -> Error;
}

/// Implements [`IdentityProvider`]: `Type, Kind, account list, key member, NoSuchEntity`.
macro_rules! identity_provider {
    ($ty:ident, $kind:ident, $list:ident, $key:ident, $missing:path) => {
        impl IdentityProvider for $ty {
            const KIND: Provider = Provider::$kind;
            const ENTITY: EntityKind = EntityKind::$ty;

            fn all(account: &Account) -> &[Self] {
                &account.$list
            }

            fn arn_in(&self, id: &str) -> String {
                self.arn(id)
            }

            fn key(&self) -> &str {
                &self.$key
            }

            fn tags_mut(&mut self) -> &mut Tags {
                &mut self.tags
            }

            fn into_entity(self) -> Entity {
                Entity::$ty(self)
            }

            fn missing(arn: &str) -> Error {
                $missing(arn)
            }
        }
    };
}

identity_provider!(
    OidcProvider,
    Oidc,
    oidc_providers,
    url,
    view::no_such_oidc_provider
);
identity_provider!(
    SamlProvider,
    Saml,
    saml_providers,
    name,
    view::no_such_saml_provider
);

/// The provider `arn` of the plan's account, for changing it.
///
/// # Errors
/// `InvalidInput` for an ARN that is not a provider's of kind `P`; `NoSuchEntity` as the Get
/// action answers.
pub(crate) fn find<P: IdentityProvider>(p: &Plan<'_>, arn: &str) -> Result<P, Error> {
    shared::check_arn(arn, P::KIND.prefix())?;
    let a = p.account;
    let found = P::all(a).iter().find(|x| x.arn_in(&a.id) == arn);
    found.cloned().ok_or_else(|| P::missing(arn))
}

/// Changes the provider `arn` with `edit` and commits it when `edit` says it changed.
///
/// # Errors
/// As [`find`]; any error of `edit`.
pub(crate) fn edit<P: IdentityProvider>(
    cx: &Context<'_>,
    arn: &str,
    edit: impl Fn(&Plan<'_>, &mut P) -> Result<bool, Error>,
) -> Result<NoOutput, Error> {
    write::change(cx, |p| {
        let mut x = find::<P>(p, arn)?;
        if edit(p, &mut x)? {
            p.put(x.into_entity());
        }
        Ok(())
    })?;
    Ok(NoOutput)
}

/// [`edit`] of an OIDC provider, whose edits need only the provider.
///
/// # Errors
/// As [`edit`].
pub(crate) fn edit_oidc(
    cx: &Context<'_>,
    arn: &str,
    edit: impl Fn(&mut OidcProvider) -> Result<bool, Error>,
) -> Result<NoOutput, Error> {
    self::edit::<OidcProvider>(cx, arn, |_, o| edit(o))
}

/// Deletes the provider `arn` (and its creation date).
///
/// # Errors
/// As [`find`].
pub(crate) fn delete<P: IdentityProvider>(cx: &Context<'_>, arn: &str) -> Result<NoOutput, Error> {
    write::change(cx, |p| {
        let x = find::<P>(p, arn)?;
        p.remove(arn.to_owned(), P::ENTITY, x.key());
        Ok(())
    })?;
    Ok(NoOutput)
}

/// Checks a SAML metadata document as IAM does: well-formed XML whose root is a SAML 2.0
/// `EntityDescriptor` with an `IDPSSODescriptor`, at least one `X509Certificate` in it, and every
/// certificate base64 of a DER certificate. Returns when the provider stops being valid: the
/// document's `validUntil`, else [`DEFAULT_VALIDITY_YEARS`] after `now`.
///
/// # Errors
/// `InvalidInput` "Could not parse metadata".
pub(crate) fn metadata(document: &str, now: OffsetDateTime) -> Result<String, Error> {
    let refused = || invalid("Could not parse metadata");
    let doc = Document::parse(document).map_err(|_| refused())?;
    let root = doc.root_element();
    if !is_md(root, "EntityDescriptor") || root.attribute("entityID").is_none() {
        return Err(refused());
    }
    let idp = root
        .children()
        .find(|n| is_md(*n, "IDPSSODescriptor"))
        .ok_or_else(refused)?;
    let certificates: Vec<Node<'_, '_>> = idp
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(DSIG_NS))
        .filter(|n| n.tag_name().name() == "X509Certificate")
        .collect();
    if certificates.is_empty() || !certificates.iter().all(|c| is_certificate(c.text())) {
        return Err(refused());
    }
    let valid_until = match root.attribute("validUntil") {
        Some(text) => {
            let t = crate::clock::parse_iso8601(text).ok_or_else(refused)?;
            t.replace_nanosecond(0).map_err(|_| refused())?
        }
        None => {
            let year = now.year().saturating_add(DEFAULT_VALIDITY_YEARS);
            now.replace_year(year)
                .or_else(|_| now.replace_day(28).and_then(|d| d.replace_year(year)))
                .map_err(|_| refused())?
        }
    };
    Ok(crate::clock::iso8601(valid_until))
}

fn is_md(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(METADATA_NS)
        && node.tag_name().name() == name
}

/// Whether `text` is base64 (with any whitespace) of a DER `Certificate`: a SEQUENCE that spans
/// it all and starts with the `tbsCertificate` SEQUENCE.
fn is_certificate(text: Option<&str>) -> bool {
    let compact: String = text
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Ok(der) = base64::engine::general_purpose::STANDARD.decode(compact) else {
        return false;
    };
    match der_sequence(&der) {
        Some((body, rest)) => rest.is_empty() && der_sequence(body).is_some(),
        None => false,
    }
}

/// The content of the DER SEQUENCE at the start of `bytes`, and what follows it.
fn der_sequence(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    if *bytes.first()? != 0x30 {
        return None;
    }
    let first = *bytes.get(1)?;
    let (header, len) = if first < 0x80 {
        (2, usize::from(first))
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let len = (0..count).try_fold(0usize, |len, i| {
            Some((len << 8) | usize::from(*bytes.get(2 + i)?))
        })?;
        (2 + count, len)
    };
    let end = header.checked_add(len)?;
    Some((bytes.get(header..end)?, bytes.get(end..)?))
}

/// A private key for encrypted assertions from its PEM text (`PRIVATE KEY` or `RSA PRIVATE
/// KEY`), with its id: the base32 of the first 20 bytes of the SHA-256 of its DER (32
/// characters of `[A-Z2-7]`, within the model's `[A-Z0-9]{22,64}`).
///
/// # Errors
/// `InvalidInput` for text that is not such a PEM key.
pub(crate) fn private_key(
    pem: &SecretString,
    now: OffsetDateTime,
) -> Result<SamlPrivateKey, Error> {
    let refused = || invalid("The private key must be a PEM-encoded RSA private key.");
    let text = pem.expose().trim();
    let label = ["PRIVATE KEY", "RSA PRIVATE KEY"]
        .into_iter()
        .find(|l| text.starts_with(&format!("-----BEGIN {l}-----")))
        .ok_or_else(refused)?;
    let body = text
        .strip_prefix(&format!("-----BEGIN {label}-----"))
        .and_then(|b| b.strip_suffix(&format!("-----END {label}-----")))
        .ok_or_else(refused)?;
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| refused())?;
    match der_sequence(&der) {
        Some((_, [])) => {}
        _ => return Err(refused()),
    }
    let digest = Sha256::digest(&der);
    Ok(SamlPrivateKey {
        key_id: data_encoding::BASE32_NOPAD.encode(digest.get(..20).unwrap_or_default()),
        pem: pem.clone(),
        timestamp: crate::clock::iso8601(now),
    })
}

/// Applies `AssertionEncryptionMode`, `AddPrivateKey` and `RemovePrivateKey` to `provider`.
///
/// # Errors
/// `InvalidInput` for a mode other than `Required`/`Allowed`, a key that is not a PEM private
/// key, a key it already has, a key id it does not have, or `Required` without a key;
/// `LimitExceeded` for a third key.
pub(crate) fn encryption(
    provider: &mut SamlProvider,
    mode: Option<&str>,
    add: Option<&SecretString>,
    remove: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), Error> {
    if let Some(mode) = mode {
        if !matches!(mode, "Required" | "Allowed") {
            return Err(invalid(
                "AssertionEncryptionMode must be Required or Allowed.",
            ));
        }
        provider.assertion_encryption_mode = Some(mode.to_owned());
    }
    if let Some(id) = remove {
        let before = provider.private_keys.len();
        provider.private_keys.retain(|k| k.key_id != id);
        if provider.private_keys.len() == before {
            return Err(invalid(&format!("The private key {id} does not exist.")));
        }
    }
    if let Some(pem) = add {
        let key = private_key(pem, now)?;
        if provider.private_keys.iter().any(|k| k.key_id == key.key_id) {
            return Err(invalid("The private key already exists."));
        }
        if provider.private_keys.len() >= quota::PRIVATE_KEYS {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!(
                    "Cannot exceed quota for PrivateKeysPerSamlProvider: {}",
                    quota::PRIVATE_KEYS
                ),
            ));
        }
        provider.private_keys.push(key);
    }
    if provider.assertion_encryption_mode.as_deref() == Some("Required")
        && provider.private_keys.is_empty()
    {
        return Err(invalid(
            "AssertionEncryptionMode Required needs at least one private key.",
        ));
    }
    Ok(())
}

/// Refuses an IAM Identity Center association (`IdentityCenterInstanceArn`): Keyturn has no
/// Identity Center instance or identity store to resolve it against (`IdentityStoreArn`), so it
/// refuses rather than store an ARN it cannot serve. Removing an association (which Keyturn never
/// has) changes nothing.
///
/// # Errors
/// `InvalidInput` when an instance is given.
pub(crate) fn no_identity_center(instance: Option<&str>) -> Result<(), Error> {
    if instance.is_some() {
        return Err(invalid(
            "IdentityCenterInstanceArn is not supported: Keyturn has no IAM Identity Center instance to associate.",
        ));
    }
    Ok(())
}

/// The model's context provider from the request's, once it passes IAM's checks
/// ([`ContextProvider::check`]).
///
/// # Errors
/// `InvalidInput` with the check's text.
pub(crate) fn context_provider(
    given: Option<&keyturn_api::iam::ContextProvider>,
) -> Result<Option<ContextProvider>, Error> {
    let Some(given) = given else {
        return Ok(None);
    };
    let provider = ContextProvider::from_api(given);
    provider.check().map_err(|text| invalid(&text))?;
    Ok(Some(provider))
}

/// What an Update…Provider request asks of the context provider: to set one, to remove it, or
/// nothing.
#[derive(Clone)]
pub(crate) enum ContextChange {
    /// Leave it.
    Keep,
    /// Set (replace) it.
    Set(ContextProvider),
    /// Remove it.
    Remove,
}

impl ContextChange {
    /// The change `ContextProvider` and `RemoveContextProvider` ask for, with the Identity
    /// Center members checked ([`no_identity_center`]).
    ///
    /// # Errors
    /// `InvalidInput` for both a context provider and its removal, for a context provider that
    /// fails IAM's checks, for an Identity Center instance.
    pub(crate) fn of(
        set: Option<&keyturn_api::iam::ContextProvider>,
        remove: Option<bool>,
        instance: Option<&str>,
    ) -> Result<Self, Error> {
        no_identity_center(instance)?;
        let remove = remove == Some(true);
        if set.is_some() && remove {
            return Err(invalid(
                "Specify either ContextProvider or RemoveContextProvider, not both.",
            ));
        }
        Ok(match context_provider(set)? {
            Some(p) => Self::Set(p),
            None if remove => Self::Remove,
            None => Self::Keep,
        })
    }

    /// Whether it changes anything.
    pub(crate) fn changes(&self) -> bool {
        !matches!(self, Self::Keep)
    }

    /// Applies it to a provider's `current` context provider.
    pub(crate) fn apply(self, current: &mut Option<ContextProvider>) {
        match self {
            Self::Keep => {}
            Self::Set(p) => *current = Some(p),
            Self::Remove => *current = None,
        }
    }
}

/// The two kinds of identity provider, for the tagging operations they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Provider {
    /// `oidc-provider/…`.
    Oidc,
    /// `saml-provider/…`.
    Saml,
}

impl Provider {
    fn prefix(self) -> &'static str {
        match self {
            Self::Oidc => "oidc-provider/",
            Self::Saml => "saml-provider/",
        }
    }
}

/// The resource of a per-provider call: `arn`, once it names a provider of that kind.
///
/// # Errors
/// `InvalidInput` "ARN X is not valid."
pub(crate) fn resource(kind: Provider, arn: &str) -> Result<String, Error> {
    shared::check_arn(arn, kind.prefix())?;
    Ok(arn.to_owned())
}

/// The OIDC provider `arn` as an operation's resource (as [`resource`]).
///
/// # Errors
/// As [`resource`].
pub(crate) fn oidc_resource(_: &Context<'_>, arn: &str) -> Result<String, Error> {
    resource(Provider::Oidc, arn)
}

/// The SAML provider `arn` as an operation's resource (as [`resource`]).
///
/// # Errors
/// As [`resource`].
pub(crate) fn saml_resource(_: &Context<'_>, arn: &str) -> Result<String, Error> {
    resource(Provider::Saml, arn)
}

/// Changes the tags of provider `arn` with `edit` and commits.
///
/// # Errors
/// `NoSuchEntity`; any error of `edit`.
pub(crate) fn retag(
    cx: &Context<'_>,
    kind: Provider,
    arn: &str,
    edit: impl Fn(&Tags) -> Result<Tags, Error>,
) -> Result<(), Error> {
    fn set<P: IdentityProvider>(x: &mut P, tags: Result<Tags, Error>) -> Result<bool, Error> {
        *x.tags_mut() = tags?;
        Ok(true)
    }
    match kind {
        Provider::Oidc => self::edit::<OidcProvider>(cx, arn, |_, o| set(o, edit(&o.tags))),
        Provider::Saml => self::edit::<SamlProvider>(cx, arn, |_, s| set(s, edit(&s.tags))),
    }?;
    Ok(())
}

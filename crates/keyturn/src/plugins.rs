//! Plugins named in the configuration, loaded through the C ABI and wrapped into the core traits.
//!
//! [`load_plugins`] loads every `plugins: [{path, config}]` entry with
//! [`PluginLibrary::load_any`], checks it (magic, ABI version, struct sizes, kind: see
//! docs/plugin-abi.md) and instantiates it with its own configuration. An identity provider
//! becomes an `Arc<dyn keyturn_core::idp::IdentityProvider>` (see [`PluginIdentityProvider`]),
//! so the engine cannot tell it from a built-in. Credential signers and policy evaluators are
//! returned as the host's handles for now: their core traits carry more than the ABI (see
//! docs/federation.md, "Plugins").
//!
//! Libraries are never unloaded: a loaded plugin lives as long as the process.

use keyturn_core::ErrorCode;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyturn_core::Error;
use keyturn_core::idp::{
    FederatedIdentity, FederationKind, FederationRequest, IdentityProvider, ProviderInfo,
};
use keyturn_plugin::{
    CredentialSignerPlugin, IdentityProviderPlugin, KtPluginKind, LoadError, PluginError,
    PluginLibrary, PolicyEvaluatorPlugin, VerifyRequest, VerifyResult, wire,
};
use time::OffsetDateTime;

use crate::config::PluginConfig;

/// The configuration key (inside a plugin's own `config`) that says which federation action an
/// identity-provider plugin serves: `"web_identity"` or `"saml"`. Without it, a plugin whose
/// name contains `saml` serves AssumeRoleWithSAML and any other serves
/// AssumeRoleWithWebIdentity.
pub const FEDERATION_KEY: &str = "federation";

/// Why the plugins of the configuration could not be loaded. The server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum PluginLoadError {
    /// The library could not be loaded, checked or instantiated; the message names the file.
    #[error("{0}")]
    Load(#[from] LoadError),
    /// The `federation` key of an identity-provider plugin's config is not one this host knows.
    #[error(
        "plugin {path}: invalid \"federation\" setting {found:?}: expected \"web_identity\" or \"saml\""
    )]
    BadFederationKind {
        /// The library.
        path: PathBuf,
        /// The value found.
        found: String,
    },
    /// Two credential signers or two policy evaluators: only one of each can replace the built-in.
    #[error("plugin {path}: a second {kind} plugin; only one can replace the built-in")]
    Duplicate {
        /// The library.
        path: PathBuf,
        /// `credential signer` or `policy evaluator`.
        kind: &'static str,
    },
}

/// The plugins of a configuration, ready for the engine.
#[derive(Debug, Default)]
pub struct LoadedPlugins {
    /// Identity providers, in configuration order, as core trait objects.
    pub identity_providers: Vec<Arc<dyn IdentityProvider>>,
    /// The credential-signer plugin that replaces the built-in, if any.
    pub signer: Option<Arc<CredentialSignerPlugin>>,
    /// The policy-evaluator plugin that replaces the built-in, if any.
    pub evaluator: Option<Arc<PolicyEvaluatorPlugin>>,
}

impl LoadedPlugins {
    /// The identity provider registered for `kind`: the first one in configuration order.
    pub fn identity_provider(&self, kind: FederationKind) -> Option<Arc<dyn IdentityProvider>> {
        self.identity_providers
            .iter()
            .find(|provider| provider.kind() == kind)
            .cloned()
    }
}

/// Loads every plugin of `entries`; relative paths are resolved against `base_dir` (the
/// configuration file's directory; `None`: the working directory). The first failure stops
/// the load, with a message naming the file.
pub fn load_plugins(
    entries: &[PluginConfig],
    base_dir: Option<&Path>,
) -> Result<LoadedPlugins, PluginLoadError> {
    let mut loaded = LoadedPlugins::default();
    for entry in entries {
        let path = match base_dir {
            Some(base) if entry.path.is_relative() => base.join(&entry.path),
            _ => entry.path.clone(),
        };
        let library = PluginLibrary::load_any(&path)?;
        match library.kind() {
            KtPluginKind::IdentityProvider => {
                let kind = federation_kind(&path, library.name(), &entry.config)?;
                let plugin = library
                    .identity_provider(&entry.config)?
                    .with_deadline(entry.call_timeout);
                loaded
                    .identity_providers
                    .push(Arc::new(PluginIdentityProvider::new(plugin, kind)));
            }
            KtPluginKind::CredentialSigner => {
                fill_once(&mut loaded.signer, path, "credential signer", || {
                    library.credential_signer(&entry.config)
                })?;
            }
            KtPluginKind::PolicyEvaluator => {
                fill_once(&mut loaded.evaluator, path, "policy evaluator", || {
                    library.policy_evaluator(&entry.config)
                })?;
            }
        }
    }
    Ok(loaded)
}

/// Puts the plugin `instantiate` makes into `slot`, which only one plugin of its `kind` may fill:
/// a second one is [`PluginLoadError::Duplicate`] (and is not instantiated).
fn fill_once<T>(
    slot: &mut Option<Arc<T>>,
    path: PathBuf,
    kind: &'static str,
    instantiate: impl FnOnce() -> Result<T, LoadError>,
) -> Result<(), PluginLoadError> {
    if slot.is_some() {
        return Err(PluginLoadError::Duplicate { path, kind });
    }
    *slot = Some(Arc::new(instantiate()?));
    Ok(())
}

fn federation_kind(
    path: &Path,
    name: &str,
    config: &serde_json::Value,
) -> Result<FederationKind, PluginLoadError> {
    match config.get(FEDERATION_KEY) {
        None | Some(serde_json::Value::Null) => Ok(if name.to_ascii_lowercase().contains("saml") {
            FederationKind::Saml
        } else {
            FederationKind::WebIdentity
        }),
        Some(serde_json::Value::String(text)) if text == "web_identity" => {
            Ok(FederationKind::WebIdentity)
        }
        Some(serde_json::Value::String(text)) if text == "saml" => Ok(FederationKind::Saml),
        Some(other) => Err(PluginLoadError::BadFederationKind {
            path: path.to_owned(),
            found: match other {
                serde_json::Value::String(text) => text.clone(),
                value => value.to_string(),
            },
        }),
    }
}

/// An identity-provider plugin as a core [`IdentityProvider`].
#[derive(Debug)]
pub struct PluginIdentityProvider {
    plugin: IdentityProviderPlugin,
    kind: FederationKind,
}

impl PluginIdentityProvider {
    /// Wraps an instantiated plugin that serves `kind`.
    pub fn new(plugin: IdentityProviderPlugin, kind: FederationKind) -> Self {
        Self { plugin, kind }
    }

    /// The plugin's name.
    pub fn name(&self) -> &str {
        self.plugin.name()
    }
}

impl IdentityProvider for PluginIdentityProvider {
    fn kind(&self) -> FederationKind {
        self.kind
    }

    fn verify(&self, request: &FederationRequest) -> Result<FederatedIdentity, Error> {
        let wire_request = to_wire(request);
        let result = self.plugin.verify(&wire_request).map_err(|e| match e {
            PluginError::TimedOut { .. } => timed_out(self.kind),
            e => from_plugin_error(self.plugin.name(), e),
        })?;
        from_wire(result, &wire_request, self.plugin.name())
    }
}

/// What a federation request gets when its identity provider did not answer in time: for web
/// identity AWS's `IDPCommunicationError` (the provider could not be reached; the SDKs may
/// retry); for SAML, which AWS verifies without calling the provider, `ServiceUnavailable`.
pub fn timed_out(kind: FederationKind) -> Error {
    match kind {
        FederationKind::WebIdentity => {
            Error::new(ErrorCode::IdpCommunicationError, IDP_COMMUNICATION_MESSAGE)
        }
        FederationKind::Saml => Error::new(
            ErrorCode::ServiceUnavailable,
            keyturn_core::store::SERVICE_UNAVAILABLE_MESSAGE,
        ),
    }
}

/// `IDPCommunicationError`'s text (the STS model's description of the error).
pub const IDP_COMMUNICATION_MESSAGE: &str = "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. This is often a transient error caused by network conditions. Retry the request a limited number of times so that you don't exceed the request rate. If the error persists, the identity provider might be down or not responding.";

/// The wire request for a core request: every provider with its settings, the requested
/// provider (SAML's `PrincipalArn`, or the only provider) as `provider_arn`.
pub fn to_wire(request: &FederationRequest) -> VerifyRequest {
    let provider_arn = match (&request.principal_arn, request.providers.as_slice()) {
        (Some(arn), _) => arn.clone(),
        (None, [only]) => only.arn.clone(),
        (None, _) => String::new(),
    };
    VerifyRequest {
        provider_arn,
        token: request.token.clone(),
        role_arn: request.role_arn.clone(),
        now: request.now.unix_timestamp(),
        kind: Some(
            match request.kind {
                FederationKind::WebIdentity => "web_identity",
                FederationKind::Saml => "saml",
            }
            .to_owned(),
        ),
        principal_arn: request.principal_arn.clone(),
        providers: request.providers.iter().map(provider_to_wire).collect(),
    }
}

fn provider_to_wire(provider: &ProviderInfo) -> wire::ProviderInfo {
    wire::ProviderInfo {
        arn: provider.arn.clone(),
        account_id: provider.account_id.clone(),
        settings: provider.settings.clone(),
    }
}

/// The core identity for a wire result. A result without `provider_arn` is attributed to the
/// request's `provider_arn`; one that names a provider the request did not offer is a plugin
/// fault (`InternalFailure`).
pub fn from_wire(
    result: VerifyResult,
    request: &VerifyRequest,
    plugin: &str,
) -> Result<FederatedIdentity, Error> {
    let provider_arn = result
        .provider_arn
        .clone()
        .unwrap_or_else(|| request.provider_arn.clone());
    let offered = provider_arn == request.provider_arn
        || request.providers.iter().any(|p| p.arn == provider_arn);
    if provider_arn.is_empty() || !offered {
        return Err(Error::new(
            ErrorCode::InternalFailure,
            format!("identity-provider plugin {plugin} vouched for a provider it was not offered"),
        ));
    }
    let session_not_on_or_after = match result.expires_at {
        Some(seconds) => Some(OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| {
            Error::new(
                ErrorCode::InternalFailure,
                format!("identity-provider plugin {plugin} returned an out-of-range expiry"),
            )
        })?),
        None => None,
    };
    Ok(FederatedIdentity {
        provider_arn,
        subject: result.subject,
        subject_type: result.subject_type,
        issuer: result.issuer.unwrap_or_default(),
        audience: result.audience.unwrap_or_default(),
        condition_keys: result.condition_keys,
        session_tags: result
            .session_tags
            .into_iter()
            .map(|tag| (tag.key, tag.value))
            .collect(),
        transitive_tag_keys: result.transitive_tag_keys,
        source_identity: result.source_identity,
        role_session_name: result.role_session_name,
        session_duration: result.session_duration,
        roles: result
            .roles
            .into_iter()
            .map(|pair| (pair.role_arn, pair.provider_arn))
            .collect(),
        session_not_on_or_after,
        claims: result.claims,
        key_hash: result.key_hash,
        assertion_encrypted: result.assertion_encrypted,
    })
}

/// The core error for a failed plugin call: a rejection with one of the federation codes keeps
/// its code and AWS's message; anything else (an unknown code, a plugin fault, a panic, malformed
/// output) is `InternalFailure` naming the plugin, never the plugin's text.
pub fn from_plugin_error(plugin: &str, error: PluginError) -> Error {
    plugin_failure("identity-provider", plugin, error, |code, message| {
        let code = match code {
            "InvalidIdentityToken" => ErrorCode::InvalidIdentityToken,
            "IDPRejectedClaim" => ErrorCode::IdpRejectedClaim,
            "ExpiredTokenException" => ErrorCode::ExpiredTokenException,
            "IDPCommunicationError" => ErrorCode::IdpCommunicationError,
            _ => return None,
        };
        Some(Error::new(code, message))
    })
}

/// The core error for a failed call to a `kind` plugin (`identity-provider`,
/// `credential-signer`) named `plugin`: what `known` makes of a rejection's code and message
/// when it knows the code; otherwise (an unknown code, a plugin fault, a panic, malformed output)
/// `InternalFailure` naming the plugin, never the plugin's text.
pub(crate) fn plugin_failure(
    kind: &str,
    plugin: &str,
    error: PluginError,
    known: impl FnOnce(&str, String) -> Option<Error>,
) -> Error {
    let what = match error {
        PluginError::Rejected { code, message } => match known(&code, message) {
            Some(error) => return error,
            None => "rejected with an unknown code",
        },
        _ => "failed",
    };
    Error::new(
        ErrorCode::InternalFailure,
        format!("{kind} plugin {plugin} {what}"),
    )
}

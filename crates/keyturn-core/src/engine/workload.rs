//! Workload identity's key material as the engine serves it: the certificate-authority keys
//! of X.509 signers (derived from the keyring, cached per signer), new signer entries with
//! their CA certificates, and the JWT keys of providers.
//!
//! What the STS side reads: [`crate::iam::IamData::workload_provider`] and
//! [`crate::iam::IamData::workload_template`] find the entities by ARN;
//! [`crate::iam::WorkloadIdentityProvider::active_x509_signer`] and
//! [`crate::iam::WorkloadIdentityProvider::published_x509_signers`] say which CA signs and
//! which CAs the X.509 bundle holds; [`Engine::workload_ca_key`] gives a signer's private key;
//! [`Engine::sign_workload_jwt`] and [`Engine::workload_jwks`] sign with and publish a
//! provider's JWT keys.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use time::OffsetDateTime;

use super::Engine;
use super::outbound::JwtAlgorithm;
use crate::Error;
use crate::iam::WorkloadIdentityProvider;
use crate::iam::workload::{PrivateCertificateAuthority, X509Signer};
use crate::iam::workload_ca::{self, CaSigningKey};
use crate::keyring::KeyId;

/// The derived CA keys, by (keyring key, CA account, CA id, algorithm).
#[derive(Default)]
pub(crate) struct CaKeys {
    keys: Mutex<HashMap<(KeyId, String), Arc<CaSigningKey>>>,
}

/// The path under the public URL where a provider's issuer lives: `/workload-identity/{id}`.
pub const WORKLOAD_ISSUER_PATH: &str = "/workload-identity/";

/// The SPIFFE bundle endpoint's path under a provider's issuer.
pub const BUNDLE_PATH: &str = "/bundle";

impl Engine {
    /// The issuer URI of `provider` (`OidcIssuerUri`, the `iss` of its JWT-SVIDs):
    /// `{public URL}/workload-identity/{provider id}`; its JWKS is under
    /// [`super::outbound::JWKS_PATH`] and its discovery document under
    /// [`super::outbound::DISCOVERY_PATH`].
    pub fn workload_issuer_url(&self, provider: &WorkloadIdentityProvider) -> String {
        format!("{}{WORKLOAD_ISSUER_PATH}{}", self.public_url(), provider.id)
    }

    /// The SPIFFE trust bundle endpoint of `provider` (`BundleEndpointUrl`): its issuer URI
    /// and [`BUNDLE_PATH`].
    pub fn workload_bundle_url(&self, provider: &WorkloadIdentityProvider) -> String {
        format!("{}{BUNDLE_PATH}", self.workload_issuer_url(provider))
    }

    /// The private key of `signer`'s certificate authority, derived from the keyring on first
    /// use and cached.
    ///
    /// # Errors
    /// `ServiceFailure` when the keyring no longer holds the signer's keyring key.
    pub fn workload_ca_key(&self, signer: &X509Signer) -> Result<Arc<CaSigningKey>, Error> {
        let cache_key = (
            signer.keyring_key,
            format!(
                "{}/{}/{}",
                signer.ca_account,
                signer.ca_id,
                signer.key_algorithm.as_str()
            ),
        );
        let cached = self
            .workload
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&cache_key)
            .cloned();
        if let Some(key) = cached {
            return Ok(key);
        }
        // Derived outside the lock: two first uses may both derive (the same key).
        let key = Arc::new(workload_ca::derive_ca_key(
            &self.keyring,
            signer.keyring_key,
            &signer.ca_account,
            &signer.ca_id,
            signer.key_algorithm,
        )?);
        let mut map = self
            .workload
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Ok(Arc::clone(map.entry(cache_key).or_insert(key)))
    }

    /// A new X.509 signer entry for the CA `ca` of `ca_account`: its key under the active
    /// keyring key, a fresh self-signed CA certificate, signing from `start`.
    ///
    /// # Errors
    /// `ServiceFailure` when the key or certificate cannot be made.
    pub fn new_x509_signer(
        &self,
        ca_account: &str,
        ca: &PrivateCertificateAuthority,
        start: OffsetDateTime,
        sequence: u64,
    ) -> Result<X509Signer, Error> {
        let mut signer = X509Signer {
            ca_id: ca.id.clone(),
            ca_account: ca_account.to_owned(),
            key_algorithm: ca.key_algorithm,
            keyring_key: self.keyring.active_id(),
            certificate: String::new(),
            start_signing_time: crate::clock::iso8601(start),
            end_signing_time: None,
            discovery_expiration_time: None,
            stop: None,
            sequence,
        };
        let key = self.workload_ca_key(&signer)?;
        signer.certificate = workload_ca::ca_certificate(&key, ca_account, ca, self.clock.now())?;
        Ok(signer)
    }

    /// Signs `claims` as a compact JWS with `provider`'s key for `alg` (its JWT signer), under
    /// the active keyring key; `None` when the encoded claims are longer than `payload_limit`.
    ///
    /// # Errors
    /// `InternalFailure` when the key cannot be derived.
    pub fn sign_workload_jwt(
        &self,
        provider: &WorkloadIdentityProvider,
        alg: JwtAlgorithm,
        claims: &Value,
        payload_limit: usize,
    ) -> Result<Option<String>, Error> {
        self.sign_jwt(&provider.jwt_key_subject(), alg, claims, payload_limit)
    }

    /// The JSON Web Key Set of `provider`'s JWT signers (every keyring key's, the active one
    /// first): the JWT trust bundle's keys.
    ///
    /// # Errors
    /// `InternalFailure` when a key cannot be derived.
    pub fn workload_jwks(&self, provider: &WorkloadIdentityProvider) -> Result<Value, Error> {
        self.jwks(&provider.jwt_key_subject())
    }
}

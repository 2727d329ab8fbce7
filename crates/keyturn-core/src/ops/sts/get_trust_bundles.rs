//! GetTrustBundles: the SPIFFE trust bundle of a workload identity provider's trust domain,
//! for relying parties that verify its X.509-SVIDs and JWT-SVIDs.
//!
//! The bundle holds the CA certificate of every X.509 signer whose trust material is published
//! (before it signs, while it signs, and while what it signed may still be valid) and the
//! public key of each of the provider's JWT signers (`kid` as in the JWT-SVIDs' headers).

use keyturn_api::sts::{GetTrustBundlesRequest, GetTrustBundlesResponse, TrustBundleEntry};
use serde_json::Value;

use super::workload::{provider_bundle, visible_provider};
use crate::ops::prelude::*;

operation! {
    /// `sts:GetTrustBundles` on `*` (no resource-level permissions): the provider's trust
    /// bundle, for a provider of the caller's account or an ORGANIZATION-scoped one of its
    /// organization; any other is `ResourceNotFoundException`.
    GetTrustBundles(GetTrustBundlesRequest) -> GetTrustBundlesResponse;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let provider = visible_provider(caller, &input.provider_arn)?;
        let Some(domain) = provider.domain.clone() else {
            // A provider of the NONE scheme has no trust domain: no bundle.
            return Ok(GetTrustBundlesResponse {
                trust_bundles: Some(Vec::new()),
            });
        };
        let bundle: Value = provider_bundle(cx.engine, provider)?;
        let bundle = serde_json::to_string(&bundle).map_err(|_| Error::internal())?;
        Ok(GetTrustBundlesResponse {
            trust_bundles: Some(vec![TrustBundleEntry {
                trust_domain: domain,
                bundle,
            }]),
        })
    }
}

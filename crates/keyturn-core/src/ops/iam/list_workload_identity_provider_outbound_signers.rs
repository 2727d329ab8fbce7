//! `iam:ListWorkloadIdentityProviderOutboundSigners`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keyturn_api::iam::{
    ListWorkloadIdentityProviderOutboundSignersRequest,
    ListWorkloadIdentityProviderOutboundSignersResponse, WorkloadIdentityJwtSignerConfiguration,
    WorkloadIdentityOutboundSignerDetailConfiguration, WorkloadIdentityOutboundSignerSummary,
};
use sha2::{Digest as _, Sha256};

use super::workload_identity::{self as wi, invalid};
use crate::iam::WorkloadIdentityProvider;
use crate::iam::workload::JWT_SIGNERS;
use crate::ops::prelude::*;

/// The page size when `MaxItems` is not given.
pub const DEFAULT_MAX_ITEMS: usize = 100;

/// What ties a marker to the provider ARN as the request spelled it.
fn tie(arn: &str) -> String {
    hex::encode(&Sha256::digest(arn.as_bytes())[..8])
}

/// The marker after the entry at `position` (JWT signers 0 and 1, X.509 entries 2 + their
/// sequence number): positions do not move when entries come or go.
fn marker(arn: &str, position: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{position}", tie(arn)))
}

/// The position a marker continues after.
///
/// # Errors
/// `InvalidInput` for a marker not made for this ARN.
fn position(arn: &str, marker: &str) -> Result<u64, Error> {
    let bad = || invalid("The marker is not valid for this request.");
    let raw = URL_SAFE_NO_PAD.decode(marker).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (t, n) = text.split_once(':').ok_or_else(bad)?;
    if t != tie(arn) {
        return Err(bad());
    }
    n.parse().map_err(|_| bad())
}

operation! {
    /// `iam:ListWorkloadIdentityProviderOutboundSigners` on the provider's ARN: every signer,
    /// the two JWT signers then the X.509 entries in recording order, in every status; paged
    /// by markers tied to the ARN as spelled, which entries created or deleted between calls
    /// do not shift.
    ListWorkloadIdentityProviderOutboundSigners(ListWorkloadIdentityProviderOutboundSignersRequest)
        -> ListWorkloadIdentityProviderOutboundSignersResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let arn = &input.workload_identity_provider_arn;
        let (_, p) = wi::seen::<WorkloadIdentityProvider>(cx, arn)?;
        let after = input.marker.as_deref().map(|m| position(arn, m)).transpose()?;
        let max = input.max_items.map_or(DEFAULT_MAX_ITEMS, |m| usize::try_from(m).unwrap_or(1));
        let now = cx.engine.clock().now();
        let jwt = JWT_SIGNERS.iter().zip(0u64..).map(|(j, n)| {
            (n, WorkloadIdentityOutboundSignerSummary {
                signer_type: "JWT".to_owned(),
                configuration: Some(WorkloadIdentityOutboundSignerDetailConfiguration {
                    x509: None,
                    jwt: Some(WorkloadIdentityJwtSignerConfiguration { key_algorithm: j.key_algorithm.to_owned() }),
                }),
                status: None,
                signing_algorithm: Some(j.signing_algorithm.to_owned()),
                start_signing_time: wi::time_of(&p.create_date),
                end_signing_time: None,
                discovery_expiration_time: None,
            })
        });
        let x509 = p.x509_signers.iter().map(|s| {
            let d = wi::x509_detail(s, now);
            (s.sequence + 2, WorkloadIdentityOutboundSignerSummary {
                signer_type: "X509".to_owned(),
                configuration: Some(WorkloadIdentityOutboundSignerDetailConfiguration {
                    x509: d.configuration,
                    jwt: None,
                }),
                status: d.status,
                signing_algorithm: None,
                start_signing_time: d.start_signing_time.unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
                end_signing_time: d.end_signing_time,
                discovery_expiration_time: d.discovery_expiration_time,
            })
        });
        let mut rest = jwt.chain(x509).filter(|(n, _)| after.is_none_or(|a| *n > a)).peekable();
        let mut page = Vec::new();
        let mut last = 0;
        while page.len() < max {
            let Some((n, item)) = rest.next() else { break };
            last = n;
            page.push(item);
        }
        let is_truncated = rest.peek().is_some();
        Ok(ListWorkloadIdentityProviderOutboundSignersResponse {
            outbound_signers: page,
            is_truncated,
            marker: is_truncated.then(|| marker(arn, last)),
        })
    }
}

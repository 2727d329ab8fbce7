//! `delegation:`: the partner-delegation flow's notification channels, and the delegation
//! requests an account holds (in the model's own form, as `keyturn export` writes them).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use keyturn_core::arn::Arn;
use keyturn_core::iam::DelegationRequest;

use super::{Checked, Checker};
use crate::config::raw::RawDelegation;

/// Whether `arn` is an SNS topic ARN: an ARN (`keyturn_core::arn::Arn`'s checks: partition,
/// region token, account) of service `sns` with a region and an account, its resource the topic
/// name, 1 to 256 letters, digits, `-` and `_` (a FIFO topic's `.fifo` suffix allowed).
fn topic_arn(arn: &str) -> bool {
    let Ok(arn) = Arn::parse(arn) else {
        return false;
    };
    let name = arn.resource();
    let base = name.strip_suffix(".fifo").unwrap_or(name);
    arn.service() == "sns"
        && !arn.region().is_empty()
        && arn.account_id().is_some()
        && (1..=256).contains(&base.len())
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Checker<'_> {
    /// The channels: topic ARN → the file its messages are appended to (resolved against the
    /// configuration's directory).
    pub(super) fn delegation_channels(
        &self,
        raw: Option<&RawDelegation>,
    ) -> Checked<BTreeMap<String, PathBuf>> {
        let mut out = BTreeMap::new();
        for (arn, channel) in raw.map(|d| &d.notification_channels).into_iter().flatten() {
            let p = format!("delegation.notification_channels.{arn}");
            if !topic_arn(arn) {
                return self.fail(
                    &p,
                    format!("`{arn}` is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"),
                );
            }
            if channel.file.is_empty() {
                return self.fail(&format!("{p}.file"), "the file path is empty");
            }
            out.insert(arn.clone(), self.resolve(&channel.file));
        }
        Ok(out)
    }

    /// An account's delegation requests: ids unique across the configuration, workflow ids
    /// unique in the account.
    pub(super) fn delegation_requests(
        &self,
        p: &str,
        requests: &[DelegationRequest],
        seen: &mut BTreeSet<String>,
    ) -> Checked<Vec<DelegationRequest>> {
        let mut workflows = BTreeSet::new();
        for (i, r) in requests.iter().enumerate() {
            let q = format!("{p}.delegation_requests[{i}]");
            if !seen.insert(r.id.clone()) {
                return self.fail(
                    &format!("{q}.id"),
                    format!("delegation request `{}` is defined more than once", r.id),
                );
            }
            if !workflows.insert(r.requestor_workflow_id.as_str()) {
                return self.fail(
                    &format!("{q}.requestor_workflow_id"),
                    format!(
                        "workflow id `{}` is used by two requests of the account",
                        r.requestor_workflow_id
                    ),
                );
            }
        }
        Ok(requests.to_vec())
    }
}

//! `iam:GetAccountSummary`.

use keyturn_api::iam::{GetAccountSummaryRequest, GetAccountSummaryResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetAccountSummary` on `*` (no resource type): the account's entity counts and IAM's
    /// default quotas.
    GetAccountSummary(GetAccountSummaryRequest) -> GetAccountSummaryResponse;

    fn run(cx, _) {
        let v = shared::view(cx)?;
        Ok(GetAccountSummaryResponse {
            summary_map: Some(
                v.account_summary()
                    .into_iter()
                    .map(|(k, n)| (k.to_owned(), i32::try_from(n).unwrap_or(i32::MAX)))
                    .collect(),
            ),
        })
    }
}

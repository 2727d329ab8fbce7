//! `iam:GetAccountSummary`.

use keyturn_api::iam::{GetAccountSummaryRequest, GetAccountSummaryResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetAccountSummary` on `*` (no resource type): the account's entity counts and IAM's
    /// default quotas.
    GetAccountSummary(GetAccountSummaryRequest) -> GetAccountSummaryResponse;

    fn run(cx, _) {
        let count = |(k, n): (&str, i64)| (k.to_owned(), i32::try_from(n).unwrap_or(i32::MAX));
        let summary_map = shared::unpaged(cx, |v| v.account_summary(), count)?;
        Ok(GetAccountSummaryResponse { summary_map })
    }
}

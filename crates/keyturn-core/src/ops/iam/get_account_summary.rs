//! `iam:GetAccountSummary`.

use keyturn_api::iam::{GetAccountSummaryRequest, GetAccountSummaryResponse};

use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetAccountSummary` on `*` (no resource type): the account's entity counts and IAM's
/// default quotas.
#[derive(Debug)]
pub struct GetAccountSummary;

impl Operation for GetAccountSummary {
    type Input = GetAccountSummaryRequest;
    type Output = GetAccountSummaryResponse;
    const ACTION: Option<&'static str> = Some("iam:GetAccountSummary");

    fn run(cx: &Context<'_>, _: Self::Input) -> Result<Self::Output, Error> {
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

//! `iam:ListPolicyVersions`.

use keyturn_api::iam::{ListPolicyVersionsRequest, ListPolicyVersionsResponse, PolicyVersion};

use super::admin;
use super::get_policy_version::version;
use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListPolicyVersions` on the policy's ARN: its versions, newest first, without their
/// documents (as IAM; GetPolicyVersion has them).
#[derive(Debug)]
pub struct ListPolicyVersions;

impl Operation for ListPolicyVersions {
    type Input = ListPolicyVersionsRequest;
    type Output = ListPolicyVersionsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListPolicyVersions");

    fn resource(_cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        admin::policy_resource(&input.policy_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let all = v.policy_versions(&input.policy_arn)?;
        let p = shared::page(all, input.marker.as_deref(), input.max_items)?;
        Ok(ListPolicyVersionsResponse {
            versions: Some(
                p.items
                    .into_iter()
                    .map(|x| PolicyVersion {
                        document: None,
                        ..version(x)
                    })
                    .collect(),
            ),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}

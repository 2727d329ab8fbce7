//! `iam:ListPolicyVersions`.

use keyturn_api::iam::{ListPolicyVersionsRequest, ListPolicyVersionsResponse, PolicyVersion};

use super::admin;
use super::get_policy_version::version;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListPolicyVersions` on the policy's ARN: its versions, newest first, without their
    /// documents (as IAM; GetPolicyVersion has them).
    ListPolicyVersions(ListPolicyVersionsRequest)
        -> ListPolicyVersionsResponse, on admin::policy_arn(policy_arn);

    fn run(cx, input) {
        let arn = &input.policy_arn;
        shared::list(cx, &input, |v| v.policy_versions(arn), |x| PolicyVersion {
            document: None,
            ..version(x)
        })
    }
}

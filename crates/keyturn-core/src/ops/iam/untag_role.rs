//! `iam:UntagRole`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UntagRoleRequest;

use super::admin;
use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:UntagRole` on the role's ARN, with `aws:TagKeys`: removes the tags with these keys.
#[derive(Debug)]
pub struct UntagRole;

impl Operation for UntagRole {
    type Input = UntagRoleRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UntagRole");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(admin::tag_keys_condition(&input.tag_keys))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        admin::edit_role(cx, &input.role_name, |_, role| {
            admin::untag(&mut role.tags, &input.tag_keys);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}

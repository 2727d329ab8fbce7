//! `iam:TagRole`.

use keyturn_api::NoOutput;
use keyturn_api::iam::TagRoleRequest;

use super::admin;
use super::shared::{self, Kind};
use super::write;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:TagRole` on the role's ARN, with `aws:RequestTag/…` and `aws:TagKeys`: adds tags,
/// replacing those with the same key (ignoring case); at most 50.
#[derive(Debug)]
pub struct TagRole;

impl Operation for TagRole {
    type Input = TagRoleRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:TagRole");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::tag_conditions(Some(&input.tags)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        admin::edit_role(cx, &input.role_name, |_, role| {
            role.tags = write::tags(Some(&input.tags), &role.tags)?;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}

//! `iam:PutUserPermissionsBoundary`.

use keyturn_api::NoOutput;
use keyturn_api::iam::PutUserPermissionsBoundaryRequest;

use super::shared::{self, Kind};
use super::users_groups::set_user_boundary;
use super::write;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:PutUserPermissionsBoundary` on the user's ARN, with `iam:PermissionsBoundary` (the new
/// boundary): sets or replaces the user's permissions boundary, which must be an attachable
/// managed policy (a customer managed policy of the account, or an AWS managed policy). It
/// limits the user's very next request.
#[derive(Debug)]
pub struct PutUserPermissionsBoundary;

impl Operation for PutUserPermissionsBoundary {
    type Input = PutUserPermissionsBoundaryRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:PutUserPermissionsBoundary");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::boundary_condition(Some(&input.permissions_boundary)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        set_user_boundary(cx, &input.user_name, Some(&input.permissions_boundary))?;
        Ok(NoOutput)
    }
}

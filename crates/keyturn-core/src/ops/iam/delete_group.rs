//! `iam:DeleteGroup`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteGroupRequest;

use super::shared::{self, Kind};
use super::write;
use crate::iam::EntityKind;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:DeleteGroup` on the group's ARN. As IAM, refuses a group that still has members, inline
/// policies or attached policies (`DeleteConflict`).
#[derive(Debug)]
pub struct DeleteGroup;

impl Operation for DeleteGroup {
    type Input = DeleteGroupRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteGroup");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let name = input.group_name.as_str();
        write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.group(name)?;
            let Some(group) = p.account.group(name) else {
                return Ok(());
            };
            let conflict = |text: &str| Err(Error::new(ErrorCode::DeleteConflict, text));
            if p.account
                .users
                .iter()
                .any(|u| u.groups.iter().any(|g| g == name))
            {
                return conflict("Cannot delete entity, must remove users from group first.");
            }
            if !group.inline_policies.is_empty() {
                return conflict("Cannot delete entity, must delete policies first.");
            }
            if !group.managed_policies.is_empty() {
                return conflict("Cannot delete entity, must detach all policies first.");
            }
            p.forget(group.arn(&p.account.id));
            p.delete(EntityKind::Group, name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}

//! `iam:CreateUser`.

use crate::ids::UniqueIdKind;
use keyturn_api::iam::{CreateUserRequest, CreateUserResponse};

use super::shared;
use super::write::{self, quota};
use crate::iam::{Entity, User};
use crate::ops::prelude::*;

operation! {
    /// `iam:CreateUser` on the new user's ARN, with `iam:PermissionsBoundary` and the request's
    /// tags as condition keys: a login-less user (no password), with its boundary and tags.
    CreateUser(CreateUserRequest) -> CreateUserResponse,
        when write::creation_conditions(permissions_boundary, tags);

    fn resource(cx, input) { write::new_arn(cx, "user", input.path.as_deref(), &input.user_name) }

    fn run(cx, input) {
        let name = &input.user_name;
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            write::admit_name(&a.users, "User", name, quota::USERS)?;
            write::any_boundary_attachable(p, input.permissions_boundary.as_deref())?;
            let user = User {
                name: name.clone(),
                id: write::new_id(UniqueIdKind::User)?,
                path: write::path(input.path.as_deref()).to_owned(),
                permissions_boundary: input.permissions_boundary.clone(),
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
                ..User::default()
            };
            Ok((user.arn(&a.id), Entity::User(user)))
        };
        write::create(cx, plan, |v, _| {
            Ok(CreateUserResponse {
                user: Some(shared::user(v.user(name)?, true)),
            })
        })
    }
}

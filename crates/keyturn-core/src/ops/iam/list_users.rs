//! `iam:ListUsers`.

use keyturn_api::iam::{ListUsersRequest, ListUsersResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListUsers` on `*` (no resource type): the users under `PathPrefix`, by name, without
    /// their boundaries and tags (as IAM lists them).
    ListUsers(ListUsersRequest) -> ListUsersResponse;

    fn run(cx, input) {
        let prefix = input.path_prefix.as_deref();
        shared::list(cx, &input, |v| Ok(v.users(prefix)), |u| shared::user(u, false))
    }
}

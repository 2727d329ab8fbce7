//! `iam:ListGroups`.

use keyturn_api::iam::{ListGroupsRequest, ListGroupsResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListGroups` on `*` (no resource type): the groups under `PathPrefix`, by name.
    ListGroups(ListGroupsRequest) -> ListGroupsResponse;

    fn run(cx, input) {
        let prefix = input.path_prefix.as_deref();
        shared::list(cx, &input, |v| Ok(v.groups(prefix)), shared::group)
    }
}

//! `iam:ListInstanceProfilesForRole`.

use keyturn_api::iam::{ListInstanceProfilesForRoleRequest, ListInstanceProfilesForRoleResponse};

use super::instance_profiles;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListInstanceProfilesForRole` on the role's ARN: the profiles that hold the role, by
    /// name, paged.
    ListInstanceProfilesForRole(ListInstanceProfilesForRoleRequest)
        -> ListInstanceProfilesForRoleResponse, on shared::role_arn(role_name);

    fn run(cx, input) {
        let role = &input.role_name;
        shared::list(cx, &input, |v| v.instance_profiles_for_role(role), instance_profiles::shape)
    }
}

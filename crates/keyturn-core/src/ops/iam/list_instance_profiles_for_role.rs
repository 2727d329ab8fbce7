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
        let items = shared::view(cx)?.instance_profiles_for_role(&input.role_name)?;
        shared::paged(items, &input, instance_profiles::shape)
    }
}

//! `iam:GetAccountAuthorizationDetails`.

use keyturn_api::iam::{
    GetAccountAuthorizationDetailsRequest, GetAccountAuthorizationDetailsResponse,
};

use super::shared;
use crate::engine::view::{AuthorizationDetail, EntityFilter};
use crate::ops::prelude::*;

fn filter(values: &[String]) -> Result<Vec<EntityFilter>, Error> {
    values
        .iter()
        .map(|f| match f.as_str() {
            "User" => Ok(EntityFilter::User),
            "Role" => Ok(EntityFilter::Role),
            "Group" => Ok(EntityFilter::Group),
            "LocalManagedPolicy" => Ok(EntityFilter::LocalManagedPolicy),
            "AWSManagedPolicy" => Ok(EntityFilter::AwsManagedPolicy),
            other => Err(Error::new(
                ErrorCode::ValidationError,
                format!(
                    "1 validation error detected: Value '[{other}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, LocalManagedPolicy, Group, AWSManagedPolicy]]"
                ),
            )),
        })
        .collect()
}

operation! {
    /// `iam:GetAccountAuthorizationDetails` on `*` (no resource type): every user, group, role and
    /// managed policy of the account (customer managed, then the AWS managed ones in use) with
    /// their policies, as `Filter` selects. One `Marker` pages over all entries in that order; each
    /// page's entries go to their four lists.
    GetAccountAuthorizationDetails(GetAccountAuthorizationDetailsRequest)
        -> GetAccountAuthorizationDetailsResponse;

    fn run(cx, input) {
        let wanted = filter(input.filter.as_deref().unwrap_or_default())?;
        let v = shared::view(cx)?;
        let items = v.authorization_details(&wanted)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        let (mut users, mut groups, mut roles, mut policies) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for entry in p.items {
            match entry {
                AuthorizationDetail::User(d) => users.push(d),
                AuthorizationDetail::Group(d) => groups.push(d),
                AuthorizationDetail::Role(mut d) => {
                    let role_id = d.role_id.as_deref().unwrap_or_default();
                    d.role_last_used = Some(shared::role_last_used(cx, role_id));
                    roles.push(d);
                }
                AuthorizationDetail::Policy(d) => policies.push(d),
            }
        }
        Ok(GetAccountAuthorizationDetailsResponse {
            user_detail_list: Some(users),
            group_detail_list: Some(groups),
            role_detail_list: Some(roles),
            policies: Some(policies),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}

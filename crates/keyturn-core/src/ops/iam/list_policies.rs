//! `iam:ListPolicies`.

use keyturn_api::iam::{ListPoliciesRequest, ListPoliciesResponse};

use super::get_policy::listed;
use super::shared;
use crate::engine::view::{PolicyFilter, PolicyScope, PolicyUsage};
use crate::ops::prelude::*;

fn scope(text: Option<&str>) -> Result<PolicyScope, Error> {
    match text {
        None | Some("All") => Ok(PolicyScope::All),
        Some("AWS") => Ok(PolicyScope::Aws),
        Some("Local") => Ok(PolicyScope::Local),
        Some(other) => Err(enum_error(other, "scope", "[All, AWS, Local]")),
    }
}

/// `PolicyUsageFilter` (ListPolicies, ListEntitiesForPolicy).
pub(crate) fn usage(text: Option<&str>) -> Result<Option<PolicyUsage>, Error> {
    match text {
        None => Ok(None),
        Some("PermissionsPolicy") => Ok(Some(PolicyUsage::PermissionsPolicy)),
        Some("PermissionsBoundary") => Ok(Some(PolicyUsage::PermissionsBoundary)),
        Some(other) => Err(enum_error(
            other,
            "policyUsageFilter",
            "[PermissionsPolicy, PermissionsBoundary]",
        )),
    }
}

/// The model's enum constraint, in AWS's words (the wire decoder checks it first; this covers
/// inputs built in code).
fn enum_error(value: &str, member: &str, set: &str) -> Error {
    Error::new(
        ErrorCode::ValidationError,
        format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: {set}"
        ),
    )
}

operation! {
    /// `iam:ListPolicies` on `*` (no resource type): customer managed policies of the caller's
    /// account and AWS managed policies, as `Scope`, `OnlyAttached`, `PathPrefix` and
    /// `PolicyUsageFilter` select, by name.
    ListPolicies(ListPoliciesRequest) -> ListPoliciesResponse;

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let filter = PolicyFilter {
            scope: scope(input.scope.as_deref())?,
            only_attached: input.only_attached.unwrap_or(false),
            path_prefix: input.path_prefix.as_deref(),
            usage: usage(input.policy_usage_filter.as_deref())?,
        };
        let items = v.policies(&filter)?;
        shared::paged(items, &input, listed)
    }
}

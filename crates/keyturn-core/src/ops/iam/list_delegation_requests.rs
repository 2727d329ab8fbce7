//! `iam:ListDelegationRequests`.

use keyturn_api::iam::{ListDelegationRequestsRequest, ListDelegationRequestsResponse};

use super::{delegation, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListDelegationRequests` on `*`: the requests the caller's account made as a partner
    /// and those owned by an identity of its account (a request with no owner is not listed for
    /// its owner account, as AWS documents), filtered by `OwnerId`, oldest first, paged.
    ListDelegationRequests(ListDelegationRequestsRequest) -> ListDelegationRequestsResponse;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let now = cx.engine.clock().now();
        let mut items: Vec<_> = caller
            .snapshot
            .data
            .accounts
            .iter()
            .flat_map(|a| a.delegation_requests.iter().map(move |r| (a.id.as_str(), r)))
            .filter(|(requestor, r)| {
                *requestor == caller.account
                    || (r.owner_id.is_some() && delegation::in_owner_account(caller, r))
            })
            .filter(|(_, r)| {
                input
                    .owner_id
                    .as_deref()
                    .is_none_or(|o| r.owner_id.as_deref() == Some(o))
            })
            .collect();
        items.sort_by(|a, b| (&a.1.create_date, &a.1.id).cmp(&(&b.1.create_date, &b.1.id)));
        shared::paged(items, &input, |(requestor, r)| delegation::shape(requestor, r, now))
    }
}

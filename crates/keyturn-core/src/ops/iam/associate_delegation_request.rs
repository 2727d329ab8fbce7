//! `iam:AssociateDelegationRequest`.

use keyturn_api::iam::AssociateDelegationRequestRequest;

use super::delegation::{self, Access};
use crate::iam::DelegationState;
use crate::ops::prelude::*;

operation! {
    /// `iam:AssociateDelegationRequest` on `*`: the caller becomes the request's owner (its ARN
    /// the `OwnerId`, its account the `OwnerAccountId`) and the request ASSIGNED. Only an
    /// UNASSIGNED request, and when the partner named an owner account, only from that account.
    AssociateDelegationRequest(AssociateDelegationRequestRequest) -> NoOutput;

    fn run(cx, input) {
        let caller = cx.caller()?;
        delegation::transition(
            cx,
            &input.delegation_request_id,
            ("iam:AssociateDelegationRequest", Access::Visible),
            (&[DelegationState::Unassigned], "associated"),
            |r, _| {
                r.state = DelegationState::Assigned;
                r.owner_id = Some(caller.arn.clone());
                r.owner_account_id = Some(caller.account.clone());
                Ok(())
            },
        )?;
        Ok(NoOutput)
    }
}

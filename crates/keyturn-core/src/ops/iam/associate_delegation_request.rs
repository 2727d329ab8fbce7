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
        let id = &input.delegation_request_id;
        let (requestor, _) =
            delegation::authorized(cx, id, "iam:AssociateDelegationRequest", Access::Visible)?;
        delegation::commit(cx, &requestor, id, |r, now| {
            let state = r.state_at(now);
            if state != DelegationState::Unassigned {
                return Err(delegation::wrong_state(id, state, "associated"));
            }
            r.state = DelegationState::Assigned;
            r.owner_id = Some(caller.arn.clone());
            r.owner_account_id = Some(caller.account.clone());
            Ok(())
        })?;
        Ok(NoOutput)
    }
}

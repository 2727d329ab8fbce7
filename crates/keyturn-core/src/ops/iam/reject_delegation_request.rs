//! `iam:RejectDelegationRequest`.

use keyturn_api::iam::RejectDelegationRequestRequest;

use super::delegation::{self, Access, OPEN_LIFETIME_SECONDS};
use crate::iam::DelegationState;
use crate::ops::prelude::*;

operation! {
    /// `iam:RejectDelegationRequest` on `*`: an ASSIGNED, PENDING_APPROVAL or ACCEPTED request
    /// of the caller's account becomes REJECTED (for good), with the `Notes` as its rejection
    /// reason; it expires 7 days later.
    RejectDelegationRequest(RejectDelegationRequestRequest) -> NoOutput;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let open = [
            DelegationState::Assigned,
            DelegationState::PendingApproval,
            DelegationState::Accepted,
        ];
        delegation::transition(
            cx,
            &input.delegation_request_id,
            ("iam:RejectDelegationRequest", Access::OwnerAccount),
            (&open, "rejected"),
            |r, now| {
                r.state = DelegationState::Rejected;
                r.approver_id = Some(caller.arn.clone());
                r.rejection_reason.clone_from(&input.notes);
                r.delegated_identity = None;
                r.expiration_time =
                    delegation::stamp(now + time::Duration::seconds(OPEN_LIFETIME_SECONDS));
                Ok(())
            },
        )?;
        Ok(NoOutput)
    }
}

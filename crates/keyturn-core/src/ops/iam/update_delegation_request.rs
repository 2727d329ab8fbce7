//! `iam:UpdateDelegationRequest`.

use keyturn_api::iam::UpdateDelegationRequestRequest;

use super::delegation::{self, Access};
use crate::iam::DelegationState;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateDelegationRequest` on `*` (the owner needs no policy): records the `Notes` and
    /// forwards an ASSIGNED (or already PENDING_APPROVAL) request for approval:
    /// PENDING_APPROVAL. Only identities of the owner account.
    UpdateDelegationRequest(UpdateDelegationRequestRequest) -> NoOutput;
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        delegation::transition(
            cx,
            &input.delegation_request_id,
            ("iam:UpdateDelegationRequest", Access::OwnerAccountOwnerDefault),
            (&[DelegationState::Assigned, DelegationState::PendingApproval], "updated"),
            |r, _| {
                r.state = DelegationState::PendingApproval;
                if input.notes.is_some() {
                    r.notes.clone_from(&input.notes);
                }
                Ok(())
            },
        )?;
        Ok(NoOutput)
    }
}

//! `iam:AcceptDelegationRequest`.

use keyturn_api::iam::AcceptDelegationRequestRequest;

use super::delegation::{self, Access};
use crate::engine::CallerKind;
use crate::iam::{DelegatedIdentity, DelegationState};
use crate::ops::prelude::*;
use crate::principal::Principal;

/// The refusal of an identity that cannot be delegated (a federated user).
pub const NOT_DELEGABLE_TEXT: &str =
    "Only the root user, an IAM user or a role session can accept a delegation request.";

operation! {
    /// `iam:AcceptDelegationRequest` on `*`: an ASSIGNED or PENDING_APPROVAL request of the
    /// caller's account becomes ACCEPTED, and the caller is recorded as the identity the
    /// delegated session acts as (with whether it had used MFA).
    AcceptDelegationRequest(AcceptDelegationRequestRequest) -> NoOutput;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let identity = match (&caller.principal, caller.kind) {
            (Principal::Root { .. }, _) => DelegatedIdentity::Root,
            (Principal::User { name, .. }, _) => DelegatedIdentity::User { name: name.clone() },
            (
                Principal::AssumedRole(s)
                | Principal::WebIdentitySession { session: s, .. }
                | Principal::SamlSession { session: s, .. },
                CallerKind::RoleSession,
            ) => DelegatedIdentity::RoleSession {
                role: s.role_name.clone(),
                session: s.session_name.clone(),
            },
            _ => return Err(Error::new(ErrorCode::InvalidInput, NOT_DELEGABLE_TEXT)),
        };
        let mfa = caller.session.as_ref().is_some_and(|s| s.mfa_present());
        delegation::transition(
            cx,
            &input.delegation_request_id,
            ("iam:AcceptDelegationRequest", Access::OwnerAccount),
            (&[DelegationState::Assigned, DelegationState::PendingApproval], "accepted"),
            |r, _| {
                r.state = DelegationState::Accepted;
                r.approver_id = Some(caller.arn.clone());
                r.delegated_identity = Some(identity.clone());
                r.accepted_with_mfa = mfa;
                Ok(())
            },
        )?;
        Ok(NoOutput)
    }
}

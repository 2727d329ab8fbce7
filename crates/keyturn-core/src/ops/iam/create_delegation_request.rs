//! `iam:CreateDelegationRequest`: a partner asks for temporary access to a customer's account.

use keyturn_api::iam::{CreateDelegationRequestRequest, CreateDelegationRequestResponse};

use super::delegation::{self, OPEN_LIFETIME_SECONDS};
use crate::iam::{Change, DelegationRequest, DelegationState, Entity};
use crate::ops::prelude::*;
use crate::ops::support::whole_seconds;

/// How many open (not finalized, not expired) requests one partner account may hold.
pub const OPEN_REQUESTS_QUOTA: usize = 1000;

operation! {
    /// `iam:CreateDelegationRequest` on `*`: a request of the caller's account (the partner) in
    /// state UNASSIGNED. The policy template is a customer managed policy of the partner's
    /// account whose `${Name}` placeholders the `Parameters` fill; the notification channel must
    /// be one the operator configured; the workflow id is unique among the partner's requests.
    CreateDelegationRequest(CreateDelegationRequestRequest) -> CreateDelegationRequestResponse;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let invalid = |text: String| Error::new(ErrorCode::InvalidInput, text);
        if cx.engine.delegation_channel(&input.notification_channel).is_none() {
            return Err(invalid(format!(
                "The notification channel {} is not configured for delegation requests.",
                input.notification_channel
            )));
        }
        let arn = input
            .permissions
            .policy_template_arn
            .clone()
            .ok_or_else(|| invalid("Permissions must name a PolicyTemplateArn.".to_owned()))?;
        let params = delegation::parameters(input.permissions.parameters.as_deref())?;
        let template = delegation::template(&caller.snapshot, &caller.account, &arn)
            .ok_or_else(|| invalid(format!("The policy template {arn} does not exist.")))?;
        let policy = delegation::render(&template, &params)?;
        crate::evaluator::PolicyRef::parse(
            "PermissionPolicy",
            crate::evaluator::PolicySource::None,
            &policy,
            keyturn_policy::PolicyType::Session,
        )
        .map_err(|e| invalid(format!("The filled policy template is not a valid policy: {}", e.message())))?;
        let session_duration = u32::try_from(input.session_duration).unwrap_or(0);
        let id = new_request_id()?;
        let now = whole_seconds(cx.engine.clock().now());
        let (id, _) = cx.engine.change(|snapshot| {
            let account = snapshot.data.account(&caller.account).ok_or_else(|| {
                Error::new(ErrorCode::ServiceFailure, format!("account {} is not in the model", caller.account))
            })?;
            let requests = &account.delegation_requests;
            if requests.iter().any(|r| r.requestor_workflow_id == input.requestor_workflow_id) {
                return Err(Error::new(
                    ErrorCode::EntityAlreadyExists,
                    format!(
                        "A delegation request with RequestorWorkflowId {} already exists.",
                        input.requestor_workflow_id
                    ),
                ));
            }
            let open = requests
                .iter()
                .filter(|r| !matches!(r.state_at(now), DelegationState::Finalized | DelegationState::Expired | DelegationState::Rejected))
                .count();
            if open >= OPEN_REQUESTS_QUOTA {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    format!("Cannot exceed quota for OpenDelegationRequestsPerAccount: {OPEN_REQUESTS_QUOTA}"),
                ));
            }
            let request = DelegationRequest {
                id: id.clone(),
                requestor_workflow_id: input.requestor_workflow_id.clone(),
                owner_account_id: input.owner_account_id.clone(),
                owner_id: None,
                description: input.description.clone(),
                request_message: input.request_message.clone(),
                policy_template_arn: arn.clone(),
                parameters: params.clone(),
                permission_policy: policy.clone(),
                redirect_url: input.redirect_url.clone(),
                notification_channel: input.notification_channel.clone(),
                session_duration,
                only_send_by_owner: input.only_send_by_owner.unwrap_or(false),
                state: DelegationState::Unassigned,
                approver_id: None,
                delegated_identity: None,
                accepted_with_mfa: false,
                notes: None,
                rejection_reason: None,
                requestor_name: account.alias.clone().filter(|a| a.len() <= 30),
                create_date: delegation::stamp(now),
                updated_time: delegation::stamp(now),
                expiration_time: delegation::stamp(now + time::Duration::seconds(OPEN_LIFETIME_SECONDS)),
                sent_at: None,
            };
            let change = Change::Put {
                account: caller.account.clone(),
                entity: Entity::DelegationRequest(Box::new(request)),
            };
            Ok((vec![change], id.clone()))
        })?;
        Ok(CreateDelegationRequestResponse {
            console_deep_link: Some(format!(
                "https://console.aws.amazon.com/iam/home#/delegation/requests/{id}"
            )),
            delegation_request_id: Some(id),
        })
    }
}

/// A fresh request id: `dr-` and 32 random hex digits (the model: 16 to 128 of `[\w-]`).
fn new_request_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::new(ErrorCode::ServiceFailure, e.to_string()))?;
    let mut id = String::with_capacity(35);
    id.push_str("dr-");
    for b in bytes {
        id.push_str(&format!("{b:02x}"));
    }
    Ok(id)
}

//! Delegation requests: the IAM partner-delegation flow (CreateDelegationRequest …
//! SendDelegationToken) as plain data, kept in the account of the partner that created them.
//!
//! A request moves UNASSIGNED → ASSIGNED (AssociateDelegationRequest) → PENDING_APPROVAL
//! (UpdateDelegationRequest) or ACCEPTED (AcceptDelegationRequest) → FINALIZED
//! (SendDelegationToken), or REJECTED (RejectDelegationRequest) from any state before FINALIZED.
//! EXPIRED is never stored: a request past its [`DelegationRequest::expiration_time`] reads as
//! EXPIRED (see [`DelegationRequest::state_at`]).

use serde::{Deserialize, Serialize};

/// A delegation request's state, as the model's `stateType` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DelegationState {
    /// Created, associated with no identity yet.
    Unassigned,
    /// Associated with an owner, awaiting review.
    Assigned,
    /// Forwarded by the owner for approval (UpdateDelegationRequest).
    PendingApproval,
    /// Accepted; the trade-in token is not sent yet.
    Accepted,
    /// The trade-in token was sent; the delegated session runs from then.
    Finalized,
    /// Rejected by the owner.
    Rejected,
    /// Past its expiration time (computed, never stored).
    Expired,
}

impl DelegationState {
    /// The wire text (`PENDING_APPROVAL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unassigned => "UNASSIGNED",
            Self::Assigned => "ASSIGNED",
            Self::PendingApproval => "PENDING_APPROVAL",
            Self::Accepted => "ACCEPTED",
            Self::Finalized => "FINALIZED",
            Self::Rejected => "REJECTED",
            Self::Expired => "EXPIRED",
        }
    }
}

/// One `PolicyParameter` of a request's permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationParameter {
    /// The placeholder's name (`${Name}` in the template).
    pub name: String,
    /// Its values (one for `string`).
    pub values: Vec<String>,
    /// `string` or `stringList`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// The identity that accepted a request: what the delegated session acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum DelegatedIdentity {
    /// The account's root user.
    Root,
    /// An IAM user, by name.
    User {
        /// The user's name.
        name: String,
    },
    /// A session of a role, by role name and session name.
    RoleSession {
        /// The role's name.
        role: String,
        /// The session name.
        session: String,
    },
}

/// A delegation request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationRequest {
    /// The request's id (`DelegationRequestId`).
    pub id: String,
    /// The partner's workflow id, unique among the partner's requests.
    pub requestor_workflow_id: String,
    /// The account the request is meant for, if the partner named one (or the owner's, once
    /// associated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_account_id: Option<String>,
    /// The ARN of the identity that associated the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The partner's description.
    pub description: String,
    /// The partner's message for this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_message: Option<String>,
    /// The policy template's ARN (a managed policy of the partner's account).
    pub policy_template_arn: String,
    /// The template's parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<DelegationParameter>,
    /// The delegated policy: the template with its parameters filled in (compact JSON).
    pub permission_policy: String,
    /// Where the partner's console workflow continues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// The topic ARN the trade-in token is delivered to.
    pub notification_channel: String,
    /// The delegated session's lifetime, in seconds, from SendDelegationToken.
    pub session_duration: u32,
    /// Whether only the owner may call SendDelegationToken.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub only_send_by_owner: bool,
    /// The stored state (never [`DelegationState::Expired`]).
    pub state: DelegationState,
    /// The ARN of the identity that accepted or rejected the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver_id: Option<String>,
    /// The identity recorded at acceptance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_identity: Option<DelegatedIdentity>,
    /// Whether the accepting identity had authenticated with MFA.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepted_with_mfa: bool,
    /// The owner's notes (UpdateDelegationRequest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The owner's reason for rejecting it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// The partner account's alias when the request was made (`RequestorName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requestor_name: Option<String>,
    /// When it was created (RFC 3339, to the second).
    pub create_date: String,
    /// When it last changed.
    pub updated_time: String,
    /// When it expires (for a FINALIZED request: the end of the delegated session).
    pub expiration_time: String,
    /// When the trade-in token was sent, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
}

impl DelegationRequest {
    /// The state as a reader sees it at `now` (RFC 3339): EXPIRED once past the expiration
    /// time, whatever was stored.
    pub fn state_at(&self, now: time::OffsetDateTime) -> DelegationState {
        match crate::clock::parse_iso8601(&self.expiration_time) {
            Some(at) if now < at => self.state,
            // A stored time that does not parse cannot be in the future: expired.
            _ => DelegationState::Expired,
        }
    }
}

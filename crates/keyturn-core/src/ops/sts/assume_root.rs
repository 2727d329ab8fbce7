//! AssumeRoot: a privileged session as the root user of a member account, scoped by one of
//! AWS's five root-task policies (IAM User Guide, "Centralize root access for member accounts"
//! and "Perform a privileged task on an AWS Organizations member account").
//!
//! The caller must be a principal of the organization's management account or of the delegated
//! administrator for IAM (not their root user), with the organization's `RootSessions` feature
//! enabled, and be allowed `sts:AssumeRoot` on the target's root (`arn:aws:iam::ACCOUNT:root`,
//! with `sts:TaskPolicyArn`). The session is the member account's root user
//! (GetCallerIdentity: `arn:aws:iam::ACCOUNT:root`, the account id as `UserId`); its permissions
//! are root's, limited by the task policy's denies and the member account's SCPs.

use keyturn_api::sts::{AssumeRootRequest, AssumeRootResponse};

use crate::arn::Partition;
use crate::engine::{Caller, CallerKind, KeySink};
use crate::evaluator::PolicyInputs;
use crate::ids::AccountId;
use crate::ops::prelude::*;
use crate::ops::support::{mint, whole_seconds};
use crate::org::ROOT_TASK_POLICIES;
use crate::principal::Principal;
use crate::token::SessionClaims;

/// The longest (and default) AssumeRoot session, seconds.
pub const ROOT_SESSION_DURATION: i64 = 900;

/// The text of a `TaskPolicyArn` that is not one of the five root-task policies.
pub const TASK_POLICY_TEXT: &str = "The TaskPolicyArn must be one of the AWS managed policies with the path /root-task/: IAMAuditRootUserCredentials, IAMCreateRootUserPassword, IAMDeleteRootUserCredentials, S3UnlockBucketPolicy, SQSUnlockQueuePolicy.";

/// The account a `TargetPrincipal` names: an account id, or its root user's ARN.
fn target_account(target: &str) -> Option<AccountId> {
    let id = match target.strip_prefix("arn:aws:iam::") {
        Some(rest) => rest.strip_suffix(":root")?,
        None => target,
    };
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

fn denied(caller: &Caller, resource: &str) -> Error {
    Error::new(
        ErrorCode::AccessDenied,
        format!(
            "User: {} is not authorized to perform: sts:AssumeRoot on resource: {resource}",
            caller.arn
        ),
    )
}

operation! {
    /// `sts:AssumeRoot`: a root session in a member account, for a root task.
    AssumeRoot(AssumeRootRequest) -> AssumeRootResponse;
    // Authorized in `run`, after the organization's own conditions.
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let engine = cx.engine;
        let snapshot = &caller.snapshot;
        let Some(target) = target_account(&input.target_principal) else {
            return Err(Error::new(
                ErrorCode::ValidationError,
                format!(
                    "Invalid TargetPrincipal: {}. It must be a 12-digit account id or the ARN of an account's root user.",
                    input.target_principal
                ),
            ));
        };
        let resource = format!("arn:aws:iam::{target}:root");
        let task = input.task_policy_arn.arn.as_deref().unwrap_or_default();
        if !ROOT_TASK_POLICIES.contains(&task) {
            return Err(Error::new(ErrorCode::ValidationError, TASK_POLICY_TEXT));
        }
        // Who may ask: a principal (not the root user) of the management account or of the
        // delegated administrator for IAM, with root sessions enabled, for a member account.
        let Some(org) = &snapshot.org else {
            return Err(denied(caller, &resource));
        };
        let caller_account: Option<AccountId> = caller.account.parse().ok();
        let administers = caller_account.is_some_and(|a| {
            a == org.management_account || org.delegated_administrator == Some(a)
        });
        let root_caller = matches!(caller.principal, Principal::Root { .. });
        if !administers
            || root_caller
            || caller.kind == CallerKind::Root
            || !org.centralized_root_access.root_sessions
            || target == org.management_account
            || !org.accounts.contains_key(&target)
        {
            return Err(denied(caller, &resource));
        }
        // The caller's own policies (and its account's SCPs) decide: the member account's root
        // has no resource policy, and the organization relation stands in for one.
        let policies = caller.policies(snapshot)?;
        let inputs = PolicyInputs {
            identity: &policies.identity,
            resource: None,
            resource_account: Some(&caller.account),
            boundary: policies.boundary.as_deref(),
            session: &policies.session,
            scps: caller.scp_levels(),
            // RCPs govern resources; the member's root is reached through the organization.
            ..PolicyInputs::default()
        };
        let needs = engine.evaluator.key_needs(&inputs);
        let mut ctx = caller.context_builder("sts:AssumeRoot", &resource, &needs);
        ctx.put("sts:taskpolicyarn", || task.to_owned());
        let ctx = ctx.finish();
        if !engine.evaluator.evaluate(&inputs, &ctx, false)?.is_allowed() {
            let task_values = [task];
            let extra: [(&str, &[&str]); 1] = [("sts:taskpolicyarn", &task_values)];
            return Err(engine.denial(caller, "sts:AssumeRoot", &resource, &inputs, &ctx, &extra));
        }
        let duration = input
            .duration_seconds
            .map_or(ROOT_SESSION_DURATION, i64::from)
            .min(ROOT_SESSION_DURATION);
        let now = whole_seconds(engine.clock.now());
        let mut claims = SessionClaims::new(
            Principal::Root {
                partition: Partition::Aws,
                account: target,
            },
            now,
            now + time::Duration::seconds(duration),
        );
        claims.policy_arns = vec![task.to_owned()];
        claims.caller_arn = Some(caller.arn.clone());
        let source_identity = caller
            .session
            .as_ref()
            .and_then(|s| s.source_identity.clone());
        claims.source_identity = source_identity.clone();
        let minted = mint(engine, claims, input.minimum_session_token_size)?;
        Ok(AssumeRootResponse {
            credentials: Some(minted.credentials),
            source_identity,
            session_token_size: minted.size,
            session_token_utilization: minted.utilization,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_account_ids_or_root_arns() {
        let id = |s: &str| target_account(s).map(|a| a.to_string());
        assert_eq!(id("222222222222").as_deref(), Some("222222222222"));
        assert_eq!(
            id("arn:aws:iam::222222222222:root").as_deref(),
            Some("222222222222")
        );
        assert_eq!(id("arn:aws:iam::222222222222:user/alice"), None);
        assert_eq!(id("22222222222"), None);
        assert_eq!(id("22222222222x"), None);
    }
}

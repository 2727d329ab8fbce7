//! AWS Organizations: SCP levels of the principal's account path and RCP levels of the
//! resource's account path in every decision, the organization's condition keys, simulation's
//! OrganizationsDecisionDetail, and AssumeRoot.

#![allow(clippy::panic, reason = "test helpers: a failed setup aborts the test")]

#[path = "engine_support/harness.rs"]
mod harness;

use std::net::Ipv4Addr;

use harness::*;
use keyturn::api::iam::{GetAccountSummaryRequest, SimulatePrincipalPolicyRequest};
use keyturn::ops::iam::{GetAccountSummary, SimulatePrincipalPolicy};

const ORG: &str = "o-aa11bb22cc";
const WORKLOADS: &str = "ou-ab12-11111111";

/// 111111111111 manages the organization; 222222222222 (the IAM delegated administrator) sits in
/// OU Workloads, 333333333333 in OU Sandbox under it; 444444444444 is outside.
fn yaml(org: bool) -> String {
    let key = |a: &str, n: u8| key_id(a, n);
    // A user of `account` with its key 1 (see `user`) and a policy that allows everything.
    let allowed_user = |name: &str, account: &str| {
        let allow_all =
            r#"{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}"#;
        format!(
            r#"      - name: {name}
        access_keys: [{{id: {key}, secret: "{ALICE_SECRET}"}}]
        inline_policies: {{all: {allow_all}}}"#,
            key = key(account, 1)
        )
    };
    let accounts = format!(
        r#"
store: {{memory: true}}
accounts:
  - id: "111111111111"
    root:
      access_keys: [{{id: {mroot}, secret: "{ROOT_SECRET}"}}]
    users:
{admin}
  - id: "222222222222"
    users:
{dev}
      - name: orgreader
        access_keys: [{{id: {orgreader}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          in-org:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sqs:GetQueueAttributes
                Resource: "*"
                Condition: {{StringEquals: {{"aws:ResourceOrgID": "{ORG}"}}}}
    roles:
      - name: Shared
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::444444444444:root"]}}
              Action: sts:AssumeRole
  - id: "333333333333"
    users:
{sandbox}
  - id: "444444444444"
    users:
{outsider}
"#,
        mroot = key("111111111111", 2),
        admin = allowed_user("admin", "111111111111"),
        dev = allowed_user("dev", "222222222222"),
        orgreader = key("222222222222", 3),
        sandbox = allowed_user("sandbox", "333333333333"),
        outsider = allowed_user("outsider", "444444444444"),
    );
    if !org {
        return accounts;
    }
    format!(
        r#"{accounts}
organization:
  id: {ORG}
  management_account: "111111111111"
  delegated_administrator: "222222222222"
  centralized_root_access: {{root_credentials_management: true, root_sessions: true}}
  root:
    id: r-ab12
    scps: [FullAWSAccess, DenyDeleteBucket]
    rcps: [OrgOnlyAssume]
    units:
      - id: {WORKLOADS}
        name: Workloads
        scps: [FullAWSAccess, DenyEc2]
        accounts: ["222222222222"]
        units:
          - id: ou-ab12-22222222
            name: Sandbox
            scps: [S3Only]
            accounts: ["333333333333"]
  policies:
    - name: DenyDeleteBucket
      type: SERVICE_CONTROL_POLICY
      document: {{Version: "2012-10-17", Statement: [{{Effect: Deny, Action: "s3:DeleteBucket", Resource: "*"}}]}}
    - name: DenyEc2
      type: SERVICE_CONTROL_POLICY
      document: {{Version: "2012-10-17", Statement: [{{Effect: Deny, Action: "ec2:*", Resource: "*"}}]}}
    - name: S3Only
      type: SERVICE_CONTROL_POLICY
      document: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: ["s3:*", "sts:*"], Resource: "*"}}]}}
    - name: OrgOnlyAssume
      type: RESOURCE_CONTROL_POLICY
      document:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: sts:AssumeRole
            Resource: "*"
            Condition: {{StringNotEqualsIfExists: {{"aws:PrincipalOrgID": "{ORG}"}}}}
"#
    )
}

fn user(account: &str, n: u8) -> Creds {
    Creds::long_term(&key_id(account, n), ALICE_SECRET)
}

fn admin() -> Creds {
    user("111111111111", 1)
}
fn dev() -> Creds {
    user("222222222222", 1)
}
fn sandbox() -> Creds {
    user("333333333333", 1)
}
fn outsider() -> Creds {
    user("444444444444", 1)
}

#[test]
fn an_scp_deny_at_an_ou_denies_a_member_user_whom_identity_policies_allow() {
    let h = harness(&yaml(true));
    assert!(!allowed(&h, &dev(), "ec2:RunInstances", "*"));
    assert!(allowed(&h, &dev(), "s3:GetObject", "arn:aws:s3:::b/k"));
    // The root's deny reaches every OU below it.
    assert!(!allowed(&h, &dev(), "s3:DeleteBucket", "arn:aws:s3:::b"));
    assert!(!allowed(
        &h,
        &sandbox(),
        "s3:DeleteBucket",
        "arn:aws:s3:::b"
    ));
    // Without the organization the same users are allowed.
    let plain = harness(&yaml(false));
    assert!(allowed(&plain, &dev(), "ec2:RunInstances", "*"));
    assert!(allowed(&plain, &dev(), "s3:DeleteBucket", "arn:aws:s3:::b"));
}

#[test]
fn a_level_where_no_scp_allows_denies() {
    let h = harness(&yaml(true));
    assert!(allowed(&h, &sandbox(), "s3:GetObject", "arn:aws:s3:::b/k"));
    // Sandbox's only SCP allows S3 and STS: nothing else passes that level.
    assert!(!allowed(&h, &sandbox(), "iam:ListUsers", "*"));
    assert!(!allowed(&h, &sandbox(), "dynamodb:GetItem", "*"));
    let caller = signed_caller(&h, &sandbox(), Ipv4Addr::new(192, 0, 2, 10));
    let a = authorization(&h, &caller, "iam:ListUsers", "*");
    assert_eq!(a.verdict.outcome, keyturn::Outcome::ImplicitDeny);
    assert!(
        a.verdict
            .reasons
            .iter()
            .any(|r| r.contains("no service control policy allows the action at level 2")),
        "{:?}",
        a.verdict.reasons
    );
}

#[test]
fn the_management_account_is_not_limited_by_scps() {
    let h = harness(&yaml(true));
    assert!(allowed(&h, &admin(), "s3:DeleteBucket", "arn:aws:s3:::b"));
    assert!(allowed(&h, &admin(), "ec2:RunInstances", "*"));
}

#[test]
fn an_rcp_denies_assuming_a_member_role_from_outside_the_organization() {
    let role = "arn:aws:iam::222222222222:role/Shared";
    let plain = harness(&yaml(false));
    assumed(call::<AssumeRole>(
        &plain,
        &outsider(),
        assume_role(role, "s1"),
    ));
    let h = harness(&yaml(true));
    let e = err(call::<AssumeRole>(&h, &outsider(), assume_role(role, "s1")));
    assert_eq!(e.code(), "AccessDenied");
    assert!(e.message().starts_with(
        "User: arn:aws:iam::444444444444:user/outsider is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Shared"
    ), "{}", e.message());
    // A principal of the organization passes the RCP.
    assumed(call::<AssumeRole>(&h, &admin(), assume_role(role, "s1")));
}

#[test]
fn the_organization_condition_keys_come_from_the_model() {
    let h = harness(&yaml(true));
    let keys = signed_caller(&h, &dev(), Ipv4Addr::new(192, 0, 2, 10)).condition_keys();
    let get = |k: &str| keys.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("aws:principalorgid").as_deref(), Some(ORG));
    assert_eq!(
        get("aws:principalorgpaths"),
        Some(format!("{ORG}/r-ab12/{WORKLOADS}/"))
    );
    let outside = signed_caller(&h, &outsider(), Ipv4Addr::new(192, 0, 2, 10)).condition_keys();
    assert!(
        !outside
            .iter()
            .any(|(k, _)| k.starts_with("aws:principalorg"))
    );
    // aws:ResourceOrgID of a resource in a member account.
    let reader = user("222222222222", 3);
    let queue = "arn:aws:sqs:us-east-1:222222222222:q";
    assert!(allowed(&h, &reader, "sqs:GetQueueAttributes", queue));
    let plain = harness(&yaml(false));
    assert!(!allowed(&plain, &reader, "sqs:GetQueueAttributes", queue));
}

#[test]
fn simulation_reports_whether_the_organization_allows() {
    let h = harness(&yaml(true));
    let req = SimulatePrincipalPolicyRequest {
        policy_source_arn: "arn:aws:iam::222222222222:user/dev".into(),
        action_names: vec![
            "s3:GetObject".into(),
            "ec2:RunInstances".into(),
            "s3:DeleteBucket".into(),
        ],
        ..Default::default()
    };
    let out =
        call::<SimulatePrincipalPolicy>(&h, &dev(), req.clone()).unwrap_or_else(|e| panic!("{e}"));
    let results = present(&out.evaluation_results);
    let by_org: Vec<(String, String, Option<bool>)> = results
        .iter()
        .map(|r| {
            (
                r.eval_action_name.clone(),
                r.eval_decision.clone(),
                r.organizations_decision_detail
                    .as_ref()
                    .and_then(|d| d.allowed_by_organizations),
            )
        })
        .collect();
    // An SCP's explicit deny (the OU's, the root's) makes the decision an explicit deny.
    assert_eq!(
        by_org,
        [
            ("s3:GetObject".into(), "allowed".into(), Some(true)),
            (
                "ec2:RunInstances".into(),
                "explicitDeny".into(),
                Some(false)
            ),
            ("s3:DeleteBucket".into(), "explicitDeny".into(), Some(false)),
        ]
    );
    // The management account's users get no OrganizationsDecisionDetail.
    let req = SimulatePrincipalPolicyRequest {
        policy_source_arn: "arn:aws:iam::111111111111:user/admin".into(),
        ..req
    };
    let out = call::<SimulatePrincipalPolicy>(&h, &admin(), req).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(present(&out.evaluation_results).len(), 3);
    assert!(
        present(&out.evaluation_results)
            .iter()
            .all(|r| r.organizations_decision_detail.is_none() && r.eval_decision == "allowed")
    );
}

const AUDIT: &str = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";

fn assume_root(target: &str, task: &str, duration: Option<i32>) -> AssumeRootRequest {
    AssumeRootRequest {
        target_principal: target.to_owned(),
        task_policy_arn: PolicyDescriptorType {
            arn: Some(task.to_owned()),
        },
        duration_seconds: duration,
        ..Default::default()
    }
}

#[test]
fn assume_root_gives_the_member_root_scoped_by_the_task_policy() {
    let h = harness(&yaml(true));
    let out = call::<AssumeRoot>(&h, &admin(), assume_root("222222222222", AUDIT, None))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lifetime(&out.credentials), 900);
    assert!(out.session_token_size.is_some());
    let root = Creds::from_api(present(&out.credentials));
    let me = call::<GetCallerIdentity>(&h, &root, GetCallerIdentityRequest::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(me.arn.as_deref(), Some("arn:aws:iam::222222222222:root"));
    assert_eq!(me.user_id.as_deref(), Some("222222222222"));
    assert_eq!(me.account.as_deref(), Some("222222222222"));
    // The task policy: auditing the root user's credentials, nothing else.
    assert!(allowed(
        &h,
        &root,
        "iam:ListAccessKeys",
        "arn:aws:iam::222222222222:root"
    ));
    assert!(!allowed(
        &h,
        &root,
        "iam:ListAccessKeys",
        "arn:aws:iam::222222222222:user/dev"
    ));
    assert!(!allowed(
        &h,
        &root,
        "iam:CreateUser",
        "arn:aws:iam::222222222222:user/x"
    ));
    assert!(!allowed(&h, &root, "s3:GetObject", "arn:aws:s3:::b/k"));
    // An IAM action the task allows, through the operation (session credentials without MFA).
    call::<GetAccountSummary>(&h, &root, GetAccountSummaryRequest::default())
        .unwrap_or_else(|e| panic!("{e}"));
    // A shorter session; the delegated administrator may ask too.
    let out = call::<AssumeRoot>(
        &h,
        &dev(),
        assume_root("arn:aws:iam::333333333333:root", AUDIT, Some(300)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lifetime(&out.credentials), 300);
}

#[test]
fn assume_root_is_refused_outside_its_conditions() {
    let h = harness(&yaml(true));
    let denied = |creds: &Creds, target: &str| {
        let e = err(call::<AssumeRoot>(
            &h,
            creds,
            assume_root(target, AUDIT, None),
        ));
        assert_eq!(e.code(), "AccessDenied", "{target}: {}", e.message());
        e.message().to_owned()
    };
    // Not the management account nor the delegated administrator.
    assert_eq!(
        denied(&sandbox(), "222222222222"),
        "User: arn:aws:iam::333333333333:user/sandbox is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::222222222222:root"
    );
    denied(&outsider(), "222222222222");
    // The management account is no target, nor an account outside the organization.
    denied(&admin(), "111111111111");
    denied(&admin(), "444444444444");
    // Root user credentials cannot call it.
    denied(
        &Creds::long_term(&key_id("111111111111", 2), ROOT_SECRET),
        "222222222222",
    );
    // A task policy that is not a root-task one.
    let e = err(call::<AssumeRoot>(
        &h,
        &admin(),
        assume_root(
            "222222222222",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            None,
        ),
    ));
    assert_eq!(e.code(), "ValidationError");
    // Longer than 900 seconds: the model's constraint.
    let e = err(call::<AssumeRoot>(
        &h,
        &admin(),
        assume_root("222222222222", AUDIT, Some(901)),
    ));
    assert_eq!(e.code(), "ValidationError");
    // Root sessions not enabled.
    let off = harness(&yaml(true).replace("root_sessions: true", "root_sessions: false"));
    let e = err(call::<AssumeRoot>(
        &off,
        &admin(),
        assume_root("222222222222", AUDIT, None),
    ));
    assert_eq!(e.code(), "AccessDenied");
    // No organization at all.
    let plain = harness(&yaml(false));
    let e = err(call::<AssumeRoot>(
        &plain,
        &admin(),
        assume_root("222222222222", AUDIT, None),
    ));
    assert_eq!(e.code(), "AccessDenied");
}

#[test]
fn configuration_errors_name_the_path() {
    let bad = yaml(true).replace("scps: [S3Only]", "scps: [Missing]");
    let e = keyturn::Config::from_str(&bad, "org.yaml")
        .map(|_| ())
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("organization.root.units[0].units[0].scps[0]")
            && text.contains("no SCP of the organization is named `Missing`"),
        "{text}"
    );
    let bad = yaml(true).replace(
        "accounts: [\"333333333333\"]",
        "accounts: [\"555555555555\"]",
    );
    let text = keyturn::Config::from_str(&bad, "org.yaml")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("is not one of the configuration's `accounts`"),
        "{text}"
    );
    let bad = yaml(true).replace("id: o-aa11bb22cc", "id: org-1");
    let text = keyturn::Config::from_str(&bad, "org.yaml")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(text.contains("organization.id"), "{text}");
}

#[test]
fn export_writes_the_organization_back() {
    let config =
        keyturn::Config::from_str(&yaml(true), "org.yaml").unwrap_or_else(|e| panic!("{e}"));
    let data = config.to_iam_data();
    let text = keyturn::export::to_yaml(&data).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("organization:"), "{text}");
    let back = keyturn::Config::from_str(&text, "export.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.to_iam_data().organization, data.organization);
    // The management account, not placed in the file, sits under the root.
    let org = data
        .organization
        .unwrap_or_else(|| panic!("no organization"));
    assert_eq!(org.root.accounts[0].id, "111111111111");
}

#[test]
fn the_documented_configuration_loads_and_decides() {
    let doc = include_str!("../../../docs/organizations.md");
    let (_, block) = doc
        .split_once("```yaml\n")
        .unwrap_or_else(|| panic!("no yaml block"));
    let (block, _) = block
        .split_once("```")
        .unwrap_or_else(|| panic!("unterminated"));
    let text = format!("store: {{memory: true}}\n{block}");
    let h = harness(&text);
    let dev = Creds::long_term(
        "AKIATHPL2AOHBEFAWDAN",
        "OrgSecret/dev/0000000000000000000000000",
    );
    let admin = Creds::long_term(
        "AKIARTXV5AHDREFAWDAN",
        "OrgSecret/admin/00000000000000000000000",
    );
    assert!(!allowed(
        &h,
        &dev,
        "iam:CreateUser",
        "arn:aws:iam::222222222222:user/x"
    ));
    assert!(allowed(
        &h,
        &dev,
        "iam:GetUser",
        "arn:aws:iam::222222222222:user/dev"
    ));
    assert!(allowed(
        &h,
        &admin,
        "iam:CreateUser",
        "arn:aws:iam::111111111111:user/x"
    ));
}

//! IAM's SimulateCustomPolicy and SimulatePrincipalPolicy through the public API: the result
//! fields as IAM returns them (decision details, organizations and boundary details,
//! resource-specific results, missing context values, source policy ids and types, statement
//! positions in the submitted text).

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed setup aborts the test"
)]

#[path = "iam_reads/support.rs"]
mod support;

use std::net::{IpAddr, Ipv4Addr};

use keyturn_core::ops::iam::{SimulateCustomPolicy, SimulatePrincipalPolicy};
use keyturn_core::ops::{Operation, invoke};
use keyturn_core::request::HttpParts;

const SECRET: &str = "aliceSecretKey/0000000000000000000000000";

fn key_id() -> String {
    let account = "111111111111".parse().expect("account id");
    keyturn_core::ids::AccessKeyId::from_parts(
        keyturn_core::ids::AccessKeyKind::LongTerm,
        account,
        [9, 1, 2, 3, 4],
    )
    .as_str()
    .to_owned()
}

fn yaml() -> String {
    let key = key_id();
    format!(
        r#"
store: {{memory: true}}
accounts:
  - id: "111111111111"
    managed_policies:
      - name: ReadData
        document:
          Version: "2012-10-17"
          Statement:
            - Sid: Read
              Effect: Allow
              Action: s3:GetObject
              Resource: "arn:aws:s3:::data/*"
      - name: Boundary
        document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: ["s3:*", "iam:*"]
              Resource: "*"
    groups:
      - name: devs
        inline_policies:
          no-secrets:
            Version: "2012-10-17"
            Statement:
              - Effect: Deny
                Action: s3:GetObject
                Resource: "arn:aws:s3:::data/secret/*"
    users:
      - name: alice
        groups: [devs]
        access_keys: [{{id: {key}, secret: "{SECRET}"}}]
        managed_policies: ["arn:aws:iam::111111111111:policy/ReadData"]
        permissions_boundary: "arn:aws:iam::111111111111:policy/Boundary"
        inline_policies:
          simulate:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["iam:SimulateCustomPolicy", "iam:SimulatePrincipalPolicy"]
                Resource: "*"
"#
    )
}

/// Runs `O` as alice on a fresh world with the wire parameters `params` (decoded by the
/// generated layer, as a request's).
fn call<O: Operation>(params: &[(&str, &str)]) -> O::Output {
    let world = support::World::from_yaml(&yaml(), "simulate.yaml");
    let alice = world
        .engine
        .authenticate_credentials(&key_id(), SECRET, None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let input = support::input_of::<O>(params);
    let http = HttpParts {
        secure_transport: true,
        ..HttpParts::post(&[], &[], IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)))
    };
    invoke::<O>(&world.engine, Some(&alice), &http, input).unwrap_or_else(|e| panic!("{e}"))
}

/// SimulatePrincipalPolicy of alice with the further wire parameters `params`: its results.
fn simulate_alice(params: &[(&str, &str)]) -> Vec<keyturn::api::iam::EvaluationResult> {
    let alice = [("PolicySourceArn", "arn:aws:iam::111111111111:user/alice")];
    let out = call::<SimulatePrincipalPolicy>(&[&alice[..], params].concat());
    out.evaluation_results.expect("EvaluationResults")
}

/// `(source id, source type, (start line, column), (end line, column))` of each statement.
type Matched = (String, String, (i32, i32), (i32, i32));

/// The statements of a `MatchedStatements` as [`Matched`] tuples (a macro: the generated
/// `Statement` type is not nameable from this crate, but its fields are public).
macro_rules! matched {
    ($statements:expr) => {
        $statements
            .as_deref()
            .unwrap_or_else(|| panic!("MatchedStatements is present"))
            .iter()
            .map(|s| -> Matched {
                let pos = |p: Option<(Option<i32>, Option<i32>)>| match p {
                    Some((Some(l), Some(c))) => (l, c),
                    other => panic!("a position, not {other:?}"),
                };
                (
                    s.source_policy_id.clone().unwrap_or_default(),
                    s.source_policy_type.clone().unwrap_or_default(),
                    pos(s.start_position.as_ref().map(|p| (p.line, p.column))),
                    pos(s.end_position.as_ref().map(|p| (p.line, p.column))),
                )
            })
            .collect::<Vec<Matched>>()
    };
}

fn st(id: &str, ty: &str, start: (i32, i32), end: (i32, i32)) -> Matched {
    (id.to_owned(), ty.to_owned(), start, end)
}

/// `EvalDecisionDetails`: what the identity policies, the permissions boundary and the resource
/// policy each decided.
fn details(identity: &str, boundary: &str, resource: &str) -> Option<Vec<(String, String)>> {
    let decided = [
        ("IAM Policy", identity),
        ("Permissions Boundary Policy", boundary),
        ("Resource Policy", resource),
    ];
    Some(
        decided
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

/// A pretty-printed policy: line 3 is `  "Statement": [` (the `[` in column 16); the statements'
/// braces are in column 5 of lines 4 and 9 (`},`), 10 and 14.
const TWO_STATEMENTS: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"A\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    },\n    {\n      \"Effect\": \"Deny\",\n      \"Action\": \"s3:*\",\n      \"Resource\": \"arn:aws:s3:::secret/*\"\n    }\n  ]\n}\n";

/// The AWS CLI's example: one line, `Statement` an object from column 37 to 166.
const DATED: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}"#;

/// Without `ResourceArns`: one result per action on `*`, the top level carries everything, no
/// details (same account, all resources), no resource-specific results.
#[test]
fn custom_policies_on_all_resources() {
    let out = call::<SimulateCustomPolicy>(&[
        ("PolicyInputList.member.1", TWO_STATEMENTS),
        ("PolicyInputList.member.2", DATED),
        ("ActionNames.member.1", "s3:GetObject"),
        ("ActionNames.member.2", "dynamodb:CreateBackup"),
        ("ActionNames.member.3", "iam:GetUser"),
        ("ContextEntries.member.1.ContextKeyName", "aws:CurrentTime"),
        (
            "ContextEntries.member.1.ContextKeyValues.member.1",
            "2019-04-25T11:00:00Z",
        ),
        ("ContextEntries.member.1.ContextKeyType", "date"),
    ]);
    assert_eq!(out.is_truncated, Some(false));
    let results = out.evaluation_results.expect("EvaluationResults");
    assert_eq!(results.len(), 3);

    let get = &results[0];
    assert_eq!(get.eval_action_name, "s3:GetObject");
    assert_eq!(get.eval_resource_name.as_deref(), Some("*"));
    assert_eq!(get.eval_decision, "allowed");
    // Statement A: from just after the `[` on line 3 to just after its `}` on line 9.
    assert_eq!(
        matched!(get.matched_statements),
        [st("PolicyInputList.1", "IAM Policy", (3, 17), (9, 6))]
    );
    assert_eq!(get.missing_context_values, Some(Vec::new()));
    assert_eq!(get.eval_decision_details, None);
    assert!(get.resource_specific_results.is_none());
    assert!(get.permissions_boundary_decision_detail.is_none());
    assert!(get.organizations_decision_detail.is_none());

    let backup = &results[1];
    assert_eq!(backup.eval_decision, "allowed");
    assert_eq!(
        matched!(backup.matched_statements),
        [st("PolicyInputList.2", "IAM Policy", (1, 38), (1, 167))]
    );
    assert_eq!(backup.missing_context_values, Some(Vec::new()));

    let other = &results[2];
    assert_eq!(other.eval_decision, "implicitDeny");
    assert_eq!(other.matched_statements, Some(Vec::new()));
    assert_eq!(other.missing_context_values, Some(Vec::new()));
}

/// A key the policies read and the request does not supply is reported, as written.
#[test]
fn missing_context_values_are_reported() {
    let out = call::<SimulateCustomPolicy>(&[
        ("PolicyInputList.member.1", DATED),
        ("ActionNames.member.1", "dynamodb:CreateBackup"),
        ("ActionNames.member.2", "s3:GetObject"),
    ]);
    let results = out.evaluation_results.expect("EvaluationResults");
    assert_eq!(results[0].eval_decision, "implicitDeny");
    assert_eq!(
        results[0].missing_context_values,
        Some(vec!["aws:CurrentTime".to_owned()])
    );
    // The statement does not concern s3: nothing is missing for it.
    assert_eq!(results[1].missing_context_values, Some(Vec::new()));
}

const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:GetUser"],"Resource":"*"}]}"#;
/// Statements: `[` in column 37, first `}` in column 180, second `}` in column 281.
const BUCKET_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/public/*"},{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/private/*"}]}"#;
/// `Statement` an object from column 37 to 85.
const BOUNDARY: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;
const FULL_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const S3_ONLY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

/// Cross-account, with a boundary and two SCP levels, on listed resources: one result per action
/// and resource, each with its resource-specific result.
#[test]
fn custom_policies_across_accounts_on_listed_resources() {
    let public = "arn:aws:s3:::shared/public/a.txt";
    let private = "arn:aws:s3:::shared/private/b.txt";
    let out = call::<SimulateCustomPolicy>(&[
        ("PolicyInputList.member.1", IDENTITY),
        ("PermissionsBoundaryPolicyInputList.member.1", BOUNDARY),
        (
            "OrderedOrganizationPolicyInputList.member.1.ServiceControlPolicyInputList.member.1",
            FULL_ACCESS,
        ),
        (
            "OrderedOrganizationPolicyInputList.member.2.ServiceControlPolicyInputList.member.1",
            S3_ONLY,
        ),
        ("ResourcePolicy", BUCKET_POLICY),
        ("ResourceOwner", "arn:aws:iam::222222222222:root"),
        ("CallerArn", "arn:aws:iam::111111111111:user/alice"),
        ("ActionNames.member.1", "s3:GetObject"),
        ("ActionNames.member.2", "s3:PutObject"),
        ("ActionNames.member.3", "iam:GetUser"),
        ("ResourceArns.member.1", public),
        ("ResourceArns.member.2", private),
    ]);
    // One result per action and resource, named by the resource, each with its resource's
    // entry in ResourceSpecificResults.
    let results = out.evaluation_results.expect("EvaluationResults");
    assert_eq!(results.len(), 6);
    let one = |r: &keyturn::api::iam::EvaluationResult| {
        let per = r.resource_specific_results.clone().expect("per resource");
        assert_eq!(per.len(), 1);
        assert_eq!(
            Some(per[0].eval_resource_name.as_str()),
            r.eval_resource_name.as_deref()
        );
        per.into_iter().next().expect("one")
    };

    let get = &results[1];
    assert_eq!(get.eval_action_name, "s3:GetObject");
    assert_eq!(get.eval_resource_name.as_deref(), Some(private));
    assert_eq!(results[0].eval_resource_name.as_deref(), Some(public));
    assert_eq!(results[0].eval_decision, "allowed");
    assert_eq!(get.eval_decision, "explicitDeny");
    let resource_deny = st("ResourcePolicy", "Resource Policy", (1, 181), (1, 282));
    let identity_allow = st("PolicyInputList.1", "IAM Policy", (1, 38), (1, 111));
    let boundary_allow = st(
        "PermissionsBoundaryPolicyInputList.1",
        "Permissions Boundary Policy",
        (1, 38),
        (1, 86),
    );
    assert_eq!(
        matched!(get.matched_statements),
        [
            resource_deny.clone(),
            identity_allow.clone(),
            boundary_allow.clone()
        ]
    );
    assert_eq!(get.missing_context_values, Some(Vec::new()));
    assert_eq!(
        get.eval_decision_details,
        details("allowed", "allowed", "explicitDeny")
    );
    let orgs = get.organizations_decision_detail.as_ref().expect("orgs");
    assert_eq!(orgs.allowed_by_organizations, Some(true));
    let pb = get
        .permissions_boundary_decision_detail
        .as_ref()
        .expect("pb");
    assert_eq!(pb.allowed_by_permissions_boundary, Some(true));

    let per = [one(&results[0]), one(get)];
    assert_eq!(per[0].eval_resource_name, public);
    assert_eq!(per[0].eval_resource_decision, "allowed");
    assert_eq!(
        matched!(per[0].matched_statements),
        [
            st("ResourcePolicy", "Resource Policy", (1, 38), (1, 181)),
            identity_allow.clone(),
            boundary_allow.clone()
        ]
    );
    assert_eq!(per[0].missing_context_values, Some(Vec::new()));
    assert_eq!(
        per[0].eval_decision_details,
        details("allowed", "allowed", "allowed")
    );
    let pb0 = per[0]
        .permissions_boundary_decision_detail
        .as_ref()
        .expect("pb");
    assert_eq!(pb0.allowed_by_permissions_boundary, Some(true));
    assert_eq!(per[1].eval_resource_name, private);
    assert_eq!(per[1].eval_resource_decision, "explicitDeny");
    assert_eq!(
        matched!(per[1].matched_statements),
        [resource_deny, identity_allow, boundary_allow]
    );
    assert_eq!(
        per[1].eval_decision_details,
        details("allowed", "allowed", "explicitDeny")
    );

    // No identity policy allows PutObject: nothing contributed to the implicit deny at the top,
    // while each resource lists what each policy type decided with (the boundary's allow).
    let put = &results[2];
    assert_eq!(put.eval_action_name, "s3:PutObject");
    assert_eq!(put.eval_decision, "implicitDeny");
    assert_eq!(put.matched_statements, Some(Vec::new()));
    let per = [one(put), one(&results[3])];
    for r in &per {
        assert_eq!(r.eval_resource_decision, "implicitDeny");
        assert_eq!(
            matched!(r.matched_statements),
            [st(
                "PermissionsBoundaryPolicyInputList.1",
                "Permissions Boundary Policy",
                (1, 38),
                (1, 86),
            )]
        );
    }
    assert_eq!(
        put.eval_decision_details,
        details("implicitDeny", "allowed", "implicitDeny")
    );

    // The account's SCP allows only s3: the simulation stops there, without details.
    let iam = &results[4];
    assert_eq!(iam.eval_action_name, "iam:GetUser");
    assert_eq!(iam.eval_decision, "implicitDeny");
    assert_eq!(iam.matched_statements, Some(Vec::new()));
    assert_eq!(iam.eval_decision_details, None);
    let orgs = iam.organizations_decision_detail.as_ref().expect("orgs");
    assert_eq!(orgs.allowed_by_organizations, Some(false));
    let per = [one(iam), one(&results[5])];
    assert!(per.iter().all(|r| r.eval_decision_details.is_none()));
    let pb = iam
        .permissions_boundary_decision_detail
        .as_ref()
        .expect("pb");
    assert_eq!(pb.allowed_by_permissions_boundary, Some(false));
}

/// A user's attached policies: managed ones by name, a group's inline one as
/// `group_<group>_<policy>`, the boundary by name; positions in the stored (compact) text, where
/// `{"Statement":[` puts the first statement just after column 14.
#[test]
fn principal_policies_of_a_user() {
    let results = simulate_alice(&[
        ("ActionNames.member.1", "s3:GetObject"),
        ("ResourceArns.member.1", "arn:aws:s3:::data/report.csv"),
        ("ResourceArns.member.2", "arn:aws:s3:::data/secret/key"),
    ]);
    assert_eq!(results.len(), 2);
    let r = &results[1];
    assert_eq!(
        r.eval_resource_name.as_deref(),
        Some("arn:aws:s3:::data/secret/key")
    );
    assert_eq!(results[0].eval_decision, "allowed");
    assert_eq!(r.eval_decision, "explicitDeny");
    let deny = st("group_devs_no-secrets", "IAM Policy", (1, 15), (1, 96));
    let boundary = st("Boundary", "Permissions Boundary Policy", (1, 15), (1, 74));
    assert_eq!(
        matched!(r.matched_statements),
        [deny.clone(), boundary.clone()]
    );
    // Same account, resource ARNs: present and empty at the top, absent per resource.
    assert_eq!(r.eval_decision_details, Some(Vec::new()));
    assert!(r.organizations_decision_detail.is_none());
    let pb = r.permissions_boundary_decision_detail.as_ref().expect("pb");
    assert_eq!(pb.allowed_by_permissions_boundary, Some(true));
    assert_eq!(r.missing_context_values, Some(Vec::new()));

    let per: Vec<_> = results
        .iter()
        .flat_map(|r| r.resource_specific_results.clone().expect("per resource"))
        .collect();
    assert_eq!(per.len(), 2);
    assert_eq!(per[0].eval_resource_name, "arn:aws:s3:::data/report.csv");
    assert_eq!(per[0].eval_resource_decision, "allowed");
    assert_eq!(
        matched!(per[0].matched_statements),
        [
            st("ReadData", "IAM Policy", (1, 15), (1, 103)),
            boundary.clone()
        ]
    );
    assert_eq!(per[0].eval_decision_details, None);
    assert_eq!(per[1].eval_resource_decision, "explicitDeny");
    assert_eq!(matched!(per[1].matched_statements), [deny, boundary]);
    assert_eq!(per[1].missing_context_values, Some(Vec::new()));
}

/// The user's own inline policy is `user_<user>_<policy>`.
#[test]
fn principal_inline_policy_id() {
    let results = simulate_alice(&[("ActionNames.member.1", "iam:SimulateCustomPolicy")]);
    let r = &results[0];
    assert_eq!(r.eval_decision, "allowed");
    assert!(r.resource_specific_results.is_none());
    assert_eq!(r.eval_decision_details, None);
    let ids: Vec<String> = matched!(r.matched_statements)
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(ids, ["user_alice_simulate", "Boundary"]);
}

/// The `SimulatePrincipalPolicy` API reference's cross-account example, replayed: the bucket
/// policy allows the user, the identity policies and the given boundary (IAM only) do not. The
/// top level lists nothing for the implicit deny; the resource lists the bucket policy's allow;
/// the details give each policy type's decision. `Statement` is an object from column 37 to 178.
#[test]
fn principal_cross_account_like_the_api_reference() {
    let bucket = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":["s3:List*","s3:Put*"],"Resource":"arn:aws:s3:::mary/*"}}"#;
    let results = simulate_alice(&[
        ("ActionNames.member.1", "s3:PutObject"),
        ("ResourceArns.member.1", "arn:aws:s3:::mary/Test"),
        ("ResourceOwner", "arn:aws:iam::222222222222:root"),
        (
            "PermissionsBoundaryPolicyInputList.member.1",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}"#,
        ),
        ("ResourcePolicy", bucket),
    ]);
    let r = &results[0];
    assert_eq!(r.eval_decision, "implicitDeny");
    assert_eq!(r.matched_statements, Some(Vec::new()));
    let decided = details("implicitDeny", "implicitDeny", "allowed");
    assert_eq!(r.eval_decision_details, decided);
    let pb = r.permissions_boundary_decision_detail.as_ref().expect("pb");
    assert_eq!(pb.allowed_by_permissions_boundary, Some(false));
    let per = r.resource_specific_results.as_ref().expect("per resource");
    assert_eq!(per.len(), 1);
    assert_eq!(per[0].eval_resource_name, "arn:aws:s3:::mary/Test");
    assert_eq!(per[0].eval_resource_decision, "implicitDeny");
    assert_eq!(
        matched!(per[0].matched_statements),
        [st("ResourcePolicy", "Resource Policy", (1, 38), (1, 179))]
    );
    assert_eq!(per[0].eval_decision_details, decided);
    assert_eq!(per[0].missing_context_values, Some(Vec::new()));
}

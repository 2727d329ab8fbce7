//! IAM's writes of roles, role policies, customer managed policies (with versions) and
//! attachments, through the public API: a runtime from YAML with two accounts, callers
//! authenticated with their keys (or their session credentials, again for every request, as a
//! server does), each operation invoked as the registry would (authorization included).
mod policies;

use crate::support;
use keyturn::Caller;
use keyturn::api::sts::{AssumeRoleRequest, Credentials};
use keyturn_core::Error;
use keyturn_core::iam::{Change, Entity, InstanceProfile, access_key_id_for_account};
use keyturn_core::ops::iam::shapes::*;
use keyturn_core::ops::iam::{self as op};
use keyturn_core::ops::{Operation, sts};

const ACCT: &str = "123456789012";
const OTHER: &str = "210987654321";
const SECRET: &str = "iam-writes-roles-secret/000000000";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

fn key(account: &str, n: u8) -> String {
    access_key_id_for_account("AKIA", account, [n, 0, 0, 0, n]).expect("a key id")
}

fn yaml() -> String {
    let head = support::world_head(ACCT, &key(ACCT, 1), SECRET);
    format!(
        r#"{head}    groups:
      - name: staff
    users:
{limited}        inline_policies:
          attach-only-read-only:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:AttachUserPolicy
                Resource: "*"
                Condition: {{ArnEquals: {{"iam:PolicyARN": "{READ_ONLY}"}}}}
{worker}{other}    users:
{partner}        inline_policies:
          assume:
            Version: "2012-10-17"
            Statement: [{{Effect: Allow, Action: sts:AssumeRole, Resource: "*"}}]
"#,
        limited = support::user_entry("limited", &key(ACCT, 2), SECRET),
        worker = support::user_entry("worker", &key(ACCT, 3), SECRET),
        other = support::account_head(OTHER, &key(OTHER, 1), SECRET),
        partner = support::user_entry("partner", &key(OTHER, 2), SECRET),
    )
}

/// The IAM read tests' world, on this test's configuration, with callers of both accounts.
struct World(support::World);

impl World {
    fn new() -> Self {
        Self(support::World::from_yaml(&yaml(), "roles.yaml"))
    }

    fn caller(&self, account: &str, n: u8) -> Caller {
        self.0
            .engine
            .authenticate_credentials(&key(account, n), SECRET, None, None)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A caller of session credentials, authenticated now (against the newest model).
    fn session(&self, c: &Credentials) -> Caller {
        self.0.session(c)
    }

    fn call<O: Operation>(&self, caller: &Caller, input: O::Input) -> Result<O::Output, Error> {
        self.0.call::<O>(caller, input)
    }

    fn ok<O: Operation>(&self, input: O::Input) -> O::Output {
        self.call::<O>(&self.caller(ACCT, 1), input)
            .unwrap_or_else(|e| panic!("{}: {e}", std::any::type_name::<O>()))
    }

    fn err<O: Operation>(&self, input: O::Input) -> (String, String) {
        err_of(self.call::<O>(&self.caller(ACCT, 1), input))
    }

    /// `action` by its AWS name with Query `params`, as the account's root: the result's XML.
    fn query(&self, action: &str, params: &[(&str, &str)]) -> Result<String, Error> {
        self.0.query_as(&key(ACCT, 1), SECRET, action, params)
    }

    /// The code and message of `action` by its AWS name as the root, which must fail.
    fn refused(&self, action: &str, params: &[(&str, &str)]) -> (String, String) {
        err_of(self.query(action, params))
    }

    fn partner_assumes(&self, role: &str) -> Result<Credentials, Error> {
        self.0.assume(&self.caller(OTHER, 2), role)
    }
}

fn err_of<T>(r: Result<T, Error>) -> (String, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.code().to_owned(), e.message().to_owned()),
    }
}

fn pair(code: &str, text: &str) -> (String, String) {
    (code.to_owned(), text.to_owned())
}

fn trust_for(principal: &str, effect: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

fn partner_trust() -> String {
    trust_for(&format!("arn:aws:iam::{OTHER}:user/partner"), "Allow")
}

fn allow(action: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
    )
}

/// An identity policy of about `n` characters.
fn wide(n: usize) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{}"}}]}}"#,
        "b".repeat(n)
    )
}

fn create_role(w: &World, name: &str) -> Role {
    create_role_with(w, name, &partner_trust())
}

fn create_role_with(w: &World, name: &str, trust: &str) -> Role {
    w.ok::<op::CreateRole>(CreateRoleRequest {
        role_name: name.into(),
        assume_role_policy_document: trust.into(),
        ..Default::default()
    })
    .role
}

fn create_policy(w: &World, name: &str, doc: &str) -> String {
    let made = w.ok::<op::CreatePolicy>(CreatePolicyRequest {
        policy_name: name.into(),
        policy_document: doc.into(),
        ..Default::default()
    });
    made.policy.unwrap().arn.unwrap()
}

fn list_roles(w: &World, c: &Caller) -> Result<ListRolesResponse, Error> {
    w.call::<op::ListRoles>(c, ListRolesRequest::default())
}

#[test]
fn a_created_role_answers_its_shape_and_is_assumable_on_the_next_request() {
    let w = World::new();
    let made = w
        .ok::<op::CreateRole>(CreateRoleRequest {
            role_name: "Partner".into(),
            path: Some("/ext/".into()),
            assume_role_policy_document: partner_trust(),
            description: Some("for the partner".into()),
            max_session_duration: Some(7200),
            tags: Some(vec![Tag {
                key: "team".into(),
                value: "x".into(),
            }]),
            ..Default::default()
        })
        .role;
    assert_eq!(made.arn, format!("arn:aws:iam::{ACCT}:role/ext/Partner"));
    assert!(made.role_id.starts_with("AROA"), "{}", made.role_id);
    assert_eq!(made.description.as_deref(), Some("for the partner"));
    assert_eq!(made.max_session_duration, Some(7200));
    assert_eq!(made.tags.as_ref().map(Vec::len), Some(1));
    assert!(
        made.assume_role_policy_document
            .unwrap()
            .contains("sts%3AAssumeRole")
    );
    let got = w.ok::<op::GetRole>(GetRoleRequest {
        role_name: "Partner".into(),
    });
    assert_eq!(got.role.role_id, made.role_id);
    let creds = w
        .call::<sts::AssumeRole>(
            &w.caller(OTHER, 2),
            AssumeRoleRequest {
                role_arn: made.arn.clone(),
                role_session_name: "s".into(),
                duration_seconds: Some(7200),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(creds.credentials.unwrap().access_key_id.starts_with("ASIA"));
}

#[test]
fn create_role_refuses_what_iam_refuses() {
    let w = World::new();
    create_role(&w, "Twin");
    let again = CreateRoleRequest {
        role_name: "TWIN".into(),
        assume_role_policy_document: partner_trust(),
        ..Default::default()
    };
    assert_eq!(
        w.err::<op::CreateRole>(again.clone()),
        pair("EntityAlreadyExists", "Role with name TWIN already exists.")
    );
    let with_resource = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}]}"#;
    let bad = |doc: &str| CreateRoleRequest {
        role_name: "Bad".into(),
        assume_role_policy_document: doc.into(),
        ..Default::default()
    };
    assert_eq!(
        w.err::<op::CreateRole>(bad(with_resource)),
        pair("MalformedPolicyDocument", "Has prohibited field Resource")
    );
    assert_eq!(
        w.err::<op::CreateRole>(bad("{not json")),
        pair("MalformedPolicyDocument", "Syntax errors in policy.")
    );
    // A trust policy grants ways into the role (and what travels with them), nothing else.
    let trust_actions = |actions: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":{actions}}}]}}"#
        )
    };
    let only_sts = "AssumeRole policy may only specify STS AssumeRole actions.";
    let only_ways_in = "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity";
    for (refused, text) in [
        (r#""sts:BadAssumeRole""#, only_ways_in),
        (
            r#"["sts:AssumeRole","sts:GetCallerIdentity"]"#,
            only_ways_in,
        ),
        (r#"["sts:AssumeRole","s3:GetObject"]"#, only_sts),
        (r#""iam:*""#, only_sts),
    ] {
        assert_eq!(
            w.err::<op::CreateRole>(bad(&trust_actions(refused))),
            pair("MalformedPolicyDocument", text),
            "{refused}"
        );
    }
    for (i, accepted) in [
        r#""sts:*""#,
        r#""*""#,
        r#"["STS:AssumeRole","sts:TagSession"]"#,
        r#""sts:AssumeRoleWith*""#,
    ]
    .into_iter()
    .enumerate()
    {
        w.ok::<op::CreateRole>(CreateRoleRequest {
            role_name: format!("Trusting{i}"),
            assume_role_policy_document: trust_actions(accepted),
            ..Default::default()
        });
    }
    let huge = trust_for(
        &format!("arn:aws:iam::{OTHER}:user/{}", "p".repeat(2100)),
        "Allow",
    );
    assert_eq!(
        w.err::<op::CreateRole>(bad(&huge)),
        pair(
            "LimitExceeded",
            "Cannot exceed quota for ACLSizePerRole: 2048"
        )
    );
    for missing in [
        format!("arn:aws:iam::{OTHER}:user/nobody"),
        format!("arn:aws:iam::{ACCT}:user/other-path/worker"),
        format!("arn:aws:iam::{ACCT}:group/staff"),
    ] {
        assert_eq!(
            w.err::<op::CreateRole>(bad(&trust_for(&missing, "Allow"))),
            pair(
                "MalformedPolicyDocument",
                &format!("Invalid principal in policy: \"AWS\":\"{missing}\"")
            )
        );
    }
    // Accounts the model does not hold, and account roots, are not resolved.
    create_role_with(
        &w,
        "Foreign",
        &trust_for("arn:aws:iam::999999999999:user/x", "Allow"),
    );
    create_role_with(
        &w,
        "Rooted",
        &trust_for(&format!("arn:aws:iam::{ACCT}:root"), "Allow"),
    );
    let boundary = format!("arn:aws:iam::{ACCT}:policy/Nope");
    assert_eq!(
        w.err::<op::CreateRole>(CreateRoleRequest {
            role_name: "Bad".into(),
            permissions_boundary: Some(boundary.clone()),
            ..again.clone()
        }),
        pair(
            "NoSuchEntity",
            &format!("Scope ARN: {boundary} does not exist or is not attachable.")
        )
    );
    let not_a_policy = "arn:aws:iam::123456789:not_a_boundary";
    assert_eq!(
        w.err::<op::CreateRole>(CreateRoleRequest {
            role_name: "Bad".into(),
            permissions_boundary: Some(not_a_policy.into()),
            ..again
        }),
        pair(
            "InvalidInput",
            &format!("Value ({not_a_policy}) for parameter PermissionsBoundary is invalid.")
        )
    );
    let (code, _) = w.err::<op::GetRole>(GetRoleRequest {
        role_name: "Bad".into(),
    });
    assert_eq!(code, "NoSuchEntity", "nothing was stored");
}

#[test]
fn a_trust_policy_updated_to_deny_refuses_the_next_assume_role_but_not_issued_sessions() {
    let w = World::new();
    create_role(&w, "Shared");
    let creds = w.partner_assumes("Shared").unwrap();
    w.ok::<op::UpdateAssumeRolePolicy>(UpdateAssumeRolePolicyRequest {
        role_name: "Shared".into(),
        policy_document: trust_for(&format!("arn:aws:iam::{OTHER}:user/partner"), "Deny"),
    });
    let (code, _) = err_of(w.partner_assumes("Shared"));
    assert_eq!(code, "AccessDenied");
    // The session issued before is still accepted.
    let session = w.session(&creds);
    let who = w
        .call::<sts::GetCallerIdentity>(&session, Default::default())
        .unwrap();
    assert!(who.arn.unwrap().contains(":assumed-role/Shared/s"));
    let update = |document: &str| {
        let params = [("RoleName", "Shared"), ("PolicyDocument", document)];
        w.refused("UpdateAssumeRolePolicy", &params)
    };
    let no_principal =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#;
    let missing = pair(
        "MalformedPolicyDocument",
        "Missing required field Principal",
    );
    assert_eq!(update(no_principal), missing);
    let ghost = format!("arn:aws:iam::{ACCT}:role/Ghost");
    let invalid = format!("Invalid principal in policy: \"AWS\":\"{ghost}\"");
    let malformed = pair("MalformedPolicyDocument", &invalid);
    assert_eq!(update(&trust_for(&ghost, "Allow")), malformed);
}

#[test]
fn put_role_policy_changes_what_an_issued_session_may_do() {
    let w = World::new();
    create_role(&w, "Worker");
    let creds = w.partner_assumes("Worker").unwrap();
    let (code, _) = err_of(list_roles(&w, &w.session(&creds)));
    assert_eq!(code, "AccessDenied");
    w.ok::<op::PutRolePolicy>(PutRolePolicyRequest {
        role_name: "Worker".into(),
        policy_name: "list".into(),
        policy_document: allow("iam:ListRoles"),
    });
    assert!(list_roles(&w, &w.session(&creds)).is_ok());
    let got = w.ok::<op::GetRolePolicy>(GetRolePolicyRequest {
        role_name: "Worker".into(),
        policy_name: "list".into(),
    });
    assert!(got.policy_document.contains("iam%3AListRoles"));
    w.ok::<op::DeleteRolePolicy>(DeleteRolePolicyRequest {
        role_name: "Worker".into(),
        policy_name: "list".into(),
    });
    let (code, _) = err_of(list_roles(&w, &w.session(&creds)));
    assert_eq!(code, "AccessDenied");
    assert_eq!(
        w.err::<op::DeleteRolePolicy>(DeleteRolePolicyRequest {
            role_name: "Worker".into(),
            policy_name: "list".into(),
        }),
        pair(
            "NoSuchEntity",
            "The role policy with name list cannot be found."
        )
    );
    let big = wide(6000);
    for name in ["one", "two"] {
        let put = w.call::<op::PutRolePolicy>(
            &w.caller(ACCT, 1),
            PutRolePolicyRequest {
                role_name: "Worker".into(),
                policy_name: name.into(),
                policy_document: big.clone(),
            },
        );
        if name == "two" {
            assert_eq!(
                err_of(put),
                pair(
                    "LimitExceeded",
                    "Maximum policy size of 10240 bytes exceeded for role Worker"
                )
            );
        } else {
            put.unwrap();
        }
    }
    assert_eq!(
        w.err::<op::PutRolePolicy>(PutRolePolicyRequest {
            role_name: "Worker".into(),
            policy_name: "p".into(),
            policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}]}"#.into(),
        }),
        pair("MalformedPolicyDocument", "Policy document should not specify a principal.")
    );
}

#[test]
fn update_role_description_boundary_and_tags() {
    let w = World::new();
    create_role(&w, "Edit");
    w.ok::<op::UpdateRole>(UpdateRoleRequest {
        role_name: "Edit".into(),
        description: Some("first".into()),
        max_session_duration: Some(43200),
        ..Default::default()
    });
    let r = w.ok::<op::UpdateRoleDescription>(UpdateRoleDescriptionRequest {
        role_name: "Edit".into(),
        description: "second".into(),
    });
    let r = r.role.unwrap();
    assert_eq!(r.description.as_deref(), Some("second"));
    assert_eq!(r.max_session_duration, Some(43200));
    let (code, text) = w.err::<op::UpdateRole>(UpdateRoleRequest {
        role_name: "Edit".into(),
        max_session_duration: Some(100),
        ..Default::default()
    });
    assert_eq!(code, "ValidationError");
    assert!(text.contains("greater than or equal to 3600"), "{text}");
    w.ok::<op::PutRolePermissionsBoundary>(PutRolePermissionsBoundaryRequest {
        role_name: "Edit".into(),
        permissions_boundary: READ_ONLY.into(),
    });
    let got = w.ok::<op::GetRole>(GetRoleRequest {
        role_name: "Edit".into(),
    });
    assert_eq!(
        got.role
            .permissions_boundary
            .unwrap()
            .permissions_boundary_arn
            .as_deref(),
        Some(READ_ONLY)
    );
    let usage = w.ok::<op::GetPolicy>(GetPolicyRequest {
        policy_arn: READ_ONLY.into(),
    });
    assert_eq!(
        usage.policy.unwrap().permissions_boundary_usage_count,
        Some(1)
    );
    w.ok::<op::DeleteRolePermissionsBoundary>(DeleteRolePermissionsBoundaryRequest {
        role_name: "Edit".into(),
    });
    let got = w.ok::<op::GetRole>(GetRoleRequest {
        role_name: "Edit".into(),
    });
    assert!(got.role.permissions_boundary.is_none());
    let role = |name| support::Tagging {
        query: |action: &str, params: &[(&str, &str)]| w.query(action, params),
        kind: "Role",
        entity: ("RoleName", name),
    };
    let edit = role("Edit");
    edit.tag(&[("a", "1"), ("b", "2")]).unwrap();
    edit.tag(&[("A", "3")]).unwrap();
    edit.untag(&["b"]).unwrap();
    assert_eq!(edit.list(), [pair("A", "3")]);
    let ghost = pair("NoSuchEntity", "The role with name Ghost cannot be found.");
    assert_eq!(err_of(role("Ghost").tag(&[("a", "1")])), ghost);
}

#[test]
fn delete_role_conflicts_until_its_policies_and_instance_profiles_are_gone() {
    let w = World::new();
    create_role(&w, "Busy");
    let delete = || DeleteRoleRequest {
        role_name: "Busy".into(),
    };
    w.ok::<op::PutRolePolicy>(PutRolePolicyRequest {
        role_name: "Busy".into(),
        policy_name: "p".into(),
        policy_document: allow("s3:GetObject"),
    });
    assert_eq!(
        w.err::<op::DeleteRole>(delete()),
        pair(
            "DeleteConflict",
            "Cannot delete entity, must delete policies first."
        )
    );
    w.ok::<op::AttachRolePolicy>(AttachRolePolicyRequest {
        role_name: "Busy".into(),
        policy_arn: READ_ONLY.into(),
    });
    assert_eq!(
        w.err::<op::DeleteRole>(delete()),
        pair(
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first."
        )
    );
    // An instance profile holding the role (another helper's operations write them).
    w.0.engine
        .change(|_| {
            let profile = InstanceProfile {
                name: "busy-profile".into(),
                roles: vec!["Busy".into()],
                ..InstanceProfile::default()
            };
            let change = Change::Put {
                account: ACCT.into(),
                entity: Entity::InstanceProfile(profile),
            };
            Ok((vec![change], ()))
        })
        .unwrap();
    assert_eq!(
        w.err::<op::DeleteRole>(delete()),
        pair(
            "DeleteConflict",
            "Cannot delete entity, must remove roles from instance profile first."
        )
    );
    w.0.engine
        .change(|_| {
            let change = Change::Delete {
                account: ACCT.into(),
                kind: keyturn_core::iam::EntityKind::InstanceProfile,
                name: "busy-profile".into(),
            };
            Ok((vec![change], ()))
        })
        .unwrap();
    w.ok::<op::DetachRolePolicy>(DetachRolePolicyRequest {
        role_name: "Busy".into(),
        policy_arn: READ_ONLY.into(),
    });
    w.ok::<op::DeleteRolePolicy>(DeleteRolePolicyRequest {
        role_name: "Busy".into(),
        policy_name: "p".into(),
    });
    w.ok::<op::DeleteRole>(delete());
    let (code, _) = w.err::<op::GetRole>(GetRoleRequest {
        role_name: "Busy".into(),
    });
    assert_eq!(code, "NoSuchEntity");
    assert_eq!(
        w.err::<op::DeleteRole>(delete()),
        pair("NoSuchEntity", "The role with name Busy cannot be found.")
    );
}

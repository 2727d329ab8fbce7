//! IAM's writes of roles, role policies, customer managed policies (with versions) and
//! attachments, through the public API: a runtime from YAML with two accounts, callers
//! authenticated with their keys (or their session credentials, again for every request, as a
//! server does), each operation invoked as the registry would (authorization included).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

#[path = "iam_reads/support.rs"]
#[allow(
    dead_code,
    reason = "the read tests' helpers, of which these tests use the world"
)]
mod support;

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
    format!(
        r#"
store: {{memory: true}}
accounts:
  - id: "{ACCT}"
    root:
      access_keys: [{{id: {root}, secret: {SECRET}}}]
    groups:
      - name: staff
    users:
      - name: limited
        access_keys: [{{id: {limited}, secret: {SECRET}}}]
        inline_policies:
          attach-only-read-only:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:AttachUserPolicy
                Resource: "*"
                Condition: {{ArnEquals: {{"iam:PolicyARN": "{READ_ONLY}"}}}}
      - name: worker
        access_keys: [{{id: {worker}, secret: {SECRET}}}]
  - id: "{OTHER}"
    root:
      access_keys: [{{id: {other_root}, secret: {SECRET}}}]
    users:
      - name: partner
        access_keys: [{{id: {partner}, secret: {SECRET}}}]
        inline_policies:
          assume:
            Version: "2012-10-17"
            Statement: [{{Effect: Allow, Action: sts:AssumeRole, Resource: "*"}}]
"#,
        root = key(ACCT, 1),
        limited = key(ACCT, 2),
        worker = key(ACCT, 3),
        other_root = key(OTHER, 1),
        partner = key(OTHER, 2),
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

    fn partner_assumes(&self, role: &str) -> Result<Credentials, Error> {
        let partner = self.caller(OTHER, 2);
        let out = self.call::<sts::AssumeRole>(
            &partner,
            AssumeRoleRequest {
                role_arn: format!("arn:aws:iam::{ACCT}:role/{role}"),
                role_session_name: "s".into(),
                ..Default::default()
            },
        )?;
        Ok(out.credentials.expect("credentials"))
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
fn every_operation_of_the_area_is_registered_with_its_action() {
    support::assert_registered(&[
        "AttachGroupPolicy",
        "AttachRolePolicy",
        "AttachUserPolicy",
        "CreatePolicy",
        "CreatePolicyVersion",
        "CreateRole",
        "DeletePolicy",
        "DeletePolicyVersion",
        "DeleteRole",
        "DeleteRolePermissionsBoundary",
        "DeleteRolePolicy",
        "DetachGroupPolicy",
        "DetachRolePolicy",
        "DetachUserPolicy",
        "ListEntitiesForPolicy",
        "ListPolicyTags",
        "ListPolicyVersions",
        "PutRolePermissionsBoundary",
        "PutRolePolicy",
        "SetDefaultPolicyVersion",
        "TagPolicy",
        "TagRole",
        "UntagPolicy",
        "UntagRole",
        "UpdateAssumeRolePolicy",
        "UpdateRole",
        "UpdateRoleDescription",
    ]);
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
            ..again
        }),
        pair(
            "NoSuchEntity",
            &format!("Policy {boundary} does not exist or is not attachable.")
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
    assert_eq!(
        w.err::<op::UpdateAssumeRolePolicy>(UpdateAssumeRolePolicyRequest {
            role_name: "Shared".into(),
            policy_document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#.into(),
        }),
        pair("MalformedPolicyDocument", "Missing required field Principal")
    );
    let ghost = format!("arn:aws:iam::{ACCT}:role/Ghost");
    assert_eq!(
        w.err::<op::UpdateAssumeRolePolicy>(UpdateAssumeRolePolicyRequest {
            role_name: "Shared".into(),
            policy_document: trust_for(&ghost, "Allow"),
        }),
        pair(
            "MalformedPolicyDocument",
            &format!("Invalid principal in policy: \"AWS\":\"{ghost}\"")
        )
    );
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
    let tag = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    w.ok::<op::TagRole>(TagRoleRequest {
        role_name: "Edit".into(),
        tags: vec![tag("a", "1"), tag("b", "2")],
    });
    w.ok::<op::TagRole>(TagRoleRequest {
        role_name: "Edit".into(),
        tags: vec![tag("A", "3")],
    });
    w.ok::<op::UntagRole>(UntagRoleRequest {
        role_name: "Edit".into(),
        tag_keys: vec!["b".into()],
    });
    let tags = w.ok::<op::ListRoleTags>(ListRoleTagsRequest {
        role_name: "Edit".into(),
        ..Default::default()
    });
    assert_eq!(tags.tags, vec![tag("A", "3")]);
    assert_eq!(
        w.err::<op::TagRole>(TagRoleRequest {
            role_name: "Ghost".into(),
            tags: vec![tag("a", "1")],
        }),
        pair("NoSuchEntity", "The role with name Ghost cannot be found.")
    );
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

#[test]
fn create_policy_answers_its_shape_and_refuses_duplicates_and_bad_documents() {
    let w = World::new();
    let made = w
        .ok::<op::CreatePolicy>(CreatePolicyRequest {
            policy_name: "Reader".into(),
            path: Some("/team/".into()),
            policy_document: allow("s3:GetObject"),
            description: Some("reads".into()),
            tags: Some(vec![Tag {
                key: "k".into(),
                value: "v".into(),
            }]),
        })
        .policy
        .unwrap();
    assert_eq!(
        made.arn.as_deref(),
        Some(&*format!("arn:aws:iam::{ACCT}:policy/team/Reader"))
    );
    assert!(made.policy_id.unwrap().starts_with("ANPA"));
    assert_eq!(made.default_version_id.as_deref(), Some("v1"));
    assert_eq!(made.attachment_count, Some(0));
    assert_eq!(made.is_attachable, Some(true));
    assert_eq!(made.description.as_deref(), Some("reads"));
    let got = w
        .ok::<op::GetPolicy>(GetPolicyRequest {
            policy_arn: made.arn.clone().unwrap(),
        })
        .policy
        .unwrap();
    assert_eq!(got.description.as_deref(), Some("reads"));
    assert_eq!(got.tags.map(|t| t.len()), Some(1));
    let details =
        w.ok::<op::GetAccountAuthorizationDetails>(GetAccountAuthorizationDetailsRequest {
            filter: Some(vec!["LocalManagedPolicy".into()]),
            ..Default::default()
        });
    let detail = &details.policies.unwrap()[0];
    assert_eq!(detail.description.as_deref(), Some("reads"));
    assert_eq!(detail.policy_version_list.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        w.err::<op::CreatePolicy>(CreatePolicyRequest {
            policy_name: "reader".into(),
            policy_document: allow("s3:GetObject"),
            ..Default::default()
        }),
        pair(
            "EntityAlreadyExists",
            "A policy called reader already exists. Duplicate names are not allowed."
        )
    );
    let big = wide(6100);
    let create = |doc: &str| CreatePolicyRequest {
        policy_name: "Other".into(),
        policy_document: doc.into(),
        ..Default::default()
    };
    assert_eq!(
        w.err::<op::CreatePolicy>(create(&big)),
        pair("LimitExceeded", "Cannot exceed quota for PolicySize: 6144")
    );
    assert_eq!(
        w.err::<op::CreatePolicy>(create(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#
        )),
        pair(
            "MalformedPolicyDocument",
            "Policy statement must contain resources."
        )
    );
}

#[test]
fn policy_versions_count_up_keep_five_and_the_default_decides_the_next_request() {
    let w = World::new();
    let arn = create_policy(&w, "Moving", &allow("iam:ListRoles"));
    w.ok::<op::AttachUserPolicy>(AttachUserPolicyRequest {
        user_name: "worker".into(),
        policy_arn: arn.clone(),
    });
    let worker = || w.caller(ACCT, 3);
    assert!(list_roles(&w, &worker()).is_ok());
    let version = |set: bool| CreatePolicyVersionRequest {
        policy_arn: arn.clone(),
        policy_document: allow("iam:ListUsers"),
        set_as_default: Some(set),
    };
    let v2 = w.ok::<op::CreatePolicyVersion>(version(false));
    let v2 = v2.policy_version.unwrap();
    assert_eq!(v2.version_id.as_deref(), Some("v2"));
    assert_eq!(v2.is_default_version, Some(false));
    assert!(
        v2.document.is_none(),
        "CreatePolicyVersion answers no document"
    );
    for _ in 3..=5 {
        w.ok::<op::CreatePolicyVersion>(version(false));
    }
    assert_eq!(
        w.err::<op::CreatePolicyVersion>(version(false)),
        pair(
            "LimitExceeded",
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."
        )
    );
    let delete = |id: &str| DeletePolicyVersionRequest {
        policy_arn: arn.clone(),
        version_id: id.into(),
    };
    assert_eq!(
        w.err::<op::DeletePolicyVersion>(delete("v1")),
        pair(
            "DeleteConflict",
            "Cannot delete the default version of a policy."
        )
    );
    assert_eq!(
        w.err::<op::DeletePolicyVersion>(delete("v9")),
        pair(
            "NoSuchEntity",
            &format!("Policy {arn} version v9 does not exist or is not attachable.")
        )
    );
    w.ok::<op::DeletePolicyVersion>(delete("v5"));
    let v6 = w.ok::<op::CreatePolicyVersion>(version(true));
    let v6 = v6.policy_version.unwrap();
    assert_eq!(v6.version_id.as_deref(), Some("v6"), "ids keep counting up");
    assert_eq!(v6.is_default_version, Some(true));
    // The new default (ListUsers only) decides the next request.
    let (code, _) = err_of(list_roles(&w, &worker()));
    assert_eq!(code, "AccessDenied");
    let listed = w.ok::<op::ListPolicyVersions>(ListPolicyVersionsRequest {
        policy_arn: arn.clone(),
        ..Default::default()
    });
    let ids: Vec<_> = listed
        .versions
        .unwrap()
        .into_iter()
        .map(|v| (v.version_id.unwrap(), v.is_default_version.unwrap()))
        .collect();
    let want = [
        ("v6", true),
        ("v4", false),
        ("v3", false),
        ("v2", false),
        ("v1", false),
    ];
    let want: Vec<_> = want.iter().map(|(i, d)| ((*i).to_owned(), *d)).collect();
    assert_eq!(ids, want);
    w.ok::<op::SetDefaultPolicyVersion>(SetDefaultPolicyVersionRequest {
        policy_arn: arn.clone(),
        version_id: "v1".into(),
    });
    assert!(list_roles(&w, &worker()).is_ok());
    let got = w.ok::<op::GetPolicy>(GetPolicyRequest {
        policy_arn: arn.clone(),
    });
    assert_eq!(
        got.policy.unwrap().default_version_id.as_deref(),
        Some("v1")
    );
    let v3 = w.ok::<op::GetPolicyVersion>(GetPolicyVersionRequest {
        policy_arn: arn.clone(),
        version_id: "v3".into(),
    });
    assert!(
        v3.policy_version
            .unwrap()
            .document
            .unwrap()
            .contains("iam%3AListUsers")
    );
    assert_eq!(
        w.err::<op::SetDefaultPolicyVersion>(SetDefaultPolicyVersionRequest {
            policy_arn: arn.clone(),
            version_id: "v5".into(),
        }),
        pair(
            "NoSuchEntity",
            &format!("Policy {arn} version v5 does not exist or is not attachable.")
        )
    );
}

#[test]
fn delete_policy_conflicts_while_attached_or_versioned() {
    let w = World::new();
    let arn = create_policy(&w, "Doomed", &allow("s3:GetObject"));
    let delete = || DeletePolicyRequest {
        policy_arn: arn.clone(),
    };
    w.ok::<op::AttachGroupPolicy>(AttachGroupPolicyRequest {
        group_name: "staff".into(),
        policy_arn: arn.clone(),
    });
    assert_eq!(
        w.err::<op::DeletePolicy>(delete()),
        pair(
            "DeleteConflict",
            "Cannot delete a policy attached to entities."
        )
    );
    w.ok::<op::DetachGroupPolicy>(DetachGroupPolicyRequest {
        group_name: "staff".into(),
        policy_arn: arn.clone(),
    });
    w.ok::<op::CreatePolicyVersion>(CreatePolicyVersionRequest {
        policy_arn: arn.clone(),
        policy_document: allow("s3:PutObject"),
        set_as_default: None,
    });
    assert_eq!(
        w.err::<op::DeletePolicy>(delete()),
        pair(
            "DeleteConflict",
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."
        )
    );
    w.ok::<op::DeletePolicyVersion>(DeletePolicyVersionRequest {
        policy_arn: arn.clone(),
        version_id: "v2".into(),
    });
    w.ok::<op::DeletePolicy>(delete());
    assert_eq!(
        w.err::<op::GetPolicy>(GetPolicyRequest {
            policy_arn: arn.clone(),
        }),
        pair(
            "NoSuchEntity",
            &format!("Policy {arn} does not exist or is not attachable.")
        )
    );
}

#[test]
fn attach_and_detach_for_users_groups_and_roles_with_counts_and_entities() {
    let w = World::new();
    create_role(&w, "Holder");
    let arn = create_policy(&w, "Shared", &allow("s3:GetObject"));
    w.ok::<op::AttachUserPolicy>(AttachUserPolicyRequest {
        user_name: "worker".into(),
        policy_arn: arn.clone(),
    });
    w.ok::<op::AttachGroupPolicy>(AttachGroupPolicyRequest {
        group_name: "staff".into(),
        policy_arn: arn.clone(),
    });
    for _ in 0..2 {
        // Twice: the second changes nothing.
        w.ok::<op::AttachRolePolicy>(AttachRolePolicyRequest {
            role_name: "Holder".into(),
            policy_arn: arn.clone(),
        });
    }
    let got = w.ok::<op::GetPolicy>(GetPolicyRequest {
        policy_arn: arn.clone(),
    });
    assert_eq!(got.policy.unwrap().attachment_count, Some(3));
    let attached = w.ok::<op::ListAttachedRolePolicies>(ListAttachedRolePoliciesRequest {
        role_name: "Holder".into(),
        ..Default::default()
    });
    assert_eq!(attached.attached_policies.unwrap().len(), 1);
    let entities = w.ok::<op::ListEntitiesForPolicy>(ListEntitiesForPolicyRequest {
        policy_arn: arn.clone(),
        ..Default::default()
    });
    let names = |e: &ListEntitiesForPolicyResponse| {
        (
            e.policy_groups
                .iter()
                .flatten()
                .map(|g| g.group_name.clone().unwrap())
                .collect::<Vec<_>>(),
            e.policy_users
                .iter()
                .flatten()
                .map(|u| u.user_name.clone().unwrap())
                .collect::<Vec<_>>(),
            e.policy_roles
                .iter()
                .flatten()
                .map(|r| r.role_name.clone().unwrap())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        names(&entities),
        (
            vec!["staff".to_owned()],
            vec!["worker".to_owned()],
            vec!["Holder".to_owned()]
        )
    );
    assert!(
        entities.policy_roles.unwrap()[0]
            .role_id
            .as_deref()
            .unwrap()
            .starts_with("AROA")
    );
    let only_roles = w.ok::<op::ListEntitiesForPolicy>(ListEntitiesForPolicyRequest {
        policy_arn: arn.clone(),
        entity_filter: Some("Role".into()),
        ..Default::default()
    });
    assert_eq!(
        names(&only_roles),
        (vec![], vec![], vec!["Holder".to_owned()])
    );
    let paged = w.ok::<op::ListEntitiesForPolicy>(ListEntitiesForPolicyRequest {
        policy_arn: arn.clone(),
        max_items: Some(2),
        ..Default::default()
    });
    assert_eq!(paged.is_truncated, Some(true));
    assert_eq!(
        names(&paged),
        (vec!["staff".to_owned()], vec!["worker".to_owned()], vec![])
    );
    let boundaries = w.ok::<op::ListEntitiesForPolicy>(ListEntitiesForPolicyRequest {
        policy_arn: arn.clone(),
        policy_usage_filter: Some("PermissionsBoundary".into()),
        ..Default::default()
    });
    assert_eq!(names(&boundaries), (vec![], vec![], vec![]));
    w.ok::<op::DetachUserPolicy>(DetachUserPolicyRequest {
        user_name: "worker".into(),
        policy_arn: arn.clone(),
    });
    assert_eq!(
        w.err::<op::DetachUserPolicy>(DetachUserPolicyRequest {
            user_name: "worker".into(),
            policy_arn: arn.clone(),
        }),
        pair("NoSuchEntity", &format!("Policy {arn} was not found."))
    );
    let missing = format!("arn:aws:iam::{ACCT}:policy/Missing");
    assert_eq!(
        w.err::<op::AttachRolePolicy>(AttachRolePolicyRequest {
            role_name: "Holder".into(),
            policy_arn: missing.clone(),
        }),
        pair(
            "NoSuchEntity",
            &format!("Policy {missing} does not exist or is not attachable.")
        )
    );
    assert_eq!(
        w.err::<op::AttachRolePolicy>(AttachRolePolicyRequest {
            role_name: "Holder".into(),
            policy_arn: "not-an-arn".into(),
        }),
        pair("InvalidInput", "ARN not-an-arn is not valid.")
    );
    assert_eq!(
        w.err::<op::AttachGroupPolicy>(AttachGroupPolicyRequest {
            group_name: "ghosts".into(),
            policy_arn: arn.clone(),
        }),
        pair(
            "NoSuchEntity",
            "The group with name ghosts cannot be found."
        )
    );
}

#[test]
fn at_most_ten_managed_policies_per_role() {
    let w = World::new();
    create_role(&w, "Full");
    for i in 0..10 {
        let arn = create_policy(&w, &format!("P{i}"), &allow("s3:GetObject"));
        w.ok::<op::AttachRolePolicy>(AttachRolePolicyRequest {
            role_name: "Full".into(),
            policy_arn: arn,
        });
    }
    assert_eq!(
        w.err::<op::AttachRolePolicy>(AttachRolePolicyRequest {
            role_name: "Full".into(),
            policy_arn: READ_ONLY.into(),
        }),
        pair(
            "LimitExceeded",
            "Cannot exceed quota for PoliciesPerRole: 10"
        )
    );
}

#[test]
fn attach_is_authorized_with_the_policy_arn_condition() {
    let w = World::new();
    let limited = w.caller(ACCT, 2);
    let arn = create_policy(&w, "Other", &allow("s3:GetObject"));
    let attach = |policy: &str| AttachUserPolicyRequest {
        user_name: "worker".into(),
        policy_arn: policy.into(),
    };
    let (code, _) = err_of(w.call::<op::AttachUserPolicy>(&limited, attach(&arn)));
    assert_eq!(code, "AccessDenied");
    w.call::<op::AttachUserPolicy>(&limited, attach(READ_ONLY))
        .unwrap();
    let attached = w.ok::<op::ListAttachedUserPolicies>(ListAttachedUserPoliciesRequest {
        user_name: "worker".into(),
        ..Default::default()
    });
    let arns: Vec<_> = attached
        .attached_policies
        .unwrap()
        .into_iter()
        .map(|p| p.policy_arn.unwrap())
        .collect();
    assert_eq!(arns, vec![READ_ONLY.to_owned()]);
}

#[test]
fn policy_tags_are_added_listed_and_removed() {
    let w = World::new();
    let arn = create_policy(&w, "Tagged", &allow("s3:GetObject"));
    let tag = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    w.ok::<op::TagPolicy>(TagPolicyRequest {
        policy_arn: arn.clone(),
        tags: vec![tag("b", "2"), tag("a", "1")],
    });
    w.ok::<op::UntagPolicy>(UntagPolicyRequest {
        policy_arn: arn.clone(),
        tag_keys: vec!["b".into()],
    });
    let listed = w.ok::<op::ListPolicyTags>(ListPolicyTagsRequest {
        policy_arn: arn.clone(),
        ..Default::default()
    });
    assert_eq!(listed.tags, vec![tag("a", "1")]);
    assert_eq!(
        w.err::<op::TagPolicy>(TagPolicyRequest {
            policy_arn: arn.clone(),
            tags: vec![tag("x", "1"), tag("X", "2")],
        }),
        pair(
            "InvalidInput",
            "Duplicate tag keys found. Please note that Tag keys are case insensitive."
        )
    );
    let listed = w.ok::<op::ListPolicies>(ListPoliciesRequest {
        scope: Some("Local".into()),
        ..Default::default()
    });
    let p = &listed.policies.unwrap()[0];
    assert!(p.tags.is_none(), "ListPolicies shows no tags");
}

#[test]
fn a_stored_policy_of_one_document_reads_as_v1_and_versions_round_trip() {
    use keyturn_core::iam::ManagedPolicy;
    let doc = allow("s3:GetObject");
    let legacy = serde_json::json!({"name": "Old", "path": "/x/", "document": doc});
    let old: ManagedPolicy = serde_json::from_value(legacy).unwrap();
    assert_eq!(old.versions.len(), 1);
    assert_eq!(old.versions[0].id, "v1");
    assert_eq!(old.default_version, "v1");
    assert_eq!(old.document(), doc);
    let mut grown = old.clone();
    grown.versions.push(keyturn_core::iam::PolicyVersion {
        id: "v7".into(),
        document: allow("s3:PutObject"),
        create_date: Some("2026-01-01T00:00:00Z".into()),
    });
    grown.default_version = "v7".into();
    grown.last_version = 7;
    let text = serde_json::to_string(&grown).unwrap();
    let back: ManagedPolicy = serde_json::from_str(&text).unwrap();
    assert_eq!(back, grown);
    assert_eq!(back.document(), allow("s3:PutObject"));
    let unknown = serde_json::json!({"name": "Odd", "document": doc, "color": "red"});
    assert!(serde_json::from_value::<ManagedPolicy>(unknown).is_err());
}

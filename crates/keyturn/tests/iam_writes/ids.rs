//! Unique ids stored with the entities: random when an entity is created through the API (so a
//! role or user deleted and created again under its name is another entity, whose id differs),
//! kept across renames, given in a configuration with `id:` (or derived when absent), written
//! out by `keyturn export`; and the sessions of a deleted or re-created role or user left
//! without permissions: temporary credentials stay valid until they expire (GetCallerIdentity
//! answers), their permissions are evaluated at each use, and a re-created entity's policies are
//! another entity's.

use crate::support;
use keyturn::Caller;
use keyturn::api::sts::{
    Credentials, GetCallerIdentityRequest, GetFederationTokenRequest, GetSessionTokenRequest,
};
use keyturn_core::Error;
use keyturn_core::ops::iam::shapes::*;
use keyturn_core::ops::iam::{self as op};
use keyturn_core::ops::sts;

use crate::support::{ACCT, SECRET, key};

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const TRUST_ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
/// Ids given in the configuration.
const SEEDED_ROLE_ID: &str = "AROAQQQQQQQQQQQQQQQQ2";
const SEEDED_USER_ID: &str = "AIDAQQQQQQQQQQQQQQQQ3";

fn yaml() -> String {
    let head = support::world_head(ACCT, &key(1), SECRET);
    format!(
        r#"{head}    groups:
      - name: staff
    users:
{worker}        inline_policies:
          everything: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "*", Resource: "*"}}]}}
      - name: member
        id: {SEEDED_USER_ID}
        groups: [staff]
        access_keys: []
    roles:
      - name: Seeded
        id: {SEEDED_ROLE_ID}
        trust_policy:
          Version: "2012-10-17"
          Statement: [{{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{ACCT}:root"}}, Action: sts:AssumeRole}}]
"#,
        worker = support::user_entry("worker", &key(2), SECRET),
    )
}

/// The IAM read tests' world on this test's configuration (its callers, `call` and `ok` as the
/// account's root), with what these tests add.
struct World(support::World);

impl std::ops::Deref for World {
    type Target = support::World;

    fn deref(&self) -> &support::World {
        &self.0
    }
}

impl World {
    fn new() -> Self {
        Self(support::World::from_yaml(&yaml(), "ids.yaml"))
    }

    /// Authenticates session credentials against the newest model, as every request does.
    fn session(&self, c: &Credentials) -> Result<Caller, Error> {
        self.0.engine.authenticate_credentials(
            &c.access_key_id,
            c.secret_access_key.expose(),
            Some(c.session_token.expose()),
            None,
        )
    }

    /// GetCallerIdentity with session credentials: the `UserId`, or the error's code and text.
    fn whoami(&self, c: &Credentials) -> Result<String, (String, String)> {
        let caller = self.session(c).map_err(pair)?;
        self.call::<sts::GetCallerIdentity>(&caller, GetCallerIdentityRequest {})
            .map(|r| r.user_id.unwrap_or_default())
            .map_err(pair)
    }

    /// Whether the session is denied an action its entity's policy allows (`s3:GetObject`, as
    /// a service embedding Keyturn asks). The session itself always authenticates.
    fn denied(&self, c: &Credentials) -> bool {
        let caller = self.session(c).expect("a valid session authenticates");
        !self
            .0
            .engine
            .authorize(&caller, "s3:GetObject", "arn:aws:s3:::bucket/key", &[])
            .expect("evaluated")
            .is_allowed()
    }

    fn create_role(&self, name: &str) -> String {
        let role = self
            .ok::<op::CreateRole>(CreateRoleRequest {
                role_name: name.into(),
                assume_role_policy_document: TRUST_ACCOUNT.into(),
                ..Default::default()
            })
            .role;
        self.ok::<op::PutRolePolicy>(PutRolePolicyRequest {
            role_name: name.into(),
            policy_name: "everything".into(),
            policy_document: ALLOW_ALL.into(),
        });
        role.role_id
    }

    fn delete_role(&self, name: &str) {
        self.ok::<op::DeleteRolePolicy>(DeleteRolePolicyRequest {
            role_name: name.into(),
            policy_name: "everything".into(),
        });
        self.ok::<op::DeleteRole>(DeleteRoleRequest {
            role_name: name.into(),
        });
    }

    fn user_id(&self, name: &str) -> String {
        self.ok::<op::GetUser>(GetUserRequest {
            user_name: Some(name.into()),
        })
        .user
        .user_id
    }
}

fn pair(e: Error) -> (String, String) {
    (e.code().to_owned(), e.message().to_owned())
}

#[test]
fn a_role_created_again_is_another_role_whose_old_sessions_keep_no_permissions() {
    let w = World::new();
    let first_id = w.create_role("Svc");
    assert!(
        first_id.starts_with("AROA") && first_id.len() == 21,
        "{first_id}"
    );
    let session = w.assume(&w.caller(2), "Svc").unwrap();
    assert_eq!(w.whoami(&session), Ok(format!("{first_id}:s")));
    // A session of the role assumes it again (role chaining).
    let chained = w.assume(&w.session(&session).unwrap(), "Svc").unwrap();
    assert_eq!(w.whoami(&chained), Ok(format!("{first_id}:s")));

    assert!(!w.denied(&session) && !w.denied(&chained));

    w.delete_role("Svc");
    // Valid until they expire, without permissions.
    assert_eq!(w.whoami(&session), Ok(format!("{first_id}:s")));
    assert!(w.denied(&session) && w.denied(&chained));

    let second_id = w.create_role("Svc");
    assert_ne!(second_id, first_id, "a new role has a new id");
    let got = w.ok::<op::GetRole>(GetRoleRequest {
        role_name: "Svc".into(),
    });
    assert_eq!(got.role.role_id, second_id);
    // The old sessions do not reach the new role (whose policy allows everything): not for
    // IAM, not to chain; they still say who they were.
    assert_eq!(w.whoami(&chained), Ok(format!("{first_id}:s")));
    assert!(w.denied(&session) && w.denied(&chained));
    let e = w.assume(&w.session(&session).unwrap(), "Svc").unwrap_err();
    assert_eq!(e.code(), "AccessDenied", "{e:?}");
    // A new session of the new role works, and chains.
    let fresh = w.assume(&w.caller(2), "Svc").unwrap();
    assert_eq!(w.whoami(&fresh), Ok(format!("{second_id}:s")));
    let caller = w.session(&fresh).unwrap();
    assert!(
        w.call::<op::ListRoles>(&caller, ListRolesRequest::default())
            .is_ok()
    );
    assert!(w.assume(&caller, "Svc").is_ok());
}

#[test]
fn a_user_created_again_is_not_the_user_of_the_old_sessions() {
    let w = World::new();
    let configured_id = w.user_id("worker");
    let worker = w.caller(2);
    let token = w
        .call::<sts::GetSessionToken>(&worker, GetSessionTokenRequest::default())
        .unwrap()
        .credentials
        .unwrap();
    let federated = w
        .call::<sts::GetFederationToken>(
            &worker,
            GetFederationTokenRequest {
                name: "fed".into(),
                policy: Some(ALLOW_ALL.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .credentials
        .unwrap();
    assert_eq!(w.whoami(&token), Ok(configured_id.clone()));
    assert_eq!(w.whoami(&federated), Ok(format!("{ACCT}:fed")));
    assert!(!w.denied(&token) && !w.denied(&federated));

    w.ok::<op::DeleteAccessKey>(DeleteAccessKeyRequest {
        user_name: Some("worker".into()),
        access_key_id: key(2),
    });
    w.ok::<op::DeleteUserPolicy>(DeleteUserPolicyRequest {
        user_name: "worker".into(),
        policy_name: "everything".into(),
    });
    w.ok::<op::DeleteUser>(DeleteUserRequest {
        user_name: "worker".into(),
    });
    assert_eq!(w.whoami(&token), Ok(configured_id.clone()));
    assert!(w.denied(&token) && w.denied(&federated));

    w.ok::<op::CreateUser>(CreateUserRequest {
        user_name: "worker".into(),
        ..Default::default()
    });
    w.ok::<op::PutUserPolicy>(PutUserPolicyRequest {
        user_name: "worker".into(),
        policy_name: "everything".into(),
        policy_document: ALLOW_ALL.into(),
    });
    let new_id = w.user_id("worker");
    assert_ne!(new_id, configured_id);
    // The new user may do everything; the old user's sessions still nothing.
    assert!(w.denied(&token) && w.denied(&federated));
    assert_eq!(w.whoami(&federated), Ok(format!("{ACCT}:fed")));
}

#[test]
fn renames_keep_the_id() {
    let w = World::new();
    // A configured user with a configured id, and a configured group with a derived one.
    assert_eq!(w.user_id("member"), SEEDED_USER_ID);
    w.ok::<op::UpdateUser>(UpdateUserRequest {
        user_name: "member".into(),
        new_user_name: Some("member2".into()),
        ..Default::default()
    });
    assert_eq!(w.user_id("member2"), SEEDED_USER_ID);
    let group_id = |name: &str| {
        w.ok::<op::GetGroup>(GetGroupRequest {
            group_name: name.into(),
            ..Default::default()
        })
        .group
        .group_id
    };
    let derived = group_id("staff");
    w.ok::<op::UpdateGroup>(UpdateGroupRequest {
        group_name: "staff".into(),
        new_group_name: Some("crew".into()),
        new_path: Some("/ops/".into()),
    });
    assert_eq!(group_id("crew"), derived);
    // An API-created user keeps its random id too, and a user created under the old name is
    // another one.
    w.ok::<op::CreateUser>(CreateUserRequest {
        user_name: "temp".into(),
        ..Default::default()
    });
    let made = w.user_id("temp");
    w.ok::<op::UpdateUser>(UpdateUserRequest {
        user_name: "temp".into(),
        new_user_name: Some("kept".into()),
        ..Default::default()
    });
    assert_eq!(w.user_id("kept"), made);
    w.ok::<op::CreateUser>(CreateUserRequest {
        user_name: "temp".into(),
        ..Default::default()
    });
    assert_ne!(w.user_id("temp"), made);
}

#[test]
fn configured_ids_seed_the_model_and_export_writes_every_stored_id() {
    let w = World::new();
    let session = w.assume(&w.caller(2), "Seeded").unwrap();
    assert_eq!(w.whoami(&session), Ok(format!("{SEEDED_ROLE_ID}:s")));
    let svc = w.create_role("Svc");
    let policy = w
        .ok::<op::CreatePolicy>(CreatePolicyRequest {
            policy_name: "P".into(),
            policy_document: ALLOW_ALL.into(),
            ..Default::default()
        })
        .policy
        .unwrap();
    let policy_id = policy.policy_id.unwrap();
    assert!(policy_id.starts_with("ANPA"), "{policy_id}");
    let profile = w
        .ok::<op::CreateInstanceProfile>(CreateInstanceProfileRequest {
            instance_profile_name: "Prof".into(),
            ..Default::default()
        })
        .instance_profile
        .instance_profile_id;
    assert!(profile.starts_with("AIPA"), "{profile}");

    let data = w.engine.store().load().unwrap().data;
    let text = keyturn::export::to_yaml(&data).unwrap();
    for id in [SEEDED_ROLE_ID, SEEDED_USER_ID, &svc, &policy_id, &profile] {
        assert!(text.contains(&format!("id: {id}")), "{id} in\n{text}");
    }
    // The export seeds a world with the same ids (under another keyring: stored ids do not
    // depend on it).
    let again =
        support::World::from_yaml(&format!("store: {{memory: true}}\n{text}"), "exported.yaml");
    let role_id = |world: &support::World, name: &str| {
        world
            .ok::<op::GetRole>(GetRoleRequest {
                role_name: name.into(),
            })
            .role
            .role_id
    };
    assert_eq!(role_id(&again, "Svc"), svc);
    assert_eq!(role_id(&again, "Seeded"), SEEDED_ROLE_ID);
}

#[test]
fn a_configured_id_is_checked() {
    let cases = [
        (
            "AIDAQQQQQQQQQQQQQQQQ2",
            "`AIDAQQQQQQQQQQQQQQQQ2` is not the unique id of a role: AROA then 17 characters of A-Z and 2-7",
        ),
        (
            "AROA1111111111111111",
            "`AROA1111111111111111` is not the unique id of a role: AROA then 17 characters of A-Z and 2-7",
        ),
        ("AROA77777777777777777", ""),
    ];
    for (id, message) in cases {
        let text = yaml().replace(SEEDED_ROLE_ID, id);
        let result = keyturn::Config::from_str(&text, "ids.yaml");
        if message.is_empty() {
            assert!(result.is_ok(), "{id}");
        } else {
            let e = result.expect_err(id).to_string();
            assert!(
                e.contains("accounts[0].roles[0].id") && e.contains(message),
                "{e}"
            );
        }
    }
    let twice = yaml().replace(SEEDED_USER_ID, "AIDAQQQQQQQQQQQQQQQQ2").replace(
        "    groups:\n      - name: staff",
        "    groups:\n      - name: staff\n        id: AGPAQQQQQQQQQQQQQQQQ2\n      - name: other\n        id: AGPAQQQQQQQQQQQQQQQQ2",
    );
    let e = keyturn::Config::from_str(&twice, "ids.yaml")
        .expect_err("an id given twice")
        .to_string();
    assert!(
        e.contains("accounts[0].groups[1].id")
            && e.contains("the unique id `AGPAQQQQQQQQQQQQQQQQ2` is given to another entity"),
        "{e}"
    );
}

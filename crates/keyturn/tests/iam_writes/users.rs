//! IAM's writes of users, access keys, groups, inline policies, user permissions boundaries and
//! account aliases through the public API (issue 12): each operation invoked as the registry
//! would (authorization included) on a runtime built from YAML, its answer and AWS's errors, and
//! that each change decides the very next request.

use crate::support;
use crate::support::*;
use keyturn::Caller;
use keyturn_core::iam::account_of_access_key_id;
use keyturn_core::ops;
use keyturn_core::ops::iam::shapes::*;
use keyturn_core::ops::iam::{self as op};

const DAVE: u8 = 6;
const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

fn allow(action: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
    )
}

fn err_of<T>(r: Result<T, keyturn_core::Error>) -> (String, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.code().to_owned(), e.message().to_owned()),
    }
}

fn denied(who: &Caller, action: &str, resource: &str) -> (String, String) {
    pair(
        "AccessDenied",
        &format!(
            "User: {} is not authorized to perform: iam:{action} on resource: {resource}",
            who.arn
        ),
    )
}

fn put_user_policy(w: &World, user: &str, name: &str, document: &str) {
    w.ok::<op::PutUserPolicy>(PutUserPolicyRequest {
        user_name: user.to_owned(),
        policy_name: name.to_owned(),
        policy_document: document.to_owned(),
    });
}

fn create_key(w: &World, user: Option<&str>) -> AccessKey {
    w.ok::<op::CreateAccessKey>(CreateAccessKeyRequest {
        user_name: user.map(str::to_owned),
    })
    .access_key
}

fn sign_in(w: &World, key: &AccessKey) -> Result<Caller, keyturn_core::Error> {
    w.engine.authenticate_credentials(
        &key.access_key_id,
        key.secret_access_key.expose(),
        None,
        None,
    )
}

fn key_ids(w: &World, user: Option<&str>) -> Vec<(String, String)> {
    w.ok::<op::ListAccessKeys>(ListAccessKeysRequest {
        user_name: user.map(str::to_owned),
        ..Default::default()
    })
    .access_key_metadata
    .into_iter()
    .map(|k| (k.access_key_id.unwrap(), k.status.unwrap()))
    .collect()
}

fn user_groups(w: &World, user: &str) -> Vec<String> {
    w.ok::<op::ListGroupsForUser>(ListGroupsForUserRequest {
        user_name: user.to_owned(),
        ..Default::default()
    })
    .groups
    .into_iter()
    .map(|g| g.group_name)
    .collect()
}

fn get_role(w: &World, who: &Caller) -> Result<GetRoleResponse, keyturn_core::Error> {
    w.call::<op::GetRole>(
        who,
        GetRoleRequest {
            role_name: "Builder".to_owned(),
        },
    )
}

// That every IAM action is registered and authorized as itself is checked over the whole
// registry (keyturn-core's ops tests).
#[test]
fn only_actions_with_an_output_answer_a_result() {
    assert!(ops::find("CreateAccessKey").unwrap().has_result());
    assert!(!ops::find("UpdateAccessKey").unwrap().has_result());
}

#[test]
fn a_created_key_signs_at_once_and_a_user_has_at_most_two() {
    let w = World::new();
    let key = create_key(&w, Some("dave"));
    assert_eq!(key.user_name, "dave");
    assert_eq!(key.status, "Active");
    assert!(key.access_key_id.starts_with("AKIA"));
    assert_eq!(
        account_of_access_key_id(&key.access_key_id).as_deref(),
        Some(ACCT)
    );
    let secret = key.secret_access_key.expose();
    assert_eq!(secret.len(), 40);
    assert!(
        secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    );
    assert_ne!(
        create_key(&w, Some("bob")).secret_access_key.expose(),
        secret
    );

    // The very next request, STS GetCallerIdentity, is signed by it.
    let caller = sign_in(&w, &key).unwrap();
    let me = w
        .call::<ops::sts::GetCallerIdentity>(&caller, Default::default())
        .unwrap();
    assert_eq!(me.arn, Some(format!("arn:aws:iam::{ACCT}:user/dave")));
    assert_eq!(me.account.as_deref(), Some(ACCT));

    // Listed with its status and the date the answer gave.
    let listed = w.ok::<op::ListAccessKeys>(ListAccessKeysRequest {
        user_name: Some("dave".to_owned()),
        ..Default::default()
    });
    let meta = listed
        .access_key_metadata
        .iter()
        .find(|k| k.access_key_id.as_deref() == Some(key.access_key_id.as_str()))
        .unwrap();
    assert_eq!(meta.status.as_deref(), Some("Active"));
    assert_eq!(meta.create_date, key.create_date);
    assert_eq!(meta.user_name.as_deref(), Some("dave"));

    let e = w.err::<op::CreateAccessKey>(CreateAccessKeyRequest {
        user_name: Some("dave".to_owned()),
    });
    assert_eq!(
        e,
        pair(
            "LimitExceeded",
            "Cannot exceed quota for AccessKeysPerUser: 2"
        )
    );
    let e = w.err::<op::CreateAccessKey>(CreateAccessKeyRequest {
        user_name: Some("nobody".to_owned()),
    });
    assert_eq!(e, no_such("The user with name nobody cannot be found."));
}

#[test]
fn an_inactive_or_deleted_key_is_refused_at_once() {
    let w = World::new();
    let key = create_key(&w, Some("dave"));
    let update = |status: &str| {
        w.ok::<op::UpdateAccessKey>(UpdateAccessKeyRequest {
            user_name: Some("dave".to_owned()),
            access_key_id: key.access_key_id.clone(),
            status: status.to_owned(),
        })
    };
    update("Inactive");
    assert_eq!(
        err_of(sign_in(&w, &key)),
        pair("InvalidClientTokenId", INVALID_TOKEN)
    );
    assert!(key_ids(&w, Some("dave")).contains(&(key.access_key_id.clone(), "Inactive".into())));
    update("Active");
    assert!(sign_in(&w, &key).is_ok());

    w.ok::<op::DeleteAccessKey>(DeleteAccessKeyRequest {
        user_name: Some("dave".to_owned()),
        access_key_id: key.access_key_id.clone(),
    });
    assert_eq!(
        err_of(sign_in(&w, &key)),
        pair("InvalidClientTokenId", INVALID_TOKEN)
    );
    assert_eq!(
        key_ids(&w, Some("dave")),
        vec![(support::key(DAVE), "Active".into())]
    );
    let gone = format!(
        "The Access Key with id {} cannot be found.",
        key.access_key_id
    );
    let e = w.err::<op::DeleteAccessKey>(DeleteAccessKeyRequest {
        user_name: Some("dave".to_owned()),
        access_key_id: key.access_key_id.clone(),
    });
    assert_eq!(e, no_such(&gone));
    // Another user's key is not this user's.
    let e = w.err::<op::UpdateAccessKey>(UpdateAccessKeyRequest {
        user_name: Some("bob".to_owned()),
        access_key_id: support::key(DAVE),
        status: "Inactive".to_owned(),
    });
    assert_eq!(
        e,
        no_such(&format!(
            "The Access Key with id {} cannot be found.",
            support::key(DAVE)
        ))
    );
}

#[test]
fn without_a_user_name_the_keys_are_the_callers_own() {
    let w = World::new();
    // Root: its own second key, which signs as root.
    let root_key = create_key(&w, None);
    assert_eq!(root_key.user_name, "");
    assert_eq!(
        sign_in(&w, &root_key).unwrap().arn,
        format!("arn:aws:iam::{ACCT}:root")
    );
    assert_eq!(key_ids(&w, None).len(), 2);
    let e = w.err::<op::CreateAccessKey>(CreateAccessKeyRequest { user_name: None });
    assert_eq!(e.0, "LimitExceeded");

    // A user allowed to manage its own keys.
    put_user_policy(&w, "dave", "own-keys", &allow("iam:*AccessKey*"));
    let dave = w.caller(DAVE);
    let own = w
        .call::<op::CreateAccessKey>(&dave, CreateAccessKeyRequest { user_name: None })
        .unwrap()
        .access_key;
    assert_eq!(own.user_name, "dave");
    w.call::<op::UpdateAccessKey>(
        &dave,
        UpdateAccessKeyRequest {
            user_name: None,
            access_key_id: own.access_key_id.clone(),
            status: "Inactive".to_owned(),
        },
    )
    .unwrap();
    assert_eq!(err_of(sign_in(&w, &own)).0, "InvalidClientTokenId");
    w.call::<op::DeleteAccessKey>(
        &dave,
        DeleteAccessKeyRequest {
            user_name: None,
            access_key_id: own.access_key_id.clone(),
        },
    )
    .unwrap();
    assert_eq!(key_ids(&w, Some("dave")).len(), 1);
}

#[test]
fn access_key_last_used_answers_as_aws_for_a_key_never_used() {
    let w = World::new();
    let out = w.ok::<op::GetAccessKeyLastUsed>(GetAccessKeyLastUsedRequest {
        access_key_id: key(DAVE),
    });
    assert_eq!(out.user_name.as_deref(), Some("dave"));
    let used = out.access_key_last_used.unwrap();
    assert_eq!(
        (used.region.as_str(), used.service_name.as_str()),
        ("N/A", "N/A")
    );
    assert_eq!(used.last_used_date, None);
    let root = w.ok::<op::GetAccessKeyLastUsed>(GetAccessKeyLastUsedRequest {
        access_key_id: key(1),
    });
    assert_eq!(root.user_name, None);

    let unknown =
        keyturn_core::iam::access_key_id_for_account("AKIA", ACCT, [9, 9, 9, 9, 9]).unwrap();
    let e = w.err::<op::GetAccessKeyLastUsed>(GetAccessKeyLastUsedRequest {
        access_key_id: unknown.clone(),
    });
    assert_eq!(
        e,
        no_such(&format!(
            "The Access Key with id {unknown} cannot be found."
        ))
    );

    let dave = w.caller(DAVE);
    let e = err_of(w.call::<op::GetAccessKeyLastUsed>(
        &dave,
        GetAccessKeyLastUsedRequest {
            access_key_id: key(4),
        },
    ));
    let bob = format!("arn:aws:iam::{ACCT}:user/staff/bob");
    assert_eq!(e, denied(&dave, "GetAccessKeyLastUsed", &bob));
}

#[test]
fn update_user_renames_and_moves_keeping_everything() {
    let w = World::new();
    let before = w.ok::<op::GetUser>(GetUserRequest {
        user_name: Some("bob".to_owned()),
    });
    w.ok::<op::UpdateUser>(UpdateUserRequest {
        user_name: "bob".to_owned(),
        new_user_name: Some("robert".to_owned()),
        new_path: Some("/eng/".to_owned()),
    });
    let e = w.err::<op::GetUser>(GetUserRequest {
        user_name: Some("bob".to_owned()),
    });
    assert_eq!(e, no_such("The user with name bob cannot be found."));
    let after = w
        .ok::<op::GetUser>(GetUserRequest {
            user_name: Some("robert".to_owned()),
        })
        .user;
    assert_eq!(after.arn, format!("arn:aws:iam::{ACCT}:user/eng/robert"));
    assert_eq!(after.path, "/eng/");
    assert_eq!(after.create_date, before.user.create_date);
    // Its key now signs as robert; its groups and inline policy followed it.
    assert_eq!(w.caller(4).arn, after.arn);
    assert_eq!(user_groups(&w, "robert"), ["readers"]);
    let policies = w.ok::<op::ListUserPolicies>(ListUserPoliciesRequest {
        user_name: "robert".to_owned(),
        ..Default::default()
    });
    assert_eq!(policies.policy_names, ["s3-read"]);

    // Names are unique ignoring case; a user may change the case of its own name.
    let e = w.err::<op::UpdateUser>(UpdateUserRequest {
        user_name: "robert".to_owned(),
        new_user_name: Some("ADMIN".to_owned()),
        new_path: None,
    });
    assert_eq!(
        e,
        pair(
            "EntityAlreadyExists",
            "User with name ADMIN already exists."
        )
    );
    w.ok::<op::UpdateUser>(UpdateUserRequest {
        user_name: "robert".to_owned(),
        new_user_name: Some("Robert".to_owned()),
        new_path: None,
    });
    assert_eq!(
        w.caller(4).arn,
        format!("arn:aws:iam::{ACCT}:user/eng/Robert")
    );
    let e = w.err::<op::UpdateUser>(UpdateUserRequest {
        user_name: "nobody".to_owned(),
        new_user_name: Some("x".to_owned()),
        new_path: None,
    });
    assert_eq!(e, no_such("The user with name nobody cannot be found."));
}

#[test]
fn update_user_needs_permission_on_the_new_arn_too() {
    let w = World::new();
    let only_dave = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:UpdateUser","Resource":"arn:aws:iam::{ACCT}:user/dave"}}]}}"#
    );
    put_user_policy(&w, "dave", "rename-self", &only_dave);
    let dave = w.caller(DAVE);
    let e = err_of(w.call::<op::UpdateUser>(
        &dave,
        UpdateUserRequest {
            user_name: "dave".to_owned(),
            new_user_name: Some("david".to_owned()),
            new_path: None,
        },
    ));
    let new_arn = format!("arn:aws:iam::{ACCT}:user/david");
    assert_eq!(e, denied(&dave, "UpdateUser", &new_arn));
    assert!(
        w.ok::<op::GetUser>(GetUserRequest {
            user_name: Some("dave".to_owned())
        })
        .user
        .arn
        .ends_with("/dave")
    );
}

#[test]
fn tags_are_added_replaced_removed_and_limited() {
    let w = World::new();
    let tag = |k: &str, v: &str| Tag {
        key: k.to_owned(),
        value: v.to_owned(),
    };
    let dave = Tagging {
        query: |action: &str, params: &[(&str, &str)]| w.query(action, params),
        kind: "User",
        entity: ("UserName", "dave"),
    };
    dave.tag(&[("team", "web"), ("env", "dev")]).unwrap();
    dave.tag(&[("Team", "ops")]).unwrap();
    assert_eq!(dave.list(), [pair("Team", "ops"), pair("env", "dev")]);
    dave.untag(&["TEAM", "absent"]).unwrap();
    assert_eq!(dave.list(), [pair("env", "dev")]);

    let many: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
    let e = w.err::<op::TagUser>(TagUserRequest {
        user_name: "dave".to_owned(),
        tags: many,
    });
    assert_eq!(
        e,
        pair(
            "LimitExceeded",
            "The number of tags has reached the maximum limit of 50."
        )
    );
    let e = w.err::<op::TagUser>(TagUserRequest {
        user_name: "dave".to_owned(),
        tags: vec![tag("a", "1"), tag("A", "2")],
    });
    assert_eq!(e.0, "InvalidInput");
}

#[test]
fn tag_user_is_authorized_with_the_request_tags() {
    let w = World::new();
    let only_web = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:TagUser","iam:UntagUser"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"web"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]}"#;
    put_user_policy(&w, "dave", "tag-web", only_web);
    let dave = w.caller(DAVE);
    let tag = |v: &str| TagUserRequest {
        user_name: "carol".to_owned(),
        tags: vec![Tag {
            key: "team".to_owned(),
            value: v.to_owned(),
        }],
    };
    w.call::<op::TagUser>(&dave, tag("web")).unwrap();
    let carol = format!("arn:aws:iam::{ACCT}:user/staff/carol");
    assert_eq!(
        err_of(w.call::<op::TagUser>(&dave, tag("ops"))),
        denied(&dave, "TagUser", &carol)
    );
    let e = err_of(w.call::<op::UntagUser>(
        &dave,
        UntagUserRequest {
            user_name: "carol".to_owned(),
            tag_keys: vec!["env".to_owned()],
        },
    ));
    assert_eq!(e, denied(&dave, "UntagUser", &carol));
}

#[test]
fn groups_are_created_renamed_with_their_members_and_deleted_when_empty() {
    let w = World::new();
    let g = w
        .ok::<op::CreateGroup>(CreateGroupRequest {
            path: Some("/eng/".to_owned()),
            group_name: "devs".to_owned(),
        })
        .group;
    assert_eq!(g.arn, format!("arn:aws:iam::{ACCT}:group/eng/devs"));
    assert_eq!((g.group_name.as_str(), g.path.as_str()), ("devs", "/eng/"));
    assert!(g.group_id.starts_with("AGPA"));
    let e = w.err::<op::CreateGroup>(CreateGroupRequest {
        path: None,
        group_name: "DEVS".to_owned(),
    });
    assert_eq!(
        e,
        pair(
            "EntityAlreadyExists",
            "Group with name DEVS already exists."
        )
    );

    let rename =
        |from: &str, to: &str| w.query("UpdateGroup", &[("GroupName", from), ("NewGroupName", to)]);
    w.query(
        "AddUserToGroup",
        &[("GroupName", "devs"), ("UserName", "dave")],
    )
    .unwrap();
    rename("devs", "engineers").unwrap();
    assert_eq!(user_groups(&w, "dave"), ["engineers"]);
    let got = w.ok::<op::GetGroup>(GetGroupRequest {
        group_name: "engineers".to_owned(),
        ..Default::default()
    });
    assert_eq!(
        got.group.arn,
        format!("arn:aws:iam::{ACCT}:group/eng/engineers")
    );
    assert_eq!(got.group.create_date, g.create_date);
    let members: Vec<String> = got.users.into_iter().map(|u| u.user_name).collect();
    assert_eq!(members, ["dave"]);
    let taken = pair(
        "EntityAlreadyExists",
        "Group with name Readers already exists.",
    );
    assert_eq!(err_of(rename("engineers", "Readers")), taken);

    let delete = |w: &World| w.query("DeleteGroup", &[("GroupName", "engineers")]);
    assert_eq!(
        err_of(delete(&w)),
        pair(
            "DeleteConflict",
            "Cannot delete entity, must remove users from group first."
        )
    );
    let remove = |w: &World| {
        let params = [("GroupName", "engineers"), ("UserName", "dave")];
        w.query("RemoveUserFromGroup", &params)
    };
    remove(&w).unwrap();
    assert!(user_groups(&w, "dave").is_empty());
    assert_eq!(
        err_of(remove(&w)),
        no_such("User dave not in group engineers")
    );
    w.ok::<op::PutGroupPolicy>(PutGroupPolicyRequest {
        group_name: "engineers".to_owned(),
        policy_name: "p".to_owned(),
        policy_document: allow("iam:GetRole"),
    });
    assert_eq!(
        err_of(delete(&w)),
        pair(
            "DeleteConflict",
            "Cannot delete entity, must delete policies first."
        )
    );
    w.ok::<op::DeleteGroupPolicy>(DeleteGroupPolicyRequest {
        group_name: "engineers".to_owned(),
        policy_name: "p".to_owned(),
    });
    delete(&w).unwrap();
    assert_eq!(
        err_of(delete(&w)),
        no_such("The group with name engineers cannot be found.")
    );
}

#[test]
fn an_account_has_at_most_300_groups() {
    let w = World::new();
    for i in 2..300 {
        w.ok::<op::CreateGroup>(CreateGroupRequest {
            path: None,
            group_name: format!("g{i}"),
        });
    }
    let e = w.err::<op::CreateGroup>(CreateGroupRequest {
        path: None,
        group_name: "one-more".to_owned(),
    });
    assert_eq!(
        e,
        pair(
            "LimitExceeded",
            "Cannot exceed quota for GroupsPerAccount: 300"
        )
    );
}

#[test]
fn a_user_policy_decides_the_very_next_request() {
    let w = World::new();
    let dave = w.caller(DAVE);
    let role = format!("arn:aws:iam::{ACCT}:role/Builder");
    assert_eq!(err_of(get_role(&w, &dave)), denied(&dave, "GetRole", &role));
    let simulate = |w: &World| {
        let out = w.ok::<op::SimulatePrincipalPolicy>(SimulatePrincipalPolicyRequest {
            policy_source_arn: format!("arn:aws:iam::{ACCT}:user/dave"),
            action_names: vec!["s3:GetObject".to_owned()],
            ..Default::default()
        });
        out.evaluation_results.unwrap()[0].eval_decision.clone()
    };
    assert_eq!(simulate(&w), "implicitDeny");

    put_user_policy(&w, "dave", "read", &allow("iam:GetRole"));
    put_user_policy(&w, "dave", "s3", &allow("s3:GetObject"));
    assert!(get_role(&w, &w.caller(DAVE)).is_ok());
    assert_eq!(simulate(&w), "allowed");
    let got = w.ok::<op::GetUserPolicy>(GetUserPolicyRequest {
        user_name: "dave".to_owned(),
        policy_name: "read".to_owned(),
    });
    assert_eq!(decode(&got.policy_document), allow("iam:GetRole"));

    w.ok::<op::DeleteUserPolicy>(DeleteUserPolicyRequest {
        user_name: "dave".to_owned(),
        policy_name: "read".to_owned(),
    });
    assert_eq!(err_of(get_role(&w, &w.caller(DAVE))).0, "AccessDenied");
    let e = w.err::<op::DeleteUserPolicy>(DeleteUserPolicyRequest {
        user_name: "dave".to_owned(),
        policy_name: "read".to_owned(),
    });
    assert_eq!(
        e,
        no_such("The user policy with name read cannot be found.")
    );
}

#[test]
fn a_group_policy_decides_its_members_next_request() {
    let w = World::new();
    w.ok::<op::CreateGroup>(CreateGroupRequest {
        path: None,
        group_name: "roles".to_owned(),
    });
    w.ok::<op::AddUserToGroup>(AddUserToGroupRequest {
        group_name: "roles".to_owned(),
        user_name: "dave".to_owned(),
    });
    assert!(get_role(&w, &w.caller(DAVE)).is_err());
    w.ok::<op::PutGroupPolicy>(PutGroupPolicyRequest {
        group_name: "roles".to_owned(),
        policy_name: "read".to_owned(),
        policy_document: allow("iam:GetRole"),
    });
    assert!(get_role(&w, &w.caller(DAVE)).is_ok());
    w.ok::<op::RemoveUserFromGroup>(RemoveUserFromGroupRequest {
        group_name: "roles".to_owned(),
        user_name: "dave".to_owned(),
    });
    assert!(get_role(&w, &w.caller(DAVE)).is_err());
    let e = w.err::<op::DeleteGroupPolicy>(DeleteGroupPolicyRequest {
        group_name: "roles".to_owned(),
        policy_name: "nope".to_owned(),
    });
    assert_eq!(
        e,
        no_such("The group policy with name nope cannot be found.")
    );
}

#[test]
fn inline_policies_are_validated_and_limited_in_size() {
    let w = World::new();
    let put_user = |doc: &str| {
        w.call::<op::PutUserPolicy>(
            &w.root(),
            PutUserPolicyRequest {
                user_name: "dave".to_owned(),
                policy_name: "p".to_owned(),
                policy_document: doc.to_owned(),
            },
        )
    };
    assert_eq!(
        err_of(put_user("{not json")),
        pair("MalformedPolicyDocument", "Syntax errors in policy.")
    );
    let with_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
    assert_eq!(
        err_of(put_user(with_principal)),
        pair(
            "MalformedPolicyDocument",
            "Policy document should not specify a principal."
        )
    );
    // 2,048 characters, whitespace not counted, over all the user's inline policies.
    let padded = |n: usize| {
        let base = allow("s3:GetObject");
        let sid = "x".repeat(n - base.len() - r#""Sid":"","#.len());
        base.replacen(r#"{"Effect""#, &format!(r#"{{"Sid":"{sid}","Effect""#), 1)
    };
    assert_eq!(padded(2048).len(), 2048);
    put_user(&format!("  {}\n", padded(2048))).unwrap();
    let e = err_of(put_user(&padded(2049)));
    assert_eq!(
        e,
        pair(
            "LimitExceeded",
            "Maximum policy size of 2048 bytes exceeded for user dave"
        )
    );
    let e = w.err::<op::PutUserPolicy>(PutUserPolicyRequest {
        user_name: "dave".to_owned(),
        policy_name: "second".to_owned(),
        policy_document: allow("s3:*"),
    });
    assert_eq!(e.0, "LimitExceeded");
    w.ok::<op::CreateGroup>(CreateGroupRequest {
        path: None,
        group_name: "big".to_owned(),
    });
    let put_group = |doc: String| {
        w.call::<op::PutGroupPolicy>(
            &w.root(),
            PutGroupPolicyRequest {
                group_name: "big".to_owned(),
                policy_name: "big".to_owned(),
                policy_document: doc,
            },
        )
    };
    put_group(padded(5120)).unwrap();
    let e = err_of(put_group(padded(5121)));
    assert_eq!(
        e,
        pair(
            "LimitExceeded",
            "Maximum policy size of 5120 bytes exceeded for group big"
        )
    );
    let e = w.err::<op::PutUserPolicy>(PutUserPolicyRequest {
        user_name: "nobody".to_owned(),
        policy_name: "p".to_owned(),
        policy_document: allow("s3:*"),
    });
    assert_eq!(e, no_such("The user with name nobody cannot be found."));
}

#[test]
fn a_user_boundary_limits_the_very_next_request() {
    let w = World::new();
    let read_roles = format!("arn:aws:iam::{ACCT}:policy/ReadRoles");
    let admin = w.caller(2);
    let users = |c: &Caller| w.call::<op::ListUsers>(c, ListUsersRequest::default());
    assert!(users(&admin).is_ok());
    w.ok::<op::PutUserPermissionsBoundary>(PutUserPermissionsBoundaryRequest {
        user_name: "admin".to_owned(),
        permissions_boundary: read_roles.clone(),
    });
    let admin = w.caller(2);
    assert_eq!(err_of(users(&admin)).0, "AccessDenied");
    assert!(get_role(&w, &admin).is_ok());
    let got = w.ok::<op::GetUser>(GetUserRequest {
        user_name: Some("admin".to_owned()),
    });
    let b = got.user.permissions_boundary.unwrap();
    assert_eq!(
        b.permissions_boundary_arn.as_deref(),
        Some(read_roles.as_str())
    );

    w.ok::<op::DeleteUserPermissionsBoundary>(DeleteUserPermissionsBoundaryRequest {
        user_name: "admin".to_owned(),
    });
    assert!(users(&w.caller(2)).is_ok());

    let missing = format!("arn:aws:iam::{ACCT}:policy/Missing");
    let e = w.err::<op::PutUserPermissionsBoundary>(PutUserPermissionsBoundaryRequest {
        user_name: "dave".to_owned(),
        permissions_boundary: missing.clone(),
    });
    assert_eq!(
        e,
        no_such(&format!(
            "Scope ARN: {missing} does not exist or is not attachable."
        ))
    );
    let e = w.err::<op::PutUserPermissionsBoundary>(PutUserPermissionsBoundaryRequest {
        user_name: "dave".to_owned(),
        permissions_boundary: format!("arn:aws:iam::{ACCT}:role/App"),
    });
    assert_eq!(
        e,
        pair(
            "InvalidInput",
            &format!(
                "Value (arn:aws:iam::{ACCT}:role/App) for parameter PermissionsBoundary is invalid."
            )
        )
    );
    // An AWS managed policy is attachable.
    w.ok::<op::PutUserPermissionsBoundary>(PutUserPermissionsBoundaryRequest {
        user_name: "dave".to_owned(),
        permissions_boundary: READ_ONLY.to_owned(),
    });
}

#[test]
fn the_boundary_condition_key_decides_who_may_set_which_boundary() {
    let w = World::new();
    let boundary = format!("arn:aws:iam::{ACCT}:policy/boundaries/Boundary");
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["iam:PutUserPermissionsBoundary","iam:DeleteUserPermissionsBoundary"],"Resource":"*","Condition":{{"StringEquals":{{"iam:PermissionsBoundary":"{boundary}"}}}}}}]}}"#
    );
    put_user_policy(&w, "dave", "boundaries", &doc);
    let dave = w.caller(DAVE);
    let put = |arn: &str| {
        w.call::<op::PutUserPermissionsBoundary>(
            &dave,
            PutUserPermissionsBoundaryRequest {
                user_name: "carol".to_owned(),
                permissions_boundary: arn.to_owned(),
            },
        )
    };
    let carol = format!("arn:aws:iam::{ACCT}:user/staff/carol");
    assert_eq!(
        err_of(put(&format!("arn:aws:iam::{ACCT}:policy/ReadRoles"))),
        denied(&dave, "PutUserPermissionsBoundary", &carol)
    );
    put(&boundary).unwrap();
    let delete = |user: &str| {
        w.call::<op::DeleteUserPermissionsBoundary>(
            &w.caller(DAVE),
            DeleteUserPermissionsBoundaryRequest {
                user_name: user.to_owned(),
            },
        )
    };
    // admin's boundary is the allowed one; bob has none, so the condition cannot match.
    delete("carol").unwrap();
    let bob = format!("arn:aws:iam::{ACCT}:user/staff/bob");
    assert_eq!(
        err_of(delete("bob")),
        denied(&dave, "DeleteUserPermissionsBoundary", &bob)
    );
}

#[test]
fn an_account_has_one_alias() {
    let w = World::new();
    let aliases = |w: &World| {
        w.ok::<op::ListAccountAliases>(ListAccountAliasesRequest::default())
            .account_aliases
    };
    let create = |alias: &str| {
        w.call::<op::CreateAccountAlias>(
            &w.root(),
            CreateAccountAliasRequest {
                account_alias: alias.to_owned(),
            },
        )
    };
    assert_eq!(
        err_of(create("acme")),
        pair(
            "EntityAlreadyExists",
            "The account alias acme already exists."
        )
    );
    create("acme-two").unwrap();
    assert_eq!(aliases(&w), ["acme-two"]);
    let e = w.err::<op::DeleteAccountAlias>(DeleteAccountAliasRequest {
        account_alias: "acme".to_owned(),
    });
    assert_eq!(e, no_such("The account alias acme cannot be found."));
    w.ok::<op::DeleteAccountAlias>(DeleteAccountAliasRequest {
        account_alias: "acme-two".to_owned(),
    });
    assert!(aliases(&w).is_empty());
}

/// `iam:Action` is refused to `caller` on `arn`, with AWS's text, and nothing changes.
macro_rules! refused {
    ($w:expr, $caller:expr, $op:ident, $arn:expr, $input:expr) => {
        assert_eq!(
            err_of($w.call::<op::$op>($caller, $input)),
            denied($caller, stringify!($op), $arn),
        )
    };
}

/// A user without IAM permissions is refused every write, naming the action and the ARN it
/// was authorized on; nothing changes.
#[test]
fn a_user_without_permissions_is_refused_every_write() {
    let w = World::new();
    let d = &w.caller(DAVE);
    let user = |n: &str| format!("arn:aws:iam::{ACCT}:user{n}");
    let (bob, dave) = (user("/staff/bob"), user("/dave"));
    let group = format!("arn:aws:iam::{ACCT}:group/readers");
    let s = |v: &str| v.to_owned();
    refused! { w, d, UpdateUser, &bob, UpdateUserRequest { user_name: s("bob"), new_user_name: Some(s("x")), new_path: None } };
    refused! { w, d, TagUser, &bob, TagUserRequest { user_name: s("bob"), tags: vec![] } };
    refused! { w, d, UntagUser, &bob, UntagUserRequest { user_name: s("bob"), tag_keys: vec![s("k")] } };
    refused! { w, d, CreateAccessKey, &dave, CreateAccessKeyRequest { user_name: None } };
    refused! { w, d, UpdateAccessKey, &bob, UpdateAccessKeyRequest { user_name: Some(s("bob")), access_key_id: key(4), status: s("Inactive") } };
    refused! { w, d, DeleteAccessKey, &bob, DeleteAccessKeyRequest { user_name: Some(s("bob")), access_key_id: key(4) } };
    refused! { w, d, CreateGroup, &format!("arn:aws:iam::{ACCT}:group/x/g"), CreateGroupRequest { path: Some(s("/x/")), group_name: s("g") } };
    refused! { w, d, UpdateGroup, &group, UpdateGroupRequest { group_name: s("readers"), new_path: None, new_group_name: Some(s("r")) } };
    refused! { w, d, DeleteGroup, &group, DeleteGroupRequest { group_name: s("readers") } };
    refused! { w, d, AddUserToGroup, &group, AddUserToGroupRequest { group_name: s("readers"), user_name: s("dave") } };
    refused! { w, d, RemoveUserFromGroup, &group, RemoveUserFromGroupRequest { group_name: s("readers"), user_name: s("bob") } };
    refused! { w, d, PutUserPolicy, &dave, PutUserPolicyRequest { user_name: s("dave"), policy_name: s("p"), policy_document: allow("*") } };
    refused! { w, d, DeleteUserPolicy, &bob, DeleteUserPolicyRequest { user_name: s("bob"), policy_name: s("s3-read") } };
    refused! { w, d, PutGroupPolicy, &group, PutGroupPolicyRequest { group_name: s("readers"), policy_name: s("p"), policy_document: allow("*") } };
    refused! { w, d, DeleteGroupPolicy, &group, DeleteGroupPolicyRequest { group_name: s("readers"), policy_name: s("read") } };
    refused! { w, d, PutUserPermissionsBoundary, &dave, PutUserPermissionsBoundaryRequest { user_name: s("dave"), permissions_boundary: s(READ_ONLY) } };
    refused! { w, d, DeleteUserPermissionsBoundary, &dave, DeleteUserPermissionsBoundaryRequest { user_name: s("dave") } };
    refused! { w, d, CreateAccountAlias, "*", CreateAccountAliasRequest { account_alias: s("mine") } };
    refused! { w, d, DeleteAccountAlias, "*", DeleteAccountAliasRequest { account_alias: s("acme") } };
    assert_eq!(user_groups(&w, "bob"), ["readers"]);
    assert_eq!(key_ids(&w, Some("bob")), [(key(4), s("Active"))]);
    assert_eq!(
        w.ok::<op::ListAccountAliases>(ListAccountAliasesRequest::default())
            .account_aliases,
        ["acme"]
    );
}

//! Customer managed policies, their versions and tags, and attaching managed policies to users,
//! groups and roles.

use super::*;

#[test]
fn create_policy_answers_its_shape_and_refuses_duplicates_and_bad_documents() {
    let w = World::new();
    // By its AWS name, described and tagged: the policy as AWS writes it.
    let document = allow("s3:GetObject");
    let tag = [("Tags.member.1.Key", "k"), ("Tags.member.1.Value", "v")];
    let named = [("PolicyName", "Reader"), ("Path", "/team/")];
    let body = [
        ("PolicyDocument", document.as_str()),
        ("Description", "reads"),
    ];
    let made = w
        .query("CreatePolicy", &[&named[..], &body, &tag].concat())
        .unwrap();
    let member = |name: &str| support::xml_text(&made, name);
    let arn = format!("arn:aws:iam::{ACCT}:policy/team/Reader");
    assert_eq!(member("Arn").as_deref(), Some(arn.as_str()));
    assert!(member("PolicyId").unwrap().starts_with("ANPA"));
    assert_eq!(member("DefaultVersionId").as_deref(), Some("v1"));
    assert_eq!(member("AttachmentCount").as_deref(), Some("0"));
    assert_eq!(member("IsAttachable").as_deref(), Some("true"));
    // CreatePolicy does not echo the description (as real IAM answers); GetPolicy does.
    assert_eq!(member("Description"), None);
    assert_eq!(support::xml_texts(&made, "Key"), ["k"]);
    let got = w.query("GetPolicy", &[("PolicyArn", &arn)]).unwrap();
    assert_eq!(
        support::xml_text(&got, "Description").as_deref(),
        Some("reads")
    );
    assert_eq!(support::xml_texts(&got, "Key"), ["k"]);
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
    // IAM's own checks beyond the policy language: a managed policy is of the 2012-10-17
    // language; IAM and S3 resources carry no region; an IAM resource names an IAM type.
    let statement = |resource: &str| {
        format!(r#"{{"Effect":"Allow","Action":"s3:ListBucket","Resource":"{resource}"}}"#)
    };
    let bucket = statement("arn:aws:s3:::example_bucket");
    for (doc, text) in [
        (
            format!(r#"{{"Statement":{bucket}}}"#),
            "Policy document must be version 2012-10-17 or greater.".to_owned(),
        ),
        (
            format!(r#"{{"Version":"2008-10-17","Statement":{bucket}}}"#),
            "Policy document must be version 2012-10-17 or greater.".to_owned(),
        ),
        (
            format!(
                r#"{{"Version":"2012-10-17","Statement":{}}}"#,
                statement("arn:aws:iam:::example_bucket")
            ),
            "IAM resource path must either be \"*\" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.".to_owned(),
        ),
        (
            format!(
                r#"{{"Version":"2012-10-17","Statement":{}}}"#,
                statement("arn:aws:iam:us-east-1::example_bucket")
            ),
            "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."
                .to_owned(),
        ),
        (
            format!(
                r#"{{"Version":"2012-10-17","Statement":{}}}"#,
                statement("arn:aws:s3:us-east-1::example_bucket")
            ),
            "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."
                .to_owned(),
        ),
    ] {
        assert_eq!(
            w.err::<op::CreatePolicy>(create(&doc)),
            pair("MalformedPolicyDocument", &text),
            "{doc}"
        );
    }
    // A role's own resource and a wildcard are fine.
    w.ok::<op::CreatePolicy>(create(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{},{}]}}"#,
        statement("arn:aws:iam::123456789012:role/app/*"),
        statement("*")
    )));
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
    let got = got.policy.unwrap();
    assert_eq!(got.default_version_id.as_deref(), Some("v1"));
    // GetPolicy carries `Tags` even when the policy has none (an empty element).
    assert_eq!(got.tags, Some(vec![]));
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
    let on_staff = |action: &str| {
        w.query(action, &[("GroupName", "staff"), ("PolicyArn", &arn)])
            .unwrap()
    };
    let delete = || w.query("DeletePolicy", &[("PolicyArn", &arn)]);
    on_staff("AttachGroupPolicy");
    let attached = "Cannot delete a policy attached to entities.";
    assert_eq!(err_of(delete()), pair("DeleteConflict", attached));
    on_staff("DetachGroupPolicy");
    let v2 = allow("s3:PutObject");
    w.query(
        "CreatePolicyVersion",
        &[("PolicyArn", &arn), ("PolicyDocument", &v2)],
    )
    .unwrap();
    let versioned = "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.";
    assert_eq!(err_of(delete()), pair("DeleteConflict", versioned));
    w.query(
        "DeletePolicyVersion",
        &[("PolicyArn", &arn), ("VersionId", "v2")],
    )
    .unwrap();
    delete().unwrap();
    let gone = format!("Policy {arn} does not exist or is not attachable.");
    assert_eq!(
        w.refused("GetPolicy", &[("PolicyArn", &arn)]),
        pair("NoSuchEntity", &gone)
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
    // A policy-type filter keeps every entity when the policy is of that type, none otherwise.
    let by_type = |filter: &str| {
        names(
            &w.ok::<op::ListEntitiesForPolicy>(ListEntitiesForPolicyRequest {
                policy_arn: arn.clone(),
                entity_filter: Some(filter.into()),
                ..Default::default()
            }),
        )
    };
    assert_eq!(
        by_type("LocalManagedPolicy"),
        (
            vec!["staff".to_owned()],
            vec!["worker".to_owned()],
            vec!["Holder".to_owned()]
        )
    );
    assert_eq!(by_type("AWSManagedPolicy"), (vec![], vec![], vec![]));
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
    let elsewhere = w.ok::<op::ListEntitiesForPolicy>(ListEntitiesForPolicyRequest {
        policy_arn: arn.clone(),
        path_prefix: Some("/elsewhere/".into()),
        ..Default::default()
    });
    assert_eq!(names(&elsewhere), (vec![], vec![], vec![]));
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
    assert_eq!(
        support::arns(attached.attached_policies),
        vec![READ_ONLY.to_owned()]
    );
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

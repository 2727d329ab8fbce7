//! IAM's read operations through the public API: a runtime from YAML, callers authenticated
//! with their keys, each operation invoked as the registry would (authorization included).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

#[path = "iam_reads/policies.rs"]
mod policies;
#[path = "iam_reads/support.rs"]
mod support;

use keyturn_core::ops::iam::shapes::*;
use keyturn_core::ops::iam::{self as op, NON_USER_TEXT};
use keyturn_core::ops::{self, Input, Operation, Output, Params, XmlWriter};
use support::*;

#[test]
fn get_user_by_name_for_itself_and_for_root() {
    let w = World::new();
    let admin = w.ok::<op::GetUser>(GetUserRequest {
        user_name: Some("admin".into()),
    });
    let u = admin.user;
    assert_eq!(u.user_name, "admin");
    assert_eq!(u.path, "/");
    assert_eq!(u.arn, format!("arn:aws:iam::{ACCT}:user/admin"));
    assert!(u.user_id.starts_with("AIDA"), "{}", u.user_id);
    assert_eq!(
        u.permissions_boundary
            .unwrap()
            .permissions_boundary_arn
            .as_deref(),
        Some("arn:aws:iam::123456789012:policy/boundaries/Boundary")
    );
    let tags: Vec<(String, String)> = u
        .tags
        .unwrap()
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect();
    assert_eq!(
        tags,
        [("level".into(), "9".into()), ("team".into(), "ops".into())]
    );

    // Without UserName: the signing user itself.
    let me = w.call::<op::GetUser>(&w.caller(4), GetUserRequest::default());
    // bob has no iam:GetUser: even on himself it is authorized like any call.
    let e = me.unwrap_err();
    let bob = format!("arn:aws:iam::{ACCT}:user/staff/bob");
    assert_denied(&e, "user/staff/bob", "iam:GetUser", &bob);
    let me = w
        .call::<op::GetUser>(&w.caller(2), GetUserRequest::default())
        .unwrap();
    assert_eq!(me.user.user_name, "admin");

    let root = w.ok::<op::GetUser>(GetUserRequest::default()).user;
    assert_eq!(root.arn, format!("arn:aws:iam::{ACCT}:root"));
    assert_eq!(root.user_id, ACCT);

    assert!(NON_USER_TEXT.starts_with("Must specify userName"));
}

/// A kind of entity listed by its AWS action, and what the world's listing answers.
struct Listed {
    action: &'static str,
    /// The element of an entity's name.
    name: &'static str,
    every: &'static [&'static str],
    /// Members a listing leaves out (as the start of their elements).
    left_out: [&'static str; 2],
    prefix: &'static str,
    under: &'static [&'static str],
    /// The first one under the prefix, as its ARN's resource.
    first: &'static str,
}

/// Users and roles, by their AWS names: listed in pages of one, then by path prefix.
#[test]
fn list_users_and_roles_by_path_and_in_pages() {
    let w = World::new();
    let users = Listed {
        action: "ListUsers",
        name: "UserName",
        every: &["admin", "bob", "carol", "dave"],
        left_out: ["<Tags", "<PermissionsBoundary"],
        prefix: "/staff/",
        under: &["bob", "carol"],
        first: "user/staff/bob",
    };
    let roles = Listed {
        action: "ListRoles",
        name: "RoleName",
        every: &["App", "Builder", "Deployer"],
        left_out: ["<Tags", "<RoleLastUsed"],
        prefix: "/app/",
        under: &["App", "Deployer"],
        first: "role/app/App",
    };
    for kind in [users, roles] {
        let action = kind.action;
        let (names, pages, xml) = query_pages(&w, action, &[], kind.name);
        assert_eq!(names, kind.every, "{action}");
        assert_eq!(pages, kind.every.len(), "{action}");
        unique(&names);
        for member in kind.left_out {
            assert!(!xml.contains(member), "{action} answers {member}: {xml}");
        }
        let listed = w.query(action, &[("PathPrefix", kind.prefix)]).unwrap();
        assert_eq!(xml_texts(&listed, kind.name), kind.under, "{action}");
        assert_eq!(xml_text(&listed, "IsTruncated").as_deref(), Some("false"));
        let arn = format!("arn:aws:iam::{ACCT}:{}", kind.first);
        assert_eq!(xml_text(&listed, "Arn"), Some(arn), "{action}");
    }
    let ci = w.query("ListRoles", &[("PathPrefix", "/app/ci/")]).unwrap();
    assert_eq!(xml_texts(&ci, "RoleName"), ["Deployer"]);
}

#[test]
fn groups_members_and_memberships() {
    let w = World::new();
    let (members, pages) = page_all(1, |marker, max| {
        let r = w.ok::<op::GetGroup>(GetGroupRequest {
            group_name: "readers".into(),
            marker,
            max_items: Some(max),
        });
        assert_eq!(r.group.group_name, "readers");
        assert!(r.group.group_id.starts_with("AGPA"));
        (r.users, r.is_truncated, r.marker)
    });
    let names: Vec<&str> = members.iter().map(|u| u.user_name.as_str()).collect();
    assert_eq!(names, ["admin", "bob"]);
    assert_eq!(pages, 2);

    let groups = w.ok::<op::ListGroups>(ListGroupsRequest::default()).groups;
    let names: Vec<&str> = groups.iter().map(|g| g.group_name.as_str()).collect();
    assert_eq!(names, ["admins", "readers"]);
    assert_eq!(
        groups[0].arn,
        format!("arn:aws:iam::{ACCT}:group/ops/admins")
    );
    let ops_only = w.ok::<op::ListGroups>(ListGroupsRequest {
        path_prefix: Some("/ops/".into()),
        ..Default::default()
    });
    assert_eq!(ops_only.groups.len(), 1);

    let of_admin = w.ok::<op::ListGroupsForUser>(ListGroupsForUserRequest {
        user_name: "admin".into(),
        ..Default::default()
    });
    let names: Vec<&str> = of_admin
        .groups
        .iter()
        .map(|g| g.group_name.as_str())
        .collect();
    assert_eq!(names, ["admins", "readers"]);
    let of_dave = w.ok::<op::ListGroupsForUser>(ListGroupsForUserRequest {
        user_name: "dave".into(),
        ..Default::default()
    });
    assert!(of_dave.groups.is_empty());
}

/// Every read of an entity that does not exist answers `NoSuchEntity` with AWS's text.
#[test]
fn reads_of_missing_entities() {
    const NO_USER: &str = "The user with name nobody cannot be found.";
    const NO_GROUP: &str = "The group with name nope cannot be found.";
    const NO_ROLE: &str = "The role with name Ghost cannot be found.";
    let w = World::new();
    let nobody = format!("PolicySourceArn=arn:aws:iam::{ACCT}:user/nobody");
    assert_no_such(
        &w,
        &[
            ("GetUser", "UserName=nobody", NO_USER),
            ("GetGroup", "GroupName=nope", NO_GROUP),
            ("ListGroupsForUser", "UserName=nobody", NO_USER),
            ("GetRole", "RoleName=Ghost", NO_ROLE),
            ("ListRolePolicies", "RoleName=Ghost", NO_ROLE),
            ("GetUserPolicy", "UserName=nobody&PolicyName=x", NO_USER),
            ("ListAccessKeys", "UserName=nobody", NO_USER),
            ("ListUserTags", "UserName=nobody", NO_USER),
            ("GetContextKeysForPrincipalPolicy", &nobody, NO_USER),
            ("ListAttachedGroupPolicies", "GroupName=nope", NO_GROUP),
        ],
    );
}

#[test]
fn get_role_and_list_roles() {
    let w = World::new();
    // By its AWS name: the role's members as AWS writes them.
    let role = w.query("GetRole", &[("RoleName", "App")]).unwrap();
    let member = |name: &str| xml_text(&role, name);
    let arn = format!("arn:aws:iam::{ACCT}:role/app/App");
    assert_eq!(member("Arn"), Some(arn));
    assert_eq!(member("Path").as_deref(), Some("/app/"));
    assert!(member("RoleId").unwrap().starts_with("AROA"));
    assert_eq!(member("Description").as_deref(), Some("the app"));
    assert_eq!(member("MaxSessionDuration").as_deref(), Some("7200"));
    let trust = decode(&member("AssumeRolePolicyDocument").unwrap());
    assert!(trust.contains("sts:AssumeRole"), "{trust}");
    let root = format!("arn:aws:iam::{ACCT}:root");
    assert!(trust.contains(&root), "{trust}");
    assert_eq!(member("Key").as_deref(), Some("env"), "its first tag");
    assert!(member("PermissionsBoundary").is_some());
    assert!(member("RoleLastUsed").is_some());

    let invalid_marker = pair("ValidationError", "Invalid Marker.");
    assert_eq!(
        w.refused("ListRoles", &[("Marker", "not-a-marker")]),
        invalid_marker
    );
}

#[test]
fn inline_policies_of_roles_users_and_groups() {
    let w = World::new();
    // Each kind's Get*Policy and List*Policies, by their AWS names: (kind, entity, policy, an
    // action of its document, the entity's inline policies).
    let kinds: [(&str, &str, &str, &str, &[&str]); 3] = [
        ("Role", "App", "logs", "logs:PutLogEvents", &["logs"]),
        ("User", "bob", "s3-read", "s3:GetObject", &["s3-read"]),
        (
            "Group",
            "admins",
            "all-iam",
            "iam:*",
            &["all-iam", "assume"],
        ),
    ];
    for (kind, entity, policy, action, listed) in kinds {
        let member = format!("{kind}Name");
        let get = format!("Get{kind}Policy");
        let got = w
            .query(&get, &[(&member, entity), ("PolicyName", policy)])
            .unwrap();
        assert_eq!(xml_text(&got, &member).as_deref(), Some(entity), "{get}");
        assert_eq!(
            xml_text(&got, "PolicyName").as_deref(),
            Some(policy),
            "{get}"
        );
        let document = xml_text(&got, "PolicyDocument").unwrap();
        assert!(document.starts_with("%7B"), "URL-encoded: {document}");
        assert!(decode(&document).contains(action), "{get}: {document}");
        let list = w
            .query(&format!("List{kind}Policies"), &[(&member, entity)])
            .unwrap();
        assert_eq!(xml_texts(&list, "member"), listed, "{kind}");
        // A policy the entity does not have.
        let missing = w.refused(&get, &[(&member, entity), ("PolicyName", "nope")]);
        let lower = kind.to_lowercase();
        let text = format!("The {lower} policy with name nope cannot be found.");
        assert_eq!(missing, no_such(&text), "{get}");
    }
}

#[test]
fn access_keys_and_mfa_devices() {
    let w = World::new();
    // By its AWS name: admin's keys, each with its status and its user.
    let keys = w.query("ListAccessKeys", &[("UserName", "admin")]).unwrap();
    let mut expected = vec![
        (key(2), "Active".to_owned()),
        (key(3), "Inactive".to_owned()),
    ];
    expected.sort();
    let got: Vec<(String, String)> = xml_texts(&keys, "AccessKeyId")
        .into_iter()
        .zip(xml_texts(&keys, "Status"))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(xml_texts(&keys, "UserName"), ["admin", "admin"]);

    // Without UserName: the caller's own keys; root's for root.
    let own = w
        .call::<op::ListAccessKeys>(&w.caller(2), ListAccessKeysRequest::default())
        .unwrap();
    assert_eq!(own.access_key_metadata.len(), 2);
    let root = w.ok::<op::ListAccessKeys>(ListAccessKeysRequest::default());
    assert_eq!(root.access_key_metadata.len(), 1);
    assert_eq!(root.access_key_metadata[0].access_key_id, Some(key(1)));
    assert_eq!(root.access_key_metadata[0].user_name, None);

    let mfa = w
        .ok::<op::ListMfaDevices>(ListMFADevicesRequest {
            user_name: Some("admin".into()),
            ..Default::default()
        })
        .mfa_devices;
    assert_eq!(mfa.len(), 1);
    assert_eq!(
        mfa[0].serial_number,
        format!("arn:aws:iam::{ACCT}:mfa/admin-mfa")
    );
    assert_eq!(mfa[0].user_name, "admin");
    let own = w
        .call::<op::ListMfaDevices>(&w.caller(2), ListMFADevicesRequest::default())
        .unwrap();
    assert_eq!(own.mfa_devices.len(), 1);
    let none = w.ok::<op::ListMfaDevices>(ListMFADevicesRequest {
        user_name: Some("dave".into()),
        ..Default::default()
    });
    assert!(none.mfa_devices.is_empty());

    let virt = w
        .ok::<op::ListVirtualMfaDevices>(ListVirtualMFADevicesRequest::default())
        .virtual_mfa_devices;
    assert_eq!(virt.len(), 1);
    assert_eq!(virt[0].user.as_ref().unwrap().user_name, "admin");
    assert!(virt[0].qr_code_png.is_none() && virt[0].base32_string_seed.is_none());
    let unassigned = w.ok::<op::ListVirtualMfaDevices>(ListVirtualMFADevicesRequest {
        assignment_status: Some("Unassigned".into()),
        ..Default::default()
    });
    assert!(unassigned.virtual_mfa_devices.is_empty());
}

#[test]
fn identity_providers_and_aliases() {
    let w = World::new();
    let oidc_arn = format!("arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com");
    let saml_arn = format!("arn:aws:iam::{ACCT}:saml-provider/Okta");
    // Each kind's list, by its AWS name: the one provider of the world.
    for (action, arn) in [
        ("ListOpenIDConnectProviders", &oidc_arn),
        ("ListSAMLProviders", &saml_arn),
    ] {
        let listed = w.query(action, &[]).unwrap();
        assert_eq!(
            xml_texts(&listed, "Arn"),
            std::slice::from_ref(arn),
            "{action}"
        );
    }
    let p = w.ok::<op::GetOpenIdConnectProvider>(GetOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: oidc_arn.clone(),
    });
    assert_eq!(
        p.url.as_deref(),
        Some("token.actions.githubusercontent.com")
    );
    assert_eq!(p.client_id_list.unwrap(), ["sts.amazonaws.com"]);
    assert_eq!(
        p.thumbprint_list.unwrap(),
        ["6938fd4d98bab03faadb97b34396831e3780aea1"]
    );
    let other = format!("arn:aws:iam::{ACCT}:oidc-provider/example.com");
    assert_eq!(
        w.refused(
            "GetOpenIDConnectProvider",
            &[("OpenIDConnectProviderArn", &other)]
        ),
        no_such(&format!("OpenIDConnect Provider not found for arn {other}"))
    );
    // Too short for the wire's validation: the operation's own check, past the decoding.
    let short = GetOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: "example.com".into(),
    };
    assert_eq!(
        w.err::<op::GetOpenIdConnectProvider>(short).0,
        "InvalidInput"
    );

    let p = w.ok::<op::GetSamlProvider>(GetSAMLProviderRequest {
        saml_provider_arn: saml_arn,
    });
    assert!(
        p.saml_metadata_document
            .unwrap()
            .contains("http://www.okta.com/x")
    );
    assert!(p.create_date.is_some());
    let missing = format!("arn:aws:iam::{ACCT}:saml-provider/Nope");
    assert_eq!(
        w.refused("GetSAMLProvider", &[("SAMLProviderArn", &missing)]),
        no_such(&format!("Manifest not found for arn {missing}"))
    );

    let aliases = w.ok::<op::ListAccountAliases>(ListAccountAliasesRequest::default());
    assert_eq!(aliases.account_aliases, ["acme"]);
    assert_eq!(aliases.is_truncated, Some(false));
}

#[test]
fn tags_of_roles_and_users() {
    let w = World::new();
    // By their AWS names, in pages of one: (action, entity, the tag keys, their values).
    type Tagged<'a> = (&'a str, (&'a str, &'a str), &'a [&'a str], &'a [&'a str]);
    let tagged: [Tagged<'_>; 3] = [
        ("ListRoleTags", ("RoleName", "App"), &["env"], &["prod"]),
        (
            "ListUserTags",
            ("UserName", "admin"),
            &["level", "team"],
            &["9", "ops"],
        ),
        ("ListRoleTags", ("RoleName", "Builder"), &[], &[]),
    ];
    for (action, entity, keys, values) in tagged {
        let (got, pages, xml) = query_pages(&w, action, &[entity], "Key");
        assert_eq!(got, keys, "{action} {entity:?}");
        assert_eq!(pages, keys.len().max(1), "{action} {entity:?}");
        assert_eq!(xml_texts(&xml, "Value"), values, "{action} {entity:?}");
    }
}

#[test]
fn account_summary_counts() {
    let w = World::new();
    let map: std::collections::BTreeMap<String, i32> = w
        .ok::<op::GetAccountSummary>(GetAccountSummaryRequest {})
        .summary_map
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(map["Users"], 4);
    assert_eq!(map["Groups"], 2);
    assert_eq!(map["Roles"], 3);
    assert_eq!(map["Policies"], 3);
    assert_eq!(map["MFADevices"], 1);
    assert_eq!(map["Providers"], 2);
    assert_eq!(map["AccountAccessKeysPresent"], 1);
    assert_eq!(map["UsersQuota"], 5000);
}

#[test]
fn context_keys() {
    let w = World::new();
    // By its AWS name: the extra policy as `PolicyInputList.member.1`.
    let app = format!("arn:aws:iam::{ACCT}:role/app/App");
    let extra = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
    let params = [
        ("PolicySourceArn", app.as_str()),
        ("PolicyInputList.member.1", extra),
    ];
    let answer = w
        .query("GetContextKeysForPrincipalPolicy", &params)
        .unwrap();
    // AppPolicy's condition, the extra policy's, and ReadOnlyAccess's (attached to App).
    assert_eq!(
        xml_texts(&answer, "member"),
        [
            "aws:principaltag/team",
            "aws:sourceip",
            "s3express:sessionmode"
        ]
    );
    let custom = w
        .ok::<op::GetContextKeysForCustomPolicy>(GetContextKeysForCustomPolicyRequest {
            policy_input_list: vec![
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#.into(),
            ],
        })
        .context_key_names
        .unwrap();
    assert_eq!(custom, ["aws:multifactorauthpresent"]);
    // Too short for the wire's validation: the operation's own check, past the decoding.
    let not_iam = GetContextKeysForPrincipalPolicyRequest {
        policy_source_arn: "arn:aws:s3:::bucket".into(),
        policy_input_list: None,
    };
    assert_eq!(
        w.err::<op::GetContextKeysForPrincipalPolicy>(not_iam),
        pair("InvalidInput", "ARN arn:aws:s3:::bucket is not valid.")
    );
}

#[test]
fn authorization_through_the_policy_engine() {
    let w = World::new();
    let get_app = || GetRoleRequest {
        role_name: "App".into(),
    };
    // dave has no policy at all: denied, naming the role's ARN with its path.
    let e = w.call::<op::GetRole>(&w.caller(6), get_app()).unwrap_err();
    let app = format!("arn:aws:iam::{ACCT}:role/app/App");
    assert_denied(&e, "user/dave", "iam:GetRole", &app);
    // A role that does not exist is authorized on its path-less ARN (and denied first).
    let e = w
        .call::<op::GetRole>(
            &w.caller(6),
            GetRoleRequest {
                role_name: "Ghost".into(),
            },
        )
        .unwrap_err();
    assert!(
        e.message()
            .contains(&format!("on resource: arn:aws:iam::{ACCT}:role/Ghost")),
        "{e}"
    );
    // carol has iam:GetRole (a managed policy), bob through his group's inline policy.
    assert_eq!(
        w.call::<op::GetRole>(&w.caller(5), get_app())
            .unwrap()
            .role
            .role_name,
        "App"
    );
    assert!(w.call::<op::GetRole>(&w.caller(4), get_app()).is_ok());
    // ... and nothing else.
    let e = w
        .call::<op::ListRoles>(&w.caller(5), ListRolesRequest::default())
        .unwrap_err();
    assert!(e.message().contains("iam:ListRoles on resource: *"), "{e}");
    // admin: iam:* through the admins group (its boundary allows everything).
    assert!(
        w.call::<op::ListRoles>(&w.caller(2), ListRolesRequest::default())
            .is_ok()
    );
    assert!(
        w.call::<op::GetAccountAuthorizationDetails>(
            &w.caller(2),
            GetAccountAuthorizationDetailsRequest::default()
        )
        .is_ok()
    );
    // AWS managed policies: any identity policy may grant reading them (their ARN's account
    // `aws` is not another account); without one it is denied, naming the policy.
    let read_only = || GetPolicyRequest {
        policy_arn: READ_ONLY.into(),
    };
    let e = w
        .call::<op::GetPolicy>(&w.caller(6), read_only())
        .unwrap_err();
    assert_denied(&e, "user/dave", "iam:GetPolicy", READ_ONLY);
    assert!(w.call::<op::GetPolicy>(&w.caller(2), read_only()).is_ok());
    let e = w
        .call::<op::GetPolicyVersion>(
            &w.caller(5),
            GetPolicyVersionRequest {
                policy_arn: READ_ONLY.into(),
                version_id: "v1".into(),
            },
        )
        .unwrap_err();
    assert!(e.message().contains("iam:GetPolicyVersion"), "{e}");
    // root may call everything in its account without any policy.
    assert!(w.call::<op::GetRole>(&w.root(), get_app()).is_ok());
    assert!(
        w.call::<op::ListPolicies>(&w.root(), ListPoliciesRequest::default())
            .is_ok()
    );
}

#[test]
fn a_response_as_xml() {
    let w = World::new();
    let out = w.ok::<op::GetRole>(GetRoleRequest {
        role_name: "App".into(),
    });
    let mut xml = XmlWriter::new(1024, 0);
    out.write_xml(&mut xml);
    let xml = xml.finish();
    for element in [
        "<Role>",
        "<Path>/app/</Path>",
        "<RoleName>App</RoleName>",
        &format!("<Arn>arn:aws:iam::{ACCT}:role/app/App</Arn>"),
        "<AssumeRolePolicyDocument>%7B",
        "<MaxSessionDuration>7200</MaxSessionDuration>",
        "<PermissionsBoundaryType>PermissionsBoundaryPolicy</PermissionsBoundaryType>",
        "<Key>env</Key>",
        "<Value>prod</Value>",
        "<CreateDate>2010-05-08T00:00:00Z</CreateDate>",
    ] {
        assert!(xml.contains(element), "{element} missing in\n{xml}");
    }

    let list = w.ok::<op::ListRoles>(ListRolesRequest {
        max_items: Some(1),
        ..Default::default()
    });
    let mut xml = XmlWriter::new(1024, 0);
    list.write_xml(&mut xml);
    let xml = xml.finish();
    assert!(xml.contains("<Roles>") && xml.contains("<member>"), "{xml}");
    assert!(xml.contains("<IsTruncated>true</IsTruncated>"), "{xml}");
    assert!(
        xml.contains(&format!("<Marker>{}</Marker>", list.marker.unwrap())),
        "{xml}"
    );
}

#[test]
fn role_sessions_must_name_the_user() {
    let w = World::new();
    let body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A{ACCT}%3Arole%2Fapp%2FApp&RoleSessionName=reader"
    );
    let params = Params::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let input = <ops::sts::AssumeRole as Operation>::Input::from_query(&params)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let out = w.call::<ops::sts::AssumeRole>(&w.caller(2), input).unwrap();
    let c = out.credentials.unwrap();
    let session = w.session(&c);
    for e in [
        w.call::<op::ListAccessKeys>(&session, ListAccessKeysRequest::default())
            .unwrap_err(),
        w.call::<op::GetUser>(&session, GetUserRequest::default())
            .unwrap_err(),
        w.call::<op::ListMfaDevices>(&session, ListMFADevicesRequest::default())
            .unwrap_err(),
    ] {
        assert_eq!((e.code(), e.message()), ("ValidationError", NON_USER_TEXT));
    }
    // Naming the user, the role's ReadOnlyAccess allows it.
    let keys = w
        .call::<op::ListAccessKeys>(
            &session,
            ListAccessKeysRequest {
                user_name: Some("admin".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(keys.access_key_metadata.len(), 2);
}

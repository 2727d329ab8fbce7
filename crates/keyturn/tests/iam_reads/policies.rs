//! Managed policies: attached lists, GetPolicy/GetPolicyVersion (customer and AWS managed),
//! ListPolicies' scopes, filters and pages, and GetAccountAuthorizationDetails in pages.

use keyturn_core::ops::iam::shapes::*;
use keyturn_core::ops::iam::{self as op};

use super::support::*;

#[test]
fn attached_managed_policies() {
    let w = World::new();
    let role = w.ok::<op::ListAttachedRolePolicies>(ListAttachedRolePoliciesRequest {
        role_name: "App".into(),
        ..Default::default()
    });
    assert_eq!(
        arns(role.attached_policies),
        [
            format!("arn:aws:iam::{ACCT}:policy/app/AppPolicy"),
            READ_ONLY.to_owned()
        ]
    );
    let app_only = w.ok::<op::ListAttachedRolePolicies>(ListAttachedRolePoliciesRequest {
        role_name: "App".into(),
        path_prefix: Some("/app/".into()),
        ..Default::default()
    });
    let names = policy_names(app_only.attached_policies);
    assert_eq!(names, ["AppPolicy"]);

    let user = w.ok::<op::ListAttachedUserPolicies>(ListAttachedUserPoliciesRequest {
        user_name: "carol".into(),
        ..Default::default()
    });
    assert_eq!(
        arns(user.attached_policies),
        [format!("arn:aws:iam::{ACCT}:policy/ReadRoles")]
    );
    let group = w.ok::<op::ListAttachedGroupPolicies>(ListAttachedGroupPoliciesRequest {
        group_name: "admins".into(),
        ..Default::default()
    });
    assert_eq!(arns(group.attached_policies), [READ_ONLY]);
}

#[test]
fn managed_policies_customer_and_aws() {
    let w = World::new();
    let local = w
        .ok::<op::GetPolicy>(GetPolicyRequest {
            policy_arn: format!("arn:aws:iam::{ACCT}:policy/app/AppPolicy"),
        })
        .policy
        .unwrap();
    assert_eq!(local.policy_name.as_deref(), Some("AppPolicy"));
    assert_eq!(local.path.as_deref(), Some("/app/"));
    assert_eq!(local.default_version_id.as_deref(), Some("v1"));
    assert_eq!(local.attachment_count, Some(1));
    assert!(local.policy_id.unwrap().starts_with("ANPA"));

    let aws = w
        .ok::<op::GetPolicy>(GetPolicyRequest {
            policy_arn: READ_ONLY.into(),
        })
        .policy
        .unwrap();
    assert_eq!(aws.policy_name.as_deref(), Some("ReadOnlyAccess"));
    assert_eq!(aws.arn.as_deref(), Some(READ_ONLY));
    // Attached to the admins group and the App role.
    assert_eq!(aws.attachment_count, Some(2));
    let version_id = aws.default_version_id.unwrap();
    let v = w
        .ok::<op::GetPolicyVersion>(GetPolicyVersionRequest {
            policy_arn: READ_ONLY.into(),
            version_id: version_id.clone(),
        })
        .policy_version
        .unwrap();
    assert_eq!(v.version_id.as_deref(), Some(version_id.as_str()));
    assert_eq!(v.is_default_version, Some(true));
    assert!(decode(&v.document.unwrap()).contains("\"Allow\""));

    let v1 = w
        .ok::<op::GetPolicyVersion>(GetPolicyVersionRequest {
            policy_arn: format!("arn:aws:iam::{ACCT}:policy/app/AppPolicy"),
            version_id: "v1".into(),
        })
        .policy_version
        .unwrap();
    assert!(decode(&v1.document.unwrap()).contains("aws:PrincipalTag/team"));

    let missing = format!("arn:aws:iam::{ACCT}:policy/Nope");
    let missing_text = format!("Policy {missing} does not exist or is not attachable.");
    let version_text =
        format!("Policy {READ_ONLY} version v999 does not exist or is not attachable.");
    let version = format!("PolicyArn={READ_ONLY}&VersionId=v999");
    assert_no_such(
        &w,
        &[
            ("GetPolicy", &format!("PolicyArn={missing}"), &missing_text),
            ("GetPolicyVersion", &version, &version_text),
        ],
    );
    // Too short for the wire's validation: the operation's own check, past the decoding.
    let short = GetPolicyRequest {
        policy_arn: "not-an-arn".into(),
    };
    assert_eq!(
        w.err::<op::GetPolicy>(short),
        pair("InvalidInput", "ARN not-an-arn is not valid.")
    );
    let role = format!("arn:aws:iam::{ACCT}:role/App");
    assert_eq!(
        w.refused("GetPolicy", &[("PolicyArn", &role)]).0,
        "InvalidInput"
    );
}

#[test]
fn list_policies_scopes_filters_and_pages() {
    let w = World::new();
    let local = ListPoliciesRequest {
        scope: Some("Local".into()),
        ..Default::default()
    };
    let (arns, pages) = list_policies(&w, local.clone(), 1);
    assert_eq!(
        arns,
        [
            format!("arn:aws:iam::{ACCT}:policy/app/AppPolicy"),
            format!("arn:aws:iam::{ACCT}:policy/boundaries/Boundary"),
            format!("arn:aws:iam::{ACCT}:policy/ReadRoles"),
        ]
    );
    assert_eq!(pages, 3);

    // Filtered, one policy a page.
    let filtered = |req: ListPoliciesRequest| list_policies(&w, req, 1).0;
    let attached = filtered(ListPoliciesRequest {
        only_attached: Some(true),
        ..Default::default()
    });
    assert_eq!(attached.len(), 4, "{attached:?}");
    assert!(attached.contains(&READ_ONLY.to_owned()));
    let by = |usage: Option<&str>, path: Option<&str>| ListPoliciesRequest {
        policy_usage_filter: usage.map(Into::into),
        path_prefix: path.map(Into::into),
        ..Default::default()
    };
    let cases = [
        (by(Some("PermissionsBoundary"), None), "boundaries/Boundary"),
        (by(None, Some("/app/")), "app/AppPolicy"),
    ];
    for (req, policy) in cases {
        assert_eq!(
            filtered(req),
            [format!("arn:aws:iam::{ACCT}:policy/{policy}")]
        );
    }

    // AWS managed policies: all of them, paged at 100 and at 1000 alike.
    let aws = ListPoliciesRequest {
        scope: Some("AWS".into()),
        ..Default::default()
    };
    let (all_100, pages_100) = list_policies(&w, aws.clone(), 100);
    let (all_1000, pages_1000) = list_policies(&w, aws.clone(), 1000);
    assert_eq!(all_100, all_1000);
    assert!(all_100.len() > 1000, "{}", all_100.len());
    assert_eq!(pages_100, all_100.len().div_ceil(100));
    assert_eq!(pages_1000, 2);
    assert!(
        all_100
            .iter()
            .all(|a| a.starts_with("arn:aws:iam::aws:policy/"))
    );
    assert!(all_100.contains(&READ_ONLY.to_owned()));
    let first = w.ok::<op::ListPolicies>(ListPoliciesRequest {
        max_items: Some(1),
        ..aws
    });
    assert_eq!(first.is_truncated, Some(true));
    assert_eq!(first.policies.unwrap().len(), 1);

    let (all, _) = list_policies(&w, ListPoliciesRequest::default(), 1000);
    assert_eq!(all.len(), all_100.len() + 3);

    let (code, message) = w.err::<op::ListPolicies>(ListPoliciesRequest {
        max_items: Some(0),
        ..Default::default()
    });
    assert_eq!(code, "ValidationError");
    assert!(message.contains("'maxItems'"), "{message}");
}

#[test]
fn account_authorization_details_in_pages() {
    let w = World::new();
    let mut entries = Vec::new();
    let mut marker = None;
    let mut pages = 0;
    loop {
        let r = w.ok::<op::GetAccountAuthorizationDetails>(GetAccountAuthorizationDetailsRequest {
            marker: marker.take(),
            max_items: Some(1),
            ..Default::default()
        });
        pages += 1;
        let mut page = Vec::new();
        page.extend(
            r.user_detail_list
                .unwrap()
                .into_iter()
                .map(|u| u.arn.unwrap()),
        );
        page.extend(
            r.group_detail_list
                .unwrap()
                .into_iter()
                .map(|g| g.arn.unwrap()),
        );
        page.extend(
            r.role_detail_list
                .unwrap()
                .into_iter()
                .map(|r| r.arn.unwrap()),
        );
        page.extend(r.policies.unwrap().into_iter().map(|p| p.arn.unwrap()));
        assert_eq!(page.len(), 1, "{page:?}");
        entries.extend(page);
        if r.is_truncated == Some(false) {
            assert!(r.marker.is_none());
            break;
        }
        marker = Some(r.marker.expect("a marker with a truncated page"));
    }
    // 4 users, 2 groups, 3 roles, 3 customer policies, 1 AWS policy in use.
    assert_eq!(entries.len(), 13, "{entries:?}");
    assert_eq!(pages, 13);
    unique(&entries);
    assert_eq!(entries[0], format!("arn:aws:iam::{ACCT}:user/admin"));
    assert_eq!(entries[12], READ_ONLY);

    let full = w
        .ok::<op::GetAccountAuthorizationDetails>(GetAccountAuthorizationDetailsRequest::default());
    let admin = &full.user_detail_list.as_ref().unwrap()[0];
    assert_eq!(admin.group_list.as_deref().unwrap(), ["admins", "readers"]);
    let app = &full.role_detail_list.as_ref().unwrap()[0];
    assert_eq!(app.role_name.as_deref(), Some("App"));
    let inline = app.role_policy_list.as_ref().unwrap();
    assert_eq!(inline[0].policy_name.as_deref(), Some("logs"));
    assert!(decode(inline[0].policy_document.as_deref().unwrap()).contains("logs:PutLogEvents"));
    assert_eq!(app.attached_managed_policies.as_ref().unwrap().len(), 2);
    let ro = full
        .policies
        .as_ref()
        .unwrap()
        .iter()
        .find(|p| p.arn.as_deref() == Some(READ_ONLY))
        .unwrap();
    assert_eq!(ro.policy_version_list.as_ref().unwrap().len(), 1);

    let roles_only =
        w.ok::<op::GetAccountAuthorizationDetails>(GetAccountAuthorizationDetailsRequest {
            filter: Some(vec!["Role".into()]),
            ..Default::default()
        });
    assert_eq!(roles_only.role_detail_list.unwrap().len(), 3);
    assert!(roles_only.user_detail_list.unwrap().is_empty());
    assert!(roles_only.policies.unwrap().is_empty());
}

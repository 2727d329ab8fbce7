//! Tests of the IAM read view, over a small model compiled into a snapshot.

use super::*;
use crate::ErrorCode;
use crate::iam::{
    AccessKey, IamData, InlinePolicies, ManagedPolicy, MfaDevice, OidcProvider, Root, SamlProvider,
    SecretString,
};
use crate::ids::UniqueIdKind;
use crate::keyring::Keyring;
use std::sync::LazyLock;

const ACCT: &str = "123456789012";
const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"x"}}}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const RO: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const VIEW_ONLY: &str = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";

fn inline(name: &str) -> InlinePolicies {
    [(name.to_owned(), DOC.to_owned())].into()
}

fn user(name: &str, path: &str) -> User {
    User {
        name: name.into(),
        path: path.into(),
        ..User::default()
    }
}

fn role(name: &str, path: &str) -> Role {
    Role {
        name: name.into(),
        id: None,
        path: path.into(),
        max_session_duration: 3600,
        trust_policy: TRUST.into(),
        inline_policies: InlinePolicies::new(),
        managed_policies: Vec::new(),
        permissions_boundary: None,
        tags: Tags::new(),
        description: None,
    }
}

fn data() -> IamData {
    let deploy = format!("arn:aws:iam::{ACCT}:policy/team/Deploy");
    let mut alice = user("alice", "/");
    alice.groups = vec!["devs".into(), "ops".into()];
    alice.inline_policies = inline("self");
    alice.managed_policies = vec![deploy.clone(), RO.into()];
    alice.permissions_boundary = Some(deploy.clone());
    alice.tags = [("team".to_owned(), "x".to_owned())].into();
    alice.access_keys = vec![
        AccessKey {
            id: "AKIAZZZZZZZZZZZZZZZ2".into(),
            secret: SecretString::new("secret-2"),
            status: AccessKeyStatus::Inactive,
        },
        AccessKey {
            id: "AKIAAAAAAAAAAAAAAAA1".into(),
            secret: SecretString::new("secret-1"),
            status: AccessKeyStatus::Active,
        },
    ];
    alice.mfa_devices = vec![MfaDevice {
        name: "alice-phone".into(),
        seed_base32: "JBSWY3DPEHPK3PXP".into(),
        ..MfaDevice::default()
    }];
    let mut users = vec![alice];
    for (n, path) in [
        ("bob", "/eng/"),
        ("Carol", "/eng/"),
        ("dave", "/eng/ops/"),
        ("erin", "/"),
        ("frank", "/"),
        ("grace", "/"),
    ] {
        users.push(user(n, path));
    }
    users[1].groups = vec!["devs".into()];
    let mut app = role("App", "/team/");
    app.max_session_duration = 7200;
    app.inline_policies = inline("work");
    app.managed_policies = vec![RO.into(), VIEW_ONLY.into()];
    app.permissions_boundary = Some(RO.into());
    app.tags = [("env".to_owned(), "prod".to_owned())].into();
    app.description = Some("the app".into());
    let mut create_dates = BTreeMap::new();
    create_dates.insert(
        format!("arn:aws:iam::{ACCT}:user/alice"),
        "2024-01-31T12:00:00Z".to_owned(),
    );
    create_dates.insert(
        "AKIAAAAAAAAAAAAAAAA1".to_owned(),
        "2024-02-01T00:00:00Z".to_owned(),
    );
    IamData {
        accounts: vec![Account {
            id: ACCT.into(),
            alias: Some("acme".into()),
            root: Root {
                access_keys: vec![AccessKey {
                    id: "AKIAROOTROOTROOTROOT".into(),
                    secret: SecretString::new("root"),
                    status: AccessKeyStatus::Active,
                }],
                ..Root::default()
            },
            users,
            roles: vec![app, role("Zeta", "/"), role("batch", "/jobs/")],
            groups: vec![
                Group {
                    name: "ops".into(),
                    id: None,
                    path: "/".into(),
                    inline_policies: InlinePolicies::new(),
                    managed_policies: vec![deploy],
                },
                Group {
                    name: "devs".into(),
                    id: None,
                    path: "/eng/".into(),
                    inline_policies: inline("g"),
                    managed_policies: Vec::new(),
                },
            ],
            managed_policies: vec![
                ManagedPolicy::new("Deploy".into(), "/team/".into(), DOC.into()),
                ManagedPolicy::new("Unused".into(), "/".into(), DOC.into()),
            ],
            oidc_providers: vec![OidcProvider {
                url: "https://token.example.com".into(),
                client_ids: vec!["sts.amazonaws.com".into()],
                thumbprints: vec!["6938fd4d98bab03faadb97b34396831e3780aea1".into()],
                jwks: None,
                jwks_file: None,
                ..OidcProvider::default()
            }],
            saml_providers: vec![SamlProvider {
                name: "okta".into(),
                metadata: Some("<EntityDescriptor/>".into()),
                metadata_file: None,
                ..SamlProvider::default()
            }],
            create_dates,
            ..Account::default()
        }],
        organization: None,
    }
}

fn snapshot() -> Snapshot {
    Snapshot::build(data(), 1, &Keyring::generate().unwrap()).unwrap()
}

/// The snapshot of [`data`], built once for all the tests that only read it.
static SNAPSHOT: LazyLock<Snapshot> = LazyLock::new(snapshot);

/// The view of [`ACCT`] in [`SNAPSHOT`].
fn view() -> AccountView<'static> {
    AccountView::new(&SNAPSHOT, ACCT).unwrap()
}

fn names<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<&str> {
    items.iter().map(name).collect()
}

/// IAM's `NoSuchEntity` text for a missing `entity` (`user`, `role policy`) named `name`.
fn missing(entity: &str, name: &str) -> String {
    format!("The {entity} with name {name} cannot be found.")
}

fn no_such(r: Result<impl std::fmt::Debug, Error>) -> String {
    match r {
        Err(e) if e.error_code() == ErrorCode::NoSuchEntity => e.message().to_owned(),
        other => panic!("expected NoSuchEntity, got {other:?}"),
    }
}

/// Asserts each `(message, expected)`: the text [`no_such`] got from a failed lookup, and
/// IAM's.
fn assert_no_such<const N: usize>(cases: [(String, impl AsRef<str>); N]) {
    for (i, (message, expected)) in cases.into_iter().enumerate() {
        assert_eq!(message, expected.as_ref(), "case {i}");
    }
}

#[test]
fn paging_through_three_pages() {
    let items: Vec<u32> = (1..=7).collect();
    let p1 = paginate(items.clone(), None, Some(3)).unwrap();
    assert_eq!(
        (p1.items.as_slice(), p1.is_truncated),
        (&[1, 2, 3][..], true)
    );
    let p2 = paginate(items.clone(), p1.marker.as_deref(), Some(3)).unwrap();
    assert_eq!(
        (p2.items.as_slice(), p2.is_truncated),
        (&[4, 5, 6][..], true)
    );
    let p3 = paginate(items.clone(), p2.marker.as_deref(), Some(3)).unwrap();
    assert_eq!(p3.items, [7]);
    assert!(!p3.is_truncated);
    assert_eq!(p3.marker, None);
    // The default is 100 items; an exact fit is not truncated.
    let all = paginate(items.clone(), None, None).unwrap();
    assert_eq!((all.items.len(), all.is_truncated), (7, false));
    let exact = paginate(items.clone(), None, Some(7)).unwrap();
    assert!(!exact.is_truncated && exact.marker.is_none());
    let many: Vec<u32> = (0..250).collect();
    let first = paginate(many, None, None).unwrap();
    assert_eq!((first.items.len(), first.is_truncated), (100, true));
    // An empty list is one empty page.
    let empty = paginate(Vec::<u32>::new(), None, Some(5)).unwrap();
    assert!(empty.items.is_empty() && !empty.is_truncated);
}

#[test]
fn bad_markers_and_max_items_are_validation_errors() {
    let items: Vec<u32> = (1..=7).collect();
    let past_end = paginate((1..=20).collect::<Vec<u32>>(), None, Some(15))
        .unwrap()
        .marker
        .unwrap();
    let other_tag = base64::Engine::encode(&URL_SAFE_NO_PAD_FOR_TESTS, "xx1:3");
    for marker in [
        "garbage!",
        "",
        "a2sxOg",
        past_end.as_str(),
        other_tag.as_str(),
    ] {
        let e = paginate(items.clone(), Some(marker), Some(3)).unwrap_err();
        assert_eq!(
            e,
            Error::new(ErrorCode::ValidationError, "Invalid Marker."),
            "{marker}"
        );
    }
    for (max_items, constraint) in [
        (0, "greater than or equal to 1"),
        (1001, "less than or equal to 1000"),
    ] {
        assert_eq!(
            paginate(items.clone(), None, Some(max_items))
                .unwrap_err()
                .message(),
            format!(
                "1 validation error detected: Value '{max_items}' at 'maxItems' failed to \
                 satisfy constraint: Member must have value {constraint}"
            )
        );
    }
    assert_eq!(paginate(items, None, Some(1000)).unwrap().items.len(), 7);
}

const URL_SAFE_NO_PAD_FOR_TESTS: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[test]
fn documents_are_url_encoded_per_rfc_3986() {
    assert_eq!(
        url_encode_document(r#"{"A":"b c/d~e_f.g-h"}"#),
        "%7B%22A%22%3A%22b%20c%2Fd~e_f.g-h%22%7D"
    );
    assert_eq!(url_encode_document("é"), "%C3%A9");
}

#[test]
fn users_in_name_order_with_path_prefix_and_paging() {
    let s = &*SNAPSHOT;
    let v = view();
    assert!(AccountView::new(s, "999999999999").is_none());
    let all = v.users(None);
    // Byte order: upper case first.
    assert_eq!(
        names(&all, |u| &u.name),
        ["Carol", "alice", "bob", "dave", "erin", "frank", "grace"]
    );
    assert_eq!(
        names(&v.users(Some("/eng/")), |u| &u.name),
        ["Carol", "bob", "dave"]
    );
    assert_eq!(names(&v.users(Some("/eng/ops/")), |u| &u.name), ["dave"]);
    assert!(v.users(Some("/nope/")).is_empty());
    // Three pages of ListUsers.
    let p1 = paginate(v.users(None), None, Some(3)).unwrap();
    let p2 = paginate(v.users(None), p1.marker.as_deref(), Some(3)).unwrap();
    let p3 = paginate(v.users(None), p2.marker.as_deref(), Some(3)).unwrap();
    let seen: Vec<String> = [p1, p2, p3]
        .into_iter()
        .flat_map(|p| p.items.into_iter().map(|u| u.name))
        .collect();
    assert_eq!(seen, names(&all, |u| &u.name));
}

#[test]
fn get_user_has_aws_ids_arns_dates_and_tags() {
    let s = &*SNAPSHOT;
    let v = view();
    let alice = v.user("alice").unwrap();
    assert_eq!(alice.arn, "arn:aws:iam::123456789012:user/alice");
    assert_eq!(alice.user_id.kind(), Some(UniqueIdKind::User));
    assert_eq!(
        alice.user_id,
        s.user(v.account_id(), "alice").unwrap().unique_id
    );
    assert_eq!(
        crate::clock::iso8601(alice.create_date),
        "2024-01-31T12:00:00Z"
    );
    assert_eq!(
        alice.permissions_boundary.as_deref(),
        Some("arn:aws:iam::123456789012:policy/team/Deploy")
    );
    assert_eq!(
        alice.tags,
        [Tag {
            key: "team".into(),
            value: "x".into()
        }]
    );
    let dave = v.user("dave").unwrap();
    assert_eq!(dave.arn, "arn:aws:iam::123456789012:user/eng/ops/dave");
    assert_eq!(dave.path, "/eng/ops/");
    // No configured date: the documented constant, on every read.
    assert_eq!(dave.create_date, DEFAULT_CREATE_DATE);
    assert_eq!(
        crate::clock::iso8601(DEFAULT_CREATE_DATE),
        "2010-05-08T00:00:00Z"
    );
    assert_eq!(v.user("dave").unwrap(), dave);
    assert_eq!(v.user_tags("alice").unwrap().len(), 1);
}

#[test]
fn groups_and_membership_both_ways() {
    let v = view();
    let groups = v.groups(None);
    assert_eq!(names(&groups, |g| &g.name), ["devs", "ops"]);
    assert_eq!(names(&v.groups(Some("/eng/")), |g| &g.name), ["devs"]);
    let devs = v.group("devs").unwrap();
    assert_eq!(devs.arn, "arn:aws:iam::123456789012:group/eng/devs");
    assert_eq!(devs.group_id.kind(), Some(UniqueIdKind::Group));
    // Stable: the snapshot derived it once.
    assert_eq!(v.group("devs").unwrap().group_id, devs.group_id);
    assert_ne!(v.group("ops").unwrap().group_id, devs.group_id);
    assert_eq!(
        names(&v.group_members("devs").unwrap(), |u| &u.name),
        ["alice", "bob"]
    );
    assert_eq!(
        names(&v.groups_for_user("alice").unwrap(), |g| &g.name),
        ["devs", "ops"]
    );
    assert!(v.groups_for_user("erin").unwrap().is_empty());
}

#[test]
fn roles_with_trust_policy_encoded_and_details() {
    let s = &*SNAPSHOT;
    let v = view();
    assert_eq!(names(&v.roles(None), |r| &r.name), ["App", "Zeta", "batch"]);
    assert_eq!(names(&v.roles(Some("/jobs/")), |r| &r.name), ["batch"]);
    let app = v.role("App").unwrap();
    assert_eq!(app.arn, "arn:aws:iam::123456789012:role/team/App");
    assert!(app.role_id.as_str().starts_with("AROA"));
    assert_eq!(
        app.role_id,
        s.roles.get(v.account_id(), "App").unwrap().unique_id
    );
    assert_eq!(app.assume_role_policy_document, url_encode_document(TRUST));
    assert!(
        app.assume_role_policy_document
            .starts_with("%7B%22Version%22%3A%222012-10-17%22")
    );
    assert_eq!(app.max_session_duration, 7200);
    assert_eq!(app.description.as_deref(), Some("the app"));
    assert_eq!(app.permissions_boundary.as_deref(), Some(RO));
    assert_eq!(v.role_tags("App").unwrap()[0].key, "env");
}

#[test]
fn inline_and_attached_policies() {
    let v = view();
    assert_eq!(
        v.inline_policy_names(PolicyHolder::Role, "App").unwrap(),
        ["work"]
    );
    assert_eq!(
        v.inline_policy_names(PolicyHolder::User, "alice").unwrap(),
        ["self"]
    );
    assert_eq!(
        v.inline_policy_names(PolicyHolder::Group, "devs").unwrap(),
        ["g"]
    );
    let work = v.inline_policy(PolicyHolder::Role, "App", "work").unwrap();
    assert_eq!(
        (work.name.as_str(), work.document.clone()),
        ("work", url_encode_document(DOC))
    );
    assert_eq!(
        v.inline_policy(PolicyHolder::User, "alice", "self")
            .unwrap()
            .document,
        url_encode_document(DOC)
    );
    assert_eq!(
        v.inline_policy(PolicyHolder::Group, "devs", "g")
            .unwrap()
            .name,
        "g"
    );

    let attached = v
        .attached_policies(PolicyHolder::Role, "App", None)
        .unwrap();
    assert_eq!(
        attached,
        [
            AttachedPolicy {
                name: "ReadOnlyAccess".into(),
                arn: RO.into()
            },
            AttachedPolicy {
                name: "ViewOnlyAccess".into(),
                arn: VIEW_ONLY.into()
            },
        ]
    );
    let job = v
        .attached_policies(PolicyHolder::Role, "App", Some("/job-function/"))
        .unwrap();
    assert_eq!(names(&job, |p| &p.name), ["ViewOnlyAccess"]);
    let user_attached = v
        .attached_policies(PolicyHolder::User, "alice", None)
        .unwrap();
    assert_eq!(
        names(&user_attached, |p| &p.name),
        ["Deploy", "ReadOnlyAccess"]
    );
    assert_eq!(
        names(
            &v.attached_policies(PolicyHolder::User, "alice", Some("/team/"))
                .unwrap(),
            |p| &p.name
        ),
        ["Deploy"]
    );
    assert_eq!(
        v.attached_policies(PolicyHolder::Group, "ops", None)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        no_such(v.attached_policies(PolicyHolder::Group, "nope", None)),
        "The group with name nope cannot be found."
    );
}

#[test]
fn managed_policies_customer_and_aws() {
    let v = view();
    let deploy_arn = "arn:aws:iam::123456789012:policy/team/Deploy";
    let deploy = v.policy(deploy_arn).unwrap();
    assert_eq!(deploy.name, "Deploy");
    assert_eq!(deploy.path, "/team/");
    assert_eq!(deploy.policy_id.kind(), Some(UniqueIdKind::Policy));
    assert_eq!(deploy.default_version_id, "v1");
    // alice and ops attach it; alice uses it as her boundary.
    assert_eq!(
        (
            deploy.attachment_count,
            deploy.permissions_boundary_usage_count
        ),
        (2, 1)
    );
    assert!(!deploy.aws_managed && deploy.is_attachable);

    let ro = v.policy(RO).unwrap();
    assert!(ro.aws_managed);
    assert_eq!(ro.policy_id, managed::aws_policy_id(RO));
    assert_eq!(
        (ro.attachment_count, ro.permissions_boundary_usage_count),
        (2, 1)
    );
    assert!(ro.update_date >= ro.create_date);

    let version = v.policy_version(deploy_arn, "v1").unwrap();
    assert!(version.is_default_version);
    assert_eq!(version.document, url_encode_document(DOC));
    let ro_version = v.policy_version(RO, &ro.default_version_id).unwrap();
    assert!(ro_version.document.contains("s3%3AGet"));

    assert_no_such([
        (
            no_such(v.policy("arn:aws:iam::123456789012:policy/Nope")),
            "Policy arn:aws:iam::123456789012:policy/Nope does not exist or is not attachable.",
        ),
        (
            no_such(v.policy("arn:aws:iam::aws:policy/Nope")),
            "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.",
        ),
        (
            no_such(v.policy_version(deploy_arn, "v9")),
            "Policy arn:aws:iam::123456789012:policy/team/Deploy version v9 does not exist or is not attachable.",
        ),
        (
            no_such(v.policy_version("arn:aws:iam::123456789012:policy/X", "v1")),
            "Policy arn:aws:iam::123456789012:policy/X does not exist or is not attachable.",
        ),
    ]);
}

#[test]
fn list_policies_by_scope_attachment_usage_and_path() {
    let v = view();
    let local = v
        .policies(&PolicyFilter {
            scope: PolicyScope::Local,
            ..PolicyFilter::default()
        })
        .unwrap();
    assert_eq!(names(&local, |p| &p.name), ["Deploy", "Unused"]);
    let aws = v
        .policies(&PolicyFilter {
            scope: PolicyScope::Aws,
            ..PolicyFilter::default()
        })
        .unwrap();
    assert_eq!(aws.len(), managed::aws_managed_policies().unwrap().len());
    let all = v.policies(&PolicyFilter::default()).unwrap();
    assert_eq!(all.len(), aws.len() + 2);
    assert!(all.windows(2).all(|w| w[0].name <= w[1].name));
    let attached = v
        .policies(&PolicyFilter {
            only_attached: true,
            ..PolicyFilter::default()
        })
        .unwrap();
    assert_eq!(
        names(&attached, |p| &p.name),
        ["Deploy", "ReadOnlyAccess", "ViewOnlyAccess"]
    );
    let boundaries = v
        .policies(&PolicyFilter {
            usage: Some(PolicyUsage::PermissionsBoundary),
            ..PolicyFilter::default()
        })
        .unwrap();
    assert_eq!(
        names(&boundaries, |p| &p.name),
        ["Deploy", "ReadOnlyAccess"]
    );
    let job = v
        .policies(&PolicyFilter {
            scope: PolicyScope::Aws,
            path_prefix: Some("/job-function/"),
            ..PolicyFilter::default()
        })
        .unwrap();
    assert!(job.iter().all(|p| p.path == "/job-function/"));
    assert!(job.iter().any(|p| p.arn == VIEW_ONLY));
}

#[test]
fn access_keys_mfa_and_providers() {
    let v = view();
    let keys = v.access_keys(Some("alice")).unwrap();
    assert_eq!(
        names(&keys, |k| &k.access_key_id),
        ["AKIAAAAAAAAAAAAAAAA1", "AKIAZZZZZZZZZZZZZZZ2"]
    );
    assert_eq!(keys[0].status, AccessKeyStatus::Active);
    assert_eq!(keys[1].status, AccessKeyStatus::Inactive);
    assert_eq!(keys[0].user_name.as_deref(), Some("alice"));
    assert_eq!(
        crate::clock::iso8601(keys[0].create_date),
        "2024-02-01T00:00:00Z"
    );
    assert!(!format!("{keys:?}").contains("secret-"));
    let root = v.access_keys(None).unwrap();
    assert_eq!((root.len(), root[0].user_name.clone()), (1, None));
    assert_eq!(
        no_such(v.access_keys(Some("nope"))),
        "The user with name nope cannot be found."
    );

    let mfa = v.mfa_devices("alice").unwrap();
    assert_eq!(
        mfa[0].serial_number,
        "arn:aws:iam::123456789012:mfa/alice-phone"
    );
    assert!(v.mfa_devices("bob").unwrap().is_empty());
    let virtual_devices = v.virtual_mfa_devices(AssignmentStatus::Any);
    assert_eq!(virtual_devices.len(), 1);
    assert_eq!(virtual_devices[0].user.as_ref().unwrap().name, "alice");
    assert_eq!(v.virtual_mfa_devices(AssignmentStatus::Assigned).len(), 1);
    assert!(
        v.virtual_mfa_devices(AssignmentStatus::Unassigned)
            .is_empty()
    );
    assert!(!format!("{virtual_devices:?}").contains("JBSW"));

    let oidc_arn = "arn:aws:iam::123456789012:oidc-provider/token.example.com";
    assert_eq!(v.oidc_provider_arns(), [oidc_arn]);
    let oidc = v.oidc_provider(oidc_arn).unwrap();
    assert_eq!(oidc.url, "token.example.com");
    assert_eq!(oidc.client_ids, ["sts.amazonaws.com"]);
    assert_eq!(
        no_such(v.oidc_provider("arn:aws:iam::123456789012:oidc-provider/x")),
        "OpenIDConnect Provider not found for arn arn:aws:iam::123456789012:oidc-provider/x"
    );
    let saml_arn = "arn:aws:iam::123456789012:saml-provider/okta";
    assert_eq!(names(&v.saml_providers(), |p| &p.arn), [saml_arn]);
    assert_eq!(
        v.saml_provider(saml_arn)
            .unwrap()
            .metadata_document
            .as_deref(),
        Some("<EntityDescriptor/>")
    );
    assert_eq!(
        no_such(v.saml_provider("arn:aws:iam::123456789012:saml-provider/x")),
        "Manifest not found for arn arn:aws:iam::123456789012:saml-provider/x"
    );
    assert_eq!(v.account_aliases(), ["acme"]);
}

#[test]
fn account_summary_counts_and_quotas() {
    let map = view().account_summary();
    for (key, value) in [
        ("Users", 7),
        ("Groups", 2),
        ("Roles", 3),
        ("Policies", 2),
        ("PolicyVersionsInUse", 1),
        ("MFADevices", 1),
        ("MFADevicesInUse", 1),
        ("AccountAccessKeysPresent", 1),
        ("AccountMFAEnabled", 0),
        ("Providers", 2),
        ("UsersQuota", 5000),
        ("RolesQuota", 1000),
        ("PoliciesQuota", 1500),
        ("AttachedPoliciesPerUserQuota", 10),
        ("AssumeRolePolicySizeQuota", 2048),
        ("VersionsPerPolicyQuota", 5),
    ] {
        assert_eq!(map.get(key), Some(&value), "{key}");
    }
    // Every key of the model's `summaryKeyType` but AccountPasswordPresent: the model has no
    // console passwords, so the view does not claim to know.
    assert_eq!(map.len(), 33);
    assert!(!map.contains_key("AccountPasswordPresent"));
}

#[test]
fn authorization_details_with_filters() {
    let v = view();
    let all = v.authorization_details(&[]).unwrap();
    let count = |f: fn(&AuthorizationDetail) -> bool| all.iter().filter(|d| f(d)).count();
    assert_eq!(count(|d| matches!(d, AuthorizationDetail::User(_))), 7);
    assert_eq!(count(|d| matches!(d, AuthorizationDetail::Group(_))), 2);
    assert_eq!(count(|d| matches!(d, AuthorizationDetail::Role(_))), 3);
    // Both customer policies and the two AWS ones in use, each with its one version.
    let policies: Vec<&ManagedPolicyDetail> = all
        .iter()
        .filter_map(|d| match d {
            AuthorizationDetail::Policy(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(
        names(&policies, |p| &p.policy.name),
        ["Deploy", "Unused", "ReadOnlyAccess", "ViewOnlyAccess"]
    );
    assert!(
        policies
            .iter()
            .all(|p| p.versions.len() == 1 && p.versions[0].is_default_version)
    );
    let AuthorizationDetail::User(alice) = &all[1] else {
        panic!("{:?}", all[1])
    };
    assert_eq!(alice.user.name, "alice");
    assert_eq!(alice.groups, ["devs", "ops"]);
    assert_eq!(alice.inline_policies[0].document, url_encode_document(DOC));
    assert_eq!(alice.attached_policies.len(), 2);

    let roles = v.authorization_details(&[EntityFilter::Role]).unwrap();
    assert_eq!(roles.len(), 3);
    let AuthorizationDetail::Role(app) = &roles[0] else {
        panic!("{:?}", roles[0])
    };
    assert_eq!(app.role.name, "App");
    assert_eq!(app.inline_policies[0].name, "work");
    let aws = v
        .authorization_details(&[EntityFilter::AwsManagedPolicy])
        .unwrap();
    assert_eq!(aws.len(), 2);
    let local = v
        .authorization_details(&[EntityFilter::LocalManagedPolicy, EntityFilter::Group])
        .unwrap();
    assert_eq!(local.len(), 4);
    // One marker pages across the kinds.
    let p1 = paginate(all.clone(), None, Some(10)).unwrap();
    let p2 = paginate(all.clone(), p1.marker.as_deref(), Some(10)).unwrap();
    assert_eq!(p1.items.len() + p2.items.len(), all.len());
    assert!(!p2.is_truncated);
}

#[test]
fn context_keys_of_principals_and_custom_policies() {
    let v = view();
    let extra = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
    let keys = v
        .context_keys_for_principal("arn:aws:iam::123456789012:user/alice", &[extra])
        .unwrap();
    // Her own, her groups', her managed policies' (ReadOnlyAccess reads s3express:SessionMode)
    // and the extra policy's.
    assert_eq!(
        keys,
        [
            "aws:principaltag/team",
            "aws:sourceip",
            "s3express:sessionmode"
        ]
    );
    let role_keys = v
        .context_keys_for_principal("arn:aws:iam::123456789012:role/team/App", &[])
        .unwrap();
    assert!(role_keys.contains(&"aws:principaltag/team".to_owned()));
    let bad = v
        .context_keys_for_principal("arn:aws:s3:::bucket", &[])
        .unwrap_err();
    assert_eq!(
        (bad.code(), bad.message()),
        ("InvalidInput", "ARN arn:aws:s3:::bucket is not valid.")
    );
    assert!(
        no_such(v.context_keys_for_principal("arn:aws:iam::999999999999:user/alice", &[]))
            .contains("999999999999")
    );
    assert_eq!(
        context_keys_for_custom_policies(&[extra]).unwrap(),
        ["aws:sourceip"]
    );
    assert_eq!(
        context_keys_for_custom_policies(&["{"]).unwrap_err().code(),
        "MalformedPolicyDocument"
    );
}

/// Every lookup of a missing entity is `NoSuchEntity` with IAM's "The X with name N cannot be
/// found." (the entity named is the one missing: the holder before its policy).
#[test]
fn lookups_of_missing_entities_are_no_such_entity() {
    let v = view();
    assert_no_such([
        (no_such(v.user("nobody")), missing("user", "nobody")),
        (no_such(v.user("ALICE")), missing("user", "ALICE")),
        (no_such(v.user_tags("nobody")), missing("user", "nobody")),
        (no_such(v.group("nope")), missing("group", "nope")),
        (no_such(v.group_members("nope")), missing("group", "nope")),
        (no_such(v.groups_for_user("nope")), missing("user", "nope")),
        (no_such(v.role("Nope")), missing("role", "Nope")),
        (no_such(v.role_tags("Nope")), missing("role", "Nope")),
        (
            no_such(v.inline_policy(PolicyHolder::Role, "App", "nope")),
            missing("role policy", "nope"),
        ),
        (
            no_such(v.inline_policy(PolicyHolder::User, "alice", "nope")),
            missing("user policy", "nope"),
        ),
        (
            no_such(v.inline_policy(PolicyHolder::Group, "devs", "nope")),
            missing("group policy", "nope"),
        ),
        (
            no_such(v.inline_policy(PolicyHolder::Role, "Nope", "work")),
            missing("role", "Nope"),
        ),
        (
            no_such(v.inline_policy_names(PolicyHolder::Role, "Nope")),
            missing("role", "Nope"),
        ),
        (
            no_such(v.context_keys_for_principal("arn:aws:iam::123456789012:user/nobody", &[])),
            missing("user", "nobody"),
        ),
        (
            no_such(v.context_keys_for_principal("arn:aws:iam::123456789012:group/x/nope", &[])),
            missing("group", "nope"),
        ),
    ]);
}

//! The model: account ids, access key ids, unique ids, secrets, ARNs and principals.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] fns"
)]

use keyturn_core::ErrorCode;
use keyturn_core::arn::{Arn, Partition, ResourceKind};
use keyturn_core::ids::{
    AccessKeyId, AccessKeyKind, AccountId, Secret, UniqueId, UniqueIdKind, decode_account,
    generate_secret_access_key, is_secret_access_key,
};
use keyturn_core::principal::{Principal, RoleSession, SamlInfo, WebIdentityInfo};
use proptest::prelude::*;

fn acct(n: u64) -> AccountId {
    AccountId::new(n).unwrap()
}

#[test]
fn published_key_ids_decode_to_their_accounts() {
    assert_eq!(
        decode_account("ASIAY34FZKBOKMUTVV7A").unwrap().to_string(),
        "609629065308"
    );
    assert_eq!(
        decode_account("AKIA6RVFFB77RE7OLMKI").unwrap().to_string(),
        "999999999999"
    );
    let id = AccessKeyId::parse("ASIAY34FZKBOKMUTVV7A").unwrap();
    assert_eq!(id.kind(), Some(AccessKeyKind::Temporary));
    assert_eq!(
        AccessKeyId::parse("AKIA6RVFFB77RE7OLMKI").unwrap().kind(),
        Some(AccessKeyKind::LongTerm)
    );
}

#[test]
fn malformed_key_ids_are_rejected() {
    for bad in [
        "",
        "AKIA",
        "AKIA6RVFFB77RE7OLMK",
        "AKIA6RVFFB77RE7OLMKII",
        "akia6rvffb77re7olmki",
        "AKIA6RVFFB77RE7OLMK1", // '1' is not base32
        "AKIA6RVFFB77RE7OLMK0",
        "AKIA6RVFFB77RE7OLMK=",
        "AK1A6RVFFB77RE7OLMKI",
        "AKIA6RVFFB77RE7OLMKé",
    ] {
        assert!(decode_account(bad).is_err(), "{bad:?} accepted");
        assert!(AccessKeyId::parse(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn generated_key_ids_have_aws_shape() {
    for n in [0, 1, 123_456_789_012, 999_999_999_999] {
        for kind in [AccessKeyKind::LongTerm, AccessKeyKind::Temporary] {
            let id = AccessKeyId::generate(kind, acct(n)).unwrap();
            let s = id.as_str();
            assert_eq!(s.len(), 20);
            assert!(s.starts_with(kind.prefix()));
            assert!(
                s[4..]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
            );
            assert_eq!(id.account().unwrap(), acct(n));
            assert_eq!(id.kind(), Some(kind));
        }
    }
    let a = AccessKeyId::generate(AccessKeyKind::Temporary, acct(42)).unwrap();
    let b = AccessKeyId::generate(AccessKeyKind::Temporary, acct(42)).unwrap();
    assert_ne!(a, b, "the free bits are random");
}

#[test]
fn account_ids_are_twelve_digits() {
    assert_eq!(
        "012345678901".parse::<AccountId>().unwrap().to_string(),
        "012345678901"
    );
    assert_eq!(acct(7).to_string(), "000000000007");
    for bad in [
        "",
        "12345678901",
        "1234567890123",
        "12345678901a",
        "-12345678901",
        "+12345678901",
    ] {
        assert!(bad.parse::<AccountId>().is_err(), "{bad:?}");
    }
    assert!(AccountId::new(1_000_000_000_000).is_none());
}

#[test]
fn unique_ids_are_stable_and_keyed() {
    let key = [7u8; 32];
    let a = UniqueId::derive(UniqueIdKind::Role, acct(111_122_223_333), "Admin", &key);
    assert_eq!(
        a,
        UniqueId::derive(UniqueIdKind::Role, acct(111_122_223_333), "Admin", &key)
    );
    assert_eq!(a.as_str().len(), 21);
    assert!(a.as_str().starts_with("AROA"));
    assert_eq!(a.kind(), Some(UniqueIdKind::Role));
    assert_eq!(UniqueId::parse(a.as_str()).unwrap(), a);
    assert_ne!(
        a,
        UniqueId::derive(UniqueIdKind::Role, acct(111_122_223_333), "admin", &key)
    );
    assert_ne!(
        a,
        UniqueId::derive(UniqueIdKind::Role, acct(111_122_223_334), "Admin", &key)
    );
    assert_ne!(
        a,
        UniqueId::derive(
            UniqueIdKind::Role,
            acct(111_122_223_333),
            "Admin",
            &[8u8; 32]
        )
    );
    let u = UniqueId::derive(UniqueIdKind::User, acct(111_122_223_333), "Admin", &key);
    assert!(u.as_str().starts_with("AIDA"));
    assert_ne!(a.as_str()[4..], u.as_str()[4..]);
    for (kind, prefix) in [
        (UniqueIdKind::Group, "AGPA"),
        (UniqueIdKind::Policy, "ANPA"),
    ] {
        let r = UniqueId::random(kind).unwrap();
        assert!(r.as_str().starts_with(prefix) && r.as_str().len() == 21);
    }
    for bad in [
        "",
        "AROA",
        "XROAAAAAAAAAAAAAAAAAA",
        "AROAAAAAAAAAAAAAAAAA1",
        "AROAAAAAAAAAAAAAAAAAAA",
    ] {
        assert!(UniqueId::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn secrets_never_print() {
    let s = generate_secret_access_key().unwrap();
    assert!(is_secret_access_key(s.expose()), "{}", s.expose().len());
    assert_eq!(format!("{s:?}"), "***");
    assert_eq!(format!("{:?}", Some(Secret::new("hunter2"))), "Some(***)");
    assert!(Secret::new("abc").ct_eq("abc"));
    assert!(!Secret::new("abc").ct_eq("abd"));
    assert_ne!(generate_secret_access_key().unwrap(), s);
    assert!(!is_secret_access_key("short"));
    assert!(!is_secret_access_key(&"-".repeat(40)));
}

#[test]
fn iam_and_sts_arns_are_split() {
    let cases: Vec<(&str, ResourceKind)> = vec![
        ("arn:aws:iam::123456789012:root", ResourceKind::Root),
        (
            "arn:aws:iam::123456789012:role/Admin",
            ResourceKind::Role {
                path: "/".into(),
                name: "Admin".into(),
            },
        ),
        (
            "arn:aws:iam::123456789012:role/division_abc/subdivision_xyz/Admin",
            ResourceKind::Role {
                path: "/division_abc/subdivision_xyz/".into(),
                name: "Admin".into(),
            },
        ),
        (
            "arn:aws-cn:iam::123456789012:user/dev/bob@example.com",
            ResourceKind::User {
                path: "/dev/".into(),
                name: "bob@example.com".into(),
            },
        ),
        (
            "arn:aws:iam::123456789012:group/Admins",
            ResourceKind::Group {
                path: "/".into(),
                name: "Admins".into(),
            },
        ),
        (
            "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
            ResourceKind::Policy {
                path: "/service-role/".into(),
                name: "AWSLambdaRole".into(),
            },
        ),
        (
            "arn:aws:iam::123456789012:mfa/bob",
            ResourceKind::Mfa {
                path: "/".into(),
                name: "bob".into(),
            },
        ),
        (
            "arn:aws:iam::123456789012:saml-provider/Okta",
            ResourceKind::SamlProvider {
                name: "Okta".into(),
            },
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            ResourceKind::OidcProvider {
                url: "token.actions.githubusercontent.com".into(),
            },
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/example.com/tenant/v2",
            ResourceKind::OidcProvider {
                url: "example.com/tenant/v2".into(),
            },
        ),
        (
            "arn:aws-us-gov:sts::123456789012:assumed-role/Admin/alice",
            ResourceKind::AssumedRole {
                role_name: "Admin".into(),
                session_name: "alice".into(),
            },
        ),
        (
            "arn:aws:sts::123456789012:federated-user/carol",
            ResourceKind::FederatedUser {
                name: "carol".into(),
            },
        ),
        (
            "arn:aws:iam::123456789012:instance-profile/web",
            ResourceKind::Other,
        ),
    ];
    for (text, kind) in cases {
        let arn: Arn = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(arn.kind(), &kind, "{text}");
        assert_eq!(arn.to_string(), text);
        assert_eq!(arn.region(), "");
    }
    let arn = Arn::parse("arn:aws:iam::123456789012:role/a/Admin").unwrap();
    assert_eq!(arn.partition(), Partition::Aws);
    assert_eq!(arn.service(), "iam");
    assert_eq!(arn.account_id(), Some(acct(123_456_789_012)));
    assert_eq!(arn.resource(), "role/a/Admin");
}

#[test]
fn other_services_stay_generic() {
    for text in [
        "arn:aws:s3:::my-bucket/path/to/key",
        "arn:aws:lambda:us-east-1:123456789012:function:my-fn:PROD",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/Books",
        "arn:aws:sqs:us-east-1:123456789012:queue",
    ] {
        let arn = Arn::parse(text).unwrap();
        assert_eq!(arn.kind(), &ResourceKind::Other);
        assert_eq!(arn.to_string(), text);
    }
    assert_eq!(
        Arn::parse("arn:aws:lambda:us-east-1:123456789012:function:my-fn:PROD")
            .unwrap()
            .resource(),
        "function:my-fn:PROD"
    );
}

#[test]
fn malformed_arns_give_aws_text() {
    for bad in [
        "",
        "arn",
        "not-an-arn",
        "arn:aws:iam::123456789012",
        "arn:aws:iam::123:role/Admin",
        "arn:aws:iam::12345678901a:role/Admin",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role",
        "arn:aws:iam::123456789012:role//Admin",
        "arn:aws:iam::123456789012:role/a b/Admin",
        "arn:aws:iam::123456789012:role/Ad min",
        "arn:aws:iam:us-east-1:123456789012:role/Admin",
        "arn:aws:iam:::role/Admin",
        "arn:aws:iam::aws:role/Admin",
        "arn:foo:iam::123456789012:root",
        "arn:aws:iam::123456789012:",
        "arn:aws:sts::123456789012:assumed-role/OnlyRole",
        "arn:aws:sts::123456789012:assumed-role/Role/",
        "arn:aws:sts::123456789012:federated-user/",
        "arn:aws:iam::123456789012:saml-provider/",
        "arn:aws:iam::123456789012:oidc-provider/",
        "arn:aws:S3:::bucket",
        "ARN:aws:iam::123456789012:root",
        "arn:aws::::x",
    ] {
        match Arn::parse(bad) {
            Err(e) if e.error_code() == ErrorCode::ValidationError => {
                assert_eq!(e.message(), format!("{bad} is invalid"))
            }
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
}

#[test]
fn constructors_match_parsing() {
    let a = acct(123_456_789_012);
    let p = Partition::Aws;
    for (built, text) in [
        (Arn::root(p, a), "arn:aws:iam::123456789012:root"),
        (
            Arn::user(p, a, "/", "bob"),
            "arn:aws:iam::123456789012:user/bob",
        ),
        (
            Arn::user(p, a, "", "bob"),
            "arn:aws:iam::123456789012:user/bob",
        ),
        (
            Arn::role(p, a, "/x/y/", "R"),
            "arn:aws:iam::123456789012:role/x/y/R",
        ),
        (
            Arn::assumed_role(p, a, "R", "s"),
            "arn:aws:sts::123456789012:assumed-role/R/s",
        ),
        (
            Arn::federated_user(p, a, "f"),
            "arn:aws:sts::123456789012:federated-user/f",
        ),
    ] {
        assert_eq!(built.to_string(), text);
        assert_eq!(built, Arn::parse(text).unwrap());
    }
}

fn session() -> RoleSession {
    RoleSession {
        partition: Partition::Aws,
        account: acct(111_122_223_333),
        role_path: "/team/".into(),
        role_name: "Deploy".into(),
        role_id: UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap(),
        session_name: "ci-42".into(),
    }
}

#[test]
fn principals_answer_like_aws() {
    let a = acct(111_122_223_333);
    let root = Principal::Root {
        partition: Partition::Aws,
        account: a,
    };
    let user = Principal::User {
        partition: Partition::Aws,
        account: a,
        path: "/dev/".into(),
        name: "bob".into(),
        unique_id: UniqueId::parse("AIDAJQABLZS4A3QDU576Q").unwrap(),
    };
    let role = Principal::user_or_role(
        true,
        Partition::Aws,
        a,
        "/team/".into(),
        "Deploy".into(),
        UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap(),
    );
    assert!(matches!(role, Principal::Role { .. }));
    let assumed = Principal::AssumedRole(session());
    let web = Principal::WebIdentitySession {
        session: session(),
        identity: WebIdentityInfo {
            provider: "token.actions.githubusercontent.com".into(),
            subject: "repo:o/r:ref:refs/heads/main".into(),
            audience: "sts.amazonaws.com".into(),
        },
    };
    let saml = Principal::SamlSession {
        session: session(),
        identity: SamlInfo {
            provider_arn: "arn:aws:iam::111122223333:saml-provider/Okta".into(),
            ..Default::default()
        },
    };
    let fed = Principal::FederatedUser {
        partition: Partition::Aws,
        account: a,
        name: "carol".into(),
    };
    let svc = Principal::Service {
        name: "ec2.amazonaws.com".into(),
    };
    let session_arn = "arn:aws:sts::111122223333:assumed-role/Deploy/ci-42";
    let session_id = "AROA3XFRBF535PLBIFPI4:ci-42";
    // (principal, ARN, aws:userid, aws:PrincipalType)
    for (p, arn, user_id, principal_type) in [
        (
            &root,
            Some("arn:aws:iam::111122223333:root"),
            "111122223333",
            "Account",
        ),
        (
            &user,
            Some("arn:aws:iam::111122223333:user/dev/bob"),
            "AIDAJQABLZS4A3QDU576Q",
            "User",
        ),
        (
            &role,
            Some("arn:aws:iam::111122223333:role/team/Deploy"),
            "AROA3XFRBF535PLBIFPI4",
            "Role",
        ),
        (&assumed, Some(session_arn), session_id, "AssumedRole"),
        (&web, Some(session_arn), session_id, "AssumedRole"),
        (&saml, Some(session_arn), session_id, "AssumedRole"),
        (
            &fed,
            Some("arn:aws:sts::111122223333:federated-user/carol"),
            "111122223333:carol",
            "FederatedUser",
        ),
        (&svc, None, "ec2.amazonaws.com", "Service"),
    ] {
        assert_eq!(p.arn().map(|a| a.to_string()).as_deref(), arn, "{p:?}");
        assert_eq!(p.arn_string().as_deref(), arn, "{p:?}");
        assert_eq!(p.user_id(), user_id, "{p:?}");
        assert_eq!(p.principal_type(), principal_type, "{p:?}");
    }

    assert_eq!(user.principal_arn(), user.arn());
    assert_eq!(user.user_name(), Some("bob"));
    assert_eq!(role.principal_arn(), role.arn());
    assert_eq!(role.user_name(), None);
    assert_eq!(
        assumed.principal_arn().unwrap().to_string(),
        "arn:aws:iam::111122223333:role/team/Deploy"
    );
    assert_eq!(assumed.principal_arn(), role.arn());
    assert_eq!(assumed.account(), Some(a));
    assert_eq!(assumed.user_name(), None);
    assert_eq!(web.identity_type(), "WebIdentityUser");
    assert_eq!(
        web.federated_provider(),
        Some("token.actions.githubusercontent.com")
    );
    assert_eq!(saml.identity_type(), "SAMLUser");
    assert_eq!(saml.principal_arn(), assumed.principal_arn());
    assert_eq!(svc.account(), None);
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_+=,.@-]{1,64}"
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec("[!-.0-~]{1,10}", 0..4).prop_map(|segs| {
        if segs.is_empty() {
            "/".to_owned()
        } else {
            format!("/{}/", segs.join("/"))
        }
    })
}

proptest! {
    #[test]
    fn key_id_account_round_trip(n in 0u64..=999_999_999_999, random in any::<[u8; 5]>(), temp in any::<bool>()) {
        let kind = if temp { AccessKeyKind::Temporary } else { AccessKeyKind::LongTerm };
        let id = AccessKeyId::from_parts(kind, acct(n), random);
        prop_assert_eq!(id.as_str().len(), 20);
        prop_assert_eq!(id.account().unwrap(), acct(n));
        prop_assert_eq!(AccessKeyId::parse(id.as_str()).unwrap(), id);
    }

    #[test]
    fn role_and_user_arns_round_trip(n in 0u64..=999_999_999_999, p in path(), nm in name(), user in any::<bool>()) {
        let a = acct(n);
        let built = if user { Arn::user(Partition::AwsCn, a, &p, &nm) } else { Arn::role(Partition::AwsCn, a, &p, &nm) };
        let parsed = Arn::parse(&built.to_string()).unwrap();
        prop_assert_eq!(&parsed, &built);
        let expected = if user {
            ResourceKind::User { path: p.clone(), name: nm.clone() }
        } else {
            ResourceKind::Role { path: p.clone(), name: nm.clone() }
        };
        prop_assert_eq!(parsed.kind(), &expected);
    }

    #[test]
    fn parse_role_agrees_with_parse(n in 0u64..=999_999_999_999, p in path(), nm in name(), edit in any::<(u8, u8)>(), kind in 0u8..4) {
        let a = acct(n);
        let mut text = match kind {
            0 => Arn::role(Partition::Aws, a, &p, &nm).to_string(),
            1 => Arn::user(Partition::AwsUsGov, a, &p, &nm).to_string(),
            2 => format!("arn:aws:sts::{a}:assumed-role/{nm}/s"),
            _ => format!("arn:aws:s3:::{nm}"),
        };
        // Half the time, one byte is changed.
        if edit.0 % 2 == 1 && !text.is_empty() {
            let at = usize::from(edit.1) % text.len();
            let replacement = [b':', b'/', b'x', b'_', b'9', b' '][usize::from(edit.0 / 2) % 6];
            let mut bytes = text.into_bytes();
            bytes[at] = replacement;
            text = String::from_utf8(bytes).unwrap();
        }
        match (Arn::parse(&text), Arn::parse_role(&text)) {
            (Ok(arn), Ok(Some((account, path, name)))) => {
                prop_assert_eq!(arn.kind(), &ResourceKind::Role { path: path.to_owned(), name: name.to_owned() });
                prop_assert_eq!(Some(account), arn.account_id());
            }
            (Ok(arn), Ok(None)) => {
                let is_role = matches!(arn.kind(), ResourceKind::Role { .. });
                prop_assert!(!is_role, "{}: a role, but parse_role said no", text);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{text}: parse {a:?}, parse_role {b:?}"),
        }
    }

    #[test]
    fn principal_arn_text_is_the_arn_printed(n in 0u64..=999_999_999_999, p in path(), nm in name(), sess in name(), which in 0u8..7) {
        let (partition, account) = (Partition::AwsCn, acct(n));
        let role_session = RoleSession {
            partition,
            account,
            role_path: p.clone(),
            role_name: nm.clone(),
            role_id: UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap(),
            session_name: sess.clone(),
        };
        let principal = match which {
            0 => Principal::Root { partition, account },
            1 => Principal::User { partition, account, path: p, name: nm, unique_id: UniqueId::parse("AIDAJQABLZS4A3QDU576Q").unwrap() },
            2 => Principal::Role { partition, account, path: String::new(), name: nm, unique_id: UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap() },
            3 => Principal::AssumedRole(role_session),
            4 => Principal::FederatedUser { partition, account, name: sess },
            5 => Principal::Role { partition, account, path: p, name: nm, unique_id: UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap() },
            _ => Principal::Service { name: nm },
        };
        prop_assert_eq!(principal.arn_string(), principal.arn().map(|a| a.to_string()));
        if let Some(s) = principal.role_session() {
            prop_assert_eq!(s.role_arn_string(), s.role_arn().to_string());
        }
    }

    #[test]
    fn session_arns_round_trip(n in 0u64..=999_999_999_999, role in name(), sess in name()) {
        let built = Arn::assumed_role(Partition::Aws, acct(n), &role, &sess);
        prop_assert_eq!(Arn::parse(&built.to_string()).unwrap(), built);
    }

    #[test]
    fn parsing_never_panics_and_reprints_exactly(s in "arn:(aws|aws-cn|x):(iam|sts|s3|[a-z]{1,5}):[a-z0-9-]{0,3}:([0-9]{12}|aws|[0-9]{3})?:[ -~]{0,40}") {
        if let Ok(arn) = Arn::parse(&s) {
            prop_assert_eq!(arn.to_string(), s);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,80}") {
        let _ = Arn::parse(&s);
        let _ = decode_account(&s);
        let _ = UniqueId::parse(&s);
    }
}

//! The version-2 golden token (the format and the secret derivation are a contract between the
//! nodes of a cluster and across upgrades, so a token minted by this build must keep opening) and
//! version 3, the tokens of sessions with scope-down policies.

use time::{Duration, OffsetDateTime};

use super::*;
use crate::arn::Partition;
use crate::ids::{AccessKeyKind, UniqueId};
use crate::principal::RoleSession;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap()
}

fn ring() -> Keyring {
    Keyring::from_keys(vec![(7, [0x42; 32])], 7, [0x24; 32]).unwrap()
}

fn claims() -> SessionClaims {
    let account = AccountId::new(111_122_223_333).unwrap();
    let mut c = SessionClaims::new(
        Principal::AssumedRole(RoleSession {
            partition: Partition::Aws,
            account,
            role_path: "/service/".into(),
            role_name: "DeployRole".into(),
            role_id: UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap(),
            session_name: "zoë@example.com".into(),
        }),
        t0(),
        t0() + Duration::hours(1),
    );
    c.mfa_authenticated_at = Some(t0() - Duration::minutes(5));
    c.source_identity = Some("zoë".into());
    c.tags = vec![
        ("Project".into(), "Keyturn".into()),
        ("team".into(), String::new()),
    ];
    c.transitive_tag_keys = vec!["Project".into()];
    c.session_policy = Some("{}".into());
    c.policy_arns = vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()];
    c.role_chained = true;
    c.caller_arn = Some("arn:aws:sts::111122223333:assumed-role/Base/zoe".into());
    c
}

/// Minted by the first build that wrote version 2, under [`ring`], for `ASIARTX3GSDSQEBAGBAF`.
const GOLDEN_V2: &str = "AgAAAAfWBBU0vMeP11Dfv7btPRbCD7m7t8zbKylmr2JFa24JoEo+tq8q6kaWvDfOdzsqgBkiGWHVZvWT2ebWYUZCJ7R1oAiwuQlJbyPOHzeL+w9H2Os9rM0GhBeYsAr4cCMTfIfimH+qSCHNHRM96SAL8NWGtvIJmi8IP0Yh/jw+n+bKY4JCxmVltnjarJGgev4WjOR/XZuchmsXBwPjUuvy266uXftwgXJhbPjDyXauC9EWXSKF/ybxAARBiHbrI9ISLDYJxtOFmGRljJhF8EHKNcbx+7FxI7RDiS3LwxA9+GQlZYkBElSYqGEKsWBW+zxRxlEThbRa4Uu58H4EmAXFTLDcTPDwb1ia5IsrPcBS64h+MOo9YHw=";

#[test]
fn version_2_golden_token_still_opens() {
    let opened = open(&ring(), GOLDEN_V2, t0()).unwrap();
    assert_eq!(opened.key_id, 7);
    assert_eq!(opened.access_key_id.as_str(), "ASIARTX3GSDSQEBAGBAF");
    assert_eq!(
        opened.secret_access_key.expose(),
        "fniSp8n5voz8eEbkmmkVHLLoipHJUiQW+7mmkQe0"
    );
    assert_eq!(opened.claims, claims());
    assert!(matches!(
        open(&ring(), GOLDEN_V2, t0() + Duration::hours(1)),
        Err(e) if e.error_code() == ErrorCode::ExpiredToken
    ));
}

#[test]
fn this_build_mints_version_2_and_the_secret_depends_on_the_version() {
    let account = AccountId::new(111_122_223_333).unwrap();
    let akid = AccessKeyId::from_parts(AccessKeyKind::Temporary, account, [1, 2, 3, 4, 5]);
    let sealed = seal(&ring(), &akid, &claims()).unwrap();
    let mut blob = Vec::new();
    b64::decode_into(&sealed.token, &mut blob).unwrap();
    assert_eq!(blob[0], TOKEN_VERSION);
    assert_eq!(TOKEN_VERSION, 2);
    let entry = ring().active().clone();
    let mut header = blob[..HEADER_LEN].to_vec();
    assert_eq!(
        derive_secret(&entry, &header).unwrap(),
        sealed.secret_access_key
    );
    header[0] = 1;
    assert_ne!(
        derive_secret(&entry, &header).unwrap(),
        sealed.secret_access_key
    );
}

#[test]
fn a_scoped_session_is_sealed_as_version_3_and_opens_with_its_layers() {
    let account = AccountId::new(111_122_223_333).unwrap();
    let akid = AccessKeyId::from_parts(AccessKeyKind::Temporary, account, [1, 2, 3, 4, 5]);
    let mut c = claims();
    c.scope_policies = vec![
        r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
        "{}".into(),
    ];
    for minimum in [0, 2000] {
        c.minimum_token_size = minimum;
        let sealed = seal(&ring(), &akid, &c).unwrap();
        let mut blob = Vec::new();
        b64::decode_into(&sealed.token, &mut blob).unwrap();
        assert_eq!(blob[0], SCOPED_TOKEN_VERSION);
        assert!(sealed.token.len() >= usize::from(minimum));
        let opened = open(&ring(), &sealed.token, t0()).unwrap();
        assert_eq!(opened.secret_access_key, sealed.secret_access_key);
        let mut expected = c.clone();
        expected.minimum_token_size = 0;
        assert_eq!(opened.claims, expected);
    }
    // Without layers the same claims are a version-2 token, as before.
    c.scope_policies.clear();
    c.minimum_token_size = 0;
    let sealed = seal(&ring(), &akid, &c).unwrap();
    let mut blob = Vec::new();
    b64::decode_into(&sealed.token, &mut blob).unwrap();
    assert_eq!(blob[0], TOKEN_VERSION);
    // A version byte past 3 never opens (the header is authenticated, so it cannot be changed
    // either).
    blob[0] = 4;
    assert!(open(&ring(), &b64::encode(&blob), t0()).is_err());
}

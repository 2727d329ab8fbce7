//! Session tokens, the keyring and the default signer, through the public API.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] fns"
)]

use keyturn_core::ErrorCode;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use keyturn_core::Error;
use keyturn_core::arn::Partition;
use keyturn_core::ids::{
    AccessKeyId, AccessKeyKind, AccountId, UniqueId, UniqueIdKind, is_secret_access_key,
};
use keyturn_core::keyring::Keyring;
use keyturn_core::principal::{Principal, RoleSession, SamlInfo, WebIdentityInfo};
use keyturn_core::signer::{CredentialSigner, KeyringSigner};
use keyturn_core::token::{self, EXPIRED_TOKEN_MESSAGE, INVALID_TOKEN_MESSAGE, SessionClaims};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime};

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap()
}

fn account() -> AccountId {
    AccountId::new(111_122_223_333).unwrap()
}

fn role_session(name: &str) -> RoleSession {
    RoleSession {
        partition: Partition::Aws,
        account: account(),
        role_path: "/service/".into(),
        role_name: "DeployRole".into(),
        role_id: UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap(),
        session_name: name.into(),
    }
}

/// Claims of about 400 bytes encoded, like a typical tagged, MFA'd, policy-scoped session.
fn rich_claims() -> SessionClaims {
    let mut c = SessionClaims::new(
        Principal::AssumedRole(role_session("alice@example.com")),
        t0(),
        t0() + Duration::hours(1),
    );
    c.mfa_authenticated_at = Some(t0() - Duration::minutes(5));
    c.source_identity = Some("alice".into());
    c.tags = vec![
        ("Project".into(), "Keyturn".into()),
        ("CostCenter".into(), "1234".into()),
        ("team".into(), "".into()),
    ];
    c.transitive_tag_keys = vec!["Project".into()];
    c.session_policy = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#.into(),
    );
    c.policy_arns = vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()];
    c.role_chained = true;
    c.caller_arn = Some("arn:aws:sts::111122223333:assumed-role/Base/alice".into());
    c.original_caller_arn = Some("arn:aws:iam::111122223333:user/alice".into());
    c.caller_id = Some(UniqueId::parse("AIDAJQABLZS4A3QDU576Q").unwrap());
    c
}

fn key_id() -> AccessKeyId {
    AccessKeyId::generate(AccessKeyKind::Temporary, account()).unwrap()
}

fn assert_invalid(r: Result<token::OpenedSession, Error>, what: &str) {
    match r {
        Err(e) if e.error_code() == ErrorCode::InvalidClientTokenId => {
            assert_eq!(e.message(), INVALID_TOKEN_MESSAGE)
        }
        Err(e) => panic!("{what}: wrong error {e:?}"),
        Ok(_) => panic!("{what}: opened"),
    }
}

#[test]
fn seal_open_round_trip() {
    let ring = Keyring::generate().unwrap();
    let claims = rich_claims();
    let akid = key_id();
    let sealed = token::seal(&ring, &akid, &claims).unwrap();
    assert!(is_secret_access_key(sealed.secret_access_key.expose()));
    let opened = token::open(&ring, &sealed.token, t0()).unwrap();
    assert_eq!(opened.claims, claims);
    assert_eq!(opened.access_key_id, akid);
    assert_eq!(opened.secret_access_key, sealed.secret_access_key);
    assert_eq!(opened.key_id, ring.active_id());
    opened.check_access_key_id(akid.as_str()).unwrap();
    let other = key_id();
    assert!(matches!(
        opened.check_access_key_id(other.as_str()),
        Err(e) if e.error_code() == ErrorCode::InvalidClientTokenId
    ));
    // Two tokens of the same claims differ (fresh nonce), and so do their secrets.
    let again = token::seal(&ring, &akid, &claims).unwrap();
    assert_ne!(again.token, sealed.token);
    assert_ne!(again.secret_access_key, sealed.secret_access_key);
    let len = STANDARD.decode(&sealed.token).unwrap().len();
    assert!((380..700).contains(&len), "token of {len} bytes");
}

#[test]
fn a_minimum_token_size_pads_the_token_to_that_length_and_no_further() {
    let ring = Keyring::generate().unwrap();
    let akid = key_id();
    let mut claims = rich_claims();
    let natural = token::seal(&ring, &akid, &claims).unwrap().token.len();
    for wanted in [0, 1, natural, natural + 1, natural + 3, natural + 200, 4096] {
        claims.minimum_token_size = wanted as u16;
        let sealed = token::seal(&ring, &akid, &claims).unwrap();
        let len = sealed.token.len();
        assert!(len >= wanted, "{wanted}: {len}");
        // base64 grows in steps of four characters; the padding adds one byte at most more.
        assert!(len <= wanted.max(natural) + 8, "{wanted}: {len}");
        let opened = token::open(&ring, &sealed.token, t0()).unwrap();
        let mut expected = claims.clone();
        expected.minimum_token_size = 0;
        assert_eq!(opened.claims, expected, "{wanted}");
        assert_eq!(opened.secret_access_key, sealed.secret_access_key);
    }
}

#[test]
fn every_principal_kind_round_trips() {
    let ring = Keyring::generate().unwrap();
    let principals = vec![
        Principal::Root {
            partition: Partition::AwsUsGov,
            account: account(),
        },
        Principal::User {
            partition: Partition::Aws,
            account: account(),
            path: "/".into(),
            name: "bob".into(),
            unique_id: UniqueId::random(UniqueIdKind::User).unwrap(),
        },
        Principal::Role {
            partition: Partition::AwsCn,
            account: account(),
            path: "/x/".into(),
            name: "R".into(),
            unique_id: UniqueId::random(UniqueIdKind::Role).unwrap(),
        },
        Principal::FederatedUser {
            partition: Partition::Aws,
            account: account(),
            name: "carol".into(),
        },
        Principal::WebIdentitySession {
            session: role_session("web"),
            identity: WebIdentityInfo {
                provider: "accounts.google.com".into(),
                subject: "1234".into(),
                audience: "app".into(),
            },
        },
        Principal::SamlSession {
            session: role_session("saml"),
            identity: SamlInfo {
                provider_arn: "arn:aws:iam::111122223333:saml-provider/Okta".into(),
                subject: "alice".into(),
                subject_type: "persistent".into(),
                issuer: "https://idp.example.com".into(),
                audience: "https://signin.aws.amazon.com/saml".into(),
                name_qualifier: "aGVsbG8=".into(),
            },
        },
        Principal::Service {
            name: "ec2.amazonaws.com".into(),
        },
    ];
    for p in principals {
        let claims = SessionClaims::new(p, t0(), t0() + Duration::seconds(900));
        let sealed = token::seal(&ring, &key_id(), &claims).unwrap();
        assert_eq!(
            token::open(&ring, &sealed.token, t0()).unwrap().claims,
            claims
        );
    }
}

#[test]
fn every_single_bit_flip_is_rejected() {
    let ring = Keyring::generate().unwrap();
    let sealed = token::seal(&ring, &key_id(), &rich_claims()).unwrap();
    let blob = STANDARD.decode(&sealed.token).unwrap();
    for i in 0..blob.len() * 8 {
        let mut b = blob.clone();
        b[i / 8] ^= 1 << (i % 8);
        assert_invalid(
            token::open(&ring, &STANDARD.encode(&b), t0()),
            &format!("blob bit {i}"),
        );
    }
    // And in the text form: a flipped bit gives another character, or one outside the alphabet.
    let text = sealed.token.as_bytes();
    for i in 0..text.len() * 8 {
        let mut t = text.to_vec();
        t[i / 8] ^= 1 << (i % 8);
        let s = String::from_utf8_lossy(&t);
        assert_invalid(token::open(&ring, &s, t0()), &format!("text bit {i}"));
    }
}

#[test]
fn every_truncation_is_rejected() {
    let ring = Keyring::generate().unwrap();
    let sealed = token::seal(&ring, &key_id(), &rich_claims()).unwrap();
    let blob = STANDARD.decode(&sealed.token).unwrap();
    for n in 0..blob.len() {
        assert_invalid(
            token::open(&ring, &STANDARD.encode(&blob[..n]), t0()),
            &format!("blob[..{n}]"),
        );
    }
    for n in 0..sealed.token.len() {
        assert_invalid(
            token::open(&ring, &sealed.token[..n], t0()),
            &format!("text[..{n}]"),
        );
    }
    let mut longer = blob.clone();
    longer.push(0);
    assert_invalid(
        token::open(&ring, &STANDARD.encode(&longer), t0()),
        "extended",
    );
}

#[test]
fn garbage_unknown_key_and_wrong_version_are_invalid() {
    let ring = Keyring::generate().unwrap();
    for g in [
        "",
        "=",
        "not base64!",
        "AAAA",
        "QUJD",
        &"A".repeat(4000),
        "\u{0}\u{1}",
    ] {
        assert_invalid(token::open(&ring, g, t0()), g);
    }
    let sealed = token::seal(&ring, &key_id(), &rich_claims()).unwrap();
    // Another keyring, even with the same key id, cannot open it.
    let other = Keyring::generate().unwrap();
    assert_eq!(other.active_id(), ring.active_id());
    assert_invalid(token::open(&other, &sealed.token, t0()), "foreign keyring");
    // A key id the keyring does not hold.
    let mut blob = STANDARD.decode(&sealed.token).unwrap();
    blob[1..5].copy_from_slice(&77u32.to_be_bytes());
    assert_invalid(
        token::open(&ring, &STANDARD.encode(&blob), t0()),
        "unknown key id",
    );
    // Another version (the version byte is authenticated: 1 is an open-able version, but not
    // for a token sealed as another).
    for v in [0u8, 1, 3, 255] {
        let mut blob = STANDARD.decode(&sealed.token).unwrap();
        blob[0] = v;
        assert_invalid(token::open(&ring, &STANDARD.encode(&blob), t0()), "version");
    }
}

#[test]
fn expiry_boundary() {
    let ring = Keyring::generate().unwrap();
    let claims = rich_claims();
    let sealed = token::seal(&ring, &key_id(), &claims).unwrap();
    for early in [Duration::seconds(1), Duration::nanoseconds(1)] {
        let opened = token::open(&ring, &sealed.token, claims.expires_at - early);
        assert!(opened.is_ok(), "{early} early: {opened:?}");
    }
    for late in [Duration::ZERO, Duration::seconds(1), Duration::days(400)] {
        match token::open(&ring, &sealed.token, claims.expires_at + late) {
            Err(e) if e.error_code() == ErrorCode::ExpiredToken => {
                assert_eq!(e.message(), EXPIRED_TOKEN_MESSAGE)
            }
            other => panic!("{other:?}"),
        }
    }
    // A tampered expired token is invalid, not expired: integrity is checked first.
    let mut blob = STANDARD.decode(&sealed.token).unwrap();
    let last = blob.len() - 1;
    blob[last] ^= 1;
    assert_invalid(
        token::open(
            &ring,
            &STANDARD.encode(&blob),
            claims.expires_at + Duration::days(1),
        ),
        "tampered",
    );
}

#[test]
fn rotation_keeps_old_tokens_and_mints_under_the_new_key() {
    let signer = KeyringSigner::new(Keyring::generate().unwrap());
    let claims = rich_claims();
    let old = signer.mint(&claims).unwrap();
    let old_key = signer.keyring().active_id();
    let new_key = signer.rotate().unwrap();
    assert_ne!(old_key, new_key);
    assert_eq!(signer.keyring().key_ids(), vec![old_key, new_key]);
    let opened = signer.open(old.session_token.expose(), t0()).unwrap();
    assert_eq!(opened.key_id, old_key);
    assert_eq!(opened.secret_access_key, old.secret_access_key);
    let new = signer.mint(&claims).unwrap();
    let opened = signer.open(new.session_token.expose(), t0()).unwrap();
    assert_eq!(opened.key_id, new_key);
    assert_eq!(opened.access_key_id.as_str(), new.access_key_id);
    // Retiring the old key ends its tokens; the active key cannot be retired.
    let mut ring = (*signer.keyring()).clone();
    assert!(ring.retire(old_key).unwrap());
    assert!(ring.retire(new_key).is_err());
    signer.replace_keyring(ring);
    assert_invalid(signer.open(old.session_token.expose(), t0()), "retired key");
    assert!(signer.open(new.session_token.expose(), t0()).is_ok());
}

#[test]
fn signer_mints_asia_credentials_of_the_account() {
    let signer = KeyringSigner::new(Keyring::generate().unwrap());
    let claims = rich_claims();
    let creds = signer.mint(&claims).unwrap();
    assert_eq!(
        AccessKeyId::parse(&creds.access_key_id).unwrap().kind(),
        Some(AccessKeyKind::Temporary)
    );
    assert_eq!(
        AccessKeyId::parse(&creds.access_key_id)
            .unwrap()
            .account()
            .unwrap(),
        account()
    );
    assert_eq!(creds.expiration, claims.expires_at);
    assert!(is_secret_access_key(creds.secret_access_key.expose()));
    let opened = signer.open(creds.session_token.expose(), t0()).unwrap();
    assert_eq!(opened.access_key_id.as_str(), creds.access_key_id);
    assert_eq!(opened.secret_access_key, creds.secret_access_key);
    assert_eq!(opened.claims, claims);
    // A service principal has no account to mint for.
    let svc = SessionClaims::new(
        Principal::Service {
            name: "x.amazonaws.com".into(),
        },
        t0(),
        t0() + Duration::hours(1),
    );
    assert!(matches!(signer.mint(&svc), Err(e) if e.error_code() == ErrorCode::InternalFailure));
    // Object safety: the default signer behind a trait object.
    let dynamic: Box<dyn CredentialSigner> = Box::new(signer);
    assert!(dynamic.open(creds.session_token.expose(), t0()).is_ok());
}

#[test]
fn messages_seal_and_open() {
    let signer = KeyringSigner::new(Keyring::generate().unwrap());
    let msg = br#"{"allowed":false,"explicitDeny":false}"#;
    let sealed = signer.seal_message(msg).unwrap();
    assert_eq!(signer.open_message(&sealed).unwrap(), msg);
    assert_eq!(
        signer
            .open_message(&signer.seal_message(b"").unwrap())
            .unwrap(),
        b""
    );
    let creds = signer.mint(&rich_claims()).unwrap();
    // A session token is not a message (separate subkeys), a message is not a token.
    for bad in [
        "",
        "garbage",
        creds.session_token.expose(),
        &sealed[..sealed.len() - 4],
    ] {
        assert!(
            matches!(
                signer.open_message(bad),
                Err(e) if e.error_code() == ErrorCode::InvalidAuthorizationMessageException
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        signer.open(&sealed, t0()),
        Err(e) if e.error_code() == ErrorCode::InvalidClientTokenId
    ));
    let other = KeyringSigner::new(Keyring::generate().unwrap());
    assert!(other.open_message(&sealed).is_err());
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "keyturn-core-{tag}-{}-{}",
            std::process::id(),
            key_id()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn keyring_file_is_private_and_round_trips() {
    let dir = TempDir::new("file");
    let path = dir.0.join("keys.json");
    let mut ring = Keyring::load_or_create(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let sealed = token::seal(&ring, &key_id(), &rich_claims()).unwrap();
    ring.rotate().unwrap();
    ring.save(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let loaded = Keyring::load_or_create(&path).unwrap();
    assert_eq!(loaded.key_ids(), ring.key_ids());
    assert_eq!(loaded.active_id(), ring.active_id());
    let opened = token::open(&loaded, &sealed.token, t0()).unwrap();
    assert_eq!(opened.secret_access_key, sealed.secret_access_key);
    let acct = account();
    assert_eq!(
        loaded.unique_id(UniqueIdKind::Role, acct, "Admin"),
        ring.unique_id(UniqueIdKind::Role, acct, "Admin"),
        "unique ids survive a reload"
    );
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 1);

    // Key material never shows in Debug or in errors.
    let file = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&file).unwrap();
    let mut secrets: Vec<String> = json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap().to_owned())
        .collect();
    secrets.push(json["id_key"].as_str().unwrap().to_owned());
    let debug = format!("{loaded:?} {:?}", KeyringSigner::new(loaded.clone()));
    for s in &secrets {
        assert!(!debug.contains(s.as_str()), "{debug}");
        assert!(!debug.contains(&hex::encode(STANDARD.decode(s).unwrap())));
    }
    std::fs::write(&path, file.replace("\"version\": 1", "\"version\": 9")).unwrap();
    let err = Keyring::load(&path).unwrap_err();
    std::fs::write(&path, file.replace(&secrets[0], "c2hvcnQ=")).unwrap();
    let err2 = Keyring::load(&path).unwrap_err();
    for e in [err, err2] {
        assert_eq!(e.error_code(), ErrorCode::InternalFailure);
        for s in &secrets {
            assert!(!e.to_string().contains(s.as_str()));
        }
    }
}

#[test]
fn debug_never_shows_secrets() {
    let signer = KeyringSigner::new(Keyring::generate().unwrap());
    let creds = signer.mint(&rich_claims()).unwrap();
    let opened = signer.open(creds.session_token.expose(), t0()).unwrap();
    let secret = creds.secret_access_key.expose().to_owned();
    for d in [
        format!("{creds:?}"),
        format!("{opened:?}"),
        format!("{signer:?}"),
    ] {
        assert!(!d.contains(&secret), "{d}");
        assert!(!d.is_empty());
    }
    assert!(format!("{creds:?}").contains("***"));
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,40}"
}

fn claims_strategy() -> impl Strategy<Value = SessionClaims> {
    (
        (
            text(),
            text(),
            0u64..=999_999_999_999,
            0i64..4_000_000_000,
            1i64..200_000,
        ),
        (
            proptest::option::of(0i64..4_000_000_000),
            proptest::option::of(text()),
            proptest::option::of("\\PC{0,300}"),
        ),
        (
            prop::collection::vec((text(), text()), 0..8),
            prop::collection::vec(text(), 0..4),
            prop::collection::vec(text(), 0..3),
        ),
        (
            any::<bool>(),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
    )
        .prop_map(
            |(
                (name, sess, acct, issued, life),
                (mfa, si, policy),
                (tags, tkeys, arns),
                (chained, caller, orig),
            )| {
                let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).unwrap();
                let mut rs = role_session(&sess);
                rs.account = AccountId::new(acct).unwrap();
                rs.role_name = name;
                let mut c =
                    SessionClaims::new(Principal::AssumedRole(rs), at(issued), at(issued + life));
                c.mfa_authenticated_at = mfa.map(at);
                c.source_identity = si;
                c.session_policy = policy;
                c.tags = tags;
                c.transitive_tag_keys = tkeys;
                c.policy_arns = arns;
                c.role_chained = chained;
                c.caller_arn = caller;
                c.original_caller_arn = orig;
                c
            },
        )
}

proptest! {
    #[test]
    fn random_claims_round_trip(claims in claims_strategy()) {
        let ring = Keyring::generate().unwrap();
        let akid = AccessKeyId::generate(AccessKeyKind::Temporary, claims.account().unwrap()).unwrap();
        let sealed = token::seal(&ring, &akid, &claims).unwrap();
        let opened = token::open(&ring, &sealed.token, claims.issued_at).unwrap();
        prop_assert_eq!(&opened.claims, &claims);
        prop_assert_eq!(opened.access_key_id, akid);
        prop_assert_eq!(opened.secret_access_key, sealed.secret_access_key);
    }

    #[test]
    fn random_bit_flips_of_random_claims_are_rejected(claims in claims_strategy(), bit in any::<prop::sample::Index>()) {
        let ring = Keyring::generate().unwrap();
        let akid = AccessKeyId::generate(AccessKeyKind::Temporary, claims.account().unwrap()).unwrap();
        let sealed = token::seal(&ring, &akid, &claims).unwrap();
        let mut blob = STANDARD.decode(&sealed.token).unwrap();
        let i = bit.index(blob.len() * 8);
        blob[i / 8] ^= 1 << (i % 8);
        let r = token::open(&ring, &STANDARD.encode(&blob), claims.issued_at);
        prop_assert!(matches!(r, Err(e) if e.error_code() == ErrorCode::InvalidClientTokenId));
    }

    #[test]
    fn arbitrary_input_never_panics(s in "\\PC{0,600}") {
        let ring = Keyring::generate().unwrap();
        prop_assert!(token::open(&ring, &s, t0()).is_err());
        prop_assert!(token::open_bytes(&ring, &s).is_none());
    }
}

/// A version-1 token minted by an earlier build under a fixed key: every later build must open it
/// to the same claims and the same secret (the format and the secret derivation are a contract
/// between the nodes of a cluster and across upgrades).
#[test]
fn version_1_golden_token_still_opens() {
    let ring = Keyring::from_keys(vec![(7, [0x42; 32])], 7, [0x24; 32]).unwrap();
    let token = "AQAAAAd0sw8u9DFcrON5ecX5iEtu6Z3Pt85kDD+fxBxaKBm/TR5YPckvU79Ng4U46VOceNHtk2mqIs+1tTExCCS+SnvJ0LNduEYVi46MIN8Y8K4nFkxdHFSsz/LcrUIqbs3FXp9Ec1SEkvClcvjoVqbMTAV08MDzj9konf3mxIeA8u4AIDePN1Dh3mOq7hVafms=";
    let opened = token::open(&ring, token, t0()).unwrap();
    assert_eq!(opened.key_id, 7);
    assert_eq!(opened.access_key_id.as_str(), "ASIARTX3GSDSQEBAGBAF");
    assert_eq!(opened.access_key_id.account().unwrap(), account());
    assert_eq!(
        opened.secret_access_key.expose(),
        "jnkO9EatK8USXl7z2L4vULGpE90V8eQupMEEstSV"
    );
    let mut expected = SessionClaims::new(
        Principal::FederatedUser {
            partition: Partition::Aws,
            account: account(),
            name: "carol".into(),
        },
        t0(),
        t0() + Duration::hours(12),
    );
    expected.tags = vec![("Project".into(), "Keyturn".into())];
    expected.session_policy = Some("{}".into());
    expected.caller_arn = Some("arn:aws:iam::111122223333:user/carol".into());
    assert_eq!(opened.claims, expected);
    assert!(matches!(
        token::open(&ring, token, t0() + Duration::hours(12)),
        Err(e) if e.error_code() == ErrorCode::ExpiredToken
    ));
}

#[test]
fn an_entity_id_is_the_stored_one_when_it_is_of_its_kind_else_derived() {
    let ring = Keyring::generate().unwrap();
    let acct = account();
    let derived = ring.unique_id(UniqueIdKind::Role, acct, "Admin");
    let stored = "AROAJQABLZS4A3QDU576Q";
    assert_eq!(
        ring.entity_id(Some(stored), UniqueIdKind::Role, acct, "Admin")
            .as_str(),
        stored
    );
    for other in [None, Some("AIDAJQABLZS4A3QDU576Q"), Some("AROA-not-an-id")] {
        assert_eq!(
            ring.entity_id(other, UniqueIdKind::Role, acct, "Admin"),
            derived,
            "{other:?}"
        );
    }
}

//! Session tokens: mint (seal + secret derivation + access key id) and open (+ secret
//! derivation) with ~400-byte claims, beside one 12-byte OS random call for scale.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-bench cargo bench -p keyturn-benches --bench token`.
//! Figures and what moved them: `docs/session-tokens.md` (Performance).

#![allow(clippy::unwrap_used, reason = "bench fixtures")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use keyturn_core::arn::Partition;
use keyturn_core::ids::{AccessKeyId, AccessKeyKind, AccountId, UniqueId, rng};
use keyturn_core::keyring::Keyring;
use keyturn_core::principal::{Principal, RoleSession};
use keyturn_core::signer::{CredentialSigner, KeyringSigner};
use keyturn_core::token::{self, SessionClaims};
use keyturn_core::{Clock, SystemClock};
use std::time::Duration;

/// A typical session: role chained, MFA, source identity, three tags, an inline policy, a
/// managed policy ARN; about 400 bytes encoded.
fn claims() -> SessionClaims {
    // The system clock's time, so that the bench needs no `time` dependency of its own.
    let t0 = SystemClock.now();
    let session = RoleSession {
        partition: Partition::Aws,
        account: AccountId::new(111_122_223_333).unwrap(),
        role_path: "/service/".into(),
        role_name: "DeployRole".into(),
        role_id: UniqueId::parse("AROA3XFRBF535PLBIFPI4").unwrap(),
        session_name: "alice@example.com".into(),
    };
    let mut c = SessionClaims::new(
        Principal::AssumedRole(session),
        t0,
        t0 + Duration::from_secs(3600),
    );
    c.mfa_authenticated_at = Some(t0 - Duration::from_secs(300));
    c.source_identity = Some("alice".into());
    c.tags = vec![
        ("Project".into(), "Keyturn".into()),
        ("CostCenter".into(), "1234".into()),
        ("team".into(), "platform".into()),
    ];
    c.transitive_tag_keys = vec!["Project".into()];
    c.session_policy = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#
            .into(),
    );
    c.policy_arns = vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()];
    c.role_chained = true;
    c.caller_arn = Some("arn:aws:sts::111122223333:assumed-role/Base/alice".into());
    c.original_caller_arn = Some("arn:aws:iam::111122223333:user/alice".into());
    c
}

fn bench_token(c: &mut Criterion) {
    let signer = KeyringSigner::new(Keyring::generate().unwrap());
    let ring = signer.keyring();
    let claims = claims();
    let now = claims.issued_at;
    let akid = AccessKeyId::generate(AccessKeyKind::Temporary, claims.account().unwrap()).unwrap();
    let sealed = token::seal(&ring, &akid, &claims).unwrap();

    let mut g = c.benchmark_group("token");
    g.bench_function("mint (signer: key id + seal + secret)", |b| {
        b.iter(|| signer.mint(black_box(&claims)).unwrap())
    });
    g.bench_function("seal (token::seal)", |b| {
        b.iter(|| token::seal(&ring, black_box(&akid), black_box(&claims)).unwrap())
    });
    g.bench_function("open + secret (signer)", |b| {
        b.iter(|| signer.open(black_box(&sealed.token), now).unwrap())
    });
    g.bench_function("open + secret (token::open)", |b| {
        b.iter(|| token::open(&ring, black_box(&sealed.token), now).unwrap())
    });
    g.bench_function("reference: getrandom 12 bytes", |b| {
        b.iter(|| {
            let mut n = [0u8; 12];
            rng::fill_from_os(&mut n).unwrap();
            black_box(n)
        })
    });
    g.bench_function("reference: userspace CSPRNG 12 bytes", |b| {
        b.iter(|| black_box(rng::array::<12>().unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench_token);
criterion_main!(benches);

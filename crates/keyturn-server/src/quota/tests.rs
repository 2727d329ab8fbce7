#![allow(clippy::unwrap_used, reason = "tests")]

use std::time::Duration;

use keyturn_core::ids::{AccessKeyId, AccessKeyKind, AccountId};
use keyturn_core::ops::find;

use super::*;

const A: u64 = 111_122_223_333;
const B: u64 = 444_455_556_666;

fn key(account: u64) -> String {
    AccessKeyId::from_parts(
        AccessKeyKind::LongTerm,
        AccountId::new(account).unwrap(),
        [7; 5],
    )
    .as_str()
    .to_owned()
}

fn auth(account: u64) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential={}/20261207/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00",
        key(account)
    )
}

fn rate(per_second: f64, burst: f64) -> Rate {
    Rate { per_second, burst }
}

/// Takes a token for `action` signed by `account`'s key.
fn take(
    q: &Quotas,
    action: &str,
    account: u64,
    now: Instant,
) -> Result<Option<Taken>, keyturn_core::Error> {
    let body = format!("Action={action}&Version=2011-06-15");
    let params = Params::parse(body.as_bytes()).unwrap();
    let auth = auth(account);
    let headers: [(&str, &[u8]); 1] = [("authorization", auth.as_bytes())];
    q.take(find(action).unwrap(), &params, &headers, now)
}

#[test]
fn the_most_specific_rate_applies() {
    let rules = QuotaRules {
        default: Some(rate(100.0, 100.0)),
        actions: [("AssumeRole".to_owned(), rate(10.0, 10.0))].into(),
        accounts: [(
            B,
            AccountQuota {
                default: Some(rate(5.0, 5.0)),
                actions: [("GetCallerIdentity".to_owned(), rate(1.0, 2.0))].into(),
            },
        )]
        .into(),
    };
    assert_eq!(rules.rate(A, "GetCallerIdentity"), Some(rate(100.0, 100.0)));
    assert_eq!(rules.rate(A, "AssumeRole"), Some(rate(10.0, 10.0)));
    assert_eq!(rules.rate(B, "AssumeRole"), Some(rate(5.0, 5.0)));
    assert_eq!(rules.rate(B, "GetCallerIdentity"), Some(rate(1.0, 2.0)));
    assert_eq!(QuotaRules::default().rate(A, "AssumeRole"), None);
}

#[test]
fn a_bucket_allows_its_burst_then_throttles_then_refills_at_its_rate() {
    let q = Quotas::new(QuotaRules {
        default: Some(rate(2.0, 3.0)),
        ..QuotaRules::default()
    });
    let t0 = Instant::now();
    for _ in 0..3 {
        assert!(take(&q, "GetCallerIdentity", A, t0).unwrap().is_some());
    }
    let e = take(&q, "GetCallerIdentity", A, t0).unwrap_err();
    assert_eq!(
        (e.code(), e.http_status(), e.fault(), e.message()),
        ("Throttling", 400, "Sender", "Rate exceeded")
    );
    // Another action, another account: buckets of their own.
    assert!(take(&q, "GetSessionToken", A, t0).unwrap().is_some());
    assert!(take(&q, "GetCallerIdentity", B, t0).unwrap().is_some());
    // Half a second at 2 a second: one token back, not two.
    let t1 = t0 + Duration::from_millis(500);
    assert!(take(&q, "GetCallerIdentity", A, t1).is_ok());
    assert!(take(&q, "GetCallerIdentity", A, t1).is_err());
    // A long pause refills up to the burst only.
    let t2 = t1 + Duration::from_secs(60);
    for _ in 0..3 {
        assert!(take(&q, "GetCallerIdentity", A, t2).is_ok());
    }
    assert!(take(&q, "GetCallerIdentity", A, t2).is_err());
}

#[test]
fn a_refund_gives_the_token_back() {
    let q = Quotas::new(QuotaRules {
        default: Some(rate(1.0, 1.0)),
        ..QuotaRules::default()
    });
    let now = Instant::now();
    let taken = take(&q, "GetCallerIdentity", A, now).unwrap().unwrap();
    assert!(take(&q, "GetCallerIdentity", A, now).is_err());
    q.refund(taken);
    assert!(take(&q, "GetCallerIdentity", A, now).unwrap().is_some());
}

#[test]
fn no_rule_or_no_account_is_not_counted() {
    let limited = Quotas::new(QuotaRules {
        actions: [("AssumeRole".to_owned(), rate(1.0, 1.0))].into(),
        ..QuotaRules::default()
    });
    let now = Instant::now();
    for _ in 0..5 {
        assert!(
            take(&limited, "GetCallerIdentity", A, now)
                .unwrap()
                .is_none()
        );
    }
    let params = Params::parse(b"Action=AssumeRole&Version=2011-06-15").unwrap();
    let op = find("AssumeRole").unwrap();
    for headers in [
        vec![],
        vec![(
            "authorization",
            b"AWS4-HMAC-SHA256 Credential=nonsense/x".as_slice(),
        )],
        vec![("authorization", b"\xff\xfe".as_slice())],
    ] {
        for _ in 0..3 {
            assert!(limited.take(op, &params, &headers, now).unwrap().is_none());
        }
    }
}

#[test]
fn the_account_comes_from_the_key_id_the_presigned_credential_or_the_role_arn() {
    let op = find("GetCallerIdentity").unwrap();
    let auth = auth(A);
    let signed: [(&str, &[u8]); 1] = [("Authorization", auth.as_bytes())];
    let params = Params::parse(b"Action=GetCallerIdentity&Version=2011-06-15").unwrap();
    assert_eq!(account_of(op, &params, &signed), Some(A));
    let presigned = format!(
        "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Credential={}%2F20261207%2Fus-east-1%2Fsts%2Faws4_request",
        key(B)
    );
    let params = Params::parse(presigned.as_bytes()).unwrap();
    assert_eq!(account_of(op, &params, &[]), Some(B));
    let web = find("AssumeRoleWithWebIdentity").unwrap();
    let params = Params::parse(
        b"Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fr",
    )
    .unwrap();
    // An unsigned action: the role's account, whatever headers come with it.
    assert_eq!(account_of(web, &params, &signed), Some(B));
    let params = Params::parse(
        b"Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3Ax%3Arole%2Fr",
    )
    .unwrap();
    assert_eq!(account_of(web, &params, &[]), None);
}

#[test]
fn a_shard_full_of_busy_buckets_throttles_newcomers_and_drops_idle_ones() {
    let q = Quotas::new(QuotaRules {
        default: Some(rate(1.0, 1.0)),
        ..QuotaRules::default()
    });
    let now = Instant::now();
    // Fill one shard with busy (empty) buckets.
    let shard_of =
        |account: u64| q.shard(&(account, find("GetCallerIdentity").unwrap().action())) as *const _;
    let target = shard_of(1);
    let mut accounts = (1..).filter(|&a| shard_of(a) == target);
    for _ in 0..MAX_BUCKETS_PER_SHARD {
        let a = accounts.next().unwrap();
        assert!(take(&q, "GetCallerIdentity", a, now).unwrap().is_some());
    }
    let newcomer = accounts.next().unwrap();
    assert!(take(&q, "GetCallerIdentity", newcomer, now).is_err());
    // A second later every bucket has refilled: idle ones make room.
    let later = now + Duration::from_secs(1);
    assert!(
        take(&q, "GetCallerIdentity", newcomer, later)
            .unwrap()
            .is_some()
    );
    let action = find("GetCallerIdentity").unwrap().action();
    assert_eq!(q.shard(&(newcomer, action)).lock().unwrap().len(), 1);
}

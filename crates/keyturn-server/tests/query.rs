//! The Query decoder on its own: never a panic, whatever the bytes.
#![allow(clippy::unwrap_used, reason = "tests")]

use keyturn_server::query::{self, Params};
use proptest::prelude::*;

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(p) = Params::parse(&raw) {
            let _ = query::decode(&p);
        }
    }

    #[test]
    fn arbitrary_members_never_panic(
        action in prop::sample::select(vec!["AssumeRole", "GetWebIdentityToken", "SimulatePrincipalPolicy", "GetFederationToken"]),
        keys in proptest::collection::vec("(Tags|Audience|ActionNames|ContextEntries|PolicyArns)\\.member\\.[0-9]{1,11}(\\.(Key|Value|arn|ContextKeyValues\\.member\\.[0-9]{1,3}))?", 0..8),
        value in "[a-z%+]{0,6}",
    ) {
        let mut s = format!("Action={action}&Version=2011-06-15&RoleArn=arn:aws:iam::1:role/r&RoleSessionName=s1&Name=n1");
        for k in &keys {
            s.push_str(&format!("&{k}={value}"));
        }
        if let Ok(p) = Params::parse(s.as_bytes()) {
            let _ = query::decode(&p);
        }
    }
}

#[test]
fn plus_and_escapes_decode() {
    let p = Params::parse(b"A=a+b%20c%2B&B&=x&&C=%E2%9C%93").unwrap();
    assert_eq!(p.get("A"), Some("a b c+"));
    assert_eq!(p.get("B"), Some(""));
    assert_eq!(p.get(""), Some("x"));
    assert_eq!(p.get("C"), Some("\u{2713}"));
    assert!(Params::parse(b"A=%4").is_err());
    assert!(Params::parse(b"A=1&A=2").is_err());
}

#[test]
fn list_order_follows_the_index_not_the_text() {
    let mut s =
        String::from("Action=GetWebIdentityToken&Version=2011-06-15&SigningAlgorithm=RS256");
    for i in [10, 2, 1] {
        s.push_str(&format!("&Audience.member.{i}=a{i}"));
    }
    let p = Params::parse(s.as_bytes()).unwrap();
    let (_, req) = query::decode(&p).unwrap();
    let keyturn_core::sts::ApiRequest::GetWebIdentityToken(r) = req else {
        unreachable!()
    };
    assert_eq!(r.audience, vec!["a1", "a2", "a10"]);
}

//! The Query decoder on its own (ported from keyturn-server's tests): never a panic, whatever
//! the bytes; the parser agrees with the plain rules; few and many parameters decode alike.

use keyturn_api::{ApiError, Input, Params, iam, sts};
use proptest::prelude::*;

/// Decodes one request of the actions these tests use, as the server dispatches.
fn decode(p: &Params<'_>) -> Result<String, ApiError> {
    let (action, _) = keyturn_api::action(p)?;
    Ok(match action {
        "AssumeRole" => format!("{:?}", sts::AssumeRoleRequest::from_query(p)?),
        "GetWebIdentityToken" => format!("{:?}", sts::GetWebIdentityTokenRequest::from_query(p)?),
        "GetFederationToken" => format!("{:?}", sts::GetFederationTokenRequest::from_query(p)?),
        "GetSessionToken" => format!("{:?}", sts::GetSessionTokenRequest::from_query(p)?),
        "SimulatePrincipalPolicy" => {
            format!("{:?}", iam::SimulatePrincipalPolicyRequest::from_query(p)?)
        }
        other => other.to_owned(),
    })
}

/// The `Version` of `action` (the IAM simulation actions are IAM's).
fn version(action: &str) -> &'static str {
    if action.starts_with("Simulate") {
        "2010-05-08"
    } else {
        "2011-06-15"
    }
}

mod query {
    pub(crate) use super::decode;
}

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
        let version = version(action);
        let mut s = format!("Action={action}&Version={version}&RoleArn=arn:aws:iam::1:role/r&RoleSessionName=s1&Name=n1");
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
    let r = sts::GetWebIdentityTokenRequest::from_query(&p).unwrap();
    assert_eq!(r.audience, vec!["a1", "a2", "a10"]);
}

/// The decoding rules written plainly, for comparison: split on `&`, the first `=` splits a
/// pair, `+` is a space, `%XX` a byte, the result UTF-8; a name given twice is an error.
fn reference(raw: &[u8]) -> Option<Vec<(String, String)>> {
    fn decode(piece: &[u8]) -> Option<String> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < piece.len() {
            match piece[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = std::str::from_utf8(piece.get(i + 1..i + 3)?).ok()?;
                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    out.push(u8::from_str_radix(hex, 16).ok()?);
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).ok()
    }
    std::str::from_utf8(raw).ok()?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in raw.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let eq = part.iter().position(|&b| b == b'=').unwrap_or(part.len());
        let name = decode(&part[..eq])?;
        let value = decode(part.get(eq + 1..).unwrap_or_default())?;
        if pairs.iter().any(|(n, _)| *n == name) {
            return None;
        }
        pairs.push((name, value));
    }
    Some(pairs)
}

/// `body` with `extra` unknown parameters appended (more than 16 in all: the sorted layout).
fn padded(body: &str, extra: usize) -> String {
    let mut s = body.to_owned();
    for i in 0..extra {
        s.push_str(&format!("&Zz{i}=pad"));
    }
    s
}

proptest! {
    #[test]
    fn parse_agrees_with_the_plain_rules(
        parts in proptest::collection::vec(
            "(Action|Version|RoleArn|A|B|a\\.b|Tags\\.member\\.[0-3]\\.Key|%41|A%2|\\+|)(=([a-zA-Z0-9:/=%+&.-]|%[0-9a-fA-F]{2}|%E2%9C%93|é){0,5})?",
            0..24,
        ),
    ) {
        let body = parts.join("&");
        let got = Params::parse(body.as_bytes());
        let want = reference(body.as_bytes());
        prop_assert_eq!(got.is_ok(), want.is_some(), "{}", body);
        if let (Ok(p), Some(pairs)) = (got, want) {
            for (name, value) in &pairs {
                prop_assert_eq!(p.get(name), Some(value.as_str()), "{}", body);
            }
            let mut sorted = pairs.clone();
            sorted.sort();
            let listed: Vec<(String, String)> =
                p.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
            prop_assert_eq!(listed, sorted);
            prop_assert_eq!(p.get("NotThere"), None);
        }
    }

    #[test]
    fn few_and_many_parameters_decode_alike(
        action in prop::sample::select(vec!["AssumeRole", "GetWebIdentityToken", "SimulatePrincipalPolicy", "GetFederationToken", "GetSessionToken"]),
        keys in proptest::collection::vec("(Tags|Audience|ActionNames|ContextEntries|PolicyArns|TransitiveTagKeys)\\.member\\.0?[0-9]{1,2}(\\.(Key|Value|arn|ContextKeyName|ContextKeyValues\\.member\\.[0-9]))?|DurationSeconds|ExternalId|Policy", 0..10),
        values in proptest::collection::vec("[a-z0-9%+]{0,4}", 10),
    ) {
        let version = version(action);
        let mut body = format!("Action={action}&Version={version}&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s1&Name=n1&SigningAlgorithm=RS256&PolicySourceArn=arn:aws:iam::111111111111:user/u");
        for (k, v) in keys.iter().zip(&values) {
            body.push_str(&format!("&{k}={v}"));
        }
        let few = Params::parse(body.as_bytes());
        let many_body = padded(&body, 20);
        let many = Params::parse(many_body.as_bytes());
        prop_assert_eq!(few.is_ok(), many.is_ok());
        if let (Ok(few), Ok(many)) = (few, many) {
            let a = format!("{:?}", query::decode(&few));
            let b = format!("{:?}", query::decode(&many));
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn duplicates_are_refused_in_either_layout() {
    for extra in [0, 30] {
        assert!(Params::parse(padded("A=1&B=2&A=3", extra).as_bytes()).is_err());
        // Equal once decoded.
        assert!(Params::parse(padded("A=1&%41=2", extra).as_bytes()).is_err());
        let body = padded("A=1&a=2&A.b=3", extra);
        let p = Params::parse(body.as_bytes()).unwrap();
        assert_eq!(
            (p.get("A"), p.get("a"), p.get("A.b")),
            (Some("1"), Some("2"), Some("3"))
        );
    }
}

#[test]
fn raw_text_must_be_utf8_but_escapes_may_encode_it() {
    assert!(Params::parse(b"A=\xe2\x9c\x93").is_ok());
    assert!(Params::parse(b"A=%E2%9C%93").is_ok());
    assert!(Params::parse(b"A=\xff").is_err());
    assert!(Params::parse(b"A=%FF").is_err());
    assert!(Params::parse(b"A=%E2\x9c\x93").is_err());
    assert!(Params::parse(b"A=%").is_err() && Params::parse(b"A=%4").is_err());
    assert!(Params::parse(b"A=%G1").is_err() && Params::parse(b"%zz=1").is_err());
    let p = Params::parse(b"A=x=y&=v&B").unwrap();
    assert_eq!(
        (p.get("A"), p.get(""), p.get("B")),
        (Some("x=y"), Some("v"), Some(""))
    );
}

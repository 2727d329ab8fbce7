//! Property tests: no panic on hostile input; sign-then-verify round trips.

#![allow(clippy::panic, reason = "test helpers fail loudly, with the case name")]

#[path = "support/suite.rs"]
mod support;

use keyturn_sigv4::{
    AmzDate, Credentials, HttpRequest, SignatureAlgorithm, SignatureLocation, SigningKeyCache,
    SigningParams, SigningSettings, Verifier, VerifierConfig, sign,
};
use proptest::prelude::*;
use support::OneKey;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn at() -> AmzDate {
    AmzDate::from_unix(1_440_938_160)
}

fn lookup(token: Option<String>) -> OneKey {
    OneKey {
        access_key_id: AKID.into(),
        secret: SECRET.into(),
        token,
    }
}

fn verifier(settings: SigningSettings) -> Verifier {
    let mut c = VerifierConfig::new("sts").with_region("us-east-1");
    c.settings = settings;
    Verifier::with_cache(c, SigningKeyCache::new(4))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_authorization_never_panics(auth in ".{0,300}", date in prop::option::of("[0-9TZ]{0,17}")) {
        let mut headers: Vec<(&str, &[u8])> = vec![("host", b"sts.amazonaws.com"), ("authorization", auth.as_bytes())];
        if let Some(d) = &date {
            headers.push(("x-amz-date", d.as_bytes()));
        }
        let r = HttpRequest { method: "POST", path: "/", query: "", headers: &headers, body: b"x" };
        let now = at().to_offset_date_time().unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        prop_assert!(verifier(SigningSettings::default()).verify(&r, &lookup(None), now).is_err());
    }

    #[test]
    fn structured_authorization_never_panics(
        cred in "[A-Za-z0-9/%]{0,60}",
        signed in "[a-z;:A-Z-]{0,40}",
        sig in "[0-9a-fA-FxX]{0,160}",
        algorithm in prop::sample::select(vec!["AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"]),
        region_set in "[a-z*, -]{0,20}",
    ) {
        let auth = format!("{algorithm} Credential={cred}, SignedHeaders={signed}, Signature={sig}");
        let headers: Vec<(&str, &[u8])> = vec![
            ("host", b"h"),
            ("authorization", auth.as_bytes()),
            ("x-amz-date", b"20150830T123600Z"),
            ("x-amz-region-set", region_set.as_bytes()),
        ];
        let r = HttpRequest { method: "GET", path: "/", query: "", headers: &headers, body: b"" };
        let now = at().to_offset_date_time().unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        prop_assert!(verifier(SigningSettings::default()).verify(&r, &lookup(None), now).is_err());
    }

    #[test]
    fn arbitrary_query_and_path_never_panic(query in ".{0,300}", path in ".{0,100}", bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let q = format!("X-Amz-Algorithm=AWS4-HMAC-SHA256&{query}");
        let headers: Vec<(&str, &[u8])> = vec![("host", b"h"), ("x-odd", &bytes)];
        for qq in [q.as_str(), query.as_str()] {
            let r = HttpRequest { method: "GET", path: &path, query: qq, headers: &headers, body: &bytes };
            let now = at().to_offset_date_time().unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
            prop_assert!(verifier(SigningSettings::s3()).verify(&r, &lookup(None), now).is_err());
        }
    }

    #[test]
    fn sign_then_verify(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
        path in "/[a-zA-Z0-9 ./_~%-]{0,40}",
        params in prop::collection::vec(("[a-zA-Z0-9_.~ -]{1,8}", "[a-zA-Z0-9_.~ /+=-]{0,8}"), 0..5),
        extra in prop::collection::vec(("x-[a-z]{1,6}", "[ -~]{0,20}"), 0..4),
        body in prop::collection::vec(any::<u8>(), 0..100),
        token in prop::option::of("[A-Za-z0-9/+=]{1,40}"),
        query_mode in any::<bool>(),
        s3 in any::<bool>(),
        skew in -899i64..899,
        // SigV4a under region sets that include the verifier's region (`us-east-1`).
        v4a in prop::option::of(prop::sample::select(vec!["us-east-1", "*", "eu-west-1,us-*", "US-EAST-1"])),
    ) {
        let query: String = params
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut headers: Vec<(String, Vec<u8>)> = vec![("Host".into(), b"sts.amazonaws.com".to_vec())];
        headers.extend(extra.iter().map(|(n, v)| (n.clone(), v.as_bytes().to_vec())));
        let mut creds = Credentials::new(AKID, SECRET);
        if let Some(t) = &token {
            creds = creds.with_session_token(t.clone());
        }
        let settings = if s3 { SigningSettings::s3() } else { SigningSettings::default() };
        let mut p = SigningParams::new(&creds, v4a.unwrap_or("us-east-1"), "sts", at());
        p.settings = settings;
        if v4a.is_some() {
            p.algorithm = SignatureAlgorithm::EcdsaP256Sha256;
        }
        if query_mode {
            p.location = SignatureLocation::Query { expires_in: 900 };
        }
        let refs: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
        let unsigned = HttpRequest { method, path: &path, query: &query, headers: &refs, body: &body };
        let out = sign(&unsigned, &p);
        prop_assert!(out.is_ok(), "{:?}", out);
        let Ok(out) = out else { return Ok(()) };
        headers.extend(out.headers.into_iter().map(|(n, v)| (n.to_owned(), v.into_bytes())));
        let refs: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
        let signed = HttpRequest { method, path: &path, query: &out.query, headers: &refs, body: &body };
        let now = at().plus(skew).to_offset_date_time().unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let v = verifier(settings).verify(&signed, &lookup(token.clone()), now);
        prop_assert!(v.is_ok(), "{:?}", v.err());
        if let Ok(v) = v {
            prop_assert_eq!(v.session_token.as_deref(), token.as_deref());
            prop_assert_eq!(v.presigned, query_mode);
            prop_assert_eq!(v.region_set.as_deref(), v4a);
            prop_assert_eq!(&*v.region, "us-east-1");
        }
        // One flipped body byte breaks it.
        if !body.is_empty() {
            let mut b2 = body.clone();
            b2[0] ^= 0x80;
            let tampered = HttpRequest { body: &b2, ..signed };
            prop_assert!(verifier(settings).verify(&tampered, &lookup(token.clone()), now).is_err());
        }
    }
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

//! Verification failures: tampering, clock skew, scope, presign expiry, malformed input.

#![allow(clippy::panic, reason = "test helpers fail loudly, with the case name")]

#[path = "support/suite.rs"]
mod support;

use keyturn_sigv4::{
    AmzDate, CredentialLookup, Credentials, HttpRequest, Regions, SIGNATURE_MISMATCH_MESSAGE,
    SigV4Error, SignatureAlgorithm, SignatureLocation, SigningKeyCache, SigningParams,
    SigningSecret, Verifier, VerifierConfig, VerifyError, sign,
};
use support::{LookupError, OneKey};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const BODY: &[u8] = b"Action=GetCallerIdentity&Version=2011-06-15";

fn t(s: &str) -> AmzDate {
    AmzDate::parse(s).unwrap_or_else(|| panic!("{s}"))
}

fn now(s: &str) -> time::OffsetDateTime {
    t(s).to_offset_date_time().unwrap_or_else(|| panic!("{s}"))
}

/// An owned request that tests can tamper with.
#[derive(Clone)]
struct Req {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Req {
    fn sts() -> Self {
        Self {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            headers: vec![
                (
                    "Content-Type".into(),
                    b"application/x-www-form-urlencoded; charset=utf-8".to_vec(),
                ),
                ("Host".into(), b"sts.us-east-1.amazonaws.com".to_vec()),
            ],
            body: BODY.to_vec(),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&HttpRequest<'_>) -> R) -> R {
        let h: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        f(&HttpRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &h,
            body: &self.body,
        })
    }

    fn signed(self, creds: &Credentials, at: &str, location: SignatureLocation) -> Self {
        self.signed_for(creds, at, location, None)
    }

    /// Signed with SigV4a for `region_set` when it is given, else with SigV4 for `us-east-1`.
    fn signed_for(
        mut self,
        creds: &Credentials,
        at: &str,
        location: SignatureLocation,
        region_set: Option<&str>,
    ) -> Self {
        let out = self.with(|r| {
            let mut p = SigningParams::new(creds, region_set.unwrap_or("us-east-1"), "sts", t(at));
            p.location = location;
            if region_set.is_some() {
                p.algorithm = SignatureAlgorithm::EcdsaP256Sha256;
            }
            sign(r, &p)
        });
        let out = out.unwrap_or_else(|e| panic!("{e}"));
        self.headers.extend(
            out.headers
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v.into_bytes())),
        );
        self.query = out.query;
        self
    }

    /// Replaces the first `from` in the query string with `to`.
    fn replace_in_query(&mut self, from: &str, to: &str) {
        self.query = self.query.replacen(from, to, 1);
    }

    fn header_mut(&mut self, name: &str) -> &mut Vec<u8> {
        let i = self
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap_or_else(|| panic!("{name}"));
        &mut self.headers[i].1
    }
}

fn creds() -> Credentials {
    Credentials::new(AKID, SECRET)
}

fn lookup() -> OneKey {
    OneKey {
        access_key_id: AKID.into(),
        secret: SECRET.into(),
        token: None,
    }
}

fn verifier() -> Verifier {
    Verifier::new(VerifierConfig::new("sts").with_region("us-east-1"))
}

fn verify(req: &Req, at: &str) -> Result<(), VerifyError<LookupError>> {
    verify_with(&verifier(), req, at)
}

fn verify_with(v: &Verifier, req: &Req, at: &str) -> Result<(), VerifyError<LookupError>> {
    req.with(|r| v.verify(r, &lookup(), now(at)).map(|_| ()))
}

fn sigv4_err(r: Result<(), VerifyError<LookupError>>) -> SigV4Error {
    match r {
        Err(VerifyError::SigV4(e)) => e,
        other => panic!("expected a SigV4 error, got {other:?}"),
    }
}

const AT: &str = "20150830T123600Z";

fn header_signed() -> Req {
    Req::sts().signed(&creds(), AT, SignatureLocation::Headers)
}

/// The verifier's error for the header-signed request with header `name` set to `value`.
fn with_header(name: &str, value: &[u8]) -> SigV4Error {
    let mut r = header_signed();
    *r.header_mut(name) = value.to_vec();
    sigv4_err(verify(&r, AT))
}

fn query_signed(expires_in: u64) -> Req {
    Req::sts().signed(&creds(), AT, SignatureLocation::Query { expires_in })
}

#[test]
fn round_trip_header_and_query() {
    assert!(verify(&header_signed(), AT).is_ok());
    assert!(verify(&query_signed(900), AT).is_ok());
}

#[test]
fn tampered_body_header_signature() {
    let mut r = header_signed();
    r.body[0] ^= 1;
    let e = sigv4_err(verify(&r, AT));
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        ("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE)
    );

    let mut r = header_signed();
    r.header_mut("content-type")[0] ^= 1;
    assert_eq!(sigv4_err(verify(&r, AT)), SigV4Error::SignatureMismatch);

    let mut r = header_signed();
    let auth = r.header_mut("authorization");
    let last = auth.len() - 1;
    auth[last] = if auth[last] == b'0' { b'1' } else { b'0' };
    assert_eq!(sigv4_err(verify(&r, AT)), SigV4Error::SignatureMismatch);

    let mut r = query_signed(900);
    r.replace_in_query("X-Amz-Expires=900", "X-Amz-Expires=901");
    assert_eq!(sigv4_err(verify(&r, AT)), SigV4Error::SignatureMismatch);
}

#[test]
fn clock_skew_messages() {
    let r = header_signed();
    assert!(verify(&r, "20150830T125100Z").is_ok());
    assert!(verify(&r, "20150830T122100Z").is_ok());
    let e = sigv4_err(verify(&r, "20150830T130100Z"));
    assert_eq!(e.code(), "SignatureDoesNotMatch");
    assert_eq!(
        e.to_string(),
        "Signature expired: 20150830T123600Z is now earlier than 20150830T124600Z (20150830T130100Z - 15 min.)"
    );
    let e = sigv4_err(verify(&r, "20150830T122000Z"));
    assert_eq!(e.code(), "SignatureDoesNotMatch");
    assert_eq!(
        e.to_string(),
        "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)"
    );
    // ±16 minutes.
    assert!(matches!(
        sigv4_err(verify(&r, "20150830T125200Z")),
        SigV4Error::SignatureExpired { .. }
    ));
    assert!(matches!(
        sigv4_err(verify(&r, "20150830T122000Z")),
        SigV4Error::SignatureNotYetCurrent { .. }
    ));
}

#[test]
fn scope_checks() {
    let r = header_signed();
    let e = sigv4_err(verify_with(
        &Verifier::new(VerifierConfig::new("sts").with_region("eu-west-1")),
        &r,
        AT,
    ));
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        (
            "SignatureDoesNotMatch",
            "Credential should be scoped to a valid region. "
        )
    );
    // A listed region, a region the predicate accepts, or anything (the default).
    let aws = |r: &str| r.starts_with("us-");
    for regions in [
        Regions::Listed(vec!["eu-west-1".into(), "us-east-1".into()]),
        Regions::Matching(aws, Vec::new()),
        Regions::Matching(|_| false, vec!["us-east-1".into()]),
        Regions::Any,
    ] {
        let v = Verifier::new(VerifierConfig::new("sts").with_regions(regions.clone()));
        assert!(verify_with(&v, &r, AT).is_ok(), "{regions:?}");
    }
    for regions in [
        Regions::Listed(vec!["eu-west-1".into()]),
        Regions::Matching(|r| r.starts_with("eu-"), vec!["eu-central-1".into()]),
    ] {
        let v = Verifier::new(VerifierConfig::new("sts").with_regions(regions.clone()));
        let e = sigv4_err(verify_with(&v, &r, AT));
        assert_eq!(e.code(), "SignatureDoesNotMatch", "{regions:?}");
    }
    let e = sigv4_err(verify_with(
        &Verifier::new(VerifierConfig::new("iam")),
        &r,
        AT,
    ));
    assert_eq!(
        e.to_string(),
        "Credential should be scoped to correct service: 'iam'. "
    );

    let mut r2 = r.clone();
    let a =
        String::from_utf8_lossy(r2.header_mut("authorization")).replace("/20150830/", "/20150831/");
    *r2.header_mut("authorization") = a.into_bytes();
    let e = sigv4_err(verify(&r2, AT));
    assert_eq!(
        e.to_string(),
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'."
    );

    let mut r3 = r.clone();
    let a = String::from_utf8_lossy(r3.header_mut("authorization"))
        .replace("aws4_request", "aws5_request");
    *r3.header_mut("authorization") = a.into_bytes();
    assert_eq!(
        sigv4_err(verify(&r3, AT)).to_string(),
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "
    );

    let mut r4 = r.clone();
    let a = String::from_utf8_lossy(r4.header_mut("authorization"))
        .replace("Credential=AKIDEXAMPLE/", "Credential=");
    *r4.header_mut("authorization") = a.into_bytes();
    assert_eq!(sigv4_err(verify(&r4, AT)).code(), "IncompleteSignature");
}

#[test]
fn host_must_be_signed() {
    let mut unsigned = Req::sts();
    unsigned.headers.retain(|(n, _)| n != "Host");
    let r = unsigned.signed(&creds(), AT, SignatureLocation::Headers);
    let e = sigv4_err(verify(&r, AT));
    assert_eq!(e, SigV4Error::HostNotSigned);
    assert_eq!(e.code(), "SignatureDoesNotMatch");
}

#[test]
fn presign_expiry() {
    let r = query_signed(60);
    assert!(verify(&r, "20150830T123700Z").is_ok());
    let e = sigv4_err(verify(&r, "20150830T123701Z"));
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        ("RequestExpired", "Request has expired.")
    );
    // A presigned URL may be used after the 15-minute window, until it expires.
    assert!(verify(&query_signed(604_800), "20150905T123600Z").is_ok());
    assert_eq!(
        sigv4_err(verify(&query_signed(604_800), "20150906T123601Z")),
        SigV4Error::RequestExpired
    );

    let too_long = Req::sts().with(|r| {
        let c = creds();
        let mut p = SigningParams::new(&c, "us-east-1", "sts", t(AT));
        p.location = SignatureLocation::Query {
            expires_in: 604_801,
        };
        sign(r, &p).err()
    });
    assert_eq!(too_long, Some(SigV4Error::ExpiresTooLarge));
    // Outside 1..=604800, each with its code and text; zero expired when it was signed, so it
    // is refused at the very second of its date (issue 16).
    let expiries = [
        (
            "604801",
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        ),
        (
            "-5",
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be non-negative",
        ),
        (
            "5x",
            "AuthorizationQueryParametersError",
            "X-Amz-Expires should be a number",
        ),
        ("0", "RequestExpired", "Request has expired."),
    ];
    for (expires, code, text) in expiries {
        let mut r = query_signed(60);
        r.replace_in_query("X-Amz-Expires=60", &format!("X-Amz-Expires={expires}"));
        let e = sigv4_err(verify(&r, AT));
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            (code, text),
            "{expires}"
        );
    }
}

#[test]
fn missing_and_garbled_authentication() {
    let e = sigv4_err(verify(&Req::sts(), AT));
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        (
            "MissingAuthenticationToken",
            "Request is missing Authentication Token"
        )
    );

    let mut r = Req::sts();
    r.headers.push((
        "Authorization".into(),
        b"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00".to_vec(),
    ));
    r.headers
        .push(("X-Amz-Date".into(), AT.as_bytes().to_vec()));
    let e = sigv4_err(verify(&r, AT));
    assert_eq!(e.code(), "IncompleteSignature");
    assert_eq!(
        e.to_string(),
        "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00"
    );

    let mut r = header_signed();
    r.headers.retain(|(n, _)| n != "X-Amz-Date");
    assert!(
        sigv4_err(verify(&r, AT))
            .to_string()
            .contains("requires existence of either a 'X-Amz-Date' or a 'Date' header")
    );

    let mut both = header_signed();
    both.query = query_signed(60).query;
    assert_eq!(
        sigv4_err(verify(&both, AT)),
        SigV4Error::AmbiguousAuthentication
    );

    let mut q = query_signed(60);
    q.query = q.query.replace("X-Amz-Credential", "X-Amz-Cred");
    assert_eq!(
        sigv4_err(verify(&q, AT)),
        SigV4Error::MissingQueryParameter("X-Amz-Credential")
    );

    let mut bad_date = header_signed();
    *bad_date.header_mut("x-amz-date") = b"2015-08-30T12:36:00Z".to_vec();
    assert_eq!(
        sigv4_err(verify(&bad_date, AT)).code(),
        "IncompleteSignature"
    );
}

#[test]
fn unknown_key_is_the_lookups_error() {
    let r = Req::sts().signed(
        &Credentials::new("AKIDOTHER", SECRET),
        AT,
        SignatureLocation::Headers,
    );
    assert!(matches!(
        verify(&r, AT),
        Err(VerifyError::Lookup(LookupError::UnknownKey))
    ));
    assert_eq!(SigV4Error::UnknownAccessKey.code(), "InvalidClientTokenId");
    assert_eq!(
        SigV4Error::UnknownAccessKey.to_string(),
        "The security token included in the request is invalid."
    );
}

#[test]
fn duplicates_and_bad_bytes() {
    let mut r = header_signed();
    r.headers
        .push(("x-amz-date".into(), AT.as_bytes().to_vec()));
    assert!(matches!(
        sigv4_err(verify(&r, AT)),
        SigV4Error::DuplicateAuthParameter(_)
    ));

    let mut q = query_signed(60);
    q.query.push_str("&X-Amz-Signature=00");
    assert!(matches!(
        sigv4_err(verify(&q, AT)),
        SigV4Error::DuplicateAuthParameter(_)
    ));

    assert_eq!(
        with_header("authorization", b"AWS4-HMAC-SHA256 \x01").code(),
        "IncompleteSignature"
    );
    // Not UTF-8, too long, not UTF-8 in the authorization, a control character.
    let bad: [(&str, &[u8]); 4] = [
        ("content-type", &[0xff, 0xfe]),
        ("content-type", &[b'a'; 20_000]),
        ("authorization", &[b'A', 0xc3]),
        ("content-type", b"a\x01b"),
    ];
    for (name, value) in bad {
        let e = with_header(name, value);
        assert!(matches!(e, SigV4Error::InvalidHeader(_)), "{name}: {e:?}");
    }
}

#[test]
fn content_sha256() {
    let mut base = Req::sts();
    base.headers
        .push(("X-Amz-Content-Sha256".into(), b"UNSIGNED-PAYLOAD".to_vec()));
    let r = base.signed(&creds(), AT, SignatureLocation::Headers);
    assert_eq!(sigv4_err(verify(&r, AT)), SigV4Error::InvalidContentSha256);
    let mut cfg = VerifierConfig::new("sts");
    cfg.allow_unsigned_payload = true;
    // The signer hashes the body, so the UNSIGNED-PAYLOAD header makes the signatures differ:
    // acceptance of the header is checked, then the signature is what decides.
    assert_eq!(
        sigv4_err(verify_with(&Verifier::new(cfg), &r, AT)),
        SigV4Error::SignatureMismatch
    );

    let mut wrong = Req::sts();
    wrong
        .headers
        .push(("X-Amz-Content-Sha256".into(), [b'0'; 64].to_vec()));
    let r = wrong.signed(&creds(), AT, SignatureLocation::Headers);
    let e = sigv4_err(verify(&r, AT));
    assert_eq!(e.code(), "XAmzContentSHA256Mismatch");
}

#[test]
fn session_token_reaches_lookup() {
    let c = creds().with_session_token("TOKEN/+=");
    let lk = OneKey {
        access_key_id: AKID.into(),
        secret: SECRET.into(),
        token: Some("TOKEN/+=".into()),
    };
    for loc in [
        SignatureLocation::Headers,
        SignatureLocation::Query { expires_in: 60 },
    ] {
        let r = Req::sts().signed(&c, AT, loc);
        let v = r.with(|x| {
            verifier()
                .verify(x, &lk, now(AT))
                .map(|v| v.session_token.map(|t| t.into_owned()))
        });
        assert_eq!(v.ok().flatten().as_deref(), Some("TOKEN/+="));
        let wrong = OneKey {
            token: Some("OTHER".into()),
            ..lk.clone_like()
        };
        assert!(matches!(
            r.with(|x| verifier().verify(x, &wrong, now(AT)).map(|_| ())),
            Err(VerifyError::Lookup(LookupError::BadToken))
        ));
    }
}

trait CloneLike {
    fn clone_like(&self) -> Self;
}

impl CloneLike for OneKey {
    fn clone_like(&self) -> Self {
        OneKey {
            access_key_id: self.access_key_id.clone(),
            secret: self.secret.clone(),
            token: self.token.clone(),
        }
    }
}

/// A lookup whose secret can change, to test that the cache never serves a stale key.
struct Rotating(std::sync::Mutex<String>);

impl CredentialLookup for Rotating {
    type Error = ();
    type Identity = ();
    fn lookup(&self, _: &str, _: Option<&str>) -> Result<(SigningSecret, ()), ()> {
        let s = self.0.lock().map_err(|_| ())?;
        Ok((SigningSecret::new(s.as_bytes()), ()))
    }
}

#[test]
fn cache_rechecks_the_secret() {
    let v = Verifier::with_cache(VerifierConfig::new("sts"), SigningKeyCache::new(16));
    let lk = Rotating(std::sync::Mutex::new(SECRET.into()));
    let old = header_signed();
    assert!(old.with(|r| v.verify(r, &lk, now(AT)).is_ok()));
    assert_eq!(v.cache().map(SigningKeyCache::len), Some(1));
    if let Ok(mut s) = lk.0.lock() {
        *s = "rotated".into();
    }
    // Old signature must now fail even though a key for the scope is cached...
    assert!(matches!(
        old.with(|r| v.verify(r, &lk, now(AT)).map(|_| ())),
        Err(VerifyError::SigV4(SigV4Error::SignatureMismatch))
    ));
    // ...and a request signed with the new secret passes.
    let new = Req::sts().signed(
        &Credentials::new(AKID, "rotated"),
        AT,
        SignatureLocation::Headers,
    );
    assert!(new.with(|r| v.verify(r, &lk, now(AT)).is_ok()));
}

#[test]
fn error_codes_are_awss() {
    let allowed = [
        "MissingAuthenticationToken",
        "IncompleteSignature",
        "SignatureDoesNotMatch",
        "RequestExpired",
        "AuthorizationQueryParametersError",
        "XAmzContentSHA256Mismatch",
        "InvalidArgument",
        "InvalidRequest",
        "InvalidClientTokenId",
    ];
    let samples = [
        SigV4Error::MissingAuthentication,
        SigV4Error::SignatureMismatch,
        SigV4Error::RequestExpired,
        SigV4Error::HostNotSigned,
        SigV4Error::ExpiresTooLarge,
        SigV4Error::MalformedDate("x".into()),
        SigV4Error::UnknownAccessKey,
    ];
    for e in samples {
        assert!(allowed.contains(&e.code()), "{e:?}");
        assert!(matches!(e.http_status(), 400 | 403));
    }
}

/// AWS's published S3 example of a presigned GET ("Authenticating Requests: Using Query
/// Parameters"): S3 signs `UNSIGNED-PAYLOAD` in place of the body hash and sends no
/// `X-Amz-Content-Sha256`.
#[test]
fn s3_presigned_url_signs_unsigned_payload() {
    let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256\
        &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
        &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
        &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    let headers: [(&str, &[u8]); 1] = [("Host", b"examplebucket.s3.amazonaws.com")];
    let req = HttpRequest {
        method: "GET",
        path: "/test.txt",
        query,
        headers: &headers,
        body: b"",
    };
    let key = OneKey {
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        token: None,
    };
    let at = now("20130524T010000Z");
    let mut config = VerifierConfig::new("s3").with_region("us-east-1");
    config.settings = keyturn_sigv4::SigningSettings::s3();
    // Without unsigned payloads allowed, the body's hash is used and the signature differs.
    let strict = Verifier::new(config.clone());
    assert!(matches!(
        strict.verify(&req, &key, at),
        Err(VerifyError::SigV4(SigV4Error::SignatureMismatch))
    ));
    config.allow_unsigned_payload = true;
    let s3 = Verifier::new(config);
    let verified = s3
        .verify(&req, &key, at)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(verified.presigned);
    assert_eq!(verified.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    // One changed byte of the path still fails.
    let tampered = HttpRequest {
        path: "/test.txu",
        ..req
    };
    assert!(s3.verify(&tampered, &key, at).is_err());
}

fn v4a_signed(location: SignatureLocation, region_set: &str) -> Req {
    Req::sts().signed_for(&creds(), AT, location, Some(region_set))
}

#[test]
fn v4a_round_trip_and_region_sets() {
    let headers = SignatureLocation::Headers;
    let query = SignatureLocation::Query { expires_in: 900 };
    for set in ["us-east-1", "*", "eu-west-1,us-east-*", "US-EAST-1"] {
        assert!(verify(&v4a_signed(headers, set), AT).is_ok(), "{set}");
        assert!(verify(&v4a_signed(query, set), AT).is_ok(), "{set}");
    }
    for set in ["eu-west-1", "us-east-2,us-west-*", ""] {
        let e = sigv4_err(verify(&v4a_signed(headers, set), AT));
        assert_eq!(e, SigV4Error::WrongRegion(set.to_owned()));
        assert_eq!((e.code(), e.http_status()), ("SignatureDoesNotMatch", 403));
        let e = sigv4_err(verify(&v4a_signed(query, set), AT));
        assert_eq!(e, SigV4Error::WrongRegion(set.to_owned()));
    }
    // A verifier for any region takes any set.
    let any = Verifier::new(VerifierConfig::new("sts"));
    assert!(verify_with(&any, &v4a_signed(headers, "eu-west-1"), AT).is_ok());
    // SigV4's own checks apply: the clock, the body.
    let e = sigv4_err(verify(&v4a_signed(headers, "*"), "20150830T125200Z"));
    assert!(matches!(e, SigV4Error::SignatureExpired { .. }), "{e:?}");
    let mut r = v4a_signed(headers, "*");
    r.body[0] ^= 1;
    assert_eq!(sigv4_err(verify(&r, AT)), SigV4Error::SignatureMismatch);
}

#[test]
fn v4a_region_set_must_be_signed_and_present() {
    // Changed after signing: the signature no longer matches.
    let mut r = v4a_signed(SignatureLocation::Headers, "us-east-1");
    *r.header_mut("x-amz-region-set") = b"*".to_vec();
    assert_eq!(sigv4_err(verify(&r, AT)), SigV4Error::SignatureMismatch);
    // Removed, or left out of SignedHeaders.
    let mut r = v4a_signed(SignatureLocation::Headers, "us-east-1");
    r.headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-region-set"));
    let e = sigv4_err(verify(&r, AT));
    assert_eq!(
        (&e, e.code()),
        (&SigV4Error::MissingRegionSet, "IncompleteSignature")
    );
    let mut r = v4a_signed(SignatureLocation::Headers, "us-east-1");
    let auth = String::from_utf8(r.header_mut("authorization").clone()).unwrap_or_default();
    *r.header_mut("authorization") = auth.replace(";x-amz-region-set", "").into_bytes();
    assert_eq!(sigv4_err(verify(&r, AT)), SigV4Error::MissingRegionSet);
    // Presigned without the parameter.
    let mut r = v4a_signed(SignatureLocation::Query { expires_in: 900 }, "us-east-1");
    r.query = r.query.replace("&X-Amz-Region-Set=us-east-1", "");
    assert_eq!(
        sigv4_err(verify(&r, AT)).to_string(),
        "AWS query-string parameters must include 'X-Amz-Region-Set'. Re-examine the query-string parameters."
    );
}

#[test]
fn v4a_malformed_credential_and_signature() {
    let auth_of =
        |r: &mut Req| String::from_utf8(r.header_mut("authorization").clone()).unwrap_or_default();
    // A SigV4-shaped (five-part) credential under the SigV4a algorithm.
    let mut r = v4a_signed(SignatureLocation::Headers, "us-east-1");
    let auth = auth_of(&mut r).replace("/20150830/sts/", "/20150830/us-east-1/sts/");
    *r.header_mut("authorization") = auth.into_bytes();
    let e = sigv4_err(verify(&r, AT));
    assert_eq!(
        e.to_string(),
        "Credential must have exactly 4 slash-delimited elements, e.g. keyid/date/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request'"
    );
    assert_eq!(e.code(), "IncompleteSignature");
    // Signatures that are not hex of a DER signature: odd length, too long, not hex, empty.
    let base = auth_of(&mut v4a_signed(SignatureLocation::Headers, "us-east-1"));
    let (head, sig) = base.split_once("Signature=").unwrap_or_default();
    for bad in [
        &sig[1..],
        &format!("{sig}{sig}"),
        &sig.replace(|c: char| c.is_ascii_digit(), "g"),
        "",
        "00",
    ] {
        let mut r = v4a_signed(SignatureLocation::Headers, "us-east-1");
        *r.header_mut("authorization") = format!("{head}Signature={bad}").into_bytes();
        assert_eq!(
            sigv4_err(verify(&r, AT)),
            SigV4Error::SignatureMismatch,
            "{bad}"
        );
    }
    // A SigV4 signature under the SigV4a algorithm name, and the reverse.
    let mut r = header_signed();
    let auth = auth_of(&mut r).replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256");
    *r.header_mut("authorization") = auth.into_bytes();
    assert!(matches!(
        sigv4_err(verify(&r, AT)),
        SigV4Error::MalformedV4aCredential(_)
    ));
    let mut r = v4a_signed(SignatureLocation::Headers, "us-east-1");
    let auth = auth_of(&mut r).replace("AWS4-ECDSA-P256-SHA256", "AWS4-HMAC-SHA256");
    *r.header_mut("authorization") = auth.into_bytes();
    assert!(matches!(
        sigv4_err(verify(&r, AT)),
        SigV4Error::MalformedCredential(_)
    ));
}

#[test]
fn v4a_key_cache_and_rotated_secret() {
    let v = Verifier::with_cache(
        VerifierConfig::new("sts").with_region("us-east-1"),
        SigningKeyCache::new(4),
    );
    let r = v4a_signed(SignatureLocation::Headers, "us-east-1");
    assert!(verify_with(&v, &r, AT).is_ok());
    assert_eq!(v.v4a_cache().map(|c| c.len()), Some(1));
    assert!(verify_with(&v, &r, AT).is_ok());
    // Same key id, another secret: the cached key is not used.
    let rotated = OneKey {
        access_key_id: AKID.into(),
        secret: "another secret".into(),
        token: None,
    };
    let e = r.with(|req| v.verify(req, &rotated, now(AT)).map(|_| ()));
    assert_eq!(sigv4_err(e), SigV4Error::SignatureMismatch);
}

//! A test harness over the public API: an engine from small YAML with a memory store, a fixed
//! clock and a fresh keyring; requests signed for real with keyturn-sigv4.

#![allow(dead_code, reason = "each test binary uses a different part")]
#![allow(clippy::panic, reason = "test support: a failed setup aborts the test")]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use keyturn::api::Input;
use keyturn::ops::{self, Operation};
// The tests name operations (`AssumeRole`) and shapes (`AssumeRoleRequest`) through the harness.
pub use keyturn::api::sts::*;
pub use keyturn::ops::sts::*;
use keyturn::{Clock, Error, ErrorCode, FixedClock};
use keyturn::{Config, Engine, Runtime, RuntimeOptions};
use keyturn_core::idp::IdentityProvider;
use keyturn_core::keyring::Keyring;
use keyturn_core::request::{CallerIdentity, HttpParts};
pub use keyturn_sigv4::SignatureAlgorithm;
use keyturn_sigv4::{AmzDate, HttpRequest, SigningParams, sign};
use keyturn_store::MemoryStore;
use time::OffsetDateTime;

/// 2026-11-28T12:00:00Z.
pub const T0: i64 = 1_795_867_200;

pub struct Harness {
    pub engine: Arc<Engine>,
    pub clock: Arc<FixedClock>,
    pub runtime: Runtime,
}

/// Credentials to sign with.
#[derive(Clone, Debug)]
pub struct Creds {
    pub id: String,
    pub secret: String,
    pub token: Option<String>,
}

impl Creds {
    pub fn long_term(id: &str, secret: &str) -> Self {
        Self {
            id: id.to_owned(),
            secret: secret.to_owned(),
            token: None,
        }
    }

    pub fn from_api(c: &Credentials) -> Self {
        Self {
            id: c.access_key_id.clone(),
            secret: c.secret_access_key.expose().to_owned(),
            token: Some(c.session_token.expose().to_owned()),
        }
    }
}

pub fn harness(yaml: &str) -> Harness {
    harness_with(yaml, Vec::new())
}

/// A harness whose engine federates through `identity_providers`.
pub fn harness_with(yaml: &str, identity_providers: Vec<Arc<dyn IdentityProvider>>) -> Harness {
    let config = Config::from_str(yaml, "test.yaml").unwrap_or_else(|e| panic!("{e}"));
    let clock = Arc::new(FixedClock::new(
        OffsetDateTime::from_unix_timestamp(T0).unwrap_or_else(|e| panic!("{e}")),
    ));
    let runtime = Runtime::with_options(
        &config,
        RuntimeOptions {
            clock: Some(clock.clone()),
            store: Some(Arc::new(MemoryStore::new())),
            keyring: Some(Keyring::generate().unwrap_or_else(|e| panic!("{e}"))),
            identity_providers,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Harness {
        engine: runtime.engine(),
        clock,
        runtime,
    }
}

pub struct Signed {
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Signed {
    /// The headers as the engine reads them.
    pub fn header_view(&self) -> Vec<(&str, &[u8])> {
        self.headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect()
    }
}

/// Signs a POST of `body` for `service` at the clock's time (shifted by `skew` seconds).
pub fn signed(h: &Harness, creds: &Creds, service: &str, body: &str, skew: i64) -> Signed {
    signed_in(h, creds, "us-east-1", service, body, skew)
}

/// As [`signed`], with the credential scoped to `region`.
pub fn signed_in(
    h: &Harness,
    creds: &Creds,
    region: &str,
    service: &str,
    body: &str,
    skew: i64,
) -> Signed {
    signed_with(
        h,
        creds,
        region,
        SignatureAlgorithm::HmacSha256,
        service,
        body,
        skew,
    )
}

/// As [`signed_in`], with `algorithm` (for SigV4a, `region` is the region set).
pub fn signed_with(
    h: &Harness,
    creds: &Creds,
    region: &str,
    algorithm: SignatureAlgorithm,
    service: &str,
    body: &str,
    skew: i64,
) -> Signed {
    let mut headers: Vec<(String, Vec<u8>)> = vec![
        ("host".into(), b"sts.test".to_vec()),
        (
            "content-type".into(),
            b"application/x-www-form-urlencoded; charset=utf-8".to_vec(),
        ),
    ];
    let mut c = keyturn_sigv4::Credentials::new(creds.id.clone(), creds.secret.as_str());
    if let Some(t) = &creds.token {
        c = c.with_session_token(t.clone());
    }
    let now = h.clock.now().unix_timestamp() + skew;
    let mut params = SigningParams::new(&c, region, service, AmzDate::from_unix(now));
    params.algorithm = algorithm;
    let view: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    let req = HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &view,
        body: body.as_bytes(),
    };
    let out = sign(&req, &params).unwrap_or_else(|e| panic!("{e}"));
    for (k, v) in out.headers {
        headers.push((k.to_ascii_lowercase(), v.into_bytes()));
    }
    Signed {
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// Runs `input` of operation `O` as `creds` (None: unsigned) over a request signed for `O`'s
/// service, and returns the output and the audit identity.
pub fn call_as<O: Operation>(
    h: &Harness,
    creds: Option<&Creds>,
    input: O::Input,
) -> (Result<O::Output, Error>, Option<CallerIdentity>) {
    let service = O::Input::SERVICE;
    let body = format!(
        "Action={}&Version={}",
        O::Input::ACTION,
        service.api_version()
    );
    let signed = match creds {
        Some(c) => signed(h, c, service.signing_name(), &body, 0),
        None => Signed {
            headers: vec![("host".into(), b"sts.test".to_vec())],
            body: body.clone().into_bytes(),
        },
    };
    run::<O>(h, &signed, input)
}

/// Runs `input` of operation `O` with the headers and body of `signed`: the input is validated,
/// the engine authenticates the signed request for `O`'s service (unless `O` is unsigned) and
/// the operation runs as the registry would run it.
pub fn run<O: Operation>(
    h: &Harness,
    signed: &Signed,
    input: O::Input,
) -> (Result<O::Output, Error>, Option<CallerIdentity>) {
    let view = signed.header_view();
    let http = HttpParts {
        user_agent: Some("test-agent/1.0"),
        ..HttpParts::post(
            &view,
            &signed.body,
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)),
        )
    };
    if let Err(e) = input.validate() {
        return (Err(e.into()), None);
    }
    if O::UNSIGNED {
        return (ops::invoke::<O>(&h.engine, None, &http, input), None);
    }
    let caller = match h.engine.authenticate(&http, O::Input::SERVICE) {
        Ok(c) => c,
        Err(e) => return (Err(e), None),
    };
    let identity = Some(caller.identity());
    (
        ops::invoke::<O>(&h.engine, Some(&caller), &http, input),
        identity,
    )
}

/// Runs `input` of operation `O` without credentials (the unsigned federations; a signed
/// operation answers `MissingAuthenticationToken`).
pub fn unsigned<O: Operation>(h: &Harness, input: O::Input) -> Result<O::Output, Error> {
    call_as::<O>(h, None, input).0
}

/// The caller the engine authenticates from a GetCallerIdentity signed by `creds` and sent over
/// TLS from `ip`.
pub fn signed_caller(h: &Harness, creds: &Creds, ip: Ipv4Addr) -> keyturn::Caller {
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let signed = signed(h, creds, "sts", body, 0);
    let view = signed.header_view();
    let http = HttpParts {
        secure_transport: true,
        ..HttpParts::post(&view, &signed.body, IpAddr::V4(ip))
    };
    h.engine
        .authenticate(&http, keyturn::api::Service::Sts)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The caller the engine makes for the long-term access key of `creds`, with no request
/// (`Engine::caller_for_access_key`, as embedders use it).
pub fn key_caller(h: &Harness, creds: &Creds) -> keyturn::Caller {
    h.engine
        .caller_for_access_key(&creds.id)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The engine's decision on `action` on `resource` for `caller`, with no extra condition keys.
pub fn authorization(
    h: &Harness,
    caller: &keyturn::Caller,
    action: &str,
    resource: &str,
) -> keyturn::Authorization {
    h.engine
        .authorize(caller, action, resource, &[])
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Whether `creds` (long-term or temporary) may do `action` on `resource`, through the caller
/// of a request they signed (sent from 192.0.2.10).
pub fn allowed(h: &Harness, creds: &Creds, action: &str, resource: &str) -> bool {
    let caller = signed_caller(h, creds, Ipv4Addr::new(192, 0, 2, 10));
    authorization(h, &caller, action, resource).is_allowed()
}

/// Runs `input` of operation `O` signed by `creds`.
pub fn call<O: Operation>(h: &Harness, creds: &Creds, input: O::Input) -> Result<O::Output, Error> {
    call_as::<O>(h, Some(creds), input).0
}

pub fn assume_role(role_arn: &str, session: &str) -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: role_arn.to_owned(),
        role_session_name: session.to_owned(),
        ..Default::default()
    }
}

/// A successful AssumeRole's members, the ones AWS always returns unwrapped.
#[derive(Debug)]
pub struct Assumed {
    pub credentials: Credentials,
    pub assumed_role_user: AssumedRoleUser,
    pub packed_policy_size: Option<i32>,
    pub source_identity: Option<String>,
}

pub fn assumed(r: Result<AssumeRoleResponse, Error>) -> Assumed {
    match r {
        Ok(AssumeRoleResponse {
            credentials: Some(credentials),
            assumed_role_user: Some(assumed_role_user),
            packed_policy_size,
            source_identity,
            ..
        }) => Assumed {
            credentials,
            assumed_role_user,
            packed_policy_size,
            source_identity,
        },
        other => panic!("expected AssumeRole success with credentials, got {other:?}"),
    }
}

/// GetCallerIdentity's members.
#[derive(Debug)]
pub struct Identity {
    pub user_id: String,
    pub account: String,
    pub arn: String,
}

pub fn identity_of(h: &Harness, creds: &Creds) -> Identity {
    match call::<GetCallerIdentity>(h, creds, GetCallerIdentityRequest {}) {
        Ok(r) => Identity {
            user_id: r.user_id.unwrap_or_else(|| panic!("no UserId")),
            account: r.account.unwrap_or_else(|| panic!("no Account")),
            arn: r.arn.unwrap_or_else(|| panic!("no Arn")),
        },
        Err(e) => panic!("expected GetCallerIdentity success, got {e:?}"),
    }
}

/// GetCallerIdentity signed for `region` by `creds`: the ARN, or the error code and message.
pub fn whoami(h: &Harness, creds: &Creds, region: &str) -> Result<String, (ErrorCode, String)> {
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let signed = signed_in(h, creds, region, "sts", body, 0);
    match run::<GetCallerIdentity>(h, &signed, GetCallerIdentityRequest {}).0 {
        Ok(r) => Ok(r.arn.unwrap_or_default()),
        Err(e) => Err((e.error_code(), e.message().to_owned())),
    }
}

pub fn code(r: Result<String, (ErrorCode, String)>) -> ErrorCode {
    match r {
        Ok(arn) => panic!("expected an error, got {arn}"),
        Err((c, _)) => c,
    }
}

pub fn err<T: std::fmt::Debug>(r: Result<T, Error>) -> Error {
    match r {
        Err(e) => e,
        Ok(r) => panic!("expected an error, got {r:?}"),
    }
}

/// The error code of `input` of operation `O` signed by `creds`, which must fail.
pub fn refused_code<O: Operation>(h: &Harness, creds: &Creds, input: O::Input) -> &'static str
where
    O::Output: std::fmt::Debug,
{
    err(call::<O>(h, creds, input)).code()
}

/// Asserts that `input` of operation `O` signed by `creds` fails with the error code `code`.
#[track_caller]
pub fn refuses<O: Operation>(h: &Harness, creds: &Creds, input: O::Input, code: &str)
where
    O::Output: std::fmt::Debug,
{
    assert_eq!(refused_code::<O>(h, creds, input), code);
}

/// The error of GetCallerIdentity signed by `creds`, which must fail.
pub fn identity_error(h: &Harness, creds: &Creds) -> Error {
    err(call::<GetCallerIdentity>(
        h,
        creds,
        GetCallerIdentityRequest {},
    ))
}

/// The error of AssumeRole of `role_arn` as `session`, signed by `creds`, which must fail.
pub fn assume_error(h: &Harness, creds: &Creds, role_arn: &str, session: &str) -> Error {
    err(call::<AssumeRole>(h, creds, assume_role(role_arn, session)))
}

/// AWS's error for a session token past its expiry.
pub fn expired_token() -> Error {
    Error::new(
        ErrorCode::ExpiredToken,
        "The security token included in the request is expired",
    )
}

/// How long credentials issued at the harness's start ([`T0`]) last, in seconds.
pub fn lifetime(credentials: &Option<Credentials>) -> i64 {
    present(credentials).expiration.unix_timestamp() - T0
}

/// A response member that AWS always returns on success (the model makes it optional).
pub fn present<T>(member: &Option<T>) -> &T {
    member
        .as_ref()
        .unwrap_or_else(|| panic!("a member of the response is missing"))
}

pub fn totp(seed_base32: &str, unix: i64) -> String {
    let seed = keyturn_core::mfa::decode_seed_base32(seed_base32).unwrap_or_else(|e| panic!("{e}"));
    keyturn_core::mfa::totp(
        &seed,
        u64::try_from(unix).unwrap_or(0),
        &keyturn_core::mfa::TotpParams::AWS,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A well-formed long-term key id of `account`.
pub fn key_id(account: &str, n: u8) -> String {
    let account = account.parse().unwrap_or_else(|e| panic!("{e:?}"));
    keyturn_core::ids::AccessKeyId::from_parts(
        keyturn_core::ids::AccessKeyKind::LongTerm,
        account,
        [n, 1, 2, 3, 4],
    )
    .as_str()
    .to_owned()
}

/// The head of a configuration: an in-memory store and `account`, up to where the account's
/// members (`roles:`, `users:`, ...) begin.
pub fn memory_account(account: &str) -> String {
    format!("\nstore: {{memory: true}}\naccounts:\n  - id: \"{account}\"\n")
}

pub const ALICE_SECRET: &str = "aliceSecretKey/0000000000000000000000000";
pub const ROOT_SECRET: &str = "rootSecretKey/00000000000000000000000000";
pub const SEED: &str = "JBSWY3DPEHPK3PXP";

/// The scenario most tests use: production account 111111111111 with roles, development
/// account 222222222222 with alice (in group devs), bob (no policies, generated keys) and root.
pub fn scenario_yaml() -> String {
    let alice = key_id("222222222222", 1);
    let root = key_id("222222222222", 2);
    let ops = key_id("111111111111", 3);
    include_str!("../fixtures/scenario.yaml")
        .replace("{alice}", &alice)
        .replace("{root}", &root)
        .replace("{ops}", &ops)
        .replace("{ALICE_SECRET}", ALICE_SECRET)
        .replace("{ROOT_SECRET}", ROOT_SECRET)
        .replace("{SEED}", SEED)
}

pub fn alice() -> Creds {
    Creds::long_term(&key_id("222222222222", 1), ALICE_SECRET)
}

/// A user of the production account allowed to simulate.
pub fn ops() -> Creds {
    Creds::long_term(&key_id("111111111111", 3), ALICE_SECRET)
}

pub fn root() -> Creds {
    Creds::long_term(&key_id("222222222222", 2), ROOT_SECRET)
}

pub fn bob(h: &Harness) -> Creds {
    let g = h
        .runtime
        .generated_keys
        .iter()
        .find(|g| g.user_name == "bob")
        .unwrap_or_else(|| panic!("bob's key was not generated"));
    Creds::long_term(&g.access_key_id, g.secret_access_key.expose())
}

pub const APP: &str = "arn:aws:iam::111111111111:role/team/App";
pub const CHAINED: &str = "arn:aws:iam::111111111111:role/Chained";

#![doc = include_str!("../README.md")]

mod chunked;
mod convert;
mod server;

use std::collections::HashMap;
use std::sync::Arc;

use keyturn_facade::Config;
use keyturn_facade::api::sts::{
    AssumeRoleRequest, DecodeAuthorizationMessageRequest, GetAccessKeyInfoRequest,
    GetCallerIdentityRequest, GetFederationTokenRequest, GetSessionTokenRequest, Tag,
};
use keyturn_facade::embedded::{ActAs, EmbedOptions, Embedded, ReceivedRequest};
use keyturn_facade::ops::Operation;
use keyturn_facade::ops::sts::{
    AssumeRole, DecodeAuthorizationMessage, GetAccessKeyInfo, GetCallerIdentity,
    GetFederationToken, GetSessionToken,
};
use napi::Env;
use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;

pub use server::Server;

use convert::{JsResult, embed_error, failure, iso8601, parse_target, run, sts_error, unix_ms};

/// Keyturn's version (the crate's, the package's and the C header's).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Options of an engine.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Stop the engine's clock at this time, in milliseconds since the epoch (`Date.getTime()`):
    /// for replaying recorded requests and for tests.
    pub fixed_time: Option<f64>,
}

/// AWS credentials, in the shape the AWS SDK for JavaScript takes (`credentials:` option).
#[napi(object)]
#[derive(Clone)]
pub struct Credentials {
    /// `AKIA…` (long-term) or `ASIA…` (temporary).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl From<&Credentials> for ActAs {
    fn from(c: &Credentials) -> Self {
        Self {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.clone(),
            session_token: c.session_token.clone(),
        }
    }
}

impl From<&keyturn_facade::api::sts::Credentials> for Credentials {
    fn from(c: &keyturn_facade::api::sts::Credentials) -> Self {
        Self {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.expose().to_owned(),
            session_token: Some(c.session_token.expose().to_owned()),
        }
    }
}

/// An HTTP request as a service received it (Node's `IncomingMessage` fits: `method`, `url`,
/// `headers`, and the body you read).
#[napi(object)]
pub struct IncomingRequest {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The request target: `/path?query` (an absolute `https://host/path?query` is accepted).
    pub url: String,
    /// The headers; repeated headers as arrays.
    pub headers: HashMap<String, Either<String, Vec<String>>>,
    /// The raw body (default: empty).
    pub body: Option<Either<Buffer, String>>,
    /// The peer's address (`aws:SourceIp`; default 127.0.0.1).
    pub source_ip: Option<String>,
}

/// An `IncomingRequest`'s parts, owned, for a `ReceivedRequest`.
struct OwnedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    source_ip: Option<std::net::IpAddr>,
}

impl OwnedRequest {
    fn new(request: IncomingRequest) -> JsResult<Self> {
        let mut headers: Vec<(String, String)> = Vec::with_capacity(request.headers.len());
        for (k, v) in request.headers {
            match v {
                Either::A(one) => headers.push((k, one)),
                Either::B(many) => headers.extend(many.into_iter().map(|v| (k.clone(), v))),
            }
        }
        let body: Vec<u8> = match request.body {
            None => Vec::new(),
            Some(Either::A(b)) => b.to_vec(),
            Some(Either::B(s)) => s.into_bytes(),
        };
        let source_ip = request
            .source_ip
            .map(|s| {
                s.parse()
                    .map_err(|_| failure("InvalidArgument", format!("`{s}` is not an IP address")))
            })
            .transpose()?;
        Ok(Self {
            method: request.method,
            url: request.url,
            headers,
            body,
            source_ip,
        })
    }

    /// The header pairs, borrowed.
    fn header_refs(&self) -> Vec<(&str, &[u8])> {
        self.headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect()
    }

    /// The request, borrowing `headers` (from [`Self::header_refs`]).
    fn received<'a>(&'a self, headers: &'a [(&'a str, &'a [u8])]) -> ReceivedRequest<'a> {
        let (path, query) = parse_target(&self.url);
        ReceivedRequest {
            method: &self.method,
            path,
            query,
            headers,
            body: &self.body,
            source_ip: self.source_ip,
        }
    }
}

/// A policy statement that matched a request.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct MatchedStatement {
    /// The policy's id (its ARN or `user/NAME/inline/POLICY`, ...).
    pub policy_id: String,
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
}

/// An authorization decision.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Decision {
    /// Whether the request is allowed.
    pub allowed: bool,
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    pub decision: String,
    /// The statements that decided (on a denial; an allow takes the fast path and may list none).
    pub matched_statements: Vec<MatchedStatement>,
    /// Why, in words (on a denial).
    pub reasons: Vec<String>,
    /// On a denial, the encoded message that `DecodeAuthorizationMessage` opens.
    pub encoded_message: Option<String>,
}

/// Parameters of `assumeRole` (the STS API's, in camelCase).
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct AssumeRoleParams {
    /// The role's ARN.
    pub role_arn: String,
    /// The session's name (2–64 characters).
    pub role_session_name: String,
    /// The session's lifetime in seconds (default 3600).
    pub duration_seconds: Option<i32>,
    /// The external id the trust policy may require.
    pub external_id: Option<String>,
    /// An inline session policy (JSON text).
    pub policy: Option<String>,
    /// The source identity.
    pub source_identity: Option<String>,
    /// Session tags.
    pub tags: Option<HashMap<String, String>>,
    /// The MFA device's serial number (ARN).
    pub serial_number: Option<String>,
    /// The MFA code.
    pub token_code: Option<String>,
}

/// The result of `assumeRole`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct AssumeRoleResult {
    /// The role session's credentials (pass them to an AWS SDK client as `credentials`).
    pub credentials: Credentials,
    /// When they expire, ISO 8601 (`2026-11-28T15:00:00Z`).
    pub expiration: String,
    /// The session's ARN, `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub assumed_role_arn: String,
    /// The session's id, `AROA…:SESSION`.
    pub assumed_role_id: String,
    /// Percent of the packed session policy budget used, when a session policy was given.
    pub packed_policy_size: Option<i32>,
}

/// Parameters of `getFederationToken` (the STS API's, in camelCase).
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct GetFederationTokenParams {
    /// The federated user's name (2–32 characters).
    pub name: String,
    /// The session policy (JSON text): without one, the federated user has no permissions.
    pub policy: Option<String>,
    /// The session's lifetime in seconds (default 43200).
    pub duration_seconds: Option<i32>,
    /// Session tags.
    pub tags: Option<HashMap<String, String>>,
}

/// The result of `getFederationToken`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct GetFederationTokenResult {
    /// The federated user's credentials.
    pub credentials: Credentials,
    /// When they expire, ISO 8601.
    pub expiration: String,
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    pub federated_user_arn: String,
    /// `ACCOUNT:NAME`.
    pub federated_user_id: String,
    /// Percent of the packed session policy budget used, when a session policy was given.
    pub packed_policy_size: Option<i32>,
}

/// The result of `getCallerIdentity`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct CallerIdentity {
    /// The account.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// The caller's unique id.
    pub user_id: String,
}

/// An authenticated caller, from `verifyRequest` or `callerFor`.
#[napi]
pub struct Caller {
    pub(crate) inner: keyturn_facade::Caller,
}

#[napi]
impl Caller {
    /// The caller's ARN.
    #[napi(getter)]
    pub fn arn(&self) -> String {
        self.inner.arn.clone()
    }

    /// The caller's 12-digit account id.
    #[napi(getter)]
    pub fn account(&self) -> String {
        self.inner.account.clone()
    }

    /// The caller's unique id (`AIDA…`, `AROA…:session`).
    #[napi(getter)]
    pub fn user_id(&self) -> String {
        self.inner.user_id.clone()
    }

    /// The access key id that signed.
    #[napi(getter)]
    pub fn access_key_id(&self) -> String {
        self.inner.access_key_id.clone()
    }
}

/// An embedded Keyturn engine: SigV4 verification, IAM authorization and the STS operations,
/// in-process. Every method is synchronous (microseconds).
#[napi]
pub struct Engine {
    pub(crate) inner: Arc<Embedded>,
}

fn embed_options(options: Option<EngineOptions>) -> JsResult<EmbedOptions> {
    let fixed_time = options
        .and_then(|o| o.fixed_time)
        .map(unix_ms)
        .transpose()?;
    Ok(EmbedOptions { fixed_time })
}

#[napi]
impl Engine {
    /// An engine from a configuration file (YAML or JSON).
    #[napi(factory)]
    pub fn from_path(
        env: Env,
        path: String,
        options: Option<EngineOptions>,
    ) -> napi::Result<Engine> {
        run(&env, || {
            let inner =
                Embedded::from_path(&path, &embed_options(options)?).map_err(embed_error)?;
            Ok(Self {
                inner: Arc::new(inner),
            })
        })
    }

    /// An engine from configuration text (YAML or JSON).
    #[napi(factory)]
    pub fn from_string(
        env: Env,
        text: String,
        options: Option<EngineOptions>,
    ) -> napi::Result<Engine> {
        run(&env, || {
            let inner =
                Embedded::from_text(&text, &embed_options(options)?).map_err(embed_error)?;
            Ok(Self {
                inner: Arc::new(inner),
            })
        })
    }

    /// An engine from a configuration object (the same schema as the YAML file).
    #[napi(factory)]
    pub fn from_object(
        env: Env,
        config: serde_json::Value,
        options: Option<EngineOptions>,
    ) -> napi::Result<Engine> {
        run(&env, || {
            let config =
                Config::from_json_value(&config, "<object>").map_err(|e| embed_error(e.into()))?;
            let inner =
                Embedded::from_config(&config, &embed_options(options)?).map_err(embed_error)?;
            Ok(Self {
                inner: Arc::new(inner),
            })
        })
    }

    /// Moves a fixed clock (see `EngineOptions.fixedTime`), in milliseconds since the epoch.
    #[napi]
    pub fn set_time(&self, env: Env, ms: f64) -> napi::Result<()> {
        run(&env, || {
            if self.inner.set_time(unix_ms(ms)?) {
                Ok(())
            } else {
                Err(failure(
                    "InvalidArgument",
                    "the engine runs on the system clock (create it with fixedTime)".to_owned(),
                ))
            }
        })
    }

    /// The long-term credentials of a configured user (`alice`, `222222222222/alice`) or of an
    /// account's root (`222222222222`).
    #[napi]
    pub fn credentials(&self, env: Env, who: String) -> napi::Result<Credentials> {
        run(&env, || {
            let a = self.inner.credentials(&who).map_err(sts_error)?;
            Ok(Credentials {
                access_key_id: a.access_key_id,
                secret_access_key: a.secret_access_key,
                session_token: None,
            })
        })
    }

    /// Adds an access key to a configured user without the configuration's id format check
    /// (keys issued elsewhere, such as the SigV4 test suite's `AKIDEXAMPLE`).
    #[napi]
    pub fn import_access_key(
        &self,
        env: Env,
        user: String,
        access_key_id: String,
        secret_access_key: String,
    ) -> napi::Result<()> {
        run(&env, || {
            self.inner
                .import_access_key(&user, &access_key_id, &secret_access_key)
                .map_err(sts_error)
        })
    }

    /// Verifies the SigV4 signature of a request a service received, signed for `service` (its
    /// signing name; default `sts`), and returns the caller. Throws an `Error` whose `code` is
    /// AWS's (`SignatureDoesNotMatch`, `InvalidClientTokenId`, `ExpiredToken`, ...).
    #[napi]
    pub fn verify_request(
        &self,
        env: Env,
        request: IncomingRequest,
        service: Option<String>,
    ) -> napi::Result<Caller> {
        run(&env, || {
            let owned = OwnedRequest::new(request)?;
            let headers = owned.header_refs();
            let received = owned.received(&headers);
            let caller = self
                .inner
                .verify_request(&received, service.as_deref().unwrap_or("sts"))
                .map_err(sts_error)?;
            Ok(Caller { inner: caller })
        })
    }

    /// Verifies the headers of an upload signed for `service` (default `s3`; SigV4 or SigV4a)
    /// whose body may be `aws-chunked` (S3's `STREAMING-…` payloads): an `Upload` with the caller
    /// and, when `upload.chunked`, `feed`/`finish` to verify the body as it arrives (the
    /// request's `body` is then not read). Throws with AWS's code as `verifyRequest` does.
    #[napi]
    pub fn verify_upload(
        &self,
        env: Env,
        request: IncomingRequest,
        service: Option<String>,
    ) -> napi::Result<chunked::Upload> {
        run(&env, || {
            let owned = OwnedRequest::new(request)?;
            let headers = owned.header_refs();
            let received = owned.received(&headers);
            let upload = self
                .inner
                .verify_upload(&received, service.as_deref().unwrap_or("s3"))
                .map_err(|e| match e {
                    keyturn_facade::chunked::UploadError::Request(e) => sts_error(e),
                    other => failure(other.code(), other.to_string()),
                })?;
            Ok(chunked::Upload::new(upload))
        })
    }

    /// The caller that `credentials` stand for, authenticated now.
    #[napi]
    pub fn caller_for(&self, env: Env, credentials: Credentials) -> napi::Result<Caller> {
        run(&env, || {
            let caller = self
                .inner
                .caller(&ActAs::from(&credentials))
                .map_err(sts_error)?;
            Ok(Caller { inner: caller })
        })
    }

    /// Authorizes `action` on `resource` for `caller`, with extra condition keys
    /// (`{"s3:prefix": "home/", "aws:SourceVpc": ["vpc-1"]}`). A denial is a `Decision`, not an
    /// exception.
    #[napi]
    pub fn authorize(
        &self,
        env: Env,
        caller: &Caller,
        action: String,
        resource: String,
        context: Option<serde_json::Value>,
    ) -> napi::Result<Decision> {
        run(&env, || {
            let context = context.map(|c| c.to_string());
            let a = self
                .inner
                .authorize(&caller.inner, &action, &resource, context.as_deref())
                .map_err(sts_error)?;
            Ok(Decision {
                allowed: a.is_allowed(),
                decision: format!("{:?}", a.verdict.outcome),
                matched_statements: a
                    .verdict
                    .matched
                    .iter()
                    .map(|m| MatchedStatement {
                        policy_id: m.policy_id.clone(),
                        sid: m.sid.clone(),
                        effect: if m.allow { "Allow" } else { "Deny" }.to_owned(),
                    })
                    .collect(),
                reasons: a.verdict.reasons.clone(),
                encoded_message: a.encoded_message.clone(),
            })
        })
    }

    /// `sts:AssumeRole` as `credentials`, authenticated and authorized exactly as over the wire.
    #[napi]
    pub fn assume_role(
        &self,
        env: Env,
        credentials: Credentials,
        params: AssumeRoleParams,
    ) -> napi::Result<AssumeRoleResult> {
        run(&env, || {
            let tags = sorted_tags(params.tags);
            let input = AssumeRoleRequest {
                role_arn: params.role_arn,
                role_session_name: params.role_session_name,
                duration_seconds: params.duration_seconds,
                external_id: params.external_id,
                policy: params.policy,
                source_identity: params.source_identity,
                tags,
                serial_number: params.serial_number,
                token_code: params.token_code.map(Into::into),
                ..AssumeRoleRequest::default()
            };
            let r = self.call::<AssumeRole>(&credentials, input)?;
            let c = required("Credentials", r.credentials)?;
            let user = required("AssumedRoleUser", r.assumed_role_user)?;
            Ok(AssumeRoleResult {
                credentials: Credentials::from(&c),
                expiration: iso8601(c.expiration),
                assumed_role_arn: user.arn,
                assumed_role_id: user.assumed_role_id,
                packed_policy_size: r.packed_policy_size,
            })
        })
    }

    /// `sts:GetSessionToken` as `credentials` (long-term credentials of a user or root).
    #[napi]
    pub fn get_session_token(
        &self,
        env: Env,
        credentials: Credentials,
        duration_seconds: Option<i32>,
    ) -> napi::Result<Credentials> {
        run(&env, || {
            let input = GetSessionTokenRequest {
                duration_seconds,
                ..GetSessionTokenRequest::default()
            };
            let r = self.call::<GetSessionToken>(&credentials, input)?;
            Ok(Credentials::from(&required("Credentials", r.credentials)?))
        })
    }

    /// `sts:GetCallerIdentity` as `credentials`.
    #[napi]
    pub fn get_caller_identity(
        &self,
        env: Env,
        credentials: Credentials,
    ) -> napi::Result<CallerIdentity> {
        run(&env, || {
            let r = self.call::<GetCallerIdentity>(&credentials, GetCallerIdentityRequest {})?;
            Ok(CallerIdentity {
                account: required("Account", r.account)?,
                arn: required("Arn", r.arn)?,
                user_id: required("UserId", r.user_id)?,
            })
        })
    }

    /// `sts:GetFederationToken` as `credentials` (long-term credentials of a user or root).
    #[napi]
    pub fn get_federation_token(
        &self,
        env: Env,
        credentials: Credentials,
        params: GetFederationTokenParams,
    ) -> napi::Result<GetFederationTokenResult> {
        run(&env, || {
            let input = GetFederationTokenRequest {
                name: params.name,
                policy: params.policy,
                duration_seconds: params.duration_seconds,
                tags: sorted_tags(params.tags),
                ..GetFederationTokenRequest::default()
            };
            let r = self.call::<GetFederationToken>(&credentials, input)?;
            let c = required("Credentials", r.credentials)?;
            let user = required("FederatedUser", r.federated_user)?;
            Ok(GetFederationTokenResult {
                credentials: Credentials::from(&c),
                expiration: iso8601(c.expiration),
                federated_user_arn: user.arn,
                federated_user_id: user.federated_user_id,
                packed_policy_size: r.packed_policy_size,
            })
        })
    }

    /// `sts:GetAccessKeyInfo` as `credentials`: the account of any well-formed key id.
    #[napi]
    pub fn get_access_key_info(
        &self,
        env: Env,
        credentials: Credentials,
        access_key_id: String,
    ) -> napi::Result<String> {
        run(&env, || {
            let input = GetAccessKeyInfoRequest { access_key_id };
            let r = self.call::<GetAccessKeyInfo>(&credentials, input)?;
            required("Account", r.account)
        })
    }

    /// `sts:DecodeAuthorizationMessage` as `credentials`: the JSON document of a denial.
    #[napi]
    pub fn decode_authorization_message(
        &self,
        env: Env,
        credentials: Credentials,
        encoded_message: String,
    ) -> napi::Result<String> {
        run(&env, || {
            let input = DecodeAuthorizationMessageRequest { encoded_message };
            let r = self.call::<DecodeAuthorizationMessage>(&credentials, input)?;
            required("DecodedMessage", r.decoded_message)
        })
    }

    fn call<O: Operation>(
        &self,
        credentials: &Credentials,
        input: O::Input,
    ) -> JsResult<O::Output> {
        self.inner
            .call::<O>(&ActAs::from(credentials), input)
            .map_err(sts_error)
    }
}

/// Session tags from a JS object, in a stable order (a JS object's keys carry no meaning of order);
/// none or an empty object: no `Tags` parameter.
fn sorted_tags(tags: Option<HashMap<String, String>>) -> Option<Vec<Tag>> {
    let mut tags: Vec<Tag> = tags
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| Tag { key, value })
        .collect();
    tags.sort_by(|a, b| a.key.cmp(&b.key));
    (!tags.is_empty()).then_some(tags)
}

/// A response member that the operation always returns; its absence is an internal failure.
fn required<T>(member: &str, value: Option<T>) -> JsResult<T> {
    value.ok_or_else(|| failure("InternalFailure", format!("the response has no {member}")))
}

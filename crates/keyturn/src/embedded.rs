//! Embedding Keyturn in another program (the Node and C bindings): a [`Runtime`] plus what a
//! host service needs that the engine does not offer directly.
//!
//! - SigV4 verification of requests signed for *any* service (`s3`, `execute-api`, the suite's
//!   `service`), not only `sts` and `iam`;
//! - a clock that can be fixed, to replay recorded requests;
//! - STS calls made as a given set of credentials without an HTTP round trip
//!   ([`Embedded::call`]): the engine authenticates the credentials themselves (the secret
//!   compared in constant time with the key's, the session token opened), then runs the
//!   operation as it would for a signed request;
//! - condition keys given as JSON (`{"aws:SourceVpc": "vpc-1", "s3:prefix": ["a", "b"]}`).
//!
//! Every rule about keys, session tokens and signatures lives in the engine
//! ([`Engine::authenticate_for`] verifies a request signed for any service); this module only
//! converts.

use keyturn_core::ErrorCode;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;

use keyturn_core::Error;
use keyturn_core::clock::FixedClock;
use keyturn_core::engine::{Authorization, Caller, Engine};
use keyturn_core::ops::{self, Input, Operation};
use keyturn_core::request::{HttpParts, HttpRequest};
use time::OffsetDateTime;

use crate::config::{Config, ConfigError};
use crate::runtime::{Runtime, RuntimeError, RuntimeOptions};

/// Why an embedded engine could not be built or a call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbedError {
    /// The configuration is invalid.
    #[error("{0}")]
    Config(#[from] ConfigError),
    /// The runtime could not start (keyring, store, plugins).
    #[error("{0}")]
    Runtime(#[from] RuntimeError),
    /// An STS error, with AWS's code.
    #[error("{0}")]
    Sts(#[from] Error),
}

impl EmbedError {
    /// The error's code: the AWS code of an STS error, else `ConfigError` or `RuntimeError`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Config(_) => "ConfigError",
            Self::Runtime(_) => "RuntimeError",
            Self::Sts(e) => e.code(),
        }
    }
}

/// Options of an embedded engine.
#[derive(Debug, Clone, Default)]
pub struct EmbedOptions {
    /// Stop the engine's clock at this time (replaying recorded requests, tests). `None`: the
    /// system clock.
    pub fixed_time: Option<OffsetDateTime>,
}

/// Credentials to act as in [`Embedded::call`]. `Debug` hides the secret and the token.
#[derive(Clone)]
pub struct ActAs {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
}

impl std::fmt::Debug for ActAs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActAs")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .field("session_token", &self.session_token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// A request as a host service received it, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct ReceivedRequest<'a> {
    /// The method, e.g. `GET`.
    pub method: &'a str,
    /// The raw path, e.g. `/bucket/key`.
    pub path: &'a str,
    /// The raw query string without `?`.
    pub query: &'a str,
    /// Headers (any case) and raw values, in arrival order.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The raw body.
    pub body: &'a [u8],
    /// The peer's address (`aws:SourceIp`); `None`: 127.0.0.1.
    pub source_ip: Option<IpAddr>,
}

impl<'a> ReceivedRequest<'a> {
    /// The request as the engine authenticates it, with `body` as its body (the received body,
    /// or none when a chunked body goes to its own verifier): `aws:SourceIp` 127.0.0.1 when
    /// unknown, the `User-Agent` header, not over TLS.
    pub(crate) fn http_parts(&self, body: &'a [u8]) -> HttpParts<'a> {
        HttpParts {
            request: HttpRequest {
                method: self.method,
                path: self.path,
                query: self.query,
                headers: self.headers,
                body,
            },
            source_ip: self.source_ip.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            user_agent: self.headers.iter().find_map(|(k, v)| {
                k.eq_ignore_ascii_case("user-agent")
                    .then(|| std::str::from_utf8(v).ok())
                    .flatten()
            }),
            secure_transport: false,
        }
    }
}

/// An engine embedded in a host program.
pub struct Embedded {
    runtime: Runtime,
    engine: Arc<Engine>,
    clock: Option<Arc<FixedClock>>,
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedded")
            .field("engine", &self.engine)
            .field("fixed_clock", &self.clock.is_some())
            .finish_non_exhaustive()
    }
}

impl Embedded {
    /// Starts an engine from a validated configuration.
    ///
    /// # Errors
    /// [`EmbedError::Runtime`] when the keyring, store or plugins cannot be set up.
    pub fn from_config(config: &Config, options: &EmbedOptions) -> Result<Self, EmbedError> {
        let clock = options.fixed_time.map(|t| Arc::new(FixedClock::new(t)));
        let runtime = Runtime::with_options(
            config,
            RuntimeOptions {
                clock: clock
                    .clone()
                    .map(|c| c as Arc<dyn keyturn_core::clock::Clock>),
                ..RuntimeOptions::default()
            },
        )?;
        let engine = runtime.engine();
        Ok(Self {
            runtime,
            engine,
            clock,
        })
    }

    /// Starts an engine from a configuration file.
    ///
    /// # Errors
    /// [`EmbedError::Config`] for an unreadable or invalid file, else as [`Embedded::from_config`].
    pub fn from_path(path: impl AsRef<Path>, options: &EmbedOptions) -> Result<Self, EmbedError> {
        Self::from_config(&Config::from_file(path)?, options)
    }

    /// Starts an engine from configuration text (YAML or JSON).
    ///
    /// # Errors
    /// As [`Embedded::from_path`].
    pub fn from_text(text: &str, options: &EmbedOptions) -> Result<Self, EmbedError> {
        Self::from_config(&Config::from_str(text, "<config>")?, options)
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The runtime (configuration, generated keys, warnings).
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Moves a fixed clock to `at`; returns `false` (and does nothing) with the system clock.
    pub fn set_time(&self, at: OffsetDateTime) -> bool {
        match &self.clock {
            Some(c) => {
                c.set(at);
                true
            }
            None => false,
        }
    }

    /// The first active access key (id, secret) of a configured user (`name` or `ACCOUNT/name`)
    /// or of an account's root (`ACCOUNT`).
    ///
    /// # Errors
    /// `NoSuchEntity` when there is no such user or it has no active key.
    pub fn credentials(&self, who: &str) -> Result<ActAs, Error> {
        let keys = self.engine.credentials_of(who)?;
        let (access_key_id, secret_access_key) = keys.into_iter().next().ok_or_else(|| {
            Error::new(
                ErrorCode::NoSuchEntity,
                format!("The user with name {who} has no active access key."),
            )
        })?;
        Ok(ActAs {
            access_key_id,
            secret_access_key,
            session_token: None,
        })
    }

    /// Adds an access key to a configured user (`name` or `ACCOUNT/name`), bypassing the
    /// configuration's id format: for keys issued elsewhere, such as the AWS SigV4 test suite's
    /// `AKIDEXAMPLE`. The key lives in the store until the next start re-applies the
    /// configuration.
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown user; `InternalFailure` when the store fails.
    pub fn import_access_key(
        &self,
        user: &str,
        access_key_id: &str,
        secret_access_key: &str,
    ) -> Result<(), Error> {
        let (account, name) = match user.split_once('/') {
            Some((a, n)) => (Some(a), n),
            None => (None, user),
        };
        self.engine.change(|snapshot| {
            let (account_id, mut target) = snapshot
                .data
                .accounts
                .iter()
                .filter(|a| account.is_none_or(|x| x == a.id))
                .find_map(|a| a.user(name).map(|u| (a.id.clone(), u.clone())))
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::NoSuchEntity,
                        format!("The user with name {user} cannot be found."),
                    )
                })?;
            target.access_keys.retain(|k| k.id != access_key_id);
            target.access_keys.push(keyturn_core::iam::AccessKey {
                id: access_key_id.to_owned(),
                secret: keyturn_core::iam::SecretString::new(secret_access_key),
                status: keyturn_core::iam::AccessKeyStatus::Active,
            });
            let change = keyturn_core::iam::Change::Put {
                account: account_id,
                entity: keyturn_core::iam::Entity::User(target),
            };
            Ok((vec![change], ()))
        })?;
        Ok(())
    }

    /// Verifies a request signed for `service` (its SigV4 signing name) and returns the caller.
    /// The scope's region must be the engine's region.
    ///
    /// # Errors
    /// The SigV4 and credential errors with AWS's codes and texts.
    pub fn verify_request(
        &self,
        request: &ReceivedRequest<'_>,
        service: &str,
    ) -> Result<Caller, Error> {
        let http = request.http_parts(request.body);
        self.engine.authenticate_for(&http, service)
    }

    /// The caller that `credentials` stand for, authenticated now (the secret must be the
    /// key's; a session token must open and name the key id).
    ///
    /// # Errors
    /// `InvalidClientTokenId`, `ExpiredToken`, `SignatureDoesNotMatch` (wrong secret).
    pub fn caller(&self, credentials: &ActAs) -> Result<Caller, Error> {
        self.engine.authenticate_credentials(
            &credentials.access_key_id,
            &credentials.secret_access_key,
            credentials.session_token.as_deref(),
            Some(&local_request()),
        )
    }

    /// Authorizes `action` on `resource` for `caller`, with extra condition keys as a JSON
    /// object (`None` or `""`: none).
    ///
    /// # Errors
    /// `InvalidParameterValue` for context JSON that is not an object of strings (or arrays of
    /// strings, numbers, booleans); `InternalFailure` from the evaluator.
    pub fn authorize(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        context_json: Option<&str>,
    ) -> Result<Authorization, Error> {
        let context = parse_context(context_json.unwrap_or(""))?;
        keyturn_core::ops::with_condition_keys(&context, |extra| {
            self.engine.authorize(caller, action, resource, extra)
        })
    }

    /// Runs one request of operation `O` as `credentials`, without HTTP: the input is
    /// validated, the credentials authenticated and the operation run by the engine, as the same
    /// request over the wire would be. The unsigned federation actions ignore `credentials`.
    ///
    /// # Errors
    /// Any [`Error`] the same request over the wire would get.
    pub fn call<O: Operation>(
        &self,
        credentials: &ActAs,
        input: O::Input,
    ) -> Result<O::Output, Error> {
        input.validate()?;
        let http = local_request();
        if O::UNSIGNED {
            return ops::invoke::<O>(&self.engine, None, &http, input);
        }
        let caller = self.caller(credentials)?;
        ops::invoke::<O>(&self.engine, Some(&caller), &http, input)
    }
}

/// The environment of a call made in process: from 127.0.0.1, no user agent, no TLS.
fn local_request() -> HttpParts<'static> {
    HttpParts::post(&[], b"", IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// Parses condition keys given as a JSON object: each value a string, a number, a boolean or
/// an array of those. Empty text: no keys.
///
/// # Errors
/// `InvalidParameterValue` naming what is wrong.
pub fn parse_context(json: &str) -> Result<Vec<(String, Vec<String>)>, Error> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    let bad = |m: String| Error::new(ErrorCode::InvalidParameterValue, m);
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| bad(format!("context is not valid JSON: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(bad("context must be a JSON object".to_owned()));
    };
    let scalar = |k: &str, v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        _ => Err(bad(format!(
            "context key `{k}` must be a string, number, boolean or an array of those"
        ))),
    };
    map.iter()
        .map(|(k, v)| {
            let values = match v {
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| scalar(k, i))
                    .collect::<Result<Vec<_>, _>>()?,
                other => vec![scalar(k, other)?],
            };
            Ok((k.clone(), values))
        })
        .collect()
}

//! Embedding Keyturn in another program (the Node and C bindings): a [`Runtime`] plus what a
//! host service needs that the engine does not offer directly.
//!
//! - SigV4 verification of requests signed for *any* service (`s3`, `execute-api`, the suite's
//!   `service`), not only `sts` and `iam`;
//! - a clock that can be fixed, to replay recorded requests;
//! - STS calls made as a given set of credentials without an HTTP round trip
//!   ([`Embedded::call`]): a request is signed in memory and run by the engine, so the caller is
//!   authenticated exactly as over the wire;
//! - condition keys given as JSON (`{"aws:SourceVpc": "vpc-1", "s3:prefix": ["a", "b"]}`).
//!
//! Verification for a service other than `sts`/`iam` checks the signature with
//! [`keyturn_sigv4::Verifier`] configured for that service, then builds the caller by letting the
//! engine authenticate an in-memory STS request signed with the same credentials (the engine
//! builds callers only from requests it verified itself). That costs one more signature (a few
//! microseconds) and keeps every rule about keys and session tokens in the core.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use keyturn_core::Error;
use keyturn_core::clock::FixedClock;
use keyturn_core::engine::{Authorization, Caller, Engine};
use keyturn_core::sts::{ApiRequest, ApiResponse, HttpParts, Service};
use keyturn_sigv4::{
    AmzDate, CredentialLookup, HttpRequest, SigningParams, SigningSecret, SigningSettings,
    Verifier, VerifierConfig,
};
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

/// An engine embedded in a host program.
pub struct Embedded {
    runtime: Runtime,
    engine: Arc<Engine>,
    clock: Option<Arc<FixedClock>>,
    /// One verifier (and signing-key cache) per service name, created on first use.
    verifiers: Mutex<Vec<(String, Arc<Verifier>)>>,
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedded")
            .field("engine", &self.engine)
            .field("fixed_clock", &self.clock.is_some())
            .finish_non_exhaustive()
    }
}

/// The host name of the in-memory STS requests.
const STS_HOST: &str = "sts.amazonaws.com";

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
            verifiers: Mutex::new(Vec::new()),
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
            Error::NoSuchEntity(format!(
                "The user with name {who} has no active access key."
            ))
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
        let store = self.engine.store();
        let mut data = store.load()?;
        let (account, name) = match user.split_once('/') {
            Some((a, n)) => (Some(a), n),
            None => (None, user),
        };
        let target = data
            .accounts
            .iter_mut()
            .filter(|a| account.is_none_or(|x| x == a.id))
            .flat_map(|a| a.users.iter_mut())
            .find(|u| u.name == name)
            .ok_or_else(|| {
                Error::NoSuchEntity(format!("The user with name {user} cannot be found."))
            })?;
        target.access_keys.retain(|k| k.id != access_key_id);
        target.access_keys.push(keyturn_core::iam::AccessKey {
            id: access_key_id.to_owned(),
            secret: keyturn_core::iam::SecretString::new(secret_access_key),
            status: keyturn_core::iam::AccessKeyStatus::Active,
        });
        store.apply(&data)?;
        self.engine.reload()
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
        let user_agent = request.headers.iter().find_map(|(k, v)| {
            k.eq_ignore_ascii_case("user-agent")
                .then(|| std::str::from_utf8(v).ok())
                .flatten()
        });
        let source_ip = request.source_ip.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let http = HttpParts {
            method: request.method,
            path: request.path,
            query: request.query,
            headers: request.headers,
            body: request.body,
            source_ip,
            user_agent,
            secure_transport: false,
        };
        match service {
            "sts" => return self.engine.verify_request(&http, Service::Sts),
            "iam" => return self.engine.verify_request(&http, Service::Iam),
            _ => {}
        }
        let verifier = self.verifier(service);
        let now = self.engine.clock().now();
        let req = HttpRequest {
            method: request.method,
            path: request.path,
            query: request.query,
            headers: request.headers,
            body: request.body,
        };
        let lookup = SecretLookup {
            engine: &self.engine,
            now,
        };
        let verified = verifier.verify(&req, &lookup, now).map_err(Error::from)?;
        let creds = verified.identity;
        self.caller_of(&creds, source_ip, user_agent)
    }

    /// The caller that `credentials` stand for, authenticated now as if they signed a request.
    ///
    /// # Errors
    /// `InvalidClientTokenId`, `ExpiredToken`, `SignatureDoesNotMatch` (wrong secret).
    pub fn caller(&self, credentials: &ActAs) -> Result<Caller, Error> {
        self.caller_of(credentials, IpAddr::V4(Ipv4Addr::LOCALHOST), None)
    }

    fn caller_of(
        &self,
        credentials: &ActAs,
        source_ip: IpAddr,
        user_agent: Option<&str>,
    ) -> Result<Caller, Error> {
        let signed = self.sign(credentials, "sts", STS_HOST)?;
        let headers = signed.header_refs();
        let http = HttpParts {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
            source_ip,
            user_agent,
            secure_transport: false,
        };
        self.engine.verify_request(&http, Service::Sts)
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
        let values: Vec<Vec<&str>> = context
            .iter()
            .map(|(_, vs)| vs.iter().map(String::as_str).collect())
            .collect();
        let extra: Vec<(&str, &[&str])> = context
            .iter()
            .zip(&values)
            .map(|((k, _), vs)| (k.as_str(), vs.as_slice()))
            .collect();
        self.engine.authorize(caller, action, resource, &extra)
    }

    /// Runs one STS (or IAM simulation) request as `credentials`, without HTTP: the request is
    /// validated, signed in memory at the engine's time and run by the engine.
    ///
    /// # Errors
    /// Any [`Error`] the same request over the wire would get.
    pub fn call(&self, credentials: &ActAs, request: ApiRequest) -> Result<ApiResponse, Error> {
        request.validate()?;
        let service = if request.is_iam() {
            Service::Iam
        } else {
            Service::Sts
        };
        let signed = match service {
            Service::Iam => self.sign(credentials, "iam", "iam.amazonaws.com")?,
            Service::Sts => self.sign(credentials, "sts", STS_HOST)?,
        };
        let headers = signed.header_refs();
        let http = HttpParts {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
            source_ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            user_agent: None,
            secure_transport: false,
        };
        let mut identity = None;
        self.engine
            .run(&http, service, request, Some(&mut identity))
    }

    fn sign(&self, credentials: &ActAs, service: &str, host: &str) -> Result<SignedHeaders, Error> {
        let mut creds = keyturn_sigv4::Credentials::new(
            credentials.access_key_id.clone(),
            SigningSecret::new(credentials.secret_access_key.as_bytes()),
        );
        if let Some(t) = &credentials.session_token {
            creds = creds.with_session_token(t.clone());
        }
        let time = AmzDate::from_offset_date_time(self.engine.clock().now());
        let base: [(&str, &[u8]); 1] = [("host", host.as_bytes())];
        let req = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &base,
            body: b"",
        };
        let params = SigningParams::new(&creds, self.engine.region(), service, time);
        let out = keyturn_sigv4::sign(&req, &params)
            .map_err(|e| Error::InvalidParameterValue(e.to_string()))?;
        let mut headers = vec![("host".to_owned(), host.to_owned())];
        headers.extend(out.headers.into_iter().map(|(k, v)| (k.to_owned(), v)));
        Ok(SignedHeaders(headers))
    }

    fn verifier(&self, service: &str) -> Arc<Verifier> {
        let mut list = self
            .verifiers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, v)) = list.iter().find(|(s, _)| s == service) {
            return Arc::clone(v);
        }
        let mut config = VerifierConfig::new(service).with_region(self.engine.region());
        if service == "s3" {
            config.settings = SigningSettings::s3();
            config.allow_unsigned_payload = true;
        }
        let v = Arc::new(Verifier::with_cache(
            config,
            keyturn_sigv4::SigningKeyCache::new(1024),
        ));
        list.push((service.to_owned(), Arc::clone(&v)));
        v
    }
}

/// Headers of an in-memory signed request.
struct SignedHeaders(Vec<(String, String)>);

impl SignedHeaders {
    fn header_refs(&self) -> Vec<(&str, &[u8])> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect()
    }
}

/// Finds the secret of a long-term key or a session token, keeping the credentials to rebuild
/// the caller.
struct SecretLookup<'a> {
    engine: &'a Engine,
    now: OffsetDateTime,
}

impl CredentialLookup for SecretLookup<'_> {
    type Error = Error;
    type Identity = ActAs;

    fn lookup(
        &self,
        access_key_id: &str,
        session_token: Option<&str>,
    ) -> Result<(SigningSecret, ActAs), Error> {
        let snapshot = self.engine.snapshot()?;
        let (secret, _) = keyturn_core::engine::signing_secret(
            self.engine,
            &snapshot,
            access_key_id,
            session_token,
            self.now,
        )?;
        let credentials = ActAs {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: String::from_utf8_lossy(secret.expose()).into_owned(),
            session_token: session_token.map(str::to_owned),
        };
        Ok((secret, credentials))
    }
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
    let bad = |m: String| Error::InvalidParameterValue(m);
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

//! `keyturn.Engine`: the engine in-process, over the facade's `Embedded`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use keyturn::Config;
use keyturn::api::SecretString;
use keyturn::api::sts::{
    AssumeRoleRequest, DecodeAuthorizationMessageRequest, GetAccessKeyInfoRequest,
    GetCallerIdentityRequest, GetFederationTokenRequest, GetSessionTokenRequest,
    PolicyDescriptorType, Tag,
};
use keyturn::config::StoreConfig;
use keyturn::embedded::{EmbedOptions, Embedded, ReceivedRequest};
use keyturn::ops::Operation;
use keyturn::ops::sts::{
    AssumeRole, DecodeAuthorizationMessage, GetAccessKeyInfo, GetCallerIdentity,
    GetFederationToken, GetSessionToken,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use time::OffsetDateTime;

use crate::errors;
use crate::types::{Caller, CallerIdentity, Credentials, Decision};

/// A keyring file in a private temporary directory, removed with the engine.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> std::io::Result<TempDir> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "keyturn-python-{}-{}-{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&dir)?;
    Ok(TempDir(dir))
}

/// A Keyturn engine: the STS operations, request verification and authorization, in-process.
#[pyclass(module = "keyturn._native", frozen)]
pub struct Engine {
    pub(crate) inner: Arc<Embedded>,
    _temp: Option<TempDir>,
}

/// Reads a configuration from a path (`os.PathLike`), YAML/JSON text (`str`) or a mapping.
fn load_config(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Config> {
    let loaded = if let Ok(text) = config.cast::<PyString>() {
        Config::from_str(&text.extract::<String>()?, "<string>")
    } else if config.hasattr("__fspath__")? {
        let path: PathBuf = py
            .import("os")?
            .call_method1("fspath", (config,))?
            .extract()?;
        Config::from_file(path)
    } else if config.is_instance(&py.import("collections.abc")?.getattr("Mapping")?)? {
        let text: String = py
            .import("json")?
            .call_method1(
                "dumps",
                (py.import("builtins")?.call_method1("dict", (config,))?,),
            )?
            .extract()?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| errors::invalid_parameter(py, e.to_string()))?;
        Config::from_json_value(&value, "<dict>")
    } else {
        return Err(PyTypeError::new_err(
            "config must be a path (os.PathLike), YAML/JSON text (str) or a mapping",
        ));
    };
    loaded.map_err(|e| errors::config(py, &e))
}

/// `datetime` (aware or UTC-naive), `int`/`float` seconds since the epoch, to a time.
fn to_time(value: &Bound<'_, PyAny>) -> PyResult<OffsetDateTime> {
    let secs: f64 = if value.hasattr("timestamp")? {
        let tz = value.getattr("tzinfo")?;
        let v = if tz.is_none() {
            let utc = value
                .py()
                .import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?;
            let kwargs = pyo3::types::PyDict::new(value.py());
            kwargs.set_item("tzinfo", utc)?;
            value.call_method("replace", (), Some(&kwargs))?
        } else {
            value.clone()
        };
        v.call_method0("timestamp")?.extract()?
    } else {
        value.extract()?
    };
    #[expect(
        clippy::cast_possible_truncation,
        reason = "whole seconds are what the engine keeps"
    )]
    let whole = secs.floor() as i64;
    OffsetDateTime::from_unix_timestamp(whole)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// A policy given as JSON text or as a mapping.
fn policy_text(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match policy {
        None => Ok(None),
        Some(p) if p.is_none() => Ok(None),
        Some(p) => match p.cast::<PyString>() {
            Ok(s) => Ok(Some(s.extract::<String>()?)),
            Err(_) => Ok(Some(
                py.import("json")?.call_method1("dumps", (p,))?.extract()?,
            )),
        },
    }
}

/// A list argument: `None` or empty is an absent parameter, as before the generated shapes.
fn list<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

fn tags(tags: Option<std::collections::BTreeMap<String, String>>) -> Option<Vec<Tag>> {
    list(
        tags.unwrap_or_default()
            .into_iter()
            .map(|(key, value)| Tag { key, value })
            .collect(),
    )
}

fn policy_arns(arns: Option<Vec<String>>) -> Option<Vec<PolicyDescriptorType>> {
    list(
        arns.unwrap_or_default()
            .into_iter()
            .map(|arn| PolicyDescriptorType { arn: Some(arn) })
            .collect(),
    )
}

/// The path and query of a URL (`http://host/path?query`, or `/path?query`).
fn split_url(url: &str) -> (&str, &str) {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => url,
    };
    let rest = rest.split('#').next().unwrap_or(rest);
    match rest.split_once('?') {
        Some((p, q)) => (if p.is_empty() { "/" } else { p }, q),
        None => (if rest.is_empty() { "/" } else { rest }, ""),
    }
}

fn header_value(value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    Ok(value.extract::<String>()?.into_bytes())
}

impl Engine {
    fn build(
        py: Python<'_>,
        mut config: Config,
        ephemeral: bool,
        fixed_time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let temp = if ephemeral {
            let dir = temp_dir().map_err(|e| errors::invalid_parameter(py, e.to_string()))?;
            config.keyring = dir.0.join("keyring.json");
            config.store = StoreConfig::Memory;
            Some(dir)
        } else {
            None
        };
        let options = EmbedOptions {
            fixed_time: fixed_time
                .filter(|t| !t.is_none())
                .map(to_time)
                .transpose()?,
        };
        let inner = py
            .detach(|| Embedded::from_config(&config, &options))
            .map_err(|e| errors::embed(py, &e))?;
        Ok(Self {
            inner: Arc::new(inner),
            _temp: temp,
        })
    }

    fn call<O: Operation>(
        &self,
        py: Python<'_>,
        credentials: &Credentials,
        input: O::Input,
    ) -> PyResult<O::Output> {
        self.inner
            .call::<O>(&credentials.act_as(), input)
            .map_err(|e| errors::sts(py, &e))
    }

    fn caller_of(&self, py: Python<'_>, principal: &Bound<'_, PyAny>) -> PyResult<keyturn::Caller> {
        if let Ok(c) = principal.cast::<Caller>() {
            return Ok(c.get().inner.clone());
        }
        let act_as = if let Ok(c) = principal.cast::<Credentials>() {
            c.get().act_as()
        } else if let Ok(who) = principal.extract::<String>() {
            self.inner
                .credentials(&who)
                .map_err(|e| errors::sts(py, &e))?
        } else {
            return Err(PyTypeError::new_err(
                "principal must be a Caller, Credentials or the name of a configured user",
            ));
        };
        self.inner.caller(&act_as).map_err(|e| errors::sts(py, &e))
    }
}

/// A response member that the operation always returns; its absence is an internal failure.
fn required<T>(py: Python<'_>, member: Option<T>) -> PyResult<T> {
    member.ok_or_else(|| {
        errors::sts(
            py,
            &keyturn::Error::new(
                keyturn::ErrorCode::InternalFailure,
                "unexpected response shape",
            ),
        )
    })
}

#[pymethods]
impl Engine {
    /// An engine from a configuration: a path (`os.PathLike`), YAML/JSON text (`str`) or a
    /// mapping. `ephemeral=True` keeps the store in memory and the keyring in a temporary file
    /// removed with the engine; `fixed_time` stops the engine's clock (see `set_time`).
    #[new]
    #[pyo3(signature = (config, *, ephemeral=false, fixed_time=None))]
    fn new(
        py: Python<'_>,
        config: &Bound<'_, PyAny>,
        ephemeral: bool,
        fixed_time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = load_config(py, config)?;
        Self::build(py, config, ephemeral, fixed_time)
    }

    /// An engine from a configuration file.
    #[staticmethod]
    #[pyo3(signature = (path, *, ephemeral=false, fixed_time=None))]
    fn from_file(
        py: Python<'_>,
        path: PathBuf,
        ephemeral: bool,
        fixed_time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = Config::from_file(path).map_err(|e| errors::config(py, &e))?;
        Self::build(py, config, ephemeral, fixed_time)
    }

    /// An engine from YAML (or JSON) text.
    #[staticmethod]
    #[pyo3(signature = (text, *, ephemeral=false, fixed_time=None))]
    fn from_yaml(
        py: Python<'_>,
        text: &str,
        ephemeral: bool,
        fixed_time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = Config::from_str(text, "<string>").map_err(|e| errors::config(py, &e))?;
        Self::build(py, config, ephemeral, fixed_time)
    }

    /// An engine from a mapping (the configuration file's schema).
    #[staticmethod]
    #[pyo3(signature = (config, *, ephemeral=false, fixed_time=None))]
    fn from_dict(
        py: Python<'_>,
        config: &Bound<'_, PyAny>,
        ephemeral: bool,
        fixed_time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        if config.cast::<PyString>().is_ok() || config.hasattr("__fspath__")? {
            return Err(PyTypeError::new_err("from_dict takes a mapping"));
        }
        let config = load_config(py, config)?;
        Self::build(py, config, ephemeral, fixed_time)
    }

    /// The region served.
    #[getter]
    fn region(&self) -> &str {
        self.inner.engine().region()
    }

    /// The configured users, as `ACCOUNT/name`, in configuration order.
    #[getter]
    fn users(&self) -> Vec<String> {
        self.inner
            .runtime()
            .config
            .iam
            .accounts
            .iter()
            .flat_map(|a| a.users.iter().map(move |u| format!("{}/{}", a.id, u.name)))
            .collect()
    }

    /// Moves a fixed clock (`fixed_time=`) to `at`; `False` with the system clock.
    fn set_time(&self, at: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.inner.set_time(to_time(at)?))
    }

    /// The access key of a configured user (`"alice"`, `"ACCOUNT/alice"`) or an account's root
    /// (`"ACCOUNT"`).
    fn credentials(&self, py: Python<'_>, who: &str) -> PyResult<Credentials> {
        self.inner
            .credentials(who)
            .map(Credentials::from_act_as)
            .map_err(|e| errors::sts(py, &e))
    }

    /// AssumeRole as `credentials`.
    #[pyo3(signature = (credentials, role_arn, role_session_name, *, duration_seconds=None, policy=None, policy_arns=None, tags=None, transitive_tag_keys=None, external_id=None, serial_number=None, token_code=None, source_identity=None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "AssumeRole's parameters, as keywords"
    )]
    fn assume_role(
        &self,
        py: Python<'_>,
        credentials: PyRef<'_, Credentials>,
        role_arn: String,
        role_session_name: String,
        duration_seconds: Option<i32>,
        policy: Option<&Bound<'_, PyAny>>,
        policy_arns: Option<Vec<String>>,
        tags: Option<std::collections::BTreeMap<String, String>>,
        transitive_tag_keys: Option<Vec<String>>,
        external_id: Option<String>,
        serial_number: Option<String>,
        token_code: Option<String>,
        source_identity: Option<String>,
    ) -> PyResult<Credentials> {
        let input = AssumeRoleRequest {
            role_arn,
            role_session_name,
            policy_arns: self::policy_arns(policy_arns),
            policy: policy_text(py, policy)?,
            duration_seconds,
            tags: self::tags(tags),
            transitive_tag_keys: transitive_tag_keys.and_then(list),
            external_id,
            serial_number,
            token_code: token_code.map(SecretString::new),
            source_identity,
            ..AssumeRoleRequest::default()
        };
        let r = self.call::<AssumeRole>(py, &credentials, input)?;
        Credentials::from_api(py, required(py, r.credentials)?)
    }

    /// GetSessionToken as `credentials` (a long-term key).
    #[pyo3(signature = (credentials, *, duration_seconds=None, serial_number=None, token_code=None))]
    fn get_session_token(
        &self,
        py: Python<'_>,
        credentials: PyRef<'_, Credentials>,
        duration_seconds: Option<i32>,
        serial_number: Option<String>,
        token_code: Option<String>,
    ) -> PyResult<Credentials> {
        let input = GetSessionTokenRequest {
            duration_seconds,
            serial_number,
            token_code: token_code.map(SecretString::new),
            ..GetSessionTokenRequest::default()
        };
        let r = self.call::<GetSessionToken>(py, &credentials, input)?;
        Credentials::from_api(py, required(py, r.credentials)?)
    }

    /// GetFederationToken as `credentials` (a long-term key).
    #[pyo3(signature = (credentials, name, *, policy=None, policy_arns=None, duration_seconds=None, tags=None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "GetFederationToken's parameters, as keywords"
    )]
    fn get_federation_token(
        &self,
        py: Python<'_>,
        credentials: PyRef<'_, Credentials>,
        name: String,
        policy: Option<&Bound<'_, PyAny>>,
        policy_arns: Option<Vec<String>>,
        duration_seconds: Option<i32>,
        tags: Option<std::collections::BTreeMap<String, String>>,
    ) -> PyResult<Credentials> {
        let input = GetFederationTokenRequest {
            name,
            policy: policy_text(py, policy)?,
            policy_arns: self::policy_arns(policy_arns),
            duration_seconds,
            tags: self::tags(tags),
            ..GetFederationTokenRequest::default()
        };
        let r = self.call::<GetFederationToken>(py, &credentials, input)?;
        Credentials::from_api(py, required(py, r.credentials)?)
    }

    /// GetCallerIdentity as `credentials`.
    fn get_caller_identity(
        &self,
        py: Python<'_>,
        credentials: PyRef<'_, Credentials>,
    ) -> PyResult<CallerIdentity> {
        let r = self.call::<GetCallerIdentity>(py, &credentials, GetCallerIdentityRequest {})?;
        Ok(CallerIdentity {
            user_id: required(py, r.user_id)?,
            account: required(py, r.account)?,
            arn: required(py, r.arn)?,
        })
    }

    /// GetAccessKeyInfo as `credentials`: the account that `access_key_id` belongs to.
    fn get_access_key_info(
        &self,
        py: Python<'_>,
        credentials: PyRef<'_, Credentials>,
        access_key_id: String,
    ) -> PyResult<String> {
        let input = GetAccessKeyInfoRequest { access_key_id };
        let r = self.call::<GetAccessKeyInfo>(py, &credentials, input)?;
        required(py, r.account)
    }

    /// DecodeAuthorizationMessage as `credentials`: the decision document, JSON text.
    fn decode_authorization_message(
        &self,
        py: Python<'_>,
        credentials: PyRef<'_, Credentials>,
        encoded_message: String,
    ) -> PyResult<String> {
        let input = DecodeAuthorizationMessageRequest { encoded_message };
        let r = self.call::<DecodeAuthorizationMessage>(py, &credentials, input)?;
        required(py, r.decoded_message)
    }

    /// Authorizes `action` on `resource` for a `Caller`, `Credentials` or a configured user's
    /// name, with extra condition keys (`{"s3:prefix": "logs/"}`, values may be lists).
    #[pyo3(signature = (principal, action, resource, context=None))]
    fn authorize(
        &self,
        py: Python<'_>,
        principal: &Bound<'_, PyAny>,
        action: &str,
        resource: &str,
        context: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Decision> {
        let caller = self.caller_of(py, principal)?;
        let context = match context.filter(|c| !c.is_none()) {
            Some(c) => Some(
                py.import("json")?
                    .call_method1("dumps", (c,))?
                    .extract::<String>()?,
            ),
            None => None,
        };
        let a = self
            .inner
            .authorize(&caller, action, resource, context.as_deref())
            .map_err(|e| errors::sts(py, &e))?;
        Decision::from_core(py, a)
    }

    /// Verifies a SigV4-signed request that a service received and returns its caller.
    /// `headers` is a mapping or a list of (name, value) pairs; `service` is the signing name
    /// the request must be scoped to.
    #[pyo3(signature = (method, url, headers, body=None, *, service="s3", source_ip=None))]
    #[expect(clippy::too_many_arguments, reason = "a request's parts, as keywords")]
    fn verify_request(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<&Bound<'_, PyAny>>,
        service: &str,
        source_ip: Option<&str>,
    ) -> PyResult<Caller> {
        with_request(py, method, url, headers, body, source_ip, |request| {
            self.inner
                .verify_request(request, service)
                .map(|inner| Caller { inner })
                .map_err(|e| errors::sts(py, &e))
        })
    }

    /// Verifies the headers of an upload whose body may be `aws-chunked` (S3's streaming
    /// payloads, SigV4 or SigV4a): `(caller, body)`, where `body` is a `ChunkedBody` to feed
    /// the request's body as it arrives, or `None` when the payload is not chunked (then
    /// `body` must be given here, as to `verify_request`).
    #[pyo3(signature = (method, url, headers, body=None, *, service="s3", source_ip=None))]
    #[expect(clippy::too_many_arguments, reason = "a request's parts, as keywords")]
    fn verify_upload(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<&Bound<'_, PyAny>>,
        service: &str,
        source_ip: Option<&str>,
    ) -> PyResult<(Caller, Option<crate::chunked::ChunkedBody>)> {
        with_request(
            py,
            method,
            url,
            headers,
            body,
            source_ip,
            |request| match self.inner.verify_upload(request, service) {
                Ok(up) => Ok((
                    Caller { inner: up.caller },
                    up.body.map(crate::chunked::ChunkedBody::new),
                )),
                Err(e) => Err(errors::upload(py, &e)),
            },
        )
    }

    /// The current TOTP code of an MFA seed (base32) at the engine's time, or at `at`.
    #[pyo3(signature = (seed, at=None))]
    fn totp(&self, py: Python<'_>, seed: &str, at: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
        let at = match at.filter(|a| !a.is_none()) {
            Some(a) => to_time(a)?,
            None => self.inner.engine().clock().now(),
        };
        totp_at(py, seed, at)
    }

    fn __repr__(&self) -> String {
        format!("Engine(region='{}')", self.inner.engine().region())
    }
}

/// Header (name, value) pairs, names lowercase.
type OwnedHeaders = Vec<(String, Vec<u8>)>;

/// The headers (names lowercase) and source address of a request given to `verify_*`.
fn request_parts(
    py: Python<'_>,
    headers: &Bound<'_, PyAny>,
    source_ip: Option<&str>,
) -> PyResult<(OwnedHeaders, Option<IpAddr>)> {
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    let mut owned: OwnedHeaders = Vec::new();
    for item in pairs.try_iter()? {
        let (name, value): (String, Bound<'_, PyAny>) = item?.extract()?;
        owned.push((name.to_ascii_lowercase(), header_value(&value)?));
    }
    let source_ip = source_ip
        .map(|s| {
            s.parse::<IpAddr>().map_err(|_| {
                errors::invalid_parameter(py, format!("source_ip `{s}` is not an IP address"))
            })
        })
        .transpose()?;
    Ok((owned, source_ip))
}

fn totp_at(py: Python<'_>, seed: &str, at: OffsetDateTime) -> PyResult<String> {
    use keyturn::mfa;
    let key =
        mfa::decode_seed_base32(seed).map_err(|e| errors::invalid_parameter(py, e.to_string()))?;
    let unix = u64::try_from(at.unix_timestamp())
        .map_err(|_| errors::invalid_parameter(py, "time before 1970"))?;
    mfa::totp(&key, unix, &mfa::TotpParams::default())
        .map_err(|e| errors::invalid_parameter(py, e.to_string()))
}

/// The current TOTP code (SHA-1, 6 digits, 30 s) of an MFA seed (base32), or the code at `at`.
#[pyfunction]
#[pyo3(signature = (seed, at=None))]
pub fn totp(py: Python<'_>, seed: &str, at: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    let at = match at.filter(|a| !a.is_none()) {
        Some(a) => to_time(a)?,
        None => OffsetDateTime::now_utc(),
    };
    totp_at(py, seed, at)
}

/// Builds the request that `headers`, `body` and the rest describe and hands it to `f`.
fn with_request<R>(
    py: Python<'_>,
    method: &str,
    url: &str,
    headers: &Bound<'_, PyAny>,
    body: Option<&Bound<'_, PyAny>>,
    source_ip: Option<&str>,
    f: impl FnOnce(&ReceivedRequest<'_>) -> PyResult<R>,
) -> PyResult<R> {
    let (owned, source_ip) = request_parts(py, headers, source_ip)?;
    let body = match body.filter(|b| !b.is_none()) {
        Some(b) => header_value(b)?,
        None => Vec::new(),
    };
    let refs: Vec<(&str, &[u8])> = owned
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let (path, query) = split_url(url);
    f(&ReceivedRequest {
        method,
        path,
        query,
        headers: &refs,
        body: &body,
        source_ip,
    })
}

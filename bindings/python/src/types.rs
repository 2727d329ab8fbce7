//! The values the binding hands to Python: credentials, identities, decisions.

use keyturn::MatchedStatement as CoreMatched;
use keyturn::embedded::ActAs;
use keyturn::{Authorization, CallerKind, Outcome};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use time::OffsetDateTime;

/// An aware `datetime` (UTC) for `t`.
pub(crate) fn to_datetime(py: Python<'_>, t: OffsetDateTime) -> PyResult<Py<PyAny>> {
    let dt = py.import("datetime")?;
    let utc = dt.getattr("timezone")?.getattr("utc")?;
    let value = dt
        .getattr("datetime")?
        .call_method1("fromtimestamp", (t.unix_timestamp(), utc))?;
    Ok(value.unbind())
}

/// AWS credentials: a long-term key (no session token, no expiration) or temporary ones.
#[pyclass(module = "keyturn._native", frozen, get_all)]
pub struct Credentials {
    /// `AKIA…` or `ASIA…`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
    /// When temporary credentials expire (an aware `datetime` in UTC).
    pub expiration: Option<Py<PyAny>>,
}

#[pymethods]
impl Credentials {
    #[new]
    #[pyo3(signature = (access_key_id, secret_access_key, session_token=None, expiration=None))]
    fn new(
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        expiration: Option<Py<PyAny>>,
    ) -> Self {
        Self {
            access_key_id,
            secret_access_key,
            session_token,
            expiration,
        }
    }

    /// `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`: the keyword arguments
    /// of `boto3.Session` and `boto3.client`.
    fn boto3_kwargs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("aws_access_key_id", &self.access_key_id)?;
        d.set_item("aws_secret_access_key", &self.secret_access_key)?;
        d.set_item("aws_session_token", &self.session_token)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let expiration = match &self.expiration {
            Some(e) => e.bind(py).repr()?.to_string(),
            None => "None".to_owned(),
        };
        Ok(format!(
            "Credentials(access_key_id={:?}, secret_access_key='***', session_token={}, expiration={expiration})",
            self.access_key_id,
            if self.session_token.is_some() {
                "'***'"
            } else {
                "None"
            },
        ))
    }
}

impl Credentials {
    /// From the API's credentials.
    pub(crate) fn from_api(py: Python<'_>, c: keyturn::api::sts::Credentials) -> PyResult<Self> {
        Ok(Self {
            access_key_id: c.access_key_id,
            secret_access_key: c.secret_access_key.expose().to_owned(),
            session_token: Some(c.session_token.expose().to_owned()),
            expiration: Some(to_datetime(py, c.expiration)?),
        })
    }

    /// From a long-term key.
    pub(crate) fn from_act_as(a: ActAs) -> Self {
        Self {
            access_key_id: a.access_key_id,
            secret_access_key: a.secret_access_key,
            session_token: a.session_token,
            expiration: None,
        }
    }

    /// What the facade signs with.
    pub(crate) fn act_as(&self) -> ActAs {
        ActAs {
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret_access_key.clone(),
            session_token: self.session_token.clone(),
        }
    }
}

/// GetCallerIdentity's answer.
#[pyclass(module = "keyturn._native", frozen, get_all, eq)]
#[derive(PartialEq, Eq)]
pub struct CallerIdentity {
    /// The unique id (`AIDA…`, `AROA…:session`).
    pub user_id: String,
    /// The account.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

#[pymethods]
impl CallerIdentity {
    fn __repr__(&self) -> String {
        format!(
            "CallerIdentity(user_id={:?}, account={:?}, arn={:?})",
            self.user_id, self.account, self.arn
        )
    }
}

/// An authenticated caller: who signed a request (`Engine.verify_request`) or who a set of
/// credentials stands for. Pass it to `Engine.authorize`.
#[pyclass(module = "keyturn._native", frozen)]
pub struct Caller {
    pub(crate) inner: keyturn::Caller,
}

#[pymethods]
impl Caller {
    /// The caller's ARN.
    #[getter]
    fn arn(&self) -> &str {
        &self.inner.arn
    }

    /// The unique id (`AIDA…`, `AROA…:session`).
    #[getter]
    fn user_id(&self) -> &str {
        &self.inner.user_id
    }

    /// The caller's account.
    #[getter]
    fn account(&self) -> &str {
        &self.inner.account
    }

    /// The access key id that signed.
    #[getter]
    fn access_key_id(&self) -> &str {
        &self.inner.access_key_id
    }

    /// `Root`, `User`, `SessionToken`, `RoleSession` or `FederatedUser`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner.kind {
            CallerKind::Root => "Root",
            CallerKind::User => "User",
            CallerKind::SessionToken => "SessionToken",
            CallerKind::RoleSession => "RoleSession",
            CallerKind::FederatedUser => "FederatedUser",
        }
    }

    fn __repr__(&self) -> String {
        format!("Caller(arn={:?}, kind={:?})", self.inner.arn, self.kind())
    }
}

/// A statement that matched an authorization request.
#[pyclass(module = "keyturn._native", frozen, get_all)]
pub struct MatchedStatement {
    /// The policy's id: an inline policy's name or a managed policy's ARN.
    pub policy_id: String,
    /// `user`, `group`, `role`, `user-managed`, `resource` or `none` (IAM's `SourcePolicyType`).
    pub policy_type: &'static str,
    /// The statement's `Sid`.
    pub sid: Option<String>,
    /// The statement's index in its policy.
    pub index: usize,
    /// `Allow` or `Deny`.
    pub effect: &'static str,
}

#[pymethods]
impl MatchedStatement {
    fn __repr__(&self) -> String {
        format!(
            "MatchedStatement(policy_id={:?}, sid={:?}, effect={:?})",
            self.policy_id, self.sid, self.effect
        )
    }
}

/// An authorization decision. True when allowed.
#[pyclass(module = "keyturn._native", frozen, get_all)]
pub struct Decision {
    /// Whether the request is allowed.
    pub allowed: bool,
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    pub decision: &'static str,
    /// The statements that decided (filled on a denial).
    pub matched_statements: Vec<Py<MatchedStatement>>,
    /// Why, in words (filled on a denial).
    pub reasons: Vec<String>,
    /// On a denial: the message that `DecodeAuthorizationMessage` opens.
    pub encoded_message: Option<String>,
}

#[pymethods]
impl Decision {
    fn __bool__(&self) -> bool {
        self.allowed
    }

    fn __repr__(&self) -> String {
        format!(
            "Decision(decision={:?}, matched_statements={}, reasons={:?})",
            self.decision,
            self.matched_statements.len(),
            self.reasons
        )
    }
}

impl Decision {
    pub(crate) fn from_core(py: Python<'_>, a: Authorization) -> PyResult<Self> {
        let decision = match a.verdict.outcome {
            Outcome::Allow => "Allow",
            Outcome::ExplicitDeny => "ExplicitDeny",
            Outcome::ImplicitDeny => "ImplicitDeny",
        };
        let matched = a
            .verdict
            .matched
            .into_iter()
            .map(|m: CoreMatched| {
                Py::new(
                    py,
                    MatchedStatement {
                        policy_id: m.policy_id,
                        policy_type: m.source.as_str(),
                        sid: m.sid,
                        index: m.index,
                        effect: if m.allow { "Allow" } else { "Deny" },
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            allowed: decision == "Allow",
            decision,
            matched_statements: matched,
            reasons: a.verdict.reasons,
            encoded_message: a.encoded_message,
        })
    }
}

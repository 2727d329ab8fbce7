//! The audit log: one JSON line per request, in CloudTrail's event shape.
//!
//! Nothing in it is per action. `requestParameters` are the request's Query parameters (all but
//! `Action` and `Version`), `responseElements` the members of the result the operation wrote, both
//! turned into CloudTrail's nesting the same way:
//!
//! - a name becomes lowerCamel (`RoleSessionName` → `roleSessionName`, `Tags.member.1.Key` →
//!   `tags[0].key`);
//! - a list (`Name.member.N…`, `<Name><member>…`) becomes an array ordered by its index (gaps
//!   closed), a map (`Name.entry.N.key`/`.value`, `<entry><key/><value/>`) an array of
//!   `{key, value}`, a nested structure (`TaskPolicyArn.arn`) an object;
//! - values stay the wire's text (`"durationSeconds": "900"`): without the model's types here,
//!   text is the faithful form;
//! - a parameter whose path conflicts with another's (`Tags=x` next to `Tags.member.1.Key=k`) is
//!   kept under its raw name.
//!
//! Secrets never reach it: a parameter whose top-level name (in any case) the operation's model marks
//! sensitive ([`keyturn_core::ops::Dispatch::sensitive`]) or that is in [`NEVER_LOGGED`] is
//! written as [`HIDDEN`]; a result element in [`NEVER_LOGGED`] is left out with all it contains
//! (credentials appear with their `accessKeyId` and `expiration` only). Read-only actions
//! ([`READ_ONLY`]) record no `responseElements`: a caller's identity, a decoded authorization
//! message or a simulation is no audit material, and a decoded message is exactly what the
//! encoding keeps out of logs.
//!
//! An event that cannot be written (a full disk, a closed pipe) is counted and reported once (a
//! `tracing` warning), without the event; what the request gets then is the server's choice
//! ([`OnAuditFailure`]): served anyway, or, failing closed as Vault's audit devices do, refused
//! with `ServiceUnavailable` before anything the operation produced leaves the server.

pub mod live;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use keyturn_api::rt::lower_camel;
use keyturn_core::clock::iso8601;
use keyturn_core::ops::Params;
use keyturn_core::request::{CallerIdentity, Service};
use quick_xml::events::Event;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

/// Parameter and result element names whose values are never written, whatever the action:
/// the secrets of credentials and the sensitive inputs of the federation actions (the models'
/// own sensitive marks cover the requests; this list also guards the results, and
/// `TrustedIdentityPropagationContext` is there because the model marks its members sensitive).
pub const NEVER_LOGGED: &[&str] = &[
    "SecretAccessKey",
    "SessionToken",
    "TokenCode",
    "SAMLAssertion",
    "WebIdentityToken",
    "TradeInToken",
    "TrustedIdentityPropagationContext",
];

/// What a sensitive parameter's value is written as (CloudTrail's marker).
pub const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// CloudTrail's `readOnly` actions; their results are not recorded.
pub const READ_ONLY: &[&str] = &[
    "GetCallerIdentity",
    "GetAccessKeyInfo",
    "DecodeAuthorizationMessage",
    "SimulatePrincipalPolicy",
    "SimulateCustomPolicy",
];

/// Where audit events go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AuditSink {
    /// Nowhere.
    #[default]
    Off,
    /// Standard output.
    Stdout,
    /// A file, opened for append (created if absent).
    File(PathBuf),
}

/// What a request gets when its audit event cannot be written (`server.audit_log.on_failure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnAuditFailure {
    /// Served as if the event had been written; the failure is counted
    /// ([`AuditLog::failures`]) and reported once (a `tracing` warning).
    #[default]
    Continue,
    /// Fail closed: answered `ServiceUnavailable` (503) instead of its result, so that no
    /// credentials leave the server unrecorded; while the log is known to be failing, requests
    /// are refused before their operation runs.
    Refuse,
}

/// An event could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the audit event: {0}")]
pub struct AuditWriteError(std::io::ErrorKind);

/// The writer and whether its last line may have been cut short.
struct Sink {
    out: Box<dyn Write + Send>,
    /// A write failed, possibly part-way: the next event starts on a fresh line.
    torn: bool,
}

/// An open audit log.
pub struct AuditLog {
    out: Option<Mutex<Sink>>,
    on_failure: OnAuditFailure,
    /// Events that could not be written.
    failures: AtomicU64,
    /// The last write failed.
    failing: AtomicBool,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("enabled", &self.out.is_some())
            .field("on_failure", &self.on_failure)
            .field("failures", &self.failures())
            .finish()
    }
}

/// A request whose operation is known: its parameters and the names its model marks sensitive.
#[derive(Debug, Clone, Copy)]
pub struct AuditRequest<'a> {
    /// The decoded Query parameters.
    pub params: &'a Params<'a>,
    /// The top-level parameter names never to write ([`keyturn_core::ops::Dispatch::sensitive`]).
    pub sensitive: &'a [&'a str],
}

/// What one request did, for its audit event.
#[derive(Debug)]
pub struct AuditRecord<'a> {
    /// The service, when the action was recognised.
    pub service: Option<Service>,
    /// The action's name, when known.
    pub action: Option<&'a str>,
    /// The region the server answers for.
    pub region: &'a str,
    /// The peer's IP.
    pub source_ip: std::net::IpAddr,
    /// The `User-Agent`.
    pub user_agent: Option<&'a str>,
    /// The caller, as the engine reported it.
    pub caller: Option<&'a CallerIdentity>,
    /// The request, once its operation is known.
    pub request: Option<AuditRequest<'a>>,
    /// On success: the members of the result as written (`<Credentials>…`, the XML of
    /// `<XResult>`'s content).
    pub response: Option<&'a str>,
    /// The error code and message, on failure.
    pub error: Option<(&'a str, &'a str)>,
    /// The request id.
    pub request_id: &'a str,
    /// When the request arrived.
    pub time: OffsetDateTime,
}

impl AuditLog {
    /// Opens the sink.
    ///
    /// # Errors
    /// The file cannot be opened for append.
    pub fn open(sink: &AuditSink) -> std::io::Result<Self> {
        let out: Option<Box<dyn Write + Send>> = match sink {
            AuditSink::Off => None,
            AuditSink::Stdout => Some(Box::new(std::io::stdout())),
            AuditSink::File(path) => Some(Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?,
            )),
        };
        Ok(Self::from_writer(out))
    }

    /// A log writing to `out` (`None`: off), serving requests whatever happens to it.
    pub(crate) fn from_writer(out: Option<Box<dyn Write + Send>>) -> Self {
        Self {
            out: out.map(|out| Mutex::new(Sink { out, torn: false })),
            on_failure: OnAuditFailure::Continue,
            failures: AtomicU64::new(0),
            failing: AtomicBool::new(false),
        }
    }

    /// The same log with `policy` for events it cannot write.
    pub fn on_failure(self, policy: OnAuditFailure) -> Self {
        Self {
            on_failure: policy,
            ..self
        }
    }

    /// Whether events are written at all.
    pub fn enabled(&self) -> bool {
        self.out.is_some()
    }

    /// Whether a request whose event cannot be written is refused ([`OnAuditFailure::Refuse`]).
    pub fn refuses(&self) -> bool {
        self.on_failure == OnAuditFailure::Refuse && self.out.is_some()
    }

    /// Whether the last event could not be written.
    pub fn failing(&self) -> bool {
        self.failing.load(Ordering::Relaxed)
    }

    /// How many events could not be written since the log was opened.
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Writes one event, a whole line at once. A failure is counted and reported (a `tracing`
    /// warning) once until a write succeeds again (the report names the kind of failure only,
    /// never the event).
    ///
    /// # Errors
    /// [`AuditWriteError`] when the line could not be written and flushed (what the request
    /// gets then is [`OnAuditFailure`]'s choice, the caller's).
    pub fn record(&self, r: &AuditRecord<'_>) -> Result<(), AuditWriteError> {
        let Some(out) = &self.out else { return Ok(()) };
        let mut line = event(r).to_string();
        line.push('\n');
        let mut sink = out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if sink.torn {
            line.insert(0, '\n');
        }
        let written = sink
            .out
            .write_all(line.as_bytes())
            .and_then(|()| sink.out.flush());
        sink.torn = written.is_err();
        drop(sink);
        match written {
            Ok(()) => {
                if self.failing.swap(false, Ordering::Relaxed) {
                    tracing::warn!(lost = self.failures(), "the audit log is written again");
                }
                Ok(())
            }
            Err(e) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                if !self.failing.swap(true, Ordering::Relaxed) {
                    let then = match self.on_failure {
                        OnAuditFailure::Continue => "requests are served without their events",
                        OnAuditFailure::Refuse => "requests are refused until it can be written",
                    };
                    tracing::warn!(kind = %e.kind(), "cannot write the audit log: {then}");
                }
                Err(AuditWriteError(e.kind()))
            }
        }
    }
}

/// What a request whose audit event cannot be written is answered with
/// ([`OnAuditFailure::Refuse`]): `ServiceUnavailable`, a temporary failure the SDKs retry.
pub fn unavailable() -> keyturn_core::Error {
    keyturn_core::Error::new(
        keyturn_core::ErrorCode::ServiceUnavailable,
        keyturn_core::store::SERVICE_UNAVAILABLE_MESSAGE,
    )
}

/// The CloudTrail-shaped event of one request.
pub fn event(r: &AuditRecord<'_>) -> Value {
    let source = match r.service {
        Some(Service::Iam) => "iam.amazonaws.com",
        _ => "sts.amazonaws.com",
    };
    let identity = match r.caller {
        Some(c) => json!({
            "type": c.identity_type,
            "principalId": c.principal_id,
            "arn": c.arn,
            "accountId": c.account_id,
            "accessKeyId": c.access_key_id,
        }),
        None => json!({"type": "Unknown"}),
    };
    let read_only = r.action.is_some_and(|a| READ_ONLY.contains(&a));
    let response = match r.response {
        Some(members) if !read_only => response_elements(members),
        _ => Value::Null,
    };
    let mut e = json!({
        "eventVersion": "1.08",
        "userIdentity": identity,
        "eventTime": iso8601(r.time),
        "eventSource": source,
        "eventName": r.action.unwrap_or(""),
        "awsRegion": r.region,
        "sourceIPAddress": r.source_ip.to_string(),
        "userAgent": r.user_agent.unwrap_or(""),
        "requestParameters": r.request.map_or(Value::Null, |q| request_parameters(q.params, q.sensitive)),
        "responseElements": response,
        "requestID": r.request_id,
        "eventID": uuid::Uuid::new_v4().to_string(),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "eventCategory": "Management",
    });
    if let (Some((code, message)), Value::Object(m)) = (r.error, &mut e) {
        m.insert("errorCode".into(), code.into());
        m.insert("errorMessage".into(), message.into());
    }
    e
}

/// A value being assembled from paths.
#[derive(Debug, Default)]
enum Node {
    /// Nothing yet.
    #[default]
    Empty,
    /// Text.
    Leaf(String),
    /// A structure's members, in the order first seen.
    Fields(Vec<(String, Node)>),
    /// A list's elements (or a map's entries) by index.
    Items(BTreeMap<u32, Node>),
}

/// One step of a parameter's path.
enum Step<'a> {
    /// A member (`RoleArn`, `Key`).
    Field(&'a str),
    /// A list element or map entry (`member.N`, `entry.N`, N ≥ 1).
    Index(u32),
}

/// `Tags.member.1.Key` → `[Field(Tags), Index(1), Field(Key)]`.
fn steps(name: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    let mut parts = name.split('.').peekable();
    while let Some(part) = parts.next() {
        let index = match (part, parts.peek()) {
            ("member" | "entry", Some(n)) if !out.is_empty() => {
                n.parse::<u32>().ok().filter(|&n| n >= 1)
            }
            _ => None,
        };
        match index {
            Some(n) => {
                parts.next();
                out.push(Step::Index(n));
            }
            None => out.push(Step::Field(part)),
        }
    }
    out
}

impl Node {
    /// Puts `value` at `path` under this node; `false` when the path conflicts with one already
    /// there (a leaf where a structure is needed, a list where a member is, a value twice).
    fn insert(&mut self, path: &[Step<'_>], value: &str) -> bool {
        let Some((first, rest)) = path.split_first() else {
            if matches!(self, Self::Empty) {
                *self = Self::Leaf(value.to_owned());
                return true;
            }
            return false;
        };
        if matches!(self, Self::Empty) {
            *self = match first {
                Step::Field(_) => Self::Fields(Vec::new()),
                Step::Index(_) => Self::Items(BTreeMap::new()),
            };
        }
        let child = match (self, first) {
            (Self::Fields(fields), Step::Field(name)) => {
                let key = lower_camel(name);
                match fields.iter().position(|(k, _)| *k == key) {
                    Some(i) => fields.get_mut(i).map(|(_, n)| n),
                    None => {
                        fields.push((key, Self::Empty));
                        fields.last_mut().map(|(_, n)| n)
                    }
                }
            }
            (Self::Items(items), Step::Index(n)) => Some(items.entry(*n).or_default()),
            _ => None,
        };
        child.is_some_and(|c| c.insert(rest, value))
    }

    /// Appends `node` as `name`'s value (a result element): `member` and `entry` are list
    /// elements, anything else a member.
    fn push_element(&mut self, name: &str, node: Self) {
        if matches!(self, Self::Empty) {
            *self = if matches!(name, "member" | "entry") {
                Self::Items(BTreeMap::new())
            } else {
                Self::Fields(Vec::new())
            };
        }
        match self {
            Self::Items(items) => {
                let n = u32::try_from(items.len() + 1).unwrap_or(u32::MAX);
                items.insert(n, node);
            }
            Self::Fields(fields) => fields.push((lower_camel(name), node)),
            Self::Empty | Self::Leaf(_) => {}
        }
    }

    /// The JSON value; empty members and lists are left out, as CloudTrail leaves out absent ones.
    fn into_json(self) -> Value {
        match self {
            Self::Empty => Value::Null,
            Self::Leaf(text) => Value::String(text),
            Self::Fields(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(k, n)| (k, n.into_json()))
                    .filter(|(_, v)| !is_absent(v))
                    .collect::<Map<_, _>>(),
            ),
            Self::Items(items) => Value::Array(items.into_values().map(Self::into_json).collect()),
        }
    }
}

fn is_absent(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// `requestParameters`: every parameter but `Action` and `Version`, nested as the module
/// describes; sensitive ones (`sensitive`, [`NEVER_LOGGED`]) as [`HIDDEN`].
pub fn request_parameters(params: &Params<'_>, sensitive: &[&str]) -> Value {
    let mut root = Node::Fields(Vec::new());
    for (name, value) in params.iter() {
        if matches!(name, "Action" | "Version") {
            continue;
        }
        // Compared without case: `tokenCode` is no parameter of the model, but it is no more
        // fit for a log than `TokenCode`.
        let top = name.split('.').next().unwrap_or(name);
        let secret = |list: &[&str]| list.iter().any(|s| s.eq_ignore_ascii_case(top));
        let value = if secret(sensitive) || secret(NEVER_LOGGED) {
            HIDDEN
        } else {
            value
        };
        if !root.insert(&steps(name), value)
            && let Node::Fields(fields) = &mut root
        {
            fields.push((name.to_owned(), Node::Leaf(value.to_owned())));
        }
    }
    root.into_json()
}

/// `responseElements`: the result's members (`members`, the XML inside `<XResult>`), nested as
/// the module describes, without the elements in [`NEVER_LOGGED`]; `null` when nothing is left.
pub fn response_elements(members: &str) -> Value {
    let mut reader = quick_xml::Reader::from_str(members);
    // The open elements: name, value so far, text so far.
    let mut open: Vec<(String, Node, String)> = vec![(String::new(), Node::Empty, String::new())];
    // How deep inside a left-out element.
    let mut hidden = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(e) => {
                let name = e.name();
                let name: &str = name.as_ref();
                if hidden > 0 || NEVER_LOGGED.contains(&name) {
                    hidden += 1;
                } else {
                    open.push((name.to_owned(), Node::Empty, String::new()));
                }
            }
            Event::End(_) if hidden > 0 => hidden -= 1,
            Event::End(_) => {
                let Some((name, node, text)) = open.pop() else {
                    break;
                };
                let node = match node {
                    Node::Empty => Node::Leaf(text),
                    other => other,
                };
                match open.last_mut() {
                    Some((_, parent, _)) => parent.push_element(&name, node),
                    None => break,
                }
            }
            Event::Text(t) if hidden == 0 => {
                if let Some((_, _, text)) = open.last_mut() {
                    text.push_str(&t);
                }
            }
            Event::GeneralRef(r) if hidden == 0 => {
                if let Some((_, _, text)) = open.last_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => text.push(c),
                        _ => text.push_str(match &*r {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        }),
                    }
                }
            }
            // `<Name/>`: an empty list, left out like an absent one.
            _ => {}
        }
    }
    match open.into_iter().next() {
        Some((_, node, _)) => match node.into_json() {
            v if is_absent(&v) => Value::Null,
            v => v,
        },
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests;

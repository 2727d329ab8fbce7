//! The audit log: one JSON line per request, in CloudTrail's event shape.
//!
//! Secrets never reach it: request parameters are written member by member from the typed
//! request, leaving out `SAMLAssertion`, `WebIdentityToken`, `TokenCode` and `TradeInToken`, and
//! credentials appear with their `accessKeyId` and `expiration` only.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use keyturn_core::request::{CallerIdentity, Service};
use keyturn_core::sts::api::{ApiRequest, ApiResponse, Credentials, Tag};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use keyturn_core::clock::iso8601;

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

/// An open audit log.
pub struct AuditLog {
    out: Option<Mutex<Box<dyn Write + Send>>>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("enabled", &self.out.is_some())
            .finish()
    }
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
    /// The decoded request.
    pub request: Option<&'a ApiRequest>,
    /// The response, on success.
    pub response: Option<&'a ApiResponse>,
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
        Ok(Self {
            out: out.map(Mutex::new),
        })
    }

    /// Whether events are written at all.
    pub fn enabled(&self) -> bool {
        self.out.is_some()
    }

    /// Writes one event (errors writing are ignored: the audit log must not fail requests).
    pub fn record(&self, r: &AuditRecord<'_>) {
        let Some(out) = &self.out else { return };
        let mut line = event(r).to_string();
        line.push('\n');
        if let Ok(mut w) = out.lock() {
            let _ = w.write_all(line.as_bytes());
            let _ = w.flush();
        }
    }
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
    let mut e = json!({
        "eventVersion": "1.08",
        "userIdentity": identity,
        "eventTime": iso8601(r.time),
        "eventSource": source,
        "eventName": r.action.unwrap_or(""),
        "awsRegion": r.region,
        "sourceIPAddress": r.source_ip.to_string(),
        "userAgent": r.user_agent.unwrap_or(""),
        "requestParameters": r.request.map_or(Value::Null, request_parameters),
        "responseElements": r.response.map_or(Value::Null, response_elements),
        "requestID": r.request_id,
        "eventID": uuid::Uuid::new_v4().to_string(),
        "readOnly": matches!(r.action, Some("GetCallerIdentity" | "GetAccessKeyInfo" | "DecodeAuthorizationMessage" | "SimulatePrincipalPolicy" | "SimulateCustomPolicy")),
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

fn tags(t: &[Tag]) -> Value {
    t.iter()
        .map(|t| json!({"key": t.key, "value": t.value}))
        .collect()
}

fn arns(a: &[keyturn_core::sts::api::PolicyDescriptor]) -> Value {
    a.iter().map(|d| json!({"arn": d.arn})).collect()
}

/// Request parameters without secrets; absent members are left out.
pub fn request_parameters(req: &ApiRequest) -> Value {
    let v = match req {
        ApiRequest::AssumeRole(r) => json!({
            "roleArn": r.role_arn, "roleSessionName": r.role_session_name,
            "policyArns": arns(&r.policy_arns), "policy": r.policy,
            "durationSeconds": r.duration_seconds, "tags": tags(&r.tags),
            "transitiveTagKeys": r.transitive_tag_keys, "externalId": r.external_id,
            "serialNumber": r.serial_number, "sourceIdentity": r.source_identity,
        }),
        ApiRequest::AssumeRoleWithSaml(r) => json!({
            "roleArn": r.role_arn, "principalArn": r.principal_arn,
            "policyArns": arns(&r.policy_arns), "policy": r.policy,
            "durationSeconds": r.duration_seconds,
        }),
        ApiRequest::AssumeRoleWithWebIdentity(r) => json!({
            "roleArn": r.role_arn, "roleSessionName": r.role_session_name,
            "providerId": r.provider_id, "policyArns": arns(&r.policy_arns),
            "policy": r.policy, "durationSeconds": r.duration_seconds,
        }),
        ApiRequest::AssumeRoot(r) => json!({
            "targetPrincipal": r.target_principal,
            "taskPolicyArn": {"arn": r.task_policy_arn.arn},
            "durationSeconds": r.duration_seconds,
        }),
        ApiRequest::DecodeAuthorizationMessage(_) => json!({}),
        ApiRequest::GetAccessKeyInfo(r) => json!({"accessKeyId": r.access_key_id}),
        ApiRequest::GetCallerIdentity | ApiRequest::GetDelegatedAccessToken(_) => json!({}),
        ApiRequest::GetFederationToken(r) => json!({
            "name": r.name, "policy": r.policy, "policyArns": arns(&r.policy_arns),
            "durationSeconds": r.duration_seconds, "tags": tags(&r.tags),
        }),
        ApiRequest::GetSessionToken(r) => json!({
            "durationSeconds": r.duration_seconds, "serialNumber": r.serial_number,
        }),
        ApiRequest::GetWebIdentityToken(r) => json!({
            "audience": r.audience, "durationSeconds": r.duration_seconds,
            "signingAlgorithm": r.signing_algorithm, "tags": tags(&r.tags),
        }),
        ApiRequest::SimulatePrincipalPolicy(r) => json!({
            "policySourceArn": r.policy_source_arn, "actionNames": r.action_names,
            "resourceArns": r.resource_arns, "callerArn": r.caller_arn,
        }),
        ApiRequest::SimulateCustomPolicy(r) => json!({
            "actionNames": r.action_names, "resourceArns": r.resource_arns,
            "callerArn": r.caller_arn,
        }),
    };
    prune(v)
}

/// Drops nulls and empty lists, as CloudTrail does for absent members.
fn prune(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

fn credentials(c: &Credentials) -> Value {
    json!({"accessKeyId": c.access_key_id, "expiration": iso8601(c.expiration)})
}

/// Response elements without secrets.
pub fn response_elements(resp: &ApiResponse) -> Value {
    let mut m = Map::new();
    if let Some(c) = resp.credentials() {
        m.insert("credentials".into(), credentials(c));
    }
    match resp {
        ApiResponse::AssumeRole(r) => {
            m.insert("assumedRoleUser".into(), json!({"assumedRoleId": r.assumed_role_user.assumed_role_id, "arn": r.assumed_role_user.arn}));
            m.insert("packedPolicySize".into(), json!(r.packed_policy_size));
            m.insert("sourceIdentity".into(), json!(r.source_identity));
        }
        ApiResponse::AssumeRoleWithSaml(r) => {
            m.insert("assumedRoleUser".into(), json!({"assumedRoleId": r.assumed_role_user.assumed_role_id, "arn": r.assumed_role_user.arn}));
            m.insert("subject".into(), json!(r.subject));
            m.insert("issuer".into(), json!(r.issuer));
            m.insert("audience".into(), json!(r.audience));
        }
        ApiResponse::AssumeRoleWithWebIdentity(r) => {
            m.insert("assumedRoleUser".into(), json!({"assumedRoleId": r.assumed_role_user.assumed_role_id, "arn": r.assumed_role_user.arn}));
            m.insert(
                "subjectFromWebIdentityToken".into(),
                json!(r.subject_from_web_identity_token),
            );
            m.insert("provider".into(), json!(r.provider));
            m.insert("audience".into(), json!(r.audience));
        }
        ApiResponse::GetFederationToken(r) => {
            m.insert("federatedUser".into(), json!({"federatedUserId": r.federated_user.federated_user_id, "arn": r.federated_user.arn}));
        }
        ApiResponse::GetWebIdentityToken(r) => {
            m.insert("expiration".into(), json!(iso8601(r.expiration)));
        }
        _ => {}
    }
    if m.is_empty() {
        Value::Null
    } else {
        prune(Value::Object(m))
    }
}

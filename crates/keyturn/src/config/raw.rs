//! The file's shape, as parsed: every field optional where the schema has a default, unknown
//! fields refused. Validation and defaults happen in `validate`.

use std::collections::BTreeMap;

use keyturn_core::iam::{AccessKeyStatus, ServerCertificate, SigningCertificate, SshPublicKey};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    #[serde(default)]
    pub server: Option<RawServer>,
    #[serde(default)]
    pub keyring: Option<String>,
    #[serde(default)]
    pub store: Option<RawStore>,
    #[serde(default)]
    pub accounts: Vec<RawAccount>,
    #[serde(default)]
    pub plugins: Vec<RawPlugin>,
    #[serde(default)]
    pub organization: Option<RawOrganization>,
    #[serde(default)]
    pub delegation: Option<RawDelegation>,
    #[serde(default)]
    pub console: Option<RawConsole>,
    pub log: Option<RawLog>,
}

/// `log:`: the format and level of the process's own log (standard error).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLog {
    pub format: Option<String>,
    pub level: Option<String>,
    pub requests: Option<bool>,
}

/// `console:`: the web console (docs/console.md).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConsole {
    /// Address and port; absent: [`crate::config::DEFAULT_CONSOLE_LISTEN`].
    pub listen: Option<String>,
}

/// `delegation:`: the partner-delegation flow.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDelegation {
    /// Topic ARN → where its messages go.
    #[serde(default)]
    pub notification_channels: BTreeMap<String, RawChannel>,
}

/// One notification channel: the file each message is appended to, one JSON line each.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChannel {
    pub file: String,
}

/// `organization:`: the AWS Organizations organization of the accounts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrganization {
    pub id: String,
    pub management_account: String,
    pub delegated_administrator: Option<String>,
    #[serde(default)]
    pub centralized_root_access: Option<RawRootAccess>,
    pub root: RawOrgNode,
    #[serde(default)]
    pub policies: Vec<RawOrgPolicy>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRootAccess {
    pub root_credentials_management: Option<bool>,
    pub root_sessions: Option<bool>,
}

/// The root or an OU.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrgNode {
    pub id: String,
    pub name: Option<String>,
    pub scps: Option<Vec<String>>,
    #[serde(default)]
    pub rcps: Vec<String>,
    #[serde(default)]
    pub units: Vec<RawOrgNode>,
    #[serde(default)]
    pub accounts: Vec<RawOrgAccount>,
}

/// An account in the root or an OU: its id alone, or with its attached policies.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawOrgAccount {
    Id(String),
    Full(RawOrgAccountFull),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrgAccountFull {
    pub id: String,
    pub scps: Option<Vec<String>>,
    #[serde(default)]
    pub rcps: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrgPolicy {
    pub name: String,
    #[serde(rename = "type")]
    pub policy_type: String,
    pub document: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawServer {
    pub listen: Option<String>,
    pub region: Option<String>,
    pub regions: Option<Vec<String>>,
    pub audit_log: Option<RawAuditLog>,
    pub quotas: Option<RawQuotas>,
    pub workers: Option<i64>,
    pub compat: Option<String>,
    pub public_url: Option<String>,
    pub connections: Option<RawConnections>,
    pub tls: Option<RawTls>,
    pub metrics: Option<RawMetrics>,
}

/// `server.tls:`: the listener's certificate chain and key (PEM files), and a plain HTTP
/// listener beside it on loopback.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTls {
    pub cert: String,
    pub key: String,
    pub http_listen: Option<String>,
}

/// `server.metrics:`: the metrics listener.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMetrics {
    pub listen: String,
}

/// `server.connections:`: limits on connections and on the time a request may take.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConnections {
    pub max: Option<i64>,
    pub header_timeout: Option<f64>,
    pub body_timeout: Option<f64>,
    pub min_body_rate: Option<i64>,
    pub body_memory: Option<i64>,
    pub shutdown_timeout: Option<f64>,
    pub send_timeout: Option<f64>,
}

/// `server.audit_log`: `stdout`, a path, or `{path, on_failure}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawAuditLog {
    Path(String),
    Full(RawAuditLogFull),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuditLogFull {
    pub path: String,
    pub on_failure: Option<String>,
}

/// `server.quotas`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuotas {
    pub default: Option<RawRate>,
    #[serde(default)]
    pub actions: std::collections::BTreeMap<String, RawRate>,
    #[serde(default)]
    pub accounts: std::collections::BTreeMap<String, RawAccountQuota>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccountQuota {
    pub default: Option<RawRate>,
    #[serde(default)]
    pub actions: std::collections::BTreeMap<String, RawRate>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRate {
    pub rate: i64,
    pub burst: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStore {
    pub sqlite: Option<String>,
    pub memory: Option<bool>,
    pub postgres: Option<String>,
    pub check_interval: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlugin {
    pub path: String,
    #[serde(default)]
    pub config: Value,
    pub call_timeout_ms: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccount {
    pub id: String,
    pub alias: Option<String>,
    #[serde(default)]
    pub root: Option<RawRoot>,
    #[serde(default)]
    pub users: Vec<RawUser>,
    #[serde(default)]
    pub roles: Vec<RawRole>,
    #[serde(default)]
    pub groups: Vec<RawGroup>,
    #[serde(default)]
    pub managed_policies: Vec<RawManagedPolicy>,
    #[serde(default)]
    pub oidc_providers: Vec<RawOidcProvider>,
    #[serde(default)]
    pub saml_providers: Vec<RawSamlProvider>,
    #[serde(default)]
    pub instance_profiles: Vec<RawInstanceProfile>,
    #[serde(default)]
    pub virtual_mfa_devices: Vec<RawMfaDevice>,
    /// In the model's own form (as `keyturn export` writes them).
    #[serde(default)]
    pub server_certificates: Vec<ServerCertificate>,
    /// Outbound web identity federation enabled (EnableOutboundWebIdentityFederation).
    #[serde(default)]
    pub outbound_web_identity_federation: bool,
    /// Delegation requests the account made as a partner, in the model's own form.
    #[serde(default)]
    pub delegation_requests: Vec<keyturn_core::iam::DelegationRequest>,
    /// Workload identity providers, in the model's own form.
    #[serde(default)]
    pub workload_identity_providers: Vec<keyturn_core::iam::WorkloadIdentityProvider>,
    /// Workload identity templates, in the model's own form.
    #[serde(default)]
    pub workload_identity_templates: Vec<keyturn_core::iam::WorkloadIdentityTemplate>,
    /// The certificate authorities Keyturn stands in for AWS Private CA with.
    #[serde(default)]
    pub private_certificate_authorities: Vec<keyturn_core::iam::PrivateCertificateAuthority>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoot {
    #[serde(default)]
    pub access_keys: Vec<RawAccessKey>,
    #[serde(default)]
    pub signing_certificates: Vec<SigningCertificate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccessKey {
    pub id: String,
    pub secret: String,
    #[serde(default)]
    pub status: AccessKeyStatus,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMfaDevice {
    pub name: String,
    pub path: Option<String>,
    pub seed_base32: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUser {
    pub name: String,
    pub id: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    /// `None` (omitted): the runtime generates a key; `Some([])`: the user has none.
    #[serde(default)]
    pub access_keys: Option<Vec<RawAccessKey>>,
    #[serde(default)]
    pub mfa_devices: Vec<RawMfaDevice>,
    #[serde(default)]
    pub inline_policies: BTreeMap<String, Value>,
    #[serde(default)]
    pub managed_policies: Vec<String>,
    pub permissions_boundary: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub create_date: Option<String>,
    /// In the model's own form (as `keyturn export` writes them).
    #[serde(default)]
    pub signing_certificates: Vec<SigningCertificate>,
    #[serde(default)]
    pub ssh_public_keys: Vec<SshPublicKey>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRole {
    pub name: String,
    pub id: Option<String>,
    pub path: Option<String>,
    pub max_session_duration: Option<i64>,
    pub trust_policy: Value,
    #[serde(default)]
    pub inline_policies: BTreeMap<String, Value>,
    #[serde(default)]
    pub managed_policies: Vec<String>,
    pub permissions_boundary: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub description: Option<String>,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGroup {
    pub name: String,
    pub id: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub inline_policies: BTreeMap<String, Value>,
    #[serde(default)]
    pub managed_policies: Vec<String>,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawManagedPolicy {
    pub name: String,
    pub id: Option<String>,
    pub path: Option<String>,
    /// The one version's document (`v1`); or `versions`.
    pub document: Option<Value>,
    /// Every version (as `keyturn export` writes a policy changed through the IAM API).
    pub versions: Option<Vec<RawPolicyVersion>>,
    /// The default version's id (with `versions`).
    pub default_version: Option<String>,
    /// The number of the newest version ever created (with `versions`).
    pub last_version: Option<u32>,
    pub description: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPolicyVersion {
    pub id: String,
    pub document: Value,
    pub create_date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOidcProvider {
    pub url: String,
    #[serde(default)]
    pub client_ids: Vec<String>,
    #[serde(default)]
    pub thumbprints: Vec<String>,
    pub jwks: Option<Value>,
    pub jwks_file: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub create_date: Option<String>,
    /// The trusted identity propagation context provider, in the model's shape.
    pub context_provider: Option<keyturn_core::iam::ContextProvider>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSamlProvider {
    pub name: String,
    pub metadata: Option<String>,
    pub metadata_file: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// What CreateSAMLProvider assigns (as `keyturn export` writes them).
    pub uuid: Option<String>,
    pub valid_until: Option<String>,
    pub assertion_encryption_mode: Option<String>,
    #[serde(default)]
    pub private_keys: Vec<RawSamlPrivateKey>,
    pub create_date: Option<String>,
    /// The trusted identity propagation context provider, in the model's shape.
    pub context_provider: Option<keyturn_core::iam::ContextProvider>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSamlPrivateKey {
    pub key_id: String,
    pub pem: String,
    pub timestamp: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInstanceProfile {
    pub name: String,
    pub id: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub create_date: Option<String>,
}

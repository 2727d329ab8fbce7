//! The STS operations (`2011-06-15`), one [`Operation`](crate::ops::Operation) each.

mod assume_role;
mod assume_root;
mod federation;
mod get_certificate;
mod get_delegated_access_token;
mod get_scoped_credentials;
mod get_trust_bundles;
mod info;
mod issue_workload_identity_context;
mod outbound;
mod propagation;
mod tokens;
pub mod workload;

pub use assume_role::{AssumeRole, CHAINING_LIMIT_TEXT, DEFAULT_ROLE_DURATION, MAX_DURATION_TEXT};
pub use assume_root::{AssumeRoot, ROOT_SESSION_DURATION, TASK_POLICY_TEXT};
pub use federation::{AssumeRoleWithSaml, AssumeRoleWithWebIdentity, saml_name_qualifier};
pub use get_certificate::{
    DEFAULT_CERTIFICATE_LIFETIME, GetCertificate, MALFORMED_CSR_TEXT, NOT_BEFORE_BACKDATE,
};
pub use get_delegated_access_token::{
    EXPIRED_TRADE_IN_TEXT, GetDelegatedAccessToken, INVALID_TRADE_IN_TEXT,
};
pub use get_scoped_credentials::{
    GetScopedCredentials, LONG_TERM_TEXT, NOTHING_TO_SCOPE_TEXT, TOO_MANY_LAYERS_TEXT,
};
pub use get_trust_bundles::GetTrustBundles;
pub use info::{DecodeAuthorizationMessage, GetAccessKeyInfo, GetCallerIdentity};
pub use issue_workload_identity_context::{
    DEFAULT_CONTEXT_LIFETIME, IssueWorkloadIdentityContext, NO_TEMPLATE_TEXT,
};
pub use outbound::{
    DEFAULT_TOKEN_LIFETIME, GetWebIdentityToken, OUTBOUND_DISABLED_TEXT, PAYLOAD_LIMIT,
};
pub use tokens::{DEFAULT_TOKEN_DURATION, GetFederationToken, GetSessionToken, ROOT_MAX_DURATION};

//! The STS operations (`2011-06-15`), one [`Operation`](crate::ops::Operation) each.

mod assume_role;
mod federation;
mod info;
mod outbound;
mod tokens;

pub use assume_role::{
    AssumeRole, CHAINING_LIMIT_TEXT, DEFAULT_ROLE_DURATION, MAX_DURATION_TEXT,
    PROVIDED_CONTEXT_TEXT,
};
pub use federation::{AssumeRoleWithSaml, AssumeRoleWithWebIdentity, saml_name_qualifier};
pub use info::{
    AssumeRoot, DecodeAuthorizationMessage, EXPIRED_TRADE_IN_TEXT, GetAccessKeyInfo,
    GetCallerIdentity, GetDelegatedAccessToken,
};
pub use outbound::{
    DEFAULT_TOKEN_LIFETIME, GetWebIdentityToken, OUTBOUND_DISABLED_TEXT, PAYLOAD_LIMIT,
};
pub use tokens::{DEFAULT_TOKEN_DURATION, GetFederationToken, GetSessionToken, ROOT_MAX_DURATION};

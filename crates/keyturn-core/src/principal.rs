//! Principals: who is acting. Each knows its ARN, its `aws:userid`, its account, its
//! `aws:PrincipalType` and the ARN that `aws:PrincipalArn` names.
//!
//! Values follow the IAM User Guide ("Principal key values", `aws:userid`):
//!
//! | principal | ARN | `aws:userid` | `aws:PrincipalType` | `aws:PrincipalArn` |
//! |---|---|---|---|---|
//! | root | `arn:P:iam::A:root` | `A` | `Account` | the root ARN |
//! | IAM user | `arn:P:iam::A:user/path/name` | `AIDA…` | `User` | the user ARN |
//! | role session (also web identity, SAML) | `arn:P:sts::A:assumed-role/Role/session` | `AROA…:session` | `AssumedRole` | the role ARN, with its path |
//! | federated user | `arn:P:sts::A:federated-user/name` | `A:name` | `FederatedUser` | the federated-user ARN |

use crate::arn::{Arn, Partition, concat, entity_arn_string};
use crate::ids::{AccountId, UniqueId};

/// A role that was assumed: the role's identity and the session's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleSession {
    /// The partition.
    pub partition: Partition,
    /// The role's account.
    pub account: AccountId,
    /// The role's path (`/` or `/a/b/`).
    pub role_path: String,
    /// The role's name.
    pub role_name: String,
    /// The role's unique id (`AROA…`).
    pub role_id: UniqueId,
    /// The role session name.
    pub session_name: String,
}

impl RoleSession {
    /// The role's ARN, `arn:P:iam::A:role/path/name`.
    pub fn role_arn(&self) -> Arn {
        Arn::role(
            self.partition,
            self.account,
            &self.role_path,
            &self.role_name,
        )
    }

    /// [`RoleSession::role_arn`] as text, formatted in one go.
    pub fn role_arn_string(&self) -> String {
        entity_arn_string(
            self.partition,
            self.account,
            "role",
            &self.role_path,
            &self.role_name,
        )
    }

    /// The session's ARN, `arn:P:sts::A:assumed-role/Role/session`.
    pub fn session_arn(&self) -> Arn {
        Arn::assumed_role(
            self.partition,
            self.account,
            &self.role_name,
            &self.session_name,
        )
    }

    /// [`RoleSession::session_arn`] as text, formatted in one go.
    pub fn session_arn_string(&self) -> String {
        concat(&[
            "arn:",
            self.partition.as_str(),
            ":sts::",
            &self.account.digits(),
            ":assumed-role/",
            &self.role_name,
            "/",
            &self.session_name,
        ])
    }

    /// The AssumedRoleId: `AROA…:session`.
    pub fn assumed_role_id(&self) -> String {
        concat(&[self.role_id.as_str(), ":", &self.session_name])
    }
}

/// What a web identity (OIDC) provider vouched for, kept with the role session.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct WebIdentityInfo {
    /// The token's issuer (`iss`), or the ProviderId.
    pub provider: String,
    /// The token's subject (`sub`).
    pub subject: String,
    /// The token's audience (`aud`) that matched.
    pub audience: String,
}

/// What a SAML identity provider asserted, kept with the role session.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SamlInfo {
    /// The SAML provider's ARN (`arn:P:iam::A:saml-provider/name`).
    pub provider_arn: String,
    /// The NameID.
    pub subject: String,
    /// The NameID format without the `urn:oasis:names:tc:SAML:2.0:nameid-format:` prefix.
    pub subject_type: String,
    /// The assertion's issuer.
    pub issuer: String,
    /// The Recipient of the SubjectConfirmationData.
    pub audience: String,
    /// `BASE64(SHA1(issuer + account + "/" + provider name))`.
    pub name_qualifier: String,
}

/// An acting principal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    /// The account's root user.
    Root {
        /// The partition.
        partition: Partition,
        /// The account.
        account: AccountId,
    },
    /// An IAM user.
    User {
        /// The partition.
        partition: Partition,
        /// The account.
        account: AccountId,
        /// The user's path.
        path: String,
        /// The user's name.
        name: String,
        /// The user's unique id (`AIDA…`).
        unique_id: UniqueId,
    },
    /// A role itself (as named in policies; an acting role is always a session).
    Role {
        /// The partition.
        partition: Partition,
        /// The account.
        account: AccountId,
        /// The role's path.
        path: String,
        /// The role's name.
        name: String,
        /// The role's unique id (`AROA…`).
        unique_id: UniqueId,
    },
    /// A session of a role, from AssumeRole.
    AssumedRole(RoleSession),
    /// A session of a role, from AssumeRoleWithWebIdentity.
    WebIdentitySession {
        /// The role session.
        session: RoleSession,
        /// What the provider vouched for.
        identity: WebIdentityInfo,
    },
    /// A session of a role, from AssumeRoleWithSAML.
    SamlSession {
        /// The role session.
        session: RoleSession,
        /// What the provider asserted.
        identity: SamlInfo,
    },
    /// A federated user, from GetFederationToken.
    FederatedUser {
        /// The partition.
        partition: Partition,
        /// The account.
        account: AccountId,
        /// The name given to GetFederationToken.
        name: String,
    },
    /// An AWS service, e.g. `ec2.amazonaws.com`.
    Service {
        /// The service principal's name.
        name: String,
    },
}

/// An IAM user or role named directly, borrowed from its [`Principal`]: the fields the two
/// variants share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IamEntity<'a> {
    /// `true` for a role, `false` for a user.
    pub is_role: bool,
    /// The partition.
    pub partition: Partition,
    /// The account.
    pub account: AccountId,
    /// The path.
    pub path: &'a str,
    /// The name.
    pub name: &'a str,
    /// The unique id (`AIDA…`, `AROA…`).
    pub unique_id: &'a UniqueId,
}

impl IamEntity<'_> {
    /// The kind's word in ARNs: `user` or `role`.
    pub fn word(&self) -> &'static str {
        if self.is_role { "role" } else { "user" }
    }

    /// The entity's ARN, `arn:P:iam::A:user/path/name` or `arn:P:iam::A:role/path/name`.
    pub fn arn(&self) -> Arn {
        if self.is_role {
            Arn::role(self.partition, self.account, self.path, self.name)
        } else {
            Arn::user(self.partition, self.account, self.path, self.name)
        }
    }

    /// [`IamEntity::arn`] as text, formatted in one go.
    pub fn arn_string(&self) -> String {
        entity_arn_string(
            self.partition,
            self.account,
            self.word(),
            self.path,
            self.name,
        )
    }
}

impl Principal {
    /// An IAM user (`is_role` false) or a role named directly (`is_role` true).
    pub fn user_or_role(
        is_role: bool,
        partition: Partition,
        account: AccountId,
        path: String,
        name: String,
        unique_id: UniqueId,
    ) -> Self {
        if is_role {
            Self::Role {
                partition,
                account,
                path,
                name,
                unique_id,
            }
        } else {
            Self::User {
                partition,
                account,
                path,
                name,
                unique_id,
            }
        }
    }

    /// The user or role, for [`Principal::User`] and [`Principal::Role`].
    pub fn iam_entity(&self) -> Option<IamEntity<'_>> {
        match self {
            Self::User {
                partition,
                account,
                path,
                name,
                unique_id,
            }
            | Self::Role {
                partition,
                account,
                path,
                name,
                unique_id,
            } => Some(IamEntity {
                is_role: matches!(self, Self::Role { .. }),
                partition: *partition,
                account: *account,
                path,
                name,
                unique_id,
            }),
            _ => None,
        }
    }

    /// The role session, for the three kinds of role session.
    pub fn role_session(&self) -> Option<&RoleSession> {
        match self {
            Self::AssumedRole(s)
            | Self::WebIdentitySession { session: s, .. }
            | Self::SamlSession { session: s, .. } => Some(s),
            _ => None,
        }
    }

    /// The principal's own ARN (what GetCallerIdentity returns); `None` for a service.
    pub fn arn(&self) -> Option<Arn> {
        Some(match self {
            Self::Root { partition, account } => Arn::root(*partition, *account),
            Self::User { .. } | Self::Role { .. } => self.iam_entity()?.arn(),
            Self::AssumedRole(s)
            | Self::WebIdentitySession { session: s, .. }
            | Self::SamlSession { session: s, .. } => s.session_arn(),
            Self::FederatedUser {
                partition,
                account,
                name,
            } => Arn::federated_user(*partition, *account, name),
            Self::Service { .. } => return None,
        })
    }

    /// [`Principal::arn`] as text, formatted in one go (the engine's per-request path needs only
    /// the text, not the parsed parts).
    pub fn arn_string(&self) -> Option<String> {
        Some(match self {
            Self::Root { partition, account } => concat(&[
                "arn:",
                partition.as_str(),
                ":iam::",
                &account.digits(),
                ":root",
            ]),
            Self::User { .. } | Self::Role { .. } => self.iam_entity()?.arn_string(),
            Self::AssumedRole(s)
            | Self::WebIdentitySession { session: s, .. }
            | Self::SamlSession { session: s, .. } => s.session_arn_string(),
            Self::FederatedUser {
                partition,
                account,
                name,
            } => concat(&[
                "arn:",
                partition.as_str(),
                ":sts::",
                &account.digits(),
                ":federated-user/",
                name,
            ]),
            Self::Service { .. } => return None,
        })
    }

    /// The ARN that `aws:PrincipalArn` names: the role ARN (with its path) for role sessions,
    /// the principal's own ARN otherwise; `None` for a service.
    pub fn principal_arn(&self) -> Option<Arn> {
        match self.role_session() {
            Some(s) => Some(s.role_arn()),
            None => self.arn(),
        }
    }

    /// The value of `aws:userid` (GetCallerIdentity's `UserId`).
    pub fn user_id(&self) -> String {
        match self {
            Self::Root { account, .. } => account.to_string(),
            Self::User { unique_id, .. } | Self::Role { unique_id, .. } => unique_id.to_string(),
            Self::AssumedRole(s)
            | Self::WebIdentitySession { session: s, .. }
            | Self::SamlSession { session: s, .. } => s.assumed_role_id(),
            Self::FederatedUser { account, name, .. } => format!("{account}:{name}"),
            Self::Service { name } => name.clone(),
        }
    }

    /// The account; `None` for a service.
    pub fn account(&self) -> Option<AccountId> {
        match self {
            Self::Root { account, .. }
            | Self::User { account, .. }
            | Self::Role { account, .. }
            | Self::FederatedUser { account, .. } => Some(*account),
            Self::AssumedRole(s)
            | Self::WebIdentitySession { session: s, .. }
            | Self::SamlSession { session: s, .. } => Some(s.account),
            Self::Service { .. } => None,
        }
    }

    /// The value of `aws:PrincipalType`: `Account`, `User`, `AssumedRole`, `FederatedUser`
    /// (`Role` for a role named directly, `Service` for a service principal).
    pub fn principal_type(&self) -> &'static str {
        match self {
            Self::Root { .. } => "Account",
            Self::User { .. } => "User",
            Self::Role { .. } => "Role",
            Self::AssumedRole(_) | Self::WebIdentitySession { .. } | Self::SamlSession { .. } => {
                "AssumedRole"
            }
            Self::FederatedUser { .. } => "FederatedUser",
            Self::Service { .. } => "Service",
        }
    }

    /// The identity type as CloudTrail's `userIdentity.type` names it: like
    /// [`principal_type`](Self::principal_type) except `WebIdentityUser` and `SAMLUser` for the
    /// federated role sessions and `Root` for the root user.
    pub fn identity_type(&self) -> &'static str {
        match self {
            Self::Root { .. } => "Root",
            Self::WebIdentitySession { .. } => "WebIdentityUser",
            Self::SamlSession { .. } => "SAMLUser",
            Self::Service { .. } => "AWSService",
            _ => self.principal_type(),
        }
    }

    /// The value of `aws:username`: the IAM user's name, for IAM users only.
    pub fn user_name(&self) -> Option<&str> {
        match self {
            Self::User { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The value of `aws:FederatedProvider` for web identity and SAML sessions.
    pub fn federated_provider(&self) -> Option<&str> {
        match self {
            Self::WebIdentitySession { identity, .. } => Some(&identity.provider),
            Self::SamlSession { identity, .. } => Some(&identity.provider_arn),
            _ => None,
        }
    }
}

//! Amazon Resource Names: parse, validate, format, with the resource part split for IAM and STS.
//!
//! `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. IAM and STS resources are split into their
//! kinds ([`ResourceKind`]); other services' ARNs are kept generic. A malformed ARN is
//! `ValidationError` with AWS's text, `<arn> is invalid`.

use crate::ErrorCode;
use std::fmt;
use std::str::FromStr;

use crate::Error;
use crate::ids::AccountId;

/// An AWS partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Partition {
    /// `aws`: the commercial regions.
    Aws,
    /// `aws-cn`: the China regions.
    AwsCn,
    /// `aws-us-gov`: GovCloud (US).
    AwsUsGov,
}

impl Partition {
    /// The partition's name as written in ARNs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::AwsCn => "aws-cn",
            Self::AwsUsGov => "aws-us-gov",
        }
    }

    /// The partition named `s`, if any.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "aws" => Some(Self::Aws),
            "aws-cn" => Some(Self::AwsCn),
            "aws-us-gov" => Some(Self::AwsUsGov),
            _ => None,
        }
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `parts` joined, in one allocation of the right size: the engine builds ARNs on every
/// request, and `format!` costs several times as much.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The text of an IAM user's or role's ARN, `arn:P:iam::ACCT:{kind}{path}{name}` (`kind` is
/// `user` or `role`; an empty path is the root path `/`), in one allocation.
pub(crate) fn entity_arn_string(
    partition: Partition,
    account: AccountId,
    kind: &str,
    path: &str,
    name: &str,
) -> String {
    let path = if path.is_empty() { "/" } else { path };
    concat(&[
        "arn:",
        partition.as_str(),
        ":iam::",
        &account.digits(),
        ":",
        kind,
        path,
        name,
    ])
}

/// The resource part of an IAM or STS ARN, split. Paths are `/` or `/a/b/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `iam … :root`: the account's root user.
    Root,
    /// `iam … :user/path/name`.
    User {
        /// The user's path.
        path: String,
        /// The user's name.
        name: String,
    },
    /// `iam … :role/path/name`.
    Role {
        /// The role's path.
        path: String,
        /// The role's name.
        name: String,
    },
    /// `iam … :group/path/name`.
    Group {
        /// The group's path.
        path: String,
        /// The group's name.
        name: String,
    },
    /// `iam … :policy/path/name` (account `aws` for AWS managed policies).
    Policy {
        /// The policy's path.
        path: String,
        /// The policy's name.
        name: String,
    },
    /// `iam … :mfa/path/name`: a virtual MFA device.
    Mfa {
        /// The device's path.
        path: String,
        /// The device's name.
        name: String,
    },
    /// `iam … :saml-provider/name`.
    SamlProvider {
        /// The provider's name.
        name: String,
    },
    /// `iam … :oidc-provider/host/path`.
    OidcProvider {
        /// The provider's URL without its scheme, e.g. `token.actions.githubusercontent.com`.
        url: String,
    },
    /// `sts … :assumed-role/RoleName/session` (the role's path is not part of it).
    AssumedRole {
        /// The role's name.
        role_name: String,
        /// The role session name.
        session_name: String,
    },
    /// `sts … :federated-user/name`.
    FederatedUser {
        /// The federated user's name.
        name: String,
    },
    /// Another service's resource, or an IAM resource type that is not split.
    Other,
}

/// An ARN's fields, borrowed, with the checks every ARN passes (the resource not yet split).
struct Fields<'a> {
    partition: Partition,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

impl<'a> Fields<'a> {
    fn parse(s: &'a str) -> Result<Self, Error> {
        // The five colons that end the first five fields; the resource keeps any others.
        let mut stops = [0usize; 5];
        let mut found = 0;
        for (i, b) in s.bytes().enumerate() {
            if b == b':' {
                stops[found] = i;
                found += 1;
                if found == stops.len() {
                    break;
                }
            }
        }
        if found < stops.len() || &s[..stops[0]] != "arn" {
            return Err(invalid(s));
        }
        let field = |k: usize| &s[stops[k] + 1..stops[k + 1]];
        let (p, service, region, account) = (field(0), field(1), field(2), field(3));
        let resource = &s[stops[4] + 1..];
        let partition = Partition::from_name(p).ok_or_else(|| invalid(s))?;
        let token_ok = |t: &str| {
            t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if service.is_empty() || !token_ok(service) || !token_ok(region) || resource.is_empty() {
            return Err(invalid(s));
        }
        if !(account.is_empty() || account == "aws" || AccountId::is_valid(account)) {
            return Err(invalid(s));
        }
        if matches!(service, "iam" | "sts") {
            // IAM and STS resources are global and always name an account.
            let account_ok = AccountId::is_valid(account)
                || (account == "aws" && service == "iam" && resource.starts_with("policy/"));
            if !region.is_empty() || !account_ok {
                return Err(invalid(s));
            }
        }
        Ok(Self {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

/// A parsed, validated ARN. It prints exactly as it was parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    partition: Partition,
    service: String,
    region: String,
    account: String,
    resource: String,
    kind: ResourceKind,
}

fn invalid(arn: &str) -> Error {
    Error::new(ErrorCode::ValidationError, format!("{arn} is invalid"))
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b)
}

/// An IAM entity or session name: 1–128 characters of `[\w+=,.@-]`.
fn is_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 128 && s.bytes().all(is_name_char)
}

/// `role/path/name` style: splits the text after the type into (path, name), borrowed; the path
/// is `""` for the root path (the owned form writes it `/`) and has no leading slash otherwise.
fn split_path_name_ref(rest: &str) -> Option<(&str, &str)> {
    let (path, name) = match rest.rfind('/') {
        Some(i) => (&rest[..=i], &rest[i + 1..]),
        None => ("", rest),
    };
    if !is_name(name) || path.len() > 512 {
        return None;
    }
    // Segments between slashes: printable ASCII without '/', never empty.
    if let Some(inner) = path.strip_suffix('/')
        && inner
            .split('/')
            .any(|seg| seg.is_empty() || !seg.bytes().all(|b| (0x21..=0x7e).contains(&b)))
    {
        return None;
    }
    Some((path, name))
}

/// [`split_path_name_ref`], owned, the path written `/…/`.
fn split_path_name(rest: &str) -> Option<(String, String)> {
    let (path, name) = split_path_name_ref(rest)?;
    Some((concat(&["/", path]), name.to_owned()))
}

fn parse_iam(resource: &str) -> Option<ResourceKind> {
    if resource == "root" {
        return Some(ResourceKind::Root);
    }
    let (ty, rest) = resource.split_once('/')?;
    Some(match ty {
        "user" => split_path_name(rest).map(|(path, name)| ResourceKind::User { path, name })?,
        "role" => split_path_name(rest).map(|(path, name)| ResourceKind::Role { path, name })?,
        "group" => split_path_name(rest).map(|(path, name)| ResourceKind::Group { path, name })?,
        "policy" => {
            split_path_name(rest).map(|(path, name)| ResourceKind::Policy { path, name })?
        }
        "mfa" => split_path_name(rest).map(|(path, name)| ResourceKind::Mfa { path, name })?,
        "saml-provider" if is_name(rest) => ResourceKind::SamlProvider {
            name: rest.to_owned(),
        },
        "oidc-provider"
            if !rest.is_empty()
                && !rest.starts_with('/')
                && rest.bytes().all(|b| (0x21..=0x7e).contains(&b)) =>
        {
            ResourceKind::OidcProvider {
                url: rest.to_owned(),
            }
        }
        "saml-provider" | "oidc-provider" => return None,
        _ if rest.is_empty() => return None,
        _ => ResourceKind::Other,
    })
}

fn parse_sts(resource: &str) -> Option<ResourceKind> {
    let (ty, rest) = resource.split_once('/')?;
    match ty {
        "assumed-role" => {
            let (role, session) = rest.split_once('/')?;
            (is_name(role) && is_name(session)).then(|| ResourceKind::AssumedRole {
                role_name: role.to_owned(),
                session_name: session.to_owned(),
            })
        }
        "federated-user" => is_name(rest).then(|| ResourceKind::FederatedUser {
            name: rest.to_owned(),
        }),
        _ if rest.is_empty() => None,
        _ => Some(ResourceKind::Other),
    }
}

impl Arn {
    /// Parses and validates an ARN.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let f = Fields::parse(s)?;
        let kind = match f.service {
            "iam" => parse_iam(f.resource).ok_or_else(|| invalid(s))?,
            "sts" => parse_sts(f.resource).ok_or_else(|| invalid(s))?,
            _ => ResourceKind::Other,
        };
        Ok(Self {
            partition: f.partition,
            service: f.service.to_owned(),
            region: f.region.to_owned(),
            account: f.account.to_owned(),
            resource: f.resource.to_owned(),
            kind,
        })
    }

    /// A role ARN's account, path (`/` or `/a/b/`, borrowed from `s` as written after `role`)
    /// and name, with [`Arn::parse`]'s checks and errors but nothing copied: `Ok(None)` when `s`
    /// is a valid ARN of something else. (AssumeRole parses one on every request.)
    ///
    /// # Errors
    /// `ValidationError` (`<arn> is invalid`) where [`Arn::parse`] fails.
    pub fn parse_role(s: &str) -> Result<Option<(AccountId, &str, &str)>, Error> {
        let f = Fields::parse(s)?;
        let role = f
            .resource
            .strip_prefix("role/")
            .filter(|_| f.service == "iam");
        let Some(rest) = role else {
            return Self::parse(s).map(|_| None);
        };
        let (_, name) = split_path_name_ref(rest).ok_or_else(|| invalid(s))?;
        // "role/" + rest: the path with its leading slash is what lies between `role` and the name.
        let path = &f.resource["role".len()..f.resource.len() - name.len()];
        let account = f.account.parse().map_err(|_| invalid(s))?;
        Ok(Some((account, path, name)))
    }

    fn iam(
        partition: Partition,
        service: &str,
        account: AccountId,
        resource: String,
        kind: ResourceKind,
    ) -> Self {
        Self {
            partition,
            service: service.to_owned(),
            region: String::new(),
            account: account.to_string(),
            resource,
            kind,
        }
    }

    /// Normalises a path: `""` and `"/"` give `"/"`; otherwise it must start and end with `/`.
    fn norm_path(path: &str) -> String {
        if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        }
    }

    /// `arn:P:iam::ACCT:root`.
    pub fn root(partition: Partition, account: AccountId) -> Self {
        Self::iam(
            partition,
            "iam",
            account,
            "root".to_owned(),
            ResourceKind::Root,
        )
    }

    /// `arn:P:iam::ACCT:user{path}{name}`; `path` is `/` or `/a/b/`.
    pub fn user(partition: Partition, account: AccountId, path: &str, name: &str) -> Self {
        Self::path_entity(partition, account, "user", path, name, |path, name| {
            ResourceKind::User { path, name }
        })
    }

    /// `arn:P:iam::ACCT:role{path}{name}`; `path` is `/` or `/a/b/`.
    pub fn role(partition: Partition, account: AccountId, path: &str, name: &str) -> Self {
        Self::path_entity(partition, account, "role", path, name, |path, name| {
            ResourceKind::Role { path, name }
        })
    }

    /// `arn:P:iam::ACCT:{word}{path}{name}`, its resource kind made by `kind` from the
    /// normalised path and the name.
    fn path_entity(
        partition: Partition,
        account: AccountId,
        word: &str,
        path: &str,
        name: &str,
        kind: impl FnOnce(String, String) -> ResourceKind,
    ) -> Self {
        let path = Self::norm_path(path);
        let resource = format!("{word}{path}{name}");
        Self::iam(
            partition,
            "iam",
            account,
            resource,
            kind(path, name.to_owned()),
        )
    }

    /// `arn:P:sts::ACCT:assumed-role/{role_name}/{session_name}`.
    pub fn assumed_role(
        partition: Partition,
        account: AccountId,
        role_name: &str,
        session_name: &str,
    ) -> Self {
        let resource = format!("assumed-role/{role_name}/{session_name}");
        let kind = ResourceKind::AssumedRole {
            role_name: role_name.to_owned(),
            session_name: session_name.to_owned(),
        };
        Self::iam(partition, "sts", account, resource, kind)
    }

    /// `arn:P:sts::ACCT:federated-user/{name}`.
    pub fn federated_user(partition: Partition, account: AccountId, name: &str) -> Self {
        let resource = format!("federated-user/{name}");
        Self::iam(
            partition,
            "sts",
            account,
            resource,
            ResourceKind::FederatedUser {
                name: name.to_owned(),
            },
        )
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// The service, e.g. `iam`.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The region; empty for global resources.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The account field as written: twelve digits, `aws` (AWS managed policies) or empty.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The account, when the account field is twelve digits.
    pub fn account_id(&self) -> Option<AccountId> {
        self.account.parse().ok()
    }

    /// The resource part, unsplit.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The resource part, split for IAM and STS.
    pub fn kind(&self) -> &ResourceKind {
        &self.kind
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

impl FromStr for Arn {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

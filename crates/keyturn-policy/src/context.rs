//! The request being authorized: who, what, on which resource, with which condition keys.

use std::borrow::Cow;

use crate::glob::split_arn;

/// A condition key's lowercase form, lowercased in place when it has to be (a static key that
/// is already lowercase stays borrowed: no allocation).
fn lowercase_key(mut key: Cow<'static, str>) -> Cow<'static, str> {
    if key.bytes().any(|b| b.is_ascii_uppercase()) {
        key.to_mut().make_ascii_lowercase();
    }
    key
}

/// The order of the context's keys: by length, then bytes. Any total order serves the binary
/// search, and this one settles most comparisons without comparing bytes.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// What kind of principal makes the request (the value of `aws:PrincipalType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalType {
    /// The account root user.
    Account,
    /// An IAM user.
    User,
    /// A role session (`assumed-role`).
    AssumedRole,
    /// A federated user session (`GetFederationToken`).
    FederatedUser,
    /// A role itself (used for trust-policy checks of a role ARN).
    Role,
    /// An AWS service principal.
    Service,
    /// A web-identity or SAML federated principal (before it becomes a role session).
    WebIdentity,
    /// An unauthenticated caller.
    Anonymous,
}

impl PrincipalType {
    /// The `aws:PrincipalType` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "Account",
            Self::User => "User",
            Self::AssumedRole => "AssumedRole",
            Self::FederatedUser => "FederatedUser",
            Self::Role => "Role",
            Self::Service => "AWSService",
            Self::WebIdentity => "WebIdentityUser",
            Self::Anonymous => "Anonymous",
        }
    }
}

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The caller's ARN (for a session: `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`).
    pub arn: String,
    /// What `aws:PrincipalArn` holds: the role ARN for a role session, else the caller's ARN.
    pub principal_arn: String,
    /// The caller's account id.
    pub account: String,
    /// The kind of caller.
    pub kind: PrincipalType,
    /// For federated principals: the provider (`accounts.google.com`, a SAML provider ARN, …).
    pub federated_provider: Option<String>,
    /// For service principals: the service name (`ec2.amazonaws.com`).
    pub service: Option<String>,
    /// An S3 canonical user id, when known.
    pub canonical_user: Option<String>,
}

impl Principal {
    /// Builds the principal from an ARN: account root, user, role, assumed-role session or federated
    /// user. For a session the principal ARN is the role ARN without path (an assumed-role ARN
    /// carries none); set [`Principal::principal_arn`] when the role has a path.
    pub fn from_arn(arn: &str) -> Option<Self> {
        let p = split_arn(arn)?;
        if p[0] != "arn" || p[4].is_empty() {
            return None;
        }
        let (partition, service, account, res) = (p[1], p[2], p[4], p[5]);
        let (kind, principal_arn) = match service {
            "iam" if res == "root" => (PrincipalType::Account, arn.to_owned()),
            "iam" if res.starts_with("user/") => (PrincipalType::User, arn.to_owned()),
            "iam" if res.starts_with("role/") => (PrincipalType::Role, arn.to_owned()),
            "sts" => {
                if let Some(rest) = res.strip_prefix("assumed-role/") {
                    let role = rest.split('/').next().filter(|r| !r.is_empty())?;
                    (
                        PrincipalType::AssumedRole,
                        format!("arn:{partition}:iam::{account}:role/{role}"),
                    )
                } else if res.starts_with("federated-user/") {
                    (PrincipalType::FederatedUser, arn.to_owned())
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        Some(Self {
            arn: arn.to_owned(),
            principal_arn,
            account: account.to_owned(),
            kind,
            federated_provider: None,
            service: None,
            canonical_user: None,
        })
    }

    /// An AWS service principal such as `ec2.amazonaws.com`.
    pub fn service(name: &str) -> Self {
        Self {
            arn: name.to_owned(),
            principal_arn: name.to_owned(),
            account: String::new(),
            kind: PrincipalType::Service,
            federated_provider: None,
            service: Some(name.to_owned()),
            canonical_user: None,
        }
    }

    /// A federated principal (web identity or SAML) coming from `provider`; `account` is the account
    /// of the role it wants to assume.
    pub fn federated(provider: &str, account: &str) -> Self {
        Self {
            arn: provider.to_owned(),
            principal_arn: provider.to_owned(),
            account: account.to_owned(),
            kind: PrincipalType::WebIdentity,
            federated_provider: Some(provider.to_owned()),
            service: None,
            canonical_user: None,
        }
    }

    /// The same principal with another `aws:PrincipalArn` (a role ARN with its path).
    pub fn with_principal_arn(mut self, principal_arn: &str) -> Self {
        self.principal_arn = principal_arn.to_owned();
        self
    }

    /// The ARN of the caller's account root (`arn:aws:iam::ACCT:root`), partition taken from the ARN.
    pub fn account_root_arn(&self) -> String {
        let partition = split_arn(&self.arn).map_or("aws", |p| p[1]);
        format!("arn:{partition}:iam::{}:root", self.account)
    }

    /// Whether the caller is a session (role or federated user), whose ARN differs from the identity
    /// that holds the policies.
    pub fn is_session(&self) -> bool {
        matches!(
            self.kind,
            PrincipalType::AssumedRole | PrincipalType::FederatedUser
        )
    }
}

/// One or several values of a condition key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Values {
    One(String),
    Many(Vec<String>),
}

impl Values {
    fn as_slice(&self) -> &[String] {
        match self {
            Self::One(v) => std::slice::from_ref(v),
            Self::Many(v) => v,
        }
    }
}

/// A request to authorize: principal, action, resource and condition keys.
///
/// Condition keys are case-insensitive: they are lowercased once when inserted and kept sorted, so
/// a lookup is a binary search with no allocation. Static keys are kept without a copy
/// ([`RequestContext::insert_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    principal: Principal,
    action: String,
    service_len: usize,
    resource: String,
    keys: Vec<(Cow<'static, str>, Values)>,
}

impl RequestContext {
    /// A request by `principal` for `action` (`s3:GetObject`, case-insensitive) on `resource`.
    ///
    /// `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType` and (for IAM users)
    /// `aws:username` are set from the principal unless set later.
    pub fn new(principal: Principal, action: &str, resource: &str) -> Self {
        Self::with_principal_keys(principal, action, resource, |_| true)
    }

    /// [`RequestContext::new`] with only the principal keys for which `keep` (given the key's
    /// lowercase name) is true: an engine that knows which keys its policies read leaves the rest
    /// out (a key no policy reads cannot change a decision).
    pub fn with_principal_keys(
        principal: Principal,
        action: &str,
        resource: &str,
        keep: impl Fn(&'static str) -> bool,
    ) -> Self {
        let action = action.to_ascii_lowercase();
        let service_len = action.find(':').unwrap_or(action.len());
        let mut keys: Vec<(Cow<'static, str>, Values)> = Vec::new();
        let mut put = |k: &'static str, v: &str| {
            if keep(k) {
                keys.push((Cow::Borrowed(k), Values::One(v.to_owned())));
            }
        };
        // Service and federated (pre-session) principals have no IAM principal ARN.
        let p = &principal;
        if !p.principal_arn.is_empty()
            && !matches!(p.kind, PrincipalType::Service | PrincipalType::WebIdentity)
        {
            put("aws:principalarn", &p.principal_arn);
        }
        if !p.account.is_empty() {
            put("aws:principalaccount", &p.account);
        }
        put("aws:principaltype", p.kind.as_str());
        if p.kind == PrincipalType::User
            && let Some(name) = p.arn.rsplit('/').next()
        {
            put("aws:username", name);
        }
        if let Some(provider) = &p.federated_provider {
            put("aws:federatedprovider", provider);
        }
        if let Some(svc) = &p.service {
            put("aws:principalservicename", svc);
        }
        keys.sort_unstable_by(|a, b| key_order(&a.0, &b.0));
        Self {
            principal,
            action,
            service_len,
            resource: resource.to_owned(),
            keys,
        }
    }

    /// Sets a single-valued key (replacing any previous value).
    pub fn insert(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.put(
            Cow::Owned(key.to_ascii_lowercase()),
            Values::One(value.into()),
        );
        self
    }

    /// [`RequestContext::insert`] for a key the context can keep as it is: a static string
    /// (no copy when it is lowercase already, as the engine's keys are) or an owned one
    /// (lowercased in place).
    pub fn insert_key(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> &mut Self {
        self.put(lowercase_key(key.into()), Values::One(value.into()));
        self
    }

    /// Sets a multi-valued key (replacing any previous value); an empty list is an empty set, which
    /// `ForAllValues` and `Null` treat as in the documentation.
    pub fn insert_many<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.put(
            Cow::Owned(key.to_ascii_lowercase()),
            Values::Many(values.into_iter().map(Into::into).collect()),
        );
        self
    }

    /// Builder form of [`RequestContext::insert`].
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.insert(key, value);
        self
    }

    /// `key` is lowercase.
    fn put(&mut self, k: Cow<'static, str>, v: Values) {
        match self.keys.binary_search_by(|(x, _)| key_order(x, &k)) {
            Ok(i) => self.keys[i].1 = v,
            Err(i) => self.keys.insert(i, (k, v)),
        }
    }

    /// The values of a key; `key` must already be lowercase.
    pub(crate) fn get_lower(&self, key: &str) -> Option<&[String]> {
        self.keys
            .binary_search_by(|(x, _)| key_order(x, key))
            .ok()
            .map(|i| self.keys[i].1.as_slice())
    }

    /// The values of a condition key (case-insensitive), if present.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.get_lower(&key.to_ascii_lowercase())
    }

    /// The principal.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The action, lowercased.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The service prefix of the action, lowercased (`s3`).
    pub fn service(&self) -> &str {
        &self.action[..self.service_len]
    }

    /// The resource.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The account that owns the resource according to its ARN, if the ARN has one.
    pub fn resource_arn_account(&self) -> Option<&str> {
        split_arn(&self.resource)
            .map(|p| p[4])
            .filter(|a| !a.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_static_or_not() {
        let mut ctx = RequestContext::new(
            Principal::from_arn("arn:aws:iam::111122223333:user/alice")
                .unwrap_or_else(|| Principal::service("s3.amazonaws.com")),
            "sts:AssumeRole",
            "*",
        );
        ctx.insert("aws:SourceIp", "192.0.2.1");
        ctx.insert("AWS:SOURCEIP", "192.0.2.2");
        ctx.insert("aws:PrincipalTag/Team", "web");
        ctx.insert("aws:principaltag/team", "ops");
        ctx.insert_key("aws:requestedregion", "eu-west-3");
        ctx.insert_key("aws:RequestedRegion", "us-east-1");
        ctx.insert_key(String::from("AWS:PrincipalTag/Project"), "keyturn");
        assert!(matches!(
            lowercase_key("aws:sourceip".into()),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            lowercase_key("aws:SourceIp".into()),
            Cow::Owned(_)
        ));
        assert_eq!(
            ctx.get("aws:requestedregion"),
            Some(&["us-east-1".to_owned()][..])
        );
        assert_eq!(
            ctx.get("aws:principaltag/project"),
            Some(&["keyturn".to_owned()][..])
        );
        assert_eq!(ctx.get("aws:sourceip"), Some(&["192.0.2.2".to_owned()][..]));
        assert_eq!(
            ctx.get("Aws:PrincipalTag/TEAM"),
            Some(&["ops".to_owned()][..])
        );
        assert_eq!(ctx.get("aws:username"), Some(&["alice".to_owned()][..]));
        assert_eq!(ctx.get("aws:sourceipx"), None);
    }

    #[test]
    fn principal_keys_can_be_left_out() {
        let alice = || {
            Principal::from_arn("arn:aws:iam::111122223333:user/alice")
                .unwrap_or_else(|| Principal::service("s3.amazonaws.com"))
        };
        let some = RequestContext::with_principal_keys(alice(), "s3:GetObject", "*", |k| {
            k == "aws:principaltype"
        });
        assert_eq!(
            some.get("aws:principaltype"),
            Some(&["User".to_owned()][..])
        );
        assert_eq!(some.get("aws:username"), None);
        assert_eq!(some.get("aws:principalarn"), None);
        let all = RequestContext::new(alice(), "s3:GetObject", "*");
        assert_eq!(all.get("aws:username"), Some(&["alice".to_owned()][..]));
        assert_eq!(
            all.get("aws:principalaccount"),
            Some(&["111122223333".to_owned()][..])
        );
    }

    #[test]
    fn every_inserted_key_is_found_whatever_the_order() {
        let mut ctx =
            RequestContext::new(Principal::service("s3.amazonaws.com"), "s3:GetObject", "*");
        let keys: Vec<String> = (0..200u32)
            .map(|i| {
                format!(
                    "aws:PrincipalTag/{}",
                    "kX".repeat((i * 7 % 13) as usize) + &i.to_string()
                )
            })
            .collect();
        for (i, k) in keys.iter().enumerate().rev() {
            ctx.insert(k, i.to_string());
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(ctx.get(k), Some(&[i.to_string()][..]), "{k}");
            assert_eq!(
                ctx.get(&k.to_ascii_uppercase()),
                Some(&[i.to_string()][..]),
                "{k}"
            );
        }
        assert_eq!(
            ctx.get("aws:principaltype"),
            Some(&["AWSService".to_owned()][..])
        );
        assert_eq!(ctx.get("aws:PrincipalTag/"), None);
    }
}

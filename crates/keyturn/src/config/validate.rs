//! Validation of the parsed file and its conversion into [`Config`] and [`IamData`].

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use keyturn_core::iam::{
    AccessKey, Account, ContextProvider, Group, IamData, InlinePolicies, ManagedPolicy, MfaDevice,
    OidcProvider, PolicyVersion, Role, SamlPrivateKey, SamlProvider, SecretString, Tags, User,
    account_of_access_key_id, managed,
};
use keyturn_core::ids::UniqueIdKind;
use serde_json::Value;

use super::raw::*;

mod delegation;
mod extra;
mod ids;
mod lists;
mod org;
mod quotas;
mod server;
mod store;
mod workload;
use super::{Config, ConfigError, DEFAULT_KEYRING, PluginConfig, locate};
use lists::listed;

/// The largest policy document IAM accepts, in characters.
const MAX_POLICY_CHARS: usize = 131_072;
/// The most tags on one entity.
const MAX_TAGS: usize = 50;

struct Checker<'t> {
    text: &'t str,
    origin: &'t str,
    base_dir: Option<PathBuf>,
    /// The entities' unique ids seen so far (each names one entity).
    ids: RefCell<BTreeSet<String>>,
}

type Checked<T> = Result<T, ConfigError>;

impl Checker<'_> {
    fn fail<T>(&self, path: &str, message: impl Into<String>) -> Checked<T> {
        Err(ConfigError::Invalid {
            origin: self.origin.to_owned(),
            line: locate::line_of(self.text, path),
            path: path.to_owned(),
            message: message.into(),
        })
    }

    fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        match &self.base_dir {
            Some(base) if p.is_relative() => base.join(p),
            _ => p.to_path_buf(),
        }
    }

    fn name(&self, path: &str, value: &str, max: usize) -> Checked<()> {
        let ok = !value.is_empty()
            && value.chars().count() <= max
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
        if ok {
            Ok(())
        } else {
            self.fail(path, format!("`{value}` is not a valid name: 1 to {max} characters of letters, digits and _+=,.@-"))
        }
    }

    fn iam_path(&self, path: &str, value: Option<&str>) -> Checked<String> {
        let value = value.unwrap_or("/");
        let ok = value == "/"
            || (value.len() >= 2
                && value.len() <= 512
                && value.starts_with('/')
                && value.ends_with('/')
                && value.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c)));
        if ok {
            Ok(value.to_owned())
        } else {
            self.fail(
                path,
                format!(
                    "`{value}` is not a valid IAM path: `/` or `/text/`, at most 512 characters"
                ),
            )
        }
    }

    /// A policy document: a mapping (the result is compact JSON text), or a string of JSON (kept as
    /// written).
    fn policy(&self, path: &str, value: &Value) -> Checked<String> {
        let parsed;
        let object = match value {
            Value::Object(_) => value,
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(v @ Value::Object(_)) => {
                    parsed = v;
                    &parsed
                }
                Ok(_) => return self.fail(path, "the policy document is not a JSON object"),
                Err(e) => {
                    return self.fail(path, format!("the policy document is not valid JSON: {e}"));
                }
            },
            _ => {
                return self.fail(
                    path,
                    "a policy document must be a mapping or a string of JSON",
                );
            }
        };
        // A string is kept as written (as IAM keeps a document, and as `keyturn export` writes
        // the stored text back); a mapping becomes compact JSON.
        let text = match value {
            Value::String(text) => text.clone(),
            _ => match serde_json::to_string(object) {
                Ok(t) => t,
                Err(e) => {
                    return self.fail(path, format!("the policy document cannot be encoded: {e}"));
                }
            },
        };
        if text.chars().count() > MAX_POLICY_CHARS {
            return self.fail(
                path,
                format!("the policy document is longer than {MAX_POLICY_CHARS} characters"),
            );
        }
        if let Some(c) = text
            .chars()
            .find(|&c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
        {
            return self.fail(
                path,
                format!("the policy document contains `{c}`, outside the characters IAM accepts"),
            );
        }
        if object.get("Statement").is_none() {
            return self.fail(path, "the policy document has no `Statement`");
        }
        Ok(text)
    }

    fn inline_policies(
        &self,
        path: &str,
        raw: &BTreeMap<String, Value>,
    ) -> Checked<InlinePolicies> {
        let mut out = InlinePolicies::new();
        for (name, doc) in raw {
            let p = format!("{path}.{name}");
            self.name(&p, name, 128)?;
            out.insert(name.clone(), self.policy(&p, doc)?);
        }
        Ok(out)
    }

    /// A provider's context provider, checked as IAM checks it.
    fn context_provider(
        &self,
        provider: &str,
        raw: Option<&ContextProvider>,
    ) -> Checked<Option<ContextProvider>> {
        match raw.map(ContextProvider::check) {
            Some(Err(message)) => self.fail(&format!("{provider}.context_provider"), message),
            _ => Ok(raw.cloned()),
        }
    }

    fn tags(&self, path: &str, raw: &BTreeMap<String, String>) -> Checked<Tags> {
        if raw.len() > MAX_TAGS {
            return self.fail(
                path,
                format!("at most {MAX_TAGS} tags are allowed, found {}", raw.len()),
            );
        }
        let tag_char = |c: char| {
            c.is_alphanumeric() || c == ' ' || c.is_whitespace() || "_.:/=+-@".contains(c)
        };
        let mut seen = BTreeSet::new();
        for (key, value) in raw {
            let p = format!("{path}.{key}");
            if key.is_empty() || key.chars().count() > 128 || !key.chars().all(tag_char) {
                return self.fail(&p, format!("`{key}` is not a valid tag key: 1 to 128 letters, digits, spaces and _.:/=+-@"));
            }
            if key.to_ascii_lowercase().starts_with("aws:") {
                return self.fail(&p, "tag keys starting with `aws:` are reserved for AWS");
            }
            if !seen.insert(key.to_lowercase()) {
                return self.fail(
                    &p,
                    format!("duplicate tag key `{key}` (tag keys are case-insensitive)"),
                );
            }
            if value.chars().count() > 256 || !value.chars().all(tag_char) {
                return self.fail(
                    &p,
                    "a tag value is at most 256 letters, digits, spaces and _.:/=+-@",
                );
            }
        }
        Ok(raw.clone())
    }

    fn access_keys(
        &self,
        path: &str,
        account_id: &str,
        raw: &[RawAccessKey],
        key_ids: &mut BTreeSet<String>,
    ) -> Checked<Vec<AccessKey>> {
        let mut out = Vec::new();
        for (i, key) in raw.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let well_formed = key.id.len() == 20
                && key.id.starts_with("AKIA")
                && key.id[4..]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
            if !well_formed {
                return self.fail(&format!("{p}.id"), format!("`{}` is not a well-formed access key id: `AKIA` and 16 base32 characters (A-Z, 2-7)", key.id));
            }
            match account_of_access_key_id(&key.id) {
                Some(encoded) if encoded == account_id => {}
                other => {
                    return self.fail(
                        &format!("{p}.id"),
                        format!(
                            "access key id `{}` encodes account {}, not {account_id} (GetAccessKeyInfo answers from the id)",
                            key.id,
                            other.unwrap_or_else(|| "none".to_owned())
                        ),
                    );
                }
            }
            if !key_ids.insert(key.id.clone()) {
                return self.fail(
                    &format!("{p}.id"),
                    format!("access key id `{}` is used more than once", key.id),
                );
            }
            if key.secret.is_empty()
                || key.secret.len() > 128
                || !key.secret.bytes().all(|b| b.is_ascii_graphic())
            {
                // Never echo the secret.
                return self.fail(
                    &format!("{p}.secret"),
                    "a secret access key is 1 to 128 printable ASCII characters without spaces",
                );
            }
            out.push(AccessKey {
                id: key.id.clone(),
                secret: SecretString::new(key.secret.clone()),
                status: key.status,
            });
        }
        Ok(out)
    }

    /// An MFA device (a user's or unassigned); `devices` holds the names seen in the account.
    /// A managed policy: one `document` (`v1`, the default), or `versions` with the default's
    /// id (as `keyturn export` writes a policy changed through the IAM API).
    fn managed_policy(
        &self,
        q: &str,
        m: &RawManagedPolicy,
        path: String,
    ) -> Checked<ManagedPolicy> {
        let mut policy = match (&m.document, &m.versions) {
            (Some(document), None) => {
                let document = self.policy(&format!("{q}.document"), document)?;
                ManagedPolicy::new(m.name.clone(), path, document)
            }
            (None, Some(versions)) if !versions.is_empty() => {
                let mut list = Vec::new();
                for (k, v) in versions.iter().enumerate() {
                    let r = format!("{q}.versions[{k}]");
                    let number = v.id.strip_prefix('v').and_then(|n| n.parse::<u32>().ok());
                    if number.is_none_or(|n| n == 0)
                        || list.iter().any(|x: &PolicyVersion| x.id == v.id)
                    {
                        return self.fail(
                            &format!("{r}.id"),
                            format!("`{}` is not a new version id (v1, v2, ...)", v.id),
                        );
                    }
                    list.push(PolicyVersion {
                        id: v.id.clone(),
                        document: self.policy(&format!("{r}.document"), &v.document)?,
                        create_date: v.create_date.clone(),
                    });
                }
                let newest = list
                    .iter()
                    .filter_map(|v| v.id.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()))
                    .max()
                    .unwrap_or(1);
                let default = m.default_version.clone().unwrap_or_else(|| "v1".to_owned());
                if !list.iter().any(|v| v.id == default) {
                    return self.fail(
                        &format!("{q}.default_version"),
                        format!("`{default}` is none of the policy's versions"),
                    );
                }
                let mut p = ManagedPolicy::new(m.name.clone(), path, String::new());
                p.versions = list;
                p.default_version = default;
                p.last_version = m.last_version.unwrap_or(newest).max(newest);
                p
            }
            _ => {
                return self.fail(q, "give either `document` or a non-empty `versions` list");
            }
        };
        policy.id = self.entity_id(q, m.id.as_deref(), UniqueIdKind::Policy)?;
        policy.description.clone_from(&m.description);
        policy.tags = self.tags(&format!("{q}.tags"), &m.tags)?;
        Ok(policy)
    }

    fn mfa_device(
        &self,
        r: &str,
        d: &RawMfaDevice,
        devices: &mut BTreeSet<String>,
    ) -> Checked<MfaDevice> {
        self.name(&format!("{r}.name"), &d.name, 226)?;
        if !devices.insert(d.name.clone()) {
            return self.fail(
                &format!("{r}.name"),
                format!(
                    "MFA device `{}` is defined more than once in this account",
                    d.name
                ),
            );
        }
        if let Err(e) = keyturn_core::mfa::decode_seed_base32(&d.seed_base32) {
            return self.fail(&format!("{r}.seed_base32"), e.to_string());
        }
        Ok(MfaDevice {
            name: d.name.clone(),
            path: self.iam_path(&format!("{r}.path"), d.path.as_deref())?,
            seed_base32: SecretString::new(d.seed_base32.clone()),
            tags: self.tags(&format!("{r}.tags"), &d.tags)?,
        })
    }

    fn policy_refs(
        &self,
        path: &str,
        arns: &[String],
        known: &BTreeSet<String>,
    ) -> Checked<Vec<String>> {
        for (i, arn) in arns.iter().enumerate() {
            self.policy_ref(&format!("{path}[{i}]"), arn, known)?;
        }
        Ok(arns.to_vec())
    }

    /// The `permissions_boundary` of the user or role at `q`, when it has one: a managed policy
    /// ARN as [`Checker::policy_ref`] takes it.
    fn boundary(
        &self,
        q: &str,
        boundary: Option<&str>,
        known: &BTreeSet<String>,
    ) -> Checked<Option<String>> {
        if let Some(arn) = boundary {
            self.policy_ref(&format!("{q}.permissions_boundary"), arn, known)?;
        }
        Ok(boundary.map(str::to_owned))
    }

    /// A managed policy ARN: one of this account's `managed_policies`, or one of AWS's
    /// (`arn:aws:iam::aws:policy/PATH/NAME`, known to the engine).
    fn policy_ref(&self, path: &str, arn: &str, known: &BTreeSet<String>) -> Checked<()> {
        if known.contains(arn) {
            Ok(())
        } else if managed::is_aws_managed_arn(arn) {
            match managed::aws_managed_policy(arn) {
                Ok(Some(_)) => Ok(()),
                Ok(None) => self.fail(
                    path,
                    format!("`{arn}` is not an AWS managed policy (the ARN includes the policy's path, as in `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`)"),
                ),
                Err(e) => self.fail(path, e.message().to_owned()),
            }
        } else {
            self.fail(
                path,
                format!("managed policy `{arn}` is not defined in this account's managed_policies"),
            )
        }
    }
}

pub(crate) fn build(
    raw: RawConfig,
    text: &str,
    origin: &str,
    base_dir: Option<PathBuf>,
) -> Checked<Config> {
    let c = Checker {
        text,
        origin,
        base_dir: base_dir.clone(),
        ids: RefCell::default(),
    };

    let server = server::server(&c, raw.server.unwrap_or_default())?;
    let console = server::console(&c, raw.console)?;
    let log = server::log(&c, raw.log.unwrap_or_default())?;

    let keyring = c.resolve(raw.keyring.as_deref().unwrap_or(DEFAULT_KEYRING));
    let store = store::store(&c, raw.store)?;

    let mut plugins = Vec::new();
    for (i, plugin) in raw.plugins.into_iter().enumerate() {
        if plugin.path.is_empty() {
            return c.fail(&format!("plugins[{i}].path"), "the plugin path is empty");
        }
        let call_timeout = match plugin.call_timeout_ms {
            None => PluginConfig::DEFAULT_CALL_TIMEOUT,
            Some(ms) => match u64::try_from(ms) {
                Ok(ms @ 1..=PluginConfig::MAX_CALL_TIMEOUT_MS) => {
                    std::time::Duration::from_millis(ms)
                }
                _ => {
                    return c.fail(
                        &format!("plugins[{i}].call_timeout_ms"),
                        format!(
                            "`{ms}` is not a number of milliseconds from 1 to {}",
                            PluginConfig::MAX_CALL_TIMEOUT_MS
                        ),
                    );
                }
            },
        };
        plugins.push(PluginConfig {
            path: c.resolve(&plugin.path),
            config: plugin.config,
            call_timeout,
        });
    }

    let mut accounts = Vec::new();
    let mut account_ids = BTreeSet::new();
    let mut key_ids = BTreeSet::new();
    let mut generate_keys_for = BTreeSet::new();
    for (i, account) in raw.accounts.iter().enumerate() {
        let p = format!("accounts[{i}]");
        if account.id.len() != 12 || !account.id.bytes().all(|b| b.is_ascii_digit()) {
            return c.fail(
                &format!("{p}.id"),
                format!("`{}` is not an account id: 12 digits, quoted", account.id),
            );
        }
        if !account_ids.insert(account.id.clone()) {
            return c.fail(
                &format!("{p}.id"),
                format!("account `{}` is defined more than once", account.id),
            );
        }
        accounts.push(build_account(&c, &p, account, &mut key_ids)?);
        generate_keys_for.extend(
            account
                .users
                .iter()
                .filter(|u| u.access_keys.is_none())
                .map(|u| (account.id.clone(), u.name.clone())),
        );
    }

    let mut request_ids = BTreeSet::new();
    for (i, (account, raw_account)) in accounts.iter_mut().zip(&raw.accounts).enumerate() {
        account.delegation_requests = c.delegation_requests(
            &format!("accounts[{i}]"),
            &raw_account.delegation_requests,
            &mut request_ids,
        )?;
    }
    let delegation_channels = c.delegation_channels(raw.delegation.as_ref())?;
    for (i, (account, raw_account)) in accounts.iter_mut().zip(&raw.accounts).enumerate() {
        c.workload(&format!("accounts[{i}]"), account, raw_account)?;
    }

    let organization = match &raw.organization {
        Some(o) => Some(Box::new(c.organization(o, &account_ids)?)),
        None => None,
    };

    Ok(Config {
        origin: origin.to_owned(),
        base_dir,
        server,
        keyring,
        store,
        plugins,
        iam: IamData {
            accounts,
            organization,
        },
        generate_keys_for,
        delegation_channels,
        console,
        log,
    })
}

fn alias_ok(alias: &str) -> bool {
    let b = alias.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && b.first() != Some(&b'-')
        && b.last() != Some(&b'-')
        && !alias.contains("--")
}

fn build_account(
    c: &Checker<'_>,
    p: &str,
    raw: &RawAccount,
    key_ids: &mut BTreeSet<String>,
) -> Checked<Account> {
    let id = raw.id.as_str();
    if let Some(alias) = &raw.alias
        && !alias_ok(alias)
    {
        {
            return c.fail(&format!("{p}.alias"), format!("`{alias}` is not a valid account alias: 3 to 63 lowercase letters, digits and single hyphens inside"));
        }
    }

    // Managed policies first: the others refer to them.
    let mut managed_policies = Vec::new();
    for (q, m) in listed(c, p, &raw.managed_policies)? {
        c.name(&format!("{q}.name"), &m.name, 128)?;
        let path = c.iam_path(&format!("{q}.path"), m.path.as_deref())?;
        managed_policies.push(c.managed_policy(&q, m, path)?);
    }
    let known: BTreeSet<String> = managed_policies.iter().map(|m| m.arn(id)).collect();

    let mut groups = Vec::new();
    for (q, g) in listed(c, p, &raw.groups)? {
        c.name(&format!("{q}.name"), &g.name, 128)?;
        groups.push(Group {
            name: g.name.clone(),
            id: c.entity_id(&q, g.id.as_deref(), UniqueIdKind::Group)?,
            path: c.iam_path(&format!("{q}.path"), g.path.as_deref())?,
            inline_policies: c
                .inline_policies(&format!("{q}.inline_policies"), &g.inline_policies)?,
            managed_policies: c.policy_refs(
                &format!("{q}.managed_policies"),
                &g.managed_policies,
                &known,
            )?,
        });
    }

    let root = extra::root(c, p, id, raw.root.as_ref(), key_ids)?;

    let mut users = Vec::new();
    let mut devices = BTreeSet::new();
    for (q, u) in listed(c, p, &raw.users)? {
        c.name(&format!("{q}.name"), &u.name, 64)?;
        for (j, group) in u.groups.iter().enumerate() {
            if !groups.iter().any(|g| &g.name == group) {
                return c.fail(
                    &format!("{q}.groups[{j}]"),
                    format!("group `{group}` is not defined in this account's groups"),
                );
            }
        }
        let mut mfa_devices = Vec::new();
        if u.mfa_devices.len() > 8 {
            return c.fail(
                &format!("{q}.mfa_devices"),
                "a user has at most 8 MFA devices",
            );
        }
        for (j, d) in u.mfa_devices.iter().enumerate() {
            mfa_devices.push(c.mfa_device(&format!("{q}.mfa_devices[{j}]"), d, &mut devices)?);
        }
        let permissions_boundary = c.boundary(&q, u.permissions_boundary.as_deref(), &known)?;
        users.push(User {
            name: u.name.clone(),
            id: c.entity_id(&q, u.id.as_deref(), UniqueIdKind::User)?,
            path: c.iam_path(&format!("{q}.path"), u.path.as_deref())?,
            groups: u.groups.clone(),
            access_keys: c.access_keys(
                &format!("{q}.access_keys"),
                id,
                u.access_keys.as_deref().unwrap_or_default(),
                key_ids,
            )?,
            mfa_devices,
            inline_policies: c
                .inline_policies(&format!("{q}.inline_policies"), &u.inline_policies)?,
            managed_policies: c.policy_refs(
                &format!("{q}.managed_policies"),
                &u.managed_policies,
                &known,
            )?,
            permissions_boundary,
            tags: c.tags(&format!("{q}.tags"), &u.tags)?,
            signing_certificates: extra::user_list(c, &q, &u.signing_certificates)?,
            ssh_public_keys: extra::user_list(c, &q, &u.ssh_public_keys)?,
        });
    }

    let mut roles = Vec::new();
    for (q, r) in listed(c, p, &raw.roles)? {
        c.name(&format!("{q}.name"), &r.name, 64)?;
        let max = r.max_session_duration.unwrap_or(3600);
        if !(3600..=43200).contains(&max) {
            return c.fail(
                &format!("{q}.max_session_duration"),
                format!("{max} is outside 3600 to 43200 seconds"),
            );
        }
        if let Some(d) = &r.description
            && d.chars().count() > 1000
        {
            {
                return c.fail(
                    &format!("{q}.description"),
                    "a role description is at most 1000 characters",
                );
            }
        }
        let permissions_boundary = c.boundary(&q, r.permissions_boundary.as_deref(), &known)?;
        roles.push(Role {
            name: r.name.clone(),
            id: c.entity_id(&q, r.id.as_deref(), UniqueIdKind::Role)?,
            path: c.iam_path(&format!("{q}.path"), r.path.as_deref())?,
            max_session_duration: u32::try_from(max).unwrap_or(3600),
            trust_policy: c.policy(&format!("{q}.trust_policy"), &r.trust_policy)?,
            inline_policies: c
                .inline_policies(&format!("{q}.inline_policies"), &r.inline_policies)?,
            managed_policies: c.policy_refs(
                &format!("{q}.managed_policies"),
                &r.managed_policies,
                &known,
            )?,
            permissions_boundary,
            tags: c.tags(&format!("{q}.tags"), &r.tags)?,
            description: r.description.clone(),
        });
    }

    let instance_profiles = extra::instance_profiles(c, p, &raw.instance_profiles, &roles)?;
    let mut virtual_mfa_devices = Vec::new();
    for (i, d) in raw.virtual_mfa_devices.iter().enumerate() {
        let q = format!("{p}.virtual_mfa_devices[{i}]");
        virtual_mfa_devices.push(c.mfa_device(&q, d, &mut devices)?);
    }

    let mut oidc_providers = Vec::new();
    for (q, o) in listed(c, p, &raw.oidc_providers)? {
        if !o.url.starts_with("https://") || o.url.len() <= 8 || o.url.len() > 255 {
            return c.fail(
                &format!("{q}.url"),
                format!(
                    "`{}` is not an https:// URL of at most 255 characters",
                    o.url
                ),
            );
        }
        for (j, client) in o.client_ids.iter().enumerate() {
            if client.is_empty() || client.len() > 255 {
                return c.fail(
                    &format!("{q}.client_ids[{j}]"),
                    "a client id is 1 to 255 characters",
                );
            }
        }
        for (j, t) in o.thumbprints.iter().enumerate() {
            if t.len() != 40 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
                return c.fail(
                    &format!("{q}.thumbprints[{j}]"),
                    format!("`{t}` is not a thumbprint: 40 hexadecimal characters"),
                );
            }
        }
        let jwks = match &o.jwks {
            None => None,
            Some(value) => {
                let parsed = match value {
                    Value::String(s) => serde_json::from_str::<Value>(s).ok(),
                    other => Some(other.clone()),
                };
                match parsed {
                    Some(v) if v.get("keys").is_some_and(Value::is_array) => Some(v.to_string()),
                    _ => {
                        return c.fail(
                            &format!("{q}.jwks"),
                            "a JWKS must be a JSON object with a `keys` array",
                        );
                    }
                }
            }
        };
        if jwks.is_some() && o.jwks_file.is_some() {
            return c.fail(
                &format!("{q}.jwks_file"),
                "give `jwks` or `jwks_file`, not both",
            );
        }
        oidc_providers.push(OidcProvider {
            url: o.url.clone(),
            client_ids: o.client_ids.clone(),
            thumbprints: o
                .thumbprints
                .iter()
                .map(|t| t.to_ascii_lowercase())
                .collect(),
            jwks,
            jwks_file: o
                .jwks_file
                .as_deref()
                .map(|f| c.resolve(f).display().to_string()),
            tags: c.tags(&format!("{q}.tags"), &o.tags)?,
            context_provider: c.context_provider(&q, o.context_provider.as_ref())?,
        });
    }

    let mut saml_providers = Vec::new();
    for (q, s) in listed(c, p, &raw.saml_providers)? {
        let ok = !s.name.is_empty()
            && s.name.len() <= 128
            && s.name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "_.-".contains(ch));
        if !ok {
            return c.fail(
                &format!("{q}.name"),
                format!(
                    "`{}` is not a valid SAML provider name: 1 to 128 letters, digits and _.-",
                    s.name
                ),
            );
        }
        if s.metadata.is_some() == s.metadata_file.is_some() {
            return c.fail(
                &format!("{q}.name"),
                "give exactly one of `metadata` or `metadata_file`",
            );
        }
        saml_providers.push(SamlProvider {
            name: s.name.clone(),
            metadata: s.metadata.clone(),
            metadata_file: s
                .metadata_file
                .as_deref()
                .map(|f| c.resolve(f).display().to_string()),
            tags: c.tags(&format!("{q}.tags"), &s.tags)?,
            uuid: s.uuid.clone(),
            valid_until: s.valid_until.clone(),
            assertion_encryption_mode: s.assertion_encryption_mode.clone(),
            private_keys: s
                .private_keys
                .iter()
                .map(|k| SamlPrivateKey {
                    key_id: k.key_id.clone(),
                    pem: SecretString::new(k.pem.clone()),
                    timestamp: k.timestamp.clone(),
                })
                .collect(),
            context_provider: c.context_provider(&q, s.context_provider.as_ref())?,
        });
    }

    let mut account = Account {
        id: id.to_owned(),
        alias: raw.alias.clone(),
        root,
        users,
        roles,
        groups,
        managed_policies,
        oidc_providers,
        saml_providers,
        instance_profiles,
        virtual_mfa_devices,
        server_certificates: extra::server_certificates(c, p, &raw.server_certificates)?,
        credential_report: None,
        create_dates: BTreeMap::new(),
        outbound_web_identity_federation: raw.outbound_web_identity_federation,
        delegation_requests: Vec::new(),
        ..Account::default()
    };
    account.create_dates = create_dates(c, p, raw, &account)?;
    Ok(account)
}

/// The `create_date:`s of the account's entities, checked and keyed as
/// [`Account::create_dates`] keys them. `account` is `raw` built, entity for entity.
fn create_dates(
    c: &Checker<'_>,
    p: &str,
    raw: &RawAccount,
    account: &Account,
) -> Checked<BTreeMap<String, String>> {
    let id = account.id.as_str();
    let mut dates = BTreeMap::new();
    let mut add = |path: String, value: &Option<String>, key: String| -> Checked<()> {
        let Some(text) = value else { return Ok(()) };
        match keyturn_core::engine::view::normalize_create_date(text) {
            Some(date) => {
                dates.insert(key, date);
                Ok(())
            }
            None => c.fail(
                &path,
                format!("`{text}` is not an ISO-8601 date and time, as in `2024-01-31T12:00:00Z`"),
            ),
        }
    };
    // The dates of the raw entities `$raws` at `$at[i]`, each keyed by `$key` of the entity built
    // from it (`$built`); or of an entity list of the account, named by its field as in the
    // configuration.
    macro_rules! dated {
        ($at:expr, $raws:expr, $built:expr, |$b:ident| $key:expr) => {
            for (i, (r, $b)) in $raws.iter().zip($built).enumerate() {
                add(format!("{}[{i}].create_date", $at), &r.create_date, $key)?;
            }
        };
        ($list:ident, |$b:ident| $key:expr) => {
            let at = format!("{p}.{}", stringify!($list));
            dated!(at, raw.$list, &account.$list, |$b| $key)
        };
    }
    if let Some(r) = &raw.root {
        let at = format!("{p}.root.access_keys");
        let keys = &account.root.access_keys;
        dated!(at, r.access_keys, keys, |k| k.id.clone());
    }
    for (i, (ru, u)) in raw.users.iter().zip(&account.users).enumerate() {
        let q = format!("{p}.users[{i}]");
        add(format!("{q}.create_date"), &ru.create_date, u.arn(id))?;
        let raw_keys = ru.access_keys.as_deref().unwrap_or_default();
        let at = format!("{q}.access_keys");
        dated!(at, raw_keys, &u.access_keys, |k| k.id.clone());
        let at = format!("{q}.mfa_devices");
        dated!(at, ru.mfa_devices, &u.mfa_devices, |d| d.serial(id));
    }
    dated!(roles, |r| r.arn(id));
    dated!(groups, |g| g.arn(id));
    dated!(managed_policies, |m| m.arn(id));
    dated!(oidc_providers, |o| o.arn(id));
    dated!(saml_providers, |s| s.arn(id));
    dated!(instance_profiles, |ip| ip.arn(id));
    dated!(virtual_mfa_devices, |d| d.serial(id));
    Ok(dates)
}

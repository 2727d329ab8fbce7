//! The compiled, read-mostly view of the IAM model: built once from the store's [`IamData`],
//! rebuilt when the store's generation changes. Every policy is parsed and compiled here, so a
//! broken policy is reported when the model is loaded (naming the entity), never per request.

use crate::ErrorCode;
use std::collections::HashMap;
use std::sync::Arc;

use keyturn_policy::PolicyType;
use keyturn_sigv4::SigningSecret;

use crate::Error;
use crate::arn::{Partition, entity_arn_string};
use crate::evaluator::OrgLevel;
use crate::evaluator::{PolicyRef, PolicySource};
use crate::iam::{AccessKeyStatus, IamData, Tags};
use crate::ids::{AccountId, UniqueId, UniqueIdKind};
use crate::keyring::Keyring;
use crate::org::CompiledOrganization;

/// A user, group or role as the snapshot compiles it: an IAM entity with inline policies and
/// attached managed policies of its own.
trait PolicyHolder {
    /// Whose inline policies they are, as the evaluator names them.
    const SOURCE: PolicySource;
    /// The entity's ARN in `account_id`.
    fn arn(&self, account_id: &str) -> String;
    /// Its inline policies and the ARNs of its attached managed policies.
    fn policies(&self) -> (&crate::iam::InlinePolicies, &[String]);
}

/// Implements [`PolicyHolder`] for the model's entities: `Entity: its PolicySource`.
macro_rules! policy_holder {
    ($($entity:ident: $source:ident),*) => {$(
        impl PolicyHolder for crate::iam::$entity {
            const SOURCE: PolicySource = PolicySource::$source;
            fn arn(&self, account_id: &str) -> String {
                crate::iam::$entity::arn(self, account_id)
            }
            fn policies(&self) -> (&crate::iam::InlinePolicies, &[String]) {
                (&self.inline_policies, &self.managed_policies)
            }
        }
    )*};
}

policy_holder!(User: User, Group: Group, Role: Role);

/// The compiled policies of a user, role or group.
#[derive(Debug, Clone, Default)]
pub struct EntityPolicies {
    /// Identity policies (for a user: its own and its groups').
    pub identity: Arc<[Arc<PolicyRef>]>,
    /// The permissions boundary.
    pub boundary: Option<Arc<PolicyRef>>,
}

/// An IAM user.
#[derive(Debug)]
pub struct UserEntry {
    /// The account.
    pub account: AccountId,
    /// The path.
    pub path: String,
    /// The name.
    pub name: String,
    /// `AIDA…`.
    pub unique_id: UniqueId,
    /// Its policies.
    pub policies: EntityPolicies,
    /// Tags.
    pub tags: Tags,
    /// Serials of its MFA devices.
    pub mfa_serials: Vec<String>,
}

impl UserEntry {
    /// The user's ARN.
    pub fn arn(&self) -> String {
        entity_arn_string(Partition::Aws, self.account, "user", &self.path, &self.name)
    }
}

/// An IAM role.
#[derive(Debug)]
pub struct RoleEntry {
    /// The account.
    pub account: AccountId,
    /// The path.
    pub path: String,
    /// The name.
    pub name: String,
    /// `AROA…`.
    pub unique_id: UniqueId,
    /// Longest session, seconds.
    pub max_session_duration: u32,
    /// The trust policy.
    pub trust: Arc<PolicyRef>,
    /// Its permissions.
    pub policies: EntityPolicies,
    /// Tags.
    pub tags: Tags,
}

impl RoleEntry {
    /// The role's ARN.
    pub fn arn(&self) -> String {
        entity_arn_string(Partition::Aws, self.account, "role", &self.path, &self.name)
    }
}

/// An IAM group (for policy simulation).
#[derive(Debug)]
pub struct GroupEntry {
    /// Its policies.
    pub policies: EntityPolicies,
}

/// Who owns a long-term key.
#[derive(Debug, Clone)]
pub enum KeyOwner {
    /// The root user of the account.
    Root,
    /// An IAM user.
    User(Arc<UserEntry>),
}

/// A long-term access key.
#[derive(Debug)]
pub struct LongTermKey {
    /// The account.
    pub account: AccountId,
    /// Root or a user.
    pub owner: KeyOwner,
    /// The secret.
    pub secret: SigningSecret,
    /// Whether the key may sign.
    pub active: bool,
}

/// A virtual MFA device.
pub struct MfaEntry {
    /// The owner's ARN.
    pub user_arn: String,
    /// The TOTP seed.
    pub seed: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for MfaEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaEntry")
            .field("user_arn", &self.user_arn)
            .field("seed", &"***")
            .finish()
    }
}

/// The snapshot's maps: keys come from the model, not from requests, and lookups hash little.
pub type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Entities by account and name, found from borrowed parts (no key is built per lookup).
#[derive(Debug)]
pub struct ByAccount<T>(Map<AccountId, Map<String, Arc<T>>>);

impl<T> Default for ByAccount<T> {
    fn default() -> Self {
        Self(Map::default())
    }
}

impl<T> ByAccount<T> {
    /// The entity named `name` in `account`.
    pub fn get(&self, account: AccountId, name: &str) -> Option<&Arc<T>> {
        self.0.get(&account)?.get(name)
    }

    fn insert(&mut self, account: AccountId, name: String, entity: Arc<T>) {
        self.0.entry(account).or_default().insert(name, entity);
    }
}

/// The compiled model. Its `Debug` form is a summary (it travels with every caller).
pub struct Snapshot {
    /// What the root user's identity policies amount to: everything is allowed.
    pub root_identity: Arc<[Arc<PolicyRef>]>,
    /// A policy that allows nothing (a federated user without a session policy).
    pub nothing: Arc<PolicyRef>,
    /// The store generation it was built from.
    pub generation: u64,
    /// Long-term keys by id.
    pub keys: Map<String, LongTermKey>,
    /// Users by account and name.
    pub users: ByAccount<UserEntry>,
    /// Roles by account and name.
    pub roles: ByAccount<RoleEntry>,
    /// Groups by account and name.
    pub groups: ByAccount<GroupEntry>,
    /// Managed policies by ARN.
    pub managed: Map<String, Arc<PolicyRef>>,
    /// MFA devices by serial.
    pub mfa: Map<String, MfaEntry>,
    /// Unique ids (`AGPA…`, `ANPA…`) of groups and customer managed policies, by ARN (users'
    /// and roles' are in their entries), for the IAM read view.
    pub entity_ids: Map<String, UniqueId>,
    /// The model itself (identity providers, for federation).
    pub data: IamData,
    /// The organization, compiled; `None` without one (no SCP or RCP applies).
    pub org: Option<CompiledOrganization>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("generation", &self.generation)
            .field("accounts", &self.data.accounts.len())
            .field("keys", &self.keys.len())
            .field("managed_policies", &self.managed.len())
            .field("mfa_devices", &self.mfa.len())
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    /// Compiles `data` (from store generation `generation`); unique ids derive from `keyring`.
    ///
    /// # Errors
    /// `MalformedPolicyDocument` naming the entity whose policy is invalid.
    pub fn build(data: IamData, generation: u64, keyring: &Keyring) -> Result<Self, Error> {
        let root = PolicyRef::parse(
            "root",
            PolicySource::None,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            PolicyType::Identity,
        )?;
        let nothing = PolicyRef::parse(
            "none",
            PolicySource::None,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"keyturn:Nothing","Resource":"*"}]}"#,
            PolicyType::Session,
        )?;
        let mut s = Snapshot {
            root_identity: vec![Arc::new(root)].into(),
            nothing: Arc::new(nothing),
            generation,
            keys: Map::default(),
            users: ByAccount::default(),
            roles: ByAccount::default(),
            groups: ByAccount::default(),
            managed: Map::default(),
            mfa: Map::default(),
            entity_ids: Map::default(),
            data: IamData::default(),
            org: None,
        };
        for account in &data.accounts {
            for mp in &account.managed_policies {
                let arn = mp.arn(&account.id);
                let p = PolicyRef::parse(
                    &arn,
                    PolicySource::UserManaged,
                    mp.document(),
                    PolicyType::Identity,
                )
                .map_err(|e| Error::malformed_policy(&format!("managed policy {arn}"), &e))?;
                let acct = AccountId::stored(&account.id, "the model")?;
                let id = keyring.entity_id(mp.id.as_deref(), UniqueIdKind::Policy, acct, &mp.name);
                s.entity_ids.insert(arn.clone(), id);
                s.managed.insert(arn, Arc::new(p));
            }
            for ip in &account.instance_profiles {
                let acct = AccountId::stored(&account.id, "the model")?;
                let id = keyring.entity_id(
                    ip.id.as_deref(),
                    UniqueIdKind::InstanceProfile,
                    acct,
                    &ip.name,
                );
                s.entity_ids.insert(ip.arn(&account.id), id);
            }
        }
        s.compile_attached_aws_policies(&data)?;
        for account in &data.accounts {
            let acct = AccountId::stored(&account.id, "the model")?;
            for key in &account.root.access_keys {
                s.keys.insert(
                    key.id.clone(),
                    LongTermKey {
                        account: acct,
                        owner: KeyOwner::Root,
                        secret: SigningSecret::new(key.secret.expose()),
                        active: key.status == AccessKeyStatus::Active,
                    },
                );
            }
            let mut group_policies: HashMap<&str, Vec<Arc<PolicyRef>>> = HashMap::new();
            for g in &account.groups {
                let (entity, list) = s.entity_policies(&account.id, g)?;
                group_policies.insert(g.name.as_str(), list.clone());
                s.entity_ids.insert(
                    entity,
                    keyring.entity_id(g.id.as_deref(), UniqueIdKind::Group, acct, &g.name),
                );
                s.groups.insert(
                    acct,
                    g.name.clone(),
                    Arc::new(GroupEntry {
                        policies: EntityPolicies {
                            identity: list.into(),
                            boundary: None,
                        },
                    }),
                );
            }
            for u in &account.users {
                let (entity, mut list) = s.entity_policies(&account.id, u)?;
                for g in &u.groups {
                    if let Some(gp) = group_policies.get(g.as_str()) {
                        list.extend(gp.iter().cloned());
                    }
                }
                let boundary = s.boundary(&entity, u.permissions_boundary.as_deref())?;
                let mut serials = Vec::new();
                for d in &u.mfa_devices {
                    let serial = d.serial(&account.id);
                    let seed =
                        crate::mfa::decode_seed_base32(d.seed_base32.expose()).map_err(|e| {
                            Error::new(ErrorCode::InternalFailure, format!("{serial}: {e}"))
                        })?;
                    s.mfa.insert(
                        serial.clone(),
                        MfaEntry {
                            user_arn: entity.clone(),
                            seed,
                        },
                    );
                    serials.push(serial);
                }
                let entry = Arc::new(UserEntry {
                    account: acct,
                    path: u.path.clone(),
                    name: u.name.clone(),
                    unique_id: keyring.entity_id(
                        u.id.as_deref(),
                        UniqueIdKind::User,
                        acct,
                        &u.name,
                    ),
                    policies: EntityPolicies {
                        identity: list.into(),
                        boundary,
                    },
                    tags: u.tags.clone(),
                    mfa_serials: serials,
                });
                for key in &u.access_keys {
                    s.keys.insert(
                        key.id.clone(),
                        LongTermKey {
                            account: acct,
                            owner: KeyOwner::User(Arc::clone(&entry)),
                            secret: SigningSecret::new(key.secret.expose()),
                            active: key.status == AccessKeyStatus::Active,
                        },
                    );
                }
                s.users.insert(acct, u.name.clone(), entry);
            }
            for r in &account.roles {
                let (entity, list) = s.entity_policies(&account.id, r)?;
                let boundary = s.boundary(&entity, r.permissions_boundary.as_deref())?;
                let trust = PolicyRef::parse(
                    &entity,
                    PolicySource::Resource,
                    &r.trust_policy,
                    PolicyType::Trust,
                )
                .map_err(|e| Error::malformed_policy(&format!("trust policy of {entity}"), &e))?;
                s.roles.insert(
                    acct,
                    r.name.clone(),
                    Arc::new(RoleEntry {
                        account: acct,
                        path: r.path.clone(),
                        name: r.name.clone(),
                        unique_id: keyring.entity_id(
                            r.id.as_deref(),
                            UniqueIdKind::Role,
                            acct,
                            &r.name,
                        ),
                        max_session_duration: r.max_session_duration,
                        trust: Arc::new(trust),
                        policies: EntityPolicies {
                            identity: list.into(),
                            boundary,
                        },
                        tags: r.tags.clone(),
                    }),
                );
            }
        }
        if let Some(org) = &data.organization {
            let root =
                s.root_identity.first().cloned().ok_or_else(|| {
                    Error::new(ErrorCode::InternalFailure, "no root identity policy")
                })?;
            s.org = Some(CompiledOrganization::build(org, &root)?);
        }
        s.data = data;
        Ok(s)
    }

    /// Puts `aws:ResourceOrgID` and `aws:ResourceOrgPaths` of a resource in `account` in `sink`
    /// when the account is in the organization.
    pub(crate) fn put_resource_org_keys(
        &self,
        sink: &mut impl super::keys::KeySink,
        account: Option<&str>,
    ) {
        let Some(org) = &self.org else {
            return;
        };
        if let Some(a) = account.and_then(|a| org.account(a)) {
            sink.put("aws:resourceorgid", || org.id.clone());
            sink.put("aws:resourceorgpaths", || a.path.clone());
        }
    }

    /// The RCP levels that govern `action` on a resource of `account`: none without an
    /// organization, for the management account's resources, for an account outside the
    /// organization and for the services RCPs do not support (IAM).
    pub fn rcp_levels(&self, account: Option<&str>, action: &str) -> &[OrgLevel] {
        let Some(org) = &self.org else {
            return &[];
        };
        match account.and_then(|a| org.account(a)) {
            Some(a) if crate::org::rcp_applies(action) => &a.rcps,
            _ => &[],
        }
    }

    /// Compiles the AWS managed policies that some user, group or role attaches (or uses as
    /// its boundary) into `managed`; the other 1,500-odd are never compiled. An ARN that AWS
    /// does not have is left out, so the entity reports it as missing.
    fn compile_attached_aws_policies(&mut self, data: &IamData) -> Result<(), Error> {
        let mut attached: Vec<&str> = Vec::new();
        for a in &data.accounts {
            let users = a.users.iter().flat_map(|u| {
                u.managed_policies
                    .iter()
                    .chain(u.permissions_boundary.as_ref())
            });
            let roles = a.roles.iter().flat_map(|r| {
                r.managed_policies
                    .iter()
                    .chain(r.permissions_boundary.as_ref())
            });
            let groups = a.groups.iter().flat_map(|g| g.managed_policies.iter());
            attached.extend(
                users
                    .chain(roles)
                    .chain(groups)
                    .map(String::as_str)
                    .filter(|arn| crate::iam::managed::is_aws_managed_arn(arn)),
            );
        }
        attached.sort_unstable();
        attached.dedup();
        for arn in attached {
            let Some(policy) = crate::iam::managed::aws_managed_policy(arn)? else {
                continue;
            };
            let p = crate::iam::managed::compile(policy)
                .map_err(|e| Error::malformed_policy(&format!("managed policy {arn}"), &e))?;
            self.managed.insert(arn.to_owned(), Arc::new(p));
        }
        Ok(())
    }

    /// The ARN of `holder` (a user, group or role of `account_id`) and its policies compiled:
    /// its inline ones, then its attached managed ones.
    fn entity_policies<E: PolicyHolder>(
        &self,
        account_id: &str,
        holder: &E,
    ) -> Result<(String, Vec<Arc<PolicyRef>>), Error> {
        let entity = holder.arn(account_id);
        let (inline, managed) = holder.policies();
        let mut out = Vec::with_capacity(inline.len() + managed.len());
        for (name, text) in inline {
            let p = PolicyRef::parse(name, E::SOURCE, text, PolicyType::Identity).map_err(|e| {
                Error::malformed_policy(&format!("inline policy {name} of {entity}"), &e)
            })?;
            out.push(Arc::new(p));
        }
        for arn in managed {
            let p = self.managed.get(arn).ok_or_else(|| {
                Error::new(
                    ErrorCode::MalformedPolicyDocument,
                    format!("{entity}: managed policy {arn} does not exist"),
                )
            })?;
            out.push(Arc::clone(p));
        }
        Ok((entity, out))
    }

    fn boundary(&self, entity: &str, arn: Option<&str>) -> Result<Option<Arc<PolicyRef>>, Error> {
        let Some(arn) = arn else { return Ok(None) };
        let p = self.managed.get(arn).ok_or_else(|| {
            Error::new(
                ErrorCode::MalformedPolicyDocument,
                format!("{entity}: permissions boundary {arn} does not exist"),
            )
        })?;
        Ok(Some(Arc::clone(p)))
    }

    /// The role named by an ARN's account, path and name (the path must match).
    pub fn role(&self, account: AccountId, path: &str, name: &str) -> Option<&Arc<RoleEntry>> {
        self.roles.get(account, name).filter(|r| r.path == path)
    }

    /// The user with this account and name.
    pub fn user(&self, account: AccountId, name: &str) -> Option<&Arc<UserEntry>> {
        self.users.get(account, name)
    }
}

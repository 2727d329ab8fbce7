//! What the IAM write operations share: planning typed [`Change`]s against the caller's account
//! and committing them ([`change`]), AWS's texts for the common refusals, tag checks, quotas and
//! the condition keys writes bring to their authorization.
//!
//! A write runs in two steps. Its plan reads the caller's account in the newest model and
//! records changes ([`Plan::put`], [`Plan::delete`], ...); [`crate::engine::Engine::change`]
//! commits them compare-and-set, running the plan again if another process wrote first. The
//! answer is then read from the snapshot with the change, so it shows exactly what was stored.

use std::sync::Arc;

use keyturn_api::iam::Tag;
use time::OffsetDateTime;

use crate::engine::Snapshot;
use crate::engine::view::AccountView;
use crate::iam::{Account, Change, Entity, EntityKind, Group, Tags, User};
use crate::ids::{UniqueId, UniqueIdKind};
use crate::keyring::Keyring;
use crate::ops::support::{ensure, not_attachable};
use crate::ops::{Conditions, Context};
use crate::{Error, ErrorCode};

/// AWS's default quotas (IAM and AWS STS quotas, "IAM object quotas"), and the limits of IAM's
/// API that are not in the model.
pub(crate) mod quota {
    use super::Quota;

    /// Users per account.
    pub(crate) const USERS: Quota = Quota::new(5000, "users");
    /// Groups a user may be a member of.
    pub(crate) const GROUPS_PER_USER: Quota = Quota::new(10, "groups per user");
    /// Tags per IAM resource.
    pub(crate) const TAGS: usize = 50;
}

/// One of IAM's quotas: how many there may be, and the name `LimitExceeded` gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quota {
    /// The most there may be.
    pub(crate) limit: usize,
    /// The quota's name in IAM's text ("Cannot exceed quota for `RolesPerAccount`: 1000").
    pub(crate) name: &'static str,
}

impl Quota {
    /// The quota of `limit` named `name`.
    pub(crate) const fn new(limit: usize, name: &'static str) -> Self {
        Self { limit, name }
    }
}

/// A fresh random unique id of `kind` for an entity a write creates: AWS never gives a new
/// entity the id of one deleted before it, whatever its name.
pub(crate) fn new_id(kind: UniqueIdKind) -> Result<Option<String>, Error> {
    Ok(Some(UniqueId::random(kind)?.as_str().to_owned()))
}

/// The changes a write makes, planned against the caller's account in the newest model.
pub(crate) struct Plan<'s> {
    /// The model the plan reads.
    pub(crate) snapshot: &'s Snapshot,
    /// The caller's account in it.
    pub(crate) account: &'s Account,
    /// The request time.
    pub(crate) now: OffsetDateTime,
    changes: Vec<Change>,
}

impl<'s> Plan<'s> {
    /// Records the change that `change` makes of the account's id: every [`Change`] names the
    /// account it applies to, the plan's.
    pub(crate) fn account_change(&mut self, change: impl FnOnce(String) -> Change) {
        self.changes.push(change(self.account.id.clone()));
    }

    /// Creates or replaces `entity`.
    pub(crate) fn put(&mut self, entity: Entity) {
        self.account_change(|account| Change::Put { account, entity });
    }

    /// Pins the unique id of an entity about to be renamed: an entity whose model holds no id
    /// (configured, or stored before ids were kept) has the id derived from its old name, which
    /// it keeps under the new one.
    pub(crate) fn keep_id(
        &self,
        keyring: &Keyring,
        id: &mut Option<String>,
        kind: UniqueIdKind,
        old_name: &str,
    ) -> Result<(), Error> {
        let account = self.account.id.parse()?;
        let kept = keyring.entity_id(id.as_deref(), kind, account, old_name);
        *id = Some(kept.as_str().to_owned());
        Ok(())
    }

    /// Removes the entity of `kind` named `name`.
    pub(crate) fn delete(&mut self, kind: EntityKind, name: &str) {
        let name = name.to_owned();
        self.account_change(|account| Change::Delete {
            account,
            kind,
            name,
        });
    }

    /// Records that what `key` names (an ARN, a serial, a key id) was created now.
    pub(crate) fn created(&mut self, key: impl Into<String>) {
        self.set_create_date(key.into(), Some(crate::clock::iso8601(self.now)));
    }

    /// Forgets the creation date of what `key` named (it was deleted).
    pub(crate) fn forget(&mut self, key: impl Into<String>) {
        self.set_create_date(key.into(), None);
    }

    /// Records `date` (`None`: none) as the creation date of what `key` names.
    fn set_create_date(&mut self, key: String, date: Option<String>) {
        self.account_change(|account| Change::SetCreateDate { account, key, date });
    }

    /// Removes the entity of `kind` named `name` and forgets the creation date kept under `key`
    /// (its ARN).
    pub(crate) fn remove(&mut self, key: String, kind: EntityKind, name: &str) {
        self.forget(key);
        self.delete(kind, name);
    }

    // Users, groups, keys and aliases (issue 12).

    /// Moves the creation date recorded under `from` to `to` (an entity renamed or moved to
    /// another path: its ARN changes, its creation date does not).
    pub(crate) fn move_date(&mut self, from: &str, to: &str) {
        if from == to {
            return;
        }
        let date = self.account.create_dates.get(from).cloned();
        self.forget(from);
        self.set_create_date(to.to_owned(), date);
    }
}

/// Plans a write with `plan` against the caller's account and commits it; returns what `plan`
/// returned and the snapshot with the change, from which the operation writes its answer.
///
/// # Errors
/// What `plan` returns; as [`crate::engine::Engine::change`].
pub(crate) fn change<R>(
    cx: &Context<'_>,
    mut plan: impl FnMut(&mut Plan<'_>) -> Result<R, Error>,
) -> Result<(R, Arc<Snapshot>), Error> {
    let caller = cx.caller()?;
    let now = cx.engine.clock().now();
    cx.engine.change(|snapshot| {
        let account = snapshot.data.account(&caller.account).ok_or_else(|| {
            Error::new(
                ErrorCode::ServiceFailure,
                format!("account {} is not in the model", caller.account),
            )
        })?;
        let mut p = Plan {
            snapshot,
            account,
            now,
            changes: Vec::new(),
        };
        let result = plan(&mut p)?;
        Ok((p.changes, result))
    })
}

/// Plans a change to one entity of the caller's account, which `found` finds in the plan:
/// `edit` changes a copy, stored (as the entity `entity` makes of it) when it differs. Returns
/// what `edit` returned and the snapshot with the change.
///
/// # Errors
/// What `found` or `edit` returns; as [`change`].
pub(crate) fn edit_copy<T: Clone + PartialEq, R>(
    cx: &Context<'_>,
    found: impl for<'p> Fn(&Plan<'p>) -> Result<&'p T, Error>,
    entity: fn(T) -> Entity,
    mut edit: impl FnMut(&Plan<'_>, &mut T) -> Result<R, Error>,
) -> Result<(R, Arc<Snapshot>), Error> {
    change(cx, |p| {
        let old = found(p)?;
        let mut copy = old.clone();
        let out = edit(p, &mut copy)?;
        if copy != *old {
            p.put(entity(copy));
        }
        Ok(out)
    })
}

/// The user `name` of the plan's account.
///
/// # Errors
/// `NoSuchEntity` in IAM's words, as the read operations answer it.
pub(crate) fn user_in<'p>(p: &Plan<'p>, name: &str) -> Result<&'p User, Error> {
    let found = p.account.user(name);
    found.ok_or_else(|| super::admin::no_such(super::shared::Kind::User, name))
}

/// The group `name` of the plan's account.
///
/// # Errors
/// `NoSuchEntity` in IAM's words, as the read operations answer it.
pub(crate) fn group_in<'p>(p: &Plan<'p>, name: &str) -> Result<&'p Group, Error> {
    let found = p.account.group(name);
    found.ok_or_else(|| super::admin::no_such(super::shared::Kind::Group, name))
}

/// The caller's account in `snapshot`, as the read operations see it.
///
/// # Errors
/// `ServiceFailure` when the account is not in the model.
pub(crate) fn view_of<'s>(
    cx: &Context<'_>,
    snapshot: &'s Snapshot,
) -> Result<AccountView<'s>, Error> {
    let caller = cx.caller()?;
    AccountView::new(snapshot, &caller.account).ok_or_else(|| {
        Error::new(
            ErrorCode::ServiceFailure,
            format!("account {} is not in the model", caller.account),
        )
    })
}

/// The path of a new entity: the request's, `/` when it has none.
pub(crate) fn path(path: Option<&str>) -> &str {
    path.unwrap_or("/")
}

/// The ARN a create action is authorized on: the new entity's (`kind` as in ARNs: `user`,
/// `instance-profile`), under its path.
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn new_arn(
    cx: &Context<'_>,
    kind: &str,
    path: Option<&str>,
    name: &str,
) -> Result<String, Error> {
    let account = &cx.caller()?.account;
    Ok(format!(
        "arn:aws:iam::{account}:{kind}{}{name}",
        self::path(path)
    ))
}

/// What an entity still has that IAM wants removed before it deletes the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Left {
    /// A user's access keys.
    AccessKeys,
    /// A user's signing certificates.
    SigningCertificates,
    /// A user's SSH public keys.
    SshPublicKeys,
    /// A user's MFA devices.
    MfaDevices,
    /// Inline policies.
    InlinePolicies,
    /// Attached managed policies.
    AttachedPolicies,
    /// Group memberships (a user's groups, or a group's users).
    Memberships,
    /// Roles in instance profiles (a profile's role, or the profiles that hold a role).
    ProfileRoles,
}

impl Left {
    /// IAM's `DeleteConflict` text.
    fn text(self) -> &'static str {
        match self {
            Self::AccessKeys => "Cannot delete entity, must delete access keys first.",
            Self::SigningCertificates => {
                "Cannot delete entity, must delete signing certificates first."
            }
            Self::SshPublicKeys => "Cannot delete entity, must delete SSH public keys first.",
            Self::MfaDevices => "Cannot delete entity, must remove MFA device first.",
            Self::InlinePolicies => "Cannot delete entity, must delete policies first.",
            Self::AttachedPolicies => "Cannot delete entity, must detach all policies first.",
            Self::Memberships => "Cannot delete entity, must remove users from group first.",
            Self::ProfileRoles => {
                "Cannot delete entity, must remove roles from instance profile first."
            }
        }
    }
}

/// Checks that an entity may be deleted: `DeleteConflict` for the first of `left` that it still
/// has (IAM names one thing at a time, in its own order).
///
/// # Errors
/// As described.
pub(crate) fn nothing_left(left: &[(bool, Left)]) -> Result<(), Error> {
    match left.iter().find(|(has, _)| *has) {
        Some((_, what)) => Err(Error::new(ErrorCode::DeleteConflict, what.text())),
        None => Ok(()),
    }
}

/// `EntityAlreadyExists` with IAM's `text` for the entity.
pub(crate) fn exists(text: String) -> Error {
    Error::new(ErrorCode::EntityAlreadyExists, text)
}

/// `EntityAlreadyExists`: "`Kind` with name X already exists." (`kind` as IAM capitalises it:
/// `User`, `Role`, `Group`, `The Server Certificate`).
pub(crate) fn already_exists(kind: &str, name: &str) -> Error {
    exists(format!("{kind} with name {name} already exists."))
}

/// An entity of the model that IAM names uniquely in its account (ignoring case).
pub(crate) trait Named {
    /// The entity's name.
    fn name(&self) -> &str;
}

/// Implements [`Named`] for entities whose name is their `name` member.
macro_rules! named_by_member {
    ($($entity:ty),*) => {$(
        impl Named for $entity {
            fn name(&self) -> &str {
                &self.name
            }
        }
    )*};
}

named_by_member!(
    crate::iam::User,
    crate::iam::Role,
    crate::iam::Group,
    crate::iam::InstanceProfile,
    crate::iam::ManagedPolicy,
    crate::iam::SamlProvider
);

/// Whether `names` has `name`, ignoring case (IAM names are unique that way).
pub(crate) fn taken<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> bool {
    names.any(|n| n.eq_ignore_ascii_case(name))
}

/// `LimitExceeded` when one more than `count` would pass `quota`: "Cannot exceed quota for X:
/// N".
///
/// # Errors
/// As described.
pub(crate) fn within(count: usize, quota: Quota) -> Result<(), Error> {
    ensure(count < quota.limit, ErrorCode::LimitExceeded, || {
        format!("Cannot exceed quota for {}: {}", quota.name, quota.limit)
    })
}

/// Checks that one more item may join `count` others under `quota`: `duplicate()` when it
/// `exists` already, else as [`within`].
///
/// # Errors
/// As described.
pub(crate) fn admit(
    exists: bool,
    duplicate: impl FnOnce() -> Error,
    count: usize,
    quota: Quota,
) -> Result<(), Error> {
    if exists {
        return Err(duplicate());
    }
    within(count, quota)
}

/// Checks that a new entity named `name` may join `existing`, the account's entities of its
/// kind: `duplicate()` when one has the name ([`taken`]), else as [`within`].
///
/// # Errors
/// As described.
pub(crate) fn admit_named<E: Named>(
    existing: &[E],
    name: &str,
    quota: Quota,
    duplicate: impl FnOnce() -> Error,
) -> Result<(), Error> {
    let names = existing.iter().map(Named::name);
    admit(taken(names, name), duplicate, existing.len(), quota)
}

/// [`admit_named`] with IAM's usual refusal of a taken name ([`already_exists`]; `kind` as
/// there).
///
/// # Errors
/// As described.
pub(crate) fn admit_name<E: Named>(
    existing: &[E],
    kind: &str,
    name: &str,
    quota: Quota,
) -> Result<(), Error> {
    admit_named(existing, name, quota, || already_exists(kind, name))
}

/// Plans and commits a create action, then answers it. `plan` checks the request against the
/// caller's account and returns the new entity with the key its creation date is kept under
/// (its ARN); the entity is stored, created at the request time, and `answer` writes the
/// action's result from the account as stored with it, given that key.
///
/// # Errors
/// What `plan` or `answer` returns; as [`change`] and [`view_of`].
pub(crate) fn create<T>(
    cx: &Context<'_>,
    mut plan: impl FnMut(&Plan<'_>) -> Result<(String, Entity), Error>,
    answer: impl FnOnce(&AccountView<'_>, String) -> Result<T, Error>,
) -> Result<T, Error> {
    let (key, snapshot) = change(cx, |p| {
        let (key, entity) = plan(p)?;
        p.created(key.clone());
        p.put(entity);
        Ok(key)
    })?;
    answer(&view_of(cx, &snapshot)?, key)
}

/// The request's tags as the model keeps them, checked as IAM checks them: at most 50, keys
/// unique ignoring case.
///
/// # Errors
/// `InvalidInput` for a repeated key; `LimitExceeded` for more than 50 tags.
pub(crate) fn tags(list: Option<&[Tag]>, existing: &Tags) -> Result<Tags, Error> {
    let mut out = existing.clone();
    let mut seen: Vec<String> = Vec::new();
    for t in list.unwrap_or_default() {
        let lower = t.key.to_lowercase();
        if seen.contains(&lower) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            ));
        }
        seen.push(lower);
        // A key that differs only in case replaces the stored one.
        out.retain(|k, _| !k.eq_ignore_ascii_case(&t.key));
        out.insert(t.key.clone(), t.value.clone());
    }
    if out.len() > quota::TAGS {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "The number of tags has reached the maximum limit of {}.",
                quota::TAGS
            ),
        ));
    }
    Ok(out)
}

/// `aws:RequestTag/K` for each tag and `aws:TagKeys` with all keys.
pub(crate) fn tag_conditions(list: Option<&[Tag]>) -> Conditions {
    let list = list.unwrap_or_default();
    if list.is_empty() {
        return Vec::new();
    }
    let mut c: Conditions = list
        .iter()
        .map(|t| (format!("aws:RequestTag/{}", t.key), vec![t.value.clone()]))
        .collect();
    c.push((
        "aws:TagKeys".to_owned(),
        list.iter().map(|t| t.key.clone()).collect(),
    ));
    c
}

/// [`tag_conditions`] of a request's `Tags` member: an operation's condition keys.
pub(crate) fn requested_tags(tags: &Option<Vec<Tag>>) -> Conditions {
    tag_conditions(tags.as_deref())
}

/// The condition keys of a request that creates a user or role: `iam:PermissionsBoundary`
/// ([`boundary_condition`]) and its tags' ([`tag_conditions`]).
pub(crate) fn creation_conditions(
    boundary: &Option<String>,
    tags: &Option<Vec<Tag>>,
) -> Conditions {
    let mut c = boundary_condition(boundary.as_deref());
    c.extend(requested_tags(tags));
    c
}

/// `iam:PermissionsBoundary` with the boundary a request sets: an operation's condition keys.
pub(crate) fn new_boundary(arn: &str) -> Conditions {
    boundary_condition(Some(arn))
}

/// `iam:PermissionsBoundary` with the boundary's ARN, when there is one.
pub(crate) fn boundary_condition(arn: Option<&str>) -> Conditions {
    arn.map(|a| vec![("iam:PermissionsBoundary".to_owned(), vec![a.to_owned()])])
        .unwrap_or_default()
}

/// Checks that `arn` names a managed policy that can be attached (a customer managed policy of
/// the caller's account, or an AWS managed policy).
///
/// # Errors
/// `InvalidInput` ("ARN X is not valid.") for an ARN that is not a policy's; `NoSuchEntity`
/// ("Policy X does not exist or is not attachable.") for one that is not known.
pub(crate) fn attachable(p: &Plan<'_>, arn: &str) -> Result<(), Error> {
    super::shared::check_arn(arn, "policy/")?;
    let known = p
        .account
        .managed_policies
        .iter()
        .any(|m| m.arn(&p.account.id) == arn)
        || crate::iam::managed::aws_managed_policy(arn)?.is_some();
    if known {
        Ok(())
    } else {
        Err(not_attachable(ErrorCode::NoSuchEntity, arn))
    }
}

/// [`boundary_attachable`] for a request whose boundary is optional (none is no error).
///
/// # Errors
/// As [`boundary_attachable`].
pub(crate) fn any_boundary_attachable(p: &Plan<'_>, arn: Option<&str>) -> Result<(), Error> {
    arn.map_or(Ok(()), |a| boundary_attachable(p, a))
}

/// Checks that `arn` can be a permissions boundary (of a user or a role): a managed policy that
/// can be attached ([`attachable`]), with AWS's texts for a boundary that cannot.
///
/// # Errors
/// `InvalidInput` ("Value (X) for parameter PermissionsBoundary is invalid.") for an ARN that
/// is not a policy's; `NoSuchEntity` ("Scope ARN: X does not exist or is not attachable.", as
/// real AWS answers CreateUser with such a boundary, quoted in hashicorp/boundary pull request
/// #4255) for one that is not known.
pub(crate) fn boundary_attachable(p: &Plan<'_>, arn: &str) -> Result<(), Error> {
    attachable(p, arn).map_err(|e| match e.error_code() {
        ErrorCode::NoSuchEntity => Error::new(
            ErrorCode::NoSuchEntity,
            format!("Scope ARN: {arn} does not exist or is not attachable."),
        ),
        ErrorCode::InvalidInput => Error::new(
            ErrorCode::InvalidInput,
            format!("Value ({arn}) for parameter PermissionsBoundary is invalid."),
        ),
        _ => e,
    })
}

//! What the writes of users, groups, access keys and inline policies share (issue 12): the
//! quotas of this area, the access keys of a user or of the root user, inline policy checks,
//! renames and AWS's texts.
//!
//! AWS's texts used here:
//! - "Cannot exceed quota for AccessKeysPerUser: 2", "Cannot exceed quota for
//!   GroupsPerAccount: 300" (`LimitExceeded`, IAM's "Cannot exceed quota for X: N" form).
//! - "The Access Key with id X cannot be found." (`NoSuchEntity`: UpdateAccessKey and
//!   DeleteAccessKey of an unknown key, as the AWS CLI prints it).
//! - "Maximum policy size of 2048 bytes exceeded for user X" (and 5120 for a group):
//!   `LimitExceeded` of PutUserPolicy and PutGroupPolicy.

use keyturn_policy::PolicyType;

use super::shared::Kind;
use super::write::{Plan, Quota};
use crate::iam::{AccessKey, Entity, InlinePolicies, Root, User};
use crate::ops::Context;
use crate::{Error, ErrorCode};

/// Access keys a user (or the root user) may have.
pub(crate) const ACCESS_KEYS_PER_USER: Quota = Quota::new(2, "AccessKeysPerUser");

/// Groups an account may have.
pub(crate) const GROUPS_PER_ACCOUNT: Quota = Quota::new(300, "GroupsPerAccount");

pub(crate) use crate::engine::view::status_text;

/// A status parameter (UpdateAccessKey, UpdateSigningCertificate, UpdateSSHPublicKey):
/// `Active` or `Inactive`.
///
/// # Errors
/// `ValidationError` for anything else (the model's enum also has `Expired`, which only AWS
/// sets).
pub(crate) fn parse_status(text: &str) -> Result<crate::iam::AccessKeyStatus, Error> {
    use crate::iam::AccessKeyStatus;
    match text {
        "Active" => Ok(AccessKeyStatus::Active),
        "Inactive" => Ok(AccessKeyStatus::Inactive),
        other => Err(Error::new(
            ErrorCode::ValidationError,
            format!(
                "1 validation error detected: Value '{other}' at 'status' failed to satisfy \
                 constraint: Member must satisfy enum value set: [Active, Inactive]"
            ),
        )),
    }
}

/// `NoSuchEntity`: "The Access Key with id X cannot be found."
pub(crate) fn no_such_key(id: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("The Access Key with id {id} cannot be found."),
    )
}

/// A credential that a user, or the account's root user, holds a list of: access keys and
/// signing certificates.
pub(crate) trait Held: Clone {
    /// The user's list.
    fn of_user(user: &mut User) -> &mut Vec<Self>;
    /// The root user's list.
    fn of_root(root: &Root) -> &Vec<Self>;
    /// Plans the root user's list as it is now.
    fn set_root(p: &mut Plan<'_>, list: Vec<Self>);
    /// The credential's id.
    fn id(&self) -> &str;
    /// Its status, to read or change.
    fn status(&mut self) -> &mut crate::iam::AccessKeyStatus;
    /// `NoSuchEntity` for an id the holder does not have, in IAM's words.
    fn no_such(id: &str) -> Error;
}

/// Implements [`Held`]: `Credential: member of users and root, the Change that sets root's
/// { its member }, NoSuchEntity`.
macro_rules! held {
    ($($cred:ty: $member:ident, $set_root:ident { $field:ident }, $no_such:path;)*) => {$(
        impl Held for $cred {
            fn of_user(user: &mut User) -> &mut Vec<Self> {
                &mut user.$member
            }
            fn of_root(root: &Root) -> &Vec<Self> {
                &root.$member
            }
            fn set_root(p: &mut Plan<'_>, list: Vec<Self>) {
                p.account_change(|account| crate::iam::Change::$set_root { account, $field: list });
            }
            fn id(&self) -> &str {
                &self.id
            }
            fn status(&mut self) -> &mut crate::iam::AccessKeyStatus {
                &mut self.status
            }
            fn no_such(id: &str) -> Error {
                $no_such(id)
            }
        }
    )*};
}

held! {
    AccessKey: access_keys, SetRootKeys { keys }, no_such_key;
    crate::iam::SigningCertificate:
        signing_certificates, SetRootSigningCertificates { certificates },
        super::certificates::no_such_certificate;
}

/// The credentials of kind `T` of one user, or of the account's root user, being changed by a
/// plan.
pub(crate) struct Holding<T: Held> {
    /// The user (`None`: the root user).
    user: Option<User>,
    /// The credentials, to be changed and then [saved](Holding::save).
    pub(crate) items: Vec<T>,
}

/// The access keys of one user or of the root user.
pub(crate) type Keys = Holding<AccessKey>;

impl<T: Held> Holding<T> {
    /// The credentials of `user` (`None`: the root user's) in the plan's account.
    ///
    /// # Errors
    /// `NoSuchEntity` ("The user with name X cannot be found.") for an unknown user.
    pub(crate) fn of(p: &Plan<'_>, user: Option<&str>) -> Result<Self, Error> {
        match user {
            Some(name) => {
                let mut u = super::write::user_in(p, name)?.clone();
                Ok(Self {
                    items: T::of_user(&mut u).clone(),
                    user: Some(u),
                })
            }
            None => Ok(Self {
                user: None,
                items: T::of_root(&p.account.root).clone(),
            }),
        }
    }

    /// The owner's name (`None` for the root user).
    pub(crate) fn owner(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.name.as_str())
    }

    /// The position of credential `id` among the owner's.
    ///
    /// # Errors
    /// `NoSuchEntity` ([`Held::no_such`]) when the owner has none with that id.
    pub(crate) fn find(&self, id: &str) -> Result<usize, Error> {
        self.items
            .iter()
            .position(|k| k.id() == id)
            .ok_or_else(|| T::no_such(id))
    }

    /// Records the owner's credentials as they are now.
    pub(crate) fn save(self, p: &mut Plan<'_>) {
        match self.user {
            Some(mut u) => {
                *T::of_user(&mut u) = self.items;
                p.put(Entity::User(u));
            }
            None => T::set_root(p, self.items),
        }
    }
}

/// Sets the status of credential `id` of `user` (`None`: the root user): what UpdateAccessKey
/// and UpdateSigningCertificate do. Nothing is written when it already has that status.
///
/// # Errors
/// As [`Holding::of`] and [`Holding::find`]; as [`super::write::change`].
pub(crate) fn set_status<T: Held>(
    cx: &Context<'_>,
    user: Option<&str>,
    id: &str,
    wanted: crate::iam::AccessKeyStatus,
) -> Result<(), Error> {
    super::write::change(cx, |p| {
        let mut held = Holding::<T>::of(p, user)?;
        let i = held.find(id)?;
        let changed = held.items.get_mut(i).is_some_and(|item| {
            let status = item.status();
            let changed = *status != wanted;
            *status = wanted;
            changed
        });
        if changed {
            held.save(p);
        }
        Ok(())
    })
    .map(drop)
}

/// Removes credential `id` of `user` (`None`: the root user), calling `removed` on the plan
/// before the list is saved: what DeleteAccessKey (which forgets the key's secret there) and
/// DeleteSigningCertificate do.
///
/// # Errors
/// As [`Holding::of`] and [`Holding::find`]; as [`super::write::change`].
pub(crate) fn remove<T: Held>(
    cx: &Context<'_>,
    user: Option<&str>,
    id: &str,
    mut removed: impl FnMut(&mut Plan<'_>),
) -> Result<(), Error> {
    super::write::change(cx, |p| {
        let mut held = Holding::<T>::of(p, user)?;
        let i = held.find(id)?;
        held.items.remove(i);
        removed(p);
        held.save(p);
        Ok(())
    })
    .map(drop)
}

/// Which entity an inline policy belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Holder {
    /// A user: 2,048 characters of inline policies.
    User,
    /// A group: 5,120 characters of inline policies.
    Group,
}

impl Holder {
    fn word(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
        }
    }

    fn limit(self) -> usize {
        match self {
            Self::User => keyturn_policy::limits::INLINE_USER,
            Self::Group => keyturn_policy::limits::INLINE_GROUP,
        }
    }
}

fn size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The inline policies of `holder` `name` with `policy` set to `document` (added or replaced),
/// checked as IAM checks them: the document is an identity policy the policy compiler accepts,
/// and all the holder's inline policies together stay within IAM's size quota (whitespace not
/// counted).
///
/// # Errors
/// `MalformedPolicyDocument` with the compiler's AWS text ("Syntax errors in policy.", ...);
/// `LimitExceeded` ("Maximum policy size of N bytes exceeded for user X").
pub(crate) fn put_inline(
    holder: Holder,
    name: &str,
    existing: &InlinePolicies,
    policy: &str,
    document: &str,
) -> Result<InlinePolicies, Error> {
    super::admin::valid(document, PolicyType::Identity)?;
    let mut next = existing.clone();
    next.insert(policy.to_owned(), document.to_owned());
    let total: usize = next.values().map(|d| size(d)).sum();
    if total > holder.limit() {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "Maximum policy size of {} bytes exceeded for {} {name}",
                holder.limit(),
                holder.word()
            ),
        ));
    }
    Ok(next)
}

/// Checks a rename: `new` must not name another entity among `names` (IAM names are unique
/// ignoring case; renaming to a different case of the same name is allowed).
///
/// # Errors
/// `EntityAlreadyExists` ("`Kind` with name X already exists.").
pub(crate) fn check_rename<'a>(
    names: impl Iterator<Item = &'a str>,
    kind: &str,
    current: &str,
    new: &str,
) -> Result<(), Error> {
    if super::write::taken(names.filter(|n| *n != current), new) {
        Err(super::write::already_exists(kind, new))
    } else {
        Ok(())
    }
}

/// A user or a group, as UpdateUser and UpdateGroup move them.
pub(crate) trait Movable {
    /// Its path, to change.
    fn path_mut(&mut self) -> &mut String;
    /// Its ARN in the account `id`.
    fn arn_in(&self, id: &str) -> String;
}

/// Implements [`Movable`] for entities with a `path` member and an `arn` method.
macro_rules! movable {
    ($($entity:ty),*) => {$(
        impl Movable for $entity {
            fn path_mut(&mut self) -> &mut String {
                &mut self.path
            }

            fn arn_in(&self, id: &str) -> String {
                self.arn(id)
            }
        }
    )*};
}

movable!(User, crate::iam::Group);

/// Moves `entity` (already renamed, if it is) to `new_path` when given. `false` when its ARN is
/// still `old_arn` (nothing to store); else `true`, once the caller is also allowed `action` on
/// the new ARN (IAM requires permission on both) and the creation date has moved with it.
///
/// # Errors
/// `AccessDenied` on the new ARN; as [`Context::caller`].
pub(crate) fn relocate(
    cx: &Context<'_>,
    p: &mut Plan<'_>,
    action: &str,
    entity: &mut impl Movable,
    old_arn: &str,
    new_path: Option<&String>,
) -> Result<bool, Error> {
    if let Some(path) = new_path {
        entity.path_mut().clone_from(path);
    }
    let new_arn = entity.arn_in(&p.account.id);
    if new_arn == old_arn {
        return Ok(false);
    }
    cx.engine.require(cx.caller()?, action, &new_arn, &[])?;
    p.move_date(old_arn, &new_arn);
    Ok(true)
}

/// Puts (`document` given) or deletes (`None`) the inline policy `policy` of user or group
/// `name`: what PutUserPolicy, DeleteUserPolicy, PutGroupPolicy and DeleteGroupPolicy do. The
/// policy decides the very next request.
///
/// # Errors
/// `NoSuchEntity` for an unknown user or group, or (deleting) an unknown policy ("The user
/// policy with name P cannot be found."); as [`put_inline`].
pub(crate) fn change_inline(
    cx: &Context<'_>,
    holder: Holder,
    name: &str,
    policy: &str,
    document: Option<&str>,
) -> Result<(), Error> {
    super::write::change(cx, |p| {
        let v = super::write::view_of(cx, p.snapshot)?;
        match holder {
            Holder::User => v.user(name).map(drop),
            Holder::Group => v.group(name).map(drop),
        }?;
        if document.is_none() {
            match holder {
                Holder::User => v.inline_policy(Kind::User, name, policy).map(drop),
                Holder::Group => v.inline_policy(Kind::Group, name, policy).map(drop),
            }?;
        }
        let apply = |existing: &mut InlinePolicies| -> Result<(), Error> {
            match document {
                Some(d) => *existing = put_inline(holder, name, existing, policy, d)?,
                None => {
                    existing.remove(policy);
                }
            }
            Ok(())
        };
        match holder {
            Holder::User => {
                if let Some(mut u) = p.account.user(name).cloned() {
                    apply(&mut u.inline_policies)?;
                    p.put(Entity::User(u));
                }
            }
            Holder::Group => {
                if let Some(mut g) = p.account.group(name).cloned() {
                    apply(&mut g.inline_policies)?;
                    p.put(Entity::Group(g));
                }
            }
        }
        Ok(())
    })
    .map(drop)
}

/// Sets (`Some`, an attachable managed policy's ARN) or removes (`None`) the permissions
/// boundary of user `name`.
///
/// # Errors
/// `NoSuchEntity` for an unknown user; as [`super::write::boundary_attachable`].
pub(crate) fn set_user_boundary(
    cx: &Context<'_>,
    name: &str,
    boundary: Option<&str>,
) -> Result<(), Error> {
    super::write::change(cx, |p| {
        super::write::view_of(cx, p.snapshot)?.user(name)?;
        if let Some(arn) = boundary {
            super::write::boundary_attachable(p, arn)?;
        }
        let Some(mut user) = p.account.user(name).cloned() else {
            return Ok(());
        };
        if user.permissions_boundary.as_deref() != boundary {
            user.permissions_boundary = boundary.map(str::to_owned);
            p.put(Entity::User(user));
        }
        Ok(())
    })
    .map(drop)
}

/// The user `user` of the plan's account, as AddUserToGroup and RemoveUserFromGroup change its
/// memberships, once group `group` and the user are known to exist.
///
/// # Errors
/// `NoSuchEntity` for an unknown group or user (the group's first, as IAM).
pub(crate) fn member(
    cx: &Context<'_>,
    p: &Plan<'_>,
    group: &str,
    user: &str,
) -> Result<Option<User>, Error> {
    let v = super::write::view_of(cx, p.snapshot)?;
    v.group(group)?;
    v.user(user)?;
    Ok(p.account.user(user).cloned())
}

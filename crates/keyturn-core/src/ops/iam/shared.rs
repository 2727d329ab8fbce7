//! What the IAM read operations share: the caller's account view, the ARNs they are authorized
//! on, the caller's own user (for calls without `UserName`) and the conversions from the view's
//! plain data to the generated shapes.
//!
//! Authorization follows the Service Authorization Reference ("Actions defined by AWS Identity
//! and Access Management"): an action with a required resource type is authorized on that
//! entity's ARN in the caller's account (with its path when the entity exists, else
//! `…:role/NAME`); an action without one (ListRoles, ListPolicies, GetAccountSummary, …) on `*`.
//! The root user is allowed everything in its own account: the engine gives root an identity
//! policy that allows `*` on `*` ([`crate::engine::Snapshot::root_identity`]), and every
//! resource here is in the caller's account.
//!
//! AWS managed policies (`arn:aws:iam::aws:policy/…`) belong to no account:
//! [`crate::engine::Engine::authorize`] evaluates reading them with the caller's identity policies
//! alone, as AWS lets any identity policy grant GetPolicy/GetPolicyVersion on them.

use keyturn_api::iam::{
    AttachedPermissionsBoundary, AttachedPolicy, Group, Role, RoleLastUsed, Tag, User,
};
use time::OffsetDateTime;

use crate::arn::Arn;
use crate::engine::Caller;
use crate::engine::view::{self, AccountView, GroupInfo, Page, RoleInfo, UserInfo};
use crate::iam::Account;
use crate::ops::Context;
use crate::ops::support::ensure;
use crate::principal::Principal;
use crate::{Error, ErrorCode};

/// AWS's text when a call that may omit `UserName` comes from neither a user nor root.
pub const NON_USER_TEXT: &str = "Must specify userName when calling with non-User credentials";

/// The caller and the view of its account.
pub(crate) fn view<'a>(cx: &Context<'a>) -> Result<AccountView<'a>, Error> {
    let caller = cx.caller()?;
    AccountView::new(&caller.snapshot, &caller.account).ok_or_else(|| {
        Error::new(
            ErrorCode::ServiceFailure,
            format!("account {} is not in the model", caller.account),
        )
    })
}

/// Which IAM entity kind an ARN names (`user`, `role`, `group`).
pub(crate) use crate::engine::view::PolicyHolder as Kind;

/// The caller's account in the model the caller was authenticated with (`None` when the model
/// lacks it).
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn account<'a>(cx: &Context<'a>) -> Result<Option<&'a Account>, Error> {
    let caller = cx.caller()?;
    Ok(caller.snapshot.data.account(&caller.account))
}

/// The ARN of the caller's account's entity `name` of `kind` (as ARNs write it: `user`,
/// `instance-profile`): `known(account)`, with its path, when the model has it, else at the root
/// path (the entity does not exist; the call will answer NoSuchEntity once authorized).
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn arn_in_account(
    cx: &Context<'_>,
    kind: &str,
    name: &str,
    known: impl FnOnce(&Account) -> Option<String>,
) -> Result<String, Error> {
    let caller = cx.caller()?;
    let found = caller
        .snapshot
        .data
        .account(&caller.account)
        .and_then(known);
    Ok(found.unwrap_or_else(|| format!("arn:aws:iam::{}:{kind}/{name}", caller.account)))
}

/// The ARN of the caller's account's user, role or group `name`, as [`arn_in_account`].
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn entity_arn(cx: &Context<'_>, kind: Kind, name: &str) -> Result<String, Error> {
    arn_in_account(cx, kind.word(), name, |a| match kind {
        Kind::User => a.user(name).map(|u| u.arn(&a.id)),
        Kind::Role => a.role(name).map(|r| r.arn(&a.id)),
        Kind::Group => a.group(name).map(|g| g.arn(&a.id)),
    })
}

/// Who a call without `UserName` is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Own {
    /// The account's root user (its long-term key or a GetSessionToken session of it).
    Root,
    /// An IAM user (its long-term key or a GetSessionToken session of it).
    User(String),
}

/// The caller's own user, for GetUser, ListAccessKeys and ListMFADevices without `UserName`.
///
/// # Errors
/// `ValidationError` ([`NON_USER_TEXT`]) for role sessions and federated users.
pub(crate) fn own(caller: &Caller) -> Result<Own, Error> {
    match &caller.principal {
        Principal::Root { .. } => Ok(Own::Root),
        Principal::User { name, .. } => Ok(Own::User(name.clone())),
        _ => Err(Error::new(ErrorCode::ValidationError, NON_USER_TEXT)),
    }
}

/// The user a per-user call is about: the named one, else the caller's own; `None` for the
/// account's root.
///
/// # Errors
/// `ValidationError` ([`NON_USER_TEXT`]) for role sessions and federated users without a name.
pub(crate) fn named_or_own_user(
    cx: &Context<'_>,
    name: Option<String>,
) -> Result<Option<String>, Error> {
    match name {
        Some(n) => Ok(Some(n)),
        None => match own(cx.caller()?)? {
            Own::Root => Ok(None),
            Own::User(n) => Ok(Some(n)),
        },
    }
}

/// The ARN of the caller's account's user `name` (as [`entity_arn`]): an operation's resource.
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn user_arn(cx: &Context<'_>, name: &str) -> Result<String, Error> {
    entity_arn(cx, Kind::User, name)
}

/// The ARN of the caller's account's role `name` (as [`entity_arn`]): an operation's resource.
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn role_arn(cx: &Context<'_>, name: &str) -> Result<String, Error> {
    entity_arn(cx, Kind::Role, name)
}

/// The ARN of the caller's account's group `name` (as [`entity_arn`]): an operation's resource.
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn group_arn(cx: &Context<'_>, name: &str) -> Result<String, Error> {
    entity_arn(cx, Kind::Group, name)
}

/// The ARN of the caller's account's server certificate `name`, as [`arn_in_account`]. An
/// operation's resource.
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn server_certificate_arn(cx: &Context<'_>, name: &str) -> Result<String, Error> {
    arn_in_account(cx, "server-certificate", name, |a| {
        super::certificates::find_in(a, name).map(|c| c.arn(&a.id))
    })
}

/// [`user_or_own_arn`] of an optional `UserName` member: an operation's resource.
///
/// # Errors
/// As [`user_or_own_arn`].
pub(crate) fn user_or_own(cx: &Context<'_>, name: &Option<String>) -> Result<String, Error> {
    user_or_own_arn(cx, name.as_deref())
}

/// The resource of a per-user call whose `UserName` may be omitted: the named user's ARN, else
/// the caller's own ARN (the user's, or the root's).
pub(crate) fn user_or_own_arn(cx: &Context<'_>, name: Option<&str>) -> Result<String, Error> {
    let caller = cx.caller()?;
    match name {
        Some(n) => entity_arn(cx, Kind::User, n),
        None => match own(caller)? {
            Own::Root => Ok(format!("arn:aws:iam::{}:root", caller.account)),
            Own::User(n) => entity_arn(cx, Kind::User, &n),
        },
    }
}

/// Checks an ARN parameter as IAM does before looking it up: an IAM ARN whose resource starts
/// with `prefix` (`policy/`, `oidc-provider/`, `saml-provider/`).
///
/// # Errors
/// `InvalidInput`: "ARN X is not valid."
pub(crate) fn check_arn(arn: &str, prefix: &str) -> Result<(), Error> {
    let ok =
        Arn::parse(arn).is_ok_and(|a| a.service() == "iam" && a.resource().starts_with(prefix));
    ensure(ok, ErrorCode::InvalidInput, || {
        format!("ARN {arn} is not valid.")
    })
}

/// Checks GetContextKeysForPrincipalPolicy's `PolicySourceArn`: an IAM user, group or role ARN.
///
/// # Errors
/// `InvalidInput`: "ARN X is not valid."
pub(crate) fn check_entity_arn(arn: &str) -> Result<(), Error> {
    let ok = ["user/", "group/", "role/"]
        .iter()
        .any(|p| check_arn(arn, p).is_ok());
    ensure(ok, ErrorCode::InvalidInput, || {
        format!("ARN {arn} is not valid.")
    })
}

pub(crate) use super::paging::paged;
use super::paging::{PageRequest, Paged};

/// The page that `request` asks for of the list `items` reads from the caller's account view,
/// as response `R`, each item shaped by `shape` ([`paged`]).
///
/// # Errors
/// As [`view`]; what `items` returns; as [`paged`].
pub(crate) fn list<T, R: Paged>(
    cx: &Context<'_>,
    request: &impl PageRequest,
    items: impl FnOnce(&AccountView<'_>) -> Result<Vec<T>, Error>,
    shape: impl FnMut(T) -> R::Item,
) -> Result<R, Error> {
    paged(items(&view(cx)?)?, request, shape)
}

/// The whole of a list that IAM does not page, as a response's member: what `items` reads from
/// the caller's account view, each item shaped by `shape`.
///
/// # Errors
/// As [`view`].
pub(crate) fn unpaged<I: IntoIterator, U, C: FromIterator<U>>(
    cx: &Context<'_>,
    items: impl FnOnce(&AccountView<'_>) -> I,
    shape: impl FnMut(I::Item) -> U,
) -> Result<Option<C>, Error> {
    Ok(Some(items(&view(cx)?).into_iter().map(shape).collect()))
}

/// The caller's account view and the user a per-user call is about ([`named_or_own_user`] of
/// its optional `UserName`).
///
/// # Errors
/// As [`view`] and [`named_or_own_user`].
pub(crate) fn view_and_user<'a>(
    cx: &Context<'a>,
    name: &Option<String>,
) -> Result<(AccountView<'a>, Option<String>), Error> {
    let v = view(cx)?;
    Ok((v, named_or_own_user(cx, name.clone())?))
}

/// Pages `items` as the request asks.
pub(crate) fn page<T>(
    items: Vec<T>,
    marker: Option<&str>,
    max: Option<i32>,
) -> Result<Page<T>, Error> {
    view::paginate(items, marker, max)
}

/// The view's tags as the shape's, `None` when there are none (IAM then omits `Tags`).
pub(crate) fn tags(list: &[view::Tag]) -> Option<Vec<Tag>> {
    (!list.is_empty()).then(|| {
        list.iter()
            .map(|t| Tag {
                key: t.key.clone(),
                value: t.value.clone(),
            })
            .collect()
    })
}

/// A permissions boundary as IAM writes it.
pub(crate) fn boundary(arn: Option<&String>) -> Option<AttachedPermissionsBoundary> {
    arn.map(|a| AttachedPermissionsBoundary {
        permissions_boundary_type: Some("PermissionsBoundaryPolicy".to_owned()),
        permissions_boundary_arn: Some(a.clone()),
    })
}

/// The boundary and tags of a user or role when `full`; else neither (the list operations leave
/// them out, as IAM's do).
fn boundary_and_tags(
    full: bool,
    arn: Option<&String>,
    list: &[view::Tag],
) -> (Option<AttachedPermissionsBoundary>, Option<Vec<Tag>>) {
    if full {
        (boundary(arn), tags(list))
    } else {
        (None, None)
    }
}

/// A user. `full`: with its boundary and tags (GetUser); the list operations leave them out,
/// as IAM's do.
pub(crate) fn user(u: UserInfo, full: bool) -> User {
    let (permissions_boundary, tags) =
        boundary_and_tags(full, u.permissions_boundary.as_ref(), &u.tags);
    User {
        permissions_boundary,
        tags,
        path: u.path,
        user_name: u.name,
        user_id: u.user_id.to_string(),
        arn: u.arn,
        create_date: u.create_date,
        password_last_used: None,
    }
}

/// A group.
pub(crate) fn group(g: GroupInfo) -> Group {
    Group {
        path: g.path,
        group_name: g.name,
        group_id: g.group_id.to_string(),
        arn: g.arn,
        create_date: g.create_date,
    }
}

/// When and where the role with unique id `role_id` was last assumed (empty when never, as
/// IAM answers for a role not used in its tracking period).
pub(crate) fn role_last_used(cx: &Context<'_>, role_id: &str) -> RoleLastUsed {
    cx.engine
        .role_last_used(role_id)
        .map(|u| RoleLastUsed {
            last_used_date: Some(u.date),
            region: Some(u.region),
        })
        .unwrap_or_default()
}

/// A role. `full`: with its boundary, tags and (empty) `RoleLastUsed` (GetRole fills it with
/// [`role_last_used`]); ListRoles leaves them out, as IAM's does.
pub(crate) fn role(r: RoleInfo, full: bool) -> Role {
    let (permissions_boundary, tags) =
        boundary_and_tags(full, r.permissions_boundary.as_ref(), &r.tags);
    Role {
        permissions_boundary,
        tags,
        role_last_used: full.then(Default::default),
        path: r.path,
        role_name: r.name,
        role_id: r.role_id.to_string(),
        arn: r.arn,
        create_date: r.create_date,
        assume_role_policy_document: Some(r.assume_role_policy_document),
        description: r.description,
        max_session_duration: Some(i32::try_from(r.max_session_duration).unwrap_or(i32::MAX)),
        max_signin_session_duration: None,
        source_role_template: None,
    }
}

/// An attached managed policy.
pub(crate) fn attached(p: view::AttachedPolicy) -> AttachedPolicy {
    AttachedPolicy {
        policy_name: Some(p.name),
        policy_arn: Some(p.arn),
    }
}

/// The root user as GetUser answers for it: the account id as its id, the root ARN, and no name
/// or path (IAM sends none; the shape's required members are left empty).
pub(crate) fn root_user(v: &AccountView<'_>) -> User {
    let arn = format!("arn:aws:iam::{}:root", v.account().id);
    let create_date: OffsetDateTime = v.create_date(&arn);
    User {
        path: String::new(),
        user_name: String::new(),
        user_id: v.account().id.clone(),
        arn,
        create_date,
        password_last_used: None,
        permissions_boundary: None,
        tags: None,
    }
}

/// A count for the wire.
pub(crate) fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

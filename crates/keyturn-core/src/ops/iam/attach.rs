//! Attaching and detaching managed policies: one implementation for users, groups and roles
//! ([`set`]), and the macro that declares the six operations over it ([`attachment`]).
//!
//! As IAM: the ARN must name a customer managed policy of the account or an AWS managed policy
//! ([`write::attachable`]); an entity has at most 10 managed policies ("Cannot exceed quota for
//! PoliciesPerRole: 10", `PoliciesPerUser`, `PoliciesPerGroup`); attaching one that is
//! attached changes nothing; detaching one that is not is `NoSuchEntity` "Policy ARN was not
//! found.". The action is authorized on the entity's ARN with `iam:PolicyARN` (and, for users
//! and roles, `iam:PermissionsBoundary` with their current boundary).

use keyturn_api::NoOutput;

use super::admin::{self, quota};
use super::shared::Kind;
use super::write;
use crate::iam::{Account, Entity};
use crate::ops::{Conditions, Context};
use crate::{Error, ErrorCode};

/// The managed policies of an entity, and the name of its quota.
fn policies(entity: &mut Entity) -> Option<(&mut Vec<String>, &'static str)> {
    match entity {
        Entity::User(u) => Some((&mut u.managed_policies, "PoliciesPerUser")),
        Entity::Group(g) => Some((&mut g.managed_policies, "PoliciesPerGroup")),
        Entity::Role(r) => Some((&mut r.managed_policies, "PoliciesPerRole")),
        _ => None,
    }
}

/// The user, group or role `name` of `account`, whole.
fn entity(account: Option<&Account>, kind: Kind, name: &str) -> Result<Entity, Error> {
    let found = account.and_then(|a| match kind {
        Kind::User => a.user(name).cloned().map(Entity::User),
        Kind::Group => a.group(name).cloned().map(Entity::Group),
        Kind::Role => a.role(name).cloned().map(Entity::Role),
    });
    found.ok_or_else(|| admin::no_such(kind, name))
}

/// `iam:PolicyARN` with `arn`, and `iam:PermissionsBoundary` with the entity's boundary.
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn conditions(
    cx: &Context<'_>,
    kind: Kind,
    name: &str,
    arn: &str,
) -> Result<Conditions, Error> {
    let mut c = vec![("iam:PolicyARN".to_owned(), vec![arn.to_owned()])];
    c.extend(super::admin::boundary_condition_of(cx, kind, name)?);
    Ok(c)
}

/// Attaches (`attach`) or detaches the managed policy `arn` to or from the entity.
///
/// # Errors
/// `NoSuchEntity` for an unknown entity or policy, or (detaching) a policy that is not
/// attached; `InvalidInput` for an ARN that is not a policy's; `LimitExceeded` past the quota.
pub(crate) fn set(
    cx: &Context<'_>,
    kind: Kind,
    name: &str,
    arn: &str,
    attach: bool,
) -> Result<NoOutput, Error> {
    write::change(cx, |p| {
        let mut e = entity(Some(p.account), kind, name)?;
        if attach {
            write::attachable(p, arn)?;
        } else {
            super::shared::check_arn(arn, "policy/")?;
        }
        let Some((list, quota_name)) = policies(&mut e) else {
            return Ok(());
        };
        let present = list.iter().any(|x| x == arn);
        match (attach, present) {
            (true, true) => return Ok(()),
            (true, false) => {
                write::within(list.len(), write::Quota::new(quota::ATTACHED, quota_name))?;
                list.push(arn.to_owned());
            }
            (false, true) => list.retain(|x| x != arn),
            (false, false) => {
                return Err(Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("Policy {arn} was not found."),
                ));
            }
        }
        p.put(e);
        Ok(())
    })?;
    Ok(NoOutput)
}

/// Declares one of the six attach/detach operations over [`set`]:
/// `attachment!(doc, Type, Request, Kind, name_field, attach)`.
macro_rules! attachment {
    ($doc:literal, $op:ident, $input:ty, $kind:ident, $field:ident, $attach:literal) => {
        $crate::ops::operation! {
            #[doc = $doc]
            $op($input) -> keyturn_api::NoOutput;

            fn resource(cx, input) {
                super::shared::entity_arn(cx, super::shared::Kind::$kind, &input.$field)
            }

            fn conditions(cx, input) {
                let (kind, name) = (super::shared::Kind::$kind, &input.$field);
                super::attach::conditions(cx, kind, name, &input.policy_arn)
            }

            fn run(cx, input) {
                let (kind, name) = (super::shared::Kind::$kind, &input.$field);
                super::attach::set(cx, kind, name, &input.policy_arn, $attach)
            }
        }
    };
}

pub(crate) use attachment;

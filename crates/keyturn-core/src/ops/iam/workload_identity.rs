//! What the IAM workload identity operations share: finding a provider or template by ARN as
//! the caller may see or change it, committing a change to the account that keeps it, the
//! answers' shapes, the tag rules of these entities, and the checks of paths, patterns and
//! policies.
//!
//! Visibility: an account sees its own providers and templates, and the ORGANIZATION-scoped ones
//! of its organization. Changes: the keeping account's, or for an ORGANIZATION-scoped entity
//! the organization's management account or its delegated administrator (IAM's rule for the
//! organization-scoped operations). Anything else reads as `NoSuchEntity`.

use keyturn_api::iam::{
    Tag, WorkloadIdentityJwtOutboundSignerDetail, WorkloadIdentityJwtSignerConfiguration,
    WorkloadIdentityOutboundSigners, WorkloadIdentityPrivateCa,
    WorkloadIdentityX509OutboundSignerDetail,
};
use serde_json::Value;
use time::OffsetDateTime;

use crate::engine::Snapshot;
use crate::engine::view::tag_list;
use crate::evaluator::{PolicyRef, PolicySource};
use crate::iam::workload::{
    JWT_SIGNERS, REPORTED_SIGNERS, SignerStatus, WorkloadEntity, WorkloadScope, X509Signer,
};
use crate::iam::{
    Account, Change, Entity, IamData, Tags, WorkloadIdentityProvider, WorkloadIdentityTemplate,
};
use crate::ids::{UniqueId, UniqueIdKind};
use crate::ops::prelude::*;

/// The most tags a workload identity provider or template carries.
pub const TAGS_QUOTA: usize = 50;

/// Workload identity providers per collection (an account's, or an organization's).
pub const PROVIDERS_QUOTA: usize = 100;

/// Workload identity templates per collection.
pub const TEMPLATES_QUOTA: usize = 1000;

/// The longest resource or attestation policy IAM keeps (characters, whitespace included);
/// longer: `LimitExceeded`.
pub const POLICY_QUOTA: usize = 10_240;

pub(crate) fn invalid(text: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidInput, text)
}

fn no_such(text: impl Into<String>) -> Error {
    Error::new(ErrorCode::NoSuchEntity, text)
}

/// `arn:aws:iam::OWNER:KIND/NAME` with OWNER an account id or an organization id.
fn arn_of_kind(arn: &str, kind: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
        return false;
    };
    let Some((owner, resource)) = rest.split_once(':') else {
        return false;
    };
    let owner_ok = (owner.len() == 12 && owner.bytes().all(|b| b.is_ascii_digit()))
        || owner.strip_prefix("o-").is_some_and(|o| {
            (10..=32).contains(&o.len())
                && o.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    owner_ok
        && resource
            .strip_prefix(kind)
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|name| {
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            })
}

/// `arn` as the resource an action on a `T` is authorized on.
///
/// # Errors
/// `InvalidInput` for an ARN that is not one of a `T`.
fn resource_of<T: WorkloadEntity>(arn: &str) -> Result<String, Error> {
    if arn_of_kind(arn, T::KIND) {
        Ok(arn.to_owned())
    } else {
        Err(invalid(format!("{arn} is not a valid {} ARN.", T::WHAT)))
    }
}

/// The provider ARN `arn` as the resource its actions are authorized on.
///
/// # Errors
/// `InvalidInput` for an ARN that is not a workload identity provider's.
pub(crate) fn provider_resource(arn: &str) -> Result<String, Error> {
    resource_of::<WorkloadIdentityProvider>(arn)
}

/// [`provider_resource`] as an operation's `on` function.
///
/// # Errors
/// As [`provider_resource`].
pub(crate) fn provider_on(_cx: &Context<'_>, arn: &str) -> Result<String, Error> {
    provider_resource(arn)
}

/// The template ARN `arn` as an operation's `on` function.
///
/// # Errors
/// `InvalidInput` for an ARN that is not a workload identity template's.
pub(crate) fn template_on(_cx: &Context<'_>, arn: &str) -> Result<String, Error> {
    resource_of::<WorkloadIdentityTemplate>(arn)
}

fn missing<T: WorkloadEntity>(arn: &str) -> Error {
    no_such(format!("The {} {arn} does not exist.", T::WHAT))
}

/// Whether `account` administers the organization-scoped entities of `data`'s organization:
/// its management account or its delegated administrator.
pub(crate) fn administers(data: &IamData, account: &str) -> bool {
    data.organization.as_deref().is_some_and(|o| {
        o.management_account == account || o.delegated_administrator.as_deref() == Some(account)
    })
}

/// The `T` with ARN `arn` as `caller` sees it, and the account that keeps it.
///
/// # Errors
/// `InvalidInput` for a malformed ARN; `NoSuchEntity` for one the caller cannot see.
pub(crate) fn visible<'d, T: WorkloadEntity>(
    data: &'d IamData,
    caller: &str,
    arn: &str,
) -> Result<(&'d Account, &'d T), Error> {
    resource_of::<T>(arn)?;
    data.workload_entity::<T>(arn)
        .filter(|(a, e)| data.workload_visible(caller, &a.id, e.scope()))
        .ok_or_else(|| missing::<T>(arn))
}

/// The `T` with ARN `arn` as `caller` may change it: kept by the caller's account, or
/// ORGANIZATION-scoped in an organization the caller administers.
///
/// # Errors
/// As [`visible`]; `NoSuchEntity` when the caller may not change it.
pub(crate) fn owned<'d, T: WorkloadEntity>(
    data: &'d IamData,
    caller: &str,
    arn: &str,
) -> Result<(&'d Account, &'d T), Error> {
    let (account, found) = visible::<T>(data, caller, arn)?;
    let may = match found.scope() {
        WorkloadScope::Account => account.id == caller,
        WorkloadScope::Organization => administers(data, caller),
    };
    if may {
        Ok((account, found))
    } else {
        Err(missing::<T>(arn))
    }
}

/// The `T`s of `data` that `keep` keeps, with the accounts that keep them, by name (as the
/// list operations answer them).
pub(crate) fn listed<T: WorkloadEntity>(
    data: &IamData,
    mut keep: impl FnMut(&Account, &T) -> bool,
) -> Vec<(&Account, &T)> {
    let mut out: Vec<(&Account, &T)> = data
        .accounts
        .iter()
        .flat_map(|a| T::in_account(a).iter().map(move |e| (a, e)))
        .filter(|(a, e)| keep(a, e))
        .collect();
    out.sort_by(|(_, x), (_, y)| x.name().cmp(y.name()));
    out
}

/// The `T` with ARN `arn` as the caller sees it in its snapshot ([`visible`]).
///
/// # Errors
/// No caller; as [`visible`].
pub(crate) fn seen<'a, T: WorkloadEntity>(
    cx: &Context<'a>,
    arn: &str,
) -> Result<(&'a Account, &'a T), Error> {
    let caller = cx.caller()?;
    visible(&caller.snapshot.data, &caller.account, arn)
}

/// What the operations change of a provider or template beyond [`WorkloadEntity`]: the entity
/// it is stored as, its tags, and its one policy (a provider's resource policy, a template's
/// attestation policy) with the checks a new one passes.
pub(crate) trait Editable: WorkloadEntity + Clone + PartialEq {
    /// What IAM's messages call its policy (`resource policy`).
    const POLICY: &'static str;
    /// The kinds of its unique ids: account-scoped, organization-scoped.
    const ID_KINDS: [UniqueIdKind; 2];
    /// The entity a change stores.
    fn entity(self) -> Entity;
    /// Its tags.
    fn tags(&self) -> &Tags;
    /// Its tags, to change.
    fn tags_mut(&mut self) -> &mut Tags;
    /// Its policy (JSON text, as given).
    fn policy(&self) -> Option<&String>;
    /// Its policy, to change.
    fn policy_mut(&mut self) -> &mut Option<String>;
    /// Checks a new policy before the entity is looked up.
    ///
    /// # Errors
    /// As [`check_policy`].
    fn check_text(text: &str) -> Result<(), Error>;
    /// Checks a new policy against the entity.
    ///
    /// # Errors
    /// As [`check_attestation_policy`].
    fn check_for(&self, text: &str) -> Result<(), Error>;
}

/// Implements [`Editable`] for the entity `$t` (also its [`Entity`] variant) whose unique ids
/// are of the kinds `$ids`, and whose policy is the field `$policy`, called `$what`, with the
/// two checks of a new one.
macro_rules! editable {
    ($t:ident, $ids:expr, $policy:ident, $what:literal, $check_text:expr, $check_for:expr) => {
        impl Editable for $t {
            const POLICY: &'static str = $what;
            const ID_KINDS: [UniqueIdKind; 2] = $ids;
            fn entity(self) -> Entity {
                Entity::$t(Box::new(self))
            }
            fn tags(&self) -> &Tags {
                &self.tags
            }
            fn tags_mut(&mut self) -> &mut Tags {
                &mut self.tags
            }
            fn policy(&self) -> Option<&String> {
                self.$policy.as_ref()
            }
            fn policy_mut(&mut self) -> &mut Option<String> {
                &mut self.$policy
            }
            fn check_text(text: &str) -> Result<(), Error> {
                ($check_text)(text)
            }
            fn check_for(&self, text: &str) -> Result<(), Error> {
                ($check_for)(self, text)
            }
        }
    };
}

editable!(
    WorkloadIdentityProvider,
    [
        UniqueIdKind::WorkloadProvider,
        UniqueIdKind::OrgWorkloadProvider
    ],
    resource_policy,
    "resource policy",
    |text| check_policy(text).map(drop),
    |_: &WorkloadIdentityProvider, _| Ok(())
);
editable!(
    WorkloadIdentityTemplate,
    [
        UniqueIdKind::WorkloadTemplate,
        UniqueIdKind::OrgWorkloadTemplate
    ],
    attestation_policy,
    "attestation policy",
    |_| Ok(()),
    |t: &WorkloadIdentityTemplate, text| check_attestation_policy(text, &t.path_pattern)
);

/// Plans a change against the newest model with `plan` (which returns the changes and an
/// answer) and commits it; returns the answer and the snapshot with the change.
///
/// # Errors
/// What `plan` returns; as [`crate::engine::Engine::change`].
pub(crate) fn commit<R>(
    cx: &Context<'_>,
    mut plan: impl FnMut(&Snapshot, &str, OffsetDateTime) -> Result<(Vec<Change>, R), Error>,
) -> Result<(R, std::sync::Arc<Snapshot>), Error> {
    let caller = cx.caller()?.account.clone();
    let now = crate::ops::support::whole_seconds(cx.engine.clock().now());
    cx.engine.change(|snapshot| plan(snapshot, &caller, now))
}

/// Changes the `T` with ARN `arn` with `edit` (on a copy, stored when it differs) and commits.
///
/// # Errors
/// `NoSuchEntity` when the caller may not change it (or cannot see it); what `edit` returns.
pub(crate) fn edit<T: Editable, R>(
    cx: &Context<'_>,
    arn: &str,
    mut edit: impl FnMut(&mut T, OffsetDateTime) -> Result<R, Error>,
) -> Result<R, Error> {
    commit(cx, |s, caller, now| {
        let (account, found) = owned::<T>(&s.data, caller, arn)?;
        let mut copy = found.clone();
        let out = edit(&mut copy, now)?;
        let changes = if copy == *found {
            Vec::new()
        } else {
            vec![Change::Put {
                account: account.id.clone(),
                entity: copy.entity(),
            }]
        };
        Ok((changes, out))
    })
    .map(|(out, _)| out)
}

/// Changes the provider `arn` with `edit` ([`edit`] of a provider).
///
/// # Errors
/// As [`edit`].
pub(crate) fn edit_provider<R>(
    cx: &Context<'_>,
    arn: &str,
    edit_copy: impl FnMut(&mut WorkloadIdentityProvider, OffsetDateTime) -> Result<R, Error>,
) -> Result<R, Error> {
    edit(cx, arn, edit_copy)
}

/// The ARN a new `T` named `name` of scope `scope_text` will have: the caller's account's, or
/// its organization's.
///
/// # Errors
/// No caller; a stray scope.
pub(crate) fn new_arn<T: WorkloadEntity>(
    cx: &Context<'_>,
    scope_text: Option<&str>,
    name: &str,
) -> Result<String, Error> {
    let caller = cx.caller()?;
    let owner = match scope(scope_text)? {
        WorkloadScope::Account => caller.account.as_str(),
        WorkloadScope::Organization => caller
            .snapshot
            .data
            .organization
            .as_deref()
            .map_or(caller.account.as_str(), |o| o.id.as_str()),
    };
    Ok(format!("arn:aws:iam::{owner}:{}/{name}", T::KIND))
}

/// Admits a new `T` named `name` in the collection of `scope` (the caller's account's, or the
/// organization `organization_id`'s): the name is free and the quota not reached.
///
/// # Errors
/// `EntityAlreadyExists`; `LimitExceeded` at `quota`.
pub(crate) fn admit<T: WorkloadEntity>(
    data: &IamData,
    caller: &str,
    scope: WorkloadScope,
    organization_id: Option<&str>,
    name: &str,
    quota: usize,
) -> Result<(), Error> {
    let collection: Vec<&T> = data
        .accounts
        .iter()
        .filter(|a| scope == WorkloadScope::Organization || a.id == caller)
        .flat_map(|a| T::in_account(a))
        .filter(|e| e.scope() == scope && e.organization_id() == organization_id)
        .collect();
    if collection.iter().any(|e| e.name() == name) {
        return Err(Error::new(
            ErrorCode::EntityAlreadyExists,
            format!("A {} named {name} already exists.", T::WHAT),
        ));
    }
    if collection.len() >= quota {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("Cannot exceed quota for {}s: {quota}", T::KIND),
        ));
    }
    Ok(())
}

/// A fresh unique id for a new `T` of `scope`.
///
/// # Errors
/// As [`UniqueId::random`].
pub(crate) fn new_id<T: Editable>(scope: WorkloadScope) -> Result<String, Error> {
    let [account, organization] = T::ID_KINDS;
    let kind = match scope {
        WorkloadScope::Account => account,
        WorkloadScope::Organization => organization,
    };
    Ok(UniqueId::random(kind)?.as_str().to_owned())
}

/// The tags a creation request gives, by the rules of [`tags`].
///
/// # Errors
/// As [`tags`].
pub(crate) fn new_tags(list: Option<&[Tag]>) -> Result<Tags, Error> {
    tags(list.unwrap_or_default(), &Tags::default())
}

/// The plan that stores the new `entity` in the caller's account; answers the account.
pub(crate) fn put_new<T: Editable>(caller: &str, entity: T) -> (Vec<Change>, String) {
    let change = Change::Put {
        account: caller.to_owned(),
        entity: entity.entity(),
    };
    (vec![change], caller.to_owned())
}

/// The `T` with unique id `id` that `account` keeps in `snapshot` (what a creation stored).
///
/// # Errors
/// `ServiceFailure` when it is not there.
pub(crate) fn kept<'s, T: WorkloadEntity>(
    snapshot: &'s Snapshot,
    account: &str,
    id: &str,
) -> Result<&'s T, Error> {
    snapshot
        .data
        .account(account)
        .and_then(|a| T::in_account(a).iter().find(|e| e.id() == id))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::ServiceFailure,
                format!("the new {} is not in the model", T::WHAT),
            )
        })
}

/// The organization id of a new entity of `scope` created by `caller`: `None` for ACCOUNT.
///
/// # Errors
/// `InvalidInput` for ORGANIZATION when the caller's account does not administer an
/// organization.
pub(crate) fn new_owner(
    data: &IamData,
    caller: &str,
    scope: WorkloadScope,
) -> Result<Option<String>, Error> {
    match scope {
        WorkloadScope::Account => Ok(None),
        WorkloadScope::Organization => match data.organization.as_deref() {
            Some(o) if administers(data, caller) => Ok(Some(o.id.clone())),
            _ => Err(invalid(
                "Only the management account or a delegated administrator of an organization \
                 can create organization-scoped workload identity resources.",
            )),
        },
    }
}

/// The scope `text` names (`None`: ACCOUNT, the default).
///
/// # Errors
/// None in practice: the model's enum check ran first; a stray value is `InvalidInput`.
pub(crate) fn scope(text: Option<&str>) -> Result<WorkloadScope, Error> {
    match text {
        None => Ok(WorkloadScope::Account),
        Some(t) => WorkloadScope::parse(t).ok_or_else(|| invalid(format!("{t} is not a scope."))),
    }
}

/// The tags after adding `list` to `existing`, by the rules of these entities: keys are case
/// sensitive (a supplied key replaces its exact match), two keys that differ only in case are
/// refused, `aws:` keys are reserved, at most [`TAGS_QUOTA`].
///
/// # Errors
/// `InvalidInput`; `LimitExceeded` past the quota.
pub(crate) fn tags(list: &[Tag], existing: &Tags) -> Result<Tags, Error> {
    let mut out = existing.clone();
    for t in list {
        if t.key.len() >= 4 && t.key[..4].eq_ignore_ascii_case("aws:") {
            return Err(invalid(format!(
                "Tag key {} is in the reserved aws: namespace.",
                t.key
            )));
        }
        out.insert(t.key.clone(), t.value.clone());
    }
    let keys: Vec<&String> = out.keys().collect();
    for (i, k) in keys.iter().enumerate() {
        if keys[i + 1..].iter().any(|o| o.eq_ignore_ascii_case(k)) {
            return Err(invalid(format!(
                "Tag keys must be unique ignoring case: {k} and another key differ only in case."
            )));
        }
    }
    if out.len() > TAGS_QUOTA {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("The number of tags has reached the maximum limit of {TAGS_QUOTA}."),
        ));
    }
    Ok(out)
}

/// The tags as the answers list them; `None` when there are none (the element is left out).
pub(crate) fn tag_answer(tags: &Tags) -> Option<Vec<Tag>> {
    (!tags.is_empty()).then(|| tag_list(tags))
}

/// A model time as an answer's timestamp (a stored time that does not parse: the epoch).
pub(crate) fn time_of(text: &str) -> OffsetDateTime {
    crate::clock::parse_iso8601(text).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The X.509 signer entry as the answers show it.
pub(crate) fn x509_detail(
    s: &X509Signer,
    now: OffsetDateTime,
) -> WorkloadIdentityX509OutboundSignerDetail {
    WorkloadIdentityX509OutboundSignerDetail {
        configuration: Some(private_ca(s)),
        status: Some(s.status_at(now).as_str().to_owned()),
        start_signing_time: Some(time_of(&s.start_signing_time)),
        end_signing_time: s.end_signing_time.as_deref().map(time_of),
        discovery_expiration_time: s.discovery_expiration_time.as_deref().map(time_of),
    }
}

/// The CA of a signer as the model's `WorkloadIdentityPrivateCa`.
pub(crate) fn private_ca(s: &X509Signer) -> WorkloadIdentityPrivateCa {
    WorkloadIdentityPrivateCa {
        certificate_authority_id: s.ca_id.clone(),
        account_id: s.ca_account.clone(),
    }
}

/// The provider's signing material as GetWorkloadIdentityProvider reports it: at most ten
/// signers per format, no retired entries, and the publishing endpoints.
pub(crate) fn outbound_signers(
    cx: &Context<'_>,
    p: &WorkloadIdentityProvider,
    now: OffsetDateTime,
) -> WorkloadIdentityOutboundSigners {
    let x509 = p
        .x509_signers
        .iter()
        .filter(|s| s.status_at(now) != SignerStatus::Inactive)
        .take(REPORTED_SIGNERS)
        .map(|s| x509_detail(s, now))
        .collect();
    let jwt = JWT_SIGNERS
        .iter()
        .map(|j| WorkloadIdentityJwtOutboundSignerDetail {
            signing_algorithm: Some(j.signing_algorithm.to_owned()),
            configuration: Some(WorkloadIdentityJwtSignerConfiguration {
                key_algorithm: j.key_algorithm.to_owned(),
            }),
            start_signing_time: Some(time_of(&p.create_date)),
        })
        .collect();
    WorkloadIdentityOutboundSigners {
        x509: Some(x509),
        jwt: Some(jwt),
        oidc_issuer_uri: Some(cx.engine.workload_issuer_url(p)),
        bundle_endpoint_url: Some(cx.engine.workload_bundle_url(p)),
    }
}

/// Writes the members every answer about a provider has, into response type `$t`.
macro_rules! provider_answer {
    ($t:ident, $cx:expr, $account:expr, $p:expr, $now:expr) => {{
        let p = $p;
        $t {
            arn: p.arn($account),
            resource_scope: p.scope.as_str().to_owned(),
            provider_name: p.name.clone(),
            provider_id: p.id.clone(),
            description: p.description.clone(),
            scheme: p.scheme.as_str().to_owned(),
            workload_identity_domain: p.domain.clone(),
            outbound_signers: Some($crate::ops::iam::workload_identity::outbound_signers(
                $cx, p, $now,
            )),
            tags: $crate::ops::iam::workload_identity::tag_answer(&p.tags),
            create_date: $crate::ops::iam::workload_identity::time_of(&p.create_date),
        }
    }};
}
pub(crate) use provider_answer;

/// Writes the members every answer about a template has, into response type `$t` (with
/// `$($extra)*` for the members only that answer has).
macro_rules! template_answer {
    ($t:ident, $account:expr, $tm:expr $(, $field:ident: $value:expr)*) => {{
        let t = $tm;
        $t {
            name: t.name.clone(),
            template_id: t.id.clone(),
            description: t.description.clone(),
            resource_scope: t.scope.as_str().to_owned(),
            arn: t.arn($account),
            workload_identity_provider_arn: t.provider_arn.clone(),
            path_prefix: t.path_prefix.clone(),
            path_pattern: t.path_pattern.clone(),
            tags: $crate::ops::iam::workload_identity::tag_answer(&t.tags),
            create_date: $crate::ops::iam::workload_identity::time_of(&t.create_date),
            $($field: $value,)*
        }
    }};
}
pub(crate) use template_answer;

/// A policy of these entities (a provider's resource policy, a template's attestation policy)
/// checked as IAM checks resource policies.
///
/// # Errors
/// `LimitExceeded` past [`POLICY_QUOTA`]; `MalformedPolicyDocument` with the policy engine's
/// text.
pub(crate) fn check_policy(text: &str) -> Result<Value, Error> {
    if text.chars().count() > POLICY_QUOTA {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("Cannot exceed quota for PolicySize: {POLICY_QUOTA}"),
        ));
    }
    PolicyRef::parse(
        "WorkloadIdentityPolicy",
        PolicySource::None,
        text,
        keyturn_policy::PolicyType::Resource,
    )?;
    serde_json::from_str(text).map_err(|_| {
        Error::new(
            ErrorCode::MalformedPolicyDocument,
            "Syntax errors in policy.",
        )
    })
}

/// The attestation context key prefix a placeholder must name.
pub const ATTESTATION_PREFIX: &str = "aws:WorkloadAttestation/aws/";

/// The placeholders (`{key}`) of a path pattern, in order.
pub(crate) fn placeholders(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// Checks a path pattern's placeholders: each names an attested context key
/// (`aws:WorkloadAttestation/aws/SERVICE/KEY`); keys of the caller's identity are refused.
///
/// # Errors
/// `InvalidInput` naming the first key that is not one.
pub(crate) fn check_pattern(pattern: &str) -> Result<(), Error> {
    for key in placeholders(pattern) {
        let known = key.strip_prefix(ATTESTATION_PREFIX).is_some_and(|rest| {
            rest.split_once('/')
                .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty())
        });
        if !known {
            return Err(invalid(format!(
                "The placeholder {{{key}}} does not name an attestation context key \
                 ({ATTESTATION_PREFIX}SERVICE/KEY)."
            )));
        }
    }
    Ok(())
}

/// The condition keys an attestation policy's statements name.
fn condition_keys(doc: &Value, out: &mut Vec<String>) {
    let statements = match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for s in statements {
        if let Some(Value::Object(ops)) = s.get("Condition") {
            for block in ops.values() {
                if let Value::Object(keys) = block {
                    out.extend(keys.keys().cloned());
                }
            }
        }
    }
}

/// Checks an attestation policy against a template's pattern: a valid resource policy whose
/// conditions on attested values (`aws:WorkloadAttestation/…`) name only the pattern's
/// placeholders.
///
/// # Errors
/// As [`check_policy`]; `InvalidInput` for a condition on an attested value the pattern does
/// not render.
pub(crate) fn check_attestation_policy(text: &str, pattern: &str) -> Result<(), Error> {
    let doc = check_policy(text)?;
    let rendered = placeholders(pattern);
    let mut keys = Vec::new();
    condition_keys(&doc, &mut keys);
    for key in keys {
        let attested =
            key.len() >= 24 && key[..24].eq_ignore_ascii_case("aws:WorkloadAttestation/");
        if attested && !rendered.iter().any(|r| r.eq_ignore_ascii_case(&key)) {
            return Err(invalid(format!(
                "The attestation policy's condition key {key} is not a placeholder of the \
                 template's path pattern."
            )));
        }
    }
    Ok(())
}

/// The service principals an attestation policy's `Allow` statements name.
pub(crate) fn service_principals(text: &str) -> Vec<String> {
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for s in statements {
        if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        match s.get("Principal").and_then(|p| p.get("Service")) {
            Some(Value::String(one)) => out.push(one.clone()),
            Some(Value::Array(list)) => {
                out.extend(list.iter().filter_map(|v| v.as_str().map(str::to_owned)));
            }
            _ => {}
        }
    }
    out
}

/// Replaces the tags of the `T` `arn` with `edit` of them.
///
/// # Errors
/// As [`edit`]; what `edit` returns.
pub(crate) fn retag<T: Editable>(
    cx: &Context<'_>,
    arn: &str,
    retag: impl Fn(&Tags) -> Result<Tags, Error>,
) -> Result<(), Error> {
    edit(cx, arn, |e: &mut T, _| {
        *e.tags_mut() = retag(e.tags())?;
        Ok(())
    })
}

/// The tags of the `T` `arn`, as the caller sees it.
///
/// # Errors
/// As [`seen`].
pub(crate) fn tags_of<T: Editable>(cx: &Context<'_>, arn: &str) -> Result<Tags, Error> {
    Ok(seen::<T>(cx, arn)?.1.tags().clone())
}

/// `NoSuchEntity` for a `T` that holds no policy.
fn no_policy<T: Editable>(arn: &str) -> Error {
    no_such(format!("The {} {arn} has no {}.", T::WHAT, T::POLICY))
}

/// The policy of the `T` `arn`, as stored.
///
/// # Errors
/// As [`seen`]; `NoSuchEntity` when it has none.
pub(crate) fn policy_of<T: Editable>(cx: &Context<'_>, arn: &str) -> Result<String, Error> {
    seen::<T>(cx, arn)?
        .1
        .policy()
        .cloned()
        .ok_or_else(|| no_policy::<T>(arn))
}

/// Sets the policy of the `T` `arn` to `text` (an upsert), checked first.
///
/// # Errors
/// As [`Editable::check_text`], [`edit`] and [`Editable::check_for`], in that order.
pub(crate) fn put_policy<T: Editable>(
    cx: &Context<'_>,
    arn: &str,
    text: &str,
) -> Result<(), Error> {
    T::check_text(text)?;
    edit(cx, arn, |e: &mut T, _| {
        e.check_for(text)?;
        *e.policy_mut() = Some(text.to_owned());
        Ok(())
    })
}

/// Removes the policy of the `T` `arn` and keeps the entity.
///
/// # Errors
/// As [`edit`]; `NoSuchEntity` when it has none.
pub(crate) fn delete_policy<T: Editable>(cx: &Context<'_>, arn: &str) -> Result<(), Error> {
    edit(cx, arn, |e: &mut T, _| {
        e.policy_mut()
            .take()
            .map(drop)
            .ok_or_else(|| no_policy::<T>(arn))
    })
}

//! Where a request's condition keys go (a request context with only the keys the evaluation
//! reads, or the full list of an authorization message), and the encoded authorization message
//! of a denial.

use std::borrow::Cow;

use keyturn_policy::{Outcome, RequestContext};
use serde_json::{Value, json};

use super::auth::Caller;
use crate::evaluator::{KeyNeeds, Verdict};

/// A receiver of condition keys. Values are computed only for the keys it wants.
pub(crate) trait KeySink {
    /// Whether `key` (lowercase) is wanted.
    fn wants(&self, key: &str) -> bool;
    /// Whether the key `prefix` + `name` is wanted (`prefix` lowercase, `name` in any case).
    fn wants_named(&self, prefix: &str, name: &str) -> bool;
    /// Adds a wanted key (any case) with its values (one value: a single-valued key).
    fn add(&mut self, key: Cow<'static, str>, values: Vec<String>);

    /// Puts the single-valued `key` (lowercase), computing its value only when it is wanted.
    fn put(&mut self, key: &'static str, value: impl FnOnce() -> String)
    where
        Self: Sized,
    {
        if self.wants(key) {
            self.add(Cow::Borrowed(key), vec![value()]);
        }
    }

    /// Puts the multi-valued `key` (lowercase), computing its values only when it is wanted.
    fn put_many(&mut self, key: &'static str, values: impl FnOnce() -> Vec<String>)
    where
        Self: Sized,
    {
        if self.wants(key) {
            self.add(Cow::Borrowed(key), values());
        }
    }

    /// Puts the key `prefix` + `name` (a tag key such as `aws:principaltag/` + `Team`).
    fn put_named(&mut self, prefix: &'static str, name: &str, value: &str)
    where
        Self: Sized,
    {
        if self.wants_named(prefix, name) {
            self.add(
                Cow::Owned(format!("{prefix}{name}")),
                vec![value.to_owned()],
            );
        }
    }

    /// Puts a key whose name is known only at run time (any case).
    fn put_runtime(&mut self, key: &str, values: impl FnOnce() -> Vec<String>)
    where
        Self: Sized,
    {
        if self.wants_named("", key) {
            self.add(Cow::Owned(key.to_owned()), values());
        }
    }
}

/// A request context under construction that receives only the keys in its [`KeyNeeds`].
pub(crate) struct ContextBuilder<'n> {
    ctx: RequestContext,
    needs: &'n KeyNeeds<'n>,
}

impl<'n> ContextBuilder<'n> {
    /// A context for `principal` doing `action` on `resource`.
    pub(crate) fn new(
        principal: keyturn_policy::Principal,
        action: &str,
        resource: &str,
        needs: &'n KeyNeeds<'n>,
    ) -> Self {
        Self {
            ctx: RequestContext::with_principal_keys(principal, action, resource, |k| {
                needs.wants(k)
            }),
            needs,
        }
    }

    /// Whether the context already has `key` (any case).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.ctx.get(key).is_some()
    }

    /// The finished context.
    pub(crate) fn finish(self) -> RequestContext {
        self.ctx
    }
}

impl KeySink for ContextBuilder<'_> {
    fn wants(&self, key: &str) -> bool {
        self.needs.wants(key)
    }

    fn wants_named(&self, prefix: &str, name: &str) -> bool {
        self.needs.wants_named(prefix, name)
    }

    fn add(&mut self, key: Cow<'static, str>, mut values: Vec<String>) {
        if values.len() == 1
            && let Some(one) = values.pop()
        {
            self.ctx.insert_key(key, one);
        } else {
            self.ctx.insert_many(&key, values);
        }
    }
}

/// Every key, as (lowercase key, value) pairs: what an authorization message shows.
#[derive(Default)]
pub(crate) struct AllKeys(pub Vec<(String, String)>);

impl KeySink for AllKeys {
    fn wants(&self, _: &str) -> bool {
        true
    }

    fn wants_named(&self, _: &str, _: &str) -> bool {
        true
    }

    fn add(&mut self, key: Cow<'static, str>, values: Vec<String>) {
        let key = key.to_ascii_lowercase();
        self.0.extend(values.into_iter().map(|v| (key.clone(), v)));
    }
}

fn items<I: IntoIterator<Item = Value>>(values: I) -> Value {
    json!({ "items": values.into_iter().collect::<Vec<_>>() })
}

/// The decoded form of an authorization message, in the shape AWS's
/// `DecodeAuthorizationMessage` returns.
pub(crate) fn authorization_message(
    caller: &Caller,
    action: &str,
    resource: &str,
    extra: &[(&str, &[&str])],
    verdict: &Verdict,
) -> String {
    let matched = verdict.matched.iter().map(|m| {
        json!({
            "statementId": m.sid.clone().unwrap_or_default(),
            "effect": if m.allow { "ALLOW" } else { "DENY" },
            "policyId": m.policy_id,
            "policyType": m.source.as_str(),
        })
    });
    let mut conditions: Vec<Value> = caller
        .condition_keys()
        .into_iter()
        .map(|(k, v)| json!({"key": k, "values": items([json!({"value": v})])}))
        .collect();
    conditions.extend(extra.iter().map(|(k, vs)| {
        json!({"key": k.to_ascii_lowercase(), "values": items(vs.iter().map(|v| json!({"value": v})))})
    }));
    let doc = json!({
        "allowed": verdict.outcome == Outcome::Allow,
        "explicitDeny": verdict.outcome == Outcome::ExplicitDeny,
        "matchedStatements": items(matched),
        "failures": items(Vec::new()),
        "context": {
            "principal": {"id": caller.user_id, "arn": caller.arn},
            "action": action,
            "resource": resource,
            "conditions": {"items": conditions},
        },
    });
    doc.to_string()
}

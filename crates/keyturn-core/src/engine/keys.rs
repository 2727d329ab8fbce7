//! Where a request's condition keys go: a request context with only the keys the evaluation
//! reads, or the full list of an authorization message.

use std::borrow::Cow;

use keyturn_policy::RequestContext;

use crate::arn::concat;
use crate::evaluator::KeyNeeds;

/// A receiver of condition keys. Values are computed only for the keys it wants.
pub(crate) trait KeySink {
    /// Whether `key` (lowercase) is wanted.
    fn wants(&self, key: &str) -> bool;
    /// Whether the key `prefix` + `name` is wanted (`prefix` lowercase, `name` in any case).
    fn wants_named(&self, prefix: &str, name: &str) -> bool;
    /// Adds a wanted single-valued key (any case).
    fn add_one(&mut self, key: Cow<'static, str>, value: String);
    /// Adds a wanted multi-valued key (any case).
    fn add_many(&mut self, key: Cow<'static, str>, values: Vec<String>);

    /// Puts the single-valued `key` (lowercase), computing its value only when it is wanted.
    fn put(&mut self, key: &'static str, value: impl FnOnce() -> String)
    where
        Self: Sized,
    {
        if self.wants(key) {
            self.add_one(Cow::Borrowed(key), value());
        }
    }

    /// Puts the multi-valued `key` (lowercase), computing its values only when it is wanted.
    fn put_many(&mut self, key: &'static str, values: impl FnOnce() -> Vec<String>)
    where
        Self: Sized,
    {
        if self.wants(key) {
            self.add_many(Cow::Borrowed(key), values());
        }
    }

    /// Puts the key `prefix` + `name` (a tag key such as `aws:principaltag/` + `Team`).
    fn put_named(&mut self, prefix: &'static str, name: &str, value: &str)
    where
        Self: Sized,
    {
        if self.wants_named(prefix, name) {
            self.add_one(Cow::Owned(concat(&[prefix, name])), value.to_owned());
        }
    }

    /// Puts a key whose name is known only at run time (any case): one value makes it
    /// single-valued.
    fn put_runtime(&mut self, key: &str, values: impl FnOnce() -> Vec<String>)
    where
        Self: Sized,
    {
        if self.wants_named("", key) {
            let key = Cow::Owned(key.to_owned());
            match <[String; 1]>::try_from(values()) {
                Ok([one]) => self.add_one(key, one),
                Err(many) => self.add_many(key, many),
            }
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

    fn add_one(&mut self, key: Cow<'static, str>, value: String) {
        self.ctx.insert_key(key, value);
    }

    fn add_many(&mut self, key: Cow<'static, str>, values: Vec<String>) {
        self.ctx.insert_many(&key, values);
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

    fn add_one(&mut self, key: Cow<'static, str>, value: String) {
        self.0.push((key.to_ascii_lowercase(), value));
    }

    fn add_many(&mut self, key: Cow<'static, str>, values: Vec<String>) {
        let key = key.to_ascii_lowercase();
        self.0.extend(values.into_iter().map(|v| (key.clone(), v)));
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn alice() -> keyturn_policy::Principal {
        keyturn_policy::Principal::from_arn("arn:aws:iam::222222222222:user/alice")
            .unwrap_or_else(|| keyturn_policy::Principal::service("x"))
    }

    fn fill(ctx: &mut ContextBuilder<'_>, computed: &Cell<u32>) {
        ctx.put("aws:sourceip", || {
            computed.set(computed.get() + 1);
            "192.0.2.1".to_owned()
        });
        ctx.put_named("aws:principaltag/", "Team", "web");
        ctx.put_many("aws:tagkeys", || vec!["a".to_owned(), "b".to_owned()]);
        ctx.put_runtime("Custom:One", || vec!["1".to_owned()]);
        ctx.put_runtime("Custom:Two", || vec!["1".to_owned(), "2".to_owned()]);
    }

    /// Every key for an evaluator that reads everything (a plugin's, `KeyNeeds::All`).
    #[test]
    fn all_needs_get_every_key() {
        let needs = KeyNeeds::All;
        let mut b = ContextBuilder::new(alice(), "s3:GetObject", "*", &needs);
        let computed = Cell::new(0);
        fill(&mut b, &computed);
        let ctx = b.finish();
        assert_eq!(computed.get(), 1);
        let one = |v: &str| vec![v.to_owned()];
        assert_eq!(ctx.get("aws:SourceIp"), Some(&one("192.0.2.1")[..]));
        assert_eq!(ctx.get("aws:PrincipalTag/team"), Some(&one("web")[..]));
        assert_eq!(ctx.get("aws:TagKeys").map(<[String]>::len), Some(2));
        assert_eq!(ctx.get("custom:one"), Some(&one("1")[..]));
        assert_eq!(ctx.get("custom:two").map(<[String]>::len), Some(2));
        assert_eq!(ctx.get("aws:username"), Some(&one("alice")[..]));
    }

    /// Only the keys read, and a value not read is not even computed.
    #[test]
    fn only_needs_get_only_those_keys() {
        let needs = KeyNeeds::Only(vec!["aws:principaltag/team", "custom:two"]);
        let mut b = ContextBuilder::new(alice(), "s3:GetObject", "*", &needs);
        let computed = Cell::new(0);
        fill(&mut b, &computed);
        let ctx = b.finish();
        assert_eq!(computed.get(), 0);
        assert_eq!(
            ctx.get("aws:PrincipalTag/Team"),
            Some(&["web".to_owned()][..])
        );
        assert_eq!(ctx.get("custom:two").map(<[String]>::len), Some(2));
        for absent in ["aws:sourceip", "aws:tagkeys", "custom:one", "aws:username"] {
            assert_eq!(ctx.get(absent), None, "{absent}");
        }
    }
}

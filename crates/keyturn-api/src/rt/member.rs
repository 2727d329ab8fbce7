//! The per-member logic of the generated shapes, once: how a member of each Rust type is
//! decoded from Query parameters, validated and written as XML.
//!
//! The generator writes one member table per structure ([`shapes!`](super::shapes!), shared by
//! structures whose members are the same): a line per member with its type, names and [`Rule`]. The macro expands each line to one call
//! (`s.field(…)`, `f.check(…)`, `w.member(…)`) whose member type picks the code here by
//! monomorphisation: no dynamic dispatch, no allocation beyond what the value itself needs. A
//! required member is `T`, an optional one `Option<T>` ([`Field`]); `T` is a scalar
//! ([`Scalar`]), a list `Vec<T>` of scalars or structures ([`Element`]), a map `Vec<(K, V)>`
//! of scalars, or a generated structure ([`InputShape`], [`OutputShape`]).

use time::OffsetDateTime;

use super::scope::{
    Scope, list, missing, parse_blob, parse_bool, parse_int, parse_long, parse_time,
};
use super::validate::{At, Constraint, Failures};
use crate::{ApiError, Input, Params, SecretString, XmlWriter};

/// A generated structure on the input side: decoded from a scope, validated into failures.
pub(crate) trait InputShape: Sized {
    /// Decodes the structure whose members are in `s`; `at` names it in messages.
    fn decode(s: &Scope<'_>, at: At<'_>) -> Result<Self, ApiError>;

    /// Adds the failures of the members' constraints (none by default: nothing to check).
    fn validate_into(&self, at: At<'_>, f: &mut Failures) {
        let _ = (at, f);
    }

    /// The structure as AWS shows it in a list-size message (`Tag(key=k, value=v)`). Only the
    /// elements of a list with a size constraint are shown; the generator writes this method
    /// for those structures, the others never need it.
    fn shown(&self) -> String {
        String::new()
    }
}

/// A generated structure on the output side: its members written as elements.
pub(crate) trait OutputShape {
    /// Writes the members (not the structure's own element).
    fn write_members(&self, w: &mut XmlWriter);
}

/// A member's names: on the wire (`RoleArn`) and in messages (`roleArn`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Name {
    /// The Query parameter name, relative to the structure.
    pub(crate) wire: &'static str,
    /// AWS's lower-camel name in validation messages.
    pub(crate) lower: &'static str,
}

/// A member's constraints: its own value's (a string's length, a list's size) and, for a
/// list, each element's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Checks {
    own: Option<&'static Constraint>,
    each: Option<&'static Constraint>,
}

/// How the generated tables give a member's [`Checks`]: `()` (none of its own), a
/// constraint, or for a list `(list, element)` / `((), element)`.
pub(crate) trait Rule: Copy {
    /// The checks.
    fn checks(self) -> Checks;
}

impl Rule for () {
    #[inline(always)]
    fn checks(self) -> Checks {
        Checks::default()
    }
}

impl Rule for &'static Constraint {
    #[inline(always)]
    fn checks(self) -> Checks {
        Checks {
            own: Some(self),
            each: None,
        }
    }
}

impl Rule for (&'static Constraint, &'static Constraint) {
    #[inline(always)]
    fn checks(self) -> Checks {
        Checks {
            own: Some(self.0),
            each: Some(self.1),
        }
    }
}

impl Rule for ((), &'static Constraint) {
    #[inline(always)]
    fn checks(self) -> Checks {
        Checks {
            own: None,
            each: Some(self.1),
        }
    }
}

/// A value of a member: decoded when present, validated against its constraints.
pub(crate) trait Value: Sized {
    /// Member `n` of `s`, `None` when absent; `at` is the structure's place.
    fn decode(s: &Scope<'_>, at: At<'_>, n: Name) -> Result<Option<Self>, ApiError>;

    /// Adds the failures of the value at `at` against `c`.
    fn check(&self, at: At<'_>, c: Checks, f: &mut Failures);
}

/// A value that can be a list element: a scalar or a structure (not a list or a map).
pub(crate) trait Element: Value {
    /// The element in scope `e` (at `at`) of list `wire`; `None` to skip it (a scalar element
    /// without a value of its own).
    fn element(e: &Scope<'_>, at: At<'_>, wire: &str) -> Result<Option<Self>, ApiError>;

    /// The element in a list-size message, like Java's `List.toString`.
    fn shown(&self) -> String;
}

/// A value of a single parameter: a string, number, boolean, timestamp or blob.
pub(crate) trait Scalar: Sized + std::fmt::Debug {
    /// Parses the text of parameter `wire`.
    fn parse(text: &str, wire: &str) -> Result<Self, ApiError>;

    /// The failures of the value against `c` (nothing for types without constraints).
    fn check_scalar(&self, c: &Constraint, at: At<'_>, f: &mut Failures) {
        let _ = (c, at, f);
    }

    /// The value in a list-size message.
    fn shown_scalar(&self) -> String {
        format!("{self:?}")
    }
}

impl Scalar for String {
    #[inline(always)]
    fn parse(text: &str, _wire: &str) -> Result<Self, ApiError> {
        Ok(text.to_owned())
    }
    #[inline(always)]
    fn check_scalar(&self, c: &Constraint, at: At<'_>, f: &mut Failures) {
        f.string(c, at, self);
    }
    fn shown_scalar(&self) -> String {
        self.clone()
    }
}

impl Scalar for SecretString {
    #[inline(always)]
    fn parse(text: &str, _wire: &str) -> Result<Self, ApiError> {
        Ok(SecretString::from(text))
    }
    #[inline(always)]
    fn check_scalar(&self, c: &Constraint, at: At<'_>, f: &mut Failures) {
        f.string(c, at, self.expose());
    }
    fn shown_scalar(&self) -> String {
        "***".to_owned()
    }
}

/// `Scalar` and `WriteXml` of the integer types: parsed by `$parse`, checked and written as
/// an `i64`.
macro_rules! integers {
    ($($t:ty => $parse:ident),*) => {$(
        impl Scalar for $t {
            #[inline(always)]
            fn parse(text: &str, wire: &str) -> Result<Self, ApiError> {
                $parse(text, wire)
            }
            #[inline(always)]
            fn check_scalar(&self, c: &Constraint, at: At<'_>, f: &mut Failures) {
                f.int(c, at, i64::from(*self));
            }
        }

        impl WriteXml for $t {
            #[inline(always)]
            fn put(&self, name: &str, w: &mut XmlWriter) {
                w.int(name, i64::from(*self));
            }
        }
    )*};
}

integers!(i32 => parse_int, i64 => parse_long);

impl Scalar for bool {
    fn parse(text: &str, wire: &str) -> Result<Self, ApiError> {
        parse_bool(text, wire)
    }
}

impl Scalar for OffsetDateTime {
    fn parse(text: &str, wire: &str) -> Result<Self, ApiError> {
        parse_time(text, wire)
    }
}

impl Scalar for Vec<u8> {
    fn parse(text: &str, wire: &str) -> Result<Self, ApiError> {
        parse_blob(text, wire)
    }
}

/// `Value` and `Element` of the scalar types (one generic impl each would overlap with the
/// structures' impls).
macro_rules! scalar_values {
    ($($t:ty),*) => {$(
        impl Value for $t {
            #[inline(always)]
            fn decode(s: &Scope<'_>, _at: At<'_>, n: Name) -> Result<Option<Self>, ApiError> {
                s.get(n.wire).map(|v| Scalar::parse(v, n.wire)).transpose()
            }

            #[inline(always)]
            fn check(&self, at: At<'_>, c: Checks, f: &mut Failures) {
                if let Some(own) = c.own {
                    self.check_scalar(own, at, f);
                }
            }
        }

        impl Element for $t {
            #[inline(always)]
            fn element(e: &Scope<'_>, _at: At<'_>, wire: &str) -> Result<Option<Self>, ApiError> {
                e.get("").map(|v| Scalar::parse(v, wire)).transpose()
            }

            fn shown(&self) -> String {
                self.shown_scalar()
            }
        }
    )*};
}

scalar_values!(
    String,
    SecretString,
    i32,
    i64,
    bool,
    OffsetDateTime,
    Vec<u8>
);

impl<T: InputShape> Value for T {
    #[inline(always)]
    fn decode(s: &Scope<'_>, at: At<'_>, n: Name) -> Result<Option<Self>, ApiError> {
        s.structure(n.wire)
            .map(|sub| <T as InputShape>::decode(&sub, At::Member(&at, n.lower)))
            .transpose()
    }

    #[inline(always)]
    fn check(&self, at: At<'_>, _c: Checks, f: &mut Failures) {
        self.validate_into(at, f);
    }
}

impl<T: InputShape> Element for T {
    #[inline(always)]
    fn element(e: &Scope<'_>, at: At<'_>, _wire: &str) -> Result<Option<Self>, ApiError> {
        <T as InputShape>::decode(e, at).map(Some)
    }

    fn shown(&self) -> String {
        InputShape::shown(self)
    }
}

/// A list: `Name.member.N` (1-based N) parameters.
impl<T: Element> Value for Vec<T> {
    #[inline(always)]
    fn decode(s: &Scope<'_>, at: At<'_>, n: Name) -> Result<Option<Self>, ApiError> {
        let at_m = At::Member(&at, n.lower);
        list(s, n.wire, ".member.", |e, i| {
            T::element(e, At::Index(&at_m, i), n.wire)
        })
    }

    #[inline(always)]
    fn check(&self, at: At<'_>, c: Checks, f: &mut Failures) {
        if let Some(own) = c.own {
            f.list_size(own, at, self.len(), &|| {
                let shown: Vec<String> = self.iter().map(Element::shown).collect();
                format!("[{}]", shown.join(", "))
            });
        }
        for (i, e) in self.iter().enumerate() {
            let each = Checks {
                own: c.each,
                each: None,
            };
            e.check(At::Index(&at, i), each, f);
        }
    }
}

/// A value of a map entry: a scalar (`Name.entry.N.value`) or a structure
/// (`Name.entry.N.value.Member…`).
pub(crate) trait EntryValue: Sized {
    /// The value of the entry in scope `e` (at `at`) of map `wire`; `None` when absent.
    fn entry_value(e: &Scope<'_>, at: At<'_>, wire: &str) -> Result<Option<Self>, ApiError>;

    /// Adds the failures of the value at `at` (a structure's members; nothing for a scalar).
    fn check_entry(&self, at: At<'_>, f: &mut Failures);
}

impl<T: Scalar> EntryValue for T {
    #[inline(always)]
    fn entry_value(e: &Scope<'_>, _at: At<'_>, wire: &str) -> Result<Option<Self>, ApiError> {
        e.get("value").map(|v| T::parse(v, wire)).transpose()
    }

    fn check_entry(&self, _at: At<'_>, _f: &mut Failures) {}
}

/// A map value that is a structure: decoded from the entry's `value.` parameters and
/// validated as one. (A newtype, because a blanket impl over [`InputShape`] would overlap
/// the scalars' one.)
#[derive(Debug, Clone, PartialEq)]
pub struct Structured<T>(pub T);

impl<T: InputShape> EntryValue for Structured<T> {
    fn entry_value(e: &Scope<'_>, at: At<'_>, _wire: &str) -> Result<Option<Self>, ApiError> {
        e.structure("value")
            .map(|sub| <T as InputShape>::decode(&sub, at).map(Structured))
            .transpose()
    }

    fn check_entry(&self, at: At<'_>, f: &mut Failures) {
        self.0.validate_into(at, f);
    }
}

/// A map: `Name.entry.N.key` and `Name.entry.N.value` parameters; an entry without both is
/// skipped. The model's maps have no size constraints that AWS checks here; a structure
/// value's members are checked.
impl<K: Scalar, V: EntryValue> Value for Vec<(K, V)> {
    fn decode(s: &Scope<'_>, at: At<'_>, n: Name) -> Result<Option<Self>, ApiError> {
        let at_m = At::Member(&at, n.lower);
        list(s, n.wire, ".entry.", |e, i| {
            let k = e.get("key").map(|v| K::parse(v, n.wire)).transpose()?;
            let v = V::entry_value(e, At::Index(&at_m, i), n.wire)?;
            Ok(k.zip(v))
        })
    }

    fn check(&self, at: At<'_>, _c: Checks, f: &mut Failures) {
        for (i, (_, v)) in self.iter().enumerate() {
            v.check_entry(At::Index(&at, i), f);
        }
    }
}

/// A member of a structure: `T` when required (absent: an error), `Option<T>` when optional.
pub(crate) trait Field: Sized {
    /// Member `n` of the structure in `s` at `at`.
    fn decode(s: &Scope<'_>, at: At<'_>, n: Name) -> Result<Self, ApiError>;

    /// Adds the failures of member `lower` of the structure at `at` (its place is built only
    /// when there is a value to check).
    fn check(&self, at: At<'_>, lower: &'static str, c: Checks, f: &mut Failures);
}

impl<T: Value> Field for T {
    #[inline(always)]
    fn decode(s: &Scope<'_>, at: At<'_>, n: Name) -> Result<Self, ApiError> {
        T::decode(s, at, n)?.ok_or_else(|| missing_member(at, n))
    }

    #[inline(always)]
    fn check(&self, at: At<'_>, lower: &'static str, c: Checks, f: &mut Failures) {
        Value::check(self, At::Member(&at, lower), c, f);
    }
}

impl<T: Value> Field for Option<T> {
    #[inline(always)]
    fn decode(s: &Scope<'_>, at: At<'_>, n: Name) -> Result<Self, ApiError> {
        T::decode(s, at, n)
    }

    #[inline(always)]
    fn check(&self, at: At<'_>, lower: &'static str, c: Checks, f: &mut Failures) {
        if let Some(v) = self {
            Value::check(v, At::Member(&at, lower), c, f);
        }
    }
}

/// The error for missing required member `n` of the structure at `at`.
#[cold]
fn missing_member(at: At<'_>, n: Name) -> ApiError {
    missing(at, n.wire, n.lower)
}

impl Scope<'_> {
    /// Member `wire` (named `lower` in messages) of the structure in this scope at `at`, as
    /// the field's type says.
    ///
    /// # Errors
    /// A missing required member, a value that does not parse, an element's error.
    #[inline(always)]
    pub(crate) fn field<F: Field>(
        &self,
        at: At<'_>,
        wire: &'static str,
        lower: &'static str,
    ) -> Result<F, ApiError> {
        F::decode(self, at, Name { wire, lower })
    }
}

impl Failures {
    /// Checks member `lower` of the structure at `at` against `rule`.
    #[inline(always)]
    pub(crate) fn check<F: Field, R: Rule>(
        &mut self,
        at: At<'_>,
        lower: &'static str,
        value: &F,
        rule: R,
    ) {
        value.check(at, lower, rule.checks(), self);
    }
}

/// A value written as an XML element.
pub(crate) trait WriteXml {
    /// Writes the value as element `name`.
    fn put(&self, name: &str, w: &mut XmlWriter);
}

impl WriteXml for String {
    #[inline(always)]
    fn put(&self, name: &str, w: &mut XmlWriter) {
        w.leaf(name, self);
    }
}

impl WriteXml for SecretString {
    #[inline(always)]
    fn put(&self, name: &str, w: &mut XmlWriter) {
        w.leaf(name, self.expose());
    }
}

impl WriteXml for bool {
    #[inline(always)]
    fn put(&self, name: &str, w: &mut XmlWriter) {
        w.bool(name, *self);
    }
}

impl WriteXml for OffsetDateTime {
    #[inline(always)]
    fn put(&self, name: &str, w: &mut XmlWriter) {
        w.time(name, *self);
    }
}

impl WriteXml for Vec<u8> {
    #[inline(always)]
    fn put(&self, name: &str, w: &mut XmlWriter) {
        w.blob(name, self);
    }
}

impl<T: OutputShape> WriteXml for T {
    fn put(&self, name: &str, w: &mut XmlWriter) {
        w.open(name);
        self.write_members(w);
        w.close(name);
    }
}

/// A list: `<member>` elements, or an empty element.
impl<T: WriteXml> WriteXml for Vec<T> {
    fn put(&self, name: &str, w: &mut XmlWriter) {
        if self.is_empty() {
            w.empty(name);
            return;
        }
        w.open(name);
        for e in self {
            e.put("member", w);
        }
        w.close(name);
    }
}

/// A map: `<entry><key/><value/></entry>` elements, or an empty element.
impl<K: WriteXml, V: WriteXml> WriteXml for Vec<(K, V)> {
    fn put(&self, name: &str, w: &mut XmlWriter) {
        if self.is_empty() {
            w.empty(name);
            return;
        }
        w.open(name);
        for (k, v) in self {
            w.open("entry");
            k.put("key", w);
            v.put("value", w);
            w.close("entry");
        }
        w.close(name);
    }
}

/// An optional member: nothing when absent.
impl<T: WriteXml> WriteXml for Option<T> {
    #[inline(always)]
    fn put(&self, name: &str, w: &mut XmlWriter) {
        if let Some(v) = self {
            v.put(name, w);
        }
    }
}

impl XmlWriter {
    /// Writes member `name` with its value, as the value's type says.
    #[inline(always)]
    pub(crate) fn member<T: WriteXml>(&mut self, name: &str, value: &T) {
        value.put(name, self);
    }
}

/// `Input::from_query` of every generated input: decode, then validate.
///
/// # Errors
/// The first decoding error, else the validation failures.
#[inline(always)]
pub(crate) fn from_query<T: InputShape + Input>(p: &Params<'_>) -> Result<T, ApiError> {
    let input = T::decode(&Scope::top(p), At::Root)?;
    Input::validate(&input)?;
    Ok(input)
}

/// `Input::validate` of every generated input.
///
/// # Errors
/// `ValidationError` listing every failed constraint.
#[inline(always)]
pub(crate) fn validate<T: InputShape>(input: &T) -> Result<(), ApiError> {
    let mut f = Failures::default();
    input.validate_into(At::Root, &mut f);
    f.finish()
}

//! Validation against the model's constraints, with AWS's messages.
//!
//! AWS (Coral) reports every failed constraint in one `ValidationError`:
//! `2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint:
//! Member must have length greater than or equal to 2; Value …`. The member is named in lower
//! camel case, list elements as `tags.1.member.key` (1-based). Sensitive members print no value
//! (`Value at 'sAMLAssertion' failed …`); a missing nested required member prints `Value null`.

use std::fmt::{self, Write as _};

use super::patterns::Pattern;
use crate::{ApiError, ErrorCode};

/// Where a member is, as AWS names it in messages; a chain on the stack, written only when a
/// constraint fails.
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    /// The input itself.
    Root,
    /// Member `name` (lower camel) of a structure: `roleSessionName`, `taskPolicyArn.arn`.
    Member(&'a At<'a>, &'static str),
    /// Element `index` (0-based) of a list: `tags.1.member`.
    Index(&'a At<'a>, usize),
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Root => Ok(()),
            Self::Member(At::Root, name) => f.write_str(name),
            Self::Member(parent, name) => write!(f, "{parent}.{name}"),
            Self::Index(parent, i) => write!(f, "{parent}.{}.member", i + 1),
        }
    }
}

/// The constraints of one shape of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Constraint {
    /// Minimum length (strings, in code points), value (numbers) or size (lists).
    pub min: Option<i64>,
    /// Maximum, likewise.
    pub max: Option<i64>,
    /// The pattern, for strings.
    pub pattern: Option<Pattern>,
    /// The allowed values, for enums.
    pub enum_values: Option<&'static [&'static str]>,
    /// Whether the model marks the shape sensitive (its value never appears in messages).
    pub sensitive: bool,
}

impl Constraint {
    /// A minimum and maximum, nothing else (chain the others: `range(…).matching(…)`).
    pub const fn range(min: Option<i64>, max: Option<i64>) -> Self {
        Self {
            min,
            max,
            pattern: None,
            enum_values: None,
            sensitive: false,
        }
    }

    /// The constraint with `pattern` too.
    pub const fn matching(self, pattern: Pattern) -> Self {
        Self {
            pattern: Some(pattern),
            ..self
        }
    }

    /// The constraint with the allowed `values` too.
    pub const fn one_of(self, values: &'static [&'static str]) -> Self {
        Self {
            enum_values: Some(values),
            ..self
        }
    }

    /// The constraint of a sensitive shape (its value never appears in messages).
    pub const fn sensitive(self) -> Self {
        Self {
            sensitive: true,
            ..self
        }
    }
}

/// The failures found so far; allocates only when something fails.
#[derive(Debug, Default)]
pub struct Failures {
    count: usize,
    text: String,
}

impl Failures {
    fn push(
        &mut self,
        value: Option<&dyn fmt::Display>,
        sensitive: bool,
        at: At<'_>,
        what: fmt::Arguments<'_>,
    ) {
        if self.count > 0 {
            self.text.push_str("; ");
        }
        self.count += 1;
        // Writing to a String cannot fail.
        let _ = match (value, sensitive) {
            (_, true) => write!(self.text, "Value at '{at}'"),
            (Some(v), false) => write!(self.text, "Value '{v}' at '{at}'"),
            (None, false) => write!(self.text, "Value null at '{at}'"),
        };
        let _ = write!(self.text, " failed to satisfy constraint: {what}");
    }

    /// A missing nested required member.
    pub fn null(&mut self, at: At<'_>) {
        self.push(None, false, at, format_args!("Member must not be null"));
    }

    /// A string's length (in code points), pattern and enum.
    pub fn string(&mut self, c: &Constraint, at: At<'_>, value: &str) {
        let len = if value.is_ascii() {
            value.len()
        } else {
            value.chars().count()
        };
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        if let Some(min) = c.min
            && len < min
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!("Member must have length greater than or equal to {min}"),
            );
        }
        if let Some(max) = c.max
            && len > max
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!("Member must have length less than or equal to {max}"),
            );
        }
        if let Some(p) = c.pattern
            && !p.matches(value)
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!(
                    "Member must satisfy regular expression pattern: {}",
                    p.model
                ),
            );
        }
        if let Some(values) = c.enum_values
            && !values.contains(&value)
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!(
                    "Member must satisfy enum value set: [{}]",
                    values.join(", ")
                ),
            );
        }
    }

    /// A number's range.
    pub fn int(&mut self, c: &Constraint, at: At<'_>, value: i64) {
        if let Some(min) = c.min
            && value < min
        {
            self.push(
                Some(&value),
                false,
                at,
                format_args!("Member must have value greater than or equal to {min}"),
            );
        }
        if let Some(max) = c.max
            && value > max
        {
            self.push(
                Some(&value),
                false,
                at,
                format_args!("Member must have value less than or equal to {max}"),
            );
        }
    }

    /// A list's size; `shown` renders the list like Java's `List.toString`.
    pub fn list_size(
        &mut self,
        c: &Constraint,
        at: At<'_>,
        len: usize,
        shown: &dyn Fn() -> String,
    ) {
        let n = i64::try_from(len).unwrap_or(i64::MAX);
        if let Some(min) = c.min
            && n < min
        {
            let v = shown();
            self.push(
                Some(&v),
                false,
                at,
                format_args!("Member must have length greater than or equal to {min}"),
            );
        }
        if let Some(max) = c.max
            && n > max
        {
            let v = shown();
            self.push(
                Some(&v),
                false,
                at,
                format_args!("Member must have length less than or equal to {max}"),
            );
        }
    }

    /// `Ok` without failures, else the `ValidationError` with AWS's text.
    ///
    /// # Errors
    /// `ValidationError` when something failed.
    pub fn finish(self) -> Result<(), ApiError> {
        match self.count {
            0 => Ok(()),
            1 => Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("1 validation error detected: {}", self.text),
            )),
            n => Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("{n} validation errors detected: {}", self.text),
            )),
        }
    }
}

/// A missing nested required member (`Tags.member.N.Value`), as AWS reports it.
pub fn null_member_error(at: At<'_>) -> ApiError {
    let mut f = Failures::default();
    f.null(at);
    match f.finish() {
        Err(e) => e,
        Ok(()) => ApiError::new(ErrorCode::InternalFailure, String::new()),
    }
}

/// AWS's lower-camel member name: the first character lowercased (`SAMLAssertion` → `sAMLAssertion`).
pub fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

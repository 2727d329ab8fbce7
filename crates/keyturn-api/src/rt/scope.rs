//! A view of the Query parameters under a prefix, and the conversions of their values.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::validate::{At, null_member_error};
use crate::params::{self, Params};
use crate::{ApiError, ErrorCode};

/// The parameters of one structure: the whole request, a list element (`Tags.member.2.`) or a
/// nested structure (`TaskPolicyArn.`). Names inside are relative (`Key`, `arn`); a list
/// element's own value (a list of strings) has the name `""`.
#[derive(Debug)]
pub struct Scope<'p> {
    top: Option<&'p Params<'p>>,
    pairs: Vec<(&'p str, &'p str)>,
}

impl<'p> Scope<'p> {
    /// The whole request.
    pub fn top(params: &'p Params<'p>) -> Self {
        Self {
            top: Some(params),
            pairs: Vec::new(),
        }
    }

    /// A scope of (relative name, value) pairs.
    fn of(pairs: Vec<(&'p str, &'p str)>) -> Self {
        Self { top: None, pairs }
    }

    /// The value of member `name`.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&'p str> {
        match self.top {
            Some(p) => p.get(name),
            None => self
                .pairs
                .iter()
                .find(|(k, _)| k.len() == name.len() && *k == name)
                .map(|(_, v)| *v),
        }
    }

    /// The elements of list `name` (`sep` = `.member.`, or `.entry.` for a map): `None` when
    /// the list is absent (no element and no `name=`), empty for a bare `name=`.
    pub fn elements(&self, name: &str, sep: &str) -> Option<Vec<Scope<'p>>> {
        let groups = match self.top {
            Some(p) => p.members(name, sep),
            None => params::group(self.pairs.iter().copied(), name, sep),
        };
        if groups.is_empty() && self.get(name).is_none() {
            return None;
        }
        Some(groups.into_iter().map(Self::of).collect())
    }

    /// Nested structure `name` (`name.Field…`), if any of its members is given.
    pub fn structure(&self, name: &str) -> Option<Scope<'p>> {
        let pairs = match self.top {
            Some(p) => p.under(name),
            None => params::under(self.pairs.iter().copied(), name),
        };
        (!pairs.is_empty()).then(|| Self::of(pairs))
    }
}

/// Decodes list `name` of `s`: `element` turns one element (its scope and 0-based index) into
/// a value, or `None` to skip it (a list of strings whose element has no value of its own).
///
/// # Errors
/// The first error of `element`.
pub fn list<'p, T>(
    s: &Scope<'p>,
    name: &str,
    sep: &str,
    mut element: impl FnMut(&Scope<'p>, usize) -> Result<Option<T>, ApiError>,
) -> Result<Option<Vec<T>>, ApiError> {
    let Some(elements) = s.elements(name, sep) else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(elements.len());
    for (i, e) in elements.iter().enumerate() {
        if let Some(v) = element(e, i)? {
            out.push(v);
        }
    }
    Ok(Some(out))
}

/// The error for a missing required member `wire` (`lower`: its lower-camel name) of the
/// structure at `at`: `MissingParameter` at the top, AWS's `Value null` text inside.
pub fn missing(at: At<'_>, wire: &str, lower: &'static str) -> ApiError {
    match at {
        At::Root => ApiError::missing_parameter(wire),
        _ => null_member_error(At::Member(&at, lower)),
    }
}

fn invalid(value: &str, name: &str, expected: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidParameterValue,
        format!("Value ({value}) for parameter {name} is invalid. Expected {expected}."),
    )
}

/// An `integer` member.
///
/// # Errors
/// `InvalidParameterValue`: "Value (x) for parameter DurationSeconds is invalid. Expected an
/// integer."
pub fn parse_int(value: &str, name: &str) -> Result<i32, ApiError> {
    value
        .trim()
        .parse::<i32>()
        .map_err(|_| invalid(value, name, "an integer"))
}

/// A `long` member.
///
/// # Errors
/// `InvalidParameterValue`, "… Expected a long." (text not verified against AWS).
pub fn parse_long(value: &str, name: &str) -> Result<i64, ApiError> {
    value
        .trim()
        .parse::<i64>()
        .map_err(|_| invalid(value, name, "a long"))
}

/// A `boolean` member: `true` or `false`.
///
/// # Errors
/// `InvalidParameterValue`, "… Expected a boolean." (text not verified against AWS).
pub fn parse_bool(value: &str, name: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(value, name, "a boolean")),
    }
}

/// A `timestamp` member, ISO-8601 (RFC 3339).
///
/// # Errors
/// `InvalidParameterValue`, "… Expected a timestamp." (text not verified against AWS).
pub fn parse_time(value: &str, name: &str) -> Result<OffsetDateTime, ApiError> {
    OffsetDateTime::parse(value, &Rfc3339).map_err(|_| invalid(value, name, "a timestamp"))
}

/// A `blob` member, standard base64.
///
/// # Errors
/// `InvalidParameterValue`, "… Expected base64." (text not verified against AWS).
pub fn parse_blob(value: &str, name: &str) -> Result<Vec<u8>, ApiError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|_| invalid(value, name, "base64"))
}

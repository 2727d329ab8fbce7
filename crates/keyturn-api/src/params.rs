//! The AWS Query protocol's request side: a form body or query string as parameters.
//!
//! `Action=AssumeRole&Version=2011-06-15&RoleArn=…&Tags.member.1.Key=…`. Lists are
//! `Name.member.N` (1-based; ordered by N), structures in lists `Name.member.N.Field`, maps
//! `Name.entry.N.key` / `.value`, nested structures `Name.Field`. Unknown parameters are
//! ignored, as AWS does; a parameter given twice, a bad `%` escape or non-UTF-8 text is
//! `InvalidQueryParameter`.

use std::borrow::Cow;

use crate::ApiError;

/// Decoded parameters.
///
/// A request has a handful of parameters: up to `FEW` (16) stay in arrival order and are looked up
/// by a linear scan that compares lengths first (cheaper than sorting and binary searching such
/// a short list); more are sorted by name and binary searched. Either way a name given twice is
/// rejected and lists come out ordered by index, so the two layouts behave the same.
#[derive(Debug, Default)]
pub struct Params<'a> {
    /// In arrival order if at most [`FEW`], sorted by name otherwise.
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// Whether some name contains a `.` (a list element has `.member.`): without one, every list
    /// is empty.
    has_members: bool,
}

/// Up to this many parameters are kept unsorted (see [`Params`]).
const FEW: usize = 16;

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `application/x-www-form-urlencoded` decoding of one name or value, strictly.
fn unescape(raw: &str) -> Result<Cow<'_, str>, ApiError> {
    // Decoded in place in a copy: the output is never longer than the input.
    let mut out = raw.as_bytes().to_vec();
    let (mut read, mut write) = (0, 0);
    while let Some(&b) = out.get(read) {
        let decoded = match b {
            b'+' => b' ',
            b'%' => {
                let h = out.get(read + 1).copied().and_then(hex);
                let l = out.get(read + 2).copied().and_then(hex);
                let (Some(h), Some(l)) = (h, l) else {
                    return Err(ApiError::malformed_query());
                };
                read += 2;
                h << 4 | l
            }
            b => b,
        };
        if let Some(slot) = out.get_mut(write) {
            *slot = decoded;
        }
        read += 1;
        write += 1;
    }
    out.truncate(write);
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| ApiError::malformed_query())
}

/// The bytes [`Params::parse`] stops at: `&`, `=`, `%` and `+`.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'&' as usize] = true;
    table[b'=' as usize] = true;
    table[b'%' as usize] = true;
    table[b'+' as usize] = true;
    table
};

/// Adds the pair `text[start..end]` (its `=` at `eq`), unless empty.
fn pair<'a>(
    pairs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    text: &'a str,
    start: usize,
    eq: Option<usize>,
    end: usize,
    [name_escaped, value_escaped]: [bool; 2],
) -> Result<(), ApiError> {
    if end <= start {
        return Ok(());
    }
    let (name, value) = match eq {
        Some(eq) => (text.get(start..eq), text.get(eq + 1..end)),
        None => (text.get(start..end), Some("")),
    };
    let (Some(name), Some(value)) = (name, value) else {
        return Err(ApiError::malformed_query());
    };
    pairs.push((piece(name, name_escaped)?, piece(value, value_escaped)?));
    Ok(())
}

/// A name or value: `text` itself, or decoded if it has an escape.
fn piece(text: &str, escaped: bool) -> Result<Cow<'_, str>, ApiError> {
    if escaped {
        unescape(text)
    } else {
        Ok(Cow::Borrowed(text))
    }
}

/// `a == b`, comparing the lengths first (most names differ in length).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes() == b.as_bytes()
}

impl<'a> Params<'a> {
    /// Parses a form body or query string.
    ///
    /// # Errors
    /// `InvalidQueryParameter` for a bad escape, non-UTF-8 text or a duplicate name.
    pub fn parse(raw: &'a [u8]) -> Result<Self, ApiError> {
        // The raw text must be UTF-8 (escapes may encode any bytes; the decoded pieces are
        // checked again): one check of the whole instead of one per piece.
        let text = std::str::from_utf8(raw).map_err(|_| ApiError::malformed_query())?;
        let mut pairs: Vec<(Cow<'a, str>, Cow<'a, str>)> = Vec::with_capacity(8);
        // One pass over the bytes finds each pair's `=` and whether its name or value has an
        // escape (`%` or `+`); pieces without one are borrowed as they are. Most bytes are
        // none of the four: one table look-up each.
        let bytes = text.as_bytes();
        let (mut start, mut eq, mut escaped) = (0, None, [false; 2]);
        for (i, &b) in bytes.iter().enumerate() {
            if !SPECIAL[usize::from(b)] {
                continue;
            }
            match b {
                b'&' => {
                    pair(&mut pairs, text, start, eq, i, escaped)?;
                    (start, eq, escaped) = (i + 1, None, [false; 2]);
                }
                b'=' if eq.is_none() => eq = Some(i),
                b'=' => {}
                _ => escaped[usize::from(eq.is_some())] = true,
            }
        }
        pair(&mut pairs, text, start, eq, bytes.len(), escaped)?;
        let duplicate = if pairs.len() <= FEW {
            pairs.iter().enumerate().any(|(i, (k, _))| {
                pairs
                    .get(i + 1..)
                    .is_some_and(|later| later.iter().any(|(l, _)| same(k, l)))
            })
        } else {
            pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            pairs.windows(2).any(|w| w[0].0 == w[1].0)
        };
        if duplicate {
            return Err(ApiError::malformed_query());
        }
        // A cheap over-approximation of "some name contains `.member.`".
        let has_members = pairs.iter().any(|(k, _)| k.as_bytes().contains(&b'.'));
        Ok(Self { pairs, has_members })
    }

    /// One parameter's value.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&str> {
        if self.pairs.len() <= FEW {
            self.pairs
                .iter()
                .find(|(k, _)| same(k, name))
                .map(|(_, v)| v.as_ref())
        } else {
            self.pairs
                .binary_search_by(|(k, _)| k.as_ref().cmp(name))
                .ok()
                .and_then(|i| self.pairs.get(i))
                .map(|(_, v)| v.as_ref())
        }
    }

    /// All parameters, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        if self.pairs.len() <= FEW {
            all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
        all.into_iter()
    }

    /// The elements of list `name` (`name.member.N…`; `sep` is `.member.` or, for maps,
    /// `.entry.`), grouped by N in ascending order; each element is its (suffix after N without
    /// its leading `.`, value) pairs, the suffix `""` or `Field…`, in the order of their names.
    pub(crate) fn members(&self, name: &str, sep: &str) -> Vec<Vec<(&str, &str)>> {
        if !self.has_members {
            return Vec::new();
        }
        group(
            self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
            name,
            sep,
        )
    }

    /// The pairs whose name starts with `name.`, that prefix removed (a nested structure).
    pub(crate) fn under(&self, name: &str) -> Vec<(&str, &str)> {
        if !self.has_members {
            return Vec::new();
        }
        under(
            self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
            name,
        )
    }
}

/// The pairs of `pairs` whose name is `name.` + rest, as (rest, value).
pub(crate) fn under<'p>(
    pairs: impl Iterator<Item = (&'p str, &'p str)>,
    name: &str,
) -> Vec<(&'p str, &'p str)> {
    pairs
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix(name)?.strip_prefix('.')?;
            Some((rest, v))
        })
        .collect()
}

/// See [`Params::members`]; `pairs` are (name, value).
pub(crate) fn group<'p>(
    pairs: impl Iterator<Item = (&'p str, &'p str)>,
    name: &str,
    sep: &str,
) -> Vec<Vec<(&'p str, &'p str)>> {
    // (N, name after `.member.`, suffix after N, value)
    let mut items: Vec<(u32, &str, &str, &str)> = Vec::new();
    for (k, v) in pairs {
        let Some(rest) = k.strip_prefix(name).and_then(|rest| rest.strip_prefix(sep)) else {
            continue;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(n) = rest[..digits].parse::<u32>() else {
            continue;
        };
        if n == 0 {
            continue;
        }
        // `Name.member.1Key` is no element field.
        let suffix = match &rest[digits..] {
            "" => "",
            s => match s.strip_prefix('.') {
                Some(field) => field,
                None => continue,
            },
        };
        items.push((n, rest, suffix, v));
    }
    // By index, then by name: the same order whichever layout the pairs have.
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<Vec<(&str, &str)>> = Vec::new();
    let mut last = 0;
    for (n, _, suffix, v) in items {
        if n != last || out.is_empty() {
            out.push(Vec::new());
            last = n;
        }
        if let Some(group) = out.last_mut() {
            group.push((suffix, v));
        }
    }
    out
}

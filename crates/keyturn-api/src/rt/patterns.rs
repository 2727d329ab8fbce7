//! The model's patterns. Most are one character class with `*` or `+` (`[\w+=,.@-]*`): the
//! generator parses the class and writes a [`CharClass`] (a 128-bit table of the ASCII members,
//! computed when generating, plus the non-ASCII ranges and Unicode categories). The few others
//! have a hand-written matcher here, named in the generator's table of patterns.

/// A character class of a model pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharClass {
    /// The class's ASCII members as a 128-bit set (bit `b % 64` of word `b / 64`).
    pub ascii: [u64; 2],
    /// Non-ASCII ranges, inclusive.
    pub ranges: &'static [(char, char)],
    /// `\p{L}`: letters (checked as `char::is_alphabetic`).
    pub letters: bool,
    /// `\p{N}`: numbers (`char::is_numeric`).
    pub numbers: bool,
    /// `\p{Z}`: separators (Zs, Zl, Zp).
    pub separators: bool,
}

impl CharClass {
    /// The class of ASCII set `ascii` and non-ASCII `ranges`, without Unicode categories.
    pub const fn of(ascii: [u64; 2], ranges: &'static [(char, char)]) -> Self {
        Self {
            ascii,
            ranges,
            letters: false,
            numbers: false,
            separators: false,
        }
    }

    /// The class with the Unicode categories `\p{L}`, `\p{N}`, `\p{Z}` as given.
    pub const fn unicode(self, letters: bool, numbers: bool, separators: bool) -> Self {
        Self {
            letters,
            numbers,
            separators,
            ..self
        }
    }

    /// Whether `c` is in the class.
    pub fn contains(&self, c: char) -> bool {
        if c.is_ascii() {
            let b = c as u32;
            let word = self.ascii[(b >> 6) as usize & 1];
            return (word >> (b & 63)) & 1 == 1;
        }
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
            || (self.letters && c.is_alphabetic())
            || (self.numbers && c.is_numeric())
            || (self.separators && is_separator(c))
    }
}

/// Unicode general category Z (Zs, Zl, Zp).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// How a pattern is checked.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// `[class]*` (`allow_empty`) or `[class]+`.
    Class {
        /// The class.
        class: CharClass,
        /// `*` (true) or `+` (false).
        allow_empty: bool,
    },
    /// A hand-written matcher of the whole value.
    Custom(fn(&str) -> bool),
}

/// A model pattern: its text (for messages) and its check.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    /// The pattern exactly as in the model, e.g. `[\w+=,.@-]*`.
    pub model: &'static str,
    /// The check.
    pub check: Check,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        // One check per model text.
        self.model == other.model
    }
}

impl Eq for Pattern {}

impl Pattern {
    /// `[class]*` (`allow_empty`) or `[class]+`, whose model text is `model`.
    pub const fn class(model: &'static str, allow_empty: bool, class: CharClass) -> Self {
        Self {
            model,
            check: Check::Class { class, allow_empty },
        }
    }

    /// A pattern checked by a hand-written matcher of the whole value.
    pub const fn custom(model: &'static str, check: fn(&str) -> bool) -> Self {
        Self {
            model,
            check: Check::Custom(check),
        }
    }

    /// Whether the whole of `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        match self.check {
            Check::Custom(f) => f(value),
            Check::Class { class, allow_empty } => {
                if value.is_empty() {
                    return allow_empty;
                }
                if value.is_ascii() {
                    let set = class.ascii;
                    // Branch-free per byte: a fold without early exit vectorises.
                    return value.bytes().fold(true, |all, b| {
                        let word = set[usize::from(b >> 6) & 1];
                        all & ((word >> (b & 63)) & 1 == 1)
                    });
                }
                value.chars().all(|c| class.contains(c))
            }
        }
    }
}

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+( [\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+)*` (STS
/// `webIdentityTokenScopeType`): words of printable ASCII other than `"`, `,` and `\`, separated
/// by single spaces.
pub fn web_identity_token_scope(value: &str) -> bool {
    value.split(' ').all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| matches!(b, 0x21 | 0x23..=0x2b | 0x2d..=0x5b | 0x5d..=0x7e))
    })
}

/// `arn:[^:]+:iam::(\d{12}|o-[a-z0-9]{10,32}):workload-identity-template/[\w+=,.@/-]+` (STS
/// `workloadIdentityTemplateArnType`).
pub fn workload_identity_template_arn(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("arn:") else {
        return false;
    };
    let Some((partition, rest)) = rest.split_once(':') else {
        return false;
    };
    let Some(rest) = rest.strip_prefix("iam::") else {
        return false;
    };
    let Some((account, rest)) = rest.split_once(':') else {
        return false;
    };
    let account_ok = (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        || account.strip_prefix("o-").is_some_and(|o| {
            (10..=32).contains(&o.len())
                && o.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    let Some(name) = rest.strip_prefix("workload-identity-template/") else {
        return false;
    };
    !partition.is_empty()
        && account_ok
        && !name.is_empty()
        && name.chars().all(|c| word(c) || "+=,.@/-".contains(c))
}

/// `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)` (IAM `pathType`).
pub fn iam_path(value: &str) -> bool {
    value == "/"
        || (value.len() >= 3
            && value.starts_with('/')
            && value.ends_with('/')
            && value.bytes().all(|b| (0x21..=0x7e).contains(&b)))
}

/// `\u002F[\u0021-\u007F]*` (IAM `pathPrefixType`).
pub fn path_prefix(value: &str) -> bool {
    value
        .strip_prefix('/')
        .is_some_and(|rest| rest.bytes().all(|b| (0x21..=0x7f).contains(&b)))
}

/// `((/[A-Za-z0-9\.,\+@=_-]+)*)/` (IAM `policyPathType`).
pub fn policy_path(value: &str) -> bool {
    let Some(inner) = value.strip_suffix('/') else {
        return false;
    };
    if inner.is_empty() {
        return true;
    }
    let Some(inner) = inner.strip_prefix('/') else {
        return false;
    };
    inner.split('/').all(|seg| {
        !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".,+@=_-".contains(c))
    })
}

/// `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?` (IAM `policyVersionIdType`).
pub fn policy_version_id(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('v') else {
        return false;
    };
    let (number, suffix) = match rest.split_once('.') {
        Some((n, s)) => (n, Some(s)),
        None => (rest, None),
    };
    !number.is_empty()
        && !number.starts_with('0')
        && number.bytes().all(|b| b.is_ascii_digit())
        && suffix.is_none_or(|s| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$` (IAM `accountAliasType`).
pub fn account_alias(value: &str) -> bool {
    let b = value.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    (3..=63).contains(&b.len())
        && b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
        && b.iter().all(|c| alnum(c) || *c == b'-')
        && !value.contains("--")
}

/// `\d{12}` (IAM `accountIdType`): twelve ASCII digits.
pub fn account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

/// `^http(s?)://[a-zA-Z0-9._/-]*(\?[a-zA-Z0-9._=&-]*)?(#[a-zA-Z0-9._/-]*)?$` (IAM
/// `redirectUrlType`): an http(s) URL of a path, an optional query and an optional fragment.
pub fn redirect_url(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let path_char = |c: char| c.is_ascii_alphanumeric() || "._/-".contains(c);
    path.chars().all(path_char)
        && query.is_none_or(|q| {
            q.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._=&-".contains(c))
        })
        && fragment.is_none_or(|f| f.chars().all(path_char))
}

/// `^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?){0,31}$`
/// (IAM `WorkloadIdentityDomainType`): one to 32 dot-separated DNS labels of lowercase letters,
/// digits and inner hyphens, each 1 to 63 characters.
pub fn workload_identity_domain(value: &str) -> bool {
    let label = |l: &str| {
        let b = l.as_bytes();
        let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        (1..=63).contains(&b.len())
            && b.first().is_some_and(alnum)
            && b.last().is_some_and(alnum)
            && b.iter().all(|c| alnum(c) || *c == b'-')
    };
    value.split('.').count() <= 32 && value.split('.').all(label)
}

/// A literal segment of a workload identity path: `[A-Za-z0-9._-]+`, not `.` or `..`.
fn workload_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// `^(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+(?:/(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+)*$` (IAM
/// `WorkloadIdentityPathPrefixType`): `/`-separated literal segments, none `.` or `..`.
pub fn workload_identity_path_prefix(value: &str) -> bool {
    value.split('/').all(workload_segment)
}

/// The `(?=.*\{)(?:\{[A-Za-z0-9:/._-]+\}|SEGMENT)(?:/(?:\{…\}|SEGMENT))*` pattern of IAM's
/// `WorkloadIdentityTemplatePathPatternType`: `/`-separated segments, each a literal segment
/// or a `{placeholder}` (whose name may itself hold `/`), with at least one `{`.
pub fn workload_identity_path_pattern(value: &str) -> bool {
    if !value.contains('{') {
        return false;
    }
    let b = value.as_bytes();
    let mut i = 0;
    loop {
        if b.get(i) == Some(&b'{') {
            let Some(close) = value[i..].find('}') else {
                return false;
            };
            let name = &value[i + 1..i + close];
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b":/._-".contains(&c))
            {
                return false;
            }
            i += close + 1;
        } else {
            let end = value[i..].find('/').map_or(b.len(), |n| i + n);
            if !workload_segment(&value[i..end]) {
                return false;
            }
            i = end;
        }
        match b.get(i) {
            None => return true,
            Some(b'/') => i += 1,
            Some(_) => return false,
        }
    }
}

//! The model's patterns as checks: a single character class (`[class]*` / `[class]+`) becomes
//! an `rt::CharClass` literal; the others must be in [`CUSTOM`], which names a hand-written
//! matcher of `keyturn_api::rt`.

/// Patterns that are not one character class, and their matchers in `keyturn_api::rt`.
pub const CUSTOM: &[(&str, &str)] = &[
    (
        r"[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+( [\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+)*",
        "web_identity_token_scope",
    ),
    (
        r"arn:[^:]+:iam::(\d{12}|o-[a-z0-9]{10,32}):workload-identity-template/[\w+=,.@/-]+",
        "workload_identity_template_arn",
    ),
    (r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)", "iam_path"),
    (r"\u002F[\u0021-\u007F]*", "path_prefix"),
    (r"((/[A-Za-z0-9\.,\+@=_-]+)*)/", "policy_path"),
    (r"v[1-9][0-9]*(\.[A-Za-z0-9-]*)?", "policy_version_id"),
    (
        r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$",
        "account_alias",
    ),
    (r"\d{12}", "account_id"),
    (
        r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?){0,31}$",
        "workload_identity_domain",
    ),
    (
        r"^(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+(?:/(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+)*$",
        "workload_identity_path_prefix",
    ),
    (
        r"^(?=.*\{)(?:\{[A-Za-z0-9:/._-]+\}|(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+)(?:/(?:\{[A-Za-z0-9:/._-]+\}|(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+))*$",
        "workload_identity_path_pattern",
    ),
    (
        r"^http(s?)://[a-zA-Z0-9._/-]*(\?[a-zA-Z0-9._=&-]*)?(#[a-zA-Z0-9._/-]*)?$",
        "redirect_url",
    ),
];

/// A parsed character class.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Class {
    /// ASCII members.
    pub ascii: [u64; 2],
    /// Non-ASCII ranges.
    pub ranges: Vec<(u32, u32)>,
    /// `\p{L}`.
    pub letters: bool,
    /// `\p{N}`.
    pub numbers: bool,
    /// `\p{Z}`.
    pub separators: bool,
}

impl Class {
    fn add(&mut self, lo: u32, hi: u32) {
        for b in lo..=hi.min(127) {
            self.ascii[(b / 64) as usize] |= 1 << (b % 64);
        }
        if hi >= 128 {
            self.ranges.push((lo.max(128), hi));
        }
    }
}

/// The row of `rt::patterns!` for `pattern`: `custom(text, check)` for the patterns in
/// [`CUSTOM`], else `class(text, allows_empty, [ascii bits], [ranges], unicode(…))` for one
/// character class.
///
/// # Errors
/// A pattern that is neither one character class nor in [`CUSTOM`].
pub fn pattern_row(pattern: &str) -> Result<String, String> {
    let model = crate::shapes::raw(pattern);
    if let Some((_, f)) = CUSTOM.iter().find(|(p, _)| *p == pattern) {
        return Ok(format!("custom({model}, {f})"));
    }
    let (class, allow_empty) = parse_class_pattern(pattern)
        .ok_or_else(|| format!("pattern {pattern:?}: not one character class and not in CUSTOM"))?;
    let ranges: Vec<String> = class
        .ranges
        .iter()
        .map(|(lo, hi)| format!("('\\u{{{lo:x}}}', '\\u{{{hi:x}}}')"))
        .collect();
    let unicode = if class.letters || class.numbers || class.separators {
        format!(
            ", unicode({}, {}, {})",
            class.letters, class.numbers, class.separators
        )
    } else {
        String::new()
    };
    Ok(format!(
        "class({model}, {allow_empty}, [{:#018x}, {:#018x}], [{}]{unicode})",
        class.ascii[0],
        class.ascii[1],
        ranges.join(", "),
    ))
}

/// `[class]*` or `[class]+`: the class and whether empty matches.
pub fn parse_class_pattern(pattern: &str) -> Option<(Class, bool)> {
    // `^[class]+$`: the anchors say what every pattern here means (the whole value).
    let pattern = pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
        .unwrap_or(pattern);
    let inner = pattern.strip_prefix('[')?;
    let (inner, allow_empty) = match (inner.strip_suffix("]*"), inner.strip_suffix("]+")) {
        (Some(i), _) => (i, true),
        (_, Some(i)) => (i, false),
        _ => return None,
    };
    let chars: Vec<char> = inner.chars().collect();
    let mut class = Class::default();
    let mut i = 0;
    // An atom: a single character (Some) or a set escape (None, applied directly).
    let atom = |i: &mut usize, class: &mut Class| -> Option<Option<u32>> {
        let c = *chars.get(*i)?;
        *i += 1;
        if c == '[' || c == ']' || c == '^' && *i == 1 {
            return None;
        }
        if c != '\\' {
            return Some(Some(c as u32));
        }
        let e = *chars.get(*i)?;
        *i += 1;
        match e {
            'w' => {
                class.add(u32::from(b'a'), u32::from(b'z'));
                class.add(u32::from(b'A'), u32::from(b'Z'));
                class.add(u32::from(b'0'), u32::from(b'9'));
                class.add(u32::from(b'_'), u32::from(b'_'));
                Some(None)
            }
            'd' => {
                class.add(u32::from(b'0'), u32::from(b'9'));
                Some(None)
            }
            'p' => {
                let name: String = chars.get(*i..*i + 3)?.iter().collect();
                *i += 3;
                match name.as_str() {
                    "{L}" => {
                        class.add(u32::from(b'a'), u32::from(b'z'));
                        class.add(u32::from(b'A'), u32::from(b'Z'));
                        class.letters = true;
                    }
                    "{N}" => {
                        class.add(u32::from(b'0'), u32::from(b'9'));
                        class.numbers = true;
                    }
                    "{Z}" => {
                        class.add(u32::from(b' '), u32::from(b' '));
                        class.separators = true;
                    }
                    _ => return None,
                }
                Some(None)
            }
            // `\u10000`: the models mean a code point above U+FFFF; hex digits are read
            // greedily (up to six), not Java's exact four.
            'u' | 'x' => {
                let max = if e == 'u' { 6 } else { 2 };
                let mut n = 0u32;
                let mut k = 0;
                while k < max {
                    let Some(d) = chars.get(*i).and_then(|c| c.to_digit(16)) else {
                        break;
                    };
                    n = n * 16 + d;
                    *i += 1;
                    k += 1;
                }
                (k > 0).then_some(Some(n))
            }
            other => Some(Some(other as u32)),
        }
    };
    while i < chars.len() {
        let Some(first) = atom(&mut i, &mut class)? else {
            continue;
        };
        if chars.get(i) == Some(&'-') && i + 1 < chars.len() {
            i += 1;
            let last = atom(&mut i, &mut class)??;
            if last < first {
                return None;
            }
            class.add(first, last);
        } else {
            class.add(first, first);
        }
    }
    Some((class, allow_empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        let (c, empty) = parse_class_pattern(r"[\w+=,.@-]*").unwrap_or_default();
        assert!(empty);
        for b in "az09_+=,.@-AZ".bytes() {
            assert!(c.ascii[usize::from(b / 64)] >> (b % 64) & 1 == 1, "{b}");
        }
        assert!(c.ascii[0] >> b' ' & 1 == 0);
        let (c, empty) = parse_class_pattern(
            r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+",
        )
        .unwrap_or_default();
        assert!(!empty);
        assert_eq!(
            c.ranges,
            vec![
                (0x85, 0x85),
                (0xa0, 0xd7ff),
                (0xe000, 0xfffd),
                (0x10000, 0x10ffff)
            ]
        );
        assert!(parse_class_pattern(r"v[1-9][0-9]*").is_none());
        let (c, _) = parse_class_pattern(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+").unwrap_or_default();
        assert!(c.letters && c.numbers && c.separators);
        assert!(c.ascii[0] >> b'-' & 1 == 1);
    }
}

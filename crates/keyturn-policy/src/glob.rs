//! Wildcard patterns (`*` and `?`) compiled once into the cheapest matcher that fits.

/// Whether `text` matches the IAM wildcard `pattern` (`*` any run of characters, `?` one),
/// case-sensitively: what a policy's `Action` or `Resource` element does with one value.
pub fn wildcard_matches(pattern: &str, text: &str) -> bool {
    Glob::new(pattern).matches(text)
}

/// One token of a wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Literal text.
    Lit(Box<str>),
    /// `*`: any run of characters, possibly empty.
    Star,
    /// `?`: exactly one character.
    One,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Glob {
    /// `*` alone.
    Any,
    /// No wildcard.
    Exact(Box<str>),
    /// `abc*`.
    Prefix(Box<str>),
    /// `*abc`.
    Suffix(Box<str>),
    /// Anything else.
    General(Box<[Tok]>),
}

impl Glob {
    /// Compiles `pattern`, where `*` and `?` are wildcards.
    pub(crate) fn new(pattern: &str) -> Self {
        Self::from_toks(tokenize(pattern))
    }

    /// Compiles a pattern with no wildcard at all.
    pub(crate) fn exact(text: &str) -> Self {
        Self::Exact(text.into())
    }

    /// Builds the matcher from tokens.
    pub(crate) fn from_toks(toks: Vec<Tok>) -> Self {
        match toks.as_slice() {
            [] => Self::Exact("".into()),
            [Tok::Star] => Self::Any,
            [Tok::Lit(l)] => Self::Exact(l.clone()),
            [Tok::Lit(l), Tok::Star] => Self::Prefix(l.clone()),
            [Tok::Star, Tok::Lit(l)] => Self::Suffix(l.clone()),
            _ => Self::General(toks.into_boxed_slice()),
        }
    }

    /// Whether `text` matches (case-sensitive).
    pub(crate) fn matches(&self, text: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Exact(l) => text == &**l,
            Self::Prefix(l) => text.starts_with(&**l),
            Self::Suffix(l) => text.ends_with(&**l),
            Self::General(toks) => match_toks(toks, text),
        }
    }
}

/// Splits a pattern into tokens, merging runs of `*`.
pub(crate) fn tokenize(pattern: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut lit = String::new();
    for c in pattern.chars() {
        match c {
            '*' | '?' => {
                if !lit.is_empty() {
                    toks.push(Tok::Lit(std::mem::take(&mut lit).into_boxed_str()));
                }
                if c == '?' {
                    toks.push(Tok::One);
                } else if toks.last() != Some(&Tok::Star) {
                    toks.push(Tok::Star);
                }
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        toks.push(Tok::Lit(lit.into_boxed_str()));
    }
    toks
}

/// Matches tokens against `text` with the classic single-backtrack algorithm (linear in practice,
/// never exponential).
pub(crate) fn match_toks(toks: &[Tok], text: &str) -> bool {
    let mut ti = 0usize; // token index
    let mut pos = 0usize; // byte position in text
    let mut star: Option<(usize, usize)> = None; // (token after star, text position to retry)
    loop {
        if ti < toks.len() {
            match &toks[ti] {
                Tok::Star => {
                    ti += 1;
                    star = Some((ti, pos));
                    continue;
                }
                Tok::Lit(l) => {
                    if text[pos..].starts_with(&**l) {
                        pos += l.len();
                        ti += 1;
                        continue;
                    }
                }
                Tok::One => {
                    if let Some(c) = text[pos..].chars().next() {
                        pos += c.len_utf8();
                        ti += 1;
                        continue;
                    }
                }
            }
        } else if pos == text.len() {
            return true;
        }
        // Mismatch: let the last star swallow one more character.
        match star {
            Some((after, retry)) => match text[retry..].chars().next() {
                Some(c) => {
                    let next = retry + c.len_utf8();
                    star = Some((after, next));
                    ti = after;
                    pos = next;
                }
                None => return false,
            },
            None => return false,
        }
    }
}

/// Splits an ARN into its six parts: `arn`, partition, service, region, account, resource.
/// The resource part keeps any further colons.
pub(crate) fn split_arn(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    Some(parts)
}

/// An ARN pattern, pre-split, each part a wildcard pattern (`ArnLike` and `Resource` semantics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArnGlob {
    parts: [Glob; 5],
}

impl ArnGlob {
    /// Compiles an ARN pattern; `None` when it is not `arn:` followed by five colon-separated parts.
    pub(crate) fn new(pattern: &str) -> Option<Self> {
        let p = split_arn(pattern)?;
        if p[0] != "arn" {
            return None;
        }
        Some(Self {
            parts: [
                Glob::new(p[1]),
                Glob::new(p[2]),
                Glob::new(p[3]),
                Glob::new(p[4]),
                Glob::new(p[5]),
            ],
        })
    }

    /// Builds a pattern from already-tokenized parts.
    pub(crate) fn from_parts(parts: [Glob; 5]) -> Self {
        Self { parts }
    }

    /// Whether the ARN `text` matches, part by part.
    pub(crate) fn matches(&self, text: &str) -> bool {
        match split_arn(text) {
            Some(p) if p[0] == "arn" => self.parts.iter().zip(&p[1..]).all(|(g, t)| g.matches(t)),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_wildcard() {
        assert!(wildcard_matches("sts:Assume*", "sts:AssumeRole"));
        assert!(wildcard_matches("sts:AssumeRol?", "sts:AssumeRole"));
        assert!(!wildcard_matches(
            "sts:AssumeRol?",
            "sts:AssumeRoleWithSAML"
        ));
        assert!(!wildcard_matches("s3:*", "sts:AssumeRole"));
    }

    #[test]
    fn globs() {
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("a*c").matches("abbbc"));
        assert!(Glob::new("a*c").matches("ac"));
        assert!(!Glob::new("a*c").matches("acb"));
        assert!(Glob::new("a?c").matches("abc"));
        assert!(!Glob::new("a?c").matches("ac"));
        assert!(Glob::new("*a*b*").matches("xxaxxbxx"));
        assert!(!Glob::new("*a*b*").matches("xxbxxaxx"));
        assert!(Glob::new("?é").matches("aé"));
        assert!(Glob::new("*é?").matches("ééé"));
        assert!(Glob::new("pre*").matches("prefix"));
        assert!(Glob::new("*fix").matches("prefix"));
        assert!(!Glob::new("pre").matches("prefix"));
    }

    #[test]
    fn arns() {
        let g = ArnGlob::new("arn:aws:s3:::bucket/*").unwrap();
        assert!(g.matches("arn:aws:s3:::bucket/a/b:c"));
        assert!(!g.matches("arn:aws:s3:::bucket2/a"));
        let g = ArnGlob::new("arn:aws:iam::*:role/x").unwrap();
        assert!(g.matches("arn:aws:iam::123456789012:role/x"));
        // wildcards do not cross segments
        let g = ArnGlob::new("arn:aws:iam::1*2:role/x").unwrap();
        assert!(!g.matches("arn:aws:iam::1:x:2:role/x"));
        assert!(!g.matches("not-an-arn"));
    }
}

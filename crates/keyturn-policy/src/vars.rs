//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`, `${?}`, `${$}`,
//! and defaults `${aws:username, 'nobody'}`): IAM User Guide, "IAM policy elements: Variables and tags".

use crate::context::RequestContext;
use crate::glob::{ArnGlob, Glob, Tok, tokenize};

/// A piece of a value that holds variables.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Policy text; `*` and `?` in it are wildcards where the operator has them.
    Text(Box<str>),
    /// A literal character from `${*}`, `${?}` or `${$}`: never a wildcard.
    Escaped(char),
    /// A request key (lowercased), with its default.
    Var(Box<str>, Option<Box<str>>),
}

/// A value with at least one variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Box<[Part]>,
}

/// Whether `s` contains something that looks like a variable.
pub(crate) fn has_variable(s: &str) -> bool {
    s.contains("${")
}

/// The variable names in `s` as written (`${aws:username}` → `aws:username`), without the
/// escapes `${*}`, `${?}`, `${$}` and without defaults.
pub(crate) fn written_keys(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let inner_from = start + 2;
        let Some(len) = rest.get(inner_from..).and_then(|r| r.find('}')) else {
            break;
        };
        let inner = rest.get(inner_from..inner_from + len).unwrap_or_default();
        let key = inner.split_once(',').map_or(inner, |(k, _)| k).trim();
        if !matches!(key, "*" | "?" | "$" | "") {
            out.push(key);
        }
        rest = rest.get(inner_from + len + 1..).unwrap_or_default();
    }
    out
}

impl Template {
    /// A template that is plain policy text.
    pub(crate) fn text(s: &str) -> Self {
        Self {
            parts: Box::new([Part::Text(s.into())]),
        }
    }

    /// Parses `s`; `None` when it has no well-formed variable (then it is plain text).
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let mut parts = Vec::new();
        let mut rest = s;
        let mut text = String::new();
        let mut any = false;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start + 2..].find('}') else {
                break;
            };
            text.push_str(&rest[..start]);
            let inner = rest[start + 2..start + 2 + len].trim();
            rest = &rest[start + 3 + len..];
            let part = match inner {
                "*" => Part::Escaped('*'),
                "?" => Part::Escaped('?'),
                "$" => Part::Escaped('$'),
                _ => {
                    let (key, default) = match inner.split_once(',') {
                        Some((k, d)) => {
                            let d = d.trim();
                            let d = d
                                .strip_prefix('\'')
                                .and_then(|d| d.strip_suffix('\''))
                                .unwrap_or(d);
                            (k.trim(), Some(d.into()))
                        }
                        None => (inner, None),
                    };
                    Part::Var(key.to_ascii_lowercase().into_boxed_str(), default)
                }
            };
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text).into_boxed_str()));
            }
            parts.push(part);
            any = true;
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text.into_boxed_str()));
        }
        any.then(|| Self {
            parts: parts.into_boxed_slice(),
        })
    }

    /// The request keys (lowercase) the template reads.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(k, _) => Some(&**k),
            Part::Text(_) | Part::Escaped(_) => None,
        })
    }

    fn lookup<'c>(key: &str, default: Option<&'c str>, ctx: &'c RequestContext) -> Option<&'c str> {
        match ctx.get_lower(key) {
            Some([one]) => Some(one.as_str()),
            _ => default,
        }
    }

    /// The value as plain text; `None` when a variable's key is missing (the statement then does not match).
    pub(crate) fn resolve(&self, ctx: &RequestContext) -> Option<String> {
        let mut out = String::new();
        for p in &*self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Escaped(c) => out.push(*c),
                Part::Var(k, d) => out.push_str(Self::lookup(k, d.as_deref(), ctx)?),
            }
        }
        Some(out)
    }

    /// The value as wildcard tokens: policy text keeps its wildcards, substituted values do not.
    pub(crate) fn resolve_toks(&self, ctx: &RequestContext) -> Option<Vec<Tok>> {
        let mut toks: Vec<Tok> = Vec::new();
        let push_lit = |toks: &mut Vec<Tok>, s: &str| {
            if s.is_empty() {
                return;
            }
            if let Some(Tok::Lit(prev)) = toks.last_mut() {
                let mut joined = String::from(&**prev);
                joined.push_str(s);
                *prev = joined.into_boxed_str();
            } else {
                toks.push(Tok::Lit(s.into()));
            }
        };
        for p in &*self.parts {
            match p {
                Part::Text(t) => {
                    for tok in tokenize(t) {
                        match tok {
                            Tok::Lit(l) => push_lit(&mut toks, &l),
                            other => toks.push(other),
                        }
                    }
                }
                Part::Escaped(c) => push_lit(&mut toks, c.encode_utf8(&mut [0u8; 4])),
                Part::Var(k, d) => push_lit(&mut toks, Self::lookup(k, d.as_deref(), ctx)?),
            }
        }
        Some(toks)
    }

    #[cfg(test)]
    /// The value as an ARN pattern (segment by segment), `None` if a key is missing or it is no ARN.
    pub(crate) fn resolve_arn(&self, ctx: &RequestContext) -> Option<ArnGlob> {
        arn_from_toks(self.resolve_toks(ctx)?)
    }
}

/// Splits wildcard tokens into the five ARN parts after `arn:` (the last keeps its colons).
pub(crate) fn arn_from_toks(toks: Vec<Tok>) -> Option<ArnGlob> {
    let mut parts: Vec<Vec<Tok>> = vec![Vec::new()];
    for tok in toks {
        match tok {
            Tok::Lit(l) if parts.len() < 6 => {
                let mut rest: &str = &l;
                while parts.len() < 6 {
                    let Some(i) = rest.find(':') else { break };
                    if i > 0 {
                        parts.last_mut()?.push(Tok::Lit(rest[..i].into()));
                    }
                    parts.push(Vec::new());
                    rest = &rest[i + 1..];
                }
                if !rest.is_empty() {
                    parts.last_mut()?.push(Tok::Lit(rest.into()));
                }
            }
            other => parts.last_mut()?.push(other),
        }
    }
    if parts.len() != 6 || parts[0] != [Tok::Lit("arn".into())] {
        return None;
    }
    let mut it = parts.into_iter().skip(1).map(Glob::from_toks);
    Some(ArnGlob::from_parts([
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Principal;

    fn ctx() -> RequestContext {
        let p = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
        RequestContext::new(p, "s3:GetObject", "arn:aws:s3:::b/alice/x")
            .with("aws:PrincipalTag/team", "a*b")
    }

    #[test]
    fn resolves() {
        let t = Template::parse("home/${aws:username}/${*}").unwrap();
        assert_eq!(t.resolve(&ctx()).unwrap(), "home/alice/*");
        assert!(Template::parse("plain").is_none());
        assert!(
            Template::parse("${aws:missing}")
                .unwrap()
                .resolve(&ctx())
                .is_none()
        );
        assert_eq!(
            Template::parse("${aws:missing, 'd'}")
                .unwrap()
                .resolve(&ctx())
                .unwrap(),
            "d"
        );
        // substituted values are literal, not wildcards
        let toks = Template::parse("${aws:PrincipalTag/team}")
            .unwrap()
            .resolve_toks(&ctx())
            .unwrap();
        assert!(!Glob::from_toks(toks.clone()).matches("aXb"));
        assert!(Glob::from_toks(toks).matches("a*b"));
        let arn = Template::parse("arn:aws:s3:::b/${aws:username}/*")
            .unwrap()
            .resolve_arn(&ctx())
            .unwrap();
        assert!(arn.matches("arn:aws:s3:::b/alice/x"));
        assert!(!arn.matches("arn:aws:s3:::b/bob/x"));
    }
}

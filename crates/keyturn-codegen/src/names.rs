//! Rust names from the model's names.

/// Splits `name` into words: before an uppercase letter that follows a lowercase letter or a
/// digit, and before the last uppercase of an uppercase run followed by a lowercase letter
/// (`OpenIDConnect` → `Open ID Connect`). A run followed by a lone plural `s` keeps it
/// (`PolicyARNs` → `Policy ARNs`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let split = if !c.is_ascii_uppercase() {
            false
        } else {
            match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => {
                    next.is_some_and(|n| n.is_ascii_lowercase()) && !plural_s(&chars, i + 1)
                }
                _ => false,
            }
        };
        if split && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c == '_' || c == '-' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether `chars[i]` is an `s` ending the word (end of name or an uppercase letter after it).
fn plural_s(chars: &[char], i: usize) -> bool {
    chars.get(i) == Some(&'s') && chars.get(i + 1).is_none_or(|c| c.is_ascii_uppercase())
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// `RoleArn` → `role_arn`; keywords get a trailing `_` (`type_`).
pub fn snake(name: &str) -> String {
    let s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if KEYWORDS.contains(&s.as_str()) {
        s + "_"
    } else {
        s
    }
}

/// `arnType` → `ARN_TYPE`.
pub fn upper_snake(name: &str) -> String {
    snake(name).trim_end_matches('_').to_ascii_uppercase()
}

/// `name` with its first character mapped by `f`.
fn map_first(name: &str, f: fn(&char) -> char) -> String {
    let mut c = name.chars();
    c.next()
        .map(|first| f(&first).to_string() + c.as_str())
        .unwrap_or_default()
}

/// A shape's struct name: the first letter uppercased.
pub fn type_name(shape: &str) -> String {
    map_first(shape, char::to_ascii_uppercase)
}

/// A wire code as a Rust type name: `IDPRejectedClaim` → `IdpRejectedClaim`.
pub fn camel(code: &str) -> String {
    words(code)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            type_name(&lower)
        })
        .collect()
}

/// AWS's lower-camel member name in messages: the first character lowercased.
pub fn lower_camel(name: &str) -> String {
    map_first(name, char::to_ascii_lowercase)
}

/// The first sentence of a model documentation string, HTML tags stripped, one line.
pub fn first_sentence(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            _ => text.push(c),
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let text: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".")
        .replace(" ,", ",");
    let sentence = match text.find(". ") {
        Some(i) => &text[..=i],
        None => text.as_str(),
    };
    // Brackets and backticks read as links or code in rustdoc: keep the text plain.
    sentence
        .replace(['[', ']'], "")
        .replace('`', "'")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases() {
        for (from, to) in [
            ("RoleArn", "role_arn"),
            ("SAMLAssertion", "saml_assertion"),
            ("PolicyARNs", "policy_arns"),
            ("MFADevices", "mfa_devices"),
            ("OpenIDConnectProviderList", "open_id_connect_provider_list"),
            ("Type", "type_"),
            ("Base32StringSeed", "base32_string_seed"),
            ("QRCodePNG", "qr_code_png"),
            ("arn", "arn"),
        ] {
            assert_eq!(snake(from), to, "{from}");
        }
        assert_eq!(camel("IDPRejectedClaim"), "IdpRejectedClaim");
        assert_eq!(camel("NoSuchEntity"), "NoSuchEntity");
        assert_eq!(
            camel("InvalidAuthorizationMessageException"),
            "InvalidAuthorizationMessageException"
        );
        assert_eq!(upper_snake("arnType"), "ARN_TYPE");
    }

    #[test]
    fn docs() {
        assert_eq!(
            first_sentence("<p>Returns a set. Of things.</p>"),
            "Returns a set."
        );
    }
}

//! Finds the line of a field path in the configuration text, for errors found after parsing
//! (the parsed model has no positions). Best effort: block-style YAML is followed key by key and
//! list item by list item; flow style and JSON fall back to the nearest key found.

/// One step of a field path.
#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// Whether `line` holds the mapping key `key` (plain or quoted, block or flow style).
fn has_key(line: &str, key: &str) -> bool {
    for quote in ["", "\"", "'"] {
        let needle = format!("{quote}{key}{quote}");
        let mut from = 0;
        while let Some(found) = line.get(from..).and_then(|rest| rest.find(&needle)) {
            let start = from + found;
            let end = start + needle.len();
            let before_ok = line[..start]
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-' | '\t'));
            let after_ok = line[end..].trim_start().starts_with(':');
            if before_ok && after_ok {
                return true;
            }
            from = end;
        }
    }
    false
}

/// The 1-based line of `path` in `text`, as best found.
pub(crate) fn line_of(text: &str, path: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut current: Option<usize> = None;
    let mut scope_indent: usize = 0;
    for segment in segments(path) {
        let start = current.map_or(0, |c| c + 1);
        match segment {
            Segment::Key(key) => {
                // A key on the item line itself (`- name: x`) counts too.
                let first = current.filter(|&c| lines.get(c).is_some_and(|l| has_key(l, key)));
                let found = first.or_else(|| {
                    (start..lines.len())
                        .find(|&i| {
                            let line = lines[i];
                            if current.is_some() && is_content(line) && indent(line) < scope_indent
                            {
                                return false;
                            }
                            has_key(line, key)
                        })
                        .filter(|&i| {
                            // Do not leave the enclosing block.
                            current.is_none()
                                || !(start..i).any(|j| {
                                    is_content(lines[j]) && indent(lines[j]) < scope_indent
                                })
                        })
                });
                match found {
                    Some(i) => {
                        current = Some(i);
                        let l = lines[i];
                        scope_indent =
                            indent(l) + usize::from(l.trim_start().starts_with("- ")) * 2;
                    }
                    None => return current.map(|c| c + 1),
                }
            }
            Segment::Index(n) => {
                let Some(first) = (start..lines.len()).find(|&i| is_content(lines[i])) else {
                    return current.map(|c| c + 1);
                };
                if !lines[first].trim_start().starts_with('-') {
                    // Flow or JSON list: stay on the key's line.
                    continue;
                }
                let item_indent = indent(lines[first]);
                let mut seen = 0;
                let mut found = None;
                for (i, line) in lines.iter().enumerate().skip(first) {
                    if !is_content(line) {
                        continue;
                    }
                    if indent(line) < item_indent {
                        break;
                    }
                    if indent(line) == item_indent && line.trim_start().starts_with('-') {
                        if seen == n {
                            found = Some(i);
                            break;
                        }
                        seen += 1;
                    }
                }
                match found {
                    Some(i) => {
                        current = Some(i);
                        scope_indent = item_indent + 2;
                    }
                    None => return current.map(|c| c + 1),
                }
            }
        }
    }
    current.map(|c| c + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
accounts:
  - id: \"111111111111\"
    users:
      - name: bob
  - id: \"222222222222\"
    users:
      - name: alice
        access_keys:
          - id: AKIA1
            secret: s
          - {id: AKIA2, secret: s}
        tags: {team: web}
";

    #[test]
    fn follows_keys_and_items() {
        assert_eq!(line_of(TEXT, "accounts[0].id"), Some(2));
        assert_eq!(line_of(TEXT, "accounts[1].id"), Some(5));
        assert_eq!(line_of(TEXT, "accounts[1].users[0].name"), Some(7));
        assert_eq!(
            line_of(TEXT, "accounts[1].users[0].access_keys[0].id"),
            Some(9)
        );
        assert_eq!(
            line_of(TEXT, "accounts[1].users[0].access_keys[0].secret"),
            Some(10)
        );
        assert_eq!(
            line_of(TEXT, "accounts[1].users[0].access_keys[1].id"),
            Some(11)
        );
        assert_eq!(line_of(TEXT, "accounts[1].users[0].tags.team"), Some(12));
        assert_eq!(line_of(TEXT, "accounts[0].users[0].name"), Some(4));
        assert_eq!(line_of(TEXT, "nothing"), None);
    }

    #[test]
    fn paths_split_into_segments() {
        assert_eq!(
            segments("accounts[1].users[0].id"),
            [
                Segment::Key("accounts"),
                Segment::Index(1),
                Segment::Key("users"),
                Segment::Index(0),
                Segment::Key("id")
            ]
        );
    }
}

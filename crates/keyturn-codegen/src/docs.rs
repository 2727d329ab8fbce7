//! The error table outside Rust: `docs/errors.md` and the Python binding's exception classes,
//! each between a pair of marker lines that the generator owns (the rest is hand-written).

use std::path::{Path, PathBuf};

use crate::errors::ErrorRow;

/// `docs/errors.md`, relative to the workspace root.
pub const ERRORS_MD: &str = "docs/errors.md";
/// The Python binding's exception module.
pub const ERRORS_PY: &str = "bindings/python/python/keyturn/errors.py";
/// The Python package's `__init__.py` (it re-exports every class).
pub const INIT_PY: &str = "bindings/python/python/keyturn/__init__.py";

const MD: (&str, &str) = (
    "<!-- generated:errors:start -->",
    "<!-- generated:errors:end -->",
);
const PY: (&str, &str) = ("# generated:errors:start", "# generated:errors:end");

/// Replaces the lines between the marker lines (both kept) with `body`.
///
/// # Errors
/// A marker missing or out of order.
pub fn splice(text: &str, (start, end): (&str, &str), body: &str) -> Result<String, String> {
    let s = text
        .find(start)
        .ok_or_else(|| format!("marker {start:?} missing"))?;
    let after_start = text[s..].find('\n').map_or(text.len(), |i| s + i + 1);
    let e = text[after_start..]
        .find(end)
        .map(|i| after_start + i)
        .ok_or_else(|| format!("marker {end:?} missing after {start:?}"))?;
    // The end marker's line starts at its first character (markers begin their lines).
    Ok(format!("{}{body}{}", &text[..after_start], &text[e..]))
}

/// The files of the error table outside Rust that exist under `root`: (path, new text).
///
/// # Errors
/// A file without its markers.
pub fn files(root: &Path, rows: &[ErrorRow]) -> Result<Vec<(PathBuf, String)>, String> {
    let mut out = Vec::new();
    if let Ok(text) = std::fs::read_to_string(root.join(ERRORS_MD)) {
        let text = splice(&text, MD, &markdown(rows)).map_err(|e| format!("{ERRORS_MD}: {e}"))?;
        out.push((PathBuf::from(ERRORS_MD), text));
    }
    if let Ok(text) = std::fs::read_to_string(root.join(ERRORS_PY)) {
        let hand = hand_classes(&text);
        let generated: Vec<&ErrorRow> = rows.iter().filter(|r| !hand.contains(&r.code)).collect();
        let body = python(&hand, &generated, rows);
        let text = splice(&text, PY, &body).map_err(|e| format!("{ERRORS_PY}: {e}"))?;
        out.push((PathBuf::from(ERRORS_PY), text));
        if let Ok(init) = std::fs::read_to_string(root.join(INIT_PY)) {
            let names: Vec<&str> = generated.iter().map(|r| r.code.as_str()).collect();
            let init =
                splice(&init, PY, &init_body(&names)).map_err(|e| format!("{INIT_PY}: {e}"))?;
            out.push((PathBuf::from(INIT_PY), init));
        }
    }
    Ok(out)
}

fn markdown(rows: &[ErrorRow]) -> String {
    let mut s = String::from(
        "Every code of `keyturn_api::ErrorCode`, from the STS and IAM models and AWS's common errors \
         (written by keyturn-codegen: do not edit between the markers).\n\n\
         | code | `ErrorCode` variant | HTTP | fault | defined by |\n|---|---|---|---|---|\n",
    );
    for r in rows {
        let by: Vec<&str> = r
            .statuses
            .keys()
            .map(|k| match k.as_str() {
                "Sts" => "STS",
                "Iam" => "IAM",
                _ => "common",
            })
            .collect();
        s.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} |\n",
            r.code,
            r.variant,
            r.status(),
            if r.sender { "Sender" } else { "Receiver" },
            by.join(", ")
        ));
    }
    s
}

/// The classes defined by hand outside the markers, in file order.
fn hand_classes(text: &str) -> Vec<String> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with(PY.0) {
            inside = true;
        } else if line.starts_with(PY.1) {
            inside = false;
        } else if !inside
            && let Some(rest) = line.strip_prefix("class ")
            && let Some((name, _)) = rest.split_once('(')
        {
            out.push(name.to_owned());
        }
    }
    out
}

fn python(hand: &[String], generated: &[&ErrorRow], rows: &[ErrorRow]) -> String {
    let mut s = String::from(
        "# (written by keyturn-codegen from the error table: do not edit until the end marker)\n",
    );
    for r in generated {
        let doc = r.doc.replace('\\', "\\\\").replace("\"\"\"", "'''");
        s.push_str(&format!(
            "\n\nclass {}(KeyturnError):\n    \"\"\"{}\"\"\"\n\n    code = \"{}\"\n",
            r.code,
            wrap(&doc, 96),
            r.code
        ));
    }
    s.push_str("\n\n#: Every class, by code below.\n_CLASSES: List[Type[KeyturnError]] = [\n");
    for h in hand.iter().filter(|h| *h != "KeyturnError") {
        s.push_str(&format!("    {h},\n"));
    }
    for r in generated {
        s.push_str(&format!("    {},\n", r.code));
    }
    s.push_str(
        "]\n\n#: The HTTP status of each AWS error code.\nHTTP_STATUS: Dict[str, int] = {\n",
    );
    for r in rows {
        s.push_str(&format!("    \"{}\": {},\n", r.code, r.status()));
    }
    s.push_str("}\n");
    s
}

/// `text` wrapped at `width` columns for a docstring indented by four spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut col = 7; // `    """`
    for word in text.split(' ') {
        if col + word.len() + 1 > width && !out.is_empty() {
            out.push_str("\n    ");
            col = 4;
        } else if !out.is_empty() {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
    out
}

fn init_body(names: &[&str]) -> String {
    let mut s = String::from(
        "# (written by keyturn-codegen: the exception classes of the error table without a hand-written class)\nfrom keyturn.errors import (  # noqa: E402\n",
    );
    for n in names {
        s.push_str(&format!("    {n},\n"));
    }
    s.push_str(")\n\n__all__ += [\n");
    for n in names {
        s.push_str(&format!("    \"{n}\",\n"));
    }
    s.push_str("]\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_between_the_markers_only() {
        let text = "a\n<!-- generated:errors:start -->\nold\n<!-- generated:errors:end -->\nb\n";
        assert_eq!(
            splice(text, MD, "new\n").unwrap(),
            "a\n<!-- generated:errors:start -->\nnew\n<!-- generated:errors:end -->\nb\n"
        );
        assert!(splice("a\n", MD, "x").unwrap_err().contains("missing"));
        let reversed = "<!-- generated:errors:end -->\n<!-- generated:errors:start -->\n";
        assert!(splice(reversed, MD, "x").is_err());
    }

    #[test]
    fn hand_classes_skip_the_generated_part() {
        let text = "class A(KeyturnError):\n    pass\n# generated:errors:start\nclass B(KeyturnError):\n# generated:errors:end\nclass C(A):\n";
        assert_eq!(hand_classes(text), vec!["A", "C"]);
        assert_eq!(wrap("aa bb cc", 12), "aa bb\n    cc");
    }
}

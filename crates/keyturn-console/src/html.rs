//! HTML output: escaping, and the page around each view.
//!
//! Every text that comes from the model, a request or a policy goes through [`esc`] (element
//! content and quoted attribute values alike), so that a role name or a policy document can never
//! add markup; the pages carry no inline script (the Content-Security-Policy forbids it).

use std::fmt::Write;

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by their character references: safe in element
/// content and in a quoted attribute value.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_esc(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`esc`] does.
pub fn push_esc(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The sections of the console, as the navigation lists them: path and title.
pub const SECTIONS: &[(&str, &str)] = &[
    ("/model", "Model"),
    ("/graph", "Trust graph"),
    ("/audit", "Live audit"),
    ("/simulate", "Policy simulator"),
];

/// Who is signed in, as the page header shows it.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    /// The principal's ARN.
    pub arn: &'a str,
    /// The session's CSRF token (for the sign-out form); `None` for a signed request.
    pub csrf: Option<&'a str>,
}

/// A whole page: the head, the navigation (when someone is signed in) and `body` (already HTML).
pub fn page(title: &str, active: &str, viewer: Option<Viewer<'_>>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(out, "<title>{} · Keyturn console</title>", esc(title));
    out.push_str("<link rel=\"stylesheet\" href=\"/assets/console.css\">");
    out.push_str("<script src=\"/assets/console.js\" defer></script></head><body>");
    out.push_str("<header><span class=\"brand\">Keyturn console</span>");
    if let Some(v) = viewer {
        out.push_str("<nav>");
        for (path, name) in SECTIONS {
            let class = if *path == active {
                " class=\"active\""
            } else {
                ""
            };
            let _ = write!(out, "<a href=\"{path}\"{class}>{name}</a>");
        }
        out.push_str("</nav><span class=\"who\">");
        let _ = write!(out, "<span id=\"viewer\">{}</span>", esc(v.arn));
        if let Some(csrf) = v.csrf {
            let _ = write!(
                out,
                "<form method=\"post\" action=\"/signout\" class=\"inline\">\
                 <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                 <button type=\"submit\">Sign out</button></form>",
                esc(csrf)
            );
        }
        out.push_str("</span>");
    }
    out.push_str("</header><main>");
    let _ = write!(out, "<h1>{}</h1>", esc(title));
    out.push_str(body);
    out.push_str("</main></body></html>\n");
    out
}

/// A table: `head` cells, then rows of cells that are already HTML.
pub fn table<I, R>(class: &str, head: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let mut out = format!("<table class=\"{}\"><thead><tr>", esc(class));
    for h in head {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// A policy document, pretty-printed when it is JSON, escaped in a `<pre>`.
pub fn policy(text: &str) -> String {
    let pretty = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned());
    format!("<pre class=\"policy\">{}</pre>", esc(&pretty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(esc("plain-Name_1"), "plain-Name_1");
    }

    #[test]
    fn a_page_escapes_its_title_and_viewer() {
        let html = page(
            "<b>t</b>",
            "/model",
            Some(Viewer {
                arn: "arn:aws:iam::1:user/<i>",
                csrf: Some("\"tok"),
            }),
            "<p>body</p>",
        );
        assert!(html.contains("<h1>&lt;b&gt;t&lt;/b&gt;</h1>"));
        assert!(html.contains("arn:aws:iam::1:user/&lt;i&gt;"));
        assert!(html.contains("value=\"&quot;tok\""));
        assert!(!html.contains("<i>"));
        assert!(html.contains("<a href=\"/model\" class=\"active\">Model</a>"));
    }

    #[test]
    fn a_policy_is_pretty_printed_and_escaped() {
        let html = policy(r#"{"Sid":"</pre><script>"}"#);
        assert!(html.contains("&lt;/pre&gt;&lt;script&gt;"));
        assert!(html.starts_with("<pre class=\"policy\">{\n"));
        assert_eq!(
            policy("not json <x>"),
            "<pre class=\"policy\">not json &lt;x&gt;</pre>"
        );
    }
}

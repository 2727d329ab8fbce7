//! The Query protocol's response side: XML in the service's namespace, laid out as AWS sends it.
//!
//! One element per line, indented two spaces per level; text is escaped (`& < > " '` and CR),
//! characters XML 1.0 cannot carry become U+FFFD; timestamps are ISO-8601 UTC with second
//! precision (`2026-11-28T12:00:00Z`), as STS sends them; blobs are base64.

use std::fmt::Write as _;

use time::{OffsetDateTime, UtcOffset};

use crate::{ErrorCode, Output, Service};

/// A newline and enough spaces for the deepest indentation; sliced per line.
const INDENT: &str = concat!(
    "\n",
    "                                                                                ",
    "                                                                                "
);

/// Writes one XML document into a `String`, element by element (no intermediate tree).
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    /// A writer whose next element is at `depth` (2 for the members of `<XResult>`).
    pub fn new(capacity: usize, depth: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            depth,
        }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    fn indent(&mut self) {
        if !self.out.is_empty() {
            let n = (1 + 2 * self.depth).min(INDENT.len());
            self.out.push_str(INDENT.get(..n).unwrap_or("\n"));
        }
    }

    /// `<name>` on its own line; what follows is one level deeper.
    pub fn open(&mut self, name: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.depth += 1;
    }

    /// `</name>` on its own line, one level up.
    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name/>`: an empty element (an empty required list).
    pub fn empty(&mut self, name: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str("/>");
    }

    fn start_leaf(&mut self, name: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    fn end_leaf(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name>text</name>`, the text escaped.
    pub fn leaf(&mut self, name: &str, text: &str) {
        self.start_leaf(name);
        push_escaped(&mut self.out, text);
        self.end_leaf(name);
    }

    /// `<name>n</name>`.
    pub fn int(&mut self, name: &str, value: i64) {
        self.start_leaf(name);
        push_int(&mut self.out, value);
        self.end_leaf(name);
    }

    /// `<name>true</name>` or `false`.
    pub fn bool(&mut self, name: &str, value: bool) {
        self.leaf(name, if value { "true" } else { "false" });
    }

    /// `<name>2026-12-06T12:00:00Z</name>`.
    pub fn time(&mut self, name: &str, value: OffsetDateTime) {
        self.start_leaf(name);
        push_iso8601(&mut self.out, value);
        self.end_leaf(name);
    }

    /// `<name>base64</name>`.
    pub fn blob(&mut self, name: &str, value: &[u8]) {
        self.start_leaf(name);
        push_base64(&mut self.out, value);
        self.end_leaf(name);
    }

    /// Text without an element (escaped), for a caller's own layout.
    pub fn text(&mut self, text: &str) {
        push_escaped(&mut self.out, text);
    }

    /// Unescaped markup, for a caller's own layout.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }
}

/// Whether byte `b` may need escaping or replacing: the five markup characters, CR, C0
/// controls other than tab and LF, and 0xEF (the lead byte of U+FFFE and U+FFFF).
#[inline]
fn special(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\r' | 0xef)
        || (b < 0x20 && b != b'\t' && b != b'\n')
}

/// Appends `value` in decimal (on every response with a size or a count: digits by hand, not
/// through `core::fmt`).
fn push_int(out: &mut String, value: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = value.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if value < 0 {
        out.push('-');
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Appends `text` escaped for XML; characters XML 1.0 cannot carry become U+FFFD.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    // Copy runs of plain characters at once; session tokens are ~1 KB of base64.
    let bytes = text.as_bytes();
    // A fold without early exit vectorises: the usual text has nothing to escape.
    if !bytes.iter().fold(false, |any, &b| any | special(b)) {
        out.push_str(text);
        return;
    }
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let entity = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            '\r' => "&#xD;",
            '\t' | '\n' => continue,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => "\u{fffd}",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or_default());
        out.push_str(entity);
        start = i + c.len_utf8();
    }
    out.push_str(text.get(start..).unwrap_or_default());
}

/// Appends `t` as ISO-8601 UTC with whole seconds (`2026-11-28T12:00:00Z`).
pub fn push_iso8601(out: &mut String, t: OffsetDateTime) {
    let t = t.to_offset(UtcOffset::UTC);
    // A year of four digits goes in the text; another (only with extreme clocks) before it.
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999);
    let mut text = *b"0000-00-00T00:00:00Z";
    let fields = [
        (0, 4, year.unwrap_or(0)),
        (5, 2, u32::from(u8::from(t.month()))),
        (8, 2, u32::from(t.day())),
        (11, 2, u32::from(t.hour())),
        (14, 2, u32::from(t.minute())),
        (17, 2, u32::from(t.second())),
    ];
    for (at, width, mut value) in fields {
        for slot in text[at..at + width].iter_mut().rev() {
            // `value % 10` is a single digit.
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    // ASCII by construction.
    let text = std::str::from_utf8(&text).unwrap_or_default();
    if year.is_some() {
        out.push_str(text);
    } else {
        let _ = write!(out, "{:04}", t.year());
        out.push_str(text.get(4..).unwrap_or_default());
    }
}

/// Appends standard base64 (with padding).
pub(crate) fn push_base64(out: &mut String, data: &[u8]) {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode_string(data, out);
}

/// The full success document: `<XResponse xmlns=…>`, `<XResult>` with `out`'s members, and
/// `<ResponseMetadata><RequestId>`.
pub fn response_document<O: Output>(
    service: Service,
    action: &str,
    out: &O,
    request_id: &str,
) -> String {
    let mut w = XmlWriter::begin_response(1536, service, action, O::has_result());
    out.write_xml(&mut w);
    w.end_response(action, O::has_result(), request_id)
}

impl XmlWriter {
    /// Starts `action`'s success document in `service`'s namespace in a buffer of `capacity`:
    /// `<XResponse xmlns=…>` and, with `result` (an action whose model has an output),
    /// `<XResult>`. The writer is then where the result's members go.
    pub fn begin_response(capacity: usize, service: Service, action: &str, result: bool) -> Self {
        let mut w = Self::new(capacity, 2);
        w.raw("<");
        w.raw(action);
        w.raw("Response xmlns=\"");
        w.raw(service.xml_namespace());
        w.raw("\">");
        if result {
            w.raw("\n  <");
            w.raw(action);
            w.raw("Result>");
        }
        w
    }

    /// Ends the document [`XmlWriter::begin_response`] began (with the same `action` and
    /// `result`): `</XResult>`, `<ResponseMetadata><RequestId>`, `</XResponse>`.
    pub fn end_response(mut self, action: &str, result: bool, request_id: &str) -> String {
        if result {
            self.raw("\n  </");
            self.raw(action);
            self.raw("Result>");
        }
        self.raw("\n  <ResponseMetadata>\n    <RequestId>");
        self.text(request_id);
        self.raw("</RequestId>\n  </ResponseMetadata>\n</");
        self.raw(action);
        self.raw("Response>\n");
        self.finish()
    }
}

/// The error document: `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error>
/// <RequestId/></ErrorResponse>`, one element per line.
pub fn error_document(
    service: Service,
    code: ErrorCode,
    message: &str,
    request_id: &str,
) -> String {
    error_document_with(service, code, message, [], request_id)
}

/// [`error_document`] with the error's members after the message, one element each (name,
/// text): the members of the model's error shape ([`ErrorCode::members`], e.g. `<reason>`), an
/// authorization denial's `<EncodedAuthorizationMessage>`.
pub fn error_document_with<'a>(
    service: Service,
    code: ErrorCode,
    message: &str,
    members: impl IntoIterator<Item = (&'a str, &'a str)>,
    request_id: &str,
) -> String {
    let mut w = XmlWriter::new(256 + message.len(), 0);
    w.raw("<ErrorResponse xmlns=\"");
    w.raw(service.xml_namespace());
    w.raw("\">");
    w.depth = 1;
    w.open("Error");
    w.leaf("Type", code.fault());
    w.leaf("Code", code.code());
    w.leaf("Message", message);
    for (name, text) in members {
        w.leaf(name, text);
    }
    w.close("Error");
    w.leaf("RequestId", request_id);
    w.raw("\n</ErrorResponse>\n");
    w.out
}

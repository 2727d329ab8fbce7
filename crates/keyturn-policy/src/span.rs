//! Where each statement sits in a policy's text, as submitted.
//!
//! IAM's policy simulator reports every matched statement with a `StartPosition` and an
//! `EndPosition` (1-based line and column) in the document the caller gave. `serde_json` keeps no
//! positions for values, so this is a small scanner over the text: it follows strings (with their
//! escapes) and brackets, finds the top-level `Statement` member, and records each statement
//! object's braces. It only runs when positions are asked for, never on the authorization path.
//!
//! What the simulator calls the start is not the statement's `{` itself. Recorded responses show
//! the position just after the JSON token that precedes the statement: after the `[` for the first
//! statement of an array, after the previous statement's `}` for the others (the `,` is not
//! counted), and after the statement's own `{` when `Statement` is a single object; the end is
//! just after the statement's `}`. That is where a streaming parser stands after reading those
//! tokens. The evidence: the AWS CLI example for `simulate-custom-policy` (one-line
//! `"Statement":{...}`, `{` at column 37 and `}` at 166, reported 38 and 167); a recorded
//! `SimulateCustomPolicy` with a two-statement bucket policy (first `{` at 38 right after `[` at
//! 37, reported 38; second statement after a `}` at 247, reported 248; ends one past each `}`);
//! `AdministratorAccess` reported from line 3 column 17 (just after `"Statement": [`) to line
//! 8 column 6 (just after the indented `}`) although its `{` is on line 4; and the
//! `SimulatePrincipalPolicy` API reference's first example, a multi-line input policy reported
//! from line 3 column 16 (after `  "Statement":{`) to line 7 column 4 (after `  }`). Both the
//! braces and the simulator's positions are kept, so callers can choose.

/// A position in a policy text: 1-based line and 1-based column, in characters.
///
/// A line ends at `\n`, `\r\n` or a lone `\r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct TextPosition {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1.
    pub column: u32,
}

impl TextPosition {
    /// Line `line`, column `column`.
    pub const fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// Where one statement sits in the text of its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct StatementSpan {
    /// The statement's opening `{`.
    pub open: TextPosition,
    /// The statement's closing `}`.
    pub close: TextPosition,
    /// IAM's simulator's `StartPosition`: just after the token before the statement (see the
    /// module documentation).
    pub simulator_start: TextPosition,
    /// IAM's simulator's `EndPosition`: just after the closing `}`.
    pub simulator_end: TextPosition,
}

/// The spans of the statements of `text`, in document order (the order of
/// [`crate::PolicyDocument::statements`] and of statement indices in matches).
///
/// Empty when the text has no top-level `Statement` member holding an object or an array of
/// objects, or is not well-formed JSON where the scanner looks. With several `Statement` members
/// the last counts, as in the parsed document.
pub fn statement_spans(text: &str) -> Vec<StatementSpan> {
    let mut s = Scanner::new(text);
    s.spans().unwrap_or_default()
}

struct Scanner<'t> {
    chars: std::iter::Peekable<std::str::Chars<'t>>,
    /// The position of the next character.
    next: TextPosition,
    /// The position just after the last character consumed.
    after_last: TextPosition,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            chars: text.chars().peekable(),
            next: TextPosition::new(1, 1),
            after_last: TextPosition::new(1, 1),
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        let at = self.next;
        self.after_last = TextPosition::new(at.line, at.column.saturating_add(1));
        match c {
            '\n' => self.next = TextPosition::new(at.line.saturating_add(1), 1),
            '\r' => {
                if self.chars.peek() == Some(&'\n') {
                    // `\r\n` is one line end: the `\n` is consumed with it.
                    self.chars.next();
                }
                self.next = TextPosition::new(at.line.saturating_add(1), 1);
            }
            _ => self.next = TextPosition::new(at.line, at.column.saturating_add(1)),
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while matches!(self.chars.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.bump();
        }
    }

    fn expect(&mut self, want: char) -> Option<()> {
        self.skip_ws();
        (self.bump()? == want).then_some(())
    }

    /// A string whose opening quote is next; returns its raw (unescaped-enough) content.
    fn string(&mut self) -> Option<String> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            match self.bump()? {
                '"' => return Some(out),
                '\\' => {
                    let e = self.bump()?;
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'u' => {
                            let mut code = 0u32;
                            for _ in 0..4 {
                                code = code * 16 + self.bump()?.to_digit(16)?;
                            }
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        other => other,
                    });
                }
                c => out.push(c),
            }
        }
    }

    /// Skips one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match *self.chars.peek()? {
            '"' => self.string().map(drop),
            '{' | '[' => {
                let mut depth = 0usize;
                loop {
                    match *self.chars.peek()? {
                        '"' => {
                            self.string()?;
                            continue;
                        }
                        '{' | '[' => depth += 1,
                        '}' | ']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.bump();
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.bump();
                }
            }
            _ => {
                while !matches!(
                    self.chars.peek(),
                    None | Some(',' | '}' | ']' | ' ' | '\t' | '\n' | '\r')
                ) {
                    self.bump();
                }
                Some(())
            }
        }
    }

    /// One statement object, `{` next; `lead` is the position after the token before it.
    fn statement(&mut self, lead: Option<TextPosition>) -> Option<StatementSpan> {
        self.skip_ws();
        if self.chars.peek() != Some(&'{') {
            return None;
        }
        let open = self.next;
        self.skip_value()?;
        let close = TextPosition::new(
            self.after_last.line,
            self.after_last.column.saturating_sub(1),
        );
        Some(StatementSpan {
            open,
            close,
            // A lone statement object: the simulator counts from just after its `{`.
            simulator_start: lead.unwrap_or(TextPosition::new(open.line, open.column + 1)),
            simulator_end: self.after_last,
        })
    }

    fn statement_value(&mut self) -> Option<Vec<StatementSpan>> {
        self.skip_ws();
        match *self.chars.peek()? {
            '{' => Some(vec![self.statement(None)?]),
            '[' => {
                self.bump();
                let mut out = Vec::new();
                loop {
                    let lead = self.after_last;
                    self.skip_ws();
                    match *self.chars.peek()? {
                        ']' => {
                            self.bump();
                            return Some(out);
                        }
                        ',' => {
                            // The simulator's start ignores the comma: `lead` is still just after
                            // the previous statement's `}`.
                            self.bump();
                            out.push(self.statement(Some(lead))?);
                        }
                        _ => out.push(self.statement(Some(lead))?),
                    }
                }
            }
            _ => None,
        }
    }

    fn spans(&mut self) -> Option<Vec<StatementSpan>> {
        self.expect('{')?;
        let mut found = None;
        loop {
            self.skip_ws();
            match *self.chars.peek()? {
                '}' => return found,
                ',' => {
                    self.bump();
                }
                _ => {
                    let key = self.string()?;
                    self.expect(':')?;
                    if key == "Statement" {
                        found = Some(self.statement_value()?);
                    } else {
                        self.skip_value()?;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;

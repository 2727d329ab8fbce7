//! How commands print a result: a readable table (the default) or JSON (`--format json`, also
//! spelled `--output json`), and the exit status that goes with it.

use std::process::ExitCode;

/// The form of a command's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// One JSON document for scripts.
    Json,
}

/// The `--format` option every command that prints a result takes.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct FormatArg {
    /// How to print the result.
    #[arg(long, visible_alias = "output", value_enum, default_value_t)]
    pub format: Format,
}

/// What a command prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Exit status.
    pub code: u8,
    /// Text for stdout.
    pub stdout: String,
    /// Text for stderr.
    pub stderr: String,
}

impl Outcome {
    /// Exit status `code` with `stdout`.
    pub fn printed(code: u8, stdout: String) -> Self {
        Self {
            code,
            stdout,
            stderr: String::new(),
        }
    }

    /// Exit status `code` with `error: MESSAGE` on stderr.
    pub fn error(code: u8, message: impl std::fmt::Display) -> Self {
        Self {
            code,
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
        }
    }

    /// Prints the texts and gives the exit status.
    pub fn finish(self) -> ExitCode {
        print!("{}", self.stdout);
        eprint!("{}", self.stderr);
        ExitCode::from(self.code)
    }
}

/// `value` as pretty JSON and a newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// `rows` under `headers`, each column as wide as its widest cell, two spaces apart (the last
/// column unpadded).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let last = row.len().saturating_sub(1);
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i == last {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let t = table(
            &["A", "LONGER"],
            &[vec!["wide cell".to_owned(), "x".to_owned()]],
        );
        assert_eq!(t, "A          LONGER\nwide cell  x\n");
    }
}

//! [`ApiError`]: an AWS error code and AWS's message text; [`ErrorCode`]'s table is generated
//! (`src/generated/errors.rs`, one row per code through [`error_codes!`]), its reading here.

use crate::Service;
pub use crate::generated::errors::ErrorCode;

/// A row of the code table: the wire code, the defining model's HTTP status, whether the
/// caller is at fault, the defining models (none for AWS's common errors).
type Row = (&'static str, u16, bool, &'static [Service]);

/// Declares [`ErrorCode`] (a variant per row, with its docs), [`ErrorCode::ALL`] and the table
/// the methods read, from one row per code: `Variant("Code", status, sender_fault, SERVICES),`,
/// sorted by variant name.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident($code:literal, $status:literal, $sender:literal, $services:ident),)*) => {
        /// An AWS error code: every error shape of the STS and IAM models, and AWS's common
        /// errors.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, sorted by variant name.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// Per code, in the variants' order (that of [`ErrorCode::ALL`]), its row.
            pub(crate) const TABLE: &'static [(&'static str, u16, bool, &'static [Service])] =
                &[$(($code, $status, $sender, $services),)*];
        }
    };
}

pub(crate) use error_codes;

impl ErrorCode {
    /// The code's row of the table.
    fn row(self) -> Row {
        // The variants have the default discriminants, 0 to ALL.len() - 1, in the table's order.
        Self::TABLE
            .get(self as usize)
            .copied()
            .unwrap_or(("InternalFailure", 500, false, &[]))
    }

    /// The wire code (`NoSuchEntity`).
    pub fn code(self) -> &'static str {
        self.row().0
    }

    /// The HTTP status (the defining model's; see [`ErrorCode::http_status_for`]).
    pub fn http_status(self) -> u16 {
        self.row().1
    }

    /// Whether the caller is at fault (`Sender`) rather than the service (`Receiver`).
    pub fn is_sender_fault(self) -> bool {
        self.row().2
    }

    /// `Sender` or `Receiver`, the `<Type>` of an error document.
    pub fn fault(self) -> &'static str {
        if self.is_sender_fault() {
            "Sender"
        } else {
            "Receiver"
        }
    }

    /// The code of wire text `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// The models that define the code; empty for AWS's common errors.
    pub fn services(self) -> &'static [Service] {
        self.row().3
    }

    /// Whether the code is one of AWS's common errors (defined by no model).
    pub fn is_common(self) -> bool {
        self.services().is_empty()
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// An error as it goes on the wire: the code and AWS's exact message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// The AWS error code.
    pub code: ErrorCode,
    /// The message, AWS's text.
    pub message: String,
}

impl ApiError {
    /// An error of `code` with `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// `MissingParameter`: "The request must contain the parameter `name`".
    pub fn missing_parameter(name: &str) -> Self {
        Self::new(
            ErrorCode::MissingParameter,
            format!("The request must contain the parameter {name}"),
        )
    }

    /// `InvalidQueryParameter`: a malformed form body or query string (bad `%` escape, not
    /// UTF-8, a parameter given twice).
    pub fn malformed_query() -> Self {
        Self::new(
            ErrorCode::InvalidQueryParameter,
            "The AWS query string is malformed or does not adhere to AWS standards.",
        )
    }
}

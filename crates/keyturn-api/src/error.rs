//! [`ApiError`]: an AWS error code and AWS's message text.

pub use crate::generated::errors::ErrorCode;

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

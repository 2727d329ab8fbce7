//! The crate's one error type.

/// An error of the policy engine.
///
/// Every problem with a policy document is a [`PolicyError::MalformedPolicyDocument`] whose
/// message is the text AWS returns for it (where a text is known); the place in the document
/// (`Statement[1].Condition.StringLike`) is kept apart so the wire message stays exact.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// `MalformedPolicyDocument` (400): the document is not a valid policy of its type.
    #[error("{message}")]
    MalformedPolicyDocument {
        /// AWS's message.
        message: String,
        /// Where in the document, as a field path (`Statement[0].Principal.AWS`), when known.
        location: Option<String>,
    },
    /// A request given to the evaluator (for example the JSON of `keyturn policy eval`) is invalid.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl PolicyError {
    /// A `MalformedPolicyDocument` error without a location.
    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        Self::MalformedPolicyDocument {
            message: message.into(),
            location: None,
        }
    }

    /// A `MalformedPolicyDocument` error at `location`.
    pub(crate) fn malformed_at(message: impl Into<String>, location: impl Into<String>) -> Self {
        Self::MalformedPolicyDocument {
            message: message.into(),
            location: Some(location.into()),
        }
    }

    /// The AWS error code of this error (`MalformedPolicyDocument`, or `InvalidRequest`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedPolicyDocument { .. } => "MalformedPolicyDocument",
            Self::InvalidRequest(_) => "InvalidRequest",
        }
    }

    /// The field path of the problem in the document, if known.
    pub fn location(&self) -> Option<&str> {
        match self {
            Self::MalformedPolicyDocument { location, .. } => location.as_deref(),
            Self::InvalidRequest(_) => None,
        }
    }

    /// The message followed by the location, for people (`check` output, logs).
    pub fn detail(&self) -> String {
        match self.location() {
            Some(loc) => format!("{self} (at {loc})"),
            None => self.to_string(),
        }
    }
}

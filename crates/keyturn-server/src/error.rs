//! The error the server puts on the wire.
//!
//! Almost every error is an AWS error from the generated table ([`keyturn_core::Error`]: the
//! engine's, the decoder's, and the server's own `InvalidQueryParameter`, `MissingAction`,
//! `InvalidAction` and `InternalFailure`). The few refusals that only an HTTP server makes, and
//! whose codes no AWS model defines (`RequestEntityTooLarge`, `MethodNotAllowed`), are an
//! [`HttpRefusal`]. Both are translated into a status and an `<ErrorResponse>` once, here.

use keyturn_core::ErrorCode;

/// An error as the Query protocol sends it (`<ErrorResponse><Error>…`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// An AWS error, its code from the generated table.
    #[error("{}: {}", .0.code(), .0.message())]
    Api(keyturn_core::Error),
    /// A refusal at the HTTP level whose code is in no AWS model.
    #[error("{}: {}", .0.code, .0.message)]
    Http(HttpRefusal),
}

/// A refusal of the HTTP layer: always the sender's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRefusal {
    pub(crate) code: &'static str,
    pub(crate) status: u16,
    pub(crate) message: String,
}

impl HttpRefusal {
    /// `413 RequestEntityTooLarge`: the body is over the limit.
    pub fn too_large() -> Self {
        Self {
            code: "RequestEntityTooLarge",
            status: 413,
            message: "Request body is too large.".to_owned(),
        }
    }

    /// `405 MethodNotAllowed`: neither GET nor POST.
    pub fn method_not_allowed(method: &str) -> Self {
        Self {
            code: "MethodNotAllowed",
            status: 405,
            message: format!("The requested method {method} is not allowed for the resource."),
        }
    }
}

impl WireError {
    /// `InvalidQueryParameter` for a body the connection lost mid-way (or hyper found malformed).
    pub fn unreadable_body() -> Self {
        Self::Api(keyturn_core::Error::new(
            ErrorCode::InvalidQueryParameter,
            "The request body could not be read.",
        ))
    }

    /// `500 InternalFailure`: what a panic in the backend becomes (the detail is not sent).
    pub fn panicked() -> Self {
        Self::Api(keyturn_core::Error::new(
            ErrorCode::InternalFailure,
            "An internal error has occurred. Please try again.",
        ))
    }

    /// The AWS error code (`ValidationError`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Api(e) => e.code(),
            Self::Http(r) => r.code,
        }
    }

    /// The message, AWS's text.
    pub fn message(&self) -> &str {
        match self {
            Self::Api(e) => e.message(),
            Self::Http(r) => &r.message,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Self::Api(e) => e.http_status(),
            Self::Http(r) => r.status,
        }
    }

    /// `Sender` or `Receiver`.
    pub fn fault(&self) -> &'static str {
        match self {
            Self::Api(e) => e.fault(),
            Self::Http(_) => "Sender",
        }
    }
}

impl From<keyturn_core::Error> for WireError {
    fn from(e: keyturn_core::Error) -> Self {
        Self::Api(e)
    }
}

impl From<keyturn_api::ApiError> for WireError {
    fn from(e: keyturn_api::ApiError) -> Self {
        Self::Api(e.into())
    }
}

impl From<HttpRefusal> for WireError {
    fn from(r: HttpRefusal) -> Self {
        Self::Http(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_statuses_and_faults_come_from_the_table_or_the_refusal() {
        let e = WireError::from(keyturn_api::ApiError::malformed_query());
        assert_eq!(
            (e.code(), e.status(), e.fault()),
            ("InvalidQueryParameter", 400, "Sender")
        );
        let e = WireError::panicked();
        assert_eq!(
            (e.code(), e.status(), e.fault()),
            ("InternalFailure", 500, "Receiver")
        );
        assert_eq!(
            e.message(),
            "An internal error has occurred. Please try again."
        );
        let e = WireError::from(HttpRefusal::method_not_allowed("PUT"));
        assert_eq!(
            (e.code(), e.status(), e.fault()),
            ("MethodNotAllowed", 405, "Sender")
        );
        assert_eq!(
            e.message(),
            "The requested method PUT is not allowed for the resource."
        );
        let e = WireError::from(HttpRefusal::too_large());
        assert_eq!(
            e.to_string(),
            "RequestEntityTooLarge: Request body is too large."
        );
        // The HTTP-only codes are indeed in no model (else they would come from the table).
        assert!(ErrorCode::from_code("RequestEntityTooLarge").is_none());
        assert!(ErrorCode::from_code("MethodNotAllowed").is_none());
    }
}

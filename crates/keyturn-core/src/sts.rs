//! The STS service: the API's typed requests and responses, and the operations.

pub mod api;
pub mod ops;

pub use api::{ApiRequest, ApiResponse};

use crate::request::{CallerIdentity, HttpParts, Service};

/// The engine behind the server: authenticates (SigV4), authorizes and runs one action.
///
/// The server decodes and validates the Query protocol, then calls `handle`; it writes the XML
/// and the audit event. The engine reports who the caller was through `caller` (also when it
/// then fails the request) so that the audit log can name them.
pub trait StsBackend: Send + Sync {
    /// Runs one request. `caller`, when given, receives who made it once the signature is
    /// verified (the audit log's `userIdentity`); without it nothing is copied out.
    ///
    /// # Errors
    /// Any [`crate::Error`]; the server answers it with its code, status and message.
    fn handle(
        &self,
        http: &HttpParts<'_>,
        service: Service,
        request: ApiRequest,
        caller: Option<&mut Option<CallerIdentity>>,
    ) -> Result<ApiResponse, crate::Error>;
}

//! The borrowed view of an HTTP request that signing and verification read.

/// An HTTP request as the verifier sees it, borrowed from whatever owns it (a server, C, Python).
///
/// `path` and `query` are the raw request-target parts, as sent (percent-encoded or not: see
/// [`crate::UriEncoding`]); header values are raw bytes. Nothing here is trusted or pre-validated.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The path part of the request target, e.g. `/`.
    pub path: &'a str,
    /// The query string without the `?`, possibly empty.
    pub query: &'a str,
    /// Headers in arrival order; names in any case.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The request body.
    pub body: &'a [u8],
}

impl<'a> HttpRequest<'a> {
    /// Builds a view from a request target such as `/path?query`.
    #[must_use]
    pub fn from_target(
        method: &'a str,
        target: &'a str,
        headers: &'a [(&'a str, &'a [u8])],
        body: &'a [u8],
    ) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Self {
            method,
            path,
            query,
            headers,
            body,
        }
    }
}

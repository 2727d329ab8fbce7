//! What one request brings to the engine: its HTTP parts (for SigV4 and the environment's
//! condition keys), the service it addresses, and who turned out to have made it.

/// What the server hands the engine for one request: the raw HTTP parts SigV4 needs.
#[derive(Debug, Clone, Copy)]
pub struct HttpParts<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path, e.g. `/`.
    pub path: &'a str,
    /// The raw query string (without `?`), possibly empty.
    pub query: &'a str,
    /// Header names (lowercase) and raw values, in arrival order.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The raw body.
    pub body: &'a [u8],
    /// The peer's address (`aws:SourceIp`).
    pub source_ip: std::net::IpAddr,
    /// The `User-Agent` header (`aws:UserAgent`).
    pub user_agent: Option<&'a str>,
    /// Whether the request came over TLS (`aws:SecureTransport`).
    pub secure_transport: bool,
}

pub use keyturn_api::Service;

/// The authenticated caller, as the audit log's `userIdentity` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallerIdentity {
    /// CloudTrail's type: `Root`, `IAMUser`, `AssumedRole`, `FederatedUser`.
    pub identity_type: String,
    /// The unique id (`AIDA…`, `AROA…:session`, …).
    pub principal_id: String,
    /// The caller's ARN.
    pub arn: String,
    /// The caller's account.
    pub account_id: String,
    /// The access key id that signed the request.
    pub access_key_id: String,
}

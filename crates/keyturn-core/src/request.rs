//! What one request brings to the engine: its HTTP parts (for SigV4 and the environment's
//! condition keys), the service it addresses, and who turned out to have made it.

pub use keyturn_sigv4::HttpRequest;

/// What the server hands the engine for one request: the raw HTTP parts SigV4 needs, and
/// where the request came from.
#[derive(Debug, Clone, Copy)]
pub struct HttpParts<'a> {
    /// The method, raw path and query, headers (lowercase names, raw values, in arrival
    /// order) and raw body.
    pub request: HttpRequest<'a>,
    /// The peer's address (`aws:SourceIp`).
    pub source_ip: std::net::IpAddr,
    /// The `User-Agent` header (`aws:UserAgent`).
    pub user_agent: Option<&'a str>,
    /// Whether the request came over TLS (`aws:SecureTransport`).
    pub secure_transport: bool,
}

impl<'a> HttpParts<'a> {
    /// A Query request as every client sends it, `POST /` with `headers` and `body`, from
    /// `source_ip`, without a `User-Agent`, over plain HTTP (set the other fields with
    /// struct update syntax).
    #[must_use]
    pub fn post(
        headers: &'a [(&'a str, &'a [u8])],
        body: &'a [u8],
        source_ip: std::net::IpAddr,
    ) -> Self {
        Self {
            request: HttpRequest {
                method: "POST",
                path: "/",
                query: "",
                headers,
                body,
            },
            source_ip,
            user_agent: None,
            secure_transport: false,
        }
    }
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

//! Loading the AWS SigV4 test suite: `request.txt` parsing and `context.json`.

#![allow(dead_code, reason = "each test binary uses a different part")]
#![allow(clippy::panic, reason = "test helpers fail loudly, with the case name")]

use keyturn_sigv4::{
    AmzDate, CredentialLookup, Credentials, SignatureAlgorithm, SignatureLocation, SigningOutput,
    SigningParams, SigningSecret, SigningSettings, sign,
};

#[path = "locate.rs"]
mod locate;
pub use locate::suite_dir;

/// A file of a case; the suite has been located (`suite_dir()` is Some).
pub fn read(case: &str, file: &str) -> String {
    let Some(suite) = suite_dir() else {
        panic!("{case}/{file}: the suite was not found");
    };
    let p = suite.path.join(case).join(file);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    if suite.from_crate && case == "get-space-normalized" && file == "request.txt" {
        // The aws-sigv4 crate's copy writes this request's path as `/example%20space/` (its
        // signed requests and get-space-unnormalized keep the space of aws-c-auth's original).
        return text.replacen("/example%20space/", "/example space/", 1);
    }
    text
}

/// A request parsed from the suite's HTTP/1.1 text.
#[derive(Debug, Clone)]
pub struct ParsedRequest {
    pub method: String,
    pub target: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ParsedRequest {
    pub fn parse(text: &str) -> Self {
        let (head, body) = match text.split_once("\n\n") {
            Some((h, b)) => (h, b.as_bytes().to_vec()),
            None => (text.trim_end_matches('\n'), Vec::new()),
        };
        let mut lines = head.split('\n');
        let line = lines.next().unwrap_or_default();
        // The target may contain spaces (get-space-*): method is before the first space,
        // the version after the last one.
        let (method, rest) = line.split_once(' ').unwrap_or((line, ""));
        let (target, version) = rest.rsplit_once(' ').unwrap_or((rest, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for l in lines {
            if l.starts_with([' ', '\t']) {
                // obs-fold continuation: keep it verbatim so the request renders back identically.
                if let Some(last) = headers.last_mut() {
                    last.1.push('\n');
                    last.1.push_str(l);
                }
                continue;
            }
            let (n, v) = l.split_once(':').unwrap_or((l, ""));
            headers.push((n.to_owned(), v.to_owned()));
        }
        Self {
            method: method.to_owned(),
            target: target.to_owned(),
            version: version.to_owned(),
            headers,
            body,
        }
    }

    pub fn header_refs(&self) -> Vec<(&str, &[u8])> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_bytes()))
            .collect()
    }

    pub fn path_and_query(&self) -> (&str, &str) {
        self.target.split_once('?').unwrap_or((&self.target, ""))
    }

    /// `f` on the borrowed view of this request that signing and verification read.
    pub fn with_view<R>(&self, f: impl FnOnce(&keyturn_sigv4::HttpRequest<'_>) -> R) -> R {
        let headers = self.header_refs();
        let (path, query) = self.path_and_query();
        f(&keyturn_sigv4::HttpRequest {
            method: &self.method,
            path,
            query,
            headers: &headers,
            body: &self.body,
        })
    }

    /// The request as `out` signed it: in the query string (`query`) or in its headers.
    pub fn render_signed(&self, out: &SigningOutput, query: bool) -> String {
        if query {
            let (path, _) = self.path_and_query();
            self.render(&format!("{path}?{}", out.query), &[])
        } else {
            self.render(&self.target, &out.headers)
        }
    }

    /// Renders the request as the suite writes it.
    pub fn render(&self, target: &str, extra: &[(&str, String)]) -> String {
        let mut s = format!("{} {} {}\n", self.method, target, self.version);
        for (n, v) in self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .chain(extra.iter().map(|(n, v)| (*n, v.as_str())))
        {
            s.push_str(n);
            s.push(':');
            s.push_str(v);
            s.push('\n');
        }
        s.push('\n');
        s.push_str(&String::from_utf8_lossy(&self.body));
        s
    }
}

#[derive(Debug, Clone)]
pub struct Context {
    pub access_key_id: String,
    pub secret: String,
    pub token: Option<String>,
    pub expires: u64,
    pub normalize: bool,
    pub region: String,
    pub service: String,
    pub sign_body: bool,
    pub omit_session_token: bool,
    pub time: AmzDate,
    pub now: time::OffsetDateTime,
}

impl Context {
    pub fn load(case: &str) -> Self {
        Self::parse(case, &read(case, "context.json"))
    }

    /// A case's `context.json`, from its text.
    pub fn parse(case: &str, json: &str) -> Self {
        let v: serde_json::Value =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{case}: {e}"));
        let s = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_owned);
        let ts = s("/timestamp").unwrap_or_default();
        let now = time::OffsetDateTime::parse(&ts, &time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|e| panic!("{ts}: {e}"));
        Self {
            access_key_id: s("/credentials/access_key_id").unwrap_or_default(),
            secret: s("/credentials/secret_access_key").unwrap_or_default(),
            token: s("/credentials/token"),
            expires: v
                .pointer("/expiration_in_seconds")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            normalize: v
                .pointer("/normalize")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(true),
            region: s("/region").unwrap_or_default(),
            service: s("/service").unwrap_or_default(),
            sign_body: v
                .pointer("/sign_body")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            omit_session_token: v
                .pointer("/omit_session_token")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            time: AmzDate::from_offset_date_time(now),
            now,
        }
    }

    /// Signs `req` as the case says, with `algorithm`, in the header or the query form.
    pub fn sign(
        &self,
        case: &str,
        req: &ParsedRequest,
        query: bool,
        algorithm: SignatureAlgorithm,
    ) -> SigningOutput {
        let mut creds = Credentials::new(self.access_key_id.clone(), self.secret.as_str());
        if let Some(t) = &self.token {
            creds = creds.with_session_token(t.clone());
        }
        let mut params = SigningParams::new(&creds, &self.region, &self.service, self.time);
        params.algorithm = algorithm;
        params.settings = self.settings();
        params.content_sha256_header = self.sign_body;
        params.sign_session_token = !self.omit_session_token;
        if query {
            params.location = SignatureLocation::Query {
                expires_in: self.expires,
            };
        }
        req.with_view(|view| sign(view, &params))
            .unwrap_or_else(|e| panic!("{case}: {e}"))
    }

    pub fn settings(&self) -> SigningSettings {
        if self.normalize {
            SigningSettings::default()
        } else {
            SigningSettings::s3()
        }
    }
}

/// A credential store with one key; the session token must match when the key has one.
pub struct OneKey {
    pub access_key_id: String,
    pub secret: String,
    pub token: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum LookupError {
    UnknownKey,
    BadToken,
}

impl CredentialLookup for OneKey {
    type Error = LookupError;
    type Identity = String;

    fn lookup(
        &self,
        access_key_id: &str,
        session_token: Option<&str>,
    ) -> Result<(SigningSecret, String), LookupError> {
        if access_key_id != self.access_key_id {
            return Err(LookupError::UnknownKey);
        }
        if self.token.is_some() && session_token != self.token.as_deref() {
            return Err(LookupError::BadToken);
        }
        Ok((
            SigningSecret::new(&self.secret),
            format!("user:{access_key_id}"),
        ))
    }
}

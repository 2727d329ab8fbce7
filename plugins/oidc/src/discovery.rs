//! OpenID Connect discovery: an issuer's key set fetched from its
//! `/.well-known/openid-configuration` and the `jwks_uri` it names.
//!
//! A `key_sets` entry `{"discovery": "<base URL>"}` fetches `<base>/.well-known/openid-configuration`;
//! the document's `issuer` must be the entry's issuer URL. Its `jwks_uri` is fetched as it is
//! when it is reachable, or, when it lies under the issuer and the base is a mirror of the
//! issuer (another URL serving the same paths), under the base. `{"discovery": true}` fetches
//! from the issuer URL itself.
//!
//! Fetching is plain HTTP/1.1 over TCP, to loopback addresses only (`127.0.0.0/8`, `::1`,
//! `localhost`): the plugin has no TLS client, so an `https://` URL is refused (give `jwks` or
//! `jwks_file` for such issuers). Connect and read time out after [`FETCH_TIMEOUT`]; a body is
//! at most [`MAX_BODY_BYTES`]. Key sets are cached for [`CACHE_TTL`] and fetched again when a
//! token names a key the cached set does not have (at most once per [`REFRESH_INTERVAL`]).

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs as _};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Connect and read timeout of one fetch.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest document accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a fetched key set is used before it is fetched again.
pub const CACHE_TTL: Duration = Duration::from_secs(300);
/// The shortest time between two fetches of one issuer's keys for an unknown `kid`.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(10);

/// Why discovery failed (the verifier answers it as "couldn't retrieve verification key").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not `http://host[:port]/path`, or `https://` (no TLS client).
    #[error("unsupported URL `{0}` (plain http to a loopback address only)")]
    Url(String),
    /// The host is not a loopback address.
    #[error("`{0}` is not a loopback address")]
    NotLoopback(String),
    /// Connecting, sending or reading failed or timed out.
    #[error("fetching `{0}` failed: {1}")]
    Io(String, String),
    /// Not a 200 answer with a JSON object body of bounded size.
    #[error("`{0}` did not answer a JSON document: {1}")]
    Answer(String, String),
    /// The discovery document's `issuer` is not the issuer asked about.
    #[error("the discovery document names issuer `{found}`, not `{wanted}`")]
    Issuer {
        /// The issuer asked about.
        wanted: String,
        /// The document's.
        found: String,
    },
}

/// `http://host[:port]/path` split into address text, host, port and path.
fn parse_http(url: &str) -> Result<(String, u16, String), FetchError> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| FetchError::Url(url.to_owned()))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || authority.contains('@') || path.contains(['#', ' ']) {
        return Err(FetchError::Url(url.to_owned()));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, p) = v6
            .split_once(']')
            .ok_or_else(|| FetchError::Url(url.to_owned()))?;
        (h.to_owned(), p.strip_prefix(':').unwrap_or(""))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p),
            None => (authority.to_owned(), ""),
        }
    };
    let port = if port.is_empty() {
        80
    } else {
        port.parse().map_err(|_| FetchError::Url(url.to_owned()))?
    };
    Ok((host, port, path.to_owned()))
}

fn loopback(host: &str, port: u16) -> Result<SocketAddr, FetchError> {
    let addr = if host.eq_ignore_ascii_case("localhost") {
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), port)
    } else {
        let ip: IpAddr = host
            .parse()
            .map_err(|_| FetchError::NotLoopback(host.to_owned()))?;
        SocketAddr::new(ip, port)
    };
    if !addr.ip().is_loopback() {
        return Err(FetchError::NotLoopback(host.to_owned()));
    }
    // Resolves nothing: the address is literal.
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| FetchError::NotLoopback(host.to_owned()))
}

/// `GET url` → the JSON object it answers.
pub fn fetch_json(url: &str) -> Result<Value, FetchError> {
    let (host, port, path) = parse_http(url)?;
    let addr = loopback(&host, port)?;
    let io = |e: std::io::Error| FetchError::Io(url.to_owned(), e.to_string());
    let mut stream = TcpStream::connect_timeout(&addr, FETCH_TIMEOUT).map_err(io)?;
    stream.set_read_timeout(Some(FETCH_TIMEOUT)).map_err(io)?;
    stream.set_write_timeout(Some(FETCH_TIMEOUT)).map_err(io)?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).map_err(io)?;
    let mut raw = Vec::new();
    stream
        .take(MAX_BODY_BYTES as u64 + 16 * 1024)
        .read_to_end(&mut raw)
        .map_err(io)?;
    let answer = |why: &str| FetchError::Answer(url.to_owned(), why.to_owned());
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| answer("no HTTP head"))?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| answer("head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .ok_or_else(|| answer("no status line"))?;
    if status != "200" {
        return Err(answer(&format!("status {status}")));
    }
    let chunked = lines.any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("transfer-encoding")
                && v.trim().eq_ignore_ascii_case("chunked")
        })
    });
    let body = &raw[split + 4..];
    let body = if chunked {
        dechunk(body)
    } else {
        Some(body.to_vec())
    }
    .ok_or_else(|| answer("malformed chunked body"))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(answer("too large"));
    }
    match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(answer("not a JSON object")),
    }
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if body.len() < size + 2 || out.len() + size > MAX_BODY_BYTES {
            return None;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

/// The key set of `issuer` through discovery at `base`.
pub fn discover(issuer: &str, base: &str) -> Result<Value, FetchError> {
    let issuer = issuer.trim_end_matches('/');
    let base = base.trim_end_matches('/');
    let doc = fetch_json(&format!("{base}/.well-known/openid-configuration"))?;
    let found = doc.get("issuer").and_then(Value::as_str).unwrap_or("");
    if found.trim_end_matches('/') != issuer {
        return Err(FetchError::Issuer {
            wanted: issuer.to_owned(),
            found: found.to_owned(),
        });
    }
    let jwks_uri = doc
        .get("jwks_uri")
        .and_then(Value::as_str)
        .ok_or_else(|| FetchError::Answer(base.to_owned(), "no jwks_uri".to_owned()))?;
    let uri = match jwks_uri.strip_prefix(issuer) {
        Some(rest) if base != issuer => format!("{base}{rest}"),
        _ => jwks_uri.to_owned(),
    };
    fetch_json(&uri)
}

/// Fetched key sets by issuer key (`host/path`), with when they were fetched.
#[derive(Debug, Clone, Default)]
pub struct Cache(Arc<Mutex<BTreeMap<String, (Value, Instant)>>>);

impl Cache {
    /// The cached key set of `key` while it is fresh, else one fetched now (and cached).
    /// `refresh`: the cached set lacked the token's key; fetch again unless it is younger than
    /// [`REFRESH_INTERVAL`].
    pub fn get(
        &self,
        key: &str,
        refresh: bool,
        fetch: impl FnOnce() -> Result<Value, FetchError>,
    ) -> Result<Value, FetchError> {
        let now = Instant::now();
        if let Some((set, at)) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
        {
            let age = now.saturating_duration_since(*at);
            if age < CACHE_TTL && (!refresh || age < REFRESH_INTERVAL) {
                return Ok(set.clone());
            }
        }
        let set = fetch()?;
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_owned(), (set.clone(), now));
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_http("http://127.0.0.1:8080/a/b"),
            Ok(("127.0.0.1".into(), 8080, "/a/b".into()))
        );
        assert_eq!(
            parse_http("http://[::1]:9/x"),
            Ok(("::1".into(), 9, "/x".into()))
        );
        assert_eq!(
            parse_http("http://localhost"),
            Ok(("localhost".into(), 80, "/".into()))
        );
        assert!(matches!(
            parse_http("https://idp.example/x"),
            Err(FetchError::Url(_))
        ));
        assert!(matches!(
            parse_http("http://u@127.0.0.1/"),
            Err(FetchError::Url(_))
        ));
        assert!(matches!(
            fetch_json("http://10.0.0.1:80/x"),
            Err(FetchError::NotLoopback(_))
        ));
        assert!(matches!(
            fetch_json("http://idp.example/x"),
            Err(FetchError::NotLoopback(_))
        ));
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"),
            Some(b"abcde".to_vec())
        );
        assert_eq!(dechunk(b"5\r\nab\r\n"), None);
        assert_eq!(dechunk(b"zz\r\n"), None);
    }

    fn serve_once(responses: Vec<String>) -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        std::thread::spawn(move || {
            for body in responses {
                let Ok((mut s, _)) = listener.accept() else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(body.as_bytes());
            }
        });
        port
    }

    fn ok(body: &str) -> String {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    #[test]
    fn discovery_through_a_mirror_checks_the_issuer() {
        let issuer = "https://issuer.example/outbound/111111111111";
        let doc = format!(r#"{{"issuer":"{issuer}","jwks_uri":"{issuer}/.well-known/jwks.json"}}"#);
        let port = serve_once(vec![ok(&doc), ok(r#"{"keys":[{"kty":"EC"}]}"#)]);
        let base = format!("http://127.0.0.1:{port}/outbound/111111111111");
        let set = discover(issuer, &base).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set["keys"][0]["kty"], "EC");

        let port = serve_once(vec![ok(&doc)]);
        let base = format!("http://127.0.0.1:{port}/outbound/111111111111");
        assert_eq!(
            discover("https://other.example", &base),
            Err(FetchError::Issuer {
                wanted: "https://other.example".into(),
                found: issuer.into()
            })
        );

        let port = serve_once(vec![
            "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}".into(),
        ]);
        assert!(matches!(
            discover(issuer, &format!("http://127.0.0.1:{port}")),
            Err(FetchError::Answer(_, _))
        ));
    }

    #[test]
    fn cache_refetches_only_when_stale_or_asked() {
        let cache = Cache::default();
        let mut calls = 0;
        let mut fetch = |n: i64| {
            calls += 1;
            Ok(serde_json::json!({ "n": n }))
        };
        let a = cache.get("k", false, || fetch(1));
        assert_eq!(a, Ok(serde_json::json!({"n": 1})));
        // Fresh: a refresh within REFRESH_INTERVAL answers the cached set.
        let b = cache.get("k", true, || Ok(serde_json::json!({"n": 2})));
        assert_eq!(b, Ok(serde_json::json!({"n": 1})));
        assert_eq!(calls, 1);
        let c = cache.get("other", false, || Err(FetchError::Url("x".into())));
        assert_eq!(c, Err(FetchError::Url("x".into())));
    }
}

//! The console's HTTP side: the accept loop, routing, authentication of each request, and the
//! responses with their security headers.

use std::collections::HashMap;
use std::net::IpAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use keyturn::request::{HttpParts, HttpRequest};
use keyturn::{Engine, Error};
use keyturn_server::LiveFeed;
use tokio::sync::watch;

use crate::graph::TrustGraph;
use crate::html::{Viewer, esc, page};
use crate::pages::{audit, graph, model, simulate};
use crate::session::{
    CONSOLE_READ, Refusal, SESSION_COOKIE, SESSION_TTL, SIGNIN_COOKIE, Sessions, Signed,
    csrf_matches, random_token,
};

/// The largest form accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;
/// The SigV4 signing name of requests signed for the console.
pub const SIGNING_NAME: &str = "keyturn";
/// The policy every page is sent with: no script but the console's own, no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

const CSS: &str = include_str!("assets/console.css");
const JS: &str = include_str!("assets/console.js");

/// The console: the engine it shows, the server's live feed, the sessions.
#[derive(Debug)]
pub struct Console {
    engine: Arc<Engine>,
    feed: Arc<LiveFeed>,
    sessions: Sessions,
}

/// A request as the console reads it.
struct Incoming2<'a> {
    method: &'a Method,
    path: &'a str,
    query: &'a str,
    headers: &'a HeaderMap,
    body: &'a [u8],
    peer: IpAddr,
}

impl Incoming2<'_> {
    fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    fn form(&self) -> HashMap<String, String> {
        form_urlencoded::parse(self.body).into_owned().collect()
    }

    fn query_param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// A POST from another origin (the `Origin` header names another host).
    fn cross_origin(&self) -> bool {
        let Some(origin) = self.headers.get("origin").and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let host = self
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        origin != format!("http://{host}") && origin != format!("https://{host}")
    }
}

/// A response being built.
struct Reply {
    status: StatusCode,
    content_type: &'static str,
    body: String,
    cookies: Vec<String>,
    location: Option<String>,
}

impl Reply {
    fn html(status: StatusCode, body: String) -> Self {
        Self {
            status,
            content_type: "text/html; charset=utf-8",
            body,
            cookies: Vec::new(),
            location: None,
        }
    }

    fn json(status: StatusCode, value: &serde_json::Value) -> Self {
        Self {
            content_type: "application/json",
            ..Self::html(status, value.to_string())
        }
    }

    fn redirect(to: &str) -> Self {
        Self {
            location: Some(to.to_owned()),
            ..Self::html(StatusCode::SEE_OTHER, String::new())
        }
    }

    fn cookie(mut self, c: String) -> Self {
        self.cookies.push(c);
        self
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let mut resp = Response::new(Full::new(Bytes::from(self.body)));
        *resp.status_mut() = self.status;
        let h = resp.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        h.insert(
            "x-content-type-options",
            HeaderValue::from_static("nosniff"),
        );
        h.insert("x-frame-options", HeaderValue::from_static("DENY"));
        h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
        if let Some(to) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            h.insert(LOCATION, to);
        }
        for c in self.cookies {
            if let Ok(v) = HeaderValue::from_str(&c) {
                h.append(SET_COOKIE, v);
            }
        }
        resp
    }
}

/// A cookie the browser keeps for `max_age` seconds (0: removes it), HttpOnly and
/// SameSite=Strict.
fn set_cookie(name: &str, value: &str, max_age: u64) -> String {
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict")
}

fn asset(content_type: &'static str, body: &str) -> Reply {
    Reply {
        content_type,
        ..Reply::html(StatusCode::OK, body.to_owned())
    }
}

impl Console {
    /// A console for `engine`, reading `feed`.
    pub fn new(engine: Arc<Engine>, feed: Arc<LiveFeed>) -> Self {
        Self {
            engine,
            feed,
            sessions: Sessions::default(),
        }
    }

    /// Who sent `r`: a SigV4 signature for the `keyturn` service, or a session cookie.
    fn who(&self, r: &Incoming2<'_>) -> Result<Signed, Refusal> {
        if r.headers.contains_key(http::header::AUTHORIZATION) {
            let headers: Vec<(&str, &[u8])> = r
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_bytes()))
                .collect();
            let http = HttpParts {
                request: HttpRequest {
                    method: r.method.as_str(),
                    path: r.path,
                    query: r.query,
                    headers: &headers,
                    body: r.body,
                },
                ..HttpParts::post(&[], b"", r.peer)
            };
            let caller = self.engine.authenticate_for(&http, SIGNING_NAME)?;
            crate::session::admit(&self.engine, &caller)?;
            return Ok(Signed { caller, csrf: None });
        }
        match r.cookie(SESSION_COOKIE) {
            Some(token) => self.sessions.resume(&self.engine, token),
            None => Err(Refusal::SignedOut),
        }
    }

    /// The answer to a refused request.
    fn refused(&self, r: &Incoming2<'_>, why: &Refusal) -> Reply {
        let wants_json = r.path.starts_with("/audit/events");
        match why {
            Refusal::SignedOut if wants_json => Reply::json(
                StatusCode::UNAUTHORIZED,
                &serde_json::json!({"error": why.to_string()}),
            ),
            Refusal::SignedOut => Reply::redirect("/signin"),
            Refusal::BadCredentials { .. } => self
                .signin_page(r, StatusCode::UNAUTHORIZED, Some(&why.to_string()))
                .cookie(set_cookie(SESSION_COOKIE, "", 0)),
            Refusal::NotAllowed { arn } => Reply::html(
                StatusCode::FORBIDDEN,
                page(
                    "Access denied",
                    "",
                    None,
                    &format!(
                        "<p class=\"error\" id=\"refusal\"><b>{}</b> may not use the console: \
                         it is not allowed <code>{CONSOLE_READ}</code>.</p><p>An account's root \
                         may; an IAM user or role needs a policy that allows \
                         <code>{CONSOLE_READ}</code> (or <code>keyturn:Console*</code>) on \
                         <code>*</code>.</p><p><a href=\"/signin\">Sign in as someone else</a></p>",
                        esc(arn)
                    ),
                ),
            )
            .cookie(set_cookie(SESSION_COOKIE, "", 0)),
            Refusal::Csrf => Reply::html(
                StatusCode::FORBIDDEN,
                page(
                    "Request refused",
                    "",
                    None,
                    &format!(
                        "<p class=\"error\" id=\"refusal\">{}</p>",
                        esc(&why.to_string())
                    ),
                ),
            ),
        }
    }

    /// The sign-in page, with the CSRF token of its form and cookie: the browser's current one
    /// (another tab's sign-in form stays valid), else a fresh one.
    fn signin_page(&self, r: &Incoming2<'_>, status: StatusCode, error: Option<&str>) -> Reply {
        let token = r
            .cookie(SIGNIN_COOKIE)
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .map_or_else(random_token, str::to_owned);
        let error = error
            .map(|e| format!("<p class=\"error\" id=\"signin-error\">{}</p>", esc(e)))
            .unwrap_or_default();
        let body = format!(
            "{error}<p class=\"lead\">Sign in with an access key: an account root's, or an IAM \
             user's or role session's allowed <code>{CONSOLE_READ}</code>. The secret is checked \
             by the engine and kept only in this server's memory for the session.</p>\
             <form method=\"post\" action=\"/signin\" class=\"signin\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
             <label>Access key ID<input name=\"access_key_id\" id=\"access_key_id\" required \
             autocomplete=\"username\"></label>\
             <label>Secret access key<input name=\"secret_access_key\" id=\"secret_access_key\" \
             type=\"password\" required autocomplete=\"current-password\"></label>\
             <label>Session token (temporary credentials only)<input name=\"session_token\" \
             id=\"session_token\" type=\"password\"></label>\
             <button type=\"submit\" id=\"signin\">Sign in</button></form>"
        );
        Reply::html(status, page("Sign in", "", None, &body)).cookie(set_cookie(
            SIGNIN_COOKIE,
            &token,
            SESSION_TTL.as_secs(),
        ))
    }

    fn signin(&self, r: &Incoming2<'_>) -> Reply {
        let form = r.form();
        if r.cross_origin()
            || !r
                .cookie(SIGNIN_COOKIE)
                .is_some_and(|c| csrf_matches(c, form.get("csrf").map(String::as_str)))
        {
            return self.refused(r, &Refusal::Csrf);
        }
        let field = |n: &str| form.get(n).map(|v| v.trim()).filter(|v| !v.is_empty());
        let (Some(key), Some(secret)) = (field("access_key_id"), field("secret_access_key")) else {
            return self.signin_page(
                r,
                StatusCode::BAD_REQUEST,
                Some("Both the access key ID and the secret access key are needed."),
            );
        };
        match self
            .sessions
            .sign_in(&self.engine, key, secret, field("session_token"))
        {
            Ok(token) => Reply::redirect("/model")
                .cookie(set_cookie(SESSION_COOKIE, &token, SESSION_TTL.as_secs()))
                .cookie(set_cookie(SIGNIN_COOKIE, "", 0)),
            Err(e @ Refusal::NotAllowed { .. }) => self.refused(r, &e),
            Err(e) => self.signin_page(r, StatusCode::UNAUTHORIZED, Some(&e.to_string())),
        }
    }

    /// A page for a signed-in viewer.
    fn view(&self, title: &str, active: &str, who: &Signed, body: &str) -> Reply {
        let viewer = Viewer {
            arn: &who.caller.arn,
            csrf: who.csrf.as_deref(),
        };
        Reply::html(StatusCode::OK, page(title, active, Some(viewer), body))
    }

    fn error_page(&self, status: StatusCode, title: &str, message: &str) -> Reply {
        Reply::html(
            status,
            page(
                title,
                "",
                None,
                &format!(
                    "<p class=\"error\">{}</p><p><a href=\"/model\">Back to the console</a></p>",
                    esc(message)
                ),
            ),
        )
    }

    fn model_data(&self) -> Result<keyturn::iam::IamData, Error> {
        Ok(self.engine.snapshot()?.data.clone())
    }

    fn simulate(&self, r: &Incoming2<'_>, who: &Signed) -> Reply {
        let data = match self.model_data() {
            Ok(d) => d,
            Err(e) => return self.unavailable(&e),
        };
        let csrf = who.csrf.clone().unwrap_or_default();
        let (q, answer) = if r.method == Method::POST {
            let form = r.form();
            if r.cross_origin()
                || (who.csrf.is_some()
                    && !csrf_matches(&csrf, form.get("csrf").map(String::as_str)))
            {
                return self.refused(r, &Refusal::Csrf);
            }
            let get = |n: &str| form.get(n).cloned().unwrap_or_default();
            let q = simulate::Question {
                principal: get("principal"),
                actions: get("actions"),
                resources: get("resources"),
                context: get("context"),
            };
            let answer = match simulate::ask(&self.engine, &who.caller, r.peer, &q) {
                Ok(out) => simulate::answer(&out),
                Err(e) => format!(
                    "<p class=\"error\" id=\"simulate-error\"><b>{}</b>: {}</p>",
                    esc(e.code()),
                    esc(e.message())
                ),
            };
            (q, answer)
        } else {
            (simulate::Question::default(), String::new())
        };
        let body = format!(
            "<p class=\"lead\">Asks IAM's SimulatePrincipalPolicy, as you: the decision for each \
             action and resource, the statements that decided it, and what each layer said.</p>\
             {}<div id=\"answer\">{answer}</div>",
            simulate::form(&data, &q, &csrf)
        );
        self.view("Policy simulator", "/simulate", who, &body)
    }

    fn unavailable(&self, e: &Error) -> Reply {
        self.error_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "The model cannot be read",
            &format!("{}: {}", e.code(), e.message()),
        )
    }

    /// Routes one request.
    fn route(&self, r: &Incoming2<'_>) -> Reply {
        let (get, post) = (r.method == Method::GET, r.method == Method::POST);
        match (r.path, get, post) {
            ("/assets/console.css", true, _) => return asset("text/css; charset=utf-8", CSS),
            ("/assets/console.js", true, _) => {
                return asset("text/javascript; charset=utf-8", JS);
            }
            ("/signin", true, _) => return self.signin_page(r, StatusCode::OK, None),
            ("/signin", _, true) => return self.signin(r),
            _ => {}
        }
        if !get && !post {
            return self.error_page(
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed",
                &format!("The console answers GET and POST, not {}.", r.method),
            );
        }
        let who = match self.who(r) {
            Ok(w) => w,
            Err(e) => return self.refused(r, &e),
        };
        match (r.path, post) {
            ("/", false) => Reply::redirect("/model"),
            ("/signout", true) => {
                let form = r.form();
                let ok = who
                    .csrf
                    .as_deref()
                    .is_some_and(|c| csrf_matches(c, form.get("csrf").map(String::as_str)));
                if !ok || r.cross_origin() {
                    return self.refused(r, &Refusal::Csrf);
                }
                if let Some(token) = r.cookie(SESSION_COOKIE) {
                    self.sessions.sign_out(token);
                }
                Reply::redirect("/signin").cookie(set_cookie(SESSION_COOKIE, "", 0))
            }
            ("/model", false) => match self.model_data() {
                Ok(d) => self.view("Model", "/model", &who, &model::body(&d)),
                Err(e) => self.unavailable(&e),
            },
            ("/graph", false) => match self.model_data() {
                Ok(d) => self.view(
                    "Trust graph",
                    "/graph",
                    &who,
                    &graph::body(&TrustGraph::of(&d)),
                ),
                Err(e) => self.unavailable(&e),
            },
            ("/audit", false) => self.view(
                "Live audit",
                "/audit",
                &who,
                &audit::body(self.feed.capacity()),
            ),
            ("/audit/events", false) => {
                let after = r
                    .query_param("after")
                    .and_then(|a| a.parse::<u64>().ok())
                    .unwrap_or(0);
                Reply::json(
                    StatusCode::OK,
                    &audit::events(&self.engine, &self.feed, after),
                )
            }
            ("/simulate", _) => self.simulate(r, &who),
            _ => self.error_page(
                StatusCode::NOT_FOUND,
                "Not found",
                &format!("The console has no page {}.", r.path),
            ),
        }
    }

    /// Answers one HTTP request.
    async fn handle(&self, req: Request<Incoming>, peer: IpAddr) -> Response<Full<Bytes>> {
        let (parts, body) = req.into_parts();
        let body = match Limited::new(body, MAX_FORM_BYTES).collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => {
                return self
                    .error_page(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "Request too large",
                        "The console reads forms of at most 64 KiB.",
                    )
                    .into_response();
            }
        };
        let r = Incoming2 {
            method: &parts.method,
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or(""),
            headers: &parts.headers,
            body: &body,
            peer,
        };
        let reply =
            std::panic::catch_unwind(AssertUnwindSafe(|| self.route(&r))).unwrap_or_else(|_| {
                self.error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "The console failed to build this page.",
                )
            });
        reply.into_response()
    }
}

/// Accepts connections until `stop` says so.
pub(crate) async fn accept_loop(
    listener: tokio::net::TcpListener,
    console: Arc<Console>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let console = Arc::clone(&console);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let console = Arc::clone(&console);
                async move { Ok::<_, std::convert::Infallible>(console.handle(req, peer.ip()).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(std::time::Duration::from_secs(30))
                .serve_connection(io, service)
                .await;
        });
    }
}

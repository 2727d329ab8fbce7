//! Who may use the console: sign-in with an access key, session cookies, CSRF tokens.
//!
//! A person signs in with an access key id and its secret (and a session token for temporary
//! credentials); the engine verifies them exactly as it verifies the secret behind a signature
//! ([`keyturn::Engine::authenticate_credentials`]), then asks whether the principal may use
//! the console: an authorization of [`CONSOLE_READ`] on `*` (an account's root may; an IAM
//! principal needs a policy that allows it, `keyturn:Console*` for instance). The session is a
//! random token in an `HttpOnly`, `SameSite=Strict` cookie, kept server-side with the
//! credentials and re-checked on every request, so a deleted key, an expired session token or
//! a revoked permission ends it at once. Every form that changes something carries the
//! session's CSRF token; the sign-in form carries one of its own (a double-submitted cookie).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use keyturn::api::SecretString;
use keyturn::{Caller, Engine, Error};

/// The IAM action a principal must be allowed (on `*`) to use the console.
pub const CONSOLE_READ: &str = "keyturn:ConsoleRead";
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "keyturn_console";
/// The sign-in form's CSRF cookie.
pub const SIGNIN_COOKIE: &str = "keyturn_console_signin";
/// How long a console session lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(3600);
/// The most sessions held at once (the oldest are dropped beyond it).
pub const MAX_SESSIONS: usize = 1024;

/// A fresh random token: 244 bits from the OS source, as 64 hex digits.
pub fn random_token() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    format!("{}{}", a.simple(), b.simple())
}

/// Why a sign-in or a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No session cookie, an unknown one, or an expired one.
    #[error("sign in to use the console")]
    SignedOut,
    /// The credentials are not valid (the engine's code and message).
    #[error("{code}: {message}")]
    BadCredentials {
        /// The AWS error code (`InvalidClientTokenId`, `SignatureDoesNotMatch`, ...).
        code: String,
        /// AWS's message.
        message: String,
    },
    /// The principal is valid but not allowed [`CONSOLE_READ`].
    #[error("{arn} is not allowed {CONSOLE_READ}")]
    NotAllowed {
        /// The principal.
        arn: String,
    },
    /// A form came without the CSRF token it needs, or with another.
    #[error("the form's CSRF token is missing or does not match: reload the page and try again")]
    Csrf,
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        Self::BadCredentials {
            code: e.code().to_owned(),
            message: e.message().to_owned(),
        }
    }
}

/// A signed-in person's session.
struct Session {
    access_key_id: String,
    secret: SecretString,
    session_token: Option<SecretString>,
    csrf: String,
    expires: Instant,
}

/// The caller behind a request and its session's CSRF token (`None` for a signed request).
#[derive(Debug)]
pub struct Signed {
    /// The principal, authenticated now.
    pub caller: Caller,
    /// The session's CSRF token.
    pub csrf: Option<String>,
}

/// The console's sessions.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("count", &self.lock().len())
            .finish()
    }
}

/// Checks that `caller` may use the console.
///
/// # Errors
/// [`Refusal::NotAllowed`], or the engine's error.
pub fn admit(engine: &Engine, caller: &Caller) -> Result<(), Refusal> {
    let a = engine.authorize(caller, CONSOLE_READ, "*", &[])?;
    if a.is_allowed() {
        Ok(())
    } else {
        Err(Refusal::NotAllowed {
            arn: caller.arn.clone(),
        })
    }
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Verifies the credentials and the principal's right to the console, and opens a session:
    /// its cookie token.
    ///
    /// # Errors
    /// [`Refusal::BadCredentials`] or [`Refusal::NotAllowed`].
    pub fn sign_in(
        &self,
        engine: &Engine,
        access_key_id: &str,
        secret: &str,
        session_token: Option<&str>,
    ) -> Result<String, Refusal> {
        let caller = engine.authenticate_credentials(access_key_id, secret, session_token, None)?;
        admit(engine, &caller)?;
        let token = random_token();
        let now = Instant::now();
        let mut map = self.lock();
        map.retain(|_, s| s.expires > now);
        while map.len() >= MAX_SESSIONS {
            let oldest = map
                .iter()
                .min_by_key(|(_, s)| s.expires)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
        map.insert(
            token.clone(),
            Session {
                access_key_id: access_key_id.to_owned(),
                secret: SecretString::new(secret),
                session_token: session_token.map(SecretString::new),
                csrf: random_token(),
                expires: now + SESSION_TTL,
            },
        );
        Ok(token)
    }

    /// The caller of the session `token`, authenticated and admitted again now.
    ///
    /// # Errors
    /// [`Refusal::SignedOut`] for an unknown or expired session (an expired one is forgotten),
    /// [`Refusal::BadCredentials`] when its key no longer works, [`Refusal::NotAllowed`] when
    /// the principal lost the right.
    pub fn resume(&self, engine: &Engine, token: &str) -> Result<Signed, Refusal> {
        let (key, secret, session_token, csrf) = {
            let mut map = self.lock();
            let Some(s) = map.get(token) else {
                return Err(Refusal::SignedOut);
            };
            if s.expires <= Instant::now() {
                map.remove(token);
                return Err(Refusal::SignedOut);
            }
            (
                s.access_key_id.clone(),
                s.secret.clone(),
                s.session_token.clone(),
                s.csrf.clone(),
            )
        };
        let caller = engine.authenticate_credentials(
            &key,
            secret.expose(),
            session_token.as_ref().map(SecretString::expose),
            None,
        )?;
        admit(engine, &caller)?;
        Ok(Signed {
            caller,
            csrf: Some(csrf),
        })
    }

    /// Ends the session `token`.
    pub fn sign_out(&self, token: &str) {
        self.lock().remove(token);
    }
}

/// Whether `given` (a form's token) equals `expected`, compared in constant time.
pub fn csrf_matches(expected: &str, given: Option<&str>) -> bool {
    given.is_some_and(|g| SecretString::new(expected).ct_eq(g))
}

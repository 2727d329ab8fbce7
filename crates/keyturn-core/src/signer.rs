//! The pluggable backend that mints and opens temporary credentials, and its default
//! implementation over the [`Keyring`].
//!
//! The trait is object-safe and takes plain data, so that a C-ABI plugin can implement it.

use crate::ErrorCode;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use time::OffsetDateTime;

use crate::Error;
use crate::keyring::{KeyId, Keyring};
use crate::token::{self, OpenedSession, SessionClaims};

/// Temporary credentials, as an STS response carries them: the API's one credentials type
/// (generated from the model; the secret and the token are [`keyturn_api::SecretString`]s).
pub use keyturn_api::sts::Credentials;

/// AWS's text for an encoded authorization message that does not decode.
pub const INVALID_MESSAGE_TEXT: &str = "The encoded authorization message is invalid.";

/// Mints and opens temporary credentials; seals and opens authorization messages.
pub trait CredentialSigner: Send + Sync + fmt::Debug {
    /// Mints credentials for the session `claims`: a new access key id of the session's account,
    /// the session token and its secret access key.
    fn mint(&self, claims: &SessionClaims) -> Result<Credentials, Error>;

    /// Opens a session token at `now`: `InvalidClientTokenId` when it is not a valid token,
    /// `ExpiredToken` when it is past its expiry.
    fn open(&self, session_token: &str, now: OffsetDateTime) -> Result<OpenedSession, Error>;

    /// Seals a small payload (an encoded authorization message).
    fn seal_message(&self, message: &[u8]) -> Result<String, Error>;

    /// Opens what [`seal_message`](Self::seal_message) sealed; anything else is
    /// `InvalidAuthorizationMessageException`.
    fn open_message(&self, encoded: &str) -> Result<Vec<u8>, Error>;
}

/// The default signer: AES-256-GCM session tokens under a keyring, shared by every node that
/// holds the same keyring file.
pub struct KeyringSigner {
    keyring: RwLock<Arc<Keyring>>,
}

impl KeyringSigner {
    /// A signer over `keyring`.
    pub fn new(keyring: Keyring) -> Self {
        Self {
            keyring: RwLock::new(Arc::new(keyring)),
        }
    }

    /// The keyring in use (a snapshot).
    pub fn keyring(&self) -> Arc<Keyring> {
        Arc::clone(&self.keyring.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `f` on the keyring under the read lock, without taking a snapshot (the hot paths: an
    /// `Arc` clone and drop would add two contended atomic operations per call).
    fn with_keyring<R>(&self, f: impl FnOnce(&Keyring) -> R) -> R {
        f(&self.keyring.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Replaces the keyring (after a reload of its file, say).
    pub fn replace_keyring(&self, keyring: Keyring) {
        *self.keyring.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(keyring);
    }

    /// Rotates the keyring: a new active key mints, the old ones keep opening.
    /// Returns the new key's id; persist with `self.keyring().save(path)`.
    pub fn rotate(&self) -> Result<KeyId, Error> {
        let mut guard = self.keyring.write().unwrap_or_else(PoisonError::into_inner);
        Arc::make_mut(&mut guard).rotate()
    }
}

impl fmt::Debug for KeyringSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyringSigner")
            .field("keyring", &self.keyring())
            .finish()
    }
}

impl CredentialSigner for KeyringSigner {
    fn mint(&self, claims: &SessionClaims) -> Result<Credentials, Error> {
        let access_key_id = claims.fresh_access_key_id()?;
        let sealed = self.with_keyring(|ring| token::seal(ring, &access_key_id, claims))?;
        Ok(Credentials {
            access_key_id: access_key_id.as_str().to_owned(),
            secret_access_key: sealed.secret_access_key,
            session_token: sealed.token.into(),
            expiration: claims.expires_at,
        })
    }

    fn open(&self, session_token: &str, now: OffsetDateTime) -> Result<OpenedSession, Error> {
        self.with_keyring(|ring| token::open(ring, session_token, now))
    }

    fn seal_message(&self, message: &[u8]) -> Result<String, Error> {
        self.with_keyring(|ring| token::seal_bytes(ring, message))
    }

    fn open_message(&self, encoded: &str) -> Result<Vec<u8>, Error> {
        self.with_keyring(|ring| token::open_bytes(ring, encoded))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidAuthorizationMessageException,
                    INVALID_MESSAGE_TEXT.to_owned(),
                )
            })
    }
}

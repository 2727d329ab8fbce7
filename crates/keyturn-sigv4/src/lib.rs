#![doc = include_str!("../README.md")]
//!
//! Layers, each usable alone: [`crypto`] (SHA-256, HMAC, keys) → [`canonical`] (canonical
//! request) → [`sign::string_to_sign`] → [`SigningKey`] → signature → [`Verifier`] / [`sign()`]
//! over a borrowed [`HttpRequest`].

pub mod auth;
pub mod cache;
pub mod canonical;
pub mod crypto;
mod error;
pub mod request;
pub mod sign;
mod swar;
pub mod time;
pub mod verify;

pub use auth::{AuthorizationHeader, CredentialScope, MAX_EXPIRES_SECS};
pub use cache::SigningKeyCache;
pub use canonical::{SigningSettings, UriEncoding};
pub use crypto::{SigningKey, SigningSecret};
pub use error::{SIGNATURE_MISMATCH_MESSAGE, SigV4Error, VerifyError};
pub use request::HttpRequest;
pub use sign::{Credentials, SignatureLocation, SigningOutput, SigningParams, sign};
pub use time::AmzDate;
pub use verify::{
    CredentialLookup, MAX_CLOCK_SKEW_SECS, Regions, Verified, Verifier, VerifierConfig,
};

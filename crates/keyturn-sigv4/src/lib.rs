#![doc = include_str!("../README.md")]
//!
//! Layers, each usable alone: [`crypto`] (SHA-256, HMAC, keys) → [`canonical`] (canonical
//! request) → [`sign::string_to_sign`] → [`SigningKey`] → signature → [`Verifier`] / [`sign()`]
//! over a borrowed [`HttpRequest`].

pub mod auth;
pub mod cache;
pub mod canonical;
pub mod chunked;
pub mod crypto;
mod error;
pub mod request;
pub mod sign;
mod swar;
pub mod time;
pub mod v4a;
pub mod verify;

pub use auth::{
    ALGORITHM, ALGORITHM_V4A, AuthorizationHeader, CredentialScope, MAX_EXPIRES_SECS,
    V4aCredentialScope,
};
pub use cache::SigningKeyCache;
pub use canonical::{SigningSettings, UriEncoding};
pub use chunked::{ChunkError, ChunkSigning, ChunkedBody, StreamingPayload};
pub use crypto::{SigningKey, SigningSecret};
pub use error::{SIGNATURE_MISMATCH_MESSAGE, SigV4Error, VerifyError};
pub use request::HttpRequest;
pub use sign::{Credentials, SignatureLocation, SigningOutput, SigningParams, sign};
pub use time::AmzDate;
pub use v4a::{V4aKeyCache, V4aSigningKey, V4aVerifyingKey, region_set_includes};
pub use verify::{
    CredentialLookup, MAX_CLOCK_SKEW_SECS, Regions, SignatureAlgorithm, Verified, Verifier,
    VerifierConfig,
};

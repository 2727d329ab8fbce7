#![doc = include_str!("../README.md")]

pub mod analysis;
pub mod arn;
pub mod clock;
pub mod engine;
mod error;
pub mod evaluator;
pub mod iam;
pub mod idp;
pub mod ids;
pub mod keyring;
pub mod mfa;
pub mod ops;
pub mod org;
pub mod pki;
pub mod principal;
pub mod region;
pub mod request;
pub mod signer;
pub mod store;
pub mod token;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, ErrorCode};

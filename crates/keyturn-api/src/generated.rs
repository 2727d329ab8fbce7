//! The code written by `keyturn-codegen` (see `src/generated/`); do not edit those files.

pub(crate) mod errors;
pub mod iam;
pub(crate) mod patterns;
pub mod sts;

//! The code written by `keyturn-codegen` (see `src/generated/`); do not edit those files.

pub mod constraints;
pub(crate) mod errors;
pub mod iam;
pub(crate) mod patterns;
pub mod sts;

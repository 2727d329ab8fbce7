//! IAM's writes through the public API, one test binary: roles and managed policies, users and
//! groups, identity providers, certificates and keys, and the ids stored with the entities. The
//! modules share one world (`iam_reads/support.rs`: the YAML head, the callers, calls by type or
//! by AWS action name) and each adds its own entities.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

#[path = "../iam_reads/support.rs"]
mod support;

mod certs;
mod ids;
mod providers;
mod roles;
mod users;

//! The bodies of Keyturn's fuzz targets: one `pub fn <target>(data: &[u8])` per target, called
//! by `fuzz/fuzz_targets/<target>.rs` under libFuzzer (nightly, `make fuzz`) and by this
//! crate's replay test on every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`
//! (stable, `cargo test`). A target panics when a property fails; any other outcome is a pass.
//! See docs/fuzzing.md.

pub mod bytes;
pub mod check;
pub mod claims;
pub mod config;
pub mod http;
pub mod oidc;
pub mod policy;
pub mod query;
pub mod saml;
pub mod session;
pub mod sigv4;
pub mod token;
pub mod wire;
pub mod world;

/// A target: its name (the directory of its corpus) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, cheapest first (the order `make fuzz` runs them in).
pub const TARGETS: &[Target] = &[
    ("wire", wire::wire),
    ("claims", claims::claims),
    ("query", query::query),
    ("policy", policy::policy),
    ("token", token::token),
    ("config", config::config),
    ("sigv4", sigv4::sigv4),
    ("oidc", oidc::oidc),
    ("saml", saml::saml),
    ("http", http::http),
];

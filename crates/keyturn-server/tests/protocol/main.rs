//! The Query protocol over real HTTP, against a fake backend that decodes each request with its
//! generated input shape and writes a canned generated output (protocol tests only: the real
//! engine is tested elsewhere).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

mod audit;
mod client;
mod connection;
mod fake;
mod limits;
mod stalls;
mod well_known;
mod wire;

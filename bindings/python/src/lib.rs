//! `keyturn._native`: the Python extension module of Keyturn.
//!
//! Thin by design (ARCHITECTURE.md decision 7): every behaviour lives in the engine and in the
//! facade's [`keyturn::embedded`] module, shared with the Node and C bindings; this crate only
//! converts Python values to Rust ones and back, and errors to the exception classes of
//! `keyturn.errors` (one per AWS error code).

mod chunked;
mod engine;
mod errors;
mod server;
mod types;

use pyo3::prelude::*;

/// Keyturn's seed scenario (`docs/examples/cross-account.yaml`): the default configuration of
/// the pytest plugin's `keyturn_server`, as of `keyturn serve` without `--config`.
const SEED_CONFIG: &str = include_str!("../../../docs/examples/cross-account.yaml");

/// The extension module. The public package `keyturn` re-exports its classes.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SEED_CONFIG", SEED_CONFIG)?;
    m.add_class::<engine::Engine>()?;
    m.add_class::<server::Server>()?;
    m.add_class::<chunked::ChunkedBody>()?;
    m.add_class::<types::Credentials>()?;
    m.add_class::<types::CallerIdentity>()?;
    m.add_class::<types::Caller>()?;
    m.add_class::<types::Decision>()?;
    m.add_class::<types::MatchedStatement>()?;
    m.add_function(wrap_pyfunction!(engine::totp, m)?)?;
    Ok(())
}

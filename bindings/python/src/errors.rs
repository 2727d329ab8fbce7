//! Errors to Python exceptions: one class per AWS error code, defined in `keyturn.errors`.
//!
//! The class comes from the error's code through `keyturn.errors._from_code`, whose table is
//! generated from the same models as [`keyturn::ErrorCode`]: no code is listed here.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// The exception for an engine error: `keyturn.errors.<Code>(message)`.
pub(crate) fn sts(py: Python<'_>, e: &keyturn::Error) -> PyErr {
    build(py, e.code(), e.message(), e.encoded_authorization_message())
}

/// The exception for a facade error (configuration, runtime, or an engine error).
pub(crate) fn embed(py: Python<'_>, e: &keyturn::embedded::EmbedError) -> PyErr {
    match e {
        keyturn::embedded::EmbedError::Sts(e) => sts(py, e),
        other => build(py, "ConfigError", &other.to_string(), None),
    }
}

/// The exception for a refused `aws-chunked` body: S3's code (`SignatureDoesNotMatch`,
/// `IncompleteBody`, `BadDigest`, `InvalidRequest`) and text.
pub(crate) fn chunk(py: Python<'_>, e: &keyturn::chunked::ChunkError) -> PyErr {
    build(py, e.code(), &e.to_string(), None)
}

/// The exception for a refused upload (its request or its body).
pub(crate) fn upload(py: Python<'_>, e: &keyturn::chunked::UploadError) -> PyErr {
    match e {
        keyturn::chunked::UploadError::Request(e) => sts(py, e),
        keyturn::chunked::UploadError::Body(e) => chunk(py, e),
        other => build(py, other.code(), &other.to_string(), None),
    }
}

/// A configuration error.
pub(crate) fn config(py: Python<'_>, e: &keyturn::ConfigError) -> PyErr {
    build(py, "ConfigError", &e.to_string(), None)
}

/// An invalid argument, reported the way STS reports one.
pub(crate) fn invalid_parameter(py: Python<'_>, message: impl Into<String>) -> PyErr {
    build(py, "InvalidParameterValue", &message.into(), None)
}

fn build(py: Python<'_>, code: &str, message: &str, encoded: Option<&str>) -> PyErr {
    let made = py
        .import("keyturn.errors")
        .and_then(|m| m.getattr("_from_code"))
        .and_then(|f| f.call1((code, message, encoded)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        // The package is incomplete (the module imported alone): still typed enough to debug.
        Err(import_error) => {
            let e = PyRuntimeError::new_err(format!("{code}: {message}"));
            e.set_cause(py, Some(import_error));
            e
        }
    }
}

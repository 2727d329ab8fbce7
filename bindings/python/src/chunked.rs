//! `ChunkedBody`: an `aws-chunked` upload's body, verified as it arrives
//! ([`keyturn::chunked`]): `feed(bytes) -> bytes` hands back the decoded data, `finish()`
//! checks the end, the trailer's signature and the trailing checksum.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors;

/// The body of a verified `aws-chunked` upload (from `Engine.verify_upload`). Feed it the body
/// in pieces of any size as they arrive; the decoded data comes back at once and stays
/// provisional until `finish()` succeeds. After an error, or `finish()`, it refuses more input.
#[pyclass(module = "keyturn._native")]
pub struct ChunkedBody {
    inner: Option<keyturn::chunked::ChunkedBody>,
    payload: &'static str,
}

impl ChunkedBody {
    pub(crate) fn new(inner: keyturn::chunked::ChunkedBody) -> Self {
        Self {
            payload: inner.payload().literal(),
            inner: Some(inner),
        }
    }

    fn live(&mut self, py: Python<'_>) -> PyResult<&mut keyturn::chunked::ChunkedBody> {
        self.inner.as_mut().ok_or_else(|| {
            errors::chunk(
                py,
                &keyturn::chunked::ChunkError::Malformed(
                    "the body was already refused or finished",
                ),
            )
        })
    }
}

#[pymethods]
impl ChunkedBody {
    /// Feeds the next piece of the body; returns the data decoded from it (possibly empty).
    fn feed<'py>(&mut self, py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let body = self.live(py)?;
        let mut decoded = Vec::with_capacity(data.len());
        match body.feed(data, &mut |d| decoded.extend_from_slice(d)) {
            Ok(()) => Ok(PyBytes::new(py, &decoded)),
            Err(e) => {
                self.inner = None;
                Err(errors::chunk(py, &e))
            }
        }
    }

    /// Completes the body: the trailing headers as (name, value) pairs (names lowercase).
    fn finish(&mut self, py: Python<'_>) -> PyResult<Vec<(String, String)>> {
        self.live(py)?;
        let body = self.inner.take();
        match body.map(keyturn::chunked::ChunkedBody::finish) {
            Some(Ok(trailers)) => Ok(trailers),
            Some(Err(e)) => Err(errors::chunk(py, &e)),
            None => Err(errors::chunk(
                py,
                &keyturn::chunked::ChunkError::IncompleteBody,
            )),
        }
    }

    /// The `X-Amz-Content-Sha256` value, e.g. `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.
    #[getter]
    fn payload(&self) -> &'static str {
        self.payload
    }

    /// Bytes of decoded data so far.
    #[getter]
    fn decoded_length(&self) -> u64 {
        self.inner
            .as_ref()
            .map_or(0, keyturn::chunked::ChunkedBody::decoded_len)
    }

    fn __repr__(&self) -> String {
        format!("ChunkedBody(payload='{}')", self.payload)
    }
}

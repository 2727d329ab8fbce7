//! `Upload`: a verified request whose body may be `aws-chunked` (S3's streaming payloads,
//! SigV4 or SigV4a), its body verified as it arrives (`feed`, then `finish`), in constant
//! memory ([`keyturn_facade::chunked`]).

use napi::Env;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use crate::Caller;
use crate::convert::{Failure, failure, run};

/// A trailing header of a chunked body (`x-amz-checksum-crc32`, ...).
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Trailer {
    /// The name, lowercase.
    pub name: String,
    /// The value.
    pub value: String,
}

/// A refused chunked body as a JS `Error` whose `code` is S3's (`SignatureDoesNotMatch`,
/// `IncompleteBody`, `BadDigest`, `InvalidRequest`).
fn chunk_error(e: &keyturn_facade::chunked::ChunkError) -> Failure {
    failure(e.code(), e.to_string())
}

/// An upload whose headers `Engine.verifyUpload` verified: its caller, and (for an
/// `aws-chunked` payload) its body's verifier. Feed the body as it arrives with `feed`; the
/// decoded data comes back at once and stays provisional until `finish` succeeds. After an
/// error, or `finish`, more input is refused.
#[napi]
pub struct Upload {
    caller: keyturn_facade::Caller,
    body: Option<keyturn_facade::chunked::ChunkedBody>,
    payload: Option<&'static str>,
}

impl Upload {
    pub(crate) fn new(upload: keyturn_facade::chunked::VerifiedUpload) -> Self {
        Self {
            payload: upload.body.as_ref().map(|b| b.payload().literal()),
            caller: upload.caller,
            body: upload.body,
        }
    }
}

#[napi]
impl Upload {
    /// Who signed the request.
    #[napi(getter)]
    pub fn caller(&self) -> Caller {
        Caller {
            inner: self.caller.clone(),
        }
    }

    /// Whether the body is `aws-chunked` (to be fed); `false` when the request's body was
    /// checked with its headers.
    #[napi(getter)]
    pub fn chunked(&self) -> bool {
        self.payload.is_some()
    }

    /// The `X-Amz-Content-Sha256` value of a chunked body (`STREAMING-…`), else `null`.
    #[napi(getter)]
    pub fn payload(&self) -> Option<String> {
        self.payload.map(str::to_owned)
    }

    /// Feeds the next piece of the body; returns the data decoded from it (possibly empty).
    /// Throws with S3's code when the body is refused.
    #[napi]
    pub fn feed(&mut self, env: Env, data: Buffer) -> napi::Result<Buffer> {
        run(&env, || {
            let body = self.body.as_mut().ok_or_else(|| {
                failure("InvalidRequest", "the body was already refused or finished")
            })?;
            let mut decoded = Vec::with_capacity(data.len());
            if let Err(e) = body.feed(&data, &mut |d| decoded.extend_from_slice(d)) {
                self.body = None;
                return Err(chunk_error(&e));
            }
            Ok(Buffer::from(decoded))
        })
    }

    /// Completes the body: its end, decoded length, trailer signature and trailing checksum;
    /// returns the trailing headers. Throws with S3's code (`IncompleteBody`, `BadDigest`,
    /// `SignatureDoesNotMatch`).
    #[napi]
    pub fn finish(&mut self, env: Env) -> napi::Result<Vec<Trailer>> {
        run(&env, || {
            let body = self.body.take().ok_or_else(|| {
                failure("InvalidRequest", "the body was already refused or finished")
            })?;
            let trailers = body.finish().map_err(|e| chunk_error(&e))?;
            Ok(trailers
                .into_iter()
                .map(|(name, value)| Trailer { name, value })
                .collect())
        })
    }
}

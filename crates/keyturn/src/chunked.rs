//! Streamed (`aws-chunked`) uploads through an embedded engine: the request's headers are
//! verified once, then its body chunk by chunk as it arrives, in constant memory.
//!
//! [`Embedded::verify_upload`] takes a request whose `X-Amz-Content-Sha256` is one of S3's
//! streaming values ([`StreamingPayload`]: SigV4 and SigV4a signed chunks, with or without a
//! signed trailer, or unsigned chunks with a trailing checksum) and returns its caller with a
//! [`ChunkedBody`]: feed it the body's bytes as they arrive ([`ChunkedBody::feed`] hands the
//! decoded data on), then [`ChunkedBody::finish`] checks the end, the trailer's signature and
//! the checksum. Data handed on stays provisional until `finish` succeeds. A request with any
//! other payload is verified as [`Embedded::verify_request`] does, with no body verifier.
//!
//! ```no_run
//! # fn demo(engine: &keyturn::embedded::Embedded, request: &keyturn::embedded::ReceivedRequest<'_>,
//! #         pieces: &[&[u8]]) -> Result<(), keyturn::chunked::UploadError> {
//! let upload = engine.verify_upload(request, "s3")?;
//! let mut object = Vec::new();
//! if let Some(mut body) = upload.body {
//!     for piece in pieces {
//!         body.feed(piece, &mut |data| object.extend_from_slice(data))?;
//!     }
//!     let _trailers = body.finish()?;
//! }
//! # Ok(()) }
//! ```

use keyturn_core::Error;
use keyturn_core::engine::Caller;

use crate::embedded::{Embedded, ReceivedRequest};

pub use keyturn_sigv4::{ChunkError, ChunkedBody, StreamingPayload};

/// Why an upload was refused: its request (signature, credentials) or its body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// The request's authentication failed (AWS's codes and texts).
    #[error(transparent)]
    Request(#[from] Error),
    /// The chunked body was refused (S3's codes and texts).
    #[error(transparent)]
    Body(#[from] ChunkError),
}

impl UploadError {
    /// The AWS error code: `SignatureDoesNotMatch`, `IncompleteBody`, `BadDigest`, …
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Request(e) => e.code(),
            Self::Body(e) => e.code(),
        }
    }

    /// The HTTP status AWS sends with [`UploadError::code`].
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Request(e) => e.http_status(),
            Self::Body(e) => e.http_status(),
        }
    }
}

/// A verified upload: its caller and, for a chunked payload, the body's verifier.
#[derive(Debug)]
pub struct VerifiedUpload {
    /// Who signed the request.
    pub caller: Caller,
    /// The body's verifier, `None` when the payload is not chunked (the body, if any, was
    /// checked against `X-Amz-Content-Sha256` with the headers).
    pub body: Option<ChunkedBody>,
}

/// Whether the request declares a chunked payload.
fn declares_chunked(headers: &[(&str, &[u8])]) -> bool {
    headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("x-amz-content-sha256")
            && std::str::from_utf8(v).is_ok_and(|v| StreamingPayload::parse(v.trim()).is_some())
    })
}

impl Embedded {
    /// Verifies a request signed for `service` whose body may be `aws-chunked` (see the
    /// [module documentation](crate::chunked)). The scope's region (SigV4a: a region of the
    /// region set) must be one the engine serves (`server.regions`, as for every request); S3's canonicalisation rules apply when
    /// `service` is `s3`. `request.body` is not read for a chunked payload: the body goes to
    /// the returned verifier.
    ///
    /// # Errors
    /// [`UploadError::Request`] with the SigV4 and credential errors (AWS's codes and texts);
    /// [`UploadError::Body`] when the chunked headers are unusable (an unsupported
    /// `X-Amz-Trailer`, say).
    pub fn verify_upload(
        &self,
        request: &ReceivedRequest<'_>,
        service: &str,
    ) -> Result<VerifiedUpload, UploadError> {
        if !declares_chunked(request.headers) {
            let caller = self.verify_request(request, service)?;
            return Ok(VerifiedUpload { caller, body: None });
        }
        let http = request.http_parts(b"");
        let (caller, body) = match self.engine().authenticate_upload(&http, service) {
            Ok(verified) => verified,
            // A chunked header that cannot be used keeps S3's code.
            Err(keyturn_sigv4::VerifyError::SigV4(keyturn_sigv4::SigV4Error::Chunked(e))) => {
                return Err(e.into());
            }
            Err(e) => return Err(Error::from(e).into()),
        };
        Ok(VerifiedUpload { caller, body })
    }
}

/// The recorded uploads' parsing and checks, shared with keyturn-sigv4's own tests.
#[cfg(test)]
#[allow(clippy::panic, reason = "test helpers fail loudly")]
#[path = "../../keyturn-sigv4/tests/support/uploads.rs"]
mod uploads;

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, reason = "test helpers fail loudly")]

    use time::OffsetDateTime;

    use super::*;
    use crate::embedded::EmbedOptions;

    /// The SigV4a uploads keyturn-sigv4 records (boto3 s3v4a; awscrt-seeded signed chunks).
    const RECORDED: &[u8] = include_bytes!("../../keyturn-sigv4/tests/data/s3_v4a_uploads.json");

    use super::uploads::{self, Upload};

    /// The time `u` was signed at: its `X-Amz-Date`.
    fn signed_at(u: &Upload) -> OffsetDateTime {
        keyturn_sigv4::AmzDate::parse(u.header("x-amz-date"))
            .and_then(|d| d.to_offset_date_time())
            .unwrap_or_else(|| panic!("date"))
    }

    fn engine(dir: &std::path::Path, at: OffsetDateTime) -> Embedded {
        let config = format!(
            "server: {{region: us-east-1}}\nkeyring: {}/keyring.json\nstore: {{memory: true}}\naccounts:\n  - id: \"123456789012\"\n    users:\n      - name: uploader\n",
            dir.display()
        );
        let e = Embedded::from_text(
            &config,
            &EmbedOptions {
                fixed_time: Some(at),
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        e.import_access_key(
            "uploader",
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        e
    }

    fn verify(e: &Embedded, u: &Upload) -> Result<VerifiedUpload, UploadError> {
        let headers: Vec<(&str, &[u8])> = u
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        let request = ReceivedRequest {
            method: "PUT",
            path: &u.path,
            query: "",
            headers: &headers,
            body: b"",
            source_ip: None,
        };
        e.verify_upload(&request, "s3")
    }

    #[test]
    fn recorded_uploads_verify_through_the_engine() {
        let dir = std::env::temp_dir().join(format!("keyturn-chunked-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let all = uploads::parse(RECORDED);
        assert_eq!(all.len(), 5);
        for u in &all {
            let e = engine(&dir, signed_at(u));
            let upload = verify(&e, u).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(upload.caller.arn, "arn:aws:iam::123456789012:user/uploader");
            // Authenticated by the engine like any request: the key's use is recorded.
            let used = e.engine().access_key_last_used("AKIDEXAMPLE");
            assert_eq!(used.map(|u| u.service), Some("s3".to_owned()));
            let mut body = upload.body.unwrap_or_else(|| panic!("not chunked"));
            let mut decoded = Vec::new();
            for piece in u.body.chunks(333) {
                body.feed(piece, &mut |d| decoded.extend_from_slice(d))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(body.finish().is_ok());
            assert!(decoded == u.content);

            // A truncated body: S3's IncompleteBody.
            let again = verify(&e, u).unwrap_or_else(|e| panic!("{e}"));
            let mut body = again.body.unwrap_or_else(|| panic!("not chunked"));
            let cut = &u.body[..u.body.len() - 3];
            let err = body
                .feed(cut, &mut |_| {})
                .and_then(|()| body.finish().map(|_| ()))
                .err()
                .map(UploadError::from);
            assert_eq!(err.as_ref().map(UploadError::code), Some("IncompleteBody"));
            assert_eq!(err.as_ref().map(UploadError::http_status), Some(400));

            // An hour later the signature is out of the clock's window: refused with AWS's code.
            let late = engine(&dir, signed_at(u) + time::Duration::hours(1));
            let err = verify(&late, u).err();
            assert!(
                matches!(&err, Some(UploadError::Request(e)) if e.code() == "SignatureDoesNotMatch"),
                "{err:?}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

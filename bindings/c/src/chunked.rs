//! Streamed (`aws-chunked`) uploads: `kt_engine_verify_upload` verifies the headers and hands a
//! `kt_chunked` to feed the body to as it arrives (`kt_chunked_feed`), then `kt_chunked_finish`
//! checks the end, the trailer's signature and the trailing checksum. Constant memory.

#![allow(non_camel_case_types, reason = "C naming, as in keyturn.h")]

use std::ffi::{CString, c_char};

use keyturn_facade::chunked::{ChunkError, ChunkedBody};

use crate::boundary::{Failure, c_str, guard, write_out};
use crate::engine::{
    free_box, handle, kt_caller, kt_engine, kt_request, out_of_range, put_caller, read_request,
};
use crate::status::kt_status;

/// The body of a verified `aws-chunked` upload, verified as it is fed. Not thread-safe: feed
/// it from one thread at a time.
pub struct kt_chunked {
    /// `None` once refused or finished.
    body: Option<ChunkedBody>,
    payload: CString,
    /// The trailing headers, once finished.
    trailers: Vec<(CString, CString)>,
    finished: bool,
}

/// Borrows a chunked body mutably.
///
/// # Safety
/// `ptr` is NULL or a live `kt_chunked` used by no other thread during the call.
unsafe fn handle_mut<'a>(ptr: *mut kt_chunked) -> Result<&'a mut kt_chunked, Failure> {
    // SAFETY: a live handle per the caller's contract.
    unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null("body"))
}

fn no_longer() -> Failure {
    Failure::new(
        kt_status::InvalidRequest,
        "the body was already refused or finished",
    )
}

/// Verifies the headers of `request` (signed for `service` in the engine's region, SigV4 or
/// SigV4a), whose body may be `aws-chunked` (`X-Amz-Content-Sha256` one of S3's
/// `STREAMING-*` values), and returns the caller and, for a chunked payload, the body's
/// verifier in `*body_out` (else NULL; the request's body is then checked here, as by
/// `kt_engine_verify_request`). The request's body is not read for a chunked payload.
///
/// # Safety
/// As `kt_engine_verify_request`; `body_out` is valid for a write. On success free
/// `*caller_out` with `kt_caller_free` and a non-NULL `*body_out` with `kt_chunked_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_verify_upload(
    engine: *const kt_engine,
    service: *const c_char,
    request: *const kt_request,
    caller_out: *mut *mut kt_caller,
    body_out: *mut *mut kt_chunked,
) -> kt_status {
    guard(|| {
        if caller_out.is_null() {
            return Err(Failure::null("caller_out"));
        }
        if body_out.is_null() {
            return Err(Failure::null("body_out"));
        }
        // SAFETY: forwarded contract.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: forwarded contract.
        let service = unsafe { c_str(service, "service") }?;
        // SAFETY: forwarded contract.
        let r = unsafe { handle(request, "request") }?;
        let mut headers = Vec::new();
        // SAFETY: forwarded contract.
        let received = unsafe { read_request(r, &mut headers) }?;
        let upload = engine.inner.verify_upload(&received, service)?;
        let body = match upload.body {
            Some(body) => {
                let payload = CString::new(body.payload().literal()).map_err(|_| no_longer())?;
                Box::into_raw(Box::new(kt_chunked {
                    body: Some(body),
                    payload,
                    trailers: Vec::new(),
                    finished: false,
                }))
            }
            None => std::ptr::null_mut(),
        };
        if let Err(e) = put_caller(upload.caller, caller_out) {
            // SAFETY: created just above, not handed out.
            unsafe { free_box(body) };
            return Err(e);
        }
        // SAFETY: checked non-NULL above.
        unsafe { write_out(body_out, body, "body_out") }
    })
}

/// Feeds the next `data_len` bytes of the body; the data decoded from them is copied to `out`
/// (at most `data_len` bytes, so an `out` of `data_len` bytes always suffices) and
/// `*written_out` is its length. Decoded data stays provisional until `kt_chunked_finish`
/// succeeds. Errors carry S3's codes (`KT_STATUS_SIGNATURE_DOES_NOT_MATCH`,
/// `KT_STATUS_INVALID_REQUEST`, ...); after one, the body refuses all input.
/// `KT_STATUS_BUFFER_TOO_SMALL` (nothing consumed) when `out_len` < `data_len`.
///
/// # Safety
/// `body` is a live handle used by no other thread during the call; `data` is readable for
/// `data_len` bytes (or NULL with 0); `out` writable for `out_len` bytes (or NULL with 0) and
/// not overlapping `data`; `written_out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_chunked_feed(
    body: *mut kt_chunked,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written_out: *mut usize,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let b = unsafe { handle_mut(body) }?;
        if written_out.is_null() {
            return Err(Failure::null("written_out"));
        }
        // SAFETY: forwarded contract.
        let input = unsafe { crate::boundary::c_bytes(data, data_len, "data") }?;
        if out_len < data_len {
            // SAFETY: checked non-NULL.
            unsafe { written_out.write(data_len) };
            return Err(Failure::new(
                kt_status::BufferTooSmall,
                format!("`out` needs {data_len} bytes"),
            ));
        }
        if out.is_null() && data_len > 0 {
            return Err(Failure::null("out"));
        }
        let inner = b.body.as_mut().ok_or_else(no_longer)?;
        let mut written = 0usize;
        let result = inner.feed(input, &mut |d| {
            // SAFETY: decoded data never exceeds the input, and `out` has room for
            // `out_len` >= `data_len` bytes; regions do not overlap per the contract.
            unsafe { std::ptr::copy_nonoverlapping(d.as_ptr(), out.add(written), d.len()) };
            written += d.len();
        });
        // SAFETY: checked non-NULL.
        unsafe { written_out.write(written) };
        if let Err(e) = result {
            b.body = None;
            return Err(e.into());
        }
        Ok(())
    })
}

/// Completes the body: checks that it ended, that the decoded length is the announced one,
/// the trailer's signature and the trailing checksum; sets `*trailers_len_out` to the number
/// of trailing headers (read them with `kt_chunked_trailer`). Errors carry S3's codes
/// (`KT_STATUS_INCOMPLETE_BODY`, `KT_STATUS_BAD_DIGEST`, `KT_STATUS_SIGNATURE_DOES_NOT_MATCH`).
///
/// # Safety
/// `body` is a live handle used by no other thread during the call; `trailers_len_out` valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_chunked_finish(
    body: *mut kt_chunked,
    trailers_len_out: *mut usize,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let b = unsafe { handle_mut(body) }?;
        if trailers_len_out.is_null() {
            return Err(Failure::null("trailers_len_out"));
        }
        let inner = b.body.take().ok_or_else(no_longer)?;
        let trailers = inner.finish()?;
        let text = |s: String| {
            CString::new(s).map_err(|_| Failure::from(ChunkError::Malformed("invalid trailer")))
        };
        b.trailers = trailers
            .into_iter()
            .map(|(n, v)| Ok((text(n)?, text(v)?)))
            .collect::<Result<_, Failure>>()?;
        b.finished = true;
        // SAFETY: checked non-NULL.
        unsafe { write_out(trailers_len_out, b.trailers.len(), "trailers_len_out") }
    })
}

/// Sets `*name_out` and `*value_out` to the `index`th trailing header of a finished body (name
/// lowercase), valid until the body is freed.
///
/// # Safety
/// `body` is a live handle; `name_out` and `value_out` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_chunked_trailer(
    body: *const kt_chunked,
    index: usize,
    name_out: *mut *const c_char,
    value_out: *mut *const c_char,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let b = unsafe { handle(body, "body") }?;
        let (n, v) = b
            .trailers
            .get(index)
            .ok_or_else(|| out_of_range(index, b.trailers.len()))?;
        // SAFETY: forwarded contract.
        unsafe {
            write_out(name_out, n.as_ptr(), "name_out")?;
            write_out(value_out, v.as_ptr(), "value_out")
        }
    })
}

/// Sets `*payload_out` to the body's `X-Amz-Content-Sha256` value (e.g.
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`), valid until the body is freed.
///
/// # Safety
/// `body` is a live handle; `payload_out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_chunked_payload(
    body: *const kt_chunked,
    payload_out: *mut *const c_char,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let b = unsafe { handle(body, "body") }?;
        // SAFETY: forwarded contract.
        unsafe { write_out(payload_out, b.payload.as_ptr(), "payload_out") }
    })
}

/// Frees a chunked body. NULL is ignored.
///
/// # Safety
/// `body` is NULL or a body not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_chunked_free(body: *mut kt_chunked) {
    // SAFETY: forwarded contract.
    unsafe { free_box(body) }
}

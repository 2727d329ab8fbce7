//! The FFI boundary: every `extern "C"` body runs inside [`guard`], which catches panics and
//! turns failures into a status plus a per-thread message; helpers to read C arguments.

use std::cell::RefCell;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::kt_status;

/// A failure on its way to C: a status and its message.
pub(crate) struct Failure {
    pub status: kt_status,
    pub message: String,
}

impl Failure {
    pub(crate) fn new(status: kt_status, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn null(what: &str) -> Self {
        Self::new(kt_status::NullParameter, format!("`{what}` is NULL"))
    }
}

impl From<keyturn_facade::Error> for Failure {
    fn from(e: keyturn_facade::Error) -> Self {
        Self::new(kt_status::of(&e), e.message())
    }
}

impl From<keyturn_facade::chunked::ChunkError> for Failure {
    fn from(e: keyturn_facade::chunked::ChunkError) -> Self {
        Self::new(kt_status::of_chunk(&e), e.to_string())
    }
}

impl From<keyturn_facade::chunked::UploadError> for Failure {
    fn from(e: keyturn_facade::chunked::UploadError) -> Self {
        use keyturn_facade::chunked::UploadError;
        match e {
            UploadError::Request(e) => e.into(),
            UploadError::Body(e) => e.into(),
            other => Self::new(kt_status::UnknownAwsError, other.to_string()),
        }
    }
}

impl From<keyturn_facade::embedded::EmbedError> for Failure {
    fn from(e: keyturn_facade::embedded::EmbedError) -> Self {
        use keyturn_facade::embedded::EmbedError;
        match e {
            EmbedError::Sts(e) => e.into(),
            EmbedError::Config(e) => Self::new(kt_status::ConfigError, e.to_string()),
            other => Self::new(kt_status::RuntimeError, other.to_string()),
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_last_error(message: String) {
    LAST_ERROR.with(|m| *m.borrow_mut() = message);
}

/// Runs an FFI body: catches a panic (`KT_STATUS_PANIC`) and records the message of a failure
/// (a success leaves the last message alone, like `errno`).
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> kt_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => kt_status::Ok,
        Ok(Err(f)) => {
            set_last_error(f.message);
            f.status
        }
        Err(_) => {
            set_last_error("internal error: a panic was caught at the C boundary".to_owned());
            kt_status::Panic
        }
    }
}

/// Reads a NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn c_str<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str()
        .map_err(|_| Failure::new(kt_status::InvalidUtf8, format!("`{what}` is not UTF-8")))
}

/// Reads an optional NUL-terminated UTF-8 string argument (NULL: `None`).
///
/// # Safety
/// As [`c_str`].
pub(crate) unsafe fn c_str_opt<'a>(
    ptr: *const c_char,
    what: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { c_str(ptr, what) }.map(Some)
}

/// Reads a (pointer, length) byte slice argument; NULL is allowed when `len` is 0.
///
/// # Safety
/// `ptr` points to `len` readable bytes valid for the call (or `len` is 0).
pub(crate) unsafe fn c_bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: `len` readable bytes per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Reads a (pointer, length) UTF-8 string argument.
///
/// # Safety
/// As [`c_bytes`].
pub(crate) unsafe fn c_str_len<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { c_bytes(ptr.cast(), len, what) }?;
    std::str::from_utf8(bytes)
        .map_err(|_| Failure::new(kt_status::InvalidUtf8, format!("`{what}` is not UTF-8")))
}

/// Writes `value` through an `*_out` pointer.
///
/// # Safety
/// `out` is NULL or valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T, what: &str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and writable per the caller's contract.
    unsafe { out.write(value) };
    Ok(())
}

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };

/// Sets `*version_out` to Keyturn's version, a static NUL-terminated string such as `"0.1.0"`
/// (the same as `KEYTURN_VERSION` in keyturn.h).
///
/// # Safety
/// `version_out` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_version(version_out: *mut *const c_char) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe { write_out(version_out, VERSION.as_ptr(), "version_out") })
}

/// Copies the message of the most recent failed call on this thread into `buf`
/// (NUL-terminated) and sets `*written_out` to its length without the NUL. Successful calls do
/// not change it (like `errno`); it is empty until a call fails.
///
/// Returns `KT_STATUS_BUFFER_TOO_SMALL` when `len` is not at least the length + 1; then
/// `*written_out` is the length needed without the NUL and `buf` holds a truncated,
/// NUL-terminated prefix (if `len` > 0). This call does not change the last error.
///
/// # Safety
/// `buf` is valid for `len` bytes of writes (or NULL with `len` 0); `written_out` is NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_last_error_message(
    buf: *mut c_char,
    len: usize,
    written_out: *mut usize,
) -> kt_status {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        LAST_ERROR.with(|m| {
            let m = m.borrow();
            // SAFETY: forwarded contract.
            unsafe { copy_to_buffer(m.as_bytes(), buf, len, written_out) }
        })
    }));
    outcome.unwrap_or(kt_status::Panic)
}

/// Copies `src` and a NUL into (`buf`, `len`).
///
/// # Safety
/// As [`kt_last_error_message`].
pub(crate) unsafe fn copy_to_buffer(
    src: &[u8],
    buf: *mut c_char,
    len: usize,
    written_out: *mut usize,
) -> kt_status {
    if written_out.is_null() || (buf.is_null() && len > 0) {
        return kt_status::NullParameter;
    }
    // SAFETY: non-NULL, writable.
    unsafe { written_out.write(src.len()) };
    if len == 0 {
        return kt_status::BufferTooSmall;
    }
    let n = src.len().min(len - 1);
    // SAFETY: `buf` has room for `len` >= n + 1 bytes; the regions cannot overlap (ours is
    // Rust-owned memory).
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), buf.cast::<u8>(), n);
        buf.add(n).write(0);
    }
    if n < src.len() {
        kt_status::BufferTooSmall
    } else {
        kt_status::Ok
    }
}

/// Sets `*code_out` to the AWS error code of an AWS status (`"AccessDenied"` for
/// `KT_STATUS_ACCESS_DENIED`), a static NUL-terminated string; to NULL for the other statuses.
///
/// # Safety
/// `code_out` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_status_aws_code(
    status: u32,
    code_out: *mut *const c_char,
) -> kt_status {
    guard(|| {
        let code = kt_status::aws_code(status);
        // SAFETY: forwarded contract.
        unsafe {
            write_out(
                code_out,
                code.map_or(std::ptr::null(), CStr::as_ptr),
                "code_out",
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        #[allow(clippy::panic, reason = "the test panics on purpose")]
        let status = guard(|| panic!("boom"));
        assert_eq!(status, kt_status::Panic);
        let mut buf = [0 as c_char; 128];
        let mut written = 0usize;
        // SAFETY: a local buffer and a local counter.
        let s = unsafe { kt_last_error_message(buf.as_mut_ptr(), buf.len(), &mut written) };
        assert_eq!(s, kt_status::Ok);
        assert!(written > 10);
    }

    #[test]
    fn short_buffers_are_reported_and_terminated() {
        let mut buf = [1 as c_char; 4];
        let mut written = 0usize;
        // SAFETY: a local buffer and a local counter.
        let s = unsafe { copy_to_buffer(b"abcdef", buf.as_mut_ptr(), buf.len(), &mut written) };
        assert_eq!(s, kt_status::BufferTooSmall);
        assert_eq!(written, 6);
        assert_eq!(buf[3], 0);
    }
}

//! Standard base64 (with padding) of sealed blobs, and the per-thread scratch buffer that holds
//! a blob while it is sealed or opened.
//!
//! A token is ~600 characters and is decoded on every request signed with temporary
//! credentials: the SIMD codec (`base64-simd`, runtime CPU detection) takes a fraction of the
//! scalar `base64` engine's time. Decoding is strict: padding required, non-zero trailing bits
//! rejected, so each blob has exactly one text form (the bit-flip tests rely on it).

use std::cell::Cell;

use base64_simd::{Out, STANDARD};

thread_local! {
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// The largest blob kept as this thread's scratch buffer between calls.
const SCRATCH_KEEP: usize = 16 * 1024;

/// This thread's scratch buffer, empty (a fresh one if a caller up the stack holds it); give it
/// back with [`put_scratch`].
///
/// Taking the buffer out of the thread-local, rather than running the caller inside a closure,
/// lets the caller build its (large) result in place.
pub(super) fn take_scratch() -> Vec<u8> {
    let mut buf = SCRATCH.with(Cell::take);
    buf.clear();
    buf
}

/// Wipes `buf` and keeps it as this thread's scratch buffer, so that no plaintext outlives the
/// call and the next call allocates nothing.
pub(super) fn put_scratch(mut buf: Vec<u8>) {
    buf.fill(0);
    if buf.capacity() <= SCRATCH_KEEP {
        SCRATCH.with(|cell| cell.set(buf));
    }
}

/// The standard base64 of `bytes`.
pub(super) fn encode(bytes: &[u8]) -> String {
    STANDARD.encode_to_string(bytes)
}

/// Decodes `text` into `out` (replacing its contents); `None` if it is not canonical standard
/// base64.
pub(super) fn decode_into(text: &str, out: &mut Vec<u8>) -> Option<()> {
    let n = STANDARD.decoded_length(text.as_bytes()).ok()?;
    out.clear();
    out.resize(n, 0);
    let len = STANDARD
        .decode(text.as_bytes(), Out::from_slice(&mut out[..]))
        .ok()?
        .len();
    out.truncate(len);
    Some(())
}

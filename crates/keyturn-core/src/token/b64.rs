//! Standard base64 (with padding) of sealed blobs, and the per-thread scratch buffer that holds
//! a blob while it is sealed or opened.
//!
//! A token is ~600 characters and is decoded on every request signed with temporary
//! credentials: the SIMD codec (`base64-simd`, runtime CPU detection) takes a fraction of the
//! scalar `base64` engine's time. Decoding is strict: padding required, non-zero trailing bits
//! rejected, so each blob has exactly one text form (the bit-flip tests rely on it).

use std::cell::RefCell;

use base64_simd::{Out, STANDARD};

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The largest blob kept as this thread's scratch buffer between calls.
const SCRATCH_KEEP: usize = 16 * 1024;

/// Runs `f` with this thread's scratch buffer, emptied; a fresh buffer if it is in use.
///
/// The buffer is wiped before it is handed back, so no plaintext outlives the call.
pub(super) fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            let r = f(&mut buf);
            buf.fill(0);
            if buf.capacity() > SCRATCH_KEEP {
                *buf = Vec::new();
            }
            r
        }
        Err(_) => f(&mut Vec::new()),
    })
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

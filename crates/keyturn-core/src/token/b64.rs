//! Standard base64 (with padding) of sealed blobs, and the per-thread scratch buffer that holds
//! a blob while it is sealed or opened.
//!
//! A token is ~600 characters and is decoded on every request signed with temporary
//! credentials: the SIMD codec (`base64-simd`, runtime CPU detection) takes a fraction of the
//! scalar `base64` engine's time. Decoding is strict: padding required, non-zero trailing bits
//! rejected, so each blob has exactly one text form (the bit-flip tests rely on it).

use std::cell::Cell;

use base64_simd::STANDARD;

thread_local! {
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// The largest blob kept as this thread's scratch buffer between calls.
const SCRATCH_KEEP: usize = 16 * 1024;

/// This thread's scratch buffer, empty (a fresh one if a caller up the stack holds it); give it
/// back with [`put_scratch`].
///
/// Taking the buffer out of the thread-local, rather than running the caller inside
/// `LocalKey::with`, lets a nested caller get a buffer of its own and the caller build its
/// (large) result in place. Callers use [`with_scratch`].
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

/// Runs `f` with this thread's scratch buffer (empty), then wipes and keeps the buffer: the
/// take-run-give-back of [`take_scratch`] and [`put_scratch`] in one place. Generic and inlined,
/// so the caller's result is still built in place.
#[inline]
pub(super) fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut buf = take_scratch();
    let result = f(&mut buf);
    put_scratch(buf);
    result
}

/// The standard base64 of `bytes`.
pub(super) fn encode(bytes: &[u8]) -> String {
    STANDARD.encode_to_string(bytes)
}

/// Decodes `text` into `out` (replacing its contents); `None` if it is not canonical standard
/// base64.
pub(super) fn decode_into(text: &str, out: &mut Vec<u8>) -> Option<()> {
    out.clear();
    // Appends to the spare capacity: no zero-filling of the ~450 bytes first.
    STANDARD.decode_append(text, out).ok()
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as REFERENCE;

    use super::*;

    fn decode(text: &str) -> Option<Vec<u8>> {
        let mut out = vec![0xAA; 3];
        decode_into(text, &mut out).map(|()| out)
    }

    #[test]
    fn agrees_with_the_base64_crate_on_every_length() {
        let bytes: Vec<u8> = (0..700u32).map(|i| (i * 7 + 3) as u8).collect();
        for n in 0..bytes.len() {
            let text = encode(&bytes[..n]);
            assert_eq!(text, REFERENCE.encode(&bytes[..n]), "encode {n}");
            assert_eq!(decode(&text).as_deref(), Some(&bytes[..n]), "decode {n}");
        }
    }

    #[test]
    fn only_canonical_padded_text_decodes() {
        assert_eq!(decode("QUJD").as_deref(), Some(&b"ABC"[..]));
        assert_eq!(decode("QUI=").as_deref(), Some(&b"AB"[..]));
        // Non-zero trailing bits, missing or extra padding, foreign characters, whitespace.
        for bad in [
            "QUJ=", "QUF=", "QR==", "QUI", "QQ", "QUI==", "Q===", "QUJD=", "QU-D", "QU_D", "QUJ D",
            "QUJD
", " QUJD", "QUJDRA", "Q",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
            assert!(REFERENCE.decode(bad).is_err(), "reference accepts {bad:?}");
        }
    }

    #[test]
    fn scratch_is_reused_and_a_nested_taker_gets_its_own() {
        let mut outer = take_scratch();
        outer.extend_from_slice(b"plaintext");
        let inner = take_scratch();
        assert!(inner.is_empty());
        put_scratch(inner);
        let ptr = outer.as_ptr();
        put_scratch(outer);
        let again = take_scratch();
        assert!(again.is_empty());
        assert_eq!(again.as_ptr(), ptr, "the last buffer given back is kept");
        assert!(again.capacity() >= 9);
        put_scratch(again);
    }
}

//! Canonical request construction, streamed into a hasher or a buffer without intermediate strings.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::crypto::Sha256Stream;
use crate::error::SigV4Error;
use crate::swar;

/// Where canonical bytes go: a SHA-256 hasher on the hot path, a `Vec` when a test wants to see them.
pub trait Sink {
    /// Appends bytes.
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// A SHA-256 for canonicalisation's many tiny pieces: a 32-byte state and one 64-byte block
/// over the raw compression function, cheap to create and finish.
pub struct BufferedSha256(Sha256Stream);

impl Default for BufferedSha256 {
    fn default() -> Self {
        Self(Sha256Stream::new())
    }
}

impl BufferedSha256 {
    /// The digest of everything put so far.
    #[must_use]
    pub fn finalize(mut self) -> [u8; 32] {
        self.0.finalize()
    }
}

impl Sink for BufferedSha256 {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

impl<const B: usize> Sink for Sha256Stream<B> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// How the path is URI-encoded into the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UriEncoding {
    /// Every service except S3: the path as received is encoded once more (`%` becomes `%25`).
    #[default]
    Double,
    /// S3: the path is percent-decoded, then encoded once.
    Single,
}

/// Canonicalisation settings that differ between services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningSettings {
    /// Remove `.`/`..` segments and merge repeated slashes (every service except S3).
    pub normalize_path: bool,
    /// Path encoding.
    pub uri_encoding: UriEncoding,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            normalize_path: true,
            uri_encoding: UriEncoding::Double,
        }
    }
}

impl SigningSettings {
    /// S3's rules: no normalisation, single encoding.
    #[must_use]
    pub fn s3() -> Self {
        Self {
            normalize_path: false,
            uri_encoding: UriEncoding::Single,
        }
    }
}

/// Longest header value accepted for signing.
pub const MAX_HEADER_VALUE_LEN: usize = 16 * 1024;
/// Most headers accepted in one request.
pub const MAX_HEADERS: usize = 256;

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Writes `bytes` URI-encoded the SigV4 way (unreserved kept, `/` kept if `keep_slash`).
pub fn uri_encode(sink: &mut impl Sink, bytes: &[u8], keep_slash: bool) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            continue;
        }
        if start < i {
            sink.put(&bytes[start..i]);
        }
        sink.put(&[
            b'%',
            HEX_UPPER[usize::from(b >> 4)],
            HEX_UPPER[usize::from(b & 0x0f)],
        ]);
        start = i + 1;
    }
    if start < bytes.len() {
        sink.put(&bytes[start..]);
    }
}

fn encode_to_vec(bytes: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(bytes.len() + 8);
    uri_encode(&mut v, bytes, false);
    v
}

fn percent_decode(s: &[u8]) -> Cow<'_, [u8]> {
    percent_encoding::percent_decode(s).into()
}

fn needs_normalization(path: &[u8]) -> bool {
    if path.first() != Some(&b'/') {
        return true;
    }
    let segments = path[1..].split(|&b| b == b'/');
    let count = path[1..].split(|&b| b == b'/').count();
    segments
        .enumerate()
        .any(|(i, seg)| seg == b"." || seg == b".." || (seg.is_empty() && i + 1 < count))
}

/// RFC 3986 dot-segment removal plus merging of repeated slashes.
fn normalize(path: &[u8]) -> Vec<u8> {
    let mut stack: Vec<&[u8]> = Vec::new();
    let mut trailing = false;
    for seg in path.split(|&b| b == b'/') {
        trailing = false;
        match seg {
            b"" => trailing = true,
            b"." => trailing = true,
            b".." => {
                stack.pop();
                trailing = true;
            }
            s => stack.push(s),
        }
    }
    let mut out = Vec::with_capacity(path.len() + 1);
    for seg in &stack {
        out.push(b'/');
        out.extend_from_slice(seg);
    }
    if trailing || stack.is_empty() {
        out.push(b'/');
    }
    out
}

/// Writes the canonical URI of `path`.
pub fn write_canonical_path(sink: &mut impl Sink, path: &str, settings: SigningSettings) {
    let raw = path.as_bytes();
    if raw.is_empty() || raw == b"/" {
        sink.put(b"/");
        return;
    }
    let decoded: Cow<'_, [u8]> = match settings.uri_encoding {
        UriEncoding::Double => Cow::Borrowed(raw),
        UriEncoding::Single => percent_decode(raw),
    };
    if settings.normalize_path && needs_normalization(&decoded) {
        uri_encode(sink, &normalize(&decoded), true);
    } else {
        uri_encode(sink, &decoded, true);
    }
}

/// Writes the canonical query string of `query`, leaving out parameters whose decoded name
/// satisfies `exclude`.
pub fn write_canonical_query(sink: &mut impl Sink, query: &str, exclude: impl Fn(&[u8]) -> bool) {
    if query.is_empty() {
        return;
    }
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for part in query.split('&') {
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = percent_decode(k.as_bytes());
        if exclude(&k) {
            continue;
        }
        pairs.push((
            encode_to_vec(&k),
            encode_to_vec(&percent_decode(v.as_bytes())),
        ));
    }
    pairs.sort_unstable();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            sink.put(b"&");
        }
        sink.put(k);
        sink.put(b"=");
        sink.put(v);
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Splits on an ASCII byte without `str`'s char-pattern machinery (faster on short strings).
pub(crate) fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Splits at the first occurrence of an ASCII byte.
pub(crate) fn split_once_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// Whether a header value is printable ASCII (`0x20..=0x7e`) without leading, trailing or
/// doubled spaces, i.e. its canonical form is itself. Eight bytes at a time, in windows that
/// start seven bytes apart so that every adjacent pair of bytes lies inside one window; the
/// tests only need to say whether *any* byte is bad, which the cheaper forms below do exactly.
fn is_plain(value: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const SPACES: u64 = ONES * 0x20;
    // Nonzero iff some byte is below 0x20, at least 0x7f, or a space followed by a space.
    let bad = |x: u64| {
        let below = x.wrapping_sub(SPACES) & !x;
        let del_or_high = x.wrapping_add(ONES) | x;
        // A zero lane in `d | d >> 8` is a space beside a space; the top lane has no neighbour.
        let d = x ^ SPACES;
        let z = d | (d >> 8) | (0xff << 56);
        let pair = z.wrapping_sub(ONES) & !z;
        (below | del_or_high | pair) & HIGH
    };
    let n = value.len();
    if value.first() == Some(&b' ') || value.last() == Some(&b' ') {
        return false;
    }
    if n < 8 {
        // Padded with a letter, which is neither bad nor a space.
        return bad(swar::load(value, 0, b'a')) == 0;
    }
    let mut acc = 0;
    let mut i = 0;
    loop {
        let at = i.min(n - 8);
        acc |= bad(swar::load(value, at, b'a'));
        if at == n - 8 {
            return acc == 0;
        }
        i += 7;
    }
}

/// Writes a header value trimmed, with inner whitespace runs collapsed to one space, checking
/// in the same pass that it holds no control bytes, then (only if it has non-ASCII bytes) UTF-8.
fn write_trimmed(sink: &mut impl Sink, name: &str, value: &[u8]) -> Result<(), SigV4Error> {
    if value.len() > MAX_HEADER_VALUE_LEN {
        return Err(SigV4Error::InvalidHeader(name.to_owned()));
    }
    // Fast path, the usual case: printable ASCII with single inner spaces, nothing to trim.
    // Anything else (control bytes, tabs, leading, trailing or doubled spaces, non-ASCII)
    // takes the general loop below.
    let plain = is_plain(value);
    if plain {
        sink.put(value);
        return Ok(());
    }
    let mut start: Option<usize> = None;
    let mut wrote = false;
    let mut bad = false;
    let mut high = false;
    for (i, &b) in value.iter().enumerate() {
        if is_space(b) {
            if let Some(st) = start.take() {
                if wrote {
                    sink.put(b" ");
                }
                sink.put(&value[st..i]);
                wrote = true;
            }
        } else {
            bad |= b < 0x20 || b == 0x7f;
            high |= b >= 0x80;
            if start.is_none() {
                start = Some(i);
            }
        }
    }
    if let Some(st) = start {
        if wrote {
            sink.put(b" ");
        }
        sink.put(&value[st..]);
    }
    if bad || (high && std::str::from_utf8(value).is_err()) {
        return Err(SigV4Error::InvalidHeader(name.to_owned()));
    }
    Ok(())
}

/// Writes the canonical headers block (each signed header as `name:values\n`), then a blank
/// line, the signed-headers list and nothing else. Multiple headers of one name join with `,`.
pub fn write_canonical_headers(
    sink: &mut impl Sink,
    headers: &[(&str, &[u8])],
    signed_headers: &str,
) -> Result<(), SigV4Error> {
    for name in split_byte(signed_headers, b';') {
        sink.put(name.as_bytes());
        sink.put(b":");
        let mut first = true;
        for (n, v) in headers {
            if swar::eq_ignore_ascii_case(n.as_bytes(), name.as_bytes()) {
                if !first {
                    sink.put(b",");
                }
                write_trimmed(sink, name, v)?;
                first = false;
            }
        }
        sink.put(b"\n");
    }
    sink.put(b"\n");
    sink.put(signed_headers.as_bytes());
    sink.put(b"\n");
    Ok(())
}

/// Checks a `SignedHeaders` list: non-empty lowercase names without separators or whitespace.
pub(crate) fn valid_signed_headers(list: &str) -> bool {
    !list.is_empty()
        && !list.starts_with(';')
        && !list.ends_with(';')
        && !list.contains(";;")
        && list.bytes().fold(true, |ok, b| {
            ok & (b > b' ') & (b < 0x7f) & !b.is_ascii_uppercase() & (b != b':')
        })
}

/// Whether `host` (or `:authority`) is among the signed headers.
pub(crate) fn signs_host(list: &str) -> bool {
    split_byte(list, b';').any(|h| h == "host" || h == ":authority")
}

/// Everything that goes into a canonical request.
#[derive(Debug, Clone, Copy)]
pub struct CanonicalParts<'a> {
    /// The request's method, raw path, raw query and headers (its body is not read: the
    /// payload hash stands for it).
    pub request: crate::HttpRequest<'a>,
    /// The `;`-separated lowercase signed header names, sorted.
    pub signed_headers: &'a str,
    /// The payload hash (hex) or `UNSIGNED-PAYLOAD`.
    pub payload_hash: &'a str,
    /// Path rules.
    pub settings: SigningSettings,
}

/// Writes the whole canonical request, leaving out query parameters whose name satisfies `exclude`.
pub fn write_canonical_request(
    sink: &mut impl Sink,
    parts: &CanonicalParts<'_>,
    exclude: impl Fn(&[u8]) -> bool,
) -> Result<(), SigV4Error> {
    let req = &parts.request;
    sink.put(req.method.as_bytes());
    sink.put(b"\n");
    write_canonical_path(sink, req.path, parts.settings);
    sink.put(b"\n");
    write_canonical_query(sink, req.query, exclude);
    sink.put(b"\n");
    write_canonical_headers(sink, req.headers, parts.signed_headers)?;
    sink.put(parts.payload_hash.as_bytes());
    Ok(())
}

/// The canonical request as a `String` (for tests and debugging; verification hashes it directly).
pub fn canonical_request_string(
    parts: &CanonicalParts<'_>,
    exclude: impl Fn(&[u8]) -> bool,
) -> Result<String, SigV4Error> {
    let mut v = Vec::with_capacity(256);
    write_canonical_request(&mut v, parts, exclude)?;
    Ok(String::from_utf8_lossy(&v).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str, s: SigningSettings) -> String {
        let mut v = Vec::new();
        write_canonical_path(&mut v, p, s);
        String::from_utf8_lossy(&v).into_owned()
    }

    #[test]
    fn paths() {
        let n = SigningSettings::default();
        assert_eq!(path("", n), "/");
        assert_eq!(path("/a/b/../c/./d", n), "/a/c/d");
        assert_eq!(path("/a/b/..", n), "/a/");
        assert_eq!(path("//a//b//", n), "/a/b/");
        assert_eq!(path("/../..", n), "/");
        assert_eq!(path("/a%20b", n), "/a%2520b");
        assert_eq!(path("/a%20b", SigningSettings::s3()), "/a%20b");
        assert_eq!(path("//a/./", SigningSettings::s3()), "//a/./");
        assert_eq!(path("relative", n), "/relative");
    }

    #[test]
    fn buffered_hash_equals_plain_hash() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 251) as u8).collect();
        for chunk in [1, 63, 64, 500, 511, 512, 513, 2000] {
            let mut b = BufferedSha256::default();
            for piece in data.chunks(chunk) {
                b.put(piece);
            }
            assert_eq!(b.finalize(), crate::crypto::sha256(&data), "chunk {chunk}");
        }
    }

    /// The fast path and the general loop of `write_trimmed` against a plain reference:
    /// whitespace runs collapsed, ends trimmed, control bytes and bad UTF-8 refused.
    #[test]
    fn trimming_matches_reference() {
        fn reference(value: &[u8]) -> Option<Vec<u8>> {
            if value
                .iter()
                .any(|&b| (b < 0x20 && !is_space(b)) || b == 0x7f)
                || std::str::from_utf8(value).is_err()
            {
                return None;
            }
            let words: Vec<&[u8]> = value
                .split(|&b| is_space(b))
                .filter(|w| !w.is_empty())
                .collect();
            Some(words.join(&b' '))
        }
        let alphabet: [&[u8]; 9] = [
            b"a",
            b" ",
            b"\t",
            b"\r",
            b"\x01",
            b"\x7f",
            "é".as_bytes(),
            b"\xff",
            b"~",
        ];
        // Every string of up to four pieces from the alphabet.
        let mut values: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = values
                .iter()
                .flat_map(|v| alphabet.iter().map(move |p| [v.as_slice(), p].concat()))
                .collect();
            values.extend(longer);
        }
        values.sort();
        values.dedup();
        // Shifted across the eight-byte words of the fast check too.
        let shifted: Vec<Vec<u8>> = values
            .iter()
            .flat_map(|v| {
                [
                    [b"abcdef", v.as_slice()].concat(),
                    [b"abcdefg h", v.as_slice(), b"ijklmnop"].concat(),
                ]
            })
            .collect();
        values.extend(shifted);
        for v in values {
            let mut out = Vec::new();
            let got = write_trimmed(&mut out, "x", &v).ok().map(|()| out);
            assert_eq!(got, reference(&v), "{v:?}");
        }
    }

    /// `is_plain` against its definition, for every string of up to six bytes from an
    /// alphabet of edge bytes, at every offset across the eight-byte windows.
    #[test]
    fn plain_check_matches_definition() {
        fn definition(v: &[u8]) -> bool {
            v.iter().all(|&b| (0x20..=0x7e).contains(&b))
                && v.first() != Some(&b' ')
                && v.last() != Some(&b' ')
                && !v.windows(2).any(|w| w == b"  ")
        }
        let alphabet = [
            b'a', b' ', b'\t', 0x1f, 0x7e, 0x7f, 0x80, 0xff, b'!', 0x00, 0x21,
        ];
        let mut values: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|v| alphabet.iter().map(move |&c| [v.as_slice(), &[c]].concat()))
                .collect();
            values.extend(last.iter().cloned());
        }
        let mut checked = 0;
        for v in &values {
            for pad in [0usize, 1, 3, 6, 7, 8, 13, 14, 15, 20] {
                let filler: Vec<u8> = (0..pad).map(|i| b"ab c"[i % 4]).collect();
                for s in [
                    [filler.as_slice(), v].concat(),
                    [v.as_slice(), &filler].concat(),
                    [filler.as_slice(), v, &filler].concat(),
                ] {
                    assert_eq!(is_plain(&s), definition(&s), "{s:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000);
    }

    #[test]
    fn trimming() {
        let mut v = Vec::new();
        assert!(write_trimmed(&mut v, "x", b"  a   b \t c  ").is_ok());
        assert_eq!(v, b"a b c");
    }

    #[test]
    fn query_sorting_and_exclusion() {
        let mut v = Vec::new();
        write_canonical_query(&mut v, "b=2&a=1&X-Amz-Signature=zz&c&a=0", |k| {
            k == b"X-Amz-Signature"
        });
        assert_eq!(v, b"a=0&a=1&b=2&c=");
    }
}

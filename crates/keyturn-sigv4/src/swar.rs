//! Byte classification eight bytes at a time in a `u64` ("SIMD within a register"), for the
//! hot scans over header values. Every mask has the high bit of each byte that matches set, and
//! nothing else; the formulas are exact per byte (no carries cross byte boundaries).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Bytes `>= n` among those below 0x80 (`n` in `1..=0x80`).
fn ascii_at_least(x: u64, n: u8) -> u64 {
    ((x & LOW7) + ONES * u64::from(0x80 - n)) & !x & HIGH
}

/// Bytes equal to zero.
fn zero(x: u64) -> u64 {
    !(((x & LOW7) + LOW7) | x) & HIGH
}

/// Bytes equal to `c`.
pub(crate) fn eq(x: u64, c: u8) -> u64 {
    zero(x ^ (ONES * u64::from(c)))
}

/// Bytes equal to `c`, cheaper than [`eq`] but exact only for the lowest one (and for whether
/// there is one): a byte above a match may be flagged spuriously (a borrow). For stops and
/// "any bad byte before the stop" tests, through [`first`] and [`before_first`].
pub(crate) fn eq_lowest(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * u64::from(c));
    y.wrapping_sub(ONES) & !y & HIGH
}

/// Bytes outside `0x21..=0x7e` (space, control bytes, DEL, non-ASCII).
pub(crate) fn not_graphic(x: u64) -> u64 {
    let below = !ascii_at_least(x, 0x21) & !x & HIGH;
    let del_or_high = (((x & LOW7) + ONES) | x) & HIGH;
    below | del_or_high
}

/// ASCII upper-case letters.
pub(crate) fn upper(x: u64) -> u64 {
    ascii_at_least(x, b'A') & !ascii_at_least(x, b'Z' + 1)
}

/// Index (0..8) of the byte whose high bit is the lowest set in `mask`.
pub(crate) fn first(mask: u64) -> usize {
    // At most 63 / 8 = 7: lossless.
    (mask.trailing_zeros() / 8) as usize
}

/// The mask's bits for bytes strictly before the first byte set in `stops` (all if none).
pub(crate) fn before_first(mask: u64, stops: u64) -> u64 {
    if stops == 0 {
        mask
    } else {
        mask & ((stops & stops.wrapping_neg()) - 1)
    }
}

/// ASCII-case-insensitive equality, eight bytes at a time (same result as
/// `<[u8]>::eq_ignore_ascii_case`).
#[inline]
pub(crate) fn eq_ignore_ascii_case(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.eq_ignore_ascii_case(b);
    }
    let lower = |x: u64| x | (upper(x) >> 2);
    let same = |i: usize| lower(load(a, i, 0)) == lower(load(b, i, 0));
    // Whole words, then the last eight bytes (overlapping when `n` is not a multiple of 8).
    (0..n - 8).step_by(8).all(same) && same(n - 8)
}

/// Eight bytes from `b` at `i` as a little-endian word, `fill` past the end.
pub(crate) fn load(b: &[u8], i: usize, fill: u8) -> u64 {
    match b.get(i..i + 8) {
        Some(w) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            u64::from_le_bytes(a)
        }
        None => {
            let mut a = [fill; 8];
            for (dst, src) in a.iter_mut().zip(b.get(i..).unwrap_or_default()) {
                *dst = *src;
            }
            u64::from_le_bytes(a)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each classifier against its scalar definition, for every byte value in every lane,
    /// beside neighbours that would expose a carry.
    #[test]
    fn exact_per_byte() {
        for v in 0..=255u8 {
            for lane in 0..8 {
                for other in [0u8, 0x01, 0x20, 0x2f, 0x7f, 0x80, 0xff, b'A', b'Z', b','] {
                    let mut a = [other; 8];
                    a[lane] = v;
                    let x = u64::from_le_bytes(a);
                    let expect = |f: &dyn Fn(u8) -> bool| {
                        a.iter()
                            .enumerate()
                            .fold(0u64, |m, (i, &c)| m | (u64::from(f(c)) << (8 * i + 7)))
                    };
                    assert_eq!(eq(x, b','), expect(&|c| c == b','), "{a:?}");
                    assert_eq!(eq(x, 0), expect(&|c| c == 0), "{a:?}");
                    assert_eq!(
                        not_graphic(x),
                        expect(&|c| !(0x21..=0x7e).contains(&c)),
                        "{a:?}"
                    );
                    assert_eq!(upper(x), expect(&|c| c.is_ascii_uppercase()), "{a:?}");
                }
            }
        }
    }

    #[test]
    fn case_insensitive_equality() {
        let names: [&[u8]; 8] = [
            b"host",
            b"HOST",
            b"Host",
            b"hosT",
            b"x-amz-date",
            b"X-Amz-Date",
            b"x-amz-datE",
            b"X-AMZ-DATF",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    eq_ignore_ascii_case(a, b),
                    a.eq_ignore_ascii_case(b),
                    "{a:?} {b:?}"
                );
            }
        }
        // Every pair of byte values, in a word and across the word boundary.
        for x in 0..=255u8 {
            for y in 0..=255u8 {
                let (a, b) = (
                    [b'a', x, b'c', b'd', b'e', b'f', b'g', b'h', x],
                    [b'A', y, b'C', b'D', b'E', b'F', b'G', b'H', y],
                );
                assert_eq!(
                    eq_ignore_ascii_case(&a, &b),
                    a.eq_ignore_ascii_case(&b),
                    "{x} {y}"
                );
            }
        }
    }

    /// `eq_lowest` agrees with `eq` on the lowest match and on whether there is one, for every
    /// byte value in every lane beside neighbours that borrow.
    #[test]
    fn lowest_match_is_exact() {
        for v in 0..=255u8 {
            for lane in 0..8 {
                for other in [0u8, b',', b'-', b'+', 0x80, 0xff, b':', b';'] {
                    let mut a = [other; 8];
                    a[lane] = v;
                    let x = u64::from_le_bytes(a);
                    for c in [b',', b':'] {
                        let (exact, cheap) = (eq(x, c), eq_lowest(x, c));
                        assert_eq!(exact == 0, cheap == 0, "{a:?}");
                        assert_eq!(exact & exact.wrapping_neg(), cheap & cheap.wrapping_neg());
                        assert_eq!(cheap & exact, exact, "{a:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn helpers() {
        let x = load(b"ab,cd,", 0, b'!');
        let commas = eq(x, b',');
        assert_eq!(first(commas), 2);
        assert_eq!(before_first(eq(x, b'a') | eq(x, b'd'), commas), eq(x, b'a'));
        assert_eq!(load(b"xy", 1, b'!').to_le_bytes(), *b"y!!!!!!!");
        assert_eq!(load(b"xy", 5, b'!').to_le_bytes(), *b"!!!!!!!!");
    }
}

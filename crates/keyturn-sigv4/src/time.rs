//! `X-Amz-Date` (`YYYYMMDD'T'HHMMSS'Z'`) parsing and formatting without allocation.

use time::OffsetDateTime;

/// A UTC instant at one-second resolution, as SigV4 carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AmzDate {
    unix: i64,
}

impl AmzDate {
    /// Parses `20150830T123600Z`; `None` for anything else.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        // Two words, eight digits each once the `T` and the `Z` are swapped for zeros: one
        // digit test per word, then the two-digit fields by multiply-and-add in the lanes.
        let b: &[u8; 16] = s.as_bytes().try_into().ok()?;
        let (date, time) = b.split_at(8);
        let date = u64::from_le_bytes(date.try_into().ok()?);
        let time = u64::from_le_bytes(time.try_into().ok()?);
        const ENDS: u64 = 0xff00_0000_0000_00ff;
        if time & ENDS != u64::from_le_bytes(*b"T000000Z") & ENDS {
            return None;
        }
        let time = (time & !ENDS) | (ZEROS & ENDS);
        let (date, time) = (digit_lanes(date)?, digit_lanes(time)? >> 8);
        // Lane k of a word holds digits 2k and 2k+1: to tens and units in one byte per lane.
        let pairs = |d: u64| (d * 10 + (d >> 8)) & 0x00ff_00ff_00ff_00ff;
        let lane = |p: u64, k: u32| ((p >> (16 * k)) & 0xff) as u32;
        let (dp, tp) = (pairs(date), pairs(time));
        let (y, mo, d) = (lane(dp, 0) * 100 + lane(dp, 1), lane(dp, 2), lane(dp, 3));
        let (h, mi, se) = (lane(tp, 0), lane(tp, 1), lane(tp, 2));
        if !(1..=12).contains(&mo)
            || d < 1
            || i64::from(d) > days_in_month(i64::from(y), i64::from(mo))
            || h > 23
            || mi > 59
            || se > 59
        {
            return None;
        }
        Some(Self {
            unix: days_from_civil_4digit(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + se),
        })
    }

    /// From a `time` instant (sub-second part dropped).
    #[must_use]
    pub fn from_offset_date_time(t: OffsetDateTime) -> Self {
        Self {
            unix: t.unix_timestamp(),
        }
    }

    /// From seconds since the Unix epoch.
    #[must_use]
    pub fn from_unix(unix: i64) -> Self {
        Self { unix }
    }

    /// Seconds since the Unix epoch.
    #[must_use]
    pub fn unix(self) -> i64 {
        self.unix
    }

    /// As a `time` instant (`None` if out of `time`'s range).
    #[must_use]
    pub fn to_offset_date_time(self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp(self.unix).ok()
    }

    /// This instant plus `secs` seconds (saturating).
    #[must_use]
    pub fn plus(self, secs: i64) -> Self {
        Self {
            unix: self.unix.saturating_add(secs),
        }
    }

    /// The 16-byte `YYYYMMDDTHHMMSSZ` form (years outside 0..=9999 are clamped).
    #[must_use]
    pub fn format(self) -> [u8; 16] {
        let days = self.unix.div_euclid(86_400);
        let secs = self.unix.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let y = y.clamp(0, 9999);
        let mut out = *b"00000000T000000Z";
        put_digits(&mut out[0..4], y);
        put_digits(&mut out[4..6], m);
        put_digits(&mut out[6..8], d);
        put_digits(&mut out[9..11], secs / 3600);
        put_digits(&mut out[11..13], secs / 60 % 60);
        put_digits(&mut out[13..15], secs % 60);
        out
    }

    /// The `YYYYMMDDTHHMMSSZ` form as a `String`.
    #[must_use]
    pub fn to_amz_string(self) -> String {
        String::from_utf8_lossy(&self.format()).into_owned()
    }

    /// The `YYYYMMDD` date used in the credential scope.
    #[must_use]
    pub fn date_string(self) -> String {
        String::from_utf8_lossy(&self.format()[..8]).into_owned()
    }
}

fn put_digits(out: &mut [u8], mut v: i64) {
    for slot in out.iter_mut().rev() {
        // `v` is non-negative and reduced modulo 10, so the cast cannot truncate.
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const ZEROS: u64 = ONES * 0x30;

/// The eight bytes as digit values (0..=9 per lane), if all are ASCII digits.
fn digit_lanes(w: u64) -> Option<u64> {
    const HIGH: u64 = ONES * 0x80;
    // Some byte below `'0'` (exact as an "any" test: the lowest such byte borrows nothing).
    let below = w.wrapping_sub(ZEROS) & !w;
    // Bytes above `'9'`, exact per byte (no carries: at most 0x7f + 0x46), or non-ASCII.
    let above = ((w & !HIGH) + ONES * (0x80 - 0x3a)) | w;
    ((below | above) & HIGH == 0).then(|| w - ZEROS)
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`) for the four-digit years `parse` reads, in unsigned arithmetic (cheaper
/// divisions): the year is moved on by one 400-year era (146 097 days) so none is negative.
fn days_from_civil_4digit(y: u32, m: u32, d: u32) -> i64 {
    let y = y + 400 - u32::from(m <= 2);
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i64::from(era) * 146_097 + i64::from(doe) - 719_468 - 146_097
}

// Howard Hinnant's civil-date algorithms: exact for the proleptic Gregorian calendar. The
// general signed form is the tests' reference for `days_from_civil_4digit`.
#[cfg(test)]
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::AmzDate;

    #[test]
    fn parses_and_formats() {
        let d = AmzDate::parse("20150830T123600Z");
        assert_eq!(d.map(AmzDate::unix), Some(1_440_938_160));
        assert_eq!(
            d.map(|d| d.to_amz_string()).as_deref(),
            Some("20150830T123600Z")
        );
        assert_eq!(
            AmzDate::parse("20240229T000000Z")
                .map(|d| d.to_amz_string())
                .as_deref(),
            Some("20240229T000000Z")
        );
    }

    /// The parser before it read eight digits at a time: the reference.
    fn reference(s: &str) -> Option<i64> {
        let b = s.as_bytes();
        if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
            return None;
        }
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let mut v = 0i64;
            for &c in &b[range] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + i64::from(c - b'0');
            }
            Some(v)
        };
        let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
        let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
        if !(1..=12).contains(&mo)
            || d < 1
            || d > super::days_in_month(y, mo)
            || h > 23
            || mi > 59
            || se > 59
        {
            return None;
        }
        Some(super::days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se)
    }

    /// Every day of every four-digit year, and every byte value at every position of a few
    /// dates, against the reference.
    #[test]
    fn parse_matches_reference() {
        for y in 0..=9999 {
            for mo in 0..=13 {
                for d in [0, 1, 2, 15, 28, 29, 30, 31, 32] {
                    let s = format!("{y:04}{mo:02}{d:02}T235959Z");
                    assert_eq!(AmzDate::parse(&s).map(AmzDate::unix), reference(&s), "{s}");
                }
            }
        }
        for base in [
            "20150830T123600Z",
            "00000101T000000Z",
            "99991231T235959Z",
            "20240229T240000Z",
        ] {
            for i in 0..16 {
                for c in 0..=255u8 {
                    let mut b = base.as_bytes().to_vec();
                    b[i] = c;
                    if let Ok(s) = std::str::from_utf8(&b) {
                        assert_eq!(AmzDate::parse(s).map(AmzDate::unix), reference(s), "{s:?}");
                    }
                }
            }
        }
        for s in [
            "20150830T123600Z1",
            "20150830T123600",
            "2015-08-30T12:36:00Z",
        ] {
            assert_eq!(AmzDate::parse(s), None, "{s}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "20150830T123600",
            "20150830t123600Z",
            "20150230T123600Z",
            "20230229T000000Z",
            "20151330T000000Z",
            "2015083XT123600Z",
            "20150830T246000Z",
            "２0150830T12360Z",
        ] {
            assert_eq!(AmzDate::parse(s), None, "{s}");
        }
    }
}

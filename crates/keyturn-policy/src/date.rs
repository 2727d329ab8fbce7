//! Dates of the `Date…` condition operators, as IAM reads them.
//!
//! IAM accepts two forms (IAM User Guide, "Date condition operators"): epoch seconds, and
//! ISO 8601 as Java's Joda-Time parses it. The bounds tell the parser apart: epoch seconds are a
//! non-negative Java `long`, and years run from -292275054 to 292278993, the range of a `long` of
//! milliseconds. A value outside this grammar makes IAM's legacy parser refuse the policy
//! ("The policy failed legacy parsing"). The same parser reads the dates of a request
//! (`aws:CurrentTime`, `aws:EpochTime`), so what a policy may say is what evaluation compares.

/// The earliest and latest year IAM accepts.
const YEARS: std::ops::RangeInclusive<i64> = -292_275_054..=292_278_993;

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Parses a date: epoch seconds (digits only, at most `i64::MAX`) or ISO 8601
/// (`[-]YYYY[-MM[-DD]][T[hh[:mm[:ss[.fffffffff]]]][Z|±hh[:mm]]]`, `T` and `Z` in either case).
/// Returns nanoseconds since the epoch.
pub(crate) fn parse(s: &str) -> Option<i128> {
    if s.is_empty() {
        return None;
    }
    if !s.contains(['t', 'T', '-']) {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let secs: i64 = s.parse().ok()?;
        return Some(i128::from(secs) * NANOS_PER_SECOND);
    }
    let (date, time) = match s.find(['t', 'T']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let days = parse_day(date)?;
    let (second_of_day, nanos, offset) = parse_time(time)?;
    let seconds = i128::from(days) * 86_400 + i128::from(second_of_day - offset);
    Some(seconds * NANOS_PER_SECOND + i128::from(nanos))
}

/// `digits` (at least one, at most `max_len`) as a number.
fn number(digits: &str, max_len: usize) -> Option<i64> {
    if digits.is_empty() || digits.len() > max_len || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `[-]YYYY[-MM[-DD]]` as days since 1970-01-01 (proleptic Gregorian calendar).
fn parse_day(date: &str) -> Option<i64> {
    let (negative, unsigned) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let mut parts = unsigned.split('-');
    let year = number(parts.next()?, 9)?;
    let year = if negative { -year } else { year };
    if !YEARS.contains(&year) {
        return None;
    }
    let month = parts.next().map_or(Some(1), |m| number(m, 2))?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let day = parts.next().map_or(Some(1), |d| number(d, 2))?;
    if day < 1 || day > days_in_month(year, month) || parts.next().is_some() {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The part after `T`: `(second of the day, nanoseconds, offset in seconds)`. Empty is midnight
/// UTC.
fn parse_time(time: &str) -> Option<(i64, i64, i64)> {
    if time.is_empty() {
        return Some((0, 0, 0));
    }
    let (clock, zone) = match time.find(['z', 'Z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let offset = parse_zone(zone)?;
    let mut fields = clock.split(':');
    let hour = number(fields.next()?, 2)?;
    let minute = fields.next().map_or(Some(0), |m| number(m, 2))?;
    let (second, nanos) = match fields.next() {
        None => (0, 0),
        Some(field) => {
            let (whole, fraction) = field.split_once('.').unwrap_or((field, ""));
            let nanos = if field.contains('.') {
                let digits = number(fraction, 9)?;
                let scale = 10_i64.pow(u32::try_from(9 - fraction.len()).ok()?);
                digits * scale
            } else {
                0
            };
            (number(whole, 2)?, nanos)
        }
    };
    if hour > 23 || minute > 59 || second > 59 || fields.next().is_some() {
        return None;
    }
    Some((hour * 3600 + minute * 60 + second, nanos, offset))
}

/// `""`, `Z`, or `±hh[:mm]` / `±hhmm` as seconds east of UTC.
fn parse_zone(zone: &str) -> Option<i64> {
    let (sign, rest) = match zone.as_bytes().first() {
        None => return Some(0),
        Some(b'z' | b'Z') => return (zone.len() == 1).then_some(0),
        Some(b'+') => (1, &zone[1..]),
        Some(b'-') => (-1, &zone[1..]),
        Some(_) => return None,
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "00"),
    };
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes) = (number(hours, 2)?, number(minutes, 2)?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::parse;

    const S: i128 = 1_000_000_000;

    #[test]
    fn accepted_forms_and_their_instants() {
        let cases: &[(&str, i128)] = &[
            ("0", 0),
            ("1600000000", 1_600_000_000 * S),
            ("9223372036854775807", i128::from(i64::MAX) * S),
            ("1970-01-01", 0),
            ("2017-07-01T00:00:00Z", 1_498_867_200 * S),
            ("2017-07-01t00:00:00z", 1_498_867_200 * S),
            ("2017-07-01T02:00:00+02:00", 1_498_867_200 * S),
            ("2017-06-30T19:00:00-05:00", 1_498_867_200 * S),
            ("2017-07-01T02:00:00+0200", 1_498_867_200 * S),
            ("2017-07-01T12:00Z", (1_498_867_200 + 12 * 3600) * S),
            ("2017-07-01T12", (1_498_867_200 + 12 * 3600) * S),
            (
                "2016-12-13T21:20:37.593194+00:00",
                1_481_664_037 * S + 593_194_000,
            ),
            (
                "2016-12-13t2:00:00.593194+23",
                (1_481_594_400 - 23 * 3600) * S + 593_194_000,
            ),
            ("1970-01-01T00:00:00.000000001Z", 1),
            ("1970T", 0),
            ("2000-02-29", 951_782_400 * S),
            ("-1-01-01", -62_198_755_200 * S),
        ];
        for &(text, want) in cases {
            assert_eq!(parse(text), Some(want), "{text}");
        }
        assert!(parse("01T").is_some());
        assert!(parse("-292275054").is_some());
        assert!(parse("292278993-12-31T23:59:59Z").is_some());
    }

    #[test]
    fn refused_forms() {
        for text in [
            "",
            "sdfdsf",
            "yesterday",
            "9223372036854775808",
            "-292275055",
            "292278994-01-01",
            "234-13",
            "2020-13-01T00:00:00Z",
            "2019-02-29",
            "2020-01-32",
            "2020-01-01-01",
            "2016-12-13t2:00:00.593194+1",
            "2016-12-13t2:00:00.1999999999+10:59",
            "2020-01-01T24:00:00Z",
            "2020-01-01T12:60Z",
            "2020-01-01T12:00:60Z",
            "2020-01-01T12:00:00Zx",
            "2020-01-01T12:00:00+24:00",
            "2020-01-01TZ",
            "2020-01-01T1:2:3:4",
            "T12:00",
            "2017-07-01T0200+0200",
            "1.5",
            "+5",
            " 5",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}

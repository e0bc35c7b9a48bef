//! Timestamps as they come in exports, and the civil-date arithmetic the rest of the engine uses.
//!
//! Accepted forms (see `docs/format.md`):
//! - RFC 3339 / ISO 8601 with an offset: `2026-03-02T09:15:00+01:00`, `…Z`, `…+0100`, a space
//!   instead of `T`, optional fractional seconds;
//! - naive local times `2026-03-02 09:15[:00]` and dates `2026-03-02`, read in the dataset's
//!   timezone;
//! - Unix time as a number (or a string of digits): seconds, or milliseconds when the magnitude
//!   says so (≥ 10^11, i.e. after 1973 in milliseconds, after year 5138 in seconds).

use chrono::NaiveDate;

use crate::tz::Tz;

/// Seconds since the Unix epoch, UTC.
pub type Seconds = i64;

/// Marker for "no timestamp" in timestamp columns.
pub const NO_TIME: Seconds = i64::MIN;

/// The earliest instant we accept as real (1971-01-01). Exports write 0 or small numbers for
/// "unknown"; reading those as 1970 would produce silent, absurd durations.
pub const EARLIEST: Seconds = 31_536_000;

/// The latest instant we accept (year 2200): beyond it the value is a unit mistake.
pub const LATEST: Seconds = 7_258_118_400;

/// A parsed timestamp, before the dataset timezone is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// An absolute instant.
    Utc(Seconds),
    /// A wall-clock time with no offset, as seconds since 1970-01-01T00:00 *local*; resolved
    /// later with the dataset timezone.
    Local(Seconds),
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses a timestamp string. Returns a description of what was wrong on failure.
pub fn parse_str(s: &str) -> Result<Stamp, String> {
    let t = crate::raw::trim(s);
    if t.is_empty() {
        return Err("an empty string".into());
    }
    if t.len() >= 9 && t.bytes().all(|b| b.is_ascii_digit()) {
        // Quoted and shortened like every found value: a 200 MB string of digits must not
        // become a 200 MB message.
        let v: i64 = t.parse().map_err(|_| quote(t))?;
        return Ok(Stamp::Utc(epoch_to_seconds(v as f64)));
    }
    parse_iso(t.as_bytes()).ok_or_else(|| quote(t))
}

/// Shortens and quotes a found value for messages.
pub fn quote(s: &str) -> String {
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(40).collect();
        format!("\"{cut}…\"")
    } else {
        format!("\"{s}\"")
    }
}

/// Unix time from a number: seconds, or milliseconds when ≥ 10^11.
pub fn epoch_to_seconds(v: f64) -> Seconds {
    if v.abs() >= 1e11 {
        (v / 1000.0).floor() as i64
    } else {
        v.floor() as i64
    }
}

/// The number written by the two ASCII digits at `b[at..at + 2]`.
fn two_digits(b: &[u8], at: usize) -> Option<u32> {
    let [hi, lo] = *b.get(at..at + 2)? else {
        return None;
    };
    let (hi, lo) = (hi.wrapping_sub(b'0'), lo.wrapping_sub(b'0'));
    (hi <= 9 && lo <= 9).then(|| u32::from(hi) * 10 + u32::from(lo))
}

/// The number written by the `len` ASCII digits at `b[from..]`. Every timestamp has ten
/// to sixteen of them: two and four digits are read without a loop (a sixth of the
/// builder's instructions went to this function's loop).
fn num(b: &[u8], from: usize, len: usize) -> Option<u32> {
    match len {
        2 => return two_digits(b, from),
        4 => return Some(two_digits(b, from)? * 100 + two_digits(b, from + 2)?),
        _ => {}
    }
    let part = b.get(from..from + len)?;
    let mut v = 0u32;
    for &c in part {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

fn parse_iso(b: &[u8]) -> Option<Stamp> {
    // YYYY-MM-DD
    let y = num(b, 0, 4)? as i64;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mo = num(b, 5, 2)?;
    let d = num(b, 8, 2)?;
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let day = days_from_civil(y, mo, d);
    if b.len() == 10 {
        return Some(Stamp::Local(day * 86_400));
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let h = num(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let mi = num(b, 14, 2)?;
    let mut i = 16;
    let mut sec = 0;
    if b.get(16) == Some(&b':') {
        sec = num(b, 17, 2)?;
        i = 19;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
    }
    // A leap second (:60) is folded into the next second's start.
    if h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi > 0 || sec > 0)) {
        return None;
    }
    let local = day * 86_400 + (h * 3600 + mi * 60 + sec) as i64;
    let rest = &b[i..];
    match rest {
        [] => Some(Stamp::Local(local)),
        [b'Z'] | [b'z'] => Some(Stamp::Utc(local)),
        [b' ', b'U', b'T', b'C'] | [b' ', b'G', b'M', b'T'] => Some(Stamp::Utc(local)),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (oh, om) = match tail.len() {
                2 => (num(tail, 0, 2)?, 0),
                4 => (num(tail, 0, 2)?, num(tail, 2, 2)?),
                5 if tail[2] == b':' => (num(tail, 0, 2)?, num(tail, 3, 2)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let off = (oh * 3600 + om * 60) as i64;
            Some(Stamp::Utc(if *sign == b'+' {
                local - off
            } else {
                local + off
            }))
        }
        _ => None,
    }
}

/// Resolves a wall-clock time in `tz` to UTC. In a DST gap (a time that does not exist) the
/// clock is moved forward by the gap, as the wall clock itself does; in an overlap the earlier
/// instant is taken.
pub fn local_to_utc(local: Seconds, tz: Tz) -> Seconds {
    // Outside chrono's calendar (±262,000 years, `NO_TIME` included) the value stays as it is.
    if chrono::DateTime::from_timestamp(local, 0).is_none() {
        return local;
    }
    tz.local_to_utc(local)
}

/// Seconds east of UTC that `tz` observes at the UTC instant `t`.
pub fn offset_at(t: Seconds, tz: Tz) -> i64 {
    // Outside chrono's calendar (`NO_TIME` included) the offset is 0, so the instant stays.
    match chrono::DateTime::from_timestamp(t, 0) {
        Some(_) => tz.offset_at(t),
        None => 0,
    }
}

/// Wall-clock seconds (since 1970-01-01 local) of the UTC instant `t` in `tz`.
pub fn utc_to_local(t: Seconds, tz: Tz) -> Seconds {
    t + offset_at(t, tz)
}

/// Parses an IANA timezone name (`Europe/Istanbul`), or `UTC`.
pub fn parse_tz(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        format!(
            "unknown timezone {}: expected an IANA name such as \"Europe/Amsterdam\"",
            quote(name)
        )
    })
}

/// Formats a UTC instant as `YYYY-MM-DD` of its local date in `tz`.
pub fn local_date_string(t: Seconds, tz: Tz) -> String {
    let (y, m, d) = civil_from_days(utc_to_local(t, tz).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date (`YYYY-MM-DD`) as a day number since 1970-01-01.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() != 10 {
        return None;
    }
    match parse_iso(b)? {
        Stamp::Local(t) => Some(t.div_euclid(86_400)),
        Stamp::Utc(_) => None,
    }
}

/// `NaiveDate` of a day number (for chrono-based formatting where needed).
pub fn naive_date(day: i64) -> Option<NaiveDate> {
    let (y, m, d) = civil_from_days(day);
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for day in [-800_000i64, -1, 0, 1, 19_000, 20_500, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(days_from_civil(2026, 3, 1), 20_513);
    }

    #[test]
    fn iso_forms() {
        let base = days_from_civil(2026, 3, 2) * 86_400 + 9 * 3600 + 15 * 60;
        assert_eq!(parse_str("2026-03-02T09:15:00Z"), Ok(Stamp::Utc(base)));
        assert_eq!(parse_str("2026-03-02 09:15:00.250Z"), Ok(Stamp::Utc(base)));
        assert_eq!(parse_str("2026-03-02T10:15:00+01:00"), Ok(Stamp::Utc(base)));
        assert_eq!(parse_str("2026-03-02T12:45:00+0330"), Ok(Stamp::Utc(base)));
        assert_eq!(parse_str("2026-03-02T06:15:00-03"), Ok(Stamp::Utc(base)));
        assert_eq!(parse_str("2026-03-02 09:15"), Ok(Stamp::Local(base)));
        assert_eq!(
            parse_str("2026-03-02"),
            Ok(Stamp::Local(days_from_civil(2026, 3, 2) * 86_400))
        );
        assert_eq!(parse_str("1772442900"), Ok(Stamp::Utc(1_772_442_900)));
        assert_eq!(parse_str("1772442900000"), Ok(Stamp::Utc(1_772_442_900)));
    }

    #[test]
    fn digits() {
        for len in [1, 2, 3, 4, 5] {
            for text in [
                "2026", "0931", "12", "1", "99999", "12a4", "/9", ":0", "0:", "", "123",
            ] {
                let b = text.as_bytes();
                let slow = b.get(..len).and_then(|p| {
                    p.iter()
                        .all(u8::is_ascii_digit)
                        .then(|| p.iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0')))
                });
                assert_eq!(num(b, 0, len), slow, "{text:?} {len}");
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2026-02-30",
            "2026-13-01",
            "2026-03-02T25:00",
            "2026-03-02T09:15+1",
            "2026-03-02X09:15",
            "02/03/2026",
        ] {
            assert!(parse_str(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn local_times_across_dst() {
        let ams: Tz = "Europe/Amsterdam".parse().unwrap();
        // 2026-03-29 02:30 does not exist in Amsterdam (clocks jump 02:00 → 03:00).
        let gap = days_from_civil(2026, 3, 29) * 86_400 + 2 * 3600 + 1800;
        let utc = local_to_utc(gap, ams);
        assert_eq!(utc, days_from_civil(2026, 3, 29) * 86_400 + 3600 + 1800);
        // 2026-10-25 02:30 happens twice; the earlier (CEST, +2) is taken.
        let dup = days_from_civil(2026, 10, 25) * 86_400 + 2 * 3600 + 1800;
        assert_eq!(local_to_utc(dup, ams), dup - 7200);
        let teh: Tz = "Asia/Tehran".parse().unwrap();
        assert_eq!(offset_at(gap, teh), 3 * 3600 + 1800);
    }
}

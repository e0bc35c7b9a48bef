//! The team's working calendar, and exact business-time durations.
//!
//! A [`Calendar`] is weekly working hours in an IANA timezone plus holidays (whole days off, or
//! days with their own hours). Business durations ("business FRT", "business resolution time"),
//! occupancy and per-working-day productivity all read it.
//!
//! # Semantics (what a KPI author must know)
//!
//! - **Hours are wall-clock hours of the team's timezone.** Working time is the set of UTC
//!   instants whose local wall-clock time falls inside a working interval of the local date the
//!   interval belongs to. So a 09:00–17:00 day is 8 h on every day, DST days included; a shift
//!   spanning the spring-forward jump (02:00→03:00) loses the hour that does not exist; on the
//!   fall-back day an interval containing the repeated hour gets it twice (a 00:00–24:00 day is
//!   23 h and 25 h on those days, exactly like a 24/7 calendar).
//! - **Intervals** are `[start, end)` seconds after local midnight ([`Span`]). `end` may be
//!   24:00. A shift written `22:00-06:00` runs past midnight and **belongs to the day it starts
//!   on**: Friday's night shift is Friday's working time (for [`Calendar::working_seconds_on_day`],
//!   [`Calendar::is_working_day`] and holidays), even for its hours after midnight. Writing it
//!   as two intervals (`22:00-24:00` on Friday, `00:00-06:00` on Saturday) attributes the
//!   morning part to Saturday instead; both are accepted, the author picks the meaning. When a
//!   night shift runs into hours the next day also lists, the earlier day's shift wins and the
//!   overlap counts once.
//! - **Holidays** are local dates. A holiday replaces that date's weekly hours: with no hours it
//!   is a day off, with hours (`{"date": "2026-12-31", "hours": ["09:00-13:00"]}`) a half day.
//!   A night shift that started the evening before still runs into a holiday morning.
//! - **A working day** is a local date whose own intervals hold more than zero seconds of working
//!   time: holidays with no hours are not working days, half days are.
//! - **Fast path.** [`Calendar::business_seconds`] is exact everywhere. After
//!   [`Calendar::prepare`] (explicit, `&mut self`, so a shared `&Calendar` never locks or
//!   allocates) spans inside the prepared days are answered in O(1) from a cumulative table of
//!   working segments; spans partly or wholly outside fall back to a slower day-by-day
//!   computation of the same segments, so results never depend on what was prepared. Prepare
//!   once with the dataset's first and last local day (plus a day of margin), then call it
//!   millions of times. Changing hours or holidays drops the table.
//! - **Domain.** Instants and days are clamped to the engine's accepted range
//!   ([`time::EARLIEST`]..=[`time::LATEST`], 1971–2200): there is no working time outside it,
//!   and [`time::NO_TIME`] on either side of a span gives 0. Offsets come from `crate::tz`;
//!   offset changes are located to the second, assuming a zone never changes its offset twice
//!   within three hours (an assumption modern IANA zones meet).

use crate::time::{self, Seconds};
use crate::tz::Tz;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// One working interval of a local day: `[start, end)` in seconds after local midnight.
/// `start` is below 24:00 (86 400); `end` is after `start` and at most 24 hours later, so it may
/// pass 86 400 for a shift that runs past midnight (22:00–06:00 is `(79_200, 108_000)`).
pub type Span = (u32, u32);

/// Names accepted by [`Calendar::preset`].
pub const PRESETS: [&str; 6] = ["mon-fri", "sat-wed", "sun-thu", "mon-sat", "24/7", "none"];

/// Largest number of days [`Calendar::prepare`] tabulates: every day of the engine's range of
/// instants (1971–2200, about 230 years, a table of a few MB at most), so a span between any two
/// accepted instants can take the fast path. (A century was once the cap: an SLA clock running
/// from 2026 to a typed-in "now" in 2190 then counted its last 64 years day by day, per ticket.)
pub const MAX_PREPARED_DAYS: i64 = time::LATEST / DAY + 1 - time::EARLIEST / DAY;

const DAY: i64 = 86_400;
const HOUR: u32 = 3_600;

/// Widest gap between a UTC instant and its wall-clock reading that we search. IANA offsets stay
/// within −12 h … +14 h; the margin also covers historic local mean times.
const OFFSET_MARGIN: i64 = 26 * 3_600;

/// Sampling step when looking for offset changes between two instants.
const PROBE_STEP: i64 = 3 * 3_600;

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_FULL_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A team's working calendar: weekly wall-clock hours, holidays and timezone. See the module
/// documentation for the exact semantics.
#[derive(Clone)]
pub struct Calendar {
    tz: Tz,
    /// Hours per weekday, 0 = Monday; sorted, merged.
    week: [Vec<Span>; 7],
    /// Local day number → that day's hours (empty = day off).
    holidays: BTreeMap<i64, Vec<Span>>,
    /// Cumulative table built by [`Calendar::prepare`].
    table: Option<Box<Table>>,
}

/// Working segments of a prepared day range, as UTC instants, with running sums.
#[derive(Clone)]
struct Table {
    first_day: i64,
    end_day: i64,
    /// UTC range `[from, to]` inside which [`Table::before`] is exact.
    from: Seconds,
    to: Seconds,
    /// Disjoint, sorted, merged working segments `[starts[i], ends[i])`.
    starts: Vec<Seconds>,
    ends: Vec<Seconds>,
    /// `cum[i]` = working seconds in segments before `i`; `cum.len() == starts.len() + 1`.
    cum: Vec<i64>,
    /// `buckets[k]` = first segment ending after `from + k·86 400`, so a lookup scans only the
    /// few segments of one 24-hour stretch instead of binary-searching.
    buckets: Vec<u32>,
    /// Running sums per prepared local day: working seconds, and working days.
    day_secs: Vec<i64>,
    day_count: Vec<u32>,
}

impl Table {
    /// Working seconds in `[self.from, t)`, for `t` in `[self.from, self.to]`.
    #[inline]
    fn before(&self, t: Seconds) -> i64 {
        let k = ((t - self.from) / DAY) as usize;
        let mut i = self.buckets[k.min(self.buckets.len() - 1)] as usize;
        let n = self.ends.len();
        while i < n && self.ends[i] <= t {
            i += 1;
        }
        if i == n {
            return self.cum[n];
        }
        self.cum[i] + (t - self.starts[i]).max(0)
    }

    fn covers_days(&self, first_day: i64, end_day: i64) -> bool {
        first_day >= self.first_day && end_day <= self.end_day
    }
}

impl PartialEq for Calendar {
    /// Compares the definitions; whether either side is prepared does not matter.
    fn eq(&self, other: &Calendar) -> bool {
        self.tz == other.tz && self.week == other.week && self.holidays == other.holidays
    }
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The table can hold tens of thousands of segments; show only its range.
        f.debug_struct("Calendar")
            .field("tz", &self.tz)
            .field("week", &self.week)
            .field("holidays", &self.holidays)
            .field("prepared", &self.prepared())
            .finish()
    }
}

/// Weekday of a local day number: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub fn weekday(day: i64) -> u8 {
    (day + 3).rem_euclid(7) as u8
}

impl Calendar {
    /// A calendar with no working hours at all (the "none" preset), to build on.
    pub fn empty(tz: Tz) -> Calendar {
        Calendar {
            tz,
            week: Default::default(),
            holidays: BTreeMap::new(),
            table: None,
        }
    }

    /// Round-the-clock working time (the "24/7" preset): business time equals elapsed time.
    pub fn always(tz: Tz) -> Calendar {
        let mut cal = Calendar::empty(tz);
        for day in cal.week.iter_mut() {
            *day = vec![(0, DAY as u32)];
        }
        cal
    }

    /// A named preset: `mon-fri` (Mon–Fri 09:00–17:00), `sat-wed` (Iran: Sat–Wed 08:00–16:00,
    /// Thu 08:00–13:00), `sun-thu` (Sun–Thu 09:00–17:00), `mon-sat` (Mon–Sat 09:00–18:00),
    /// `24/7` (also `24x7`) and `none`. Case and surrounding spaces are ignored.
    pub fn preset(name: &str, tz: Tz) -> Result<Calendar, String> {
        let mut cal = Calendar::empty(tz);
        let mut set = |days: &[usize], from: u32, to: u32| {
            for &d in days {
                cal.week[d] = vec![(from * HOUR, to * HOUR)];
            }
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "mon-fri" => set(&[0, 1, 2, 3, 4], 9, 17),
            "sat-wed" => {
                set(&[5, 6, 0, 1, 2], 8, 16);
                set(&[3], 8, 13);
            }
            "sun-thu" => set(&[6, 0, 1, 2, 3], 9, 17),
            "mon-sat" => set(&[0, 1, 2, 3, 4, 5], 9, 18),
            "24/7" | "24x7" => return Ok(Calendar::always(tz)),
            "none" => {}
            _ => {
                return Err(format!(
                    "unknown calendar preset {}: expected mon-fri, sat-wed, sun-thu, mon-sat, 24/7 or none",
                    time::quote(name.trim())
                ))
            }
        }
        Ok(cal)
    }

    /// Reads a calendar as written in a dataset or page option:
    ///
    /// ```json
    /// {"preset": "mon-fri", "timezone": "Europe/Istanbul",
    ///  "hours": {"mon": ["09:00-12:30", "13:30-17:00"], "sat": []},
    ///  "holidays": ["2026-04-23", {"date": "2026-12-31", "hours": ["09:00-13:00"]}]}
    /// ```
    ///
    /// `preset` defaults to `mon-fri`; `hours` replaces the preset's hours of each day it names
    /// (`mon`…`sun` or full English names; a list of `"HH:MM-HH:MM"`, one such string, `[]` or
    /// `null` for a day off; `22:00-06:00` runs past midnight). `timezone` defaults to
    /// `default_tz`. A bare string is read as a preset name. Unknown keys are errors, so a typo
    /// is not silently ignored; `name` is accepted as a label.
    pub fn from_json(value: &Value, default_tz: Tz) -> Result<Calendar, String> {
        let obj = match value {
            Value::String(s) => return Calendar::preset(s, default_tz),
            Value::Object(o) => o,
            other => {
                return Err(format!(
                    "calendar: expected an object such as {{\"preset\": \"mon-fri\"}}, found {}",
                    describe(other)
                ))
            }
        };
        for key in obj.keys() {
            if !matches!(
                key.as_str(),
                "preset" | "timezone" | "hours" | "holidays" | "name"
            ) {
                return Err(format!(
                    "unknown calendar key {}: expected preset, timezone, hours, holidays or name",
                    time::quote(key)
                ));
            }
        }
        let tz = match obj.get("timezone") {
            None | Some(Value::Null) => default_tz,
            Some(Value::String(s)) => time::parse_tz(s).map_err(|_| {
                format!(
                    "calendar timezone {}: expected an IANA name such as \"Europe/Amsterdam\"",
                    time::quote(s)
                )
            })?,
            Some(other) => {
                return Err(format!(
                    "calendar timezone: expected a name such as \"Europe/Amsterdam\", found {}",
                    describe(other)
                ))
            }
        };
        let mut cal = match obj.get("preset") {
            None | Some(Value::Null) => Calendar::preset("mon-fri", tz)?,
            Some(Value::String(s)) => Calendar::preset(s, tz)?,
            Some(other) => {
                return Err(format!(
                    "calendar preset: expected a name such as \"mon-fri\", found {}",
                    describe(other)
                ))
            }
        };
        match obj.get("hours") {
            None | Some(Value::Null) => {}
            Some(Value::Object(days)) => {
                for (key, v) in days {
                    let lower = key.trim().to_ascii_lowercase();
                    let index = DAY_NAMES
                        .iter()
                        .position(|d| *d == lower)
                        .or_else(|| DAY_FULL_NAMES.iter().position(|d| *d == lower))
                        .ok_or_else(|| {
                            format!(
                                "calendar hours: unknown day {}: expected mon, tue, wed, thu, fri, sat or sun",
                                time::quote(key)
                            )
                        })?;
                    cal.week[index] = json_spans(v, &format!("for {}", time::quote(key)))?;
                }
            }
            Some(other) => {
                return Err(format!(
                    "calendar hours: expected an object such as {{\"mon\": [\"09:00-17:00\"]}}, found {}",
                    describe(other)
                ))
            }
        }
        match obj.get("holidays") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                for item in list {
                    let (day, hours) = json_holiday(item)?;
                    cal.holidays.insert(day, hours);
                }
            }
            Some(other) => {
                return Err(format!(
                "calendar holidays: expected a list of dates such as [\"2026-04-23\"], found {}",
                describe(other)
            ))
            }
        }
        Ok(cal)
    }

    /// The calendar's timezone.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// The weekly hours of `weekday` (0 = Monday … 6 = Sunday, taken modulo 7), sorted and
    /// merged.
    pub fn hours(&self, weekday: u8) -> &[Span] {
        &self.week[weekday as usize % 7]
    }

    /// The hours that apply on local day `day`: its holiday hours if it is a holiday, else its
    /// weekday's hours.
    pub fn hours_on(&self, day: i64) -> &[Span] {
        match self.holidays.get(&day) {
            Some(h) => h,
            None => &self.week[weekday(day) as usize],
        }
    }

    /// The holiday hours of `day` (empty for a whole day off), or `None` if it is no holiday.
    pub fn holiday(&self, day: i64) -> Option<&[Span]> {
        self.holidays.get(&day).map(|h| h.as_slice())
    }

    /// Replaces the hours of `weekday` (0 = Monday). Overlapping intervals are merged. Drops
    /// the prepared table.
    pub fn set_hours(&mut self, weekday: u8, spans: &[Span]) -> Result<(), String> {
        if weekday > 6 {
            return Err(format!(
                "weekday {weekday}: expected 0 (monday) to 6 (sunday)"
            ));
        }
        self.week[weekday as usize] = normalise(spans)?;
        self.table = None;
        Ok(())
    }

    /// Makes local day `day` a holiday with `hours` (empty = whole day off). Drops the prepared
    /// table.
    pub fn add_holiday(&mut self, day: i64, hours: &[Span]) -> Result<(), String> {
        self.holidays.insert(day, normalise(hours)?);
        self.table = None;
        Ok(())
    }

    /// Builds the fast-path table for local days `[first_day, end_day)` (at most
    /// [`MAX_PREPARED_DAYS`]), replacing any earlier one. Cost: a few timezone lookups per day
    /// and about 50 bytes per working segment.
    pub fn prepare(&mut self, first_day: i64, end_day: i64) {
        let (first_day, end_day) = clamp_days(first_day, end_day);
        let end_day = end_day.min(first_day + MAX_PREPARED_DAYS);
        self.table = (end_day > first_day).then(|| Box::new(self.build_table(first_day, end_day)));
    }

    /// [`Calendar::prepare`] in builder style.
    pub fn with_prepared(mut self, first_day: i64, end_day: i64) -> Calendar {
        self.prepare(first_day, end_day);
        self
    }

    /// The prepared local days `[first_day, end_day)`, if any.
    pub fn prepared(&self) -> Option<(i64, i64)> {
        self.table.as_ref().map(|t| (t.first_day, t.end_day))
    }

    /// Seconds of working time inside `[from, to)` (UTC instants); 0 when `to <= from`.
    /// O(1) inside the prepared range, exact everywhere.
    pub fn business_seconds(&self, from: Seconds, to: Seconds) -> i64 {
        if from == time::NO_TIME || to == time::NO_TIME {
            return 0;
        }
        let from = from.clamp(time::EARLIEST, time::LATEST);
        let to = to.clamp(time::EARLIEST, time::LATEST);
        if to <= from {
            return 0;
        }
        let Some(t) = self.table.as_deref() else {
            return self.slow_seconds(from, to);
        };
        if from >= t.from && to <= t.to {
            return t.before(to) - t.before(from);
        }
        let lo = from.max(t.from);
        let hi = to.min(t.to);
        if lo >= hi {
            return self.slow_seconds(from, to);
        }
        t.before(hi) - t.before(lo) + self.slow_seconds(from, lo) + self.slow_seconds(hi, to)
    }

    /// Working seconds of the intervals belonging to local day `day` (a night shift's hours
    /// after midnight included; DST-adjusted).
    pub fn working_seconds_on_day(&self, day: i64) -> i64 {
        self.working_seconds(day, day + 1)
    }

    /// True when local day `day` holds any working time.
    pub fn is_working_day(&self, day: i64) -> bool {
        self.working_seconds_on_day(day) > 0
    }

    /// Number of working days among local days `[first_day, end_day)`.
    pub fn working_days(&self, first_day: i64, end_day: i64) -> u32 {
        let (first_day, end_day) = clamp_days(first_day, end_day);
        if end_day <= first_day {
            return 0;
        }
        if let Some(t) = self
            .table
            .as_deref()
            .filter(|t| t.covers_days(first_day, end_day))
        {
            let (a, b) = (
                (first_day - t.first_day) as usize,
                (end_day - t.first_day) as usize,
            );
            return t.day_count[b] - t.day_count[a];
        }
        self.day_totals(first_day, end_day)
            .iter()
            .filter(|&&s| s > 0)
            .count() as u32
    }

    /// Working seconds belonging to local days `[first_day, end_day)`: available time for
    /// occupancy.
    pub fn working_seconds(&self, first_day: i64, end_day: i64) -> i64 {
        let (first_day, end_day) = clamp_days(first_day, end_day);
        if end_day <= first_day {
            return 0;
        }
        if let Some(t) = self
            .table
            .as_deref()
            .filter(|t| t.covers_days(first_day, end_day))
        {
            let (a, b) = (
                (first_day - t.first_day) as usize,
                (end_day - t.first_day) as usize,
            );
            return t.day_secs[b] - t.day_secs[a];
        }
        self.day_totals(first_day, end_day).iter().sum()
    }

    /// Working seconds per local day of `[first_day, end_day)`, computed from scratch.
    fn day_totals(&self, first_day: i64, end_day: i64) -> Vec<i64> {
        let mut totals = vec![0i64; (end_day - first_day) as usize];
        self.for_each_segment(first_day, end_day, |day, s, e| {
            totals[(day - first_day) as usize] += e - s;
        });
        totals
    }

    /// The slow exact path: working seconds in `[from, to)` by generating every segment of the
    /// local days that can reach the span.
    fn slow_seconds(&self, from: Seconds, to: Seconds) -> i64 {
        if to <= from {
            return 0;
        }
        // A day's segments lie within two local days of its date, and local time never runs
        // back by more than a day, so two days of margin on each side reach every segment.
        let first = time::utc_to_local(from, self.tz).div_euclid(DAY) - 2;
        let end = time::utc_to_local(to, self.tz).div_euclid(DAY) + 2;
        let mut sum = 0;
        self.for_each_segment(first, end, |_, s, e| {
            let (s, e) = (s.max(from), e.min(to));
            if s < e {
                sum += e - s;
            }
        });
        sum
    }

    fn build_table(&self, first_day: i64, end_day: i64) -> Table {
        let days = (end_day - first_day) as usize;
        let from = time::local_to_utc(first_day * DAY, self.tz);
        let to = time::local_to_utc(end_day * DAY, self.tz);
        let mut segs = Vec::with_capacity(days * 2);
        let mut per_day = vec![0i64; days];
        // Same margins as the slow path: every segment that can touch [from, to] is included.
        self.for_each_segment(first_day - 2, end_day + 1, |day, s, e| {
            segs.push((s, e));
            if (first_day..end_day).contains(&day) {
                per_day[(day - first_day) as usize] += e - s;
            }
        });
        // Fall-back days can emit a day's pieces out of UTC order.
        segs.sort_unstable();
        let mut starts: Vec<Seconds> = Vec::with_capacity(segs.len());
        let mut ends: Vec<Seconds> = Vec::with_capacity(segs.len());
        for (s, e) in segs {
            match ends.last_mut() {
                Some(last) if s <= *last => *last = (*last).max(e),
                _ => {
                    starts.push(s);
                    ends.push(e);
                }
            }
        }
        let mut cum = Vec::with_capacity(starts.len() + 1);
        let mut running = 0;
        cum.push(0);
        for (s, e) in starts.iter().zip(&ends) {
            running += e - s;
            cum.push(running);
        }
        let bucket_count = ((to - from) / DAY + 2) as usize;
        let mut buckets = Vec::with_capacity(bucket_count);
        let mut i = 0usize;
        for k in 0..bucket_count as i64 {
            let edge = from + k * DAY;
            while i < ends.len() && ends[i] <= edge {
                i += 1;
            }
            buckets.push(i as u32);
        }
        let mut day_secs = Vec::with_capacity(days + 1);
        let mut day_count = Vec::with_capacity(days + 1);
        let (mut secs, mut count) = (0i64, 0u32);
        day_secs.push(0);
        day_count.push(0);
        for s in per_day {
            secs += s;
            count += u32::from(s > 0);
            day_secs.push(secs);
            day_count.push(count);
        }
        Table {
            first_day,
            end_day,
            from,
            to,
            starts,
            ends,
            cum,
            buckets,
            day_secs,
            day_count,
        }
    }

    /// Calls `emit(day, start, end)` for each UTC segment of working time of the intervals
    /// belonging to local days `[first_day, end_day)`. Segments are disjoint; those of one day
    /// may come out of UTC order on a fall-back day.
    fn for_each_segment(
        &self,
        first_day: i64,
        end_day: i64,
        mut emit: impl FnMut(i64, Seconds, Seconds),
    ) {
        if end_day <= first_day {
            return;
        }
        let pieces = offset_pieces(
            self.tz,
            first_day * DAY - OFFSET_MARGIN,
            (end_day + 1) * DAY + OFFSET_MARGIN,
        );
        // Wall-clock (local seconds) up to which the previous day's night shift runs; the
        // earlier day's shift wins an overlap.
        let mut taken = first_day * DAY;
        if let Some(&(_, b)) = self.hours_on(first_day - 1).last() {
            taken = taken.max((first_day - 1) * DAY + b as i64);
        }
        for day in first_day..end_day {
            let base = day * DAY;
            let spans = self.hours_on(day);
            for &(a, b) in spans {
                let la = (base + a as i64).max(taken);
                let lb = base + b as i64;
                if la >= lb {
                    continue;
                }
                // Pieces of constant offset whose instants can read as wall times in [la, lb).
                let mut i = pieces.partition_point(|p| p.1 <= la - OFFSET_MARGIN);
                while i < pieces.len() && pieces[i].0 < lb + OFFSET_MARGIN {
                    let (t0, t1, off) = pieces[i];
                    let (s, e) = (t0.max(la - off), t1.min(lb - off));
                    if s < e {
                        emit(day, s, e);
                    }
                    i += 1;
                }
            }
            if let Some(&(_, b)) = spans.last() {
                taken = taken.max(base + b as i64);
            }
        }
    }
}

/// Limits a day range to the engine's accepted instants, so absurd input can neither overflow
/// nor allocate a table of billions of days.
fn clamp_days(first_day: i64, end_day: i64) -> (i64, i64) {
    let (lo, hi) = (time::EARLIEST / DAY, time::LATEST / DAY + 1);
    (first_day.clamp(lo, hi), end_day.clamp(lo, hi))
}

/// Splits UTC `[from, to)` into pieces `(start, end, offset)` of constant UTC offset, each
/// change located to the second.
fn offset_pieces(tz: Tz, from: Seconds, to: Seconds) -> Vec<(Seconds, Seconds, i64)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut off = time::offset_at(from, tz);
    let mut probe = from;
    while probe < to {
        let next = (probe + PROBE_STEP).min(to);
        if time::offset_at(next, tz) == off {
            probe = next;
            continue;
        }
        // offset(lo) == off, offset(hi) != off: find the first second of the new offset.
        let (mut lo, mut hi) = (probe, next);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if time::offset_at(mid, tz) == off {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        out.push((start, hi, off));
        start = hi;
        off = time::offset_at(hi, tz);
        probe = hi;
    }
    if start < to {
        out.push((start, to, off));
    }
    out
}

/// Checks, sorts and merges intervals.
fn normalise(spans: &[Span]) -> Result<Vec<Span>, String> {
    let day = DAY as u32;
    for &(a, b) in spans {
        if a >= day || b <= a || b > a + day {
            return Err(format!(
                "working interval {}-{}: expected a start before 24:00 and an end after it, at most 24 hours later",
                clock(a),
                clock(b)
            ));
        }
    }
    let mut sorted = spans.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(sorted.len());
    for (a, b) in sorted {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    Ok(out)
}

/// `HH:MM` (or `HH:MM:SS`) of seconds after midnight, hours past 24 kept for night shifts.
fn clock(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

/// Why an interval string was refused.
enum SpanError {
    /// Not `HH:MM-HH:MM`.
    Format,
    /// Start equals end.
    Empty,
}

/// Reads `HH:MM-HH:MM` (`H:MM` and an en dash accepted); an end before the start runs past
/// midnight.
fn parse_span(s: &str) -> Result<Span, SpanError> {
    let (a, b) = s.split_once(['-', '–']).ok_or(SpanError::Format)?;
    let a = parse_clock(a).ok_or(SpanError::Format)?;
    let b = parse_clock(b).ok_or(SpanError::Format)?;
    let day = DAY as u32;
    if a >= day {
        return Err(SpanError::Format);
    }
    match b.cmp(&a) {
        std::cmp::Ordering::Equal => Err(SpanError::Empty),
        std::cmp::Ordering::Greater => Ok((a, b)),
        std::cmp::Ordering::Less => Ok((a, b + day)),
    }
}

fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    if !digits(h) || h.len() > 2 || !digits(m) || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return None;
    }
    Some(h * HOUR + m * 60)
}

/// Intervals from a JSON list of strings; `what` names the day in messages (`for "mon"`).
fn json_spans(v: &Value, what: &str) -> Result<Vec<Span>, String> {
    let items: Vec<&Value> = match v {
        Value::Null => Vec::new(),
        Value::String(_) => vec![v],
        Value::Array(list) => list.iter().collect(),
        other => {
            return Err(format!(
                "calendar hours {what}: expected a list of \"HH:MM-HH:MM\" strings, found {}",
                describe(other)
            ))
        }
    };
    let mut spans = Vec::with_capacity(items.len());
    for item in items {
        let Value::String(s) = item else {
            return Err(format!(
                "calendar hours {what}: expected \"HH:MM-HH:MM\", found {}",
                describe(item)
            ));
        };
        match parse_span(s) {
            Ok(span) => spans.push(span),
            Err(SpanError::Format) => {
                return Err(format!(
                    "calendar hours {what}: expected \"HH:MM-HH:MM\", found {}",
                    time::quote(s)
                ))
            }
            Err(SpanError::Empty) => {
                return Err(format!(
                    "calendar hours {what}: expected an end other than the start (\"00:00-24:00\" for a whole day), found {}",
                    time::quote(s)
                ))
            }
        }
    }
    normalise(&spans)
}

/// One holiday: `"YYYY-MM-DD"` or `{"date": …, "hours": […], "name": …}`.
fn json_holiday(item: &Value) -> Result<(i64, Vec<Span>), String> {
    let date_of = |v: &Value| match v {
        Value::String(s) => time::parse_date(s).ok_or_else(|| {
            format!(
                "calendar holiday: expected a date \"YYYY-MM-DD\", found {}",
                time::quote(s)
            )
        }),
        other => Err(format!(
            "calendar holiday: expected a date \"YYYY-MM-DD\", found {}",
            describe(other)
        )),
    };
    match item {
        Value::Object(o) => {
            for key in o.keys() {
                if !matches!(key.as_str(), "date" | "hours" | "name") {
                    return Err(format!(
                        "unknown calendar holiday key {}: expected date, hours or name",
                        time::quote(key)
                    ));
                }
            }
            let day = match o.get("date") {
                Some(v) => date_of(v)?,
                None => {
                    return Err(
                        "calendar holiday: expected a \"date\" such as \"2026-12-31\", found an object without one"
                            .into(),
                    )
                }
            };
            let hours = match o.get("hours") {
                Some(v) => {
                    let label = format!(
                        "for holiday {}",
                        time::quote(&crate::time::local_date_string(day * DAY, Tz::UTC))
                    );
                    json_spans(v, &label)?
                }
                None => Vec::new(),
            };
            Ok((day, hours))
        }
        other => Ok((date_of(other)?, Vec::new())),
    }
}

/// A found JSON value for messages: strings quoted, scalars as written, containers by kind.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => time::quote(s),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{days_from_civil, local_to_utc};
    use serde_json::json;

    const H: i64 = 3_600;

    fn tz(name: &str) -> Tz {
        name.parse().unwrap()
    }

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    /// UTC instant of a local wall-clock time.
    fn at(tz: Tz, y: i64, m: u32, d: u32, h: i64, mi: i64) -> Seconds {
        local_to_utc(day(y, m, d) * DAY + h * H + mi * 60, tz)
    }

    /// UTC instant of a UTC wall-clock time.
    fn utc(y: i64, m: u32, d: u32, h: i64, mi: i64) -> Seconds {
        day(y, m, d) * DAY + h * H + mi * 60
    }

    /// The same calendar, unprepared and prepared over 2025-06-01 .. 2027-06-01.
    fn both(cal: Calendar) -> [Calendar; 2] {
        let prepared = cal.clone().with_prepared(day(2025, 6, 1), day(2027, 6, 1));
        [cal, prepared]
    }

    #[test]
    fn weekdays_of_reference_dates() {
        assert_eq!(weekday(day(2026, 3, 2)), 0); // a Monday
        assert_eq!(weekday(day(2026, 3, 6)), 4); // Friday
        assert_eq!(weekday(day(2026, 1, 1)), 3); // Thursday
        assert_eq!(weekday(day(2026, 4, 23)), 3); // Thursday
    }

    #[test]
    fn overnight_ticket_over_a_weekend() {
        let ist = tz("Europe/Istanbul");
        for cal in both(Calendar::preset("mon-fri", ist).unwrap()) {
            // Fri 2026-03-06 16:00 → Mon 2026-03-09 10:00: Fri 16–17 (1 h) + Mon 09–10 (1 h).
            let from = at(ist, 2026, 3, 6, 16, 0);
            let to = at(ist, 2026, 3, 9, 10, 0);
            assert_eq!(cal.business_seconds(from, to), 2 * H);
            // Istanbul is +03 all year: local 16:00 is 13:00 UTC.
            assert_eq!(from, utc(2026, 3, 6, 13, 0));
            // Reversed or empty spans are 0.
            assert_eq!(cal.business_seconds(to, from), 0);
            assert_eq!(cal.business_seconds(from, from), 0);
        }
    }

    #[test]
    fn weekend_only_span_is_zero() {
        let ams = tz("Europe/Amsterdam");
        for cal in both(Calendar::preset("mon-fri", ams).unwrap()) {
            // Sat 08:00 → Sun 20:00, and Fri 17:00 → Mon 09:00 exactly: no working second.
            let sat = at(ams, 2026, 3, 7, 8, 0);
            assert_eq!(cal.business_seconds(sat, at(ams, 2026, 3, 8, 20, 0)), 0);
            let fri = at(ams, 2026, 3, 6, 17, 0);
            assert_eq!(cal.business_seconds(fri, at(ams, 2026, 3, 9, 9, 0)), 0);
        }
    }

    #[test]
    fn holiday_in_the_middle_and_half_day() {
        let ist = tz("Europe/Istanbul");
        let mut cal = Calendar::preset("mon-fri", ist).unwrap();
        let from = at(ist, 2026, 4, 22, 12, 0); // Wednesday
        let to = at(ist, 2026, 4, 24, 12, 0); // Friday
                                              // Wed 12–17 (5 h) + Thu 09–17 (8 h) + Fri 09–12 (3 h) = 16 h.
        assert_eq!(cal.business_seconds(from, to), 16 * H);
        cal.add_holiday(day(2026, 4, 23), &[]).unwrap();
        for c in both(cal.clone()) {
            // Thursday 23 April is off: 5 h + 0 + 3 h = 8 h.
            assert_eq!(c.business_seconds(from, to), 8 * H);
            assert!(!c.is_working_day(day(2026, 4, 23)));
            // Mon 20 … Fri 24 April: 4 working days, 32 h.
            assert_eq!(c.working_days(day(2026, 4, 20), day(2026, 4, 25)), 4);
            assert_eq!(
                c.working_seconds(day(2026, 4, 20), day(2026, 4, 25)),
                32 * H
            );
        }
        // A half day: Thursday 2026-12-31 09:00–13:00 only.
        cal.add_holiday(day(2026, 12, 31), &[(9 * 3600, 13 * 3600)])
            .unwrap();
        for c in both(cal) {
            assert_eq!(c.working_seconds_on_day(day(2026, 12, 31)), 4 * H);
            assert!(c.is_working_day(day(2026, 12, 31)));
            // 31 Dec 12:00 → 2 Jan 2027 (Sat) 00:00: 12–13 (1 h) + Fri 1 Jan 09–17 (8 h).
            let from = at(ist, 2026, 12, 31, 12, 0);
            assert_eq!(c.business_seconds(from, at(ist, 2027, 1, 2, 0, 0)), 9 * H);
        }
    }

    #[test]
    fn start_and_end_outside_hours() {
        let ams = tz("Europe/Amsterdam");
        for cal in both(Calendar::preset("mon-fri", ams).unwrap()) {
            // Mon 06:00 → Tue 20:00: two full days, 8 h + 8 h.
            let (from, to) = (at(ams, 2026, 3, 2, 6, 0), at(ams, 2026, 3, 3, 20, 0));
            assert_eq!(cal.business_seconds(from, to), 16 * H);
            // Mon 07:00 → Mon 10:00: 09–10 only.
            let to = at(ams, 2026, 3, 2, 10, 0);
            assert_eq!(cal.business_seconds(at(ams, 2026, 3, 2, 7, 0), to), H);
            // Mon 18:00 → Mon 23:00: 0.
            let to = at(ams, 2026, 3, 2, 23, 0);
            assert_eq!(cal.business_seconds(at(ams, 2026, 3, 2, 18, 0), to), 0);
            // Mon 16:30 → Tue 08:00: 30 min.
            let to = at(ams, 2026, 3, 3, 8, 0);
            assert_eq!(cal.business_seconds(at(ams, 2026, 3, 2, 16, 30), to), 1800);
        }
    }

    #[test]
    fn lunch_break_and_several_intervals() {
        let ist = tz("Europe/Istanbul");
        let v = json!({"hours": {"mon": ["09:00-12:30", "13:30-17:00"]}});
        for cal in both(Calendar::from_json(&v, ist).unwrap()) {
            // 3.5 h + 3.5 h = 7 h on Monday; 8 h on Tuesday (preset).
            assert_eq!(cal.working_seconds_on_day(day(2026, 3, 2)), 7 * H);
            assert_eq!(cal.working_seconds_on_day(day(2026, 3, 3)), 8 * H);
            // Mon 12:00 → 14:00: 12:00–12:30 + 13:30–14:00 = 1 h.
            let from = at(ist, 2026, 3, 2, 12, 0);
            assert_eq!(cal.business_seconds(from, at(ist, 2026, 3, 2, 14, 0)), H);
        }
    }

    #[test]
    fn amsterdam_dst_days() {
        let ams = tz("Europe/Amsterdam");
        let spring = day(2026, 3, 29); // Sunday: 02:00 → 03:00
        let autumn = day(2026, 10, 25); // Sunday: 03:00 → 02:00
        for cal in both(Calendar::always(ams)) {
            assert_eq!(cal.working_seconds_on_day(spring), 23 * H);
            assert_eq!(cal.working_seconds_on_day(autumn), 25 * H);
            let (a, b) = (at(ams, 2026, 3, 29, 0, 0), at(ams, 2026, 3, 30, 0, 0));
            assert_eq!(cal.business_seconds(a, b), 23 * H);
            let (a, b) = (at(ams, 2026, 10, 25, 0, 0), at(ams, 2026, 10, 26, 0, 0));
            assert_eq!(cal.business_seconds(a, b), 25 * H);
            // 01:30 (00:30 UTC) → 03:30 CEST (01:30 UTC): one real hour.
            let (a, b) = (at(ams, 2026, 3, 29, 1, 30), at(ams, 2026, 3, 29, 3, 30));
            assert_eq!((a, b), (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)));
            assert_eq!(cal.business_seconds(a, b), H);
        }
        // A Sunday written 00:00–24:00 behaves like 24/7 on those days.
        let mut whole = Calendar::empty(ams);
        whole.set_hours(6, &[(0, 86_400)]).unwrap();
        // 09:00–17:00 stays 8 h on both days.
        let mut office = Calendar::empty(ams);
        office.set_hours(6, &[(9 * 3600, 17 * 3600)]).unwrap();
        // A 01:00–04:00 shift: spring 01–02 CET + 03–04 CEST = 2 h; autumn 01–02, 02–03 CEST,
        // 02–03 CET, 03–04 = 4 h.
        let mut night = Calendar::empty(ams);
        night.set_hours(6, &[(3600, 4 * 3600)]).unwrap();
        // Saturday 22:00–06:00 (belongs to Saturday): 28 March 22–02 (4 h) + 03–06 (3 h) = 7 h;
        // 24 October: 8 wall-clock hours with 02:00–03:00 lived twice = 9 h.
        let mut late = Calendar::empty(ams);
        late.set_hours(5, &[(22 * 3600, 30 * 3600)]).unwrap();
        for (cal, s, a) in [(whole, 23, 25), (office, 8, 8), (night, 2, 4)] {
            for c in both(cal) {
                assert_eq!(c.working_seconds_on_day(spring), s * H);
                assert_eq!(c.working_seconds_on_day(autumn), a * H);
                let (x, y) = (at(ams, 2026, 3, 29, 0, 0), at(ams, 2026, 3, 30, 0, 0));
                assert_eq!(c.business_seconds(x, y), s * H);
            }
        }
        for c in both(late) {
            assert_eq!(c.working_seconds_on_day(day(2026, 3, 28)), 7 * H);
            assert_eq!(c.working_seconds_on_day(day(2026, 10, 24)), 9 * H);
            assert_eq!(c.working_seconds_on_day(spring), 0);
            assert!(!c.is_working_day(spring));
            let (x, y) = (at(ams, 2026, 3, 28, 0, 0), at(ams, 2026, 3, 30, 0, 0));
            assert_eq!(c.business_seconds(x, y), 7 * H);
        }
    }

    #[test]
    fn tehran_week_without_dst() {
        let teh = tz("Asia/Tehran");
        for cal in both(Calendar::preset("sat-wed", teh).unwrap()) {
            // Sat 7 … Fri 13 March 2026: 5 × 8 h + Thu 5 h = 45 h on 6 working days.
            assert_eq!(
                cal.working_seconds(day(2026, 3, 7), day(2026, 3, 14)),
                45 * H
            );
            assert_eq!(cal.working_days(day(2026, 3, 7), day(2026, 3, 14)), 6);
            assert!(!cal.is_working_day(day(2026, 3, 13))); // Friday
                                                            // Wed 11 15:00 → Sat 14 09:00: Wed 15–16 (1 h) + Thu 08–13 (5 h) + Sat 08–09 (1 h).
            let from = at(teh, 2026, 3, 11, 15, 0);
            assert_eq!(
                cal.business_seconds(from, at(teh, 2026, 3, 14, 9, 0)),
                7 * H
            );
            // +03:30 in winter and summer alike: Sat 08:00 local is 04:30 UTC.
            let (a, b) = (utc(2026, 3, 7, 4, 30), utc(2026, 3, 7, 5, 30));
            assert_eq!(cal.business_seconds(a, b), H);
            let (a, b) = (utc(2026, 6, 20, 4, 0), utc(2026, 6, 20, 5, 30));
            assert_eq!(cal.business_seconds(a, b), H); // Sat 20 June: 07:30–09:00 local
                                                       // The spring equinox no longer moves clocks: Sat 21 March is 8 h.
            assert_eq!(cal.working_seconds_on_day(day(2026, 3, 21)), 8 * H);
        }
    }

    #[test]
    fn istanbul_all_year() {
        let ist = tz("Europe/Istanbul");
        for cal in both(Calendar::preset("sun-thu", ist).unwrap()) {
            // Wed 1 July 2026 06:00–14:00 UTC = 09:00–17:00 local.
            let (a, b) = (utc(2026, 7, 1, 6, 0), utc(2026, 7, 1, 14, 0));
            assert_eq!(cal.business_seconds(a, b), 8 * H);
            // Sunday works, Friday doesn't.
            assert!(cal.is_working_day(day(2026, 7, 5)));
            assert!(!cal.is_working_day(day(2026, 7, 3)));
        }
    }

    #[test]
    fn several_months_with_holidays() {
        let ams = tz("Europe/Amsterdam");
        let v = json!({"preset": "mon-fri", "holidays": [
            "2026-01-01", "2026-04-06", "2026-04-27", "2026-05-14", "2026-05-25"
        ]});
        let cal = Calendar::from_json(&v, ams).unwrap();
        let (a, b) = (at(ams, 2026, 1, 1, 0, 0), at(ams, 2026, 7, 1, 0, 0));
        // Weekdays: Jan 22 (starts Thu) + Feb 20 + Mar 22 + Apr 22 + May 21 + Jun 22 = 129,
        // minus 5 weekday holidays = 124 days × 8 h = 992 h.
        for c in both(cal.clone()) {
            assert_eq!(c.business_seconds(a, b), 992 * H);
            assert_eq!(c.working_days(day(2026, 1, 1), day(2026, 7, 1)), 124);
        }
        // Prepared over a range that cuts the span: the fast middle plus slow ends agree.
        let cut = cal.with_prepared(day(2026, 2, 10), day(2026, 5, 3));
        assert_eq!(cut.business_seconds(a, b), 992 * H);
        assert_eq!(cut.working_days(day(2026, 1, 1), day(2026, 7, 1)), 124);
    }

    #[test]
    fn night_shift_belongs_to_its_start_day() {
        let ist = tz("Europe/Istanbul");
        let v = json!({"preset": "none", "hours": {
            "mon": ["22:00-06:00"], "tue": ["22:00-06:00", "05:00-08:00"]
        }});
        let cal = Calendar::from_json(&v, ist).unwrap();
        assert_eq!(cal.hours(0), &[(22 * 3600, 30 * 3600)]);
        for c in both(cal) {
            // Monday 2 March: 22:00 → Tue 06:00 = 8 h, all Monday's.
            assert_eq!(c.working_seconds_on_day(day(2026, 3, 2)), 8 * H);
            // Tuesday: 05:00–06:00 is Monday's shift, so 06:00–08:00 (2 h) + 22–06 (8 h).
            assert_eq!(c.working_seconds_on_day(day(2026, 3, 3)), 10 * H);
            // Wednesday's morning 00:00–06:00 is Tuesday's; Wednesday itself has no hours.
            assert!(!c.is_working_day(day(2026, 3, 4)));
            // Mon 20:00 → Wed 12:00 holds both shifts and Tuesday's morning once: 18 h.
            let (a, b) = (at(ist, 2026, 3, 2, 20, 0), at(ist, 2026, 3, 4, 12, 0));
            assert_eq!(c.business_seconds(a, b), 18 * H);
        }
    }

    #[test]
    fn always_equals_elapsed_time() {
        let ams = tz("Europe/Amsterdam");
        let cal = Calendar::always(ams).with_prepared(day(2026, 1, 1), day(2027, 1, 1));
        let mut rng = Rng(7);
        for _ in 0..2_000 {
            let a = utc(2025, 12, 1, 0, 0) + rng.below(400 * DAY as u64) as i64;
            let b = a + rng.below(40 * DAY as u64) as i64;
            assert_eq!(cal.business_seconds(a, b), b - a);
        }
    }

    /// xorshift64*: deterministic and dependency-free.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn busy_calendar(tz: Tz) -> Calendar {
        let v = json!({"preset": "mon-fri", "hours": {
            "mon": ["09:00-12:30", "13:30-17:00"],
            "fri": ["22:00-06:00"],
            "sat": ["05:00-09:00"],
            "sun": ["01:00-04:00"]
        }, "holidays": ["2026-04-23", {"date": "2026-12-31", "hours": ["09:00-13:00"]},
                        {"date": "2026-10-23", "hours": ["20:00-03:30"]}]});
        Calendar::from_json(&v, tz).unwrap()
    }

    #[test]
    fn fast_path_equals_slow_path() {
        for name in ["Europe/Amsterdam", "Asia/Tehran", "America/New_York", "UTC"] {
            let zone = tz(name);
            let slow = busy_calendar(zone);
            let fast = slow
                .clone()
                .with_prepared(day(2025, 10, 1), day(2027, 4, 1));
            let mut rng = Rng(0x5eed ^ name.len() as u64);
            // Spans start from 2025-09 to 2027-05, so some cross the prepared edges.
            let base = utc(2025, 9, 1, 0, 0);
            for i in 0..3_000 {
                let a = base + rng.below(620 * DAY as u64) as i64;
                let len = if i % 10 == 0 { 300 * DAY } else { 5 * DAY };
                let b = a + rng.below(len as u64) as i64;
                let want = slow.business_seconds(a, b);
                assert_eq!(fast.business_seconds(a, b), want, "{name} {a} {b}");
                // Additivity at a random cut.
                let m = a + rng.below((b - a) as u64 + 1) as i64;
                assert_eq!(
                    fast.business_seconds(a, m) + fast.business_seconds(m, b),
                    want
                );
            }
            for d in day(2025, 9, 1)..day(2027, 5, 1) {
                assert_eq!(
                    fast.working_seconds_on_day(d),
                    slow.working_seconds_on_day(d)
                );
            }
            let (d0, d1) = (day(2026, 1, 5), day(2026, 11, 20));
            assert_eq!(fast.working_seconds(d0, d1), slow.working_seconds(d0, d1));
            assert_eq!(fast.working_days(d0, d1), slow.working_days(d0, d1));
            // A whole prepared day's seconds equal the business seconds between midnights
            // wherever no night shift crosses them (Tuesdays here).
            let tue = day(2026, 3, 31);
            let (x, y) = (
                local_to_utc(tue * DAY, zone),
                local_to_utc((tue + 1) * DAY, zone),
            );
            assert_eq!(
                fast.business_seconds(x, y),
                fast.working_seconds_on_day(tue)
            );
        }
    }

    #[test]
    fn matches_a_minute_by_minute_oracle() {
        // An independent definition: a minute works when its wall-clock time lies in one of its
        // local date's intervals, or in the after-midnight part of the previous date's ones.
        // Zones change offsets on whole minutes, so minute-aligned spans are exact.
        let oracle = |cal: &Calendar, from: Seconds, to: Seconds| -> i64 {
            let mut sum = 0;
            let mut t = from;
            while t < to {
                let local = time::utc_to_local(t, cal.timezone());
                let (d, sod) = (local.div_euclid(DAY), local.rem_euclid(DAY) as u32);
                let today = cal.hours_on(d).iter().any(|&(a, b)| a <= sod && sod < b);
                let spill = cal
                    .hours_on(d - 1)
                    .iter()
                    .any(|&(a, b)| a <= sod + 86_400 && sod + 86_400 < b);
                if today || spill {
                    sum += 60;
                }
                t += 60;
            }
            sum
        };
        // DST days of 2026 (and Tehran's last midnight changes, 2021-03-22 / 2021-09-22).
        let cases = [
            ("Europe/Amsterdam", [(2026, 3, 29), (2026, 10, 25)]),
            ("America/New_York", [(2026, 3, 8), (2026, 11, 1)]),
            ("Asia/Tehran", [(2021, 3, 22), (2021, 9, 22)]),
            ("Europe/Istanbul", [(2026, 3, 29), (2026, 10, 25)]),
        ];
        for (name, dates) in cases {
            let zone = tz(name);
            let mut cal = busy_calendar(zone);
            // Night shifts around the change days as holidays' own hours.
            cal.add_holiday(day(2021, 9, 21), &[(21 * 3600, 27 * 3600)])
                .unwrap();
            cal.add_holiday(day(2026, 3, 28), &[(23 * 3600, 29 * 3600)])
                .unwrap();
            let prepared = cal.clone().with_prepared(day(2021, 1, 1), day(2026, 10, 1));
            let mut rng = Rng(99);
            for (y, m, d) in dates {
                let centre = day(y, m, d) * DAY;
                for _ in 0..60 {
                    let a = centre - 3 * DAY + rng.below(6 * 1440) as i64 * 60;
                    let b = a + rng.below(3 * 1440) as i64 * 60;
                    let want = oracle(&cal, a, b);
                    assert_eq!(cal.business_seconds(a, b), want, "{name} {a} {b}");
                    assert_eq!(prepared.business_seconds(a, b), want, "{name} {a} {b}");
                }
            }
        }
    }

    #[test]
    fn fast_path_speed() {
        // Not an assertion: prints calls per second (run with --release for real numbers).
        let ams = tz("Europe/Amsterdam");
        let cal = busy_calendar(ams).with_prepared(day(2025, 1, 1), day(2028, 1, 1));
        let mut rng = Rng(42);
        let base = utc(2025, 1, 2, 0, 0);
        let spans: Vec<(i64, i64)> = (0..200_000)
            .map(|_| {
                let a = base + rng.below(1_000 * DAY as u64) as i64;
                (a, a + rng.below(30 * DAY as u64) as i64)
            })
            .collect();
        let start = std::time::Instant::now();
        let mut total = 0i64;
        for _ in 0..5 {
            for &(a, b) in &spans {
                total = total.wrapping_add(cal.business_seconds(a, b));
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let calls = 5.0 * spans.len() as f64;
        println!(
            "business_seconds fast path: {:.1} M calls/s ({:.0} ns/call, checksum {total})",
            calls / secs / 1e6,
            secs / calls * 1e9
        );
        // The unprepared path on the same spans, for comparison.
        let slow = busy_calendar(ams);
        let start = std::time::Instant::now();
        let mut check = 0i64;
        for &(a, b) in &spans[..2_000] {
            check = check.wrapping_add(slow.business_seconds(a, b));
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "business_seconds slow path (spans up to 30 days): {:.0} µs/call (checksum {check})",
            secs / 2_000.0 * 1e6
        );
    }

    #[test]
    fn presets() {
        let ist = tz("Europe/Istanbul");
        let mon_fri = Calendar::preset("mon-fri", ist).unwrap();
        assert_eq!(mon_fri.hours(0), &[(9 * 3600, 17 * 3600)]);
        assert_eq!(mon_fri.hours(5), &[]);
        let sat_wed = Calendar::preset(" SAT-WED ", ist).unwrap();
        assert_eq!(sat_wed.hours(5), &[(8 * 3600, 16 * 3600)]);
        assert_eq!(sat_wed.hours(3), &[(8 * 3600, 13 * 3600)]);
        assert_eq!(sat_wed.hours(4), &[]);
        let sun_thu = Calendar::preset("sun-thu", ist).unwrap();
        assert_eq!(sun_thu.hours(6), &[(9 * 3600, 17 * 3600)]);
        assert_eq!(sun_thu.hours(4), &[]);
        let mon_sat = Calendar::preset("mon-sat", ist).unwrap();
        assert_eq!(mon_sat.hours(5), &[(9 * 3600, 18 * 3600)]);
        assert_eq!(mon_sat.hours(6), &[]);
        assert_eq!(
            Calendar::preset("24/7", ist).unwrap(),
            Calendar::always(ist)
        );
        assert_eq!(
            Calendar::preset("24x7", ist).unwrap(),
            Calendar::always(ist)
        );
        assert_eq!(Calendar::preset("none", ist).unwrap(), Calendar::empty(ist));
        assert_eq!(
            Calendar::preset("mon-thu", ist).unwrap_err(),
            "unknown calendar preset \"mon-thu\": expected mon-fri, sat-wed, sun-thu, mon-sat, 24/7 or none"
        );
        // A bare string in JSON is a preset.
        assert_eq!(
            Calendar::from_json(&json!("sat-wed"), ist).unwrap(),
            sat_wed
        );
    }

    #[test]
    fn json_calendar() {
        let ams = tz("Europe/Amsterdam");
        let v = json!({"preset": "mon-fri", "timezone": "Europe/Istanbul",
            "hours": {"mon": ["09:00-17:00"], "Saturday": ["10:00-14:00"], "fri": []},
            "holidays": ["2026-04-23", {"date": "2026-12-31", "hours": ["09:00-13:00"]}],
            "name": "support desk"});
        let cal = Calendar::from_json(&v, ams).unwrap();
        assert_eq!(cal.timezone(), tz("Europe/Istanbul"));
        assert_eq!(cal.hours(5), &[(10 * 3600, 14 * 3600)]);
        assert_eq!(cal.hours(4), &[]);
        assert_eq!(cal.holiday(day(2026, 4, 23)), Some(&[][..]));
        assert_eq!(
            cal.holiday(day(2026, 12, 31)),
            Some(&[(9 * 3600, 13 * 3600)][..])
        );
        assert_eq!(cal.holiday(day(2026, 12, 30)), None);
        // No timezone: the default one; no preset: mon-fri.
        let cal = Calendar::from_json(&json!({}), ams).unwrap();
        assert_eq!(cal, Calendar::preset("mon-fri", ams).unwrap());
        // Overlapping intervals merge; "24:00" ends a day; en dash accepted.
        let v = json!({"hours": {"mon": ["09:00-12:00", "11:00–13:00", "20:00-24:00"]}});
        let cal = Calendar::from_json(&v, ams).unwrap();
        assert_eq!(cal.hours(0), &[(9 * 3600, 13 * 3600), (20 * 3600, 86_400)]);
    }

    #[test]
    fn json_errors() {
        let ams = tz("Europe/Amsterdam");
        let err = |v: Value| Calendar::from_json(&v, ams).unwrap_err();
        assert_eq!(
            err(json!({"hours": {"mon": ["9-5"]}})),
            "calendar hours for \"mon\": expected \"HH:MM-HH:MM\", found \"9-5\""
        );
        assert_eq!(
            err(json!({"hours": {"mon": ["09:00-25:00"]}})),
            "calendar hours for \"mon\": expected \"HH:MM-HH:MM\", found \"09:00-25:00\""
        );
        assert_eq!(
            err(json!({"hours": {"tue": [9]}})),
            "calendar hours for \"tue\": expected \"HH:MM-HH:MM\", found 9"
        );
        assert_eq!(
            err(json!({"hours": {"wed": 9}})),
            "calendar hours for \"wed\": expected a list of \"HH:MM-HH:MM\" strings, found 9"
        );
        assert_eq!(
            err(json!({"hours": {"sun": ["00:00-00:00"]}})),
            "calendar hours for \"sun\": expected an end other than the start (\"00:00-24:00\" for a whole day), found \"00:00-00:00\""
        );
        assert_eq!(
            err(json!({"hours": {"mond": []}})),
            "calendar hours: unknown day \"mond\": expected mon, tue, wed, thu, fri, sat or sun"
        );
        assert_eq!(
            err(json!({"hours": ["09:00-17:00"]})),
            "calendar hours: expected an object such as {\"mon\": [\"09:00-17:00\"]}, found a list"
        );
        assert_eq!(
            err(json!({"preset": "weekdays"})),
            "unknown calendar preset \"weekdays\": expected mon-fri, sat-wed, sun-thu, mon-sat, 24/7 or none"
        );
        assert_eq!(
            err(json!({"timezone": "Mars/Olympus"})),
            "calendar timezone \"Mars/Olympus\": expected an IANA name such as \"Europe/Amsterdam\""
        );
        assert_eq!(
            err(json!({"tz": "UTC"})),
            "unknown calendar key \"tz\": expected preset, timezone, hours, holidays or name"
        );
        assert_eq!(
            err(json!({"holidays": ["2026-13-01"]})),
            "calendar holiday: expected a date \"YYYY-MM-DD\", found \"2026-13-01\""
        );
        assert_eq!(
            err(json!({"holidays": "2026-04-23"})),
            "calendar holidays: expected a list of dates such as [\"2026-04-23\"], found \"2026-04-23\""
        );
        assert_eq!(
            err(json!({"holidays": [{"hours": []}]})),
            "calendar holiday: expected a \"date\" such as \"2026-12-31\", found an object without one"
        );
        assert_eq!(
            err(json!({"holidays": [{"date": "2026-12-31", "hours": ["9:00-13"]}]})),
            "calendar hours for holiday \"2026-12-31\": expected \"HH:MM-HH:MM\", found \"9:00-13\""
        );
        assert_eq!(
            err(json!({"holidays": [{"date": "2026-12-31", "half": true}]})),
            "unknown calendar holiday key \"half\": expected date, hours or name"
        );
        assert_eq!(
            err(json!(42)),
            "calendar: expected an object such as {\"preset\": \"mon-fri\"}, found 42"
        );
        // Programmatic intervals are checked too.
        let mut cal = Calendar::empty(ams);
        assert_eq!(
            cal.set_hours(0, &[(17 * 3600, 9 * 3600)]).unwrap_err(),
            "working interval 17:00-09:00: expected a start before 24:00 and an end after it, at most 24 hours later"
        );
        assert_eq!(
            cal.set_hours(7, &[]).unwrap_err(),
            "weekday 7: expected 0 (monday) to 6 (sunday)"
        );
    }

    #[test]
    fn missing_and_absurd_instants() {
        let cal = Calendar::always(tz("UTC"));
        assert_eq!(
            cal.business_seconds(time::NO_TIME, utc(2026, 1, 1, 0, 0)),
            0
        );
        assert_eq!(
            cal.business_seconds(utc(2026, 1, 1, 0, 0), time::NO_TIME),
            0
        );
        // Clamped to the engine's range rather than walking billions of days.
        assert_eq!(cal.business_seconds(time::LATEST - 10, i64::MAX), 10);
        assert_eq!(cal.prepared(), None);
        assert_eq!(cal.working_days(i64::MIN, i64::MAX), 84_006 - 365 + 1);
        let mut huge = cal.clone();
        huge.prepare(i64::MIN / 2, i64::MAX / 2);
        assert_eq!(huge.prepared(), Some((365, 365 + MAX_PREPARED_DAYS)));
        let prepared = cal.with_prepared(day(2026, 1, 1), day(2026, 2, 1));
        assert_eq!(
            prepared.prepared(),
            Some((day(2026, 1, 1), day(2026, 2, 1)))
        );
    }
}

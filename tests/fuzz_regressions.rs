//! Inputs the fuzzers (`scripts/fuzz.sh`, targets in `fuzz/`) found to crash, hang or crawl,
//! kept as tests once fixed. Each input is the fuzzer's own file in `tests/fixtures/fuzz/`,
//! named for what it exercises, unedited, so the case can be replayed with the fuzz target too.

use std::time::{Duration, Instant};
use ticket_kpis::ingest::{self, Dataset, IngestOptions};
use ticket_kpis::report::{self, ReportOptions};

/// The report target's fixed dataset, loaded as the target loads it.
fn catalogue() -> Dataset {
    let opts = IngestOptions {
        now: 1_780_000_000,
        fallback_timezone: Some("Europe/Amsterdam".into()),
        ..Default::default()
    };
    ingest::load(include_bytes!("fixtures/catalogue.json"), &opts).unwrap()
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// Found by the `report` target as a slow unit (13 s under the fuzzer): business hours, an SLA
/// policy and a `now` 56 years after the data. Every ticket's time open up to `now` was counted
/// in business hours, whether an SLA verdict needed it or not, and outside the calendar's
/// prepared days that is a day-by-day count: seconds for a dozen tickets, hours for an export.
/// Fixed three ways: the time open is counted only for tickets whose verdict depends on it
/// (kpi::scan), the calendar is prepared up to `now` (report::options) and may be prepared over
/// the engine's whole range of instants (calendar::MAX_PREPARED_DAYS).
#[test]
fn report_with_a_far_now_is_fast() {
    let data = catalogue();
    let mut opts: ReportOptions =
        serde_json::from_slice(include_bytes!("fixtures/fuzz/report-far-now.json")).unwrap();
    // Unoptimised builds took 3 s for this input and 9 s for the later "now" below; both now
    // take well under a second. The bound is loose so a busy machine does not fail it.
    let limit = Duration::from_secs(3);
    let (report, took) = timed(|| report::build(&data, &opts));
    assert!(report.is_ok(), "{:?}", report.err());
    assert!(took < limit, "report with now in 2082 took {took:?}");
    opts.now = Some(7_000_000_000.0); // 2191
    let (report, took) = timed(|| report::build(&data, &opts));
    assert!(report.is_ok(), "{:?}", report.err());
    assert!(took < limit, "report with now in 2191 took {took:?}");
}

/// The other half of the same fix: a typed-in `now` must be an instant the engine accepts.
#[test]
fn report_now_outside_the_engine_range_is_an_option_error() {
    let data = catalogue();
    for (now, shown) in [(1e12, "1000000000000"), (-1.0, "-1"), (f64::NAN, "NaN")] {
        let opts = ReportOptions {
            now: Some(now),
            ..Default::default()
        };
        assert_eq!(
            report::build(&data, &opts).unwrap_err().to_string(),
            format!("\"now\" should be a Unix time in seconds from 1971 to 2200; found {shown}")
        );
    }
}

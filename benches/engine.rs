//! Native benchmark of the engine's core (issue 6): ingest throughput, report build, filtered
//! report, the KPI scan kernel and exact duration summaries. Not a test: run by hand with
//! `cargo bench --bench engine` (scripts/bench.sh does). A plain `harness = false` bench, std
//! only: every case is run `BENCH_RUNS` times (default 5) after one warm-up, and min / median /
//! max are printed.
//!
//! Environment: `BENCH_TICKETS` (default 100000) tickets of the seeded sample (seed 42,
//! 26 weeks), `BENCH_RUNS` (default 5), `BENCH_VALUES` (default 1000000) durations,
//! `BENCH_INGEST=0` to skip the ingest cases (at 1M tickets they take minutes and hold the
//! NDJSON copy in memory too).
//!
//! The report cases the page cares about (issue 6: "change filter / period / grouping +
//! redraw") are the `report after …` ones: the engine keeps a [`report::ReportCache`] between
//! reports, so only the first report on a dataset (`report (cold)`) measures every ticket with
//! the calendar.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};
use ticket_kpis::ingest::{self, IngestOptions};
use ticket_kpis::kpi::{self, AlwaysOpen, Filter, ScanSetup, SlaPolicy};
use ticket_kpis::report::{self, ReportCache, ReportOptions};
use ticket_kpis::sample::{self, SampleSpec};
use ticket_kpis::stats::Durations;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Runs `f` once to warm up, then `runs` times; returns the sorted durations.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    black_box(f());
    let mut out: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    out.sort();
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn line(name: &str, times: &[Duration], bytes: Option<usize>) {
    let mut times = times.to_vec();
    times.sort();
    let med = times[times.len() / 2];
    let rate = bytes
        .map(|b| format!("  {:>7.1} MB/s", b as f64 / 1e6 / med.as_secs_f64()))
        .unwrap_or_default();
    println!(
        "  {name:<44} min {:>9.2} ms  median {:>9.2} ms  max {:>9.2} ms{rate}",
        ms(times[0]),
        ms(med),
        ms(times[times.len() - 1]),
    );
}

/// The recomputations of issue 6: a first report, then reports after one option changes, with
/// the cache the browser engine keeps. Each `after …` run alternates between two option sets
/// that differ only in that option, so every timed report is a real change.
fn report_cases(data: &ingest::Dataset, runs: usize) {
    let base = ReportOptions {
        bucket: Some("day".into()),
        ..ReportOptions::default()
    };
    line(
        "report (cold)",
        &time(runs, || {
            report::build_cached(data, &base, &mut ReportCache::new()).expect("report")
        }),
        None,
    );
    line(
        "report, reference path (nothing cached)",
        &time(runs, || {
            report::build_uncached(data, &base).expect("report")
        }),
        None,
    );
    let mut cache = ReportCache::new();
    report::build_cached(data, &base, &mut cache).expect("report");
    println!(
        "  (cache: {:.1} MB, {:.1} bytes per ticket)",
        cache.heap_bytes() as f64 / 1e6,
        cache.heap_bytes() as f64 / data.store.len().max(1) as f64
    );
    let mut changed = |name: &str, other: ReportOptions| {
        let pair = [&base, &other];
        let mut k = 0;
        line(
            name,
            &time(runs, || {
                k += 1;
                report::build_cached(data, pair[k % 2], &mut cache).expect("report")
            }),
            None,
        );
    };
    changed(
        "report after filter change (warm cache)",
        ReportOptions {
            filters: BTreeMap::from([("channel".to_string(), vec!["email".to_string()])]),
            ..base.clone()
        },
    );
    // The sample's last 26 weeks end on its END_DATE (2026-03-02): the last 4 weeks.
    changed(
        "report after period change",
        ReportOptions {
            from: Some("2026-02-02".into()),
            to: Some("2026-03-01".into()),
            ..base.clone()
        },
    );
    changed(
        "report after grouping change (by agent)",
        ReportOptions {
            group_by: Some("agent".into()),
            ..base.clone()
        },
    );
    changed(
        "report after bucket change (week)",
        ReportOptions {
            bucket: Some("week".into()),
            ..base.clone()
        },
    );
}

/// The parallel ingest's own costs: a helper reading the second half of the file into its
/// part and writing it as bytes, and the main worker merging those bytes (src/ingest/parallel.rs).
fn parallel_cases(json: &[u8], opts: &IngestOptions, runs: usize) {
    let cut = json.len() / 2;
    let from = cut - ingest::PART_LOOKBACK;
    let start = from + ingest::part_start(&json[from..], cut - from).expect("a record start");
    let read = || {
        let mut part = ingest::PartReader::new(start as u64, None);
        part.push(&json[start..]);
        part
    };
    line(
        "helper: read half the file",
        &time(runs, read),
        Some(json.len() - start),
    );
    let bytes = read().finish();
    line(
        "helper: the part as bytes",
        &time(runs, || read().finish()),
        Some(json.len() - start),
    );
    let first_half = || {
        let mut feed = ingest::Feed::new("bench.json", json.len() as u64, opts.clone()).unwrap();
        feed.split_at(cut as u64);
        feed.push(&json[..cut + (1 << 20)]).unwrap();
        feed
    };
    let merge = || {
        let mut feed = first_half();
        assert!(feed.take_part(&bytes), "the part fits");
        feed
    };
    // The merge alone (the first half read before the clock starts).
    let merges: Vec<Duration> = (0..runs)
        .map(|_| {
            let mut feed = first_half();
            let t = Instant::now();
            assert!(feed.take_part(&bytes), "the part fits");
            t.elapsed()
        })
        .collect();
    line("main: merge the part", &merges, Some(bytes.len()));
    println!("  (the part: {:.1} MB of bytes)", bytes.len() as f64 / 1e6);
    line(
        "main: read half + merge the part",
        &time(runs, merge),
        Some(json.len()),
    );
    // Both at once, as the widget's two workers run: the whole file's wall time.
    let both = || {
        std::thread::scope(|s| {
            let helper = s.spawn(|| read().finish());
            let mut feed =
                ingest::Feed::new("bench.json", json.len() as u64, opts.clone()).unwrap();
            feed.split_at(cut as u64);
            feed.push(&json[..cut + (1 << 20)]).unwrap();
            assert!(feed.take_part(&helper.join().unwrap()), "the part fits");
            feed
        })
    };
    line(
        "two threads: halves read + merged",
        &time(runs, both),
        Some(json.len()),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run once, small.
    let quick = !std::env::args().any(|a| a == "--bench");
    let tickets = if quick {
        1_000
    } else {
        env("BENCH_TICKETS", 100_000)
    };
    let runs = if quick {
        1
    } else {
        env("BENCH_RUNS", 5).max(1)
    };
    let values = if quick {
        10_000
    } else {
        env("BENCH_VALUES", 1_000_000)
    };
    let spec = SampleSpec {
        tickets,
        seed: 42,
        weeks: 26,
    };
    let ingest_cases = env("BENCH_INGEST", 1) != 0;
    let json = sample::generate_json(&spec).into_bytes();
    let mut ndjson = Vec::new();
    if ingest_cases {
        sample::write_ndjson(&spec, &mut ndjson).expect("writing to a Vec");
    }
    let opts = IngestOptions {
        now: sample::exported_at(),
        fallback_timezone: Some(sample::TIMEZONE.into()),
        ..IngestOptions::default()
    };
    println!(
        "engine bench: {tickets} tickets (JSON {:.1} MB, NDJSON {:.1} MB), {runs} runs each",
        json.len() as f64 / 1e6,
        ndjson.len() as f64 / 1e6
    );

    if ingest_cases {
        line(
            "ingest, JSON envelope",
            &time(runs, || ingest::load(&json, &opts).expect("sample loads")),
            Some(json.len()),
        );
        line(
            "ingest, NDJSON",
            &time(runs, || ingest::load(&ndjson, &opts).expect("sample loads")),
            Some(ndjson.len()),
        );
        parallel_cases(&json, &opts, runs);
    }

    let data = ingest::load(&json, &opts).expect("sample loads");
    drop(json);
    drop(ndjson);
    let grouped = ReportOptions {
        bucket: Some("day".into()),
        group_by: Some("channel".into()),
        ..ReportOptions::default()
    };
    let plain = ReportOptions {
        bucket: Some("day".into()),
        ..ReportOptions::default()
    };
    let filtered = ReportOptions {
        bucket: Some("day".into()),
        filters: BTreeMap::from([("channel".to_string(), vec!["email".to_string()])]),
        ..ReportOptions::default()
    };
    report_cases(&data, runs);
    line(
        "report (day buckets)",
        &time(runs, || report::build(&data, &plain).expect("report")),
        None,
    );
    line(
        "report (day buckets, grouped by channel)",
        &time(runs, || report::build(&data, &grouped).expect("report")),
        None,
    );
    line(
        "report (day buckets, filter channel=email)",
        &time(runs, || report::build(&data, &filtered).expect("report")),
        None,
    );
    line(
        "report → JSON text (serde_json, day buckets)",
        &time(runs, || {
            serde_json::to_vec(&report::build(&data, &plain).expect("report")).expect("json")
        }),
        None,
    );

    // The scan kernel alone: every ticket into 26 weekly windows, no grouping, no filter.
    let store = &data.store;
    let first = store.created.iter().copied().min().unwrap_or(0);
    let edges: Vec<i64> = (0..=26).map(|w| first + w * 7 * 86_400).collect();
    let sla = SlaPolicy::default();
    let setup = ScanSetup {
        clock: &AlwaysOpen,
        sla: &sla,
        abandon_threshold: 5,
        now: sample::exported_at(),
        urgent: vec![false; store.priorities.len()],
        derived: None,
    };
    let none = Filter::default();
    line(
        "KPI scan, 26 weekly windows",
        &time(runs, || kpi::scan(store, &setup, &edges, None, &none)),
        None,
    );
    line(
        "KPI scan, 26 windows × channel",
        &time(runs, || {
            kpi::scan(store, &setup, &edges, Some(kpi::Dimension::Channel), &none)
        }),
        None,
    );

    // Exact median / p90 / mean of a large bag (selection, not sorting).
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut bag = Durations::default();
    for _ in 0..values {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bag.push((state % 604_800) as i64);
    }
    line(
        &format!("Durations::summary, {values} values"),
        &time(runs, || bag.summary()),
        None,
    );
}

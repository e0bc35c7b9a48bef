//! Native benchmark of canonical record reading (the performance issue's ingest target):
//! the sample's tickets split into records, then read with serde (the lenient `raw` types),
//! with the purpose-built scanner (`ingest::Builder::scan_record`), and each followed by
//! `Builder::push` into the columnar store. Not a test: `cargo bench --bench ingest`.
//!
//! Environment: `BENCH_TICKETS` (default 100000) tickets of the seeded sample (seed 42,
//! 26 weeks), `BENCH_RUNS` (default 5). Every case runs once to warm up, then `BENCH_RUNS`
//! times; min / median / max are printed, with MB/s of record bytes at the median.

use std::hint::black_box;
use std::time::{Duration, Instant};
use ticket_kpis::ingest::Builder;
use ticket_kpis::raw::{self, Nested, RawTicket};
use ticket_kpis::sample::{self, SampleSpec};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn line(name: &str, mut times: Vec<Duration>, bytes: usize) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let med = times[times.len() / 2];
    println!(
        "  {name:<40} min {:>8.2} ms  median {:>8.2} ms  max {:>8.2} ms  {:>7.1} MB/s",
        ms(times[0]),
        ms(med),
        ms(times[times.len() - 1]),
        bytes as f64 / 1e6 / med.as_secs_f64()
    );
}

/// Runs `f` once to warm up, then `runs` times.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    black_box(f());
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect()
}

/// The ticket records of a canonical envelope as the generator writes it: the `tickets`
/// array holds one record per line.
fn records(json: &str) -> Vec<&[u8]> {
    let start = json
        .find("\"tickets\": [")
        .expect("an envelope with tickets");
    json[start..]
        .lines()
        .skip(1)
        .map(|l| l.trim().trim_end_matches(','))
        .take_while(|l| l.starts_with('{'))
        .map(str::as_bytes)
        .collect()
}

fn serde_record(r: &[u8]) -> (Nested<RawTicket<'_>>, Vec<String>) {
    let t = serde_json::from_slice::<Nested<RawTicket>>(r).expect("sample record");
    (t, raw::take_repeated_keys())
}

fn scan_record(r: &[u8]) -> Nested<RawTicket<'_>> {
    Nested::Value(Builder::scan_record(r).expect("the scanner reads every sample record"))
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
    let spec = SampleSpec {
        tickets,
        seed: 42,
        weeks: 26,
    };
    let json = sample::generate_json(&spec);
    let records = records(&json);
    assert_eq!(records.len(), tickets);
    let bytes: usize = records.iter().map(|r| r.len()).sum();
    let now = sample::exported_at();
    println!(
        "ingest bench: {tickets} records, {:.1} MB of records, {runs} runs each",
        bytes as f64 / 1e6
    );

    line(
        "parse: serde (raw::RawTicket)",
        time(runs, || {
            records
                .iter()
                .filter(|r| matches!(serde_record(r).0, Nested::Value(_)))
                .count()
        }),
        bytes,
    );
    line(
        "parse: scan::read_ticket",
        time(runs, || {
            records
                .iter()
                .filter(|r| Builder::scan_record(r).is_some())
                .count()
        }),
        bytes,
    );
    line(
        "parse + Builder::push: serde",
        time(runs, || {
            let mut b = Builder::new(now);
            for r in &records {
                let (t, repeated) = serde_record(r);
                b.push_repeating(t, repeated);
            }
            b
        }),
        bytes,
    );
    line(
        "parse + Builder::push: scan",
        time(runs, || {
            let mut b = Builder::new(now);
            for r in &records {
                b.push(scan_record(r));
            }
            b
        }),
        bytes,
    );
    // Builder::push alone: records parsed beforehand (untimed), then pushed.
    let mut pushes = Vec::new();
    for _ in 0..=runs {
        let parsed: Vec<_> = records.iter().map(|r| scan_record(r)).collect();
        let mut b = Builder::new(now);
        let t = Instant::now();
        for p in parsed {
            b.push(p);
        }
        pushes.push(t.elapsed());
        black_box(b);
    }
    pushes.remove(0);
    line("Builder::push alone", pushes, bytes);
}

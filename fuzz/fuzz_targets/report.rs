//! The report builder on fuzzed options (periods, buckets, zones, filters, calendars, targets,
//! SLA policies, benchmarks…) against a small fixed dataset: `report::build` must answer with
//! a report or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use ticket_kpis::ingest::{self, Dataset};
use ticket_kpis::report::{self, ReportOptions};
use ticket_kpis_fuzz::options;

/// The catalogue fixture: every KPI has data, a roster, targets, a calendar.
static FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/catalogue.json");

fn dataset() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| ingest::load(FIXTURE, &options(None)).expect("the fixture loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(opts) = serde_json::from_slice::<ReportOptions>(data) else {
        return;
    };
    let _ = report::build(dataset(), &opts);
});

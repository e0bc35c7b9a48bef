//! The canonical JSON reader (`ingest::load` with the format set to canonical): array,
//! envelope and NDJSON layouts, lenient records, validation and cross-checks. Any input must
//! give a dataset or an error, never a panic, and a dataset must be internally consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::ingest;
use ticket_kpis_fuzz::{check_dataset, options};

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = ingest::load(data, &options(Some("canonical"))) {
        check_dataset(&d);
    }
});

//! CSV: the RFC 4180 reader on its own, then the whole CSV import (column mapping by name and
//! by values, spreadsheet dates, durations in units).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::adapters::parse_csv;
use ticket_kpis::ingest;
use ticket_kpis_fuzz::{check_dataset, options};

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = parse_csv(data) {
        assert_eq!(t.rows.len(), t.lines.len(), "a row without its line number");
        assert!(
            t.lines.windows(2).all(|w| w[0] < w[1]),
            "row line numbers out of order"
        );
    }
    if let Ok(d) = ingest::load(data, &options(Some("csv"))) {
        check_dataset(&d);
        assert!(
            d.import.csv.is_some(),
            "a CSV import without its column reading"
        );
    }
});

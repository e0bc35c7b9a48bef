//! Several files loaded together with automatic detection (`ingest::load_files`): canonical
//! files merged, vendor tickets joined with their side files, unreadable files listed while
//! the others load. The input is split into up to four files at `FILE_SEPARATOR`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::ingest;
use ticket_kpis_fuzz::{check_dataset, options, split_files};

fuzz_target!(|data: &[u8]| {
    let files = split_files(data, 4);
    if let Ok(d) = ingest::load_files(&files, &options(None)) {
        check_dataset(&d);
        assert_eq!(
            d.import.sources.len(),
            files.len(),
            "a file missing from the sources"
        );
    }
});

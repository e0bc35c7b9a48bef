//! Every import adapter, forced through the public `load_files` with a format override: the
//! first byte picks the format (so each adapter sees every shape of input, not only what its
//! detector accepts), the rest is split into up to three files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::adapters::Format;
use ticket_kpis::ingest;
use ticket_kpis_fuzz::{check_dataset, options, split_files};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    // One slot in 13 is automatic detection.
    let format = Format::ALL.get(pick as usize % (Format::ALL.len() + 1));
    let files = split_files(rest, 3);
    if let Ok(d) = ingest::load_files(&files, &options(format.map(|f| f.key()))) {
        check_dataset(&d);
    }
});

//! The canonical record scanner (`ingest::Builder::scan_record`, the fast path of the
//! canonical ingest) against serde: whenever the scanner reads a record, serde must read the
//! same ticket from it, to the bit, with no key repeated. `None` is always allowed (the
//! ingest then reads the record with serde).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::ingest::Builder;
use ticket_kpis::raw::{self, Nested, RawTicket};

fuzz_target!(|data: &[u8]| {
    raw::take_repeated_keys();
    let serde = serde_json::from_slice::<Nested<RawTicket>>(data);
    let repeated = raw::take_repeated_keys();
    if let Some(fast) = Builder::scan_record(data) {
        let Ok(Nested::Value(slow)) = &serde else {
            panic!("the scanner read a ticket, serde gave {serde:?}");
        };
        assert!(repeated.is_empty(), "repeated keys {repeated:?}");
        assert_eq!(&fast, slow);
        // Floats by their Debug text: tells -0.0 from 0.0.
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
    }
});

//! Timestamp parsing (`time::parse_str`, `time::parse_date`) and what is done with a parsed
//! value: resolving naive local times in zones with DST and odd offsets, formatting dates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::time::{self, Stamp};

const ZONES: [&str; 4] = ["UTC", "Europe/Amsterdam", "Asia/Tehran", "America/St_Johns"];

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = time::quote(s);
    let parsed = time::parse_str(s);
    if let Some(day) = time::parse_date(s) {
        assert_eq!(
            parsed,
            Ok(Stamp::Local(day * 86_400)),
            "parse_date and parse_str disagree"
        );
    }
    let zones = ZONES.map(|z| time::parse_tz(z).expect("a known zone"));
    match parsed {
        Ok(Stamp::Local(t)) => {
            for (name, tz) in ZONES.iter().zip(zones) {
                let utc = time::local_to_utc(t, tz);
                // No zone is more than a day away from UTC.
                assert!((utc - t).abs() <= 86_400, "{s:?} in {name}: {t} → {utc}");
                let _ = time::local_date_string(utc, tz);
            }
        }
        Ok(Stamp::Utc(t)) => {
            for tz in zones {
                let _ = time::local_date_string(t, tz);
                let _ = time::utc_to_local(t, tz);
            }
        }
        Err(found) => assert!(!found.is_empty(), "an error without a description"),
    }
    // The same bytes as a number of the kind exports use for Unix time.
    if let Ok(v) = s.trim().parse::<f64>() {
        let _ = time::epoch_to_seconds(v);
    }
});

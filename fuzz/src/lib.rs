//! Helpers shared by the fuzz targets: how one fuzz input becomes several files, and the fixed
//! settings every target loads with.

use ticket_kpis::ingest::IngestOptions;
use ticket_kpis::time::{EARLIEST, LATEST, NO_TIME};

/// Separates files inside one fuzz input (see [`split_files`]). Long and unlikely in real data,
/// but libFuzzer's comparison tracing finds it quickly, and seed files stay readable.
pub const FILE_SEPARATOR: &[u8] = b"\n%%FILE%%\n";

/// A fixed "now" (2026-05-28), so a run never depends on the clock.
pub const NOW: i64 = 1_780_000_000;

/// Splits one fuzz input into at most `max` named files at [`FILE_SEPARATOR`]; the rest of the
/// input after the last allowed separator stays in the last file.
pub fn split_files(data: &[u8], max: usize) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut rest = data;
    while files.len() + 1 < max {
        match find(rest, FILE_SEPARATOR) {
            Some(i) => {
                files.push(rest[..i].to_vec());
                rest = &rest[i + FILE_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    files.push(rest.to_vec());
    files
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| (format!("file{i}.json"), bytes))
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Import settings: the fixed "now", a fallback timezone with DST (so naive times go through
/// the gap and overlap code), and the given format override.
pub fn options(format: Option<&str>) -> IngestOptions {
    IngestOptions {
        now: NOW,
        fallback_timezone: Some("Europe/Amsterdam".into()),
        format: format.map(str::to_string),
        ..Default::default()
    }
}

/// Checks what must hold for any dataset that loaded: the import report adds up and every
/// column has one value per ticket.
pub fn check_dataset(d: &ticket_kpis::ingest::Dataset) {
    let s = &d.store;
    assert_eq!(
        d.import.tickets,
        s.len(),
        "report and store disagree on tickets"
    );
    assert!(!s.is_empty(), "a dataset loaded without tickets");
    assert!(
        d.import.skipped <= d.import.records,
        "more records skipped than read"
    );
    assert_eq!(s.created.len(), s.len());
    assert_eq!(s.solved.len(), s.len());
    for row in 0..s.len() {
        let created = s.created[row];
        // Naive local times are range-checked before their zone moves them by up to a day.
        let margin = 2 * 86_400;
        assert!(
            (EARLIEST - margin..=LATEST + margin).contains(&created),
            "created_at {created} outside the accepted range"
        );
        for t in [
            s.first_reply[row],
            s.first_solved[row],
            s.solved[row],
            s.closed[row],
        ] {
            assert!(
                t == NO_TIME || t >= created,
                "a time before created_at survived validation"
            );
        }
    }
}

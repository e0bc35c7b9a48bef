//! The streamed import ([`ticket_kpis::ingest::Feed`], what the browser uses for one file, and
//! what `ingest::load` uses for canonical JSON) gives exactly what the whole-document reader
//! gives — one serde pass over the file held whole — the same tickets, warnings and import
//! report, or the same error message at the same line and column, however the file is cut
//! into chunks: one byte at a time, at odd sizes, at every byte of a small file, at random.

mod common;

use common::{opts, summary, whole, Rng};
use ticket_kpis::ingest::{self, Feed};
use ticket_kpis::sample::{self, SampleSpec};

/// Feeds `bytes` in chunks of the sizes `cuts` gives (cycled), then finishes.
fn streamed(bytes: &[u8], cuts: &[usize]) -> String {
    let mut feed = match Feed::new("", bytes.len() as u64, opts()) {
        Ok(f) => f,
        Err(e) => return format!("error: {e}"),
    };
    let mut at = 0;
    for &n in cuts.iter().cycle() {
        if at >= bytes.len() {
            break;
        }
        let end = (at + n.max(1)).min(bytes.len());
        if let Err(e) = feed.push(&bytes[at..end]) {
            return format!("error: {e}");
        }
        at = end;
    }
    summary(feed.finish())
}

/// Checks that every way of cutting `bytes` gives what the whole-file read gives.
fn same_however_cut(name: &str, bytes: &[u8]) {
    let expected = whole(bytes);
    assert_eq!(
        summary(ingest::load(bytes, &opts())),
        expected,
        "{name}: ingest::load differs from the whole-document reader"
    );
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ bytes.len() as u64);
    let random: Vec<usize> = (0..64).map(|_| 1 + rng.below(300)).collect();
    let mut cuttings: Vec<Vec<usize>> = vec![
        vec![bytes.len().max(1)],
        vec![3],
        vec![7, 1, 64],
        vec![4096],
        vec![65_536 + 7],
        random,
    ];
    // One byte at a time is slow for the big inputs; the others cover those.
    if bytes.len() < 20_000 {
        cuttings.push(vec![1]);
    }
    for cuts in cuttings {
        let got = streamed(bytes, &cuts);
        assert!(
            got == expected,
            "{name}: cut as {:?}… differs from the whole read\nwhole:    {}\nstreamed: {}",
            &cuts[..cuts.len().min(4)],
            &expected[..expected.len().min(600)],
            &got[..got.len().min(600)]
        );
    }
}

#[test]
fn the_sample_and_the_examples() {
    let spec = SampleSpec {
        tickets: 3_000,
        seed: 11,
        weeks: 6,
    };
    same_however_cut("sample", sample::generate_json(&spec).as_bytes());
    let mut nd = Vec::new();
    sample::write_ndjson(&spec, &mut nd).unwrap();
    same_however_cut("sample ndjson", &nd);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        same_however_cut(&path.display().to_string(), &bytes);
    }
}

#[test]
fn layouts_and_their_edges() {
    let cases = common::layout_cases();
    for (name, text) in &cases {
        same_however_cut(name, text.as_bytes());
        assert!(
            !whole(text.as_bytes()).starts_with("error"),
            "{name}: {}",
            whole(text.as_bytes())
        );
    }
}

#[test]
fn errors_are_the_same_message_at_the_same_place() {
    let cases = common::error_cases();
    for (name, bytes) in &cases {
        let w = whole(bytes);
        assert!(
            w.starts_with("error"),
            "{name}: expected an error, got {w:.200}"
        );
        same_however_cut(name, bytes);
    }
}

#[test]
fn cut_at_every_byte() {
    // One cut at every byte around the start of the ticket array of a small sample (the
    // key, the bracket, the first record's keys, values and boundary) and at every 23rd byte
    // elsewhere (dataset keys, escapes, multi-byte characters).
    let text = sample::generate_json(&SampleSpec {
        tickets: 6,
        seed: 3,
        weeks: 1,
    });
    let bytes = text.as_bytes();
    let expected = whole(bytes);
    let tickets = text.find("\"tickets\"").unwrap();
    let around = tickets.saturating_sub(40)..tickets + 900;
    for cut in (1..bytes.len()).filter(|c| around.contains(c) || c % 23 == 0) {
        let got = streamed(bytes, &[cut, bytes.len()]);
        assert!(got == expected, "cut at byte {cut} differs");
    }
}

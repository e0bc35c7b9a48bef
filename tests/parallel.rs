//! Parallel reading ([`ticket_kpis::ingest::PartReader`] and `Feed::take_part`, what the
//! widget's helper workers and its main worker do) gives exactly what one reader gives: the
//! same tickets, warnings (with their record numbers), duplicates replaced across parts, naive
//! times in the dataset's zone, the same error at the same line and column — wherever the file
//! is cut, into however many parts, in chunks of any size. Guessed starts that are not record
//! boundaries (bytes inside a string, records that are not objects) must be refused, never
//! misread.

mod common;

use common::{opts, summary, Rng};
use ticket_kpis::ingest::{part_start, Feed, PartReader, PART_LOOKBACK, PART_WINDOW};
use ticket_kpis::sample::{self, SampleSpec};

/// One reader, the reference.
fn single(bytes: &[u8]) -> String {
    let mut feed = match Feed::new("f.json", bytes.len() as u64, opts()) {
        Ok(f) => f,
        Err(e) => return format!("error: {e}"),
    };
    for c in bytes.chunks(65_536) {
        if let Err(e) = feed.push(c) {
            return format!("error: {e}");
        }
    }
    summary(feed.finish())
}

/// The widget's protocol, run in one thread: a helper per cut point reads its part (when it
/// finds a start), the main reader stops at the first cut, takes the parts that fit and reads
/// on. Returns the summary and how many parts were taken.
fn parallel(bytes: &[u8], cuts: &[usize], chunk: usize) -> (String, usize) {
    let parts: Vec<Option<Vec<u8>>> = cuts
        .iter()
        .enumerate()
        .map(|(i, &g)| {
            let from = g.saturating_sub(PART_LOOKBACK);
            let window = &bytes[from..(g + PART_WINDOW).min(bytes.len())];
            let start = from + part_start(window, g - from)?;
            let limit = cuts.get(i + 1).map(|&l| l as u64);
            let mut part = PartReader::new(start as u64, limit);
            for c in bytes[start..].chunks(chunk) {
                if part.push(c) {
                    break;
                }
            }
            Some(part.finish())
        })
        .collect();
    let mut feed = match Feed::new("f.json", bytes.len() as u64, opts()) {
        Ok(f) => f,
        Err(e) => return (format!("error: {e}"), 0),
    };
    feed.split_at(cuts[0] as u64);
    let mut taken = 0;
    let mut at = 0;
    let mut resumed = false;
    while at < bytes.len() {
        let end = (at + chunk).min(bytes.len());
        if let Err(e) = feed.push(&bytes[at..end]) {
            return (format!("error: {e}"), taken);
        }
        at = end;
        if !resumed && feed.stopped_at().is_some() {
            resumed = true;
            for p in &parts {
                match p {
                    Some(p) if feed.take_part(p) => taken += 1,
                    _ => break,
                }
            }
            if let Some(next) = feed.resume() {
                at = next as usize;
            }
        }
    }
    (summary(feed.finish()), taken)
}

/// Checks a file against the single reader for every cutting in `cuttings`.
fn same_in_parallel(name: &str, bytes: &[u8], cuttings: &[Vec<usize>], chunks: &[usize]) {
    let expected = single(bytes);
    for cuts in cuttings {
        for &chunk in chunks {
            let (got, _) = parallel(bytes, cuts, chunk);
            assert!(
                got == expected,
                "{name}: cut at {cuts:?}, chunks of {chunk}, differs\nsingle:   {}\nparallel: {}",
                &expected[..expected.len().min(700)],
                &got[..got.len().min(700)]
            );
        }
    }
}

fn sample_bytes(tickets: usize, seed: u64) -> Vec<u8> {
    sample::generate_json(&SampleSpec {
        tickets,
        seed,
        weeks: 4,
    })
    .into_bytes()
}

#[test]
fn the_sample_read_in_two_to_four_parts() {
    let bytes = sample_bytes(3_000, 5);
    let n = bytes.len();
    let cuttings = vec![
        vec![n / 2],
        vec![n / 3, 2 * n / 3],
        vec![n / 4, n / 2, 3 * n / 4],
        vec![1, 2],
        vec![n / 2, n / 2 + 1],
    ];
    same_in_parallel("sample", &bytes, &cuttings, &[4096, 65_536 + 7, n]);
    // The parts are really taken (the comparison above would also hold if none were).
    assert_eq!(parallel(&bytes, &[n / 4, n / 2, 3 * n / 4], 65_536).1, 3);
    assert_eq!(parallel(&bytes, &[n / 2], n).1, 1);
}

#[test]
fn random_cuts_of_a_sample() {
    let bytes = sample_bytes(400, 9);
    let mut rng = Rng(0x5EED);
    let cuttings: Vec<Vec<usize>> = (0..60)
        .map(|_| {
            let k = 1 + rng.below(3);
            let mut cuts: Vec<usize> = (0..k).map(|_| 1 + rng.below(bytes.len() - 1)).collect();
            cuts.sort_unstable();
            cuts.dedup();
            cuts
        })
        .collect();
    same_in_parallel("sample", &bytes, &cuttings, &[997, 1 << 20]);
}

/// Duplicate ids within and across parts, records without ids, non-ticket records, warnings
/// with record numbers, naive times resolved by a dataset that comes after the tickets,
/// strings that look like record boundaries.
fn tricky_file() -> String {
    let mut records = Vec::new();
    for i in 0..60 {
        let r = match i % 12 {
            0 => format!(r#"{{"id": "D-{}", "created_at": "2026-03-02 09:{:02}"}}"#, i % 5, i),
            1 => r#"{"created_at": "2026-03-02T10:00:00Z", "channel": "Chat"}"#.to_string(),
            2 => "null".to_string(),
            3 => r#"{"id": "s", "created_at": "2026-03-02T10:00:00Z", "subject": "a},{\"b\": 1}, {"}"#
                .to_string(),
            4 => format!(
                r#"{{"id": {i}, "created_at": "yesterday", "status": "deleted"}}"#
            ),
            5 => format!(
                r#"{{"id": {i}, "created_at": "2026-03-02T11:00:00Z", "channel": 5,
   "tags": ["VIP", "x"], "satisfaction": {{"score": 9, "scale": 5}},
   "messages": [{{"at": "2026-03-02 11:30", "author": "agent", "agent": "a{}"}}],
   "status_history": [{{"at": "2026-03-02 12:00", "status": "solved"}}], "status": "solved"}}"#,
                i % 3
            ),
            6 => "17".to_string(),
            7 => format!(r#"{{"id": "D-{}", "created_at": 1772445600, "priority": "HIGH"}}"#, i % 5),
            _ => format!(
                r#"{{"id": "T{i}", "created_at": "2026-03-0{}T08:00:00+03:00", "assignee": {{"id": "a{}", "name": "Agent {}"}}, "team": "t{}", "requester": "r{}"}}"#,
                1 + i % 5,
                i % 4,
                i % 4,
                i % 2,
                i % 7
            ),
        };
        records.push(r);
    }
    format!(
        "{{\"tickets\": [\n  {}\n],\n \"dataset\": {{\"timezone\": \"Asia/Tehran\", \"name\": \"tricky\"}}}}",
        records.join(",\n  ")
    )
}

/// `bytes` with whitespace after its first `[`, enough for the import to decide the format
/// and start streaming before the original content (a file smaller than the format sniff is
/// read in one go and never stops for parts), and where that content starts.
fn padded(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let open = bytes.iter().position(|&b| b == b'[')? + 1;
    let pad = 70_000;
    let mut out = bytes[..open].to_vec();
    out.resize(open + pad, b' ');
    out.extend_from_slice(&bytes[open..]);
    Some((out, open + pad))
}

#[test]
fn every_cut_point_of_a_tricky_file() {
    let (bytes, content) = padded(tricky_file().as_bytes()).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(!single(&bytes).starts_with("error"), "{}", single(&bytes));
    // One helper at every third byte, then two helpers at many pairs.
    let ones: Vec<Vec<usize>> = (content..bytes.len()).step_by(3).map(|g| vec![g]).collect();
    same_in_parallel("tricky", &bytes, &ones, &[bytes.len()]);
    let pairs: Vec<Vec<usize>> = (content..bytes.len())
        .step_by(397)
        .flat_map(|a| ((a + 1)..bytes.len()).step_by(401).map(move |b| vec![a, b]))
        .collect();
    same_in_parallel("tricky", &bytes, &pairs, &[bytes.len(), 4096]);
    // The string that looks like a boundary is passed over or refused; real boundaries are
    // taken.
    let fake = text.find("a},{").unwrap();
    assert_eq!(parallel(&bytes, &[fake], bytes.len()).1, 1);
    let real = text.find(",\n  {\"id\": \"T8\"").unwrap();
    assert_eq!(parallel(&bytes, &[real], bytes.len()).1, 1);
    let taken = ones
        .iter()
        .filter(|c| parallel(&bytes, c, bytes.len()).1 > 0)
        .count();
    assert!(
        taken > ones.len() / 2,
        "parts taken at {taken} of {} cut points",
        ones.len()
    );
}

#[test]
fn the_layouts_and_the_broken_files() {
    let mut cases: Vec<(&str, Vec<u8>)> = common::layout_cases()
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    cases.extend(common::error_cases());
    let mut taken = 0;
    for (name, bytes) in &cases {
        // Small files never stop for parts…
        same_in_parallel(name, bytes, &[vec![bytes.len() / 2]], &[bytes.len().max(1)]);
        // …padded ones do, and are cut at every byte of their content.
        let Some((bytes, content)) = padded(bytes) else {
            continue;
        };
        let step = 1 + (bytes.len() - content) / 60;
        let cuttings: Vec<Vec<usize>> = (content..bytes.len())
            .step_by(step)
            .map(|g| vec![g])
            .collect();
        same_in_parallel(name, &bytes, &cuttings, &[bytes.len()]);
        taken += cuttings
            .iter()
            .filter(|c| parallel(&bytes, c, bytes.len()).1 > 0)
            .count();
    }
    assert!(taken > 30, "parts were taken at {taken} cut points only");
}

#[test]
fn errors_inside_a_part_keep_their_line_and_column() {
    let mut bytes = sample_bytes(300, 2);
    let n = bytes.len();
    // A syntax error, then bytes that are not UTF-8, then a file cut short: each in the
    // second half, where a helper reads.
    let mut broken = Vec::new();
    let at = 3 * n / 4;
    let colon = at + bytes[at..].iter().position(|&b| b == b':').unwrap();
    let mut syntax = bytes.clone();
    syntax[colon] = b' ';
    broken.push(syntax);
    let mut utf8 = bytes.clone();
    let quote = at + bytes[at..].iter().position(|&b| b == b'"').unwrap();
    utf8[quote + 1] = 0xFF;
    broken.push(utf8);
    bytes.truncate(at);
    broken.push(bytes);
    for b in &broken {
        let expected = single(b);
        assert!(expected.starts_with("error"), "{expected:.200}");
        same_in_parallel(
            "broken",
            b,
            &[vec![n / 2], vec![n / 3, 2 * n / 3]],
            &[4096, n],
        );
    }
}

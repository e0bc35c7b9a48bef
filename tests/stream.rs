//! The streamed import ([`ticket_kpis::ingest::Feed`], what the browser uses for one file, and
//! what `ingest::load` uses for canonical JSON) gives exactly what the whole-document reader
//! gives — one serde pass over the file held whole — the same tickets, warnings and import
//! report, or the same error message at the same line and column, however the file is cut
//! into chunks: one byte at a time, at odd sizes, at every byte of a small file, at random.

use ticket_kpis::ingest::{self, Dataset, Feed, IngestOptions};
use ticket_kpis::sample::{self, SampleSpec};

fn opts() -> IngestOptions {
    IngestOptions {
        now: sample::exported_at(),
        ..Default::default()
    }
}

/// Everything a load produces, as comparable text (the store's dictionaries are compared by
/// their names in order, not by their hash maps).
fn summary(result: Result<Dataset, ticket_kpis::error::Error>) -> String {
    let d = match result {
        Ok(d) => d,
        Err(e) => return format!("error: {e}"),
    };
    let s = &d.store;
    format!(
        "import {}\nmeta {:?}\nids {:?}\ncreated {:?}\nreplies {:?} {:?} {:?} {:?}\nstatus {:?}\n\
         channels {:?} {:?}\nagents {:?} {:?}\nrequesters {:?} {:?}\ntags {:?} {:?} {:?}\n\
         messages {:?} {:?}\nhistory {:?} {:?}\nrating {:?} {:?} {:?}\nqueue {:?} {:?} {:?}\n\
         other {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        serde_json::to_string(&d.import).unwrap(),
        d.meta,
        s.id,
        s.created,
        s.first_reply,
        s.first_solved,
        s.solved,
        s.closed,
        s.status,
        s.channel,
        s.channels.names(),
        s.agent,
        s.agents.names(),
        s.requester,
        s.requesters.names(),
        s.tags.start,
        s.tags.values,
        s.tag_names.names(),
        s.messages.start,
        s.messages.values,
        s.history.start,
        s.history.values,
        s.rating,
        s.rating_at,
        s.comments,
        s.queue_wait,
        s.abandoned,
        s.handle,
        s.priority,
        s.team,
        s.tier,
        s.language,
        s.reopens,
        s.agent_replies,
        s.escalated,
        s.nps,
        s.order_value
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>(),
    )
}

/// The reference: the whole-document reader, which parses the file in one serde pass.
fn whole(bytes: &[u8]) -> String {
    summary(ingest::load_whole_document(bytes, &opts()))
}

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

/// A small seeded PRNG (xorshift64*), so the random cuts are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
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

const T1: &str = r#"{"id": 1, "created_at": "2026-03-02T09:00:00Z", "channel": "email"}"#;
const T2: &str = r#"{"id": "2", "created_at": "2026-03-02 10:00", "first_reply_at": 1772445600,
  "messages": [{"at": "2026-03-02T10:05:00Z", "author": "agent", "agent": "a1"}]}"#;

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
    let cases: Vec<(&str, String)> = vec![
        ("array", format!("[{T1},\n{T2}]")),
        ("compact envelope", format!(r#"{{"tickets":[{T1},{T2}]}}"#)),
        (
            "dataset first",
            format!(
                "{{\"dataset\": {{\"timezone\": \"Europe/Istanbul\", \"name\": \"x\"}},\n \
                 \"tickets\": [{T1}, {T2}]}}"
            ),
        ),
        (
            "dataset last",
            format!(
                "{{\"tickets\": [{T1}, {T2}], \"other\": [1, {{\"a\": \"]\"}}],\n \
                 \"dataset\": {{\"timezone\": \"Asia/Tehran\"}}}}"
            ),
        ),
        (
            "two ticket arrays",
            format!(r#"{{"tickets": [{T1}], "tickets": [{T2}]}}"#),
        ),
        (
            "escaped key",
            format!(r#"{{"tick\u0065ts": [{T1}], "x": "\"]}}"}}"#),
        ),
        ("ndjson", format!("{T1}\n{}\n\n", T2.replace('\n', " "))),
        (
            "ndjson with bad lines and blank lines first",
            format!("\n\n{T1}\n{{\"id\": 3,\n[1, 2]\n{}", T2.replace('\n', " ")),
        ),
        ("single ticket", T2.to_string()),
        ("bom array", format!("\u{feff}[{T1}]")),
        ("bom ndjson", format!("\u{feff}{T1}\n{T1}")),
        (
            "scalars in the array",
            format!("[1, \"x\", null, true, {T1}, -2.5e3]"),
        ),
        (
            "strings with brackets",
            format!(r#"[{{"id": "a]}}\"{{[", "created_at": "2026-03-02T09:00:00Z"}}, {T1}]"#),
        ),
        ("leading whitespace", format!("\n\n   \t[{T1}]\n\n")),
        (
            "deep record",
            format!("[{}1{}, {T1}]", "[".repeat(5000), "]".repeat(5000)),
        ),
        (
            "repeated keys",
            r#"[{"id": 1, "id": 2, "created_at": "2026-03-02T09:00:00Z"}]"#.into(),
        ),
    ];
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
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("blank", b"  \n\t ".to_vec()),
        ("truncated", format!("[{T1},\n {{\"id\": 2,").into_bytes()),
        ("truncated after comma", format!("[{T1},").into_bytes()),
        ("truncated after bracket", b"[".to_vec()),
        (
            "truncated after bracket and line breaks",
            b"[\n\n\n".to_vec(),
        ),
        (
            "truncated after a record and line breaks",
            format!("[{T1},\n\n").into_bytes(),
        ),
        (
            "missing comma in record",
            b"[{\"id\": 1 \"created_at\": 5}]".to_vec(),
        ),
        (
            "missing comma between records",
            format!("[{T1}\n {T1}]").into_bytes(),
        ),
        ("trailing comma", format!("[{T1},]").into_bytes()),
        ("double comma", format!("[{T1},, {T1}]").into_bytes()),
        ("leading comma", format!("[, {T1}]").into_bytes()),
        ("trailing characters", format!("[{T1}] x").into_bytes()),
        (
            "trailing after envelope",
            format!("{{\"tickets\": [{T1}]}}\n]").into_bytes(),
        ),
        ("wrong closer", format!("[{T1}}}").into_bytes()),
        (
            "bad after tickets",
            format!("{{\"tickets\": [{T1}] \"x\": 1}}").into_bytes(),
        ),
        (
            "bad key after tickets",
            format!("{{\"tickets\": [{T1}], 5: 1}}").into_bytes(),
        ),
        (
            "bad value after tickets",
            format!("{{\"tickets\": [{T1}], \"x\": [1,}}").into_bytes(),
        ),
        (
            "bad dataset after tickets",
            format!("{{\"tickets\": [{T1}], \"dataset\": {{\"name\": }}}}").into_bytes(),
        ),
        ("tickets not an array", b"{\"tickets\": 5}".to_vec()),
        ("tickets a string", b"{\"tickets\": \"many\"}".to_vec()),
        (
            "second tickets not an array",
            format!("{{\"tickets\": [{T1}], \"tickets\": {{}}}}").into_bytes(),
        ),
        ("no tickets key", b"{\"data\": [], \"meta\": {}}".to_vec()),
        // Form feeds: whitespace to Rust's is_ascii_whitespace, not to JSON (found by fuzzing).
        ("form feed before the array", b"\x0c\x0c[\"x\"]".to_vec()),
        (
            "form feed between records",
            format!("[{T1},\x0c{T1}]").into_bytes(),
        ),
        (
            "form feed after the array",
            format!("[{T1}]\x0c").into_bytes(),
        ),
        (
            "form feed in the envelope",
            format!("{{\x0c\"tickets\": [{T1}]}}").into_bytes(),
        ),
        // Garbage after an element that could continue a number (found by fuzzing).
        ("letters after an element", b"[\"dZtst\"eai]{;!?!".to_vec()),
        (
            "exponent-like after a record",
            format!("[{T1}e5]").into_bytes(),
        ),
        (
            "digits after a record",
            format!("{{\"tickets\": [{T1} 5]}}").into_bytes(),
        ),
        // Cut inside the envelope, before and after its ticket array (found by fuzzing).
        ("ends after a key", b"{\"id[{\"".to_vec()),
        ("ends after tickets key", b"{\"tickets\"".to_vec()),
        ("ends after colon", b"{\"tickets\": ".to_vec()),
        ("ends in dataset", b"{\"dataset\": {\"name\": \"x".to_vec()),
        (
            "ends after tickets",
            format!("{{\"tickets\": [{T1}]").into_bytes(),
        ),
        (
            "ends after a later key",
            format!("{{\"tickets\": [{T1}], \"x\"").into_bytes(),
        ),
        (
            "ends in a later value",
            format!("{{\"tickets\": [{T1}], \"x\": [1, ").into_bytes(),
        ),
        ("empty object", b"{}".to_vec()),
        (
            "bad before tickets",
            format!("{{\"dataset\": {{\"name\" 1}}, \"tickets\": [{T1}]}}").into_bytes(),
        ),
        ("not json", b"hello world".to_vec()),
        ("a string", b"\"tickets\"".to_vec()),
        ("html", b"<!doctype html><html></html>".to_vec()),
        (
            "utf-16",
            "[{\"id\":1}]"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect(),
        ),
        ("zip", b"PK\x03\x04 rest".to_vec()),
        (
            "invalid utf-8",
            b"[{\"id\": 1,\n \"channel\": \"e\xffmail\"}]".to_vec(),
        ),
        ("invalid utf-8 later", {
            let mut b = format!("[{T1},\n{T1},\n  {{\"id\": \"ab").into_bytes();
            b.extend_from_slice(b"\xff\"}]");
            b
        }),
        (
            "no usable tickets",
            b"[{\"id\": 1}, {\"id\": 2, \"created_at\": \"soon\"}]".to_vec(),
        ),
        ("empty array", b"[]".to_vec()),
        (
            "nested too deeply in dataset",
            format!(
                "{{\"dataset\": {{\"targets\": {}1{}}}, \"tickets\": [{T1}]}}",
                "[".repeat(200),
                "]".repeat(200)
            )
            .into_bytes(),
        ),
        (
            "nested too deeply in dataset after tickets",
            format!(
                "{{\"tickets\": [{T1}],\n \"dataset\": {{\"targets\": {}1{}}}}}",
                "[".repeat(200),
                "]".repeat(200)
            )
            .into_bytes(),
        ),
        (
            "error on a later line",
            format!("[\n  {T1},\n  {T2},\n  {{\"id\": 5, \"x\": tru}}\n]").into_bytes(),
        ),
        (
            "bom and error",
            b"\xEF\xBB\xBF[{\"id\": 1 \"x\": 2}]".to_vec(),
        ),
    ];
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

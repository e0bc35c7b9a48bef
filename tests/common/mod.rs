//! Shared by the ingest tests that compare two ways of reading a file: the comparable summary of
//! a load, the small PRNG, and the layouts and broken files both are tried on.
#![allow(dead_code)]

use ticket_kpis::ingest::{self, Dataset, IngestOptions};
use ticket_kpis::sample;

pub fn opts() -> IngestOptions {
    IngestOptions {
        now: sample::exported_at(),
        ..Default::default()
    }
}

/// Everything a load produces, as comparable text (the store's dictionaries are compared by
/// their names in order, not by their hash maps).
pub fn summary(result: Result<Dataset, ticket_kpis::error::Error>) -> String {
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
pub fn whole(bytes: &[u8]) -> String {
    summary(ingest::load_whole_document(bytes, &opts()))
}

/// A small seeded PRNG (xorshift64*), so the random cuts are the same on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

pub const T1: &str = r#"{"id": 1, "created_at": "2026-03-02T09:00:00Z", "channel": "email"}"#;
pub const T2: &str = r#"{"id": "2", "created_at": "2026-03-02 10:00", "first_reply_at": 1772445600,
  "messages": [{"at": "2026-03-02T10:05:00Z", "author": "agent", "agent": "a1"}]}"#;

/// Canonical files in every layout the reader knows, each readable.
pub fn layout_cases() -> Vec<(&'static str, String)> {
    vec![
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
    ]
}

/// Files that cannot be read, each with its error.
pub fn error_cases() -> Vec<(&'static str, Vec<u8>)> {
    vec![
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
    ]
}

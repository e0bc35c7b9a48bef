//! The exact messages a user sees for files that cannot be read, and the counted warnings for
//! records that are partly wrong. Messages are part of the product: a change here is a change
//! users see, so each is pinned.

use ticket_kpis::ingest::{self, Dataset, IngestOptions};

const NOW: i64 = 1_780_000_000; // 2026-05-28

fn opts() -> IngestOptions {
    IngestOptions {
        now: NOW,
        ..Default::default()
    }
}

fn err(bytes: &[u8]) -> String {
    ingest::load(bytes, &opts()).unwrap_err().to_string()
}

fn ok(bytes: &[u8]) -> Dataset {
    ingest::load(bytes, &opts()).unwrap()
}

/// (message, count, first example) of each warning.
fn warnings(d: &Dataset) -> Vec<(String, usize, String)> {
    d.import
        .warnings
        .iter()
        .map(|w| (w.message.clone(), w.count, w.examples[0].clone()))
        .collect()
}

#[test]
fn unreadable_files() {
    assert_eq!(err(b""), "the file is empty: expected ticket JSON");
    assert_eq!(err(b"  \n\t "), "the file is empty: expected ticket JSON");
    assert_eq!(
        err(b"[{\"id\": 1, \"created_at\": \"2026-03-02T09:00:00Z\"},\n {\"id\": 2,"),
        "not valid JSON at line 2, column 10: the file ends in the middle of a value (is it truncated?)"
    );
    assert_eq!(
        err(b"[{\"id\": 1 \"created_at\": 5}]"),
        "not valid JSON at line 1, column 11: expected `,` or `}`"
    );
    assert_eq!(
        err(b"hello world"),
        "not valid JSON at line 1, column 1: expected value"
    );
    // CSV is an import format of its own (the adapters read it); one without any column that
    // can date the tickets says so, naming the columns it found.
    assert_eq!(
        ok(b"id,created_at,channel\n1,2026-03-02,email\n")
            .import
            .format_key,
        "csv"
    );
    assert_eq!(
        err(b"name,colour\nann,red\n"),
        "this CSV has no column with the tickets' creation time (columns: \"name\", \"colour\"): \
         expected a column such as \"Created at\"; map one in the column mapping"
    );
    assert_eq!(
        err(b"\"tickets\""),
        "expected an array of tickets, an object with a \"tickets\" array, or one ticket object \
         per line; found a single string"
    );
    assert_eq!(
        err(b"{\"data\": [], \"meta\": {}}"),
        "expected an object with a \"tickets\" array; found an object with keys \"data\", \"meta\""
    );
    // A lone ticket object (one API answer, or NDJSON of one line) is a list of one.
    let one = ok(b"{\"id\": 1,\n \"created_at\": \"2026-03-02T09:00:00Z\"}");
    assert_eq!(one.store.len(), 1);
    assert_eq!(
        one.import.format,
        "canonical ticket (a single ticket object)"
    );
    assert_eq!(err(b"[]"), "no tickets found: the ticket list is empty");
    assert_eq!(
        err(b"[{\"id\": 1}, {\"id\": 2, \"created_at\": \"soon\"}]"),
        "no usable tickets: 2 records read, all skipped (\"created_at\" is missing or unusable: \
         record skipped; e.g. record 1 (id \"1\"): no created_at)"
    );
}

#[test]
fn encodings() {
    let utf16: Vec<u8> = "[{\"id\":1}]"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let msg = "the file is UTF-16 encoded: expected UTF-8 text (save or export it as UTF-8)";
    assert_eq!(err(&utf16), msg);
    let mut bom16 = vec![0xFF, 0xFE];
    bom16.extend_from_slice(&utf16);
    assert_eq!(err(&bom16), msg);
    // A UTF-8 byte-order mark is fine.
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(b"[{\"id\": 1, \"created_at\": \"2026-03-02T09:00:00Z\"}]");
    assert_eq!(ok(&bom8).store.len(), 1);
    assert_eq!(
        err(b"[{\"id\": 1,\n \"channel\": \"e\xffmail\"}]"),
        "the file is not valid UTF-8 text: invalid byte at line 2, column 15 (save or export it \
         as UTF-8)"
    );
}

#[test]
fn deep_nesting_is_refused_not_crashed() {
    // Values the engine does not read are skipped iteratively, so depth cannot overflow the
    // stack; records that are arrays are refused as records, not read by position.
    let deep = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        err(deep.as_bytes()),
        "no usable tickets: 1 records read, all skipped (a record is not a ticket object: record \
         skipped; e.g. record 1: found an array)"
    );
    let deep_field = format!(
        "[{{\"id\": 1, \"created_at\": \"2026-03-02T09:00:00Z\", \"subject\": {}1{}}}]",
        "{\"a\":".repeat(50_000),
        "}".repeat(50_000)
    );
    assert_eq!(ok(deep_field.as_bytes()).store.len(), 1);
}

#[test]
fn bad_fields_are_dropped_with_counted_warnings() {
    let d = ok(br#"[
      {"id": "a", "created_at": "2026-03-02T09:00:00Z", "channel": {"x": 1},
       "first_reply_at": "2026-03-01T09:00:00Z", "satisfaction": {"score": 9}},
      {"id": "b", "created_at": "2026-03-02T09:00:00Z", "solved_at": "yesterday", "status": "solved"},
      {"id": "c", "created_at": "2099-01-01T00:00:00Z", "escalated": "maybe", "nps": 11},
      {"id": "d", "created_at": 0},
      {"created_at": 1772442000},
      "not a ticket",
      {"id": "a", "created_at": "2026-03-03T09:00:00Z", "status": "archived"}
    ]"#);
    assert_eq!(d.import.records, 7);
    assert_eq!(d.import.skipped, 2);
    assert_eq!(d.store.len(), 4, "a replaced, b, c, #5 kept");
    assert_eq!(d.store.id, ["b", "c", "#5", "a"]);
    let w = warnings(&d);
    let expect = [
        ("\"channel\" should be text: field ignored", 1, "record 1 (id \"a\"): found an object"),
        ("\"created_at\" is before 1971 or after 2200: field ignored", 1, "record 4 (id \"d\"): found 0"),
        ("\"created_at\" is in the future: ticket kept", 1, "ticket \"c\""),
        ("\"created_at\" is missing or unusable: record skipped", 1, "record 4 (id \"d\"): found 0"),
        ("\"escalated\" should be true or false: field ignored", 1, "record 3 (id \"c\"): found \"maybe\""),
        ("\"first_reply_at\" is before \"created_at\": field ignored", 1, "ticket \"a\""),
        ("\"id\" is missing: the ticket was kept and numbered by its position", 1, "record 5: no id"),
        ("\"nps\" should be a number from 0 to 10: field ignored", 1, "record 3 (id \"c\"): found 11"),
        ("\"solved_at\" is not a timestamp: field ignored", 1, "record 2 (id \"b\"): found \"yesterday\""),
        ("a record is not a ticket object: record skipped", 1, "record 6: found \"not a ticket\""),
        ("duplicate \"id\": the later record replaced the earlier one", 1, "record 7 (id \"a\"): same id as an earlier record"),
        ("satisfaction score outside its scale: rating ignored", 1, "record 1 (id \"a\"): score 9 on a scale of 1–5"),
        ("solved or closed without \"solved_at\" or \"closed_at\": resolution time unknown", 1, "ticket \"b\""),
        ("unknown \"status\": read as open (expected new, open, pending, on_hold, solved or closed)", 1, "record 7 (id \"a\"): found \"archived\""),
    ];
    let got: Vec<(&str, usize, &str)> = w
        .iter()
        .map(|(m, c, e)| (m.as_str(), *c, e.as_str()))
        .collect();
    assert_eq!(got, expect);
}

#[test]
fn ndjson_keeps_good_lines_and_counts_bad_ones() {
    let d = ok(b"{\"id\": 1, \"created_at\": \"2026-03-02T09:00:00Z\"}\n\
                 {\"id\": 2, \"created_at\": \n\
                 \n\
                 {\"id\": 3, \"created_at\": 1772442000000}\n");
    assert_eq!(
        d.import.format,
        "canonical tickets (NDJSON, one ticket per line)"
    );
    assert_eq!(
        (d.import.records, d.import.tickets, d.import.skipped),
        (3, 2, 1)
    );
    assert_eq!(
        warnings(&d),
        [(
            "a line is not valid JSON: line skipped".to_string(),
            1,
            "line 2: not valid JSON at line 2, column 24: the line ends in the middle of a value"
                .to_string()
        )]
    );
    // Milliseconds are recognised by magnitude.
    assert_eq!(d.store.created[1], 1_772_442_000);
}

#[test]
fn naive_times_use_the_dataset_timezone_even_when_it_comes_last() {
    let d = ok(
        br#"{"tickets": [{"id": 1, "created_at": "2026-04-01 09:00"}],
                    "dataset": {"timezone": "Europe/Istanbul"}}"#,
    );
    // 09:00 in Istanbul (+03:00, no DST) is 06:00 UTC.
    assert_eq!(d.store.created[0], 1_775_023_200);
    assert!(d.import.warnings.is_empty());
    let d = ok(br#"[{"id": 1, "created_at": "2026-04-01 09:00"}]"#);
    assert_eq!(d.store.created[0], 1_775_034_000);
    assert_eq!(
        warnings(&d),
        [(
            "timestamps without a timezone were read as UTC time (set \"dataset.timezone\" to say which zone they are in)".to_string(),
            1,
            "1 timestamps".to_string()
        )]
    );
}

#[test]
fn messages_and_history_derive_what_is_missing() {
    let d = ok(
        br#"[{"id": 1, "created_at": "2026-03-02T09:00:00Z", "status": "solved",
        "messages": [
          {"at": "2026-03-02T09:00:00Z", "author": "customer"},
          {"at": "2026-03-02T09:01:00Z", "author": "bot"},
          {"at": "2026-03-02T09:20:00Z", "author": "agent", "public": false},
          {"at": "2026-03-02T10:00:00Z", "author": "agent"},
          {"at": "2026-03-02T11:00:00Z", "author": "agent"},
          {"at": "2026-03-02T12:00:00Z", "author": "wizard"}
        ],
        "status_history": [
          {"at": "2026-03-02T11:00:00Z", "status": "solved"},
          {"at": "2026-03-03T08:00:00Z", "status": "open"},
          {"at": "2026-03-03T09:00:00Z", "status": "solved"}
        ]}]"#,
    );
    let s = &d.store;
    assert_eq!(
        s.first_reply[0] - s.created[0],
        3600,
        "bot and internal note are not replies"
    );
    assert_eq!(s.agent_replies[0], 2);
    assert_eq!(s.reopens[0], 1);
    assert_eq!(s.first_solved[0] - s.created[0], 2 * 3600);
    assert_eq!(s.solved[0] - s.created[0], 24 * 3600);
    assert_eq!(warnings(&d).len(), 1);
}

#[test]
fn status_comes_from_the_history_when_not_stated() {
    let d = ok(br#"[{"id": 1, "created_at": "2026-03-02T09:00:00Z",
        "status_history": [
          {"at": "2026-03-02T10:00:00Z", "status": "pending"},
          {"at": "2026-03-02T12:00:00Z", "status": "solved"}
        ]}]"#);
    assert_eq!(d.store.status[0], ticket_kpis::store::Status::Solved);
    assert_eq!(d.store.resolved_at(0) - d.store.created[0], 3 * 3600);
}

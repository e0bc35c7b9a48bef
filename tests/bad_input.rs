//! The bad-input matrix: every kind of broken, odd or hostile file a user can hand the widget,
//! with the exact message they see and proof that every good record survives.
//!
//! A file that cannot be read at all is an error with one message; a file with some bad
//! records loads, and each kind of problem becomes one counted warning (message, count, first
//! example). Messages are product text, so each is pinned exactly. Cases pinned in
//! `tests/ingest_errors.rs` are not repeated here but listed, so the whole matrix is in one
//! place. "kept" = the good records of the file are all in the store.
//!
//! | Input | What the user sees | Test |
//! |---|---|---|
//! | empty file, only whitespace | "the file is empty: expected ticket JSON" | `ingest_errors::unreadable_files` |
//! | not JSON (`hello world`) | "not valid JSON at line 1, column 1: expected value" | `ingest_errors::unreadable_files` |
//! | a web page (sign-in page from a URL) | "this is HTML or XML (first line …), not JSON: if it came from a URL, …" | [`not_json_at_all`] |
//! | ZIP / .xlsx, gzip, .xls, PDF, other binary | "this is a ZIP archive (or an Excel .xlsx workbook), …" and one message each | [`not_json_at_all`] |
//! | truncated JSON (array) | "not valid JSON at line 2, column 10: the file ends in the middle of a value (is it truncated?)" | `ingest_errors::unreadable_files`, [`truncated`] |
//! | truncated NDJSON (last line cut) | warning "a line is not valid JSON: line skipped", other lines kept | [`truncated`] |
//! | JSON of the wrong shape: a string, number, boolean, null | "expected an array of tickets, …; found a single number" | `ingest_errors::unreadable_files`, [`wrong_shape`] |
//! | an object without `tickets` (a single ticket object is read as one ticket) | "expected an object with a \"tickets\" array; found an object with keys …" | `ingest_errors::unreadable_files` |
//! | `"tickets"` not an array | "not ticket data at line 1, column 13: expected an array of ticket objects for \"tickets\", found 5" | [`wrong_shape`] |
//! | records that are not objects (numbers, null, arrays) among tickets | warning per kind, record skipped, tickets kept; all bad: "no usable tickets: …" | [`wrong_shape`], `ingest_errors::bad_fields_are_dropped_with_counted_warnings` |
//! | CSV given as JSON (format set to canonical) | "this looks like CSV (first line …), not JSON: expected ticket JSON (choose CSV as the format, or automatic detection)" | [`csv_as_json_and_real_csv`] |
//! | real CSV (automatic detection) with a bad row | CSV adapter; warning per bad row, good rows kept | [`csv_as_json_and_real_csv`] |
//! | CSV without a creation-time column | "this CSV has no column with the tickets' creation time (columns: …)" | `ingest_errors::unreadable_files` |
//! | UTF-16 LE with and without BOM | "the file is UTF-16 encoded: expected UTF-8 text (save or export it as UTF-8)" | `ingest_errors::encodings` |
//! | UTF-16 BE with and without BOM, UTF-16 CSV | the same message | [`encodings`] |
//! | UTF-8 with BOM (JSON, NDJSON, CSV) | read normally | `ingest_errors::encodings`, [`encodings`] |
//! | invalid UTF-8 inside a string (JSON document) | "the file is not valid UTF-8 text: invalid byte at line 2, column 15 (save or export it as UTF-8)" | `ingest_errors::encodings` |
//! | invalid UTF-8 on one NDJSON line; in CSV | line skipped with the position, others kept; CSV: "… invalid byte on line 2 …" | [`encodings`] |
//! | duplicate ticket ids (number 1 and string "1" are one id) | warning "duplicate \"id\": the later record replaced the earlier one", count = replaced records | `ingest_errors::bad_fields_are_dropped_with_counted_warnings`, [`duplicate_ids`] |
//! | the same key twice in one record or in `dataset` | warning "a key appears twice in a record: the first value was used" | [`repeated_keys`] |
//! | missing ids (absent, null, "", an object) | warning "\"id\" is missing: the ticket was kept and numbered by its position" | `ingest_errors::bad_fields_are_dropped_with_counted_warnings`, [`missing_ids`] |
//! | a real id equal to a position number ("#1") | both tickets kept | [`missing_ids`] |
//! | timestamps in the future | warning "\"created_at\" is in the future: ticket kept" | `ingest_errors::bad_fields_are_dropped_with_counted_warnings`, [`timestamps`] |
//! | timestamps before 1970 / 1971 (offset, naive, negative number, year 1) and after 2200 | warning "… is before 1971 or after 2200: field ignored" (+ record skipped for `created_at`) | [`timestamps`] |
//! | unparseable timestamps | warning "\"…\" is not a timestamp: field ignored" (+ skipped for `created_at`) | `ingest_errors::bad_fields_are_dropped_with_counted_warnings`, [`timestamps`] |
//! | timestamps without a zone | read in the dataset's zone; without one, in the fallback zone with a warning | `ingest_errors::naive_times_use_the_dataset_timezone_even_when_it_comes_last`, [`timestamps`] |
//! | replies before creation | `first_reply_at`: warning, field ignored; an agent message: kept, not a reply | `ingest_errors::bad_fields_are_dropped_with_counted_warnings`, [`replies_and_solves_before_creation`] |
//! | solved before created | warning "\"solved_at\" is before \"created_at\": field ignored" | [`replies_and_solves_before_creation`] |
//! | negative or absurd durations (`queue.wait_seconds` -5 or 1e12, `reopens` -1) | warning "\"queue.wait_seconds\" should be a number from 0 to 1000000000: field ignored" | [`durations`] |
//! | scores out of scale (CSAT, scale, NPS, effort) | warning per field, the answer ignored | `ingest_errors::bad_fields_are_dropped_with_counted_warnings`, [`scores`] |
//! | 10,000-character agent names and ids | kept whole in the store (the page shortens them on screen); examples in messages are cut at 40 | [`long_names`] |
//! | 100,000 levels of nesting: skipped field, messages, a record | read without recursion; the record is skipped, the ticket kept | `ingest_errors::deep_nesting_is_refused_not_crashed`, [`deep_nesting`] |
//! | nesting past 128 levels where a tree is built (dataset targets, vendor files) | "the JSON is nested too deeply at line 1, column 150: …" | [`deep_nesting`] |
//! | a single 200 MB string field | loads in place: no copy of the input or the string | [`huge_string_field`] |
//! | a 1 MB string of digits as a timestamp | a 40-character example, not a 1 MB message | [`huge_string_field`] |
//! | a file larger than the engine accepts | "the file is 2.1 GB: the widget can read files up to 1.5 GB", before reading | [`too_large`], `ingest::tests::size_is_checked_before_parsing` |

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use ticket_kpis::error::Error;
use ticket_kpis::ingest::{self, Dataset, IngestOptions};

const NOW: i64 = 1_780_000_000; // 2026-05-28

/// One good ticket, to show that it survives whatever surrounds it.
const GOOD: &str = r#"{"id": "good", "created_at": "2026-03-02T09:00:00Z"}"#;

fn opts(format: Option<&str>) -> IngestOptions {
    IngestOptions {
        now: NOW,
        format: format.map(str::to_string),
        ..Default::default()
    }
}

fn err(bytes: &[u8]) -> String {
    ingest::load(bytes, &opts(None)).unwrap_err().to_string()
}

fn ok(bytes: &[u8]) -> Dataset {
    ingest::load(bytes, &opts(None)).unwrap()
}

/// (message, count, first example) of each warning, most frequent first.
fn warnings(d: &Dataset) -> Vec<(&str, usize, &str)> {
    d.import
        .warnings
        .iter()
        .map(|w| (w.message.as_str(), w.count, w.examples[0].as_str()))
        .collect()
}

fn ids(d: &Dataset) -> Vec<&str> {
    d.store.id.iter().map(String::as_str).collect()
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = if bom { "\u{feff}" } else { "" }.encode_utf16();
    for u in units.chain(text.encode_utf16()) {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn not_json_at_all() {
    assert_eq!(
        err(b"<!DOCTYPE html>\n<html><body>Sign in</body></html>"),
        "this is HTML or XML (first line \"<!DOCTYPE html>\"), not JSON: if it came from a URL, \
         the server sent a web page (a sign-in or error page?) instead of the export"
    );
    assert_eq!(
        err(b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml"),
        "this is a ZIP archive (or an Excel .xlsx workbook), not ticket JSON or CSV: unzip it and \
         load the files inside, or save the sheet as CSV"
    );
    assert_eq!(
        err(b"\x1f\x8b\x08\x00\x00\x00\x00\x00"),
        "this file is compressed with gzip: decompress it first, then load the file inside"
    );
    assert_eq!(
        err(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        "this is an Excel .xls workbook (or another Office file), not ticket JSON or CSV: save the \
         sheet as CSV"
    );
    assert_eq!(
        err(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"),
        "this is a PDF document, not ticket JSON or CSV: export the tickets as JSON or CSV"
    );
    assert_eq!(
        err(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "this is not a text file (it holds binary data): expected ticket JSON or CSV exported as \
         UTF-8 text"
    );
    // The same messages whatever format the user picked.
    let zip = ingest::load(b"PK\x03\x04rest", &opts(Some("zendesk"))).unwrap_err();
    assert!(
        zip.to_string().starts_with("this is a ZIP archive"),
        "{zip}"
    );
}

#[test]
fn truncated() {
    assert_eq!(
        err(format!("[{GOOD}, {{\"id\": \"T-").as_bytes()),
        "not valid JSON at line 1, column 65: the file ends in the middle of a string (is it \
         truncated?)"
    );
    // NDJSON is read line by line: a cut last line costs that line only.
    let d = ok(format!(
        "{GOOD}\n{}\n{{\"id\": 3, \"crea",
        GOOD.replace("good", "g2")
    )
    .as_bytes());
    assert_eq!(ids(&d), ["good", "g2"]);
    assert_eq!(
        warnings(&d),
        [(
            "a line is not valid JSON: line skipped",
            1,
            "line 3: not valid JSON at line 3, column 15: the line ends in the middle of a string"
        )]
    );
}

#[test]
fn wrong_shape() {
    let scalar = |kind: &str| {
        format!(
            "expected an array of tickets, an object with a \"tickets\" array, or one ticket \
             object per line; found {kind}"
        )
    };
    assert_eq!(err(b"42"), scalar("a single number"));
    assert_eq!(err(b"-1.5e3"), scalar("a single number"));
    assert_eq!(err(b"true"), scalar("a single boolean"));
    assert_eq!(err(b" null "), scalar("null"));
    assert_eq!(
        err(br#"{"tickets": 5}"#),
        "not ticket data at line 1, column 13: expected an array of ticket objects for \
         \"tickets\", found 5"
    );
    assert_eq!(
        err(br#"{"dataset": {}, "tickets": {"id": 1}}"#),
        "not ticket data at line 1, column 28: expected an array of ticket objects for \
         \"tickets\", found an object"
    );
    assert_eq!(
        err(br#"{"tickets": null}"#),
        "not ticket data at line 1, column 16: expected an array of ticket objects for \
         \"tickets\", found null"
    );
    // A long string is quoted short, not copied whole into the message.
    let long = format!("{{\"tickets\": \"{}\"}}", "x".repeat(100_000));
    assert_eq!(
        err(long.as_bytes()),
        format!(
            "not ticket data at line 1, column 100014: expected an array of ticket objects for \
             \"tickets\", found \"{}…\"",
            "x".repeat(40)
        )
    );
    assert_eq!(
        err(b"[1, 2, 3]"),
        "no usable tickets: 3 records read, all skipped (a record is not a ticket object: record \
         skipped; e.g. record 1: found 1)"
    );
    // Among good tickets, each kind of non-ticket is counted and skipped.
    let d = ok(format!("[{GOOD}, 7, null, [\"T1\", \"2026-03-02\"], true, {{}}]").as_bytes());
    assert_eq!(ids(&d), ["good"]);
    assert_eq!((d.import.records, d.import.skipped), (6, 5));
    assert_eq!(
        warnings(&d),
        [
            (
                "a record is not a ticket object: record skipped",
                3,
                "record 2: found 7"
            ),
            (
                "\"created_at\" is missing or unusable: record skipped",
                1,
                "record 6 (id \"#6\"): no created_at"
            ),
            (
                "\"id\" is missing: the ticket was kept and numbered by its position",
                1,
                "record 6: no id"
            ),
            (
                "a record is null: record skipped",
                1,
                "record 3: found null"
            ),
        ]
    );
}

#[test]
fn csv_as_json_and_real_csv() {
    let csv = b"id,created_at,channel\n1,2026-03-02T09:00:00Z,email\n";
    assert_eq!(
        ingest::load(csv, &opts(Some("canonical")))
            .unwrap_err()
            .to_string(),
        "this looks like CSV (first line \"id,created_at,channel\"), not JSON: expected ticket \
         JSON (choose CSV as the format, or automatic detection)"
    );
    // Detected as CSV, every good row kept, the bad one counted with its reason.
    let d = ok(b"id,created_at,channel\n\
                 1,2026-03-02T09:00:00Z,email\n\
                 2,yesterday,chat\n\
                 3,2026-03-03T09:00:00Z,phone\n");
    assert_eq!(d.import.format_key, "csv");
    assert_eq!(ids(&d), ["1", "3"]);
    assert_eq!((d.import.records, d.import.skipped), (3, 1));
    assert_eq!(
        warnings(&d),
        [
            (
                "\"created_at\" is missing or unusable: record skipped",
                1,
                "record 2 (id \"2\"): found \"yesterday\""
            ),
            (
                "\"created_at\" is not a timestamp: field ignored",
                1,
                "record 2 (id \"2\"): found \"yesterday\""
            ),
        ]
    );
}

#[test]
fn encodings() {
    let utf16_msg = "the file is UTF-16 encoded: expected UTF-8 text (save or export it as UTF-8)";
    let json = format!("[{GOOD}]");
    for bom in [false, true] {
        assert_eq!(err(&utf16(&json, true, bom)), utf16_msg, "BE, BOM {bom}");
        assert_eq!(err(&utf16(&json, false, bom)), utf16_msg, "LE, BOM {bom}");
    }
    let csv = "id,created_at\n1,2026-03-02T09:00:00Z\n";
    assert_eq!(err(&utf16(csv, false, true)), utf16_msg);
    assert_eq!(err(&utf16(csv, true, false)), utf16_msg);

    // A UTF-8 byte-order mark is read past, in every layout.
    let bom = |s: &str| [&b"\xef\xbb\xbf"[..], s.as_bytes()].concat();
    assert_eq!(ids(&ok(&bom(&format!("{GOOD}\n{GOOD}\n")))), ["good"]);
    assert_eq!(ids(&ok(&bom(csv))), ["1"]);

    // Invalid UTF-8 on one NDJSON line costs that line, with its position.
    let mut lines = format!("{GOOD}\n").into_bytes();
    lines.extend_from_slice(
        b"{\"id\": 2, \"channel\": \"e\xffmail\", \"created_at\": 1772442000}\n",
    );
    lines.extend_from_slice(GOOD.replace("good", "g3").as_bytes());
    let d = ok(&lines);
    assert_eq!(ids(&d), ["good", "g3"]);
    assert_eq!(
        warnings(&d),
        [(
            "a line is not valid JSON: line skipped",
            1,
            "line 2: the line is not valid UTF-8 text: invalid byte at line 2, column 24 (save or \
             export it as UTF-8)"
        )]
    );
    assert_eq!(
        err(b"id,created_at,channel\n1,2026-03-02T09:00:00Z,e\xffmail\n"),
        "the file is not valid UTF-8 text: invalid byte on line 2 (save or export it as UTF-8)"
    );
}

#[test]
fn duplicate_ids() {
    let d = ok(br#"[
        {"id": 1, "created_at": "2026-03-02T09:00:00Z", "channel": "email"},
        {"id": "x", "created_at": "2026-03-02T09:00:00Z"},
        {"id": "1", "created_at": "2026-03-03T09:00:00Z", "channel": "chat"},
        {"id": 1, "created_at": "2026-03-04T09:00:00Z", "channel": "phone"}
    ]"#);
    // The last version wins and takes the last place; the number 1 and the text "1" are one id.
    assert_eq!(ids(&d), ["x", "1"]);
    assert_eq!(d.store.created[1], 1_772_614_800);
    assert_eq!(
        warnings(&d),
        [(
            "duplicate \"id\": the later record replaced the earlier one",
            2,
            "record 3 (id \"1\"): same id as an earlier record"
        )]
    );
}

#[test]
fn repeated_keys() {
    let d = ok(br#"{"dataset": {"timezone": "Asia/Tehran", "timezone": "Mars/Base"},
        "tickets": [
        {"id": "a", "created_at": "2026-03-02T09:00:00Z", "id": "b", "created_at": 0},
        {"id": "c", "created_at": "2026-03-02T09:00:00Z", "queue": {"wait_seconds": 5, "wait_seconds": -1}},
        {"id": "d", "created_at": "2026-03-02T09:00:00Z", "assignee": {"id": "a1", "id": "a2"}}
    ]}"#);
    assert_eq!(ids(&d), ["a", "c", "d"]);
    assert_eq!(d.meta.timezone.as_deref(), Some("Asia/Tehran"));
    assert_eq!(d.store.queue_wait[1], 5);
    assert_eq!(d.store.agents.names(), ["a1"]);
    assert_eq!(
        warnings(&d),
        [
            (
                "a key appears twice in a record: the first value was used",
                3,
                "record 1 (id \"a\"): key \"id\", \"created_at\" repeated"
            ),
            (
                "a key appears twice in \"dataset\": the first value was used",
                1,
                "key \"timezone\""
            ),
        ]
    );
    // NDJSON the same.
    let d =
        ok(format!("{GOOD}\n{{\"id\": 2, \"id\": 3, \"created_at\": 1772442000}}\n").as_bytes());
    assert_eq!(ids(&d), ["good", "2"]);
}

#[test]
fn missing_ids() {
    let d = ok(br##"[
        {"id": null, "created_at": "2026-03-02T09:00:00Z"},
        {"id": {"value": 7}, "created_at": "2026-03-02T09:00:00Z"},
        {"id": "  ", "created_at": "2026-03-02T09:00:00Z"},
        {"id": "#1", "created_at": "2026-03-02T09:00:00Z"}
    ]"##);
    // "#1" is a real id here; the first record, numbered "#1" too, is not replaced by it.
    assert_eq!(ids(&d), ["#1", "#2", "#3", "#1"]);
    assert_eq!(
        warnings(&d),
        [(
            "\"id\" is missing: the ticket was kept and numbered by its position",
            3,
            "record 1: no id"
        )]
    );
    assert_eq!(
        d.import.warnings[0].examples[1],
        "record 2: found an object"
    );
}

#[test]
fn timestamps() {
    let d = ok(
        br#"{"dataset": {"timezone": "Europe/Istanbul"}, "tickets": [
        {"id": "utc-1969", "created_at": "1969-07-20T20:17:00Z"},
        {"id": "naive-1969", "created_at": "1969-07-20 20:17"},
        {"id": "negative", "created_at": -5},
        {"id": "year-1", "created_at": "0001-01-01"},
        {"id": "year-9999", "created_at": "9999-12-31T23:59:59"},
        {"id": "millis-2300", "created_at": 10413792000000},
        {"id": "words", "created_at": "next tuesday"},
        {"id": "us-date", "created_at": "03/02/2026 10:00"},
        {"id": "future", "created_at": "2099-03-02T09:00:00Z"},
        {"id": "naive", "created_at": "2026-03-02T09:00"},
        {"id": "day", "created_at": "2026-03-02",
         "first_reply_at": "1960-01-01T00:00:00Z", "solved_at": "soon"}
    ]}"#,
    );
    assert_eq!(ids(&d), ["future", "naive", "day"]);
    // Naive times are read in the dataset's zone (Istanbul, +03:00), without a warning.
    assert_eq!(d.store.created[1], 1_772_431_200);
    assert_eq!(d.store.created[2], 1_772_398_800);
    assert_eq!(d.import.skipped, 8);
    assert_eq!(
        warnings(&d),
        [
            (
                "\"created_at\" is missing or unusable: record skipped",
                8,
                "record 1 (id \"utc-1969\"): found \"1969-07-20T20:17:00Z\""
            ),
            (
                "\"created_at\" is before 1971 or after 2200: field ignored",
                6,
                "record 1 (id \"utc-1969\"): found \"1969-07-20T20:17:00Z\""
            ),
            (
                "\"created_at\" is not a timestamp: field ignored",
                2,
                "record 7 (id \"words\"): found \"next tuesday\""
            ),
            (
                "\"created_at\" is in the future: ticket kept",
                1,
                "ticket \"future\""
            ),
            (
                "\"first_reply_at\" is before 1971 or after 2200: field ignored",
                1,
                "record 11 (id \"day\"): found \"1960-01-01T00:00:00Z\""
            ),
            (
                "\"solved_at\" is not a timestamp: field ignored",
                1,
                "record 11 (id \"day\"): found \"soon\""
            ),
        ]
    );
    let examples = &d.import.warnings[1].examples;
    assert_eq!(
        examples[1..],
        [
            "record 2 (id \"naive-1969\"): found \"1969-07-20 20:17\"",
            "record 3 (id \"negative\"): found -5",
            "record 4 (id \"year-1\"): found \"0001-01-01\"",
            "record 5 (id \"year-9999\"): found \"9999-12-31T23:59:59\"",
        ]
    );
}

#[test]
fn replies_and_solves_before_creation() {
    let d = ok(br#"[
        {"id": "reply", "created_at": "2026-03-02T09:00:00Z", "first_reply_at": "2026-03-02T08:00:00Z"},
        {"id": "message", "created_at": "2026-03-02T09:00:00Z", "messages": [
            {"at": "2026-03-02T08:00:00Z", "author": "agent"},
            {"at": "2026-03-02T09:30:00Z", "author": "agent"}]},
        {"id": "solved", "created_at": "2026-03-02T09:00:00Z", "status": "solved",
         "solved_at": "2026-03-01T09:00:00Z", "closed_at": "2026-03-01T10:00:00Z"}
    ]"#);
    assert_eq!(ids(&d), ["reply", "message", "solved"]);
    let s = &d.store;
    assert_eq!(s.first_reply[0], ticket_kpis::time::NO_TIME);
    // The early message stays in the conversation but is not the first reply.
    assert_eq!(s.messages.of(1).len(), 2);
    assert_eq!(s.first_reply[1] - s.created[1], 1800);
    assert_eq!(s.solved[2], ticket_kpis::time::NO_TIME);
    assert_eq!(
        warnings(&d),
        [
            (
                "\"closed_at\" is before \"created_at\": field ignored",
                1,
                "ticket \"solved\""
            ),
            (
                "\"first_reply_at\" is before \"created_at\": field ignored",
                1,
                "ticket \"reply\""
            ),
            (
                "\"solved_at\" is before \"created_at\": field ignored",
                1,
                "ticket \"solved\""
            ),
            (
                "solved or closed without \"solved_at\" or \"closed_at\": resolution time unknown",
                1,
                "ticket \"solved\""
            ),
        ]
    );
}

#[test]
fn durations() {
    let d = ok(br#"[
        {"id": 1, "created_at": "2026-03-02T09:00:00Z", "queue": {"wait_seconds": -5, "handle_seconds": 1e12}},
        {"id": 2, "created_at": "2026-03-02T09:00:00Z", "queue": {"wait_seconds": 1e12, "handle_seconds": 300}},
        {"id": 3, "created_at": "2026-03-02T09:00:00Z", "queue": {"wait_seconds": "12"}, "reopens": -1, "agent_replies": 1e7}
    ]"#);
    assert_eq!(ids(&d), ["1", "2", "3"]);
    let none = ticket_kpis::time::NO_TIME;
    assert_eq!(d.store.queue_wait, [none, none, 12]);
    assert_eq!(d.store.handle, [none, 300, none]);
    assert_eq!(
        warnings(&d),
        [
            (
                "\"queue.wait_seconds\" should be a number from 0 to 1000000000: field ignored",
                2,
                "record 1 (id \"1\"): found -5"
            ),
            (
                "\"agent_replies\" should be a number from 0 to 1000000: field ignored",
                1,
                "record 3 (id \"3\"): found 10000000"
            ),
            (
                "\"queue.handle_seconds\" should be a number from 0 to 1000000000: field ignored",
                1,
                "record 1 (id \"1\"): found 1000000000000"
            ),
            (
                "\"reopens\" should be a number from 0 to 1000000: field ignored",
                1,
                "record 3 (id \"3\"): found -1"
            ),
        ]
    );
}

#[test]
fn scores() {
    let d = ok(br#"[
        {"id": 1, "created_at": "2026-03-02T09:00:00Z", "satisfaction": {"score": 0}},
        {"id": 2, "created_at": "2026-03-02T09:00:00Z", "satisfaction": {"score": 5, "scale": 1000}},
        {"id": 3, "created_at": "2026-03-02T09:00:00Z", "satisfaction": {"score": 11, "scale": 10}},
        {"id": 4, "created_at": "2026-03-02T09:00:00Z", "satisfaction": {"score": -1, "scale": 1}},
        {"id": 5, "created_at": "2026-03-02T09:00:00Z", "nps": -1, "effort": 9},
        {"id": 6, "created_at": "2026-03-02T09:00:00Z", "nps": "ten", "effort": 0},
        {"id": 7, "created_at": "2026-03-02T09:00:00Z", "satisfaction": {"score": 10, "scale": 10}, "nps": 10, "effort": 7}
    ]"#);
    assert_eq!(d.store.len(), 7);
    assert!(d.store.rating[..6].iter().all(Option::is_none));
    assert_eq!(d.store.rating[6].map(|r| r.score), Some(10.0));
    assert_eq!((d.store.nps[6], d.store.effort[6]), (10, 7));
    assert_eq!(
        warnings(&d),
        [
            (
                "satisfaction score outside its scale: rating ignored",
                3,
                "record 1 (id \"1\"): score 0 on a scale of 1–5"
            ),
            (
                "\"effort\" should be a number from 1 to 7: field ignored",
                2,
                "record 5 (id \"5\"): found 9"
            ),
            (
                "\"nps\" should be a number from 0 to 10: field ignored",
                2,
                "record 5 (id \"5\"): found -1"
            ),
            (
                "\"satisfaction.scale\" should be a number from 1 to 100: rating ignored",
                1,
                "record 2 (id \"2\"): found 1000"
            ),
        ]
    );
}

#[test]
fn long_names() {
    let name: String = "Ayşe Yılmaz-".repeat(834).chars().take(10_000).collect();
    let id: String = "a".repeat(10_000);
    let json = format!(
        r#"{{"dataset": {{"agents": [{{"id": "r1", "name": "{name}"}}]}}, "tickets": [
            {{"id": "{id}", "created_at": "2026-03-02T09:00:00Z",
              "assignee": {{"id": "{id}", "name": "{name}"}}, "team": "{name}",
              "satisfaction": {{"score": 9}}}},
            {{"id": 2, "created_at": "2026-03-02T09:00:00Z", "assignee": "r1"}}
        ]}}"#
    );
    let d = ok(json.as_bytes());
    let s = &d.store;
    assert_eq!(s.id[0].chars().count(), 10_000);
    let agent = s.agent[0] as usize;
    assert_eq!(s.agents.names()[agent], id);
    assert_eq!(s.agent_info[agent].name, name);
    assert_eq!(s.teams.names()[s.team[0] as usize], name);
    assert_eq!(s.agent_info[s.agent[1] as usize].name, name);
    // Messages quote a value only up to 40 characters.
    assert_eq!(
        warnings(&d),
        [(
            "satisfaction score outside its scale: rating ignored",
            1,
            &*format!(
                "record 1 (id \"{}…\"): score 9 on a scale of 1–5",
                "a".repeat(40)
            )
        )]
    );
}

#[test]
fn deep_nesting() {
    const DEPTH: usize = 100_000;
    let arrays = |inner: &str| format!("{}{inner}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = |inner: &str| format!("{}{inner}{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH));
    // In a field the engine does not read, and in one it reads as a list.
    let d = ok(format!(
        "[{{\"id\": 1, \"created_at\": \"2026-03-02T09:00:00Z\", \"custom\": {}, \
           \"messages\": [{}]}}, {GOOD}]",
        objects("1"),
        arrays("1")
    )
    .as_bytes());
    assert_eq!(ids(&d), ["1", "good"]);
    assert_eq!(
        warnings(&d),
        [(
            "a message should be an object: message ignored",
            1,
            "record 1 (id \"1\"): found another kind"
        )]
    );
    // As a record: skipped, the good one kept.
    let d = ok(format!("[{}, {GOOD}]", objects("1")).as_bytes());
    assert_eq!(ids(&d), ["good"]);
    assert_eq!(d.import.skipped, 1);
    // Where the engine builds a tree, 128 levels is the limit, said as such.
    let targets = format!(
        "{{\"dataset\": {{\"targets\": {}1{}}}, \"tickets\": [{GOOD}]}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    assert_eq!(
        err(targets.as_bytes()),
        "the JSON is nested too deeply at line 1, column 150: more than 128 arrays or objects \
         inside each other, where the widget reads at most 128"
    );
    let vendor = format!("{{\"via\": {}}}", arrays("1"));
    assert_eq!(
        err(vendor.as_bytes()),
        "the JSON is nested too deeply at line 1, column 135: more than 128 arrays or objects \
         inside each other, where the widget reads at most 128"
    );
}

// ---------------------------------------------------------------------------------------------
// Memory: a counting allocator, per thread so that tests running in parallel do not disturb
// each other's figures.

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn track(grow: usize, shrink: usize) {
    // `try_with`: the allocator also runs while a thread's locals are being torn down.
    let _ = LIVE.try_with(|live| {
        let now = (live.get() + grow).saturating_sub(shrink);
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            track(layout.size(), 0);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            track(layout.size(), 0);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        track(0, layout.size());
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() {
            // Counted as the old block and the new one both alive for a moment, as when the
            // block moves.
            track(new_size, 0);
            track(0, layout.size());
        }
        q
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Runs `f` and returns its result with the most memory it held at once beyond what was live
/// before, in bytes.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    (out, PEAK.with(Cell::get) - base)
}

#[test]
fn huge_string_field() {
    const MB: usize = 1_000_000;
    let big = "x".repeat(200 * MB);
    // In a field the engine reads (borrowed from the input, never copied) and in one it does
    // not, with escapes that would need unescaping into a copy (skipped without one).
    let escaped = "line\\n".repeat(200 * MB / 6);
    for (field, value) in [("subject", &big), ("description", &escaped)] {
        let mut file = Vec::with_capacity(value.len() + 200);
        file.extend_from_slice(b"[{\"id\": 1, \"created_at\": \"2026-03-02T09:00:00Z\", \"");
        file.extend_from_slice(field.as_bytes());
        file.extend_from_slice(b"\": \"");
        file.extend_from_slice(value.as_bytes());
        file.extend_from_slice(format!("\"}}, {GOOD}]").as_bytes());
        let started = std::time::Instant::now();
        let (d, extra) = peak_during(|| ok(&file));
        assert_eq!(ids(&d), ["1", "good"], "{field}");
        // Everything but the input: the store, the report, serde's buffers.
        assert!(
            extra < 8 * MB,
            "{field}: {} MB allocated to read a {} MB file",
            extra / MB,
            file.len() / MB
        );
        eprintln!(
            "200 MB string in \"{field}\": {:.1} s, {:.1} MB allocated",
            started.elapsed().as_secs_f64(),
            extra as f64 / MB as f64
        );
    }
    drop(big);
    drop(escaped);

    // A value that is quoted in a message is shortened first: a megabyte of digits as a
    // timestamp makes a 40-character example.
    let digits = "9".repeat(MB);
    let d = ok(format!("[{{\"id\": 1, \"created_at\": \"{digits}\"}}, {GOOD}]").as_bytes());
    assert_eq!(ids(&d), ["good"]);
    let quoted = format!("\"{}…\"", "9".repeat(40));
    assert_eq!(
        d.import.warnings[1].examples,
        [format!("record 1 (id \"1\"): found {quoted}")]
    );
}

#[test]
fn too_large() {
    // The browser's limit, whatever this build's is.
    let wasm = |bytes: u64, files: usize| {
        Error::TooLarge {
            bytes,
            limit: ingest::WASM_MAX_INPUT_BYTES,
            files,
        }
        .to_string()
    };
    assert_eq!(
        wasm(2_100_000_000, 1),
        "the file is 2.1 GB: the widget can read files up to 1.5 GB"
    );
    // Rounded up, so just over the limit never reads as the limit itself.
    assert_eq!(
        wasm(1_500_000_001, 1),
        "the file is 1.6 GB: the widget can read files up to 1.5 GB"
    );
    assert_eq!(
        wasm(3_000_000_000, 3),
        "the 3 files are 3 GB together: the widget can read up to 1.5 GB at once"
    );
    // This build's limit, through the function the page calls with just the size.
    let max = ingest::MAX_INPUT_BYTES;
    assert!(max >= ingest::WASM_MAX_INPUT_BYTES);
    assert_eq!(ingest::check_input_size(max, 1), Ok(()));
    assert_eq!(
        ingest::check_input_size(max + 1, 1),
        Err(Error::TooLarge {
            bytes: max + 1,
            limit: max,
            files: 1
        })
    );
    assert_eq!(ingest::check_input_size(0, 0), Ok(()));
}

//! Ingest: bytes of an export → [`Dataset`] (columnar store + dataset context + import report).
//!
//! The canonical format is documented in `docs/format.md` and `docs/ticket-schema.json`:
//! a top-level array of tickets, an envelope `{"dataset": {...}, "tickets": [...]}`, or NDJSON
//! (one ticket object per line). Records are read leniently (see [`crate::raw`]) and validated
//! field by field: a bad field is dropped with a counted warning, a record without a usable
//! `created_at` is skipped with a counted warning, and only a file that cannot be read at all is
//! an [`Error`].

mod build;
mod canonical;
mod envelope;
mod feed;
mod parallel;
mod scan;
mod support;
mod wire;

pub use build::{Builder, ImportReport, Warning};
pub use canonical::CanonicalReader;
pub use envelope::{DatasetMeta, RawAgent, RawCustomers, RawDataset};
pub use feed::{Feed, STREAM_MAX_INPUT_BYTES};
pub use parallel::{part_start, PartReader, PART_LOOKBACK, PART_WINDOW};
pub use support::{add_hints, kpi_support, CsvInfo, KpiSupport, SourceFile};

use crate::adapters::InputFile;
use crate::error::{Error, Result};
use crate::raw::{self, Nested, RawTicket};
use crate::store::TicketStore;
use crate::time::Seconds;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// Settings for one import.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The current instant: timestamps after it (plus a day of clock skew) are flagged.
    pub now: Seconds,
    /// Timezone for naive timestamps when the dataset names none (the viewer's own zone).
    pub fallback_timezone: Option<String>,
    /// The import format chosen by the user (`zendesk`, `csv`, `canonical`, …; see
    /// [`crate::adapters::Format`]); `None` or `auto` detects it.
    pub format: Option<String>,
    /// For CSV input: canonical field → column name, overriding the automatic mapping (an
    /// empty column name unmaps the field).
    pub csv_mapping: Option<BTreeMap<String, String>>,
}

/// A loaded export.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The tickets.
    pub store: TicketStore,
    /// Context from the envelope's `dataset` object.
    pub meta: DatasetMeta,
    /// What was read, skipped and warned about.
    pub import: ImportReport,
}

/// Which layout the file used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `[ {ticket}, ... ]`
    Array,
    /// `{"dataset": {...}, "tickets": [...]}`
    Envelope,
    /// One ticket object per line.
    Ndjson,
    /// One ticket object alone.
    Single,
}

impl Layout {
    /// Human name for the import report.
    pub fn describe(self) -> &'static str {
        match self {
            Layout::Array => "canonical tickets (JSON array)",
            Layout::Envelope => "canonical tickets (JSON with dataset envelope)",
            Layout::Ndjson => "canonical tickets (NDJSON, one ticket per line)",
            Layout::Single => "canonical ticket (a single ticket object)",
        }
    }
}

/// The largest input the browser build reads whole, in bytes (1.5 GB): several files of one
/// load together, or one vendor export or CSV file. A wasm32 module addresses at most 4 GiB,
/// and the input, the columnar store and the report must all fit; beyond this the tab would
/// run out of memory halfway through instead of saying why. One canonical JSON file is
/// streamed instead and may be larger ([`STREAM_MAX_INPUT_BYTES`]).
pub const WASM_MAX_INPUT_BYTES: u64 = 1_500_000_000;

/// The largest input this build reads whole, in bytes: [`WASM_MAX_INPUT_BYTES`] in the
/// browser, 16 GB natively (where only the machine's memory bounds it).
pub const MAX_INPUT_BYTES: u64 = if cfg!(target_arch = "wasm32") {
    WASM_MAX_INPUT_BYTES
} else {
    16_000_000_000
};

/// Checks an input size before anything is read: the page calls it with the size of the
/// files the user picked, so a file that is too large is refused at once with
/// [`Error::TooLarge`] ("the file is 4.2 GB: the widget can read files up to 4 GB"), not after
/// seconds of reading. `files` is how many files `bytes` adds up: one file is checked against
/// [`STREAM_MAX_INPUT_BYTES`] (a vendor export or CSV over [`MAX_INPUT_BYTES`] is refused as
/// soon as its first bytes show what it is), several against [`MAX_INPUT_BYTES`].
pub fn check_input_size(bytes: u64, files: usize) -> Result<()> {
    let limit = if files <= 1 {
        STREAM_MAX_INPUT_BYTES
    } else {
        MAX_INPUT_BYTES
    };
    check_size(bytes, files, limit)
}

fn check_size(bytes: u64, files: usize, limit: u64) -> Result<()> {
    if bytes > limit {
        return Err(Error::TooLarge {
            bytes,
            limit,
            files,
        });
    }
    Ok(())
}

/// Reads an export: a vendor export or CSV when one is recognised (or named in
/// `opts.format`, see [`crate::adapters`]), else the canonical format.
pub fn load(bytes: &[u8], opts: &IngestOptions) -> Result<Dataset> {
    // Borrowed, not copied: a large export is read where it lies.
    load_inputs(&[InputFile { name: "", bytes }], opts, MAX_INPUT_BYTES)
}

/// Reads several files of one export together: a vendor's tickets with their comments, users
/// or metrics (joined by id), or several canonical files into one dataset. A file that cannot
/// be read is listed in the import report's `sources` while the others load.
pub fn load_files(files: &[(String, Vec<u8>)], opts: &IngestOptions) -> Result<Dataset> {
    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    load_inputs(&inputs, opts, MAX_INPUT_BYTES)
}

/// [`load_files`] on borrowed files, refusing more than `limit` bytes in all.
fn load_inputs(files: &[InputFile], opts: &IngestOptions, limit: u64) -> Result<Dataset> {
    let total = files.iter().map(|f| f.bytes.len() as u64).sum();
    check_size(total, files.len(), limit)?;
    if let Some(result) = crate::adapters::load_vendor(files, opts) {
        return result;
    }
    let mut builder = Builder::new(opts.now);
    let read: Vec<(&str, usize, Result<Layout>)> = files
        .iter()
        .map(|&InputFile { name, bytes }| {
            let before = builder.records();
            let layout = CanonicalReader::read_all(bytes, &mut builder);
            (name, builder.records() - before, layout)
        })
        .collect();
    finish_canonical(builder, read, opts)
}

/// Reads one canonical file with the whole-document reader only, never streamed: the
/// reference the streaming reader is tested against (`tests/stream.rs`).
#[doc(hidden)]
pub fn load_whole_document(bytes: &[u8], opts: &IngestOptions) -> Result<Dataset> {
    let mut builder = Builder::new(opts.now);
    let layout = parse_whole(bytes, &mut builder);
    let records = builder.records();
    finish_canonical(builder, vec![("", records, layout)], opts)
}

/// The dataset of canonical files read into `builder`: `read` has, per file, its name, the
/// records it gave and its layout (or why it could not be read). Files that could not be read
/// are listed in the import report while the others load; when none could, the first error is
/// the answer.
fn finish_canonical(
    builder: Builder,
    read: Vec<(&str, usize, Result<Layout>)>,
    opts: &IngestOptions,
) -> Result<Dataset> {
    let mut sources = Vec::new();
    let mut layouts = Vec::new();
    let mut first_error = None;
    for (name, records, result) in read {
        match result {
            Ok(layout) => {
                layouts.push(layout);
                sources.push(SourceFile {
                    name: name.to_string(),
                    format: "canonical".into(),
                    kind: layout.describe().into(),
                    records,
                    used: true,
                    note: None,
                });
            }
            Err(e) => {
                sources.push(SourceFile {
                    name: name.to_string(),
                    format: String::new(),
                    kind: "not readable".into(),
                    records: 0,
                    used: false,
                    note: Some(e.to_string()),
                });
                first_error.get_or_insert(e);
            }
        }
    }
    let layout = match (layouts.first(), first_error) {
        (Some(&l), _) => l,
        (None, Some(e)) => return Err(e),
        (None, None) => return Err(Error::Empty),
    };
    let mut data = builder.finish(layout.describe(), opts)?;
    data.import.format_key = "canonical".into();
    data.import.sources = sources;
    Ok(data)
}

/// Parses one canonical file held whole into `builder`. [`CanonicalReader`] streams the common
/// layouts itself and leaves to this function what it cannot decide before the end (a lone
/// ticket object, an object without tickets, text that is not JSON), on the kept text.
fn parse_whole(bytes: &[u8], builder: &mut Builder) -> Result<Layout> {
    let text = check_encoding(bytes)?;
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .ok_or(Error::Empty)?;
    Ok(match text[start] {
        b'[' => {
            parse_document(text, builder)?;
            Layout::Array
        }
        b'{' if is_ndjson(&text[start..]) => {
            parse_ndjson(text, builder);
            Layout::Ndjson
        }
        b'{' => match parse_document(text, builder) {
            Ok(()) => Layout::Envelope,
            // One ticket object on its own (an API answer for one ticket, or NDJSON of one
            // line): read it as a list of one.
            Err(Error::Shape(m)) if m == SINGLE_TICKET => {
                parse_single(text, builder)?;
                Layout::Single
            }
            Err(e) => return Err(e),
        },
        _ => return Err(not_json_hint(text, start)),
    })
}

/// Refuses UTF-16 and files that are not text at all, and strips a UTF-8 byte-order mark.
pub(crate) fn check_encoding(bytes: &[u8]) -> Result<&[u8]> {
    const UTF16: &str =
        "the file is UTF-16 encoded: expected UTF-8 text (save or export it as UTF-8)";
    if let Some(what) = binary_kind(bytes) {
        return Err(Error::Encoding(what.into()));
    }
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => Ok(rest),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Err(Error::Encoding(UTF16.into())),
        [a, 0, ..] | [0, a, ..] if *a != 0 => Err(Error::Encoding(UTF16.into())),
        _ => Ok(bytes),
    }
}

/// What a file that is not text is, for the files users pick by mistake: exports arrive as ZIP
/// archives, spreadsheets are saved as workbooks. Judged by the leading bytes (the format's
/// signature), else by a NUL byte early on, which no JSON or CSV text has.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 4] = [
        (
            b"PK\x03\x04",
            "this is a ZIP archive (or an Excel .xlsx workbook), not ticket JSON or CSV: unzip \
             it and load the files inside, or save the sheet as CSV",
        ),
        (
            b"\x1f\x8b",
            "this file is compressed with gzip: decompress it first, then load the file inside",
        ),
        (
            b"\xd0\xcf\x11\xe0",
            "this is an Excel .xls workbook (or another Office file), not ticket JSON or CSV: \
             save the sheet as CSV",
        ),
        (
            b"%PDF-",
            "this is a PDF document, not ticket JSON or CSV: export the tickets as JSON or CSV",
        ),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(what);
    }
    // UTF-16 also has NUL bytes (every other byte for ASCII text); it has its own message.
    let head = &bytes[..bytes.len().min(1024)];
    let utf16 = matches!(head, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..])
        || matches!(head, [a, 0, ..] | [0, a, ..] if *a != 0);
    (!utf16 && head.contains(&0)).then_some(
        "this is not a text file (it holds binary data): expected ticket JSON or CSV exported \
         as UTF-8 text",
    )
}

/// NDJSON when the first line is a whole JSON value and something else follows it.
fn is_ndjson(text: &[u8]) -> bool {
    let end = match text.iter().position(|&b| b == b'\n') {
        Some(e) => e,
        None => return false,
    };
    let rest_has_content = text[end..].iter().any(|b| !b.is_ascii_whitespace());
    rest_has_content && serde_json::from_slice::<IgnoredAny>(&text[..end]).is_ok()
}

fn not_json_hint(text: &[u8], start: usize) -> Error {
    let first_line: String = String::from_utf8_lossy(&text[start..])
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    match serde_json::from_slice::<IgnoredAny>(text) {
        Ok(_) => Error::Shape(format!(
            "expected an array of tickets, an object with a \"tickets\" array, or one ticket \
             object per line; found {}",
            scalar_kind(text[start])
        )),
        // Reached only when the format was set to canonical: CSV is otherwise detected and
        // read by the CSV adapter.
        // A URL that answers with a web page (a sign-in page, an error page) instead of the
        // export: say so rather than "expected value".
        Err(_) if text[start] == b'<' => Error::Shape(format!(
            "this is HTML or XML (first line {}), not JSON: if it came from a URL, the server \
             sent a web page (a sign-in or error page?) instead of the export",
            crate::time::quote(&first_line)
        )),
        Err(_) if first_line.contains([',', ';', '\t']) => Error::Shape(format!(
            "this looks like CSV (first line {}), not JSON: expected ticket JSON (choose CSV \
             as the format, or automatic detection)",
            crate::time::quote(&first_line)
        )),
        Err(e) => syntax_or_encoding(text, &e, 0),
    }
}

fn scalar_kind(b: u8) -> &'static str {
    match b {
        b'"' => "a single string",
        b't' | b'f' => "a single boolean",
        b'n' => "null",
        _ => "a single number",
    }
}

/// A JSON error, or an encoding error when the real cause is invalid UTF-8.
fn syntax_or_encoding(text: &[u8], err: &serde_json::Error, line_offset: usize) -> Error {
    if let Err(bad) = std::str::from_utf8(text) {
        let upto = &text[..bad.valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1 + line_offset;
        let column = upto.len() - upto.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        return encoding_error(line, column);
    }
    Error::from_json(err, line_offset)
}

/// Invalid UTF-8 at a 1-based line and column.
fn encoding_error(line: usize, column: usize) -> Error {
    Error::Encoding(format!(
        "the file is not valid UTF-8 text: invalid byte at line {line}, column {column} (save \
         or export it as UTF-8)"
    ))
}

/// Runs the document visitor over `text` into `builder`, keeping only serde's own errors
/// (the shape verdict is the caller's business): how the stream applies a `dataset` value.
fn parse_document_into(text: &[u8], builder: &mut Builder) -> serde_json::Result<()> {
    raw::take_repeated_keys();
    let mut de = serde_json::Deserializer::from_slice(text);
    // The shape verdict (no "tickets" here) is not this caller's concern.
    let _shape = (&mut de).deserialize_any(DocumentVisitor { builder })?;
    de.end()
}

fn parse_document(text: &[u8], builder: &mut Builder) -> Result<()> {
    // An earlier file that failed halfway may have left names behind.
    raw::take_repeated_keys();
    let mut de = serde_json::Deserializer::from_slice(text);
    // Deep nesting costs no stack: values the engine does not read are skipped iteratively, and
    // the few it builds a tree of (the dataset's targets) meet serde_json's recursion limit
    // (128), a positioned error.
    let shape = (&mut de)
        .deserialize_any(DocumentVisitor { builder })
        .map_err(|e| syntax_or_encoding(text, &e, 0))?;
    de.end().map_err(|e| syntax_or_encoding(text, &e, 0))?;
    shape
}

/// The shape verdict of a lone ticket object, answered by reading it as one ticket.
const SINGLE_TICKET: &str = "found a single ticket object";

fn parse_single(text: &[u8], builder: &mut Builder) -> Result<()> {
    raw::take_repeated_keys();
    let record = serde_json::from_slice::<Nested<RawTicket>>(text)
        .map_err(|e| syntax_or_encoding(text, &e, 0))?;
    builder.push_repeating(record, raw::take_repeated_keys());
    Ok(())
}

fn parse_ndjson(text: &[u8], builder: &mut Builder) {
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        read_ndjson_line(line, i, builder);
    }
}

/// Reads line `i` (0-based) of an NDJSON file: a ticket, or a skipped line with its reason.
fn read_ndjson_line(line: &[u8], i: usize, builder: &mut Builder) {
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return;
    }
    // The fast scanner first, as for the records of an array; serde decides the rest.
    if let Some(ticket) = scan::read_ticket(line) {
        builder.push_repeating(Nested::Value(ticket), Vec::new());
        return;
    }
    // A line that failed halfway may have left names behind.
    raw::take_repeated_keys();
    match serde_json::from_slice::<Nested<RawTicket>>(line) {
        Ok(record) => builder.push_repeating(record, raw::take_repeated_keys()),
        Err(e) => {
            let why = syntax_or_encoding(line, &e, i)
                .to_string()
                .replace("the file ends", "the line ends")
                .replace("the file is not valid UTF-8", "the line is not valid UTF-8")
                .replace(" (is it truncated?)", "");
            builder.skip_line(i + 1, &why)
        }
    }
}

/// Visits the top-level value; its result is the shape verdict (syntax errors travel as
/// serde errors so they keep their position).
struct DocumentVisitor<'b> {
    builder: &'b mut Builder,
}

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
    type Value = Result<()>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of tickets or an object with a \"tickets\" array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Self::Value, A::Error> {
        TicketsVisitor {
            builder: self.builder,
        }
        .visit_seq(seq)?;
        Ok(Ok(()))
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut seen_tickets = false;
        let mut keys: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "tickets" => {
                    map.next_value_seed(TicketsSeed {
                        builder: self.builder,
                    })?;
                    seen_tickets = true;
                }
                "dataset" => {
                    let dataset = map.next_value::<Nested<RawDataset>>()?;
                    self.builder.set_dataset(dataset);
                    for key in raw::take_repeated_keys() {
                        self.builder.warn(
                            "a key appears twice in \"dataset\": the first value was used".into(),
                            format!("key {}", crate::time::quote(&key)),
                            false,
                        );
                    }
                }
                other => {
                    if keys.len() < 8 {
                        keys.push(other.to_string());
                    }
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if seen_tickets {
            return Ok(Ok(()));
        }
        let looks_like_ticket = keys.iter().any(|k| k == "id" || k == "created_at");
        Ok(Err(Error::Shape(if looks_like_ticket {
            SINGLE_TICKET.into()
        } else {
            format!(
                "expected an object with a \"tickets\" array; found an object with keys {}",
                if keys.is_empty() {
                    "(none)".into()
                } else {
                    keys.iter()
                        .map(|k| format!("\"{k}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )
        })))
    }
}

struct TicketsSeed<'b> {
    builder: &'b mut Builder,
}

impl<'de> DeserializeSeed<'de> for TicketsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(TicketsVisitor {
            builder: self.builder,
        })
    }
}

struct TicketsVisitor<'b> {
    builder: &'b mut Builder,
}

impl<'de> Visitor<'de> for TicketsVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of ticket objects for \"tickets\"")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
        // serde's own message would quote the whole string, however long.
        Err(E::custom(format!(
            "expected an array of ticket objects for \"tickets\", found {}",
            crate::time::quote(v)
        )))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Nested<RawTicket<'de>>>()? {
            self.builder
                .push_repeating(record, raw::take_repeated_keys());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The size check runs before any byte is read: with a limit of 10 bytes, 11 bytes of
    /// garbage are refused for their size, not their content.
    #[test]
    fn size_is_checked_before_parsing() {
        let opts = IngestOptions::default();
        let garbage = InputFile {
            name: "a",
            bytes: b"\xff\xfe not json",
        };
        let e = load_inputs(&[garbage], &opts, 10).unwrap_err();
        assert_eq!(
            e,
            Error::TooLarge {
                bytes: 11,
                limit: 10,
                files: 1
            }
        );
        let two = [
            garbage,
            InputFile {
                name: "b",
                bytes: b"",
            },
        ];
        assert!(matches!(
            load_inputs(&two, &opts, 10),
            Err(Error::TooLarge { files: 2, .. })
        ));
        // At the limit the content decides (here: UTF-16).
        let e = load_inputs(&[garbage], &opts, 11).unwrap_err();
        assert!(matches!(e, Error::Encoding(_)), "{e}");
    }
}

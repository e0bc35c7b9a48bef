//! Ingest: bytes of an export → [`Dataset`] (columnar store + dataset context + import report).
//!
//! The canonical format is documented in `docs/format.md` and `docs/ticket-schema.json`:
//! a top-level array of tickets, an envelope `{"dataset": {...}, "tickets": [...]}`, or NDJSON
//! (one ticket object per line). Records are read leniently (see [`crate::raw`]) and validated
//! field by field: a bad field is dropped with a counted warning, a record without a usable
//! `created_at` is skipped with a counted warning, and only a file that cannot be read at all is
//! an [`Error`].

mod build;
mod envelope;
mod support;

pub use build::{Builder, ImportReport, Warning};
pub use envelope::{DatasetMeta, RawAgent, RawCustomers, RawDataset};
pub use support::{add_hints, kpi_support, CsvInfo, KpiSupport, SourceFile};

use crate::error::{Error, Result};
use crate::raw::{Nested, RawTicket};
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
}

impl Layout {
    /// Human name for the import report.
    pub fn describe(self) -> &'static str {
        match self {
            Layout::Array => "canonical tickets (JSON array)",
            Layout::Envelope => "canonical tickets (JSON with dataset envelope)",
            Layout::Ndjson => "canonical tickets (NDJSON, one ticket per line)",
        }
    }
}

/// Reads an export: a vendor export or CSV when one is recognised (or named in
/// `opts.format`, see [`crate::adapters`]), else the canonical format.
pub fn load(bytes: &[u8], opts: &IngestOptions) -> Result<Dataset> {
    load_files(&[(String::new(), bytes.to_vec())], opts)
}

/// Reads several files of one export together: a vendor's tickets with their comments, users
/// or metrics (joined by id), or several canonical files into one dataset. A file that cannot
/// be read is listed in the import report's `sources` while the others load.
pub fn load_files(files: &[(String, Vec<u8>)], opts: &IngestOptions) -> Result<Dataset> {
    let inputs: Vec<crate::adapters::InputFile> = files
        .iter()
        .map(|(name, bytes)| crate::adapters::InputFile { name, bytes })
        .collect();
    if let Some(result) = crate::adapters::load_vendor(&inputs, opts) {
        return result;
    }
    let mut builder = Builder::new(opts.now);
    let mut sources = Vec::new();
    let mut layouts = Vec::new();
    let mut first_error = None;
    for (name, bytes) in files {
        let before = builder.records();
        match parse_canonical(bytes, &mut builder) {
            Ok(layout) => {
                layouts.push(layout);
                sources.push(SourceFile {
                    name: name.clone(),
                    format: "canonical".into(),
                    kind: layout.describe().into(),
                    records: builder.records() - before,
                    used: true,
                    note: None,
                });
            }
            Err(e) => {
                sources.push(SourceFile {
                    name: name.clone(),
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

/// Parses one canonical file into `builder`.
fn parse_canonical(bytes: &[u8], builder: &mut Builder) -> Result<Layout> {
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
        b'{' => {
            parse_document(text, builder)?;
            Layout::Envelope
        }
        _ => return Err(not_json_hint(text, start)),
    })
}

/// Refuses UTF-16 and strips a UTF-8 byte-order mark.
pub(crate) fn check_encoding(bytes: &[u8]) -> Result<&[u8]> {
    const UTF16: &str =
        "the file is UTF-16 encoded: expected UTF-8 text (save or export it as UTF-8)";
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => Ok(rest),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Err(Error::Encoding(UTF16.into())),
        [a, 0, ..] | [0, a, ..] if *a != 0 => Err(Error::Encoding(UTF16.into())),
        _ => Ok(bytes),
    }
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
        Err(_) if first_line.contains([',', ';', '\t']) => Error::Shape(format!(
            "this looks like CSV (first line {}), not JSON: expected ticket JSON",
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
        return Error::Encoding(format!(
            "the file is not valid UTF-8 text: invalid byte at line {line}, column {column} \
             (save or export it as UTF-8)"
        ));
    }
    Error::from_json(err, line_offset)
}

fn parse_document(text: &[u8], builder: &mut Builder) -> Result<()> {
    let mut de = serde_json::Deserializer::from_slice(text);
    // Deep nesting is refused by serde_json's recursion limit (128) with a positioned error.
    let shape = (&mut de)
        .deserialize_any(DocumentVisitor { builder })
        .map_err(|e| syntax_or_encoding(text, &e, 0))?;
    de.end().map_err(|e| syntax_or_encoding(text, &e, 0))?;
    shape
}

fn parse_ndjson(text: &[u8], builder: &mut Builder) {
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        match serde_json::from_slice::<Nested<RawTicket>>(line) {
            Ok(record) => builder.push(record),
            Err(e) => {
                let why = syntax_or_encoding(line, &e, i)
                    .to_string()
                    .replace("the file ends", "the line ends")
                    .replace(" (is it truncated?)", "");
                builder.skip_line(i + 1, &why)
            }
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
                    let raw = map.next_value::<Nested<RawDataset>>()?;
                    self.builder.set_dataset(raw);
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
            "found a single ticket object: expected an array of tickets, an object with a \
             \"tickets\" array, or one ticket per line"
                .into()
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

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Nested<RawTicket<'de>>>()? {
            self.builder.push(record);
        }
        Ok(())
    }
}

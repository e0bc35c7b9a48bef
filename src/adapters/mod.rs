//! Import adapters: vendor exports (Zendesk, Freshdesk, Chatwoot, Help Scout, Jira Service
//! Management, GitHub, Zammad, Kayako) and CSV files, mapped onto the canonical ticket model.
//!
//! Every adapter builds [`RawTicket`]s with owned values and pushes them into one
//! [`ingest::Builder`](crate::ingest::Builder), so validation, warnings, timezone resolution and
//! the derivation of first replies from messages are the same for every format. What is
//! vendor-specific stays here: recognising a file, decoding enums (Freshdesk's numeric
//! statuses, Zammad's state ids), joining side files (comments, users, metric sets) by id, and
//! skipping records that are not tickets (deleted tickets, GitHub pull requests) with a reason.
//!
//! Files are recognised by their content, not their names: a JSON body is matched by the keys
//! its records carry, a CSV by its header. The decoded API recordings used in the tests wrap a
//! body as `{request_uri, recorded_at, status, body}`; the wrapper is unwrapped and the URI kept
//! as a hint (it says which ticket a `tickets/4/comments` page belongs to).

mod chatwoot;
mod csv;
mod fivetran;
mod freshdesk;
mod github;
mod helpscout;
mod jira;
mod kayako;
pub(crate) mod sort;
mod twcs;
mod zammad;
mod zendesk;

use crate::error::{Error, Result};
use crate::ingest::{self, Builder, CsvInfo, Dataset, IngestOptions, SourceFile};
use crate::raw::{Loose, Nested, PersonRef, RawMessage, RawSatisfaction, RawStatusChange};
use crate::time;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

pub use self::csv::{parse_csv, CsvTable};

/// A format the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The product's own ticket JSON (`docs/format.md`).
    Canonical,
    /// Zendesk Support API: incremental ticket export, `/tickets`, comments, users, metrics.
    Zendesk,
    /// Freshdesk API v2: tickets (with or without `include=stats`), conversations, agents.
    Freshdesk,
    /// Chatwoot conversations (API or webhook shape) and CSAT survey responses.
    Chatwoot,
    /// Help Scout Mailbox API 2.0 conversations with embedded threads.
    HelpScout,
    /// Jira Service Management issue search results.
    Jira,
    /// GitHub issues: REST objects or `gh issue list --json`.
    GitHub,
    /// Zammad tickets and ticket articles.
    Zammad,
    /// Kayako cases and posts.
    Kayako,
    /// Any CSV with a header row, mapped by column names.
    Csv,
    /// The Kaggle "Customer Support on Twitter" tweet CSV: tweets grouped into conversations.
    Twcs,
    /// Fivetran's Zendesk warehouse tables exported as CSV (`ticket`, `ticket_comment`, …).
    Fivetran,
}

impl Format {
    /// Every format, in the order the page lists them for the manual override.
    pub const ALL: [Format; 12] = [
        Format::Canonical,
        Format::Zendesk,
        Format::Freshdesk,
        Format::Chatwoot,
        Format::HelpScout,
        Format::Jira,
        Format::GitHub,
        Format::Zammad,
        Format::Kayako,
        Format::Csv,
        Format::Twcs,
        Format::Fivetran,
    ];

    /// The stable key the page passes as an override and reads back in the report.
    pub fn key(self) -> &'static str {
        match self {
            Format::Canonical => "canonical",
            Format::Zendesk => "zendesk",
            Format::Freshdesk => "freshdesk",
            Format::Chatwoot => "chatwoot",
            Format::HelpScout => "helpscout",
            Format::Jira => "jira",
            Format::GitHub => "github",
            Format::Zammad => "zammad",
            Format::Kayako => "kayako",
            Format::Csv => "csv",
            Format::Twcs => "twcs",
            Format::Fivetran => "fivetran",
        }
    }

    /// Human name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Canonical => "canonical tickets",
            Format::Zendesk => "Zendesk",
            Format::Freshdesk => "Freshdesk",
            Format::Chatwoot => "Chatwoot",
            Format::HelpScout => "Help Scout",
            Format::Jira => "Jira Service Management",
            Format::GitHub => "GitHub issues",
            Format::Zammad => "Zammad",
            Format::Kayako => "Kayako",
            Format::Csv => "CSV",
            Format::Twcs => "Customer Support on Twitter (tweets CSV)",
            Format::Fivetran => "Fivetran Zendesk tables (CSV)",
        }
    }

    /// Reads an override: a key (`zendesk`), a name (`Help Scout`), or `auto`/empty for
    /// automatic detection (`Ok(None)`).
    pub fn parse(s: &str) -> Result<Option<Format>> {
        let k: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if k.is_empty() || k == "auto" {
            return Ok(None);
        }
        let alias = match k.as_str() {
            "jsm" | "jiraservicemanagement" | "jiraservicedesk" => "jira",
            "gh" | "githubissues" => "github",
            "twitter" | "customersupportontwitter" => "twcs",
            "json" | "native" => "canonical",
            other => other,
        };
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.key() == alias)
            .map(Some)
            .ok_or_else(|| {
                Error::Option(format!(
                    "unknown import format {}: expected auto or one of {}",
                    time::quote(s),
                    Format::ALL
                        .iter()
                        .map(|f| f.key())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }
}

/// One file given to the importer.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    /// The file name (used only in the report and as a weak hint).
    pub name: &'a str,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// What one file was recognised as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DetectedFile {
    /// File name as given.
    pub name: String,
    /// The format it belongs to, if recognised.
    pub format: Option<Format>,
    /// What it holds ("tickets", "ticket comments", "users", …).
    pub kind: String,
    /// Records in it.
    pub records: usize,
}

/// The outcome of detection over a set of files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detected {
    /// The format the import will use (the one whose files carry the tickets).
    pub format: Format,
    /// Each file.
    pub files: Vec<DetectedFile>,
}

/// Recognises the format of each file and the format of the whole set.
pub fn detect(files: &[InputFile]) -> Detected {
    let docs: Vec<Doc> = files
        .iter()
        .enumerate()
        .map(|(i, f)| Doc::read(i, f, None))
        .collect();
    let classes: Vec<Option<Class>> = docs.iter().map(|d| classify(d, None)).collect();
    let format = primary(&classes).unwrap_or(Format::Canonical);
    Detected {
        format,
        files: docs
            .iter()
            .zip(&classes)
            .map(|(d, c)| DetectedFile {
                name: d.name.clone(),
                format: c.as_ref().map(|c| c.format),
                kind: c.as_ref().map_or_else(
                    || match &d.body {
                        Body::Json(_) | Body::Skip => Format::Canonical.name().to_string(),
                        _ => "not recognised".to_string(),
                    },
                    |c| c.label.to_string(),
                ),
                records: c.as_ref().map_or(0, |c| c.records),
            })
            .collect(),
    }
}

/// Loads `files` with a vendor adapter. `None` when the files are canonical JSON (or not
/// recognised JSON, whose canonical error message is the most useful one): the caller then
/// reads them as canonical.
pub fn load_vendor(files: &[InputFile], opts: &IngestOptions) -> Option<Result<Dataset>> {
    let forced = match opts.format.as_deref().map(Format::parse).transpose() {
        Ok(f) => f.flatten(),
        Err(e) => return Some(Err(e)),
    };
    if forced == Some(Format::Canonical) {
        return None;
    }
    // Cheap sniff first: canonical JSON (the common case, and the large one) is never parsed
    // twice, and text that is neither JSON nor CSV gets the canonical reader's message.
    if forced.is_none()
        && files
            .iter()
            .all(|f| matches!(sniff(f.bytes), Sniff::Canonical | Sniff::Other))
    {
        return None;
    }
    let docs: Vec<Doc> = files
        .iter()
        .enumerate()
        .map(|(i, f)| Doc::read(i, f, forced))
        .collect();
    if let [only] = docs.as_slice() {
        if let Body::Unreadable(e) = &only.body {
            return Some(Err(e.clone()));
        }
    }
    let classes: Vec<Option<Class>> = docs.iter().map(|d| classify(d, forced)).collect();
    if let Some(f) = forced {
        let has_tickets = classes.iter().flatten().any(|c| c.kind == Kind::Tickets);
        if !has_tickets {
            // Say what the files look like instead, so the user can pick again.
            let seen: Vec<String> = docs
                .iter()
                .map(|d| {
                    let name = if d.name.is_empty() {
                        "the file".to_string()
                    } else {
                        d.name.clone()
                    };
                    match classify(d, None) {
                        Some(c) => format!("{name} looks like {} {}", c.format.name(), c.label),
                        None => format!("{name} is not recognised"),
                    }
                })
                .collect();
            return Some(Err(Error::Shape(format!(
                "none of the files is a {} export: {}",
                f.name(),
                seen.join("; ")
            ))));
        }
    }
    let format = match forced.or_else(|| primary(&classes)) {
        Some(f) => f,
        None => {
            // Vendor files without the one that holds the tickets; else not a vendor's file.
            return classes.iter().flatten().next().map(|c| {
                Err(Error::NoTickets(format!(
                    "found {} files ({}) but no file with the tickets themselves: add the \
                     ticket export",
                    c.format.name(),
                    c.label
                )))
            });
        }
    };
    Some(run(format, &docs, &classes, opts))
}

/// Builds the dataset from the files of `format`; other files are listed as not used.
fn run(
    format: Format,
    docs: &[Doc],
    classes: &[Option<Class>],
    opts: &IngestOptions,
) -> Result<Dataset> {
    let mut b = Builder::new(opts.now);
    let mut ctx = Ctx::default();
    let mine: Vec<(&Doc, &Class)> = docs
        .iter()
        .zip(classes)
        .filter_map(|(d, c)| c.as_ref().filter(|c| c.format == format).map(|c| (d, c)))
        .collect();
    for (d, _) in &mine {
        for (line, why) in &d.bad_lines {
            b.skip_line(*line, why);
        }
    }
    match format {
        Format::Zendesk => zendesk::build(&mine, &mut b, &mut ctx),
        Format::Freshdesk => freshdesk::build(&mine, &mut b, &mut ctx),
        Format::Chatwoot => chatwoot::build(&mine, &mut b, &mut ctx),
        Format::HelpScout => helpscout::build(&mine, &mut b, &mut ctx),
        Format::Jira => jira::build(&mine, &mut b, &mut ctx),
        Format::GitHub => github::build(&mine, &mut b, &mut ctx),
        Format::Zammad => zammad::build(&mine, &mut b, &mut ctx),
        Format::Kayako => kayako::build(&mine, &mut b, &mut ctx),
        Format::Csv => csv::build(&mine, &mut b, &mut ctx, opts),
        Format::Twcs => twcs::build(&mine, &mut b, &mut ctx),
        Format::Fivetran => fivetran::build(&mine, &mut b, &mut ctx),
        Format::Canonical => {
            return Err(Error::Shape(
                "canonical files are read by the canonical reader".into(),
            ))
        }
    }?;
    let label = ctx
        .label
        .clone()
        .unwrap_or_else(|| format.name().to_string());
    let mut data = b.finish(&label, opts)?;
    let import = &mut data.import;
    import.format_key = format.key().to_string();
    import.sources = docs
        .iter()
        .zip(classes)
        .enumerate()
        .map(|(i, (d, c))| source_file(i, d, c.as_ref(), format, &ctx))
        .collect();
    import.csv = ctx.csv.take();
    ingest::add_hints(&mut import.kpis, &ctx.hints);
    Ok(data)
}

fn source_file(i: usize, d: &Doc, c: Option<&Class>, format: Format, ctx: &Ctx) -> SourceFile {
    let note = ctx.notes.get(&i).cloned();
    match c {
        Some(c) if c.format == format => SourceFile {
            name: d.name.clone(),
            format: c.format.key().into(),
            kind: c.label.into(),
            records: c.records,
            used: c.kind != Kind::Unused && !ctx.unused.contains(&i),
            note: note.or_else(|| (c.kind == Kind::Unused).then(|| c.why_unused.to_string())),
        },
        Some(c) => SourceFile {
            name: d.name.clone(),
            format: c.format.key().into(),
            kind: c.label.into(),
            records: c.records,
            used: false,
            note: Some(format!(
                "a {} file, but the import is {}: load it separately",
                c.format.name(),
                format.name()
            )),
        },
        None => SourceFile {
            name: d.name.clone(),
            format: String::new(),
            kind: "not recognised".into(),
            records: 0,
            used: false,
            note: Some(match &d.body {
                Body::Unreadable(why) => why.to_string(),
                Body::Failed(status) => {
                    format!("a recorded API response with HTTP status {status}: no data")
                }
                _ => format!("not a {} file: ignored", format.name()),
            }),
        },
    }
}

/// The format whose files hold the most tickets.
fn primary(classes: &[Option<Class>]) -> Option<Format> {
    let mut best: Option<(Format, usize)> = None;
    for c in classes.iter().flatten().filter(|c| c.kind == Kind::Tickets) {
        let n: usize = classes
            .iter()
            .flatten()
            .filter(|o| o.format == c.format && o.kind == Kind::Tickets)
            .map(|o| o.records.max(1))
            .sum();
        let better = match best {
            Some((_, m)) => n > m,
            None => true,
        };
        if better {
            best = Some((c.format, n));
        }
    }
    best.map(|(f, _)| f)
}

fn classify(d: &Doc, forced: Option<Format>) -> Option<Class> {
    type Classifier = fn(&Doc) -> Option<Class>;
    let all: [(Format, Classifier); 11] = [
        (Format::Twcs, twcs::classify),
        (Format::Fivetran, fivetran::classify),
        (Format::Zendesk, zendesk::classify),
        (Format::Freshdesk, freshdesk::classify),
        (Format::Chatwoot, chatwoot::classify),
        (Format::HelpScout, helpscout::classify),
        (Format::Jira, jira::classify),
        (Format::GitHub, github::classify),
        (Format::Zammad, zammad::classify),
        (Format::Kayako, kayako::classify),
        (Format::Csv, csv::classify),
    ];
    match forced {
        Some(f) => all
            .iter()
            .find(|(g, _)| *g == f)
            .and_then(|(_, c)| c(d))
            // A forced CSV reading of a file another CSV adapter would claim.
            .map(|mut c| {
                c.format = f;
                c
            }),
        None => all.iter().find_map(|(_, c)| c(d)),
    }
}

/// What role a recognised file plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// It holds the tickets (or conversations, cases, issues).
    Tickets,
    /// A side file joined to the tickets (comments, users, metrics, ratings, fields).
    Part(&'static str),
    /// Recognised, but nothing in it serves a KPI (organizations, field definitions…).
    Unused,
}

/// A recognised file.
#[derive(Debug, Clone)]
pub(crate) struct Class {
    pub format: Format,
    pub kind: Kind,
    /// What the file holds, for the report.
    pub label: &'static str,
    /// Records in it.
    pub records: usize,
    /// Why an [`Kind::Unused`] file is not needed.
    pub why_unused: &'static str,
}

impl Class {
    pub fn tickets(format: Format, label: &'static str, records: usize) -> Option<Class> {
        Some(Class {
            format,
            kind: Kind::Tickets,
            label,
            records,
            why_unused: "",
        })
    }
    pub fn part(
        format: Format,
        part: &'static str,
        label: &'static str,
        records: usize,
    ) -> Option<Class> {
        Some(Class {
            format,
            kind: Kind::Part(part),
            label,
            records,
            why_unused: "",
        })
    }
    pub fn unused(
        format: Format,
        label: &'static str,
        records: usize,
        why: &'static str,
    ) -> Option<Class> {
        Some(Class {
            format,
            kind: Kind::Unused,
            label,
            records,
            why_unused: why,
        })
    }
}

/// What an adapter reports besides tickets.
#[derive(Debug, Default)]
pub(crate) struct Ctx {
    /// The format label for the report, when more specific than the format's name.
    pub label: Option<String>,
    /// Notes per file index (as given to the adapter: the index into the input list).
    pub notes: HashMap<usize, String>,
    /// Files (input indexes) recognised but not used after all.
    pub unused: Vec<usize>,
    /// Canonical field → where it comes from in this format, for unsupported KPIs.
    pub hints: Vec<(&'static str, &'static str)>,
    /// The CSV reading.
    pub csv: Option<CsvInfo>,
}

impl Ctx {
    pub fn note(&mut self, doc: &Doc, note: String) {
        self.notes.insert(doc.index, note);
    }
}

/// One input file, parsed.
#[derive(Debug)]
pub(crate) struct Doc {
    /// Position in the input list.
    pub index: usize,
    /// File name.
    pub name: String,
    /// The request URI of a recorded API response, else the file name: where ids of parent
    /// records (`tickets/4/comments`) are read from.
    pub uri: String,
    pub body: Body,
    /// NDJSON lines that were not JSON: (line number, why).
    pub bad_lines: Vec<(usize, String)>,
}

#[derive(Debug)]
pub(crate) enum Body {
    Json(Value),
    Csv(CsvTable),
    /// Canonical JSON: not parsed here.
    Skip,
    /// A recorded API response with a non-2xx status.
    Failed(i64),
    Unreadable(Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniff {
    Canonical,
    Vendor,
    Csv,
    Other,
}

/// Keys that only vendor records carry; canonical files never need a JSON tree.
/// (Each starts with `"`, which [`sniff`] relies on.)
const VENDOR_KEYS: &[&str] = &[
    "\"request_uri\"",
    "\"via\"",
    "\"requester_id\"",
    "\"metric_sets\"",
    "\"author_id\"",
    "\"satisfaction_ratings\"",
    "\"users\"",
    "\"comments\"",
    "\"incoming\"",
    "\"fr_due_by\"",
    "\"ticket_scope\"",
    "\"message_type\"",
    "\"inbox_id\"",
    "\"payload\"",
    "\"feedback_message\"",
    "\"_embedded\"",
    "\"primaryCustomer\"",
    "\"createdAt\"",
    "\"issues\"",
    "\"fields\"",
    "\"html_url\"",
    "\"issue_url\"",
    "\"article_count\"",
    "\"state_id\"",
    "\"assets\"",
    "\"ticket_id\"",
    "\"resource_type\"",
    "\"source_channel\"",
    "\"ticket_metrics\"",
    "\"groups\"",
];

/// Whether one file that starts with `head` is read by the canonical reader, so that it can be
/// streamed: the format is set to canonical, or it is automatic and the head looks like
/// canonical JSON (or like nothing known, which the canonical reader's message explains) — the
/// same judgement [`load_vendor`] makes on the whole file. `head` must hold the first 64 KiB
/// after any leading whitespace, or the whole file.
pub(crate) fn reads_as_canonical(head: &[u8], format: Option<&str>) -> Result<bool> {
    Ok(match format.map(Format::parse).transpose()?.flatten() {
        Some(f) => f == Format::Canonical,
        None => matches!(sniff(head), Sniff::Canonical | Sniff::Other),
    })
}

/// Bytes after the leading whitespace that [`sniff`] looks at.
pub(crate) const SNIFF_BYTES: usize = 65_536;

fn sniff(bytes: &[u8]) -> Sniff {
    let text = strip_bom(bytes);
    let Some(start) = text.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Sniff::Other;
    };
    match text[start] {
        b'[' | b'{' => {
            let head = &text[start..text.len().min(start + SNIFF_BYTES)];
            // Every key starts with a quote: only the quotes are tried (a search for each key
            // at every byte took ~10 ms per file).
            let vendor = head.iter().enumerate().any(|(i, &b)| {
                b == b'"'
                    && VENDOR_KEYS
                        .iter()
                        .any(|k| head[i..].starts_with(k.as_bytes()))
            });
            if vendor {
                Sniff::Vendor
            } else {
                Sniff::Canonical
            }
        }
        _ => {
            let first = text[start..].split(|&b| b == b'\n').next().unwrap_or(&[]);
            if first.iter().any(|b| matches!(b, b',' | b';' | b'\t')) {
                Sniff::Csv
            } else {
                Sniff::Other
            }
        }
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}

impl Doc {
    fn read(index: usize, f: &InputFile, forced: Option<Format>) -> Doc {
        let mut doc = Doc {
            index,
            name: f.name.to_string(),
            uri: f.name.to_string(),
            body: Body::Skip,
            bad_lines: Vec::new(),
        };
        if let Err(e) = ingest::check_encoding(f.bytes) {
            doc.body = Body::Unreadable(e);
            return doc;
        }
        let text = strip_bom(f.bytes);
        let kind = sniff(text);
        let csv_forced = matches!(forced, Some(Format::Csv | Format::Twcs | Format::Fivetran));
        if kind == Sniff::Csv || (csv_forced && kind != Sniff::Canonical && kind != Sniff::Vendor) {
            doc.body = match parse_csv(text) {
                Ok(t) => Body::Csv(t),
                Err(e) => Body::Unreadable(Error::Shape(e)),
            };
            return doc;
        }
        if kind == Sniff::Canonical && forced.is_none() || kind == Sniff::Other {
            return doc;
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(v) => doc.set_json(v),
            Err(whole) => {
                // JSON lines: each line one record (Zendesk's and others' bulk exports).
                let mut items = Vec::new();
                for (i, line) in text.split(|&b| b == b'\n').enumerate() {
                    if line.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    match serde_json::from_slice::<Value>(line) {
                        Ok(v) => items.push(v),
                        Err(e) => doc
                            .bad_lines
                            .push((i + 1, Error::from_json(&e, i).to_string())),
                    }
                }
                if items.is_empty() || doc.bad_lines.len() > items.len() {
                    doc.bad_lines.clear();
                    doc.body = Body::Unreadable(
                        match serde_json::from_slice::<serde::de::IgnoredAny>(text) {
                            Err(e) => Error::from_json(&e, 0),
                            // Well-formed, yet no tree could be built: too deeply nested.
                            Ok(_) => Error::from_json(&whole, 0),
                        },
                    );
                } else {
                    doc.set_json(Value::Array(items));
                }
            }
        }
        doc
    }

    fn set_json(&mut self, v: Value) {
        // A recorded API response: {request_uri, recorded_at, status, body}.
        if let Value::Object(o) = &v {
            if o.contains_key("request_uri") && o.contains_key("body") {
                let Value::Object(mut o) = v else {
                    unreachable!()
                };
                self.uri = o
                    .get("request_uri")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let status = o.get("status").and_then(Value::as_i64).unwrap_or(200);
                self.body = if (200..300).contains(&status) {
                    Body::Json(o.remove("body").unwrap_or(Value::Null))
                } else {
                    Body::Failed(status)
                };
                return;
            }
        }
        self.body = Body::Json(v);
    }

    /// The JSON body, if any.
    pub fn json(&self) -> Option<&Value> {
        match &self.body {
            Body::Json(v) => Some(v),
            _ => None,
        }
    }

    /// The CSV table, if any.
    pub fn csv(&self) -> Option<&CsvTable> {
        match &self.body {
            Body::Csv(t) => Some(t),
            _ => None,
        }
    }

    /// The number following `segment` in the URI or file name (`tickets/4/comments`,
    /// `015_tickets_4_comments.json` → 4 for `tickets`).
    pub fn id_after(&self, segment: &str) -> Option<String> {
        for hay in [&self.uri, &self.name] {
            let lower = hay.to_ascii_lowercase();
            let mut from = 0;
            while let Some(p) = lower[from..].find(segment) {
                let rest = &lower[from + p + segment.len()..];
                let rest = rest.trim_start_matches(['/', '_', '-', '.']);
                let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                if !digits.is_empty() {
                    return Some(digits);
                }
                from += p + segment.len();
            }
        }
        None
    }

    /// True when the URI or file name mentions `word`.
    pub fn mentions(&self, word: &str) -> bool {
        self.uri.to_ascii_lowercase().contains(word)
            || self.name.to_ascii_lowercase().contains(word)
    }
}

// ---------------------------------------------------------------------------------------
// Small helpers shared by the adapters.

/// `v[path]` along a dotted path; `null` counts as absent.
pub(crate) fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// A string or number as trimmed, non-empty text (ids are numbers in some APIs, strings in
/// others; both read the same).
pub(crate) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The objects of an array (other elements skipped).
pub(crate) fn objects(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|x| x.is_object())
}

/// A JSON value as a [`Loose`], owned.
pub(crate) fn loose(v: Option<&Value>) -> Loose<'static> {
    match v {
        None => Loose::Absent,
        Some(Value::Null) => Loose::Null,
        Some(Value::Bool(b)) => Loose::Bool(*b),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Loose::Int(i),
            None => Loose::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(Value::String(s)) => Loose::Str(Cow::Owned(s.clone())),
        Some(Value::Array(_)) => Loose::Array,
        Some(Value::Object(_)) => Loose::Object,
    }
}

/// Text as a [`Loose`] string.
pub(crate) fn ls(s: impl Into<String>) -> Loose<'static> {
    Loose::Str(Cow::Owned(s.into()))
}

/// Optional text as a [`Loose`] (absent when `None`).
pub(crate) fn lo(s: Option<String>) -> Loose<'static> {
    s.map_or(Loose::Absent, ls)
}

/// A timestamp that uses 0 for "never" (Chatwoot's `first_reply_created_at`, Unix times in
/// several APIs): 0 and negative numbers read as absent, everything else as given.
pub(crate) fn stamp_or_zero(v: Option<&Value>) -> Loose<'static> {
    match v {
        Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f <= 0.0) => Loose::Absent,
        other => loose(other),
    }
}

/// A person with an id and a display name.
pub(crate) fn person(id: Option<String>, name: Option<String>) -> PersonRef<'static> {
    PersonRef {
        id: lo(id),
        name: lo(name),
        ..Default::default()
    }
}

/// One conversation message.
pub(crate) fn message(
    at: Loose<'static>,
    author: &'static str,
    public: bool,
    agent: Option<String>,
) -> Nested<RawMessage<'static>> {
    Nested::Value(RawMessage {
        at,
        author: ls(author),
        public: Loose::Bool(public),
        agent: lo(agent),
    })
}

/// One status change.
pub(crate) fn status_change(at: Loose<'static>, status: &str) -> Nested<RawStatusChange<'static>> {
    Nested::Value(RawStatusChange {
        at,
        status: ls(status),
    })
}

/// A satisfaction answer on a numeric scale.
pub(crate) fn rating_score(
    score: f64,
    scale: f64,
    comment: Option<String>,
) -> RawSatisfaction<'static> {
    RawSatisfaction {
        score: Loose::Float(score),
        scale: Loose::Float(scale),
        comment: lo(comment),
        ..Default::default()
    }
}

/// A good/bad satisfaction answer.
pub(crate) fn rating_word(good: bool, comment: Option<String>) -> RawSatisfaction<'static> {
    RawSatisfaction {
        rating: ls(if good { "good" } else { "bad" }),
        comment: lo(comment),
        ..Default::default()
    }
}

/// Seconds of a timestamp value, for ordering versions of a record (naive times read as UTC:
/// only the order matters here).
pub(crate) fn seconds(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_f64().map(time::epoch_to_seconds),
        Value::String(s) => match time::parse_str(s).ok()? {
            time::Stamp::Utc(t) | time::Stamp::Local(t) => Some(t),
        },
        _ => None,
    }
}

/// Keeps one version per id: the one with the latest `updated` (ties: the later one). Returns
/// the kept items in first-seen order and the ids of the versions dropped.
pub(crate) fn dedupe<T>(items: Vec<(String, Option<i64>, T)>) -> (Vec<(String, T)>, Vec<String>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<(String, Option<i64>, T)> = Vec::new();
    let mut dropped = Vec::new();
    for (id, updated, item) in items {
        match index.get(&id) {
            Some(&i) => {
                dropped.push(id.clone());
                if updated >= kept[i].1 {
                    kept[i] = (id, updated, item);
                }
            }
            None => {
                index.insert(id.clone(), kept.len());
                kept.push((id, updated, item));
            }
        }
    }
    (
        kept.into_iter().map(|(id, _, t)| (id, t)).collect(),
        dropped,
    )
}

/// Counts the versions dropped by [`dedupe`] under one warning.
pub(crate) fn warn_duplicates(b: &mut Builder, what: &str, dropped: &[String]) {
    for id in dropped {
        b.warn(
            format!(
                "the same {what} appeared more than once (overlapping pages or files): the most \
                 recently updated version was kept"
            ),
            format!("{what} {}", time::quote(id)),
            false,
        );
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Twitter's `Wed Oct 11 06:55:44 +0000 2017` and RFC 2822's `Wed, 11 Oct 2017 06:55:44
/// +0000` (or `GMT`) as an ISO 8601 string with its offset.
pub(crate) fn twitter_or_rfc2822(v: &str) -> Option<String> {
    let tokens: Vec<&str> = v.split([' ', ',']).filter(|t| !t.is_empty()).collect();
    let month = |t: &str| {
        let l = t.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| l.starts_with(m))
            .map(|p| p as u32 + 1)
    };
    let (day, mon, year, clock, zone) = match tokens[..] {
        // Twitter: dow mon day time zone year
        [_, mon, day, clock, zone, year] if month(mon).is_some() => (day, mon, year, clock, zone),
        // RFC 2822: [dow,] day mon year time zone
        [_, day, mon, year, clock, zone] | [day, mon, year, clock, zone] => {
            (day, mon, year, clock, zone)
        }
        _ => return None,
    };
    let m = month(mon)?;
    let d: u32 = day.parse().ok()?;
    let y: u32 = year.parse().ok()?;
    let offset = match zone {
        "GMT" | "UTC" | "UT" | "Z" => "Z".to_string(),
        z if z.len() == 5 && z.starts_with(['+', '-']) => z.to_string(),
        _ => return None,
    };
    let iso = format!("{y:04}-{m:02}-{d:02}T{clock}{offset}");
    time::parse_str(&iso).is_ok().then_some(iso)
}

/// Normalises a status word of a generic source (CSV, GitHub labels) to the canonical names,
/// leaving unknown words as they are (the builder warns about them).
pub(crate) fn status_word(s: &str) -> String {
    let l = s.trim().to_ascii_lowercase();
    if let Some(st) = crate::store::Status::parse(&l) {
        return st.name().to_string();
    }
    let has = |w: &str| l.contains(w);
    let canon = if has("deleted") || has("spam") || has("trash") {
        "deleted"
    } else if has("hold") || has("third party") {
        "on_hold"
    } else if has("pending") || has("waiting") || has("awaiting") {
        "pending"
    } else if has("resolved") || has("solved") || has("done") || has("complete") {
        "solved"
    } else if has("closed") {
        "closed"
    } else if has("progress") || has("open") || has("reopen") || has("assigned") {
        "open"
    } else if has("new") || has("unassigned") {
        "new"
    } else {
        return s.trim().to_string();
    };
    canon.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_keys_are_found_where_they_stand() {
        assert!(VENDOR_KEYS.iter().all(|k| k.starts_with('"')));
        for k in VENDOR_KEYS {
            let text = format!("[{{\"id\": 1, {k}: 2}}]");
            assert_eq!(sniff(text.as_bytes()), Sniff::Vendor, "{k}");
        }
        assert_eq!(sniff(b"[{\"id\": \"vi\", \"a\": 1}]"), Sniff::Canonical);
    }

    #[test]
    fn ids_from_uris_and_names() {
        let d = Doc {
            index: 0,
            name: "015_tickets_4_comments.json".into(),
            uri: "<X>/tickets/4/comments".into(),
            body: Body::Skip,
            bad_lines: vec![],
        };
        assert_eq!(d.id_after("tickets"), Some("4".into()));
        let d = Doc {
            uri: "019_tickets_12_conversations.json".into(),
            name: "019_tickets_12_conversations.json".into(),
            ..d
        };
        assert_eq!(d.id_after("tickets"), Some("12".into()));
    }

    #[test]
    fn format_override_names() {
        assert_eq!(
            Format::parse("Help Scout").unwrap(),
            Some(Format::HelpScout)
        );
        assert_eq!(Format::parse("auto").unwrap(), None);
        assert_eq!(Format::parse("JSM").unwrap(), Some(Format::Jira));
        assert!(Format::parse("salesforce")
            .unwrap_err()
            .to_string()
            .starts_with("unknown import format \"salesforce\": expected auto or one of"));
    }

    #[test]
    fn twitter_and_mail_dates() {
        assert_eq!(
            twitter_or_rfc2822("Wed Oct 11 06:55:44 +0000 2017").as_deref(),
            Some("2017-10-11T06:55:44+0000")
        );
        assert_eq!(
            twitter_or_rfc2822("Fri, 20 Aug 2021 11:21:03 GMT").as_deref(),
            Some("2021-08-20T11:21:03Z")
        );
        assert_eq!(twitter_or_rfc2822("yesterday"), None);
    }

    #[test]
    fn generic_status_words() {
        assert_eq!(status_word("Pending Customer Response"), "pending");
        assert_eq!(status_word("Closed"), "closed");
        assert_eq!(status_word("Waiting on Third Party"), "on_hold");
        assert_eq!(status_word("Escalated"), "Escalated");
    }
}

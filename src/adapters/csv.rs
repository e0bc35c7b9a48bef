//! CSV: an RFC 4180 reader (quotes, doubled quotes, newlines inside quotes, CRLF, BOM, `,` `;`
//! or tab delimiter) and the generic adapter that maps columns to canonical fields by their
//! names ("Ticket ID", "Created At", "Ticket Channel", "Customer Satisfaction Rating"…).
//!
//! The mapping is reported back (`ImportReport.csv`) so the page can show it and let the user
//! change it; a changed mapping comes back as `IngestOptions.csv_mapping`. Columns are judged
//! by their values too: a "First Response Time" column of datetimes is a first-reply instant,
//! one of numbers with a unit in its name ("… in minutes", "(in hrs)") a duration from creation.

use super::{
    lo, ls, person, rating_score, rating_word, status_word, Body, Class, Ctx, Doc, Format,
};
use crate::error::{Error, Result};
use crate::ingest::{Builder, CsvInfo, IngestOptions};
use crate::raw::{Loose, Nested, RawQueue, RawSatisfaction, RawTicket};
use crate::time::{self, Stamp};
use std::collections::BTreeMap;

/// A parsed CSV file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvTable {
    /// The delimiter used.
    pub delimiter: u8,
    /// The header row.
    pub header: Vec<String>,
    /// Data rows (each as many fields as it had).
    pub rows: Vec<Vec<String>>,
    /// 1-based line on which each row starts.
    pub lines: Vec<usize>,
}

impl CsvTable {
    /// Index of a column by its exact name.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The value of `col` in `row` (empty when the row is short).
    pub fn cell<'a>(&'a self, row: &'a [String], col: usize) -> &'a str {
        row.get(col).map_or("", |s| s.as_str())
    }
}

/// Parses CSV text with a header row. The delimiter is the one of `,` `;` tab that occurs most
/// often in the header line (outside quotes).
pub fn parse_csv(bytes: &[u8]) -> std::result::Result<CsvTable, String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let upto = &bytes[..e.valid_up_to()];
            let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(format!(
                "the file is not valid UTF-8 text: invalid byte on line {line} (save or export \
                 it as UTF-8)"
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = detect_delimiter(text);
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let mut field = String::new();
    let mut record: Vec<String> = Vec::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut quoted = false;
    let mut quote_line = 0;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                quote_line = line;
                at_field_start = false;
            }
            c if c as u32 == delimiter as u32 => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                record.push(std::mem::take(&mut field));
                if !(record.len() == 1 && record[0].trim().is_empty()) {
                    records.push(std::mem::take(&mut record));
                    lines.push(record_line);
                } else {
                    record.clear();
                }
                line += 1;
                record_line = line;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(format!(
            "not valid CSV: a quoted field opened on line {quote_line} is never closed"
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        if !(record.len() == 1 && record[0].trim().is_empty()) {
            records.push(record);
            lines.push(record_line);
        }
    }
    if records.is_empty() {
        return Err("the file is empty: expected a header row".into());
    }
    let header: Vec<String> = records
        .remove(0)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    lines.remove(0);
    Ok(CsvTable {
        delimiter,
        header,
        rows: records,
        lines,
    })
}

fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            _ if !quoted => {
                for (d, n) in counts.iter_mut() {
                    if c as u32 == *d as u32 {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map_or(b',', |(d, _)| *d)
}

/// Every CSV with a header of two or more columns is a candidate ticket table.
pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let t = d.csv()?;
    (t.header.len() >= 2).then_some(())?;
    Class::tickets(Format::Csv, "tickets (CSV with a header row)", t.rows.len())
}

/// The fields a column can be mapped to, with the column names (normalised: lower case,
/// letters and digits only) that map to each, most specific first.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "id",
            "ticketid",
            "ticketnumber",
            "ticketno",
            "ticket",
            "caseid",
            "casenumber",
            "conversationid",
            "issueid",
            "issuekey",
            "key",
            "requestid",
            "incidentid",
            "number",
            "reference",
        ],
    ),
    (
        "created_at",
        &[
            "createdat",
            "created",
            "createdon",
            "createddate",
            "createdtime",
            "creationdate",
            "creationtime",
            "datecreated",
            "timecreated",
            "opened",
            "openedat",
            "openeddate",
            "openedon",
            "submittedat",
            "submitted",
            "submitdate",
            "reportedat",
            "reporteddate",
            "ticketcreated",
            "ticketcreatedat",
            "ticketcreationdate",
            "requestdate",
            "createdatutc",
        ],
    ),
    (
        "channel",
        &[
            "channel",
            "ticketchannel",
            "source",
            "ticketsource",
            "via",
            "viachannel",
            "medium",
            "origin",
            "contactchannel",
            "contactmethod",
        ],
    ),
    (
        "status",
        &["status", "ticketstatus", "state", "ticketstate"],
    ),
    (
        "priority",
        &["priority", "ticketpriority", "severity", "urgency"],
    ),
    (
        "assignee",
        &[
            "assignee",
            "assigneeid",
            "assigneename",
            "assignedto",
            "agent",
            "agentname",
            "agentid",
            "owner",
            "ownername",
            "responder",
            "responderid",
            "handler",
        ],
    ),
    (
        "team",
        &[
            "team",
            "teamname",
            "group",
            "groupname",
            "assignedgroup",
            "queue",
            "department",
            "mailbox",
            "inbox",
        ],
    ),
    (
        "requester",
        // Ids and e-mail addresses identify a customer; names come after them.
        &[
            "requesterid",
            "requesteremail",
            "requester",
            "customeremail",
            "customerid",
            "contactemail",
            "contactid",
            "customer",
            "requestername",
            "customername",
            "contact",
            "email",
            "client",
            "clientid",
            "userid",
            "user",
            "reporter",
        ],
    ),
    (
        "requester.tier",
        &[
            "tier",
            "customertier",
            "segment",
            "customersegment",
            "plan",
            "customerplan",
            "accounttier",
        ],
    ),
    ("tags", &["tags", "labels", "tag", "label"]),
    (
        "subject",
        &["subject", "ticketsubject", "title", "summary", "topic"],
    ),
    (
        "language",
        &["language", "locale", "lang", "ticketlanguage"],
    ),
    (
        "first_reply_at",
        &[
            "firstreplyat",
            "firstresponseat",
            "firstrepliedat",
            "firstrespondedat",
            "firstresponsedate",
            "firstreplydate",
            "initialresponsetime",
            "firstresponsetime",
            "firstreplytime",
            "timetofirstresponse",
            "timetofirstreply",
            "frt",
        ],
    ),
    (
        "first_solved_at",
        &[
            "firstsolvedat",
            "firstresolvedat",
            "firstresolutionat",
            "firstresolutiondate",
            "firstresolutiontime",
        ],
    ),
    (
        "solved_at",
        &[
            "solvedat",
            "resolvedat",
            "resolvedtime",
            "resolveddate",
            "resolvedon",
            "resolutiondate",
            "solveddate",
            "solvedon",
            "dateresolved",
            "resolved",
            "solved",
            "timetoresolution",
            "resolutiontime",
            "fullresolutiontime",
            "timetoresolve",
        ],
    ),
    (
        "closed_at",
        &[
            "closedat",
            "closedtime",
            "closeddate",
            "closedon",
            "dateclosed",
            "closed",
            "closetime",
        ],
    ),
    (
        "reopens",
        &[
            "reopens",
            "reopencount",
            "reopened",
            "timesreopened",
            "numberofreopens",
        ],
    ),
    (
        "agent_replies",
        &[
            "agentreplies",
            "replies",
            "replycount",
            "numberofreplies",
            "agentinteractions",
            "agentresponses",
        ],
    ),
    ("escalated", &["escalated", "isescalated", "escalation"]),
    ("complaint", &["complaint", "iscomplaint"]),
    (
        "satisfaction",
        &[
            "satisfaction",
            "satisfactionscore",
            "satisfactionrating",
            "customersatisfactionrating",
            "customersatisfaction",
            "csat",
            "csatscore",
            "csatrating",
            "rating",
            "surveyresults",
            "surveyresult",
        ],
    ),
    (
        "satisfaction.comment",
        &[
            "satisfactioncomment",
            "csatcomment",
            "feedback",
            "feedbackcomment",
            "ratingcomment",
            "surveycomment",
            "customerfeedback",
        ],
    ),
    ("nps", &["nps", "npsscore", "netpromoterscore"]),
    (
        "effort",
        &[
            "ces",
            "cesscore",
            "effort",
            "effortscore",
            "customereffortscore",
        ],
    ),
    (
        "queue.wait_seconds",
        &[
            "waitseconds",
            "queuewaitseconds",
            "waittime",
            "queuewait",
            "queuetime",
            "timeinqueue",
            "speedofanswer",
        ],
    ),
    ("queue.abandoned", &["abandoned", "isabandoned"]),
    (
        "queue.handle_seconds",
        &[
            "handleseconds",
            "handletime",
            "handlingtime",
            "aht",
            "talktime",
        ],
    ),
    ("converted", &["converted", "conversion", "purchased"]),
    (
        "order_value",
        &[
            "ordervalue",
            "orderamount",
            "ordertotal",
            "revenue",
            "purchaseamount",
        ],
    ),
];

/// Fields whose instant is measured from creation.
const FROM_CREATION: &[&str] = &[
    "first_reply_at",
    "first_solved_at",
    "solved_at",
    "closed_at",
];

/// Unit words that may end a duration column's name, with their length in seconds.
const UNITS: &[(&str, i64)] = &[
    ("inminutes", 60),
    ("minutes", 60),
    ("inmins", 60),
    ("mins", 60),
    ("inmin", 60),
    ("min", 60),
    ("inhours", 3600),
    ("hours", 3600),
    ("inhrs", 3600),
    ("hrs", 3600),
    ("inhour", 3600),
    ("hour", 3600),
    ("inh", 3600),
    ("inseconds", 1),
    ("seconds", 1),
    ("insecs", 1),
    ("secs", 1),
    ("insec", 1),
    ("sec", 1),
    ("indays", 86_400),
    ("days", 86_400),
];

fn normalise(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a column name maps to, with the synonym's rank and the unit its name states. A
/// name that matches nothing is tried again without its parenthesised parts ("CSAT (0-10)",
/// "Opened (UTC)"), whose unit, if any, still counts ("Handle time (sec)").
fn match_column(name: &str) -> Option<(&'static str, usize, Option<i64>)> {
    match_normalised(&normalise(name)).or_else(|| {
        let (bare, inner) = split_parens(name);
        let unit = UNITS
            .iter()
            .find(|(u, _)| normalise(&inner) == *u || normalise(&inner) == format!("in{u}"))
            .map(|(_, s)| *s);
        let (field, rank, own) = match_normalised(&normalise(&bare))?;
        Some((field, rank, own.or(unit)))
    })
}

/// `"CSAT (0-10)"` → (`"CSAT "`, `"0-10"`).
fn split_parens(name: &str) -> (String, String) {
    let mut bare = String::new();
    let mut inner = String::new();
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ if depth > 0 => inner.push(c),
            _ => bare.push(c),
        }
    }
    (bare, inner)
}

fn match_normalised(n: &str) -> Option<(&'static str, usize, Option<i64>)> {
    let n = n.to_string();
    // Business-hours durations are the vendor's own calendar; the widget computes business
    // time itself from calendar instants, so these columns are never mapped.
    if n.contains("business") {
        return None;
    }
    let (stem, unit) = UNITS
        .iter()
        .find(|(u, _)| n.len() > u.len() && n.ends_with(u))
        .map_or((n.as_str(), None), |(u, s)| {
            (&n[..n.len() - u.len()], Some(*s))
        });
    for (field, names) in SYNONYMS {
        if let Some(rank) = names
            .iter()
            .position(|s| *s == n || (unit.is_some() && *s == stem))
        {
            return Some((field, rank, unit));
        }
    }
    None
}

/// How a time column's values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeMode {
    /// Instants (with `day_first` for `dd/mm/yyyy` dates).
    Instant { day_first: bool },
    /// Durations since creation, in units of this many seconds (`HH:MM:SS` read as seconds).
    Duration(i64),
    /// Not readable as either.
    Neither,
}

/// The mapping in force: field → column index, plus how time columns read.
struct Mapping {
    cols: BTreeMap<&'static str, usize>,
    modes: BTreeMap<&'static str, TimeMode>,
    sat_scale: f64,
    notes: Vec<String>,
    stand_in: Option<String>,
}

fn field_key(f: &str) -> Option<&'static str> {
    SYNONYMS.iter().map(|(k, _)| *k).find(|k| *k == f)
}

fn auto_mapping(t: &CsvTable) -> (BTreeMap<&'static str, usize>, BTreeMap<usize, i64>) {
    let mut best: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let mut units = BTreeMap::new();
    for (i, h) in t.header.iter().enumerate() {
        if let Some((field, rank, unit)) = match_column(h) {
            if let Some(u) = unit {
                units.insert(i, u);
            }
            match best.get(field) {
                Some(&(r, _)) if r <= rank => {}
                _ => {
                    best.insert(field, (rank, i));
                }
            }
        }
    }
    // Inserted one by one: `collect()` into a map would compile one more sort (code size).
    let mut cols = BTreeMap::new();
    for (f, (_, i)) in best {
        cols.insert(f, i);
    }
    (cols, units)
}

pub(crate) fn build(
    docs: &[(&Doc, &Class)],
    b: &mut Builder,
    ctx: &mut Ctx,
    opts: &IngestOptions,
) -> Result<()> {
    let mut first = true;
    for (doc, _) in docs {
        let Body::Csv(t) = &doc.body else { continue };
        let m = mapping(t, opts.csv_mapping.as_ref())?;
        if first {
            ctx.label = Some(format!(
                "CSV ({} delimited, {} columns)",
                delimiter_name(t.delimiter),
                t.header.len()
            ));
            let mut mapping = BTreeMap::new();
            for (f, &i) in &m.cols {
                mapping.insert(f.to_string(), t.header[i].clone());
            }
            if let Some(col) = &m.stand_in {
                mapping.insert("created_at".into(), col.clone());
            }
            let used: Vec<usize> = m.cols.values().copied().collect();
            ctx.csv = Some(CsvInfo {
                delimiter: delimiter_name(t.delimiter).into(),
                columns: t.header.clone(),
                mapping,
                unmapped: t
                    .header
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !used.contains(i))
                    .map(|(_, h)| h.clone())
                    .collect(),
                fields: SYNONYMS.iter().map(|(k, _)| k.to_string()).collect(),
                notes: m.notes.clone(),
            });
            first = false;
        } else {
            ctx.note(doc, "read with its own header's mapping".into());
        }
        if let Some(col) = &m.stand_in {
            b.warn(
                format!(
                    "no creation-time column: tickets are dated by {} instead; first response \
                     and resolution times are not measured (map a creation-time column to \
                     measure them)",
                    time::quote(col)
                ),
                format!("column {}", time::quote(col)),
                false,
            );
        }
        push_rows(t, &m, b);
    }
    let dated_by_stand_in = ctx.csv.as_ref().is_some_and(|c| {
        c.notes
            .iter()
            .any(|n| n.starts_with("no creation-time column"))
    });
    let (reply_hint, solved_hint) = if dated_by_stand_in {
        (
            "map a creation-time column: without one, reply times cannot be measured",
            "map a creation-time column: without one, resolution times cannot be measured",
        )
    } else {
        (
            "map a first-reply column (e.g. \"First reply at\")",
            "map a solved-at column (e.g. \"Resolved at\")",
        )
    };
    ctx.hints = vec![
        ("first_reply_at", reply_hint),
        ("solved_at", solved_hint),
        ("channel", "map a channel column (e.g. \"Channel\")"),
        ("satisfaction", "map a satisfaction column (e.g. \"CSAT\")"),
        ("assignee", "map an agent column (e.g. \"Assignee\")"),
    ];
    Ok(())
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

fn mapping(t: &CsvTable, user: Option<&BTreeMap<String, String>>) -> Result<Mapping> {
    let (mut cols, units) = auto_mapping(t);
    let mut notes = Vec::new();
    let mut user_created = false;
    if let Some(user) = user {
        for (field, column) in user {
            let Some(key) = field_key(field.trim()) else {
                notes.push(format!(
                    "mapping for unknown field {} ignored",
                    time::quote(field)
                ));
                continue;
            };
            if column.trim().is_empty() {
                cols.remove(key);
                continue;
            }
            match t
                .header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(column.trim()))
            {
                Some(i) => {
                    // A column serves one field: the user's choice wins over the automatic one.
                    cols.retain(|_, c| *c != i);
                    cols.insert(key, i);
                    user_created |= key == "created_at";
                }
                None => notes.push(format!(
                    "mapping {key} → {} ignored: no such column",
                    time::quote(column)
                )),
            }
        }
    }
    let mut modes = BTreeMap::new();
    for f in std::iter::once("created_at").chain(FROM_CREATION.iter().copied()) {
        if let Some(&i) = cols.get(f) {
            let mode = time_mode(t, i, units.get(&i).copied());
            match mode {
                TimeMode::Neither => {
                    notes.push(format!(
                        "column {} is not read as {f}: its values are neither dates nor \
                         durations with a unit",
                        time::quote(&t.header[i])
                    ));
                    cols.remove(f);
                }
                TimeMode::Duration(_) if f == "created_at" => {
                    notes.push(format!(
                        "column {} holds durations, not dates: not read as created_at",
                        time::quote(&t.header[i])
                    ));
                    cols.remove(f);
                }
                TimeMode::Duration(unit) => {
                    notes.push(format!(
                        "column {} read as a duration since creation, in {}",
                        time::quote(&t.header[i]),
                        unit_name(unit)
                    ));
                    modes.insert(f, mode);
                }
                TimeMode::Instant { day_first } => {
                    if day_first {
                        notes.push(format!(
                            "column {} read as day/month/year",
                            time::quote(&t.header[i])
                        ));
                    }
                    modes.insert(f, mode);
                }
            }
        }
    }
    let mut stand_in = None;
    if !cols.contains_key("created_at") && !user_created {
        // No creation time: date the tickets by the first instant column there is, and stop
        // measuring anything from creation (it would be measured from the wrong origin).
        let candidate = FROM_CREATION.iter().find_map(|f| {
            let i = *cols.get(f)?;
            matches!(modes.get(f), Some(TimeMode::Instant { .. })).then_some((*f, i))
        });
        let Some((from, i)) = candidate else {
            return Err(Error::Shape(format!(
                "this CSV has no column with the tickets' creation time (columns: {}): expected \
                 a column such as \"Created at\"; map one in the column mapping",
                list(&t.header)
            )));
        };
        let mode = modes[from];
        for f in FROM_CREATION {
            cols.remove(f);
            modes.remove(f);
        }
        cols.insert("created_at", i);
        modes.insert("created_at", mode);
        stand_in = Some(t.header[i].clone());
        notes.push(format!(
            "no creation-time column: {} (read as {from}) dates the tickets instead",
            time::quote(&t.header[i])
        ));
    }
    if !cols.contains_key("created_at") && stand_in.is_none() {
        return Err(Error::Shape(format!(
            "this CSV has no column with the tickets' creation time (columns: {}): expected a \
             column such as \"Created at\"; map one in the column mapping",
            list(&t.header)
        )));
    }
    let sat_scale = cols
        .get("satisfaction")
        .map_or(5.0, |&i| satisfaction_scale(t, i));
    Ok(Mapping {
        cols,
        modes,
        sat_scale,
        notes,
        stand_in,
    })
}

fn list(cols: &[String]) -> String {
    let shown: Vec<String> = cols.iter().take(12).map(|c| time::quote(c)).collect();
    let more = if cols.len() > 12 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

fn unit_name(u: i64) -> &'static str {
    match u {
        1 => "seconds",
        60 => "minutes",
        3600 => "hours",
        _ => "days",
    }
}

/// Looks at up to 200 values of a time column and decides how they read.
fn time_mode(t: &CsvTable, col: usize, unit: Option<i64>) -> TimeMode {
    let values: Vec<&str> = t
        .rows
        .iter()
        .map(|r| t.cell(r, col).trim())
        .filter(|v| !v.is_empty())
        .take(200)
        .collect();
    if values.is_empty() {
        return match unit {
            Some(u) => TimeMode::Duration(u),
            None => TimeMode::Instant { day_first: false },
        };
    }
    let day_first = slash_order(&values);
    let instants = values
        .iter()
        .filter(|v| normalise_instant(v, day_first).is_some())
        .count();
    let durations = values
        .iter()
        .filter(|v| duration_units(v, unit.unwrap_or(1)).is_some())
        .count();
    if unit.is_none() && instants * 2 > values.len() {
        TimeMode::Instant { day_first }
    } else if durations * 2 > values.len()
        && (unit.is_some() || values.iter().all(|v| v.contains(':')))
    {
        TimeMode::Duration(unit.unwrap_or(1))
    } else if instants * 2 > values.len() {
        TimeMode::Instant { day_first }
    } else {
        TimeMode::Neither
    }
}

/// For `a/b/yyyy` dates: true when some `a` exceeds 12 (day first), false otherwise (month
/// first, the US spreadsheet default).
fn slash_order(values: &[&str]) -> bool {
    values.iter().any(|v| {
        let mut parts = v.split(['/', ' ']);
        let a: Option<u32> = parts.next().and_then(|p| p.parse().ok());
        let b: Option<u32> = parts.next().and_then(|p| p.parse().ok());
        v.contains('/') && matches!((a, b), (Some(a), Some(b)) if a > 12 && b <= 12)
    })
}

/// A duration value in seconds: a number in `unit`s, or `[H]H:MM[:SS]`.
fn duration_units(v: &str, unit: i64) -> Option<i64> {
    let v = v.trim();
    if v.contains(':') {
        let parts: Vec<&str> = v.split(':').collect();
        let nums: Option<Vec<i64>> = parts.iter().map(|p| p.trim().parse::<i64>().ok()).collect();
        // Checked: a corrupt cell must not overflow into a panic.
        let hm = |h: i64, m: i64| h.checked_mul(3600)?.checked_add(m.checked_mul(60)?);
        return match nums?.as_slice() {
            [h, m] if *h >= 0 && *m >= 0 => hm(*h, *m),
            [h, m, s] if *h >= 0 && *m >= 0 && *s >= 0 => hm(*h, *m)?.checked_add(*s),
            _ => None,
        };
    }
    let n: f64 = v.parse().ok()?;
    (n.is_finite() && n >= 0.0).then(|| (n * unit as f64).round() as i64)
}

/// A timestamp in one of the forms spreadsheets write, as an ISO string the builder reads
/// (keeping the offset when one is given; naive times stay naive).
pub(crate) fn normalise_instant(v: &str, day_first: bool) -> Option<String> {
    let v = v.trim();
    if time::parse_str(v).is_ok() {
        return Some(v.to_string());
    }
    if let Some(iso) = super::twitter_or_rfc2822(v) {
        return Some(iso);
    }
    // Date part: yyyy/mm/dd, dd.mm.yyyy, mm/dd/yyyy or dd/mm/yyyy.
    let (date, rest) = match v.find([' ', 'T']) {
        Some(p) => (&v[..p], v[p + 1..].trim()),
        None => (v, ""),
    };
    let nums: Vec<u32> = date
        .split(['/', '.', '-'])
        .map(|p| p.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    let [a, b, c] = nums[..] else { return None };
    let (y, m, d) = if date.contains('.') {
        (c, b, a)
    } else if a > 31 {
        (a, b, c)
    } else if day_first {
        (c, b, a)
    } else {
        (c, a, b)
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1000..=9999).contains(&y) {
        return None;
    }
    // Time part: HH:MM[:SS] [AM|PM].
    let mut clock = String::from("00:00:00");
    if !rest.is_empty() {
        let upper = rest.to_ascii_uppercase();
        let (hms, pm, am) = match upper
            .strip_suffix("PM")
            .or_else(|| upper.strip_suffix("AM"))
        {
            Some(t) => (
                t.trim().to_string(),
                upper.ends_with("PM"),
                upper.ends_with("AM"),
            ),
            None => (upper.clone(), false, false),
        };
        let parts: Vec<u32> = hms
            .split(':')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<Vec<u32>>>()?;
        let (mut h, mi, s) = match parts[..] {
            [h, mi] => (h, mi, 0),
            [h, mi, s] => (h, mi, s),
            _ => return None,
        };
        if pm && h < 12 {
            h += 12;
        }
        if am && h == 12 {
            h = 0;
        }
        if h > 23 || mi > 59 || s > 59 {
            return None;
        }
        clock = format!("{h:02}:{mi:02}:{s:02}");
    }
    let iso = format!("{y:04}-{m:02}-{d:02}T{clock}");
    time::parse_str(&iso).is_ok().then_some(iso)
}

/// The top of the satisfaction scale: the smallest of 5, 7, 10, 100 that holds every value.
fn satisfaction_scale(t: &CsvTable, col: usize) -> f64 {
    let max = t
        .rows
        .iter()
        .filter_map(|r| t.cell(r, col).trim().parse::<f64>().ok())
        .fold(0.0f64, f64::max);
    [5.0, 7.0, 10.0, 100.0]
        .into_iter()
        .find(|&s| max <= s)
        .unwrap_or(100.0)
}

fn push_rows(t: &CsvTable, m: &Mapping, b: &mut Builder) {
    let width = t.header.len();
    for (row, &line) in t.rows.iter().zip(&t.lines) {
        if row.len() != width {
            b.warn(
                format!("a row does not have {width} fields like the header: missing fields read as empty"),
                format!("line {line}: {} fields", row.len()),
                false,
            );
        }
        let cell = |f: &str| -> Option<&str> {
            let v = t.cell(row, *m.cols.get(f)?).trim();
            (!v.is_empty()).then_some(v)
        };
        let owned = |f: &str| cell(f).map(str::to_string);
        let created_raw = cell("created_at");
        if let (Some(col), None) = (&m.stand_in, created_raw) {
            // The stand-in column is empty on this row: nothing dates the ticket.
            let id = cell("id").unwrap_or("");
            b.skip_record(
                &format!(
                    "no {} (the column that dates the tickets): record skipped",
                    time::quote(col)
                ),
                format!("line {line} (id {})", time::quote(id)),
            );
            continue;
        }
        let created_mode = m
            .modes
            .get("created_at")
            .copied()
            .unwrap_or(TimeMode::Instant { day_first: false });
        let created = created_raw.map(|v| instant(v, created_mode));
        let created_stamp = created.as_ref().and_then(|c| match c {
            Loose::Str(s) => time::parse_str(s).ok(),
            _ => None,
        });
        let time_field = |f: &str| -> Loose<'static> {
            let Some(v) = cell(f) else {
                return Loose::Absent;
            };
            match m.modes.get(f) {
                Some(TimeMode::Duration(unit)) => match (duration_units(v, *unit), created_stamp) {
                    (Some(d), Some(Stamp::Utc(c))) => Loose::Int(c.saturating_add(d)),
                    (Some(d), Some(Stamp::Local(c))) => ls(naive_iso(c.saturating_add(d))),
                    _ => ls(v),
                },
                Some(mode) => instant(v, *mode),
                None => Loose::Absent,
            }
        };
        let tags = cell("tags").map(split_tags);
        let satisfaction = cell("satisfaction").and_then(|v| satisfaction(v, m.sat_scale));
        let satisfaction = match (satisfaction, owned("satisfaction.comment")) {
            (Some(mut s), comment) => {
                s.comment = lo(comment);
                Nested::Value(s)
            }
            (None, Some(comment)) => Nested::Value(RawSatisfaction {
                comment: ls(comment),
                offered: Loose::Bool(true),
                ..Default::default()
            }),
            (None, None) => Nested::Absent,
        };
        let queue = if [
            "queue.wait_seconds",
            "queue.abandoned",
            "queue.handle_seconds",
        ]
        .iter()
        .any(|f| cell(f).is_some())
        {
            Nested::Value(RawQueue {
                wait_seconds: seconds_field(cell("queue.wait_seconds"), t, "queue.wait_seconds"),
                abandoned: lo(owned("queue.abandoned")),
                handle_seconds: seconds_field(
                    cell("queue.handle_seconds"),
                    t,
                    "queue.handle_seconds",
                ),
            })
        } else {
            Nested::Absent
        };
        let raw = RawTicket {
            id: lo(owned("id")),
            created_at: created.unwrap_or(Loose::Absent),
            channel: lo(owned("channel").map(|c| c.to_lowercase())),
            status: lo(cell("status").map(status_word)),
            priority: lo(owned("priority")),
            assignee: person(owned("assignee"), None),
            team: lo(owned("team")),
            requester: crate::raw::PersonRef {
                id: lo(owned("requester")),
                tier: lo(owned("requester.tier")),
                ..Default::default()
            },
            tags: tags.map_or(Nested::Absent, |t| {
                Nested::Value(t.into_iter().map(ls).collect())
            }),
            subject: lo(owned("subject")),
            language: lo(owned("language")),
            first_reply_at: time_field("first_reply_at"),
            first_solved_at: time_field("first_solved_at"),
            solved_at: time_field("solved_at"),
            closed_at: time_field("closed_at"),
            reopens: lo(owned("reopens")),
            agent_replies: lo(owned("agent_replies")),
            escalated: lo(owned("escalated")),
            complaint: lo(owned("complaint")),
            satisfaction,
            nps: lo(owned("nps")),
            effort: lo(owned("effort")),
            queue,
            converted: lo(owned("converted")),
            order_value: lo(owned("order_value")),
            ..Default::default()
        };
        b.push(Nested::Value(raw));
    }
}

/// Queue times are seconds unless the column's name states another unit.
fn seconds_field(v: Option<&str>, t: &CsvTable, field: &str) -> Loose<'static> {
    let Some(v) = v else { return Loose::Absent };
    let unit = t
        .header
        .iter()
        .find(|h| match_column(h).is_some_and(|(f, _, _)| f == field))
        .and_then(|h| match_column(h).and_then(|(_, _, u)| u))
        .unwrap_or(1);
    match duration_units(v, unit) {
        Some(s) => Loose::Int(s),
        None => ls(v),
    }
}

fn instant(v: &str, mode: TimeMode) -> Loose<'static> {
    let day_first = matches!(mode, TimeMode::Instant { day_first: true });
    ls(normalise_instant(v, day_first).unwrap_or_else(|| v.to_string()))
}

fn naive_iso(local: i64) -> String {
    let (y, m, d) = time::civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

fn split_tags(v: &str) -> Vec<String> {
    let parts: Vec<&str> = if v.contains([',', ';', '|']) {
        v.split([',', ';', '|']).collect()
    } else {
        v.split_whitespace().collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// A satisfaction cell: a number on the column's scale, or a word (Zendesk's CSV writes
/// "Good", "Bad", "Offered", "Not Offered").
fn satisfaction(v: &str, scale: f64) -> Option<RawSatisfaction<'static>> {
    if let Ok(n) = v.parse::<f64>() {
        return Some(rating_score(n, scale, None));
    }
    let w = normalise(v);
    match w.as_str() {
        "good" | "goodwithcomment" | "satisfied" | "positive" | "happy" => {
            Some(rating_word(true, None))
        }
        "bad" | "badwithcomment" | "unsatisfied" | "dissatisfied" | "negative" | "unhappy" => {
            Some(rating_word(false, None))
        }
        "offered" => Some(RawSatisfaction {
            offered: Loose::Bool(true),
            ..Default::default()
        }),
        "notoffered" | "unoffered" | "none" | "na" => None,
        _ => Some(RawSatisfaction {
            rating: ls(v),
            score: ls(v),
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4180_quotes_newlines_bom_and_delimiters() {
        let t =
            parse_csv(b"\xEF\xBB\xBFid;note;x\r\n1;\"a;b\";\"say \"\"hi\"\"\nthere\"\r\n\r\n2;;z")
                .unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.header, vec!["id", "note", "x"]);
        assert_eq!(t.rows[0], vec!["1", "a;b", "say \"hi\"\nthere"]);
        assert_eq!(t.rows[1], vec!["2", "", "z"]);
        assert_eq!(t.lines, vec![2, 5]);
        let t = parse_csv(b"a\tb\n1\t2\n").unwrap();
        assert_eq!(t.delimiter, b'\t');
        assert_eq!(
            parse_csv(b"a,b\n\"1,2\n").unwrap_err(),
            "not valid CSV: a quoted field opened on line 2 is never closed"
        );
    }

    #[test]
    fn column_names_map_by_synonym_and_unit() {
        assert_eq!(match_column("Ticket ID").map(|m| m.0), Some("id"));
        assert_eq!(match_column("Created At").map(|m| m.0), Some("created_at"));
        assert_eq!(match_column("Ticket Channel").map(|m| m.0), Some("channel"));
        assert_eq!(
            match_column("Customer Satisfaction Rating").map(|m| m.0),
            Some("satisfaction")
        );
        assert_eq!(
            match_column("First reply time in minutes"),
            Some(("first_reply_at", 8, Some(60)))
        );
        assert_eq!(
            match_column("First response time (in hrs)").map(|m| (m.0, m.2)),
            Some(("first_reply_at", Some(3600)))
        );
        assert_eq!(
            match_column("First reply time in minutes within business hours"),
            None
        );
    }

    #[test]
    fn instants_in_spreadsheet_forms() {
        assert_eq!(
            normalise_instant("13/03/2026 14:05", true).as_deref(),
            Some("2026-03-13T14:05:00")
        );
        assert_eq!(
            normalise_instant("3/13/2026 2:05 PM", false).as_deref(),
            Some("2026-03-13T14:05:00")
        );
        assert_eq!(
            normalise_instant("13.03.2026", false).as_deref(),
            Some("2026-03-13T00:00:00")
        );
        assert_eq!(
            normalise_instant("2026-03-13 14:05:00", false).as_deref(),
            Some("2026-03-13 14:05:00")
        );
        assert_eq!(normalise_instant("soon", false), None);
        assert_eq!(duration_units("1:30:00", 1), Some(5400));
        assert_eq!(duration_units("2.5", 3600), Some(9000));
    }
}

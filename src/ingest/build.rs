//! Validation of lenient records into the columnar store, with counted warnings.

use super::envelope::{parse_weekday, DatasetMeta, RawDataset};
use super::support::{kpi_support, CsvInfo, KpiSupport, SourceFile};
use super::wire::{Reader, Wire};
use super::{Dataset, IngestOptions};
use crate::error::{Error, Result};
use crate::raw::{Loose, Nested, PersonRef, RawTicket};
use crate::store::{
    AgentInfo, FastHasher, FastMap, Message, Rating, Role, Status, TicketStore, NONE,
};
use crate::time::{self, Seconds, Stamp, EARLIEST, LATEST, NO_TIME};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::Hasher;

/// The canonical fields counted in the import report, in the order `push_ticket` checks them.
const FIELD_NAMES: [&str; 26] = [
    "id",
    "created_at",
    "channel",
    "status",
    "priority",
    "assignee",
    "team",
    "requester",
    "requester.tier",
    "tags",
    "first_reply_at",
    "first_solved_at",
    "solved_at",
    "closed_at",
    "reopens",
    "agent_replies",
    "escalated",
    "complaint",
    "messages",
    "status_history",
    "satisfaction",
    "nps",
    "effort",
    "queue",
    "converted",
    "order_value",
];

/// How many examples each warning keeps.
const EXAMPLES: usize = 5;

const DUPLICATE_ID: &str = "duplicate \"id\": the later record replaced the earlier one";

/// Marks the bytes of a part ([`Builder::part_to_bytes`]).
const PART_TAG: u64 = u64::from_le_bytes(*b"tkpart01");

/// `example` with its record number moved on by `offset` records: every example a record
/// gives starts with `record N` (see [`At::example`] and [`Builder::push_repeating`]).
fn renumber(example: &str, offset: usize) -> String {
    let Some(rest) = example.strip_prefix("record ") else {
        return example.to_string();
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    match rest[..digits].parse::<usize>() {
        Ok(n) => format!("record {}{}", n + offset, &rest[digits..]),
        Err(_) => example.to_string(),
    }
}

/// One kind of problem found while reading, with how often it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What was wrong and what was done about it.
    pub message: String,
    /// How many records or fields it hit.
    pub count: usize,
    /// Up to five examples ("record 12 (id \"T-9\"): found \"yesterday\"").
    pub examples: Vec<String>,
    /// True when the records were skipped (not just a field ignored).
    pub skipped: bool,
}

/// What an import read, kept and skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The format detected.
    pub format: String,
    /// Records (array elements or lines) read.
    pub records: usize,
    /// Tickets kept in the store.
    pub tickets: usize,
    /// Records skipped.
    pub skipped: usize,
    /// Warnings, most frequent first.
    pub warnings: Vec<Warning>,
    /// Canonical fields found, with the number of records carrying each.
    pub fields: BTreeMap<String, usize>,
    /// The timezone naive timestamps and buckets were read in.
    pub timezone: String,
    /// The detected format's key (`canonical`, `zendesk`, `csv`, …; see `adapters::Format`).
    pub format_key: String,
    /// Each input file and what it was read as.
    pub sources: Vec<SourceFile>,
    /// For CSV input: delimiter, columns and the column mapping used (editable by the page).
    pub csv: Option<CsvInfo>,
    /// Every KPI of the catalogue: whether the data supports it, and if not, what is missing.
    pub kpis: Vec<KpiSupport>,
}

/// Which timestamp a naive local time belongs to, to resolve it once the timezone is known.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Created,
    FirstReply,
    FirstSolved,
    Solved,
    Closed,
    RatingAt,
    Message,
    History,
}

/// Every slot, in declaration order (the byte of a slot in a part's bytes is its index).
const SLOTS: [Slot; 8] = [
    Slot::Created,
    Slot::FirstReply,
    Slot::FirstSolved,
    Slot::Solved,
    Slot::Closed,
    Slot::RatingAt,
    Slot::Message,
    Slot::History,
];

/// Accumulates records into a [`TicketStore`]. Import adapters drive it directly with
/// [`RawTicket`]s they build from vendor records, so every format shares one validation.
pub struct Builder {
    now: Seconds,
    store: TicketStore,
    records: usize,
    skipped: usize,
    warnings: Vec<Warning>,
    warning_index: FastMap<String, usize>,
    ids: IdIndex,
    dead: Vec<bool>,
    local: Vec<(Slot, u32)>,
    raw_exported_at: Option<Stamp>,
    meta: DatasetMeta,
    /// Per row: whether the record stated its status (else it may come from the history).
    status_given: Vec<bool>,
    /// Roster entries (agent id, what the roster says), applied after the tickets.
    roster: Vec<(String, AgentInfo)>,
    dataset_timezone_problem: Option<String>,
    /// Records carrying each canonical field, in [`FIELD_NAMES`] order.
    fields: [usize; FIELD_NAMES.len()],
    /// Set when this builder reads a part of a file for another (see [`Builder::part`]).
    part: Option<PartRows>,
}

/// What a part's builder keeps so that the builder it is merged into can finish its work:
/// record numbers are only known there, and so are the ids met before the part.
#[derive(Debug, Default)]
struct PartRows {
    /// Each row's record number within the part.
    record: Vec<u32>,
    /// Rows whose record had no id (numbered by position, which the merge renumbers).
    numbered: Vec<u32>,
}

/// Ticket id → row of its latest record, to replace duplicates. The ids live in the store's
/// id column; this table holds only row numbers (open addressing, linear probing, at most
/// half full), so remembering an id costs no allocation and no second copy of it.
#[derive(Debug, Default)]
struct IdIndex {
    /// Rows, [`NONE`] for an empty slot; the length is zero or a power of two.
    slots: Vec<u32>,
    /// Occupied slots.
    len: usize,
}

impl IdIndex {
    /// The slot where the search for `id` starts in a table of `len` slots: the top bits of
    /// the hasher's product, its best-mixed ones (the low bits left sequential ids such as
    /// `T-10001`… in long runs of neighbouring slots).
    fn start(id: &str, len: usize) -> usize {
        let mut h = FastHasher::default();
        h.write(id.as_bytes());
        // `finish` rotates the product by 32 bits; undo that to take its top bits.
        let product = h.finish().rotate_left(32);
        (product >> (64 - len.trailing_zeros())) as usize
    }

    /// Files `row` under its id `ids[row]`, in place of an earlier row with the same id,
    /// which is returned.
    fn insert(&mut self, ids: &[String], row: u32) -> Option<u32> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow(ids);
        }
        let id = &ids[row as usize];
        let mask = self.slots.len() - 1;
        let mut i = Self::start(id, self.slots.len());
        loop {
            match self.slots[i] {
                NONE => {
                    self.slots[i] = row;
                    self.len += 1;
                    return None;
                }
                old if ids[old as usize] == *id => {
                    self.slots[i] = row;
                    return Some(old);
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self, ids: &[String]) {
        let size = (self.slots.len() * 2).max(256);
        let old = std::mem::replace(&mut self.slots, vec![NONE; size]);
        let mask = size - 1;
        for row in old.into_iter().filter(|&r| r != NONE) {
            let mut i = Self::start(&ids[row as usize], size);
            while self.slots[i] != NONE {
                i = (i + 1) & mask;
            }
            self.slots[i] = row;
        }
    }
}

/// Context for the message of one warning: which record, which id.
struct At<'s> {
    record: usize,
    id: &'s str,
}

impl At<'_> {
    fn example(&self, found: &str) -> String {
        if self.id.is_empty() {
            format!("record {}: {found}", self.record)
        } else {
            format!(
                "record {} (id {}): {found}",
                self.record,
                time::quote(self.id)
            )
        }
    }
}

impl Builder {
    /// An empty builder; `now` flags timestamps in the future.
    pub fn new(now: Seconds) -> Self {
        Builder {
            now,
            store: TicketStore::default(),
            records: 0,
            skipped: 0,
            warnings: Vec::new(),
            warning_index: FastMap::default(),
            ids: IdIndex::default(),
            dead: Vec::new(),
            local: Vec::new(),
            raw_exported_at: None,
            meta: DatasetMeta::default(),
            roster: Vec::new(),
            status_given: Vec::new(),
            dataset_timezone_problem: None,
            fields: [0; FIELD_NAMES.len()],
            part: None,
        }
    }

    /// A builder for one part of a file's ticket records, read by another worker beside the
    /// builder of the whole file, which takes it with [`Builder::append_part`]. Its records are
    /// numbered from 1 within the part, and duplicate ids are left for the merge.
    pub fn part() -> Self {
        Builder {
            part: Some(PartRows::default()),
            ..Builder::new(0)
        }
    }

    /// The part's state as bytes, to be sent to the worker that merges it
    /// ([`Builder::append_part_bytes`]). Only for a builder made by [`Builder::part`].
    pub fn part_to_bytes(&self, out: &mut Vec<u8>) {
        let part = self.part.as_ref().expect("part_to_bytes on a part");
        // Room for the columns at once (about 60 bytes per ticket plus its lists), rather
        // than growing the buffer by doubling and copying.
        let s = &self.store;
        out.reserve(
            s.len() * 80
                + s.messages.values.len() * 14
                + s.history.values.len() * 9
                + s.tags.values.len() * 4,
        );
        PART_TAG.put(out);
        self.records.put(out);
        self.skipped.put(out);
        self.warnings.put(out);
        self.store.put(out);
        let local: Vec<(u8, u32)> = self.local.iter().map(|&(s, i)| (s as u8, i)).collect();
        local.put(out);
        self.status_given.put(out);
        self.fields.put(out);
        part.record.put(out);
        part.numbered.put(out);
    }

    /// Merges a part sent as bytes by [`Builder::part_to_bytes`]: false (and nothing
    /// changed) when the bytes are not such a part.
    pub fn append_part_bytes(&mut self, bytes: &[u8]) -> bool {
        match Builder::part_from_bytes(bytes) {
            Some(part) => {
                self.append_part(part);
                true
            }
            None => false,
        }
    }

    fn part_from_bytes(bytes: &[u8]) -> Option<Builder> {
        let r = &mut Reader::new(bytes);
        if u64::take(r)? != PART_TAG {
            return None;
        }
        let records = usize::take(r)?;
        let skipped = usize::take(r)?;
        let warnings: Vec<Warning> = Wire::take(r)?;
        let store = TicketStore::take(r)?;
        let local: Vec<(u8, u32)> = Wire::take(r)?;
        let status_given: Vec<bool> = Wire::take(r)?;
        let fields = Wire::take(r)?;
        let record: Vec<u32> = Wire::take(r)?;
        let numbered: Vec<u32> = Wire::take(r)?;
        let rows = store.len();
        let local = local
            .into_iter()
            .map(|(s, i)| {
                let slot = *SLOTS.get(s as usize)?;
                let len = match slot {
                    Slot::Message => store.messages.values.len(),
                    Slot::History => store.history.values.len(),
                    _ => rows,
                };
                ((i as usize) < len).then_some((slot, i))
            })
            .collect::<Option<Vec<_>>>()?;
        let sound = r.at_end()
            && status_given.len() == rows
            && record.len() == rows
            && numbered.iter().all(|&n| (n as usize) < rows);
        if !sound {
            return None;
        }
        let mut b = Builder::part();
        b.records = records;
        b.skipped = skipped;
        for w in warnings {
            b.warning_index.insert(w.message.clone(), b.warnings.len());
            b.warnings.push(w);
        }
        b.dead = vec![false; rows];
        b.store = store;
        b.local = local;
        b.status_given = status_given;
        b.fields = fields;
        b.part = Some(PartRows { record, numbered });
        Some(b)
    }

    /// Merges `part`, whose records came right after the ones read so far, exactly as if
    /// this builder had read them itself: records renumbered, duplicate ids replaced across
    /// the two (with their warnings, in record order), warnings added up with their first
    /// examples kept, naive times still queued for the timezone.
    pub fn append_part(&mut self, mut part: Builder) {
        let rows = part.part.take().expect("append_part takes a part");
        debug_assert!(
            self.part.is_none(),
            "parts are merged into the whole file's builder"
        );
        let offset = self.records;
        let first_row = self.store.len();
        for &row in &rows.numbered {
            part.store.id[row as usize] =
                format!("#{}", rows.record[row as usize] as usize + offset);
        }
        let (messages, history) = (
            self.store.messages.values.len() as u32,
            self.store.history.values.len() as u32,
        );
        self.local.extend(part.local.iter().map(|&(slot, i)| {
            let base = match slot {
                Slot::Message => messages,
                Slot::History => history,
                _ => first_row as u32,
            };
            (slot, i + base)
        }));
        self.store.append(std::mem::take(&mut part.store));
        self.dead.resize(self.store.len(), false);
        self.status_given.extend(part.status_given);
        for (n, m) in self.fields.iter_mut().zip(part.fields) {
            *n += m;
        }
        self.records += part.records;
        self.skipped += part.skipped;
        for w in part.warnings {
            let examples = w.examples.into_iter().map(|e| renumber(&e, offset));
            let i = self.warning_slot(w.message, w.skipped);
            let here = &mut self.warnings[i];
            here.count += w.count;
            let room = EXAMPLES.saturating_sub(here.examples.len());
            here.examples.extend(examples.take(room));
        }
        // Duplicate ids, now that the ids before the part are known: in record order, as a
        // single read replaces them.
        let mut numbered = rows.numbered.iter().peekable();
        for (k, &record) in rows.record.iter().enumerate() {
            if numbered.next_if(|&&n| n as usize == k).is_some() {
                continue;
            }
            let row = first_row + k;
            if let Some(old) = self.ids.insert(&self.store.id, row as u32) {
                self.dead[old as usize] = true;
                let at = At {
                    record: record as usize + offset,
                    id: &self.store.id[row],
                };
                let example = at.example("same id as an earlier record");
                self.warn(DUPLICATE_ID.into(), example, false);
            }
        }
    }

    /// The index of the warning `message`, added (with no count yet) when new.
    fn warning_slot(&mut self, message: String, skipped: bool) -> usize {
        match self.warning_index.get(&message) {
            Some(&i) => i,
            None => {
                self.warnings.push(Warning {
                    message: message.clone(),
                    count: 0,
                    examples: Vec::new(),
                    skipped,
                });
                self.warning_index.insert(message, self.warnings.len() - 1);
                self.warnings.len() - 1
            }
        }
    }

    /// Counts a warning under `message`, keeping `example` among the first five.
    pub fn warn(&mut self, message: String, example: String, skipped: bool) {
        let i = self.warning_slot(message, skipped);
        let w = &mut self.warnings[i];
        w.count += 1;
        if w.examples.len() < EXAMPLES {
            w.examples.push(example);
        }
    }

    /// Counts a skipped record under `message`, keeping `example` among the first five.
    pub fn skip(&mut self, message: &str, example: String) {
        self.skipped += 1;
        self.warn(message.to_string(), example, true);
    }

    /// Records read so far (pushed or skipped).
    pub fn records(&self) -> usize {
        self.records
    }

    /// Counts a record an import adapter read but will not push (a deleted ticket, a pull
    /// request among GitHub issues): it is a record read *and* skipped, under `message`.
    pub fn skip_record(&mut self, message: &str, example: String) {
        self.records += 1;
        self.skip(message, example);
    }

    /// An NDJSON line that is not JSON: skipped, counted, the rest of the file kept.
    pub fn skip_line(&mut self, line: usize, why: &str) {
        self.records += 1;
        self.skip(
            "a line is not valid JSON: line skipped",
            format!("line {line}: {why}"),
        );
    }

    /// Applies the envelope's `dataset` object.
    pub fn set_dataset(&mut self, raw: Nested<RawDataset>) {
        let d = match raw {
            Nested::Value(d) => d,
            Nested::Wrong(found) => {
                self.warn(
                    "\"dataset\" should be an object: ignored".into(),
                    format!("found {found}"),
                    false,
                );
                return;
            }
            Nested::Absent => return,
        };
        self.meta.name = d.name.as_text().map(|s| s.into_owned());
        if let Some(tz) = d.timezone.as_text() {
            match time::parse_tz(&tz) {
                Ok(_) => self.meta.timezone = Some(tz.into_owned()),
                Err(e) => self.dataset_timezone_problem = Some(e),
            }
        }
        self.meta.week_start = parse_weekday(&d.week_start);
        self.raw_exported_at = match &d.exported_at {
            Loose::Int(_) | Loose::Float(_) => d
                .exported_at
                .as_f64()
                .map(|v| Stamp::Utc(time::epoch_to_seconds(v))),
            Loose::Str(s) => time::parse_str(s).ok(),
            _ => None,
        };
        if let Some(c) = d.customers.get() {
            self.meta.active_customers = c.active.as_f64().filter(|v| *v > 0.0);
        }
        self.meta.targets = d.targets;
        self.meta.benchmarks = d.benchmarks;
        self.meta.calendar = d.calendar;
        if let Some(agents) = d.agents.get() {
            for a in agents.iter().filter_map(Nested::get) {
                let Some(id) = a.id.as_text() else { continue };
                let day = |v: &Loose| v.as_text().and_then(|s| time::parse_date(&s));
                self.roster.push((
                    id.into_owned(),
                    AgentInfo {
                        name: a.name.as_text().map(|s| s.into_owned()).unwrap_or_default(),
                        team: a.team.as_text().map(|s| s.into_owned()),
                        start_day: day(&a.start),
                        end_day: day(&a.end),
                    },
                ));
            }
        }
    }

    /// Reads one timestamp field; naive local times are queued for the timezone.
    fn time(&mut self, at: &At, field: &str, v: &Loose, slot: Slot, index: usize) -> Seconds {
        let stamp = match v {
            Loose::Absent | Loose::Null => return NO_TIME,
            Loose::Str(s) if crate::raw::trim(s).is_empty() => return NO_TIME,
            Loose::Int(_) | Loose::Float(_) => {
                Stamp::Utc(time::epoch_to_seconds(v.as_f64().unwrap_or(0.0)))
            }
            Loose::Str(s) => match time::parse_str(s) {
                Ok(st) => st,
                Err(found) => {
                    self.warn(
                        format!("\"{field}\" is not a timestamp: field ignored"),
                        at.example(&format!("found {found}")),
                        false,
                    );
                    return NO_TIME;
                }
            },
            other => {
                self.warn(
                    format!("\"{field}\" is not a timestamp: field ignored"),
                    at.example(&format!("found {}", other.kind())),
                    false,
                );
                return NO_TIME;
            }
        };
        match stamp {
            // Naive local times are judged before their zone moves them by some hours: a year
            // 1 or 9999 date is as wrong without an offset as with one.
            Stamp::Utc(t) | Stamp::Local(t) if !(EARLIEST..=LATEST).contains(&t) => {
                self.warn(
                    format!("\"{field}\" is before 1971 or after 2200: field ignored"),
                    at.example(&format!("found {}", v.describe())),
                    false,
                );
                NO_TIME
            }
            Stamp::Utc(t) => t,
            Stamp::Local(t) => {
                self.local.push((slot, index as u32));
                t
            }
        }
    }

    /// A text field, borrowed from the record (it is interned or compared, rarely kept).
    fn text<'v>(&mut self, at: &At, field: &'static str, v: &'v Loose) -> Option<Cow<'v, str>> {
        match v {
            Loose::Array | Loose::Object | Loose::Bool(_) => {
                self.warn(
                    format!("\"{field}\" should be text: field ignored"),
                    at.example(&format!("found {}", v.kind())),
                    false,
                );
                None
            }
            _ => v.as_text(),
        }
    }

    fn flag(&mut self, at: &At, field: &'static str, v: &Loose) -> Option<bool> {
        if v.is_missing() {
            return None;
        }
        let b = v.as_bool();
        if b.is_none() {
            self.warn(
                format!("\"{field}\" should be true or false: field ignored"),
                at.example(&format!("found {}", v.describe())),
                false,
            );
        }
        b
    }

    /// A number within `lo..=hi`, else a warning.
    fn number(&mut self, at: &At, field: &'static str, v: &Loose, lo: f64, hi: f64) -> Option<f64> {
        if v.is_missing() {
            return None;
        }
        match v.as_f64() {
            Some(n) if (lo..=hi).contains(&n) => Some(n),
            _ => {
                self.warn(
                    format!("\"{field}\" should be a number from {lo} to {hi}: field ignored"),
                    at.example(&format!("found {}", v.describe())),
                    false,
                );
                None
            }
        }
    }

    fn person<'p>(
        &mut self,
        at: &At,
        field: &'static str,
        p: &'p PersonRef,
    ) -> Option<Cow<'p, str>> {
        if let Some(found) = &p.wrong {
            self.warn(
                format!("\"{field}\" should be an id or an object with \"id\": field ignored"),
                at.example(&format!("found {found}")),
                false,
            );
            return None;
        }
        let id = self.text(at, field, &p.id);
        if id.is_none() && !p.name.is_missing() {
            // A name without an id still identifies the person within one export.
            return p.name.as_text();
        }
        id
    }

    /// The fast reader of one canonical ticket record (`super::scan`), reachable from
    /// benchmarks and fuzz targets; `None` means the record must be read with serde. Hidden:
    /// the ingest calls the scanner itself.
    #[doc(hidden)]
    pub fn scan_record(record: &[u8]) -> Option<RawTicket<'_>> {
        super::scan::read_ticket(record)
    }

    /// Adds one record (a ticket, or whatever stood in its place).
    pub fn push(&mut self, record: Nested<RawTicket>) {
        self.push_repeating(record, Vec::new());
    }

    /// Adds one record read from JSON in which the keys `repeated` appeared twice (see
    /// [`crate::raw::take_repeated_keys`]): the record is kept with the first value of each,
    /// and a warning says so.
    pub fn push_repeating(&mut self, record: Nested<RawTicket>, repeated: Vec<String>) {
        self.records += 1;
        let record_no = self.records;
        let t = match record {
            Nested::Value(t) => t,
            Nested::Wrong(found) => {
                return self.skip(
                    "a record is not a ticket object: record skipped",
                    format!("record {record_no}: found {found}"),
                )
            }
            Nested::Absent => {
                return self.skip(
                    "a record is null: record skipped",
                    format!("record {record_no}: found null"),
                )
            }
        };
        self.push_ticket(record_no, t, &repeated);
    }

    fn push_ticket(&mut self, record_no: usize, t: RawTicket, repeated: &[String]) {
        let numbered = t.id.as_text().is_none();
        // Borrowed from the record until the store keeps it.
        let id: Cow<str> = match t.id.as_text() {
            Some(s) => s,
            None => {
                let at = At {
                    record: record_no,
                    id: "",
                };
                let found = if t.id.is_missing() {
                    "no id".to_string()
                } else {
                    format!("found {}", t.id.kind())
                };
                self.warn(
                    "\"id\" is missing: the ticket was kept and numbered by its position".into(),
                    at.example(&found),
                    false,
                );
                Cow::Owned(format!("#{record_no}"))
            }
        };
        let at = At {
            record: record_no,
            id: &id,
        };
        let row = self.store.len();
        if !repeated.is_empty() {
            let keys: Vec<String> = repeated.iter().map(|k| time::quote(k)).collect();
            self.warn(
                "a key appears twice in a record: the first value was used".into(),
                at.example(&format!("key {} repeated", keys.join(", "))),
                false,
            );
        }

        // Status first: deleted tickets are not tickets any more.
        let status_text = self.text(&at, "status", &t.status);
        let status = match status_text.as_deref() {
            Some(s) if s.eq_ignore_ascii_case("deleted") || s.eq_ignore_ascii_case("spam") => {
                return self.skip(
                    "status \"deleted\" or \"spam\": record skipped",
                    at.example(&format!("status {}", time::quote(s))),
                );
            }
            Some(s) => match Status::parse(s) {
                Some(st) => Some(st),
                None => {
                    self.warn(
                        "unknown \"status\": read as open (expected new, open, pending, \
                         on_hold, solved or closed)"
                            .into(),
                        at.example(&format!("found {}", time::quote(s))),
                        false,
                    );
                    Some(Status::Open)
                }
            },
            None => None,
        };

        let created = self.time(&at, "created_at", &t.created_at, Slot::Created, row);
        if created == NO_TIME {
            let found = if t.created_at.is_missing() {
                "no created_at".to_string()
            } else {
                format!("found {}", t.created_at.describe())
            };
            // The field-level warning (if any) explains the value; this one counts the skip.
            return self.skip(
                "\"created_at\" is missing or unusable: record skipped",
                at.example(&found),
            );
        }

        // A position number is unique among records without an id, but may equal a real id
        // ("#1"): it takes no part in replacing duplicates, so neither record is lost.
        self.store.id.push(id.clone().into_owned());
        if let Some(part) = &mut self.part {
            // Duplicates are judged when the part is merged, against every earlier id.
            part.record.push(record_no as u32);
            if numbered {
                part.numbered.push(row as u32);
            }
        } else if !numbered {
            if let Some(old) = self.ids.insert(&self.store.id, row as u32) {
                self.dead[old as usize] = true;
                self.warn(
                    DUPLICATE_ID.into(),
                    at.example("same id as an earlier record"),
                    false,
                );
            }
        }
        self.dead.push(false);

        let present = [
            !t.id.is_missing(),
            true,
            !t.channel.is_missing(),
            status.is_some(),
            !t.priority.is_missing(),
            !t.assignee.id.is_missing() || !t.assignee.name.is_missing(),
            !t.team.is_missing(),
            !t.requester.id.is_missing(),
            !t.requester.tier.is_missing(),
            t.tags.get().is_some_and(|v| !v.is_empty()),
            !t.first_reply_at.is_missing(),
            !t.first_solved_at.is_missing(),
            !t.solved_at.is_missing(),
            !t.closed_at.is_missing(),
            !t.reopens.is_missing(),
            !t.agent_replies.is_missing(),
            !t.escalated.is_missing(),
            !t.complaint.is_missing(),
            t.messages.get().is_some_and(|v| !v.is_empty()),
            t.status_history.get().is_some_and(|v| !v.is_empty()),
            t.satisfaction.get().is_some(),
            !t.nps.is_missing(),
            !t.effort.is_missing(),
            t.queue.get().is_some(),
            !t.converted.is_missing(),
            !t.order_value.is_missing(),
        ];
        for (count, here) in self.fields.iter_mut().zip(present) {
            *count += here as usize;
        }

        self.store.created.push(created);
        let first_reply = self.time(
            &at,
            "first_reply_at",
            &t.first_reply_at,
            Slot::FirstReply,
            row,
        );
        let first_solved = self.time(
            &at,
            "first_solved_at",
            &t.first_solved_at,
            Slot::FirstSolved,
            row,
        );
        let solved = self.time(&at, "solved_at", &t.solved_at, Slot::Solved, row);
        let closed = self.time(&at, "closed_at", &t.closed_at, Slot::Closed, row);
        self.status_given.push(status.is_some());
        let status = status.unwrap_or(if closed != NO_TIME {
            Status::Closed
        } else if solved != NO_TIME {
            Status::Solved
        } else {
            Status::Open
        });

        let channel = self
            .text(&at, "channel", &t.channel)
            .map_or(NONE, |c| self.store.channels.intern_lower(&c));
        let priority = self
            .text(&at, "priority", &t.priority)
            .map_or(NONE, |p| self.store.priorities.intern_lower(&p));
        let agent = match self.person(&at, "assignee", &t.assignee) {
            Some(a) => {
                let a_id = self.store.intern_agent(&a);
                let info = &mut self.store.agent_info[a_id as usize];
                if info.name.is_empty() {
                    if let Some(n) = t.assignee.name.as_text() {
                        info.name = n.into_owned();
                    }
                }
                if info.team.is_none() {
                    info.team = t.assignee.team.as_text().map(|s| s.into_owned());
                }
                a_id
            }
            None => NONE,
        };
        let team = self
            .text(&at, "team", &t.team)
            .map_or(NONE, |tm| self.store.teams.intern(&tm));
        let requester = self
            .person(&at, "requester", &t.requester)
            .map_or(NONE, |r| self.store.requesters.intern(&r));
        let tier = self
            .text(&at, "requester.tier", &t.requester.tier)
            .map_or(NONE, |tr| self.store.tiers.intern_lower(&tr));
        let language = self
            .text(&at, "language", &t.language)
            .map_or(NONE, |l| self.store.languages.intern_lower(&l));
        let reopens = self
            .number(&at, "reopens", &t.reopens, 0.0, 1e6)
            .map_or(u32::MAX, |n| n as u32);
        let agent_replies = self
            .number(&at, "agent_replies", &t.agent_replies, 0.0, 1e6)
            .map_or(u32::MAX, |n| n as u32);
        let escalated = self.flag(&at, "escalated", &t.escalated);
        let complaint = self.flag(&at, "complaint", &t.complaint);
        let converted = self.flag(&at, "converted", &t.converted);
        let order_value = self
            .number(&at, "order_value", &t.order_value, -1e12, 1e12)
            .unwrap_or(f64::NAN);
        let nps = self
            .number(&at, "nps", &t.nps, 0.0, 10.0)
            .map_or(-1, |n| n.round() as i8);
        let effort = self
            .number(&at, "effort", &t.effort, 1.0, 7.0)
            .map_or(-1, |n| n.round() as i8);

        // Satisfaction.
        let (mut rating, mut rating_at, mut offered, mut comment) = (None, NO_TIME, false, NONE);
        match &t.satisfaction {
            Nested::Value(sat) => {
                rating = self.rating(&at, sat);
                rating_at = self.time(&at, "satisfaction.at", &sat.at, Slot::RatingAt, row);
                offered = self
                    .flag(&at, "satisfaction.offered", &sat.offered)
                    .unwrap_or(true)
                    || rating.is_some();
                if let Some(c) = self.text(&at, "satisfaction.comment", &sat.comment) {
                    self.store.comments.push(c.into_owned());
                    comment = (self.store.comments.len() - 1) as u32;
                }
            }
            Nested::Wrong(found) => self.warn(
                "\"satisfaction\" should be an object such as {\"score\": 5, \"scale\": 5}: \
                 field ignored"
                    .into(),
                at.example(&format!("found {found}")),
                false,
            ),
            Nested::Absent => {}
        }

        // Queue.
        let (mut wait, mut abandoned, mut handle) = (NO_TIME, None, NO_TIME);
        match &t.queue {
            Nested::Value(q) => {
                wait = self
                    .number(&at, "queue.wait_seconds", &q.wait_seconds, 0.0, 1e9)
                    .map_or(NO_TIME, |n| n.round() as i64);
                abandoned = self.flag(&at, "queue.abandoned", &q.abandoned);
                handle = self
                    .number(&at, "queue.handle_seconds", &q.handle_seconds, 0.0, 1e9)
                    .map_or(NO_TIME, |n| n.round() as i64);
            }
            Nested::Wrong(found) => self.warn(
                "\"queue\" should be an object: field ignored".into(),
                at.example(&format!("found {found}")),
                false,
            ),
            Nested::Absent => {}
        }

        // Tags.
        match &t.tags {
            Nested::Value(tags) => {
                for tag in tags {
                    match tag.as_text() {
                        Some(name) => {
                            let id = self.store.tag_names.intern_lower(&name);
                            self.store.tags.values.push(id);
                        }
                        None => self.warn(
                            "a tag should be text: tag ignored".into(),
                            at.example(&format!("found {}", tag.kind())),
                            false,
                        ),
                    }
                }
            }
            Nested::Wrong(found) => self.warn(
                "\"tags\" should be an array of text: field ignored".into(),
                at.example(&format!("found {found}")),
                false,
            ),
            Nested::Absent => {}
        }
        self.store.tags.end_row();

        // Messages.
        match &t.messages {
            Nested::Value(list) => {
                for m in list {
                    self.message(&at, m);
                }
            }
            Nested::Wrong(found) => self.warn(
                "\"messages\" should be an array of objects: field ignored".into(),
                at.example(&format!("found {found}")),
                false,
            ),
            Nested::Absent => {}
        }
        self.store.messages.end_row();

        // Status history.
        match &t.status_history {
            Nested::Value(list) => {
                for change in list {
                    let Nested::Value(c) = change else {
                        self.warn(
                            "a status_history entry should be an object: entry ignored".into(),
                            at.example("found another kind"),
                            false,
                        );
                        continue;
                    };
                    let idx = self.store.history.values.len();
                    let when = self.time(&at, "status_history.at", &c.at, Slot::History, idx);
                    let st = c.status.as_text().and_then(|s| Status::parse(&s));
                    match (when, st) {
                        (NO_TIME, _) => {
                            // Drop the queued local fix-up, if any, with the entry.
                            if matches!(self.local.last(), Some((Slot::History, i)) if *i as usize == idx)
                            {
                                self.local.pop();
                            }
                        }
                        (w, Some(st)) => self.store.history.values.push((w, st)),
                        (_, None) => {
                            if matches!(self.local.last(), Some((Slot::History, i)) if *i as usize == idx)
                            {
                                self.local.pop();
                            }
                            self.warn(
                                "a status_history entry has an unknown status: entry ignored"
                                    .into(),
                                at.example(&format!("found {}", c.status.describe())),
                                false,
                            );
                        }
                    }
                }
            }
            Nested::Wrong(found) => self.warn(
                "\"status_history\" should be an array of objects: field ignored".into(),
                at.example(&format!("found {found}")),
                false,
            ),
            Nested::Absent => {}
        }
        self.store.history.end_row();

        let s = &mut self.store;
        s.first_reply.push(first_reply);
        s.first_solved.push(first_solved);
        s.solved.push(solved);
        s.closed.push(closed);
        s.status.push(status);
        s.channel.push(channel);
        s.priority.push(priority);
        s.agent.push(agent);
        s.team.push(team);
        s.requester.push(requester);
        s.tier.push(tier);
        s.language.push(language);
        s.reopens.push(reopens);
        s.agent_replies.push(agent_replies);
        s.escalated.push(escalated);
        s.complaint.push(complaint);
        s.converted.push(converted);
        s.order_value.push(order_value);
        s.rating.push(rating);
        s.rating_at.push(rating_at);
        s.survey_offered.push(offered);
        s.comment.push(comment);
        s.nps.push(nps);
        s.effort.push(effort);
        s.queue_wait.push(wait);
        s.abandoned.push(abandoned);
        s.handle.push(handle);
    }

    fn rating(&mut self, at: &At, sat: &crate::raw::RawSatisfaction) -> Option<Rating> {
        if let Some(word) = sat.rating.as_text() {
            // Compared without allocating; "offered" / "unoffered" are survey states, not
            // answers.
            let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(&word));
            let good = if is(&["good", "satisfied", "positive", "great", "happy"]) {
                Some(true)
            } else if is(&[
                "bad",
                "unsatisfied",
                "dissatisfied",
                "negative",
                "poor",
                "unhappy",
            ]) {
                Some(false)
            } else {
                None
            };
            if let Some(g) = good {
                return Some(Rating {
                    score: g as u8 as f32,
                    scale: 1.0,
                });
            }
        }
        if sat.score.is_missing() {
            return None;
        }
        let scale = match sat.scale.as_f64() {
            Some(s) if (1.0..=100.0).contains(&s) => s,
            None if sat.scale.is_missing() => 5.0,
            _ => {
                self.warn(
                    "\"satisfaction.scale\" should be a number from 1 to 100: rating ignored"
                        .into(),
                    at.example(&format!("found {}", sat.scale.describe())),
                    false,
                );
                return None;
            }
        };
        let lowest = if scale >= 10.0 || scale == 1.0 {
            0.0
        } else {
            1.0
        };
        match sat.score.as_f64() {
            Some(v) if v >= lowest && v <= scale => Some(Rating {
                score: v as f32,
                scale: scale as f32,
            }),
            _ => {
                self.warn(
                    "satisfaction score outside its scale: rating ignored".into(),
                    at.example(&format!(
                        "score {} on a scale of {lowest}–{scale}",
                        sat.score.describe()
                    )),
                    false,
                );
                None
            }
        }
    }

    fn message(&mut self, at: &At, m: &Nested<crate::raw::RawMessage>) {
        let Nested::Value(m) = m else {
            return self.warn(
                "a message should be an object: message ignored".into(),
                at.example("found another kind"),
                false,
            );
        };
        let role = match m.author.as_text().and_then(|a| Role::parse(&a)) {
            Some(r) => r,
            None => {
                return self.warn(
                    "a message's \"author\" should be customer, agent, bot or system: message \
                     ignored"
                        .into(),
                    at.example(&format!("found {}", m.author.describe())),
                    false,
                )
            }
        };
        let idx = self.store.messages.values.len();
        let when = self.time(at, "messages.at", &m.at, Slot::Message, idx);
        if when == NO_TIME {
            if m.at.is_missing() {
                self.warn(
                    "a message has no \"at\" time: message ignored".into(),
                    at.example("no at"),
                    false,
                );
            }
            return;
        }
        let public = self.flag(at, "messages.public", &m.public).unwrap_or(true);
        let agent = match (role, m.agent.as_text()) {
            (Role::Agent, Some(a)) => self.store.intern_agent(&a),
            _ => NONE,
        };
        self.store.messages.values.push(Message {
            at: when,
            role,
            public,
            agent,
        });
    }

    /// Resolves naive times, checks fields against each other, derives what messages and
    /// history imply, drops replaced duplicates.
    pub fn finish(mut self, format: &str, opts: &IngestOptions) -> Result<Dataset> {
        if let Some(problem) = self.dataset_timezone_problem.take() {
            self.warn(
                "\"dataset.timezone\" is not a known timezone: ignored".into(),
                problem,
                false,
            );
        }
        let tz_name = self
            .meta
            .timezone
            .clone()
            .or_else(|| opts.fallback_timezone.clone())
            .filter(|n| time::parse_tz(n).is_ok())
            .unwrap_or_else(|| "UTC".into());
        let tz = time::parse_tz(&tz_name).map_err(Error::Option)?;
        if !self.local.is_empty() && self.meta.timezone.is_none() {
            self.warn(
                format!(
                    "timestamps without a timezone were read as {tz_name} time (set \
                     \"dataset.timezone\" to say which zone they are in)"
                ),
                format!("{} timestamps", self.local.len()),
                false,
            );
        }
        let s = &mut self.store;
        for &(slot, i) in &self.local {
            let i = i as usize;
            let cell = match slot {
                Slot::Created => &mut s.created[i],
                Slot::FirstReply => &mut s.first_reply[i],
                Slot::FirstSolved => &mut s.first_solved[i],
                Slot::Solved => &mut s.solved[i],
                Slot::Closed => &mut s.closed[i],
                Slot::RatingAt => &mut s.rating_at[i],
                Slot::Message => &mut s.messages.values[i].at,
                Slot::History => &mut s.history.values[i].0,
            };
            *cell = time::local_to_utc(*cell, tz);
        }
        self.meta.exported_at = self.raw_exported_at.map(|st| match st {
            Stamp::Utc(t) => t,
            Stamp::Local(t) => time::local_to_utc(t, tz),
        });

        self.cross_check();

        if self.dead.iter().any(|&d| d) {
            let keep: Vec<bool> = self.dead.iter().map(|&d| !d).collect();
            self.store.retain_rows(&keep);
        }
        self.apply_roster();

        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.sort_by(|a, b| b.count.cmp(&a.count).then(a.message.cmp(&b.message)));
        let fields: BTreeMap<String, usize> = FIELD_NAMES
            .iter()
            .zip(self.fields)
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| (k.to_string(), n))
            .collect();
        // KPI support is judged on what the store holds, as the report judges it.
        let sla_set = self
            .meta
            .targets
            .as_ref()
            .is_some_and(|t| t.get("sla").is_some());
        let urgent: Vec<bool> = self
            .store
            .priorities
            .names()
            .iter()
            .map(|p| crate::kpi::catalogue::URGENT_PRIORITIES.contains(&p.as_str()))
            .collect();
        let coverage = crate::kpi::catalogue::Coverage::of(&self.store, sla_set, &urgent);
        let import = ImportReport {
            format: format.into(),
            records: self.records,
            tickets: self.store.len(),
            skipped: self.skipped,
            warnings,
            fields,
            timezone: tz_name.clone(),
            format_key: String::new(),
            sources: Vec::new(),
            csv: None,
            kpis: kpi_support(&coverage),
        };
        if self.store.is_empty() {
            let why = match import.warnings.iter().find(|w| w.skipped) {
                Some(w) => format!(
                    "no usable tickets: {} records read, all skipped ({}; e.g. {})",
                    import.records,
                    w.message,
                    w.examples.first().cloned().unwrap_or_default()
                ),
                None => "no tickets found: the ticket list is empty".into(),
            };
            return Err(Error::NoTickets(why));
        }
        let mut meta = self.meta;
        meta.timezone = Some(tz_name);
        Ok(Dataset {
            store: self.store,
            meta,
            import,
        })
    }

    fn cross_check(&mut self) {
        // `now` comes from the page's clock; saturating keeps an absurd one from overflowing.
        let now_limit = self.now.saturating_add(86_400);
        for row in 0..self.store.len() {
            // Messages and history in time order; everything below relies on it.
            let (a, b) = (
                self.store.messages.start[row] as usize,
                self.store.messages.start[row + 1] as usize,
            );
            self.store.messages.values[a..b].sort_by_key(|m| m.at);
            let (a, b) = (
                self.store.history.start[row] as usize,
                self.store.history.start[row + 1] as usize,
            );
            self.store.history.values[a..b].sort_by_key(|h| h.0);

            let created = self.store.created[row];
            let example = format!("ticket {}", time::quote(&self.store.id[row]));
            if created > now_limit {
                let e = example.clone();
                self.warn(
                    "\"created_at\" is in the future: ticket kept".into(),
                    e,
                    false,
                );
            }
            for (name, col) in [
                ("first_reply_at", 0),
                ("first_solved_at", 1),
                ("solved_at", 2),
                ("closed_at", 3),
            ] {
                let v = match col {
                    0 => self.store.first_reply[row],
                    1 => self.store.first_solved[row],
                    2 => self.store.solved[row],
                    _ => self.store.closed[row],
                };
                if v != NO_TIME && v < created {
                    let e = example.clone();
                    self.warn(
                        format!("\"{name}\" is before \"created_at\": field ignored"),
                        e,
                        false,
                    );
                    match col {
                        0 => self.store.first_reply[row] = NO_TIME,
                        1 => self.store.first_solved[row] = NO_TIME,
                        2 => self.store.solved[row] = NO_TIME,
                        _ => self.store.closed[row] = NO_TIME,
                    }
                }
            }
            let s = &mut self.store;
            // Early messages (before creation) are kept as conversation but never count as a
            // reply to this ticket.
            let msgs = s.messages.of(row);
            if s.first_reply[row] == NO_TIME {
                if let Some(m) = msgs.iter().find(|m| m.is_agent_reply() && m.at >= created) {
                    s.first_reply[row] = m.at;
                }
            }
            if s.agent_replies[row] == u32::MAX && !msgs.is_empty() {
                s.agent_replies[row] = msgs.iter().filter(|m| m.is_agent_reply()).count() as u32;
            }
            let hist = s.history.of(row);
            if !self.status_given[row] {
                // Without a stated status, the last recorded change is the current status.
                if let Some(&(_, last)) = hist.last() {
                    s.status[row] = last;
                }
            }
            if !hist.is_empty() {
                let solves = || hist.iter().filter(|h| h.1.is_resolved() && h.0 >= created);
                if s.first_solved[row] == NO_TIME {
                    s.first_solved[row] = solves().next().map_or(NO_TIME, |h| h.0);
                }
                if s.solved[row] == NO_TIME && s.status[row].is_resolved() {
                    // The start of the final resolved stretch.
                    let mut last = NO_TIME;
                    for h in hist.iter().filter(|h| h.0 >= created) {
                        if h.1.is_resolved() {
                            if last == NO_TIME {
                                last = h.0;
                            }
                        } else {
                            last = NO_TIME;
                        }
                    }
                    s.solved[row] = last;
                }
                if s.reopens[row] == u32::MAX {
                    let mut n = 0;
                    let mut was_resolved = false;
                    for h in hist {
                        if was_resolved && !h.1.is_resolved() {
                            n += 1;
                        }
                        was_resolved = h.1.is_resolved();
                    }
                    s.reopens[row] = n;
                }
            }
            if s.first_solved[row] == NO_TIME && s.reopens[row] == 0 {
                s.first_solved[row] = s.solved[row];
            }
            if s.status[row].is_resolved() && s.solved[row] == NO_TIME && s.closed[row] == NO_TIME {
                let e = example.clone();
                self.warn(
                    "solved or closed without \"solved_at\" or \"closed_at\": resolution time \
                     unknown"
                        .into(),
                    e,
                    false,
                );
            }
        }
    }

    fn apply_roster(&mut self) {
        for (id, roster) in std::mem::take(&mut self.roster) {
            let a = self.store.intern_agent(&id);
            let info = &mut self.store.agent_info[a as usize];
            if !roster.name.is_empty() {
                info.name = roster.name;
            }
            if roster.team.is_some() {
                info.team = roster.team;
            }
            info.start_day = roster.start_day;
            info.end_day = roster.end_day;
        }
        // A ticket without a team belongs to its assignee's team.
        for row in 0..self.store.len() {
            if self.store.team[row] == NONE && self.store.agent[row] != NONE {
                let agent = self.store.agent[row] as usize;
                if let Some(team) = self.store.agent_info[agent].team.clone() {
                    self.store.team[row] = self.store.teams.intern(&team);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IdIndex;

    /// Against a `HashMap` model: every id finds its latest row, across the table's growth.
    #[test]
    fn id_index_replaces_and_grows() {
        let mut ids: Vec<String> = Vec::new();
        let mut index = IdIndex::default();
        let mut model = std::collections::HashMap::new();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for row in 0..20_000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Ids from a range small enough to repeat often, with lengths 1 to 13 bytes.
            let id = format!("{}", state % 9_000).repeat(1 + (state % 3) as usize);
            ids.push(id.clone());
            assert_eq!(index.insert(&ids, row), model.insert(id, row), "row {row}");
        }
        assert_eq!(index.len, model.len());
    }
}

//! The canonical format, read as a stream: the bytes of a file arrive in chunks of any size and
//! each ticket is parsed and handed to the [`Builder`] as soon as its last byte is there, so a
//! large export is never held whole — not as one JS string, not as one copy in wasm memory.
//!
//! A file read in one piece goes through the same reader (one chunk, then the end), so every
//! test of the whole-file import also tests the stream, and the result cannot depend on how the
//! file was cut (`tests/stream.rs` checks that on many cuttings).
//!
//! How it stays exact:
//! - The ticket array is followed byte by byte only between records. Each record is found by
//!   bracket matching ([`value_end`]) and parsed from its own slice, by the fast scanner when it
//!   can and by serde otherwise — the same `Nested<RawTicket>` either way.
//! - A syntax error is described by serde_json itself, on the rest of the text behind a short
//!   prefix that puts its parser in the state the reader was in (after `[`, after a record,
//!   after a comma…), and its line and column are mapped back into the file. So the message is
//!   the one a whole-document parse gives, with the same position.
//! - A file that starts with `{` may be an envelope, NDJSON or one ticket. Until the envelope's
//!   `"tickets"` array starts, the reader keeps every byte; anything unusual there (no tickets
//!   key, a syntax error, tickets that are not an array) is left to the whole-document reader on
//!   the kept text, which decides as it always did.

use super::build::Builder;
use super::scan::read_ticket_at;
use super::Layout;
use crate::error::{Error, Result};
use crate::raw::{self, Nested, RawTicket};
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Bytes looked at before deciding whether a file is text at all (the binary check reads the
/// first kilobyte).
const HEAD_BYTES: usize = 1024;

/// A first line longer than this is not taken for the first line of NDJSON: the file is read as
/// one JSON document (compact JSON is often a single line of hundreds of megabytes, and
/// waiting for its end would mean holding it whole).
const NDJSON_FIRST_LINE_MAX: usize = 8 << 20;

/// Where the reader is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Before the first value: encoding checks and the layout decision.
    Start,
    /// The file starts with `{`: every byte is kept until the envelope's ticket array starts
    /// (or the file turns out to be NDJSON).
    Object(Envelope),
    /// Not streamable (not JSON, or an envelope the reader leaves to the whole-document
    /// reader): bytes are collected and read whole at the end.
    Whole,
    /// Inside a ticket array, before its first element or `]`.
    First,
    /// Inside a ticket array, after an element: `,` or `]`.
    Next,
    /// Inside a ticket array, after a `,`: an element.
    Element,
    /// In the envelope after its ticket array (other keys, a `dataset` that comes last).
    After(Envelope),
    /// After the top-level value: only whitespace may follow.
    Trailing,
    /// NDJSON: one ticket per line.
    Lines,
}

/// Where the reader is inside the envelope object.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Envelope {
    /// After `{` (`first`) or `,`: a key, or `}` when first.
    Key { first: bool },
    /// After a key: `:`. The key's JSON text is kept for error messages.
    Colon(Vec<u8>),
    /// After `:`: the key's value.
    Value(Vec<u8>),
    /// After a value: `,` or `}`.
    Comma,
}

/// The value of an envelope key, as the reader treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Tickets,
    Dataset,
    Other,
}

fn key_kind(key_json: &[u8]) -> KeyKind {
    match serde_json::from_slice::<String>(key_json).as_deref() {
        Ok("tickets") => KeyKind::Tickets,
        Ok("dataset") => KeyKind::Dataset,
        _ => KeyKind::Other,
    }
}

/// Reads one canonical file fed in chunks into a [`Builder`].
#[derive(Debug)]
pub struct CanonicalReader {
    /// Bytes not yet consumed, kept between chunks (all bytes while the state keeps them).
    buf: Vec<u8>,
    /// Next byte to look at in the bytes being read (the kept ones, then the new chunk).
    pos: usize,
    state: State,
    layout: Option<Layout>,
    /// Whether the ticket array is the envelope's (for the prefixes of error messages).
    in_envelope: bool,
    /// Line breaks in the bytes already dropped, and bytes since the last of them: where the
    /// bytes being read start in the file, for messages.
    lines_dropped: usize,
    column_dropped: usize,
    /// `dataset` values met before the ticket array, applied when it starts (byte ranges in
    /// `buf`, whose bytes are kept until then).
    datasets: Vec<(usize, usize)>,
    /// NDJSON: index of the next line.
    line_no: usize,
    /// Length of the UTF-8 byte-order mark at the start of the file (0 or 3).
    origin: usize,
    /// Bytes of the file before `buf`: `buf[i]` is byte `offset_dropped + i` of the file.
    offset_dropped: u64,
    /// Stop before the first record after a comma that starts at or after this file offset
    /// (parallel reading, see `super::parallel`).
    stop: Option<u64>,
    /// A reader of one part for another worker: it also stops at the end of the ticket array
    /// and before anything it cannot read, instead of failing.
    part: bool,
    /// Where it stopped: the file offset and the line and column there.
    stopped: Option<Stopped>,
}

/// Where a reader stopped (see [`CanonicalReader::stop_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stopped {
    /// File offset of the next byte to read.
    pub offset: u64,
    /// Line (1-based) and column (0-based) of that byte, counted from where the reader started.
    pub line: usize,
    pub column: usize,
    /// True before a record (after a comma); false after one (before `,` or `]`).
    pub before_record: bool,
}

impl Default for CanonicalReader {
    fn default() -> Self {
        Self::new()
    }
}

impl CanonicalReader {
    /// A reader at the start of a file.
    pub fn new() -> Self {
        CanonicalReader {
            buf: Vec::new(),
            pos: 0,
            state: State::Start,
            layout: None,
            in_envelope: false,
            lines_dropped: 0,
            column_dropped: 0,
            datasets: Vec::new(),
            line_no: 0,
            origin: 0,
            offset_dropped: 0,
            stop: None,
            part: false,
            stopped: None,
        }
    }

    /// A reader of one part of a canonical file's ticket array: it starts at file offset
    /// `start`, a record's first byte right after a comma, and stops before the first record
    /// that starts at or after `limit`, before the array's end, before anything it cannot read
    /// (the whole file's reader meets that itself, with its message) or at the end of the file.
    pub(super) fn part(start: u64, limit: Option<u64>) -> Self {
        CanonicalReader {
            state: State::Element,
            layout: Some(Layout::Array),
            offset_dropped: start,
            stop: Some(limit.unwrap_or(u64::MAX)),
            part: true,
            ..CanonicalReader::new()
        }
    }

    /// Makes the reader stop before the first record of the ticket array that follows a comma
    /// and starts at or after file offset `offset`: where a part read by another worker may
    /// start.
    pub(super) fn stop_at(&mut self, offset: u64) {
        self.stop = Some(offset);
    }

    /// Where the reader stopped, if it did.
    pub(super) fn stopped(&self) -> Option<Stopped> {
        self.stopped
    }

    /// Goes on from where it stopped, with the bytes it kept, as if it had never stopped.
    pub(super) fn go_on(&mut self) {
        self.stopped = None;
        self.stop = None;
    }

    /// Goes on after parts that other readers read from where this one stopped: `end` is where
    /// the last of them stopped, its line and column counted from this reader's stop (line 1
    /// is the stop's line). The bytes before `end.offset` are not read here; the next chunk
    /// fed must start at `end.offset`.
    pub(super) fn skip_to(&mut self, end: Stopped) {
        let here = self.stopped.take().expect("skip_to after a stop");
        let line = here.line + end.line - 1;
        let column = if end.line == 1 {
            here.column + end.column
        } else {
            end.column
        };
        self.buf.clear();
        self.pos = 0;
        self.offset_dropped = end.offset;
        self.lines_dropped = line - 1;
        // `position` takes the byte-order mark off columns on the first line.
        self.column_dropped = column
            + if self.lines_dropped == 0 {
                self.origin
            } else {
                0
            };
        self.state = if end.before_record {
            State::Element
        } else {
            State::Next
        };
        self.stop = None;
    }

    /// Ends a part reader's work: reads what it kept to the end of the file, if it had not
    /// stopped yet, and says where it stopped.
    pub(super) fn finish_part(mut self, builder: &mut Builder) -> Stopped {
        let data = std::mem::take(&mut self.buf);
        if self.stopped.is_none() {
            // A part reader never fails: it stops (see `advance`).
            let _ = self.advance(&data, builder, true);
        }
        self.stopped
            .expect("a part reader stops at the end of the file")
    }

    /// Stops at the current position (the state says what comes next).
    fn halt(&mut self, data: &[u8]) {
        let (line, column) = self.position(data, self.pos);
        self.stopped = Some(Stopped {
            offset: self.offset_dropped + self.pos as u64,
            line,
            column,
            before_record: self.state == State::Element,
        });
    }

    /// Reads a whole file (one chunk, then the end), where it lies: nothing is copied.
    pub fn read_all(bytes: &[u8], builder: &mut Builder) -> Result<Layout> {
        CanonicalReader::new().end(bytes, builder)
    }

    /// Feeds the next bytes of the file: every ticket they complete is pushed into `builder`.
    /// After an error the reader must not be fed again.
    pub fn push(&mut self, chunk: &[u8], builder: &mut Builder) -> Result<()> {
        if self.stopped.is_some() {
            // Kept for `go_on`.
            self.buf.extend_from_slice(chunk);
            return Ok(());
        }
        if self.buf.is_empty() {
            // The usual case: the chunk is read where it lies and only its unfinished tail
            // (a record cut in two) is kept.
            self.advance(chunk, builder, false)?;
            self.keep_rest(chunk);
        } else {
            let mut data = std::mem::take(&mut self.buf);
            data.extend_from_slice(chunk);
            let result = self.advance(&data, builder, false);
            self.keep_rest(&data);
            result?;
        }
        Ok(())
    }

    /// Ends the file: reads what is left and says which layout the file had.
    pub fn finish(mut self, builder: &mut Builder) -> Result<Layout> {
        let data = std::mem::take(&mut self.buf);
        self.end(&data, builder)
    }

    /// Reads `data`, the last unread bytes of the file (and, when the state keeps
    /// everything, all of it), to the end.
    fn end(mut self, data: &[u8], builder: &mut Builder) -> Result<Layout> {
        // The last bytes are read here whatever split was asked for: no part can follow.
        self.stop = None;
        self.advance(data, builder, true)?;
        match self.state {
            State::Whole | State::Object(_) => super::parse_whole(data, builder),
            State::Trailing | State::Lines => self.layout.ok_or(Error::Empty),
            // The file ends inside the array or the envelope: serde says where and how.
            _ => Err(self.error_here(data)),
        }
    }

    /// Bytes held for parsing right now (a record cut by a chunk end, or a kept head).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    fn keeps_everything(&self) -> bool {
        matches!(self.state, State::Start | State::Object(_) | State::Whole)
    }

    /// Keeps the unconsumed rest of `data` (all of it while the state keeps everything),
    /// counting the line breaks of what is dropped for later positions.
    fn keep_rest(&mut self, data: &[u8]) {
        let from = if self.keeps_everything() { 0 } else { self.pos };
        let gone = &data[..from];
        match gone.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.lines_dropped += gone.iter().filter(|&&b| b == b'\n').count();
                self.column_dropped = gone.len() - last - 1;
            }
            None => self.column_dropped += gone.len(),
        }
        self.buf = data[from..].to_vec();
        self.pos -= from;
        self.offset_dropped += from as u64;
    }

    /// Line (1-based) and column (bytes since the line start) of `buf[at]` in the file.
    fn position(&self, data: &[u8], at: usize) -> (usize, usize) {
        let before = &data[..at];
        let breaks = before.iter().filter(|&&b| b == b'\n').count();
        let column = match before.iter().rposition(|&b| b == b'\n') {
            Some(last) => at - last - 1,
            // On the first line, the byte-order mark is not a column.
            None if self.lines_dropped == 0 => self.column_dropped + at - self.origin,
            None => self.column_dropped + at,
        };
        (self.lines_dropped + breaks + 1, column)
    }

    /// Skips JSON whitespace (space, tab, line feed, carriage return — not the form feed that
    /// `u8::is_ascii_whitespace` also allows, which JSON refuses) and returns the next byte.
    fn skip_ws(&mut self, data: &[u8]) -> Option<u8> {
        while let Some(&b) = data.get(self.pos) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Runs the state machine over the buffered bytes. `eof`: no more bytes will come.
    fn advance(&mut self, data: &[u8], builder: &mut Builder, eof: bool) -> Result<()> {
        let result = self.run(data, builder, eof);
        if self.part && self.stopped.is_none() {
            // A part stops before what it cannot read, and at the end of the file: the whole
            // file's reader goes on from there and says what is wrong, if anything is.
            if result.is_err() || eof {
                self.halt(data);
            }
            return Ok(());
        }
        result
    }

    /// The state machine of [`Self::advance`].
    fn run(&mut self, data: &[u8], builder: &mut Builder, eof: bool) -> Result<()> {
        // The bytes as text, checked once for the whole chunk when the first record is met,
        // up to the first byte that is not UTF-8 (usually only a character cut by the chunk's
        // end): records inside are read by the scanner straight from it.
        let mut text: Option<&str> = None;
        loop {
            if self.stopped.is_some() {
                return Ok(());
            }
            match self.state.clone() {
                State::Start => {
                    if data.len() < HEAD_BYTES && !eof {
                        return Ok(());
                    }
                    // Encoding first (UTF-16, binary files), then a UTF-8 byte-order mark.
                    let stripped = super::check_encoding(data)?.len();
                    // Positions count from the first byte after a UTF-8 byte-order mark.
                    self.origin = data.len() - stripped;
                    self.pos = self.origin;
                    match self.skip_ws(data) {
                        None if eof => return Err(Error::Empty),
                        None => return Ok(()),
                        Some(b'[') => {
                            self.pos += 1;
                            self.layout = Some(Layout::Array);
                            self.state = State::First;
                        }
                        Some(b'{') => self.state = State::Object(Envelope::Key { first: true }),
                        Some(_) => self.state = State::Whole,
                    }
                    // The leading whitespace is part of the text (NDJSON counts its lines).
                    if self.state != State::First {
                        self.pos = self.origin;
                    }
                }
                State::Whole => return Ok(()),
                State::Object(_) => {
                    if !self.decide_object(data, builder, eof)? {
                        return Ok(());
                    }
                }
                State::First | State::Element => {
                    let first = self.state == State::First;
                    match self.skip_ws(data) {
                        None => return self.need_more(data, eof),
                        Some(b']') if first => {
                            self.pos += 1;
                            self.state = self.after_array();
                        }
                        Some(b',' | b']') => return Err(self.error_here(data)),
                        Some(_)
                            if !first
                                && self.stop.is_some_and(|s| {
                                    self.offset_dropped + self.pos as u64 >= s
                                }) =>
                        {
                            self.halt(data);
                            return Ok(());
                        }
                        Some(_) => {
                            // The fast path: the scanner reads the record where it lies and
                            // says where it ends.
                            let text = *text.get_or_insert_with(|| utf8_prefix(data));
                            if let Some((ticket, end)) = read_ticket_at(text, self.pos) {
                                builder.push_repeating(Nested::Value(ticket), Vec::new());
                                self.pos = end;
                                self.state = State::Next;
                                continue;
                            }
                            let Some(end) = value_end(data, self.pos, eof) else {
                                return self.need_more(data, eof);
                            };
                            self.record(data, self.pos, end, builder)?;
                            self.pos = end;
                            self.state = State::Next;
                        }
                    }
                }
                State::Next => match self.skip_ws(data) {
                    None => return self.need_more(data, eof),
                    Some(b) if self.part && b != b',' => {
                        self.halt(data);
                        return Ok(());
                    }
                    Some(b',') => {
                        self.pos += 1;
                        self.state = State::Element;
                    }
                    Some(b']') => {
                        self.pos += 1;
                        self.state = self.after_array();
                    }
                    Some(_) => return Err(self.error_here(data)),
                },
                State::After(env) => {
                    if !self.envelope_step(data, env, builder, eof)? {
                        return Ok(());
                    }
                }
                State::Trailing => match self.skip_ws(data) {
                    None => return Ok(()),
                    Some(_) => return Err(self.error_here(data)),
                },
                State::Lines => {
                    self.lines(data, builder, eof);
                    return Ok(());
                }
            }
        }
    }

    /// Out of bytes in the middle of something: wait for more, or say where the file ended.
    fn need_more(&self, data: &[u8], eof: bool) -> Result<()> {
        if eof {
            Err(self.error_here(data))
        } else {
            Ok(())
        }
    }

    fn after_array(&self) -> State {
        if self.in_envelope {
            State::After(Envelope::Comma)
        } else {
            State::Trailing
        }
    }

    /// Parses the record `data[start..end]` and pushes it: by the fast scanner when it can
    /// (a well-formed record without repeated keys), else by serde, which gives the same
    /// record or the error.
    fn record(
        &mut self,
        data: &[u8],
        start: usize,
        end: usize,
        builder: &mut Builder,
    ) -> Result<()> {
        let slice = &data[start..end];
        if let Some(ticket) = super::scan::read_ticket(slice) {
            builder.push_repeating(Nested::Value(ticket), Vec::new());
            return Ok(());
        }
        // An earlier record that failed halfway may have left names behind.
        raw::take_repeated_keys();
        match serde_json::from_slice::<Nested<RawTicket>>(slice) {
            Ok(record) => {
                builder.push_repeating(record, raw::take_repeated_keys());
                Ok(())
            }
            Err(_) => Err(self.error_here(data)),
        }
    }

    /// `{` first, every byte kept: NDJSON, or an envelope whose ticket array can be streamed,
    /// or something for the whole-document reader. False when more bytes are needed.
    fn decide_object(&mut self, data: &[u8], builder: &mut Builder, eof: bool) -> Result<bool> {
        let State::Object(env) = self.state.clone() else {
            unreachable!("decide_object outside the object state")
        };
        if self.layout.is_none() {
            // NDJSON is recognised as the whole-document reader recognises it: the first line
            // is a whole JSON value and something follows it.
            let start = self.origin
                + data[self.origin..]
                    .iter()
                    .position(|b| !b.is_ascii_whitespace())
                    .unwrap_or(0);
            let text = &data[start..];
            match text.iter().position(|&b| b == b'\n') {
                Some(nl) if !eof && text[nl..].iter().all(|b| b.is_ascii_whitespace()) => {
                    return Ok(false)
                }
                Some(_) if super::is_ndjson(text) => {
                    self.layout = Some(Layout::Ndjson);
                    self.state = State::Lines;
                    self.pos = self.origin;
                    return Ok(true);
                }
                None if !eof && text.len() <= NDJSON_FIRST_LINE_MAX => return Ok(false),
                _ => {}
            }
            self.layout = Some(Layout::Envelope);
            // Past the `{`.
            self.pos = start + 1;
        }
        self.envelope_step(data, env, builder, eof)
    }

    /// One step inside the envelope object. False when more bytes are needed.
    fn envelope_step(
        &mut self,
        data: &[u8],
        env: Envelope,
        builder: &mut Builder,
        eof: bool,
    ) -> Result<bool> {
        let before_tickets = matches!(self.state, State::Object(_));
        let set = |s: &mut Self, e: Envelope| {
            s.state = if before_tickets {
                State::Object(e)
            } else {
                State::After(e)
            };
        };
        // Before the tickets, anything unusual goes to the whole-document reader.
        let unusual = |s: &mut Self| {
            if before_tickets {
                s.state = State::Whole;
                Ok(true)
            } else {
                Err(s.error_here(data))
            }
        };
        // Out of bytes: wait for more; at the end of the file, the envelope is cut short (the
        // whole-document reader's message before the tickets, serde's on the rest after them).
        let more = |s: &mut Self| if eof { unusual(s) } else { Ok(false) };
        let Some(b) = self.skip_ws(data) else {
            return more(self);
        };
        match env {
            Envelope::Key { first } => match b {
                b'}' if first => {
                    // No tickets key at all: the whole-document reader says what it is.
                    self.pos += 1;
                    return unusual(self);
                }
                b'"' => {
                    let Some(end) = value_end(data, self.pos, eof) else {
                        return more(self);
                    };
                    let key = data[self.pos..end].to_vec();
                    self.pos = end;
                    set(self, Envelope::Colon(key));
                }
                _ => return unusual(self),
            },
            Envelope::Colon(key) => {
                if b != b':' {
                    return unusual(self);
                }
                self.pos += 1;
                set(self, Envelope::Value(key));
            }
            Envelope::Value(key) => {
                let kind = key_kind(&key);
                if kind == KeyKind::Tickets && b == b'[' {
                    self.pos += 1;
                    if before_tickets {
                        self.start_tickets(data, builder)?;
                    }
                    self.in_envelope = true;
                    self.state = State::First;
                    return Ok(true);
                }
                if kind == KeyKind::Tickets {
                    // `"tickets": 5` and the like: the whole-document reader's message.
                    return unusual(self);
                }
                let Some(end) = value_end(data, self.pos, eof) else {
                    return more(self);
                };
                if kind == KeyKind::Dataset {
                    if before_tickets {
                        self.datasets.push((self.pos, end));
                    } else {
                        let value = data[self.pos..end].to_vec();
                        if apply_dataset(&value, builder).is_err() {
                            return Err(self.error_here(data));
                        }
                    }
                } else if serde_json::from_slice::<IgnoredAny>(&data[self.pos..end]).is_err() {
                    return unusual(self);
                }
                self.pos = end;
                set(self, Envelope::Comma);
            }
            Envelope::Comma => match b {
                b',' => {
                    self.pos += 1;
                    set(self, Envelope::Key { first: false });
                }
                b'}' => {
                    self.pos += 1;
                    if before_tickets {
                        return unusual(self);
                    }
                    self.state = State::Trailing;
                }
                _ => return unusual(self),
            },
        }
        Ok(true)
    }

    /// The envelope's ticket array starts: the `dataset` values met so far are applied (an
    /// unreadable one sends the file to the whole-document reader for its message).
    fn start_tickets(&mut self, data: &[u8], builder: &mut Builder) -> Result<()> {
        for (start, end) in std::mem::take(&mut self.datasets) {
            if apply_dataset(&data[start..end], builder).is_err() {
                // Not reached for well-formed JSON; kept exact by reading the file whole.
                return Err(super::parse_whole(data, &mut Builder::new(0))
                    .err()
                    .unwrap_or_else(|| self.error_here(data)));
            }
        }
        Ok(())
    }

    /// NDJSON: reads every complete line (and the last one at the end of the file).
    fn lines(&mut self, data: &[u8], builder: &mut Builder, eof: bool) {
        loop {
            let rest = &data[self.pos..];
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(nl) => (&rest[..nl], self.pos + nl + 1),
                None if eof && !rest.is_empty() => (rest, data.len()),
                None => return,
            };
            super::read_ndjson_line(line, self.line_no, builder);
            self.line_no += 1;
            self.pos = next;
        }
    }

    /// The error at the current position, in serde_json's words: the rest of the text is
    /// parsed behind a prefix that puts the parser in the reader's state.
    fn error_here(&self, data: &[u8]) -> Error {
        let prefix: Vec<u8> = match &self.state {
            State::First if self.in_envelope => b"{\"tickets\":[".to_vec(),
            State::First => b"[".to_vec(),
            // An earlier element is written `{}`: a number there would run on into the text
            // that follows (`0` then `e…` reads as an exponent).
            State::Element if self.in_envelope => b"{\"tickets\":[{},".to_vec(),
            State::Element => b"[{},".to_vec(),
            State::Next if self.in_envelope => b"{\"tickets\":[{}".to_vec(),
            State::Next => b"[{}".to_vec(),
            State::Trailing if self.in_envelope => b"{\"tickets\":[]}".to_vec(),
            State::Trailing => b"[]".to_vec(),
            State::After(Envelope::Comma) => b"{\"tickets\":[]".to_vec(),
            State::After(Envelope::Key { .. }) => b"{\"tickets\":[],".to_vec(),
            State::After(Envelope::Colon(key)) => [&b"{\"tickets\":[],"[..], key].concat(),
            State::After(Envelope::Value(key)) => [&b"{\"tickets\":[],"[..], key, b":"].concat(),
            // Not reached: these states read the kept text whole instead.
            State::Start | State::Object(_) | State::Whole | State::Lines => Vec::new(),
        };
        let (line, column) = self.position(data, self.pos);
        let mut text = prefix.clone();
        text.extend_from_slice(&data[self.pos..]);
        let err = match parse_tickets_doc(&text) {
            Err(e) => e,
            // Not reached: the reader only asks where a real error is.
            Ok(()) => {
                return Error::Syntax {
                    line,
                    column: column + 1,
                    message: "unexpected input".into(),
                }
            }
        };
        // Back into the file: the prefix sits on the first line of `text`.
        let place = |l: usize, c: usize| {
            if l == 1 {
                // (Column 0 is serde's for the end of a file that ends with a line break.)
                (line, (c + column).saturating_sub(prefix.len()))
            } else {
                (line + l - 1, c)
            }
        };
        if let Err(bad) = std::str::from_utf8(&text) {
            let upto = &text[..bad.valid_up_to()];
            let l = upto.iter().filter(|&&b| b == b'\n').count() + 1;
            let c = upto.len() - upto.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
            let (line, column) = place(l, c);
            return super::encoding_error(line, column);
        }
        let (l, c) = place(err.line(), err.column());
        Error::from_json_at(&err, l, c)
    }
}

/// The longest prefix of `data` that is UTF-8, as text.
fn utf8_prefix(data: &[u8]) -> &str {
    match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(e) => {
            // SAFETY: `valid_up_to` is the length of the longest prefix of `data` that is
            // valid UTF-8, so that prefix is a valid `str`.
            unsafe { std::str::from_utf8_unchecked(&data[..e.valid_up_to()]) }
        }
    }
}

/// Applies one `dataset` value through serde, as the whole-document reader does (the same
/// depth: the value sits inside the envelope object).
fn apply_dataset(value: &[u8], builder: &mut Builder) -> std::result::Result<(), ()> {
    let mut text = b"{\"dataset\":".to_vec();
    text.extend_from_slice(value);
    text.push(b'}');
    super::parse_document_into(&text, builder).map_err(|_| ())
}

/// serde_json's verdict on a document made of a prefix and the rest of a file.
fn parse_tickets_doc(text: &[u8]) -> std::result::Result<(), serde_json::Error> {
    let mut scratch = Builder::new(0);
    let mut de = serde_json::Deserializer::from_slice(text);
    (&mut de).deserialize_any(ScratchVisitor {
        builder: &mut scratch,
    })?;
    de.end()
}

/// Visits a whole document like the whole-document reader (so errors are its errors) into a
/// scratch builder.
struct ScratchVisitor<'b> {
    builder: &'b mut Builder,
}

impl<'de> Visitor<'de> for ScratchVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of tickets or an object with a \"tickets\" array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        super::TicketsVisitor {
            builder: self.builder,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        super::DocumentVisitor {
            builder: self.builder,
        }
        .visit_map(map)
        .map(|_| ())
    }
}

/// The end of the JSON value starting at `buf[start]` (not whitespace), found by matching
/// brackets outside strings; `None` when the buffer ends first (at the end of the file, a
/// number or literal ends with the buffer). The value itself is not validated: the parser of
/// the slice does that, and a slice that does not parse is reported by serde on the whole rest.
pub(crate) fn value_end(buf: &[u8], start: usize, eof: bool) -> Option<usize> {
    match buf[start] {
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                i = next_structural(buf, i)?;
                match buf[i] {
                    b'"' => i = string_end(buf, i)?,
                    b'{' | b'[' => {
                        depth += 1;
                        i += 1;
                    }
                    _ => {
                        depth -= 1;
                        i += 1;
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                }
            }
        }
        b'"' => string_end(buf, start),
        _ => {
            // A number or literal (or garbage, which the slice's parser reports).
            let len = buf[start..]
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'));
            match len {
                Some(n) => Some(start + n),
                None => eof.then_some(buf.len()),
            }
        }
    }
}

/// Eight copies of a byte.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of every byte of `word` that equals `b` (exact for the lowest match, which is
/// the one used: the classic "has zero byte" test on `word ^ splat(b)`).
#[inline]
fn bytes_equal(word: u64, b: u8) -> u64 {
    let x = word ^ splat(b);
    x.wrapping_sub(splat(1)) & !x & splat(0x80)
}

/// Reads eight bytes little-endian, so the lowest match is the first byte in the text.
#[inline]
fn word_at(buf: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(buf[i..i + 8].try_into().expect("eight bytes"))
}

/// The index of the next `"`, `{`, `}`, `[` or `]` at or after `i`, eight bytes at a time (the
/// record scan's hot loop: pretty-printed exports are mostly indentation and plain text).
fn next_structural(buf: &[u8], mut i: usize) -> Option<usize> {
    while i + 8 <= buf.len() {
        let word = word_at(buf, i);
        // `[`/`{` and `]`/`}` differ only in bit 0x20: one test each for both.
        let folded = word | splat(0x20);
        let hits = bytes_equal(word, b'"') | bytes_equal(folded, b'{') | bytes_equal(folded, b'}');
        if hits != 0 {
            return Some(i + hits.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    buf[i..]
        .iter()
        .position(|b| matches!(b, b'"' | b'{' | b'}' | b'[' | b']'))
        .map(|n| i + n)
}

/// The index after the closing quote of the string opening at `buf[start]`.
fn string_end(buf: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        while i + 8 <= buf.len() {
            let word = word_at(buf, i);
            let hits = bytes_equal(word, b'"') | bytes_equal(word, b'\\');
            if hits != 0 {
                i += hits.trailing_zeros() as usize / 8;
                break;
            }
            i += 8;
        }
        match buf.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time scan agrees with a byte-by-byte one on every start of many values.
    #[test]
    fn value_end_matches_a_plain_scan() {
        fn plain(buf: &[u8], start: usize, eof: bool) -> Option<usize> {
            let mut i = start;
            match buf[i] {
                b'{' | b'[' => {
                    let mut depth = 0usize;
                    let mut in_string = false;
                    while i < buf.len() {
                        let b = buf[i];
                        if in_string {
                            match b {
                                b'\\' => i += 1,
                                b'"' => in_string = false,
                                _ => {}
                            }
                        } else {
                            match b {
                                b'"' => in_string = true,
                                b'{' | b'[' => depth += 1,
                                b'}' | b']' => {
                                    depth -= 1;
                                    if depth == 0 {
                                        return Some(i + 1);
                                    }
                                }
                                _ => {}
                            }
                        }
                        i += 1;
                    }
                    None
                }
                b'"' => {
                    i += 1;
                    while i < buf.len() {
                        match buf[i] {
                            b'"' => return Some(i + 1),
                            b'\\' => i += 2,
                            _ => i += 1,
                        }
                    }
                    None
                }
                _ => {
                    while i < buf.len() {
                        if matches!(buf[i], b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t') {
                            return Some(i);
                        }
                        i += 1;
                    }
                    eof.then_some(i)
                }
            }
        }
        let text = r#"[{"a": "x\"}{[", "b": [1, 2, {"c": "\\"}], "d": "\u00e9é]"}, 12, "s\\", true] {"k":[[[]]]}"#
            .as_bytes();
        // Every prefix (a chunk cut anywhere), every start that is not whitespace.
        for end in 0..=text.len() {
            let buf = &text[..end];
            for start in 0..end {
                if buf[start].is_ascii_whitespace() {
                    continue;
                }
                for eof in [false, true] {
                    assert_eq!(
                        value_end(buf, start, eof),
                        plain(buf, start, eof),
                        "start {start}, end {end}, eof {eof}"
                    );
                }
            }
        }
    }
}

//! One canonical file read by several workers at once, each with its own wasm instance, and
//! merged into exactly the dataset one reader would have made.
//!
//! The protocol (the page's side is `www/engine-core.js`):
//! 1. The file is cut at byte offsets `g1 < g2 < …`. The whole file's reader (the main
//!    worker's [`super::Feed`]) is told to stop at `g1` ([`super::Feed::split_at`]).
//! 2. Helper `i` looks at the bytes from `gi` for the first place that looks like the start
//!    of a ticket record ([`part_start`]: a `{` after `}` and `,`) and reads records from there
//!    with a [`PartReader`], stopping before the first record that starts at or after
//!    `g(i+1)`, or at the end of the ticket array, or before anything it cannot read.
//! 3. The main reader stops before the first record of the array (after a comma) that starts
//!    at or after `g1`. It takes each part in order only if the part starts exactly where the
//!    previous reader stopped, before a record: that proves the guessed start was a real
//!    record boundary, not bytes inside a string. Then it goes on from where the last part
//!    stopped. A part that does not fit, and every part after it, is dropped and the main
//!    reader reads on itself, so the result never depends on a guess.
//!
//! Merging is exact ([`Builder::append_part`]): records are renumbered, duplicate ids are
//! judged against every earlier record, warnings keep their first examples, naive times wait
//! for the dataset's timezone, and syntax errors are found by the main reader itself with
//! their line and column, because a part stops before them. `tests/parallel.rs` compares the
//! merged dataset with a single read for many cut points, layouts and broken files.

use super::canonical::{value_end, CanonicalReader, Stopped};
use super::scan;
use super::wire::{Reader, Wire};
use super::Builder;
use crate::raw::{Nested, RawTicket};

/// Bytes a helper looks at from its cut point for the start of a record. Records larger than
/// this (very long conversations) only mean the helper finds no start and the main reader
/// reads that part itself.
pub const PART_WINDOW: usize = 1 << 20;

/// Bytes before its cut point a helper also looks at: the end of the record before a record
/// that starts right at the cut (the main reader stops before that record).
pub const PART_LOOKBACK: usize = 256;

/// Marks the bytes of a part ([`PartReader::finish`]).
const TAG: u64 = u64::from_le_bytes(*b"tkrange1");

/// Where a part may start in `window`, bytes of the file from [`PART_LOOKBACK`] bytes before
/// the cut point (or from the file's start) to [`PART_WINDOW`] bytes after it, `cut` being the
/// cut point's index in it: the first `{` at or after the cut that follows `}` and `,` (with
/// only JSON whitespace around them) and opens an object that has a `created_at` key — the
/// start of a ticket record right after another. Messages and status changes inside a record
/// also follow `},`, but have no `created_at`. Bytes inside a string can still look like this;
/// the merge finds that out (see the module documentation).
pub fn part_start(window: &[u8], cut: usize) -> Option<usize> {
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let before = |mut i: usize| {
        while i > 0 && is_ws(window[i - 1]) {
            i -= 1;
        }
        i.checked_sub(1).map(|j| (j, window[j]))
    };
    let mut from = cut;
    while let Some(k) = window.get(from..)?.iter().position(|&b| b == b'{') {
        let i = from + k;
        if let Some((comma, b',')) = before(i) {
            if let Some((_, b'}')) = before(comma) {
                // (No end within the window: a record cut by it, or a `{` inside a string.)
                let end = value_end(window, i, false);
                if end.is_some_and(|end| is_ticket(&window[i..end])) {
                    return Some(i);
                }
            }
        }
        from = i + 1;
    }
    None
}

/// Whether `object` reads as a ticket record with a `created_at`.
fn is_ticket(object: &[u8]) -> bool {
    match scan::read_ticket(object) {
        Some(t) => !t.created_at.is_missing(),
        None => serde_json::from_slice::<Nested<RawTicket>>(object)
            .is_ok_and(|r| matches!(r, Nested::Value(t) if !t.created_at.is_missing())),
    }
}

/// Reads one part of a canonical file's ticket array for the main worker (see the module
/// documentation).
pub struct PartReader {
    reader: CanonicalReader,
    builder: Builder,
    start: u64,
    stopped: bool,
}

impl PartReader {
    /// A part starting at file offset `start` (found with [`part_start`]) that stops before
    /// the first record starting at or after `limit` (none: the end of the ticket array).
    pub fn new(start: u64, limit: Option<u64>) -> Self {
        PartReader {
            reader: CanonicalReader::part(start, limit),
            builder: Builder::part(),
            start,
            stopped: false,
        }
    }

    /// Feeds the next bytes of the file, from `start` on; true once the part has stopped and
    /// needs no more.
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        if !self.stopped {
            // A part reader stops instead of failing.
            let _ = self.reader.push(chunk, &mut self.builder);
            self.stopped = self.reader.stopped().is_some();
        }
        self.stopped
    }

    /// Records read so far.
    pub fn records(&self) -> usize {
        self.builder.records()
    }

    /// The part as bytes for the main worker's [`super::Feed::take_part`] (called when the
    /// file ended or [`Self::push`] said the part stopped).
    pub fn finish(self) -> Vec<u8> {
        let PartReader {
            reader,
            mut builder,
            start,
            ..
        } = self;
        let end = reader.finish_part(&mut builder);
        let mut out = Vec::new();
        TAG.put(&mut out);
        start.put(&mut out);
        put_stop(&end, &mut out);
        builder.part_to_bytes(&mut out);
        out
    }
}

fn put_stop(s: &Stopped, out: &mut Vec<u8>) {
    s.offset.put(out);
    s.line.put(out);
    s.column.put(out);
    s.before_record.put(out);
}

/// A part's bytes: where it started, where it stopped, and the builder's bytes.
pub(super) fn read_part(bytes: &[u8]) -> Option<(u64, Stopped, &[u8])> {
    let r = &mut Reader::new(bytes);
    if u64::take(r)? != TAG {
        return None;
    }
    let start = u64::take(r)?;
    let end = Stopped {
        offset: u64::take(r)?,
        line: usize::take(r)?,
        column: usize::take(r)?,
        before_record: bool::take(r)?,
    };
    (end.line >= 1 && end.offset >= start).then_some((start, end, r.rest()))
}

/// Where `b` stopped, counted from where `a` started, when `b` went on from where `a` stopped.
pub(super) fn chain(a: Stopped, b: Stopped) -> Stopped {
    Stopped {
        offset: b.offset,
        line: a.line + b.line - 1,
        column: if b.line == 1 {
            a.column + b.column
        } else {
            b.column
        },
        before_record: b.before_record,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_starts_at_a_ticket_after_a_closing_brace_and_a_comma() {
        let t = br#"{"id": 2, "created_at": 5}"#;
        let at = |prefix: &[u8]| part_start(&[prefix, t].concat(), 0);
        assert_eq!(at(b"\"a\": 1},\n  "), Some(11));
        assert_eq!(at(b"},"), Some(2));
        // Not after a comma, not after a brace.
        assert_eq!(at(b"["), None);
        assert_eq!(at(b"\"x\", "), None);
        // A message object is passed over for the ticket after it.
        let nested = br#""a": 1}, {"at": 1, "author": "agent"}]}, "#;
        assert_eq!(at(nested), Some(nested.len()));
        // Cut by the window's end, or nothing at all.
        assert_eq!(part_start(br#"}, {"id": 2, "created"#, 0), None);
        assert_eq!(part_start(b"", 0), None);
        assert_eq!(part_start(b"{", 0), None);
        // The record before the cut is looked back at, not taken.
        assert_eq!(part_start(&[&b"}, "[..], t].concat(), 3), Some(3));
        assert_eq!(part_start(&[&b"}, "[..], t].concat(), 4), None);
    }
}

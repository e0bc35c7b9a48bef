//! A purpose-built reader for one canonical ticket record: the fast path of the canonical
//! ingest.
//!
//! The serde path ([`crate::raw`]) reads a ticket through `deserialize_any`, a derive over a
//! `MapAccessDeserializer` and a duplicate-key filter; half of the ingest time went there. This
//! scanner reads the same bytes straight into the same [`RawTicket`], knowing the record's
//! shape: known keys are matched as bytes, values of unknown keys are skipped by an iterative
//! structural scan that still validates them, strings without escapes are borrowed.
//!
//! Contract: [`read_ticket`] returns `Some(t)` only when
//! `serde_json::from_slice::<Nested<RawTicket>>(record)` gives `Ok(Nested::Value(t))` and no
//! key is repeated in any record object (so [`crate::raw::take_repeated_keys`] would be
//! empty). Everything else — a syntax error, another kind of value, a repeated key, a key with
//! an escape, nesting deeper than [`MAX_DEPTH`], an object with many unknown keys — gives
//! `None`, and the caller reads that record with serde, which produces the positioned error
//! or the warning. `None` is therefore always a correct answer; the differential tests below
//! check that `Some` is only ever the serde answer, and that generated data never needs the
//! fallback.

use crate::raw::{
    Loose, Nested, PersonRef, RawMessage, RawQueue, RawSatisfaction, RawStatusChange, RawTicket,
};
use std::borrow::Cow;

/// Deepest nesting of skipped values the scanner follows (one bit per level of its bracket
/// stack). serde_json skips values without a depth limit; deeper ones go to it.
const MAX_DEPTH: u32 = 128;

/// Unknown keys in one record object the scanner keeps for its duplicate check (a linear
/// list: canonical records have none or a few). An object with more goes to serde, whose
/// duplicate check switches to a set.
const MAX_UNKNOWN_KEYS: usize = 64;

/// Reads one ticket record (the bytes of exactly one JSON value, whitespace around it
/// allowed); `None` whenever the serde path must decide (see the module documentation).
pub(crate) fn read_ticket(record: &[u8]) -> Option<RawTicket<'_>> {
    // serde_json checks UTF-8 only in strings it decodes; checking the whole record once is
    // stricter (an invalid byte in a skipped string gives `None`, which is allowed) and lets
    // every string below be sliced from a `&str` without unsafe code.
    let text = std::str::from_utf8(record).ok()?;
    let (t, end) = read_ticket_at(text, 0)?;
    let mut p = Parser {
        s: text,
        b: text.as_bytes(),
        i: end,
    };
    p.ws();
    (p.i == p.b.len()).then_some(t)
}

/// Reads the ticket record that starts at `text[start..]` (after optional whitespace) and
/// says where it ends, in text that goes on after it (the next records of a stream): the
/// streaming reader finds records this way without a separate pass for their ends. `None`
/// as for [`read_ticket`], and also when the text ends inside the record (the caller then
/// finds the record's end itself, or waits for more bytes). `text` is UTF-8 already, checked
/// once for a whole chunk.
pub(crate) fn read_ticket_at(text: &str, start: usize) -> Option<(RawTicket<'_>, usize)> {
    let mut p = Parser {
        s: text,
        b: text.as_bytes(),
        i: start,
    };
    p.ws();
    if p.peek()? != b'{' {
        return None;
    }
    let t = p.ticket()?;
    Some((t, p.i))
}

/// A number as serde_json's parser hands it to a visitor.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Num {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Num {
    /// As [`crate::raw`]'s `LooseVisitor` reads it.
    fn loose<'a>(self) -> Loose<'a> {
        match self {
            Num::U64(v) => i64::try_from(v).map_or(Loose::Float(v as f64), Loose::Int),
            Num::I64(v) => Loose::Int(v),
            Num::F64(v) => Loose::Float(v),
        }
    }

    /// As `NestedVisitor` describes a number where a structure was expected.
    fn wrong<T>(self) -> Nested<T> {
        Nested::Wrong(match self {
            Num::U64(v) => v.to_string(),
            Num::I64(v) => v.to_string(),
            Num::F64(v) => v.to_string(),
        })
    }
}

/// Record keys already seen in one object, for the repeated-key rule.
struct Seen<'a> {
    /// Known fields, one bit each.
    known: u32,
    /// Other keys, as written (keys with escapes never get here).
    unknown: Vec<&'a [u8]>,
}

impl<'a> Seen<'a> {
    fn new() -> Self {
        Seen {
            known: 0,
            unknown: Vec::new(),
        }
    }

    /// `None` when field `bit` was seen before.
    fn known(&mut self, bit: u32) -> Option<()> {
        let mask = 1u32 << bit;
        if self.known & mask != 0 {
            return None;
        }
        self.known |= mask;
        Some(())
    }

    /// `None` when `key` was seen before (or too many unknown keys were).
    fn unknown(&mut self, key: &'a [u8]) -> Option<()> {
        if self.unknown.len() >= MAX_UNKNOWN_KEYS || self.unknown.contains(&key) {
            return None;
        }
        self.unknown.push(key);
        Some(())
    }
}

struct Parser<'a> {
    /// The record, known to be UTF-8.
    s: &'a str,
    /// The same bytes.
    b: &'a [u8],
    /// Position of the next unread byte.
    i: usize,
}

/// Bytes that end the plain run of a string: `"`, `\` and control characters.
const fn ends_plain(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    /// At a `[`: whether the array is empty (`[]`, whitespace allowed).
    fn empty_array(&self) -> bool {
        let mut i = self.i + 1;
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(i) {
            i += 1;
        }
        self.b.get(i) == Some(&b']')
    }

    /// Skips JSON whitespace (exactly the four bytes serde_json accepts).
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// Consumes `lit` (the rest of `true`, `false`, `null`).
    fn literal(&mut self, lit: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + lit.len())? != lit {
            return None;
        }
        self.i += lit.len();
        Some(())
    }

    /// Moves to the next `"`, `\` or control byte of a string (or the end of the input),
    /// eight bytes at a time: most of a record is string content.
    fn plain(&mut self) {
        const ONES: u64 = u64::MAX / 255;
        const HIGH: u64 = ONES << 7;
        while let Some(chunk) = self.b.get(self.i..self.i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            // Per byte, the high bit is set where the byte is < 0x20, == '"' or == '\'
            // (Mycroft's zero-byte test; bytes ≥ 0x80 are excluded by `!x`). Only the lowest
            // flagged byte is exact, which is the one used.
            let ctrl = x.wrapping_sub(ONES * 0x20) & !x;
            let q = x ^ (ONES * b'"' as u64);
            let quote = q.wrapping_sub(ONES) & !q;
            let bs = x ^ (ONES * b'\\' as u64);
            let backslash = bs.wrapping_sub(ONES) & !bs;
            let hit = (ctrl | quote | backslash) & HIGH;
            if hit != 0 {
                self.i += hit.trailing_zeros() as usize / 8;
                return;
            }
            self.i += 8;
        }
        while let Some(&c) = self.b.get(self.i) {
            if ends_plain(c) {
                return;
            }
            self.i += 1;
        }
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + (d as char).to_digit(16)?;
        }
        self.i += 4;
        Some(n)
    }

    /// One escape after its `\`, decoded as serde_json decodes it into a `str`: surrogates
    /// must come in pairs.
    fn escape(&mut self) -> Option<char> {
        Some(match self.bump()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let n = self.hex4()?;
                match n {
                    0xDC00..=0xDFFF => return None,
                    0xD800..=0xDBFF => {
                        if self.b.get(self.i..self.i + 2)? != b"\\u" {
                            return None;
                        }
                        self.i += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return None;
                        }
                        char::from_u32(0x1_0000 + (((n - 0xD800) << 10) | (low - 0xDC00)))?
                    }
                    _ => char::from_u32(n)?,
                }
            }
            _ => return None,
        })
    }

    /// A string value, at its opening quote: borrowed when it has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        self.plain();
        match self.peek()? {
            b'"' => {
                let s = self.s.get(start..self.i)?;
                self.i += 1;
                Some(Cow::Borrowed(s))
            }
            b'\\' => {
                let mut out = String::with_capacity(self.i - start + 16);
                out.push_str(self.s.get(start..self.i)?);
                loop {
                    match self.bump()? {
                        b'"' => return Some(Cow::Owned(out)),
                        b'\\' => out.push(self.escape()?),
                        c if c < 0x20 => return None,
                        _ => {
                            // A plain run: it starts at an ASCII byte and ends at one, so it is
                            // whole characters.
                            let from = self.i - 1;
                            self.plain();
                            out.push_str(self.s.get(from..self.i)?);
                        }
                    }
                }
            }
            _ => None,
        }
    }

    /// Skips a string at its opening quote, validating its escapes.
    fn skip_string(&mut self) -> Option<()> {
        self.i += 1;
        loop {
            self.plain();
            match self.bump()? {
                b'"' => return Some(()),
                b'\\' => {
                    self.escape()?;
                }
                _ => return None,
            }
        }
    }

    /// An object key at its opening quote, and the `:` after it. Keys with escapes are left
    /// to serde (their duplicates would have to be compared decoded).
    fn key(&mut self) -> Option<&'a [u8]> {
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        self.plain();
        if self.peek()? != b'"' {
            return None;
        }
        let key = &self.b[start..self.i];
        self.i += 1;
        self.ws();
        if self.bump()? != b':' {
            return None;
        }
        self.ws();
        Some(key)
    }

    /// The extent of a number token, checked against JSON's grammar; whether it has a
    /// fraction or an exponent.
    fn number_token(&mut self) -> Option<(usize, bool)> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.bump()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            float = true;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.some_digits()?;
        }
        // "01": serde_json refuses a digit after a leading zero (so does the caller's next
        // token check, but say it here).
        if let Some(b'0'..=b'9') = self.peek() {
            return None;
        }
        Some((start, float))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let from = self.i;
        self.digits();
        (self.i > from).then_some(())
    }

    /// A number, as serde_json's parser reads it.
    fn number(&mut self) -> Option<Num> {
        let (start, float) = self.number_token()?;
        let token = &self.b[start..self.i];
        let (negative, digits) = match token {
            [b'-', rest @ ..] => (true, rest),
            _ => (false, token),
        };
        if !float && digits.len() <= 18 {
            // Below 10^18: no overflow in either sign, so serde_json keeps it an integer.
            let v = digits
                .iter()
                .fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
            if !negative {
                return Some(Num::U64(v));
            }
            // serde_json's rule, `-0` included (a float).
            let neg = (v as i64).wrapping_neg();
            return Some(if neg >= 0 {
                Num::F64(-(v as f64))
            } else {
                Num::I64(neg)
            });
        }
        // Fractions, exponents and long integers: serde_json's own arithmetic on the token,
        // so the value is the same to the bit (its float parsing is not correctly rounded
        // in every case, so no other parser would do). Rare in tickets.
        let n: serde_json::Number = serde_json::from_slice(token).ok()?;
        Some(if let Some(u) = n.as_u64() {
            Num::U64(u)
        } else if let Some(i) = n.as_i64() {
            Num::I64(i)
        } else {
            Num::F64(n.as_f64()?)
        })
    }

    /// Skips any value, validating it, without recursion: `stack` holds one bit per open
    /// bracket (1 for an object).
    fn skip(&mut self) -> Option<()> {
        let mut stack: u128 = 0;
        let mut depth = 0u32;
        loop {
            // A value.
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    let object = self.bump()? == b'{';
                    self.ws();
                    let empty = self.peek()? == if object { b'}' } else { b']' };
                    if empty {
                        self.i += 1;
                    } else {
                        if depth == MAX_DEPTH {
                            return None;
                        }
                        stack = (stack << 1) | object as u128;
                        depth += 1;
                        if object {
                            self.key()?;
                        }
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => {
                    self.number_token()?;
                }
            }
            // After a value: close brackets until a comma or the end of the outermost one.
            loop {
                if depth == 0 {
                    return Some(());
                }
                self.ws();
                let object = stack & 1 == 1;
                match self.bump()? {
                    b',' => {
                        self.ws();
                        if object {
                            self.key()?;
                        }
                        break;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    _ => return None,
                }
                stack >>= 1;
                depth -= 1;
            }
        }
    }

    /// Reads an object at its `{`, handing each key to `field` with the parser at the value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let key = self.key()?;
            field(self, key)?;
            self.ws();
            match self.bump()? {
                b',' => self.ws(),
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// Reads an array at its `[`, calling `element` with the parser at each element.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.i += 1;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            element(self)?;
            self.ws();
            match self.bump()? {
                b',' => self.ws(),
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// Any value, as [`Loose`].
    fn loose(&mut self) -> Option<Loose<'a>> {
        Some(match self.peek()? {
            b'"' => Loose::Str(self.string()?),
            b'{' => {
                self.skip()?;
                Loose::Object
            }
            b'[' => {
                self.skip()?;
                Loose::Array
            }
            b't' => {
                self.literal(b"true")?;
                Loose::Bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                Loose::Bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                Loose::Null
            }
            _ => self.number()?.loose(),
        })
    }

    /// A [`Nested`] value: `read` reads the structure when the JSON has the expected kind
    /// (an array when `list`, else an object); the other kinds as `NestedVisitor` reads them.
    fn nested<T>(
        &mut self,
        list: bool,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Nested<T>> {
        Some(match self.peek()? {
            b'{' if !list => Nested::Value(read(self)?),
            b'[' if list => Nested::Value(read(self)?),
            b'{' => {
                self.skip()?;
                Nested::Wrong("an object".into())
            }
            b'[' => {
                self.skip()?;
                Nested::Wrong("an array".into())
            }
            b'"' => Nested::Wrong(crate::time::quote(&self.string()?)),
            b't' => {
                self.literal(b"true")?;
                Nested::Wrong("true".into())
            }
            b'f' => {
                self.literal(b"false")?;
                Nested::Wrong("false".into())
            }
            b'n' => {
                self.literal(b"null")?;
                Nested::Absent
            }
            _ => self.number()?.wrong(),
        })
    }

    /// A list of elements read by `element`, at its `[`.
    fn list<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        // Room for a typical ticket's messages or status changes at once: the record is
        // short-lived, and growing 4 → 8 would copy every element once (3% fewer
        // instructions per record, measured with cachegrind).
        let mut out = Vec::with_capacity(if self.empty_array() { 0 } else { 8 });
        self.array(|p| {
            out.push(element(p)?);
            Some(())
        })?;
        Some(out)
    }

    /// A person reference, as `PersonRef`'s visitor reads it.
    fn person(&mut self) -> Option<PersonRef<'a>> {
        let mut person = PersonRef::default();
        match self.peek()? {
            b'{' => {
                let mut seen = Seen::new();
                self.object(|p, key| {
                    let slot = match key {
                        b"id" => (0, &mut person.id),
                        b"name" => (1, &mut person.name),
                        b"tier" => (2, &mut person.tier),
                        b"team" => (3, &mut person.team),
                        _ => {
                            seen.unknown(key)?;
                            return p.skip();
                        }
                    };
                    seen.known(slot.0)?;
                    *slot.1 = p.loose()?;
                    Some(())
                })?;
            }
            b'[' => {
                self.skip()?;
                person.wrong = Some("an array".into());
            }
            b't' => {
                self.literal(b"true")?;
                person.wrong = Some("true".into());
            }
            b'f' => {
                self.literal(b"false")?;
                person.wrong = Some("false".into());
            }
            b'n' => self.literal(b"null")?,
            _ => person.id = self.loose()?,
        }
        Some(person)
    }

    /// A record object whose fields are all [`Loose`]: `slot` maps a key to its bit and field.
    fn record<R: Default>(
        &mut self,
        slot: impl for<'r> Fn(&'r mut R, &[u8]) -> Option<(u32, &'r mut Loose<'a>)>,
    ) -> Option<R> {
        let mut r = R::default();
        let mut seen = Seen::new();
        self.object(|p, key| match slot(&mut r, key) {
            Some((bit, field)) => {
                seen.known(bit)?;
                *field = p.loose()?;
                Some(())
            }
            None => {
                seen.unknown(key)?;
                p.skip()
            }
        })?;
        Some(r)
    }

    fn message(&mut self) -> Option<RawMessage<'a>> {
        self.record(|m: &mut RawMessage<'a>, key| {
            Some(match key {
                b"at" => (0, &mut m.at),
                b"author" => (1, &mut m.author),
                b"public" => (2, &mut m.public),
                b"agent" => (3, &mut m.agent),
                _ => return None,
            })
        })
    }

    fn status_change(&mut self) -> Option<RawStatusChange<'a>> {
        self.record(|c: &mut RawStatusChange<'a>, key| {
            Some(match key {
                b"at" => (0, &mut c.at),
                b"status" => (1, &mut c.status),
                _ => return None,
            })
        })
    }

    fn satisfaction(&mut self) -> Option<RawSatisfaction<'a>> {
        self.record(|s: &mut RawSatisfaction<'a>, key| {
            Some(match key {
                b"score" => (0, &mut s.score),
                b"scale" => (1, &mut s.scale),
                b"rating" => (2, &mut s.rating),
                b"comment" => (3, &mut s.comment),
                b"at" => (4, &mut s.at),
                b"offered" => (5, &mut s.offered),
                _ => return None,
            })
        })
    }

    fn queue(&mut self) -> Option<RawQueue<'a>> {
        self.record(|q: &mut RawQueue<'a>, key| {
            Some(match key {
                b"wait_seconds" => (0, &mut q.wait_seconds),
                b"abandoned" => (1, &mut q.abandoned),
                b"handle_seconds" => (2, &mut q.handle_seconds),
                _ => return None,
            })
        })
    }

    /// The ticket object, at its `{`.
    fn ticket(&mut self) -> Option<RawTicket<'a>> {
        let mut t = RawTicket::default();
        let mut seen = Seen::new();
        self.object(|p, key| {
            // The bit numbers only need to be distinct.
            let (bit, field) = match key {
                b"id" => (0, &mut t.id),
                b"created_at" => (1, &mut t.created_at),
                b"channel" => (2, &mut t.channel),
                b"status" => (3, &mut t.status),
                b"priority" => (4, &mut t.priority),
                b"team" => (5, &mut t.team),
                b"subject" => (6, &mut t.subject),
                b"language" => (7, &mut t.language),
                b"first_reply_at" => (8, &mut t.first_reply_at),
                b"first_solved_at" => (9, &mut t.first_solved_at),
                b"solved_at" => (10, &mut t.solved_at),
                b"closed_at" => (11, &mut t.closed_at),
                b"reopens" => (12, &mut t.reopens),
                b"agent_replies" => (13, &mut t.agent_replies),
                b"escalated" => (14, &mut t.escalated),
                b"complaint" => (15, &mut t.complaint),
                b"nps" => (16, &mut t.nps),
                b"effort" => (17, &mut t.effort),
                b"converted" => (18, &mut t.converted),
                b"order_value" => (19, &mut t.order_value),
                b"assignee" => {
                    seen.known(20)?;
                    t.assignee = p.person()?;
                    return Some(());
                }
                b"requester" => {
                    seen.known(21)?;
                    t.requester = p.person()?;
                    return Some(());
                }
                b"tags" => {
                    seen.known(22)?;
                    t.tags = p.nested(true, |p| p.list(Parser::loose))?;
                    return Some(());
                }
                b"messages" => {
                    seen.known(23)?;
                    t.messages =
                        p.nested(true, |p| p.list(|p| p.nested(false, Parser::message)))?;
                    return Some(());
                }
                b"status_history" => {
                    seen.known(24)?;
                    t.status_history =
                        p.nested(true, |p| p.list(|p| p.nested(false, Parser::status_change)))?;
                    return Some(());
                }
                b"satisfaction" => {
                    seen.known(25)?;
                    t.satisfaction = p.nested(false, Parser::satisfaction)?;
                    return Some(());
                }
                b"queue" => {
                    seen.known(26)?;
                    t.queue = p.nested(false, Parser::queue)?;
                    return Some(());
                }
                _ => {
                    seen.unknown(key)?;
                    return p.skip();
                }
            };
            seen.known(bit)?;
            *field = p.loose()?;
            Some(())
        })?;
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    //! Differential tests: the scanner against serde on every record and every nested value
    //! of the sample, the examples and the JSON fixtures, and on seeded mutations of them.

    use super::read_ticket;
    use crate::raw::{self, Nested, RawTicket};
    use crate::sample::{self, SampleSpec};
    use serde::de::IgnoredAny;
    use std::path::Path;

    /// What checking one record found.
    #[derive(Debug, Default)]
    struct Tally {
        /// The scanner read it (and agreed with serde).
        read: usize,
        /// The scanner left it to serde though serde read a ticket without repeated keys.
        fell_back_on_good: usize,
        /// Left to serde, which refused it or read something else.
        refused: usize,
    }

    /// Checks `record` against serde: the scanner may answer `None` at any time, but its
    /// `Some` must be serde's ticket, to the bit (floats compared by their `Debug` text, which
    /// tells `-0.0` from `0.0`), from a record without repeated keys.
    fn check(record: &[u8], tally: &mut Tally) {
        raw::take_repeated_keys();
        let serde = serde_json::from_slice::<Nested<RawTicket>>(record);
        let repeated = raw::take_repeated_keys();
        let clean = matches!(serde, Ok(Nested::Value(_))) && repeated.is_empty();
        match read_ticket(record) {
            Some(fast) => {
                let text = String::from_utf8_lossy(record);
                let Ok(Nested::Value(slow)) = &serde else {
                    panic!("scanner read {text:?}, serde gave {serde:?}");
                };
                assert!(
                    repeated.is_empty(),
                    "scanner read {text:?} with repeated {repeated:?}"
                );
                assert_eq!(&fast, slow, "record {text:?}");
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "record {text:?}");
                tally.read += 1;
            }
            None if clean => {
                if std::env::var_os("SCAN_SHOW").is_some() {
                    eprintln!("fallback: {}", String::from_utf8_lossy(record));
                }
                tally.fell_back_on_good += 1
            }
            None => tally.refused += 1,
        }
    }

    fn ws(text: &[u8], mut i: usize) -> usize {
        while matches!(text.get(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            i += 1;
        }
        i
    }

    /// The end of the JSON value at `pos`, as serde_json finds it.
    fn value_end(text: &[u8], pos: usize) -> usize {
        try_value_end(text, pos).expect("valid JSON")
    }

    fn try_value_end(text: &[u8], pos: usize) -> Option<usize> {
        let mut values =
            serde_json::Deserializer::from_slice(text.get(pos..)?).into_iter::<IgnoredAny>();
        values.next()?.ok()?;
        Some(pos + values.byte_offset())
    }

    /// Collects the span of the value at `pos` and of every value nested in it.
    fn walk(text: &[u8], pos: usize, out: &mut Vec<(usize, usize)>) -> usize {
        let pos = ws(text, pos);
        let end = value_end(text, pos);
        out.push((pos, end));
        let close = match text[pos] {
            b'{' => b'}',
            b'[' => b']',
            _ => return end,
        };
        let mut i = ws(text, pos + 1);
        while text[i] != close {
            if close == b'}' {
                i = ws(text, value_end(text, i));
                assert_eq!(text[i], b':');
                i += 1;
            }
            i = ws(text, walk(text, i, out));
            if text[i] == b',' {
                i = ws(text, i + 1);
            }
        }
        end
    }

    /// Every value of a JSON or NDJSON text, nested ones included.
    fn values(text: &[u8]) -> Vec<&[u8]> {
        let mut spans = Vec::new();
        if serde_json::from_slice::<IgnoredAny>(text).is_ok() {
            walk(text, 0, &mut spans);
            return spans.iter().map(|&(a, b)| &text[a..b]).collect();
        }
        let mut out = Vec::new();
        for line in text.split(|&b| b == b'\n') {
            if serde_json::from_slice::<IgnoredAny>(line).is_ok() {
                spans.clear();
                walk(line, 0, &mut spans);
                out.extend(spans.iter().map(|&(a, b)| &line[a..b]));
            }
        }
        out
    }

    /// The sample's ticket records (one NDJSON line each) for a few seeds.
    fn sample_records() -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for seed in [1, 7, 42, 2024, 99_991] {
            let spec = SampleSpec {
                tickets: 400,
                seed,
                weeks: 8,
            };
            let mut text = Vec::new();
            sample::write_ndjson(&spec, &mut text).unwrap();
            out.extend(
                text.split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
        }
        out
    }

    /// JSON and NDJSON files under `dir`, recursively.
    fn json_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                json_files(&path, out);
            } else if matches!(
                path.extension().and_then(|x| x.to_str()),
                Some("json" | "ndjson")
            ) {
                out.push(path);
            }
        }
    }

    #[test]
    fn generated_records_are_all_read_and_equal() {
        let mut tally = Tally::default();
        let records = sample_records();
        for r in &records {
            check(r, &mut tally);
        }
        assert_eq!(tally.read, records.len(), "{tally:?}");
        // The envelope as well, with every nested value (dataset, agents, targets, messages…)
        // offered as a record.
        let json = sample::generate_json(&SampleSpec::default());
        let mut tally = Tally::default();
        for v in values(json.as_bytes()) {
            check(v, &mut tally);
        }
        eprintln!("{tally:?}");
        assert_eq!(tally.fell_back_on_good, 0, "{tally:?}");
    }

    #[test]
    fn files_in_the_repository_agree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["examples", "tests/fixtures", "fuzz/seeds", "docs"] {
            json_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 20, "{files:?}");
        let mut tally = Tally::default();
        for f in &files {
            let text = std::fs::read(f).unwrap();
            for v in values(&text) {
                check(v, &mut tally);
            }
        }
        // Every fixture object serde reads as a ticket without repeated keys, the scanner
        // reads too (the fixtures have no escaped keys or deep unknown values).
        eprintln!("{tally:?}");
        assert_eq!(tally.fell_back_on_good, 0, "{tally:?}");
        assert!(tally.read > 1_000, "{tally:?}");
    }

    /// xorshift64*: the tests' own seeded generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        fn pick<'x>(&mut self, of: &[&'x str]) -> &'x str {
            of[self.below(of.len())]
        }
    }

    /// Values that test the number, string and kind rules.
    const VALUES: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "-2.5e3",
        "1e400",
        "-1e400",
        "1E2",
        "1e-400",
        "0.1",
        "0.30000000000000004",
        "1.0000000000000002",
        "2.2250738585072014e-308",
        "4.9e-324",
        "1.7976931348623157e308",
        "123456789012345678",
        "-123456789012345678",
        "1234567890123456789",
        "-1234567890123456789",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999",
        "-0.0",
        "0e0",
        "1772442900",
        "1772442900.5",
        "1772442900000",
        "01",
        "1.",
        ".5",
        "+1",
        "-",
        "1e",
        "1e+",
        "tru",
        "nul",
        "nan",
        "\"\"",
        "\"x\"",
        "\"  \"",
        "\"é\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud800\"",
        "\"\\udc00x\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800\\n\"",
        "\"a\\/b\\\"c\\\\\"",
        "\"\\b\\f\\n\\r\\t\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u00G0\"",
        "\"\t\"",
        "\"2026-03-02T09:15:00+01:00\"",
        "\"4\"",
        "\"yes\"",
        "[]",
        "[1,\"a\",{\"b\":[]}]",
        "[1,]",
        "[,1]",
        "{}",
        "{\"id\":1}",
        "{\"id\":\"x\",\"id\":\"y\"}",
        "{\"at\":\"2026-01-01\",\"at\":2}",
        "{\"a\":1,\"a\":2}",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{1:2}",
        "[[[[[[[[1]]]]]]]]",
        "[{\"x\":[{\"y\":{}}]}]",
        "{\"score\":5,\"scale\":5}",
        "[{\"at\":1,\"author\":\"agent\"}]",
        "{\"id\":\"a1\",\"name\":\"A\",\"x\":[1]}",
        "\"\\u0000\"",
        "{\"\\u0069d\":1}",
    ];

    /// Snippets inserted inside strings.
    const IN_STRINGS: &[&str] = &[
        "\\n",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\\ud800",
        "\\udc00",
        "\\x",
        "\\u12",
        "\\\"",
        "\\\\",
        "é",
        "\u{1}",
        "\t",
        "\"",
        "\\/",
        "ş",
        "\\uD834\\uDD1E",
    ];

    /// Bytes a flip writes.
    const BYTES: &[u8] = b"\"\\{}[],:0-.eE +ntf\x00\x01\x7f\x80\xc3\xff";

    /// Where values start: after `":` (and whitespace).
    fn value_starts(r: &[u8]) -> Vec<usize> {
        (1..r.len())
            .filter(|&i| r[i - 1] == b':' && r[i - 2] == b'"')
            .map(|i| ws(r, i))
            .collect()
    }

    /// Where keys start: a `"` after `{` or `,` (and whitespace), when a `:` follows the string.
    fn key_starts(r: &[u8]) -> Vec<usize> {
        let mut out = Vec::new();
        for i in 0..r.len() {
            if matches!(r[i], b'{' | b',') {
                let k = ws(r, i + 1);
                if r.get(k) == Some(&b'"') {
                    out.push(k);
                }
            }
        }
        out
    }

    /// One random change; the record may stop being JSON.
    fn mutate(r: &mut Vec<u8>, rng: &mut Rng) {
        match rng.below(8) {
            0 => {
                let i = rng.below(r.len());
                r[i] = BYTES[rng.below(BYTES.len())];
            }
            1 => {
                let i = rng.below(r.len());
                r.remove(i);
            }
            2 => r.truncate(rng.below(r.len())),
            3 => {
                // Inside a string: after a letter with an odd number of quotes before it.
                let mut inside = false;
                let mut spots = Vec::new();
                for i in 1..r.len() {
                    inside ^= r[i - 1] == b'"';
                    if inside && r[i - 1].is_ascii_alphanumeric() {
                        spots.push(i);
                    }
                }
                if !spots.is_empty() {
                    let at = spots[rng.below(spots.len())];
                    let s = rng.pick(IN_STRINGS);
                    r.splice(at..at, s.bytes());
                }
            }
            4 | 5 => {
                // A value of another kind (or an odd number) in place of a value.
                let starts = value_starts(r);
                if starts.is_empty() {
                    return;
                }
                let at = starts[rng.below(starts.len())];
                if serde_json::from_slice::<IgnoredAny>(r).is_err() {
                    return;
                }
                let Some(end) = try_value_end(r, at) else {
                    return;
                };
                let v = rng.pick(VALUES);
                r.splice(at..end, v.bytes());
            }
            6 => {
                // A key repeated: one `"key": value` copied in front of itself.
                if serde_json::from_slice::<IgnoredAny>(r).is_err() {
                    return;
                }
                let keys = key_starts(r);
                if keys.is_empty() {
                    return;
                }
                let k = keys[rng.below(keys.len())];
                let Some(colon) = try_value_end(r, k).map(|e| ws(r, e)) else {
                    return;
                };
                if r.get(colon) != Some(&b':') {
                    return;
                }
                let Some(end) = try_value_end(r, ws(r, colon + 1)) else {
                    return;
                };
                let mut entry = r[k..end].to_vec();
                if rng.below(2) == 0 {
                    // Sometimes a new value for it.
                    entry.truncate(colon + 1 - k);
                    entry.extend_from_slice(rng.pick(VALUES).as_bytes());
                }
                entry.push(b',');
                r.splice(k..k, entry);
            }
            _ => {
                // An unknown key, sometimes deeply nested.
                let keys = key_starts(r);
                if keys.is_empty() {
                    return;
                }
                let k = keys[rng.below(keys.len())];
                let depth = [1, 5, 127, 128, 129, 300][rng.below(6)];
                let v = if rng.below(2) == 0 {
                    "[".repeat(depth) + &"]".repeat(depth)
                } else {
                    "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth)
                };
                let entry = format!("\"x_unknown\": {v}, ");
                r.splice(k..k, entry.bytes());
            }
        }
    }

    #[test]
    fn mutated_records_agree() {
        let mut bases = sample_records();
        bases.truncate(600);
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for f in ["examples/tickets.ndjson", "tests/fixtures/kpi-small.json"] {
            let text = std::fs::read(root.join(f)).unwrap();
            bases.extend(
                values(&text)
                    .into_iter()
                    .filter(|v| v.starts_with(b"{"))
                    .map(<[u8]>::to_vec),
            );
        }
        let mut rng = Rng(0x5EED_0F7E_57AB);
        let mut tally = Tally::default();
        for round in 0..6_000 {
            let mut r = bases[round % bases.len()].clone();
            for _ in 0..1 + rng.below(3) {
                if r.is_empty() {
                    break;
                }
                mutate(&mut r, &mut rng);
            }
            check(&r, &mut tally);
        }
        // Both answers are exercised: many mutants stay tickets, many do not.
        eprintln!("{tally:?}");
        assert!(tally.read > 1_000 && tally.refused > 1_000, "{tally:?}");
    }

    /// Multi-byte characters, invalid bytes and cut sequences at every offset of a string
    /// (so at every place of the scanner's eight-byte chunks), in a kept string, a skipped
    /// string, a key and an escaped string.
    #[test]
    fn utf8_at_every_offset() {
        let mut tally = Tally::default();
        let inserts: [&[u8]; 9] = [
            "é".as_bytes(),
            "ş".as_bytes(),
            "€".as_bytes(),
            "😀".as_bytes(),
            b"\x80",
            b"\xc3",
            b"\xe2\x82",
            b"\xf0\x9f\x98",
            b"\xff",
        ];
        for insert in inserts {
            for at in 0..=17 {
                let mut text = b"abcdefghijklmnopq".to_vec();
                text.splice(at..at, insert.iter().copied());
                let text = String::from_utf8_lossy(&text).into_owned();
                let raw: Vec<u8> = {
                    let mut t = b"abcdefghijklmnopq".to_vec();
                    t.splice(at..at, insert.iter().copied());
                    t
                };
                let wrap = |pre: &str, post: &str| {
                    let mut r = pre.as_bytes().to_vec();
                    r.extend_from_slice(&raw);
                    r.extend_from_slice(post.as_bytes());
                    r
                };
                for record in [
                    wrap("{\"subject\":\"", "\"}"),
                    wrap("{\"other\":[\"", "\"]}"),
                    wrap("{\"", "\":1}"),
                    wrap("{\"subject\":\"\\n", "\\t\"}"),
                    wrap("{\"requester\":{\"name\":\"", "\\u00e9x\"}}"),
                ] {
                    check(&record, &mut tally);
                    let valid = std::str::from_utf8(&raw).is_ok();
                    assert_eq!(read_ticket(&record).is_some(), valid, "{text:?}");
                }
            }
        }
        assert!(tally.read > 300, "{tally:?}");
    }

    #[test]
    fn hand_picked_cases() {
        let mut tally = Tally::default();
        for v in VALUES {
            for record in [
                format!("{{\"id\": {v}}}"),
                format!("{{\"assignee\": {v}, \"created_at\": 1}}"),
                format!("{{\"tags\": {v}}}"),
                format!("{{\"tags\": [{v}, \"a\"]}}"),
                format!("{{\"messages\": {v}}}"),
                format!("{{\"messages\": [{v}]}}"),
                format!("{{\"messages\": [{{\"at\": {v}}}]}}"),
                format!("{{\"satisfaction\": {v}}}"),
                format!("{{\"queue\": {{\"wait_seconds\": {v}}}}}"),
                format!("{{\"requester\": {{\"tier\": {v}}}}}"),
                format!("{{\"other\": {v}}}"),
                format!(" \n{v}\t"),
            ] {
                check(record.as_bytes(), &mut tally);
            }
        }
        for record in [
            "{\"id\":1} x",
            "{\"id\":1}}",
            "{\"id\":1}\n\r\t ",
            "\u{feff}{\"id\":1}",
            "{\"id\":\"\u{7f}\"}",
            "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"j\":1}",
        ] {
            check(record.as_bytes(), &mut tally);
        }
        check(b"{\"id\":\"\xff\"}", &mut tally);
        check(b"{\"x\":\"\xc3\"}", &mut tally);
        // Many unknown keys: read up to the limit, left to serde beyond it.
        let many = |n: usize| {
            let keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
            format!("{{{}}}", keys.join(","))
        };
        assert!(read_ticket(many(64).as_bytes()).is_some());
        assert!(read_ticket(many(65).as_bytes()).is_none());
        check(many(100).as_bytes(), &mut tally);
        assert!(tally.read > 200, "{tally:?}");
    }
}

//! Lenient serde types for reading ticket JSON without failing on one bad field.
//!
//! A file with 100,000 good tickets and one whose `channel` is an object must still load: every
//! field is read as a [`Loose`] value (any JSON kind accepted, borrowed where possible) or a
//! [`Nested`] structure that records the kind it found instead of erroring. Validation into the
//! ticket store then decides per field what is usable and counts what is not.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

/// One JSON value read without judging its kind. Arrays and objects are skipped, not kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Loose<'a> {
    /// The key was not present.
    #[default]
    Absent,
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string, borrowed from the input when it has no escapes.
    Str(Cow<'a, str>),
    /// An array (contents skipped).
    Array,
    /// An object (contents skipped).
    Object,
}

impl Loose<'_> {
    /// True when the key was absent or `null` (or an empty string, which exports use for null).
    pub fn is_missing(&self) -> bool {
        match self {
            Loose::Absent | Loose::Null => true,
            Loose::Str(s) => trim(s).is_empty(),
            _ => false,
        }
    }

    /// The JSON kind, for messages ("found an object").
    pub fn kind(&self) -> &'static str {
        match self {
            Loose::Absent => "nothing",
            Loose::Null => "null",
            Loose::Bool(_) => "a boolean",
            Loose::Int(_) | Loose::Float(_) => "a number",
            Loose::Str(_) => "a string",
            Loose::Array => "an array",
            Loose::Object => "an object",
        }
    }

    /// A short rendering of the value for messages.
    pub fn describe(&self) -> String {
        match self {
            Loose::Bool(b) => b.to_string(),
            Loose::Int(i) => i.to_string(),
            Loose::Float(f) => f.to_string(),
            Loose::Str(s) => crate::time::quote(s),
            other => other.kind().to_string(),
        }
    }

    /// The value as text, if it is a string or a number (ids are often numbers).
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Loose::Str(s) if !trim(s).is_empty() => Some(Cow::Borrowed(trim(s))),
            Loose::Int(i) => Some(Cow::Owned(i.to_string())),
            Loose::Float(f) if f.is_finite() => Some(Cow::Owned(f.to_string())),
            _ => None,
        }
    }

    /// The value as a number, if it is one (or a numeric string).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Loose::Int(i) => Some(*i as f64),
            Loose::Float(f) if f.is_finite() => Some(*f),
            Loose::Str(s) => trim(s).parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }

    /// The value as a boolean: JSON booleans, 0/1, and "true"/"false"/"yes"/"no".
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Loose::Bool(b) => Some(*b),
            Loose::Int(0) => Some(false),
            Loose::Int(1) => Some(true),
            Loose::Str(s) => {
                // Compared without allocating: flags are read once per ticket.
                let s = trim(s);
                let is = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(s));
                if is(&["true", "yes", "y", "1"]) {
                    Some(true)
                } else if is(&["false", "no", "n", "0"]) {
                    Some(false)
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// `str::trim`, answered at once for text that starts and ends with a visible ASCII
/// character (nearly every value): `trim` decodes characters from both ends, and text fields
/// are trimmed several times per ticket.
pub fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Loose::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).map_or(Loose::Float(v as f64), Loose::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Loose::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Loose::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Loose::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Loose::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Object)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

/// A structured field (object or array) read leniently: when the JSON has another kind there,
/// the kind is kept for the warning instead of failing the whole file.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Nested<T> {
    /// Key absent or `null`.
    #[default]
    Absent,
    /// The structure, read.
    Value(T),
    /// A scalar where a structure was expected: the value as found.
    Wrong(String),
}

impl<T> Nested<T> {
    /// The value, if it was read.
    pub fn get(&self) -> Option<&T> {
        match self {
            Nested::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// Whether a [`Nested`] value is written as a JSON array (lists) or an object (records).
/// Without this, serde would also read a record from an array by position, turning
/// `["T1", "2026-03-02"]` into a ticket with an id and a creation time.
pub trait Shape {
    /// True for lists (`Vec`), false for records.
    const IS_LIST: bool;
}

impl<T> Shape for Vec<T> {
    const IS_LIST: bool = true;
}

macro_rules! record_shape {
    ($($t:ident),*) => { $(impl Shape for $t<'_> { const IS_LIST: bool = false; })* };
}
record_shape!(
    RawTicket,
    RawMessage,
    RawStatusChange,
    RawSatisfaction,
    RawQueue
);

struct NestedVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de> + Shape> Visitor<'de> for NestedVisitor<T> {
    type Value = Nested<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if T::IS_LIST { "an array" } else { "an object" })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if T::IS_LIST {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Nested::Wrong("an object".into()));
        }
        let map = FirstKeyWins::new(map);
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Nested::Value)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if !T::IS_LIST {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Nested::Wrong("an array".into()));
        }
        T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Nested::Value)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Nested::Absent)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Nested::Absent)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Nested::Wrong(Loose::Bool(v).describe()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Nested::Wrong(Loose::Int(v).describe()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Nested::Wrong(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Nested::Wrong(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Nested::Wrong(crate::time::quote(v)))
    }
}

impl<'de, T: Deserialize<'de> + Shape> Deserialize<'de> for Nested<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NestedVisitor(std::marker::PhantomData))
    }
}

thread_local! {
    /// Keys found twice in one object since the last [`take_repeated_keys`]. A side channel
    /// because the records are serde-derived and have no place to say so themselves.
    static REPEATED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// How many repeated key names are kept between two [`take_repeated_keys`] calls: enough
/// for a warning's example, bounded for a hostile file that repeats a key a million times.
const REPEATED_KEPT: usize = 8;

/// The keys that appeared twice in an object read since the last call (at most eight names),
/// clearing the list. The ingest calls it after each record to warn about that record.
pub fn take_repeated_keys() -> Vec<String> {
    REPEATED.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// Passes an object's entries on to a serde-derived record, dropping every later occurrence of
/// a key (recorded for [`take_repeated_keys`]). Serde's derive refuses a repeated field with an
/// error, which would fail the whole file for one odd record; JSON itself allows repeated keys
/// (RFC 8259 only says they *should* be unique), so the first value is kept and the rest
/// skipped without being parsed into anything.
struct FirstKeyWins<'de, A> {
    inner: A,
    /// Keys seen in this object, borrowed from the input where they have no escapes. Records
    /// have a few dozen keys, so a linear scan beats hashing…
    seen: Vec<Cow<'de, str>>,
    /// …until an object has many (a hostile or unknown one): then a set, so an object with a
    /// million keys costs a million lookups, not a trillion comparisons.
    many: Option<HashSet<Cow<'de, str>>>,
}

/// Keys kept in the linear list before switching to the set.
const LINEAR_KEYS: usize = 32;

impl<'de, A: MapAccess<'de>> FirstKeyWins<'de, A> {
    fn new(inner: A) -> Self {
        FirstKeyWins {
            inner,
            seen: Vec::new(),
            many: None,
        }
    }

    /// Remembers `key`; false when it was already there.
    // `&Cow`, not `&str`: cloning the `Cow` keeps a borrowed key borrowed.
    #[allow(clippy::ptr_arg)]
    fn first_time(&mut self, key: &Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.many {
            return set.insert(key.clone());
        }
        if self.seen.iter().any(|k| k == key) {
            return false;
        }
        self.seen.push(key.clone());
        if self.seen.len() > LINEAR_KEYS {
            self.many = Some(self.seen.drain(..).collect());
        }
        true
    }
}

/// A map key, borrowed from the input when it has no escapes (serde's own `Cow` always
/// allocates, which would cost an allocation per key of every record).
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for FirstKeyWins<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        loop {
            let Some(Key(key)) = self.inner.next_key::<Key<'de>>()? else {
                return Ok(None);
            };
            if !self.first_time(&key) {
                self.inner.next_value::<IgnoredAny>()?;
                REPEATED.with(|r| {
                    let mut r = r.borrow_mut();
                    if r.len() < REPEATED_KEPT && !r.iter().any(|k| *k == key) {
                        r.push(key.into_owned());
                    }
                });
                continue;
            }
            return match key {
                Cow::Borrowed(k) => seed.deserialize(de::value::BorrowedStrDeserializer::new(k)),
                Cow::Owned(k) => seed.deserialize(de::value::StrDeserializer::new(&k)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A person reference: an id (string or number) or an object with `id`, `name` and more.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonRef<'a> {
    /// The id, or the whole value when a bare string/number was given.
    pub id: Loose<'a>,
    /// Display name.
    pub name: Loose<'a>,
    /// Customer value tier (requesters) or team (agents).
    pub tier: Loose<'a>,
    /// Team (agents).
    pub team: Loose<'a>,
    /// Set when the value was of an unusable kind (array, boolean).
    pub wrong: Option<String>,
}

#[derive(Deserialize)]
struct PersonObject<'a> {
    #[serde(default, borrow)]
    id: Loose<'a>,
    #[serde(default, borrow)]
    name: Loose<'a>,
    #[serde(default, borrow)]
    tier: Loose<'a>,
    #[serde(default, borrow)]
    team: Loose<'a>,
}

impl<'de: 'a, 'a> Deserialize<'de> for PersonRef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PersonRef<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id or an object with an id")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let o = PersonObject::deserialize(de::value::MapAccessDeserializer::new(
                    FirstKeyWins::new(map),
                ))?;
                Ok(PersonRef {
                    id: o.id,
                    name: o.name,
                    tier: o.tier,
                    team: o.team,
                    wrong: None,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(PersonRef {
                    wrong: Some("an array".into()),
                    ..Default::default()
                })
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(PersonRef::default())
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(PersonRef::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(PersonRef {
                    wrong: Some(v.to_string()),
                    ..Default::default()
                })
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(PersonRef {
                    id: Loose::Int(v),
                    ..Default::default()
                })
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(PersonRef {
                    id: i64::try_from(v).map_or(Loose::Float(v as f64), Loose::Int),
                    ..Default::default()
                })
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(PersonRef {
                    id: Loose::Float(v),
                    ..Default::default()
                })
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(PersonRef {
                    id: Loose::Str(Cow::Borrowed(v)),
                    ..Default::default()
                })
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(PersonRef {
                    id: Loose::Str(Cow::Owned(v.to_owned())),
                    ..Default::default()
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// One message or event of a ticket's conversation.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawMessage<'a> {
    /// When it was sent.
    #[serde(borrow)]
    pub at: Loose<'a>,
    /// `customer`, `agent`, `bot` or `system`.
    #[serde(borrow)]
    pub author: Loose<'a>,
    /// `false` for an internal note; default `true`.
    #[serde(borrow)]
    pub public: Loose<'a>,
    /// The agent's id, for agent messages.
    #[serde(borrow)]
    pub agent: Loose<'a>,
}

/// One status change.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawStatusChange<'a> {
    /// When the status changed.
    #[serde(borrow)]
    pub at: Loose<'a>,
    /// The new status.
    #[serde(borrow)]
    pub status: Loose<'a>,
}

/// A satisfaction survey answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawSatisfaction<'a> {
    /// Numeric score on `scale`.
    #[serde(borrow)]
    pub score: Loose<'a>,
    /// Top of the scale (default 5).
    #[serde(borrow)]
    pub scale: Loose<'a>,
    /// `good` / `bad` (binary surveys).
    #[serde(borrow)]
    pub rating: Loose<'a>,
    /// Free-text comment.
    #[serde(borrow)]
    pub comment: Loose<'a>,
    /// When the answer was given.
    #[serde(borrow)]
    pub at: Loose<'a>,
    /// Whether a survey was offered (default: true when a score or rating exists).
    #[serde(borrow)]
    pub offered: Loose<'a>,
}

/// Queue data for calls and chats.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawQueue<'a> {
    /// Seconds in queue before an agent answered (or before the customer hung up).
    #[serde(borrow)]
    pub wait_seconds: Loose<'a>,
    /// True when the customer left before being answered.
    #[serde(borrow)]
    pub abandoned: Loose<'a>,
    /// Seconds of agent handling (talk + wrap-up).
    #[serde(borrow)]
    pub handle_seconds: Loose<'a>,
}

/// A ticket as written in the canonical format, every field optional at this stage.
/// Field meanings are documented in `docs/format.md`.
#[allow(missing_docs)]
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawTicket<'a> {
    #[serde(borrow)]
    pub id: Loose<'a>,
    #[serde(borrow)]
    pub created_at: Loose<'a>,
    #[serde(borrow)]
    pub channel: Loose<'a>,
    #[serde(borrow)]
    pub status: Loose<'a>,
    #[serde(borrow)]
    pub priority: Loose<'a>,
    #[serde(borrow)]
    pub assignee: PersonRef<'a>,
    #[serde(borrow)]
    pub team: Loose<'a>,
    #[serde(borrow)]
    pub requester: PersonRef<'a>,
    #[serde(borrow)]
    pub tags: Nested<Vec<Loose<'a>>>,
    #[serde(borrow)]
    pub subject: Loose<'a>,
    #[serde(borrow)]
    pub language: Loose<'a>,
    #[serde(borrow)]
    pub first_reply_at: Loose<'a>,
    #[serde(borrow)]
    pub first_solved_at: Loose<'a>,
    #[serde(borrow)]
    pub solved_at: Loose<'a>,
    #[serde(borrow)]
    pub closed_at: Loose<'a>,
    #[serde(borrow)]
    pub reopens: Loose<'a>,
    #[serde(borrow)]
    pub agent_replies: Loose<'a>,
    #[serde(borrow)]
    pub escalated: Loose<'a>,
    #[serde(borrow)]
    pub complaint: Loose<'a>,
    #[serde(borrow)]
    pub messages: Nested<Vec<Nested<RawMessage<'a>>>>,
    #[serde(borrow)]
    pub status_history: Nested<Vec<Nested<RawStatusChange<'a>>>>,
    #[serde(borrow)]
    pub satisfaction: Nested<RawSatisfaction<'a>>,
    #[serde(borrow)]
    pub nps: Loose<'a>,
    #[serde(borrow)]
    pub effort: Loose<'a>,
    #[serde(borrow)]
    pub queue: Nested<RawQueue<'a>>,
    #[serde(borrow)]
    pub converted: Loose<'a>,
    #[serde(borrow)]
    pub order_value: Loose<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "ab",
            "a b",
            "\u{a0}x\u{a0}",
            "x\u{3000}",
            "\u{85}",
            "\u{1}a\u{1}",
            "\ta\n",
            "ş",
            " ş ",
            "~",
            "a\u{2028}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn wrong_kinds_do_not_fail_the_record() {
        let t: RawTicket = serde_json::from_str(
            r#"{"id": 7, "channel": {"x": 1}, "tags": "vip", "assignee": "a1",
                "requester": {"id": "c9", "tier": "gold"}, "messages": [1, {"at": 5}],
                "satisfaction": 5}"#,
        )
        .unwrap();
        assert_eq!(t.id, Loose::Int(7));
        assert_eq!(t.channel, Loose::Object);
        assert_eq!(t.tags, Nested::Wrong("\"vip\"".into()));
        assert_eq!(t.assignee.id, Loose::Str("a1".into()));
        assert_eq!(t.requester.tier, Loose::Str("gold".into()));
        let msgs = t.messages.get().unwrap();
        assert_eq!(msgs[0], Nested::Wrong("1".into()));
        assert_eq!(msgs[1].get().unwrap().at, Loose::Int(5));
        assert_eq!(t.satisfaction, Nested::Wrong("5".into()));
    }
}

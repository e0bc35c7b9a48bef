//! The columnar ticket store: every ticket field as a compact column, categorical values
//! interned as small integer ids, so filters and regroupings are scans, never re-parses.

use crate::time::{Seconds, NO_TIME};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Marker for "no value" in id columns.
pub const NONE: u32 = u32::MAX;

/// A fast non-cryptographic string hasher for the ingest's lookup tables (the multiply-rotate
/// scheme of `rustc-hash` 2, eight bytes at a time). SipHash, the standard library's default,
/// resists HashDoS at ~3× the cost, and was a tenth of the ingest time: its protection is
/// not needed here, because the keys come from the file the user chose, read in their own
/// tab, and a file crafted to collide could only slow down its own author's page.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastHasher {
    hash: u64,
}

/// `rustc-hash`'s multiplier: odd, with well-spread bits.
const FAST_K: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(FAST_K);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length tells "a" from "a\0"; `str`'s `Hash` also ends with a 0xff byte.
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // A product's best-mixed bits are the high ones. hashbrown picks the bucket with the
        // low bits and its control byte with the top seven bits of the `usize`-wide hash
        // (bits 25-31 in wasm32, 57-63 natively); swapping the halves puts bits 32-63 in
        // both the bucket bits and wasm32's control bits, and bits 25-31 in the native ones.
        self.hash.rotate_left(32)
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Dictionaries up to this size are searched without the index (see `Dict::find`).
const SMALL_DICT: usize = 8;

/// Interned strings: each distinct value gets a dense `u32` id.
#[derive(Debug, Clone, Default)]
pub struct Dict {
    names: Vec<String>,
    index: FastMap<String, u32>,
}

impl Dict {
    /// The id of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.find(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.to_owned());
        self.index.insert(s.to_owned(), id);
        id
    }
    /// The id of `s` lower-cased, adding it when new; allocates only for new values or text
    /// that is not lower-case already (categories are read once per ticket).
    pub fn intern_lower(&mut self, s: &str) -> u32 {
        // ASCII text (nearly all categories) is checked byte by byte.
        let upper = if s.is_ascii() {
            s.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            s.chars().any(char::is_uppercase)
        };
        if upper {
            self.intern(&s.to_lowercase())
        } else {
            self.intern(s)
        }
    }
    /// The id of `s` if present.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.find(s)
    }
    /// Looks `s` up: in a small dictionary (channels, priorities, teams, tiers, languages)
    /// by comparing with each name, which mostly compares lengths and is quicker than
    /// hashing; in a large one (requesters, tags of a big export) in the index.
    fn find(&self, s: &str) -> Option<u32> {
        if self.names.len() <= SMALL_DICT {
            return self.names.iter().position(|n| n == s).map(|i| i as u32);
        }
        self.index.get(s).copied()
    }
    /// The string of an id (`""` for [`NONE`]).
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |s| s.as_str())
    }
    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.names.len()
    }
    /// True when no value was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    /// All values in id order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Ticket status, normalised from the many vendor spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Status {
    /// Not yet touched by an agent.
    New,
    /// Waiting for the team.
    Open,
    /// Waiting for the customer.
    Pending,
    /// Waiting for a third party.
    OnHold,
    /// Solved (may still be reopened).
    Solved,
    /// Closed for good.
    Closed,
}

impl Status {
    /// Reads a status name; `None` for unknown names. `deleted` is handled by the caller.
    pub fn parse(s: &str) -> Option<Status> {
        // Compared without allocating: this runs once per ticket.
        let s = crate::raw::trim(s);
        // The canonical spellings, as written by the generator and most exports, at once.
        match s {
            "new" => return Some(Status::New),
            "open" => return Some(Status::Open),
            "pending" => return Some(Status::Pending),
            "on_hold" => return Some(Status::OnHold),
            "solved" => return Some(Status::Solved),
            "closed" => return Some(Status::Closed),
            _ => {}
        }
        let is = |names: &[&str]| {
            names.iter().any(|n| {
                n.len() == s.len()
                    && n.bytes().zip(s.bytes()).all(|(a, b)| {
                        a == b.to_ascii_lowercase() || (a == b'_' && (b == b'-' || b == b' '))
                    })
            })
        };
        Some(if is(&["new", "unassigned"]) {
            Status::New
        } else if is(&["open", "in_progress", "active", "reopened"]) {
            Status::Open
        } else if is(&["pending", "waiting_on_customer", "awaiting_customer"]) {
            Status::Pending
        } else if is(&["hold", "on_hold", "onhold", "waiting_on_third_party"]) {
            Status::OnHold
        } else if is(&["solved", "resolved", "done"]) {
            Status::Solved
        } else if is(&["closed", "completed"]) {
            Status::Closed
        } else {
            return None;
        })
    }
    /// True for solved and closed.
    pub fn is_resolved(self) -> bool {
        matches!(self, Status::Solved | Status::Closed)
    }
    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::OnHold => "on_hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Role {
    /// The requester or another end user.
    Customer,
    /// A human agent.
    Agent,
    /// A bot or automation (auto-replies included).
    Bot,
    /// System events (status changes, merges).
    System,
}

impl Role {
    /// Reads an author role; `None` for unknown names.
    pub fn parse(s: &str) -> Option<Role> {
        // Compared without allocating: this runs once per message.
        let s = crate::raw::trim(s);
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(s));
        Some(
            if is(&[
                "customer",
                "end_user",
                "end-user",
                "requester",
                "contact",
                "user",
            ]) {
                Role::Customer
            } else if is(&["agent", "admin", "staff"]) {
                Role::Agent
            } else if is(&[
                "bot",
                "automation",
                "auto",
                "auto_reply",
                "autoreply",
                "trigger",
            ]) {
                Role::Bot
            } else if is(&["system"]) {
                Role::System
            } else {
                return None;
            },
        )
    }
}

/// A satisfaction answer on any scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rating {
    /// Score, `1..=scale` (or 0/1 for binary good/bad surveys).
    pub score: f32,
    /// Top of the scale (1 for binary).
    pub scale: f32,
}

impl Rating {
    /// Satisfied when the score reaches 80 % of the scale: 4–5 of 5, 8–10 of 10, 6–7 of 7,
    /// and "good" on binary surveys (documented in `docs/kpis.md`).
    pub fn satisfied(self) -> bool {
        self.score >= 0.8 * self.scale - 1e-6
    }
}

/// An agent from the dataset's roster or seen on tickets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentInfo {
    /// Display name (falls back to the id).
    pub name: String,
    /// Team, when known.
    pub team: Option<String>,
    /// First working day (days since 1970-01-01), from the roster.
    pub start_day: Option<i64>,
    /// Last working day, from the roster.
    pub end_day: Option<i64>,
}

/// Variable-length lists per ticket (tags, messages): `start[i]..start[i+1]` index the values.
#[derive(Debug, Clone)]
pub struct Lists<T> {
    /// Offsets, one more than tickets.
    pub start: Vec<u32>,
    /// Values of all tickets, concatenated.
    pub values: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            start: vec![0],
            values: Vec::new(),
        }
    }
}

impl<T> Lists<T> {
    /// The values of ticket `row`.
    pub fn of(&self, row: usize) -> &[T] {
        &self.values[self.start[row] as usize..self.start[row + 1] as usize]
    }
    /// Closes the current ticket's list.
    pub fn end_row(&mut self) {
        self.start.push(self.values.len() as u32);
    }
}

/// One message in the store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Message {
    /// When it was sent (UTC seconds).
    pub at: Seconds,
    /// Who wrote it.
    pub role: Role,
    /// False for internal notes.
    pub public: bool,
    /// Agent id (into [`TicketStore::agents`]) or [`NONE`].
    pub agent: u32,
}

impl Message {
    /// A public reply by a human agent: what every "agent reply" KPI counts.
    pub fn is_agent_reply(&self) -> bool {
        self.role == Role::Agent && self.public
    }
}

/// All tickets, column by column. Row `i` of every column is ticket `i`.
#[derive(Debug, Clone, Default)]
pub struct TicketStore {
    /// Ticket ids as text.
    pub id: Vec<String>,
    /// Creation instant.
    pub created: Vec<Seconds>,
    /// First public agent reply ([`NO_TIME`] when none).
    pub first_reply: Vec<Seconds>,
    /// First time solved.
    pub first_solved: Vec<Seconds>,
    /// Last time solved (only for tickets whose status is solved/closed).
    pub solved: Vec<Seconds>,
    /// Closed instant.
    pub closed: Vec<Seconds>,
    /// Current status.
    pub status: Vec<Status>,
    /// Channel id into `channels`.
    pub channel: Vec<u32>,
    /// Priority id into `priorities`.
    pub priority: Vec<u32>,
    /// Assignee id into `agents` (and `agent_info`).
    pub agent: Vec<u32>,
    /// Team id into `teams`.
    pub team: Vec<u32>,
    /// Requester id into `requesters`.
    pub requester: Vec<u32>,
    /// Customer tier id into `tiers`.
    pub tier: Vec<u32>,
    /// Language id into `languages`.
    pub language: Vec<u32>,
    /// Times reopened (`u32::MAX` unknown).
    pub reopens: Vec<u32>,
    /// Public agent replies (`u32::MAX` unknown).
    pub agent_replies: Vec<u32>,
    /// Escalated flag.
    pub escalated: Vec<Option<bool>>,
    /// Complaint flag.
    pub complaint: Vec<Option<bool>>,
    /// Conversion / purchase after contact.
    pub converted: Vec<Option<bool>>,
    /// Order value (NaN when absent).
    pub order_value: Vec<f64>,
    /// Satisfaction rating.
    pub rating: Vec<Option<Rating>>,
    /// When the rating was given ([`NO_TIME`]: unknown).
    pub rating_at: Vec<Seconds>,
    /// Whether a survey was offered (true when a rating exists).
    pub survey_offered: Vec<bool>,
    /// Satisfaction comment index into `comments` or [`NONE`].
    pub comment: Vec<u32>,
    /// NPS answer 0..=10, or -1.
    pub nps: Vec<i8>,
    /// Customer effort score 1..=7, or -1.
    pub effort: Vec<i8>,
    /// Queue wait in seconds ([`NO_TIME`] when absent).
    pub queue_wait: Vec<Seconds>,
    /// Abandoned in queue.
    pub abandoned: Vec<Option<bool>>,
    /// Handle time in seconds ([`NO_TIME`] when absent).
    pub handle: Vec<Seconds>,
    /// Tag ids into `tags`.
    pub tags: Lists<u32>,
    /// Conversation messages, sorted by time.
    pub messages: Lists<Message>,
    /// Status history (instant, status), sorted by time.
    pub history: Lists<(Seconds, Status)>,

    /// Channel names.
    pub channels: Dict,
    /// Priority names.
    pub priorities: Dict,
    /// Agent ids.
    pub agents: Dict,
    /// Agent display data, parallel to `agents`.
    pub agent_info: Vec<AgentInfo>,
    /// Team names.
    pub teams: Dict,
    /// Requester ids.
    pub requesters: Dict,
    /// Customer tiers.
    pub tiers: Dict,
    /// Languages.
    pub languages: Dict,
    /// Tag names.
    pub tag_names: Dict,
    /// Satisfaction comments.
    pub comments: Vec<String>,
}

impl TicketStore {
    /// Number of tickets.
    pub fn len(&self) -> usize {
        self.created.len()
    }
    /// True when the store holds no ticket.
    pub fn is_empty(&self) -> bool {
        self.created.is_empty()
    }
    /// The agent's display name.
    pub fn agent_name(&self, agent: u32) -> &str {
        match self.agent_info.get(agent as usize) {
            Some(info) if !info.name.is_empty() => &info.name,
            _ => self.agents.name(agent),
        }
    }
    /// Interns an agent id, keeping `agent_info` parallel.
    pub fn intern_agent(&mut self, id: &str) -> u32 {
        let a = self.agents.intern(id);
        if self.agent_info.len() <= a as usize {
            self.agent_info.resize(a as usize + 1, AgentInfo::default());
        }
        a
    }
    /// Instant the ticket counts as resolved, or [`NO_TIME`] when it is not (currently)
    /// resolved: the last solve, else the close.
    pub fn resolved_at(&self, row: usize) -> Seconds {
        if !self.status[row].is_resolved() {
            return NO_TIME;
        }
        if self.solved[row] != NO_TIME {
            self.solved[row]
        } else {
            self.closed[row]
        }
    }

    /// Appends the rows of `other`, as if its tickets had been read after this store's: its
    /// categories are interned here (new ones after the known ones, in `other`'s order, as a
    /// single read would have met them), and an agent's name and team stay the first given.
    pub fn append(&mut self, other: TicketStore) {
        fn remap(into: &mut Dict, from: &Dict) -> Vec<u32> {
            from.names().iter().map(|n| into.intern(n)).collect()
        }
        fn ids(col: &mut Vec<u32>, from: Vec<u32>, map: &[u32]) {
            col.extend(
                from.into_iter()
                    .map(|v| if v == NONE { NONE } else { map[v as usize] }),
            );
        }
        fn lists<T>(into: &mut Lists<T>, from: Lists<T>, value: impl FnMut(T) -> T) {
            let base = into.values.len() as u32;
            into.start.extend(from.start[1..].iter().map(|s| s + base));
            into.values.extend(from.values.into_iter().map(value));
        }
        let channels = remap(&mut self.channels, &other.channels);
        let priorities = remap(&mut self.priorities, &other.priorities);
        let teams = remap(&mut self.teams, &other.teams);
        let requesters = remap(&mut self.requesters, &other.requesters);
        let tiers = remap(&mut self.tiers, &other.tiers);
        let languages = remap(&mut self.languages, &other.languages);
        let tag_names = remap(&mut self.tag_names, &other.tag_names);
        let mut agents = Vec::with_capacity(other.agents.len());
        for (id, info) in other.agents.names().iter().zip(other.agent_info) {
            let a = self.intern_agent(id);
            let here = &mut self.agent_info[a as usize];
            if here.name.is_empty() {
                here.name = info.name;
            }
            if here.team.is_none() {
                here.team = info.team;
            }
            agents.push(a);
        }
        let comment_base = self.comments.len() as u32;

        let TicketStore {
            id,
            created,
            first_reply,
            first_solved,
            solved,
            closed,
            status,
            channel,
            priority,
            agent,
            team,
            requester,
            tier,
            language,
            reopens,
            agent_replies,
            escalated,
            complaint,
            converted,
            order_value,
            rating,
            rating_at,
            survey_offered,
            comment,
            nps,
            effort,
            queue_wait,
            abandoned,
            handle,
            tags,
            messages,
            history,
            comments,
            // Merged above.
            channels: _,
            priorities: _,
            agents: _,
            agent_info: _,
            teams: _,
            requesters: _,
            tiers: _,
            languages: _,
            tag_names: _,
        } = other;
        self.id.extend(id);
        self.created.extend(created);
        self.first_reply.extend(first_reply);
        self.first_solved.extend(first_solved);
        self.solved.extend(solved);
        self.closed.extend(closed);
        self.status.extend(status);
        ids(&mut self.channel, channel, &channels);
        ids(&mut self.priority, priority, &priorities);
        ids(&mut self.agent, agent, &agents);
        ids(&mut self.team, team, &teams);
        ids(&mut self.requester, requester, &requesters);
        ids(&mut self.tier, tier, &tiers);
        ids(&mut self.language, language, &languages);
        self.reopens.extend(reopens);
        self.agent_replies.extend(agent_replies);
        self.escalated.extend(escalated);
        self.complaint.extend(complaint);
        self.converted.extend(converted);
        self.order_value.extend(order_value);
        self.rating.extend(rating);
        self.rating_at.extend(rating_at);
        self.survey_offered.extend(survey_offered);
        self.comment.extend(comment.into_iter().map(|c| {
            if c == NONE {
                NONE
            } else {
                c + comment_base
            }
        }));
        self.nps.extend(nps);
        self.effort.extend(effort);
        self.queue_wait.extend(queue_wait);
        self.abandoned.extend(abandoned);
        self.handle.extend(handle);
        lists(&mut self.tags, tags, |t| tag_names[t as usize]);
        lists(&mut self.messages, messages, |mut m| {
            if m.agent != NONE {
                m.agent = agents[m.agent as usize];
            }
            m
        });
        lists(&mut self.history, history, |h| h);
        self.comments.extend(comments);
    }

    /// Keeps only the rows where `keep` is true (used to drop replaced duplicates).
    pub(crate) fn retain_rows(&mut self, keep: &[bool]) {
        fn col<T: Clone>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        fn lists<T: Clone>(l: &mut Lists<T>, keep: &[bool]) {
            let mut out = Lists::default();
            for (row, &k) in keep.iter().enumerate() {
                if k {
                    out.values.extend_from_slice(l.of(row));
                    out.end_row();
                }
            }
            *l = out;
        }
        col(&mut self.id, keep);
        col(&mut self.created, keep);
        col(&mut self.first_reply, keep);
        col(&mut self.first_solved, keep);
        col(&mut self.solved, keep);
        col(&mut self.closed, keep);
        col(&mut self.status, keep);
        col(&mut self.channel, keep);
        col(&mut self.priority, keep);
        col(&mut self.agent, keep);
        col(&mut self.team, keep);
        col(&mut self.requester, keep);
        col(&mut self.tier, keep);
        col(&mut self.language, keep);
        col(&mut self.reopens, keep);
        col(&mut self.agent_replies, keep);
        col(&mut self.escalated, keep);
        col(&mut self.complaint, keep);
        col(&mut self.converted, keep);
        col(&mut self.order_value, keep);
        col(&mut self.rating, keep);
        col(&mut self.rating_at, keep);
        col(&mut self.survey_offered, keep);
        col(&mut self.comment, keep);
        col(&mut self.nps, keep);
        col(&mut self.effort, keep);
        col(&mut self.queue_wait, keep);
        col(&mut self.abandoned, keep);
        col(&mut self.handle, keep);
        lists(&mut self.tags, keep);
        lists(&mut self.messages, keep);
        lists(&mut self.history, keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfied_threshold_per_scale() {
        let r = |score, scale| Rating { score, scale }.satisfied();
        assert!(!r(3.0, 5.0) && r(4.0, 5.0) && r(5.0, 5.0));
        assert!(!r(7.0, 10.0) && r(8.0, 10.0));
        assert!(!r(5.0, 7.0) && r(6.0, 7.0));
        assert!(!r(0.0, 1.0) && r(1.0, 1.0));
    }

    #[test]
    fn role_spellings() {
        assert_eq!(Role::parse(" Agent "), Some(Role::Agent));
        assert_eq!(Role::parse("END-USER"), Some(Role::Customer));
        assert_eq!(Role::parse("Auto_Reply"), Some(Role::Bot));
        assert_eq!(Role::parse("SYSTEM"), Some(Role::System));
        assert_eq!(Role::parse("agents"), None);
    }

    #[test]
    fn dict_interns_and_lowercases() {
        let mut d = Dict::default();
        let names: Vec<String> = (0..5_000).map(|i| format!("name-{i}")).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(d.intern(n), i as u32);
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(d.get(n), Some(i as u32));
        }
        assert_eq!(d.get("name-5000"), None);
        // Keys differing only in trailing zero bytes or length stay apart.
        assert_ne!(d.intern("a"), d.intern("a\0"));
        assert_ne!(d.intern(""), d.intern("\0"));
        let e = d.intern_lower("Email");
        assert_eq!(d.intern("email"), e);
        let s = d.intern_lower("ŞİKAYET");
        assert_eq!(d.name(s), "ŞİKAYET".to_lowercase());
        assert_eq!(d.intern_lower("şikayet"), d.intern("şikayet"));
    }

    #[test]
    fn status_spellings() {
        assert_eq!(Status::parse("On-Hold"), Some(Status::OnHold));
        assert_eq!(Status::parse("Resolved"), Some(Status::Solved));
        assert_eq!(Status::parse("archived"), None);
    }
}

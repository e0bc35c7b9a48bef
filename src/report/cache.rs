//! What a report can keep for the next one on the same dataset: the per-ticket business
//! durations ([`Derived`], keyed by calendar and "now") and the feedback words of every
//! comment (keyed by nothing but the dataset). A filter, period, grouping or bucket change
//! then only re-aggregates.

use crate::calendar::Calendar;
use crate::kpi::{Derived, Filter};
use crate::store::{TicketStore, NONE};
use crate::time::{Seconds, NO_TIME};

/// Data kept between reports on one dataset (the browser engine holds one).
///
/// It checks the dataset's size and column addresses, but the owner must [`clear`] it
/// whenever the dataset is replaced: a new dataset could reuse the old one's memory with the
/// same size.
///
/// [`clear`]: ReportCache::clear
#[derive(Debug, Default)]
pub struct ReportCache {
    source: Option<Source>,
    derived: Option<Derived>,
    words: Option<TermIndex>,
}

/// Which store the cache was filled from (a guard, not an identity: see [`ReportCache`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Source {
    tickets: usize,
    created: usize,
    messages: usize,
    message_count: usize,
    comments: usize,
    /// A fingerprint of 64 rows spread over the store (instants, message offsets, statuses):
    /// another dataset that happens to reuse the same memory with the same sizes still
    /// differs here.
    sample: u64,
}

impl Source {
    fn of(s: &TicketStore) -> Source {
        Source {
            tickets: s.len(),
            created: s.created.as_ptr() as usize,
            messages: s.messages.values.as_ptr() as usize,
            message_count: s.messages.values.len(),
            comments: s.comments.len(),
            sample: sample_rows(s),
        }
    }
}

/// FNV-1a over the instants, message offsets and statuses of 64 rows spread evenly.
fn sample_rows(s: &TicketStore) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut mix = |v: u64| {
        for b in v.to_le_bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    };
    let n = s.len();
    for k in 0..n.min(64) {
        let row = k * n / n.min(64);
        mix(s.created[row] as u64);
        mix(s.first_reply[row] as u64);
        mix(s.resolved_at(row) as u64);
        mix(s.first_solved[row] as u64);
        mix(s.messages.start[row + 1] as u64);
        mix(s.status[row] as u64);
    }
    h
}

impl ReportCache {
    /// An empty cache.
    pub fn new() -> ReportCache {
        ReportCache::default()
    }

    /// Forgets everything (call when the dataset changes).
    pub fn clear(&mut self) {
        *self = ReportCache::default();
    }

    /// Heap bytes held (the derived columns and the word index).
    pub fn heap_bytes(&self) -> usize {
        self.derived.as_ref().map_or(0, Derived::heap_bytes)
            + self.words.as_ref().map_or(0, TermIndex::heap_bytes)
    }

    fn check_source(&mut self, s: &TicketStore) {
        let src = Source::of(s);
        if self.source != Some(src) {
            self.clear();
            self.source = Some(src);
        }
    }

    /// The derived columns for `calendar` and `now`, measured now unless already kept.
    pub(super) fn derived(
        &mut self,
        s: &TicketStore,
        calendar: &Calendar,
        now: Seconds,
    ) -> &Derived {
        self.check_source(s);
        if !self
            .derived
            .as_ref()
            .is_some_and(|d| d.matches(s, calendar, now))
        {
            // Dropped first: at 1M tickets the old and new columns would otherwise be held
            // together.
            self.derived = None;
            self.derived = Some(Derived::build(s, calendar, now));
        }
        self.derived.as_ref().expect("just built")
    }

    /// The word index of every rated comment.
    pub(super) fn words(&mut self, s: &TicketStore) -> &TermIndex {
        self.check_source(s);
        self.words.get_or_insert_with(|| TermIndex::build(s))
    }
}

/// Words with their counts, most frequent first.
type Terms = Vec<(String, u64)>;

/// The kept words of every rated comment, as ids into one word list: counting the words of a
/// selection is then a pass over small integers instead of tokenising text again.
#[derive(Debug)]
pub(super) struct TermIndex {
    /// Rows with a rating and a comment, ascending.
    rows: Vec<u32>,
    /// `ids[start[i]..start[i + 1]]` are the words of `rows[i]`.
    start: Vec<u32>,
    ids: Vec<u32>,
    words: Vec<String>,
}

impl TermIndex {
    fn build(s: &TicketStore) -> TermIndex {
        let mut index = TermIndex {
            rows: Vec::new(),
            start: vec![0],
            ids: Vec::new(),
            words: Vec::new(),
        };
        let mut ids = std::collections::HashMap::new();
        for row in 0..s.len() {
            let c = s.comment[row];
            if s.rating[row].is_none() || c == NONE {
                continue;
            }
            let lang = match s.language[row] {
                NONE => None,
                l => Some(s.languages.name(l)),
            };
            for word in crate::words::words(&s.comments[c as usize], lang)
                .into_iter()
                .flatten()
            {
                let next = index.words.len() as u32;
                let id = *ids.entry(word).or_insert_with_key(|w| {
                    index.words.push(w.clone());
                    next
                });
                index.ids.push(id);
            }
            index.rows.push(row as u32);
            index.start.push(index.ids.len() as u32);
        }
        index
    }

    fn heap_bytes(&self) -> usize {
        4 * (self.rows.capacity() + self.start.capacity() + self.ids.capacity())
            + self.words.iter().map(|w| w.capacity() + 24).sum::<usize>()
    }

    /// The `limit` most frequent words of satisfied and of dissatisfied comments rated in
    /// `[start, end)` on tickets `filter` accepts: exactly `words::top_terms` of those
    /// comments (count descending, then word ascending).
    pub(super) fn top(
        &self,
        s: &TicketStore,
        filter: &Filter,
        start: Seconds,
        end: Seconds,
        limit: usize,
    ) -> (Terms, Terms) {
        let mut sat = vec![0u64; self.words.len()];
        let mut dis = vec![0u64; self.words.len()];
        for (i, &row) in self.rows.iter().enumerate() {
            let row = row as usize;
            let when = [s.rating_at[row], s.resolved_at(row), s.created[row]]
                .into_iter()
                .find(|&t| t != NO_TIME)
                .unwrap_or(NO_TIME);
            if when < start || when >= end || !filter.accepts(s, row) {
                continue;
            }
            let counts = match s.rating[row] {
                Some(r) if r.satisfied() => &mut sat,
                _ => &mut dis,
            };
            for &id in &self.ids[self.start[i] as usize..self.start[i + 1] as usize] {
                counts[id as usize] += 1;
            }
        }
        (self.rank(&sat, limit), self.rank(&dis, limit))
    }

    fn rank(&self, counts: &[u64], limit: usize) -> Terms {
        let mut all: Vec<(u32, u64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(id, &n)| (id as u32, n))
            .collect();
        let word = |id: u32| self.words[id as usize].as_str();
        // Words are distinct, so this order is total: the same as `words::top_terms`.
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| word(a.0).cmp(word(b.0))));
        all.truncate(limit);
        all.into_iter()
            .map(|(id, n)| (word(id).to_string(), n))
            .collect()
    }
}

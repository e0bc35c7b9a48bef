//! Per-ticket business durations, computed once per (dataset, working calendar, "now") and
//! kept as compact columns, so a report after a filter, period, grouping or bucket change only
//! re-aggregates instead of asking the calendar again for every ticket.
//!
//! Only what needs the calendar is kept: calendar (elapsed) durations are one subtraction from
//! the store, and SLA verdicts are one comparison against a cached duration, so neither the
//! SLA targets nor the time basis are part of the key. What is kept, as `i32` seconds:
//!
//! - business first response, resolution and first resolution time of every ticket;
//! - business time from creation to "now" of tickets that are unanswered or unresolved (the
//!   clock of an SLA breach still open);
//! - business duration of every reply-wait turn (a reply that answers a waiting customer),
//!   flattened, with per-ticket offsets.
//!
//! About 20 bytes per ticket plus 4 per turn. A value that does not fit an `i32` (a span of
//! more than 68 years, possible only with odd data) is marked and recomputed on use, so the
//! numbers stay exact.

use super::scan::WorkClock;
use crate::calendar::Calendar;
use crate::store::{Role, TicketStore};
use crate::time::{Seconds, NO_TIME};

/// Marks a duration that does not fit an `i32`: read it from the clock instead.
const WIDE: i32 = i32::MIN;

/// Business durations of every ticket for one calendar and one "now" (see the module docs).
#[derive(Debug, Clone)]
pub struct Derived {
    calendar: Calendar,
    now: Seconds,
    tickets: usize,
    frt: Vec<i32>,
    resolution: Vec<i32>,
    first_resolution: Vec<i32>,
    open: Vec<i32>,
    turn_start: Vec<u32>,
    turns: Vec<i32>,
}

fn narrow(v: i64) -> i32 {
    i32::try_from(v).ok().filter(|&x| x != WIDE).unwrap_or(WIDE)
}

impl Derived {
    /// Measures every ticket of `store` with `calendar`, SLA clocks running to `now`.
    pub fn build(store: &TicketStore, calendar: &Calendar, now: Seconds) -> Derived {
        let n = store.len();
        let b = |from: Seconds, to: Seconds| narrow(calendar.business_seconds(from, to));
        let mut d = Derived {
            calendar: calendar.clone(),
            now,
            tickets: n,
            frt: Vec::with_capacity(n),
            resolution: Vec::with_capacity(n),
            first_resolution: Vec::with_capacity(n),
            open: Vec::with_capacity(n),
            turn_start: Vec::with_capacity(n + 1),
            turns: Vec::new(),
        };
        for row in 0..n {
            let created = store.created[row];
            let resolved = store.resolved_at(row);
            let first_reply = store.first_reply[row];
            let first_solved = store.first_solved[row];
            // Unmeasured slots hold 0: the scan reads a slot only where the store has the
            // instant, exactly where it would have asked the clock.
            d.frt.push(if first_reply != NO_TIME {
                b(created, first_reply)
            } else {
                0
            });
            d.resolution.push(if resolved != NO_TIME {
                b(created, resolved)
            } else {
                0
            });
            d.first_resolution.push(if first_solved != NO_TIME {
                b(created, first_solved)
            } else {
                0
            });
            // The SLA clock of a reply or resolution still missing runs to `now`.
            let open =
                first_reply == NO_TIME || (resolved == NO_TIME && !store.status[row].is_resolved());
            d.open.push(if open {
                b(created, now.max(created))
            } else {
                0
            });
            d.turn_start.push(d.turns.len() as u32);
            for_each_turn(store, row, |from, to| d.turns.push(b(from, to)));
        }
        d.turn_start.push(d.turns.len() as u32);
        d
    }

    /// True when these columns were measured for `store` (by size) with `calendar` (by
    /// definition, however prepared) and `now`.
    pub fn matches(&self, store: &TicketStore, calendar: &Calendar, now: Seconds) -> bool {
        self.tickets == store.len()
            && self.turn_start.len() == store.len() + 1
            && self.now == now
            && self.calendar == *calendar
    }

    /// Heap bytes held by the columns (the memory budget of the cache).
    pub fn heap_bytes(&self) -> usize {
        4 * (self.frt.capacity()
            + self.resolution.capacity()
            + self.first_resolution.capacity()
            + self.open.capacity()
            + self.turn_start.capacity()
            + self.turns.capacity())
    }

    fn read(v: i32, clock: &dyn WorkClock, from: Seconds, to: Seconds) -> i64 {
        if v == WIDE {
            clock.business_seconds(from, to)
        } else {
            v as i64
        }
    }

    /// Business first response time of `row` (which has a first reply).
    pub(super) fn frt(&self, s: &TicketStore, row: usize) -> i64 {
        Self::read(
            self.frt[row],
            &self.calendar,
            s.created[row],
            s.first_reply[row],
        )
    }
    /// Business resolution time of `row` (which has a resolved instant).
    pub(super) fn resolution(&self, s: &TicketStore, row: usize) -> i64 {
        Self::read(
            self.resolution[row],
            &self.calendar,
            s.created[row],
            s.resolved_at(row),
        )
    }
    /// Business first resolution time of `row` (which has a first solve).
    pub(super) fn first_resolution(&self, s: &TicketStore, row: usize) -> i64 {
        Self::read(
            self.first_resolution[row],
            &self.calendar,
            s.created[row],
            s.first_solved[row],
        )
    }
    /// Business time from creation to `now` of `row` (unanswered or unresolved).
    pub(super) fn open(&self, s: &TicketStore, row: usize) -> i64 {
        let created = s.created[row];
        Self::read(
            self.open[row],
            &self.calendar,
            created,
            self.now.max(created),
        )
    }
    /// Business duration of turn `k` of `row` (`from`, `to`: its instants, for a wide value).
    pub(super) fn turn(&self, row: usize, k: usize, from: Seconds, to: Seconds) -> i64 {
        let i = self.turn_start[row] as usize + k;
        debug_assert!(i < self.turn_start[row + 1] as usize, "turn out of range");
        Self::read(self.turns[i], &self.calendar, from, to)
    }
}

/// Calls `f(waiting since, reply)` for every reply that answers a waiting customer, in message
/// order: the turns the scan measures (it keeps those after the first reply that fall in a
/// window; the rest are measured here too, so turn `k` means the same in both).
pub(super) fn for_each_turn(s: &TicketStore, row: usize, mut f: impl FnMut(Seconds, Seconds)) {
    let created = s.created[row];
    let mut pending_since = NO_TIME;
    let mut seen_first_reply = false;
    for m in s.messages.of(row) {
        match m.role {
            Role::Customer if pending_since == NO_TIME => pending_since = m.at,
            Role::Agent if m.public => {
                if seen_first_reply && pending_since != NO_TIME {
                    f(pending_since, m.at);
                }
                if m.at >= created {
                    seen_first_reply = true;
                }
                pending_since = NO_TIME;
            }
            _ => {}
        }
    }
}

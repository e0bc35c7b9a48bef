//! One pass over the store that fills an [`Acc`] per (time window, group).

use super::acc::{Acc, Sides};
use super::derived::Derived;
use super::group::{Dimension, Filter};
use crate::store::{Role, Status, TicketStore, NONE};
use crate::time::{Seconds, NO_TIME};

/// Business-time arithmetic the scan needs; implemented by the working calendar.
pub trait WorkClock {
    /// Working seconds inside `[from, to)`.
    fn business_seconds(&self, from: Seconds, to: Seconds) -> i64;
}

impl WorkClock for crate::calendar::Calendar {
    fn business_seconds(&self, from: Seconds, to: Seconds) -> i64 {
        crate::calendar::Calendar::business_seconds(self, from, to)
    }
}

/// A clock that is always open: business time equals calendar time.
#[derive(Debug, Clone, Copy, Default)]
pub struct AlwaysOpen;

impl WorkClock for AlwaysOpen {
    fn business_seconds(&self, from: Seconds, to: Seconds) -> i64 {
        (to - from).max(0)
    }
}

/// SLA targets in seconds; `None` where no target is set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SlaTargets {
    /// First reply within.
    pub first_reply: Option<i64>,
    /// Every next reply within.
    pub next_reply: Option<i64>,
    /// Resolution within.
    pub resolution: Option<i64>,
}

/// SLA policy: default targets, per-priority overrides, and the time basis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlaPolicy {
    /// Targets for tickets without a priority-specific entry.
    pub default: SlaTargets,
    /// Targets by priority id (index = priority id).
    pub by_priority: Vec<Option<SlaTargets>>,
    /// Measure against business time (true) or calendar time.
    pub business_hours: bool,
}

impl SlaPolicy {
    /// True when any target is set.
    pub fn is_set(&self) -> bool {
        let any = |t: &SlaTargets| {
            t.first_reply.is_some() || t.next_reply.is_some() || t.resolution.is_some()
        };
        any(&self.default) || self.by_priority.iter().flatten().any(any)
    }
    fn targets(&self, priority: u32) -> SlaTargets {
        self.by_priority
            .get(priority as usize)
            .copied()
            .flatten()
            .unwrap_or(self.default)
    }
}

/// Everything besides the store that the scan needs.
pub struct ScanSetup<'a> {
    /// Business-time clock.
    pub clock: &'a dyn WorkClock,
    /// SLA policy.
    pub sla: &'a SlaPolicy,
    /// Abandons shorter than this (seconds) are not counted as offered contacts.
    pub abandon_threshold: i64,
    /// The as-of instant for open SLA breaches.
    pub now: Seconds,
    /// Which priority ids count as urgent.
    pub urgent: Vec<bool>,
    /// Business durations measured beforehand with this `clock` and `now` (the report cache);
    /// `None` asks the clock for every ticket. Built with another calendar or "now" it would
    /// give wrong numbers: [`Derived::matches`] is the check.
    pub derived: Option<&'a Derived>,
}

/// Accumulators laid out as `windows × groups`.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Number of time windows.
    pub windows: usize,
    /// Number of groups (dictionary size + 1 for "none"; 1 when not grouped).
    pub groups: usize,
    /// The accumulators, window-major.
    pub cells: Vec<Acc>,
    /// The sides of duration KPIs kept: the other side's bags stay empty.
    pub sides: Sides,
}

impl Grid {
    /// The accumulator of window `w`, group `g`.
    pub fn cell(&self, w: usize, g: usize) -> &Acc {
        &self.cells[w * self.groups + g]
    }
    /// Window `w` summed over all groups.
    ///
    /// Grouping by tag counts a ticket once per tag, so this sum is only a total when the
    /// grouping is single-valued; reports take totals from an ungrouped scan.
    pub fn window_total(&self, w: usize) -> Acc {
        let mut a = Acc::default();
        for g in 0..self.groups {
            a.merge(self.cell(w, g));
        }
        a
    }
}

/// Index of the window holding `t`, given contiguous window edges.
pub fn window_of(edges: &[Seconds], t: Seconds) -> Option<usize> {
    if t == NO_TIME || edges.len() < 2 || t < edges[0] || t >= edges[edges.len() - 1] {
        return None;
    }
    Some(edges.partition_point(|&e| e <= t) - 1)
}

/// [`window_of`] for many instants: a table of the window at every `width` seconds from the
/// first edge, so a lookup is a division and a step or two instead of a binary search (the
/// scan looks up every event of every ticket).
struct Windows<'e> {
    edges: &'e [Seconds],
    start: Seconds,
    end: Seconds,
    width: i64,
    /// Window holding `start + k·width`; empty: binary search (spans too wide to tabulate).
    slots: Vec<u32>,
}

impl<'e> Windows<'e> {
    /// At most this many table entries (a 50-year period in hours would need more).
    const MAX_SLOTS: i64 = 1 << 16;

    fn new(edges: &'e [Seconds]) -> Windows<'e> {
        let (start, end) = match edges {
            [first, .., last] => (*first, *last),
            _ => (0, 0),
        };
        let mut w = Windows {
            edges,
            start,
            end,
            width: 1,
            slots: Vec::new(),
        };
        let min_gap = edges
            .windows(2)
            .map(|p| p[1].checked_sub(p[0]))
            .try_fold(i64::MAX, |m, g| g.map(|g| m.min(g)));
        let (Some(min_gap), Some(range)) = (min_gap, end.checked_sub(start)) else {
            return w;
        };
        // (Real edges lie within 1971–2200; anything wider is not tabulated.)
        if range <= 0 || range > 1 << 40 {
            return w;
        }
        // A slot no wider than the narrowest window holds at most one edge, so a lookup
        // steps at most once; wider slots (a table capped in size) only step more.
        w.width = min_gap.max(range / Self::MAX_SLOTS + 1).max(1);
        let count = range / w.width + 1;
        w.slots = (0..count)
            .map(|k| (edges.partition_point(|&e| e <= start + k * w.width) - 1) as u32)
            .collect();
        w
    }

    /// The same as [`window_of`]`(edges, t)`.
    #[inline]
    fn find(&self, t: Seconds) -> Option<usize> {
        if t == NO_TIME || t < self.start || t >= self.end {
            return None;
        }
        if self.slots.is_empty() {
            return window_of(self.edges, t);
        }
        let mut i = self.slots[((t - self.start) / self.width) as usize] as usize;
        // Slot k starts at or before t, so its window is at or before t's: step forward.
        while self.edges[i + 1] <= t {
            i += 1;
        }
        Some(i)
    }
}

/// Scans the selected tickets into windows given by `edges` (`edges.len() - 1` windows),
/// grouped by `group` when given.
pub fn scan(
    store: &TicketStore,
    setup: &ScanSetup,
    edges: &[Seconds],
    group: Option<Dimension>,
    filter: &Filter,
) -> Grid {
    scan_many(store, setup, edges, &[group], filter)
        .pop()
        .expect("one grid per grouping")
}

/// One pass that fills a grid per grouping (`None` = ungrouped) over the same windows: each
/// ticket is measured once, however many groupings it is added to.
pub fn scan_many(
    store: &TicketStore,
    setup: &ScanSetup,
    edges: &[Seconds],
    groupings: &[Option<Dimension>],
    filter: &Filter,
) -> Vec<Grid> {
    let both: Vec<(Option<Dimension>, Sides)> =
        groupings.iter().map(|&g| (g, Sides::BOTH)).collect();
    scan_sets(store, setup, &[(edges, &both)], filter)
        .pop()
        .expect("grids per window set")
}

/// A set of windows for [`scan_sets`]: contiguous edges, and the groupings to fill over them
/// with the duration sides each keeps.
pub type WindowSet<'a> = (&'a [Seconds], &'a [(Option<Dimension>, Sides)]);

/// One pass over several sets of windows (`(edges, [(grouping, sides kept)])` each; the
/// report's trend periods and its buckets): each ticket is measured once, then placed in each
/// set's windows. Returns the grids of each set, as [`scan_many`] would (with only the `sides`
/// asked for in each grid's duration bags).
pub fn scan_sets(
    store: &TicketStore,
    setup: &ScanSetup,
    sets: &[WindowSet],
    filter: &Filter,
) -> Vec<Vec<Grid>> {
    let mut out: Vec<Vec<Grid>> = sets
        .iter()
        .map(|(edges, groupings)| {
            let windows = edges.len().saturating_sub(1);
            groupings
                .iter()
                .map(|&(group, sides)| {
                    let groups = group.map_or(1, |d| d.cardinality(store) + 1);
                    Grid {
                        windows,
                        groups,
                        cells: vec![Acc::default(); windows * groups],
                        sides,
                    }
                })
                .collect()
        })
        .collect();
    let wins: Vec<Windows> = sets
        .iter()
        .filter(|(edges, _)| edges.len() >= 2)
        .map(|(edges, _)| Windows::new(edges))
        .collect();
    // Nothing of a ticket created at or after the last window's end falls in a window.
    let Some(last) = wins.iter().map(|w| w.end).max() else {
        return out;
    };
    let mut keys = Vec::new();
    let mut m = TicketMetrics::default();
    let mut p = Placement::default();
    for row in 0..store.len() {
        if store.created[row] >= last || !filter.accepts(store, row) {
            continue;
        }
        m.measure(store, row, setup);
        let mut wins = wins.iter();
        for ((edges, groupings), grids) in sets.iter().zip(out.iter_mut()) {
            if edges.len() < 2 {
                continue;
            }
            if !p.place(&m, wins.next().expect("a table per window set")) {
                continue;
            }
            for (grid, (group, _)) in grids.iter_mut().zip(groupings.iter()) {
                keys.clear();
                match group {
                    None => keys.push(0),
                    Some(d) => d.keys(store, row, &mut keys),
                }
                for &k in &keys {
                    let g = if k == NONE {
                        grid.groups - 1
                    } else {
                        k as usize
                    };
                    p.apply(&m, grid, g);
                }
            }
        }
    }
    out
}

/// One ticket's own figures, measured exactly as the scan measures them for the KPIs (the
/// per-ticket export reads these, so its rows add up to the report's figures).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TicketFigures {
    /// First response time as (calendar, business) seconds; `None` without a first reply.
    pub frt: Option<(i64, i64)>,
    /// Full resolution time (last solve − created) as (calendar, business) seconds; `None`
    /// while the ticket is not resolved or its solve time is unknown.
    pub resolution: Option<(i64, i64)>,
    /// First reply within the SLA target: `None` without a target, or while the ticket is
    /// unanswered and the target has not yet passed (as of the setup's `now`).
    pub first_reply_sla_met: Option<bool>,
    /// Resolution within the SLA target, judged the same way.
    pub resolution_sla_met: Option<bool>,
    /// Solved with no customer message after the first reply (`None` when not solved or never
    /// replied to in its messages).
    pub first_contact_resolution: Option<bool>,
    /// The rating counts as satisfied (`None` without a rating).
    pub satisfied: Option<bool>,
}

/// Measures ticket `row` on its own, whatever its dates: the scan's per-ticket logic.
pub fn ticket_figures(store: &TicketStore, row: usize, setup: &ScanSetup) -> TicketFigures {
    let mut m = TicketMetrics::default();
    m.measure(store, row, setup);
    TicketFigures {
        frt: m.frt,
        resolution: m.resolution,
        first_reply_sla_met: m.sla_first,
        resolution_sla_met: m.sla_resolution.map(|(_, met)| met),
        first_contact_resolution: m.fcr,
        satisfied: m.satisfied,
    }
}

/// Where an SLA resolution verdict is placed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SlaAt {
    /// At the resolved instant (a judged solve).
    Solved,
    /// At creation (a breach still open).
    Created,
}

/// What one ticket contributes, whatever the windows: durations, flags and the instants of
/// its events ([`Placement`] puts those in windows).
#[derive(Debug, Default)]
struct TicketMetrics {
    agent: u32,
    created: Seconds,
    resolved: Seconds,
    first_solved: Seconds,
    rating_at: Seconds,
    frt: Option<(i64, i64)>,
    resolution: Option<(i64, i64)>,
    first_resolution: Option<(i64, i64)>,
    requester_wait: Option<i64>,
    urgent: bool,
    fcr: Option<bool>,
    one_touch: Option<bool>,
    reopened: Option<bool>,
    escalated: Option<bool>,
    complaint: Option<bool>,
    sla_first: Option<bool>,
    sla_resolution: Option<(SlaAt, bool)>,
    /// (reply instant, calendar, business, within next-reply target), every turn after the
    /// first reply.
    next_replies: Vec<(Seconds, i64, i64, Option<bool>)>,
    /// Instants of customer messages.
    messages_in: Vec<Seconds>,
    /// Instants of public agent replies (each once).
    replies: Vec<Seconds>,
    /// Replies known only as a count (no messages): this many at the first reply, which
    /// marks the ticket touched there even when the count is 0.
    counted_replies: Option<u32>,
    first_reply: Seconds,
    queue: Option<QueueContact>,
    converted: Option<bool>,
    order_value: Option<f64>,
    handle: Option<i64>,
    satisfied: Option<bool>,
    survey: Option<bool>,
    nps: Option<i8>,
    effort: Option<i8>,
}

#[derive(Debug, Clone, Copy)]
enum QueueContact {
    Answered(Option<i64>),
    Abandoned,
}

impl TicketMetrics {
    /// Measures ticket `row`.
    fn measure(&mut self, s: &TicketStore, row: usize, setup: &ScanSetup) {
        let created = s.created[row];
        let resolved = s.resolved_at(row);
        let dual = |a: Seconds, b: Seconds| (b - a, setup.clock.business_seconds(a, b));
        // The same durations, business time read from the cache when there is one.
        let cached =
            |a: Seconds, b: Seconds, f: fn(&Derived, &TicketStore, usize) -> i64| match setup
                .derived
            {
                Some(d) => (b - a, f(d, s, row)),
                None => dual(a, b),
            };
        let msgs = s.messages.of(row);
        let targets = setup.sla.targets(s.priority[row]);
        let basis = |d: (i64, i64)| {
            if setup.sla.business_hours {
                d.1
            } else {
                d.0
            }
        };

        self.agent = s.agent[row];
        self.created = created;
        self.resolved = resolved;
        self.first_solved = s.first_solved[row];
        self.urgent = s.priority[row] != NONE
            && setup
                .urgent
                .get(s.priority[row] as usize)
                .copied()
                .unwrap_or(false);

        let first_reply = s.first_reply[row];
        self.first_reply = first_reply;
        self.frt = (first_reply != NO_TIME).then(|| cached(created, first_reply, Derived::frt));
        self.resolution =
            (resolved != NO_TIME).then(|| cached(created, resolved, Derived::resolution));
        self.first_resolution = (s.first_solved[row] != NO_TIME)
            .then(|| cached(created, s.first_solved[row], Derived::first_resolution));
        self.requester_wait = (resolved != NO_TIME)
            .then(|| requester_wait(s.history.of(row), created, resolved))
            .flatten();

        // Conversation: inbound messages, replies, reply-wait turns, first contact resolution.
        self.messages_in.clear();
        self.replies.clear();
        self.next_replies.clear();
        let mut pending_since = NO_TIME;
        let mut seen_first_reply = false;
        let mut customer_after_first_reply = false;
        let mut any_reply = false;
        // Index of the turn among all of the ticket's turns (derived::for_each_turn's order).
        let mut turn = 0;
        for m in msgs {
            match m.role {
                Role::Customer => {
                    self.messages_in.push(m.at);
                    if seen_first_reply {
                        customer_after_first_reply = true;
                    }
                    if pending_since == NO_TIME {
                        pending_since = m.at;
                    }
                }
                Role::Agent if m.public => {
                    any_reply = true;
                    self.replies.push(m.at);
                    if seen_first_reply && pending_since != NO_TIME {
                        let d = match setup.derived {
                            Some(dv) => (
                                m.at - pending_since,
                                dv.turn(row, turn, pending_since, m.at),
                            ),
                            None => dual(pending_since, m.at),
                        };
                        let met = targets.next_reply.map(|t| basis(d) <= t);
                        self.next_replies.push((m.at, d.0, d.1, met));
                        turn += 1;
                    }
                    if m.at >= created {
                        seen_first_reply = true;
                    }
                    pending_since = NO_TIME;
                }
                _ => {}
            }
        }
        // Without messages, replies are known only as a count: placed at the first reply.
        self.counted_replies =
            (msgs.is_empty() && first_reply != NO_TIME).then(|| match s.agent_replies[row] {
                u32::MAX => 1,
                n => n,
            });

        let is_solved = resolved != NO_TIME;
        self.fcr = (is_solved && any_reply).then_some(!customer_after_first_reply);
        self.one_touch =
            (is_solved && s.agent_replies[row] != u32::MAX).then_some(s.agent_replies[row] == 1);
        self.reopened = (is_solved && s.reopens[row] != u32::MAX).then_some(s.reopens[row] > 0);
        self.escalated = s.escalated[row];
        self.complaint = s.complaint[row];

        // SLA: a reply or resolution within target is met; a missing one is breached once the
        // target has passed (as of `now`), and not judged before. The time open is counted
        // only for such a ticket: from an old export's creation to a far `now` it can be years
        // of business time, too dear to count for every ticket.
        let elapsed = || {
            let end = setup.now.max(created);
            basis(match setup.derived {
                Some(d) => (end - created, d.open(s, row)),
                None => dual(created, end),
            })
        };
        self.sla_first = targets.first_reply.and_then(|t| match self.frt {
            Some(d) => Some(basis(d) <= t),
            None => (elapsed() > t).then_some(false),
        });
        self.sla_resolution = targets.resolution.and_then(|t| match self.resolution {
            Some(d) => Some((SlaAt::Solved, basis(d) <= t)),
            None if !s.status[row].is_resolved() && elapsed() > t => Some((SlaAt::Created, false)),
            None => None,
        });

        self.queue = match (s.queue_wait[row], s.abandoned[row]) {
            (wait, Some(true)) => {
                if wait != NO_TIME && wait < setup.abandon_threshold {
                    None
                } else {
                    Some(QueueContact::Abandoned)
                }
            }
            (NO_TIME, Some(false)) => Some(QueueContact::Answered(None)),
            (NO_TIME, None) => None,
            (wait, _) => Some(QueueContact::Answered(Some(wait))),
        };
        self.converted = s.converted[row];
        self.order_value = Some(s.order_value[row]).filter(|v| !v.is_nan());
        self.handle = Some(s.handle[row]).filter(|&h| h != NO_TIME);

        self.rating_at = [s.rating_at[row], resolved, created]
            .into_iter()
            .find(|&t| t != NO_TIME)
            .unwrap_or(created);
        self.satisfied = s.rating[row].map(|r| r.satisfied());
        self.survey = s.survey_offered[row].then_some(s.rating[row].is_some());
        self.nps = Some(s.nps[row]).filter(|&n| n >= 0);
        self.effort = Some(s.effort[row]).filter(|&n| n >= 0);
    }
}

/// The windows of one ticket's events in one set of windows.
#[derive(Debug, Default)]
struct Placement {
    created_w: Option<usize>,
    solved_w: Option<usize>,
    first_solved_w: Option<usize>,
    rating_w: Option<usize>,
    sla_resolution_w: Option<usize>,
    /// Windows of the turns of `TicketMetrics::next_replies`, in order.
    next_replies: Vec<Option<usize>>,
    messages_in: Vec<usize>,
    replies: Vec<usize>,
    /// Windows with a reply or the solve, each once.
    touched: Vec<usize>,
}

impl Placement {
    /// Places `m` in `wins`; false when it touches no window at all.
    fn place(&mut self, m: &TicketMetrics, wins: &Windows) -> bool {
        // Nothing of a ticket created after the last window can fall inside any window.
        if m.created >= wins.end {
            return false;
        }
        let w = |t| wins.find(t);
        self.created_w = w(m.created);
        self.solved_w = w(m.resolved);
        self.first_solved_w = w(m.first_solved);
        self.rating_w = w(m.rating_at);
        self.sla_resolution_w = match m.sla_resolution {
            Some((SlaAt::Solved, _)) => self.solved_w,
            Some((SlaAt::Created, _)) => self.created_w,
            None => None,
        };
        self.messages_in.clear();
        self.messages_in
            .extend(m.messages_in.iter().filter_map(|&t| w(t)));
        self.replies.clear();
        self.replies.extend(m.replies.iter().filter_map(|&t| w(t)));
        self.touched.clear();
        self.touched.extend_from_slice(&self.replies);
        if let (Some(n), Some(win)) = (m.counted_replies, w(m.first_reply)) {
            self.replies.extend(std::iter::repeat_n(win, n as usize));
            self.touched.push(win);
        }
        if let Some(win) = self.solved_w {
            self.touched.push(win);
        }
        self.touched.sort_unstable();
        self.touched.dedup();
        self.next_replies.clear();
        self.next_replies
            .extend(m.next_replies.iter().map(|&(at, ..)| w(at)));

        self.created_w.is_some()
            || self.solved_w.is_some()
            || self.first_solved_w.is_some()
            || self.rating_w.is_some()
            || !self.touched.is_empty()
            || !self.messages_in.is_empty()
            || self.sla_resolution_w.is_some()
    }

    fn apply(&self, m: &TicketMetrics, grid: &mut Grid, g: usize) {
        let groups = grid.groups;
        let sides = grid.sides;
        let cells = &mut grid.cells;
        let idx = |win: usize| win * groups + g;
        if let Some(win) = self.created_w {
            let a = &mut cells[idx(win)];
            a.created += 1;
            match m.frt {
                Some((c, b)) => {
                    a.frt.push_sides(c, b, sides);
                    if m.urgent {
                        a.urgent_frt.push_sides(c, b, sides);
                    }
                }
                None => a.awaiting_reply += 1,
            }
            a.responded.add(m.frt.is_some());
            if let Some(e) = m.escalated {
                a.escalated.add(e);
            }
            if let Some(c) = m.complaint {
                a.complaint_known += 1;
                if c && m.escalated == Some(true) {
                    a.complaint_escalations += 1;
                }
            }
            if let Some(met) = m.sla_first {
                a.sla_first.add(met);
            }
            match m.queue {
                Some(QueueContact::Abandoned) => a.abandoned.add(true),
                Some(QueueContact::Answered(wait)) => {
                    a.abandoned.add(false);
                    if let Some(wt) = wait {
                        a.queue_wait_sum += wt;
                        a.queue_answered += 1;
                    }
                }
                None => {}
            }
            if let Some(c) = m.converted {
                a.converted.add(c);
            }
            if let Some(v) = m.order_value {
                a.order_value += v;
                a.orders += 1;
            }
            if let Some(h) = m.handle {
                a.handle_sum += h;
                a.handled += 1;
            }
        }
        if let Some(win) = self.solved_w {
            let a = &mut cells[idx(win)];
            a.solved += 1;
            if let Some((c, b)) = m.resolution {
                a.resolution.push_sides(c, b, sides);
                if m.urgent {
                    a.urgent_resolution.push_sides(c, b, sides);
                }
            }
            if let Some(rw) = m.requester_wait {
                a.requester_wait.push(rw);
            }
            if let Some(f) = m.fcr {
                a.fcr.add(f);
            }
            if let Some(o) = m.one_touch {
                a.one_touch.add(o);
            }
            if let Some(r) = m.reopened {
                a.reopened.add(r);
            }
        }
        if let (Some(win), Some((c, b))) = (self.first_solved_w, m.first_resolution) {
            cells[idx(win)].first_resolution.push_sides(c, b, sides);
        }
        if let (Some(win), Some((_, met))) = (self.sla_resolution_w, m.sla_resolution) {
            cells[idx(win)].sla_resolution.add(met);
        }
        for (&(_, c, b, met), win) in m.next_replies.iter().zip(&self.next_replies) {
            if let Some(win) = *win {
                let a = &mut cells[idx(win)];
                a.reply_wait.push_sides(c, b, sides);
                if let Some(x) = met {
                    a.sla_next.add(x);
                }
            }
        }
        for &win in &self.messages_in {
            cells[idx(win)].messages_in += 1;
        }
        for &win in &self.replies {
            cells[idx(win)].replies += 1;
        }
        for &win in &self.touched {
            cells[idx(win)].touched += 1;
        }
        if let Some(win) = self.rating_w {
            let a = &mut cells[idx(win)];
            if let Some(sat) = m.satisfied {
                a.csat.add(sat);
            }
            if let Some(n) = m.nps {
                a.nps_answers += 1;
                a.nps_promoters += (n >= 9) as u64;
                a.nps_detractors += (n <= 6) as u64;
            }
            if let Some(e) = m.effort {
                a.ces_answers += 1;
                a.ces_sum += e as u64;
                a.ces_easy += (e >= 5) as u64;
            }
        }
        if let (Some(win), Some(rated)) = (self.rating_w, m.survey) {
            cells[idx(win)].survey_response.add(rated);
        }
        if m.agent != NONE {
            for win in self
                .created_w
                .iter()
                .chain(&self.solved_w)
                .chain(&self.touched)
            {
                cells[idx(*win)].mark_agent(m.agent);
            }
        }
    }
}

/// Seconds spent in new, open or on-hold between creation and the final solve, from the status
/// history (the status before the first recorded change is taken as new). `None` without
/// history.
fn requester_wait(history: &[(Seconds, Status)], created: Seconds, solved: Seconds) -> Option<i64> {
    if history.is_empty() {
        return None;
    }
    let waiting = |st: Status| matches!(st, Status::New | Status::Open | Status::OnHold);
    let mut total = 0;
    let mut since = created;
    let mut state = Status::New;
    for &(at, st) in history {
        let at = at.clamp(created, solved);
        if waiting(state) {
            total += at - since;
        }
        since = at;
        state = st;
    }
    if waiting(state) {
        total += solved - since.min(solved);
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requester_wait_counts_waiting_states_only() {
        let h = [
            (100, Status::Open),
            (200, Status::Pending),
            (500, Status::Open),
            (600, Status::Solved),
        ];
        // new 0–100, open 100–200, pending 200–500 (not counted), open 500–600.
        assert_eq!(requester_wait(&h, 0, 600), Some(300));
        assert_eq!(requester_wait(&[], 0, 600), None);
    }

    #[test]
    fn window_table_equals_binary_search() {
        let mut state = 7u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for case in 0..300 {
            // Uneven windows (a short first bucket, months, DST days), empty ones, and spans
            // wide enough to cap the table.
            let n = 1 + next(40) as usize;
            let scale = [1, 60, 3_600, 86_400, 400 * 86_400][case % 5];
            let mut edges = vec![next(1_000_000) as i64 - 500_000];
            for _ in 0..n {
                let gap = next(30) as i64 * scale as i64 + next(3) as i64;
                edges.push(edges.last().unwrap() + gap);
            }
            let wins = Windows::new(&edges);
            let (lo, hi) = (edges[0] - 5 * scale as i64, edges[n] + 5 * scale as i64);
            for _ in 0..200 {
                let t = lo + next((hi - lo) as u64 + 1) as i64;
                assert_eq!(wins.find(t), window_of(&edges, t), "{edges:?} at {t}");
            }
            for &e in &edges {
                for t in [e - 1, e, e + 1] {
                    assert_eq!(wins.find(t), window_of(&edges, t), "{edges:?} at {t}");
                }
            }
        }
        let all = [NO_TIME + 1, Seconds::MAX];
        assert_eq!(Windows::new(&all).find(0), Some(0));
        assert_eq!(Windows::new(&all).find(NO_TIME), None);
        assert_eq!(Windows::new(&[5]).find(5), None);
    }

    #[test]
    fn window_lookup() {
        let e = [0, 10, 20];
        assert_eq!(window_of(&e, 0), Some(0));
        assert_eq!(window_of(&e, 10), Some(1));
        assert_eq!(window_of(&e, 20), None);
        assert_eq!(window_of(&e, -1), None);
    }
}

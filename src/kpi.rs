//! KPI accumulators and the scan that fills them.
//!
//! Every KPI is a sum of per-ticket contributions kept in an [`Acc`], so totals, per-agent and
//! per-channel figures come from one pass, and partial accumulators from separate chunks merge
//! exactly (counts add, duration bags concatenate).

use crate::period::Period;
use crate::stats::{Durations, Ratio};
use crate::store::{TicketStore, NONE};
use crate::time::{Seconds, NO_TIME};

/// First-response-time distribution edges in seconds: 0–1 h, 1–4 h, 4–8 h, 8–24 h, > 24 h.
pub const FRT_EDGES: [i64; 5] = [0, 3_600, 4 * 3_600, 8 * 3_600, 24 * 3_600];

/// Contributions of a set of tickets to the first KPIs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acc {
    /// Tickets created in the period.
    pub created: u64,
    /// Tickets solved in the period.
    pub solved: u64,
    /// First response times (calendar seconds) of tickets created in the period.
    pub frt: Durations,
    /// Tickets created in the period still without a first reply.
    pub awaiting_reply: u64,
    /// Full resolution times (last solve − created) of tickets solved in the period.
    pub resolution: Durations,
    /// Satisfied ratings ÷ ratings given in the period.
    pub csat: Ratio,
}

impl Acc {
    /// Adds another accumulator (used to merge chunks and groups).
    pub fn merge(&mut self, o: &Acc) {
        self.created += o.created;
        self.solved += o.solved;
        self.frt.merge(&o.frt);
        self.awaiting_reply += o.awaiting_reply;
        self.resolution.merge(&o.resolution);
        self.csat.merge(o.csat);
    }

    /// Resolution rate: solved ÷ created in the period, as a ratio of sums.
    pub fn resolution_rate(&self) -> Ratio {
        Ratio {
            numerator: self.solved,
            denominator: self.created,
        }
    }
}

/// Which tickets a report looks at.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Allowed channel ids (empty = all).
    pub channels: Vec<u32>,
    /// Allowed agent ids (empty = all; [`NONE`] selects unassigned).
    pub agents: Vec<u32>,
}

impl Filter {
    /// True when ticket `row` passes.
    pub fn accepts(&self, store: &TicketStore, row: usize) -> bool {
        (self.channels.is_empty() || self.channels.contains(&store.channel[row]))
            && (self.agents.is_empty() || self.agents.contains(&store.agent[row]))
    }
}

/// Everything one scan over the store produces.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// All selected tickets.
    pub total: Acc,
    /// Per agent id (index = agent id; the last slot is "unassigned").
    pub by_agent: Vec<Acc>,
    /// Tickets created in the period per channel id (the last slot is "no channel").
    pub by_channel: Vec<u64>,
    /// Created per bucket.
    pub created: Vec<u64>,
    /// Solved per bucket.
    pub solved: Vec<u64>,
    /// Open tickets at the end of each bucket.
    pub backlog: Vec<u64>,
    /// Tickets with a solved/closed status but no solve time (not in backlog).
    pub unknown_resolution: u64,
}

/// Index of the bucket holding `t`, given the bucket edges (`edges.len() - 1` buckets).
fn bucket_of(edges: &[Seconds], t: Seconds) -> Option<usize> {
    if t < edges[0] || t >= *edges.last()? {
        return None;
    }
    Some(edges.partition_point(|&e| e <= t) - 1)
}

/// Scans the store once for `period`, with buckets given by their UTC edges
/// (`edges[0]` = period start, last = period end).
pub fn scan(store: &TicketStore, period: &Period, edges: &[Seconds], filter: &Filter) -> Scan {
    let buckets = edges.len().saturating_sub(1);
    let mut out = Scan {
        by_agent: vec![Acc::default(); store.agents.len() + 1],
        by_channel: vec![0; store.channels.len() + 1],
        created: vec![0; buckets],
        solved: vec![0; buckets],
        ..Scan::default()
    };
    let (start, end) = (period.start(), period.end());
    let mut delta = vec![0i64; buckets];
    let mut open_at_start = 0i64;
    let unassigned = store.agents.len();
    for row in 0..store.len() {
        if !filter.accepts(store, row) {
            continue;
        }
        let created = store.created[row];
        let resolved = store.resolved_at(row);
        let agent = match store.agent[row] {
            NONE => unassigned,
            a => a as usize,
        };
        let mut c = Acc::default();
        if created >= start && created < end {
            c.created = 1;
            let ch = match store.channel[row] {
                NONE => store.channels.len(),
                ch => ch as usize,
            };
            out.by_channel[ch] += 1;
            match store.first_reply[row] {
                NO_TIME => c.awaiting_reply = 1,
                fr => c.frt.push(fr - created),
            }
        }
        if resolved != NO_TIME && resolved >= start && resolved < end {
            c.solved = 1;
            c.resolution.push(resolved - created);
        }
        if let Some(r) = store.rating[row] {
            let when = [store.rating_at[row], resolved, created]
                .into_iter()
                .find(|&t| t != NO_TIME)
                .unwrap_or(created);
            if when >= start && when < end {
                c.csat.add(r.satisfied());
            }
        }
        // Backlog: open = created before the bucket end and not resolved by then.
        if store.status[row].is_resolved() && resolved == NO_TIME {
            out.unknown_resolution += 1;
        } else if buckets > 0 && created < end {
            if created < start {
                if resolved == NO_TIME || resolved >= start {
                    open_at_start += 1;
                }
            } else if let Some(b) = bucket_of(edges, created) {
                delta[b] += 1;
            }
            if let Some(b) = (resolved != NO_TIME)
                .then(|| bucket_of(edges, resolved))
                .flatten()
            {
                delta[b] -= 1;
            }
        }
        if let Some(b) = bucket_of(edges, created) {
            out.created[b] += 1;
        }
        if resolved != NO_TIME {
            if let Some(b) = bucket_of(edges, resolved) {
                out.solved[b] += 1;
            }
        }
        out.total.merge(&c);
        out.by_agent[agent].merge(&c);
    }
    let mut open = open_at_start;
    out.backlog = delta
        .iter()
        .map(|d| {
            open += d;
            open.max(0) as u64
        })
        .collect();
    out
}

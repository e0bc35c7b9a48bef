//! KPI computation: the catalogue of definitions, the mergeable accumulator, and the scans over
//! the columnar store (windows × groups, backlog states, the busiest-hours heatmap).

pub mod acc;
pub mod catalogue;
pub mod derived;
pub mod group;
pub mod scan;

pub use acc::{Acc, Dual, Sides};
pub use catalogue::{Direction, KpiDef, Measured, Need, Section, Unit, WindowFacts, CATALOGUE};
pub use derived::Derived;
pub use group::{Dimension, Filter};
pub use scan::{
    scan, scan_many, scan_sets, ticket_figures, window_of, AlwaysOpen, Grid, ScanSetup, SlaPolicy,
    SlaTargets, TicketFigures, WindowSet, WorkClock,
};

use crate::store::{TicketStore, NONE};
use crate::time::{self, Seconds, NO_TIME};
use crate::tz::Tz;

/// First-response-time distribution edges in seconds: 0–1 h, 1–4 h, 4–8 h, 8–24 h, > 24 h.
pub const FRT_EDGES: [i64; 5] = [0, 3_600, 4 * 3_600, 8 * 3_600, 24 * 3_600];

/// Open tickets just before each instant of `at` (sorted; bucket ends, which are exclusive),
/// per group (`groups` slots, the last for
/// "none"; 1 when not grouped). Tickets with a resolved status but no solve time are left out
/// (their resolution instant is unknown) and counted in the second value.
pub fn backlog(
    store: &TicketStore,
    filter: &Filter,
    at: &[Seconds],
    group: Option<Dimension>,
) -> (Vec<Vec<u64>>, u64) {
    let groups = group.map_or(1, |d| d.cardinality(store) + 1);
    let mut delta = vec![vec![0i64; at.len() + 1]; groups];
    let mut unknown = 0;
    let mut keys = Vec::new();
    for row in 0..store.len() {
        if !filter.accepts(store, row) {
            continue;
        }
        let resolved = store.resolved_at(row);
        if store.status[row].is_resolved() && resolved == NO_TIME {
            unknown += 1;
            continue;
        }
        // Open just before instant t when created < t <= resolved: +1 from the first instant
        // after creation, −1 from the first instant after resolution.
        let from = at.partition_point(|&t| t <= store.created[row]);
        let to = if resolved == NO_TIME {
            at.len()
        } else {
            at.partition_point(|&t| t <= resolved)
        };
        if from >= to {
            continue;
        }
        keys.clear();
        match group {
            None => keys.push(0),
            Some(d) => d.keys(store, row, &mut keys),
        }
        for &k in &keys {
            let g = if k == NONE { groups - 1 } else { k as usize };
            delta[g][from] += 1;
            delta[g][to] -= 1;
        }
    }
    let out = delta
        .into_iter()
        .map(|d| {
            let mut open = 0i64;
            d[..at.len()]
                .iter()
                .map(|x| {
                    open += x;
                    open.max(0) as u64
                })
                .collect()
        })
        .collect();
    (out, unknown)
}

/// Tickets created in `[start, end)` by local weekday (0 = Monday) × hour, in `tz`.
pub fn heatmap(
    store: &TicketStore,
    filter: &Filter,
    start: Seconds,
    end: Seconds,
    tz: Tz,
) -> [[u64; 24]; 7] {
    let mut grid = [[0u64; 24]; 7];
    for row in 0..store.len() {
        let c = store.created[row];
        if c < start || c >= end || !filter.accepts(store, row) {
            continue;
        }
        let local = time::utc_to_local(c, tz);
        let day = local.div_euclid(86_400);
        let weekday = (day + 3).rem_euclid(7) as usize;
        let hour = (local.rem_euclid(86_400) / 3600) as usize;
        grid[weekday][hour] += 1;
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, IngestOptions};

    fn store(json: &str) -> TicketStore {
        ingest::load(
            json.as_bytes(),
            &IngestOptions {
                now: 2_000_000_000,
                ..Default::default()
            },
        )
        .unwrap()
        .store
    }

    #[test]
    fn backlog_counts_open_intervals() {
        let s = store(
            r#"[{"id":1,"created_at":100000000,"status":"solved","solved_at":100000300},
                {"id":2,"created_at":100000100,"status":"open"},
                {"id":3,"created_at":100000000,"status":"solved"}]"#,
        );
        let at = [100_000_050, 100_000_200, 100_000_300, 100_000_400];
        let (b, unknown) = backlog(&s, &Filter::default(), &at, None);
        assert_eq!(b[0], [1, 2, 2, 1]);
        assert_eq!(unknown, 1);
    }
}

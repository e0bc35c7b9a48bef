//! Breakdown dimensions and multi-select filters over the columnar store.

use crate::error::{Error, Result};
use crate::store::{TicketStore, NONE};
use serde::Serialize;

/// A ticket attribute KPIs can be grouped or filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Assignee.
    Agent,
    /// Team (group).
    Team,
    /// Channel.
    Channel,
    /// Priority.
    Priority,
    /// Tag (a ticket with several tags counts in each).
    Tag,
    /// Customer tier.
    Tier,
}

impl Dimension {
    /// Every dimension, in menu order.
    pub const ALL: [Dimension; 6] = [
        Dimension::Agent,
        Dimension::Team,
        Dimension::Channel,
        Dimension::Priority,
        Dimension::Tag,
        Dimension::Tier,
    ];

    /// Reads a dimension name.
    pub fn parse(s: &str) -> Result<Dimension> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "agent" | "assignee" => Dimension::Agent,
            "team" | "group" => Dimension::Team,
            "channel" => Dimension::Channel,
            "priority" => Dimension::Priority,
            "tag" | "tags" => Dimension::Tag,
            "tier" | "customer_tier" | "segment" => Dimension::Tier,
            other => {
                return Err(Error::Option(format!(
                    "unknown dimension {}: expected agent, team, channel, priority, tag or tier",
                    crate::time::quote(other)
                )))
            }
        })
    }

    /// The name used in options and the report.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Agent => "agent",
            Dimension::Team => "team",
            Dimension::Channel => "channel",
            Dimension::Priority => "priority",
            Dimension::Tag => "tag",
            Dimension::Tier => "tier",
        }
    }

    /// Number of distinct values in the store.
    pub fn cardinality(self, s: &TicketStore) -> usize {
        match self {
            Dimension::Agent => s.agents.len(),
            Dimension::Team => s.teams.len(),
            Dimension::Channel => s.channels.len(),
            Dimension::Priority => s.priorities.len(),
            Dimension::Tag => s.tag_names.len(),
            Dimension::Tier => s.tiers.len(),
        }
    }

    /// The value of ticket `row` for a single-valued dimension ([`NONE`] for tags).
    pub fn single_key(self, s: &TicketStore, row: usize) -> u32 {
        match self {
            Dimension::Agent => s.agent[row],
            Dimension::Team => s.team[row],
            Dimension::Channel => s.channel[row],
            Dimension::Priority => s.priority[row],
            Dimension::Tier => s.tier[row],
            Dimension::Tag => NONE,
        }
    }

    /// The values of ticket `row` (one, or several for tags; [`NONE`] when absent).
    pub fn keys(self, s: &TicketStore, row: usize, out: &mut Vec<u32>) {
        match (self, s.tags.of(row)) {
            (Dimension::Tag, []) => out.push(NONE),
            (Dimension::Tag, tags) => out.extend_from_slice(tags),
            (single, _) => out.push(single.single_key(s, row)),
        }
    }

    /// Display name of value `id` ("(none)" for [`NONE`]).
    pub fn label(self, s: &TicketStore, id: u32) -> String {
        if id == NONE {
            return "(none)".into();
        }
        match self {
            Dimension::Agent => s.agent_name(id).to_string(),
            Dimension::Team => s.teams.name(id).to_string(),
            Dimension::Channel => s.channels.name(id).to_string(),
            Dimension::Priority => s.priorities.name(id).to_string(),
            Dimension::Tag => s.tag_names.name(id).to_string(),
            Dimension::Tier => s.tiers.name(id).to_string(),
        }
    }

    /// The id of a value given by the user (agent id or name; other dimensions by name,
    /// case-insensitive; "(none)" selects tickets without a value).
    pub fn lookup(self, s: &TicketStore, value: &str) -> Option<u32> {
        if value == "(none)" {
            return Some(NONE);
        }
        let lower = value.to_lowercase();
        match self {
            Dimension::Agent => s
                .agents
                .get(value)
                .or_else(|| (0..s.agents.len() as u32).find(|&a| s.agent_name(a) == value)),
            Dimension::Team => s.teams.get(value),
            Dimension::Channel => s.channels.get(&lower),
            Dimension::Priority => s.priorities.get(&lower),
            Dimension::Tag => s.tag_names.get(&lower),
            Dimension::Tier => s.tiers.get(&lower),
        }
    }
}

/// Multi-select filters: a ticket passes when, for every dimension with a selection, one of its
/// values is selected (OR within a dimension, AND across dimensions).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    sets: Vec<(Dimension, Vec<bool>, bool)>,
    /// The verdict of every row as bits, once [`Filter::materialize`] has run: a report asks
    /// about every row in several passes (scan, backlog, heatmap, requesters, channels).
    mask: Option<Vec<u64>>,
}

impl Filter {
    /// Adds a selection on `dim`. Values absent from the data select nothing (so a filter on an
    /// unknown agent shows an empty report, not everything).
    pub fn select(&mut self, s: &TicketStore, dim: Dimension, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let mut allowed = vec![false; dim.cardinality(s)];
        let mut none = false;
        for v in values {
            match dim.lookup(s, v) {
                Some(NONE) => none = true,
                Some(id) => allowed[id as usize] = true,
                None => {}
            }
        }
        self.sets.push((dim, allowed, none));
        self.mask = None;
    }

    /// Judges every row of `s` once and keeps the verdicts, so [`Filter::accepts`] is a bit
    /// test. Only for `s`: the bits are by row number.
    pub fn materialize(&mut self, s: &TicketStore) {
        self.mask = None;
        if self.sets.is_empty() {
            return;
        }
        let mut mask = vec![0u64; s.len().div_ceil(64)];
        for row in 0..s.len() {
            if self.judge(s, row) {
                mask[row / 64] |= 1 << (row % 64);
            }
        }
        self.mask = Some(mask);
    }

    /// True when no selection is active.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// True when ticket `row` passes.
    #[inline]
    pub fn accepts(&self, s: &TicketStore, row: usize) -> bool {
        match &self.mask {
            Some(mask) => mask[row / 64] >> (row % 64) & 1 != 0,
            None => self.judge(s, row),
        }
    }

    fn judge(&self, s: &TicketStore, row: usize) -> bool {
        self.sets.iter().all(|(dim, allowed, none)| {
            let ok = |k: u32| {
                if k == NONE {
                    *none
                } else {
                    allowed[k as usize]
                }
            };
            match dim {
                Dimension::Tag => match s.tags.of(row) {
                    [] => *none,
                    tags => tags.iter().any(|&k| ok(k)),
                },
                single => ok(single.single_key(s, row)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, IngestOptions};

    #[test]
    fn materialized_filter_judges_like_the_sets() {
        let data = ingest::load(
            crate::sample::generate_json(&crate::sample::SampleSpec {
                tickets: 700,
                seed: 3,
                weeks: 4,
            })
            .as_bytes(),
            &IngestOptions::default(),
        )
        .unwrap();
        let s = &data.store;
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut f = Filter::default();
        f.select(s, Dimension::Channel, &v(&["email", "chat"]));
        f.select(s, Dimension::Tag, &v(&["billing", "(none)"]));
        let plain = f.clone();
        f.materialize(s);
        assert!(f.mask.is_some());
        let passed = (0..s.len()).filter(|&r| f.accepts(s, r)).count();
        assert!(passed > 0 && passed < s.len());
        for row in 0..s.len() {
            assert_eq!(f.accepts(s, row), plain.accepts(s, row), "row {row}");
        }
        // A later selection drops the verdicts instead of keeping stale ones.
        f.select(s, Dimension::Priority, &v(&["urgent"]));
        assert!(f.mask.is_none());
    }
}

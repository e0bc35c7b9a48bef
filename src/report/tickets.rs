//! One row per ticket: the figures behind the report's KPIs, ticket by ticket (the page's
//! per-ticket CSV export).
//!
//! The rows are the tickets the report's filters select that were created or resolved in its
//! period: together they hold every first response and resolution the period's KPIs count.
//! Each ticket is measured by the KPI scan's own per-ticket code ([`kpi::ticket_figures`]), with
//! the report's calendar, SLA targets and "now", so a row never disagrees with the report.

use super::options;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::kpi;
use crate::store::NONE;
use crate::time::{self, Seconds, NO_TIME};
use crate::tz::Tz;
use serde::Serialize;

use super::ReportOptions;

/// One ticket's figures. Durations are whole seconds; `None` where there is nothing to measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketRow {
    /// The ticket's id in the export.
    pub id: String,
    /// Creation, local time of the report timezone with its UTC offset
    /// (`2026-03-02T09:00:00+00:00`).
    pub created: String,
    /// Resolution instant (last solve, else close), as `created`; `None` while not resolved.
    pub resolved: Option<String>,
    /// Channel name.
    pub channel: Option<String>,
    /// Priority name.
    pub priority: Option<String>,
    /// Assignee's display name.
    pub agent: Option<String>,
    /// Assignee's id.
    pub agent_id: Option<String>,
    /// Team (group) of the ticket.
    pub team: Option<String>,
    /// Canonical status (`new`, `open`, `pending`, `on_hold`, `solved`, `closed`).
    pub status: &'static str,
    /// First response time, calendar seconds.
    pub frt_seconds: Option<i64>,
    /// First response time inside the working calendar.
    pub frt_business_seconds: Option<i64>,
    /// Full resolution time (last solve − created), calendar seconds.
    pub resolution_seconds: Option<i64>,
    /// Full resolution time inside the working calendar.
    pub resolution_business_seconds: Option<i64>,
    /// First reply within the SLA target (`None`: no target, or not yet due).
    pub first_reply_sla_met: Option<bool>,
    /// Resolution within the SLA target (`None`: no target, or not yet due).
    pub resolution_sla_met: Option<bool>,
    /// Solved without the customer writing again after the first reply.
    pub first_contact_resolution: Option<bool>,
    /// Satisfaction score as given.
    pub csat_score: Option<f64>,
    /// Top of the score's scale (5 for 1–5, 1 for good/bad).
    pub csat_scale: Option<f64>,
    /// The score counts as satisfied (80 % of the scale or more).
    pub csat_satisfied: Option<bool>,
}

/// The rows for `data` with the report options `opts` (period, filters, calendar, SLA, now),
/// oldest ticket first.
pub fn ticket_rows(data: &Dataset, opts: &ReportOptions) -> Result<Vec<TicketRow>> {
    let cx = options::resolve(data, opts)?;
    let store = cx.store();
    let setup = cx.setup(None);
    let tz = cx.period.tz;
    let (start, end) = (cx.period.start(), cx.period.end());
    let inside = |t: Seconds| t != NO_TIME && t >= start && t < end;
    let name = |dict: &crate::store::Dict, id: u32| (id != NONE).then(|| dict.name(id).to_string());

    let mut rows: Vec<usize> = (0..store.len())
        .filter(|&row| {
            cx.filter.accepts(store, row)
                && (inside(store.created[row]) || inside(store.resolved_at(row)))
        })
        .collect();
    rows.sort_by(|&a, &b| {
        store.created[a]
            .cmp(&store.created[b])
            .then_with(|| store.id[a].cmp(&store.id[b]))
    });
    Ok(rows
        .into_iter()
        .map(|row| {
            let f = kpi::ticket_figures(store, row, &setup);
            let resolved = store.resolved_at(row);
            let agent = store.agent[row];
            let rating = store.rating[row];
            TicketRow {
                id: store.id[row].clone(),
                created: local_timestamp(store.created[row], tz),
                resolved: (resolved != NO_TIME).then(|| local_timestamp(resolved, tz)),
                channel: name(&store.channels, store.channel[row]),
                priority: name(&store.priorities, store.priority[row]),
                agent: (agent != NONE).then(|| store.agent_name(agent).to_string()),
                agent_id: name(&store.agents, agent),
                team: name(&store.teams, store.team[row]),
                status: store.status[row].name(),
                frt_seconds: f.frt.map(|d| d.0),
                frt_business_seconds: f.frt.map(|d| d.1),
                resolution_seconds: f.resolution.map(|d| d.0),
                resolution_business_seconds: f.resolution.map(|d| d.1),
                first_reply_sla_met: f.first_reply_sla_met,
                resolution_sla_met: f.resolution_sla_met,
                first_contact_resolution: f.first_contact_resolution,
                csat_score: rating.map(|r| r.score as f64),
                csat_scale: rating.map(|r| r.scale as f64),
                csat_satisfied: f.satisfied,
            }
        })
        .collect())
}

/// `t` as local time in `tz` with its offset: `2026-03-02T12:00:00+03:00`.
fn local_timestamp(t: Seconds, tz: Tz) -> String {
    let offset = time::offset_at(t, tz);
    let local = t + offset;
    let (y, mo, d) = time::civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.abs() / 60;
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        s / 3600,
        s % 3600 / 60,
        s % 60,
        off / 60,
        off % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_carry_the_offset() {
        let t = 1_772_442_000; // 2026-03-02T09:00:00Z
        assert_eq!(local_timestamp(t, Tz::UTC), "2026-03-02T09:00:00+00:00");
        assert_eq!(
            local_timestamp(t, Tz::parse("Europe/Istanbul").unwrap()),
            "2026-03-02T12:00:00+03:00"
        );
        assert_eq!(
            local_timestamp(t, Tz::parse("Asia/Tehran").unwrap()),
            "2026-03-02T12:30:00+03:30"
        );
        assert_eq!(
            local_timestamp(t, Tz::parse("America/St_Johns").unwrap()),
            "2026-03-02T05:30:00-03:30"
        );
    }
}

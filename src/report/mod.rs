//! The report model: what the page shows, computed from a dataset and the viewer's options.
//! Serialisable so the browser receives it as one plain object.
//!
//! One report holds every KPI of the catalogue for the chosen period, against the previous
//! period and as a trend over the last N periods, with targets and benchmarks; the series per
//! bucket; an optional breakdown by a dimension; the agent scorecard; the agent, team and
//! management views.

mod cache;
mod format;
mod options;
mod tickets;

pub use cache::ReportCache;
pub use format::format_value;
pub use options::{BenchmarkInput, ReportOptions};
pub use tickets::{ticket_rows, TicketRow};

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::kpi::catalogue::{
    self, measure, measure_light, Coverage, KpiDef, Measured, WindowFacts, CATALOGUE,
};
use crate::kpi::{self, Acc, Dimension, Direction, Filter, Grid, ScanSetup, Sides, FRT_EDGES};
use crate::period::{day_string, Bucket, Period};
use crate::stats::{Ratio, Summary};
use crate::store::{TicketStore, NONE};
use crate::time::{self, Seconds, NO_TIME};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::kpi::Unit;

/// The resolved period, as shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PeriodInfo {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day (inclusive), `YYYY-MM-DD`.
    pub to: String,
    /// Length in days.
    pub days: i64,
    /// Report timezone.
    pub timezone: String,
    /// Bucket size used for series.
    pub bucket: Bucket,
    /// First day of the week, 0 = Monday.
    pub week_start: u8,
}

/// One headline KPI (the dashboard tiles; a subset of [`KpiRow`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tile {
    /// Stable key (`created`, `frt`, `resolution_time`, `resolution_rate`, `backlog`, `csat`).
    pub key: &'static str,
    /// English label (the page may translate by key).
    pub label: &'static str,
    /// Unit of `value`.
    pub unit: Unit,
    /// The headline number (`None` when there is nothing to measure).
    pub value: Option<f64>,
    /// Median / p90 / mean for durations.
    pub summary: Option<Summary>,
    /// Numerator and denominator for rates.
    pub ratio: Option<Ratio>,
    /// When the data cannot support this KPI: which field would enable it.
    pub missing: Option<String>,
    /// A short qualifier ("12 awaiting first reply").
    pub note: Option<String>,
}

/// A target and where the KPI stands against it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TargetStatus {
    /// The target value, in the KPI's unit.
    pub target: f64,
    /// True when the value is on the good side of the target (direction-aware).
    pub met: bool,
    /// Progress toward the target, 0–1 (1 when met).
    pub progress: f64,
    /// Whether the previous period met it (`None` without a previous value).
    pub previously_met: Option<bool>,
}

/// A reference value the user typed in (industry or competitor figure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    /// What it is ("industry median").
    pub label: String,
    /// Its value in the KPI's unit.
    pub value: f64,
}

/// One KPI of the catalogue, fully evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiRow {
    /// Definition: key, label, section, unit, direction.
    #[serde(flatten)]
    pub def: KpiDef,
    /// Value, summaries, ratio for the period.
    #[serde(flatten)]
    pub now: Measured,
    /// When the data cannot support it: which field would enable it.
    pub missing: Option<String>,
    /// The previous period's value.
    pub previous: Option<f64>,
    /// value − previous.
    pub change: Option<f64>,
    /// (value − previous) ÷ |previous| × 100.
    pub change_percent: Option<f64>,
    /// Values of the last N periods, oldest first, ending with this one.
    pub trend: Vec<Option<f64>>,
    /// Target status, when a target is set.
    pub target: Option<TargetStatus>,
    /// Benchmarks typed in for it.
    pub benchmarks: Vec<Benchmark>,
    /// A short qualifier ("12 awaiting first reply").
    pub note: Option<String>,
}

/// A time series on the period's buckets.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Series {
    /// Bucket labels (`2026-03-02`, `2026-03`, `2026-Q1`, `2026-03-02 09:00`).
    pub labels: Vec<String>,
    /// Tickets created per bucket.
    pub created: Vec<u64>,
    /// Tickets solved per bucket.
    pub solved: Vec<u64>,
    /// Open tickets at the end of each bucket.
    pub backlog: Vec<u64>,
    /// Created − solved per bucket.
    pub net_flow: Vec<i64>,
    /// Satisfied ratings per bucket.
    pub satisfied: Vec<u64>,
    /// Dissatisfied ratings per bucket.
    pub dissatisfied: Vec<u64>,
    /// Every KPI's value per bucket (key → values), for trend charts.
    pub kpis: BTreeMap<&'static str, Vec<Option<f64>>>,
}

/// A named count with its share of the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// Category name.
    pub name: String,
    /// Count.
    pub count: u64,
    /// Share of the total in percent.
    pub percent: f64,
}

/// One row of the per-agent table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentRow {
    /// Agent id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Tickets created in the period and assigned to the agent.
    pub tickets: u64,
    /// Tickets the agent solved in the period.
    pub solved: u64,
    /// Median first response time, seconds.
    pub frt_median: Option<f64>,
    /// Median full resolution time, seconds.
    pub resolution_median: Option<f64>,
    /// CSAT percent.
    pub csat: Option<f64>,
    /// Satisfied and total ratings.
    pub csat_ratio: Ratio,
}

/// A breakdown of every KPI by one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    /// The dimension (`agent`, `team`, `channel`, `priority`, `tag`, `tier`).
    pub dimension: Dimension,
    /// KPI keys, the column order of `values`.
    pub keys: Vec<&'static str>,
    /// One row per value of the dimension, busiest first.
    pub rows: Vec<BreakdownRow>,
}

/// One value of a breakdown dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownRow {
    /// Value name ("email", "Tier 1", "(none)").
    pub name: String,
    /// KPI values in `keys` order.
    pub values: Vec<Option<f64>>,
    /// Numerator/denominator for rate KPIs, in `keys` order.
    pub ratios: Vec<Option<Ratio>>,
}

/// The scorecard: one row per agent, set against the team median.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scorecard {
    /// KPI keys of the columns.
    pub keys: Vec<&'static str>,
    /// One row per agent with activity in the period.
    pub rows: Vec<ScorecardRow>,
    /// The median of the agents' values per column.
    pub team_median: Vec<Option<f64>>,
}

/// One agent's scorecard row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardRow {
    /// Agent id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Team, when known.
    pub team: Option<String>,
    /// Values in `keys` order.
    pub values: Vec<Option<f64>>,
    /// Per column: true when better than the team median, false when worse, `None` when equal,
    /// neutral or unknown.
    pub better: Vec<Option<bool>>,
}

/// One agent's KPIs against the team: the private agent view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentView {
    /// Agent id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One line per KPI that can be measured per agent.
    pub kpis: Vec<AgentKpi>,
}

/// One KPI in the agent view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentKpi {
    /// KPI key.
    pub key: &'static str,
    /// English label.
    pub label: &'static str,
    /// Unit.
    pub unit: Unit,
    /// Direction.
    pub direction: Direction,
    /// The agent's value this period.
    pub value: Option<f64>,
    /// The agent's value in the previous period.
    pub previous: Option<f64>,
    /// The team median of agents' values this period.
    pub team_median: Option<f64>,
    /// True when better than the team median.
    pub better: Option<bool>,
    /// The agent's trend over the last N periods.
    pub trend: Vec<Option<f64>>,
}

/// A plain-words finding for the management view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insight {
    /// KPI key.
    pub key: &'static str,
    /// `improved`, `worsened`, `changed` (neutral KPIs), `target_met`, `target_missed`.
    pub kind: &'static str,
    /// Previous value.
    pub previous: Option<f64>,
    /// Current value.
    pub value: Option<f64>,
    /// Percent change.
    pub change_percent: Option<f64>,
    /// The target crossed, for target findings.
    pub target: Option<f64>,
    /// The finding in English (the page rebuilds it in other languages from the fields).
    pub text: String,
}

/// Most frequent words in satisfaction comments.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FeedbackWords {
    /// From satisfied customers.
    pub satisfied: Vec<(String, u64)>,
    /// From dissatisfied customers.
    pub dissatisfied: Vec<(String, u64)>,
}

/// The values of one dimension present in the data (for filter menus).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionValues {
    /// Dimension name.
    pub dimension: Dimension,
    /// (value as used in filters, display label).
    pub values: Vec<(String, String)>,
}

/// A view the data cannot fill, and the field that would fill it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingField {
    /// Which view (`channels`, `agents`, `frt_distribution`).
    pub view: &'static str,
    /// What would enable it.
    pub needs: String,
}

/// Everything the page shows for one set of options.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The period shown.
    pub period: PeriodInfo,
    /// The period compared against.
    pub previous_period: PeriodInfo,
    /// Labels of the trend periods, oldest first (`2026-02-01 – 2026-02-28`).
    pub trend_labels: Vec<String>,
    /// Duration headline basis: `calendar` or `business`.
    pub time_basis: &'static str,
    /// Tickets in the dataset (before period and filters).
    pub tickets_in_dataset: usize,
    /// Headline KPIs (dashboard tiles).
    pub tiles: Vec<Tile>,
    /// Every KPI of the catalogue.
    pub kpis: Vec<KpiRow>,
    /// Volume, solved, backlog, net flow, satisfaction and every KPI per bucket.
    pub series: Series,
    /// Tickets created in the period by channel, largest first.
    pub channels: Vec<Share>,
    /// First response time distribution (0–1 h … > 24 h), in the headline basis.
    pub frt_distribution: Vec<Share>,
    /// Tickets created by weekday (rows from the week start) × hour, report timezone.
    pub heatmap: Vec<Vec<u64>>,
    /// Per-agent table, busiest first (unassigned last).
    pub agents: Vec<AgentRow>,
    /// The agent scorecard against the team median.
    pub scorecard: Scorecard,
    /// Breakdown by the requested dimension.
    pub breakdown: Option<Breakdown>,
    /// The requested agent's private view.
    pub agent_view: Option<AgentView>,
    /// Largest changes and target crossings, in plain words.
    pub insights: Vec<Insight>,
    /// Feedback words by satisfaction.
    pub feedback: FeedbackWords,
    /// Views the data cannot fill.
    pub missing: Vec<MissingField>,
    /// Values of every dimension (filter menus).
    pub dimensions: Vec<DimensionValues>,
    /// Dataset settings that were set aside (a target for an unknown KPI…), in plain words.
    pub notes: Vec<String>,
    /// Channel names present in the dataset (for filters).
    pub all_channels: Vec<String>,
    /// Agents present in the dataset as (id, name) (for filters).
    pub all_agents: Vec<(String, String)>,
}

/// Labels of the FRT distribution buckets.
pub const FRT_LABELS: [&str; 5] = ["0–1 h", "1–4 h", "4–8 h", "8–24 h", "> 24 h"];

/// KPI keys shown as headline tiles.
pub const TILE_KEYS: [&str; 6] = [
    "created",
    "frt",
    "resolution_time",
    "resolution_rate",
    "backlog",
    "csat",
];

/// KPI keys of the agent scorecard.
pub const SCORECARD_KEYS: [&str; 7] = [
    "created",
    "solved",
    "frt",
    "resolution_time",
    "csat",
    "fcr",
    "sla_first_reply",
];

/// Everything derived once per report from the options: period, setup, filter.
struct Context<'d> {
    data: &'d Dataset,
    period: Period,
    bucket: Bucket,
    calendar: Calendar,
    sla: kpi::SlaPolicy,
    urgent: Vec<bool>,
    now: Seconds,
    abandon_threshold: i64,
    filter: Filter,
    business: bool,
    trend: usize,
    notes: Vec<String>,
}

impl<'d> Context<'d> {
    /// The scan setup; `derived` must have been built with this context's calendar and now.
    fn setup<'a>(&'a self, derived: Option<&'a kpi::Derived>) -> ScanSetup<'a> {
        ScanSetup {
            clock: &self.calendar,
            sla: &self.sla,
            abandon_threshold: self.abandon_threshold,
            now: self.now,
            urgent: self.urgent.clone(),
            derived,
        }
    }
    fn store(&self) -> &TicketStore {
        &self.data.store
    }
    /// The trend periods, oldest first; the last is the report period.
    fn trend_periods(&self) -> Vec<Period> {
        (0..self.trend)
            .rev()
            .map(|k| self.period.shifted_back(k as i64))
            .collect()
    }
}

/// Builds the report for `data` with `opts`.
pub fn build(data: &Dataset, opts: &ReportOptions) -> Result<Report> {
    build_with(data, opts, Some(&mut ReportCache::new()))
}

/// Builds the report for `data` with `opts`, reusing what `cache` kept from earlier reports on
/// the same dataset and keeping what this one measured: after the first report, a change of
/// filters, period, grouping or bucket only re-aggregates. The numbers are exactly those of
/// [`build`]. `cache` must be cleared when the dataset changes (see [`ReportCache`]).
pub fn build_cached(
    data: &Dataset,
    opts: &ReportOptions,
    cache: &mut ReportCache,
) -> Result<Report> {
    build_with(data, opts, Some(cache))
}

/// The reference path: every ticket measured with the calendar during the scans and the
/// feedback words tokenised from the text, nothing kept. The same numbers as [`build`];
/// tests compare the two.
pub fn build_uncached(data: &Dataset, opts: &ReportOptions) -> Result<Report> {
    build_with(data, opts, None)
}

fn build_with(
    data: &Dataset,
    opts: &ReportOptions,
    mut cache: Option<&mut ReportCache>,
) -> Result<Report> {
    let mut cx = options::resolve(data, opts)?;
    let targets = options::targets(data, opts, &mut cx.notes)?;
    let store = cx.store();
    let words = opts.words.unwrap_or(15);
    let feedback = match cache.as_deref_mut() {
        Some(c) => {
            let (satisfied, dissatisfied) =
                c.words(store)
                    .top(store, &cx.filter, cx.period.start(), cx.period.end(), words);
            FeedbackWords {
                satisfied,
                dissatisfied,
            }
        }
        None => feedback(&cx, words),
    };
    let derived = cache.map(|c| c.derived(store, &cx.calendar, cx.now));
    let setup = cx.setup(derived);
    let tz = cx.period.tz;

    // Trend windows: N periods ending with this one (contiguous by construction).
    let periods = cx.trend_periods();
    let mut edges: Vec<Seconds> = periods.iter().map(Period::start).collect();
    edges.push(cx.period.end());
    // One pass for the totals, the per-agent figures, the channel split and the breakdown.
    let group_by = match opts.group_by.as_deref().filter(|g| !g.is_empty()) {
        Some(g) => Some(Dimension::parse(g)?),
        None => None,
    };
    // The channel split needs only creations: counted apart, without a grid of accumulators.
    // Totals keep both sides of durations (the period shows both summaries); the agent grid
    // the calendar side (the agent table's medians) and the headline basis; the breakdown and
    // the buckets only show values in the headline basis.
    let basis = Sides::basis(cx.business);
    let mut groupings = vec![
        (None, Sides::BOTH),
        (
            Some(Dimension::Agent),
            Sides {
                calendar: true,
                business: cx.business,
            },
        ),
    ];
    groupings.extend(group_by.map(|d| (Some(d), basis)));
    // The same pass fills the series' buckets: each ticket is measured once for both.
    let (bucket_edges, labels) = cx.period.bucket_edges(cx.bucket);
    let mut sets = kpi::scan_sets(
        store,
        &setup,
        &[(&edges, &groupings), (&bucket_edges, &[(None, basis)])],
        &cx.filter,
    )
    .into_iter();
    let mut grids = sets.next().expect("trend grids").into_iter();
    let bucket_grid = sets
        .next()
        .and_then(|mut g| g.pop())
        .expect("a bucket grid");
    let mut next = || grids.next().expect("a grid per grouping");
    let (grid, agent_grid) = (next(), next());
    let group_grid = grids.next();
    let facts = window_facts(&cx, &periods, &edges);
    let coverage = Coverage::of(store, cx.sla.is_set(), &cx.urgent);

    let benchmarks = options::benchmarks(opts)?;
    let kpis: Vec<KpiRow> = CATALOGUE
        .iter()
        .map(|def| {
            let trend: Vec<Measured> = (0..grid.windows)
                .map(|w| {
                    // Only the period itself shows summaries; earlier windows give values.
                    let full = w + 1 == grid.windows;
                    measure_total(def.key, &grid, w, &facts[w], cx.business, full)
                })
                .collect();
            kpi_row(
                def,
                &trend,
                &coverage,
                targets.get(def.key).copied(),
                &benchmarks,
                &grid,
            )
        })
        .collect();

    // Series per bucket.
    let (backlog, _) = kpi::backlog(store, &cx.filter, &bucket_edges[1..], None);
    let bucket_facts: Vec<WindowFacts> = (0..bucket_grid.windows)
        .map(|w| WindowFacts {
            backlog_end: Some(backlog[0][w]),
            ..facts_for_span(&cx, bucket_edges[w], bucket_edges[w + 1])
        })
        .collect();
    let series = series(
        &bucket_grid,
        &bucket_facts,
        labels,
        backlog[0].clone(),
        cx.business,
    );

    // Per-agent figures over the trend windows: scorecard, agent view, agent table.
    let current = grid.windows - 1;
    let scorecard = scorecard(&cx, &agent_grid, &facts);
    let agent_view = match opts.agent_view.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(agent_view(&cx, &agent_grid, &facts, &scorecard, a)?),
        None => None,
    };
    let agents = agent_table(store, &agent_grid, current);

    let breakdown = group_by
        .zip(group_grid.as_ref())
        .map(|(d, g)| breakdown(&cx, d, g, &edges, current));

    let total = grid.cell(current, 0);
    let per_channel = created_per_channel(store, &cx.filter, edges[current], edges[current + 1]);
    let channels = shares(
        per_channel.iter().enumerate().map(|(g, &n)| {
            (
                Dimension::Channel.label(store, group_id(g, per_channel.len())),
                n,
            )
        }),
        total.created,
    );
    let frt = if cx.business {
        &total.frt.business
    } else {
        &total.frt.calendar
    };
    let replied = frt.len() as u64;
    let frt_distribution = FRT_LABELS
        .iter()
        .zip(frt.histogram(&FRT_EDGES))
        .map(|(l, n)| Share {
            name: l.to_string(),
            count: n as u64,
            percent: percent(n as u64, replied),
        })
        .collect();

    let raw_heat = kpi::heatmap(store, &cx.filter, cx.period.start(), cx.period.end(), tz);
    let heatmap = (0..7)
        .map(|i| raw_heat[(i + cx.period.week_start as usize) % 7].to_vec())
        .collect();

    let insights = insights(&kpis);
    let tiles = tiles(&kpis);
    let missing = missing_views(&coverage);

    let period_info = |p: &Period| PeriodInfo {
        from: day_string(p.first_day),
        to: day_string(p.end_day - 1),
        days: p.days(),
        timezone: tz.name().to_string(),
        bucket: cx.bucket,
        week_start: p.week_start,
    };
    Ok(Report {
        period: period_info(&cx.period),
        previous_period: period_info(&cx.period.previous()),
        trend_labels: periods
            .iter()
            .map(|p| {
                format!(
                    "{} – {}",
                    day_string(p.first_day),
                    day_string(p.end_day - 1)
                )
            })
            .collect(),
        time_basis: if cx.business { "business" } else { "calendar" },
        tickets_in_dataset: store.len(),
        tiles,
        kpis,
        series,
        channels,
        frt_distribution,
        heatmap,
        agents,
        scorecard,
        breakdown,
        agent_view,
        insights,
        feedback,
        missing,
        dimensions: Dimension::ALL
            .iter()
            .map(|&d| DimensionValues {
                dimension: d,
                values: (0..d.cardinality(store) as u32)
                    .map(|id| {
                        let value = match d {
                            Dimension::Agent => store.agents.name(id).to_string(),
                            _ => d.label(store, id),
                        };
                        (value, d.label(store, id))
                    })
                    .collect(),
            })
            .collect(),
        notes: cx.notes.clone(),
        all_channels: store.channels.names().to_vec(),
        all_agents: (0..store.agents.len() as u32)
            .map(|a| {
                (
                    store.agents.name(a).to_string(),
                    store.agent_name(a).to_string(),
                )
            })
            .collect(),
    })
}

/// Tickets created in `[start, end)` that `filter` accepts, per channel id, "(none)" last: the
/// `created` of a channel-grouped scan's window, without the scan.
fn created_per_channel(
    store: &TicketStore,
    filter: &Filter,
    start: Seconds,
    end: Seconds,
) -> Vec<u64> {
    let mut counts = vec![0u64; store.channels.len() + 1];
    let none = counts.len() - 1;
    for row in 0..store.len() {
        let c = store.created[row];
        if c < start || c >= end || !filter.accepts(store, row) {
            continue;
        }
        match store.channel[row] {
            NONE => counts[none] += 1,
            ch => counts[ch as usize] += 1,
        }
    }
    counts
}

fn group_id(g: usize, groups: usize) -> u32 {
    if g + 1 == groups {
        NONE
    } else {
        g as u32
    }
}

fn percent(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        n as f64 * 100.0 / of as f64
    }
}

fn shares(items: impl Iterator<Item = (String, u64)>, total: u64) -> Vec<Share> {
    let mut v: Vec<Share> = items
        .filter(|(_, n)| *n > 0)
        .map(|(name, count)| Share {
            name,
            count,
            percent: percent(count, total),
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    v
}

/// KPI `key` of window `w`'s total; without summaries unless `full` ([`measure_light`]).
fn measure_total(
    key: &str,
    grid: &Grid,
    w: usize,
    f: &WindowFacts,
    business: bool,
    full: bool,
) -> Measured {
    let a = grid.cell(w, 0);
    if full {
        measure(key, a, f, a.agent_count(), business)
    } else {
        measure_light(key, a, f, a.agent_count(), business)
    }
}

/// Facts of one span that do not come from ticket sums (calendar time, customers, roster).
fn facts_for_span(cx: &Context, start: Seconds, end: Seconds) -> WindowFacts {
    let p = &cx.period;
    let (d0, d1) = (p.local_day(start), p.local_day(end - 1) + 1);
    WindowFacts {
        backlog_end: None,
        working_days: cx.calendar.working_days(d0, d1) as f64,
        working_seconds: cx.calendar.business_seconds(start, end),
        customers: cx.data.meta.active_customers,
        retention: None,
        turnover: None,
    }
}

/// Per-window facts for the trend windows.
fn window_facts(cx: &Context, periods: &[Period], edges: &[Seconds]) -> Vec<WindowFacts> {
    let store = cx.store();
    let (backlog, _) = kpi::backlog(store, &cx.filter, &edges[1..], None);
    // Requesters active per window, with one window more in front for retention.
    let before = cx.period.shifted_back(periods.len() as i64);
    let mut req_edges = vec![before.start()];
    req_edges.extend_from_slice(edges);
    let active = active_requesters(store, &cx.filter, &req_edges);
    let has_requesters = store.requester.iter().any(|&r| r != NONE);
    periods
        .iter()
        .enumerate()
        .map(|(w, p)| {
            let mut f = facts_for_span(cx, edges[w], edges[w + 1]);
            f.backlog_end = Some(backlog[0][w]);
            if has_requesters {
                let (prev, cur) = (&active[w], &active[w + 1]);
                let kept = prev
                    .iter()
                    .zip(cur)
                    .map(|(a, b)| (a & b).count_ones() as u64)
                    .sum();
                let base: u64 = prev.iter().map(|a| a.count_ones() as u64).sum();
                f.retention = Some(Ratio {
                    numerator: kept,
                    denominator: base,
                });
                if f.customers.is_none() {
                    let n: u64 = cur.iter().map(|a| a.count_ones() as u64).sum();
                    f.customers = (n > 0).then_some(n as f64);
                }
            }
            f.turnover = turnover(store, p);
            f
        })
        .collect()
}

/// Bitsets of requesters with a ticket created in each window.
fn active_requesters(store: &TicketStore, filter: &Filter, edges: &[Seconds]) -> Vec<Vec<u64>> {
    let words = store.requesters.len().div_ceil(64);
    let mut sets = vec![vec![0u64; words]; edges.len().saturating_sub(1)];
    for row in 0..store.len() {
        let r = store.requester[row];
        if r == NONE || !filter.accepts(store, row) {
            continue;
        }
        if let Some(w) = kpi::window_of(edges, store.created[row]) {
            sets[w][r as usize / 64] |= 1 << (r % 64);
        }
    }
    sets
}

/// Leavers in the period and the average head-count at its start and end, from the roster.
fn turnover(store: &TicketStore, p: &Period) -> Option<(u64, f64)> {
    let roster: Vec<_> = store
        .agent_info
        .iter()
        .filter(|a| a.start_day.is_some() || a.end_day.is_some())
        .collect();
    if roster.is_empty() {
        return None;
    }
    let employed = |day: i64| {
        roster
            .iter()
            .filter(|a| a.start_day.is_none_or(|s| s <= day) && a.end_day.is_none_or(|e| e >= day))
            .count() as f64
    };
    let leavers = roster
        .iter()
        .filter(|a| a.end_day.is_some_and(|e| e >= p.first_day && e < p.end_day))
        .count() as u64;
    Some((
        leavers,
        (employed(p.first_day) + employed(p.end_day - 1)) / 2.0,
    ))
}

fn kpi_row(
    def: &KpiDef,
    trend: &[Measured],
    cov: &Coverage,
    target: Option<f64>,
    benchmarks: &[BenchmarkInput],
    grid: &Grid,
) -> KpiRow {
    let now = *trend.last().expect("at least one window");
    let prev = trend.len().checked_sub(2).and_then(|i| trend[i].value);
    let missing = cov.missing(def.need);
    let value = if missing.is_some() { None } else { now.value };
    let change = value.zip(prev).map(|(v, p)| v - p);
    let change_percent = value
        .zip(prev)
        .filter(|(_, p)| *p != 0.0)
        .map(|(v, p)| (v - p) * 100.0 / p.abs());
    let target = target.and_then(|t| {
        let v = value?;
        let met = |x: f64| match def.direction {
            Direction::Lower => x <= t,
            _ => x >= t,
        };
        let progress = match def.direction {
            Direction::Lower if v <= 0.0 => 1.0,
            Direction::Lower => (t / v).min(1.0),
            _ if t <= 0.0 => 1.0,
            _ => (v / t).clamp(0.0, 1.0),
        };
        Some(TargetStatus {
            target: t,
            met: met(v),
            progress,
            previously_met: prev.map(met),
        })
    });
    let current = grid.cell(grid.windows - 1, 0);
    let note = match def.key {
        "frt" if current.awaiting_reply > 0 && missing.is_none() => {
            Some(format!("{} awaiting first reply", current.awaiting_reply))
        }
        _ => None,
    };
    KpiRow {
        def: *def,
        now: if missing.is_some() {
            Measured::default()
        } else {
            now
        },
        missing,
        previous: prev,
        change,
        change_percent,
        trend: trend.iter().map(|m| m.value).collect(),
        target,
        benchmarks: benchmarks
            .iter()
            .filter(|b| b.kpi == def.key)
            .map(|b| Benchmark {
                label: b.label.clone(),
                value: b.value,
            })
            .collect(),
        note,
    }
}

fn series(
    grid: &Grid,
    facts: &[WindowFacts],
    labels: Vec<String>,
    backlog: Vec<u64>,
    business: bool,
) -> Series {
    let cells: Vec<&Acc> = (0..grid.windows).map(|w| grid.cell(w, 0)).collect();
    Series {
        labels,
        created: cells.iter().map(|a| a.created).collect(),
        solved: cells.iter().map(|a| a.solved).collect(),
        net_flow: cells
            .iter()
            .map(|a| a.created as i64 - a.solved as i64)
            .collect(),
        satisfied: cells.iter().map(|a| a.csat.numerator).collect(),
        dissatisfied: cells
            .iter()
            .map(|a| a.csat.denominator - a.csat.numerator)
            .collect(),
        backlog,
        kpis: CATALOGUE
            .iter()
            .map(|d| {
                let v = (0..grid.windows)
                    .map(|w| measure_total(d.key, grid, w, &facts[w], business, false).value)
                    .collect();
                (d.key, v)
            })
            .collect(),
    }
}

fn agent_measure(
    cx: &Context,
    grid: &Grid,
    w: usize,
    g: usize,
    f: &WindowFacts,
    key: &str,
) -> Option<f64> {
    let a = grid.cell(w, g);
    // Per agent, "agents active" is the agent alone.
    let facts = WindowFacts {
        backlog_end: None,
        ..*f
    };
    measure_light(key, a, &facts, 1, cx.business).value
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

fn better(direction: Direction, v: Option<f64>, median: Option<f64>) -> Option<bool> {
    let (v, m) = (v?, median?);
    match direction {
        _ if v == m => None,
        Direction::Higher => Some(v > m),
        Direction::Lower => Some(v < m),
        Direction::Neutral => None,
    }
}

fn active_agents(grid: &Grid, w: usize) -> Vec<usize> {
    (0..grid.groups - 1)
        .filter(|&g| {
            let a = grid.cell(w, g);
            a.created > 0 || a.solved > 0 || a.touched > 0 || a.csat.denominator > 0
        })
        .collect()
}

fn team_medians(
    cx: &Context,
    grid: &Grid,
    w: usize,
    f: &WindowFacts,
    keys: &[&str],
) -> Vec<Option<f64>> {
    let agents = active_agents(grid, w);
    keys.iter()
        .map(|k| {
            let mut vals: Vec<f64> = agents
                .iter()
                .filter_map(|&g| agent_measure(cx, grid, w, g, f, k))
                .collect();
            median(&mut vals)
        })
        .collect()
}

fn scorecard(cx: &Context, grid: &Grid, facts: &[WindowFacts]) -> Scorecard {
    let store = cx.store();
    let w = grid.windows - 1;
    let keys = SCORECARD_KEYS.to_vec();
    let team_median = team_medians(cx, grid, w, &facts[w], &keys);
    let mut rows: Vec<ScorecardRow> = active_agents(grid, w)
        .into_iter()
        .map(|g| {
            let values: Vec<Option<f64>> = keys
                .iter()
                .map(|k| agent_measure(cx, grid, w, g, &facts[w], k))
                .collect();
            let better = keys
                .iter()
                .zip(&values)
                .zip(&team_median)
                .map(|((k, v), m)| better(catalogue::find(k).unwrap().direction, *v, *m))
                .collect();
            ScorecardRow {
                id: store.agents.name(g as u32).to_string(),
                name: store.agent_name(g as u32).to_string(),
                team: store.agent_info[g].team.clone(),
                values,
                better,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let created = |r: &ScorecardRow| r.values[0].unwrap_or(0.0);
        created(b).total_cmp(&created(a)).then(a.name.cmp(&b.name))
    });
    Scorecard {
        keys,
        rows,
        team_median,
    }
}

/// KPIs that mean something for one agent.
const AGENT_VIEW_KEYS: [&str; 16] = [
    "created",
    "solved",
    "frt",
    "reply_wait",
    "resolution_time",
    "first_resolution_time",
    "resolution_rate",
    "fcr",
    "one_touch",
    "reopen_rate",
    "sla_first_reply",
    "sla_resolution",
    "csat",
    "solved_per_agent_day",
    "replies_per_agent_day",
    "occupancy",
];

fn agent_view(
    cx: &Context,
    grid: &Grid,
    facts: &[WindowFacts],
    _s: &Scorecard,
    who: &str,
) -> Result<AgentView> {
    let store = cx.store();
    let id = Dimension::Agent
        .lookup(store, who)
        .filter(|&a| a != NONE)
        .ok_or_else(|| {
            Error::Option(format!(
                "unknown agent {}: not in this dataset",
                time::quote(who)
            ))
        })?;
    let g = id as usize;
    let w = grid.windows - 1;
    let medians = team_medians(cx, grid, w, &facts[w], &AGENT_VIEW_KEYS);
    let coverage = Coverage::of(store, cx.sla.is_set(), &cx.urgent);
    let kpis = AGENT_VIEW_KEYS
        .iter()
        .zip(medians)
        .filter_map(|(k, m)| {
            let def = catalogue::find(k)?;
            if coverage.missing(def.need).is_some() {
                return None;
            }
            let trend: Vec<Option<f64>> = (0..grid.windows)
                .map(|i| agent_measure(cx, grid, i, g, &facts[i], k))
                .collect();
            let value = trend[w];
            Some(AgentKpi {
                key: def.key,
                label: def.label,
                unit: def.unit,
                direction: def.direction,
                value,
                previous: w.checked_sub(1).and_then(|p| trend[p]),
                team_median: m,
                better: better(def.direction, value, m),
                trend,
            })
        })
        .collect();
    Ok(AgentView {
        id: store.agents.name(id).to_string(),
        name: store.agent_name(id).to_string(),
        kpis,
    })
}

fn agent_table(store: &TicketStore, grid: &Grid, w: usize) -> Vec<AgentRow> {
    let mut agents: Vec<AgentRow> = (0..grid.groups)
        .filter_map(|g| {
            let a = grid.cell(w, g);
            if a.created == 0 && a.solved == 0 && a.csat.denominator == 0 {
                return None;
            }
            let unassigned = g + 1 == grid.groups;
            Some(AgentRow {
                id: if unassigned {
                    String::new()
                } else {
                    store.agents.name(g as u32).to_string()
                },
                name: if unassigned {
                    "(unassigned)".into()
                } else {
                    store.agent_name(g as u32).to_string()
                },
                tickets: a.created,
                solved: a.solved,
                frt_median: a.frt.calendar.summary().map(|s| s.median),
                resolution_median: a.resolution.calendar.summary().map(|s| s.median),
                csat: a.csat.percent(),
                csat_ratio: a.csat,
            })
        })
        .collect();
    agents.sort_by(|a, b| {
        (a.id.is_empty(), std::cmp::Reverse(a.tickets), &a.name).cmp(&(
            b.id.is_empty(),
            std::cmp::Reverse(b.tickets),
            &b.name,
        ))
    });
    agents
}

fn breakdown(cx: &Context, dim: Dimension, grid: &Grid, edges: &[Seconds], w: usize) -> Breakdown {
    let store = cx.store();
    let (backlog, _) = kpi::backlog(store, &cx.filter, &edges[w + 1..w + 2], Some(dim));
    let base = facts_for_span(cx, edges[w], edges[w + 1]);
    let keys: Vec<&'static str> = CATALOGUE
        .iter()
        .filter(|d| {
            !matches!(
                d.key,
                "retention" | "agent_turnover" | "complaint_escalations_per_1000"
            )
        })
        .map(|d| d.key)
        .collect();
    let mut rows: Vec<(u64, BreakdownRow)> = (0..grid.groups)
        .filter_map(|g| {
            let a = grid.cell(w, g);
            let open = backlog[g][0];
            if a.created == 0 && a.solved == 0 && open == 0 && a.csat.denominator == 0 {
                return None;
            }
            let facts = WindowFacts {
                backlog_end: Some(open),
                ..base
            };
            let measured: Vec<Measured> = keys
                .iter()
                .map(|k| measure_light(k, a, &facts, a.agent_count(), cx.business))
                .collect();
            Some((
                a.created,
                BreakdownRow {
                    name: dim.label(store, group_id(g, grid.groups)),
                    values: measured.iter().map(|m| m.value).collect(),
                    ratios: measured.iter().map(|m| m.ratio).collect(),
                },
            ))
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    Breakdown {
        dimension: dim,
        keys,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

fn tiles(kpis: &[KpiRow]) -> Vec<Tile> {
    TILE_KEYS
        .iter()
        .filter_map(|k| kpis.iter().find(|r| r.def.key == *k))
        .map(|r| Tile {
            key: r.def.key,
            label: r.def.label,
            unit: r.def.unit,
            value: r.now.value,
            summary: r.now.summary,
            ratio: r.now.ratio,
            missing: r.missing.clone(),
            note: r.note.clone(),
        })
        .collect()
}

/// Changes smaller than this (percent) are not findings.
const NOTABLE_CHANGE: f64 = 5.0;

fn insights(kpis: &[KpiRow]) -> Vec<Insight> {
    let mut out = Vec::new();
    // Target crossings first: they are what a manager acts on.
    for r in kpis {
        let (Some(t), Some(v)) = (r.target, r.now.value) else {
            continue;
        };
        let kind = match (t.previously_met, t.met) {
            (Some(false), true) => "target_met",
            (Some(true), false) => "target_missed",
            _ => continue,
        };
        let verb = if t.met {
            "now meets"
        } else {
            "no longer meets"
        };
        out.push(Insight {
            key: r.def.key,
            kind,
            previous: r.previous,
            value: Some(v),
            change_percent: r.change_percent,
            target: Some(t.target),
            text: format!(
                "{} {verb} its target of {} (now {}, was {}).",
                r.def.label,
                format_value(r.def.unit, t.target),
                format_value(r.def.unit, v),
                r.previous
                    .map_or("–".into(), |p| format_value(r.def.unit, p)),
            ),
        });
    }
    // Then the largest changes: KPIs with a better direction first (up to six), then volume
    // and other neutral figures (up to two) as context.
    let notable = |r: &&KpiRow| {
        r.change_percent.is_some_and(|c| c.abs() >= NOTABLE_CHANGE)
            && !out.iter().any(|i| i.key == r.def.key)
    };
    let by_size = |a: &&KpiRow, b: &&KpiRow| {
        let m = |r: &KpiRow| r.change_percent.unwrap_or(0.0).abs();
        m(b).total_cmp(&m(a)).then(a.def.key.cmp(b.def.key))
    };
    let mut directional: Vec<&KpiRow> = kpis
        .iter()
        .filter(notable)
        .filter(|r| r.def.direction != Direction::Neutral)
        .collect();
    directional.sort_by(by_size);
    let mut neutral: Vec<&KpiRow> = kpis
        .iter()
        .filter(notable)
        .filter(|r| r.def.direction == Direction::Neutral)
        .collect();
    neutral.sort_by(by_size);
    let changes: Vec<&KpiRow> = directional
        .into_iter()
        .take(6)
        .chain(neutral.into_iter().take(2))
        .collect();
    for r in changes {
        let c = r.change_percent.unwrap_or(0.0);
        let up = c > 0.0;
        let kind = match (r.def.direction, up) {
            (Direction::Neutral, _) => "changed",
            (Direction::Higher, true) | (Direction::Lower, false) => "improved",
            _ => "worsened",
        };
        let (v, p) = (r.now.value.unwrap_or(0.0), r.previous.unwrap_or(0.0));
        out.push(Insight {
            key: r.def.key,
            kind,
            previous: r.previous,
            value: r.now.value,
            change_percent: r.change_percent,
            target: None,
            text: format!(
                "{} {} {:.0}% ({} → {}){}.",
                r.def.label,
                if up { "rose" } else { "fell" },
                c.abs(),
                format_value(r.def.unit, p),
                format_value(r.def.unit, v),
                match kind {
                    "improved" => ": an improvement",
                    "worsened" => ": worse than the previous period",
                    _ => "",
                }
            ),
        });
    }
    out
}

fn feedback(cx: &Context, limit: usize) -> FeedbackWords {
    let store = cx.store();
    let (start, end) = (cx.period.start(), cx.period.end());
    let mut satisfied = Vec::new();
    let mut dissatisfied = Vec::new();
    for row in 0..store.len() {
        let (Some(r), c) = (store.rating[row], store.comment[row]) else {
            continue;
        };
        if c == NONE || !cx.filter.accepts(store, row) {
            continue;
        }
        let when = [
            store.rating_at[row],
            store.resolved_at(row),
            store.created[row],
        ]
        .into_iter()
        .find(|&t| t != NO_TIME)
        .unwrap_or(NO_TIME);
        if when < start || when >= end {
            continue;
        }
        let lang = match store.language[row] {
            NONE => None,
            l => Some(store.languages.name(l)),
        };
        let item = (store.comments[c as usize].as_str(), lang);
        if r.satisfied() {
            satisfied.push(item);
        } else {
            dissatisfied.push(item);
        }
    }
    FeedbackWords {
        satisfied: crate::words::top_terms(&satisfied, limit),
        dissatisfied: crate::words::top_terms(&dissatisfied, limit),
    }
}

fn missing_views(cov: &Coverage) -> Vec<MissingField> {
    use catalogue::Need;
    [
        ("channels", Need::Channel),
        ("agents", Need::Assignee),
        ("frt_distribution", Need::FirstReply),
        ("feedback", Need::Rating),
    ]
    .into_iter()
    .filter_map(|(view, need)| cov.missing(need).map(|needs| MissingField { view, needs }))
    .collect()
}

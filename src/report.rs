//! The report model: what the page shows, computed from a dataset and the viewer's options.
//! Serialisable so the browser receives it as one plain object.

use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::kpi::{self, Acc, Filter, FRT_EDGES};
use crate::period::{bucket_label, day_string, next_bucket, Bucket, Period};
use crate::stats::{Ratio, Summary};
use crate::store::NONE;
use crate::time::{self, Seconds, NO_TIME};
use serde::{Deserialize, Serialize};

/// What the viewer asked for. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// First day, `YYYY-MM-DD` in the report timezone (default: the first day with data).
    pub from: Option<String>,
    /// Last day, inclusive (default: the last day with data).
    pub to: Option<String>,
    /// `day`, `week`, `month` or `auto`.
    pub bucket: Option<String>,
    /// Report timezone (default: the dataset's).
    pub timezone: Option<String>,
    /// First day of the week, 0 = Monday … 6 = Sunday (default: the dataset's, else Monday).
    pub week_start: Option<u8>,
    /// Only these channels (names).
    pub channels: Vec<String>,
    /// Only these agents (ids).
    pub agents: Vec<String>,
}

/// The resolved period, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// How a tile's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A number of tickets.
    Count,
    /// Seconds (shown as a duration).
    Seconds,
    /// Percent, 0–100.
    Percent,
}

/// One headline KPI.
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

/// A time series on the period's buckets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// Bucket labels (`2026-03-02`, or `2026-03` for months).
    pub labels: Vec<String>,
    /// Tickets created per bucket.
    pub created: Vec<u64>,
    /// Tickets solved per bucket.
    pub solved: Vec<u64>,
    /// Open tickets at the end of each bucket.
    pub backlog: Vec<u64>,
    /// Created − solved per bucket.
    pub net_flow: Vec<i64>,
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

/// Everything the page shows for one set of options.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The period shown.
    pub period: PeriodInfo,
    /// Tickets in the dataset (before period and filters).
    pub tickets_in_dataset: usize,
    /// Headline KPIs.
    pub tiles: Vec<Tile>,
    /// Volume, solved, backlog and net flow per bucket.
    pub series: Series,
    /// Tickets created in the period by channel, largest first.
    pub channels: Vec<Share>,
    /// First response time distribution (0–1 h … > 24 h).
    pub frt_distribution: Vec<Share>,
    /// Per-agent table, busiest first (unassigned last).
    pub agents: Vec<AgentRow>,
    /// Why the per-agent table or channel chart is empty, if the data lacks the field.
    pub missing: Vec<MissingField>,
    /// Channel names present in the dataset (for filters).
    pub all_channels: Vec<String>,
    /// Agents present in the dataset as (id, name) (for filters).
    pub all_agents: Vec<(String, String)>,
}

/// A view the data cannot fill, and the field that would fill it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingField {
    /// Which view (`channels`, `agents`, `frt_distribution`).
    pub view: &'static str,
    /// What would enable it.
    pub needs: String,
}

/// Labels of the FRT distribution buckets.
pub const FRT_LABELS: [&str; 5] = ["0–1 h", "1–4 h", "4–8 h", "8–24 h", "> 24 h"];

const NEEDS_FRT: &str = "needs \"first_reply_at\" or agent \"messages\" on tickets";
const NEEDS_RESOLUTION: &str =
    "needs \"solved_at\" (or \"closed_at\" / \"status_history\") on solved tickets";
const NEEDS_CSAT: &str = "needs \"satisfaction\" ratings on tickets";

/// Builds the report for `data` with `opts`.
pub fn build(data: &Dataset, opts: &ReportOptions) -> Result<Report> {
    let store = &data.store;
    let tz_name = opts
        .timezone
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| data.meta.timezone.clone())
        .unwrap_or_else(|| "UTC".into());
    let tz = time::parse_tz(&tz_name).map_err(Error::Option)?;
    let week_start = opts.week_start.or(data.meta.week_start).unwrap_or(0);
    if week_start > 6 {
        return Err(Error::Option(format!(
            "week start {week_start} is out of range: expected 0 (Monday) to 6 (Sunday)"
        )));
    }
    let probe = Period {
        first_day: 0,
        end_day: 0,
        tz,
        week_start,
    };
    let (data_first, data_last) = data_days(data, &probe);
    let day = |s: &Option<String>, field: &str| -> Result<Option<i64>> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => time::parse_date(s).map(Some).ok_or_else(|| {
                Error::Option(format!(
                    "\"{field}\" should be a date like 2026-03-01; found {}",
                    time::quote(s)
                ))
            }),
        }
    };
    let first_day = day(&opts.from, "from")?.unwrap_or(data_first);
    let last_day = day(&opts.to, "to")?.unwrap_or(data_last);
    if last_day < first_day {
        return Err(Error::Option(format!(
            "the period ends ({}) before it starts ({})",
            day_string(last_day),
            day_string(first_day)
        )));
    }
    let period = Period {
        first_day,
        end_day: last_day + 1,
        ..probe
    };
    let bucket = match opts.bucket.as_deref() {
        Some(b) => Bucket::parse(b)?,
        None => None,
    }
    .unwrap_or_else(|| Bucket::auto(period.days()));

    // Bucket edges clipped to the period; labels name each bucket's own start.
    let starts = period.buckets(bucket);
    let mut edges: Vec<Seconds> = Vec::with_capacity(starts.len() + 1);
    let mut labels = Vec::with_capacity(starts.len());
    for &s in &starts {
        edges.push(time::local_to_utc(s.max(period.first_day) * 86_400, tz));
        labels.push(bucket_label(s, bucket));
    }
    let last_end = starts.last().map_or(period.end_day, |&s| {
        next_bucket(s, bucket).min(period.end_day)
    });
    edges.push(time::local_to_utc(last_end * 86_400, tz));

    let filter = Filter {
        channels: opts
            .channels
            .iter()
            .map(|c| store.channels.get(&c.to_lowercase()).unwrap_or(NONE - 1))
            .collect(),
        agents: opts
            .agents
            .iter()
            .map(|a| store.agents.get(a).unwrap_or(NONE - 1))
            .collect(),
    };
    let scan = kpi::scan(store, &period, &edges, &filter);
    let coverage = Coverage::of(data);

    let tiles = tiles(&scan.total, &scan, &coverage);
    let net_flow = scan
        .created
        .iter()
        .zip(&scan.solved)
        .map(|(&c, &s)| c as i64 - s as i64)
        .collect();

    let mut channels: Vec<Share> = scan
        .by_channel
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| Share {
            name: if i == store.channels.len() {
                "(none)".into()
            } else {
                store.channels.name(i as u32).to_string()
            },
            count: n,
            percent: percent(n, scan.total.created),
        })
        .collect();
    channels.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));

    let counts = scan.total.frt.histogram(&FRT_EDGES);
    let replied = scan.total.frt.len() as u64;
    let frt_distribution = FRT_LABELS
        .iter()
        .zip(counts)
        .map(|(l, n)| Share {
            name: l.to_string(),
            count: n as u64,
            percent: percent(n as u64, replied),
        })
        .collect();

    let mut agents: Vec<AgentRow> = scan
        .by_agent
        .iter()
        .enumerate()
        .filter(|(_, a)| a.created > 0 || a.solved > 0 || a.csat.denominator > 0)
        .map(|(i, a)| {
            let unassigned = i == store.agents.len();
            AgentRow {
                id: if unassigned {
                    String::new()
                } else {
                    store.agents.name(i as u32).to_string()
                },
                name: if unassigned {
                    "(unassigned)".into()
                } else {
                    store.agent_name(i as u32).to_string()
                },
                tickets: a.created,
                solved: a.solved,
                frt_median: a.frt.summary().map(|s| s.median),
                resolution_median: a.resolution.summary().map(|s| s.median),
                csat: a.csat.percent(),
                csat_ratio: a.csat,
            }
        })
        .collect();
    agents.sort_by(|a, b| {
        (a.id.is_empty(), std::cmp::Reverse(a.tickets), &a.name).cmp(&(
            b.id.is_empty(),
            std::cmp::Reverse(b.tickets),
            &b.name,
        ))
    });

    let mut missing = Vec::new();
    if !coverage.channel {
        missing.push(MissingField {
            view: "channels",
            needs: "needs \"channel\" on tickets".into(),
        });
    }
    if !coverage.agent {
        missing.push(MissingField {
            view: "agents",
            needs: "needs \"assignee\" on tickets".into(),
        });
    }
    if !coverage.frt {
        missing.push(MissingField {
            view: "frt_distribution",
            needs: NEEDS_FRT.into(),
        });
    }

    Ok(Report {
        period: PeriodInfo {
            from: day_string(period.first_day),
            to: day_string(last_day),
            days: period.days(),
            timezone: tz_name,
            bucket,
            week_start,
        },
        tickets_in_dataset: store.len(),
        tiles,
        series: Series {
            labels,
            created: scan.created,
            solved: scan.solved,
            backlog: scan.backlog,
            net_flow,
        },
        channels,
        frt_distribution,
        agents,
        missing,
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

fn percent(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        n as f64 * 100.0 / of as f64
    }
}

/// Which fields the dataset has at all (to tell "no data in this period" from "no such field").
struct Coverage {
    frt: bool,
    resolution: bool,
    csat: bool,
    channel: bool,
    agent: bool,
}

impl Coverage {
    fn of(data: &Dataset) -> Coverage {
        let s = &data.store;
        Coverage {
            frt: s.first_reply.iter().any(|&t| t != NO_TIME),
            resolution: (0..s.len()).any(|r| s.resolved_at(r) != NO_TIME),
            csat: s.rating.iter().any(Option::is_some),
            channel: s.channel.iter().any(|&c| c != NONE),
            agent: s.agent.iter().any(|&a| a != NONE),
        }
    }
}

/// The first and last local day with any ticket activity.
fn data_days(data: &Dataset, p: &Period) -> (i64, i64) {
    let s = &data.store;
    let mut lo = i64::MAX;
    let mut hi = i64::MIN;
    for row in 0..s.len() {
        lo = lo.min(s.created[row]);
        hi = hi.max(s.created[row]);
        let r = s.resolved_at(row);
        if r != NO_TIME {
            hi = hi.max(r);
        }
    }
    if lo == i64::MAX {
        let today = p.local_day(data.meta.exported_at.unwrap_or(0));
        return (today, today);
    }
    (p.local_day(lo), p.local_day(hi))
}

fn tiles(t: &Acc, scan: &kpi::Scan, cov: &Coverage) -> Vec<Tile> {
    let base = |key, label, unit| Tile {
        key,
        label,
        unit,
        value: None,
        summary: None,
        ratio: None,
        missing: None,
        note: None,
    };
    let duration = |key, label, d: &crate::stats::Durations, has: bool, needs: &str| {
        let mut tile = base(key, label, Unit::Seconds);
        tile.summary = d.summary();
        tile.value = tile.summary.map(|s| s.median);
        if !has {
            tile.missing = Some(needs.to_string());
        }
        tile
    };

    let mut created = base("created", "Tickets created", Unit::Count);
    created.value = Some(t.created as f64);

    let mut frt = duration("frt", "First response time", &t.frt, cov.frt, NEEDS_FRT);
    if cov.frt && t.awaiting_reply > 0 {
        frt.note = Some(format!("{} awaiting first reply", t.awaiting_reply));
    }
    let resolution = duration(
        "resolution_time",
        "Full resolution time",
        &t.resolution,
        cov.resolution,
        NEEDS_RESOLUTION,
    );

    let mut rate = base("resolution_rate", "Resolution rate", Unit::Percent);
    rate.ratio = Some(t.resolution_rate());
    rate.value = t.resolution_rate().percent();
    if !cov.resolution {
        rate.missing = Some(NEEDS_RESOLUTION.into());
    }

    let mut backlog = base("backlog", "Open at period end", Unit::Count);
    backlog.value = scan.backlog.last().map(|&b| b as f64);
    if scan.unknown_resolution > 0 {
        backlog.note = Some(format!(
            "{} solved tickets without a solve time left out",
            scan.unknown_resolution
        ));
    }

    let mut csat = base("csat", "CSAT", Unit::Percent);
    csat.ratio = Some(t.csat);
    csat.value = t.csat.percent();
    if !cov.csat {
        csat.missing = Some(NEEDS_CSAT.into());
    }
    vec![created, frt, resolution, rate, backlog, csat]
}

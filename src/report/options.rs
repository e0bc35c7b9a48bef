//! The viewer's options, and their resolution against the dataset into a report context.

use super::Context;
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::kpi::catalogue::{self, Unit};
use crate::kpi::{Dimension, Filter, SlaPolicy, SlaTargets};
use crate::period::{day_string, Bucket, Period};
use crate::time::{self, NO_TIME};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What the viewer asked for. Every field is optional; see `docs/kpis.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// First day, `YYYY-MM-DD` in the report timezone (default: the first day with data).
    pub from: Option<String>,
    /// Last day, inclusive (default: the last day with data).
    pub to: Option<String>,
    /// `hour`, `day`, `week`, `month`, `quarter`, `year` or `auto`.
    pub bucket: Option<String>,
    /// Report timezone (default: the dataset's).
    pub timezone: Option<String>,
    /// First day of the week, 0 = Monday … 6 = Sunday (default: the dataset's, else Monday).
    pub week_start: Option<u8>,
    /// Only these channels (names). Same as `filters.channel`.
    pub channels: Vec<String>,
    /// Only these agents (ids). Same as `filters.agent`.
    pub agents: Vec<String>,
    /// Multi-select filters: dimension → selected values.
    pub filters: BTreeMap<String, Vec<String>>,
    /// Break every KPI down by this dimension.
    pub group_by: Option<String>,
    /// Number of periods in trends, this one included (default 6, at least 2).
    pub trend_periods: Option<usize>,
    /// Headline basis of durations: `calendar` (default) or `business`.
    pub time_basis: Option<String>,
    /// Working calendar (overrides the dataset's): a preset name or an object.
    pub calendar: Option<Value>,
    /// Targets per KPI key (override the dataset's): numbers in the KPI's unit (seconds for
    /// durations) or text such as "1h", "30 min", "90%".
    pub targets: BTreeMap<String, Value>,
    /// Reference lines typed in by the user.
    pub benchmarks: Vec<BenchmarkInput>,
    /// SLA targets (override `dataset.targets.sla`).
    pub sla: Option<Value>,
    /// Abandons shorter than this many seconds are not counted (default 5).
    pub abandon_threshold_seconds: Option<f64>,
    /// The as-of instant (Unix seconds) for open SLA breaches (default: the export time, else
    /// the last event in the data).
    pub now: Option<f64>,
    /// Agent id (or name) for the agent view.
    pub agent_view: Option<String>,
    /// Number of feedback words per side (default 15).
    pub words: Option<usize>,
}

/// A benchmark as typed in.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BenchmarkInput {
    /// KPI key.
    pub kpi: String,
    /// Value in the KPI's unit.
    pub value: f64,
    /// What it is.
    #[serde(default)]
    pub label: String,
}

pub(super) fn resolve<'d>(data: &'d Dataset, opts: &ReportOptions) -> Result<Context<'d>> {
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
    let (data_first, data_last, last_event) = data_days(data, &probe);
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
    if last_day - first_day > 366 * 50 {
        return Err(Error::Option(
            "the period is longer than 50 years: choose a shorter range".into(),
        ));
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
    let buckets = period.buckets(bucket).len();
    if buckets > 20_000 {
        return Err(Error::Option(
            format!(
                "{buckets} buckets of one {bucket:?} are too many to draw: choose a larger bucket"
            )
            .to_lowercase(),
        ));
    }

    let mut calendar = match opts.calendar.as_ref().or(data.meta.calendar.as_ref()) {
        None | Some(Value::Null) => Calendar::always(tz),
        Some(Value::String(name)) => Calendar::preset(name, tz).map_err(Error::Option)?,
        Some(v) => Calendar::from_json(v, tz).map_err(Error::Option)?,
    };
    // The as-of instant for open SLA breaches. Typed in, it must be a real instant: business
    // time up to a "now" centuries away is slow to count and means nothing.
    let now = match opts.now {
        Some(n) if (time::EARLIEST as f64..=time::LATEST as f64).contains(&n) => n as i64,
        Some(n) => {
            return Err(Error::Option(format!(
                "\"now\" should be a Unix time in seconds from 1971 to 2200; found {n}"
            )))
        }
        None => data.meta.exported_at.unwrap_or(last_event),
    };
    // Business durations are computed millions of times: prepare the fast path over every day
    // the data, the trend windows and the SLA clock (up to `now`) can touch. A span outside
    // the prepared days is exact but slow, day by day: an export read years after it was
    // taken once cost seconds per open ticket.
    let trend = opts.trend_periods.unwrap_or(6).clamp(2, 60);
    let earliest = period
        .shifted_back(trend as i64 + 1)
        .first_day
        .min(data_first);
    let now_day =
        time::utc_to_local(now.clamp(time::EARLIEST, time::LATEST), tz).div_euclid(86_400);
    let latest = period.end_day.max(data_last + 1).max(now_day + 1);
    calendar.prepare(earliest - 1, latest + 1);

    let mut filter = Filter::default();
    filter.select(store, Dimension::Channel, &opts.channels);
    filter.select(store, Dimension::Agent, &opts.agents);
    for (dim, values) in &opts.filters {
        filter.select(store, Dimension::parse(dim)?, values);
    }
    filter.materialize(store);

    let urgent = store
        .priorities
        .names()
        .iter()
        .map(|p| catalogue::URGENT_PRIORITIES.contains(&p.as_str()))
        .collect();
    // Typed-in SLA targets must be right; the dataset's are the exporter's, so a bad one is
    // set aside with a note instead of blocking the whole report.
    let mut notes = Vec::new();
    let sla = match (
        &opts.sla,
        data.meta.targets.as_ref().and_then(|t| t.get("sla")),
    ) {
        (Some(v), _) => sla_policy(v, data)?,
        (None, Some(v)) => sla_policy(v, data).unwrap_or_else(|e| {
            notes.push(format!("dataset SLA targets ignored: {e}"));
            SlaPolicy::default()
        }),
        (None, None) => SlaPolicy::default(),
    };
    let business = match opts.time_basis.as_deref().map(str::trim) {
        None | Some("") | Some("calendar") => false,
        Some("business") => true,
        Some(other) => {
            return Err(Error::Option(format!(
                "unknown time basis {}: expected calendar or business",
                time::quote(other)
            )))
        }
    };
    Ok(Context {
        data,
        period,
        bucket,
        calendar,
        sla,
        urgent,
        now,
        abandon_threshold: opts.abandon_threshold_seconds.unwrap_or(5.0).max(0.0) as i64,
        filter,
        business,
        trend,
        notes,
    })
}

/// The first and last local day with any ticket activity, and the last event instant.
fn data_days(data: &Dataset, p: &Period) -> (i64, i64, i64) {
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
        let t = data.meta.exported_at.unwrap_or(0);
        let today = p.local_day(t);
        return (today, today, t);
    }
    (p.local_day(lo), p.local_day(hi), hi)
}

/// Reads a target or SLA value: a number in `unit` (seconds for durations), or text with a
/// unit: "90%", "1h", "1 h 30 min", "45m", "2d", "30 s".
pub fn parse_amount(v: &Value, unit: Unit) -> std::result::Result<f64, String> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("{n}")),
        Value::String(s) => parse_text_amount(s, unit).ok_or_else(|| time::quote(s)),
        other => Err(other.to_string()),
    }
}

fn parse_text_amount(s: &str, unit: Unit) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    if let Some(p) = t.strip_suffix('%') {
        return p.trim().parse().ok();
    }
    if unit != Unit::Seconds {
        return t.parse().ok();
    }
    // A sequence of <number><unit> parts: "1h 30m", "1 h 30 min", "90 min", "2d".
    let mut total = 0.0;
    let mut rest = t.as_str();
    let mut parts = 0;
    while !rest.trim().is_empty() {
        rest = rest.trim_start();
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..num_end].parse().ok()?;
        rest = rest[num_end..].trim_start();
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_end] {
            "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86_400.0,
            _ => return None,
        };
        total += n * factor;
        rest = &rest[unit_end..];
        parts += 1;
    }
    (parts > 0).then_some(total)
}

/// Targets per KPI key: the dataset's, overridden by the viewer's. A bad typed-in target is an
/// error; a bad dataset target is left out with a note in `notes`.
pub(super) fn targets(
    data: &Dataset,
    opts: &ReportOptions,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<&'static str, f64>> {
    let mut out = BTreeMap::new();
    let dataset = data.meta.targets.as_ref().and_then(Value::as_object);
    let entries = dataset
        .into_iter()
        .flat_map(|m| m.iter().map(|e| (e, true)))
        .chain(opts.targets.iter().map(|e| (e, false)));
    for ((key, v), from_dataset) in entries {
        if key == "sla" || v.is_null() {
            continue;
        }
        match target(key, v) {
            Ok((k, amount)) => {
                out.insert(k, amount);
            }
            Err(e) if from_dataset => notes.push(format!("dataset target ignored: {e}")),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

fn target(key: &str, v: &Value) -> Result<(&'static str, f64)> {
    let def = catalogue::find(key).ok_or_else(|| {
        Error::Option(format!(
            "target for unknown KPI {}: expected a key such as \"frt\" or \"csat\"",
            time::quote(key)
        ))
    })?;
    let amount = parse_amount(v, def.unit).map_err(|found| {
        Error::Option(format!(
            "target for \"{key}\" should be a number or an amount like \"1h\" or \"90%\"; \
             found {found}"
        ))
    })?;
    Ok((def.key, amount))
}

/// Benchmarks, checked against the catalogue.
pub(super) fn benchmarks(opts: &ReportOptions) -> Result<Vec<BenchmarkInput>> {
    for b in &opts.benchmarks {
        if catalogue::find(&b.kpi).is_none() {
            return Err(Error::Option(format!(
                "benchmark for unknown KPI {}",
                time::quote(&b.kpi)
            )));
        }
    }
    Ok(opts.benchmarks.clone())
}

/// Reads SLA targets: {"first_reply": "1h", "next_reply": "4h", "resolution": "2d",
/// "business_hours": true, "by_priority": {"urgent": {"first_reply": "15m"}}}.
fn sla_policy(v: &Value, data: &Dataset) -> Result<SlaPolicy> {
    let obj = v
        .as_object()
        .ok_or_else(|| Error::Option(format!("SLA targets should be an object; found {v}")))?;
    let targets = |o: &serde_json::Map<String, Value>, at: &str| -> Result<SlaTargets> {
        let get = |k: &str| -> Result<Option<i64>> {
            match o.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(x) => parse_amount(x, Unit::Seconds)
                    .map(|s| Some(s.round() as i64))
                    .map_err(|found| {
                        Error::Option(format!(
                            "SLA {at}\"{k}\" should be a duration like \"1h\" or a number of \
                             seconds; found {found}"
                        ))
                    }),
            }
        };
        Ok(SlaTargets {
            first_reply: get("first_reply")?,
            next_reply: get("next_reply")?,
            resolution: get("resolution")?,
        })
    };
    let mut policy = SlaPolicy {
        default: targets(obj, "")?,
        by_priority: vec![None; data.store.priorities.len()],
        business_hours: obj
            .get("business_hours")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    if let Some(per) = obj.get("by_priority").and_then(Value::as_object) {
        for (name, t) in per {
            let Some(o) = t.as_object() else { continue };
            if let Some(id) = data.store.priorities.get(&name.to_lowercase()) {
                policy.by_priority[id as usize] = Some(targets(o, &format!("{name}: "))?);
            }
        }
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        let s = |x: &str| parse_text_amount(x, Unit::Seconds);
        assert_eq!(s("1h"), Some(3600.0));
        assert_eq!(s("1 h 30 min"), Some(5400.0));
        assert_eq!(s("45m"), Some(2700.0));
        assert_eq!(s("2d"), Some(172_800.0));
        assert_eq!(s("90"), Some(90.0));
        assert_eq!(s("soon"), None);
        assert_eq!(parse_text_amount("90%", Unit::Percent), Some(90.0));
        assert_eq!(parse_text_amount("4.5", Unit::Score), Some(4.5));
    }
}

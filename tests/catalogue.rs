//! Every KPI of the catalogue on a hand-computed fixture (`tests/fixtures/catalogue.json`).
//!
//! The fixture: UTC, Mon–Fri 09:00–17:00 calendar, report period Mon 2026-03-02 … Sun 03-08,
//! previous period 02-23 … 03-01, exported (now) 03-09 00:00. Tickets A–E are created in the
//! period; P1–P3 before it (P3 is solved in it). Each assertion's arithmetic is written beside
//! it.

use ticket_kpis::ingest::{self, Dataset, IngestOptions};
use ticket_kpis::report::{self, KpiRow, Report, ReportOptions};
use ticket_kpis::stats::Ratio;

fn load() -> Dataset {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/catalogue.json");
    let d = ingest::load(
        &std::fs::read(path).unwrap(),
        &IngestOptions {
            now: 1_800_000_000,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(d.import.warnings.is_empty(), "{:?}", d.import.warnings);
    d
}

fn week() -> ReportOptions {
    ReportOptions {
        from: Some("2026-03-02".into()),
        to: Some("2026-03-08".into()),
        ..Default::default()
    }
}

fn report(opts: &ReportOptions) -> Report {
    report::build(&load(), opts).unwrap()
}

fn row<'r>(r: &'r Report, key: &str) -> &'r KpiRow {
    r.kpis
        .iter()
        .find(|k| k.def.key == key)
        .unwrap_or_else(|| panic!("no KPI {key}"))
}

fn value(r: &Report, key: &str) -> Option<f64> {
    row(r, key).now.value
}

fn ratio(r: &Report, key: &str) -> (u64, u64) {
    let q: Ratio = row(r, key).now.ratio.unwrap();
    (q.numerator, q.denominator)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn catalogue_is_complete() {
    let r = report(&week());
    let keys: Vec<&str> = r.kpis.iter().map(|k| k.def.key).collect();
    assert_eq!(keys.len(), 38);
    for k in [
        "frt",
        "asa",
        "reply_wait",
        "resolution_time",
        "first_resolution_time",
        "requester_wait",
        "urgent_frt",
        "urgent_resolution_time",
        "created",
        "messages_received",
        "solved",
        "backlog",
        "net_flow",
        "conversations_per_agent",
        "solved_per_agent_day",
        "replies_per_agent_day",
        "occupancy",
        "resolution_rate",
        "fcr",
        "one_touch",
        "reopen_rate",
        "response_rate",
        "abandonment_rate",
        "escalation_rate",
        "complaint_escalations",
        "complaint_escalations_per_1000",
        "sla_first_reply",
        "sla_next_reply",
        "sla_resolution",
        "conversion_rate",
        "csat",
        "survey_response_rate",
        "nps",
        "ces",
        "ces_easy",
        "retention",
        "revenue",
        "agent_turnover",
    ] {
        assert!(keys.contains(&k), "{k}");
    }
    // Every KPI has data here: none may claim a missing field.
    for k in &r.kpis {
        assert_eq!(k.missing, None, "{}", k.def.key);
    }
}

#[test]
fn speed() {
    let r = report(&week());
    // FRT of A, B, D: 3600, 600, 7200 s calendar; business 3600, 600, 0 (D replied Saturday).
    let frt = row(&r, "frt");
    let s = frt.now.summary.unwrap();
    // p90 = 3600 + 0.8 × (7200 − 3600); mean 11400 / 3.
    assert_eq!(
        (s.count, s.median, s.p90, s.mean),
        (3, 3600.0, 6480.0, 3800.0)
    );
    let b = frt.now.business.unwrap();
    assert_eq!((b.median, b.p90, b.mean), (600.0, 3000.0, 1400.0));
    assert_eq!(frt.note.as_deref(), Some("2 awaiting first reply")); // C, E
                                                                     // ASA: B waited 30 s (C's 3 s abandon is under the 5 s threshold, E abandoned).
    assert_eq!(value(&r, "asa"), Some(30.0));
    // Reply wait: A's second turn, customer 11:00 → agent 13:00.
    assert_eq!(value(&r, "reply_wait"), Some(7200.0));
    // Resolution (solved in period): E 1800, A 18000, B 64800, P3 345600 s;
    // median (18000 + 64800) / 2; p90 = 64800 + 0.7 × 280800.
    let s = row(&r, "resolution_time").now.summary.unwrap();
    assert_eq!(
        (s.count, s.median, s.p90, s.mean),
        (4, 41400.0, 261360.0, 107550.0)
    );
    // Business: E 1800, B 7200 (Mon 16–17 + Tue 9–10), A 18000, P3 57600 (Thu 5 h + Fri 8 h +
    // Mon 3 h).
    assert_eq!(
        row(&r, "resolution_time").now.business.unwrap().median,
        12600.0
    );
    // First resolution: A 18000 (never reopened), B 64800 (first solve from its history).
    assert_eq!(value(&r, "first_resolution_time"), Some(41400.0));
    // Requester wait of B: new 16:00–16:10, pending not counted, open 09:00–10:00 = 4200 s.
    assert_eq!(value(&r, "requester_wait"), Some(4200.0));
    // Urgent: A (FRT 3600, resolution 18000) and D (FRT 7200).
    assert_eq!(value(&r, "urgent_frt"), Some(5400.0));
    assert_eq!(value(&r, "urgent_resolution_time"), Some(18000.0));
}

#[test]
fn business_time_is_the_headline_when_asked() {
    let r = report(&ReportOptions {
        time_basis: Some("business".into()),
        ..week()
    });
    assert_eq!(r.time_basis, "business");
    assert_eq!(value(&r, "frt"), Some(600.0));
    assert_eq!(value(&r, "resolution_time"), Some(12600.0));
    // FRT distribution in business time: 0, 600, 3600 → all three under an hour... 3600 is 1–4 h.
    let d: Vec<u64> = r.frt_distribution.iter().map(|s| s.count).collect();
    assert_eq!(d, [2, 1, 0, 0, 0]);
}

#[test]
fn volume_and_flow() {
    let r = report(&week());
    assert_eq!(value(&r, "created"), Some(5.0));
    assert_eq!(value(&r, "messages_received"), Some(3.0)); // A: 2, B: 1
    assert_eq!(value(&r, "solved"), Some(4.0)); // A, B, E, P3
    assert_eq!(value(&r, "backlog"), Some(2.0)); // C, D
    assert_eq!(value(&r, "net_flow"), Some(1.0));
    // Agents active: a1 (A, C, D) and a2 (B, P3). Touched: A, B, D, E, P3 → 5 / 2.
    assert_eq!(value(&r, "conversations_per_agent"), Some(2.5));
    // 4 solved / (2 agents × 5 working days); replies A 2 + B 1 + D 1 (first reply only).
    assert_eq!(value(&r, "solved_per_agent_day"), Some(0.4));
    assert_eq!(value(&r, "replies_per_agent_day"), Some(0.4));
    // Occupancy: 600 s handled / (2 agents × 5 × 8 h).
    close(value(&r, "occupancy"), 600.0 * 100.0 / 288_000.0);
    // Busiest hours: A Mon 09, B Mon 16, E Wed 09, C Fri 18, D Sat 10.
    let cells: Vec<(usize, usize, u64)> = r
        .heatmap
        .iter()
        .enumerate()
        .flat_map(|(d, h)| {
            h.iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(move |(i, n)| (d, i, *n))
        })
        .collect();
    assert_eq!(
        cells,
        [(0, 9, 1), (0, 16, 1), (2, 9, 1), (4, 18, 1), (5, 10, 1)]
    );
}

#[test]
fn outcome() {
    let r = report(&week());
    assert_eq!(ratio(&r, "resolution_rate"), (4, 5));
    assert_eq!(ratio(&r, "fcr"), (1, 2)); // B yes; A had a customer message after the reply
    assert_eq!(ratio(&r, "one_touch"), (1, 2)); // B 1 reply, A 2; E and P3 unknown
    assert_eq!(ratio(&r, "reopen_rate"), (1, 2)); // B reopened; A not; E, P3 unknown
    assert_eq!(ratio(&r, "response_rate"), (3, 5)); // A, B, D replied
    assert_eq!(ratio(&r, "abandonment_rate"), (1, 2)); // E of B, E (C under 5 s)
    assert_eq!(ratio(&r, "escalation_rate"), (1, 4)); // B of A, B, C, E
    assert_eq!(value(&r, "complaint_escalations"), Some(1.0));
    assert_eq!(value(&r, "complaint_escalations_per_1000"), Some(0.5)); // 1 per 2000 customers
                                                                        // SLA first reply 2 h: A, B, D met; C and E unanswered after 2 h as of 03-09.
    assert_eq!(ratio(&r, "sla_first_reply"), (3, 5));
    assert_eq!(ratio(&r, "sla_next_reply"), (1, 1)); // A's 2 h turn within 4 h
                                                     // SLA resolution 1 d: A, B, E met; P3 (4 d) breached; C and D open past 1 d.
    assert_eq!(ratio(&r, "sla_resolution"), (3, 6));
    assert_eq!(ratio(&r, "conversion_rate"), (1, 2));
}

#[test]
fn customer_and_team() {
    let r = report(&week());
    assert_eq!(ratio(&r, "csat"), (1, 2)); // A 5/5, B 2/5
    assert_eq!(ratio(&r, "survey_response_rate"), (2, 3)); // D was offered, never answered
    assert_eq!(value(&r, "nps"), Some(0.0)); // A promoter, B detractor
    assert_eq!(value(&r, "ces"), Some(4.0)); // (6 + 2) / 2
    assert_eq!(ratio(&r, "ces_easy"), (1, 2));
    // Previous period's requesters c1, c5, c2; c1 and c2 came back.
    assert_eq!(ratio(&r, "retention"), (2, 3));
    assert_eq!(value(&r, "revenue"), Some(100.0));
    // a3 left on 03-04: 1 leaver / average head-count (3 on 03-02 + 2 on 03-08) / 2.
    assert_eq!(value(&r, "agent_turnover"), Some(40.0));
}

#[test]
fn against_the_previous_period_and_targets() {
    let r = report(&week());
    assert_eq!(
        (
            r.previous_period.from.as_str(),
            r.previous_period.to.as_str()
        ),
        ("2026-02-23", "2026-03-01")
    );
    // Previous FRT: P1 7200, P2 300, P3 3600 → median 3600: no change.
    let frt = row(&r, "frt");
    assert_eq!(
        (frt.previous, frt.change, frt.change_percent),
        (Some(3600.0), Some(0.0), Some(0.0))
    );
    let t = frt.target.unwrap();
    assert_eq!(
        (t.target, t.met, t.progress, t.previously_met),
        (3600.0, true, 1.0, Some(true))
    );
    // CSAT 100 % → 50 %; target 80 % missed now, met before.
    let csat = row(&r, "csat");
    assert_eq!(
        (csat.previous, csat.change_percent),
        (Some(100.0), Some(-50.0))
    );
    let t = csat.target.unwrap();
    assert_eq!(
        (t.met, t.progress, t.previously_met),
        (false, 0.625, Some(true))
    );
    // Resolution rate 2/3 → 4/5: +20 %.
    close(row(&r, "resolution_rate").change_percent, 20.0);
    // Trend: six weeks, the last two are the previous and this period.
    assert_eq!(
        row(&r, "created").trend,
        [
            Some(0.0),
            Some(0.0),
            Some(0.0),
            Some(0.0),
            Some(3.0),
            Some(5.0)
        ]
    );
    assert_eq!(r.trend_labels[5], "2026-03-02 – 2026-03-08");
    // The management view leads with the target crossing.
    assert_eq!(r.insights[0].kind, "target_missed");
    assert_eq!(r.insights[0].key, "csat");
    assert_eq!(
        r.insights[0].text,
        "CSAT no longer meets its target of 80.0% (now 50.0%, was 100.0%)."
    );
    // Then the largest changes of KPIs with a direction (3/3 replied before, 3/5 now).
    let rr = r
        .insights
        .iter()
        .find(|i| i.key == "response_rate")
        .unwrap();
    assert_eq!(rr.kind, "worsened");
    assert_eq!(
        rr.text,
        "Response rate fell 40% (100.0% → 60.0%): worse than the previous period."
    );
    // Neutral figures come last, as context.
    assert_eq!(r.insights.last().unwrap().kind, "changed");
}

#[test]
fn typed_targets_and_benchmarks_override_the_dataset() {
    let mut opts = week();
    opts.targets
        .insert("frt".into(), serde_json::json!("30 min"));
    opts.benchmarks.push(report::BenchmarkInput {
        kpi: "frt".into(),
        value: 14_400.0,
        label: "industry median".into(),
    });
    let r = report(&opts);
    let frt = row(&r, "frt");
    let t = frt.target.unwrap();
    assert_eq!((t.target, t.met, t.progress), (1800.0, false, 0.5));
    assert_eq!(frt.benchmarks[0].value, 14_400.0);
    opts.targets.insert("nope".into(), serde_json::json!(1));
    assert_eq!(
        report::build(&load(), &opts).unwrap_err().to_string(),
        "target for unknown KPI \"nope\": expected a key such as \"frt\" or \"csat\""
    );
}

#[test]
fn breakdown_by_channel() {
    let r = report(&ReportOptions {
        group_by: Some("channel".into()),
        ..week()
    });
    let b = r.breakdown.unwrap();
    let col = |k: &str| b.keys.iter().position(|x| *x == k).unwrap();
    let names: Vec<&str> = b.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["email", "chat", "phone", "web"]);
    let email = &b.rows[0];
    assert_eq!(email.values[col("created")], Some(2.0)); // A, D
    assert_eq!(email.values[col("solved")], Some(2.0)); // A, P3
    assert_eq!(email.values[col("backlog")], Some(1.0)); // D
    assert_eq!(email.values[col("frt")], Some(5400.0)); // A 3600, D 7200
}

#[test]
fn filters_are_multi_select_and_recompute_without_reparsing() {
    let data = load();
    let mut opts = week();
    opts.filters
        .insert("tier".into(), vec!["gold".into(), "silver".into()]);
    let r = report::build(&data, &opts).unwrap();
    assert_eq!(value(&r, "created"), Some(3.0)); // A, B, D
    opts.filters
        .insert("priority".into(), vec!["urgent".into()]);
    let r = report::build(&data, &opts).unwrap();
    assert_eq!(value(&r, "created"), Some(2.0)); // A, D
    opts.filters.clear();
    opts.filters.insert("tag".into(), vec!["(none)".into()]);
    let r = report::build(&data, &opts).unwrap();
    assert_eq!(value(&r, "created"), Some(3.0)); // C, D, E
}

#[test]
fn scorecard_and_agent_view() {
    let r = report(&ReportOptions {
        agent_view: Some("a1".into()),
        ..week()
    });
    let sc = &r.scorecard;
    assert_eq!(
        sc.keys,
        [
            "created",
            "solved",
            "frt",
            "resolution_time",
            "csat",
            "fcr",
            "sla_first_reply"
        ]
    );
    let a1 = &sc.rows[0];
    assert_eq!(a1.name, "Ayşe Yılmaz");
    // a1: A, C, D created; A solved; FRT 3600 & 7200; A resolved in 5 h; CSAT 1/1; FCR 0/1;
    // SLA first reply A, D met, C breached.
    assert_eq!(
        &a1.values[..6],
        [
            Some(3.0),
            Some(1.0),
            Some(5400.0),
            Some(18000.0),
            Some(100.0),
            Some(0.0)
        ]
    );
    close(a1.values[6], 200.0 / 3.0);
    // Team medians of a1 and a2 (a2: 1 created, 2 solved, FRT 600, resolution 205200,
    // CSAT 0, FCR 100, SLA 100).
    assert_eq!(
        &sc.team_median[..6],
        [
            Some(2.0),
            Some(1.5),
            Some(3000.0),
            Some(111600.0),
            Some(50.0),
            Some(50.0)
        ]
    );
    assert_eq!(a1.better[2], Some(false)); // slower first response than the median
    let view = r.agent_view.unwrap();
    assert_eq!(view.id, "a1");
    let frt = view.kpis.iter().find(|k| k.key == "frt").unwrap();
    assert_eq!(
        (frt.value, frt.team_median, frt.better),
        (Some(5400.0), Some(3000.0), Some(false))
    );
    assert_eq!(frt.previous, Some(7200.0)); // P1
}

#[test]
fn series_per_bucket_and_feedback_words() {
    let r = report(&week());
    assert_eq!(r.series.labels.len(), 7);
    assert_eq!(r.series.created, [2, 0, 1, 0, 1, 1, 0]);
    assert_eq!(r.series.satisfied, [1, 0, 0, 0, 0, 0, 0]);
    assert_eq!(r.series.dissatisfied, [0, 1, 0, 0, 0, 0, 0]);
    assert_eq!(r.series.kpis["csat"][0], Some(100.0));
    assert_eq!(r.series.backlog, [1, 0, 0, 0, 1, 2, 2]); // B is open overnight on Monday
    let words = |v: &[(String, u64)]| v.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>();
    assert_eq!(words(&r.feedback.satisfied), ["fast", "friendly", "help"]);
    assert_eq!(
        words(&r.feedback.dissatisfied),
        ["answer", "slow", "unhelpful"]
    );
}

#[test]
fn empty_period_gives_no_made_up_numbers() {
    let r = report(&ReportOptions {
        from: Some("2025-01-01".into()),
        to: Some("2025-01-07".into()),
        ..Default::default()
    });
    assert_eq!(value(&r, "created"), Some(0.0));
    for key in ["frt", "csat", "nps", "resolution_rate", "fcr", "asa", "ces"] {
        assert_eq!(value(&r, key), None, "{key}");
        assert_eq!(row(&r, key).missing, None, "{key} is supported, just empty");
    }
}

/// The Engine's path: one cache across a sequence of option changes (filters, period, bucket,
/// grouping, calendar and time basis, SLA targets, timezone, "now", agent view, words). Every
/// report must equal the reference path, which keeps nothing and measures every ticket with
/// the calendar, and the plain `build`.
#[test]
fn cached_reports_equal_fresh_ones_across_option_changes() {
    use serde_json::json;
    use std::collections::BTreeMap;
    use ticket_kpis::sample::{self, SampleSpec};
    let load_sample = |tickets, seed| {
        let spec = SampleSpec {
            tickets,
            seed,
            weeks: 12,
        };
        ingest::load(
            sample::generate_json(&spec).as_bytes(),
            &IngestOptions {
                now: sample::exported_at(),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let data = load_sample(3_000, 11);
    let filters = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    let sla = json!({"first_reply": "1h", "next_reply": "4h", "resolution": "2d",
                     "business_hours": true,
                     "by_priority": {"urgent": {"first_reply": "15m", "resolution": "8h"}}});
    let holidays = json!({"preset": "mon-fri", "hours": {"sat": ["10:00-14:00"]},
                          "holidays": ["2026-01-01", {"date": "2026-02-13", "hours": ["09:00-12:00"]}]});
    let steps: Vec<ReportOptions> = vec![
        ReportOptions::default(),
        ReportOptions {
            filters: filters(&[("channel", &["email", "chat"])]),
            ..Default::default()
        },
        ReportOptions {
            from: Some("2026-01-05".into()),
            to: Some("2026-02-01".into()),
            bucket: Some("week".into()),
            filters: filters(&[("channel", &["email", "chat"])]),
            ..Default::default()
        },
        ReportOptions {
            from: Some("2026-01-05".into()),
            to: Some("2026-02-01".into()),
            bucket: Some("day".into()),
            group_by: Some("agent".into()),
            filters: filters(&[
                ("tag", &["billing", "(none)"]),
                ("priority", &["urgent", "high"]),
            ]),
            ..Default::default()
        },
        ReportOptions {
            calendar: Some(json!("mon-fri")),
            time_basis: Some("business".into()),
            group_by: Some("tag".into()),
            ..Default::default()
        },
        ReportOptions {
            calendar: Some(json!("mon-fri")),
            time_basis: Some("business".into()),
            sla: Some(sla.clone()),
            ..Default::default()
        },
        ReportOptions {
            calendar: Some(json!("mon-fri")),
            sla: Some(json!({"first_reply": "30m", "next_reply": "2h", "resolution": "1d"})),
            bucket: Some("month".into()),
            ..Default::default()
        },
        // Another report timezone: the calendar's hours move with it.
        ReportOptions {
            timezone: Some("Asia/Tehran".into()),
            calendar: Some(json!("mon-fri")),
            sla: Some(sla.clone()),
            ..Default::default()
        },
        // Another "now": the clocks of open SLA breaches end elsewhere.
        ReportOptions {
            timezone: Some("Asia/Tehran".into()),
            calendar: Some(json!("mon-fri")),
            sla: Some(sla.clone()),
            now: Some((sample::exported_at() + 40 * 86_400) as f64),
            ..Default::default()
        },
        ReportOptions {
            calendar: Some(holidays.clone()),
            time_basis: Some("business".into()),
            sla: Some(sla.clone()),
            trend_periods: Some(3),
            ..Default::default()
        },
        ReportOptions {
            calendar: Some(json!("sat-wed")),
            week_start: Some(5),
            sla: Some(sla),
            filters: filters(&[("tier", &["gold"])]),
            ..Default::default()
        },
        ReportOptions {
            agent_view: data.store.agents.names().first().cloned(),
            words: Some(5),
            abandon_threshold_seconds: Some(30.0),
            ..Default::default()
        },
        ReportOptions::default(),
    ];
    let mut cache = report::ReportCache::new();
    for (i, opts) in steps.iter().enumerate() {
        let cached = report::build_cached(&data, opts, &mut cache).unwrap();
        let fresh = report::build_uncached(&data, opts).unwrap();
        assert!(
            cached == fresh,
            "step {i}: cached report differs from a fresh one"
        );
        assert!(
            report::build(&data, opts).unwrap() == fresh,
            "step {i}: build differs from the reference path"
        );
    }
    // The same cache on another dataset (not cleared, as a careless owner would): its guard
    // sees another store and measures again.
    let other = load_sample(2_000, 12);
    for opts in &steps[..3] {
        assert!(
            report::build_cached(&other, opts, &mut cache).unwrap()
                == report::build_uncached(&other, opts).unwrap()
        );
    }
}

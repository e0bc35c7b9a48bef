//! Exact KPI values on a hand-computed fixture (`tests/fixtures/kpi-small.json`).
//!
//! Hand computation (times in +01:00, Europe/Amsterdam before DST):
//! - FRT: T1 30 min, T2 5 min, T3 9 h (overnight), T4 1 h (from messages: the internal note at
//!   12:10 does not count), T6 1 min; T5 has no reply. Sorted 60, 300, 1800, 3600, 32400 s:
//!   median 1800, p90 = 3600 + 0.6 × (32400 − 3600) = 20880, mean 38160 / 5 = 7632.
//! - Resolution: T1 2 h, T2 20 min, T4 24 h, T6 1 h (closed_at, no solved_at). Sorted 1200,
//!   3600, 7200, 86400 s: median 5400, p90 = 7200 + 0.7 × 79200 = 62640, mean 24600.
//! - Resolution rate 4 solved / 6 created. CSAT: 5/5 and "good" satisfied, 2/5 not: 2 / 3.
//! - Backlog at the end of 03-02..03-05: 0, 1 (T3), 2 (T3, T4), 2 (T3, T5).

use ticket_kpis::ingest::{self, Dataset, IngestOptions};
use ticket_kpis::report::{self, Report, ReportOptions, Unit};
use ticket_kpis::stats::Ratio;

fn load() -> Dataset {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kpi-small.json"
    ))
    .unwrap();
    ingest::load(
        &bytes,
        &IngestOptions {
            now: 1_800_000_000,
            fallback_timezone: None,
            ..Default::default()
        },
    )
    .unwrap()
}

fn tile<'r>(r: &'r Report, key: &str) -> &'r report::Tile {
    r.tiles.iter().find(|t| t.key == key).unwrap()
}

#[test]
fn import_is_clean() {
    let d = load();
    assert_eq!(d.import.records, 6);
    assert_eq!(d.import.tickets, 6);
    assert_eq!(d.import.skipped, 0);
    assert!(d.import.warnings.is_empty(), "{:?}", d.import.warnings);
    assert_eq!(d.import.timezone, "Europe/Amsterdam");
    assert_eq!(d.import.fields["satisfaction"], 3);
}

#[test]
fn headline_tiles() {
    let r = report::build(&load(), &ReportOptions::default()).unwrap();
    assert_eq!(
        (r.period.from.as_str(), r.period.to.as_str()),
        ("2026-03-02", "2026-03-05")
    );
    assert_eq!(tile(&r, "created").value, Some(6.0));

    let frt = tile(&r, "frt");
    assert_eq!(frt.unit, Unit::Seconds);
    let s = frt.summary.unwrap();
    assert_eq!(
        (s.count, s.median, s.p90, s.mean),
        (5, 1800.0, 20880.0, 7632.0)
    );
    assert_eq!(frt.note.as_deref(), Some("1 awaiting first reply"));

    let s = tile(&r, "resolution_time").summary.unwrap();
    assert_eq!(
        (s.count, s.median, s.p90, s.mean),
        (4, 5400.0, 62640.0, 24600.0)
    );

    let rate = tile(&r, "resolution_rate");
    assert_eq!(
        rate.ratio,
        Some(Ratio {
            numerator: 4,
            denominator: 6
        })
    );
    assert!((rate.value.unwrap() - 66.666_666).abs() < 1e-4);

    let csat = tile(&r, "csat");
    assert_eq!(
        csat.ratio,
        Some(Ratio {
            numerator: 2,
            denominator: 3
        })
    );
    assert_eq!(tile(&r, "backlog").value, Some(2.0));
    assert!(r.tiles.iter().all(|t| t.missing.is_none()));
}

#[test]
fn daily_series_and_backlog() {
    let r = report::build(&load(), &ReportOptions::default()).unwrap();
    assert_eq!(
        r.series.labels,
        ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
    );
    assert_eq!(r.series.created, [2, 1, 1, 2]);
    assert_eq!(r.series.solved, [2, 0, 0, 2]);
    assert_eq!(r.series.backlog, [0, 1, 2, 2]);
    assert_eq!(r.series.net_flow, [0, 1, 1, 0]);
}

#[test]
fn channels_and_frt_distribution() {
    let r = report::build(&load(), &ReportOptions::default()).unwrap();
    let ch: Vec<(&str, u64)> = r
        .channels
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    // Channel names are case-folded: "Chat" and "chat" are one channel.
    assert_eq!(ch, [("email", 3), ("chat", 2), ("phone", 1)]);
    let dist: Vec<u64> = r.frt_distribution.iter().map(|b| b.count).collect();
    assert_eq!(dist, [3, 1, 0, 1, 0]);
}

#[test]
fn per_agent_table() {
    let r = report::build(&load(), &ReportOptions::default()).unwrap();
    let a1 = &r.agents[0];
    assert_eq!((a1.id.as_str(), a1.name.as_str()), ("a1", "Ayşe Yılmaz"));
    assert_eq!((a1.tickets, a1.solved), (3, 2));
    assert_eq!(a1.frt_median, Some(1800.0));
    assert_eq!(a1.resolution_median, Some(5400.0));
    assert_eq!(a1.csat, Some(100.0));
    let a2 = &r.agents[1];
    assert_eq!(
        (a2.name.as_str(), a2.tickets, a2.solved),
        ("Daan de Vries", 2, 2)
    );
    assert_eq!(a2.frt_median, Some(1950.0));
    assert_eq!(a2.resolution_median, Some(43800.0));
    assert_eq!(
        a2.csat_ratio,
        Ratio {
            numerator: 1,
            denominator: 2
        }
    );
    let unassigned = &r.agents[2];
    assert_eq!((unassigned.id.as_str(), unassigned.tickets), ("", 1));
}

#[test]
fn buckets_follow_the_report_timezone() {
    // In Tehran (+03:30) T3 (23:30 Amsterdam on 03-03) falls on 03-04.
    let opts = ReportOptions {
        timezone: Some("Asia/Tehran".into()),
        ..Default::default()
    };
    let r = report::build(&load(), &opts).unwrap();
    assert_eq!(r.series.created, [2, 0, 2, 2]);
}

#[test]
fn weekly_buckets_with_locale_week_start() {
    let monday = ReportOptions {
        bucket: Some("week".into()),
        ..Default::default()
    };
    let r = report::build(&load(), &monday).unwrap();
    assert_eq!(r.series.labels, ["2026-03-02"]);
    assert_eq!(r.series.created, [6]);
    let sunday = ReportOptions {
        week_start: Some(6),
        ..monday
    };
    let r = report::build(&load(), &sunday).unwrap();
    assert_eq!(r.series.labels, ["2026-03-01"]);
}

#[test]
fn period_and_filters() {
    let opts = ReportOptions {
        from: Some("2026-03-04".into()),
        to: Some("2026-03-05".into()),
        bucket: Some("day".into()),
        channels: vec!["email".into(), "phone".into()],
        ..Default::default()
    };
    let r = report::build(&load(), &opts).unwrap();
    // T4 (phone) and T5 (email) were created in the period; T3 (email) was open at its start.
    assert_eq!(tile(&r, "created").value, Some(2.0));
    assert_eq!(r.series.backlog, [2, 2]);
    let opts = ReportOptions {
        agents: vec!["a2".into()],
        ..Default::default()
    };
    let r = report::build(&load(), &opts).unwrap();
    assert_eq!(tile(&r, "created").value, Some(2.0));
    assert_eq!(
        tile(&r, "csat").ratio,
        Some(Ratio {
            numerator: 1,
            denominator: 2
        })
    );
}

#[test]
fn missing_fields_are_named_not_zeroed() {
    let bytes = br#"[{"id": 1, "created_at": "2026-03-02T09:00:00Z"}]"#;
    let d = ingest::load(
        bytes,
        &IngestOptions {
            now: 1_800_000_000,
            ..Default::default()
        },
    )
    .unwrap();
    let r = report::build(&d, &ReportOptions::default()).unwrap();
    let frt = tile(&r, "frt");
    assert_eq!(frt.value, None);
    assert!(frt.missing.as_deref().unwrap().contains("first_reply_at"));
    assert!(tile(&r, "csat")
        .missing
        .as_deref()
        .unwrap()
        .contains("satisfaction"));
    assert_eq!(tile(&r, "csat").value, None);
    let views: Vec<&str> = r.missing.iter().map(|m| m.view).collect();
    assert_eq!(
        views,
        ["channels", "agents", "frt_distribution", "feedback"]
    );
}

#[test]
fn bad_options_are_specific() {
    let d = load();
    let err = |o: ReportOptions| report::build(&d, &o).unwrap_err().to_string();
    assert_eq!(
        err(ReportOptions {
            timezone: Some("Mars/Olympus".into()),
            ..Default::default()
        }),
        "unknown timezone \"Mars/Olympus\": expected an IANA name such as \"Europe/Amsterdam\""
    );
    assert_eq!(
        err(ReportOptions {
            from: Some("03/01/2026".into()),
            ..Default::default()
        }),
        "\"from\" should be a date like 2026-03-01; found \"03/01/2026\""
    );
    assert_eq!(
        err(ReportOptions {
            from: Some("2026-03-05".into()),
            to: Some("2026-03-01".into()),
            ..Default::default()
        }),
        "the period ends (2026-03-01) before it starts (2026-03-05)"
    );
}

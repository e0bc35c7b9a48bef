//! One row per ticket (`report::ticket_rows`, the page's per-ticket CSV) on the hand-computed
//! fixture `tests/fixtures/catalogue.json` (see tests/catalogue.rs).
//!
//! Report period Mon 2026-03-02 … Sun 03-08, UTC, Mon–Fri 09:00–17:00 calendar, SLA first reply
//! 2 h and resolution 1 d on calendar time, now = the export time 2026-03-09T00:00Z. Rows: the
//! five tickets created in the period (A, B, C, D, E) and P3, created before it and solved in
//! it; P1 and P2 lie wholly in the previous period. Oldest first.

use ticket_kpis::ingest::{self, Dataset, IngestOptions};
use ticket_kpis::report::{self, ReportOptions, TicketRow};

fn load() -> Dataset {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/catalogue.json");
    ingest::load(
        &std::fs::read(path).unwrap(),
        &IngestOptions {
            now: 1_800_000_000,
            ..Default::default()
        },
    )
    .unwrap()
}

fn week() -> ReportOptions {
    ReportOptions {
        from: Some("2026-03-02".into()),
        to: Some("2026-03-08".into()),
        ..Default::default()
    }
}

fn rows(opts: &ReportOptions) -> Vec<TicketRow> {
    report::ticket_rows(&load(), opts).unwrap()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn one_row_per_ticket_of_the_period() {
    let r = rows(&week());
    let ids: Vec<&str> = r.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["P3", "A", "B", "E", "C", "D"]);

    // P3: created Thu 02-26 12:00, first reply 13:00, solved Mon 03-02 12:00.
    // Resolution 4 d = 345600 s; business Thu 12–17 (5 h) + Fri 8 h + Mon 09–12 (3 h) = 16 h.
    // SLA: reply 1 h ≤ 2 h met; resolution 4 d > 1 d breached. No messages: FCR unknown.
    assert_eq!(
        r[0],
        TicketRow {
            id: "P3".into(),
            created: "2026-02-26T12:00:00+00:00".into(),
            resolved: s("2026-03-02T12:00:00+00:00"),
            channel: s("email"),
            priority: None,
            agent: s("Daan de Vries"),
            agent_id: s("a2"),
            team: s("T2"),
            status: "solved",
            frt_seconds: Some(3600),
            frt_business_seconds: Some(3600),
            resolution_seconds: Some(345_600),
            resolution_business_seconds: Some(57_600),
            first_reply_sla_met: Some(true),
            resolution_sla_met: Some(false),
            first_contact_resolution: None,
            csat_score: None,
            csat_scale: None,
            csat_satisfied: None,
        }
    );

    // A: Mon 09:00, first agent message 10:00 (1 h, in hours), solved 14:00 (5 h); the customer
    // wrote again at 11:00, so not first-contact resolved. Rated 5 of 5.
    assert_eq!(
        r[1],
        TicketRow {
            id: "A".into(),
            created: "2026-03-02T09:00:00+00:00".into(),
            resolved: s("2026-03-02T14:00:00+00:00"),
            channel: s("email"),
            priority: s("urgent"),
            agent: s("Ayşe Yılmaz"),
            agent_id: s("a1"),
            team: s("T1"),
            status: "solved",
            frt_seconds: Some(3600),
            frt_business_seconds: Some(3600),
            resolution_seconds: Some(18_000),
            resolution_business_seconds: Some(18_000),
            first_reply_sla_met: Some(true),
            resolution_sla_met: Some(true),
            first_contact_resolution: Some(false),
            csat_score: Some(5.0),
            csat_scale: Some(5.0),
            csat_satisfied: Some(true),
        }
    );

    // B: Mon 16:00, reply 16:10 (600 s), solved Tue 10:00: 18 h calendar, business Mon 16–17 +
    // Tue 09–10 = 7200 s, within 1 d. First-contact resolved. Rated 2 of 5: dissatisfied.
    assert_eq!(
        r[2],
        TicketRow {
            id: "B".into(),
            created: "2026-03-02T16:00:00+00:00".into(),
            resolved: s("2026-03-03T10:00:00+00:00"),
            channel: s("chat"),
            priority: s("normal"),
            agent: s("Daan de Vries"),
            agent_id: s("a2"),
            team: s("T2"),
            status: "solved",
            frt_seconds: Some(600),
            frt_business_seconds: Some(600),
            resolution_seconds: Some(64_800),
            resolution_business_seconds: Some(7200),
            first_reply_sla_met: Some(true),
            resolution_sla_met: Some(true),
            first_contact_resolution: Some(true),
            csat_score: Some(2.0),
            csat_scale: Some(5.0),
            csat_satisfied: Some(false),
        }
    );

    // E: Wed 09:00, closed 09:30 without a reply: resolution 1800 s (met), first reply breached
    // (unanswered far past 2 h as of 03-09). No assignee.
    assert_eq!(
        r[3],
        TicketRow {
            id: "E".into(),
            created: "2026-03-04T09:00:00+00:00".into(),
            resolved: s("2026-03-04T09:30:00+00:00"),
            channel: s("web"),
            priority: s("low"),
            agent: None,
            agent_id: None,
            team: None,
            status: "closed",
            frt_seconds: None,
            frt_business_seconds: None,
            resolution_seconds: Some(1800),
            resolution_business_seconds: Some(1800),
            first_reply_sla_met: Some(false),
            resolution_sla_met: Some(true),
            first_contact_resolution: None,
            csat_score: None,
            csat_scale: None,
            csat_satisfied: None,
        }
    );

    // C: Fri 18:00, new and unanswered: both SLAs breached as of 03-09 00:00 (54 h open).
    let c = &r[4];
    assert_eq!(
        (
            c.status,
            c.frt_seconds,
            c.resolution_seconds,
            c.first_reply_sla_met,
            c.resolution_sla_met,
            c.agent.as_deref(),
        ),
        (
            "new",
            None,
            None,
            Some(false),
            Some(false),
            Some("Ayşe Yılmaz")
        )
    );
    // D: Sat 10:00, first reply Sat 12:00: 7200 s calendar (exactly the target: met), 0 s of
    // business time (weekend). Pending 38 h at 03-09: resolution breached. Offered a survey,
    // never rated.
    let d = &r[5];
    assert_eq!(
        (
            d.status,
            d.frt_seconds,
            d.frt_business_seconds,
            d.first_reply_sla_met,
            d.resolution_sla_met,
            d.csat_score,
            d.csat_satisfied,
        ),
        (
            "pending",
            Some(7200),
            Some(0),
            Some(true),
            Some(false),
            None,
            None
        )
    );
}

#[test]
fn rows_agree_with_the_report() {
    let opts = week();
    let r = rows(&opts);
    let rep = report::build(&load(), &opts).unwrap();
    let ratio = |key: &str| {
        let q = rep
            .kpis
            .iter()
            .find(|k| k.def.key == key)
            .unwrap()
            .now
            .ratio
            .unwrap();
        (q.numerator, q.denominator)
    };
    let count = |f: &dyn Fn(&TicketRow) -> Option<bool>| {
        let known: Vec<bool> = r.iter().filter_map(f).collect();
        (
            known.iter().filter(|&&m| m).count() as u64,
            known.len() as u64,
        )
    };
    assert_eq!(count(&|t| t.first_reply_sla_met), (4, 6)); // P3 counts in its own period
    assert_eq!(ratio("sla_first_reply"), (3, 5)); // tickets created in the period only
    assert_eq!(count(&|t| t.resolution_sla_met), ratio("sla_resolution"));
    assert_eq!(count(&|t| t.csat_satisfied), ratio("csat"));
    // Resolution times of the tickets solved in the period: the report's median of the same.
    let mut res: Vec<i64> = r.iter().filter_map(|t| t.resolution_seconds).collect();
    res.sort();
    assert_eq!(res, [1800, 18_000, 64_800, 345_600]);
}

#[test]
fn filters_timezone_and_basis_apply() {
    let mut opts = week();
    opts.filters.insert("agent".into(), vec!["a1".into()]);
    opts.timezone = Some("Europe/Istanbul".into());
    let r = rows(&opts);
    let ids: Vec<&str> = r.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["A", "C", "D"]);
    assert_eq!(r[0].created, "2026-03-02T12:00:00+03:00");

    // SLA on business time: D's reply took no working time.
    let mut opts = week();
    opts.sla = Some(serde_json::json!({"first_reply": "30 min", "business_hours": true}));
    let r = rows(&opts);
    let d = r.iter().find(|t| t.id == "D").unwrap();
    assert_eq!(d.first_reply_sla_met, Some(true));
    let a = r.iter().find(|t| t.id == "A").unwrap();
    assert_eq!(a.first_reply_sla_met, Some(false)); // 1 h of working time > 30 min
}

#[test]
fn bad_options_are_errors() {
    let opts = ReportOptions {
        from: Some("next week".into()),
        ..Default::default()
    };
    let e = report::ticket_rows(&load(), &opts).unwrap_err();
    assert_eq!(
        e.to_string(),
        "\"from\" should be a date like 2026-03-01; found \"next week\""
    );
}

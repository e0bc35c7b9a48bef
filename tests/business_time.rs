//! Business-time KPIs end to end (ingest → calendar → report), on edge cases computed by hand:
//! overnight, weekend, holiday, the Amsterdam DST change, and zones without DST (Tehran on a
//! Saturday–Wednesday week, Istanbul).

use ticket_kpis::ingest::{self, IngestOptions};
use ticket_kpis::report::{self, ReportOptions};

/// (calendar, business) first response time of a one-ticket export.
fn frt(tz: &str, calendar: &str, created: &str, reply: &str) -> (f64, f64) {
    let json = format!(
        r#"{{"dataset": {{"timezone": "{tz}", "calendar": {calendar}}},
             "tickets": [{{"id": 1, "created_at": "{created}", "first_reply_at": "{reply}"}}]}}"#
    );
    let data = ingest::load(
        json.as_bytes(),
        &IngestOptions {
            now: 1_900_000_000,
            ..Default::default()
        },
    )
    .unwrap();
    let r = report::build(&data, &ReportOptions::default()).unwrap();
    let row = r.kpis.iter().find(|k| k.def.key == "frt").unwrap();
    (
        row.now.summary.unwrap().median,
        row.now.business.unwrap().median,
    )
}

const MON_FRI: &str = r#"{"preset": "mon-fri", "holidays": ["2026-04-27"]}"#;

#[test]
fn overnight() {
    // Thu 16:30 → Fri 09:30 in Amsterdam: 30 min + 30 min of working time.
    let (cal, biz) = frt(
        "Europe/Amsterdam",
        MON_FRI,
        "2026-03-05T16:30:00+01:00",
        "2026-03-06T09:30:00+01:00",
    );
    assert_eq!((cal, biz), (17.0 * 3600.0, 3600.0));
}

#[test]
fn weekend() {
    // Fri 16:00 → Mon 10:00: Fri 16–17 + Mon 9–10.
    let (_, biz) = frt(
        "Europe/Amsterdam",
        MON_FRI,
        "2026-03-06T16:00:00+01:00",
        "2026-03-09T10:00:00+01:00",
    );
    assert_eq!(biz, 7200.0);
    // Entirely outside hours (a Saturday): no business time at all.
    let (cal, biz) = frt(
        "Europe/Amsterdam",
        MON_FRI,
        "2026-03-07T12:00:00+01:00",
        "2026-03-07T14:00:00+01:00",
    );
    assert_eq!((cal, biz), (7200.0, 0.0));
}

#[test]
fn holiday() {
    // Fri 04-24 16:00 → Tue 04-28 09:30 over King's Day (Mon 04-27, a holiday): 1 h + 30 min.
    let (_, biz) = frt(
        "Europe/Amsterdam",
        MON_FRI,
        "2026-04-24T16:00:00+02:00",
        "2026-04-28T09:30:00+02:00",
    );
    assert_eq!(biz, 5400.0);
}

#[test]
fn amsterdam_dst_change() {
    // Fri 03-27 16:00 CET → Mon 03-30 10:00 CEST: the clocks jumped on Sunday, so the wall-clock
    // span is 66 h but only 65 h passed; business time is Fri 16–17 + Mon 9–10.
    let (cal, biz) = frt(
        "Europe/Amsterdam",
        MON_FRI,
        "2026-03-27T16:00:00+01:00",
        "2026-03-30T10:00:00+02:00",
    );
    assert_eq!((cal, biz), (65.0 * 3600.0, 7200.0));
    // A working day that contains the jump: 24/7 calendar, Sun 03-29 00:00 → Mon 00:00 is 23 h.
    let (cal, biz) = frt(
        "Europe/Amsterdam",
        "\"24/7\"",
        "2026-03-29T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
    );
    assert_eq!((cal, biz), (23.0 * 3600.0, 23.0 * 3600.0));
}

#[test]
fn istanbul_has_no_dst() {
    // The same Fri 16:00 → Mon 10:00 in Istanbul (+03:00 all year) is a full 66 h.
    let (cal, biz) = frt(
        "Europe/Istanbul",
        MON_FRI,
        "2026-03-27T16:00:00+03:00",
        "2026-03-30T10:00:00+03:00",
    );
    assert_eq!((cal, biz), (66.0 * 3600.0, 7200.0));
}

#[test]
fn tehran_saturday_to_wednesday_week() {
    // Wed 15:00 → Sat 09:00 on the Iranian week (Sat–Wed 08–16, Thu 08–13, Fri off):
    // Wed 1 h + Thu 5 h + Sat 1 h.
    let (_, biz) = frt(
        "Asia/Tehran",
        "\"sat-wed\"",
        "2026-03-04T15:00:00+03:30",
        "2026-03-07T09:00:00+03:30",
    );
    assert_eq!(biz, 7.0 * 3600.0);
}

#[test]
fn naive_times_and_business_hours_share_the_dataset_zone() {
    // Naive timestamps are read in the dataset zone: 16:30 → next day 09:30 local.
    let (cal, biz) = frt(
        "Asia/Tehran",
        "\"sat-wed\"",
        "2026-03-07 15:30",
        "2026-03-08 08:30",
    );
    assert_eq!((cal, biz), (17.0 * 3600.0, 3600.0));
}

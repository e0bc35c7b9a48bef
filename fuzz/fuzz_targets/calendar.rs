//! Working calendars: `Calendar::from_json` on fuzzed JSON, then `business_seconds` on fuzzed
//! spans. Business time is never negative and never more than the span, is additive at any
//! cut, and the prepared fast path gives exactly what the slow path gives.
//!
//! Input: 24 bytes of numbers (span start, span length, prepared range), then the JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ticket_kpis::calendar::Calendar;
use ticket_kpis::time::{self, EARLIEST, LATEST};

const DAY: i64 = 86_400;

fuzz_target!(|data: &[u8]| {
    if data.len() < 24 {
        return;
    }
    let (head, json) = data.split_at(24);
    let num = |i: usize| i64::from_le_bytes(head[i * 8..i * 8 + 8].try_into().unwrap());
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return;
    };
    let default_tz = time::parse_tz("Europe/Amsterdam").unwrap();
    let Ok(slow) = Calendar::from_json(&value, default_tz) else {
        return;
    };

    // Spans of up to 60 days anywhere in the engine's range (longer spans only take longer);
    // the top bit of the length flips the order to test reversed spans.
    let a = EARLIEST + num(0).rem_euclid(LATEST - EARLIEST + 1);
    let len = (num(1) & 0x7fff_ffff_ffff_ffff).rem_euclid(60 * DAY + 1);
    let b = if num(1) < 0 { a - len } else { a + len };
    let cut = a.min(b) + num(2).rem_euclid(len + 1);

    let biz = slow.business_seconds(a, b);
    assert!(biz >= 0, "negative business time {biz} for {a}..{b}");
    let span = (b.clamp(EARLIEST, LATEST) - a.clamp(EARLIEST, LATEST)).max(0);
    assert!(
        biz <= span,
        "business time {biz} exceeds the span {span} for {a}..{b}"
    );
    if b >= a {
        let parts = slow.business_seconds(a, cut) + slow.business_seconds(cut, b);
        assert_eq!(parts, biz, "not additive at {cut} for {a}..{b}");
    }

    // A prepared table around the span (it may cover it, part of it, or miss it).
    let local_day = time::utc_to_local(a, slow.timezone()).div_euclid(DAY);
    let first = local_day + (num(2) >> 32).rem_euclid(200) - 100;
    let end = first + (num(2) & 0xffff).rem_euclid(300);
    let fast = slow.clone().with_prepared(first, end);
    assert_eq!(
        fast.business_seconds(a, b),
        biz,
        "fast and slow paths disagree"
    );
    let (d0, d1) = (local_day - 3, local_day + (len / DAY) + 3);
    assert_eq!(fast.working_seconds(d0, d1), slow.working_seconds(d0, d1));
    assert_eq!(fast.working_days(d0, d1), slow.working_days(d0, d1));
});

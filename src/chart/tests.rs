//! Tests of the charts: each renders to SVG and reads the elements back.

use super::*;
use crate::period::Bucket;
use crate::report::{PeriodInfo, Series, FRT_LABELS};

// ---- building reports by hand ----

pub(super) fn report() -> Report {
    Report {
        period: PeriodInfo {
            from: "2026-03-02".into(),
            to: "2026-03-02".into(),
            days: 1,
            timezone: "UTC".into(),
            bucket: Bucket::Day,
            week_start: 0,
        },
        tickets_in_dataset: 0,
        tiles: Vec::new(),
        series: Series::default(),
        frt_distribution: FRT_LABELS.iter().map(|l| share(l, 0, 0.0)).collect(),
        ..Report::default()
    }
}

pub(super) fn share(name: &str, count: u64, percent: f64) -> Share {
    Share {
        name: name.into(),
        count,
        percent,
    }
}

/// `n` daily labels from 2026-03-01.
pub(super) fn days(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let d =
                chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() + chrono::Days::new(i as u64);
            d.format("%Y-%m-%d").to_string()
        })
        .collect()
}

pub(super) fn with_series(created: &[u64], solved: &[u64], backlog: &[u64]) -> Report {
    let mut r = report();
    let n = created.len().max(solved.len()).max(backlog.len());
    r.series.labels = days(n);
    r.series.created = created.to_vec();
    r.series.solved = solved.to_vec();
    r.series.backlog = backlog.to_vec();
    r
}

pub(super) fn svg(kind: ChartKind, r: &Report) -> String {
    to_svg(kind, r, &Theme::default(), 800, 400)
}

// ---- reading the SVG back ----

/// One SVG element: its tag, attributes and (for `<text>`) content.
#[derive(Debug)]
pub(super) struct El {
    pub(super) tag: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) text: String,
}

impl El {
    pub(super) fn get(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }
    pub(super) fn num(&self, k: &str) -> f64 {
        self.get(k).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
    }
}

/// Parses the flat element list plotters' SVG backend writes (one element per line).
pub(super) fn elements(svg: &str) -> Vec<El> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with('/') {
            continue;
        }
        let end = rest.find('>').unwrap();
        let head = rest[..end].trim_end_matches('/');
        let (tag, mut attrs_src) = head.split_once(' ').unwrap_or((head, ""));
        let mut attrs = Vec::new();
        while let Some(eq) = attrs_src.find("=\"") {
            let key = attrs_src[..eq].trim().to_string();
            let after = &attrs_src[eq + 2..];
            let close = after.find('"').unwrap();
            attrs.push((key, after[..close].to_string()));
            attrs_src = &after[close + 1..];
        }
        let mut text = String::new();
        if tag == "text" {
            let body = &rest[end + 1..];
            text = body[..body.find("</text>").unwrap()].trim().to_string();
        }
        out.push(El {
            tag: tag.to_string(),
            attrs,
            text,
        });
        rest = &rest[end + 1..];
    }
    out
}

pub(super) fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Filled rectangles of colour `c`.
pub(super) fn rects(svg: &str, c: RGBColor) -> Vec<El> {
    elements(svg)
        .into_iter()
        .filter(|e| e.tag == "rect" && e.get("fill") == Some(hex(c).as_str()))
        .collect()
}

/// Filled circles of colour `c`.
pub(super) fn dots(svg: &str, c: RGBColor) -> usize {
    elements(svg)
        .iter()
        .filter(|e| e.tag == "circle" && e.get("fill") == Some(hex(c).as_str()))
        .count()
}

pub(super) fn texts(svg: &str) -> Vec<El> {
    elements(svg)
        .into_iter()
        .filter(|e| e.tag == "text")
        .collect()
}

pub(super) fn text_of<'a>(els: &'a [El], s: &str) -> Option<&'a El> {
    els.iter().find(|e| e.text == s)
}

/// Points of every polyline stroked in colour `c`.
pub(super) fn polylines(svg: &str, c: RGBColor) -> Vec<Vec<(f64, f64)>> {
    elements(svg)
        .iter()
        .filter(|e| e.tag == "polyline" && e.get("stroke") == Some(hex(c).as_str()))
        .map(|e| {
            e.get("points")
                .unwrap_or("")
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// Filled circles of colour `c`.
pub(super) fn circles(svg: &str, c: RGBColor) -> Vec<El> {
    elements(svg)
        .into_iter()
        .filter(|e| e.tag == "circle" && e.get("fill") == Some(hex(c).as_str()))
        .collect()
}

/// Distinct font sizes of the texts, smallest first.
pub(super) fn font_sizes(svg: &str) -> Vec<f64> {
    let mut v: Vec<f64> = texts(svg).iter().map(|e| e.num("font-size")).collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// A catalogue KPI row with `trend`, an optional target and benchmarks, as the report holds it.
pub(super) fn kpi_row(
    key: &str,
    trend: &[Option<f64>],
    target: Option<f64>,
    benchmarks: &[(&str, f64)],
) -> crate::report::KpiRow {
    crate::report::KpiRow {
        def: *crate::kpi::catalogue::find(key).unwrap(),
        now: Default::default(),
        missing: None,
        previous: None,
        change: None,
        change_percent: None,
        trend: trend.to_vec(),
        target: target.map(|t| crate::report::TargetStatus {
            target: t,
            met: false,
            progress: 0.0,
            previously_met: None,
        }),
        benchmarks: benchmarks
            .iter()
            .map(|&(label, value)| crate::report::Benchmark {
                label: label.into(),
                value,
            })
            .collect(),
        note: None,
    }
}

/// A report holding `values` per daily bucket for KPI `key` (also its trend), with an optional
/// target and benchmarks.
pub(super) fn with_kpi(
    key: &'static str,
    values: &[Option<f64>],
    target: Option<f64>,
    benchmarks: &[(&str, f64)],
) -> Report {
    let mut r = report();
    r.series.labels = days(values.len());
    r.series.kpis.insert(key, values.to_vec());
    r.kpis.push(kpi_row(key, values, target, benchmarks));
    r
}

/// A week of hours: `f(day, hour)` tickets in each cell.
pub(super) fn heat(f: impl Fn(usize, usize) -> u64) -> Vec<Vec<u64>> {
    (0..7).map(|d| (0..24).map(|h| f(d, h)).collect()).collect()
}

// ---- pure helpers ----

#[test]
fn nice_ticks_are_whole_round_and_cover_the_max() {
    assert_eq!(nice_ticks(0.0), (1.0, vec![0.0, 1.0]));
    assert_eq!(nice_ticks(1.0), (1.0, vec![0.0, 1.0]));
    assert_eq!(nice_ticks(f64::NAN), (1.0, vec![0.0, 1.0]));
    assert_eq!(nice_ticks(7.0), (8.0, vec![0.0, 2.0, 4.0, 6.0, 8.0]));
    let (top, ticks) = nice_ticks(1234.0);
    assert_eq!(ticks, [0.0, 500.0, 1000.0, 1500.0]);
    assert_eq!(top, 1500.0);
    for max in [3.0, 99.0, 101.0, 5e5, u64::MAX as f64] {
        let (top, ticks) = nice_ticks(max);
        assert!(top >= max && ticks.len() <= 7, "{max}: {top} {ticks:?}");
        assert!(ticks.iter().all(|t| t.fract() == 0.0));
    }
}

#[test]
fn compact_numbers_stay_short() {
    let cases = [
        (0.0, "0"),
        (950.0, "950"),
        (9_999.0, "9999"),
        (10_000.0, "10k"),
        (12_500.0, "12.5k"),
        (125_000.0, "125k"),
        (3_400_000.0, "3.4M"),
        (2e9, "2B"),
        (1.8e19, "1.8e19"),
    ];
    for (v, want) in cases {
        assert_eq!(compact(v), want);
    }
    assert_eq!(compact(f64::INFINITY), "");
}

#[test]
fn percent_labels() {
    assert_eq!(percent_label(0.0), "0%");
    assert_eq!(percent_label(0.4), "<1%");
    assert_eq!(percent_label(4.5), "4.5%");
    assert_eq!(percent_label(5.0), "5%");
    assert_eq!(percent_label(42.4), "42%");
    assert_eq!(percent_label(f64::NAN), "0%");
}

#[test]
fn truncation_counts_characters_not_bytes() {
    assert_eq!(truncate_label("E-posta", 18), "E-posta");
    // 18 characters exactly: untouched.
    assert_eq!(
        truncate_label("Müşteri Hizmetleri", 18),
        "Müşteri Hizmetleri"
    );
    // Over: 17 characters and an ellipsis, the space before it trimmed.
    let long = "Müşteri Hizmetleri Çağrı Merkezi";
    assert_eq!(truncate_label(long, 18), "Müşteri Hizmetler…");
    assert_eq!(
        truncate_label("Klantenservice via WhatsApp", 18),
        "Klantenservice vi…"
    );
    let persian = "پشتیبانی تلفنی مشتریان ویژه";
    let cut = truncate_label(persian, 18);
    assert_eq!(cut.chars().count(), 18);
    assert!(cut.ends_with('…') && persian.starts_with(cut.trim_end_matches('…')));
}

#[test]
fn label_step_keeps_labels_apart() {
    assert_eq!(label_step(0, 80, 800), 1);
    assert_eq!(label_step(7, 80, 800), 1);
    assert_eq!(label_step(60, 80, 800), 6);
    assert_eq!(label_step(60, 80, 0), 60);
    assert_eq!(label_step(3, 0, 800), 1);
}

#[test]
fn channel_rows_sort_and_merge_the_tail() {
    let ch = vec![
        share("email", 2, 20.0),
        share("chat", 5, 50.0),
        share("none", 0, 0.0),
        share("phone", 3, 30.0),
    ];
    let rows = channel_rows(&ch, 10, "Other");
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["chat", "phone", "email"]);

    let many: Vec<Share> = (0..10)
        .map(|i| share(&format!("c{i}"), 10 - i, 10.0))
        .collect();
    let rows = channel_rows(&many, 4, "Other");
    assert_eq!(rows.len(), 4);
    let other = rows.iter().find(|r| r.name == "Other (7)").unwrap();
    assert_eq!(other.count, (1..=7).sum::<u64>());
    assert_eq!(rows.iter().map(|r| r.count).sum::<u64>(), 55);
    assert_eq!(
        rows[0].name, "Other (7)",
        "the merged row is sorted like the rest"
    );
}

#[test]
fn chart_names_parse_and_print_back() {
    for (name, kind) in [
        ("volume", ChartKind::Volume),
        ("channels", ChartKind::Channels),
        ("frt", ChartKind::FrtDistribution),
        ("backlog", ChartKind::Backlog),
        ("heatmap", ChartKind::Heatmap),
        ("satisfaction", ChartKind::Satisfaction),
        ("kpi:frt", ChartKind::KpiTrend("frt")),
        ("kpi:csat", ChartKind::KpiTrend("csat")),
        (
            "kpi-spark:resolution_time",
            ChartKind::Sparkline("resolution_time"),
        ),
    ] {
        assert_eq!(ChartKind::parse(name), Some(kind), "{name}");
        assert_eq!(kind.to_string(), name);
    }
    for kind in ChartKind::ALL {
        assert_eq!(ChartKind::parse(&kind.to_string()), Some(kind));
    }
    // Every catalogue KPI has both charts.
    for def in crate::kpi::catalogue::CATALOGUE.iter() {
        let trend = format!("kpi:{}", def.key);
        assert_eq!(ChartKind::parse(&trend), Some(ChartKind::KpiTrend(def.key)));
        let spark = format!("kpi-spark:{}", def.key);
        assert_eq!(
            ChartKind::parse(&spark),
            Some(ChartKind::Sparkline(def.key))
        );
    }
    for bad in [
        "",
        "pie",
        "Heatmap",
        "heatmap ",
        "kpi:",
        "kpi-spark:",
        "kpi:nope",
        "kpi:FRT",
        "kpi: frt",
        "kpi",
        "spark:frt",
        "kpi-spark:kpi:frt",
    ] {
        assert_eq!(ChartKind::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn labels_from_the_page_replace_only_the_given_texts() {
    let labels: Labels = serde_json::from_str(
        r#"{"satisfied": "Memnun", "dissatisfied": "Memnun değil", "target": "hedef",
            "weekdays": ["Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"], "empty": "Veri yok"}"#,
    )
    .unwrap();
    let mut theme = Theme::default();
    labels.apply(&mut theme).unwrap();
    assert_eq!(theme.satisfied_label, "Memnun");
    assert_eq!(theme.dissatisfied_label, "Memnun değil");
    assert_eq!(theme.target_label, "hedef");
    assert_eq!(theme.empty_text, "Veri yok");
    assert_eq!(theme.weekdays[2], "Çar");
    // Not given: the English defaults stay.
    assert_eq!(theme.created_label, "Created");
    assert_eq!(theme.solved_label, "Solved");
    assert_eq!(theme.other_label, "Other");

    let all: Labels = serde_json::from_str(
        r#"{"created": "Aangemaakt", "solved": "Opgelost", "other": "Overig"}"#,
    )
    .unwrap();
    all.apply(&mut theme).unwrap();
    assert_eq!(
        (theme.created_label.as_str(), theme.solved_label.as_str()),
        ("Aangemaakt", "Opgelost")
    );
    assert_eq!(theme.other_label, "Overig");
    assert_eq!(theme.target_label, "hedef", "earlier texts are kept");

    // Six weekdays: refused, the theme untouched.
    let short: Labels =
        serde_json::from_str(r#"{"target": "doel", "weekdays": ["a","b","c","d","e","f"]}"#)
            .unwrap();
    let before = theme.clone();
    let err = short.apply(&mut theme).unwrap_err();
    assert!(err.contains("7") && err.contains("6"), "{err}");
    assert_eq!(theme.target_label, before.target_label);
    assert_eq!(theme.weekdays, before.weekdays);
    // A misspelt key is an error rather than a silently English label.
    assert!(serde_json::from_str::<Labels>(r#"{"satisified": "x"}"#).is_err());
    assert_eq!(
        serde_json::from_str::<Labels>("{}").unwrap(),
        Labels::default()
    );
}

#[test]
fn english_weekdays_start_at_the_week_start() {
    assert_eq!(
        english_weekdays(0),
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map(String::from)
    );
    assert_eq!(english_weekdays(6)[0], "Sun");
    assert_eq!(english_weekdays(6)[1], "Mon");
    assert_eq!(english_weekdays(5)[6], "Fri");
    assert_eq!(Theme::default().weekdays, english_weekdays(0));
}

// ---- the charts ----

#[test]
fn volume_has_a_bar_per_nonzero_bucket_and_a_solved_marker_per_bucket() {
    let r = with_series(&[3, 0, 5, 2], &[1, 2, 0, 4], &[2, 0, 5, 3]);
    let s = svg(ChartKind::Volume, &r);
    // Three bars plus the legend swatch.
    assert_eq!(rects(&s, BLUE).len(), 3 + 1);
    // Four markers plus the legend's.
    assert_eq!(dots(&s, ORANGE), 4 + 1);
    let lines: Vec<El> = elements(&s)
        .into_iter()
        .filter(|e| e.tag == "polyline" && e.get("stroke") == Some("#E69F00"))
        .collect();
    // The solved line through four buckets, and the legend's short line.
    let mut points: Vec<usize> = lines
        .iter()
        .map(|l| l.get("points").unwrap().split_whitespace().count())
        .collect();
    points.sort();
    assert_eq!(points, [2, 4]);
    let t = texts(&s);
    for label in ["Created", "Solved", "2026-03-01", "2026-03-04"] {
        assert!(text_of(&t, label).is_some(), "{label} missing");
    }
}

#[test]
fn volume_bar_heights_are_proportional_to_counts() {
    let r = with_series(&[2, 4, 8], &[0, 0, 0], &[0, 0, 0]);
    let s = svg(ChartKind::Volume, &r);
    let mut bars = rects(&s, BLUE);
    // Drop the legend swatch: it is the only square one above the plot.
    bars.sort_by(|a, b| a.num("x").total_cmp(&b.num("x")));
    let plot: Vec<&El> = bars
        .iter()
        .filter(|b| b.num("height") != b.num("width"))
        .collect();
    assert_eq!(plot.len(), 3);
    let h: Vec<f64> = plot.iter().map(|b| b.num("height")).collect();
    assert!(
        (h[1] / h[0] - 2.0).abs() < 0.05 && (h[2] / h[1] - 2.0).abs() < 0.05,
        "{h:?}"
    );
    // All bars stand on the same baseline.
    let base: Vec<f64> = plot.iter().map(|b| b.num("y") + b.num("height")).collect();
    assert!(base.iter().all(|&b| (b - base[0]).abs() <= 1.0), "{base:?}");
}

#[test]
fn caption_is_drawn_only_when_set_and_escaped() {
    let r = with_series(&[1, 2], &[1, 1], &[0, 1]);
    for kind in ChartKind::ALL {
        let theme = Theme {
            title: "Tickets & <volume> · Bilet hacmi".into(),
            ..Theme::default()
        };
        let s = to_svg(kind, &r, &theme, 640, 320);
        let t = texts(&s);
        let cap = text_of(&t, "Tickets &amp; &lt;volume&gt; · Bilet hacmi")
            .unwrap_or_else(|| panic!("{kind:?}: no caption"));
        assert_eq!(cap.get("font-weight"), Some("bold"));
        assert_eq!(cap.get("text-anchor"), Some("middle"));
        assert_eq!(cap.num("x"), 320.0);

        let plain = to_svg(kind, &r, &Theme::default(), 640, 320);
        assert!(
            !plain.contains("font-weight"),
            "{kind:?}: caption without title"
        );
    }
}

#[test]
fn empty_report_shows_the_empty_text_for_every_chart() {
    let theme = Theme {
        empty_text: "Bu dönemde veri yok".into(),
        title: "Hacim".into(),
        ..Theme::default()
    };
    for r in [report(), with_series(&[0, 0, 0], &[0, 0, 0], &[0, 0, 0])] {
        for kind in ChartKind::ALL {
            let s = to_svg(kind, &r, &theme, 600, 300);
            let t = texts(&s);
            let e = text_of(&t, "Bu dönemde veri yok")
                .unwrap_or_else(|| panic!("{kind:?}: no empty text"));
            assert_eq!(e.get("text-anchor"), Some("middle"));
            assert_eq!(e.num("x"), 300.0);
            assert!(text_of(&t, "Hacim").is_some());
            // Nothing else: no bars, lines, markers or axis labels.
            assert_eq!(t.len(), 2, "{kind:?}: {t:?}");
            let data = elements(&s)
                .into_iter()
                .filter(|e| matches!(e.tag.as_str(), "polyline" | "polygon" | "circle"))
                .count();
            assert_eq!(data, 0, "{kind:?}");
            assert_eq!(rects(&s, BLUE).len() + rects(&s, GREEN).len(), 0);
        }
    }
}

#[test]
fn channels_are_largest_first_with_percent_at_the_bar_end() {
    let mut r = report();
    r.channels = vec![
        share("email", 2, 20.0),
        share("Sohbet", 5, 50.0),
        share("تلفن", 3, 30.0),
    ];
    let s = svg(ChartKind::Channels, &r);
    let bars = rects(&s, BLUE);
    assert_eq!(bars.len(), 3);
    let t = texts(&s);
    // Names top to bottom in count order; non-Latin names passed through untouched.
    let y = |name: &str| text_of(&t, name).unwrap().num("y");
    assert!(y("Sohbet") < y("تلفن") && y("تلفن") < y("email"));
    // Each percent label starts just right of its bar, on the same row.
    for (name, pct) in [("Sohbet", "50%"), ("تلفن", "30%"), ("email", "20%")] {
        let label = text_of(&t, pct).unwrap();
        let bar = bars
            .iter()
            .find(|b| (b.num("y") + b.num("height") / 2.0 - y(name)).abs() <= 2.0)
            .unwrap();
        let end = bar.num("x") + bar.num("width");
        assert!(
            label.num("x") > end && label.num("x") <= end + 10.0,
            "{pct}"
        );
        assert_eq!(label.get("text-anchor"), Some("start"));
        assert!(
            label.num("x") < 800.0 - 20.0,
            "{pct} must stay inside the chart"
        );
    }
    let w: Vec<f64> = ["Sohbet", "تلفن", "email"]
        .iter()
        .map(|n| {
            bars.iter()
                .find(|b| (b.num("y") + b.num("height") / 2.0 - y(n)).abs() <= 2.0)
                .unwrap()
                .num("width")
        })
        .collect();
    assert!((w[0] / w[2] - 2.5).abs() < 0.05, "{w:?}");
}

#[test]
fn long_channel_names_are_cut_and_many_channels_merged() {
    let mut r = report();
    r.channels = vec![
        share("Müşteri Hizmetleri Çağrı Merkezi", 40, 40.0),
        share("Klantenservice", 30, 30.0),
    ];
    r.channels
        .extend((0..28).map(|i| share(&format!("kanaal {i}"), 1, 1.0)));
    // 200 px tall: room for only a few rows.
    let s = to_svg(ChartKind::Channels, &r, &Theme::default(), 600, 200);
    let t = texts(&s);
    assert!(text_of(&t, "Müşteri Hizmetler…").is_some());
    assert!(!s.contains("Çağrı"), "the cut-off part is not drawn");
    assert!(text_of(&t, "Klantenservice").is_some());
    let bars = rects(&s, BLUE).len();
    assert!((3..10).contains(&bars), "{bars} rows");
    let other = format!("Other ({})", 30 - (bars - 1));
    assert!(text_of(&t, &other).is_some(), "{other} missing");
}

#[test]
fn frt_has_bars_for_nonzero_buckets_and_a_count_on_each() {
    let mut r = report();
    for (s, n) in r.frt_distribution.iter_mut().zip([4, 0, 2, 1, 0]) {
        s.count = n;
    }
    let s = svg(ChartKind::FrtDistribution, &r);
    let bars = rects(&s, GREEN);
    assert_eq!(bars.len(), 3);
    let t = texts(&s);
    for label in ["0–1 h", "1–4 h", "4–8 h", "8–24 h", "&gt; 24 h"] {
        assert!(text_of(&t, label).is_some(), "{label} missing");
    }
    // Count labels sit just above their bars.
    let tallest = bars
        .iter()
        .max_by(|a, b| a.num("height").total_cmp(&b.num("height")))
        .unwrap();
    let four = t
        .iter()
        .find(|e| e.text == "4" && e.get("font-size") == Some(&*format!("{}", 11.0 / 1.24)))
        .unwrap();
    assert!(four.num("y") < tallest.num("y") && four.num("y") > tallest.num("y") - 8.0);
    assert!((four.num("x") - (tallest.num("x") + tallest.num("width") / 2.0)).abs() <= 1.0);
}

#[test]
fn backlog_is_an_area_under_a_line() {
    let r = with_series(&[0; 5], &[0; 5], &[0, 3, 5, 2, 1]);
    let s = svg(ChartKind::Backlog, &r);
    let els = elements(&s);
    let area = els
        .iter()
        .find(|e| e.tag == "polygon" && e.get("fill") == Some("#D55E00"))
        .unwrap();
    assert_eq!(area.get("opacity"), Some("0.18"));
    // Five points plus the two baseline corners.
    assert_eq!(area.get("points").unwrap().split_whitespace().count(), 7);
    assert!(els
        .iter()
        .any(|e| e.tag == "polyline" && e.get("stroke") == Some("#D55E00")));
    assert_eq!(dots(&s, VERMILLION), 5);
}

#[test]
fn sixty_daily_labels_are_thinned_to_every_kth() {
    let r = with_series(&[1; 60], &[1; 60], &[1; 60]);
    for kind in [ChartKind::Volume, ChartKind::Backlog] {
        let s = svg(kind, &r);
        let all = days(60);
        let shown: Vec<(usize, f64)> = texts(&s)
            .iter()
            .filter_map(|e| {
                all.iter()
                    .position(|d| *d == e.text)
                    .map(|i| (i, e.num("x")))
            })
            .collect();
        assert!(
            shown.len() > 2 && shown.len() < 20,
            "{kind:?}: {}",
            shown.len()
        );
        let k = shown[1].0 - shown[0].0;
        assert_eq!(shown[0].0, 0);
        assert!(shown.windows(2).all(|w| w[1].0 - w[0].0 == k));
        // Naive font: a 10-character label is about 0.7 em per byte wide.
        let label_w = 10.0 * 0.7 * 12.0 / 1.24 / 1.24;
        assert!(
            shown.windows(2).all(|w| w[1].1 - w[0].1 > label_w),
            "{kind:?} overlap"
        );
    }
    // A handful of buckets: every label shows.
    let r = with_series(&[1; 5], &[1; 5], &[1; 5]);
    let t = texts(&svg(ChartKind::Volume, &r));
    assert!(days(5).iter().all(|d| text_of(&t, d).is_some()));
}

#[test]
fn scale_two_doubles_fonts_and_strokes() {
    let r = with_series(&[3, 1, 4], &[1, 5, 9], &[2, 6, 5]);
    let hidpi = Theme {
        scale: 2.0,
        title: "Volume".into(),
        ..Theme::default()
    };
    let lodpi = Theme {
        title: "Volume".into(),
        ..Theme::default()
    };
    for kind in ChartKind::ALL {
        let mut r = r.clone();
        r.channels = vec![share("email", 3, 60.0), share("chat", 2, 40.0)];
        for (s, n) in r.frt_distribution.iter_mut().zip([1, 2, 3, 0, 1]) {
            s.count = n;
        }
        r.heatmap = heat(|d, h| (d * h % 5) as u64);
        r.series.satisfied = vec![3, 0, 2];
        r.series.dissatisfied = vec![1, 1, 0];
        let one = to_svg(kind, &r, &lodpi, 600, 300);
        let two = to_svg(kind, &r, &hidpi, 1200, 600);
        let sizes = |s: &str| {
            let mut v: Vec<f64> = texts(s).iter().map(|e| e.num("font-size")).collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let (a, b) = (sizes(&one), sizes(&two));
        assert!(a.len() >= 2, "{kind:?}: {a:?}");
        assert_eq!(a.len(), b.len(), "{kind:?}");
        for (x, y) in a.iter().zip(&b) {
            assert!((y / x - 2.0).abs() < 1e-9, "{kind:?}: {a:?} vs {b:?}");
        }
        let widths = |s: &str| {
            let mut v: Vec<f64> = elements(s)
                .iter()
                // Filled shapes carry a stroke width the SVG never uses (stroke="none").
                .filter(|e| e.get("stroke").is_some_and(|s| s != "none"))
                .map(|e| e.num("stroke-width"))
                .collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let (a, b) = (widths(&one), widths(&two));
        // The heatmap is cells and text only.
        assert!(
            !a.is_empty() || kind == ChartKind::Heatmap,
            "{kind:?}: no stroked elements"
        );
        assert_eq!(a.iter().map(|w| w * 2.0).collect::<Vec<_>>(), b, "{kind:?}");
    }
}

#[test]
fn degenerate_inputs_never_panic() {
    let mut big = with_series(&[u64::MAX, 1], &[0, u64::MAX], &[u64::MAX / 2, u64::MAX]);
    big.channels = vec![share("x", u64::MAX, 100.0), share("y", u64::MAX, f64::NAN)];
    for (s, n) in big.frt_distribution.iter_mut().zip([u64::MAX, 0, 1, 2, 3]) {
        s.count = n;
    }
    big.heatmap = heat(|d, h| if (d + h) % 2 == 0 { u64::MAX } else { 1 });
    big.series.satisfied = vec![u64::MAX, u64::MAX];
    big.series.dissatisfied = vec![u64::MAX, 0];
    let huge = [
        Some(f64::MAX),
        Some(-f64::MAX),
        Some(f64::NAN),
        None,
        Some(1e300),
    ];
    big.series.kpis.insert("frt", huge.to_vec());
    big.kpis.push(kpi_row(
        "frt",
        &huge,
        Some(f64::INFINITY),
        &[("far", -1e308), ("nan", f64::NAN)],
    ));
    big.series.kpis.insert("csat", vec![Some(f64::INFINITY); 3]);
    big.kpis
        .push(kpi_row("csat", &[Some(-5.0), Some(250.0)], Some(-1.0), &[]));
    // Series of different lengths, labels missing, a heatmap of odd shape.
    let mut ragged = with_series(&[1, 2, 3], &[4], &[5, 6]);
    ragged.series.labels.truncate(1);
    ragged.heatmap = vec![vec![1; 30], vec![], vec![2, 3]];
    ragged.series.satisfied = vec![1];
    ragged.series.dissatisfied = vec![0, 0, 4];
    ragged
        .series
        .kpis
        .insert("frt", vec![None, Some(0.0), None, None]);
    ragged
        .kpis
        .push(kpi_row("frt", &[Some(3.0)], Some(0.0), &[("b", 0.0)]));
    let mut one = with_series(&[1], &[0], &[1]);
    one.heatmap = heat(|d, h| (d == 3 && h == 23) as u64);
    one.series.satisfied = vec![1];
    one.series.kpis.insert("csat", vec![Some(100.0)]);
    one.kpis
        .push(kpi_row("csat", &[Some(100.0)], Some(100.0), &[]));
    let sizes = [(0, 0), (1, 1), (60, 40), (2000, 30), (30, 2000), (800, 400)];
    let scales = [1.0, 0.0, -1.0, f64::NAN, f64::INFINITY, 3.0, 1e9];
    let kinds = ChartKind::ALL.into_iter().chain([
        ChartKind::KpiTrend("frt"),
        ChartKind::KpiTrend("csat"),
        ChartKind::Sparkline("frt"),
        ChartKind::Sparkline("csat"),
        ChartKind::KpiTrend("not in the catalogue"),
    ]);
    for r in [&big, &ragged, &one, &report()] {
        for kind in kinds.clone() {
            for &(w, h) in &sizes {
                for &scale in &scales {
                    let theme = Theme {
                        scale,
                        title: "Başlık".into(),
                        ..Theme::default()
                    };
                    let s = to_svg(kind, r, &theme, w, h);
                    assert!(s.ends_with("</svg>\n"), "{kind:?} {w}x{h} {scale}");
                }
            }
        }
    }
    // Huge counts still get short axis labels and full bars.
    let s = svg(ChartKind::Volume, &big);
    assert!(texts(&s).iter().any(|e| e.text.contains("e19")));
    assert_eq!(rects(&s, BLUE).len(), 2 + 1);
    // One bucket, one ticket: one bar and one marker.
    let s = svg(ChartKind::Volume, &one);
    assert_eq!(rects(&s, BLUE).len(), 1 + 1);
    assert_eq!(dots(&svg(ChartKind::Backlog, &one), VERMILLION), 1);
    // One hour of one day, one rating, one value: each still shows.
    let s = svg(ChartKind::Heatmap, &one);
    assert!(
        rects(&s, BLUE).len() == 1 + 1,
        "the cell and the legend's last swatch"
    );
    assert_eq!(
        rects(&svg(ChartKind::Satisfaction, &one), GREEN).len(),
        1 + 1
    );
    assert_eq!(dots(&svg(ChartKind::KpiTrend("csat"), &one), BLUE), 1);
}

#[test]
fn charts_of_a_loaded_dataset_match_its_report() {
    let json = r#"{"dataset": {"timezone": "Europe/Istanbul"}, "tickets": [
        {"id": "1", "created_at": "2026-03-02T09:00:00+03:00", "channel": "e-posta",
         "first_reply_at": "2026-03-02T09:30:00+03:00", "solved_at": "2026-03-02T12:00:00+03:00",
         "status": "solved"},
        {"id": "2", "created_at": "2026-03-02T10:00:00+03:00", "channel": "sohbet",
         "first_reply_at": "2026-03-02T16:00:00+03:00", "status": "open"},
        {"id": "3", "created_at": "2026-03-04T10:00:00+03:00", "channel": "e-posta",
         "status": "open"}
    ]}"#;
    let data = crate::ingest::load(
        json.as_bytes(),
        &crate::ingest::IngestOptions {
            now: 1_800_000_000,
            ..Default::default()
        },
    )
    .unwrap();
    let r = crate::report::build(&data, &Default::default()).unwrap();
    assert_eq!(r.series.created, [2, 0, 1]);

    let s = svg(ChartKind::Volume, &r);
    let nonzero = r.series.created.iter().filter(|&&c| c > 0).count();
    assert_eq!(rects(&s, BLUE).len(), nonzero + 1);
    assert_eq!(dots(&s, ORANGE), r.series.solved.len() + 1);

    let s = svg(ChartKind::Channels, &r);
    assert_eq!(rects(&s, BLUE).len(), r.channels.len());
    let t = texts(&s);
    assert!(text_of(&t, "e-posta").is_some() && text_of(&t, "67%").is_some());

    let s = svg(ChartKind::FrtDistribution, &r);
    let nonzero = r.frt_distribution.iter().filter(|b| b.count > 0).count();
    assert_eq!(nonzero, 2);
    assert_eq!(rects(&s, GREEN).len(), nonzero);

    let s = svg(ChartKind::Backlog, &r);
    assert_eq!(dots(&s, VERMILLION), r.series.backlog.len());
}

//! Charts of one KPI: its value per bucket with target and benchmark lines, and the sparkline of
//! its trend for table cells. Values are in the KPI's unit, so the y axis speaks it: compact
//! durations (`45m`, `2h`, `1d`), percentages, counts.

use super::palette::{GRID, PURPLE, SKY};
use super::*;
use crate::kpi::Unit;
use crate::report::KpiRow;
use plotters::element::DashedPathElement;

/// Colours of benchmark lines, in the order the benchmarks were typed in (the data line is blue,
/// the target line dark grey).
const BENCHMARK_COLORS: [RGBColor; 4] = [PURPLE, GREEN, ORANGE, SKY];
/// Dash and gap of the target line, CSS pixels.
const TARGET_DASH: (f64, f64) = (7.0, 4.0);
/// Dot and gap of benchmark lines, CSS pixels.
const BENCHMARK_DOT: (f64, f64) = (2.0, 3.0);
/// Stroke of the sparkline, CSS pixels.
const SPARK_LINE_PX: f64 = 1.5;
/// Radius of the dot on a sparkline point without neighbours (the last point gets
/// [`MARKER_PX`]).
const SPARK_DOT_PX: f64 = 1.5;

fn row<'r>(report: &'r Report, key: &str) -> Option<&'r KpiRow> {
    report.kpis.iter().find(|r| r.def.key == key)
}

/// The KPI's unit: from the report's row, else from the catalogue.
fn unit_of(report: &Report, key: &str) -> Unit {
    row(report, key)
        .map(|r| r.def.unit)
        .or_else(|| catalogue::find(key).map(|d| d.unit))
        .unwrap_or(Unit::Number)
}

/// `values` with non-finite numbers treated as missing.
fn finite(values: &[Option<f64>]) -> Vec<Option<f64>> {
    values.iter().map(|v| v.filter(|x| x.is_finite())).collect()
}

/// The maximal runs of consecutive known values, as index ranges: a line is drawn within a run
/// and never across a gap.
fn runs(values: &[Option<f64>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, v) in values.iter().enumerate() {
        match (v.is_some(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..values.len());
    }
    out
}

/// Smallest and largest of `values` (`None` for none).
fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

// ---------------------------------------------------------------------------------------------
// Value axes in a KPI's unit

/// A round step of 1, 2 or 5 × 10ⁿ, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * mag)
}

/// A step that reads well as a duration (seconds), at least `raw`.
fn duration_step(raw: f64) -> f64 {
    const STEPS: [f64; 20] = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, // seconds
        60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, // minutes
        3600.0, 7200.0, 10800.0, 21600.0, 43200.0, // hours
        86400.0, 172800.0, 604800.0, // days, a week
    ];
    STEPS
        .iter()
        .copied()
        .find(|&s| s >= raw)
        .unwrap_or_else(|| 86400.0 * nice_step(raw / 86400.0))
}

/// A y axis covering `lo..=hi` with about five ticks on round values of `unit`.
///
/// It starts at zero unless the values sit high above it (the line would then be squeezed into
/// the top of the plot); percentages between 0 and 100 never get ticks outside that range;
/// counts are never cut into fractions.
fn value_axis(lo: f64, hi: f64, unit: Unit) -> Axis {
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    let (data_lo, data_hi) = (lo, hi);
    if lo >= 0.0 && lo <= hi * 5.0 / 6.0 {
        lo = 0.0;
    } else if hi <= 0.0 && hi >= lo * 5.0 / 6.0 {
        hi = 0.0;
    }
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-9 {
        // A flat line: centre it.
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo, hi) = (lo - pad, hi + pad);
        if data_lo >= 0.0 {
            lo = lo.max(0.0);
        }
    }
    let span = hi - lo;
    if !span.is_finite() {
        // Beyond f64: no round ticks to find; show the ends.
        return Axis {
            range: lo..hi,
            ticks: vec![lo, hi],
        };
    }
    let raw = span / 5.0;
    let step = match unit {
        Unit::Seconds => duration_step(raw),
        Unit::Count => nice_step(raw).max(1.0),
        _ => nice_step(raw),
    };
    let mut start = (lo / step).floor() * step;
    let mut end = (hi / step).ceil() * step;
    if unit == Unit::Percent && data_lo >= 0.0 && data_hi <= 100.0 {
        // 0 and 100 are multiples of every round step up to 100: ticks stay on the grid.
        start = start.max(0.0);
        end = end.min(100.0).max(start + step);
    }
    let n = ((end - start) / step).round().clamp(1.0, 50.0) as usize;
    Axis {
        range: start..start + n as f64 * step,
        ticks: (0..=n).map(|i| start + i as f64 * step).collect(),
    }
}

/// The distance between two ticks of `axis` (1 when it has fewer than two).
fn tick_step(axis: &Axis) -> f64 {
    match axis.ticks[..] {
        [a, b, ..] if b > a => b - a,
        _ => 1.0,
    }
}

/// A duration in seconds as a compact label: `0`, `45s`, `45m`, `1h30m`, `2h`, `1d`, `2d12h`.
fn compact_duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return String::new();
    }
    let sign = if seconds < -0.5 { "-" } else { "" };
    let s = seconds.abs().round();
    if s >= 1e15 {
        return format!("{sign}{:.1e}d", s / 86400.0);
    }
    let s = s as u64;
    let (d, h, m, sec) = (s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60);
    let text = match (d, h, m) {
        (0, 0, 0) if sec == 0 => "0".to_string(),
        (0, 0, 0) => format!("{sec}s"),
        (0, 0, m) if sec == 0 => format!("{m}m"),
        (0, 0, m) => format!("{m}m{sec}s"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d{h}h"),
    };
    format!("{sign}{text}")
}

/// `v` with as many decimals as a tick `step` needs (none for whole steps, at most four).
fn decimals(v: f64, step: f64) -> String {
    let d = if step >= 1.0 || !step.is_finite() || step <= 0.0 {
        0
    } else {
        (-step.log10().floor()).clamp(0.0, 4.0) as usize
    };
    let s = format!("{v:.d$}");
    // "-0" and "-0.0" read as a negative zero.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// A value of `unit` as an axis label, ticks `step` apart: `2h`, `85%`, `1.5k`, `0.25`.
fn value_label(v: f64, unit: Unit, step: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    match unit {
        Unit::Seconds => compact_duration(v),
        Unit::Percent => format!("{}%", decimals(v, step)),
        Unit::Count => compact(v),
        _ if v.abs() >= 10_000.0 => compact(v),
        _ => decimals(v, step),
    }
}

// ---------------------------------------------------------------------------------------------
// The KPI trend chart

/// A horizontal reference line: the target (dashed) or a benchmark (dotted).
struct RefLine<'a> {
    label: &'a str,
    value: f64,
    color: RGBColor,
    dash: (f64, f64),
}

pub(super) fn kpi_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    key: &str,
    st: &Style,
) -> DrawResult<(), DB> {
    let values = finite(report.series.kpis.get(key).map_or(&[][..], |v| v));
    let n = values.len();
    let Some((lo, hi)) = extent(values.iter().flatten().copied()) else {
        return st.empty(area);
    };
    let unit = unit_of(report, key);
    let row = row(report, key);
    let mut refs = Vec::new();
    if let Some(t) = row.and_then(|r| r.target).filter(|t| t.target.is_finite()) {
        refs.push(RefLine {
            label: st.theme.target_label.as_str(),
            value: t.target,
            color: TEXT,
            dash: TARGET_DASH,
        });
    }
    let benchmarks = row.map_or(&[][..], |r| &r.benchmarks[..]);
    for (i, b) in benchmarks
        .iter()
        .filter(|b| b.value.is_finite())
        .enumerate()
    {
        refs.push(RefLine {
            label: b.label.as_str(),
            value: b.value,
            color: BENCHMARK_COLORS[i % BENCHMARK_COLORS.len()],
            dash: BENCHMARK_DOT,
        });
    }
    let (lo, hi) = extent(refs.iter().map(|r| r.value).chain([lo, hi])).unwrap_or((lo, hi));
    let y = value_axis(lo, hi, unit);
    let step = tick_step(&y);
    let labels = bucket_labels(report, n);
    let fmt_y = |v: &f64| value_label(*v, unit, step);
    let mut chart = bucket_chart_with(area, st, &labels, n, y, &fmt_y)?;

    // Reference lines first, so the data stays on top.
    let (x0, x1) = (-0.5, n as f64 - 0.5);
    for r in &refs {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(x0, r.value), (x1, r.value)],
            st.px(r.dash.0),
            st.px(r.dash.1),
            st.stroke(r.color, LINE_PX),
        )))?;
    }

    for run in runs(&values).into_iter().filter(|r| r.len() > 1) {
        let points: Vec<(f64, f64)> = run
            .map(|i| (i as f64, values[i].unwrap_or_default()))
            .collect();
        chart.draw_series(LineSeries::new(points, st.stroke(BLUE, LINE_PX)))?;
    }
    // Every value gets a marker while they stay apart; beyond that only the points without
    // neighbours, which would otherwise not show at all.
    let marked = (0..n).filter(|&i| {
        values[i].is_some()
            && (n <= MAX_MARKED_POINTS
                || (i == 0 || values[i - 1].is_none())
                    && values.get(i + 1).is_none_or(|v| v.is_none()))
    });
    chart.draw_series(marked.map(|i| {
        Circle::new(
            (i as f64, values[i].unwrap_or_default()),
            st.upx(MARKER_PX),
            BLUE.filled(),
        )
    }))?;

    ref_labels(&mut chart, st, &refs, x1)
}

/// Writes each reference line's label at the right end of the plot, just above its line; when
/// lines are too close for that, labels move down so they never overlap.
fn ref_labels<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    st: &Style,
    refs: &[RefLine],
    x1: f64,
) -> DrawResult<(), DB> {
    if refs.is_empty() {
        return Ok(());
    }
    let style = st
        .font(VALUE_PX, TEXT)
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    let line_h = st.line_height(&chart.plotting_area().strip_coord_spec(), &style)?;
    let gap = st.px(3.0);
    let top = chart.plotting_area().get_pixel_range().1.start;
    let mut placed: Vec<(usize, i32)> = refs
        .iter()
        .enumerate()
        .map(|(i, r)| (i, chart.backend_coord(&(x1, r.value)).1))
        .collect();
    sort::sort_by_key(&mut placed, |&(_, y)| y as i64);
    let mut prev_bottom = i32::MIN;
    for (i, line_y) in placed {
        let bottom = (line_y - gap)
            .max(top + line_h)
            .max(prev_bottom.saturating_add(line_h));
        prev_bottom = bottom;
        let r = &refs[i];
        chart.draw_series(std::iter::once(
            EmptyElement::at((x1, r.value))
                + Text::new(r.label.to_string(), (-gap, bottom - line_y), style.clone()),
        ))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The sparkline

/// The KPI's trend (`KpiRow::trend`, oldest first) as a line across the whole area: no axes, no
/// text, the last known value marked. Gaps stay gaps; a point between two gaps gets a small
/// dot. Draws nothing when the KPI has no value.
pub(super) fn sparkline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    key: &str,
    st: &Style,
) -> DrawResult<(), DB> {
    let values = finite(row(report, key).map_or(&[][..], |r| &r.trend[..]));
    let Some((lo, hi)) = extent(values.iter().flatten().copied()) else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let pad = st.px(MARKER_PX + 1.0);
    if w <= 2 * pad || h <= 2 * pad {
        return Ok(());
    }
    let n = values.len();
    let x = |i: usize| {
        if n < 2 {
            w / 2
        } else {
            pad + ((w - 2 * pad) as f64 * i as f64 / (n - 1) as f64).round() as i32
        }
    };
    let span = hi - lo;
    let y = |v: f64| {
        let t = if span > 0.0 && span.is_finite() {
            (v - lo) / span
        } else {
            0.5
        };
        h - pad - ((h - 2 * pad) as f64 * t).round() as i32
    };
    let point = |i: usize| (x(i), y(values[i].unwrap_or_default()));

    // A faint baseline at zero when zero lies inside the range, so the sign shows.
    if lo < 0.0 && hi > 0.0 {
        area.draw(&PathElement::new(
            vec![(pad, y(0.0)), (w - pad, y(0.0))],
            st.stroke(GRID, THIN_PX),
        ))?;
    }
    let last = (0..n).rev().find(|&i| values[i].is_some());
    for run in runs(&values) {
        if run.len() > 1 {
            area.draw(&PathElement::new(
                run.map(point).collect::<Vec<_>>(),
                st.stroke(BLUE, SPARK_LINE_PX),
            ))?;
        } else if Some(run.start) != last {
            area.draw(&Circle::new(
                point(run.start),
                st.upx(SPARK_DOT_PX),
                BLUE.filled(),
            ))?;
        }
    }
    if let Some(i) = last {
        area.draw(&Circle::new(point(i), st.upx(MARKER_PX), BLUE.filled()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::tests::*;

    const DARK: RGBColor = TEXT;

    // ---- pure helpers ----

    #[test]
    fn durations_are_compact() {
        let cases = [
            (0.0, "0"),
            (45.0, "45s"),
            (90.0, "1m30s"),
            (2700.0, "45m"),
            (5400.0, "1h30m"),
            (7200.0, "2h"),
            (86_400.0, "1d"),
            (216_000.0, "2d12h"),
            (-7200.0, "-2h"),
            (0.4, "0"),
        ];
        for (v, want) in cases {
            assert_eq!(compact_duration(v), want, "{v}");
        }
        assert_eq!(compact_duration(f64::NAN), "");
        assert!(compact_duration(1e300).ends_with('d'));
    }

    #[test]
    fn value_axes_have_round_ticks_in_the_unit() {
        // Durations: steps of whole minutes or hours, from zero.
        let a = value_axis(1800.0, 7200.0, Unit::Seconds);
        assert_eq!(a.ticks, [0.0, 1800.0, 3600.0, 5400.0, 7200.0]);
        let a = value_axis(0.0, 3.0 * 86400.0, Unit::Seconds);
        assert!(a.ticks.iter().all(|t| t % 43200.0 == 0.0), "{:?}", a.ticks);
        // High percentages: not squeezed against zero, never beyond 100 %.
        let a = value_axis(85.0, 99.0, Unit::Percent);
        assert!(a.ticks[0] > 0.0 && a.ticks[0] <= 85.0, "{:?}", a.ticks);
        assert_eq!(*a.ticks.last().unwrap(), 100.0);
        assert_eq!(
            value_axis(0.0, 100.0, Unit::Percent).ticks.last(),
            Some(&100.0)
        );
        // Counts: whole steps even for a small range.
        let a = value_axis(0.0, 3.0, Unit::Count);
        assert_eq!(a.ticks, [0.0, 1.0, 2.0, 3.0]);
        // Scores below zero: zero is a tick.
        let a = value_axis(-20.0, 40.0, Unit::Score);
        assert!(a.ticks.contains(&0.0) && a.ticks[0] <= -20.0 && a.range.end >= 40.0);
        let a = value_axis(-50.0, -45.0, Unit::Score);
        assert!(
            a.range.end <= 0.0 && a.range.start <= -50.0,
            "{:?}",
            a.ticks
        );
        // A flat line sits inside the range, not on its edge.
        for (v, unit) in [
            (50.0, Unit::Percent),
            (3.0, Unit::Count),
            (0.0, Unit::Seconds),
        ] {
            let a = value_axis(v, v, unit);
            assert!(a.range.start <= v && a.range.end > v, "{v}: {:?}", a.ticks);
            assert!(a.ticks.len() >= 2);
        }
        // Every axis covers its values and has a handful of ticks.
        for (lo, hi) in [
            (0.1, 0.7),
            (1e-6, 3e-6),
            (12.0, 13.0),
            (-1e9, 1e12),
            (7.0, 3.0),
        ] {
            let a = value_axis(lo, hi, Unit::Number);
            let (lo, hi) = (lo.min(hi), lo.max(hi));
            assert!(
                a.range.start <= lo && a.range.end >= hi,
                "{lo}..{hi}: {:?}",
                a.ticks
            );
            assert!(
                (2..=8).contains(&a.ticks.len()),
                "{lo}..{hi}: {:?}",
                a.ticks
            );
        }
    }

    #[test]
    fn value_labels_follow_the_unit_and_step() {
        assert_eq!(value_label(85.0, Unit::Percent, 5.0), "85%");
        assert_eq!(value_label(2.5, Unit::Percent, 0.5), "2.5%");
        assert_eq!(value_label(7200.0, Unit::Seconds, 1800.0), "2h");
        assert_eq!(value_label(12_500.0, Unit::Count, 2500.0), "12.5k");
        assert_eq!(value_label(0.25, Unit::Number, 0.05), "0.25");
        assert_eq!(value_label(-0.0, Unit::Score, 10.0), "0");
        assert_eq!(value_label(-20.0, Unit::Score, 10.0), "-20");
    }

    #[test]
    fn runs_split_at_gaps() {
        let (s, n) = (Some(1.0), None);
        assert_eq!(runs(&[s, s, n, s, n, n, s, s, s]), [0..2, 3..4, 6..9]);
        assert_eq!(runs(&[n, n]), []);
        assert_eq!(runs(&[]), []);
        assert_eq!(runs(&[n, s]), vec![Range { start: 1, end: 2 }]);
    }

    // ---- the trend chart ----

    /// x of each bucket's label, by index (all labels shown at 800 px for a few buckets).
    fn bucket_xs(s: &str, n: usize) -> Vec<f64> {
        let t = texts(s);
        days(n)
            .iter()
            .map(|d| {
                text_of(&t, d)
                    .unwrap_or_else(|| panic!("{d} missing"))
                    .num("x")
            })
            .collect()
    }

    #[test]
    fn the_line_breaks_at_gaps_and_marks_every_value() {
        let values = [
            Some(1800.0),
            Some(3600.0),
            None,
            Some(5400.0),
            Some(7200.0),
            None,
            Some(3600.0),
        ];
        let r = with_kpi("frt", &values, None, &[]);
        let s = svg(ChartKind::KpiTrend("frt"), &r);
        let xs = bucket_xs(&s, values.len());
        let marks = circles(&s, BLUE);
        assert_eq!(marks.len(), 5);
        let mut marked: Vec<f64> = marks.iter().map(|c| c.num("cx")).collect();
        marked.sort_by(f64::total_cmp);
        let known: Vec<f64> = [0, 1, 3, 4, 6].iter().map(|&i| xs[i]).collect();
        assert_eq!(marked, known);
        // Two pieces of line, 0–1 and 3–4; the lone last value is a marker only.
        let lines = polylines(&s, BLUE);
        assert_eq!(lines.len(), 2);
        let mut spans: Vec<(f64, f64)> = lines
            .iter()
            .map(|l| (l.first().unwrap().0, l.last().unwrap().0))
            .collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(spans, [(xs[0], xs[1]), (xs[3], xs[4])]);
        // Nothing is drawn across the gaps.
        for gap in [xs[2], xs[5]] {
            assert!(lines
                .iter()
                .all(|l| l.windows(2).all(|w| !(w[0].0 < gap && gap < w[1].0))));
        }
        // Higher values are higher up: 7200 above 5400.
        let y = |x: f64| marks.iter().find(|c| c.num("cx") == x).unwrap().num("cy");
        assert!(y(xs[4]) < y(xs[3]));
        // The y axis speaks durations.
        let t = texts(&s);
        for label in ["0", "30m", "1h", "1h30m", "2h"] {
            assert!(text_of(&t, label).is_some(), "{label} missing");
        }
    }

    #[test]
    fn the_target_is_a_dashed_line_labelled_target() {
        let values = [Some(1800.0), Some(5400.0), Some(2700.0)];
        let r = with_kpi("frt", &values, Some(3600.0), &[]);
        let s = svg(ChartKind::KpiTrend("frt"), &r);
        let dashes = polylines(&s, DARK);
        assert!(dashes.len() > 20, "{} dashes", dashes.len());
        let y = dashes[0][0].1;
        assert!(dashes.iter().flatten().all(|p| p.1 == y), "horizontal");
        let len = |d: &Vec<(f64, f64)>| d.last().unwrap().0 - d[0].0;
        assert!(dashes.iter().all(|d| len(d) <= 7.0));
        assert!(dashes.iter().filter(|d| len(d) >= 6.0).count() > 20);
        // It spans the plot, from the y axis to the right end.
        let axis_x = polylines(&s, AXIS)
            .iter()
            .find(|l| l.len() == 2 && l[0].0 == l[1].0 && (l[0].1 - l[1].1).abs() > 100.0)
            .unwrap()[0]
            .0;
        let (left, right) = dashes
            .iter()
            .flatten()
            .fold((f64::MAX, 0.0f64), |(a, b), p| (a.min(p.0), b.max(p.0)));
        assert!(
            (left - axis_x).abs() <= 1.0 && right > 800.0 - 30.0,
            "{left} {right}"
        );
        // At the height of the "1h" tick.
        let t = texts(&s);
        assert!((text_of(&t, "1h").unwrap().num("y") - y).abs() <= 1.0);
        // Labelled just above its right end.
        let label = text_of(&t, "target").unwrap();
        assert_eq!(label.get("text-anchor"), Some("end"));
        assert!(
            label.num("y") < y && label.num("y") > y - 20.0,
            "{}",
            label.num("y")
        );
        assert!(label.num("x") <= right && label.num("x") > right - 20.0);

        let theme = Theme {
            target_label: "hedef".into(),
            ..Theme::default()
        };
        let t = texts(&to_svg(ChartKind::KpiTrend("frt"), &r, &theme, 800, 400));
        assert!(text_of(&t, "hedef").is_some() && text_of(&t, "target").is_none());
    }

    #[test]
    fn benchmarks_are_dotted_lines_with_their_labels() {
        let values = [Some(1800.0), Some(2400.0)];
        let r = with_kpi(
            "frt",
            &values,
            Some(3600.0),
            &[("industry median", 5000.0), ("competitor", 900.0)],
        );
        let s = svg(ChartKind::KpiTrend("frt"), &r);
        let t = texts(&s);
        let target_y = polylines(&s, DARK)[0][0].1;
        for (label, color) in [("industry median", PURPLE), ("competitor", GREEN)] {
            let dots = polylines(&s, color);
            assert!(dots.len() > 50, "{label}: {} dots", dots.len());
            let y = dots[0][0].1;
            assert!(dots.iter().flatten().all(|p| p.1 == y));
            // Dots, not dashes: about 2 px each.
            assert!(dots.iter().all(|d| d.last().unwrap().0 - d[0].0 <= 2.0));
            let text = text_of(&t, label).unwrap_or_else(|| panic!("{label} missing"));
            assert!(text.num("y") < y && text.num("y") > y - 20.0, "{label}");
            assert_ne!(y, target_y);
        }
        // The axis stretched to hold them: the highest benchmark is inside the plot.
        assert!(text_of(&t, "1h30m").is_some());
        // A line on the top edge has its label under it, inside the plot.
        let r = with_kpi("frt", &values, None, &[("max", 5400.0)]);
        let s = svg(ChartKind::KpiTrend("frt"), &r);
        let y = polylines(&s, PURPLE)[0][0].1;
        let label = text_of(&texts(&s), "max").unwrap().num("y");
        assert!(label > y && label < y + 20.0, "{label} vs {y}");
        // Ordered as their values: industry median (5400) above target (3600) above competitor.
        let y = |l: &str| text_of(&t, l).unwrap().num("y");
        assert!(y("industry median") < y("target") && y("target") < y("competitor"));
    }

    #[test]
    fn labels_of_close_lines_do_not_overlap() {
        let r = with_kpi(
            "csat",
            &[Some(60.0), Some(95.0)],
            Some(80.0),
            &[("peer", 80.5), ("median", 79.5)],
        );
        let s = svg(ChartKind::KpiTrend("csat"), &r);
        let t = texts(&s);
        let mut ys: Vec<f64> = ["target", "peer", "median"]
            .iter()
            .map(|l| text_of(&t, l).unwrap().num("y"))
            .collect();
        ys.sort_by(f64::total_cmp);
        // Plotters' naive font is 12 px · 0.81 tall.
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 9.0), "{ys:?}");
    }

    #[test]
    fn percent_kpis_read_in_percent_and_stay_under_100() {
        let r = with_kpi(
            "csat",
            &[Some(82.0), Some(91.0), Some(88.0)],
            Some(90.0),
            &[],
        );
        let s = svg(ChartKind::KpiTrend("csat"), &r);
        let t = texts(&s);
        let days = days(3);
        let ticks: Vec<&El> = t
            .iter()
            .filter(|e| e.get("text-anchor") == Some("end") && e.text != "target")
            .filter(|e| !days.contains(&e.text))
            .collect();
        assert!(ticks.len() >= 3);
        assert!(ticks.iter().all(|e| e.text.ends_with('%')), "{ticks:?}");
        let top: f64 = ticks
            .iter()
            .map(|e| e.text.trim_end_matches('%').parse::<f64>().unwrap())
            .fold(0.0, f64::max);
        assert!((91.0..=100.0).contains(&top), "{top}");
        // Not squeezed against zero: 82–91 % fills the plot.
        assert!(text_of(&t, "0%").is_none());
        assert_eq!(circles(&s, BLUE).len(), 3);
        assert_eq!(polylines(&s, BLUE).len(), 1);
    }

    #[test]
    fn a_kpi_without_values_shows_the_empty_text() {
        let theme = Theme {
            title: "FRT".into(),
            ..Theme::default()
        };
        let no_values = with_kpi("frt", &[None, None, None], Some(3600.0), &[("b", 1.0)]);
        let nan = with_kpi("frt", &[Some(f64::NAN)], Some(3600.0), &[]);
        for r in [no_values, nan, report()] {
            let s = to_svg(ChartKind::KpiTrend("frt"), &r, &theme, 600, 300);
            let t = texts(&s);
            assert_eq!(t.len(), 2, "{t:?}");
            assert!(text_of(&t, "No data in this period").is_some());
            assert!(text_of(&t, "FRT").is_some());
            let drawn = elements(&s)
                .iter()
                .filter(|e| matches!(e.tag.as_str(), "polyline" | "circle"))
                .count();
            assert_eq!(drawn, 0, "no target line without values");
        }
    }

    #[test]
    fn long_series_mark_only_lone_points() {
        let mut values = vec![Some(10.0); 60];
        values[30] = None;
        values[32] = None;
        let r = with_kpi("created", &values, None, &[]);
        let s = svg(ChartKind::KpiTrend("created"), &r);
        // Index 31 sits between two gaps: its marker is all that shows it.
        assert_eq!(circles(&s, BLUE).len(), 1);
        let mut lens: Vec<usize> = polylines(&s, BLUE).iter().map(Vec::len).collect();
        lens.sort();
        assert_eq!(lens, [27, 30]);
    }

    #[test]
    fn scale_two_doubles_fonts_strokes_and_dashes() {
        let r = with_kpi(
            "frt",
            &[Some(1800.0), Some(5400.0), None, Some(900.0)],
            Some(3600.0),
            &[("median", 4000.0)],
        );
        let lodpi = Theme {
            title: "First response".into(),
            ..Theme::default()
        };
        let hidpi = Theme {
            scale: 2.0,
            ..lodpi.clone()
        };
        let kind = ChartKind::KpiTrend("frt");
        let one = to_svg(kind, &r, &lodpi, 600, 300);
        let two = to_svg(kind, &r, &hidpi, 1200, 600);
        let (a, b) = (font_sizes(&one), font_sizes(&two));
        assert_eq!(a.len(), 3, "title, axis labels, line labels: {a:?}");
        assert_eq!(a.iter().map(|s| s * 2.0).collect::<Vec<_>>(), b);
        let width = |s: &str, c| {
            elements(s)
                .iter()
                .find(|e| e.tag == "polyline" && e.get("stroke") == Some(hex(c).as_str()))
                .unwrap()
                .num("stroke-width")
        };
        for c in [BLUE, DARK, PURPLE] {
            assert_eq!(width(&two, c), 2.0 * width(&one, c));
        }
        let longest = |s: &str| {
            polylines(s, DARK)
                .iter()
                .map(|d| d.last().unwrap().0 - d[0].0)
                .fold(0.0, f64::max)
        };
        assert_eq!(longest(&two), 2.0 * longest(&one));
        let r1 = circles(&one, BLUE)[0].num("r");
        assert_eq!(circles(&two, BLUE)[0].num("r"), 2.0 * r1);
    }

    #[test]
    fn trend_of_a_loaded_dataset_with_targets() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/catalogue.json"
        ))
        .unwrap();
        let data = crate::ingest::load(
            &bytes,
            &crate::ingest::IngestOptions {
                now: 1_800_000_000,
                ..Default::default()
            },
        )
        .unwrap();
        let opts: crate::report::ReportOptions = serde_json::from_str(
            r#"{"from": "2026-03-02", "to": "2026-03-08", "bucket": "day",
                "benchmarks": [{"kpi": "frt", "value": 5400, "label": "industry median"}]}"#,
        )
        .unwrap();
        let r = crate::report::build(&data, &opts).unwrap();
        let frt = &r.series.kpis["frt"];
        let known = frt.iter().flatten().count();
        assert!(known >= 2 && known < frt.len(), "{frt:?}");
        let row = r.kpis.iter().find(|k| k.def.key == "frt").unwrap();
        assert_eq!(
            row.target.map(|t| t.target),
            Some(3600.0),
            "the dataset's 1h"
        );

        let kind = ChartKind::parse("kpi:frt").unwrap();
        let s = svg(kind, &r);
        assert_eq!(circles(&s, BLUE).len(), known);
        let t = texts(&s);
        assert!(text_of(&t, "target").is_some() && text_of(&t, "industry median").is_some());
        let target_y = polylines(&s, DARK)[0][0].1;
        assert!((text_of(&t, "1h").unwrap().num("y") - target_y).abs() <= 1.0);

        // CSAT: a percent target of 80.
        let csat = &r.series.kpis["csat"];
        let s = svg(ChartKind::parse("kpi:csat").unwrap(), &r);
        assert_eq!(circles(&s, BLUE).len(), csat.iter().flatten().count());
        assert!(texts(&s).iter().any(|e| e.text == "80%"));

        // The sparkline of the same KPI over the trend periods.
        let s = to_svg(
            ChartKind::parse("kpi-spark:frt").unwrap(),
            &r,
            &Theme::default(),
            120,
            28,
        );
        let last = row.trend.iter().rposition(Option::is_some);
        assert_eq!(!circles(&s, BLUE).is_empty(), last.is_some());
    }

    // ---- the sparkline ----

    fn spark(trend: &[Option<f64>], theme: &Theme, w: u32, h: u32) -> String {
        let mut r = report();
        r.kpis
            .push(kpi_row("resolution_rate", trend, Some(50.0), &[]));
        to_svg(ChartKind::Sparkline("resolution_rate"), &r, theme, w, h)
    }

    #[test]
    fn sparkline_is_a_bare_line_with_the_last_value_marked() {
        let trend = [Some(10.0), Some(30.0), None, Some(20.0), Some(40.0)];
        let theme = Theme {
            title: "Resolution rate".into(),
            ..Theme::default()
        };
        let s = spark(&trend, &theme, 120, 28);
        // No axes, no text, not even the title: it lives in a table cell.
        assert!(texts(&s).is_empty());
        assert!(polylines(&s, AXIS).is_empty() && polylines(&s, DARK).is_empty());
        let lines = polylines(&s, BLUE);
        assert_eq!(lines.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);
        let marks = circles(&s, BLUE);
        assert_eq!(marks.len(), 1);
        let (cx, cy, r) = (marks[0].num("cx"), marks[0].num("cy"), marks[0].num("r"));
        assert_eq!(r, 3.0);
        // The last value is the rightmost and (as the largest) the highest point.
        let points: Vec<(f64, f64)> = lines.iter().flatten().copied().collect();
        assert!(points.iter().all(|p| p.0 <= cx && p.1 >= cy));
        assert_eq!(lines[1][1], (cx, cy));
        // Inside the cell, the marker included.
        assert!(cx + r <= 120.0 && cy - r >= 0.0);
        let lowest = points.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!(lowest + r <= 28.0);
        // The gap between the second and the fourth period is not bridged.
        assert!(lines[0][1].0 < lines[1][0].0);
    }

    #[test]
    fn sparkline_dots_lone_values_and_marks_the_last_known_one() {
        let trend = [Some(1.0), None, Some(2.0), None, Some(3.0), None];
        let s = spark(&trend, &Theme::default(), 120, 28);
        assert!(polylines(&s, BLUE).is_empty());
        let mut r: Vec<f64> = circles(&s, BLUE).iter().map(|c| c.num("r")).collect();
        r.sort_by(f64::total_cmp);
        assert_eq!(r, [2.0, 2.0, 3.0]);
        let big = circles(&s, BLUE)
            .into_iter()
            .max_by(|a, b| a.num("r").total_cmp(&b.num("r")))
            .unwrap();
        // Period 5 of 6 (index 4): not the right edge, which belongs to the empty last one.
        assert!(big.num("cx") < 120.0 - 20.0);
    }

    #[test]
    fn sparkline_without_values_draws_nothing() {
        let theme = Theme {
            title: "X".into(),
            ..Theme::default()
        };
        for trend in [&[][..], &[None, None][..], &[Some(f64::INFINITY)][..]] {
            let s = spark(trend, &theme, 120, 28);
            let drawn: Vec<El> = elements(&s)
                .into_iter()
                .filter(|e| !matches!(e.tag.as_str(), "svg" | "rect"))
                .collect();
            assert!(drawn.is_empty(), "{drawn:?}");
        }
        // A KPI the report does not hold.
        let s = to_svg(ChartKind::Sparkline("frt"), &report(), &theme, 120, 28);
        assert!(texts(&s).is_empty() && circles(&s, BLUE).is_empty());
    }

    #[test]
    fn sparkline_flat_and_signed_values() {
        // A flat trend runs through the middle.
        let s = spark(
            &[Some(5.0), Some(5.0), Some(5.0)],
            &Theme::default(),
            120,
            28,
        );
        let line = &polylines(&s, BLUE)[0];
        assert!(line.iter().all(|p| p.1 == 14.0), "{line:?}");
        // Across zero: a faint zero line between the two values.
        let s = spark(&[Some(-10.0), Some(10.0)], &Theme::default(), 120, 28);
        let zero = polylines(&s, GRID);
        assert_eq!(zero.len(), 1);
        let line = &polylines(&s, BLUE)[0];
        assert!(line[1].1 < zero[0][0].1 && zero[0][0].1 < line[0].1);
    }

    #[test]
    fn sparkline_scales_with_the_device() {
        let trend = [Some(1.0), Some(4.0), Some(2.0)];
        let one = spark(&trend, &Theme::default(), 120, 28);
        let hidpi = Theme {
            scale: 2.0,
            ..Theme::default()
        };
        let two = spark(&trend, &hidpi, 240, 56);
        let r = |s: &str| circles(s, BLUE)[0].num("r");
        assert_eq!((r(&one), r(&two)), (3.0, 6.0));
        let w = |s: &str| {
            elements(s)
                .iter()
                .find(|e| e.tag == "polyline")
                .unwrap()
                .num("stroke-width")
        };
        assert_eq!((w(&one), w(&two)), (2.0, 3.0));
        // The same picture, twice as large.
        let pts = |s: &str| polylines(s, BLUE)[0].clone();
        for (a, b) in pts(&one).iter().zip(pts(&two)) {
            assert!((b.0 - 2.0 * a.0).abs() <= 1.0 && (b.1 - 2.0 * a.1).abs() <= 1.0);
        }
    }
}

//! Charts, drawn by functions generic over `plotters::DrawingBackend`: the browser passes a
//! canvas backend, tests and exports pass an SVG backend. Chart code never creates a canvas.
//!
//! Layout decisions that depend on text size (how many x labels fit, how wide the channel-name
//! column is) ask the backend through `DrawingArea::estimate_text_size`: on the canvas that is
//! the browser's real font metrics, natively it is plotters' rough estimate. Every size is a CSS
//! pixel value multiplied by [`Theme::scale`], so the same chart is crisp at any
//! `devicePixelRatio`.

use crate::report::{Report, Share};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// The chart colours: the Okabe–Ito palette, distinguishable with the common forms of colour
/// blindness, plus the neutral greys for text and grid. Defined once so every chart agrees.
pub mod palette {
    use plotters::style::RGBColor;

    /// Blue: tickets created, channel bars.
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    /// Orange: tickets solved.
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    /// Bluish green: first response times.
    pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    /// Vermillion: open backlog.
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    /// Reddish purple.
    pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    /// Sky blue.
    pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    /// Yellow (too light for text or thin lines on white; areas only).
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    /// The whole palette in Okabe and Ito's order (without black).
    pub const OKABE_ITO: [RGBColor; 7] = [ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE];

    /// Titles, labels and values.
    pub const TEXT: RGBColor = RGBColor(0x33, 0x33, 0x33);
    /// Secondary text (the "no data" message).
    pub const MUTED: RGBColor = RGBColor(0x6E, 0x6E, 0x6E);
    /// Axis lines and tick marks.
    pub const AXIS: RGBColor = RGBColor(0x99, 0x99, 0x99);
    /// Grid lines: light enough to stay behind the data.
    pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
}

use palette::{AXIS, BLUE, GREEN, MUTED, ORANGE, TEXT, VERMILLION};

/// The charts the widget draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Tickets created (bars) and solved (line) per bucket.
    Volume,
    /// Tickets created in the period by channel.
    Channels,
    /// First response time distribution (0–1 h … > 24 h).
    FrtDistribution,
    /// Open tickets at the end of each bucket.
    Backlog,
}

impl ChartKind {
    /// Every chart, in page order.
    pub const ALL: [ChartKind; 4] = [
        ChartKind::Volume,
        ChartKind::Channels,
        ChartKind::FrtDistribution,
        ChartKind::Backlog,
    ];

    /// Reads the chart name used by the page (`volume`, `channels`, `frt`, `backlog`).
    pub fn parse(s: &str) -> Option<ChartKind> {
        Some(match s {
            "volume" => ChartKind::Volume,
            "channels" => ChartKind::Channels,
            "frt" => ChartKind::FrtDistribution,
            "backlog" => ChartKind::Backlog,
            _ => return None,
        })
    }
}

/// Drawing settings that come from the page.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Device pixels per CSS pixel: sizes of text and lines are multiplied by it so charts
    /// stay crisp and readable on HiDPI screens.
    pub scale: f64,
    /// Font family for all text.
    pub font: String,
    /// Title of the chart, already translated by the page (empty: no title).
    pub title: String,
    /// Text shown when there is nothing to draw, already translated.
    pub empty_text: String,
    /// Legend label of the created bars in the volume chart, already translated.
    pub created_label: String,
    /// Legend label of the solved line in the volume chart, already translated.
    pub solved_label: String,
    /// Name of the row that gathers the smallest channels when they do not all fit.
    pub other_label: String,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            scale: 1.0,
            font: "sans-serif".into(),
            title: String::new(),
            empty_text: "No data in this period".into(),
            created_label: "Created".into(),
            solved_label: "Solved".into(),
            other_label: "Other".into(),
        }
    }
}

/// Draws `kind` for `report` onto `area`.
///
/// Fills the area white, draws [`Theme::title`] on top when it is non-empty, then the chart, or
/// [`Theme::empty_text`] centred when the report has nothing to show for this chart. An area too
/// small to hold axes gets the title and no chart rather than an error.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    report: &Report,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let st = Style::new(theme);
    let body = st.caption(area)?;
    let (w, h) = body.dim_in_pixel();
    // Below this plotters' label areas would overlap and the chart would be unreadable anyway.
    if (w as i32) < st.px(80.0) || (h as i32) < st.px(50.0) {
        return Ok(());
    }
    match kind {
        ChartKind::Volume => volume(&body, report, &st),
        ChartKind::Channels => channels(&body, report, &st),
        ChartKind::FrtDistribution => frt(&body, report, &st),
        ChartKind::Backlog => backlog(&body, report, &st),
    }
}

/// Renders a chart to an SVG document (exports and tests).
pub fn to_svg(kind: ChartKind, report: &Report, theme: &Theme, width: u32, height: u32) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        // Drawing into a string cannot fail for I/O reasons; a layout error leaves a partial SVG.
        let _ = draw(&root, kind, report, theme);
        let _ = root.present();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Sizes and styles

/// Sizes in CSS pixels; [`Style::px`] turns them into device pixels.
const TITLE_PX: f64 = 16.0;
const LABEL_PX: f64 = 12.0;
const VALUE_PX: f64 = 11.0;
const EMPTY_PX: f64 = 14.0;
const MARGIN_PX: f64 = 10.0;
/// Wider on the right so the last x label, centred on the last bucket, is not cut off.
const MARGIN_RIGHT_PX: f64 = 18.0;
const TICK_PX: f64 = 4.0;
const LINE_PX: f64 = 2.0;
const THIN_PX: f64 = 1.0;
const MARKER_PX: f64 = 3.0;
/// Space between two x labels, so neighbours never touch.
const LABEL_GAP_PX: f64 = 10.0;
/// Channel names longer than this many characters are cut with an ellipsis.
const MAX_NAME_CHARS: usize = 18;
/// How many of the longest x labels are measured to decide how many fit.
const MEASURED_LABELS: usize = 12;
/// Above this many buckets the backlog line has no point markers (they would merge).
const MAX_MARKED_POINTS: usize = 40;
/// Half the width of a bar, in buckets: bars fill 80 % of their slot.
const BAR_HALF: f64 = 0.4;

/// The theme turned into device-pixel sizes and text styles.
struct Style<'t> {
    theme: &'t Theme,
    scale: f64,
}

impl<'t> Style<'t> {
    fn new(theme: &'t Theme) -> Self {
        // A broken devicePixelRatio (0, NaN, Infinity) must not turn into zero or absurd sizes.
        let scale = if theme.scale.is_finite() && theme.scale > 0.0 {
            theme.scale.clamp(0.25, 8.0)
        } else {
            1.0
        };
        Style { theme, scale }
    }

    /// `css` CSS pixels in device pixels, at least 1 so strokes never vanish.
    fn px(&self, css: f64) -> i32 {
        ((css * self.scale).round() as i32).max(1)
    }

    fn upx(&self, css: f64) -> u32 {
        self.px(css) as u32
    }

    fn font(&self, css: f64, color: RGBColor) -> TextStyle<'t> {
        (self.theme.font.as_str(), css * self.scale)
            .into_font()
            .color(&color)
    }

    fn stroke(&self, color: RGBColor, css: f64) -> ShapeStyle {
        color.stroke_width(self.upx(css))
    }

    /// Draws the title, if any, and returns the area below it.
    fn caption<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
        let title = self.theme.title.trim();
        if title.is_empty() {
            return Ok(area.clone());
        }
        let style = (
            self.theme.font.as_str(),
            TITLE_PX * self.scale,
            FontStyle::Bold,
        )
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let (_, text_h) = area.estimate_text_size(title, &style)?;
        let pad = self.px(6.0);
        let (w, h) = area.dim_in_pixel();
        area.draw_text(title, &style, (w as i32 / 2, pad))?;
        let used = (text_h as i32 + 2 * pad).min(h as i32);
        Ok(area.split_vertically(used).1)
    }

    /// Draws [`Theme::empty_text`] in the middle of `area`.
    fn empty<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (w, h) = area.dim_in_pixel();
        let style = self
            .font(EMPTY_PX, MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center));
        area.draw_text(&self.theme.empty_text, &style, (w as i32 / 2, h as i32 / 2))
    }

    /// Width in device pixels of the widest of `texts` in `style` (0 for none).
    fn widest<DB: DrawingBackend, S: AsRef<str>>(
        &self,
        area: &DrawingArea<DB, Shift>,
        texts: &[S],
        style: &TextStyle,
    ) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
        let mut widest = 0;
        for t in texts {
            widest = widest.max(area.estimate_text_size(t.as_ref(), style)?.0 as i32);
        }
        Ok(widest)
    }

    /// Height in device pixels of one line of label text.
    fn line_height<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &TextStyle,
    ) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
        // Measured on digits and a descender so the estimate covers any label.
        Ok(area.estimate_text_size("0g", style)?.1 as i32)
    }
}

// ---------------------------------------------------------------------------------------------
// A numeric axis with exactly the ticks we choose

/// A linear `f64` axis whose tick positions are chosen here rather than by plotters.
///
/// Plotters' integer axes compute ticks with unchecked `scale * 10` (overflows on huge counts)
/// and its float axes put ticks at fractions (0.5 tickets); buckets also need "every k-th" ticks.
/// Bound key points on a float range would do, but plotters then refuses to format them.
#[derive(Clone)]
struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Ranged for Axis {
    // Labels always come from our own formatters; this only satisfies the mesh's trait bound.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let t = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.5
        };
        // Clamping keeps pixel arithmetic inside i32 whatever value a caller passes.
        let t = if t.is_finite() {
            t.clamp(-1.0, 2.0)
        } else {
            0.0
        };
        limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // No light (minor) grid lines: only the chosen ticks get a line and a label.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

impl Axis {
    /// Category slots `0..n`, centred on integers, ticks on every `step`-th slot.
    fn buckets(n: usize, step: usize) -> Axis {
        let n = n.max(1);
        Axis {
            range: -0.5..n as f64 - 0.5,
            ticks: (0..n).step_by(step.max(1)).map(|i| i as f64).collect(),
        }
    }

    /// Counts from 0 to a round number at least `max` (and at least 1).
    fn counts(max: f64) -> Axis {
        let (top, ticks) = nice_ticks(max);
        Axis {
            range: 0.0..top,
            ticks,
        }
    }
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;
type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Round tick positions from 0 to at least `max`: steps of 1, 2 or 5 × 10ⁿ, never below 1 (counts
/// are whole tickets), about five ticks. Returns the axis top and the ticks.
fn nice_ticks(max: f64) -> (f64, Vec<f64>) {
    let max = if max.is_finite() { max.max(1.0) } else { 1.0 };
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * mag)
        .max(1.0);
    let n = (max / step).ceil().max(1.0) as usize;
    let top = n as f64 * step;
    (top, (0..=n).map(|i| i as f64 * step).collect())
}

/// A count as a short axis or value label: `950`, `9500`, `12.5k`, `125k`, `3.4M`.
fn compact(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a < 10_000.0 {
        return format!("{}", v.round() as i64);
    }
    let (d, unit) = match a {
        a if a < 1e6 => (1e3, "k"),
        a if a < 1e9 => (1e6, "M"),
        a if a < 1e12 => (1e9, "B"),
        a if a < 1e15 => (1e12, "T"),
        _ => return format!("{v:.1e}"),
    };
    let x = v / d;
    if x.abs() < 100.0 {
        // One decimal, without a useless ".0".
        let s = format!("{x:.1}");
        format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
    } else {
        format!("{x:.0}{unit}")
    }
}

/// A share as a label: `42%`, `4.5%`, `<1%` (a sliver is still more than nothing).
fn percent_label(p: f64) -> String {
    if !p.is_finite() || p <= 0.0 {
        "0%".into()
    } else if p < 1.0 {
        "<1%".into()
    } else if p < 10.0 {
        let s = format!("{p:.1}");
        format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
    } else {
        format!("{p:.0}%")
    }
}

/// `s` cut to at most `max` characters, the last one an ellipsis when cut. Counts characters, not
/// bytes, so Turkish or Persian names are never split inside a character.
fn truncate_label(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max || max == 0 {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    // "Support …" reads worse than "Support…".
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Shows every `step`-th of `n` labels so labels `label_w` wide (gap included) fit in `plot_w`.
fn label_step(n: usize, label_w: i32, plot_w: i32) -> usize {
    if n == 0 {
        return 1;
    }
    let fit = (plot_w.max(1) / label_w.max(1)).max(1) as usize;
    n.div_ceil(fit).max(1)
}

/// Value at `i`, 0 past the end (series of a report should be equally long, but need not be).
fn at(v: &[u64], i: usize) -> f64 {
    v.get(i).copied().unwrap_or(0) as f64
}

/// Builds a chart with buckets along x (labelled from `labels`, thinned to fit) and counts up to
/// at least `max` along y, and draws its grid and axes.
fn bucket_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    st: &Style,
    labels: &[String],
    n: usize,
    max: f64,
) -> DrawResult<Chart<'a, DB>, DB> {
    let label_style = st.font(LABEL_PX, TEXT);
    let y = Axis::counts(max);
    let y_texts: Vec<String> = y.ticks.iter().map(|&t| compact(t)).collect();
    let y_area = st.widest(area, &y_texts, &label_style)? + 3 * st.px(TICK_PX);
    let x_area = st.line_height(area, &label_style)? + 3 * st.px(TICK_PX);

    let (w, _) = area.dim_in_pixel();
    let plot_w = w as i32 - y_area - st.px(MARGIN_PX) - st.px(MARGIN_RIGHT_PX);
    // Measure the longest few labels, not just one: with a real font "2026-03-11" and
    // "2026-03-04" differ in width. Not all of them: in the browser each measurement is a DOM
    // layout, and a year of daily buckets would be 365 of them.
    let mut longest: Vec<&String> = labels.iter().collect();
    longest.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    longest.truncate(MEASURED_LABELS);
    let label_w = st.widest(area, &longest, &label_style)? + st.px(LABEL_GAP_PX);
    let x = Axis::buckets(n, label_step(n, label_w, plot_w));

    let mut chart = ChartBuilder::on(area)
        .margin(st.px(MARGIN_PX))
        .margin_right(st.px(MARGIN_RIGHT_PX))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x, y)?;
    let fmt_x = |v: &f64| label_at(labels, *v);
    let fmt_y = |v: &f64| compact(*v);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(st.stroke(palette::GRID, THIN_PX))
        .axis_style(st.stroke(AXIS, THIN_PX))
        .set_all_tick_mark_size(st.px(TICK_PX))
        .label_style(label_style)
        .x_label_formatter(&fmt_x)
        .y_label_formatter(&fmt_y)
        .draw()?;
    Ok(chart)
}

/// The label of the bucket at axis position `v` (empty between or past buckets).
fn label_at(labels: &[String], v: f64) -> String {
    let i = v.round();
    if i < 0.0 || !i.is_finite() {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// Pads or cuts the report's labels to `n` buckets.
fn bucket_labels(report: &Report, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| report.series.labels.get(i).cloned().unwrap_or_default())
        .collect()
}

/// A vertical bar for bucket `i` from 0 to `v`.
fn bar(i: usize, v: f64, color: RGBColor) -> Rectangle<(f64, f64)> {
    let x = i as f64;
    Rectangle::new([(x - BAR_HALF, 0.0), (x + BAR_HALF, v)], color.filled())
}

// ---------------------------------------------------------------------------------------------
// The four charts

fn volume<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    st: &Style,
) -> DrawResult<(), DB> {
    let s = &report.series;
    let n = s.created.len().max(s.solved.len());
    let max = (0..n)
        .map(|i| at(&s.created, i).max(at(&s.solved, i)))
        .fold(0.0, f64::max);
    if n == 0 || max <= 0.0 {
        return st.empty(area);
    }

    // The legend gets its own strip above the plot so it can never hide a bar.
    let legend_style = st.font(LABEL_PX, TEXT);
    let legend_h = st.line_height(area, &legend_style)? + st.px(8.0);
    let (legend_area, plot_area) = area.split_vertically(legend_h);
    legend(
        &legend_area,
        st,
        &[
            (st.theme.created_label.as_str(), Mark::Bar(BLUE)),
            (st.theme.solved_label.as_str(), Mark::Line(ORANGE)),
        ],
    )?;

    let labels = bucket_labels(report, n);
    let mut chart = bucket_chart(&plot_area, st, &labels, n, max)?;
    chart.draw_series(
        (0..n)
            .filter(|&i| at(&s.created, i) > 0.0)
            .map(|i| bar(i, at(&s.created, i), BLUE)),
    )?;
    let solved: Vec<(f64, f64)> = (0..n).map(|i| (i as f64, at(&s.solved, i))).collect();
    chart.draw_series(LineSeries::new(
        solved.iter().copied(),
        st.stroke(ORANGE, LINE_PX),
    ))?;
    chart.draw_series(
        solved
            .iter()
            .map(|&p| Circle::new(p, st.upx(MARKER_PX), ORANGE.filled())),
    )?;
    Ok(())
}

fn channels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    st: &Style,
) -> DrawResult<(), DB> {
    let label_style = st.font(LABEL_PX, TEXT);
    let value_style = st
        .font(VALUE_PX, TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (w, h) = area.dim_in_pixel();
    let line_h = st.line_height(area, &label_style)?;
    let x_area = line_h + 3 * st.px(TICK_PX);
    let plot_h = h as i32 - x_area - 2 * st.px(MARGIN_PX);
    // Each row needs room for its name plus some air; the rest is merged into "Other".
    let max_rows = (plot_h / (line_h * 8 / 5).max(1)).max(1) as usize;
    let rows = channel_rows(&report.channels, max_rows, &st.theme.other_label);
    if rows.is_empty() {
        return st.empty(area);
    }
    let n = rows.len();
    let names: Vec<String> = rows
        .iter()
        .map(|r| truncate_label(&r.name, MAX_NAME_CHARS))
        .collect();
    let pcts: Vec<String> = rows.iter().map(|r| percent_label(r.percent)).collect();

    // Name column as wide as the widest name, but never more than 40 % of the chart.
    let y_area =
        (st.widest(area, &names, &label_style)? + 3 * st.px(TICK_PX)).min(w as i32 * 2 / 5);
    let plot_w = (w as i32 - y_area - st.px(MARGIN_PX) - st.px(MARGIN_RIGHT_PX)).max(1);
    // Stretch the count axis so the percent label after the longest bar stays inside the plot.
    let pct_w = st.widest(area, &pcts, &value_style)? + st.px(6.0);
    let fill = (1.0 - pct_w as f64 / plot_w as f64).clamp(0.5, 1.0);
    let max = rows[0].count as f64;
    let x = Axis::counts(max / fill);
    let y = Axis {
        range: -0.5..n as f64 - 0.5,
        ticks: (0..n).map(|i| i as f64).collect(),
    };
    // Largest first means at the top: row i sits at y = n − 1 − i.
    let row_y = |i: usize| (n - 1 - i) as f64;

    let mut chart = ChartBuilder::on(area)
        .margin(st.px(MARGIN_PX))
        .margin_right(st.px(MARGIN_RIGHT_PX))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x, y)?;
    let fmt_x = |v: &f64| compact(*v);
    let fmt_y = |v: &f64| {
        let r = v.round();
        if r < 0.0 || r >= n as f64 {
            return String::new();
        }
        names[n - 1 - r as usize].clone()
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(st.stroke(palette::GRID, THIN_PX))
        .axis_style(st.stroke(AXIS, THIN_PX))
        .set_all_tick_mark_size(st.px(TICK_PX))
        .label_style(label_style)
        .x_label_formatter(&fmt_x)
        .y_label_formatter(&fmt_y)
        .draw()?;

    chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
        let y = row_y(i);
        Rectangle::new([(0.0, y - 0.35), (r.count as f64, y + 0.35)], BLUE.filled())
    }))?;
    let gap = st.px(4.0);
    chart.draw_series(rows.iter().zip(&pcts).enumerate().map(|(i, (r, p))| {
        EmptyElement::at((r.count as f64, row_y(i)))
            + Text::new(p.clone(), (gap, 0), value_style.clone())
    }))?;
    Ok(())
}

/// The channel rows to draw: non-zero, largest first (ties by name, so the order is stable),
/// at most `max_rows`, the smallest channels merged into one `other` row when there are more.
fn channel_rows(channels: &[Share], max_rows: usize, other: &str) -> Vec<Share> {
    let mut rows: Vec<Share> = channels.iter().filter(|c| c.count > 0).cloned().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    let max_rows = max_rows.max(1);
    if rows.len() > max_rows {
        let keep = max_rows.saturating_sub(1).max(1);
        let rest = rows.split_off(keep);
        if max_rows > 1 {
            rows.push(Share {
                name: format!("{other} ({})", rest.len()),
                count: rest.iter().map(|r| r.count).fold(0, u64::saturating_add),
                percent: rest.iter().map(|r| r.percent).sum(),
            });
            // The merged row can outgrow the kept ones; keep the bars sorted.
            rows.sort_by_key(|r| std::cmp::Reverse(r.count));
        }
    }
    rows
}

fn frt<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    st: &Style,
) -> DrawResult<(), DB> {
    let d = &report.frt_distribution;
    let max = d.iter().map(|s| s.count).max().unwrap_or(0) as f64;
    if max <= 0.0 {
        return st.empty(area);
    }
    let labels: Vec<String> = d.iter().map(|s| s.name.clone()).collect();
    // 15 % headroom for the count written above the tallest bar.
    let mut chart = bucket_chart(area, st, &labels, d.len(), max * 1.15)?;
    chart.draw_series(
        d.iter()
            .enumerate()
            .filter(|(_, s)| s.count > 0)
            .map(|(i, s)| bar(i, s.count as f64, GREEN)),
    )?;
    let value_style = st
        .font(VALUE_PX, TEXT)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let lift = -st.px(3.0);
    chart.draw_series(d.iter().enumerate().map(|(i, s)| {
        EmptyElement::at((i as f64, s.count as f64))
            + Text::new(compact(s.count as f64), (0, lift), value_style.clone())
    }))?;
    Ok(())
}

fn backlog<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    st: &Style,
) -> DrawResult<(), DB> {
    let b = &report.series.backlog;
    let n = b.len();
    let max = b.iter().copied().max().unwrap_or(0) as f64;
    if n == 0 || max <= 0.0 {
        return st.empty(area);
    }
    let labels = bucket_labels(report, n);
    let mut chart = bucket_chart(area, st, &labels, n, max)?;
    let points: Vec<(f64, f64)> = (0..n).map(|i| (i as f64, at(b, i))).collect();
    chart.draw_series(
        AreaSeries::new(points.iter().copied(), 0.0, VERMILLION.mix(0.18))
            .border_style(st.stroke(VERMILLION, LINE_PX)),
    )?;
    // Markers show where the buckets are; a single bucket would otherwise be invisible.
    if n <= MAX_MARKED_POINTS {
        chart.draw_series(
            points
                .iter()
                .map(|&p| Circle::new(p, st.upx(MARKER_PX), VERMILLION.filled())),
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Legend

/// How a legend entry shows its series.
enum Mark {
    /// A filled square, for bars.
    Bar(RGBColor),
    /// A short line with a dot, for lines with markers.
    Line(RGBColor),
}

/// Draws `items` in one row, right-aligned with the plot, vertically centred in `area`.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    items: &[(&str, Mark)],
) -> DrawResult<(), DB> {
    let style = st
        .font(LABEL_PX, TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (w, h) = area.dim_in_pixel();
    let swatch = st.px(12.0);
    let gap = st.px(5.0);
    let spacing = st.px(16.0);
    let mut widths = Vec::with_capacity(items.len());
    for (text, _) in items {
        widths.push(area.estimate_text_size(text, &style)?.0 as i32);
    }
    let total: i32 = widths.iter().map(|tw| swatch + gap + tw).sum::<i32>()
        + spacing * (items.len() as i32 - 1).max(0);
    let mut x = (w as i32 - st.px(MARGIN_RIGHT_PX) - total).max(st.px(MARGIN_PX));
    let cy = h as i32 / 2;
    for ((text, mark), tw) in items.iter().zip(widths) {
        match mark {
            Mark::Bar(c) => area.draw(&Rectangle::new(
                [(x, cy - swatch / 2), (x + swatch, cy + swatch / 2)],
                c.filled(),
            ))?,
            Mark::Line(c) => {
                area.draw(&PathElement::new(
                    vec![(x, cy), (x + swatch, cy)],
                    st.stroke(*c, LINE_PX),
                ))?;
                area.draw(&Circle::new(
                    (x + swatch / 2, cy),
                    st.upx(MARKER_PX),
                    c.filled(),
                ))?;
            }
        }
        area.draw_text(text, &style, (x + swatch + gap, cy))?;
        x += swatch + gap + tw + spacing;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Bucket;
    use crate::report::{PeriodInfo, Series, FRT_LABELS};

    // ---- building reports by hand ----

    fn report() -> Report {
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

    fn share(name: &str, count: u64, percent: f64) -> Share {
        Share {
            name: name.into(),
            count,
            percent,
        }
    }

    /// `n` daily labels from 2026-03-01.
    fn days(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
                    + chrono::Days::new(i as u64);
                d.format("%Y-%m-%d").to_string()
            })
            .collect()
    }

    fn with_series(created: &[u64], solved: &[u64], backlog: &[u64]) -> Report {
        let mut r = report();
        let n = created.len().max(solved.len()).max(backlog.len());
        r.series.labels = days(n);
        r.series.created = created.to_vec();
        r.series.solved = solved.to_vec();
        r.series.backlog = backlog.to_vec();
        r
    }

    fn svg(kind: ChartKind, r: &Report) -> String {
        to_svg(kind, r, &Theme::default(), 800, 400)
    }

    // ---- reading the SVG back ----

    /// One SVG element: its tag, attributes and (for `<text>`) content.
    #[derive(Debug)]
    struct El {
        tag: String,
        attrs: Vec<(String, String)>,
        text: String,
    }

    impl El {
        fn get(&self, k: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.as_str())
        }
        fn num(&self, k: &str) -> f64 {
            self.get(k).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
        }
    }

    /// Parses the flat element list plotters' SVG backend writes (one element per line).
    fn elements(svg: &str) -> Vec<El> {
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

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    /// Filled rectangles of colour `c`.
    fn rects(svg: &str, c: RGBColor) -> Vec<El> {
        elements(svg)
            .into_iter()
            .filter(|e| e.tag == "rect" && e.get("fill") == Some(hex(c).as_str()))
            .collect()
    }

    /// Filled circles of colour `c`.
    fn dots(svg: &str, c: RGBColor) -> usize {
        elements(svg)
            .iter()
            .filter(|e| e.tag == "circle" && e.get("fill") == Some(hex(c).as_str()))
            .count()
    }

    fn texts(svg: &str) -> Vec<El> {
        elements(svg)
            .into_iter()
            .filter(|e| e.tag == "text")
            .collect()
    }

    fn text_of<'a>(els: &'a [El], s: &str) -> Option<&'a El> {
        els.iter().find(|e| e.text == s)
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
            assert!(!a.is_empty(), "{kind:?}: no stroked elements");
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
        // Series of different lengths, labels missing.
        let mut ragged = with_series(&[1, 2, 3], &[4], &[5, 6]);
        ragged.series.labels.truncate(1);
        let one = with_series(&[1], &[0], &[1]);
        let sizes = [(0, 0), (1, 1), (60, 40), (2000, 30), (30, 2000), (800, 400)];
        let scales = [1.0, 0.0, -1.0, f64::NAN, f64::INFINITY, 3.0, 1e9];
        for r in [&big, &ragged, &one, &report()] {
            for kind in ChartKind::ALL {
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
}

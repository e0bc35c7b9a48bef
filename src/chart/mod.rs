//! Charts, drawn by functions generic over `plotters::DrawingBackend`: the browser passes a
//! canvas backend, tests and exports pass an SVG backend. Chart code never creates a canvas.
//!
//! Layout decisions that depend on text size (how many x labels fit, how wide the channel-name
//! column is) ask the backend through `DrawingArea::estimate_text_size`: on the canvas that is
//! the browser's real font metrics, natively it is plotters' rough estimate. Every size is a CSS
//! pixel value multiplied by [`Theme::scale`], so the same chart is crisp at any
//! `devicePixelRatio`.
//!
//! Every text a chart writes besides the data comes from [`Theme`] (English by default, the page
//! passes translations as [`Labels`]). The charts of one KPI (trend and sparkline) live in
//! `kpi`, the busiest-hours grid in `heatmap`, the ratings in `satisfaction`.

use crate::adapters::sort;
use crate::kpi::catalogue;
use crate::report::{Report, Share};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;
use std::fmt;
use std::ops::Range;

mod heatmap;
mod kpi;
mod satisfaction;

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
    /// Busiest hours: tickets created per weekday (rows from the week start) and hour.
    Heatmap,
    /// Satisfied and dissatisfied ratings per bucket, stacked.
    Satisfaction,
    /// One KPI (a catalogue key) per bucket, with its target and benchmarks as lines.
    KpiTrend(&'static str),
    /// One KPI over the last trend periods as a tiny line without axes, for table cells.
    Sparkline(&'static str),
}

impl ChartKind {
    /// Every chart drawn from the report alone, in page order (the per-KPI charts
    /// [`ChartKind::KpiTrend`] and [`ChartKind::Sparkline`] also need a key).
    pub const ALL: [ChartKind; 6] = [
        ChartKind::Volume,
        ChartKind::Channels,
        ChartKind::FrtDistribution,
        ChartKind::Backlog,
        ChartKind::Heatmap,
        ChartKind::Satisfaction,
    ];

    /// Reads the chart name used by the page: `volume`, `channels`, `frt`, `backlog`,
    /// `heatmap`, `satisfaction`, `kpi:<key>` or `kpi-spark:<key>` for a KPI key of the
    /// catalogue (`kpi:frt`). Unknown names and keys give `None`.
    pub fn parse(s: &str) -> Option<ChartKind> {
        if let Some(key) = s.strip_prefix("kpi:") {
            return catalogue::find(key).map(|d| ChartKind::KpiTrend(d.key));
        }
        if let Some(key) = s.strip_prefix("kpi-spark:") {
            return catalogue::find(key).map(|d| ChartKind::Sparkline(d.key));
        }
        Some(match s {
            "volume" => ChartKind::Volume,
            "channels" => ChartKind::Channels,
            "frt" => ChartKind::FrtDistribution,
            "backlog" => ChartKind::Backlog,
            "heatmap" => ChartKind::Heatmap,
            "satisfaction" => ChartKind::Satisfaction,
            _ => return None,
        })
    }
}

/// The name [`ChartKind::parse`] reads (`volume`, `kpi:frt`, …).
impl fmt::Display for ChartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartKind::Volume => f.write_str("volume"),
            ChartKind::Channels => f.write_str("channels"),
            ChartKind::FrtDistribution => f.write_str("frt"),
            ChartKind::Backlog => f.write_str("backlog"),
            ChartKind::Heatmap => f.write_str("heatmap"),
            ChartKind::Satisfaction => f.write_str("satisfaction"),
            ChartKind::KpiTrend(key) => write!(f, "kpi:{key}"),
            ChartKind::Sparkline(key) => write!(f, "kpi-spark:{key}"),
        }
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
    /// Legend label of the satisfied ratings, already translated.
    pub satisfied_label: String,
    /// Legend label of the dissatisfied ratings, already translated.
    pub dissatisfied_label: String,
    /// Label of the target line in KPI charts, already translated.
    pub target_label: String,
    /// Row names of the heatmap, already translated and ordered from the report's week start
    /// (the default is English from Monday; see [`english_weekdays`] for other week starts).
    pub weekdays: [String; 7],
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
            satisfied_label: "Satisfied".into(),
            dissatisfied_label: "Dissatisfied".into(),
            target_label: "target".into(),
            weekdays: english_weekdays(0),
        }
    }
}

/// Short English weekday names starting from `week_start` (0 = Monday … 6 = Sunday; larger
/// values wrap), the order of [`Report::heatmap`]'s rows.
pub fn english_weekdays(week_start: u8) -> [String; 7] {
    const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    std::array::from_fn(|i| NAMES[(i + week_start as usize) % 7].to_string())
}

/// Translated chart texts as the page passes them: every key optional, absent keys keep the
/// theme's text. `weekdays` holds seven names from the report's week start.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Labels {
    /// Legend label of created tickets.
    pub created: Option<String>,
    /// Legend label of solved tickets.
    pub solved: Option<String>,
    /// Name of the merged row of small channels.
    pub other: Option<String>,
    /// Legend label of satisfied ratings.
    pub satisfied: Option<String>,
    /// Legend label of dissatisfied ratings.
    pub dissatisfied: Option<String>,
    /// Label of the target line.
    pub target: Option<String>,
    /// Heatmap row names, from the week start.
    pub weekdays: Option<Vec<String>>,
    /// Text shown when a chart has nothing to draw.
    pub empty: Option<String>,
}

impl Labels {
    /// Sets the given texts on `theme`. Fails, leaving `theme` unchanged, when `weekdays` does
    /// not hold exactly seven names.
    pub fn apply(self, theme: &mut Theme) -> Result<(), String> {
        let weekdays = match self.weekdays {
            None => None,
            Some(days) => Some(<[String; 7]>::try_from(days).map_err(|days| {
                format!(
                    "labels.weekdays should hold 7 names from the week start; found {}",
                    days.len()
                )
            })?),
        };
        let texts = [
            (self.created, &mut theme.created_label),
            (self.solved, &mut theme.solved_label),
            (self.other, &mut theme.other_label),
            (self.satisfied, &mut theme.satisfied_label),
            (self.dissatisfied, &mut theme.dissatisfied_label),
            (self.target, &mut theme.target_label),
            (self.empty, &mut theme.empty_text),
        ];
        for (given, field) in texts {
            if let Some(text) = given {
                *field = text;
            }
        }
        if let Some(days) = weekdays {
            theme.weekdays = days;
        }
        Ok(())
    }
}

/// Draws `kind` for `report` onto `area`.
///
/// Fills the area white, draws [`Theme::title`] on top when it is non-empty, then the chart, or
/// [`Theme::empty_text`] centred when the report has nothing to show for this chart. An area too
/// small to hold axes gets the title and no chart rather than an error.
///
/// A [`ChartKind::Sparkline`] is made for table cells: it has no title and no empty text (a
/// KPI without values draws nothing), and it is drawn in areas far smaller than the others.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    report: &Report,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let st = Style::new(theme);
    if let ChartKind::Sparkline(key) = kind {
        return kpi::sparkline(area, report, key, &st);
    }
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
        ChartKind::Heatmap => heatmap::heatmap(&body, report, &st),
        ChartKind::Satisfaction => satisfaction::satisfaction(&body, report, &st),
        ChartKind::KpiTrend(key) => kpi::kpi_trend(&body, report, key, &st),
        ChartKind::Sparkline(_) => unreachable!("drawn above"),
    }
}

/// Renders a chart to an SVG document (exports and tests).
pub fn to_svg(kind: ChartKind, report: &Report, theme: &Theme, width: u32, height: u32) -> String {
    let mut out = String::new();
    {
        // In the browser through the canvas backend's type, so the wasm holds one copy of the
        // charts (see `crate::canvas`); natively plotters' SVG backend itself.
        #[cfg(target_arch = "wasm32")]
        let root = crate::canvas::Canvas::svg(&mut out, (width, height)).into_drawing_area();
        #[cfg(not(target_arch = "wasm32"))]
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
    bucket_chart_with(area, st, labels, n, Axis::counts(max), &|v| compact(*v))
}

/// [`bucket_chart`] with any y axis, its tick labels written by `fmt_y`.
fn bucket_chart_with<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    st: &Style,
    labels: &[String],
    n: usize,
    y: Axis,
    fmt_y: &dyn Fn(&f64) -> String,
) -> DrawResult<Chart<'a, DB>, DB> {
    let label_style = st.font(LABEL_PX, TEXT);
    let y_texts: Vec<String> = y.ticks.iter().map(fmt_y).collect();
    let y_area = st.widest(area, &y_texts, &label_style)? + 3 * st.px(TICK_PX);
    let x_area = st.line_height(area, &label_style)? + 3 * st.px(TICK_PX);

    let (w, _) = area.dim_in_pixel();
    let plot_w = w as i32 - y_area - st.px(MARGIN_PX) - st.px(MARGIN_RIGHT_PX);
    // Measure the longest few labels, not just one: with a real font "2026-03-11" and
    // "2026-03-04" differ in width. Not all of them: in the browser each measurement is a DOM
    // layout, and a year of daily buckets would be 365 of them.
    let mut longest: Vec<&String> = labels.iter().collect();
    sort::sort_by_key(&mut longest, |l| -(l.chars().count() as i64));
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
    bar_between(i, 0.0, v, color)
}

/// A vertical bar for bucket `i` from `lo` to `hi` (a segment of a stacked bar).
fn bar_between(i: usize, lo: f64, hi: f64, color: RGBColor) -> Rectangle<(f64, f64)> {
    let x = i as f64;
    Rectangle::new([(x - BAR_HALF, lo), (x + BAR_HALF, hi)], color.filled())
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

    let plot_area = with_legend(
        area,
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
    sort::sort_by(&mut rows, |a, b| {
        b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name))
    });
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
            sort::sort_by_key(&mut rows, |r| -(r.count as i64));
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
/// Draws `items` as a legend in its own strip above the plot, so it can never hide a bar, and
/// returns the area left for the plot.
fn with_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    items: &[(&str, Mark)],
) -> DrawResult<DrawingArea<DB, Shift>, DB> {
    let legend_style = st.font(LABEL_PX, TEXT);
    let legend_h = st.line_height(area, &legend_style)? + st.px(8.0);
    let (legend_area, plot_area) = area.split_vertically(legend_h);
    legend(&legend_area, st, items)?;
    Ok(plot_area)
}

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
mod tests;

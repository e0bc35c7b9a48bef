//! The browser facade: a thin wasm-bindgen layer over the pure core. Everything here converts
//! between JS values and core types; no KPI logic lives here.

use crate::chart::{self, ChartKind, Labels, Theme};
use crate::ingest::{self, Dataset, IngestOptions};
use crate::report::{self, ReportOptions};
use plotters::prelude::IntoDrawingArea;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

fn js_error(e: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&e.to_string()).into()
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_error)
}

/// Installs the panic hook so an engine panic shows in the console with its message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// One loaded export and the report options applied to it.
#[wasm_bindgen]
pub struct Engine {
    data: Option<Dataset>,
    report: Option<report::Report>,
    /// What `report` keeps for the next report on the same data (per-ticket business times,
    /// feedback words). Every load sets `report` to `None`, and `report` clears this cache when
    /// it finds no report, so a cache never outlives its dataset.
    cache: report::ReportCache,
    /// A streamed import in progress (`begin_load` … `feed` … `finish_load`); the loaded data
    /// stays until it finishes well.
    feed: Option<ingest::Feed>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Engine {
    /// An engine with no data.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine {
            data: None,
            report: None,
            cache: report::ReportCache::new(),
            feed: None,
        }
    }

    /// Loads an export. `fallback_timezone` is the viewer's zone for naive timestamps when the
    /// file names none. Returns the import report; on error the previous data stays loaded.
    pub fn load(
        &mut self,
        bytes: &[u8],
        fallback_timezone: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let opts = IngestOptions {
            now: (js_sys::Date::now() / 1000.0) as i64,
            fallback_timezone,
            ..Default::default()
        };
        let data = ingest::load(bytes, &opts).map_err(js_error)?;
        let import = to_js(&data.import)?;
        self.data = Some(data);
        self.report = None;
        // The per-ticket values cached for reports belonged to the data just replaced.
        self.cache.clear();
        Ok(import)
    }

    /// Loads one or more files of one export (a vendor's tickets with their comments, users or
    /// metrics are joined by id). `names[i]` is the name of `contents[i]`, a `Uint8Array`.
    /// `format_override` names the format (`zendesk`, `csv`, …; empty or `auto` detects it,
    /// see `import_formats`); `csv_mapping` is `{field: column}` for CSV input (the report's
    /// `csv.mapping`, as edited by the user) or `null`. Returns the import report; on error the
    /// previous data stays loaded.
    pub fn load_files(
        &mut self,
        names: Vec<String>,
        contents: js_sys::Array,
        fallback_timezone: Option<String>,
        format_override: Option<String>,
        csv_mapping: JsValue,
    ) -> Result<JsValue, JsValue> {
        use wasm_bindgen::JsCast;
        if names.len() != contents.length() as usize {
            return Err(js_error(format!(
                "{} file names for {} files: expected one name per file",
                names.len(),
                contents.length()
            )));
        }
        let mut files = Vec::with_capacity(names.len());
        for (name, bytes) in names.into_iter().zip(contents.iter()) {
            let bytes = bytes.dyn_into::<js_sys::Uint8Array>().map_err(|_| {
                js_error(format!("the contents of {name:?} should be a Uint8Array"))
            })?;
            files.push((name, bytes.to_vec()));
        }
        let opts = ingest_options(fallback_timezone, format_override, csv_mapping)?;
        let data = ingest::load_files(&files, &opts).map_err(js_error)?;
        let import = to_js(&data.import)?;
        self.data = Some(data);
        self.report = None;
        // The per-ticket values cached for reports belonged to the data just replaced.
        self.cache.clear();
        Ok(import)
    }

    /// Starts a streamed import of one file: `name`, its `size` in bytes (`File.size`), the
    /// options as `load_files`. The page then calls `feed` with each chunk as it is read and
    /// `finish_load` at the end: canonical JSON is parsed chunk by chunk and never held whole
    /// (up to 4 GB); other formats are collected and read at the end (up to 1.5 GB). Throws
    /// at once when the size is over the limit.
    pub fn begin_load(
        &mut self,
        name: String,
        size: f64,
        fallback_timezone: Option<String>,
        format_override: Option<String>,
        csv_mapping: JsValue,
    ) -> Result<(), JsValue> {
        self.feed = None;
        let opts = ingest_options(fallback_timezone, format_override, csv_mapping)?;
        // `File.size` is an exact integer below 2^53; the cast saturates anything stranger.
        self.feed = Some(ingest::Feed::new(&name, size as u64, opts).map_err(js_error)?);
        Ok(())
    }

    /// Feeds the next chunk of the file started by `begin_load`; returns the records read so
    /// far. On an error the import is over (the loaded data stays).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<u32, JsValue> {
        let feed = self
            .feed
            .as_mut()
            .ok_or_else(|| js_error("no import in progress: call begin_load first"))?;
        match feed.push(chunk) {
            Ok(()) => Ok(feed.records().min(u32::MAX as usize) as u32),
            Err(e) => {
                self.feed = None;
                Err(js_error(e))
            }
        }
    }

    /// Ends the import started by `begin_load` and returns its import report; on error the
    /// previous data stays loaded.
    pub fn finish_load(&mut self) -> Result<JsValue, JsValue> {
        let feed = self
            .feed
            .take()
            .ok_or_else(|| js_error("no import in progress: call begin_load first"))?;
        let data = feed.finish().map_err(js_error)?;
        let import = to_js(&data.import)?;
        self.data = Some(data);
        self.report = None;
        // The per-ticket values cached for reports belonged to the data just replaced.
        self.cache.clear();
        Ok(import)
    }

    /// Reads the file started by `begin_load` in parallel with helper workers (see
    /// `ingest::parallel`): stop before the first ticket record that starts at or after byte
    /// `offset`, where the first helper's part starts.
    pub fn split_load_at(&mut self, offset: f64) {
        if let Some(feed) = &mut self.feed {
            feed.split_at(offset as u64);
        }
    }

    /// Whether the file being loaded is read as a stream (canonical JSON, known once its first
    /// 64 KiB were fed): only such a file can be read in parallel.
    pub fn load_streams(&self) -> bool {
        self.feed.as_ref().is_some_and(|f| f.streams())
    }

    /// The byte where the import stopped for the helpers' parts, or -1 while it reads on.
    pub fn load_stopped_at(&self) -> f64 {
        self.feed
            .as_ref()
            .and_then(|f| f.stopped_at())
            .map_or(-1.0, |o| o as f64)
    }

    /// Takes a helper's part (the bytes of `LoadPart.finish`), in file order; false when it
    /// does not start where reading stopped, and then no later part may be taken either.
    pub fn take_part(&mut self, part: &[u8]) -> bool {
        self.feed.as_mut().is_some_and(|f| f.take_part(part))
    }

    /// Goes on after the parts: returns the byte the next chunk fed must start at, or -1 to
    /// go on feeding where the feeding was (no part was taken).
    pub fn resume_load(&mut self) -> f64 {
        self.feed
            .as_mut()
            .and_then(|f| f.resume())
            .map_or(-1.0, |o| o as f64)
    }

    /// Drops an import in progress (the user cancelled it).
    pub fn cancel_load(&mut self) {
        self.feed = None;
    }

    /// The dataset's own context: name, timezone, week start, as a plain object.
    pub fn dataset_info(&self) -> Result<JsValue, JsValue> {
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| js_error("no data loaded"))?;
        #[derive(Serialize)]
        struct Info<'a> {
            name: Option<&'a str>,
            timezone: Option<&'a str>,
            week_start: Option<u8>,
            tickets: usize,
        }
        to_js(&Info {
            name: data.meta.name.as_deref(),
            timezone: data.meta.timezone.as_deref(),
            week_start: data.meta.week_start,
            tickets: data.store.len(),
        })
    }

    /// Computes the report for `options` (see `ReportOptions`) and returns it.
    pub fn report(&mut self, options: JsValue) -> Result<JsValue, JsValue> {
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| js_error("no data loaded"))?;
        let opts: ReportOptions = if options.is_undefined() || options.is_null() {
            ReportOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(js_error)?
        };
        if self.report.is_none() {
            // No report since the last load (or ever): the cache may hold another dataset's.
            self.cache.clear();
        }
        let r = report::build_cached(data, &opts, &mut self.cache).map_err(js_error)?;
        let out = to_js(&r)?;
        self.report = Some(r);
        Ok(out)
    }

    /// One row per ticket for `options` (as in `report`): the tickets its filters select that
    /// were created or resolved in its period, with first response and resolution times
    /// (calendar and business seconds), SLA verdicts and the satisfaction score, oldest first
    /// (`report::TicketRow`). The page's per-ticket CSV export.
    pub fn ticket_rows(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| js_error("no data loaded"))?;
        let opts: ReportOptions = if options.is_undefined() || options.is_null() {
            ReportOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(js_error)?
        };
        to_js(&report::ticket_rows(data, &opts).map_err(js_error)?)
    }

    /// Draws chart `kind` of the last report into `canvas`, whose pixel size the page has
    /// already set to CSS size × `scale`. Kinds: `volume`, `channels`, `frt`, `backlog`,
    /// `heatmap`, `satisfaction`, `kpi:<key>` (one KPI per bucket with its target and
    /// benchmarks) and `kpi-spark:<key>` (a KPI's trend for a table cell), `<key>` a catalogue
    /// KPI key.
    pub fn draw(
        &self,
        kind: &str,
        canvas: HtmlCanvasElement,
        scale: f64,
        title: String,
        empty_text: String,
    ) -> Result<(), JsValue> {
        let labels = Labels {
            empty: Some(empty_text),
            ..Labels::default()
        };
        self.draw_labelled(kind, canvas, scale, title, labels)
    }

    /// `draw` with the chart's texts translated: `labels` is `null`, `undefined` or a plain
    /// object with any of the keys `created`, `solved`, `other`, `satisfied`, `dissatisfied`,
    /// `target`, `empty` (strings) and `weekdays` (seven names from the report's week start).
    /// Absent keys keep the English text; an unknown key or a wrong number of weekdays throws.
    pub fn draw_with(
        &self,
        kind: &str,
        canvas: HtmlCanvasElement,
        scale: f64,
        title: String,
        labels: JsValue,
    ) -> Result<(), JsValue> {
        self.draw_labelled(kind, canvas, scale, title, labels_from(labels)?)
    }

    /// Takes a report computed by another engine (a Web Worker's `report()`, passed over as a
    /// plain object) as this engine's last report, so this one can draw its charts: the page's
    /// main thread holds no data, only the canvases. Reads the parts the charts use (period week
    /// start, series, channels, FRT distribution, heatmap, KPI rows with targets and
    /// benchmarks); KPI keys outside the catalogue are ignored.
    pub fn set_report(&mut self, report: JsValue) -> Result<(), JsValue> {
        let input: ChartInput = serde_wasm_bindgen::from_value(report)
            .map_err(|e| js_error(format!("report for the charts: {e}")))?;
        // A report from elsewhere says nothing about this engine's data: keep no cache across it.
        self.cache.clear();
        self.report = Some(input.into_report());
        Ok(())
    }

    /// The last report's chart `kind` as an SVG document.
    pub fn chart_svg(
        &self,
        kind: &str,
        width: u32,
        height: u32,
        title: String,
    ) -> Result<String, JsValue> {
        self.chart_svg_with(kind, width, height, title, JsValue::UNDEFINED)
    }

    /// `chart_svg` with the chart's texts translated: `labels` as in `draw_with`.
    pub fn chart_svg_with(
        &self,
        kind: &str,
        width: u32,
        height: u32,
        title: String,
        labels: JsValue,
    ) -> Result<String, JsValue> {
        let (r, kind, theme) = self.chart_setup(kind, title, labels_from(labels)?)?;
        Ok(chart::to_svg(kind, r, &theme, width, height))
    }
}

/// The parts of a serialised [`report::Report`] that the charts read (`Engine::set_report`).
#[derive(serde::Deserialize)]
struct ChartInput {
    period: ChartPeriod,
    series: ChartSeries,
    #[serde(default)]
    channels: Vec<ChartShare>,
    #[serde(default)]
    frt_distribution: Vec<ChartShare>,
    #[serde(default)]
    heatmap: Vec<Vec<u64>>,
    #[serde(default)]
    kpis: Vec<ChartKpi>,
}

#[derive(serde::Deserialize)]
struct ChartPeriod {
    #[serde(default)]
    week_start: u8,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ChartSeries {
    labels: Vec<String>,
    created: Vec<u64>,
    solved: Vec<u64>,
    backlog: Vec<u64>,
    net_flow: Vec<i64>,
    satisfied: Vec<u64>,
    dissatisfied: Vec<u64>,
    kpis: std::collections::BTreeMap<String, Vec<Option<f64>>>,
}

#[derive(serde::Deserialize)]
struct ChartShare {
    name: String,
    count: u64,
    percent: f64,
}

#[derive(serde::Deserialize)]
struct ChartKpi {
    key: String,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    trend: Vec<Option<f64>>,
    #[serde(default)]
    target: Option<ChartTarget>,
    #[serde(default)]
    benchmarks: Vec<ChartBenchmark>,
}

#[derive(serde::Deserialize)]
struct ChartTarget {
    target: f64,
    #[serde(default)]
    met: bool,
    #[serde(default)]
    progress: f64,
    #[serde(default)]
    previously_met: Option<bool>,
}

#[derive(serde::Deserialize)]
struct ChartBenchmark {
    label: String,
    value: f64,
}

impl ChartInput {
    fn into_report(self) -> report::Report {
        use crate::kpi::catalogue;
        let share = |s: ChartShare| report::Share {
            name: s.name,
            count: s.count,
            percent: s.percent,
        };
        let s = self.series;
        report::Report {
            period: report::PeriodInfo {
                week_start: self.period.week_start,
                ..Default::default()
            },
            series: report::Series {
                labels: s.labels,
                created: s.created,
                solved: s.solved,
                backlog: s.backlog,
                net_flow: s.net_flow,
                satisfied: s.satisfied,
                dissatisfied: s.dissatisfied,
                kpis: s
                    .kpis
                    .into_iter()
                    .filter_map(|(k, v)| catalogue::find(&k).map(|d| (d.key, v)))
                    .collect(),
            },
            channels: self.channels.into_iter().map(share).collect(),
            frt_distribution: self.frt_distribution.into_iter().map(share).collect(),
            heatmap: self.heatmap,
            kpis: self
                .kpis
                .into_iter()
                .filter_map(|k| {
                    let def = *catalogue::find(&k.key)?;
                    Some(report::KpiRow {
                        def,
                        now: catalogue::Measured {
                            value: k.value,
                            ..Default::default()
                        },
                        missing: None,
                        previous: None,
                        change: None,
                        change_percent: None,
                        trend: k.trend,
                        target: k.target.map(|t| report::TargetStatus {
                            target: t.target,
                            met: t.met,
                            progress: t.progress,
                            previously_met: t.previously_met,
                        }),
                        benchmarks: k
                            .benchmarks
                            .into_iter()
                            .map(|b| report::Benchmark {
                                label: b.label,
                                value: b.value,
                            })
                            .collect(),
                        note: None,
                    })
                })
                .collect(),
            ..Default::default()
        }
    }
}

/// The `labels` object of `draw_with` and `chart_svg_with` (`null` or `undefined`: none).
/// Import options from the page's values: the viewer's timezone for naive times, the chosen
/// format (`None`, empty or `auto` detects it), the CSV column mapping (`null` for automatic).
fn ingest_options(
    fallback_timezone: Option<String>,
    format: Option<String>,
    csv_mapping: JsValue,
) -> Result<IngestOptions, JsValue> {
    let csv_mapping = if csv_mapping.is_undefined() || csv_mapping.is_null() {
        None
    } else {
        Some(serde_wasm_bindgen::from_value(csv_mapping).map_err(js_error)?)
    };
    Ok(IngestOptions {
        now: (js_sys::Date::now() / 1000.0) as i64,
        fallback_timezone,
        format,
        csv_mapping,
    })
}

fn labels_from(labels: JsValue) -> Result<Labels, JsValue> {
    if labels.is_undefined() || labels.is_null() {
        return Ok(Labels::default());
    }
    // Through JSON so unknown keys are seen: read straight into `Labels`, serde-wasm-bindgen
    // looks up the known keys only.
    let json: serde_json::Value = serde_wasm_bindgen::from_value(labels).map_err(js_error)?;
    serde_json::from_value(json).map_err(|e| js_error(format!("chart labels: {e}")))
}

impl Engine {
    /// The last report, the parsed chart `kind` and its theme: English weekday names from the
    /// report's week start, then the page's `labels`.
    fn chart_setup(
        &self,
        kind: &str,
        title: String,
        labels: Labels,
    ) -> Result<(&report::Report, ChartKind, Theme), JsValue> {
        let r = self
            .report
            .as_ref()
            .ok_or_else(|| js_error("no report computed yet"))?;
        let kind =
            ChartKind::parse(kind).ok_or_else(|| js_error(format!("unknown chart {kind:?}")))?;
        let mut theme = Theme {
            title,
            weekdays: chart::english_weekdays(r.period.week_start),
            ..Theme::default()
        };
        labels.apply(&mut theme).map_err(js_error)?;
        Ok((r, kind, theme))
    }

    fn draw_labelled(
        &self,
        kind: &str,
        canvas: HtmlCanvasElement,
        scale: f64,
        title: String,
        labels: Labels,
    ) -> Result<(), JsValue> {
        let (r, kind, theme) = self.chart_setup(kind, title, labels)?;
        let theme = Theme { scale, ..theme };
        let backend = crate::canvas::Canvas::new(canvas)
            .ok_or_else(|| js_error("the canvas has no 2d context"))?;
        let root = backend.into_drawing_area();
        chart::draw(&root, kind, r, &theme).map_err(js_error)?;
        root.present().map_err(js_error)
    }
}

/// The import formats the page can offer as a manual override: `[{key, name}]`, `auto` not
/// included.
#[wasm_bindgen]
pub fn import_formats() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct F {
        key: &'static str,
        name: &'static str,
    }
    let list: Vec<F> = crate::adapters::Format::ALL
        .iter()
        .map(|f| F {
            key: f.key(),
            name: f.name(),
        })
        .collect();
    to_js(&list)
}

/// Checks the size of the files the user picked before the page reads them: `bytes` is their
/// total size (`File.size` summed), `files` how many there are. Throws the message to show
/// ("the file is 4.2 GB: the widget can read files up to 4 GB") when they are too large; one
/// file may be as large as a streamed import reads (`begin_load`), several together as large
/// as `load_files` reads.
/// One part of a canonical file read by a helper worker for the main worker's engine
/// (`Engine.split_load_at`, `Engine.take_part`; the protocol is in `ingest::parallel`).
#[wasm_bindgen]
pub struct LoadPart {
    inner: ingest::PartReader,
}

#[wasm_bindgen]
impl LoadPart {
    /// A part that starts at byte `start` (found by `part_start`) and stops before the first
    /// record that starts at or after byte `limit` (a negative limit: the end of the tickets).
    #[wasm_bindgen(constructor)]
    pub fn new(start: f64, limit: f64) -> LoadPart {
        LoadPart {
            inner: ingest::PartReader::new(start as u64, (limit >= 0.0).then_some(limit as u64)),
        }
    }

    /// Feeds the next bytes, from `start` on; true once the part needs no more.
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        self.inner.push(chunk)
    }

    /// Records read so far.
    pub fn records(&self) -> u32 {
        self.inner.records().min(u32::MAX as usize) as u32
    }

    /// The part, as bytes for `Engine.take_part`.
    pub fn finish(self) -> Vec<u8> {
        self.inner.finish()
    }
}

/// Where a helper's part starts in `window`: bytes of the file from `part_lookback()` bytes
/// before its cut point (or from the start) to `part_window()` bytes after it, `cut` being the
/// cut point's index in it. -1 when no ticket record starts there.
#[wasm_bindgen]
pub fn part_start(window: &[u8], cut: u32) -> f64 {
    ingest::part_start(window, cut as usize).map_or(-1.0, |i| i as f64)
}

/// How many bytes from its cut point a helper looks at for where its part starts.
#[wasm_bindgen]
pub fn part_window() -> u32 {
    ingest::PART_WINDOW as u32
}

/// How many bytes before its cut point a helper also looks at.
#[wasm_bindgen]
pub fn part_lookback() -> u32 {
    ingest::PART_LOOKBACK as u32
}

#[wasm_bindgen]
pub fn check_file_size(bytes: f64, files: u32) -> Result<(), JsValue> {
    // `File.size` is an exact integer below 2^53; the cast saturates anything stranger.
    ingest::check_input_size(bytes as u64, files.max(1) as usize).map_err(js_error)
}

/// Panics on purpose, with `message`: the browser tests' way to make the engine fail as a bug
/// would (a wasm trap, after which the instance cannot be trusted) and check that the widget
/// shows the error and recovers with a fresh engine. The page reaches it only through its
/// test hook (the worker's `crash` message), never from data.
#[wasm_bindgen]
pub fn panic_for_test(message: String) {
    panic!("{message}");
}

/// The built-in sample export (canonical JSON), generated from a fixed seed: the demo's data and
/// a downloadable example of the format.
#[wasm_bindgen]
pub fn sample_export(tickets: u32, seed: u32) -> String {
    crate::sample::generate_json(&crate::sample::SampleSpec {
        tickets: tickets as usize,
        seed: seed as u64,
        ..crate::sample::SampleSpec::default()
    })
}

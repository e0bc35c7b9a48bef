//! The browser facade (`src/web.rs`) exercised for real in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown` (runner and browser set up by `.cargo/config.toml`
//! and `webdriver.json`). Every value crosses the JS boundary exactly as the page receives it.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use ticket_kpis::web::{sample_export, Engine};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Four records: three tickets in UTC and one without a usable `created_at` (skipped).
///
/// Hand-computed for the default period (2026-03-02 … 2026-03-03, the days with activity):
/// - created 3; first replies 600 s (T1) and 3 600 s (T2), T3 awaiting → median 2 100 s,
///   p90 3 300 s, mean 2 100 s;
/// - solved T1 (7 200 s) and T2 (86 400 s) → resolution rate 2 / 3, median 46 800 s;
/// - CSAT: T1 5/5 satisfied, T2 2/5 not → 1 / 2 = 50 %;
/// - open at period end: T3 → 1.
const FIXTURE: &str = r#"{
  "dataset": {"name": "web facade fixture", "timezone": "UTC",
              "agents": [{"id": "a1", "name": "Ana"}, {"id": "a2", "name": "Bo"}]},
  "tickets": [
    {"id": "T1", "created_at": "2026-03-02T09:00:00Z", "channel": "email", "assignee": "a1",
     "status": "solved", "first_reply_at": "2026-03-02T09:10:00Z",
     "solved_at": "2026-03-02T11:00:00Z", "satisfaction": {"score": 5, "scale": 5}},
    {"id": "T2", "created_at": "2026-03-02T10:00:00Z", "channel": "chat", "assignee": "a2",
     "status": "solved", "first_reply_at": "2026-03-02T11:00:00Z",
     "solved_at": "2026-03-03T10:00:00Z", "satisfaction": {"score": 2, "scale": 5}},
    {"id": "T3", "created_at": "2026-03-03T08:00:00Z", "channel": "email", "assignee": "a1",
     "status": "open"},
    {"id": "T4", "created_at": "yesterday", "channel": "email"}
  ]
}"#;

/// The JS value as JSON, for assertions (it is a plain object: the facade serialises with
/// `json_compatible`).
fn json(v: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(v.clone()).expect("a JSON-compatible value")
}

fn error_message(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|v| format!("{v:?}"))
}

fn loaded() -> Engine {
    let mut engine = Engine::new();
    engine
        .load(FIXTURE.as_bytes(), Some("Europe/Istanbul".into()))
        .expect("the fixture loads");
    engine
}

fn tile<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["tiles"]
        .as_array()
        .expect("tiles is an array")
        .iter()
        .find(|t| t["key"] == key)
        .unwrap_or_else(|| panic!("no tile {key}"))
}

/// Pixels of `canvas` that are not (near) white, and the total.
fn inked_pixels(canvas: &HtmlCanvasElement) -> (usize, usize) {
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let (w, h) = (canvas.width(), canvas.height());
    let data = ctx
        .get_image_data(0.0, 0.0, w as f64, h as f64)
        .expect("getImageData")
        .data();
    let inked = data
        .chunks_exact(4)
        .filter(|p| p[3] > 0 && (p[0] < 235 || p[1] < 235 || p[2] < 235))
        .count();
    (inked, (w * h) as usize)
}

fn canvas_in_document(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

#[wasm_bindgen_test]
fn load_returns_the_import_report() {
    let mut engine = Engine::new();
    let import = engine
        .load(FIXTURE.as_bytes(), Some("Europe/Istanbul".into()))
        .expect("the fixture loads");
    assert!(import.is_object());
    let r = json(&import);
    assert!(
        r["format"].as_str().unwrap().contains("envelope"),
        "format: {}",
        r["format"]
    );
    assert_eq!(r["records"], 4);
    assert_eq!(r["tickets"], 3);
    assert_eq!(r["skipped"], 1);
    // The dataset's own zone wins over the viewer's fallback.
    assert_eq!(r["timezone"], "UTC");
    let warnings = r["warnings"].as_array().unwrap();
    let skip = warnings
        .iter()
        .find(|w| w["skipped"] == true)
        .expect("a skipped-record warning");
    assert_eq!(skip["count"], 1);
    assert!(skip["message"].as_str().unwrap().contains("created_at"));
    assert!(skip["examples"][0].as_str().unwrap().contains("T4"));
    assert_eq!(r["fields"]["created_at"], 3);

    let info = json(&engine.dataset_info().unwrap());
    assert_eq!(info["name"], "web facade fixture");
    assert_eq!(info["tickets"], 3);
}

#[wasm_bindgen_test]
fn report_tiles_match_hand_computation() {
    let mut engine = loaded();
    let js = engine.report(JsValue::UNDEFINED).expect("report");
    // The page reads plain objects and arrays, not Maps.
    let tiles = js_sys::Reflect::get(&js, &"tiles".into()).unwrap();
    assert!(js_sys::Array::is_array(&tiles));
    let r = json(&js);

    assert_eq!(r["period"]["from"], "2026-03-02");
    assert_eq!(r["period"]["to"], "2026-03-03");
    assert!(r["period"]["bucket"].is_string());
    assert_eq!(r["tickets_in_dataset"], 3);

    assert_eq!(tile(&r, "created")["value"], 3.0);
    let frt = tile(&r, "frt");
    assert_eq!(frt["unit"], "seconds");
    assert_eq!(frt["value"], 2100.0);
    assert_eq!(frt["summary"]["count"], 2);
    assert_eq!(frt["summary"]["p90"], 3300.0);
    assert_eq!(frt["summary"]["mean"], 2100.0);
    assert_eq!(frt["note"], "1 awaiting first reply");
    assert_eq!(tile(&r, "resolution_time")["value"], 46800.0);
    let rate = tile(&r, "resolution_rate");
    assert_eq!(rate["ratio"]["numerator"], 2);
    assert_eq!(rate["ratio"]["denominator"], 3);
    assert!((rate["value"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(tile(&r, "backlog")["value"], 1.0);
    let csat = tile(&r, "csat");
    assert_eq!(csat["value"], 50.0);
    assert_eq!(csat["missing"], Value::Null);

    let by_day = js_sys::JSON::parse(r#"{"bucket": "day"}"#).unwrap();
    let r = json(&engine.report(by_day).unwrap());
    assert_eq!(r["period"]["bucket"], "day");
    assert_eq!(
        r["series"]["labels"],
        serde_json::json!(["2026-03-02", "2026-03-03"])
    );
    assert_eq!(r["series"]["created"], serde_json::json!([2, 1]));
    assert_eq!(r["series"]["solved"], serde_json::json!([1, 1]));
    assert_eq!(r["series"]["backlog"], serde_json::json!([1, 1]));
    assert_eq!(r["agents"][0]["name"], "Ana");
    assert_eq!(r["agents"][0]["tickets"], 2);

    // Options pass through: one channel only, without re-reading the file.
    let opts = js_sys::JSON::parse(r#"{"channels": ["chat"], "bucket": "week"}"#).unwrap();
    let chat = json(&engine.report(opts).unwrap());
    assert_eq!(tile(&chat, "created")["value"], 1.0);
    assert_eq!(chat["period"]["bucket"], "week");

    // A bad option is an error with the engine's message, and the engine stays usable.
    let bad = js_sys::JSON::parse(r#"{"bucket": "fortnight"}"#).unwrap();
    let msg = error_message(engine.report(bad).unwrap_err());
    assert!(msg.contains("fortnight"), "{msg}");
    assert!(engine.report(JsValue::NULL).is_ok());
}

#[wasm_bindgen_test]
fn draw_puts_pixels_on_a_real_canvas() {
    let mut engine = loaded();
    let canvas = canvas_in_document(480, 270);
    let err = engine
        .draw("volume", canvas.clone(), 1.0, "t".into(), "empty".into())
        .unwrap_err();
    assert!(error_message(err).contains("no report"));

    engine.report(JsValue::UNDEFINED).unwrap();
    for kind in ["volume", "channels", "frt", "backlog"] {
        let canvas = canvas_in_document(480, 270);
        engine
            .draw(
                kind,
                canvas.clone(),
                1.0,
                format!("{kind} chart"),
                "No data".into(),
            )
            .unwrap_or_else(|e| panic!("draw {kind}: {}", error_message(e)));
        let (inked, total) = inked_pixels(&canvas);
        assert!(
            inked > 0,
            "chart {kind}: all {total} pixels are white (nothing drawn)"
        );
    }
    // A HiDPI canvas (scale 2) draws too.
    let canvas = canvas_in_document(960, 540);
    engine
        .draw(
            "volume",
            canvas.clone(),
            2.0,
            "Volume".into(),
            "No data".into(),
        )
        .unwrap();
    assert!(inked_pixels(&canvas).0 > 0);

    let err = engine
        .draw("pie", canvas, 1.0, String::new(), String::new())
        .unwrap_err();
    assert!(error_message(err).contains("pie"));

    let svg = engine
        .chart_svg("backlog", 400, 200, "Backlog".into())
        .unwrap();
    assert!(svg.contains("<svg"), "{svg:.200}");
}

#[wasm_bindgen_test]
fn malformed_json_says_line_and_column_and_keeps_the_data() {
    let mut engine = loaded();
    let bad = b"[\n  {\"id\": \"T1\",\n   \"created_at\": }\n]";
    let msg = error_message(engine.load(bad, None).unwrap_err());
    assert!(msg.contains("line"), "{msg}");
    assert!(msg.contains("column"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");

    let truncated = &FIXTURE.as_bytes()[..FIXTURE.len() / 2];
    let msg = error_message(engine.load(truncated, None).unwrap_err());
    assert!(msg.contains("line") && msg.contains("column"), "{msg}");

    // The previous data stays loaded.
    let r = json(&engine.report(JsValue::UNDEFINED).unwrap());
    assert_eq!(tile(&r, "created")["value"], 3.0);

    let msg = error_message(engine.load(b"   ", None).unwrap_err());
    assert!(msg.contains("empty"), "{msg}");
}

#[wasm_bindgen_test]
fn sample_export_loads() {
    let text = sample_export(300, 7);
    assert_eq!(
        text,
        sample_export(300, 7),
        "the same seed gives the same bytes"
    );
    let mut engine = Engine::new();
    let import = json(
        &engine
            .load(text.as_bytes(), Some("UTC".into()))
            .unwrap_or_else(|e| panic!("sample load: {}", error_message(e))),
    );
    assert!(import["tickets"].as_u64().unwrap() > 0, "{import}");
    assert_eq!(import["skipped"], 0, "{import}");
    let r = json(&engine.report(JsValue::UNDEFINED).unwrap());
    assert!(tile(&r, "created")["value"].as_f64().unwrap() > 0.0);
    assert!(!r["all_channels"].as_array().unwrap().is_empty());
}

/// Streams `bytes` into `engine` in chunks of `chunk` bytes, as the widget's worker does.
fn stream_in(engine: &mut Engine, bytes: &[u8], chunk: usize) -> Result<JsValue, JsValue> {
    engine.begin_load(
        "fixture.json".into(),
        bytes.len() as f64,
        Some("Europe/Istanbul".into()),
        None,
        JsValue::NULL,
    )?;
    let mut records = 0;
    for part in bytes.chunks(chunk) {
        let now = engine.feed(part)?;
        assert!(now >= records, "the record count only grows");
        records = now;
    }
    engine.finish_load()
}

#[wasm_bindgen_test]
fn a_streamed_file_gives_the_same_import_and_report() {
    let mut whole = loaded();
    let expected_report = json(&whole.report(JsValue::UNDEFINED).unwrap());
    for chunk in [1, 7, 64, 4096] {
        let mut engine = Engine::new();
        let import = json(
            &stream_in(&mut engine, FIXTURE.as_bytes(), chunk)
                .unwrap_or_else(|e| panic!("chunks of {chunk}: {}", error_message(e))),
        );
        assert_eq!(import["tickets"], 3, "{import}");
        assert_eq!(import["skipped"], 1, "{import}");
        let r = json(&engine.report(JsValue::UNDEFINED).unwrap());
        assert_eq!(r, expected_report, "chunks of {chunk}");
    }
    // The sample streams too, and reports the tickets read so far while it does.
    let text = sample_export(2_000, 5);
    let mut engine = Engine::new();
    engine
        .begin_load(
            "sample.json".into(),
            text.len() as f64,
            None,
            None,
            JsValue::NULL,
        )
        .unwrap();
    let half = text.len() / 2;
    let records = engine.feed(&text.as_bytes()[..half]).unwrap();
    assert!(
        records > 500 && records < 2_000,
        "{records} records after half the file"
    );
    engine.feed(&text.as_bytes()[half..]).unwrap();
    let import = json(&engine.finish_load().unwrap());
    assert_eq!(import["tickets"], 2_000, "{import}");
}

#[wasm_bindgen_test]
fn a_streamed_error_keeps_the_data_and_ends_the_import() {
    let mut engine = loaded();
    let bad = b"[\n  {\"id\": \"T1\",\n   \"created_at\": }\n]";
    let msg = error_message(stream_in(&mut engine, bad, 5).unwrap_err());
    assert_eq!(msg, "not valid JSON at line 3, column 18: expected value");
    // The import is over: feeding again needs a new begin_load.
    let msg = error_message(engine.feed(b"[]").unwrap_err());
    assert!(msg.contains("begin_load"), "{msg}");
    // The previous data stays loaded.
    let r = json(&engine.report(JsValue::UNDEFINED).unwrap());
    assert_eq!(tile(&r, "created")["value"], 3.0);
    // Too large for the browser: refused before any byte.
    let msg = error_message(
        engine
            .begin_load("huge.json".into(), 5e9, None, None, JsValue::NULL)
            .unwrap_err(),
    );
    assert_eq!(
        msg,
        "the file is 5 GB: the widget can read files up to 4 GB"
    );
}

/// The widget's parallel reading through the facade: a `LoadPart` reads the second half of a
/// sample in its own right (as a helper worker's engine does), the engine stops where that part
/// starts, takes it and reads on; import report and report equal those of one reader.
#[wasm_bindgen_test]
fn a_file_read_in_two_parts_gives_the_same_import_and_report() {
    use ticket_kpis::web::{part_lookback, part_start, LoadPart};
    let text = sample_export(3_000, 8);
    let bytes = text.as_bytes();
    let mut single = Engine::new();
    let expected_import = json(&stream_in(&mut single, bytes, 65_536).unwrap());
    let expected_report = json(&single.report(JsValue::UNDEFINED).unwrap());

    let cut = bytes.len() / 2;
    let from = cut - part_lookback() as usize;
    let found = part_start(&bytes[from..], (cut - from) as u32);
    assert!(found >= 0.0, "a record starts after the cut");
    let start = from + found as usize;
    let mut part = LoadPart::new(start as f64, -1.0);
    for chunk in bytes[start..].chunks(65_536) {
        if part.push(chunk) {
            break;
        }
    }
    assert!(part.records() > 0);
    let part = part.finish();

    let mut engine = Engine::new();
    engine
        .begin_load(
            "fixture.json".into(),
            bytes.len() as f64,
            Some("Europe/Istanbul".into()),
            None,
            JsValue::NULL,
        )
        .unwrap();
    engine.split_load_at(cut as f64);
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + 65_536).min(bytes.len());
        engine.feed(&bytes[at..end]).unwrap();
        at = end;
        if engine.load_stopped_at() >= 0.0 {
            assert_eq!(
                engine.load_stopped_at(),
                start as f64,
                "stopped where the part starts"
            );
            assert!(engine.take_part(&part), "the part is taken");
            let next = engine.resume_load();
            assert!(next > start as f64, "reading goes on after the part");
            at = next as usize;
        }
    }
    let import = json(&engine.finish_load().unwrap());
    assert_eq!(import, expected_import);
    assert_eq!(
        json(&engine.report(JsValue::UNDEFINED).unwrap()),
        expected_report
    );
    // Bytes that are not a part are refused.
    let mut other = Engine::new();
    other
        .begin_load(
            "x.json".into(),
            bytes.len() as f64,
            None,
            None,
            JsValue::NULL,
        )
        .unwrap();
    assert!(!other.take_part(b"not a part"));
}

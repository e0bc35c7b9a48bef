//! The sample generator, the example files and the format documentation, held together:
//! - `examples/sample-tickets.json` is exactly what the generator writes with the defaults;
//! - it (and every hand-written example) loads through the ingest without skipped records;
//! - the generator is deterministic and its data behaves like a real help desk;
//! - `docs/ticket-schema.json` names exactly the fields the reader reads, and the examples
//!   validate against it.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use ticket_kpis::ingest::{self, Dataset, IngestOptions, RawAgent, RawCustomers, RawDataset};
use ticket_kpis::kpi::CATALOGUE;
use ticket_kpis::raw::{RawMessage, RawQueue, RawSatisfaction, RawStatusChange, RawTicket};
use ticket_kpis::report::{self, ReportOptions};
use ticket_kpis::sample::{self, SampleSpec};
use ticket_kpis::store::{Role, Status, NONE};
use ticket_kpis::time::{self, NO_TIME};

fn project_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(project_file(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn load(bytes: &[u8]) -> Dataset {
    let opts = IngestOptions {
        now: sample::exported_at(),
        ..IngestOptions::default()
    };
    ingest::load(bytes, &opts).expect("the export loads")
}

/// Loads and insists on a clean import: nothing skipped, no warning.
fn load_clean(bytes: &[u8]) -> Dataset {
    let data = load(bytes);
    assert_eq!(
        data.import.skipped, 0,
        "skipped: {:#?}",
        data.import.warnings
    );
    assert!(
        data.import.warnings.is_empty(),
        "warnings: {:#?}",
        data.import.warnings
    );
    data
}

fn median(mut v: Vec<i64>) -> i64 {
    assert!(!v.is_empty(), "median of nothing");
    v.sort_unstable();
    v[v.len() / 2]
}

// ---------------------------------------------------------------------------------------------
// The example file and the generator.

#[test]
fn example_file_is_the_generators_default_output() {
    let file = read("examples/sample-tickets.json");
    let generated = sample::generate_json(&SampleSpec::default());
    if file != generated.as_bytes() {
        let at = file
            .iter()
            .zip(generated.as_bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(file.len().min(generated.len()));
        panic!(
            "examples/sample-tickets.json differs from the generator's output at byte {at} \
             (file {} bytes, generator {} bytes); regenerate it with \
             `cargo run --bin gen-sample -- --out examples/sample-tickets.json`",
            file.len(),
            generated.len()
        );
    }
}

#[test]
fn example_file_loads_cleanly_with_its_dataset_context() {
    let data = load_clean(&read("examples/sample-tickets.json"));
    assert_eq!(data.import.records, 1_500);
    assert_eq!(data.import.tickets, 1_500);
    assert_eq!(
        data.import.format,
        "canonical tickets (JSON with dataset envelope)"
    );
    let m = &data.meta;
    assert_eq!(m.timezone.as_deref(), Some("Europe/Amsterdam"));
    assert_eq!(m.week_start, Some(0));
    assert_eq!(m.exported_at, Some(sample::exported_at()));
    assert!(m.active_customers.is_some_and(|c| c >= 600.0));
    assert!(m.targets.as_ref().is_some_and(Value::is_object));
    assert!(m.calendar.as_ref().is_some_and(Value::is_object));
    assert!(m.benchmarks.as_ref().is_some_and(Value::is_array));
    // The roster: eight agents, all named, one who left and one who joined in the history.
    let s = &data.store;
    assert_eq!(s.agents.len(), 8);
    assert!(s
        .agent_info
        .iter()
        .all(|a| !a.name.is_empty() && a.team.is_some()));
    assert!(s.agent_info.iter().any(|a| a.name == "Ayşe Yılmaz"));
    assert!(s.agent_info.iter().any(|a| a.name == "سارا رحیمی"));
    let first_day = time::utc_to_local(s.created[0], tz()).div_euclid(86_400);
    let leavers: Vec<_> = s
        .agent_info
        .iter()
        .filter(|a| a.end_day.is_some())
        .collect();
    assert_eq!(leavers.len(), 1);
    assert!(leavers[0].end_day.unwrap() > first_day);
    assert!(s
        .agent_info
        .iter()
        .any(|a| a.start_day.is_some_and(|d| d > first_day)));
    // Every canonical field the generator means to fill is present somewhere.
    for field in [
        "id",
        "created_at",
        "channel",
        "status",
        "priority",
        "assignee",
        "team",
        "requester",
        "requester.tier",
        "tags",
        "first_reply_at",
        "first_solved_at",
        "solved_at",
        "closed_at",
        "reopens",
        "agent_replies",
        "escalated",
        "complaint",
        "messages",
        "status_history",
        "satisfaction",
        "nps",
        "effort",
        "queue",
        "converted",
        "order_value",
    ] {
        assert!(
            data.import.fields.get(field).is_some_and(|&n| n > 0),
            "no ticket carries {field}"
        );
    }
}

#[test]
fn ndjson_output_loads_to_the_same_tickets() {
    let spec = SampleSpec {
        tickets: 400,
        seed: 11,
        weeks: 3,
    };
    let mut nd = Vec::new();
    sample::write_ndjson(&spec, &mut nd).unwrap();
    assert_eq!(nd.iter().filter(|&&b| b == b'\n').count(), 400);
    let a = load_clean(&nd);
    let b = load_clean(sample::generate_json(&spec).as_bytes());
    assert_eq!(
        a.import.format,
        "canonical tickets (NDJSON, one ticket per line)"
    );
    assert_eq!(a.store.id, b.store.id);
    assert_eq!(a.store.created, b.store.created);
    assert_eq!(a.store.first_reply, b.store.first_reply);
    assert_eq!(a.store.solved, b.store.solved);
    assert_eq!(a.store.status, b.store.status);
    assert_eq!(a.store.rating, b.store.rating);
}

#[test]
fn generator_is_deterministic_and_seeded() {
    let spec = |seed, tickets, weeks| SampleSpec {
        tickets,
        seed,
        weeks,
    };
    let a = sample::generate_json(&spec(42, 300, 4));
    assert_eq!(a, sample::generate_json(&spec(42, 300, 4)));
    assert_ne!(a, sample::generate_json(&spec(43, 300, 4)));
    assert_ne!(a, sample::generate_json(&spec(42, 301, 4)));
    assert_ne!(a, sample::generate_json(&spec(42, 300, 5)));
    // Streaming writes the same bytes as the in-memory string.
    let mut streamed = Vec::new();
    sample::write_json(&spec(42, 300, 4), &mut streamed).unwrap();
    assert_eq!(streamed, a.as_bytes());
}

#[test]
fn edge_sizes_load() {
    // No tickets: still a valid envelope (the reader then reports that it holds none).
    let empty = sample::generate_json(&SampleSpec {
        tickets: 0,
        seed: 1,
        weeks: 1,
    });
    let v: Value = serde_json::from_str(&empty).unwrap();
    assert_eq!(v["tickets"], Value::Array(Vec::new()));
    // A long history crosses DST changes and holidays, and stays warning-free.
    let data = load_clean(
        sample::generate_json(&SampleSpec {
            tickets: 3_000,
            seed: 5,
            weeks: 60,
        })
        .as_bytes(),
    );
    assert_eq!(data.store.len(), 3_000);
    let holidays = &data.meta.calendar.as_ref().unwrap()["holidays"];
    assert!(holidays.as_array().is_some_and(|h| h.len() >= 7));
}

// ---------------------------------------------------------------------------------------------
// Realism.

fn tz() -> ticket_kpis::tz::Tz {
    time::parse_tz("Europe/Amsterdam").unwrap()
}

#[test]
fn sample_behaves_like_a_help_desk() {
    let data = load_clean(
        sample::generate_json(&SampleSpec {
            tickets: 20_000,
            seed: 7,
            weeks: 8,
        })
        .as_bytes(),
    );
    let s = &data.store;
    let n = s.len();
    let tz = tz();
    let channel = |name: &str| s.channels.get(name).expect(name);

    // Speed by channel: live channels in minutes, written ones in hours.
    let frt = |ch: u32| {
        median(
            (0..n)
                .filter(|&r| s.channel[r] == ch && s.first_reply[r] != NO_TIME)
                .map(|r| s.first_reply[r] - s.created[r])
                .collect(),
        )
    };
    let (chat, phone, email, web) = (
        frt(channel("chat")),
        frt(channel("phone")),
        frt(channel("email")),
        frt(channel("web")),
    );
    assert!(chat < 15 * 60, "chat median FRT {chat} s");
    assert!(phone < 5 * 60, "phone median FRT {phone} s");
    assert!(
        email > 3_600 && email > 10 * chat,
        "email median FRT {email} s"
    );
    assert!(web > 3_600, "web median FRT {web} s");
    // Urgent tickets are answered faster than low-priority ones.
    let by_priority = |p: &str| {
        let p = s.priorities.get(p).unwrap();
        median(
            (0..n)
                .filter(|&r| s.priority[r] == p && s.first_reply[r] != NO_TIME)
                .map(|r| s.first_reply[r] - s.created[r])
                .collect(),
        )
    };
    assert!(by_priority("urgent") < by_priority("low"));

    // Arrivals: weekdays busier than weekends, Monday busiest, office hours busiest.
    let mut per_weekday = [0usize; 7];
    let mut office = 0;
    for &c in &s.created {
        let local = time::utc_to_local(c, tz);
        let wd = (local.div_euclid(86_400) + 3).rem_euclid(7) as usize;
        per_weekday[wd] += 1;
        let hour = local.rem_euclid(86_400) / 3_600;
        if wd < 5 && (9..17).contains(&hour) {
            office += 1;
        }
    }
    let weekday_avg = per_weekday[..5].iter().sum::<usize>() / 5;
    let weekend_avg = per_weekday[5..].iter().sum::<usize>() / 2;
    assert!(weekday_avg > 2 * weekend_avg, "{per_weekday:?}");
    assert!(
        per_weekday[0] > *per_weekday[1..].iter().max().unwrap(),
        "{per_weekday:?}"
    );
    assert!(office * 2 > n, "only {office} of {n} in office hours");

    // Backlog: some tickets open at the export, mostly recent ones.
    let open: Vec<usize> = (0..n).filter(|&r| !s.status[r].is_resolved()).collect();
    assert!(
        !open.is_empty() && open.len() * 10 < n,
        "{} open",
        open.len()
    );
    let last_week = sample::exported_at() - 7 * 86_400;
    let recent = open.iter().filter(|&&r| s.created[r] >= last_week).count();
    assert!(
        recent * 2 > open.len(),
        "{recent} of {} open are recent",
        open.len()
    );
    assert!(open.iter().any(|&r| s.status[r] == Status::New));
    assert!(open.iter().any(|&r| s.status[r] == Status::Pending));
    assert!(open.iter().any(|&r| s.agent[r] == NONE));

    // Outcomes and surveys.
    let solved = (0..n).filter(|&r| s.status[r].is_resolved()).count();
    let rated = s.rating.iter().filter(|r| r.is_some()).count();
    let share = rated as f64 / solved as f64;
    assert!(
        (0.2..0.4).contains(&share),
        "{rated} ratings of {solved} solved"
    );
    let satisfied = s.rating.iter().flatten().filter(|r| r.satisfied()).count();
    let csat = satisfied as f64 / rated as f64;
    assert!((0.7..0.95).contains(&csat), "CSAT {csat}");
    assert!(s.survey_offered.iter().filter(|&&o| o).count() > 2 * rated);
    assert!(s.comment.iter().any(|&c| c != NONE));
    assert!(s.nps.iter().any(|&v| v >= 0) && s.effort.iter().any(|&v| v >= 0));
    let reopened = s
        .reopens
        .iter()
        .filter(|&&r| r > 0 && r != u32::MAX)
        .count();
    assert!(reopened * 100 > solved * 2 && reopened * 100 < solved * 15);
    let escalated = s.escalated.iter().filter(|&&e| e == Some(true)).count();
    assert!(escalated * 100 > n * 3 && escalated * 100 < n * 20);
    assert!(s.converted.contains(&Some(true)));
    assert!(s.order_value.iter().any(|v| v.is_finite() && *v > 0.0));

    // Queues only on live channels, with some abandons.
    for r in 0..n {
        if s.queue_wait[r] != NO_TIME {
            let ch = s.channels.name(s.channel[r]);
            assert!(ch == "chat" || ch == "phone", "queue on {ch}");
        }
    }
    let abandoned = s.abandoned.iter().filter(|&&a| a == Some(true)).count();
    assert!(abandoned > 0);

    // Conversations: first reply is the first public agent message; notes and bots exist.
    let mut notes = 0;
    let mut bots = 0;
    for r in 0..n {
        let msgs = s.messages.of(r);
        let first = msgs
            .iter()
            .find(|m| m.is_agent_reply())
            .map_or(NO_TIME, |m| m.at);
        assert_eq!(first, s.first_reply[r], "ticket {}", s.id[r]);
        assert_eq!(msgs.first().map(|m| m.role), Some(Role::Customer));
        notes += msgs
            .iter()
            .filter(|m| m.role == Role::Agent && !m.public)
            .count();
        bots += msgs.iter().filter(|m| m.role == Role::Bot).count();
    }
    assert!(notes > 0 && bots > 0);

    // Everyone is represented: four languages, three tiers, three teams, five channels.
    assert_eq!(s.languages.len(), 4);
    assert_eq!(s.tiers.len(), 3);
    assert_eq!(s.teams.len(), 3);
    assert_eq!(s.channels.len(), 5);
}

#[test]
fn sample_feeds_every_kpi_of_the_report() {
    let data = load_clean(&read("examples/sample-tickets.json"));
    for basis in ["calendar", "business"] {
        let opts = ReportOptions {
            time_basis: Some(basis.into()),
            ..ReportOptions::default()
        };
        let r = report::build(&data, &opts).expect("the sample's targets and calendar are read");
        assert!(r.missing.is_empty(), "{basis}: {:#?}", r.missing);
        let unsupported: Vec<_> = r
            .kpis
            .iter()
            .filter(|k| k.missing.is_some())
            .map(|k| (k.def.key, k.missing.clone()))
            .collect();
        assert!(unsupported.is_empty(), "{basis}: {unsupported:#?}");
        let targeted: Vec<_> = r
            .kpis
            .iter()
            .filter(|k| k.target.is_some())
            .map(|k| k.def.key)
            .collect();
        assert_eq!(targeted.len(), 5, "{targeted:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written examples of the other layouts.

#[test]
fn plain_array_with_unix_and_naive_local_times_loads() {
    let data = load(&read("examples/array-unix-and-local.json"));
    assert_eq!(data.import.format, "canonical tickets (JSON array)");
    assert_eq!((data.import.skipped, data.store.len()), (0, 3));
    // The only remark: naive times were read as UTC, since a bare array names no timezone.
    let w = &data.import.warnings;
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0]
        .message
        .starts_with("timestamps without a timezone were read as UTC"));
    let s = &data.store;
    // Unix seconds, Unix milliseconds and a naive local time all read.
    assert_eq!(s.created[0], 1_772_442_900);
    assert_eq!(s.first_reply[0], 1_772_444_700);
    assert_eq!(s.created[1], 1_772_446_500);
    assert_eq!(
        s.created[2],
        time::days_from_civil(2026, 3, 2) * 86_400 + 11 * 3_600
    );
    assert_eq!(s.first_reply[2], s.created[2] + 1_800);
}

#[test]
fn ndjson_example_loads() {
    let data = load_clean(&read("examples/tickets.ndjson"));
    assert_eq!(
        data.import.format,
        "canonical tickets (NDJSON, one ticket per line)"
    );
    assert_eq!(data.store.len(), 3);
    assert_eq!(data.store.first_reply[0] - data.store.created[0], 720);
}

#[test]
fn binary_satisfaction_example_loads() {
    let data = load_clean(&read("examples/binary-satisfaction.json"));
    let s = &data.store;
    assert_eq!(data.meta.timezone.as_deref(), Some("Europe/Istanbul"));
    assert_eq!(s.len(), 3);
    let ratings: Vec<_> = s.rating.iter().map(|r| r.map(|r| r.satisfied())).collect();
    assert_eq!(ratings, [Some(true), Some(false), None]);
    assert!(s.rating.iter().flatten().all(|r| r.scale == 1.0));
    assert_eq!(s.survey_offered, [true, true, true]);
    // Naive local times were read in the dataset's timezone (UTC+3).
    assert_eq!(
        s.created[0],
        time::days_from_civil(2026, 2, 23) * 86_400 + 9 * 3_600 - 3 * 3_600
    );
}

// ---------------------------------------------------------------------------------------------
// The schema against the reader.

/// The field names a serde-derived struct asks for, read from its `Deserialize` impl.
fn serde_fields<'de, T: Deserialize<'de>>() -> BTreeSet<String> {
    struct Probe<'a>(&'a mut Option<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = Some(fields);
            Err(de::Error::custom("probed"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields = None;
    let _ = T::deserialize(Probe(&mut fields));
    fields
        .expect("a struct with named fields")
        .iter()
        .map(|f| f.to_string())
        .collect()
}

fn schema() -> Value {
    serde_json::from_slice(&read("docs/ticket-schema.json")).expect("the schema is JSON")
}

fn schema_properties(schema: &Value, def: &str) -> BTreeSet<String> {
    let props = &schema["$defs"][def]["properties"];
    let obj = props
        .as_object()
        .unwrap_or_else(|| panic!("$defs/{def} has no properties"));
    obj.keys().cloned().collect()
}

#[test]
fn schema_names_exactly_the_fields_the_reader_reads() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let pairs = [
        ("ticket", serde_fields::<RawTicket>()),
        ("message", serde_fields::<RawMessage>()),
        ("status_change", serde_fields::<RawStatusChange>()),
        ("satisfaction", serde_fields::<RawSatisfaction>()),
        ("queue", serde_fields::<RawQueue>()),
        ("dataset", serde_fields::<RawDataset>()),
        ("agent", serde_fields::<RawAgent>()),
        ("customers", serde_fields::<RawCustomers>()),
    ];
    for (def, read_fields) in pairs {
        assert!(!read_fields.is_empty(), "probe failed for {def}");
        let documented = schema_properties(&schema, def);
        let undocumented: Vec<_> = read_fields.difference(&documented).collect();
        let unread: Vec<_> = documented.difference(&read_fields).collect();
        assert!(
            undocumented.is_empty() && unread.is_empty(),
            "$defs/{def}: read but not in the schema {undocumented:?}; in the schema but not \
             read {unread:?}"
        );
    }
    // A person reference is hand-deserialised: check each documented key changes what is read.
    for key in schema_properties(&schema, "person_object") {
        let json = format!(r#"{{"assignee": {{"{key}": "x"}}}}"#);
        let t: RawTicket = serde_json::from_str(&json).unwrap();
        assert_ne!(
            t.assignee,
            Default::default(),
            "person key {key:?} is not read"
        );
    }
    // Every ticket property, given some value, is really picked up by the reader.
    for key in schema_properties(&schema, "ticket") {
        let json = format!(r#"{{"{key}": "x"}}"#);
        let t: RawTicket = serde_json::from_str(&json).unwrap();
        assert_ne!(t, RawTicket::default(), "ticket key {key:?} is not read");
    }
    // Targets are keyed by the KPI catalogue (an unknown key fails the report).
    let mut kpis: BTreeSet<String> = CATALOGUE.iter().map(|d| d.key.to_string()).collect();
    kpis.insert("sla".into());
    assert_eq!(schema_properties(&schema, "targets"), kpis);
    // The envelope keys are the ones the document reader looks for.
    let envelope = schema_properties(&schema, "envelope");
    assert_eq!(
        envelope,
        ["dataset", "format", "tickets"]
            .map(String::from)
            .into_iter()
            .collect()
    );
}

#[test]
fn examples_validate_against_the_schema() {
    let schema = schema();
    let check = |rel: &str, doc: &Value, def: Option<&str>| {
        let target = match def {
            Some(d) => schema["$defs"][d].clone(),
            None => schema.clone(),
        };
        let mut errors = Vec::new();
        validate(&schema, &target, doc, "", true, &mut errors);
        assert!(errors.is_empty(), "{rel} against the schema: {errors:#?}");
    };
    let sample: Value = serde_json::from_slice(&read("examples/sample-tickets.json")).unwrap();
    check("examples/sample-tickets.json", &sample, None);
    for rel in [
        "examples/array-unix-and-local.json",
        "examples/binary-satisfaction.json",
    ] {
        let doc: Value = serde_json::from_slice(&read(rel)).unwrap();
        check(rel, &doc, None);
    }
    let nd = read("examples/tickets.ndjson");
    for line in nd.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let doc: Value = serde_json::from_slice(line).unwrap();
        check("examples/tickets.ndjson", &doc, Some("ticket"));
    }
    // And the validator does reject what it should.
    let mut errors = Vec::new();
    let bad: Value = serde_json::json!([{"created_at": true, "nps": 11, "chanel": "email"}]);
    validate(&schema, &schema, &bad, "", false, &mut errors);
    assert!(!errors.is_empty());
    // Extra vendor keys are fine for the reader, but not in strict mode.
    let extra: Value = serde_json::json!([{"id": 1, "created_at": 1772442900, "x": 1}]);
    let mut lenient = Vec::new();
    validate(&schema, &schema, &extra, "", false, &mut lenient);
    assert!(lenient.is_empty(), "{lenient:?}");
    let mut strict = Vec::new();
    validate(&schema, &schema, &extra, "", true, &mut strict);
    assert!(!strict.is_empty());
}

/// A small JSON Schema validator for the keywords `docs/ticket-schema.json` uses: `$ref`
/// (local), `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `minimum`, `maximum`, `anyOf`; `pattern` only for timestamps and dates, checked with
/// the reader's own parser. `strict` also rejects keys an object's `properties` do not list
/// even where the schema allows extra keys, so generator and example typos are caught.
fn validate(
    root: &Value,
    schema: &Value,
    v: &Value,
    at: &str,
    strict: bool,
    errors: &mut Vec<String>,
) {
    let Some(s) = schema.as_object() else { return };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let path = r.strip_prefix("#/").expect("local $ref");
        let mut target = root;
        for part in path.split('/') {
            target = &target[part];
        }
        assert!(!target.is_null(), "dangling $ref {r}");
        validate(root, target, v, at, strict, errors);
    }
    if let Some(alts) = s.get("anyOf").and_then(Value::as_array) {
        let ok = alts.iter().any(|alt| {
            let mut e = Vec::new();
            validate(root, alt, v, at, strict, &mut e);
            e.is_empty()
        });
        if !ok {
            errors.push(format!("{at}: matches no alternative: {v}"));
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let kind_ok = types.iter().any(|&ty| match ty {
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "string" => v.is_string(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            other => panic!("unknown type {other}"),
        });
        if !kind_ok {
            errors.push(format!("{at}: expected {types:?}, found {v}"));
            return;
        }
    }
    if let Some(allowed) = s.get("enum").and_then(Value::as_array) {
        if !allowed.contains(v) {
            errors.push(format!("{at}: {v} not in {allowed:?}"));
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            errors.push(format!("{at}: expected {c}, found {v}"));
        }
    }
    if let (Some(n), Some(min)) = (v.as_f64(), s.get("minimum").and_then(Value::as_f64)) {
        if n < min {
            errors.push(format!("{at}: {n} below {min}"));
        }
    }
    if let (Some(n), Some(max)) = (v.as_f64(), s.get("maximum").and_then(Value::as_f64)) {
        if n > max {
            errors.push(format!("{at}: {n} above {max}"));
        }
    }
    if let (Some(text), Some(pattern)) = (v.as_str(), s.get("pattern")) {
        if *pattern == root["$defs"]["iso_timestamp"]["pattern"] && time::parse_str(text).is_err() {
            errors.push(format!("{at}: {text:?} is not a timestamp"));
        }
        if *pattern == root["$defs"]["date"]["pattern"] && time::parse_date(text).is_none() {
            errors.push(format!("{at}: {text:?} is not a date"));
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            validate(root, items, item, &format!("{at}/{i}"), strict, errors);
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(required) = s.get("required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                if !obj.contains_key(key) {
                    errors.push(format!("{at}: missing {key:?}"));
                }
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        let extra = s.get("additionalProperties");
        for (key, val) in obj {
            let here = format!("{at}/{key}");
            match (props.and_then(|p| p.get(key)), extra) {
                (Some(p), _) => validate(root, p, val, &here, strict, errors),
                (None, Some(sub @ Value::Object(_))) => {
                    validate(root, sub, val, &here, strict, errors)
                }
                (None, Some(Value::Bool(true))) if !strict => {}
                (None, None) if props.is_none() => {}
                (None, _) => errors.push(format!("{at}: unexpected key {key:?}")),
            }
        }
    }
}

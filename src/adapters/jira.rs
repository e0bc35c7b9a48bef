//! Jira Service Management issue search results (`GET /rest/api/2|3/search`:
//! `{startAt, maxResults, total, issues: [{key, fields}], names}`) or single issues.
//!
//! SLA and satisfaction fields are custom fields whose ids differ between sites, so they are
//! found by name: from the `names` map (`expand=names`) or the name inside an SLA value
//! (`{"name": "Time to first response", "completedCycles": [...], "ongoingCycle": {...}}`).
//! The first reply is the stop time of the first completed cycle of "Time to first response";
//! satisfaction is the "Satisfaction" field's `rating` (1–5). Comments (`fields.comment`) with
//! `jsdPublic: false` are internal; the reporter (the customer who raised the request) and
//! portal-only `customer` accounts write customer comments. The changelog
//! (`expand=changelog`) gives the status history.
//!
//! Status: the service desk's own status names first (Waiting for support → open, Waiting for
//! customer → pending, Resolved → solved, Closed/Canceled/Declined/Done → closed), then the
//! status category (`new`, `indeterminate` → open, `done` → solved).

use super::{get, loose, ls, message, objects, person, rating_score, status_change, text};
use super::{Class, Ctx, Doc, Format, Kind};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawMessage, RawSatisfaction, RawStatusChange, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::HashMap;

fn is_issue(v: &Value) -> bool {
    v.get("key").is_some() && v.get("fields").is_some_and(Value::is_object)
}

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let j = Format::Jira;
    if let Some(i) = v.get("issues").and_then(Value::as_array) {
        if i.iter().all(is_issue) && (v.get("total").is_some() || !i.is_empty()) {
            return Class::tickets(j, "issue search results", i.len());
        }
    }
    if is_issue(v) {
        return Class::tickets(j, "one issue", 1);
    }
    None
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    for (doc, class) in docs {
        if class.kind != Kind::Tickets {
            continue;
        }
        let Some(v) = doc.json() else { continue };
        let names: HashMap<String, String> = v
            .get("names")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, n)| Some((k.clone(), n.as_str()?.to_ascii_lowercase())))
                    .collect()
            })
            .unwrap_or_default();
        let issues: Vec<&Value> = match v.get("issues").and_then(Value::as_array) {
            Some(a) => a.iter().collect(),
            None => vec![v],
        };
        for i in issues {
            let Some(key) = text(i.get("key")) else {
                b.skip_record(
                    "a Jira issue without a \"key\": record skipped",
                    format!("file {}", time::quote(&doc.name)),
                );
                continue;
            };
            let raw = issue(&key, i, &names);
            b.push(Nested::Value(raw));
        }
    }
    ctx.label = Some("Jira Service Management issues".into());
    ctx.hints = vec![
        ("channel", "issue search results carry no request channel"),
        (
            "first_reply_at",
            "include the \"Time to first response\" SLA field, or the comments \
             (fields=comment)",
        ),
        (
            "satisfaction",
            "include the \"Satisfaction\" field in the search (fields=*all)",
        ),
        ("status_history", "search with expand=changelog"),
    ];
    Ok(())
}

/// A custom field's value by the field's name (case-insensitive), from `names` or from the
/// `name` an SLA value carries itself.
fn by_name<'a>(
    fields: &'a Value,
    names: &HashMap<String, String>,
    name: &str,
) -> Option<&'a Value> {
    let o = fields.as_object()?;
    o.iter()
        .find(|(id, v)| {
            names.get(*id).is_some_and(|n| n == name)
                || (id.starts_with("customfield_")
                    && text(v.get("name")).is_some_and(|n| n.eq_ignore_ascii_case(name)))
        })
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

/// An SLA time (`{epochMillis, iso8601, jira, friendly}`) as a timestamp.
fn sla_time(t: Option<&Value>) -> Loose<'static> {
    let Some(t) = t else { return Loose::Absent };
    match t.get("epochMillis") {
        Some(ms) => loose(Some(ms)),
        None => loose(t.get("iso8601").or(t.get("jira"))),
    }
}

fn status_name(name: &str) -> Option<&'static str> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "waiting for support"
        | "open"
        | "reopened"
        | "in progress"
        | "escalated"
        | "work in progress"
        | "under investigation"
        | "to do" => "open",
        "waiting for customer" | "pending" | "waiting for approval" => "pending",
        "waiting for third party" | "waiting for vendor" => "on_hold",
        "resolved" => "solved",
        "closed" | "canceled" | "cancelled" | "declined" | "done" | "completed" => "closed",
        "new" => "new",
        _ => return None,
    })
}

fn issue(key: &str, i: &Value, names: &HashMap<String, String>) -> RawTicket<'static> {
    let f = &i["fields"];
    let category = text(get(f, "status.statusCategory.key")).unwrap_or_default();
    let status = text(get(f, "status.name"))
        .and_then(|n| status_name(&n))
        .or(match category.as_str() {
            "new" => Some("new"),
            "indeterminate" => Some("open"),
            "done" => Some("solved"),
            _ => None,
        });
    let reporter = text(get(f, "reporter.accountId")).or_else(|| text(get(f, "reporter.name")));
    let mut raw = RawTicket {
        id: ls(key),
        created_at: loose(f.get("created")),
        status: status.map_or(Loose::Absent, ls),
        priority: text(get(f, "priority.name")).map_or(Loose::Absent, |p| ls(p.to_lowercase())),
        assignee: person(
            text(get(f, "assignee.accountId")).or_else(|| text(get(f, "assignee.name"))),
            text(get(f, "assignee.displayName")),
        ),
        requester: person(reporter.clone(), text(get(f, "reporter.displayName"))),
        tags: f
            .get("labels")
            .and_then(Value::as_array)
            .map_or(Nested::Absent, |a| {
                Nested::Value(a.iter().filter_map(|x| text(Some(x))).map(ls).collect())
            }),
        subject: loose(f.get("summary")),
        ..Default::default()
    };
    if matches!(status, Some("solved" | "closed")) {
        raw.solved_at = loose(get(f, "resolutiondate"));
    }
    if let Some(sla) = by_name(f, names, "time to first response") {
        let first = sla
            .get("completedCycles")
            .and_then(Value::as_array)
            .and_then(|c| c.first());
        raw.first_reply_at = sla_time(first.and_then(|c| c.get("stopTime")));
    }
    if let Some(s) = by_name(f, names, "satisfaction") {
        if let Some(score) = s.get("rating").and_then(Value::as_f64) {
            raw.satisfaction = Nested::Value(RawSatisfaction {
                at: by_name(f, names, "satisfaction date")
                    .map_or(Loose::Absent, |d| loose(Some(d))),
                ..rating_score(score, 5.0, None)
            });
        }
    }
    if let Some(comments) = get(f, "comment.comments").and_then(Value::as_array) {
        let mut msgs: Vec<Nested<RawMessage<'static>>> =
            vec![message(loose(f.get("created")), "customer", true, None)];
        for c in comments.iter().filter(|c| c.is_object()) {
            let author = text(get(c, "author.accountId")).or_else(|| text(get(c, "author.name")));
            let public = c.get("jsdPublic").and_then(Value::as_bool).unwrap_or(true);
            let customer = author == reporter
                || text(get(c, "author.accountType")).as_deref() == Some("customer");
            let at = loose(c.get("created"));
            msgs.push(if customer {
                message(at, "customer", public, None)
            } else {
                message(at, "agent", public, author)
            });
        }
        raw.messages = Nested::Value(msgs);
    }
    if let Some(histories) = get(i, "changelog.histories").and_then(Value::as_array) {
        let mut changes: Vec<Nested<RawStatusChange<'static>>> = Vec::new();
        for h in histories {
            for item in objects(h.get("items")) {
                if text(item.get("field")).as_deref() != Some("status") {
                    continue;
                }
                if let Some(s) = text(item.get("toString")).and_then(|n| status_name(&n)) {
                    changes.push(status_change(loose(h.get("created")), s));
                }
            }
        }
        if !changes.is_empty() {
            raw.status_history = Nested::Value(changes);
        }
    }
    raw
}

//! Fivetran's Zendesk connector tables exported as CSV (the schema of `fivetran/dbt_zendesk`'s
//! seeds): `ticket`, `ticket_comment`, `user`, `ticket_field_history`, `ticket_tag`, `group`.
//! A table is recognised by its columns (every Fivetran table has `_fivetran_synced`).
//!
//! The rows are turned into the shapes of the Zendesk API (a ticket with `via.channel`, a
//! comment with `author_id` and `public`, status changes as audit events) and mapped by the
//! Zendesk adapter, so both read Zendesk data the same way. Fivetran writes warehouse
//! timestamps in UTC without an offset; they are read as UTC, not in the viewer's zone.
//! Rows with `_fivetran_deleted` = TRUE were deleted in Zendesk and are skipped.

use super::zendesk::{self, Collected};
use super::{seconds, Class, CsvTable, Ctx, Doc, Format, Kind};
use crate::error::Result;
use crate::ingest::Builder;
use crate::time;
use serde_json::{json, Map, Value};

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let t = d.csv()?;
    t.col("_fivetran_synced")?;
    let has = |c: &str| t.col(c).is_some();
    let n = t.rows.len();
    let f = Format::Fivetran;
    if has("via_channel") && has("requester_id") && has("status") {
        Class::tickets(f, "ticket table", n)
    } else if has("field_name") && has("ticket_id") && has("value") {
        Class::part(f, "history", "ticket field history", n)
    } else if has("ticket_id") && has("user_id") && has("public") && has("created") {
        Class::part(f, "comments", "ticket comments", n)
    } else if has("tag") && has("ticket_id") {
        Class::part(f, "tags", "ticket tags", n)
    } else if has("role") && has("name") {
        Class::part(f, "users", "users", n)
    } else if has("name") && has("url") && t.header.len() <= 8 {
        Class::part(f, "groups", "groups", n)
    } else {
        Class::unused(
            f,
            "other Fivetran table",
            n,
            "schedules and SLA policies are not read: the widget uses its own calendar and \
             targets",
        )
    }
}

/// A table's rows as JSON objects keyed by column (empty cells left out), deleted rows
/// skipped.
fn rows(t: &CsvTable, b: &mut Builder, what: &str, counted: bool) -> Vec<Map<String, Value>> {
    let deleted = t.col("_fivetran_deleted");
    let mut out = Vec::new();
    for row in &t.rows {
        if deleted.is_some_and(|i| t.cell(row, i).trim().eq_ignore_ascii_case("true")) {
            let id = t
                .col("id")
                .map(|i| t.cell(row, i).to_string())
                .unwrap_or_default();
            let message = format!("row deleted in Zendesk (_fivetran_deleted): {what} skipped");
            if counted {
                b.skip_record(&message, format!("{what} {}", time::quote(&id)));
            } else {
                b.warn(message, format!("{what} {}", time::quote(&id)), false);
            }
            continue;
        }
        let mut o = Map::new();
        for (i, h) in t.header.iter().enumerate() {
            let v = t.cell(row, i).trim();
            if !v.is_empty() {
                o.insert(h.clone(), Value::String(v.to_string()));
            }
        }
        out.push(o);
    }
    out
}

/// A warehouse timestamp (UTC, no offset) as RFC 3339.
fn utc(v: Option<&Value>) -> Value {
    match v.and_then(Value::as_str) {
        Some(s) if matches!(time::parse_str(s), Ok(time::Stamp::Local(_))) => {
            Value::String(format!("{}Z", s.replacen(' ', "T", 1)))
        }
        Some(s) => Value::String(s.to_string()),
        None => Value::Null,
    }
}

fn flag(v: Option<&Value>) -> bool {
    v.and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("true"))
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    // Owned API-shaped values first; the collected view borrows them.
    let mut tickets: Vec<Value> = Vec::new();
    let mut comments: Vec<Value> = Vec::new();
    let mut audits: Vec<Value> = Vec::new();
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut users: Vec<Value> = Vec::new();
    let mut groups: Vec<(String, String)> = Vec::new();
    let mut parts = Vec::new();
    for (doc, class) in docs {
        let Some(t) = doc.csv() else { continue };
        let part = match class.kind {
            Kind::Tickets => "tickets",
            Kind::Part(p) => p,
            Kind::Unused => continue,
        };
        if part != "tickets" && !parts.contains(&part) {
            parts.push(part);
        }
        let is_tickets = part == "tickets";
        for r in rows(t, b, if is_tickets { "ticket" } else { "row" }, is_tickets) {
            let g = |k: &str| r.get(k).cloned().unwrap_or(Value::Null);
            match part {
                "tickets" => tickets.push(json!({
                    "id": g("id"),
                    "created_at": utc(r.get("created_at")),
                    "updated_at": utc(r.get("updated_at")),
                    "via": {"channel": g("via_channel")},
                    "status": g("status"),
                    "priority": g("priority"),
                    "assignee_id": g("assignee_id"),
                    "requester_id": g("requester_id"),
                    "group_id": g("group_id"),
                    "subject": g("subject"),
                })),
                "comments" => comments.push(json!({
                    "id": g("id"),
                    "ticket_id": g("ticket_id"),
                    "author_id": g("user_id"),
                    "public": flag(r.get("public")),
                    "created_at": utc(r.get("created")),
                })),
                "history" if r.get("field_name").and_then(Value::as_str) == Some("status") => {
                    audits.push(json!({
                        "ticket_id": g("ticket_id"),
                        "created_at": utc(r.get("updated")),
                        "events": [{"type": "Change", "field_name": "status", "value": g("value")}],
                    }));
                }
                "tags" => {
                    if let (Some(Value::String(tag)), Some(Value::String(t))) =
                        (r.get("tag"), r.get("ticket_id"))
                    {
                        tags.push((t.clone(), tag.clone()));
                    }
                }
                "users" => users.push(json!({"id": g("id"), "role": g("role"), "name": g("name")})),
                "groups" => {
                    if let (Some(Value::String(id)), Some(Value::String(n))) =
                        (r.get("id"), r.get("name"))
                    {
                        groups.push((id.clone(), n.clone()));
                    }
                }
                _ => {}
            }
        }
    }
    // Tags live in their own table: one row per (ticket, tag), repeated across syncs.
    for t in tickets.iter_mut() {
        let id = super::text(t.get("id")).unwrap_or_default();
        let mut mine: Vec<Value> = Vec::new();
        for (tid, tag) in &tags {
            if *tid == id && !mine.iter().any(|m| m == tag.as_str()) {
                mine.push(Value::String(tag.clone()));
            }
        }
        if !mine.is_empty() {
            t["tags"] = Value::Array(mine);
        }
    }
    let known: Vec<String> = tickets
        .iter()
        .filter_map(|t| super::text(t.get("id")))
        .collect();
    let mut orphan_tags: Vec<&str> = tags
        .iter()
        .filter(|(t, _)| !known.contains(t))
        .map(|(t, _)| t.as_str())
        .collect();
    orphan_tags.dedup();
    for t in orphan_tags {
        b.warn(
            "tags of a ticket that is not in the ticket table: ignored".into(),
            format!("ticket {}", time::quote(t)),
            false,
        );
    }

    let mut all = Collected::default();
    for u in &users {
        zendesk::add_user(&mut all.users, u);
    }
    all.groups = groups.into_iter().collect();
    for c in &comments {
        if let Some(t) = super::text(c.get("ticket_id")) {
            all.comments.entry(t).or_default().push(c);
        }
    }
    for a in &audits {
        if let Some(t) = super::text(a.get("ticket_id")) {
            all.audits.entry(t).or_default().push(a);
        }
    }
    for t in &tickets {
        if let Some(id) = super::text(t.get("id")) {
            all.tickets.push((id, seconds(t.get("updated_at")), t));
        }
    }
    zendesk::emit(all, b);

    let mut label = String::from("Fivetran Zendesk ticket table");
    if !parts.is_empty() {
        label.push_str(" with ");
        label.push_str(&parts.join(", "));
    }
    ctx.label = Some(label);
    ctx.hints = vec![
        ("messages", "add the ticket_comment table"),
        (
            "status_history",
            "add the ticket_field_history table (status changes)",
        ),
        (
            "solved_at",
            "add the ticket_field_history table (status changes)",
        ),
    ];
    Ok(())
}

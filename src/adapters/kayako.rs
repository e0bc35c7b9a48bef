//! Kayako (API v1): cases (`/api/v1/cases`), their posts (`/api/v1/cases/{id}/posts`), users,
//! teams and settings, each answered as `{status, data, resource, …}`.
//!
//! Status comes from `status.type` (NEW, OPEN, PENDING, COMPLETED, CLOSED; a CUSTOM status by
//! its label); COMPLETED is solved and its time is `last_completed_at`, CLOSED keeps that solve
//! time and adds `last_closed_at`. Who wrote a post: the requester's posts are the customer's,
//! a post whose original is a note is an internal note, other posts are an agent's when the
//! author's role (from the users file) is an agent, admin, owner or collaborator role and a
//! customer's when it is a customer role. Kayako's own `last_reply_by_agent_at` is not used: it
//! also moves on internal notes (case 3 of the recorded account shows it).

use super::{get, loose, ls, message, person, rating_word, seconds, status_word, text};
use super::{Class, Ctx, Doc, Format, Kind};
use crate::error::Result;
use crate::ingest::{Builder, RawDataset};
use crate::raw::{Loose, Nested, RawMessage, RawSatisfaction, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let resource = v.get("resource").and_then(Value::as_str)?;
    let data = v.get("data")?;
    let n = data.as_array().map_or(1, Vec::len);
    let k = Format::Kayako;
    match resource {
        "case" => Class::tickets(k, "cases", n),
        "post" => Class::part(k, "posts", "case posts", n),
        "user" => Class::part(k, "users", "users", n),
        "team" => Class::part(k, "teams", "teams", n),
        "setting" => Class::part(k, "settings", "account settings", n),
        "organization" => Class::unused(k, "organizations", n, "organizations are not needed"),
        "timetracking_log" => Class::unused(
            k,
            "time tracking",
            n,
            "tracked time is not read: no KPI uses it yet",
        ),
        r if r.ends_with("_field") => Class::unused(
            k,
            "field definitions",
            n,
            "field definitions are not needed",
        ),
        _ => Class::unused(k, "other Kayako data", n, "not needed for the KPIs"),
    }
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    let mut cases: Vec<&Value> = Vec::new();
    let mut posts: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    let mut roles: HashMap<String, String> = HashMap::new();
    let mut user_roles: HashMap<String, String> = HashMap::new();
    let mut teams: HashMap<String, String> = HashMap::new();
    let mut parts = Vec::new();
    for (doc, class) in docs {
        let Some(data) = doc.json().and_then(|v| v.get("data")) else {
            continue;
        };
        let items: Vec<&Value> = match data {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        // Role objects, wherever embedded in full, name each role id's type.
        collect_roles(data, &mut roles);
        match class.kind {
            Kind::Tickets => cases.extend(items),
            Kind::Part(part) => {
                if !parts.contains(&part) {
                    parts.push(part);
                }
                match part {
                    "posts" => match doc.id_after("cases") {
                        Some(case) => posts.entry(case).or_default().extend(items),
                        None => b.warn(
                            "Kayako posts whose address names no case (expected \
                             cases/{id}/posts): ignored"
                                .into(),
                            format!("file {}", time::quote(&doc.name)),
                            false,
                        ),
                    },
                    "users" => {
                        for u in items {
                            if let (Some(id), Some(role)) = (text(u.get("id")), get(u, "role")) {
                                user_roles.insert(id, role_key(role));
                            }
                        }
                    }
                    "teams" => {
                        for t in items {
                            if let (Some(id), Some(n)) = (text(t.get("id")), text(t.get("title"))) {
                                teams.insert(id, n);
                            }
                        }
                    }
                    "settings" => {
                        let tz = items.iter().find(|s| {
                            text(s.get("category")).as_deref() == Some("account")
                                && text(s.get("name")).as_deref() == Some("timezone")
                        });
                        if let Some(tz) = tz.and_then(|s| text(s.get("value"))) {
                            b.set_dataset(Nested::Value(RawDataset {
                                timezone: ls(tz),
                                ..Default::default()
                            }));
                        }
                    }
                    _ => {}
                }
            }
            Kind::Unused => {}
        }
    }
    // A user's role id → the role's type (CUSTOMER, AGENT, ADMIN, OWNER, COLLABORATOR).
    let role_of = |id: &str| -> Option<String> {
        let r = user_roles.get(id)?;
        Some(roles.get(r).cloned().unwrap_or_else(|| r.clone()))
    };
    for c in cases {
        let Some(id) = text(c.get("id")) else {
            b.skip_record(
                "a Kayako case without an \"id\": record skipped",
                "a case".into(),
            );
            continue;
        };
        if text(c.get("state")).as_deref() == Some("TRASH") {
            b.skip_record(
                "deleted case (Kayako state \"TRASH\"): skipped",
                format!("case {}", time::quote(&id)),
            );
            continue;
        }
        if c.get("is_merged").and_then(Value::as_bool) == Some(true) {
            b.skip_record(
                "merged case (merged into another case): skipped",
                format!("case {}", time::quote(&id)),
            );
            continue;
        }
        let raw = case(&id, c, posts.get(&id), &teams, &role_of, b);
        b.push(Nested::Value(raw));
    }
    let mut label = String::from("Kayako cases");
    if !parts.is_empty() {
        label.push_str(" with ");
        label.push_str(&parts.join(", "));
    }
    ctx.label = Some(label);
    ctx.hints = vec![
        ("messages", "add the case posts (cases/{id}/posts)"),
        (
            "satisfaction",
            "no case has a rating yet (rating_status OFFERED or UNOFFERED)",
        ),
    ];
    Ok(())
}

fn collect_roles(v: &Value, roles: &mut HashMap<String, String>) {
    match v {
        Value::Object(o) => {
            if o.get("resource_type").and_then(Value::as_str) == Some("role") {
                if let (Some(id), Some(t)) = (text(o.get("id")), text(o.get("type"))) {
                    roles.insert(id, t);
                }
            }
            o.values().for_each(|x| collect_roles(x, roles));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_roles(x, roles)),
        _ => {}
    }
}

/// A role reference as its type when embedded in full, else its id.
fn role_key(role: &Value) -> String {
    text(role.get("type"))
        .or_else(|| text(role.get("id")))
        .unwrap_or_default()
}

fn channel(t: &str) -> String {
    match t {
        "MAIL" => "email".into(),
        "MESSENGER" => "chat".into(),
        "HELPCENTER" => "web".into(),
        other => other.to_lowercase(),
    }
}

fn case(
    id: &str,
    c: &Value,
    posts: Option<&Vec<&Value>>,
    teams: &HashMap<String, String>,
    role_of: &dyn Fn(&str) -> Option<String>,
    b: &mut Builder,
) -> RawTicket<'static> {
    let status_type = text(get(c, "status.type")).unwrap_or_default();
    let status = match status_type.as_str() {
        "NEW" => Some("new".to_string()),
        "OPEN" => Some("open".into()),
        "PENDING" => Some("pending".into()),
        "COMPLETED" => Some("solved".into()),
        "CLOSED" => Some("closed".into()),
        _ => text(get(c, "status.label")).map(|l| status_word(&l)),
    };
    let resolved = matches!(status_type.as_str(), "COMPLETED" | "CLOSED");
    let requester = text(get(c, "requester.id"));
    let team = text(get(c, "assigned_team.id")).map(|t| teams.get(&t).cloned().unwrap_or(t));
    let mut raw = RawTicket {
        id: ls(id),
        created_at: loose(c.get("created_at")),
        channel: text(get(c, "source_channel.type")).map_or(Loose::Absent, |t| ls(channel(&t))),
        status: status.map_or(Loose::Absent, ls),
        priority: text(get(c, "priority.label")).map_or(Loose::Absent, |p| ls(p.to_lowercase())),
        assignee: person(
            text(get(c, "assigned_agent.id")),
            text(get(c, "assigned_agent.full_name")),
        ),
        team: team.map_or(Loose::Absent, ls),
        requester: person(requester.clone(), None),
        tags: c
            .get("tags")
            .and_then(Value::as_array)
            .map_or(Nested::Absent, |a| {
                Nested::Value(
                    a.iter()
                        .filter_map(|t| text(t.get("name")).or_else(|| text(Some(t))))
                        .map(ls)
                        .collect(),
                )
            }),
        subject: loose(c.get("subject")),
        ..Default::default()
    };
    if resolved {
        raw.solved_at = loose(get(c, "last_completed_at"));
        if status_type == "CLOSED" {
            raw.closed_at = loose(get(c, "last_closed_at"));
        }
    }
    raw.satisfaction = satisfaction(c);
    if let Some(list) = posts {
        let mut list = list.clone();
        super::sort::sort_by_key(&mut list, |p| {
            seconds(p.get("created_at")).unwrap_or(i64::MAX)
        });
        let msgs: Vec<Nested<RawMessage<'static>>> = list
            .iter()
            .map(|p| {
                let author = text(get(p, "creator.id"));
                let note = text(get(p, "original.resource_type")).as_deref() == Some("note");
                let at = loose(p.get("created_at"));
                if note {
                    return message(at, "agent", false, author);
                }
                let requester_post = p.get("is_requester").and_then(Value::as_bool) == Some(true)
                    || (author.is_some() && author == requester);
                if requester_post {
                    return message(at, "customer", true, None);
                }
                match author.as_deref().and_then(role_of).as_deref() {
                    Some("CUSTOMER") => message(at, "customer", true, None),
                    Some("AGENT" | "ADMIN" | "OWNER" | "COLLABORATOR") => {
                        message(at, "agent", true, author)
                    }
                    _ => {
                        b.warn(
                            "a post author's role is unknown (add the users file): a post by \
                             someone other than the requester is counted as an agent's"
                                .into(),
                            format!(
                                "case {}, author {}",
                                time::quote(id),
                                author.clone().unwrap_or_default()
                            ),
                            false,
                        );
                        message(at, "agent", true, author)
                    }
                }
            })
            .collect();
        raw.messages = Nested::Value(msgs);
    }
    raw
}

/// `rating` (`{score: "GOOD" | "BAD", comment}`) when given; `rating_status` OFFERED means a
/// survey went out without an answer yet.
fn satisfaction(c: &Value) -> Nested<RawSatisfaction<'static>> {
    if let Some(r) = get(c, "rating") {
        let score = text(r.get("score"))
            .or_else(|| text(Some(r)))
            .unwrap_or_default();
        let comment = text(r.get("comment"));
        match score.to_ascii_uppercase().as_str() {
            "GOOD" => return Nested::Value(rating_word(true, comment)),
            "BAD" => return Nested::Value(rating_word(false, comment)),
            _ => {}
        }
    }
    match text(c.get("rating_status")).as_deref() {
        Some("OFFERED") => Nested::Value(RawSatisfaction {
            offered: Loose::Bool(true),
            ..Default::default()
        }),
        _ => Nested::Absent,
    }
}

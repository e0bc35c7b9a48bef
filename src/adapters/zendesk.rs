//! Zendesk Support API v2: the incremental ticket export (`incremental/tickets`, with the
//! `metric_sets` and `users` side-loads when requested), the plain `/tickets` list and single
//! `ticket` objects, ticket comments (`tickets/{id}/comments`), users (agents vs end users by
//! `role`), groups, ticket metrics, satisfaction ratings and ticket audits (status history).
//! Field names follow the Zendesk schemas in `shared/data/04_api_schemas/airbyte_zendesk_support`.
//!
//! Who wrote a comment: the ticket's first comment is its description (the request itself),
//! and comments by the requester are the customer's whatever their role; otherwise the users
//! export says (`end-user` → customer, `agent`/`admin` → agent), comments made by triggers and
//! automations (`via.channel` = `rule`) are automation, and without the users export a comment
//! by someone else is counted as an agent's, with a counted warning saying so.

use super::{
    dedupe, get, loose, ls, message, objects, person, rating_word, seconds, status_change, text,
    warn_duplicates, Class, Ctx, Doc, Format, Kind,
};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawMessage, RawSatisfaction, RawStatusChange, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Keys only Zendesk tickets carry (at least two must be present).
const TICKET_KEYS: &[&str] = &[
    "via",
    "raw_subject",
    "submitter_id",
    "generated_timestamp",
    "brand_id",
    "has_incidents",
    "allow_channelback",
    "collaborator_ids",
    "satisfaction_rating",
    "ticket_form_id",
];

fn is_ticket(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| TICKET_KEYS.iter().filter(|k| o.contains_key(**k)).count() >= 2)
}

fn list<'a>(v: &'a Value, key: &str) -> Option<&'a Vec<Value>> {
    v.get(key).and_then(Value::as_array)
}

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let z = Format::Zendesk;
    if let Some(t) = list(v, "tickets") {
        if t.iter().any(is_ticket) || (t.is_empty() && d.mentions("zendesk")) {
            let label = if d.mentions("incremental") || v.get("end_of_stream").is_some() {
                "tickets (incremental export)"
            } else {
                "tickets"
            };
            return Class::tickets(z, label, t.len());
        }
        return None;
    }
    if v.get("ticket").is_some_and(is_ticket) {
        return Class::tickets(z, "one ticket", 1);
    }
    if let Some(a) = v.as_array() {
        if !a.is_empty() && a.iter().filter(|x| is_ticket(x)).count() * 2 > a.len() {
            return Class::tickets(z, "tickets (one per line)", a.len());
        }
    }
    if let Some(c) = list(v, "comments") {
        let zendesk_like = c
            .iter()
            .any(|x| x.get("author_id").is_some() && x.get("public").is_some());
        if zendesk_like || (c.is_empty() && d.id_after("tickets").is_some()) {
            return Class::part(z, "comments", "ticket comments", c.len());
        }
    }
    if let Some(u) = list(v, "users") {
        if u.iter().any(|x| x.get("role").is_some()) || u.is_empty() && d.mentions("users") {
            return Class::part(z, "users", "users", u.len());
        }
    }
    if let Some(m) = list(v, "metric_sets").or_else(|| list(v, "ticket_metrics")) {
        return Class::part(z, "metrics", "ticket metrics", m.len());
    }
    if let Some(r) = list(v, "satisfaction_ratings") {
        return Class::part(z, "ratings", "satisfaction ratings", r.len());
    }
    if let Some(a) = list(v, "audits") {
        return Class::part(z, "audits", "ticket audits", a.len());
    }
    if let Some(g) = list(v, "groups") {
        if g.iter().all(|x| x.get("name").is_some()) {
            return Class::part(z, "groups", "groups", g.len());
        }
    }
    // Recognised Zendesk collections that no KPI needs.
    for (key, label, why) in [
        (
            "organizations",
            "organizations",
            "organizations are not needed for the KPIs",
        ),
        (
            "organization_fields",
            "organization fields",
            "field definitions are not needed for the KPIs",
        ),
        (
            "user_fields",
            "user fields",
            "field definitions are not needed for the KPIs",
        ),
        (
            "ticket_fields",
            "ticket fields",
            "field definitions are not needed for the KPIs",
        ),
        (
            "group_memberships",
            "group memberships",
            "tickets name their group already",
        ),
        (
            "ticket_metric_events",
            "ticket metric events",
            "the metric sets carry the same times",
        ),
    ] {
        if let Some(x) = list(v, key) {
            return Class::unused(z, label, x.len(), why);
        }
    }
    if let Some(t) = list(v, "tags") {
        // `tickets/{id}/tags` answers `{"tags": [...]}` and nothing else.
        let only_tags = v.as_object().is_some_and(|o| o.len() == 1);
        if only_tags && d.id_after("tickets").is_some() && t.iter().all(Value::is_string) {
            return Class::unused(z, "ticket tags", t.len(), "the tickets carry their tags");
        }
    }
    None
}

pub(super) struct User {
    pub role: String,
    pub name: Option<String>,
}

/// Everything read from a Zendesk export, joined by ticket id. The Fivetran adapter fills the
/// same structure from the warehouse tables, so both share the mapping below.
#[derive(Default)]
pub(super) struct Collected<'a> {
    pub users: HashMap<String, User>,
    pub groups: HashMap<String, String>,
    pub metrics: HashMap<String, &'a Value>,
    pub ratings: HashMap<String, (Option<i64>, &'a Value)>,
    pub comments: BTreeMap<String, Vec<&'a Value>>,
    pub audits: HashMap<String, Vec<&'a Value>>,
    pub tickets: Vec<(String, Option<i64>, &'a Value)>,
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    let mut all = Collected::default();
    let Collected {
        users,
        groups,
        metrics,
        ratings,
        comments,
        audits,
        tickets,
    } = &mut all;
    let mut parts: Vec<&str> = Vec::new();

    for (doc, class) in docs {
        let Some(v) = doc.json() else { continue };
        let Kind::Part(part) = class.kind else {
            if class.kind == Kind::Tickets {
                let found: Vec<&Value> = match (list(v, "tickets"), v.get("ticket"), v.as_array()) {
                    (Some(t), _, _) => t.iter().collect(),
                    (_, Some(t), _) => vec![t],
                    (_, _, Some(a)) => a.iter().collect(),
                    _ => vec![],
                };
                for t in found {
                    match text(t.get("id")) {
                        Some(id) => tickets.push((id, seconds(get(t, "updated_at")), t)),
                        None => b.skip_record(
                            "a Zendesk ticket without an \"id\": record skipped",
                            format!("file {}", time::quote(&doc.name)),
                        ),
                    }
                }
                // Side-loads of the incremental export.
                for u in objects(v.get("users")) {
                    add_user(users, u);
                }
                for m in objects(v.get("metric_sets")) {
                    if let Some(t) = text(m.get("ticket_id")) {
                        metrics.insert(t, m);
                    }
                }
                for g in objects(v.get("groups")) {
                    if let (Some(id), Some(name)) = (text(g.get("id")), text(g.get("name"))) {
                        groups.insert(id, name);
                    }
                }
            }
            continue;
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
        match part {
            "users" => objects(v.get("users")).for_each(|u| add_user(users, u)),
            "groups" => {
                for g in objects(v.get("groups")) {
                    if let (Some(id), Some(name)) = (text(g.get("id")), text(g.get("name"))) {
                        groups.insert(id, name);
                    }
                }
            }
            "metrics" => {
                for m in objects(v.get("metric_sets").or_else(|| v.get("ticket_metrics"))) {
                    if let Some(t) = text(m.get("ticket_id")) {
                        metrics.insert(t, m);
                    }
                }
            }
            "ratings" => {
                for r in objects(v.get("satisfaction_ratings")) {
                    let Some(t) = text(r.get("ticket_id")) else {
                        continue;
                    };
                    let at = seconds(get(r, "updated_at")).or(seconds(get(r, "created_at")));
                    if ratings.get(&t).is_none_or_older(at) {
                        ratings.insert(t, (at, r));
                    }
                }
            }
            "audits" => {
                for a in objects(v.get("audits")) {
                    if let Some(t) = text(a.get("ticket_id")) {
                        audits.entry(t).or_default().push(a);
                    }
                }
            }
            "comments" => {
                let page_ticket = doc.id_after("tickets");
                for c in objects(v.get("comments")) {
                    match text(c.get("ticket_id")).or_else(|| page_ticket.clone()) {
                        Some(t) => comments.entry(t).or_default().push(c),
                        None => b.warn(
                            "a Zendesk comment says no ticket id (neither \"ticket_id\" nor a \
                             tickets/{id}/comments address): comment ignored"
                                .into(),
                            format!("file {}", time::quote(&doc.name)),
                            false,
                        ),
                    }
                }
            }
            _ => {}
        }
    }

    emit(all, b);

    let mut label = String::from("Zendesk tickets");
    if !parts.is_empty() {
        label.push_str(" with ");
        label.push_str(&parts.join(", "));
    }
    ctx.label = Some(label);
    ctx.hints = vec![
        (
            "messages",
            "add the ticket comments (tickets/{id}/comments.json) with the tickets",
        ),
        (
            "first_reply_at",
            "export the tickets with include=metric_sets, or add the ticket comments",
        ),
        (
            "solved_at",
            "export the tickets with include=metric_sets (solved_at), or add the ticket audits",
        ),
        (
            "status_history",
            "add the ticket audits (tickets/{id}/audits.json)",
        ),
        (
            "satisfaction",
            "the tickets carry no satisfaction_rating: add satisfaction_ratings.json if \
             surveys are switched on",
        ),
    ];
    Ok(())
}

/// Pushes the collected tickets: duplicates dropped, deleted tickets skipped, side files
/// joined.
pub(super) fn emit(all: Collected, b: &mut Builder) {
    let (tickets, dropped) = dedupe(all.tickets);
    warn_duplicates(b, "ticket", &dropped);
    let known: HashMap<&str, ()> = tickets.iter().map(|(id, _)| (id.as_str(), ())).collect();
    for (t, list) in &all.comments {
        if !known.contains_key(t.as_str()) {
            b.warn(
                "comments of a ticket that is not among the tickets: comments ignored".into(),
                format!("ticket {} ({} comments)", time::quote(t), list.len()),
                false,
            );
        }
    }
    for (t, list) in &all.audits {
        if !known.contains_key(t.as_str()) {
            b.warn(
                "status history of a ticket that is not among the tickets: history ignored".into(),
                format!("ticket {} ({} changes)", time::quote(t), list.len()),
                false,
            );
        }
    }
    let roles_known = !all.users.is_empty();
    for (id, t) in tickets {
        if text(t.get("status")).is_some_and(|s| s.eq_ignore_ascii_case("deleted")) {
            b.skip_record(
                "deleted ticket (Zendesk status \"deleted\"): skipped",
                format!("ticket {}", time::quote(&id)),
            );
            continue;
        }
        let raw = ticket(
            &id,
            t,
            &all.users,
            &all.groups,
            all.metrics.get(&id).copied(),
            all.ratings.get(&id).map(|r| r.1),
            all.comments.get(&id),
            all.audits.get(&id),
            roles_known,
            b,
        );
        b.push(Nested::Value(raw));
    }
}

trait OlderThan {
    fn is_none_or_older(&self, at: Option<i64>) -> bool;
}

impl OlderThan for Option<&(Option<i64>, &Value)> {
    fn is_none_or_older(&self, at: Option<i64>) -> bool {
        match self {
            None => true,
            Some((old, _)) => at >= *old,
        }
    }
}

pub(super) fn add_user(users: &mut HashMap<String, User>, u: &Value) {
    if let Some(id) = text(u.get("id")) {
        users.insert(
            id,
            User {
                role: text(u.get("role")).unwrap_or_default().to_ascii_lowercase(),
                name: text(u.get("name")),
            },
        );
    }
}

/// `created + minutes` of a metric such as `reply_time_in_minutes: {calendar, business}`;
/// the calendar value is used (the widget computes business time from its own calendar).
fn after_created(
    created: &Value,
    m: &Value,
    seconds_key: &str,
    minutes_key: &str,
) -> Loose<'static> {
    let Some(c) = seconds(Some(created)) else {
        return Loose::Absent;
    };
    let secs = get(m, &format!("{seconds_key}.calendar"))
        .and_then(Value::as_f64)
        .or_else(|| {
            get(m, &format!("{minutes_key}.calendar"))
                .and_then(Value::as_f64)
                .map(|x| x * 60.0)
        });
    match secs {
        Some(s) if s >= 0.0 => Loose::Int(c.saturating_add(s.round() as i64)),
        _ => Loose::Absent,
    }
}

#[allow(clippy::too_many_arguments)]
fn ticket(
    id: &str,
    t: &Value,
    users: &HashMap<String, User>,
    groups: &HashMap<String, String>,
    metric: Option<&Value>,
    rating: Option<&Value>,
    comments: Option<&Vec<&Value>>,
    audits: Option<&Vec<&Value>>,
    roles_known: bool,
    b: &mut Builder,
) -> RawTicket<'static> {
    let requester = text(t.get("requester_id"));
    let assignee = text(t.get("assignee_id"));
    let assignee_name = assignee
        .as_ref()
        .and_then(|a| users.get(a))
        .and_then(|u| u.name.clone());
    let team = text(t.get("group_id")).map(|g| groups.get(&g).cloned().unwrap_or(g));
    let tags = t.get("tags").and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|x| text(Some(x)))
            .map(ls)
            .collect::<Vec<_>>()
    });

    let mut raw = RawTicket {
        id: ls(id),
        created_at: loose(t.get("created_at")),
        channel: text(get(t, "via.channel")).map_or(Loose::Absent, |c| ls(c.to_lowercase())),
        status: loose(t.get("status")),
        priority: loose(t.get("priority")),
        assignee: person(assignee, assignee_name),
        team: team.map_or(Loose::Absent, ls),
        requester: person(requester.clone(), None),
        tags: tags.map_or(Nested::Absent, Nested::Value),
        subject: loose(t.get("subject")),
        ..Default::default()
    };

    // Satisfaction: the ticket's own rating, else the ratings file's.
    let sat = rating.or_else(|| t.get("satisfaction_rating").filter(|r| !r.is_null()));
    raw.satisfaction = sat.map_or(Nested::Absent, satisfaction);

    if let Some(m) = metric {
        if let Some(created) = t.get("created_at") {
            if comments.is_none() {
                raw.first_reply_at =
                    after_created(created, m, "reply_time_in_seconds", "reply_time_in_minutes");
            }
            raw.first_solved_at = after_created(
                created,
                m,
                "first_resolution_time_in_seconds",
                "first_resolution_time_in_minutes",
            );
        }
        raw.solved_at = loose(get(m, "solved_at"));
        raw.reopens = loose(get(m, "reopens"));
        if comments.is_none() {
            raw.agent_replies = loose(get(m, "replies"));
        }
    }

    if let Some(list) = comments {
        let mut list: Vec<&Value> = list.clone();
        super::sort::sort_by_key(&mut list, |c| {
            seconds(c.get("created_at")).unwrap_or(i64::MAX)
        });
        // The same comment can come from two pages (a re-recorded request): keep it once.
        let mut seen = std::collections::HashSet::new();
        list.retain(|c| match text(c.get("id")) {
            Some(id) => seen.insert(id),
            None => true,
        });
        let msgs: Vec<Nested<RawMessage<'static>>> = list
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let author = text(c.get("author_id"));
                let public = c.get("public").and_then(Value::as_bool).unwrap_or(true);
                let via = text(get(c, "via.channel")).unwrap_or_default();
                let role = if i == 0 || author == requester {
                    "customer"
                } else if via == "rule" {
                    "bot"
                } else {
                    match author
                        .as_ref()
                        .and_then(|a| users.get(a))
                        .map(|u| u.role.as_str())
                    {
                        Some("end-user") => "customer",
                        Some("agent" | "admin") => "agent",
                        _ => {
                            b.warn(
                                if roles_known {
                                    "a comment's author is not in the users export: counted as an \
                                     agent's"
                                        .to_string()
                                } else {
                                    "comment authors' roles are unknown (add the users export): a \
                                     comment by anyone but the requester is counted as an agent's"
                                        .to_string()
                                },
                                format!(
                                    "ticket {}, author {}",
                                    time::quote(id),
                                    author.clone().unwrap_or_default()
                                ),
                                false,
                            );
                            "agent"
                        }
                    }
                };
                let agent = (role == "agent").then(|| author.clone()).flatten();
                message(loose(c.get("created_at")), role, public, agent)
            })
            .collect();
        raw.messages = Nested::Value(msgs);
    }

    if let Some(list) = audits {
        let mut changes: Vec<Nested<RawStatusChange<'static>>> = Vec::new();
        for a in list {
            for e in objects(a.get("events")) {
                let is_status = text(e.get("field_name")).as_deref() == Some("status")
                    && matches!(text(e.get("type")).as_deref(), Some("Change" | "Create"));
                if let (true, Some(st)) = (is_status, text(e.get("value"))) {
                    changes.push(status_change(loose(a.get("created_at")), &st));
                }
            }
        }
        if !changes.is_empty() {
            raw.status_history = Nested::Value(changes);
        }
    }
    raw
}

/// `satisfaction_rating`: `{score: "good" | "bad" | "offered" | "unoffered", comment}`.
fn satisfaction(r: &Value) -> Nested<RawSatisfaction<'static>> {
    let score = text(r.get("score"))
        .or_else(|| text(Some(r)))
        .unwrap_or_default();
    let comment = text(r.get("comment"));
    match score.to_ascii_lowercase().as_str() {
        "good" => Nested::Value(RawSatisfaction {
            at: loose(r.get("updated_at").or(r.get("created_at"))),
            ..rating_word(true, comment)
        }),
        "bad" => Nested::Value(RawSatisfaction {
            at: loose(r.get("updated_at").or(r.get("created_at"))),
            ..rating_word(false, comment)
        }),
        "offered" => Nested::Value(RawSatisfaction {
            offered: Loose::Bool(true),
            ..Default::default()
        }),
        _ => Nested::Absent,
    }
}

//! Freshdesk API v2: tickets (the `/tickets` list, single `/tickets/{id}` objects, with or
//! without `include=stats`), conversations (`/tickets/{id}/conversations`: `incoming`,
//! `private`), agents, groups, ticket fields (the account's own names for status, source and
//! priority values) and satisfaction ratings. Field names follow
//! `shared/data/04_api_schemas/airbyte_freshdesk`.
//!
//! Enums are numbers. Defaults, as the ticket fields of a real account list them: status 2
//! Open, 3 Pending, 4 Resolved, 5 Closed, 6 Waiting on Customer, 7 Waiting on Third Party;
//! source 1 Email, 2 Portal, 3 Phone, 4 Forum, 5 Twitter, 6 Facebook, 7 Chat, 8 MobiHelp,
//! 9 Feedback Widget, 10 Outbound Email, 11 Ecommerce, 12 Bot, 13 Whatsapp; priority 1 Low,
//! 2 Medium, 3 High, 4 Urgent. A loaded `ticket_fields` file replaces them with the account's
//! own choices (custom statuses included).

use super::{
    dedupe, get, loose, ls, message, objects, person, rating_score, rating_word, seconds,
    status_word, text, warn_duplicates, Class, Ctx, Doc, Format, Kind,
};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawMessage, RawSatisfaction, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

fn is_ticket(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.get("status").is_some_and(Value::is_number)
            && o.contains_key("requester_id")
            && [
                "fr_due_by",
                "fr_escalated",
                "responder_id",
                "spam",
                "is_escalated",
            ]
            .iter()
            .any(|k| o.contains_key(*k))
    })
}

fn is_conversation(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.contains_key("incoming") && o.contains_key("private"))
}

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let f = Format::Freshdesk;
    if is_ticket(v) {
        return Class::tickets(f, "one ticket", 1);
    }
    if is_conversation(v) {
        return Class::part(f, "conversations", "one conversation", 1);
    }
    if v.get("contact").is_some() && v.get("ticket_scope").is_some() {
        return Class::part(f, "agents", "the signed-in agent", 1);
    }
    let a = v.as_array()?;
    let first = a.first();
    let all = |p: fn(&Value) -> bool| !a.is_empty() && a.iter().all(p);
    if all(is_ticket) {
        return Class::tickets(f, "tickets", a.len());
    }
    if all(is_conversation) {
        return Class::part(f, "conversations", "conversations", a.len());
    }
    if all(|x| x.get("contact").is_some() && x.get("ticket_scope").is_some()) {
        return Class::part(f, "agents", "agents", a.len());
    }
    if all(|x| x.get("escalate_to").is_some() || x.get("unassigned_for").is_some()) {
        return Class::part(f, "groups", "groups", a.len());
    }
    if all(|x| x.get("ratings").is_some() && x.get("survey_id").is_some()) {
        return Class::part(f, "ratings", "satisfaction ratings", a.len());
    }
    if all(|x| x.get("label").is_some() && x.get("position").is_some()) {
        let is_ticket_fields = a
            .iter()
            .any(|x| text(x.get("name")).as_deref() == Some("source"));
        return if is_ticket_fields {
            Class::part(f, "ticket_fields", "ticket fields", a.len())
        } else {
            Class::unused(
                f,
                "field definitions",
                a.len(),
                "only the ticket fields are needed",
            )
        };
    }
    if all(|x| x.get("time_spent").is_some()) {
        return Class::unused(
            f,
            "time entries",
            a.len(),
            "time entries are not read: no KPI uses tracked time yet",
        );
    }
    if all(|x| x.get("domains").is_some()) {
        return Class::unused(
            f,
            "companies",
            a.len(),
            "companies are not needed for the KPIs",
        );
    }
    if all(|x| x.get("email").is_some() && x.get("active").is_some()) {
        return Class::unused(
            f,
            "contacts",
            a.len(),
            "contacts are not needed: tickets name their requester",
        );
    }
    // An empty page says what it is only by its address.
    if first.is_none() && d.mentions("freshdesk") || a.is_empty() && d.mentions("conversations") {
        for (word, kind, label) in [
            ("conversations", Some("conversations"), "conversations"),
            ("time_entries", None, "time entries"),
            ("contacts", None, "contacts"),
            ("tickets", None, "tickets"),
        ] {
            if d.mentions(word) {
                return match kind {
                    Some(k) => Class::part(f, k, label, 0),
                    None => Class::unused(f, label, 0, "an empty list"),
                };
            }
        }
    }
    None
}

/// The account's names for enum values: (status, source, priority).
struct Enums {
    status: HashMap<i64, String>,
    source: HashMap<i64, String>,
    priority: HashMap<i64, String>,
}

impl Default for Enums {
    fn default() -> Self {
        let map = |pairs: &[(i64, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (*k, v.to_string()))
                .collect::<HashMap<_, _>>()
        };
        Enums {
            status: map(&[
                (2, "Open"),
                (3, "Pending"),
                (4, "Resolved"),
                (5, "Closed"),
                (6, "Waiting on Customer"),
                (7, "Waiting on Third Party"),
            ]),
            source: map(&[
                (1, "Email"),
                (2, "Portal"),
                (3, "Phone"),
                (4, "Forum"),
                (5, "Twitter"),
                (6, "Facebook"),
                (7, "Chat"),
                (8, "MobiHelp"),
                (9, "Feedback Widget"),
                (10, "Outbound Email"),
                (11, "Ecommerce"),
                (12, "Bot"),
                (13, "Whatsapp"),
            ]),
            priority: map(&[(1, "Low"), (2, "Medium"), (3, "High"), (4, "Urgent")]),
        }
    }
}

impl Enums {
    /// Reads the `choices` of the status, source and priority ticket fields.
    fn read_fields(&mut self, fields: &Value) {
        for fld in objects(Some(fields)) {
            let Some(choices) = fld.get("choices").and_then(Value::as_object) else {
                continue;
            };
            match text(fld.get("name")).as_deref() {
                // {"2": ["Open", "Being Processed"], …}: id → [agent label, customer label].
                Some("status") => {
                    for (id, labels) in choices {
                        let label = labels.get(0).and_then(Value::as_str);
                        if let (Ok(id), Some(l)) = (id.parse::<i64>(), label) {
                            self.status.insert(id, l.to_string());
                        }
                    }
                }
                // {"Email": 1, …}: label → id.
                Some(name @ ("source" | "priority")) => {
                    let target = if name == "source" {
                        &mut self.source
                    } else {
                        &mut self.priority
                    };
                    for (label, id) in choices {
                        if let Some(id) = id.as_i64() {
                            target.insert(id, label.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    let mut enums = Enums::default();
    let mut agents: HashMap<String, Option<String>> = HashMap::new();
    let mut groups: HashMap<String, String> = HashMap::new();
    let mut convs: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    let mut ratings: HashMap<String, &Value> = HashMap::new();
    let mut tickets: Vec<(String, Option<i64>, &Value)> = Vec::new();
    let mut parts: Vec<&str> = Vec::new();
    for (doc, class) in docs {
        let Some(v) = doc.json() else { continue };
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        match class.kind {
            Kind::Tickets => {
                for t in items {
                    match text(t.get("id")) {
                        Some(id) => tickets.push((id, seconds(t.get("updated_at")), t)),
                        None => b.skip_record(
                            "a Freshdesk ticket without an \"id\": record skipped",
                            format!("file {}", time::quote(&doc.name)),
                        ),
                    }
                }
            }
            Kind::Part(part) => {
                if !parts.contains(&part) {
                    parts.push(part);
                }
                match part {
                    "ticket_fields" => enums.read_fields(v),
                    "agents" => {
                        for a in items {
                            if let Some(id) = text(a.get("id")) {
                                agents.insert(id, text(get(a, "contact.name")));
                            }
                        }
                    }
                    "groups" => {
                        for g in items {
                            if let (Some(id), Some(n)) = (text(g.get("id")), text(g.get("name"))) {
                                groups.insert(id, n);
                            }
                        }
                    }
                    "ratings" => {
                        for r in items {
                            if let Some(t) = text(r.get("ticket_id")) {
                                ratings.insert(t, r);
                            }
                        }
                    }
                    "conversations" => {
                        let page = doc.id_after("tickets");
                        // An empty page still says the ticket has no conversation but its
                        // description.
                        if let Some(p) = &page {
                            convs.entry(p.clone()).or_default();
                        }
                        let items = if v.as_array().is_some() {
                            items
                        } else {
                            vec![v]
                        };
                        for c in items {
                            match text(c.get("ticket_id")).or_else(|| page.clone()) {
                                Some(t) => convs.entry(t).or_default().push(c),
                                None => b.warn(
                                    "a Freshdesk conversation names no ticket: ignored".into(),
                                    format!("file {}", time::quote(&doc.name)),
                                    false,
                                ),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Kind::Unused => {}
        }
    }

    let (tickets, dropped) = dedupe(tickets);
    warn_duplicates(b, "ticket", &dropped);
    for (t, list) in &convs {
        if !tickets.iter().any(|(id, _)| id == t) {
            b.warn(
                "conversations of a ticket that is not in the ticket files: ignored".into(),
                format!("ticket {} ({} conversations)", time::quote(t), list.len()),
                false,
            );
        }
    }
    for (id, t) in tickets {
        if t.get("spam").and_then(Value::as_bool) == Some(true) {
            b.skip_record(
                "spam ticket (Freshdesk \"spam\": true): skipped",
                format!("ticket {}", time::quote(&id)),
            );
            continue;
        }
        if t.get("deleted").and_then(Value::as_bool) == Some(true) {
            b.skip_record(
                "deleted ticket (Freshdesk \"deleted\": true): skipped",
                format!("ticket {}", time::quote(&id)),
            );
            continue;
        }
        let raw = ticket(
            &id,
            t,
            &enums,
            &agents,
            &groups,
            convs.get(&id),
            ratings.get(&id).copied(),
            b,
        );
        b.push(Nested::Value(raw));
    }

    let mut label = String::from("Freshdesk tickets");
    if !parts.is_empty() {
        label.push_str(" with ");
        label.push_str(&parts.join(", ").replace('_', " "));
    }
    ctx.label = Some(label);
    ctx.hints = vec![
        (
            "messages",
            "add the conversations (tickets/{id}/conversations) with the tickets",
        ),
        (
            "first_reply_at",
            "export the tickets with include=stats (first_responded_at), or add the \
             conversations",
        ),
        (
            "solved_at",
            "export the tickets with include=stats (resolved_at, closed_at)",
        ),
        (
            "satisfaction",
            "add the satisfaction ratings (surveys/satisfaction_ratings)",
        ),
    ];
    Ok(())
}

/// A numeric enum through the account's names; an unknown number is kept as written, so the
/// builder's warning shows it.
fn named(map: &HashMap<i64, String>, v: Option<&Value>) -> Option<String> {
    let v = v?;
    match v.as_i64() {
        Some(n) => Some(map.get(&n).cloned().unwrap_or_else(|| n.to_string())),
        None => text(Some(v)),
    }
}

#[allow(clippy::too_many_arguments)]
fn ticket(
    id: &str,
    t: &Value,
    enums: &Enums,
    agents: &HashMap<String, Option<String>>,
    groups: &HashMap<String, String>,
    convs: Option<&Vec<&Value>>,
    rating: Option<&Value>,
    b: &mut Builder,
) -> RawTicket<'static> {
    let status = named(&enums.status, t.get("status")).map(|s| {
        let w = status_word(&s);
        if crate::store::Status::parse(&w).is_some() {
            w
        } else {
            s
        }
    });
    let source = t.get("source").and_then(Value::as_i64);
    let channel = named(&enums.source, t.get("source")).map(|s| s.to_lowercase());
    let priority = named(&enums.priority, t.get("priority")).map(|s| s.to_lowercase());
    let requester = text(t.get("requester_id"));
    let responder = text(t.get("responder_id"));
    let responder_name = responder
        .as_ref()
        .and_then(|r| agents.get(r).cloned().flatten());
    let team = text(t.get("group_id")).map(|g| groups.get(&g).cloned().unwrap_or(g));
    let mut raw = RawTicket {
        id: ls(id),
        created_at: loose(t.get("created_at")),
        channel: channel.map_or(Loose::Absent, ls),
        status: status.map_or(Loose::Absent, ls),
        priority: priority.map_or(Loose::Absent, ls),
        assignee: person(responder, responder_name),
        team: team.map_or(Loose::Absent, ls),
        requester: person(requester.clone(), None),
        tags: t
            .get("tags")
            .and_then(Value::as_array)
            .map_or(Nested::Absent, |a| {
                Nested::Value(a.iter().filter_map(|x| text(Some(x))).map(ls).collect())
            }),
        subject: loose(t.get("subject")),
        ..Default::default()
    };
    if let Some(stats) = t.get("stats").filter(|s| s.is_object()) {
        raw.first_reply_at = loose(get(stats, "first_responded_at"));
        raw.solved_at = loose(get(stats, "resolved_at"));
        raw.closed_at = loose(get(stats, "closed_at"));
    }
    if let Some(list) = convs {
        let mut list = list.clone();
        super::sort::sort_by_key(&mut list, |c| {
            seconds(c.get("created_at")).unwrap_or(i64::MAX)
        });
        let mut msgs: Vec<Nested<RawMessage<'static>>> = Vec::new();
        // The ticket's description is the requester's opening message (not a conversation);
        // an outbound email (source 10) is opened by the agent instead and has no such message.
        if source != Some(10) {
            msgs.push(message(loose(t.get("created_at")), "customer", true, None));
        }
        let agents_known = !agents.is_empty();
        for c in list {
            let user = text(c.get("user_id"));
            let incoming = c.get("incoming").and_then(Value::as_bool).unwrap_or(false);
            let private = c.get("private").and_then(Value::as_bool).unwrap_or(false);
            let auto = c
                .get("auto_response")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let role = if incoming || (user.is_some() && user == requester) {
                "customer"
            } else if auto {
                "bot"
            } else if agents_known && user.as_ref().is_some_and(|u| !agents.contains_key(u)) {
                // Not incoming, yet not written by an agent either: a contact replying from the
                // portal or a CC'd colleague.
                "customer"
            } else {
                "agent"
            };
            let agent = (role == "agent").then(|| user.clone()).flatten();
            msgs.push(message(loose(c.get("created_at")), role, !private, agent));
        }
        raw.messages = Nested::Value(msgs);
    }
    if let Some(r) = rating {
        raw.satisfaction = satisfaction(r, b, id);
    }
    raw
}

/// Freshdesk's `ratings: {"default_question": 103}`: 103 extremely happy … 100 neutral …
/// -103 extremely unhappy. Positive answers are satisfied, negative ones dissatisfied, and a
/// neutral answer counts as a rating that is not satisfied (the middle of a 0–1 scale).
fn satisfaction(r: &Value, b: &mut Builder, id: &str) -> Nested<RawSatisfaction<'static>> {
    let value = get(r, "ratings.default_question")
        .or_else(|| {
            r.get("ratings")
                .and_then(Value::as_object)
                .and_then(|o| o.values().next())
        })
        .and_then(Value::as_i64);
    let comment = text(r.get("feedback"));
    let at = loose(r.get("created_at"));
    let s = match value {
        Some(v) if v > 100 => rating_word(true, comment),
        Some(v) if v < 0 => rating_word(false, comment),
        Some(100) => rating_score(0.5, 1.0, comment),
        other => {
            b.warn(
                "a Freshdesk rating is not one of 103…100…-103: rating ignored".into(),
                format!(
                    "ticket {}: found {}",
                    time::quote(id),
                    other.map_or("nothing".into(), |v| v.to_string())
                ),
                false,
            );
            return Nested::Absent;
        }
    };
    Nested::Value(RawSatisfaction { at, ..s })
}

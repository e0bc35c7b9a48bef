//! Zammad REST API: tickets (`GET /api/v1/tickets`, with ids such as `state_id`, or with
//! `?expand=true` and names such as `state`; also the `{tickets, assets: {Ticket: …}}` answer of
//! the search endpoint) and ticket articles (`GET /api/v1/ticket_articles/by_ticket/{id}`).
//!
//! Default ids, from Zammad's seeds: states 1 new, 2 open, 3 pending reminder, 4 closed,
//! 5 merged, 6 removed, 7 pending close; priorities 1 low, 2 normal, 3 high; article senders 1
//! Agent, 2 Customer, 3 System; article types 1 email, 2 sms, 3 chat, 4 fax, 5 phone,
//! 6–7 twitter, 8–9 and 13 facebook, 10 note, 11 web, 12 telegram. Owner 1 is Zammad's system
//! user, i.e. nobody. Merged and removed tickets are skipped. Zammad's own
//! `first_response_at` and `close_at` give the first reply and the close time.

use super::{get, loose, ls, message, person, text};
use super::{Class, Ctx, Doc, Format, Kind};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawMessage, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

fn is_ticket(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.contains_key("number")
            && (o.contains_key("article_count")
                || o.contains_key("state_id")
                || o.contains_key("first_response_escalation_at")
                || o.contains_key("create_article_type_id"))
    })
}

fn is_article(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.contains_key("ticket_id")
            && o.contains_key("internal")
            && (o.contains_key("sender_id") || o.contains_key("sender"))
    })
}

fn asset_tickets(v: &Value) -> Option<Vec<&Value>> {
    let o = get(v, "assets.Ticket")?.as_object()?;
    Some(o.values().collect())
}

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let z = Format::Zammad;
    if let Some(t) = asset_tickets(v) {
        return Class::tickets(z, "tickets (search result with assets)", t.len());
    }
    if is_ticket(v) {
        return Class::tickets(z, "one ticket", 1);
    }
    let a = v.as_array()?;
    if !a.is_empty() && a.iter().all(is_ticket) {
        return Class::tickets(z, "tickets", a.len());
    }
    if !a.is_empty() && a.iter().all(is_article) {
        return Class::part(z, "articles", "ticket articles", a.len());
    }
    None
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    let mut tickets: Vec<&Value> = Vec::new();
    let mut articles: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for (doc, class) in docs {
        let Some(v) = doc.json() else { continue };
        match class.kind {
            Kind::Tickets => match (asset_tickets(v), v.as_array()) {
                (Some(t), _) => tickets.extend(t),
                (None, Some(a)) => tickets.extend(a.iter()),
                (None, None) => tickets.push(v),
            },
            Kind::Part(_) => {
                for a in v.as_array().into_iter().flatten() {
                    if let Some(t) = text(a.get("ticket_id")) {
                        articles.entry(t).or_default().push(a);
                    }
                }
            }
            Kind::Unused => {}
        }
    }
    let mut known: HashMap<String, ()> = HashMap::new();
    for t in tickets {
        let Some(id) = text(t.get("id")) else {
            b.skip_record(
                "a Zammad ticket without an \"id\": record skipped",
                "a ticket".into(),
            );
            continue;
        };
        known.insert(id.clone(), ());
        let state = state_name(t);
        let shown = text(t.get("number")).unwrap_or_else(|| id.clone());
        match state.as_deref() {
            Some("merged") => {
                b.skip_record(
                    "merged ticket (Zammad state \"merged\": merged into another ticket): \
                     skipped",
                    format!("ticket {}", time::quote(&shown)),
                );
                continue;
            }
            Some("removed") => {
                b.skip_record(
                    "removed ticket (Zammad state \"removed\"): skipped",
                    format!("ticket {}", time::quote(&shown)),
                );
                continue;
            }
            _ => {}
        }
        let raw = ticket(&shown, t, state.as_deref(), articles.get(&id));
        b.push(Nested::Value(raw));
    }
    for (t, list) in &articles {
        if !known.contains_key(t) {
            b.warn(
                "articles of a ticket that is not among the tickets: ignored".into(),
                format!("ticket id {} ({} articles)", time::quote(t), list.len()),
                false,
            );
        }
    }
    ctx.label = Some("Zammad tickets".into());
    ctx.hints = vec![
        (
            "messages",
            "add the ticket articles (ticket_articles/by_ticket/{id})",
        ),
        (
            "satisfaction",
            "Zammad tickets carry no satisfaction ratings",
        ),
    ];
    Ok(())
}

fn state_name(t: &Value) -> Option<String> {
    if let Some(s) = text(t.get("state")) {
        return Some(s.to_ascii_lowercase());
    }
    Some(
        match t.get("state_id")?.as_i64()? {
            1 => "new",
            2 => "open",
            3 => "pending reminder",
            4 => "closed",
            5 => "merged",
            6 => "removed",
            7 => "pending close",
            n => return Some(n.to_string()),
        }
        .to_string(),
    )
}

fn article_type(id: i64) -> Option<&'static str> {
    Some(match id {
        1 => "email",
        2 => "sms",
        3 => "chat",
        4 => "fax",
        5 => "phone",
        6 | 7 => "twitter",
        8 | 9 | 13 => "facebook",
        10 => "note",
        11 => "web",
        12 => "telegram",
        _ => return None,
    })
}

fn channel_name(t: &Value) -> Option<String> {
    if let Some(n) = text(t.get("create_article_type")) {
        let n = n.to_ascii_lowercase();
        let short = ["twitter", "facebook", "telegram"]
            .into_iter()
            .find(|p| n.starts_with(p));
        return Some(short.map_or(n, str::to_string));
    }
    t.get("create_article_type_id")
        .and_then(Value::as_i64)
        .and_then(article_type)
        .map(str::to_string)
}

fn ticket(
    shown: &str,
    t: &Value,
    state: Option<&str>,
    articles: Option<&Vec<&Value>>,
) -> RawTicket<'static> {
    let status = state.map(|s| match s {
        "pending reminder" | "pending close" => "pending".to_string(),
        other => other.to_string(),
    });
    let priority = text(t.get("priority"))
        .map(|p| {
            // "2 normal" → "normal"
            p.split_once(' ')
                .map_or(p.clone(), |(_, name)| name.to_string())
        })
        .or_else(|| match t.get("priority_id")?.as_i64()? {
            1 => Some("low".into()),
            2 => Some("normal".into()),
            3 => Some("high".into()),
            n => Some(n.to_string()),
        });
    let owner = text(t.get("owner"))
        .filter(|o| o != "-")
        .or_else(|| text(t.get("owner_id")).filter(|o| o != "1"));
    let team = text(t.get("group")).or_else(|| text(t.get("group_id")));
    let customer = text(t.get("customer")).or_else(|| text(t.get("customer_id")));
    let mut raw = RawTicket {
        id: ls(shown),
        created_at: loose(t.get("created_at")),
        channel: channel_name(t).map_or(Loose::Absent, ls),
        status: status.clone().map_or(Loose::Absent, ls),
        priority: priority.map_or(Loose::Absent, ls),
        assignee: person(owner, None),
        team: team.map_or(Loose::Absent, ls),
        requester: person(customer, None),
        subject: loose(t.get("title")),
        first_reply_at: loose(t.get("first_response_at")),
        ..Default::default()
    };
    if status.as_deref() == Some("closed") {
        raw.closed_at = loose(t.get("close_at"));
    }
    if let Some(list) = articles {
        let mut list = list.clone();
        super::sort::sort_by_key(&mut list, |a| {
            super::seconds(a.get("created_at")).unwrap_or(i64::MAX)
        });
        let msgs: Vec<Nested<RawMessage<'static>>> = list
            .iter()
            .map(|a| {
                let sender = text(a.get("sender")).or_else(|| {
                    match a.get("sender_id").and_then(Value::as_i64) {
                        Some(1) => Some("Agent".into()),
                        Some(2) => Some("Customer".into()),
                        Some(3) => Some("System".into()),
                        _ => None,
                    }
                });
                let internal = a.get("internal").and_then(Value::as_bool).unwrap_or(false);
                let at = loose(a.get("created_at"));
                match sender.as_deref() {
                    Some("Customer") => message(at, "customer", !internal, None),
                    Some("Agent") => message(at, "agent", !internal, text(a.get("created_by_id"))),
                    _ => message(at, "system", false, None),
                }
            })
            .collect();
        raw.messages = Nested::Value(msgs);
    }
    raw
}

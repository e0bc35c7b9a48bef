//! Help Scout Mailbox API 2.0: conversations (`{_embedded: {conversations: [...]}, page}` from
//! `GET /v2/conversations?embed=threads`, or one conversation) with their threads embedded
//! (`_embedded.threads`), and thread lists (`GET /v2/conversations/{id}/threads`).
//!
//! Status: `active` → open, `pending` → pending, `closed` → closed (at `closedAt`); spam,
//! deleted and draft conversations are skipped. Threads: `customer` → customer; `message`
//! (and `reply`) → agent reply; `note` and forwards → internal; `chat`, `phone` and
//! `beaconchat` by who created them (`createdBy.type` user or customer); `lineitem` → system.
//! Each thread's `status` (other than `nochange`) is a status change, which gives the status
//! history. Only published threads count.

use super::{get, loose, ls, message, objects, person, status_change, text};
use super::{Class, Ctx, Doc, Format, Kind};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawMessage, RawStatusChange, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::HashMap;

fn is_conversation(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.contains_key("createdAt")
            && o.contains_key("status")
            && (o.contains_key("mailboxId") || o.contains_key("primaryCustomer"))
    })
}

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let h = Format::HelpScout;
    if let Some(c) = get(v, "_embedded.conversations").and_then(Value::as_array) {
        return Class::tickets(h, "conversations", c.len());
    }
    if is_conversation(v) {
        return Class::tickets(h, "one conversation", 1);
    }
    if let Some(t) = get(v, "_embedded.threads").and_then(Value::as_array) {
        return Class::part(h, "threads", "conversation threads", t.len());
    }
    let a = v.as_array()?;
    (!a.is_empty() && a.iter().all(is_conversation)).then_some(())?;
    Class::tickets(h, "conversations", a.len())
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    let mut convs: Vec<&Value> = Vec::new();
    let mut threads: HashMap<String, Vec<&Value>> = HashMap::new();
    for (doc, class) in docs {
        let Some(v) = doc.json() else { continue };
        match class.kind {
            Kind::Tickets => {
                if let Some(c) = get(v, "_embedded.conversations").and_then(Value::as_array) {
                    convs.extend(c.iter());
                } else if let Some(a) = v.as_array() {
                    convs.extend(a.iter());
                } else {
                    convs.push(v);
                }
            }
            Kind::Part(_) => match doc.id_after("conversations") {
                Some(id) => threads
                    .entry(id)
                    .or_default()
                    .extend(objects(get(v, "_embedded.threads"))),
                None => b.warn(
                    "Help Scout threads whose address names no conversation (expected \
                     conversations/{id}/threads): ignored"
                        .into(),
                    format!("file {}", time::quote(&doc.name)),
                    false,
                ),
            },
            Kind::Unused => {}
        }
    }
    for c in convs {
        let Some(id) = text(c.get("id")) else {
            b.skip_record(
                "a Help Scout conversation without an \"id\": record skipped",
                "a conversation".into(),
            );
            continue;
        };
        let status = text(c.get("status")).unwrap_or_default();
        let state = text(c.get("state")).unwrap_or_default();
        let skip = match (status.as_str(), state.as_str()) {
            ("spam", _) => Some("spam conversation (Help Scout status \"spam\"): skipped"),
            (_, "deleted") => Some("deleted conversation (Help Scout state \"deleted\"): skipped"),
            (_, "draft") => Some("draft conversation (Help Scout state \"draft\"): skipped"),
            _ => None,
        };
        if let Some(why) = skip {
            b.skip_record(why, format!("conversation {}", time::quote(&id)));
            continue;
        }
        let mut list: Vec<&Value> = objects(get(c, "_embedded.threads")).collect();
        if let Some(more) = threads.get(&id) {
            list.extend(more.iter().copied());
        }
        let raw = conversation(&id, c, &status, list);
        b.push(Nested::Value(raw));
    }
    ctx.label = Some("Help Scout conversations".into());
    ctx.hints = vec![
        (
            "messages",
            "list the conversations with embed=threads, or add their threads",
        ),
        (
            "satisfaction",
            "Help Scout ratings are not part of the conversation objects",
        ),
    ];
    Ok(())
}

fn conversation(id: &str, c: &Value, status: &str, mut threads: Vec<&Value>) -> RawTicket<'static> {
    let st = match status {
        "active" => "open",
        "pending" => "pending",
        "closed" => "closed",
        other => other,
    };
    let name = |p: &str| {
        let first = text(get(c, &format!("{p}.first")));
        let last = text(get(c, &format!("{p}.last")));
        match (first, last) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (f, l) => f.or(l),
        }
    };
    let requester = text(get(c, "primaryCustomer.id")).or_else(|| {
        (text(get(c, "createdBy.type")).as_deref() == Some("customer"))
            .then(|| text(get(c, "createdBy.id")))
            .flatten()
    });
    let mut raw = RawTicket {
        id: ls(id),
        created_at: loose(c.get("createdAt")),
        channel: loose(c.get("type")),
        status: ls(st),
        assignee: person(text(get(c, "assignee.id")), name("assignee")),
        team: text(c.get("mailboxId")).map_or(Loose::Absent, |m| ls(format!("mailbox {m}"))),
        requester: person(requester, name("primaryCustomer")),
        tags: c
            .get("tags")
            .and_then(Value::as_array)
            .map_or(Nested::Absent, |a| {
                Nested::Value(
                    a.iter()
                        .filter_map(|t| text(t.get("tag")).or_else(|| text(Some(t))))
                        .map(ls)
                        .collect(),
                )
            }),
        subject: loose(c.get("subject")),
        ..Default::default()
    };
    if st == "closed" {
        raw.closed_at = loose(c.get("closedAt"));
    }
    if !threads.is_empty() {
        super::sort::sort_by_key(&mut threads, |t| {
            super::seconds(t.get("createdAt")).unwrap_or(i64::MAX)
        });
        let mut msgs: Vec<Nested<RawMessage<'static>>> = Vec::new();
        let mut history: Vec<Nested<RawStatusChange<'static>>> = Vec::new();
        for t in threads {
            let state = text(t.get("state")).unwrap_or_else(|| "published".into());
            if state != "published" {
                continue;
            }
            let at = loose(t.get("createdAt"));
            let by_user = text(get(t, "createdBy.type")).as_deref() == Some("user");
            let by = text(get(t, "createdBy.id"));
            let kind = text(t.get("type")).unwrap_or_default();
            let m = match kind.as_str() {
                "customer" => Some(message(at.clone(), "customer", true, None)),
                "message" | "reply" => Some(message(at.clone(), "agent", true, by)),
                "note" | "forwardparent" | "forwardchild" => {
                    Some(message(at.clone(), "agent", false, by))
                }
                "chat" | "phone" | "beaconchat" if by_user => {
                    Some(message(at.clone(), "agent", true, by))
                }
                "chat" | "phone" | "beaconchat" => {
                    Some(message(at.clone(), "customer", true, None))
                }
                _ => None,
            };
            msgs.extend(m);
            if let Some(s) = text(t.get("status")).filter(|s| s != "nochange") {
                let s = match s.as_str() {
                    "active" => "open",
                    other => other,
                };
                history.push(status_change(at, s));
            }
        }
        raw.messages = Nested::Value(msgs);
        if !history.is_empty() {
            raw.status_history = Nested::Value(history);
        }
    }
    raw
}

//! Chatwoot: conversations as the API lists them (`{data: {meta, payload: [...]}}`, one
//! conversation object, or an array of them), conversations from webhook events
//! (`conversation_created`, `conversation_status_changed`, … and `message_created`, also one
//! event per line), the messages of a conversation (`{meta, payload: [messages]}`) and CSAT
//! survey responses. Shapes follow Chatwoot's jbuilder views and swagger definitions
//! (`conversation.yml`, `message.yml`, `csat_survey_response_payload.yml`).
//!
//! Times are Unix seconds (ISO strings in some webhook payloads). `first_reply_created_at` is
//! Chatwoot's own first human reply and is 0 when there is none. Status: `open` → open,
//! `pending` (a bot still holds the conversation) → new, `snoozed` → on hold, `resolved` →
//! solved. Message types: 0 incoming (customer), 1 outgoing (agent when sent by a `User`, bot
//! when by an `AgentBot` or by nobody, i.e. automation), 2 activity (system), 3 template (bot);
//! `private` outgoing messages are internal notes.
//!
//! The conversation list carries only each conversation's *last* message, so messages are
//! taken from message lists and `message_created` events, never from a conversation's own
//! `messages` field (that would make the last reply look like the first).

use super::{
    get, loose, ls, message, person, rating_score, stamp_or_zero, text, Class, Ctx, Doc, Format,
    Kind,
};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawMessage, RawSatisfaction, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

fn is_conversation(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.contains_key("inbox_id")
            && o.get("status").is_some_and(Value::is_string)
            && (o.contains_key("meta")
                || o.contains_key("contact_inbox")
                || o.contains_key("account_id"))
            && !o.contains_key("message_type")
    })
}

fn is_message(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.contains_key("message_type") && o.contains_key("conversation_id"))
}

fn is_csat(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.contains_key("rating")
            && (o.contains_key("feedback_message") || o.contains_key("conversation_id"))
    })
}

fn is_event(v: &Value) -> bool {
    v.get("event").and_then(Value::as_str).is_some_and(|e| {
        e.starts_with("conversation_") || e.starts_with("message_") || e.starts_with("csat_")
    })
}

/// The records of a document: the list payload, a plain array, or one object.
fn records(v: &Value) -> Vec<&Value> {
    if let Some(p) = get(v, "data.payload").and_then(Value::as_array) {
        return p.iter().collect();
    }
    if let Some(p) = v.get("payload").and_then(Value::as_array) {
        return p.iter().collect();
    }
    match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let c = Format::Chatwoot;
    let recs = records(v);
    let n = recs.len();
    if recs.is_empty() {
        return (get(v, "data.payload").is_some() && d.mentions("conversations"))
            .then(|| Class::tickets(c, "conversations", 0))
            .flatten();
    }
    if recs.iter().any(|r| is_event(r)) {
        return if recs.iter().any(|r| {
            is_event(r)
                && r["event"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("conversation_")
        }) {
            Class::tickets(c, "webhook events", n)
        } else if recs.iter().all(|r| is_csat(r)) {
            Class::part(c, "csat", "CSAT survey responses (webhook events)", n)
        } else {
            Class::part(c, "messages", "message webhook events", n)
        };
    }
    if recs.iter().all(|r| is_conversation(r)) {
        return Class::tickets(c, "conversations", n);
    }
    if recs.iter().all(|r| is_message(r)) {
        return Class::part(c, "messages", "conversation messages", n);
    }
    if recs.iter().all(|r| is_csat(r)) {
        return Class::part(c, "csat", "CSAT survey responses", n);
    }
    None
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    // Conversations by id; a later event updates an earlier one field by field.
    let mut convs: Vec<(String, serde_json::Map<String, Value>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut msgs: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    let mut csat: HashMap<String, &Value> = HashMap::new();
    let mut parts: Vec<&str> = Vec::new();
    for (doc, class) in docs {
        let Some(v) = doc.json() else { continue };
        if let Kind::Part(p) = class.kind {
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        for r in records(v) {
            let event = r.get("event").and_then(Value::as_str).unwrap_or("");
            // Webhook payloads name their conversation in a nested object (its `id` is the
            // display id the API uses too).
            let conv_of = |r: &Value| {
                text(r.get("conversation_id"))
                    .or_else(|| text(get(r, "conversation.id")))
                    .or_else(|| text(get(r, "conversation.display_id")))
            };
            if is_csat(r) || event.starts_with("csat_") {
                if let Some(id) = conv_of(r) {
                    csat.insert(id, r);
                }
            } else if is_message(r) || event.starts_with("message_") {
                if let Some(id) = conv_of(r) {
                    msgs.entry(id).or_default().push(r);
                }
            } else if is_conversation(r) || event.starts_with("conversation_") {
                let Some(id) = text(r.get("id")) else {
                    b.skip_record(
                        "a Chatwoot conversation without an \"id\": record skipped",
                        format!("file {}", time::quote(&doc.name)),
                    );
                    continue;
                };
                let Some(o) = r.as_object() else { continue };
                match index.get(&id) {
                    Some(&i) => {
                        for (k, val) in o {
                            convs[i].1.insert(k.clone(), val.clone());
                        }
                    }
                    None => {
                        index.insert(id.clone(), convs.len());
                        convs.push((id, o.clone()));
                    }
                }
            }
        }
    }
    let mut seen_msgs: std::collections::HashSet<String> = Default::default();
    for (id, o) in &convs {
        let c = Value::Object(o.clone());
        let list = msgs.get(id).map(|l| {
            l.iter()
                .copied()
                .filter(|m| match text(m.get("id")) {
                    Some(mid) => seen_msgs.insert(mid),
                    None => true,
                })
                .collect::<Vec<_>>()
        });
        let raw = conversation(id, &c, list, csat.get(id).copied());
        b.push(Nested::Value(raw));
    }
    for (id, list) in &msgs {
        if !index.contains_key(id) {
            b.warn(
                "messages of a conversation that is not among the conversations: ignored".into(),
                format!("conversation {} ({} messages)", time::quote(id), list.len()),
                false,
            );
        }
    }
    let mut label = String::from("Chatwoot conversations");
    if !parts.is_empty() {
        label.push_str(" with ");
        label.push_str(&parts.join(", ").replace("csat", "CSAT responses"));
    }
    ctx.label = Some(label);
    ctx.hints = vec![
        (
            "messages",
            "add each conversation's messages (conversations/{id}/messages) or message_created \
             webhook events",
        ),
        (
            "solved_at",
            "Chatwoot's conversations and webhook events carry no resolution time",
        ),
        ("satisfaction", "add the CSAT survey responses"),
    ];
    Ok(())
}

fn channel(c: &str) -> String {
    let t = c.strip_prefix("Channel::").unwrap_or(c);
    match t {
        "WebWidget" => "chat".into(),
        "Email" => "email".into(),
        "FacebookPage" => "facebook".into(),
        "TwitterProfile" => "twitter".into(),
        "TwilioSms" | "Sms" => "sms".into(),
        other => other.to_lowercase(),
    }
}

fn status(s: &str) -> &str {
    match s {
        "resolved" => "solved",
        "pending" => "new",
        "snoozed" => "on_hold",
        other => other,
    }
}

fn conversation(
    id: &str,
    c: &Value,
    messages: Option<Vec<&Value>>,
    csat: Option<&Value>,
) -> RawTicket<'static> {
    let st = text(c.get("status"));
    let mut raw = RawTicket {
        id: ls(id),
        created_at: stamp_or_zero(c.get("created_at")),
        channel: text(get(c, "meta.channel").or_else(|| get(c, "channel")))
            .map_or(Loose::Absent, |ch| ls(channel(&ch))),
        status: st.as_deref().map_or(Loose::Absent, |s| ls(status(s))),
        priority: loose(get(c, "priority")),
        assignee: person(
            text(get(c, "meta.assignee.id")),
            text(get(c, "meta.assignee.available_name").or_else(|| get(c, "meta.assignee.name"))),
        ),
        team: text(get(c, "meta.team.name")).map_or(Loose::Absent, ls),
        requester: person(
            text(get(c, "meta.sender.id")),
            text(get(c, "meta.sender.name")),
        ),
        tags: c
            .get("labels")
            .and_then(Value::as_array)
            .map_or(Nested::Absent, |a| {
                Nested::Value(a.iter().filter_map(|x| text(Some(x))).map(ls).collect())
            }),
        first_reply_at: stamp_or_zero(c.get("first_reply_created_at")),
        ..Default::default()
    };
    if let Some(list) = messages {
        let mut list = list;
        super::sort::sort_by_key(&mut list, |m| {
            super::seconds(m.get("created_at")).unwrap_or(i64::MAX)
        });
        let out: Vec<Nested<RawMessage<'static>>> = list
            .iter()
            .filter_map(|m| {
                let kind = m.get("message_type").and_then(|t| {
                    t.as_i64().or_else(|| match t.as_str()? {
                        "incoming" => Some(0),
                        "outgoing" => Some(1),
                        "activity" => Some(2),
                        "template" => Some(3),
                        _ => None,
                    })
                })?;
                let private = m.get("private").and_then(Value::as_bool).unwrap_or(false);
                let sender_type = text(m.get("sender_type"))
                    .or_else(|| text(get(m, "sender.type")))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let sender = text(m.get("sender_id")).or_else(|| text(get(m, "sender.id")));
                let at = loose(m.get("created_at"));
                // An outgoing message is a human agent's unless a bot sent it or nobody did
                // (automation, auto-replies); webhook samples give the agent without a `type`.
                let by_bot = matches!(sender_type.as_str(), "agentbot" | "agent_bot" | "bot");
                let by_agent = sender.is_some() && !by_bot && sender_type != "contact";
                Some(match kind {
                    0 => message(at, "customer", true, None),
                    1 if by_agent => message(at, "agent", !private, sender),
                    1 | 3 => message(at, "bot", !private, None),
                    _ => message(at, "system", false, None),
                })
            })
            .collect();
        raw.messages = Nested::Value(out);
    }
    if let Some(r) = csat {
        raw.satisfaction = match r.get("rating").and_then(Value::as_f64) {
            Some(score) => Nested::Value(RawSatisfaction {
                at: loose(r.get("created_at")),
                ..rating_score(score, 5.0, text(r.get("feedback_message")))
            }),
            None => Nested::Absent,
        };
    }
    raw
}

#[cfg(test)]
mod tests {
    #[test]
    fn statuses() {
        assert_eq!(super::status("resolved"), "solved");
        assert_eq!(super::status("snoozed"), "on_hold");
        assert_eq!(super::channel("Channel::WebWidget"), "chat");
    }
}

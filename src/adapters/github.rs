//! GitHub issues: REST objects (`GET /repos/{owner}/{repo}/issues`, snake_case, pull requests
//! included and marked by a `pull_request` key) and `gh issue list --json …` output
//! (camelCase: `createdAt`, `closedAt`, `author`, `state` in capitals), plus issue comments
//! (`GET /repos/{owner}/{repo}/issues/comments`, joined by the number at the end of
//! `issue_url`, or the `comments` array `gh` embeds).
//!
//! An issue is a ticket on the `github` channel, raised by its author. Replies by the
//! repository's owner, members and collaborators (`author_association`) are agent replies;
//! bots (`user.type` Bot, `[bot]` logins, `is_bot`) are automation; everyone else, the author
//! included, is a customer. `priority: high`-style labels set the priority; all labels are
//! tags. Pull requests are skipped with their own reason.

use super::{get, loose, ls, message, objects, person, text};
use super::{Class, Ctx, Doc, Format, Kind};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawMessage, RawTicket};
use crate::time;
use serde_json::Value;
use std::collections::BTreeMap;

fn is_rest_issue(v: &Value) -> bool {
    v.get("number").is_some()
        && v.get("created_at").is_some()
        && (v.get("html_url").is_some() || v.get("repository_url").is_some())
        && v.get("user").is_some()
}

fn is_gh_issue(v: &Value) -> bool {
    v.get("number").is_some()
        && v.get("createdAt").is_some()
        && v.get("mailboxId").is_none()
        && (v.get("state").is_some() || v.get("author").is_some() || v.get("url").is_some())
}

fn is_comment(v: &Value) -> bool {
    v.get("issue_url").is_some() && v.get("user").is_some() && v.get("created_at").is_some()
}

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let v = d.json()?;
    let g = Format::GitHub;
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    if items.is_empty() {
        return None;
    }
    if items.iter().all(|x| is_rest_issue(x)) {
        return Class::tickets(g, "issues (REST API)", items.len());
    }
    if items.iter().all(|x| is_gh_issue(x)) {
        return Class::tickets(g, "issues (gh issue list --json)", items.len());
    }
    if items.iter().all(|x| is_comment(x)) {
        return Class::part(g, "comments", "issue comments", items.len());
    }
    None
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    let mut comments: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    let mut issues: Vec<&Value> = Vec::new();
    let mut have_comments = false;
    for (doc, class) in docs {
        let Some(v) = doc.json() else { continue };
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        match class.kind {
            Kind::Tickets => issues.extend(items),
            Kind::Part(_) => {
                have_comments = true;
                for c in items {
                    let number = text(c.get("issue_url"))
                        .and_then(|u| u.rsplit('/').next().map(str::to_string));
                    match number {
                        Some(n) => comments.entry(n).or_default().push(c),
                        None => b.warn(
                            "a GitHub comment without an issue_url: ignored".into(),
                            format!("file {}", time::quote(&doc.name)),
                            false,
                        ),
                    }
                }
            }
            Kind::Unused => {}
        }
    }
    let mut known = Vec::new();
    for i in issues {
        let Some(number) = text(i.get("number")) else {
            b.skip_record(
                "a GitHub issue without a \"number\": record skipped",
                "an issue".into(),
            );
            continue;
        };
        if i.get("pull_request").is_some_and(|p| !p.is_null()) {
            b.skip_record(
                "pull request (GitHub lists pull requests among issues): skipped",
                format!("#{number}"),
            );
            continue;
        }
        known.push(number.clone());
        let raw = issue(&number, i, comments.get(&number), have_comments);
        b.push(Nested::Value(raw));
    }
    for (n, list) in &comments {
        if !known.contains(n) {
            b.warn(
                "comments of an issue that is not among the issues (a pull request, or an issue \
                 not exported): ignored"
                    .into(),
                format!("#{n} ({} comments)", list.len()),
                false,
            );
        }
    }
    ctx.label = Some("GitHub issues".into());
    ctx.hints = vec![
        (
            "messages",
            "add the issue comments (issues/comments), or run gh issue list with --json \
             comments",
        ),
        (
            "satisfaction",
            "GitHub issues carry no satisfaction ratings",
        ),
    ];
    Ok(())
}

fn login(v: Option<&Value>) -> Option<String> {
    text(v?.get("login"))
}

fn is_bot(user: Option<&Value>) -> bool {
    user.is_some_and(|u| {
        text(u.get("type")).as_deref() == Some("Bot")
            || u.get("is_bot").and_then(Value::as_bool) == Some(true)
            || text(u.get("login")).is_some_and(|l| l.ends_with("[bot]"))
    })
}

fn issue(
    number: &str,
    i: &Value,
    rest_comments: Option<&Vec<&Value>>,
    have_comments: bool,
) -> RawTicket<'static> {
    let gh = i.get("createdAt").is_some();
    let created = if gh {
        i.get("createdAt")
    } else {
        i.get("created_at")
    };
    let closed = if gh {
        i.get("closedAt")
    } else {
        i.get("closed_at")
    };
    let author_v = if gh { i.get("author") } else { i.get("user") };
    let author = login(author_v);
    let state = text(i.get("state"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let assignee = get(i, "assignee")
        .and_then(|a| login(Some(a)))
        .or_else(|| objects(i.get("assignees")).find_map(|a| login(Some(a))));
    let labels: Vec<String> = i
        .get("labels")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|l| text(l.get("name")).or_else(|| text(Some(l))))
                .collect()
        })
        .unwrap_or_default();
    let priority = labels.iter().find_map(|l| {
        let lower = l.to_ascii_lowercase();
        let rest = lower.strip_prefix("priority")?;
        let rest = rest.trim_start_matches([':', '/', '-', ' ', '_']).trim();
        (!rest.is_empty()).then(|| rest.to_string())
    });
    let mut raw = RawTicket {
        id: ls(number),
        created_at: loose(created),
        channel: ls("github"),
        status: match state.as_str() {
            "open" => ls("open"),
            "closed" => ls("closed"),
            "" => Loose::Absent,
            other => ls(other),
        },
        priority: priority.map_or(Loose::Absent, ls),
        assignee: person(assignee, None),
        requester: person(author.clone(), None),
        tags: Nested::Value(labels.into_iter().map(ls).collect()),
        subject: loose(i.get("title")),
        ..Default::default()
    };
    if state == "closed" {
        raw.closed_at = loose(closed);
    }
    // Comments: gh embeds them; REST needs the comments file.
    let embedded: Option<Vec<&Value>> = i
        .get("comments")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|c| c.is_object()).collect());
    let list = embedded.or_else(|| {
        rest_comments
            .cloned()
            .or_else(|| have_comments.then(Vec::new))
    });
    if let Some(mut list) = list {
        super::sort::sort_by_key(&mut list, |c| {
            super::seconds(c.get("createdAt").or(c.get("created_at"))).unwrap_or(i64::MAX)
        });
        let mut msgs: Vec<Nested<RawMessage<'static>>> =
            vec![message(loose(created), "customer", true, None)];
        for c in list {
            let user = c.get("author").or(c.get("user"));
            let who = login(user);
            let assoc = text(c.get("authorAssociation").or(c.get("author_association")))
                .unwrap_or_default()
                .to_ascii_uppercase();
            let at = loose(c.get("createdAt").or(c.get("created_at")));
            msgs.push(if is_bot(user) {
                message(at, "bot", true, None)
            } else if who.is_some() && who == author {
                message(at, "customer", true, None)
            } else if matches!(assoc.as_str(), "OWNER" | "MEMBER" | "COLLABORATOR") {
                message(at, "agent", true, who)
            } else {
                message(at, "customer", true, None)
            });
        }
        raw.messages = Nested::Value(msgs);
    }
    raw
}

//! The Kaggle "Customer Support on Twitter" (TWCS) tweet table: one row per tweet with
//! `tweet_id, author_id, inbound, created_at, text, response_tweet_id,
//! in_response_to_tweet_id`. Tweets are grouped into conversations by following
//! `in_response_to_tweet_id` to the first tweet; a conversation is a ticket opened by the
//! customer's first tweet, answered by the brand's support account (the brand is the agent
//! and the team: the data has no person behind it).
//!
//! A conversation whose first tweet in the file replies to a tweet that is not in the file
//! started earlier than the file shows: its creation time is unknown, so it is skipped with
//! that reason rather than measured from the wrong tweet.

use super::{ls, message, person, twitter_or_rfc2822, Class, Ctx, Doc, Format};
use crate::error::Result;
use crate::ingest::Builder;
use crate::raw::{Loose, Nested, RawTicket};
use crate::time;
use std::collections::HashMap;

const COLUMNS: [&str; 5] = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "in_response_to_tweet_id",
];

pub(crate) fn classify(d: &Doc) -> Option<Class> {
    let t = d.csv()?;
    COLUMNS.iter().all(|c| t.col(c).is_some()).then_some(())?;
    Class::tickets(
        Format::Twcs,
        "tweets (Customer Support on Twitter)",
        t.rows.len(),
    )
}

struct Tweet {
    id: String,
    author: String,
    inbound: bool,
    at: Loose<'static>,
    parent: Option<String>,
}

pub(crate) fn build(docs: &[(&Doc, &Class)], b: &mut Builder, ctx: &mut Ctx) -> Result<()> {
    let mut tweets: Vec<Tweet> = Vec::new();
    for (doc, _) in docs {
        let Some(t) = doc.csv() else { continue };
        let col = |name: &str| t.col(name).unwrap_or(usize::MAX);
        let (id, author, inbound, created, parent) = (
            col("tweet_id"),
            col("author_id"),
            col("inbound"),
            col("created_at"),
            col("in_response_to_tweet_id"),
        );
        for row in &t.rows {
            let cell = |i: usize| t.cell(row, i).trim().to_string();
            let raw_at = cell(created);
            tweets.push(Tweet {
                id: cell(id),
                author: cell(author),
                inbound: cell(inbound).eq_ignore_ascii_case("true"),
                // Twitter writes "Wed Oct 11 06:55:44 +0000 2017"; anything else goes to the
                // builder as written, which warns when it is not a time.
                at: twitter_or_rfc2822(&raw_at).map_or_else(|| ls(raw_at.clone()), ls),
                parent: Some(cell(parent)).filter(|p| !p.is_empty()),
            });
        }
    }
    let index: HashMap<&str, usize> = tweets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    // The first tweet of each one's conversation (bounded walk: a reply cycle cannot hang it).
    let root_of = |mut i: usize| {
        for _ in 0..tweets.len() {
            match tweets[i].parent.as_deref().and_then(|p| index.get(p)) {
                Some(&p) => i = p,
                None => break,
            }
        }
        i
    };
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for i in 0..tweets.len() {
        let r = root_of(i);
        let g = *group_of.entry(r).or_insert_with(|| {
            groups.push((r, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    super::sort::sort_by_key(&mut groups, |(r, _)| *r as i64);
    for (root, members) in &groups {
        let first = &tweets[*root];
        if let Some(parent) = &first.parent {
            b.skip_record(
                "conversation starts with a reply to a tweet that is not in the file (its \
                 creation time is unknown): conversation skipped",
                format!(
                    "tweet {} by {} replies to tweet {}",
                    time::quote(&first.id),
                    first.author,
                    time::quote(parent)
                ),
            );
            continue;
        }
        if !first.inbound {
            b.skip_record(
                "conversation starts with a brand tweet, not a customer's: conversation skipped",
                format!("tweet {} by {}", time::quote(&first.id), first.author),
            );
            continue;
        }
        let brand = members
            .iter()
            .map(|&i| &tweets[i])
            .find(|t| !t.inbound)
            .map(|t| t.author.clone());
        let messages = members
            .iter()
            .map(|&i| {
                let t = &tweets[i];
                if t.inbound {
                    message(t.at.clone(), "customer", true, None)
                } else {
                    message(t.at.clone(), "agent", true, Some(t.author.clone()))
                }
            })
            .collect();
        b.push(Nested::Value(RawTicket {
            id: ls(first.id.clone()),
            created_at: first.at.clone(),
            channel: ls("twitter"),
            requester: person(Some(first.author.clone()), None),
            assignee: person(brand.clone(), None),
            team: brand.map_or(Loose::Absent, ls),
            messages: Nested::Value(messages),
            ..Default::default()
        }));
    }
    ctx.label = Some(format!(
        "Customer Support on Twitter: {} tweets grouped into {} conversations",
        tweets.len(),
        groups.len()
    ));
    ctx.hints = vec![
        ("status", "tweets carry no ticket status"),
        ("satisfaction", "tweets carry no satisfaction ratings"),
    ];
    Ok(())
}

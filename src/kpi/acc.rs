//! The mergeable accumulator behind every KPI of the catalogue.
//!
//! One [`Acc`] holds the sums of a set of tickets over one time window: counts, ratio sides and
//! exact duration bags. Accumulators of chunks, groups or workers merge by adding field by
//! field, so a KPI computed from merged parts equals the KPI computed in one go.

use crate::stats::{Durations, Ratio};

/// A duration measured twice: wall-clock and inside the working calendar.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dual {
    /// Calendar seconds.
    pub calendar: Durations,
    /// Business seconds (working calendar).
    pub business: Durations,
}

/// Which sides of every [`Dual`] a grid keeps. A grid whose figures are read only as values
/// in one basis (series buckets, breakdown rows) keeps that side alone: at 1M tickets each side
/// of each duration KPI is 8 MB of values to fill and select in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sides {
    /// Keep calendar durations.
    pub calendar: bool,
    /// Keep business durations.
    pub business: bool,
}

impl Sides {
    /// Both sides (summaries in both bases).
    pub const BOTH: Sides = Sides {
        calendar: true,
        business: true,
    };
    /// Only the headline basis: business when `business`, else calendar.
    pub fn basis(business: bool) -> Sides {
        Sides {
            calendar: !business,
            business,
        }
    }
}

impl Dual {
    /// Adds one measurement.
    pub fn push(&mut self, calendar: i64, business: i64) {
        self.calendar.push(calendar);
        self.business.push(business);
    }
    /// Adds one measurement to the `sides` kept.
    #[inline]
    pub fn push_sides(&mut self, calendar: i64, business: i64, sides: Sides) {
        if sides.calendar {
            self.calendar.push(calendar);
        }
        if sides.business {
            self.business.push(business);
        }
    }
    /// Adds another bag.
    pub fn merge(&mut self, o: &Dual) {
        self.calendar.merge(&o.calendar);
        self.business.merge(&o.business);
    }
}

/// Sums of one set of tickets over one window. Field comments say which event places a ticket
/// in the window: its creation, its (last) solve, a reply, or a rating.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acc {
    /// Tickets created (creation).
    pub created: u64,
    /// Customer messages received (message time).
    pub messages_in: u64,
    /// Tickets solved (last solve).
    pub solved: u64,
    /// First response time of tickets created in the window.
    pub frt: Dual,
    /// Tickets created in the window still without a first reply.
    pub awaiting_reply: u64,
    /// Reply wait: agent reply − first unanswered customer message, every turn after the first
    /// (reply time).
    pub reply_wait: Dual,
    /// Queue wait of answered queued contacts (creation): sum of seconds.
    pub queue_wait_sum: i64,
    /// Answered queued contacts with a known wait (creation).
    pub queue_answered: u64,
    /// Abandoned ÷ offered queued contacts, short abandons excluded (creation).
    pub abandoned: Ratio,
    /// Full resolution time: last solve − created (last solve).
    pub resolution: Dual,
    /// First resolution time: first solve − created (first solve).
    pub first_resolution: Dual,
    /// Time in new/open/on-hold before the final solve (last solve; needs status history).
    pub requester_wait: Durations,
    /// First response time of urgent tickets (creation).
    pub urgent_frt: Dual,
    /// Resolution time of urgent tickets (last solve).
    pub urgent_resolution: Dual,
    /// Solved without a customer message after the first agent reply ÷ solved with messages.
    pub fcr: Ratio,
    /// Solved with exactly one agent reply ÷ solved with a known reply count.
    pub one_touch: Ratio,
    /// Solved and reopened at least once ÷ solved with a known reopen count.
    pub reopened: Ratio,
    /// Tickets created that got an agent reply ÷ tickets created.
    pub responded: Ratio,
    /// Escalated ÷ tickets created with a known escalation flag.
    pub escalated: Ratio,
    /// Escalated complaints (creation).
    pub complaint_escalations: u64,
    /// Tickets created with a complaint flag (to tell "no complaints" from "no data").
    pub complaint_known: u64,
    /// First reply within target ÷ first replies judged (creation).
    pub sla_first: Ratio,
    /// Next replies within target ÷ next replies judged (reply time).
    pub sla_next: Ratio,
    /// Solved within target ÷ resolutions judged (last solve, or creation for breaches still open).
    pub sla_resolution: Ratio,
    /// Converted ÷ contacts with a known conversion flag (creation).
    pub converted: Ratio,
    /// Satisfied ÷ ratings (rating time).
    pub csat: Ratio,
    /// Ratings ÷ surveys offered (rating time, else solve).
    pub survey_response: Ratio,
    /// NPS answers (rating time): promoters (9–10).
    pub nps_promoters: u64,
    /// NPS detractors (0–6).
    pub nps_detractors: u64,
    /// NPS answers.
    pub nps_answers: u64,
    /// Sum of customer effort scores (1–7).
    pub ces_sum: u64,
    /// Effort answers.
    pub ces_answers: u64,
    /// Effort answers of 5–7 ("easy").
    pub ces_easy: u64,
    /// Sum of order values (creation).
    pub order_value: f64,
    /// Tickets with an order value.
    pub orders: u64,
    /// Sum of handle seconds (creation).
    pub handle_sum: i64,
    /// Contacts with a handle time.
    pub handled: u64,
    /// Public agent replies sent (message time).
    pub replies: u64,
    /// Tickets an agent replied in or solved (each ticket once per window).
    pub touched: u64,
    /// Agents active in the window (assignees of tickets created, solved or replied in it),
    /// as a bitset of agent ids: set union merges exactly.
    pub agents: Vec<u64>,
}

impl Acc {
    /// Adds another accumulator field by field.
    pub fn merge(&mut self, o: &Acc) {
        self.created += o.created;
        self.messages_in += o.messages_in;
        self.solved += o.solved;
        self.frt.merge(&o.frt);
        self.awaiting_reply += o.awaiting_reply;
        self.reply_wait.merge(&o.reply_wait);
        self.queue_wait_sum += o.queue_wait_sum;
        self.queue_answered += o.queue_answered;
        self.abandoned.merge(o.abandoned);
        self.resolution.merge(&o.resolution);
        self.first_resolution.merge(&o.first_resolution);
        self.requester_wait.merge(&o.requester_wait);
        self.urgent_frt.merge(&o.urgent_frt);
        self.urgent_resolution.merge(&o.urgent_resolution);
        self.fcr.merge(o.fcr);
        self.one_touch.merge(o.one_touch);
        self.reopened.merge(o.reopened);
        self.responded.merge(o.responded);
        self.escalated.merge(o.escalated);
        self.complaint_escalations += o.complaint_escalations;
        self.complaint_known += o.complaint_known;
        self.sla_first.merge(o.sla_first);
        self.sla_next.merge(o.sla_next);
        self.sla_resolution.merge(o.sla_resolution);
        self.converted.merge(o.converted);
        self.csat.merge(o.csat);
        self.survey_response.merge(o.survey_response);
        self.nps_promoters += o.nps_promoters;
        self.nps_detractors += o.nps_detractors;
        self.nps_answers += o.nps_answers;
        self.ces_sum += o.ces_sum;
        self.ces_answers += o.ces_answers;
        self.ces_easy += o.ces_easy;
        self.order_value += o.order_value;
        self.orders += o.orders;
        self.handle_sum += o.handle_sum;
        self.handled += o.handled;
        self.replies += o.replies;
        self.touched += o.touched;
        if self.agents.len() < o.agents.len() {
            self.agents.resize(o.agents.len(), 0);
        }
        for (a, b) in self.agents.iter_mut().zip(&o.agents) {
            *a |= b;
        }
    }

    /// Marks agent `id` active.
    pub fn mark_agent(&mut self, id: u32) {
        let (word, bit) = (id as usize / 64, id % 64);
        if self.agents.len() <= word {
            self.agents.resize(word + 1, 0);
        }
        self.agents[word] |= 1 << bit;
    }

    /// Number of agents marked active.
    pub fn agent_count(&self) -> u64 {
        self.agents.iter().map(|w| w.count_ones() as u64).sum()
    }

    /// Resolution rate: solved ÷ created in the window, a ratio of sums.
    pub fn resolution_rate(&self) -> Ratio {
        Ratio {
            numerator: self.solved,
            denominator: self.created,
        }
    }
}

//! The KPI catalogue: one definition per KPI of `KPIS.md` (key, unit, direction, the fields it
//! needs) and the one function that turns an accumulator into its value.

use super::acc::{Acc, Dual};
use crate::stats::{Durations, Ratio, Summary};
use serde::Serialize;

/// How a KPI's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of tickets, messages or events.
    Count,
    /// Seconds, shown as a duration.
    Seconds,
    /// Percent, 0–100.
    Percent,
    /// A score on its own scale (NPS −100..100, CES 1–7).
    Score,
    /// A plain number (per agent, per working day, per 1,000 customers).
    Number,
    /// A sum of order values in the dataset's currency.
    Money,
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better (CSAT, FCR).
    Higher,
    /// Lower is better (FRT, backlog).
    Lower,
    /// Neither (volume).
    Neutral,
}

/// Catalogue sections, as in `KPIS.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Speed.
    Speed,
    /// Volume and flow.
    Volume,
    /// Outcome.
    Outcome,
    /// Customer.
    Customer,
    /// Team.
    Team,
}

/// The input a KPI needs, checked against what the dataset actually has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Nothing beyond `created_at`.
    Nothing,
    /// `first_reply_at` or agent messages.
    FirstReply,
    /// `messages` with authors.
    Messages,
    /// `queue.wait_seconds`.
    QueueWait,
    /// `queue.abandoned`.
    Abandoned,
    /// `queue.handle_seconds` and agents.
    HandleTime,
    /// `solved_at` / `closed_at` / history.
    Solved,
    /// First solve time.
    FirstSolved,
    /// `status_history`.
    History,
    /// `priority` with an urgent value.
    Urgent,
    /// `agent_replies` or messages.
    ReplyCount,
    /// `reopens` or history.
    Reopens,
    /// `escalated`.
    Escalated,
    /// `complaint` and `escalated`.
    Complaint,
    /// SLA targets set.
    Sla,
    /// `converted`.
    Converted,
    /// `satisfaction` ratings.
    Rating,
    /// `satisfaction.offered`.
    SurveyOffered,
    /// `nps`.
    Nps,
    /// `effort`.
    Effort,
    /// `requester` ids.
    Requester,
    /// `order_value`.
    OrderValue,
    /// `assignee`.
    Assignee,
    /// An agent roster with start/end dates.
    Roster,
    /// `channel`.
    Channel,
    /// `requester.tier`.
    Tier,
    /// `satisfaction.comment`.
    Comments,
}

impl Need {
    /// What the user should add, said plainly.
    pub fn describe(self) -> &'static str {
        match self {
            Need::Nothing => "",
            Need::FirstReply => "needs \"first_reply_at\" or agent \"messages\" on tickets",
            Need::Messages => "needs \"messages\" with customer and agent authors",
            Need::QueueWait => "needs \"queue.wait_seconds\" on calls or chats",
            Need::Abandoned => "needs \"queue.abandoned\" on calls or chats",
            Need::HandleTime => "needs \"queue.handle_seconds\" and \"assignee\" on tickets",
            Need::Solved => {
                "needs \"solved_at\" (or \"closed_at\" / \"status_history\") on solved tickets"
            }
            Need::FirstSolved => "needs \"first_solved_at\", \"solved_at\" or \"status_history\"",
            Need::History => "needs \"status_history\" on tickets",
            Need::Urgent => "needs \"priority\" with urgent tickets",
            Need::ReplyCount => "needs \"agent_replies\" or \"messages\" on tickets",
            Need::Reopens => "needs \"reopens\" or \"status_history\" on tickets",
            Need::Escalated => "needs \"escalated\" on tickets",
            Need::Complaint => "needs \"complaint\" and \"escalated\" on tickets",
            Need::Sla => {
                "needs SLA targets (first reply, next reply, resolution), typed in or in \
                 \"dataset.targets.sla\""
            }
            Need::Converted => "needs \"converted\" on tickets",
            Need::Rating => "needs \"satisfaction\" ratings on tickets",
            Need::SurveyOffered => "needs \"satisfaction.offered\" (surveys sent) on tickets",
            Need::Nps => "needs \"nps\" answers on tickets",
            Need::Effort => "needs \"effort\" answers on tickets",
            Need::Requester => "needs \"requester\" ids on tickets",
            Need::OrderValue => "needs \"order_value\" on tickets",
            Need::Assignee => "needs \"assignee\" on tickets",
            Need::Roster => "needs an agent roster with start and end dates in \"dataset.agents\"",
            Need::Channel => "needs \"channel\" on tickets",
            Need::Tier => "needs \"requester.tier\" on tickets",
            Need::Comments => "needs \"satisfaction.comment\" on rated tickets",
        }
    }

    /// The canonical fields that provide it (any one of them), for import hints.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Need::Nothing => &[],
            Need::FirstReply => &["first_reply_at", "messages"],
            Need::Messages => &["messages"],
            Need::QueueWait => &["queue.wait_seconds", "queue"],
            Need::Abandoned => &["queue.abandoned", "queue"],
            Need::HandleTime => &["queue.handle_seconds", "queue", "assignee"],
            Need::Solved => &["solved_at", "closed_at", "status_history"],
            Need::FirstSolved => &["first_solved_at", "solved_at", "status_history"],
            Need::History => &["status_history"],
            Need::Urgent => &["priority"],
            Need::ReplyCount => &["agent_replies", "messages"],
            Need::Reopens => &["reopens", "status_history"],
            Need::Escalated => &["escalated"],
            Need::Complaint => &["complaint", "escalated"],
            Need::Sla => &["dataset.targets.sla"],
            Need::Converted => &["converted"],
            Need::Rating => &["satisfaction"],
            Need::SurveyOffered => &["satisfaction"],
            Need::Nps => &["nps"],
            Need::Effort => &["effort"],
            Need::Requester => &["requester"],
            Need::OrderValue => &["order_value"],
            Need::Assignee => &["assignee"],
            Need::Roster => &["dataset.agents"],
            Need::Channel => &["channel"],
            Need::Tier => &["requester.tier"],
            Need::Comments => &["satisfaction.comment", "satisfaction"],
        }
    }
}

/// Priority names read as urgent (urgent-ticket KPIs).
pub const URGENT_PRIORITIES: [&str; 6] = [
    "urgent",
    "critical",
    "emergency",
    "highest",
    "p1",
    "blocker",
];

/// Which inputs a dataset has at all: what tells "no data in this period" from "no such field".
/// One judgement serves the import report and every view of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    present: Vec<Need>,
}

impl Coverage {
    /// Judges `store`; `sla_set` says whether SLA targets exist, `urgent` which priority ids
    /// count as urgent.
    pub fn of(s: &crate::store::TicketStore, sla_set: bool, urgent: &[bool]) -> Coverage {
        use crate::store::{Role, NONE};
        use crate::time::NO_TIME;
        let any_resolved = (0..s.len()).any(|r| s.resolved_at(r) != NO_TIME);
        let checks = [
            (Need::Nothing, true),
            (
                Need::FirstReply,
                s.first_reply.iter().any(|&t| t != NO_TIME),
            ),
            (
                Need::Messages,
                s.messages.values.iter().any(|m| m.role == Role::Customer)
                    && s.messages.values.iter().any(|m| m.is_agent_reply()),
            ),
            (Need::QueueWait, s.queue_wait.iter().any(|&t| t != NO_TIME)),
            (Need::Abandoned, s.abandoned.iter().any(Option::is_some)),
            (
                Need::HandleTime,
                s.handle.iter().any(|&t| t != NO_TIME) && s.agent.iter().any(|&a| a != NONE),
            ),
            (Need::Solved, any_resolved),
            (
                Need::FirstSolved,
                s.first_solved.iter().any(|&t| t != NO_TIME),
            ),
            (Need::History, !s.history.values.is_empty()),
            (Need::Urgent, urgent.iter().any(|&u| u)),
            (
                Need::ReplyCount,
                s.agent_replies.iter().any(|&r| r != u32::MAX),
            ),
            (Need::Reopens, s.reopens.iter().any(|&r| r != u32::MAX)),
            (Need::Escalated, s.escalated.iter().any(Option::is_some)),
            (
                Need::Complaint,
                s.complaint.iter().any(Option::is_some) && s.escalated.iter().any(Option::is_some),
            ),
            (Need::Sla, sla_set),
            (Need::Converted, s.converted.iter().any(Option::is_some)),
            (Need::Rating, s.rating.iter().any(Option::is_some)),
            (Need::SurveyOffered, s.survey_offered.iter().any(|&o| o)),
            (Need::Nps, s.nps.iter().any(|&v| v >= 0)),
            (Need::Effort, s.effort.iter().any(|&v| v >= 0)),
            (Need::Requester, s.requester.iter().any(|&r| r != NONE)),
            (Need::OrderValue, s.order_value.iter().any(|v| !v.is_nan())),
            (Need::Assignee, s.agent.iter().any(|&a| a != NONE)),
            (
                Need::Roster,
                s.agent_info
                    .iter()
                    .any(|a| a.start_day.is_some() || a.end_day.is_some()),
            ),
            (Need::Channel, s.channel.iter().any(|&c| c != NONE)),
            (Need::Tier, s.tier.iter().any(|&t| t != NONE)),
            (
                Need::Comments,
                s.comment
                    .iter()
                    .zip(&s.rating)
                    .any(|(&c, r)| c != NONE && r.is_some()),
            ),
        ];
        Coverage {
            present: checks
                .iter()
                .filter(|(_, ok)| *ok)
                .map(|(n, _)| *n)
                .collect(),
        }
    }

    /// True when the data has what `need` asks for.
    pub fn has(&self, need: Need) -> bool {
        self.present.contains(&need)
    }

    /// What is missing for `need`, in plain words, or `None`.
    pub fn missing(&self, need: Need) -> Option<String> {
        (!self.has(need)).then(|| need.describe().to_string())
    }
}

/// One KPI of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KpiDef {
    /// Stable key used in options, targets and the report.
    pub key: &'static str,
    /// English label (the page translates by key).
    pub label: &'static str,
    /// Catalogue section.
    pub section: Section,
    /// Unit of the value.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// The input it needs.
    #[serde(skip)]
    pub need: Need,
}

const fn def(
    key: &'static str,
    label: &'static str,
    section: Section,
    unit: Unit,
    direction: Direction,
    need: Need,
) -> KpiDef {
    KpiDef {
        key,
        label,
        section,
        unit,
        direction,
        need,
    }
}

use Direction::{Higher, Lower, Neutral};
use Section::{Customer, Outcome, Speed, Team, Volume};
use Unit::{Count, Money, Number, Percent, Score, Seconds};

/// Every KPI, in display order.
pub const CATALOGUE: &[KpiDef] = &[
    def(
        "frt",
        "First response time",
        Speed,
        Seconds,
        Lower,
        Need::FirstReply,
    ),
    def(
        "asa",
        "Average speed of answer",
        Speed,
        Seconds,
        Lower,
        Need::QueueWait,
    ),
    def(
        "reply_wait",
        "Reply wait time",
        Speed,
        Seconds,
        Lower,
        Need::Messages,
    ),
    def(
        "resolution_time",
        "Full resolution time",
        Speed,
        Seconds,
        Lower,
        Need::Solved,
    ),
    def(
        "first_resolution_time",
        "First resolution time",
        Speed,
        Seconds,
        Lower,
        Need::FirstSolved,
    ),
    def(
        "requester_wait",
        "Requester wait time",
        Speed,
        Seconds,
        Lower,
        Need::History,
    ),
    def(
        "urgent_frt",
        "Urgent tickets: first response",
        Speed,
        Seconds,
        Lower,
        Need::Urgent,
    ),
    def(
        "urgent_resolution_time",
        "Urgent tickets: resolution",
        Speed,
        Seconds,
        Lower,
        Need::Urgent,
    ),
    def(
        "created",
        "Tickets created",
        Volume,
        Count,
        Neutral,
        Need::Nothing,
    ),
    def(
        "messages_received",
        "Messages received",
        Volume,
        Count,
        Neutral,
        Need::Messages,
    ),
    def(
        "solved",
        "Resolved issues",
        Volume,
        Count,
        Higher,
        Need::Solved,
    ),
    def(
        "backlog",
        "Open at period end",
        Volume,
        Count,
        Lower,
        Need::Nothing,
    ),
    def(
        "net_flow",
        "Net flow (created − solved)",
        Volume,
        Count,
        Lower,
        Need::Solved,
    ),
    def(
        "conversations_per_agent",
        "Conversations per agent",
        Volume,
        Number,
        Neutral,
        Need::Assignee,
    ),
    def(
        "solved_per_agent_day",
        "Solved per agent per working day",
        Volume,
        Number,
        Higher,
        Need::Assignee,
    ),
    def(
        "replies_per_agent_day",
        "Replies per agent per working day",
        Volume,
        Number,
        Higher,
        Need::Assignee,
    ),
    def(
        "occupancy",
        "Occupancy",
        Volume,
        Percent,
        Neutral,
        Need::HandleTime,
    ),
    def(
        "resolution_rate",
        "Resolution rate",
        Outcome,
        Percent,
        Higher,
        Need::Solved,
    ),
    def(
        "fcr",
        "First contact resolution",
        Outcome,
        Percent,
        Higher,
        Need::Messages,
    ),
    def(
        "one_touch",
        "One-touch resolution",
        Outcome,
        Percent,
        Higher,
        Need::ReplyCount,
    ),
    def(
        "reopen_rate",
        "Reopen rate",
        Outcome,
        Percent,
        Lower,
        Need::Reopens,
    ),
    def(
        "response_rate",
        "Response rate",
        Outcome,
        Percent,
        Higher,
        Need::FirstReply,
    ),
    def(
        "abandonment_rate",
        "Abandonment rate",
        Outcome,
        Percent,
        Lower,
        Need::Abandoned,
    ),
    def(
        "escalation_rate",
        "Escalation rate",
        Outcome,
        Percent,
        Lower,
        Need::Escalated,
    ),
    def(
        "complaint_escalations",
        "Escalated complaints",
        Outcome,
        Count,
        Lower,
        Need::Complaint,
    ),
    def(
        "complaint_escalations_per_1000",
        "Escalated complaints per 1,000 customers",
        Outcome,
        Number,
        Lower,
        Need::Complaint,
    ),
    def(
        "sla_first_reply",
        "SLA: first reply",
        Outcome,
        Percent,
        Higher,
        Need::Sla,
    ),
    def(
        "sla_next_reply",
        "SLA: next reply",
        Outcome,
        Percent,
        Higher,
        Need::Sla,
    ),
    def(
        "sla_resolution",
        "SLA: resolution",
        Outcome,
        Percent,
        Higher,
        Need::Sla,
    ),
    def(
        "conversion_rate",
        "Conversion after contact",
        Outcome,
        Percent,
        Higher,
        Need::Converted,
    ),
    def("csat", "CSAT", Customer, Percent, Higher, Need::Rating),
    def(
        "survey_response_rate",
        "Survey response rate",
        Customer,
        Percent,
        Higher,
        Need::SurveyOffered,
    ),
    def("nps", "NPS", Customer, Score, Higher, Need::Nps),
    def(
        "ces",
        "Customer effort score",
        Customer,
        Score,
        Higher,
        Need::Effort,
    ),
    def(
        "ces_easy",
        "Effort: % easy",
        Customer,
        Percent,
        Higher,
        Need::Effort,
    ),
    def(
        "retention",
        "Customer retention rate",
        Customer,
        Percent,
        Higher,
        Need::Requester,
    ),
    def(
        "revenue",
        "Order value",
        Customer,
        Money,
        Neutral,
        Need::OrderValue,
    ),
    def(
        "agent_turnover",
        "Agent turnover",
        Team,
        Percent,
        Lower,
        Need::Roster,
    ),
];

/// The definition of `key`.
pub fn find(key: &str) -> Option<&'static KpiDef> {
    CATALOGUE.iter().find(|d| d.key == key)
}

/// Figures of one window that do not come from ticket sums.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WindowFacts {
    /// Open tickets at the window's end.
    pub backlog_end: Option<u64>,
    /// Working days in the window (calendar).
    pub working_days: f64,
    /// Working seconds in the window (calendar).
    pub working_seconds: i64,
    /// Active customers (dataset figure, else distinct requesters in the window).
    pub customers: Option<f64>,
    /// Returning customers ÷ customers of the window before.
    pub retention: Option<Ratio>,
    /// Leavers and average head-count, from the roster.
    pub turnover: Option<(u64, f64)>,
}

/// A KPI's value for one window and group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measured {
    /// The headline number.
    pub value: Option<f64>,
    /// Calendar-time median / p90 / mean (durations).
    pub summary: Option<Summary>,
    /// Business-time median / p90 / mean (durations).
    pub business: Option<Summary>,
    /// Numerator and denominator (rates).
    pub ratio: Option<Ratio>,
}

fn rate(r: Ratio) -> Measured {
    Measured {
        value: r.percent(),
        ratio: Some(r),
        ..Measured::default()
    }
}

fn dual(d: &Dual, business: bool) -> Measured {
    let summary = d.calendar.summary();
    let b = d.business.summary();
    Measured {
        value: if business { b } else { summary }.map(|s| s.median),
        summary,
        business: b,
        ratio: None,
    }
}

fn count(n: u64) -> Measured {
    Measured {
        value: Some(n as f64),
        ..Measured::default()
    }
}

fn number(v: Option<f64>) -> Measured {
    Measured {
        value: v.filter(|x| x.is_finite()),
        ..Measured::default()
    }
}

fn per(n: u64, d: f64) -> Option<f64> {
    (d > 0.0).then(|| n as f64 / d)
}

/// [`measure`] without the summaries: the same value and ratio, but a duration KPI gets only
/// the median of its headline basis, one selection instead of four (trends, series, breakdowns
/// and per-agent figures show the value alone).
pub fn measure_light(key: &str, a: &Acc, f: &WindowFacts, agents: u64, business: bool) -> Measured {
    fn basis(d: &Dual, business: bool) -> &Durations {
        if business {
            &d.business
        } else {
            &d.calendar
        }
    }
    let bag = match key {
        "frt" => basis(&a.frt, business),
        "reply_wait" => basis(&a.reply_wait, business),
        "resolution_time" => basis(&a.resolution, business),
        "first_resolution_time" => basis(&a.first_resolution, business),
        "requester_wait" => &a.requester_wait,
        "urgent_frt" => basis(&a.urgent_frt, business),
        "urgent_resolution_time" => basis(&a.urgent_resolution, business),
        _ => return measure(key, a, f, agents, business),
    };
    Measured {
        value: bag.median(),
        ..Measured::default()
    }
}

/// The value of KPI `key` from an accumulator. `business` picks the headline basis of
/// durations; `agents` is the number of agents active in the window.
pub fn measure(key: &str, a: &Acc, f: &WindowFacts, agents: u64, business: bool) -> Measured {
    let agents_f = agents as f64;
    match key {
        "frt" => dual(&a.frt, business),
        "asa" => number(per(a.queue_wait_sum.max(0) as u64, a.queue_answered as f64)),
        "reply_wait" => dual(&a.reply_wait, business),
        "resolution_time" => dual(&a.resolution, business),
        "first_resolution_time" => dual(&a.first_resolution, business),
        "requester_wait" => {
            let s = a.requester_wait.summary();
            Measured {
                value: s.map(|s| s.median),
                summary: s,
                ..Measured::default()
            }
        }
        "urgent_frt" => dual(&a.urgent_frt, business),
        "urgent_resolution_time" => dual(&a.urgent_resolution, business),
        "created" => count(a.created),
        "messages_received" => count(a.messages_in),
        "solved" => count(a.solved),
        "backlog" => number(f.backlog_end.map(|b| b as f64)),
        "net_flow" => number(Some(a.created as f64 - a.solved as f64)),
        "conversations_per_agent" => number(per(a.touched, agents_f)),
        "solved_per_agent_day" => number(per(a.solved, agents_f * f.working_days)),
        "replies_per_agent_day" => number(per(a.replies, agents_f * f.working_days)),
        "occupancy" => number(
            (a.handled > 0)
                .then(|| {
                    per(
                        a.handle_sum.max(0) as u64,
                        agents_f * f.working_seconds as f64,
                    )
                })
                .flatten()
                .map(|x| x * 100.0),
        ),
        "resolution_rate" => rate(a.resolution_rate()),
        "fcr" => rate(a.fcr),
        "one_touch" => rate(a.one_touch),
        "reopen_rate" => rate(a.reopened),
        "response_rate" => rate(a.responded),
        "abandonment_rate" => rate(a.abandoned),
        "escalation_rate" => rate(a.escalated),
        "complaint_escalations" => {
            number((a.complaint_known > 0).then_some(a.complaint_escalations as f64))
        }
        "complaint_escalations_per_1000" => number(
            (a.complaint_known > 0)
                .then(|| {
                    f.customers
                        .and_then(|c| per(a.complaint_escalations * 1000, c))
                })
                .flatten(),
        ),
        "sla_first_reply" => rate(a.sla_first),
        "sla_next_reply" => rate(a.sla_next),
        "sla_resolution" => rate(a.sla_resolution),
        "conversion_rate" => rate(a.converted),
        "csat" => rate(a.csat),
        "survey_response_rate" => rate(a.survey_response),
        "nps" => Measured {
            value: (a.nps_answers > 0).then(|| {
                (a.nps_promoters as f64 - a.nps_detractors as f64) * 100.0 / a.nps_answers as f64
            }),
            ratio: Some(Ratio {
                numerator: a.nps_promoters,
                denominator: a.nps_answers,
            }),
            ..Measured::default()
        },
        "ces" => number(per(a.ces_sum, a.ces_answers as f64)),
        "ces_easy" => rate(Ratio {
            numerator: a.ces_easy,
            denominator: a.ces_answers,
        }),
        "retention" => f.retention.map(rate).unwrap_or_default(),
        "revenue" => number((a.orders > 0).then_some(a.order_value)),
        "agent_turnover" => number(
            f.turnover
                .and_then(|(leavers, avg)| (avg > 0.0).then(|| leavers as f64 * 100.0 / avg)),
        ),
        _ => Measured::default(),
    }
}

//! What an import tells the user beyond counts: which files were read as what, the CSV column
//! mapping used, and, for every KPI of the catalogue (`KPIS.md`), whether the data can support
//! it and which field would enable it when it cannot.
//!
//! Support is judged from the canonical fields the records carried (the import report's
//! `fields` counts), not from the values in one period: a KPI the data supports but whose
//! period is empty is "supported" and shows no data, never a made-up zero.

use serde::Serialize;
use std::collections::BTreeMap;

/// One input file as the import understood it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// The file name as given (empty for a single unnamed input).
    pub name: String,
    /// Format key (`zendesk`, `csv`, `canonical`, …), empty when not recognised.
    pub format: String,
    /// What the file was read as ("Zendesk incremental ticket export", "ticket comments").
    pub kind: String,
    /// Records in the file (tickets, comments, rows…).
    pub records: usize,
    /// False when the file was recognised but not needed, or not recognised at all.
    pub used: bool,
    /// Why a file was not used, or what was notable about it.
    pub note: Option<String>,
}

/// The CSV reading the page shows and lets the user edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CsvInfo {
    /// The delimiter detected (`,`, `;` or a tab).
    pub delimiter: String,
    /// The header row, in file order.
    pub columns: Vec<String>,
    /// Canonical field → column used for it.
    pub mapping: BTreeMap<String, String>,
    /// Columns not mapped to any field.
    pub unmapped: Vec<String>,
    /// Canonical fields the page may offer in its mapping editor.
    pub fields: Vec<String>,
    /// How particular columns were read (units of duration columns, stand-ins).
    pub notes: Vec<String>,
}

/// Whether the data supports one KPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiSupport {
    /// Stable key (`frt`, `csat`, …), the same as the report tiles where one exists.
    pub key: String,
    /// English label.
    pub label: String,
    /// True when the data carries what the KPI needs.
    pub supported: bool,
    /// When not supported: which field would enable it.
    pub missing: Option<String>,
    /// A format-specific hint on where that field comes from (which export or file to add).
    pub hint: Option<String>,
}

/// A requirement: any one of the alternatives, each alternative needing all of its fields.
struct Kpi {
    key: &'static str,
    label: &'static str,
    needs: &'static [&'static [&'static str]],
    missing: &'static str,
}

const RESOLVED: &[&[&str]] = &[&["solved_at"], &["closed_at"], &["status_history"]];
const NEEDS_RESOLVED: &str =
    "needs \"solved_at\" (or \"closed_at\" or \"status_history\") on solved tickets";

/// The catalogue, in the order of `KPIS.md`.
const KPIS: &[Kpi] = &[
    Kpi {
        key: "frt",
        label: "First response time",
        needs: &[&["first_reply_at"], &["messages"]],
        missing: "needs \"first_reply_at\" or agent \"messages\" on tickets",
    },
    Kpi {
        key: "asa",
        label: "Average speed of answer",
        needs: &[&["queue.wait_seconds"]],
        missing: "needs \"queue.wait_seconds\" on phone and chat contacts",
    },
    Kpi {
        key: "reply_wait",
        label: "Reply wait time",
        needs: &[&["messages"]],
        missing: "needs \"messages\" (customer and agent) on tickets",
    },
    Kpi {
        key: "resolution_time",
        label: "Full resolution time",
        needs: RESOLVED,
        missing: NEEDS_RESOLVED,
    },
    Kpi {
        key: "first_resolution_time",
        label: "First resolution time",
        needs: &[
            &["first_solved_at"],
            &["status_history"],
            &["solved_at", "reopens"],
        ],
        missing: "needs \"first_solved_at\", \"status_history\", or \"solved_at\" with \
                  \"reopens\"",
    },
    Kpi {
        key: "requester_wait",
        label: "Requester wait time",
        needs: &[&["status_history"]],
        missing: "needs \"status_history\" on tickets",
    },
    Kpi {
        key: "segment_response",
        label: "Response time per customer segment",
        needs: &[
            &["requester.tier", "first_reply_at"],
            &["requester.tier", "messages"],
        ],
        missing: "needs \"requester.tier\" with \"first_reply_at\" or \"messages\"",
    },
    Kpi {
        key: "created",
        label: "Tickets created",
        needs: &[&["created_at"]],
        missing: "needs \"created_at\"",
    },
    Kpi {
        key: "messages_received",
        label: "Messages received",
        needs: &[&["messages"]],
        missing: "needs \"messages\" on tickets",
    },
    Kpi {
        key: "channels",
        label: "Volume by channel",
        needs: &[&["channel"]],
        missing: "needs \"channel\" on tickets",
    },
    Kpi {
        key: "busiest_hours",
        label: "Busiest hours",
        needs: &[&["created_at"]],
        missing: "needs \"created_at\"",
    },
    Kpi {
        key: "backlog",
        label: "Active issues (backlog)",
        needs: RESOLVED,
        missing: NEEDS_RESOLVED,
    },
    Kpi {
        key: "resolved",
        label: "Resolved issues",
        needs: RESOLVED,
        missing: NEEDS_RESOLVED,
    },
    Kpi {
        key: "conversations_per_agent",
        label: "Conversations per agent",
        needs: &[&["assignee"], &["messages"]],
        missing: "needs \"assignee\" or agent \"messages\" on tickets",
    },
    Kpi {
        key: "agent_productivity",
        label: "Agent productivity",
        needs: &[
            &["assignee", "solved_at"],
            &["assignee", "closed_at"],
            &["assignee", "status_history"],
            &["messages"],
        ],
        missing: "needs \"assignee\" with solve times, or agent \"messages\"",
    },
    Kpi {
        key: "occupancy",
        label: "Occupancy",
        needs: &[&["queue.handle_seconds", "dataset.agents"]],
        missing: "needs \"queue.handle_seconds\" on tickets and an agent roster \
                  (\"dataset.agents\")",
    },
    Kpi {
        key: "resolution_rate",
        label: "Resolution rate",
        needs: RESOLVED,
        missing: NEEDS_RESOLVED,
    },
    Kpi {
        key: "fcr",
        label: "First contact resolution",
        needs: &[
            &["messages", "solved_at"],
            &["messages", "closed_at"],
            &["messages", "status_history"],
        ],
        missing: "needs \"messages\" and solve times on tickets",
    },
    Kpi {
        key: "one_touch",
        label: "One-touch resolution",
        needs: &[
            &["messages", "solved_at"],
            &["messages", "closed_at"],
            &["messages", "status_history"],
            &["agent_replies", "solved_at"],
            &["agent_replies", "closed_at"],
            &["agent_replies", "status_history"],
        ],
        missing: "needs \"agent_replies\" or \"messages\", and solve times",
    },
    Kpi {
        key: "reopen_rate",
        label: "Reopen rate",
        needs: &[&["reopens"], &["status_history"]],
        missing: "needs \"reopens\" or \"status_history\" on tickets",
    },
    Kpi {
        key: "response_rate",
        label: "Response rate",
        needs: &[&["first_reply_at"], &["messages"]],
        missing: "needs \"first_reply_at\" or \"messages\" on tickets",
    },
    Kpi {
        key: "abandonment",
        label: "Abandonment rate",
        needs: &[&["queue.abandoned"]],
        missing: "needs \"queue.abandoned\" on phone and chat contacts",
    },
    Kpi {
        key: "escalation",
        label: "Escalation rate",
        needs: &[&["escalated"]],
        missing: "needs \"escalated\" on tickets",
    },
    Kpi {
        key: "critical_handling",
        label: "Critical handling",
        needs: &[&["priority"]],
        missing: "needs \"priority\" on tickets",
    },
    Kpi {
        key: "complaint_escalation",
        label: "Complaint escalation frequency",
        needs: &[&["complaint", "escalated"]],
        missing: "needs \"complaint\" and \"escalated\" on tickets",
    },
    Kpi {
        key: "sla",
        label: "SLA compliance",
        needs: &[
            &["first_reply_at"],
            &["messages"],
            &["solved_at"],
            &["closed_at"],
            &["status_history"],
        ],
        missing: "needs reply or solve times (\"first_reply_at\", \"messages\", \"solved_at\")",
    },
    Kpi {
        key: "conversion",
        label: "Conversion after contact",
        needs: &[&["converted"]],
        missing: "needs \"converted\" on tickets",
    },
    Kpi {
        key: "csat",
        label: "CSAT",
        needs: &[&["satisfaction"]],
        missing: "needs \"satisfaction\" ratings on tickets",
    },
    Kpi {
        key: "satisfaction_trend",
        label: "Satisfaction improvement",
        needs: &[&["satisfaction"]],
        missing: "needs \"satisfaction\" ratings on tickets",
    },
    Kpi {
        key: "nps",
        label: "NPS",
        needs: &[&["nps"]],
        missing: "needs \"nps\" answers on tickets",
    },
    Kpi {
        key: "ces",
        label: "Customer effort score",
        needs: &[&["effort"]],
        missing: "needs \"effort\" answers on tickets",
    },
    Kpi {
        key: "customer_retention",
        label: "Customer retention rate",
        needs: &[&["requester"]],
        missing: "needs \"requester\" on tickets",
    },
    Kpi {
        key: "feedback_words",
        label: "Feedback words",
        needs: &[&["satisfaction.comment"]],
        missing: "needs \"satisfaction.comment\" on rated tickets",
    },
    Kpi {
        key: "agent_turnover",
        label: "Agent retention / turnover",
        needs: &[&["dataset.agents"]],
        missing: "needs an agent roster with start and end dates (\"dataset.agents\")",
    },
    Kpi {
        key: "agent_scorecard",
        label: "Agent scorecard",
        needs: &[&["assignee"]],
        missing: "needs \"assignee\" on tickets",
    },
];

/// Judges every KPI of the catalogue against the fields found. `fields` maps canonical field
/// names (plus the pseudo-fields `dataset.agents`, `satisfaction.comment` and the three
/// `queue.*` values, counted from what was actually read) to the number of records carrying
/// them.
pub fn kpi_support(fields: &BTreeMap<String, usize>) -> Vec<KpiSupport> {
    let has = |f: &str| fields.get(f).is_some_and(|&n| n > 0);
    KPIS.iter()
        .map(|k| {
            let supported = k.needs.iter().any(|alt| alt.iter().all(|f| has(f)));
            KpiSupport {
                key: k.key.into(),
                label: k.label.into(),
                supported,
                missing: (!supported).then(|| k.missing.to_string()),
                hint: None,
            }
        })
        .collect()
}

/// Adds format-specific hints to the unsupported KPIs: `hints` maps a canonical field to where
/// that field comes from in the format (e.g. `messages` → "add the ticket comments files").
/// A KPI gets the hint of the first field its first alternative lacks.
pub fn add_hints(
    kpis: &mut [KpiSupport],
    fields: &BTreeMap<String, usize>,
    hints: &[(&str, &str)],
) {
    let has = |f: &str| fields.get(f).is_some_and(|&n| n > 0);
    for k in kpis.iter_mut().filter(|k| !k.supported) {
        let Some(def) = KPIS.iter().find(|d| d.key == k.key) else {
            continue;
        };
        let lacking = def
            .needs
            .iter()
            .flat_map(|alt| alt.iter())
            .find(|f| !has(f) && hints.iter().any(|(h, _)| h == *f));
        if let Some(f) = lacking {
            k.hint = hints
                .iter()
                .find(|(h, _)| h == f)
                .map(|(_, text)| text.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_follows_fields() {
        let mut fields = BTreeMap::new();
        fields.insert("created_at".to_string(), 3);
        fields.insert("channel".to_string(), 2);
        fields.insert("satisfaction".to_string(), 0);
        let k = kpi_support(&fields);
        let get = |key: &str| k.iter().find(|s| s.key == key).unwrap();
        assert!(get("created").supported);
        assert!(get("channels").supported);
        assert!(!get("csat").supported);
        assert_eq!(
            get("frt").missing.as_deref(),
            Some("needs \"first_reply_at\" or agent \"messages\" on tickets")
        );
        let mut k = k;
        add_hints(&mut k, &fields, &[("messages", "add the comments")]);
        let frt = k.iter().find(|s| s.key == "frt").unwrap();
        assert_eq!(frt.hint.as_deref(), Some("add the comments"));
    }
}

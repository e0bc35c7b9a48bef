//! What an import tells the user beyond counts: which files were read as what, the CSV column
//! mapping used, and, for every KPI of the catalogue (`KPIS.md`), whether the data can support
//! it and which field would enable it when it cannot.
//!
//! Support is judged over the whole dataset as read (the KPI catalogue's coverage), not over
//! one period: a KPI the data supports but whose period is empty is "supported" and shows no
//! data, never a made-up zero.

use crate::kpi::catalogue::{Coverage, Need, CATALOGUE};
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
    /// Stable key: the KPI catalogue's key (`frt`, `csat`, …) or a view's (`channels`).
    pub key: String,
    /// English label.
    pub label: String,
    /// True when the data carries what the KPI needs.
    pub supported: bool,
    /// When not supported: which field would enable it.
    pub missing: Option<String>,
    /// The canonical fields that would provide it (any one of them).
    pub fields: Vec<String>,
    /// A format-specific hint on where such a field comes from (which export or file to add).
    pub hint: Option<String>,
}

/// Views of the report that are not KPIs of the catalogue but need a field all the same.
const VIEWS: [(&str, &str, Need); 5] = [
    ("channels", "Volume by channel", Need::Channel),
    ("busiest_hours", "Busiest hours", Need::Nothing),
    (
        "segment_response",
        "Response time per customer segment",
        Need::Tier,
    ),
    ("feedback_words", "Feedback words", Need::Comments),
    ("agent_scorecard", "Agent scorecard", Need::Assignee),
];

/// Judges every KPI of the catalogue (and the views above) with the same coverage judgement
/// the report's views use, so the import report and the report never disagree about what the
/// data supports.
pub fn kpi_support(cov: &Coverage) -> Vec<KpiSupport> {
    CATALOGUE
        .iter()
        .map(|d| (d.key, d.label, d.need))
        .chain(VIEWS)
        .map(|(key, label, need)| KpiSupport {
            key: key.into(),
            label: label.into(),
            supported: cov.has(need),
            missing: cov.missing(need),
            fields: need.fields().iter().map(|f| f.to_string()).collect(),
            hint: None,
        })
        .collect()
}

/// Adds format-specific hints to the unsupported KPIs: `hints` maps a canonical field to where
/// that field comes from in the format (e.g. `messages` → "add the ticket comments files").
/// A KPI gets the hint of the first of its fields that has one.
pub fn add_hints(kpis: &mut [KpiSupport], hints: &[(&str, &str)]) {
    for k in kpis.iter_mut().filter(|k| !k.supported) {
        k.hint = k
            .fields
            .iter()
            .find_map(|f| hints.iter().find(|(h, _)| h == f))
            .map(|(_, text)| text.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{load, IngestOptions};

    #[test]
    fn support_follows_what_was_read() {
        let d = load(
            br#"[{"id": 1, "created_at": "2026-03-02T09:00:00Z", "channel": "email"}]"#,
            &IngestOptions::default(),
        )
        .unwrap();
        let mut k = d.import.kpis.clone();
        let get = |k: &[KpiSupport], key: &str| k.iter().find(|s| s.key == key).unwrap().clone();
        assert!(get(&k, "created").supported);
        assert!(get(&k, "channels").supported);
        assert!(!get(&k, "csat").supported);
        let frt = get(&k, "frt");
        assert_eq!(
            frt.missing.as_deref(),
            Some("needs \"first_reply_at\" or agent \"messages\" on tickets")
        );
        assert_eq!(frt.fields, vec!["first_reply_at", "messages"]);
        add_hints(&mut k, &[("messages", "add the comments")]);
        assert_eq!(get(&k, "frt").hint.as_deref(), Some("add the comments"));
        assert_eq!(get(&k, "created").hint, None);
    }
}

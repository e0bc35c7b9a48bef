//! The optional `dataset` object of the envelope: context that belongs to the whole export.

use crate::raw::{Loose, Nested, Shape};
use serde::Deserialize;

/// One roster entry as written.
#[allow(missing_docs)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawAgent<'a> {
    #[serde(borrow)]
    pub id: Loose<'a>,
    #[serde(borrow)]
    pub name: Loose<'a>,
    #[serde(borrow)]
    pub team: Loose<'a>,
    #[serde(borrow)]
    pub start: Loose<'a>,
    #[serde(borrow)]
    pub end: Loose<'a>,
}

/// Customer counts as written.
#[allow(missing_docs)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawCustomers<'a> {
    #[serde(borrow)]
    pub active: Loose<'a>,
}

/// The `dataset` object as written.
#[allow(missing_docs)]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawDataset<'a> {
    #[serde(borrow)]
    pub name: Loose<'a>,
    #[serde(borrow)]
    pub timezone: Loose<'a>,
    #[serde(borrow)]
    pub week_start: Loose<'a>,
    #[serde(borrow)]
    pub exported_at: Loose<'a>,
    #[serde(borrow)]
    pub agents: Nested<Vec<Nested<RawAgent<'a>>>>,
    #[serde(borrow)]
    pub customers: Nested<RawCustomers<'a>>,
    /// Kept as JSON for the views that read them (targets per KPI, benchmarks, calendar).
    pub targets: Option<serde_json::Value>,
    pub benchmarks: Option<serde_json::Value>,
    pub calendar: Option<serde_json::Value>,
}

/// Dataset-level context, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatasetMeta {
    /// A title for the export.
    pub name: Option<String>,
    /// IANA timezone of the team (buckets and naive timestamps).
    pub timezone: Option<String>,
    /// First day of the week, 0 = Monday … 6 = Sunday.
    pub week_start: Option<u8>,
    /// When the export was taken: the "now" of backlog and age figures.
    pub exported_at: Option<i64>,
    /// Active customers, for per-1,000-customer rates.
    pub active_customers: Option<f64>,
    /// Targets per KPI, as written.
    pub targets: Option<serde_json::Value>,
    /// Benchmarks, as written.
    pub benchmarks: Option<serde_json::Value>,
    /// Working calendar, as written.
    pub calendar: Option<serde_json::Value>,
}

/// Reads a weekday name or number (0 = Monday … 6 = Sunday; "sunday", "sat", …).
pub fn parse_weekday(v: &Loose) -> Option<u8> {
    if let Some(n) = v.as_f64() {
        return (0.0..=6.0).contains(&n).then_some(n as u8);
    }
    let s = v.as_text()?.to_ascii_lowercase();
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    days.iter().position(|d| s.starts_with(d)).map(|p| p as u8)
}

impl Shape for RawAgent<'_> {
    const IS_LIST: bool = false;
}
impl Shape for RawCustomers<'_> {
    const IS_LIST: bool = false;
}
impl Shape for RawDataset<'_> {
    const IS_LIST: bool = false;
}

//! ticket-kpis: a help-desk KPI engine that runs in the browser.
//!
//! The pipeline is pure Rust and tested natively:
//! [`ingest`] (export bytes → columnar [`store`]) → [`kpi`] (mergeable accumulators over a
//! selection of tickets) → [`report`] (the serialisable model the page shows) → [`chart`]
//! (plotters drawing, generic over the backend). The browser facade lives in `web` and is
//! compiled only for wasm32.

pub mod adapters;
pub mod calendar;
pub mod chart;
pub mod error;
pub mod ingest;
pub mod kpi;
pub mod period;
pub mod raw;
pub mod report;
pub mod sample;
pub mod stats;
pub mod store;
pub mod time;
pub mod tz;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};

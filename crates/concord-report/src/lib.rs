//! Concord's reports: every report as a typed model (serde + schemars: the `*_report`
//! modules, their JSON Schemas listed by [`schemas::report_schemas`]), as JSON ([`json`]) and as
//! text fitted to the terminal ([`text`], [`layout`]), the builders of those models, and the
//! tournament's CSV and Parquet tables ([`table`]).
//!
//! What the reports read comes from `concord-io` (the scenario, its evidence and sequencing
//! tables, request values); this crate reads no file.
//!
//! ```
//! let text = concord_report::layout::fit("A line of a report\n");
//! assert!(text.starts_with("A line"));
//! ```

pub mod analysis_report;
pub mod analysis_text;
pub mod audit_report;
pub mod draft_report;
pub mod evidence;
pub mod evidence_report;
pub mod json;
pub mod layout;
pub mod proposal;
pub mod schemas;
pub mod sequence;
pub mod sequence_report;
pub mod simulate_report;
pub mod sources_report;
pub mod space_report;
pub mod table;
pub mod text;
pub mod words;

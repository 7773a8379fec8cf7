//! Concord's core: the model of a multi-party, multi-issue negotiation and its exact analyses.
//!
//! This crate knows nothing of files, formats or terminals. A [`model::Scenario`] is built by
//! the caller (the `concord-io` crate reads one from TOML); [`analysis::analyze`] answers
//! whether an agreement zone exists, what its Pareto frontier and bargaining solutions are,
//! which issues block agreement and, when the zone is empty, why.
//!
//! ```
//! use concord_core::analysis::{analyze, AnalysisConfig};
//! use concord_core::model::*;
//!
//! let party = |id: &str| Party {
//!     id: id.into(),
//!     name: id.into(),
//!     role: Role::Party,
//!     consent: true,
//!     aliases: vec![],
//!     provenance: Provenance::default(),
//! };
//! let option = |id: &str| IssueOption { id: id.into(), name: id.into(), value: None };
//! let prefs = |values: [f64; 2]| Preferences {
//!     reservation: Assumed::exact(0.2),
//!     provenance: Provenance::default(),
//!     issues: vec![IssuePreference {
//!         weight: Assumed::exact(1.0),
//!         values: ValueFunction::Table(values.map(Assumed::exact).to_vec()),
//!         provenance: Provenance::default(),
//!     }],
//!     discount: None,
//! };
//! let scenario = Scenario {
//!     id: "toy".into(),
//!     title: "One issue, two sides".into(),
//!     description: String::new(),
//!     sources: vec![],
//!     parties: vec![party("a"), party("b")],
//!     issues: vec![Issue {
//!         id: "split".into(),
//!         name: "Split".into(),
//!         ordered: false,
//!         options: vec![option("a-wins"), option("even")],
//!         numeric: None,
//!     }],
//!     preferences: vec![Some(prefs([1.0, 0.6])), Some(prefs([0.0, 0.6]))],
//!     red_lines: vec![],
//!     framework: Framework::default(),
//!     claims: vec![],
//! };
//! let analysis = analyze(&scenario, &AnalysisConfig::default()).unwrap();
//! assert_eq!(analysis.zone_size, Some(1)); // only "even" gives b at least 0.2
//! assert_eq!(analysis.frontier.len(), 1);
//! ```

pub mod analysis;
pub mod bargaining;
pub mod bnb;
pub mod citations;
pub mod conflicts;
pub mod engine;
pub mod exact;
pub mod halves;
pub mod merge;
pub mod model;
pub mod names;
pub mod number;
pub mod pareto;
pub mod proposal;
pub mod reference;
pub mod sensitivity;
pub mod validate;
pub mod whatif;

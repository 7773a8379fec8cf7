//! Sequencing of joint steps and versions of the framework document.
//!
//! Parties to a peace process demand an order of steps: no withdrawal before the guarantees are
//! in force, sanctions relief only after a verified withdrawal, elections only after the
//! ceasefire has held. [`analysis::analyze`] answers, exactly, whether a schedule meets every
//! hard demand, and gives the optimal phased plan (least cost of broken soft demands, then
//! shortest) or, when none exists, the minimal sets of conflicting demands with the cheapest
//! relaxations and the reciprocal tranche splits that break them. [`versions`] compares
//! versions of the framework document point by point.
//!
//! Like `concord-core`, this crate knows nothing of files or formats: `concord-io` reads
//! problems from scenario files and `concord-report` renders the results.
//!
//! ```
//! use concord_core::model::Provenance;
//! use concord_sequence::analysis::{analyze, SequenceAnalysis, SequenceConfig};
//! use concord_sequence::model::*;
//!
//! let step = |id: &str, days| Step {
//!     id: id.into(), name: id.into(), parties: vec![], duration: days,
//!     verification: None, split: DEFAULT_SPLIT, provenance: Provenance::default(),
//! };
//! let problem = SequenceProblem {
//!     steps: vec![step("ceasefire", 0), step("elections", 30)],
//!     demands: vec![Demand {
//!         id: "elections-after-calm".into(),
//!         party: 0,
//!         // Elections start at least 90 days after the ceasefire starts.
//!         rule: Rule::Before {
//!             first: 0, then: 1, relation: Relation::StartToStart, min_gap: 90, max_gap: None,
//!         },
//!         strength: Strength::Hard,
//!         note: None,
//!         provenance: Provenance::default(),
//!     }],
//! };
//! let SequenceAnalysis::Plan(plan) = analyze(&problem, &SequenceConfig::default()).unwrap() else {
//!     panic!("feasible")
//! };
//! assert_eq!(plan.steps[1].start, 90);
//! assert_eq!(plan.duration, 120);
//! ```

pub mod analysis;
mod graph;
pub mod model;
pub mod reference;
pub mod solve;
pub mod versions;
pub mod way_out;

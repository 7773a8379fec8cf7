//! Negotiation simulation: protocols, strategies and tournaments over a
//! [`Scenario`](concord_core::model::Scenario). No IO.
//!
//! - [`space`]: the outcome space as numbered outcomes, and each party's own view of it
//!   ([`space::OwnPreferences`]): its utility of every outcome and an index of outcomes sorted by
//!   that utility, so that time-based strategies find an offer by binary search instead of a scan.
//! - [`strategy`]: the [`strategy::Strategy`] trait users implement and the built-in strategies
//!   (time-based Boulware / linear / Conceder, hardliner, random, naive tit-for-tat) with their
//!   acceptance conditions.
//! - [`protocol`]: stacked alternating offers (SAO), bilateral and multilateral, and a mediated
//!   single-negotiating-text protocol (veto or hill-climbing).
//! - [`metrics`]: distances of a result to the Pareto frontier, the Nash and the
//!   Kalai-Smorodinsky points, read off [`concord_core::analysis::analyze`].
//! - [`tournament`]: every combination of strategies over scenarios, repeated, in parallel and
//!   deterministic for a seed whatever the number of threads.
//!
//! ```
//! use concord_core::model::*;
//! use concord_sim::protocol::{simulate, SimConfig};
//! use concord_sim::space::{prepare, PrepareConfig};
//! use concord_sim::strategy::StrategySpec;
//!
//! // Two parties split one issue with five options; each prefers its own end.
//! let issue = Issue {
//!     id: "share".into(), name: "Share".into(), ordered: true, numeric: None,
//!     options: (0..5).map(|k| IssueOption { id: format!("o{k}"), name: format!("o{k}"), value: None }).collect(),
//! };
//! let prefs = |values: Vec<f64>| Some(Preferences {
//!     reservation: Assumed::exact(0.2), provenance: Provenance::default(), discount: None,
//!     issues: vec![IssuePreference {
//!         weight: Assumed::exact(1.0),
//!         values: ValueFunction::Table(values.into_iter().map(Assumed::exact).collect()),
//!         provenance: Provenance::default(),
//!     }],
//! });
//! let party = |id: &str| Party {
//!     id: id.into(), name: id.into(), role: Role::Party, consent: true,
//!     aliases: vec![], provenance: Provenance::default(),
//! };
//! let scenario = Scenario {
//!     id: "split".into(), title: String::new(), description: String::new(), sources: vec![],
//!     parties: vec![party("a"), party("b")], issues: vec![issue],
//!     preferences: vec![prefs(vec![0.0, 0.25, 0.5, 0.75, 1.0]), prefs(vec![1.0, 0.75, 0.5, 0.25, 0.0])],
//!     red_lines: vec![], framework: Framework::default(), claims: vec![],
//! };
//! let prepared = prepare(&scenario, &PrepareConfig::default()).unwrap();
//! let specs = [StrategySpec::parse("linear").unwrap(), StrategySpec::parse("linear").unwrap()];
//! let result = simulate(&prepared, &specs, &SimConfig::sao(100), 7);
//! assert!(result.agreement.is_some());
//! ```

pub mod metrics;
pub mod protocol;
pub mod space;
pub mod strategy;
pub mod tournament;

use thiserror::Error;

/// Why a simulation cannot be set up. "No agreement" is never an error: it is a result.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SimError {
    /// The scenario has no issue to negotiate.
    #[error("the scenario has no issues to negotiate")]
    NoIssues,
    /// Fewer than two parties need to consent: there is nothing to negotiate.
    #[error(
        "a negotiation needs at least two parties whose consent is needed; this scenario has {0}"
    )]
    TooFewParties(usize),
    /// A party whose consent is needed has no preferences, so no strategy can play it.
    #[error("party `{party}` needs to consent but has no preferences, so it cannot negotiate")]
    MissingPreferences {
        /// The party's id.
        party: String,
    },
    /// The outcome space is too large to index.
    #[error(
        "the outcome space has {size} outcomes, more than the {limit} that the simulator indexes \
         (each party keeps its utility of every outcome and a sorted index of them)"
    )]
    SpaceTooLarge {
        /// The size, as a decimal string (it may exceed any integer type).
        size: String,
        /// The limit.
        limit: u64,
    },
    /// A strategy name that is not known.
    #[error("unknown strategy `{name}`; known: {known}")]
    UnknownStrategy {
        /// The name given.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// A strategy or acceptance parameter that does not parse or is out of range.
    #[error("bad parameter in strategy `{spec}`: {reason}")]
    BadParameter {
        /// The whole specification given.
        spec: String,
        /// What is wrong.
        reason: String,
    },
    /// The number of strategies does not match the number of negotiating parties.
    #[error("{given} strategies given for {parties} negotiating parties")]
    StrategyCount {
        /// Strategies given.
        given: usize,
        /// Parties negotiating.
        parties: usize,
    },
    /// A tournament plans more negotiations than its limit.
    #[error(
        "{} negotiations planned, more than the limit of {}",
        concord_core::number::grouped(*planned),
        concord_core::number::grouped(u128::from(*limit))
    )]
    TooManyNegotiations {
        /// The negotiations planned (saturating).
        planned: u128,
        /// The limit.
        limit: u64,
    },
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads: {reason}")]
    ThreadPool {
        /// The threads asked for.
        threads: usize,
        /// The system's reason.
        reason: String,
    },
    /// The frontier needed by the metrics could not be computed.
    #[error("cannot compute the Pareto frontier for the metrics: {0}")]
    Analysis(String),
}

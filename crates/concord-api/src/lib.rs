//! Concord's application layer: one function per use case, over inputs in memory (texts or
//! models, never paths), for every front end (the `concord` command, a server, Python).
//!
//! Each use case takes an input ([`ScenarioInput`]), a request struct whose `Default` holds the
//! defaults in exactly one place, and a [`Control`] (a [`CancelToken`] and a progress callback);
//! it returns a typed report that renders itself as text or JSON ([`Report`]), or an [`Error`] whose
//! [`ErrorKind`] separates bad input, limits reached, cancellation and internal failures.
//!
//! ```
//! use concord_api::{analyze, AnalyzeRequest, Control, Report, ScenarioInput};
//!
//! let text = r#"
//! [scenario]
//! id = "tiny"
//! title = "Two parties, one issue"
//! [[parties]]
//! id = "a"
//! name = "A"
//! role = "party"
//! [[parties]]
//! id = "b"
//! name = "B"
//! role = "party"
//! [[issues]]
//! id = "x"
//! name = "X"
//! options = ["low", "mid", "high"]
//! [preferences.a]
//! reservation = 0.4
//! [preferences.a.issues.x]
//! weight = 1.0
//! values = { low = 0.0, mid = 0.5, high = 1.0 }
//! [preferences.b]
//! reservation = 0.4
//! [preferences.b.issues.x]
//! weight = 1.0
//! values = { low = 1.0, mid = 0.5, high = 0.0 }
//! "#;
//! let input = ScenarioInput::toml("tiny.toml", text);
//! let report = analyze(&input, &AnalyzeRequest::default(), &Control::default()).unwrap();
//! assert!(report.zone_exists()); // only `mid` gives both at least 0.4
//! assert_eq!(report.analysis.zone_size, Some(1));
//! assert_eq!(report.json()["schema"], "concord.analysis/1");
//! ```

mod analyze;
mod control;
mod convert;
mod draft;
mod error;
mod evidence;
mod genius;
mod input;
mod packages;
mod report;
mod sequence;
mod settings;
mod simulate;
mod sources;
mod space;
mod tournament;

pub use analyze::{
    analyze, analyze_loaded, analyze_parts, sensitivity_part, AnalyzeReport, AnalyzeRequest,
    FrontierLines, SensitivityPart, SensitivityRequest,
};
/// What one sensitivity draw showed (the draws of a [`SensitivityPart`]).
pub use concord_core::names::Named;
pub use concord_core::sensitivity::DrawChoices;
/// Files read into memory and written safely, with the checks every front end shares.
pub use concord_io::fs;
pub use concord_report::table::{Cells, Column, Table};
/// Strategies made outside Concord (the Python bindings') play through these.
pub use concord_sim::space::{IssueNames, OutcomeId, OwnPreferences, Space};
pub use concord_sim::strategy::{
    MakeStrategy, Offer, Preference, Response, Seat, SimRng, Strategy, StrategySpec, View,
};
pub use concord_sim::tournament::Job;
pub use control::{CancelToken, Control, NoticeFn, Progress, ProgressFn};
pub use convert::{export_genius, to_scenario_toml, GeniusExport};
pub use draft::{
    compare, improve, score, CompareReport, CompareRequest, ComparedVariant, Draft, ImproveReport,
    ImproveRequest, ScoreReport, ScoreRequest,
};
pub use error::{Error, ErrorKind, Problem, Result};
pub use evidence::{
    claims, commitments, conflicts, extract_claims, CommitmentsReport, ConflictsReport,
    EvidenceFileReport, EvidenceRequest, ExtractReport,
};
pub use genius::{import_genius, ImportReport};
pub use input::{load, Loaded, ScenarioInput};
pub use packages::{package_values, NamedPackage, PackageValues};
pub use report::Report;
pub use sequence::{
    diff, sequence, sequence_file, Compared, DiffReport, DiffRequest, SequenceReport,
    SequenceRequest,
};
pub use settings::Settings;
pub use simulate::{
    simulate, simulate_with, Discounting, ProtocolKind, SimSettings, SimulateReport,
    SimulateRequest, SingleTextMode,
};
pub use sources::{check as check_sources, SourcesReport};
pub use space::{space, SpaceReport, SpaceRequest};
pub use tournament::{
    finish_tournament, merge_tournament, prepare_tournament, prepare_tournament_with,
    read_tournament_config, read_tournament_config_file, run_tournament, run_tournament_part,
    tournament, PreparedTournament, TournamentReport, TournamentRequest, TournamentRow,
    TournamentSettings, TournamentSetup, LARGE_TOURNAMENT,
};

pub use concord_core::analysis::{MethodChoice, RedLineSelection};
pub use concord_core::bargaining::Concept;
/// A party's stance on a framework point, and the words that name it.
pub use concord_core::model::Stance;
pub use concord_io::genius::{NamedText, Normalization};
pub use concord_io::request::WhatIfFlags;
pub use concord_report::analysis_report::Constraint;
pub use concord_report::json::AnalysisReport;
pub use concord_report::layout;
pub use concord_report::text::TextOptions;
/// The typed report models every `json()` serialises (one JSON Schema each, in `schemas/`).
pub use concord_report::{
    analysis_report, audit_report, draft_report, evidence_report, sequence_report, simulate_report,
    sources_report, space_report,
};

/// A typed report as a JSON value: the one way every use case's `json()` is made.
pub(crate) fn to_json(model: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(model).expect("the report's types serialise to JSON")
}

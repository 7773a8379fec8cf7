//! The typed models of `concord score --json` (`concord.score/1`), `concord improve --json`
//! (`concord.improve/1`) and `concord compare --json` (`concord.compare/1`), serialised with
//! serde and described by JSON Schemas generated from the same types (`schemas/score.schema.json`,
//! `schemas/improve.schema.json`, `schemas/compare.schema.json`). The models are built by
//! [`crate::proposal::score_model`], [`crate::proposal::improve_model`] and
//! [`crate::proposal::compare_model`].

use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis_report::{Count, Keyed, ScenarioRef, Zone};

/// The schema identifier of `concord score --json`.
pub const SCORE_SCHEMA: &str = "concord.score/1";
/// The schema identifier of `concord improve --json`.
pub const IMPROVE_SCHEMA: &str = "concord.improve/1";
/// The schema identifier of `concord compare --json`.
pub const COMPARE_SCHEMA: &str = "concord.compare/1";

/// A package: its options by issue id and the utilities of every party with preferences.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Package {
    /// Option id by issue id, in file order.
    pub options: Keyed<String>,
    /// Utility by party id.
    pub utilities: Keyed<f64>,
}

/// A proposal as scored: where it comes from and the terms it sets.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProposalRow {
    /// Its id; null for a package given on the command line alone.
    pub id: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// The ids of the parties that put it forward.
    pub by: Vec<String>,
    /// Its date, as written.
    pub date: Option<String>,
    /// The admitted option ids by issue id, for the issues it settles or narrows.
    pub terms: Keyed<Vec<String>>,
    /// The issues it leaves open.
    pub open: Vec<String>,
    /// The issues whose terms the request replaced.
    pub overridden: Vec<String>,
    /// Where it comes from, in words (basis, source, speaker and quote); null for a package
    /// given in the request and for a proposal with no citation, claim or note.
    pub source: Option<String>,
    /// The analyst's note on it (which terms are a reading rather than the source's); null
    /// when it has none.
    pub note: Option<String>,
}

/// A red line a proposal breaks.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BrokenRedLine {
    /// Its id.
    pub id: String,
    /// The party's id.
    pub party: String,
    /// The rule in words.
    pub rule: String,
    /// Whether it shapes the agreement zone (its party's consent is needed and it is not set
    /// aside).
    pub shapes_zone: bool,
    /// Whether its party's consent is needed.
    pub consent: bool,
    /// `stated`, `reported`, `assumed`, …
    pub basis: String,
    /// Its basis in words: the basis, and the first source, speaker and quote it rests on.
    pub basis_note: String,
    /// Its citations.
    pub citations: Vec<crate::analysis_report::CitationRow>,
}

/// `concord score --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScoreModel {
    /// `concord.score/1`.
    #[schemars(extend("const" = "concord.score/1"))]
    pub schema: String,
    /// The scenario's id and title.
    pub scenario: ScenarioRef,
    /// The what-if changes in words.
    pub what_if: Vec<String>,
    /// Every party's name, by id.
    pub party_names: Keyed<String>,
    /// The proposal scored.
    pub proposal: ProposalRow,
    /// Whether the proposal settles every issue with one option.
    pub complete: bool,
    /// The package, when complete.
    pub package: Option<Package>,
    /// Every party with preferences.
    pub parties: Vec<ScoredParty>,
    /// The red lines the package breaks, or, when partial, that every completion breaks.
    pub broken_red_lines: Vec<BrokenRedLine>,
    /// Whether the package is in the agreement zone, when complete.
    pub in_zone: Option<bool>,
    /// Consenting parties below their reservation value (complete proposals).
    pub below_reservation: Vec<String>,
    /// Whether the scenario has an agreement zone.
    pub zone_exists: bool,
    /// Euclidean distance to the nearest frontier point of the zone.
    pub frontier_distance: Option<f64>,
    /// The distance to each bargaining solution's first package.
    pub solutions: Vec<ScoredSolution>,
    /// The best completions of a partial proposal.
    pub completions: Option<Completions>,
}

/// A party's standing under a proposal.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScoredParty {
    /// Its id.
    pub id: String,
    /// Whether its consent is needed.
    pub consent: bool,
    /// Its reservation value.
    pub reservation: f64,
    /// Its utility, when the proposal is complete.
    pub utility: Option<f64>,
    /// `utility - reservation`, when complete.
    pub gain: Option<f64>,
    /// `[least, most]` over the open issues, whatever the red lines.
    pub range: [f64; 2],
    /// The most among completions in the zone (partial proposals).
    pub best_in_zone: Option<f64>,
}

/// How far a proposal is from a bargaining solution.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScoredSolution {
    /// `nash`, `kalai-smorodinsky`, `egalitarian`, `utilitarian`.
    pub concept: String,
    /// Euclidean distance in utilities.
    pub distance: f64,
    /// The issues on which the solution's package differs.
    pub differs: Vec<String>,
    /// The solution's first package.
    pub package: Package,
}

/// The completions of a partial proposal.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Completions {
    /// Whether a completion is in the zone.
    pub zone_exists: bool,
    /// How many completions are, when counted.
    pub zone_size: Option<u64>,
    /// The red lines the proposal's terms break whatever the open issues.
    pub blocked_by_red_lines: Vec<String>,
    /// The party id of each of `blocked_by_red_lines`, in the same order.
    pub blocked_by_red_line_parties: Vec<String>,
    /// The parties whose red lines together the terms break.
    pub blocked_by_parties: Vec<String>,
    /// The concepts whose best completion a package of the whole zone improves on for every
    /// consenting party (empty: the terms cost no one); null when not known.
    pub improvable: Option<Vec<String>>,
    /// The exact method of the completions' analysis.
    pub method: Option<String>,
    /// The number of completions, exactly.
    pub space_size: Option<Count>,
    /// When no completion is in the zone: one minimal conflict among the red lines and
    /// reservation values, and how many there are.
    pub no_zone: Option<CompletionsConflict>,
    /// The bargaining solutions among the completions.
    pub solutions: Vec<CompletionSolution>,
}

/// Why no completion of a partial proposal is in the agreement zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompletionsConflict {
    /// One minimal conflict: red lines and reservation values that leave no completion
    /// together.
    pub conflict: Vec<ConflictMember>,
    /// How many minimal conflicts were found.
    pub conflict_count: usize,
    /// Whether that is all of them (the enumeration did not stop at its limit).
    pub conflicts_complete: bool,
}

/// A member of a conflict: a party's red line, or its reservation value.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConflictMember {
    /// The red line's id; null for a reservation value.
    pub red_line: Option<String>,
    /// The party's id.
    pub party: String,
}

/// A bargaining solution among the completions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompletionSolution {
    /// The concept.
    pub concept: String,
    /// Its value.
    pub value: f64,
    /// Its tied points.
    pub points: Vec<CompletionPoint>,
}

/// A point of a solution among the completions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompletionPoint {
    /// Utility by consenting party id.
    pub utilities: Keyed<f64>,
    /// The packages with these utilities.
    pub package_count: Count,
    /// The first of them.
    pub package: Option<Package>,
}

/// `concord improve --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImproveModel {
    /// `concord.improve/1`.
    #[schemars(extend("const" = "concord.improve/1"))]
    pub schema: String,
    /// The scenario's id and title.
    pub scenario: ScenarioRef,
    /// The what-if changes in words.
    pub what_if: Vec<String>,
    /// Every party's name, by id.
    pub party_names: Keyed<String>,
    /// The proposal improved on.
    pub proposal: ProposalRow,
    /// Its package.
    pub package: Package,
    /// Its consenting parties' utilities.
    pub utilities: Keyed<f64>,
    /// The consenting parties' reservation values.
    pub reservations: Keyed<f64>,
    /// Issues kept as proposed.
    pub keep: Vec<String>,
    /// Red lines shaping the zone that the proposal breaks.
    pub broken_red_lines: Vec<BrokenRedLine>,
    /// True when no package meeting the red lines is at least as good for every consenting
    /// party and better for one.
    pub efficient: bool,
    /// The exact search's method (null when the kept issues leave no package meeting the red
    /// lines).
    pub method: Option<String>,
    /// The number of packages searched, exactly (null when the kept issues leave no package
    /// meeting the red lines).
    pub space_size: Option<Count>,
    /// The packages at least as good for all.
    pub improvements: ImprovementSet,
    /// The fewest issues changed for a package every consenting party strictly prefers.
    pub closest: Option<Improvement>,
    /// The improvement maximising the smallest gain.
    pub max_min_gain: Option<Improvement>,
    /// The improvement with the largest product of gains.
    pub nash: Option<Improvement>,
}

/// The improvements found.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImprovementSet {
    /// Packages at least as good for all and not equal (null when not counted).
    pub package_count: Option<u64>,
    /// Points on their frontier (null when not materialised).
    pub frontier_size: Option<usize>,
    /// Up to 1,000 frontier points.
    pub points: Vec<Improvement>,
}

/// One improvement on a proposal.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Improvement {
    /// Utility by consenting party id.
    pub utilities: Keyed<f64>,
    /// Gain over the proposal by consenting party id.
    pub gains: Keyed<f64>,
    /// The issues it changes.
    pub changed: Vec<String>,
    /// The consenting parties it still leaves below their reservation value.
    pub below_reservation: Vec<String>,
    /// The red lines it breaks: none shapes the zone (each is set aside by the red-line
    /// selection or belongs to a party whose consent is not needed).
    pub broken_red_lines: Vec<BrokenRedLine>,
    /// Its package.
    pub package: Package,
}

/// `concord compare --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompareModel {
    /// `concord.compare/1`.
    #[schemars(extend("const" = "concord.compare/1"))]
    pub schema: String,
    /// The scenario's id and title.
    pub scenario: Option<ScenarioRef>,
    /// The file as written first, then each variant.
    pub variants: Vec<VariantRow>,
}

/// One variant compared.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VariantRow {
    /// `as written`, or the variant's text.
    pub label: String,
    /// Its changes in words.
    pub what_if: Vec<String>,
    /// Why it has no analysis, when it has none.
    pub error: Option<String>,
    /// Why it has no agreement zone whatever the other issues, when its fixes break a red line
    /// that shapes the zone: a conclusion, not an error.
    pub closed_by: Option<String>,
    /// Its agreement zone; null when `error` says why there is no analysis.
    pub zone: Option<Zone>,
    /// Its bargaining solutions.
    pub solutions: Vec<VariantSolution>,
    /// The conclusions that differ from the first variant's, in words.
    pub changes: Vec<String>,
}

/// A bargaining solution of a variant.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VariantSolution {
    /// The concept.
    pub concept: String,
    /// Its value.
    pub value: f64,
    /// How many points tie.
    pub tied: usize,
    /// Option id by issue id of its first package.
    pub options: Keyed<String>,
    /// Utility by consenting party id.
    pub utilities: Keyed<f64>,
}

//! The typed models of `concord sequence --json` (`concord.sequence/1`) and `concord diff --json`
//! (`concord.diff/1` of two versions, `concord.lineage/1` of a file's versions), serialised with
//! serde and described by JSON Schemas generated from the same types (`schemas/sequence.schema.json`,
//! `schemas/diff.schema.json`, `schemas/lineage.schema.json`). The models are built by
//! [`crate::sequence::sequence_model`], [`crate::sequence::diff_model`] and
//! [`crate::sequence::lineage_model`].

use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis_report::{Keyed, ScenarioRef};

/// `concord sequence --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SequenceModel {
    /// `concord.sequence/1`.
    #[schemars(extend("const" = "concord.sequence/1"))]
    pub schema: String,
    /// The scenario's id and title; null for a sequence file.
    pub scenario: Option<ScenarioRef>,
    /// The joint steps.
    pub steps: Vec<StepRow>,
    /// The parties' demands on their order.
    pub demands: Vec<DemandRow>,
    /// Whether a schedule meets every hard demand.
    pub feasible: bool,
    /// The best schedule, when feasible.
    pub plan: Option<PlanRow>,
    /// Why no schedule exists, when infeasible.
    pub deadlock: Option<DeadlockRow>,
    /// The demands dropped for this answer, in words (empty without any).
    pub what_if: Vec<String>,
    /// The file sequenced, as the input named it.
    pub file: String,
    /// Each party's name, by id, in file order.
    pub party_names: Keyed<String>,
}

/// Where a step, demand or version comes from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SeqProvenance {
    /// `stated`, `reported`, `assumed`, …
    pub basis: String,
    /// Its citations.
    pub citations: Vec<SeqCitation>,
}

/// A citation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SeqCitation {
    /// The source's id.
    pub source: Option<String>,
    /// The quote.
    pub quote: String,
    /// Who said it, when named.
    pub speaker: Option<String>,
}

/// A joint step.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StepRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The ids of the parties that take it.
    pub parties: Vec<String>,
    /// Its duration in days.
    pub duration: i64,
    /// Its verification, when it has one.
    pub verification: Option<VerificationRow>,
    /// The share of a first tranche, when it may be split.
    pub split: Option<f64>,
    /// Where it comes from.
    pub provenance: SeqProvenance,
}

/// How a step is verified.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VerificationRow {
    /// Days the verification takes.
    pub days: i64,
    /// The verifying party's id.
    pub by: Option<String>,
}

/// A demand.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DemandRow {
    /// Its id.
    pub id: String,
    /// The demanding party's id.
    pub party: String,
    /// Its rule.
    pub rule: RuleRow,
    /// The rule in words.
    pub text: String,
    /// How hard it is.
    pub strength: StrengthRow,
    /// Its note.
    pub note: Option<String>,
    /// Where it comes from.
    pub provenance: SeqProvenance,
}

/// A rule on the order of steps.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RuleRow {
    /// `then` after `first`.
    Before {
        /// The earlier step's id.
        first: String,
        /// The later step's id.
        then: String,
        /// `finish-to-start`, `start-to-start`, …
        relation: String,
        /// The least gap in days.
        min_gap: i64,
        /// The greatest gap in days, when bounded.
        max_gap: Option<i64>,
    },
    /// Two steps at once.
    Together {
        /// The two steps' ids.
        steps: Vec<String>,
    },
    /// A step not before a day.
    NotBefore {
        /// The step's id.
        step: String,
        /// The day.
        day: i64,
    },
    /// A step done by a day.
    DoneBy {
        /// The step's id.
        step: String,
        /// The day.
        day: i64,
    },
    /// A step within days of another.
    Within {
        /// The step's id.
        step: String,
        /// The other step's id.
        of: String,
        /// The days.
        days: i64,
    },
    /// One of several rules.
    AnyOf {
        /// The rules.
        alternatives: Vec<RuleRow>,
    },
}

/// How hard a demand is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StrengthRow {
    /// `hard`, `per-day` or `flat`.
    pub kind: String,
    /// The cost of breaking it (per day for `per-day`); null when hard.
    pub cost: Option<u64>,
}

/// Why a step waits.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CauseRow {
    /// `day-zero`, `tranche-order` or `demand`.
    pub kind: String,
    /// The demand's id, for `demand`.
    pub demand: Option<String>,
}

/// An event of a step, or day zero.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AnchorRow {
    /// The step's id; null for day zero.
    pub step: Option<String>,
    /// `day-zero`, `start` or `done`.
    pub event: String,
}

/// A schedule.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlanRow {
    /// Days until the last step is done.
    pub duration: i64,
    /// The cost of the soft demands it breaks.
    pub cost: u64,
    /// The soft demands it breaks.
    pub broken: Vec<BrokenDemandRow>,
    /// Each step (or tranche) with its days.
    pub steps: Vec<PlanStepRow>,
    /// The steps by starting day.
    pub phases: Vec<PhaseRow>,
    /// The chain of waits that sets the duration.
    pub critical_path: Vec<CriticalLinkRow>,
}

/// A soft demand a schedule breaks.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BrokenDemandRow {
    /// Its id.
    pub demand: String,
    /// By how many days.
    pub days: i64,
    /// At what cost.
    pub cost: u64,
}

/// A step (or tranche) of a schedule.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlanStepRow {
    /// The step's id.
    pub step: String,
    /// The tranche (1 or 2) of a split step.
    pub tranche: Option<u8>,
    /// Its starting day.
    pub start: i64,
    /// Its days.
    pub duration: i64,
    /// The day it is done.
    pub done: i64,
}

/// A step (or tranche) named.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StepRef {
    /// The step's id.
    pub step: String,
    /// The tranche of a split step.
    pub tranche: Option<u8>,
}

/// Steps starting on one day.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PhaseRow {
    /// The day.
    pub day: i64,
    /// The steps.
    pub steps: Vec<StepRef>,
}

/// A link of the critical path.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CriticalLinkRow {
    /// The step's id.
    pub step: String,
    /// The tranche of a split step.
    pub tranche: Option<u8>,
    /// Why it waits.
    pub cause: CauseRow,
    /// The step it waits for, if any.
    pub after: Option<StepRef>,
}

/// Why no schedule exists.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeadlockRow {
    /// Whether every minimal conflict is listed.
    pub complete: bool,
    /// Minimal sets of hard demands that no schedule meets together.
    pub conflicts: Vec<ConflictRow>,
    /// The fewest changes that give a schedule, when found.
    pub way_out: Option<WayOutRow>,
    /// Why no way out was found, when none was.
    pub way_out_failure: Option<String>,
}

/// A minimal conflict of demands.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConflictRow {
    /// The demands' ids.
    pub demands: Vec<String>,
    /// The cycle of waits they make, when it is one.
    pub cycle: Option<Vec<CycleLinkRow>>,
    /// Relaxations of one demand that end it.
    pub relaxations: Vec<RelaxationRow>,
    /// Splits of a step into tranches that end it.
    pub splits: Vec<SplitRow>,
    /// The demand set aside to find the next conflict.
    pub set_aside: String,
}

/// A link of a cycle.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CycleLinkRow {
    /// Why the link holds.
    pub cause: CauseRow,
    /// The earlier event.
    pub earlier: AnchorRow,
    /// The later event.
    pub later: AnchorRow,
    /// The least days between them.
    pub min: i64,
    /// The link's weight in days.
    pub days: i64,
}

/// A relaxation of a demand.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RelaxationRow {
    /// The demand's id.
    pub demand: String,
    /// By how many days.
    pub days: i64,
    /// The relaxed rule in words.
    pub text: String,
    /// The duration of the schedule it allows, when one exists.
    pub plan_days: Option<i64>,
    /// That schedule.
    pub plan: Option<PlanRow>,
}

/// A split of a step into two tranches.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SplitRow {
    /// The step's id.
    pub step: String,
    /// Days of the first tranche.
    pub first_days: i64,
    /// Days of the second.
    pub second_days: i64,
    /// The demands reattached to tranches.
    pub attached: Vec<AttachedRow>,
    /// Whether the split ends the conflict.
    pub removes_conflict: bool,
    /// The schedule it allows, when one exists.
    pub plan: Option<PlanRow>,
}

/// A demand reattached to tranches.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AttachedRow {
    /// The demand's id.
    pub demand: String,
    /// The tranches.
    pub tranches: Vec<u8>,
}

/// The fewest changes that give a schedule.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WayOutRow {
    /// The changes.
    pub actions: Vec<ActionRow>,
    /// What they cost.
    pub cost: WayOutCostRow,
    /// The schedule they give.
    pub plan: PlanRow,
}

/// One change of a way out.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ActionRow {
    /// Split a step into two tranches.
    Split {
        /// The step's id.
        step: String,
        /// Days of the first tranche.
        first_days: i64,
        /// Days of the second.
        second_days: i64,
        /// The demands reattached to tranches.
        attached: Vec<AttachedRow>,
    },
    /// Relax a demand.
    Relax {
        /// The demand's id.
        demand: String,
        /// By how many days.
        days: i64,
        /// The relaxed rule in words.
        text: String,
    },
}

/// What a way out costs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WayOutCostRow {
    /// Days of relaxation in all.
    pub days: i64,
    /// Demands changed.
    pub changes: usize,
    /// Steps split.
    pub splits: usize,
}

/// `concord diff --json` of two versions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DiffModel {
    /// `concord.diff/1`.
    #[schemars(extend("const" = "concord.diff/1"))]
    pub schema: String,
    /// The comparison.
    #[serde(flatten)]
    pub body: DiffBody,
}

/// The comparison of two versions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DiffBody {
    /// The older version.
    pub old: VersionRow,
    /// The newer version.
    pub new: VersionRow,
    /// Points found in both.
    pub matched: Vec<MatchedRow>,
    /// Points of the older version only.
    pub old_only: Vec<FatePoint>,
    /// Points of the newer version only.
    pub new_only: Vec<FatePoint>,
}

/// A version of the framework document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VersionRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: Option<String>,
    /// Its number of points (known or not).
    pub points: usize,
    /// The points listed.
    pub listed: usize,
    /// Whether every point is listed.
    pub complete: bool,
    /// The points it is known to leave out.
    pub leaves_out: Vec<String>,
}

/// A point named.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PointRow {
    /// Its number, when it has one.
    pub number: Option<u32>,
    /// Its title.
    pub title: String,
}

/// A point of one version only, with what became of it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FatePoint {
    /// Its number, when it has one.
    pub number: Option<u32>,
    /// Its title.
    pub title: String,
    /// `removed`, `left-out`, `added` or `not-known`.
    pub fate: String,
}

/// A point found in both versions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MatchedRow {
    /// The point in the older version.
    pub old: PointRow,
    /// The point in the newer version.
    pub new: PointRow,
    /// How alike they are.
    pub similarity: f64,
    /// Whether its number changed.
    pub renumbered: bool,
    /// Whether its text or issues changed.
    pub changed: bool,
    /// The word-level diff of its title, when it changed.
    pub title_diff: Option<Vec<PieceRow>>,
    /// The word-level diff of its summary, when it changed.
    pub summary_diff: Option<Vec<PieceRow>>,
    /// Issue ids added.
    pub issues_added: Vec<String>,
    /// Issue ids removed.
    pub issues_removed: Vec<String>,
}

/// A piece of a word-level diff.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PieceRow {
    /// `same`, `removed` or `added`.
    pub kind: String,
    /// Its text.
    pub text: String,
}

/// `concord diff --json` of a file's versions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LineageModel {
    /// `concord.lineage/1`.
    #[schemars(extend("const" = "concord.lineage/1"))]
    pub schema: String,
    /// The versions, oldest first.
    pub versions: Vec<LineageVersion>,
    /// Each point's line through the versions (null where a version lacks it).
    pub lines: Vec<Vec<Option<PointRow>>>,
    /// How many points survive from one version to another.
    pub survival: Vec<SurvivalRow>,
    /// The comparison of each version with the next.
    pub diffs: Vec<DiffBody>,
}

/// A version in a lineage.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LineageVersion {
    /// The version.
    #[serde(flatten)]
    pub version: VersionRow,
    /// Its note.
    pub note: Option<String>,
    /// Where it comes from.
    pub provenance: SeqProvenance,
    /// The parties' stances on its points.
    pub acceptance: Vec<AcceptanceRow>,
}

/// A party's stances on a version's points.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AcceptanceRow {
    /// The party's id.
    pub party: String,
    /// Points accepted.
    pub accepts: usize,
    /// Points accepted with reservations.
    pub reserves: usize,
    /// Points rejected.
    pub rejects: usize,
    /// Points with no stated stance.
    pub not_stated: usize,
    /// The share accepted.
    pub share: Option<f64>,
}

/// How many points survive from one version to another.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SurvivalRow {
    /// The older version's id.
    pub from: String,
    /// The newer version's id.
    pub to: String,
    /// Points of the older version.
    pub of: usize,
    /// Points found again.
    pub survive: usize,
    /// Points dropped.
    pub dropped: usize,
    /// Points whose fate is not known.
    pub unknown: usize,
}

/// What `concord diff --json` prints: two versions compared, or a file's lineage.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum VersionsModel {
    /// Two versions (`concord.diff/1`).
    Diff(Box<DiffModel>),
    /// A file's versions (`concord.lineage/1`).
    Lineage(LineageModel),
}

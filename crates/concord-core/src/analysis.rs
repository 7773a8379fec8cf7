//! `analyze`: the exact answers for one scenario.
//!
//! Two exact methods build the frontier: enumeration (the [`crate::engine`] walks every allowed
//! package; it counts packages and lists tied ones) and the issue-by-issue merge
//! ([`crate::merge`]; it never enumerates the space). When the merge's frontier is too large to
//! hold, a third method computes the bargaining points without it: branch and bound
//! ([`crate::bnb`]), each point proven optimal or reported with a bound on its gap. [`Method`] says
//! which one ran; packages are counted by enumeration whenever the space is within
//! [`AnalysisConfig::count_limit`].
//!
//! The agreement zone is the set of packages that break no red line of a party whose consent is
//! needed and give each such party at least its reservation value. Everything else (frontier,
//! bargaining solutions, the issue map, and the explanation of an empty zone) is computed from
//! walks of that zone under variations of its rules.

use std::ops::ControlFlow;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use thiserror::Error;

use crate::bargaining::{self, Concept, NegmasConcept, NegmasSolution, Solution};
use crate::bnb::{self, BnbConfig, BnbStop};
use crate::conflicts;
use crate::engine::{self, Evaluator, Floor, Rules};
use crate::exact::{self, Unit};
use crate::merge::{self, merge_frontier, History, MergeConfig, MergeStop};
use crate::model::{
    Basis, IssueIx, IssueRestriction, OptionIx, PartyIx, RedLineIx, RedLineRule, Scenario, Stance,
};
use crate::number::grouped;
use crate::pareto::FrontierBuilder;

/// How the frontier is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MethodChoice {
    /// The merge whenever the space is larger than [`AnalysisConfig::enumeration_limit`],
    /// enumeration otherwise (it lists every tied package, up to the listing limit).
    #[default]
    Auto,
    /// Always enumerate (refused past [`AnalysisConfig::max_outcomes`]).
    Enumeration,
    /// Always merge.
    Merge,
    /// Never build the frontier: the bargaining points by branch and bound.
    BranchAndBound,
}

/// The method that computed a frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every allowed package was visited.
    Enumeration,
    /// The issue-by-issue merge of non-dominated partial sums.
    Merge,
    /// Branch and bound for the bargaining points; the frontier is not materialised.
    BranchAndBound,
}

impl Method {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Enumeration => "exact enumeration",
            Method::Merge => "exact issue-by-issue merge",
            Method::BranchAndBound => "exact branch and bound",
        }
    }
}

/// Options for [`analyze`].
#[derive(Debug, Clone)]
pub struct AnalysisConfig {
    /// How to compute the frontier.
    pub method: MethodChoice,
    /// With [`MethodChoice::Auto`], enumerate spaces up to this size.
    pub enumeration_limit: u128,
    /// Count packages (zone size, issue map, relaxations) by enumeration up to this space size;
    /// past it, counts are not computed, except that [`Method::Enumeration`] counts the zone it
    /// walks anyway. 0 disables counting for every method.
    pub count_limit: u128,
    /// The largest outcome space [`MethodChoice::Enumeration`] accepts.
    pub max_outcomes: u128,
    /// The merge stops when one issue's layer holds more non-dominated partial sums than this
    /// (0: no limit), so that memory stays bounded: with [`MethodChoice::Auto`] the analysis then
    /// falls back to branch and bound, with [`MethodChoice::Merge`] it returns
    /// [`AnalysisError::TooManyPartialSums`].
    pub max_partial_sums: usize,
    /// The merge stops when the candidate partial sums it has formed (kept partial sums times
    /// options, over the issues merged so far; with two parties on a staircase, which forms
    /// only what it keeps, one per partial sum shifted) pass this (0: no limit); with
    /// [`MethodChoice::Auto`] the analysis then falls back to branch and bound, with
    /// [`MethodChoice::Merge`] it returns [`AnalysisError::MergeBudget`].
    pub max_merge_work: u64,
    /// Each branch-and-bound search stops after this many nodes (0: no limit) and reports its
    /// best package as not proven optimal, with a bound on the gap.
    pub max_nodes: u64,
    /// How many tied packages each frontier point lists (all are counted). At least one is
    /// always kept, since every report shows a package per point: 0 is read as 1.
    pub package_limit: usize,
    /// Whether to compute the issue map (one walk per issue).
    pub issue_map: bool,
    /// Whether to explain an empty zone (several walks).
    pub explain: bool,
    /// Which red lines of consenting parties to apply, by the basis they rest on.
    pub red_lines: RedLineSelection,
    /// Decide exactly on the numbers as written when every weight, value and reservation value
    /// is a short decimal ([`exact`]): zone membership, dominance, equal utilities and the
    /// bargaining optima. Off, or with any other number, utilities are floating-point sums in
    /// issue order. Off by default in the library, so that the float engine and its brute-force
    /// twin keep comparing bit for bit; the `concord` command turns it on.
    pub exact_decimals: bool,
    /// Also pick the points of NegMAS 0.16's `ks_points` and `kalai_points` on the frontier
    /// ([`Analysis::negmas`]), so that results can be matched with NegMAS's.
    pub negmas_points: bool,
    /// Count packages by meet in the middle ([`crate::halves`]) on spaces of more than
    /// [`crate::halves::MIN_SPACE`] packages, where it applies; the counts are the enumeration's
    /// exactly. Off by default (see docs/analysis.md).
    pub count_without_enumerating: bool,
}

/// Which red lines an analysis applies, by their basis. Red lines left out are reported as set
/// aside, so that an analyst can ask "is there a zone under the red lines the parties state
/// themselves?" without editing the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedLineSelection {
    /// Every red line.
    #[default]
    All,
    /// Red lines the party stated or a third party reported, not the analyst's assumptions.
    Cited,
    /// Only red lines the party stated itself.
    Stated,
}

impl crate::names::Named for MethodChoice {
    const ALL: &'static [Self] = &[
        MethodChoice::Auto,
        MethodChoice::Enumeration,
        MethodChoice::Merge,
        MethodChoice::BranchAndBound,
    ];

    fn name(self) -> &'static str {
        match self {
            MethodChoice::Auto => "auto",
            MethodChoice::Enumeration => "enumerate",
            MethodChoice::Merge => "merge",
            MethodChoice::BranchAndBound => "bnb",
        }
    }

    fn help(self) -> &'static str {
        match self {
            MethodChoice::Auto => "enumerate small spaces, merge larger ones, branch and bound past the merge's limits",
            MethodChoice::Enumeration => "enumerate every package",
            MethodChoice::Merge => "merge issue by issue, never enumerate",
            MethodChoice::BranchAndBound => "only the bargaining points, by branch and bound, without the frontier",
        }
    }
}

impl crate::names::Named for RedLineSelection {
    const ALL: &'static [Self] = &[
        RedLineSelection::All,
        RedLineSelection::Cited,
        RedLineSelection::Stated,
    ];

    fn name(self) -> &'static str {
        self.as_str()
    }

    fn help(self) -> &'static str {
        match self {
            RedLineSelection::All => "every red line",
            RedLineSelection::Cited => "red lines stated by the party or reported by a third party",
            RedLineSelection::Stated => "red lines in the party's own words",
        }
    }
}

impl RedLineSelection {
    /// The word that names it (`all`, `cited`, `stated`), as `--red-lines` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            RedLineSelection::All => "all",
            RedLineSelection::Cited => "cited",
            RedLineSelection::Stated => "stated",
        }
    }

    /// Whether a red line with this basis is applied.
    pub fn applies(self, basis: Basis) -> bool {
        match self {
            RedLineSelection::All => true,
            RedLineSelection::Cited => basis != Basis::Assumed,
            RedLineSelection::Stated => basis == Basis::Stated,
        }
    }
}

/// The default of [`AnalysisConfig::max_merge_work`]: under a minute of merging with five parties,
/// and more than the merge of any ANAC scenario can need (the estimate bounds theirs under 10^7).
pub const DEFAULT_MAX_MERGE_WORK: u64 = 10_000_000;

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            method: MethodChoice::Auto,
            enumeration_limit: 10_000,
            count_limit: 100_000_000,
            max_outcomes: 100_000_000,
            max_partial_sums: 10_000_000,
            max_merge_work: DEFAULT_MAX_MERGE_WORK,
            max_nodes: 10_000_000,
            package_limit: 20,
            issue_map: true,
            explain: true,
            red_lines: RedLineSelection::All,
            exact_decimals: false,
            negmas_points: false,
            count_without_enumerating: false,
        }
    }
}

/// Why a scenario cannot be analysed. An empty agreement zone is not an error: it is a result.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The model breaks the rules every analysis relies on ([`Scenario::validate`]).
    #[error("{0}")]
    InvalidModel(crate::validate::ModelProblems),
    /// The outcome space is larger than enumeration allows.
    #[error("the outcome space has {size} outcomes, more than the {limit} that exact enumeration handles")]
    SpaceTooLarge {
        /// The size, as a decimal string (it may exceed any integer type).
        size: String,
        /// The limit.
        limit: u128,
    },
    /// A party whose consent is needed has no preferences.
    #[error("party `{party}` needs to consent but has no preferences")]
    MissingPreferences {
        /// The party's id.
        party: String,
    },
    /// No party's consent is needed, so there is no agreement to find.
    #[error("no party's consent is needed; mark at least one party with role `party` or `consent = true`")]
    NoConsentingParty,
    /// A party's own red lines exclude every package.
    #[error("the red lines of `{party}` exclude every package: that party could accept nothing")]
    SelfContradictoryRedLines {
        /// The party's id.
        party: String,
    },
    /// The scenario has no issues.
    #[error("the scenario has no issues")]
    NoIssues,
    /// An issue with more options than a package index holds (65,536).
    #[error("issue `{issue}` has {options} options; at most 65,536 are supported")]
    TooManyOptions {
        /// The issue's id.
        issue: String,
        /// Its number of options.
        options: usize,
    },
    /// More conditional red lines open across one issue than the merge carries.
    #[error("{open} conditional red lines span issue `{issue}` in the merge, which carries at most 64 at once; enumeration and branch and bound have no such limit")]
    TooManyConditionals {
        /// The issue (id) where too many are open.
        issue: String,
        /// How many are open there.
        open: usize,
    },
    /// The merge or the branch and bound was stopped by the user, or the branch and bound found
    /// nothing within its node limit.
    #[error("the analysis stopped before the end: {0}")]
    Stopped(String),
    /// A layer of the merge grew past [`AnalysisConfig::max_partial_sums`] (with
    /// [`MethodChoice::Merge`]; the automatic choice falls back to branch and bound).
    #[error("the analysis stopped before the end: {0}")]
    TooManyPartialSums(String),
    /// The merge formed more candidate partial sums than [`AnalysisConfig::max_merge_work`]
    /// (with [`MethodChoice::Merge`]; the automatic choice falls back to branch and bound).
    #[error("the analysis stopped before the end: {0}")]
    MergeBudget(String),
}

/// One of the constraints that define the agreement zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constraint {
    /// A red line of a consenting party.
    RedLine(RedLineIx),
    /// A consenting party's reservation value.
    Reservation(PartyIx),
}

/// A change to one constraint that opens an agreement zone, all other constraints kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Relaxation {
    /// The constraint changed.
    pub constraint: Constraint,
    /// How.
    pub change: Change,
    /// The size of the zone it opens, when packages are counted.
    pub zone_size: Option<u64>,
}

/// How a constraint is relaxed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Lower a reservation value to the best the party can get under the other constraints.
    LowerReservation {
        /// The current value.
        from: f64,
        /// The highest value that opens a zone (when `proven`; otherwise a value that opens a
        /// zone, the highest a branch and bound found within its node limit).
        to: f64,
        /// Whether `to` is proven the highest.
        proven: bool,
    },
    /// Let a red line admit one more option of an issue.
    AdmitOption {
        /// The issue.
        issue: IssueIx,
        /// The option admitted.
        option: OptionIx,
    },
    /// Stop a conditional red line from triggering on one option of its condition.
    NarrowCondition {
        /// The condition's issue.
        issue: IssueIx,
        /// The option that no longer triggers it.
        option: OptionIx,
    },
    /// Drop the red line altogether (no single-option change suffices).
    DropRedLine,
}

/// Why there is no agreement zone, and what would open one.
///
/// A zone opens only when every minimal conflict is ended: removing a member of one conflict ends
/// that conflict, and opens a zone only when that member belongs to all of them. What opens a zone
/// for the whole problem is in [`NoZone::corrections`], [`NoZone::by_party`] and
/// [`NoZone::relaxations`].
#[derive(Debug, Clone, PartialEq)]
pub struct NoZone {
    /// The first minimal conflict: constraints that together leave nothing, while any proper
    /// subset of them leaves something. Found by the deletion filter trying reservation values
    /// first, so that a conflict between red lines is stated as such. Equal to `conflicts[0]`.
    pub conflict: Vec<Constraint>,
    /// Every minimal conflict, in the order found (members sorted), when
    /// [`NoZone::conflicts_complete`]; otherwise those found before a limit was reached.
    pub conflicts: Vec<Vec<Constraint>>,
    /// Whether [`NoZone::conflicts`] lists every minimal conflict.
    pub conflicts_complete: bool,
    /// The smallest sets of constraints whose relaxing together opens a zone (minimum correction
    /// sets): every such set of the fewest members, red lines dropped and reservation values
    /// lowered. Empty only when the search stopped at a limit.
    pub corrections: Vec<Correction>,
    /// Whether [`NoZone::corrections`] is proven to hold every minimum correction set.
    pub corrections_complete: bool,
    /// For each consenting party, what it alone would have to give up to open a zone.
    pub by_party: Vec<PartyCorrections>,
    /// Single changes to members of the conflict that open a zone, all other constraints kept,
    /// cheapest first: reservation values by how far they drop, then red lines admitting one
    /// option, then dropped red lines.
    pub relaxations: Vec<Relaxation>,
}

/// A set of constraints whose relaxing together opens a zone, every other constraint kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// The constraints relaxed: red lines dropped, reservation values lowered (sorted).
    pub constraints: Vec<Constraint>,
    /// For each reservation value in the set, the value it is lowered to: together these open a
    /// zone (a package meets them exactly), chosen to make the largest drop as small as possible
    /// (among ties, the lowered parties' utilities greatest in party order). Empty when the set
    /// has no reservation value, or when a branch and bound stopped at its limit or found more
    /// tied points than it keeps.
    pub lower_to: Vec<(PartyIx, f64)>,
    /// Whether `lower_to` is proven to lower as little as possible (false only after a branch
    /// and bound that reached its node limit: the values still open a zone).
    pub lower_to_proven: bool,
    /// The size of the zone so opened, when packages are counted and the lowered values are
    /// known.
    pub zone_size: Option<u64>,
}

/// What one consenting party alone would have to give up to open a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyCorrections {
    /// The party.
    pub party: PartyIx,
    /// Every set of the party's own constraints, of the fewest members, whose relaxing opens a
    /// zone with every other constraint kept; empty when no such set exists (or the search
    /// stopped).
    pub corrections: Vec<Correction>,
    /// When the party cannot open a zone alone: a minimal conflict (index into
    /// [`NoZone::conflicts`]) with none of its constraints, which remains whatever it gives up.
    pub remaining_conflict: Option<usize>,
    /// Whether the answer is proven.
    pub complete: bool,
}

/// How one issue stands between the parties.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueReport {
    /// The issue.
    pub issue: IssueIx,
    /// `(party, weight)` for every party with preferences.
    pub weights: Vec<(PartyIx, f64)>,
    /// `(party, favourite options)` for every party with preferences; several when tied.
    pub favourites: Vec<(PartyIx, Vec<OptionIx>)>,
    /// Whether no option is a favourite of every consenting party.
    pub favourites_differ: bool,
    /// Red lines of consenting parties that mention the issue.
    pub red_lines: Vec<RedLineIx>,
    /// The zone's share of the space when the issue is freed: its red lines lifted and every
    /// party scoring it at its own favourite option (when packages are counted).
    pub freed_share: Option<f64>,
    /// How much the zone's share grows when the issue is freed (the blocking measure; when
    /// packages are counted).
    pub blocking: Option<f64>,
    /// Whether freeing the issue alone opens a zone that is otherwise empty.
    pub opens_zone: bool,
}

/// Where a framework point stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PointStatus {
    /// Index into the scenario's framework points.
    pub point: usize,
    /// Whether every consenting party accepts it.
    pub accepted: bool,
    /// Mean over consenting parties of the weight they give the point's issues.
    pub weight: f64,
    /// Consenting parties that do not accept it, with their stance.
    pub holdouts: Vec<(PartyIx, Stance)>,
}

/// Where the framework document stands.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkStatus {
    /// Each point.
    pub points: Vec<PointStatus>,
    /// Share of points accepted by every consenting party; `None` without points.
    pub accepted_share: Option<f64>,
    /// The same, weighted by [`PointStatus::weight`]; `None` when all weights are zero.
    pub weighted_share: Option<f64>,
}

/// One point of the zone's Pareto frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Utility of each consenting party, in [`Analysis::consenting`] order.
    pub utilities: Vec<f64>,
    /// How many packages have exactly these utilities (saturating at `u128::MAX`).
    pub package_count: u128,
    /// The first of them by option index: up to the listing limit by enumeration, one by merge.
    /// Empty when a large merged frontier keeps them in [`Analysis::packages`]'s history instead.
    pub packages: Vec<Vec<OptionIx>>,
    /// Where the merge's history rebuilds this point's package.
    pub leaf: Option<usize>,
}

/// A zone as computed: its size (when enumerated), its frontier, and the merge's history when the
/// frontier's packages were not kept.
type Zone = (Option<u64>, Vec<Point>, Option<History>);

/// Merged frontiers up to this many points carry their packages; larger ones rebuild them from
/// the merge's history when asked, so memory follows the frontier's size, not its packages'.
pub const MATERIALISED_POINTS: usize = 1000;

/// How sure a branch-and-bound solution is.
#[derive(Debug, Clone, PartialEq)]
pub struct Proof {
    /// Whether the value is the optimum.
    pub proven: bool,
    /// The optimum lies between the solution's value and value + gap (0 when proven).
    pub gap: f64,
    /// Whether every tied optimal point is listed.
    pub all_ties: bool,
    /// Nodes searched.
    pub nodes: u64,
}

/// What the branch and bound did, when it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchReport {
    /// Why the frontier was not materialised: the merge's stop message when the analysis fell
    /// back to branch and bound, `None` when branch and bound was asked for.
    pub fallback: Option<String>,
    /// The node limit of each search (0: none).
    pub max_nodes: u64,
    /// Nodes searched in all.
    pub nodes: u64,
    /// Proven upper bounds of [`Analysis::ideal`] (equal to it when the ideal is proven).
    pub ideal_upper: Vec<f64>,
    /// One per solution, in the same order.
    pub proofs: Vec<Proof>,
    /// True when the explanation of an empty zone was left out ([`Analysis::no_zone`] is `None`)
    /// because a search behind it reached the node limit before it decided whether a set of
    /// constraints admits a package. The zone's emptiness itself is proven.
    pub explanation_stopped: bool,
    /// True when the issue map was left out ([`Analysis::issues`] is empty) for the same reason.
    pub issue_map_stopped: bool,
}

/// The complete answer for one scenario.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The method that computed the frontier.
    pub method: Method,
    /// The number of packages (one option for every issue), or `None` past `u128`.
    pub space_size: Option<u128>,
    /// The base-10 logarithm of the number of packages.
    pub space_log10: f64,
    /// The parties whose consent is needed; frontier utilities are in this order.
    pub consenting: Vec<PartyIx>,
    /// Their reservation values, in the same order.
    pub reservations: Vec<f64>,
    /// The utility model, for evaluating listed packages.
    pub evaluator: Evaluator,
    /// Whether the agreement zone has any package.
    pub zone_exists: bool,
    /// The number of packages in the agreement zone, when counted.
    pub zone_size: Option<u64>,
    /// The Pareto frontier of the zone over the consenting parties (empty when it was not
    /// materialised).
    pub frontier: Vec<Point>,
    /// Whether [`Analysis::frontier`] holds the frontier; false after branch and bound, whose
    /// solutions' points are in [`Analysis::optima`].
    pub frontier_materialised: bool,
    /// The points the branch-and-bound solutions pick (empty for the other methods).
    pub optima: Vec<Point>,
    /// What the branch and bound did, when it ran.
    pub search: Option<SearchReport>,
    /// Each consenting party's best utility in the zone (the best found, under a branch and bound
    /// that did not prove it: see [`SearchReport::ideal_upper`]).
    pub ideal: Vec<f64>,
    /// One solution per [`Concept`], in [`Concept::ALL`] order; empty when the zone is empty.
    /// Its points index [`Analysis::frontier`], or [`Analysis::optima`] when the frontier was not
    /// materialised (use [`Analysis::solution_point`]).
    pub solutions: Vec<Solution>,
    /// Present when the zone is empty and explanation was asked for.
    pub no_zone: Option<NoZone>,
    /// Whether counts past [`crate::halves::MIN_SPACE`] packages were made by meet in the
    /// middle where it applies ([`AnalysisConfig::count_without_enumerating`]).
    pub count_without_enumerating: bool,
    /// With [`AnalysisConfig::negmas_points`]: NegMAS's rules ([`NegmasConcept::ALL`] order) on
    /// the frontier, their points indexing [`Analysis::frontier`]; empty when the zone is empty
    /// or the frontier was not materialised (branch and bound does not support them). `None`
    /// when not asked for.
    pub negmas: Option<Vec<NegmasSolution>>,
    /// Issues ranked by how much they block agreement, most first (empty unless asked for).
    pub issues: Vec<IssueReport>,
    /// Where the framework document stands.
    pub framework: FrameworkStatus,
    /// Red lines of parties whose consent is not needed: reported, but they shape nothing.
    pub advisory_red_lines: Vec<RedLineIx>,
    /// Red lines of consenting parties left out by [`AnalysisConfig::red_lines`].
    pub set_aside_red_lines: Vec<RedLineIx>,
    /// The merge's back-pointers, kept when the frontier's packages were not materialised.
    pub history: Option<Arc<History>>,
    /// The scale of [`Analysis::evaluator`]: utilities it computes are integers `unit` times the
    /// numbers as written when the scenario's numbers are short decimals ([`exact`]), and
    /// [`Unit::ONE`] otherwise. Every other number in the analysis is as written.
    pub unit: Unit,
}

impl Analysis {
    /// Point `i` of a solution: in the frontier, or among the branch and bound's optima.
    pub fn solution_point(&self, i: usize) -> &Point {
        if self.frontier_materialised {
            &self.frontier[i]
        } else {
            &self.optima[i]
        }
    }

    /// The proof of solution `s` (by position in [`Analysis::solutions`]), after branch and bound.
    pub fn proof(&self, s: usize) -> Option<&Proof> {
        self.search.as_ref().and_then(|r| r.proofs.get(s))
    }

    /// The zone's share of the outcome space, when counted.
    pub fn zone_share(&self) -> Option<f64> {
        Some(self.zone_size? as f64 / self.space_size? as f64)
    }

    /// The listed packages of a frontier point, rebuilt from the merge's history when they were
    /// not kept.
    pub fn packages(&self, point: &Point) -> Vec<Vec<OptionIx>> {
        match (&self.history, point.leaf) {
            (Some(h), Some(leaf)) if point.packages.is_empty() => vec![h.package(leaf)],
            _ => point.packages.clone(),
        }
    }

    /// Every scored party's utility of a package, in [`Evaluator::scored`] order.
    pub fn utilities(&self, package: &[OptionIx]) -> Vec<f64> {
        let mut out = vec![0.0; self.evaluator.width()];
        self.evaluator.utilities(package, &mut out);
        out.iter_mut().for_each(|x| *x = self.unit.utility(*x));
        out
    }
}

/// Checks what [`analyze`] needs of a scenario, returning the size of its outcome space (`None`
/// past `u128`).
pub fn check(scenario: &Scenario, config: &AnalysisConfig) -> Result<Option<u128>, AnalysisError> {
    scenario.validate().map_err(AnalysisError::InvalidModel)?;
    if scenario.issues.is_empty() {
        return Err(AnalysisError::NoIssues);
    }
    let consenting = scenario.consenting();
    if consenting.is_empty() {
        return Err(AnalysisError::NoConsentingParty);
    }
    if let Some(&p) = consenting
        .iter()
        .find(|&&p| scenario.preferences[p].is_none())
    {
        return Err(AnalysisError::MissingPreferences {
            party: scenario.parties[p].id.clone(),
        });
    }
    let size = engine::space_size(&scenario.option_counts());
    if config.method == MethodChoice::Enumeration && size.is_none_or(|s| s > config.max_outcomes) {
        return Err(AnalysisError::SpaceTooLarge {
            size: size.map_or_else(|| big_product(&scenario.option_counts()), |s| s.to_string()),
            limit: config.max_outcomes,
        });
    }
    if let Some(issue) = scenario
        .issues
        .iter()
        .find(|i| i.options.len() > usize::from(u16::MAX) + 1)
    {
        return Err(AnalysisError::TooManyOptions {
            issue: issue.id.clone(),
            options: issue.options.len(),
        });
    }
    if let Some(p) = self_contradictory_parties(scenario).first() {
        return Err(AnalysisError::SelfContradictoryRedLines {
            party: scenario.parties[*p].id.clone(),
        });
    }
    Ok(size)
}

/// The product of counts as a decimal string, for sizes past `u128`.
fn big_product(counts: &[usize]) -> String {
    let log10: f64 = counts.iter().map(|&c| (c as f64).log10()).sum();
    format!("about 10^{log10:.1}")
}

/// How many steps the search for a party's contradictory red lines may take ([`engine::any_within`]):
/// tens of milliseconds. Past it the party is not reported (the analysis then finds, and
/// explains, an empty zone as for any other conflict).
pub const SELF_CONTRADICTION_STEPS: u64 = 10_000_000;

/// Parties whose own red lines, taken together, are proven to exclude every package.
///
/// Only the issues a party's red lines mention can make them contradictory (every other issue
/// may take any option), so each party's search runs over those issues alone: over every issue,
/// a contradiction between the last issues was found only after trying every combination of the
/// first ones, which took minutes on large spaces. Each search stops after
/// [`SELF_CONTRADICTION_STEPS`]: tens of conditional red lines over large issues made it run
/// without end (the extreme-scenario generator found it, `tests/extreme.rs`), and a party whose
/// search is stopped is not reported.
pub fn self_contradictory_parties(scenario: &Scenario) -> Vec<PartyIx> {
    (0..scenario.parties.len())
        .filter(|&p| {
            let own: Vec<&RedLineRule> = scenario
                .red_lines
                .iter()
                .filter(|r| r.party == p)
                .map(|r| &r.rule)
                .collect();
            if own.is_empty() {
                return false;
            }
            let mut touched: Vec<IssueIx> = own.iter().flat_map(|rule| rule.issues()).collect();
            touched.sort_unstable();
            touched.dedup();
            let at = |i: IssueIx| touched.binary_search(&i).expect("a touched issue");
            let mut projected = Scenario {
                issues: touched
                    .iter()
                    .map(|&i| scenario.issues[i].clone())
                    .collect(),
                red_lines: Vec::new(),
                ..scenario.clone()
            };
            for prefs in projected.preferences.iter_mut().flatten() {
                prefs.issues = touched.iter().map(|&i| prefs.issues[i].clone()).collect();
            }
            let restriction = |r: &IssueRestriction| IssueRestriction {
                issue: at(r.issue),
                ..r.clone()
            };
            let rules = Rules {
                red_lines: own
                    .iter()
                    .map(|rule| match rule {
                        RedLineRule::Simple(r) => RedLineRule::Simple(restriction(r)),
                        RedLineRule::Conditional {
                            if_issue,
                            if_options,
                            then,
                        } => RedLineRule::Conditional {
                            if_issue: at(*if_issue),
                            if_options: if_options.clone(),
                            then: restriction(then),
                        },
                    })
                    .collect(),
                floors: Vec::new(),
            };
            engine::any_within(
                &Evaluator::new(&projected),
                &rules,
                SELF_CONTRADICTION_STEPS,
            ) == Some(false)
        })
        .collect()
}

/// The constraints of a scenario, how to turn subsets of them into engine rules, and the
/// questions the analysis asks of a set of rules, answered by the chosen method.
struct System<'a> {
    max_partial_sums: usize,
    max_merge_work: u64,
    max_nodes: u64,
    scenario: &'a Scenario,
    eval: &'a Evaluator,
    all: Vec<Constraint>,
    /// Positions of the consenting parties among the scored parties.
    slots: Vec<usize>,
    /// The consenting parties, in the order of `slots`.
    consenting: Vec<PartyIx>,
    method: Method,
    counting: bool,
    /// Count by meet in the middle where it applies ([`AnalysisConfig::count_without_enumerating`]).
    halves: bool,
    stop: Option<&'a AtomicBool>,
    /// Set when a branch and bound of this system reached its node limit before it found a
    /// package or proved there is none (so that an explanation it stopped can be left out).
    node_limited: AtomicBool,
    /// Where the warning before a merge that may pass its budget goes ([`Hooks::notice`]).
    notice: Option<&'a (dyn Fn(&str) + Sync)>,
    /// Whether the method was chosen by the analysis (a merge past its budget then falls back).
    auto_method: bool,
    /// Set once a merge's warning is given: at most one for the zone's merge and one for the
    /// merges after it (an explanation, the issue map, the relaxations), the first bounded past
    /// the budget.
    warned: AtomicBool,
    /// Set once the warning before a long count by enumeration is given.
    count_warned: AtomicBool,
    /// Whether the zone's merge is done: a later merge past its budget stops the analysis.
    zone_done: bool,
    /// The issue map's counts, when [`System::zone_count`] made them with the zone's.
    issue_counts: std::sync::OnceLock<Vec<Option<u64>>>,
}

impl<'a> System<'a> {
    fn reservation(&self, p: PartyIx) -> f64 {
        self.scenario.preferences[p]
            .as_ref()
            .map_or(0.0, |pr| pr.reservation.value)
    }

    /// Rules for `active`, with `replace` substituting one red line's rule or one floor.
    fn rules(&self, active: &[Constraint], replace: Option<(Constraint, Replacement)>) -> Rules {
        let mut rules = Rules::default();
        for &c in active {
            let substitute = replace.as_ref().filter(|(rc, _)| *rc == c).map(|(_, r)| r);
            match c {
                Constraint::RedLine(r) => match substitute {
                    Some(Replacement::Rule(rule)) => rules.red_lines.push(rule.clone()),
                    Some(Replacement::Drop) => {}
                    _ => rules
                        .red_lines
                        .push(self.scenario.red_lines[r].rule.clone()),
                },
                Constraint::Reservation(p) => {
                    if matches!(substitute, Some(Replacement::Drop)) {
                        continue;
                    }
                    let slot = self.eval.slot(p).expect("consenting parties are scored");
                    rules.floors.push(Floor {
                        slot,
                        min: self.reservation(p),
                    });
                }
            }
        }
        rules
    }

    /// Before a merge under `rules`: the warning of [`merge_notice`], once per analysis, when
    /// the merge's work bound ([`merge::work_bound`]) passes its budget.
    fn warn_before_merge(&self, eval: &Evaluator, rules: &Rules) {
        let Some(notice) = self.notice else { return };
        if self.warned.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let Some(bound) = merge::work_bound(eval, rules, &self.slots) else {
            return;
        };
        let text = if self.zone_done {
            let what =
                "a merge after the zone's (for an explanation, the issue map or a relaxation)";
            merge_notice(bound, self.max_merge_work, false, what)
        } else {
            merge_notice(bound, self.max_merge_work, self.auto_method, "the merge")
        };
        if let Some(text) = text {
            self.warned
                .store(true, std::sync::atomic::Ordering::Relaxed);
            notice(&text);
        }
    }

    /// The frontier under `rules` with the given evaluator, by the system's method.
    fn frontier(
        &self,
        eval: &Evaluator,
        rules: &Rules,
        limit: usize,
    ) -> Result<(Option<u64>, Vec<Point>), AnalysisError> {
        self.frontier_with_progress(eval, rules, limit, None)
            .map(|(n, points, _)| (n, points))
    }

    /// [`System::frontier`], reporting the merge's progress.
    fn frontier_with_progress(
        &self,
        eval: &Evaluator,
        rules: &Rules,
        limit: usize,
        progress: Option<&(dyn Fn(usize, usize) + Sync)>,
    ) -> Result<Zone, AnalysisError> {
        match self.method {
            Method::Enumeration => {
                let (n, builder) = zone_frontier(eval, rules, &self.slots, limit, self.stop)
                    .ok_or_else(cancelled_walk)?;
                let counts = eval.counts();
                let points = builder
                    .finish()
                    .into_iter()
                    .map(|p| Point {
                        utilities: p.utilities,
                        package_count: u128::from(p.package_count),
                        packages: p
                            .packages
                            .iter()
                            .map(|&i| engine::package_from_index(counts, i))
                            .collect(),
                        leaf: None,
                    })
                    .collect();
                Ok((Some(n), points, None))
            }
            Method::Merge => {
                self.warn_before_merge(eval, rules);
                let config = MergeConfig {
                    cancel: self.stop,
                    progress,
                    max_partial_sums: self.max_partial_sums,
                    max_work: self.max_merge_work,
                    keep: None,
                    // Only the zone's merge under the automatic choice falls back when it
                    // passes its budget; a later merge past it stops the analysis.
                    project_work: self.auto_method && !self.zone_done,
                    ..MergeConfig::default()
                };
                let (merged, history) = merge_frontier(eval, rules, &self.slots, &config).map_err(|stop| {
                    match stop {
                        MergeStop::TooManyOpenConditionals { issue, open } => {
                            AnalysisError::TooManyConditionals {
                                issue: self.scenario.issues[issue].id.clone(),
                                open,
                            }
                        }
                        MergeStop::Cancelled { issues_done } => {
                            AnalysisError::Stopped(format!("cancelled after {issues_done} issues"))
                        }
                        MergeStop::TooLarge {
                            issue,
                            partial_sums,
                        } => {
                            AnalysisError::TooManyPartialSums(format!(
                                "the merge held {} non-dominated partial sums after issue {} of {}, past the limit of {} on partial sums",
                                grouped(partial_sums as u128),
                                issue + 1,
                                self.scenario.issues.len(),
                                grouped(self.max_partial_sums as u128)
                            ))
                        }
                        MergeStop::TooMuchWork { issue, work, bound } => {
                            AnalysisError::MergeBudget(format!(
                                "the merge formed {} candidate partial sums by issue {} of {}, past its budget of {}; bounded before it started at up to {} for the whole merge (a proven upper bound; domination usually keeps far fewer)",
                                grouped(u128::from(work)),
                                issue + 1,
                                self.scenario.issues.len(),
                                grouped(u128::from(self.max_merge_work)),
                                work_words(bound),
                            ))
                        }
                        MergeStop::ProjectedWork { issue, work, projected } => {
                            AnalysisError::MergeBudget(format!(
                                "the merge formed {} candidate partial sums by issue {} of {}, and at that layer's size the issues left would take it to about {}, past its budget of {} (a projection from the layer's size, not a bound; stopping early keeps the fall back cheap)",
                                grouped(u128::from(work)),
                                issue + 1,
                                self.scenario.issues.len(),
                                grouped(u128::from(projected)),
                                grouped(u128::from(self.max_merge_work)),
                            ))
                        }
                        MergeStop::TooManyCandidates { issue, candidates } => {
                            AnalysisError::TooManyPartialSums(format!(
                                "the merge built {} candidate partial sums for issue {} of {}, more than it builds under a limit of {} on partial sums",
                                grouped(candidates as u128),
                                issue + 1,
                                self.scenario.issues.len(),
                                grouped(self.max_partial_sums as u128)
                            ))
                        }
                    }
                })?;
                let materialise = merged.len() <= MATERIALISED_POINTS;
                let points = merged
                    .into_iter()
                    .map(|p| Point {
                        utilities: p.utilities,
                        package_count: p.package_count,
                        packages: if materialise {
                            vec![history.package(p.leaf)]
                        } else {
                            Vec::new()
                        },
                        leaf: Some(p.leaf),
                    })
                    .collect();
                Ok((None, points, (!materialise).then_some(history)))
            }
            Method::BranchAndBound => unreachable!("branch and bound builds no frontier"),
        }
    }

    /// Whether any package meets the rules.
    fn any(&self, eval: &Evaluator, rules: &Rules) -> Result<bool, AnalysisError> {
        match self.method {
            Method::Enumeration => {
                engine::any_until(eval, rules, self.stop).ok_or_else(cancelled_walk)
            }
            Method::Merge => Ok(!self.frontier(eval, rules, 1)?.1.is_empty()),
            // A package found proves a zone, whether or not its utility is proven best.
            Method::BranchAndBound => Ok(self.best_found(eval, rules, 0)?.is_some()),
        }
    }

    /// The best utility found for the consenting party at position `at` under the rules, and
    /// whether it is proven the best (always, except after a branch and bound that reached its
    /// node limit: the value is then reached by a package, and the best is at least that).
    fn best_found(
        &self,
        eval: &Evaluator,
        rules: &Rules,
        at: usize,
    ) -> Result<Option<(f64, bool)>, AnalysisError> {
        match self.method {
            Method::BranchAndBound => {
                let search = bnb::best_utility(eval, rules, self.slots[at], &self.bnb_config(None))
                    .map_err(|s| self.bnb_error(s))?;
                Ok(search.and_then(|s| s.best.map(|b| (b, s.proven))))
            }
            _ => {
                let (_, points) = self.frontier(eval, rules, 1)?;
                // The frontier holds each party's best utility under the rules.
                Ok(points
                    .iter()
                    .map(|q| q.utilities[at])
                    .fold(None, |b: Option<f64>, u| Some(b.map_or(u, |b| b.max(u))))
                    .map(|b| (b, true)))
            }
        }
    }

    /// [`bnb_error`], noting a node limit reached before anything was found.
    fn bnb_error(&self, stop: BnbStop) -> AnalysisError {
        if matches!(stop, BnbStop::NothingFound { .. }) {
            self.node_limited
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        bnb_error(stop)
    }

    /// Whether an error that ended a part of the analysis came from a node limit (rather than
    /// the stop flag): a part the report can leave out, saying why.
    fn stopped_by_node_limit(&self, e: &AnalysisError) -> bool {
        matches!(e, AnalysisError::Stopped(_))
            && self.node_limited.load(std::sync::atomic::Ordering::Relaxed)
            && !self
                .stop
                .is_some_and(|s| s.load(std::sync::atomic::Ordering::SeqCst))
    }

    fn bnb_config<'h>(&self, progress: Option<&'h (dyn Fn(usize, usize) + Sync)>) -> BnbConfig<'h>
    where
        'a: 'h,
    {
        BnbConfig {
            max_nodes: self.max_nodes,
            cancel: self.stop,
            progress,
            max_partial_sums: self.max_partial_sums,
            max_merge_work: self.max_merge_work,
        }
    }

    /// How many packages meet the rules, when the system counts. A count cut short by the stop
    /// flag is `None` too; [`analyze_with`] then returns [`AnalysisError::Stopped`], so it is
    /// never reported.
    fn count(&self, eval: &Evaluator, rules: &Rules) -> Option<u64> {
        if !self.counting {
            return None;
        }
        let large = engine::space_size(eval.counts()).is_none_or(|s| s > crate::halves::MIN_SPACE);
        if self.halves && large {
            if let Some(n) = crate::halves::count(eval, rules, self.stop) {
                return Some(n);
            }
        }
        self.warn_before_enumerating(eval, rules);
        engine::count_until(eval, rules, self.stop)
    }

    /// Before a count by enumeration of a space past [`ENUMERATION_WARNING`] packages: a
    /// warning, once per analysis, that it may run long (meet in the middle takes spaces of at
    /// most 2^40 packages, about 1.1 × 10^12, with one or two reservation values, and 2^35,
    /// about 3.4 × 10^10, with three or more; the walk prunes what the floors rule out, so how
    /// long it takes is not known in advance). None once the analysis is stopping.
    fn warn_before_enumerating(&self, eval: &Evaluator, rules: &Rules) {
        let Some(notice) = self.notice else { return };
        let stopping = self
            .stop
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed));
        let size = engine::space_size(eval.counts());
        if stopping
            || size.is_some_and(|s| s <= ENUMERATION_WARNING)
            || self
                .count_warned
                .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            return;
        }
        let size = size.map_or_else(|| "more than 10^38".to_string(), |s| work_words(s as f64));
        let halves = if self.halves {
            format!(
                "meet in the middle does not apply to this space (it needs {})",
                crate::halves::requirements(rules.floors.len())
            )
        } else {
            "counting by meet in the middle is off".to_string()
        };
        let skip = if self.method == Method::Enumeration {
            "a count limit of 0 leaves the count out"
        } else {
            "a count limit below the space's size leaves the count out"
        };
        notice(&format!(
            "packages are counted by enumerating a space of {size} packages, pruned where the reservation values and red lines rule a branch out: {halves}. It may run long; stopping the analysis ends it, and {skip}"
        ));
    }

    /// The zone's size under `rules` (every constraint of the system) as [`System::count`]
    /// gives it. With `issue_map`, where the system counts by meet in the middle and the space
    /// is large, the issue map's counts are made with it ([`crate::halves::zone_and_issue_counts`]:
    /// the halves are enumerated and sorted once) and kept for [`System::issue_counts`].
    fn zone_count(&self, eval: &Evaluator, rules: &Rules, issue_map: bool) -> Option<u64> {
        let large = engine::space_size(eval.counts()).is_none_or(|s| s > crate::halves::MIN_SPACE);
        if !(issue_map && self.counting && self.halves && large) {
            return self.count(eval, rules);
        }
        let (zone, freed) = crate::halves::zone_and_issue_counts(eval, rules, self.stop);
        let _ = self.issue_counts.set(freed);
        zone.or_else(|| self.count(eval, rules))
    }

    /// The issue map's counts kept by [`System::zone_count`]; `None` for an issue to count by
    /// [`System::count`].
    fn issue_counts(&self, eval: &Evaluator) -> Vec<Option<u64>> {
        self.issue_counts
            .get()
            .cloned()
            .unwrap_or_else(|| vec![None; eval.counts().len()])
    }

    /// The party a constraint belongs to.
    fn owner(&self, c: Constraint) -> PartyIx {
        match c {
            Constraint::RedLine(r) => self.scenario.red_lines[r].party,
            Constraint::Reservation(p) => p,
        }
    }

    /// A correction set with its reservation values lowered together as little as possible (the
    /// largest drop smallest) and the size of the zone it opens.
    fn correction(&self, constraints: Vec<Constraint>) -> Result<Correction, AnalysisError> {
        let kept: Vec<Constraint> = self
            .all
            .iter()
            .copied()
            .filter(|c| !constraints.contains(c))
            .collect();
        let lowered: Vec<(PartyIx, usize)> = constraints
            .iter()
            .filter_map(|&c| match c {
                Constraint::Reservation(p) => Some((
                    p,
                    self.consenting
                        .iter()
                        .position(|&q| q == p)
                        .expect("consenting"),
                )),
                Constraint::RedLine(_) => None,
            })
            .collect();
        let rules = self.rules(&kept, None);
        let mut lower_proven = true;
        // Candidate utility vectors of the lowered parties: every point of the zone so relaxed
        // that could lower them least (its frontier, or the branch and bound's tied points).
        let candidates: Option<Vec<Vec<f64>>> = match (lowered.as_slice(), self.method) {
            ([], _) => Some(Vec::new()),
            (&[(_, at)], _) => self.best_found(self.eval, &rules, at)?.map(|(b, proven)| {
                lower_proven = proven;
                vec![vec![b]]
            }),
            (_, Method::BranchAndBound) => {
                let slots: Vec<usize> = lowered.iter().map(|&(_, at)| self.slots[at]).collect();
                let reservation: Vec<f64> =
                    lowered.iter().map(|&(p, _)| self.reservation(p)).collect();
                let problem = bnb::Problem::new(self.eval, &rules, &slots);
                let search = bnb::maximise(
                    &problem,
                    bnb::Goal::Concept(Concept::Egalitarian),
                    &bnb::Context {
                        reservation: &reservation,
                        ideal: &[],
                    },
                    &[],
                    &self.bnb_config(None),
                )
                .map_err(|s| self.bnb_error(s))?;
                // The exact optimum is among the points tying within the tolerance, when all of
                // them were kept.
                (search.proven && search.all_ties)
                    .then(|| search.points.into_iter().map(|q| q.utilities).collect())
            }
            (_, _) => {
                let (_, points) = self.frontier(self.eval, &rules, 1)?;
                Some(
                    points
                        .into_iter()
                        .map(|q| lowered.iter().map(|&(_, at)| q.utilities[at]).collect())
                        .collect(),
                )
            }
        };
        // The vector whose largest drop below a lowered reservation is smallest, the greatest
        // (lexicographically) among ties, so that every method picks the same one.
        let drop = |v: &[f64]| {
            lowered
                .iter()
                .zip(v)
                .map(|(&(p, _), &u)| self.reservation(p) - u)
                .fold(f64::NEG_INFINITY, f64::max)
        };
        let chosen =
            candidates
                .unwrap_or_default()
                .into_iter()
                .fold(None, |best: Option<Vec<f64>>, v| match best {
                    Some(b)
                        if drop(&b) < drop(&v)
                            || (drop(&b) == drop(&v) && b.as_slice() >= v.as_slice()) =>
                    {
                        Some(b)
                    }
                    _ => Some(v),
                });
        let lower_to: Vec<(PartyIx, f64)> = match chosen {
            Some(v) => lowered
                .iter()
                .zip(v)
                .map(|(&(p, _), u)| (p, u.min(self.reservation(p))))
                .collect(),
            None => Vec::new(),
        };
        let zone_size = if lowered.len() == lower_to.len() {
            let mut relaxed = rules;
            for &(p, to) in &lower_to {
                let slot = self.eval.slot(p).expect("consenting parties are scored");
                relaxed.floors.push(Floor { slot, min: to });
            }
            self.count(self.eval, &relaxed)
        } else {
            None
        };
        Ok(Correction {
            constraints,
            lower_to,
            lower_to_proven: lower_proven,
            zone_size,
        })
    }

    fn feasible(&self, active: &[Constraint]) -> Result<bool, AnalysisError> {
        self.any(self.eval, &self.rules(active, None))
    }
}

enum Replacement {
    Rule(RedLineRule),
    Drop,
}

/// Hooks for long analyses.
#[derive(Default)]
pub struct Hooks<'a> {
    /// Polled between issues by the merge, every few thousand nodes by the branch and bound and
    /// every few thousand steps by the enumeration and counting of packages: once set, the
    /// analysis returns [`AnalysisError::Stopped`] (for a clean stop on Ctrl-C).
    pub stop: Option<&'a AtomicBool>,
    /// Called by the merge of the main frontier after each issue with (issues done, issues), or
    /// by the branch and bound after each search with (searches done, searches).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Called before long work starts with a warning the caller should show at once: when the
    /// work of a merge (of the zone's frontier, of an empty zone's explanation, of the issue map
    /// or of a relaxation), bounded before it starts ([`merge::work_bound`]), may pass its
    /// budget ([`AnalysisConfig::max_merge_work`]), or may be very large with no budget, once
    /// per analysis, for the first such merge; and before the first count by enumeration of a
    /// space of more than 10^10 packages.
    pub notice: Option<&'a (dyn Fn(&str) + Sync)>,
}

/// Candidate partial sums, in words: the integer below 10^9 with its digits grouped by
/// thousands (as reports group numbers), else in scientific notation.
fn work_words(n: f64) -> String {
    if n < 1e9 {
        grouped(n as u128)
    } else {
        format!("{n:.1e}")
    }
}

/// A count by enumeration of a space of more packages than this is worth a warning: minutes of
/// work or more at the fastest enumeration measured (about 17 ns a package, bench/RESULTS.md),
/// unless the reservation values prune most of it.
const ENUMERATION_WARNING: u128 = 10_000_000_000;

/// With no budget, a merge bounded above this many candidates is worth a warning: minutes of
/// work or more.
const UNBUDGETED_WARNING: f64 = 1e9;

/// The warning given before a merge whose bound passes its budget (or, with no budget,
/// [`UNBUDGETED_WARNING`]); `None` when it stays within.
fn merge_notice(bound: f64, budget: u64, auto: bool, what: &str) -> Option<String> {
    let words = work_words(bound);
    if budget == 0 {
        return (bound > UNBUDGETED_WARNING).then(|| {
            format!("{what} may form up to {words} candidate partial sums (a proven upper bound; domination usually keeps far fewer) and has no budget on its work: it may run long")
        });
    }
    (bound > budget as f64).then(|| {
        let then = if auto {
            "if it does, it stops there and the analysis falls back to branch and bound (the bargaining points, without the frontier)"
        } else {
            "if it does, it stops there with an error"
        };
        let budget = grouped(u128::from(budget));
        format!("{what} may form up to {words} candidate partial sums (a proven upper bound; domination usually keeps far fewer), past its budget of {budget}: {then}")
    })
}

/// Analyses a scenario exactly.
pub fn analyze(scenario: &Scenario, config: &AnalysisConfig) -> Result<Analysis, AnalysisError> {
    analyze_with(scenario, config, &Hooks::default())
}

/// [`analyze`] with hooks for long runs.
///
/// When every number is a short decimal, the analysis runs on the scenario rewritten on one
/// integer scale ([`exact::scale`]), where every sum is exact, and its results are turned back.
pub fn analyze_with(
    scenario: &Scenario,
    config: &AnalysisConfig,
    hooks: &Hooks,
) -> Result<Analysis, AnalysisError> {
    check(scenario, config)?;
    let result = match config
        .exact_decimals
        .then(|| exact::scale(scenario))
        .flatten()
    {
        Some((scaled, unit)) => {
            let mut analysis = analyze_on(&scaled, scenario, true, config, hooks)?;
            unscale(&mut analysis, unit);
            Ok(analysis)
        }
        None => analyze_on(scenario, scenario, false, config, hooks),
    };
    let result = result.map(|mut analysis| {
        if config.negmas_points {
            negmas_solutions(&mut analysis);
        }
        analysis
    });
    // A count cut short by the stop flag reads as "not counted": a stopped analysis is never
    // returned as a result.
    result.and_then(|analysis| match hooks.stop {
        Some(stop) if stop.load(std::sync::atomic::Ordering::SeqCst) => {
            Err(AnalysisError::Stopped("cancelled".to_string()))
        }
        _ => Ok(analysis),
    })
}

/// Picks NegMAS's points on the frontier (on the numbers as written, as NegMAS would), with their
/// packages.
fn negmas_solutions(a: &mut Analysis) {
    if !a.frontier_materialised {
        a.negmas = Some(Vec::new());
        return;
    }
    // Each party's least and best utility over the whole space: the sums, in issue order, of
    // each issue's least and best contribution (rounding is monotone, so these are exactly the
    // least and best sums the packages reach).
    let counts = a.evaluator.counts().to_vec();
    let range: Vec<(f64, f64)> = a
        .consenting
        .iter()
        .map(|&p| {
            let s = a.evaluator.slot(p).expect("consenting parties are scored");
            let (lo, hi) = (0..counts.len()).fold((0.0, 0.0), |(lo, hi), i| {
                let (l, h) = (0..counts[i])
                    .map(|o| a.evaluator.contribution(i, o)[s])
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), c| {
                        (l.min(c), h.max(c))
                    });
                (lo + l, hi + h)
            });
            (a.unit.utility(lo), a.unit.utility(hi))
        })
        .collect();
    let points: Vec<&[f64]> = a.frontier.iter().map(|p| p.utilities.as_slice()).collect();
    let found: Vec<NegmasSolution> = NegmasConcept::ALL
        .iter()
        .filter_map(|&c| bargaining::negmas_solve(c, &points, &a.reservations, &range))
        .collect();
    if let Some(h) = &a.history {
        for sol in &found {
            for &i in &sol.points {
                if a.frontier[i].packages.is_empty() {
                    let leaf = a.frontier[i].leaf.expect("merged points have leaves");
                    a.frontier[i].packages = vec![h.package(leaf)];
                }
            }
        }
    }
    a.negmas = Some(found);
}

/// Turns the results of an analysis on the integer scale back into the numbers as written.
fn unscale(a: &mut Analysis, unit: Unit) {
    let u = |x: &mut f64| *x = unit.utility(*x);
    a.reservations.iter_mut().for_each(u);
    a.ideal.iter_mut().for_each(u);
    for p in a.frontier.iter_mut().chain(a.optima.iter_mut()) {
        p.utilities.iter_mut().for_each(u);
    }
    let k = a.consenting.len() as i32;
    for (s, sol) in a.solutions.iter_mut().enumerate() {
        // Nash's product carries the scale once per party; the Kalai-Smorodinsky ratios none.
        let factor = match sol.concept {
            Concept::Nash => unit.value.powi(k),
            Concept::KalaiSmorodinsky => 1.0,
            Concept::Egalitarian | Concept::Utilitarian => unit.value,
        };
        sol.value /= factor;
        if let Some(proof) = a.search.as_mut().and_then(|r| r.proofs.get_mut(s)) {
            proof.gap /= factor;
        }
    }
    if let Some(search) = &mut a.search {
        search.ideal_upper.iter_mut().for_each(u);
    }
    if let Some(nz) = &mut a.no_zone {
        for r in &mut nz.relaxations {
            if let Change::LowerReservation { from, to, .. } = &mut r.change {
                u(from);
                u(to);
            }
        }
        for c in nz.corrections.iter_mut().chain(
            nz.by_party
                .iter_mut()
                .flat_map(|p| p.corrections.iter_mut()),
        ) {
            c.lower_to.iter_mut().for_each(|(_, x)| u(x));
        }
    }
    a.unit = unit;
}

/// Keeps, among a solution's points (tied within the float tolerance), those whose objective is
/// exactly the best, when utilities are integers on the exact scale.
fn exact_ties(
    solutions: &mut [Solution],
    point: impl Fn(usize) -> Vec<f64>,
    reservations: &[f64],
    ideal: &[f64],
) {
    for sol in solutions {
        let best = sol.points.iter().map(|&i| point(i)).reduce(|b, v| {
            match exact::compare(sol.concept, &v, &b, reservations, ideal) {
                std::cmp::Ordering::Greater => v,
                _ => b,
            }
        });
        if let Some(best) = best {
            sol.points.retain(|&i| {
                exact::compare(sol.concept, &point(i), &best, reservations, ideal)
                    == std::cmp::Ordering::Equal
            });
        }
    }
}

/// [`analyze_with`] on `scenario`, on the exact integer scale when `exact_scale`; `original` is
/// the scenario as written, for what the report shows of it (weights, favourites, the framework).
fn analyze_on(
    scenario: &Scenario,
    original: &Scenario,
    exact_scale: bool,
    config: &AnalysisConfig,
    hooks: &Hooks,
) -> Result<Analysis, AnalysisError> {
    let stop = hooks.stop;
    let config = &AnalysisConfig {
        package_limit: config.package_limit.max(1),
        ..config.clone()
    };
    let space_size = check(scenario, config)?;
    let space_log10: f64 = scenario
        .option_counts()
        .iter()
        .map(|&c| (c as f64).log10())
        .sum();
    let method = match config.method {
        MethodChoice::Enumeration => Method::Enumeration,
        MethodChoice::Merge => Method::Merge,
        MethodChoice::BranchAndBound => Method::BranchAndBound,
        MethodChoice::Auto => {
            if space_size.is_some_and(|s| s <= config.enumeration_limit) {
                Method::Enumeration
            } else {
                Method::Merge
            }
        }
    };
    // Enumeration counts as it goes, whatever the space's size, unless counting is off (0).
    let counting = config.count_limit > 0
        && (method == Method::Enumeration || space_size.is_some_and(|s| s <= config.count_limit));
    let eval = Evaluator::new(scenario);
    let consenting = scenario.consenting();
    let slots: Vec<usize> = consenting
        .iter()
        .map(|&p| eval.slot(p).expect("consenting parties are scored"))
        .collect();
    let mut all: Vec<Constraint> = (0..scenario.red_lines.len())
        .filter(|&r| scenario.parties[scenario.red_lines[r].party].consent)
        .filter(|&r| {
            config
                .red_lines
                .applies(scenario.red_lines[r].provenance.basis)
        })
        .map(Constraint::RedLine)
        .collect();
    all.extend(consenting.iter().map(|&p| Constraint::Reservation(p)));
    let mut system = System {
        max_partial_sums: config.max_partial_sums,
        max_merge_work: config.max_merge_work,
        max_nodes: config.max_nodes,
        scenario,
        eval: &eval,
        all,
        slots: slots.clone(),
        consenting: consenting.clone(),
        method,
        counting,
        halves: config.count_without_enumerating,
        stop,
        node_limited: AtomicBool::new(false),
        notice: hooks.notice,
        auto_method: config.method == MethodChoice::Auto,
        warned: AtomicBool::new(false),
        count_warned: AtomicBool::new(false),
        zone_done: false,
        issue_counts: std::sync::OnceLock::new(),
    };
    let reservations: Vec<f64> = consenting.iter().map(|&p| system.reservation(p)).collect();
    let rules = system.rules(&system.all, None);

    let mut fallback = None;
    let zone = if method == Method::BranchAndBound {
        None
    } else {
        match system.frontier_with_progress(&eval, &rules, config.package_limit, hooks.progress) {
            Err(AnalysisError::TooManyPartialSums(why) | AnalysisError::MergeBudget(why))
                if config.method == MethodChoice::Auto =>
            {
                fallback = Some(why);
                system.method = Method::BranchAndBound;
                None
            }
            Err(e @ AnalysisError::TooManyConditionals { .. })
                if config.method == MethodChoice::Auto =>
            {
                fallback = Some(e.to_string());
                system.method = Method::BranchAndBound;
                None
            }
            other => Some(other?),
        }
    };
    let method = system.method;
    system.zone_done = true;
    system.warned = AtomicBool::new(false);
    let Some((enumerated, mut frontier, history)) = zone else {
        let found = bnb::bargaining_points(
            &eval,
            &rules,
            &slots,
            &reservations,
            &system.bnb_config(hooks.progress),
        )
        .map_err(bnb_error)?;
        let zone_exists = found.is_some();
        let zone_size = system.zone_count(&eval, &rules, config.issue_map);
        let mut optima: Vec<Point> = Vec::new();
        let mut solutions = Vec::new();
        let mut proofs = Vec::new();
        let (ideal, ideal_upper, nodes) = match found {
            Some(found) => {
                for s in found.solutions {
                    let points = s
                        .points
                        .into_iter()
                        .map(
                            |p| match optima.iter().position(|q| q.utilities == p.utilities) {
                                Some(i) => i,
                                None => {
                                    optima.push(Point {
                                        utilities: p.utilities,
                                        package_count: p.package_count,
                                        packages: vec![p.package],
                                        leaf: None,
                                    });
                                    optima.len() - 1
                                }
                            },
                        )
                        .collect();
                    solutions.push(Solution {
                        concept: s.concept,
                        value: s.value,
                        points,
                    });
                    proofs.push(Proof {
                        proven: s.proven,
                        gap: s.gap,
                        all_ties: s.all_ties,
                        nodes: s.nodes,
                    });
                }
                (found.ideal, found.ideal_upper, found.nodes)
            }
            None => (
                vec![f64::NEG_INFINITY; slots.len()],
                vec![f64::NEG_INFINITY; slots.len()],
                0,
            ),
        };
        if exact_scale {
            exact_ties(
                &mut solutions,
                |i| optima[i].utilities.clone(),
                &reservations,
                &ideal,
            );
        }
        // The zone and the solutions stand on their own proofs; an explanation or issue map
        // whose searches reach the node limit is left out and the report says why.
        let mut explanation_stopped = false;
        let mut issue_map_stopped = false;
        let no_zone = if !zone_exists && config.explain {
            match explain(&system) {
                Ok(nz) => Some(nz),
                Err(e) if system.stopped_by_node_limit(&e) => {
                    explanation_stopped = true;
                    None
                }
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        let issues = if config.issue_map {
            match issue_map(original, &eval, &system, zone_exists, zone_size, space_size) {
                Ok(issues) => issues,
                Err(e) if system.stopped_by_node_limit(&e) => {
                    issue_map_stopped = true;
                    Vec::new()
                }
                Err(e) => return Err(e),
            }
        } else {
            Vec::new()
        };
        return Ok(Analysis {
            method,
            space_size,
            space_log10,
            consenting,
            reservations,
            zone_exists,
            zone_size,
            frontier: Vec::new(),
            frontier_materialised: false,
            optima,
            search: Some(SearchReport {
                fallback,
                max_nodes: config.max_nodes,
                nodes,
                ideal_upper,
                proofs,
                explanation_stopped,
                issue_map_stopped,
            }),
            ideal,
            solutions,
            no_zone,
            negmas: None,
            count_without_enumerating: config.count_without_enumerating,
            issues,
            framework: framework_status(original),
            advisory_red_lines: advisory_red_lines(scenario),
            set_aside_red_lines: set_aside_red_lines(scenario, config),
            evaluator: eval,
            history: None,
            unit: Unit::ONE,
        });
    };
    let zone_exists = !frontier.is_empty();
    let zone_size = if counting {
        enumerated.or_else(|| system.zone_count(&eval, &rules, config.issue_map))
    } else {
        None
    };

    let utilities: Vec<&[f64]> = frontier.iter().map(|p| p.utilities.as_slice()).collect();
    let ideal = bargaining::ideal_point(utilities.iter().copied(), slots.len());
    let mut solutions: Vec<Solution> = Concept::ALL
        .iter()
        .filter_map(|&c| bargaining::solve(c, &utilities, &reservations, &ideal))
        .collect();
    if exact_scale {
        exact_ties(
            &mut solutions,
            |i| frontier[i].utilities.clone(),
            &reservations,
            &ideal,
        );
    }

    // Solutions always carry their packages.
    if let Some(h) = &history {
        for sol in &solutions {
            for &i in &sol.points {
                if frontier[i].packages.is_empty() {
                    let leaf = frontier[i].leaf.expect("merged points have leaves");
                    frontier[i].packages = vec![h.package(leaf)];
                }
            }
        }
    }
    let no_zone = if !zone_exists && config.explain {
        Some(explain(&system)?)
    } else {
        None
    };
    let issues = if config.issue_map {
        issue_map(original, &eval, &system, zone_exists, zone_size, space_size)?
    } else {
        Vec::new()
    };

    Ok(Analysis {
        method,
        space_size,
        space_log10,
        consenting,
        reservations,
        zone_exists,
        zone_size,
        frontier,
        frontier_materialised: true,
        optima: Vec::new(),
        search: None,
        ideal,
        solutions,
        no_zone,
        negmas: None,
        count_without_enumerating: config.count_without_enumerating,
        issues,
        framework: framework_status(original),
        advisory_red_lines: advisory_red_lines(scenario),
        set_aside_red_lines: set_aside_red_lines(scenario, config),
        evaluator: eval,
        history: history.map(Arc::new),
        unit: Unit::ONE,
    })
}

/// Red lines of parties whose consent is not needed.
fn advisory_red_lines(scenario: &Scenario) -> Vec<RedLineIx> {
    (0..scenario.red_lines.len())
        .filter(|&r| !scenario.parties[scenario.red_lines[r].party].consent)
        .collect()
}

/// Red lines of consenting parties that the configuration leaves out.
fn set_aside_red_lines(scenario: &Scenario, config: &AnalysisConfig) -> Vec<RedLineIx> {
    (0..scenario.red_lines.len())
        .filter(|&r| {
            let line = &scenario.red_lines[r];
            scenario.parties[line.party].consent && !config.red_lines.applies(line.provenance.basis)
        })
        .collect()
}

/// The analysis error for a branch and bound that gave no answer.
fn bnb_error(stop: BnbStop) -> AnalysisError {
    AnalysisError::Stopped(match stop {
        BnbStop::Cancelled => "cancelled during the branch and bound".to_string(),
        BnbStop::NothingFound { nodes } => format!(
            "the branch and bound reached its node limit after {} nodes without finding a package of the zone, so whether the zone is empty is not known",
            grouped(u128::from(nodes))
        ),
    })
}

/// The error of an enumeration or count cut short by the stop flag.
fn cancelled_walk() -> AnalysisError {
    AnalysisError::Stopped("cancelled while enumerating packages".to_string())
}

/// Walks the zone once: its size and the builder holding its frontier over `slots`; `None` when
/// `stop` was set before the end.
fn zone_frontier(
    eval: &Evaluator,
    rules: &Rules,
    slots: &[usize],
    limit: usize,
    stop: Option<&AtomicBool>,
) -> Option<(u64, FrontierBuilder)> {
    let counts = eval.counts();
    let (n, builder, _) = engine::walk_until(
        eval,
        rules,
        stop,
        || {
            (
                0u64,
                FrontierBuilder::new(slots.len(), limit),
                vec![0.0; slots.len()],
            )
        },
        |(n, builder, buf), package, u| {
            *n += 1;
            for (b, &s) in buf.iter_mut().zip(slots) {
                *b = u[s];
            }
            builder.push_with(buf, || engine::package_index(counts, package));
            ControlFlow::Continue(())
        },
        |(n1, b1, buf), (n2, b2, _)| (n1 + n2, b1.merge(b2), buf),
    )?;
    Some((n, builder))
}

/// Lists the minimal conflicts, the minimum correction sets overall and per party, then the single
/// relaxations of the first conflict's members that open a zone.
fn explain(system: &System) -> Result<NoZone, AnalysisError> {
    let n = system.all.len();
    // Try dropping reservation values first, so that the conflict is stated in red lines (public
    // commitments) whenever red lines alone conflict.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| matches!(system.all[i], Constraint::RedLine(_)));
    let mut oracle = |mask: &[bool]| -> Result<bool, AnalysisError> {
        let active: Vec<Constraint> = (0..n).filter(|&i| mask[i]).map(|i| system.all[i]).collect();
        system.feasible(&active)
    };
    let limits = conflicts::Limits::default();
    let list = conflicts::minimal_conflicts(n, &order, &mut oracle, limits)?;
    let mut known = list.conflicts;
    let all_allowed = vec![true; n];
    let overall =
        conflicts::minimum_corrections(n, &all_allowed, &order, &mut known, &mut oracle, limits)?;
    let mut by_party = Vec::new();
    for &slot_party in &system.consenting {
        let allowed: Vec<bool> = system
            .all
            .iter()
            .map(|&c| system.owner(c) == slot_party)
            .collect();
        let own =
            conflicts::minimum_corrections(n, &allowed, &order, &mut known, &mut oracle, limits)?;
        by_party.push((slot_party, own));
    }
    let to_constraints = |set: &[usize]| -> Vec<Constraint> {
        let mut v: Vec<Constraint> = set.iter().map(|&i| system.all[i]).collect();
        v.sort();
        v
    };
    let conflicts_found: Vec<Vec<Constraint>> = known.iter().map(|c| to_constraints(c)).collect();
    let corrections = overall
        .sets
        .iter()
        .map(|set| system.correction(to_constraints(set)))
        .collect::<Result<Vec<_>, _>>()?;
    let by_party = by_party
        .into_iter()
        .map(|(party, own)| {
            Ok(PartyCorrections {
                party,
                corrections: own
                    .sets
                    .iter()
                    .map(|set| system.correction(to_constraints(set)))
                    .collect::<Result<Vec<_>, AnalysisError>>()?,
                remaining_conflict: own
                    .untouched_conflict
                    .as_ref()
                    .and_then(|c| known.iter().position(|k| k == c)),
                complete: own.complete,
            })
        })
        .collect::<Result<Vec<_>, AnalysisError>>()?;
    let conflict = conflicts_found[0].clone();

    let mut relaxations = Vec::new();
    for &c in &conflict {
        match c {
            Constraint::Reservation(p) => {
                let slot = system.eval.slot(p).expect("consenting parties are scored");
                let at = system
                    .slots
                    .iter()
                    .position(|&s| s == slot)
                    .expect("consenting");
                let rules = system.rules(&system.all, Some((c, Replacement::Drop)));
                if let Some((best, proven)) = system.best_found(system.eval, &rules, at)? {
                    let mut relaxed = rules;
                    relaxed.floors.push(Floor { slot, min: best });
                    relaxations.push(Relaxation {
                        constraint: c,
                        change: Change::LowerReservation {
                            from: system.reservation(p),
                            to: best,
                            proven,
                        },
                        zone_size: system.count(system.eval, &relaxed),
                    });
                }
            }
            Constraint::RedLine(r) => {
                let mut found = false;
                for (change, rule) in single_widenings(&system.scenario.red_lines[r].rule) {
                    let rules = system.rules(&system.all, Some((c, Replacement::Rule(rule))));
                    if system.any(system.eval, &rules)? {
                        found = true;
                        relaxations.push(Relaxation {
                            constraint: c,
                            change,
                            zone_size: system.count(system.eval, &rules),
                        });
                    }
                }
                if !found {
                    let rules = system.rules(&system.all, Some((c, Replacement::Drop)));
                    if system.any(system.eval, &rules)? {
                        relaxations.push(Relaxation {
                            constraint: c,
                            change: Change::DropRedLine,
                            zone_size: system.count(system.eval, &rules),
                        });
                    }
                }
            }
        }
    }
    relaxations.sort_by(|a, b| {
        relaxation_cost(a)
            .total_cmp(&relaxation_cost(b))
            .then(b.zone_size.cmp(&a.zone_size))
    });
    Ok(NoZone {
        conflict,
        conflicts: conflicts_found,
        conflicts_complete: list.complete,
        corrections,
        corrections_complete: overall.complete,
        by_party,
        relaxations,
    })
}

/// The ranking key of a relaxation: reservation drops by size (all below 1), then single-option
/// changes to red lines, then dropped red lines.
fn relaxation_cost(r: &Relaxation) -> f64 {
    match r.change {
        Change::LowerReservation { from, to, .. } => from - to,
        Change::AdmitOption { .. } | Change::NarrowCondition { .. } => 2.0,
        Change::DropRedLine => 3.0,
    }
}

/// Every version of a rule that admits exactly one more option (or, for a conditional, triggers on
/// one fewer).
fn single_widenings(rule: &RedLineRule) -> Vec<(Change, RedLineRule)> {
    fn admit(r: &IssueRestriction, o: OptionIx) -> IssueRestriction {
        let mut allowed = r.allowed.clone();
        allowed.0[o] = true;
        IssueRestriction {
            issue: r.issue,
            allowed,
            phrasing: r.phrasing,
        }
    }
    match rule {
        RedLineRule::Simple(r) => r
            .allowed
            .complement()
            .indices()
            .into_iter()
            .map(|o| {
                (
                    Change::AdmitOption {
                        issue: r.issue,
                        option: o,
                    },
                    RedLineRule::Simple(admit(r, o)),
                )
            })
            .collect(),
        RedLineRule::Conditional {
            if_issue,
            if_options,
            then,
        } => {
            let mut out: Vec<(Change, RedLineRule)> = then
                .allowed
                .complement()
                .indices()
                .into_iter()
                .map(|o| {
                    (
                        Change::AdmitOption {
                            issue: then.issue,
                            option: o,
                        },
                        RedLineRule::Conditional {
                            if_issue: *if_issue,
                            if_options: if_options.clone(),
                            then: admit(then, o),
                        },
                    )
                })
                .collect();
            for o in if_options.indices() {
                let mut narrowed = if_options.clone();
                narrowed.0[o] = false;
                out.push((
                    Change::NarrowCondition {
                        issue: *if_issue,
                        option: o,
                    },
                    RedLineRule::Conditional {
                        if_issue: *if_issue,
                        if_options: narrowed,
                        then: then.clone(),
                    },
                ));
            }
            out
        }
    }
}

/// Ranks issues by how much freeing each one grows the zone (when packages are counted; otherwise
/// in file order, with whether freeing the issue alone opens an empty zone).
fn issue_map(
    scenario: &Scenario,
    eval: &Evaluator,
    system: &System,
    zone_exists: bool,
    zone_size: Option<u64>,
    space_size: Option<u128>,
) -> Result<Vec<IssueReport>, AnalysisError> {
    let base_share = zone_size.zip(space_size).map(|(z, s)| z as f64 / s as f64);
    let consenting = scenario.consenting();
    let mut reports = Vec::with_capacity(scenario.issues.len());
    // Each issue's count with the issue freed, where they can be made together.
    let counted = system.issue_counts(eval);
    for i in 0..scenario.issues.len() {
        let issue = &scenario.issues[i];
        let mut weights = Vec::new();
        let mut favourites = Vec::new();
        for &p in &eval.scored {
            let prefs = scenario.preferences[p]
                .as_ref()
                .expect("scored parties have preferences");
            weights.push((p, prefs.issues[i].weight.value));
            let values: Vec<f64> = (0..issue.options.len())
                .map(|o| prefs.issues[i].values.value(issue, o, |a| a.value))
                .collect();
            let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            favourites.push((
                p,
                (0..values.len())
                    .filter(|&o| best - values[o] <= 1e-12)
                    .collect::<Vec<_>>(),
            ));
        }
        let shared = (0..issue.options.len()).any(|o| {
            favourites
                .iter()
                .filter(|(p, _)| consenting.contains(p))
                .all(|(_, f)| f.contains(&o))
        });
        let red_lines: Vec<RedLineIx> = system
            .all
            .iter()
            .filter_map(|c| match c {
                Constraint::RedLine(r) if scenario.red_lines[*r].rule.issues().contains(&i) => {
                    Some(*r)
                }
                _ => None,
            })
            .collect();
        let kept: Vec<Constraint> = system
            .all
            .iter()
            .copied()
            .filter(|c| !matches!(c, Constraint::RedLine(r) if red_lines.contains(r)))
            .collect();
        let freed_eval = eval.with_issue_freed(i);
        let rules = system.rules(&kept, None);
        let freed = counted
            .get(i)
            .copied()
            .flatten()
            .or_else(|| system.count(&freed_eval, &rules));
        let freed_share = freed
            .zip(space_size)
            .map(|(n, s)| n as f64 / (s as f64 / issue.options.len() as f64));
        let opens_zone = !zone_exists
            && match freed {
                Some(n) => n > 0,
                None => system.any(&freed_eval, &rules)?,
            };
        reports.push(IssueReport {
            issue: i,
            weights,
            favourites,
            favourites_differ: !shared,
            red_lines,
            freed_share,
            blocking: freed_share.zip(base_share).map(|(f, b)| f - b),
            opens_zone,
        });
    }
    reports.sort_by(|a, b| {
        b.blocking
            .unwrap_or(0.0)
            .total_cmp(&a.blocking.unwrap_or(0.0))
            .then(b.opens_zone.cmp(&a.opens_zone))
            .then(a.issue.cmp(&b.issue))
    });
    Ok(reports)
}

/// The share of framework points every consenting party accepts, plain and weighted.
pub fn framework_status(scenario: &Scenario) -> FrameworkStatus {
    let consenting = scenario.consenting();
    let points: Vec<PointStatus> = scenario
        .framework
        .points
        .iter()
        .enumerate()
        .map(|(ix, point)| {
            let holdouts: Vec<(PartyIx, Stance)> = consenting
                .iter()
                .map(|&p| (p, point.stances[p].stance))
                .filter(|(_, s)| *s != Stance::Accepts)
                .collect();
            let weight = if consenting.is_empty() {
                0.0
            } else {
                consenting
                    .iter()
                    .map(|&p| {
                        scenario.preferences[p].as_ref().map_or(0.0, |prefs| {
                            point
                                .issues
                                .iter()
                                .map(|&i| prefs.issues[i].weight.value)
                                .sum()
                        })
                    })
                    .sum::<f64>()
                    / consenting.len() as f64
            };
            PointStatus {
                point: ix,
                accepted: holdouts.is_empty(),
                weight,
                holdouts,
            }
        })
        .collect();
    let accepted_share = (!points.is_empty())
        .then(|| points.iter().filter(|p| p.accepted).count() as f64 / points.len() as f64);
    let total: f64 = points.iter().map(|p| p.weight).sum();
    let weighted_share = (total > 0.0).then(|| {
        points
            .iter()
            .filter(|p| p.accepted)
            .map(|p| p.weight)
            // A fold from +0.0: an empty f64 sum is -0.0, which prints as "-0.00%".
            .fold(0.0, |a, b| a + b)
            / total
    });
    FrameworkStatus {
        points,
        accepted_share,
        weighted_share,
    }
}

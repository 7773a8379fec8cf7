//! The typed model of `concord analyze --json` (schema `concord.analysis/1`): one struct per
//! object, serialised with serde and described by a JSON Schema generated from the same types
//! (`schemas/analysis.schema.json`), so that the report, its schema and docs/json-output.md
//! cannot drift apart.

use std::borrow::Cow;

use concord_core::analysis::{
    Analysis, Change as CoreChange, Constraint as CoreConstraint, Correction as CoreCorrection,
    Method, Point as CorePoint,
};
use concord_core::bargaining::Solution as CoreSolution;
use concord_core::engine;
use concord_core::model::{
    OptionIx, Provenance as CoreProvenance, RedLine as CoreRedLine, RedLineRule, Scenario,
};
use concord_core::sensitivity::Sensitivity as CoreSensitivity;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::words::{basis_note, describe_rule, package_options};

/// The schema identifier of analysis reports.
pub const ANALYSIS_SCHEMA: &str = "concord.analysis/1";

/// Frontiers up to this many points are written inside the report; larger ones only on request,
/// streamed as JSON Lines.
pub const INLINE_FRONTIER_LIMIT: usize = 1000;

/// An object whose keys keep their order (party ids in file order, issue ids in file order).
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Keyed<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<V: JsonSchema> JsonSchema for Keyed<V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Keyed_{}", V::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <std::collections::BTreeMap<String, V>>::json_schema(generator)
    }
}

impl<V> Keyed<V> {
    /// The value under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<V> FromIterator<(String, V)> for Keyed<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        Keyed(iter.into_iter().collect())
    }
}

/// A count or an index: a JSON number when it fits 64 bits, else its exact decimal string.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Count {
    /// A count that fits 64 bits.
    Number(u64),
    /// A larger count, exactly, in decimal digits.
    Decimal(String),
}

impl Count {
    /// `n` as a number when it fits 64 bits, else as its decimal string.
    pub fn of(n: u128) -> Self {
        u64::try_from(n).map_or_else(|_| Count::Decimal(n.to_string()), Count::Number)
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AnalysisReport {
    /// `concord.analysis/1`.
    #[schemars(extend("const" = "concord.analysis/1"))]
    pub schema: String,
    /// The scenario's id and title.
    pub scenario: ScenarioRef,
    /// How the frontier was computed (`exact enumeration`, `exact issue-by-issue merge`,
    /// `exact branch and bound`).
    pub method: String,
    /// The number of packages, exactly.
    pub space_size: Count,
    /// Its decimal logarithm.
    pub space_log10: f64,
    /// The number of issues.
    pub issue_count: usize,
    /// Every party.
    pub parties: Vec<PartyRow>,
    /// The ids of the parties whose consent is needed.
    pub consenting: Vec<String>,
    /// Each consenting party's reservation value as the analysis applied it, by party id.
    pub reservations: Keyed<f64>,
    /// The agreement zone.
    pub zone: Zone,
    /// How the zone's packages were counted when the method does not enumerate them itself:
    /// `enumeration` or `meet in the middle` (exactly, where it applies); null when they were
    /// not counted or the method is `exact enumeration`.
    pub zone_counted_by: Option<String>,
    /// Why the zone is empty, when it is.
    pub no_zone: Option<NoZone>,
    /// The Pareto frontier of the zone.
    pub frontier: Frontier,
    /// The four bargaining solutions.
    pub solutions: Vec<SolutionRow>,
    /// The branch-and-bound search, when it ran.
    pub search: Option<Search>,
    /// The issue map: what blocks, by rank.
    pub issues: Vec<IssueRow>,
    /// The framework document's status.
    pub framework: Framework,
    /// Red lines left out by the red-line selection.
    pub set_aside_red_lines: Vec<RedLineRow>,
    /// Red lines of parties whose consent is not needed.
    pub advisory_red_lines: Vec<RedLineRow>,
    /// The ids of every red line of the scenario, in file order.
    pub red_line_ids: Vec<String>,
    /// NegMAS's two Kalai-Smorodinsky variants, only when asked for (`--negmas`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negmas: Option<NegmasPoints>,
    /// The sensitivity draws, when run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
    /// The what-if changes of the report, in words (empty without any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<Vec<String>>,
}

/// A scenario's id and title.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScenarioRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// A party.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PartyRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its role (`party`, `mediator`, `guarantor`, …).
    pub role: String,
    /// Whether its consent is needed.
    pub consent: bool,
    /// Its reservation value, when it has preferences.
    pub reservation: Option<f64>,
}

/// The agreement zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Zone {
    /// Whether a package meets every red line and reservation value.
    pub exists: bool,
    /// How many packages it holds, when counted.
    pub size: Option<u64>,
    /// Its share of the space, when counted.
    pub share: Option<f64>,
}

/// Where a statement comes from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Provenance {
    /// `stated`, `reported`, `assumed`, …
    pub basis: String,
    /// Its citations.
    pub citations: Vec<CitationRow>,
    /// The claims it rests on, by id.
    pub claims: Vec<String>,
}

/// A citation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CitationRow {
    /// The source's id.
    pub source: String,
    /// The quote.
    pub quote: String,
    /// Who said it, when named.
    pub speaker: Option<String>,
}

/// A red line.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RedLineRow {
    /// Its id.
    pub id: String,
    /// The party's id.
    pub party: String,
    /// The rule in words.
    pub rule: String,
    /// The issues it mentions.
    pub issues: Vec<String>,
    /// Where it comes from.
    pub provenance: Provenance,
    /// Its basis in words, with its first citation (`stated in src: "…"`, `assumed by the
    /// analyst`), as the text report shows it.
    pub basis_note: String,
}

/// One of the constraints that define the zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Constraint {
    /// A red line of a consenting party.
    RedLine(RedLineRow),
    /// A consenting party's reservation value.
    Reservation {
        /// The party's id.
        party: String,
        /// The value.
        value: f64,
        /// Where it comes from.
        provenance: Provenance,
    },
}

/// A set of changes that opens a zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Correction {
    /// The constraints relaxed together.
    pub constraints: Vec<Constraint>,
    /// The values its reservations are lowered to, by party id.
    pub lower_to: Keyed<f64>,
    /// Whether those values are proven the highest that open a zone.
    pub lower_to_proven: bool,
    /// The size of the zone it opens, when counted.
    pub zone_size: Option<u64>,
}

/// What one party alone could change.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PartyCorrections {
    /// The party's id.
    pub party: String,
    /// Its smallest sets of changes that open a zone.
    pub corrections: Vec<Correction>,
    /// A conflict it cannot end alone (an index into `no_zone.conflicts`), when none opens.
    pub remaining_conflict: Option<usize>,
    /// Whether the search was complete.
    pub complete: bool,
}

/// How a constraint is relaxed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Lower a reservation value.
    LowerReservation {
        /// The current value.
        from: f64,
        /// The highest value that opens a zone (when proven).
        to: f64,
        /// `from - to`.
        by: f64,
        /// Whether `to` is proven the highest.
        proven: bool,
    },
    /// Let a red line admit one more option.
    AdmitOption {
        /// The issue's id.
        issue: String,
        /// The option's id.
        option: String,
    },
    /// Narrow a conditional red line's condition by one option.
    NarrowCondition {
        /// The issue's id.
        issue: String,
        /// The option's id.
        option: String,
    },
    /// Drop the red line.
    DropRedLine,
}

/// A single change that opens a zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RelaxationRow {
    /// Whether it is the first listed (the cheapest).
    pub cheapest: bool,
    /// The constraint changed.
    pub constraint: Constraint,
    /// How.
    pub change: Change,
    /// The size of the zone it opens, when counted.
    pub zone_size: Option<u64>,
}

/// Why the zone is empty.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NoZone {
    /// The first minimal conflict.
    pub conflict: Vec<Constraint>,
    /// Every minimal conflict found.
    pub conflicts: Vec<Vec<Constraint>>,
    /// Whether that list is complete.
    pub conflicts_complete: bool,
    /// The smallest sets of changes that open a zone.
    pub corrections: Vec<Correction>,
    /// Whether that list is complete.
    pub corrections_complete: bool,
    /// What each party alone could change.
    pub by_party: Vec<PartyCorrections>,
    /// Single changes that open a zone.
    pub relaxations: Vec<RelaxationRow>,
}

/// A package: one option per issue.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Package {
    /// Its index in the space (mixed radix, last issue fastest).
    pub index: Count,
    /// Option id by issue id.
    pub options: Keyed<String>,
    /// Utility by party id, for every party with preferences.
    pub utilities: Keyed<f64>,
}

/// A point of the frontier.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PointRow {
    /// Utility by consenting party id.
    pub utilities: Keyed<f64>,
    /// How many packages give these utilities.
    pub package_count: Count,
    /// The first of them.
    pub packages: Vec<Package>,
}

/// The Pareto frontier of the zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Frontier {
    /// Whether every point was computed.
    pub materialised: bool,
    /// Its number of points, when materialised.
    pub size: Option<usize>,
    /// The ideal point: each consenting party's best in the zone (null when the zone is empty).
    pub ideal: Keyed<Option<f64>>,
    /// Whether `points` holds every point (frontiers up to 1,000 points).
    pub points_included: bool,
    /// The points, when included.
    pub points: Vec<PointRow>,
}

/// A bargaining solution.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SolutionRow {
    /// `nash`, `kalai-smorodinsky`, `egalitarian` or `utilitarian`.
    pub concept: String,
    /// The value of its objective.
    pub value: f64,
    /// Whether several points tie.
    pub tied: bool,
    /// Whether it is proven optimal.
    pub proven: bool,
    /// A bound on how far from optimal it can be (0 when proven).
    pub gap: f64,
    /// Whether every tied optimum was found.
    pub all_ties: bool,
    /// Branch-and-bound nodes, when it searched.
    pub nodes: Option<u64>,
    /// How many frontier points tie for it.
    pub point_count: u64,
    /// How many packages tie for it, over all its points.
    pub package_count: Count,
    /// Its points: every tied point, or the first 1,000 (`INLINE_FRONTIER_LIMIT`, in frontier
    /// order) when more tie.
    pub points: Vec<PointRow>,
}

/// The branch-and-bound search.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Search {
    /// Why it replaced the merge, when it did.
    pub fallback: Option<String>,
    /// The node limit per search.
    pub max_nodes: u64,
    /// Nodes visited in all.
    pub nodes: u64,
    /// An upper bound on each consenting party's best (null when none was found).
    pub ideal_upper: Keyed<Option<f64>>,
    /// True when a node limit stopped the explanation of an empty zone (`no_zone` is then
    /// null); absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub explanation_stopped: bool,
    /// True when a node limit stopped the issue map; absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub issue_map_stopped: bool,
}

/// NegMAS 0.16's Kalai-Smorodinsky variants, read off the exact frontier.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NegmasPoints {
    /// Whether they could be computed (they need the materialised frontier).
    pub supported: bool,
    /// One per variant.
    pub solutions: Vec<NegmasSolution>,
}

/// One of NegMAS's variants.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NegmasSolution {
    /// The variant's name in Concord.
    pub concept: String,
    /// The NegMAS function it reproduces (`ks_points`, `kalai_points`).
    pub negmas_function: String,
    /// The value of its objective.
    pub value: f64,
    /// Whether several points tie.
    pub tied: bool,
    /// Its points.
    pub points: Vec<PointRow>,
}

/// An issue of the issue map.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IssueRow {
    /// Its rank, 1 first.
    pub rank: usize,
    /// Its id.
    pub issue: String,
    /// Its name.
    pub name: String,
    /// The share of the space its red lines exclude, when counted.
    pub blocking: Option<f64>,
    /// The share of packages freed by relaxing it, when counted.
    pub freed_share: Option<f64>,
    /// Whether relaxing it opens a zone.
    pub opens_zone: bool,
    /// Whether the parties' favourite options differ.
    pub favourites_differ: bool,
    /// Weight by party id.
    pub weights: Keyed<f64>,
    /// Favourite options by party id.
    pub favourites: Keyed<Vec<String>>,
    /// The red lines on it, by id.
    pub red_lines: Vec<String>,
}

/// The framework document's status.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Framework {
    /// Its title.
    pub title: String,
    /// The share of points every consenting party accepts.
    pub accepted_share: Option<f64>,
    /// The same, weighted by the issues' weights.
    pub weighted_share: Option<f64>,
    /// Its points.
    pub points: Vec<FrameworkPointRow>,
}

/// A point of the framework document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FrameworkPointRow {
    /// Its number.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// The issues it settles.
    pub issues: Vec<String>,
    /// Whether every consenting party accepts it.
    pub accepted: bool,
    /// Its weight.
    pub weight: f64,
    /// Stance by party id.
    pub stances: Keyed<String>,
    /// The parties that do not accept it.
    pub holdouts: Vec<Holdout>,
}

/// A party that does not accept a point.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Holdout {
    /// The party's id.
    pub party: String,
    /// Its stance.
    pub stance: String,
}

/// The sensitivity draws.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Sensitivity {
    /// Scenarios drawn.
    pub samples: usize,
    /// Numbers given as ranges (varied by the draws).
    pub ranged_numbers: usize,
    /// Whether the scenario as written has a zone.
    pub baseline_zone: bool,
    /// Draws with a zone.
    pub zone_exists: usize,
    /// Their share.
    pub zone_exists_share: f64,
    /// Per bargaining concept.
    pub concepts: Vec<ConceptRow>,
    /// The issues that the applied simple red lines of consenting parties fix to one option,
    /// in file order: every package of the zone has that option, whatever the draws.
    pub forced: Vec<ForcedIssue>,
}

/// An issue fixed to one option by red lines.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ForcedIssue {
    /// The issue's id.
    pub issue: String,
    /// The only option its red lines leave.
    pub option: String,
    /// The ids of those red lines.
    pub red_lines: Vec<String>,
}

/// How one concept's choice holds across draws.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConceptRow {
    /// The concept.
    pub concept: String,
    /// Its packages in the scenario as written.
    pub baseline: Vec<Package>,
    /// Draws where one of them is still chosen.
    pub baseline_holds: usize,
    /// Per issue id, draws where its baseline option is still chosen.
    pub issue_holds: Keyed<usize>,
    /// The packages chosen most often (up to 10).
    pub packages: Vec<Frequency>,
}

/// A package and how often it was chosen.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Frequency {
    /// Draws that chose it.
    pub samples: usize,
    /// The package.
    pub package: Package,
}

/// Builds the typed report from an analysis.
struct Builder<'a> {
    scenario: &'a Scenario,
    analysis: &'a Analysis,
}

impl Builder<'_> {
    fn party(&self, p: usize) -> String {
        self.scenario.parties[p].id.clone()
    }

    fn provenance(&self, p: &CoreProvenance) -> Provenance {
        Provenance {
            basis: p.basis.as_str().to_string(),
            citations: p
                .citations
                .iter()
                .map(|c| CitationRow {
                    source: self.scenario.sources[c.source].id.clone(),
                    quote: c.quote.clone(),
                    speaker: c.speaker.clone(),
                })
                .collect(),
            claims: p
                .claims
                .iter()
                .map(|&c| self.scenario.claims[c].id.clone())
                .collect(),
        }
    }

    fn red_line(&self, r: &CoreRedLine) -> RedLineRow {
        RedLineRow {
            id: r.id.clone(),
            party: self.party(r.party),
            rule: describe_rule(self.scenario, &r.rule),
            issues: r
                .rule
                .issues()
                .iter()
                .map(|&i| self.scenario.issues[i].id.clone())
                .collect(),
            provenance: self.provenance(&r.provenance),
            basis_note: basis_note(self.scenario, &r.provenance),
        }
    }

    fn package(&self, package: &[OptionIx]) -> Package {
        let analysis = self.analysis;
        let counts = analysis.evaluator.counts();
        let index = match engine::space_size(counts).filter(|&n| n <= u128::from(u64::MAX)) {
            Some(_) => Count::of(u128::from(engine::package_index(counts, package))),
            None => Count::Decimal(big_index(counts, package)),
        };
        Package {
            index,
            options: package_options(self.scenario, package)
                .into_iter()
                .collect(),
            utilities: analysis
                .evaluator
                .scored
                .iter()
                .zip(analysis.utilities(package))
                .map(|(&p, x)| (self.party(p), x))
                .collect(),
        }
    }

    fn consenting_map(&self, values: &[f64]) -> Keyed<f64> {
        self.analysis
            .consenting
            .iter()
            .zip(values)
            .map(|(&p, &x)| (self.party(p), x))
            .collect()
    }

    /// Values by consenting party, null where a value is not a number (no zone, no bound).
    fn finite_map(&self, values: &[f64]) -> Keyed<Option<f64>> {
        self.analysis
            .consenting
            .iter()
            .zip(values)
            .map(|(&p, &x)| (self.party(p), x.is_finite().then_some(x)))
            .collect()
    }

    fn point(&self, p: &CorePoint) -> PointRow {
        PointRow {
            utilities: self.consenting_map(&p.utilities),
            package_count: Count::of(p.package_count),
            packages: self
                .analysis
                .packages(p)
                .iter()
                .map(|q| self.package(q))
                .collect(),
        }
    }

    fn solution(&self, n: usize, s: &CoreSolution) -> SolutionRow {
        let proof = self.analysis.proof(n);
        SolutionRow {
            concept: s.concept.as_str().to_string(),
            value: s.value,
            tied: s.points.len() > 1,
            proven: proof.is_none_or(|p| p.proven),
            gap: proof.map_or(0.0, |p| p.gap),
            all_ties: proof.is_none_or(|p| p.all_ties),
            nodes: proof.map(|p| p.nodes),
            point_count: s.points.len() as u64,
            package_count: Count::of(
                s.points
                    .iter()
                    .map(|&i| self.analysis.solution_point(i).package_count)
                    .fold(0, u128::saturating_add),
            ),
            points: s
                .points
                .iter()
                .take(INLINE_FRONTIER_LIMIT)
                .map(|&i| self.point(self.analysis.solution_point(i)))
                .collect(),
        }
    }

    fn constraint(&self, c: CoreConstraint) -> Constraint {
        match c {
            CoreConstraint::RedLine(r) => {
                Constraint::RedLine(self.red_line(&self.scenario.red_lines[r]))
            }
            CoreConstraint::Reservation(p) => {
                let slot = self
                    .analysis
                    .consenting
                    .iter()
                    .position(|&q| q == p)
                    .expect("a reservation constraint is a consenting party's");
                Constraint::Reservation {
                    party: self.party(p),
                    value: self.analysis.reservations[slot],
                    provenance: self.provenance(
                        &self.scenario.preferences[p]
                            .as_ref()
                            .expect("consenting parties have preferences")
                            .provenance,
                    ),
                }
            }
        }
    }

    fn correction(&self, c: &CoreCorrection) -> Correction {
        Correction {
            constraints: c.constraints.iter().map(|&k| self.constraint(k)).collect(),
            lower_to: c
                .lower_to
                .iter()
                .map(|&(p, to)| (self.party(p), to))
                .collect(),
            lower_to_proven: c.lower_to_proven,
            zone_size: c.zone_size,
        }
    }

    fn change(&self, c: &CoreChange) -> Change {
        let ids = |issue: usize, option: usize| {
            let i = &self.scenario.issues[issue];
            (i.id.clone(), i.options[option].id.clone())
        };
        match c {
            CoreChange::LowerReservation { from, to, proven } => Change::LowerReservation {
                from: *from,
                to: *to,
                by: from - to,
                proven: *proven,
            },
            CoreChange::AdmitOption { issue, option } => {
                let (issue, option) = ids(*issue, *option);
                Change::AdmitOption { issue, option }
            }
            CoreChange::NarrowCondition { issue, option } => {
                let (issue, option) = ids(*issue, *option);
                Change::NarrowCondition { issue, option }
            }
            CoreChange::DropRedLine => Change::DropRedLine,
        }
    }

    fn sensitivity(&self, s: &CoreSensitivity) -> Sensitivity {
        Sensitivity {
            samples: s.samples,
            ranged_numbers: s.ranged_numbers,
            baseline_zone: s.baseline_zone,
            zone_exists: s.zone_exists,
            zone_exists_share: if s.samples > 0 {
                s.zone_exists as f64 / s.samples as f64
            } else {
                0.0
            },
            concepts: s
                .concepts
                .iter()
                .map(|c| ConceptRow {
                    concept: c.concept.as_str().to_string(),
                    baseline: c.baseline.iter().map(|q| self.package(q)).collect(),
                    baseline_holds: c.baseline_holds,
                    issue_holds: self
                        .scenario
                        .issues
                        .iter()
                        .zip(&c.issue_holds)
                        .map(|(i, &n)| (i.id.clone(), n))
                        .collect(),
                    packages: c
                        .frequencies
                        .iter()
                        .take(10)
                        .map(|f| Frequency {
                            samples: f.samples,
                            package: self.package(&f.package),
                        })
                        .collect(),
                })
                .collect(),
            forced: self.forced(),
        }
    }

    /// The issues that the applied simple red lines of consenting parties fix to one option,
    /// with that option and the red lines that leave nothing else.
    fn forced(&self) -> Vec<ForcedIssue> {
        let scenario = self.scenario;
        let mut out = Vec::new();
        for (i, issue) in scenario.issues.iter().enumerate() {
            let mut allowed = vec![true; issue.options.len()];
            let mut lines = Vec::new();
            for (r, line) in scenario.red_lines.iter().enumerate() {
                let applied = scenario.parties[line.party].consent
                    && !self.analysis.set_aside_red_lines.contains(&r);
                if let (true, RedLineRule::Simple(restriction)) = (applied, &line.rule) {
                    if restriction.issue == i {
                        for (o, a) in allowed.iter_mut().enumerate() {
                            *a &= restriction.allowed.contains(o);
                        }
                        lines.push(line.id.clone());
                    }
                }
            }
            let left: Vec<usize> = (0..allowed.len()).filter(|&o| allowed[o]).collect();
            if let [only] = left[..] {
                out.push(ForcedIssue {
                    issue: issue.id.clone(),
                    option: issue.options[only].id.clone(),
                    red_lines: lines,
                });
            }
        }
        out
    }
}

/// A package's index in a space of any size (mixed radix, last issue fastest), exactly, as a
/// decimal string.
pub fn big_index(counts: &[usize], package: &[OptionIx]) -> String {
    package
        .iter()
        .zip(counts)
        .fold(num_bigint::BigUint::from(0u8), |acc, (&o, &n)| acc * n + o)
        .to_string()
}

/// The number of packages of a space of any size, exactly, as a decimal string.
pub fn big_space_size(counts: &[usize]) -> String {
    counts
        .iter()
        .fold(num_bigint::BigUint::from(1u8), |acc, &n| acc * n)
        .to_string()
}

/// How the zone's packages were counted when the method does not enumerate them itself
/// ([`AnalysisReport::zone_counted_by`]).
fn counted_by(analysis: &Analysis) -> Option<&'static str> {
    match analysis.space_size {
        _ if analysis.zone_size.is_none() || analysis.method == Method::Enumeration => None,
        Some(s) if s <= concord_core::halves::MIN_SPACE || !analysis.count_without_enumerating => {
            Some("enumeration")
        }
        _ => Some("meet in the middle"),
    }
}

/// The number of packages an analysis covers, exactly, whatever its size.
pub fn space_count(analysis: &Analysis) -> Count {
    match analysis.space_size {
        Some(n) => Count::of(n),
        None => Count::Decimal(big_space_size(analysis.evaluator.counts())),
    }
}

impl AnalysisReport {
    /// The report of an analysis; `sensitivity` when it was run.
    pub fn new(
        scenario: &Scenario,
        analysis: &Analysis,
        sensitivity: Option<&CoreSensitivity>,
    ) -> Self {
        let b = Builder { scenario, analysis };
        let included =
            analysis.frontier_materialised && analysis.frontier.len() <= INLINE_FRONTIER_LIMIT;
        AnalysisReport {
            schema: ANALYSIS_SCHEMA.to_string(),
            scenario: ScenarioRef {
                id: scenario.id.clone(),
                title: scenario.title.clone(),
            },
            method: analysis.method.as_str().to_string(),
            space_size: space_count(analysis),
            space_log10: analysis.space_log10,
            issue_count: scenario.issues.len(),
            parties: scenario
                .parties
                .iter()
                .enumerate()
                .map(|(p, party)| PartyRow {
                    id: party.id.clone(),
                    name: party.name.clone(),
                    role: party.role.as_str().to_string(),
                    consent: party.consent,
                    reservation: scenario.preferences[p]
                        .as_ref()
                        .map(|pr| pr.reservation.value),
                })
                .collect(),
            consenting: analysis.consenting.iter().map(|&p| b.party(p)).collect(),
            reservations: b.consenting_map(&analysis.reservations),
            zone: Zone {
                exists: analysis.zone_exists,
                size: analysis.zone_size,
                share: analysis.zone_share(),
            },
            zone_counted_by: counted_by(analysis).map(str::to_string),
            no_zone: analysis.no_zone.as_ref().map(|nz| NoZone {
                conflict: nz.conflict.iter().map(|&c| b.constraint(c)).collect(),
                conflicts: nz
                    .conflicts
                    .iter()
                    .map(|k| k.iter().map(|&c| b.constraint(c)).collect())
                    .collect(),
                conflicts_complete: nz.conflicts_complete,
                corrections: nz.corrections.iter().map(|c| b.correction(c)).collect(),
                corrections_complete: nz.corrections_complete,
                by_party: nz
                    .by_party
                    .iter()
                    .map(|pc| PartyCorrections {
                        party: b.party(pc.party),
                        corrections: pc.corrections.iter().map(|c| b.correction(c)).collect(),
                        remaining_conflict: pc.remaining_conflict,
                        complete: pc.complete,
                    })
                    .collect(),
                relaxations: nz
                    .relaxations
                    .iter()
                    .enumerate()
                    .map(|(k, r)| RelaxationRow {
                        cheapest: k == 0,
                        constraint: b.constraint(r.constraint),
                        change: b.change(&r.change),
                        zone_size: r.zone_size,
                    })
                    .collect(),
            }),
            frontier: Frontier {
                materialised: analysis.frontier_materialised,
                size: analysis
                    .frontier_materialised
                    .then_some(analysis.frontier.len()),
                ideal: b.finite_map(&analysis.ideal),
                points_included: included,
                points: if included {
                    analysis.frontier.iter().map(|p| b.point(p)).collect()
                } else {
                    Vec::new()
                },
            },
            solutions: analysis
                .solutions
                .iter()
                .enumerate()
                .map(|(n, s)| b.solution(n, s))
                .collect(),
            search: analysis.search.as_ref().map(|s| Search {
                fallback: s.fallback.clone(),
                max_nodes: s.max_nodes,
                nodes: s.nodes,
                ideal_upper: b.finite_map(&s.ideal_upper),
                explanation_stopped: s.explanation_stopped,
                issue_map_stopped: s.issue_map_stopped,
            }),
            issues: analysis
                .issues
                .iter()
                .enumerate()
                .map(|(rank, r)| {
                    let issue = &scenario.issues[r.issue];
                    IssueRow {
                        rank: rank + 1,
                        issue: issue.id.clone(),
                        name: issue.name.clone(),
                        blocking: r.blocking,
                        freed_share: r.freed_share,
                        opens_zone: r.opens_zone,
                        favourites_differ: r.favourites_differ,
                        weights: r.weights.iter().map(|&(p, w)| (b.party(p), w)).collect(),
                        favourites: r
                            .favourites
                            .iter()
                            .map(|(p, os)| {
                                (
                                    b.party(*p),
                                    os.iter().map(|&o| issue.options[o].id.clone()).collect(),
                                )
                            })
                            .collect(),
                        red_lines: r
                            .red_lines
                            .iter()
                            .map(|&l| scenario.red_lines[l].id.clone())
                            .collect(),
                    }
                })
                .collect(),
            framework: Framework {
                title: scenario.framework.title.clone(),
                accepted_share: analysis.framework.accepted_share,
                weighted_share: analysis.framework.weighted_share,
                points: analysis
                    .framework
                    .points
                    .iter()
                    .map(|ps| {
                        let point = &scenario.framework.points[ps.point];
                        FrameworkPointRow {
                            number: point.number,
                            title: point.title.clone(),
                            issues: point
                                .issues
                                .iter()
                                .map(|&i| scenario.issues[i].id.clone())
                                .collect(),
                            accepted: ps.accepted,
                            weight: ps.weight,
                            stances: point
                                .stances
                                .iter()
                                .enumerate()
                                .map(|(p, s)| (b.party(p), s.stance.as_str().to_string()))
                                .collect(),
                            holdouts: ps
                                .holdouts
                                .iter()
                                .map(|(p, s)| Holdout {
                                    party: b.party(*p),
                                    stance: s.as_str().to_string(),
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            },
            set_aside_red_lines: analysis
                .set_aside_red_lines
                .iter()
                .map(|&r| b.red_line(&scenario.red_lines[r]))
                .collect(),
            advisory_red_lines: analysis
                .advisory_red_lines
                .iter()
                .map(|&r| b.red_line(&scenario.red_lines[r]))
                .collect(),
            red_line_ids: scenario.red_lines.iter().map(|r| r.id.clone()).collect(),
            negmas: analysis.negmas.as_ref().map(|found| NegmasPoints {
                supported: analysis.frontier_materialised,
                solutions: found
                    .iter()
                    .map(|s| NegmasSolution {
                        concept: s.concept.as_str().to_string(),
                        negmas_function: s.concept.negmas_function().to_string(),
                        value: s.value,
                        tied: s.points.len() > 1,
                        points: s
                            .points
                            .iter()
                            .map(|&i| b.point(&analysis.frontier[i]))
                            .collect(),
                    })
                    .collect(),
            }),
            sensitivity: sensitivity.map(|s| b.sensitivity(s)),
            what_if: None,
        }
    }

    /// The frontier's points one by one, as the report writes them (for JSON Lines).
    pub fn frontier_points<'a>(
        scenario: &'a Scenario,
        analysis: &'a Analysis,
    ) -> impl Iterator<Item = PointRow> + 'a {
        let b = Builder { scenario, analysis };
        analysis.frontier.iter().map(move |p| b.point(p))
    }

    /// The JSON Schema of the report, generated from these types.
    pub fn schema() -> Schema {
        schemars::schema_for!(AnalysisReport)
    }
}

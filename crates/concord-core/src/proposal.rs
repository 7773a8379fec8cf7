//! A proposal on the table, scored and improved exactly.
//!
//! [`score`] says what a package (or a partial one) gives each party, which red lines it breaks,
//! whether it is in the agreement zone and how far it is from the frontier and the bargaining
//! solutions; for a partial proposal, what each party can still get over the open issues and the
//! best completions. [`improve`] finds the Pareto improvements over a package: the packages that
//! meet the red lines and leave every consenting party at least as well off, one better off.
//!
//! Neither enumerates: both ask [`crate::analysis::analyze`] about a changed scenario.
//! Completions of a partial proposal are the zone of the scenario narrowed to the proposal's
//! options ([`crate::whatif::restrict`]); improvements are the zone of the scenario whose reservation
//! values are the proposal's utilities (a package at least as good as the proposal for everyone
//! is exactly a package meeting those floors), so the improvements' frontier is that zone's
//! frontier, the max-min-gain improvement its egalitarian point and the Nash improvement its Nash
//! point, with the proposal as the disagreement point (Raiffa's post-settlement settlement).
//! [`score_with`] and [`improve_with`] take the analysis [`Hooks`], so that a front end can
//! show progress and stop them cleanly.

use std::ops::ControlFlow;

use crate::analysis::{
    analyze_with, Analysis, AnalysisConfig, AnalysisError, Hooks, RedLineSelection,
};
use crate::bargaining::Concept;
use crate::engine::{self, Evaluator, Floor, Rules};
use crate::model::{
    Assumed, Framework, IssueIx, IssuePreference, OptionIx, OptionSet, Party, PartyIx, Preferences,
    Provenance, RedLineIx, Role, Scenario, ValueFunction,
};
use crate::whatif::{restrict, Restricted};

/// What one party gets from a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyScore {
    /// The party.
    pub party: PartyIx,
    /// Whether an agreement needs its consent.
    pub consent: bool,
    /// Its reservation value.
    pub reservation: f64,
    /// Its utility, when the proposal is a whole package.
    pub utility: Option<f64>,
    /// The least and the most it can get over the open issues, whatever the red lines (both its
    /// utility for a whole package).
    pub range: (f64, f64),
    /// The most a consenting party gets among the completions in the agreement zone (partial
    /// proposals with such completions).
    pub best_in_zone: Option<f64>,
}

/// How far a whole package is from one bargaining solution.
#[derive(Debug, Clone, PartialEq)]
pub struct SolutionDistance {
    /// The concept.
    pub concept: Concept,
    /// The solution's (first) package.
    pub package: Vec<OptionIx>,
    /// The Euclidean distance between the consenting parties' utilities.
    pub distance: f64,
    /// The issues on which the package differs from the solution's.
    pub differs: Vec<IssueIx>,
}

/// The completions of a partial proposal.
#[derive(Debug, Clone)]
pub struct Completions {
    /// The scenario with only the red lines that shape the zone, narrowed to the proposal's
    /// options.
    pub restricted: Restricted,
    /// The analysis of the narrowed scenario: its zone is the completions in the agreement zone.
    /// `None` when the red lines that shape the zone leave no completion.
    pub analysis: Option<Analysis>,
    /// Red lines shaping the zone that every completion breaks (indices into the scenario).
    pub blocked_by: Vec<RedLineIx>,
    /// Consenting parties whose red lines no completion meets together.
    pub blocked_parties: Vec<PartyIx>,
    /// The concepts whose best completion a package of the whole zone, reopening the
    /// proposal's terms, improves on: every consenting party at least as well off, one better
    /// off (`concord improve --fill` finds how). Empty when the proposal's terms cost no best
    /// completion anything; `None` when not known (no completion in the zone, or the whole
    /// zone's frontier was not materialised).
    pub improvable: Option<Vec<Concept>>,
}

/// A proposal scored.
#[derive(Debug, Clone)]
pub struct Score {
    /// The options the proposal admits on each issue.
    pub allowed: Vec<OptionSet>,
    /// The package, when the proposal settles every issue.
    pub package: Option<Vec<OptionIx>>,
    /// Every party with preferences, in [`Evaluator::scored`] order.
    pub parties: Vec<PartyScore>,
    /// The red lines the package breaks; for a partial proposal, those every completion breaks.
    pub broken: Vec<RedLineIx>,
    /// Whether the package is in the agreement zone (a whole package).
    pub in_zone: Option<bool>,
    /// Consenting parties the package leaves below their reservation value (a whole package).
    pub below_reservation: Vec<PartyIx>,
    /// The analysis of the whole scenario.
    pub analysis: Analysis,
    /// The Euclidean distance from the package to the nearest frontier point, over the
    /// consenting parties' utilities (a whole package, a non-empty materialised frontier).
    pub frontier_distance: Option<f64>,
    /// The distance to each bargaining solution (a whole package, a non-empty zone).
    pub solutions: Vec<SolutionDistance>,
    /// The completions of a partial proposal.
    pub completions: Option<Completions>,
}

/// Whether a red line shapes the zone under `config`: it is a consenting party's, and selected.
pub fn applies(scenario: &Scenario, config: &AnalysisConfig, r: RedLineIx) -> bool {
    let line = &scenario.red_lines[r];
    scenario.parties[line.party].consent && config.red_lines.applies(line.provenance.basis)
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Scores a proposal given as the options it admits on each issue (every option of an open
/// issue; each set non-empty).
pub fn score(
    scenario: &Scenario,
    allowed: &[OptionSet],
    config: &AnalysisConfig,
) -> Result<Score, AnalysisError> {
    score_with(scenario, allowed, config, &Hooks::default())
}

/// [`score`] with hooks for long runs: every analysis it asks for polls `hooks.stop` and reports
/// its progress, so a stop ends it with [`AnalysisError::Stopped`].
pub fn score_with(
    scenario: &Scenario,
    allowed: &[OptionSet],
    config: &AnalysisConfig,
    hooks: &Hooks,
) -> Result<Score, AnalysisError> {
    // The frontier and the solutions are what a score needs; not the issue map nor why a zone
    // is empty (`concord analyze` says that).
    let whole = AnalysisConfig {
        issue_map: false,
        explain: false,
        ..config.clone()
    };
    let analysis = analyze_with(scenario, &whole, hooks)?;
    let eval = &analysis.evaluator;
    let package: Option<Vec<OptionIx>> = allowed
        .iter()
        .map(|set| match set.indices().as_slice() {
            [o] => Some(*o),
            _ => None,
        })
        .collect();
    let consenting = &analysis.consenting;
    let reservation = |p: PartyIx| {
        scenario.preferences[p]
            .as_ref()
            .map_or(0.0, |pr| pr.reservation.value)
    };
    // The evaluator is on the integer scale when the analysis decided in exact decimals.
    let unit = analysis.unit;
    let ranges: Vec<(f64, f64)> = ranges(eval, allowed)
        .into_iter()
        .map(|(lo, hi)| (unit.utility(lo), unit.utility(hi)))
        .collect();
    let broken: Vec<RedLineIx>;
    let mut in_zone = None;
    let mut below_reservation = Vec::new();
    let mut frontier_distance = None;
    let mut solutions = Vec::new();
    let mut completions = None;
    match &package {
        Some(package) => {
            let u = analysis.utilities(package);
            broken = (0..scenario.red_lines.len())
                .filter(|&r| !scenario.red_lines[r].rule.allows(package))
                .collect();
            let slot = |p: PartyIx| eval.slot(p).expect("consenting parties are scored");
            below_reservation = consenting
                .iter()
                .copied()
                .filter(|&p| u[slot(p)] < reservation(p))
                .collect();
            in_zone = Some(
                below_reservation.is_empty()
                    && !broken.iter().any(|&r| applies(scenario, config, r)),
            );
            let mine: Vec<f64> = consenting.iter().map(|&p| u[slot(p)]).collect();
            if analysis.frontier_materialised {
                frontier_distance = analysis
                    .frontier
                    .iter()
                    .map(|q| distance(&q.utilities, &mine))
                    .min_by(f64::total_cmp);
            }
            for sol in &analysis.solutions {
                let Some(&first) = sol.points.first() else {
                    continue;
                };
                let point = analysis.solution_point(first);
                let Some(theirs) = analysis.packages(point).into_iter().next() else {
                    continue;
                };
                solutions.push(SolutionDistance {
                    concept: sol.concept,
                    distance: distance(&point.utilities, &mine),
                    differs: (0..package.len())
                        .filter(|&i| package[i] != theirs[i])
                        .collect(),
                    package: theirs,
                });
            }
        }
        None => {
            broken = restrict(scenario, allowed).broken;
            let (applied, config, origin) = zone_lines_only(scenario, config);
            let restricted = restrict(&applied, allowed);
            let blocked_by: Vec<RedLineIx> = restricted.broken.iter().map(|&b| origin[b]).collect();
            let blocked_parties = restricted.jointly.clone();
            let narrowed = if restricted.broken.is_empty() && restricted.jointly.is_empty() {
                let config = AnalysisConfig {
                    issue_map: false,
                    ..config
                };
                Some(analyze_with(&restricted.scenario, &config, hooks)?)
            } else {
                None
            };
            // A best completion is improvable exactly when a point of the whole zone's frontier
            // dominates it (a package dominating it is in the zone, and so is dominated by, or
            // is, a frontier point). Both analyses decide on the same numbers, so utilities that
            // are equal compare equal.
            let improvable = match &narrowed {
                Some(n) if n.zone_exists && analysis.frontier_materialised => Some(
                    n.solutions
                        .iter()
                        .filter(|sol| {
                            sol.points.first().is_some_and(|&i| {
                                let u = &n.solution_point(i).utilities;
                                analysis.frontier.iter().any(|q| {
                                    q.utilities.iter().zip(u).all(|(a, b)| a >= b)
                                        && q.utilities.iter().zip(u).any(|(a, b)| a > b)
                                })
                            })
                        })
                        .map(|sol| sol.concept)
                        .collect(),
                ),
                _ => None,
            };
            completions = Some(Completions {
                restricted,
                analysis: narrowed,
                blocked_by,
                blocked_parties,
                improvable,
            });
        }
    }
    let best_in_zone = |p: PartyIx| -> Option<f64> {
        let a = completions.as_ref()?.analysis.as_ref()?;
        let at = a.consenting.iter().position(|&q| q == p)?;
        a.zone_exists.then(|| a.ideal[at])
    };
    let parties = eval
        .scored
        .iter()
        .enumerate()
        .map(|(slot, &p)| PartyScore {
            party: p,
            consent: scenario.parties[p].consent,
            reservation: reservation(p),
            utility: package.as_ref().map(|_| ranges[slot].0),
            range: ranges[slot],
            best_in_zone: best_in_zone(p),
        })
        .collect();
    Ok(Score {
        allowed: allowed.to_vec(),
        package,
        parties,
        broken,
        in_zone,
        below_reservation,
        analysis,
        frontier_distance,
        solutions,
        completions,
    })
}

/// The scenario with only the red lines that shape the zone under `config`, the configuration
/// that applies all of them, and the index in `scenario` of each red line kept.
fn zone_lines_only(
    scenario: &Scenario,
    config: &AnalysisConfig,
) -> (Scenario, AnalysisConfig, Vec<RedLineIx>) {
    let mut only = scenario.clone();
    let origin: Vec<RedLineIx> = (0..scenario.red_lines.len())
        .filter(|&r| applies(scenario, config, r))
        .collect();
    only.red_lines = origin
        .iter()
        .map(|&r| scenario.red_lines[r].clone())
        .collect();
    let config = AnalysisConfig {
        red_lines: RedLineSelection::All,
        ..config.clone()
    };
    (only, config, origin)
}

/// Each scored party's least and most utility over the packages the allowed options make, whatever
/// the red lines: the least and the most option of every issue, summed in issue order (so that
/// each end is the utility of a package, to the bit).
pub fn ranges(eval: &Evaluator, allowed: &[OptionSet]) -> Vec<(f64, f64)> {
    (0..eval.width())
        .map(|slot| {
            let (mut lo, mut hi) = (0.0, 0.0);
            for (i, set) in allowed.iter().enumerate() {
                let values = set
                    .indices()
                    .into_iter()
                    .map(|o| eval.contribution(i, o)[slot]);
                let (a, b) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
                lo += a;
                hi += b;
            }
            (lo, hi)
        })
        .collect()
}

/// The closest improvement: the fewest issues changed for an improvement that every consenting
/// party strictly prefers.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// The package, in the scenario's option indices.
    pub package: Vec<OptionIx>,
    /// The consenting parties' utilities, in [`Analysis::consenting`] order.
    pub utilities: Vec<f64>,
    /// The issues it changes.
    pub changed: Vec<IssueIx>,
}

/// The Pareto improvements over a package.
#[derive(Debug, Clone)]
pub struct Improvements {
    /// The package improved on.
    pub package: Vec<OptionIx>,
    /// Its utilities to the consenting parties, in [`Analysis::consenting`] order.
    pub utilities: Vec<f64>,
    /// The issues kept as the package settles them.
    pub keep: Vec<IssueIx>,
    /// Red lines shaping the zone that the package breaks (improvements must meet them).
    pub broken: Vec<RedLineIx>,
    /// The narrowing of kept issues (when any issue is kept), of the scenario with only the red
    /// lines that shape the zone.
    pub restricted: Option<Restricted>,
    /// The analysis of the improvement scenario: the scenario (narrowed to the kept issues) with
    /// each consenting party's reservation value replaced by its utility of the package. Its
    /// zone is every package at least as good for everyone; its frontier, the improvements; its
    /// solutions are relative to the package. `None` when the kept issues leave no package that
    /// meets the red lines shaping the zone.
    pub analysis: Option<Analysis>,
    /// Whether no package meeting the red lines is at least as good for every consenting party
    /// and better for one: the package is efficient (when it meets the red lines), or nothing
    /// meeting them is as good.
    pub efficient: bool,
    /// How many packages are improvements (when packages are counted): at least as good for
    /// every consenting party, better for one.
    pub count: Option<u64>,
    /// The closest improvement every consenting party strictly prefers, when one exists and the
    /// frontier could be materialised.
    pub closest: Option<Closest>,
}

impl Improvements {
    /// A package of the improvement analysis in the scenario's option indices.
    pub fn original(&self, package: &[OptionIx]) -> Vec<OptionIx> {
        match &self.restricted {
            Some(r) => r.original(package),
            None => package.to_vec(),
        }
    }
}

/// The Pareto improvements over `package` that keep the issues in `keep` as the package settles
/// them.
pub fn improve(
    scenario: &Scenario,
    package: &[OptionIx],
    keep: &[IssueIx],
    config: &AnalysisConfig,
) -> Result<Improvements, AnalysisError> {
    improve_with(scenario, package, keep, config, &Hooks::default())
}

/// [`improve`] with hooks for long runs, as [`score_with`].
pub fn improve_with(
    scenario: &Scenario,
    package: &[OptionIx],
    keep: &[IssueIx],
    config: &AnalysisConfig,
    hooks: &Hooks,
) -> Result<Improvements, AnalysisError> {
    let consenting = scenario.consenting();
    // The package's utilities become the floors of the improvement analysis. In exact decimal
    // arithmetic they are summed on the integer scale and rounded once, so that they are the
    // short decimals they stand for: a floating-point sum (0.46900000000000003) would not be a
    // short decimal, the improvement analysis would fall back to floating point, and a package
    // worth exactly as much could pass for a gain of 5e-17.
    let scaled = config
        .exact_decimals
        .then(|| crate::exact::scale(scenario))
        .flatten();
    let (on, unit) = match &scaled {
        Some((scaled, unit)) => (scaled, *unit),
        None => (scenario, crate::exact::Unit::ONE),
    };
    let eval = Evaluator::new(on);
    let mut u = vec![0.0; eval.width()];
    eval.utilities(package, &mut u);
    let utilities: Vec<f64> = consenting
        .iter()
        .map(|&p| unit.utility(u[eval.slot(p).expect("consenting parties are scored")]))
        .collect();
    let broken: Vec<RedLineIx> = (0..scenario.red_lines.len())
        .filter(|&r| applies(scenario, config, r) && !scenario.red_lines[r].rule.allows(package))
        .collect();
    let mut keep: Vec<IssueIx> = keep.to_vec();
    keep.sort_unstable();
    keep.dedup();
    let (applied, config, _) = zone_lines_only(scenario, config);
    let restricted = (!keep.is_empty()).then(|| {
        let allowed: Vec<OptionSet> = scenario
            .issues
            .iter()
            .enumerate()
            .map(|(i, issue)| {
                if keep.contains(&i) {
                    OptionSet::from_indices(issue.options.len(), &[package[i]])
                } else {
                    OptionSet(vec![true; issue.options.len()])
                }
            })
            .collect();
        restrict(&applied, &allowed)
    });
    let blocked = restricted
        .as_ref()
        .is_some_and(|r| !r.broken.is_empty() || !r.jointly.is_empty());
    let mut base = match &restricted {
        Some(r) => r.scenario.clone(),
        None => applied,
    };
    let mut out = Improvements {
        package: package.to_vec(),
        utilities: utilities.clone(),
        keep,
        broken,
        restricted,
        analysis: None,
        efficient: true,
        count: None,
        closest: None,
    };
    if blocked {
        return Ok(out);
    }
    for (&p, &floor) in consenting.iter().zip(&utilities) {
        let prefs = base.preferences[p]
            .as_mut()
            .expect("consenting parties have preferences");
        prefs.reservation = Assumed::exact(floor);
    }
    let config = AnalysisConfig {
        issue_map: false,
        explain: false,
        ..config
    };
    let analysis = analyze_with(&base, &config, hooks)?;
    out.efficient = if analysis.frontier_materialised {
        analysis.frontier.iter().all(|q| q.utilities == utilities)
    } else {
        // Every tied utilitarian optimum is listed when proven: none better means none at all.
        let s = analysis
            .solutions
            .iter()
            .position(|s| s.concept == Concept::Utilitarian);
        match s {
            None => true,
            Some(s) => {
                let proven = analysis.proof(s).is_none_or(|p| p.proven && p.all_ties);
                proven
                    && analysis.solutions[s]
                        .points
                        .iter()
                        .all(|&i| analysis.solution_point(i).utilities == utilities)
            }
        }
    };
    // The zone counted holds the package's exact ties too; they are not improvements.
    out.count = analysis
        .zone_size
        .map(|n| n - ties(&base, &utilities, config.exact_decimals));
    if !out.efficient && analysis.frontier_materialised {
        out.closest = closest(&base, package, &out, &config, hooks)?;
    }
    out.analysis = Some(analysis);
    Ok(out)
}

/// How many packages meet the scenario's red lines and give the consenting parties exactly
/// `utilities`: in exact decimal arithmetic when `exact` and the numbers allow it, as the
/// analysis that counted the zone decided.
fn ties(scenario: &Scenario, utilities: &[f64], exact: bool) -> u64 {
    let scaled = exact.then(|| crate::exact::scale(scenario)).flatten();
    let (scenario, utilities): (&Scenario, Vec<f64>) = match &scaled {
        // Each utility is a short decimal on this scale: back to its integer exactly.
        Some((scaled, unit)) => (
            scaled,
            utilities.iter().map(|x| (x * unit.value).round()).collect(),
        ),
        None => (scenario, utilities.to_vec()),
    };
    let utilities = utilities.as_slice();
    let eval = Evaluator::new(scenario);
    let slots: Vec<usize> = scenario
        .consenting()
        .iter()
        .map(|&p| eval.slot(p).expect("consenting parties are scored"))
        .collect();
    let rules = Rules {
        red_lines: scenario.red_lines.iter().map(|r| r.rule.clone()).collect(),
        floors: slots
            .iter()
            .zip(utilities)
            .map(|(&slot, &min)| Floor { slot, min })
            .collect(),
    };
    engine::walk(
        &eval,
        &rules,
        || 0u64,
        |n, _, u| {
            if slots.iter().zip(utilities).all(|(&s, &x)| u[s] == x) {
                *n += 1;
            }
            ControlFlow::Continue(())
        },
        |a, b| a + b,
    )
}

/// The fewest issues changed for a package every consenting party strictly prefers: the
/// improvement scenario with one more consenting party that scores 1 for every issue left as the
/// package settles it. A closest improvement is on the frontier of that scenario (a package
/// dominating it is as close and as good for everyone), so the frontier's best such point is it.
fn closest(
    base: &Scenario,
    package: &[OptionIx],
    improvements: &Improvements,
    config: &AnalysisConfig,
    hooks: &Hooks,
) -> Result<Option<Closest>, AnalysisError> {
    let mut with = base.clone();
    let local: Vec<OptionIx> = match &improvements.restricted {
        Some(r) => package
            .iter()
            .zip(&r.kept)
            .map(|(&o, kept)| {
                kept.iter()
                    .position(|&k| k == o)
                    .expect("kept issues keep the package's option")
            })
            .collect(),
        None => package.to_vec(),
    };
    with.parties.push(Party {
        id: "unchanged issues".into(),
        name: "unchanged issues".into(),
        role: Role::Party,
        consent: true,
        aliases: Vec::new(),
        provenance: Provenance::default(),
    });
    with.preferences.push(Some(Preferences {
        reservation: Assumed::exact(0.0),
        provenance: Provenance::default(),
        issues: with
            .issues
            .iter()
            .enumerate()
            .map(|(i, issue)| IssuePreference {
                weight: Assumed::exact(1.0),
                values: ValueFunction::Table(
                    (0..issue.options.len())
                        .map(|o| Assumed::exact(if o == local[i] { 1.0 } else { 0.0 }))
                        .collect(),
                ),
                provenance: Provenance::default(),
            })
            .collect(),
        discount: None,
    }));
    // The framework's stances are by party; the extra party has none, and none are needed here.
    with.framework = Framework::default();
    let analysis = analyze_with(&with, config, hooks)?;
    if !analysis.frontier_materialised {
        return Ok(None);
    }
    let k = improvements.utilities.len();
    let best = analysis
        .frontier
        .iter()
        .filter(|q| (0..k).all(|j| q.utilities[j] > improvements.utilities[j]))
        .max_by(|a, b| {
            a.utilities[k].total_cmp(&b.utilities[k]).then_with(|| {
                // Among the closest, the largest smallest gain.
                let gain = |q: &&crate::analysis::Point| {
                    (0..k)
                        .map(|j| q.utilities[j] - improvements.utilities[j])
                        .fold(f64::INFINITY, f64::min)
                };
                gain(a).total_cmp(&gain(b))
            })
        });
    Ok(best.and_then(|q| {
        let found = analysis.packages(q).into_iter().next()?;
        let original = improvements.original(&found);
        Some(Closest {
            changed: (0..package.len())
                .filter(|&i| original[i] != package[i])
                .collect(),
            utilities: q.utilities[..k].to_vec(),
            package: original,
        })
    }))
}

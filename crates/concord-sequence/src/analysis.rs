//! `analyze`: the optimal phased plan, or the deadlock explained — the minimal conflicts, the
//! cheapest relaxations and the tranche splits that break them.

use crate::model::{Bound, DemandIx, ModelError, SequenceProblem, StepIx};
pub use crate::solve::{Cause, NodeProgress, SolveError, Stop};
use crate::solve::{Compiled, Solved};
use crate::way_out::cheapest;
pub use crate::way_out::WayOutCost;

/// Options of [`analyze`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceConfig {
    /// The most conflicts to list when no plan exists.
    pub max_conflicts: usize,
    /// The MILP's branch-and-bound node limit; past it the analysis fails rather than guess.
    pub node_limit: u64,
    /// The node limit of each phase of the search for the cheapest way out; past it the
    /// deadlock is reported without a way out, saying why, rather than with a guess.
    pub way_out_node_limit: u64,
    /// The caller's stop flag: every MILP search polls it, and [`analyze`] then fails with
    /// [`SolveError::Stopped`].
    pub stop: Stop,
    /// Where the MILP searches report the nodes done, between rounds: a search that runs for
    /// seconds shows its progress against its node limit.
    pub progress: NodeProgress,
}

impl Default for SequenceConfig {
    fn default() -> Self {
        SequenceConfig {
            max_conflicts: 8,
            node_limit: 500_000,
            way_out_node_limit: 50_000,
            stop: Stop::default(),
            progress: NodeProgress::default(),
        }
    }
}

/// Why [`analyze`] failed. "No plan" is not a failure: it is [`SequenceAnalysis::Deadlock`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SequenceError {
    /// The problem is malformed.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The exact optimisation failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// The answer: a plan, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum SequenceAnalysis {
    /// A schedule meets every hard demand; this one is optimal.
    Plan(Plan),
    /// No schedule meets every hard demand.
    Deadlock(Deadlock),
}

/// A step, or a tranche of a split step, placed in a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStep {
    /// The step of the problem.
    pub step: StepIx,
    /// `Some(1)` or `Some(2)` for the tranches of a split step.
    pub tranche: Option<u8>,
    /// The day it starts.
    pub start: i64,
    /// Its length in days, without verification.
    pub duration: i64,
    /// The day it is done, verification included.
    pub done: i64,
}

/// The steps that start on the same day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// The day.
    pub day: i64,
    /// Indices into [`Plan::steps`].
    pub steps: Vec<usize>,
}

/// One link of the critical path: a step and what sets its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalLink {
    /// Index into [`Plan::steps`].
    pub step: usize,
    /// What holds it back: day 0, a demand, or the order of tranches.
    pub cause: Cause,
    /// The step (index into [`Plan::steps`]) whose event the cause relates it to; `None` for
    /// day 0.
    pub after: Option<usize>,
}

/// A soft demand the plan breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenDemand {
    /// The demand.
    pub demand: DemandIx,
    /// By how many days (see [`crate::reference::violation`] for the exact measure).
    pub days: i64,
    /// What breaking it costs.
    pub cost: u64,
}

/// An optimal plan: least cost of broken soft demands, then shortest; every step as early as
/// that allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Steps (and tranches) in problem order; a second tranche comes last.
    pub steps: Vec<PlanStep>,
    /// The day the last step is done.
    pub duration: i64,
    /// The total cost of broken soft demands.
    pub cost: u64,
    /// The soft demands broken, in problem order.
    pub broken: Vec<BrokenDemand>,
    /// The steps grouped by start day, in day order.
    pub phases: Vec<Phase>,
    /// From a step that starts at day 0 to the step done last, each start set by the link
    /// before it.
    pub critical_path: Vec<CriticalLink>,
}

/// No schedule meets every hard demand.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadlock {
    /// Minimal conflicts. The first is a minimal conflict of all hard demands; each later one
    /// is found after setting aside one demand of the one before (its `set_aside`).
    pub conflicts: Vec<Conflict>,
    /// Whether setting aside one demand of each conflict leaves a feasible set; `false` when
    /// [`SequenceConfig::max_conflicts`] stopped the listing first.
    pub complete: bool,
    /// The cheapest way out of the whole deadlock, exact ([`crate::way_out`]); `None` only if
    /// the exact search gave up, with the reason in `way_out_failure`.
    pub way_out: Option<WayOut>,
    /// Why there is no way out: the exact search reached its node limit, or the MILP solver
    /// failed (on numbers far beyond any real plan). `None` when there is a way out.
    pub way_out_failure: Option<SolveError>,
}

/// An irreducible infeasible set of hard demands: they cannot all hold, and removing any one of
/// them leaves a set that can.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The demands, in problem order.
    pub demands: Vec<DemandIx>,
    /// When the demands are plain bounds: a cycle of them that needs more days than it has
    /// (the sum of its `min`s, with each step's length, is positive).
    pub cycle: Option<Vec<CycleLink>>,
    /// One per demand, cheapest first.
    pub relaxations: Vec<Relaxation>,
    /// Every splittable step of the conflict, split into two tranches, in step order.
    pub splits: Vec<TrancheSplit>,
    /// The demand set aside to look for the next conflict: the one loosened by the fewest days
    /// to end this conflict (the first in problem order on a tie).
    pub set_aside: DemandIx,
}

/// One bound of a conflict's cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CycleLink {
    /// The demand (or day 0) it comes from.
    pub cause: Cause,
    /// The bound.
    pub bound: Bound,
}

/// Loosening one demand of a conflict by whole days: every bound of it by the same number of
/// days (a gap shrinks, a deadline moves later, "together" becomes "within N days").
#[derive(Debug, Clone, PartialEq)]
pub struct Relaxation {
    /// The demand.
    pub demand: DemandIx,
    /// The fewest days that remove this conflict.
    pub days: i64,
    /// The fewest days that, with no other change, let every hard demand hold; `None` when
    /// other conflicts remain however far this one is loosened.
    pub plan_days: Option<i64>,
    /// The optimal plan with the demand loosened by `plan_days`.
    pub plan: Option<Plan>,
}

/// Splitting a step into two reciprocal tranches (docs/sequencing.md): for the demands of the
/// conflict, what others wait for the step to do, its first tranche delivers, and what the
/// step waits for, only its second tranche waits for; every other demand binds the whole step
/// (it starts when the first tranche starts and is done when the second is).
#[derive(Debug, Clone, PartialEq)]
pub struct TrancheSplit {
    /// The step split.
    pub step: StepIx,
    /// Days of work in the first tranche.
    pub first_days: i64,
    /// Days of work in the second.
    pub second_days: i64,
    /// Each demand naming the step, with the tranches (1, 2 or both) its bounds now bind; a
    /// demand outside the conflict binds the start of the 1st and the end of the 2nd.
    pub attached: Vec<(DemandIx, Vec<u8>)>,
    /// Whether the conflict's demands can all hold after the split.
    pub removes_conflict: bool,
    /// The optimal plan after the split, when every hard demand can then hold.
    pub plan: Option<Plan>,
}

/// One change of a way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Split a step into two reciprocal tranches.
    Split {
        /// The step.
        step: StepIx,
        /// Days of work in the first tranche.
        first_days: i64,
        /// Days of work in the second.
        second_days: i64,
        /// The hard demands re-attached to the tranches, in problem order: where the step is
        /// what another step waits for, the 1st tranche delivers it; where the step waits, only
        /// the 2nd tranche waits. Every other demand binds the whole step.
        attached: Vec<DemandIx>,
    },
    /// Loosen a hard demand by whole days.
    Relax {
        /// The demand.
        demand: DemandIx,
        /// By how many days.
        days: i64,
    },
}

/// The cheapest set of changes after which every hard demand can hold, with the optimal plan
/// then: least [`WayOutCost`] (fewest days of loosening in all, then fewest hard demands
/// changed, then fewest steps split), and among those the best plan (least cost of broken soft
/// demands, then shortest).
#[derive(Debug, Clone, PartialEq)]
pub struct WayOut {
    /// The changes: the splits in step order, then the loosened demands in problem order.
    pub actions: Vec<Action>,
    /// What they cost.
    pub cost: WayOutCost,
    /// The optimal plan after them.
    pub plan: Plan,
}

/// Analyses a sequencing problem exactly: the optimal plan, or the deadlock with its conflicts
/// and ways out.
///
/// ```
/// use concord_core::model::Provenance;
/// use concord_sequence::analysis::{analyze, SequenceAnalysis, SequenceConfig};
/// use concord_sequence::model::*;
///
/// let step = |id: &str, days| Step {
///     id: id.into(), name: id.into(), parties: vec![], duration: days,
///     verification: None, split: DEFAULT_SPLIT, provenance: Provenance::default(),
/// };
/// let before = |id: &str, first, then| Demand {
///     id: id.into(), party: 0, strength: Strength::Hard, note: None,
///     provenance: Provenance::default(),
///     rule: Rule::Before { first, then, relation: Relation::FinishToStart, min_gap: 0, max_gap: None },
/// };
/// let mut problem = SequenceProblem {
///     steps: vec![step("border", 30), step("elections", 10)],
///     demands: vec![before("border-first", 0, 1)],
/// };
/// let SequenceAnalysis::Plan(plan) = analyze(&problem, &SequenceConfig::default()).unwrap() else {
///     panic!()
/// };
/// assert_eq!(plan.duration, 40);
///
/// problem.demands.push(before("elections-first", 1, 0));
/// let SequenceAnalysis::Deadlock(d) = analyze(&problem, &SequenceConfig::default()).unwrap() else {
///     panic!()
/// };
/// assert_eq!(d.conflicts[0].demands, vec![0, 1]);
/// // Border tranche 1 (15 days), then the elections (10), then border tranche 2 (15).
/// assert_eq!(d.conflicts[0].splits[0].plan.as_ref().unwrap().duration, 40);
/// assert_eq!(d.way_out.unwrap().plan.duration, 40);
/// ```
pub fn analyze(
    problem: &SequenceProblem,
    config: &SequenceConfig,
) -> Result<SequenceAnalysis, SequenceError> {
    problem.validate()?;
    let mut c = Compiled::new(problem, config.node_limit);
    c.stop = config.stop.clone();
    c.progress = config.progress.clone();
    let labels: Vec<(StepIx, Option<u8>)> = (0..problem.steps.len()).map(|s| (s, None)).collect();
    match c.optimize()? {
        Some(solved) => Ok(SequenceAnalysis::Plan(plan(&c, &solved, &labels))),
        None => Ok(SequenceAnalysis::Deadlock(deadlock(problem, &c, config)?)),
    }
}

fn plan(c: &Compiled, solved: &Solved, labels: &[(StepIx, Option<u8>)]) -> Plan {
    let steps: Vec<PlanStep> = labels
        .iter()
        .enumerate()
        .map(|(k, &(step, tranche))| PlanStep {
            step,
            tranche,
            start: solved.starts[k],
            duration: c.durations[k],
            done: solved.starts[k] + c.span(k),
        })
        .collect();
    let duration = steps.iter().map(|s| s.done).max().unwrap_or(0);
    let mut days: Vec<i64> = steps.iter().map(|s| s.start).collect();
    days.sort_unstable();
    days.dedup();
    let phases = days
        .into_iter()
        .map(|day| Phase {
            day,
            steps: (0..steps.len())
                .filter(|&k| steps[k].start == day)
                .collect(),
        })
        .collect();
    let mut critical_path = Vec::new();
    // The step done last (the first of them on a tie), then back along what set each start.
    if let Some(last) = (0..steps.len()).find(|&k| steps[k].done == duration) {
        let mut k = Some(last);
        while let Some(s) = k {
            let (cause, after) = solved.set_by[s];
            critical_path.push(CriticalLink {
                step: s,
                cause,
                after,
            });
            // The predecessor edges form a tree rooted at day 0; the guard is for safety only.
            if critical_path.len() > steps.len() {
                break;
            }
            k = after;
        }
        critical_path.reverse();
    }
    Plan {
        duration,
        cost: solved.broken.iter().map(|b| b.2).sum(),
        broken: solved
            .broken
            .iter()
            .map(|&(demand, days, cost)| BrokenDemand { demand, days, cost })
            .collect(),
        steps,
        phases,
        critical_path,
    }
}

/// The demands of `set`, less every one whose removal leaves the rest infeasible: an
/// irreducible infeasible subset (the deletion filter). `set` must be infeasible.
fn deletion_filter(c: &Compiled, set: &[DemandIx]) -> Vec<DemandIx> {
    let mut current = set.to_vec();
    let mut k = 0;
    while k < current.len() {
        let mut without = current.clone();
        without.remove(k);
        if c.feasible(&without, None).is_none() {
            current = without;
        } else {
            k += 1;
        }
    }
    current
}

/// The least `x` in `1..=hi` with `ok(x)`, given `ok(hi)` and `ok` monotone.
fn least_days(hi: i64, ok: impl Fn(i64) -> bool) -> i64 {
    let (mut lo, mut hi) = (1, hi.max(1));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    hi
}

fn deadlock(
    problem: &SequenceProblem,
    c: &Compiled,
    config: &SequenceConfig,
) -> Result<Deadlock, SequenceError> {
    let all_hard = c.hard();
    let mut active = all_hard.clone();
    let mut conflicts: Vec<Conflict> = Vec::new();
    while c.feasible(&active, None).is_none() {
        if conflicts.len() >= config.max_conflicts {
            let w = way_out(problem, c, config)?;
            return Ok(Deadlock {
                conflicts,
                complete: false,
                way_out_failure: w.as_ref().err().cloned(),
                way_out: w.ok(),
            });
        }
        let iis = deletion_filter(c, &active);
        let conflict = explain(problem, c, &iis, &all_hard)?;
        active.retain(|&d| d != conflict.set_aside);
        conflicts.push(conflict);
    }
    let w = way_out(problem, c, config)?;
    Ok(Deadlock {
        conflicts,
        complete: true,
        way_out_failure: w.as_ref().err().cloned(),
        way_out: w.ok(),
    })
}

fn first_tranche(problem: &SequenceProblem, s: StepIx) -> Option<i64> {
    problem.steps[s].first_tranche()
}

/// The cheapest way out ([`crate::way_out`]): the changes of least [`WayOutCost`] that let
/// every hard demand hold, and the optimal plan after them; `None` when the exact search reached
/// its node limit.
fn way_out(
    problem: &SequenceProblem,
    c: &Compiled,
    config: &SequenceConfig,
) -> Result<Result<WayOut, SolveError>, SequenceError> {
    let splittable: Vec<(StepIx, i64)> = (0..problem.steps.len())
        .filter_map(|s| first_tranche(problem, s).map(|f| (s, f)))
        .collect();
    let changes = match cheapest(c, &splittable, config.way_out_node_limit) {
        Ok(Some(changes)) => changes,
        Ok(None) => return Err(SolveError::Solver("a deadlock without a conflict".into()).into()),
        // A stop is the caller's: no answer.
        Err(SolveError::Stopped) => return Err(SolveError::Stopped.into()),
        // The conflicts and their relaxations stand without it: report why it is missing.
        Err(e) => return Ok(Err(e)),
    };
    let changed = changes.apply(c);
    let Some(solved) = changed.optimize()? else {
        return Err(SolveError::Solver("the way out does not restore a plan".into()).into());
    };
    let mut labels: Vec<(StepIx, Option<u8>)> = (0..c.steps()).map(|s| (s, None)).collect();
    let mut actions = Vec::new();
    for split in &changes.splits {
        labels[split.step] = (split.step, Some(1));
        labels.push((split.step, Some(2)));
        actions.push(Action::Split {
            step: split.step,
            first_days: split.first_days,
            second_days: problem.steps[split.step].duration - split.first_days,
            attached: split.attached.clone(),
        });
    }
    for &(demand, days) in &changes.relax {
        actions.push(Action::Relax { demand, days });
    }
    Ok(Ok(WayOut {
        cost: changes.cost(),
        actions,
        plan: plan(&changed, &solved, &labels),
    }))
}

fn explain(
    problem: &SequenceProblem,
    c: &Compiled,
    iis: &[DemandIx],
    all_hard: &[DemandIx],
) -> Result<Conflict, SequenceError> {
    let without = |set: &[DemandIx], d: DemandIx| -> Vec<DemandIx> {
        set.iter().copied().filter(|&e| e != d).collect()
    };
    let labels: Vec<(StepIx, Option<u8>)> = (0..c.steps()).map(|s| (s, None)).collect();
    let mut relaxations = Vec::new();
    for &d in iis {
        let Some(witness) = c.feasible(&without(iis, d), None) else {
            return Err(SolveError::Solver("a conflict is not minimal".into()).into());
        };
        let days = least_days(c.violation(d, &witness), |x| {
            c.feasible(iis, Some((d, x))).is_some()
        });
        let (plan_days, plan) = match c.feasible(&without(all_hard, d), None) {
            Some(w) => {
                let n = least_days(c.violation(d, &w), |x| {
                    c.feasible(all_hard, Some((d, x))).is_some()
                });
                let relaxed = c.relaxed(d, n);
                let solved = relaxed.optimize()?;
                (Some(n), solved.map(|s| plan(&relaxed, &s, &labels)))
            }
            None => (None, None),
        };
        relaxations.push(Relaxation {
            demand: d,
            days,
            plan_days,
            plan,
        });
    }
    relaxations.sort_by_key(|r| (r.plan_days.is_none(), r.plan_days, r.days, r.demand));

    let mut steps: Vec<StepIx> = iis
        .iter()
        .flat_map(|&d| problem.demands[d].rule.steps())
        .collect();
    steps.sort_unstable();
    steps.dedup();
    let mut splits = Vec::new();
    for s in steps {
        let Some(first) = first_tranche(problem, s) else {
            continue;
        };
        let duration = problem.steps[s].duration;
        let (split, attached) = c.split(s, first, iis);
        let removes_conflict = split.feasible(iis, None).is_some();
        let plan = if removes_conflict && split.feasible(all_hard, None).is_some() {
            let mut labels: Vec<(StepIx, Option<u8>)> =
                (0..c.steps()).map(|k| (k, (k == s).then_some(1))).collect();
            labels.push((s, Some(2)));
            split
                .optimize()?
                .map(|solved| plan(&split, &solved, &labels))
        } else {
            None
        };
        splits.push(TrancheSplit {
            step: s,
            first_days: first,
            second_days: duration - first,
            attached,
            removes_conflict,
            plan,
        });
    }
    let cycle = c.cycle(iis).map(|links| {
        links
            .into_iter()
            .map(|(cause, bound)| CycleLink { cause, bound })
            .collect()
    });
    Ok(Conflict {
        demands: iis.to_vec(),
        cycle,
        set_aside: relaxations
            .iter()
            .min_by_key(|r| (r.days, r.demand))
            .map_or(iis[0], |r| r.demand),
        relaxations,
        splits,
    })
}

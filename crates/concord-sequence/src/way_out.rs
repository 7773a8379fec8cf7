//! The cheapest way out of a deadlock, exactly: the set of changes to the hard demands and the
//! steps that restores a plan at the least [`WayOutCost`], over the whole problem at once (not
//! conflict by conflict).
//!
//! A change is one of:
//! - loosening a hard demand by whole days (every bound of it, in every alternative, by the same
//!   days; a demand loosened far enough binds nothing, so dropping a demand is never cheaper than
//!   loosening it by the fewest days that do the same work);
//! - splitting a step that may be split into its two tranches, and re-attaching some of the hard
//!   demands on it reciprocally (where the step is what another step waits for, its first
//!   tranche delivers it; where the step waits, only its second tranche waits), exactly as the
//!   tranche splits of a conflict do.
//!
//! The cost is lexicographic ([`WayOutCost`]): fewest days of loosening in total, then fewest
//! hard demands changed (loosened or re-attached), then fewest steps split; among ways out of
//! equal cost, the best plan after them (least cost of broken soft demands, then shortest).
//!
//! The method is one mixed-integer program (microlp) over the whole problem, solved in four
//! lexicographic phases. Variables: the start of every step; per step that may be split a binary
//! "split" and the start of its second tranche (when not split, the second tranche is the rest of
//! the step's work, starting the day the first part's work ends, so the step is unchanged); per
//! hard demand its days of loosening (an integer) and a binary "changed"; per split step and hard
//! demand naming it a binary "re-attached"; per alternative of a choice a binary; per soft demand
//! its slack or its binary "broken". Each bound whose events depend on a re-attachment is stated
//! in both forms, each switched off by a big-M term unless its binaries select it. The solver's
//! answer fixes the changes; the problem is then changed in integers and solved again by the
//! exact solvers of [`crate::solve`], and the changes are checked to restore every hard demand.
//!
//! Why the search box loses nothing: for any fixed set of changes, the least schedule is no
//! worse, and its starts are longest simple paths from day 0, bounded by the sum of the positive
//! edge weights any set of changes can produce (loosening only lowers weights).

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use crate::model::{Anchor, Bound, DemandIx, Point, StepIx, Strength};
use crate::solve::{solve_milp, Compiled, SolveError};

/// What a way out costs, compared field by field in this order (the derived order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WayOutCost {
    /// Total days by which hard demands are loosened.
    pub days: i64,
    /// Hard demands changed: loosened, or re-attached to a tranche of a split step.
    pub changes: usize,
    /// Steps split into two tranches.
    pub splits: usize,
}

/// A step split into two tranches by a way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitChange {
    /// The step.
    pub step: StepIx,
    /// Days of work of the first tranche ([`crate::model::Step::first_tranche`]).
    pub first_days: i64,
    /// The hard demands re-attached reciprocally, in problem order; every other demand binds
    /// the whole step.
    pub attached: Vec<DemandIx>,
}

/// A set of changes to a problem: hard demands loosened and steps split.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// Each hard demand loosened, by how many days (at least 1), in problem order.
    pub relax: Vec<(DemandIx, i64)>,
    /// Each step split, in step order.
    pub splits: Vec<SplitChange>,
}

impl Changes {
    /// The cost of these changes.
    pub fn cost(&self) -> WayOutCost {
        let mut changed: Vec<DemandIx> = self.relax.iter().map(|r| r.0).collect();
        changed.extend(self.splits.iter().flat_map(|s| s.attached.iter().copied()));
        changed.sort_unstable();
        changed.dedup();
        WayOutCost {
            days: self.relax.iter().map(|r| r.1).sum(),
            changes: changed.len(),
            splits: self.splits.len(),
        }
    }

    /// The problem with these changes made: demands loosened, then steps split in order (the
    /// second tranche of the k-th split is step `steps + k`).
    pub(crate) fn apply(&self, c: &Compiled) -> Compiled {
        let mut out = c.clone();
        for &(d, days) in &self.relax {
            out = out.relaxed(d, days);
        }
        for s in &self.splits {
            out = out.split(s.step, s.first_days, &s.attached).0;
        }
        out
    }
}

/// An affine expression of the MILP's variables: terms and a constant.
type Affine = (Vec<(Variable, f64)>, i64);

/// Which lexicographic phase a solve is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Days,
    Changes,
    Cost,
    Duration,
}

/// The optimal values of the phases solved so far, as caps for the next.
#[derive(Debug, Clone, Copy, Default)]
struct Caps {
    days: Option<i64>,
    changes: Option<i64>,
    cost: Option<u64>,
}

/// The split candidates: every step that may be split, with its first tranche's days.
struct Candidate {
    step: StepIx,
    first: i64,
}

/// The cheapest way out of the hard demands' deadlock in `c` (a problem as compiled, before any
/// split), where the steps of `splittable` may be split with the given first tranches. `None`
/// when the hard demands already hold together.
pub(crate) fn cheapest(
    c: &Compiled,
    splittable: &[(StepIx, i64)],
    node_limit: u64,
) -> Result<Option<Changes>, SolveError> {
    let hard = c.hard();
    if c.feasible(&hard, None).is_some() {
        return Ok(None);
    }
    let candidates: Vec<Candidate> = splittable
        .iter()
        .map(|&(step, first)| Candidate { step, first })
        .collect();
    let mut caps = Caps::default();
    let has_soft = c.demands.iter().any(|d| !d.strength.is_hard());
    let mut last = None;
    for phase in [Phase::Days, Phase::Changes, Phase::Cost, Phase::Duration] {
        if phase == Phase::Cost && !has_soft {
            caps.cost = Some(0);
            continue;
        }
        let (value, solution) = solve_phase(c, &candidates, phase, caps, node_limit)?;
        match phase {
            Phase::Days => caps.days = Some(value.round() as i64),
            Phase::Changes => caps.changes = Some(value.round() as i64),
            Phase::Cost => caps.cost = Some(value.round().max(0.0) as u64),
            Phase::Duration => {}
        }
        last = Some(solution);
    }
    let Some(changes) = last else {
        return Err(SolveError::Solver(
            "no phase of the way out was solved".into(),
        ));
    };
    // The solver's answer, checked in integers: the changes restore every hard demand, and they
    // cost what the first phases found to be least.
    let changed = changes.apply(c);
    if changed.feasible(&hard, None).is_none() {
        return Err(SolveError::Solver(
            "the way out the solver found does not restore a plan".into(),
        ));
    }
    let cost = changes.cost();
    let weight = candidates.len() as i64 + 1;
    if Some(cost.days) != caps.days
        || Some(cost.changes as i64 * weight + cost.splits as i64) != caps.changes
    {
        return Err(SolveError::Solver(format!(
            "the way out the solver found costs {cost:?}, not the optimum it proved"
        )));
    }
    Ok(Some(changes))
}

/// One phase: its optimal objective value and the changes of its optimal point.
fn solve_phase(
    c: &Compiled,
    candidates: &[Candidate],
    phase: Phase,
    caps: Caps,
    node_limit: u64,
) -> Result<(f64, Changes), SolveError> {
    let n = c.steps();
    let cand_of: Vec<Option<usize>> = (0..n)
        .map(|s| candidates.iter().position(|k| k.step == s))
        .collect();
    let span_max = (0..n).map(|s| c.span(s)).max().unwrap_or(0);
    // The search box: see the module documentation.
    let mut horizon: i64 = candidates.iter().map(|k| c.span(k.step)).sum();
    let mut min_abs = 0i64;
    let every_bound = c
        .demands
        .iter()
        .flat_map(|d| d.alternatives.iter().flatten())
        .chain(c.fixed.iter());
    for b in every_bound {
        let off = match b.earlier {
            Anchor::Event(s, Point::Done) => c.span(s),
            _ => 0,
        };
        horizon += (b.min + off).max(0);
        min_abs = min_abs.max(b.min.abs());
    }
    let big = horizon + 2 * span_max + min_abs + 1;
    let big_m = big as f64;
    let to_i32 = |v: i64| {
        i32::try_from(v)
            .map_err(|_| SolveError::Solver("the problem exceeds the solver's range".into()))
    };
    let r_max = to_i32(big)?;
    let (h, s2_max) = (horizon as f64, (horizon + span_max) as f64);

    let mut p = Problem::new(OptimizationDirection::Minimize);
    let weight = candidates.len() as f64 + 1.0;
    let obj = |ph: Phase, w: f64| if phase == ph { w } else { 0.0 };
    // Starts are continuous: once the integers (days of loosening, slacks) and the binaries are
    // fixed, what is left is a system of difference constraints with whole-number weights, which
    // has a solution in whole days exactly when it has one in real days, and whose least
    // makespan is a longest path, a whole number. So the branch and bound need never branch on a
    // start, and every phase's optimum is the whole-day optimum.
    let starts: Vec<Variable> = (0..n).map(|_| p.add_var(0.0, (0.0, h))).collect();
    let split: Vec<Variable> = candidates
        .iter()
        .map(|_| p.add_binary_var(obj(Phase::Changes, 1.0)))
        .collect();
    let second: Vec<Variable> = candidates
        .iter()
        .map(|_| p.add_var(0.0, (0.0, s2_max)))
        .collect();
    // The tranches: the second starts once the first is done when split, and right where the
    // first part's work ends when not.
    for (k, cand) in candidates.iter().enumerate() {
        let v = c.verifications[cand.step] as f64;
        let (s1, s2, x) = (starts[cand.step], second[k], split[k]);
        p.add_constraint(
            [(s2, 1.0), (s1, -1.0), (x, -v)],
            ComparisonOp::Ge,
            cand.first as f64,
        );
        p.add_constraint(
            [(s2, 1.0), (s1, -1.0), (x, -big_m)],
            ComparisonOp::Le,
            cand.first as f64,
        );
    }
    // The day of an event: reattached (for a demand re-attached to the tranches) or whole.
    let event = |a: Anchor, later: bool, reattached: bool| -> Affine {
        match a {
            Anchor::DayZero => (Vec::new(), 0),
            Anchor::Event(s, point) => match cand_of[s] {
                None => (
                    vec![(starts[s], 1.0)],
                    if point == Point::Done { c.span(s) } else { 0 },
                ),
                Some(k) => {
                    let cand = &candidates[k];
                    let v = c.verifications[s];
                    let rest = c.durations[s] - cand.first;
                    match (point, later, reattached) {
                        // The first tranche delivers what others wait for.
                        (Point::Done, false, true) => (vec![(starts[s], 1.0)], cand.first + v),
                        // Only the second tranche waits.
                        (Point::Start, true, true) => (vec![(second[k], 1.0)], 0),
                        (Point::Start, _, _) => (vec![(starts[s], 1.0)], 0),
                        (Point::Done, _, _) => (vec![(second[k], 1.0)], rest + v),
                    }
                }
            },
        }
    };
    // Whether re-attaching changes this end of the bound: only where the step may be split, the
    // bound is not against the calendar, and the event is one a tranche changes.
    let reattachable = |b: &Bound, later: bool| -> Option<usize> {
        if b.earlier == Anchor::DayZero || b.later == Anchor::DayZero {
            return None;
        }
        let (a, want) = if later {
            (b.later, Point::Start)
        } else {
            (b.earlier, Point::Done)
        };
        match a {
            Anchor::Event(s, point) if point == want => cand_of[s],
            _ => None,
        }
    };

    let mut relax: Vec<Option<Variable>> = vec![None; c.demands.len()];
    let mut attach: Vec<Vec<(DemandIx, Variable)>> = vec![Vec::new(); candidates.len()];
    let mut days_terms: Vec<(Variable, f64)> = Vec::new();
    let mut change_terms: Vec<(Variable, f64)> = Vec::new();
    let mut cost_terms: Vec<(Variable, f64)> = Vec::new();
    for (d, cd) in c.demands.iter().enumerate() {
        // Per demand: the extra terms every bound of it carries (loosening, slack) and, for a
        // choice, the binary of each alternative.
        let mut extra: Vec<(Variable, f64)> = Vec::new();
        let mut pick: Vec<(Variable, f64)> = Vec::new();
        let hard = cd.strength.is_hard();
        if hard {
            let r = p.add_integer_var(obj(Phase::Days, 1.0), (0, r_max));
            let changed = p.add_binary_var(obj(Phase::Changes, weight));
            p.add_constraint([(r, 1.0), (changed, -big_m)], ComparisonOp::Le, 0.0);
            relax[d] = Some(r);
            days_terms.push((r, 1.0));
            change_terms.push((changed, weight));
            extra.push((r, 1.0));
            // The re-attachment binaries of the split steps this demand relates to others.
            for b in cd.alternatives.iter().flatten() {
                for later in [false, true] {
                    if let Some(k) = reattachable(b, later) {
                        if attach[k].iter().all(|&(e, _)| e != d) {
                            let t = p.add_binary_var(0.0);
                            p.add_constraint([(t, 1.0), (changed, -1.0)], ComparisonOp::Le, 0.0);
                            p.add_constraint([(t, 1.0), (split[k], -1.0)], ComparisonOp::Le, 0.0);
                            attach[k].push((d, t));
                        }
                    }
                }
            }
        } else if cd.alternatives.len() == 1 {
            match cd.strength {
                Strength::PerDay(cost) => {
                    let v = p.add_integer_var(obj(Phase::Cost, cost as f64), (0, r_max));
                    cost_terms.push((v, cost as f64));
                    extra.push((v, 1.0));
                }
                Strength::Flat(cost) => {
                    let z = p.add_binary_var(obj(Phase::Cost, cost as f64));
                    cost_terms.push((z, cost as f64));
                    extra.push((z, big_m));
                }
                Strength::Hard => {}
            }
        } else if let Strength::Flat(cost) = cd.strength {
            let z = p.add_binary_var(obj(Phase::Cost, cost as f64));
            cost_terms.push((z, cost as f64));
            pick.push((z, 1.0));
        } else if !hard {
            return Err(SolveError::Solver(
                "a choice priced per day reached the solver".into(),
            ));
        }
        let choice = cd.alternatives.len() > 1;
        for alt in &cd.alternatives {
            let y = if choice {
                let y = p.add_binary_var(0.0);
                pick.push((y, 1.0));
                Some(y)
            } else {
                None
            };
            for b in alt {
                let ends: Vec<(bool, Option<Variable>)> = [false, true]
                    .into_iter()
                    .map(|later| {
                        let t = reattachable(b, later)
                            .filter(|_| hard)
                            .and_then(|k| attach[k].iter().find(|&&(e, _)| e == d).map(|e| e.1));
                        (later, t)
                    })
                    .collect();
                // Every combination of the two ends' forms; a form is switched off unless the
                // re-attachment binaries select it.
                let forms = |t: Option<Variable>| -> Vec<bool> {
                    if t.is_some() {
                        vec![false, true]
                    } else {
                        vec![false]
                    }
                };
                for re_e in forms(ends[0].1) {
                    for re_l in forms(ends[1].1) {
                        let (te, ce) = event(b.earlier, false, re_e);
                        let (tl, cl) = event(b.later, true, re_l);
                        let mut terms: Vec<(Variable, f64)> = tl;
                        terms.extend(te.into_iter().map(|(v, w)| (v, -w)));
                        let mut rhs = (b.min - cl + ce) as f64;
                        for (t, re) in [(ends[0].1, re_e), (ends[1].1, re_l)] {
                            if let Some(t) = t {
                                if re {
                                    terms.push((t, -big_m));
                                    rhs -= big_m;
                                } else {
                                    terms.push((t, big_m));
                                }
                            }
                        }
                        if let Some(y) = y {
                            terms.push((y, -big_m));
                            rhs -= big_m;
                        }
                        terms.extend_from_slice(&extra);
                        if terms.is_empty() {
                            if rhs > 0.0 {
                                return Err(SolveError::Solver(
                                    "a bound of a step on itself".into(),
                                ));
                            }
                            continue;
                        }
                        p.add_constraint(terms, ComparisonOp::Ge, rhs);
                    }
                }
            }
        }
        if !pick.is_empty() {
            p.add_constraint(pick, ComparisonOp::Ge, 1.0);
        }
    }
    for b in &c.fixed {
        let (te, ce) = event(b.earlier, false, false);
        let (mut terms, cl) = event(b.later, true, false);
        terms.extend(te.into_iter().map(|(v, w)| (v, -w)));
        if !terms.is_empty() {
            p.add_constraint(terms, ComparisonOp::Ge, (b.min - cl + ce) as f64);
        }
    }
    let makespan = p.add_var(obj(Phase::Duration, 1.0), (0.0, f64::INFINITY));
    for s in 0..n {
        let (terms, off) = event(Anchor::Event(s, Point::Done), true, false);
        let mut terms: Vec<(Variable, f64)> = terms.into_iter().map(|(v, w)| (v, -w)).collect();
        terms.push((makespan, 1.0));
        p.add_constraint(terms, ComparisonOp::Ge, off as f64);
    }
    if let Some(days) = caps.days {
        p.add_constraint(days_terms, ComparisonOp::Le, days as f64 + 0.5);
    }
    if let Some(changes) = caps.changes {
        let mut terms = change_terms;
        terms.extend(split.iter().map(|&x| (x, 1.0)));
        p.add_constraint(terms, ComparisonOp::Le, changes as f64 + 0.5);
    }
    if let (Some(cost), false) = (caps.cost, cost_terms.is_empty()) {
        p.add_constraint(cost_terms, ComparisonOp::Le, cost as f64 + 0.5);
    }

    let search = match phase {
        Phase::Days => "way out: days",
        Phase::Changes => "way out: changes",
        Phase::Cost => "way out: cost",
        Phase::Duration => "way out: plan",
    };
    let solution = solve_milp(&p, node_limit, &c.stop, &c.progress, search)?;
    let int = |v: Variable| solution.var_value_raw(v).round() as i64;
    let mut changes = Changes::default();
    for (d, r) in relax.iter().enumerate() {
        if let Some(r) = *r {
            let days = int(r);
            if days > 0 {
                changes.relax.push((d, days));
            }
        }
    }
    for (k, cand) in candidates.iter().enumerate() {
        if int(split[k]) == 1 {
            let mut attached: Vec<DemandIx> = attach[k]
                .iter()
                .filter(|&&(_, t)| int(t) == 1)
                .map(|&(d, _)| d)
                .collect();
            attached.sort_unstable();
            changes.splits.push(SplitChange {
                step: cand.step,
                first_days: cand.first,
                attached,
            });
        }
    }
    Ok((solution.objective(), changes))
}

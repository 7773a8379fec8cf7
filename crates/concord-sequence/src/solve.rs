//! The exact solvers: feasibility of the hard demands (difference constraints, with a complete
//! search over the alternatives of choices) and the lexicographic optimum (least cost of broken
//! soft demands, then the shortest plan), by MILP where soft demands or choices make it needed.
//!
//! Every schedule returned is *canonical*: once the optimum's configuration is known (which
//! alternative of each choice holds, which flat-cost demands are broken and by how many days each
//! per-day demand is broken), the schedule is recomputed in integers as the least solution of that
//! configuration by Bellman-Ford. It is at least as good on both criteria as the MILP's own point,
//! it is verified against every hard demand in integers, and it starts every step as early as the
//! configuration allows, so that phases and critical paths do not depend on the MILP's floats.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use microlp::{
    ComparisonOp, OptimizationDirection, Problem, ResumeOptions, Solution, SolveOptions, Variable,
};

use crate::graph::{longest_paths, Edge, Longest};
use crate::model::{Anchor, Bound, DemandIx, Point, SequenceProblem, StepIx, Strength};

/// Why an optimum could not be computed; none of these is the user's doing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SolveError {
    /// The MILP search reached its node limit before proving the optimum.
    #[error("the exact search gave up after {0} branch-and-bound nodes; the problem is too large to solve exactly")]
    TooLarge(u64),
    /// The MILP solver failed, or returned a point that is not a valid schedule.
    #[error("the MILP solver failed: {0}")]
    Solver(String),
    /// The caller's stop flag was set ([`Stop`]).
    #[error("stopped before the exact search finished")]
    Stopped,
}

/// A value the caller shares with the searches (a stop flag, a callback), or none; two are
/// equal when they share the same value, so that configurations holding one still compare.
pub(crate) struct Shared<T: ?Sized>(Option<Arc<T>>);

impl<T: ?Sized> Default for Shared<T> {
    fn default() -> Self {
        Shared(None)
    }
}

impl<T: ?Sized> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T: ?Sized> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl<T: ?Sized> Eq for Shared<T> {}

impl<T: ?Sized> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "some" } else { "none" })
    }
}

/// A stop flag the MILP searches poll every [`NODES_BETWEEN_POLLS`] branch-and-bound nodes
/// (the caller's cancellation: Ctrl-C, a closed request).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stop(Shared<AtomicBool>);

impl Stop {
    /// A stop that polls `flag`.
    pub fn new(flag: Arc<AtomicBool>) -> Self {
        Stop(Shared(Some(flag)))
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.0
             .0
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

/// A progress callback of the MILP searches, called between rounds of
/// [`NODES_BETWEEN_POLLS`] nodes with the search's name, the nodes done and its node limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeProgress(Shared<ProgressFn>);

/// The callback of [`NodeProgress`]: (the search, nodes done, node limit).
type ProgressFn = dyn Fn(&str, u64, u64) + Send + Sync;

impl NodeProgress {
    /// Progress reported to `f`.
    pub fn new(f: impl Fn(&str, u64, u64) + Send + Sync + 'static) -> Self {
        NodeProgress(Shared(Some(Arc::new(f))))
    }

    fn report(&self, search: &str, done: u64, limit: u64) {
        if let Some(f) = &self.0 .0 {
            f(search, done, limit);
        }
    }
}

/// How many branch-and-bound nodes a MILP search runs between two looks at the stop flag: a
/// node of a 30-step cycle's way out takes about a millisecond (bench/RESULTS.md), so a stop is
/// seen within a fraction of a second there (0.04 s measured after SIGINT).
pub const NODES_BETWEEN_POLLS: u64 = 200;

/// Solves `p` to proven optimality in at most `node_limit` branch-and-bound nodes, polling
/// `stop` between rounds of [`NODES_BETWEEN_POLLS`] nodes and reporting the nodes done to
/// `progress` under the name `search`. The search is resumed where it stopped (microlp keeps its
/// tree), so the answer is the one a single call would give.
pub(crate) fn solve_milp(
    p: &Problem,
    node_limit: u64,
    stop: &Stop,
    progress: &NodeProgress,
    search: &str,
) -> Result<Solution, SolveError> {
    let failed = |e: microlp::Error| SolveError::Solver(e.to_string());
    let round = |done: u64| NODES_BETWEEN_POLLS.min(node_limit.saturating_sub(done));
    let mut options = SolveOptions::default();
    options.node_limit = Some(round(0));
    let mut outcome = p.solve_with(options).map_err(failed)?;
    loop {
        if outcome.is_optimal() {
            return outcome
                .into_solution()
                .map_err(|_| SolveError::Solver("an optimal outcome without a solution".into()));
        }
        if outcome.termination_reason() != microlp::TerminationReason::NodeLimit {
            return Err(SolveError::Solver(format!(
                "the search stopped early ({:?})",
                outcome.termination_reason()
            )));
        }
        if outcome.stats().nodes_solved >= node_limit {
            return Err(SolveError::TooLarge(node_limit));
        }
        if stop.is_set() {
            return Err(SolveError::Stopped);
        }
        progress.report(search, outcome.stats().nodes_solved, node_limit);
        let mut resume = ResumeOptions::default();
        resume.node_limit = Some(round(outcome.stats().nodes_solved));
        outcome = outcome.resume_with(resume).map_err(failed)?;
    }
}

/// What an edge of the constraint graph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// No step starts before day 0.
    DayZero,
    /// A demand.
    Demand(DemandIx),
    /// The second tranche of a split step starts after the first is done.
    TrancheOrder,
}

/// A demand reduced to its bounds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CDemand {
    pub alternatives: Vec<Vec<Bound>>,
    pub strength: Strength,
}

/// A problem reduced to steps' lengths and demands' bounds: what the solvers work on. Splitting a
/// step into tranches is done on this form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Compiled {
    pub durations: Vec<i64>,
    pub verifications: Vec<i64>,
    pub demands: Vec<CDemand>,
    /// Bounds that always hold (the order of two tranches).
    pub fixed: Vec<Bound>,
    /// The MILP's node limit.
    pub node_limit: u64,
    /// The caller's stop flag, polled by the MILP searches.
    pub stop: Stop,
    /// Where the MILP searches report their nodes.
    pub progress: NodeProgress,
}

/// A canonical schedule with the edges that explain it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Solved {
    pub starts: Vec<i64>,
    /// For each step, the cause and the node (`None`: day 0) of the edge that sets its start.
    pub set_by: Vec<(Cause, Option<StepIx>)>,
    /// Each soft demand broken, by how many days (at least 1), and its cost.
    pub broken: Vec<(DemandIx, i64, u64)>,
}

impl Compiled {
    pub fn new(problem: &SequenceProblem, node_limit: u64) -> Self {
        Compiled {
            durations: problem.steps.iter().map(|s| s.duration).collect(),
            verifications: problem
                .steps
                .iter()
                .map(|s| s.verification.as_ref().map_or(0, |v| v.days))
                .collect(),
            demands: problem
                .demands
                .iter()
                .map(|d| CDemand {
                    alternatives: d.rule.alternatives(),
                    strength: d.strength,
                })
                .collect(),
            fixed: Vec::new(),
            node_limit,
            stop: Stop::default(),
            progress: NodeProgress::default(),
        }
    }

    pub fn steps(&self) -> usize {
        self.durations.len()
    }

    pub fn span(&self, s: StepIx) -> i64 {
        self.durations[s] + self.verifications[s]
    }

    /// The day an anchor falls on, given the steps' starts.
    pub fn at(&self, a: Anchor, starts: &[i64]) -> i64 {
        match a {
            Anchor::DayZero => 0,
            Anchor::Event(s, Point::Start) => starts[s],
            Anchor::Event(s, Point::Done) => starts[s] + self.span(s),
        }
    }

    /// By how many days a bound is broken (0 when it holds).
    pub fn deficit(&self, b: &Bound, starts: &[i64]) -> i64 {
        (b.min - (self.at(b.later, starts) - self.at(b.earlier, starts))).max(0)
    }

    /// By how many days a demand is broken: the least, over its alternatives, of the largest
    /// deficit of the alternative's bounds.
    pub fn violation(&self, d: DemandIx, starts: &[i64]) -> i64 {
        self.demands[d]
            .alternatives
            .iter()
            .map(|alt| {
                alt.iter()
                    .map(|b| self.deficit(b, starts))
                    .max()
                    .unwrap_or(0)
            })
            .min()
            .unwrap_or(0)
    }

    /// The cost of a schedule: the soft demands it breaks.
    pub fn cost(&self, starts: &[i64]) -> u64 {
        self.broken(starts).iter().map(|b| b.2).sum()
    }

    /// The soft demands a schedule breaks, by how many days, at what cost.
    pub fn broken(&self, starts: &[i64]) -> Vec<(DemandIx, i64, u64)> {
        let mut out = Vec::new();
        for (d, cd) in self.demands.iter().enumerate() {
            let v = self.violation(d, starts);
            if v == 0 {
                continue;
            }
            let cost = match cd.strength {
                Strength::Hard => 0,
                // v ≤ 2 * MAX_DAYS * steps and cost ≤ MAX_COST: far inside u64.
                Strength::PerDay(c) => c * v as u64,
                Strength::Flat(c) => c,
            };
            out.push((d, v, cost));
        }
        out
    }

    /// The graph edge of a bound loosened by `relax` days. Node `steps()` is day 0.
    pub(crate) fn edge(&self, b: &Bound, relax: i64, tag: Cause) -> Edge<Cause> {
        let origin = self.steps();
        let (from, off_from) = self.node(b.earlier, origin);
        let (to, off_to) = self.node(b.later, origin);
        Edge {
            from,
            to,
            weight: b.min - relax + off_from - off_to,
            tag,
        }
    }

    fn node(&self, a: Anchor, origin: usize) -> (usize, i64) {
        match a {
            Anchor::DayZero => (origin, 0),
            Anchor::Event(s, Point::Start) => (s, 0),
            Anchor::Event(s, Point::Done) => (s, self.span(s)),
        }
    }

    /// Edges that always hold: no step before day 0, and the fixed bounds.
    fn base_edges(&self) -> Vec<Edge<Cause>> {
        let origin = self.steps();
        let mut edges: Vec<Edge<Cause>> = (0..self.steps())
            .map(|s| Edge {
                from: origin,
                to: s,
                weight: 0,
                tag: Cause::DayZero,
            })
            .collect();
        edges.extend(
            self.fixed
                .iter()
                .map(|b| self.edge(b, 0, Cause::TrancheOrder)),
        );
        edges
    }

    /// An upper bound on every start of a canonical schedule: the sum of the positive weights of
    /// all edges any configuration can use. A least solution is a longest simple path from day
    /// 0, so it never exceeds this.
    pub fn horizon(&self) -> i64 {
        let mut total: i64 = self.base_edges().iter().map(|e| e.weight.max(0)).sum();
        for (d, cd) in self.demands.iter().enumerate() {
            for alt in &cd.alternatives {
                for b in alt {
                    total += self.edge(b, 0, Cause::Demand(d)).weight.max(0);
                }
            }
        }
        total
    }

    /// The least schedule meeting the given bounds (each loosened by its own number of days), or
    /// the edges of a positive cycle among them.
    fn least(&self, chosen: &[(DemandIx, &[Bound], i64)]) -> (Vec<Edge<Cause>>, Longest) {
        let mut edges = self.base_edges();
        for &(d, bounds, relax) in chosen {
            for b in bounds {
                edges.push(self.edge(b, relax, Cause::Demand(d)));
            }
        }
        let result = longest_paths(self.steps() + 1, self.steps(), &edges);
        (edges, result)
    }

    /// Whether the demands `set`, all taken as hard, can hold together (with demand `relax.0`
    /// loosened by `relax.1` days); returns a schedule that meets them. Exact: a depth-first
    /// search over the alternatives of every choice, each node checked by Bellman-Ford; a node
    /// whose least schedule already meets the remaining choices ends the search.
    pub fn feasible(&self, set: &[DemandIx], relax: Option<(DemandIx, i64)>) -> Option<Vec<i64>> {
        let relax_of = |d: DemandIx| relax.filter(|r| r.0 == d).map_or(0, |r| r.1);
        let mut fixed: Vec<(DemandIx, &[Bound], i64)> = Vec::new();
        let mut choices: Vec<DemandIx> = Vec::new();
        for &d in set {
            let alts = &self.demands[d].alternatives;
            if alts.len() == 1 {
                fixed.push((d, &alts[0], relax_of(d)));
            } else {
                choices.push(d);
            }
        }
        self.search(&mut fixed, &choices, &relax_of)
    }

    fn search<'a>(
        &'a self,
        chosen: &mut Vec<(DemandIx, &'a [Bound], i64)>,
        choices: &[DemandIx],
        relax_of: &dyn Fn(DemandIx) -> i64,
    ) -> Option<Vec<i64>> {
        let (_, result) = self.least(chosen);
        let Longest::Feasible { dist, .. } = result else {
            return None;
        };
        let starts = dist[..self.steps()].to_vec();
        let open: Vec<DemandIx> = choices
            .iter()
            .copied()
            .filter(|&d| {
                let r = relax_of(d);
                !self.demands[d].alternatives.iter().any(|alt| {
                    alt.iter().all(|b| {
                        self.deficit(
                            &Bound {
                                min: b.min - r,
                                ..*b
                            },
                            &starts,
                        ) == 0
                    })
                })
            })
            .collect();
        let Some(&d) = open.first() else {
            return Some(starts);
        };
        // Every other undecided choice stays undecided: the bounds of `d`'s alternative move the
        // least schedule, so a choice it met here may be broken below.
        let rest: Vec<DemandIx> = choices.iter().copied().filter(|&e| e != d).collect();
        for alt in &self.demands[d].alternatives {
            chosen.push((d, alt, relax_of(d)));
            let found = self.search(chosen, &rest, relax_of);
            chosen.pop();
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// The hard demands.
    pub fn hard(&self) -> Vec<DemandIx> {
        (0..self.demands.len())
            .filter(|&d| self.demands[d].strength.is_hard())
            .collect()
    }

    /// The lexicographic optimum: least cost of broken soft demands, then shortest plan, as a
    /// canonical schedule; `Ok(None)` when the hard demands cannot hold together.
    pub fn optimize(&self) -> Result<Option<Solved>, SolveError> {
        let hard = self.hard();
        let Some(witness) = self.feasible(&hard, None) else {
            return Ok(None);
        };
        let simple = self
            .demands
            .iter()
            .all(|d| d.strength.is_hard() && d.alternatives.len() == 1);
        let point = if simple {
            witness
        } else {
            self.milp_optimum()?
        };
        self.canonical(&point).map(Some)
    }

    /// The least schedule of the configuration `point` realises: see the module documentation.
    pub fn canonical(&self, point: &[i64]) -> Result<Solved, SolveError> {
        let mut chosen: Vec<(DemandIx, &[Bound], i64)> = Vec::new();
        for (d, cd) in self.demands.iter().enumerate() {
            let holding = cd
                .alternatives
                .iter()
                .find(|alt| alt.iter().all(|b| self.deficit(b, point) == 0));
            match (cd.strength, holding) {
                (_, Some(alt)) => chosen.push((d, alt, 0)),
                (Strength::Hard, None) => {
                    return Err(SolveError::Solver(format!(
                        "the solver's schedule breaks hard demand {d}"
                    )))
                }
                (Strength::PerDay(_), None) => {
                    chosen.push((d, &cd.alternatives[0], self.violation(d, point)))
                }
                (Strength::Flat(_), None) => {}
            }
        }
        let (edges, result) = self.least(&chosen);
        let Longest::Feasible { dist, pred } = result else {
            return Err(SolveError::Solver(
                "the solver's configuration is infeasible".into(),
            ));
        };
        let starts = dist[..self.steps()].to_vec();
        let set_by = (0..self.steps())
            .map(|s| {
                let e = &edges[pred[s].expect("every step is reachable from day 0")];
                let from = (e.from < self.steps()).then_some(e.from);
                (e.tag, from)
            })
            .collect();
        Ok(Solved {
            broken: self.broken(&starts),
            starts,
            set_by,
        })
    }

    /// The MILP optimum (a schedule, not yet canonical), in two phases: least cost, then the
    /// shortest plan among schedules of that cost.
    fn milp_optimum(&self) -> Result<Vec<i64>, SolveError> {
        if self.demands.iter().all(|d| d.strength.is_hard()) {
            // Nothing to pay for: only the shortest plan is sought.
            return self.milp(Some(0));
        }
        let first = self.milp(None)?;
        self.milp(Some(self.cost(&first)))
    }

    /// One MILP solve. `None`: minimise the cost of broken soft demands; `Some(cap)`: minimise
    /// the makespan among schedules costing at most `cap`.
    fn milp(&self, cap: Option<u64>) -> Result<Vec<i64>, SolveError> {
        let n = self.steps();
        let horizon = self.horizon();
        let max_weight = {
            let mut m = 0i64;
            for (d, cd) in self.demands.iter().enumerate() {
                for alt in &cd.alternatives {
                    for b in alt {
                        m = m.max(self.edge(b, 0, Cause::Demand(d)).weight.abs());
                    }
                }
            }
            m
        };
        // s_v - s_u lies in [-horizon, horizon]; big_m makes any bound vacuous.
        let big_m = (horizon + max_weight + 1) as f64;
        let upper = i32::try_from(horizon)
            .map_err(|_| SolveError::Solver("the horizon exceeds the solver's range".into()))?;
        let phase1 = cap.is_none();
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let s: Vec<Variable> = (0..n).map(|_| p.add_integer_var(0.0, (0, upper))).collect();
        let makespan = p.add_var(if phase1 { 0.0 } else { 1.0 }, (0.0, f64::INFINITY));
        for (i, &si) in s.iter().enumerate() {
            p.add_constraint(
                [(makespan, 1.0), (si, -1.0)],
                ComparisonOp::Ge,
                self.span(i) as f64,
            );
        }
        let origin = n;
        // The expression x_later - x_earlier of a bound, as terms, and its right-hand side.
        let lhs = |b: &Bound| -> (Vec<(Variable, f64)>, f64) {
            let e = self.edge(b, 0, Cause::DayZero);
            let mut terms: Vec<(Variable, f64)> = Vec::new();
            if e.to != e.from {
                if e.to != origin {
                    terms.push((s[e.to], 1.0));
                }
                if e.from != origin {
                    terms.push((s[e.from], -1.0));
                }
            }
            (terms, e.weight as f64)
        };
        let constrain = |p: &mut Problem,
                         b: &Bound,
                         extra: &[(Variable, f64)],
                         shift: f64|
         -> Result<(), SolveError> {
            let (mut terms, rhs) = lhs(b);
            terms.extend_from_slice(extra);
            if terms.is_empty() {
                return if rhs + shift <= 0.0 {
                    Ok(())
                } else {
                    Err(SolveError::Solver("a bound of a step on itself".into()))
                };
            }
            p.add_constraint(terms, ComparisonOp::Ge, rhs + shift);
            Ok(())
        };
        for b in &self.fixed {
            constrain(&mut p, b, &[], 0.0)?;
        }
        let mut cost_terms: Vec<(Variable, f64)> = Vec::new();
        for cd in &self.demands {
            match (cd.strength, cd.alternatives.len()) {
                (Strength::Hard, 1) => {
                    for b in &cd.alternatives[0] {
                        constrain(&mut p, b, &[], 0.0)?;
                    }
                }
                (Strength::PerDay(c), 1) => {
                    let v = p.add_var(if phase1 { c as f64 } else { 0.0 }, (0.0, big_m));
                    cost_terms.push((v, c as f64));
                    for b in &cd.alternatives[0] {
                        constrain(&mut p, b, &[(v, 1.0)], 0.0)?;
                    }
                }
                (Strength::Flat(c), 1) => {
                    let z = p.add_binary_var(if phase1 { c as f64 } else { 0.0 });
                    cost_terms.push((z, c as f64));
                    for b in &cd.alternatives[0] {
                        constrain(&mut p, b, &[(z, big_m)], 0.0)?;
                    }
                }
                (strength, _) => {
                    let mut pick: Vec<(Variable, f64)> = Vec::new();
                    if let Strength::Flat(c) = strength {
                        let z = p.add_binary_var(if phase1 { c as f64 } else { 0.0 });
                        cost_terms.push((z, c as f64));
                        pick.push((z, 1.0));
                    } else if !strength.is_hard() {
                        return Err(SolveError::Solver(
                            "a choice priced per day reached the solver".into(),
                        ));
                    }
                    for alt in &cd.alternatives {
                        let y = p.add_binary_var(0.0);
                        pick.push((y, 1.0));
                        for b in alt {
                            constrain(&mut p, b, &[(y, -big_m)], -big_m)?;
                        }
                    }
                    p.add_constraint(pick, ComparisonOp::Ge, 1.0);
                }
            }
        }
        if let Some(cap) = cap {
            if !cost_terms.is_empty() {
                p.add_constraint(cost_terms, ComparisonOp::Le, cap as f64 + 0.5);
            }
        }
        let solution = solve_milp(
            &p,
            self.node_limit,
            &self.stop,
            &self.progress,
            "plan search",
        )?;
        let mut starts = Vec::with_capacity(n);
        for &v in &s {
            let raw = solution.var_value_raw(v);
            let rounded = raw.round();
            if (raw - rounded).abs() > 1e-6 {
                return Err(SolveError::Solver(format!(
                    "a start of {raw} is not a whole day"
                )));
            }
            starts.push(rounded as i64);
        }
        Ok(starts)
    }

    /// This problem with demand `d` loosened by `days` days in every bound.
    pub fn relaxed(&self, d: DemandIx, days: i64) -> Compiled {
        let mut out = self.clone();
        for alt in &mut out.demands[d].alternatives {
            for b in alt {
                b.min -= days;
            }
        }
        out
    }

    /// This problem with step `a` split into two tranches: `a` becomes the first tranche (its
    /// first `first` days of work) and a new last step the second (the rest); each is verified
    /// as the step was, and the second starts once the first is done. The demands in
    /// `reciprocal` (those of the conflict) are re-attached: where `a` is the earlier event of
    /// a bound (what another step waits for), the first tranche's event; where it is the later
    /// event (what waits), the second tranche's. Every other bound, and every bound against day
    /// 0, binds the whole step: its start is the first tranche's start, its end the second
    /// tranche's end. Returns, for each demand naming `a`, the tranches its bounds now bind.
    pub fn split(
        &self,
        a: StepIx,
        first: i64,
        reciprocal: &[DemandIx],
    ) -> (Compiled, Vec<(DemandIx, Vec<u8>)>) {
        let second = self.steps();
        let mut out = self.clone();
        out.durations[a] = first;
        out.durations.push(self.durations[a] - first);
        out.verifications.push(self.verifications[a]);
        let whole = |p: Point| match p {
            Point::Start => (a, 1u8),
            Point::Done => (second, 2u8),
        };
        let mut attached: Vec<(DemandIx, Vec<u8>)> = Vec::new();
        for (d, cd) in out.demands.iter_mut().enumerate() {
            let swapping = reciprocal.contains(&d);
            let mut tranches: Vec<u8> = Vec::new();
            for alt in &mut cd.alternatives {
                for b in alt.iter_mut() {
                    let calendar = b.earlier == Anchor::DayZero || b.later == Anchor::DayZero;
                    let reattach = swapping && !calendar;
                    if let Anchor::Event(s, p) = b.earlier {
                        if s == a {
                            let (step, t) = if reattach { (a, 1) } else { whole(p) };
                            b.earlier = Anchor::Event(step, p);
                            tranches.push(t);
                        }
                    }
                    if let Anchor::Event(s, p) = b.later {
                        if s == a {
                            let (step, t) = if reattach { (second, 2) } else { whole(p) };
                            b.later = Anchor::Event(step, p);
                            tranches.push(t);
                        }
                    }
                }
            }
            if !tranches.is_empty() {
                tranches.sort_unstable();
                tranches.dedup();
                attached.push((d, tranches));
            }
        }
        out.fixed.push(Bound {
            earlier: Anchor::Event(a, Point::Done),
            later: Anchor::Event(second, Point::Start),
            min: 0,
        });
        (out, attached)
    }

    /// The edges of a positive cycle among the bounds of the demands `set` (each with a single
    /// alternative), as (cause, earlier anchor, later anchor, least days) in cycle order; `None`
    /// when the set has choices or no such cycle.
    pub fn cycle(&self, set: &[DemandIx]) -> Option<Vec<(Cause, Bound)>> {
        let mut chosen: Vec<(DemandIx, &[Bound], i64)> = Vec::new();
        for &d in set {
            let alts = &self.demands[d].alternatives;
            if alts.len() != 1 {
                return None;
            }
            chosen.push((d, &alts[0], 0));
        }
        let mut tags: Vec<(Cause, Bound)> = Vec::new();
        // Rebuild the bound behind each edge in the order `least` lays them out.
        let origin_bound = |s: StepIx| Bound {
            earlier: Anchor::DayZero,
            later: Anchor::Event(s, Point::Start),
            min: 0,
        };
        for s in 0..self.steps() {
            tags.push((Cause::DayZero, origin_bound(s)));
        }
        for b in &self.fixed {
            tags.push((Cause::TrancheOrder, *b));
        }
        for &(d, alt, _) in &chosen {
            for b in alt {
                tags.push((Cause::Demand(d), *b));
            }
        }
        let (_, result) = self.least(&chosen);
        match result {
            Longest::Cycle(edges) => Some(edges.into_iter().map(|k| tags[k]).collect()),
            Longest::Feasible { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use concord_core::model::Provenance;

    fn step(duration: i64, verification: Option<i64>) -> Step {
        Step {
            id: "s".into(),
            name: "s".into(),
            parties: vec![],
            duration,
            verification: verification.map(|days| Verification { by: None, days }),
            split: Split::Never,
            provenance: Provenance::default(),
        }
    }

    fn hard(rule: Rule) -> Demand {
        Demand {
            id: "d".into(),
            party: 0,
            rule,
            strength: Strength::Hard,
            note: None,
            provenance: Provenance::default(),
        }
    }

    fn before(first: StepIx, then: StepIx) -> Rule {
        Rule::Before {
            first,
            then,
            relation: Relation::FinishToStart,
            min_gap: 0,
            max_gap: None,
        }
    }

    /// Regression: the search over choices dropped a choice that the least schedule met before
    /// another choice's branch moved that schedule, and so returned a "witness" that broke it.
    #[test]
    fn a_choice_met_before_a_branch_is_checked_again_after_it() {
        let problem = SequenceProblem {
            steps: vec![step(0, None), step(0, Some(2))],
            demands: vec![
                hard(Rule::AnyOf(vec![
                    Rule::Together { a: 0, b: 1 },
                    before(0, 1),
                ])),
                hard(before(1, 0)),
                hard(Rule::DoneBy { step: 1, day: 2 }),
                hard(Rule::NotBefore { step: 0, day: 1 }),
            ],
        };
        let c = Compiled::new(&problem, 1000);
        // Step 1 must start on day 0 and step 0 two days later, which neither alternative of
        // the choice allows.
        assert_eq!(c.feasible(&[0, 1, 2, 3], None), None);
        assert_eq!(c.feasible(&[1, 2, 3], None), Some(vec![2, 0]));
        // Loosening "1 before 0" by 2 days still leaves no schedule: step 1 starts on day 0,
        // step 0 on day 1 or later, and neither alternative allows that. The faulty search
        // returned [1, 0] here.
        assert_eq!(c.feasible(&[0, 1, 2, 3], Some((1, 2))), None);
    }
}

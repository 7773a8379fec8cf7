//! Exact branch and bound for the bargaining points, for zones whose Pareto frontier is too large
//! to hold.
//!
//! Each bargaining point maximises one objective over the agreement zone (see
//! [`crate::bargaining`]); all four objectives are non-decreasing in every party's utility, so the
//! best value over the zone is the best value over its frontier, and a zone package that ties
//! with the best is dominated only by packages that tie too. The search therefore never builds
//! the frontier: it walks packages issue by issue, depth first, and cuts every branch whose upper
//! bound falls below the tie threshold of the best package found so far.
//!
//! - Simple red lines remove options; conditional red lines are checked as soon as both their
//!   issues are set; a reservation value cuts a branch whose best completion cannot reach it, and
//!   is checked exactly on complete packages (as the enumeration engine does).
//! - Options of an issue that add the same utilities and that every red line treats alike are
//!   one class: the search branches on the smallest option of each class and counts the others
//!   (so thousands of interchangeable packages cost one branch).
//! - Issues are searched in order of decreasing spread (the biggest differences first, so that
//!   bounds tighten early); utilities of a complete package are always recomputed in issue order
//!   from 0.0, so that values are bit for bit those of the frontier methods.
//!
//! Bounds. With `B_j` party j's partial utility plus the most it can still gain (over the
//! remaining issues, ignoring conditional red lines), and `S_w` the partial weighted sum
//! `Σ_j w_j u_j` plus the most the remaining issues can add to it, for a few weight vectors `w`:
//! - a party's utility: `B_j`;
//! - utilitarian: `S_1` (all weights 1);
//! - egalitarian: `min(min_j (B_j − r_j), (S_w − Σ w_j r_j) / Σ w_j)`, since a minimum is at most
//!   any weighted mean;
//! - Kalai-Smorodinsky: the same on gains divided by each party's span `U_j − r_j`;
//! - Nash: `min(Π_j (B_j − r_j), ((S_w − Σ w_j r_j) / k)^k / Π_j w_j)` by the inequality of
//!   arithmetic and geometric means applied to `w_j g_j` (gains are non-negative in the zone). The
//!   weights include `1 / g_j` of the best package known, which makes this bound tight near it.
//!
//! Every bound is inflated by a slack per utility of 1e-9 plus twice the most that rounding can
//! move a sum of the scenario's size, so that rounding can never cut a branch holding a tie.
//!
//! Limits. A search stops after [`BnbConfig::max_nodes`] nodes (branches whose bound was
//! computed). It then returns the best package found, not proven optimal, with an upper bound on
//! the optimum: the largest bound among the branches still open. The search is sequential, so its
//! result does not depend on the number of threads.

use std::cmp::Ordering as CmpOrdering;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::bargaining::{ties, Concept, TIE_TOLERANCE};
use crate::engine::{Evaluator, Rounding, Rules};
use crate::model::{OptionIx, RedLineRule};

/// At most this many tied points are kept per concept; past it the report says the ties are not
/// all listed.
pub const MAX_TIED_POINTS: usize = 1000;

/// How often (in expanded nodes) the cancel flag is polled.
const POLL_EVERY: u64 = 4096;

/// Limits and hooks for a branch and bound.
#[derive(Default)]
pub struct BnbConfig<'a> {
    /// Each search stops after this many nodes (0: no limit).
    pub max_nodes: u64,
    /// Polled during the search: when set, the search stops and reports that it was cancelled.
    pub cancel: Option<&'a AtomicBool>,
    /// Called after each search with (searches done, searches in all).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Limits of the bounded merge that proves a bargaining point a search left open at
    /// `max_nodes` ([`crate::merge::MergeConfig`]'s, 0: no limit).
    pub max_partial_sums: usize,
    /// See `max_partial_sums`.
    pub max_merge_work: u64,
}

/// Why a branch and bound gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BnbStop {
    /// The cancel flag was set.
    Cancelled,
    /// The node limit was reached before any package of the zone was found, so not even whether
    /// the zone is empty is known.
    NothingFound {
        /// Nodes searched.
        nodes: u64,
    },
}

/// What a search maximises.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// The utility of the party at this position among the parties searched over.
    Utility(usize),
    /// A bargaining objective.
    Concept(Concept),
}

/// One optimal (or best found) point.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimalPoint {
    /// Utilities of the parties searched over.
    pub utilities: Vec<f64>,
    /// Packages with exactly these utilities, among those the search visited (all of them when
    /// the search was proven; saturating).
    pub package_count: u128,
    /// The smallest such package by option index, among those visited.
    pub package: Vec<OptionIx>,
}

/// The outcome of one search.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The best objective value found; `None` when no package of the zone was found.
    pub best: Option<f64>,
    /// An upper bound on the optimum (equal to `best` when proven; `-inf` for a proven empty
    /// zone).
    pub upper_bound: f64,
    /// Whether the search finished: `best` is the optimum, or the zone is empty.
    pub proven: bool,
    /// Whether every point tying with the best was found and kept (the search finished and no
    /// more than [`MAX_TIED_POINTS`] tied).
    pub all_ties: bool,
    /// The points tying with the best, by descending utilities (at least the best package when
    /// one was found).
    pub points: Vec<OptimalPoint>,
    /// Nodes searched.
    pub nodes: u64,
}

/// A conditional red line, on original issue indices.
struct Cond {
    if_issue: usize,
    if_options: Vec<bool>,
    then_issue: usize,
    then_allowed: Vec<bool>,
}

/// Rules compiled for the search: issue order, option classes, bounds.
pub struct Problem<'a> {
    eval: &'a Evaluator,
    /// Scored-party slots of the parties searched over.
    slots: Vec<usize>,
    /// `order[d]`: the issue set at depth `d`.
    order: Vec<usize>,
    /// Per depth: the classes' smallest option and their number of options.
    classes: Vec<Vec<(OptionIx, u128)>>,
    /// Per depth: contributions of each class to every scored party, `class * width + slot`.
    contrib: Vec<Vec<f64>>,
    /// Conditional red lines checked once depth `d` is set (both their issues are then set).
    conditionals_at: Vec<Vec<Cond>>,
    /// Reservation floors: (scored slot, minimum).
    floors: Vec<(usize, f64)>,
    /// `floor_best[d][f]`: the most floor `f`'s party can still gain from depths `d..`.
    floor_best: Vec<Vec<f64>>,
    /// `best_rem[d][j]`: the most party `slots[j]` can still gain from depths `d..`.
    best_rem: Vec<Vec<f64>>,
    /// What every bound on a utility adds for rounding (`engine::Rounding::floor`).
    slack: f64,
    empty: bool,
}

impl<'a> Problem<'a> {
    /// Compiles `rules` for searches over the scored-party slots `slots`.
    pub fn new(eval: &'a Evaluator, rules: &Rules, slots: &[usize]) -> Self {
        let counts = eval.counts();
        let m = counts.len();
        let width = eval.width();
        let mut allowed: Vec<Vec<bool>> = counts.iter().map(|&c| vec![true; c]).collect();
        let mut conds = Vec::new();
        for rule in &rules.red_lines {
            match rule {
                RedLineRule::Simple(r) => {
                    for (a, &ok) in allowed[r.issue].iter_mut().zip(&r.allowed.0) {
                        *a &= ok;
                    }
                }
                RedLineRule::Conditional {
                    if_issue,
                    if_options,
                    then,
                } => conds.push(Cond {
                    if_issue: *if_issue,
                    if_options: if_options.0.clone(),
                    then_issue: then.issue,
                    then_allowed: then.allowed.0.clone(),
                }),
            }
        }
        let floors: Vec<(usize, f64)> = rules.floors.iter().map(|f| (f.slot, f.min)).collect();
        // Slots whose utilities a class must preserve: the parties searched over and the floors.
        let mut key_slots: Vec<usize> = slots.to_vec();
        key_slots.extend(floors.iter().map(|f| f.0));
        key_slots.sort_unstable();
        key_slots.dedup();

        // Classes per issue, in option order (a class is named by its smallest option).
        let mut issue_classes: Vec<Vec<(OptionIx, u128)>> = Vec::with_capacity(m);
        for (i, issue_allowed) in allowed.iter().enumerate() {
            let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
            let mut classes: Vec<(OptionIx, u128)> = Vec::new();
            for o in (0..counts[i]).filter(|&o| issue_allowed[o]) {
                let c = eval.contribution(i, o);
                let mut key: Vec<u64> = key_slots.iter().map(|&s| c[s].to_bits()).collect();
                for cond in &conds {
                    if cond.if_issue == i {
                        key.push(u64::from(cond.if_options[o]));
                    }
                    if cond.then_issue == i {
                        key.push(u64::from(cond.then_allowed[o]));
                    }
                }
                match index.get(&key) {
                    Some(&x) => classes[x].1 += 1,
                    None => {
                        index.insert(key, classes.len());
                        classes.push((o, 1));
                    }
                }
            }
            issue_classes.push(classes);
        }
        let empty = issue_classes.iter().any(|c| c.is_empty());

        // Biggest spread first; ties by issue index.
        let spread = |i: usize| -> f64 {
            slots
                .iter()
                .map(|&s| {
                    let values = issue_classes[i]
                        .iter()
                        .map(|&(o, _)| eval.contribution(i, o)[s]);
                    let hi = values.clone().fold(f64::NEG_INFINITY, f64::max);
                    let lo = values.fold(f64::INFINITY, f64::min);
                    if hi >= lo {
                        hi - lo
                    } else {
                        0.0
                    }
                })
                .sum()
        };
        let spreads: Vec<f64> = (0..m).map(spread).collect();
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by(|&a, &b| spreads[b].total_cmp(&spreads[a]).then(a.cmp(&b)));
        let mut depth_of = vec![0; m];
        for (d, &i) in order.iter().enumerate() {
            depth_of[i] = d;
        }
        let mut conditionals_at: Vec<Vec<Cond>> = (0..m).map(|_| Vec::new()).collect();
        for cond in conds {
            let d = depth_of[cond.if_issue].max(depth_of[cond.then_issue]);
            conditionals_at[d].push(cond);
        }
        let classes: Vec<Vec<(OptionIx, u128)>> =
            order.iter().map(|&i| issue_classes[i].clone()).collect();
        let contrib: Vec<Vec<f64>> = order
            .iter()
            .zip(&classes)
            .map(|(&i, cs)| {
                cs.iter()
                    .flat_map(|&(o, _)| eval.contribution(i, o).iter().copied())
                    .collect()
            })
            .collect();
        let suffix = |slot: usize| -> Vec<f64> {
            let mut out = vec![0.0; m + 1];
            for d in (0..m).rev() {
                let best = (0..classes[d].len())
                    .map(|c| contrib[d][c * width + slot])
                    .fold(f64::NEG_INFINITY, f64::max);
                out[d] = out[d + 1] + if best.is_finite() { best } else { 0.0 };
            }
            out
        };
        let transpose = |columns: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
            (0..=m)
                .map(|d| columns.iter().map(|c| c[d]).collect())
                .collect()
        };
        let best_rem = transpose(slots.iter().map(|&s| suffix(s)).collect());
        let floor_best = transpose(floors.iter().map(|&(s, _)| suffix(s)).collect());
        let slack = Rounding::new(
            eval,
            &(0..width).collect::<Vec<_>>(),
            |i, o| allowed[i][o],
            floors.iter().map(|&(_, min)| min),
        )
        .floor(m);
        Problem {
            eval,
            slots: slots.to_vec(),
            order,
            classes,
            contrib,
            conditionals_at,
            floors,
            floor_best,
            best_rem,
            slack,
            empty,
        }
    }

    fn depth(&self) -> usize {
        self.order.len()
    }

    fn width(&self) -> usize {
        self.eval.width()
    }

    /// `out[d]`: the most `Σ_j w_j u_j` (over the searched parties) can still gain from depths
    /// `d..`.
    fn weighted_suffix(&self, w: &[f64]) -> Vec<f64> {
        let m = self.depth();
        let width = self.width();
        let mut out = vec![0.0; m + 1];
        for d in (0..m).rev() {
            let best = (0..self.classes[d].len())
                .map(|c| {
                    self.slots
                        .iter()
                        .zip(w)
                        .map(|(&s, &wj)| wj * self.contrib[d][c * width + s])
                        .sum::<f64>()
                })
                .fold(f64::NEG_INFINITY, f64::max);
            out[d] = out[d + 1] + if best.is_finite() { best } else { 0.0 };
        }
        out
    }

    /// The utilities, over the searched parties, of the relaxed maximiser of `Σ_j w_j u_j`: the
    /// best class at every depth, ignoring conditional red lines and floors.
    fn weighted_argmax(&self, w: &[f64]) -> Vec<f64> {
        let width = self.width();
        let mut u = vec![0.0; self.slots.len()];
        for d in 0..self.depth() {
            let score = |c: usize| -> f64 {
                self.slots
                    .iter()
                    .zip(w)
                    .map(|(&s, &wj)| wj * self.contrib[d][c * width + s])
                    .sum()
            };
            if let Some(best) =
                (0..self.classes[d].len()).max_by(|&a, &b| score(a).total_cmp(&score(b)))
            {
                for (x, &s) in u.iter_mut().zip(&self.slots) {
                    *x += self.contrib[d][best * width + s];
                }
            }
        }
        u
    }

    /// A good package to start from: the relaxed maximiser of `Σ_j w_j u_j`, then improved one
    /// issue at a time for `value` (a few passes). It may break a conditional red line or miss a
    /// floor; the caller checks.
    fn heuristic(&self, w: &[f64], value: impl Fn(&[f64]) -> f64) -> Vec<OptionIx> {
        let width = self.width();
        let k = self.slots.len();
        let m = self.depth();
        let add = |d: usize, c: usize, j: usize| self.contrib[d][c * width + self.slots[j]];
        let mut choice = vec![0usize; m];
        let mut u = vec![0.0; k];
        for (d, ch) in choice.iter_mut().enumerate() {
            let score = |c: usize| -> f64 { (0..k).map(|j| w[j] * add(d, c, j)).sum() };
            *ch = (0..self.classes[d].len())
                .max_by(|&a, &b| score(a).total_cmp(&score(b)))
                .unwrap_or(0);
            for (j, x) in u.iter_mut().enumerate() {
                *x += add(d, *ch, j);
            }
        }
        let mut current = value(&u);
        let mut trial = vec![0.0; k];
        for _ in 0..3 {
            let mut improved = false;
            for (d, ch) in choice.iter_mut().enumerate() {
                for c in 0..self.classes[d].len() {
                    if c == *ch {
                        continue;
                    }
                    for (j, t) in trial.iter_mut().enumerate() {
                        *t = u[j] - add(d, *ch, j) + add(d, c, j);
                    }
                    let v = value(&trial);
                    if v > current {
                        current = v;
                        *ch = c;
                        u.copy_from_slice(&trial);
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
        let mut package = vec![0; m];
        for (d, &ch) in choice.iter().enumerate() {
            package[self.order[d]] = self.classes[d][ch].0;
        }
        package
    }

    /// Whether a package keeps every conditional red line (simple ones are kept by building it
    /// from the classes).
    fn keeps_conditionals(&self, package: &[OptionIx]) -> bool {
        self.conditionals_at
            .iter()
            .flatten()
            .all(|c| !c.if_options[package[c.if_issue]] || c.then_allowed[package[c.then_issue]])
    }

    /// Whether the package set down to depth `d` keeps every conditional red line checked there
    /// and can still reach every floor.
    fn admissible(&self, d: usize, package: &[OptionIx], partial: &[f64]) -> bool {
        for c in &self.conditionals_at[d] {
            if c.if_options[package[c.if_issue]] && !c.then_allowed[package[c.then_issue]] {
                return false;
            }
        }
        self.floors
            .iter()
            .zip(&self.floor_best[d + 1])
            .all(|(&(s, min), best)| partial[s] + best + self.slack >= min)
    }
}

/// A weighted-sum bound: the weights, their suffix table and constants.
struct Weighted {
    w: Vec<f64>,
    suffix: Vec<f64>,
    /// `Σ w_j r_j`.
    wr: f64,
    /// The divisor turning the weighted gain into the bound (see [`Bounder::bound`]).
    denom: f64,
    /// `Π w_j` (Nash only).
    prod: f64,
}

/// Iterations of the root tuning of a weighted bound.
const TUNING_STEPS: usize = 60;

/// Weights that make the root's weighted bound of `goal` tight: the Lagrangian dual of the
/// relaxed problem, approached by exponentiated subgradient steps (for the egalitarian and
/// Kalai-Smorodinsky minima) or by damped fixed-point steps `w ∝ 1/g` (for Nash, whose AM-GM bound
/// is tight where every `w_j g_j` is equal). Returns the best weights seen, by root bound; any
/// weights give a valid bound, so the tuning only affects speed.
fn tuned_weights(problem: &Problem, goal: Concept, reservation: &[f64], spans: &[f64]) -> Vec<f64> {
    let k = problem.slots.len();
    // Gains (normalised for Kalai-Smorodinsky) of the relaxed maximiser, and the root bound.
    let scale = |j: usize| -> f64 {
        if goal == Concept::KalaiSmorodinsky {
            spans[j]
        } else {
            1.0
        }
    };
    let active: Vec<bool> = (0..k).map(|j| scale(j) > 0.0).collect();
    let weights_of = |lambda: &[f64]| -> Vec<f64> {
        (0..k)
            .map(|j| if active[j] { lambda[j] / scale(j) } else { 0.0 })
            .collect()
    };
    let evaluate = |lambda: &[f64]| -> (f64, Vec<f64>) {
        let w = weights_of(lambda);
        let u = problem.weighted_argmax(&w);
        let h: Vec<f64> = (0..k)
            .map(|j| (u[j] - reservation[j]) / if active[j] { scale(j) } else { 1.0 })
            .collect();
        let bound = match goal {
            Concept::Nash => {
                let sum: f64 = (0..k).map(|j| w[j] * h[j]).sum();
                let prod: f64 = w.iter().product();
                if sum <= 0.0 || prod <= 0.0 {
                    f64::INFINITY
                } else {
                    (sum / k as f64).powi(k as i32) / prod
                }
            }
            _ => (0..k)
                .filter(|&j| active[j])
                .map(|j| lambda[j] * h[j])
                .sum(),
        };
        (bound, h)
    };
    let n_active = active.iter().filter(|&&a| a).count().max(1);
    let mut lambda: Vec<f64> = active
        .iter()
        .map(|&a| if a { 1.0 / n_active as f64 } else { 0.0 })
        .collect();
    let mut best = (f64::INFINITY, lambda.clone());
    for t in 0..TUNING_STEPS {
        let (bound, h) = evaluate(&lambda);
        if bound < best.0 {
            best = (bound, lambda.clone());
        }
        match goal {
            Concept::Nash => {
                // Damped step towards w ∝ 1/g.
                for j in 0..k {
                    let target = 1.0 / h[j].max(1e-9);
                    lambda[j] = lambda[j].powf(0.5) * target.powf(0.5);
                }
            }
            _ => {
                let mean: f64 = (0..k)
                    .filter(|&j| active[j])
                    .map(|j| lambda[j] * h[j])
                    .sum();
                let spread = (0..k)
                    .filter(|&j| active[j])
                    .map(|j| (h[j] - mean).abs())
                    .fold(0.0, f64::max);
                if spread <= 0.0 {
                    break;
                }
                let eta = 2.0 / ((t + 1) as f64).sqrt();
                for j in 0..k {
                    if active[j] {
                        lambda[j] *= (-eta * (h[j] - mean) / spread).exp();
                    }
                }
            }
        }
        let total: f64 = lambda.iter().sum();
        if !(total.is_finite() && total > 0.0) {
            break;
        }
        lambda.iter_mut().for_each(|x| *x /= total);
    }
    weights_of(&best.1)
}

/// The objective of a search and its upper bound at a node.
struct Bounder<'p> {
    goal: Goal,
    reservation: &'p [f64],
    ideal: &'p [f64],
    /// `U_j − r_j` (Kalai-Smorodinsky).
    spans: Vec<f64>,
    weighted: Vec<Weighted>,
}

impl<'p> Bounder<'p> {
    fn new(
        problem: &Problem,
        goal: Goal,
        reservation: &'p [f64],
        ideal: &'p [f64],
        known: &[Vec<f64>],
    ) -> Self {
        let k = problem.slots.len();
        let spans: Vec<f64> = match goal {
            Goal::Concept(Concept::KalaiSmorodinsky) => {
                ideal.iter().zip(reservation).map(|(u, r)| u - r).collect()
            }
            _ => Vec::new(),
        };
        let mut weights: Vec<Vec<f64>> = Vec::new();
        match goal {
            Goal::Utility(_) => {}
            Goal::Concept(Concept::Utilitarian) => weights.push(vec![1.0; k]),
            Goal::Concept(Concept::Egalitarian) => {
                weights.push(vec![1.0; k]);
                weights.push(tuned_weights(
                    problem,
                    Concept::Egalitarian,
                    reservation,
                    &spans,
                ));
            }
            Goal::Concept(Concept::KalaiSmorodinsky) => {
                let w: Vec<f64> = spans
                    .iter()
                    .map(|&s| if s > 0.0 { 1.0 / s } else { 0.0 })
                    .collect();
                if w.iter().any(|&x| x > 0.0) {
                    weights.push(w);
                    weights.push(tuned_weights(
                        problem,
                        Concept::KalaiSmorodinsky,
                        reservation,
                        &spans,
                    ));
                }
            }
            Goal::Concept(Concept::Nash) => {
                weights.push(vec![1.0; k]);
                let tuned = tuned_weights(problem, Concept::Nash, reservation, &spans);
                if tuned.iter().all(|&w| w > 0.0 && w.is_finite()) {
                    weights.push(tuned);
                }
                // Weights 1/g of the known packages with positive gains: AM-GM is tight where
                // every w_j g_j is equal, that is near those packages.
                for u in known {
                    let g: Vec<f64> = u.iter().zip(reservation).map(|(u, r)| u - r).collect();
                    if g.iter().all(|&g| g > 1e-12) {
                        weights.push(g.iter().map(|g| 1.0 / g).collect());
                    }
                }
                weights.truncate(5);
            }
        }
        let weighted = weights
            .into_iter()
            .map(|w| {
                let suffix = problem.weighted_suffix(&w);
                let wr: f64 = w.iter().zip(reservation).map(|(w, r)| w * r).sum();
                let denom = match goal {
                    Goal::Concept(Concept::KalaiSmorodinsky) => {
                        w.iter().zip(&spans).map(|(w, s)| w * s).sum()
                    }
                    Goal::Concept(Concept::Nash) => k as f64,
                    _ => w.iter().sum(),
                };
                let prod = w.iter().product();
                Weighted {
                    w,
                    suffix,
                    wr,
                    denom,
                    prod,
                }
            })
            .collect();
        Bounder {
            goal,
            reservation,
            ideal,
            spans,
            weighted,
        }
    }

    /// The objective at a complete package's utilities over the searched parties.
    fn value(&self, v: &[f64]) -> f64 {
        match self.goal {
            Goal::Utility(j) => v[j],
            Goal::Concept(c) => c.objective(v, self.reservation, self.ideal),
        }
    }

    /// An upper bound of the objective over every completion of a node with `d` issues set and
    /// partial utilities `partial` (every scored party).
    fn bound(&self, problem: &Problem, d: usize, partial: &[f64]) -> f64 {
        let slots = &problem.slots;
        self.bound_from(
            |j| partial[slots[j]] + problem.slack,
            &problem.best_rem[d],
            |x| self.weighted[x].suffix[d],
        )
    }

    /// The bound of [`Bounder::bound`] from its parts: `p(j)`, the searched party `j`'s partial
    /// utility plus the slack; `rem[j]`, the most it can still gain; `suffix(x)`, the most the
    /// remaining issues can add to weighted sum `x` (an index into `weighted`).
    fn bound_from(
        &self,
        p: impl Fn(usize) -> f64,
        rem: &[f64],
        suffix: impl Fn(usize) -> f64,
    ) -> f64 {
        let k = rem.len();
        let b = |j: usize| p(j) + rem[j];
        let weighted = |n: usize| -> f64 {
            let x = &self.weighted[n];
            let s: f64 = x.w.iter().enumerate().map(|(j, w)| w * p(j)).sum::<f64>() + suffix(n);
            s - x.wr
        };
        match self.goal {
            Goal::Utility(j) => b(j),
            Goal::Concept(Concept::Utilitarian) => suffix(0) + (0..k).map(&p).sum::<f64>(),
            Goal::Concept(Concept::Egalitarian) => {
                let mut ub = (0..k)
                    .map(|j| b(j) - self.reservation[j])
                    .fold(f64::INFINITY, f64::min);
                for (n, x) in self.weighted.iter().enumerate() {
                    ub = ub.min(weighted(n) / x.denom);
                }
                ub
            }
            Goal::Concept(Concept::KalaiSmorodinsky) => {
                let mut ub = f64::INFINITY;
                for j in 0..k {
                    let span = self.spans[j];
                    ub = ub.min(if span > 0.0 {
                        (b(j) - self.reservation[j]) / span
                    } else {
                        1.0
                    });
                }
                for (n, x) in self.weighted.iter().enumerate() {
                    if x.denom > 0.0 {
                        ub = ub.min(weighted(n) / x.denom);
                    }
                }
                ub
            }
            Goal::Concept(Concept::Nash) => {
                let mut ub = 1.0;
                for j in 0..k {
                    let g = b(j) - self.reservation[j];
                    if g < 0.0 {
                        return -1.0;
                    }
                    ub *= g;
                }
                for (n, x) in self.weighted.iter().enumerate() {
                    let base = weighted(n) / x.denom;
                    if base < 0.0 {
                        return -1.0;
                    }
                    ub = ub.min(base.powi(k as i32) / x.prod);
                }
                ub
            }
        }
    }
}

/// The lowest value that ties with `best` under [`crate::bargaining::ties`].
fn tie_threshold(best: f64) -> f64 {
    best - (TIE_TOLERANCE * best.abs().max(1e-12)).max(f64::EPSILON)
}

/// A tied point being collected.
struct Tied {
    v: Vec<f64>,
    value: f64,
    package: Vec<OptionIx>,
    count: u128,
}

/// The incumbent, the tied points, and how they are updated.
struct Incumbent {
    collect: bool,
    best: Option<f64>,
    best_v: Vec<f64>,
    best_package: Vec<OptionIx>,
    pool: Vec<Tied>,
    overflow: bool,
}

impl Incumbent {
    /// Whether a branch with upper bound `ub` may hold a package worth keeping.
    fn worth(&self, ub: f64) -> bool {
        match self.best {
            None => true,
            Some(best) if self.collect => ub >= tie_threshold(best),
            Some(best) => ub > best,
        }
    }

    fn offer(&mut self, v: &[f64], value: f64, package: &[OptionIx], count: u128) {
        if self.best.is_none_or(|b| value > b) {
            self.best = Some(value);
            self.best_v = v.to_vec();
            self.best_package = package.to_vec();
            self.pool.retain(|t| ties(t.value, value));
        }
        if !self.collect {
            return;
        }
        let best = self.best.expect("set above");
        if !ties(value, best) {
            return;
        }
        if let Some(t) = self.pool.iter_mut().find(|t| t.v == v) {
            t.count = t.count.saturating_add(count);
            if package < t.package.as_slice() {
                t.package = package.to_vec();
            }
            return;
        }
        if self.pool.iter().any(|t| crate::pareto::dominates(&t.v, v)) {
            return;
        }
        self.pool.retain(|t| !crate::pareto::dominates(v, &t.v));
        if self.pool.len() >= MAX_TIED_POINTS {
            self.overflow = true;
            return;
        }
        self.pool.push(Tied {
            v: v.to_vec(),
            value,
            package: package.to_vec(),
            count,
        });
    }
}

/// Context of a search: the parties' reservation values and ideal point (for Kalai-Smorodinsky)
/// over the searched parties.
pub struct Context<'p> {
    /// Reservation values (the disagreement point).
    pub reservation: &'p [f64],
    /// The ideal point; only Kalai-Smorodinsky reads it.
    pub ideal: &'p [f64],
}

/// Maximises `goal` over the packages `problem` allows, starting from the zone packages `seeds`
/// (packages found by earlier searches, which give an incumbent from the first node).
pub fn maximise(
    problem: &Problem,
    goal: Goal,
    context: &Context,
    seeds: &[Vec<OptionIx>],
    config: &BnbConfig,
) -> Result<Search, BnbStop> {
    if config.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        return Err(BnbStop::Cancelled);
    }
    let m = problem.depth();
    let width = problem.width();
    let k = problem.slots.len();
    let mut ubuf = vec![0.0; width];
    let mut v = vec![0.0; k];
    // Evaluates a complete package exactly: utilities summed in issue order, floors without
    // slack. False when a floor is missed.
    let exact = |package: &[OptionIx], ubuf: &mut [f64], v: &mut [f64]| -> bool {
        problem.eval.utilities(package, ubuf);
        if !problem.floors.iter().all(|&(s, min)| ubuf[s] >= min) {
            return false;
        }
        for (x, &s) in v.iter_mut().zip(&problem.slots) {
            *x = ubuf[s];
        }
        true
    };
    let mut known: Vec<Vec<f64>> = Vec::new();
    let mut known_seeds: Vec<&Vec<OptionIx>> = Vec::new();
    for seed in seeds {
        if exact(seed, &mut ubuf, &mut v) {
            known.push(v.clone());
            known_seeds.push(seed);
        }
    }
    let bounder = Bounder::new(problem, goal, context.reservation, context.ideal, &known);
    let mut inc = Incumbent {
        collect: matches!(goal, Goal::Concept(_)),
        best: None,
        best_v: Vec::new(),
        best_package: Vec::new(),
        pool: Vec::new(),
        overflow: false,
    };
    // Seeds set the incumbent's value only; tied points are collected when the search reaches
    // them, so that counts and smallest packages come from the search alone.
    for (&seed, u) in known_seeds.iter().zip(&known) {
        let value = bounder.value(u);
        if inc.best.is_none_or(|b| value > b) {
            inc.best = Some(value);
            inc.best_v = u.clone();
            inc.best_package = seed.clone();
        }
    }
    if problem.empty || m == 0 {
        return Ok(finish(inc, true, f64::NEG_INFINITY, 0));
    }
    // Packages near the optimum from the weighted bounds' relaxed maximisers, improved locally:
    // a good incumbent from the first node cuts more.
    if matches!(goal, Goal::Concept(_)) {
        for x in &bounder.weighted {
            let candidate = problem.heuristic(&x.w, |u| bounder.value(u));
            if problem.keeps_conditionals(&candidate) && exact(&candidate, &mut ubuf, &mut v) {
                let value = bounder.value(&v);
                if inc.best.is_none_or(|b| value > b) {
                    inc.best = Some(value);
                    inc.best_v = v.clone();
                    inc.best_package = candidate;
                }
            }
        }
    }

    let mut partial = vec![0.0; (m + 1) * width];
    let mut package = vec![0usize; m];
    let mut mult = vec![1u128; m + 1];
    let mut children: Vec<Vec<(f64, u32)>> = (0..m).map(|_| Vec::new()).collect();
    let mut pos = vec![0usize; m];
    let mut nodes: u64 = 0;
    let mut expansions: u64 = 0;

    // Fills `children[d]` with the admissible classes at depth `d`, by descending bound.
    let expand = |d: usize,
                  partial: &mut [f64],
                  package: &mut [usize],
                  out: &mut Vec<(f64, u32)>,
                  inc: &Incumbent|
     -> u64 {
        out.clear();
        let issue = problem.order[d];
        let (head, tail) = partial.split_at_mut((d + 1) * width);
        let base = &head[d * width..];
        let child = &mut tail[..width];
        let mut n = 0;
        for (c, &(o, _)) in problem.classes[d].iter().enumerate() {
            let add = &problem.contrib[d][c * width..(c + 1) * width];
            for ((x, b), a) in child.iter_mut().zip(base).zip(add) {
                *x = b + a;
            }
            package[issue] = o;
            if !problem.admissible(d, package, child) {
                continue;
            }
            n += 1;
            let ub = bounder.bound(problem, d + 1, child);
            if inc.worth(ub) {
                out.push((ub, c as u32));
            }
        }
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        n
    };

    nodes += expand(0, &mut partial, &mut package, &mut children[0], &inc);
    pos[0] = 0;
    let mut d = 0usize;
    let limited = |nodes: u64| config.max_nodes > 0 && nodes >= config.max_nodes;
    let open_bound = |children: &[Vec<(f64, u32)>], pos: &[usize], d: usize| -> f64 {
        (0..=d)
            .filter_map(|f| children[f].get(pos[f]).map(|x| x.0))
            .fold(f64::NEG_INFINITY, f64::max)
    };
    if limited(nodes) {
        let open = open_bound(&children, &pos, 0);
        return Ok(finish(inc, false, open, nodes));
    }
    loop {
        if pos[d] >= children[d].len() || !inc.worth(children[d][pos[d]].0) {
            // Children are sorted by bound: once one is not worth it, none after it is.
            pos[d] = children[d].len();
            if d == 0 {
                break;
            }
            d -= 1;
            pos[d] += 1;
            continue;
        }
        let c = children[d][pos[d]].1 as usize;
        let issue = problem.order[d];
        let (o, count) = problem.classes[d][c];
        package[issue] = o;
        mult[d + 1] = mult[d].saturating_mul(count);
        {
            let (head, tail) = partial.split_at_mut((d + 1) * width);
            let add = &problem.contrib[d][c * width..(c + 1) * width];
            for ((x, b), a) in tail[..width].iter_mut().zip(&head[d * width..]).zip(add) {
                *x = b + a;
            }
        }
        if d + 1 == m {
            if exact(&package, &mut ubuf, &mut v) {
                let value = bounder.value(&v);
                inc.offer(&v, value, &package, mult[m]);
            }
            pos[d] += 1;
            continue;
        }
        nodes += expand(
            d + 1,
            &mut partial,
            &mut package,
            &mut children[d + 1],
            &inc,
        );
        d += 1;
        pos[d] = 0;
        expansions += 1;
        if expansions % POLL_EVERY == 0 && config.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(BnbStop::Cancelled);
        }
        if limited(nodes) {
            let open = open_bound(&children, &pos, d);
            return Ok(finish(inc, false, open, nodes));
        }
    }
    Ok(finish(inc, true, f64::NEG_INFINITY, nodes))
}

/// The search's result from its incumbent; `open` bounds every branch left unexplored.
fn finish(inc: Incumbent, complete: bool, open: f64, nodes: u64) -> Search {
    let Some(best) = inc.best else {
        return Search {
            best: None,
            upper_bound: if complete { f64::NEG_INFINITY } else { open },
            proven: complete,
            all_ties: complete,
            points: Vec::new(),
            nodes,
        };
    };
    let mut points: Vec<OptimalPoint> = inc
        .pool
        .into_iter()
        .filter(|t| ties(t.value, best))
        .map(|t| OptimalPoint {
            utilities: t.v,
            package_count: t.count,
            package: t.package,
        })
        .collect();
    let covered = points
        .iter()
        .any(|p| p.utilities == inc.best_v || crate::pareto::dominates(&p.utilities, &inc.best_v));
    if !covered && (points.is_empty() || !complete) {
        // The best package itself, when the search stopped before reaching it again (or it
        // came from a seed of a value-only search).
        points.push(OptimalPoint {
            utilities: inc.best_v,
            package_count: 1,
            package: inc.best_package,
        });
    }
    points.sort_by(|a, b| desc_lex(&a.utilities, &b.utilities));
    Search {
        best: Some(best),
        upper_bound: if complete { best } else { best.max(open) },
        proven: complete,
        all_ties: complete && !inc.overflow && inc.collect,
        points,
        nodes,
    }
}

fn desc_lex(a: &[f64], b: &[f64]) -> CmpOrdering {
    for (x, y) in a.iter().zip(b) {
        match y.total_cmp(x) {
            CmpOrdering::Equal => continue,
            other => return other,
        }
    }
    CmpOrdering::Equal
}

/// What every try of [`prove_by_merge`] for one point shares: the search's bounds laid out in
/// the merge's issue order, built once.
struct ProofBounds<'p> {
    problem: &'p Problem<'p>,
    context: &'p Context<'p>,
    bounder: Bounder<'p>,
    /// `rem[i * k + j]`: the most party `j` can still gain from issues `i..`.
    rem: Vec<f64>,
    /// `suffix[n][i]`: the most weighted sum `n` can still gain from issues `i..`.
    suffix: Vec<Vec<f64>>,
    /// Two parties and the smaller of two (scaled) gains: the hulls and the scales.
    hulls: Option<(Hulls, [f64; 2])>,
}

impl<'p> ProofBounds<'p> {
    /// `None` where a proving merge does not apply: a floor on a party not searched over.
    fn new(
        problem: &'p Problem<'p>,
        rules: &Rules,
        goal: Goal,
        context: &'p Context<'p>,
        known: &[Vec<f64>],
    ) -> Option<Self> {
        let (eval, slots) = (problem.eval, &problem.slots);
        if !rules.floors.iter().all(|f| slots.contains(&f.slot)) {
            return None;
        }
        let bounder = Bounder::new(problem, goal, context.reservation, context.ideal, known);
        // Over the options simple red lines leave.
        let counts = eval.counts();
        let (m, k) = (counts.len(), slots.len());
        let mut allowed: Vec<Vec<bool>> = counts.iter().map(|&c| vec![true; c]).collect();
        for rule in &rules.red_lines {
            if let RedLineRule::Simple(r) = rule {
                for (a, &ok) in allowed[r.issue].iter_mut().zip(&r.allowed.0) {
                    *a &= ok;
                }
            }
        }
        let most = |i: usize, f: &dyn Fn(&[f64]) -> f64| -> f64 {
            let best = (0..counts[i])
                .filter(|&o| allowed[i][o])
                .map(|o| f(eval.contribution(i, o)))
                .fold(f64::NEG_INFINITY, f64::max);
            if best.is_finite() {
                best
            } else {
                0.0
            }
        };
        let mut rem = vec![0.0; (m + 1) * k];
        let mut suffix = vec![vec![0.0; m + 1]; bounder.weighted.len()];
        for i in (0..m).rev() {
            for (j, &s) in slots.iter().enumerate() {
                rem[i * k + j] = rem[(i + 1) * k + j] + most(i, &|c| c[s]);
            }
            for (n, x) in bounder.weighted.iter().enumerate() {
                let weighted = |c: &[f64]| slots.iter().zip(&x.w).map(|(&s, w)| w * c[s]).sum();
                suffix[n][i] = suffix[n][i + 1] + most(i, &weighted);
            }
        }
        // Two parties and the smaller of two gains: the linear relaxation's bound too.
        let scales: Option<[f64; 2]> = match goal {
            _ if k != 2 => None,
            Goal::Concept(Concept::Egalitarian) => Some([1.0, 1.0]),
            Goal::Concept(Concept::KalaiSmorodinsky) => {
                let span = |j: usize| context.ideal[j] - context.reservation[j];
                (span(0) > 0.0 && span(1) > 0.0).then(|| [span(0), span(1)])
            }
            _ => None,
        };
        let hulls = scales.and_then(|scales| {
            let hulls = Hulls::new(m, |i| {
                (0..counts[i])
                    .filter(|&o| allowed[i][o])
                    .map(|o| {
                        let c = eval.contribution(i, o);
                        [c[slots[0]], c[slots[1]]]
                    })
                    .collect()
            })?;
            Some((hulls, scales))
        });
        Some(ProofBounds {
            problem,
            context,
            bounder,
            rem,
            suffix,
            hulls,
        })
    }

    /// Whether the search's bounds let a partial sum `u` (over the searched parties) of the
    /// first `done` issues reach `threshold`: the weighted bounds first, the hulls' only then.
    fn reach(&self, done: usize, u: &[f64], threshold: f64) -> bool {
        let (k, slack) = (u.len(), self.problem.slack);
        let weighted = self.bounder.bound_from(
            |j| u[j] + slack,
            &self.rem[done * k..(done + 1) * k],
            |n| self.suffix[n][done],
        );
        if weighted < threshold {
            return false;
        }
        let Some((hulls, scales)) = &self.hulls else {
            return true;
        };
        let reservation = self.context.reservation;
        let (a, b) = (u[0] + slack - reservation[0], u[1] + slack - reservation[1]);
        hulls.best_min(done, a, b, *scales) >= threshold
    }
}

/// A point that a search left open (a party's best utility or a bargaining point), proven by a
/// merge over the issues in their own order that drops every partial sum whose bounds
/// ([`ProofBounds::reach`]) fall below the tie threshold of `best`: when the optimum
/// is at least `best` (the merge finds a package worth that much), no package tying with it is
/// dropped, and as every objective grows with each utility, the merge's frontier holds every
/// tied optimum with its exact package count and its smallest package. When it finds none, the
/// optimum is below `best`. Branching and bounding breadth first, with dominance between partial
/// sums: where the depth-first search meets the same sums again and again down different
/// branches, the merge keeps each once. When the merge passes its limits, the search's answer
/// stands, not proven.
fn prove_by_merge(
    bounds: &ProofBounds,
    rules: &Rules,
    best: f64,
    config: &BnbConfig,
) -> Result<Proof, BnbStop> {
    let (problem, bounder) = (bounds.problem, &bounds.bounder);
    let (eval, slots) = (problem.eval, &problem.slots);
    let threshold = tie_threshold(best);
    let keep = |done: usize, u: &[f64]| bounds.reach(done, u, threshold);
    let merge_config = crate::merge::MergeConfig {
        max_partial_sums: config.max_partial_sums,
        max_work: config.max_merge_work,
        cancel: config.cancel,
        progress: None,
        keep: Some(&keep),
        ..crate::merge::MergeConfig::default()
    };
    let (frontier, history) = match crate::merge::merge_frontier(eval, rules, slots, &merge_config)
    {
        Ok(merged) => merged,
        Err(crate::merge::MergeStop::Cancelled { .. }) => return Err(BnbStop::Cancelled),
        Err(_) => return Ok(Proof::Limits),
    };
    let Some(top) = frontier
        .iter()
        .map(|p| bounder.value(&p.utilities))
        .max_by(f64::total_cmp)
        .filter(|&top| top >= best)
    else {
        return Ok(Proof::Below);
    };
    let mut points: Vec<OptimalPoint> = frontier
        .into_iter()
        .filter(|p| ties(bounder.value(&p.utilities), top))
        .map(|p| OptimalPoint {
            package: history.package(p.leaf),
            utilities: p.utilities,
            package_count: p.package_count,
        })
        .collect();
    points.sort_by(|a, b| desc_lex(&a.utilities, &b.utilities));
    let all_ties = points.len() <= MAX_TIED_POINTS;
    points.truncate(MAX_TIED_POINTS);
    Ok(Proof::Proven(Search {
        best: Some(top),
        upper_bound: top,
        proven: true,
        all_ties,
        points,
        nodes: 0,
    }))
}

/// For two parties: for each `i`, the upper-right boundary of the convex hull of what issues
/// `i..` can add to their utilities (the Minkowski sum of each issue's options), as a chain of
/// vertices from the one with the most for the first party to the one with the most for the
/// second. The best a partial sum can do for an objective that is the smaller of two scaled
/// gains is at most its best over that hull (the bound of the linear relaxation), which unlike a
/// weighted bound sees that a partial sum far from balance cannot be balanced at no cost.
struct Hulls {
    /// `starts[i]..starts[i + 1]`: the chain of issues `i..` in `points`.
    starts: Vec<usize>,
    points: Vec<[f64; 2]>,
}

/// The most vertices [`Hulls`] holds over all suffixes (about 64 MiB).
const MAX_HULL_POINTS: usize = 1 << 22;

impl Hulls {
    /// `None` when the hulls would hold more than [`MAX_HULL_POINTS`] vertices.
    fn new(m: usize, options: impl Fn(usize) -> Vec<[f64; 2]>) -> Option<Hulls> {
        // Each issue's chain as edges (dx <= 0, dy >= 0) by decreasing dy / -dx, and its start.
        let mut chains: Vec<([f64; 2], Vec<[f64; 2]>)> = Vec::with_capacity(m);
        for i in 0..m {
            let mut pts = options(i);
            pts.sort_by(|a, b| b[0].total_cmp(&a[0]).then(b[1].total_cmp(&a[1])));
            let mut hull: Vec<[f64; 2]> = Vec::new();
            for p in pts {
                if hull.last().is_some_and(|l| p[1] <= l[1]) {
                    continue;
                }
                // Drop the last vertex while it lies on or below the segment to `p`.
                while hull.len() >= 2 {
                    let (a, b) = (hull[hull.len() - 2], hull[hull.len() - 1]);
                    if (b[1] - a[1]) * (a[0] - p[0]) <= (p[1] - a[1]) * (a[0] - b[0]) {
                        hull.pop();
                    } else {
                        break;
                    }
                }
                hull.push(p);
            }
            let start = *hull.first()?;
            let edges = hull
                .windows(2)
                .map(|w| [w[1][0] - w[0][0], w[1][1] - w[0][1]])
                .collect();
            chains.push((start, edges));
        }
        let mut total = 0usize;
        let mut edges_after = 0usize;
        for (_, e) in chains.iter().rev() {
            edges_after += e.len();
            total = total.saturating_add(edges_after + 1);
        }
        if total + 1 > MAX_HULL_POINTS {
            return None;
        }
        // Suffix chains from the last issue back: each the previous merged with one issue's edges.
        let mut by_suffix: Vec<Vec<[f64; 2]>> = vec![Vec::new(); m + 1];
        let mut starts_at = vec![[0.0, 0.0]; m + 1];
        for i in (0..m).rev() {
            let (start, edges) = &chains[i];
            starts_at[i] = [
                starts_at[i + 1][0] + start[0],
                starts_at[i + 1][1] + start[1],
            ];
            let (a, b) = (&by_suffix[i + 1], edges);
            let mut merged = Vec::with_capacity(a.len() + b.len());
            let (mut x, mut y) = (0, 0);
            // Steeper first: dy / -dx larger, compared without dividing.
            let steeper = |p: &[f64; 2], q: &[f64; 2]| p[1] * -q[0] >= q[1] * -p[0];
            while x < a.len() || y < b.len() {
                if y == b.len() || (x < a.len() && steeper(&a[x], &b[y])) {
                    merged.push(a[x]);
                    x += 1;
                } else {
                    merged.push(b[y]);
                    y += 1;
                }
            }
            by_suffix[i] = merged;
        }
        let mut starts = Vec::with_capacity(m + 2);
        let mut points = Vec::with_capacity(total + 1);
        for i in 0..=m {
            starts.push(points.len());
            let mut at = starts_at[i];
            points.push(at);
            for e in &by_suffix[i] {
                at = [at[0] + e[0], at[1] + e[1]];
                points.push(at);
            }
        }
        starts.push(points.len());
        Some(Hulls { starts, points })
    }

    /// The most `min((a + x) / s[0], (b + y) / s[1])` over the hull of issues `i..`, for
    /// positive scales `s`.
    fn best_min(&self, i: usize, a: f64, b: f64, s: [f64; 2]) -> f64 {
        let chain = &self.points[self.starts[i]..self.starts[i + 1]];
        let g = |p: &[f64; 2]| ((a + p[0]) / s[0], (b + p[1]) / s[1]);
        // Along the chain the first gain falls and the second rises: find where they cross.
        let t = chain.partition_point(|p| {
            let (g0, g1) = g(p);
            g1 < g0
        });
        if t == 0 {
            return g(&chain[0]).0;
        }
        if t == chain.len() {
            return g(&chain[t - 1]).1;
        }
        let ((p0, p1), (q0, q1)) = (g(&chain[t - 1]), g(&chain[t]));
        let (before, after) = (p0 - p1, q0 - q1);
        let lambda = if before - after > 0.0 {
            (before / (before - after)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let crossing = p0 + lambda * (q0 - p0);
        crossing.max(p1.min(p0)).max(q0.min(q1))
    }
}

/// `s`, a search of `goal`, or when it stopped at its node limit with a package found, the
/// same point proven by [`prove_by_merge`] where a try succeeds within the merge's limits.
fn prove_open(
    problem: &Problem,
    rules: &Rules,
    goal: Goal,
    context: &Context,
    s: Search,
    config: &BnbConfig,
) -> Result<Search, BnbStop> {
    let Some(best) = s
        .best
        .filter(|_| !s.proven && problem.slots.len() <= MAX_PROOF_PARTIES)
    else {
        return Ok(s);
    };
    let known: Vec<Vec<f64>> = s.points.iter().map(|p| p.utilities.clone()).collect();
    let Some(bounds) = ProofBounds::new(problem, rules, goal, context, &known) else {
        return Ok(s);
    };
    // The optimum lies between the best package found and the search's bound: a merge that
    // keeps less is faster, so the first tries assume the optimum lies high in that gap, and
    // the last assumes only what is known.
    let gap = (s.upper_bound - best).max(0.0);
    for assumed in PROOF_TRIES.map(|f| best + gap * f) {
        match prove_by_merge(&bounds, rules, assumed, config)? {
            Proof::Proven(proof) => {
                return Ok(Search {
                    nodes: s.nodes,
                    ..proof
                })
            }
            Proof::Below => {}
            // A lower try keeps more: it would pass the limits too.
            Proof::Limits => break,
        }
    }
    Ok(s)
}

/// The most parties searched over for which a search left open is handed to a proving merge:
/// with more, dominance between partial sums costs so much per candidate that a merge's budget
/// (`--max-merge-work`) could take a minute a try, after a search that gave up in seconds.
const MAX_PROOF_PARTIES: usize = 3;

/// What a proving merge found.
enum Proof {
    /// The optimum, with every tied point.
    Proven(Search),
    /// No package worth the assumed optimum: the optimum is lower.
    Below,
    /// The merge passed its limits, or does not apply.
    Limits,
}

/// Where in the gap between the best package found and the upper bound the proving merges
/// assume the optimum to lie, in order (the last, 0, assumes nothing). The higher the assumed
/// optimum, the less a merge keeps, so a try that finds nothing that high costs little beside
/// the next one: the tries close in on the bound geometrically.
const PROOF_TRIES: [f64; 16] = [
    0.999, 0.9985, 0.9975, 0.996, 0.994, 0.99, 0.985, 0.975, 0.96, 0.94, 0.9, 0.85, 0.75, 0.6, 0.4,
    0.0,
];

/// One bargaining point found by branch and bound.
#[derive(Debug, Clone, PartialEq)]
pub struct BnbSolution {
    /// The concept.
    pub concept: Concept,
    /// A proven lower bound on the optimum: the objective of the best package found (with an
    /// unproven ideal point, Kalai-Smorodinsky's is taken at the ideal's upper bound).
    pub value: f64,
    /// `value + gap` is a proven upper bound on the optimum; 0 when proven.
    pub gap: f64,
    /// Whether `value` is the optimum.
    pub proven: bool,
    /// Whether every tied optimal point is listed.
    pub all_ties: bool,
    /// The points: every tied optimum when `all_ties`, else at least the best package found.
    pub points: Vec<OptimalPoint>,
    /// Nodes searched.
    pub nodes: u64,
}

/// The bargaining points of a zone, by branch and bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Bargaining {
    /// Each party's best utility found in the zone (exact when `ideal_upper` equals it).
    pub ideal: Vec<f64>,
    /// Proven upper bounds of the ideal point.
    pub ideal_upper: Vec<f64>,
    /// One solution per concept, in [`Concept::ALL`] order.
    pub solutions: Vec<BnbSolution>,
    /// Nodes searched in all.
    pub nodes: u64,
}

/// The ideal point and the four bargaining points of the zone that `rules` define, over the
/// scored-party slots `slots` with reservation values `reservation`; `None` when the zone is
/// proven empty.
pub fn bargaining_points(
    eval: &Evaluator,
    rules: &Rules,
    slots: &[usize],
    reservation: &[f64],
    config: &BnbConfig,
) -> Result<Option<Bargaining>, BnbStop> {
    let problem = Problem::new(eval, rules, slots);
    let k = slots.len();
    let total = k + Concept::ALL.len();
    let mut seeds: Vec<Vec<OptionIx>> = Vec::new();
    let mut ideal = Vec::with_capacity(k);
    let mut ideal_upper = Vec::with_capacity(k);
    let mut nodes = 0u64;
    let context = Context {
        reservation,
        ideal: &[],
    };
    for j in 0..k {
        let s = maximise(&problem, Goal::Utility(j), &context, &seeds, config)?;
        nodes += s.nodes;
        let s = prove_open(&problem, rules, Goal::Utility(j), &context, s, config)?;
        let Some(best) = s.best else {
            if s.proven {
                return Ok(None);
            }
            return Err(BnbStop::NothingFound { nodes });
        };
        ideal.push(best);
        ideal_upper.push(s.upper_bound);
        seeds.extend(s.points.into_iter().map(|p| p.package));
        if let Some(progress) = config.progress {
            progress(j + 1, total);
        }
    }
    let ideal_proven = ideal == ideal_upper;
    let mut solutions = Vec::with_capacity(Concept::ALL.len());
    // The utilitarian and egalitarian points first: they are found fast, and as seeds they give
    // Kalai-Smorodinsky and Nash an incumbent (and Nash its weights) near their optimum.
    const SEARCH_ORDER: [Concept; 4] = [
        Concept::Utilitarian,
        Concept::Egalitarian,
        Concept::KalaiSmorodinsky,
        Concept::Nash,
    ];
    for (n, &concept) in SEARCH_ORDER.iter().enumerate() {
        let context = Context {
            reservation,
            ideal: &ideal,
        };
        let mut s = maximise(&problem, Goal::Concept(concept), &context, &seeds, config)?;
        nodes += s.nodes;
        if concept != Concept::KalaiSmorodinsky || ideal_proven {
            s = prove_open(&problem, rules, Goal::Concept(concept), &context, s, config)?;
        }
        let best = s.best.expect("the zone holds the seeds");
        let (value, proven) = if concept == Concept::KalaiSmorodinsky && !ideal_proven {
            // The true ideal may be higher: the objective at the ideal's upper bound is a
            // proven lower bound of the true optimum, and the search's bound an upper one.
            let at_upper = s
                .points
                .iter()
                .map(|p| concept.objective(&p.utilities, reservation, &ideal_upper))
                .fold(f64::NEG_INFINITY, f64::max);
            (at_upper, false)
        } else {
            (best, s.proven)
        };
        // Against the true ideal, every normalised gain is at most 1, so Kalai-Smorodinsky's
        // optimum is too, whatever the search's bound (taken at an ideal not proven) says.
        let upper = if concept == Concept::KalaiSmorodinsky {
            s.upper_bound.min(1.0)
        } else {
            s.upper_bound
        };
        solutions.push(BnbSolution {
            concept,
            value,
            gap: if proven {
                0.0
            } else {
                (upper - value).max(0.0)
            },
            proven,
            all_ties: s.all_ties && proven,
            points: s.points.clone(),
            nodes: s.nodes,
        });
        for p in s.points {
            if !seeds.contains(&p.package) {
                seeds.push(p.package);
            }
        }
        if let Some(progress) = config.progress {
            progress(k + n + 1, total);
        }
    }
    solutions.sort_by_key(|s| Concept::ALL.iter().position(|&c| c == s.concept));
    Ok(Some(Bargaining {
        ideal,
        ideal_upper,
        solutions,
        nodes,
    }))
}

/// The best utility of the party at `slot` (a scored slot) over the packages `rules` allow:
/// `Ok(None)` when there are none. Used for feasibility and for lowering a reservation value.
pub fn best_utility(
    eval: &Evaluator,
    rules: &Rules,
    slot: usize,
    config: &BnbConfig,
) -> Result<Option<Search>, BnbStop> {
    let problem = Problem::new(eval, rules, &[slot]);
    let s = maximise(
        &problem,
        Goal::Utility(0),
        &Context {
            reservation: &[0.0],
            ideal: &[],
        },
        &[],
        config,
    )?;
    if s.best.is_none() {
        return if s.proven {
            Ok(None)
        } else {
            Err(BnbStop::NothingFound { nodes: s.nodes })
        };
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Floor;
    use crate::model::*;

    /// Two parties, `n` issues of `options` options, opposed values, reservation 0.
    fn opposed(n: usize, options: usize) -> Scenario {
        let party = |id: &str| Party {
            id: id.into(),
            name: id.into(),
            role: Role::Party,
            consent: true,
            aliases: vec![],
            provenance: Provenance::default(),
        };
        let issues: Vec<Issue> = (0..n)
            .map(|i| Issue {
                id: format!("i{i}"),
                name: format!("I{i}"),
                ordered: false,
                options: (0..options)
                    .map(|o| IssueOption {
                        id: format!("o{o}"),
                        name: format!("O{o}"),
                        value: None,
                    })
                    .collect(),
                numeric: None,
            })
            .collect();
        let prefs = |flip: bool| Preferences {
            reservation: Assumed::exact(0.0),
            provenance: Provenance::default(),
            issues: (0..n)
                .map(|i| IssuePreference {
                    weight: Assumed::exact((i + 1) as f64 / (n * (n + 1) / 2) as f64),
                    values: ValueFunction::Table(
                        (0..options)
                            .map(|o| {
                                let x = ((o * 7 + i * 3) % options) as f64 / (options - 1) as f64;
                                Assumed::exact(if flip { 1.0 - x } else { x })
                            })
                            .collect(),
                    ),
                    provenance: Provenance::default(),
                })
                .collect(),
            discount: None,
        };
        Scenario {
            id: "opposed".into(),
            title: "opposed".into(),
            description: String::new(),
            sources: vec![],
            parties: vec![party("a"), party("b")],
            issues,
            preferences: vec![Some(prefs(false)), Some(prefs(true))],
            red_lines: vec![],
            framework: Framework::default(),
            claims: Vec::new(),
        }
    }

    /// `k` parties, `n` issues of `options` options, values from a seeded generator on a grid
    /// of quarters (so that tied points are common), equal weights.
    fn random(k: usize, n: usize, options: usize, seed: u64) -> Scenario {
        let mut scenario = opposed(n, options);
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % 5
        };
        scenario.parties = (0..k)
            .map(|j| Party {
                id: format!("p{j}"),
                name: format!("P{j}"),
                ..scenario.parties[0].clone()
            })
            .collect();
        let template = scenario.preferences[0].clone().unwrap();
        scenario.preferences = (0..k)
            .map(|_| {
                let mut prefs = template.clone();
                for ip in &mut prefs.issues {
                    ip.weight = Assumed::exact(1.0 / n as f64);
                    ip.values = ValueFunction::Table(
                        (0..options)
                            .map(|_| Assumed::exact(next() as f64 / 4.0))
                            .collect(),
                    );
                }
                Some(prefs)
            })
            .collect();
        scenario
    }

    /// A search stopped at its node limit is taken over by the bounded merge: what it proves is
    /// exactly what the search finds without a limit (value, every tied point, its package count
    /// and smallest package), and the merge does prove points here.
    #[test]
    fn the_bounded_merge_proves_what_the_search_left_open() {
        let mut proven_by_merge = 0;
        for seed in 0..120u64 {
            let k = 2 + (seed % 3 == 0) as usize;
            let (n, options) = (3 + (seed % 5) as usize, 2 + (seed % 4) as usize);
            let scenario = random(k, n, options, seed);
            let eval = Evaluator::new(&scenario);
            let slots: Vec<usize> = (0..k).collect();
            let reservation = vec![if seed % 2 == 0 { 0.0 } else { 0.3 }; k];
            let rules = Rules {
                red_lines: vec![],
                floors: (0..k)
                    .map(|j| Floor {
                        slot: j,
                        min: reservation[j],
                    })
                    .collect(),
            };
            let exact =
                bargaining_points(&eval, &rules, &slots, &reservation, &BnbConfig::default())
                    .unwrap();
            let limited = bargaining_points(
                &eval,
                &rules,
                &slots,
                &reservation,
                &BnbConfig {
                    // Enough to reach a first package, rarely enough to prove.
                    max_nodes: (n * options) as u64 + seed % 11,
                    ..BnbConfig::default()
                },
            );
            let (Some(exact), Ok(Some(limited))) = (exact, limited) else {
                continue;
            };
            for (e, l) in exact.solutions.iter().zip(&limited.solutions) {
                assert!(e.proven && e.all_ties);
                if !l.proven {
                    continue;
                }
                assert_eq!(l.value, e.value, "seed {seed} {:?}", e.concept);
                assert_eq!(l.points, e.points, "seed {seed} {:?}", e.concept);
                assert!(l.all_ties);
                if l.nodes < e.nodes {
                    proven_by_merge += 1;
                }
            }
        }
        assert!(proven_by_merge > 50, "{proven_by_merge}");
    }

    #[test]
    fn a_set_cancel_flag_stops_the_search() {
        let scenario = opposed(8, 5);
        let eval = Evaluator::new(&scenario);
        let rules = Rules {
            red_lines: vec![],
            floors: vec![Floor { slot: 0, min: 0.0 }, Floor { slot: 1, min: 0.0 }],
        };
        let stop = AtomicBool::new(true);
        let config = BnbConfig {
            cancel: Some(&stop),
            ..BnbConfig::default()
        };
        assert_eq!(
            bargaining_points(&eval, &rules, &[0, 1], &[0.0, 0.0], &config),
            Err(BnbStop::Cancelled)
        );
        stop.store(false, Ordering::Relaxed);
        let found = bargaining_points(&eval, &rules, &[0, 1], &[0.0, 0.0], &config)
            .unwrap()
            .unwrap();
        assert!(found.solutions.iter().all(|s| s.proven));
    }

    #[test]
    fn progress_reports_every_search() {
        let scenario = opposed(6, 4);
        let eval = Evaluator::new(&scenario);
        let seen = std::sync::Mutex::new(Vec::new());
        let progress = |done: usize, total: usize| seen.lock().unwrap().push((done, total));
        let config = BnbConfig {
            progress: Some(&progress),
            ..BnbConfig::default()
        };
        bargaining_points(&eval, &Rules::default(), &[0, 1], &[0.0, 0.0], &config).unwrap();
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen, (1..=6).map(|d| (d, 6)).collect::<Vec<_>>());
    }

    #[test]
    fn interchangeable_options_are_one_branch_and_counted() {
        // Issue 1 has weight 0 for both parties: its 5 options are one class, so every point
        // counts 5 packages and the first lists option 0.
        let mut scenario = opposed(3, 5);
        for prefs in scenario.preferences.iter_mut().flatten() {
            prefs.issues[1].weight = Assumed::exact(0.0);
        }
        let eval = Evaluator::new(&scenario);
        let problem = Problem::new(&eval, &Rules::default(), &[0, 1]);
        let depth = problem.order.iter().position(|&i| i == 1).unwrap();
        assert_eq!(problem.classes[depth], vec![(0, 5)]);
        let found = bargaining_points(
            &eval,
            &Rules::default(),
            &[0, 1],
            &[0.0, 0.0],
            &BnbConfig::default(),
        )
        .unwrap()
        .unwrap();
        for s in &found.solutions {
            for p in &s.points {
                assert_eq!(p.package[1], 0);
                assert_eq!(p.package_count % 5, 0);
            }
        }
    }
}

//! The enumeration engine: walks every package of an outcome space that a set of rules allows,
//! in parallel, without allocating per package.
//!
//! Simple red lines prune an issue's options before the walk; conditional red lines are checked
//! as soon as both their issues are set; a reservation value prunes a branch once even the best
//! remaining options cannot reach it. All three prunings are exact: they skip only packages the
//! rules forbid.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::{IssueIx, OptionIx, OptionSet, PartyIx, RedLineRule, Scenario};

/// Slack for bound-based pruning: utilities are sums of floats, and a bound computed in another
/// order may round differently from the sum it bounds.
const PRUNE_SLACK: f64 = 1e-9;

/// Utilities of every party that has preferences, compiled into one flat table.
#[derive(Debug, Clone)]
pub struct Evaluator {
    /// The parties scored, in index order; position `k` in utility slices is `scored[k]`.
    pub scored: Vec<PartyIx>,
    counts: Vec<usize>,
    offsets: Vec<usize>,
    table: Vec<f64>,
}

impl Evaluator {
    /// Compiles the central values of the scenario's preferences.
    pub fn new(scenario: &Scenario) -> Self {
        let scored: Vec<PartyIx> = (0..scenario.parties.len())
            .filter(|&p| scenario.preferences[p].is_some())
            .collect();
        let counts = scenario.option_counts();
        let k = scored.len();
        let mut offsets = Vec::with_capacity(counts.len());
        let mut table = Vec::new();
        for (i, issue) in scenario.issues.iter().enumerate() {
            offsets.push(table.len());
            for o in 0..issue.options.len() {
                for &p in &scored {
                    let prefs = scenario.preferences[p]
                        .as_ref()
                        .expect("scored parties have preferences");
                    let ip = &prefs.issues[i];
                    table.push(ip.weight.value * ip.values.value(issue, o, |a| a.value));
                }
            }
        }
        debug_assert_eq!(table.len(), counts.iter().map(|c| c * k).sum::<usize>());
        Evaluator {
            scored,
            counts,
            offsets,
            table,
        }
    }

    /// Number of parties scored.
    pub fn width(&self) -> usize {
        self.scored.len()
    }

    /// Position of party `p` among the scored parties.
    pub fn slot(&self, p: PartyIx) -> Option<usize> {
        self.scored.iter().position(|&q| q == p)
    }

    /// The number of options of each issue.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// The weighted value that issue `i` at option `o` adds to each scored party's utility.
    pub fn contribution(&self, i: IssueIx, o: OptionIx) -> &[f64] {
        let k = self.scored.len();
        let start = self.offsets[i] + o * k;
        &self.table[start..start + k]
    }

    /// Every scored party's utility of a package, summed in issue order from 0.0 (the order the
    /// engine uses, so both give the same floats).
    pub fn utilities(&self, package: &[OptionIx], out: &mut [f64]) {
        out.iter_mut().for_each(|u| *u = 0.0);
        for (i, &o) in package.iter().enumerate() {
            for (u, c) in out.iter_mut().zip(self.contribution(i, o)) {
                *u += c;
            }
        }
    }

    /// A copy in which issue `i` has a single option worth, to each party, the most it values any
    /// option of that issue: the issue no longer divides anyone.
    pub fn with_issue_freed(&self, i: IssueIx) -> Evaluator {
        let k = self.scored.len();
        let mut best = vec![f64::NEG_INFINITY; k];
        for o in 0..self.counts[i] {
            for (b, &c) in best.iter_mut().zip(self.contribution(i, o)) {
                *b = b.max(c);
            }
        }
        let mut counts = self.counts.clone();
        counts[i] = 1;
        let mut offsets = Vec::with_capacity(counts.len());
        let mut table = Vec::with_capacity(self.table.len());
        for (j, &count) in counts.iter().enumerate() {
            offsets.push(table.len());
            if j == i {
                table.extend_from_slice(&best);
            } else {
                table.extend_from_slice(&self.table[self.offsets[j]..self.offsets[j] + count * k]);
            }
        }
        Evaluator {
            scored: self.scored.clone(),
            counts,
            offsets,
            table,
        }
    }
}

/// A reservation constraint: scored party `slot` must get at least `min`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Floor {
    /// Position of the party among [`Evaluator::scored`].
    pub slot: usize,
    /// The utility it must reach.
    pub min: f64,
}

/// The rules a package must meet: red lines and utility floors.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Red-line rules, simple or conditional.
    pub red_lines: Vec<RedLineRule>,
    /// Reservation floors.
    pub floors: Vec<Floor>,
}

/// A conditional red line placed at the deeper of its two issues.
#[derive(Debug, Clone)]
struct Conditional {
    if_issue: IssueIx,
    if_options: OptionSet,
    then_issue: IssueIx,
    then_allowed: OptionSet,
}

/// Rules compiled against one evaluator: pruned domains, conditionals by level, bounds.
struct Plan {
    domains: Vec<Vec<OptionIx>>,
    conditionals_at: Vec<Vec<Conditional>>,
    floors: Vec<Floor>,
    /// `suffix_best[l][f]`: the most floor `f`'s party can still gain from issues `l..`.
    suffix_best: Vec<Vec<f64>>,
    /// How far below a reservation value a bound may fall before its branch is cut.
    floor_slack: f64,
}

impl Plan {
    fn new(eval: &Evaluator, rules: &Rules) -> Self {
        let m = eval.counts.len();
        let mut allowed: Vec<Vec<bool>> = eval.counts.iter().map(|&c| vec![true; c]).collect();
        let mut conditionals_at: Vec<Vec<Conditional>> = vec![Vec::new(); m];
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
                } => {
                    let level = (*if_issue).max(then.issue);
                    conditionals_at[level].push(Conditional {
                        if_issue: *if_issue,
                        if_options: if_options.clone(),
                        then_issue: then.issue,
                        then_allowed: then.allowed.clone(),
                    });
                }
            }
        }
        let domains: Vec<Vec<OptionIx>> = allowed
            .iter()
            .map(|a| (0..a.len()).filter(|&o| a[o]).collect())
            .collect();
        let floor_slots: Vec<usize> = rules.floors.iter().map(|f| f.slot).collect();
        let suffix_best = suffix_best(eval, &domains, &floor_slots);
        let floor_slack = Rounding::new(
            eval,
            &floor_slots,
            |l, o| allowed[l][o],
            rules.floors.iter().map(|f| f.min),
        )
        .floor(m);
        Plan {
            domains,
            conditionals_at,
            floors: rules.floors.clone(),
            suffix_best,
            floor_slack,
        }
    }

    fn is_empty(&self) -> bool {
        self.domains.iter().any(|d| d.is_empty())
    }

    /// Whether setting `level` keeps the package within the conditionals and the floors can still
    /// be reached.
    #[inline]
    fn admissible(&self, level: usize, package: &[OptionIx], partial: &[f64]) -> bool {
        if !self.keeps_conditionals(level, package) {
            return false;
        }
        for (f, floor) in self.floors.iter().enumerate() {
            if partial[floor.slot] + self.suffix_best[level + 1][f] < floor.min - self.floor_slack {
                return false;
            }
        }
        true
    }

    /// Whether setting `level` keeps the package within the conditionals checked there.
    #[inline]
    fn keeps_conditionals(&self, level: usize, package: &[OptionIx]) -> bool {
        self.conditionals_at[level].iter().all(|c| {
            !c.if_options.contains(package[c.if_issue])
                || c.then_allowed.contains(package[c.then_issue])
        })
    }

    /// Whether a complete package meets every floor exactly (no slack).
    fn meets_floors(&self, utilities: &[f64]) -> bool {
        self.floors.iter().all(|f| utilities[f.slot] >= f.min)
    }
}

/// How far float rounding can move sums of the scenario's utilities, so that no bound-based cut
/// (the engine's, the merge's, branch and bound's) ever drops a package through rounding.
///
/// Let `big` bound the magnitude of every real partial sum (the largest, over the parties
/// concerned, of the sum over issues of the largest |contribution| of an allowed option); float
/// partial sums stay below `2 big`. One float addition rounds by at most half an ulp of its
/// result, at most `big * EPSILON`. Adding the same `c` to `a >= b` gives `fl(a + c) >=
/// fl(b + c)` (monotone) and shrinks `a - b` by at most the two roundings, `2 big EPSILON`; after
/// `rem` issues, by at most `rem * 2 big EPSILON`. A bound (partial sum + best remaining gain)
/// and the completion it bounds add the same numbers in different orders, so they differ by at
/// most the roundings of fewer than `2 rem + 3` additions. Both margins are doubled, which also
/// covers the rounding of the tests themselves.
pub(crate) struct Rounding {
    big: f64,
    /// The largest |reservation value|, for the floors' tests.
    floor_big: f64,
}

impl Rounding {
    /// The bound for the scored-party `slots`, over the options `allowed(issue, option)` admits.
    pub(crate) fn new(
        eval: &Evaluator,
        slots: &[usize],
        allowed: impl Fn(IssueIx, OptionIx) -> bool,
        floor_mins: impl Iterator<Item = f64>,
    ) -> Self {
        let big = slots
            .iter()
            .map(|&s| {
                (0..eval.counts.len())
                    .map(|i| {
                        (0..eval.counts[i])
                            .filter(|&o| allowed(i, o))
                            .map(|o| eval.contribution(i, o)[s].abs())
                            .fold(0.0, f64::max)
                    })
                    .sum::<f64>()
            })
            .fold(0.0, f64::max);
        let floor_big = floor_mins.map(f64::abs).fold(0.0, f64::max);
        Rounding { big, floor_big }
    }

    /// The largest magnitude a sum of contributions (over the options allowed) or a floor
    /// less such a sum can take: the largest sum of the issues' largest |contribution| plus the
    /// largest |reservation value|.
    pub(crate) fn largest_sum(&self) -> f64 {
        self.big + self.floor_big
    }

    /// Below this, with `rem` issues still to add, a dominated partial sum may yet tie.
    pub(crate) fn gap(&self, rem: usize) -> f64 {
        2.0 * rem as f64 * 2.0 * self.big * f64::EPSILON
    }

    /// What a floor test (partial sum + best remaining gain, against the reservation value)
    /// with `rem` issues still to add must allow: 1e-9 plus the roundings, doubled.
    pub(crate) fn floor(&self, rem: usize) -> f64 {
        let scale = (2.0 * self.big).max(self.floor_big);
        PRUNE_SLACK + 2.0 * (2.0 * rem as f64 + 3.0) * scale * f64::EPSILON
    }
}

/// `out[l][f]`: the most scored party `slots[f]` can still gain from issues `l..` with the given
/// domains. An upper bound used to prune branches (and, in the merge, partial sums) that cannot
/// reach a reservation value.
pub(crate) fn suffix_best(
    eval: &Evaluator,
    domains: &[Vec<OptionIx>],
    slots: &[usize],
) -> Vec<Vec<f64>> {
    let m = domains.len();
    let mut out = vec![vec![0.0; slots.len()]; m + 1];
    for l in (0..m).rev() {
        for (f, &slot) in slots.iter().enumerate() {
            let best = domains[l]
                .iter()
                .map(|&o| eval.contribution(l, o)[slot])
                .fold(f64::NEG_INFINITY, f64::max);
            out[l][f] = out[l + 1][f] + best;
        }
    }
    out
}

/// How the engine splits the walk into parallel tasks: by the first `split` issues.
fn split_level(domains: &[Vec<OptionIx>]) -> (usize, u64) {
    const TARGET_TASKS: u64 = 512;
    let mut tasks = 1u64;
    let mut level = 0;
    while level < domains.len() && tasks < TARGET_TASKS {
        tasks = tasks.saturating_mul(domains[level].len() as u64);
        level += 1;
    }
    (level, tasks)
}

/// Visits every package the rules allow, with the utilities of every scored party, folding a
/// per-task state and reducing the states. `visit` may break to stop the whole walk early; the
/// walk then stops as soon as every running task notices.
///
/// The order of visits within a task is lexicographic by option index; tasks run in any order,
/// so `reduce` must be associative and commutative for the result to be deterministic.
pub fn walk<S, I, V, R>(eval: &Evaluator, rules: &Rules, init: I, visit: V, reduce: R) -> S
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    V: Fn(&mut S, &[OptionIx], &[f64]) -> ControlFlow<()> + Sync + Send,
    R: Fn(S, S) -> S + Sync + Send,
{
    walk_until(eval, rules, None, init, visit, reduce).expect("a walk without a stop flag ends")
}

/// How many steps of the walk (options tried, admissible or not) pass between two polls of the
/// caller's stop flag: a few microseconds of work.
const POLL_STEPS: u32 = 1 << 14;

/// [`walk`] that also polls `cancel` (every few thousand steps of every task): once it is set,
/// the walk stops and returns `None`, since its state covers only part of the zone.
pub fn walk_until<S, I, V, R>(
    eval: &Evaluator,
    rules: &Rules,
    cancel: Option<&AtomicBool>,
    init: I,
    visit: V,
    reduce: R,
) -> Option<S>
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    V: Fn(&mut S, &[OptionIx], &[f64]) -> ControlFlow<()> + Sync + Send,
    R: Fn(S, S) -> S + Sync + Send,
{
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let state = walk_inner(eval, rules, &cancelled, init, visit, reduce);
    (!cancelled()).then_some(state)
}

fn walk_inner<S, I, V, R>(
    eval: &Evaluator,
    rules: &Rules,
    cancelled: &(dyn Fn() -> bool + Sync),
    init: I,
    visit: V,
    reduce: R,
) -> S
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    V: Fn(&mut S, &[OptionIx], &[f64]) -> ControlFlow<()> + Sync + Send,
    R: Fn(S, S) -> S + Sync + Send,
{
    let plan = Plan::new(eval, rules);
    if plan.is_empty() {
        return init();
    }
    let m = plan.domains.len();
    let k = eval.width();
    let (split, tasks) = split_level(&plan.domains);
    let stop = AtomicBool::new(false);
    (0..tasks)
        .into_par_iter()
        .fold(&init, |mut state, task| {
            if stop.load(Ordering::Relaxed) || cancelled() {
                stop.store(true, Ordering::Relaxed);
                return state;
            }
            let mut package = vec![0usize; m];
            let mut partial = vec![0.0f64; (m + 1) * k];
            // Decode the task into the first `split` issues (mixed radix, last issue fastest).
            let mut rest = task;
            let mut prefix = vec![0usize; split];
            for l in (0..split).rev() {
                let n = plan.domains[l].len() as u64;
                prefix[l] = (rest % n) as usize;
                rest /= n;
            }
            for l in 0..split {
                package[l] = plan.domains[l][prefix[l]];
                let (head, tail) = partial.split_at_mut((l + 1) * k);
                let c = eval.contribution(l, package[l]);
                for j in 0..k {
                    tail[j] = head[l * k + j] + c[j];
                }
                if !plan.admissible(l, &package, &partial[(l + 1) * k..(l + 2) * k]) {
                    return state;
                }
            }
            if split == m {
                let utilities = &partial[m * k..];
                if plan.meets_floors(utilities) && visit(&mut state, &package, utilities).is_break()
                {
                    stop.store(true, Ordering::Relaxed);
                }
                return state;
            }
            let mut pos = vec![0usize; m + 1];
            let mut level = split;
            let mut leaves: u32 = 0;
            let mut steps: u32 = 0;
            loop {
                steps = steps.wrapping_add(1);
                if steps % POLL_STEPS == 0 && cancelled() {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                if pos[level] == plan.domains[level].len() {
                    if level == split {
                        break;
                    }
                    level -= 1;
                    pos[level] += 1;
                    continue;
                }
                package[level] = plan.domains[level][pos[level]];
                {
                    let (head, tail) = partial.split_at_mut((level + 1) * k);
                    let c = eval.contribution(level, package[level]);
                    for j in 0..k {
                        tail[j] = head[level * k + j] + c[j];
                    }
                }
                if level + 1 < m {
                    if !plan.admissible(level, &package, &partial[(level + 1) * k..(level + 2) * k])
                    {
                        pos[level] += 1;
                        continue;
                    }
                    level += 1;
                    pos[level] = 0;
                    continue;
                }
                // A complete package: its floors are tested exactly below, which the slack-wide
                // test of `admissible` only repeats.
                if !plan.keeps_conditionals(level, &package) {
                    pos[level] += 1;
                    continue;
                }
                let utilities = &partial[m * k..];
                if plan.meets_floors(utilities) && visit(&mut state, &package, utilities).is_break()
                {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                pos[level] += 1;
                leaves = leaves.wrapping_add(1);
                if leaves % 4096 == 0 && stop.load(Ordering::Relaxed) {
                    break;
                }
            }
            state
        })
        .reduce(&init, &reduce)
}

/// Counts the packages the rules allow.
pub fn count(eval: &Evaluator, rules: &Rules) -> u64 {
    count_until(eval, rules, None).expect("a count without a stop flag ends")
}

/// [`count`] that polls `cancel`; `None` when it was set. It enumerates;
/// [`crate::halves::count`] gives the same count without enumerating, where it applies.
pub fn count_until(eval: &Evaluator, rules: &Rules, cancel: Option<&AtomicBool>) -> Option<u64> {
    count_by_enumeration(eval, rules, cancel)
}

/// [`count_until`]: every package the rules allow, enumerated (the reference for
/// [`crate::halves::count`]).
pub fn count_by_enumeration(
    eval: &Evaluator,
    rules: &Rules,
    cancel: Option<&AtomicBool>,
) -> Option<u64> {
    walk_until(
        eval,
        rules,
        cancel,
        || 0u64,
        |n, _, _| {
            *n += 1;
            ControlFlow::Continue(())
        },
        |a, b| a + b,
    )
}

/// Whether any package meets the rules.
pub fn any(eval: &Evaluator, rules: &Rules) -> bool {
    any_until(eval, rules, None).expect("a search without a stop flag ends")
}

/// [`any`] within about `max_steps` steps of the walk (options tried): `None` when the budget ran
/// out before an answer was known. A package found within the budget is an answer; "none" is
/// one only when the walk ended within it. Near the budget, whether it ends in time may depend
/// on how the parallel tasks were scheduled; the answer, when there is one, does not.
pub fn any_within(eval: &Evaluator, rules: &Rules, max_steps: u64) -> Option<bool> {
    let polls = std::sync::atomic::AtomicU64::new(0);
    let max_polls = max_steps / u64::from(POLL_STEPS) + 1;
    // Called once per task and every POLL_STEPS steps within one.
    let out_of_budget = || polls.fetch_add(1, Ordering::Relaxed) >= max_polls;
    let found = walk_inner(
        eval,
        rules,
        &out_of_budget,
        || false,
        |found, _, _| {
            *found = true;
            ControlFlow::Break(())
        },
        |a, b| a || b,
    );
    if found {
        Some(true)
    } else {
        (polls.load(Ordering::Relaxed) <= max_polls).then_some(false)
    }
}

/// [`any`] that polls `cancel`; `None` when it was set before an answer was known.
pub fn any_until(eval: &Evaluator, rules: &Rules, cancel: Option<&AtomicBool>) -> Option<bool> {
    walk_until(
        eval,
        rules,
        cancel,
        || false,
        |found, _, _| {
            *found = true;
            ControlFlow::Break(())
        },
        |a, b| a || b,
    )
}

/// The highest utility scored party `slot` gets from a package the rules allow, if any.
pub fn best_utility(eval: &Evaluator, rules: &Rules, slot: usize) -> Option<f64> {
    walk(
        eval,
        rules,
        || None,
        |best: &mut Option<f64>, _, u| {
            *best = Some(best.map_or(u[slot], |b: f64| b.max(u[slot])));
            ControlFlow::Continue(())
        },
        |a, b| match (a, b) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, None) => x,
            (None, y) => y,
        },
    )
}

/// Encodes a package as its index in the mixed-radix numbering of the space (last issue fastest).
pub fn package_index(counts: &[usize], package: &[OptionIx]) -> u64 {
    package
        .iter()
        .zip(counts)
        .fold(0u64, |acc, (&o, &n)| acc * n as u64 + o as u64)
}

/// Decodes [`package_index`].
pub fn package_from_index(counts: &[usize], mut index: u64) -> Vec<OptionIx> {
    let mut package = vec![0; counts.len()];
    for i in (0..counts.len()).rev() {
        let n = counts[i] as u64;
        package[i] = (index % n) as usize;
        index /= n;
    }
    package
}

/// The size of the outcome space, or `None` when it exceeds `u128`.
pub fn space_size(counts: &[usize]) -> Option<u128> {
    counts
        .iter()
        .try_fold(1u128, |acc, &c| acc.checked_mul(c as u128))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_index_round_trips() {
        let counts = [3, 1, 4, 2];
        let total: u64 = counts.iter().product::<usize>() as u64;
        for index in 0..total {
            assert_eq!(
                package_index(&counts, &package_from_index(&counts, index)),
                index
            );
        }
        assert_eq!(package_from_index(&counts, 0), vec![0, 0, 0, 0]);
        assert_eq!(package_from_index(&counts, total - 1), vec![2, 0, 3, 1]);
    }

    #[test]
    fn space_size_overflows_to_none() {
        assert_eq!(space_size(&[10; 38]), Some(10u128.pow(38)));
        assert_eq!(space_size(&[10; 39]), None);
    }
}

//! The issue-by-issue merge: the exact Pareto frontier of an additive scenario without
//! enumerating its outcome space.
//!
//! Utilities are sums over issues, so the frontier can be built one issue at a time: the partial
//! sums after issues `0..=i` are the previous partial sums shifted by each option's contribution,
//! and a partial sum that another partial sum dominates can be dropped, because adding the same
//! remaining contributions to both keeps the domination (and a reservation value the dominated one
//! would meet, the dominating one meets too). Nothing on the final frontier is lost.
//!
//! Red lines are handled exactly:
//! - a simple red line removes options before the merge;
//! - a conditional red line "if A ∈ X then B ∈ Y" is carried as one bit of state from the first
//!   of its two issues to the second: set when the first issue's option triggers it (A ∈ X, or,
//!   when B comes first, B ∉ Y), and then restricting the second issue's options. Partial sums
//!   are compared only with partial sums of the same state, so the bits never let a completion
//!   through that the red line forbids;
//! - a reservation value prunes a partial sum whose best completion cannot reach it, and is
//!   checked exactly at the end.
//!
//! Equal vectors are merged and their packages counted (saturating at `u128::MAX`); each point
//! keeps the smallest package (lexicographically by option index) as its representative.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use crate::engine::{Evaluator, Rules};
use crate::model::{OptionIx, RedLineRule};
use crate::pareto::dominates;

/// Slack for bound-based pruning, as in the enumeration engine.
const PRUNE_SLACK: f64 = 1e-9;

/// Limits and hooks for a merge.
#[derive(Default)]
pub struct MergeConfig<'a> {
    /// Give up when one layer holds more partial sums than this (0: no limit).
    pub max_partial_sums: usize,
    /// Checked between issues: when set, the merge stops and reports that it was cancelled.
    pub cancel: Option<&'a AtomicBool>,
    /// Called after each issue with (issues done, issues in all).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// One point of a merged frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedPoint {
    /// Utilities of the parties the merge is over.
    pub utilities: Vec<f64>,
    /// How many packages have exactly these utilities (saturating).
    pub package_count: u128,
    /// The smallest such package, by option index.
    pub package: Vec<OptionIx>,
}

/// Why a merge stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeStop {
    /// A layer grew past [`MergeConfig::max_partial_sums`].
    TooLarge {
        /// The issue being merged.
        issue: usize,
        /// How many partial sums it held.
        partial_sums: usize,
    },
    /// The cancel flag was set.
    Cancelled {
        /// Issues merged before stopping.
        issues_done: usize,
    },
}

/// A partial sum in a layer.
#[derive(Clone)]
struct Node {
    /// Pending conditional bits.
    key: u64,
    count: u128,
    /// Index of the node it extends in the previous layer, and the option it adds.
    prev: u32,
    option: u32,
    /// Rank of the representative package among the layer's, for choosing the smallest.
    rank: u64,
}

/// A conditional red line, oriented by the order in which its issues are merged.
struct Link {
    first: usize,
    /// Options of the first issue that set the bit.
    sets: Vec<bool>,
    second: usize,
    /// Options of the second issue allowed while the bit is set.
    allows: Vec<bool>,
}

/// Merges the frontier over scored-party slots `slots` of all packages the rules allow.
///
/// # Panics
/// Panics when the rules hold more than 64 conditional red lines.
pub fn merge_frontier(
    eval: &Evaluator,
    rules: &Rules,
    slots: &[usize],
    config: &MergeConfig,
) -> Result<Vec<MergedPoint>, MergeStop> {
    let counts = eval.counts();
    let m = counts.len();
    let k = slots.len();
    let mut allowed: Vec<Vec<bool>> = counts.iter().map(|&c| vec![true; c]).collect();
    let mut links: Vec<Link> = Vec::new();
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
                if *if_issue == then.issue {
                    // "if A ∈ X then A ∈ Y" is the simple red line "A ∉ X \ Y".
                    for (o, a) in allowed[*if_issue].iter_mut().enumerate() {
                        if if_options.contains(o) && !then.allowed.contains(o) {
                            *a = false;
                        }
                    }
                } else if *if_issue < then.issue {
                    links.push(Link {
                        first: *if_issue,
                        sets: if_options.0.clone(),
                        second: then.issue,
                        allows: then.allowed.0.clone(),
                    });
                } else {
                    // "A ∈ X → B ∈ Y" is "B ∉ Y → A ∉ X", with B merged first.
                    links.push(Link {
                        first: then.issue,
                        sets: then.allowed.0.iter().map(|&b| !b).collect(),
                        second: *if_issue,
                        allows: if_options.0.iter().map(|&b| !b).collect(),
                    });
                }
            }
        }
    }
    assert!(
        links.len() <= 64,
        "at most 64 conditional red lines are supported"
    );
    let domains: Vec<Vec<OptionIx>> = allowed
        .iter()
        .map(|a| (0..a.len()).filter(|&o| a[o]).collect())
        .collect();
    if domains.iter().any(|d| d.is_empty()) {
        return Ok(Vec::new());
    }
    // Reservation floors, as slots among `slots`, and each floor's best remaining gain.
    let floors: Vec<(usize, f64)> = rules
        .floors
        .iter()
        .map(|f| {
            let j = slots
                .iter()
                .position(|&s| s == f.slot)
                .expect("floors are on parties the merge is over");
            (j, f.min)
        })
        .collect();
    let mut suffix_best = vec![vec![0.0; floors.len()]; m + 1];
    for l in (0..m).rev() {
        for (f, &(j, _)) in floors.iter().enumerate() {
            let best = domains[l]
                .iter()
                .map(|&o| eval.contribution(l, o)[slots[j]])
                .fold(f64::NEG_INFINITY, f64::max);
            suffix_best[l][f] = suffix_best[l + 1][f] + best;
        }
    }

    // Layer 0 is the empty package: one node at the origin.
    let mut layers: Vec<Vec<Node>> = Vec::with_capacity(m + 1);
    let mut utilities: Vec<f64> = vec![0.0; k];
    layers.push(vec![Node {
        key: 0,
        count: 1,
        prev: 0,
        option: 0,
        rank: 0,
    }]);
    for i in 0..m {
        if config
            .cancel
            .is_some_and(|c| c.load(AtomicOrdering::Relaxed))
        {
            return Err(MergeStop::Cancelled { issues_done: i });
        }
        let prev = layers.last().expect("layer 0 exists");
        // Candidates grouped by their new key; each (old key, option) gives one sorted run.
        let mut groups: HashMap<u64, Vec<Run>> = HashMap::new();
        let mut by_key: HashMap<u64, Vec<u32>> = HashMap::new();
        for (n, node) in prev.iter().enumerate() {
            by_key.entry(node.key).or_default().push(n as u32);
        }
        let mut keys: Vec<u64> = by_key.keys().copied().collect();
        keys.sort_unstable();
        let mut cand_u: Vec<f64> = Vec::new();
        let mut cand_meta: Vec<(u32, u32)> = Vec::new();
        for key in keys {
            let members = &by_key[&key];
            for &o in &domains[i] {
                // Which conditionals this option breaks, clears or sets.
                let mut new_key = key;
                let mut ok = true;
                for (b, link) in links.iter().enumerate() {
                    let bit = 1u64 << b;
                    if link.second == i {
                        if key & bit != 0 && !link.allows[o] {
                            ok = false;
                            break;
                        }
                        new_key &= !bit;
                    } else if link.first == i && link.sets[o] {
                        new_key |= bit;
                    }
                }
                if !ok {
                    continue;
                }
                let c = eval.contribution(i, o);
                let start = cand_meta.len();
                for &n in members {
                    let base = &utilities[n as usize * k..(n as usize + 1) * k];
                    let mut reachable = true;
                    for (f, &(j, min)) in floors.iter().enumerate() {
                        if base[j] + c[slots[j]] + suffix_best[i + 1][f] < min - PRUNE_SLACK {
                            reachable = false;
                            break;
                        }
                    }
                    if !reachable {
                        continue;
                    }
                    for (j, &s) in slots.iter().enumerate() {
                        cand_u.push(base[j] + c[s]);
                    }
                    cand_meta.push((n, o as u32));
                }
                if cand_meta.len() > start {
                    groups.entry(new_key).or_default().push(Run {
                        start,
                        end: cand_meta.len(),
                    });
                }
            }
        }
        let mut next: Vec<Node> = Vec::new();
        let mut next_u: Vec<f64> = Vec::new();
        let mut group_keys: Vec<u64> = groups.keys().copied().collect();
        group_keys.sort_unstable();
        for key in group_keys {
            let runs = &groups[&key];
            let kept = if k == 2 {
                frontier_2d(&cand_u, runs)
            } else {
                frontier_kd(&cand_u, k, runs)
            };
            for group in kept {
                // The first candidate of a tie group carries the vector; counts add up; the
                // representative is the one with the smallest (previous rank, option).
                let mut count: u128 = 0;
                let mut best: Option<(u64, u32, u32)> = None;
                for &c in &group {
                    let (n, o) = cand_meta[c];
                    let node = &prev[n as usize];
                    count = count.saturating_add(node.count);
                    let key = (node.rank, o, n);
                    if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                        best = Some(key);
                    }
                }
                let (_, option, prev_ix) = best.expect("groups are not empty");
                next_u.extend_from_slice(&cand_u[group[0] * k..(group[0] + 1) * k]);
                next.push(Node {
                    key,
                    count,
                    prev: prev_ix,
                    option,
                    rank: 0,
                });
            }
        }
        if config.max_partial_sums > 0 && next.len() > config.max_partial_sums {
            return Err(MergeStop::TooLarge {
                issue: i,
                partial_sums: next.len(),
            });
        }
        // Rank representatives lexicographically: by the previous rank, then the option.
        let mut order: Vec<usize> = (0..next.len()).collect();
        order.sort_by_key(|&n| (prev[next[n].prev as usize].rank, next[n].option));
        for (r, &n) in order.iter().enumerate() {
            next[n].rank = r as u64;
        }
        utilities = next_u;
        layers.push(next);
        if let Some(progress) = config.progress {
            progress(i + 1, m);
        }
    }

    // Final: every key is closed; apply the floors exactly and merge the keys' frontiers.
    let last = layers.last().expect("m + 1 layers");
    let mut points: Vec<(Vec<f64>, u128, u64, usize)> = Vec::new();
    for (n, node) in last.iter().enumerate() {
        let u = &utilities[n * k..(n + 1) * k];
        if floors.iter().all(|&(j, min)| u[j] >= min) {
            points.push((u.to_vec(), node.count, node.rank, n));
        }
    }
    points.sort_by(|a, b| lex_desc(&a.0, &b.0).then(a.2.cmp(&b.2)));
    let mut merged: Vec<(Vec<f64>, u128, u64, usize)> = Vec::new();
    for p in points {
        match merged.last_mut() {
            Some(last) if last.0 == p.0 => last.1 = last.1.saturating_add(p.1),
            _ => merged.push(p),
        }
    }
    let mut frontier: Vec<MergedPoint> = Vec::new();
    let mut best_second = f64::NEG_INFINITY;
    for (u, count, _, n) in &merged {
        // Sorted lexicographically descending: a dominating vector comes earlier. With two
        // parties that makes one sweep enough.
        let dominated = if k == 2 {
            u[1] <= best_second
        } else {
            frontier.iter().any(|f| dominates(&f.utilities, u))
        };
        if dominated {
            continue;
        }
        if k == 2 {
            best_second = u[1];
        }
        frontier.push(MergedPoint {
            utilities: u.clone(),
            package_count: *count,
            package: reconstruct(&layers, *n),
        });
    }
    Ok(frontier)
}

/// Follows the back-pointers from node `n` of the last layer to the package.
fn reconstruct(layers: &[Vec<Node>], mut n: usize) -> Vec<OptionIx> {
    let m = layers.len() - 1;
    let mut package = vec![0; m];
    for i in (1..=m).rev() {
        let node = &layers[i][n];
        package[i - 1] = node.option as usize;
        n = node.prev as usize;
    }
    package
}

fn lex_desc(a: &[f64], b: &[f64]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match y.total_cmp(x) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    Ordering::Equal
}

/// A run of candidates `start..end`, sorted when it comes from one sorted layer group.
struct Run {
    start: usize,
    end: usize,
}

/// Two-party frontier of several runs, each sorted by descending first utility then descending
/// second: a k-way merge and one sweep, no re-sort. Returns tie groups of candidate indices.
fn frontier_2d(u: &[f64], runs: &[Run]) -> Vec<Vec<usize>> {
    #[derive(PartialEq)]
    struct Head(f64, f64, usize, usize);
    impl Eq for Head {}
    impl PartialOrd for Head {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Head {
        fn cmp(&self, other: &Self) -> Ordering {
            // Max-heap: larger first utility first, then larger second, then lower index.
            self.0
                .total_cmp(&other.0)
                .then(self.1.total_cmp(&other.1))
                .then(other.3.cmp(&self.3))
        }
    }
    let mut heap = BinaryHeap::with_capacity(runs.len());
    for (r, run) in runs.iter().enumerate() {
        if run.start < run.end {
            heap.push(Head(u[2 * run.start], u[2 * run.start + 1], r, run.start));
        }
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut best_second = f64::NEG_INFINITY;
    let mut last: Option<(f64, f64)> = None;
    while let Some(Head(a, b, r, c)) = heap.pop() {
        if last == Some((a, b)) {
            out.last_mut().expect("a group exists").push(c);
        } else if b > best_second {
            out.push(vec![c]);
            best_second = b;
            last = Some((a, b));
        }
        let nxt = c + 1;
        if nxt < runs[r].end {
            heap.push(Head(u[2 * nxt], u[2 * nxt + 1], r, nxt));
        }
    }
    out
}

/// Frontier of several runs for any number of parties: sort by descending sum (then
/// lexicographically), keep what no kept vector dominates. Returns tie groups, each sorted so
/// the result is the same whatever the order of runs.
fn frontier_kd(u: &[f64], k: usize, runs: &[Run]) -> Vec<Vec<usize>> {
    let vec_of = |c: usize| &u[c * k..(c + 1) * k];
    let mut all: Vec<(f64, usize)> = runs
        .iter()
        .flat_map(|r| r.start..r.end)
        .map(|c| (vec_of(c).iter().sum::<f64>(), c))
        .collect();
    all.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| lex_desc(vec_of(a.1), vec_of(b.1)))
            .then(a.1.cmp(&b.1))
    });
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (_, c) in all {
        let v = vec_of(c);
        if let Some(last) = out.last_mut() {
            if vec_of(last[0]) == v {
                last.push(c);
                continue;
            }
        }
        if out.iter().any(|g| dominates(vec_of(g[0]), v)) {
            continue;
        }
        out.push(vec![c]);
    }
    out
}

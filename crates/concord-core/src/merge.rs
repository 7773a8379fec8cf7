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
use std::collections::{BTreeMap, BinaryHeap, HashMap};
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
    /// The last node of the smallest such package (by option index), for
    /// [`History::package`].
    pub leaf: usize,
}

/// The back-pointers of a merge, from which any frontier point's representative package is
/// rebuilt on demand: 6 bytes per kept partial sum, instead of a whole package per point.
#[derive(Debug, Clone, Default)]
pub struct History {
    prev: Vec<Vec<u32>>,
    option: Vec<Vec<u16>>,
}

impl History {
    /// The package that ends at node `leaf` of the last layer.
    pub fn package(&self, mut leaf: usize) -> Vec<OptionIx> {
        let mut package = vec![0; self.prev.len()];
        for i in (0..self.prev.len()).rev() {
            package[i] = usize::from(self.option[i][leaf]);
            leaf = self.prev[i][leaf] as usize;
        }
        package
    }
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
) -> Result<(Vec<MergedPoint>, History), MergeStop> {
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
        return Ok((Vec::new(), History::default()));
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
    let floor_slots: Vec<usize> = floors.iter().map(|&(j, _)| slots[j]).collect();
    let suffix_best = crate::engine::suffix_best(eval, &domains, &floor_slots);

    // Layer 0 is the empty package: one node at the origin. Only the current layer keeps whole
    // nodes; earlier layers keep just their back-pointers, for rebuilding packages at the end.
    let mut history = History::default();
    let mut utilities: Vec<f64> = vec![0.0; k];
    let mut current: Vec<Node> = vec![Node {
        key: 0,
        count: 1,
        prev: 0,
        option: 0,
        rank: 0,
    }];
    for i in 0..m {
        if config
            .cancel
            .is_some_and(|c| c.load(AtomicOrdering::Relaxed))
        {
            return Err(MergeStop::Cancelled { issues_done: i });
        }
        let prev = &current;
        // Candidates grouped by their new key; each (old key, option) gives one sorted run.
        let mut groups: HashMap<u64, Vec<Run>> = HashMap::new();
        // A layer's nodes are stored key by key, in ascending key order, so each key's nodes are
        // one contiguous range (and, for two parties, one staircase).
        let node_ids: Vec<u32> = (0..prev.len() as u32).collect();
        let mut key_ranges: Vec<(u64, usize, usize)> = Vec::new();
        for (n, node) in prev.iter().enumerate() {
            match key_ranges.last_mut() {
                Some((key, _, end)) if *key == node.key => *end = n + 1,
                _ => key_ranges.push((node.key, n, n + 1)),
            }
        }
        let mut cand_u: Vec<f64> = Vec::new();
        let mut cand_meta: Vec<(u32, u32)> = Vec::new();
        // Two parties: runs stay virtual (a staircase of the previous layer plus a shift) and only
        // the candidates the merge looks at are computed.
        let mut lazy: HashMap<u64, Vec<LazyRun>> = HashMap::new();
        for &(key, start, end) in &key_ranges {
            let members = &node_ids[start..end];
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
                if k == 2 {
                    let shift = [c[slots[0]], c[slots[1]]];
                    let base = |n: u32, j: usize| utilities[n as usize * 2 + j];
                    // Floors cut a staircase at both ends: the first party's utility falls along
                    // it, the second's rises.
                    let mut lo = 0;
                    let mut hi = members.len();
                    for (f, &(j, min)) in floors.iter().enumerate() {
                        let ok = |n: u32| {
                            base(n, j) + shift[j] + suffix_best[i + 1][f] >= min - PRUNE_SLACK
                        };
                        if j == 0 {
                            hi = hi.min(members.partition_point(|&n| ok(n)));
                        } else {
                            lo = lo.max(members.partition_point(|&n| !ok(n)));
                        }
                    }
                    if lo < hi {
                        lazy.entry(new_key).or_default().push(LazyRun {
                            members: &members[lo..hi],
                            shift,
                            option: o as u32,
                        });
                    }
                    continue;
                }
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
        let mut group_keys: Vec<u64> = groups.keys().chain(lazy.keys()).copied().collect();
        group_keys.sort_unstable();
        group_keys.dedup();
        for key in group_keys {
            // Tie groups: the vector and the (previous node, option) pairs that reach it.
            if k == 2 {
                for e in frontier_2d_lazy(
                    &utilities,
                    prev,
                    lazy.get(&key).map_or(&[][..], Vec::as_slice),
                ) {
                    next_u.extend_from_slice(&e.utilities);
                    next.push(Node {
                        key,
                        count: e.count,
                        prev: e.prev,
                        option: e.option,
                        rank: 0,
                    });
                }
                continue;
            }
            let kept: Vec<TieGroup> = {
                frontier_kd(&cand_u, k, &groups[&key])
                    .into_iter()
                    .map(|g| {
                        (
                            cand_u[g[0] * k..(g[0] + 1) * k].to_vec(),
                            g.iter().map(|&c| cand_meta[c]).collect(),
                        )
                    })
                    .collect()
            };
            for (vector, group) in kept {
                // Counts add up; the representative is the one with the smallest (previous
                // rank, option).
                let mut count: u128 = 0;
                let mut best: Option<(u64, u32, u32)> = None;
                for &(n, o) in &group {
                    let node = &prev[n as usize];
                    count = count.saturating_add(node.count);
                    let key = (node.rank, o, n);
                    if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                        best = Some(key);
                    }
                }
                let (_, option, prev_ix) = best.expect("groups are not empty");
                next_u.extend_from_slice(&vector);
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
        // Previous ranks are a permutation of 0..prev.len(), so two stable counting sorts (by
        // option, then by previous rank) order the layer in linear time.
        let by_option = counting_sort(&(0..next.len()).collect::<Vec<_>>(), counts[i], |n| {
            next[n].option as usize
        });
        let order = counting_sort(&by_option, prev.len(), |n| {
            prev[next[n].prev as usize].rank as usize
        });
        for (r, &n) in order.iter().enumerate() {
            next[n].rank = r as u64;
        }
        utilities = next_u;
        history.prev.push(next.iter().map(|n| n.prev).collect());
        // Options fit in 16 bits: `analysis::check` refuses issues with more.
        history
            .option
            .push(next.iter().map(|n| n.option as u16).collect());
        current = next;
        if let Some(progress) = config.progress {
            progress(i + 1, m);
        }
    }

    // Final: every key is closed; apply the floors exactly and merge the keys' frontiers.
    let last = &current;
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
    let mut stairs = Staircase::default();
    for (u, count, _, n) in &merged {
        // Sorted lexicographically descending: a dominating vector comes earlier. With two
        // parties that makes one sweep enough.
        let dominated = match k {
            2 => u[1] <= best_second,
            3 => stairs.covers(u[1], u[2]),
            _ => frontier.iter().any(|f| dominates(&f.utilities, u)),
        };
        if dominated {
            continue;
        }
        if k == 2 {
            best_second = u[1];
        }
        if k == 3 {
            stairs.insert(u[1], u[2]);
        }
        frontier.push(MergedPoint {
            utilities: u.clone(),
            package_count: *count,
            leaf: *n,
        });
    }
    Ok((frontier, history))
}

/// A stable counting sort of `items` by `key(item) < buckets`.
fn counting_sort(items: &[usize], buckets: usize, key: impl Fn(usize) -> usize) -> Vec<usize> {
    let mut starts = vec![0usize; buckets + 1];
    for &it in items {
        starts[key(it) + 1] += 1;
    }
    for b in 0..buckets {
        starts[b + 1] += starts[b];
    }
    let mut out = vec![0; items.len()];
    for &it in items {
        let k = key(it);
        out[starts[k]] = it;
        starts[k] += 1;
    }
    out
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

/// A utility vector and the (previous node, option) pairs that reach it.
type TieGroup = (Vec<f64>, Vec<(u32, u32)>);

/// A kept two-party vector: its tie count and its smallest representative.
struct Emitted {
    utilities: [f64; 2],
    count: u128,
    /// The representative's previous rank, then its previous node and option.
    rank: u64,
    prev: u32,
    option: u32,
}

/// A run of two-party candidates: a staircase of the previous layer (first utility falling,
/// second rising) shifted by one option's contribution.
struct LazyRun<'a> {
    members: &'a [u32],
    shift: [f64; 2],
    option: u32,
}

/// Two-party frontier of several staircase runs: a k-way merge by descending first utility and
/// one sweep, no re-sort; a dominated candidate lets the merge skip, by binary search, every
/// later candidate of its run that cannot beat the best second utility so far. Only the
/// candidates it looks at are computed. Returns each kept vector with its tie count and its
/// smallest representative.
fn frontier_2d_lazy(prev_u: &[f64], prev: &[Node], runs: &[LazyRun]) -> Vec<Emitted> {
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
            // Max-heap: larger first utility first, then larger second, then earlier run.
            self.0
                .total_cmp(&other.0)
                .then(self.1.total_cmp(&other.1))
                .then(other.2.cmp(&self.2))
        }
    }
    let at = |r: usize, j: usize| -> (f64, f64) {
        let n = runs[r].members[j] as usize;
        (
            prev_u[2 * n] + runs[r].shift[0],
            prev_u[2 * n + 1] + runs[r].shift[1],
        )
    };
    let mut heap = BinaryHeap::with_capacity(runs.len());
    for (r, run) in runs.iter().enumerate() {
        if !run.members.is_empty() {
            let (a, b) = at(r, 0);
            heap.push(Head(a, b, r, 0));
        }
    }
    let mut out: Vec<Emitted> = Vec::new();
    let mut best_second = f64::NEG_INFINITY;
    let mut last: Option<(f64, f64)> = None;
    while let Some(Head(a, b, r, j)) = heap.pop() {
        let run = &runs[r];
        let mut nxt = j + 1;
        let n = run.members[j];
        let node = &prev[n as usize];
        if last == Some((a, b)) {
            // A tie: add its packages; keep the smallest representative.
            let e = out.last_mut().expect("a group exists");
            e.count = e.count.saturating_add(node.count);
            if (node.rank, run.option) < (e.rank, e.option) {
                (e.rank, e.prev, e.option) = (node.rank, n, run.option);
            }
        } else if b > best_second {
            out.push(Emitted {
                utilities: [a, b],
                count: node.count,
                rank: node.rank,
                prev: n,
                option: run.option,
            });
            best_second = b;
            last = Some((a, b));
        } else {
            // Dominated. Along a staircase the second utility rises, so every later candidate
            // of this run that is still at most `best_second` is dominated too.
            let (mut lo, mut hi) = (nxt, run.members.len());
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if at(r, mid).1 <= best_second {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            nxt = lo;
        }
        if nxt < run.members.len() {
            let (a, b) = at(r, nxt);
            heap.push(Head(a, b, r, nxt));
        }
    }
    out
}

/// Frontier of several runs for any number of parties: sort by descending sum (then
/// lexicographically), keep what no kept vector dominates. Returns tie groups, each sorted so
/// the result is the same whatever the order of runs.
fn frontier_kd(u: &[f64], k: usize, runs: &[Run]) -> Vec<Vec<usize>> {
    let vec_of = |c: usize| &u[c * k..(c + 1) * k];
    let mut all: Vec<usize> = runs.iter().flat_map(|r| r.start..r.end).collect();
    if k == 3 {
        // Descending lexicographic order puts every dominator before what it dominates; a
        // staircase of the kept (second, third) utilities answers "is anything kept at least as
        // good on both?" in logarithmic time.
        all.sort_by(|&a, &b| lex_desc(vec_of(a), vec_of(b)).then(a.cmp(&b)));
        let mut stairs = Staircase::default();
        let mut out: Vec<Vec<usize>> = Vec::new();
        for c in all {
            let v = vec_of(c);
            if let Some(last) = out.last_mut() {
                if vec_of(last[0]) == v {
                    last.push(c);
                    continue;
                }
            }
            if stairs.covers(v[1], v[2]) {
                continue;
            }
            stairs.insert(v[1], v[2]);
            out.push(vec![c]);
        }
        return out;
    }
    let sums: Vec<f64> = (0..u.len() / k.max(1))
        .map(|c| vec_of(c).iter().sum())
        .collect();
    all.sort_by(|&a, &b| {
        sums[b]
            .total_cmp(&sums[a])
            .then_with(|| lex_desc(vec_of(a), vec_of(b)))
            .then(a.cmp(&b))
    });
    let mut out: Vec<Vec<usize>> = Vec::new();
    for c in all {
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

/// A two-dimensional staircase of non-dominated points (first coordinate rising, second
/// falling), for three-party dominance tests.
#[derive(Default)]
struct Staircase {
    steps: BTreeMap<u64, (f64, f64)>,
}

/// A key whose unsigned order is `f64::total_cmp`'s order.
fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

impl Staircase {
    /// Whether a kept point is at least `(a, b)` on both coordinates.
    fn covers(&self, a: f64, b: f64) -> bool {
        // Along the staircase the second coordinate falls, so the first step at or after `a`
        // has the largest second coordinate among those at or after `a`.
        self.steps
            .range(order_key(a)..)
            .next()
            .is_some_and(|(_, &(_, sb))| sb >= b)
    }

    /// Adds `(a, b)`, which no kept point covers, removing the steps it covers.
    fn insert(&mut self, a: f64, b: f64) {
        let covered: Vec<u64> = self
            .steps
            .range(..=order_key(a))
            .rev()
            .take_while(|(_, &(_, sb))| sb <= b)
            .map(|(&key, _)| key)
            .collect();
        for key in covered {
            self.steps.remove(&key);
        }
        self.steps.insert(order_key(a), (a, b));
    }
}

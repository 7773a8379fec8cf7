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
//!
//! Sums are floats, so "adding the same contributions keeps the domination" holds only weakly:
//! float addition is monotone, but a partial sum below another by a rounding margin can meet it
//! after later issues, and its packages then tie with a frontier point. So a dominated partial
//! sum is dropped only when it is behind by more than rounding can close (`engine::Rounding`); the
//! others are kept, and the final layer is filtered exactly.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use crate::engine::{Evaluator, Rounding, Rules};
use crate::model::{OptionIx, RedLineRule};
use crate::pareto::{dominated_by_margin, dominated_sorted, lex_desc};

/// How many candidate partial sums (a layer's sums, each extended by each option of the next
/// issue) a merge may build per allowed partial sum before it filters them. The limit on partial
/// sums bounds what a layer keeps; this bounds what building it costs, in time and in memory:
/// with many parties few candidates are dominated, and one layer times a large issue's options
/// could otherwise hold gigabytes. Below [`MIN_CANDIDATES`] candidates a merge is never stopped
/// this way, so that a small limit still reports the partial sums a layer kept.
pub const CANDIDATES_PER_PARTIAL_SUM: usize = 4;
/// See [`CANDIDATES_PER_PARTIAL_SUM`].
pub const MIN_CANDIDATES: usize = 1 << 16;

/// Candidates of one key of a two-party layer from which the layer is split by first utility
/// into parts merged on the threads of rayon's pool ([`MergeConfig::parallel_from`]): below it,
/// starting the threads costs more than the work they would share.
pub const PARALLEL_MERGE: usize = 1 << 16;

/// Limits and hooks for a merge.
pub struct MergeConfig<'a> {
    /// Give up when one layer holds more partial sums than this (0: no limit).
    pub max_partial_sums: usize,
    /// Give up when the candidate partial sums formed so far (each kept partial sum of a layer
    /// times each option of the next issue, summed over issues) pass this (0: no limit). It
    /// bounds the time of a merge whose layers each stay under `max_partial_sums` but whose
    /// dominance filtering, with many parties, costs more per candidate.
    pub max_work: u64,
    /// Checked between issues: when set, the merge stops and reports that it was cancelled.
    pub cancel: Option<&'a AtomicBool>,
    /// Called after each issue with (issues done, issues in all).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Called with (issues done, a candidate partial sum's utilities over the merge's parties);
    /// a candidate for which it returns false is dropped, with every package it would extend
    /// to. It must keep whatever dominates a partial sum it keeps (a bound that grows with each
    /// utility does): then what the merge returns is the part of the frontier whose packages
    /// were never dropped, exactly, with exact tie counts. Branch and bound uses it to prove a
    /// bargaining point (`bnb::bargaining_points`).
    pub keep: Option<&'a Keep<'a>>,
    /// A two-party layer whose candidates under one key number at least this many is split by
    /// first utility into as many parts as rayon's pool has threads (when it has two or more), each merged
    /// on its own and the parts' staircases then joined: what a part keeps that an earlier part
    /// dominates is dropped, so the layer is the one a single merge gives, point for point (the
    /// proptest `split_merge_matches_one_merge`). [`PARALLEL_MERGE`] by default; `usize::MAX`
    /// never splits. A part that meets a tie, whose representative needs the ranks of the
    /// previous layer's packages, is merged again after the others with them, and the merge
    /// splits no more layers.
    pub parallel_from: usize,
    /// A two-party merge on a staircase stops early ([`MergeStop::ProjectedWork`]) when the work
    /// done plus its staircase's size times the issues left passes [`MergeConfig::max_work`]:
    /// for a caller that falls back to another method when the budget is passed, so that the
    /// fall back comes before the work it would throw away. Off by default: a merge whose
    /// caller has no fall back runs until its work passes the budget.
    pub project_work: bool,
}

impl Default for MergeConfig<'_> {
    fn default() -> Self {
        MergeConfig {
            max_partial_sums: 0,
            max_work: 0,
            cancel: None,
            progress: None,
            keep: None,
            parallel_from: PARALLEL_MERGE,
            project_work: false,
        }
    }
}

/// See [`MergeConfig::keep`].
pub type Keep<'a> = dyn Fn(usize, &[f64]) -> bool + Sync + 'a;

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
/// rebuilt on demand instead of a whole package per point: for each kept partial sum, the partial
/// sum of the previous layer it extends and the option it adds. Each layer keeps them in
/// whichever of two forms is smaller (`Steps`):
/// - as stretches of consecutive partial sums that add the same option to consecutive partial
///   sums of the previous layer: 8 bytes per stretch, plus its option (1 byte when the issue
///   has at most 256 options, else 2). A two-party layer is mostly a few long stretches of the
///   previous staircase shifted by one option, so this is a small fraction of a byte per
///   partial sum there;
/// - plainly: per partial sum, the one it extends (4 bytes) and its option (1 or 2 bytes).
#[derive(Debug, Clone, Default)]
pub struct History {
    layers: Vec<Steps>,
    /// The back-pointers and options as the merge produced them, to test the encoding against.
    #[cfg(test)]
    raw: Vec<(Vec<u32>, Vec<u16>)>,
}

/// The options one issue's kept partial sums (or stretches) add, in the narrowest type that
/// holds them.
#[derive(Debug, Clone)]
enum Choices {
    Narrow(Vec<u8>),
    Wide(Vec<u16>),
}

impl Choices {
    /// Bytes per option for an issue of `options` options.
    fn width(options: usize) -> usize {
        if options <= 256 {
            1
        } else {
            2
        }
    }

    fn new(chosen: impl ExactSizeIterator<Item = u16>, options: usize) -> Self {
        if options <= 256 {
            Choices::Narrow(chosen.map(|o| o as u8).collect())
        } else {
            Choices::Wide(chosen.collect())
        }
    }

    fn get(&self, n: usize) -> usize {
        match self {
            Choices::Narrow(v) => usize::from(v[n]),
            Choices::Wide(v) => usize::from(v[n]),
        }
    }
}

/// One layer's back-pointers (see [`History`]).
#[derive(Debug, Clone)]
enum Steps {
    /// Per partial sum: the partial sum it extends and the option it adds.
    Plain { prev: Vec<u32>, option: Choices },
    /// Maximal stretches of partial sums `first[s]..first[s + 1]` (the last one up to `len`)
    /// that extend `prev[s]`, `prev[s] + 1`, … by the same option `option[s]`.
    Stretches {
        first: Vec<u32>,
        prev: Vec<u32>,
        option: Choices,
        len: usize,
    },
}

impl Steps {
    /// The smaller encoding of back-pointers `back` and options `chosen` (of an issue of
    /// `options` options).
    #[cfg(test)]
    fn new(back: &[u32], chosen: &[u16], options: usize) -> Self {
        let mut steps = StepsBuilder::default();
        for (&b, &c) in back.iter().zip(chosen) {
            steps.push(b, c);
        }
        steps.finish(options)
    }

    fn plain(back: &[u32], chosen: &[u16], options: usize) -> Self {
        Steps::Plain {
            prev: back.to_vec(),
            option: Choices::new(chosen.iter().copied(), options),
        }
    }

    /// The stretches starting at partial sums `first` (see [`Steps::Stretches`]).
    #[cfg(test)]
    fn stretches(first: Vec<u32>, back: &[u32], chosen: &[u16], options: usize) -> Self {
        Steps::Stretches {
            prev: first.iter().map(|&n| back[n as usize]).collect(),
            option: Choices::new(first.iter().map(|&n| chosen[n as usize]), options),
            first,
            len: back.len(),
        }
    }

    /// The partial sum that partial sum `n` extends, and the option it adds.
    fn get(&self, n: usize) -> (usize, usize) {
        match self {
            Steps::Plain { prev, option } => (prev[n] as usize, option.get(n)),
            Steps::Stretches {
                first,
                prev,
                option,
                ..
            } => {
                let s = first.partition_point(|&f| f as usize <= n) - 1;
                (prev[s] as usize + (n - first[s] as usize), option.get(s))
            }
        }
    }

    /// Every partial sum's back-pointer and option, in order, into `back` and `chosen`.
    fn expand(&self, back: &mut Vec<u32>, chosen: &mut Vec<u16>) {
        back.clear();
        chosen.clear();
        match self {
            Steps::Plain { prev, option } => {
                back.extend_from_slice(prev);
                chosen.extend((0..prev.len()).map(|n| option.get(n) as u16));
            }
            Steps::Stretches {
                first,
                prev,
                option,
                len,
            } => {
                for s in 0..first.len() {
                    let end = first.get(s + 1).map_or(*len, |&f| f as usize);
                    let start = first[s] as usize;
                    back.extend(prev[s]..=prev[s] + (end - start - 1) as u32);
                    chosen.extend(std::iter::repeat_n(option.get(s) as u16, end - start));
                }
            }
        }
    }
}

/// One layer's back-pointers and options as the merge appends them, kept as stretches from the
/// start (a two-party merge appends whole stretches at once), and turned into the smaller
/// [`Steps`] form at the end of the layer.
#[derive(Default)]
struct StepsBuilder {
    /// Stretch `s` covers partial sums `first[s]..first[s + 1]` (the last up to `len`), which
    /// extend `prev[s]`, `prev[s] + 1`, … by option `option[s]`; stretches are maximal.
    first: Vec<u32>,
    prev: Vec<u32>,
    option: Vec<u16>,
    len: usize,
    /// The same, one back-pointer and option per partial sum, to test the encoding against.
    #[cfg(test)]
    raw: (Vec<u32>, Vec<u16>),
}

impl StepsBuilder {
    fn clear(&mut self) {
        self.first.clear();
        self.prev.clear();
        self.option.clear();
        self.len = 0;
        #[cfg(test)]
        {
            self.raw.0.clear();
            self.raw.1.clear();
        }
    }

    /// Appends one partial sum, extending partial sum `prev` by `option`.
    fn push(&mut self, prev: u32, option: u16) {
        self.extend(prev, 1, option);
    }

    /// Appends `count` partial sums extending `prev`, `prev + 1`, … by `option`.
    fn extend(&mut self, prev: u32, count: usize, option: u16) {
        if count == 0 {
            return;
        }
        #[cfg(test)]
        {
            self.raw.0.extend((0..count).map(|n| prev + n as u32));
            self.raw.1.extend(std::iter::repeat_n(option, count));
        }
        let continues = self.first.last().is_some_and(|&first| {
            let s = self.first.len() - 1;
            self.option[s] == option
                && u64::from(self.prev[s]) + (self.len - first as usize) as u64 == u64::from(prev)
        });
        if !continues {
            self.first.push(self.len as u32);
            self.prev.push(prev);
            self.option.push(option);
        }
        self.len += count;
    }

    /// Keeps the first `len` partial sums.
    fn truncate(&mut self, len: usize) {
        while self.first.last().is_some_and(|&f| f as usize >= len) {
            self.first.pop();
            self.prev.pop();
            self.option.pop();
        }
        self.len = self.len.min(len);
        #[cfg(test)]
        {
            self.raw.0.truncate(len);
            self.raw.1.truncate(len);
        }
    }

    /// Appends the partial sums `from..` of `other`.
    fn append_from(&mut self, other: &StepsBuilder, from: usize) {
        for s in 0..other.first.len() {
            let begin = other.first[s] as usize;
            let end = other.first.get(s + 1).map_or(other.len, |&f| f as usize);
            let lo = begin.max(from);
            if lo < end {
                self.extend(
                    other.prev[s] + (lo - begin) as u32,
                    end - lo,
                    other.option[s],
                );
            }
        }
    }

    /// The last partial sum's back-pointer and option.
    fn last(&self) -> (u32, u16) {
        let s = self.first.len() - 1;
        let offset = self.len - 1 - self.first[s] as usize;
        (self.prev[s] + offset as u32, self.option[s])
    }

    /// Replaces the last partial sum's back-pointer and option.
    fn set_last(&mut self, prev: u32, option: u16) {
        #[cfg(test)]
        {
            self.raw.0.pop();
            self.raw.1.pop();
        }
        self.len -= 1;
        if self.first.last() == Some(&(self.len as u32)) {
            self.first.pop();
            self.prev.pop();
            self.option.pop();
        }
        self.push(prev, option);
    }

    /// The layer's back-pointers in the smaller form: stretches while they take fewer bytes
    /// than a back-pointer and option per partial sum (for an issue of `options` options).
    fn finish(&self, options: usize) -> Steps {
        let width = Choices::width(options);
        if self.len == 0 || self.first.len() * (8 + width) >= self.len * (4 + width) {
            let mut back = Vec::with_capacity(self.len);
            let mut chosen = Vec::with_capacity(self.len);
            for s in 0..self.first.len() {
                let end = self.first.get(s + 1).map_or(self.len, |&f| f as usize);
                let count = (end - self.first[s] as usize) as u32;
                back.extend(self.prev[s]..self.prev[s] + count);
                chosen.extend(std::iter::repeat_n(self.option[s], count as usize));
            }
            return Steps::plain(&back, &chosen, options);
        }
        Steps::Stretches {
            first: self.first.clone(),
            prev: self.prev.clone(),
            option: Choices::new(self.option.iter().copied(), options),
            len: self.len,
        }
    }
}

impl History {
    /// The package that ends at node `leaf` of the last layer.
    pub fn package(&self, mut leaf: usize) -> Vec<OptionIx> {
        let mut package = vec![0; self.layers.len()];
        for (i, steps) in self.layers.iter().enumerate().rev() {
            let (prev, option) = steps.get(leaf);
            package[i] = option;
            leaf = prev;
        }
        package
    }

    /// Appends a layer: each kept partial sum's back-pointer and option (of `options`).
    fn push(&mut self, steps: &StepsBuilder, options: usize) {
        self.layers.push(steps.finish(options));
        #[cfg(test)]
        self.raw.push(steps.raw.clone());
    }
}

/// Why a merge stopped before the end.
#[derive(Debug, Clone, PartialEq)]
pub enum MergeStop {
    /// A layer grew past [`MergeConfig::max_partial_sums`].
    TooLarge {
        /// The issue being merged.
        issue: usize,
        /// How many partial sums it held.
        partial_sums: usize,
    },
    /// More than 64 conditional red lines span one issue (each is carried as a bit of state
    /// from its first issue to its second).
    TooManyOpenConditionals {
        /// An issue where too many are open.
        issue: usize,
        /// How many are open there.
        open: usize,
    },
    /// The candidates formed passed [`MergeConfig::max_work`].
    TooMuchWork {
        /// The issue about to be merged.
        issue: usize,
        /// The candidates formed up to and including that issue.
        work: u64,
        /// The bound on the whole merge's candidates, from the issues alone, as made before it
        /// started ([`work_bound`]).
        bound: f64,
    },
    /// A two-party merge on a staircase: the work done and the issues left, at the current
    /// layer's size, would pass [`MergeConfig::max_work`] (and so would the bound from the issues
    /// alone): the merge stops before doing work that would most likely be thrown away. A
    /// projection, not a bound (a layer may shrink); only the choice of method depends on it.
    ProjectedWork {
        /// The issue about to be merged.
        issue: usize,
        /// The work done before it.
        work: u64,
        /// The work done plus the layer's partial sums times the issues left.
        projected: u64,
    },
    /// Extending a layer by one issue built more than [`CANDIDATES_PER_PARTIAL_SUM`] times
    /// [`MergeConfig::max_partial_sums`] candidates (and more than [`MIN_CANDIDATES`]), before
    /// any was filtered out.
    TooManyCandidates {
        /// The issue being merged.
        issue: usize,
        /// How many candidates it had built when it stopped.
        candidates: usize,
    },
    /// The cancel flag was set.
    Cancelled {
        /// Issues merged before stopping.
        issues_done: usize,
    },
}

/// A conditional red line, oriented by the order in which its issues are merged.
struct Link {
    /// The bit of the state that carries it: links whose spans of issues do not overlap share
    /// bits, so that only the links open at once count against the 64 bits of a key.
    bit: u32,
    first: usize,
    /// Options of the first issue that set the bit.
    sets: Vec<bool>,
    second: usize,
    /// Options of the second issue allowed while the bit is set.
    allows: Vec<bool>,
}

/// Gives each link a bit of the key, reusing the bit of a link whose span of issues ended before
/// this one's begins (greedy colouring of intervals, which uses as many bits as the most links
/// open across one issue). Fails when more than 64 are open at once.
fn assign_bits(links: &mut [Link]) -> Result<(), MergeStop> {
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by_key(|&l| (links[l].first, links[l].second));
    // For each bit in use, the issue after which it is free again (its link's second issue).
    let mut busy_until: Vec<usize> = Vec::new();
    for l in order {
        let first = links[l].first;
        let free = busy_until.iter().position(|&until| until < first);
        let bit = match free {
            Some(b) => b,
            None => {
                busy_until.push(0);
                busy_until.len() - 1
            }
        };
        if bit >= 64 {
            let open = links
                .iter()
                .filter(|x| x.first <= first && first <= x.second)
                .count();
            return Err(MergeStop::TooManyOpenConditionals { issue: first, open });
        }
        busy_until[bit] = links[l].second;
        links[l].bit = bit as u32;
    }
    Ok(())
}

/// The options each issue keeps after the simple red lines, and the conditional red lines as
/// links between two issues, with their bits; `None` for a domain when a red line leaves an issue
/// no option (the merge is then empty).
fn prepare(eval: &Evaluator, rules: &Rules) -> Result<(Vec<Vec<OptionIx>>, Vec<Link>), MergeStop> {
    let counts = eval.counts();
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
                        bit: 0,
                        first: *if_issue,
                        sets: if_options.0.clone(),
                        second: then.issue,
                        allows: then.allowed.0.clone(),
                    });
                } else {
                    // "A ∈ X → B ∈ Y" is "B ∉ Y → A ∉ X", with B merged first.
                    links.push(Link {
                        bit: 0,
                        first: then.issue,
                        sets: then.allowed.0.iter().map(|&b| !b).collect(),
                        second: *if_issue,
                        allows: if_options.0.iter().map(|&b| !b).collect(),
                    });
                }
            }
        }
    }
    assign_bits(&mut links)?;
    let domains = allowed
        .iter()
        .map(|a| (0..a.len()).filter(|&o| a[o]).collect())
        .collect();
    Ok((domains, links))
}

/// A bound, computed before a merge starts, on the candidate partial sums it forms (what
/// [`MergeConfig::max_work`] counts): the sum over issues of (the partial sums the layer before
/// it can hold) × (its options). A layer holds at most one partial sum per state of the open
/// conditional red lines (2 per open line) and distinct vector, and, since it keeps only
/// vectors no other of its state dominates, at most one per combination of all parties' values
/// but one. So a layer is bounded by the smallest of: its partial packages; the states times
/// the product of each issue's distinct utility vectors; and, when every contribution is an
/// integer (the exact decimal scale) and rounding cannot keep a dominated sum, the states times
/// the product over all parties but one of the values their partial sums can take (the span of
/// the sums over the greatest common divisor of the steps, plus one). The last is what makes the
/// bound useful: two parties' layers are staircases no longer than one party's range of values.
///
/// A proven upper bound, never an estimate from below: a merge given it as its budget never
/// stops on the budget (`tests::work_bound_bounds_the_work`). Saturates at `f64::MAX`; `None`
/// when more conditional red lines are open at once than the merge carries (the merge then
/// refuses before forming anything).
pub fn work_bound(eval: &Evaluator, rules: &Rules, slots: &[usize]) -> Option<f64> {
    let (domains, links) = prepare(eval, rules).ok()?;
    if domains.iter().any(Vec::is_empty) {
        return Some(0.0);
    }
    let m = domains.len();
    let k = slots.len();
    // The integer scale applies when every contribution is an integer held exactly and the
    // merge's rounding margin cannot keep a dominated sum (it is below one step of the scale).
    let integral = domains.iter().enumerate().all(|(i, d)| {
        d.iter().all(|&o| {
            let c = eval.contribution(i, o);
            slots
                .iter()
                .all(|&s| c[s].fract() == 0.0 && c[s].abs() < (1u64 << 50) as f64)
        })
    }) && Rounding::new(eval, slots, |_, _| true, std::iter::empty()).gap(m) < 1.0;
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let mut packages = 1.0f64;
    let mut distinct_product = 1.0f64;
    // Per party: the span of its partial sums on the integer scale and the gcd of its steps.
    let mut span = vec![0u64; k];
    let mut step = vec![0u64; k];
    let mut total = 0.0f64;
    let mut layer = 1.0f64;
    for (i, domain) in domains.iter().enumerate() {
        total += layer * domain.len() as f64;
        packages *= domain.len() as f64;
        let mut distinct: Vec<Vec<u64>> = domain
            .iter()
            .map(|&o| {
                let c = eval.contribution(i, o);
                slots.iter().map(|&s| c[s].to_bits()).collect()
            })
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        distinct_product *= distinct.len().max(1) as f64;
        let open = links
            .iter()
            .filter(|l| l.first <= i && i < l.second)
            .count();
        let states = 2f64.powi(i32::try_from(open).unwrap_or(i32::MAX));
        layer = packages.min(states * distinct_product);
        if integral && k > 0 {
            for (j, &s) in slots.iter().enumerate() {
                let values = domain.iter().map(|&o| eval.contribution(i, o)[s]);
                let low = values.clone().fold(f64::INFINITY, f64::min);
                let mut high = low;
                for v in values {
                    // Exact: both are integers below 2^50.
                    step[j] = gcd(step[j], (v - low) as u64);
                    high = high.max(v);
                }
                span[j] = span[j].saturating_add((high - low) as u64);
            }
            let values: Vec<f64> = (0..k)
                .map(|j| match step[j] {
                    0 => 1.0,
                    g => (span[j] / g) as f64 + 1.0,
                })
                .collect();
            let all: f64 = values.iter().product();
            let but_one = values.iter().map(|v| all / v).fold(f64::INFINITY, f64::min);
            layer = layer.min(states * but_one);
        }
    }
    Some(total.min(f64::MAX))
}

/// Merges the frontier over scored-party slots `slots` of all packages the rules allow.
pub fn merge_frontier(
    eval: &Evaluator,
    rules: &Rules,
    slots: &[usize],
    config: &MergeConfig,
) -> Result<(Vec<MergedPoint>, History), MergeStop> {
    let counts = eval.counts();
    let m = counts.len();
    let k = slots.len();
    let (domains, links) = prepare(eval, rules)?;
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
    let rounding = Rounding::new(eval, slots, |_, _| true, floors.iter().map(|&(_, min)| min));

    // Layer 0 is the empty package: one partial sum at the origin. Only the current layer keeps
    // utilities and counts; earlier layers keep just their back-pointers, for rebuilding packages
    // at the end.
    let mut history = History::default();
    let mut ranks = Ranks::new();
    // Buffers reused from layer to layer: the next layer, its back-pointers and options (as
    // stretches) before they are copied at their exact size into the history, and the
    // candidates of 3+ parties.
    let mut next = Layer::default();
    let mut steps = StepsBuilder::default();
    let mut cand_u: Vec<f64> = Vec::new();
    let mut cand_meta: Vec<(u32, u16)> = Vec::new();
    // Whether two-party layers may still be split among threads, and the parts' buffers.
    let mut split = true;
    let mut part_buffers: Vec<(Layer, StepsBuilder)> = Vec::new();
    let max_candidates = config
        .max_partial_sums
        .saturating_mul(CANDIDATES_PER_PARTIAL_SUM)
        .max(MIN_CANDIDATES);
    let mut layer = Layer {
        utilities: vec![0.0; k],
        counts: Counts::ones(1),
        keys: vec![(0, 0, 1)],
        staircase: true,
    };
    // The bound is computed here only when the budget is passed, for the message; the analysis
    // computes it before it starts.
    let mut work: u64 = 0;
    // The bound on the merge's work from the issues alone, made when a projection needs it.
    let mut bound: Option<f64> = None;
    for i in 0..m {
        if config
            .cancel
            .is_some_and(|c| c.load(AtomicOrdering::Relaxed))
        {
            return Err(MergeStop::Cancelled { issues_done: i });
        }
        // Work: the candidates the layer forms, its partial sums times the issue's options. A
        // two-party merge on a staircase forms only the candidates it keeps and skips the
        // dominated stretches by search: about one unit per partial sum of the staircase it
        // shifts; the rest is charged if it falls back to forming them all (below).
        let staircase_2d = k == 2 && layer.staircase && config.keep.is_none();
        let formed = (layer.counts.len() as u64).saturating_mul(domains[i].len() as u64);
        work = work.saturating_add(if staircase_2d {
            layer.counts.len() as u64
        } else {
            formed
        });
        if config.max_work > 0 && work > config.max_work {
            return Err(MergeStop::TooMuchWork {
                issue: i,
                work,
                bound: work_bound(eval, rules, slots).unwrap_or(f64::MAX),
            });
        }
        // Staircases grow from layer to layer: when this one's size times the issues left
        // passes the budget, the merge would most likely pass it, and stopping now makes a
        // fall back to branch and bound cheap. Never when the bound from the issues alone is
        // within the budget (the merge then cannot pass it).
        if staircase_2d && config.project_work && config.max_work > 0 {
            let projected =
                work.saturating_add((layer.counts.len() as u64).saturating_mul((m - 1 - i) as u64));
            if projected > config.max_work {
                let bound = *bound
                    .get_or_insert_with(|| work_bound(eval, rules, slots).unwrap_or(f64::MAX));
                if bound > config.max_work as f64 {
                    return Err(MergeStop::ProjectedWork {
                        issue: i,
                        work,
                        projected,
                    });
                }
            }
        }
        // Issues still to add after this one, and what rounding can do over them.
        let gap = rounding.gap(m - 1 - i);
        let thresholds: Vec<f64> = floors
            .iter()
            .map(|&(_, min)| min - rounding.floor(m - 1 - i))
            .collect();
        // Each (new key, previous range, option) whose conditionals allow it.
        let mut sources: Vec<(u64, usize, usize, usize)> = Vec::new();
        for &(key, start, end) in &layer.keys {
            for &o in &domains[i] {
                // Which conditionals this option breaks, clears or sets.
                let mut new_key = key;
                let mut ok = true;
                for link in &links {
                    let bit = 1u64 << link.bit;
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
                if ok {
                    sources.push((new_key, start, end, o));
                }
            }
        }
        next.clear();
        steps.clear();
        // Ties choose their representative by the rank of the package they extend; ranks are
        // computed only when a tie needs them.
        let mut rank = |n: u32| ranks.of(&history, counts, i)[n as usize];
        // Two parties on a staircase layer: runs stay virtual (a staircase of the previous layer
        // plus a shift) and only the candidates the merge looks at are computed. It gives up
        // when it meets a candidate dominated only by a rounding margin, and the layer is then
        // merged as for more parties.
        let mut lazy_done = false;
        if staircase_2d {
            let mut lazy: BTreeMap<u64, Vec<Run2>> = BTreeMap::new();
            for &(new_key, start, end, o) in &sources {
                let c = eval.contribution(i, o);
                let shift = [c[slots[0]], c[slots[1]]];
                let base = |n: usize, j: usize| layer.utilities[n * 2 + j];
                // Floors cut a staircase at both ends: the first party's utility falls along
                // it, the second's rises.
                let mut lo = start;
                let mut hi = end;
                for (f, &(j, _)) in floors.iter().enumerate() {
                    let reaches =
                        |n: usize| base(n, j) + shift[j] + suffix_best[i + 1][f] >= thresholds[f];
                    if j == 0 {
                        hi = hi.min(bisect(start, end, reaches));
                    } else {
                        lo = lo.max(bisect(start, end, |n| !reaches(n)));
                    }
                }
                if lo < hi {
                    lazy.entry(new_key).or_default().push(Run2 {
                        start: lo,
                        len: hi - lo,
                        shift,
                        option: o as u16,
                    });
                }
            }
            lazy_done = true;
            for (&key, runs) in &lazy {
                let start = next.counts.len();
                let total: usize = runs.iter().map(|r| r.len).sum();
                let threads = rayon::current_num_threads();
                if split && threads > 1 && total >= config.parallel_from {
                    let parts = split_runs(&layer, runs, threads);
                    match merge_2d_split(
                        &layer,
                        &parts,
                        gap,
                        &mut part_buffers,
                        &mut next,
                        &mut steps,
                        &mut rank,
                    ) {
                        Split::Done => {}
                        Split::Ranked => split = false,
                        Split::Margin => {
                            lazy_done = false;
                            break;
                        }
                    }
                } else if !merge_2d(&layer, runs, gap, &mut next, &mut steps, &mut rank) {
                    lazy_done = false;
                    break;
                }
                if next.counts.len() > start {
                    next.keys.push((key, start, next.counts.len()));
                }
            }
            next.staircase = true;
        }
        if !lazy_done {
            if staircase_2d {
                work = work.saturating_add(formed - layer.counts.len() as u64);
                if config.max_work > 0 && work > config.max_work {
                    return Err(MergeStop::TooMuchWork {
                        issue: i,
                        work,
                        bound: work_bound(eval, rules, slots).unwrap_or(f64::MAX),
                    });
                }
            }
            next.clear();
            steps.clear();
            // Candidates grouped by their new key, each (old key, option) one run.
            let mut groups: BTreeMap<u64, Vec<(usize, usize)>> = BTreeMap::new();
            cand_u.clear();
            cand_meta.clear();
            for &(new_key, start, end, o) in &sources {
                let c = eval.contribution(i, o);
                let run_start = cand_meta.len();
                for n in start..end {
                    let base = &layer.utilities[n * k..(n + 1) * k];
                    let reachable = floors.iter().enumerate().all(|(f, &(j, _))| {
                        base[j] + c[slots[j]] + suffix_best[i + 1][f] >= thresholds[f]
                    });
                    if !reachable {
                        continue;
                    }
                    for (j, &s) in slots.iter().enumerate() {
                        cand_u.push(base[j] + c[s]);
                    }
                    if let Some(keep) = config.keep {
                        if !keep(i + 1, &cand_u[cand_u.len() - k..]) {
                            cand_u.truncate(cand_u.len() - k);
                            continue;
                        }
                    }
                    cand_meta.push((n as u32, o as u16));
                    if config.max_partial_sums > 0 && cand_meta.len() > max_candidates {
                        return Err(MergeStop::TooManyCandidates {
                            issue: i,
                            candidates: cand_meta.len(),
                        });
                    }
                }
                if cand_meta.len() > run_start {
                    groups
                        .entry(new_key)
                        .or_default()
                        .push((run_start, cand_meta.len()));
                }
            }
            let mut staircase = true;
            for (&key, runs) in &groups {
                let start = next.counts.len();
                let mut order: Vec<u32> =
                    runs.iter().flat_map(|&(s, e)| s as u32..e as u32).collect();
                let cand = |c: u32| &cand_u[c as usize * k..(c as usize + 1) * k];
                for (members, on_frontier, kept) in frontier_groups(&mut order, k, cand, gap) {
                    if !kept {
                        continue;
                    }
                    staircase &= on_frontier;
                    let mut count: u128 = 0;
                    for &c in members {
                        count = count
                            .saturating_add(layer.counts.get(cand_meta[c as usize].0 as usize));
                    }
                    // The smallest package: by the rank of the package it extends, then by option.
                    let (n, o) = if members.len() == 1 {
                        cand_meta[members[0] as usize]
                    } else {
                        members
                            .iter()
                            .map(|&c| cand_meta[c as usize])
                            .min_by_key(|&(n, o)| (rank(n), o))
                            .expect("groups are not empty")
                    };
                    next.utilities.extend_from_slice(cand(members[0]));
                    next.counts.push(count);
                    steps.push(n, o);
                }
                if next.counts.len() > start {
                    next.keys.push((key, start, next.counts.len()));
                }
            }
            next.staircase = staircase;
        }
        if config.max_partial_sums > 0 && next.counts.len() > config.max_partial_sums {
            return Err(MergeStop::TooLarge {
                issue: i,
                partial_sums: next.counts.len(),
            });
        }
        // Options fit in 16 bits: `analysis::check` refuses issues with more.
        history.push(&steps, counts[i]);
        std::mem::swap(&mut layer, &mut next);
        if let Some(progress) = config.progress {
            progress(i + 1, m);
        }
    }

    // Final: every key is closed; apply the floors exactly and merge the keys' frontiers.
    let mut order: Vec<u32> = (0..layer.counts.len() as u32)
        .filter(|&n| {
            let u = &layer.utilities[n as usize * k..(n as usize + 1) * k];
            floors.iter().all(|&(j, min)| u[j] >= min)
        })
        .collect();
    let at = |n: u32| &layer.utilities[n as usize * k..(n as usize + 1) * k];
    let mut frontier: Vec<MergedPoint> = Vec::new();
    for (members, _, kept) in frontier_groups(&mut order, k, at, 0.0) {
        if !kept {
            continue;
        }
        let mut count: u128 = 0;
        for &n in members {
            count = count.saturating_add(layer.counts.get(n as usize));
        }
        let leaf = if members.len() == 1 {
            members[0]
        } else {
            let last = ranks.of(&history, counts, m);
            *members
                .iter()
                .min_by_key(|&&n| last[n as usize])
                .expect("groups are not empty")
        };
        frontier.push(MergedPoint {
            utilities: at(members[0]).to_vec(),
            package_count: count,
            leaf: leaf as usize,
        });
    }
    Ok((frontier, history))
}

/// One layer of partial sums: utilities (`k` per partial sum), tie counts, and the ranges of
/// partial sums sharing a key, in ascending key order. Within a key, partial sums are in
/// descending lexicographic order of their utilities; `staircase` when they are all on their
/// key's frontier (for two parties, a staircase), none kept for being dominated only by a
/// rounding margin.
#[derive(Default)]
struct Layer {
    utilities: Vec<f64>,
    counts: Counts,
    keys: Vec<(u64, usize, usize)>,
    staircase: bool,
}

/// A layer's tie counts: how many packages each partial sum stands for. Without ties (values
/// drawn from a continuum, as in most Genius files) every count is 1, and none is stored: a
/// layer of a two-party merge is copied mostly in bulk, and 16 bytes per partial sum would be
/// most of what it copies. The first count that is not 1 stores them all.
struct Counts {
    len: usize,
    /// Every count, or empty while they are all 1 (`ones`).
    values: Vec<u128>,
    ones: bool,
}

impl Default for Counts {
    fn default() -> Self {
        Counts::ones(0)
    }
}

impl Counts {
    /// `len` counts of 1.
    fn ones(len: usize) -> Self {
        Counts {
            len,
            values: Vec::new(),
            ones: true,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, n: usize) -> u128 {
        if self.ones {
            1
        } else {
            self.values[n]
        }
    }

    /// Stores every count, from here on.
    fn store(&mut self) {
        if self.ones {
            self.ones = false;
            self.values.clear();
            self.values.resize(self.len, 1);
        }
    }

    fn push(&mut self, count: u128) {
        if count != 1 {
            self.store();
        }
        if !self.ones {
            self.values.push(count);
        }
        self.len += 1;
    }

    /// Appends the counts of `other`'s partial sums `range`.
    fn extend_from(&mut self, other: &Counts, range: std::ops::Range<usize>) {
        if !other.ones {
            self.store();
            self.values.extend_from_slice(&other.values[range.clone()]);
        } else if !self.ones {
            self.values.resize(self.values.len() + range.len(), 1);
        }
        self.len += range.len();
    }

    /// Adds `count` packages to partial sum `n`'s, saturating.
    fn add(&mut self, n: usize, count: u128) {
        self.store();
        self.values[n] = self.values[n].saturating_add(count);
    }

    /// Keeps the first `len` counts.
    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
        if !self.ones {
            self.values.truncate(len);
        }
    }

    fn clear(&mut self) {
        self.len = 0;
        self.values.clear();
        self.ones = true;
    }
}

impl Layer {
    /// Keeps the first `n` partial sums of a two-party layer (its keys untouched).
    fn truncate_2d(&mut self, n: usize) {
        self.utilities.truncate(2 * n);
        self.counts.truncate(n);
    }

    fn clear(&mut self) {
        self.utilities.clear();
        self.counts.clear();
        self.keys.clear();
    }
}

/// The ranks of one layer's representative packages in lexicographic order (option indices,
/// issue 0 first), which decide which tied package represents a point. Computed layer by layer
/// from the back-pointers, and only as far as a tie needs them.
struct Ranks {
    layer: usize,
    ranks: Vec<u32>,
    /// Buffers for one layer's back-pointers and options.
    back: Vec<u32>,
    chosen: Vec<u16>,
}

impl Ranks {
    fn new() -> Self {
        Ranks {
            layer: 0,
            ranks: vec![0],
            back: Vec::new(),
            chosen: Vec::new(),
        }
    }

    /// The ranks of layer `layer` (0: the empty package).
    fn of(&mut self, history: &History, counts: &[usize], layer: usize) -> &[u32] {
        while self.layer < layer {
            let l = self.layer;
            history.layers[l].expand(&mut self.back, &mut self.chosen);
            let (back, options) = (&self.back, &self.chosen);
            // Order by the previous rank, then by option. Previous ranks are a permutation of
            // 0..previous length, so two stable counting sorts do it in linear time.
            let all: Vec<u32> = (0..back.len() as u32).collect();
            let by_option = counting_sort(&all, counts[l], |n| usize::from(options[n as usize]));
            let order = counting_sort(&by_option, self.ranks.len(), |n| {
                self.ranks[back[n as usize] as usize] as usize
            });
            let mut ranks = vec![0; back.len()];
            for (r, &n) in order.iter().enumerate() {
                ranks[n as usize] = r as u32;
            }
            self.ranks = ranks;
            self.layer += 1;
        }
        debug_assert_eq!(self.layer, layer, "ranks are asked for in layer order");
        &self.ranks
    }
}

/// A stable counting sort of `items` by `key(item) < buckets`.
fn counting_sort(items: &[u32], buckets: usize, key: impl Fn(u32) -> usize) -> Vec<u32> {
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

/// Sorts `order` (ids of vectors of width `k`) in descending lexicographic order, groups equal
/// vectors, and says of each group whether it is on the frontier and whether it is kept: on the
/// frontier, or dominated by no vector by `gap` or more on some coordinate (with `gap` 0, by
/// none). The sort is stable and finds the sorted runs the ids arrive in (shifted copies of a
/// sorted layer), so it is close to a k-way merge; the dominance tests are
/// [`crate::pareto::dominated_sorted`] and [`crate::pareto::dominated_by_margin`].
fn frontier_groups<'a, 'b>(
    order: &'a mut [u32],
    k: usize,
    vector: impl Fn(u32) -> &'b [f64],
    gap: f64,
) -> impl Iterator<Item = (&'a [u32], bool, bool)> {
    order.sort_by(|&a, &b| lex_desc(vector(a), vector(b)));
    let mut starts: Vec<usize> = Vec::new();
    let mut distinct: Vec<f64> = Vec::new();
    for (t, &c) in order.iter().enumerate() {
        if t == 0 || vector(order[t - 1]) != vector(c) {
            starts.push(t);
            distinct.extend_from_slice(vector(c));
        }
    }
    let dominated = if k == 0 {
        vec![false; starts.len()]
    } else {
        dominated_sorted(&distinct, k)
    };
    let dropped = if gap > 0.0 && dominated.contains(&true) {
        dominated_by_margin(&distinct, k, &dominated, gap)
    } else {
        dominated.clone()
    };
    starts.push(order.len());
    let order: &'a [u32] = order;
    (0..dominated.len())
        .map(move |g| (&order[starts[g]..starts[g + 1]], !dominated[g], !dropped[g]))
}

/// A run of two-party candidates: partial sums `start..start + len` of the previous layer (a
/// staircase: first utility falling, second rising) shifted by one option's contribution.
struct Run2 {
    start: usize,
    len: usize,
    shift: [f64; 2],
    option: u16,
}

/// A run's next candidate in the k-way merge, ordered for a max-heap: larger first utility
/// first, then larger second, then the earlier run.
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
        self.0
            .total_cmp(&other.0)
            .then(self.1.total_cmp(&other.1))
            .then(other.2.cmp(&self.2))
    }
}

/// Two-party frontier of several staircase runs, appended to `next` (with back-pointers and
/// options): a k-way merge by descending first utility and one sweep, no re-sort.
///
/// Most candidates are dominated, and the kept ones come in long stretches from one run, so the
/// merge avoids touching candidates one heap operation at a time:
/// - while a run's next candidate still comes before every other run's head, it is taken
///   without going through the heap;
/// - a dominated candidate lets its run skip every following candidate that the last kept
///   point dominates (by binary search: along a run the second utility rises) or that the run
///   of the last kept point dominates (by a walk along both runs). Dropped and skipped
///   candidates are dominated by some candidate by at least `gap` on one coordinate (by any
///   margin when `gap` is 0), so neither the frontier nor its ties change.
///
/// Ties (equal vectors) add their counts and keep the smallest representative, by the rank of
/// the package they extend (`rank`), then by option.
///
/// Returns false, leaving `next` half written, on meeting a candidate the last kept point
/// dominates by less than `gap`: it may yet tie, and is not on the staircase.
fn merge_2d(
    layer: &Layer,
    runs: &[Run2],
    gap: f64,
    next: &mut Layer,
    steps: &mut StepsBuilder,
    rank: &mut impl FnMut(u32) -> u32,
) -> bool {
    let prev_u = &layer.utilities;
    let at = |r: usize, j: usize| -> (f64, f64) {
        let run = &runs[r];
        let n = run.start + j;
        (
            prev_u[2 * n] + run.shift[0],
            prev_u[2 * n + 1] + run.shift[1],
        )
    };
    let mut heap = BinaryHeap::with_capacity(runs.len());
    for (r, run) in runs.iter().enumerate() {
        if run.len > 0 {
            let (a, b) = at(r, 0);
            heap.push(Head(a, b, r, 0));
        }
    }
    // The last kept vector (its second utility is the largest kept so far), the run that kept
    // it and its position there.
    let mut last: Option<(f64, f64)> = None;
    let mut leader = (usize::MAX, 0);
    while let Some(Head(mut a, mut b, r, mut j)) = heap.pop() {
        let run = &runs[r];
        // The heap does not change while this run leads: its top is read once.
        let top = heap.peek().map(|h| Head(h.0, h.1, h.2, h.3));
        loop {
            let n = (run.start + j) as u32;
            match last {
                Some((la, lb)) if la == a && lb == b => {
                    // A tie: add its packages; keep the smallest representative.
                    let e = next.counts.len() - 1;
                    next.counts.add(e, layer.counts.get(n as usize));
                    let (kept, option) = steps.last();
                    if (rank(n), run.option) < (rank(kept), option) {
                        steps.set_last(n, run.option);
                    }
                    j += 1;
                }
                Some((la, lb)) if b <= lb => {
                    // Dominated (every candidate taken so far has a first utility at least `a`).
                    if !(beyond(la - a, gap) || beyond(lb - b, gap)) {
                        return false;
                    }
                    j = skip(&at, runs, r, j + 1, (la, lb), leader, gap);
                }
                _ => {
                    // Kept, and with it the run's following candidates while each still comes
                    // before the heap's top and its second utility rises past the last kept one:
                    // the arm this one took, taken in one tight loop (the kept ones come in long
                    // stretches) with their counts, back-pointers and options copied in bulk.
                    // Candidates whose first utility is above the heap top's come before it
                    // whatever their second; along a run the first utility does not rise, so
                    // they are a prefix of what remains, found by galloping, and the loop
                    // compares with the top only past it. (Leaving the loop early is always
                    // safe: the candidate then takes the arms above.)
                    next.utilities.extend_from_slice(&[a, b]);
                    let from = j;
                    let mut lb = b;
                    j += 1;
                    let ahead = match &top {
                        Some(t) => gallop(j, run.len, |x| at(r, x).0 > t.0),
                        None => run.len,
                    };
                    while j < run.len {
                        let m = run.start + j;
                        let (ca, cb) = (
                            prev_u[2 * m] + run.shift[0],
                            prev_u[2 * m + 1] + run.shift[1],
                        );
                        if cb <= lb
                            || cb.is_nan()
                            || ca.is_nan()
                            || (j >= ahead && top.as_ref().is_some_and(|t| *t > Head(ca, cb, r, j)))
                        {
                            break;
                        }
                        next.utilities.extend_from_slice(&[ca, cb]);
                        (a, lb) = (ca, cb);
                        j += 1;
                    }
                    next.counts
                        .extend_from(&layer.counts, run.start + from..run.start + j);
                    steps.extend((run.start + from) as u32, j - from, run.option);
                    last = Some((a, lb));
                    leader = (r, j - 1);
                }
            }
            if j >= run.len {
                break;
            }
            (a, b) = at(r, j);
            let head = Head(a, b, r, j);
            if top.as_ref().is_some_and(|top| *top > head) {
                heap.push(head);
                break;
            }
        }
    }
    true
}

/// The runs of one key split by first utility into `parts` groups of about equal size: group
/// `q` holds every candidate whose first utility is below the threshold of group `q - 1` and at
/// least its own (the last group's is minus infinity). Along a run the first utility does not
/// rise, so each run splits into consecutive stretches; equal first utilities fall in one group.
fn split_runs(layer: &Layer, runs: &[Run2], parts: usize) -> Vec<Vec<Run2>> {
    let prev_u = &layer.utilities;
    let at = |r: &Run2, j: usize| prev_u[2 * (r.start + j)] + r.shift[0];
    // Candidates with a first utility of at least `t`: of one run, and of all.
    let above_in = |r: &Run2, t: f64| bisect(0, r.len, |j| at(r, j) >= t);
    let above = |t: f64| -> Vec<usize> { runs.iter().map(|r| above_in(r, t)).collect() };
    let total: usize = runs.iter().map(|r| r.len).sum();
    let longest = runs.iter().max_by_key(|r| r.len).expect("a key has runs");
    // Thresholds from the longest run: for each part, the first of its candidates whose
    // threshold leaves at least the part's share above it.
    let mut cuts: Vec<Vec<usize>> = vec![vec![0; runs.len()]];
    for q in 1..parts {
        let share = total * q / parts;
        let j = bisect(0, longest.len, |j| {
            let t = at(longest, j);
            runs.iter().map(|r| above_in(r, t)).sum::<usize>() < share
        });
        let cut = if j < longest.len {
            above(at(longest, j))
        } else {
            runs.iter().map(|r| r.len).collect()
        };
        // Thresholds fall with `q`, so each cut is at or past the one before.
        let last = cuts.last().expect("the first cut");
        cuts.push(cut.iter().zip(last).map(|(&c, &l)| c.max(l)).collect());
    }
    cuts.push(runs.iter().map(|r| r.len).collect());
    cuts.windows(2)
        .map(|w| {
            runs.iter()
                .enumerate()
                .filter(|&(r, _)| w[1][r] > w[0][r])
                .map(|(r, run)| Run2 {
                    start: run.start + w[0][r],
                    len: w[1][r] - w[0][r],
                    shift: run.shift,
                    option: run.option,
                })
                .collect()
        })
        .collect()
}

/// How a split merge ended.
enum Split {
    /// The layer's partial sums of the key are appended.
    Done,
    /// Appended too, but a part met a tie and was merged again with the ranks: splitting
    /// further layers would mostly do the same.
    Ranked,
    /// A candidate was dominated by less than the rounding margin (see [`merge_2d`]): nothing
    /// usable is appended, and the layer is merged as for more parties.
    Margin,
}

/// [`merge_2d`] over groups of runs split by first utility ([`split_runs`]), merged at once on
/// rayon's threads, the first straight into `next` and the others into their own buffers, which
/// are then appended to `next` in order: of each group's
/// staircase, the points whose second utility is above the last point appended (every
/// candidate of a group comes after those of the groups before it in the merge order, so the
/// last point appended dominates exactly the candidates a single merge would drop for it).
/// Each point dropped that way is checked against the rounding margin as [`merge_2d`] checks
/// its own. A group that meets a tie is merged again with `rank` after the others.
fn merge_2d_split(
    layer: &Layer,
    parts: &[Vec<Run2>],
    gap: f64,
    buffers: &mut Vec<(Layer, StepsBuilder)>,
    next: &mut Layer,
    steps: &mut StepsBuilder,
    rank: &mut impl FnMut(u32) -> u32,
) -> Split {
    use rayon::prelude::*;
    let rest = &parts[1..];
    if buffers.len() < rest.len() {
        buffers.resize_with(rest.len(), Default::default);
    }
    let buffers = &mut buffers[..rest.len()];
    // The first group is merged straight into `next` (nothing of it is dropped: it comes first
    // in the merge order), the others into their buffers.
    let (start, steps_start) = (next.counts.len(), steps.len);
    let merge_part = |runs: &[Run2], out: &mut Layer, out_steps: &mut StepsBuilder| {
        let mut tied = false;
        let mut no_rank = |_: u32| {
            tied = true;
            0
        };
        let ok = merge_2d(layer, runs, gap, out, out_steps, &mut no_rank);
        (ok, tied)
    };
    let (first, others): ((bool, bool), Vec<(bool, bool)>) = rayon::join(
        || merge_part(&parts[0], next, steps),
        || {
            rest.par_iter()
                .zip(buffers.par_iter_mut())
                .map(|(runs, (out, out_steps))| {
                    out.clear();
                    out_steps.clear();
                    merge_part(runs, out, out_steps)
                })
                .collect()
        },
    );
    if !first.0 || others.iter().any(|&(ok, _)| !ok) {
        return Split::Margin;
    }
    let mut ranked = false;
    if first.1 {
        ranked = true;
        next.truncate_2d(start);
        steps.truncate(steps_start);
        if !merge_2d(layer, &parts[0], gap, next, steps, rank) {
            return Split::Margin;
        }
    }
    for (q, &(_, tied)) in others.iter().enumerate() {
        if tied {
            ranked = true;
            let (out, out_steps) = &mut buffers[q];
            out.clear();
            out_steps.clear();
            if !merge_2d(layer, &rest[q], gap, out, out_steps, rank) {
                return Split::Margin;
            }
        }
    }
    // The last point appended for this key (its second utility the largest so far).
    let u = &next.utilities;
    let mut last = (next.counts.len() > start).then(|| (u[u.len() - 2], u[u.len() - 1]));
    for (out, out_steps) in buffers.iter() {
        let u = &out.utilities;
        let len = out.counts.len();
        let from = match last {
            None => 0,
            Some((la, lb)) => {
                let d = bisect(0, len, |n| u[2 * n + 1] <= lb);
                if gap > 0.0
                    && (0..d)
                        .any(|n| !(beyond(la - u[2 * n], gap) || beyond(lb - u[2 * n + 1], gap)))
                {
                    return Split::Margin;
                }
                d
            }
        };
        if from < len {
            next.utilities.extend_from_slice(&u[2 * from..]);
            next.counts.extend_from(&out.counts, from..len);
            steps.append_from(out_steps, from);
            last = Some((u[2 * (len - 1)], u[2 * len - 1]));
        }
    }
    if ranked {
        Split::Ranked
    } else {
        Split::Done
    }
}

/// Whether a dominating vector ahead by `d` on one coordinate is far enough ahead that the
/// dominated one can be dropped (see `engine::Rounding`).
fn beyond(d: f64, gap: f64) -> bool {
    d > 0.0 && d >= gap
}

/// The first candidate of run `r` at or after `j` that is not known to be dominated (by `gap` on
/// one coordinate, see [`beyond`]): by the last kept vector `last` (which every remaining
/// candidate follows in the merge order), or by a candidate of the run that kept it, `leader`
/// (the run, and the position of `last` in it).
///
/// Along a run the first utility falls and the second rises. So the candidates below a
/// dominator's second utility, from a position where the dominator's first utility is at least
/// the candidate's, form a stretch found by galloping; the leader's candidate to chase next is
/// found the same way. Each jump skips a whole stretch of dominated candidates; the jumps of a
/// walk are of similar lengths (the two runs are one staircase shifted by two options), so each
/// search starts where the previous jump's length would take it ([`around`]).
fn skip(
    at: &impl Fn(usize, usize) -> (f64, f64),
    runs: &[Run2],
    r: usize,
    j: usize,
    last: (f64, f64),
    leader: (usize, usize),
    gap: f64,
) -> usize {
    let len = runs[r].len;
    let mut j = gallop(j, len, |x| beyond(last.1 - at(r, x).1, gap));
    let (leader, kept_at) = leader;
    if leader == r || leader == usize::MAX {
        return j;
    }
    let leader_len = runs[leader].len;
    // The leader's candidates `..p` have a first utility at least the current candidate's; the
    // last of them has the largest second utility among them. Those up to the last kept one
    // do: the current candidate follows it in the merge order.
    let mut p = kept_at + 1;
    let (mut step_p, mut step_j) = (1, 1);
    while j < len {
        let (a, b) = at(r, j);
        let from = p;
        p = around(p, leader_len, p + step_p, |y| at(leader, y).0 >= a);
        step_p = (p - from).max(1);
        let (la, lb) = at(leader, p - 1);
        if beyond(lb - b, gap) {
            // Every candidate from `j` on whose second utility is below `lb` by the gap is
            // dominated by it.
            let from = j;
            j = around(j + 1, len, j + step_j, |x| beyond(lb - at(r, x).1, gap));
            step_j = j - from;
        } else if lb >= b && beyond(la - a, gap) {
            j += 1;
        } else {
            break;
        }
    }
    j
}

/// The first index in `start..end` where `pred` fails (`end` if none), `pred` holding on a
/// prefix of the range: `start` first, then steps growing by doubling, then binary search, so
/// the cost grows with the logarithm of the distance, not of the range.
fn gallop(start: usize, end: usize, pred: impl Fn(usize) -> bool) -> usize {
    if start >= end || !pred(start) {
        return start;
    }
    let mut lo = start + 1;
    let mut step = 1usize;
    let mut probe = start.saturating_add(step).min(end);
    while probe < end && pred(probe) {
        lo = probe + 1;
        step = step.saturating_mul(2);
        probe = probe.saturating_add(step).min(end);
    }
    // The answer lies in lo..=probe.
    bisect(lo, probe.min(end), pred)
}

/// The first index in `start..end` where `pred` fails (`end` if none), `pred` holding on a
/// prefix of the range, searched from a guess: steps growing by doubling from `guess` (taken
/// into the range) toward the answer, then binary search, so the cost grows with the logarithm
/// of the guess's error, not of the distance.
fn around(start: usize, end: usize, guess: usize, pred: impl Fn(usize) -> bool) -> usize {
    let g = guess.clamp(start, end);
    if g < end && pred(g) {
        return gallop(g + 1, end, pred);
    }
    // The answer lies in start..=g: one past the last index below `g` where `pred` holds.
    let mut hi = g;
    let mut step = 1;
    loop {
        if hi <= start {
            return start;
        }
        let probe = hi.saturating_sub(step).max(start);
        if pred(probe) {
            // The answer lies in probe + 1..=hi.
            return bisect(probe + 1, hi, pred);
        }
        hi = probe;
        step = step.saturating_mul(2);
    }
}

/// The first index in `lo..hi` where `pred` fails (`hi` if none), `pred` holding on a prefix of
/// the range: binary search.
fn bisect(mut lo: usize, mut hi: usize, pred: impl Fn(usize) -> bool) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Floor;
    use crate::model::*;
    use proptest::prelude::*;

    /// `parties` consenting parties and issues of `counts[i]` options, equal weights, values
    /// drawn by a seeded generator: small integers when `coarse` (so that many partial sums are
    /// equal and ties are common), else integers below 1000. Sums of small integers are exact.
    fn scenario(counts: &[usize], parties: usize, seed: u64, coarse: bool) -> Scenario {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        let issues: Vec<Issue> = counts
            .iter()
            .enumerate()
            .map(|(i, &n)| Issue {
                id: format!("i{i}"),
                name: format!("I{i}"),
                ordered: false,
                options: (0..n)
                    .map(|o| IssueOption {
                        id: format!("o{o}"),
                        name: format!("O{o}"),
                        value: None,
                    })
                    .collect(),
                numeric: None,
            })
            .collect();
        let preferences = (0..parties)
            .map(|_| {
                Some(Preferences {
                    reservation: Assumed::exact(0.0),
                    provenance: Provenance::default(),
                    issues: counts
                        .iter()
                        .map(|&n| IssuePreference {
                            weight: Assumed::exact(1.0),
                            values: ValueFunction::Table(
                                (0..n)
                                    .map(|_| {
                                        let x = next() % if coarse { 4 } else { 1000 };
                                        Assumed::exact(x as f64)
                                    })
                                    .collect(),
                            ),
                            provenance: Provenance::default(),
                        })
                        .collect(),
                    discount: None,
                })
            })
            .collect();
        Scenario {
            id: "history".into(),
            title: "history".into(),
            description: String::new(),
            sources: vec![],
            parties: (0..parties)
                .map(|p| Party {
                    id: format!("p{p}"),
                    name: format!("P{p}"),
                    role: Role::Party,
                    consent: true,
                    aliases: vec![],
                    provenance: Provenance::default(),
                })
                .collect(),
            issues,
            preferences,
            red_lines: vec![],
            framework: Framework::default(),
            claims: Vec::new(),
        }
    }

    /// The package ending at node `leaf` of layer `raw.len()`, read from the back-pointers as
    /// the merge produced them (the representation the history had before it was encoded).
    fn reference_package(raw: &[(Vec<u32>, Vec<u16>)], mut leaf: usize) -> Vec<OptionIx> {
        let mut package = vec![0; raw.len()];
        for i in (0..raw.len()).rev() {
            package[i] = usize::from(raw[i].1[leaf]);
            leaf = raw[i].0[leaf] as usize;
        }
        package
    }

    /// The ranks of layer `layer`'s packages in lexicographic order, by sorting the packages.
    fn reference_ranks(raw: &[(Vec<u32>, Vec<u16>)], layer: usize) -> Vec<u32> {
        let len = if layer == 0 {
            1
        } else {
            raw[layer - 1].0.len()
        };
        let packages: Vec<Vec<OptionIx>> = (0..len)
            .map(|n| reference_package(&raw[..layer], n))
            .collect();
        let mut order: Vec<usize> = (0..len).collect();
        order.sort_by(|&a, &b| packages[a].cmp(&packages[b]));
        let mut ranks = vec![0; len];
        for (r, &n) in order.iter().enumerate() {
            ranks[n] = r as u32;
        }
        ranks
    }

    /// `history` agrees with the raw back-pointers it was built from: every node's back-pointer
    /// and option, every last-layer node's package and every layer's ranks.
    fn check(history: &History, counts: &[usize]) -> Result<(), TestCaseError> {
        let raw = &history.raw;
        prop_assert_eq!(history.layers.len(), raw.len());
        let (mut back, mut chosen) = (Vec::new(), Vec::new());
        for (steps, (b, c)) in history.layers.iter().zip(raw) {
            steps.expand(&mut back, &mut chosen);
            prop_assert_eq!(&back, b);
            prop_assert_eq!(&chosen, c);
            for n in 0..b.len() {
                prop_assert_eq!(steps.get(n), (b[n] as usize, usize::from(c[n])));
            }
        }
        let leaves = raw.last().map_or(1, |(b, _)| b.len());
        for leaf in 0..leaves {
            prop_assert_eq!(history.package(leaf), reference_package(raw, leaf));
        }
        let mut ranks = Ranks::new();
        for layer in 0..=raw.len() {
            let got = ranks.of(history, counts, layer).to_vec();
            prop_assert_eq!(got, reference_ranks(raw, layer));
        }
        Ok(())
    }

    /// The same history with every layer in one form.
    fn forced(history: &History, counts: &[usize], stretches: bool) -> History {
        History {
            layers: history
                .raw
                .iter()
                .zip(counts)
                .map(|((b, c), &options)| {
                    if stretches {
                        let first = (0..b.len())
                            .filter(|&n| n == 0 || c[n] != c[n - 1] || b[n] != b[n - 1] + 1)
                            .map(|n| n as u32)
                            .collect();
                        Steps::stretches(first, b, c, options)
                    } else {
                        Steps::plain(b, c, options)
                    }
                })
                .collect(),
            raw: history.raw.clone(),
        }
    }

    /// Issues of 1, 2, 10, 17 or 300 options (the last with 2-byte options), up to 12 issues
    /// but at most two of 300 options.
    fn counts() -> impl Strategy<Value = Vec<usize>> {
        prop::collection::vec(
            prop_oneof![
                2 => Just(1usize),
                4 => Just(2),
                4 => Just(10),
                2 => Just(17),
                1 => Just(300),
            ],
            1..=12,
        )
        .prop_filter("at most two wide issues", |c| {
            c.iter().filter(|&&n| n == 300).count() <= 2
        })
    }

    /// A conditional red line: (if issue, seed of its options, then issue, seed of the allowed).
    type Conditional = (usize, u64, usize, u64);

    /// The rules of `conditionals` (those between two different issues) and, with `floor`, a
    /// floor for the party at `slot` at a quarter of its best total times the floor's seed
    /// (rounded down to an integer when `whole`).
    fn conditionals_and_floor(
        eval: &Evaluator,
        counts: &[usize],
        slot: usize,
        conditionals: &[Conditional],
        floor: Option<u8>,
        whole: bool,
    ) -> Rules {
        let m = counts.len();
        let red_lines = conditionals
            .iter()
            .filter(|&&(a, _, b, _)| a % m != b % m)
            .map(|&(a, amask, b, bmask)| RedLineRule::Conditional {
                if_issue: a % m,
                if_options: mask(counts[a % m], amask),
                then: IssueRestriction {
                    issue: b % m,
                    allowed: mask(counts[b % m], bmask),
                    phrasing: Phrasing::MustBeOneOf,
                },
            })
            .collect();
        let best: f64 = (0..m)
            .map(|i| {
                (0..counts[i])
                    .map(|o| eval.contribution(i, o)[slot])
                    .fold(0.0, f64::max)
            })
            .sum();
        let min = |f: u8| {
            let min = best * f64::from(f) / 4.0;
            if whole {
                min.floor()
            } else {
                min
            }
        };
        Rules {
            red_lines,
            floors: floor
                .map(|f| Floor { slot, min: min(f) })
                .into_iter()
                .collect(),
        }
    }

    fn mask(n: usize, seed: u64) -> OptionSet {
        OptionSet((0..n).map(|o| (seed >> (o % 64)) & 1 == 1).collect())
    }

    /// One step of [`counts_match_a_plain_vector`].
    #[derive(Debug, Clone)]
    enum CountStep {
        Push(u128),
        /// A range of the other layer, by seeds of its start and length.
        Extend(usize, usize),
        Add(usize, u128),
        Clear,
        Swap,
    }

    fn count_steps() -> impl Strategy<Value = Vec<CountStep>> {
        // Mostly counts of 1, as without ties, and sometimes more, to the saturation.
        let count = prop_oneof![8 => Just(1u128), 1 => 2u128..5, 1 => Just(u128::MAX)];
        let step = prop_oneof![
            4 => count.clone().prop_map(CountStep::Push),
            3 => (0usize..64, 0usize..64).prop_map(|(a, b)| CountStep::Extend(a, b)),
            1 => (0usize..64, count).prop_map(|(n, c)| CountStep::Add(n, c)),
            1 => Just(CountStep::Clear),
            1 => Just(CountStep::Swap),
        ];
        proptest::collection::vec(step, 0..80)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// `gallop`, and `around` whatever its guess, find what a scan from `start` finds.
        #[test]
        fn searches_match_a_scan(
            end in 0usize..300,
            start_seed in 0usize..300,
            prefix_seed in 0usize..300,
            guess in 0usize..400,
        ) {
            let start = start_seed % (end + 1);
            let holds_to = start + prefix_seed % (end - start + 1);
            let scan = (start..end).find(|&x| x >= holds_to).unwrap_or(end);
            let pred = |x: usize| x < holds_to;
            prop_assert_eq!(gallop(start, end, pred), scan);
            prop_assert_eq!(around(start, end, guess, pred), scan);
        }

        /// A layer's back-pointers appended as the merge appends them (one at a time, in
        /// stretches, the last one replaced by a tie's smaller representative) are those of
        /// plain vectors; the stretches kept are maximal; and the form chosen at the end is the
        /// smaller one and expands to the same back-pointers.
        #[test]
        fn steps_builder_matches_plain_vectors(
            ops in proptest::collection::vec((0u8..3, 0u32..12, 0usize..5, 0u16..3), 0..60),
            options in prop_oneof![Just(3usize), Just(300)],
        ) {
            let mut steps = StepsBuilder::default();
            let (mut back, mut chosen): (Vec<u32>, Vec<u16>) = (Vec::new(), Vec::new());
            for (op, prev, count, option) in ops {
                match op {
                    0 => {
                        steps.push(prev, option);
                        back.push(prev);
                        chosen.push(option);
                    }
                    1 => {
                        steps.extend(prev, count, option);
                        back.extend(prev..prev + count as u32);
                        chosen.extend(std::iter::repeat_n(option, count));
                    }
                    _ if !back.is_empty() => {
                        prop_assert_eq!(steps.last(), (back[back.len() - 1], chosen[chosen.len() - 1]));
                        steps.set_last(prev, option);
                        *back.last_mut().unwrap() = prev;
                        *chosen.last_mut().unwrap() = option;
                    }
                    _ => {}
                }
            }
            let maximal = (0..back.len())
                .filter(|&n| n == 0 || chosen[n] != chosen[n - 1] || back[n] != back[n - 1] + 1)
                .count();
            prop_assert_eq!(steps.first.len(), maximal);
            let width = Choices::width(options);
            let encoded = steps.finish(options);
            prop_assert_eq!(
                matches!(encoded, Steps::Stretches { .. }),
                !back.is_empty() && maximal * (8 + width) < back.len() * (4 + width)
            );
            let (mut b, mut c) = (Vec::new(), Vec::new());
            encoded.expand(&mut b, &mut c);
            prop_assert_eq!(&b, &back);
            prop_assert_eq!(&c, &chosen);
            prop_assert_eq!(&steps.raw.0, &back);
            prop_assert_eq!(&steps.raw.1, &chosen);
        }

        /// Two layers' counts, as the merge uses them (pushed, copied in ranges from the other
        /// layer, added to by ties, cleared, swapped), are those of two plain vectors, whether
        /// they are stored or all 1.
        #[test]
        fn counts_match_a_plain_vector(steps in count_steps()) {
            let (mut layer, mut next) = (Counts::ones(1), Counts::default());
            let (mut plain_layer, mut plain_next) = (vec![1u128], Vec::new());
            for step in steps {
                match step {
                    CountStep::Push(c) => {
                        next.push(c);
                        plain_next.push(c);
                    }
                    CountStep::Extend(a, b) => {
                        let n = plain_layer.len();
                        let start = a % (n + 1);
                        let end = start + b % (n - start + 1);
                        next.extend_from(&layer, start..end);
                        plain_next.extend_from_slice(&plain_layer[start..end]);
                    }
                    CountStep::Add(n, c) => {
                        if !plain_next.is_empty() {
                            let n = n % plain_next.len();
                            next.add(n, c);
                            plain_next[n] = plain_next[n].saturating_add(c);
                        }
                    }
                    CountStep::Clear => {
                        next.clear();
                        plain_next.clear();
                    }
                    CountStep::Swap => {
                        std::mem::swap(&mut layer, &mut next);
                        std::mem::swap(&mut plain_layer, &mut plain_next);
                    }
                }
                for (counts, plain) in [(&layer, &plain_layer), (&next, &plain_next)] {
                    prop_assert_eq!(counts.len(), plain.len());
                    let got: Vec<u128> = (0..plain.len()).map(|n| counts.get(n)).collect();
                    prop_assert_eq!(&got, plain);
                    // Nothing is stored while every count is 1 since the last clear.
                    if counts.ones {
                        prop_assert!(counts.values.is_empty());
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The encoded history (each layer in the form the merge chose, and every layer forced
        /// into each form) rebuilds exactly the packages and the tie ranks of the plain
        /// back-pointers, on two- and three-party merges with ties, conditional red lines and
        /// floors.
        #[test]
        fn encoded_history_matches_plain_back_pointers(
            counts in counts(),
            parties in 2usize..=3,
            seed in any::<u64>(),
            coarse in any::<bool>(),
            conditionals in prop::collection::vec((0usize..12, any::<u64>(), 0usize..12, any::<u64>()), 0..=2),
            floor in prop::option::of(0u8..=4),
        ) {
            let m = counts.len();
            let scenario = scenario(&counts, parties, seed, coarse);
            let eval = Evaluator::new(&scenario);
            let slots: Vec<usize> = (0..parties).map(|p| eval.slot(p).unwrap()).collect();
            let rules = conditionals_and_floor(&eval, &counts, slots[0], &conditionals, floor, true);
            let config = MergeConfig { max_partial_sums: 20_000, ..MergeConfig::default() };
            let history = match merge_frontier(&eval, &rules, &slots, &config) {
                Ok((_, history)) => history,
                Err(MergeStop::TooLarge { .. } | MergeStop::TooManyCandidates { .. }) => {
                    return Err(TestCaseError::reject("too large"))
                }
                Err(e) => panic!("{e:?}"),
            };
            if history.raw.len() == m {
                check(&history, &counts)?;
                check(&forced(&history, &counts, false), &counts)?;
                check(&forced(&history, &counts, true), &counts)?;
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// A two-party merge whose layers are split among threads (every layer of two
        /// candidates or more) gives what one merge per layer gives: the same points, tie
        /// counts and representative packages, and the same back-pointers, layer by layer; with
        /// ties (coarse values), rounding margins (values in tenths), conditional red lines and
        /// a floor.
        #[test]
        fn split_merge_matches_one_merge(
            counts in counts(),
            seed in any::<u64>(),
            coarse in any::<bool>(),
            tenths in any::<bool>(),
            conditionals in prop::collection::vec((0usize..12, any::<u64>(), 0usize..12, any::<u64>()), 0..=2),
            floor in prop::option::of(0u8..=4),
        ) {
            let mut scenario = scenario(&counts, 2, seed, coarse);
            if tenths {
                for prefs in scenario.preferences.iter_mut().flatten() {
                    for ip in &mut prefs.issues {
                        if let ValueFunction::Table(values) = &mut ip.values {
                            values.iter_mut().for_each(|v| v.value /= 10.0);
                        }
                    }
                }
            }
            let eval = Evaluator::new(&scenario);
            let slots = [eval.slot(0).unwrap(), eval.slot(1).unwrap()];
            let rules = conditionals_and_floor(&eval, &counts, slots[0], &conditionals, floor, false);
            let run = |parallel_from: usize| {
                let config = MergeConfig {
                    max_partial_sums: 20_000,
                    parallel_from,
                    ..MergeConfig::default()
                };
                merge_frontier(&eval, &rules, &slots, &config)
            };
            // Three parts, whatever the machine's cores.
            let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
            let (one, split) = match (run(usize::MAX), pool.install(|| run(2))) {
                (Ok(one), Ok(split)) => (one, split),
                (Err(MergeStop::TooLarge { .. } | MergeStop::TooManyCandidates { .. }), _) => {
                    return Err(TestCaseError::reject("too large"))
                }
                (one, split) => panic!("{:?} against {:?}", one.err(), split.err()),
            };
            prop_assert_eq!(&one.0, &split.0);
            prop_assert_eq!(&one.1.raw, &split.1.raw);
            for point in &one.0 {
                prop_assert_eq!(one.1.package(point.leaf), split.1.package(point.leaf));
            }
        }
    }

    /// The join of a split merge drops a later part's point only when the last point an earlier
    /// part kept dominates it by the rounding margin on one coordinate. A point within the margin
    /// on both (a near tie on either side of the split's threshold) sends the layer to the
    /// general merge, as a single merge of the same runs does; one beyond it is dropped.
    #[test]
    fn split_join_drops_a_point_only_beyond_the_rounding_margin() {
        let gap = 1e-9;
        let join = |b: (f64, f64)| {
            let layer = Layer {
                utilities: vec![0.5, 0.5, b.0, b.1],
                counts: Counts::ones(2),
                ..Layer::default()
            };
            let run = |start: usize| Run2 {
                start,
                len: 1,
                shift: [0.0, 0.0],
                option: start as u16,
            };
            let mut rank = |n: u32| n;
            let (mut next, mut steps, mut buffers) =
                (Layer::default(), StepsBuilder::default(), Vec::new());
            let split = merge_2d_split(
                &layer,
                &[vec![run(0)], vec![run(1)]],
                gap,
                &mut buffers,
                &mut next,
                &mut steps,
                &mut rank,
            );
            let (mut one, mut one_steps) = (Layer::default(), StepsBuilder::default());
            let whole = merge_2d(
                &layer,
                &[run(0), run(1)],
                gap,
                &mut one,
                &mut one_steps,
                &mut rank,
            );
            (split, next.utilities, whole, one.utilities)
        };
        let near = (0.5 - 1e-12, 0.5 - 1e-12);
        let (split, _, whole, _) = join(near);
        assert!(matches!(split, Split::Margin));
        assert!(!whole);
        let far = (0.4, 0.5 - 1e-12);
        let (split, kept, whole, one) = join(far);
        assert!(matches!(split, Split::Done));
        assert!(whole);
        assert_eq!(kept, vec![0.5, 0.5]);
        assert_eq!(kept, one);
    }

    /// Each layer takes the smaller form: stretches where the partial sums extend consecutive
    /// partial sums by one option, else a back-pointer per partial sum; both narrow and wide.
    #[test]
    fn each_layer_takes_the_smaller_form() {
        for options in [10, 300] {
            let long = Steps::new(&[4, 5, 6, 7, 0, 1, 2], &[1, 1, 1, 1, 2, 2, 2], options);
            assert!(matches!(long, Steps::Stretches { ref first, .. } if first == &[0, 4]));
            let short = Steps::new(&[4, 3, 2, 1], &[1, 1, 1, 1], options);
            assert!(matches!(short, Steps::Plain { .. }));
            let mixed = Steps::new(&[0, 1, 1, 2], &[1, 2, 2, 1], options);
            assert!(matches!(mixed, Steps::Plain { .. }));
            let (mut back, mut chosen) = (Vec::new(), Vec::new());
            long.expand(&mut back, &mut chosen);
            assert_eq!(back, [4, 5, 6, 7, 0, 1, 2]);
            assert_eq!(chosen, [1, 1, 1, 1, 2, 2, 2]);
            assert_eq!(long.get(5), (1, 2));
        }
        let empty = Steps::new(&[], &[], 3);
        assert!(matches!(empty, Steps::Plain { .. }));
    }

    /// A two-party merge whose staircase, times the issues left, would pass its work budget
    /// stops on the projection before it passes the budget; with no budget it runs to the end.
    #[test]
    fn a_two_party_merge_stops_on_its_projected_work() {
        let counts = vec![10; 60];
        let scenario = scenario(&counts, 2, 7, false);
        let eval = Evaluator::new(&scenario);
        let slots = [eval.slot(0).unwrap(), eval.slot(1).unwrap()];
        let config = MergeConfig {
            max_work: 20_000,
            project_work: true,
            ..MergeConfig::default()
        };
        match merge_frontier(&eval, &Rules::default(), &slots, &config) {
            Err(MergeStop::ProjectedWork {
                issue,
                work,
                projected,
            }) => {
                assert!(work <= 20_000 && projected > 20_000, "{work} {projected}");
                assert!(issue > 0 && issue < 60, "{issue}");
            }
            other => panic!("{:?}", other.map(|(f, _)| f.len())),
        }
        assert!(merge_frontier(&eval, &Rules::default(), &slots, &MergeConfig::default()).is_ok());
        // Without the projection, it stops only past the budget.
        let config = MergeConfig {
            max_work: 20_000,
            ..MergeConfig::default()
        };
        assert!(matches!(
            merge_frontier(&eval, &Rules::default(), &slots, &config),
            Err(MergeStop::TooMuchWork { work, .. }) if work > 20_000
        ));
    }

    /// A two-party merge of many issues keeps its layers as a few long stretches: far less than
    /// a back-pointer per partial sum.
    #[test]
    fn two_party_layers_are_stretches() {
        let counts = vec![10; 60];
        let scenario = scenario(&counts, 2, 7, false);
        let eval = Evaluator::new(&scenario);
        let slots = [eval.slot(0).unwrap(), eval.slot(1).unwrap()];
        let (_, history) =
            merge_frontier(&eval, &Rules::default(), &slots, &MergeConfig::default()).unwrap();
        let nodes: usize = history.raw.iter().map(|(b, _)| b.len()).sum();
        let stretches: usize = history
            .layers
            .iter()
            .map(|s| match s {
                Steps::Stretches { first, .. } => first.len(),
                Steps::Plain { prev, .. } => prev.len(),
            })
            .sum();
        assert!(nodes > 5000, "{nodes} nodes");
        assert!(
            stretches * 10 < nodes,
            "{stretches} stretches for {nodes} nodes"
        );
        check(&history, &counts).unwrap();
    }
}

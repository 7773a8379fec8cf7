//! Pareto frontiers: the utility vectors no other vector dominates, with the packages behind each.
//!
//! Frontiers are sets of distinct utility vectors. Packages with the same vector are ties: the
//! point counts them all and lists the first few by package index, so the listing does not depend
//! on the order in which threads found them.

use std::cmp::Ordering;

/// One point of a frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    /// Utility of each party the frontier is over.
    pub utilities: Vec<f64>,
    /// How many packages have exactly these utilities.
    pub package_count: u64,
    /// The first packages (by package index) with these utilities, at most the listing limit.
    pub packages: Vec<u64>,
}

/// Whether `a` Pareto-dominates `b`: at least as good for everyone and better for someone.
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strictly = false;
    for (x, y) in a.iter().zip(b) {
        if x < y {
            return false;
        }
        if x > y {
            strictly = true;
        }
    }
    strictly
}

/// Descending lexicographic order of two utility vectors ([`f64::total_cmp`] on each).
pub(crate) fn lex_desc(a: &[f64], b: &[f64]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| y.total_cmp(x))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// A growing set of candidate points, compacted to its frontier whenever the pending rows
/// outnumber it, so that memory stays near the frontier's size however many packages are pushed.
/// Pending rows live in flat buffers: pushing a package allocates nothing.
#[derive(Debug, Clone)]
pub struct FrontierBuilder {
    width: usize,
    limit: usize,
    frontier: Vec<FrontierPoint>,
    pending_utilities: Vec<f64>,
    pending_packages: Vec<u64>,
    /// Accepted points that recently dominated a package dropped on arrival, the latest first:
    /// tried first (positions into `frontier`, `usize::MAX` for none yet; after a compaction
    /// they name other points, which is harmless: any accepted point may be tried).
    recent: [usize; RECENT],
    /// Where the spread comparisons start, moved on with every package compared.
    probe: usize,
}

/// How many recent dominators a package is compared with first.
const RECENT: usize = 8;

/// How many accepted points spread over the frontier a package is compared with on arrival,
/// after the recent dominators and the first [`ARRIVAL_CHECKS`].
const PROBES: usize = 8;

/// How many accepted points (the first, in the order compaction leaves them: by descending sum)
/// a package is compared with on arrival, after the recent dominators.
const ARRIVAL_CHECKS: usize = 8;

/// How many dominance tests per row a compaction makes by scanning before it turns to divide
/// and conquer.
const SCAN_BUDGET: usize = 64;

/// A row under compaction: an accepted point or a pending package.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Row {
    Accepted(usize),
    Pending(usize),
}

impl FrontierBuilder {
    /// A builder for vectors of `width` utilities, listing at most `limit` packages per point.
    pub fn new(width: usize, limit: usize) -> Self {
        FrontierBuilder {
            width,
            limit,
            frontier: Vec::new(),
            pending_utilities: Vec::new(),
            pending_packages: Vec::new(),
            recent: [usize::MAX; RECENT],
            probe: 0,
        }
    }

    /// Adds one package with its utilities.
    pub fn push(&mut self, utilities: &[f64], package: u64) {
        self.push_with(utilities, || package);
    }

    /// Adds one package with its utilities, its index computed only when the package is kept: a
    /// package an accepted point dominates is never on the frontier, and is dropped at once
    /// when one of the last 8 points that dominated a package, one of the first 8 accepted
    /// points, or one of 8 spread over the others dominates it (others wait for the next
    /// compaction).
    pub fn push_with(&mut self, utilities: &[f64], package: impl FnOnce() -> u64) {
        debug_assert_eq!(utilities.len(), self.width);
        for (k, &i) in self.recent.iter().enumerate() {
            if self
                .frontier
                .get(i)
                .is_some_and(|p| dominates(&p.utilities, utilities))
            {
                // Move it to the front.
                self.recent.copy_within(0..k, 1);
                self.recent[0] = i;
                return;
            }
        }
        // The first accepted points (the largest sums), then a few spread over the rest, from
        // an offset that moves on with every package that gets this far.
        let n = self.frontier.len();
        let stride = (n / PROBES).max(1);
        self.probe = self.probe.wrapping_add(1);
        let spread = (0..PROBES.min(n)).map(|j| (self.probe + j * stride) % n);
        if let Some(i) = (0..ARRIVAL_CHECKS.min(n))
            .chain(spread)
            .find(|&i| dominates(&self.frontier[i].utilities, utilities))
        {
            self.recent.copy_within(0..RECENT - 1, 1);
            self.recent[0] = i;
            return;
        }
        let package = package();
        self.pending_utilities.extend_from_slice(utilities);
        self.pending_packages.push(package);
        if self.pending_packages.len() >= 4096.max(2 * self.frontier.len()) {
            self.compact();
        }
    }

    /// Merges another builder's points into this one.
    pub fn merge(mut self, other: FrontierBuilder) -> FrontierBuilder {
        self.frontier.extend(other.frontier);
        self.pending_utilities
            .extend_from_slice(&other.pending_utilities);
        self.pending_packages
            .extend_from_slice(&other.pending_packages);
        self.compact();
        self
    }

    /// The frontier's groups of equal vectors among `rows`, by descending sum (then descending
    /// lexicographically): each row, in that order, against the groups kept so far (a
    /// dominating vector comes first in it). Cheap while most rows are dominated by one of the
    /// first groups; `None` once it has made `budget` dominance tests per row, for
    /// [`Self::groups_by_divide_and_conquer`].
    fn groups_by_scan(&self, rows: &[Row], budget: usize) -> Option<Vec<Vec<Row>>> {
        let mut keyed: Vec<(f64, Row)> = rows
            .iter()
            .map(|&r| (self.utilities_of(r).iter().sum::<f64>(), r))
            .collect();
        keyed.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| lex_desc(self.utilities_of(a.1), self.utilities_of(b.1)))
        });
        let mut budget = budget.saturating_mul(keyed.len());
        let mut groups: Vec<Vec<Row>> = Vec::new();
        for (_, row) in keyed {
            let u = self.utilities_of(row);
            // Equal vectors are adjacent in this order: join the last group. If the first of
            // them was dominated, so are the rest, and the test below drops them.
            if let Some(last) = groups.last_mut() {
                if self.utilities_of(last[0]) == u {
                    last.push(row);
                    continue;
                }
            }
            let mut dominated = false;
            for g in &groups {
                budget = budget.checked_sub(1)?;
                if dominates(self.utilities_of(g[0]), u) {
                    dominated = true;
                    break;
                }
            }
            if !dominated {
                groups.push(vec![row]);
            }
        }
        Some(groups)
    }

    /// What [`Self::groups_by_scan`] gives, in O(n log^(k-2) n): the rows in descending
    /// lexicographic order (equal vectors adjacent, any dominating vector before the vectors it
    /// dominates), one vector per group of equal ones, [`dominated_sorted`] over those, and
    /// the groups kept sorted by descending sum (a stable sort: the lexicographic order stays
    /// among equal sums).
    fn groups_by_divide_and_conquer(&self, mut rows: Vec<Row>) -> Vec<Vec<Row>> {
        rows.sort_by(|&a, &b| lex_desc(self.utilities_of(a), self.utilities_of(b)));
        let mut groups: Vec<Vec<Row>> = Vec::new();
        let mut distinct: Vec<f64> = Vec::new();
        for row in rows {
            let u = self.utilities_of(row);
            match groups.last_mut() {
                Some(last) if self.utilities_of(last[0]) == u => last.push(row),
                _ => {
                    groups.push(vec![row]);
                    distinct.extend_from_slice(u);
                }
            }
        }
        let dominated = dominated_sorted(&distinct, self.width);
        let mut kept: Vec<(f64, Vec<Row>)> = groups
            .into_iter()
            .zip(dominated)
            .filter(|(_, dominated)| !dominated)
            .map(|(group, _)| (self.utilities_of(group[0]).iter().sum::<f64>(), group))
            .collect();
        kept.sort_by(|a, b| b.0.total_cmp(&a.0));
        kept.into_iter().map(|(_, group)| group).collect()
    }

    fn utilities_of(&self, row: Row) -> &[f64] {
        match row {
            Row::Accepted(i) => &self.frontier[i].utilities,
            Row::Pending(j) => &self.pending_utilities[j * self.width..(j + 1) * self.width],
        }
    }

    /// Reduces accepted points and pending rows to their frontier, merging equal vectors.
    fn compact(&mut self) {
        let rows: Vec<Row> = (0..self.frontier.len())
            .map(Row::Accepted)
            .chain((0..self.pending_packages.len()).map(Row::Pending))
            .collect();
        // Decide first, with shared borrows only; build the points after.
        let groups = self
            .groups_by_scan(&rows, SCAN_BUDGET)
            .unwrap_or_else(|| self.groups_by_divide_and_conquer(rows));
        let mut taken: Vec<Option<FrontierPoint>> = std::mem::take(&mut self.frontier)
            .into_iter()
            .map(Some)
            .collect();
        let mut accepted = Vec::with_capacity(groups.len());
        for group in groups {
            let mut point = FrontierPoint {
                utilities: Vec::new(),
                package_count: 0,
                packages: Vec::new(),
            };
            for row in group {
                match row {
                    Row::Accepted(i) => {
                        let p = taken[i]
                            .take()
                            .expect("each accepted point is in one group");
                        point.utilities = p.utilities;
                        point.package_count += p.package_count;
                        point.packages.extend(p.packages);
                    }
                    Row::Pending(j) => {
                        if point.utilities.is_empty() {
                            point.utilities = self.pending_utilities
                                [j * self.width..(j + 1) * self.width]
                                .to_vec();
                        }
                        point.package_count += 1;
                        if point.packages.len() < 4 * self.limit.max(1) {
                            point.packages.push(self.pending_packages[j]);
                        } else {
                            // Keep the smallest ids without growing without bound (distinct
                            // ones: a repeated id kept twice would push out another).
                            point.packages.sort_unstable();
                            point.packages.dedup();
                            point.packages.truncate(self.limit);
                            point.packages.push(self.pending_packages[j]);
                        }
                    }
                }
            }
            point.packages.sort_unstable();
            point.packages.dedup();
            point.packages.truncate(self.limit);
            accepted.push(point);
        }
        self.frontier = accepted;
        self.pending_utilities.clear();
        self.pending_packages.clear();
    }

    /// The frontier, sorted by descending utilities (lexicographically).
    pub fn finish(mut self) -> Vec<FrontierPoint> {
        self.compact();
        self.frontier
            .sort_by(|a, b| lex_desc(&a.utilities, &b.utilities));
        self.frontier
    }
}

/// Marks which of `n` distinct vectors of width `k` another of them dominates.
///
/// `u` holds the vectors one after another (`n = u.len() / k`), in descending lexicographic
/// order and pairwise distinct (no NaN). Then any dominating vector comes before the vector it
/// dominates, with a first utility at least as large, and a vector is dominated exactly when an
/// earlier one is at least as large on every other coordinate. That test is answered without
/// comparing every pair:
/// - 1 or 2 coordinates: one sweep;
/// - 3: a sweep with a Fenwick tree of the largest third utility over the ranks of the second,
///   O(n log n);
/// - 4 and more: divide and conquer over the order (Kung-style maxima), whose merge step
///   splits on one coordinate at a time at its median and ends, with three coordinates left,
///   with a sweep and a Fenwick tree as for 3, O(n log^(k-2) n), small parts compared directly.
///
/// Dominance is transitive, so testing against every earlier vector (dominated ones too) gives
/// the same answer as testing against the kept ones.
pub fn dominated_sorted(u: &[f64], k: usize) -> Vec<bool> {
    assert!(k > 0, "vectors have at least one coordinate");
    let n = u.len() / k;
    debug_assert_eq!(u.len(), n * k);
    let mut dominated = vec![false; n];
    match k {
        1 => dominated.iter_mut().skip(1).for_each(|d| *d = true),
        2 => {
            let mut best = f64::NEG_INFINITY;
            for (i, d) in dominated.iter_mut().enumerate() {
                let b = u[2 * i + 1];
                if b <= best {
                    *d = true;
                } else {
                    best = b;
                }
            }
        }
        3 => {
            // Ranks of the second utility, largest first, equal values sharing a rank.
            let mut seconds: Vec<f64> = (0..n).map(|i| u[3 * i + 1]).collect();
            seconds.sort_unstable_by(|a, b| b.total_cmp(a));
            seconds.dedup_by(|a, b| a == b);
            let mut tree = vec![f64::NEG_INFINITY; seconds.len() + 1];
            for (i, d) in dominated.iter_mut().enumerate() {
                let (b, c) = (u[3 * i + 1], u[3 * i + 2]);
                let rank = seconds.partition_point(|&s| s > b);
                // Largest third utility among earlier vectors whose second is at least `b`
                // (ranks 0..=rank).
                let mut best = f64::NEG_INFINITY;
                let mut r = rank + 1;
                while r > 0 {
                    best = best.max(tree[r]);
                    r &= r - 1;
                }
                if best >= c {
                    *d = true;
                    // What it would add, the vector that dominates it already covers.
                    continue;
                }
                let mut r = rank + 1;
                while r < tree.len() {
                    tree[r] = tree[r].max(c);
                    r += r & r.wrapping_neg();
                }
            }
        }
        _ => {
            let order: Vec<u32> = (0..n as u32).collect();
            maxima_by_order(u, k, &order, &mut dominated);
        }
    }
    dominated
}

/// Marks which of the vectors `dominated_sorted` found dominated are dominated by a margin: some
/// vector of `u` is at least as large on every coordinate and larger by `margin` or more on one
/// (`u` as for [`dominated_sorted`], `dominated` its answer, `margin > 0`).
///
/// With three or more coordinates, once per coordinate `j`, `covered` (the merge step of
/// [`dominated_sorted`]) asks which dominated vectors are at most some undominated vector lowered
/// by `margin` on `j`. Undominated witnesses suffice: whatever dominates a vector by a margin, an
/// undominated vector dominates by at least that margin.
pub fn dominated_by_margin(u: &[f64], k: usize, dominated: &[bool], margin: f64) -> Vec<bool> {
    let n = dominated.len();
    debug_assert_eq!(u.len(), n * k);
    let mut far = vec![false; n];
    let at = |i: usize, d: usize| u[i * k + d];
    match k {
        0 => {}
        1 => {
            for i in (0..n).filter(|&i| dominated[i]) {
                far[i] = at(0, 0) - at(i, 0) >= margin;
            }
        }
        2 => {
            // best[t]: the largest second utility among the first t vectors, whose first
            // utilities are at least those of every later vector.
            let mut best = Vec::with_capacity(n + 1);
            best.push(f64::NEG_INFINITY);
            for i in 0..n {
                best.push(best[i].max(at(i, 1)));
            }
            for i in (0..n).filter(|&i| dominated[i]) {
                // The vectors at least `margin` ahead on the first utility: a prefix.
                let (mut ahead, mut end) = (0, i);
                while ahead < end {
                    let mid = ahead + (end - ahead) / 2;
                    if at(mid, 0) - at(i, 0) >= margin {
                        ahead = mid + 1;
                    } else {
                        end = mid;
                    }
                }
                far[i] = best[i] - at(i, 1) >= margin || best[ahead] >= at(i, 1);
            }
        }
        _ => {
            // Once per coordinate j: is x at most some undominated y lowered by `margin` on j?
            let witnesses: Vec<usize> = (0..n).filter(|&y| !dominated[y]).collect();
            let mut queries: Vec<usize> = (0..n).filter(|&x| dominated[x]).collect();
            let mut rows: Vec<f64> = Vec::new();
            let mut hit: Vec<bool> = Vec::new();
            for j in 0..k {
                if queries.is_empty() {
                    break;
                }
                rows.clear();
                for &y in &witnesses {
                    rows.extend((0..k).map(|d| if d == j { at(y, d) - margin } else { at(y, d) }));
                }
                for &x in &queries {
                    rows.extend((0..k).map(|d| at(x, d)));
                }
                let w = witnesses.len() as u32;
                let mut above: Vec<u32> = (0..w).collect();
                let mut below: Vec<u32> = (w..w + queries.len() as u32).collect();
                hit.clear();
                hit.resize(witnesses.len() + queries.len(), false);
                covered(&rows, k, &mut above, &mut below, 0, &mut hit);
                let mut open = Vec::with_capacity(queries.len());
                for (q, &x) in queries.iter().enumerate() {
                    if hit[witnesses.len() + q] {
                        far[x] = true;
                    } else {
                        open.push(x);
                    }
                }
                queries = open;
            }
        }
    }
    far
}

/// Below this many pairs, compare directly.
const DIRECT_PAIRS: usize = 1024;

/// Whether `a` is at least `b` on coordinates `from..` (vectors of width `k` in `u`).
fn at_least(u: &[f64], k: usize, a: u32, b: u32, from: usize) -> bool {
    let (a, b) = (a as usize * k, b as usize * k);
    (from..k).all(|d| u[a + d] >= u[b + d])
}

/// Marks the vectors of `order` (indices in descending lexicographic order) that an earlier one
/// of `order` is at least as good as on coordinates `1..k`.
fn maxima_by_order(u: &[f64], k: usize, order: &[u32], dominated: &mut [bool]) {
    if order.len() * order.len() / 2 <= DIRECT_PAIRS {
        for (t, &b) in order.iter().enumerate() {
            if order[..t].iter().any(|&a| at_least(u, k, a, b, 1)) {
                dominated[b as usize] = true;
            }
        }
        return;
    }
    let (left, right) = order.split_at(order.len() / 2);
    maxima_by_order(u, k, left, dominated);
    maxima_by_order(u, k, right, dominated);
    // Every vector of `left` is at least every vector of `right` on coordinate 0.
    let mut above = left.to_vec();
    let mut below: Vec<u32> = right
        .iter()
        .copied()
        .filter(|&b| !dominated[b as usize])
        .collect();
    covered(u, k, &mut above, &mut below, 1, dominated);
}

/// Marks each vector of `below` that some vector of `above` is at least as good as on
/// coordinates `from..k` (the earlier coordinates are settled by the caller).
fn covered(
    u: &[f64],
    k: usize,
    above: &mut [u32],
    below: &mut [u32],
    from: usize,
    dominated: &mut [bool],
) {
    if above.is_empty() || below.is_empty() {
        return;
    }
    let at = |i: u32, d: usize| u[i as usize * k + d];
    if from == k - 1 {
        let best = above
            .iter()
            .map(|&a| at(a, from))
            .fold(f64::NEG_INFINITY, f64::max);
        for &b in below.iter() {
            if at(b, from) <= best {
                dominated[b as usize] = true;
            }
        }
        return;
    }
    if above.len() * below.len() <= DIRECT_PAIRS {
        for &b in below.iter() {
            if above.iter().any(|&a| at_least(u, k, a, b, from)) {
                dominated[b as usize] = true;
            }
        }
        return;
    }
    if from == k - 3 {
        // Sweep down coordinate `from` (vectors of `above` first on ties), with a Fenwick tree
        // of the largest last coordinate over the ranks of the middle one among those passed.
        let mut all: Vec<(u32, bool)> = above
            .iter()
            .map(|&a| (a, true))
            .chain(below.iter().map(|&b| (b, false)))
            .collect();
        all.sort_unstable_by(|&(a, a_above), &(b, b_above)| {
            at(b, from)
                .total_cmp(&at(a, from))
                .then(b_above.cmp(&a_above))
        });
        let mut middles: Vec<f64> = all.iter().map(|&(i, _)| at(i, from + 1)).collect();
        middles.sort_unstable_by(|a, b| b.total_cmp(a));
        middles.dedup_by(|a, b| a == b);
        let mut tree = vec![f64::NEG_INFINITY; middles.len() + 1];
        for (i, is_above) in all {
            let rank = middles.partition_point(|&m| m > at(i, from + 1));
            let last = at(i, from + 2);
            if is_above {
                let mut r = rank + 1;
                while r < tree.len() {
                    tree[r] = tree[r].max(last);
                    r += r & r.wrapping_neg();
                }
            } else {
                let mut best = f64::NEG_INFINITY;
                let mut r = rank + 1;
                while r > 0 {
                    best = best.max(tree[r]);
                    r &= r - 1;
                }
                if best >= last {
                    dominated[i as usize] = true;
                }
            }
        }
        return;
    }
    if from == k - 2 {
        // Sweep down coordinate `from`, keeping the best last coordinate of the vectors of
        // `above` passed so far (those at least as large on `from`).
        above.sort_unstable_by(|&a, &b| at(b, from).total_cmp(&at(a, from)));
        below.sort_unstable_by(|&a, &b| at(b, from).total_cmp(&at(a, from)));
        let mut best = f64::NEG_INFINITY;
        let mut next = 0;
        for &b in below.iter() {
            while next < above.len() && at(above[next], from) >= at(b, from) {
                best = best.max(at(above[next], from + 1));
                next += 1;
            }
            if best >= at(b, from + 1) {
                dominated[b as usize] = true;
            }
        }
        return;
    }
    // Split at the median of coordinate `from`: the upper part is at least the lower part
    // there, so across the split only the later coordinates remain to compare.
    let mut values: Vec<f64> = above
        .iter()
        .chain(below.iter())
        .map(|&i| at(i, from))
        .collect();
    let middle = values.len() / 2;
    let (_, &mut pivot, _) = values.select_nth_unstable_by(middle, f64::total_cmp);
    let mut a_split = partition(above, |i| at(i, from) > pivot);
    let mut b_split = partition(below, |i| at(i, from) > pivot);
    if a_split == 0 && b_split == 0 {
        // The pivot is the largest value: split below it instead.
        a_split = partition(above, |i| at(i, from) >= pivot);
        b_split = partition(below, |i| at(i, from) >= pivot);
        if a_split == above.len() && b_split == below.len() {
            // Everything is equal on this coordinate.
            covered(u, k, above, below, from + 1, dominated);
            return;
        }
    }
    let (above_hi, above_lo) = above.split_at_mut(a_split);
    let (below_hi, below_lo) = below.split_at_mut(b_split);
    covered(u, k, above_hi, below_hi, from, dominated);
    covered(u, k, above_lo, below_lo, from, dominated);
    covered(u, k, above_hi, below_lo, from + 1, dominated);
}

/// Moves the items satisfying `upper` to the front; returns how many there are.
fn partition(items: &mut [u32], upper: impl Fn(u32) -> bool) -> usize {
    let mut split = 0;
    for i in 0..items.len() {
        if upper(items[i]) {
            items.swap(split, i);
            split += 1;
        }
    }
    split
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Distinct vectors of width `k` in descending lexicographic order, from coordinates on a
    /// grid of `levels` values (few levels: many ties on single coordinates).
    fn sorted_distinct(raw: &[u8], k: usize, levels: u8, scale: f64) -> Vec<f64> {
        let mut vectors: Vec<Vec<f64>> = raw
            .chunks_exact(k)
            .map(|c| c.iter().map(|&x| f64::from(x % levels) * scale).collect())
            .collect();
        vectors.sort_by(|a, b| lex_desc(a, b));
        vectors.dedup();
        vectors.concat()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// The builder's frontier is the naive one, whatever the order of the packages, with
        /// every package of a frontier vector counted and the smallest ids listed: past 4,096
        /// packages it compacts, and packages an accepted point dominates are dropped on
        /// arrival; two builders merged give the same.
        #[test]
        fn the_builder_keeps_the_frontier_its_ties_and_their_smallest_ids(
            k in 2usize..=4,
            levels in 2u8..=7,
            limit in 1usize..=3,
            seed in any::<u64>(),
            n in 4_000usize..=14_000,
        ) {
            let mut state = seed | 1;
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let rows: Vec<(Vec<f64>, u64)> = (0..n)
                .map(|_| {
                    let v = (0..k).map(|_| f64::from((next() % u64::from(levels)) as u8) / 4.0).collect();
                    (v, next() % 1_000_000)
                })
                .collect();
            let mut whole = FrontierBuilder::new(k, limit);
            let (mut first, mut second) = (FrontierBuilder::new(k, limit), FrontierBuilder::new(k, limit));
            for (j, (v, id)) in rows.iter().enumerate() {
                whole.push(v, *id);
                if j % 3 == 0 { first.push(v, *id) } else { second.push(v, *id) }
            }
            let mut expected: Vec<(Vec<f64>, u64, Vec<u64>)> = Vec::new();
            for (v, _) in &rows {
                if rows.iter().any(|(w, _)| dominates(w, v)) || expected.iter().any(|(e, _, _)| e == v) {
                    continue;
                }
                let mut ids: Vec<u64> = rows.iter().filter(|(w, _)| w == v).map(|(_, id)| *id).collect();
                let count = ids.len() as u64;
                ids.sort_unstable();
                ids.dedup();
                ids.truncate(limit);
                expected.push((v.clone(), count, ids));
            }
            expected.sort_by(|a, b| lex_desc(&a.0, &b.0));
            for built in [whole.finish(), first.merge(second).finish()] {
                let got: Vec<(Vec<f64>, u64, Vec<u64>)> = built.into_iter().map(|p| (p.utilities, p.package_count, p.packages)).collect();
                prop_assert_eq!(&got, &expected);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The two ways of compacting give the same groups in the same order: the scan (no
        /// budget) and divide and conquer, on accepted points and pending rows with many equal
        /// vectors, coarse grids and fine ones.
        #[test]
        fn compaction_by_divide_and_conquer_matches_the_scan(
            k in 1usize..=5,
            raw in prop::collection::vec(any::<u8>(), 0..4000),
            levels in prop_oneof![Just(2u8), Just(3), Just(5), Just(17), Just(255)],
            accepted in 0usize..40,
        ) {
            let mut builder = FrontierBuilder::new(k, 2);
            for (j, chunk) in raw.chunks_exact(k).enumerate() {
                let u: Vec<f64> = chunk.iter().map(|&x| f64::from(x % levels) * 0.1).collect();
                if j < accepted {
                    builder.frontier.push(FrontierPoint { utilities: u, package_count: 1, packages: vec![j as u64] });
                } else {
                    builder.pending_utilities.extend_from_slice(&u);
                    builder.pending_packages.push(j as u64);
                }
            }
            let rows: Vec<Row> = (0..builder.frontier.len())
                .map(Row::Accepted)
                .chain((0..builder.pending_packages.len()).map(Row::Pending))
                .collect();
            let scan = builder.groups_by_scan(&rows, usize::MAX).unwrap();
            let split = builder.groups_by_divide_and_conquer(rows);
            // Equal vectors may be listed in another order within a group.
            let sorted = |groups: Vec<Vec<Row>>| -> Vec<Vec<String>> {
                groups.into_iter().map(|g| {
                    let mut g: Vec<String> = g.iter().map(|r| format!("{r:?}")).collect();
                    g.sort();
                    g
                }).collect()
            };
            prop_assert_eq!(sorted(scan), sorted(split));
        }
    }

    fn naive(u: &[f64], k: usize) -> Vec<bool> {
        let n = u.len() / k;
        let v = |i: usize| &u[i * k..(i + 1) * k];
        (0..n)
            .map(|i| (0..n).any(|j| j != i && dominates(v(j), v(i))))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The fast filter against every pair, on coarse grids (ties on coordinates, many
        /// duplicates before deduplication) and fine ones, for every width it specialises.
        #[test]
        fn dominated_sorted_matches_pairwise(
            k in 1usize..=6,
            raw in prop::collection::vec(any::<u8>(), 0..6000),
            levels in prop_oneof![Just(2u8), Just(3), Just(5), Just(17), Just(255)],
            negative in any::<bool>(),
        ) {
            let scale = if negative { -0.125 } else { 0.1 };
            let u = sorted_distinct(&raw, k, levels, scale);
            prop_assert_eq!(dominated_sorted(&u, k), naive(&u, k));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Dominance by a margin against every pair, margins off the grid so that rounding
        /// cannot decide a comparison.
        #[test]
        fn dominated_by_margin_matches_pairwise(
            k in 1usize..=5,
            raw in prop::collection::vec(any::<u8>(), 0..3000),
            levels in prop_oneof![Just(3u8), Just(5), Just(17)],
            steps in prop_oneof![Just(0.5), Just(1.5), Just(2.5)],
            negative in any::<bool>(),
        ) {
            let scale = if negative { -0.125 } else { 0.1 };
            let margin = steps * 0.1;
            let u = sorted_distinct(&raw, k, levels, scale);
            let n = u.len() / k;
            let v = |i: usize| &u[i * k..(i + 1) * k];
            let dominated = dominated_sorted(&u, k);
            let want: Vec<bool> = (0..n)
                .map(|i| {
                    (0..n).any(|j| {
                        v(j).iter().zip(v(i)).all(|(a, b)| a >= b)
                            && v(j).iter().zip(v(i)).any(|(a, b)| a - b >= margin)
                    })
                })
                .collect();
            prop_assert_eq!(dominated_by_margin(&u, k, &dominated, margin), want);
        }
    }

    /// Opposed vectors (on a simplex) are mostly non-dominated: the divide and conquer's merge
    /// steps then do real work on every coordinate.
    #[test]
    fn dominated_sorted_on_near_simplex_points() {
        for k in 3..=5 {
            let mut raw = Vec::new();
            let mut x: u32 = 12345;
            for _ in 0..600 * k {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                raw.push((x >> 16) as u8);
            }
            // Make each vector's coordinates sum to about the same value.
            let u: Vec<f64> = sorted_distinct(&raw, k, 255, 1.0);
            let mut v = Vec::with_capacity(u.len());
            for c in u.chunks_exact(k) {
                let total: f64 = c.iter().sum::<f64>().max(1.0);
                v.extend(c.iter().map(|x| (x / total * 64.0).round()));
            }
            let w = {
                let raw: Vec<u8> = v.iter().map(|&x| x as u8).collect();
                sorted_distinct(&raw, k, 255, 1.0)
            };
            let got = dominated_sorted(&w, k);
            assert_eq!(got, naive(&w, k));
            assert!(got.iter().filter(|d| !**d).count() > 20, "k = {k}");
        }
    }
}

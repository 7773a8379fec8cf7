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

/// Orders vectors so that any vector comes after every vector that dominates it: by descending
/// sum, then descending lexicographically. (Float addition is monotone, so a dominating vector's
/// sum is never smaller; equal sums fall to the lexicographic key, where the dominating vector is
/// larger.)
fn dominance_order(a: &(f64, &[f64]), b: &(f64, &[f64])) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| {
        for (x, y) in a.1.iter().zip(b.1) {
            match y.total_cmp(x) {
                Ordering::Equal => continue,
                other => return other,
            }
        }
        Ordering::Equal
    })
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
}

/// A row under compaction: an accepted point or a pending package.
#[derive(Clone, Copy)]
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
        }
    }

    /// Adds one package with its utilities.
    pub fn push(&mut self, utilities: &[f64], package: u64) {
        debug_assert_eq!(utilities.len(), self.width);
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

    fn utilities_of(&self, row: Row) -> &[f64] {
        match row {
            Row::Accepted(i) => &self.frontier[i].utilities,
            Row::Pending(j) => &self.pending_utilities[j * self.width..(j + 1) * self.width],
        }
    }

    /// Reduces accepted points and pending rows to their frontier, merging equal vectors.
    fn compact(&mut self) {
        let rows = (0..self.frontier.len())
            .map(Row::Accepted)
            .chain((0..self.pending_packages.len()).map(Row::Pending));
        let mut keyed: Vec<(f64, Row)> = rows
            .map(|r| (self.utilities_of(r).iter().sum::<f64>(), r))
            .collect();
        keyed.sort_by(|a, b| {
            dominance_order(
                &(a.0, self.utilities_of(a.1)),
                &(b.0, self.utilities_of(b.1)),
            )
        });
        // Decide first, with shared borrows only; build the points after.
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
            if groups.iter().any(|g| dominates(self.utilities_of(g[0]), u)) {
                continue;
            }
            groups.push(vec![row]);
        }
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
                            // Keep the smallest ids without growing without bound.
                            point.packages.sort_unstable();
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
        self.frontier.sort_by(|a, b| {
            for (x, y) in a.utilities.iter().zip(&b.utilities) {
                match y.total_cmp(x) {
                    Ordering::Equal => continue,
                    other => return other,
                }
            }
            Ordering::Equal
        });
        self.frontier
    }
}

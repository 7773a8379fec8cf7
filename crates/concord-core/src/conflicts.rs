//! Minimal conflicts and minimum correction sets of a system of constraints, over a feasibility
//! oracle.
//!
//! The constraints are numbered `0..n`; the oracle says whether a subset of them (given as a mask)
//! can be met together. A *minimal conflict* is a subset that cannot be met while every proper
//! subset can: removing any one member ends *that* conflict, but the whole system can still hold
//! others. A *correction set* is a subset whose removal makes the rest feasible; a set of
//! constraints opens a zone exactly when it meets every minimal conflict (hitting-set duality), so
//! a single conflict never says, on its own, what opens a zone.
//!
//! [`minimal_conflicts`] lists the minimal conflicts by the MARCO scheme: a map of the subsets
//! already explained (supersets of a known conflict, subsets of a known feasible set) yields a
//! maximal unexplored seed; a feasible seed is a maximal feasible subset (its complement a minimal
//! correction set), an infeasible one is shrunk to a new conflict by the deletion filter. When the
//! map has no seed left, the list is complete. [`minimum_corrections`] finds every correction set
//! of the fewest members, within a chosen set of constraints (all of them, or one party's), by
//! implicit hitting sets: the smallest sets that meet every known conflict are tried; one that
//! fails holds a conflict not yet known, which is added. Both take limits, and say when they
//! stopped before the end.

/// A subset of the constraints, as their indices in ascending order.
pub type Subset = Vec<usize>;

/// Limits on the work of [`minimal_conflicts`] and [`minimum_corrections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Stop after this many minimal conflicts.
    pub max_conflicts: usize,
    /// Stop after this many calls of the oracle.
    pub max_checks: usize,
    /// Stop a search of the map or of hitting sets after this many nodes.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_conflicts: 100,
            max_checks: 5_000,
            max_nodes: 1_000_000,
        }
    }
}

/// The minimal conflicts found, and whether they are all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictList {
    /// Each minimal conflict, members ascending, in the order found.
    pub conflicts: Vec<Subset>,
    /// Each minimal correction set found on the way (the complement of a maximal feasible
    /// subset), members ascending.
    pub corrections: Vec<Subset>,
    /// Whether the list is complete (no limit was reached).
    pub complete: bool,
}

/// The minimum correction sets within a set of allowed constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinimumCorrections {
    /// Every correction set of the fewest members drawn from the allowed constraints (members
    /// ascending, sets in ascending order); empty when none exists or the search stopped.
    pub sets: Vec<Subset>,
    /// When no correction set lies within the allowed constraints: a known minimal conflict with
    /// none of them, which therefore remains whatever they give up.
    pub untouched_conflict: Option<Subset>,
    /// Whether the answer is proven (no limit was reached).
    pub complete: bool,
}

/// The oracle and the bookkeeping shared by both searches.
struct Search<'o, E> {
    n: usize,
    /// The deletion filter tries members in this order.
    order: Vec<usize>,
    oracle: &'o mut dyn FnMut(&[bool]) -> Result<bool, E>,
    checks: usize,
    limits: Limits,
}

impl<E> Search<'_, E> {
    fn feasible(&mut self, mask: &[bool]) -> Result<Option<bool>, E> {
        if self.checks >= self.limits.max_checks {
            return Ok(None);
        }
        self.checks += 1;
        (self.oracle)(mask).map(Some)
    }

    /// Shrinks an infeasible set to a minimal conflict by the deletion filter; `None` when the
    /// oracle's limit was reached.
    fn shrink(&mut self, mut mask: Vec<bool>) -> Result<Option<Subset>, E> {
        for k in 0..self.order.len() {
            let c = self.order[k];
            if !mask[c] {
                continue;
            }
            mask[c] = false;
            match self.feasible(&mask)? {
                None => return Ok(None),
                // Without c the rest holds: c belongs to the conflict.
                Some(true) => mask[c] = true,
                Some(false) => {}
            }
        }
        Ok(Some(members(&mask)))
    }
}

fn members(mask: &[bool]) -> Subset {
    (0..mask.len()).filter(|&i| mask[i]).collect()
}

fn mask_without(n: usize, removed: &[usize]) -> Vec<bool> {
    let mut mask = vec![true; n];
    for &i in removed {
        mask[i] = false;
    }
    mask
}

/// Lists the minimal conflicts of constraints `0..n`, which must be infeasible together. The
/// deletion filter tries members in `order` (every index once), so that the first conflict is the
/// one a preference for dropping those members first gives.
pub fn minimal_conflicts<E>(
    n: usize,
    order: &[usize],
    oracle: &mut dyn FnMut(&[bool]) -> Result<bool, E>,
    limits: Limits,
) -> Result<ConflictList, E> {
    let mut search = Search {
        n,
        order: order.to_vec(),
        oracle,
        checks: 0,
        limits,
    };
    let mut conflicts: Vec<Subset> = Vec::new();
    let mut corrections: Vec<Subset> = Vec::new();
    loop {
        if conflicts.len() >= limits.max_conflicts {
            return Ok(ConflictList {
                conflicts,
                corrections,
                complete: false,
            });
        }
        // The removed set of a maximal unexplored seed: it meets every known conflict and holds
        // no known correction set.
        let mut nodes = 0;
        let removed = match hitting_set(
            search.n,
            &conflicts,
            &corrections,
            &mut nodes,
            limits.max_nodes,
        ) {
            Found::Set(removed) => removed,
            Found::None => {
                return Ok(ConflictList {
                    conflicts,
                    corrections,
                    complete: true,
                })
            }
            Found::Stopped => {
                return Ok(ConflictList {
                    conflicts,
                    corrections,
                    complete: false,
                })
            }
        };
        let seed = mask_without(search.n, &removed);
        match search.feasible(&seed)? {
            None => {
                return Ok(ConflictList {
                    conflicts,
                    corrections,
                    complete: false,
                })
            }
            // A maximal feasible subset: every larger one holds a known conflict.
            Some(true) => corrections.push(removed),
            Some(false) => match search.shrink(seed)? {
                Some(conflict) => conflicts.push(conflict),
                None => {
                    return Ok(ConflictList {
                        conflicts,
                        corrections,
                        complete: false,
                    })
                }
            },
        }
    }
}

enum Found {
    Set(Subset),
    None,
    Stopped,
}

/// A minimal set that meets every conflict and contains no correction set, by depth-first search
/// over the members of the first conflict it does not yet meet.
fn hitting_set(
    n: usize,
    conflicts: &[Subset],
    corrections: &[Subset],
    nodes: &mut usize,
    max_nodes: usize,
) -> Found {
    fn go(
        chosen: &mut Vec<bool>,
        banned: &mut Vec<bool>,
        conflicts: &[Subset],
        corrections: &[Subset],
        nodes: &mut usize,
        max_nodes: usize,
    ) -> Found {
        *nodes += 1;
        if *nodes > max_nodes {
            return Found::Stopped;
        }
        let Some(open) = conflicts.iter().find(|c| !c.iter().any(|&i| chosen[i])) else {
            return Found::Set(members(chosen));
        };
        let mut newly_banned = Vec::new();
        let mut result = Found::None;
        for &e in open {
            if banned[e] {
                continue;
            }
            chosen[e] = true;
            let allowed = !corrections.iter().any(|m| m.iter().all(|&i| chosen[i]));
            if allowed {
                let r = go(chosen, banned, conflicts, corrections, nodes, max_nodes);
                if !matches!(r, Found::None) {
                    chosen[e] = false;
                    result = r;
                    break;
                }
            }
            chosen[e] = false;
            // Later branches leave e out: each set is visited once.
            banned[e] = true;
            newly_banned.push(e);
        }
        for e in newly_banned {
            banned[e] = false;
        }
        result
    }
    let mut chosen = vec![false; n];
    let mut banned = vec![false; n];
    match go(
        &mut chosen,
        &mut banned,
        conflicts,
        corrections,
        nodes,
        max_nodes,
    ) {
        // Minimal: drop members that every conflict can do without (removing a member never
        // makes the set contain a correction set).
        Found::Set(set) => {
            let mut mask = vec![false; n];
            for &i in &set {
                mask[i] = true;
            }
            for &i in &set {
                mask[i] = false;
                if !conflicts.iter().all(|c| c.iter().any(|&j| mask[j])) {
                    mask[i] = true;
                }
            }
            Found::Set(members(&mask))
        }
        other => other,
    }
}

/// Every set of exactly `k` members of `allowed` that meets every conflict (each once), or `None`
/// past the node limit.
fn hitting_sets_of_size(
    n: usize,
    allowed: &[bool],
    conflicts: &[Subset],
    k: usize,
    nodes: &mut usize,
    max_nodes: usize,
) -> Option<Vec<Subset>> {
    #[allow(clippy::too_many_arguments)]
    fn go(
        chosen: &mut Vec<bool>,
        size: usize,
        banned: &mut Vec<bool>,
        allowed: &[bool],
        conflicts: &[Subset],
        k: usize,
        nodes: &mut usize,
        max_nodes: usize,
        out: &mut Vec<Subset>,
    ) -> bool {
        *nodes += 1;
        if *nodes > max_nodes {
            return false;
        }
        let Some(open) = conflicts.iter().find(|c| !c.iter().any(|&i| chosen[i])) else {
            if size == k {
                out.push(members(chosen));
            }
            return true;
        };
        if size == k {
            return true;
        }
        let mut newly_banned = Vec::new();
        let mut ok = true;
        for &e in open {
            if banned[e] || !allowed[e] {
                continue;
            }
            chosen[e] = true;
            ok = go(
                chosen,
                size + 1,
                banned,
                allowed,
                conflicts,
                k,
                nodes,
                max_nodes,
                out,
            );
            chosen[e] = false;
            if !ok {
                break;
            }
            banned[e] = true;
            newly_banned.push(e);
        }
        for e in newly_banned {
            banned[e] = false;
        }
        ok
    }
    let mut out = Vec::new();
    let ok = go(
        &mut vec![false; n],
        0,
        &mut vec![false; n],
        allowed,
        conflicts,
        k,
        nodes,
        max_nodes,
        &mut out,
    );
    out.sort();
    ok.then_some(out)
}

/// Every correction set of the fewest members drawn from `allowed`, for constraints `0..n` that
/// are infeasible together. `known` holds minimal conflicts already found; the conflicts found on
/// the way are appended to it (shrunk by the deletion filter in `order`).
pub fn minimum_corrections<E>(
    n: usize,
    allowed: &[bool],
    order: &[usize],
    known: &mut Vec<Subset>,
    oracle: &mut dyn FnMut(&[bool]) -> Result<bool, E>,
    limits: Limits,
) -> Result<MinimumCorrections, E> {
    let stopped = MinimumCorrections {
        sets: Vec::new(),
        untouched_conflict: None,
        complete: false,
    };
    let mut search = Search {
        n,
        order: order.to_vec(),
        oracle,
        checks: 0,
        limits,
    };
    let mut k = 1;
    let mut nodes = 0;
    loop {
        if let Some(c) = known.iter().find(|c| !c.iter().any(|&i| allowed[i])) {
            return Ok(MinimumCorrections {
                sets: Vec::new(),
                untouched_conflict: Some(c.clone()),
                complete: true,
            });
        }
        if k > n {
            // Unreachable when `known` holds a conflict: some member is allowed, so the allowed
            // constraints all together meet every known conflict.
            return Ok(stopped);
        }
        let Some(candidates) =
            hitting_sets_of_size(n, allowed, known, k, &mut nodes, limits.max_nodes)
        else {
            return Ok(stopped);
        };
        let mut sets = Vec::new();
        let mut found_new = false;
        for candidate in candidates {
            let rest = mask_without(search.n, &candidate);
            match search.feasible(&rest)? {
                None => return Ok(stopped),
                Some(true) => sets.push(candidate),
                Some(false) => {
                    // The rest holds a conflict that the candidate does not meet: a new one.
                    match search.shrink(rest)? {
                        Some(conflict) => {
                            known.push(conflict);
                            found_new = true;
                            break;
                        }
                        None => return Ok(stopped),
                    }
                }
            }
        }
        if found_new {
            continue;
        }
        if !sets.is_empty() {
            return Ok(MinimumCorrections {
                sets,
                untouched_conflict: None,
                complete: true,
            });
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An oracle from explicit conflicts: a subset is feasible when it contains none of them.
    fn oracle(conflicts: &[Subset]) -> impl FnMut(&[bool]) -> Result<bool, ()> + '_ {
        move |mask: &[bool]| Ok(!conflicts.iter().any(|c| c.iter().all(|&i| mask[i])))
    }

    #[test]
    fn lists_every_conflict_of_a_system_with_three() {
        // 0 and 1 conflict; 2, 3 and 4 conflict; 1 and 3 conflict (as in a scenario where one
        // red line takes part in two conflicts).
        let truth = vec![vec![0, 1], vec![2, 3, 4], vec![1, 3]];
        let order: Vec<usize> = (0..6).collect();
        let list = minimal_conflicts(6, &order, &mut oracle(&truth), Limits::default()).unwrap();
        assert!(list.complete);
        let mut found = list.conflicts.clone();
        found.sort();
        let mut expected = truth.clone();
        expected.sort();
        assert_eq!(found, expected);
        // Minimal correction sets are the minimal hitting sets: {1, 2}, {1, 3}... exactly those
        // of the three conflicts.
        let mut mcs = list.corrections.clone();
        mcs.sort();
        assert_eq!(mcs, vec![vec![0, 3], vec![1, 2], vec![1, 3], vec![1, 4]]);
    }

    #[test]
    fn minimum_corrections_within_a_party_find_conflicts_on_the_way() {
        let truth = vec![vec![0, 1], vec![2, 3, 4], vec![1, 3]];
        let order: Vec<usize> = (0..6).collect();
        // Start from one known conflict only.
        let mut known = vec![vec![0, 1]];
        let all = vec![true; 6];
        let overall = minimum_corrections(
            6,
            &all,
            &order,
            &mut known,
            &mut oracle(&truth),
            Limits::default(),
        )
        .unwrap();
        assert!(overall.complete);
        assert_eq!(
            overall.sets,
            vec![vec![0, 3], vec![1, 2], vec![1, 3], vec![1, 4]]
        );
        // Constraints 0 and 1 alone cannot: the conflict {2, 3, 4} has none of them.
        let mut allowed = vec![false; 6];
        allowed[0] = true;
        allowed[1] = true;
        let party = minimum_corrections(
            6,
            &allowed,
            &order,
            &mut known,
            &mut oracle(&truth),
            Limits::default(),
        )
        .unwrap();
        assert_eq!(party.sets, Vec::<Subset>::new());
        assert_eq!(party.untouched_conflict, Some(vec![2, 3, 4]));
    }

    #[test]
    fn stops_at_the_conflict_limit_and_says_so() {
        let truth: Vec<Subset> = (0..5).map(|i| vec![2 * i, 2 * i + 1]).collect();
        let order: Vec<usize> = (0..10).collect();
        let limits = Limits {
            max_conflicts: 3,
            ..Limits::default()
        };
        let list = minimal_conflicts(10, &order, &mut oracle(&truth), limits).unwrap();
        assert!(!list.complete);
        assert_eq!(list.conflicts.len(), 3);
    }
}

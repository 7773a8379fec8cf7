//! Brute-force reference analyses, for tests: they enumerate every package, with no pruning, no
//! parallelism and no shared code beyond the model, and are as slow as they are simple.

use crate::analysis::Constraint;
use crate::engine::{package_from_index, space_size, Evaluator};
use crate::model::{PartyIx, Scenario};
use crate::pareto::dominates;

/// What the reference computes.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Zone packages by index, ascending.
    pub zone: Vec<u64>,
    /// Distinct frontier vectors (consenting parties' utilities), each with all its packages,
    /// sorted by descending utilities.
    pub frontier: Vec<(Vec<f64>, Vec<u64>)>,
    /// For Nash, Kalai-Smorodinsky, egalitarian and utilitarian in that order: the best value
    /// and the frontier vectors attaining it (within the relative tolerance 1e-9).
    pub solutions: Vec<(f64, Vec<Vec<f64>>)>,
}

/// Whether a package is in the zone under the given constraints.
pub fn in_zone(
    scenario: &Scenario,
    eval: &Evaluator,
    active: &[Constraint],
    package: &[usize],
) -> bool {
    let mut u = vec![0.0; eval.width()];
    eval.utilities(package, &mut u);
    active.iter().all(|c| match *c {
        Constraint::RedLine(r) => scenario.red_lines[r].rule.allows(package),
        Constraint::Reservation(p) => {
            u[eval.slot(p).expect("scored")]
                >= scenario.preferences[p]
                    .as_ref()
                    .expect("prefs")
                    .reservation
                    .value
        }
    })
}

/// Every constraint of the zone: consenting parties' red lines and reservations.
pub fn zone_constraints(scenario: &Scenario) -> Vec<Constraint> {
    let mut all: Vec<Constraint> = (0..scenario.red_lines.len())
        .filter(|&r| scenario.parties[scenario.red_lines[r].party].consent)
        .map(Constraint::RedLine)
        .collect();
    all.extend(
        scenario
            .consenting()
            .into_iter()
            .map(Constraint::Reservation),
    );
    all
}

/// Analyses a scenario by plain enumeration.
pub fn analyze(scenario: &Scenario) -> Reference {
    let eval = Evaluator::new(scenario);
    let counts = scenario.option_counts();
    let size = space_size(&counts).expect("reference scenarios are small") as u64;
    let active = zone_constraints(scenario);
    let consenting: Vec<PartyIx> = scenario.consenting();
    let reservation: Vec<f64> = consenting
        .iter()
        .map(|&p| {
            scenario.preferences[p]
                .as_ref()
                .expect("prefs")
                .reservation
                .value
        })
        .collect();
    let mut zone = Vec::new();
    let mut points: Vec<(Vec<f64>, u64)> = Vec::new();
    let mut u = vec![0.0; eval.width()];
    for index in 0..size {
        let package = package_from_index(&counts, index);
        if !in_zone(scenario, &eval, &active, &package) {
            continue;
        }
        eval.utilities(&package, &mut u);
        zone.push(index);
        points.push((
            consenting
                .iter()
                .map(|&p| u[eval.slot(p).expect("scored")])
                .collect(),
            index,
        ));
    }
    let mut frontier: Vec<(Vec<f64>, Vec<u64>)> = Vec::new();
    for (v, index) in &points {
        if points.iter().any(|(w, _)| dominates(w, v)) {
            continue;
        }
        match frontier.iter_mut().find(|(w, _)| w == v) {
            Some((_, packages)) => packages.push(*index),
            None => frontier.push((v.clone(), vec![*index])),
        }
    }
    frontier.sort_by(|a, b| b.0.partial_cmp(&a.0).expect("no NaN"));
    let k = consenting.len();
    let ideal: Vec<f64> = (0..k)
        .map(|j| {
            frontier
                .iter()
                .map(|(v, _)| v[j])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    type Objective<'a> = &'a dyn Fn(&[f64]) -> f64;
    let objectives: [Objective; 4] = [
        &|v| (0..k).map(|j| v[j] - reservation[j]).product(),
        &|v| {
            (0..k)
                .map(|j| {
                    let span = ideal[j] - reservation[j];
                    if span > 0.0 {
                        (v[j] - reservation[j]) / span
                    } else {
                        1.0
                    }
                })
                .fold(f64::INFINITY, f64::min)
        },
        &|v| {
            (0..k)
                .map(|j| v[j] - reservation[j])
                .fold(f64::INFINITY, f64::min)
        },
        &|v| v.iter().sum(),
    ];
    let solutions = if frontier.is_empty() {
        Vec::new()
    } else {
        objectives
            .iter()
            .map(|f| {
                let best = frontier
                    .iter()
                    .map(|(v, _)| f(v))
                    .fold(f64::NEG_INFINITY, f64::max);
                let winners = frontier
                    .iter()
                    .filter(|(v, _)| crate::bargaining::ties(f(v), best))
                    .map(|(v, _)| v.clone())
                    .collect();
                (best, winners)
            })
            .collect()
    };
    Reference {
        zone,
        frontier,
        solutions,
    }
}

/// Whether the zone under `active` is non-empty, by enumeration.
pub fn feasible(scenario: &Scenario, active: &[Constraint]) -> bool {
    let eval = Evaluator::new(scenario);
    let counts = scenario.option_counts();
    let size = space_size(&counts).expect("reference scenarios are small") as u64;
    (0..size).any(|i| in_zone(scenario, &eval, active, &package_from_index(&counts, i)))
}

/// For every package, the set of `active` constraints it meets (bit `k` for `active[k]`), each
/// distinct set once. A subset of `active` can be met together exactly when one of these sets
/// contains it.
fn met_sets(scenario: &Scenario, active: &[Constraint]) -> Vec<u64> {
    assert!(active.len() <= 64, "reference systems are small");
    let eval = Evaluator::new(scenario);
    let counts = scenario.option_counts();
    let size = space_size(&counts).expect("reference scenarios are small") as u64;
    let mut sets: Vec<u64> = (0..size)
        .map(|i| {
            let package = package_from_index(&counts, i);
            (0..active.len())
                .filter(|&k| in_zone(scenario, &eval, &active[k..=k], &package))
                .fold(0u64, |m, k| m | 1 << k)
        })
        .collect();
    sets.sort_unstable();
    sets.dedup();
    sets
}

/// What the reference finds when the zone is empty, by trying every subset of the constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Every minimal conflict (members in [`zone_constraints`] order), in ascending order.
    pub conflicts: Vec<Vec<Constraint>>,
    /// Every correction set of the fewest members.
    pub corrections: Vec<Vec<Constraint>>,
    /// For each consenting party, every set of its own constraints of the fewest members that
    /// opens a zone (empty when none does).
    pub by_party: Vec<(PartyIx, Vec<Vec<Constraint>>)>,
}

/// All minimal conflicts and minimum correction sets, by brute force over every subset of the
/// constraints (`None` when the zone is not empty).
pub fn explain(scenario: &Scenario) -> Option<Explanation> {
    let active = zone_constraints(scenario);
    let n = active.len();
    let sets = met_sets(scenario, &active);
    let feasible = |s: u64| sets.iter().any(|&m| m & s == s);
    let full = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    if feasible(full) {
        return None;
    }
    let subsets = |mask: u64| -> Vec<Constraint> {
        (0..n)
            .filter(|&k| mask >> k & 1 == 1)
            .map(|k| active[k])
            .collect()
    };
    let conflicts: Vec<u64> = (1..=full)
        .filter(|&s| !feasible(s) && (0..n).all(|k| s >> k & 1 == 0 || feasible(s & !(1 << k))))
        .collect();
    let fewest = |within: u64| -> Vec<u64> {
        let opening: Vec<u64> = (0..=full)
            .filter(|&s| s & !within == 0 && feasible(full & !s))
            .collect();
        let min = opening.iter().map(|s| s.count_ones()).min();
        opening
            .into_iter()
            .filter(|s| Some(s.count_ones()) == min)
            .collect()
    };
    let by_party = scenario
        .consenting()
        .into_iter()
        .map(|p| {
            let own = (0..n)
                .filter(|&k| match active[k] {
                    Constraint::RedLine(r) => scenario.red_lines[r].party == p,
                    Constraint::Reservation(q) => q == p,
                })
                .fold(0u64, |m, k| m | 1 << k);
            (p, fewest(own).into_iter().map(subsets).collect())
        })
        .collect();
    let mut conflicts: Vec<Vec<Constraint>> = conflicts.into_iter().map(subsets).collect();
    conflicts.sort();
    let mut corrections: Vec<Vec<Constraint>> = fewest(full).into_iter().map(subsets).collect();
    corrections.sort();
    Some(Explanation {
        conflicts,
        corrections,
        by_party,
    })
}

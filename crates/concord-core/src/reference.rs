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

/// Every package (by index, ascending) that admits only the allowed options of each issue.
fn packages_within(counts: &[usize], allowed: &[crate::model::OptionSet]) -> Vec<Vec<usize>> {
    let size = space_size(counts).expect("reference scenarios are small") as u64;
    (0..size)
        .map(|i| package_from_index(counts, i))
        .filter(|p| p.iter().zip(allowed).all(|(&o, set)| set.contains(o)))
        .collect()
}

/// The distinct vectors among `points` that no other dominates, sorted by descending utilities.
fn non_dominated(points: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = Vec::new();
    for v in points {
        if points.iter().any(|w| dominates(w, v)) || out.contains(v) {
            continue;
        }
        out.push(v.clone());
    }
    out.sort_by(|a, b| b.partial_cmp(a).expect("no NaN"));
    out
}

/// What the completions of a partial proposal give, by enumeration of every completion.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletionsReference {
    /// Each scored party's least and most utility over all completions, red lines or not.
    pub ranges: Vec<(f64, f64)>,
    /// Red lines (all parties') that every completion breaks.
    pub broken: Vec<usize>,
    /// Each consenting party's best utility among completions in the zone (empty when none is).
    pub best_in_zone: Vec<f64>,
    /// The frontier of the completions in the zone.
    pub frontier: Vec<Vec<f64>>,
}

/// The completions of the allowed options, by plain enumeration.
pub fn completions(
    scenario: &Scenario,
    allowed: &[crate::model::OptionSet],
) -> CompletionsReference {
    let eval = Evaluator::new(scenario);
    let packages = packages_within(&scenario.option_counts(), allowed);
    let active = zone_constraints(scenario);
    let consenting = scenario.consenting();
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); eval.width()];
    let mut zone: Vec<Vec<f64>> = Vec::new();
    let mut u = vec![0.0; eval.width()];
    for p in &packages {
        eval.utilities(p, &mut u);
        for (r, &x) in ranges.iter_mut().zip(&u) {
            *r = (r.0.min(x), r.1.max(x));
        }
        if in_zone(scenario, &eval, &active, p) {
            zone.push(
                consenting
                    .iter()
                    .map(|&q| u[eval.slot(q).expect("scored")])
                    .collect(),
            );
        }
    }
    let broken = (0..scenario.red_lines.len())
        .filter(|&r| {
            packages
                .iter()
                .all(|p| !scenario.red_lines[r].rule.allows(p))
        })
        .collect();
    let best_in_zone = if zone.is_empty() {
        Vec::new()
    } else {
        (0..consenting.len())
            .map(|j| zone.iter().map(|v| v[j]).fold(f64::NEG_INFINITY, f64::max))
            .collect()
    };
    CompletionsReference {
        ranges,
        broken,
        best_in_zone,
        frontier: non_dominated(&zone),
    }
}

/// The Pareto improvements over a package, by plain enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct ImprovementsReference {
    /// The consenting parties' utilities of the package.
    pub utilities: Vec<f64>,
    /// The frontier of the packages that meet every consenting party's red lines, keep the kept
    /// issues, and give every consenting party at least the package's utility and one more.
    pub frontier: Vec<Vec<f64>>,
    /// How many packages are improvements (weakly better for all, not equal).
    pub count: usize,
    /// The largest smallest gain over the package among them.
    pub max_min_gain: Option<f64>,
    /// The largest product of gains among them.
    pub nash: Option<f64>,
    /// The fewest issues changed by a package every consenting party strictly prefers, with the
    /// largest smallest gain among such packages.
    pub closest: Option<(usize, f64)>,
}

/// The improvements over `package` keeping the issues in `keep`, by plain enumeration.
pub fn improvements(
    scenario: &Scenario,
    package: &[usize],
    keep: &[usize],
) -> ImprovementsReference {
    let eval = Evaluator::new(scenario);
    let consenting = scenario.consenting();
    let vector = |p: &[usize]| -> Vec<f64> {
        let mut u = vec![0.0; eval.width()];
        eval.utilities(p, &mut u);
        consenting
            .iter()
            .map(|&q| u[eval.slot(q).expect("scored")])
            .collect()
    };
    let base = vector(package);
    let red_lines: Vec<Constraint> = (0..scenario.red_lines.len())
        .filter(|&r| scenario.parties[scenario.red_lines[r].party].consent)
        .map(Constraint::RedLine)
        .collect();
    let counts = scenario.option_counts();
    let size = space_size(&counts).expect("reference scenarios are small") as u64;
    let mut better: Vec<Vec<f64>> = Vec::new();
    let mut closest: Option<(usize, f64)> = None;
    for index in 0..size {
        let p = package_from_index(&counts, index);
        if keep.iter().any(|&i| p[i] != package[i]) || !in_zone(scenario, &eval, &red_lines, &p) {
            continue;
        }
        let v = vector(&p);
        let weakly = v.iter().zip(&base).all(|(a, b)| a >= b);
        if !weakly || v == base {
            continue;
        }
        if v.iter().zip(&base).all(|(a, b)| a > b) {
            let changed = (0..p.len()).filter(|&i| p[i] != package[i]).count();
            let gain = v
                .iter()
                .zip(&base)
                .map(|(a, b)| a - b)
                .fold(f64::INFINITY, f64::min);
            closest = match closest {
                Some((c, g)) if c < changed || (c == changed && g >= gain) => Some((c, g)),
                _ => Some((changed, gain)),
            };
        }
        better.push(v);
    }
    let frontier = non_dominated(&better);
    let gains = |v: &Vec<f64>| {
        v.iter()
            .zip(&base)
            .map(|(a, b)| a - b)
            .collect::<Vec<f64>>()
    };
    let max_min_gain = frontier
        .iter()
        .map(|v| gains(v).into_iter().fold(f64::INFINITY, f64::min))
        .reduce(f64::max);
    let nash = frontier
        .iter()
        .map(|v| gains(v).into_iter().product::<f64>())
        .reduce(f64::max);
    ImprovementsReference {
        utilities: base,
        count: better.len(),
        frontier,
        max_min_gain,
        nash,
        closest,
    }
}

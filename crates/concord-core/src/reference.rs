//! Brute-force reference analyses, for tests: they enumerate every package, with no pruning, no
//! parallelism and no shared code beyond the model, and are as slow as they are simple.
//!
//! [`analyze`] sums floats in issue order, as the analysis does by default. [`analyze_exact`]
//! decides in exact rational arithmetic on scenarios whose numbers are all short decimals (as
//! [`crate::exact::decimal`] reads the numbers as written): utilities are integers over 10^d for
//! d the sum of the most decimals of weights, values and reservations (a larger scale than the
//! analysis picks), compared, summed and multiplied in integers.

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

/// A scenario's utilities in exact arithmetic: integers over `10^scale`.
struct Exact {
    scale: u32,
    /// `[party][issue][option]`, for parties with preferences.
    table: Vec<Vec<Vec<i128>>>,
    /// Reservation values, by party (0 without preferences).
    reservation: Vec<i128>,
}

impl Exact {
    fn new(scenario: &Scenario) -> Option<Exact> {
        use crate::exact::decimal;
        let mut numbers: [Vec<(i128, u32)>; 3] = Default::default();
        for prefs in scenario.preferences.iter().flatten() {
            numbers[2].push(decimal(prefs.reservation.value)?);
            for (i, ip) in prefs.issues.iter().enumerate() {
                numbers[0].push(decimal(ip.weight.value)?);
                let issue = &scenario.issues[i];
                for o in 0..issue.options.len() {
                    numbers[1].push(decimal(ip.values.value(issue, o, |a| a.value))?);
                }
            }
        }
        let most = |k: usize| numbers[k].iter().map(|n| n.1).max().unwrap_or(0);
        let (dw, dv) = (most(0), most(1));
        let scale = dw + dv + most(2);
        let at = |(n, d): (i128, u32), to: u32| n * 10i128.pow(to - d);
        let table = scenario
            .preferences
            .iter()
            .map(|prefs| {
                let Some(prefs) = prefs else {
                    return Vec::new();
                };
                prefs
                    .issues
                    .iter()
                    .enumerate()
                    .map(|(i, ip)| {
                        let issue = &scenario.issues[i];
                        let w = at(decimal(ip.weight.value).expect("read above"), dw);
                        (0..issue.options.len())
                            .map(|o| {
                                let v = decimal(ip.values.value(issue, o, |a| a.value));
                                w * at(v.expect("read above"), dv) * 10i128.pow(scale - dw - dv)
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let reservation = scenario
            .preferences
            .iter()
            .map(|prefs| {
                prefs.as_ref().map_or(0, |p| {
                    at(decimal(p.reservation.value).expect("read above"), scale)
                })
            })
            .collect();
        Some(Exact {
            scale,
            table,
            reservation,
        })
    }

    fn utility(&self, p: PartyIx, package: &[usize]) -> i128 {
        package
            .iter()
            .enumerate()
            .map(|(i, &o)| self.table[p][i][o])
            .sum()
    }

    /// An exact utility as the nearest `f64` (one correctly rounded division).
    fn float(&self, x: i128) -> f64 {
        x as f64 / 10f64.powi(self.scale as i32)
    }
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

/// Analyses a scenario by plain enumeration, utilities summed in floating point in issue order
/// (as the analysis does without [`crate::analysis::AnalysisConfig::exact_decimals`]).
pub fn analyze(scenario: &Scenario) -> Reference {
    analyze_floats(scenario)
}

/// Analyses a scenario by plain enumeration in exact rational arithmetic, when every number is a
/// short decimal (`None` otherwise). Utilities are reported as the nearest `f64`.
pub fn analyze_exact(scenario: &Scenario) -> Option<Reference> {
    Exact::new(scenario).map(|x| analyze_exact_with(scenario, &x))
}

/// A non-negative integer as base-10^9 digits, least significant first.
fn big_product(factors: &[i128]) -> Vec<u64> {
    const BASE: u128 = 1_000_000_000;
    let mut digits: Vec<u64> = vec![1];
    for &f in factors {
        let f = f.unsigned_abs();
        let mut out = Vec::with_capacity(digits.len() + 5);
        let mut carry: u128 = 0;
        for &d in &digits {
            let x = u128::from(d) * f + carry;
            out.push((x % BASE) as u64);
            carry = x / BASE;
        }
        while carry > 0 {
            out.push((carry % BASE) as u64);
            carry /= BASE;
        }
        while out.len() > 1 && out.last() == Some(&0) {
            out.pop();
        }
        digits = out;
    }
    digits
}

/// [`analyze`] in exact arithmetic.
fn analyze_exact_with(scenario: &Scenario, x: &Exact) -> Reference {
    use std::cmp::Ordering;
    let counts = scenario.option_counts();
    let size = space_size(&counts).expect("reference scenarios are small") as u64;
    let active = zone_constraints(scenario);
    let consenting: Vec<PartyIx> = scenario.consenting();
    let reservation: Vec<i128> = consenting.iter().map(|&p| x.reservation[p]).collect();
    let mut zone = Vec::new();
    let mut points: Vec<(Vec<i128>, u64)> = Vec::new();
    for index in 0..size {
        let package = package_from_index(&counts, index);
        let meets = active.iter().all(|c| match *c {
            Constraint::RedLine(r) => scenario.red_lines[r].rule.allows(&package),
            Constraint::Reservation(p) => x.utility(p, &package) >= x.reservation[p],
        });
        if !meets {
            continue;
        }
        zone.push(index);
        points.push((
            consenting.iter().map(|&p| x.utility(p, &package)).collect(),
            index,
        ));
    }
    let dominates = |a: &[i128], b: &[i128]| a.iter().zip(b).all(|(a, b)| a >= b) && a != b;
    let mut frontier: Vec<(Vec<i128>, Vec<u64>)> = Vec::new();
    for (v, index) in &points {
        if points.iter().any(|(w, _)| dominates(w, v)) {
            continue;
        }
        match frontier.iter_mut().find(|(w, _)| w == v) {
            Some((_, packages)) => packages.push(*index),
            None => frontier.push((v.clone(), vec![*index])),
        }
    }
    frontier.sort_by(|a, b| b.0.cmp(&a.0));
    let k = consenting.len();
    let ideal: Vec<i128> = (0..k)
        .map(|j| frontier.iter().map(|(v, _)| v[j]).max().unwrap_or(0))
        .collect();
    let gains =
        |v: &[i128]| -> Vec<i128> { v.iter().zip(&reservation).map(|(u, r)| u - r).collect() };
    // Each objective as an exact comparison and a float value.
    let nash = |v: &[i128]| {
        let g = gains(v);
        let sign = if g.contains(&0) {
            0
        } else if g.iter().filter(|&&x| x < 0).count() % 2 == 1 {
            -1
        } else {
            1
        };
        (sign, big_product(&g))
    };
    let nash_cmp = |a: &[i128], b: &[i128]| {
        let ((sa, ma), (sb, mb)) = (nash(a), nash(b));
        let magnitude = ma
            .len()
            .cmp(&mb.len())
            .then_with(|| ma.iter().rev().cmp(mb.iter().rev()));
        sa.cmp(&sb).then(match sa {
            1 => magnitude,
            -1 => magnitude.reverse(),
            _ => Ordering::Equal,
        })
    };
    let ks = |v: &[i128]| -> (i128, i128) {
        gains(v)
            .iter()
            .zip(ideal.iter().zip(&reservation))
            .map(|(&g, (&i, &r))| if i > r { (g, i - r) } else { (1, 1) })
            .min_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)))
            .unwrap_or((1, 1))
    };
    let ks_cmp = |a: &[i128], b: &[i128]| {
        let (x, y) = (ks(a), ks(b));
        (x.0 * y.1).cmp(&(y.0 * x.1))
    };
    let egal = |v: &[i128]| gains(v).into_iter().min().unwrap_or(0);
    let util = |v: &[i128]| v.iter().sum::<i128>();
    type Cmp<'a> = &'a dyn Fn(&[i128], &[i128]) -> Ordering;
    type Value<'a> = &'a dyn Fn(&[i128]) -> f64;
    let objectives: [(Cmp, Value); 4] = [
        (&nash_cmp, &|v| {
            gains(v).iter().map(|&g| x.float(g)).product()
        }),
        (&ks_cmp, &|v| {
            let (n, d) = ks(v);
            n as f64 / d as f64
        }),
        (&|a, b| egal(a).cmp(&egal(b)), &|v| x.float(egal(v))),
        (&|a, b| util(a).cmp(&util(b)), &|v| x.float(util(v))),
    ];
    let as_floats = |v: &[i128]| -> Vec<f64> { v.iter().map(|&u| x.float(u)).collect() };
    let solutions = if frontier.is_empty() {
        Vec::new()
    } else {
        objectives
            .iter()
            .map(|(cmp, value)| {
                let best = frontier
                    .iter()
                    .map(|(v, _)| v)
                    .max_by(|a, b| cmp(a, b))
                    .expect("non-empty");
                let winners = frontier
                    .iter()
                    .filter(|(v, _)| cmp(v, best) == Ordering::Equal)
                    .map(|(v, _)| as_floats(v))
                    .collect();
                (value(best), winners)
            })
            .collect()
    };
    Reference {
        zone,
        frontier: frontier
            .into_iter()
            .map(|(v, packages)| (as_floats(&v), packages))
            .collect(),
        solutions,
    }
}

/// [`analyze`] in floating point, utilities summed in issue order.
fn analyze_floats(scenario: &Scenario) -> Reference {
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

/// NegMAS 0.16's `ks_points` and `kalai_points` (in [`crate::bargaining::NegmasConcept::ALL`]
/// order) on a reference frontier of `scenario`: the frontier vectors each picks. Each party's
/// least and best utility over the space come from every package (floats summed in issue
/// order), and the rules are restated as NegMAS writes them, loops and all.
pub fn negmas_points(scenario: &Scenario, reference: &Reference) -> Vec<Vec<Vec<f64>>> {
    const EPS: f64 = 1e-12;
    let eval = Evaluator::new(scenario);
    let counts = scenario.option_counts();
    let size = space_size(&counts).expect("reference scenarios are small") as u64;
    let consenting = scenario.consenting();
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); consenting.len()];
    let mut u = vec![0.0; eval.width()];
    for index in 0..size {
        eval.utilities(&package_from_index(&counts, index), &mut u);
        for (range, &p) in ranges.iter_mut().zip(&consenting) {
            let x = u[eval.slot(p).expect("scored")];
            *range = (range.0.min(x), range.1.max(x));
        }
    }
    let rs: Vec<f64> = consenting
        .iter()
        .map(|&p| {
            scenario.preferences[p]
                .as_ref()
                .expect("prefs")
                .reservation
                .value
        })
        .collect();
    for (range, &r) in ranges.iter_mut().zip(&rs) {
        if r >= range.0 && r.is_finite() {
            range.0 = r;
        }
    }
    let frontier: Vec<&Vec<f64>> = reference.frontier.iter().map(|(v, _)| v).collect();
    if frontier.is_empty() {
        return Vec::new();
    }
    if ranges.iter().any(|&(lo, hi)| hi - lo <= EPS) {
        return vec![frontier.iter().map(|v| v.to_vec()).collect(); 2];
    }
    // ks_points: the smallest spread of advantages.
    let mut ks_vals = Vec::new();
    let mut ks_best = f64::INFINITY;
    for v in &frontier {
        if v.iter().zip(&rs).any(|(u, r)| u < r) {
            ks_vals.push(f64::INFINITY);
            continue;
        }
        let adv: Vec<f64> = v
            .iter()
            .zip(&ranges)
            .map(|(u, &(r, x))| {
                if x - r != 0.0 {
                    (u - r) / (x - r)
                } else {
                    u - r
                }
            })
            .collect();
        let val = adv.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - adv.iter().copied().fold(f64::INFINITY, f64::min);
        ks_vals.push(val);
        if val < ks_best {
            ks_best = val;
        }
    }
    // kalai_points: the largest smallest gain.
    let mut kalai_vals = Vec::new();
    let mut kalai_best = f64::NEG_INFINITY;
    for v in &frontier {
        if v.iter().zip(&rs).any(|(u, r)| u < r) {
            kalai_vals.push(f64::NEG_INFINITY);
            continue;
        }
        let val = v
            .iter()
            .zip(&ranges)
            .map(|(u, &(r, _))| u - r)
            .fold(f64::INFINITY, f64::min);
        kalai_vals.push(val);
        if val > kalai_best {
            kalai_best = val;
        }
    }
    let ks = (0..frontier.len())
        .filter(|&i| ks_best.is_finite() && ks_vals[i] <= ks_best + EPS)
        .map(|i| frontier[i].clone())
        .collect();
    let kalai = (0..frontier.len())
        .filter(|&i| kalai_best.is_finite() && kalai_vals[i] >= kalai_best - EPS)
        .map(|i| frontier[i].clone())
        .collect();
    vec![ks, kalai]
}

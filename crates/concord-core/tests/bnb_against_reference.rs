//! The branch and bound against the brute-force reference on random small scenarios: the ideal
//! point and each bargaining point (value, every tied point, its package count and smallest
//! package) must be those read off the enumerated frontier; with a node limit, the reported
//! interval must hold the true optimum.

use concord_core::analysis::{analyze, Analysis, AnalysisConfig, AnalysisError, MethodChoice};
use concord_core::engine::{package_from_index, Evaluator};
use concord_core::model::*;
use concord_core::reference::{self, Reference};
use proptest::prelude::*;

/// (party, conditional?, if-issue, if-options, issue, allowed options).
type RandomRedLine = (usize, bool, usize, Vec<bool>, usize, Vec<bool>);

#[derive(Debug, Clone)]
struct Spec {
    counts: Vec<usize>,
    consent: Vec<bool>,
    weights: Vec<Vec<u8>>,
    values: Vec<Vec<Vec<u8>>>,
    /// Reservation in twentieths; 0 when the scenario has none.
    reservations: Vec<u8>,
    red_lines: Vec<RandomRedLine>,
    /// Values on a grid of 1/4 (many ties) or 1/250 (few).
    coarse: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(1usize..=4, 1..=6),
        2usize..=4,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(|(counts, parties, reserve, coarse)| {
            let n = counts.len();
            let max = *counts.iter().max().unwrap();
            (
                Just(counts),
                prop::collection::vec(prop::bool::weighted(0.85), parties),
                prop::collection::vec(prop::collection::vec(0u8..=9, n), parties),
                prop::collection::vec(
                    prop::collection::vec(prop::collection::vec(any::<u8>(), max), n),
                    parties,
                ),
                prop::collection::vec(if reserve { 0u8..=12 } else { 0u8..=0 }, parties),
                prop::collection::vec(
                    (
                        0..parties,
                        any::<bool>(),
                        0..n,
                        prop::collection::vec(prop::bool::weighted(0.6), max),
                        0..n,
                        prop::collection::vec(prop::bool::weighted(0.7), max),
                    ),
                    0..=4,
                ),
                Just(coarse),
            )
        })
        .prop_map(
            |(counts, consent, weights, values, reservations, red_lines, coarse)| Spec {
                counts,
                consent,
                weights,
                values,
                reservations,
                red_lines,
                coarse,
            },
        )
}

fn build(spec: &Spec) -> Scenario {
    let parties = spec.consent.len();
    let issues: Vec<Issue> = spec
        .counts
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
    let value = |x: u8| {
        if spec.coarse {
            f64::from(x % 5) / 4.0
        } else {
            f64::from(x) / 250.0
        }
    };
    let preferences = (0..parties)
        .map(|p| {
            // A weight of 0 on some issues makes their options interchangeable for that party.
            let total: f64 = spec.weights[p]
                .iter()
                .map(|&w| f64::from(w))
                .sum::<f64>()
                .max(1.0);
            Some(Preferences {
                reservation: Assumed::exact(f64::from(spec.reservations[p]) / 20.0),
                provenance: Provenance::default(),
                issues: issues
                    .iter()
                    .enumerate()
                    .map(|(i, issue)| IssuePreference {
                        weight: Assumed::exact(f64::from(spec.weights[p][i]) / total),
                        values: ValueFunction::Table(
                            (0..issue.options.len())
                                .map(|o| Assumed::exact(value(spec.values[p][i][o])))
                                .collect(),
                        ),
                        provenance: Provenance::default(),
                    })
                    .collect(),
                discount: None,
            })
        })
        .collect();
    let restriction = |issue: usize, mask: &[bool]| IssueRestriction {
        issue,
        allowed: OptionSet(mask[..spec.counts[issue]].to_vec()),
        phrasing: Phrasing::MustBeOneOf,
    };
    let red_lines = spec
        .red_lines
        .iter()
        .enumerate()
        .map(|(k, (party, conditional, a, amask, b, bmask))| RedLine {
            id: format!("r{k}"),
            party: *party,
            rule: if *conditional && a != b {
                RedLineRule::Conditional {
                    if_issue: *a,
                    if_options: OptionSet(amask[..spec.counts[*a]].to_vec()),
                    then: restriction(*b, bmask),
                }
            } else {
                RedLineRule::Simple(restriction(*b, bmask))
            },
            provenance: Provenance::default(),
        })
        .collect();
    let mut consent = spec.consent.clone();
    consent[0] = true;
    Scenario {
        id: "random".into(),
        title: "random".into(),
        description: String::new(),
        sources: vec![],
        parties: consent
            .iter()
            .enumerate()
            .map(|(i, &c)| Party {
                id: format!("p{i}"),
                name: format!("P{i}"),
                role: if c { Role::Party } else { Role::Mediator },
                consent: c,
                aliases: vec![],
                provenance: Provenance::default(),
            })
            .collect(),
        issues,
        preferences,
        red_lines,
        framework: Framework::default(),
        claims: Vec::new(),
    }
}

fn config(method: MethodChoice, max_nodes: u64) -> AnalysisConfig {
    AnalysisConfig {
        method,
        max_nodes,
        issue_map: false,
        ..AnalysisConfig::default()
    }
}

/// The analysis, or `None` when the scenario is refused for a party's own contradictory red
/// lines (checked against the reference).
fn analysis(scenario: &Scenario, config: &AnalysisConfig) -> Option<Analysis> {
    match analyze(scenario, config) {
        Err(AnalysisError::SelfContradictoryRedLines { party }) => {
            let p = scenario.parties.iter().position(|x| x.id == party).unwrap();
            let own: Vec<_> = (0..scenario.red_lines.len())
                .filter(|&r| scenario.red_lines[r].party == p)
                .map(concord_core::analysis::Constraint::RedLine)
                .collect();
            assert!(!reference::feasible(scenario, &own));
            None
        }
        other => Some(other.unwrap()),
    }
}

/// The reference's ideal point (each party's best on the frontier).
fn ideal(slow: &Reference, k: usize) -> Vec<f64> {
    (0..k)
        .map(|j| {
            slow.frontier
                .iter()
                .map(|(v, _)| v[j])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect()
}

/// Solution `n`'s points are the reference's `winners`, each with the reference's package count
/// and its first package.
fn points_match(
    a: &Analysis,
    n: usize,
    winners: &[Vec<f64>],
    slow: &Reference,
    counts: &[usize],
) -> Result<(), TestCaseError> {
    let solution = &a.solutions[n];
    let picked: Vec<Vec<f64>> = solution
        .points
        .iter()
        .map(|&i| a.solution_point(i).utilities.clone())
        .collect();
    prop_assert_eq!(&picked, winners, "{:?}", solution.concept);
    for &i in &solution.points {
        let point = a.solution_point(i);
        let (_, packages) = slow
            .frontier
            .iter()
            .find(|(v, _)| *v == point.utilities)
            .unwrap();
        prop_assert_eq!(point.package_count, packages.len() as u128);
        prop_assert_eq!(
            &point.packages,
            &vec![package_from_index(counts, packages[0])]
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Without a limit: exactly the points read off the brute-force frontier.
    #[test]
    fn branch_and_bound_matches_brute_force(spec in spec()) {
        let scenario = build(&spec);
        let Some(a) = analysis(&scenario, &config(MethodChoice::BranchAndBound, 0)) else {
            return Ok(());
        };
        let slow = reference::analyze(&scenario);
        prop_assert_eq!(a.method, concord_core::analysis::Method::BranchAndBound);
        prop_assert!(!a.frontier_materialised);
        prop_assert!(a.frontier.is_empty());
        prop_assert_eq!(a.zone_exists, !slow.zone.is_empty());
        prop_assert_eq!(a.zone_size, Some(slow.zone.len() as u64));
        prop_assert_eq!(a.solutions.len(), slow.solutions.len());
        if a.zone_exists {
            prop_assert_eq!(&a.ideal, &ideal(&slow, a.consenting.len()));
            prop_assert_eq!(&a.search.as_ref().unwrap().ideal_upper, &a.ideal);
        }
        let counts = scenario.option_counts();
        for (n, (solution, (best, winners))) in a.solutions.iter().zip(&slow.solutions).enumerate() {
            let proof = a.proof(n).unwrap();
            prop_assert!(proof.proven && proof.all_ties && proof.gap == 0.0, "{:?}", proof);
            prop_assert!((solution.value - best).abs() <= 1e-9, "{:?}: {} vs {}", solution.concept, solution.value, best);
            points_match(&a, n, winners, &slow, &counts)?;
        }
        // An empty zone is explained as enumeration explains it.
        let e = analysis(&scenario, &config(MethodChoice::Enumeration, 0)).unwrap();
        prop_assert_eq!(&a.no_zone, &e.no_zone);
    }

    /// With a node limit: every answer is a zone package with the utilities shown, and the true
    /// optimum lies within [value, value + gap].
    #[test]
    fn node_limit_bounds_the_optimum(spec in spec(), max_nodes in 1u64..40) {
        let scenario = build(&spec);
        let limited = config(MethodChoice::BranchAndBound, max_nodes);
        let a = match analyze(&scenario, &limited) {
            Err(AnalysisError::Stopped(why)) => {
                // Allowed only when the search could not settle the zone or an explanation.
                prop_assert!(why.contains("node limit"), "{}", why);
                return Ok(());
            }
            Err(AnalysisError::SelfContradictoryRedLines { .. }) => return Ok(()),
            other => other.unwrap(),
        };
        let slow = reference::analyze(&scenario);
        prop_assert_eq!(a.zone_exists, !slow.zone.is_empty());
        let eval = Evaluator::new(&scenario);
        let counts = scenario.option_counts();
        let active = reference::zone_constraints(&scenario);
        let report = a.search.as_ref().unwrap();
        if a.zone_exists {
            let truth = ideal(&slow, a.consenting.len());
            for ((lo, hi), t) in a.ideal.iter().zip(&report.ideal_upper).zip(&truth) {
                prop_assert!(lo <= t && t <= hi, "ideal {} <= {} <= {}", lo, t, hi);
            }
        }
        for (n, (solution, (best, winners))) in a.solutions.iter().zip(&slow.solutions).enumerate() {
            let proof = a.proof(n).unwrap();
            prop_assert!(solution.value <= best + 1e-9, "{:?}: {} > {}", solution.concept, solution.value, best);
            prop_assert!(*best <= solution.value + proof.gap + 1e-9, "{:?}: {} > {} + {}", solution.concept, best, solution.value, proof.gap);
            if proof.proven {
                prop_assert!((solution.value - best).abs() <= 1e-9);
            }
            // A point proven past the node limit (by the bounded merge that takes over where
            // the search stopped) is exact: every tied point, its count, its smallest package.
            if proof.proven && proof.all_ties {
                points_match(&a, n, winners, &slow, &counts)?;
            }
            prop_assert!(!solution.points.is_empty());
            for &i in &solution.points {
                let point = a.solution_point(i);
                let package = &point.packages[0];
                prop_assert!(reference::in_zone(&scenario, &eval, &active, package));
                let index = concord_core::engine::package_index(&counts, package);
                prop_assert!(slow.zone.contains(&index));
                let u = a.utilities(package);
                let v: Vec<f64> = a.consenting.iter().map(|&p| u[eval.slot(p).unwrap()]).collect();
                prop_assert_eq!(&v, &point.utilities);
            }
        }
    }
}

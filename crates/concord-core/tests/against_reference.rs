//! The fast analysis against the brute-force reference on random small scenarios: zone,
//! frontier, the four bargaining solutions, and the minimality of conflict explanations.

use concord_core::analysis::{
    analyze, AnalysisConfig, AnalysisError, Change, Constraint, MethodChoice,
};
use concord_core::model::*;
use concord_core::reference;
use proptest::prelude::*;

mod common;
use common::*;

/// Applies a relaxation to a copy of the scenario, for checking it with the reference.
fn relaxed(
    scenario: &Scenario,
    constraint: Constraint,
    change: &Change,
) -> (Scenario, Vec<Constraint>) {
    let mut s = scenario.clone();
    let mut active = reference::zone_constraints(scenario);
    match (constraint, change) {
        (Constraint::Reservation(p), Change::LowerReservation { to, .. }) => {
            s.preferences[p].as_mut().unwrap().reservation.value = *to;
        }
        (Constraint::RedLine(r), Change::AdmitOption { issue, option }) => {
            match &mut s.red_lines[r].rule {
                RedLineRule::Simple(x) => {
                    assert_eq!(x.issue, *issue);
                    x.allowed.0[*option] = true;
                }
                RedLineRule::Conditional { then, .. } => {
                    assert_eq!(then.issue, *issue);
                    then.allowed.0[*option] = true;
                }
            }
        }
        (Constraint::RedLine(r), Change::NarrowCondition { option, .. }) => {
            match &mut s.red_lines[r].rule {
                RedLineRule::Conditional { if_options, .. } => if_options.0[*option] = false,
                RedLineRule::Simple(_) => panic!("narrowed a simple red line"),
            }
        }
        (c, Change::DropRedLine) => active.retain(|&x| x != c),
        other => panic!("mismatched relaxation {other:?}"),
    }
    (s, active)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
    fn analysis_matches_brute_force(spec in spec(), merge in any::<bool>()) {
        let scenario = build(&spec);
        let config = AnalysisConfig {
            method: if merge { MethodChoice::Merge } else { MethodChoice::Enumeration },
            ..AnalysisConfig::default()
        };
        let result = analyze(&scenario, &config);
        let slow = reference::analyze(&scenario);
        let analysis = match result {
            Err(AnalysisError::SelfContradictoryRedLines { party }) => {
                let p = scenario.parties.iter().position(|x| x.id == party).unwrap();
                let own: Vec<Constraint> = (0..scenario.red_lines.len())
                    .filter(|&r| scenario.red_lines[r].party == p)
                    .map(Constraint::RedLine)
                    .collect();
                prop_assert!(!reference::feasible(&scenario, &own));
                return Ok(());
            }
            other => other.unwrap(),
        };
        prop_assert_eq!(analysis.zone_size, Some(slow.zone.len() as u64));
        prop_assert_eq!(analysis.zone_exists, !slow.zone.is_empty());
        let fast: Vec<(Vec<f64>, u128)> = analysis.frontier.iter().map(|p| (p.utilities.clone(), p.package_count)).collect();
        let expected: Vec<(Vec<f64>, u128)> = slow.frontier.iter().map(|(v, ps)| (v.clone(), ps.len() as u128)).collect();
        prop_assert_eq!(fast, expected);
        for (point, (_, packages)) in analysis.frontier.iter().zip(&slow.frontier) {
            // Enumeration lists up to 20 tied packages, the merge the first one.
            let counts = scenario.option_counts();
            let listed: Vec<Vec<usize>> = packages
                .iter()
                .take(if merge { 1 } else { 20 })
                .map(|&i| concord_core::engine::package_from_index(&counts, i))
                .collect();
            prop_assert_eq!(&point.packages, &listed);
        }
        prop_assert_eq!(analysis.solutions.len(), slow.solutions.len());
        for (solution, (best, winners)) in analysis.solutions.iter().zip(&slow.solutions) {
            prop_assert!((solution.value - best).abs() <= 1e-12, "{:?}: {} vs {}", solution.concept, solution.value, best);
            let picked: Vec<Vec<f64>> = solution.points.iter().map(|&i| analysis.frontier[i].utilities.clone()).collect();
            prop_assert_eq!(&picked, winners);
        }
        if let Some(no_zone) = &analysis.no_zone {
            // The conflict leaves nothing, and removing any one member opens a zone.
            prop_assert!(!reference::feasible(&scenario, &no_zone.conflict));
            for c in &no_zone.conflict {
                let rest: Vec<Constraint> = no_zone.conflict.iter().copied().filter(|x| x != c).collect();
                prop_assert!(reference::feasible(&scenario, &rest), "not minimal without {:?}", c);
            }
            // Every relaxation opens a zone of the size it claims.
            for r in &no_zone.relaxations {
                let (s, active) = relaxed(&scenario, r.constraint, &r.change);
                let eval = concord_core::engine::Evaluator::new(&s);
                let counts = s.option_counts();
                let size = counts.iter().product::<usize>() as u64;
                let n = (0..size)
                    .filter(|&i| reference::in_zone(&s, &eval, &active, &concord_core::engine::package_from_index(&counts, i)))
                    .count() as u64;
                prop_assert_eq!(Some(n), r.zone_size, "{:?}", r);
            }
                        prop_assert!(!analysis.zone_exists);
        } else {
            prop_assert!(analysis.zone_exists);
        }
    }

    #[test]
    fn deterministic_across_thread_counts(spec in spec()) {
        let scenario = build(&spec);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let a = one.install(|| analyze(&scenario, &AnalysisConfig::default()));
        let b = analyze(&scenario, &AnalysisConfig::default());
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.frontier, b.frontier);
                prop_assert_eq!(a.solutions, b.solutions);
                prop_assert_eq!(a.no_zone, b.no_zone);
                prop_assert_eq!(a.issues, b.issues);
            }
            (a, b) => prop_assert_eq!(a.err(), b.err()),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The merge solver against plain enumeration: the same frontier vectors (bit for bit, since
    /// both sum in issue order), the same tie counts and the smallest package of each point.
    #[test]
    fn merge_matches_brute_force(spec in spec()) {
        use concord_core::analysis::Constraint;
        use concord_core::engine::{Evaluator, Floor, Rules};
        use concord_core::merge::{merge_frontier, MergeConfig};
        let scenario = build(&spec);
        let eval = Evaluator::new(&scenario);
        let active = reference::zone_constraints(&scenario);
        let rules = Rules {
            red_lines: active.iter().filter_map(|c| match c {
                Constraint::RedLine(r) => Some(scenario.red_lines[*r].rule.clone()),
                _ => None,
            }).collect(),
            floors: active.iter().filter_map(|c| match c {
                Constraint::Reservation(p) => Some(Floor {
                    slot: eval.slot(*p).unwrap(),
                    min: scenario.preferences[*p].as_ref().unwrap().reservation.value,
                }),
                _ => None,
            }).collect(),
        };
        let slots: Vec<usize> = scenario.consenting().iter().map(|&p| eval.slot(p).unwrap()).collect();
                let (merged, history) = merge_frontier(&eval, &rules, &slots, &MergeConfig::default()).unwrap();
        let slow = reference::analyze(&scenario);
        let counts = scenario.option_counts();
        let got: Vec<(Vec<f64>, u128, u64)> = merged
            .iter()
            .map(|p| (p.utilities.clone(), p.package_count, concord_core::engine::package_index(&counts, &history.package(p.leaf))))
            .collect();
        let want: Vec<(Vec<f64>, u128, u64)> = slow
            .frontier
            .iter()
            .map(|(v, ps)| (v.clone(), ps.len() as u128, ps[0]))
            .collect();
        prop_assert_eq!(got, want);
    }
}

/// [`build`] on a finer grid than the small cases: values in 1/250 steps.
fn build_fine(spec: &Spec) -> Scenario {
    let mut scenario = build(spec);
    for (p, prefs) in scenario.preferences.iter_mut().enumerate() {
        for (i, ip) in prefs.as_mut().unwrap().issues.iter_mut().enumerate() {
            if let ValueFunction::Table(values) = &mut ip.values {
                for (o, v) in values.iter_mut().enumerate() {
                    v.value = f64::from(spec.values[p][i][o]) / 250.0;
                }
            }
        }
    }
    scenario
}

/// Larger random scenarios, up to 10^5 packages, 2 to 4 consenting parties, values on a fine grid
/// (so ties are rare but possible) and optional opposed preferences.
fn large_spec() -> impl Strategy<Value = Spec> {
    (prop::collection::vec(2usize..=6, 3..=8), 2usize..=4)
        .prop_filter("at most 10^5 packages", |(counts, _)| {
            counts.iter().product::<usize>() <= 100_000
        })
        .prop_flat_map(|(counts, parties)| {
            let n_issues = counts.len();
            let max_opts = *counts.iter().max().unwrap();
            (
                Just(counts),
                Just(vec![Role::Party; parties]),
                prop::collection::vec(prop::collection::vec(1u8..=9, n_issues), parties),
                prop::collection::vec(
                    prop::collection::vec(prop::collection::vec(any::<u8>(), max_opts), n_issues),
                    parties,
                ),
                prop::collection::vec(0u8..=12, parties),
                prop::collection::vec(
                    (
                        0..parties,
                        any::<bool>(),
                        0..n_issues,
                        prop::collection::vec(prop::bool::weighted(0.7), max_opts),
                        0..n_issues,
                        prop::collection::vec(prop::bool::weighted(0.7), max_opts),
                    ),
                    0..=4,
                ),
            )
                .prop_map(
                    |(counts, roles, weights, values, reservations, red_lines)| Spec {
                        counts,
                        roles,
                        weights,
                        values,
                        reservations,
                        red_lines,
                    },
                )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// The merge against enumeration (itself checked against brute force above) on spaces up to
    /// 10^5: frontier vectors within 1e-9 (in fact bit for bit), tie counts, the first package of
    /// each point, and every bargaining value.
    #[test]
    fn merge_matches_enumeration_up_to_1e5(spec in large_spec()) {
        let scenario = build_fine(&spec);
        let enumerated = analyze(&scenario, &AnalysisConfig { method: MethodChoice::Enumeration, issue_map: false, ..AnalysisConfig::default() });
        let merged = analyze(&scenario, &AnalysisConfig { method: MethodChoice::Merge, issue_map: false, ..AnalysisConfig::default() });
        match (enumerated, merged) {
            (Ok(e), Ok(m)) => {
                prop_assert_eq!(e.zone_exists, m.zone_exists);
                prop_assert_eq!(e.frontier.len(), m.frontier.len());
                for (a, b) in e.frontier.iter().zip(&m.frontier) {
                    for (x, y) in a.utilities.iter().zip(&b.utilities) {
                        prop_assert!((x - y).abs() <= 1e-9);
                    }
                    prop_assert_eq!(a.package_count, b.package_count);
                    // Past `MATERIALISED_POINTS` a merged point's `packages` is empty and the
                    // package is rebuilt from the merge's history.
                    prop_assert_eq!(&e.packages(a)[0], &m.packages(b)[0]);
                }
                prop_assert_eq!(e.solutions.len(), m.solutions.len());
                for (a, b) in e.solutions.iter().zip(&m.solutions) {
                    prop_assert!((a.value - b.value).abs() <= 1e-9);
                    prop_assert_eq!(&a.points, &b.points);
                }
                prop_assert_eq!(e.no_zone, m.no_zone);
            }
            (e, m) => prop_assert_eq!(e.err(), m.err()),
        }
    }
}

/// A four-party frontier past `MATERIALISED_POINTS` (the shrunk case of a proptest seed): its
/// points carry no `packages` of their own, and each one's package, rebuilt from the merge's
/// history, is the first package enumeration lists for the point.
#[test]
fn merged_packages_past_materialised_points_match_enumeration() {
    let spec = Spec {
        counts: vec![6, 2, 5, 6, 6, 5, 6],
        roles: vec![Role::Party, Role::Party, Role::Party, Role::Party],
        weights: vec![
            vec![1, 1, 1, 1, 3, 1, 1],
            vec![4, 2, 5, 1, 1, 4, 1],
            vec![1, 1, 4, 1, 3, 1, 1],
            vec![1, 1, 1, 1, 1, 1, 1],
        ],
        values: vec![
            vec![
                vec![0, 0, 0, 0, 0, 0],
                vec![0, 0, 0, 0, 0, 0],
                vec![0, 0, 0, 0, 0, 0],
                vec![0, 0, 0, 0, 0, 10],
                vec![42, 167, 59, 216, 174, 224],
                vec![38, 12, 41, 51, 46, 20],
                vec![63, 64, 200, 224, 236, 229],
            ],
            vec![
                vec![238, 173, 117, 64, 208, 59],
                vec![232, 166, 148, 35, 174, 242],
                vec![150, 53, 137, 7, 200, 25],
                vec![148, 28, 22, 170, 167, 138],
                vec![191, 180, 253, 137, 246, 43],
                vec![9, 55, 60, 199, 208, 88],
                vec![155, 5, 235, 137, 166, 236],
            ],
            vec![
                vec![39, 125, 100, 58, 32, 28],
                vec![164, 246, 7, 103, 249, 212],
                vec![115, 196, 83, 118, 146, 90],
                vec![93, 118, 224, 23, 60, 56],
                vec![94, 226, 255, 83, 154, 154],
                vec![200, 197, 21, 177, 128, 120],
                vec![169, 10, 202, 221, 201, 235],
            ],
            vec![
                vec![77, 54, 32, 75, 92, 216],
                vec![215, 162, 177, 119, 32, 89],
                vec![46, 113, 189, 192, 124, 224],
                vec![179, 75, 33, 144, 235, 229],
                vec![241, 226, 42, 108, 236, 227],
                vec![203, 184, 255, 14, 82, 222],
                vec![107, 168, 253, 250, 207, 32],
            ],
        ],
        reservations: vec![0, 3, 7, 6],
        red_lines: vec![
            (
                2,
                true,
                1,
                vec![true, true, false, true, true, true],
                3,
                vec![false, true, false, true, false, true],
            ),
            (
                1,
                true,
                6,
                vec![true, false, false, true, false, false],
                4,
                vec![false, true, true, true, true, true],
            ),
            (
                1,
                true,
                3,
                vec![true, true, true, false, true, true],
                3,
                vec![false, true, true, true, true, false],
            ),
            (
                1,
                true,
                0,
                vec![true, true, true, true, true, true],
                4,
                vec![true, true, true, true, true, false],
            ),
        ],
    };
    let scenario = build_fine(&spec);
    let run = |method| {
        analyze(
            &scenario,
            &AnalysisConfig {
                method,
                issue_map: false,
                ..AnalysisConfig::default()
            },
        )
        .unwrap()
    };
    let e = run(MethodChoice::Enumeration);
    let m = run(MethodChoice::Merge);
    assert!(m.frontier.len() > concord_core::analysis::MATERIALISED_POINTS);
    assert!(m.frontier.iter().any(|p| p.packages.is_empty()));
    assert_eq!(e.frontier.len(), m.frontier.len());
    for (a, b) in e.frontier.iter().zip(&m.frontier) {
        assert_eq!(a.package_count, b.package_count);
        let rebuilt = m.packages(b);
        assert!(!rebuilt.is_empty(), "a merged point lists no package");
        assert_eq!(e.packages(a)[0], rebuilt[0]);
    }
}

/// On frontiers too large to enumerate, every point's package, rebuilt from the merge's history
/// (and not kept in memory when the frontier passes 1,000 points), has exactly the point's
/// utilities; and no point dominates another.
#[test]
fn rebuilt_packages_reach_their_points_on_large_frontiers() {
    for (issues, options, parties) in [(40usize, 10usize, 2usize), (14, 5, 3)] {
        let spec = Spec {
            counts: vec![options; issues],
            roles: vec![Role::Party; parties],
            weights: (0..parties)
                .map(|p| {
                    (0..issues)
                        .map(|i| ((i * 7 + p * 3) % 9 + 1) as u8)
                        .collect()
                })
                .collect(),
            values: (0..parties)
                .map(|p| {
                    (0..issues)
                        .map(|i| {
                            (0..options)
                                .map(|o| {
                                    // Opposed: the second party's values run against the first's.
                                    let base = (o * 37 + i * 11) % 241;
                                    (match p {
                                        0 => base,
                                        1 => 240 - base + (o * 13 + i * 5) % 7,
                                        _ => (o * 53 + i * 29) % 241,
                                    }) as u8
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect(),
            reservations: vec![0; parties],
            red_lines: vec![],
        };
        let mut scenario = build(&spec);
        for (p, prefs) in scenario.preferences.iter_mut().enumerate() {
            for (i, ip) in prefs.as_mut().unwrap().issues.iter_mut().enumerate() {
                if let ValueFunction::Table(values) = &mut ip.values {
                    for (o, v) in values.iter_mut().enumerate() {
                        v.value = f64::from(spec.values[p][i][o]) / 250.0;
                    }
                }
            }
        }
        let a = analyze(
            &scenario,
            &AnalysisConfig {
                method: MethodChoice::Merge,
                issue_map: false,
                count_limit: 0,
                ..AnalysisConfig::default()
            },
        )
        .unwrap();
        assert!(
            a.frontier.len() > concord_core::analysis::MATERIALISED_POINTS,
            "{}",
            a.frontier.len()
        );
        assert!(a.history.is_some());
        let mut u = vec![0.0; a.evaluator.width()];
        for point in &a.frontier {
            let packages = a.packages(point);
            assert_eq!(packages.len(), 1);
            a.evaluator.utilities(&packages[0], &mut u);
            assert_eq!(u, point.utilities);
        }
        for w in a.frontier.windows(2) {
            assert!(!concord_core::pareto::dominates(
                &w[0].utilities,
                &w[1].utilities
            ));
        }
    }
}

/// The plain issue-by-issue merge the fast one implements: every candidate of every layer, equal
/// vectors grouped (counts added, the smallest package kept), then the dominated ones dropped by
/// comparing each with the kept ones, and the reservation values applied at the end. Returns
/// (utilities, count, smallest package) in descending lexicographic order.
fn plain_merge(
    eval: &concord_core::engine::Evaluator,
    slots: &[usize],
    floors: &[(usize, f64)],
) -> Vec<(Vec<f64>, u128, Vec<usize>)> {
    let counts = eval.counts().to_vec();
    let desc = |a: &Vec<f64>, b: &Vec<f64>| {
        a.iter()
            .zip(b)
            .map(|(x, y)| y.total_cmp(x))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    };
    let filter = |mut candidates: Vec<(Vec<f64>, u128, Vec<usize>)>| {
        candidates.sort_by(|a, b| desc(&a.0, &b.0).then_with(|| a.2.cmp(&b.2)));
        let mut grouped: Vec<(Vec<f64>, u128, Vec<usize>)> = Vec::new();
        for c in candidates {
            match grouped.last_mut() {
                Some(g) if g.0 == c.0 => g.1 = g.1.saturating_add(c.1),
                _ => grouped.push(c),
            }
        }
        let mut kept: Vec<(Vec<f64>, u128, Vec<usize>)> = Vec::new();
        for g in grouped {
            if !kept
                .iter()
                .any(|k| concord_core::pareto::dominates(&k.0, &g.0))
            {
                kept.push(g);
            }
        }
        kept
    };
    let mut layer = vec![(vec![0.0; slots.len()], 1u128, Vec::new())];
    for (i, &n) in counts.iter().enumerate() {
        let mut candidates = Vec::new();
        for (u, count, package) in &layer {
            for o in 0..n {
                let c = eval.contribution(i, o);
                let v: Vec<f64> = u.iter().zip(slots).map(|(x, &s)| x + c[s]).collect();
                let mut p = package.clone();
                p.push(o);
                candidates.push((v, *count, p));
            }
        }
        layer = filter(candidates);
    }
    layer
        .into_iter()
        .filter(|(u, _, _)| floors.iter().all(|&(j, min)| u[j] >= min))
        .collect()
}

/// Random (issues, options, parties, raw numbers, (coarse, opposed), reservations) cases larger
/// than enumeration reaches cheaply, on a fine or a coarse grid of values (coarse: many tied
/// packages), the parties' values independent or opposed (opposed: large frontiers).
fn merge_case() -> impl Strategy<Value = (usize, usize, usize, Vec<u8>, (bool, bool), Vec<u8>)> {
    prop_oneof![
        (12usize..=40, 3usize..=8, Just(2usize)),
        (6usize..=10, 2usize..=4, 3usize..=4),
    ]
    .prop_flat_map(|(issues, options, parties)| {
        (
            Just(issues),
            Just(options),
            Just(parties),
            prop::collection::vec(any::<u8>(), issues * options * parties + issues * parties),
            (any::<bool>(), any::<bool>()),
            prop::collection::vec(0u8..=8, parties),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The fast merge (its k-way merge with skipped stretches for two parties, its dominance
    /// filter for more) against the plain merge on frontiers of hundreds to thousands of points:
    /// the same vectors bit for bit, the same tie counts, the same smallest packages.
    #[test]
    fn merge_matches_plain_merge_on_larger_frontiers(
        (issues, options, parties, raw, (coarse, opposed), reservations) in merge_case()
    ) {
        use concord_core::engine::{Evaluator, Floor, Rules};
        use concord_core::merge::{merge_frontier, MergeConfig};
        let spec = Spec {
            counts: vec![options; issues],
            roles: vec![Role::Party; parties],
            weights: (0..parties)
                .map(|p| (0..issues).map(|i| raw[p * issues + i] % 9 + 1).collect())
                .collect(),
            values: (0..parties)
                .map(|p| {
                    (0..issues)
                        .map(|i| {
                            (0..options)
                                .map(|o| {
                                    let own = raw[issues * parties + (p * issues + i) * options + o];
                                    if opposed && p > 0 {
                                        // Against the first party's value, with a little noise.
                                        let first = raw[issues * parties + i * options + o];
                                        if coarse {
                                            4 - first % 5
                                        } else {
                                            (250 - u16::from(first % 240) - u16::from(own % 10)) as u8
                                        }
                                    } else {
                                        own
                                    }
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect(),
            reservations: reservations.clone(),
            red_lines: vec![],
        };
        // Dyadic weights and values (sixteenths; quarters or 256ths), so that every partial sum
        // is exact: no two packages' sums can meet through rounding, and dropping a dominated
        // partial sum provably drops no tie.
        let mut scenario = build(&spec);
        for (p, prefs) in scenario.preferences.iter_mut().enumerate() {
            for (i, ip) in prefs.as_mut().unwrap().issues.iter_mut().enumerate() {
                ip.weight.value = f64::from(spec.weights[p][i]) / 16.0;
                if let ValueFunction::Table(values) = &mut ip.values {
                    for (o, v) in values.iter_mut().enumerate() {
                        let x = spec.values[p][i][o];
                        v.value = if coarse { f64::from(x % 5) / 4.0 } else { f64::from(x) / 256.0 };
                    }
                }
            }
        }
        let eval = Evaluator::new(&scenario);
        let slots: Vec<usize> = (0..parties).map(|p| eval.slot(p).unwrap()).collect();
        let floors: Vec<(usize, f64)> = (0..parties)
            .map(|p| (p, f64::from(reservations[p]) / 20.0))
            .collect();
        let rules = Rules {
            red_lines: vec![],
            floors: floors.iter().map(|&(p, min)| Floor { slot: slots[p], min }).collect(),
        };
        let (merged, history) =
            merge_frontier(&eval, &rules, &slots, &MergeConfig::default()).unwrap();
        let got: Vec<(Vec<f64>, u128, Vec<usize>)> = merged
            .iter()
            .map(|p| (p.utilities.clone(), p.package_count, history.package(p.leaf)))
            .collect();
        let want = plain_merge(&eval, &slots, &floors);
        prop_assert_eq!(got, want);
    }
}

/// A frontier point: utilities, tie count, smallest package.
type FrontierRow = (Vec<f64>, u128, Vec<usize>);

/// Every package of an additive scenario by brute force, utilities summed in issue order from
/// 0.0: (utilities, count, smallest package) for each frontier point of the packages that meet
/// the floors, in descending lexicographic order.
fn brute_frontier(
    eval: &concord_core::engine::Evaluator,
    slots: &[usize],
    floors: &[(usize, f64)],
) -> Vec<(Vec<f64>, u128, Vec<usize>)> {
    let counts = eval.counts().to_vec();
    let mut points: std::collections::BTreeMap<Vec<u64>, (Vec<f64>, u128, Vec<usize>)> =
        std::collections::BTreeMap::new();
    let mut package = vec![0usize; counts.len()];
    'all: loop {
        let mut u = vec![0.0f64; slots.len()];
        for (i, &o) in package.iter().enumerate() {
            let c = eval.contribution(i, o);
            for (j, &s) in slots.iter().enumerate() {
                u[j] += c[s];
            }
        }
        if floors.iter().all(|&(j, min)| u[j] >= min) {
            // Packages come in lexicographic order, so the first one seen is the smallest.
            let e = points
                .entry(u.iter().map(|x| x.to_bits()).collect())
                .or_insert_with(|| (u.clone(), 0, package.clone()));
            e.1 += 1;
        }
        for i in (0..counts.len()).rev() {
            package[i] += 1;
            if package[i] < counts[i] {
                continue 'all;
            }
            package[i] = 0;
        }
        break;
    }
    let all: Vec<_> = points.into_values().collect();
    let mut front: Vec<(Vec<f64>, u128, Vec<usize>)> = all
        .iter()
        .filter(|p| {
            !all.iter()
                .any(|q| concord_core::pareto::dominates(&q.0, &p.0))
        })
        .cloned()
        .collect();
    front.sort_by(|a, b| {
        a.0.iter()
            .zip(&b.0)
            .map(|(x, y)| y.total_cmp(x))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    front
}

/// Decimal weights and values (not dyadic): sums round, and a package's partial sum can fall
/// below another's by a rounding margin only to meet it again after later issues.
const DECIMAL_WEIGHTS: [f64; 6] = [0.1, 0.2, 0.3, 0.35, 0.7, 0.15];
const DECIMAL_VALUES: [f64; 6] = [0.0, 0.1, 0.3, 0.7, 1.0, 0.35];

/// The merge of a scenario with decimal numbers: issues copied from a few kinds (so that
/// permuted packages have the same utilities in exact arithmetic, and the floats differ only by
/// rounding), against brute force.
fn decimal_merge_case(
    issues: usize,
    options: usize,
    parties: usize,
    kinds: usize,
    raw: &[u8],
    reservations: &[u8],
) -> (Vec<FrontierRow>, Vec<FrontierRow>) {
    use concord_core::engine::{Evaluator, Floor, Rules};
    use concord_core::merge::{merge_frontier, MergeConfig};
    let spec = Spec {
        counts: vec![options; issues],
        roles: vec![Role::Party; parties],
        weights: vec![vec![1; issues]; parties],
        values: vec![vec![vec![0; options]; issues]; parties],
        reservations: reservations.to_vec(),
        red_lines: vec![],
    };
    let mut scenario = build(&spec);
    let byte = |n: usize| usize::from(raw[n % raw.len()]);
    for (p, prefs) in scenario.preferences.iter_mut().enumerate() {
        for (i, ip) in prefs.as_mut().unwrap().issues.iter_mut().enumerate() {
            let kind = i % kinds;
            ip.weight.value = DECIMAL_WEIGHTS[byte(p * 7 + kind) % 6];
            if let ValueFunction::Table(values) = &mut ip.values {
                for (o, v) in values.iter_mut().enumerate() {
                    v.value = DECIMAL_VALUES[byte(100 + (p * kinds + kind) * options + o) % 6];
                }
            }
        }
    }
    let eval = Evaluator::new(&scenario);
    let slots: Vec<usize> = (0..parties).map(|p| eval.slot(p).unwrap()).collect();
    let floors: Vec<(usize, f64)> = (0..parties)
        .map(|p| (p, f64::from(reservations[p]) / 10.0))
        .collect();
    let rules = Rules {
        red_lines: vec![],
        floors: floors
            .iter()
            .map(|&(p, min)| Floor {
                slot: slots[p],
                min,
            })
            .collect(),
    };
    let (merged, history) = merge_frontier(&eval, &rules, &slots, &MergeConfig::default()).unwrap();
    let got = merged
        .iter()
        .map(|p| {
            (
                p.utilities.clone(),
                p.package_count,
                history.package(p.leaf),
            )
        })
        .collect();
    (got, brute_frontier(&eval, &slots, &floors))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Tie counts and smallest packages stay exact when partial sums differ only by rounding:
    /// a partial sum dominated by a rounding margin can meet the dominating one again, and its
    /// packages then tie with a frontier point.
    #[test]
    fn merge_counts_ties_exactly_with_decimal_numbers(
        (issues, options, parties) in prop_oneof![
            (8usize..=12, 2usize..=3, Just(2usize)),
            (6usize..=8, 2usize..=3, 3usize..=4),
        ],
        kinds in 1usize..=3,
        raw in prop::collection::vec(any::<u8>(), 200),
        reservations in prop::collection::vec(0u8..=3, 4),
    ) {
        let (got, want) =
            decimal_merge_case(issues, options, parties, kinds, &raw, &reservations[..parties]);
        prop_assert_eq!(got, want);
    }
}

/// Bytes of a fixed pseudo-random stream (a 64-bit LCG), for pinned cases.
fn lcg_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

/// Regression: the merge used to drop a partial sum as soon as another dominated it, even by a
/// rounding margin, so packages that met the dominating one's completions again were neither
/// counted nor considered for the smallest package. These cases showed it (2 parties: 51
/// packages counted of 74, and not the smallest; 3 parties: 1 of 5; 4 parties: 1 of 2).
#[test]
fn merge_counts_ties_reached_through_rounding() {
    for (issues, options, parties, kinds, seed) in [
        (12, 3, 2, 1, 9),
        (8, 3, 3, 2, 1),
        (7, 3, 4, 2, 1),
        (12, 3, 2, 2, 1),
    ] {
        let raw = lcg_bytes(seed, 200);
        let reservations: Vec<u8> = raw[..parties].iter().map(|r| r % 4).collect();
        let (got, want) = decimal_merge_case(issues, options, parties, kinds, &raw, &reservations);
        assert_eq!(
            got, want,
            "{issues}x{options}, {parties} parties, seed {seed}"
        );
    }
}

/// `spec`'s scenario with utilities in the hundreds of millions, no reservation values but
/// party 0's, which is its best utility as the reference sums it; with the reference's analysis.
/// `None` when the red lines leave nothing.
fn at_best_reservation(mut spec: Spec) -> Option<(Scenario, reference::Reference)> {
    for r in spec.reservations.iter_mut() {
        *r = 0;
    }
    let mut scenario = build(&spec);
    for prefs in scenario.preferences.iter_mut().flatten() {
        for ip in prefs.issues.iter_mut() {
            ip.weight.value *= 1e8 / 3.0;
        }
    }
    let open = reference::analyze(&scenario);
    let best = open.frontier.iter().map(|(v, _)| v[0]).reduce(f64::max)?;
    scenario.preferences[0]
        .as_mut()
        .expect("party 0 scores")
        .reservation = Assumed::exact(best);
    let slow = reference::analyze(&scenario);
    Some((scenario, slow))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Regression: the enumeration engine cut a branch when its bound fell more than a fixed
    /// 1e-9 below a reservation value, but with utilities in the hundreds of millions the bound
    /// (summed in another order) can round further below the completion it bounds than that, and
    /// a package meeting its reservation exactly was lost. Party 0's reservation here is its
    /// best utility, as the reference sums it, so the zone is exactly its best packages.
    #[test]
    fn large_utilities_keep_packages_at_their_reservation_value(spec in spec(), merge in any::<bool>()) {
        let Some((scenario, slow)) = at_best_reservation(spec) else {
            return Ok(()); // red lines leave nothing
        };
        prop_assert!(!slow.zone.is_empty());
        let config = AnalysisConfig {
            method: if merge { MethodChoice::Merge } else { MethodChoice::Enumeration },
            issue_map: false,
            ..AnalysisConfig::default()
        };
        let analysis = match analyze(&scenario, &config) {
            // Checked by `analysis_matches_brute_force`; not this test's concern.
            Err(AnalysisError::SelfContradictoryRedLines { .. }) => return Ok(()),
            other => other.expect("analysis runs"),
        };
        prop_assert_eq!(analysis.zone_size, Some(slow.zone.len() as u64));
        let fast: Vec<(Vec<f64>, u128)> = analysis.frontier.iter().map(|p| (p.utilities.clone(), p.package_count)).collect();
        let expected: Vec<(Vec<f64>, u128)> = slow.frontier.iter().map(|(v, ps)| (v.clone(), ps.len() as u128)).collect();
        prop_assert_eq!(fast, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The same for branch and bound: a package at exactly its party's reservation value is in
    /// the zone, and the utilitarian value is the reference's.
    #[test]
    fn branch_and_bound_keeps_packages_at_their_reservation_value(spec in spec()) {
        let Some((scenario, slow)) = at_best_reservation(spec) else {
            return Ok(()); // red lines leave nothing
        };
        let config = AnalysisConfig {
            method: MethodChoice::BranchAndBound,
            issue_map: false,
            ..AnalysisConfig::default()
        };
        let analysis = match analyze(&scenario, &config) {
            Err(AnalysisError::SelfContradictoryRedLines { .. }) => return Ok(()),
            other => other.expect("analysis runs"),
        };
        prop_assert!(analysis.zone_exists);
        prop_assert_eq!(analysis.solutions.len(), slow.solutions.len());
        for (solution, (value, _)) in analysis.solutions.iter().zip(&slow.solutions) {
            prop_assert!((solution.value - value).abs() <= 1e-9 * value.abs().max(1.0), "{:?}: {} vs {}", solution.concept, solution.value, value);
        }
    }
}

/// The zone size under `active` with reservation values replaced, by brute force, and the
/// smallest largest drop below the original reservations of `lowered` over the packages that meet
/// the other constraints.
fn lowered_zone(
    scenario: &Scenario,
    kept: &[Constraint],
    lower_to: &[(PartyIx, f64)],
) -> (u64, f64) {
    let mut s = scenario.clone();
    for &(p, to) in lower_to {
        s.preferences[p].as_mut().unwrap().reservation.value = to;
    }
    let mut active = kept.to_vec();
    active.extend(lower_to.iter().map(|&(p, _)| Constraint::Reservation(p)));
    let eval = concord_core::engine::Evaluator::new(scenario);
    let counts = scenario.option_counts();
    let size = counts.iter().product::<usize>() as u64;
    let mut n = 0;
    let mut best_drop = f64::INFINITY;
    let mut u = vec![0.0; eval.width()];
    for i in 0..size {
        let package = concord_core::engine::package_from_index(&counts, i);
        if reference::in_zone(&s, &eval, &active, &package) {
            n += 1;
        }
        if reference::in_zone(scenario, &eval, kept, &package) {
            eval.utilities(&package, &mut u);
            let drop = lower_to
                .iter()
                .map(|&(p, _)| {
                    scenario.preferences[p].as_ref().unwrap().reservation.value
                        - u[eval.slot(p).unwrap()]
                })
                .fold(f64::NEG_INFINITY, f64::max);
            best_drop = best_drop.min(drop);
        }
    }
    (n, best_drop)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Issue 11: every listed conflict is minimal, the list is complete when it says so, and every
    /// correction set (overall and per party) opens a zone and is of minimum size.
    #[test]
    fn empty_zones_are_explained_completely(spec in spec(), method in 0u8..3) {
        let scenario = build(&spec);
        let config = AnalysisConfig {
            method: match method {
                0 => MethodChoice::Enumeration,
                1 => MethodChoice::Merge,
                _ => MethodChoice::BranchAndBound,
            },
            max_nodes: 0,
            ..AnalysisConfig::default()
        };
        let Ok(analysis) = analyze(&scenario, &config) else { return Ok(()); };
        let Some(nz) = &analysis.no_zone else {
            prop_assert!(reference::explain(&scenario).is_none());
            return Ok(());
        };
        let truth = reference::explain(&scenario).expect("the zone is empty");
        prop_assert_eq!(&nz.conflicts[0], &nz.conflict);
        for c in &nz.conflicts {
            prop_assert!(truth.conflicts.contains(c), "not a minimal conflict: {:?}", c);
        }
        let mut listed = nz.conflicts.clone();
        listed.sort();
        listed.dedup();
        prop_assert_eq!(listed.len(), nz.conflicts.len(), "a conflict listed twice");
        prop_assert!(nz.conflicts_complete, "small systems are listed completely");
        prop_assert_eq!(&listed, &truth.conflicts);

        let all = reference::zone_constraints(&scenario);
        let check = |corrections: &[concord_core::analysis::Correction]| -> Result<(), TestCaseError> {
            for c in corrections {
                let kept: Vec<Constraint> = all.iter().copied().filter(|x| !c.constraints.contains(x)).collect();
                let reservations: Vec<PartyIx> = c.constraints.iter().filter_map(|x| match x {
                    Constraint::Reservation(p) => Some(*p),
                    Constraint::RedLine(_) => None,
                }).collect();
                if c.lower_to.is_empty() {
                    prop_assert!(reservations.is_empty(), "{:?} lowers no reservation", c);
                    prop_assert!(reference::feasible(&scenario, &kept));
                    prop_assert_eq!(c.zone_size, Some(lowered_zone(&scenario, &kept, &[]).0));
                    continue;
                }
                prop_assert_eq!(c.lower_to.iter().map(|&(p, _)| p).collect::<Vec<_>>(), reservations);
                let (n, best_drop) = lowered_zone(&scenario, &kept, &c.lower_to);
                prop_assert!(n > 0, "{:?} opens nothing", c);
                prop_assert_eq!(c.zone_size, Some(n));
                let drop = c.lower_to.iter().map(|&(p, to)| {
                    let r = scenario.preferences[p].as_ref().unwrap().reservation.value;
                    prop_assert!(to < r);
                    Ok(r - to)
                }).collect::<Result<Vec<f64>, TestCaseError>>()?.into_iter().fold(f64::NEG_INFINITY, f64::max);
                prop_assert_eq!(drop, best_drop, "not the smallest largest drop");
            }
            Ok(())
        };
        prop_assert!(nz.corrections_complete);
        let sets: Vec<Vec<Constraint>> = nz.corrections.iter().map(|c| c.constraints.clone()).collect();
        prop_assert_eq!(&sets, &truth.corrections);
        check(&nz.corrections)?;
        prop_assert_eq!(nz.by_party.len(), truth.by_party.len());
        for (mine, (p, expected)) in nz.by_party.iter().zip(&truth.by_party) {
            prop_assert_eq!(mine.party, *p);
            prop_assert!(mine.complete);
            let sets: Vec<Vec<Constraint>> = mine.corrections.iter().map(|c| c.constraints.clone()).collect();
            prop_assert_eq!(&sets, expected);
            check(&mine.corrections)?;
            match mine.remaining_conflict {
                Some(i) => {
                    prop_assert!(expected.is_empty());
                    let owner = |x: &Constraint| match *x {
                        Constraint::RedLine(r) => scenario.red_lines[r].party,
                        Constraint::Reservation(q) => q,
                    };
                    prop_assert!(nz.conflicts[i].iter().all(|x| owner(x) != *p));
                }
                None => prop_assert!(!expected.is_empty()),
            }
        }
    }
}

/// Short decimals that binary floating point does not hold exactly.
const SHORT_WEIGHTS: [f64; 8] = [0.1, 0.2, 0.3, 0.35, 0.7, 0.15, 0.25, 0.05];
const SHORT_VALUES: [f64; 8] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.7, 1.0, 0.35];
const SHORT_RESERVATIONS: [f64; 8] = [0.0, 0.1, 0.3, 0.4, 0.45, 0.6, 0.35, 0.2];

/// `spec`'s scenario with every weight, value and reservation a short decimal from the lists
/// above, picked by the spec's own numbers.
fn short_decimal_scenario(spec: &Spec) -> Scenario {
    let mut scenario = build(spec);
    for (p, prefs) in scenario.preferences.iter_mut().enumerate() {
        let prefs = prefs.as_mut().unwrap();
        prefs.reservation.value = SHORT_RESERVATIONS[usize::from(spec.reservations[p]) % 8];
        for (i, ip) in prefs.issues.iter_mut().enumerate() {
            ip.weight.value = SHORT_WEIGHTS[usize::from(spec.weights[p][i]) % 8];
            if let ValueFunction::Table(values) = &mut ip.values {
                for (o, v) in values.iter_mut().enumerate() {
                    v.value = SHORT_VALUES[usize::from(spec.values[p][i][o]) % 8];
                }
            }
        }
    }
    scenario
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Issue 11: with short decimals, every method decides as exact rational arithmetic does:
    /// the zone, the frontier (vectors, tie counts, first package), the ideal point and the four
    /// solutions with their tied points.
    #[test]
    fn short_decimals_are_decided_exactly(spec in spec(), method in 0u8..3) {
        let scenario = short_decimal_scenario(&spec);
        let config = AnalysisConfig {
            method: match method {
                0 => MethodChoice::Enumeration,
                1 => MethodChoice::Merge,
                _ => MethodChoice::BranchAndBound,
            },
            max_nodes: 0,
            exact_decimals: true,
            ..AnalysisConfig::default()
        };
        let analysis = match analyze(&scenario, &config) {
            Err(AnalysisError::SelfContradictoryRedLines { .. }) => return Ok(()),
            other => other.unwrap(),
        };
        let truth = reference::analyze_exact(&scenario).expect("short decimals");
        prop_assert_eq!(analysis.zone_size, Some(truth.zone.len() as u64));
        prop_assert_eq!(analysis.zone_exists, !truth.zone.is_empty());
        let counts = scenario.option_counts();
        if method < 2 {
            let fast: Vec<(Vec<f64>, u128, Vec<usize>)> = analysis.frontier.iter().map(|p| (p.utilities.clone(), p.package_count, p.packages[0].clone())).collect();
            let expected: Vec<(Vec<f64>, u128, Vec<usize>)> = truth.frontier.iter().map(|(v, ps)| (v.clone(), ps.len() as u128, concord_core::engine::package_from_index(&counts, ps[0]))).collect();
            prop_assert_eq!(fast, expected);
        }
        if analysis.zone_exists {
            let ideal: Vec<f64> = (0..analysis.consenting.len())
                .map(|j| truth.frontier.iter().map(|(v, _)| v[j]).fold(f64::NEG_INFINITY, f64::max))
                .collect();
            prop_assert_eq!(&analysis.ideal, &ideal);
        }
        prop_assert_eq!(analysis.solutions.len(), truth.solutions.len());
        for (solution, (best, winners)) in analysis.solutions.iter().zip(&truth.solutions) {
            prop_assert!((solution.value - best).abs() <= 1e-12, "{:?}: {} vs {}", solution.concept, solution.value, best);
            let picked: Vec<Vec<f64>> = solution.points.iter().map(|&i| analysis.solution_point(i).utilities.clone()).collect();
            prop_assert_eq!(&picked, winners, "{:?}", solution.concept);
        }
        // A package's utilities as listed are the exact ones, correctly rounded.
        for p in analysis.frontier.iter().take(3) {
            let u = analysis.utilities(&p.packages[0]);
            let slots: Vec<f64> = analysis.consenting.iter().map(|&q| u[analysis.evaluator.slot(q).unwrap()]).collect();
            prop_assert_eq!(&slots, &p.utilities);
        }
    }
}

/// Issue 11: weights 0.25 and values 1.0, 0.4, 0 and 0.2 are worth exactly 0.4, a reservation of
/// 0.4; floating point sums them to 0.39999999999999997 and left the package out of the zone.
#[test]
fn a_package_worth_exactly_its_reservation_is_in_the_zone() {
    let spec = Spec {
        counts: vec![2; 4],
        roles: vec![Role::Party; 2],
        weights: vec![vec![1; 4]; 2],
        values: vec![vec![vec![0; 2]; 4]; 2],
        reservations: vec![0, 0],
        red_lines: vec![],
    };
    let mut scenario = build(&spec);
    let gamma = scenario.preferences[1].as_mut().unwrap();
    gamma.reservation.value = 0.4;
    for (ip, v) in gamma.issues.iter_mut().zip([1.0, 0.4, 0.0, 0.2]) {
        ip.weight.value = 0.25;
        ip.values = ValueFunction::Table(vec![Assumed::exact(v), Assumed::exact(0.0)]);
    }
    let float = analyze(&scenario, &AnalysisConfig::default()).unwrap();
    assert!(!float.zone_exists, "floats sum to 0.39999999999999997");
    for method in [
        MethodChoice::Enumeration,
        MethodChoice::Merge,
        MethodChoice::BranchAndBound,
    ] {
        let config = AnalysisConfig {
            method,
            exact_decimals: true,
            ..AnalysisConfig::default()
        };
        let exact = analyze(&scenario, &config).unwrap();
        // Issues 0, 1 and 3 at their first option; issue 2 free (Gamma values both at 0).
        assert_eq!(exact.zone_size, Some(2), "{method:?}");
        assert_eq!(exact.reservations, vec![0.0, 0.4]);
        let best = exact.solution_point(exact.solutions[3].points[0]);
        assert_eq!(best.utilities[1], 0.4, "{method:?}");
    }
}

/// Issue 11: ties are decided exactly. Utilities (0.5, 0.5) and (0.500000001, 0.499999999) have
/// Nash products 0.25 and 0.25 − 10^-18: within the float tolerance of 10^-9, but not equal.
#[test]
fn nash_products_a_hair_apart_are_not_a_tie() {
    let spec = Spec {
        counts: vec![2],
        roles: vec![Role::Party; 2],
        weights: vec![vec![1]; 2],
        values: vec![vec![vec![0; 2]]; 2],
        reservations: vec![0, 0],
        red_lines: vec![],
    };
    let mut scenario = build(&spec);
    for (p, values) in [[0.5, 0.500000001], [0.5, 0.499999999]]
        .into_iter()
        .enumerate()
    {
        let prefs = scenario.preferences[p].as_mut().unwrap();
        prefs.issues[0].weight.value = 1.0;
        prefs.issues[0].values = ValueFunction::Table(values.map(Assumed::exact).to_vec());
    }
    let float = analyze(&scenario, &AnalysisConfig::default()).unwrap();
    assert_eq!(float.solutions[0].points.len(), 2, "floats call it a tie");
    for method in [
        MethodChoice::Enumeration,
        MethodChoice::Merge,
        MethodChoice::BranchAndBound,
    ] {
        let config = AnalysisConfig {
            method,
            exact_decimals: true,
            ..AnalysisConfig::default()
        };
        let exact = analyze(&scenario, &config).unwrap();
        let nash = &exact.solutions[0];
        assert_eq!(nash.points.len(), 1, "{method:?}");
        assert_eq!(
            exact.solution_point(nash.points[0]).utilities,
            vec![0.5, 0.5]
        );
        // The utilitarian sums are both exactly 1: a true tie.
        assert_eq!(exact.solutions[3].points.len(), 2, "{method:?}");
    }
}

/// Issue 11: `count_limit: 0` turns counting off for enumeration too (it used to report the
/// zone's size, the issue map's blocking and the relaxations' zone sizes anyway).
#[test]
fn count_limit_zero_counts_nothing_with_enumeration() {
    let spec = Spec {
        counts: vec![3, 2],
        roles: vec![Role::Party; 2],
        weights: vec![vec![1, 1]; 2],
        values: vec![
            vec![vec![0, 2, 4], vec![4, 0, 0]],
            vec![vec![4, 2, 0], vec![0, 4, 0]],
        ],
        reservations: vec![10, 10],
        red_lines: vec![],
    };
    let scenario = build(&spec);
    let config = |count_limit| AnalysisConfig {
        method: MethodChoice::Enumeration,
        count_limit,
        ..AnalysisConfig::default()
    };
    let counted = analyze(&scenario, &config(100)).unwrap();
    assert!(counted.zone_size.is_some());
    assert!(counted.issues.iter().all(|r| r.blocking.is_some()));
    let off = analyze(&scenario, &config(0)).unwrap();
    assert_eq!(off.zone_size, None);
    assert!(off
        .issues
        .iter()
        .all(|r| r.blocking.is_none() && r.freed_share.is_none()));
    assert_eq!(off.frontier, counted.frontier);
    assert_eq!(off.solutions, counted.solutions);
}

/// Issue 11: the sensitivity's central choice is the package the bargaining table shows, and its
/// frequencies do not depend on the method or on how many tied packages are listed. Issue 1 is
/// worth nothing to anyone, so every frontier point has two packages; enumeration listed both and
/// counted both in the frequencies.
#[test]
fn sensitivity_choices_do_not_depend_on_the_method_or_the_listing() {
    use concord_core::sensitivity::{sensitivity, SensitivityConfig};
    let spec = Spec {
        counts: vec![3, 2, 2],
        roles: vec![Role::Party; 2],
        weights: vec![vec![5, 1, 4], vec![5, 1, 4]],
        values: vec![
            vec![vec![0, 2, 4], vec![0, 0], vec![4, 0]],
            vec![vec![4, 2, 0], vec![0, 0], vec![0, 4]],
        ],
        reservations: vec![0, 0],
        red_lines: vec![],
    };
    let mut scenario = build(&spec);
    // A ranged reservation, so that draws differ.
    scenario.preferences[0].as_mut().unwrap().reservation = Assumed {
        value: 0.0,
        range: Some((0.0, 0.5)),
    };
    let run = |method, package_limit| {
        let analysis = AnalysisConfig {
            method,
            package_limit,
            ..AnalysisConfig::default()
        };
        let table = analyze(&scenario, &analysis).unwrap();
        let s = sensitivity(
            &scenario,
            &SensitivityConfig {
                samples: 40,
                seed: 3,
                analysis,
            },
        )
        .unwrap();
        for (c, sol) in s.concepts.iter().zip(&table.solutions) {
            assert_eq!(
                c.baseline[0],
                table.solution_point(sol.points[0]).packages[0],
                "{:?}",
                c.concept
            );
        }
        s
    };
    let listed = run(MethodChoice::Enumeration, 20);
    assert_eq!(listed, run(MethodChoice::Enumeration, 1));
    assert_eq!(listed, run(MethodChoice::Merge, 1));
    assert_eq!(listed, run(MethodChoice::BranchAndBound, 1));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// NegMAS's `ks_points` and `kalai_points` on the exact frontier (enumerated or merged) pick
    /// what the brute-force restatement of NegMAS's loops picks over every package.
    #[test]
    fn negmas_points_match_brute_force(spec in spec(), merge in any::<bool>()) {
        let scenario = build(&spec);
        let config = AnalysisConfig {
            method: if merge { MethodChoice::Merge } else { MethodChoice::Enumeration },
            negmas_points: true,
            issue_map: false,
            explain: false,
            ..AnalysisConfig::default()
        };
        let analysis = match analyze(&scenario, &config) {
            Err(AnalysisError::SelfContradictoryRedLines { .. }) => return Ok(()),
            other => other.unwrap(),
        };
        let slow = reference::analyze(&scenario);
        let expected = reference::negmas_points(&scenario, &slow);
        let negmas = analysis.negmas.as_ref().unwrap();
        prop_assert_eq!(negmas.len(), expected.len());
        for (solution, winners) in negmas.iter().zip(&expected) {
            let picked: Vec<Vec<f64>> = solution.points.iter().map(|&i| analysis.frontier[i].utilities.clone()).collect();
            prop_assert_eq!(&picked, winners, "{:?}", solution.concept);
            prop_assert!(!picked.is_empty());
        }
    }
}

/// A drawn scenario (on the exact integer scale when `scaled`), its evaluator, and the rules of
/// its consenting parties: their red lines, and the reservation floors of the first `floors`.
fn halves_case(
    spec: &Spec,
    floors: usize,
    scaled: bool,
) -> (concord_core::engine::Evaluator, concord_core::engine::Rules) {
    use concord_core::engine::{Evaluator, Floor, Rules};
    let scenario = build(spec);
    let scenario = if scaled {
        concord_core::exact::scale(&scenario).map_or(scenario, |(s, _)| s)
    } else {
        scenario
    };
    let eval = Evaluator::new(&scenario);
    let rules = Rules {
        red_lines: scenario
            .red_lines
            .iter()
            .filter(|r| scenario.parties[r.party].consent)
            .map(|r| r.rule.clone())
            .collect(),
        floors: scenario
            .consenting()
            .iter()
            .take(floors)
            .map(|&p| Floor {
                slot: eval.slot(p).unwrap(),
                min: scenario.preferences[p].as_ref().unwrap().reservation.value,
            })
            .collect(),
    };
    (eval, rules)
}

/// The issue map's counts made with the zone's, with halves of at most `limits`: the zone's is
/// `zone` when meet in the middle applies, and each issue freed (its best value for everyone,
/// as one option, and its red lines gone) is counted as enumeration counts it.
fn check_issue_counts(
    eval: &concord_core::engine::Evaluator,
    rules: &concord_core::engine::Rules,
    zone: Option<u64>,
    limits: concord_core::halves::Limits,
) -> Result<(), TestCaseError> {
    use concord_core::engine::{count_by_enumeration, Rules};
    let (made, freed) =
        concord_core::halves::zone_and_issue_counts_within(eval, rules, None, limits);
    prop_assert_eq!(made, zone);
    prop_assert_eq!(freed.len(), eval.counts().len());
    for (i, n) in freed.iter().enumerate() {
        let Some(n) = n else { continue };
        let kept = Rules {
            red_lines: rules
                .red_lines
                .iter()
                .filter(|r| !r.issues().contains(&i))
                .cloned()
                .collect(),
            floors: rules.floors.clone(),
        };
        let slow = count_by_enumeration(&eval.with_issue_freed(i), &kept, None).unwrap();
        prop_assert_eq!(*n, slow, "issue {} freed", i);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Meet in the middle on halves of up to 216 packages, several words of bits and several
    /// stored suffixes each, for three to five parties: the counts are the enumeration's.
    #[test]
    fn halves_count_matches_enumeration_on_wider_spaces(spec in common::spec_sized(3..=6, 4..=6, 3..=5), scaled in any::<bool>()) {
        let (eval, rules) = halves_case(&spec, usize::MAX, scaled);
        let slow = concord_core::engine::count_by_enumeration(&eval, &rules, None).unwrap();
        let fast = concord_core::halves::count(&eval, &rules, None);
        if let Some(fast) = fast {
            prop_assert_eq!(fast, slow);
        }
        check_issue_counts(&eval, &rules, fast, Default::default())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Halves capped far below the real limits, so that three floors or more take the uneven
    /// split (a second half as large as the bitset cap allows, the rest in the first) on spaces
    /// small enough to enumerate: the zone's count and each issue's are the enumeration's, or
    /// meet in the middle declines.
    #[test]
    fn halves_count_matches_enumeration_on_uneven_splits(
        spec in common::spec_sized(2..=4, 3..=6, 3..=5),
        scaled in any::<bool>(),
        bitset_half in 2u64..=9,
        threads in any::<bool>(),
    ) {
        use concord_core::halves::{count_within, Limits, PARALLEL_HALVES};
        let (eval, rules) = halves_case(&spec, usize::MAX, scaled);
        // On several threads (as large halves are counted) or on one.
        let parallel_halves = if threads { 0 } else { PARALLEL_HALVES };
        let limits = Limits { half: 64, bitset_half, parallel_halves };
        let slow = concord_core::engine::count_by_enumeration(&eval, &rules, None).unwrap();
        let fast = count_within(&eval, &rules, None, limits);
        if let Some(fast) = fast {
            prop_assert_eq!(fast, slow);
        }
        check_issue_counts(&eval, &rules, fast, limits)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Meet in the middle counts what enumeration counts, package for package, whatever the
    /// floors kept (none to five: a sweep for one or two, bitsets for more), on the numbers as
    /// written (floats) and on the exact integer scale.
    #[test]
    fn halves_count_matches_enumeration(spec in spec(), floors in 0usize..=5, scaled in any::<bool>(), threads in any::<bool>()) {
        use concord_core::engine::count_by_enumeration;
        use concord_core::halves::{count_within, Limits};
        let (eval, rules) = halves_case(&spec, floors, scaled);
        // On several threads (as large halves are counted) or on one.
        let limits = Limits { parallel_halves: if threads { 0 } else { Limits::default().parallel_halves }, ..Limits::default() };
        let fast = count_within(&eval, &rules, None, limits);
        check_issue_counts(&eval, &rules, fast, limits)?;
        if spec.counts.len() < 2 {
            prop_assert_eq!(fast, None);
        } else {
            let slow = count_by_enumeration(&eval, &rules, None).unwrap();
            match fast {
                Some(fast) => prop_assert_eq!(fast, slow),
                // It declines (and the caller enumerates) only when more than three conditional
                // red lines could cross the halves: those whose two issues differ.
                None => {
                    let two_issue = rules
                        .red_lines
                        .iter()
                        .filter(|r| matches!(r, concord_core::model::RedLineRule::Conditional { if_issue, then, .. } if *if_issue != then.issue))
                        .count();
                    prop_assert!(two_issue > 3, "declined with {} two-issue conditionals", two_issue);
                }
            }
        }
    }
}

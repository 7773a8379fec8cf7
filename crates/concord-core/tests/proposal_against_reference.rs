//! Scoring and improving proposals against brute force on random small scenarios: the ranges,
//! broken red lines and completions of partial proposals; the frontier of Pareto improvements,
//! the max-min-gain and Nash improvements and the closest improvement; and what-ifs.

use concord_core::analysis::{analyze, AnalysisConfig, AnalysisError, MethodChoice};
use concord_core::bargaining::Concept;
use concord_core::engine::{package_from_index, space_size};
use concord_core::model::*;
use concord_core::proposal::{improve, score};
use concord_core::reference;
use concord_core::whatif::{apply, WhatIf};
use proptest::prelude::*;

mod common;
use common::*;

fn config(merge: bool) -> AnalysisConfig {
    method(if merge { 1 } else { 0 })
}

/// Enumeration, the merge, or branch and bound (which materialises no frontier).
fn method(m: u8) -> AnalysisConfig {
    AnalysisConfig {
        method: match m % 3 {
            0 => MethodChoice::Enumeration,
            1 => MethodChoice::Merge,
            _ => MethodChoice::BranchAndBound,
        },
        ..AnalysisConfig::default()
    }
}

/// Vectors sorted by descending utilities, for comparing frontiers as sets.
fn sorted(mut v: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    v.sort_by(|a, b| b.partial_cmp(a).unwrap());
    v
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Options allowed per issue from a mask (an empty mask leaves the issue open).
fn allowed_from(scenario: &Scenario, masks: &[Vec<bool>]) -> Vec<OptionSet> {
    scenario
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let n = issue.options.len();
            let set = OptionSet(masks[i][..n].to_vec());
            if set.is_empty() {
                OptionSet(vec![true; n])
            } else {
                set
            }
        })
        .collect()
}

fn analysable(scenario: &Scenario) -> bool {
    !matches!(
        concord_core::analysis::check(scenario, &AnalysisConfig::default()),
        Err(AnalysisError::SelfContradictoryRedLines { .. })
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn improvements_match_brute_force(
        spec in spec(),
        seed in any::<u64>(),
        keep_mask in prop::collection::vec(prop::bool::weighted(0.3), 5),
        m in 0u8..3,
    ) {
        let scenario = build(&spec);
        prop_assume!(analysable(&scenario));
        let counts = scenario.option_counts();
        let size = space_size(&counts).unwrap() as u64;
        let package = package_from_index(&counts, seed % size);
        let keep: Vec<usize> = (0..counts.len()).filter(|&i| keep_mask[i]).collect();
        let got = improve(&scenario, &package, &keep, &method(m)).unwrap();
        let want = reference::improvements(&scenario, &package, &keep);
        prop_assert_eq!(&got.utilities, &want.utilities);
        prop_assert_eq!(got.efficient, want.frontier.is_empty());
        if got.analysis.is_some() {
            prop_assert_eq!(got.count, Some(want.count as u64));
        }
        let Some(analysis) = &got.analysis else {
            prop_assert!(want.frontier.is_empty());
            return Ok(());
        };
        if got.efficient {
            prop_assert!(analysis.frontier.iter().all(|q| q.utilities == got.utilities));
            prop_assert!(got.closest.is_none());
            return Ok(());
        }
        let value = |c: Concept| analysis.solutions.iter().find(|s| s.concept == c).unwrap().value;
        prop_assert!(close(value(Concept::Egalitarian), want.max_min_gain.unwrap()));
        prop_assert!(close(value(Concept::Nash), want.nash.unwrap()));
        if !analysis.frontier_materialised {
            // Branch and bound: the points, not the frontier; no closest improvement.
            prop_assert!(got.closest.is_none());
            return Ok(());
        }
        let frontier = sorted(analysis.frontier.iter().map(|q| q.utilities.clone()).collect());
        prop_assert_eq!(&frontier, &want.frontier);
        // Every listed improvement's package gives what its point says and keeps the kept issues.
        for q in &analysis.frontier {
            for p in analysis.packages(q) {
                let original = got.original(&p);
                prop_assert!(keep.iter().all(|&i| original[i] == package[i]));
            }
        }
        let got_closest = got.closest.as_ref().map(|c| {
            let gain = c.utilities.iter().zip(&got.utilities).map(|(a, b)| a - b).fold(f64::INFINITY, f64::min);
            (c.changed.len(), gain)
        });
        match (got_closest, want.closest) {
            (None, None) => {}
            (Some((c, g)), Some((wc, wg))) => {
                prop_assert_eq!(c, wc);
                prop_assert!(close(g, wg), "closest gain {} against {}", g, wg);
            }
            other => prop_assert!(false, "closest improvement {:?}", other),
        }
        if let Some(c) = &got.closest {
            let mut u = vec![0.0; analysis.evaluator.width()];
            concord_core::engine::Evaluator::new(&scenario).utilities(&c.package, &mut u);
            let consenting = scenario.consenting();
            let eval = concord_core::engine::Evaluator::new(&scenario);
            let mine: Vec<f64> = consenting.iter().map(|&p| u[eval.slot(p).unwrap()]).collect();
            prop_assert_eq!(&mine, &c.utilities);
        }
    }

    #[test]
    fn scores_match_brute_force(
        spec in spec(),
        masks in prop::collection::vec(prop::collection::vec(prop::bool::weighted(0.4), 4), 5),
        merge in any::<bool>(),
    ) {
        let scenario = build(&spec);
        prop_assume!(analysable(&scenario));
        let allowed = allowed_from(&scenario, &masks);
        let got = score(&scenario, &allowed, &config(merge)).unwrap();
        let want = reference::completions(&scenario, &allowed);
        let ranges: Vec<(f64, f64)> = got.parties.iter().map(|p| p.range).collect();
        prop_assert_eq!(&ranges, &want.ranges);
        prop_assert_eq!(&got.broken, &want.broken);
        match &got.package {
            Some(package) => {
                let eval = concord_core::engine::Evaluator::new(&scenario);
                let in_zone = reference::in_zone(&scenario, &eval, &reference::zone_constraints(&scenario), package);
                prop_assert_eq!(got.in_zone, Some(in_zone));
                prop_assert_eq!(got.solutions.len(), got.analysis.solutions.len());
                if got.analysis.zone_exists {
                    prop_assert!(got.frontier_distance.is_some());
                }
                if in_zone {
                    // A zone package is on the frontier exactly when no zone package dominates it.
                    let whole = reference::analyze(&scenario);
                    let mut u = vec![0.0; eval.width()];
                    eval.utilities(package, &mut u);
                    let mine: Vec<f64> = scenario.consenting().iter().map(|&p| u[eval.slot(p).unwrap()]).collect();
                    let on = whole.frontier.iter().any(|(v, _)| *v == mine);
                    prop_assert_eq!(got.frontier_distance == Some(0.0), on);
                }
            }
            None => {
                let completions = got.completions.as_ref().unwrap();
                match &completions.analysis {
                    None => prop_assert!(want.best_in_zone.is_empty()),
                    Some(a) => {
                        prop_assert_eq!(a.zone_exists, !want.frontier.is_empty());
                        let frontier = sorted(a.frontier.iter().map(|q| q.utilities.clone()).collect());
                        prop_assert_eq!(&frontier, &want.frontier);
                        let best: Vec<f64> = got
                            .parties
                            .iter()
                            .filter(|p| p.consent)
                            .filter_map(|p| p.best_in_zone)
                            .collect();
                        prop_assert_eq!(&best, &want.best_in_zone);
                        // Completions are packages of the proposal, in the scenario's indices.
                        for q in &a.frontier {
                            for p in a.packages(q) {
                                let original = completions.restricted.original(&p);
                                prop_assert!(original.iter().zip(&allowed).all(|(&o, s)| s.contains(o)));
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn what_ifs_match_brute_force(
        spec in spec(),
        fix in prop::option::of((0usize..5, 0usize..4)),
        drop in prop::option::of(0usize..4),
        reservation in prop::option::of(0u8..=14),
        weight in prop::option::of((0usize..5, 0u8..=10)),
        merge in any::<bool>(),
    ) {
        let scenario = build(&spec);
        prop_assume!(analysable(&scenario));
        let n = scenario.issues.len();
        let mut changes = Vec::new();
        if let Some(r) = drop.filter(|&r| r < scenario.red_lines.len()) {
            changes.push(WhatIf::DropRedLine(r));
        }
        if let Some(v) = reservation {
            changes.push(WhatIf::SetReservation { party: 0, value: f64::from(v) / 20.0 });
        }
        if let Some((i, w)) = weight {
            changes.push(WhatIf::SetWeight { party: 0, issue: i % n, weight: f64::from(w) / 10.0 });
        }
        if let Some((i, o)) = fix {
            let i = i % n;
            changes.push(WhatIf::Fix { issue: i, option: o % scenario.issues[i].options.len() });
        }
        // The same changes made by hand, for the reference: fixes as allowed options.
        let mut by_hand = scenario.clone();
        let mut allowed: Vec<OptionSet> = scenario.issues.iter().map(|i| OptionSet(vec![true; i.options.len()])).collect();
        for c in &changes {
            match *c {
                WhatIf::SetReservation { party, value } => by_hand.preferences[party].as_mut().unwrap().reservation.value = value,
                WhatIf::SetWeight { party, issue, weight } => {
                    let prefs = by_hand.preferences[party].as_mut().unwrap();
                    let others: f64 = (0..n).filter(|&i| i != issue).map(|i| prefs.issues[i].weight.value).sum();
                    if others == 0.0 && weight < 1.0 {
                        prop_assert!(apply(&scenario, &changes).is_err());
                        return Ok(());
                    }
                    for (i, ip) in prefs.issues.iter_mut().enumerate() {
                        if i == issue { ip.weight.value = weight } else { ip.weight.value *= (1.0 - weight) / others }
                    }
                    let total: f64 = prefs.issues.iter().map(|ip| ip.weight.value).sum();
                    prop_assert!((total - 1.0).abs() < 1e-12);
                }
                WhatIf::Fix { issue, option } => allowed[issue] = OptionSet::from_indices(scenario.issues[issue].options.len(), &[option]),
                WhatIf::DropRedLine(_) => {}
            }
        }
        if let Some(WhatIf::DropRedLine(r)) = changes.first() {
            by_hand.red_lines.remove(*r);
        }
        let applied = apply(&scenario, &changes).unwrap();
        let want = reference::completions(&by_hand, &allowed);
        let blocked = applied.restricted.as_ref().is_some_and(|r| {
            r.broken.iter().any(|&b| scenario.parties[scenario.red_lines[b].party].consent)
                || r.jointly.iter().any(|&p| by_hand.parties[p].consent)
        });
        if blocked {
            prop_assert!(want.frontier.is_empty());
            return Ok(());
        }
        let a = analyze(&applied.scenario, &config(merge)).unwrap();
        let frontier = sorted(a.frontier.iter().map(|q| q.utilities.clone()).collect());
        prop_assert_eq!(&frontier, &want.frontier);
    }
}

/// The scenario with every weight a short decimal (hundredths, each party's summing to exactly 1
/// in decimal), so that with its grid values and reservation values it is analysed in exact
/// decimals.
fn in_hundredths(mut scenario: Scenario) -> Scenario {
    for prefs in scenario.preferences.iter_mut().flatten() {
        let mut h: Vec<i64> = prefs
            .issues
            .iter()
            .map(|ip| (ip.weight.value * 100.0).round() as i64)
            .collect();
        let (largest, _) = h.iter().enumerate().max_by_key(|(_, &x)| x).unwrap();
        h[largest] += 100 - h.iter().sum::<i64>();
        for (ip, x) in prefs.issues.iter_mut().zip(h) {
            ip.weight = Assumed::exact(x as f64 / 100.0);
        }
    }
    scenario
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// In exact decimals (as `concord improve` runs), the improvements are those brute force finds
    /// on the integer scale, where every sum is exact: a package worth exactly the proposal to a
    /// party is a tie for it, never a gain of a rounding error.
    #[test]
    fn improvements_in_exact_decimals_match_brute_force_on_the_integer_scale(
        spec in spec(),
        seed in any::<u64>(),
        keep_mask in prop::collection::vec(prop::bool::weighted(0.3), 5),
        merge in any::<bool>(),
    ) {
        let scenario = in_hundredths(build(&spec));
        prop_assume!(analysable(&scenario));
        let Some((scaled, unit)) = concord_core::exact::scale(&scenario) else {
            return Err(TestCaseError::fail("hundredths and grid values are short decimals"));
        };
        let counts = scenario.option_counts();
        let size = space_size(&counts).unwrap() as u64;
        let package = package_from_index(&counts, seed % size);
        let keep: Vec<usize> = (0..counts.len()).filter(|&i| keep_mask[i]).collect();
        let exact = AnalysisConfig { exact_decimals: true, ..config(merge) };
        let got = improve(&scenario, &package, &keep, &exact).unwrap();
        let want = reference::improvements(&scaled, &package, &keep);
        let back = |v: &[f64]| v.iter().map(|&x| unit.utility(x)).collect::<Vec<f64>>();
        prop_assert_eq!(&got.utilities, &back(&want.utilities));
        prop_assert_eq!(got.efficient, want.frontier.is_empty());
        let Some(analysis) = &got.analysis else {
            prop_assert!(want.frontier.is_empty());
            return Ok(());
        };
        prop_assert_eq!(got.count, Some(want.count as u64));
        if got.efficient {
            // The improvement zone holds the package's own point and its exact ties only.
            prop_assert!(analysis.frontier.iter().all(|q| q.utilities == got.utilities));
            prop_assert!(got.closest.is_none());
            return Ok(());
        }
        let frontier = sorted(analysis.frontier.iter().map(|q| q.utilities.clone()).collect());
        let want_frontier = sorted(want.frontier.iter().map(|v| back(v)).collect());
        prop_assert_eq!(&frontier, &want_frontier);
        prop_assert_eq!(
            got.closest.as_ref().map(|c| c.changed.len()),
            want.closest.map(|(n, _)| n)
        );
        if let Some(c) = &got.closest {
            // Strictly better for every consenting party, on the exact scale.
            prop_assert!(c.utilities.iter().zip(&got.utilities).all(|(a, b)| a > b));
        }
    }
}

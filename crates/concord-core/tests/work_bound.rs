//! Issue 16: the bound on the merge's work, computed before it starts, is an upper bound. A merge
//! given the bound as its budget never stops on the budget, on random scenarios in floating
//! point and on the exact decimal scale, with simple and conditional red lines and reservation
//! values; and on the exact scale the bound is tight enough to matter.

use concord_core::analysis::Constraint;
use concord_core::engine::{Evaluator, Floor, Rules};
use concord_core::merge::{merge_frontier, work_bound, MergeConfig, MergeStop};
use concord_core::model::*;
use concord_core::reference;
use proptest::prelude::*;

mod common;
use common::*;

/// The merge's rules for a scenario's zone, and its consenting parties' slots.
fn zone_rules(scenario: &Scenario, eval: &Evaluator) -> (Rules, Vec<usize>) {
    let active = reference::zone_constraints(scenario);
    let rules = Rules {
        red_lines: active
            .iter()
            .filter_map(|c| match c {
                Constraint::RedLine(r) => Some(scenario.red_lines[*r].rule.clone()),
                _ => None,
            })
            .collect(),
        floors: active
            .iter()
            .filter_map(|c| match c {
                Constraint::Reservation(p) => Some(Floor {
                    slot: eval.slot(*p).unwrap(),
                    min: scenario.preferences[*p].as_ref().unwrap().reservation.value,
                }),
                _ => None,
            })
            .collect(),
    };
    let slots = scenario
        .consenting()
        .iter()
        .map(|&p| eval.slot(p).unwrap())
        .collect();
    (rules, slots)
}

/// Merges with the bound as the budget and fails if the merge stops on it.
fn bound_holds(scenario: &Scenario) -> Result<(), TestCaseError> {
    let eval = Evaluator::new(scenario);
    let (rules, slots) = zone_rules(scenario, &eval);
    let Some(bound) = work_bound(&eval, &rules, &slots) else {
        return Ok(());
    };
    prop_assert!(bound >= 0.0);
    let config = MergeConfig {
        // A budget of 0 means none; a bound of 0 (no option left) forms nothing anyway.
        max_work: (bound.ceil() as u64).max(1),
        project_work: true,
        ..MergeConfig::default()
    };
    match merge_frontier(&eval, &rules, &slots, &config) {
        Err(MergeStop::TooMuchWork { work, .. }) => prop_assert!(
            false,
            "the merge formed {work} candidates, past its bound {bound}"
        ),
        // A projection never stops a merge whose bound is within its budget.
        Err(MergeStop::ProjectedWork { projected, .. }) => prop_assert!(
            false,
            "the merge stopped on a projection of {projected}, its bound {bound} within budget"
        ),
        _ => {}
    }
    Ok(())
}

const SHORT_WEIGHTS: [f64; 8] = [0.1, 0.2, 0.3, 0.35, 0.7, 0.15, 0.25, 0.05];
const SHORT_VALUES: [f64; 8] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.7, 1.0, 0.35];

/// `spec`'s scenario with short decimal weights and values, on the exact integer scale.
fn on_exact_scale(spec: &Spec) -> Scenario {
    let mut scenario = build(spec);
    for (p, prefs) in scenario.preferences.iter_mut().enumerate() {
        let prefs = prefs.as_mut().unwrap();
        for (i, ip) in prefs.issues.iter_mut().enumerate() {
            ip.weight.value = SHORT_WEIGHTS[usize::from(spec.weights[p][i]) % 8];
            if let ValueFunction::Table(values) = &mut ip.values {
                for (o, v) in values.iter_mut().enumerate() {
                    v.value = SHORT_VALUES[usize::from(spec.values[p][i][o]) % 8];
                }
            }
        }
    }
    concord_core::exact::scale(&scenario)
        .expect("short decimals scale")
        .0
}

/// Larger cases than `spec`: up to 14 issues of up to 6 options, 2 to 3 parties, up to 6 red
/// lines, simple or conditional.
fn larger_spec() -> impl Strategy<Value = Spec> {
    (prop::collection::vec(2usize..=6, 1..=14), 2usize..=3).prop_flat_map(|(counts, parties)| {
        let n = counts.len();
        (
            Just(counts),
            prop::collection::vec(prop::collection::vec(1u8..=9, n), parties),
            prop::collection::vec(
                prop::collection::vec(prop::collection::vec(any::<u8>(), 6), n),
                parties,
            ),
            prop::collection::vec(0u8..=8, parties),
            prop::collection::vec(
                (
                    0..parties,
                    any::<bool>(),
                    0..n,
                    prop::collection::vec(any::<bool>(), 6),
                    0..n,
                    prop::collection::vec(prop::bool::weighted(0.8), 6),
                ),
                0..=6,
            ),
        )
            .prop_map(
                move |(counts, weights, values, reservations, red_lines)| Spec {
                    counts,
                    roles: vec![Role::Party; parties],
                    weights,
                    values,
                    reservations,
                    red_lines,
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_bound_holds_in_floating_point(spec in spec()) {
        bound_holds(&build(&spec))?;
    }

    #[test]
    fn the_bound_holds_on_the_exact_scale(spec in spec()) {
        bound_holds(&on_exact_scale(&spec))?;
    }

    #[test]
    fn the_bound_holds_on_larger_cases(spec in larger_spec(), exact in any::<bool>()) {
        if exact {
            bound_holds(&on_exact_scale(&spec))?;
        } else {
            bound_holds(&build(&spec))?;
        }
    }
}

/// On the exact scale, two parties' layers are bounded by one party's range of values, not by
/// the product of the issues' options: 40 issues of 5 options (5^40 packages) are bounded by a
/// number a merge can do, while the product of distinct vectors is past 10^27.
#[test]
fn the_bound_is_tight_enough_for_two_parties_on_the_exact_scale() {
    let spec = Spec {
        counts: vec![5; 40],
        roles: vec![Role::Party; 2],
        weights: vec![(0..40).map(|i| 1 + (i % 7) as u8).collect(); 2],
        values: (0..2u8)
            .map(|p| {
                (0..40u8)
                    .map(|i| {
                        (0..6u8)
                            .map(|o| o.wrapping_mul(3 + p).wrapping_add(i))
                            .collect()
                    })
                    .collect()
            })
            .collect(),
        reservations: vec![0, 0],
        red_lines: Vec::new(),
    };
    let scenario = on_exact_scale(&spec);
    let eval = Evaluator::new(&scenario);
    let (rules, slots) = zone_rules(&scenario, &eval);
    let bound = work_bound(&eval, &rules, &slots).unwrap();
    assert!(bound < 1e9, "bound {bound:e}");
    // The merge stays within it.
    let config = MergeConfig {
        max_work: bound.ceil() as u64,
        ..MergeConfig::default()
    };
    assert!(merge_frontier(&eval, &rules, &slots, &config).is_ok());
}

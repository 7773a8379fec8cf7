//! More than 64 conditional red lines: the merge carries one bit of state per conditional that
//! is open across an issue, so its limit is on conditionals open at once, not on their number;
//! every method answers as brute force does on scenarios with 65 to 90 of them.

mod common;

use concord_core::analysis::{analyze, AnalysisConfig, AnalysisError, MethodChoice};
use concord_core::model::*;
use concord_core::reference;
use proptest::prelude::*;

/// A conditional red line of `party`: if `a` is `x` then `b` must not be `y`.
fn conditional(
    id: usize,
    party: usize,
    a: usize,
    x: usize,
    b: usize,
    y: usize,
    counts: &[usize],
) -> RedLine {
    let mut then = vec![true; counts[b]];
    then[y] = false;
    RedLine {
        id: format!("c{id}"),
        party,
        rule: RedLineRule::Conditional {
            if_issue: a,
            if_options: OptionSet::from_indices(counts[a], &[x]),
            then: IssueRestriction {
                issue: b,
                allowed: OptionSet(then),
                phrasing: Phrasing::MustNotBe,
            },
        },
        provenance: Provenance::default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_method_agrees_with_brute_force_past_64_conditionals(
        spec in common::spec(),
        extra in prop::collection::vec((any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>()), 65..=90),
    ) {
        let mut scenario = common::build(&spec);
        let counts = scenario.option_counts();
        let n = counts.len();
        prop_assume!(n >= 2);
        for (k, &(a, b, x, y, p)) in extra.iter().enumerate() {
            let (a, b) = (a % n, b % n);
            if a == b {
                continue;
            }
            let party = p % scenario.parties.len();
            scenario.red_lines.push(conditional(k, party, a, x % counts[a], b, y % counts[b], &counts));
        }
        let slow = reference::analyze(&scenario);
        for method in [MethodChoice::Enumeration, MethodChoice::Merge, MethodChoice::BranchAndBound, MethodChoice::Auto] {
            let config = AnalysisConfig { method, ..AnalysisConfig::default() };
            match analyze(&scenario, &config) {
                Ok(analysis) => {
                    prop_assert_eq!(analysis.zone_exists, !slow.zone.is_empty(), "{:?}", method);
                    if analysis.search.is_none() && method != MethodChoice::BranchAndBound {
                        let fast: Vec<Vec<f64>> = analysis.frontier.iter().map(|p| p.utilities.clone()).collect();
                        let expected: Vec<Vec<f64>> = slow.frontier.iter().map(|(v, _)| v.clone()).collect();
                        prop_assert_eq!(fast, expected, "{:?}", method);
                    }
                }
                Err(AnalysisError::SelfContradictoryRedLines { .. }) => {}
                // The merge carries at most 64 conditionals open at once; with at most 5
                // issues, 90 conditionals can exceed that, and the refusal says so.
                Err(AnalysisError::TooManyConditionals { open, .. }) => {
                    prop_assert_eq!(method, MethodChoice::Merge);
                    prop_assert!(open > 64);
                }
                Err(e) => prop_assert!(false, "{:?}: {}", method, e),
            }
        }
    }
}

/// Many conditionals over many issues, few open at once: the merge answers.
#[test]
fn a_chain_of_100_conditionals_merges() {
    let spec = common::Spec {
        counts: vec![2; 101],
        roles: vec![Role::Party, Role::Party],
        weights: vec![vec![1; 101], vec![2; 101]],
        values: vec![vec![vec![0, 4]; 101], vec![vec![4, 0]; 101]],
        reservations: vec![0, 0],
        red_lines: vec![],
    };
    let mut scenario = common::build(&spec);
    let counts = scenario.option_counts();
    for k in 0..100 {
        scenario
            .red_lines
            .push(conditional(k, 0, k, 1, k + 1, 1, &counts));
    }
    let merged = analyze(
        &scenario,
        &AnalysisConfig {
            method: MethodChoice::Merge,
            ..AnalysisConfig::default()
        },
    )
    .expect("one conditional open at a time");
    assert!(merged.zone_exists);
}

/// More than 64 conditionals open at once on a space past what `auto` enumerates: the merge
/// cannot carry them, so `auto` falls back to branch and bound and says why, and `merge` refuses
/// naming the issue.
#[test]
fn auto_falls_back_when_the_merge_cannot_carry_the_conditionals() {
    let spec = common::Spec {
        counts: vec![6; 6],
        roles: vec![Role::Party, Role::Party],
        weights: vec![vec![1; 6], vec![2; 6]],
        values: vec![
            vec![vec![0, 1, 2, 3, 4, 0]; 6],
            vec![vec![4, 3, 2, 1, 0, 4]; 6],
        ],
        reservations: vec![0, 0],
        red_lines: vec![],
    };
    let mut scenario = common::build(&spec);
    let counts = scenario.option_counts();
    let mut k = 0;
    for (a, b) in [(0, 5), (1, 4), (2, 3)] {
        for x in 0..6 {
            for y in 0..6 {
                if (x + y) % 7 != 0 {
                    scenario
                        .red_lines
                        .push(conditional(k, 0, a, x, b, y, &counts));
                    k += 1;
                }
            }
        }
    }
    assert!(k > 64);
    let auto = analyze(&scenario, &AnalysisConfig::default()).expect("branch and bound answers");
    let fallback = auto
        .search
        .as_ref()
        .and_then(|s| s.fallback.as_deref())
        .expect("auto says why it left the merge");
    assert!(
        fallback.contains("carries at most 64 at once"),
        "{fallback}"
    );
    let slow = reference::analyze(&scenario);
    assert_eq!(auto.zone_exists, !slow.zone.is_empty());
    match analyze(
        &scenario,
        &AnalysisConfig {
            method: MethodChoice::Merge,
            ..AnalysisConfig::default()
        },
    ) {
        Err(AnalysisError::TooManyConditionals { open, .. }) => assert!(open > 64),
        other => panic!("{other:?}"),
    }
}

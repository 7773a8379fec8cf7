//! Valid but extreme scenarios, built directly as models: many parties, many issues, many red
//! lines, numeric issues with huge ranges and tiny steps, weights and values at the ends of the
//! float range. Under small budgets the analysis must either finish within its time bound with
//! finite numbers, or refuse with an error that names what it hit; it must never panic or hang.
//! The fuzz target `analysis` (docs/fuzzing.md) reaches the same code through the reader.

use std::sync::mpsc;
use std::time::Duration;

use concord_core::analysis::{analyze, AnalysisConfig, AnalysisError, MethodChoice};
use concord_core::model::*;
use proptest::prelude::*;

/// How long one analysis may take, in a debug build, before it counts as a hang. Each case's
/// budgets below keep a correct analysis far under it.
const HANG: Duration = Duration::from_secs(20);

/// Numbers at the ends of what a file may hold: huge, tiny, and ordinary.
fn extreme_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(1.0),
        Just(f64::MIN_POSITIVE),
        Just(1e-300),
        Just(1e-12),
        Just(0.5),
        Just(1e12),
        Just(1e300),
        Just(f64::MAX),
        Just(-f64::MAX),
        Just(-1e300),
        -1e6..1e6f64,
    ]
}

/// A value in [0, 1], often at or next to its ends.
fn unit_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(1.0),
        Just(f64::MIN_POSITIVE),
        Just(1.0 - f64::EPSILON),
        Just(1e-300),
        0.0..=1.0f64,
    ]
}

#[derive(Debug, Clone)]
enum IssueSpec {
    /// Named options with a value per party.
    Table(usize),
    /// A numeric issue: `count` options from `start` by `step`, with a piecewise-linear value
    /// whose breakpoints sit at `xs`.
    Numeric {
        start: f64,
        step: f64,
        count: usize,
        xs: Vec<f64>,
    },
}

fn issue_spec() -> impl Strategy<Value = IssueSpec> {
    prop_oneof![
        4 => (1usize..=5).prop_map(IssueSpec::Table),
        1 => (1usize..=40).prop_map(IssueSpec::Table),
        2 => (
            extreme_number(),
            prop_oneof![Just(1e-300), Just(1e-12), Just(f64::MIN_POSITIVE), Just(1.0), Just(1e300)],
            prop_oneof![3 => 1usize..=8, 1 => 100usize..=2000],
            prop::collection::vec(extreme_number(), 1..=4),
        )
            .prop_map(|(start, step, count, xs)| IssueSpec::Numeric { start, step, count, xs }),
    ]
}

#[derive(Debug, Clone)]
struct Extreme {
    parties: usize,
    issues: Vec<IssueSpec>,
    /// Per party and issue: a weight seed (a weight is its share of the party's total).
    weights: Vec<Vec<f64>>,
    values: Vec<f64>,
    reservations: Vec<f64>,
    /// (party, conditional, if-issue, issue, option mask seed).
    red_lines: Vec<(usize, bool, usize, usize, u64)>,
    method: MethodChoice,
    exact: bool,
}

fn extreme() -> impl Strategy<Value = Extreme> {
    (
        prop_oneof![3 => 1usize..=4, 1 => 5usize..=40],
        prop_oneof![3 => prop::collection::vec(issue_spec(), 1..=6), 1 => prop::collection::vec(issue_spec(), 7..=60)],
    )
        .prop_flat_map(|(parties, issues)| {
            let n = issues.len();
            (
                Just(parties),
                Just(issues),
                prop::collection::vec(
                    prop::collection::vec(
                        prop_oneof![Just(1.0), Just(1e-300), Just(1e300), 0.0..=1.0f64],
                        n,
                    ),
                    parties,
                ),
                prop::collection::vec(unit_value(), 64),
                prop::collection::vec(unit_value(), parties),
                prop_oneof![
                    2 => prop::collection::vec((0..parties, any::<bool>(), 0..n, 0..n, any::<u64>()), 0..=8),
                    1 => prop::collection::vec((0..parties, any::<bool>(), 0..n, 0..n, any::<u64>()), 60..=300),
                ],
                prop_oneof![
                    Just(MethodChoice::Auto),
                    Just(MethodChoice::Enumeration),
                    Just(MethodChoice::Merge),
                    Just(MethodChoice::BranchAndBound),
                ],
                any::<bool>(),
            )
        })
        .prop_map(
            |(parties, issues, weights, values, reservations, red_lines, method, exact)| Extreme {
                parties,
                issues,
                weights,
                values,
                reservations,
                red_lines,
                method,
                exact,
            },
        )
}

fn build(e: &Extreme) -> Scenario {
    let issues: Vec<Issue> = e
        .issues
        .iter()
        .enumerate()
        .map(|(i, spec)| match spec {
            IssueSpec::Table(n) => Issue {
                id: format!("i{i}"),
                name: format!("I{i}"),
                ordered: false,
                options: (0..*n)
                    .map(|o| IssueOption {
                        id: format!("o{o}"),
                        name: format!("O{o}"),
                        value: None,
                    })
                    .collect(),
                numeric: None,
            },
            IssueSpec::Numeric {
                start, step, count, ..
            } => {
                // The values the options take; a step too small to move a huge start leaves
                // equal neighbours, which a file may not write, so the issue keeps one of them.
                let mut values: Vec<f64> = (0..*count)
                    .map(|k| start + step * k as f64)
                    .filter(|x| x.is_finite())
                    .collect();
                values.dedup();
                if values.is_empty() {
                    values.push(0.0);
                }
                Issue {
                    id: format!("i{i}"),
                    name: format!("I{i}"),
                    ordered: true,
                    numeric: Some(NumericDomain {
                        min: values[0],
                        max: values[values.len() - 1],
                        step: *step,
                        unit: String::new(),
                    }),
                    options: values
                        .iter()
                        .enumerate()
                        .map(|(o, &x)| IssueOption {
                            id: format!("v{o}"),
                            name: format!("{x}"),
                            value: Some(x),
                        })
                        .collect(),
                }
            }
        })
        .collect();
    let mut value_seed = e.values.iter().cycle();
    let preferences = (0..e.parties)
        .map(|p| {
            let total: f64 = e.weights[p].iter().sum();
            Some(Preferences {
                reservation: Assumed::exact(e.reservations[p]),
                provenance: Provenance::default(),
                issues: issues
                    .iter()
                    .enumerate()
                    .map(|(i, issue)| {
                        let w = e.weights[p][i];
                        let weight = if total > 0.0 && total.is_finite() {
                            w / total
                        } else {
                            1.0 / issues.len() as f64
                        };
                        let values = match &e.issues[i] {
                            IssueSpec::Numeric { xs, .. } => {
                                let mut xs = xs.clone();
                                xs.sort_by(f64::total_cmp);
                                xs.dedup();
                                ValueFunction::PiecewiseLinear(
                                    xs.into_iter()
                                        .map(|x| (x, *value_seed.next().unwrap()))
                                        .collect(),
                                )
                            }
                            IssueSpec::Table(_) => ValueFunction::Table(
                                (0..issue.options.len())
                                    .map(|_| Assumed::exact(*value_seed.next().unwrap()))
                                    .collect(),
                            ),
                        };
                        IssuePreference {
                            weight: Assumed::exact(weight),
                            values,
                            provenance: Provenance::default(),
                        }
                    })
                    .collect(),
                discount: None,
            })
        })
        .collect();
    let mask = |issue: usize, seed: u64| {
        let n = issues[issue].options.len();
        // At least one option allowed, so that most red lines leave the party something.
        let mut m: Vec<bool> = (0..n).map(|o| seed >> (o % 64) & 1 == 1).collect();
        m[seed as usize % n] = true;
        OptionSet(m)
    };
    // Up to 64 conditional red lines at any size of space: tens of them over 40 or more issues
    // once made the search for a party's contradictory red lines run without end
    // (`tens_of_conditionals_over_large_issues_are_answered_in_time`).
    let max_conditionals = 64;
    let mut conditionals = 0;
    let red_lines = e
        .red_lines
        .iter()
        .enumerate()
        .map(|(k, &(party, conditional, a, b, seed))| {
            let conditional = conditional && a != b && conditionals < max_conditionals;
            conditionals += usize::from(conditional);
            let then = IssueRestriction {
                issue: b,
                allowed: mask(b, seed),
                phrasing: Phrasing::MustBeOneOf,
            };
            RedLine {
                id: format!("r{k}"),
                party,
                rule: if conditional {
                    RedLineRule::Conditional {
                        if_issue: a,
                        if_options: mask(a, seed.rotate_left(17)),
                        then,
                    }
                } else {
                    RedLineRule::Simple(then)
                },
                provenance: Provenance::default(),
            }
        })
        .collect();
    Scenario {
        id: "extreme".into(),
        title: "extreme".into(),
        description: String::new(),
        sources: vec![],
        parties: (0..e.parties)
            .map(|i| Party {
                id: format!("p{i}"),
                name: format!("P{i}"),
                role: Role::Party,
                consent: true,
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

/// Whether a zone exists and the utilities of each frontier point, or why the analysis refused.
type Outcome = Result<(bool, Vec<Vec<f64>>), AnalysisError>;

/// Runs the analysis on its own thread, so that a hang fails the test instead of stalling it.
fn analyze_bounded(scenario: Scenario, config: AnalysisConfig) -> Result<Outcome, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let result = analyze(&scenario, &config).map(|a| {
            let points = a.frontier.iter().map(|p| p.utilities.clone()).collect();
            (a.zone_exists, points)
        });
        let _ = tx.send(result);
    });
    match rx.recv_timeout(HANG) {
        Ok(result) => Ok(result),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("no answer within {HANG:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the analysis panicked".into()),
    }
}

proptest! {
    // No shrinking: a hung case leaves its thread running, and shrinking would run many more.
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 0,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn extreme_scenarios_finish_within_budget_or_refuse(e in extreme()) {
        let scenario = build(&e);
        let shape = format!(
            "{} parties, options per issue {:?}, {} red lines, {:?}, exact {}",
            e.parties,
            scenario.option_counts(),
            e.red_lines.len(),
            e.method,
            e.exact
        );
        let config = AnalysisConfig {
            method: e.method,
            enumeration_limit: 1_000,
            count_limit: 10_000,
            max_outcomes: 100_000,
            max_partial_sums: 10_000,
            max_nodes: 10_000,
            exact_decimals: e.exact,
            ..AnalysisConfig::default()
        };
        let result = analyze_bounded(scenario, config);
        match result {
            Err(why) => prop_assert!(false, "{why}: {shape}"),
            Ok(Ok((_, points))) => {
                for p in points {
                    prop_assert!(p.iter().all(|u| u.is_finite()), "a utility that is not a number: {p:?}");
                }
            }
            Ok(Err(e)) => {
                // A refusal names what it hit.
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}

/// Found by this generator: with many parties almost no partial sum is dominated, and extending
/// a layer just under the limit by a large issue built every candidate (here 1.8 million points
/// of 30 utilities, 430 MB) before the limit was checked; the merge now stops while building.
#[test]
fn a_large_issue_after_a_full_layer_stops_the_merge_while_building() {
    let mut seed = 7u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let e = Extreme {
        parties: 30,
        issues: vec![IssueSpec::Table(900), IssueSpec::Table(2000)],
        weights: vec![vec![1.0, 1.0]; 30],
        values: (0..64).map(|_| next()).collect(),
        reservations: vec![0.0; 30],
        red_lines: vec![],
        method: MethodChoice::Merge,
        exact: false,
    };
    let mut scenario = build(&e);
    // Values drawn afresh for every option, so that the first layer keeps all its 900 sums.
    for p in scenario.preferences.iter_mut().flatten() {
        for issue in &mut p.issues {
            if let ValueFunction::Table(values) = &mut issue.values {
                values.iter_mut().for_each(|v| v.value = next());
            }
        }
    }
    let config = AnalysisConfig {
        method: MethodChoice::Merge,
        max_partial_sums: 1_000,
        count_limit: 0,
        issue_map: false,
        explain: false,
        ..AnalysisConfig::default()
    };
    let started = std::time::Instant::now();
    let result = analyze_bounded(scenario, config).expect("an answer in time");
    let Err(AnalysisError::TooManyPartialSums(why)) = result else {
        panic!(
            "expected the partial-sum limit, got {:?}",
            result.map(|r| r.0)
        );
    };
    assert!(
        why.contains("candidate partial sums for issue 2 of 2"),
        "{why}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// Found by this generator: the check for a party whose own red lines exclude every package
/// searched the whole space, so a contradiction between the last two issues was found only after
/// every combination of the others (here 4^38 of them); it now searches the mentioned issues.
#[test]
fn a_contradiction_between_the_last_issues_is_found_at_once() {
    let e = Extreme {
        parties: 1,
        issues: vec![IssueSpec::Table(4); 40],
        weights: vec![vec![1.0; 40]],
        values: vec![0.5; 64],
        reservations: vec![0.0],
        red_lines: vec![],
        method: MethodChoice::Auto,
        exact: false,
    };
    let mut scenario = build(&e);
    let only = |issue: usize, option: usize| IssueRestriction {
        issue,
        allowed: OptionSet((0..4).map(|o| o == option).collect()),
        phrasing: Phrasing::MustBeOneOf,
    };
    let rules = [
        RedLineRule::Simple(only(39, 0)),
        RedLineRule::Simple(only(38, 0)),
        RedLineRule::Conditional {
            if_issue: 39,
            if_options: OptionSet(vec![true, false, false, false]),
            then: only(38, 1),
        },
    ];
    scenario.red_lines = rules
        .into_iter()
        .enumerate()
        .map(|(k, rule)| RedLine {
            id: format!("r{k}"),
            party: 0,
            rule,
            provenance: Provenance::default(),
        })
        .collect();
    let result = analyze_bounded(scenario, AnalysisConfig::default()).expect("an answer in time");
    assert!(
        matches!(result, Err(AnalysisError::SelfContradictoryRedLines { .. })),
        "{:?}",
        result.map(|r| r.0)
    );
}

/// Found by this generator once it drew tens of conditional red lines over 40 or more issues:
/// the search for a party whose own red lines contradict each other enumerated the issues they
/// mention, and with 60 to 90 conditionals over issues of hundreds of options it ran without
/// end, before any budgeted phase began. It now stops after `SELF_CONTRADICTION_STEPS` and the
/// analysis goes on. 40 random shapes in this region all answered within 5 s in all.
#[test]
fn tens_of_conditionals_over_large_issues_are_answered_in_time() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 17
    };
    let sizes = [
        3, 3, 31, 34, 1, 6, 28, 15, 3, 1033, 3, 8, 2, 5, 4, 2, 710, 6, 4, 33,
    ];
    for case in 0..4 {
        let issues: Vec<IssueSpec> = (0..52)
            .map(|i| IssueSpec::Table(sizes[(i * 7 + case) % sizes.len()]))
            .collect();
        let red_lines = (0..60 + 8 * case)
            .map(|_| {
                let a = next() as usize % 52;
                let b = (a + 1 + next() as usize % 51) % 52;
                (next() as usize % 3, true, a, b, next())
            })
            .collect();
        let e = Extreme {
            parties: 3,
            weights: vec![vec![1.0; 52]; 3],
            issues,
            values: (0..64).map(|v| f64::from(v) / 64.0).collect(),
            reservations: vec![0.3, 0.4, 0.5],
            red_lines,
            method: MethodChoice::BranchAndBound,
            exact: true,
        };
        let config = AnalysisConfig {
            method: MethodChoice::BranchAndBound,
            max_nodes: 10_000,
            count_limit: 10_000,
            exact_decimals: true,
            ..AnalysisConfig::default()
        };
        let started = std::time::Instant::now();
        let result = analyze_bounded(build(&e), config);
        assert!(result.is_ok(), "case {case}: {result:?}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "case {case}: {:?}",
            started.elapsed()
        );
    }
}

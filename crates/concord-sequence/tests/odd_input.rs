//! Odd but valid problems (no steps, zero durations, cycles of simultaneity, the largest numbers
//! the model allows) are analysed without panicking, and malformed ones are refused with a
//! [`ModelError`], never a panic. Also: the way out is cheapest over the whole deadlock, where
//! ending one conflict at a time is not.

use concord_core::model::Provenance;
use concord_sequence::analysis::{
    analyze, Action, SequenceAnalysis, SequenceConfig, SequenceError, WayOutCost,
};
use concord_sequence::model::*;
use concord_sequence::reference;

fn step(id: &str, duration: i64) -> Step {
    Step {
        id: id.into(),
        name: id.into(),
        parties: vec![],
        duration,
        verification: None,
        split: Split::Never,
        provenance: Provenance::default(),
    }
}

fn demand(id: &str, rule: Rule) -> Demand {
    Demand {
        id: id.into(),
        party: 0,
        rule,
        strength: Strength::Hard,
        note: None,
        provenance: Provenance::default(),
    }
}

fn before(first: StepIx, then: StepIx, relation: Relation, min_gap: i64) -> Rule {
    Rule::Before {
        first,
        then,
        relation,
        min_gap,
        max_gap: None,
    }
}

fn run(problem: &SequenceProblem) -> SequenceAnalysis {
    match analyze(problem, &SequenceConfig::default()) {
        Ok(a) => a,
        Err(e) => panic!("a valid problem is analysed: {e}"),
    }
}

#[test]
fn no_steps_is_an_empty_plan() {
    let SequenceAnalysis::Plan(plan) = run(&SequenceProblem::default()) else {
        panic!("nothing to schedule is a plan")
    };
    assert_eq!(plan.duration, 0);
    assert!(plan.steps.is_empty() && plan.phases.is_empty() && plan.critical_path.is_empty());
}

#[test]
fn a_cycle_of_simultaneity_among_zero_day_steps_is_one_phase() {
    let problem = SequenceProblem {
        steps: vec![step("a", 0), step("b", 0), step("c", 0)],
        demands: vec![
            demand("ab", Rule::Together { a: 0, b: 1 }),
            demand("bc", Rule::Together { a: 1, b: 2 }),
            demand("ca", Rule::Together { a: 2, b: 0 }),
            demand("late", Rule::NotBefore { step: 2, day: 5 }),
        ],
    };
    let SequenceAnalysis::Plan(plan) = run(&problem) else {
        panic!("simultaneity in a loop holds")
    };
    assert_eq!(plan.duration, 5);
    assert_eq!(plan.phases.len(), 1);
    assert_eq!(plan.phases[0].day, 5);
    assert_eq!(plan.phases[0].steps.len(), 3);
}

#[test]
fn simultaneity_against_an_order_deadlocks_and_gets_a_way_out() {
    // a and b start together, yet b must start a day after a is done (a lasts 0 days).
    let problem = SequenceProblem {
        steps: vec![step("a", 0), step("b", 3)],
        demands: vec![
            demand("together", Rule::Together { a: 0, b: 1 }),
            demand("after", before(0, 1, Relation::FinishToStart, 1)),
        ],
    };
    let SequenceAnalysis::Deadlock(d) = run(&problem) else {
        panic!("a deadlock")
    };
    assert_eq!(d.conflicts[0].demands, vec![0, 1]);
    let w = d.way_out.expect("a way out");
    assert_eq!(
        w.cost,
        WayOutCost {
            days: 1,
            changes: 1,
            splits: 0
        }
    );
    // Loosening either demand by a day costs the same; loosening the order lets both start on
    // day 0, the shorter plan.
    assert_eq!(w.actions, vec![Action::Relax { demand: 1, days: 1 }]);
    assert_eq!(w.plan.duration, 3);
}

/// The largest numbers the model allows, in a long chain with a deadlock at its end, soft
/// demands and a choice: exact answers, no overflow.
#[test]
fn the_largest_numbers_do_not_overflow() {
    let n = 40;
    let mut steps: Vec<Step> = (0..n)
        .map(|k| Step {
            verification: Some(Verification {
                by: None,
                days: MAX_DAYS,
            }),
            split: DEFAULT_SPLIT,
            ..step(&format!("s{k}"), MAX_DAYS)
        })
        .collect();
    steps[0].split = Split::Never;
    let mut demands: Vec<Demand> = (1..n)
        .map(|k| {
            demand(
                &format!("d{k}"),
                before(k - 1, k, Relation::FinishToStart, MAX_DAYS),
            )
        })
        .collect();
    demands.push(Demand {
        strength: Strength::PerDay(MAX_COST),
        ..demand(
            "soon",
            Rule::DoneBy {
                step: n - 1,
                day: MAX_DAYS,
            },
        )
    });
    demands.push(Demand {
        strength: Strength::Flat(MAX_COST),
        ..demand(
            "either",
            Rule::AnyOf(vec![
                Rule::NotBefore {
                    step: 0,
                    day: MAX_DAYS,
                },
                Rule::Within {
                    step: 1,
                    of: 0,
                    days: MAX_DAYS,
                },
            ]),
        )
    });
    let problem = SequenceProblem {
        steps: steps.clone(),
        demands: demands.clone(),
    };
    let SequenceAnalysis::Plan(plan) = run(&problem) else {
        panic!("a chain is feasible")
    };
    // Each step takes 2 × MAX_DAYS with its verification, and each gap MAX_DAYS.
    let expected = n as i64 * 2 * MAX_DAYS + (n as i64 - 1) * MAX_DAYS;
    assert_eq!(plan.duration, expected);
    // "Soon" is late by all but MAX_DAYS of it; "either" holds by its second alternative.
    assert_eq!(plan.cost, (expected - MAX_DAYS) as u64 * MAX_COST);

    // Close the chain into a loop: a deadlock, and its way out.
    demands.push(demand(
        "loop",
        before(n - 1, 0, Relation::FinishToStart, MAX_DAYS),
    ));
    let SequenceAnalysis::Deadlock(d) = run(&SequenceProblem { steps, demands }) else {
        panic!("a loop deadlocks")
    };
    assert_eq!(d.conflicts[0].demands.len(), n);
    // Splitting one step of the loop re-attaches the two demands on it and ends the loop. At
    // these sizes the exact search may give up, and must then say why.
    let split_one = WayOutCost {
        days: 0,
        changes: 2,
        splits: 1,
    };
    match (&d.way_out, &d.way_out_failure) {
        (Some(w), None) => assert_eq!(w.cost, split_one),
        (None, Some(why)) => {
            let why = why.to_string();
            assert!(why.contains("gave up") || why.contains("solver"));
        }
        other => panic!("{other:?}"),
    }
}

/// A loop of five steps of the largest length and gaps: the cheapest way out splits one step.
#[test]
fn a_loop_of_the_largest_steps_has_its_way_out() {
    let n = 5;
    let steps: Vec<Step> = (0..n)
        .map(|k| Step {
            verification: Some(Verification {
                by: None,
                days: MAX_DAYS,
            }),
            split: if k == 2 { DEFAULT_SPLIT } else { Split::Never },
            ..step(&format!("s{k}"), MAX_DAYS)
        })
        .collect();
    let demands: Vec<Demand> = (0..n)
        .map(|k| {
            demand(
                &format!("d{k}"),
                before(k, (k + 1) % n, Relation::FinishToStart, MAX_DAYS),
            )
        })
        .collect();
    let SequenceAnalysis::Deadlock(d) = run(&SequenceProblem { steps, demands }) else {
        panic!("a loop deadlocks")
    };
    let w = d.way_out.expect("a way out");
    assert_eq!(
        w.cost,
        WayOutCost {
            days: 0,
            changes: 2,
            splits: 1
        }
    );
    // s2's first tranche (18,250 days and its verification), then s3, s4, s0, s1, then the
    // second tranche: each step 2 × MAX_DAYS and each gap MAX_DAYS.
    assert_eq!(
        w.plan.duration,
        (MAX_DAYS / 2 + MAX_DAYS)
            + 4 * (MAX_DAYS + 2 * MAX_DAYS)
            + MAX_DAYS
            + MAX_DAYS / 2
            + MAX_DAYS
    );
}

/// Regression: the way out ended one conflict at a time, loosening by file order on a tie, and
/// so loosened two demands by 10 days where loosening the one they share by 10 ends both.
#[test]
fn the_way_out_is_cheapest_over_the_whole_deadlock() {
    let problem = SequenceProblem {
        steps: vec![step("a", 5), step("b", 5)],
        demands: vec![
            // b starts once a is done, twice over (once as a start-to-start gap)...
            demand("b-after-a", before(0, 1, Relation::FinishToStart, 0)),
            demand("b-5-days-after-a", before(0, 1, Relation::StartToStart, 5)),
            // ...while a starts once b is done.
            demand("a-after-b", before(1, 0, Relation::FinishToStart, 0)),
        ],
    };
    let SequenceAnalysis::Deadlock(d) = run(&problem) else {
        panic!("a deadlock")
    };
    assert_eq!(d.conflicts.len(), 2, "{:?}", d.conflicts);
    let w = d.way_out.expect("a way out");
    assert_eq!(
        w.actions,
        vec![Action::Relax {
            demand: 2,
            days: 10
        }]
    );
    assert_eq!(
        w.cost,
        WayOutCost {
            days: 10,
            changes: 1,
            splits: 0
        }
    );
    assert_eq!(
        reference::cheapest_way_out(&problem),
        Some((10, 1, 0, 0, 10))
    );
}

#[test]
fn malformed_problems_are_refused_not_panicked_on() {
    let ok = SequenceProblem {
        steps: vec![step("a", 1), step("b", 1)],
        demands: vec![demand("d", before(0, 1, Relation::FinishToStart, 0))],
    };
    assert!(analyze(&ok, &SequenceConfig::default()).is_ok());
    type Break = Box<dyn Fn(&mut SequenceProblem)>;
    let cases: Vec<Break> = vec![
        Box::new(|p| p.steps[0].duration = -1),
        Box::new(|p| p.steps[0].duration = i64::MAX),
        Box::new(|p| {
            p.steps[0].verification = Some(Verification {
                by: None,
                days: i64::MIN,
            })
        }),
        Box::new(|p| p.steps[0].split = Split::FirstPercent(0)),
        Box::new(|p| p.steps[0].split = Split::FirstPercent(100)),
        Box::new(|p| p.demands[0].rule = before(0, 0, Relation::FinishToStart, 0)),
        Box::new(|p| p.demands[0].rule = before(0, 7, Relation::FinishToStart, 0)),
        Box::new(|p| p.demands[0].rule = before(0, 1, Relation::StartToStart, i64::MAX)),
        Box::new(|p| {
            p.demands[0].rule = Rule::Before {
                first: 0,
                then: 1,
                relation: Relation::FinishToStart,
                min_gap: 3,
                max_gap: Some(2),
            }
        }),
        Box::new(|p| p.demands[0].rule = Rule::Together { a: 1, b: 1 }),
        Box::new(|p| {
            p.demands[0].rule = Rule::Within {
                step: 0,
                of: 1,
                days: -1,
            }
        }),
        Box::new(|p| {
            p.demands[0].rule = Rule::NotBefore {
                step: 0,
                day: i64::MIN,
            }
        }),
        Box::new(|p| {
            p.demands[0].rule = Rule::DoneBy {
                step: 0,
                day: MAX_DAYS + 1,
            }
        }),
        Box::new(|p| p.demands[0].rule = Rule::AnyOf(vec![])),
        Box::new(|p| {
            p.demands[0].rule = Rule::AnyOf(vec![
                Rule::AnyOf(vec![Rule::Together { a: 0, b: 1 }]),
                Rule::Together { a: 0, b: 1 },
            ])
        }),
        Box::new(|p| {
            p.demands[0].rule = Rule::AnyOf(vec![
                Rule::Together { a: 0, b: 1 },
                Rule::Together { a: 0, b: 1 },
            ]);
            p.demands[0].strength = Strength::PerDay(1);
        }),
        Box::new(|p| p.demands[0].strength = Strength::Flat(MAX_COST + 1)),
        Box::new(|p| p.demands[0].strength = Strength::PerDay(u64::MAX)),
    ];
    for (k, break_it) in cases.iter().enumerate() {
        let mut p = ok.clone();
        break_it(&mut p);
        assert!(
            matches!(
                analyze(&p, &SequenceConfig::default()),
                Err(SequenceError::Model(_))
            ),
            "case {k}"
        );
    }
}

//! The exact sequencing analysis against brute force on small random problems: feasibility, the
//! optimal cost and duration, the minimality of every conflict, and the fewest days of each
//! relaxation.

use concord_core::model::Provenance;
use concord_sequence::analysis::{
    analyze, Action, Cause, Deadlock, Plan, SequenceAnalysis, SequenceConfig,
};
use concord_sequence::model::*;
use concord_sequence::reference;
use proptest::prelude::*;

/// A random rule over `n` steps; rules that would relate a step to itself become "not before".
fn rule(n: usize) -> impl Strategy<Value = Rule> {
    let simple = move || {
        prop_oneof![
            4 => (0..n, 0..n, 0..3usize, -1i64..=3, prop::option::of(0i64..=3)).prop_map(
                |(first, then, rel, min_gap, extra)| Rule::Before {
                    first,
                    then,
                    relation: [
                        Relation::FinishToStart,
                        Relation::StartToStart,
                        Relation::FinishToFinish
                    ][rel],
                    min_gap,
                    max_gap: extra.map(|e| min_gap + e),
                }
            ),
            1 => (0..n, 0..n).prop_map(|(a, b)| Rule::Together { a, b }),
            1 => (0..n, 0i64..=4).prop_map(|(step, day)| Rule::NotBefore { step, day }),
            1 => (0..n, 0i64..=8).prop_map(|(step, day)| Rule::DoneBy { step, day }),
            1 => (0..n, 0..n, 0i64..=2).prop_map(|(step, of, days)| Rule::Within { step, of, days }),
        ]
        .prop_map(|r| match r {
            Rule::Before { first, then, .. } | Rule::Together { a: first, b: then }
            | Rule::Within { step: first, of: then, .. }
                if first == then =>
            {
                Rule::NotBefore { step: first, day: 1 }
            }
            r => r,
        })
    };
    prop_oneof![
        5 => simple(),
        1 => prop::collection::vec(simple(), 2..=3).prop_map(Rule::AnyOf),
    ]
}

/// Hard demands `hard` times in `hard + 2`, the rest soft, priced per day or flat.
fn strength(hard: u32) -> impl Strategy<Value = Strength> {
    prop_oneof![
        hard => Just(Strength::Hard),
        1 => (1u64..=3).prop_map(Strength::PerDay),
        1 => (1u64..=5).prop_map(Strength::Flat),
    ]
}

fn problem(hard: u32) -> impl Strategy<Value = SequenceProblem> {
    (1usize..=4).prop_flat_map(move |n| {
        (
            prop::collection::vec((0i64..=3, prop::option::of(0i64..=2), any::<bool>()), n),
            prop::collection::vec((rule(n), strength(hard)), 1..=7),
        )
            .prop_map(|(steps, demands)| SequenceProblem {
                steps: steps
                    .into_iter()
                    .enumerate()
                    .map(|(k, (duration, verification, split))| Step {
                        id: format!("s{k}"),
                        name: format!("S{k}"),
                        parties: vec![],
                        duration,
                        verification: verification.map(|days| Verification { by: None, days }),
                        split: if split { DEFAULT_SPLIT } else { Split::Never },
                        provenance: Provenance::default(),
                    })
                    .collect(),
                demands: demands
                    .into_iter()
                    .enumerate()
                    .map(|(k, (rule, strength))| Demand {
                        id: format!("d{k}"),
                        party: 0,
                        strength: match (&rule, strength) {
                            // A choice cannot be priced per day.
                            (Rule::AnyOf(_), Strength::PerDay(c)) => Strength::Flat(c),
                            (_, s) => s,
                        },
                        rule,
                        note: None,
                        provenance: Provenance::default(),
                    })
                    .collect(),
            })
    })
}

/// Two or three short splittable steps with "before" demands among them, most of them hard,
/// so that small cycles, and their tranche splits, are common.
fn cycles() -> impl Strategy<Value = SequenceProblem> {
    (2usize..=3).prop_flat_map(|n| {
        (
            prop::collection::vec((2i64..=3, prop::option::of(0i64..=1)), n),
            prop::collection::vec((0..n, 0..n, 0..3usize, 0i64..=1, strength(6)), 2..=4),
        )
            .prop_map(move |(steps, demands)| SequenceProblem {
                steps: steps
                    .into_iter()
                    .enumerate()
                    .map(|(k, (duration, verification))| Step {
                        id: format!("s{k}"),
                        name: format!("S{k}"),
                        parties: vec![],
                        duration,
                        verification: verification.map(|days| Verification { by: None, days }),
                        split: DEFAULT_SPLIT,
                        provenance: Provenance::default(),
                    })
                    .collect(),
                demands: demands
                    .into_iter()
                    .enumerate()
                    .map(|(k, (first, then, rel, min_gap, strength))| Demand {
                        id: format!("d{k}"),
                        party: 0,
                        rule: if first == then {
                            Rule::NotBefore {
                                step: first,
                                day: min_gap,
                            }
                        } else {
                            Rule::Before {
                                first,
                                then,
                                relation: [
                                    Relation::FinishToStart,
                                    Relation::StartToStart,
                                    Relation::FinishToFinish,
                                ][rel],
                                min_gap,
                                max_gap: None,
                            }
                        },
                        strength,
                        note: None,
                        provenance: Provenance::default(),
                    })
                    .collect(),
            })
    })
}

/// Two or three short steps, most of which may be split, with hard demands of every kind among
/// them and a soft one now and then: deadlocks whose cheapest way out mixes splits, re-attached
/// demands and loosened ones, small enough for the brute force to search every way out.
fn way_outs() -> impl Strategy<Value = SequenceProblem> {
    (2usize..=3).prop_flat_map(|n| {
        let rule = move || {
            prop_oneof![
                5 => (0..n, 0..n, 0..3usize, 0i64..=1, prop::option::of(0i64..=1)).prop_map(
                    |(first, then, rel, min_gap, extra)| Rule::Before {
                        first,
                        then,
                        relation: [
                            Relation::FinishToStart,
                            Relation::StartToStart,
                            Relation::FinishToFinish
                        ][rel],
                        min_gap,
                        max_gap: extra.filter(|&e| e == 1).map(|e| min_gap + e),
                    }
                ),
                1 => (0..n, 0..n).prop_map(|(a, b)| Rule::Together { a, b }),
                1 => (0..n, 0i64..=2).prop_map(|(step, day)| Rule::NotBefore { step, day }),
                1 => (0..n, 2i64..=5).prop_map(|(step, day)| Rule::DoneBy { step, day }),
                1 => (0..n, 0..n, 0i64..=1).prop_map(|(step, of, days)| Rule::Within { step, of, days }),
            ]
            .prop_map(|r| match r {
                Rule::Before { first, then, .. } | Rule::Together { a: first, b: then }
                | Rule::Within { step: first, of: then, .. }
                    if first == then =>
                {
                    Rule::NotBefore { step: first, day: 1 }
                }
                r => r,
            })
        };
        (
            prop::collection::vec((1i64..=3, prop::option::of(1i64..=1), 0..4u8), n),
            prop::collection::vec((rule(), strength(8)), 3..=5),
        )
            .prop_map(move |(steps, demands)| SequenceProblem {
                steps: steps
                    .into_iter()
                    .enumerate()
                    .map(|(k, (duration, verification, split))| Step {
                        id: format!("s{k}"),
                        name: format!("S{k}"),
                        parties: vec![],
                        duration,
                        verification: verification.map(|days| Verification { by: None, days }),
                        // Two steps that may be split among three would put the brute force
                        // out of reach.
                        split: if split == 0 || (n == 3 && k > 0) {
                            Split::Never
                        } else {
                            DEFAULT_SPLIT
                        },
                        provenance: Provenance::default(),
                    })
                    .collect(),
                demands: demands
                    .into_iter()
                    .enumerate()
                    .map(|(k, (rule, strength))| Demand {
                        id: format!("d{k}"),
                        party: 0,
                        rule,
                        strength,
                        note: None,
                        provenance: Provenance::default(),
                    })
                    .collect(),
            })
    })
}

/// How many schedules the brute force of the way out visits.
fn way_out_work(p: &SequenceProblem) -> f64 {
    let candidates: Vec<(usize, i64)> = (0..p.steps.len())
        .filter_map(|s| p.steps[s].first_tranche().map(|f| (s, f)))
        .collect();
    let mut total = 0.0;
    for mask in 0u32..(1 << candidates.len()) {
        let splits: Vec<reference::SplitOf> = candidates
            .iter()
            .enumerate()
            .filter(|(k, _)| mask & (1 << k) != 0)
            .map(|(_, &(step, first))| reference::SplitOf {
                step,
                first,
                attached: vec![],
            })
            .collect();
        let limit = reference::changed_horizon(p, &splits) as f64;
        total += (limit + 1.0).powi((p.steps.len() + splits.len()) as i32);
    }
    total
}

/// The way out is the cheapest over every way out (brute force), and it is one: its changes,
/// made as the demands' meaning says, let its plan meet every hard demand, at the plan's cost
/// and duration.
fn check_way_out(p: &SequenceProblem, deadlock: &Deadlock) -> Result<(), TestCaseError> {
    let w = deadlock
        .way_out
        .as_ref()
        .expect("small problems get a way out");
    let n = p.steps.len();
    let mut relax = Vec::new();
    let mut splits = Vec::new();
    for a in &w.actions {
        match a {
            Action::Relax { demand, days } => {
                prop_assert!(*days >= 1);
                prop_assert!(p.demands[*demand].strength.is_hard());
                relax.push((*demand, *days));
            }
            Action::Split {
                step,
                first_days,
                second_days,
                attached,
            } => {
                prop_assert_eq!(Some(*first_days), p.steps[*step].first_tranche());
                prop_assert_eq!(first_days + second_days, p.steps[*step].duration);
                splits.push(reference::SplitOf {
                    step: *step,
                    first: *first_days,
                    attached: attached.clone(),
                });
            }
        }
    }
    // The cost it claims is the cost of its changes.
    let mut changed: Vec<DemandIx> = relax.iter().map(|r| r.0).collect();
    changed.extend(splits.iter().flat_map(|s| s.attached.iter().copied()));
    changed.sort_unstable();
    changed.dedup();
    prop_assert_eq!(w.cost.days, relax.iter().map(|r| r.1).sum::<i64>());
    prop_assert_eq!(w.cost.changes, changed.len());
    prop_assert_eq!(w.cost.splits, splits.len());
    // Its plan meets every hard demand so changed, at the cost and duration it reports.
    let s: Vec<i64> = w.plan.steps.iter().map(|ps| ps.start).collect();
    prop_assert_eq!(s.len(), n + splits.len());
    prop_assert_eq!(
        reference::way_out_plan(p, &relax, &splits, &s),
        Some((w.plan.cost, w.plan.duration)),
        "{:?}",
        w
    );
    // No way out is cheaper, nor, at its cost, has a better plan.
    prop_assert_eq!(
        reference::cheapest_way_out(p),
        Some((
            w.cost.days,
            w.cost.changes,
            w.cost.splits,
            w.plan.cost,
            w.plan.duration
        )),
        "{:?}",
        w
    );
    Ok(())
}

fn starts(plan: &Plan, n: usize) -> Vec<i64> {
    assert!(plan.steps.len() >= n);
    plan.steps[..n].iter().map(|s| s.start).collect()
}

fn hard(p: &SequenceProblem) -> Vec<DemandIx> {
    (0..p.demands.len())
        .filter(|&d| p.demands[d].strength.is_hard())
        .collect()
}

fn without(set: &[DemandIx], d: DemandIx) -> Vec<DemandIx> {
    set.iter().copied().filter(|&e| e != d).collect()
}

/// Checks a plan of the unchanged problem: it meets every hard demand, and its cost and
/// duration are what the demands' meaning gives for its starts.
fn check_plan(p: &SequenceProblem, plan: &Plan) {
    let s = starts(plan, p.steps.len());
    assert_eq!(reference::cost(p, &s), Some(plan.cost), "{plan:?}");
    assert_eq!(reference::duration(p, &s), plan.duration);
    for b in &plan.broken {
        assert_eq!(
            reference::violation(p, &p.demands[b.demand].rule, 0, &s),
            b.days
        );
    }
    // Phases partition the steps by start day, in day order.
    let listed: usize = plan.phases.iter().map(|ph| ph.steps.len()).sum();
    assert_eq!(listed, plan.steps.len());
    for w in plan.phases.windows(2) {
        assert!(w[0].day < w[1].day);
    }
    for ph in &plan.phases {
        assert!(ph.steps.iter().all(|&k| plan.steps[k].start == ph.day));
    }
    // Each link of the critical path is what its cause says: day 0 starts a step on day 0, a
    // 2nd tranche starts the day its 1st is done, and a demand ties a step to another's event
    // or, for "not before day N", to the calendar.
    for link in &plan.critical_path {
        match link.cause {
            Cause::DayZero => assert_eq!(plan.steps[link.step].start, 0),
            Cause::TrancheOrder => assert_eq!(
                plan.steps[link.step].start,
                plan.steps[link.after.expect("a tranche follows its 1st")].done
            ),
            // Only "not before day N" ties a step to the calendar's start.
            Cause::Demand(d) if link.after.is_none() => {
                let calendar = |r: &Rule| matches!(r, Rule::NotBefore { .. });
                match &p.demands[d].rule {
                    Rule::AnyOf(rules) => assert!(rules.iter().any(calendar)),
                    r => assert!(calendar(r), "{r:?}"),
                }
            }
            Cause::Demand(_) => {}
        }
    }
    // The critical path starts at day 0's doing and ends with the step done last.
    if let Some(last) = plan.critical_path.last() {
        assert_eq!(plan.steps[last.step].done, plan.duration);
        assert_eq!(plan.critical_path[0].after, None);
        for w in plan.critical_path.windows(2) {
            assert_eq!(w[1].after, Some(w[0].step));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Mostly feasible problems with soft demands and choices: the optimum.
    #[test]
    fn mixed_problems_match_brute_force(p in problem(4)) {
        check(&p)?;
    }

    /// Small cycles of "before" demands between steps that can be split: tranche splits.
    #[test]
    fn tranche_splits_match_brute_force(p in cycles()) {
        check(&p)?;
    }

    /// Mostly hard demands, so that many problems deadlock: conflicts and relaxations.
    #[test]
    fn deadlocked_problems_match_brute_force(p in problem(30)) {
        check(&p)?;
    }
}

proptest! {
    // About a quarter of these problems deadlock; the rest check that no way out is needed.
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Deadlocks of every kind of demand over steps that may be split: the way out is the
    /// cheapest, against a brute force over every way out.
    #[test]
    fn the_way_out_is_the_cheapest(p in way_outs()) {
        // Most problems are within the brute force's reach; proptest fails the test if too
        // many are not.
        prop_assume!(way_out_work(&p) <= 3e5);
        let result = analyze(&p, &SequenceConfig::default()).expect("valid problems are analysed");
        match &result {
            SequenceAnalysis::Deadlock(deadlock) => check_way_out(&p, deadlock)?,
            SequenceAnalysis::Plan(_) => prop_assert_eq!(reference::cheapest_way_out(&p), None),
        }
    }
}

fn check(p: &SequenceProblem) -> Result<(), TestCaseError> {
    {
        // Keep the brute force's box small enough to search.
        prop_assume!(((reference::horizon(p) + 1) as f64).powi(p.steps.len() as i32) <= 3e5);
        let p = p.clone();
        let config = SequenceConfig::default();
        let result = analyze(&p, &config).expect("valid problems are analysed");
        // Determinism: the same problem gives the same answer.
        prop_assert_eq!(&result, &analyze(&p, &config).unwrap());
        let hard = hard(&p);
        match &result {
            SequenceAnalysis::Plan(plan) => {
                prop_assert_eq!(reference::optimum(&p), Some((plan.cost, plan.duration)));
                check_plan(&p, plan);
            }
            SequenceAnalysis::Deadlock(deadlock) => {
                prop_assert_eq!(reference::optimum(&p), None);
                prop_assert!(!reference::feasible(&p, &hard, None));
                prop_assert!(!deadlock.conflicts.is_empty());
                prop_assert!(deadlock.complete);
                let mut set_aside = Vec::new();
                for conflict in &deadlock.conflicts {
                    let c = &conflict.demands;
                    prop_assert!(c.iter().all(|&d| p.demands[d].strength.is_hard()));
                    // Irreducible: infeasible, and feasible less any one member.
                    prop_assert!(!reference::feasible(&p, c, None), "{:?}", c);
                    for &d in c {
                        prop_assert!(
                            reference::feasible(&p, &without(c, d), None),
                            "{:?} less {}",
                            c,
                            d
                        );
                    }
                    prop_assert_eq!(conflict.relaxations.len(), c.len());
                    for r in &conflict.relaxations {
                        // The fewest days that remove the conflict.
                        prop_assert!(r.days >= 1);
                        prop_assert!(reference::feasible(&p, c, Some((r.demand, r.days))));
                        prop_assert!(!reference::feasible(&p, c, Some((r.demand, r.days - 1))));
                        match r.plan_days {
                            Some(n) => {
                                prop_assert!(reference::feasible(&p, &hard, Some((r.demand, n))));
                                prop_assert!(!reference::feasible(
                                    &p,
                                    &hard,
                                    Some((r.demand, n - 1))
                                ));
                                let plan = r.plan.as_ref().expect("a plan when a plan exists");
                                let s = starts(plan, p.steps.len());
                                prop_assert_eq!(
                                    reference::violation(&p, &p.demands[r.demand].rule, n, &s),
                                    0
                                );
                                for &d in &hard {
                                    if d != r.demand {
                                        prop_assert_eq!(
                                            reference::violation(&p, &p.demands[d].rule, 0, &s),
                                            0
                                        );
                                    }
                                }
                            }
                            None => {
                                prop_assert!(!reference::feasible(
                                    &p,
                                    &without(&hard, r.demand),
                                    None
                                ));
                            }
                        }
                    }
                    for split in &conflict.splits {
                        prop_assert!(split.plan.is_none() || split.removes_conflict);
                        let spec = reference::SplitSpec {
                            step: split.step,
                            first: split.first_days,
                            reciprocal: c.clone(),
                        };
                        let limit = reference::split_horizon(&p, &spec);
                        if ((limit + 1) as f64).powi(p.steps.len() as i32 + 1) <= 3e5 {
                            let optimum = reference::split_optimum(&p, &spec, limit);
                            prop_assert_eq!(
                                optimum,
                                split.plan.as_ref().map(|plan| (plan.cost, plan.duration)),
                                "split of {} in {:?}",
                                split.step,
                                c
                            );
                        }
                        prop_assert_eq!(
                            split.first_days + split.second_days,
                            p.steps[split.step].duration
                        );
                        if let Some(plan) = &split.plan {
                            prop_assert_eq!(plan.steps.len(), p.steps.len() + 1);
                            prop_assert_eq!(plan.steps[split.step].tranche, Some(1));
                            prop_assert_eq!(plan.steps[p.steps.len()].tranche, Some(2));
                            // The second tranche starts once the first is done.
                            prop_assert!(
                                plan.steps[p.steps.len()].start >= plan.steps[split.step].done
                            );
                        }
                    }
                    set_aside.push(conflict.set_aside);
                    prop_assert!(c.contains(&conflict.set_aside));
                }
                if way_out_work(&p) <= 3e5 {
                    check_way_out(&p, deadlock)?;
                }
                // Setting aside one demand per conflict leaves a feasible set.
                let rest: Vec<DemandIx> = hard
                    .iter()
                    .copied()
                    .filter(|d| !set_aside.contains(d))
                    .collect();
                prop_assert!(reference::feasible(&p, &rest, None));
            }
        }
    }
    Ok(())
}

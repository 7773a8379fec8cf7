//! Brute-force twins of the sequencing analyses, for the property tests: every schedule of whole
//! days in a box is tried. Demands are evaluated here straight from their stated meaning
//! (docs/sequencing.md), not through the bounds the solvers use, so that the two can disagree.
//!
//! Why the box is enough: for any schedule, the least schedule meeting the same demands (with
//! each soft demand broken by no more than before) is no worse on cost and duration, and it is a
//! longest path from day 0 in the constraint graph, so no start exceeds the sum of the positive
//! edge weights, [`horizon`].

use crate::model::{DemandIx, Point, Rule, SequenceProblem, Strength};

fn done(p: &SequenceProblem, s: usize, starts: &[i64]) -> i64 {
    starts[s] + p.steps[s].span()
}

/// The part an event plays in a condition of a demand: the event the condition measures from
/// (`Earlier`), the event it constrains (`Later`), or an event measured against the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The event others are measured from.
    Earlier,
    /// The event that must come after.
    Later,
    /// An event compared with a day number.
    Calendar,
}

/// By how many days `rule`, loosened by `relax` days, is broken (0 when it holds), with `ev`
/// giving the day of each event in its role: the largest shortfall of the rule's conditions,
/// and for a choice the least over its alternatives.
pub fn violation_with(rule: &Rule, relax: i64, ev: &dyn Fn(usize, Point, Role) -> i64) -> i64 {
    use Role::*;
    match *rule {
        Rule::Before {
            first,
            then,
            relation,
            min_gap,
            max_gap,
        } => {
            let (pa, pb) = relation.points();
            // `then` at least `min_gap` after `first`...
            let short = (min_gap - relax) - (ev(then, pb, Later) - ev(first, pa, Earlier));
            // ...and at most `max_gap` after it: here `first` is the one that must not lag.
            let long = max_gap.map_or(0, |m| {
                (ev(then, pb, Earlier) - ev(first, pa, Later)) - (m + relax)
            });
            short.max(long).max(0)
        }
        Rule::Together { a, b } => {
            let ab = ev(a, Point::Start, Earlier) - ev(b, Point::Start, Later);
            let ba = ev(b, Point::Start, Earlier) - ev(a, Point::Start, Later);
            (ab.max(ba) - relax).max(0)
        }
        Rule::NotBefore { step, day } => ((day - relax) - ev(step, Point::Start, Calendar)).max(0),
        Rule::DoneBy { step, day } => (ev(step, Point::Done, Calendar) - (day + relax)).max(0),
        Rule::Within { step, of, days } => {
            (ev(step, Point::Start, Earlier) - (ev(of, Point::Done, Later) + days + relax)).max(0)
        }
        Rule::AnyOf(ref rules) => rules
            .iter()
            .map(|r| violation_with(r, relax, ev))
            .min()
            .unwrap_or(0),
    }
}

/// By how many days `rule`, loosened by `relax` days, is broken by a schedule (0 when it holds).
pub fn violation(p: &SequenceProblem, rule: &Rule, relax: i64, starts: &[i64]) -> i64 {
    violation_with(rule, relax, &|s, point, _| match point {
        Point::Start => starts[s],
        Point::Done => done(p, s, starts),
    })
}

/// A step split into two tranches, as docs/sequencing.md describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitSpec {
    /// The step.
    pub step: usize,
    /// Days of work in the first tranche; the second (a new last step) has the rest.
    pub first: i64,
    /// The demands of the conflict, whose roles decide the tranche they bind.
    pub reciprocal: Vec<DemandIx>,
}

/// The day of an event of the split problem (`starts` has one more entry, the 2nd tranche).
fn split_event(
    p: &SequenceProblem,
    spec: &SplitSpec,
    d: DemandIx,
    starts: &[i64],
    s: usize,
    point: Point,
    role: Role,
) -> i64 {
    if s != spec.step {
        return match point {
            Point::Start => starts[s],
            Point::Done => done(p, s, starts),
        };
    }
    let tranche = if spec.reciprocal.contains(&d) && role != Role::Calendar {
        if role == Role::Earlier {
            1
        } else {
            2
        }
    } else if point == Point::Start {
        1
    } else {
        2
    };
    tranche_event(p, spec, starts, tranche, point)
}

fn tranche_event(
    p: &SequenceProblem,
    spec: &SplitSpec,
    starts: &[i64],
    tranche: u8,
    point: Point,
) -> i64 {
    let step = &p.steps[spec.step];
    let verification = step.verification.as_ref().map_or(0, |v| v.days);
    let (start, work) = if tranche == 1 {
        (starts[spec.step], spec.first)
    } else {
        (starts[p.steps.len()], step.duration - spec.first)
    };
    match point {
        Point::Start => start,
        Point::Done => start + work + verification,
    }
}

/// The cost of a schedule of the split problem; `None` when it breaks a hard demand or starts
/// the 2nd tranche before the 1st is done.
pub fn split_cost(p: &SequenceProblem, spec: &SplitSpec, starts: &[i64]) -> Option<u64> {
    if tranche_event(p, spec, starts, 2, Point::Start)
        < tranche_event(p, spec, starts, 1, Point::Done)
    {
        return None;
    }
    let mut total = 0;
    for (d, demand) in p.demands.iter().enumerate() {
        let v = violation_with(&demand.rule, 0, &|s, point, role| {
            split_event(p, spec, d, starts, s, point, role)
        });
        if v > 0 {
            match demand.strength {
                Strength::Hard => return None,
                Strength::PerDay(c) => total += c * v as u64,
                Strength::Flat(c) => total += c,
            }
        }
    }
    Some(total)
}

/// The day the last step or tranche of the split problem is done.
pub fn split_duration(p: &SequenceProblem, spec: &SplitSpec, starts: &[i64]) -> i64 {
    (0..p.steps.len())
        .filter(|&s| s != spec.step)
        .map(|s| done(p, s, starts))
        .chain([1, 2].map(|t| tranche_event(p, spec, starts, t, Point::Done)))
        .max()
        .unwrap_or(0)
}

/// A box for the split problem's brute force: the unsplit horizon, plus the step's span for
/// every condition that can name it and once for the order of the tranches.
pub fn split_horizon(p: &SequenceProblem, spec: &SplitSpec) -> i64 {
    let conditions: i64 = p
        .demands
        .iter()
        .map(|d| {
            d.rule
                .alternatives()
                .iter()
                .map(|a| a.len() as i64)
                .sum::<i64>()
        })
        .sum();
    horizon(p) + (2 * conditions + 1) * p.steps[spec.step].span()
}

/// The lexicographic optimum `(cost, duration)` of the split problem, with starts in
/// `0..=limit`.
pub fn split_optimum(p: &SequenceProblem, spec: &SplitSpec, limit: i64) -> Option<(u64, i64)> {
    let mut best: Option<(u64, i64)> = None;
    schedules(p.steps.len() + 1, limit, |starts| {
        if let Some(c) = split_cost(p, spec, starts) {
            let key = (c, split_duration(p, spec, starts));
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
    });
    best
}

/// The sum, over every condition of every demand, of the most days it can push one event past
/// another: a bound on the starts of an optimal least schedule.
pub fn horizon(p: &SequenceProblem) -> i64 {
    let span = |s: usize| p.steps[s].span();
    let off = |s: usize, point: Point| match point {
        Point::Start => 0,
        Point::Done => span(s),
    };
    let mut total = 0;
    let mut add = |w: i64| total += w.max(0);
    fn walk(rule: &Rule, f: &mut dyn FnMut(&Rule)) {
        match rule {
            Rule::AnyOf(rules) => rules.iter().for_each(|r| walk(r, f)),
            r => f(r),
        }
    }
    for d in &p.demands {
        walk(&d.rule, &mut |r| match *r {
            Rule::Before {
                first,
                then,
                relation,
                min_gap,
                max_gap,
            } => {
                let (pa, pb) = relation.points();
                add(min_gap + off(first, pa) - off(then, pb));
                if let Some(m) = max_gap {
                    add(-m + off(then, pb) - off(first, pa));
                }
            }
            Rule::NotBefore { day, .. } => add(day),
            // "Done by day N" is an edge from the step back to day 0 of weight span - N.
            Rule::DoneBy { step, day } => add(span(step) - day),
            // "Within" and "together" have weights of at most 0.
            Rule::Within { .. } | Rule::Together { .. } | Rule::AnyOf(_) => {}
        });
    }
    total
}

/// Every schedule with starts in `0..=limit`, in lexicographic order of starts.
fn schedules(n: usize, limit: i64, mut f: impl FnMut(&[i64])) {
    let mut starts = vec![0i64; n];
    loop {
        f(&starts);
        let mut k = 0;
        loop {
            if k == n {
                return;
            }
            if starts[k] < limit {
                starts[k] += 1;
                break;
            }
            starts[k] = 0;
            k += 1;
        }
    }
}

/// Whether the demands `set`, taken as hard, with demand `relax.0` loosened by `relax.1` days,
/// can all hold.
pub fn feasible(p: &SequenceProblem, set: &[DemandIx], relax: Option<(DemandIx, i64)>) -> bool {
    let mut found = false;
    schedules(p.steps.len(), horizon(p), |starts| {
        if !found {
            found = set.iter().all(|&d| {
                let r = relax.filter(|r| r.0 == d).map_or(0, |r| r.1);
                violation(p, &p.demands[d].rule, r, starts) == 0
            });
        }
    });
    found
}

/// The cost of the soft demands a schedule breaks; `None` when it breaks a hard demand.
pub fn cost(p: &SequenceProblem, starts: &[i64]) -> Option<u64> {
    let mut total = 0;
    for d in &p.demands {
        let v = violation(p, &d.rule, 0, starts);
        if v > 0 {
            match d.strength {
                Strength::Hard => return None,
                Strength::PerDay(c) => total += c * v as u64,
                Strength::Flat(c) => total += c,
            }
        }
    }
    Some(total)
}

/// The day the last step is done.
pub fn duration(p: &SequenceProblem, starts: &[i64]) -> i64 {
    (0..p.steps.len())
        .map(|s| done(p, s, starts))
        .max()
        .unwrap_or(0)
}

/// The lexicographic optimum `(cost, duration)` over every schedule, or `None` when the hard
/// demands cannot all hold.
pub fn optimum(p: &SequenceProblem) -> Option<(u64, i64)> {
    let mut best: Option<(u64, i64)> = None;
    schedules(p.steps.len(), horizon(p), |starts| {
        if let Some(c) = cost(p, starts) {
            let key = (c, duration(p, starts));
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
    });
    best
}

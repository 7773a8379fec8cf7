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

/// A step split by a way out: its first tranche's days, and the demands re-attached to its
/// tranches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitOf {
    /// The step.
    pub step: usize,
    /// Days of work of the first tranche.
    pub first: i64,
    /// The demands re-attached reciprocally.
    pub attached: Vec<DemandIx>,
}

/// The day of an event once the steps of `splits` are split (the 2nd tranche of `splits[j]`
/// starts on `starts[steps + j]`), for a demand re-attached on the split steps where
/// `reattached(step)` says so: re-attached, the event it waits for is the 1st tranche's and the
/// event that waits is the 2nd's; otherwise, and against the calendar, the step starts when its
/// 1st tranche starts and is done when its 2nd is.
fn changed_event(
    p: &SequenceProblem,
    splits: &[SplitOf],
    reattached: &dyn Fn(usize) -> bool,
    starts: &[i64],
    s: usize,
    point: Point,
    role: Role,
) -> i64 {
    let Some(j) = splits.iter().position(|sp| sp.step == s) else {
        return match point {
            Point::Start => starts[s],
            Point::Done => done(p, s, starts),
        };
    };
    let tranche = match (reattached(s), role, point) {
        (true, Role::Earlier, _) => 1,
        (true, Role::Later, _) => 2,
        (_, _, Point::Start) => 1,
        (_, _, Point::Done) => 2,
    };
    let step = &p.steps[s];
    let verification = step.verification.as_ref().map_or(0, |v| v.days);
    let (start, work) = if tranche == 1 {
        (starts[s], splits[j].first)
    } else {
        (starts[p.steps.len() + j], step.duration - splits[j].first)
    };
    match point {
        Point::Start => start,
        Point::Done => start + work + verification,
    }
}

/// Whether every 2nd tranche starts once its 1st is done.
fn tranches_in_order(p: &SequenceProblem, splits: &[SplitOf], starts: &[i64]) -> bool {
    splits.iter().enumerate().all(|(j, sp)| {
        let v = p.steps[sp.step].verification.as_ref().map_or(0, |v| v.days);
        starts[p.steps.len() + j] >= starts[sp.step] + sp.first + v
    })
}

/// The day the last step or tranche is done.
fn changed_duration(p: &SequenceProblem, splits: &[SplitOf], starts: &[i64]) -> i64 {
    (0..p.steps.len())
        .map(|s| {
            changed_event(
                p,
                splits,
                &|_| false,
                starts,
                s,
                Point::Done,
                Role::Calendar,
            )
        })
        .max()
        .unwrap_or(0)
}

/// A box for the starts of a least schedule once `splits` are made and any demands loosened:
/// every condition adds at most its gap plus the span of the step it waits for, and every split
/// the order of its two tranches. Loosening only lowers these.
pub fn changed_horizon(p: &SequenceProblem, splits: &[SplitOf]) -> i64 {
    let span = |s: usize| p.steps[s].span();
    let off = |s: usize, point: Point| if point == Point::Done { span(s) } else { 0 };
    let mut total: i64 = splits.iter().map(|sp| span(sp.step)).sum();
    fn walk(rule: &Rule, f: &mut dyn FnMut(&Rule)) {
        match rule {
            Rule::AnyOf(rules) => rules.iter().for_each(|r| walk(r, f)),
            r => f(r),
        }
    }
    for d in &p.demands {
        walk(&d.rule, &mut |r| {
            total += match *r {
                Rule::Before {
                    first,
                    then,
                    relation,
                    min_gap,
                    max_gap,
                } => {
                    let (pa, pb) = relation.points();
                    (min_gap + off(first, pa)).max(0)
                        + max_gap.map_or(0, |m| (off(then, pb) - m).max(0))
                }
                Rule::NotBefore { day, .. } => day.max(0),
                Rule::DoneBy { step, day } => (span(step) - day).max(0),
                Rule::Within { .. } | Rule::Together { .. } | Rule::AnyOf(_) => 0,
            }
        });
    }
    total
}

/// The key of a way out as docs/sequencing.md orders them: days of loosening in all, hard
/// demands changed, steps split, then the plan's cost of broken soft demands and its duration.
pub type WayOutKey = (i64, usize, usize, u64, i64);

/// The least [`WayOutKey`] over every way out, by brute force: every set of steps to split,
/// every schedule of whole days in the box; for each, every hard demand is taken re-attached
/// or not, whichever needs fewer days (then: is not a change), and loosened by exactly the days
/// the schedule breaks it by. `None` when the hard demands already hold (no way out is needed).
pub fn cheapest_way_out(p: &SequenceProblem) -> Option<WayOutKey> {
    let n = p.steps.len();
    if feasible(
        p,
        &(0..p.demands.len())
            .filter(|&d| p.demands[d].strength.is_hard())
            .collect::<Vec<_>>(),
        None,
    ) {
        return None;
    }
    let candidates: Vec<(usize, i64)> = (0..n)
        .filter_map(|s| p.steps[s].first_tranche().map(|f| (s, f)))
        .collect();
    let mut best: Option<WayOutKey> = None;
    for mask in 0u32..(1 << candidates.len()) {
        let splits: Vec<SplitOf> = candidates
            .iter()
            .enumerate()
            .filter(|(k, _)| mask & (1 << k) != 0)
            .map(|(_, &(step, first))| SplitOf {
                step,
                first,
                attached: Vec::new(),
            })
            .collect();
        let limit = changed_horizon(p, &splits);
        schedules(n + splits.len(), limit, |starts| {
            if !tranches_in_order(p, &splits, starts) {
                return;
            }
            let (mut days, mut changes, mut cost) = (0i64, 0usize, 0u64);
            for demand in &p.demands {
                let whole = violation_with(&demand.rule, 0, &|s, point, role| {
                    changed_event(p, &splits, &|_| false, starts, s, point, role)
                });
                match demand.strength {
                    Strength::Hard => {
                        let names_split = demand
                            .rule
                            .steps()
                            .iter()
                            .any(|s| splits.iter().any(|sp| sp.step == *s));
                        let mut option = (whole, usize::from(whole > 0));
                        if names_split {
                            let re = violation_with(&demand.rule, 0, &|s, point, role| {
                                changed_event(p, &splits, &|_| true, starts, s, point, role)
                            });
                            option = option.min((re, 1));
                        }
                        days += option.0;
                        changes += option.1;
                    }
                    Strength::PerDay(c) => cost += c * whole as u64,
                    Strength::Flat(c) => cost += if whole > 0 { c } else { 0 },
                }
            }
            let key = (
                days,
                changes,
                splits.len(),
                cost,
                changed_duration(p, &splits, starts),
            );
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        });
    }
    best
}

/// Checks a way out against the demands' meaning: with `relax` (demand, days) and `splits`
/// made, the schedule `starts` (the 2nd tranche of `splits[j]` at `steps + j`) keeps the
/// tranches in order and meets every hard demand; returns its cost of broken soft demands and
/// its duration, or `None` when it breaks a hard demand.
pub fn way_out_plan(
    p: &SequenceProblem,
    relax: &[(DemandIx, i64)],
    splits: &[SplitOf],
    starts: &[i64],
) -> Option<(u64, i64)> {
    if !tranches_in_order(p, splits, starts) {
        return None;
    }
    let mut cost = 0;
    for (d, demand) in p.demands.iter().enumerate() {
        let r = relax.iter().find(|x| x.0 == d).map_or(0, |x| x.1);
        let on = |s: usize| {
            splits
                .iter()
                .any(|sp| sp.step == s && sp.attached.contains(&d))
        };
        let v = violation_with(&demand.rule, r, &|s, point, role| {
            changed_event(p, splits, &on, starts, s, point, role)
        });
        if v > 0 {
            match demand.strength {
                Strength::Hard => return None,
                Strength::PerDay(c) => cost += c * v as u64,
                Strength::Flat(c) => cost += c,
            }
        }
    }
    Some((cost, changed_duration(p, splits, starts)))
}

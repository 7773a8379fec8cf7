//! The sequencing model: steps, the demands parties make on their order, and the bounds (difference
//! constraints between events) that every demand means.
//!
//! Time is counted in whole days from day 0, the first day of the plan. A step has a *start* and a
//! *done* event: done = start + duration + the monitor's verification, when the step needs one, so
//! "after A" always means after A is verified. Every demand is a set of [`Bound`]s ("this event
//! happens at least `min` days after that one"), or a choice between such sets.

use concord_core::model::{PartyIx, Provenance};

/// Index of a step in [`SequenceProblem::steps`].
pub type StepIx = usize;
/// Index of a demand in [`SequenceProblem::demands`].
pub type DemandIx = usize;

/// The largest number of days any duration, gap or day number may have (about 100 years). It
/// keeps every sum of them exact in `i64` and in the MILP's `f64`.
pub const MAX_DAYS: i64 = 36_500;
/// The largest cost a soft demand may have, per day or flat.
pub const MAX_COST: u64 = 1_000_000;

/// One joint step of a plan: a withdrawal, a ceasefire, an election, sanctions relief.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Short name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The parties responsible for carrying it out.
    pub parties: Vec<PartyIx>,
    /// How many days the step takes (0 for a one-off act such as a signature).
    pub duration: i64,
    /// The monitor's verification that follows the step, if it needs one.
    pub verification: Option<Verification>,
    /// Whether the step may be split into reciprocal tranches.
    pub split: Split,
    /// Where the step comes from.
    pub provenance: Provenance,
}

impl Step {
    /// Days from the step's start until it is done: its duration plus its verification.
    pub fn span(&self) -> i64 {
        self.duration + self.verification.as_ref().map_or(0, |v| v.days)
    }

    /// The days of work of the first tranche when the step may be split: its share of the
    /// duration rounded to the nearest day, at least 1 and leaving at least 1 for the second;
    /// `None` when the step may not be split or lasts under 2 days.
    pub fn first_tranche(&self) -> Option<i64> {
        let Split::FirstPercent(p) = self.split else {
            return None;
        };
        let d = self.duration;
        (d >= 2).then(|| ((d * i64::from(p) + 50) / 100).clamp(1, d - 1))
    }
}

/// A monitor's verification of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The monitor, when the scenario names one.
    pub by: Option<PartyIx>,
    /// How many days the verification takes after the step's own duration.
    pub days: i64,
}

/// Whether a step may be split into two tranches to break a deadlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The step cannot be split (an election held in one go, a signature).
    Never,
    /// The step may be split; the first tranche takes this percentage (1 to 99) of its duration,
    /// rounded to the nearest day.
    FirstPercent(u8),
}

/// The default split: halves.
pub const DEFAULT_SPLIT: Split = Split::FirstPercent(50);

/// How a soft demand is paid for when broken; hard demands are never broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Must hold.
    Hard,
    /// May be broken at this cost per day by which it is broken.
    PerDay(u64),
    /// May be broken at this cost, however far.
    Flat(u64),
}

impl Strength {
    /// Whether the demand must hold.
    pub fn is_hard(self) -> bool {
        self == Strength::Hard
    }
}

/// Which two events of steps A and B a "before" demand relates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// B starts after A is done (the default).
    FinishToStart,
    /// B starts after A starts.
    StartToStart,
    /// B is done after A is done.
    FinishToFinish,
}

impl Relation {
    /// The word used in scenario files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::FinishToStart => "finish-to-start",
            Relation::StartToStart => "start-to-start",
            Relation::FinishToFinish => "finish-to-finish",
        }
    }

    /// The events of the first and second step that the relation compares.
    pub fn points(self) -> (Point, Point) {
        match self {
            Relation::FinishToStart => (Point::Done, Point::Start),
            Relation::StartToStart => (Point::Start, Point::Start),
            Relation::FinishToFinish => (Point::Done, Point::Done),
        }
    }
}

/// What a demand asks of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// `then` comes after `first`: with [`Relation::FinishToStart`], `then` starts at least
    /// `min_gap` days after `first` is done and, with `max_gap`, at most that many days after.
    /// A negative `min_gap` allows an overlap of that many days.
    Before {
        /// Step A.
        first: StepIx,
        /// Step B.
        then: StepIx,
        /// Which events are compared.
        relation: Relation,
        /// Least days from A's event to B's.
        min_gap: i64,
        /// Most days from A's event to B's, if bounded.
        max_gap: Option<i64>,
    },
    /// The two steps start on the same day (the same phase).
    Together {
        /// One step.
        a: StepIx,
        /// The other.
        b: StepIx,
    },
    /// The step does not start before this day.
    NotBefore {
        /// The step.
        step: StepIx,
        /// The first day it may start.
        day: i64,
    },
    /// The step is done (verified) by this day.
    DoneBy {
        /// The step.
        step: StepIx,
        /// The last day it may be done.
        day: i64,
    },
    /// `step` starts no later than `days` days after `of` is done.
    Within {
        /// Step A.
        step: StepIx,
        /// Step B.
        of: StepIx,
        /// The most days from B done to A's start.
        days: i64,
    },
    /// At least one of these rules holds (none of them is itself a choice).
    AnyOf(Vec<Rule>),
}

impl Rule {
    /// The steps the rule names, in order of first mention.
    pub fn steps(&self) -> Vec<StepIx> {
        let mut out = Vec::new();
        let mut push = |s: StepIx| {
            if !out.contains(&s) {
                out.push(s);
            }
        };
        match self {
            Rule::Before { first, then, .. } => {
                push(*first);
                push(*then);
            }
            Rule::Together { a, b } => {
                push(*a);
                push(*b);
            }
            Rule::NotBefore { step, .. } | Rule::DoneBy { step, .. } => push(*step),
            Rule::Within { step, of, .. } => {
                push(*step);
                push(*of);
            }
            Rule::AnyOf(rules) => {
                for r in rules {
                    for s in r.steps() {
                        push(s);
                    }
                }
            }
        }
        out
    }

    /// The bounds the rule means: one conjunction per alternative (one alternative unless the
    /// rule is [`Rule::AnyOf`]).
    pub fn alternatives(&self) -> Vec<Vec<Bound>> {
        match self {
            Rule::AnyOf(rules) => rules.iter().flat_map(|r| r.alternatives()).collect(),
            other => vec![other.conjunction()],
        }
    }

    fn conjunction(&self) -> Vec<Bound> {
        let ev = Anchor::Event;
        match *self {
            Rule::Before {
                first,
                then,
                relation,
                min_gap,
                max_gap,
            } => {
                let (pa, pb) = relation.points();
                let mut out = vec![Bound {
                    earlier: ev(first, pa),
                    later: ev(then, pb),
                    min: min_gap,
                }];
                if let Some(max) = max_gap {
                    out.push(Bound {
                        earlier: ev(then, pb),
                        later: ev(first, pa),
                        min: -max,
                    });
                }
                out
            }
            Rule::Together { a, b } => vec![
                Bound {
                    earlier: ev(a, Point::Start),
                    later: ev(b, Point::Start),
                    min: 0,
                },
                Bound {
                    earlier: ev(b, Point::Start),
                    later: ev(a, Point::Start),
                    min: 0,
                },
            ],
            Rule::NotBefore { step, day } => vec![Bound {
                earlier: Anchor::DayZero,
                later: ev(step, Point::Start),
                min: day,
            }],
            Rule::DoneBy { step, day } => vec![Bound {
                earlier: ev(step, Point::Done),
                later: Anchor::DayZero,
                min: -day,
            }],
            Rule::Within { step, of, days } => vec![Bound {
                earlier: ev(step, Point::Start),
                later: ev(of, Point::Done),
                min: -days,
            }],
            Rule::AnyOf(_) => Vec::new(),
        }
    }
}

/// A demand one party makes on the order of steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// Short name.
    pub id: String,
    /// The party that makes it.
    pub party: PartyIx,
    /// What it asks.
    pub rule: Rule,
    /// Hard, or soft with its cost.
    pub strength: Strength,
    /// Free text.
    pub note: Option<String>,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// One of the two events of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Point {
    /// The day the step starts.
    Start,
    /// The day the step is done: start + duration + verification.
    Done,
}

/// Where a bound is anchored: day 0, or an event of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// Day 0, the first day of the plan.
    DayZero,
    /// An event of a step.
    Event(StepIx, Point),
}

impl Anchor {
    /// The step of an event anchor.
    pub fn step(self) -> Option<StepIx> {
        match self {
            Anchor::DayZero => None,
            Anchor::Event(s, _) => Some(s),
        }
    }
}

/// A difference constraint between two events: `later` happens at least `min` days after
/// `earlier` (`min` may be negative: "at most `-min` days before").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bound {
    /// The event that comes first.
    pub earlier: Anchor,
    /// The event that comes after.
    pub later: Anchor,
    /// The least number of days between them.
    pub min: i64,
}

/// Steps and the demands on their order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SequenceProblem {
    /// The steps.
    pub steps: Vec<Step>,
    /// The demands.
    pub demands: Vec<Demand>,
}

/// Why a [`SequenceProblem`] cannot be analysed; the format reader reports all of these as
/// located errors before they get here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A demand or step names a step that does not exist.
    #[error("demand `{demand}` names step {step}, but there are only {count} steps")]
    UnknownStep {
        /// The demand.
        demand: String,
        /// The index named.
        step: StepIx,
        /// How many steps there are.
        count: usize,
    },
    /// A number is negative where it must not be, or beyond [`MAX_DAYS`] or [`MAX_COST`].
    #[error("`{field}` is {value}, outside {range}")]
    OutOfRange {
        /// Which field, as `steps[2].duration` or `demands[0].min_gap`.
        field: String,
        /// The value.
        value: i64,
        /// The allowed range.
        range: String,
    },
    /// A demand relates a step to itself.
    #[error("demand `{0}` relates a step to itself")]
    SameStep(String),
    /// A demand's maximum gap is below its minimum gap, so nothing can meet it.
    #[error("demand `{0}` has a maximum gap below its minimum gap")]
    EmptyGap(String),
    /// A choice that is empty, nested, or priced per day.
    #[error("demand `{0}`: {1}")]
    BadChoice(String, &'static str),
}

impl SequenceProblem {
    /// The problem with the demands in `dropped` waived (a what-if: "if these demands were not
    /// made, is there a plan?"): the steps are unchanged and the other demands keep their order.
    /// Indices out of range are ignored.
    pub fn without_demands(&self, dropped: &[DemandIx]) -> SequenceProblem {
        SequenceProblem {
            steps: self.steps.clone(),
            demands: self
                .demands
                .iter()
                .enumerate()
                .filter(|(k, _)| !dropped.contains(k))
                .map(|(_, d)| d.clone())
                .collect(),
        }
    }

    /// Checks what the algorithms rely on: step indices exist, numbers are within range, no
    /// demand relates a step to itself, choices are flat, non-empty and not priced per day.
    pub fn validate(&self) -> Result<(), ModelError> {
        let days = |field: String, v: i64, lo: i64| {
            if v < lo || v > MAX_DAYS {
                Err(ModelError::OutOfRange {
                    field,
                    value: v,
                    range: format!("{lo}..={MAX_DAYS}"),
                })
            } else {
                Ok(())
            }
        };
        for (k, s) in self.steps.iter().enumerate() {
            days(format!("steps[{k}].duration"), s.duration, 0)?;
            if let Some(v) = &s.verification {
                days(format!("steps[{k}].verification.days"), v.days, 0)?;
            }
            if let Split::FirstPercent(p) = s.split {
                if !(1..=99).contains(&p) {
                    return Err(ModelError::OutOfRange {
                        field: format!("steps[{k}].split"),
                        value: i64::from(p),
                        range: "1..=99".into(),
                    });
                }
            }
        }
        for (k, d) in self.demands.iter().enumerate() {
            match d.strength {
                Strength::Hard => {}
                Strength::PerDay(c) | Strength::Flat(c) => {
                    if c > MAX_COST {
                        return Err(ModelError::OutOfRange {
                            field: format!("demands[{k}].cost"),
                            value: i64::try_from(c).unwrap_or(i64::MAX),
                            range: format!("0..={MAX_COST}"),
                        });
                    }
                }
            }
            let check = |r: &Rule| -> Result<(), ModelError> {
                for s in r.steps() {
                    if s >= self.steps.len() {
                        return Err(ModelError::UnknownStep {
                            demand: d.id.clone(),
                            step: s,
                            count: self.steps.len(),
                        });
                    }
                }
                match *r {
                    Rule::Before {
                        first,
                        then,
                        min_gap,
                        max_gap,
                        ..
                    } => {
                        if first == then {
                            return Err(ModelError::SameStep(d.id.clone()));
                        }
                        if !(-MAX_DAYS..=MAX_DAYS).contains(&min_gap) {
                            return Err(ModelError::OutOfRange {
                                field: format!("demands[{k}].min_gap"),
                                value: min_gap,
                                range: format!("{}..={MAX_DAYS}", -MAX_DAYS),
                            });
                        }
                        if let Some(max) = max_gap {
                            days(format!("demands[{k}].max_gap"), max, -MAX_DAYS)?;
                            if max < min_gap {
                                return Err(ModelError::EmptyGap(d.id.clone()));
                            }
                        }
                    }
                    Rule::Together { a, b } if a == b => {
                        return Err(ModelError::SameStep(d.id.clone()))
                    }
                    Rule::Within { step, of, days: n } => {
                        if step == of {
                            return Err(ModelError::SameStep(d.id.clone()));
                        }
                        days(format!("demands[{k}].within_days"), n, 0)?;
                    }
                    Rule::NotBefore { day, .. } | Rule::DoneBy { day, .. } => {
                        days(format!("demands[{k}].day"), day, 0)?;
                    }
                    Rule::AnyOf(_) => {
                        return Err(ModelError::BadChoice(
                            d.id.clone(),
                            "a choice inside a choice",
                        ))
                    }
                    Rule::Together { .. } => {}
                }
                Ok(())
            };
            match &d.rule {
                Rule::AnyOf(rules) => {
                    if rules.is_empty() {
                        return Err(ModelError::BadChoice(d.id.clone(), "a choice of nothing"));
                    }
                    if matches!(d.strength, Strength::PerDay(_)) {
                        return Err(ModelError::BadChoice(
                            d.id.clone(),
                            "a choice cannot be priced per day; give it a flat cost",
                        ));
                    }
                    for r in rules {
                        check(r)?;
                    }
                }
                r => check(r)?,
            }
        }
        Ok(())
    }
}

//! The text and JSON reports of `concord sequence` and `concord diff`: steps, demands and rules
//! in words, plans, deadlocks and their ways out, and the differences between versions of a
//! framework. The tables are read by `concord_io::sequence`; the typed models are in
//! [`crate::sequence_report`].

use std::fmt::Write;

use comfy_table::{Cell, CellAlignment};
use concord_core::model::Provenance;
use concord_io::request::RequestError;
use concord_io::sequence::SequenceFile;
use concord_sequence::analysis::{Action, Cause, Deadlock, Plan, SequenceAnalysis};
use concord_sequence::model::{Anchor, Demand, Point, Rule, Split, Step, StepIx, Strength};
use concord_sequence::versions::{
    acceptance, Lineage, NewFate, OldFate, Piece, PieceKind, Version, VersionDiff, VersionPoint,
};
use serde_json::Value;

use crate::analysis_report::ScenarioRef;
use crate::layout::table;
use crate::sequence_report::{
    AcceptanceRow, ActionRow, AnchorRow, AttachedRow, BrokenDemandRow, CauseRow, ConflictRow,
    CriticalLinkRow, CycleLinkRow, DeadlockRow, DemandRow, DiffBody, DiffModel, FatePoint,
    LineageModel, LineageVersion, MatchedRow, PhaseRow, PieceRow, PlanRow, PlanStepRow, PointRow,
    RelaxationRow, RuleRow, SeqCitation, SeqProvenance, SequenceModel, SplitRow, StepRef, StepRow,
    StrengthRow, SurvivalRow, VerificationRow, VersionRow, WayOutCostRow, WayOutRow,
};

/// The schema identifier of `concord sequence --json` reports.
pub const SEQUENCE_SCHEMA: &str = "concord.sequence/1";
/// The schema identifier of `concord diff --json` reports of two versions.
pub const DIFF_SCHEMA: &str = "concord.diff/1";
/// The schema identifier of `concord diff --json` reports of a file's versions.
pub const LINEAGE_SCHEMA: &str = "concord.lineage/1";

// ------------------------------------------------------------------------------------------
// Words
// ------------------------------------------------------------------------------------------

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn point_word(p: Point) -> &'static str {
    match p {
        Point::Start => "starts",
        Point::Done => "is done",
    }
}

/// A rule in words, with step ids in backquotes.
pub fn describe_rule(file: &SequenceFile, rule: &Rule) -> String {
    let s = |i: StepIx| format!("`{}`", file.step(i));
    match *rule {
        Rule::Before {
            first,
            then,
            relation,
            min_gap,
            max_gap,
        } => {
            let (pa, pb) = relation.points();
            let (a, b) = (s(first), s(then));
            let ev_b = point_word(pb);
            let ev_a = point_word(pa);
            let lead = match min_gap {
                0 => format!("{b} {ev_b} after {a} {ev_a}"),
                g if g > 0 => format!("{b} {ev_b} at least {} after {a} {ev_a}", days(g)),
                g => format!("{b} {ev_b} no earlier than {} before {a} {ev_a}", days(-g)),
            };
            match max_gap {
                Some(m) if m >= 0 => format!("{lead}, and at most {} after", days(m)),
                Some(m) => format!("{lead}, and at least {} before", days(-m)),
                None => lead,
            }
        }
        Rule::Together { a, b } => format!("{} and {} start on the same day", s(a), s(b)),
        Rule::NotBefore { step, day } => format!("{} starts no earlier than day {day}", s(step)),
        Rule::DoneBy { step, day } => format!("{} is done by day {day}", s(step)),
        Rule::Within { step, of, days: n } => format!(
            "{} starts no later than {} after {} is done",
            s(step),
            days(n),
            s(of)
        ),
        Rule::AnyOf(ref rules) => format!(
            "one of: {}",
            rules
                .iter()
                .map(|r| format!("({})", describe_rule(file, r)))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

/// The rule loosened by `n` days, as [`concord_sequence::analysis::Relaxation`] means it.
pub fn relaxed_rule(rule: &Rule, n: i64) -> Rule {
    match rule.clone() {
        Rule::Before {
            first,
            then,
            relation,
            min_gap,
            max_gap,
        } => Rule::Before {
            first,
            then,
            relation,
            min_gap: min_gap - n,
            max_gap: max_gap.map(|m| m + n),
        },
        Rule::NotBefore { step, day } => Rule::NotBefore { step, day: day - n },
        Rule::DoneBy { step, day } => Rule::DoneBy { step, day: day + n },
        Rule::Within { step, of, days } => Rule::Within {
            step,
            of,
            days: days + n,
        },
        Rule::AnyOf(rules) => Rule::AnyOf(rules.iter().map(|r| relaxed_rule(r, n)).collect()),
        together @ Rule::Together { .. } => together,
    }
}

fn describe_relaxed(file: &SequenceFile, rule: &Rule, n: i64) -> String {
    match rule {
        Rule::Together { a, b } => format!(
            "`{}` and `{}` start within {} of each other",
            file.step(*a),
            file.step(*b),
            days(n)
        ),
        Rule::NotBefore { step, day } if *day - n <= 0 => {
            format!("`{}` may start on any day", file.step(*step))
        }
        Rule::AnyOf(rules) => format!(
            "one of: {}",
            rules
                .iter()
                .map(|r| format!("({})", describe_relaxed(file, r, n)))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        r => describe_rule(file, &relaxed_rule(r, n)),
    }
}

/// A demand's strength in words, as a soft demand's tag shows it.
fn strength_words(s: &StrengthRow) -> String {
    match (s.kind.as_str(), s.cost) {
        ("per-day", Some(c)) => format!("soft, {c} per day broken"),
        ("flat", Some(c)) => format!("soft, {c} if broken"),
        (kind, _) => kind.to_string(),
    }
}

/// A demand in one line: its id, its party's name, its rule in words and, when soft, its
/// strength.
fn demand_words(d: &DemandRow, party: &str) -> String {
    let soft = if d.strength.kind == "hard" {
        String::new()
    } else {
        format!(" [{}]", strength_words(&d.strength))
    };
    format!("{} ({party}): {}{soft}", d.id, d.text)
}

/// The demands to waive (`drop_demands` of a sequence request; `--drop-demand ID` of `concord sequence`): the file with those demands waived,
/// and each change in words for the report's first lines. An id that names no demand is an
/// error that lists the demands' ids; an id given twice is waived once.
pub fn drop_demands(
    file: &SequenceFile,
    ids: &[String],
) -> Result<(SequenceFile, Vec<String>), RequestError> {
    let mut dropped = Vec::new();
    for id in ids {
        let k = file
            .problem
            .demands
            .iter()
            .position(|d| &d.id == id)
            .ok_or_else(|| {
                let known: Vec<String> = file
                    .problem
                    .demands
                    .iter()
                    .map(|d| format!("`{}`", d.id))
                    .collect();
                RequestError {
                    field: "drop_demand".into(),
                    value: id.clone(),
                    problem: format!("no demand `{id}`"),
                    expected: if known.is_empty() {
                        "a demand id (the file has no [[demands]])".into()
                    } else {
                        format!("a demand id: {}", known.join(", "))
                    },
                }
            })?;
        if !dropped.contains(&k) {
            dropped.push(k);
        }
    }
    let lines = dropped
        .iter()
        .filter_map(|&k| file.problem.demands.get(k))
        .map(|d| {
            format!(
                "demand waived: {}",
                demand_words(&demand_row(file, d), file.party(d.party))
            )
        })
        .collect();
    let mut out = file.clone();
    out.problem = file.problem.without_demands(&dropped);
    Ok((out, lines))
}

fn tranche_words(t: &[u8]) -> &'static str {
    match t {
        [1] => "the 1st tranche",
        [2] => "the 2nd tranche",
        _ => "both tranches",
    }
}

/// The tranches a demand re-attached to split step `step` binds: the 1st where the step is
/// what another step waits for, the 2nd where it waits (bounds against the calendar bind the
/// whole step and are left out).
fn reattached_tranches(file: &SequenceFile, d: usize, step: StepIx) -> Vec<u8> {
    let mut out = Vec::new();
    let Some(demand) = file.problem.demands.get(d) else {
        return out;
    };
    for b in demand.rule.alternatives().iter().flatten() {
        if b.earlier == Anchor::DayZero || b.later == Anchor::DayZero {
            continue;
        }
        if b.earlier.step() == Some(step) {
            out.push(1);
        }
        if b.later.step() == Some(step) {
            out.push(2);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The days a bound forces between the starts of its steps (its edge weight).
fn link_weight(file: &SequenceFile, b: &concord_sequence::model::Bound) -> i64 {
    let off = |a: Anchor| match a {
        Anchor::DayZero => 0,
        Anchor::Event(_, Point::Start) => 0,
        Anchor::Event(s, Point::Done) => file.problem.steps.get(s).map_or(0, Step::span),
    };
    b.min + off(b.earlier) - off(b.later)
}

// ------------------------------------------------------------------------------------------
// `concord sequence`: text, rendered from the model
// ------------------------------------------------------------------------------------------

/// The text report of `concord sequence`; `path` names the file ([`sequence_model`] rendered
/// by [`sequence_model_text`]).
pub fn sequence_text(file: &SequenceFile, path: &str, analysis: &SequenceAnalysis) -> String {
    sequence_model_text(&sequence_model(file, path, analysis))
}

/// A party's name (its id when the model has no name for it).
fn party_name<'a>(m: &'a SequenceModel, id: &'a str) -> &'a str {
    m.party_names.get(id).map_or(id, String::as_str)
}

/// A demand by id.
fn demand<'a>(m: &'a SequenceModel, id: &str) -> Option<&'a DemandRow> {
    m.demands.iter().find(|d| d.id == id)
}

/// The name of the party that makes demand `id` (`?` when the model has no such demand).
fn demand_party<'a>(m: &'a SequenceModel, id: &str) -> &'a str {
    demand(m, id).map_or("?", |d| party_name(m, &d.party))
}

/// A demand in one line, as the plan's broken demands and a conflict's demands show it (its id
/// alone when the model has no such demand).
fn demand_line(m: &SequenceModel, id: &str) -> String {
    demand(m, id).map_or_else(
        || id.to_string(),
        |d| demand_words(d, party_name(m, &d.party)),
    )
}

/// A step of a plan, or one tranche of a split step.
fn plan_step<'a>(plan: &'a PlanRow, step: &str, tranche: Option<u8>) -> Option<&'a PlanStepRow> {
    plan.steps
        .iter()
        .find(|s| s.step == step && s.tranche == tranche)
}

fn plan_step_label(step: &str, tranche: Option<u8>) -> String {
    match tranche {
        Some(1) => format!("{step} (1st tranche)"),
        Some(_) => format!("{step} (2nd tranche)"),
        None => step.to_string(),
    }
}

/// The text of `concord sequence`, rendered from its model (the JSON is the same model
/// serialised): the demands waived, if any, then the plan, or the deadlock and its ways out.
pub fn sequence_model_text(m: &SequenceModel) -> String {
    let mut out = crate::proposal::what_if_text(&m.what_if);
    let hard = m
        .demands
        .iter()
        .filter(|d| d.strength.kind == "hard")
        .count();
    let title = m
        .scenario
        .as_ref()
        .map_or(String::new(), |s| format!("{} — ", s.title));
    let _ = writeln!(out, "Sequencing: {title}{}", m.file);
    let _ = writeln!(
        out,
        "{} steps, {} demands ({hard} hard, {} soft). Days count from day 0, the first day of the plan; a step is done once its verification is.",
        m.steps.len(),
        m.demands.len(),
        m.demands.len() - hard
    );
    let _ = writeln!(out);
    match (&m.plan, &m.deadlock) {
        (Some(plan), _) => {
            let _ = writeln!(
                out,
                "{}: a sequence meets every hard demand. Total duration: {}.",
                crate::layout::headline("PLAN", crate::layout::Tone::Good),
                days(plan.duration)
            );
            plan_text(&mut out, m, plan);
        }
        (None, Some(deadlock)) => deadlock_text(&mut out, m, deadlock),
        (None, None) => {}
    }
    out
}

fn plan_text(out: &mut String, m: &SequenceModel, plan: &PlanRow) {
    if plan.broken.is_empty() {
        if m.demands.iter().any(|d| d.strength.kind != "hard") {
            let _ = writeln!(out, "Every soft demand is met too.");
        }
    } else {
        let _ = writeln!(
            out,
            "The least costly plan breaks {} soft demand{} (total cost {}):",
            plan.broken.len(),
            if plan.broken.len() == 1 { "" } else { "s" },
            plan.cost
        );
        for b in &plan.broken {
            let _ = writeln!(
                out,
                "  - {} — broken by {}, cost {}",
                demand_line(m, &b.demand),
                days(b.days),
                b.cost
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Phases (steps that start on the same day):");
    let mut t = table();
    t.set_header(vec![
        "day",
        "step",
        "work",
        "verification",
        "done by",
        "responsible",
    ]);
    for phase in &plan.phases {
        for (n, r) in phase.steps.iter().enumerate() {
            let ps = plan_step(plan, &r.step, r.tranche);
            let step = m.steps.iter().find(|s| s.id == r.step);
            let verification = match step.and_then(|s| s.verification.as_ref()) {
                Some(v) => format!(
                    "{}{}",
                    days(v.days),
                    v.by.as_deref()
                        .map(|b| format!(" ({})", party_name(m, b)))
                        .unwrap_or_default()
                ),
                None => "—".into(),
            };
            t.add_row(vec![
                Cell::new(if n == 0 {
                    phase.day.to_string()
                } else {
                    String::new()
                })
                .set_alignment(CellAlignment::Right),
                Cell::new(plan_step_label(&r.step, r.tranche)),
                Cell::new(ps.map_or_else(|| "?".into(), |p| days(p.duration)))
                    .set_alignment(CellAlignment::Right),
                Cell::new(verification),
                Cell::new(ps.map_or_else(|| "?".into(), |p| format!("day {}", p.done)))
                    .set_alignment(CellAlignment::Right),
                Cell::new(
                    step.map(|s| {
                        s.parties
                            .iter()
                            .map(|q| party_name(m, q))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                ),
            ]);
        }
    }
    out.push_str(&crate::layout::render_table(&t, ""));
    let _ = writeln!(
        out,
        "Critical path ({}): each step starts when the one before it lets it.",
        days(plan.duration)
    );
    for link in &plan.critical_path {
        let ps = plan_step(plan, &link.step, link.tranche);
        let why = match (link.cause.kind.as_str(), &link.cause.demand) {
            ("day-zero", _) => "starts on day 0".to_string(),
            ("tranche-order", _) => "after the 1st tranche is done".to_string(),
            (_, Some(d)) => format!("held by {d} ({})", demand_party(m, d)),
            (kind, None) => kind.to_string(),
        };
        let _ = writeln!(
            out,
            "  day {:>4} → {:>4}  {}  — {why}",
            ps.map_or_else(|| "?".into(), |p| p.start.to_string()),
            ps.map_or_else(|| "?".into(), |p| p.done.to_string()),
            plan_step_label(&link.step, link.tranche)
        );
    }
}

fn deadlock_text(out: &mut String, m: &SequenceModel, deadlock: &DeadlockRow) {
    let n = deadlock.conflicts.len();
    let _ = writeln!(
        out,
        "{}: no sequence meets every hard demand. {} minimal conflict{} found{}.",
        crate::layout::headline("DEADLOCK", crate::layout::Tone::Bad),
        n,
        if n == 1 { "" } else { "s" },
        if deadlock.complete {
            ""
        } else {
            " (the listing stopped; more remain)"
        }
    );
    for (k, c) in deadlock.conflicts.iter().enumerate() {
        let _ = writeln!(out);
        conflict_text(out, m, c, k, n);
        if k + 1 < n {
            let _ = writeln!(
                out,
                "  (To look for the next conflict, `{}` is set aside.)",
                c.set_aside
            );
        }
    }
    let _ = writeln!(out);
    match &deadlock.way_out {
        Some(w) => {
            let _ = writeln!(
                out,
                "WAY OUT: the cheapest changes that let every hard demand hold, over the whole deadlock ({} of loosening in all, {} hard demand{} changed, {} step{} split; docs/sequencing.md):",
                days(w.cost.days),
                w.cost.changes,
                if w.cost.changes == 1 { "" } else { "s" },
                w.cost.splits,
                if w.cost.splits == 1 { "" } else { "s" },
            );
            out.push_str(&actions_text(m, &w.actions));
            let _ = writeln!(out, "The plan then:");
            plan_text(out, m, &w.plan);
        }
        None => {
            let _ = writeln!(
                out,
                "No way out is given: the exact search for the cheapest one gave up ({}); see the relaxations and tranches of each conflict.",
                deadlock
                    .way_out_failure
                    .as_deref()
                    .unwrap_or("no reason given")
            );
        }
    }
}

/// The changes of a way out, one numbered line each.
fn actions_text(m: &SequenceModel, actions: &[ActionRow]) -> String {
    let mut out = String::new();
    for (k, a) in actions.iter().enumerate() {
        let line = match a {
            ActionRow::Split {
                step,
                first_days,
                second_days,
                attached,
            } => {
                let parts: Vec<String> = attached
                    .iter()
                    .map(|a| {
                        format!(
                            "`{}` ({}) binds {}",
                            a.demand,
                            demand_party(m, &a.demand),
                            tranche_words(&a.tranches)
                        )
                    })
                    .collect();
                format!(
                    "split `{step}` into reciprocal tranches ({} first, then {}){}",
                    days(*first_days),
                    days(*second_days),
                    if parts.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", parts.join("; "))
                    }
                )
            }
            ActionRow::Relax {
                demand,
                days: n,
                text,
            } => format!(
                "loosen `{demand}` ({}) by {}: {text}",
                demand_party(m, demand),
                days(*n)
            ),
        };
        let _ = writeln!(out, "  {}. {line}.", k + 1);
    }
    out
}

fn conflict_text(out: &mut String, m: &SequenceModel, c: &ConflictRow, k: usize, n: usize) {
    let _ = writeln!(
        out,
        "Conflict {} of {n}: these {} hard demands cannot all hold; dropping any one of them ends the conflict.",
        k + 1,
        c.demands.len()
    );
    for id in &c.demands {
        let _ = writeln!(out, "  - {}", demand_line(m, id));
        let Some(d) = demand(m, id) else {
            continue;
        };
        let _ = writeln!(out, "      {}", provenance_text(&d.provenance));
        // Every further passage the demand cites, not only the first.
        for c in d.provenance.citations.iter().skip(1) {
            let source = c.source.as_deref().unwrap_or("?");
            let _ = writeln!(out, "      also in {source}: \"{}\"", c.quote);
        }
        if let Some(note) = &d.note {
            let _ = writeln!(out, "      note: {note}");
        }
    }
    if let Some(cycle) = &c.cycle {
        let excess: i64 = cycle.iter().map(|l| l.days).sum();
        let _ = writeln!(
            out,
            "  Why: going round this loop needs {} more than it has:",
            days(excess)
        );
        for l in cycle {
            let who = match (l.cause.kind.as_str(), &l.cause.demand) {
                ("day-zero", _) => "day 0".to_string(),
                ("tranche-order", _) => "tranche order".to_string(),
                (_, Some(d)) => d.clone(),
                (kind, None) => kind.to_string(),
            };
            let _ = writeln!(
                out,
                "      {} → {}  [{who}]",
                anchor_text(&l.earlier),
                link_later_text(l)
            );
        }
    }
    let _ = writeln!(
        out,
        "  Cheapest relaxations (one demand loosened by whole days, fewest first):"
    );
    for (j, r) in c.relaxations.iter().enumerate() {
        let outcome = match (r.plan_days, &r.plan) {
            (Some(n), Some(plan)) if n == r.days => {
                format!("a plan of {} then exists", days(plan.duration))
            }
            (Some(n), Some(plan)) => format!(
                "ends this conflict; {} restore a plan of {}",
                days(n),
                days(plan.duration)
            ),
            _ => "ends this conflict, but others remain".into(),
        };
        let _ = writeln!(
            out,
            "    {}. `{}` ({}) by {}: {} — {outcome}.",
            j + 1,
            r.demand,
            demand_party(m, &r.demand),
            days(r.days),
            r.text
        );
    }
    if c.splits.is_empty() {
        let _ = writeln!(
            out,
            "  Reciprocal tranches: no step of this conflict can be split (each is marked `split = false` or lasts under 2 days)."
        );
    } else {
        let _ = writeln!(out, "  Reciprocal tranches (one step split in two):");
        for s in &c.splits {
            split_text(out, m, c, s);
        }
    }
}

fn split_text(out: &mut String, m: &SequenceModel, c: &ConflictRow, s: &SplitRow) {
    let verdict = match (&s.plan, s.removes_conflict) {
        (Some(plan), _) => format!(
            "ends this conflict; a plan of {} then exists",
            days(plan.duration)
        ),
        (None, true) => "ends this conflict, but others remain".into(),
        (None, false) => "does not end this conflict".into(),
    };
    let _ = writeln!(
        out,
        "    - `{}`: a 1st tranche of {}, then the 2nd of {}: {verdict}.",
        s.step,
        days(s.first_days),
        days(s.second_days)
    );
    if s.removes_conflict {
        // The demands of this conflict only: the split reattaches the others too.
        let parts: Vec<String> = s
            .attached
            .iter()
            .filter(|a| c.demands.contains(&a.demand))
            .map(|a| {
                format!(
                    "`{}` ({}) now binds {}",
                    a.demand,
                    demand_party(m, &a.demand),
                    tranche_words(&a.tranches)
                )
            })
            .collect();
        if !parts.is_empty() {
            let _ = writeln!(out, "        {}.", parts.join("; "));
        }
    }
}

/// An event of a step, or day zero, in words.
fn anchor_text(a: &AnchorRow) -> String {
    let step = a.step.as_deref().unwrap_or("?");
    match a.event.as_str() {
        "start" => format!("`{step}` {}", point_word(Point::Start)),
        "done" => format!("`{step}` {}", point_word(Point::Done)),
        _ => "day 0".into(),
    }
}

/// The later event of a cycle's link, with the least days it keeps from the earlier one.
fn link_later_text(l: &CycleLinkRow) -> String {
    let later = anchor_text(&l.later);
    match l.min {
        0 => format!("{later} no earlier"),
        m if m > 0 => format!("{later} at least {} later", days(m)),
        m => format!("{later} at most {} earlier", days(-m)),
    }
}

// ------------------------------------------------------------------------------------------
// `concord sequence`: JSON
// ------------------------------------------------------------------------------------------

fn provenance_row(file: &SequenceFile, p: &Provenance) -> SeqProvenance {
    SeqProvenance {
        basis: p.basis.as_str().to_string(),
        citations: p
            .citations
            .iter()
            .map(|c| SeqCitation {
                source: file.sources.get(c.source).map(|s| s.id.clone()),
                quote: c.quote.clone(),
                speaker: c.speaker.clone(),
            })
            .collect(),
    }
}

fn rule_row(file: &SequenceFile, rule: &Rule) -> RuleRow {
    let s = |i: StepIx| file.step(i).to_string();
    match *rule {
        Rule::Before {
            first,
            then,
            relation,
            min_gap,
            max_gap,
        } => RuleRow::Before {
            first: s(first),
            then: s(then),
            relation: relation.as_str().to_string(),
            min_gap,
            max_gap,
        },
        Rule::Together { a, b } => RuleRow::Together {
            steps: vec![s(a), s(b)],
        },
        Rule::NotBefore { step, day } => RuleRow::NotBefore { step: s(step), day },
        Rule::DoneBy { step, day } => RuleRow::DoneBy { step: s(step), day },
        Rule::Within { step, of, days } => RuleRow::Within {
            step: s(step),
            of: s(of),
            days,
        },
        Rule::AnyOf(ref rules) => RuleRow::AnyOf {
            alternatives: rules.iter().map(|r| rule_row(file, r)).collect(),
        },
    }
}

fn strength_row(s: Strength) -> StrengthRow {
    let (kind, cost) = match s {
        Strength::Hard => ("hard", None),
        Strength::PerDay(c) => ("per-day", Some(c)),
        Strength::Flat(c) => ("flat", Some(c)),
    };
    StrengthRow {
        kind: kind.to_string(),
        cost,
    }
}

fn cause_row(file: &SequenceFile, c: Cause) -> CauseRow {
    let (kind, demand) = match c {
        Cause::DayZero => ("day-zero", None),
        Cause::TrancheOrder => ("tranche-order", None),
        Cause::Demand(d) => ("demand", Some(file.problem.demands[d].id.clone())),
    };
    CauseRow {
        kind: kind.to_string(),
        demand,
    }
}

fn anchor_row(file: &SequenceFile, a: Anchor) -> AnchorRow {
    match a {
        Anchor::DayZero => AnchorRow {
            step: None,
            event: "day-zero".to_string(),
        },
        Anchor::Event(s, p) => AnchorRow {
            step: Some(file.step(s).to_string()),
            event: if p == Point::Start { "start" } else { "done" }.to_string(),
        },
    }
}

fn plan_row(file: &SequenceFile, plan: &Plan) -> PlanRow {
    let step_ref = |k: usize| StepRef {
        step: file.step(plan.steps[k].step).to_string(),
        tranche: plan.steps[k].tranche,
    };
    PlanRow {
        duration: plan.duration,
        cost: plan.cost,
        broken: plan
            .broken
            .iter()
            .map(|b| BrokenDemandRow {
                demand: file.problem.demands[b.demand].id.clone(),
                days: b.days,
                cost: b.cost,
            })
            .collect(),
        steps: plan
            .steps
            .iter()
            .map(|s| PlanStepRow {
                step: file.step(s.step).to_string(),
                tranche: s.tranche,
                start: s.start,
                duration: s.duration,
                done: s.done,
            })
            .collect(),
        phases: plan
            .phases
            .iter()
            .map(|ph| PhaseRow {
                day: ph.day,
                steps: ph.steps.iter().map(|&k| step_ref(k)).collect(),
            })
            .collect(),
        critical_path: plan
            .critical_path
            .iter()
            .map(|l| {
                let at = step_ref(l.step);
                CriticalLinkRow {
                    step: at.step,
                    tranche: at.tranche,
                    cause: cause_row(file, l.cause),
                    after: l.after.map(step_ref),
                }
            })
            .collect(),
    }
}

fn demand_row(file: &SequenceFile, d: &Demand) -> DemandRow {
    DemandRow {
        id: d.id.clone(),
        party: file.party_id(d.party).to_string(),
        rule: rule_row(file, &d.rule),
        text: describe_rule(file, &d.rule),
        strength: strength_row(d.strength),
        note: d.note.clone(),
        provenance: provenance_row(file, &d.provenance),
    }
}

/// The model of `concord sequence` (schema `concord.sequence/1`, docs/sequencing.md) of the
/// file `name`; its `what_if` is empty (the application layer sets it).
pub fn sequence_model(
    file: &SequenceFile,
    name: &str,
    analysis: &SequenceAnalysis,
) -> SequenceModel {
    let p = &file.problem;
    let steps = p
        .steps
        .iter()
        .map(|s| StepRow {
            id: s.id.clone(),
            name: s.name.clone(),
            parties: s
                .parties
                .iter()
                .map(|&q| file.party_id(q).to_string())
                .collect(),
            duration: s.duration,
            verification: s.verification.as_ref().map(|v| VerificationRow {
                days: v.days,
                by: v.by.map(|b| file.party_id(b).to_string()),
            }),
            split: match s.split {
                Split::Never => None,
                Split::FirstPercent(x) => Some(f64::from(x) / 100.0),
            },
            provenance: provenance_row(file, &s.provenance),
        })
        .collect();
    let demands = p.demands.iter().map(|d| demand_row(file, d)).collect();
    let (plan, deadlock) = match analysis {
        SequenceAnalysis::Plan(plan) => (Some(plan_row(file, plan)), None),
        SequenceAnalysis::Deadlock(d) => (None, Some(deadlock_row(file, d))),
    };
    SequenceModel {
        schema: SEQUENCE_SCHEMA.to_string(),
        scenario: file.scenario.as_ref().map(|(id, title)| ScenarioRef {
            id: id.clone(),
            title: title.clone(),
        }),
        steps,
        demands,
        feasible: matches!(analysis, SequenceAnalysis::Plan(_)),
        plan,
        deadlock,
        what_if: Vec::new(),
        file: name.to_string(),
        party_names: file
            .parties
            .iter()
            .map(|q| (q.id.clone(), q.name.clone()))
            .collect(),
    }
}

/// The JSON report of `concord sequence` of the file `name` ([`sequence_model`] serialised).
pub fn sequence_json(file: &SequenceFile, name: &str, analysis: &SequenceAnalysis) -> Value {
    to_json(&sequence_model(file, name, analysis))
}

/// A report model as a JSON value.
fn to_json(model: &impl serde::Serialize) -> Value {
    serde_json::to_value(model).expect("the report's types serialise to JSON")
}

fn deadlock_row(file: &SequenceFile, d: &Deadlock) -> DeadlockRow {
    let id = |k: usize| file.problem.demands[k].id.clone();
    let conflicts = d
        .conflicts
        .iter()
        .map(|c| ConflictRow {
            demands: c.demands.iter().map(|&k| id(k)).collect(),
            cycle: c.cycle.as_ref().map(|cy| {
                cy.iter()
                    .map(|l| CycleLinkRow {
                        cause: cause_row(file, l.cause),
                        earlier: anchor_row(file, l.bound.earlier),
                        later: anchor_row(file, l.bound.later),
                        min: l.bound.min,
                        days: link_weight(file, &l.bound),
                    })
                    .collect()
            }),
            relaxations: c
                .relaxations
                .iter()
                .map(|r| RelaxationRow {
                    demand: id(r.demand),
                    days: r.days,
                    text: describe_relaxed(file, &file.problem.demands[r.demand].rule, r.days),
                    plan_days: r.plan_days,
                    plan: r.plan.as_ref().map(|p| plan_row(file, p)),
                })
                .collect(),
            splits: c
                .splits
                .iter()
                .map(|s| SplitRow {
                    step: file.step(s.step).to_string(),
                    first_days: s.first_days,
                    second_days: s.second_days,
                    attached: s
                        .attached
                        .iter()
                        .map(|(k, t)| AttachedRow {
                            demand: id(*k),
                            tranches: t.clone(),
                        })
                        .collect(),
                    removes_conflict: s.removes_conflict,
                    plan: s.plan.as_ref().map(|p| plan_row(file, p)),
                })
                .collect(),
            set_aside: id(c.set_aside),
        })
        .collect();
    let way_out = d.way_out.as_ref().map(|w| WayOutRow {
        actions: w
            .actions
            .iter()
            .map(|a| match *a {
                Action::Split {
                    step,
                    first_days,
                    second_days,
                    ref attached,
                } => ActionRow::Split {
                    step: file.step(step).to_string(),
                    first_days,
                    second_days,
                    attached: attached
                        .iter()
                        .map(|&k| AttachedRow {
                            demand: id(k),
                            tranches: reattached_tranches(file, k, step),
                        })
                        .collect(),
                },
                Action::Relax { demand, days } => ActionRow::Relax {
                    demand: id(demand),
                    days,
                    text: describe_relaxed(file, &file.problem.demands[demand].rule, days),
                },
            })
            .collect(),
        cost: WayOutCostRow {
            days: w.cost.days,
            changes: w.cost.changes,
            splits: w.cost.splits,
        },
        plan: plan_row(file, &w.plan),
    });
    DeadlockRow {
        complete: d.complete,
        conflicts,
        way_out,
        way_out_failure: d.way_out_failure.as_ref().map(ToString::to_string),
    }
}

// ------------------------------------------------------------------------------------------
// `concord diff`
// ------------------------------------------------------------------------------------------

fn known_points(n: usize) -> String {
    if n == 1 {
        "1 known point".into()
    } else {
        format!("{n} known points")
    }
}

fn version_label(v: &VersionRow) -> String {
    let mut s = format!("{} ({}", v.id, v.title);
    if let Some(d) = &v.date {
        let _ = write!(s, ", {d}");
    }
    if v.complete {
        let _ = write!(s, "; {} points", v.listed);
    } else {
        let _ = write!(s, "; {} of {} points known", v.listed, v.points);
    }
    s.push(')');
    s
}

fn point_label(number: Option<u32>, title: &str) -> String {
    match number {
        Some(n) => format!("#{n} \"{title}\""),
        None => format!("(unnumbered) \"{title}\""),
    }
}

fn pieces_text(pieces: &[PieceRow]) -> String {
    pieces
        .iter()
        .map(|p| match p.kind.as_str() {
            "removed" => format!("[-{}-]", p.text),
            "added" => format!("{{+{}+}}", p.text),
            _ => p.text.clone(),
        })
        .collect()
}

/// The text of one comparison: `[-removed-]` and `{+added+}` mark word changes.
pub fn diff_text(old: &Version, new: &Version, d: &VersionDiff) -> String {
    diff_body_text(&diff_body(old, new, d))
}

/// The text of one comparison, rendered from its model (the JSON is the same model serialised).
pub fn diff_body_text(d: &DiffBody) -> String {
    let (old, new) = (&d.old, &d.new);
    let mut out = String::new();
    let _ = writeln!(out, "Comparing {}", version_label(old));
    let _ = writeln!(out, "     with {}", version_label(new));
    let _ = writeln!(
        out,
        "Points are matched by content (words of title and summary, and the issues settled), not by number."
    );
    let same = d.matched.iter().filter(|m| !m.changed).count();
    let _ = writeln!(
        out,
        "\n{} in both ({} unchanged, {} changed, {} renumbered).",
        d.matched.len(),
        same,
        d.matched.len() - same,
        d.matched.iter().filter(|m| m.renumbered).count()
    );
    for m in &d.matched {
        let mut tags = Vec::new();
        if m.renumbered {
            tags.push("renumbered");
        }
        tags.push(if m.changed { "changed" } else { "unchanged" });
        let _ = writeln!(
            out,
            "  {} → {}  [{}; similarity {:.2}]",
            point_label(m.old.number, &m.old.title),
            point_label(m.new.number, &m.new.title),
            tags.join(", "),
            m.similarity
        );
        if let Some(t) = &m.title_diff {
            let _ = writeln!(out, "      title:   {}", pieces_text(t));
        }
        if let Some(s) = &m.summary_diff {
            let _ = writeln!(out, "      summary: {}", pieces_text(s));
        }
        if !m.issues_added.is_empty() || !m.issues_removed.is_empty() {
            let mut parts: Vec<String> = m.issues_added.iter().map(|i| format!("+{i}")).collect();
            parts.extend(m.issues_removed.iter().map(|i| format!("-{i}")));
            let _ = writeln!(out, "      issues:  {}", parts.join(" "));
        }
    }
    let group = |out: &mut String, title: &str, points: &[FatePoint], fate: &str| {
        let items: Vec<&FatePoint> = points.iter().filter(|p| p.fate == fate).collect();
        if !items.is_empty() {
            let _ = writeln!(out, "\n{title}: {}", items.len());
            for p in items {
                let _ = writeln!(out, "  {}", point_label(p.number, &p.title));
            }
        }
    };
    group(&mut out, "Removed", &d.old_only, "removed");
    group(
        &mut out,
        &format!("Left out (`{}` is known to leave their issues out)", new.id),
        &d.old_only,
        "left-out",
    );
    group(
        &mut out,
        &format!(
            "Not among the {} of `{}` (its other points are not known)",
            known_points(new.listed),
            new.id
        ),
        &d.old_only,
        "not-known",
    );
    group(&mut out, "Added", &d.new_only, "added");
    group(
        &mut out,
        &format!(
            "New relative to the {} of `{}` (it may have had them)",
            known_points(old.listed),
            old.id
        ),
        &d.new_only,
        "not-known",
    );
    out
}

fn pieces_rows(p: &Option<Vec<Piece>>) -> Option<Vec<PieceRow>> {
    p.as_ref().map(|pieces| {
        pieces
            .iter()
            .map(|x| PieceRow {
                kind: match x.kind {
                    PieceKind::Same => "same",
                    PieceKind::Removed => "removed",
                    PieceKind::Added => "added",
                }
                .to_string(),
                text: x.text.clone(),
            })
            .collect()
    })
}

fn point_row(p: &VersionPoint) -> PointRow {
    PointRow {
        number: p.number,
        title: p.title.clone(),
    }
}

fn fate_point(p: &VersionPoint, fate: &str) -> FatePoint {
    FatePoint {
        number: p.number,
        title: p.title.clone(),
        fate: fate.to_string(),
    }
}

fn version_row(v: &Version) -> VersionRow {
    VersionRow {
        id: v.id.clone(),
        title: v.title.clone(),
        date: v.date.clone(),
        points: v.point_count(),
        listed: v.points.len(),
        complete: v.is_complete(),
        leaves_out: v.leaves_out.clone(),
    }
}

/// The comparison of two versions (the body of `concord.diff/1`).
pub fn diff_body(old: &Version, new: &Version, d: &VersionDiff) -> DiffBody {
    DiffBody {
        old: version_row(old),
        new: version_row(new),
        matched: d
            .matched
            .iter()
            .map(|m| MatchedRow {
                old: point_row(&old.points[m.old]),
                new: point_row(&new.points[m.new]),
                similarity: m.score,
                renumbered: m.renumbered,
                changed: m.changed(),
                title_diff: pieces_rows(&m.title),
                summary_diff: pieces_rows(&m.summary),
                issues_added: m.issues_added.clone(),
                issues_removed: m.issues_removed.clone(),
            })
            .collect(),
        old_only: d
            .old_only
            .iter()
            .map(|&(i, fate)| {
                let fate = match fate {
                    OldFate::Removed => "removed",
                    OldFate::LeftOut => "left-out",
                    OldFate::NotKnown => "not-known",
                };
                fate_point(&old.points[i], fate)
            })
            .collect(),
        new_only: d
            .new_only
            .iter()
            .map(|&(j, fate)| {
                let fate = match fate {
                    NewFate::Added => "added",
                    NewFate::NotKnown => "not-known",
                };
                fate_point(&new.points[j], fate)
            })
            .collect(),
    }
}

/// The model of `concord diff` of two versions (schema `concord.diff/1`).
pub fn diff_model(old: &Version, new: &Version, d: &VersionDiff) -> DiffModel {
    DiffModel {
        schema: DIFF_SCHEMA.to_string(),
        body: diff_body(old, new, d),
    }
}

/// `concord diff --json` of two versions ([`diff_model`] serialised).
pub fn diff_json(old: &Version, new: &Version, d: &VersionDiff) -> Value {
    to_json(&diff_model(old, new, d))
}

/// The parties shown in acceptance tables: the file's parties with a stated stance, in file
/// order, then any other party with one.
fn acceptance_parties(file: &SequenceFile, versions: &[Version]) -> Vec<String> {
    let stated = concord_sequence::versions::parties_with_stances(versions);
    let mut out: Vec<String> = file
        .parties
        .iter()
        .map(|p| p.id.clone())
        .filter(|id| stated.contains(id))
        .collect();
    for s in stated {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The text report of a file's versions: the versions, each point's lineage, how many points
/// survive from each version into each later one, acceptance by party, and every consecutive
/// comparison ([`lineage_model`] rendered).
pub fn lineage_text(file: &SequenceFile, versions: &[Version], lineage: &Lineage) -> String {
    lineage_model_text(&lineage_model(file, versions, lineage))
}

/// A provenance in words, as the version list and a conflict's demands show it.
fn provenance_text(p: &SeqProvenance) -> String {
    let source = |c: &SeqCitation| c.source.clone().unwrap_or_else(|| "?".into());
    match (p.basis.as_str(), p.citations.first()) {
        ("assumed", None) => "assumed by the analyst".into(),
        // The analyst's reading of a report: the quote is what the reading rests on, not the
        // demand in the party's words.
        ("assumed", Some(c)) => {
            format!(
                "assumed by the analyst, reading {}: \"{}\"",
                source(c),
                c.quote
            )
        }
        (b, Some(c)) => {
            let speaker = c
                .speaker
                .as_ref()
                .map(|s| format!(", says {s}"))
                .unwrap_or_default();
            format!("{b} in {}{speaker}: \"{}\"", source(c), c.quote)
        }
        (b, None) => b.into(),
    }
}

/// The text of a lineage, rendered from its model (the JSON is the same model serialised).
pub fn lineage_model_text(m: &LineageModel) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Versions of the framework document (oldest first):");
    for v in &m.versions {
        let _ = writeln!(out, "  {}", version_label(&v.version));
        if let Some(note) = &v.note {
            let _ = writeln!(out, "      note: {note}");
        }
        if !v.provenance.citations.is_empty() {
            let _ = writeln!(out, "      {}", provenance_text(&v.provenance));
        }
    }
    let _ = writeln!(out, "\nLineage of points (matched by content):");
    let mut t = table();
    t.set_header(
        m.versions
            .iter()
            .map(|v| v.version.id.clone())
            .collect::<Vec<_>>(),
    );
    for line in &m.lines {
        t.add_row(
            line.iter()
                .map(|p| match p {
                    Some(p) => point_label(p.number, &p.title),
                    None => "—".into(),
                })
                .collect::<Vec<_>>(),
        );
    }
    out.push_str(&crate::layout::render_table(&t, ""));
    let _ = writeln!(out, "Survival:");
    for s in &m.survival {
        let _ = writeln!(
            out,
            "  of the {} points of `{}`, into `{}`: {} survive, {} known dropped, {} not known",
            s.of, s.from, s.to, s.survive, s.dropped, s.unknown
        );
    }
    let parties: Vec<&str> = m
        .versions
        .first()
        .map(|v| v.acceptance.iter().map(|a| a.party.as_str()).collect())
        .unwrap_or_default();
    if !parties.is_empty() {
        let _ = writeln!(
            out,
            "\nAcceptance by party (points accepted / points listed; r = reserves, x = rejects, ? = no stance stated):"
        );
        let mut t = table();
        let mut header = vec!["version".to_string()];
        header.extend(parties.iter().map(ToString::to_string));
        t.set_header(header);
        for v in &m.versions {
            let mut row = vec![v.version.id.clone()];
            for a in &v.acceptance {
                let mut cell = match a.share {
                    Some(s) => format!("{}/{} ({:.0}%)", a.accepts, v.version.listed, s * 100.0),
                    None => "—".into(),
                };
                if a.reserves > 0 {
                    let _ = write!(cell, " r{}", a.reserves);
                }
                if a.rejects > 0 {
                    let _ = write!(cell, " x{}", a.rejects);
                }
                // A share of 0% over points on which the party has said nothing is not a
                // rejection: say how many are unknown.
                if a.not_stated > 0 && a.share.is_some() {
                    let _ = write!(cell, " ?{}", a.not_stated);
                }
                row.push(cell);
            }
            t.add_row(row);
        }
        out.push_str(&crate::layout::render_table(&t, ""));
    }
    for d in &m.diffs {
        let _ = writeln!(out, "\n{}", "-".repeat(60));
        out.push_str(&diff_body_text(d));
    }
    out
}

/// The model of `concord diff` of a file's versions (schema `concord.lineage/1`).
pub fn lineage_model(file: &SequenceFile, versions: &[Version], lineage: &Lineage) -> LineageModel {
    let parties = acceptance_parties(file, versions);
    LineageModel {
        schema: LINEAGE_SCHEMA.to_string(),
        versions: versions
            .iter()
            .map(|v| LineageVersion {
                version: version_row(v),
                note: v.note.clone(),
                provenance: provenance_row(file, &v.provenance),
                acceptance: acceptance(v, &parties)
                    .iter()
                    .map(|a| AcceptanceRow {
                        party: a.party.clone(),
                        accepts: a.accepts,
                        reserves: a.reserves,
                        rejects: a.rejects,
                        not_stated: a.not_stated,
                        share: a.share,
                    })
                    .collect(),
            })
            .collect(),
        lines: lineage
            .lines
            .iter()
            .map(|line| {
                line.iter()
                    .enumerate()
                    .map(|(k, p)| p.map(|i| point_row(&versions[k].points[i])))
                    .collect()
            })
            .collect(),
        survival: lineage
            .survival
            .iter()
            .map(|s| SurvivalRow {
                from: versions[s.from].id.clone(),
                to: versions[s.to].id.clone(),
                of: s.of,
                survive: s.survive,
                dropped: s.dropped,
                unknown: s.unknown,
            })
            .collect(),
        diffs: lineage
            .diffs
            .iter()
            .enumerate()
            .map(|(k, d)| diff_body(&versions[k], &versions[k + 1], d))
            .collect(),
    }
}

/// `concord diff --json` of a file's versions ([`lineage_model`] serialised).
pub fn lineage_json(file: &SequenceFile, versions: &[Version], lineage: &Lineage) -> Value {
    to_json(&lineage_model(file, versions, lineage))
}

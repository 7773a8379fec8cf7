//! The reports of `concord score`, `concord improve` and `concord compare`: each one typed model
//! (crate::draft_report), serialised as JSON (docs/json-output.md) and rendered as text fitted to
//! the output's width; and the what-ifs applied, in words. The request values they answer are
//! read by `concord_io::request`.

use std::fmt::Write;

use concord_core::analysis::Analysis;
use concord_core::bargaining::Concept;
use concord_core::engine::Evaluator;
use concord_core::model::{
    IssueIx, OptionIx, OptionSet, PartyIx, Proposal, RedLineIx, Scenario, DRAFT_ID,
};
use concord_core::proposal::{Completions as CoreCompletions, Improvements, Score};
use concord_core::whatif::{Applied, WhatIf};
use concord_io::scenario::format_number;

use concord_core::analysis::Constraint;

use crate::analysis_report::{space_count, CitationRow, Count, Keyed, ScenarioRef, Zone};
use crate::draft_report::{
    BrokenRedLine, CompareModel, CompletionPoint, CompletionSolution, Completions,
    CompletionsConflict, ConflictMember, ImproveModel, Improvement, ImprovementSet, Package,
    ProposalRow, ScoreModel, ScoredParty, ScoredSolution, VariantRow, VariantSolution,
};
use crate::text::{basis_note, describe_rule, group};

pub use crate::draft_report::{COMPARE_SCHEMA, IMPROVE_SCHEMA, SCORE_SCHEMA};

// ------------------------------------------------------------------------------------------
// Text helpers
// ------------------------------------------------------------------------------------------

use crate::layout::wrap;

fn para(w: &mut String, text: &str) {
    wrap(w, "", "", text);
}

fn item(w: &mut String, text: &str) {
    wrap(w, "  - ", "    ", text);
}

fn u3(x: f64) -> String {
    format!("{x:.3}")
}

fn signed(x: f64) -> String {
    if x >= 0.0 {
        format!("+{x:.3}")
    } else {
        format!("{x:.3}")
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn name(scenario: &Scenario, p: PartyIx) -> &str {
    &scenario.parties[p].name
}

fn option_id(scenario: &Scenario, i: IssueIx, o: OptionIx) -> &str {
    &scenario.issues[i].options[o].id
}

/// The what-if lines that open every report: one per change, in words.
pub fn what_if_lines(original: &Scenario, changes: &[WhatIf], applied: &Applied) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes {
        out.push(match *c {
            WhatIf::DropRedLine(r) => {
                let line = &original.red_lines[r];
                format!(
                    "red line `{}` of {} dropped ({})",
                    line.id,
                    name(original, line.party),
                    describe_rule(original, &line.rule)
                )
            }
            WhatIf::SetReservation { party, value } => format!(
                "reservation value of {} set to {} (was {})",
                name(original, party),
                format_number(value),
                original.preferences[party].as_ref().map_or_else(
                    || "none".to_string(),
                    |p| format_number(p.reservation.value)
                )
            ),
            WhatIf::Fix { issue, option } => format!(
                "issue {} fixed to {}",
                original.issues[issue].id,
                option_id(original, issue, option)
            ),
            WhatIf::SetWeight {
                party,
                issue,
                weight,
            } => {
                let was = original.preferences[party]
                    .as_ref()
                    .map_or(0.0, |p| p.issues[issue].weight.value);
                format!(
                    "weight of {} on {} set to {} (was {})",
                    name(original, party),
                    original.issues[issue].id,
                    format_number(weight),
                    format_number(was)
                )
            }
        });
    }
    for (p, _, after) in &applied.renormalised {
        let weights: Vec<String> = original
            .issues
            .iter()
            .zip(after)
            .map(|(i, w)| format!("{} {}", i.id, format_number(*w)))
            .collect();
        out.push(format!(
            "{}'s other weights scaled so that its weights sum to 1 again: {}",
            name(original, *p),
            weights.join(", ")
        ));
    }
    if let Some(r) = &applied.restricted {
        for &b in &r.broken {
            out.push(format!(
                "red line `{}` of {} cannot be met with the fixed issues",
                original.red_lines[b].id,
                name(original, original.red_lines[b].party)
            ));
        }
        for &p in &r.jointly {
            out.push(format!(
                "the red lines of {} cannot all be met with the fixed issues",
                name(original, p)
            ));
        }
    }
    out
}

/// The what-if block at the top of a text report (nothing when there are no changes).
pub fn what_if_text(lines: &[String]) -> String {
    let mut w = String::new();
    if lines.is_empty() {
        return w;
    }
    para(
        &mut w,
        "WHAT IF (the file is unchanged; these changes are made for this report):",
    );
    for l in lines {
        item(&mut w, l);
    }
    let _ = writeln!(w);
    w
}

// ------------------------------------------------------------------------------------------
// Score
// ------------------------------------------------------------------------------------------

fn dedup(mut v: Vec<&str>) -> Vec<&str> {
    let mut seen = Vec::new();
    v.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(*x);
            true
        }
    });
    v
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn concept_name(c: Concept) -> &'static str {
    match c {
        Concept::Nash => "Nash",
        Concept::KalaiSmorodinsky => "Kalai-Smorodinsky",
        Concept::Egalitarian => "egalitarian",
        Concept::Utilitarian => "utilitarian",
    }
}

// ------------------------------------------------------------------------------------------
// JSON
// ------------------------------------------------------------------------------------------

fn ids_of_parties(scenario: &Scenario, parties: &[PartyIx]) -> Vec<String> {
    parties
        .iter()
        .map(|&p| scenario.parties[p].id.clone())
        .collect()
}

fn ids_of_issues(scenario: &Scenario, issues: &[IssueIx]) -> Vec<String> {
    issues
        .iter()
        .map(|&i| scenario.issues[i].id.clone())
        .collect()
}

/// A package's utilities by party: exact (summed on the integer scale, rounded once) when the
/// scenario's numbers are short decimals, as the analysis decides, so that a package listed
/// beside a frontier point shows the same numbers (0.65, not 0.6499999999999999).
fn package_utilities(scenario: &Scenario, eval: &Evaluator, package: &[OptionIx]) -> Keyed<f64> {
    let mut u = vec![0.0; eval.width()];
    match concord_core::exact::scale(scenario) {
        Some((scaled, unit)) => {
            Evaluator::new(&scaled).utilities(package, &mut u);
            for x in &mut u {
                *x = unit.utility(*x);
            }
        }
        None => eval.utilities(package, &mut u),
    }
    eval.scored
        .iter()
        .zip(u)
        .map(|(&p, x)| (scenario.parties[p].id.clone(), x))
        .collect()
}

fn package_model(scenario: &Scenario, eval: &Evaluator, package: &[OptionIx]) -> Package {
    Package {
        options: package
            .iter()
            .enumerate()
            .map(|(i, &o)| {
                (
                    scenario.issues[i].id.clone(),
                    option_id(scenario, i, o).to_string(),
                )
            })
            .collect(),
        utilities: package_utilities(scenario, eval, package),
    }
}

fn by_party(scenario: &Scenario, parties: &[PartyIx], values: &[f64]) -> Keyed<f64> {
    parties
        .iter()
        .zip(values)
        .map(|(&p, &x)| (scenario.parties[p].id.clone(), x))
        .collect()
}

fn broken_red_line(scenario: &Scenario, r: RedLineIx, shapes_zone: bool) -> BrokenRedLine {
    let line = &scenario.red_lines[r];
    BrokenRedLine {
        id: line.id.clone(),
        party: scenario.parties[line.party].id.clone(),
        rule: describe_rule(scenario, &line.rule),
        shapes_zone,
        consent: scenario.parties[line.party].consent,
        basis: line.provenance.basis.as_str().to_string(),
        basis_note: basis_note(scenario, &line.provenance),
        citations: line
            .provenance
            .citations
            .iter()
            .map(|c| CitationRow {
                source: scenario.sources[c.source].id.clone(),
                quote: c.quote.clone(),
                speaker: c.speaker.clone(),
            })
            .collect(),
    }
}

fn proposal_row(
    scenario: &Scenario,
    proposal: Option<&Proposal>,
    allowed: &[OptionSet],
    overridden: &[IssueIx],
) -> ProposalRow {
    let terms = allowed
        .iter()
        .enumerate()
        .filter(|(i, set)| {
            set.indices().len() < scenario.issues[*i].options.len()
                || scenario.issues[*i].options.len() == 1
        })
        .map(|(i, set)| {
            (
                scenario.issues[i].id.clone(),
                set.indices()
                    .iter()
                    .map(|&o| option_id(scenario, i, o).to_string())
                    .collect(),
            )
        })
        .collect();
    let open = allowed
        .iter()
        .enumerate()
        .filter(|(i, set)| {
            set.indices().len() == scenario.issues[*i].options.len() && set.indices().len() > 1
        })
        .map(|(i, _)| scenario.issues[i].id.clone())
        .collect();
    ProposalRow {
        id: proposal.map(|p| p.id.clone()),
        title: proposal.map(|p| p.title.clone()),
        by: proposal
            .map(|p| ids_of_parties(scenario, &p.by))
            .unwrap_or_default(),
        date: proposal.and_then(|p| p.date.clone()),
        terms,
        open,
        overridden: ids_of_issues(scenario, overridden),
        source: proposal
            .filter(|p| {
                p.id != DRAFT_ID
                    && (!p.provenance.citations.is_empty()
                        || !p.provenance.claims.is_empty()
                        || !p.note.is_empty())
            })
            .map(|p| basis_note(scenario, &p.provenance)),
        note: proposal
            .filter(|p| !p.note.is_empty())
            .map(|p| p.note.clone()),
    }
}

/// Every party's name by id.
fn party_names(scenario: &Scenario) -> Keyed<String> {
    scenario
        .parties
        .iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect()
}

fn scenario_ref(scenario: &Scenario) -> ScenarioRef {
    ScenarioRef {
        id: scenario.id.clone(),
        title: scenario.title.clone(),
    }
}

fn completions_model(scenario: &Scenario, score: &Score, c: &CoreCompletions) -> Completions {
    let r = &c.restricted;
    match &c.analysis {
        None => Completions {
            zone_exists: false,
            zone_size: Some(0),
            blocked_by_red_lines: c
                .blocked_by
                .iter()
                .map(|&b| scenario.red_lines[b].id.clone())
                .collect(),
            blocked_by_red_line_parties: c
                .blocked_by
                .iter()
                .map(|&b| scenario.parties[scenario.red_lines[b].party].id.clone())
                .collect(),
            blocked_by_parties: ids_of_parties(scenario, &c.blocked_parties),
            improvable: None,
            method: None,
            space_size: None,
            no_zone: None,
            solutions: Vec::new(),
        },
        Some(na) => Completions {
            zone_exists: na.zone_exists,
            zone_size: na.zone_size,
            blocked_by_red_lines: Vec::new(),
            blocked_by_red_line_parties: Vec::new(),
            blocked_by_parties: Vec::new(),
            improvable: c
                .improvable
                .as_ref()
                .map(|v| v.iter().map(|c| c.as_str().to_string()).collect()),
            method: Some(na.method.as_str().to_string()),
            space_size: Some(space_count(na)),
            no_zone: na.no_zone.as_ref().filter(|_| !na.zone_exists).map(|nz| {
                CompletionsConflict {
                    conflict: nz
                        .conflict
                        .iter()
                        .map(|c| match *c {
                            Constraint::RedLine(l) => {
                                let line = &r.scenario.red_lines[l];
                                ConflictMember {
                                    red_line: Some(line.id.clone()),
                                    party: scenario.parties[line.party].id.clone(),
                                }
                            }
                            Constraint::Reservation(p) => ConflictMember {
                                red_line: None,
                                party: scenario.parties[p].id.clone(),
                            },
                        })
                        .collect(),
                    conflict_count: nz.conflicts.len(),
                    conflicts_complete: nz.conflicts_complete,
                }
            }),
            solutions: na
                .solutions
                .iter()
                .map(|s| CompletionSolution {
                    concept: s.concept.as_str().to_string(),
                    value: s.value,
                    points: s
                        .points
                        .iter()
                        .map(|&i| {
                            let q = na.solution_point(i);
                            CompletionPoint {
                                utilities: by_party(scenario, &na.consenting, &q.utilities),
                                package_count: Count::of(q.package_count),
                                package: na.packages(q).first().map(|p| {
                                    package_model(
                                        scenario,
                                        &score.analysis.evaluator,
                                        &r.original(p),
                                    )
                                }),
                            }
                        })
                        .collect(),
                })
                .collect(),
        },
    }
}

/// The model of `concord score` (schema `concord.score/1`).
pub fn score_model(
    scenario: &Scenario,
    proposal: Option<&Proposal>,
    overridden: &[IssueIx],
    score: &Score,
    what_if: &[String],
) -> ScoreModel {
    let a = &score.analysis;
    let shaping = |r: RedLineIx| {
        a.consenting.contains(&scenario.red_lines[r].party) && !a.set_aside_red_lines.contains(&r)
    };
    ScoreModel {
        schema: SCORE_SCHEMA.to_string(),
        scenario: scenario_ref(scenario),
        what_if: what_if.to_vec(),
        party_names: party_names(scenario),
        proposal: proposal_row(scenario, proposal, &score.allowed, overridden),
        complete: score.package.is_some(),
        package: score
            .package
            .as_ref()
            .map(|p| package_model(scenario, &a.evaluator, p)),
        parties: score
            .parties
            .iter()
            .map(|p| ScoredParty {
                id: scenario.parties[p.party].id.clone(),
                consent: p.consent,
                reservation: p.reservation,
                utility: p.utility,
                gain: p.utility.map(|u| u - p.reservation),
                range: [p.range.0, p.range.1],
                best_in_zone: p.best_in_zone,
            })
            .collect(),
        broken_red_lines: score
            .broken
            .iter()
            .map(|&r| broken_red_line(scenario, r, shaping(r)))
            .collect(),
        in_zone: score.in_zone,
        below_reservation: ids_of_parties(scenario, &score.below_reservation),
        zone_exists: a.zone_exists,
        frontier_distance: score.frontier_distance,
        solutions: score
            .solutions
            .iter()
            .map(|s| ScoredSolution {
                concept: s.concept.as_str().to_string(),
                distance: s.distance,
                differs: ids_of_issues(scenario, &s.differs),
                package: package_model(scenario, &a.evaluator, &s.package),
            })
            .collect(),
        completions: score
            .completions
            .as_ref()
            .map(|c| completions_model(scenario, score, c)),
    }
}

// ------------------------------------------------------------------------------------------
// Improve
// ------------------------------------------------------------------------------------------

/// One improvement as the reports show it: its package in the scenario's indices and its
/// consenting utilities.
struct Shown {
    package: Vec<OptionIx>,
    utilities: Vec<f64>,
}

fn shown(imp: &Improvements, concept: Concept) -> Option<Shown> {
    let a = imp.analysis.as_ref()?;
    let s = a.solutions.iter().find(|s| s.concept == concept)?;
    let point = a.solution_point(*s.points.first()?);
    let pkg = a.packages(point).into_iter().next()?;
    Some(Shown {
        package: imp.original(&pkg),
        utilities: point.utilities.clone(),
    })
}

/// Consenting parties a package leaves below their reservation value in `scenario`.
fn below(scenario: &Scenario, consenting: &[PartyIx], u: &[f64]) -> Vec<PartyIx> {
    consenting
        .iter()
        .zip(u)
        .filter(|(&p, &x)| {
            scenario.preferences[p]
                .as_ref()
                .is_some_and(|pr| x < pr.reservation.value)
        })
        .map(|(&p, _)| p)
        .collect()
}

fn improvement(
    scenario: &Scenario,
    eval: &Evaluator,
    consenting: &[PartyIx],
    imp: &Improvements,
    package: &[OptionIx],
    u: &[f64],
) -> Improvement {
    let gains: Vec<f64> = u.iter().zip(&imp.utilities).map(|(a, b)| a - b).collect();
    Improvement {
        utilities: by_party(scenario, consenting, u),
        gains: by_party(scenario, consenting, &gains),
        changed: (0..package.len())
            .filter(|&i| package[i] != imp.package[i])
            .map(|i| scenario.issues[i].id.clone())
            .collect(),
        below_reservation: ids_of_parties(scenario, &below(scenario, consenting, u)),
        broken_red_lines: (0..scenario.red_lines.len())
            .filter(|&r| !scenario.red_lines[r].rule.allows(package))
            .map(|r| broken_red_line(scenario, r, false))
            .collect(),
        package: package_model(scenario, eval, package),
    }
}

/// The model of `concord improve` (schema `concord.improve/1`).
pub fn improve_model(
    scenario: &Scenario,
    proposal: Option<&Proposal>,
    overridden: &[IssueIx],
    imp: &Improvements,
    what_if: &[String],
) -> ImproveModel {
    let eval = Evaluator::new(scenario);
    let consenting = scenario.consenting();
    let allowed: Vec<OptionSet> = imp
        .package
        .iter()
        .enumerate()
        .map(|(i, &o)| OptionSet::from_indices(scenario.issues[i].options.len(), &[o]))
        .collect();
    let a = imp.analysis.as_ref();
    let concept = |c: Concept| {
        shown(imp, c)
            .map(|s| improvement(scenario, &eval, &consenting, imp, &s.package, &s.utilities))
    };
    let points: Vec<Improvement> = a
        .filter(|a| a.frontier_materialised && !imp.efficient)
        .map(|a| {
            a.frontier
                .iter()
                .take(1000)
                .filter_map(|q| {
                    let p = imp.original(&a.packages(q).into_iter().next()?);
                    Some(improvement(
                        scenario,
                        &eval,
                        &consenting,
                        imp,
                        &p,
                        &q.utilities,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    ImproveModel {
        schema: IMPROVE_SCHEMA.to_string(),
        scenario: scenario_ref(scenario),
        what_if: what_if.to_vec(),
        party_names: party_names(scenario),
        proposal: proposal_row(scenario, proposal, &allowed, overridden),
        package: package_model(scenario, &eval, &imp.package),
        utilities: by_party(scenario, &consenting, &imp.utilities),
        reservations: by_party(
            scenario,
            &consenting,
            &consenting
                .iter()
                .map(|&p| {
                    scenario.preferences[p]
                        .as_ref()
                        .map_or(0.0, |pr| pr.reservation.value)
                })
                .collect::<Vec<_>>(),
        ),
        keep: ids_of_issues(scenario, &imp.keep),
        broken_red_lines: imp
            .broken
            .iter()
            .map(|&r| broken_red_line(scenario, r, true))
            .collect(),
        efficient: imp.efficient,
        method: a.map(|a| a.method.as_str().to_string()),
        space_size: a.map(space_count),
        improvements: ImprovementSet {
            package_count: if a.is_none() { Some(0) } else { imp.count },
            frontier_size: a.filter(|a| a.frontier_materialised).map(|a| {
                if imp.efficient {
                    0
                } else {
                    a.frontier.len()
                }
            }),
            points,
        },
        closest: imp
            .closest
            .as_ref()
            .map(|c| improvement(scenario, &eval, &consenting, imp, &c.package, &c.utilities)),
        max_min_gain: if imp.efficient {
            None
        } else {
            concept(Concept::Egalitarian)
        },
        nash: if imp.efficient {
            None
        } else {
            concept(Concept::Nash)
        },
    }
}

// ------------------------------------------------------------------------------------------
// Compare
// ------------------------------------------------------------------------------------------

/// One variant of `concord compare`: its changes in words and its analysis (or why it has none).
pub struct Variant<'a> {
    /// `as written`, or the `--what-if` text.
    pub label: String,
    /// The changes in words ([`what_if_lines`]).
    pub what_if: Vec<String>,
    /// The scenario the analysis is of.
    pub scenario: &'a Scenario,
    /// The analysis, or why the variant cannot be analysed.
    pub outcome: Result<Analysis, String>,
    /// Why the variant has no agreement zone whatever the issues left open, when that is known
    /// without an analysis (a fixed issue breaks a red line that shapes the zone); `outcome` is
    /// then an error with the same words. A conclusion, shown as an empty zone.
    pub closed: Option<String>,
}

/// A solution's first package as (issue id, option id) pairs, so that variants whose issues
/// were narrowed compare by name.
fn solution_options(
    scenario: &Scenario,
    a: &Analysis,
    c: Concept,
) -> Option<Vec<(String, String)>> {
    let s = a.solutions.iter().find(|s| s.concept == c)?;
    let pkg = a
        .packages(a.solution_point(*s.points.first()?))
        .into_iter()
        .next()?;
    Some(
        pkg.iter()
            .enumerate()
            .map(|(i, &o)| {
                (
                    scenario.issues[i].id.clone(),
                    option_id(scenario, i, o).to_string(),
                )
            })
            .collect(),
    )
}

/// How a variant's conclusions differ from the first's, in words.
fn differences(base: &Variant, v: &Variant) -> Vec<String> {
    if let (Some(why), Ok(b)) = (&v.closed, &base.outcome) {
        return vec![if b.zone_exists {
            format!("the agreement zone closes: {why}")
        } else {
            format!("still no agreement zone: {why}")
        }];
    }
    let (Ok(b), Ok(a)) = (&base.outcome, &v.outcome) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if a.zone_exists != b.zone_exists {
        out.push(if a.zone_exists {
            "an agreement zone opens".to_string()
        } else {
            "the agreement zone closes".to_string()
        });
    } else if a.zone_size != b.zone_size {
        // Both zones exist here; a size is missing when it was not counted.
        let size = |a: &Analysis| {
            a.zone_size.map_or("not counted".to_string(), |n| {
                format!(
                    "{} package{}",
                    group(u128::from(n)),
                    if n == 1 { "" } else { "s" }
                )
            })
        };
        out.push(format!("zone {} -> {}", size(b), size(a)));
    }
    for c in Concept::ALL {
        let (x, y) = (
            solution_options(base.scenario, b, c),
            solution_options(v.scenario, a, c),
        );
        match (x, y) {
            (Some(x), Some(y)) if x != y => {
                let moved: Vec<String> = x
                    .iter()
                    .zip(&y)
                    .filter(|(p, q)| p.1 != q.1)
                    .map(|(p, q)| format!("{} {} -> {}", p.0, p.1, q.1))
                    .collect();
                out.push(format!("{} package: {}", concept_name(c), moved.join(", ")));
            }
            _ => {}
        }
    }
    out
}

/// The text report of `concord compare` ([`compare_model`] rendered).
pub fn compare_text(variants: &[Variant]) -> String {
    compare_model_text(&compare_model(variants))
}

/// The text of a comparison, rendered from its model (the JSON is the same model serialised).
pub fn compare_model_text(m: &CompareModel) -> String {
    let mut w = String::new();
    let (Some(scenario), Some(base)) = (&m.scenario, m.variants.first()) else {
        return w;
    };
    let _ = writeln!(w, "{} ({})", scenario.title, scenario.id);
    for (k, v) in m.variants.iter().enumerate() {
        wrap(
            &mut w,
            &format!("{}. ", k + 1),
            "   ",
            &format!(
                "{}{}",
                v.label,
                if v.what_if.is_empty() {
                    String::new()
                } else {
                    format!(": {}", v.what_if.join("; "))
                }
            ),
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "{:<20}{}",
        "variant",
        (1..=m.variants.len())
            .map(|k| format!("{:>12}", k))
            .collect::<String>()
    );
    let row = |w: &mut String, label: &str, cell: &dyn Fn(usize, &VariantRow) -> String| {
        let label = truncate(label, 19);
        let _ = writeln!(
            w,
            "{:<20}{}",
            label,
            m.variants
                .iter()
                .enumerate()
                .map(|(k, v)| format!("{:>12}", truncate(&cell(k, v), 11)))
                .collect::<String>()
        );
    };
    row(&mut w, "zone (packages)", &|_, v| match &v.zone {
        _ if v.closed_by.is_some() => "none".into(),
        None => "error".into(),
        Some(z) => match (z.exists, z.size) {
            (false, _) => "none".to_string(),
            (true, Some(n)) => group(u128::from(n)),
            (true, None) => "yes".to_string(),
        },
    });
    fn options(v: &VariantRow, c: Concept) -> Option<&Vec<(String, String)>> {
        v.solutions
            .iter()
            .find(|s| s.concept == c.as_str())
            .map(|s| &s.options.0)
    }
    for c in Concept::ALL {
        row(&mut w, concept_name(c), &|k, v| {
            if v.closed_by.is_some() {
                return "-".into();
            }
            if v.zone.is_none() {
                return "error".into();
            }
            match (options(base, c), options(v, c)) {
                (_, None) => "-".into(),
                (Some(x), Some(y)) if k == 0 || x == y => "same".into(),
                (None, Some(_)) => "new".into(),
                (Some(x), Some(y)) => format!(
                    "{} changed",
                    x.iter().zip(y).filter(|(p, q)| p.1 != q.1).count()
                ),
            }
        });
    }
    para(&mut w, "(Rows are the package each solution picks: \"same\" as variant 1, or \"N changed\" when it differs on N issues.)");
    let _ = writeln!(w);
    para(&mut w, "What changes against variant 1:");
    let mut any = false;
    for (k, v) in m.variants.iter().enumerate().skip(1) {
        any = true;
        let line = match &v.error {
            Some(e) => format!("{}: cannot be analysed: {e}", k + 1),
            None if v.changes.is_empty() => format!("{}: no conclusion changes", k + 1),
            None => format!("{}: {}", k + 1, v.changes.join("; ")),
        };
        item(&mut w, &line);
    }
    if !any {
        item(&mut w, "no other variant");
    }
    if let Some(zone) = &base.zone {
        let _ = writeln!(w);
        if !zone.exists {
            // An empty heading read as a missing list.
            para(
                &mut w,
                "Variant 1 has no agreement zone, so no packages to list (`concord analyze` says why).",
            );
            return w;
        }
        para(&mut w, "Packages of variant 1:");
        for c in Concept::ALL {
            if let Some(x) = options(base, c) {
                wrap(
                    &mut w,
                    &format!("  {}: ", concept_name(c)),
                    "    ",
                    &x.iter()
                        .map(|(i, o)| format!("{i} = {o}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
        }
    }
    w
}

/// The model of `concord compare` (schema `concord.compare/1`).
pub fn compare_model(variants: &[Variant]) -> CompareModel {
    let base = variants.first();
    let variant_row = |v: &Variant| {
        let solutions: Vec<VariantSolution> = match &v.outcome {
            Ok(a) => Concept::ALL
                .iter()
                .filter_map(|&c| {
                    let opts = solution_options(v.scenario, a, c)?;
                    let s = a.solutions.iter().find(|s| s.concept == c)?;
                    let q = a.solution_point(*s.points.first()?);
                    Some(VariantSolution {
                        concept: c.as_str().to_string(),
                        value: s.value,
                        tied: s.points.len(),
                        options: opts.into_iter().collect(),
                        utilities: by_party(v.scenario, &a.consenting, &q.utilities),
                    })
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        VariantRow {
            label: v.label.clone(),
            what_if: v.what_if.clone(),
            error: v
                .outcome
                .as_ref()
                .err()
                .filter(|_| v.closed.is_none())
                .cloned(),
            closed_by: v.closed.clone(),
            zone: match (&v.outcome, &v.closed) {
                (_, Some(_)) => Some(Zone {
                    exists: false,
                    size: Some(0),
                    share: Some(0.0),
                }),
                (Ok(a), None) => Some(Zone {
                    exists: a.zone_exists,
                    size: a.zone_size,
                    share: a.zone_share(),
                }),
                (Err(_), None) => None,
            },
            solutions,
            changes: base.map(|b| differences(b, v)).unwrap_or_default(),
        }
    };
    CompareModel {
        schema: COMPARE_SCHEMA.to_string(),
        scenario: base.map(|b| scenario_ref(b.scenario)),
        variants: variants.iter().map(variant_row).collect(),
    }
}

// ------------------------------------------------------------------------------------------
// Text, from the models
// ------------------------------------------------------------------------------------------

/// A party's name in a report model (its id when the model lacks it).
fn named<'a>(names: &'a Keyed<String>, id: &'a str) -> &'a str {
    names.get(id).map_or(id, String::as_str)
}

/// A concept's name in a sentence, from its id in a model.
fn concept_words(concept: &str) -> String {
    let known = [
        Concept::Nash,
        Concept::KalaiSmorodinsky,
        Concept::Egalitarian,
        Concept::Utilitarian,
    ];
    known
        .into_iter()
        .find(|c| c.as_str() == concept)
        .map_or_else(|| concept.to_string(), |c| concept_name(c).to_string())
}

/// `issue = option` for each issue of a package, joined.
fn options_words(options: &Keyed<String>) -> String {
    options
        .0
        .iter()
        .map(|(i, o)| format!("{i} = {o}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The option a package sets on an issue (empty when the package lacks the issue).
fn option_of<'a>(package: &'a Package, issue: &str) -> &'a str {
    package.options.get(issue).map_or("", String::as_str)
}

/// The issues where `to` differs from `from`, as `issue: a -> b`.
fn changes_in(from: &Package, to: &Package) -> String {
    let changed: Vec<String> = from
        .options
        .0
        .iter()
        .filter_map(|(i, a)| {
            let b = option_of(to, i);
            (a != b).then(|| format!("{i}: {a} -> {b}"))
        })
        .collect();
    if changed.is_empty() {
        "no issue changed".to_string()
    } else {
        changed.join("; ")
    }
}

/// `Name +0.100, …` over the parties of `gains`.
fn gains_in(names: &Keyed<String>, gains: &Keyed<f64>) -> String {
    gains
        .0
        .iter()
        .map(|(p, g)| format!("{} {}", named(names, p), signed(*g)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A red line in a sentence: its id, party, rule and basis.
fn broken_words(names: &Keyed<String>, r: &BrokenRedLine) -> String {
    format!(
        "`{}` of {}: {} ({})",
        r.id,
        named(names, &r.party),
        r.rule,
        r.basis_note
    )
}

/// The names of parties by id, joined with `and`.
fn names_and(names: &Keyed<String>, ids: &[String]) -> String {
    ids.iter()
        .map(|p| named(names, p))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Where the proposal comes from, and which of its terms the request replaced.
fn proposal_heading_of(w: &mut String, names: &Keyed<String>, p: &ProposalRow) {
    match (&p.id, &p.title) {
        (Some(id), title) => {
            let mut head = format!("Proposal `{id}`: {}", title.as_deref().unwrap_or(""));
            if !p.by.is_empty() {
                let _ = write!(head, ", tabled by {}", names_and(names, &p.by));
            }
            if let Some(d) = &p.date {
                let _ = write!(head, ", {d}");
            }
            para(w, &format!("{head}."));
            if let Some(source) = &p.source {
                wrap(w, "  Source: ", "  ", source);
            }
            // The note says which terms are the analyst's reading rather than the source's.
            if let Some(note) = &p.note {
                wrap(w, "  Note: ", "  ", note);
            }
        }
        (None, _) => para(
            w,
            "The package given on the command line (--package, --fix).",
        ),
    }
    if !p.overridden.is_empty() {
        para(
            w,
            &format!(
                "Its terms on {} are replaced by those given on the command line.",
                p.overridden.join(", ")
            ),
        );
    }
}

/// `concord improve` as text, from its model.
pub fn improve_model_text(m: &ImproveModel) -> String {
    let names = &m.party_names;
    let mut w = String::new();
    w.push_str(&what_if_text(&m.what_if));
    let _ = writeln!(w, "{} ({})", m.scenario.title, m.scenario.id);
    proposal_heading_of(&mut w, names, &m.proposal);
    wrap(
        &mut w,
        "The package: ",
        "  ",
        &options_words(&m.package.options),
    );
    let _ = writeln!(w);
    para(
        &mut w,
        "What it gives each consenting party (utility, and gain over its reservation value):",
    );
    for (p, u) in &m.utilities.0 {
        let u = *u;
        let r = m.reservations.get(p).copied().unwrap_or(0.0);
        let note = if u < r {
            "BELOW its reservation value"
        } else {
            ""
        };
        let line = format!(
            "  {:<24} {}  {} over {}  {note}",
            truncate(named(names, p), 24),
            u3(u),
            signed(u - r),
            format_number(r)
        );
        let _ = writeln!(w, "{}", line.trim_end());
    }
    if !m.broken_red_lines.is_empty() {
        let _ = writeln!(w);
        para(
            &mut w,
            "It breaks these red lines of consenting parties; an improvement must meet them:",
        );
        for r in &m.broken_red_lines {
            item(&mut w, &broken_words(names, r));
        }
    }
    if !m.keep.is_empty() {
        let kept: Vec<String> = m
            .keep
            .iter()
            .map(|i| format!("{i} = {}", option_of(&m.package, i)))
            .collect();
        wrap(&mut w, "Kept as proposed: ", "  ", &kept.join(", "));
    }
    let _ = writeln!(w);
    let (Some(method), Some(space)) = (&m.method, &m.space_size) else {
        para(&mut w, "NO IMPROVEMENT: with the kept issues as proposed, no package meets every red line of a consenting party.");
        return w;
    };
    let how = format!("{method} over {} packages", crate::text::count_words(space));
    if m.efficient {
        if m.broken_red_lines.is_empty() {
            para(&mut w, &format!("EFFICIENT: no package that meets the red lines gives every consenting party at least what this one gives and one party more ({how}). Any change makes some consenting party worse off."));
        } else {
            para(&mut w, &format!("NO IMPROVEMENT: no package that meets the red lines gives every consenting party at least what this one gives and one party more ({how})."));
        }
        return w;
    }
    let count = match m.improvements.package_count {
        Some(n) => format!(
            "{} package{}",
            group(u128::from(n)),
            if n == 1 { "" } else { "s" }
        ),
        None => "packages (not counted)".to_string(),
    };
    let points = match m.improvements.frontier_size {
        Some(n) => format!(
            "{} point{} on their frontier",
            group(n as u128),
            if n == 1 { "" } else { "s" }
        ),
        None => "their frontier not materialised (branch and bound)".to_string(),
    };
    para(&mut w, &format!("IMPROVEMENTS: {count} give every consenting party at least what this one gives and one party more; {points} ({how})."));
    let _ = writeln!(w);
    let show = |w: &mut String, title: &str, s: &Improvement| {
        let mut text = format!(
            "{}. Gains: {}.",
            changes_in(&m.package, &s.package),
            gains_in(names, &s.gains)
        );
        // An improvement meets every red line that shapes the zone, so a red line it breaks is
        // either a consenting party's set aside by --red-lines or a party's whose consent is not
        // needed: say which, party by party.
        let by_party = |consent: bool| -> Option<String> {
            let mut parties: Vec<&str> = Vec::new();
            for r in s.broken_red_lines.iter().filter(|r| r.consent == consent) {
                if !parties.contains(&r.party.as_str()) {
                    parties.push(&r.party);
                }
            }
            let groups: Vec<String> = parties
                .iter()
                .map(|&p| {
                    let ids: Vec<String> = s
                        .broken_red_lines
                        .iter()
                        .filter(|r| r.party == p)
                        .map(|r| format!("`{}`", r.id))
                        .collect();
                    format!("{} of {}", and_list(&ids), named(names, p))
                })
                .collect();
            (!groups.is_empty()).then(|| groups.join("; "))
        };
        let mut advisory = Vec::new();
        if let Some(g) = by_party(true) {
            advisory.push(format!("{g}, set aside by --red-lines"));
        }
        if let Some(g) = by_party(false) {
            advisory.push(format!("{g}, whose consent is not needed"));
        }
        if !advisory.is_empty() {
            let _ = write!(
                text,
                " It breaks red lines that do not shape the zone: {}.",
                advisory.join("; and ")
            );
        }
        if !s.below_reservation.is_empty() {
            let _ = write!(
                text,
                " Still below the reservation value of {}.",
                names_and(names, &s.below_reservation)
            );
        }
        wrap(w, &format!("{title}: "), "    ", &text);
    };
    match &m.closest {
        Some(c) => show(
            &mut w,
            &format!(
                "Smallest change every consenting party prefers ({} issue{})",
                c.changed.len(),
                if c.changed.len() == 1 { "" } else { "s" }
            ),
            c,
        ),
        None if m.improvements.frontier_size.is_some() => para(&mut w, "No package makes every consenting party strictly better off: each improvement leaves some party where it is."),
        None => {}
    }
    if let Some(s) = &m.max_min_gain {
        show(&mut w, "Largest smallest gain (max-min)", s);
    }
    if let Some(s) = &m.nash {
        show(&mut w, "Nash improvement (largest product of gains)", s);
    }
    let total = m.improvements.frontier_size.unwrap_or(0);
    if total > 1 {
        let _ = writeln!(w);
        let n = total.min(10);
        para(
            &mut w,
            &format!(
                "The frontier of improvements{} (gains over the proposal; issues changed):",
                if total > n {
                    format!(", first {n} of {total}")
                } else {
                    String::new()
                }
            ),
        );
        for q in m.improvements.points.iter().take(n) {
            item(
                &mut w,
                &format!("{}; {}", gains_in(names, &q.gains), q.changed.join(", ")),
            );
        }
    }
    w
}

/// `concord score` as text, from its model.
pub fn score_model_text(m: &ScoreModel) -> String {
    let names = &m.party_names;
    let mut w = String::new();
    w.push_str(&what_if_text(&m.what_if));
    let _ = writeln!(w, "{} ({})", m.scenario.title, m.scenario.id);
    proposal_heading_of(&mut w, names, &m.proposal);
    let settled: Vec<String> = m
        .proposal
        .terms
        .0
        .iter()
        .map(|(i, options)| format!("{i} = {}", options.join(" or ")))
        .collect();
    if m.proposal.open.is_empty() && m.complete {
        wrap(
            &mut w,
            "It settles every issue: ",
            "  ",
            &settled.join(", "),
        );
    } else {
        wrap(
            &mut w,
            "It settles: ",
            "  ",
            &if settled.is_empty() {
                "nothing".to_string()
            } else {
                settled.join(", ")
            },
        );
        wrap(&mut w, "Still open: ", "  ", &m.proposal.open.join(", "));
    }
    let _ = writeln!(w);
    if m.complete {
        para(
            &mut w,
            "What it gives each party (utility, and gain over its reservation value):",
        );
        for p in &m.parties {
            let u = p.utility.unwrap_or(p.range[0]);
            let note = if !p.consent {
                "no consent needed".to_string()
            } else if u < p.reservation {
                "BELOW its reservation value".to_string()
            } else {
                String::new()
            };
            let line = format!(
                "  {:<24} {}  {} over {}  {}",
                truncate(named(names, &p.id), 24),
                u3(u),
                signed(u - p.reservation),
                format_number(p.reservation),
                note
            );
            let _ = writeln!(w, "{}", line.trim_end());
        }
    } else {
        para(&mut w, "What each party can still get over the open issues (least to most, whatever the red lines; and the most among completions in the agreement zone):");
        for p in &m.parties {
            let best = match p.best_in_zone {
                Some(b) => format!("zone best {}", u3(b)),
                None if p.consent => "no completion in the zone".to_string(),
                None => "no consent needed".to_string(),
            };
            let _ = writeln!(
                w,
                "  {:<24} {} to {}  {}",
                truncate(named(names, &p.id), 24),
                u3(p.range[0]),
                u3(p.range[1]),
                best
            );
        }
    }
    let _ = writeln!(w);
    if m.broken_red_lines.is_empty() {
        para(
            &mut w,
            if m.complete {
                "It breaks no red line."
            } else {
                "No red line is broken by every completion."
            },
        );
    } else {
        para(
            &mut w,
            if m.complete {
                "Red lines it breaks:"
            } else {
                "Red lines every completion breaks:"
            },
        );
        for r in &m.broken_red_lines {
            let tag = if r.shapes_zone {
                ""
            } else {
                " [does not shape the zone]"
            };
            item(&mut w, &format!("{}{tag}", broken_words(names, r)));
        }
    }
    let _ = writeln!(w);
    if !m.complete {
        if let Some(c) = &m.completions {
            completions_model_text(&mut w, m, c);
        }
        return w;
    }
    if m.in_zone == Some(true) {
        para(&mut w, "IN THE AGREEMENT ZONE: it breaks no red line of a consenting party and gives each at least its reservation value.");
    } else {
        let mut why = Vec::new();
        let shaping: Vec<&BrokenRedLine> = m
            .broken_red_lines
            .iter()
            .filter(|r| r.shapes_zone)
            .collect();
        if !shaping.is_empty() {
            let owners: Vec<&str> = shaping.iter().map(|r| named(names, &r.party)).collect();
            let n = shaping.len();
            why.push(format!(
                "it breaks {n} red line{} of {}",
                if n == 1 { "" } else { "s" },
                dedup(owners).join(" and ")
            ));
        }
        if !m.below_reservation.is_empty() {
            why.push(format!(
                "it leaves {} below the reservation value",
                names_and(names, &m.below_reservation)
            ));
        }
        para(
            &mut w,
            &format!("OUTSIDE THE AGREEMENT ZONE: {}.", why.join("; ")),
        );
    }
    match m.frontier_distance {
        Some(d) if d == 0.0 && m.in_zone == Some(true) => para(&mut w, "It is on the Pareto frontier: no package of the zone is better for one consenting party and no worse for the others."),
        Some(d) if m.in_zone == Some(true) => para(&mut w, &format!("Distance to the nearest point of the Pareto frontier: {} (Euclidean, over the consenting parties' utilities); `concord improve` lists the packages better for everyone.", u3(d))),
        Some(d) => para(&mut w, &format!("Distance to the nearest point of the zone's Pareto frontier: {} (Euclidean, over the consenting parties' utilities).", u3(d))),
        None if !m.zone_exists => para(&mut w, "There is no agreement zone, so no frontier to measure against (`concord analyze` says why)."),
        None => para(&mut w, "The frontier was not materialised (branch and bound), so the distance to it is not computed."),
    }
    if !m.solutions.is_empty() {
        let _ = writeln!(w);
        para(
            &mut w,
            "Distance to the bargaining solutions (utility distance; issues where it differs):",
        );
        for s in &m.solutions {
            let differs: Vec<String> = s
                .differs
                .iter()
                .map(|i| format!("{i} -> {}", option_of(&s.package, i)))
                .collect();
            wrap(
                &mut w,
                &format!("  {:<18} {}  ", concept_words(&s.concept), u3(s.distance)),
                "                           ",
                &if differs.is_empty() {
                    "the same package".to_string()
                } else {
                    differs.join(", ")
                },
            );
        }
    }
    w
}

/// What the open issues of a partial proposal can still give, from the score's model.
fn completions_model_text(w: &mut String, m: &ScoreModel, c: &Completions) {
    let names = &m.party_names;
    let (Some(method), Some(space)) = (&c.method, &c.space_size) else {
        let mut why: Vec<String> = c
            .blocked_by_red_lines
            .iter()
            .zip(&c.blocked_by_red_line_parties)
            .map(|(r, p)| {
                format!(
                    "every completion breaks the red line `{r}` of {}",
                    named(names, p)
                )
            })
            .collect();
        why.extend(c.blocked_by_parties.iter().map(|p| {
            format!(
                "no completion meets all the red lines of {}",
                named(names, p)
            )
        }));
        para(
            w,
            &format!(
                "NO COMPLETION IS IN THE AGREEMENT ZONE: {}.",
                why.join("; ")
            ),
        );
        return;
    };
    let size = crate::text::count_words(space);
    if !c.zone_exists {
        para(w, &format!("NO COMPLETION IS IN THE AGREEMENT ZONE ({method} over {size} completions): no completion meets every red line of a consenting party and gives each its reservation value."));
        if let Some(nz) = &c.no_zone {
            let members: Vec<String> = nz
                .conflict
                .iter()
                .map(|member| match &member.red_line {
                    Some(id) => format!("red line `{id}` of {}", named(names, &member.party)),
                    None => format!("{}'s reservation value", named(names, &member.party)),
                })
                .collect();
            let n = nz.conflict_count;
            let more =
                if n > 1 {
                    format!(
                    " This is one of {}{n} minimal conflicts: ending it alone may leave no zone.",
                    if nz.conflicts_complete { "" } else { "at least " }
                )
                } else {
                    String::new()
                };
            para(
                w,
                &format!(
                    "These leave nothing together: {}.{more}",
                    members.join(", ")
                ),
            );
        }
        para(
            w,
            "So no way of settling the open issues is acceptable to every consenting party \
             while these red lines and reservation values hold, and no improvement that all of \
             them prefer exists within them. `concord analyze` lists every minimal conflict and \
             the fewest changes that open a zone.",
        );
        return;
    }
    let zone = match c.zone_size {
        Some(n) => format!("{} of {size} completions are", group(u128::from(n))),
        None => format!("some of {size} completions are"),
    };
    para(w, &format!("{zone} in the agreement zone ({method})."));
    para(w, "The best completions:");
    // The issues a completion fills: those the proposal does not settle with one option.
    let settled = |issue: &str| m.proposal.terms.get(issue).is_some_and(|o| o.len() == 1);
    for sol in &c.solutions {
        let Some(first) = sol.points.first() else {
            continue;
        };
        let Some(package) = &first.package else {
            continue;
        };
        let fills: Vec<String> = package
            .options
            .0
            .iter()
            .filter(|(i, _)| !settled(i))
            .map(|(i, o)| format!("{i} = {o}"))
            .collect();
        let gives: Vec<String> = first
            .utilities
            .0
            .iter()
            .map(|(p, u)| format!("{} {}", named(names, p), u3(*u)))
            .collect();
        let ties = if sol.points.len() > 1 {
            format!(" (one of {} tied)", sol.points.len())
        } else {
            String::new()
        };
        wrap(
            w,
            &format!("  {}{ties}: ", concept_words(&sol.concept)),
            "    ",
            &format!("{}; gives {}", fills.join(", "), gives.join(", ")),
        );
    }
    // Whether the proposal's own terms cost the parties anything: the mediator's "could it be
    // better for everyone?" for a text that leaves issues open.
    match &c.improvable {
        Some(v) if v.is_empty() => para(
            w,
            "No package, even one that reopens the proposal's terms, is at least as good for every consenting party as one of these completions and better for one: the proposal's terms cost none of them anything.",
        ),
        Some(v) => {
            let concepts: Vec<String> = v.iter().map(|c| concept_words(c)).collect();
            para(
                w,
                &format!(
                    "Reopening the proposal's terms improves on the {} completion{}: a package of the zone is at least as good for every consenting party and better for one (`concord improve` with `--fill {}` gives the smallest such change).",
                    and_list(&concepts),
                    if v.len() == 1 { "" } else { "s" },
                    v[0]
                ),
            );
        }
        None => {}
    }
}

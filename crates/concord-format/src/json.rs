//! JSON reports, following the schema documented in `docs/json-output.md`.
//!
//! Packages are written as objects from issue id to option id; utilities as objects from party id
//! to number; constraints with the ids the scenario file gave them, so a script can join the
//! report back to the file.

use concord_core::analysis::{Analysis, Change, Constraint, Correction, Point};
use concord_core::bargaining::Solution;
use concord_core::citations::{Attribution, Finding, SourcesCheck};
use concord_core::engine;
use concord_core::model::OptionIx;
use concord_core::model::{Provenance, RedLine, Scenario};
use concord_core::sensitivity::Sensitivity;
use serde_json::{json, Map, Value};

use crate::text::{describe_rule, package_options};

/// The schema identifier of analysis reports.
pub const ANALYSIS_SCHEMA: &str = "concord.analysis/1";
/// The schema identifier of citation-check reports.
pub const SOURCES_SCHEMA: &str = "concord.sources-check/1";

fn provenance(scenario: &Scenario, p: &Provenance) -> Value {
    json!({
        "basis": p.basis.as_str(),
        "citations": p.citations.iter().map(|c| json!({
            "source": scenario.sources[c.source].id,
            "quote": c.quote,
            "speaker": c.speaker,
        })).collect::<Vec<_>>(),
        "claims": p.claims.iter().map(|&c| scenario.claims[c].id.clone()).collect::<Vec<_>>(),
    })
}

fn red_line(scenario: &Scenario, r: &RedLine) -> Value {
    json!({
        "id": r.id,
        "party": scenario.parties[r.party].id,
        "rule": describe_rule(scenario, &r.rule),
        "issues": r.rule.issues().iter().map(|&i| scenario.issues[i].id.clone()).collect::<Vec<_>>(),
        "provenance": provenance(scenario, &r.provenance),
    })
}

/// A package as `{issue: option}` with every scored party's utility.
fn package(scenario: &Scenario, analysis: &Analysis, package: &[OptionIx]) -> Value {
    let options: Map<String, Value> = package_options(scenario, package)
        .into_iter()
        .map(|(i, o)| (i, Value::String(o)))
        .collect();
    let u = analysis.utilities(package);
    let utilities: Map<String, Value> = analysis
        .evaluator
        .scored
        .iter()
        .zip(u)
        .map(|(&p, x)| (scenario.parties[p].id.clone(), json!(x)))
        .collect();
    let counts = analysis.evaluator.counts();
    let index = match engine::space_size(counts).filter(|&n| n <= u128::from(u64::MAX)) {
        Some(_) => json!(engine::package_index(counts, package)),
        None => json!(big_index(counts, package)),
    };
    json!({ "index": index, "options": options, "utilities": utilities })
}

fn point(scenario: &Scenario, analysis: &Analysis, p: &Point) -> Value {
    let utilities: Map<String, Value> = analysis
        .consenting
        .iter()
        .zip(&p.utilities)
        .map(|(&q, &x)| (scenario.parties[q].id.clone(), json!(x)))
        .collect();
    json!({
        "utilities": utilities,
        "package_count": count(p.package_count),
        "packages": analysis.packages(p).iter().map(|q| package(scenario, analysis, q)).collect::<Vec<_>>(),
    })
}

fn solution(scenario: &Scenario, analysis: &Analysis, n: usize, s: &Solution) -> Value {
    let proof = analysis.proof(n);
    json!({
        "concept": s.concept.as_str(),
        "value": s.value,
        "tied": s.points.len() > 1,
        "proven": proof.is_none_or(|p| p.proven),
        "gap": proof.map_or(0.0, |p| p.gap),
        "all_ties": proof.is_none_or(|p| p.all_ties),
        "nodes": proof.map(|p| p.nodes),
        "points": s.points.iter().map(|&i| point(scenario, analysis, analysis.solution_point(i))).collect::<Vec<_>>(),
    })
}

fn constraint(scenario: &Scenario, analysis: &Analysis, c: Constraint) -> Value {
    match c {
        Constraint::RedLine(r) => {
            let mut v = red_line(scenario, &scenario.red_lines[r]);
            v["kind"] = json!("red_line");
            v
        }
        Constraint::Reservation(p) => {
            let slot = analysis
                .consenting
                .iter()
                .position(|&q| q == p)
                .expect("consenting");
            json!({
                "kind": "reservation",
                "party": scenario.parties[p].id,
                "value": analysis.reservations[slot],
                "provenance": provenance(scenario, &scenario.preferences[p].as_ref().expect("consenting parties have preferences").provenance),
            })
        }
    }
}

/// A correction set: its constraints, the values its reservations are lowered to, the zone it
/// opens.
fn correction(scenario: &Scenario, analysis: &Analysis, c: &Correction) -> Value {
    json!({
        "constraints": c.constraints.iter().map(|&k| constraint(scenario, analysis, k)).collect::<Vec<_>>(),
        "lower_to": c.lower_to.iter().map(|&(p, to)| (scenario.parties[p].id.clone(), json!(to))).collect::<Map<_, _>>(),
        "lower_to_proven": c.lower_to_proven,
        "zone_size": c.zone_size,
    })
}

fn change(scenario: &Scenario, c: &Change) -> Value {
    match c {
        Change::LowerReservation { from, to, proven } => {
            json!({ "kind": "lower_reservation", "from": from, "to": to, "by": from - to, "proven": proven })
        }
        Change::AdmitOption { issue, option } => json!({
            "kind": "admit_option",
            "issue": scenario.issues[*issue].id,
            "option": scenario.issues[*issue].options[*option].id,
        }),
        Change::NarrowCondition { issue, option } => json!({
            "kind": "narrow_condition",
            "issue": scenario.issues[*issue].id,
            "option": scenario.issues[*issue].options[*option].id,
        }),
        Change::DropRedLine => json!({ "kind": "drop_red_line" }),
    }
}

/// Frontiers up to this many points are written inside the report; larger ones only on request,
/// streamed by [`write_frontier_lines`].
pub const INLINE_FRONTIER_LIMIT: usize = 1000;

/// Streams the frontier as JSON Lines, one point per line (the same objects as in the report),
/// so that a frontier of any size is written without being held as one string.
pub fn write_frontier_lines(
    scenario: &Scenario,
    analysis: &Analysis,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    for p in &analysis.frontier {
        serde_json::to_writer(&mut *out, &point(scenario, analysis, p))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// A count as a JSON number when it fits in `u64`, else as a decimal string.
pub(crate) fn count(n: u128) -> Value {
    u64::try_from(n).map_or_else(|_| json!(n.to_string()), |n| json!(n))
}

/// The number of packages of a space of any size, exactly, as a decimal string.
pub fn big_space_size(counts: &[usize]) -> String {
    counts
        .iter()
        .fold(num_bigint::BigUint::from(1u8), |acc, &n| acc * n)
        .to_string()
}

/// A package's index in a space of any size (mixed radix, last issue fastest), exactly, as a
/// decimal string.
pub fn big_index(counts: &[usize], package: &[OptionIx]) -> String {
    package
        .iter()
        .zip(counts)
        .fold(num_bigint::BigUint::from(0u8), |acc, (&o, &n)| acc * n + o)
        .to_string()
}

/// A space's size: an integer when it fits 64 bits, else its exact decimal string.
fn space_size_json(analysis: &Analysis) -> Value {
    match analysis.space_size {
        Some(n) => count(n),
        None => json!(big_space_size(analysis.evaluator.counts())),
    }
}

/// The full analysis report. `sensitivity` is included when it was run.
pub fn analysis_report(
    scenario: &Scenario,
    analysis: &Analysis,
    sensitivity: Option<&Sensitivity>,
) -> Value {
    let parties: Vec<Value> = scenario
        .parties
        .iter()
        .enumerate()
        .map(|(p, party)| {
            json!({
                "id": party.id,
                "name": party.name,
                "role": party.role.as_str(),
                "consent": party.consent,
                "reservation": scenario.preferences[p].as_ref().map(|pr| pr.reservation.value),
            })
        })
        .collect();
    let no_zone = analysis.no_zone.as_ref().map(|nz| {
        json!({
            "conflict": nz.conflict.iter().map(|&c| constraint(scenario, analysis, c)).collect::<Vec<_>>(),
            "conflicts": nz.conflicts.iter().map(|k| k.iter().map(|&c| constraint(scenario, analysis, c)).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "conflicts_complete": nz.conflicts_complete,
            "corrections": nz.corrections.iter().map(|c| correction(scenario, analysis, c)).collect::<Vec<_>>(),
            "corrections_complete": nz.corrections_complete,
            "by_party": nz.by_party.iter().map(|pc| json!({
                "party": scenario.parties[pc.party].id,
                "corrections": pc.corrections.iter().map(|c| correction(scenario, analysis, c)).collect::<Vec<_>>(),
                "remaining_conflict": pc.remaining_conflict,
                "complete": pc.complete,
            })).collect::<Vec<_>>(),
            "relaxations": nz.relaxations.iter().enumerate().map(|(k, r)| json!({
                "cheapest": k == 0,
                "constraint": constraint(scenario, analysis, r.constraint),
                "change": change(scenario, &r.change),
                "zone_size": r.zone_size,
            })).collect::<Vec<_>>(),
        })
    });
    let issues: Vec<Value> = analysis
        .issues
        .iter()
        .enumerate()
        .map(|(rank, r)| {
            let issue = &scenario.issues[r.issue];
            json!({
                "rank": rank + 1,
                "issue": issue.id,
                "name": issue.name,
                "blocking": r.blocking,
                "freed_share": r.freed_share,
                "opens_zone": r.opens_zone,
                "favourites_differ": r.favourites_differ,
                "weights": r.weights.iter().map(|&(p, w)| (scenario.parties[p].id.clone(), json!(w))).collect::<Map<_, _>>(),
                "favourites": r.favourites.iter().map(|(p, os)| (
                    scenario.parties[*p].id.clone(),
                    json!(os.iter().map(|&o| issue.options[o].id.clone()).collect::<Vec<_>>()),
                )).collect::<Map<_, _>>(),
                "red_lines": r.red_lines.iter().map(|&l| scenario.red_lines[l].id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let framework = json!({
        "title": scenario.framework.title,
        "accepted_share": analysis.framework.accepted_share,
        "weighted_share": analysis.framework.weighted_share,
        "points": analysis.framework.points.iter().map(|ps| {
            let point = &scenario.framework.points[ps.point];
            json!({
                "number": point.number,
                "title": point.title,
                "issues": point.issues.iter().map(|&i| scenario.issues[i].id.clone()).collect::<Vec<_>>(),
                "accepted": ps.accepted,
                "weight": ps.weight,
                "stances": point.stances.iter().enumerate().map(|(p, s)| (scenario.parties[p].id.clone(), json!(s.stance.as_str()))).collect::<Map<_, _>>(),
                "holdouts": ps.holdouts.iter().map(|(p, s)| json!({ "party": scenario.parties[*p].id, "stance": s.as_str() })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    });
    let mut report = json!({
        "schema": ANALYSIS_SCHEMA,
        "scenario": { "id": scenario.id, "title": scenario.title },
        "method": analysis.method.as_str(),
        "space_size": space_size_json(analysis),
        "space_log10": analysis.space_log10,
        "issue_count": scenario.issues.len(),
        "parties": parties,
        "consenting": analysis.consenting.iter().map(|&p| scenario.parties[p].id.clone()).collect::<Vec<_>>(),
        "zone": {
            "exists": analysis.zone_exists,
            "size": analysis.zone_size,
            "share": analysis.zone_share(),
        },
        "no_zone": no_zone,
        "frontier": {
            "materialised": analysis.frontier_materialised,
            "size": analysis.frontier_materialised.then_some(analysis.frontier.len()),
            "ideal": analysis.consenting.iter().zip(&analysis.ideal).map(|(&p, &x)| (scenario.parties[p].id.clone(), json!(x))).collect::<Map<_, _>>(),
            "points_included": analysis.frontier_materialised && analysis.frontier.len() <= INLINE_FRONTIER_LIMIT,
            "points": if analysis.frontier_materialised && analysis.frontier.len() <= INLINE_FRONTIER_LIMIT {
                analysis.frontier.iter().map(|p| point(scenario, analysis, p)).collect::<Vec<_>>()
            } else {
                Vec::new()
            },
        },
        "solutions": analysis.solutions.iter().enumerate().map(|(n, s)| solution(scenario, analysis, n, s)).collect::<Vec<_>>(),
        "search": analysis.search.as_ref().map(|s| json!({
            "fallback": s.fallback,
            "max_nodes": s.max_nodes,
            "nodes": s.nodes,
            "ideal_upper": analysis.consenting.iter().zip(&s.ideal_upper).map(|(&p, &x)| (scenario.parties[p].id.clone(), json!(x))).collect::<Map<_, _>>(),
        })),
        "issues": issues,
        "framework": framework,
        "set_aside_red_lines": analysis.set_aside_red_lines.iter().map(|&r| red_line(scenario, &scenario.red_lines[r])).collect::<Vec<_>>(),
        "advisory_red_lines": analysis.advisory_red_lines.iter().map(|&r| red_line(scenario, &scenario.red_lines[r])).collect::<Vec<_>>(),
    });
    if let Some(search) = &analysis.search {
        // Present only when true, so that every other report keeps its shape.
        if search.explanation_stopped {
            report["search"]["explanation_stopped"] = json!(true);
        }
        if search.issue_map_stopped {
            report["search"]["issue_map_stopped"] = json!(true);
        }
    }
    if let Some(found) = &analysis.negmas {
        // Only with --negmas, so that every other report keeps its shape.
        report["negmas"] = json!({
            "supported": analysis.frontier_materialised,
            "solutions": found.iter().map(|s| json!({
                "concept": s.concept.as_str(),
                "negmas_function": s.concept.negmas_function(),
                "value": s.value,
                "tied": s.points.len() > 1,
                "points": s.points.iter().map(|&i| point(scenario, analysis, &analysis.frontier[i])).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
    }
    if let Some(s) = sensitivity {
        report["sensitivity"] = sensitivity_report(scenario, analysis, s);
    }
    report
}

fn sensitivity_report(scenario: &Scenario, analysis: &Analysis, s: &Sensitivity) -> Value {
    json!({
        "samples": s.samples,
        "ranged_numbers": s.ranged_numbers,
        "baseline_zone": s.baseline_zone,
        "zone_exists": s.zone_exists,
        "zone_exists_share": if s.samples > 0 { s.zone_exists as f64 / s.samples as f64 } else { 0.0 },
        "concepts": s.concepts.iter().map(|c| json!({
            "concept": c.concept.as_str(),
            "baseline": c.baseline.iter().map(|q| package(scenario, analysis, q)).collect::<Vec<_>>(),
            "baseline_holds": c.baseline_holds,
            "issue_holds": scenario.issues.iter().zip(&c.issue_holds).map(|(i, &n)| (i.id.clone(), json!(n))).collect::<Map<_, _>>(),
            "packages": c.frequencies.iter().take(10).map(|f| json!({
                "samples": f.samples,
                "package": package(scenario, analysis, &f.package),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The `concord sources check --json` report (schema `concord.sources-check/1`).
pub fn sources_report(
    scenario: &Scenario,
    check: &SourcesCheck,
    sites: &std::collections::HashMap<String, (usize, usize)>,
) -> Value {
    let checks = &check.quotes;
    let at = |path: &str| sites.get(path).copied().unwrap_or((0, 0));
    let party_id = |p: Option<usize>| p.map(|p| scenario.parties[p].id.clone());
    let ids = |ps: &[usize]| {
        ps.iter()
            .map(|&p| scenario.parties[p].id.clone())
            .collect::<Vec<_>>()
    };
    let mut findings: Vec<Value> = checks
        .iter()
        .filter(|c| c.finding != Finding::Ok)
        .map(|c| {
            let (line, column) = at(&c.at.path);
            json!({
                "finding": match c.finding {
                    Finding::Missing => "missing",
                    Finding::Unnamed => "unnamed",
                    Finding::SourceUnavailable => "source_unavailable",
                    Finding::Ok => "ok",
                },
                "field": c.at.path,
                "line": line,
                "column": column,
                "source": scenario.sources[c.at.citation.source].id,
                "quote": c.at.citation.quote,
                "party": party_id(c.at.party),
            })
        })
        .collect();
    for c in &check.claims {
        let claim = &scenario.claims[c.at.claim];
        let (line, column) = at(&c.at.path);
        let mut kinds = Vec::new();
        match c.attribution {
            Attribution::Misattributed => kinds.push("misattributed"),
            Attribution::Others => kinds.push("asserted_by_others"),
            Attribution::Own | Attribution::NoParty => {}
        }
        if c.contested {
            kinds.push("contested");
        }
        for kind in kinds {
            findings.push(json!({
                "finding": kind,
                "field": c.at.path,
                "line": line,
                "column": column,
                "claim": claim.id,
                "party": party_id(c.at.party),
                "basis": c.at.basis.as_str(),
                "asserted_by": ids(&claim.by),
                "denied_by": ids(&claim.denied_by),
                "disputed_by": ids(&claim.disputed_by),
            }));
        }
    }
    for u in &check.unbacked {
        let claim = &scenario.claims[u.claim];
        let (line, column) = at(&format!("claims[{}].cite[0]", u.claim));
        findings.push(json!({
            "finding": "unbacked_attribution",
            "field": format!("claims[{}].by", u.claim),
            "line": line,
            "column": column,
            "claim": claim.id,
            "party": scenario.parties[u.party].id,
        }));
    }
    // In file order, whichever table a finding is in.
    findings.sort_by_key(|f| (f["line"].as_u64(), f["column"].as_u64()));
    let attributed = |a: Attribution| check.claims.iter().filter(|c| c.attribution == a).count();
    json!({
        "schema": SOURCES_SCHEMA,
        "scenario": scenario.id,
        "citations": checks.len(),
        "missing": checks.iter().filter(|c| c.finding == Finding::Missing).count(),
        "unnamed": checks.iter().filter(|c| c.finding == Finding::Unnamed).count(),
        "unavailable": checks.iter().filter(|c| c.finding == Finding::SourceUnavailable).count(),
        "claim_references": check.claims.len(),
        "misattributed": attributed(Attribution::Misattributed),
        "asserted_by_others": attributed(Attribution::Others),
        "contested": check.claims.iter().filter(|c| c.contested).count(),
        "unbacked_attributions": check.unbacked.len(),
        "passed": !check.failed(),
        "findings": findings,
    })
}

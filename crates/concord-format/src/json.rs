//! JSON reports, following the schema documented in `docs/json-output.md`.
//!
//! Packages are written as objects from issue id to option id; utilities as objects from party id
//! to number; constraints with the ids the scenario file gave them, so a script can join the
//! report back to the file.

use concord_core::analysis::Analysis;
use concord_core::citations::{Attribution, Finding, SourcesCheck};
use concord_core::model::Scenario;
use concord_core::sensitivity::Sensitivity;
use serde_json::{json, Value};

pub use crate::analysis_report::{
    big_index, big_space_size, AnalysisReport, ANALYSIS_SCHEMA, INLINE_FRONTIER_LIMIT,
};

/// The schema identifier of citation-check reports.
pub const SOURCES_SCHEMA: &str = "concord.sources-check/1";

/// Streams the frontier as JSON Lines, one point per line (the same objects as in the report),
/// so that a frontier of any size is written without being held as one string.
pub fn write_frontier_lines(
    scenario: &Scenario,
    analysis: &Analysis,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    for p in AnalysisReport::frontier_points(scenario, analysis) {
        serde_json::to_writer(&mut *out, &p)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// The full analysis report ([`AnalysisReport`]) as a JSON value. `sensitivity` is included
/// when it was run.
pub fn analysis_report(
    scenario: &Scenario,
    analysis: &Analysis,
    sensitivity: Option<&Sensitivity>,
) -> Value {
    serde_json::to_value(AnalysisReport::new(scenario, analysis, sensitivity))
        .expect("the report's types serialise to JSON")
}

/// A count as a JSON number when it fits in `u64`, else as a decimal string.
pub(crate) fn count(n: u128) -> Value {
    u64::try_from(n).map_or_else(|_| json!(n.to_string()), |n| json!(n))
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

//! JSON reports, following the schema documented in `docs/json-output.md`.
//!
//! Packages are written as objects from issue id to option id; utilities as objects from party id
//! to number; constraints with the ids the scenario file gave them, so a script can join the
//! report back to the file.

use concord_core::analysis::Analysis;
use concord_core::citations::{Attribution, Finding, SourcesCheck};
use concord_core::model::Scenario;
use concord_core::sensitivity::Sensitivity;
use serde_json::Value;

use crate::sources_report::{
    ClaimFinding, Finding as SourceFinding, QuoteFinding, RegisterFinding, SourcesCheckModel,
};

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

/// The model of `concord sources check` (schema `concord.sources-check/1`) of `file` (as the
/// input named it). `sites` gives the line and column of each field path.
pub fn sources_model(
    file: &str,
    scenario: &Scenario,
    check: &SourcesCheck,
    sites: &std::collections::HashMap<String, (usize, usize)>,
) -> SourcesCheckModel {
    let checks = &check.quotes;
    let at = |path: &str| sites.get(path).copied().unwrap_or((0, 0));
    let party_id = |p: Option<usize>| p.map(|p| scenario.parties[p].id.clone());
    let ids = |ps: &[usize]| {
        ps.iter()
            .map(|&p| scenario.parties[p].id.clone())
            .collect::<Vec<_>>()
    };
    let speakers = |claim: &concord_core::model::Claim| {
        let mut names: Vec<String> = Vec::new();
        for s in claim.citations.iter().filter_map(|c| c.speaker.as_ref()) {
            if !names.contains(s) {
                names.push(s.clone());
            }
        }
        names
    };
    let mut findings: Vec<SourceFinding> = checks
        .iter()
        .filter(|c| c.finding != Finding::Ok)
        .map(|c| {
            let (line, column) = at(&c.at.path);
            SourceFinding::Quote(QuoteFinding {
                finding: match c.finding {
                    Finding::Missing => "missing",
                    Finding::Unnamed => "unnamed",
                    Finding::SourceUnavailable => "source_unavailable",
                    Finding::Ok => "ok",
                }
                .to_string(),
                field: c.at.path.clone(),
                line,
                column,
                source: scenario.sources[c.at.citation.source].id.clone(),
                source_file: scenario.sources[c.at.citation.source].file.clone(),
                quote: c.at.citation.quote.clone(),
                party: party_id(c.at.party),
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
            findings.push(SourceFinding::Claim(ClaimFinding {
                finding: kind.to_string(),
                field: c.at.path.clone(),
                line,
                column,
                claim: claim.id.clone(),
                text: claim.text.clone(),
                party: party_id(c.at.party),
                basis: c.at.basis.as_str().to_string(),
                asserted_by: ids(&claim.by),
                speakers: speakers(claim),
                denied_by: ids(&claim.denied_by),
                disputed_by: ids(&claim.disputed_by),
            }));
        }
    }
    for u in &check.unbacked {
        let claim = &scenario.claims[u.claim];
        let (line, column) = at(&format!("claims[{}].cite[0]", u.claim));
        findings.push(SourceFinding::Register(RegisterFinding {
            finding: "unbacked_attribution".to_string(),
            field: format!("claims[{}].by", u.claim),
            line,
            column,
            claim: claim.id.clone(),
            party: scenario.parties[u.party].id.clone(),
        }));
    }
    // In file order, whichever table a finding is in.
    findings.sort_by_key(SourceFinding::site);
    let attributed = |a: Attribution| check.claims.iter().filter(|c| c.attribution == a).count();
    let count = |f: Finding| checks.iter().filter(|c| c.finding == f).count();
    SourcesCheckModel {
        schema: SOURCES_SCHEMA.to_string(),
        scenario: scenario.id.clone(),
        file: file.to_string(),
        party_names: scenario
            .parties
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        citations: checks.len(),
        missing: count(Finding::Missing),
        unnamed: count(Finding::Unnamed),
        unavailable: count(Finding::SourceUnavailable),
        claim_references: check.claims.len(),
        misattributed: attributed(Attribution::Misattributed),
        asserted_by_others: attributed(Attribution::Others),
        supporting_no_party: attributed(Attribution::NoParty),
        contested: check.claims.iter().filter(|c| c.contested).count(),
        unbacked_attributions: check.unbacked.len(),
        passed: !check.failed(),
        findings,
    }
}

/// The `concord sources check --json` report ([`sources_model`] serialised).
pub fn sources_report(
    file: &str,
    scenario: &Scenario,
    check: &SourcesCheck,
    sites: &std::collections::HashMap<String, (usize, usize)>,
) -> Value {
    serde_json::to_value(sources_model(file, scenario, check, sites))
        .expect("the report's types serialise to JSON")
}

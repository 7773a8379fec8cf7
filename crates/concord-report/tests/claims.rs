//! The `sources check` report (text and JSON) on positions resting on claims of the register.
//! (Reading claims and claim references is concord-io's test.)

#[path = "../../concord-io/tests/common/mod.rs"]
mod common;

use common::{example, shared, water_with_claims as water};
use concord_core::citations::{check_sources, Attribution, Finding};
use concord_core::model::Basis;
use concord_io::load::{read_scenario_file, ScenarioFile};
use concord_io::scenario::ReadOptions;
use concord_report::{json, text};

const UPSTREAM_CITE: &str =
    "cite = [{ source = \"minutes\", quote = \"Upton will not release more than half\" }]\n\n[[red_lines]]";

/// A file with every kind of finding: a misattributed stated position, a position on someone
/// else's claim, a contested claim, an attribution no passage backs, and missing quotes of a
/// claim, a step and a commitment.
fn findings_file() -> String {
    water(&[
        // Stated, but resting only on the province's claim: misattributed.
        (UPSTREAM_CITE, "claims = [\"province-offers-mediation\"]\nbasis = \"stated\"\n\n[[red_lines]]"),
        // Reported: the province's account of downstream's position.
        (
            "then = { issue = \"monitor\", must_not_be = [\"upstream\"] }",
            "then = { issue = \"monitor\", must_not_be = [\"upstream\"] }\nclaims = [\"province-offers-mediation\", \"downstream-asks-monitoring\"]",
        ),
        // Contested by upstream.
        (
            "by = [\"downstream\"]\n",
            "by = [\"downstream\"]\ndisputed_by = [\"upstream\"]\n",
        ),
        // Nothing in the province's passage names the province.
        (", speaker = \"the province\"", ""),
    ]) + r#"
[[claims]]
id = "misquoted"
text = "A misquoted claim"
cite = [{ source = "minutes", quote = "The upstream town released everything" }]

[[commitments]]
id = "gauges"
kind = "pledge"
by = ["province"]
what = "support"
description = "Pays for the gauges"
status = "pledged"
cite = [{ source = "minutes", quote = "The province will pay for the gauges" }]

[[steps]]
id = "release"
name = "Summer release"
parties = ["upstream"]
duration = 30
cite = [{ source = "minutes", quote = "the summer release starts in June" }]
"#
}

fn check_file(text: &str) -> (ScenarioFile, Vec<Option<String>>) {
    let file = read_scenario_file(text, "test.toml", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("the file reads:\n{e}"));
    let texts = vec![Some(example("minutes.txt"))];
    (file, texts)
}

#[test]
fn sources_check_with_claims() {
    let text = findings_file();
    let (file, texts) = check_file(&text);
    let s = file.scenario();
    let check = check_sources(s, file.other_citations(), &texts);
    let sites = file.citation_sites();
    insta::assert_snapshot!(
        "sources_check_with_claims",
        text::sources_text(s, "test.toml", &check, &sites)
    );
    assert!(check.failed());
    let attributions: Vec<(String, Attribution, bool)> = check
        .claims
        .iter()
        .map(|c| (c.at.path.clone(), c.attribution, c.contested))
        .collect();
    assert_eq!(
        attributions,
        vec![
            (
                "red_lines[0].claims[0]".into(),
                Attribution::Misattributed,
                false
            ),
            ("red_lines[1].claims[0]".into(), Attribution::Others, false),
            ("red_lines[1].claims[1]".into(), Attribution::Own, true),
        ]
    );
    // Downstream's red line rests on one of its own claims: stated.
    assert_eq!(s.red_lines[1].provenance.basis, Basis::Stated);
    let missing: Vec<&str> = check
        .quotes
        .iter()
        .filter(|c| c.finding == Finding::Missing)
        .map(|c| c.at.path.as_str())
        .collect();
    assert_eq!(
        missing,
        vec![
            "claims[3].cite[0]",
            "steps[0].cite[0]",
            "commitments[0].cite[0]"
        ]
    );
    assert_eq!(check.unbacked.len(), 1);
    assert_eq!(
        s.claims[check.unbacked[0].claim].id,
        "province-offers-mediation"
    );
    insta::assert_snapshot!(
        "sources_check_with_claims_json",
        serde_json::to_string_pretty(&json::sources_report("test.toml", s, &check, &sites))
            .unwrap()
    );
}

#[test]
fn sources_check_passes_when_every_claim_is_its_partys_own() {
    let text = water(&[(
        UPSTREAM_CITE,
        "claims = [\"upton-caps-release\"]\n\n[[red_lines]]",
    )]);
    let (file, texts) = check_file(&text);
    let check = check_sources(file.scenario(), file.other_citations(), &texts);
    assert!(!check.failed(), "{check:?}");
    assert_eq!(check.claims[0].attribution, Attribution::Own);
    assert!(check.unbacked.is_empty());
    // Every passage of the register is checked.
    assert_eq!(
        check
            .quotes
            .iter()
            .filter(|c| c.at.path.starts_with("claims["))
            .count(),
        3
    );
}

/// The Kyiv example against the five reports, when they are present.
#[test]
fn kyiv_sources_check() {
    let Some(reports) = shared("reports") else {
        return;
    };
    let text = example("kyiv-2026.toml");
    let file = read_scenario_file(&text, "examples/kyiv-2026.toml", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let s = file.scenario();
    let texts: Vec<Option<String>> = s
        .sources
        .iter()
        .map(|src| std::fs::read_to_string(reports.join(&src.file)).ok())
        .collect();
    let check = check_sources(s, file.other_citations(), &texts);
    insta::assert_snapshot!(
        "kyiv_sources_check",
        text::sources_text(s, "examples/kyiv-2026.toml", &check, &file.citation_sites())
    );
    assert!(!check.failed());
    // The anonymous adviser's account stays reported, and is said to be someone else's.
    let capitulation = s
        .red_lines
        .iter()
        .position(|r| r.id == "ukraine-no-capitulation-on-the-ground")
        .unwrap();
    assert_eq!(s.red_lines[capitulation].provenance.basis, Basis::Reported);
    assert!(check.claims.iter().any(|c| c.at.path
        == format!("red_lines[{capitulation}].claims[0]")
        && c.attribution == Attribution::Others));
}

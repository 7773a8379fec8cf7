//! Evidence: snapshots of the extract, conflicts, claims and commitments reports on the five
//! reports of ../shared/reports and the Kyiv example. (The located errors of the evidence tables
//! are concord-io's tests.)

#[path = "../../concord-io/tests/common/mod.rs"]
mod common;

use common::{example, shared};
use concord_evidence::conflicts::{analyse, ConflictConfig};
use concord_evidence::extract::{extract, ExtractConfig, Extraction, Report, SourceMeta};
use concord_io::evidence::read_evidence;
use concord_report::evidence::{
    claims_text, commitments_json, commitments_text, conflicts_json, conflicts_text, extract_text,
    review_ledger,
};

fn reports() -> Option<Vec<(String, String)>> {
    let dir = shared("reports")?;
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    Some(out)
}

fn run(texts: &[(String, String)], published: &[(&str, &str)]) -> (Extraction, ExtractConfig) {
    let reports: Vec<Report<'_>> = texts
        .iter()
        .map(|(file, text)| Report {
            id: file.trim_end_matches(".txt").to_string(),
            file: file.clone(),
            text,
            meta: SourceMeta {
                published: published
                    .iter()
                    .find(|(f, _)| f == file)
                    .and_then(|(_, d)| concord_evidence::date::DateSpan::parse(d)),
                ..SourceMeta::default()
            },
        })
        .collect();
    let config = ExtractConfig::default();
    (extract(&reports, &config), config)
}

#[test]
fn extract_on_the_five_reports() {
    let Some(texts) = reports() else { return };
    let (e, _) = run(&texts, &[]);
    insta::assert_snapshot!("extract", extract_text(&e));
}

#[test]
fn conflicts_on_the_five_reports() {
    let Some(texts) = reports() else { return };
    let (e, config) = run(&texts, &[]);
    let a = analyse(&e, &config.aliases, &ConflictConfig::default());
    insta::assert_snapshot!("conflicts", conflicts_text(&e, &a));
    // The conflicts the issue names are all found.
    let json = conflicts_json(&e, &a);
    let values: Vec<String> = json["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let sides: Vec<&str> = c["sides"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["value"].as_str().unwrap())
                .collect();
            format!("{}: {}", c["kind"].as_str().unwrap(), sides.join(" / "))
        })
        .collect();
    for expected in [
        "number: 28 person killed / 27 person killed",
        "date: Saturday (2025-12-27..2026-01-10) / Monday (2025-12-22..2026-01-05)",
        "date: Friday (2025-12-26..2026-01-09) / Sunday (2025-12-21..2026-01-04)",
        "count: 15 countries / 3 named: Britain, France and Germany",
        "title: Former US President Donald Trump / U.S. President Donald Trump",
    ] {
        assert!(
            values.iter().any(|v| v == expected),
            "{expected} not in {values:#?}"
        );
    }
    // Three reports relaying one AFP analysis are one independent source.
    let afp = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ev| ev["origins"].as_array().unwrap().iter().any(|o| o == "afp"))
        .expect("the AFP event");
    assert_eq!(afp["sources"].as_array().unwrap().len(), 3);
    assert_eq!(afp["independent_sources"], 1);
}

#[test]
fn order_of_document_versions_with_a_publication_date() {
    let Some(texts) = reports() else { return };
    // The Miami report is undated; the scenario dates the Miami talks to December 2025.
    let (e, config) = run(&texts, &[("miami-security-framework.txt", "2025-12")]);
    let a = analyse(&e, &config.aliases, &ConflictConfig::default());
    let order = a
        .conflicts
        .iter()
        .find(|c| c.kind == concord_evidence::conflicts::ConflictKind::Order)
        .expect("an order finding");
    insta::assert_snapshot!(
        "order",
        format!(
            "{}\n{}\n{}",
            order.sides[0].value,
            order.sides[1].value,
            order.note.as_deref().unwrap_or_default()
        )
    );
}

#[test]
fn commitments_and_claims_of_the_kyiv_example() {
    let text = example("kyiv-2026.toml");
    let ev = read_evidence(&text, "examples/kyiv-2026.toml").unwrap_or_else(|e| panic!("{e}"));
    let review = review_ledger(&ev.ledger);
    insta::assert_snapshot!("commitments", commitments_text(&ev.ledger, &review));
    insta::assert_snapshot!("claims", claims_text(&ev));
    let json = commitments_json(&ev.ledger, &review);
    assert_eq!(
        json["uncovered_triggers"],
        serde_json::json!(["russia-violates"])
    );
}

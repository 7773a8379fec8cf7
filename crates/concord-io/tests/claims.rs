//! Positions resting on claims of the register: the located errors of claim references, the
//! basis a position takes from its claims, and the whole-file reader that reports the problems
//! of every reader together. (The `sources check` report with claims is concord-report's test.)

mod common;

use common::water_with_claims as water;
use concord_core::model::Basis;
use concord_io::load::read_scenario_file;
use concord_io::scenario::{read_scenario, LoadedScenario, ReadOptions};
use concord_io::{Diagnostics, FormatError};

fn read(text: &str) -> LoadedScenario {
    read_scenario(text, "test.toml", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("the file reads:\n{e}"))
}

fn problems(text: &str) -> Diagnostics {
    match read_scenario_file(text, "test.toml", &ReadOptions::default()) {
        Err(FormatError::Invalid(d)) => d,
        Err(e) => panic!("expected located problems, got {e}"),
        Ok(_) => panic!("the file was read without error"),
    }
}

const UPSTREAM_CITE: &str =
    "cite = [{ source = \"minutes\", quote = \"Upton will not release more than half\" }]\n\n[[red_lines]]";

#[test]
fn a_red_line_resting_on_its_partys_claim_is_stated() {
    let s = read(&water(&[(
        UPSTREAM_CITE,
        "claims = [\"upton-caps-release\"]\n\n[[red_lines]]",
    )]))
    .scenario;
    let line = &s.red_lines[0];
    assert_eq!(line.provenance.basis, Basis::Stated);
    assert!(line.provenance.citations.is_empty());
    assert_eq!(s.claims[line.provenance.claims[0]].id, "upton-caps-release");
    assert_eq!(s.claims.len(), 3);
}

#[test]
fn a_position_resting_on_someone_elses_claim_is_reported() {
    let text = water(&[(
        "then = { issue = \"monitor\", must_not_be = [\"upstream\"] }",
        "then = { issue = \"monitor\", must_not_be = [\"upstream\"] }\nclaims = [\"province-offers-mediation\"]",
    )]);
    let s = read(&text).scenario;
    assert_eq!(s.red_lines[1].provenance.basis, Basis::Reported);
    // A quote beside the claim is the party's own words, as before: stated.
    let text = text.replace(
        "claims = [\"province-offers-mediation\"]",
        "claims = [\"province-offers-mediation\"]\ncite = [{ source = \"minutes\", quote = \"The downstream delegation asked for independent monitoring\" }]",
    );
    assert_eq!(
        read(&text).scenario.red_lines[1].provenance.basis,
        Basis::Stated
    );
}

#[test]
fn a_claim_the_party_disputes_is_not_its_stated_position() {
    let s = read(&water(&[
        (
            UPSTREAM_CITE,
            "claims = [\"upton-caps-release\"]\n\n[[red_lines]]",
        ),
        (
            "by = [\"upstream\"]\n",
            "by = [\"upstream\"]\ndisputed_by = [\"upstream\"]\n",
        ),
    ]))
    .scenario;
    assert_eq!(s.red_lines[0].provenance.basis, Basis::Reported);
}

#[test]
fn unknown_claim_ids_are_located_errors() {
    let text = water(&[
        (
            UPSTREAM_CITE,
            "claims = [\"upton-caps\", 3, \"upton-caps-release\", \"upton-caps-release\"]\n\n[[red_lines]]",
        ),
        (
            "stances = { upstream = \"reserves\", downstream = \"accepts\" }",
            "stances = { upstream = \"reserves\", downstream = { stance = \"accepts\", claims = [\"downstream-monitoring\"] } }",
        ),
    ]);
    let d = problems(&text);
    insta::assert_snapshot!("unknown_claim_ids", d.to_string());
    assert_eq!(d.items.len(), 4, "{d}");
    assert_eq!(d.items[0].field, "red_lines[0].claims[0]");
    assert_eq!(d.items[0].found, "\"upton-caps\"");
    assert!(d.items[0].expected.contains("`upton-caps-release`"));
    assert_eq!(d.items[1].field, "red_lines[0].claims[1]");
    assert_eq!(d.items[2].field, "red_lines[0].claims[3]");
    assert_eq!(d.items[2].found, "\"upton-caps-release\" again");
    assert_eq!(
        d.items[3].field,
        "framework.points[0].stances.downstream.claims[0]"
    );
    let line = text
        .lines()
        .position(|l| l.contains("upton-caps\", 3"))
        .unwrap()
        + 1;
    assert_eq!((d.items[0].line, d.items[0].column), (line, 11));
    // The scenario reader alone reports them too: every command sees them.
    assert!(read_scenario(&text, "test.toml", &ReadOptions::default()).is_err());
}

#[test]
fn a_broken_claim_is_not_reported_again_where_it_is_used() {
    let d = problems(&water(&[
        (
            UPSTREAM_CITE,
            "claims = [\"upton-caps-release\"]\n\n[[red_lines]]",
        ),
        ("by = [\"upstream\"]\n", "by = [\"upstraem\"]\n"),
    ]));
    assert_eq!(d.items.len(), 1, "{d}");
    assert_eq!(d.items[0].field, "claims[0].by[0]");
}

/// Regression: a typo in `[[steps]]`, `[[demands]]`, `[[claims]]` or `[[commitments]]` was only
/// reported by the command that reads that table; `analyze` accepted it.
#[test]
fn every_reader_reports_its_problems_together() {
    let text = water(&[
        ("reservation = 0.3\n", "reservation = 1.3\n"),
        // Two problems at one place (the table header), found by two readers each.
        ("id = \"upstream-half\"\nparty = \"upstream\"\n", ""),
        (
            "text = \"The province offers to mediate\"",
            "txt = \"The province offers to mediate\"",
        ),
    ]) + r#"
[[commitments]]
id = "gauges"
kind = "pledge"
by = ["province"]
what = "support"
description = "Pays for the gauges"
status = "pledgd"

[[steps]]
id = "release"
name = "Summer release"
duraton = 30

[[demands]]
id = "d"
party = "downstream"
before = "monitoring"
claims = ["downstream-asks-monitoring"]
"#;
    let d = problems(&text);
    insta::assert_snapshot!("every_reader_together", d.to_string());
    let fields: Vec<&str> = d.items.iter().map(|x| x.field.as_str()).collect();
    for f in [
        "red_lines[0].id",
        "red_lines[0].party",
        "preferences.downstream.reservation",
        "claims[2].txt",
        "claims[2].text",
        "commitments[0].status",
        "steps[0].duraton",
        "demands[0].claims",
    ] {
        assert!(fields.contains(&f), "{f} not reported:\n{d}");
    }
    // In file order, each once.
    let mut sorted = d.items.clone();
    sorted.sort_by_key(|x| (x.line, x.column));
    assert_eq!(sorted, d.items);
    for (k, x) in d.items.iter().enumerate() {
        assert!(!d.items[..k].contains(x), "reported twice: {x}");
    }
}

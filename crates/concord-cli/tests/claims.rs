//! The real `concord` binary on positions that rest on claims: `sources check` exit codes
//! (0 when every claim is attributed as its position says, 1 for a misattributed one, 2 for an
//! unknown claim id), and `analyze` refusing a file whose claims, commitments or sequencing
//! tables have errors (exit 2), all reported together.

mod common;

use common::{example, fixture, run, shared};
use serde_json::Value;

/// The water-sharing example with `edits` applied and `more` appended, written in a fresh
/// folder as `name`.
fn water(name: &str, edits: &[(&str, &str)], more: &str) -> String {
    let mut text = example("water-sharing.toml");
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
        text = text.replacen(from, to, 1);
    }
    text.push_str(more);
    fixture(name, &text).to_str().unwrap().to_string()
}

const REGISTER: &str = r#"
[[claims]]
id = "upton-caps-release"
text = "Upstream will not release more than half of the flow"
by = ["upstream"]
cite = [{ source = "minutes", quote = "Upton will not release more than half of the flow in any month", speaker = "its mayor" }]

[[claims]]
id = "province-offers-mediation"
text = "The province offers to mediate"
by = ["province"]
cite = [{ source = "minutes", quote = "The provincial water office offered to act as mediator.", speaker = "the province" }]
"#;

const RED_LINE_CITE: &str = "at_most = 40\ncite = [{ source = \"minutes\", quote = \"Upton will not release more than half\" }]";

#[test]
fn sources_check_passes_when_positions_rest_on_their_own_claims() {
    let file = water(
        "own.toml",
        &[(
            RED_LINE_CITE,
            "at_most = 40\nclaims = [\"upton-caps-release\"]",
        )],
        REGISTER,
    );
    let (code, stdout, stderr) = run(&["sources", "check", &file, "--sources", "examples"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("1 claim references checked: 1 asserted by their party"),
        "{stdout}"
    );
    // The register's passages are checked too: 1 party quote + 2 claim passages.
    assert!(stdout.contains("3 citations checked: 3 found"), "{stdout}");
}

#[test]
fn a_stated_position_on_someone_elses_claim_fails_with_exit_1() {
    let file = water(
        "misattributed.toml",
        &[(
            RED_LINE_CITE,
            "at_most = 40\nclaims = [\"province-offers-mediation\"]\nbasis = \"stated\"",
        )],
        REGISTER,
    );
    let (code, stdout, _) = run(&["sources", "check", &file, "--sources", "examples"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("`red_lines[0].claims[0]`: error: basis \"stated\", but the position of Upstream town rests on claim `province-offers-mediation`, which The province asserts"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["sources", "check", &file, "--sources", "examples", "--json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["misattributed"], 1);
    assert_eq!(report["passed"], false);
    assert_eq!(report["findings"][0]["finding"], "misattributed");
    assert_eq!(report["findings"][0]["party"], "upstream");

    // Without the written basis, the position is reported, and the check passes with a note.
    let file = water(
        "reported.toml",
        &[(
            RED_LINE_CITE,
            "at_most = 40\nclaims = [\"province-offers-mediation\"]",
        )],
        REGISTER,
    );
    let (code, stdout, _) = run(&["sources", "check", &file, "--sources", "examples"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("note: the position of Upstream town rests on claim `province-offers-mediation`, which The province asserts, not Upstream town; its basis is reported"), "{stdout}");
    // ... and `--red-lines stated` sets it aside.
    let set_aside = |selection: &str| -> Vec<String> {
        let (_, stdout, _) = run(&["analyze", &file, "--red-lines", selection, "--json"]);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        report["set_aside_red_lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    // (The downstream red line is an assumption: set aside by both.)
    assert_eq!(
        set_aside("stated"),
        vec!["upstream-half", "downstream-no-self-monitoring"]
    );
    assert_eq!(set_aside("cited"), vec!["downstream-no-self-monitoring"]);
}

#[test]
fn unknown_claim_ids_exit_2_with_their_location() {
    let file = water(
        "unknown-claim.toml",
        &[(RED_LINE_CITE, "at_most = 40\nclaims = [\"upton-caps\"]")],
        REGISTER,
    );
    for args in [
        vec!["sources", "check", file.as_str(), "--sources", "examples"],
        vec!["analyze", file.as_str()],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(
            stderr.contains("unknown-claim.toml:67:11: `red_lines[0].claims[0]`: found \"upton-caps\", expected a claim id of [[claims]]"),
            "{stderr}"
        );
    }
}

/// Regression: `analyze` accepted `[[steps]]`, `[[demands]]`, `[[claims]]` and
/// `[[commitments]]` without checking them, so a typo only showed under another command.
#[test]
fn analyze_checks_every_table_and_reports_all_problems() {
    let more = r#"
[[claims]]
id = "c"
txt = "a typo"
cite = [{ source = "minutes", quote = "Upton will not release" }]

[[commitments]]
id = "gauges"
kind = "pledge"
what = "support"
description = "Pays for the gauges"
status = "pledgd"

[[steps]]
id = "release"
name = "Summer release"
parties = ["upstream"]
duraton = 30
"#;
    let file = water("typos.toml", &[], more);
    for args in [
        vec!["analyze", file.as_str()],
        vec!["sources", "check", file.as_str(), "--sources", "examples"],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stderr.contains("problems found"), "{stderr}");
        for field in [
            "`claims[0].txt`",
            "`commitments[0].status`",
            "`steps[0].duraton`",
        ] {
            assert!(stderr.contains(field), "{field} not reported:\n{stderr}");
        }
    }
    // Without the typos the same tables are accepted, and the analysis is unchanged.
    let clean = water(
        "clean.toml",
        &[],
        &more
            .replace("txt =", "text =")
            .replace("pledgd", "pledged")
            .replace("duraton", "duration"),
    );
    let (code, with_tables, stderr) = run(&["analyze", &clean]);
    assert_eq!(code, 0, "{stderr}");
    let (_, plain, _) = run(&["analyze", "examples/water-sharing.toml"]);
    assert_eq!(with_tables, plain);
}

#[test]
fn kyiv_positions_rest_on_claims_and_the_check_passes() {
    let Some(reports) = shared("reports") else {
        return;
    };
    let (code, stdout, stderr) = run(&[
        "sources",
        "check",
        "examples/kyiv-2026.toml",
        "--sources",
        reports.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["missing"], 0);
    assert_eq!(report["misattributed"], 0);
    assert!(report["claim_references"].as_u64().unwrap() >= 10);
    // The anonymous adviser's "capitulation" is said to be someone else's, not Kyiv's.
    let others: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["finding"] == "asserted_by_others")
        .map(|f| f["claim"].as_str().unwrap())
        .collect();
    assert!(
        others.contains(&"adviser-no-capitulation-on-the-ground"),
        "{others:?}"
    );
    // Analysis still finds no zone with every red line.
    let (code, _, _) = run(&["analyze", "examples/kyiv-2026.toml"]);
    assert_eq!(code, 1);
}

/// Regression: reading the sequencing tables read the scenario part again without
/// `--normalize-weights`, so weights that the option accepts were refused.
#[test]
fn normalize_weights_applies_to_every_reader() {
    let steps = "\n[[steps]]\nid = \"release\"\nname = \"Summer release\"\nparties = [\"upstream\"]\nduration = 30\n";
    let file = water("weights.toml", &[("weight = 0.7", "weight = 0.8")], steps);
    let (code, _, stderr) = run(&["analyze", &file]);
    assert_eq!(code, 2);
    assert!(stderr.contains("1 problem found"), "{stderr}");
    let (code, _, stderr) = run(&["analyze", &file, "--normalize-weights"]);
    assert_eq!(code, 0, "{stderr}");
}

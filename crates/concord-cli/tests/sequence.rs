//! The real `concord` binary: `concord sequence` and `concord diff` on the examples, on small
//! fixtures and on bad input, with their exit codes (0 plan, 1 deadlock, 2 bad input).

mod common;

use common::{fixture, json, run};

const ORDERED: &str = r#"
[about]
id = "ordered"
title = "A feasible order"

[[parties]]
id = "a"
name = "A"

[[steps]]
id = "ceasefire"
name = "Ceasefire"
parties = ["a"]
duration = 0
verification = { days = 7 }

[[steps]]
id = "elections"
name = "Elections"
parties = ["a"]
duration = 30

[[steps]]
id = "relief"
name = "Sanctions relief"
parties = ["a"]
duration = 10

[[demands]]
id = "calm-first"
party = "a"
first = "ceasefire"
then = "elections"
relation = "start-to-start"
min_gap = 90

[[demands]]
id = "relief-after-verified-ceasefire"
party = "a"
first = "ceasefire"
then = "relief"
"#;

#[test]
fn a_feasible_sequence_exits_0_with_its_phases() {
    let path = fixture("ordered.toml", ORDERED);
    let (code, out, err) = run(&["sequence", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("PLAN: a sequence meets every hard demand. Total duration: 120 days."));
    let (code, report) = json(&["sequence", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "concord.sequence/1");
    assert_eq!(report["feasible"], true);
    let plan = &report["plan"];
    assert_eq!(plan["duration"], 120);
    // Relief waits for the verified ceasefire (day 7); elections start on day 90.
    let start = |id: &str| {
        plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == id)
            .unwrap()["start"]
            .clone()
    };
    assert_eq!(start("relief"), 7);
    assert_eq!(start("elections"), 90);
    let phases: Vec<i64> = plan["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["day"].as_i64().unwrap())
        .collect();
    assert_eq!(phases, vec![0, 7, 90]);
    let path_steps: Vec<&str> = plan["critical_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["step"].as_str().unwrap())
        .collect();
    assert_eq!(path_steps, vec!["ceasefire", "elections"]);
}

#[test]
fn minsk_deadlocks_with_exit_1_and_a_tranche_way_out() {
    let (code, out, _) = run(&["sequence", "examples/minsk-2015.toml"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("DEADLOCK"));
    assert!(out.contains("ukraine-border-before-elections"));
    assert!(out.contains("russia-elections-before-border"));
    assert!(out.contains("WAY OUT: the cheapest changes"));
    assert!(out.contains("split `border-handover` into reciprocal tranches"));
    let (code, report) = json(&["sequence", "examples/minsk-2015.toml", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(report["feasible"], false);
    let conflicts = report["deadlock"]["conflicts"].as_array().unwrap();
    assert!(conflicts.iter().any(|c| {
        let ids: Vec<&str> = c["demands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        ids == [
            "ukraine-border-before-elections",
            "russia-elections-before-border",
        ]
    }));
    // The cheapest way out asks no days of either side: both contested steps split, each
    // side's two demands re-attached to the tranches.
    let way_out = &report["deadlock"]["way_out"];
    assert_eq!(way_out["cost"]["days"], 0);
    assert_eq!(way_out["cost"]["changes"], 4);
    assert_eq!(way_out["cost"]["splits"], 2);
    let actions = way_out["actions"].as_array().unwrap();
    let border = actions
        .iter()
        .find(|a| a["kind"] == "split" && a["step"] == "border-handover")
        .expect("the border handover is split");
    let attached: Vec<(&str, u64)> = border["attached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["demand"].as_str().unwrap(),
                a["tranches"][0].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        attached,
        [
            ("ukraine-border-before-elections", 1),
            ("russia-elections-before-border", 2)
        ]
    );
}

#[test]
fn the_kyiv_example_deadlocks_and_gives_the_cheapest_way_out() {
    let (code, out, err) = run(&["sequence", "examples/kyiv-2026.toml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("DEADLOCK"), "{out}");
    let (code, report) = json(&["sequence", "examples/kyiv-2026.toml", "--json"]);
    assert_eq!(code, 1);
    let conflicts = report["deadlock"]["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        conflicts[0]["demands"],
        serde_json::json!([
            "coalition-force-after-ceasefire",
            "ukraine-protection-before-withdrawal",
            "russia-withdrawal-before-ceasefire"
        ])
    );
    let way_out = &report["deadlock"]["way_out"];
    assert_eq!(
        way_out["cost"],
        serde_json::json!({"days": 0, "changes": 2, "splits": 1})
    );
    // The withdrawal may not be split (Kyiv's reading: no part of it before protection), so the
    // way out sends a first European contingent before the ceasefire.
    assert_eq!(way_out["actions"][0]["step"], "european-force");
    assert_eq!(way_out["plan"]["duration"], 397);
}

#[test]
fn diff_of_one_file_is_the_lineage_of_its_versions() {
    let (code, report) = json(&["diff", "examples/minsk-2015.toml", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "concord.lineage/1");
    let s = &report["survival"][0];
    assert_eq!(s["of"], 12);
    assert_eq!(
        s["survive"].as_u64().unwrap() + s["dropped"].as_u64().unwrap(),
        12
    );
    let (code, out, _) = run(&["diff", "examples/minsk-2015.toml"]);
    assert_eq!(code, 0);
    assert!(out.contains("Lineage of points"));
    assert!(out.contains("Acceptance by party"));
}

#[test]
fn diff_of_two_versions_matches_points_by_content() {
    let (code, report) = json(&[
        "diff",
        "examples/minsk-2015.toml",
        "--from",
        "minsk-protocol",
        "--to",
        "package-of-measures",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "concord.diff/1");
    // The amnesty point moves from 6 to 5, the hostages from 5 to 6.
    let matched = report["matched"].as_array().unwrap();
    let moved = |from: u64, to: u64| {
        matched.iter().any(|m| {
            m["old"]["number"] == from && m["new"]["number"] == to && m["renumbered"] == true
        })
    };
    assert!(moved(6, 5) && moved(5, 6));
    let added: Vec<&str> = report["new_only"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert!(added.contains(&"Trilateral Contact Group"), "{added:?}");
}

#[test]
fn diff_of_two_files_compares_their_frameworks() {
    let (code, out, err) = run(&[
        "diff",
        "examples/water-sharing.toml",
        "examples/water-sharing.toml",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("2 in both (2 unchanged, 0 changed, 0 renumbered)"),
        "{out}"
    );
}

#[test]
fn bad_input_exits_2_with_located_errors() {
    let path = fixture(
        "bad.toml",
        &ORDERED
            .replace("duration = 30", "duration = -30")
            .replace("then = \"relief\"", "then = \"reliefs\""),
    );
    let (code, out, err) = run(&["sequence", path.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("2 problems found"), "{err}");
    assert!(
        err.contains("`steps[1].duration`: found the integer -30"),
        "{err}"
    );
    assert!(
        err.contains("`demands[1].then`: found \"reliefs\""),
        "{err}"
    );
    let (code, _, err) = run(&["sequence", "no/such/file.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"));
}

#[test]
fn diff_usage_errors_exit_2() {
    for args in [
        vec![
            "diff",
            "examples/minsk-2015.toml",
            "--from",
            "minsk-protocol",
        ],
        vec![
            "diff",
            "examples/minsk-2015.toml",
            "--from",
            "nope",
            "--to",
            "package-of-measures",
        ],
        vec!["diff", "examples/minsk-2015.toml", "--threshold", "2"],
        vec!["diff", "examples/water-sharing.toml"],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.starts_with("error:"), "{err}");
    }
}

#[test]
fn a_file_without_steps_is_bad_input_for_sequence() {
    let (code, _, err) = run(&["sequence", "examples/water-sharing.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("no [[steps]]"), "{err}");
}

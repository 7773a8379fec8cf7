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
    // Each names what to give as this command's flags, though the api checks the request.
    for (args, says) in [
        (
            vec![
                "diff",
                "examples/minsk-2015.toml",
                "--from",
                "minsk-protocol",
            ],
            "(--from ID and --to ID)",
        ),
        (
            vec![
                "diff",
                "examples/minsk-2015.toml",
                "--from",
                "nope",
                "--to",
                "package-of-measures",
            ],
            "no version `nope`",
        ),
        (
            vec!["diff", "examples/minsk-2015.toml", "--threshold", "2"],
            "--threshold \"2\": is out of range; expected a similarity from 0 to 1",
        ),
        (
            vec!["diff", "examples/water-sharing.toml"],
            "or a second file (--from ID and --to ID)",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.starts_with("error:"), "{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn a_file_without_steps_is_bad_input_for_sequence() {
    let (code, _, err) = run(&["sequence", "examples/water-sharing.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("no [[steps]]"), "{err}");
}

/// Two parties each want their step first: no order meets both. A soft deadline makes the
/// optimum after a waiver depend on more than the order.
const STANDOFF: &str = r#"
[about]
id = "standoff"
title = "Who goes first"

[[parties]]
id = "north"
name = "North"

[[parties]]
id = "south"
name = "South"

[[steps]]
id = "pullback"
name = "Pull-back"
parties = ["north"]
duration = 20
verification = { days = 5 }

[[steps]]
id = "release"
name = "Prisoner release"
parties = ["south"]
duration = 8

[[steps]]
id = "talks"
name = "Status talks"
parties = ["north", "south"]
duration = 30

[[demands]]
id = "south-pullback-first"
party = "south"
first = "pullback"
then = "release"

[[demands]]
id = "north-release-first"
party = "north"
first = "release"
then = "pullback"
min_gap = 3

[[demands]]
id = "talks-after-release"
party = "north"
first = "release"
then = "talks"

[[demands]]
id = "talks-by-day-40"
party = "south"
step = "talks"
done_by_day = 40
cost_per_day = 2
"#;

/// The problem of a fixture as the binary reads it, for the brute-force twin.
fn problem(text: &str) -> concord_sequence::model::SequenceProblem {
    concord_io::sequence::read_sequence_file(text, "fixture.toml")
        .expect("the fixture reads")
        .problem
}

#[test]
fn dropping_a_deadlocking_demand_yields_the_plan_brute_force_finds() {
    use concord_sequence::reference::optimum;
    let path = fixture("standoff.toml", STANDOFF);
    let file = path.to_str().unwrap();
    let (code, out, err) = run(&["sequence", file]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("DEADLOCK"), "{out}");
    let p = problem(STANDOFF);
    assert_eq!(optimum(&p), None, "the brute force agrees there is no plan");
    for (waived, k) in [("north-release-first", 1), ("south-pullback-first", 0)] {
        let (code, out, err) = run(&["sequence", file, "--drop-demand", waived]);
        assert_eq!(code, 0, "{out}{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("WHAT IF"), "{out}");
        assert!(
            lines[1].contains(&format!("demand waived: {waived} (")),
            "{out}"
        );
        assert!(
            out.contains("PLAN: a sequence meets every hard demand."),
            "{out}"
        );
        let (code, report) = json(&["sequence", file, "--drop-demand", waived, "--json"]);
        assert_eq!(code, 0);
        assert_eq!(report["what_if"].as_array().unwrap().len(), 1);
        assert!(report["demands"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["id"] != waived));
        let (cost, duration) = optimum(&p.without_demands(&[k])).expect("a plan");
        assert_eq!(report["plan"]["cost"], cost, "{waived}");
        assert_eq!(report["plan"]["duration"], duration, "{waived}");
    }
    // Without North's demand the release waits for the verified pull-back (day 25), so the
    // talks end on day 63, 23 days past South's deadline: 46. Without South's, the pull-back
    // waits for the release (day 11) and the talks end on day 38.
    let (_, r) = json(&[
        "sequence",
        file,
        "--drop-demand",
        "north-release-first",
        "--json",
    ]);
    assert_eq!(
        (r["plan"]["cost"].as_u64(), r["plan"]["duration"].as_i64()),
        (Some(46), Some(63))
    );
    let (_, r) = json(&[
        "sequence",
        file,
        "--drop-demand",
        "south-pullback-first",
        "--json",
    ]);
    assert_eq!(
        (r["plan"]["cost"].as_u64(), r["plan"]["duration"].as_i64()),
        (Some(0), Some(38))
    );
    // No change, no what-if lines: the report is as before.
    let (_, r) = json(&["sequence", file, "--json"]);
    assert_eq!(r["what_if"], serde_json::json!([]));
}

#[test]
fn waiving_a_demand_of_the_kyiv_deadlock_ends_it() {
    let kyiv = "examples/kyiv-2026.toml";
    let (code, out, err) = run(&[
        "sequence",
        kyiv,
        "--drop-demand",
        "russia-withdrawal-before-ceasefire",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("WHAT IF"), "{out}");
    assert!(
        out.contains("demand waived: russia-withdrawal-before-ceasefire (Russia)"),
        "{out}"
    );
    // examples/README.md gives these durations.
    for (waived, days) in [
        ("russia-withdrawal-before-ceasefire", 300),
        ("coalition-force-after-ceasefire", 419),
        ("ukraine-protection-before-withdrawal", 374),
    ] {
        let (code, r) = json(&["sequence", kyiv, "--drop-demand", waived, "--json"]);
        assert_eq!(code, 0, "{waived}");
        assert_eq!(r["plan"]["duration"], days, "{waived}");
    }
}

#[test]
fn an_unknown_demand_is_named_with_the_ids_there_are() {
    let path = fixture("standoff.toml", STANDOFF);
    let (code, out, err) = run(&["sequence", path.to_str().unwrap(), "--drop-demand", "nope"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("--drop-demand \"nope\": no demand `nope`"),
        "{err}"
    );
    assert!(
        err.contains("`south-pullback-first`, `north-release-first`, `talks-after-release`, `talks-by-day-40`"),
        "{err}"
    );
}

#[test]
fn scenario_what_ifs_are_refused_by_sequence_with_the_reason() {
    for flag in [
        ["--drop-red-line", "ukraine-no-de-jure-recognition"],
        ["--set-reservation", "ukraine=0.1"],
        ["--fix", "nato=no-membership"],
        ["--set-weight", "ukraine.territory=0.4"],
    ] {
        let (code, out, err) = run(&["sequence", "examples/kyiv-2026.toml", flag[0], flag[1]]);
        assert_eq!(code, 2, "{flag:?}: {out}");
        assert!(
            err.contains(&format!("`concord sequence` does not take {}", flag[0])),
            "{err}"
        );
        assert!(
            err.contains("no red line, reservation value, weight or settled option enters it"),
            "{err}"
        );
        assert!(err.contains("--drop-demand ID"), "{err}");
    }
}

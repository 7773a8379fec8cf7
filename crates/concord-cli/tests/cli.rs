//! The real `concord` binary on the examples and on bad input.

mod common;

use std::path::PathBuf;

use common::{concord, example, fixture, json, root, run, run_80, shared, Dir};
use serde_json::Value;

/// The options of each package a solution picks, as `share/monitor` strings.
fn picks(report: &Value, concept: &str) -> Vec<String> {
    let solution = report["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["concept"] == concept)
        .unwrap_or_else(|| panic!("no {concept}"));
    solution["points"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["packages"].as_array().unwrap().clone())
        .map(|p| {
            format!(
                "{}/{}",
                p["options"]["share"].as_str().unwrap(),
                p["options"]["monitor"].as_str().unwrap()
            )
        })
        .collect()
}

fn approx(v: &Value, expected: f64) -> bool {
    (v.as_f64().unwrap() - expected).abs() < 1e-9
}

/// The expected values are worked out by hand in examples/water-sharing.toml's terms:
/// upstream's red line keeps the share at 20 or 40; downstream's conditional red line rules out
/// upstream monitoring there; (20, joint) leaves downstream at 0.28 < 0.3. The zone is
/// (20, province) = (0.76, 0.40), (40, joint) = (0.6467, 0.52), (40, province) = (0.5267, 0.64).
#[test]
fn water_sharing_matches_hand_computation() {
    let (code, r) = json(&["analyze", "examples/water-sharing.toml", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(r["schema"], "concord.analysis/1");
    assert_eq!(r["space_size"], 12);
    assert_eq!(r["zone"]["size"], 3);
    assert!(approx(&r["zone"]["share"], 0.25));
    assert_eq!(r["frontier"]["size"], 3);
    // Nash: gains (0.2267, 0.34) give 0.07707 against (0.3467, 0.22) with 0.07627.
    assert_eq!(picks(&r, "nash"), ["40/province"]);
    assert!(approx(
        &r["solutions"][0]["value"],
        0.22666666666666666 * 0.34
    ));
    // KS: ideal gains are (0.46, 0.34); (40, joint) has the best worst ratio, 0.22 / 0.34.
    assert_eq!(picks(&r, "kalai-smorodinsky"), ["40/joint"]);
    assert!(approx(&r["solutions"][1]["value"], 0.22 / 0.34));
    // Egalitarian: smallest gains 0.10, 0.22, 0.2267.
    assert_eq!(picks(&r, "egalitarian"), ["40/province"]);
    // Utilitarian: both share-40 packages sum to 7/6 exactly: a tie, reported as one.
    assert_eq!(picks(&r, "utilitarian"), ["40/joint", "40/province"]);
    // Freeing `share` lifts both red lines and every package of the rest qualifies (+75 points);
    // freeing `monitor` leaves shares 20 and 40, half of the remaining space (+25 points).
    assert_eq!(r["issues"][0]["issue"], "share");
    assert!(approx(&r["issues"][0]["blocking"], 0.75));
    assert_eq!(r["issues"][1]["issue"], "monitor");
    assert!(approx(&r["issues"][1]["blocking"], 0.25));
    // Point 1 (share, weights 0.7 and 0.6) is open, point 2 (monitor, 0.3 and 0.4) agreed.
    assert!(approx(&r["framework"]["accepted_share"], 0.5));
    assert!(approx(&r["framework"]["weighted_share"], 0.35));
}

#[test]
fn empty_zone_is_explained_with_exit_code_1() {
    let text = example("water-sharing.toml").replace(
        "[preferences.downstream]\nreservation = 0.3",
        "[preferences.downstream]\nreservation = 0.7",
    );
    let file = fixture("strict.toml", &text);
    let (code, r) = json(&["analyze", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    assert_eq!(r["zone"]["exists"], false);
    let conflict: Vec<String> = r["no_zone"]["conflict"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["id"]
                .as_str()
                .or(c["party"].as_str())
                .unwrap()
                .to_string()
        })
        .collect();
    // Downstream's best under the red lines is 0.64 < 0.7; without upstream's cap, share 60
    // with joint monitoring gives it 0.76.
    assert_eq!(conflict, ["upstream-half", "downstream"]);
    let cheapest = &r["no_zone"]["relaxations"][0];
    assert_eq!(cheapest["change"]["kind"], "lower_reservation");
    assert!(approx(&cheapest["change"]["to"], 0.64));
    assert_eq!(cheapest["zone_size"], 1);
    let second = &r["no_zone"]["relaxations"][1];
    assert_eq!(second["change"]["kind"], "admit_option");
    assert_eq!(second["change"]["option"], "60");

    let (code, text, _) = run(&["analyze", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(text.contains("NO AGREEMENT ZONE"), "{text}");
    assert!(
        text.contains("lower Downstream town's reservation value from 0.7 to 0.64"),
        "{text}"
    );
}

#[test]
fn bad_file_exits_2_with_location() {
    let text = example("water-sharing.toml")
        .replace("role = \"mediator\"", "role = \"broker\"")
        .replace("weight = 0.6\npoints", "weight = 0.5\npoints");
    let file = fixture("bad.toml", &text);
    let (code, stdout, stderr) = run(&["analyze", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("2 problems found"), "{stderr}");
    assert!(
        stderr.contains("`parties[2].role`: found \"broker\""),
        "{stderr}"
    );
    assert!(stderr.contains("weights that sum to 0.9"), "{stderr}");
    // With --normalize-weights only the role remains.
    let (code, _, stderr) = run(&["analyze", file.to_str().unwrap(), "--normalize-weights"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("1 problem found"), "{stderr}");
}

#[test]
fn missing_file_and_bad_usage_exit_2() {
    let (code, _, stderr) = run(&["analyze", "no/such/file.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read scenario file no/such/file.toml"),
        "{stderr}"
    );
    let (code, _, _) = run(&["analyze"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&[
        "analyze",
        "examples/water-sharing.toml",
        "--red-lines",
        "some",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn kyiv_example_analyses_and_its_conclusions_depend_on_basis() {
    let (all, r) = json(&["analyze", "examples/kyiv-2026.toml", "--json"]);
    assert!(all == 0 || all == 1);
    assert_eq!(r["zone"]["exists"], all == 0);
    assert!(r["space_size"].as_u64().unwrap() <= 100_000_000);
    assert_eq!(
        r["consenting"],
        serde_json::json!(["ukraine", "russia", "united_states"])
    );
    if all == 1 {
        let conflict = r["no_zone"]["conflict"].as_array().unwrap();
        assert!(!conflict.is_empty());
    }
    // Applying fewer red lines can only grow the zone.
    let (_, stated) = json(&[
        "analyze",
        "examples/kyiv-2026.toml",
        "--json",
        "--red-lines",
        "stated",
    ]);
    assert!(stated["zone"]["size"].as_u64() >= r["zone"]["size"].as_u64());
    assert!(!stated["set_aside_red_lines"].as_array().unwrap().is_empty());
}

#[test]
fn sensitivity_is_deterministic_for_a_seed() {
    let args = [
        "analyze",
        "examples/water-sharing.toml",
        "--json",
        "--sensitivity",
        "40",
        "--seed",
        "7",
    ];
    let (code, a) = json(&args);
    assert_eq!(code, 0);
    let (_, b) = json(&args);
    assert_eq!(a["sensitivity"], b["sensitivity"]);
    let s = &a["sensitivity"];
    assert_eq!(s["samples"], 40);
    // Only upstream's reservation carries a range in this example.
    assert_eq!(s["ranged_numbers"], 1);
    assert!(s["zone_exists"].as_u64().unwrap() <= 40);
}

#[test]
fn sources_check_finds_quotes_and_reports_missing_ones() {
    let (code, stdout, _) = run(&[
        "sources",
        "check",
        "examples/water-sharing.toml",
        "--sources",
        "examples",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("2 citations checked: 2 found, 0 missing"),
        "{stdout}"
    );

    let text = example("water-sharing.toml").replacen(
        "Upton will not release more than half",
        "Upton will never release more than half",
        1,
    );
    let file = fixture("misquoted.toml", &text);
    let (code, stdout, _) = run(&[
        "sources",
        "check",
        file.to_str().unwrap(),
        "--sources",
        "examples",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.contains("misquoted.toml:18:"), "{stdout}");
    assert!(
        stdout.contains("`parties[0].cite[0]`: error: quote not found"),
        "{stdout}"
    );
}

#[test]
fn kyiv_quotes_are_in_the_reports() {
    let Some(reports) = shared("reports") else {
        return;
    };
    let (code, stdout, stderr) = run(&[
        "sources",
        "check",
        "examples/kyiv-2026.toml",
        "--sources",
        reports.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(" 0 missing"), "{stdout}");
    println!("{stdout}");
}

#[test]
fn large_spaces_are_merged_and_refused_only_for_enumeration() {
    // Nine issues of ten options: 10^9 packages, past the 10^8 that enumeration accepts.
    let mut text = String::from(
        "[scenario]\nid = \"big\"\ntitle = \"Big\"\n\n[[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\n",
    );
    for i in 0..9 {
        text.push_str(&format!("[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\nnumeric = {{ min = 0, max = 9, step = 1 }}\n\n"));
    }
    text.push_str("[preferences.a]\nreservation = 0.1\n");
    for i in 0..9 {
        let weight = if i == 0 { 1.0 } else { 0.0 };
        text.push_str(&format!(
            "[preferences.a.issues.i{i}]\nweight = {weight:?}\npoints = [[0, 0.0], [9, 1.0]]\n"
        ));
    }
    let file = fixture("big.toml", &text);
    // The merge needs no enumeration: one party, whose best is option 9 of the first issue
    // (utility 1) with anything on the eight weightless issues: 10^8 tied packages.
    let (code, r) = json(&[
        "analyze",
        file.to_str().unwrap(),
        "--json",
        "--count-limit",
        "0",
    ]);
    assert_eq!(code, 0);
    assert_eq!(r["method"], "exact issue-by-issue merge");
    assert_eq!(r["space_size"], 1_000_000_000u64);
    assert_eq!(r["zone"]["size"], Value::Null);
    assert_eq!(r["frontier"]["size"], 1);
    assert_eq!(r["frontier"]["points"][0]["package_count"], 100_000_000u64);
    let first = &r["frontier"]["points"][0]["packages"][0]["options"];
    assert_eq!(first["i0"], "9");
    assert_eq!(first["i8"], "0");
    let (code, stdout, stderr) = run(&["analyze", file.to_str().unwrap(), "--method", "enumerate"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("the outcome space has 1000000000 outcomes, more than the 100000000 that exact enumeration handles"),
        "{stderr}"
    );
}

#[test]
fn the_merge_stops_at_its_limit_with_a_clear_message() {
    let (code, stdout, stderr) = run(&[
        "analyze",
        "examples/water-sharing.toml",
        "--method",
        "merge",
        "--max-partial-sums",
        "1",
    ]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains(
            "the merge held 2 non-dominated partial sums after issue 1 of 2, past the limit of 1"
        ),
        "{stderr}"
    );
    // Without the limit the merge gives the hand-computed frontier.
    let (code, r) = json(&[
        "analyze",
        "examples/water-sharing.toml",
        "--json",
        "--method",
        "merge",
    ]);
    assert_eq!(code, 0);
    assert_eq!(r["method"], "exact issue-by-issue merge");
    assert_eq!(r["frontier"]["size"], 3);
    assert_eq!(r["zone"]["size"], 3);
}

#[test]
fn genius_folders_import_export_and_analyse() {
    let Some(shared) = shared("genius/anac_y2012_LaptopC") else {
        return;
    };
    let dir = Dir::new("genius");
    let toml = dir.join("laptop.toml");
    let (code, _, stderr) = run(&[
        "import",
        "genius",
        shared.to_str().unwrap(),
        "-o",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, direct) = json(&["analyze", shared.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    let (_, imported) = json(&["analyze", toml.to_str().unwrap(), "--json"]);
    assert_eq!(direct["frontier"]["size"], 4);
    assert_eq!(imported["frontier"]["size"], 4);
    assert_eq!(
        direct["consenting"],
        serde_json::json!(["Laptop-C-prof1", "Laptop-C-prof2"])
    );
    let out = dir.join("exported");
    let (code, _, stderr) = run(&[
        "export",
        "genius",
        toml.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (_, again) = json(&["analyze", out.to_str().unwrap(), "--json"]);
    // Import normalised the weights (they summed to 1.00005), so compare the two TOML-based runs.
    assert_eq!(again["solutions"], imported["solutions"].clone());
    let (code, _, stderr) = run(&[
        "analyze",
        root()
            .join("../shared/genius/other_S-1NAGUNL-255")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("non-linear (hyper-rectangle) utility function"),
        "{stderr}"
    );
}

#[test]
fn a_genius_export_says_what_genius_cannot_hold() {
    let dir = Dir::new("export-kyiv");
    let out = dir.join("kyiv");
    let (code, _, stderr) = run(&[
        "export",
        "genius",
        "examples/kyiv-2026.toml",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: Genius has no red lines or framework points; 11 red lines and"),
        "{stderr}"
    );
    // The files written read back: the same parties and issues, without the red lines.
    let (code, again) = json(&["analyze", out.to_str().unwrap(), "--json"]);
    assert!(code <= 1, "{again}");
    assert_eq!(again["issue_count"], 10);
}

/// Two parties with opposed preferences over five issues of ten options (10^5 packages, past
/// the 10^4 that `auto` enumerates), with different weights so that the frontier has many
/// points.
fn opposed_scenario() -> PathBuf {
    let mut text = String::from(
        "[scenario]\nid = \"opposed\"\ntitle = \"Opposed\"\n\n[[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\n[[parties]]\nid = \"b\"\nname = \"B\"\nrole = \"party\"\n\n",
    );
    for i in 0..5 {
        text.push_str(&format!("[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\nnumeric = {{ min = 0, max = 9, step = 1 }}\n\n"));
    }
    for (party, reservation, weights, points) in [
        ("a", 0.1, [3.0, 1.0, 4.0, 1.0, 5.0], "[[0, 0.0], [9, 1.0]]"),
        (
            "b",
            0.2,
            [2.0, 7.0, 1.0, 8.0, 2.0],
            "[[0, 1.0], [4, 0.7], [9, 0.0]]",
        ),
    ] {
        let total: f64 = weights.iter().sum();
        text.push_str(&format!(
            "[preferences.{party}]\nreservation = {reservation:?}\n"
        ));
        for (i, w) in weights.iter().enumerate() {
            text.push_str(&format!(
                "[preferences.{party}.issues.i{i}]\nweight = {:?}\npoints = {points}\n",
                w / total
            ));
        }
    }
    fixture("opposed.toml", &text)
}

/// Each solution's concept, value and the utilities of its points.
fn solutions(report: &Value) -> Vec<(String, f64, Vec<Value>)> {
    report["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["concept"].as_str().unwrap().to_string(),
                s["value"].as_f64().unwrap(),
                s["points"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["utilities"].clone())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn branch_and_bound_gives_the_merges_bargaining_points() {
    let opposed = opposed_scenario();
    for file in ["examples/water-sharing.toml", opposed.to_str().unwrap()] {
        let (code, merged) = json(&["analyze", file, "--json", "--method", "merge"]);
        assert_eq!(code, 0);
        let (code, searched) = json(&["analyze", file, "--json", "--method", "bnb"]);
        assert_eq!(code, 0);
        assert_eq!(searched["method"], "exact branch and bound");
        assert_eq!(searched["frontier"]["materialised"], false);
        assert_eq!(searched["frontier"]["size"], Value::Null);
        assert_eq!(searched["frontier"]["ideal"], merged["frontier"]["ideal"]);
        assert_eq!(searched["search"]["fallback"], Value::Null);
        let (m, s) = (solutions(&merged), solutions(&searched));
        assert_eq!(m.len(), 4);
        for ((mc, mv, mp), (sc, sv, sp)) in m.iter().zip(&s) {
            assert_eq!(mc, sc);
            assert!((mv - sv).abs() <= 1e-9, "{mc}: {mv} vs {sv}");
            assert_eq!(mp, sp, "{mc}");
        }
        for s in searched["solutions"].as_array().unwrap() {
            assert_eq!(s["proven"], true);
            assert_eq!(s["gap"], 0.0);
            assert_eq!(s["all_ties"], true);
        }
        // The frontier methods say their solutions are exact too.
        assert_eq!(merged["solutions"][0]["proven"], true);
        assert_eq!(merged["solutions"][0]["nodes"], Value::Null);
        assert_eq!(merged["search"], Value::Null);
    }
    // Water sharing's tie on the utilitarian point (0.6467 + 0.52 = 0.5267 + 0.64) is reported in
    // full: both tied points.
    let (_, r) = json(&[
        "analyze",
        "examples/water-sharing.toml",
        "--json",
        "--method",
        "bnb",
    ]);
    assert_eq!(picks(&r, "utilitarian"), ["40/joint", "40/province"]);
}

#[test]
fn past_the_partial_sum_limit_the_frontier_is_not_materialised() {
    let file = opposed_scenario();
    let file = file.to_str().unwrap();
    let (code, r) = json(&["analyze", file, "--json", "--max-partial-sums", "1"]);
    assert_eq!(code, 0);
    assert_eq!(r["method"], "exact branch and bound");
    assert_eq!(r["frontier"]["materialised"], false);
    assert_eq!(r["frontier"]["points"], Value::Array(vec![]));
    let why = r["search"]["fallback"].as_str().unwrap();
    assert!(why.contains("past the limit of 1"), "{why}");
    let (_, merged) = json(&["analyze", file, "--json", "--method", "merge"]);
    assert_eq!(solutions(&r), solutions(&merged));

    let (code, text, _) = run(&["analyze", file, "--max-partial-sums", "1"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("Method: exact branch and bound over 100,000 packages"),
        "{text}"
    );
    assert!(
        text.contains("PARETO FRONTIER of the zone over A, B: not materialised; the bargaining points below were computed by exact branch and bound (the merge held 10 non-dominated partial sums after issue 1 of 5, past the limit of 1"),
        "{text}"
    );
    assert!(!text.contains("NOT PROVEN"), "{text}");

    // Asking for the merge itself keeps the error, and a frontier that was not built cannot be
    // streamed.
    let (code, _, stderr) = run(&[
        "analyze",
        file,
        "--method",
        "merge",
        "--max-partial-sums",
        "1",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("past the limit of 1"), "{stderr}");
    let (code, _, stderr) = run(&["analyze", file, "--method", "bnb", "--frontier-out", "-"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("it was not materialised"), "{stderr}");
}

#[test]
fn a_node_limit_gives_an_answer_not_proven_optimal_with_its_gap() {
    let file = opposed_scenario();
    let file = file.to_str().unwrap();
    let (_, exact) = json(&["analyze", file, "--json", "--method", "merge"]);
    let bnb = ["analyze", file, "--method", "bnb", "--max-nodes", "60"];
    // A budget that stops every merge that would prove what the searches leave open.
    let unproven_flags = [&bnb[..], &["--max-merge-work", "1"]].concat();
    let (code, r) = json(&[&unproven_flags[..], &["--json"]].concat());
    assert_eq!(code, 0);
    assert_eq!(r["search"]["max_nodes"], 60);
    let mut unproven = 0;
    for (s, e) in r["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .zip(exact["solutions"].as_array().unwrap())
    {
        let (value, gap, truth) = (
            s["value"].as_f64().unwrap(),
            s["gap"].as_f64().unwrap(),
            e["value"].as_f64().unwrap(),
        );
        assert!(value <= truth + 1e-9 && truth <= value + gap + 1e-9, "{s}");
        if s["proven"] == false {
            unproven += 1;
            assert!(gap > 0.0);
            assert_eq!(s["all_ties"], false);
            assert!(s["nodes"].as_u64().unwrap() >= 60);
        }
    }
    assert!(unproven > 0, "{r}");

    let (code, text, _) = run(&unproven_flags);
    assert_eq!(code, 0);
    assert!(
        text.contains("NOT PROVEN OPTIMAL (node limit of 60 reached"),
        "{text}"
    );
    assert!(text.contains("higher (gap bound)"), "{text}");
    assert!(text.contains("(not proven)"), "{text}");

    // With the merge's default budget, what the searches leave open is proven by the bounded
    // merge: the frontier method's values and points.
    let (code, r) = json(&[&bnb[..], &["--json"]].concat());
    assert_eq!(code, 0);
    for (s, e) in r["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .zip(exact["solutions"].as_array().unwrap())
    {
        assert_eq!(s["proven"], true, "{s}");
        assert_eq!(s["value"], e["value"], "{s}");
        assert_eq!(s["points"], e["points"], "{s}");
    }
    let (_, text, _) = run(&bnb);
    assert!(!text.contains("NOT PROVEN"), "{text}");

    // Too few nodes to find any package: a clear stop, not a guess.
    let (code, _, stderr) = run(&["analyze", file, "--method", "bnb", "--max-nodes", "1"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("reached its node limit after 10 nodes without finding a package")
            && stderr.contains("raise it with --max-nodes"),
        "{stderr}"
    );
}

/// The structure of the Kyiv deadlock in four red lines: Ukraine's hearsay red line (reported by
/// an adviser) and Russia's Donbas demand conflict, and so do Ukraine's stated conditional red
/// line, the same demand and Russia's assumed refusal of Western troops.
const TWO_CONFLICTS: &str = r#"
[scenario]
id = "two-conflicts"
title = "Two conflicts"

[[sources]]
id = "report"
file = "report.txt"

[[parties]]
id = "ukraine"
name = "Ukraine"
role = "party"

[[parties]]
id = "russia"
name = "Russia"
role = "party"

[[issues]]
id = "territory"
name = "Territory"
options = ["line-frozen", "withdraws-dmz", "donbas-ceded"]

[[issues]]
id = "enforcement"
name = "Enforcement"
options = ["european-force", "arms-only"]

[preferences.ukraine]
reservation = 0.0
[preferences.ukraine.issues.territory]
weight = 0.5
values = { line-frozen = 1.0, withdraws-dmz = 0.5, donbas-ceded = 0.0 }
[preferences.ukraine.issues.enforcement]
weight = 0.5
values = { european-force = 1.0, arms-only = 0.0 }

[preferences.russia]
reservation = 0.0
[preferences.russia.issues.territory]
weight = 0.5
values = { line-frozen = 0.0, withdraws-dmz = 0.5, donbas-ceded = 1.0 }
[preferences.russia.issues.enforcement]
weight = 0.5
values = { european-force = 0.0, arms-only = 1.0 }

[[red_lines]]
id = "ukraine-no-capitulation"
party = "ukraine"
issue = "territory"
must_not_be = ["donbas-ceded"]
basis = "reported"
cite = [{ source = "report", quote = "Ukraine cannot accept capitulation on the ground.", speaker = "an anonymous adviser" }]

[[red_lines]]
id = "ukraine-no-cession-without-forces"
party = "ukraine"
if = { issue = "territory", is = ["withdraws-dmz", "donbas-ceded"] }
then = { issue = "enforcement", must_be_one_of = ["european-force"] }

[[red_lines]]
id = "russia-donbas"
party = "russia"
issue = "territory"
must_be_one_of = ["donbas-ceded"]

[[red_lines]]
id = "russia-no-western-troops"
party = "russia"
issue = "enforcement"
must_not_be = ["european-force"]
basis = "assumed"
"#;

/// Issue 11: one minimal conflict is not the explanation. Dropping the hearsay red line ends the
/// first conflict but opens nothing; the report lists both conflicts, the single change that
/// opens a zone, and what each party alone would have to give up.
#[test]
fn empty_zone_lists_every_conflict_and_the_fewest_changes() {
    let dir = Dir::new("two-conflicts");
    dir.create(
        "report.txt",
        "An adviser said: Ukraine cannot accept capitulation on the ground.",
    );
    let file = dir.create("two-conflicts.toml", TWO_CONFLICTS);
    let path = file.to_str().unwrap();
    let (code, r) = json(&["analyze", path, "--json"]);
    assert_eq!(code, 1);
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let nz = &r["no_zone"];
    assert_eq!(nz["conflicts_complete"], true);
    let conflicts: Vec<Vec<String>> = nz["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(ids)
        .collect();
    assert_eq!(
        conflicts,
        [
            vec![
                "ukraine-no-cession-without-forces",
                "russia-donbas",
                "russia-no-western-troops"
            ],
            vec!["ukraine-no-capitulation", "russia-donbas"],
        ]
    );
    // Only dropping the Donbas demand opens a zone in one change: (donbas-ceded, arms-only)
    // is then still forbidden by the conditional, and so is (withdraws-dmz, arms-only); the zone
    // is (line-frozen, arms-only) with utilities (0.5, 0.5).
    assert_eq!(nz["corrections_complete"], true);
    let corrections: Vec<Vec<String>> = nz["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| ids(&c["constraints"]))
        .collect();
    assert_eq!(corrections, [vec!["russia-donbas"]]);
    assert_eq!(nz["corrections"][0]["zone_size"], 1);
    let ukraine = &nz["by_party"][0];
    assert_eq!(ukraine["party"], "ukraine");
    assert_eq!(
        ids(&ukraine["corrections"][0]["constraints"]),
        [
            "ukraine-no-capitulation",
            "ukraine-no-cession-without-forces"
        ]
    );
    let (code, text, _) = run(&["analyze", path]);
    assert_eq!(code, 1);
    assert!(text.contains("Why: 2 minimal conflicts."), "{text}");
    assert!(
        text.contains("red line `ukraine-no-capitulation` is not stated by the party itself (reported by a third party or assumed); dropping it alone opens no zone: conflict 1 remains."),
        "{text}"
    );
    assert!(
        text.contains("  1. drop Russia's red line `russia-donbas`: opens 1 packages"),
        "{text}"
    );
    assert!(
        !text.contains("removing any one of them opens a zone"),
        "{text}"
    );
}

/// A one-party scenario over a numeric issue with one red line, for the tolerance tests.
fn numeric_red_line(numeric: &str, red_line: &str) -> String {
    format!(
        r#"
[scenario]
id = "numeric"
title = "Numeric"

[[parties]]
id = "a"
name = "A"
role = "party"

[[issues]]
id = "n"
name = "N"
numeric = {numeric}

[preferences.a]
reservation = 0.0
[preferences.a.issues.n]
weight = 1.0
points = [[0, 0.0], [100, 1.0]]

[[red_lines]]
id = "cap"
party = "a"
issue = "n"
{red_line}
"#
    )
}

/// Issue 11: numeric bounds and options compare exactly as written, with no hidden tolerance.
#[test]
fn numeric_red_lines_have_no_hidden_tolerance() {
    let zone = |numeric: &str, red_line: &str| -> (i32, Value) {
        let file = fixture("numeric.toml", &numeric_red_line(numeric, red_line));
        json(&["analyze", file.to_str().unwrap(), "--json"])
    };
    // `at_most = 19.999999999` used to admit 20.
    let (code, r) = zone("{ min = 0, max = 30, step = 10 }", "at_most = 19.999999999");
    assert_eq!(code, 0);
    assert_eq!(r["zone"]["size"], 2);
    // `must_not_be = [20.0000000001]` used to match option 20; it names no option.
    let (code, _, err) = run(&[
        "analyze",
        fixture(
            "numeric.toml",
            &numeric_red_line(
                "{ min = 0, max = 30, step = 10 }",
                "must_not_be = [20.0000000001]",
            ),
        )
        .to_str()
        .unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("found the number 20.0000000001"), "{err}");
    // Options are the decimals min + k × step, so `at_most = 0.3` admits the option 0.3 (three
    // float additions of 0.1 give 0.30000000000000004).
    let (code, r) = zone("{ min = 0, max = 0.5, step = 0.1 }", "at_most = 0.3");
    assert_eq!(code, 0);
    assert_eq!(r["zone"]["size"], 4);
}

/// Issue 11: `anac_y2012_LaptopC` gave 27 packages analysed as a folder and 25 after import: the
/// import divided prof2's weights by their sum (1.00005) but kept its reservation value.
#[test]
fn genius_import_keeps_the_folders_zone() {
    let Some(shared) = shared("genius/anac_y2012_LaptopC") else {
        return;
    };
    let dir = Dir::new("genius-zone");
    let toml = dir.join("laptop.toml");
    let (code, _, stderr) = run(&[
        "import",
        "genius",
        shared.to_str().unwrap(),
        "-o",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("its reservation value were divided"),
        "{stderr}"
    );
    let (_, direct) = json(&["analyze", shared.to_str().unwrap(), "--json"]);
    let (_, imported) = json(&["analyze", toml.to_str().unwrap(), "--json"]);
    assert_eq!(direct["zone"]["size"], 27);
    assert_eq!(imported["zone"]["size"], 27);
}

/// Issue 11: `--normalize-weights` divides in decimal: weights 0.3 and 0.1 become 0.75 and 0.25
/// exactly (floats give 0.7499999999999999), so a package worth exactly the reservation value
/// stays in the zone.
#[test]
fn normalised_weights_are_exact_decimals() {
    let text = r#"
[scenario]
id = "normalise"
title = "Normalise"

[[parties]]
id = "a"
name = "A"
role = "party"

[[issues]]
id = "i"
name = "I"
options = ["x", "y"]

[[issues]]
id = "j"
name = "J"
options = ["x", "y"]

[preferences.a]
reservation = 0.75
[preferences.a.issues.i]
weight = 0.3
values = { x = 1.0, y = 0.0 }
[preferences.a.issues.j]
weight = 0.1
values = { x = 0.0, y = 1.0 }
"#;
    let file = fixture("normalise.toml", text);
    let (code, r) = json(&[
        "analyze",
        file.to_str().unwrap(),
        "--normalize-weights",
        "--json",
    ]);
    assert_eq!(code, 0);
    // (x, x) is worth 0.75 exactly and (x, y) 1; (y, y) 0.25 and (y, x) 0.
    assert_eq!(r["zone"]["size"], 2);
}

/// Issue 11: branch and bound with a low `--max-nodes` on an empty zone exited 2 ("did not prove
/// a party's best utility") while explaining it. A's reservation of 1 is out of reach (its best is
/// 0.9), so the zone is proven empty at once; lowering it is a knapsack-like search that 100 nodes
/// do not finish. The value found still opens a zone, and is reported as not proven the least.
#[test]
fn an_unproven_relaxation_is_reported_not_refused() {
    let a = [4, 9, 3, 6, 8, 2, 1, 8, 5, 9, 4, 4, 8, 9];
    let b = [9, 8, 7, 3, 4, 3, 9, 7, 1, 2, 3, 1, 5, 1];
    let mut text = String::from(
        "[scenario]\nid = \"hard\"\ntitle = \"Hard\"\n\n[[parties]]\nid = \"a\"\nname = \"A\"\nrole = \"party\"\n\n[[parties]]\nid = \"b\"\nname = \"B\"\nrole = \"party\"\n",
    );
    for i in 0..a.len() {
        text += &format!(
            "\n[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [\"x\", \"y\", \"z\"]\n"
        );
    }
    for (p, weights, reservation, values) in [
        ("a", a, 1.0, "{ x = 0.0, y = 0.37, z = 0.9 }"),
        ("b", b, 0.5, "{ x = 1.0, y = 0.61, z = 0.0 }"),
    ] {
        text += &format!("\n[preferences.{p}]\nreservation = {reservation:?}\n");
        for (i, w) in weights.iter().enumerate() {
            text += &format!("[preferences.{p}.issues.i{i}]\nweight = 0.0{w}\nvalues = {values}\n");
        }
    }
    let file = fixture("hard.toml", &text);
    let path = file.to_str().unwrap();
    let args = |nodes: &'static str| {
        vec![
            "analyze",
            path,
            "--normalize-weights",
            "--method",
            "bnb",
            "--max-nodes",
            nodes,
            "--json",
        ]
    };
    let (code, r) = json(&args("100"));
    assert_eq!(code, 1, "a result, not an error");
    let change = &r["no_zone"]["relaxations"][0]["change"];
    assert_eq!(change["kind"], "lower_reservation");
    assert_eq!(change["proven"], false);
    let found = change["to"].as_f64().unwrap();
    let (code, r) = json(&args("0"));
    assert_eq!(code, 1);
    let change = &r["no_zone"]["relaxations"][0]["change"];
    assert_eq!(change["proven"], true);
    // The value found opens a zone, so the best is at least as high.
    assert!(change["to"].as_f64().unwrap() >= found);
}

/// Issue 11: a conditional red line whose `then` admits no option was refused as an input error,
/// though it holds whenever its condition does not: it forbids the condition.
#[test]
fn a_conditional_red_line_may_forbid_its_condition() {
    let text = example("water-sharing.toml").replace(
        "then = { issue = \"monitor\", must_not_be = [\"upstream\"] }",
        "then = { issue = \"monitor\", must_not_be = [\"upstream\", \"joint\", \"province\"] }",
    );
    assert!(text.contains("\"joint\", \"province\"] }"));
    let file = fixture("forbid.toml", &text);
    let (code, r) = json(&["analyze", file.to_str().unwrap(), "--json"]);
    // Downstream now forbids shares 20 and 40, the only ones upstream allows: no zone, and the
    // two red lines are the conflict.
    assert_eq!(code, 1);
    assert_eq!(r["zone"]["exists"], false);
    let conflict: Vec<&str> = r["no_zone"]["conflict"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(conflict, ["upstream-half", "downstream-no-self-monitoring"]);
    let (code, text, _) = run(&["analyze", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        text.contains("if share is 20 or 40 then no option of monitor is acceptable"),
        "{text}"
    );
}

/// Text reports and help fit 80 columns in a pipe, or the width COLUMNS gives; no word (an id,
/// a number) is split to make them fit, and only `--color always` styles a pipe's headlines.
#[test]
fn text_fits_the_width_and_color_follows_the_flag() {
    let fits = |out: &str, width: usize| {
        out.lines()
            .filter(|l| l.chars().count() > width)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for args in [
        &["analyze", "examples/kyiv-2026.toml"][..],
        &["sequence", "examples/kyiv-2026.toml"][..],
        &["evidence", "claims", "examples/kyiv-2026.toml"][..],
    ] {
        let (_, text, _) = run_80(args);
        // Lines past the width hold one unbreakable word after their indentation, or are quotes
        // of the sources in the claims register, which are kept whole to be searchable.
        let wide: Vec<String> = fits(&text, 80)
            .into_iter()
            .filter(|l| l.trim().contains(' ') && !l.trim_start().contains('“'))
            .collect();
        assert!(wide.is_empty(), "{args:?}: {wide:#?}");
        assert!(!text.contains('\x1b'), "{args:?}: styled in a pipe");
    }
    // Help fits the same width; an error stays one line, to be searched whole.
    let (_, help, _) = run_80(&["analyze", "--help"]);
    assert!(fits(&help, 80).is_empty(), "{help}");
    assert!(help.contains("Exit status:"));
    let (code, _, error) = run_80(&["analyze", "examples/minsk-2015.toml"]);
    assert_eq!(code, 2);
    assert!(
        error.starts_with("error: ") && error.lines().count() == 1,
        "{error}"
    );
    let out = concord()
        .args(["analyze", "examples/kyiv-2026.toml", "--color", "always"])
        .env("COLUMNS", "120")
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("\x1b[1;31mNO AGREEMENT ZONE\x1b[0m"),
        "{text}"
    );
    assert!(text.lines().any(|l| l.chars().count() > 80));
    assert!(text
        .lines()
        .all(|l| concord_report::layout::display_width(l) <= 120 || !l.trim().contains(' ')));
}

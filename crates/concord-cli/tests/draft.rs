//! `concord score`, `concord improve`, `concord compare` and the what-if flags, on the water
//! example, on a small contract worked out by hand, and on bad input (exit 2, naming the flag or
//! the field).

mod common;

use common::{example, fixture, json, run_80 as run};
use serde_json::Value;

/// A contract with room for log-rolling: the buyer cares most about price, the seller about
/// delivery. The framework points propose (mid, normal, one-year), which gives the buyer
/// 0.6·0.5 + 0.1·0.5 + 0.3·0.6 = 0.53 and the seller 0.2·0.5 + 0.6·0.5 + 0.2·0.5 = 0.5.
/// Trading price for delivery, (low, slow, one-year), gives 0.78 and 0.7: both gain.
const TRADE: &str = r#"
[scenario]
id = "trade"
title = "A supply contract"

[[parties]]
id = "buyer"
name = "Buyer"
role = "party"

[[parties]]
id = "seller"
name = "Seller"
role = "party"

[[parties]]
id = "bank"
name = "Bank"
role = "guarantor"

[[issues]]
id = "price"
name = "Price"
options = ["low", "mid", "high"]

[[issues]]
id = "delivery"
name = "Delivery"
options = ["fast", "normal", "slow"]

[[issues]]
id = "warranty"
name = "Warranty"
options = ["none", "one-year", "two-years"]

[preferences.buyer]
reservation = 0.3
[preferences.buyer.issues.price]
weight = 0.6
values = { low = 1.0, mid = 0.5, high = 0.0 }
[preferences.buyer.issues.delivery]
weight = 0.1
values = { fast = 1.0, normal = 0.5, slow = 0.0 }
[preferences.buyer.issues.warranty]
weight = 0.3
values = { none = 0.0, one-year = 0.6, two-years = 1.0 }

[preferences.seller]
reservation = 0.3
[preferences.seller.issues.price]
weight = 0.2
values = { low = 0.0, mid = 0.5, high = 1.0 }
[preferences.seller.issues.delivery]
weight = 0.6
values = { fast = 0.0, normal = 0.5, slow = 1.0 }
[preferences.seller.issues.warranty]
weight = 0.2
values = { none = 1.0, one-year = 0.5, two-years = 0.0 }

[preferences.bank]
reservation = 0.0
[preferences.bank.issues.price]
weight = 1.0
values = { low = 0.0, mid = 0.5, high = 1.0 }
[preferences.bank.issues.delivery]
weight = 0.0
values = { fast = 0, normal = 0, slow = 0 }
[preferences.bank.issues.warranty]
weight = 0.0
values = { none = 0, one-year = 0, two-years = 0 }

[[red_lines]]
id = "seller-no-fast"
party = "seller"
if = { issue = "price", is = ["low"] }
then = { issue = "delivery", must_not_be = ["fast"] }

[[red_lines]]
id = "bank-no-low"
party = "bank"
issue = "price"
must_not_be = ["low"]

[framework]
title = "Heads of terms"

[[framework.points]]
number = 1
title = "Price and delivery"
proposes = { price = "mid", delivery = "normal" }
stances = { buyer = "accepts", seller = "accepts" }

[[framework.points]]
number = 2
title = "Warranty"
issues = ["warranty"]
proposes = { warranty = "one-year" }

[[proposals]]
id = "buyer-ask"
title = "The buyer's ask"
by = ["buyer"]
package = { price = "low", delivery = "fast", warranty = "two-years" }
"#;

fn approx(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-9)
}

/// The water example with a draft: point 1 proposes share = 40, and Upton's opening offer
/// (20, joint) is tabled on its own.
fn water_with_draft() -> String {
    let text = example("water-sharing.toml").replacen(
        "issues = [\"share\"]\n",
        "issues = [\"share\"]\nproposes = { share = 40 }\n",
        1,
    );
    format!("{text}{UPTON_OFFER}")
}

const UPTON_OFFER: &str = r#"
[[proposals]]
id = "upton-offer"
title = "Upton's opening offer: a fifth of the flow, monitored jointly"
by = ["upstream"]
package = { share = 20, monitor = "joint" }
note = "Invented for the test; the minutes do not record it."
"#;

fn water() -> String {
    fixture("water.toml", &water_with_draft())
        .display()
        .to_string()
}

fn trade() -> String {
    fixture("trade.toml", TRADE).display().to_string()
}

#[test]
fn the_water_draft_is_partial_and_its_completions_are_exact() {
    // Point 1 proposes share = 40 and leaves monitor open: (40, joint) = (0.6467, 0.52) and
    // (40, province) = (0.5267, 0.64) are in the zone, (40, upstream) breaks downstream's red line.
    let (code, r) = json(&["score", &water(), "--json"]);
    assert_eq!(code, 0);
    assert_eq!(r["schema"], "concord.score/1");
    assert_eq!(r["proposal"]["id"], "framework");
    assert_eq!(r["complete"], false);
    assert_eq!(r["proposal"]["open"], serde_json::json!(["monitor"]));
    let c = &r["completions"];
    assert_eq!(c["zone_exists"], true);
    assert_eq!(c["zone_size"], 2);
    let upstream = &r["parties"][0];
    assert!(approx(&upstream["best_in_zone"], 0.7 * (2.0 / 3.0) + 0.18));
    // Whatever the red lines: monitor province (0.2) to upstream (1.0) on top of 0.7·2/3.
    assert!(approx(&upstream["range"][0], 0.7 * (2.0 / 3.0) + 0.06));
    assert!(approx(&upstream["range"][1], 0.7 * (2.0 / 3.0) + 0.3));
    let nash = &c["solutions"][0];
    assert_eq!(nash["concept"], "nash");
    assert_eq!(
        nash["points"][0]["package"]["options"]["monitor"],
        "province"
    );
}

#[test]
fn a_partial_draft_is_filled_with_its_best_completion_before_improving() {
    // The Nash completion of share = 40 is monitor = province, (0.5267, 0.64): on the frontier.
    let (code, r) = json(&["improve", &water(), "--fill", "nash", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(r["package"]["options"]["monitor"], "province");
    assert_eq!(r["efficient"], true);
    assert_eq!(
        r["what_if"][0],
        "the open issues filled with the nash completion: monitor = province"
    );
}

#[test]
fn a_proposal_below_a_reservation_value_is_outside_the_zone() {
    // (20, joint) gives downstream 0.6·0 + 0.4·0.7 = 0.28 < 0.3.
    let (code, text, _) = run(&["score", &water(), "upton-offer"]);
    assert_eq!(code, 1);
    assert!(text.contains("OUTSIDE THE AGREEMENT ZONE"), "{text}");
    assert!(
        text.contains("Downstream town          0.280  -0.020"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn improvements_over_the_heads_of_terms_are_found_exactly() {
    let file = trade();
    let (code, r) = json(&["improve", &file, "--json"]);
    assert_eq!(code, 0);
    assert_eq!(r["schema"], "concord.improve/1");
    assert_eq!(r["efficient"], false);
    assert!(approx(&r["utilities"]["buyer"], 0.53));
    assert!(approx(&r["utilities"]["seller"], 0.5));
    // The smallest change both prefer: price and delivery, gains 0.25 and 0.2.
    let closest = &r["closest"];
    assert_eq!(closest["changed"], serde_json::json!(["price", "delivery"]));
    assert!(approx(&closest["gains"]["buyer"], 0.25));
    assert!(approx(&closest["gains"]["seller"], 0.2));
    assert_eq!(r["max_min_gain"]["package"]["options"]["delivery"], "slow");
    // By hand: (low, normal, none), (low, slow, none), (low, slow, one-year),
    // (low, slow, two-years) and (mid, slow, two-years); the frontier drops the first two.
    assert_eq!(r["improvements"]["package_count"], 5);
    assert_eq!(r["improvements"]["frontier_size"], 3);
    // Every listed improvement leaves both at least where the draft left them.
    for p in r["improvements"]["points"].as_array().unwrap() {
        assert!(p["gains"]["buyer"].as_f64().unwrap() >= 0.0);
        assert!(p["gains"]["seller"].as_f64().unwrap() >= 0.0);
    }
}

#[test]
fn kept_issues_stay_and_an_efficient_package_says_so() {
    let file = trade();
    let (code, r) = json(&["improve", &file, "--keep", "price", "--json"]);
    assert_eq!(code, 0);
    for p in r["improvements"]["points"].as_array().unwrap() {
        assert_eq!(p["package"]["options"]["price"], "mid");
    }
    // (low, slow, one-year) is on the frontier: nothing meeting the red lines is better for one
    // and no worse for the other.
    let (code, text, _) = run(&[
        "improve",
        &file,
        "--package",
        "price=low,delivery=slow,warranty=one-year",
    ]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("EFFICIENT"), "{text}");
}

#[test]
fn what_ifs_head_the_report_and_weights_are_renormalised() {
    let file = trade();
    let (code, text, _) = run(&[
        "analyze",
        &file,
        "--set-weight",
        "buyer.price=0.2",
        "--set-reservation",
        "seller=0.5",
    ]);
    assert_eq!(code, 0, "{text}");
    let first: Vec<&str> = text.lines().take(5).collect();
    assert!(first[0].starts_with("WHAT IF"), "{text}");
    assert!(
        text.contains("reservation value of Seller set to 0.5 (was 0.3)"),
        "{text}"
    );
    // The other weights 0.1 and 0.3 are scaled by 0.8 / 0.4 = 2.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("price 0.2, delivery 0.2, warranty 0.6"),
        "{text}"
    );
    let (_, r) = json(&["analyze", &file, "--fix", "price=high", "--json"]);
    assert_eq!(r["what_if"][0], "issue price fixed to high");
    assert_eq!(r["space_size"], 9);
}

#[test]
fn a_fix_that_breaks_a_red_line_is_refused_with_the_way_out() {
    let file = trade();
    let text = TRADE.replace(
        "[[red_lines]]\nid = \"bank-no-low\"",
        "[[red_lines]]\nid = \"seller-no-low\"\nparty = \"seller\"\nissue = \"price\"\nmust_not_be = [\"low\"]\n\n[[red_lines]]\nid = \"bank-no-low\"",
    );
    let strict = fixture("strict.toml", &text).display().to_string();
    let (code, _, err) = run(&["analyze", &strict, "--fix", "price=low"]);
    assert_eq!(code, 2);
    assert!(err.contains("`seller-no-low` of Seller"), "{err}");
    assert!(err.contains("--drop-red-line"), "{err}");
    let (code, _, _) = run(&[
        "analyze",
        &strict,
        "--fix",
        "price=low",
        "--drop-red-line",
        "seller-no-low",
    ]);
    assert_eq!(code, 0);
    let _ = file;
}

#[test]
fn compare_counts_a_zone_in_whole_words() {
    // It read "zone 3 -> 1 packages". With nothing counted (`--count-limit 0`) no change of
    // size is claimed. (A size counted in one variant and not in the other read "zone yes -> 4
    // packages"; no example here reaches that case, so it is not tested.)
    let (code, text, _) = run(&[
        "compare",
        "examples/water-sharing.toml",
        "--what-if",
        "reservation:downstream=0.2",
        "--what-if",
        "fix:monitor=joint",
    ]);
    assert_eq!(code, 0);
    assert!(text.contains("2: zone 3 packages -> 4 packages;"), "{text}");
    assert!(text.contains("3: zone 3 packages -> 1 package;"), "{text}");
    let (code, r) = json(&[
        "compare",
        "examples/water-sharing.toml",
        "--what-if",
        "fix:monitor=joint",
        "--count-limit",
        "0",
        "--json",
    ]);
    assert_eq!(code, 0);
    let changes = r["variants"][1]["changes"].to_string();
    assert!(!changes.contains("zone"), "{changes}");
}

#[test]
fn compare_shows_which_conclusions_change() {
    let file = trade();
    let (code, r) = json(&[
        "compare",
        &file,
        // At 0.9 exactly, (mid, slow, none) gives the seller 0.9 and the buyer 0.3, both
        // reservation values: the zone keeps that one package (floating point summed it to
        // 0.8999999999999999 and closed the zone, before score, improve and compare decided in
        // exact decimals as analyze does).
        "--what-if",
        "reservation:seller=0.95",
        "--what-if",
        "fix:price=high",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(r["schema"], "concord.compare/1");
    let v = r["variants"].as_array().unwrap();
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["label"], "as written");
    assert_eq!(v[1]["zone"]["exists"], false);
    assert_eq!(v[1]["changes"][0], "the agreement zone closes");
    assert_eq!(v[2]["solutions"][0]["options"]["price"], "high");
    // A fix that breaks a red line shaping the zone closes it: a conclusion, not an error.
    let strict = fixture(
        "strict.toml",
        &TRADE.replace(
            "[[red_lines]]\nid = \"bank-no-low\"",
            "[[red_lines]]\nid = \"seller-no-low\"\nparty = \"seller\"\nissue = \"price\"\nmust_not_be = [\"low\"]\n\n[[red_lines]]\nid = \"bank-no-low\"",
        ),
    );
    let (code, r) = json(&[
        "compare",
        strict.to_str().unwrap(),
        "--what-if",
        "fix:price=low",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v = &r["variants"][1];
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["zone"]["exists"], false);
    assert_eq!(v["what_if"][0], "issue price fixed to low");
    assert_eq!(
        v["changes"][0],
        "the agreement zone closes: the fixed issues break `seller-no-low` of Seller whatever the other issues"
    );
    let (code, r) = json(&[
        "compare",
        &file,
        "--what-if",
        "reservation:seller=0.9",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        r["variants"][1]["zone"]["size"], 1,
        "a package worth exactly the reservation value is in the zone"
    );
    // No zone as written: no empty list of its packages.
    let (code, text, _) = run(&[
        "compare",
        "examples/kyiv-2026.toml",
        "--what-if",
        "reservation:ukraine=0.3",
    ]);
    assert_eq!(code, 0);
    assert!(!text.contains("Packages of variant 1:"), "{text}");
    assert!(text.contains("Variant 1 has no agreement zone"), "{text}");
    let (_, text, _) = run(&["compare", &file, "--what-if", "fix:price=high"]);
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn bad_flags_name_the_flag_and_what_was_expected() {
    let file = trade();
    let cases: [(&[&str], &str); 8] = [
        (&["score", &file, "--fix", "price=cheap"], "--fix \"price=cheap\": no option `cheap` of issue `price`; expected an option of `price`: `low`, `mid`, `high`"),
        (&["score", &file, "--package", "price=low,price=mid"], "issue `price` is given twice"),
        (&["score", &file, "nope"], "PROPOSAL \"nope\": no such proposal; expected a proposal id: `framework`, `buyer-ask`"),
        (&["analyze", &file, "--set-weight", "buyer=0.2"], "--set-weight \"buyer=0.2\": `buyer` names no issue"),
        (&["analyze", &file, "--set-reservation", "seller=1.5"], "`1.5` is not a number in [0, 1]"),
        (&["analyze", &file, "--drop-red-line", "nope"], "expected a red-line id: `seller-no-fast`, `bank-no-low`"),
        (&["improve", &file, "--package", "price=low", "buyer-ask", "--keep", "colour"], "--keep \"colour\": no issue `colour`"),
        (&["compare", &file, "--what-if", "lower:seller=0.1"], "unknown kind `lower`"),
    ];
    for (args, expected) in cases {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    // A partial proposal cannot be improved: the open issues are named.
    let partial = fixture(
        "partial.toml",
        &TRADE.replace("proposes = { warranty = \"one-year\" }\n", ""),
    )
    .display()
    .to_string();
    let (code, _, err) = run(&["improve", &partial, "--package", "price=low"]);
    assert_eq!(code, 2);
    assert!(err.contains("leaves warranty open"), "{err}");
}

#[test]
fn proposals_in_the_file_are_checked_with_their_location() {
    let bad = TRADE
        .replace(
            "package = { price = \"low\", delivery = \"fast\", warranty = \"two-years\" }",
            "package = { price = \"free\", colour = \"red\" }",
        )
        .replace(
            "proposes = { warranty = \"one-year\" }",
            "proposes = { warranty = \"one-year\", price = \"high\" }",
        )
        .replace("id = \"buyer-ask\"", "id = \"framework\"");
    let file = fixture("bad-proposals.toml", &bad).display().to_string();
    let (code, _, err) = run(&["score", &file]);
    assert_eq!(code, 2);
    for expected in [
        "`proposals[0].id`: found \"framework\"",
        "`proposals[0].package.price`: found the string \"free\"",
        "proposals[0].package.colour",
        "framework.points[1].proposes.price",
        "which the point's `issues` do not list",
        "where an earlier point proposes mid",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
}

/// What examples/README.md says of the Kyiv draft and the parties' positions.
#[test]
fn the_kyiv_draft_as_the_examples_readme_tells_it() {
    let kyiv = "examples/kyiv-2026.toml";
    let (code, r) = json(&["score", kyiv, "--json"]);
    assert_eq!(code, 1);
    assert_eq!(
        r["proposal"]["terms"],
        serde_json::json!({ "reconstruction": ["800"] })
    );
    assert_eq!(r["completions"]["zone_exists"], false);
    let (code, text, _) = run(&["score", kyiv]);
    assert_eq!(code, 1);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("`ukraine-no-capitulation-on-the-ground` of Ukraine")
            && words.contains("`russia-formal-control-of-the-east` of Russia"),
        "{text}"
    );
    let (code, r) = json(&["score", kyiv, "--red-lines", "stated", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(r["completions"]["zone_size"], 41);
    assert_eq!(r["completions"]["space_size"], 43740);
    for s in r["completions"]["solutions"].as_array().unwrap() {
        let options = &s["points"][0]["package"]["options"];
        assert_eq!(options["territory"], "east-ceded");
        assert_eq!(options["recognition"], "de-jure");
        assert_eq!(options["nato"], "permanent-non-membership");
        assert_eq!(options["guarantee_nature"], "binding");
        assert_eq!(options["reconstruction"], "800");
    }
    let (code, r) = json(&[
        "improve",
        kyiv,
        "--fill",
        "nash",
        "--red-lines",
        "stated",
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(r["efficient"], true);
    let (code, r) = json(&[
        "score",
        kyiv,
        "russia-position",
        "--red-lines",
        "stated",
        "--json",
    ]);
    assert_eq!(code, 0);
    let broken: Vec<&str> = r["broken_red_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        broken,
        [
            "ukraine-no-surrender-of-the-east",
            "ukraine-no-de-jure-recognition",
            "ukraine-no-capitulation-on-the-ground",
            "wicker-no-forced-withdrawal"
        ]
    );
    assert!(r["broken_red_lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["shapes_zone"] == false));
}

/// 400 issues × 4 options × 3 parties: a merge that runs for minutes, in small steps (a few
/// hundredths of a second an issue when Ctrl-C comes), so that a clean stop comes well within
/// the grace period after which the Ctrl-C handler ends the process anyway.
fn long_scenario() -> String {
    use std::fmt::Write;
    let (issues, options) = (400, 4);
    let mut s = String::from("[scenario]\nid = \"big\"\ntitle = \"Big\"\n");
    let parties = ["a", "b", "c"];
    for p in parties {
        let _ = write!(
            s,
            "\n[[parties]]\nid = \"{p}\"\nname = \"{p}\"\nrole = \"party\"\n"
        );
    }
    let names: Vec<String> = (0..options).map(|o| format!("\"o{o}\"")).collect();
    for i in 0..issues {
        let _ = write!(
            s,
            "\n[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\noptions = [{}]\n",
            names.join(", ")
        );
    }
    for (k, p) in parties.iter().enumerate() {
        let _ = write!(s, "\n[preferences.{p}]\nreservation = 0\n");
        for i in 0..issues {
            // Values that differ by party, so that the frontier is large; the weights are
            // normalised by --normalize-weights.
            let values: Vec<String> = (0..options)
                .map(|o| {
                    format!(
                        "o{o} = {}",
                        ((o * (k + 1) + i) % options) as f64 / options as f64
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "issues.i{i} = {{ weight = 0.02, values = {{ {} }} }}",
                values.join(", ")
            );
        }
    }
    s
}

/// Starts `concord ARGS`, sends it SIGINT (Ctrl-C) after 1.5 s, and returns its exit status
/// and standard error.
fn interrupt(args: &[&str]) -> (Option<i32>, String) {
    let (code, _, _, stderr) = common::interrupt(args, std::time::Duration::from_millis(1500));
    (code, stderr)
}

#[test]
fn ctrl_c_stops_score_improve_and_compare_cleanly_with_status_130() {
    // score, improve and compare ran their analyses without the stop flag: Ctrl-C ended them
    // only by the forced exit after the grace period. A clean stop says where it stopped.
    let file = fixture("big.toml", &long_scenario());
    let file = file.to_str().unwrap();
    let package: Vec<String> = (0..400).map(|i| format!("i{i}=o{}", i % 4)).collect();
    let package = package.join(",");
    for args in [
        vec!["score", file, "--package", "i0=o0", "--normalize-weights"],
        vec![
            "improve",
            file,
            "--package",
            &package,
            "--normalize-weights",
        ],
        vec![
            "compare",
            file,
            "--what-if",
            "fix:i0=o0",
            "--normalize-weights",
        ],
    ] {
        let (code, stderr) = interrupt(&args);
        assert_eq!(code, Some(130), "{args:?}: {stderr}");
        assert!(
            stderr.contains("interrupted: cannot analyse")
                && stderr.contains("stopped before the end: cancelled"),
            "{args:?} did not stop cleanly: {stderr}"
        );
    }
}

#[test]
fn a_tie_is_not_a_gain_in_the_smallest_change() {
    // The smallest change every party prefers changed sanctions and the Black Sea only, which
    // leaves Ukraine at 0.469 as before: summed in floating point, the proposal was worth
    // 0.46900000000000003 to it and the change 0.4690000000000001, a "gain" of 5.6e-17. In exact
    // decimal arithmetic that change is a tie for Ukraine, so the smallest change all three
    // strictly prefer also raises reconstruction to 800.
    let (code, r) = json(&[
        "improve",
        "examples/kyiv-2026.toml",
        "--red-lines",
        "stated",
        "--fill",
        "nash",
        "--package",
        "sanctions=maintained-until-compliance,black_sea=unrestricted-no-guarantee,reconstruction=600",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(r["utilities"]["ukraine"], 0.469);
    let closest = &r["closest"];
    assert_eq!(
        closest["changed"],
        serde_json::json!(["reconstruction", "sanctions", "black_sea"])
    );
    for (party, gain) in closest["gains"].as_object().unwrap() {
        assert!(gain.as_f64().unwrap() > 0.001, "{party}: {gain}");
    }
    // The improvement that leaves Ukraine where it is stays on the frontier, with a gain of
    // exactly 0 for Ukraine.
    assert!(r["improvements"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .any(|q| q["gains"]["ukraine"] == 0.0));
    let (_, text, _) = run(&[
        "improve",
        "examples/kyiv-2026.toml",
        "--red-lines",
        "stated",
        "--fill",
        "nash",
        "--package",
        "sanctions=maintained-until-compliance,black_sea=unrestricted-no-guarantee,reconstruction=600",
    ]);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("`russia-no-western-troops` of Russia, set aside by --red-lines; and `wicker-no-forced-withdrawal` of Republican leaders in the US Congress (Wicker, Graham, Turner), whose consent is not needed."),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn ranges_of_a_partial_proposal_are_utilities_not_the_exact_scale() {
    // In exact decimals the analysis's evaluator sums on an integer scale; the ranges of a
    // partial proposal were read from it unscaled (Ukraine "4300.000 to 10000.000").
    let (code, r) = json(&[
        "score",
        "examples/kyiv-2026.toml",
        "ukraine-position",
        "--json",
    ]);
    assert_eq!(code, 1);
    let range = |id: &str| {
        let p = r["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap();
        (
            p["range"][0].as_f64().unwrap(),
            p["range"][1].as_f64().unwrap(),
        )
    };
    assert_eq!(range("ukraine"), (0.43, 1.0));
    assert_eq!(range("russia"), (0.0, 0.646));
    assert_eq!(range("united_states"), (0.0, 0.45));
}

#[test]
fn score_says_whether_the_drafts_terms_cost_the_parties_anything() {
    let kyiv = "examples/kyiv-2026.toml";
    // The January draft settles reconstruction at $800bn: under the stated red lines no package,
    // even one reopening it, is better for every party than a best completion.
    let (code, r) = json(&["score", kyiv, "--red-lines", "stated", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(r["completions"]["improvable"], serde_json::json!([]));
    let (_, text, _) = run(&["score", kyiv, "--red-lines", "stated"]);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("the proposal's terms cost none of them anything"),
        "{text}"
    );
    // At $400bn the Nash completion can be improved for everyone by reopening the term, as
    // `improve --fill nash` confirms (exit 0); the egalitarian completion cannot (exit 1).
    let (_, r) = json(&[
        "score",
        kyiv,
        "--red-lines",
        "stated",
        "--package",
        "reconstruction=400",
        "--json",
    ]);
    let improvable = r["completions"]["improvable"].as_array().unwrap();
    for concept in ["nash", "egalitarian", "utilitarian"] {
        let (code, _, err) = run(&[
            "improve",
            kyiv,
            "--red-lines",
            "stated",
            "--package",
            "reconstruction=400",
            "--fill",
            concept,
        ]);
        let listed = improvable.iter().any(|c| c == concept);
        assert_eq!(code, if listed { 0 } else { 1 }, "{concept}: {err}");
    }
    assert!(improvable.iter().any(|c| c == "nash"), "{improvable:?}");
    assert!(
        !improvable.iter().any(|c| c == "egalitarian"),
        "{improvable:?}"
    );
    // With every red line no completion is in the zone: nothing to say about improvements.
    let (_, r) = json(&["score", kyiv, "--json"]);
    assert_eq!(r["completions"]["improvable"], Value::Null);
}

#[test]
fn a_fix_alone_is_a_proposal_to_score() {
    // Without a draft, `score FILE --fix ISSUE=OPTION` asked for a proposal or --package,
    // though the fix is a term.
    let (code, out, err) = run(&["score", "examples/water-sharing.toml", "--fix", "share=40"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("It settles: share = 40"), "{out}");
    let (code, _, err) = run(&["score", "examples/water-sharing.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: PROPOSAL: no proposal named"),
        "{err}"
    );
}

#[test]
fn a_proposals_note_is_shown_with_its_source() {
    // The Ukrainian position's territory is the analyst's reading, which only its note says.
    let (code, out, _) = run(&["score", "examples/kyiv-2026.toml", "ukraine-position"]);
    assert_eq!(code, 1);
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Note: Territory is the analyst's reading of Kyiv's refusal"),
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
}

/// The text of `improve` is rendered from the model `--json` prints: each red line an
/// improvement breaks without shaping the zone is in its `broken_red_lines`, with whether its
/// party's consent is needed, and the text names the same lines under the same heading.
#[test]
fn an_improvements_advisory_red_lines_are_in_its_json_as_in_its_text() {
    let args = [
        "improve",
        "examples/kyiv-2026.toml",
        "--package",
        "sanctions=maintained-until-compliance,elections=soon-after-signature",
        "--fill",
        "kalai-smorodinsky",
        "--red-lines",
        "stated",
    ];
    let (code, text, stderr) = run(&args);
    assert_eq!(code, 0, "{text}{stderr}");
    let (code, v) = json(&[&args[..], &["--json"]].concat());
    assert_eq!(code, 0);
    let closest = &v["closest"];
    let broken = closest["broken_red_lines"].as_array().expect("an array");
    let set_aside: Vec<&str> = broken
        .iter()
        .filter(|r| r["consent"] == true)
        .map(|r| r["id"].as_str().expect("an id"))
        .collect();
    let advisory: Vec<&str> = broken
        .iter()
        .filter(|r| r["consent"] == false)
        .map(|r| r["id"].as_str().expect("an id"))
        .collect();
    assert!(
        set_aside.contains(&"russia-no-western-troops"),
        "{broken:?}"
    );
    assert!(
        advisory.contains(&"wicker-no-forced-withdrawal"),
        "{broken:?}"
    );
    assert!(broken.iter().all(|r| r["shapes_zone"] == false));
    // The text's paragraph on the smallest change, unwrapped, names each of them.
    let paragraph: String = text
        .split("Smallest change every consenting party prefers")
        .nth(1)
        .and_then(|rest| rest.split("\nLargest smallest gain").next())
        .expect("the smallest change is shown")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for id in set_aside.iter().chain(&advisory) {
        assert!(
            paragraph.contains(&format!("`{id}`")),
            "{id} in {paragraph}"
        );
    }
    assert!(paragraph.contains("of Russia, set aside by --red-lines"));
    assert!(paragraph.contains("whose consent is not needed."));
    // The names the text shows come with the model.
    assert_eq!(v["party_names"]["russia"], "Russia");
    assert_eq!(
        v["reservations"].as_object().map(|r| r.len()),
        v["utilities"].as_object().map(|u| u.len())
    );
}

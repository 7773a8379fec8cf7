//! NegMAS's Kalai-Smorodinsky (`ks_points`) and Kalai (`kalai_points`) offered beside Concord's
//! own bargaining points (`--negmas`), on the Genius scenario where they differ.

mod common;

use common::{json, run, shared};
use serde_json::Value;

/// The consenting parties' utilities of a JSON point, in report order.
fn utilities(point: &Value) -> Vec<f64> {
    ["ItexvsCypress_Cypress", "ItexvsCypress_Itex"]
        .iter()
        .map(|p| point["utilities"][p].as_f64().unwrap())
        .collect()
}

fn near(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-4)
}

#[test]
fn itex_vs_cypress_shows_both_kalai_smorodinsky_points() {
    // Issue 11: Concord maximises the smallest normalised gain; NegMAS's ks_points picks the most
    // equal normalised gains (and kalai_points the largest smallest gain): on ItexvsCypress with
    // NegMAS's raw evaluations they pick different frontier points.
    let Some(itex) = shared("genius/anac_y2010_ItexvsCypress") else {
        return;
    };
    let dir = itex.to_str().unwrap();
    let (code, r) = json(&[
        "analyze",
        dir,
        "--normalization",
        "raw",
        "--negmas",
        "--json",
    ]);
    assert_eq!(code, 0);
    let ks = r["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["concept"] == "kalai-smorodinsky")
        .unwrap();
    assert_eq!(ks["points"].as_array().unwrap().len(), 1);
    let concord = utilities(&ks["points"][0]);
    assert!(near(&concord, &[22.6995, 18.5184]), "{concord:?}");

    assert_eq!(r["negmas"]["supported"], true);
    let negmas = r["negmas"]["solutions"].as_array().unwrap();
    let names: Vec<&str> = negmas
        .iter()
        .map(|s| s["negmas_function"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ks_points", "kalai_points"]);
    for s in negmas {
        assert_eq!(s["points"].as_array().unwrap().len(), 1, "{s}");
        let point = utilities(&s["points"][0]);
        assert!(near(&point, &[19.4094, 19.6709]), "{s}");
    }
    assert_eq!(negmas[0]["concept"], "negmas-kalai-smorodinsky");
    // ks_points' value is the spread of the normalised gains it minimises.
    assert!((negmas[0]["value"].as_f64().unwrap() - 0.067036).abs() < 1e-5);

    let (code, text, _) = run(&["analyze", dir, "--normalization", "raw", "--negmas"]);
    assert_eq!(code, 0);
    assert!(text.contains("Kalai-Smorodinsky (NegMAS)"), "{text}");
    assert!(text.contains("Kalai (NegMAS)"), "{text}");

    // Without the flag the report is as before: no NegMAS key, no extra column.
    let (_, r) = json(&["analyze", dir, "--normalization", "raw", "--json"]);
    assert!(r.get("negmas").is_none());
    let (_, text, _) = run(&["analyze", dir, "--normalization", "raw"]);
    assert!(!text.contains("(NegMAS)"), "{text}");

    // Branch and bound has no frontier to read them off, and says so.
    let (code, r) = json(&["analyze", dir, "--method", "bnb", "--negmas", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(r["negmas"]["supported"], false);
    assert_eq!(r["negmas"]["solutions"].as_array().unwrap().len(), 0);
    let (_, text, _) = run(&["analyze", dir, "--method", "bnb", "--negmas"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("NegMAS's ks_points and kalai_points (--negmas): not computed"),
        "{text}"
    );
}

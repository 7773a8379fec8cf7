//! The analysis report after branch and bound: the frontier said not to be materialised, each
//! solution's proof, and a node-limited answer stated as not proven optimal with its gap (or
//! proven by the bounded merge that takes over from the search). The scenario is
//! examples/water-sharing.toml; the reports are kept as snapshots.

#[path = "../../concord-io/tests/common/mod.rs"]
mod common;

use common::example;
use concord_core::analysis::{analyze, AnalysisConfig, MethodChoice};
use concord_io::scenario::{read_scenario, ReadOptions};
use concord_report::analysis_report::AnalysisReport;
use concord_report::analysis_text::analysis_model_text;
use concord_report::json::analysis_report;
use concord_report::text::TextOptions;

fn check(max_nodes: u64, max_merge_work: u64) -> (String, serde_json::Value) {
    let text = example("water-sharing.toml");
    let scenario = read_scenario(&text, "water-sharing.toml", &ReadOptions::default())
        .expect("the example reads")
        .scenario;
    let config = AnalysisConfig {
        method: MethodChoice::BranchAndBound,
        max_nodes,
        max_merge_work,
        issue_map: false,
        ..AnalysisConfig::default()
    };
    let analysis = analyze(&scenario, &config).expect("the example analyses");
    let text = analysis_model_text(
        &AnalysisReport::new(&scenario, &analysis, None),
        &TextOptions { frontier: true },
    );
    let report = analysis_report(&scenario, &analysis, None);
    let json = serde_json::json!({
        "method": report["method"],
        "frontier": report["frontier"],
        "search": report["search"],
        "solutions": report["solutions"],
    });
    (text, json)
}

#[test]
fn proven_report() {
    let (text, json) = check(0, 0);
    insta::assert_snapshot!(text);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json).unwrap());
}

#[test]
fn node_limited_report() {
    // Four nodes: enough to find packages, not to prove every point; and a merge budget that
    // stops every proving merge at once.
    let (text, json) = check(4, 1);
    assert!(text.contains("NOT PROVEN OPTIMAL"), "{text}");
    insta::assert_snapshot!(text);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json).unwrap());
}

#[test]
fn node_limited_points_are_proven_by_the_bounded_merge() {
    // Four nodes, as above, with the merge's default budget: every point the searches leave
    // open is proven by the bounded merge, and the report is the unlimited search's but for the
    // node counts.
    let (text, json) = check(4, AnalysisConfig::default().max_merge_work);
    assert!(!text.contains("NOT PROVEN"), "{text}");
    let (_, exact) = check(0, 0);
    let without_nodes = |j: &serde_json::Value| {
        let mut solutions = j["solutions"].clone();
        for s in solutions.as_array_mut().unwrap() {
            s.as_object_mut().unwrap().remove("nodes");
        }
        solutions
    };
    assert_eq!(without_nodes(&json), without_nodes(&exact));
    assert_eq!(
        json["search"]["ideal_upper"],
        exact["search"]["ideal_upper"]
    );
}

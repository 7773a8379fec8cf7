//! Proposals in the scenario file: framework points' `proposes` and `[[proposals]]` read into the
//! model, the draft they make together, and the writer's round trip.

mod common;

use common::example;
use concord_core::model::{Term, DRAFT_ID};
use concord_io::scenario::{read_scenario, ReadOptions};
use concord_io::write::scenario_to_toml;

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

#[test]
fn the_water_draft_and_offer_read_into_terms() {
    let s = read_scenario(&water_with_draft(), "water", &ReadOptions::default())
        .unwrap()
        .scenario;
    // share = 40 is option 1 of 20, 40, 60, 80; monitor = joint is option 1.
    assert_eq!(
        s.framework.points[0].proposes,
        vec![Term {
            issue: 0,
            options: vec![1]
        }]
    );
    let draft = s.framework.draft().unwrap();
    assert_eq!(draft.id, DRAFT_ID);
    assert_eq!(draft.package(&s.option_counts()), None);
    let offer = &s.framework.proposals[0];
    assert_eq!(offer.id, "upton-offer");
    assert_eq!(offer.by, vec![0]);
    assert_eq!(offer.package(&s.option_counts()), Some(vec![0, 1]));
}

#[test]
fn two_points_on_one_issue_propose_what_both_admit() {
    let text = water_with_draft()
        .replace("proposes = { share = 40 }", "proposes = { share = [20, 40] }")
        .replace(
            "title = \"Monitoring\"\nissues = [\"monitor\"]",
            "title = \"Monitoring\"\nissues = [\"monitor\", \"share\"]\nproposes = { share = [40, 60], monitor = [\"joint\", \"province\"] }",
        );
    let s = read_scenario(&text, "water", &ReadOptions::default())
        .unwrap()
        .scenario;
    let draft = s.framework.draft().unwrap();
    assert_eq!(
        draft.terms,
        vec![
            Term {
                issue: 0,
                options: vec![1]
            },
            Term {
                issue: 1,
                options: vec![1, 2]
            }
        ]
    );
}

#[test]
fn proposals_survive_writing_and_reading_back() {
    let s = read_scenario(&water_with_draft(), "water", &ReadOptions::default())
        .unwrap()
        .scenario;
    let again = read_scenario(&scenario_to_toml(&s), "again", &ReadOptions::default())
        .unwrap()
        .scenario;
    assert_eq!(again.framework.proposals, s.framework.proposals);
    assert_eq!(
        again.framework.points[0].proposes,
        s.framework.points[0].proposes
    );
}

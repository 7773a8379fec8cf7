//! The reports of `concord sequence` and `concord diff`: snapshots of the examples and of small
//! fixtures. (Reading steps, demands and versions, and the located errors on bad input, are
//! concord-io's tests.)

#[path = "../../concord-io/tests/common/mod.rs"]
mod common;

use common::example;
use concord_io::sequence::{read_sequence_file, SequenceFile};
use concord_report::sequence::{
    diff_text, lineage_text, sequence_json, sequence_model, sequence_model_text, sequence_text,
};
use concord_sequence::analysis::{analyze, SequenceAnalysis, SequenceConfig};
use concord_sequence::versions::{diff, lineage, MatchConfig};

fn read(text: &str) -> SequenceFile {
    read_sequence_file(text, "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn sequence(text: &str, name: &str) -> (SequenceFile, SequenceAnalysis, String) {
    let file = read(text);
    let analysis = analyze(&file.problem, &SequenceConfig::default()).expect("analysed");
    let report = sequence_text(&file, name, &analysis);
    (file, analysis, report)
}

/// A sequence file with two steps whose order two parties dispute, and a soft deadline.
const TINY: &str = r#"
[about]
id = "tiny"
title = "Border and elections"

[[parties]]
id = "north"
name = "North"

[[parties]]
id = "south"
name = "South"

[[steps]]
id = "border"
name = "Border handed over"
parties = ["north"]
duration = 20
verification = { days = 4, by = "south" }

[[steps]]
id = "vote"
name = "Local vote"
parties = ["south"]
duration = 10
split = false

[[demands]]
id = "south-border-first"
party = "south"
first = "border"
then = "vote"

[[demands]]
id = "north-vote-first"
party = "north"
first = "vote"
then = "border"
min_gap = 2

[[demands]]
id = "vote-by-day-30"
party = "south"
step = "vote"
done_by_day = 30
cost_per_day = 3
"#;

#[test]
fn tiny_deadlock_and_its_tranches() {
    let (_, analysis, report) = sequence(TINY, "tiny.toml");
    let SequenceAnalysis::Deadlock(d) = &analysis else {
        panic!("a deadlock");
    };
    // The border in two tranches of 10 days: 10 + 4, the vote (2 days later) 10, then 10 + 4.
    assert_eq!(d.way_out.as_ref().unwrap().plan.duration, 14 + 2 + 10 + 14);
    insta::assert_snapshot!("tiny_text", report);
}

#[test]
fn tiny_json() {
    let (file, analysis, _) = sequence(TINY, "tiny.toml");
    let json = sequence_json(&file, "tiny.toml", &analysis);
    assert_eq!(json["schema"], "concord.sequence/1");
    assert_eq!(json["feasible"], false);
    insta::assert_snapshot!(
        "tiny_json",
        serde_json::to_string_pretty(&json).expect("plain JSON")
    );
}

/// The text is rendered from the model alone: a party renamed in the model is renamed in the
/// text, and a model that lacks what a line refers to still renders, the id standing in.
#[test]
fn the_text_is_rendered_from_the_model() {
    let (file, analysis, report) = sequence(TINY, "tiny.toml");
    let mut model = sequence_model(&file, "tiny.toml", &analysis);
    assert_eq!(sequence_model_text(&model), report);
    for (id, name) in &mut model.party_names.0 {
        if id == "south" {
            *name = "Southland".into();
        }
    }
    let renamed = sequence_model_text(&model);
    assert!(
        renamed
            .contains("  - south-border-first (Southland): `vote` starts after `border` is done\n"),
        "{renamed}"
    );
    model.demands.clear();
    model.steps.clear();
    if let Some(way_out) = model.deadlock.as_mut().and_then(|d| d.way_out.as_mut()) {
        way_out.plan.steps.clear();
    }
    let bare = sequence_model_text(&model);
    assert!(bare.contains("  - south-border-first\n"), "{bare}");
    assert!(
        bare.contains("  day    ? →    ?  vote  — held by south-border-first (?)\n"),
        "{bare}"
    );
}

#[test]
fn a_feasible_plan_with_a_broken_soft_demand() {
    let text = TINY.replace(
        "[[demands]]\nid = \"north-vote-first\"",
        "[[demands]]\nid = \"north-vote-first\"\ncost = 7",
    );
    let (_, analysis, report) = sequence(&text, "tiny.toml");
    let SequenceAnalysis::Plan(plan) = &analysis else {
        panic!("a plan");
    };
    // Breaking north's flat-cost demand (7) is cheaper than the vote's lateness: the vote
    // waits for the verified border (day 24) and is done on day 34, 4 days late (12).
    assert_eq!(plan.cost, 7 + 12);
    assert_eq!(plan.duration, 34);
    insta::assert_snapshot!("tiny_plan_text", report);
}

#[test]
fn minsk_shows_both_deadlocks_and_the_tranches_that_break_them() {
    let (file, analysis, report) =
        sequence(&example("minsk-2015.toml"), "examples/minsk-2015.toml");
    let SequenceAnalysis::Deadlock(d) = &analysis else {
        panic!("Minsk deadlocks");
    };
    let ids = |c: &concord_sequence::analysis::Conflict| -> Vec<String> {
        c.demands
            .iter()
            .map(|&k| file.problem.demands[k].id.clone())
            .collect()
    };
    let all: Vec<Vec<String>> = d.conflicts.iter().map(ids).collect();
    assert!(all.contains(&vec![
        "ukraine-border-before-elections".to_string(),
        "russia-elections-before-border".to_string()
    ]));
    let way_out = d.way_out.as_ref().expect("a way out");
    assert!(way_out
        .actions
        .iter()
        .all(|a| matches!(a, concord_sequence::analysis::Action::Split { .. })));
    insta::assert_snapshot!("minsk_text", report);
}

#[test]
fn minsk_versions_lineage() {
    let file = read(&example("minsk-2015.toml"));
    let l = lineage(&file.versions, &MatchConfig::default());
    let s = &l.survival[0];
    assert_eq!((s.of, s.survive + s.dropped, s.unknown), (12, 12, 0));
    insta::assert_snapshot!("minsk_lineage", lineage_text(&file, &file.versions, &l));
}

#[test]
fn kyiv_sequence_and_versions() {
    let text = example("kyiv-2026.toml");
    let (file, analysis, report) = sequence(&text, "examples/kyiv-2026.toml");
    assert!(!file.problem.steps.is_empty(), "the Kyiv example has steps");
    assert!(matches!(analysis, SequenceAnalysis::Deadlock(_)));
    insta::assert_snapshot!("kyiv_text", report);
    let old = file.version("19-point").expect("19-point");
    let new = file.version("20-point").expect("20-point");
    insta::assert_snapshot!(
        "kyiv_diff_19_20",
        diff_text(old, new, &diff(old, new, &MatchConfig::default()))
    );
    // The framework can be compared as a version too.
    assert!(file.version("framework").is_some());
    // The lineage of the 28-, 19- and 20-point texts: what survives, what is not known (the
    // reports give none of the 28 points, so none is known dropped), and acceptance by party
    // with the stances not stated counted apart.
    let l = lineage(&file.versions, &MatchConfig::default());
    let text = lineage_text(&file, &file.versions, &l);
    assert!(text.contains(
        "of the 28 points of `28-point`, into `19-point`: 0 survive, 0 known dropped, 28 not known"
    ));
    assert!(text.contains(
        "of the 19 points of `19-point`, into `20-point`: 1 survive, 0 known dropped, 18 not known"
    ));
    insta::assert_snapshot!("kyiv_lineage", text);
}

/// A conflicting demand shows every passage it cites, not only the first.
#[test]
fn a_conflict_shows_every_citation_of_its_demands() {
    let text = example("kyiv-2026.toml");
    let one = r#"cite = [{ source = "miami", quote = "Putin warned that Russian forces would seize the remaining parts of Donbas if Ukrainian troops do not withdraw." }]"#;
    assert!(text.contains(one));
    let two = one.replace(
        "}]",
        r#"}, { source = "miami", quote = "narrows the agenda to 19 key points" }]"#,
    );
    // The demand's citation, not an earlier one of the same passage.
    let (head, tail) = text.split_at(
        text.find("id = \"russia-withdrawal-before-ceasefire\"")
            .unwrap(),
    );
    let edited = format!("{head}{}", tail.replacen(one, &two, 1));
    let (_, _, report) = sequence(&edited, "kyiv.toml");
    assert!(
        report.contains("      also in miami: \"narrows the agenda to 19 key points\""),
        "{report}"
    );
}

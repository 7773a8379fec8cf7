//! Reading steps, demands and versions, and the reports of `concord sequence` and `concord
//! diff`: snapshots of the examples, of small fixtures and of located errors on bad input.

mod common;

use common::{example, shared};
use concord_format::sequence::{
    diff_text, lineage_text, read_sequence_file, sequence_json, sequence_text, SequenceFile,
};
use concord_format::FormatError;
use concord_sequence::analysis::{analyze, SequenceAnalysis, SequenceConfig};
use concord_sequence::versions::{diff, lineage, MatchConfig};

fn read(text: &str) -> SequenceFile {
    read_sequence_file(text, "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// The located errors of a bad file, as the CLI prints them.
fn errors(text: &str) -> String {
    match read_sequence_file(text, "bad.toml") {
        Err(FormatError::Invalid(d)) => d.to_string(),
        Err(other) => other.to_string(),
        Ok(_) => panic!("expected errors"),
    }
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
    let json = sequence_json(&file, &analysis);
    assert_eq!(json["schema"], "concord.sequence/1");
    assert_eq!(json["feasible"], false);
    insta::assert_snapshot!(
        "tiny_json",
        serde_json::to_string_pretty(&json).expect("plain JSON")
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

/// Every quote of the sequencing tables is a verbatim passage of its report, when the reports
/// are at hand (they sit beside the repository in this project's layout).
#[test]
fn kyiv_sequencing_quotes_are_verbatim() {
    let Some(dir) = shared("reports") else {
        return;
    };
    let file = read(&example("kyiv-2026.toml"));
    let citations = file.citations();
    assert!(citations.len() >= 20, "{}", citations.len());
    for (path, c) in citations {
        let source = &file.sources[c.source];
        let text = std::fs::read_to_string(dir.join(&source.file)).expect("readable");
        let folded = concord_core::citations::fold(&text);
        assert!(
            folded.contains(&concord_core::citations::fold(&c.quote)),
            "{path}: {:?} is not in {}",
            c.quote,
            source.file
        );
    }
}

#[test]
fn every_problem_is_reported_with_its_place() {
    let text = r#"
[[parties]]
id = "a"
name = "A"

[[steps]]
id = "one"
name = "One"
parties = ["a", "zed"]
duration = -3
verification = { days = 2, by = "nobody" }
split = 1.5

[[steps]]
id = "one"
name = "One again"
parties = []
duration = 2.5

[[steps]]
id = "two"
name = "Two"
parties = ["a"]
duration = 4
colour = "red"

[[demands]]
id = "d1"
party = "b"
first = "one"
then = "three"

[[demands]]
id = "d2"
party = "a"
first = "one"
then = "one"

[[demands]]
id = "d3"
party = "a"
first = "one"
then = "two"
min_gap = 5
max_gap = 2

[[demands]]
id = "d4"
party = "a"
together = ["one", "two"]
step = "one"
not_before_day = 3

[[demands]]
id = "d5"
party = "a"
any_of = [{ first = "one", then = "two" }, { first = "two", then = "one" }]
cost_per_day = 4

[[demands]]
id = "d5"
party = "a"
step = "two"
within_days = 3
of = "two"
cost = 1
cost_per_day = 1

[[demands]]
id = "d7"
party = "a"
step = "two"
done_by_day = -1

[[versions]]
id = "v1"
title = "V1"
points_total = 1

[[versions.points]]
number = 1
title = "P"
issues = ["not an id"]
stances = { a = "maybe" }

[[versions.points]]
number = 1
title = "Q"
"#;
    insta::assert_snapshot!("errors", errors(text));
}

/// Regression: a duplicate demand id went unreported when the duplicate had another error.
/// Also: a step together with itself, empty and single choices, out-of-range and non-integer
/// day numbers, and a table where a demand should be.
#[test]
fn odd_demands_are_located_errors() {
    let text = r#"
[[parties]]
id = "a"
name = "A"

[[steps]]
id = "one"
name = "One"
parties = ["a"]
duration = 0

[[steps]]
id = "two"
name = "Two"
parties = ["a"]
duration = 36501

[[demands]]
id = "d1"
party = "a"
together = ["one", "one"]

[[demands]]
id = "d1"
party = "a"
any_of = []

[[demands]]
id = "d2"
party = "a"
any_of = [{ first = "one", then = "two" }]

[[demands]]
id = "d3"
party = "a"
step = "one"
within_days = -2
of = "two"

[[demands]]
id = "d4"
party = "a"
first = "one"
then = "two"
min_gap = 99999999999

[[demands]]
id = "d5"
party = "a"
step = "two"
not_before_day = 1e9

[[demands]]
id = "d6"
party = "a"
any_of = [{ any_of = [{ first = "one", then = "two" }] }, { step = "one", not_before_day = 2 }]
cost = 2000000

[[demands]]
id = "d7"
party = "a"
"#;
    insta::assert_snapshot!("odd_demand_errors", errors(text));
}

#[test]
fn a_scenario_checks_parties_issues_and_sources() {
    let text = example("water-sharing.toml")
        + r#"
[[steps]]
id = "release"
name = "Release"
parties = ["upstream", "atlantis"]
duration = 3
cite = [{ source = "nowhere", quote = "a quote" }]

[[demands]]
id = "x"
party = "downstream"
step = "release"
not_before_day = 1
basis = "stated"

[[versions]]
id = "framework"
title = "Clash"
leaves_out = ["rain"]
"#;
    insta::assert_snapshot!("scenario_errors", errors(&text));
}

#[test]
fn a_broken_scenario_reports_the_scenario_errors() {
    let text = example("water-sharing.toml").replace("role = \"mediator\"", "role = \"referee\"");
    let e = errors(&text);
    assert!(e.contains("parties[2].role"), "{e}");
}

#[test]
fn a_sequence_file_may_not_hold_scenario_tables() {
    let e = errors("[[issues]]\nid = \"x\"\nname = \"X\"\noptions = [\"a\"]\n");
    assert!(e.contains("the unknown key `issues`"), "{e}");
}

#[test]
fn syntax_errors_stop_at_the_first() {
    let e = errors("[[steps]\nid = 1\n");
    assert!(e.starts_with("bad.toml:1:"), "{e}");
}

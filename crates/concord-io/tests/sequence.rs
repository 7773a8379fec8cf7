//! Reading steps, demands and versions: the quotes of the examples, and snapshots of the
//! located errors on bad input. (The reports are concord-report's tests.)

mod common;

use common::{example, shared};
use concord_io::sequence::{read_sequence_file, SequenceFile};
use concord_io::FormatError;

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

#[test]
fn a_sequence_file_read_whole_reports_each_problem_of_its_parties_once() {
    // Issue 10: read whole (`load`, as every command reads a file), a sequence file's
    // [[parties]] and [[sources]] were read by the scenario reader and again by the sequencing
    // reader, and the second copy of each problem removed afterwards. Now the sequencing reader
    // takes them from the scenario reader.
    let text = example("minsk-2015.toml")
        .replacen("role = ", "rank = \"high\"\nrole = ", 1)
        .replacen("name = \"Russia\"", "name = 5", 1);
    let e = match concord_io::load::read_scenario_file(&text, "bad.toml", &Default::default()) {
        Err(FormatError::Invalid(d)) => d,
        other => panic!("expected located errors, got {other:?}"),
    };
    let fields: Vec<&str> = e.items.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(fields, ["parties[0].rank", "parties[1].name"], "{e}");
    // Read alone, the sequencing reader reads them itself, and finds the same two.
    let alone = errors(&text);
    assert_eq!(alone.matches("`parties[0].rank`").count(), 1, "{alone}");
    assert_eq!(alone.matches("`parties[1].name`").count(), 1, "{alone}");
}

//! Evidence tables: located errors in `[[claims]]`, `[[commitments]]` and alias files. (The
//! reports on them are concord-report's tests.)

use concord_io::evidence::{read_aliases, read_evidence};
use concord_io::FormatError;

const SMALL: &str = r#"
[scenario]
id = "s"
title = "S"

[[sources]]
id = "r"
file = "r.txt"
agencies = ["AFP"]

[[sources]]
id = "q"
file = "q.txt"

[[parties]]
id = "a"
name = "A"
role = "party"

[[issues]]
id = "x"
name = "X"
options = ["yes", "no"]

[preferences.a]
reservation = 0.1
[preferences.a.issues.x]
weight = 1.0
values = { yes = 1.0, no = 0.0 }
"#;

fn errors(extra: &str) -> String {
    let text = format!("{SMALL}{extra}");
    match read_evidence(&text, "bad.toml") {
        Err(FormatError::Invalid(d)) => d
            .items
            .iter()
            .map(|i| {
                format!(
                    "{}:{} {}: found {}, expected {}",
                    i.line, i.column, i.field, i.found, i.expected
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Err(other) => other.to_string(),
        Ok(_) => "no error".into(),
    }
}

#[test]
fn located_errors_in_claims() {
    insta::assert_snapshot!(
        "claims_errors",
        errors(
            r#"
[[claims]]
id = "c1"
text = "t"
by = ["b"]
date = "2026-02-30"
figures = [{ value = "x", unit = "people" }]
cite = [{ source = "nope", quote = "q" }, { source = "r", quote = "" }]
colour = "red"

[[claims]]
id = "c1"
text = "again"
date = { on = "2026-01-03", weekday = "Friday" }
"#
        )
    );
}

#[test]
fn located_errors_in_commitments() {
    insta::assert_snapshot!(
        "commitments_errors",
        errors(
            r#"
[[commitments]]
id = "l"
kind = "layer"
name = "Layer"
order = 0
status = "agreed"

[[commitments]]
id = "p"
kind = "pledge"
by = ["a"]
what = "cash"
description = "d"
layer = "nowhere"
trigger = "t"
status = "maybe"
amount = { value = -1, unit = "USD bn" }

[[commitments]]
id = "p"
kind = "promise"
"#
        )
    );
}

#[test]
fn evidence_and_scenario_errors_are_reported_together() {
    let text = SMALL.replace("reservation = 0.1", "reservation = 2") + "\n[[claims]]\nid = \"c\"\n";
    let Err(FormatError::Invalid(d)) = read_evidence(&text, "both.toml") else {
        panic!("expected errors");
    };
    let fields: Vec<&str> = d.items.iter().map(|i| i.field.as_str()).collect();
    assert!(fields.contains(&"preferences.a.reservation"), "{fields:?}");
    assert!(fields.contains(&"claims[0].text"), "{fields:?}");
    assert!(d.to_string().starts_with("both.toml: "));
}

#[test]
fn syntax_errors_stop_at_the_first() {
    let err = read_evidence("[[claims]\nid = 1", "broken.toml").unwrap_err();
    assert!(err.to_string().starts_with("broken.toml:1:"), "{err}");
}

#[test]
fn alias_files() {
    let ok = read_aliases(
        "outlets = [\"Daily Planet\"]\n[actors]\nukraine = [\"Zelensky\", \"Umerov\"]\n",
        "a.toml",
    )
    .unwrap();
    assert_eq!(
        ok.aliases,
        [
            ("Zelensky".to_string(), "ukraine".to_string()),
            ("Umerov".to_string(), "ukraine".to_string())
        ]
    );
    assert_eq!(ok.outlets, ["Daily Planet"]);
    let Err(FormatError::Invalid(d)) = read_aliases(
        "people = 1\n[actors]\n\"bad id\" = [\"X\"]\nrussia = \"Putin\"\n",
        "a.toml",
    ) else {
        panic!("expected errors");
    };
    let lines: Vec<String> = d
        .items
        .iter()
        .map(|i| format!("{}:{} {}", i.line, i.column, i.field))
        .collect();
    assert_eq!(
        lines,
        ["1:1 people", "3:12 actors.bad id", "4:10 actors.russia"]
    );
}

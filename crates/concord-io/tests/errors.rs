//! Located errors of the scenario reader: every class of mistake in `docs/scenario-format.md`,
//! each made in a small valid scenario, with the rendered message kept as a snapshot and its
//! place (line, field, what was found) checked.

use concord_core::model::{RedLineRule, ValueFunction};
use concord_io::scenario::{read_scenario, LoadedScenario, ReadOptions};
use concord_io::{Diagnostic, Diagnostics, FormatError};

/// A small valid scenario: two consenting towns, a mediator, a numeric and a discrete issue,
/// preferences, a simple and a conditional red line, two framework points, two sources.
const BASE: &str = r#"[scenario]
id = "water-sharing"
title = "Two towns share a river"

[[sources]]
id = "minutes"
file = "minutes.txt"

[[sources]]
id = "press"
file = "press.txt"

[[parties]]
id = "upstream"
name = "Upstream town"
role = "party"
cite = [{ source = "minutes", quote = "Upton will not release more than half" }]

[[parties]]
id = "downstream"
name = "Downstream town"
role = "party"

[[parties]]
id = "province"
name = "The province"
role = "mediator"

[[issues]]
id = "share"
name = "Share of the flow released downstream"
numeric = { min = 20, max = 80, step = 20, unit = "%" }

[[issues]]
id = "monitor"
name = "Who monitors the flow"
options = [{ id = "upstream", name = "Upstream monitors" }, "joint", "province"]

[preferences.upstream]
reservation = { value = 0.3, range = [0.2, 0.4] }

[preferences.upstream.issues.share]
weight = 0.7
points = [[20, 1.0], [80, 0.0]]

[preferences.upstream.issues.monitor]
weight = 0.3
values = { upstream = 1.0, joint = 0.6, province = 0.2 }

[preferences.downstream]
reservation = 0.25
cite = [{ source = "press", quote = "Downton will walk away from a bad deal", speaker = "a columnist" }]
basis = "reported"

[preferences.downstream.issues.share]
weight = 0.6
points = [[20, 0.0], [60, 0.8], [80, 1.0]]

[preferences.downstream.issues.monitor]
weight = 0.4
values = { upstream = 0.0, joint = 0.7, province = 1.0 }

[[red_lines]]
id = "upstream-cap"
party = "upstream"
issue = "share"
at_most = 60
cite = [{ source = "minutes", quote = "Upton will not release more than half" }]

[[red_lines]]
id = "downstream-no-self-monitoring"
party = "downstream"
if = { issue = "share", is = [20, 40] }
then = { issue = "monitor", must_not_be = ["upstream"] }

[framework]
title = "Draft accord"

[[framework.points]]
number = 1
title = "Release schedule"
issues = ["share"]
stances = { upstream = "reserves", downstream = "accepts" }

[[framework.points]]
number = 2
title = "Monitoring"
issues = ["monitor"]
stances = { upstream = "accepts", downstream = "accepts" }
"#;

/// The valid base scenario, for tests to change.
fn base() -> String {
    BASE.to_string()
}

/// Reads `text` as `test.toml`.
fn read(text: &str, normalize_weights: bool) -> Result<LoadedScenario, FormatError> {
    read_scenario(text, "test.toml", &ReadOptions { normalize_weights })
}

/// Reads `text`, which must fail, and snapshots the rendered error under `name`.
fn check(name: &str, text: &str) -> FormatError {
    let err = match read(text, false) {
        Ok(_) => panic!("{name}: the file was read without error:\n{text}"),
        Err(e) => e,
    };
    insta::assert_snapshot!(name, err.to_string());
    err
}

/// [`check`], for a file that is valid TOML: the diagnostics.
fn invalid(name: &str, text: &str) -> Diagnostics {
    match check(name, text) {
        FormatError::Invalid(d) => d,
        other => panic!("{name}: expected located diagnostics, got {other:?}"),
    }
}

/// `text` with `from` (which must occur exactly once) replaced by `to`; an empty `from`
/// appends `to` at the end.
fn edit(text: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        return format!("{text}\n{to}\n");
    }
    let n = text.matches(from).count();
    assert_eq!(n, 1, "{from:?} occurs {n} times in the text being edited");
    text.replacen(from, to, 1)
}

/// The base with each edit applied in turn.
fn edited(edits: &[(&str, &str)]) -> String {
    edits
        .iter()
        .fold(base(), |text, (from, to)| edit(&text, from, to))
}

/// The 1-based line of `needle`, which must occur exactly once in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let n = text.matches(needle).count();
    assert_eq!(n, 1, "{needle:?} occurs {n} times in:\n{text}");
    let at = text.find(needle).expect("counted");
    text[..at].matches('\n').count() + 1
}

/// The diagnostic about `field`, which must be reported exactly once.
fn about<'d>(d: &'d Diagnostics, field: &str) -> &'d Diagnostic {
    let hits: Vec<&Diagnostic> = d.items.iter().filter(|x| x.field == field).collect();
    assert_eq!(
        hits.len(),
        1,
        "expected one diagnostic about `{field}` in:\n{d}"
    );
    hits[0]
}

/// One invalid variant of the base scenario and what must be reported about it.
struct Case {
    /// The snapshot's name.
    name: &'static str,
    /// Replacements applied to the base in turn (see [`edit`]).
    edits: &'static [(&'static str, &'static str)],
    /// The field of the diagnostic that must be reported.
    field: &'static str,
    /// A text found only on the line the diagnostic must point at.
    on_line: &'static str,
    /// A part of what the diagnostic says was found.
    found: &'static str,
    /// How many diagnostics the file has in all.
    count: usize,
}

/// Checks each case: snapshot, count, and the field, line and "found" of its diagnostic.
fn run(cases: &[Case]) {
    for c in cases {
        let text = edited(c.edits);
        let d = invalid(c.name, &text);
        assert_eq!(
            d.items.len(),
            c.count,
            "{}: number of problems in:\n{d}",
            c.name
        );
        let x = about(&d, c.field);
        assert_eq!(x.line, line_of(&text, c.on_line), "{}: line of {x}", c.name);
        assert!(
            x.found.contains(c.found),
            "{}: found {:?}, expected it to mention {:?}",
            c.name,
            x.found,
            c.found
        );
        assert_eq!(
            x.source_line,
            concord_io::located::excerpt(text.lines().nth(x.line - 1).unwrap(), x.column).0
        );
    }
}

#[test]
fn base_scenario_reads() {
    let loaded = read(&base(), false).unwrap_or_else(|e| panic!("{e}"));
    let s = &loaded.scenario;
    assert_eq!(s.id, "water-sharing");
    assert_eq!(s.sources.len(), 2);
    assert_eq!(s.parties.len(), 3);
    assert_eq!(
        s.parties.iter().map(|p| p.consent).collect::<Vec<_>>(),
        [true, true, false]
    );
    let options: Vec<Vec<&str>> = s
        .issues
        .iter()
        .map(|i| i.options.iter().map(|o| o.id.as_str()).collect())
        .collect();
    assert_eq!(
        options,
        [
            vec!["20", "40", "60", "80"],
            vec!["upstream", "joint", "province"]
        ]
    );
    assert!(s.preferences[0].is_some() && s.preferences[1].is_some());
    assert!(s.preferences[2].is_none());
    assert_eq!(s.red_lines.len(), 2);
    assert_eq!(s.framework.points.len(), 2);
    // The citation of `upstream` (its `{`) sits on line 17, column 9.
    assert_eq!(
        loaded.citation_sites.get("parties[0].cite[0]"),
        Some(&(17, 9))
    );
}

#[test]
fn toml_syntax_error() {
    let text = edit(
        &base(),
        "name = \"Downstream town\"\nrole = \"party\"",
        "name = \"Downstream town\"\nrole = party",
    );
    let err = check("toml_syntax_error", &text);
    let FormatError::Syntax { line, column, .. } = err else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert_eq!(
        (line, column),
        (line_of(&text, "role = party"), 8),
        "the bare word `party` starts at column 8"
    );

    // An unterminated string, reported at the end of its line; the reading stops there, so the
    // later bare word is not reported.
    let text = edit(&base(), "name = \"The province\"", "name = \"The province");
    let text = edit(&text, "title = \"Monitoring\"", "title = Monitoring");
    let err = check("toml_syntax_error_unterminated", &text);
    let FormatError::Syntax { line, column, .. } = err else {
        panic!("expected a syntax error, got {err:?}");
    };
    let line_text = "name = \"The province";
    assert_eq!(
        (line, column),
        (line_of(&text, line_text), line_text.len() + 1)
    );
}

#[test]
fn unknown_keys() {
    // At the top level.
    let text = format!("schema = 2\n{}", base());
    let d = invalid("unknown_top_level_key", &text);
    assert_eq!(d.items.len(), 1, "{d}");
    let x = about(&d, "schema");
    assert_eq!((x.line, x.column), (1, 1));
    assert!(x.found.contains("`schema`"), "{x}");
    assert!(x.expected.contains("`red_lines`"), "{x}");

    // Inside a table: a typo is reported, and so is the field it was meant to be.
    run(&[
        Case {
            name: "unknown_key_in_table",
            edits: &[("weight = 0.7", "wieght = 0.7")],
            field: "preferences.upstream.issues.share.wieght",
            on_line: "wieght = 0.7",
            found: "the unknown key `wieght`",
            count: 2,
        },
        Case {
            name: "unknown_key_in_inline_table",
            edits: &[("quote = \"Downton", "qoute = \"Downton")],
            field: "preferences.downstream.cite[0].qoute",
            on_line: "qoute",
            found: "the unknown key `qoute`",
            count: 2,
        },
        Case {
            name: "unknown_key_in_red_line",
            edits: &[("at_most = 60", "at_most = 60\nseverity = \"high\"")],
            field: "red_lines[0].severity",
            on_line: "severity",
            found: "`severity`",
            count: 1,
        },
    ]);
    let text = edit(&base(), "weight = 0.7", "wieght = 0.7");
    let Err(FormatError::Invalid(d)) = read(&text, false) else {
        panic!("expected located diagnostics");
    };
    let missing = about(&d, "preferences.upstream.issues.share.weight");
    assert_eq!(missing.found, "nothing");
    assert_eq!(
        missing.line,
        line_of(&text, "[preferences.upstream.issues.share]")
    );
}

#[test]
fn missing_required_field() {
    run(&[
        Case {
            name: "missing_role",
            edits: &[(
                "name = \"The province\"\nrole = \"mediator\"",
                "name = \"The province\"",
            )],
            field: "parties[2].role",
            on_line: "[[parties]]\nid = \"province\"",
            found: "nothing",
            count: 1,
        },
        Case {
            name: "missing_reservation",
            edits: &[("reservation = 0.25\n", "")],
            field: "preferences.downstream.reservation",
            on_line: "[preferences.downstream]",
            found: "nothing",
            count: 1,
        },
        Case {
            name: "missing_scenario_title",
            edits: &[("title = \"Two towns share a river\"\n", "")],
            field: "scenario.title",
            on_line: "[scenario]",
            found: "nothing",
            count: 1,
        },
    ]);
}

#[test]
fn wrong_type() {
    run(&[
        Case {
            name: "wrong_type_weight_string",
            edits: &[("weight = 0.7", "weight = \"0.7\"")],
            field: "preferences.upstream.issues.share.weight",
            on_line: "weight = \"0.7\"",
            found: "the string \"0.7\"",
            count: 1,
        },
        Case {
            name: "wrong_type_bound_string",
            edits: &[("at_most = 60", "at_most = \"60\"")],
            field: "red_lines[0].at_most",
            on_line: "at_most = \"60\"",
            found: "the string \"60\"",
            count: 1,
        },
        Case {
            name: "wrong_type_consent_string",
            edits: &[(
                "role = \"mediator\"",
                "role = \"mediator\"\nconsent = \"no\"",
            )],
            field: "parties[2].consent",
            on_line: "consent = \"no\"",
            found: "the string \"no\"",
            count: 1,
        },
        Case {
            name: "wrong_type_point_number",
            edits: &[("number = 2", "number = 2.5")],
            field: "framework.points[1].number",
            on_line: "number = 2.5",
            found: "the number 2.5",
            count: 1,
        },
    ]);
}

#[test]
fn invalid_id_characters() {
    run(&[
        Case {
            name: "invalid_id_red_line",
            edits: &[("id = \"upstream-cap\"", "id = \"upstream cap!\"")],
            field: "red_lines[0].id",
            on_line: "upstream cap!",
            found: "\"upstream cap!\"",
            count: 1,
        },
        Case {
            name: "invalid_id_scenario",
            edits: &[("id = \"water-sharing\"", "id = \"water/sharing\"")],
            field: "scenario.id",
            on_line: "water/sharing",
            found: "\"water/sharing\"",
            count: 1,
        },
        Case {
            name: "invalid_id_empty_option",
            edits: &[("\"joint\", \"province\"]", "\"joint\", \"province\", \"\"]")],
            field: "issues[1].options[3]",
            on_line: "\"province\", \"\"]",
            found: "\"\"",
            count: 1,
        },
    ]);
}

#[test]
fn duplicate_ids() {
    run(&[
        Case {
            name: "duplicate_party",
            edits: &[(
                "",
                "[[parties]]\nid = \"downstream\" # again\nname = \"Downstream again\"\nrole = \"observer\"",
            )],
            field: "parties[3].id",
            on_line: "# again",
            found: "\"downstream\" again",
            count: 1,
        },
        Case {
            name: "duplicate_issue",
            edits: &[(
                "",
                "[[issues]]\nid = \"monitor\" # again\nname = \"Monitoring again\"\noptions = [\"a\", \"b\"]",
            )],
            field: "issues[2].id",
            on_line: "# again",
            found: "\"monitor\" again",
            count: 1,
        },
        Case {
            name: "duplicate_option",
            edits: &[("\"joint\", \"province\"]", "\"joint\", \"province\", \"joint\"]")],
            field: "issues[1].options[3]",
            on_line: "\"province\", \"joint\"]",
            found: "the option \"joint\" again",
            count: 1,
        },
        Case {
            name: "duplicate_source",
            edits: &[(
                "",
                "[[sources]]\nid = \"press\" # again\nfile = \"press-2.txt\"",
            )],
            field: "sources[2].id",
            on_line: "# again",
            found: "\"press\" again",
            count: 1,
        },
        Case {
            name: "duplicate_red_line",
            edits: &[(
                "",
                "[[red_lines]]\nid = \"upstream-cap\" # again\nparty = \"upstream\"\nissue = \"share\"\nat_most = 80",
            )],
            field: "red_lines[2].id",
            on_line: "# again",
            found: "\"upstream-cap\" again",
            count: 1,
        },
        Case {
            name: "duplicate_framework_point",
            edits: &[(
                "",
                "[[framework.points]]\nnumber = 2 # again\ntitle = \"Monitoring, again\"",
            )],
            field: "framework.points[2].number",
            on_line: "# again",
            found: "point 2 again",
            count: 1,
        },
    ]);
}

#[test]
fn unknown_references() {
    run(&[
        Case {
            name: "unknown_party_in_preferences",
            edits: &[("", "[preferences.umpire]\nreservation = 0.2")],
            field: "preferences.umpire",
            on_line: "[preferences.umpire]",
            found: "the party \"umpire\"",
            count: 1,
        },
        Case {
            name: "unknown_issue_in_preferences",
            edits: &[(
                "",
                "[preferences.upstream.issues.flow]\nweight = 0\nvalues = { high = 0 }",
            )],
            field: "preferences.upstream.issues.flow",
            on_line: "[preferences.upstream.issues.flow]",
            found: "the issue \"flow\"",
            count: 1,
        },
        Case {
            name: "unknown_option_in_values",
            edits: &[("joint = 0.6", "jiont = 0.6")],
            field: "preferences.upstream.issues.monitor.values.jiont",
            on_line: "jiont = 0.6",
            found: "the option \"jiont\"",
            // And `joint` has no value.
            count: 2,
        },
        Case {
            name: "unknown_party_in_red_line",
            edits: &[("party = \"upstream\"", "party = \"upstrem\"")],
            field: "red_lines[0].party",
            on_line: "party = \"upstrem\"",
            found: "\"upstrem\"",
            count: 1,
        },
        Case {
            name: "unknown_issue_in_red_line",
            edits: &[("issue = \"share\"\nat_most", "issue = \"shares\"\nat_most")],
            field: "red_lines[0].issue",
            on_line: "issue = \"shares\"",
            found: "\"shares\"",
            count: 1,
        },
        Case {
            name: "unknown_issue_in_red_line_condition",
            edits: &[("if = { issue = \"share\"", "if = { issue = \"shares\"")],
            field: "red_lines[1].if.issue",
            on_line: "if = { issue = \"shares\"",
            found: "\"shares\"",
            count: 1,
        },
        Case {
            name: "unknown_option_in_red_line",
            edits: &[("must_not_be = [\"upstream\"]", "must_not_be = [\"upstreem\"]")],
            field: "red_lines[1].then.must_not_be[0]",
            on_line: "must_not_be = [\"upstreem\"]",
            found: "the string \"upstreem\"",
            count: 1,
        },
        Case {
            name: "unknown_numeric_option_in_red_line",
            edits: &[("is = [20, 40]", "is = [20, 50]")],
            field: "red_lines[1].if.is[1]",
            on_line: "is = [20, 50]",
            found: "the integer 50",
            count: 1,
        },
        Case {
            name: "unknown_source_in_citation",
            edits: &[(
                "cite = [{ source = \"minutes\", quote = \"Upton will not release more than half\" }]\n\n[[parties]]",
                "cite = [{ source = \"minute\", quote = \"Upton will not release more than half\" }]\n\n[[parties]]",
            )],
            field: "parties[0].cite[0].source",
            on_line: "source = \"minute\"",
            found: "\"minute\"",
            count: 1,
        },
        Case {
            name: "unknown_party_in_stances",
            edits: &[(
                "stances = { upstream = \"reserves\"",
                "stances = { upstrem = \"reserves\"",
            )],
            field: "framework.points[0].stances.upstrem",
            on_line: "upstrem = \"reserves\"",
            found: "the party \"upstrem\"",
            count: 1,
        },
        Case {
            name: "unknown_issue_in_framework_point",
            edits: &[("issues = [\"monitor\"]", "issues = [\"monitor\", \"water\"]")],
            field: "framework.points[1].issues[1]",
            on_line: "\"monitor\", \"water\"",
            found: "the string \"water\"",
            count: 1,
        },
    ]);
}

#[test]
fn weights_that_do_not_sum_to_one() {
    // 0.6 + 0.2 = 0.8.
    let text = edit(&base(), "weight = 0.7", "weight = 0.6");
    let text = edit(&text, "weight = 0.3", "weight = 0.2");
    let d = invalid("weights_not_summing_to_one", &text);
    assert_eq!(d.items.len(), 1, "{d}");
    let x = about(&d, "preferences.upstream.issues");
    assert_eq!(x.line, line_of(&text, "[preferences.upstream]"));
    assert_eq!(x.found, "weights that sum to 0.8");

    // With normalisation the same file reads, each weight divided by 0.8.
    let loaded = read(&text, true).unwrap_or_else(|e| panic!("{e}"));
    let weights = |p: usize| -> Vec<f64> {
        loaded.scenario.preferences[p]
            .as_ref()
            .expect("preferences")
            .issues
            .iter()
            .map(|ip| ip.weight.value)
            .collect()
    };
    let up = weights(0);
    assert!(
        (up[0] - 0.75).abs() < 1e-12 && (up[1] - 0.25).abs() < 1e-12,
        "{up:?}"
    );
    // Weights that already sum to 1 are unchanged.
    let down = weights(1);
    assert!(
        (down[0] - 0.6).abs() < 1e-12 && (down[1] - 0.4).abs() < 1e-12,
        "{down:?}"
    );
}

#[test]
fn numbers_outside_their_bounds() {
    run(&[
        Case {
            name: "value_above_one",
            edits: &[("province = 0.2", "province = 1.2")],
            field: "preferences.upstream.issues.monitor.values.province",
            on_line: "province = 1.2",
            found: "1.2",
            count: 1,
        },
        Case {
            name: "negative_weight",
            edits: &[("weight = 0.4", "weight = -0.4")],
            field: "preferences.downstream.issues.monitor.weight",
            on_line: "weight = -0.4",
            found: "-0.4",
            count: 1,
        },
        Case {
            name: "point_value_above_one",
            edits: &[("[80, 1.0]]", "[80, 1.5]]")],
            field: "preferences.downstream.issues.share.points",
            on_line: "[80, 1.5]]",
            found: "a value outside [0, 1]",
            count: 1,
        },
        Case {
            name: "reservation_above_one",
            edits: &[("reservation = 0.25", "reservation = 1.25")],
            field: "preferences.downstream.reservation",
            on_line: "reservation = 1.25",
            found: "1.25",
            count: 1,
        },
        Case {
            name: "range_not_containing_value",
            edits: &[("range = [0.2, 0.4]", "range = [0.35, 0.4]")],
            field: "preferences.upstream.reservation",
            on_line: "range = [0.35, 0.4]",
            found: "value 0.3 with range [0.35, 0.4]",
            count: 1,
        },
        Case {
            name: "range_outside_unit",
            edits: &[("range = [0.2, 0.4]", "range = [0.2, 1.4]")],
            field: "preferences.upstream.reservation",
            on_line: "range = [0.2, 1.4]",
            found: "value 0.3 with range [0.2, 1.4]",
            count: 1,
        },
    ]);
}

#[test]
fn missing_preferences() {
    run(&[
        Case {
            name: "missing_value_for_option",
            edits: &[(", province = 1.0 }", " }")],
            field: "preferences.downstream.issues.monitor.values",
            on_line: "values = { upstream = 0.0, joint = 0.7 }",
            found: "no value for province",
            count: 1,
        },
        Case {
            name: "missing_issue_entry",
            edits: &[(
                "[preferences.downstream.issues.monitor]\nweight = 0.4\nvalues = { upstream = 0.0, joint = 0.7, province = 1.0 }\n",
                "",
            )],
            field: "preferences.downstream.issues.monitor",
            // The implicit `issues` table, in the header of the remaining entry.
            on_line: "[preferences.downstream.issues.share]",
            found: "no entry",
            count: 1,
        },
        Case {
            name: "consenting_party_without_preferences",
            edits: &[(
                "[preferences.downstream]\nreservation = 0.25\ncite = [{ source = \"press\", quote = \"Downton will walk away from a bad deal\", speaker = \"a columnist\" }]\nbasis = \"reported\"\n\n[preferences.downstream.issues.share]\nweight = 0.6\npoints = [[20, 0.0], [60, 0.8], [80, 1.0]]\n\n[preferences.downstream.issues.monitor]\nweight = 0.4\nvalues = { upstream = 0.0, joint = 0.7, province = 1.0 }\n",
                "",
            )],
            field: "preferences.downstream",
            on_line: "[[parties]]\nid = \"downstream\"",
            found: "no preferences",
            count: 1,
        },
    ]);
}

#[test]
fn no_consenting_party() {
    let text = edit(
        &base(),
        "name = \"Upstream town\"\nrole = \"party\"",
        "name = \"Upstream town\"\nrole = \"party\"\nconsent = false",
    );
    let text = edit(
        &text,
        "name = \"Downstream town\"\nrole = \"party\"",
        "name = \"Downstream town\"\nrole = \"guarantor\"",
    );
    let d = invalid("no_consenting_party", &text);
    assert_eq!(d.items.len(), 1, "{d}");
    let x = about(&d, "parties");
    assert_eq!(x.found, "no party whose consent is needed");
    assert!(x.expected.contains("consent = true"), "{x}");
}

#[test]
fn numeric_issues() {
    run(&[
        Case {
            name: "numeric_bad_step",
            edits: &[("step = 20", "step = 25")],
            field: "issues[0].numeric",
            on_line: "step = 25",
            found: "min = 20, max = 80, step = 25",
            // Regression: an issue with a broken domain used to be left undefined, so the five
            // references to `share` were each reported again as "unknown issue".
            count: 1,
        },
        Case {
            name: "points_not_increasing",
            edits: &[(
                "[[20, 1.0], [80, 0.0]]",
                "[[20, 1.0], [80, 0.5], [60, 0.0]]",
            )],
            field: "preferences.upstream.issues.share.points",
            on_line: "[80, 0.5], [60, 0.0]",
            found: "x values that do not strictly increase",
            count: 1,
        },
        Case {
            name: "points_not_covering",
            edits: &[("[[20, 1.0], [80, 0.0]]", "[[40, 1.0], [80, 0.0]]")],
            field: "preferences.upstream.issues.share.points",
            on_line: "[[40, 1.0], [80, 0.0]]",
            found: "points from 40 to 80",
            count: 1,
        },
        Case {
            name: "points_on_discrete_issue",
            edits: &[(
                "values = { upstream = 1.0, joint = 0.6, province = 0.2 }",
                "points = [[0, 1.0], [2, 0.2]]",
            )],
            field: "preferences.upstream.issues.monitor.points",
            on_line: "points = [[0, 1.0], [2, 0.2]]",
            found: "`points` on a discrete issue",
            count: 1,
        },
        Case {
            name: "at_least_on_discrete_issue",
            edits: &[(
                "issue = \"share\"\nat_most = 60",
                "issue = \"monitor\"\nat_least = 1",
            )],
            field: "red_lines[0].at_least",
            on_line: "at_least = 1",
            found: "`at_least` on the discrete issue `monitor`",
            count: 1,
        },
    ]);
}

#[test]
fn numeric_options_named_by_number() {
    // Values by option (bare and quoted keys), red lines by number and by string.
    let text = edit(
        &base(),
        "points = [[20, 0.0], [60, 0.8], [80, 1.0]]",
        "values = { 20 = 0.0, \"40\" = 0.4, 60 = 0.8, 80 = 1.0 }",
    );
    let text = edit(
        &text,
        "",
        "[[red_lines]]\nid = \"downstream-floor\"\nparty = \"downstream\"\nissue = \"share\"\nmust_not_be = [20, \"40\"]",
    );
    let loaded = read(&text, false).unwrap_or_else(|e| panic!("{e}"));
    let s = &loaded.scenario;
    match &s.preferences[1].as_ref().unwrap().issues[0].values {
        ValueFunction::Table(t) => assert_eq!(
            t.iter().map(|a| a.value).collect::<Vec<_>>(),
            [0.0, 0.4, 0.8, 1.0]
        ),
        other => panic!("expected a value table, got {other:?}"),
    }
    let RedLineRule::Simple(r) = &s.red_lines[2].rule else {
        panic!("expected a simple red line");
    };
    assert_eq!(r.allowed.0, [false, false, true, true]);
    let RedLineRule::Conditional { if_options, .. } = &s.red_lines[1].rule else {
        panic!("expected a conditional red line");
    };
    assert_eq!(if_options.0, [true, true, false, false]);
}

#[test]
fn red_lines_that_exclude_everything() {
    run(&[
        Case {
            name: "red_line_excluding_every_option",
            edits: &[("at_most = 60", "at_most = 10")],
            field: "red_lines[0].at_most",
            on_line: "at_most = 10",
            found: "a restriction that excludes every option",
            count: 1,
        },
        // A conditional red line's `then` may exclude every option: it forbids its condition
        // (issue 11; crates/concord-cli/tests/cli.rs, a_conditional_red_line_may_forbid_its_condition).
        Case {
            name: "own_red_lines_contradict",
            edits: &[(
                "",
                "[[red_lines]]\nid = \"joint-only\"\nparty = \"upstream\"\nissue = \"monitor\"\nmust_be_one_of = [\"joint\"]\n\n[[red_lines]]\nid = \"never-joint\"\nparty = \"upstream\"\nissue = \"monitor\"\nmust_not_be = [\"joint\"]",
            )],
            field: "red_lines[0]",
            on_line: "[[red_lines]]\nid = \"upstream-cap\"",
            found: "red lines of `upstream`",
            count: 1,
        },
        Case {
            name: "own_conditional_red_lines_contradict",
            edits: &[(
                "",
                // With the cap at 60 the share is 20, 40 or 60: 20 and 40 force monitor =
                // upstream, which the second line forbids, and 60 is forbidden outright.
                "[[red_lines]]\nid = \"if-low-we-monitor\"\nparty = \"upstream\"\nif = { issue = \"share\", is = [20, 40] }\nthen = { issue = \"monitor\", must_be_one_of = [\"upstream\"] }\n\n[[red_lines]]\nid = \"not-sixty\"\nparty = \"upstream\"\nissue = \"share\"\nmust_not_be = [60]\n\n[[red_lines]]\nid = \"no-self\"\nparty = \"upstream\"\nissue = \"monitor\"\nmust_not_be = [\"upstream\"]",
            )],
            field: "red_lines[0]",
            on_line: "[[red_lines]]\nid = \"upstream-cap\"",
            found: "(upstream-cap, if-low-we-monitor, not-sixty, no-self)",
            count: 1,
        },
    ]);
}

#[test]
fn red_lines_of_different_parties_may_exclude_everything_together() {
    // `upstream` wants to monitor, `downstream` never lets it: no agreement zone, but no error.
    let text = edit(
        &base(),
        "",
        "[[red_lines]]\nid = \"we-monitor\"\nparty = \"upstream\"\nissue = \"monitor\"\nmust_be_one_of = [\"upstream\"]\n\n[[red_lines]]\nid = \"never-upstream\"\nparty = \"downstream\"\nissue = \"monitor\"\nmust_not_be = [\"upstream\"]",
    );
    let loaded = read(&text, false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.scenario.red_lines.len(), 4);
}

#[test]
fn red_line_structure() {
    run(&[
        Case {
            name: "red_line_issue_beside_if",
            edits: &[(
                "party = \"downstream\"\nif =",
                "party = \"downstream\"\nissue = \"monitor\"\nif =",
            )],
            field: "red_lines[1].issue",
            on_line: "issue = \"monitor\"\nif",
            found: "`issue` beside `if`/`then`",
            count: 1,
        },
        Case {
            name: "red_line_if_without_then",
            edits: &[(
                "then = { issue = \"monitor\", must_not_be = [\"upstream\"] }\n",
                "",
            )],
            field: "red_lines[1]",
            on_line: "[[red_lines]]\nid = \"downstream-no-self-monitoring\"",
            found: "without both `if` and `then`",
            count: 1,
        },
        Case {
            name: "red_line_two_restrictions",
            edits: &[("at_most = 60", "at_most = 60\nmust_not_be = [80]")],
            field: "red_lines[0]",
            on_line: "at_most = 60",
            found: "must_not_be and at_most together",
            count: 1,
        },
        Case {
            name: "red_line_two_restrictions_in_then",
            edits: &[(
                "must_not_be = [\"upstream\"] }",
                "must_not_be = [\"upstream\"], must_be_one_of = [\"joint\"] }",
            )],
            field: "red_lines[1].then",
            on_line: "must_be_one_of = [\"joint\"]",
            found: "must_not_be and must_be_one_of together",
            count: 1,
        },
        Case {
            name: "red_line_no_restriction",
            edits: &[("at_most = 60\n", "")],
            field: "red_lines[0]",
            on_line: "[[red_lines]]\nid = \"upstream-cap\"",
            found: "no restriction",
            count: 1,
        },
    ]);
}

#[test]
fn citations() {
    run(&[
        Case {
            name: "citation_unknown_source",
            edits: &[("source = \"press\"", "source = \"pres\"")],
            field: "preferences.downstream.cite[0].source",
            on_line: "source = \"pres\"",
            found: "\"pres\"",
            count: 1,
        },
        Case {
            name: "citation_quote_too_long",
            edits: &[(
                "quote = \"Downton will walk away from a bad deal\"",
                "quote = \"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six\"",
            )],
            field: "preferences.downstream.cite[0].quote",
            on_line: "twenty-six",
            found: "a quote of 26 words",
            count: 1,
        },
        Case {
            name: "citation_reported_without_speaker",
            edits: &[(", speaker = \"a columnist\" }", " }")],
            field: "preferences.downstream.cite[0].speaker",
            on_line: "quote = \"Downton will walk away from a bad deal\" }",
            found: "no speaker",
            count: 1,
        },
        Case {
            name: "citation_stated_without_cite",
            edits: &[("role = \"mediator\"", "role = \"mediator\"\nbasis = \"stated\"")],
            field: "parties[2].cite",
            on_line: "basis = \"stated\"",
            found: "basis = \"stated\" with no citation",
            count: 1,
        },
        Case {
            name: "citation_invalid_basis",
            edits: &[("basis = \"reported\"", "basis = \"rumoured\"")],
            field: "preferences.downstream.basis",
            on_line: "basis = \"rumoured\"",
            found: "\"rumoured\"",
            count: 1,
        },
    ]);
}

#[test]
fn invalid_words() {
    run(&[
        Case {
            name: "invalid_stance",
            edits: &[(
                "stances = { upstream = \"accepts\"",
                "stances = { upstream = \"agrees\"",
            )],
            field: "framework.points[1].stances.upstream",
            on_line: "\"agrees\"",
            found: "\"agrees\"",
            count: 1,
        },
        Case {
            name: "invalid_role",
            edits: &[("role = \"mediator\"", "role = \"umpire\"")],
            field: "parties[2].role",
            on_line: "role = \"umpire\"",
            found: "\"umpire\"",
            count: 1,
        },
    ]);
}

#[test]
fn every_error_is_reported_together() {
    let text = edited(&[
        ("role = \"mediator\"", "role = \"umpire\""),
        ("province = 0.2", "province = 1.2"),
        ("reservation = 0.25", "reservation = -0.25"),
        (
            "stances = { upstream = \"accepts\"",
            "stances = { upstream = \"agrees\"",
        ),
    ]);
    let d = invalid("four_errors_together", &text);
    assert_eq!(d.items.len(), 4, "{d}");
    let fields: Vec<&str> = d.items.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "parties[2].role",
            "preferences.upstream.issues.monitor.values.province",
            "preferences.downstream.reservation",
            "framework.points[1].stances.upstream",
        ]
    );
    let lines: Vec<usize> = d.items.iter().map(|x| x.line).collect();
    assert_eq!(
        lines,
        [
            line_of(&text, "umpire"),
            line_of(&text, "province = 1.2"),
            line_of(&text, "reservation = -0.25"),
            line_of(&text, "\"agrees\""),
        ]
    );
    assert!(d.to_string().starts_with("test.toml: 4 problems found\n"));
}

//! Every JSON report that has a schema in `schemas/` validates against it, as the command
//! prints it: `concord analyze --json` on every example, with what-ifs, sensitivity draws,
//! branch and bound and a Genius folder.

mod common;

use common::{json, root, shared};

fn validator(file: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(file))
        .unwrap_or_else(|e| panic!("schemas/{file}: {e}"));
    let schema: serde_json::Value = serde_json::from_str(&text).expect("a schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn assert_valid(v: &jsonschema::Validator, args: &[&str]) {
    let (code, report) = json(args);
    assert!(code == 0 || code == 1, "{args:?} exited {code}");
    let errors: Vec<String> = v
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{args:?}: {errors:#?}");
}

#[test]
fn analyze_json_validates_against_its_schema() {
    let v = validator("analysis.schema.json");
    // (examples/minsk-2015.toml is a sequence file, with nothing to analyse.)
    for example in ["examples/kyiv-2026.toml", "examples/water-sharing.toml"] {
        assert_valid(&v, &["analyze", example, "--json"]);
        assert_valid(&v, &["analyze", example, "--json", "--method", "bnb"]);
        assert_valid(&v, &["analyze", example, "--json", "--red-lines", "stated"]);
    }
    assert_valid(
        &v,
        &[
            "analyze",
            "examples/water-sharing.toml",
            "--json",
            "--sensitivity",
            "20",
            "--set-reservation",
            "downstream=0.2",
        ],
    );
    // NegMAS's variants, and a node limit that stops the explanation of an empty zone.
    assert_valid(
        &v,
        &[
            "analyze",
            "examples/water-sharing.toml",
            "--json",
            "--negmas",
        ],
    );
    assert_valid(
        &v,
        &[
            "analyze",
            "examples/kyiv-2026.toml",
            "--json",
            "--method",
            "bnb",
            "--max-nodes",
            "10",
        ],
    );
    if let Some(genius) = shared("genius/anac_y2010_ItexvsCypress") {
        assert_valid(&v, &["analyze", genius.to_str().unwrap(), "--json"]);
        assert_valid(
            &v,
            &["analyze", genius.to_str().unwrap(), "--json", "--negmas"],
        );
    }
    // The schema is not vacuous: a report with a field of the wrong type is refused.
    let (_, mut report) = json(&["analyze", "examples/water-sharing.toml", "--json"]);
    report["zone"]["exists"] = serde_json::json!("yes");
    assert!(!v.is_valid(&report));
}

//! Every JSON report validates against its schema in `schemas/`, as the command prints it:
//! `concord analyze --json` on every example, with what-ifs, sensitivity draws, branch and bound
//! and a Genius folder; and every other command's `--json` on the examples (and on the reports
//! in `../shared`).

mod common;

use common::{example, fixture, json, root, shared};

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

/// Runs a command with `--json` and validates what it prints against the schema its `schema`
/// field names, which must be `expected`.
fn assert_valid_as(expected: &str, args: &[&str]) {
    let (code, report) = json(args);
    assert!(code == 0 || code == 1, "{args:?} exited {code}");
    assert_eq!(report["schema"], expected, "{args:?}");
    let file = concord_report::schemas::schema_file(expected)
        .unwrap_or_else(|| panic!("no schema file for {expected}"));
    let v = validator(file);
    let errors: Vec<String> = v
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{args:?}: {errors:#?}");
}

#[test]
fn every_command_json_validates_against_its_schema() {
    const KYIV: &str = "examples/kyiv-2026.toml";
    const MINSK: &str = "examples/minsk-2015.toml";
    const WATER: &str = "examples/water-sharing.toml";
    let score = "concord.score/1";
    assert_valid_as(score, &["score", KYIV, "--json"]);
    assert_valid_as(score, &["score", KYIV, "--red-lines", "stated", "--json"]);
    assert_valid_as(score, &["score", KYIV, "russia-position", "--json"]);
    assert_valid_as(score, &["score", KYIV, "ukraine-position", "--json"]);
    // The water example with a partial draft on the table (its completions) and an offer.
    let water = fixture(
        "water.toml",
        &(example("water-sharing.toml").replacen(
            "issues = [\"share\"]\n",
            "issues = [\"share\"]\nproposes = { share = 40 }\n",
            1,
        ) + "\n[[proposals]]\nid = \"offer\"\ntitle = \"An offer\"\nby = [\"upstream\"]\npackage = { share = 20, monitor = \"joint\" }\n"),
    );
    let water = water.to_str().unwrap();
    assert_valid_as(score, &["score", water, "--json"]);
    assert_valid_as(score, &["score", water, "offer", "--json"]);
    let improve = "concord.improve/1";
    assert_valid_as(improve, &["improve", water, "--fill", "nash", "--json"]);
    assert_valid_as(improve, &["improve", water, "offer", "--json"]);
    let compare = "concord.compare/1";
    assert_valid_as(
        compare,
        &[
            "compare",
            KYIV,
            "--what-if",
            "reservation:ukraine=0.3",
            "--json",
        ],
    );
    assert_valid_as(
        compare,
        &[
            "compare",
            WATER,
            "--what-if",
            "reservation:downstream=0.2",
            "--json",
        ],
    );
    for file in [KYIV, MINSK] {
        assert_valid_as("concord.sequence/1", &["sequence", file, "--json"]);
        assert_valid_as("concord.lineage/1", &["diff", file, "--json"]);
        assert_valid_as("concord.claims/1", &["evidence", "claims", file, "--json"]);
        assert_valid_as("concord.commitments/1", &["commitments", file, "--json"]);
    }
    assert_valid_as(
        "concord.sources-check/1",
        &["sources", "check", MINSK, "--sources", "examples", "--json"],
    );
    // A feasible plan, with the demand it drops in words.
    assert_valid_as(
        "concord.sequence/1",
        &[
            "sequence",
            KYIV,
            "--drop-demand",
            "russia-withdrawal-before-ceasefire",
            "--json",
        ],
    );
    assert_valid_as(
        "concord.diff/1",
        &[
            "diff", KYIV, "--from", "28-point", "--to", "20-point", "--json",
        ],
    );
    assert_valid_as("concord.diff/1", &["diff", MINSK, KYIV, "--json"]);
    if let Some(reports) = shared("reports") {
        let reports = reports.to_str().unwrap();
        assert_valid_as(
            "concord.extract/1",
            &["evidence", "extract", reports, "--json"],
        );
        assert_valid_as(
            "concord.conflicts/1",
            &["evidence", "conflicts", reports, "--json"],
        );
        assert_valid_as(
            "concord.claims/1",
            &["evidence", "claims", KYIV, "--sources", reports, "--json"],
        );
        assert_valid_as(
            "concord.sources-check/1",
            &["sources", "check", KYIV, "--sources", reports, "--json"],
        );
    }
    // A negotiation: an agreement, a veto of the final text, a deadline, with and without
    // the trace, under each protocol.
    let simulate = "concord.simulate/1";
    for (file, strategy, protocol) in [
        (WATER, "boulware", "sao"),
        (WATER, "boulware", "single-text"),
        (WATER, "hardliner", "sao"),
        (KYIV, "conceder", "sao"),
    ] {
        let args = [
            "simulate",
            file,
            "--default-strategy",
            strategy,
            "--protocol",
            protocol,
            "--json",
        ];
        assert_valid_as(simulate, &args);
        assert_valid_as(simulate, &[&args[..], &["--trace"]].concat());
    }
    assert_valid_as(
        simulate,
        &[
            "simulate",
            WATER,
            "--default-strategy",
            "linear",
            "--protocol",
            "single-text",
            "--mediator",
            "hill-climbing",
            "--trace",
            "--json",
        ],
    );
    // The schemas are not vacuous: a report with a field of the wrong type, or with another
    // report's schema identifier, is refused.
    let (_, mut report) = json(&[
        "simulate",
        WATER,
        "--default-strategy",
        "boulware",
        "--trace",
        "--json",
    ]);
    assert!(validator("simulate.schema.json").is_valid(&report));
    report["trace"][0]["action"] = serde_json::json!("dance");
    assert!(!validator("simulate.schema.json").is_valid(&report));
    let (_, mut report) = json(&["commitments", KYIV, "--json"]);
    assert!(validator("commitments.schema.json").is_valid(&report));
    report["schema"] = serde_json::json!("concord.claims/1");
    assert!(!validator("commitments.schema.json").is_valid(&report));
    let (_, mut report) = json(&["sequence", KYIV, "--json"]);
    report["feasible"] = serde_json::json!("yes");
    assert!(!validator("sequence.schema.json").is_valid(&report));
}

/// The utility space the server serves to the dashboard (`concord_api::space`) validates
/// against `space.schema.json`, and a wrong field type does not.
#[test]
fn the_utility_space_validates_against_its_schema() {
    let text = std::fs::read_to_string(root().join("examples/kyiv-2026.toml")).unwrap();
    let loaded =
        concord_api::load(&concord_api::ScenarioInput::toml("kyiv.toml", text), false).unwrap();
    let report = concord_api::space(
        &loaded,
        &concord_api::SpaceRequest::new("ukraine", "russia"),
        &concord_api::Control::default(),
    )
    .unwrap();
    let mut json = report.json();
    assert!(validator("space.schema.json").is_valid(&json));
    json["cells"][0]["count"] = serde_json::json!("many");
    assert!(!validator("space.schema.json").is_valid(&json));
}

/// `concord audit verify --json` validates against `audit-verify.schema.json`, intact or not,
/// and its text is rendered from the same report.
#[test]
fn the_audit_verification_validates_against_its_schema() {
    use concord_server::audit::{entry_hash, Entry, GENESIS};
    let mut prev = GENESIS.to_string();
    let entries: Vec<Entry> = (1..=3)
        .map(|seq| {
            let detail = format!("p{seq}");
            let hash = entry_hash(
                &prev,
                seq,
                1000 + seq,
                "mediator",
                "proposal.table",
                &detail,
                "",
            );
            let e = Entry {
                room: "r".into(),
                seq,
                at: 1000 + seq,
                actor: "mediator".into(),
                action: "proposal.table".into(),
                detail,
                commitment: String::new(),
                prev: prev.clone(),
                hash: hash.clone(),
            };
            prev = hash;
            e
        })
        .collect();
    let export: String = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    let v = validator("audit-verify.schema.json");
    let intact = fixture("audit-intact.jsonl", &export);
    let intact = intact.to_str().unwrap();
    let (code, report) = json(&["audit", "verify", intact, "--head", &prev, "--json"]);
    assert_eq!(code, 0);
    assert_eq!(report["schema"], "concord.audit-verify/1");
    assert_eq!(
        (report["intact"].clone(), report["entries"].clone()),
        (true.into(), 3.into())
    );
    assert!(v.is_valid(&report), "{report}");
    // Altered, and a head that is not the last hash: exit 1, each finding located.
    let altered = fixture("audit-altered.jsonl", &export.replacen("p2", "p9", 1));
    let (code, report) = json(&[
        "audit",
        "verify",
        altered.to_str().unwrap(),
        "--head",
        GENESIS,
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["intact"], false);
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["hash", "head"], "{report}");
    assert_eq!(report["findings"][1]["line"], serde_json::Value::Null);
    assert!(v.is_valid(&report), "{report}");
    let (_, text, _) = common::run(&["audit", "verify", altered.to_str().unwrap()]);
    assert!(
        text.starts_with(&format!(
            "{}: the audit chain is broken (3 entries read):\n  line 2: its fields do not give its hash",
            altered.display()
        )),
        "{text}"
    );
}

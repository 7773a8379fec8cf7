//! The real `concord` binary: `evidence extract`, `evidence conflicts`, `evidence claims` and
//! `commitments`, on small reports written here, on ../shared/reports when present, on the Kyiv
//! example, and on bad input (exit code 2 with located errors).

mod common;

use common::{example, fixture, json, run, shared, Dir};

/// A fresh folder named after `name` holding `files`.
fn folder(name: &str, files: &[(&str, &str)]) -> Dir {
    let dir = Dir::new(name);
    for (file, text) in files {
        dir.create(file, text);
    }
    dir
}

const A: &str = "Talks in Kyiv\n\nMoscow said Ukrainian drones hit a hotel and cafe in Kherson early on Thursday, killing 28 people; Kyiv denied the claim.\nA woman was killed in a missile strike on Kharkiv late Friday, the regional governor said.\n";
const B: &str = "03 January 2026\n\nRussia said a Ukrainian drone strike on a hotel and cafe in Kherson on Thursday killed 27 people.\nA woman was killed late Sunday in a missile strike on Kharkiv, the governor said.\n- Advertisement -\n";

#[test]
fn extract_and_conflicts_on_small_reports() {
    let dir = folder(
        "small-reports",
        &[("a.txt", A), ("b.txt", B), ("notes.md", "not a report")],
    );
    let d = dir.to_str().unwrap();
    let (code, e) = json(&["evidence", "extract", d, "--json"]);
    assert_eq!(code, 0);
    assert_eq!(
        e["sources"].as_array().unwrap().len(),
        2,
        "only .txt files are reports"
    );
    assert_eq!(e["sources"][1]["published"], "2026-01-03");
    assert_eq!(e["sources"][1]["furniture_removed"][0], "- Advertisement -");
    let first = &e["claims"][0];
    assert_eq!(first["speakers"][0]["actor"], "russia");
    assert_eq!(first["status"][0]["mark"], "denied");
    assert_eq!(first["status"][0]["by"][0], "ukraine");
    // "late Sunday" in a report of Saturday 3 January 2026 is 28 December.
    let sunday = e["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["sentence"].as_str().unwrap().contains("Sunday"))
        .unwrap();
    assert_eq!(sunday["dates"][0]["normalised"], "2025-12-28");

    let (code, c) = json(&["evidence", "conflicts", d, "--json"]);
    assert_eq!(code, 0);
    let kinds: Vec<&str> = c["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["number", "date"], "{c:#}");
    assert_eq!(c["conflicts"][0]["sides"][0]["value"], "28 person killed");
    assert_eq!(c["conflicts"][0]["sides"][1]["value"], "27 person killed");
    assert!(c["conflicts"][0]["sides"][0]["sentence"]
        .as_str()
        .unwrap()
        .starts_with("Moscow said"));

    let (code, text, _) = run(&["evidence", "conflicts", d]);
    assert_eq!(code, 0);
    assert!(text.contains("[number] number of person"), "{text}");
}

#[test]
fn aliases_and_publication_dates_from_options() {
    let dir = folder(
        "alias-reports",
        &[("a.txt", "Umerov said the talks would resume late Friday.\n")],
    );
    let aliases = dir.create("aliases.toml", "[actors]\nukraine = [\"Umerov\"]\n");
    let (code, e) = json(&[
        "evidence",
        "extract",
        dir.to_str().unwrap(),
        "--json",
        "--aliases",
        aliases.to_str().unwrap(),
        "--published",
        "a.txt=2026-01-03",
    ]);
    assert_eq!(code, 0);
    assert_eq!(e["claims"][0]["speakers"][0]["actor"], "ukraine");
    assert_eq!(e["sources"][0]["published_from"], "metadata");
}

#[test]
fn bad_input_exits_2_with_located_errors() {
    let (code, _, err) = run(&["evidence", "extract", "no/such/folder"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");

    let empty = folder("no-reports", &[("x.md", "x")]);
    let (code, _, err) = run(&["evidence", "conflicts", empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no .txt reports"), "{err}");

    // A report given instead of its folder.
    let one = folder("one-report", &[("a.txt", A)]);
    let report = one.join("a.txt");
    let (code, _, err) = run(&["evidence", "extract", report.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a.txt is a file, not a folder: the reports folder is a folder that holds plain-text reports (*.txt)"),
        "{err}"
    );

    let dir = folder("bad-aliases", &[("a.txt", A)]);
    let aliases = dir.create("aliases.toml", "[actors]\nukraine = \"Kyiv\"\n");
    let (code, _, err) = run(&[
        "evidence",
        "extract",
        dir.to_str().unwrap(),
        "--aliases",
        aliases.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "aliases.toml:2:11: `actors.ukraine`: found the string \"Kyiv\", expected an array"
        ),
        "{err}"
    );

    let (code, _, err) = run(&[
        "evidence",
        "extract",
        dir.to_str().unwrap(),
        "--published",
        "a.txt=yesterday",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a date"), "{err}");

    let latin1 = Dir::new("latin1");
    latin1.create("r.txt", b"caf\xe9 talks");
    let (code, _, err) = run(&["evidence", "extract", latin1.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8"), "{err}");

    let example = example("water-sharing.toml");
    let bad = fixture("bad.toml", &format!("{example}\n[[commitments]]\nid = \"p\"\nkind = \"pledge\"\nwhat = \"money\"\ndescription = \"d\"\nstatus = \"sure\"\n"));
    let (code, _, err) = run(&["commitments", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`commitments[0].status`: found \"sure\""),
        "{err}"
    );
    assert!(err.contains("bad.toml:"), "{err}");
}

#[test]
fn a_scenario_without_evidence_tables() {
    let (code, out, _) = run(&["commitments", "examples/water-sharing.toml"]);
    assert_eq!(code, 0);
    assert!(out.contains("No [[commitments]]"), "{out}");
    let (code, v) = json(&[
        "evidence",
        "claims",
        "examples/water-sharing.toml",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["claims"], serde_json::json!([]));
}

#[test]
fn commitments_of_the_kyiv_example() {
    // Exit 1: the tripwire trigger has no firm pledge behind it.
    let (code, v) = json(&["commitments", "examples/kyiv-2026.toml", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(
        v["uncovered_triggers"],
        serde_json::json!(["russia-violates"])
    );
    let layers: Vec<&str> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        layers,
        [
            "first-line",
            "european-force",
            "us-backstop",
            "tripwire",
            "economic"
        ]
    );
    // The $800bn is Kyiv's announcement of unnamed partners' agreement: not firm, no total.
    let economic = &v["layers"][4];
    assert_eq!(economic["totals"], serde_json::json!([]));
    assert_eq!(economic["not_firm"][0], "economic-package");
    let (code, text, _) = run(&["commitments", "examples/kyiv-2026.toml"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("UNCOVERED: Russia violates the agreement"),
        "{text}"
    );
    let (code, claims) = json(&["evidence", "claims", "examples/kyiv-2026.toml", "--json"]);
    assert_eq!(code, 0);
    let gains = claims["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "russian-gains-2025")
        .unwrap();
    assert_eq!(
        gains["independent_sources"], 1,
        "three reports relay one AFP analysis"
    );
}

#[test]
fn the_five_reports() {
    if shared("reports").is_none() {
        return;
    }
    let (code, v) = json(&[
        "evidence",
        "conflicts",
        "../shared/reports",
        "--json",
        "--scenario",
        "examples/kyiv-2026.toml",
        "--published",
        "miami-security-framework.txt=2025-12",
    ]);
    assert_eq!(code, 0);
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 5);
    let miami = sources
        .iter()
        .find(|s| s["id"] == "miami-security-framework")
        .unwrap();
    // The scenario marks the Miami report as a translation; without it, the text itself shows
    // the French names.
    assert_eq!(miami["translated"], true);
    let (code, bare) = json(&["evidence", "conflicts", "../shared/reports", "--json"]);
    assert_eq!(code, 0);
    let hint = bare["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "miami-security-framework")
        .unwrap();
    assert_eq!(hint["translation_hint"]["language"], "fr");
    let order = v["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "order")
        .unwrap();
    assert_eq!(order["sides"][0]["value"], "19-point agenda (2025-12)");
    assert_eq!(order["sides"][1]["value"], "20-point plan (2026-01-03)");
}

#[test]
fn ctrl_c_stops_extraction_and_conflicts_cleanly() {
    // Issue 16: the evidence commands did not poll the stop flag; Ctrl-C ended them only by the
    // handler's forced exit a second later. Sixty copies of the five reports (300 reports,
    // 840 KB) take seconds: every two reports are compared for copies and rewrites.
    let Some(reports) = shared("reports") else {
        return;
    };
    let dir = Dir::new("interrupted-evidence");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&reports).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            texts.push(std::fs::read_to_string(&path).unwrap());
        }
    }
    assert!(!texts.is_empty());
    for copy in 0..60 {
        for (k, text) in texts.iter().enumerate() {
            dir.create(&format!("r{copy}-{k}.txt"), text);
        }
    }
    for command in ["extract", "conflicts"] {
        let (code, took, _, stderr) = common::interrupt(
            &[
                "evidence",
                command,
                dir.to_str().unwrap(),
                "--max-report-bytes",
                "100000000",
            ],
            std::time::Duration::from_millis(1500),
        );
        assert_eq!(code, Some(130), "{command}: {stderr}");
        assert!(
            stderr.contains("cancelled before the answer was complete"),
            "{command}: {stderr}"
        );
        assert!(
            took < std::time::Duration::from_millis(900),
            "{command}: ended {took:?} after Ctrl-C"
        );
    }
}

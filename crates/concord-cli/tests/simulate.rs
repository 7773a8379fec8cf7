//! The real `concord simulate` and `concord tournament` on the examples and on bad input.

mod common;

use std::path::Path;

use common::{json, root, run, run_80, Dir};
use serde_json::Value;

const WATER: &str = "examples/water-sharing.toml";

#[test]
fn boulware_against_conceder_agrees_on_a_frontier_package() {
    let args = [
        "simulate",
        WATER,
        "--strategy",
        "upstream=boulware",
        "--strategy",
        "downstream=conceder",
        "--rounds",
        "20",
        "--json",
        "--trace",
    ];
    let (code, report) = json(&args);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["schema"], "concord.simulate/1");
    assert_eq!(report["agreement"], true);
    assert_eq!(report["end"], "agreement");
    assert_eq!(report["package"]["share"], "20");
    assert_eq!(report["package"]["monitor"], "province");
    assert_eq!(report["rounds"], 17);
    let parties = report["parties"].as_array().unwrap();
    assert!((parties[0]["utility"].as_f64().unwrap() - 0.76).abs() < 1e-9);
    assert!((parties[1]["utility"].as_f64().unwrap() - 0.4).abs() < 1e-9);
    assert!(report["distances"]["pareto"].as_f64().unwrap().abs() < 1e-9);
    assert!(report["distances"]["nash"].as_f64().unwrap() > 0.0);
    let trace = report["trace"].as_array().unwrap();
    assert_eq!(trace.last().unwrap()["action"], "accept");
    assert_eq!(trace.last().unwrap()["party"], "upstream");
    // The same seed gives the same report (but for the timing).
    let (_, mut again) = json(&args);
    let mut first = report.clone();
    first["elapsed_seconds"] = Value::Null;
    again["elapsed_seconds"] = Value::Null;
    assert_eq!(first, again);
}

#[test]
fn hardliners_without_a_common_best_package_exit_1() {
    let (code, stdout, _) = run(&[
        "simulate",
        WATER,
        "--default-strategy",
        "hardliner",
        "--rounds",
        "30",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("No agreement after 30 of 30 rounds: the deadline passed."),
        "{stdout}"
    );
    assert!(stdout.contains("to the Nash point"), "{stdout}");
}

#[test]
fn single_text_runs_and_reports_the_final_vote() {
    let (code, report) = json(&[
        "simulate",
        WATER,
        "--protocol",
        "single-text",
        "--mediator",
        "hill-climbing",
        "--default-strategy",
        "linear",
        "--rounds",
        "50",
        "--seed",
        "3",
        "--json",
        "--trace",
    ]);
    assert!(code == 0 || code == 1, "{report}");
    assert_eq!(report["protocol"], "single-text/hill-climbing");
    let trace = report["trace"].as_array().unwrap();
    assert_eq!(
        trace.iter().filter(|e| e["action"] == "candidate").count(),
        50
    );
    assert_eq!(trace.iter().filter(|e| e["action"] == "ratify").count(), 2);
    assert_eq!(report["agreement"] == true, code == 0);
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["simulate", WATER, "--strategy", "nobody=linear"],
            "unknown party `nobody`",
        ),
        (
            &[
                "simulate",
                WATER,
                "--strategy",
                "upstream=greedy",
                "--default-strategy",
                "linear",
            ],
            "unknown strategy `greedy`",
        ),
        (
            &["simulate", WATER, "--strategy", "upstream=linear"],
            "no strategy for `downstream`",
        ),
        (
            &[
                "simulate",
                WATER,
                "--strategy",
                "province=linear",
                "--default-strategy",
                "linear",
            ],
            "its consent is not needed",
        ),
        (
            &["simulate", WATER, "--default-strategy", "time:-2"],
            "the exponent must be positive",
        ),
        (
            &[
                "simulate",
                WATER,
                "--default-strategy",
                "linear",
                "--rounds",
                "0",
            ],
            "--rounds \"0\": out of range; expected a number of rounds from 1 to 1000000",
        ),
    ];
    for (args, message) in cases {
        let (code, _, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = run(&[
        "simulate",
        "no-such-file.toml",
        "--default-strategy",
        "linear",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read scenario file"), "{stderr}");
}

#[test]
fn tournaments_write_rows_and_summaries_deterministically() {
    let outputs: Vec<(String, String)> = ["1", "2"]
        .iter()
        .map(|threads| {
            let dir = Dir::new("tournament");
            let (code, stdout, stderr) = run(&[
                "tournament",
                "--scenarios",
                WATER,
                "--strategies",
                "boulware,conceder,random,tit-for-tat",
                "--rounds",
                "40",
                "--repetitions",
                "3",
                "--seed",
                "9",
                "--threads",
                threads,
                "--out",
                dir.to_str().unwrap(),
            ]);
            assert_eq!(code, 0, "{stdout}{stderr}");
            assert!(stdout.contains("48 negotiations"), "{stdout}");
            let rows = std::fs::read_to_string(dir.join("negotiations.csv")).unwrap();
            let summary = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
            (rows, summary)
        })
        .collect();
    assert_eq!(
        outputs[0], outputs[1],
        "the thread count changed the results"
    );
    let (rows, summary) = &outputs[0];
    // A header and 4 × 4 assignments × 3 repetitions.
    assert_eq!(rows.lines().count(), 1 + 48);
    assert!(
        rows.starts_with("scenario,repetition,agreement,rounds,package,"),
        "{rows}"
    );
    assert!(
        rows.lines().nth(1).unwrap().starts_with("water-sharing,0,"),
        "{rows}"
    );
    assert_eq!(summary.lines().count(), 1 + 4);
    let boulware = summary
        .lines()
        .find(|l| l.starts_with("boulware,"))
        .unwrap();
    // Seats: 2 in self-play, 1 in each of 6 mixed assignments, times 3.
    assert!(boulware.starts_with("boulware,24,"), "{summary}");
}

#[test]
fn tournament_bad_input_exits_2() {
    let dir = Dir::new("bad-tournament");
    let (code, _, stderr) = run(&[
        "tournament",
        "--scenarios",
        WATER,
        "--strategies",
        "boulware,nope",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown strategy `nope`"), "{stderr}");
    let (code, _, stderr) = run(&[
        "tournament",
        "--scenarios",
        WATER,
        "--strategies",
        "boulware",
        "--repetitions",
        "0",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--repetitions \"0\": no negotiation to run; expected at least 1"),
        "{stderr}"
    );
}

/// Splits CSV text (RFC 4180 quoting, no line breaks inside fields) into rows of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let mut cells = vec![String::new()];
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        chars.next();
                        cells.last_mut().unwrap().push('"');
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => cells.push(String::new()),
                    (c, _) => cells.last_mut().unwrap().push(c),
                }
            }
            cells
        })
        .collect()
}

/// A Parquet file as read back: the column names, each column's (physical type, nullable), and
/// the rows as CSV would print their cells.
struct ParquetFile {
    names: Vec<String>,
    types: Vec<(String, bool)>,
    rows: Vec<Vec<String>>,
}

/// Reads a Parquet file with the parquet crate's own reader.
fn read_parquet(path: &Path) -> ParquetFile {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let names = schema
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let types = schema
        .columns()
        .iter()
        .map(|c| (c.physical_type().to_string(), c.self_type().is_optional()))
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => String::new(),
                    Field::Str(s) => s.clone(),
                    Field::Long(x) => x.to_string(),
                    Field::Bool(b) => b.to_string(),
                    Field::Double(x) => x.to_string(),
                    other => panic!("a type the tournament does not write: {other:?}"),
                })
                .collect()
        })
        .collect();
    ParquetFile { names, types, rows }
}

#[test]
fn parquet_files_hold_the_csv_rows_with_typed_columns() {
    let dir = Dir::new("parquet");
    let (code, stdout, stderr) = run(&[
        "tournament",
        "--scenarios",
        WATER,
        "examples/kyiv-2026.toml",
        "--strategies",
        "boulware,hardliner,random",
        "--rounds",
        "30",
        "--repetitions",
        "2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("negotiations.parquet"), "{stdout}");
    for name in ["negotiations", "summary"] {
        let csv = parse_csv(&std::fs::read_to_string(dir.join(format!("{name}.csv"))).unwrap());
        let ParquetFile { names, types, rows } = read_parquet(&dir.join(format!("{name}.parquet")));
        assert_eq!(names, csv[0], "{name}: header");
        assert_eq!(rows, csv[1..], "{name}: rows");
        assert!(rows.len() > 1, "{name}: {rows:?}");
        let type_of = |column: &str| types[names.iter().position(|n| n == column).unwrap()].clone();
        if name == "negotiations" {
            assert_eq!(type_of("scenario"), ("BYTE_ARRAY".into(), false));
            assert_eq!(type_of("repetition"), ("INT64".into(), false));
            assert_eq!(type_of("agreement"), ("BOOLEAN".into(), false));
            assert_eq!(type_of("rounds"), ("INT64".into(), false));
            assert_eq!(type_of("package"), ("BYTE_ARRAY".into(), true));
            assert_eq!(type_of("welfare"), ("DOUBLE".into(), false));
            assert_eq!(type_of("distance_nash"), ("DOUBLE".into(), true));
            assert_eq!(type_of("utility_1"), ("DOUBLE".into(), true));
        } else {
            assert_eq!(type_of("seats"), ("INT64".into(), false));
            assert_eq!(type_of("mean_distance_pareto"), ("DOUBLE".into(), true));
        }
    }
}

/// Writes a config file `tournament.toml` in a fresh folder, with a copy of the water-sharing
/// scenario at `scenarios/water.toml` beside it; returns the folder.
fn config_folder(config: &str) -> Dir {
    let dir = Dir::new("config");
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::copy(root().join(WATER), dir.join("scenarios/water.toml")).unwrap();
    dir.create("tournament.toml", config);
    dir
}

#[test]
fn a_config_file_runs_like_the_flags_and_flags_override_it() {
    let dir = config_folder(
        r#"# Paths are relative to this file's folder.
scenarios = ["scenarios/water.toml"]
strategies = ["boulware", "conceder/const:0.9", "random"]
rounds = 40
repetitions = 3
seed = 9
threads = 1
out = "results"
"#,
    );
    let config = dir.join("tournament.toml");
    // Run from the workspace root: the scenario and `out` resolve against the config's folder.
    let (code, stdout, stderr) = run(&["tournament", "--config", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("27 negotiations"), "{stdout}");
    let from_config = std::fs::read_to_string(dir.join("results/negotiations.csv")).unwrap();

    let flags_out = dir.join("flags");
    let (code, stdout, stderr) = run(&[
        "tournament",
        "--scenarios",
        WATER,
        "--strategies",
        "boulware,conceder/const:0.9,random",
        "--rounds",
        "40",
        "--repetitions",
        "3",
        "--seed",
        "9",
        "--out",
        flags_out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let from_flags = std::fs::read_to_string(flags_out.join("negotiations.csv")).unwrap();
    // Same rows up to the scenario's name (the file stem: `water` against `water-sharing`).
    assert_eq!(
        from_config.replace("\nwater,", "\nwater-sharing,"),
        from_flags
    );

    // Flags override the file: another seed and fewer repetitions, another folder.
    let over = dir.join("over");
    let (code, stdout, stderr) = run(&[
        "tournament",
        "--config",
        config.to_str().unwrap(),
        "--repetitions",
        "1",
        "--strategies",
        "hardliner",
        "--out",
        over.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 negotiation ("), "{stdout}");
    assert!(over.join("summary.parquet").exists());
}

/// The error text of a bad config, with the temporary folder's path replaced by `DIR`.
fn config_error(config: &str) -> String {
    let dir = config_folder(config);
    let path = dir.join("tournament.toml");
    let (code, stdout, stderr) = run(&["tournament", "--config", path.to_str().unwrap()]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    stderr.replace(dir.to_str().unwrap(), "DIR")
}

#[test]
fn bad_configs_get_located_errors() {
    insta::assert_snapshot!(
        "config_every_problem_at_once",
        config_error(
            r#"scenarios = ["scenarios/water.toml", "missing.toml", 3]
strategies = ["boulware", "bolware", "time:-1"]
rounds = 0
repetitions = "many"
seed = -1
protocol = "sao"
mediator = "veto"
discount = "sometimes"
time_limit = 0
colour = "blue"
"#
        )
    );
    insta::assert_snapshot!(
        "config_not_toml",
        config_error("scenarios = [\"scenarios/water.toml\"\nstrategies = []\n")
    );
    insta::assert_snapshot!(
        "config_empty_lists",
        config_error("scenarios = []\nstrategies = []\nout = \"\"\n")
    );
    insta::assert_snapshot!("config_missing_settings", config_error("rounds = 10\n"));
}

#[test]
fn the_example_tournament_config_runs() {
    let out = Dir::new("example-config");
    let (code, stdout, stderr) = run(&[
        "tournament",
        "--config",
        "examples/tournament.toml",
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // 5 strategies on 2 seats: 25 assignments, 20 repetitions each.
    assert!(stdout.starts_with("500 negotiations"), "{stdout}");
    let rows = std::fs::read_to_string(out.join("negotiations.csv")).expect("CSV written");
    assert_eq!(
        rows.lines().count(),
        501,
        "a header and one row per negotiation"
    );
    assert!(out.join("negotiations.parquet").is_file());
}

/// The command is the application layer's tournament written to files: the same tables, byte
/// for byte.
#[test]
fn a_tournament_through_the_api_equals_the_commands() {
    let dir = Dir::new("api-tournament");
    // At 80 columns, the width the report's text has here by default.
    let (code, stdout, stderr) = run_80(&[
        "tournament",
        "--scenarios",
        WATER,
        "--strategies",
        "boulware,conceder/const:0.9,random",
        "--rounds",
        "40",
        "--repetitions",
        "2",
        "--seed",
        "5",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let text = std::fs::read_to_string(root().join(WATER)).unwrap();
    let request = concord_api::TournamentRequest {
        strategies: vec![
            "boulware".into(),
            "conceder/const:0.9".into(),
            "random".into(),
        ],
        repetitions: 2,
        seed: 5,
        settings: concord_api::SimSettings {
            rounds: 40,
            ..concord_api::SimSettings::DEFAULT
        },
        ..concord_api::TournamentRequest::DEFAULT
    };
    let report = concord_api::tournament(
        &[concord_api::ScenarioInput::toml(WATER, text)],
        &request,
        &concord_api::Control::default(),
    )
    .unwrap();
    for (name, table) in report.tables() {
        let written = std::fs::read(dir.join(format!("{name}.csv"))).unwrap();
        assert_eq!(table.to_csv().into_bytes(), written, "{name}.csv");
        let written = std::fs::read(dir.join(format!("{name}.parquet"))).unwrap();
        assert_eq!(table.to_parquet(name).unwrap(), written, "{name}.parquet");
    }
    // The headline and the summary are the report's text (only the timing differs).
    let head = |t: &str| t.lines().next().unwrap().to_string();
    assert_eq!(head(&stdout), head(&report.text()));
    let summary = |t: &str| t.split("\n\n").nth(1).unwrap().trim_end().to_string();
    assert_eq!(summary(&stdout), summary(&report.text()));
}

/// The simulation's text fits 80 columns in a pipe with its columns aligned: the parties'
/// results as a drawn table, the trace's columns as wide as their longest entry (they were
/// fixed at 22 characters, and lines past the width were rewrapped with their padding lost).
#[test]
fn the_simulation_text_fits_80_columns_with_its_columns_aligned() {
    for protocol in ["sao", "single-text"] {
        let (code, text, stderr) = run_80(&[
            "simulate",
            "examples/water-sharing.toml",
            "--default-strategy",
            "boulware",
            "--protocol",
            protocol,
            "--trace",
        ]);
        assert!(code == 0 || code == 1, "{stderr}");
        let wide: Vec<&str> = text.lines().filter(|l| l.chars().count() > 80).collect();
        assert!(wide.is_empty(), "{protocol}: {wide:#?}");
        for party in ["upstream", "downstream"] {
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&format!("│ {party} ")) && l.contains("┆ boulware")),
                "{protocol}: {text}"
            );
        }
        // Every trace line has its action under the header's `action`.
        let header = text.lines().find(|l| l.starts_with("round")).unwrap();
        let column = header.find("action").unwrap();
        let actions: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("round"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .map(|l| l[column..].split("  ").next().unwrap().trim())
            .collect();
        assert!(!actions.is_empty(), "{text}");
        for action in &actions {
            assert!(
                ["offer", "accept", "moved to", "signs", "vetoes"].contains(action)
                    || action.starts_with("vetoed ×"),
                "{protocol}: {action:?} is not under `action`:\n{text}"
            );
        }
    }
}

/// A tournament's summary fits 80 columns, as a drawn table or, when it cannot fit, a list of
/// strategies; the timing sits on a line of its own (it was wrapped as "0.000" and " s").
#[test]
fn the_tournament_summary_fits_80_columns() {
    let dir = Dir::new("tournament-80");
    let (code, text, stderr) = run_80(&[
        "tournament",
        "--scenarios",
        "examples/water-sharing.toml",
        "--strategies",
        "boulware,linear,conceder",
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // Past the width only a path, which is one word (and never split).
    let wide: Vec<&str> = text
        .lines()
        .filter(|l| l.chars().count() > 80 && l.trim().contains(' '))
        .collect();
    assert!(wide.is_empty(), "{wide:#?}");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("9 negotiations (1 scenario × 9 strategy assignments × 1 repetition)")
    );
    let took = lines.next().unwrap();
    assert!(
        took.starts_with("Took ") && took.ends_with(" a negotiation."),
        "{took}"
    );
    for strategy in ["boulware", "linear", "conceder"] {
        assert!(
            text.lines().any(|l| l == format!("- strategy {strategy}")
                || l.starts_with(&format!("│ {strategy} "))),
            "{strategy}: {text}"
        );
    }
}

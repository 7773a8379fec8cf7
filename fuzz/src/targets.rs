//! The body of every fuzz target, one function per reader, over raw bytes.
//!
//! This one file is compiled twice: by each cargo-fuzz target (`fuzz/fuzz_targets/*.rs`) and by
//! the ordinary test `crates/concord-report/tests/fuzz_regressions.rs`, which feeds every input
//! kept in `fuzz/regressions/<target>/` through the same function. A target passes an input when
//! it returns: the reader answered `Ok` or a located error. A panic, an abort, a stack overflow
//! or a run past libFuzzer's `-timeout` is a finding.
//!
//! Readers take text: the command line refuses bytes that are not UTF-8 (with their position)
//! before any reader sees them, so such inputs are skipped here.

#![allow(dead_code)]

use concord_core::analysis::{analyze, AnalysisConfig, MethodChoice, RedLineSelection};
use concord_io::genius::{read_genius, NamedText, Normalization};
use concord_io::load::read_scenario_file;
use concord_io::scenario::ReadOptions;
use concord_io::tournament::{read_tournament_config, TournamentChecks};
use concord_io::FormatError;

/// Splits an input into the files of a folder: files are separated by a NUL byte, which no
/// reader accepts inside a text anyway.
fn split_files(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == 0).collect()
}

/// A reader's error must render: its message is what reaches the user, and building it (line
/// excerpts, columns) is code the happy path never runs.
fn render(e: &FormatError) {
    let text = e.to_string();
    assert!(!text.is_empty(), "an error without a message");
    if let FormatError::Invalid(d) = e {
        assert!(
            !d.items.is_empty(),
            "an invalid file with no problem listed"
        );
        for item in &d.items {
            assert!(
                item.line >= 1 && item.column >= 1,
                "a problem at line or column 0"
            );
        }
    }
}

/// The scenario TOML reader every command uses (`read_scenario_file`: scenario, claims register,
/// commitments, sequencing tables), with and without weight normalisation.
pub fn scenario_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for normalize_weights in [false, true] {
        let options = ReadOptions { normalize_weights };
        if let Err(e) = read_scenario_file(text, "fuzz.toml", &options) {
            render(&e);
        }
    }
}

/// The tournament config reader (`concord tournament --config`), with the command's strategy
/// check; every path is taken to exist. What it accepts must be usable as the command uses it.
pub fn tournament_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let strategy = |s: &str| {
        concord_sim::strategy::StrategySpec::parse(s)
            .map(|_| ())
            .map_err(|e| format!("a valid strategy ({e})"))
    };
    let scenario = |_: &str| Ok(());
    let checks = TournamentChecks {
        strategy: &strategy,
        scenario: &scenario,
    };
    match read_tournament_config(text, "fuzz.toml", &checks) {
        Err(e) => render(&e),
        Ok(file) => {
            use concord_sim::protocol::{MAX_ROUNDS, MAX_THREADS};
            if let Some(t) = file.time_limit {
                assert!(
                    std::time::Duration::try_from_secs_f64(t).is_ok(),
                    "accepted time_limit {t} is no duration"
                );
            }
            assert!(file.rounds.is_none_or(|r| (1..=MAX_ROUNDS).contains(&r)));
            assert!(file.threads.is_none_or(|t| (1..=MAX_THREADS).contains(&t)));
            // Protocol, mediator, discount and normalization are typed: only named values
            // can be read.
        }
    }
}

/// A Genius or GeniusWeb folder: the input's NUL-separated parts are its files, each named with
/// `extension`; the reader tells domain from profiles by content.
fn genius_folder(data: &[u8], extension: &str) {
    let mut files = Vec::new();
    for (k, part) in split_files(data).into_iter().enumerate() {
        let Ok(text) = std::str::from_utf8(part) else {
            return;
        };
        files.push(NamedText {
            name: format!("f{k}.{extension}"),
            text: text.to_string(),
        });
    }
    for normalization in [Normalization::Genius, Normalization::Raw] {
        if let Err(e) = read_genius(&files, normalization) {
            render(&e);
        }
    }
}

/// Genius XML: a domain (`negotiation_template`) and `utility_space` profiles.
pub fn genius_xml(data: &[u8]) {
    genius_folder(data, "xml");
}

/// GeniusWeb JSON: a domain (`issuesValues`) and `LinearAdditiveUtilitySpace` profiles.
pub fn geniusweb_json(data: &[u8]) {
    genius_folder(data, "json");
}

/// Report texts (`concord evidence extract` and `evidence conflicts`): the NUL-separated parts
/// are the reports of one folder; claims, speakers, figures and dates are extracted, conflicts
/// between the reports found, and both rendered as text and JSON.
pub fn reports(data: &[u8]) {
    use concord_evidence::conflicts::{analyse, ConflictConfig};
    use concord_evidence::extract::{extract, ExtractConfig, Report, SourceMeta};
    let mut texts = Vec::new();
    for part in split_files(data) {
        let Ok(text) = std::str::from_utf8(part) else {
            return;
        };
        texts.push(text);
    }
    let reports: Vec<Report<'_>> = texts
        .iter()
        .enumerate()
        .map(|(k, &text)| Report {
            id: format!("r{k}"),
            file: format!("r{k}.txt"),
            text,
            meta: SourceMeta::default(),
        })
        .collect();
    let config = ExtractConfig::default();
    let extraction = extract(&reports, &config);
    let _ = concord_report::evidence::extract_text(&extraction);
    let _ = concord_report::evidence::extract_json(&extraction);
    let analysis = analyse(&extraction, &config.aliases, &ConflictConfig::default());
    let _ = concord_report::evidence::conflicts_text(&extraction, &analysis);
    let _ = concord_report::evidence::conflicts_json(&extraction, &analysis);
}

/// The largest outcome space the analysis target analyses: larger spaces are skipped, so that
/// every run stays far inside libFuzzer's timeout (the budgets below bound the rest).
pub const ANALYSIS_MAX_SPACE: u128 = 4096;

/// The analysis of any scenario the reader accepts (`concord analyze FILE`), with small budgets,
/// then its text and JSON reports. The first byte picks the method, the arithmetic, the red
/// lines applied and the number of ties listed; the rest is the scenario file.
pub fn analysis(data: &[u8]) {
    let Some((&knobs, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let options = ReadOptions {
        normalize_weights: knobs & 0x80 != 0,
    };
    let Ok(file) = read_scenario_file(text, "fuzz.toml", &options) else {
        return;
    };
    let scenario = file.scenario();
    if scenario.issues.is_empty() {
        // A sequence file: the command refuses it before analysing.
        return;
    }
    let counts = scenario.option_counts();
    if concord_core::engine::space_size(&counts).is_none_or(|s| s > ANALYSIS_MAX_SPACE) {
        return;
    }
    let config = AnalysisConfig {
        method: match knobs & 3 {
            0 => MethodChoice::Auto,
            1 => MethodChoice::Enumeration,
            2 => MethodChoice::Merge,
            _ => MethodChoice::BranchAndBound,
        },
        enumeration_limit: 1024,
        count_limit: ANALYSIS_MAX_SPACE,
        max_outcomes: ANALYSIS_MAX_SPACE,
        max_partial_sums: 4096,
        max_nodes: 20_000,
        package_limit: usize::from((knobs >> 2) & 3),
        red_lines: match (knobs >> 4) & 3 {
            0 | 3 => RedLineSelection::All,
            1 => RedLineSelection::Cited,
            _ => RedLineSelection::Stated,
        },
        exact_decimals: knobs & 0x40 != 0,
        ..AnalysisConfig::default()
    };
    match analyze(scenario, &config) {
        Ok(analysis) => {
            let _ = concord_report::analysis_text::analysis_model_text(
                &concord_report::analysis_report::AnalysisReport::new(scenario, &analysis, None),
                &concord_report::text::TextOptions { frontier: true },
            );
            let _ = concord_report::json::analysis_report(scenario, &analysis, None);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target by name, for the regression test.
pub const TARGETS: &[(&str, Target)] = &[
    ("scenario_toml", scenario_toml),
    ("tournament_config", tournament_config),
    ("genius_xml", genius_xml),
    ("geniusweb_json", geniusweb_json),
    ("reports", reports),
    ("analysis", analysis),
];

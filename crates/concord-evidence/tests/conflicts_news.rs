//! Measured precision and recall of `concord evidence conflicts` on the twenty-four sets of real news
//! reports, against the conflicts a reader finds (`tests/news-conflicts.toml`). Fails when
//! either falls below the level recorded in docs/evidence.md.
//!
//! Run: `cargo test -p concord-evidence --test conflicts_news -- --nocapture`.

use std::path::{Path, PathBuf};

use concord_evidence::conflicts::{analyse, ConflictConfig};
use concord_evidence::extract::{extract, ExtractConfig, Report, SourceMeta};

/// (set, precision floor, recall floor, most conflicts a reader does not find), measured, the
/// rates truncated to two decimals. The count keeps a set whose precision is 0 able to fail.
const FLOORS: &[(&str, f64, f64, usize)] = &[
    ("news-dev", 1.0, 0.75, 0),
    ("news-heldout", 1.0, 1.0, 0),
    ("news-dev2", 0.4, 1.0, 3),
    ("news-heldout2", 0.5, 0.33, 3),
    ("news-heldout3", 1.0, 0.66, 0),
    ("news-heldout4", 1.0, 1.0, 0),
    ("news-heldout5", 1.0, 0.5, 0),
    // One wrong fewer since "15 missing" is no wounded count (2026-12-07, night).
    ("news-heldout6", 0.83, 0.83, 1),
    ("news-heldout7", 0.33, 0.23, 6),
    ("news-heldout8", 0.8, 0.44, 1),
    ("news-heldout9", 1.0, 0.7, 0),
    // One wrong fewer and one more found since one strike of several is a part of the toll
    // (2026-12-07, night); then one right conflict fewer, a second report of a pair already
    // found (the speaker nouns of that night change the clauses' words).
    ("news-heldout10", 0.91, 0.69, 1),
    ("news-heldout11", 0.75, 0.42, 1),
    // One wrong fewer since the two sides of an exchange are two counts (2026-12-07, night).
    ("news-heldout12", 0.76, 0.43, 3),
    ("news-heldout13", 0.66, 0.46, 3),
    ("news-heldout14", 1.0, 0.75, 0),
    ("news-heldout15", 0.44, 0.44, 5),
    ("news-heldout16", 0.4, 0.27, 6),
    // One more right and one more wrong since a part "of them" said to be children counts
    // children (2026-12-07, afternoon).
    ("news-heldout17", 0.7, 0.62, 3),
    ("news-heldout18", 0.71, 0.75, 2),
    ("news-heldout19", 0.5, 0.28, 2),
    ("news-heldout20", 0.8, 0.33, 1),
    ("news-heldout21", 0.5, 0.33, 4),
    // Four fewer reported, one of them right, since a named district of a place counts the
    // district's dead (2026-12-07, late; a rule written on news-dev2, seen here after).
    ("news-heldout22", 0.33, 0.28, 6),
    ("news-heldout23", 0.2, 0.14, 4),
    ("news-heldout24", 0.42, 0.3, 4),
];

/// The sets whose conflicts' errors are not printed, to keep them out of the rule-writing loop.
const HELD_OUT: &[&str] = &[
    "news-heldout3",
    "news-heldout7",
    "news-heldout8",
    "news-heldout15",
    "news-heldout16",
    "news-heldout17",
    "news-heldout18",
    "news-heldout19",
    "news-heldout20",
    "news-heldout21",
    "news-heldout22",
    "news-heldout23",
    "news-heldout24",
];

struct Expected {
    set: String,
    kind: String,
    values: Vec<String>,
}

fn expected() -> Vec<Expected> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-conflicts.toml");
    let doc: toml_edit::DocumentMut = std::fs::read_to_string(path)
        .expect("the list exists")
        .parse()
        .expect("TOML");
    doc["conflict"]
        .as_array_of_tables()
        .expect("[[conflict]]")
        .iter()
        .map(|t| Expected {
            set: t["set"].as_str().expect("set").to_string(),
            kind: t["kind"].as_str().expect("kind").to_string(),
            values: t["values"]
                .as_array()
                .expect("values")
                .iter()
                .map(|v| v.as_str().expect("a string").to_string())
                .collect(),
        })
        .collect()
}

#[test]
fn conflicts_on_the_news_sets_meet_the_recorded_levels() {
    let expected = expected();
    let mut failures = Vec::new();
    for &(set, p_floor, r_floor, most_wrong) in FLOORS {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(set);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|p| {
                (
                    p.file_stem().unwrap().to_str().unwrap().to_string(),
                    std::fs::read_to_string(p).unwrap(),
                )
            })
            .collect();
        let reports: Vec<Report<'_>> = texts
            .iter()
            .map(|(id, text)| Report {
                id: id.clone(),
                file: format!("{id}.txt"),
                text,
                meta: SourceMeta::default(),
            })
            .collect();
        let config = ExtractConfig::default();
        let extraction = extract(&reports, &config);
        let analysis = analyse(&extraction, &config.aliases, &ConflictConfig::default());
        let mine: Vec<&Expected> = expected.iter().filter(|e| e.set == set).collect();
        let is = |c: &concord_evidence::conflicts::Conflict, e: &Expected| {
            c.kind.as_str() == e.kind
                && e.values
                    .iter()
                    .all(|v| c.sides.iter().any(|s| s.value.contains(v.as_str())))
                && c.sides
                    .iter()
                    .all(|s| e.values.iter().any(|v| s.value.contains(v.as_str())))
        };
        let right = analysis
            .conflicts
            .iter()
            .filter(|c| mine.iter().any(|e| is(c, e)))
            .count();
        let found = mine
            .iter()
            .filter(|e| analysis.conflicts.iter().any(|c| is(c, e)))
            .count();
        let show_errors = !HELD_OUT.contains(&set);
        for c in analysis.conflicts.iter().filter(|_| show_errors) {
            if !mine.iter().any(|e| is(c, e)) {
                let values: Vec<&str> = c.sides.iter().map(|s| s.value.as_str()).collect();
                println!(
                    "  {set}: not a conflict a reader finds: {} {values:?}",
                    c.kind.as_str()
                );
            }
        }
        for e in mine.iter().filter(|_| show_errors) {
            if !analysis.conflicts.iter().any(|c| is(c, e)) {
                println!("  {set}: missed {} {:?}", e.kind, e.values);
            }
        }
        let n = analysis.conflicts.len();
        let precision = if n == 0 { 1.0 } else { right as f64 / n as f64 };
        let recall = if mine.is_empty() {
            1.0
        } else {
            found as f64 / mine.len() as f64
        };
        println!(
            "{set}: precision {precision:.3} ({right}/{n} reported), recall {recall:.3} ({found}/{} a reader finds)",
            mine.len()
        );
        if precision < p_floor || recall < r_floor || n - right > most_wrong {
            failures.push(format!(
                "{set}: precision {precision:.3} (floor {p_floor}), recall {recall:.3} (floor {r_floor}), {} not found by a reader (at most {most_wrong})",
                n - right
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "below the recorded levels: {failures:#?}"
    );
}

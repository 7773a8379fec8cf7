//! Measured accuracy of the extractor against hand-labelled gold sets: `tests/gold.toml` on the
//! five reports of `../shared/reports` (in-sample: the rules were written while reading them),
//! `tests/heldout.toml` on `tests/heldout/` (a report the rules were not written on), and two
//! sets of excerpts of real news reports: `tests/news-dev/` (labelled before the rules were
//! fixed on it) and `tests/news-heldout/` (labelled last in its round), and a second pair built
//! the same way for issue 17: `tests/news-dev2/` and `tests/news-heldout2/`, and a third held-out
//! set for its second round of rules, `tests/news-heldout3/` (labelled before any rule change; only its totals
//! are printed, never its errors), and a fourth, `tests/news-heldout4/`, labelled by someone who
//! had not read the rules (held out at its first run, now a development set whose errors print),
//! and a fifth, `tests/news-heldout5/`, built the same way (held out at its first run, now a
//! development set whose errors print), and a sixth, `tests/news-heldout6/`, built the same way
//! (held out at its first run, now a development set whose errors print), and an eleventh,
//! `tests/news-heldout11/`, built by one helper and labelled by another (held out at its first
//! run, now a development set whose errors print), a twelfth, `tests/news-heldout12/`, built
//! the same way (likewise), a thirteenth, `tests/news-heldout13/` (likewise), and a fourteenth,
//! `tests/news-heldout14/` (likewise), and a fifteenth, `tests/news-heldout15/` (held out: its
//! errors are not printed).
//! Prints precision and recall per kind of item and fails when any falls below the level
//! recorded in docs/evidence.md.
//!
//! Run: `cargo test -p concord-evidence --test accuracy -- --nocapture`.

use std::path::{Path, PathBuf};

use concord_evidence::extract::{extract, Claim, ExtractConfig, Report, SourceMeta};
use concord_evidence::text::fold;

/// The levels measured on the five reports and recorded in docs/evidence.md (measured values
/// truncated to two decimals): (kind, precision, recall).
const FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.89, 0.97),
    ("speakers", 0.99, 1.0),
    ("relays", 1.0, 1.0),
    ("quantities", 1.0, 1.0),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 0.83),
];

/// The levels measured on the held-out report and recorded in docs/evidence.md.
const HELDOUT_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.82, 1.0),
    ("speakers", 1.0, 1.0),
    ("relays", 1.0, 1.0),
    ("quantities", 1.0, 0.9),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 1.0),
];

struct Gold {
    file: String,
    key: String,
    claim: bool,
    items: [Vec<String>; 5],
}

const KINDS: [&str; 5] = ["speakers", "relays", "quantities", "dates", "status"];

fn reports_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports");
    if dir.is_dir() {
        Some(dir)
    } else {
        // CI always has ../shared: there its absence is a failure, not a skipped check.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent, and CI always has ../shared",
            dir.display()
        );
        println!("skipped: {} is absent", dir.display());
        None
    }
}

fn read_gold(name: &str) -> Vec<Gold> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the gold set exists");
    let doc: toml_edit::DocumentMut = text.parse().expect("the gold set is TOML");
    let list = doc["sentence"]
        .as_array_of_tables()
        .expect("[[sentence]] tables");
    list.iter()
        .map(|t| {
            let strings = |key: &str| -> Vec<String> {
                t.get(key)
                    .and_then(|i| i.as_array())
                    .map(|a| {
                        a.iter()
                            .map(|v| v.as_str().expect("strings").to_string())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            Gold {
                file: t["file"].as_str().expect("file").to_string(),
                key: t["key"].as_str().expect("key").to_string(),
                claim: t["claim"].as_bool().expect("claim"),
                items: KINDS.map(strings),
            }
        })
        .collect()
}

/// The items of one kind an extracted claim carries, as strings comparable with the gold.
fn extracted(claim: &Claim, kind: &str) -> Vec<String> {
    match kind {
        "speakers" => claim.speakers.iter().map(|s| s.text.clone()).collect(),
        "relays" => claim.relays.clone(),
        "quantities" => claim.quantities.iter().map(|q| q.canonical()).collect(),
        "dates" => claim.times.iter().filter_map(|w| w.canonical()).collect(),
        "status" => claim
            .marks
            .iter()
            .flat_map(|m| {
                if m.mark == concord_evidence::status::Mark::Unverifiable {
                    vec!["unverifiable".to_string()]
                } else if m.by.is_empty() {
                    vec![format!("{}:-", m.mark.as_str())]
                } else {
                    m.by.iter()
                        .map(|a| format!("{}:{a}", m.mark.as_str()))
                        .collect()
                }
            })
            .collect(),
        _ => unreachable!(),
    }
}

/// Whether an extracted item matches a gold item of the same kind.
fn matches(kind: &str, extracted: &str, gold: &str) -> bool {
    match kind {
        "speakers" | "relays" => fold(extracted)
            .to_lowercase()
            .contains(&fold(gold).to_lowercase()),
        "quantities" => {
            let parse = |s: &str| -> Option<(f64, String)> {
                let (v, u) = s.split_once(' ')?;
                Some((v.parse().ok()?, u.to_string()))
            };
            match (parse(extracted), parse(gold)) {
                (Some((a, u)), Some((b, w))) => a == b && u == w,
                _ => false,
            }
        }
        _ => extracted == gold,
    }
}

#[derive(Default, Debug)]
struct Score {
    extracted: usize,
    extracted_right: usize,
    gold: usize,
    gold_found: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        if self.extracted == 0 {
            1.0
        } else {
            self.extracted_right as f64 / self.extracted as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.gold_found as f64 / self.gold as f64
        }
    }
}

#[test]
fn extractor_meets_the_recorded_precision_and_recall() {
    let Some(dir) = reports_dir() else { return };
    measure(&dir, "gold.toml", FLOORS);
}

#[test]
fn extractor_meets_the_recorded_levels_on_the_held_out_report() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/heldout");
    measure(&dir, "heldout.toml", HELDOUT_FLOORS);
}

/// The levels measured on the development set of real news reports (tests/news-dev/), after
/// the second round of rules of issue 17 (in-sample), recorded in docs/evidence.md.
const NEWS_DEV_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 1.0),
    ("speakers", 1.0, 0.97),
    ("relays", 1.0, 1.0),
    ("quantities", 0.94, 1.0),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_news_development_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-dev");
    measure(&dir, "news-dev.toml", NEWS_DEV_FLOORS);
}

/// The levels measured on the first held-out set of real news reports (tests/news-heldout/),
/// labelled last in its round; its known misses were used to write rules in the round of issue
/// 17, so these levels are now in-sample (docs/evidence.md).
const NEWS_HELDOUT_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 1.0, 1.0),
    ("speakers", 1.0, 0.96),
    ("relays", 1.0, 1.0),
    ("quantities", 0.96, 0.96),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout");
    measure(&dir, "news-heldout.toml", NEWS_HELDOUT_FLOORS);
}

/// The levels measured on the second development set (tests/news-dev2/), recorded in
/// docs/evidence.md.
const NEWS_DEV2_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 1.0),
    ("speakers", 0.96, 1.0),
    ("relays", 1.0, 1.0),
    ("quantities", 1.0, 1.0),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_second_news_development_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-dev2");
    measure(&dir, "news-dev2.toml", NEWS_DEV2_FLOORS);
}

/// The levels measured on the second held-out set (tests/news-heldout2/), labelled before any
/// rule change of issue 17; its misses were read to write the second round of rules, so these levels
/// are in-sample (docs/evidence.md). Its labels hold no denial, so its status floor only catches
/// a status found where none is.
const NEWS_HELDOUT2_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 1.0, 1.0),
    ("speakers", 1.0, 1.0),
    ("relays", 1.0, 1.0),
    ("quantities", 1.0, 1.0),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 1.0),
];

/// Its figures were quoted in issue 17 and its failure classes read, so it is no longer unseen:
/// its errors are printed and rules were written from them in the second round.
#[test]
fn extractor_meets_the_recorded_levels_on_the_second_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout2");
    measure(&dir, "news-heldout2.toml", NEWS_HELDOUT2_FLOORS);
}

fn measure(dir: &Path, gold_file: &str, floors: &[(&str, f64, f64)]) {
    measure_with(dir, gold_file, floors, true);
}

fn measure_quietly(dir: &Path, gold_file: &str, floors: &[(&str, f64, f64)]) {
    measure_with(dir, gold_file, floors, false);
}

fn measure_with(dir: &Path, gold_file: &str, floors: &[(&str, f64, f64)], show_errors: bool) {
    println!("{} on {}", gold_file, dir.display());
    let gold = read_gold(gold_file);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_string(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    let reports: Vec<Report<'_>> = texts
        .iter()
        .map(|(file, text)| Report {
            id: file.trim_end_matches(".txt").to_string(),
            file: file.clone(),
            text,
            meta: SourceMeta::default(),
        })
        .collect();
    // Each report on its own text alone: no metadata, no window from the other reports.
    let config = ExtractConfig {
        undated_window_days: None,
        ..ExtractConfig::default()
    };
    let extraction = extract(&reports, &config);

    // Every gold key must identify exactly one sentence of its report.
    for g in &gold {
        let text = &texts
            .iter()
            .find(|(f, _)| *f == g.file)
            .expect("gold names a report")
            .1;
        let hits = fold(text).matches(&fold(&g.key)).count();
        assert_eq!(
            hits, 1,
            "gold key {:?} occurs {hits} times in {}",
            g.key, g.file
        );
    }

    let gold_of = |claim: &Claim| -> Option<&Gold> {
        let file = &extraction.sources[claim.source].file;
        let sentence = fold(&claim.sentence);
        gold.iter()
            .find(|g| g.file == *file && sentence.contains(&fold(&g.key)))
    };

    let mut claims = Score::default();
    let mut scores: Vec<Score> = KINDS.iter().map(|_| Score::default()).collect();
    let mut misses: Vec<String> = Vec::new();
    for claim in &extraction.claims {
        let g = gold_of(claim);
        claims.extracted += 1;
        if g.is_some_and(|g| g.claim) {
            claims.extracted_right += 1;
        } else {
            misses.push(format!("extra claim {}: {}", claim.id, claim.sentence));
        }
        for (k, kind) in KINDS.iter().enumerate() {
            for item in extracted(claim, kind) {
                scores[k].extracted += 1;
                let right = g.is_some_and(|g| g.items[k].iter().any(|x| matches(kind, &item, x)));
                if right {
                    scores[k].extracted_right += 1;
                } else {
                    misses.push(format!("extra {kind} {item:?} in {}", claim.id));
                }
            }
        }
    }
    for g in &gold {
        let found: Vec<&Claim> = extraction
            .claims
            .iter()
            .filter(|c| {
                extraction.sources[c.source].file == g.file
                    && fold(&c.sentence).contains(&fold(&g.key))
            })
            .collect();
        if g.claim {
            claims.gold += 1;
            if found.is_empty() {
                misses.push(format!("missed claim {}: {}", g.file, g.key));
            } else {
                claims.gold_found += 1;
            }
        }
        for (k, kind) in KINDS.iter().enumerate() {
            for item in &g.items[k] {
                scores[k].gold += 1;
                let hit = found
                    .iter()
                    .any(|c| extracted(c, kind).iter().any(|x| matches(kind, x, item)));
                if hit {
                    scores[k].gold_found += 1;
                } else {
                    misses.push(format!("missed {kind} {item:?} in {}: {}", g.file, g.key));
                }
            }
        }
    }

    if show_errors {
        for m in &misses {
            println!("  {m}");
        }
    } else {
        println!("  ({} errors, not shown: a held-out set)", misses.len());
    }
    println!(
        "{:<11} {:>9} {:>9} {:>12} {:>12}",
        "kind", "precision", "recall", "extracted", "gold"
    );
    let mut failures = Vec::new();
    let all = std::iter::once(("claims", &claims)).chain(KINDS.iter().copied().zip(scores.iter()));
    for (kind, s) in all {
        println!(
            "{kind:<11} {:>9.3} {:>9.3} {:>5} right/{:<5} {:>4} found/{:<4}",
            s.precision(),
            s.recall(),
            s.extracted_right,
            s.extracted,
            s.gold_found,
            s.gold
        );
        let &(_, p, r) = floors
            .iter()
            .find(|f| f.0 == kind)
            .expect("a floor per kind");
        if s.precision() < p || s.recall() < r {
            failures.push(format!(
                "{kind}: precision {:.3} (floor {p}), recall {:.3} (floor {r})",
                s.precision(),
                s.recall()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "below the recorded levels: {failures:#?}"
    );
}

/// The levels measured on the third held-out set (tests/news-heldout3/), built and labelled
/// before any rule change of the second round and before the extractor was run on it, at the first run
/// of that rules, recorded in docs/evidence.md. Its errors are never printed. Its one
/// labelled denial is missed and one status found is wrong, hence the status floor of zero.
/// Claims and speakers rose with the rules written on the fourth set, claims and figures with
/// those written on the fifth (its errors still unread).
const NEWS_HELDOUT3_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 1.0),
    ("speakers", 0.97, 0.88),
    ("relays", 1.0, 1.0),
    ("quantities", 0.95, 0.88),
    ("dates", 1.0, 0.87),
    ("status", 0.0, 0.0),
];

/// Prints this set's totals only, never its errors: the set stays out of the rule-writing loop.
#[test]
fn extractor_meets_the_recorded_levels_on_the_third_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout3");
    measure_quietly(&dir, "news-heldout3.toml", NEWS_HELDOUT3_FLOORS);
}

/// The levels measured on the fourth news set (tests/news-heldout4/), built and labelled before
/// the extractor was run on it. Its first-run figures were quoted, so it is now a development
/// set: its errors are printed and rules were written from them (docs/evidence.md, "Rules
/// written on the fourth set"), so these levels, measured after those rules, are in-sample.
const NEWS_HELDOUT4_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 1.0),
    ("speakers", 0.98, 1.0),
    ("relays", 1.0, 1.0),
    ("quantities", 1.0, 0.84),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 0.77),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_fourth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout4");
    measure(&dir, "news-heldout4.toml", NEWS_HELDOUT4_FLOORS);
}

/// The levels measured on the fifth news set (tests/news-heldout5/), built and labelled by
/// someone who had not read the rules, before the extractor was run on it. It was held out at
/// its first run (the same counts before and after the rules written on the fourth set; those
/// figures are quoted in docs/evidence.md); it is now a development set: its errors are printed
/// and rules were written from them (docs/evidence.md, "Rules written on the fifth set").
/// These levels, measured after those rules, are in-sample.
const NEWS_HELDOUT5_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.96, 1.0),
    ("speakers", 0.98, 0.94),
    ("relays", 1.0, 1.0),
    ("quantities", 1.0, 1.0),
    ("dates", 0.96, 0.96),
    ("status", 1.0, 0.75),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_fifth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout5");
    measure(&dir, "news-heldout5.toml", NEWS_HELDOUT5_FLOORS);
}

/// The levels measured on the sixth set (tests/news-heldout6/), built and labelled by someone
/// who had not read the rules, before the extractor was run on it. Held out until its first-run
/// figures were quoted; its errors are printed since, and rules were written from them, so these
/// levels are in-sample (docs/evidence.md).
const NEWS_HELDOUT6_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 0.98),
    ("speakers", 0.94, 0.85),
    ("relays", 1.0, 1.0),
    ("quantities", 0.91, 0.91),
    ("dates", 0.86, 0.9),
    ("status", 0.5, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_sixth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout6");
    measure(&dir, "news-heldout6.toml", NEWS_HELDOUT6_FLOORS);
}

/// The levels measured on the eleventh set (tests/news-heldout11/), built by one helper and
/// labelled by another (tests/news-heldout11.toml), neither of whom had read the rules, before
/// the extractor was run on its claims; recorded in docs/evidence.md. Held out until its figures
/// were quoted; its errors print since.
const NEWS_HELDOUT11_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 1.0, 0.97),
    ("speakers", 0.84, 0.84),
    ("relays", 1.0, 0.85),
    ("quantities", 0.92, 0.86),
    ("dates", 0.91, 0.91),
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_eleventh_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout11");
    measure(&dir, "news-heldout11.toml", NEWS_HELDOUT11_FLOORS);
}

/// The levels measured on the twelfth set (tests/news-heldout12/), built by one helper and
/// labelled by another (tests/news-heldout12.toml), neither of whom had read the rules, before
/// the extractor was run on it; recorded in docs/evidence.md. Held out until its figures were
/// quoted; its errors print since, and rules were written from them (in-sample now).
const NEWS_HELDOUT12_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.92, 0.88),
    ("speakers", 0.92, 0.75),
    ("relays", 1.0, 0.6),
    ("quantities", 0.93, 0.96),
    ("dates", 0.93, 1.0),
    ("status", 1.0, 0.8),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_twelfth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout12");
    measure(&dir, "news-heldout12.toml", NEWS_HELDOUT12_FLOORS);
}

/// The levels measured on the thirteenth set (tests/news-heldout13/), built by one helper and
/// labelled by another (tests/news-heldout13.toml), neither of whom had read the rules, before the
/// extractor was run on it; recorded in docs/evidence.md. It holds no labelled status. Held out
/// until its figures were quoted; its errors print since (in-sample now).
const NEWS_HELDOUT13_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 1.0, 0.96),
    ("speakers", 0.93, 0.83),
    ("relays", 1.0, 1.0),
    ("quantities", 0.93, 0.77),
    ("dates", 0.77, 0.71),
    ("status", 0.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_thirteenth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout13");
    measure(&dir, "news-heldout13.toml", NEWS_HELDOUT13_FLOORS);
}

/// The levels measured on the fourteenth set (tests/news-heldout14/), built by one helper and
/// labelled by another (tests/news-heldout14.toml), neither of whom had read the rules, before the
/// extractor was run on it; recorded in docs/evidence.md. Held out until its figures were
/// quoted; its errors print since (in-sample now).
const NEWS_HELDOUT14_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.97, 0.97),
    ("speakers", 0.92, 0.71),
    ("relays", 0.0, 1.0),
    ("quantities", 0.98, 0.97),
    ("dates", 1.0, 1.0),
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_fourteenth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout14");
    measure(&dir, "news-heldout14.toml", NEWS_HELDOUT14_FLOORS);
}

/// The levels measured on the fifteenth set (tests/news-heldout15/), built by one helper and
/// labelled by another (tests/news-heldout15.toml), neither of whom had read the rules, before the
/// extractor was run on it; recorded in docs/evidence.md. Held out: its errors are not printed.
const NEWS_HELDOUT15_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.96, 0.89),
    ("speakers", 0.88, 0.78),
    ("relays", 1.0, 1.0),
    ("quantities", 0.95, 0.95),
    ("dates", 0.87, 0.87),
    ("status", 1.0, 0.25),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_fifteenth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout15");
    measure_quietly(&dir, "news-heldout15.toml", NEWS_HELDOUT15_FLOORS);
}

/// The levels measured on the sixteenth set (tests/news-heldout16/), built by one helper and
/// labelled by another (tests/news-heldout16.toml), neither of whom had read the rules, before the
/// extractor was run on it; recorded in docs/evidence.md. Held out: its errors are not printed.
const NEWS_HELDOUT16_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.94, 0.96),
    ("speakers", 0.83, 0.85),
    ("relays", 0.5, 0.25),
    ("quantities", 0.9, 0.86),
    ("dates", 0.95, 0.95),
    ("status", 0.0, 0.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_sixteenth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout16");
    measure_quietly(&dir, "news-heldout16.toml", NEWS_HELDOUT16_FLOORS);
}

/// The levels measured on the seventeenth set (tests/news-heldout17/), built by one helper and
/// labelled by another (tests/news-heldout17.toml), neither of whom had read the rules, before the
/// extractor was run on it; recorded in docs/evidence.md. Held out: its errors are not printed.
const NEWS_HELDOUT17_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 0.95),
    ("speakers", 0.87, 0.79),
    ("relays", 1.0, 0.75),
    ("quantities", 0.89, 0.92),
    ("dates", 0.91, 0.91),
    ("status", 1.0, 0.14),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_seventeenth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout17");
    measure_quietly(&dir, "news-heldout17.toml", NEWS_HELDOUT17_FLOORS);
}

/// The levels measured on the eighteenth set (tests/news-heldout18/), built by one helper and
/// labelled by another (tests/news-heldout18.toml), neither of whom had read the rules, before the
/// extractor was run on it; recorded in docs/evidence.md. Held out: its errors are not printed.
/// Relay precision fell from 1.0 to 0.83 (one more relay, not a labelled one) with the rule that
/// reads an outlet named by what it is ("public broadcaster Suspilne").
const NEWS_HELDOUT18_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 0.97),
    ("speakers", 0.88, 0.84),
    ("relays", 0.83, 0.83),
    ("quantities", 0.95, 0.84),
    ("dates", 0.95, 1.0),
    // Nothing labelled and nothing extracted: a status extracted would fail it.
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_eighteenth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout18");
    measure_quietly(&dir, "news-heldout18.toml", NEWS_HELDOUT18_FLOORS);
}

/// The levels measured on the nineteenth set (tests/news-heldout19/), built by one helper and
/// labelled by another (tests/news-heldout19.toml), neither of whom had read the rules, after the
/// last rule of 2026-12-07 was written; recorded in docs/evidence.md. Held out: its errors are
/// not printed.
const NEWS_HELDOUT19_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.96, 0.95),
    ("speakers", 0.96, 0.88),
    ("relays", 1.0, 0.0),
    ("quantities", 0.91, 0.82),
    ("dates", 0.82, 0.81),
    ("status", 1.0, 0.25),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_nineteenth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout19");
    measure_quietly(&dir, "news-heldout19.toml", NEWS_HELDOUT19_FLOORS);
}

/// The levels measured on the twentieth set (tests/news-heldout20/), built by one helper and
/// labelled by another (tests/news-heldout20.toml), neither of whom had read the rules, at the
/// first run of the extractor on it (2026-12-07, afternoon); recorded in docs/evidence.md. Held out: its
/// errors are not printed.
const NEWS_HELDOUT20_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 1.0, 0.92),
    ("speakers", 0.91, 0.71),
    ("relays", 1.0, 0.5),
    ("quantities", 0.89, 0.82),
    ("dates", 1.0, 0.9),
    // Nothing labelled and nothing extracted: a status extracted would fail it.
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_twentieth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout20");
    measure_quietly(&dir, "news-heldout20.toml", NEWS_HELDOUT20_FLOORS);
}

/// The levels measured on the twenty-first set (tests/news-heldout21/), built by one helper and
/// labelled by another (tests/news-heldout21.toml), neither of whom had read the rules, at the
/// first run of the extractor on it (2026-12-07, evening); recorded in docs/evidence.md. Held
/// out: its errors are not printed.
const NEWS_HELDOUT21_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.95, 0.97),
    ("speakers", 0.87, 0.9),
    ("relays", 0.5, 1.0),
    ("quantities", 0.94, 0.88),
    ("dates", 0.89, 0.8),
    ("status", 1.0, 0.5),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_twenty_first_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout21");
    measure_quietly(&dir, "news-heldout21.toml", NEWS_HELDOUT21_FLOORS);
}

/// The levels measured on the twenty-second set (tests/news-heldout22/), built by one helper and
/// labelled by another (tests/news-heldout22.toml), neither of whom had read the rules, at the
/// first run of the extractor on it (2026-12-07, night); recorded in docs/evidence.md. Held
/// out: its errors are not printed.
const NEWS_HELDOUT22_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.98, 0.97),
    ("speakers", 0.97, 0.78),
    // Nothing labelled and nothing extracted: a relay or status extracted would fail it.
    ("relays", 1.0, 1.0),
    ("quantities", 1.0, 0.84),
    ("dates", 0.92, 0.92),
    ("status", 1.0, 1.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_twenty_second_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout22");
    measure_quietly(&dir, "news-heldout22.toml", NEWS_HELDOUT22_FLOORS);
}

/// The levels measured on the twenty-third set (tests/news-heldout23/), built by one helper and
/// labelled by another (tests/news-heldout23.toml), neither of whom had read the rules, at the
/// first run of the extractor on it (2026-12-07, late, with the session's first build);
/// recorded in docs/evidence.md. Held out: its errors are not printed.
const NEWS_HELDOUT23_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.99, 0.99),
    ("speakers", 0.92, 0.71),
    ("relays", 0.5, 0.5),
    ("quantities", 0.89, 0.84),
    ("dates", 0.9, 0.93),
    // Three labelled, none extracted.
    ("status", 1.0, 0.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_twenty_third_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout23");
    measure_quietly(&dir, "news-heldout23.toml", NEWS_HELDOUT23_FLOORS);
}

/// The levels measured on the twenty-fourth set (tests/news-heldout24/), built by one helper and
/// labelled by another (tests/news-heldout24.toml), neither of whom had read the rules, at the
/// first run of the extractor on it (2026-12-07, late, with the session's first build);
/// recorded in docs/evidence.md. Held out: its errors are not printed.
const NEWS_HELDOUT24_FLOORS: &[(&str, f64, f64)] = &[
    ("claims", 0.97, 0.94),
    ("speakers", 0.96, 0.86),
    ("relays", 0.8, 0.66),
    ("quantities", 0.93, 0.84),
    ("dates", 0.86, 0.85),
    // One status extracted, wrong; two labelled, none found: the floors are what was measured.
    ("status", 0.0, 0.0),
];

#[test]
fn extractor_meets_the_recorded_levels_on_the_twenty_fourth_news_held_out_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/news-heldout24");
    measure_quietly(&dir, "news-heldout24.toml", NEWS_HELDOUT24_FLOORS);
}

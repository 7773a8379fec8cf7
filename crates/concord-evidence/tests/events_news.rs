//! Events across reports on the development sets of news reports: claims about the same event,
//! worded differently by different outlets, form one event; distinct events stay apart.
//!
//! Run: `cargo test -p concord-evidence --test events_news -- --nocapture` (prints the events
//! carried by several reports, with their standing and independent origins).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use concord_evidence::conflicts::{analyse, Analysis, ConflictConfig, Event, Standing};
use concord_evidence::extract::{extract, ExtractConfig, Extraction, Report, SourceMeta};

/// The texts of the reports of the given sets, by file stem.
fn texts(sets: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for set in sets {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(set);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for p in files {
            out.push((
                p.file_stem().unwrap().to_str().unwrap().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    out
}

fn run(texts: &[(String, String)]) -> (Extraction, Analysis) {
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
    (extraction, analysis)
}

/// The story of a report: the part of its file name before the first dash (`exchange`,
/// `kyiv`, `istanbul`, `sumy`).
fn story(extraction: &Extraction, source: usize) -> &str {
    let id = extraction.sources[source].id.as_str();
    id.split('-').next().unwrap_or(id)
}

fn stories(extraction: &Extraction, event: &Event) -> BTreeSet<String> {
    event
        .sources
        .iter()
        .map(|&s| story(extraction, s).to_string())
        .collect()
}

fn print(set: &str, extraction: &Extraction, analysis: &Analysis) {
    let multi: Vec<&Event> = analysis
        .events
        .iter()
        .filter(|e| e.sources.len() > 1)
        .collect();
    println!(
        "{set}: {} events, {} carried by several reports",
        analysis.events.len(),
        multi.len()
    );
    for e in multi {
        println!(
            "  {}: {} claims, {} reports, {} independent ({})",
            e.standing.as_str(),
            e.claims.len(),
            e.sources.len(),
            e.independent(),
            e.origins.join(", ")
        );
        for &k in &e.claims {
            let c = &extraction.claims[k];
            let s: String = c.sentence.chars().take(100).collect();
            println!("      [{}] {s}", c.id);
        }
    }
}

/// The event holding most reports of a story.
fn main_event<'a>(extraction: &Extraction, analysis: &'a Analysis, name: &str) -> &'a Event {
    analysis
        .events
        .iter()
        .max_by_key(|e| {
            e.sources
                .iter()
                .filter(|&&s| story(extraction, s) == name)
                .count()
        })
        .expect("events")
}

fn reports_of(extraction: &Extraction, event: &Event, name: &str) -> usize {
    event
        .sources
        .iter()
        .filter(|&&s| story(extraction, s) == name)
        .count()
}

#[test]
fn the_prisoner_exchange_and_the_kyiv_strike_are_one_event_each() {
    let texts = texts(&["news-dev2"]);
    let (extraction, analysis) = run(&texts);
    print("news-dev2", &extraction, &analysis);
    let exchange = main_event(&extraction, &analysis, "exchange");
    assert!(
        reports_of(&extraction, exchange, "exchange") >= 4,
        "the exchange spans its reports: {exchange:?}"
    );
    assert!(exchange.independent() >= 2);
    assert_eq!(exchange.standing, Standing::Corroborated);
    let kyiv = main_event(&extraction, &analysis, "kyiv");
    assert!(
        reports_of(&extraction, kyiv, "kyiv") >= 4,
        "the strike spans its reports: {kyiv:?}"
    );
    assert_eq!(kyiv.standing, Standing::Corroborated);
    // Every event is about one story.
    for e in &analysis.events {
        assert_eq!(stories(&extraction, e).len(), 1, "{e:?}");
    }
}

#[test]
fn the_sumy_strike_is_one_event_and_stays_apart_from_the_talks() {
    let texts = texts(&["news-dev"]);
    let (extraction, analysis) = run(&texts);
    print("news-dev", &extraction, &analysis);
    let sumy = main_event(&extraction, &analysis, "sumy");
    assert_eq!(reports_of(&extraction, sumy, "sumy"), 5, "{sumy:?}");
    assert_eq!(sumy.standing, Standing::Corroborated);
    for e in &analysis.events {
        assert_eq!(stories(&extraction, e).len(), 1, "{e:?}");
    }
}

#[test]
fn strikes_of_different_cities_and_days_stay_apart_across_both_development_sets() {
    let texts = texts(&["news-dev", "news-dev2"]);
    let (extraction, analysis) = run(&texts);
    for e in &analysis.events {
        let s = stories(&extraction, e);
        // The Sumy strike (13 April 2025) and the Kyiv strike (24 April 2025) are never one
        // event, nor is either one with the talks of 16 May.
        assert!(!(s.contains("sumy") && s.contains("kyiv")), "{s:?}: {e:?}");
        for strike in ["sumy", "kyiv"] {
            assert!(
                !(s.contains(strike) && s.contains("istanbul")),
                "{s:?}: {e:?}"
            );
        }
    }
    // The strikes' main events keep all their reports.
    let sumy = main_event(&extraction, &analysis, "sumy");
    assert_eq!(reports_of(&extraction, sumy, "sumy"), 5, "{sumy:?}");
    let kyiv = main_event(&extraction, &analysis, "kyiv");
    assert!(reports_of(&extraction, kyiv, "kyiv") >= 4, "{kyiv:?}");
}

/// Reports written for this test: two rounds of talks in one city, two strikes on one city on
/// different days, strikes on two cities on one day.
const ROUNDS: &[(&str, &str)] = &[
    (
        "a",
        "2025-05-16\n\nRussian and Ukrainian delegations met in Istanbul on Friday for the first round of talks, which lasted two hours.",
    ),
    (
        "b",
        "2025-06-02\n\nThe second round of talks between Russia and Ukraine took place in Istanbul on Monday and lasted about an hour.",
    ),
    (
        "c",
        "2025-06-03\n\nDelegations met in Istanbul on 2 June for a second round of talks, Ukraine said.",
    ),
    (
        "d",
        "2025-04-24\n\nA Russian missile strike on Kyiv overnight killed nine people, officials said.",
    ),
    (
        "e",
        "2025-04-28\n\nA Russian drone attack on Kyiv on Monday injured four people, the city administration said.",
    ),
    (
        "f",
        "2025-04-24\n\nA Russian missile strike on Kharkiv on Thursday injured 20 people, the regional governor said.",
    ),
];

#[test]
fn different_rounds_of_talks_and_different_strikes_stay_apart() {
    let texts: Vec<(String, String)> = ROUNDS
        .iter()
        .map(|(id, text)| (id.to_string(), text.to_string()))
        .collect();
    let (extraction, analysis) = run(&texts);
    let event_of = |report: &str| -> usize {
        let source = extraction
            .sources
            .iter()
            .position(|s| s.id == report)
            .expect("the report");
        analysis
            .events
            .iter()
            .position(|e| e.sources.contains(&source))
            .expect("an event")
    };
    // The second round, reported twice, is one event; the first round is another.
    assert_eq!(event_of("b"), event_of("c"));
    assert_ne!(event_of("a"), event_of("b"));
    // A strike on Kyiv is not the strike on Kyiv four days later, nor the one on Kharkiv.
    assert_ne!(event_of("d"), event_of("e"));
    assert_ne!(event_of("d"), event_of("f"));
}

/// Reports written for this test: a report of one strike that names its city in two sentences
/// and not in a third; another report of that strike; a round-up of strikes on two cities.
const ONE_CITY: &[(&str, &str)] = &[
    (
        "g",
        "2025-06-24\n\nRussia launched a missile strike on Dnipro on Tuesday morning, officials said. The strike on Dnipro on Tuesday also damaged a passenger train, the railway company said. Rescue workers pulled nine bodies from the rubble after the strike, the emergency service reported.",
    ),
    (
        "h",
        "2025-06-24\n\nA Russian missile attack on Dnipro on Tuesday killed 17 people, regional governor Serhiy Lysak said.",
    ),
    (
        "j",
        "2025-06-24\n\nA Russian missile strike on Dnipro on Tuesday killed 17 people, officials said. A drone attack on Kharkiv on Tuesday injured five people, the mayor said. Emergency crews searched the debris for survivors after the attack, the police reported.",
    ),
];

#[test]
fn a_sentence_without_its_city_joins_its_reports_strike_when_the_report_names_one_city() {
    let texts: Vec<(String, String)> = ONE_CITY
        .iter()
        .map(|(id, text)| (id.to_string(), text.to_string()))
        .collect();
    let (extraction, analysis) = run(&texts);
    let event_of = |report: &str, words: &str| -> usize {
        let claim = extraction
            .claims
            .iter()
            .position(|c| extraction.sources[c.source].id == report && c.sentence.contains(words))
            .unwrap_or_else(|| panic!("a claim of {report} with {words:?}"));
        analysis
            .events
            .iter()
            .position(|e| e.claims.contains(&claim))
            .expect("an event")
    };
    let strike = event_of("h", "killed 17 people");
    // The report names Dnipro twice and no other city: its third sentence is of that strike.
    assert_eq!(event_of("g", "Rescue workers"), strike);
    assert_eq!(event_of("g", "passenger train"), strike);
    // A round-up naming two cities leaves its sentence without a city apart.
    assert_ne!(event_of("j", "Emergency crews"), strike);
}

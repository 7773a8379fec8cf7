//! Reports of one story, found by text: on the five reports of `../shared/reports`, the three
//! accounts of the Kyiv meeting that rewrite one wire story are one group and the other two
//! reports stand alone; on the two sets of real news excerpts (several outlets' accounts of one
//! event each), no independent account is taken for a rewrite.
//!
//! Run: `cargo test -p concord-evidence --test same_story -- --nocapture` (prints the margins).

use std::path::{Path, PathBuf};

use concord_evidence::duplicates::{
    aligned_sentences, groups, near_duplicates, rewrites, sentence_words, REWRITE_MIN_SENTENCES,
};

fn read_dir(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).expect("readable"),
            )
        })
        .collect()
}

/// The groups of one story, as sorted lists of names, leaving out reports alone in theirs.
fn story_groups(texts: &[(String, String)]) -> Vec<Vec<String>> {
    let t: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
    let mut pairs = near_duplicates(&t);
    pairs.extend(rewrites(&t));
    let g = groups(t.len(), &pairs);
    let mut out: Vec<Vec<String>> = Vec::new();
    for root in 0..t.len() {
        let members: Vec<String> = (0..t.len())
            .filter(|&k| g[k] == root)
            .map(|k| texts[k].0.clone())
            .collect();
        if members.len() > 1 {
            out.push(members);
        }
    }
    out
}

/// The most sentences aligned between two texts that are in different groups.
fn widest_margin(texts: &[(String, String)], grouped: &[Vec<String>]) -> usize {
    let mut most = 0;
    for a in 0..texts.len() {
        for b in a + 1..texts.len() {
            let together = grouped
                .iter()
                .any(|g| g.contains(&texts[a].0) && g.contains(&texts[b].0));
            if !together {
                let n =
                    aligned_sentences(&sentence_words(&texts[a].1), &sentence_words(&texts[b].1));
                println!("  {} / {}: {n} aligned", texts[a].0, texts[b].0);
                most = most.max(n);
            }
        }
    }
    most
}

#[test]
fn the_kyiv_meeting_rewrites_are_one_story() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports");
    if !dir.is_dir() {
        // CI always has ../shared: there its absence is a failure, not a skipped check.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent, and CI always has ../shared",
            dir.display()
        );
        println!("skipped: {} is absent", dir.display());
        return;
    }
    let texts = read_dir(&dir);
    let grouped = story_groups(&texts);
    assert_eq!(
        grouped,
        [vec![
            "allies-convene-in-kyiv".to_string(),
            "allies-meet-in-kyiv".to_string(),
            "partners-gather-in-kyiv".to_string(),
        ]]
    );
    let t: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
    assert!(near_duplicates(&t).is_empty(), "rewrites, not copies");
    let most = widest_margin(&texts, &grouped);
    assert!(most < REWRITE_MIN_SENTENCES, "{most}");
    for (a, b) in [(0, 1), (0, 4), (1, 4)] {
        let n = aligned_sentences(&sentence_words(&texts[a].1), &sentence_words(&texts[b].1));
        println!("  {} / {}: {n} aligned (one story)", texts[a].0, texts[b].0);
        assert!(n >= REWRITE_MIN_SENTENCES, "the margin shrank: {n}");
    }
}

#[test]
fn independent_accounts_of_one_event_are_not_rewrites() {
    for set in ["news-dev", "news-heldout"] {
        let texts = read_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join(set),
        );
        let t: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
        println!("{set}:");
        assert!(
            rewrites(&t)
                .iter()
                .all(|r| { near_duplicates(&[t[r.a], t[r.b]]).len() == 1 }),
            "{set}: a rewrite that is not a copy"
        );
        let grouped = story_groups(&texts);
        println!("{set}: {} reports, groups {grouped:?}", texts.len());
        let most = widest_margin(&texts, &grouped);
        assert!(most < REWRITE_MIN_SENTENCES, "{set}: {most}");
    }
}

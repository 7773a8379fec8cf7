//! Reports of one story: copies of one wire story published by several outlets, and rewrites
//! of it, found by text similarity. Copies and rewrites count as one source in corroboration,
//! whatever outlet carries them.
//!
//! **Copies.** Each report's running text is folded (quote marks, dashes, case) into words and
//! cut into overlapping runs of [`SHINGLE`] words. Two reports are near-duplicates when the runs
//! they share are at least [`NEAR_DUPLICATE`] of the runs of the shorter one (containment: a
//! short excerpt of a wire story is a copy of it as much as the whole story is).
//!
//! **Rewrites.** An outlet that rewrites a wire story keeps its facts and their order but not its
//! words: few runs of five words survive. Each sentence is reduced to its content words (no
//! function words, each cut to its first [`STEM`] letters, so that "launched"/"launching" and
//! "analysis"/"analyses" meet); two sentences *match* when they share at least
//! [`SENTENCE_MATCH`] of the content words of the shorter one. Two reports are rewrites of one
//! story when at least [`REWRITE_MIN_SENTENCES`] matching sentences occur in the same order in
//! both (the longest such chain), and they make at least [`REWRITE_MIN_SHARE`] of the shorter
//! report's sentences. Independent reports of one event share a sentence or two ("the talks
//! began on Monday"); a rewrite shares the story's sequence. This is a heuristic with measured
//! margins (docs/evidence.md), not a proof of common origin.
//!
//! Copies and rewrites are grouped transitively.

use std::collections::BTreeSet;

use crate::text::fold;
use crate::Watch;

/// Words per run. Five words in the same order are rarely shared by independent writers
/// except in quotations; a wire copy shares nearly all of them.
pub const SHINGLE: usize = 5;

/// The share of the shorter report's runs that makes two reports near-duplicates.
pub const NEAR_DUPLICATE: f64 = 0.5;

/// The fewest runs a report needs before it is compared: a report of one short sentence
/// shares too little to be told from a quotation.
pub const MIN_SHINGLES: usize = 8;

/// The runs of words of a text, hashed (FNV-1a, so that the result does not depend on the
/// platform or on a random seed).
pub fn shingles(text: &str) -> BTreeSet<u64> {
    let folded = fold(text).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = BTreeSet::new();
    for run in words.windows(SHINGLE) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for w in run {
            for b in w.bytes().chain(std::iter::once(b' ')) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        out.insert(h);
    }
    out
}

/// The share of the smaller set's runs that the other set holds too; 0 when either has fewer
/// than [`MIN_SHINGLES`].
pub fn containment(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    let small = a.len().min(b.len());
    if small < MIN_SHINGLES {
        return 0.0;
    }
    let shared = if a.len() <= b.len() {
        a.iter().filter(|h| b.contains(h)).count()
    } else {
        b.iter().filter(|h| a.contains(h)).count()
    };
    shared as f64 / small as f64
}

/// A pair of reports found to be near-duplicates (or, from [`rewrites`], rewrites of one story).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Copy {
    /// The reports, by index, `a < b`.
    pub a: usize,
    /// The other report.
    pub b: usize,
    /// Their containment (for a rewrite: the share of the shorter report's sentences that
    /// align).
    pub shared: f64,
}

/// The near-duplicate pairs among texts, in index order.
pub fn near_duplicates(texts: &[&str]) -> Vec<Copy> {
    near_duplicates_until(texts, Watch::default())
}

/// [`near_duplicates`] under the caller's [`Watch`], polled and reported to before each text's
/// comparisons: once its stop is set, what it returns is partial (the caller discards it).
pub fn near_duplicates_until(texts: &[&str], watch: Watch<'_>) -> Vec<Copy> {
    let sets: Vec<BTreeSet<u64>> = texts.iter().map(|t| shingles(t)).collect();
    let mut out = Vec::new();
    for a in 0..sets.len() {
        if watch.stopped() {
            break;
        }
        watch.progress("looking for copies", a, sets.len());
        for b in a + 1..sets.len() {
            let shared = containment(&sets[a], &sets[b]);
            if shared >= NEAR_DUPLICATE {
                out.push(Copy { a, b, shared });
            }
        }
    }
    out
}

/// Letters a content word is cut to.
pub const STEM: usize = 5;

/// The fewest content words a sentence needs to be compared: shorter ones ("He said so.")
/// match by chance.
pub const MIN_CONTENT_WORDS: usize = 5;

/// The share of the shorter sentence's content words two sentences must share to match.
pub const SENTENCE_MATCH: f64 = 0.5;

/// The fewest matching sentences, in the same order in both reports, that make a rewrite.
pub const REWRITE_MIN_SENTENCES: usize = 5;

/// The least share of the shorter report's sentences that must align for a rewrite.
pub const REWRITE_MIN_SHARE: f64 = 0.2;

/// Function words and reporting verbs: what every report of any story is made of.
const FUNCTION_WORDS: &[&str] = &[
    "about",
    "according",
    "after",
    "all",
    "also",
    "and",
    "any",
    "are",
    "been",
    "before",
    "being",
    "but",
    "can",
    "could",
    "did",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "her",
    "here",
    "his",
    "how",
    "into",
    "its",
    "may",
    "might",
    "more",
    "most",
    "not",
    "only",
    "other",
    "our",
    "over",
    "said",
    "say",
    "says",
    "shall",
    "she",
    "should",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "very",
    "was",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
];

/// The content words of a sentence, cut to [`STEM`] letters; numbers are kept whole.
pub fn content_words(sentence: &str) -> BTreeSet<String> {
    let folded = fold(sentence).to_lowercase();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            w.chars().all(|c| c.is_ascii_digit())
                || (w.chars().count() > 2 && !FUNCTION_WORDS.contains(w))
        })
        .map(|w| {
            if w.chars().all(|c| c.is_ascii_digit()) {
                w.to_string()
            } else {
                w.chars().take(STEM).collect()
            }
        })
        .collect()
}

/// The sentences of a text with at least [`MIN_CONTENT_WORDS`] content words, as content-word
/// sets, in order. Lines are sentences' outer bounds (a heading never runs into a paragraph).
pub fn sentence_words(text: &str) -> Vec<BTreeSet<String>> {
    use unicode_segmentation::UnicodeSegmentation;
    text.lines()
        .flat_map(|line| line.split_sentence_bounds())
        .map(content_words)
        .filter(|w| w.len() >= MIN_CONTENT_WORDS)
        .collect()
}

/// Whether two sentences (content-word sets) match.
pub fn sentences_match(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let small = a.len().min(b.len());
    if small == 0 {
        return false;
    }
    let shared = if a.len() <= b.len() {
        a.iter().filter(|w| b.contains(*w)).count()
    } else {
        b.iter().filter(|w| a.contains(*w)).count()
    };
    shared as f64 >= SENTENCE_MATCH * small as f64
}

/// The length of the longest chain of matching sentences that occur in the same order in both
/// reports (a longest common subsequence under [`sentences_match`]).
///
/// The matching pairs are found through an index of content words, and the chain is a longest
/// strictly increasing run of their positions in `b` taken in order of `a` (positions of one
/// sentence of `a` in decreasing order, so that a sentence is used once): the work grows with
/// the matching pairs, not with the product of the reports' lengths.
pub fn aligned_sentences(a: &[BTreeSet<String>], b: &[BTreeSet<String>]) -> usize {
    use std::collections::HashMap;
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, s) in b.iter().enumerate() {
        for w in s {
            index.entry(w.as_str()).or_default().push(j);
        }
    }
    // Tails of the shortest increasing chains of each length (patience sorting).
    let mut tails: Vec<usize> = Vec::new();
    let mut seen: Vec<usize> = vec![usize::MAX; b.len()];
    for (i, s) in a.iter().enumerate() {
        let mut candidates: Vec<usize> = Vec::new();
        for w in s {
            for &j in index.get(w.as_str()).map_or(&[][..], Vec::as_slice) {
                if seen[j] != i {
                    seen[j] = i;
                    candidates.push(j);
                }
            }
        }
        let mut matches: Vec<usize> = candidates
            .into_iter()
            .filter(|&j| sentences_match(s, &b[j]))
            .collect();
        matches.sort_unstable_by(|x, y| y.cmp(x));
        for j in matches {
            let at = tails.partition_point(|&t| t < j);
            if at == tails.len() {
                tails.push(j);
            } else {
                tails[at] = j;
            }
        }
    }
    tails.len()
}

/// The pairs of texts that are rewrites of one story (in index order), with the share of the
/// shorter text's sentences that align. Pairs that are copies are found too; callers that want
/// only rewrites remove those [`near_duplicates`] reports.
pub fn rewrites(texts: &[&str]) -> Vec<Copy> {
    rewrites_until(texts, &BTreeSet::new(), Watch::default())
}

/// [`rewrites`], leaving out the pairs `(a, b)`, `a < b`, of `skip` (the copies, which callers
/// remove anyway), under the caller's [`Watch`], polled and reported to before each text's
/// comparisons: once its stop is set, what it returns is partial (the caller discards it).
pub fn rewrites_until(
    texts: &[&str],
    skip: &BTreeSet<(usize, usize)>,
    watch: Watch<'_>,
) -> Vec<Copy> {
    let sentences: Vec<Vec<BTreeSet<String>>> = texts.iter().map(|t| sentence_words(t)).collect();
    let mut out = Vec::new();
    for a in 0..texts.len() {
        if watch.stopped() {
            break;
        }
        watch.progress("looking for rewrites", a, texts.len());
        for b in a + 1..texts.len() {
            if skip.contains(&(a, b)) {
                continue;
            }
            let small = sentences[a].len().min(sentences[b].len());
            if small < REWRITE_MIN_SENTENCES {
                continue;
            }
            let aligned = aligned_sentences(&sentences[a], &sentences[b]);
            let share = aligned as f64 / small as f64;
            if aligned >= REWRITE_MIN_SENTENCES && share >= REWRITE_MIN_SHARE {
                out.push(Copy {
                    a,
                    b,
                    shared: share,
                });
            }
        }
    }
    out
}

/// For each of `n` reports, the smallest index of its group of copies (its own index when it
/// copies nothing): the connected components of the pairs.
pub fn groups(n: usize, pairs: &[Copy]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for p in pairs {
        let (ra, rb) = (find(&mut parent, p.a), find(&mut parent, p.b));
        // The smaller index is the root, so a group is named by its first report.
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        parent[hi] = lo;
    }
    (0..n).map(|x| find(&mut parent, x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WIRE: &str = "Delegations of Russia and Ukraine concluded their meeting in Istanbul on Friday, agreeing to hold a new round of negotiations and have a large-scale prisoner exchange. As a key outcome of the two-hour talks, Russia and Ukraine agreed to a prisoner exchange involving 1,000 people from each side.";

    #[test]
    fn a_wire_copy_is_a_near_duplicate_and_a_rewrite_is_not() {
        let copy = format!(
            "ISTANBUL, TURKEY | Xinhua | {} Umerov described it as the largest exchange.",
            WIRE.replace("Istanbul", "Türkiye’s Istanbul")
        );
        let rewrite = "Russia and Ukraine held their first direct talks since 2022 in Istanbul on Friday, a meeting that lasted less than two hours; the two sides agreed to swap 1,000 prisoners each and to meet again.";
        let pairs = near_duplicates(&[WIRE, &copy, rewrite]);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].a, pairs[0].b), (0, 1));
        assert!(pairs[0].shared > 0.8);
        assert_eq!(groups(3, &pairs), [0, 0, 2]);
    }

    #[test]
    fn content_words_leave_out_function_words_and_cut_stems() {
        let w = content_words("Russia launched drones at the residence of Putin, 28 killed.");
        let expected: BTreeSet<String> =
            ["russi", "launc", "drone", "resid", "putin", "28", "kille"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(w, expected);
    }

    #[test]
    fn a_rewrite_keeps_the_facts_in_order_and_an_independent_report_does_not() {
        let wire = "Senior security advisers from fifteen countries gathered in Kyiv on Saturday to review the peace proposal.\n\
            Ukraine's chief negotiator Rustem Umerov confirmed on Telegram that the advisers had arrived.\n\
            Envoy Steve Witkoff joined the talks virtually, according to Ukrainian officials.\n\
            Russia accused Ukraine of launching drones at a residence of President Vladimir Putin, a claim Kyiv denied.\n\
            An AFP analysis of Institute for the Study of War data found Russia made larger battlefield gains last year.\n\
            President Zelensky announced significant changes in his inner circle, naming a new chief of staff.\n";
        let rewrite = "Security advisers from Ukraine's allies gathered in Kyiv on Monday to review a peace proposal.\n\
            Special envoy Steve Witkoff participated virtually in the talks, a Ukrainian official said.\n\
            Moscow also claimed Ukraine launched drones at a residence of President Vladimir Putin; Kyiv denied it.\n\
            An AFP analysis of data from the Institute for the Study of War said Russia made larger territorial gains last year.\n\
            As the year opened, Zelensky announced sweeping personnel changes in his circle, naming a new chief of staff.\n\
            Chief negotiator Rustem Umerov confirmed on Telegram that the advisers had arrived in Kyiv.\n";
        let independent = "Air-raid sirens sounded across the capital as delegations arrived for the hybrid meeting.\n\
            Most European participants attended in person while American officials joined by secure video link.\n\
            Additional sessions are planned in Paris and other European capitals in the coming days.\n\
            Putin continues to insist on maximalist demands, a stance that has frustrated Washington.\n\
            Ukraine ordered the evacuation of three thousand children and their parents from frontline regions.\n\
            Witkoff joined the Kyiv talks by video, officials said.\n";
        let a = sentence_words(wire);
        let b = sentence_words(rewrite);
        // Five of the six facts come in the same order; Umerov's is moved to the end.
        assert_eq!(aligned_sentences(&a, &b), 5);
        let pairs = rewrites(&[wire, rewrite, independent]);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].a, pairs[0].b), (0, 1));
        // The shingles of a rewrite are not a copy's.
        assert!(near_duplicates(&[wire, rewrite]).is_empty());
    }

    #[test]
    fn short_texts_are_not_compared() {
        assert_eq!(
            containment(&shingles("Kyiv said so."), &shingles("Kyiv said so.")),
            0.0
        );
    }

    /// The groups by brute force: repeat merging any two groups joined by a pair until nothing
    /// changes, then name each group by its smallest member.
    fn groups_reference(n: usize, pairs: &[(usize, usize)]) -> Vec<usize> {
        let mut sets: Vec<BTreeSet<usize>> = (0..n).map(|x| BTreeSet::from([x])).collect();
        loop {
            let mut merged = false;
            'outer: for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    let joined = pairs.iter().any(|&(a, b)| {
                        (sets[i].contains(&a) && sets[j].contains(&b))
                            || (sets[i].contains(&b) && sets[j].contains(&a))
                    });
                    if joined {
                        let s = sets.remove(j);
                        sets[i].extend(s);
                        merged = true;
                        break 'outer;
                    }
                }
            }
            if !merged {
                break;
            }
        }
        (0..n)
            .map(|x| {
                let s = sets.iter().find(|s| s.contains(&x)).unwrap();
                *s.iter().next().unwrap()
            })
            .collect()
    }

    proptest! {
        #[test]
        fn groups_are_the_connected_components(
            n in 1usize..9,
            raw in proptest::collection::vec((0usize..9, 0usize..9), 0..12),
        ) {
            let pairs: Vec<(usize, usize)> = raw
                .into_iter()
                .map(|(a, b)| (a % n, b % n))
                .filter(|(a, b)| a != b)
                .map(|(a, b)| (a.min(b), a.max(b)))
                .collect();
            let copies: Vec<Copy> = pairs.iter().map(|&(a, b)| Copy { a, b, shared: 1.0 }).collect();
            prop_assert_eq!(groups(n, &copies), groups_reference(n, &pairs));
        }

        /// The chain of aligned sentences found through the index equals the longest common
        /// subsequence under the match relation computed by dynamic programming over every pair.
        #[test]
        fn aligned_sentences_is_the_longest_common_subsequence(
            a in proptest::collection::vec(proptest::collection::btree_set(0usize..8, 1..5), 0..12),
            b in proptest::collection::vec(proptest::collection::btree_set(0usize..8, 1..5), 0..12),
        ) {
            let words = |s: &BTreeSet<usize>| -> BTreeSet<String> {
                s.iter().map(|k| format!("w{k}")).collect()
            };
            let a: Vec<BTreeSet<String>> = a.iter().map(words).collect();
            let b: Vec<BTreeSet<String>> = b.iter().map(words).collect();
            let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for i in 0..a.len() {
                for j in 0..b.len() {
                    let step = usize::from(sentences_match(&a[i], &b[j]));
                    table[i + 1][j + 1] = table[i][j + 1]
                        .max(table[i + 1][j])
                        .max(table[i][j] + step);
                }
            }
            prop_assert_eq!(aligned_sentences(&a, &b), table[a.len()][b.len()]);
        }

        /// Containment by hashing agrees with containment computed on the runs themselves.
        #[test]
        fn containment_matches_the_runs(
            a in proptest::collection::vec(0usize..6, 0..30),
            b in proptest::collection::vec(0usize..6, 0..30),
        ) {
            const WORDS: [&str; 6] = ["kyiv", "said", "the", "talks", "ended", "friday"];
            let ta: Vec<&str> = a.iter().map(|&k| WORDS[k]).collect();
            let tb: Vec<&str> = b.iter().map(|&k| WORDS[k]).collect();
            let runs = |t: &[&str]| -> BTreeSet<Vec<String>> {
                t.windows(SHINGLE).map(|w| w.iter().map(|s| s.to_string()).collect()).collect()
            };
            let (ra, rb) = (runs(&ta), runs(&tb));
            let small = ra.len().min(rb.len());
            let expected = if small < MIN_SHINGLES {
                0.0
            } else {
                let (x, y) = if ra.len() <= rb.len() { (&ra, &rb) } else { (&rb, &ra) };
                x.intersection(y).count() as f64 / small as f64
            };
            let got = containment(&shingles(&ta.join(" ")), &shingles(&tb.join(" ")));
            prop_assert!((got - expected).abs() < 1e-12, "{} vs {}", got, expected);
        }
    }
}

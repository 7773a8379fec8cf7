//! Near-duplicate reports: copies of one wire story published by several outlets, found by
//! text similarity. Copies count as one source in corroboration, whatever outlet carries them.
//!
//! Each report's running text is folded (quote marks, dashes, case) into words and cut into
//! overlapping runs of [`SHINGLE`] words. Two reports are near-duplicates when the runs they
//! share are at least [`NEAR_DUPLICATE`] of the runs of the shorter one (containment: a short
//! excerpt of a wire story is a copy of it as much as the whole story is). Copies are grouped
//! transitively.

use std::collections::BTreeSet;

use crate::text::fold;

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

/// A pair of reports found to be near-duplicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Copy {
    /// The reports, by index, `a < b`.
    pub a: usize,
    /// The other report.
    pub b: usize,
    /// Their containment.
    pub shared: f64,
}

/// The near-duplicate pairs among texts, in index order.
pub fn near_duplicates(texts: &[&str]) -> Vec<Copy> {
    let sets: Vec<BTreeSet<u64>> = texts.iter().map(|t| shingles(t)).collect();
    let mut out = Vec::new();
    for a in 0..sets.len() {
        for b in a + 1..sets.len() {
            let shared = containment(&sets[a], &sets[b]);
            if shared >= NEAR_DUPLICATE {
                out.push(Copy { a, b, shared });
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

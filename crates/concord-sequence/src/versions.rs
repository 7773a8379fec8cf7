//! Versions of the framework document: points matched by content across versions, word-level
//! diffs of what changed, the lineage of points over several versions, and each version's
//! acceptance by party.
//!
//! Points are matched by what they say, never by their number: the similarity of two points is
//! the similarity of their words and, when both name the issues they settle, the overlap of
//! those issues (Jaccard). Words are compared lower-cased, without common function words and
//! cut to their first six letters (a crude stem: "decentralise" and "decentralisation" agree);
//! the similarity of two texts is `similar`'s ratio (2 × words in common, in order / all
//! words), and that of two points the mean of their titles' and their summaries' (the whole
//! text's when either summary is empty). A maximum-weight assignment (the Hungarian method,
//! exact) pairs points whose similarity reaches a threshold.
//!
//! Versions are often known only in part (a draft of 28 points of which the reports describe
//! two): a version may say how many points it has and which issues it is known to leave out, and
//! an unmatched point is then called removed, added or "not known" accordingly rather than
//! guessed.

use concord_core::model::{Provenance, Stance};
use similar::{Algorithm, ChangeTag};

/// One version of the framework document.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// Short name, e.g. `"28-point"`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// When it was tabled, as written (`"2025-11"`).
    pub date: Option<String>,
    /// How many points the document has, when more are known to exist than are listed.
    pub total_points: Option<u32>,
    /// Issue ids the version is known to leave out (not settle).
    pub leaves_out: Vec<String>,
    /// The points known.
    pub points: Vec<VersionPoint>,
    /// Free text.
    pub note: Option<String>,
    /// Where what is known of the version comes from.
    pub provenance: Provenance,
}

impl Version {
    /// Whether every point of the version is listed.
    pub fn is_complete(&self) -> bool {
        self.total_points
            .is_none_or(|t| t as usize <= self.points.len())
    }

    /// How many points the version has: its stated total, or the points listed.
    pub fn point_count(&self) -> usize {
        self.total_points
            .map_or(self.points.len(), |t| (t as usize).max(self.points.len()))
    }
}

/// A party's stance on a point, with its basis.
#[derive(Debug, Clone, PartialEq)]
pub struct PointStance {
    /// The party's id.
    pub party: String,
    /// Its stance.
    pub stance: Stance,
    /// Where the stance comes from.
    pub provenance: Provenance,
}

/// A point of a version.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionPoint {
    /// Its number in the document, when known.
    pub number: Option<u32>,
    /// Its title.
    pub title: String,
    /// A summary of its text.
    pub summary: String,
    /// The ids of the issues it settles.
    pub issues: Vec<String>,
    /// Parties' stances; a party not listed has not stated one.
    pub stances: Vec<PointStance>,
    /// Where the point's text comes from.
    pub provenance: Provenance,
}

/// How points are matched.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchConfig {
    /// The least similarity (0 to 1) for two points to be the same point.
    pub threshold: f64,
    /// The weight of the text in the similarity when both points name issues; the issues'
    /// overlap has the rest.
    pub text_weight: f64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            threshold: 0.5,
            text_weight: 0.6,
        }
    }
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "the", "their", "this", "that", "to", "which", "with",
];

/// The words of a text that carry content: lower-cased runs of letters and digits, without
/// common function words, cut to their first six characters.
pub fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| w.chars().take(6).collect())
        .collect()
}

/// The similarity of two texts' content words: 2 × words in common (in order) / all words, by
/// `similar`; 1 when both have none.
pub fn words_similarity(a: &str, b: &str) -> f64 {
    let (wa, wb) = (content_words(a), content_words(b));
    let ops = similar::capture_diff_slices(Algorithm::Myers, &wa, &wb);
    f64::from(similar::get_diff_ratio(&ops, wa.len(), wb.len()))
}

/// The similarity of two points' texts: the mean of their titles' and summaries' similarity,
/// or of their whole texts' when either has no summary.
pub fn text_similarity(a: &VersionPoint, b: &VersionPoint) -> f64 {
    if a.summary.trim().is_empty() || b.summary.trim().is_empty() {
        words_similarity(
            &format!("{} {}", a.title, a.summary),
            &format!("{} {}", b.title, b.summary),
        )
    } else {
        (words_similarity(&a.title, &b.title) + words_similarity(&a.summary, &b.summary)) / 2.0
    }
}

/// The Jaccard overlap of two issue lists; `None` when either is empty.
pub fn issue_overlap(a: &[String], b: &[String]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut a: Vec<&String> = a.iter().collect();
    let mut b: Vec<&String> = b.iter().collect();
    a.sort_unstable();
    a.dedup();
    b.sort_unstable();
    b.dedup();
    let inter = a.iter().filter(|i| b.contains(i)).count();
    let union = a.len() + b.len() - inter;
    Some(inter as f64 / union as f64)
}

/// The similarity of two points, in [0, 1].
pub fn similarity(a: &VersionPoint, b: &VersionPoint, config: &MatchConfig) -> f64 {
    let text = text_similarity(a, b);
    match issue_overlap(&a.issues, &b.issues) {
        Some(o) => config.text_weight * text + (1.0 - config.text_weight) * o,
        None => text,
    }
}

/// A maximum-weight assignment of rows to columns (each used at most once) over `weights`
/// (rows × columns, all ≥ 0), by the Hungarian method; pairs of weight 0 are left out. Returns
/// `(row, column)` pairs in row order.
pub fn assignment(weights: &[Vec<f64>]) -> Vec<(usize, usize)> {
    let rows = weights.len();
    let cols = weights.first().map_or(0, Vec::len);
    let n = rows.max(cols);
    if n == 0 {
        return Vec::new();
    }
    let top = weights.iter().flatten().copied().fold(0.0_f64, f64::max);
    // Minimise top - weight over an n × n matrix padded with zero weights.
    let cost = |i: usize, j: usize| -> f64 {
        top - weights
            .get(i)
            .and_then(|r| r.get(j))
            .copied()
            .unwrap_or(0.0)
    };
    // 1-based potentials and matching, as in the classic O(n³) formulation.
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; n + 1];
    let mut p = vec![0usize; n + 1];
    let mut way = vec![0usize; n + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out: Vec<(usize, usize)> = (1..=n)
        .filter(|&j| p[j] >= 1 && p[j] <= rows && j <= cols)
        .map(|j| (p[j] - 1, j - 1))
        .filter(|&(i, j)| weights[i][j] > 0.0)
        .collect();
    out.sort_unstable();
    out
}

/// Pairs of points (old index, new index, similarity) that are the same point.
pub fn match_points(
    old: &Version,
    new: &Version,
    config: &MatchConfig,
) -> Vec<(usize, usize, f64)> {
    let scores: Vec<Vec<f64>> = old
        .points
        .iter()
        .map(|a| {
            new.points
                .iter()
                .map(|b| similarity(a, b, config))
                .collect()
        })
        .collect();
    let weights: Vec<Vec<f64>> = scores
        .iter()
        .map(|r| {
            r.iter()
                .map(|&s| if s >= config.threshold { s } else { 0.0 })
                .collect()
        })
        .collect();
    assignment(&weights)
        .into_iter()
        .map(|(i, j)| (i, j, scores[i][j]))
        .collect()
}

/// A run of words of a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Whether the words are kept, removed or added.
    pub kind: PieceKind,
    /// The words, with their spacing.
    pub text: String,
}

/// What happened to a run of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// In both texts.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// A word-level diff of two texts (`similar`, patience algorithm), adjacent words of one kind
/// merged. When fewer than half of the words agree (`similar`'s ratio below 0.5), a
/// word-by-word interleaving would be unreadable, and the old text is shown replaced by the new.
pub fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    if similar::TextDiff::from_words(old, new).ratio() < 0.5 {
        return [(PieceKind::Removed, old), (PieceKind::Added, new)]
            .into_iter()
            .filter(|(_, text)| !text.is_empty())
            .map(|(kind, text)| Piece {
                kind,
                text: text.to_string(),
            })
            .collect();
    }
    let mut out: Vec<Piece> = Vec::new();
    for (tag, text) in similar::utils::diff_words(Algorithm::Patience, old, new) {
        let kind = match tag {
            ChangeTag::Equal => PieceKind::Same,
            ChangeTag::Delete => PieceKind::Removed,
            ChangeTag::Insert => PieceKind::Added,
        };
        match out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => out.push(Piece {
                kind,
                text: text.to_string(),
            }),
        }
    }
    out
}

/// A point found in both versions.
#[derive(Debug, Clone, PartialEq)]
pub struct PointChange {
    /// Index of the point in the old version.
    pub old: usize,
    /// Index in the new version.
    pub new: usize,
    /// Their similarity.
    pub score: f64,
    /// Whether both numbers are known and differ.
    pub renumbered: bool,
    /// The word diff of the titles, when they differ.
    pub title: Option<Vec<Piece>>,
    /// The word diff of the summaries, when they differ.
    pub summary: Option<Vec<Piece>>,
    /// Issues the new point settles and the old did not.
    pub issues_added: Vec<String>,
    /// Issues the old point settled and the new does not.
    pub issues_removed: Vec<String>,
}

impl PointChange {
    /// Whether the point's text or issues changed.
    pub fn changed(&self) -> bool {
        self.title.is_some()
            || self.summary.is_some()
            || !self.issues_added.is_empty()
            || !self.issues_removed.is_empty()
    }
}

/// What became of an old point with no match in the new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldFate {
    /// The new version is fully listed and has no such point.
    Removed,
    /// The new version is known to leave out every issue the point settles.
    LeftOut,
    /// The new version is known only in part: the point may be among its unlisted points.
    NotKnown,
}

/// Where a new point with no match in the old version comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewFate {
    /// The old version is fully listed and has no such point.
    Added,
    /// The old version is known only in part.
    NotKnown,
}

/// The comparison of two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionDiff {
    /// Points in both, in old order.
    pub matched: Vec<PointChange>,
    /// Old points without a match, in old order.
    pub old_only: Vec<(usize, OldFate)>,
    /// New points without a match, in new order.
    pub new_only: Vec<(usize, NewFate)>,
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compares two versions.
pub fn diff(old: &Version, new: &Version, config: &MatchConfig) -> VersionDiff {
    let pairs = match_points(old, new, config);
    let matched = pairs
        .iter()
        .map(|&(i, j, score)| {
            let (a, b) = (&old.points[i], &new.points[j]);
            let changed = |x: &str, y: &str| (squash(x) != squash(y)).then(|| word_diff(x, y));
            PointChange {
                old: i,
                new: j,
                score,
                renumbered: matches!((a.number, b.number), (Some(x), Some(y)) if x != y),
                title: changed(&a.title, &b.title),
                summary: changed(&a.summary, &b.summary),
                issues_added: b
                    .issues
                    .iter()
                    .filter(|x| !a.issues.contains(x))
                    .cloned()
                    .collect(),
                issues_removed: a
                    .issues
                    .iter()
                    .filter(|x| !b.issues.contains(x))
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let old_only = (0..old.points.len())
        .filter(|i| !pairs.iter().any(|p| p.0 == *i))
        .map(|i| {
            let issues = &old.points[i].issues;
            let fate = if !issues.is_empty() && issues.iter().all(|x| new.leaves_out.contains(x)) {
                OldFate::LeftOut
            } else if new.is_complete() {
                OldFate::Removed
            } else {
                OldFate::NotKnown
            };
            (i, fate)
        })
        .collect();
    let new_only = (0..new.points.len())
        .filter(|j| !pairs.iter().any(|p| p.1 == *j))
        .map(|j| {
            (
                j,
                if old.is_complete() {
                    NewFate::Added
                } else {
                    NewFate::NotKnown
                },
            )
        })
        .collect();
    VersionDiff {
        matched,
        old_only,
        new_only,
    }
}

/// How the points of one version fare in a later one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survival {
    /// The earlier version (index).
    pub from: usize,
    /// The later version.
    pub to: usize,
    /// Points of `from` (its stated total, listed or not).
    pub of: usize,
    /// Listed points of `from` matched in every version up to `to`.
    pub survive: usize,
    /// Listed points of `from` known to be removed or left out on the way.
    pub dropped: usize,
    /// The rest: unlisted points of `from`, and listed ones whose fate a partly known version
    /// hides.
    pub unknown: usize,
}

/// Points followed across a series of versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Lineage {
    /// The diff of each version with the next.
    pub diffs: Vec<VersionDiff>,
    /// Each point's line: its index in each version, `None` where absent. A line starts at the
    /// first version the point appears in, in version then point order.
    pub lines: Vec<Vec<Option<usize>>>,
    /// For every pair of versions `from < to`.
    pub survival: Vec<Survival>,
}

/// Follows points from each version to the next, in the order given (oldest first).
pub fn lineage(versions: &[Version], config: &MatchConfig) -> Lineage {
    let diffs: Vec<VersionDiff> = versions
        .windows(2)
        .map(|w| diff(&w[0], &w[1], config))
        .collect();
    let k = versions.len();
    let mut lines: Vec<Vec<Option<usize>>> = Vec::new();
    for v in 0..k {
        for p in 0..versions[v].points.len() {
            let continued = v > 0 && diffs[v - 1].matched.iter().any(|m| m.new == p);
            if continued {
                continue;
            }
            let mut line = vec![None; k];
            line[v] = Some(p);
            let mut cur = p;
            for w in v..k.saturating_sub(1) {
                match diffs[w].matched.iter().find(|m| m.old == cur) {
                    Some(m) => {
                        cur = m.new;
                        line[w + 1] = Some(cur);
                    }
                    None => break,
                }
            }
            lines.push(line);
        }
    }
    let mut survival = Vec::new();
    for from in 0..k {
        for to in from + 1..k {
            let (mut survive, mut dropped) = (0, 0);
            for line in lines.iter().filter(|l| l[from].is_some()) {
                if line[to].is_some() {
                    survive += 1;
                    continue;
                }
                // The last version the point is in, and what the next diff says of it.
                let last = (from..to)
                    .rev()
                    .find(|&w| line[w].is_some())
                    .expect("the line is in `from`");
                let p = line[last].expect("found");
                let fate = diffs[last].old_only.iter().find(|o| o.0 == p).map(|o| o.1);
                if matches!(fate, Some(OldFate::Removed | OldFate::LeftOut)) {
                    dropped += 1;
                }
            }
            let of = versions[from].point_count();
            survival.push(Survival {
                from,
                to,
                of,
                survive,
                dropped,
                unknown: of - survive - dropped,
            });
        }
    }
    Lineage {
        diffs,
        lines,
        survival,
    }
}

/// A party's stances over the points of one version.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptance {
    /// The party's id.
    pub party: String,
    /// Points it accepts.
    pub accepts: usize,
    /// Points it holds reservations on.
    pub reserves: usize,
    /// Points it rejects.
    pub rejects: usize,
    /// Listed points on which it has stated nothing.
    pub not_stated: usize,
    /// `accepts` over the listed points; `None` when none are listed.
    pub share: Option<f64>,
}

/// Each party's acceptance of a version's listed points, for the parties given (in that
/// order).
pub fn acceptance(version: &Version, parties: &[String]) -> Vec<Acceptance> {
    parties
        .iter()
        .map(|party| {
            let mut a = Acceptance {
                party: party.clone(),
                accepts: 0,
                reserves: 0,
                rejects: 0,
                not_stated: 0,
                share: None,
            };
            for p in &version.points {
                match p
                    .stances
                    .iter()
                    .find(|s| &s.party == party)
                    .map(|s| s.stance)
                {
                    Some(Stance::Accepts) => a.accepts += 1,
                    Some(Stance::Reserves) => a.reserves += 1,
                    Some(Stance::Rejects) => a.rejects += 1,
                    Some(Stance::NotStated) | None => a.not_stated += 1,
                }
            }
            let n = version.points.len();
            a.share = (n > 0).then(|| a.accepts as f64 / n as f64);
            a
        })
        .collect()
}

/// The parties with a stated stance on any point of the versions, in order of first mention.
pub fn parties_with_stances(versions: &[Version]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in versions {
        for p in &v.points {
            for s in &p.stances {
                if s.stance != Stance::NotStated && !out.contains(&s.party) {
                    out.push(s.party.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(number: u32, title: &str, summary: &str, issues: &[&str]) -> VersionPoint {
        VersionPoint {
            number: Some(number),
            title: title.into(),
            summary: summary.into(),
            issues: issues.iter().map(|s| s.to_string()).collect(),
            stances: vec![],
            provenance: Provenance::default(),
        }
    }

    fn version(id: &str, points: Vec<VersionPoint>) -> Version {
        Version {
            id: id.into(),
            title: id.into(),
            date: None,
            total_points: None,
            leaves_out: vec![],
            points,
            note: None,
            provenance: Provenance::default(),
        }
    }

    #[test]
    fn points_are_matched_by_content_not_number() {
        let old = version(
            "a",
            vec![
                point(
                    1,
                    "Ceasefire",
                    "A ceasefire along the line of contact.",
                    &["ceasefire"],
                ),
                point(2, "Elections", "Elections within 100 days.", &["elections"]),
            ],
        );
        let new = version(
            "b",
            vec![
                point(
                    1,
                    "Elections",
                    "Elections after martial law ends.",
                    &["elections"],
                ),
                point(
                    2,
                    "Ceasefire",
                    "A ceasefire along the line of contact.",
                    &["ceasefire"],
                ),
                point(3, "Reconstruction", "An $800bn fund.", &["reconstruction"]),
            ],
        );
        let d = diff(&old, &new, &MatchConfig::default());
        assert_eq!(d.matched.len(), 2);
        let ceasefire = &d.matched[0];
        assert_eq!((ceasefire.old, ceasefire.new), (0, 1));
        assert!(ceasefire.renumbered && !ceasefire.changed());
        let elections = &d.matched[1];
        assert_eq!((elections.old, elections.new), (1, 0));
        assert!(elections.changed());
        let summary = elections.summary.as_ref().unwrap();
        assert!(summary
            .iter()
            .any(|p| p.kind == PieceKind::Removed && p.text.contains("100")));
        assert!(summary
            .iter()
            .any(|p| p.kind == PieceKind::Added && p.text.contains("martial")));
        assert_eq!(d.new_only, vec![(2, NewFate::Added)]);
        assert!(d.old_only.is_empty());
    }

    #[test]
    fn a_partly_known_version_does_not_claim_removals() {
        let old = version("a", vec![point(1, "NATO", "No membership.", &["nato"])]);
        let mut new = version(
            "b",
            vec![point(1, "Guarantees", "Deterrence.", &["guarantees"])],
        );
        new.total_points = Some(19);
        assert_eq!(
            diff(&old, &new, &MatchConfig::default()).old_only,
            vec![(0, OldFate::NotKnown)]
        );
        new.leaves_out = vec!["nato".into()];
        assert_eq!(
            diff(&old, &new, &MatchConfig::default()).old_only,
            vec![(0, OldFate::LeftOut)]
        );
        new.total_points = None;
        new.leaves_out.clear();
        assert_eq!(
            diff(&old, &new, &MatchConfig::default()).old_only,
            vec![(0, OldFate::Removed)]
        );
    }

    #[test]
    fn lineage_counts_survivors_across_versions() {
        let a = version(
            "a",
            vec![
                point(1, "Ceasefire", "Ceasefire on the line.", &["ceasefire"]),
                point(2, "NATO", "No membership.", &["nato"]),
                point(3, "Elections", "Elections in 100 days.", &["elections"]),
            ],
        );
        let b = version(
            "b",
            vec![
                point(1, "Ceasefire", "Ceasefire on the line.", &["ceasefire"]),
                point(2, "Elections", "Elections in 100 days.", &["elections"]),
            ],
        );
        let c = version(
            "c",
            vec![point(
                1,
                "Ceasefire",
                "Ceasefire on the line.",
                &["ceasefire"],
            )],
        );
        let l = lineage(&[a, b, c], &MatchConfig::default());
        assert_eq!(l.lines.len(), 3);
        let s = |from, to| {
            l.survival
                .iter()
                .find(|s| s.from == from && s.to == to)
                .unwrap()
                .clone()
        };
        assert_eq!((s(0, 1).survive, s(0, 1).dropped), (2, 1));
        assert_eq!(
            (s(0, 2).survive, s(0, 2).dropped, s(0, 2).unknown),
            (1, 2, 0)
        );
        assert_eq!(s(1, 2).survive, 1);
    }
}

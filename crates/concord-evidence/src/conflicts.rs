//! Claims about the same event across reports: alignment, conflicts (numbers, dates, titles,
//! counts, the order of document versions) and corroboration by independent sources.
//!
//! Alignment works on clauses (a sentence is split at `;` and at `, and` between two clauses),
//! each a bag of content words weighted by rarity across all reports (tf-idf, actors folded to
//! their ids). Two clauses of different reports are aligned when each is the other's most
//! similar clause in that report and their cosine similarity reaches a threshold. Aligned
//! clauses form events (connected components). Numbers and dates are compared between aligned
//! clauses; counts ("15 countries") against named lists across an event; titles of the same
//! person across all reports; numbered document versions are put in time order from the
//! reports' dates and their own cues ("initial", "current", "last month").
//!
//! Nothing here compares every clause with every other: actors are looked up in an index of the
//! alias list ([`AliasIndex`]), and the clauses whose similarity can reach a threshold are found
//! through an inverted index of their terms (`similar_pairs`, prefix filtering), a superset of
//! the pairs that reach it, each then compared exactly as before. The comparisons of every pair
//! are kept as the brute-force reference the tests hold the index to.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::alias_index::{ActorLookup, AliasIndex};
use crate::date::DateSpan;
use crate::extract::{Claim, Extraction};
use crate::mentions::cue_is_earlier;
use crate::quantity::{format_value, Casualty, Qualifier, Quantity, Unit};
use crate::status::Mark;
use crate::text::{plain_lower, tokenize, Token, TokenKind};
use crate::when::When;
use crate::Watch;

/// Options of [`analyse`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConflictConfig {
    /// Least cosine similarity for two clauses to be aligned as the same event.
    pub threshold: f64,
    /// Least cosine similarity for two clauses that both give a day to have their dates
    /// compared. Lower than `threshold`, since reports word the same event very differently; the
    /// matching is one to one, so a clause is only compared with its closest counterpart, and a
    /// conflict found below `threshold` is marked tentative.
    pub compare_threshold: f64,
}

impl Default for ConflictConfig {
    fn default() -> Self {
        ConflictConfig {
            threshold: 0.3,
            compare_threshold: 0.15,
        }
    }
}

/// What differs between two accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictKind {
    /// Two figures of the same unit ("28 people" and "27 people").
    Number,
    /// Two dates of the same event ("Saturday" and "Monday").
    Date,
    /// A person's title ("former U.S. President" and "U.S. President").
    Title,
    /// A count and a named list ("15 countries" and "Britain, France and Germany").
    Count,
    /// The order of numbered versions of a document.
    Order,
}

impl ConflictKind {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Number => "number",
            ConflictKind::Date => "date",
            ConflictKind::Title => "title",
            ConflictKind::Count => "count",
            ConflictKind::Order => "order",
        }
    }
}

/// One account in a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// Index of the claim in [`Extraction::claims`].
    pub claim: usize,
    /// What this account says, normalised (`28 person`, `Saturday (2026-01-03)`).
    pub value: String,
}

/// Two or more accounts that cannot all be right, or an order a reader may get wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// What differs.
    pub kind: ConflictKind,
    /// What it is about (`person killed`, `date`, `title of Trump`).
    pub about: String,
    /// The accounts, one per distinct value (the first claim carrying it).
    pub sides: Vec<Side>,
    /// A sentence of explanation where the kind needs one ("the list says 'including'").
    pub note: Option<String>,
    /// For conflicts between two aligned clauses: their similarity.
    pub similarity: Option<f64>,
    /// Whether the two accounts were only weakly aligned (similarity below the alignment
    /// threshold): a reader should check that they are about the same event.
    pub tentative: bool,
}

/// The standing of an event across reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// Someone named denies it.
    Denied,
    /// Someone contests it.
    Disputed,
    /// A report says it could not be verified.
    Unverifiable,
    /// Carried by two or more independent sources.
    Corroborated,
    /// Only unnamed speakers assert it.
    Anonymous,
    /// One source (or several relaying the same origin) carries it.
    SingleSource,
}

impl Standing {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Denied => "denied",
            Standing::Disputed => "disputed",
            Standing::Unverifiable => "unverifiable",
            Standing::Corroborated => "corroborated",
            Standing::Anonymous => "anonymous",
            Standing::SingleSource => "single-source",
        }
    }
}

/// Claims about one event, across reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The claims (indices in [`Extraction::claims`]), in order.
    pub claims: Vec<usize>,
    /// The reports carrying it (indices in [`Extraction::sources`]).
    pub sources: Vec<usize>,
    /// The independent origins: a report, or an agency that several reports relay.
    pub origins: Vec<String>,
    /// Whether every claim rests on unnamed speakers.
    pub anonymous: bool,
    /// Actors that deny it.
    pub denied_by: Vec<String>,
    /// Actors that dispute it.
    pub disputed_by: Vec<String>,
    /// Whether a report says it could not be verified.
    pub unverifiable: bool,
    /// The summary.
    pub standing: Standing,
}

impl Event {
    /// Number of independent sources.
    pub fn independent(&self) -> usize {
        self.origins.len()
    }
}

/// A numbered version of a document, placed in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Number of points.
    pub points: u32,
    /// What it is called (`plan`, `draft`, `agenda`).
    pub noun: String,
    /// The claims mentioning it.
    pub claims: Vec<usize>,
    /// When it existed, as far as the reports tell: `None` when no report is dated.
    pub when: Option<DateSpan>,
    /// Whether `when` only bounds it from above (an "initial" or "earlier" version).
    pub before: bool,
    /// Whether a report speaks of it as an earlier version ("initial", "original", "leaked").
    pub earlier_cue: bool,
}

/// The document versions in time order, with what is established and what is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chronology {
    /// The versions, earliest first where known, then by number of points.
    pub versions: Vec<Version>,
    /// `(earlier, later)` index pairs in `versions` that the reports establish.
    pub established: Vec<(usize, usize)>,
    /// Pairs whose order the reports leave open.
    pub undetermined: Vec<(usize, usize)>,
}

/// Two clauses of different reports found to be about the same event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alignment {
    /// The claim of one report (index in [`Extraction::claims`]).
    pub a: usize,
    /// The claim of the other.
    pub b: usize,
    /// Cosine similarity of the two clauses, in [0, 1].
    pub similarity: f64,
}

/// The result of [`analyse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The aligned clause pairs, by report pair.
    pub alignments: Vec<Alignment>,
    /// Events carried by claims, in order of their first claim; single-claim events included.
    pub events: Vec<Event>,
    /// The conflicts found.
    pub conflicts: Vec<Conflict>,
    /// The numbered document versions.
    pub chronology: Chronology,
}

/// The days before and after its report's publication that a claim without a date of its own
/// is taken to be about, when events are formed.
const AROUND_PUBLICATION: i64 = 3;

/// How many days apart two reports of one incident's toll may be published.
const TOLL_DAYS: i64 = 14;

/// Platforms, which "wrote on Telegram", "posted on X" name as if they were places.
const PLATFORMS: &[&str] = &[
    "telegram",
    "x",
    "facebook",
    "twitter",
    "instagram",
    "youtube",
    "truth social",
    "tiktok",
    "vkontakte",
    "whatsapp",
];

/// Days further apart than this are of different events, never a date conflict.
const FAR_APART_DAYS: i64 = 31;

/// How close to a clause's best match another clause must come to be aligned with it too.
const NEAR_BEST: f64 = 0.85;

/// A clause of a claim: the unit of alignment.
#[derive(Debug, Clone)]
struct Clause {
    claim: usize,
    source: usize,
    /// Token range within the claim's sentence.
    range: (usize, usize),
    terms: HashMap<String, f64>,
    /// The same terms by id (ids in the order of the terms' text), with their weights: what
    /// similarities are computed from, always summing in this order, so that a similarity is
    /// the same whichever clause comes first and from run to run.
    vector: Vec<Term>,
    /// The norm of `vector`.
    norm: f64,
}

/// A term of a clause's vector.
#[derive(Debug, Clone, Copy)]
struct Term {
    id: usize,
    weight: f64,
    /// Whether it is content: not an actor (`@`) or a speaker (`^`).
    content: bool,
}

const STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "as",
    "that",
    "this",
    "these",
    "those",
    "which",
    "who",
    "whom",
    "whose",
    "it",
    "its",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "also",
    "not",
    "no",
    "than",
    "then",
    "there",
    "their",
    "they",
    "them",
    "he",
    "she",
    "his",
    "her",
    "we",
    "our",
    "you",
    "your",
    "i",
    "me",
    "my",
    "said",
    "says",
    "say",
    "told",
    "according",
    "after",
    "before",
    "while",
    "when",
    "where",
    "what",
    "how",
    "about",
    "into",
    "over",
    "under",
    "more",
    "most",
    "some",
    "any",
    "all",
    "other",
    "such",
    "only",
    "own",
    "same",
    "so",
    "too",
    "very",
    "s",
    "t",
    "just",
    "up",
    "out",
    "if",
    "because",
    "during",
    "since",
    "until",
    "again",
    "further",
    "once",
    "here",
    "why",
    "both",
    "each",
    "few",
    "many",
    "much",
    "nor",
    "now",
    "off",
    "above",
    "below",
    "between",
    "through",
    "down",
    "per",
    "did",
    "do",
    "does",
    "doing",
    "can",
    "amid",
    "including",
    "late",
    "early",
    "last",
    "next",
    "week",
    "weekend",
    "day",
    "days",
    "month",
    "year",
    "years",
    "reported",
    "reports",
    "officials",
    "official",
    "described",
    "claimed",
    "added",
];

/// Words of one event class, folded together so that "met", "gathered" and "hosted a meeting"
/// align: (class, words).
const CLASSES: &[(&str, &[&str])] = &[
    (
        "meet",
        &[
            "met",
            "meet",
            "meets",
            "meeting",
            "meetings",
            "gather",
            "gathered",
            "gathering",
            "convene",
            "convened",
            "convenes",
            "hosted",
            "host",
            "hosts",
            "talks",
            "summit",
        ],
    ),
    (
        "kill",
        &[
            "killed",
            "kill",
            "kills",
            "killing",
            "dead",
            "died",
            "die",
            "death",
            "deaths",
            "casualties",
            "casualty",
        ],
    ),
    (
        "attack",
        &[
            "strike",
            "strikes",
            "attack",
            "attacks",
            "attacked",
            "shelling",
            "shelled",
            "bombardment",
            "bombarded",
            "bombed",
            "hit",
            "fired",
            "firing",
            "launched",
            "launching",
        ],
    ),
    ("adviser", &["adviser", "advisers", "advisor", "advisors"]),
    (
        "gain",
        &["gain", "gains", "advance", "advances", "advanced"],
    ),
];

fn stem(word: &str) -> String {
    let lower = plain_lower(crate::text::strip_possessive(word));
    if let Some((class, _)) = CLASSES
        .iter()
        .find(|(_, words)| words.contains(&lower.as_str()))
    {
        return class.to_string();
    }
    let w = crate::quantity::singular(&lower);
    let mut w = w.as_str();
    for suffix in ["ing", "ed"] {
        if let Some(s) = w.strip_suffix(suffix) {
            if s.len() >= 3 {
                w = s;
                break;
            }
        }
    }
    match w.strip_suffix('e') {
        Some(s) if s.len() >= 3 => s.to_string(),
        _ => w.to_string(),
    }
}

pub(crate) fn is_time_word(t: &Token<'_>) -> bool {
    crate::date::Weekday::parse(t.text).is_some()
        || crate::date::month_number(t.text).is_some_and(|_| t.is_capitalised() && t.text.len() > 3)
}

/// The content terms of a token range, with actors as `@id`.
fn terms(
    tokens: &[Token<'_>],
    range: (usize, usize),
    claim: &Claim,
    aliases: &impl ActorLookup,
) -> Vec<String> {
    let slice = &tokens[range.0..range.1];
    let mentions = aliases.find(slice);
    let mut covered = vec![false; slice.len()];
    let mut out = Vec::new();
    for m in &mentions {
        for c in covered.iter_mut().skip(m.token).take(m.len) {
            *c = true;
        }
        out.push(format!("@{}", m.actor));
    }
    for (k, t) in slice.iter().enumerate() {
        if t.kind != TokenKind::Word || is_time_word(t) {
            continue;
        }
        // A word that is an actor's name is its `@id`; a hyphenated word that contains one
        // ("US-brokered") keeps its other parts.
        if covered[k] {
            if t.base().contains('-') {
                for part in t.base().split('-') {
                    let s = stem(part);
                    if aliases.actor_in(part).is_none()
                        && s.chars().count() >= 2
                        && !STOP.contains(&s.as_str())
                    {
                        out.push(s);
                    }
                }
            }
            continue;
        }
        let word = t.base();
        let lower = word.to_lowercase();
        if STOP.contains(&lower.as_str())
            || crate::attribution::is_attribution_verb(&lower)
            || lower.starts_with("includ")
        {
            continue;
        }
        for part in word
            .split('-')
            .chain(std::iter::once(word).filter(|w| w.contains('-')))
        {
            let s = stem(part);
            if s.chars().count() < 2
                || STOP.contains(&s.as_str())
                || crate::quantity::word_number(&s).is_some()
            {
                continue;
            }
            out.push(s);
        }
    }
    // Units of figures: "person", "%", "USD": what is counted aligns, the values may differ. A
    // named list of countries counts countries too.
    // Measured units: "two hours" and "90 minutes" both count minutes, "soldiers" and
    // "civilians" killed both count people killed.
    for q in &claim.quantities {
        if (range.0..range.1).contains(&q.token) {
            out.push(format!("#{}", q.measure().unit));
        }
    }
    if !claim.lists.is_empty() {
        out.push("#country".into());
    }
    // Who asserts it: "Moscow said" and "Russia claimed" align. The speaker of the clause (its
    // verb inside it) counts twice: whose account it is matters more than any one word.
    for sp in &claim.speakers {
        if let Some(a) = &sp.actor {
            if (range.0..range.1).contains(&sp.token) {
                out.push(format!("^{a}"));
                out.push(format!("^{a}"));
            }
        }
    }
    out
}

/// Token ranges of the clauses of a sentence: split at `;` and at a comma followed by a
/// conjunction (`, and`, `, while`, `, days after`) between two parts of at least six words each.
fn clauses(tokens: &[Token<'_>]) -> Vec<(usize, usize)> {
    let words_between = |a: usize, b: usize| {
        tokens[a..b]
            .iter()
            .filter(|t| t.kind != TokenKind::Punct)
            .count()
    };
    let mut cuts = vec![0];
    for i in 1..tokens.len() {
        let after_comma = tokens[i - 1].is_punct(',');
        let split = tokens[i].is_punct(';')
            || (after_comma
                && tokens[i].is_any(&["and", "but", "while", "whereas", "after", "where", "although", "though", "before"]))
            // ", days after …", ", weeks before …".
            || (after_comma
                && tokens[i].is_any(&["days", "weeks", "hours", "months", "shortly", "soon", "just"])
                && tokens.get(i + 1).is_some_and(|t| t.is_any(&["after", "before"])));
        if split {
            let start = *cuts.last().expect("not empty");
            if words_between(start, i) >= 6 && words_between(i, tokens.len()) >= 6 {
                cuts.push(i);
            }
        }
    }
    cuts.push(tokens.len());
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Whether two clauses share something besides actors and speakers: a word or the unit of a
/// figure. "Ukraine proposed talks, he said" and "117 were wounded, Ukraine's service said"
/// share only who speaks, and are not one event.
fn shares_content(a: &Clause, b: &Clause) -> bool {
    overlap(a, b).1
}

/// The cosine similarity of two clauses.
fn cosine(a: &Clause, b: &Clause) -> f64 {
    let dot = overlap(a, b).0;
    if a.norm == 0.0 || b.norm == 0.0 {
        0.0
    } else {
        dot / (a.norm * b.norm)
    }
}

/// The dot product of two clauses' vectors, summed in the order of the terms, and whether they
/// share content.
fn overlap(a: &Clause, b: &Clause) -> (f64, bool) {
    let (x, y) = (&a.vector, &b.vector);
    let (mut i, mut j) = (0, 0);
    let mut dot = 0.0;
    let mut content = false;
    while i < x.len() && j < y.len() {
        match x[i].id.cmp(&y[j].id) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += x[i].weight * y[j].weight;
                content |= x[i].content;
                i += 1;
                j += 1;
            }
        }
    }
    (dot, content)
}

pub(crate) fn find(parent: &mut [usize], x: usize) -> usize {
    let mut r = x;
    while parent[r] != r {
        r = parent[r];
    }
    let mut y = x;
    while parent[y] != r {
        let next = parent[y];
        parent[y] = r;
        y = next;
    }
    r
}

pub(crate) fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        parent[hi] = lo;
    }
}

/// How clauses are compared: through the index of their terms, or (in tests, as the reference)
/// every pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    Indexed,
    #[cfg(test)]
    AllPairs,
}

/// Aligns the claims of an extraction across reports and finds their conflicts.
pub fn analyse(
    extraction: &Extraction,
    aliases: &crate::actors::Aliases,
    config: &ConflictConfig,
) -> Analysis {
    analyse_until(extraction, aliases, config, Watch::default())
}

/// [`analyse`] under the caller's [`Watch`], polled and reported to as it searches the pairs
/// of clauses: once its stop is set, the analysis ends early and what it returns is partial
/// (the caller discards it).
pub fn analyse_until(
    extraction: &Extraction,
    aliases: &crate::actors::Aliases,
    config: &ConflictConfig,
    watch: Watch<'_>,
) -> Analysis {
    let index = AliasIndex::new(aliases);
    let tokens: Vec<Vec<Token<'_>>> = extraction
        .claims
        .iter()
        .map(|c| tokenize(&c.sentence))
        .collect();
    let units = clause_units(extraction, &tokens, &index);
    analyse_units(
        extraction,
        &tokens,
        &index,
        units,
        config,
        Search::Indexed,
        watch,
    )
}

/// The clauses of every claim, each with its terms weighted by rarity.
fn clause_units(
    extraction: &Extraction,
    tokens: &[Vec<Token<'_>>],
    aliases: &impl ActorLookup,
) -> Vec<Clause> {
    let claims = &extraction.claims;
    let mut units: Vec<Clause> = Vec::new();
    // A claim taken only as the writer's narration names no speaker, figure or date to place
    // it: its words would only blur the events alignment forms.
    for (k, c) in claims.iter().enumerate().filter(|(_, c)| !c.narrated) {
        for range in clauses(&tokens[k]) {
            let words = terms(&tokens[k], range, c, aliases);
            let mut tf: HashMap<String, f64> = HashMap::new();
            for w in words {
                *tf.entry(w).or_default() += 1.0;
            }
            units.push(Clause {
                claim: k,
                source: c.source,
                range,
                terms: tf,
                vector: Vec::new(),
                norm: 0.0,
            });
        }
    }
    // Rarity weights over clauses.
    let n = units.len().max(1) as f64;
    let mut df: HashMap<String, f64> = HashMap::new();
    for u in &units {
        for t in u.terms.keys() {
            *df.entry(t.clone()).or_default() += 1.0;
        }
    }
    for u in &mut units {
        for (t, w) in u.terms.iter_mut() {
            *w *= (1.0 + n / df[t]).ln();
        }
    }
    let mut vocabulary: Vec<&String> = df.keys().collect();
    vocabulary.sort_unstable();
    let ids: HashMap<&String, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(k, &t)| (t, k))
        .collect();
    let vectors: Vec<Vec<Term>> = units
        .iter()
        .map(|u| {
            let mut v: Vec<Term> = u
                .terms
                .iter()
                .map(|(t, &weight)| Term {
                    id: ids[t],
                    weight,
                    content: !t.starts_with('@') && !t.starts_with('^'),
                })
                .collect();
            v.sort_unstable_by_key(|t| t.id);
            v
        })
        .collect();
    for (u, vector) in units.iter_mut().zip(vectors) {
        u.norm = vector
            .iter()
            .map(|t| t.weight * t.weight)
            .sum::<f64>()
            .sqrt();
        u.vector = vector;
    }
    units
}

/// The analysis of the clauses of an extraction's claims.
fn analyse_units(
    extraction: &Extraction,
    tokens: &[Vec<Token<'_>>],
    aliases: &impl ActorLookup,
    units: Vec<Clause>,
    config: &ConflictConfig,
    search: Search,
    watch: Watch<'_>,
) -> Analysis {
    let claims = &extraction.claims;
    // Mutual best matches between every two reports.
    let sources = extraction.sources.len();
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    // Two clauses are one event only if their most precise dates can be the same time: the
    // talks of May 2025 are not the talks of March 2022, however alike the words.
    let principal = |u: usize| -> Option<DateSpan> {
        claims[units[u].claim]
            .times
            .iter()
            .filter(|w| in_range(w.token, units[u].range))
            .filter_map(|w| w.span)
            .min_by_key(|s| s.len_days())
    };
    let same_time = |u: usize, v: usize| match (principal(u), principal(v)) {
        (Some(a), Some(b)) => a.earliest <= b.latest && b.earliest <= a.latest,
        _ => true,
    };
    let pairs = match search {
        Search::Indexed => aligned(&units, config.threshold, same_time, watch),
        #[cfg(test)]
        Search::AllPairs => aligned_all_pairs(&units, sources, config.threshold, same_time),
    };
    for (u, v) in pairs {
        let sim = cosine(&units[u], &units[v]);
        let (u, v) = if units[u].source <= units[v].source {
            (u, v)
        } else {
            (v, u)
        };
        edges.push((u, v, sim));
    }
    edges.sort_by(|x, y| {
        (units[x.0].claim, units[x.1].claim).cmp(&(units[y.0].claim, units[y.1].claim))
    });

    // Events: connected components of aligned clauses, by claim.
    // A chain of undated clauses must not join two dated ones of different times (the talks of
    // March 2022 and those of May 2025, each aligned with an undated "the talks in Istanbul"):
    // alignments are joined most similar first, and one is left out of the events when the days
    // its two sides state (a day to a month, not an assumed window) could not all be one time.
    let stated = |u: usize| -> Option<(i64, i64)> {
        claims[units[u].claim]
            .times
            .iter()
            .filter(|w| in_range(w.token, units[u].range))
            .filter(|w| !statement_time(&tokens[units[u].claim], w))
            .filter(|w| {
                !matches!(
                    w.inference,
                    crate::when::Inference::FromWindow | crate::when::Inference::Unanchored
                )
            })
            .filter_map(|w| w.span)
            .filter(|s| s.len_days() <= 31)
            .min_by_key(|s| (s.len_days(), s.earliest))
            .map(|s| (s.earliest.days(), s.latest.days()))
    };
    let mut parent: Vec<usize> = (0..claims.len()).collect();
    let mut extent: Vec<Option<(i64, i64)>> = vec![None; claims.len()];
    for u in 0..units.len() {
        // A clause without a day of its own is about the days around its report's publication.
        let own = stated(u).or_else(|| {
            extraction.sources[units[u].source]
                .anchor
                .filter(|a| a.len_days() <= 1)
                .map(|a| {
                    (
                        a.earliest.days() - AROUND_PUBLICATION,
                        a.latest.days() + AROUND_PUBLICATION,
                    )
                })
        });
        if let Some((e, l)) = own {
            let x = &mut extent[units[u].claim];
            *x = Some(x.map_or((e, l), |(a, b)| (a.max(e), b.min(l))));
        }
    }
    let mut by_similarity: Vec<&(usize, usize, f64)> = edges.iter().collect();
    by_similarity.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    for &&(u, v, _) in &by_similarity {
        let (ra, rb) = (
            find(&mut parent, units[u].claim),
            find(&mut parent, units[v].claim),
        );
        if ra == rb {
            continue;
        }
        let joined = match (extent[ra], extent[rb]) {
            (Some((a, b)), Some((c, d))) => {
                if a.max(c) > b.min(d) {
                    continue;
                }
                Some((a.max(c), b.min(d)))
            }
            (x, None) => x,
            (None, y) => y,
        };
        union(&mut parent, ra, rb);
        extent[find(&mut parent, ra)] = joined;
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for k in 0..claims.len() {
        let r = find(&mut parent, k);
        groups.entry(r).or_default().push(k);
    }
    // Events that alignment leaves apart, because their reports word them differently, are
    // merged when their claims share the event's signature (class, place or figure, days).
    let groups = crate::events::cluster(extraction, tokens, groups.into_values().collect(), watch);
    let events: Vec<Event> = groups
        .into_iter()
        .map(|members| event(extraction, members))
        .collect();

    let mut conflicts = Vec::new();
    let mut seen: BTreeSet<(ConflictKind, String, usize, usize)> = BTreeSet::new();
    // Figures: between clauses that each give figures, matched one to one among those that do,
    // so that a figure is compared with its counterpart.
    // Figures are compared as measured: durations in minutes, counts of people as one unit
    // with what happened to them (killed or wounded).
    let figures = |u: usize| -> Vec<Quantity> {
        claims[units[u].claim]
            .quantities
            .iter()
            .filter(|q| in_range(q.token, units[u].range))
            .filter(|q| {
                q.unit != Unit::Count(String::new()) && q.unit != Unit::Count("point".into())
            })
            .filter(|q| !relative_figure(&tokens[units[u].claim], q.token))
            .filter(|q| !part_of_earlier(&claims[units[u].claim], &tokens[units[u].claim], q))
            .filter(|q| {
                q.casualty.is_none()
                    || !one_strike_of_several(&tokens[units[u].claim], units[u].range)
            })
            .map(Quantity::measure)
            .collect()
    };
    // Reports that share an event: some pair of their clauses is aligned at the threshold. A
    // weakly aligned pair of clauses is compared only between such reports.
    let linked: BTreeSet<(usize, usize)> = edges
        .iter()
        .map(|&(u, v, _)| {
            let (a, b) = (units[u].source, units[v].source);
            (a.min(b), a.max(b))
        })
        .collect();
    let related = |u: usize, v: usize| {
        let (a, b) = (units[u].source, units[v].source);
        linked.contains(&(a.min(b), a.max(b)))
    };
    // The figures of each report, for the totals of an exchange.
    let mut report_figures: Vec<Vec<f64>> = vec![Vec::new(); sources];
    for c in claims {
        report_figures[c.source].extend(
            c.quantities
                .iter()
                .filter(|q| q.qualifier == Qualifier::Exact && matches!(q.unit, Unit::Count(_)))
                .map(|q| q.value),
        );
    }
    // Whether the figures `big` of clause `b` are the total of both sides of an exchange of
    // which `small` of clause `s` counts one side: "exchanged 372 prisoners" against "each swapped
    // 175" (175 + 175, and 22 wounded besides, a figure the reports give). Only counts that are
    // not casualties, and only when one of the clauses speaks of an exchange or a total.
    let exchange_total = |big: &[&Quantity], small: &[&Quantity], b: usize, s: usize| {
        const CUE: &[&str] = &[
            "exchange",
            "exchanged",
            "exchanges",
            "swap",
            "swapped",
            "swaps",
            "each",
            "total",
            "combined",
            "altogether",
        ];
        let cue = |c: usize| {
            tokens[units[c].claim][units[c].range.0..units[c].range.1]
                .iter()
                .any(|t| t.is_any(CUE))
        };
        if !(cue(b) || cue(s)) {
            return false;
        }
        // The figures the two reports give, read where needed (no list per pair).
        let extra = [units[b].source, units[s].source]
            .into_iter()
            .flat_map(|r| report_figures[r].iter().copied());
        big.iter().all(|x| {
            x.casualty.is_none()
                && x.qualifier == Qualifier::Exact
                && small.iter().any(|y| {
                    y.casualty.is_none()
                        && y.qualifier == Qualifier::Exact
                        && (x.value == 2.0 * y.value
                            || extra
                                .clone()
                                .any(|c| c > 0.0 && x.value == 2.0 * y.value + c))
                })
        })
    };
    // The days each sentence dates its events on, read once for both comparisons below.
    let claim_days: Vec<Vec<&When>> = claims
        .iter()
        .zip(tokens)
        .map(|(c, t)| event_days(c, (0, t.len()), t).collect())
        .collect();
    // Figures of two reports published more than a month apart, or of sentences that date their
    // events on days that cannot be one ("early on Saturday" against "on Thursday"), are of two
    // events: "375 drones" of one night against "309 drones" of another is no contradiction.
    let published_far = |u: usize, v: usize| {
        let (a, b) = (
            extraction.sources[units[u].source].anchor,
            extraction.sources[units[v].source].anchor,
        );
        matches!((a, b), (Some(a), Some(b)) if !within_days(&a, &b, FAR_APART_DAYS))
    };
    let different_times = |u: usize, v: usize| {
        published_far(u, v)
            || on_other_days(&claim_days[units[u].claim], &claim_days[units[v].claim])
    };
    // The places each clause's sentence names (parties and platforms aside).
    let parties: BTreeSet<&str> = claims
        .iter()
        .flat_map(|c| c.actors.iter().map(String::as_str))
        .collect();
    // Read once per clause with figures (the only ones compared), not once per pair.
    let clause_places: Vec<BTreeSet<String>> = (0..units.len())
        .map(|u| {
            if figures(u).is_empty() {
                return BTreeSet::new();
            }
            crate::events::places(&tokens[units[u].claim])
                .into_iter()
                .filter(|p| !parties.contains(p.as_str()) && !PLATFORMS.contains(&p.as_str()))
                .collect()
        })
        .collect();
    // A sentence that writes figures' places after them, two places or more ("279 injured in
    // Dnipro and 14 in the city of Samar", "47 injured in Kryvyi Rih, and 12 in … Dnipro"),
    // breaks a toll down by place: such a casualty figure is of its place only, and is compared
    // only with a sentence that names that place.
    let elsewhere = |u: usize, q: &Quantity, own: &BTreeSet<String>, other: &BTreeSet<String>| {
        let t = &tokens[units[u].claim];
        let Some(place) = figure_place(t, q.token).filter(|p| own.contains(p)) else {
            return false;
        };
        // Another number of the sentence, a figure or not ("and 12 in … Dnipro"), placed in
        // another of its places.
        let another = (0..t.len()).any(|k| {
            t[k].kind == TokenKind::Number
                && figure_place(t, k).is_some_and(|p| p != place && own.contains(&p))
        });
        q.casualty.is_some() && another && !other.contains(&place)
    };
    // The number conflicts between single figures, for ordering them in chains below.
    let mut single: Vec<Figures> = Vec::new();
    // Durations are compared down to the lower threshold (tentatively below the threshold):
    // "lasted just 90 minutes" and "lasted about two hours" share few other words.
    let duration = |q: &Quantity| matches!(&q.unit, Unit::Count(n) if n == "minute");
    for (u, v, similarity) in matched(
        &units,
        sources,
        config.compare_threshold,
        |u| !figures(u).is_empty(),
        search,
        watch,
    ) {
        let weak = similarity < config.threshold;
        if weak && !related(u, v) || different_times(u, v) {
            continue;
        }
        let (qa, qb) = (figures(u), figures(v));
        let units_a: BTreeSet<&Unit> = qa
            .iter()
            .filter(|q| !weak || duration(q))
            .map(|q| &q.unit)
            .collect();
        let (pa, pb) = (&clause_places[u], &clause_places[v]);
        for unit in units_a {
            let xs: Vec<&Quantity> = qa
                .iter()
                .filter(|q| q.unit == *unit && !elsewhere(u, q, pa, pb))
                .collect();
            let ys: Vec<&Quantity> = qb
                .iter()
                .filter(|q| q.unit == *unit && !elsewhere(v, q, pb, pa))
                .collect();
            if xs.is_empty()
                || ys.is_empty()
                || xs.iter().any(|x| ys.iter().any(|y| x.compatible(y)))
            {
                continue;
            }
            // Two durations in one clause are of two things ("a three-minute statement after a
            // nearly three-hour meeting"): which of them the other clause's is of, the figures
            // alone do not say.
            if duration(xs[0]) && (xs.len() > 1 || ys.len() > 1) {
                continue;
            }
            if exchange_total(&xs, &ys, u, v) || exchange_total(&ys, &xs, v, u) {
                continue;
            }
            // "309 drones launched" against "21 drones struck their targets": what was done
            // with them differs, so do the counts.
            let fate = |c: usize, q: &Quantity| weapon_fate(&tokens[units[c].claim], q.token);
            let weapons = matches!(unit, Unit::Count(n) if WEAPONS.contains(&n.as_str()));
            if weapons
                && xs.iter().all(|x| {
                    ys.iter()
                        .all(|y| matches!((fate(u, x), fate(v, y)), (Some(a), Some(b)) if a != b))
                })
            {
                continue;
            }
            // "Russia received 55 prisoners" against "Ukraine got 200": the two sides of an
            // exchange, counted in opposite directions.
            let people = |qs: &[&Quantity]| qs.iter().all(|q| q.casualty.is_none());
            if people(&xs) && people(&ys) {
                let direction = |c: usize, q: &Quantity| {
                    exchange_direction(&tokens[units[c].claim], aliases, q, units[c].range)
                };
                let of_ys: Vec<Direction> = ys.iter().map(|y| direction(v, y)).collect();
                if xs.iter().all(|x| {
                    let of_x = direction(u, x);
                    of_ys.iter().all(|of_y| opposite(&of_x, of_y))
                }) {
                    continue;
                }
            }
            let va = quantities_value(&xs);
            let vb = quantities_value(&ys);
            if seen.insert((
                ConflictKind::Number,
                unit.to_string(),
                units[u].claim,
                units[v].claim,
            )) {
                if let ([x], [y]) = (xs.as_slice(), ys.as_slice()) {
                    single.push(Figures {
                        conflict: conflicts.len(),
                        unit: (*unit).clone(),
                        a: (units[u].claim, units[u].source, (*x).clone()),
                        b: (units[v].claim, units[v].source, (*y).clone()),
                    });
                }
                conflicts.push(Conflict {
                    kind: ConflictKind::Number,
                    about: unit_label(unit),
                    sides: vec![
                        Side {
                            claim: units[u].claim,
                            value: va,
                        },
                        Side {
                            claim: units[v].claim,
                            value: vb,
                        },
                    ],
                    note: None,
                    similarity: Some(similarity),
                    tentative: weak,
                });
            }
        }
    }
    chain_figures(&mut conflicts, &single, &events, claims.len());
    if !watch.stopped() {
        incident_tolls(extraction, tokens, &claim_days, &events, &mut conflicts);
    }
    // Dates: the same, among clauses that give a day or a weekday.
    let dated = |u: usize| {
        event_days(
            &claims[units[u].claim],
            units[u].range,
            &tokens[units[u].claim],
        )
        .next()
        .is_some()
    };
    for (u, v, similarity) in matched(
        &units,
        sources,
        config.compare_threshold,
        dated,
        search,
        watch,
    ) {
        if similarity < config.threshold && !related(u, v) {
            continue;
        }
        // "the first talks" and "the second meeting" are different events, whatever their days.
        let (oa, ob) = (
            ordinals(&tokens[units[u].claim], units[u].range),
            ordinals(&tokens[units[v].claim], units[v].range),
        );
        if !oa.is_empty() && !ob.is_empty() && oa.is_disjoint(&ob) {
            continue;
        }
        let (cu, cv) = (&units[u], &units[v]);
        let ta = day_times(&claims[cu.claim], cu.range, &tokens[cu.claim], &cv.terms);
        let tb = day_times(&claims[cv.claim], cv.range, &tokens[cv.claim], &cu.terms);
        // A weakly aligned clause whose day belongs to an earlier event it mentions ("the attack
        // followed a strike on Kryvyi Rih on April 4") is not compared.
        let weak = similarity < config.threshold;
        let earlier = |c: usize, w: Option<&When>| {
            w.is_some_and(|w| {
                (units[c].range.0..w.token)
                    .any(|k| tokens[units[c].claim][k].is_any(&["followed", "follows", "after"]))
            })
        };
        if weak && (earlier(u, ta) || earlier(v, tb)) {
            continue;
        }
        // Two days date the same action only if the words around each (eight either way) share
        // one with the other clause ("struck a playground … on Saturday" and "on April 4, a
        // missile struck"): "agreed on March 25 to implement a ceasefire" does not date the truce
        // that "began on 18 March". Names, titles, sayings and days are not such words.
        if let (Some(x), Some(y)) = (ta, tb) {
            let words = |c: &Clause, lo: usize, hi: usize| -> BTreeSet<String> {
                tokens[c.claim][lo..hi]
                    .iter()
                    .filter(|t| {
                        t.kind == TokenKind::Word
                            && !t.is_capitalised()
                            && !is_time_word(t)
                            && !crate::mentions::is_title_word(t.text)
                            && !crate::attribution::is_attribution_verb(&t.text.to_lowercase())
                            && !STOP.contains(&t.base().to_lowercase().as_str())
                    })
                    .map(|t| stem(t.base()))
                    .filter(|s| s.chars().count() >= 3 && !STOP.contains(&s.as_str()))
                    .collect()
            };
            let around = |c: &Clause, w: &When| {
                words(
                    c,
                    w.token.saturating_sub(8).max(c.range.0),
                    (w.token + 9).min(c.range.1),
                )
            };
            let whole = |c: &Clause| words(c, c.range.0, c.range.1);
            if around(cu, x).is_disjoint(&whole(cv)) || around(cv, y).is_disjoint(&whole(cu)) {
                continue;
            }
        }
        // A clause that states several days tells of steps or a span ("270 soldiers on Friday,
        // followed by a 307-for-307 swap on Saturday"; "from 6 p.m. on Saturday until midnight
        // Sunday"): a day compared that is one of the other clause's days is no contradiction.
        let days = |c: &Clause| event_days(&claims[c.claim], c.range, &tokens[c.claim]);
        let one_of = |x: &When, y: &When| {
            days(cv).any(|d| x.compatible(d)) || days(cu).any(|d| y.compatible(d))
        };
        // Two days (or spans of a week at most: "the night of 30-31 July") more than a month
        // apart are of different events, not two accounts of one: "on October 17" of a strike
        // in 2023 and "on October 17" of a meeting in 2025.
        // Between reports published close together, days far apart stay a conflict (a
        // misprinted month is one).
        let published_close = {
            let (a, b) = (
                extraction.sources[cu.source].anchor,
                extraction.sources[cv.source].anchor,
            );
            matches!((a, b), (Some(a), Some(b))
                if (a.earliest.days() - b.earliest.days()).abs() <= FAR_APART_DAYS)
        };
        let far_apart = |x: &When, y: &When| match (x.span, y.span) {
            (Some(a), Some(b)) if a.len_days() <= 7 && b.len_days() <= 7 => {
                !published_close && (a.earliest.days() - b.earliest.days()).abs() > FAR_APART_DAYS
            }
            _ => false,
        };
        // The days of reports published more than a month apart are of two events, as their
        // figures are, unless both are written in full (a report may date an event of last
        // year); and a weekday known only within more than a month (an undated report about as
        // close to two stories) may be of either story's week.
        let written =
            |w: Option<&When>| w.is_some_and(|w| w.inference == crate::when::Inference::Stated);
        let unplaced = |w: &When| w.span.is_some_and(|s| s.len_days() > FAR_APART_DAYS);
        if (published_far(u, v) && !(written(ta) && written(tb)))
            || ta.is_some_and(unplaced)
            || tb.is_some_and(unplaced)
        {
            continue;
        }
        if let (Some(x), Some(y)) = (ta, tb) {
            if !x.compatible(y) && !one_of(x, y) && !far_apart(x, y) {
                let (va, vb) = (describe_when(x), describe_when(y));
                if seen.insert((ConflictKind::Date, String::new(), cu.claim, cv.claim)) {
                    conflicts.push(Conflict {
                        kind: ConflictKind::Date,
                        about: "date".into(),
                        sides: vec![
                            Side {
                                claim: cu.claim,
                                value: va,
                            },
                            Side {
                                claim: cv.claim,
                                value: vb,
                            },
                        ],
                        note: None,
                        similarity: Some(similarity),
                        tentative: similarity < config.threshold,
                    });
                }
            }
        }
    }
    // Counts against named lists, between aligned claims.
    let aligned: BTreeSet<(usize, usize)> = edges
        .iter()
        .flat_map(|&(u, v, _)| {
            [
                (units[u].claim, units[v].claim),
                (units[v].claim, units[u].claim),
            ]
        })
        .collect();
    let mut similarity: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for &(u, v, sim) in &edges {
        let (x, y) = (units[u].claim, units[v].claim);
        let e = similarity.entry((x.min(y), x.max(y))).or_insert(0.0);
        *e = e.max(sim);
    }
    for &(x, y) in &aligned {
        {
            for q in &claims[x].quantities {
                if q.unit != Unit::Count("country".into()) || q.qualifier == Qualifier::AtMost {
                    continue;
                }
                {
                    for list in &claims[y].lists {
                        let k = list.members.len() as f64;
                        let consistent = match q.qualifier {
                            Qualifier::AtLeast => k >= q.value,
                            _ => k == q.value,
                        };
                        if consistent {
                            continue;
                        }
                        let va = format!("{} countries", format_value(q.value));
                        let vb = format!("{} named: {}", list.members.len(), list.text);
                        if seen.insert((ConflictKind::Count, vb.clone(), x.min(y), x.max(y))) {
                            conflicts.push(Conflict {
                                kind: ConflictKind::Count,
                                about: "countries taking part".into(),
                                sides: vec![Side { claim: x, value: va }, Side { claim: y, value: vb }],
                                note: list.partial.then(|| {
                                    "the list is introduced as partial (\"including\", \"such as\"): not necessarily a contradiction".to_string()
                                }),
                                similarity: similarity.get(&(x.min(y), x.max(y))).copied(),
                                tentative: false,
                            });
                        }
                    }
                }
            }
        }
    }
    conflicts.extend(title_conflicts(extraction));
    let chronology = chronology(extraction);
    conflicts.extend(order_conflicts(extraction, &chronology));
    Analysis {
        alignments: edges
            .iter()
            .map(|&(u, v, similarity)| Alignment {
                a: units[u].claim,
                b: units[v].claim,
                similarity,
            })
            .collect(),
        events,
        conflicts,
        chronology,
    }
}

/// A number conflict between one figure on each side: (claim, report, figure) of each.
struct Figures {
    conflict: usize,
    unit: Unit,
    a: (usize, usize, Quantity),
    b: (usize, usize, Quantity),
}

/// Orders the differing figures of one event in a chain. A toll reported as 41, then 49, then
/// at least 50 is two contradictions, 41 against 49 and 49 against 50; 41 against 50 says
/// nothing more. Among the number conflicts of one unit whose claims belong to the same events,
/// with three figures or more, a conflict between two figures with another figure of the group
/// between them is replaced by the conflicts of neighbouring figures, when every neighbouring
/// pair between them contradicts each other (so no contradiction is lost); a neighbouring pair
/// that alignment did not compare is added, between different reports.
fn chain_figures(
    conflicts: &mut Vec<Conflict>,
    single: &[Figures],
    events: &[Event],
    claims: usize,
) {
    let mut event_of: Vec<Option<usize>> = vec![None; claims];
    for (e, event) in events.iter().enumerate() {
        for &c in &event.claims {
            event_of[c] = Some(e);
        }
    }
    // Groups: the conflicts of one unit joined through the events of their sides.
    let mut parent: Vec<usize> = (0..events.len()).collect();
    for f in single {
        if let (Some(x), Some(y)) = (event_of[f.a.0], event_of[f.b.0]) {
            union(&mut parent, x, y);
        }
    }
    let mut groups: BTreeMap<(String, usize), Vec<&Figures>> = BTreeMap::new();
    for f in single {
        if let Some(e) = event_of[f.a.0] {
            let root = find(&mut parent, e);
            groups
                .entry((f.unit.to_string(), root))
                .or_default()
                .push(f);
        }
    }
    let mut dropped: BTreeSet<usize> = BTreeSet::new();
    let mut added: Vec<Conflict> = Vec::new();
    for members in groups.values() {
        // The figures of the group, by value (ties by claim), each once.
        let mut nodes: Vec<&(usize, usize, Quantity)> =
            members.iter().flat_map(|f| [&f.a, &f.b]).collect();
        nodes.sort_by(|x, y| {
            x.2.value
                .total_cmp(&y.2.value)
                .then(x.0.cmp(&y.0))
                .then((x.2.qualifier as u8).cmp(&(y.2.qualifier as u8)))
        });
        nodes.dedup_by(|x, y| x.0 == y.0 && x.2 == y.2);
        let mut values: Vec<f64> = nodes.iter().map(|n| n.2.value).collect();
        values.dedup();
        if values.len() < 3 {
            continue;
        }
        // For each pair of neighbouring values: the pair of figures, from different reports,
        // that contradict each other (one already in conflict first), if any.
        let between = |lo: f64, hi: f64| -> Option<(usize, usize)> {
            let los: Vec<usize> = (0..nodes.len())
                .filter(|&i| nodes[i].2.value == lo)
                .collect();
            let his: Vec<usize> = (0..nodes.len())
                .filter(|&i| nodes[i].2.value == hi)
                .collect();
            let mut best = None;
            for &i in &los {
                for &j in &his {
                    if nodes[i].1 == nodes[j].1 || nodes[i].2.compatible(&nodes[j].2) {
                        continue;
                    }
                    let known = members.iter().any(|f| {
                        (f.a.0, f.b.0) == (nodes[i].0, nodes[j].0)
                            || (f.b.0, f.a.0) == (nodes[i].0, nodes[j].0)
                    });
                    if known {
                        return Some((i, j));
                    }
                    best.get_or_insert((i, j));
                }
            }
            best
        };
        let links: Vec<Option<(usize, usize)>> =
            values.windows(2).map(|w| between(w[0], w[1])).collect();
        // Neighbouring values that can be one figure ("66" and "about 71").
        let quantities: Vec<&Quantity> = nodes.iter().map(|n| &n.2).collect();
        let agree = neighbours_agree(&values, &quantities);
        let position = |v: f64| values.iter().position(|&x| x == v).unwrap_or(0);
        let mut used = vec![false; links.len()];
        for f in members {
            let (lo, hi) = {
                let (p, q) = (position(f.a.2.value), position(f.b.2.value));
                (p.min(q), p.max(q))
            };
            if hi > lo + 1 && told_by_neighbours(&links[lo..hi], &agree[lo..hi]) {
                dropped.insert(f.conflict);
                used[lo..hi].iter_mut().for_each(|u| *u = true);
            }
        }
        for (k, link) in links.iter().enumerate() {
            let (Some((i, j)), true) = (link, used[k]) else {
                continue;
            };
            let (x, y) = (nodes[*i], nodes[*j]);
            let known = conflicts.iter().enumerate().any(|(c, k)| {
                !dropped.contains(&c)
                    && k.kind == ConflictKind::Number
                    && k.sides.len() == 2
                    && ((k.sides[0].claim, k.sides[1].claim) == (x.0, y.0)
                        || (k.sides[0].claim, k.sides[1].claim) == (y.0, x.0))
                    && members.iter().any(|f| f.conflict == c)
            });
            if known {
                continue;
            }
            added.push(figure_pair(
                unit_label(&members[0].unit),
                (x.0, &x.2),
                (y.0, &y.2),
                "neighbouring figures of the same event, paired in order of size",
            ));
        }
    }
    replace_conflicts(conflicts, &dropped, added);
}

/// Whether the neighbouring pairs between two figures tell all their difference: each pair
/// either contradicts (a conflict of neighbours, `links`) or can be one figure (`agree`: "66"
/// and "about 71"), and at least one contradicts. Then 52 against "about 71", with 66 between,
/// says nothing that 52 against 66 does not: a reader pairs neighbours.
fn told_by_neighbours(links: &[Option<(usize, usize)>], agree: &[bool]) -> bool {
    links.iter().zip(agree).all(|(l, &a)| l.is_some() || a) && links.iter().any(Option::is_some)
}

/// For each pair of neighbouring `values` (sorted, distinct), whether a figure of the first value
/// and one of the second among `quantities` can be one figure ("66" and "about 71").
fn neighbours_agree(values: &[f64], quantities: &[&Quantity]) -> Vec<bool> {
    values
        .windows(2)
        .map(|w| {
            let of = |v: f64| quantities.iter().filter(move |q| q.value == v);
            of(w[0]).any(|x| of(w[1]).any(|y| one_figure(x, y)))
        })
        .collect()
}

/// Whether two figures, neither a bound, can be one ("66" and "about 71"). A bound is not a
/// figure: "16", "at least 20" and "23" are 16 against 20 and 16 against 23, the next figure
/// given exactly.
fn one_figure(a: &Quantity, b: &Quantity) -> bool {
    let bound = |q: &Quantity| matches!(q.qualifier, Qualifier::AtLeast | Qualifier::AtMost);
    !bound(a) && !bound(b) && a.compatible(b)
}

/// A number conflict between two single figures (claim, figure), found by pairing, with `note`.
fn figure_pair(
    about: String,
    x: (usize, &Quantity),
    y: (usize, &Quantity),
    note: &str,
) -> Conflict {
    Conflict {
        kind: ConflictKind::Number,
        about,
        sides: vec![
            Side {
                claim: x.0,
                value: quantities_value(&[x.1]),
            },
            Side {
                claim: y.0,
                value: quantities_value(&[y.1]),
            },
        ],
        note: Some(note.into()),
        similarity: None,
        tentative: false,
    }
}

/// Drops the conflicts at the indices `dropped` and appends `added`.
fn replace_conflicts(
    conflicts: &mut Vec<Conflict>,
    dropped: &BTreeSet<usize>,
    added: Vec<Conflict>,
) {
    let mut k = 0;
    conflicts.retain(|_| {
        k += 1;
        !dropped.contains(&(k - 1))
    });
    conflicts.extend(added);
}

/// The tolls of one incident given by reports worded too differently for their clauses to be
/// matched ("The death toll from a missile strike on the village of X has risen to 55" against
/// "Russian troops killed 59 people … on the village of X"). A death toll (people or children
/// killed; wounded counts are given for parts) belongs to the incident at the one place its
/// sentence names (a party's name, "Ukraine", or a platform is not a place), or, when it names
/// none, at the one place its event's sentences name. The figures of one place and measure from
/// reports published within [`TOLL_DAYS`] of each other are ordered by size, and each pair of
/// neighbouring values that contradict each other, from two reports that do not both give both
/// values, is a conflict (as [`chain_figures`] pairs them); a conflict already found between two
/// of them with another value between them is dropped when the neighbouring pairs between them
/// are all found. Two incidents at one place within the window whose reports each give one toll
/// are taken for one: the place and the fortnight are all that tells incidents apart here.
fn incident_tolls(
    extraction: &Extraction,
    tokens: &[Vec<Token<'_>>],
    claim_days: &[Vec<&When>],
    events: &[Event],
    conflicts: &mut Vec<Conflict>,
) {
    let claims = &extraction.claims;
    let parties: BTreeSet<&str> = claims
        .iter()
        .flat_map(|c| c.actors.iter().map(String::as_str))
        .collect();
    // A place named inside another ("the village of X in Y Oblast", "in X, Y region") is the
    // incident's; the other contains it.
    let own: Vec<BTreeSet<String>> = tokens
        .iter()
        .zip(claims)
        .map(|(t, claim)| {
            let places: BTreeSet<String> = crate::events::places(t)
                .into_iter()
                .filter(|p| !parties.contains(p.as_str()) && !PLATFORMS.contains(&p.as_str()))
                .collect();
            let text = plain_lower(&claim.sentence);
            let inside = |a: &String, b: &String| {
                [" in ", " in the ", ", "]
                    .iter()
                    .any(|sep| text.contains(&format!("{a}{sep}{b}")))
            };
            let containers: BTreeSet<&String> = places
                .iter()
                .filter(|b| places.iter().any(|a| a != *b && inside(a, b)))
                .collect();
            places
                .iter()
                .filter(|p| !containers.contains(p))
                .cloned()
                .collect()
        })
        .collect();
    let mut event_place: Vec<Option<&String>> = vec![None; claims.len()];
    for event in events {
        let named: BTreeSet<&String> = event
            .claims
            .iter()
            .filter(|&&c| own[c].len() == 1)
            .flat_map(|&c| own[c].iter())
            .collect();
        if named.len() == 1 {
            for &c in &event.claims {
                event_place[c] = named.first().copied();
            }
        }
    }
    // Where each death toll was counted: (claim, figure) → scope, and the figures of each
    // (scope, measure): (report, claim, figure).
    type Figures = BTreeMap<(Scope, String), Vec<(usize, usize, Quantity)>>;
    let mut groups: Figures = BTreeMap::new();
    let mut scope_of: BTreeMap<(usize, String), Scope> = BTreeMap::new();
    // The place of each report's last toll counted in a place its sentence names: a toll whose
    // sentence names no place ("the rescue service said 15 had been killed") goes on counting
    // there, as a reader reads it.
    let mut report_place: BTreeMap<usize, String> = BTreeMap::new();
    for (c, claim) in claims.iter().enumerate() {
        let t = &tokens[c];
        let tolls: Vec<&Quantity> = claim
            .quantities
            .iter()
            .filter(|q| {
                q.measure().casualty.is_some()
                    && !part_of_earlier(claim, t, q)
                    && !relative_figure(t, q.token)
                    && !foreseen_figure(t, q.token)
                    && !one_strike_of_several(t, (0, t.len()))
            })
            .collect();
        let placed: Vec<Option<String>> = tolls
            .iter()
            .map(|q| {
                figure_place(t, q.token)
                    .filter(|p| !parties.contains(p.as_str()) && !PLATFORMS.contains(&p.as_str()))
            })
            .collect();
        let whole = counts_whole(&plain_lower(&claim.sentence), &parties);
        let site = names_site(t);
        for (k, q) in tolls.iter().enumerate() {
            // A total given before the places it covers ("28 dead: 11 in X and 17 in Y").
            let after: String = t[q.token..]
                .iter()
                .map(|w| plain_lower(w.text))
                .collect::<Vec<_>>()
                .join(" ");
            let total_of_parts = placed[k].is_none()
                && own[c].len() >= 2
                && own[c].iter().all(|p| after.contains(p.as_str()));
            let scope = if let Some(place) = &placed[k] {
                Scope::Place(place.clone())
            } else if whole || total_of_parts {
                Scope::Whole
            } else {
                match own[c].len() {
                    // "on Kyiv's Okhmatdyt hospital": a site in the place, not all of it.
                    1 if site_of_place(t) => Scope::Site,
                    1 => Scope::Place(own[c].first().cloned().unwrap_or_default()),
                    // A sentence about a site ("In the district of the capital", "the
                    // hospital") counts the site's dead, not the place's.
                    0 if site => Scope::Site,
                    0 => match event_place[c].or(report_place.get(&claim.source)) {
                        Some(place) => Scope::Place(place.clone()),
                        None => continue,
                    },
                    _ => continue,
                }
            };
            if let Scope::Place(place) = &scope {
                if placed[k].is_some() || own[c].len() == 1 {
                    report_place.insert(claim.source, place.clone());
                }
            }
            let m = q.measure();
            scope_of.insert((c, quantities_value(&[&m])), scope.clone());
            // The dead and the wounded of a place or a whole attack are paired in order of size;
            // the hospitalised are a part of the wounded, and a site's toll has no other to be
            // compared with: only their scopes count, to tell counts apart.
            if !matches!(m.casualty, Some(Casualty::Killed | Casualty::Wounded))
                || scope == Scope::Site
            {
                continue;
            }
            if let Unit::Count(measure) = m.unit.clone() {
                groups
                    .entry((scope, measure))
                    .or_default()
                    .push((claim.source, c, m));
            }
        }
    }
    // The reports that carry a common event: the same story.
    let mut story: BTreeSet<(usize, usize)> = BTreeSet::new();
    for event in events {
        for &a in &event.sources {
            for &b in &event.sources {
                story.insert((a, b));
            }
        }
    }
    // Two reports of one incident are published within a fortnight of each other (a toll is
    // updated for days); an undated report may be of any. A toll of a whole attack has no place
    // to tell incidents apart: its reports are published within [`AROUND_PUBLICATION`] days of
    // each other, or, undated, carry a common event.
    let near = |a: usize, b: usize, scope: &Scope| {
        let days = match scope {
            Scope::Place(_) | Scope::Site => TOLL_DAYS,
            Scope::Whole => AROUND_PUBLICATION,
        };
        match (extraction.sources[a].anchor, extraction.sources[b].anchor) {
            (Some(x), Some(y)) => within_days(&x, &y, days),
            _ => *scope != Scope::Whole || story.contains(&(a, b)),
        }
    };
    let mut dropped: BTreeSet<usize> = BTreeSet::new();
    // A conflict between the tolls of two different scopes (a place and another, a place or a
    // site and the whole attack) compares different counts; a site's toll may be its place's
    // (the incident is the strike on the site). Tolls of one scope from reports published too
    // far apart are of two incidents.
    for (k, c) in conflicts.iter().enumerate() {
        if c.kind != ConflictKind::Number || c.sides.len() != 2 {
            continue;
        }
        let scope = |side: &Side| scope_of.get(&(side.claim, side.value.clone()));
        if let (Some(x), Some(y)) = (scope(&c.sides[0]), scope(&c.sides[1])) {
            let site_in_place = matches!(
                (x, y),
                (Scope::Site, Scope::Place(_)) | (Scope::Place(_), Scope::Site)
            );
            let (a, b) = (
                claims[c.sides[0].claim].source,
                claims[c.sides[1].claim].source,
            );
            if (x != y && !site_in_place) || (x == y && !near(a, b, x)) {
                dropped.insert(k);
            }
        }
    }
    // Two tolls whose sentences date their events on days that cannot be one ("early on
    // Saturday" against "before dawn on Thursday") are of two attacks.
    let days_apart = |a: usize, b: usize| on_other_days(&claim_days[a], &claim_days[b]);
    let mut added: Vec<Conflict> = Vec::new();
    for ((scope, measure), figures) in &groups {
        let near = |a: usize, b: usize| near(a, b, scope);
        let about = unit_label(&Unit::Count(measure.clone()));
        let mut values: Vec<f64> = figures.iter().map(|f| f.2.value).collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        if values.len() < 2 {
            continue;
        }
        // The number conflicts of this measure already found, by their pair of claims (the
        // first of several: collected in reverse, so that it is inserted last).
        let found: BTreeMap<(usize, usize), usize> = conflicts
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, k)| k.kind == ConflictKind::Number && k.about == about)
            .filter(|(_, k)| k.sides.len() == 2)
            .map(|(i, k)| {
                let (x, y) = (k.sides[0].claim, k.sides[1].claim);
                ((x.min(y), x.max(y)), i)
            })
            .collect();
        let conflict_between = |x: usize, y: usize| found.get(&(x.min(y), x.max(y))).copied();
        // Two reports that each give both values agree ("7 killed on Saturday, 3 on Monday"
        // in each): two incidents or two moments, not two accounts.
        let gives = |r: usize, v: f64| figures.iter().any(|f| f.0 == r && f.2.value == v);
        let both_give_both = |a: usize, b: usize, u: f64, v: f64| {
            gives(a, u) && gives(a, v) && gives(b, u) && gives(b, v)
        };
        // Each pair of neighbouring values: the two figures, from two reports published close
        // together, that contradict each other (one already in conflict first).
        let links: Vec<Option<(usize, usize)>> = values
            .windows(2)
            .map(|w| {
                let pairs = figures
                    .iter()
                    .enumerate()
                    .filter(|f| f.1 .2.value == w[0])
                    .flat_map(|(i, x)| {
                        figures
                            .iter()
                            .enumerate()
                            .filter(|f| f.1 .2.value == w[1])
                            .filter(move |(_, y)| {
                                x.0 != y.0
                                    && near(x.0, y.0)
                                    && !days_apart(x.1, y.1)
                                    && !x.2.compatible(&y.2)
                                    && !both_give_both(x.0, y.0, w[0], w[1])
                            })
                            .map(move |(j, _)| (i, j))
                    });
                let pairs: Vec<(usize, usize)> = pairs.collect();
                pairs
                    .iter()
                    .copied()
                    .find(|&(i, j)| conflict_between(figures[i].1, figures[j].1).is_some())
                    .or_else(|| pairs.first().copied())
            })
            .collect();
        // Neighbouring values that can be one figure ("22" and "about 23").
        let quantities: Vec<&Quantity> = figures.iter().map(|f| &f.2).collect();
        let agree = neighbours_agree(&values, &quantities);
        let position = |v: f64| values.iter().position(|&x| x == v).unwrap_or(0);
        // Each figure as a conflict's side writes it, once.
        let labels: Vec<String> = figures.iter().map(|f| quantities_value(&[&f.2])).collect();
        // A conflict of this group between values that are not neighbours goes, when the pairs
        // of neighbours between them are all there.
        for (k, c) in conflicts.iter().enumerate() {
            if c.kind != ConflictKind::Number || c.about != about || c.sides.len() != 2 {
                continue;
            }
            let value = |side: &Side| {
                figures
                    .iter()
                    .zip(&labels)
                    .find(|(f, label)| f.1 == side.claim && **label == side.value)
                    .map(|(f, _)| f.2.value)
            };
            let (Some(a), Some(b)) = (value(&c.sides[0]), value(&c.sides[1])) else {
                continue;
            };
            let (lo, hi) = (position(a).min(position(b)), position(a).max(position(b)));
            if hi > lo + 1 && told_by_neighbours(&links[lo..hi], &agree[lo..hi]) {
                dropped.insert(k);
            }
        }
        for &(i, j) in links.iter().flatten() {
            let (x, y) = (&figures[i], &figures[j]);
            if conflict_between(x.1, y.1).is_some_and(|k| !dropped.contains(&k)) {
                continue;
            }
            added.push(figure_pair(
                about.clone(),
                (x.1, &x.2),
                (y.1, &y.2),
                "the tolls of one incident in two reports, paired in order of size",
            ));
        }
    }
    replace_conflicts(conflicts, &dropped, added);
}

/// Weapons counted as launched, brought down or hitting their targets.
const WEAPONS: &[&str] = &[
    "drone",
    "missile",
    "rocket",
    "shahed",
    "bomb",
    "projectile",
    "uav",
    "munition",
    "shell",
];

/// What was done with counted weapons: launched, brought down, or hit their targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Launched,
    Downed,
    Hit,
}

/// The fate of the weapons counted at `token`, from the nearest verb of one (within eight words,
/// not past a semicolon): "launched 309 drones", "21 drones struck their targets", "15 missiles
/// were shot down".
fn weapon_fate(tokens: &[Token<'_>], token: usize) -> Option<Fate> {
    const LAUNCHED: &[&str] = &[
        "launched", "launch", "launches", "fired", "fire", "used", "sent", "attacked",
    ];
    const DOWNED: &[&str] = &[
        "down",
        "downed",
        "intercepted",
        "destroyed",
        "neutralized",
        "neutralised",
        "repelled",
        "suppressed",
    ];
    const HIT: &[&str] = &["struck", "hit", "reached"];
    let fate = |t: &Token<'_>| {
        if t.is_any(LAUNCHED) {
            Some(Fate::Launched)
        } else if t.is_any(DOWNED) {
            Some(Fate::Downed)
        } else if t.is_any(HIT) {
            Some(Fate::Hit)
        } else {
            None
        }
    };
    crate::quantity::nearest_in_clause(tokens, token, fate)
}

/// Where a death toll was counted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    /// One place (a city, a village, a region).
    Place(String),
    /// The whole attack, across every place it struck.
    Whole,
    /// A site in a place (a hospital, a district, a building).
    Site,
}

/// The place written right after a figure, before the next figure or punctuation ("33 people in
/// Kyiv", "17 in Kyiv"), or right before it ("in Kyiv one person was killed").
fn figure_place(t: &[Token<'_>], token: usize) -> Option<String> {
    if token >= 2 && t[token - 2].is_any(&["in", "at"]) && t[token - 1].is_capitalised() {
        let name = crate::events::places(&t[token - 2..token]);
        if name.len() == 1 {
            return name.into_iter().next();
        }
    }
    let start = token + 1;
    let end = (start..t.len().min(start + 6))
        .find(|&i| t[i].kind == TokenKind::Number || t[i].kind == TokenKind::Punct)
        .unwrap_or(t.len().min(start + 6));
    let places = crate::events::places(&t[start.min(end)..end]);
    (places.len() == 1)
        .then(|| places.into_iter().next())
        .flatten()
}

/// Parts of a city that a strike may hit, each with a toll of its own.
const SITES: &[&str] = &[
    "hospital", "district", "building", "clinic", "centre", "center", "school", "block", "house",
];

/// Whether a sentence names a site: a part of a place ("the hospital", "a residential building").
fn names_site(t: &[Token<'_>]) -> bool {
    t.iter().any(|w| w.is_any(SITES))
}

/// Whether a sentence names a site as a place's ("Kyiv's Okhmatdyt hospital", "the
/// Sviatoshynskyi district of Kyiv").
fn site_of_place(t: &[Token<'_>]) -> bool {
    t.iter().enumerate().any(|(i, w)| {
        w.is_capitalised()
            && w.base() != w.text
            && t[i + 1..t.len().min(i + 4)].iter().any(|n| n.is_any(SITES))
            || w.is_any(SITES)
                && t.get(i + 1).is_some_and(|n| n.is("of"))
                && t.get(i + 2).is_some_and(|n| n.is_capitalised())
    })
}

/// Whether a sentence (lower case) counts the dead of a whole attack: "across Ukraine",
/// "countrywide", "The total death toll".
fn counts_whole(text: &str, parties: &BTreeSet<&str>) -> bool {
    const CUES: &[&str] = &[
        "countrywide",
        "nationwide",
        "across the country",
        "throughout the country",
        "total death toll",
        "overall death toll",
        "total toll",
        "overall toll",
    ];
    CUES.iter().any(|cue| text.contains(cue))
        || parties.iter().any(|p| {
            ["across ", "throughout ", "toll in ", "dead in "]
                .iter()
                .any(|before| text.contains(&format!("{before}{p}")))
        })
}

/// Whether two publication spans (a day, or an undated report's window) have days at most
/// `days` apart.
fn within_days(a: &DateSpan, b: &DateSpan, days: i64) -> bool {
    a.earliest.days() <= b.latest.days() + days && b.earliest.days() <= a.latest.days() + days
}

/// Whether two sentences date their events on days that cannot be one ("early on Saturday"
/// against "before dawn on Thursday"); not when either states no day.
fn on_other_days(a: &[&When], b: &[&When]) -> bool {
    !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.iter().any(|y| x.compatible(y)))
}

/// Whether figure `q` of `claim` is a part of an earlier figure of the same measure ("three
/// children, two of them born in 2008"; "Of the 66 people hospitalized, five remained …"): a
/// part is not the event's count. A part of another measure is ("20 people, including three
/// children": the children killed).
fn part_of_earlier(claim: &Claim, t: &[Token<'_>], q: &Quantity) -> bool {
    crate::quantity::part_cue(t, q.token, q.token)
        && claim
            .quantities
            .iter()
            .any(|w| w.token < q.token && w.measure().unit == q.measure().unit)
}

/// The similarity of clause `u` to clause `v` as alignment sees it: their cosine, or 0 when they
/// share nothing but actors and speakers.
fn similarity(units: &[Clause], u: usize, v: usize) -> f64 {
    if shares_content(&units[u], &units[v]) {
        cosine(&units[u], &units[v])
    } else {
        0.0
    }
}

/// A clause's best match in each other report, kept when the clause is also (nearly) the best
/// match of that one: a report that says the same thing twice (a summary, then the body) has
/// both sentences aligned. Pairs `(u, v)`, `u < v`.
///
/// Only the pairs that can reach `threshold` are compared (`similar_pairs`): a best match below
/// it is dropped whichever clause it is, and a match back below it cannot outweigh one that
/// reaches it, so the answer is that of comparing every pair (`aligned_all_pairs`, in tests).
fn aligned(
    units: &[Clause],
    threshold: f64,
    same_time: impl Fn(usize, usize) -> bool,
    watch: Watch<'_>,
) -> BTreeSet<(usize, usize)> {
    // Per clause, per other report, the best candidate: the most similar, the first of a tie.
    let mut best: Vec<BTreeMap<usize, (usize, f64)>> = vec![BTreeMap::new(); units.len()];
    let mut offer = |u: usize, v: usize| {
        let sim = similarity(units, u, v);
        best[u]
            .entry(units[v].source)
            .and_modify(|b| {
                if sim.total_cmp(&b.1).then(b.0.cmp(&v)).is_gt() {
                    *b = (v, sim);
                }
            })
            .or_insert((v, sim));
    };
    let kept = vec![true; units.len()];
    similar_pairs(units, &kept, threshold, watch, |u, v| {
        offer(u, v);
        offer(v, u);
    });
    let mut pairs = BTreeSet::new();
    for (u, matches) in best.iter().enumerate() {
        let a = units[u].source;
        for &(v, sim) in matches.values() {
            if sim < threshold || !same_time(u, v) {
                continue;
            }
            // The best match back, where it reaches the threshold (else `sim`, which does, is
            // above it).
            let back = match best[v].get(&a) {
                Some(&(_, s)) if s >= threshold => s,
                _ => 0.0,
            };
            if sim >= NEAR_BEST * back {
                pairs.insert((u.min(v), u.max(v)));
            }
        }
    }
    pairs
}

/// [`aligned`] by comparing every clause with every clause of every other report: the
/// reference.
#[cfg(test)]
fn aligned_all_pairs(
    units: &[Clause],
    sources: usize,
    threshold: f64,
    same_time: impl Fn(usize, usize) -> bool,
) -> BTreeSet<(usize, usize)> {
    let by_source: Vec<Vec<usize>> = (0..sources)
        .map(|s| (0..units.len()).filter(|&u| units[u].source == s).collect())
        .collect();
    let best_in = |u: usize, s: usize| -> Option<(usize, f64)> {
        by_source[s]
            .iter()
            .map(|&v| (v, similarity(units, u, v)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    };
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (a, from) in by_source.iter().enumerate() {
        for b in 0..sources {
            if a == b {
                continue;
            }
            for &u in from {
                let Some((v, sim)) = best_in(u, b) else {
                    continue;
                };
                if sim < threshold || !same_time(u, v) {
                    continue;
                }
                let back = best_in(v, a).map_or(0.0, |(_, s)| s);
                if sim >= NEAR_BEST * back {
                    pairs.insert((u.min(v), u.max(v)));
                }
            }
        }
    }
    pairs
}

/// Calls `out` with every pair `(x, y)`, `x < y`, of kept clauses of different reports whose
/// cosine similarity can reach `threshold`, once each: a superset of the pairs that reach it, found without comparing every
/// pair (prefix filtering, as in Bayardo, Ma and Srikant's all-pairs similarity search).
///
/// Terms are put in one order, most frequent first. A clause's prefix is the longest run of its
/// first terms whose weights have a norm below `threshold` times the clause's norm: a clause
/// that shares only prefix terms with another has a cosine below `threshold` with it
/// (Cauchy-Schwarz). So two clauses that reach it share a term outside both prefixes (the last
/// term they share in the order), and only the terms outside a clause's prefix are indexed and
/// probed. The threshold is lowered by a millionth and the bound by a billionth, far more than
/// float rounding moves a cosine. A threshold of 0 or less lets every pair through.
fn similar_pairs(
    units: &[Clause],
    kept: &[bool],
    threshold: f64,
    watch: Watch<'_>,
    mut out: impl FnMut(usize, usize),
) {
    if threshold.is_nan() || threshold <= 0.0 {
        for y in 0..units.len() {
            if watch.stopped() {
                return;
            }
            for x in 0..y {
                if kept[x] && kept[y] && units[x].source != units[y].source {
                    out(x, y);
                }
            }
        }
        return;
    }
    let low = threshold * (1.0 - 1e-6);
    let terms = units
        .iter()
        .flat_map(|u| u.vector.iter().map(|t| t.id + 1))
        .max()
        .unwrap_or(0);
    let mut df = vec![0usize; terms];
    for (u, c) in units.iter().enumerate() {
        if kept[u] {
            for t in &c.vector {
                df[t.id] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..terms).collect();
    order.sort_unstable_by(|&a, &b| df[b].cmp(&df[a]).then(a.cmp(&b)));
    let mut rank = vec![0; terms];
    for (r, &t) in order.iter().enumerate() {
        rank[t] = r;
    }
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); terms];
    // The last clause each clause was paired with, so that a pair sharing several indexed terms
    // is listed once.
    let mut paired_with = vec![usize::MAX; units.len()];
    let mut features: Vec<(usize, f64)> = Vec::new();
    for x in 0..units.len() {
        if !kept[x] {
            continue;
        }
        if watch.stopped() {
            return;
        }
        watch.progress("aligning claims", x, units.len());
        features.clear();
        features.extend(units[x].vector.iter().map(|t| (rank[t.id], t.weight)));
        features.sort_unstable_by_key(|f| f.0);
        let total: f64 = features.iter().map(|f| f.1 * f.1).sum();
        if total.is_nan() || total <= 0.0 {
            // A cosine of 0 with every clause.
            continue;
        }
        let bound = low * low * total * (1.0 - 1e-9);
        let mut prefix = 0.0;
        let mut start = 0;
        while start < features.len() && prefix + features[start].1 * features[start].1 < bound {
            prefix += features[start].1 * features[start].1;
            start += 1;
        }
        for &(f, _) in &features[start..] {
            for &y in &postings[f] {
                if paired_with[y] != x && units[y].source != units[x].source {
                    paired_with[y] = x;
                    out(y, x);
                }
            }
        }
        for &(f, _) in &features[start..] {
            postings[f].push(x);
        }
    }
}

/// Pairs of clauses of different reports, both passing `keep`, matched one to one per pair of
/// reports: the most similar pair first, then the most similar among the clauses left, down to
/// `threshold`. A clause is thus compared with its counterpart, not with a neighbouring event
/// of the same kind that its counterpart already answers.
fn matched(
    units: &[Clause],
    sources: usize,
    threshold: f64,
    keep: impl Fn(usize) -> bool,
    search: Search,
    watch: Watch<'_>,
) -> Vec<(usize, usize, f64)> {
    // The candidates of each pair of reports `(a, b)`, `a < b`: `(similarity, u, v)`, `u` of
    // `a`, `v` of `b`.
    type Candidates = Vec<(f64, usize, usize)>;
    let mut by_reports: BTreeMap<(usize, usize), Candidates> = BTreeMap::new();
    let mut consider = |u: usize, v: usize| {
        let sim = cosine(&units[u], &units[v]);
        if sim >= threshold && shares_content(&units[u], &units[v]) {
            by_reports
                .entry((units[u].source, units[v].source))
                .or_default()
                .push((sim, u, v));
        }
    };
    match search {
        Search::Indexed => {
            let kept: Vec<bool> = (0..units.len())
                .map(|u| units[u].source < sources && keep(u))
                .collect();
            similar_pairs(units, &kept, threshold, watch, |x, y| {
                if units[x].source < units[y].source {
                    consider(x, y);
                } else {
                    consider(y, x);
                }
            });
        }
        #[cfg(test)]
        Search::AllPairs => {
            let kept: Vec<Vec<usize>> = (0..sources)
                .map(|s| {
                    (0..units.len())
                        .filter(|&u| units[u].source == s && keep(u))
                        .collect()
                })
                .collect();
            for a in 0..sources {
                for b in a + 1..sources {
                    for &u in &kept[a] {
                        for &v in &kept[b] {
                            consider(u, v);
                        }
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (_, mut candidates) in by_reports {
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        let mut used_a = BTreeSet::new();
        let mut used_b = BTreeSet::new();
        for (sim, u, v) in candidates {
            if !used_a.contains(&u) && !used_b.contains(&v) {
                used_a.insert(u);
                used_b.insert(v);
                out.push((u, v, sim));
            }
        }
    }
    out.sort_by_key(|x| (x.0, x.1));
    out
}

/// Whether the figure at `token` is a difference or the reference of a comparison, not a count
/// of the event: "one soldier less than promised", "one fewer than the 23 wounded", "two more
/// than". A bound ("fewer than 23 people", "more than 93") is written before its figure, without
/// an article, and stays a count.
fn relative_figure(tokens: &[Token<'_>], token: usize) -> bool {
    const COMPARATIVE: &[&str] = &["fewer", "less", "more"];
    let after = &tokens[(token + 1).min(tokens.len())..(token + 4).min(tokens.len())];
    let difference = after.iter().enumerate().any(|(k, t)| {
        // "ten or fewer" is a bound.
        let bound = k > 0 && after[k - 1].is("or");
        !bound
            && (t.is_any(&["fewer", "less"])
                || (t.is("more") && after.get(k + 1).is_some_and(|n| n.is("than"))))
    }) && !after.iter().any(|t| t.kind == TokenKind::Punct);
    let reference = token >= 3
        && tokens[token - 2].is("than")
        && tokens[token - 1].is_any(&["the", "what", "those"])
        && tokens[token - 3].is_any(COMPARATIVE);
    difference || reference
}

/// Whether the figure at `token` is one foreseen, not counted: "the death toll may increase to
/// 58", "is expected to rise to 30" (a modal within the four words before it, in its clause).
fn foreseen_figure(tokens: &[Token<'_>], token: usize) -> bool {
    tokens[token.saturating_sub(4)..token]
        .iter()
        .rev()
        .take_while(|t| t.kind != TokenKind::Punct)
        .any(|t| t.is_any(&["may", "might", "could", "would", "expected", "likely"]))
}

fn is_day_level(w: &When) -> bool {
    w.weekday.is_some() || w.span.is_some_and(|s| s.len_days() <= 7)
}

fn in_range(token: usize, range: (usize, usize)) -> bool {
    token >= range.0 && token < range.1
}

fn quantities_value(qs: &[&Quantity]) -> String {
    qs.iter()
        .map(|q| {
            let v = format!("{} {}", format_value(q.value), q.unit);
            let v = match q.qualifier {
                Qualifier::Exact => v,
                other => format!("{} {v}", other.as_str()),
            };
            // Say what was written when the figure was converted ("about two hours").
            let converted = matches!(&q.unit, Unit::Count(n) if n == "minute" || n == "day");
            if q.text.is_empty() || !converted {
                v
            } else {
                format!("{v} (“{}”)", q.text)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn unit_label(unit: &Unit) -> String {
    match unit {
        Unit::Money(c) => format!("amount ({c})"),
        Unit::Percent => "percentage".into(),
        Unit::Count(noun) => format!("number of {noun}"),
    }
}

/// The day-level time expression of a clause most tied to what the other clause shares with
/// it: the one with the most shared terms within eight tokens.
fn day_times<'c>(
    claim: &'c Claim,
    range: (usize, usize),
    tokens: &'c [Token<'_>],
    other: &HashMap<String, f64>,
) -> Option<&'c When> {
    event_days(claim, range, tokens).max_by_key(|w| {
        let lo = w.token.saturating_sub(8).max(range.0);
        let hi = (w.token + 8).min(range.1);
        tokens[lo..hi]
            .iter()
            .filter(|t| t.kind == TokenKind::Word && other.contains_key(&stem(t.base())))
            .count()
    })
}

/// The days (a week or less, or a weekday) that a clause's range of `claim` gives for its event,
/// not for the saying ([`statement_time`]).
fn event_days<'c>(
    claim: &'c Claim,
    range: (usize, usize),
    tokens: &'c [Token<'_>],
) -> impl Iterator<Item = &'c When> {
    claim.times.iter().filter(move |w| {
        in_range(w.token, range)
            && is_day_level(w)
            && !statement_time(tokens, w)
            && !count_time(tokens, w)
    })
}

/// Whether a time expression dates a count, not the event counted: "As of October 10, 53 dead
/// were identified", "as of 07:00 (0400 GMT) on June 28, the bodies of eight …". A toll is
/// counted on a later day than the strike; that day is the count's moment.
fn count_time(tokens: &[Token<'_>], w: &When) -> bool {
    // "as of" up to twelve tokens before the day, with only a time of day and its gloss between
    // ("as of 07:00 (0400 GMT) on June 28", "as of the evening of June 24"): in "As of Monday
    // the strike on Sunday had killed 35", Sunday is the strike's.
    const TIME_OF_DAY: &[&str] = &[
        "on",
        "the",
        "of",
        "at",
        "morning",
        "afternoon",
        "evening",
        "night",
        "noon",
        "midnight",
        "gmt",
        "utc",
        "local",
        "time",
        "a.m.",
        "p.m.",
        "am",
        "pm",
    ];
    (w.token.saturating_sub(12)..w.token.saturating_sub(1)).any(|k| {
        tokens[k].is("as")
            && tokens.get(k + 1).is_some_and(|t| t.is("of"))
            && tokens[k + 2..w.token].iter().all(|t| {
                t.kind == TokenKind::Number
                    || (t.kind == TokenKind::Punct
                        && !(t.is_punct(',') || t.is_punct(';') || t.is_punct('.')))
                    || t.is_any(TIME_OF_DAY)
            })
    })
}

/// Whether a time expression dates the saying, not the event: "officials said on Saturday",
/// "Kyiv said Friday".
pub(crate) fn statement_time(tokens: &[Token<'_>], w: &When) -> bool {
    // A date in apposition to a weekday dates what the weekday dates: "said on Wednesday (March
    // 19)", "said Wednesday, March 19"; a weekday is not in apposition ("said on Monday,
    // Sunday's strike": Sunday is the event's).
    let mut at = w.token;
    if at >= 2
        && tokens
            .get(at)
            .is_some_and(|t| crate::date::Weekday::parse(t.text).is_none())
        && (tokens[at - 1].is_punct('(') || tokens[at - 1].is_punct(','))
        && crate::date::Weekday::parse(tokens[at - 2].text).is_some()
    {
        at -= 2;
    }
    let before = |d: usize| at.checked_sub(d).and_then(|k| tokens.get(k));
    let saying = |t: Option<&Token<'_>>| {
        t.is_some_and(|t| crate::attribution::is_attribution_verb(&t.text.to_lowercase()))
    };
    saying(before(1)) || (before(1).is_some_and(|t| t.is("on")) && saying(before(2)))
}

/// Who gives and who receives the people a figure counts, where its clause says so with a verb
/// of an exchange within six words before it: "Russia received 55 prisoners", "Ukraine got
/// 200", "Ukraine has returned home 150 defenders" (the subject receives); "Russia handed over
/// 205 prisoners to Ukraine", "Moscow released 90 captives" (the subject gives, "to X"
/// receives). The parties are actors named in the clause (ids), looked up only when there is
/// such a verb.
fn exchange_direction(
    tokens: &[Token<'_>],
    aliases: &impl ActorLookup,
    q: &Quantity,
    range: (usize, usize),
) -> Direction {
    const RECEIVE: &[&str] = &[
        "received",
        "receives",
        "receive",
        "got",
        "gets",
        "welcomed",
        "welcomes",
        "recovered",
    ];
    const GIVE: &[&str] = &[
        "released",
        "releases",
        "freed",
        "frees",
        "handed",
        "hands",
        "transferred",
        "transfers",
        "returned",
        "returns",
        "sent",
    ];
    let figure = q.token;
    let Some(verb) = (range.0.max(figure.saturating_sub(6))..figure)
        .rev()
        .find(|&k| tokens[k].is_any(RECEIVE) || tokens[k].is_any(GIVE))
    else {
        return (None, None);
    };
    let mentions = aliases.find(tokens);
    // The actor named last before the verb, in the clause: its subject.
    let subject = mentions
        .iter()
        .filter(|m| m.token >= range.0 && m.token + m.len <= verb)
        .max_by_key(|m| m.token)
        .map(|m| m.actor.clone());
    // "to X" or "from X" within ten words after the figure.
    let after = |word: &str| {
        (figure + 1..(figure + 11).min(range.1)).find_map(|k| {
            tokens[k]
                .is(word)
                .then(|| mentions.iter().find(|m| m.token == k + 1))
                .flatten()
                .map(|m| m.actor.clone())
        })
    };
    let home = tokens.get(verb + 1).is_some_and(|t| t.is("home"));
    if tokens[verb].is_any(RECEIVE) || home {
        (after("from"), subject)
    } else {
        (subject, after("to"))
    }
}

/// Who gives and who receives exchanged people (actor ids), where a clause says.
type Direction = (Option<String>, Option<String>);

/// Whether two (giver, receiver) directions of exchanged people are opposite or of different
/// parties: then their counts are of two sides of an exchange.
fn opposite(a: &Direction, b: &Direction) -> bool {
    let differ =
        |x: &Option<String>, y: &Option<String>| matches!((x, y), (Some(x), Some(y)) if x != y);
    let same =
        |x: &Option<String>, y: &Option<String>| matches!((x, y), (Some(x), Some(y)) if x == y);
    differ(&a.1, &b.1) || differ(&a.0, &b.0) || same(&a.1, &b.0) || same(&a.0, &b.1)
}

/// Whether a clause tells of one strike of several ("The second missile that hit the outskirts
/// of the city left five injured", "Another drone struck a school"): an ordinal or "another"
/// just before a weapon or a strike. Its casualties are that strike's, a part of the attack's
/// toll, not an account of it.
fn one_strike_of_several(tokens: &[Token<'_>], range: (usize, usize)) -> bool {
    const STRIKES: &[&str] = &["strike", "blast", "explosion", "hit", "impact", "wave"];
    let clause = &tokens[range.0..range.1];
    clause.windows(2).any(|w| {
        (w[0].is_any(&ORDINALS[1..]) || w[0].is("another"))
            && (w[1].is_any(WEAPONS) || w[1].is_any(STRIKES))
    })
}

/// Ordinal words, "first" first.
const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// The ordinals of a clause ("first", "second", …): which of several rounds or meetings it is.
fn ordinals(tokens: &[Token<'_>], range: (usize, usize)) -> BTreeSet<String> {
    tokens[range.0..range.1]
        .iter()
        .filter(|t| t.is_any(ORDINALS))
        .map(|t| t.text.to_lowercase())
        .collect()
}

fn describe_when(w: &When) -> String {
    match (w.weekday, w.span) {
        (Some(d), Some(s)) if s.is_day() => format!("{d} ({s})"),
        (Some(d), Some(s)) => format!("{d} ({s})"),
        (Some(d), None) => d.to_string(),
        (None, Some(s)) => match s.is_day() {
            true => format!("{s} ({})", s.earliest.weekday()),
            false => s.to_string(),
        },
        (None, None) => w.text.clone(),
    }
}

fn event(extraction: &Extraction, members: Vec<usize>) -> Event {
    let claims = &extraction.claims;
    let mut sources: Vec<usize> = members.iter().map(|&k| claims[k].source).collect();
    sources.sort_unstable();
    sources.dedup();
    // Origins: the agencies a claim relays (or its source relays throughout), else the source.
    let origin_sets: Vec<Vec<String>> = members
        .iter()
        .map(|&k| {
            let c = &claims[k];
            let mut o: Vec<String> = c.relays.iter().map(|r| r.to_lowercase()).collect();
            o.extend(
                extraction.sources[c.source]
                    .meta
                    .agencies
                    .iter()
                    .map(|a| a.to_lowercase()),
            );
            if o.is_empty() {
                // Near-duplicates of one wire text are one origin, named by the first of them.
                let first = extraction.sources[c.source].copy_group;
                o.push(format!("source:{}", extraction.sources[first].id));
            }
            o
        })
        .collect();
    let mut parent: Vec<usize> = (0..members.len()).collect();
    for i in 0..members.len() {
        for j in i + 1..members.len() {
            let (si, sj) = (claims[members[i]].source, claims[members[j]].source);
            let same_source =
                extraction.sources[si].copy_group == extraction.sources[sj].copy_group;
            let shared = origin_sets[i].iter().any(|o| origin_sets[j].contains(o));
            if same_source || shared {
                union(&mut parent, i, j);
            }
        }
    }
    let mut origins: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, set) in origin_sets.iter().enumerate() {
        let r = find(&mut parent, i);
        let entry = origins.entry(r).or_default();
        for o in set {
            if !entry.contains(o) {
                entry.push(o.clone());
            }
        }
    }
    let origins: Vec<String> = origins
        .into_values()
        .map(|o| {
            // Name the group by its agency when it has one.
            o.iter()
                .find(|x| !x.starts_with("source:"))
                .cloned()
                .unwrap_or_else(|| o[0].clone())
        })
        .collect();
    let anonymous = members.iter().all(|&k| claims[k].anonymous());
    let mut denied_by = Vec::new();
    let mut disputed_by = Vec::new();
    let mut unverifiable = false;
    let mut denied = false;
    let mut disputed = false;
    for &k in &members {
        for m in &claims[k].marks {
            match m.mark {
                Mark::Denied => {
                    denied = true;
                    denied_by.extend(m.by.iter().cloned());
                }
                Mark::Disputed => {
                    disputed = true;
                    disputed_by.extend(m.by.iter().cloned());
                }
                Mark::Unverifiable => unverifiable = true,
                Mark::NoResponse => {}
            }
        }
    }
    denied_by.sort();
    denied_by.dedup();
    disputed_by.sort();
    disputed_by.dedup();
    let standing = if denied {
        Standing::Denied
    } else if disputed {
        Standing::Disputed
    } else if unverifiable {
        Standing::Unverifiable
    } else if origins.len() >= 2 {
        Standing::Corroborated
    } else if anonymous {
        Standing::Anonymous
    } else {
        Standing::SingleSource
    };
    Event {
        claims: members,
        sources,
        origins,
        anonymous,
        denied_by,
        disputed_by,
        unverifiable,
        standing,
    }
}

/// "former U.S. President" against "U.S. President" for the same person.
fn title_conflicts(extraction: &Extraction) -> Vec<Conflict> {
    // (person key, title) → former flag → first claim.
    let mut table: BTreeMap<(String, String), BTreeMap<bool, (usize, String)>> = BTreeMap::new();
    for (k, c) in extraction.claims.iter().enumerate() {
        for t in &c.titled {
            let entry = table
                .entry((t.key.clone(), t.title.to_lowercase()))
                .or_default();
            entry.entry(t.former).or_insert((k, t.text.clone()));
        }
    }
    table
        .into_iter()
        .filter(|(_, sides)| sides.len() == 2)
        .map(|((key, title), sides)| {
            let name = extraction.claims[sides[&false].0]
                .titled
                .iter()
                .find(|t| t.key == key)
                .map_or(key.clone(), |t| t.name.clone());
            Conflict {
                kind: ConflictKind::Title,
                about: format!("{title} {name}: current or former"),
                sides: sides
                    .into_iter()
                    .rev()
                    .map(|(_, (claim, text))| Side { claim, value: text })
                    .collect(),
                note: None,
                similarity: None,
                tentative: false,
            }
        })
        .collect()
}

/// Places numbered document versions in time.
fn chronology(extraction: &Extraction) -> Chronology {
    let mut versions: Vec<Version> = Vec::new();
    for (k, c) in extraction.claims.iter().enumerate() {
        let anchor = extraction.sources[c.source].anchor;
        for d in &c.documents {
            let earlier = d.cue.as_deref().is_some_and(cue_is_earlier);
            // A date in the sentence itself wins ("leaked last month"); else the report's.
            let own = c
                .times
                .iter()
                .find_map(|w| w.span.filter(|s| s.len_days() <= 62));
            let (when, before) = match (own, anchor) {
                (Some(s), _) => (Some(s), false),
                (None, Some(a)) => (Some(a), earlier),
                (None, None) => (None, earlier),
            };
            match versions.iter_mut().find(|v| v.points == d.points) {
                Some(v) => {
                    v.claims.push(k);
                    v.earlier_cue |= earlier;
                    // The earliest evidence of the version counts.
                    if let Some(w) = when {
                        if v.when.is_none_or(|old| w.latest < old.latest) {
                            v.when = Some(w);
                            v.before = before;
                        }
                    }
                }
                None => versions.push(Version {
                    points: d.points,
                    noun: d.noun.clone(),
                    claims: vec![k],
                    when,
                    before,
                    earlier_cue: earlier,
                }),
            }
        }
    }
    versions.sort_by(|a, b| {
        let key = |v: &Version| v.when.map(|w| w.latest);
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(b.points.cmp(&a.points))
    });
    let mut established = Vec::new();
    let mut undetermined = Vec::new();
    for i in 0..versions.len() {
        for j in i + 1..versions.len() {
            let (a, b) = (&versions[i], &versions[j]);
            match precedes(extraction, a, b).or_else(|| precedes(extraction, b, a).map(|_| false)) {
                Some(true) => established.push((i, j)),
                Some(false) => established.push((j, i)),
                None => undetermined.push((i, j)),
            }
        }
    }
    Chronology {
        versions,
        established,
        undetermined,
    }
}

/// Whether the reports establish that version `a` came before version `b`.
fn precedes(extraction: &Extraction, a: &Version, b: &Version) -> Option<bool> {
    // Within one report: an "initial"/"earlier" version before the one it speaks of as current.
    let same_report = a.claims.iter().any(|&x| {
        b.claims
            .iter()
            .any(|&y| extraction.claims[x].source == extraction.claims[y].source)
    });
    if same_report && a.earlier_cue && !b.earlier_cue {
        return Some(true);
    }
    let (wa, wb) = (a.when?, b.when?);
    (wa.latest < wb.earliest || (a.before && wa.latest <= wb.earliest && !b.before && wa != wb))
        .then_some(true)
}

/// Orders a reader may get wrong: the reports date versions in one order while their numbers
/// suggest another; and orders the reports leave open.
fn order_conflicts(extraction: &Extraction, chronology: &Chronology) -> Vec<Conflict> {
    let v = &chronology.versions;
    let mut out = Vec::new();
    let label = |x: &Version| format!("{}-point {}", x.points, x.noun);
    let when = |x: &Version| match (x.when, x.before) {
        (Some(w), true) => format!("before {}", w.latest),
        (Some(w), false) => w.to_string(),
        (None, _) => "undated".to_string(),
    };
    for &(i, j) in &chronology.established {
        // A later version with more points than an earlier one breaks the narrowing a reader
        // expects from the numbers.
        let (earlier, later) = (&v[i], &v[j]);
        let narrowed_before = chronology
            .established
            .iter()
            .any(|&(p, q)| q == i && v[p].points > earlier.points);
        if later.points > earlier.points && narrowed_before {
            out.push(Conflict {
                kind: ConflictKind::Order,
                about: format!("{} and {}", label(earlier), label(later)),
                sides: vec![
                    Side { claim: earlier.claims[0], value: format!("{} ({})", label(earlier), when(earlier)) },
                    Side { claim: later.claims[0], value: format!("{} ({})", label(later), when(later)) },
                ],
                note: Some(format!(
                    "the {} predates the {}, although the numbers (a text narrowed to {} points, then {}) suggest the other way round",
                    label(earlier),
                    label(later),
                    earlier.points,
                    later.points
                )),
                similarity: None,
                tentative: false,
            });
        }
    }
    for &(i, j) in &chronology.undetermined {
        let (a, b) = (&v[i], &v[j]);
        let undated: Vec<String> = [a, b]
            .iter()
            .filter(|x| x.when.is_none_or(|w| w.len_days() > 1) || x.before)
            .flat_map(|x| {
                x.claims
                    .iter()
                    .map(|&c| extraction.sources[extraction.claims[c].source].file.clone())
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        out.push(Conflict {
            kind: ConflictKind::Order,
            about: format!("{} and {}", label(a), label(b)),
            sides: vec![
                Side {
                    claim: a.claims[0],
                    value: format!("{} ({})", label(a), when(a)),
                },
                Side {
                    claim: b.claims[0],
                    value: format!("{} ({})", label(b), when(b)),
                },
            ],
            note: Some(if undated.is_empty() {
                "the reports do not tell which came first".to_string()
            } else {
                format!(
                    "the reports do not tell which came first; a publication date for {} would",
                    undated.join(", ")
                )
            }),
            similarity: None,
            tentative: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract, ExtractConfig, Report, SourceMeta};
    use proptest::prelude::*;

    /// A clause from its source and its terms by id (ids index `TERMS`).
    fn clause(source: usize, terms: &[(usize, f64)]) -> Clause {
        const TERMS: &[&str] = &[
            "@russia", "@ukraine", "^russia", "#person", "attack", "kill", "meet", "kherson",
            "sumy", "drone", "talks", "hotel",
        ];
        let mut vector: Vec<Term> = Vec::new();
        for &(id, weight) in terms {
            match vector.iter_mut().find(|t| t.id == id) {
                Some(t) => t.weight += weight,
                None => vector.push(Term {
                    id,
                    weight,
                    content: !TERMS[id].starts_with('@') && !TERMS[id].starts_with('^'),
                }),
            }
        }
        vector.sort_unstable_by_key(|t| t.id);
        Clause {
            claim: 0,
            source,
            range: (0, 0),
            terms: vector
                .iter()
                .map(|t| (TERMS[t.id].to_string(), t.weight))
                .collect(),
            norm: vector
                .iter()
                .map(|t| t.weight * t.weight)
                .sum::<f64>()
                .sqrt(),
            vector,
        }
    }

    /// Clauses over few reports and few terms, with weights from a short list, so that equal
    /// similarities (ties) and identical clauses are common.
    fn clauses() -> impl Strategy<Value = (Vec<Clause>, usize)> {
        (1..5usize).prop_flat_map(|sources| {
            (
                prop::collection::vec(
                    (
                        0..sources,
                        prop::collection::vec(
                            (
                                0..12usize,
                                prop::sample::select(vec![0.5, 1.0, 1.5, 2.0, 3.0]),
                            ),
                            0..6,
                        ),
                    ),
                    0..24,
                ),
                Just(sources),
            )
                .prop_map(|(units, sources)| {
                    (units.iter().map(|(s, t)| clause(*s, t)).collect(), sources)
                })
        })
    }

    fn threshold() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(0.3),
            Just(0.15),
            Just(0.0),
            Just(-0.5),
            Just(1.0),
            0.0..1.0f64
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The clauses aligned through the index of terms are those aligned by comparing every
        /// pair, and the one-to-one matches are the same, ties included.
        #[test]
        fn indexed_search_equals_every_pair(
            (units, sources) in clauses(),
            threshold in threshold(),
            skip in 1..6usize,
        ) {
            let same_time = |u: usize, v: usize| (u * 7 + v * 3) % (skip + 4) != 0;
            prop_assert_eq!(
                aligned(&units, threshold, same_time, Watch::default()),
                aligned_all_pairs(&units, sources, threshold, same_time)
            );
            let keep = |u: usize| u % skip != 0;
            prop_assert_eq!(
                matched(&units, sources, threshold, keep, Search::Indexed, Watch::default()),
                matched(&units, sources, threshold, keep, Search::AllPairs, Watch::default())
            );
        }

        /// Every pair whose similarity reaches the threshold is among the candidates.
        #[test]
        fn candidates_include_every_pair_at_the_threshold(
            (units, _) in clauses(),
            threshold in threshold(),
        ) {
            let kept = vec![true; units.len()];
            let mut found: Vec<(usize, usize)> = Vec::new();
            similar_pairs(&units, &kept, threshold, Watch::default(), |x, y| found.push((x, y)));
            let listed = found.len();
            let found: BTreeSet<(usize, usize)> = found.into_iter().collect();
            prop_assert_eq!(listed, found.len(), "a pair listed twice");
            for v in 0..units.len() {
                for u in 0..v {
                    if units[u].source != units[v].source
                        && cosine(&units[u], &units[v]) >= threshold
                    {
                        prop_assert!(found.contains(&(u, v)), "{u} {v}");
                    }
                }
            }
        }

    }

    proptest! {
        // Each case extracts and analyses its reports twice: fewer cases.
        #![proptest_config(ProptestConfig::with_cases(150))]

        /// On reports written from templates (shared events, changed figures and days), the
        /// alias index gives every clause the terms the alias list gives it, and the whole
        /// analysis through the indexes equals the analysis comparing every pair.
        #[test]
        fn the_analysis_through_the_indexes_equals_the_reference(
            texts in prop::collection::vec(
                prop::collection::vec((0..6usize, 0..5usize, 0..4usize, 0..3usize), 1..10),
                1..5,
            ),
        ) {
            const PLACES: &[&str] = &["Kherson", "Sumy", "Kharkiv", "Odesa", "Dnipro", "Kyiv"];
            const DAYS: &[&str] = &["Monday", "Thursday", "Saturday", "Sunday", "April 4"];
            let texts: Vec<String> = texts
                .iter()
                .map(|sentences| {
                    sentences
                        .iter()
                        .map(|&(place, day, toll, form)| {
                            let (p, d, n) = (PLACES[place], DAYS[day], 26 + toll);
                            match form {
                                0 => format!("Moscow said a drone strike on a hotel in {p} on {d} killed {n} people."),
                                1 => format!("Officials in {p} said {n} people were wounded in a missile attack on {d}, and the Kremlin denied it."),
                                _ => format!("Envoys of Ukraine and the US-brokered group met in {p} on {d} to discuss talks with Russia, Reuters reported."),
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect();
            let reports = crate::extract::tests::numbered(&texts);
            let mut config = ExtractConfig::default();
            config.aliases.add("Envoys", "envoys");
            let e = extract(&reports, &config);
            let tokens: Vec<Vec<Token<'_>>> =
                e.claims.iter().map(|c| tokenize(&c.sentence)).collect();
            let index = AliasIndex::new(&config.aliases);
            let reference = clause_units(&e, &tokens, &config.aliases);
            let units = clause_units(&e, &tokens, &index);
            prop_assert_eq!(units.len(), reference.len());
            for (a, b) in units.iter().zip(&reference) {
                let mut x: Vec<(&String, u64)> =
                    a.terms.iter().map(|(t, w)| (t, w.to_bits())).collect();
                let mut y: Vec<(&String, u64)> =
                    b.terms.iter().map(|(t, w)| (t, w.to_bits())).collect();
                x.sort_unstable();
                y.sort_unstable();
                prop_assert_eq!(x, y);
            }
            let conflict = ConflictConfig::default();
            prop_assert_eq!(
                analyse_units(&e, &tokens, &index, units.clone(), &conflict, Search::Indexed, Watch::default()),
                analyse_units(&e, &tokens, &index, units, &conflict, Search::AllPairs, Watch::default())
            );
        }
    }

    /// The values of each number conflict, each pair and the list sorted.
    fn number_pairs(a: &Analysis) -> Vec<Vec<&str>> {
        let mut pairs: Vec<Vec<&str>> = a
            .conflicts
            .iter()
            .filter(|c| c.kind == ConflictKind::Number)
            .map(|c| {
                let mut v: Vec<&str> = c.sides.iter().map(|s| s.value.as_str()).collect();
                v.sort();
                v
            })
            .collect();
        pairs.sort();
        pairs
    }

    fn reports(texts: &[(&str, Option<&str>, &str)]) -> (Extraction, Analysis) {
        let reports: Vec<Report<'_>> = texts
            .iter()
            .map(|(id, published, text)| Report {
                id: id.to_string(),
                file: format!("{id}.txt"),
                text,
                meta: SourceMeta {
                    published: published.and_then(DateSpan::parse),
                    ..SourceMeta::default()
                },
            })
            .collect();
        let config = ExtractConfig::default();
        let e = extract(&reports, &config);
        let a = analyse(&e, &config.aliases, &ConflictConfig::default());
        (e, a)
    }

    #[test]
    fn numbers_and_days_conflict() {
        let (_, a) = reports(&[
            ("a", None, "Moscow said Ukrainian drones hit a hotel and cafe in Kherson early on Thursday, killing 28 people.\nA woman was killed in a missile strike on Kharkiv late Friday, officials said.\n"),
            ("b", None, "Russia said a Ukrainian drone strike on a hotel and cafe in Kherson on Thursday killed 27 people.\nA woman was killed late Sunday in a missile strike on Kharkiv, the governor said.\n"),
        ]);
        let kinds: Vec<&str> = a.conflicts.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["number", "date"], "{:#?}", a.conflicts);
        assert_eq!(a.conflicts[0].sides[0].value, "28 person killed");
        assert_eq!(a.conflicts[1].sides[1].value, "Sunday");
    }

    /// Who gives and who receives the people an exchange's figure counts; two sides' counts
    /// are not compared, one side's are.
    #[test]
    fn the_two_sides_of_an_exchange_are_two_counts() {
        let aliases = ExtractConfig::default().aliases;
        let index = AliasIndex::new(&aliases);
        let direction = |sentence: &str| {
            let t = tokenize(sentence);
            let q = crate::quantity::quantities(&t, sentence, &vec![false; t.len()])
                .into_iter()
                .next()
                .expect("a figure");
            exchange_direction(&t, &index, &q, (0, t.len()))
        };
        let ids = |g: Option<&str>, r: Option<&str>| (g.map(String::from), r.map(String::from));
        let received = direction("Russia received 55 prisoners including Viktor Medvedchuk.");
        let got = direction("Under the deal, Ukraine got 200 prisoners of war.");
        let handed = direction("Russia handed over 215 prisoners to Ukraine.");
        let home = direction("Ukraine has returned home 150 defenders.");
        assert_eq!(received, ids(None, Some("russia")));
        assert_eq!(got, ids(None, Some("ukraine")));
        assert_eq!(handed, ids(Some("russia"), Some("ukraine")));
        assert_eq!(home, ids(None, Some("ukraine")));
        assert!(opposite(&received, &got));
        assert!(opposite(&received, &handed));
        assert!(!opposite(&got, &handed));
        assert!(!opposite(&got, &home));
        assert_eq!(direction("The exchange freed 90 people."), ids(None, None));
        // One side counted twice, differently, is still a conflict.
        let (_, a) = reports(&[
            ("a", Some("2022-09-22"), "Russia and Ukraine carried out a large prisoner exchange on Wednesday, mediated by Saudi Arabia.\n\nUkraine received 205 prisoners including Azov fighters, Zelensky said in his daily address.\n"),
            ("b", Some("2022-09-22"), "Russia and Ukraine carried out a large prisoner exchange on Wednesday, mediated by Saudi Arabia.\n\nYermak said that under the deal, Russia handed over 215 prisoners to Ukraine, including Azov fighters.\n"),
            ("c", Some("2022-09-22"), "A drone struck a market in Kharkiv on Tuesday, the governor said.\n"),
        ]);
        assert_eq!(number_pairs(&a).len(), 1, "{:#?}", a.conflicts);
    }

    #[test]
    fn one_strike_of_several_is_a_part_of_the_toll() {
        let (_, a) = reports(&[
            ("a", Some("2025-06-27"), "The second missile of the Russian strike on the restaurant in Kramatorsk hit the outskirts of the city and left five injured.\n"),
            ("b", Some("2025-06-27"), "Officials said the Russian missile strike on the restaurant in Kramatorsk left 47 people injured.\n"),
        ]);
        assert_eq!(
            number_pairs(&a),
            Vec::<Vec<&str>>::new(),
            "{:#?}",
            a.conflicts
        );
        // Without the ordinal, the five injured are an account of the same toll.
        let (_, a) = reports(&[
            ("a", Some("2025-06-27"), "The Russian missile strike on the restaurant in Kramatorsk left five injured.\n"),
            ("b", Some("2025-06-27"), "Officials said the Russian missile strike on the restaurant in Kramatorsk left 47 people injured.\n"),
        ]);
        assert_eq!(number_pairs(&a).len(), 1, "{:#?}", a.conflicts);
    }

    #[test]
    fn tolls_whose_sentences_name_no_place_count_where_the_report_counted_before() {
        let (_, a) = reports(&[
            ("a", Some("2025-07-31"), "Officials said 12 people were killed and 64 were injured in the Russian strike on Kyiv on Thursday.\n\nThe death toll may increase to 20, the mayor said.\n"),
            ("b", Some("2025-07-31"), "A Russian strike on Kyiv on Thursday killed 9 people, officials said.\n\nLater the national rescue service said 15 had been killed and 145 were injured.\n"),
        ]);
        let pairs = number_pairs(&a);
        // The wounded are paired as the dead are; a toll foreseen ("may increase to 20") is none.
        assert_eq!(
            pairs,
            [
                ["12 person killed", "15 person killed"],
                ["12 person killed", "9 person killed"],
                ["145 person wounded", "64 person wounded"],
            ],
            "{:#?}",
            a.conflicts
        );
    }

    #[test]
    fn a_toll_reported_three_ways_is_two_contradictions_of_neighbouring_figures() {
        let (_, a) = reports(&[
            ("a", Some("2024-09-03"), "A Russian missile strike on a military institute in Poltava on Tuesday killed 41 people, Zelensky said.\n"),
            ("b", Some("2024-09-03"), "The Russian missile strike on the military institute in Poltava on Tuesday killed 49 people, the Defence Ministry said.\n"),
            ("c", Some("2024-09-04"), "The Russian missile strike on a military institute in Poltava on Tuesday killed at least 50 people, officials said.\n"),
        ]);
        let pairs = number_pairs(&a);
        assert_eq!(
            pairs,
            [
                ["41 person killed", "49 person killed"],
                ["49 person killed", "at least 50 person killed"],
            ],
            "{:#?}",
            a.conflicts
        );
    }

    #[test]
    fn a_day_that_is_one_of_the_other_account_s_days_is_no_contradiction() {
        // An exchange in two steps, Friday and Saturday, against "over the weekend"; a day in
        // apposition to the day of saying ("said on Wednesday (March 19)") dates the saying.
        let (_, a) = reports(&[
            ("a", Some("2025-05-25"), "On Friday, both sides exchanged 270 soldiers and 120 civilians, followed by a 307-for-307 swap of military personnel on Saturday.\n"),
            ("b", Some("2025-05-25"), "Russia and Ukraine exchanged 270 soldiers and 120 civilians over the weekend, followed by a 307-for-307 swap of military personnel.\n"),
        ]);
        assert!(
            a.conflicts.iter().all(|c| c.kind != ConflictKind::Date),
            "{:#?}",
            a.conflicts
        );
        let (_, a) = reports(&[
            ("c", Some("2025-03-19"), "Russia and Ukraine have exchanged 175 prisoners of war each, both sides said on Wednesday (March 19), following a phone call.\n"),
            ("d", Some("2025-03-19"), "Russia and Ukraine have exchanged 175 prisoners of war each on Tuesday, following a phone call.\n"),
        ]);
        assert!(
            a.conflicts.iter().all(|c| c.kind != ConflictKind::Date),
            "{:#?}",
            a.conflicts
        );
    }

    #[test]
    fn a_day_after_the_day_of_saying_and_a_day_both_accounts_recall_are_still_compared() {
        // "said on Monday, Sunday's strike": Sunday is the strike's day, not in apposition; an
        // earlier day both clauses mention does not excuse the days they differ on.
        for (a, b) in [
            (
                "Zelensky said on Monday, Sunday's missile strike on the centre of Sumy killed 35 people.",
                "A Russian missile strike on the centre of Sumy on Saturday killed 35 people, officials said.",
            ),
            (
                "A Russian missile strike on the centre of Sumy on Sunday killed 35 people, a week after the strike on Kryvyi Rih on April 4.",
                "A Russian missile strike on the centre of Sumy on Saturday killed 35 people, a week after the strike on Kryvyi Rih on April 4.",
            ),
        ] {
            let (_, r) = reports(&[
                ("a", Some("2025-04-14"), &format!("{a}\n")),
                ("b", Some("2025-04-14"), &format!("{b}\n")),
            ]);
            assert!(
                r.conflicts.iter().any(|c| c.kind == ConflictKind::Date),
                "{a} / {b}: {:#?}",
                r.conflicts
            );
        }
    }

    #[test]
    fn the_day_of_a_count_is_not_the_day_of_the_event_counted() {
        // "As of October 10" dates the count of the dead, not the strike of October 5; without
        // "as of", the same days conflict.
        for (a, expected) in [
            ("As of October 10, 53 dead people were identified after the missile strike on the village of Hroza.", false),
            ("As of the evening of October 10, 53 dead people were identified after the missile strike on the village of Hroza.", false),
            ("As of Wednesday the missile strike on the village of Hroza on October 10 had killed people gathered at a cafe.", true),
            ("On October 10, a missile strike on the village of Hroza killed people gathered at a cafe, officials said.", true),
        ] {
            let (_, r) = reports(&[
                ("a", Some("2023-10-11"), &format!("{a}\n")),
                ("b", Some("2023-10-11"), "The missile strike on the village of Hroza on Oct. 5 killed people gathered at a cafe, officials said.\n"),
            ]);
            assert_eq!(
                r.conflicts.iter().any(|c| c.kind == ConflictKind::Date),
                expected,
                "{a}: {:#?}",
                r.conflicts
            );
        }
    }

    #[test]
    fn days_of_reports_far_apart_or_of_an_unplaced_week_are_not_compared() {
        // Saturday's strike against Thursday's: a conflict between reports of one week, none
        // between reports half a year apart (one known within a fortnight), nor against a report
        // known only within months.
        let saturday = "Russia launched waves of missiles and drones on Kyiv early on Saturday, killing one person, officials said.\n";
        let thursday = "Russia launched waves of missiles and drones on Kyiv before dawn on Thursday, killing 14 people, officials said.\n";
        for (published, expected) in [
            ("2026-01-25", true),
            ("2025-07-24..2025-08-07", false),
            ("2025-07-24..2026-01-31", false),
        ] {
            let (_, r) = reports(&[
                ("a", Some("2026-01-24"), saturday),
                ("b", Some(published), thursday),
            ]);
            assert_eq!(
                r.conflicts.iter().any(|c| c.kind == ConflictKind::Date),
                expected,
                "{published}: {:#?}",
                r.conflicts
            );
        }
    }

    #[test]
    fn the_hospitalised_are_not_the_wounded_and_figures_one_figure_apart_are_not_paired() {
        let (_, a) = reports(&[
            ("a", Some("2022-07-14"), "A Russian missile strike on the centre of Vinnytsia on Thursday injured 25 people, officials said.\n"),
            ("b", Some("2022-07-14"), "A Russian missile strike on the centre of Vinnytsia on Thursday left 52 people hospitalized, officials said.\n"),
        ]);
        assert!(number_pairs(&a).is_empty(), "{:#?}", a.conflicts);
        // 52 against "some 71", with 66 between: 52 against 66 says it all.
        let (_, a) = reports(&[
            ("a", Some("2024-09-03"), "A Russian missile strike on a military institute in Poltava on Tuesday killed 52 people, officials said.\n"),
            ("b", Some("2024-09-03"), "The Russian missile strike on the military institute in Poltava on Tuesday killed 66 people, the ministry said.\n"),
            ("c", Some("2024-09-04"), "The Russian missile strike on a military institute in Poltava on Tuesday killed some 71 people, officials said.\n"),
        ]);
        assert_eq!(
            number_pairs(&a),
            [["52 person killed", "66 person killed"]],
            "{:#?}",
            a.conflicts
        );
    }

    #[test]
    fn a_toll_broken_down_by_place_is_compared_place_by_place() {
        // 279 wounded in Dnipro and 14 in Samar: three wounded in Samarske are neither; three
        // in Samar contradict the 14.
        let breakdown = "It was reported that 17 people had been killed and 279 injured in Dnipro and 2 killed and 14 injured in the city of Samar after the missile attack.\n";
        for (place, expected) in [("Samarske", false), ("Samar", true)] {
            let other = format!("In {place}, two people died and three others were injured as a result of the missile attack.\n");
            let (_, a) = reports(&[
                ("a", Some("2025-06-25"), breakdown),
                ("b", Some("2025-06-25"), &other),
            ]);
            let wounded = a
                .conflicts
                .iter()
                .any(|c| c.about == "number of person wounded");
            assert_eq!(wounded, expected, "{place}: {:#?}", a.conflicts);
        }
        // One figure placed, in a sentence that names another place: no breakdown.
        let (_, a) = reports(&[
            ("a", Some("2025-06-25"), "The missile attack killed 17 people in Dnipro, the governor of Dnipropetrovsk Oblast said.\n"),
            ("b", Some("2025-06-25"), "The missile attack killed 18 people, the governor said.\n"),
        ]);
        assert_eq!(
            number_pairs(&a),
            [["17 person killed", "18 person killed"]],
            "{:#?}",
            a.conflicts
        );
    }

    #[test]
    fn days_of_different_actions_are_not_compared() {
        // The day a truce was agreed and the day a period began; the other pair, the same
        // action on different days, still conflicts.
        let (_, a) = reports(&[
            ("a", Some("2025-03-26"), "Following talks in Saudi Arabia, the two countries agreed on March 25 to implement a ceasefire in the Black Sea and a halt to strikes on energy facilities.\nA woman was killed in a missile strike on Kharkiv late Friday, officials said.\n"),
            ("b", Some("2025-03-26"), "Russia and the United States also agreed to develop measures to halt strikes on energy facilities in the Black Sea for a period of 30 days that began on 18 March.\nA woman was killed late Sunday in a missile strike on Kharkiv, the governor said.\n"),
        ]);
        let days: Vec<Vec<&str>> = a
            .conflicts
            .iter()
            .filter(|c| c.kind == ConflictKind::Date)
            .map(|c| c.sides.iter().map(|s| s.value.as_str()).collect())
            .collect();
        assert_eq!(days.len(), 1, "{:#?}", a.conflicts);
        assert!(days[0]
            .iter()
            .all(|d| !d.contains("-03-18") && !d.contains("-03-25")));
    }

    #[test]
    fn tolls_of_one_place_worded_differently_are_paired_in_order_of_size() {
        let (_, a) = reports(&[
            ("a", Some("2024-02-03"), "The death toll from the missile strike on the village of Marino has risen to 30, the governor said.\nTwo people were killed in the town of Lesne, officials said.\n"),
            ("b", Some("2024-02-04"), "Russian forces killed 34 people in the village of Marino, the minister wrote on Telegram.\n"),
            ("c", Some("2024-02-06"), "When the search ended, 37 people had been killed in Marino, rescuers said.\n"),
            ("d", Some("2025-06-01"), "A drone attack killed 12 people in Marino, the mayor said.\n"),
        ]);
        // Two strikes a day apart, both told by both reports: no conflict.
        let (_, b) = reports(&[
            ("a", Some("2024-03-04"), "A strike killed 7 people in Kovel on Saturday, officials said.\nAnother strike killed 3 people in Kovel on Monday, officials said.\n"),
            ("b", Some("2024-03-04"), "On Saturday 7 people were killed in Kovel by a missile, police said.\nOn Monday 3 people were killed in Kovel by a drone, police said.\n"),
        ]);
        assert!(number_pairs(&b).is_empty(), "{:#?}", b.conflicts);
        let pairs = number_pairs(&a);
        // Not 30 against 37 (34 is between them), not Lesne's two, not the attack a year later.
        assert_eq!(
            pairs,
            [
                ["30 person killed", "34 person killed"],
                ["34 person killed", "37 person killed"]
            ],
            "{:#?}",
            a.conflicts
        );
    }

    #[test]
    fn tolls_of_a_whole_attack_its_places_and_its_sites_are_told_apart() {
        let (_, a) = reports(&[
            ("a", Some("2024-07-08"), "As of 15:00, 28 fatalities occurred from the missile assault, 11 in Dnipro and 17 in Kyiv, the minister said.\nTwo people were killed in the strike on Kyiv's Okhmatdyt hospital, officials said.\n"),
            ("b", Some("2024-07-08"), "In all, 31 people were confirmed dead across Ukraine, officials reported.\nThe death toll includes 33 people in Kyiv, the minister said.\n"),
            ("c", Some("2024-07-09"), "The death toll in Ukraine as a result of the strike reached 42 people, police said.\nThe number of killed in Kyiv rose to 22, rescuers said.\n"),
        ]);
        // The whole attack's 28, 31 and 42 in order, Kyiv's 22 and 33; never a place's or the
        // hospital's count against the whole attack's.
        assert_eq!(
            number_pairs(&a),
            [
                ["22 person killed", "33 person killed"],
                ["28 person killed", "31 person killed"],
                ["31 person killed", "42 person killed"],
            ],
            "{:#?}",
            a.conflicts
        );
        // A named district of a place counts the district's dead, not the place's.
        let (_, d) = reports(&[
            ("a", Some("2025-04-24"), "As of 11:00, eight people have been reported killed in the Russian strike on the Sviatoshynskyi district of Kyiv.\n"),
            ("b", Some("2025-04-24"), "Ukraine's emergency service reported the death toll in Kyiv had risen to nine.\n"),
        ]);
        assert!(number_pairs(&d).is_empty(), "{:#?}", d.conflicts);
        // A whole attack's tolls from reports a month apart are not compared.
        let (_, b) = reports(&[
            (
                "a",
                Some("2024-07-08"),
                "At least 31 people were killed across Ukraine, officials said.\n",
            ),
            (
                "b",
                Some("2024-08-08"),
                "The strikes killed 12 people nationwide, officials said.\n",
            ),
        ]);
        assert!(number_pairs(&b).is_empty(), "{:#?}", b.conflicts);
    }

    #[test]
    fn counts_of_other_nights_or_of_what_else_was_done_with_the_weapons_do_not_conflict() {
        // Launched against launched conflicts; launched against struck, or against another
        // night's launch (a report published months later), does not.
        let (_, a) = reports(&[
            ("a", Some("2025-07-31"), "Russia launched 309 drones and eight cruise missiles during the night, according to the air force.\nAccording to the air force, five missiles and 21 drones struck their targets.\n"),
            ("b", Some("2025-07-31"), "Russia launched over 300 drones and eight missiles during the night, the air force said.\n"),
            ("c", Some("2025-08-01"), "Russia launched 288 drones and eight missiles during the night, the air force said.\n"),
            ("d", Some("2026-01-24"), "Russia launched 375 drones and 21 missiles during the night, the air force said.\n"),
        ]);
        assert_eq!(
            number_pairs(&a),
            [
                ["288 drone", "309 drone"],
                ["288 drone", "at least 300 drone"]
            ],
            "{:#?}",
            a.conflicts
        );
        // Tolls of a Saturday and of a Thursday in one place are two attacks, and "in Kyiv one
        // person was killed" places its figure.
        let (_, b) = reports(&[
            ("a", Some("2026-01-24"), "Russia struck Kyiv early on Saturday, and in Kyiv one person was killed, officials said.\n"),
            ("b", None, "Russia struck Kyiv before dawn on Thursday, killing at least 14 people in Kyiv, officials said.\n"),
        ]);
        assert!(number_pairs(&b).is_empty(), "{:#?}", b.conflicts);
    }

    #[test]
    fn days_far_apart_in_reports_published_together_still_conflict() {
        // A misprinted month: the reports are of the same week.
        let (_, a) = reports(&[
            ("a", Some("2024-06-13"), "Protesters stormed the parliament building in the capital on June 12, officials said.\n"),
            ("b", Some("2024-06-14"), "Protesters stormed the parliament building in the capital on April 12, officials said.\n"),
        ]);
        assert_eq!(a.conflicts.len(), 1, "{:#?}", a.conflicts);
    }

    #[test]
    fn days_more_than_a_month_apart_are_different_events() {
        // The same words of two ceremonies a year apart: no conflict; a day apart, one.
        let texts = |b: &'static str| {
            [
                ("a", Some("2023-05-10"), "The governor opened the new bridge over the river on May 9, 2023, officials said.\n"),
                ("b", Some("2024-05-10"), b),
            ]
        };
        let (_, a) = reports(&texts(
            "The governor opened the new bridge over the river on May 9, 2024, officials said.\n",
        ));
        assert!(a.conflicts.is_empty(), "{:#?}", a.conflicts);
        let (_, a) = reports(&texts(
            "The governor opened the new bridge over the river on May 8, 2023, officials said.\n",
        ));
        assert_eq!(a.conflicts.len(), 1, "{:#?}", a.conflicts);
        assert_eq!(a.conflicts[0].kind, ConflictKind::Date);
    }

    #[test]
    fn a_set_stop_flag_ends_the_search_for_pairs() {
        // The caller's stop flag is polled by the search for aligned clauses: once set, no
        // pair is compared and no conflict is reported (the caller discards the partial answer).
        let (e, a) = reports(&[
            ("a", None, "Moscow said Ukrainian drones hit a hotel and cafe in Kherson early on Thursday, killing 28 people.\n"),
            ("b", None, "Russia said a Ukrainian drone strike on a hotel and cafe in Kherson on Thursday killed 27 people.\n"),
        ]);
        assert_eq!(a.conflicts.len(), 1);
        let stop = std::sync::atomic::AtomicBool::new(true);
        let aliases = ExtractConfig::default().aliases;
        let watch = Watch {
            stop: Some(&stop),
            progress: None,
        };
        let stopped = analyse_until(&e, &aliases, &ConflictConfig::default(), watch);
        assert!(stopped.conflicts.is_empty(), "{:#?}", stopped.conflicts);
    }

    #[test]
    fn durations_in_other_units_and_the_killed_apart_from_the_wounded() {
        let (_, a) = reports(&[
            ("a", None, "The talks between the Russian and Ukrainian delegations in Istanbul lasted about two hours.\nA missile strike on Sumy killed 34 people, including two children, officials said.\n"),
            ("b", None, "The talks between the delegations of Russia and Ukraine in Istanbul lasted just 90 minutes.\nA missile strike on Sumy wounded 117 people, including 15 children, officials said.\n"),
        ]);
        let values: Vec<Vec<&str>> = a
            .conflicts
            .iter()
            .map(|c| c.sides.iter().map(|s| s.value.as_str()).collect())
            .collect();
        assert_eq!(
            values,
            [[
                "about 120 minute (“about two hours”)",
                "90 minute (“90 minutes”)"
            ]],
            "killed and wounded are different figures: {:#?}",
            a.conflicts
        );
    }

    #[test]
    fn two_durations_of_one_clause_are_not_compared_with_a_third() {
        // Sentences written for the test: a statement and a meeting in one clause, an
        // appearance on stage in the other; no figure says which is which.
        let (_, a) = reports(&[
            ("a", None, "In a short three-minute statement after his nearly three-hour meeting with the Russian president in Anchorage, the US president said the talks had made progress.\n"),
            ("b", None, "After the meeting with the Russian president in Anchorage, the US president and his guest stood on stage for just over 10 minutes and said the talks had made progress.\n"),
        ]);
        assert!(a.conflicts.is_empty(), "{:#?}", a.conflicts);
        // One duration on each side is still compared.
        let (_, a) = reports(&[
            ("a", None, "The meeting between the US and Russian presidents in Anchorage lasted nearly three hours, officials said.\n"),
            ("b", None, "The meeting between the US and Russian presidents in Anchorage lasted about 90 minutes, officials said.\n"),
        ]);
        assert_eq!(a.conflicts.len(), 1, "{:#?}", a.conflicts);
    }

    #[test]
    fn the_day_of_saying_and_other_rounds_are_not_the_day_of_the_event() {
        let (_, a) = reports(&[
            ("a", Some("2025-04-07"), "On April 4, a Russian missile struck Kryvyi Rih, killing 18 people.\nOn June 2, the second round of talks between Ukraine and Russia took place in Istanbul.\n"),
            ("b", Some("2025-04-07"), "A Russian missile attack on Kryvyi Rih killed 18 people, local officials said on Saturday.\nOn May 16, the first round of talks between Ukraine and Russia took place in Istanbul.\n"),
        ]);
        assert!(
            a.conflicts.iter().all(|c| c.kind != ConflictKind::Date),
            "{:#?}",
            a.conflicts
        );
        let (_, a) = reports(&[
            (
                "a",
                Some("2025-04-07"),
                "On April 4, a Russian missile struck Kryvyi Rih, killing 18 people.\n",
            ),
            (
                "b",
                Some("2025-04-07"),
                "A Russian missile struck Kryvyi Rih on Saturday, killing 18 people.\n",
            ),
        ]);
        assert_eq!(a.conflicts.len(), 1, "the strike's own day still conflicts");
    }

    #[test]
    fn a_difference_or_the_reference_of_a_comparison_is_not_a_count() {
        let (_, a) = reports(&[
            ("a", None, "The army said it handed back 40 captured sailors in the swap at the border crossing, two sailors fewer than the 42 sailors the navy had listed.\n"),
            ("b", None, "The navy said 40 captured sailors were handed back in the swap at the border crossing on the river.\n"),
        ]);
        assert!(
            a.conflicts.iter().all(|c| c.kind != ConflictKind::Number),
            "{:#?}",
            a.conflicts
        );
        let (_, a) = reports(&[
            ("a", None, "The army said it handed back 40 captured sailors in the swap at the border crossing.\n"),
            ("b", None, "The navy said 38 captured sailors were handed back in the swap at the border crossing.\n"),
        ]);
        assert_eq!(
            a.conflicts.len(),
            1,
            "two counts still conflict: {:#?}",
            a.conflicts
        );
    }

    #[test]
    fn the_total_of_both_sides_of_an_exchange_is_not_one_side_s_count() {
        let (_, a) = reports(&[
            ("a", Some("2025-09-10"), "The two navies exchanged 96 prisoners at the border crossing on Wednesday, including six wounded sailors.\n"),
            ("b", Some("2025-09-10"), "The two navies each released 45 prisoners at the border crossing on Wednesday.\n"),
        ]);
        assert!(
            a.conflicts.iter().all(|c| c.kind != ConflictKind::Number),
            "96 = 45 + 45 + 6: {:#?}",
            a.conflicts
        );
        let (_, a) = reports(&[
            ("a", Some("2025-09-10"), "The two navies exchanged 97 prisoners at the border crossing on Wednesday, including six wounded sailors.\n"),
            ("b", Some("2025-09-10"), "The two navies each released 45 prisoners at the border crossing on Wednesday.\n"),
        ]);
        assert_eq!(
            a.conflicts
                .iter()
                .filter(|c| c.kind == ConflictKind::Number)
                .count(),
            1,
            "97 is no total of these figures: {:#?}",
            a.conflicts
        );
    }

    #[test]
    fn near_duplicate_reports_are_one_source() {
        let wire = "Delegations of Russia and Ukraine concluded their meeting in Istanbul on Friday, agreeing to hold a new round of negotiations and have a large-scale prisoner exchange.\nAs a key outcome of the two-hour talks, Russia and Ukraine agreed to a prisoner exchange involving 1,000 people from each side.\n";
        let copy = format!("{wire}Umerov described the agreement as the largest exchange since the beginning of the war.\n");
        let (e, a) = reports(&[("a", None, wire), ("b", None, &copy)]);
        assert_eq!(e.sources[1].copy_group, 0);
        let exchange = a
            .events
            .iter()
            .find(|ev| ev.sources.len() == 2)
            .expect("the copies align");
        assert_eq!(exchange.independent(), 1);
        assert_eq!(exchange.standing, Standing::SingleSource);
    }

    #[test]
    fn relaying_the_same_agency_is_not_corroboration() {
        let (_, a) = reports(&[
            ("a", None, "An AFP analysis of war data found Russia made larger territorial gains last year than in any year since 2022.\n"),
            ("b", None, "An AFP analysis of war data said Russia made larger territorial gains last year than in any year since 2022.\n"),
            ("c", None, "Officials in Kyiv met European envoys to discuss a ceasefire and reconstruction.\n"),
            ("d", None, "European envoys met officials in Kyiv to discuss reconstruction and a ceasefire.\n"),
        ]);
        let afp = a
            .events
            .iter()
            .find(|e| e.claims.len() == 2 && e.sources == [0, 1])
            .expect("aligned");
        assert_eq!(afp.independent(), 1);
        assert_eq!(afp.standing, Standing::SingleSource);
        let meeting = a
            .events
            .iter()
            .find(|e| e.sources == [2, 3])
            .expect("aligned");
        assert_eq!(meeting.independent(), 2);
        assert_eq!(meeting.standing, Standing::Corroborated);
    }

    #[test]
    fn titles_counts_and_order() {
        let (_, a) = reports(&[
            ("a", Some("2025-12"), "Senior advisers from 15 countries met in Kyiv to review the plan.\nThe talks focused on a revised plan that replaced an initial 28-point draft. The current version narrows the agenda to 19 key points.\nFormer US President Donald Trump said he was not thrilled.\n"),
            ("b", Some("2026-01-03"), "Senior advisers from Britain, France and Germany met in Kyiv to review the plan.\nSenator Lindsey Graham praised a Trump-backed 20-point plan.\nU.S. President Donald Trump said he wanted a deal.\n"),
        ]);
        let kinds: Vec<&str> = a.conflicts.iter().map(|c| c.kind.as_str()).collect();
        assert!(kinds.contains(&"count"), "{:#?}", a.conflicts);
        assert!(kinds.contains(&"title"));
        let order = a
            .conflicts
            .iter()
            .find(|c| c.kind == ConflictKind::Order)
            .expect("order");
        assert!(order.sides[0].value.starts_with("19-point"), "{order:#?}");
        let v: Vec<u32> = a.chronology.versions.iter().map(|v| v.points).collect();
        assert_eq!(v, [28, 19, 20]);
    }
}

//! Claims about the same event across reports, recognised by the event's signature rather than
//! by shared words: reports word one prisoner exchange as "the exchange of 1,000 prisoners
//! each", "a 1000 for 1000 deal" and "a swap", and one strike as "a missile strike on Kyiv" and
//! "an extensive barrage of missiles and drones on Kyiv".
//!
//! A claim's *mention* is the first word of an event class in it (an exchange or swap of
//! prisoners, a strike or attack, talks or a meeting), with what pins that event down: its
//! places ("in Istanbul", "on Kyiv", "the city of Sumy"), its distinctive figures (100 or more:
//! "1,000", "390"), its date (a stated or resolved day near the event word, else a window around
//! the report's publication) and, for talks, the rounds it names ("the second round").
//!
//! [`cluster`] merges the events that alignment formed (`conflicts.rs`) when two of their claims
//! mention the same class of event, share a place or a distinctive figure, name no different
//! places and no different rounds, and can be the same days; a merged event's stated days must
//! all fit in one stretch (the same day for a strike or talks, three days for an exchange
//! carried out in phases), so that a chain of near days cannot join two strikes a week apart.

use std::collections::{BTreeMap, BTreeSet};

use crate::date::DateSpan;
use crate::extract::Extraction;
use crate::text::{Token, TokenKind};
use crate::when::Inference;
use crate::Watch;

/// An event class: its name, the words that mention it, how many days apart the stated days
/// of one event of the class may be, and the window around a report's publication taken for a
/// mention without a day (days before, days after).
struct Class {
    name: &'static str,
    words: &'static [&'static str],
    slack: i64,
    window: (i64, i64),
}

const CLASSES: &[Class] = &[
    Class {
        name: "exchange",
        words: &[
            "exchange",
            "exchanges",
            "exchanged",
            "swap",
            "swaps",
            "swapped",
            "trade",
        ],
        // An exchange is carried out in phases over a few days ("the first phase on Friday",
        // "completed on Sunday").
        slack: 2,
        window: (7, 7),
    },
    Class {
        name: "attack",
        words: &[
            "strike",
            "strikes",
            "struck",
            "attack",
            "attacks",
            "attacked",
            "shelling",
            "shelled",
            "bombardment",
            "bombarded",
            "bombing",
            "bombed",
            "barrage",
            "assault",
        ],
        slack: 0,
        // Reported the day of the strike or within a few days.
        window: (3, 0),
    },
    Class {
        name: "meet",
        words: &[
            "talks",
            "meeting",
            "meetings",
            "met",
            "negotiations",
            "summit",
            "round",
        ],
        slack: 0,
        window: (7, 7),
    },
];

/// The nouns that make "trade" an exchange of prisoners ("a trade of prisoners").
const CAPTIVES: &[&str] = &[
    "prisoner",
    "prisoners",
    "pow",
    "pows",
    "captive",
    "captives",
    "detainees",
];

/// Words after an exchange word that make it something else than an exchange of people.
const NOT_EXCHANGE: &[&str] = &[
    "fire",
    "views",
    "opinions",
    "letters",
    "messages",
    "information",
    "blows",
    "words",
    "rate",
    "rates",
    "notes",
];

/// Words before an exchange word that make it an exchange of land, not of people.
const LAND: &[&str] = &["land", "territory", "territorial", "territories"];

/// Words after a strike or attack word that make it a modifier or an agreement, not an event
/// ("attack drones", "strike a deal").
const NOT_ATTACK: &[&str] = &[
    "drones",
    "drone",
    "helicopters",
    "helicopter",
    "aircraft",
    "submarine",
    "submarines",
    "deal",
    "a",
    "an",
    "agreement",
    "balance",
    "force",
    "forces",
    "group",
];

/// Words that introduce a place ("in Istanbul", "on Kyiv", "near Sumy").
const LOCATIVE: &[&str] = &["in", "on", "at", "near", "over", "across", "against"];

/// Nouns after which "of" introduces a place ("the city of Sumy", "several districts of Kyiv").
const PLACE_NOUNS: &[&str] = &[
    "city",
    "town",
    "village",
    "region",
    "oblast",
    "province",
    "district",
    "capital",
    "port",
    "cities",
    "towns",
    "villages",
    "regions",
    "districts",
];

/// Lower-case words that may follow a place's name ("on Kyiv overnight", "in Kyiv late on", "the
/// dead in Kyiv rose to 22").
const AFTER_PLACE: &[&str] = &[
    "overnight",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "late",
    "early",
    "last",
    "this",
    "on",
    "in",
    "at",
    "and",
    "or",
    "of",
    "the",
    "a",
    "an",
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "had",
    "killed",
    "killing",
    "before",
    "after",
    "during",
    "rose",
    "rises",
    "climbed",
    "reached",
    "stands",
    "stood",
    "which",
    "where",
    "that",
    "to",
    "for",
    "with",
    "from",
    "by",
    "as",
];

/// The longest span that dates an event: a month ("in March 2022"); "this year" does not.
const MONTH_DAYS: i64 = 31;

/// How far (in tokens) a date may be from the event word it dates.
const DATE_REACH: usize = 12;

/// What a claim says about one event: the first event word of the claim and what pins it down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    /// Index in `CLASSES`.
    class: usize,
    /// The days it may be: a stated or resolved day near the event word, else a window around
    /// the report's publication; `None` when the report has no date and the claim none either.
    window: Option<DateSpan>,
    /// Whether `window` is the claim's own date (not the report's).
    stated: bool,
    /// Places named for it, lower-case.
    places: BTreeSet<String>,
    /// Figures of 100 or more.
    figures: BTreeSet<u64>,
    /// Ordinals of rounds ("first", "second"), for talks.
    rounds: BTreeSet<String>,
}

/// The event classes each token of a sentence mentions.
fn class_words(tokens: &[Token<'_>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            continue;
        }
        let lower = t.text.to_lowercase();
        let lower = lower.as_str();
        let Some(class) = CLASSES.iter().position(|c| c.words.contains(&lower)) else {
            continue;
        };
        let next = tokens.get(k + 1);
        let next2 = tokens.get(k + 2);
        let prev = k.checked_sub(1).and_then(|p| tokens.get(p));
        let keep = match CLASSES[class].name {
            "exchange" => {
                let of_what = next.is_some_and(|n| n.is("of"))
                    && next2.is_some_and(|n| n.is_any(NOT_EXCHANGE));
                let land = prev.is_some_and(|p| p.is_any(LAND));
                // "trade" alone is commerce: only "a trade of prisoners" is an exchange.
                let trade = lower == "trade"
                    && !(next.is_some_and(|n| n.is("of"))
                        && next2.is_some_and(|n| n.is_any(CAPTIVES)));
                !of_what && !land && !trade
            }
            "attack" => !next.is_some_and(|n| n.is_any(NOT_ATTACK)),
            "meet" => {
                // "round" only as a round of talks: "a round of talks", "the second round".
                lower != "round"
                    || next.is_some_and(|n| n.is("of"))
                    || prev.is_some_and(|p| p.is_any(ORDINALS))
            }
            _ => true,
        };
        if keep {
            out.push((k, class));
        }
    }
    out
}

const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// A weekday or a month's name ("May" included, which `is_time_word` leaves to the modal).
fn is_calendar_word(t: &Token<'_>) -> bool {
    t.is_capitalised()
        && (crate::date::Weekday::parse(t.text).is_some()
            || crate::date::month_number(t.text).is_some())
}

/// Places named in a sentence: a capitalised name after a locative word ("in Istanbul", "on the
/// capital Kyiv") or after "city of"; a capitalised adjective before a noun ("the Ukrainian
/// city") is not a place.
pub(crate) fn places(tokens: &[Token<'_>]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for k in 0..tokens.len() {
        let t = &tokens[k];
        let of_place = t.is("of") && k >= 1 && tokens[k - 1].is_any(PLACE_NOUNS);
        if !(t.is_any(LOCATIVE) || of_place) {
            continue;
        }
        let mut i = k + 1;
        if tokens.get(i).is_some_and(|n| n.is("the")) {
            i += 1;
        }
        let start = i;
        while i < tokens.len()
            && tokens[i].is_capitalised()
            && !is_calendar_word(&tokens[i])
            && !ORDINALS.contains(&tokens[i].text.to_lowercase().as_str())
        {
            i += 1;
        }
        if i == start {
            continue;
        }
        // The name must end the noun phrase: "in Kyiv on", "on Kyiv overnight", "of Sumy,"; not
        // "on the Ukrainian city".
        let ends = match tokens.get(i) {
            None => true,
            Some(n) if n.kind == TokenKind::Punct => true,
            Some(n) if n.kind == TokenKind::Number => true,
            Some(n) => {
                let lower = n.text.to_lowercase();
                AFTER_PLACE.contains(&lower.as_str()) || n.is_capitalised()
            }
        };
        if ends {
            // A possessive ends a name: "Türkiye's Istanbul" names Türkiye and Istanbul.
            let mut name: Vec<String> = Vec::new();
            for t in &tokens[start..i] {
                name.push(crate::text::plain_lower(t.base()));
                if t.base() != t.text {
                    out.insert(name.join(" "));
                    name.clear();
                }
            }
            if !name.is_empty() {
                out.insert(name.join(" "));
            }
        }
    }
    out
}

/// Figures of 100 or more in a sentence, as written in digits ("1,000", "1000-for-1000", "390"),
/// leaving out years and the days of dates.
fn figures(tokens: &[Token<'_>]) -> BTreeSet<u64> {
    let mut out = BTreeSet::new();
    for (k, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Number {
            continue;
        }
        let near_month = |d: isize| {
            k.checked_add_signed(d)
                .and_then(|i| tokens.get(i))
                .is_some_and(is_calendar_word)
        };
        if near_month(-1) || near_month(1) {
            continue;
        }
        // A clock time ("13:30").
        if tokens.get(k + 1).is_some_and(|n| n.is_punct(':'))
            || k >= 1 && tokens[k - 1].is_punct(':')
        {
            continue;
        }
        for part in t.text.split('-') {
            let digits: String = part.chars().filter(|c| *c != ',').collect();
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let Ok(v) = digits.parse::<u64>() else {
                continue;
            };
            let year = digits.len() == 4 && (1900..=2100).contains(&v) && !part.contains(',');
            if v >= 100 && !year {
                out.insert(v);
            }
        }
    }
    out
}

/// The mention of each claim: its first event word, with places, figures, rounds and days.
pub(crate) fn mentions(extraction: &Extraction, tokens: &[Vec<Token<'_>>]) -> Vec<Option<Mention>> {
    let mut mentions = own_mentions(extraction, tokens);
    // A report tells of its event in several sentences and names the place in some: "a missile
    // strike on Dnipro" … "At least 17 people were killed in the attack". A mention that
    // names no place takes the places every mention of its class in its report that names one
    // has in common; none when they name different places (a report of strikes on two cities).
    let mut common: BTreeMap<(usize, usize), (usize, BTreeSet<String>)> = BTreeMap::new();
    for (claim, m) in extraction.claims.iter().zip(&mentions) {
        let Some(m) = m.as_ref().filter(|m| !m.places.is_empty()) else {
            continue;
        };
        common
            .entry((claim.source, m.class))
            .and_modify(|(n, places)| {
                *n += 1;
                places.retain(|p| m.places.contains(p));
            })
            .or_insert_with(|| (1, m.places.clone()));
    }
    for (claim, m) in extraction.claims.iter().zip(&mut mentions) {
        let Some(m) = m.as_mut().filter(|m| m.places.is_empty()) else {
            continue;
        };
        // Two mentions naming the place at least: one alone may be an aside of a round-up.
        if let Some((n, places)) = common.get(&(claim.source, m.class)) {
            if *n >= 2 && !places.is_empty() {
                m.places = places.clone();
            }
        }
    }
    mentions
}

/// Each claim's mention of an event, from its own sentence.
fn own_mentions(extraction: &Extraction, tokens: &[Vec<Token<'_>>]) -> Vec<Option<Mention>> {
    extraction
        .claims
        .iter()
        .zip(tokens)
        .map(|(claim, tokens)| {
            let words = class_words(tokens);
            let &(_, class) = words.first()?;
            // A date dates the event word nearest it, within reach and not across "since"
            // ("the largest exchange since the invasion began in February 2022").
            let stated = claim
                .times
                .iter()
                .filter(|w| !crate::conflicts::statement_time(tokens, w))
                .filter(|w| !matches!(w.inference, Inference::FromWindow | Inference::Unanchored))
                .filter_map(|w| {
                    let span = w.span.filter(|s| s.len_days() <= MONTH_DAYS)?;
                    let &(k, c) = words.iter().min_by_key(|(k, _)| k.abs_diff(w.token))?;
                    let (lo, hi) = (k.min(w.token), k.max(w.token).min(tokens.len()));
                    let blocked = tokens[lo..hi]
                        .iter()
                        .any(|t| t.is_any(&["since", "followed", "after", "before"]));
                    (c == class && k.abs_diff(w.token) <= DATE_REACH && !blocked).then_some(span)
                })
                .min_by_key(|s| (s.len_days(), s.earliest));
            let c = &CLASSES[class];
            let window = match stated {
                Some(s) => Some(s),
                None => extraction.sources[claim.source].anchor.map(|a| DateSpan {
                    earliest: a.earliest.add_days(-c.window.0),
                    latest: a.latest.add_days(c.window.1),
                }),
            };
            let rounds = if c.name == "meet" {
                tokens
                    .iter()
                    .enumerate()
                    .filter(|(k, t)| {
                        t.is_any(ORDINALS)
                            && tokens
                                .get(k + 1)
                                .is_some_and(|n| n.is_any(&["round", "meeting", "session"]))
                    })
                    .map(|(_, t)| t.text.to_lowercase())
                    .collect()
            } else {
                BTreeSet::new()
            };
            Some(Mention {
                class,
                window,
                stated: stated.is_some(),
                places: places(tokens),
                figures: figures(tokens),
                rounds,
            })
        })
        .collect()
}

/// Whether two mentions can be the same event, as a pair: the same class, a shared place or
/// figure, no different places or rounds, days that can meet.
fn pair_matches(a: &Mention, b: &Mention) -> bool {
    if a.class != b.class {
        return false;
    }
    let shared = !a.places.is_disjoint(&b.places) || !a.figures.is_disjoint(&b.figures);
    let other_places =
        !a.places.is_empty() && !b.places.is_empty() && a.places.is_disjoint(&b.places);
    let other_rounds =
        !a.rounds.is_empty() && !b.rounds.is_empty() && a.rounds.is_disjoint(&b.rounds);
    let slack = CLASSES[a.class].slack;
    let days = match (a.window, b.window) {
        (Some(x), Some(y)) => {
            x.earliest.days() <= y.latest.days() + slack
                && y.earliest.days() <= x.latest.days() + slack
        }
        _ => false,
    };
    shared && !other_places && !other_rounds && days
}

/// What a merged event holds per class: the latest first day and the earliest last day of its
/// stated days, and its rounds.
#[derive(Debug, Clone, Default)]
struct Extent {
    stated: Option<(i64, i64)>,
    rounds: BTreeSet<String>,
}

impl Extent {
    fn add(&mut self, m: &Mention) {
        if let (true, Some(w)) = (m.stated, m.window) {
            let (e, l) = (w.earliest.days(), w.latest.days());
            self.stated = Some(match self.stated {
                Some((a, b)) => (a.max(e), b.min(l)),
                None => (e, l),
            });
        }
        self.rounds.extend(m.rounds.iter().cloned());
    }

    /// Whether two merged events' stated days fit in one stretch and their rounds agree.
    fn fits(&self, other: &Extent, slack: i64) -> bool {
        let days = match (self.stated, other.stated) {
            (Some((a, b)), Some((c, d))) => a.max(c) <= b.min(d) + slack,
            _ => true,
        };
        let rounds = self.rounds.is_empty()
            || other.rounds.is_empty()
            || !self.rounds.is_disjoint(&other.rounds);
        days && rounds
    }

    fn merge(&mut self, other: &Extent) {
        self.stated = match (self.stated, other.stated) {
            (Some((a, b)), Some((c, d))) => Some((a.max(c), b.min(d))),
            (x, None) => x,
            (None, y) => y,
        };
        self.rounds.extend(other.rounds.iter().cloned());
    }
}

/// Merges events (`groups`, lists of claim indices) whose claims mention the same event by
/// signature (see the module's documentation). Returns the merged groups, in order of their
/// first claim, each sorted. Deterministic: candidate pairs are taken in the order of their
/// claims.
pub(crate) fn cluster(
    extraction: &Extraction,
    tokens: &[Vec<Token<'_>>],
    groups: Vec<Vec<usize>>,
    watch: Watch<'_>,
) -> Vec<Vec<usize>> {
    let mentions = mentions(extraction, tokens);
    let n = groups.len();
    let mut group_of = vec![0; extraction.claims.len()];
    for (g, members) in groups.iter().enumerate() {
        for &k in members {
            if let Some(slot) = group_of.get_mut(k) {
                *slot = g;
            }
        }
    }
    // Per group, per class, the extent of its stated days and rounds.
    let mut extents: Vec<BTreeMap<usize, Extent>> = vec![BTreeMap::new(); n];
    for (k, m) in mentions.iter().enumerate() {
        if let Some(m) = m {
            extents[group_of[k]].entry(m.class).or_default().add(m);
        }
    }
    // Candidate pairs: claims sharing a class and a place or figure, found through an index of
    // those keys, then checked as pairs.
    let mut index: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (k, m) in mentions.iter().enumerate() {
        let Some(m) = m else { continue };
        if m.window.is_none() {
            continue;
        }
        for p in &m.places {
            index
                .entry((m.class, format!("p:{p}")))
                .or_default()
                .push(k);
        }
        for f in &m.figures {
            index
                .entry((m.class, format!("n:{f}")))
                .or_default()
                .push(k);
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for claims in index.values() {
        if watch.stopped() {
            return groups;
        }
        for (i, &a) in claims.iter().enumerate() {
            for &b in &claims[i + 1..] {
                if group_of[a] == group_of[b] || pairs.contains(&(a, b)) {
                    continue;
                }
                if let (Some(x), Some(y)) = (&mentions[a], &mentions[b]) {
                    if pair_matches(x, y) {
                        pairs.insert((a, b));
                    }
                }
            }
        }
    }
    let mut parent: Vec<usize> = (0..n).collect();
    for (a, b) in pairs {
        let (ga, gb) = (
            crate::conflicts::find(&mut parent, group_of[a]),
            crate::conflicts::find(&mut parent, group_of[b]),
        );
        if ga == gb {
            continue;
        }
        let fits = extents[ga].iter().all(|(class, e)| {
            extents[gb]
                .get(class)
                .is_none_or(|f| e.fits(f, CLASSES[*class].slack))
        });
        if !fits {
            continue;
        }
        crate::conflicts::union(&mut parent, ga, gb);
        let root = crate::conflicts::find(&mut parent, ga);
        let (from, to) = if root == ga { (gb, ga) } else { (ga, gb) };
        let moved = std::mem::take(&mut extents[from]);
        for (class, e) in moved {
            extents[to].entry(class).or_default().merge(&e);
        }
    }
    let mut merged: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (g, members) in groups.into_iter().enumerate() {
        let r = crate::conflicts::find(&mut parent, g);
        merged.entry(r).or_default().extend(members);
    }
    let mut out: Vec<Vec<usize>> = merged
        .into_values()
        .map(|mut m| {
            m.sort_unstable();
            m
        })
        .collect();
    out.sort_by_key(|m| m.first().copied());
    out
}

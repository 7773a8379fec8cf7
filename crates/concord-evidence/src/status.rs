//! Denials, disputes and "could not be independently verified" in a sentence, with who denies
//! or disputes.

use crate::actors::span_text;
use crate::alias_index::ActorLookup;
use crate::attribution::subject_before;
use crate::text::{quote_spans, Token};

/// What a status marker says about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// Someone says it is false ("denied", "dismissed as a ruse", "a claim Kyiv rejects").
    Denied,
    /// Someone contests the account ("disputed the account").
    Disputed,
    /// The reporter could not check it ("could not be independently verified").
    Unverifiable,
    /// Someone asked did not answer ("There was no immediate response from Russia", "The
    /// Russian military did not have any immediate comment", "Kyiv has not yet responded to that
    /// claim"): neither a denial nor an admission, but the reader should know who was silent.
    NoResponse,
}

impl Mark {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Denied => "denied",
            Mark::Disputed => "disputed",
            Mark::Unverifiable => "unverifiable",
            Mark::NoResponse => "no-response",
        }
    }
}

/// A status marker found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMark {
    /// Denied, disputed or unverifiable.
    pub mark: Mark,
    /// The actors who deny or dispute, from the alias list.
    pub by: Vec<String>,
    /// Who denies or disputes, as written, when the text names them.
    pub by_text: Option<String>,
    /// The words that mark it.
    pub cue: String,
}

/// Nouns for an assertion: "a claim Kyiv denied", "rejected the allegation".
pub const CLAIM_NOUNS: &[&str] = &[
    "claim",
    "claims",
    "allegation",
    "allegations",
    "accusation",
    "accusations",
    "account",
    "accounts",
    "report",
    "reports",
    "assertion",
    "assertions",
    "rationale",
    "charge",
    "charges",
    "characterization",
    "characterisation",
    "version",
    "narrative",
    "story",
    "figures",
    "toll",
    "suggestion",
    "suggestions",
    "reports",
];

const DETERMINERS: &[&str] = &[
    "the", "this", "that", "these", "those", "its", "his", "her", "their", "it", "any", "such",
    "them", "all", "claims", "reports",
];

const UNVERIFIABLE: &[&str] = &[
    "could not be independently verified",
    "could not be verified",
    "could not be independently confirmed",
    "could not be confirmed",
    "cannot be independently verified",
    "cannot be verified",
    "can't be independently verified",
    "couldn't be independently verified",
    "not been independently verified",
    "not independently verified",
    "unverified",
    "unable to independently verify",
    "unable to verify",
    "unable to independently confirm",
    "unable to confirm",
    "impossible to verify",
    "impossible to independently verify",
    "not possible to verify",
    "no independent confirmation",
    "could not independently verify",
    "could not independently confirm",
    "cannot independently verify",
    "did not independently verify",
];

/// Finds the status markers of a sentence.
pub fn marks(tokens: &[Token<'_>], sentence: &str, aliases: &impl ActorLookup) -> Vec<StatusMark> {
    let quotes = quote_spans(sentence);
    let inside = |offset: usize| quotes.iter().any(|&(a, b)| offset > a && offset < b);
    let mut out = Vec::new();
    // "It was not immediately possible to verify", "could not immediately be verified": the
    // adverb of time does not change the phrase.
    let lower = crate::text::fold(sentence)
        .to_lowercase()
        .replace(" immediately ", " ");
    if let Some(p) = UNVERIFIABLE.iter().find(|p| lower.contains(*p)) {
        out.push(StatusMark {
            mark: Mark::Unverifiable,
            by: Vec::new(),
            by_text: None,
            cue: p.to_string(),
        });
    }
    for (i, t) in tokens.iter().enumerate() {
        if inside(t.start) {
            continue;
        }
        let w = t.text.to_lowercase();
        let prev = i.checked_sub(1).map(|k| &tokens[k]);
        let next = tokens.get(i + 1);
        let passive =
            prev.is_some_and(|p| p.is_any(&["was", "were", "been", "being", "is", "are", "be"]));
        let claim_before = (i.saturating_sub(7)..i).any(|k| tokens[k].is_any(CLAIM_NOUNS));
        let claim_after = (i + 1..(i + 4).min(tokens.len())).any(|k| tokens[k].is_any(CLAIM_NOUNS));
        let verb_like = next.is_none_or(|n| {
            n.is_any(DETERMINERS)
                || n.kind == crate::text::TokenKind::Punct
                || n.is_capitalised() && n.is_possessive()
        }) && !prev
            .is_some_and(|p| p.is_any(&["the", "a", "an", "its", "their", "his", "her"]));
        let mark = match w.as_str() {
            "denied" | "denies" | "deny" | "denying"
                if !passive || tokens.get(i + 1).is_some_and(|n| n.is("by")) =>
            {
                Some(Mark::Denied)
            }
            "refuted" | "refutes" | "rebutted" | "rebuts" => Some(Mark::Denied),
            "dismissed" | "dismisses" | "dismissing" if !passive => Some(Mark::Denied),
            // "labelling Russia's claims groundless", "calling the accusations baseless".
            "labelling" | "labeling" | "labelled" | "labeled" | "calling" | "called"
            | "branding" | "branded"
                if labels_false(tokens, i) =>
            {
                Some(Mark::Denied)
            }
            "rejected" | "rejects" | "reject" | "rejecting" if claim_before || claim_after => {
                Some(Mark::Denied)
            }
            "disputed" | "disputes" | "dispute" | "disputing" | "contested" | "contests"
            | "challenged"
                if verb_like =>
            {
                Some(Mark::Disputed)
            }
            _ => None,
        };
        let Some(mark) = mark else {
            if let Some(m) = no_response(tokens, i, &quotes, aliases) {
                out.push(m);
            } else if let Some(m) = details_withheld(tokens, i) {
                out.push(m);
            }
            continue;
        };
        // Who: the subject before the verb ("a claim Kyiv denied"), or after "by" in a passive,
        // or the earlier clause's subject after "and".
        let (by, by_text) = match subject_before(tokens, i, &quotes) {
            Some((a, b)) => {
                let np = &tokens[a..b];
                let actors: Vec<String> = aliases.find(np).into_iter().map(|m| m.actor).collect();
                // Skip claim nouns and determiners at the front: "a claim Kyiv" → "Kyiv".
                let mut a2 = a;
                while a2 < b
                    && (tokens[a2].is_any(CLAIM_NOUNS)
                        || tokens[a2].is_any(&["a", "an", "the", "this", "that"]))
                {
                    a2 += 1;
                }
                let text = (a2 < b).then(|| span_text(tokens, a2, b - a2));
                (actors, text)
            }
            // "Russia, which denies targeting civilians, …": the name the relative clause
            // follows, right before its comma.
            None if i >= 2
                && prev.is_some_and(|p| p.is_any(&["which", "who"]))
                && tokens[i - 2].is_punct(',') =>
            {
                let before = &tokens[..i - 2];
                match aliases
                    .find(before)
                    .into_iter()
                    .find(|m| m.token + m.len == before.len())
                {
                    Some(m) => (vec![m.actor], Some(m.text)),
                    None => (Vec::new(), None),
                }
            }
            None if prev.is_some_and(|p| p.is_any(&["and", "but"])) => {
                // "Ukraine described the site … and disputed the account".
                let clause_start = (0..i)
                    .rev()
                    .find(|&k| tokens[k].is_punct(';') || tokens[k].is_punct(':'))
                    .map_or(0, |k| k + 1);
                let actors: Vec<String> = aliases
                    .find(&tokens[clause_start..i])
                    .into_iter()
                    .take(1)
                    .map(|m| m.actor)
                    .collect();
                (actors, None)
            }
            None => (Vec::new(), None),
        };
        let mut by = by;
        by.dedup();
        out.push(StatusMark {
            mark,
            by,
            by_text,
            cue: t.text.to_string(),
        });
    }
    // "Moscow always lies," the president added; "said Russia was lying": calling the other side
    // a liar denies its claims. Within the speaker's own quotation too; the denier is the
    // sentence's speaker, which the caller supplies.
    let mentions = aliases.find(tokens);
    if (0..tokens.len()).any(|k| lying_at(tokens, k, &mentions)) {
        out.push(StatusMark {
            mark: Mark::Denied,
            by: Vec::new(),
            by_text: None,
            cue: LYING_CUE.to_string(),
        });
    }
    // One mark per kind and actors: "did not respond to a request for comment" is one silence.
    let mut seen: Vec<(Mark, Vec<String>)> = Vec::new();
    out.retain(|m| {
        let key = (m.mark, m.by.clone());
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    out
}

/// The cue of a denial by calling the other side a liar, whose denier is the sentence's speaker.
pub const LYING_CUE: &str = "lying";

/// Whether token `k` says that an actor lies: "Moscow lies", "Russia was lying", "Kyiv lied
/// about", "accused Moscow of lying" (not "the town lies 20 km north", "lying in ruins").
fn lying_at(tokens: &[Token<'_>], k: usize, mentions: &[crate::actors::ActorMention]) -> bool {
    let t = &tokens[k];
    if !t.is_any(&["lies", "lied", "lying"]) {
        return false;
    }
    let place = tokens.get(k + 1).is_some_and(|n| {
        n.kind == crate::text::TokenKind::Number
            || n.is_any(&[
                "in", "on", "at", "near", "beneath", "under", "along", "between", "down", "low",
                "idle", "dormant", "north", "south", "east", "west", "some", "about", "just",
                "behind", "ahead", "within", "outside", "inside", "across", "off",
            ]) && !(n.is("about") && t.is_any(&["lying", "lied"]))
    });
    if place {
        return false;
    }
    let mut before = k;
    if t.is("lying") {
        // "accused Moscow of lying".
        if k > 2 && tokens[k - 1].is("of") && tokens[k - 3].is_any(&["accused", "accusing"]) {
            return mentions.iter().any(|m| m.token + m.len == k - 1);
        }
        if !(k > 0 && tokens[k - 1].is_any(&["is", "are", "was", "were", "been"])) {
            return false;
        }
        before = k - 1;
    }
    // An adverb between: "always lies", "is again lying".
    while before > 0 && tokens[before - 1].is_any(&["always", "again", "simply", "clearly", "once"])
    {
        before -= 1;
    }
    mentions.iter().any(|m| m.token + m.len == before)
}

/// Words that call a claim untrue.
const FALSE_WORDS: &[&str] = &[
    "groundless",
    "baseless",
    "false",
    "unfounded",
    "fabricated",
    "fake",
    "lies",
    "untrue",
    "absurd",
    "fiction",
    "lie",
    "fabrication",
    "fabrications",
    "nonsense",
    "disinformation",
];

/// Whether the verb of calling at `i` calls a claim untrue: a claim noun, or a pronoun standing
/// for one, within five words, then a word of falsity within four more ("labelling Russia's
/// claims “groundless”", "called it a lie", "called the report fake").
fn labels_false(tokens: &[Token<'_>], i: usize) -> bool {
    let end = tokens.len().min(i + 6);
    let pronoun = tokens
        .get(i + 1)
        .is_some_and(|n| n.is_any(&["it", "this", "that", "them", "these", "those"]));
    (i + 1..end).any(|k| {
        (tokens[k].is_any(CLAIM_NOUNS) || pronoun && k == i + 1)
            && (k + 1..tokens.len().min(k + 5)).any(|f| tokens[f].is_any(FALSE_WORDS))
    })
}

/// Words of the details a statement left out: "no further details were provided".
const DETAIL_NOUNS: &[&str] = &["details", "detail", "information", "specifics"];

/// Participles of giving out: "were provided", "have been released".
const GIVEN: &[&str] = &[
    "provided",
    "released",
    "given",
    "disclosed",
    "offered",
    "available",
    "published",
    "shared",
];

/// A statement whose details were withheld, with nobody named as silent in the phrase itself:
/// "…, Zelensky said, without elaborating", "without giving details", "though no further details
/// were provided". The silent party is the clause's speaker, which the caller supplies; the mark
/// has no actor here.
fn details_withheld(tokens: &[Token<'_>], i: usize) -> Option<StatusMark> {
    let t = &tokens[i];
    let prev = i.checked_sub(1).map(|k| &tokens[k]);
    let mark = |from: usize, to: usize| StatusMark {
        mark: Mark::NoResponse,
        by: Vec::new(),
        by_text: None,
        cue: span_text(tokens, from, to + 1 - from),
    };
    // "without elaborating", "without specifying where".
    if t.is_any(&["elaborating", "specifying"]) && prev.is_some_and(|p| p.is("without")) {
        return Some(mark(i - 1, i));
    }
    // "without giving (any) (further) details", "without providing specifics".
    if t.is_any(DETAIL_NOUNS) && !t.is("information") {
        let back = i.saturating_sub(4);
        if let Some(v) = (back..i)
            .rev()
            .find(|&k| tokens[k].is_any(&["giving", "providing", "offering", "disclosing"]))
        {
            if v > 0 && tokens[v - 1].is("without") {
                return Some(mark(v - 1, i));
            }
        }
    }
    // "no (further) details were provided", "no details have been released".
    if t.is("no") {
        let noun = (i + 1..tokens.len().min(i + 4)).find(|&k| tokens[k].is_any(DETAIL_NOUNS))?;
        let end = tokens.len().min(noun + 10);
        let given = (noun + 1..end)
            .take_while(|&k| !tokens[k].is_punct(',') && !tokens[k].is_punct(';'))
            .find(|&k| {
                tokens[k].is_any(GIVEN)
                    && tokens[k - 1].is_any(&["was", "were", "been", "immediately", "yet", "made"])
            })?;
        return Some(mark(i, given));
    }
    None
}

/// Words of answering: "respond", "comment", "reply" in their forms.
const ANSWER_WORDS: &[&str] = &[
    "respond",
    "responds",
    "responded",
    "responding",
    "response",
    "comment",
    "comments",
    "commented",
    "commenting",
    "reply",
    "replied",
    "replying",
    "reaction",
    "react",
    "reacts",
    "reacted",
    "answer",
    "answered",
];

/// Verbs of keeping silent: "remained silent", "kept quiet", "have been quiet".
const SILENT_VERBS: &[&str] = &[
    "remained", "remains", "kept", "keeps", "stayed", "stays", "been",
];

/// Adverbs between a verb of keeping silent and "silent" or "quiet": "have been surprisingly
/// quiet", "remained largely silent".
const SILENT_ADVERBS: &[&str] = &[
    "surprisingly",
    "largely",
    "notably",
    "conspicuously",
    "noticeably",
    "mostly",
    "publicly",
    "officially",
    "so",
    "very",
];

/// A non-response at token `i`: "no (immediate) response from X", "X did not (immediately)
/// respond", "X has not yet publicly responded", "X did not have any immediate comment",
/// "X declined to comment", "X could not be reached for comment"; with who was silent.
fn no_response(
    tokens: &[Token<'_>],
    i: usize,
    quotes: &[(usize, usize)],
    aliases: &impl ActorLookup,
) -> Option<StatusMark> {
    let t = &tokens[i];
    // "did not explain why the figure was lower": an explanation not given is a non-response.
    // "did not say how many", "declined to say whether", "did not say where": the same.
    let explain = t.is_any(&["explain", "explained", "say", "said"])
        && tokens.get(i + 1).is_some_and(|n| {
            n.is_any(&["why", "how", "whether", "where", "when", "which", "who"])
                || n.is("what") && t.is_any(&["explain", "explained"])
        });
    // "did not specify which units", "did not disclose further details", "did not elaborate",
    // "did not give details", "gave no details": details withheld by the subject.
    let withheld = t.is_any(&[
        "elaborate",
        "elaborated",
        "specify",
        "specified",
        "disclose",
        "disclosed",
    ]) || t.is_any(DETAIL_NOUNS)
        && !t.is("information")
        && (i.saturating_sub(3)..i).any(|k| {
            tokens[k].is_any(&["give", "provide", "offer", "gave", "provided", "offered"])
        });
    // "did not immediately return a message seeking comment", "did not return calls".
    let returned = t.is_any(&["return", "returned"])
        && (i + 1..tokens.len().min(i + 4)).any(|k| {
            tokens[k].is_any(&[
                "message", "messages", "call", "calls", "request", "requests", "email", "emails",
            ])
        });
    // "Russia has yet to acknowledge the incident": an acknowledgement not given.
    // Only "has yet to", "did not (yet)", "never" just before it: not "did not hesitate to
    // acknowledge", "did not only acknowledge".
    let before = |d: usize| i.checked_sub(d).map(|k| &tokens[k]);
    let negated = |t: Option<&Token<'_>>| {
        t.is_some_and(|t| t.is_any(&["not", "never"]) || t.text.ends_with("n't"))
    };
    let not_given = |words: &[&str]| {
        t.is_any(words)
            && (negated(before(1))
                || before(1).is_some_and(|t| t.is("yet")) && negated(before(2))
                || before(1).is_some_and(|t| t.is("to")) && before(2).is_some_and(|t| t.is("yet")))
    };
    let unacknowledged = not_given(&["acknowledge", "acknowledged"]);
    // "The Kremlin remained silent on the matter.", "officials in Moscow have been surprisingly
    // quiet about it": the verb of keeping silent, before an adverb at most.
    // "Quiet" alone is also calm ("Kyiv has been quiet overnight"): only quiet about something.
    let about = tokens
        .get(i + 1)
        .is_some_and(|n| n.is_any(&["about", "on", "over", "regarding", "concerning"]));
    let silent_verb = if t.is("silent") || t.is("quiet") && about {
        let adverb = before(1).is_some_and(|b| b.is_any(SILENT_ADVERBS));
        let verb = if adverb { 2 } else { 1 };
        before(verb)
            .filter(|b| b.is_any(SILENT_VERBS))
            .map(|_| i - verb)
    } else {
        None
    };
    let silent = silent_verb.is_some();
    // "has not confirmed the cause", "declined to confirm", "shying away from confirming": a
    // confirmation not given (an agent's silence; "could not be confirmed" is the reporter's
    // and reads as unverifiable).
    let confirm = ["confirm", "confirmed", "confirming"];
    let unconfirmed = not_given(&confirm)
        || t.is_any(&confirm)
            && (before(1).is_some_and(|t| t.is("to"))
                && before(2).is_some_and(|t| t.is_any(&["declined", "refused"]))
                || before(1).is_some_and(|t| t.is("from"))
                    && before(2).is_some_and(|t| t.is("away")));
    // "Kyiv has said nothing about the incident": nothing said is no answer ("said nothing
    // would change" is something said).
    let said_nothing = t.is("nothing")
        && before(1).is_some_and(|b| b.is_any(&["said", "says", "say"]))
        && tokens.get(i + 1).is_none_or(|n| {
            n.kind == crate::text::TokenKind::Punct
                || n.is_any(&[
                    "about",
                    "on",
                    "of",
                    "regarding",
                    "concerning",
                    "publicly",
                    "officially",
                    "so",
                    "yet",
                    "since",
                    "further",
                    "more",
                ])
        });
    if !t.is_any(ANSWER_WORDS)
        && !said_nothing
        && !explain
        && !withheld
        && !returned
        && !unacknowledged
        && !silent
        && !unconfirmed
    {
        return None;
    }
    // "Neither Moscow nor Kyiv commented on the report": both were silent.
    let opening = tokens
        .iter()
        .position(|t| t.kind != crate::text::TokenKind::Punct);
    if let Some(first) = opening.filter(|&f| tokens[f].is("neither") && f < i) {
        if (first + 1..i).any(|k| tokens[k].is("nor")) {
            let np = &tokens[first + 1..i];
            let by: Vec<String> = aliases.find(np).into_iter().map(|m| m.actor).collect();
            if by.len() >= 2 {
                return Some(StatusMark {
                    mark: Mark::NoResponse,
                    by,
                    by_text: Some(span_text(tokens, first + 1, i - first - 1)),
                    cue: span_text(tokens, first, 1),
                });
            }
        }
    }
    let window = i.saturating_sub(5)..i;
    // "no immediate response from Russia": who is after "from".
    // "no official response yet from Kyiv", "no comment so far from the ministry": an adverb of
    // time may come before "from".
    let from = (i + 1..tokens.len().min(i + 4))
        .take_while(|&k| k == i + 1 || tokens[k - 1].is_any(&["yet", "so", "far"]))
        .find(|&k| tokens[k].is("from"));
    if let Some(from) = from.filter(|_| {
        t.is_any(&["response", "comment", "reply", "reaction"])
            && window.clone().any(|k| tokens[k].is("no"))
    }) {
        let end = (from + 1..tokens.len().min(from + 7))
            .find(|&k| tokens[k].kind == crate::text::TokenKind::Punct)
            .unwrap_or(tokens.len().min(from + 7));
        let np = &tokens[from + 1..end];
        let by: Vec<String> = aliases.find(np).into_iter().map(|m| m.actor).collect();
        return Some(StatusMark {
            mark: Mark::NoResponse,
            by,
            by_text: (!np.is_empty()).then(|| span_text(tokens, from + 1, np.len())),
            cue: span_text(tokens, i.saturating_sub(2), 3),
        });
    }
    // "X did not respond", "X declined to comment", "X could not be reached for comment".
    // "declined to elaborate" follows what was said and is not counted as a silence (a partial
    // answer, often "…, saying only that …"); "did not elaborate" and "without elaborating" are.
    let negation = window.clone().rev().find(|&k| {
        silent_verb == Some(k)
            // "has said nothing": the verb of saying carries the subject.
            || said_nothing && k + 1 == i
            // "shying away from confirming": the verb that keeps away carries the subject.
            || unconfirmed
                && tokens[k].is_any(&["shying", "shied", "shies", "shy", "steering", "steered"])
                && tokens.get(k + 1).is_some_and(|n| n.is_any(&["away", "clear"]))
            || tokens[k].is_any(&["not", "n't", "never", "yet", "without"])
            || tokens[k].is_any(&["declined", "refused"]) && !withheld
            || tokens[k].text.ends_with("n't")
            // "gave no details": the verb before "no" carries the subject.
            || withheld
                && tokens[k].is_any(&["gave", "provided", "offered"])
                && tokens.get(k + 1).is_some_and(|n| n.is("no"))
            // "The Kremlin had no immediate comment": "no" after "had" negates.
            || !withheld
                && tokens[k].is("no")
                && k > 0
                && tokens[k - 1].is_any(&["had", "has", "have", "offered", "gave", "made"])
    })?;
    // The subject: before the auxiliary that carries the negation.
    let mut aux = negation;
    while aux > 0
        && tokens[aux - 1].is_any(&[
            "did",
            "does",
            "do",
            "has",
            "have",
            "had",
            "was",
            "were",
            "is",
            "are",
            "could",
            "would",
            "not",
            "yet",
            "so",
            "far",
            "immediately",
        ])
        // "The Kremlin made no comment", "Moscow gave no comment".
        || tokens[aux].is("no") && tokens[aux - 1].is_any(&["made", "gave", "offered"])
    {
        aux -= 1;
    }
    // "Georgia's ministry said … but did not explain why": the subject of the earlier clause.
    let (a, b) = match subject_before(tokens, aux, quotes) {
        Some(ab) => ab,
        None if aux > 0 && tokens[aux - 1].is("but") => {
            let m = aliases.find(&tokens[..aux]).into_iter().next()?;
            (m.token, m.token + m.len)
        }
        // "Russia's embassy did not respond": a common noun owned by an actor.
        None if aux >= 2 && tokens[aux - 2].base() != tokens[aux - 2].text => {
            let m = aliases.find(&tokens[aux - 2..aux - 1]).into_iter().next()?;
            (m.token + aux - 2, aux)
        }
        None => return None,
    };
    // "The streets of Kyiv remained silent": a silence of something the actor has.
    if silent && a > 0 && tokens[a - 1].is("of") {
        return None;
    }
    // "Russia's embassy in Washington did not respond": the embassy's, not Washington's. The
    // words from the clause's start to "in" name the subject when they name an actor.
    let (a, b) = match a
        .checked_sub(1)
        .filter(|&k| tokens[k].is_any(&["in", "at"]))
        .map(|k| {
            let start = (0..k)
                .rev()
                .find(|&j| tokens[j].kind == crate::text::TokenKind::Punct)
                .map_or(0, |j| j + 1);
            (start, k)
        }) {
        Some((c, d)) if c < d && !aliases.find(&tokens[c..d]).is_empty() => (c, d),
        // The same inside the subject: "The Russian embassy in Washington" taken whole.
        _ => match (a + 1..b).find(|&k| tokens[k].is_any(&["in", "at"])) {
            Some(k) if !aliases.find(&tokens[a..k]).is_empty() => (a, k),
            _ => (a, b),
        },
    };
    let np = &tokens[a..b];
    let by: Vec<String> = aliases.find(np).into_iter().map(|m| m.actor).collect();
    if by.is_empty() {
        return None;
    }
    Some(StatusMark {
        mark: Mark::NoResponse,
        by,
        by_text: Some(span_text(tokens, a, b - a)),
        cue: span_text(tokens, negation, i + 1 - negation),
    })
}

/// Whether a sentence only points back at the previous one to qualify it ("Those claims could
/// not be independently verified.", "Kyiv denied it."): its status belongs to that claim.
pub fn points_back(tokens: &[Token<'_>]) -> bool {
    let words: Vec<&Token<'_>> = tokens
        .iter()
        .filter(|t| t.kind != crate::text::TokenKind::Punct)
        .collect();
    if words.is_empty() || words.len() > 12 {
        return false;
    }
    let anaphor = words[0].is_any(&["those", "these", "the", "this", "that", "such", "it"])
        && (words[0].is_any(&["it", "this", "that"])
            || words.iter().take(3).any(|t| t.is_any(CLAIM_NOUNS)));
    // "Kyiv denied it.": a short sentence whose denial's object is a pronoun.
    let object = words.len() <= 6
        && words.windows(2).any(|w| {
            w[0].is_any(&["denied", "dismissed", "rejected", "disputed", "refuted"])
                && w[1].is_any(&["it", "them", "this", "that"])
        });
    // "The Associated Press was unable to verify the claim.", "Kyiv has not yet responded to
    // that claim.": a short sentence whose object is a claim pointed at.
    // With "the", only when nobody denies in it: "The ministry denied the accusation" is a
    // claim of its own.
    let denies = words
        .iter()
        .any(|t| t.is_any(crate::attribution::DENIAL_VERBS) || t.is_any(&["rejected", "rejects"]));
    // "… has not issued a response to the reports": the reports of the events in general, not
    // the sentence before.
    let pointed = words.windows(2).any(|w| {
        (w[0].is_any(&["that", "this", "those", "these", "such"])
            || (w[0].is("the") && !denies && !w[1].is("reports")))
            && w[1].is_any(CLAIM_NOUNS)
    }) && !words[0].is_any(CLAIM_NOUNS);
    anaphor || object || pointed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::Aliases;
    use crate::text::tokenize;

    fn m(s: &str) -> Vec<String> {
        let tokens = tokenize(s);
        marks(&tokens, s, &Aliases::builtin())
            .iter()
            .map(|m| {
                format!(
                    "{}:{}",
                    m.mark.as_str(),
                    if m.by.is_empty() {
                        "-".to_string()
                    } else {
                        m.by.join("+")
                    }
                )
            })
            .collect()
    }

    #[test]
    fn a_relative_clause_denies_for_the_name_before_it() {
        assert_eq!(
            m("Russia, which denies targeting civilians, has stepped up air strikes."),
            ["denied:russia"]
        );
        assert_eq!(
            m("The strikes, which officials denied, hit the port."),
            ["denied:-"]
        );
    }

    #[test]
    fn not_immediately_verifiable_is_unverifiable() {
        assert_eq!(
            m("It was not immediately possible to verify the report."),
            ["unverifiable:-"]
        );
        assert_eq!(
            m("The figures could not immediately be verified."),
            ["unverifiable:-"]
        );
    }

    #[test]
    fn calling_claims_false_is_a_denial() {
        assert_eq!(
            m("Georgia issued a statement, labelling the reports \"groundless.\""),
            ["denied:-"]
        );
        assert!(m("Georgia issued a statement, calling the reports detailed.").is_empty());
    }

    #[test]
    fn an_explanation_not_given_is_a_non_response() {
        assert_eq!(
            m("Russia said it had freed 20 sailors but did not explain why the figure was lower."),
            ["no-response:russia"]
        );
        assert!(m("Russia explained the delay.").is_empty());
    }

    #[test]
    fn denials_disputes_and_unverifiable() {
        assert_eq!(
            m("Russia accused Ukraine of launching drones, a claim Kyiv denied."),
            ["denied:ukraine"]
        );
        assert_eq!(m("Moscow said 28 died; Ukraine described the site as a military gathering and disputed the account."), ["disputed:ukraine"]);
        assert_eq!(
            m("a rationale Kyiv and many Western governments reject."),
            ["denied:ukraine"]
        );
        assert_eq!(
            m("a drone attack—a claim Kyiv dismissed as a ruse to derail talks."),
            ["denied:ukraine"]
        );
        assert_eq!(
            m("Those claims could not be independently verified."),
            ["unverifiable:-"]
        );
        assert!(
            m("the disputed territory; Wicker rejected any settlement; he was dismissed")
                .is_empty()
        );
        assert!(m("Maduro had rejected multiple chances to flee.").is_empty());
    }

    #[test]
    fn non_responses_are_tied_to_who_is_silent() {
        assert_eq!(
            m("There was no immediate response from Russia, but the delegations are expected to speak."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("The Russian military did not have any immediate comment."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Kyiv has not yet publicly responded to that claim."),
            ["no-response:ukraine"]
        );
        assert_eq!(
            m("The Kremlin declined to comment."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Ukraine's defence ministry did not respond to a request for comment."),
            ["no-response:ukraine"]
        );
        // Answering is not silence; an unnamed silence is not tied to anyone.
        assert!(m("Moscow responded within hours, calling it a provocation.").is_empty());
        assert!(m("A spokesman did not respond.").is_empty());
        assert_eq!(
            m("The Russian embassy in Washington did not respond to a request for comment."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Russia's embassy did not respond to a request for comment."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("The Russian embassy did not reply to a request for comment."),
            ["no-response:russia"]
        );
        assert_eq!(m("The Kremlin made no comment."), ["no-response:russia"]);
        assert_eq!(
            m("The Russian defence ministry did not say how many drones hit the city."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Kyiv has said nothing about the incident."),
            ["no-response:ukraine"]
        );
        assert!(m("Kyiv said nothing would change.").is_empty());
        assert_eq!(
            m("The Kremlin declined to say whether Putin would attend."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Russia's defence ministry said it had shot down 40 drones but did not say where."),
            ["no-response:russia"]
        );
        assert!(m("Peskov said where the talks would be held.").is_empty());
        assert!(m("Moscow said how many drones it had shot down.").is_empty());
        assert_eq!(
            m("Moscow gave no comment on the strike."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Moscow has not yet reacted to the statement."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("The Kremlin remained silent on the matter."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Representatives of the Kremlin did not answer questions from reporters."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Neither Moscow nor Kyiv commented on the report."),
            ["no-response:russia+ukraine"]
        );
        // Not silences: an answer given, a silence that is not an answer.
        assert!(m("Moscow reacted within hours.").is_empty());
        assert!(m("The Kremlin answered the letter on Monday.").is_empty());
        assert!(m("The streets of Kyiv remained silent after the sirens.").is_empty());
        assert!(m("Peskov declined to elaborate on the strike.").is_empty());
    }

    #[test]
    fn details_withheld_are_a_non_response() {
        // With the subject in the phrase.
        assert_eq!(
            m("The Kremlin did not disclose which officials would attend."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Ukraine's army did not specify how many troops took part."),
            ["no-response:ukraine"]
        );
        assert_eq!(
            m("Moscow gave no details of the exchange."),
            ["no-response:russia"]
        );
        // Without an actor of its own: the caller ties it to the clause's speaker.
        let tokens = tokenize("The port was hit twice, the mayor said, without elaborating.");
        let found = marks(&tokens, "", &Aliases::builtin());
        assert_eq!(found.len(), 1);
        assert!(found[0].by.is_empty() && found[0].by_text.is_none());
        for s in [
            "Officials said three men were held, though no further details were provided.",
            "The navy said it intercepted a boat, without giving details.",
            "Police reported arrests; no details have been released.",
        ] {
            let found = marks(&tokenize(s), s, &Aliases::builtin());
            assert_eq!(found.len(), 1, "{s}");
            assert_eq!(found[0].mark, Mark::NoResponse);
        }
        // Details given, or a refusal to add to what was said, are not silences.
        assert!(m("Kyiv gave details of the exchange.").is_empty());
        assert!(
            m("The Kremlin declined to elaborate, saying only that talks continue.").is_empty()
        );
        assert!(m("No details were needed, Russia said.").is_empty());
    }

    #[test]
    fn quiet_about_and_confirmation_withheld() {
        assert_eq!(
            m("Officials in Moscow have been surprisingly quiet about his role."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("The Kremlin remained largely silent."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Russia has not confirmed the cause of the blast."),
            ["no-response:russia"]
        );
        assert_eq!(
            m("Kyiv declined to confirm the figure."),
            ["no-response:ukraine"]
        );
        assert_eq!(
            m("He spoke, with the Kremlin shying away from confirming it."),
            ["no-response:russia"]
        );
        // Calm, not silence; the reporter's doubt, not an actor's silence; a confirmation given.
        assert!(m("Kyiv has been quiet overnight.").is_empty());
        assert_eq!(m("The toll could not be confirmed."), ["unverifiable:-"]);
        assert!(m("Ukraine confirmed the figure.").is_empty());
        assert!(m("Ukraine did not hesitate to confirm the figure.").is_empty());
    }

    #[test]
    fn no_response_yet_from() {
        assert_eq!(
            m("There has been no official response yet from Kyiv to the report."),
            ["no-response:ukraine"]
        );
        assert_eq!(
            m("There was no immediate reaction from Moscow."),
            ["no-response:russia"]
        );
    }

    #[test]
    fn an_acknowledgement_not_given_is_a_silence() {
        assert_eq!(
            m("Georgia has yet to acknowledge the shelling."),
            ["no-response:georgia"]
        );
        assert_eq!(
            m("Moscow did not acknowledge the losses."),
            ["no-response:russia"]
        );
        assert!(m("Georgia acknowledged the shelling.").is_empty());
        assert!(m("Georgia did not hesitate to acknowledge the shelling.").is_empty());
        assert!(m("Georgia did not only acknowledge the shelling.").is_empty());
    }

    #[test]
    fn calling_it_a_lie_is_a_denial() {
        assert_eq!(m("Kyiv called it a lie."), ["denied:ukraine"]);
        assert_eq!(
            m("Russia called the report a fabrication."),
            ["denied:russia"]
        );
        assert!(m("Kyiv called it a success.").is_empty());
    }

    #[test]
    fn wire_forms_of_silence() {
        assert_eq!(
            m("Georgia's interior ministry did not immediately return a message seeking comment."),
            ["no-response:georgia"]
        );
        assert_eq!(
            m("The Kremlin had no immediate comment."),
            ["no-response:russia"]
        );
        assert!(m("Kyiv returned the call within an hour.").is_empty());
    }

    #[test]
    fn saying_the_other_side_lies_is_a_denial_by_the_speaker() {
        // The denier is the speaker, supplied by the caller: here without actor.
        for s in [
            "\"Tbilisi always lies,\" the minister said.",
            "The minister said Armenia was lying about the border.",
            "The minister accused Moscow of lying.",
        ] {
            let found = marks(&tokenize(s), s, &Aliases::builtin());
            assert_eq!(found.len(), 1, "{s}");
            assert_eq!(found[0].cue, LYING_CUE);
        }
        for s in [
            "Tbilisi lies 20 km from the border.",
            "The town lies in ruins.",
            "Kyiv lies on the Dnipro.",
            "The minister said debris was lying on the road.",
        ] {
            assert!(
                marks(&tokenize(s), s, &Aliases::builtin()).is_empty(),
                "{s}"
            );
        }
    }

    #[test]
    fn pointing_back() {
        assert!(points_back(&tokenize(
            "The Associated Press was unable to verify the claim."
        )));
        assert!(points_back(&tokenize(
            "Kyiv has not yet publicly responded to that claim."
        )));
        assert!(points_back(&tokenize(
            "Those claims could not be independently verified."
        )));
        assert!(points_back(&tokenize("Kyiv denied it.")));
        assert!(!points_back(&tokenize(
            "Moscow said Ukrainian drones hit a hotel, killing 28."
        )));
        assert!(!points_back(&tokenize(
            "The Azerbaijani defence ministry denied the accusation."
        )));
    }

    /// Issue 17: an adverb between the denier and the denial; a non-response to the reports in
    /// general is its own claim.
    #[test]
    fn adverbs_before_denials_and_responses_to_the_reports() {
        assert_eq!(
            m("Ukraine’s General Staff swiftly dismissed this claim as false."),
            ["denied:ukraine"]
        );
        assert_eq!(
            m("The Russian military has not issued a response to the reports."),
            ["no-response:russia"]
        );
        let tokens = tokenize("The Russian military has not issued a response to the reports.");
        assert!(!points_back(&tokens));
        let tokens = tokenize("Kyiv has not yet responded to that claim.");
        assert!(points_back(&tokens));
    }
}

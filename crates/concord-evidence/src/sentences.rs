//! Sentence splitting: Unicode sentence boundaries (UAX #29, via `unicode-segmentation`),
//! repaired where news text defeats them: abbreviations and initialisms (`U.S. President`,
//! `Dr. Elena`) and quotations that run over several sentences before their attribution
//! (`“… me. You get that? …,” Trump told Macron.`).

use unicode_segmentation::UnicodeSegmentation;

use crate::text::{leaves_quote_open, tokenize, TokenKind, ABBREVIATIONS};

/// Splits one paragraph into sentences, trimmed.
pub fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for piece in paragraph.split_sentence_bounds() {
        pending.push_str(piece);
        if continues(&pending) {
            continue;
        }
        let s = pending.trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
        pending.clear();
    }
    let rest = pending.trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    let out: Vec<String> = out
        .iter()
        .flat_map(|s| lost_stops(s))
        .flat_map(|s| glued_stops(&s))
        .collect();
    // "The talks began at 13:30 p.m. Moscow time": a clock time's zone goes on the sentence.
    let mut merged: Vec<String> = Vec::new();
    for s in out {
        let zone = {
            let mut words = s.split_whitespace();
            words
                .next()
                .is_some_and(|w| w.starts_with(char::is_uppercase))
                && words.next() == Some("time")
        };
        match merged.last_mut() {
            Some(prev) if zone && (prev.ends_with("a.m.") || prev.ends_with("p.m.")) => {
                prev.push(' ');
                prev.push_str(&s);
            }
            _ => merged.push(s),
        }
    }
    merged
}

/// Words that open a sentence, after which a lost full stop is read.
const OPENERS: &[&str] = &[
    "The", "There", "It", "He", "She", "They", "We", "This", "That", "These", "Those", "A", "An",
    "In", "On", "But", "However",
];

/// "… a separate negotiation process  There was no immediate comment …": a lower-case word,
/// two spaces or more, then a word that opens sentences is a full stop lost on the page.
fn lost_stops(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = sentence.as_bytes();
    let mut k = 0;
    while let Some(gap) = sentence[k..].find("  ").map(|g| g + k) {
        let mut after = gap;
        while after < bytes.len() && bytes[after] == b' ' {
            after += 1;
        }
        let before_lower = sentence[..gap]
            .chars()
            .next_back()
            .is_some_and(char::is_lowercase);
        let opener = sentence[after..]
            .split(' ')
            .next()
            .is_some_and(|w| OPENERS.contains(&w));
        if before_lower && opener && after < bytes.len() {
            out.push(sentence[start..gap].trim().to_string());
            start = after;
        }
        k = after.max(gap + 1);
    }
    out.push(sentence[start..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// "… the ministry added.The ministry noted …": a full stop after a lower-case word, with no
/// space before a word that opens sentences, is the end of a sentence whose space was lost.
fn glued_stops(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (dot, _) in sentence.match_indices('.') {
        let before: Vec<char> = sentence[..dot].chars().rev().take(2).collect();
        let lower_word = before.len() == 2 && before.iter().all(|c| c.is_ascii_lowercase());
        let rest = &sentence[dot + 1..];
        let opener = rest
            .split(' ')
            .next()
            .is_some_and(|w| OPENERS.contains(&w) && rest.len() > w.len());
        if lower_word && opener {
            out.push(sentence[start..=dot].trim().to_string());
            start = dot + 1;
        }
    }
    out.push(sentence[start..].trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// Whether the text so far must not end here: it ends with an abbreviation or an initialism, or
/// a quotation is still open.
fn continues(so_far: &str) -> bool {
    let trimmed = so_far.trim_end();
    if leaves_quote_open(trimmed) {
        return true;
    }
    let tokens = tokenize(trimmed);
    let Some(last) = tokens.last() else {
        return false;
    };
    if last.kind != TokenKind::Word || !last.text.ends_with('.') {
        return false;
    }
    let word = last.text.trim_end_matches('.');
    // Initialisms such as U.S. usually precede a name or a noun ("U.S. President", "U.S.
    // officials"); a sentence may end with one, but news text rarely does so before a capital.
    let initialism = word.contains('.') || word.chars().count() == 1;
    initialism || ABBREVIATIONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_quotes_do_not_split() {
        let p = "“I think he wants a deal. You get that? As crazy as it sounds,” Trump told French President Emmanuel Macron. It was a U.S. President’s call, said Dr. Elena Karpova. Done.";
        let s = split_sentences(p);
        assert_eq!(s.len(), 3, "{s:#?}");
        assert!(s[0].ends_with("Macron."));
        assert!(s[1].contains("Dr. Elena Karpova"));
    }

    #[test]
    fn a_clock_time_keeps_its_zone() {
        assert_eq!(
            split_sentences("The talks began at 13:30 p.m. Moscow time in Istanbul. Done."),
            [
                "The talks began at 13:30 p.m. Moscow time in Istanbul.",
                "Done."
            ]
        );
    }

    #[test]
    fn a_lost_full_stop_splits() {
        assert_eq!(
            split_sentences("The ferry sailed at noon  There was no word on why it was late."),
            [
                "The ferry sailed at noon",
                "There was no word on why it was late."
            ]
        );
        assert_eq!(
            split_sentences("The ferry sailed  from Batumi at noon."),
            ["The ferry sailed  from Batumi at noon."]
        );
    }

    #[test]
    fn a_full_stop_glued_to_the_next_sentence_splits() {
        assert_eq!(
            split_sentences("The dam held, the ministry said.It added that crews were safe."),
            [
                "The dam held, the ministry said.",
                "It added that crews were safe."
            ]
        );
        // Not after an initialism or inside a web address.
        assert_eq!(
            split_sentences("He spoke to the U.S.The talks went on."),
            ["He spoke to the U.S.The talks went on."]
        );
        assert_eq!(
            split_sentences("See example.com for more."),
            ["See example.com for more."]
        );
    }

    #[test]
    fn plain_sentences_split() {
        assert_eq!(
            split_sentences("Moscow said so. Kyiv denied it! Who knows?"),
            ["Moscow said so.", "Kyiv denied it!", "Who knows?"]
        );
    }
}

//! Checking citations against source texts: does each quote appear in its source, and does it
//! name the party it is cited for?
//!
//! Quotes are compared after folding: runs of whitespace become one space, curly and straight
//! quote marks become straight ones, and every kind of dash becomes `-`. Letters are compared as
//! written, so a misquote that changes a word is caught.

use crate::model::{Citation, PartyIx, Provenance, Scenario, SourceIx};

/// Folds whitespace, quote marks and dashes, as quotes and sources are compared.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// A citation together with where it sits in the scenario and whom it supports.
#[derive(Debug, Clone, PartialEq)]
pub struct CitedAt<'a> {
    /// The field path of the citation, as the scenario file writes it (`red_lines[2].cite[0]`).
    pub path: String,
    /// The party whose position it supports, if any.
    pub party: Option<PartyIx>,
    /// The citation.
    pub citation: &'a Citation,
}

/// Every citation in a scenario, in file order.
pub fn all_citations(scenario: &Scenario) -> Vec<CitedAt<'_>> {
    let mut out = Vec::new();
    fn add<'a>(
        out: &mut Vec<CitedAt<'a>>,
        base: &str,
        party: Option<PartyIx>,
        prov: &'a Provenance,
    ) {
        for (k, c) in prov.citations.iter().enumerate() {
            out.push(CitedAt {
                path: format!("{base}.cite[{k}]"),
                party,
                citation: c,
            });
        }
    }
    for (p, party) in scenario.parties.iter().enumerate() {
        add(
            &mut out,
            &format!("parties[{p}]"),
            Some(p),
            &party.provenance,
        );
    }
    for (p, prefs) in scenario.preferences.iter().enumerate() {
        let Some(prefs) = prefs else { continue };
        let pid = &scenario.parties[p].id;
        add(
            &mut out,
            &format!("preferences.{pid}"),
            Some(p),
            &prefs.provenance,
        );
        for (i, ip) in prefs.issues.iter().enumerate() {
            let iid = &scenario.issues[i].id;
            add(
                &mut out,
                &format!("preferences.{pid}.issues.{iid}"),
                Some(p),
                &ip.provenance,
            );
        }
    }
    for (r, line) in scenario.red_lines.iter().enumerate() {
        add(
            &mut out,
            &format!("red_lines[{r}]"),
            Some(line.party),
            &line.provenance,
        );
    }
    for (k, point) in scenario.framework.points.iter().enumerate() {
        add(
            &mut out,
            &format!("framework.points[{k}]"),
            None,
            &point.provenance,
        );
        for (p, stance) in point.stances.iter().enumerate() {
            let pid = &scenario.parties[p].id;
            add(
                &mut out,
                &format!("framework.points[{k}].stances.{pid}"),
                Some(p),
                &stance.provenance,
            );
        }
    }
    out
}

/// What checking one citation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// The quote is in its source, and names the party it supports (or supports none).
    Ok,
    /// The quote is not in its source.
    Missing,
    /// The quote is in its source but names neither the party nor any of its aliases.
    Unnamed,
    /// The source's text was not available.
    SourceUnavailable,
}

/// One citation's check.
#[derive(Debug, Clone, PartialEq)]
pub struct CitationCheck<'a> {
    /// The citation and where it sits.
    pub at: CitedAt<'a>,
    /// What was found.
    pub finding: Finding,
}

/// Whether `text` names the party: its id, name or an alias, as a whole word, ignoring case.
pub fn names_party(scenario: &Scenario, party: PartyIx, text: &str) -> bool {
    let p = &scenario.parties[party];
    let haystack = text.to_lowercase();
    std::iter::once(&p.name)
        .chain(std::iter::once(&p.id))
        .chain(&p.aliases)
        .any(|name| contains_word(&haystack, &name.to_lowercase()))
}

/// Whether `needle` occurs in `haystack` with no letter or digit right before or after it.
fn contains_word(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        // A possessive or plural ("Ukraine's", "Russians") still names the party.
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        boundary(before) && (boundary(after) || after == Some('s'))
    })
}

/// Checks every citation of a scenario against the source texts, given by source index
/// (`None` where a source could not be read).
pub fn check_citations<'a>(
    scenario: &'a Scenario,
    texts: &[Option<String>],
) -> Vec<CitationCheck<'a>> {
    let folded: Vec<Option<String>> = texts.iter().map(|t| t.as_deref().map(fold)).collect();
    all_citations(scenario)
        .into_iter()
        .map(|at| {
            let source: SourceIx = at.citation.source;
            let finding = match folded.get(source).and_then(|t| t.as_deref()) {
                None => Finding::SourceUnavailable,
                Some(text) if !text.contains(&fold(&at.citation.quote)) => Finding::Missing,
                Some(_) => match at.party {
                    Some(p) if !names_party(scenario, p, &at.citation.quote) => Finding::Unnamed,
                    _ => Finding::Ok,
                },
            };
            CitationCheck { at, finding }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_unifies_space_quotes_and_dashes() {
        assert_eq!(
            fold("  \u{201C}Peace\u{201D}\n\t now \u{2014} or\u{2019}s "),
            "\"Peace\" now - or's"
        );
    }

    #[test]
    fn whole_words_only() {
        assert!(contains_word("kyiv's partners", "kyiv"));
        assert!(contains_word("the russians said", "russian"));
        assert!(!contains_word("russianness", "russian"));
        assert!(!contains_word("ukrainex", "ukraine"));
    }
}

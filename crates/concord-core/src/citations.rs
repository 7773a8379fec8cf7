//! Checking citations against source texts: does each quote appear in its source, and does it
//! name the party it is cited for?
//!
//! Quotes are compared after folding: runs of whitespace become one space, curly and straight
//! quote marks become straight ones, and every kind of dash becomes `-`. Letters are compared as
//! written, so a misquote that changes a word is caught.

use crate::model::{Basis, Citation, ClaimIx, PartyIx, Provenance, Scenario, SourceIx};

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

/// Every provenance of a scenario's positions (parties, preferences, red lines, framework
/// points and stances, proposals), in file order, with its path and party.
fn positions(scenario: &Scenario) -> Vec<(String, Option<PartyIx>, &Provenance)> {
    let mut out = Vec::new();
    for (p, party) in scenario.parties.iter().enumerate() {
        out.push((format!("parties[{p}]"), Some(p), &party.provenance));
    }
    for (p, prefs) in scenario.preferences.iter().enumerate() {
        let Some(prefs) = prefs else { continue };
        let pid = &scenario.parties[p].id;
        out.push((format!("preferences.{pid}"), Some(p), &prefs.provenance));
        for (i, ip) in prefs.issues.iter().enumerate() {
            let iid = &scenario.issues[i].id;
            out.push((
                format!("preferences.{pid}.issues.{iid}"),
                Some(p),
                &ip.provenance,
            ));
        }
    }
    for (r, line) in scenario.red_lines.iter().enumerate() {
        out.push((
            format!("red_lines[{r}]"),
            Some(line.party),
            &line.provenance,
        ));
    }
    for (k, point) in scenario.framework.points.iter().enumerate() {
        out.push((format!("framework.points[{k}]"), None, &point.provenance));
        for (p, stance) in point.stances.iter().enumerate() {
            let pid = &scenario.parties[p].id;
            out.push((
                format!("framework.points[{k}].stances.{pid}"),
                Some(p),
                &stance.provenance,
            ));
        }
    }
    // A proposal tabled by one party is that party's position.
    for (k, proposal) in scenario.framework.proposals.iter().enumerate() {
        let party = match proposal.by.as_slice() {
            [p] => Some(*p),
            _ => None,
        };
        out.push((format!("proposals[{k}]"), party, &proposal.provenance));
    }
    out
}

/// Every quoted citation in a scenario, in file order: those of its positions, then the
/// passages of its claims register (which support no party directly).
pub fn all_citations(scenario: &Scenario) -> Vec<CitedAt<'_>> {
    let mut out = Vec::new();
    for (base, party, prov) in positions(scenario) {
        for (k, c) in prov.citations.iter().enumerate() {
            out.push(CitedAt {
                path: format!("{base}.cite[{k}]"),
                party,
                citation: c,
            });
        }
    }
    for (k, claim) in scenario.claims.iter().enumerate() {
        for (j, c) in claim.citations.iter().enumerate() {
            out.push(CitedAt {
                path: format!("claims[{k}].cite[{j}]"),
                party: None,
                citation: c,
            });
        }
    }
    out
}

/// A position that rests on a claim of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimUse {
    /// The field path of the reference (`red_lines[2].claims[0]`).
    pub path: String,
    /// The party whose position it is, if any (a framework point's text supports none).
    pub party: Option<PartyIx>,
    /// The basis the position has (written, or derived from its claims).
    pub basis: Basis,
    /// Whether the position also quotes a source or rests on a claim its party asserts, so
    /// that a `stated` basis does not hang on this claim alone.
    pub stated_elsewhere: bool,
    /// The claim.
    pub claim: ClaimIx,
}

/// Every claim reference of a scenario's positions, in file order.
pub fn all_claim_uses(scenario: &Scenario) -> Vec<ClaimUse> {
    let mut out = Vec::new();
    for (base, party, prov) in positions(scenario) {
        let own = |c: ClaimIx| party.is_some_and(|p| scenario.claims[c].asserted_by(p));
        for (k, &claim) in prov.claims.iter().enumerate() {
            let stated_elsewhere = !prov.citations.is_empty()
                || prov
                    .claims
                    .iter()
                    .any(|&other| other != claim && own(other));
            out.push(ClaimUse {
                path: format!("{base}.claims[{k}]"),
                party,
                basis: prov.basis,
                stated_elsewhere,
                claim,
            });
        }
    }
    out
}

/// How a claim a position rests on is attributed to the position's party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// The party asserts the claim itself (the register lists it in `by`, and it does not deny
    /// or dispute it).
    Own,
    /// Someone else asserts it (another party, a third party, nobody named), and the position's
    /// basis says so: it is `reported` or `assumed`. Not a failure; the report says whose it is.
    Others,
    /// The position's basis is `stated`, but its party does not assert the claim, and nothing
    /// else it rests on (a quote, another claim) is the party's own: a failure.
    Misattributed,
    /// The position supports no party (a framework point's text).
    NoParty,
}

/// One claim reference's check.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCheck {
    /// The reference.
    pub at: ClaimUse,
    /// Whether the claim is the party's own.
    pub attribution: Attribution,
    /// Whether anyone denies or disputes the claim.
    pub contested: bool,
}

/// Checks that every claim a position rests on is attributed to that position's party.
pub fn check_claim_uses(scenario: &Scenario) -> Vec<ClaimCheck> {
    all_claim_uses(scenario)
        .into_iter()
        .map(|at| {
            let claim = &scenario.claims[at.claim];
            let attribution = match at.party {
                None => Attribution::NoParty,
                Some(p) if claim.asserted_by(p) => Attribution::Own,
                Some(_) if at.basis == Basis::Stated && !at.stated_elsewhere => {
                    Attribution::Misattributed
                }
                Some(_) => Attribution::Others,
            };
            ClaimCheck {
                contested: claim.contested(),
                at,
                attribution,
            }
        })
        .collect()
}

/// A party the register says asserts a claim, although none of the claim's passages names it
/// (in the quote or as the speaker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnbackedAttribution {
    /// The claim.
    pub claim: ClaimIx,
    /// The party in its `by`.
    pub party: PartyIx,
}

/// The attributions of the claims register that no passage of the claim backs.
pub fn unbacked_attributions(scenario: &Scenario) -> Vec<UnbackedAttribution> {
    let mut out = Vec::new();
    for (k, claim) in scenario.claims.iter().enumerate() {
        for &party in &claim.by {
            let named = claim.citations.iter().any(|c| {
                names_party(scenario, party, &c.quote)
                    || c.speaker
                        .as_deref()
                        .is_some_and(|s| names_party(scenario, party, s))
            });
            if !named {
                out.push(UnbackedAttribution { claim: k, party });
            }
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

/// Checks every quoted citation of a scenario ([`all_citations`]) against the source texts,
/// given by source index (`None` where a source could not be read).
pub fn check_citations<'a>(
    scenario: &'a Scenario,
    texts: &[Option<String>],
) -> Vec<CitationCheck<'a>> {
    check_quotes(scenario, all_citations(scenario), texts)
}

/// Checks the given citations against the source texts: that each quote is in its source and,
/// when it supports a party, names it. Used for the scenario's own citations and for those of
/// the tables other readers own (steps, demands, versions, commitments).
pub fn check_quotes<'a>(
    scenario: &Scenario,
    cited: Vec<CitedAt<'a>>,
    texts: &[Option<String>],
) -> Vec<CitationCheck<'a>> {
    let folded: Vec<Option<String>> = texts.iter().map(|t| t.as_deref().map(fold)).collect();
    cited
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

/// Everything `concord sources check` verifies about a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcesCheck<'a> {
    /// Every quoted citation: the scenario's positions, its claims register, and the tables of
    /// other readers (steps, demands, versions, commitments).
    pub quotes: Vec<CitationCheck<'a>>,
    /// Every claim a position rests on, and whether it is its party's own.
    pub claims: Vec<ClaimCheck>,
    /// Attributions of the register that none of the claim's passages backs.
    pub unbacked: Vec<UnbackedAttribution>,
}

impl SourcesCheck<'_> {
    /// Whether the check fails: a quote missing from its source, a source that could not be
    /// read, or a position stated by its party that rests only on claims others assert.
    pub fn failed(&self) -> bool {
        self.quotes
            .iter()
            .any(|c| matches!(c.finding, Finding::Missing | Finding::SourceUnavailable))
            || self
                .claims
                .iter()
                .any(|c| c.attribution == Attribution::Misattributed)
    }
}

/// Checks a scenario's citations and claims against the source texts (by source index, `None`
/// where a source could not be read), with `more` citations of the file's other tables.
pub fn check_sources<'a>(
    scenario: &'a Scenario,
    more: Vec<CitedAt<'a>>,
    texts: &[Option<String>],
) -> SourcesCheck<'a> {
    let mut cited = all_citations(scenario);
    cited.extend(more);
    SourcesCheck {
        quotes: check_quotes(scenario, cited, texts),
        claims: check_claim_uses(scenario),
        unbacked: unbacked_attributions(scenario),
    }
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

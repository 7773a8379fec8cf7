//! The typed model of `concord sources check --json` (`concord.sources-check/1`), serialised
//! with serde and described by a JSON Schema generated from the same types
//! (`schemas/sources-check.schema.json`). The model is built by [`crate::json::sources_model`]
//! and its text rendered from it ([`SourcesCheckModel::text`]).

use std::fmt::Write;

use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis_report::Keyed;

/// `concord sources check --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SourcesCheckModel {
    /// `concord.sources-check/1`.
    #[schemars(extend("const" = "concord.sources-check/1"))]
    pub schema: String,
    /// The scenario's id.
    pub scenario: String,
    /// The file checked, as the input named it.
    pub file: String,
    /// Each party's name, by id, in file order.
    pub party_names: Keyed<String>,
    /// Quoted citations checked (of positions, claims, steps, demands, versions, commitments).
    pub citations: usize,
    /// Quotes not found in their source.
    pub missing: usize,
    /// Quotes whose speaker the source does not name.
    pub unnamed: usize,
    /// Quotes whose source text is unavailable.
    pub unavailable: usize,
    /// Claims positions rest on.
    pub claim_references: usize,
    /// Of them, claims attributed to a party that does not assert them.
    pub misattributed: usize,
    /// Claims asserted by other parties only.
    pub asserted_by_others: usize,
    /// Claim references that support no party.
    pub supporting_no_party: usize,
    /// Claims denied or disputed.
    pub contested: usize,
    /// Attributions of the register that no citation backs.
    pub unbacked_attributions: usize,
    /// Whether the check passes (exit 0).
    pub passed: bool,
    /// Everything that is not plainly fine, in file order.
    pub findings: Vec<Finding>,
}

/// A finding, about a quote, a claim reference or the register.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Finding {
    /// About a quote.
    Quote(QuoteFinding),
    /// About a claim a position rests on.
    Claim(ClaimFinding),
    /// About an attribution of the claims register.
    Register(RegisterFinding),
}

impl Finding {
    /// Where it is in the file: line and column (0 when unknown).
    pub fn site(&self) -> (usize, usize) {
        match self {
            Finding::Quote(f) => (f.line, f.column),
            Finding::Claim(f) => (f.line, f.column),
            Finding::Register(f) => (f.line, f.column),
        }
    }
}

/// A finding about a quote.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuoteFinding {
    /// `missing`, `unnamed` (a warning) or `source_unavailable`.
    pub finding: String,
    /// The field's path in the file.
    pub field: String,
    /// Its line (1-based; 0 when unknown).
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// The source's id.
    pub source: String,
    /// The source's text file, as `[[sources]]` names it.
    pub source_file: String,
    /// The quote.
    pub quote: String,
    /// The party it supports, if any.
    pub party: Option<String>,
}

/// A finding about a claim a position rests on.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClaimFinding {
    /// `misattributed` (a failure), `asserted_by_others` (a note) or `contested` (a warning).
    pub finding: String,
    /// The field's path in the file.
    pub field: String,
    /// Its line.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// The claim's id.
    pub claim: String,
    /// The claim's text.
    pub text: String,
    /// The party whose position rests on it, if any.
    pub party: Option<String>,
    /// The position's basis.
    pub basis: String,
    /// Who asserts the claim.
    pub asserted_by: Vec<String>,
    /// The speakers its citations name, in order, each once (who said it when no party
    /// asserts it).
    pub speakers: Vec<String>,
    /// Who denies it.
    pub denied_by: Vec<String>,
    /// Who disputes it.
    pub disputed_by: Vec<String>,
}

/// An attribution of the claims register that no citation backs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RegisterFinding {
    /// `unbacked_attribution` (a warning).
    pub finding: String,
    /// The field's path in the file.
    pub field: String,
    /// Its line.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// The claim's id.
    pub claim: String,
    /// The party.
    pub party: String,
}

impl SourcesCheckModel {
    /// A party's name (its id when the model has no name for it).
    fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.party_names
            .0
            .iter()
            .find(|(p, _)| p == id)
            .map_or(id, |(_, name)| name.as_str())
    }

    /// Parties' names joined with "and".
    fn names(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|p| self.name(p))
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// Who asserts a claim, in words.
    fn asserters(&self, f: &ClaimFinding) -> String {
        if !f.asserted_by.is_empty() {
            let verb = if f.asserted_by.len() == 1 {
                "asserts"
            } else {
                "assert"
            };
            return format!("{} {verb}", self.names(&f.asserted_by));
        }
        if f.speakers.is_empty() {
            "no party asserts (it is the reports' own account)".into()
        } else {
            format!("no party asserts (said by {})", f.speakers.join("; "))
        }
    }

    /// The report as text: every finding in file order, located (`FILE:LINE:COLUMN`), then the
    /// counts.
    pub fn text(&self) -> String {
        let file = &self.file;
        let mut out = String::new();
        for finding in &self.findings {
            match finding {
                Finding::Quote(f) => {
                    let what = match f.finding.as_str() {
                        "missing" => format!(
                            "error: quote not found in source `{}` ({})",
                            f.source, f.source_file
                        ),
                        "unnamed" => format!(
                            "warning: quote does not name {} or any of its aliases",
                            f.party.as_deref().map_or("the party", |p| self.name(p))
                        ),
                        _ => format!(
                            "error: source `{}` ({}) could not be read",
                            f.source, f.source_file
                        ),
                    };
                    let _ = write!(
                        out,
                        "{file}:{}:{}: `{}`: {what}\n    \"{}\"\n",
                        f.line, f.column, f.field, f.quote
                    );
                }
                Finding::Claim(f) => {
                    let party = f.party.as_deref().map_or("the position", |p| self.name(p));
                    let what = match f.finding.as_str() {
                        "misattributed" => format!(
                            "error: basis \"stated\", but the position of {party} rests on claim `{}`, which {}, not {party}",
                            f.claim,
                            self.asserters(f)
                        ),
                        "asserted_by_others" => format!(
                            "note: the position of {party} rests on claim `{}`, which {}, not {party}; its basis is {}",
                            f.claim,
                            self.asserters(f),
                            f.basis
                        ),
                        _ => {
                            let mut parts = Vec::new();
                            if !f.denied_by.is_empty() {
                                parts.push(format!("denied by {}", self.names(&f.denied_by)));
                            }
                            if !f.disputed_by.is_empty() {
                                parts.push(format!("disputed by {}", self.names(&f.disputed_by)));
                            }
                            format!("warning: claim `{}` is {}", f.claim, parts.join(", "))
                        }
                    };
                    let _ = write!(
                        out,
                        "{file}:{}:{}: `{}`: {what}\n    {}\n",
                        f.line, f.column, f.field, f.text
                    );
                }
                Finding::Register(f) => {
                    let name = self.name(&f.party);
                    let _ = writeln!(
                        out,
                        "{file}:{}:{}: `{}`: warning: claim `{}` is recorded as asserted by {name}, but none of its passages names {name} or any of its aliases",
                        f.line, f.column, f.field, f.claim
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "{} citations checked: {} found, {} missing, {} not naming their party, {} in unreadable sources.",
            self.citations,
            self.citations - self.missing - self.unavailable,
            self.missing,
            self.unnamed,
            self.unavailable
        );
        let own = self.claim_references
            - self.asserted_by_others
            - self.misattributed
            - self.supporting_no_party;
        let _ = writeln!(
            out,
            "{} claim references checked: {own} asserted by their party, {} asserted by others, {} misattributed, {} supporting no party, {} on contested claims; {} attributions of the register not backed by a passage.",
            self.claim_references,
            self.asserted_by_others,
            self.misattributed,
            self.supporting_no_party,
            self.contested,
            self.unbacked_attributions
        );
        out
    }
}

//! The typed model of `concord sources check --json` (`concord.sources-check/1`), serialised
//! with serde and described by a JSON Schema generated from the same types
//! (`schemas/sources-check.schema.json`). The model is built by [`crate::json::sources_model`].

use schemars::JsonSchema;
use serde::Serialize;

/// `concord sources check --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SourcesCheckModel {
    /// `concord.sources-check/1`.
    #[schemars(extend("const" = "concord.sources-check/1"))]
    pub schema: String,
    /// The scenario's id.
    pub scenario: String,
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
    /// The party whose position rests on it, if any.
    pub party: Option<String>,
    /// The position's basis.
    pub basis: String,
    /// Who asserts the claim.
    pub asserted_by: Vec<String>,
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

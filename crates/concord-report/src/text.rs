//! What the text reports share: their options, counts in words, a position's basis, and the
//! `concord sources check` report (the analysis itself is in [`crate::analysis_text`]).

use concord_core::citations::SourcesCheck;
use concord_core::model::Scenario;

use crate::analysis_report::Count;

pub(crate) use crate::words::basis_note;
pub use crate::words::{describe_rule, package_options};

/// Options for the text report.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// List every frontier point.
    pub frontier: bool,
}

/// A count in words: exact and grouped while it fits 128 bits, else its order of magnitude
/// with the number of digits (the exact number is in the JSON report).
pub(crate) fn count_words(count: &Count) -> String {
    let exact = match count {
        Count::Number(n) => return group(u128::from(*n)),
        Count::Decimal(digits) => digits,
    };
    // Exact and grouped while it fits 128 bits, as the analysis counts it.
    if let Ok(n) = exact.parse::<u128>() {
        return group(n);
    }
    let digit = |k: usize| exact.get(k..k + 1).unwrap_or("0");
    format!(
        "about {}.{}{} × 10^{} (a {}-digit number, exact in --json)",
        digit(0),
        digit(1),
        digit(2),
        exact.len().saturating_sub(1),
        exact.len()
    )
}

pub(crate) use concord_core::number::grouped as group;

/// The `concord sources check` report: every quote not found or not naming its party, every
/// claim a position rests on that is not its party's own or is contested, every attribution of
/// the claims register no passage backs, and the counts; rendered from its model
/// ([`crate::json::sources_model`]).
pub fn sources_text(
    scenario: &Scenario,
    file: &str,
    check: &SourcesCheck,
    sites: &std::collections::HashMap<String, (usize, usize)>,
) -> String {
    crate::json::sources_model(file, scenario, check, sites).text()
}

//! The analysis settings every analysing use case shares, with their defaults in one place.

use concord_core::analysis::{
    AnalysisConfig, MethodChoice, RedLineSelection, DEFAULT_MAX_MERGE_WORK,
};

/// How to analyse: method, limits, which red lines apply, arithmetic. [`Settings::DEFAULT`] is
/// what `concord analyze` does with no flags.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Divide each party's weights by their sum instead of refusing weights that do not sum to 1.
    pub normalize_weights: bool,
    /// How to compute the frontier.
    pub method: MethodChoice,
    /// Count packages (zone size, issue map, relaxations) by enumeration only up to this many
    /// packages in the space; 0 never counts.
    pub count_limit: u128,
    /// Stop the merge when one issue leaves more than this many non-dominated partial sums
    /// (0: no limit).
    pub max_partial_sums: usize,
    /// Stop the merge when the candidate partial sums it has formed pass this (0: no limit).
    pub max_merge_work: u64,
    /// Stop each branch-and-bound search after this many nodes (0: no limit).
    pub max_nodes: u64,
    /// How many tied packages to list per frontier point, at least 1 (all are counted).
    pub list_ties: u64,
    /// Which red lines of consenting parties apply, by their basis.
    pub red_lines: RedLineSelection,
    /// Decide in exact arithmetic on the numbers as written when every weight, value and
    /// reservation value is a short decimal (docs/analysis.md); else floating-point sums.
    pub exact_decimals: bool,
    /// Also compute NegMAS 0.16's two Kalai-Smorodinsky variants (`ks_points`, `kalai_points`)
    /// on the exact frontier, so that results can be matched with NegMAS (docs/analysis.md).
    pub negmas_points: bool,
    /// Count packages without enumerating them where the method applies (meet in the middle:
    /// two halves of the issues, paired by sorting; docs/analysis.md), exactly as enumeration
    /// counts them.
    pub count_without_enumerating: bool,
}

impl Settings {
    /// The defaults.
    pub const DEFAULT: Settings = Settings {
        normalize_weights: false,
        method: MethodChoice::Auto,
        count_limit: 100_000_000,
        max_partial_sums: 10_000_000,
        max_merge_work: DEFAULT_MAX_MERGE_WORK,
        max_nodes: 10_000_000,
        list_ties: 20,
        red_lines: RedLineSelection::All,
        exact_decimals: true,
        negmas_points: false,
        count_without_enumerating: true,
    };

    /// The engine's configuration.
    pub fn config(&self) -> AnalysisConfig {
        AnalysisConfig {
            package_limit: usize::try_from(self.list_ties.max(1)).unwrap_or(usize::MAX),
            method: self.method,
            count_limit: self.count_limit,
            max_partial_sums: self.max_partial_sums,
            max_merge_work: self.max_merge_work,
            max_nodes: self.max_nodes,
            red_lines: self.red_lines,
            exact_decimals: self.exact_decimals,
            negmas_points: self.negmas_points,
            count_without_enumerating: self.count_without_enumerating,
            ..AnalysisConfig::default()
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::DEFAULT
    }
}

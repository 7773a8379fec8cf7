//! `concord score`, `concord improve` and `concord compare`: a proposal on the table scored and
//! improved, and what-if variants side by side; and the what-if flags that `concord analyze`
//! shares with them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use concord_api::{ScenarioInput, Settings};
use concord_core::analysis::{MethodChoice, RedLineSelection};
use concord_core::bargaining::Concept;
use concord_core::names::Named;
use concord_io::request::WhatIfFlags;

use crate::common::{named, print, BadInput};

/// What-if changes, made for one report without editing the file.
#[derive(Args, Default)]
pub struct WhatIfArgs {
    /// Leave out the red line ID (repeatable).
    #[arg(long, value_name = "ID")]
    pub drop_red_line: Vec<String>,
    /// Give PARTY another reservation value, in [0, 1] (repeatable).
    #[arg(long, value_name = "PARTY=VALUE")]
    pub set_reservation: Vec<String>,
    /// Settle ISSUE on OPTION (repeatable).
    #[arg(long, value_name = "ISSUE=OPTION")]
    pub fix: Vec<String>,
    /// Give PARTY's ISSUE another weight, in [0, 1]; its other weights are scaled so that they
    /// sum to 1 again, and the report says so (repeatable).
    #[arg(long, value_name = "PARTY.ISSUE=VALUE")]
    pub set_weight: Vec<String>,
}

impl WhatIfArgs {
    pub fn flags(&self) -> WhatIfFlags {
        WhatIfFlags {
            drop_red_line: self.drop_red_line.clone(),
            set_reservation: self.set_reservation.clone(),
            fix: self.fix.clone(),
            set_weight: self.set_weight.clone(),
        }
    }
}

/// The analysis settings score, improve and compare share with analyze.
#[derive(Args)]
pub struct AnalysisArgs {
    /// Divide each party's weights by their sum instead of refusing weights that do not sum to 1.
    #[arg(long)]
    pub normalize_weights: bool,
    /// Which red lines of consenting parties to apply, by their basis: `all`, `cited` (stated or
    /// reported by a third party) or `stated` (the party's own words). The others are listed as
    /// set aside.
    #[arg(long, value_parser = named::<RedLineSelection>(), default_value = RedLineSelection::All.name())]
    pub red_lines: RedLineSelection,
    /// How to compute the frontier: `auto` enumerates spaces up to 10^4 packages and merges
    /// larger ones, falling back to branch and bound when the merge passes --max-partial-sums;
    /// `enumerate` refuses spaces over 10^8; `merge` never enumerates; `bnb` computes only the
    /// bargaining points, by exact branch and bound, without the frontier.
    #[arg(long, value_parser = named::<MethodChoice>(), default_value = MethodChoice::Auto.name())]
    pub method: MethodChoice,
    /// Count packages (zone size, issue map, relaxations) by enumeration only up to this many
    /// packages in the space; 0 never counts.
    #[arg(long, default_value_t = Settings::DEFAULT.count_limit, value_name = "N")]
    pub count_limit: u128,
    /// Stop the merge when one issue leaves more than N non-dominated partial sums (0: no
    /// limit), so that a huge frontier cannot exhaust memory.
    #[arg(long, default_value_t = Settings::DEFAULT.max_partial_sums, value_name = "N")]
    pub max_partial_sums: usize,
    /// Stop the merge when the candidate partial sums it has formed (kept partial sums times
    /// options, summed over issues; one per partial sum for two parties, whose merge forms only
    /// what it keeps) pass N (0: no limit): `auto` then falls back to branch and
    /// bound, `merge` stops with the count. The work is bounded before the merge starts, and a
    /// note warns at once when the bound passes N.
    #[arg(long, default_value_t = Settings::DEFAULT.max_merge_work, value_name = "N")]
    pub max_merge_work: u64,
    /// Stop each branch-and-bound search after N nodes (0: no limit); a merge that keeps only
    /// what the search's bounds allow then tries to prove the point (within --max-merge-work),
    /// and failing that the answer is the best package found, reported as not proven optimal
    /// with a bound on the gap.
    #[arg(long, default_value_t = Settings::DEFAULT.max_nodes, value_name = "N")]
    pub max_nodes: u64,
}

impl AnalysisArgs {
    pub fn settings(&self) -> concord_api::Settings {
        concord_api::Settings {
            normalize_weights: self.normalize_weights,
            method: self.method,
            count_limit: self.count_limit,
            max_partial_sums: self.max_partial_sums,
            max_merge_work: self.max_merge_work,
            max_nodes: self.max_nodes,
            red_lines: self.red_lines,
            ..concord_api::Settings::DEFAULT
        }
    }
}

/// Arguments of `concord score`.
#[derive(Args)]
pub struct ScoreArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    /// The proposal: an id of `[[proposals]]`, or `framework` for what the framework points
    /// propose (the default when they propose anything).
    pub proposal: Option<String>,
    /// Terms on the command line, ISSUE=OPTION,…: a package of its own, or terms that replace
    /// the proposal's on those issues.
    #[arg(long, value_name = "ISSUE=OPTION,…")]
    pub package: Option<String>,
    /// Print the report as JSON (schema `concord.score/1`, docs/json-output.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// Arguments of `concord improve`.
#[derive(Args)]
pub struct ImproveArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    /// The proposal, a whole package: an id of `[[proposals]]`, or `framework`; with --package
    /// to fill or replace terms.
    pub proposal: Option<String>,
    /// Terms on the command line, ISSUE=OPTION,…, as for `concord score`.
    #[arg(long, value_name = "ISSUE=OPTION,…")]
    pub package: Option<String>,
    /// Issues not to reopen: improvements keep them as the proposal settles them.
    #[arg(long, value_name = "ISSUE,…")]
    pub keep: Option<String>,
    /// Settle the issues a partial proposal leaves open with its best completion by this
    /// concept (exact, as `concord score` finds it), then improve on that package.
    #[arg(long, value_parser = named::<Concept>(), value_name = "CONCEPT")]
    pub fill: Option<Concept>,
    /// Print the report as JSON (schema `concord.improve/1`).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub what_if: WhatIfArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// Arguments of `concord compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    /// A variant: changes separated by spaces, each `drop:RED-LINE`, `reservation:PARTY=VALUE`,
    /// `weight:PARTY.ISSUE=VALUE` or `fix:ISSUE=OPTION` (repeatable; the file as written comes
    /// first).
    #[arg(long = "what-if", value_name = "CHANGES", required = true)]
    pub what_if: Vec<String>,
    /// Print the report as JSON (schema `concord.compare/1`).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// `concord score`: exit 0 when the package is in the agreement zone (or, for a partial
/// proposal, some completion is), 1 when not, 2 on bad input.
pub fn run_score(args: &ScoreArgs) -> Result<ExitCode, BadInput> {
    let input = ScenarioInput::read_toml(&args.file)?;
    let request = concord_api::ScoreRequest {
        settings: args.analysis.settings(),
        draft: draft(
            args.proposal.as_deref(),
            args.package.as_deref(),
            &args.what_if,
        ),
    };
    let report = crate::interactive::run(|c| concord_api::score(&input, &request, c))?;
    Ok(print(&report, args.json))
}

fn draft(
    proposal: Option<&str>,
    package: Option<&str>,
    what_if: &WhatIfArgs,
) -> concord_api::Draft {
    concord_api::Draft {
        proposal: proposal.map(str::to_string),
        package: package.map(str::to_string),
        what_if: what_if.flags(),
    }
}

/// `concord improve`: exit 0 when an improvement exists, 1 when none does, 2 on bad input.
pub fn run_improve(args: &ImproveArgs) -> Result<ExitCode, BadInput> {
    let input = ScenarioInput::read_toml(&args.file)?;
    let request = concord_api::ImproveRequest {
        settings: args.analysis.settings(),
        draft: draft(
            args.proposal.as_deref(),
            args.package.as_deref(),
            &args.what_if,
        ),
        keep: args.keep.clone(),
        fill: args.fill,
    };
    let report = crate::interactive::run(|c| concord_api::improve(&input, &request, c))?;
    Ok(print(&report, args.json))
}

/// `concord compare`: exit 0, or 2 on bad input.
pub fn run_compare(args: &CompareArgs) -> Result<ExitCode, BadInput> {
    let input = ScenarioInput::read_toml(&args.file)?;
    let request = concord_api::CompareRequest {
        settings: args.analysis.settings(),
        variants: args.what_if.clone(),
    };
    let report = crate::interactive::run(|c| concord_api::compare(&input, &request, c))?;
    Ok(print(&report, args.json))
}

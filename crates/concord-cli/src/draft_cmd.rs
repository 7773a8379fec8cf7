//! `concord score`, `concord improve` and `concord compare`: a proposal on the table scored and
//! improved, and what-if variants side by side; and the what-if flags that `concord analyze`
//! shares with them.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use concord_core::analysis::{AnalysisConfig, MethodChoice, RedLineSelection};
use concord_core::bargaining::Concept;
use concord_core::model::{Proposal, Scenario, Term};
use concord_core::proposal::{applies, improve_with, score_with};
use concord_core::whatif::{apply, Applied, WhatIf};
use concord_format::proposal::{
    combine, compare_json, compare_text, improve_json, improve_text, parse_keep, parse_package,
    parse_variant, parse_what_ifs, pick_proposal, score_json, score_text, what_if_lines, Variant,
    WhatIfFlags,
};
use concord_format::scenario::ReadOptions;

use crate::common::{emit, print_json, BadInput};
use crate::interactive::{analyze_interactively, interactively, interrupted};

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
    fn flags(&self) -> WhatIfFlags {
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
    /// Which red lines of consenting parties shape the zone, by their basis: `all`, `cited` or
    /// `stated` (as for `concord analyze`).
    #[arg(long, value_enum, default_value_t = RedLinesArg::All)]
    pub red_lines: RedLinesArg,
    /// How to compute frontiers: `auto`, `enumerate`, `merge` or `bnb` (as for `concord analyze`).
    #[arg(long, value_enum, default_value_t = MethodArg::Auto)]
    pub method: MethodArg,
    /// Count packages by enumeration only up to this many packages in the space; 0 never counts.
    #[arg(long, default_value_t = 100_000_000, value_name = "N")]
    pub count_limit: u128,
    /// Stop the merge when one issue leaves more than N non-dominated partial sums (0: no limit).
    #[arg(long, default_value_t = 10_000_000, value_name = "N")]
    pub max_partial_sums: usize,
    /// Stop the merge when the candidate partial sums it has formed pass N (0: no limit), as
    /// for `concord analyze`.
    #[arg(long, default_value_t = concord_core::analysis::DEFAULT_MAX_MERGE_WORK, value_name = "N")]
    pub max_merge_work: u64,
    /// Stop each branch-and-bound search after N nodes (0: no limit).
    #[arg(long, default_value_t = 10_000_000, value_name = "N")]
    pub max_nodes: u64,
}

/// `--red-lines`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum RedLinesArg {
    All,
    Cited,
    Stated,
}

/// `--fill`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FillArg {
    Nash,
    KalaiSmorodinsky,
    Egalitarian,
    Utilitarian,
}

impl FillArg {
    fn concept(self) -> Concept {
        match self {
            FillArg::Nash => Concept::Nash,
            FillArg::KalaiSmorodinsky => Concept::KalaiSmorodinsky,
            FillArg::Egalitarian => Concept::Egalitarian,
            FillArg::Utilitarian => Concept::Utilitarian,
        }
    }
}

/// `--method`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum MethodArg {
    Auto,
    Enumerate,
    Merge,
    Bnb,
}

impl MethodArg {
    /// The analysis method the flag names.
    pub fn choice(self) -> MethodChoice {
        match self {
            MethodArg::Auto => MethodChoice::Auto,
            MethodArg::Enumerate => MethodChoice::Enumeration,
            MethodArg::Merge => MethodChoice::Merge,
            MethodArg::Bnb => MethodChoice::BranchAndBound,
        }
    }
}

impl RedLinesArg {
    /// The red lines the flag applies.
    pub fn selection(self) -> RedLineSelection {
        match self {
            RedLinesArg::All => RedLineSelection::All,
            RedLinesArg::Cited => RedLineSelection::Cited,
            RedLinesArg::Stated => RedLineSelection::Stated,
        }
    }
}

impl AnalysisArgs {
    fn config(&self) -> AnalysisConfig {
        AnalysisConfig {
            method: self.method.choice(),
            count_limit: self.count_limit,
            max_partial_sums: self.max_partial_sums,
            max_merge_work: self.max_merge_work,
            max_nodes: self.max_nodes,
            red_lines: self.red_lines.selection(),
            // As `concord analyze` by default: decide on the numbers as written when they are
            // short decimals, so that a package worth exactly the proposal is a tie, not a gain.
            exact_decimals: true,
            ..AnalysisConfig::default()
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
    #[arg(long, value_enum, value_name = "CONCEPT")]
    pub fill: Option<FillArg>,
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

fn load(file: &std::path::Path, normalize_weights: bool) -> Result<Scenario, BadInput> {
    let scenario = crate::common::load_whole(file, &ReadOptions { normalize_weights })?
        .evidence
        .scenario;
    crate::common::require_issues(&scenario, file)?;
    Ok(scenario)
}

/// The what-ifs applied, or why the variant has no agreement zone to analyse: a fixed issue
/// that breaks a red line shaping the zone whatever the other issues.
pub fn apply_what_ifs(
    scenario: &Scenario,
    changes: &[WhatIf],
    config: &AnalysisConfig,
) -> Result<(Applied, Vec<String>), String> {
    let applied =
        apply(scenario, changes).map_err(|e| format!("cannot apply the what-if changes: {e}"))?;
    let lines = what_if_lines(scenario, changes, &applied);
    if let Some(why) = closed_by(scenario, &applied, config) {
        return Err(format!(
            "{why}, so there is no agreement zone to analyse; drop the red line too (--drop-red-line) to see the rest"
        ));
    }
    Ok((applied, lines))
}

/// Why the what-ifs leave no agreement zone whatever the other issues, when they do: the fixed
/// issues break a red line shaping the zone (or a party's red lines together).
fn closed_by(scenario: &Scenario, applied: &Applied, config: &AnalysisConfig) -> Option<String> {
    {
        let r = applied.restricted.as_ref()?;
        let blocking: Vec<String> = r
            .broken
            .iter()
            .filter(|&&b| applies(scenario, config, b))
            .map(|&b| {
                format!(
                    "`{}` of {}",
                    scenario.red_lines[b].id, scenario.parties[scenario.red_lines[b].party].name
                )
            })
            .chain(
                r.jointly
                    .iter()
                    .filter(|&&p| scenario.parties[p].consent)
                    .map(|&p| format!("all of {}'s red lines together", scenario.parties[p].name)),
            )
            .collect();
        (!blocking.is_empty()).then(|| {
            format!(
                "the fixed issues break {} whatever the other issues",
                blocking.join(", ")
            )
        })
    }
}

/// What-ifs of the analyze flags, applied; the scenario unchanged when there are none.
pub fn analyze_what_ifs(
    scenario: Scenario,
    args: &WhatIfArgs,
    config: &AnalysisConfig,
) -> Result<(Scenario, Vec<String>), BadInput> {
    let flags = args.flags();
    if flags.is_empty() {
        return Ok((scenario, Vec::new()));
    }
    let changes = parse_what_ifs(&scenario, &flags)?;
    let (applied, lines) =
        apply_what_ifs(&scenario, &changes, config).map_err(|e| BadInput(anyhow!("{e}")))?;
    Ok((applied.scenario, lines))
}

/// A proposal chosen on the command line with its terms combined, against the scenario as
/// written; the what-ifs other than fixes applied to the scenario (fixes become terms).
struct Chosen {
    scenario: Scenario,
    proposal: Option<Proposal>,
    allowed: Vec<concord_core::model::OptionSet>,
    overridden: Vec<usize>,
    fixed: Vec<usize>,
    lines: Vec<String>,
}

fn choose(
    original: &Scenario,
    name: Option<&str>,
    package: Option<&str>,
    what_if: &WhatIfArgs,
) -> Result<Chosen, BadInput> {
    // A --fix is a term too: with one, no proposal is needed.
    let proposal = pick_proposal(original, name, package.is_some() || !what_if.fix.is_empty())?;
    let mut terms: Vec<Term> = match package {
        Some(p) => parse_package(original, p)?,
        None => Vec::new(),
    };
    let changes = parse_what_ifs(original, &what_if.flags())?;
    let mut fixed = Vec::new();
    for c in &changes {
        if let WhatIf::Fix { issue, option } = *c {
            terms.retain(|t| t.issue != issue);
            terms.push(Term {
                issue,
                options: vec![option],
            });
            fixed.push(issue);
        }
    }
    let (allowed, overridden) = combine(original, proposal.as_ref(), &terms);
    // Fixes are the proposal's terms here, not a narrowing of the scenario.
    let others: Vec<WhatIf> = changes
        .iter()
        .filter(|c| !matches!(c, WhatIf::Fix { .. }))
        .cloned()
        .collect();
    let applied = apply(original, &others)
        .map_err(|e| BadInput(anyhow!("cannot apply the what-if changes: {e}")))?;
    let lines = what_if_lines(original, &changes, &applied);
    Ok(Chosen {
        scenario: applied.scenario,
        proposal,
        allowed,
        overridden,
        fixed,
        lines,
    })
}

fn cannot(
    file: &std::path::Path,
) -> impl Fn(concord_core::analysis::AnalysisError) -> BadInput + '_ {
    move |e| BadInput(anyhow::Error::new(e).context(format!("cannot analyse {}", file.display())))
}

/// Ends a command that was interrupted by Ctrl-C although its last analysis finished (a small
/// one, which does not poll the stop flag): no report after Ctrl-C, only status 130.
fn unless_interrupted() -> Result<(), BadInput> {
    if interrupted() {
        return Err(BadInput(anyhow!(
            "the command was stopped before its report"
        )));
    }
    Ok(())
}

/// [`score_with`] with a progress bar on a terminal and a clean stop on Ctrl-C.
fn score_interactively(
    scenario: &Scenario,
    allowed: &[concord_core::model::OptionSet],
    config: &AnalysisConfig,
    file: &std::path::Path,
) -> Result<concord_core::proposal::Score, BadInput> {
    let scored = interactively("scoring", |hooks| {
        score_with(scenario, allowed, config, hooks)
    })
    .map_err(cannot(file))?;
    unless_interrupted()?;
    Ok(scored)
}

/// `concord score`: exit 0 when the package is in the agreement zone (or, for a partial
/// proposal, some completion is), 1 when not, 2 on bad input.
pub fn run_score(args: &ScoreArgs) -> Result<ExitCode, BadInput> {
    let original = load(&args.file, args.analysis.normalize_weights)?;
    let chosen = choose(
        &original,
        args.proposal.as_deref(),
        args.package.as_deref(),
        &args.what_if,
    )?;
    let config = args.analysis.config();
    let scored = score_interactively(&chosen.scenario, &chosen.allowed, &config, &args.file)?;
    let scenario = &chosen.scenario;
    if args.json {
        print_json(&score_json(
            scenario,
            chosen.proposal.as_ref(),
            &chosen.overridden,
            &scored,
            &chosen.lines,
        ));
    } else {
        emit(&score_text(
            scenario,
            chosen.proposal.as_ref(),
            &chosen.overridden,
            &scored,
            &chosen.lines,
        ));
    }
    let positive = match (&scored.in_zone, &scored.completions) {
        (Some(z), _) => *z,
        (None, Some(c)) => c.analysis.as_ref().is_some_and(|a| a.zone_exists),
        (None, None) => false,
    };
    Ok(if positive {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `concord improve`: exit 0 when an improvement exists, 1 when none does, 2 on bad input.
pub fn run_improve(args: &ImproveArgs) -> Result<ExitCode, BadInput> {
    let original = load(&args.file, args.analysis.normalize_weights)?;
    let chosen = choose(
        &original,
        args.proposal.as_deref(),
        args.package.as_deref(),
        &args.what_if,
    )?;
    let config = args.analysis.config();
    let open: Vec<String> = chosen
        .allowed
        .iter()
        .enumerate()
        .filter(|(_, s)| s.indices().len() != 1)
        .map(|(i, _)| original.issues[i].id.clone())
        .collect();
    let mut lines = chosen.lines.clone();
    let package: Vec<usize> = match (open.is_empty(), args.fill) {
        (true, _) => chosen.allowed.iter().map(|s| s.indices()[0]).collect(),
        (false, None) => {
            return Err(BadInput(anyhow!(
                "the proposal leaves {} open (or admits several options there); improve needs a whole package: settle them with --package ISSUE=OPTION,… or with --fill CONCEPT (`concord score` shows the best completions)",
                open.join(", ")
            )))
        }
        (false, Some(fill)) => {
            let concept = fill.concept();
            let scored =
                score_interactively(&chosen.scenario, &chosen.allowed, &config, &args.file)?;
            let best = scored.completions.as_ref().and_then(|c| {
                let a = c.analysis.as_ref()?;
                let s = a.solutions.iter().find(|s| s.concept == concept)?;
                let point = a.solution_point(*s.points.first()?);
                let package = a.packages(point).into_iter().next()?;
                Some(c.restricted.original(&package))
            });
            let Some(best) = best else {
                return Err(BadInput(anyhow!(
                    "--fill {}: no completion of the proposal is in the agreement zone, so there is none to fill with (`concord score` says why)",
                    concept.as_str()
                )));
            };
            let filled: Vec<String> = open
                .iter()
                .map(|id| {
                    let i = original.issues.iter().position(|x| &x.id == id).expect("an issue");
                    format!("{id} = {}", original.issues[i].options[best[i]].id)
                })
                .collect();
            lines.push(format!(
                "the open issues filled with the {} completion: {}",
                concept.as_str(),
                filled.join(", ")
            ));
            best
        }
    };
    let mut keep = match &args.keep {
        Some(k) => parse_keep(&original, k)?,
        None => Vec::new(),
    };
    keep.extend(&chosen.fixed);
    let found = interactively("improving", |hooks| {
        improve_with(&chosen.scenario, &package, &keep, &config, hooks)
    })
    .map_err(cannot(&args.file))?;
    unless_interrupted()?;
    let scenario = &chosen.scenario;
    if args.json {
        print_json(&improve_json(
            scenario,
            chosen.proposal.as_ref(),
            &chosen.overridden,
            &found,
            &lines,
        ));
    } else {
        emit(&improve_text(
            scenario,
            chosen.proposal.as_ref(),
            &chosen.overridden,
            &found,
            &lines,
        ));
    }
    Ok(if found.efficient {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `concord compare`: exit 0, or 2 on bad input.
pub fn run_compare(args: &CompareArgs) -> Result<ExitCode, BadInput> {
    let original = load(&args.file, args.analysis.normalize_weights)?;
    let config = AnalysisConfig {
        issue_map: false,
        ..args.analysis.config()
    };
    let mut changes = Vec::new();
    for text in &args.what_if {
        changes.push(parse_variant(&original, text)?);
    }
    // Each variant: its scenario, or why it cannot be analysed, or why it has no zone whatever
    // the other issues (a fix that breaks a red line: a conclusion, not an error).
    struct Variation {
        label: String,
        lines: Vec<String>,
        scenario: Result<Scenario, String>,
        closed: Option<String>,
    }
    let mut applied = vec![Variation {
        label: "as written".to_string(),
        lines: Vec::new(),
        scenario: Ok(original.clone()),
        closed: None,
    }];
    for (text, c) in args.what_if.iter().zip(&changes) {
        applied.push(match apply(&original, c) {
            Ok(a) => {
                let lines = what_if_lines(&original, c, &a);
                let closed = closed_by(&original, &a, &config);
                Variation {
                    label: text.clone(),
                    lines,
                    scenario: match &closed {
                        None => Ok(a.scenario),
                        Some(why) => Err(why.clone()),
                    },
                    closed,
                }
            }
            Err(e) => Variation {
                label: text.clone(),
                lines: Vec::new(),
                scenario: Err(format!("cannot apply the what-if changes: {e}")),
                closed: None,
            },
        });
    }
    let mut variants = Vec::new();
    for Variation {
        label,
        lines,
        scenario: s,
        closed,
    } in &applied
    {
        let (scenario, outcome) = match s {
            Ok(s) => {
                let outcome = analyze_interactively(s, &config);
                // A variant stopped by Ctrl-C is not a variant without an answer: stop there.
                if let (Err(e), true) = (&outcome, interrupted()) {
                    return Err(cannot(&args.file)(e.clone()));
                }
                (s, outcome.map_err(|e| e.to_string()))
            }
            Err(e) => (&original, Err(e.clone())),
        };
        unless_interrupted()?;
        variants.push(Variant {
            label: label.clone(),
            what_if: lines.clone(),
            scenario,
            outcome,
            closed: closed.clone(),
        });
    }
    if let Err(e) = &variants[0].outcome {
        return Err(BadInput(anyhow!(
            "cannot analyse {}: {e}",
            args.file.display()
        )));
    }
    if args.json {
        print_json(&compare_json(&variants));
    } else {
        emit(&compare_text(&variants));
    }
    Ok(ExitCode::SUCCESS)
}

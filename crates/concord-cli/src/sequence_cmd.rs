//! `concord sequence` (a phased plan of joint steps, or the demands that deadlock it) and
//! `concord diff` (versions of the framework document compared point by point).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use concord_api::ScenarioInput;

use crate::common::{print, BadInput};

/// Arguments of `concord sequence`.
#[derive(Args)]
pub struct SequenceArgs {
    /// The scenario file (TOML) with `[[steps]]` and `[[demands]]` (docs/sequencing.md).
    pub file: PathBuf,
    /// Print the report as JSON (schema `concord.sequence/1`).
    #[arg(long)]
    pub json: bool,
    /// The most minimal conflicts to list when no sequence exists.
    #[arg(long, default_value_t = concord_api::SequenceRequest::new().max_conflicts, value_name = "N")]
    pub max_conflicts: usize,
    /// What-if: waive the demand ID for this report, the file unchanged (repeatable): is there
    /// a plan without it? (--drop-red-line, --set-reservation, --fix and --set-weight are
    /// refused here: no red line, reservation, weight or option enters a sequence.)
    #[arg(long, value_name = "ID")]
    pub drop_demand: Vec<String>,
    #[command(flatten)]
    pub scenario_what_if: RefusedWhatIfArgs,
    /// The node limit of the exact search for a plan (the MILP's branch and bound); past it the
    /// command fails rather than guess.
    #[arg(long, default_value_t = concord_api::SequenceRequest::new().max_nodes, value_name = "N")]
    pub max_nodes: u64,
    /// The node limit of each phase of the exact search for the cheapest way out of a deadlock;
    /// past it the deadlock is reported without a way out, saying so.
    #[arg(long, default_value_t = concord_api::SequenceRequest::new().max_way_out_nodes, value_name = "N")]
    pub max_way_out_nodes: u64,
}

/// The what-ifs of `concord analyze` that cannot change a sequence. They are read only to be
/// refused with the reason, rather than rejected as unknown flags or silently ignored; hidden
/// from the help, which says so under --drop-demand.
#[derive(Args)]
pub struct RefusedWhatIfArgs {
    #[arg(long, value_name = "ID", hide = true)]
    drop_red_line: Vec<String>,
    #[arg(long, value_name = "PARTY=VALUE", hide = true)]
    set_reservation: Vec<String>,
    #[arg(long, value_name = "ISSUE=OPTION", hide = true)]
    fix: Vec<String>,
    #[arg(long, value_name = "PARTY.ISSUE=VALUE", hide = true)]
    set_weight: Vec<String>,
}

impl RefusedWhatIfArgs {
    /// An error naming the flags given and why they cannot change a sequence; `Ok` when none
    /// is given.
    fn refuse(&self) -> Result<(), BadInput> {
        let given: Vec<&str> = [
            ("--drop-red-line", &self.drop_red_line),
            ("--set-reservation", &self.set_reservation),
            ("--fix", &self.fix),
            ("--set-weight", &self.set_weight),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(flag, _)| flag)
        .collect();
        if given.is_empty() {
            return Ok(());
        }
        Err(BadInput(anyhow!(
            "`concord sequence` does not take {}: a sequence is computed from the [[steps]] and [[demands]] alone, and no red line, reservation value, weight or settled option enters it, so the answer could not change; to ask whether a plan exists without a demand, use --drop-demand ID (`concord analyze`, `score` and `improve` take the scenario what-ifs)",
            given.join(", ")
        )))
    }
}

/// Arguments of `concord diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// A scenario file with `[[versions]]`. Alone, and without --from/--to: the lineage of
    /// points across all its versions. With NEW: the older of two files.
    pub old: PathBuf,
    /// A second file, to compare a version of OLD with a version of NEW.
    pub new: Option<PathBuf>,
    /// The older version: an id of `[[versions]]`, or `framework` for the `[framework]` table.
    /// Default with two files: OLD's framework, else its last version.
    #[arg(long, value_name = "ID")]
    pub from: Option<String>,
    /// The newer version (in NEW when two files are given); default as for --from.
    #[arg(long, value_name = "ID")]
    pub to: Option<String>,
    /// The least similarity, from 0 to 1, for two points to count as the same point.
    #[arg(long, default_value_t = concord_api::DiffRequest::default().threshold, value_name = "X")]
    pub threshold: f64,
    /// Print the report as JSON (schema `concord.diff/1`, or `concord.lineage/1` for a lineage).
    #[arg(long)]
    pub json: bool,
}

/// Runs `concord sequence`: exit 0 with a plan, 1 with a deadlock, 2 on bad input.
pub fn run_sequence(args: &SequenceArgs) -> Result<ExitCode, BadInput> {
    args.scenario_what_if.refuse()?;
    let input = ScenarioInput::read_toml(&args.file)?;
    let request = concord_api::SequenceRequest {
        max_conflicts: args.max_conflicts,
        max_nodes: args.max_nodes,
        max_way_out_nodes: args.max_way_out_nodes,
        drop_demands: args.drop_demand.clone(),
    };
    let report = crate::interactive::run(|c| concord_api::sequence(&input, &request, c))?;
    if report.way_out_limited {
        crate::common::note(
            "note",
            &format!(
                "no way out of the deadlock was proven within {} nodes per phase of the exact \
                 search; raise the limit with --max-way-out-nodes N",
                concord_core::number::grouped(u128::from(args.max_way_out_nodes.max(1)))
            ),
        );
    }
    Ok(print(&report, args.json))
}

/// Runs `concord diff`: exit 0 once compared, 2 on bad input.
pub fn run_diff(args: &DiffArgs) -> Result<ExitCode, BadInput> {
    let old = ScenarioInput::read_toml(&args.old)?;
    let new = args
        .new
        .as_deref()
        .map(ScenarioInput::read_toml)
        .transpose()?;
    let request = concord_api::DiffRequest {
        from: args.from.clone(),
        to: args.to.clone(),
        threshold: args.threshold,
    };
    let report = concord_api::diff(&old, new.as_ref(), &request)?;
    Ok(print(&report, args.json))
}

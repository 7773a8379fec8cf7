//! `concord sequence` (a phased plan of joint steps, or the demands that deadlock it) and
//! `concord diff` (versions of the framework document compared point by point).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use concord_format::proposal::what_if_text;
use concord_format::scenario::ReadOptions;
use concord_format::sequence::{
    diff_json, diff_text, drop_demands, lineage_json, lineage_text, read_sequence_file,
    sequence_json, sequence_text, SequenceFile, FRAMEWORK_VERSION,
};
use concord_sequence::analysis::{analyze, SequenceAnalysis, SequenceConfig};
use concord_sequence::versions::{diff, lineage, MatchConfig, Version};

use crate::common::{print_json, BadInput};

/// Arguments of `concord sequence`.
#[derive(Args)]
pub struct SequenceArgs {
    /// The scenario file (TOML) with `[[steps]]` and `[[demands]]` (docs/sequencing.md).
    pub file: PathBuf,
    /// Print the report as JSON (schema `concord.sequence/1`).
    #[arg(long)]
    pub json: bool,
    /// The most minimal conflicts to list when no sequence exists.
    #[arg(long, default_value_t = 8, value_name = "N")]
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
    #[arg(long, default_value_t = SequenceConfig::default().node_limit, value_name = "N")]
    pub max_nodes: u64,
    /// The node limit of each phase of the exact search for the cheapest way out of a deadlock;
    /// past it the deadlock is reported without a way out, saying so.
    #[arg(long, default_value_t = SequenceConfig::default().way_out_node_limit, value_name = "N")]
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
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    pub threshold: f64,
    /// Print the report as JSON (schema `concord.diff/1`, or `concord.lineage/1` for a lineage).
    #[arg(long)]
    pub json: bool,
}

/// Reads the file with every reader (as every command does), then its sequencing part.
fn read(path: &Path) -> Result<SequenceFile, BadInput> {
    let whole = crate::common::load_whole(path, &ReadOptions::default())?;
    if let Some(sequence) = whole.sequence {
        return Ok(sequence);
    }
    // A scenario without steps, demands or versions: its framework is still a version.
    let text = crate::common::read_text(path, "scenario file")?;
    read_sequence_file(&text, &path.display().to_string()).map_err(crate::common::format_error)
}

/// Runs `concord sequence`: exit 0 with a plan, 1 with a deadlock, 2 on bad input.
pub fn run_sequence(args: &SequenceArgs) -> Result<ExitCode, BadInput> {
    args.scenario_what_if.refuse()?;
    let file = read(&args.file)?;
    if file.problem.steps.is_empty() {
        return Err(BadInput(anyhow!(
            "{} has no [[steps]] to sequence (see docs/sequencing.md)",
            args.file.display()
        )));
    }
    let (file, what_if) = drop_demands(&file, &args.drop_demand)?;
    let config = SequenceConfig {
        max_conflicts: args.max_conflicts.max(1),
        node_limit: args.max_nodes.max(1),
        way_out_node_limit: args.max_way_out_nodes.max(1),
    };
    let analysis = analyze(&file.problem, &config).map_err(|e| {
        let hint = match e {
            concord_sequence::analysis::SequenceError::Solve(
                concord_sequence::solve::SolveError::TooLarge(_),
            ) => format!(
                " (the limit is {}; raise it with --max-nodes N)",
                config.node_limit
            ),
            _ => String::new(),
        };
        BadInput(
            anyhow::Error::new(e).context(format!("cannot sequence {}{hint}", args.file.display())),
        )
    })?;
    if let SequenceAnalysis::Deadlock(d) = &analysis {
        let limited = matches!(
            d.way_out_failure,
            Some(concord_sequence::solve::SolveError::TooLarge(_))
        );
        if d.way_out.is_none() && limited {
            eprintln!(
                "note: no way out of the deadlock was proven within {} nodes per phase of the \
                 exact search; raise the limit with --max-way-out-nodes N",
                config.way_out_node_limit
            );
        }
    }
    if args.json {
        let mut report = sequence_json(&file, &analysis);
        if let Some(object) = report.as_object_mut() {
            object.insert("what_if".into(), serde_json::json!(what_if));
        }
        print_json(&report);
    } else {
        let mut text = what_if_text(&what_if);
        text.push_str(&sequence_text(
            &file,
            &args.file.display().to_string(),
            &analysis,
        ));
        crate::common::emit(&text);
    }
    Ok(match analysis {
        SequenceAnalysis::Plan(_) => ExitCode::SUCCESS,
        SequenceAnalysis::Deadlock(_) => ExitCode::from(1),
    })
}

/// The version `id` of a file, or a message listing the ids it has.
fn pick<'f>(file: &'f SequenceFile, path: &Path, id: &str) -> Result<&'f Version, BadInput> {
    file.version(id).ok_or_else(|| {
        let ids = file.version_ids();
        BadInput(anyhow!(
            "{} has no version `{id}`; its versions are: {}",
            path.display(),
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        ))
    })
}

/// A file's default version: its framework, else its last `[[versions]]` entry.
fn default_version<'f>(file: &'f SequenceFile, path: &Path) -> Result<&'f Version, BadInput> {
    file.framework
        .as_ref()
        .or(file.versions.last())
        .ok_or_else(|| {
            BadInput(anyhow!(
                "{} has neither a [framework] with points nor [[versions]] to compare",
                path.display()
            ))
        })
}

/// Runs `concord diff`: exit 0 once compared, 2 on bad input.
pub fn run_diff(args: &DiffArgs) -> Result<ExitCode, BadInput> {
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(BadInput(anyhow!(
            "--threshold must be between 0 and 1, not {}",
            args.threshold
        )));
    }
    let config = MatchConfig {
        threshold: args.threshold,
        ..MatchConfig::default()
    };
    let old_file = read(&args.old)?;
    let (old, new_file, new_path);
    match &args.new {
        Some(path) => {
            new_file = read(path)?;
            new_path = path.as_path();
            old = match &args.from {
                Some(id) => pick(&old_file, &args.old, id)?,
                None => default_version(&old_file, &args.old)?,
            };
        }
        None => match (&args.from, &args.to) {
            (None, None) => {
                if old_file.versions.is_empty() {
                    return Err(BadInput(anyhow!(
                        "{} has no [[versions]]; to compare two versions, give --from and --to (`{FRAMEWORK_VERSION}` names the [framework]) or a second file",
                        args.old.display()
                    )));
                }
                let l = lineage(&old_file.versions, &config);
                if args.json {
                    print_json(&lineage_json(&old_file, &old_file.versions, &l));
                } else {
                    crate::common::emit(&lineage_text(&old_file, &old_file.versions, &l));
                }
                return Ok(ExitCode::SUCCESS);
            }
            (Some(from), Some(_)) => {
                old = pick(&old_file, &args.old, from)?;
                new_file = old_file.clone();
                new_path = args.old.as_path();
            }
            _ => {
                return Err(BadInput(anyhow!(
                    "with one file, give both --from and --to, or neither for the lineage of all its versions"
                )))
            }
        },
    }
    let new = match &args.to {
        Some(id) => pick(&new_file, new_path, id)?,
        None => default_version(&new_file, new_path)?,
    };
    let d = diff(old, new, &config);
    if args.json {
        print_json(&diff_json(old, new, &d));
    } else {
        crate::common::emit(&diff_text(old, new, &d));
    }
    Ok(ExitCode::SUCCESS)
}

//! `concord evidence` (extract, conflicts, claims) and `concord commitments`: files and
//! options in, library calls, reports and exit codes out.
//!
//! Exit codes: `evidence extract`, `evidence conflicts` and `evidence claims` exit 0 whatever
//! they find (they are reports); `commitments` exits 1 when a trigger has no firm pledge behind
//! it, so that a script can branch on an uncovered guarantee; all exit 2 on bad input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use concord_api::fs::read_text;
use concord_api::ScenarioInput;

use crate::common::{print, source_texts, sources_hint, BadInput};
use crate::interactive::run;

/// Subcommands of `concord evidence`.
#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Extract candidate claims from the plain-text reports (*.txt) of a folder: speakers,
    /// actors, figures, dates, denials, relayed agencies.
    Extract(DirArgs),
    /// Align the reports' claims about the same events and list where they conflict (figures,
    /// dates, titles, counts, order of document versions), with corroboration by independent
    /// sources.
    Conflicts(DirArgs),
    /// The claims register of a scenario file (`[[claims]]`), with each claim's standing.
    Claims {
        /// The scenario file (TOML).
        file: PathBuf,
        /// The folder holding the source texts (each `[[sources]]` entry's `file`): they are
        /// compared so that copies and rewrites of one story count as one origin.
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
        /// Print JSON (schema in docs/evidence.md).
        #[arg(long)]
        json: bool,
    },
}

/// What `extract` and `conflicts` read.
#[derive(Args)]
pub struct DirArgs {
    /// Folder of plain-text reports (every *.txt file in it).
    pub dir: PathBuf,
    /// Print JSON (schema in docs/evidence.md).
    #[arg(long)]
    pub json: bool,
    /// A TOML file of extra names: `[actors] ukraine = ["Zelensky"]`, `outlets = ["…"]`.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// A scenario whose `[[sources]]` give the reports' metadata (matched by `file`) and whose
    /// parties' names and aliases extend the alias list.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// The publication date of a report, `FILE=DATE` (DATE a day, a month `2025-12` or a
    /// range); repeatable. Overrides the scenario's and the report's own date line.
    #[arg(long, value_name = "FILE=DATE")]
    pub published: Vec<String>,
    /// Do not assume that undated reports were published within a week of the dated ones
    /// (their weekdays then stay without a date range).
    #[arg(long)]
    pub no_window: bool,
    /// The most bytes of reports read from the folder, all its .txt files together: extraction
    /// took about 0.5 CPU-seconds per MiB (bench/RESULTS.md), more for many reports (every
    /// two are compared for copies), and conflicts compare claims across every report.
    #[arg(long, value_name = "BYTES", default_value_t = MAX_REPORT_BYTES)]
    pub max_report_bytes: u64,
}

/// The default of `--max-report-bytes`: some 250 news reports of 8 KB.
pub const MAX_REPORT_BYTES: u64 = concord_io::fs::MAX_REPORT_BYTES;

/// Arguments of `concord commitments`.
#[derive(Args)]
pub struct CommitmentsArgs {
    /// The scenario file (TOML) with its `[[commitments]]`.
    pub file: PathBuf,
    /// Print JSON (schema in docs/evidence.md).
    #[arg(long)]
    pub json: bool,
}

/// Runs `concord evidence …`.
pub fn run_evidence(command: &EvidenceCommand) -> Result<ExitCode, BadInput> {
    match command {
        EvidenceCommand::Extract(args) => {
            let request = request(args)?;
            let report = run(|c| concord_api::extract_claims(&request, c))?;
            Ok(print(&report, args.json))
        }
        EvidenceCommand::Conflicts(args) => {
            let request = request(args)?;
            let report = run(|c| concord_api::conflicts(&request, c))?;
            Ok(print(&report, args.json))
        }
        EvidenceCommand::Claims {
            file,
            sources,
            json,
        } => {
            let input = ScenarioInput::read_toml(file)?;
            let texts = match sources {
                Some(dir) => Some((source_texts(&input, dir)?, dir)),
                None => None,
            };
            let report = concord_api::claims(&input, texts.as_ref().map(|(t, _)| t.as_slice()))
                .map_err(|e| match &texts {
                    Some((t, dir)) => sources_hint(e, t, dir),
                    None => e,
                })?;
            Ok(print(&report, *json))
        }
    }
}

/// Runs `concord commitments`.
pub fn run_commitments(args: &CommitmentsArgs) -> Result<ExitCode, BadInput> {
    let report = concord_api::commitments(&ScenarioInput::read_toml(&args.file)?)?;
    Ok(print(&report, args.json))
}

/// The request of `extract` and `conflicts`: the folder's reports, the files named, the flags.
fn request(args: &DirArgs) -> Result<concord_api::EvidenceRequest, BadInput> {
    let reports = read_reports(&args.dir, args.max_report_bytes)?;
    let scenario = args
        .scenario
        .as_deref()
        .map(ScenarioInput::read_toml)
        .transpose()?;
    let aliases = match &args.aliases {
        Some(path) => Some((path.display().to_string(), read_text(path, "alias file")?)),
        None => None,
    };
    let mut request = concord_api::EvidenceRequest::new(reports);
    request.scenario = scenario;
    request.aliases = aliases;
    request.published = args.published.clone();
    request.undated_window = !args.no_window;
    Ok(request)
}

/// The `.txt` reports of `dir`, a folder over `limit` bytes refused as a limit reached.
fn read_reports(dir: &Path, limit: u64) -> Result<Vec<(String, String)>, BadInput> {
    concord_api::fs::read_reports(dir, limit)
        .map_err(|e| BadInput(concord_api::Error::from(e).into()))
}

//! The `concord` command: arguments in, library calls, reports out. Glue only.
//!
//! Exit codes: 0 for a positive answer (an agreement zone exists; every quote was found), 1 for a
//! negative one that a script may branch on, 2 for bad input or usage, 3 for an internal failure
//! (a bug), 130 when interrupted (Ctrl-C). Each subcommand's `--help` lists its own.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use concord_api::{fs, Report, ScenarioInput};
use concord_core::names::Named;
use concord_io::genius::Normalization;
use concord_report::text::TextOptions;

#[derive(Parser)]
#[command(
    name = "concord",
    version,
    about = "Exact analysis of multi-party, multi-issue negotiations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to style headlines with bold and colour: `auto` on a terminal unless NO_COLOR is
    /// set. Text reports fit the terminal's width (or COLUMNS; 80 columns in a pipe).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
}

/// When to style output.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set (to anything but the empty string).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The width text fits: COLUMNS, else the terminal's, else (in a pipe) 80 columns.
fn output_width() -> usize {
    use std::io::IsTerminal;
    std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&w| w > 0)
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(|| console::Term::stdout().size_checked())
                .flatten()
                .map(|(_, columns)| usize::from(columns))
        })
        .unwrap_or(concord_report::layout::WIDTH)
}

/// Sets the width text reports fit and whether headlines are styled, for the whole process.
fn set_up_output(color: ColorWhen) {
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal();
    concord_report::layout::set_width(output_width());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // Whether a stream, a terminal or not, is styled.
    let styled = |is_terminal: bool| match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => is_terminal && !no_color,
    };
    concord_report::layout::set_color(styled(terminal));
    console::set_colors_enabled(styled(terminal));
    console::set_colors_enabled_stderr(styled(std::io::stderr().is_terminal()));
}

mod common;
mod draft_cmd;
mod evidence_cmd;
mod interactive;
mod sequence_cmd;
#[cfg(feature = "server")]
mod serve_cmd;
mod simulate_cmd;

use common::{emit, BadInput};

#[derive(Subcommand)]
enum Command {
    /// Is there a zone of agreement? Its Pareto frontier, bargaining solutions, blocking issues.
    ///
    /// Exit status: 0 when an agreement zone exists, 1 when it is empty, 2 on bad input.
    Analyze(AnalyzeArgs),
    /// What a proposal gives each party, which red lines it breaks, how far it is from the
    /// frontier; for a partial proposal, what the open issues can still give and the best
    /// completions.
    ///
    /// Exit status: 0 when the package (or some completion) is in the agreement zone, 1 when
    /// not, 2 on bad input.
    Score(draft_cmd::ScoreArgs),
    /// The Pareto improvements over a proposal: packages every consenting party weakly prefers
    /// and one strictly, or the proof that there are none.
    ///
    /// Exit status: 0 when an improvement exists, 1 when the proposal is efficient, 2 on bad
    /// input.
    Improve(draft_cmd::ImproveArgs),
    /// What-if variants side by side: zone, the four solutions, which conclusions change.
    Compare(draft_cmd::CompareArgs),
    /// Work with the sources a scenario cites.
    Sources {
        #[command(subcommand)]
        command: SourcesCommand,
    },
    /// A phased sequence of joint steps that meets every demand, or the demands that deadlock.
    ///
    /// Exit status: 0 when a sequence exists, 1 when none does, 2 on bad input.
    Sequence(sequence_cmd::SequenceArgs),
    /// Compare two versions of the framework document: points added, removed, changed, renumbered.
    Diff(sequence_cmd::DiffArgs),
    /// Claims in source reports: extract them, and find where sources conflict.
    Evidence {
        #[command(subcommand)]
        command: evidence_cmd::EvidenceCommand,
    },
    /// The pledges and guarantees behind each layer, their conditions and uncovered triggers.
    Commitments(evidence_cmd::CommitmentsArgs),
    /// Simulate a negotiation between strategies, round by round.
    ///
    /// Exit status: 0 for an agreement, 1 for none, 2 on bad input.
    Simulate(simulate_cmd::SimulateArgs),
    /// Run every combination of strategies and scenarios, repeated, in parallel.
    Tournament(simulate_cmd::TournamentArgs),
    /// Import a scenario from another format.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Export a scenario to another format.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Run the mediation server: rooms that hold each delegation's private preferences
    /// (docs/server.md), and the dashboard at / (docs/dashboard.md). Ctrl-C stops it after the
    /// requests under way.
    #[cfg(feature = "server")]
    Serve(serve_cmd::ServeArgs),
    /// Work with a room's audit chain.
    #[cfg(feature = "server")]
    Audit {
        #[command(subcommand)]
        command: serve_cmd::AuditCommand,
    },
    /// Print a shell completion script (install: see README.md).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per subcommand into a folder.
    Man {
        /// The folder to write `concord.1` and `concord-SUBCOMMAND.1` into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// What exit statuses 0 and 1 mean for each subcommand (by its path of names); every
/// subcommand shares the others.
const EXIT_MEANINGS: &[(&str, &str, Option<&str>)] = &[
    (
        "analyze",
        "an agreement zone exists",
        Some("the agreement zone is empty"),
    ),
    (
        "sources check",
        "every quote was found",
        Some("a quote is missing or misattributed"),
    ),
    (
        "sequence",
        "a sequence meets every hard demand",
        Some("the demands deadlock"),
    ),
    (
        "commitments",
        "every trigger is covered",
        Some("a trigger is uncovered"),
    ),
    (
        "simulate",
        "the negotiation reached an agreement",
        Some("it did not"),
    ),
    (
        "audit verify",
        "the audit chain is intact",
        Some("an entry was altered, removed or reordered"),
    ),
    ("serve", "never (the server runs until stopped)", None),
];

/// The exit-status section of a subcommand's help.
fn exit_help(path: &str) -> String {
    let (zero, one) = EXIT_MEANINGS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map_or(("success", None), |(_, zero, one)| (*zero, *one));
    let mut text = format!("Exit status:\n  0    {zero}\n");
    if let Some(one) = one {
        text.push_str(&format!("  1    {one}\n"));
    }
    text.push_str(
        "  2    bad input or usage (the message names the file, line and field)\n  \
         3    internal failure: a bug in Concord, please report it\n  \
         130  interrupted (Ctrl-C)",
    );
    text
}

/// Adds the exit-status section to every subcommand's help, nested ones included.
fn with_exit_codes(cmd: clap::Command, path: &str) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd.after_help(exit_help(path));
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |sub| with_exit_codes(sub, &sub_path));
    }
    cmd
}

/// The command line definition, with exit statuses in every help, wrapped to the width reports
/// fit.
fn command() -> clap::Command {
    use clap::CommandFactory;
    with_exit_codes(Cli::command(), "").term_width(output_width())
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A Genius (XML) or GeniusWeb (JSON) folder, written as a scenario TOML file. Evaluations
    /// are normalised as Genius does (each issue's largest evaluation is 1).
    Genius {
        /// The folder: a domain and one profile per party.
        dir: PathBuf,
        /// The scenario file to write.
        #[arg(short, long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Genius XML files: a domain and one profile per party with preferences.
    Genius {
        /// The scenario (TOML file or Genius folder).
        file: PathBuf,
        /// The folder to write into (created if missing).
        #[arg(short, long)]
        out: PathBuf,
    },
}

#[derive(Args)]
struct AnalyzeArgs {
    /// The scenario: a TOML file, or a Genius (XML) or GeniusWeb (JSON) folder.
    file: PathBuf,
    /// How to scale the evaluations of a Genius folder: `genius` divides each issue's by its
    /// largest (values in [0, 1]); `raw` keeps them, as NegMAS does.
    #[arg(long, value_parser = common::named::<Normalization>(), default_value = Normalization::Genius.name())]
    normalization: Normalization,
    /// Print the report as JSON (schema in docs/json-output.md).
    #[arg(long)]
    json: bool,
    /// List every point of the Pareto frontier (in the text report; up to 1,000 points).
    #[arg(long)]
    frontier: bool,
    /// Stream the whole Pareto frontier to FILE as JSON Lines, one point per line, whatever its
    /// size (`-` for standard output, replacing the report).
    #[arg(long, value_name = "FILE")]
    frontier_out: Option<PathBuf>,
    /// Also draw N scenarios within the ranges of assumed numbers and report which conclusions hold.
    #[arg(long, value_name = "N")]
    sensitivity: Option<usize>,
    /// Seed of the sensitivity draws.
    #[arg(long, default_value_t = 0, requires = "sensitivity")]
    seed: u64,
    /// How many tied packages to list per frontier point, at least 1 (all are counted).
    #[arg(long, default_value_t = concord_api::Settings::DEFAULT.list_ties, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    list_ties: u64,
    /// `exact`: when every weight, value and reservation value is a short decimal, decide in
    /// exact arithmetic on the numbers as written (docs/analysis.md); `float`: floating-point
    /// sums in issue order, always.
    #[arg(long, value_enum, default_value_t = ArithmeticArg::Exact)]
    arithmetic: ArithmeticArg,
    /// Also pick NegMAS 0.16's Kalai-Smorodinsky (`ks_points`: the most equal normalised gains)
    /// and Kalai (`kalai_points`: the largest smallest gain) points on the frontier, as extra
    /// columns of the bargaining table (JSON: `negmas`), so that results can be matched.
    #[arg(long)]
    negmas: bool,
    /// How to count packages (zone size, issue map, relaxations): `halves` counts spaces past
    /// 10^4 packages by meet in the middle where it applies (halves of at most 2^20 packages,
    /// the second at most 2^15 with three consenting parties or more) and enumerates otherwise;
    /// `enumerate` always enumerates. The counts are the same.
    #[arg(long, value_enum, default_value_t = CountBy::Halves, value_name = "HOW")]
    count_by: CountBy,
    #[command(flatten)]
    analysis: draft_cmd::AnalysisArgs,
    #[command(flatten)]
    what_if: draft_cmd::WhatIfArgs,
}

/// `--count-by`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CountBy {
    /// Meet in the middle where it applies, else enumeration.
    Halves,
    /// Enumeration only.
    Enumerate,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ArithmeticArg {
    Exact,
    Float,
}

#[derive(Subcommand)]
enum SourcesCommand {
    /// Check that every citation's quote appears in its source text.
    ///
    /// Exit status: 0 when every quote is found, 1 when any is missing, 2 on bad input.
    Check {
        /// The scenario file (TOML).
        file: PathBuf,
        /// The folder holding the source texts named by each source's `file`.
        #[arg(long)]
        sources: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    use clap::FromArgMatches;
    interactive::install_interrupt_handler();
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "internal error: {info}\nThis is a bug in Concord, not a problem of the input; please report it with the command that caused it."
        );
        std::process::exit(3);
    }));
    let matches = command().get_matches();
    // The subcommand's path of names (`evidence extract`), for the flags errors name.
    let mut path = Vec::new();
    let mut sub = matches.subcommand();
    while let Some((name, m)) = sub {
        path.push(name);
        sub = m.subcommand();
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    set_up_output(cli.color);
    let result = match cli.command {
        Command::Analyze(args) => run_analyze(&args),
        Command::Score(args) => draft_cmd::run_score(&args),
        Command::Improve(args) => draft_cmd::run_improve(&args),
        Command::Compare(args) => draft_cmd::run_compare(&args),
        Command::Sources {
            command:
                SourcesCommand::Check {
                    file,
                    sources,
                    json,
                },
        } => run_sources_check(&file, &sources, json),
        Command::Sequence(args) => sequence_cmd::run_sequence(&args),
        Command::Diff(args) => sequence_cmd::run_diff(&args),
        Command::Evidence { command } => evidence_cmd::run_evidence(&command),
        Command::Commitments(args) => evidence_cmd::run_commitments(&args),
        Command::Simulate(args) => simulate_cmd::run_simulate(&args),
        Command::Tournament(args) => simulate_cmd::run_tournament(&args),
        Command::Import {
            command: ImportCommand::Genius { dir, out },
        } => run_import_genius(&dir, &out),
        Command::Export {
            command: ExportCommand::Genius { file, out },
        } => run_export_genius(&file, &out),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve_cmd::run_serve(&args),
        #[cfg(feature = "server")]
        Command::Audit { command } => serve_cmd::run_audit(&command),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command(), "concord", &mut out);
            common::emit_raw(&String::from_utf8_lossy(&out));
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { out } => run_man(out.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(BadInput(e)) => {
            use concord_api::ErrorKind;
            let kind = e
                .downcast_ref::<concord_api::Error>()
                .map(concord_api::Error::kind);
            match kind {
                Some(ErrorKind::Internal) => {
                    eprintln!("internal error: {e:#}\nThis is a bug in Concord, not a problem of the input; please report it with the command that caused it.");
                    ExitCode::from(3)
                }
                // Cancelled through the api, or any failure after Ctrl-C: where it stopped ("…
                // stopped before the end: cancelled after 12 issues"), a clean stop, not the
                // forced exit after the grace period, which says only "interrupted".
                Some(ErrorKind::Cancelled) => {
                    eprintln!("interrupted: {e:#}");
                    ExitCode::from(130)
                }
                _ if interactive::interrupted() => {
                    eprintln!("interrupted: {e:#}");
                    ExitCode::from(130)
                }
                // Bad input, and a limit reached (the message says which and how to raise it).
                _ => {
                    // One line, not wrapped: a message that scripts and logs search whole.
                    eprintln!("error: {}", common::with_flags(&e, &path));
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn run_man(out: Option<&Path>) -> Result<ExitCode, BadInput> {
    let cmd = command();
    match out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .context("cannot render the manual page")?;
            common::emit_raw(&String::from_utf8_lossy(&page));
        }
        Some(dir) => {
            fs::create_dir(dir)?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write into {}", dir.display()))?;
            eprintln!("wrote the manual pages into {}", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_analyze(args: &AnalyzeArgs) -> Result<ExitCode, BadInput> {
    let input = ScenarioInput::read(&args.file, args.normalization)?;
    let request = concord_api::AnalyzeRequest {
        settings: concord_api::Settings {
            list_ties: args.list_ties,
            exact_decimals: args.arithmetic == ArithmeticArg::Exact,
            negmas_points: args.negmas,
            count_without_enumerating: args.count_by == CountBy::Halves,
            ..args.analysis.settings()
        },
        what_if: args.what_if.flags(),
        sensitivity: args
            .sensitivity
            .map(|samples| concord_api::SensitivityRequest {
                samples,
                seed: args.seed,
            }),
    };
    let report = interactive::run(|c| concord_api::analyze(&input, &request, c))?;
    let code = common::exit_status(report.answer());
    if let Some(path) = &args.frontier_out {
        let frontier = report.frontier().map_err(|e| {
            e.context(format!("cannot write the frontier to {}", path.display()))
                .with_hint("run with --method merge and a larger --max-partial-sums")
        })?;
        if path.as_os_str() == "-" {
            // In place of the report; `--frontier-out - | head` ends quietly, as reports do.
            common::write_stdout(|mut out| frontier.write_to(&mut out));
            return Ok(code);
        }
        fs::write_stream(path, |mut out| frontier.write_to(&mut out))?;
    }
    if args.frontier && !args.json {
        emit(&report.text_with(&TextOptions { frontier: true }));
        return Ok(code);
    }
    Ok(common::print(&report, args.json))
}

fn run_sources_check(file: &Path, dir: &Path, as_json: bool) -> Result<ExitCode, BadInput> {
    let input = ScenarioInput::read_toml(file)?;
    let texts = common::source_texts(&input, dir)?;
    let hint = |e| common::sources_hint(e, &texts, dir);
    let report = concord_api::check_sources(&input, texts.clone()).map_err(hint)?;
    Ok(common::print(&report, as_json))
}

fn run_import_genius(dir: &Path, out: &Path) -> Result<ExitCode, BadInput> {
    let files = fs::read_genius_folder(dir)?;
    let report = concord_api::import_genius(
        &dir.display().to_string(),
        &files,
        &out.display().to_string(),
    )?;
    for note in &report.notes {
        common::note("note", note);
    }
    fs::write_new_file(out, &report.text)?;
    eprintln!(
        "wrote {} ({} parties, {} issues)",
        out.display(),
        report.parties,
        report.issues
    );
    Ok(ExitCode::SUCCESS)
}

fn run_export_genius(file: &Path, out: &Path) -> Result<ExitCode, BadInput> {
    let loaded = concord_api::load(&ScenarioInput::read(file, Normalization::Genius)?, false)?;
    let exported = concord_api::export_genius(&loaded);
    fs::create_dir(out)?;
    for f in exported.files {
        fs::write_new_file(&out.join(&f.name), &f.text)?;
    }
    for note in &exported.notes {
        common::note("note", note);
    }
    Ok(ExitCode::SUCCESS)
}

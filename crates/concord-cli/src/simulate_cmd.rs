//! `concord simulate` (one negotiation between strategies, round by round) and
//! `concord tournament` (every combination of strategies and scenarios, repeated, in parallel,
//! written to CSV and Parquet). Arguments, files and printing; the use cases are
//! `concord_api::simulate` and `concord_api::tournament`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use concord_api::{
    fs, CancelToken, Control, Discounting, ErrorKind, Normalization, ProtocolKind, ScenarioInput,
    SimSettings, SingleTextMode, TournamentSettings,
};
use concord_core::names::Named;

use crate::common::{emit, named, print, BadInput};
use crate::interactive;

/// The defaults of both commands' options: the api's, stated in the help from there.
const DEFAULT: SimSettings = SimSettings::DEFAULT;
/// The tournament's own defaults.
const TOURNAMENT: concord_api::TournamentRequest = concord_api::TournamentRequest::DEFAULT;

/// A flag's help with the default it takes when left out (the api's constant, so that the help
/// cannot drift from it).
fn with_default(help: &str, default: impl std::fmt::Display) -> String {
    format!("{help} [default: {default}]")
}

/// Options shared by both commands. Each is optional: left out, `simulate` takes the default
/// shown, `tournament` the config file's value, else the default.
#[derive(Args)]
pub struct SimOptions {
    // The protocol.
    #[arg(long, value_parser = named::<ProtocolKind>(),
          help = with_default("The protocol", DEFAULT.protocol.name()))]
    pub protocol: Option<ProtocolKind>,
    // How the single-text mediator moves.
    #[arg(long, value_parser = named::<SingleTextMode>(),
          help = with_default("How the single-text mediator moves", DEFAULT.mediator.name()))]
    pub mediator: Option<SingleTextMode>,
    // The deadline in rounds.
    #[arg(long, value_name = "N", help = with_default(
        "The deadline in rounds; a round is one turn of every negotiating party (NegMAS's step)",
        DEFAULT.rounds))]
    pub rounds: Option<usize>,
    /// An optional wall-clock limit per negotiation, in seconds (results then depend on speed).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    // Discounting.
    #[arg(long, value_parser = named::<Discounting>(), help = with_default(
        "Discount agreements by the scenario's discount factors",
        DEFAULT.discounting.name()))]
    pub discount: Option<Discounting>,
    // Genius normalisation.
    #[arg(long, value_parser = named::<Normalization>(), help = with_default(
        "How to scale the evaluations of a Genius folder",
        DEFAULT.normalization.name()))]
    pub normalization: Option<Normalization>,
    /// Divide each party's weights by their sum instead of refusing weights that do not sum to 1.
    #[arg(long)]
    pub normalize_weights: bool,
    // The outcome index's limit.
    #[arg(long, value_name = "N", help = with_default(
        "The largest outcome space indexed (each party keeps 20 bytes per outcome)",
        DEFAULT.max_outcomes))]
    pub max_outcomes: Option<u64>,
}

/// Arguments of `concord simulate`.
#[derive(Args)]
pub struct SimulateArgs {
    /// The scenario: a TOML file or a Genius folder.
    pub scenario: PathBuf,
    /// A party's strategy, as PARTY=NAME (repeat for each party). Names: boulware, linear,
    /// conceder, time:E, hardliner, random, tit-for-tat, with optional acceptance suffixes
    /// /next, /const:C, /time:T (docs/simulation.md).
    #[arg(long = "strategy", value_name = "PARTY=NAME")]
    pub strategies: Vec<String>,
    /// The strategy of every party not named by --strategy (default: none, each must be named).
    #[arg(long, value_name = "NAME")]
    pub default_strategy: Option<String>,
    /// The seed of the random draws.
    #[arg(long, default_value_t = concord_api::SimulateRequest::DEFAULT.seed)]
    pub seed: u64,
    /// Print every action.
    #[arg(long)]
    pub trace: bool,
    /// Print the report as JSON (schema `concord.simulate/1`, docs/simulation.md).
    #[arg(long)]
    pub json: bool,
    /// Protocol, deadline and reading options.
    #[command(flatten)]
    pub options: SimOptions,
}

/// Arguments of `concord tournament`. Each may also come from a config file (`--config`); a
/// flag given on the command line overrides the file's value (docs/simulation.md).
#[derive(Args)]
pub struct TournamentArgs {
    /// A TOML file with the tournament's settings; relative paths in it are relative to its
    /// folder, and flags given as well override its values.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The scenarios: TOML files or Genius folders (replaces the config's list).
    #[arg(long, num_args = 1.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// The strategies, comma-separated (one alone means self-play; replaces the config's list).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub strategies: Vec<String>,
    // Repetitions.
    #[arg(long, value_name = "R", help = with_default(
        "How many times each assignment of strategies to parties is played",
        TOURNAMENT.repetitions))]
    pub repetitions: Option<usize>,
    /// Where to write `negotiations.csv`/`.parquet` and `summary.csv`/`.parquet` (created if
    /// missing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    // The seed.
    #[arg(long, value_name = "S", help = with_default(
        "The seed of every negotiation's random stream", TOURNAMENT.seed))]
    pub seed: Option<u64>,
    /// Threads to use [default: all cores].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    // The size limit.
    #[arg(long, value_name = "N", help = with_default(
        "Refuse tournaments of more negotiations than this", TOURNAMENT.max_negotiations))]
    pub max_negotiations: Option<u64>,
    /// Protocol, deadline and reading options.
    #[command(flatten)]
    pub options: SimOptions,
}

impl SimOptions {
    /// The settings of `simulate`: the flags given, else the defaults.
    fn settings(&self) -> SimSettings {
        SimSettings {
            protocol: self.protocol.unwrap_or(DEFAULT.protocol),
            mediator: self.mediator.unwrap_or(DEFAULT.mediator),
            rounds: self.rounds.unwrap_or(DEFAULT.rounds),
            time_limit: self.time_limit,
            discounting: self.discount.unwrap_or(DEFAULT.discounting),
            normalization: self.normalization.unwrap_or(DEFAULT.normalization),
            normalize_weights: self.normalize_weights,
            max_outcomes: self.max_outcomes.unwrap_or(DEFAULT.max_outcomes),
        }
    }
}

impl TournamentArgs {
    /// What the flags set, `None` where they are silent.
    fn settings(&self) -> TournamentSettings {
        let path = |p: &PathBuf| p.display().to_string();
        let o = &self.options;
        TournamentSettings {
            scenarios: self.scenarios.iter().map(path).collect(),
            strategies: self.strategies.clone(),
            out: self.out.as_ref().map(path),
            repetitions: self.repetitions,
            seed: self.seed,
            threads: self.threads,
            max_negotiations: self.max_negotiations,
            protocol: o.protocol,
            mediator: o.mediator,
            rounds: o.rounds,
            time_limit: o.time_limit,
            discounting: o.discount,
            normalization: o.normalization,
            normalize_weights: o.normalize_weights.then_some(true),
            max_outcomes: o.max_outcomes,
        }
    }
}

/// Runs `concord simulate`.
pub fn run_simulate(args: &SimulateArgs) -> Result<ExitCode, BadInput> {
    let request = concord_api::SimulateRequest {
        settings: args.options.settings(),
        strategies: args.strategies.clone(),
        default_strategy: args.default_strategy.clone(),
        seed: args.seed,
        trace: args.trace,
    };
    // Options are refused before any file is read.
    request.settings.check()?;
    let input = ScenarioInput::read(&args.scenario, request.settings.normalization)?;
    let report = match interactive::run(|c| concord_api::simulate(&input, &request, c)) {
        Err(e) if e.kind() == ErrorKind::Cancelled => {
            eprintln!("{}", e.message());
            return Ok(ExitCode::from(130));
        }
        other => other?,
    };
    Ok(print(&report, args.json))
}

/// The tournament's progress bar, in negotiations, with the time left.
const BAR: &str = "{msg} [{bar:40}] {pos}/{len} negotiations ({elapsed}, eta {eta})";

/// Runs `concord tournament`.
pub fn run_tournament(args: &TournamentArgs) -> Result<ExitCode, BadInput> {
    let file = match &args.config {
        Some(path) => concord_api::read_tournament_config_file(path)?,
        None => TournamentSettings::default(),
    };
    let setup = concord_api::merge_tournament(&args.settings(), &file)?;
    // Settings and strategies are refused before any scenario is read.
    setup.request.check()?;
    let inputs = setup
        .scenarios
        .iter()
        .map(|s| ScenarioInput::read(Path::new(s), setup.request.settings.normalization))
        .collect::<Result<Vec<_>, _>>()?;
    let cancel = CancelToken::from_flag(interactive::stop_handle());
    let prepared =
        concord_api::prepare_tournament(&inputs, &setup.request, &Control::with_cancel(cancel))?;
    // The folder is made before the negotiations run, so that one that cannot be is refused
    // at once.
    let out_dir = Path::new(&setup.out);
    fs::create_dir(out_dir)?;
    // Every negotiation polls the stop flag each round, and what finished is written after
    // Ctrl-C: the handler must not end the process before.
    interactive::stops_itself();
    let report = {
        let (control, _bar) = interactive::control(BAR);
        concord_api::run_tournament(prepared, &control)?
    };
    // After Ctrl-C the negotiations that finished are still written, and said to be partial.
    let written: Vec<String> = fs::write_files(out_dir, report.files()?)?
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut out = report.text();
    out.push_str(&format!("\nWrote {}\n", written.join(", ")));
    if let Some(note) = report.partial_note() {
        out.push_str(&format!("\n{note}\n"));
        emit(&out);
        eprintln!("interrupted");
        return Ok(ExitCode::from(130));
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

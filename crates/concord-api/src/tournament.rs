//! `tournament`: every assignment of strategies to the negotiating parties of every scenario,
//! repeated, in parallel; its settings merged from a config file's text and a caller's
//! choices; the results as tables (one row per negotiation, one per strategy) that a front end
//! writes as CSV or Parquet.
//!
//! The tournament is set up ([`prepare_tournament`]: settings checked, scenarios read and
//! indexed, negotiations planned) and then run ([`run_tournament`]), so that a front end can
//! warn about a large plan and get ready to write before the long part starts; [`tournament`]
//! does both.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use concord_core::model::Scenario;
use concord_core::number::grouped;
use concord_io::genius::Normalization;
use concord_io::tournament::{read_tournament_config as read_file, TournamentChecks};
use concord_report::simulate_report::{duration_words, summary_text};
use concord_report::table::{Cells, Column, Table};
use concord_sim::metrics::reference;
use concord_sim::protocol::MAX_THREADS;
use concord_sim::strategy::{MakeStrategy, StrategySpec};
use concord_sim::tournament::{self, plan, summarize, Entry, Job, Row, Summary, TournamentConfig};

pub use concord_sim::tournament::Row as TournamentRow;

use crate::simulate::{from_sim, package_pairs, ProtocolKind, SimSettings};
use crate::{
    Control, Discounting, Error, ErrorKind, Progress, Result, ScenarioInput, SingleTextMode,
};

/// What a tournament config file or a caller sets, `None` (or empty) where it is silent:
/// [`merge_tournament`] lays one over the other and the defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TournamentSettings {
    /// The scenarios, as the caller names them (paths, for the command line).
    pub scenarios: Vec<String>,
    /// The strategy specs (one alone means self-play).
    pub strategies: Vec<String>,
    /// Where the caller writes the tables.
    pub out: Option<String>,
    /// How many times each assignment is played.
    pub repetitions: Option<usize>,
    /// The seed of every negotiation's random stream.
    pub seed: Option<u64>,
    /// Threads to use (none: all cores).
    pub threads: Option<usize>,
    /// Refuse tournaments of more negotiations than this.
    pub max_negotiations: Option<u64>,
    /// The protocol.
    pub protocol: Option<ProtocolKind>,
    /// How the single-text mediator moves.
    pub mediator: Option<SingleTextMode>,
    /// The deadline in rounds.
    pub rounds: Option<usize>,
    /// A wall-clock limit per negotiation, in seconds.
    pub time_limit: Option<f64>,
    /// Discounting of agreements.
    pub discounting: Option<Discounting>,
    /// How to scale the evaluations of a Genius folder.
    pub normalization: Option<Normalization>,
    /// Divide each party's weights by their sum.
    pub normalize_weights: Option<bool>,
    /// The largest outcome space indexed.
    pub max_outcomes: Option<u64>,
}

/// Reads a tournament config file's text (docs/simulation.md), every problem located in it
/// by `name`, line and column. Scenario paths and `out` come back as written; `scenario`
/// decides whether a scenario path names something that can be read (`Err` says what was
/// expected), since only the caller knows where paths lead.
pub fn read_tournament_config(
    name: &str,
    text: &str,
    scenario: &dyn Fn(&str) -> std::result::Result<(), String>,
) -> Result<TournamentSettings> {
    let strategy = |s: &str| {
        StrategySpec::parse(s)
            .map(|_| ())
            .map_err(|e| format!("a valid strategy ({e})"))
    };
    let checks = TournamentChecks {
        strategy: &strategy,
        scenario,
    };
    let file = read_file(text, name, &checks)?;
    Ok(TournamentSettings {
        scenarios: file.scenarios.into_iter().map(|p| p.value).collect(),
        strategies: file.strategies,
        out: file.out.map(|p| p.value),
        repetitions: file.repetitions,
        seed: file.seed,
        threads: file.threads,
        max_negotiations: file.max_negotiations,
        protocol: file.protocol,
        mediator: file.mediator,
        rounds: file.rounds,
        time_limit: file.time_limit,
        discounting: file.discount,
        normalization: file.normalization,
        normalize_weights: file.normalize_weights,
        max_outcomes: file.max_outcomes,
    })
}

/// Reads a tournament config file (`--config`) with [`read_tournament_config`], its relative
/// paths resolved against the file's folder: scenario paths must lead to something, and come
/// back (with `out`) as paths from where the caller runs.
pub fn read_tournament_config_file(path: &Path) -> Result<TournamentSettings> {
    let text = crate::fs::read_text(path, "config file")?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let exists = |s: &str| {
        let p = base.join(s);
        if p.exists() {
            Ok(())
        } else {
            Err(format!(
                "a scenario file or folder (nothing at {})",
                p.display()
            ))
        }
    };
    let mut file = read_tournament_config(&path.display().to_string(), &text, &exists)?;
    let rebase = |s: &String| base.join(s).display().to_string();
    file.scenarios = file.scenarios.iter().map(rebase).collect();
    file.out = file.out.as_ref().map(rebase);
    Ok(file)
}

/// A tournament's settings once merged: the scenarios to read, where the tables go, and the
/// request.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentSetup {
    /// The scenarios, as named by the settings that gave them.
    pub scenarios: Vec<String>,
    /// Where the caller writes the tables.
    pub out: String,
    /// Everything else.
    pub request: TournamentRequest,
}

/// `choices` laid over `file` laid over [`TournamentRequest::DEFAULT`]: a caller's scenarios
/// or strategies replace the file's list. An error naming what neither gives among the
/// scenarios, the strategies and `out`.
pub fn merge_tournament(
    choices: &TournamentSettings,
    file: &TournamentSettings,
) -> Result<TournamentSetup> {
    let list = |a: &Vec<String>, b: &Vec<String>| if a.is_empty() { b.clone() } else { a.clone() };
    let scenarios = list(&choices.scenarios, &file.scenarios);
    let strategies = list(&choices.strategies, &file.strategies);
    let out = choices.out.clone().or_else(|| file.out.clone());
    let (Some(out), false, false) = (out, scenarios.is_empty(), strategies.is_empty()) else {
        let mut missing = Vec::new();
        if scenarios.is_empty() {
            missing.push("`scenarios`");
        }
        if strategies.is_empty() {
            missing.push("`strategies`");
        }
        if choices.out.is_none() && file.out.is_none() {
            missing.push("`out`");
        }
        return Err(Error::bad_input(format!(
            "no {} given, in the request or in the tournament's configuration file",
            missing.join(", "),
        ))
        .with_remedy("config"));
    };
    let d = TournamentRequest::DEFAULT;
    let s = d.settings;
    Ok(TournamentSetup {
        scenarios,
        out,
        request: TournamentRequest {
            strategies,
            repetitions: choices
                .repetitions
                .or(file.repetitions)
                .unwrap_or(d.repetitions),
            seed: choices.seed.or(file.seed).unwrap_or(d.seed),
            threads: choices.threads.or(file.threads).or(d.threads),
            max_negotiations: choices
                .max_negotiations
                .or(file.max_negotiations)
                .unwrap_or(d.max_negotiations),
            settings: SimSettings {
                protocol: choices.protocol.or(file.protocol).unwrap_or(s.protocol),
                mediator: choices.mediator.or(file.mediator).unwrap_or(s.mediator),
                rounds: choices.rounds.or(file.rounds).unwrap_or(s.rounds),
                time_limit: choices.time_limit.or(file.time_limit).or(s.time_limit),
                discounting: choices
                    .discounting
                    .or(file.discounting)
                    .unwrap_or(s.discounting),
                normalization: choices
                    .normalization
                    .or(file.normalization)
                    .unwrap_or(s.normalization),
                normalize_weights: choices.normalize_weights == Some(true)
                    || file.normalize_weights == Some(true)
                    || s.normalize_weights,
                max_outcomes: choices
                    .max_outcomes
                    .or(file.max_outcomes)
                    .unwrap_or(s.max_outcomes),
            },
        },
    })
}

/// How to run a tournament. [`TournamentRequest::DEFAULT`] holds what `concord tournament`
/// does with neither flags nor a config file (the strategies must be given).
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentRequest {
    /// The strategy specs, as `--strategies` takes them (one alone means self-play).
    pub strategies: Vec<String>,
    /// How many times each assignment of strategies to parties is played, at least 1.
    pub repetitions: usize,
    /// The seed of every negotiation's random stream.
    pub seed: u64,
    /// Threads to use, from 1 to [`MAX_THREADS`] (none: all cores).
    pub threads: Option<usize>,
    /// Refuse tournaments of more negotiations than this (an error of kind limit).
    pub max_negotiations: u64,
    /// Protocol, deadline, discounting, reading.
    pub settings: SimSettings,
}

impl TournamentRequest {
    /// The defaults.
    pub const DEFAULT: TournamentRequest = TournamentRequest {
        strategies: Vec::new(),
        repetitions: 1,
        seed: 0,
        threads: None,
        max_negotiations: 10_000_000,
        settings: SimSettings::DEFAULT,
    };

    /// Refuses settings out of range and strategies that do not parse (before any scenario is
    /// read).
    pub fn check(&self) -> Result<()> {
        self.strategies().map(drop)
    }

    /// Checks every setting but the strategies.
    fn check_settings(&self) -> Result<()> {
        self.settings.check()?;
        if self.repetitions == 0 {
            return Err(crate::simulate::request_error(
                "repetitions",
                "0".into(),
                "no negotiation to run",
                "at least 1",
            ));
        }
        Ok(())
    }

    /// The strategies, parsed, once every setting is checked.
    fn strategies(&self) -> Result<Vec<StrategySpec>> {
        self.check_settings()?;
        let strategies: Vec<StrategySpec> = self
            .strategies
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| StrategySpec::parse(s).map_err(from_sim))
            .collect::<Result<_>>()?;
        if strategies.is_empty() {
            return Err(crate::simulate::request_error(
                "strategies",
                self.strategies.join(","),
                "names no strategy",
                "strategy names separated by commas",
            ));
        }
        Ok(strategies)
    }
}

impl Default for TournamentRequest {
    fn default() -> Self {
        TournamentRequest::DEFAULT
    }
}

/// A tournament set up: scenarios read and indexed, negotiations planned.
#[derive(Debug, Clone)]
pub struct PreparedTournament {
    scenarios: Vec<Scenario>,
    entries: Vec<Entry>,
    strategies: Vec<Arc<dyn MakeStrategy>>,
    jobs: Vec<Job>,
    config: TournamentConfig,
    threads: Option<usize>,
}

impl PreparedTournament {
    /// The negotiations planned.
    pub fn planned(&self) -> usize {
        self.jobs.len()
    }

    /// The deadline of each, in rounds.
    pub fn rounds(&self) -> usize {
        self.config.sim.rounds
    }
}

/// Sets a tournament up: checks the request, reads and indexes each scenario (named in the
/// results by its name's stem, `#2`, `#3` … after a repeated stem) and plans every
/// negotiation.
pub fn prepare_tournament(
    scenarios: &[ScenarioInput],
    request: &TournamentRequest,
    control: &Control,
) -> Result<PreparedTournament> {
    let strategies = request
        .strategies()?
        .into_iter()
        .map(|s| Arc::new(s) as Arc<dyn MakeStrategy>)
        .collect();
    prepare(scenarios, request, strategies, control)
}

/// [`prepare_tournament`] with the strategies given as makers instead of
/// `request.strategies`' names: built-in ones ([`StrategySpec`]) beside strategies made
/// outside Concord (a Python class, through the bindings), in the order given.
pub fn prepare_tournament_with(
    scenarios: &[ScenarioInput],
    request: &TournamentRequest,
    strategies: Vec<Arc<dyn MakeStrategy>>,
    control: &Control,
) -> Result<PreparedTournament> {
    request.check_settings()?;
    if strategies.is_empty() {
        return Err(Error::bad_input("a tournament needs at least one strategy"));
    }
    prepare(scenarios, request, strategies, control)
}

fn prepare(
    scenarios: &[ScenarioInput],
    request: &TournamentRequest,
    strategies: Vec<Arc<dyn MakeStrategy>>,
    control: &Control,
) -> Result<PreparedTournament> {
    let sim = request.settings.config(false, control)?;
    let mut read = Vec::new();
    let mut entries = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for input in scenarios {
        let (scenario, prepared) = request.settings.load(input)?;
        let reference = reference(&scenario).map_err(|e| {
            from_sim(e).context(format!(
                "cannot compute the reference points of {}",
                input.name()
            ))
        })?;
        let stem = Path::new(input.name())
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("scenario")
            .to_string();
        let seen = names.entry(stem.clone()).or_insert(0);
        *seen += 1;
        let name = if *seen == 1 {
            stem
        } else {
            format!("{stem}#{seen}")
        };
        read.push(scenario);
        entries.push(Entry {
            name,
            prepared,
            reference,
        });
    }
    let config = TournamentConfig {
        sim,
        repetitions: request.repetitions,
        seed: request.seed,
        max_negotiations: request.max_negotiations,
    };
    let jobs = plan(&entries, strategies.len(), &config).map_err(|e| match e {
        concord_sim::SimError::TooManyNegotiations { planned, limit } => Error::new(
            ErrorKind::Limit,
            format!(
                "the tournament plans {} negotiations, more than the limit of {}",
                grouped(planned),
                grouped(u128::from(limit))
            ),
        )
        .with_remedy("max_negotiations"),
        other => from_sim(other),
    })?;
    Ok(PreparedTournament {
        scenarios: read,
        entries,
        strategies,
        jobs,
        config,
        threads: request.threads,
    })
}

/// Above this many negotiations, [`run_tournament`] starts with a notice.
pub const LARGE_TOURNAMENT: usize = 1_000_000;

/// Runs a tournament set up by [`prepare_tournament`], reporting each finished negotiation as
/// progress (`negotiating`). When the token is cancelled, negotiations not yet started are
/// skipped and those under way end at their next round: the report then holds those that
/// finished and says it is partial ([`TournamentReport::interrupted`]), so that they can
/// still be written.
///
/// A tournament of more than [`LARGE_TOURNAMENT`] negotiations starts with a notice
/// ([`Control::notice`]) that it may take long and hold much memory.
pub fn run_tournament(prepared: PreparedTournament, control: &Control) -> Result<TournamentReport> {
    if let (true, Some(notice)) = (prepared.planned() > LARGE_TOURNAMENT, &control.notice) {
        notice(&format!(
            "{} negotiations of up to {} rounds planned; this may take long and hold much \
             memory (a stop keeps the negotiations finished)",
            grouped(prepared.planned() as u128),
            grouped(prepared.rounds() as u128)
        ));
    }
    let started = Instant::now();
    let rows = run_tournament_part(&prepared, 0..prepared.jobs.len(), control)?;
    Ok(finish_tournament(
        prepared,
        rows,
        control.is_cancelled(),
        started.elapsed(),
    ))
}

/// Runs the negotiations numbered `range` of the plan (each on its own stream of the seed, as
/// in the whole run), reporting each finished one as progress: a worker's share of a
/// tournament split among processes or machines. The rows of consecutive parts, put end to
/// end, are the rows of [`run_tournament`]; [`finish_tournament`] makes the report of them.
/// When the token is cancelled, the rows are those of the negotiations that finished.
pub fn run_tournament_part(
    prepared: &PreparedTournament,
    range: Range<usize>,
    control: &Control,
) -> Result<Vec<Row>> {
    let all = prepared.jobs.len();
    if range.start > range.end || range.end > all {
        return Err(Error::bad_input(format!(
            "negotiations {}..{} are not within the {all} planned",
            range.start, range.end
        )));
    }
    if prepared.threads.is_some_and(|t| t == 0 || t > MAX_THREADS) {
        return Err(crate::simulate::request_error(
            "threads",
            prepared.threads.unwrap_or_default().to_string(),
            "out of range",
            format!("a number of threads from 1 to {MAX_THREADS}"),
        ));
    }
    let total = range.len();
    let done = AtomicUsize::new(0);
    let tick = || {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(p) = &control.progress {
            p(Progress {
                task: "negotiating",
                done: n,
                total,
            });
        }
    };
    let mut config = prepared.config.clone();
    config.sim.stop = Some(control.cancel.shared());
    tournament::run_tournament_on_from(
        prepared.threads,
        &prepared.entries,
        &prepared.strategies,
        &prepared.jobs[range.clone()],
        range.start,
        &config,
        &tick,
    )
    .map_err(from_sim)
}

/// The report of a tournament from its rows, in plan order (those of [`run_tournament_part`]
/// put end to end); `interrupted` says whether some planned negotiations did not run.
pub fn finish_tournament(
    prepared: PreparedTournament,
    rows: Vec<Row>,
    interrupted: bool,
    elapsed: Duration,
) -> TournamentReport {
    let summary = summarize(&rows, &prepared.strategies);
    TournamentReport {
        scenarios: prepared.scenarios,
        entries: prepared.entries,
        strategies: prepared.strategies,
        planned: prepared.jobs.len(),
        repetitions: prepared.config.repetitions,
        interrupted,
        rows,
        summary,
        elapsed,
    }
}

/// Sets up and runs a tournament ([`prepare_tournament`], then [`run_tournament`]).
pub fn tournament(
    scenarios: &[ScenarioInput],
    request: &TournamentRequest,
    control: &Control,
) -> Result<TournamentReport> {
    run_tournament(prepare_tournament(scenarios, request, control)?, control)
}

/// The answer of [`tournament()`]: a row per negotiation finished, a summary per strategy.
#[derive(Debug, Clone)]
pub struct TournamentReport {
    /// The scenarios, in the order given.
    pub scenarios: Vec<Scenario>,
    /// Each scenario's name in the results, indexed outcome space and reference points.
    pub entries: Vec<Entry>,
    /// The strategies, in the order given.
    pub strategies: Vec<Arc<dyn MakeStrategy>>,
    /// The negotiations finished, in plan order.
    pub rows: Vec<Row>,
    /// One summary per strategy.
    pub summary: Vec<Summary>,
    /// The negotiations planned.
    pub planned: usize,
    /// How many times each assignment was to be played.
    pub repetitions: usize,
    /// Whether the token stopped it: the rows are then those of the negotiations finished.
    pub interrupted: bool,
    /// How long the negotiations took.
    pub elapsed: Duration,
}

impl TournamentReport {
    /// The headline and the summary per strategy, as text.
    pub fn text(&self) -> String {
        // Every (scenario, assignment) pair is played `repetitions` times.
        let assignments = self.planned / self.repetitions.max(1);
        // Numbers grouped, as every report groups them.
        let plural =
            |n: usize, word: &str| concord_report::layout::counted(n, word, &format!("{word}s"));
        let breakdown = if self.entries.len() == 1 {
            format!(
                "1 scenario × {}",
                plural(assignments, "strategy assignment")
            )
        } else {
            format!(
                "{} with {} in all",
                plural(self.entries.len(), "scenario"),
                plural(assignments, "strategy assignment")
            )
        };
        let elapsed = self.elapsed.as_secs_f64();
        // The timing on a line of its own, so that no figure is parted from its unit.
        let mut out = format!(
            "{} ({breakdown} × {})\nTook {}, {} a negotiation.\n\n",
            // Interrupted, the plan's product is not the count: say both.
            if self.rows.len() == self.planned {
                plural(self.rows.len(), "negotiation")
            } else {
                format!(
                    "{} of {} planned negotiations",
                    grouped(self.rows.len() as u128),
                    grouped(self.planned as u128)
                )
            },
            plural(self.repetitions, "repetition"),
            duration_words(elapsed),
            duration_words(elapsed / self.rows.len().max(1) as f64)
        );
        out.push_str(&summary_text(&self.summary));
        out
    }

    /// What an interrupted tournament says of its results, `None` when it finished.
    pub fn partial_note(&self) -> Option<String> {
        self.interrupted.then(|| {
            format!(
                "Interrupted: partial results, {} of {} planned negotiations finished",
                grouped(self.rows.len() as u128),
                grouped(self.planned as u128)
            )
        })
    }

    /// The tables to write, by name: `negotiations` and `summary`.
    pub fn tables(&self) -> [(&'static str, Table); 2] {
        [
            ("negotiations", self.negotiations_table()),
            ("summary", self.summary_table()),
        ]
    }

    /// The tables as the files `concord tournament --out` writes, `(file name, bytes)`: each as
    /// `NAME.csv` and `NAME.parquet`, in the order of [`TournamentReport::tables`].
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let mut files = Vec::new();
        for (name, table) in self.tables() {
            files.push((format!("{name}.csv"), table.to_csv().into_bytes()));
            let parquet = table.to_parquet(name).map_err(|e| {
                Error::new(
                    ErrorKind::Internal,
                    format!("cannot encode {name}.parquet: {e}"),
                )
            })?;
            files.push((format!("{name}.parquet"), parquet));
        }
        Ok(files)
    }

    /// One row per negotiation, with per-party columns up to the largest number of parties.
    /// The types do not depend on the results: columns that can be undefined are always
    /// nullable.
    pub fn negotiations_table(&self) -> Table {
        let (entries, rows) = (&self.entries, &self.rows);
        let width = entries
            .iter()
            .map(|e| e.prepared.own.len())
            .max()
            .unwrap_or(0);
        let text = |f: &dyn Fn(&Row) -> Option<String>| Cells::Text(rows.iter().map(f).collect());
        let float = |f: &dyn Fn(&Row) -> Option<f64>| Cells::Float(rows.iter().map(f).collect());
        let int = |x: usize| Some(i64::try_from(x).unwrap_or(i64::MAX));
        let mut columns = vec![
            Column::new(
                "scenario",
                text(&|r| Some(entries[r.job.scenario].name.clone())),
            ),
            Column::new(
                "repetition",
                Cells::Int(rows.iter().map(|r| int(r.job.repetition)).collect()),
            ),
            Column::new(
                "agreement",
                Cells::Bool(rows.iter().map(|r| Some(r.agreement)).collect()),
            ),
            Column::new(
                "rounds",
                Cells::Int(rows.iter().map(|r| int(r.rounds)).collect()),
            ),
            Column::new(
                "package",
                text(&|r| {
                    r.outcome.map(|o| {
                        package_pairs(
                            &self.scenarios[r.job.scenario],
                            &entries[r.job.scenario].prepared,
                            o,
                        )
                        .iter()
                        .map(|(i, o)| format!("{i}={o}"))
                        .collect::<Vec<_>>()
                        .join(";")
                    })
                }),
            )
            .nullable(),
            Column::new("welfare", float(&|r| Some(r.welfare))),
            Column::new("distance_pareto", float(&|r| r.pareto)).nullable(),
            Column::new("distance_nash", float(&|r| r.nash)).nullable(),
            Column::new("distance_ks", float(&|r| r.ks)).nullable(),
        ];
        for k in 0..width {
            let seat = |r: &Row| r.job.assignment.get(k).copied();
            columns.push(
                Column::new(
                    format!("party_{}", k + 1),
                    text(&|r| seat(r).map(|_| entries[r.job.scenario].prepared.ids[k].clone())),
                )
                .nullable(),
            );
            columns.push(
                Column::new(
                    format!("strategy_{}", k + 1),
                    text(&|r| seat(r).map(|s| self.strategies[s].name().to_string())),
                )
                .nullable(),
            );
            columns.push(
                Column::new(
                    format!("utility_{}", k + 1),
                    float(&|r| seat(r).map(|_| r.utilities[k])),
                )
                .nullable(),
            );
            columns.push(
                Column::new(
                    format!("advantage_{}", k + 1),
                    float(&|r| seat(r).map(|_| r.advantages[k])),
                )
                .nullable(),
            );
        }
        Table::new(columns).expect("every column has one cell per row and nullable where needed")
    }

    /// One row per strategy.
    pub fn summary_table(&self) -> Table {
        let summary = &self.summary;
        let float =
            |f: &dyn Fn(&Summary) -> Option<f64>| Cells::Float(summary.iter().map(f).collect());
        Table::new(vec![
            Column::new(
                "strategy",
                Cells::Text(summary.iter().map(|s| Some(s.strategy.clone())).collect()),
            ),
            Column::new(
                "seats",
                Cells::Int(
                    summary
                        .iter()
                        .map(|s| Some(i64::try_from(s.seats).unwrap_or(i64::MAX)))
                        .collect(),
                ),
            ),
            Column::new("agreement_rate", float(&|s| Some(s.agreement_rate))),
            Column::new("mean_utility", float(&|s| Some(s.mean_utility))),
            Column::new("mean_advantage", float(&|s| Some(s.mean_advantage))),
            Column::new("mean_welfare", float(&|s| Some(s.mean_welfare))),
            Column::new("mean_distance_pareto", float(&|s| s.mean_pareto)).nullable(),
            Column::new("mean_distance_nash", float(&|s| s.mean_nash)).nullable(),
            Column::new("mean_rounds", float(&|s| Some(s.mean_rounds))),
        ])
        .expect("every column has one cell per strategy and nullable where needed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn water() -> ScenarioInput {
        ScenarioInput::toml(
            "water-sharing.toml",
            include_str!("../../../examples/water-sharing.toml"),
        )
    }

    #[test]
    fn parts_put_end_to_end_give_the_whole_run() {
        let request = TournamentRequest {
            strategies: vec!["random".into(), "boulware".into(), "tit-for-tat".into()],
            repetitions: 3,
            seed: 9,
            ..TournamentRequest::DEFAULT
        };
        let control = Control::default();
        let prepared = prepare_tournament(&[water()], &request, &control).unwrap();
        let whole = run_tournament(prepared.clone(), &control).unwrap();
        let n = prepared.planned();
        let mut rows = run_tournament_part(&prepared, 0..7, &control).unwrap();
        rows.extend(run_tournament_part(&prepared, 7..n, &control).unwrap());
        let parts = finish_tournament(prepared.clone(), rows, false, Duration::ZERO);
        assert_eq!(parts.rows, whole.rows);
        assert_eq!(parts.summary, whole.summary);
        assert_eq!(parts.tables(), whole.tables());
        assert!(run_tournament_part(&prepared, 3..n + 1, &control).is_err());
    }

    #[test]
    fn a_config_file_s_paths_are_read_from_its_folder() {
        let dir = std::env::temp_dir().join(format!("concord-api-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("scenarios")).unwrap();
        std::fs::write(dir.join("scenarios/a.toml"), "").unwrap();
        let config = dir.join("tournament.toml");
        std::fs::write(
            &config,
            "scenarios = [\"scenarios/a.toml\"]\nstrategies = [\"linear\"]\nout = \"results\"\n",
        )
        .unwrap();
        let file = read_tournament_config_file(&config).unwrap();
        let from = |p: &str| dir.join(p).display().to_string();
        assert_eq!(file.scenarios, vec![from("scenarios/a.toml")]);
        assert_eq!(file.out, Some(from("results")));
        assert_eq!(file.strategies, vec!["linear".to_string()]);
        std::fs::write(&config, "scenarios = [\"b.toml\"]\n").unwrap();
        let e = read_tournament_config_file(&config).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(
            e.message()
                .contains(&format!("nothing at {}", from("b.toml"))),
            "{e}"
        );
        let e = read_tournament_config_file(&dir.join("none.toml")).unwrap_err();
        assert!(e.message().starts_with("cannot read config file "), "{e}");
    }

    #[test]
    fn the_files_are_each_table_as_csv_and_parquet() {
        let request = TournamentRequest {
            strategies: vec!["linear".into()],
            ..TournamentRequest::DEFAULT
        };
        let report = tournament(&[water()], &request, &Control::default()).unwrap();
        let files = report.files().unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "negotiations.csv",
                "negotiations.parquet",
                "summary.csv",
                "summary.parquet"
            ]
        );
        assert_eq!(files[2].1, report.summary_table().to_csv().into_bytes());
        assert!(files[1].1.starts_with(b"PAR1"));
    }

    #[test]
    fn makers_in_the_order_given_play_as_the_names_do() {
        let request = TournamentRequest {
            strategies: vec!["linear".into(), "conceder".into()],
            ..TournamentRequest::DEFAULT
        };
        let control = Control::default();
        let named = tournament(&[water()], &request, &control).unwrap();
        let makers: Vec<Arc<dyn MakeStrategy>> = ["linear", "conceder"]
            .iter()
            .map(|s| Arc::new(StrategySpec::parse(s).unwrap()) as Arc<dyn MakeStrategy>)
            .collect();
        let prepared = prepare_tournament_with(&[water()], &request, makers, &control).unwrap();
        let made = run_tournament(prepared, &control).unwrap();
        assert_eq!(made.tables(), named.tables());
        let none = prepare_tournament_with(&[water()], &request, Vec::new(), &control);
        assert!(none.is_err());
    }
}

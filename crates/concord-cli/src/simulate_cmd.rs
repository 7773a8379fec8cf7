//! `concord simulate` (one negotiation between strategies, round by round) and
//! `concord tournament` (every combination of strategies and scenarios, repeated, in parallel,
//! written to CSV). Arguments → checked options → `concord_sim` calls → reports. Glue only.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use clap::{Args, ValueEnum};
use concord_core::model::Scenario;
use concord_format::genius::Normalization;
use concord_format::scenario::ReadOptions;
use concord_format::table::{Cells, Column, Table};
use concord_format::tournament::{read_tournament_config, TournamentChecks, TournamentFile};
use concord_format::FormatError;
use concord_sim::metrics::{reference, Reference};
use concord_sim::protocol::{
    run_seeded, Action, Discounting, End, Protocol, SimConfig, SimResult, SingleTextMode,
    MAX_ROUNDS, MAX_THREADS, MAX_TIME_LIMIT_SECS,
};
use concord_sim::space::{prepare, OutcomeId, PrepareConfig, Prepared};
use concord_sim::strategy::StrategySpec;
use concord_sim::tournament::{self, plan, summarize, Entry, Row, TournamentConfig};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};

use crate::common::{emit, load_any, print_json, BadInput};
use crate::interactive;

/// The protocol to run.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProtocolArg {
    /// Stacked alternating offers.
    Sao,
    /// The mediated single negotiating text.
    SingleText,
}

/// How the single-text mediator moves.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MediatorArg {
    /// A candidate replaces the text unless someone prefers the current one (VetoST).
    Veto,
    /// A candidate replaces the text when nobody prefers the current one and someone prefers
    /// it (HillClimbingST).
    HillClimbing,
}

/// Discounting of agreements by the scenario's discount factors.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiscountArg {
    /// None.
    Off,
    /// u·d^round (round 0-based).
    PerRound,
    /// u·d^t with t the relative time (Genius).
    RelativeTime,
}

/// How to scale the evaluations of a Genius folder.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NormalizationArg {
    /// Each issue's largest evaluation is 1 (Genius).
    Genius,
    /// As written (NegMAS).
    Raw,
}

/// Options shared by both commands.
#[derive(Args)]
pub struct SimOptions {
    /// The protocol.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Sao)]
    pub protocol: ProtocolArg,
    /// How the single-text mediator moves.
    #[arg(long, value_enum, default_value_t = MediatorArg::Veto)]
    pub mediator: MediatorArg,
    /// The deadline in rounds. A round is one turn of every negotiating party (NegMAS's step).
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub rounds: usize,
    /// An optional wall-clock limit per negotiation, in seconds (results then depend on speed).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Discount agreements by the scenario's discount factors.
    #[arg(long, value_enum, default_value_t = DiscountArg::Off)]
    pub discount: DiscountArg,
    /// How to scale the evaluations of a Genius folder.
    #[arg(long, value_enum, default_value_t = NormalizationArg::Genius)]
    pub normalization: NormalizationArg,
    /// Divide each party's weights by their sum instead of refusing weights that do not sum to 1.
    #[arg(long)]
    pub normalize_weights: bool,
    /// The largest outcome space indexed (each party keeps 20 bytes per outcome).
    #[arg(long, default_value_t = 5_000_000, value_name = "N")]
    pub max_outcomes: u64,
}

impl SimOptions {
    fn config(&self, trace: bool) -> Result<SimConfig, BadInput> {
        if self.rounds == 0 || self.rounds > MAX_ROUNDS {
            return Err(BadInput(anyhow!(
                "--rounds must be from 1 to {MAX_ROUNDS}, not {}",
                self.rounds
            )));
        }
        let time_limit = match self.time_limit {
            None => None,
            Some(s) if s.is_finite() && s > 0.0 && s <= MAX_TIME_LIMIT_SECS => {
                Some(Duration::from_secs_f64(s))
            }
            Some(s) => {
                return Err(BadInput(anyhow!(
                    "--time-limit must be a positive number of seconds, at most {MAX_TIME_LIMIT_SECS:e}, not {s}"
                )))
            }
        };
        Ok(SimConfig {
            protocol: match self.protocol {
                ProtocolArg::Sao => Protocol::Sao,
                ProtocolArg::SingleText => Protocol::SingleText(match self.mediator {
                    MediatorArg::Veto => SingleTextMode::Veto,
                    MediatorArg::HillClimbing => SingleTextMode::HillClimbing,
                }),
            },
            rounds: self.rounds,
            time_limit,
            discounting: match self.discount {
                DiscountArg::Off => Discounting::Off,
                DiscountArg::PerRound => Discounting::PerRound,
                DiscountArg::RelativeTime => Discounting::RelativeTime,
            },
            trace,
            stop: Some(interactive::stop_handle()),
        })
    }

    fn load(&self, path: &Path) -> Result<(Scenario, Prepared), BadInput> {
        let loaded = load_any(
            path,
            &ReadOptions {
                normalize_weights: self.normalize_weights,
            },
            match self.normalization {
                NormalizationArg::Genius => Normalization::Genius,
                NormalizationArg::Raw => Normalization::Raw,
            },
        )?;
        let prepared = prepare(
            &loaded.scenario,
            &PrepareConfig {
                max_outcomes: self.max_outcomes,
            },
        )
        .with_context(|| format!("cannot simulate {}", path.display()))?;
        Ok((loaded.scenario, prepared))
    }
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
    #[arg(long, default_value_t = 0)]
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
    /// How many times each assignment of strategies to parties is played [default: 1].
    #[arg(long, value_name = "R")]
    pub repetitions: Option<usize>,
    /// Where to write `negotiations.csv`/`.parquet` and `summary.csv`/`.parquet` (created if
    /// missing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The seed of every negotiation's random stream [default: 0].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Threads to use [default: all cores].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Refuse tournaments of more negotiations than this [default: 10000000].
    #[arg(long, value_name = "N")]
    pub max_negotiations: Option<u64>,
    /// The protocol [default: sao].
    #[arg(long, value_enum)]
    pub protocol: Option<ProtocolArg>,
    /// How the single-text mediator moves [default: veto].
    #[arg(long, value_enum)]
    pub mediator: Option<MediatorArg>,
    /// The deadline in rounds; a round is one turn of every negotiating party (NegMAS's step)
    /// [default: 100].
    #[arg(long, value_name = "N")]
    pub rounds: Option<usize>,
    /// An optional wall-clock limit per negotiation, in seconds (results then depend on speed).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Discount agreements by the scenario's discount factors [default: off].
    #[arg(long, value_enum)]
    pub discount: Option<DiscountArg>,
    /// How to scale the evaluations of a Genius folder [default: genius].
    #[arg(long, value_enum)]
    pub normalization: Option<NormalizationArg>,
    /// Divide each party's weights by their sum instead of refusing weights that do not sum to 1.
    #[arg(long)]
    pub normalize_weights: bool,
    /// The largest outcome space indexed (each party keeps 20 bytes per outcome)
    /// [default: 5000000].
    #[arg(long, value_name = "N")]
    pub max_outcomes: Option<u64>,
}

/// A tournament's settings once the config file and the flags are merged.
struct TournamentPlan {
    scenarios: Vec<PathBuf>,
    strategies: Vec<String>,
    repetitions: usize,
    out: PathBuf,
    seed: u64,
    threads: Option<usize>,
    max_negotiations: u64,
    options: SimOptions,
}

/// A value of a config file's enumeration, as the flag's type.
fn enum_value<T: ValueEnum>(value: Option<String>) -> Option<T> {
    value.map(|v| T::from_str(&v, false).expect("the reader accepts only the flag's values"))
}

/// Reads the config file (if any) and lays the flags over it.
fn tournament_plan(args: &TournamentArgs) -> Result<TournamentPlan, BadInput> {
    let mut file = TournamentFile::default();
    let mut base = PathBuf::new();
    if let Some(path) = &args.config {
        let text = crate::common::read_text(path, "config file")?;
        base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let strategy = |s: &str| {
            StrategySpec::parse(s)
                .map(|_| ())
                .map_err(|e| format!("a valid strategy ({e})"))
        };
        let scenario = |s: &str| {
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
        let checks = TournamentChecks {
            strategy: &strategy,
            scenario: &scenario,
        };
        file = read_tournament_config(&text, &path.display().to_string(), &checks).map_err(
            |e| match e {
                // The diagnostics already name the file on every line.
                FormatError::Invalid(d) => BadInput(anyhow!("{}", d.to_string().trim_end())),
                other => BadInput(other.into()),
            },
        )?;
    }
    let scenarios = if args.scenarios.is_empty() {
        file.scenarios.iter().map(|p| base.join(&p.value)).collect()
    } else {
        args.scenarios.clone()
    };
    let strategies = if args.strategies.is_empty() {
        file.strategies.clone()
    } else {
        args.strategies.clone()
    };
    let out = args
        .out
        .clone()
        .or_else(|| file.out.as_ref().map(|p| base.join(&p.value)));
    let (Some(out), false, false) = (out, scenarios.is_empty(), strategies.is_empty()) else {
        let mut missing = Vec::new();
        if scenarios.is_empty() {
            missing.push("--scenarios");
        }
        if strategies.is_empty() {
            missing.push("--strategies");
        }
        if args.out.is_none() && file.out.is_none() {
            missing.push("--out");
        }
        return Err(BadInput(anyhow!(
            "no {} given: pass {} or set {} in a --config file",
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" },
            missing
                .iter()
                .map(|m| format!("`{}`", m.trim_start_matches('-')))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    Ok(TournamentPlan {
        scenarios,
        strategies,
        repetitions: args.repetitions.or(file.repetitions).unwrap_or(1),
        out,
        seed: args.seed.or(file.seed).unwrap_or(0),
        threads: args.threads.or(file.threads),
        max_negotiations: args
            .max_negotiations
            .or(file.max_negotiations)
            .unwrap_or(10_000_000),
        options: SimOptions {
            protocol: args
                .protocol
                .or(enum_value(file.protocol))
                .unwrap_or(ProtocolArg::Sao),
            mediator: args
                .mediator
                .or(enum_value(file.mediator))
                .unwrap_or(MediatorArg::Veto),
            rounds: args.rounds.or(file.rounds).unwrap_or(100),
            time_limit: args.time_limit.or(file.time_limit),
            discount: args
                .discount
                .or(enum_value(file.discount))
                .unwrap_or(DiscountArg::Off),
            normalization: args
                .normalization
                .or(enum_value(file.normalization))
                .unwrap_or(NormalizationArg::Genius),
            normalize_weights: args.normalize_weights || file.normalize_weights == Some(true),
            max_outcomes: args.max_outcomes.or(file.max_outcomes).unwrap_or(5_000_000),
        },
    })
}

/// Runs `concord simulate`.
pub fn run_simulate(args: &SimulateArgs) -> Result<ExitCode, BadInput> {
    let config = args.options.config(args.trace)?;
    let (scenario, prepared) = args.options.load(&args.scenario)?;
    let specs = assign(
        &scenario,
        &prepared,
        &args.strategies,
        args.default_strategy.as_deref(),
    )?;
    let reference = reference(&scenario).context("cannot compute the reference points")?;
    let mut players: Vec<_> = specs.iter().map(|s| s.build()).collect();
    let started = Instant::now();
    let result = run_seeded(&prepared, &mut players, &config, args.seed);
    let elapsed = started.elapsed();
    if result.end == End::Stopped {
        eprintln!(
            "interrupted in round {} of {}",
            result.rounds + 1,
            config.rounds
        );
        return Ok(ExitCode::from(130));
    }
    let report = Report {
        scenario: &scenario,
        prepared: &prepared,
        specs: &specs,
        config: &config,
        seed: args.seed,
        result: &result,
        reference: &reference,
        elapsed,
    };
    if args.json {
        print_json(&report.json());
    } else {
        emit(&report.text());
    }
    Ok(if result.agreement.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Resolves `PARTY=NAME` pairs to one strategy per negotiating party.
fn assign(
    scenario: &Scenario,
    prepared: &Prepared,
    pairs: &[String],
    default: Option<&str>,
) -> Result<Vec<StrategySpec>, BadInput> {
    let mut chosen: Vec<Option<StrategySpec>> = vec![None; prepared.own.len()];
    for pair in pairs {
        let (party, name) = pair
            .split_once('=')
            .ok_or_else(|| anyhow!("--strategy `{pair}` is not of the form PARTY=NAME"))?;
        let slot = match prepared.slot_of(party.trim()) {
            Some(slot) => slot,
            None => {
                let known = prepared.ids.join(", ");
                let hint = if scenario.parties.iter().any(|p| p.id == party.trim()) {
                    format!(
                        "party `{}` does not negotiate: its consent is not needed",
                        party.trim()
                    )
                } else {
                    format!("unknown party `{}`", party.trim())
                };
                return Err(BadInput(anyhow!(
                    "{hint}; the negotiating parties are: {known}"
                )));
            }
        };
        if chosen[slot].is_some() {
            return Err(BadInput(anyhow!(
                "party `{}` is given two strategies",
                party.trim()
            )));
        }
        chosen[slot] = Some(StrategySpec::parse(name)?);
    }
    let default = default.map(StrategySpec::parse).transpose()?;
    let missing: Vec<&str> = chosen
        .iter()
        .zip(&prepared.ids)
        .filter(|(c, _)| c.is_none())
        .map(|(_, id)| id.as_str())
        .collect();
    if !missing.is_empty() && default.is_none() {
        return Err(BadInput(anyhow!(
            "no strategy for {}: give --strategy PARTY=NAME for each negotiating party, or --default-strategy NAME",
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(chosen
        .into_iter()
        .map(|c| c.or_else(|| default.clone()).expect("checked above"))
        .collect())
}

struct Report<'a> {
    scenario: &'a Scenario,
    prepared: &'a Prepared,
    specs: &'a [StrategySpec],
    config: &'a SimConfig,
    seed: u64,
    result: &'a SimResult,
    reference: &'a Reference,
    elapsed: Duration,
}

fn protocol_name(config: &SimConfig) -> &'static str {
    match config.protocol {
        Protocol::Sao => "sao",
        Protocol::SingleText(SingleTextMode::Veto) => "single-text/veto",
        Protocol::SingleText(SingleTextMode::HillClimbing) => "single-text/hill-climbing",
    }
}

fn end_name(end: End) -> &'static str {
    match end {
        End::Agreement => "agreement",
        End::Deadline => "deadline",
        End::TimeLimit => "time-limit",
        End::WalkedAway(_) => "walked-away",
        End::Vetoed(_) => "vetoed",
        End::Stopped => "stopped",
    }
}

/// `issue=option` pairs of an outcome.
fn package_pairs(scenario: &Scenario, prepared: &Prepared, id: OutcomeId) -> Vec<(String, String)> {
    prepared
        .space
        .package(id)
        .iter()
        .zip(&scenario.issues)
        .map(|(&o, issue)| (issue.id.clone(), issue.options[o].id.clone()))
        .collect()
}

fn package_text(scenario: &Scenario, prepared: &Prepared, id: OutcomeId) -> String {
    package_pairs(scenario, prepared, id)
        .iter()
        .map(|(i, o)| format!("{i}={o}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!(v))
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a (empty zone)".to_string(), |v| format!("{v:.4}"))
}

impl Report<'_> {
    fn ended_by(&self) -> Option<&str> {
        match self.result.end {
            End::WalkedAway(p) | End::Vetoed(p) => Some(&self.prepared.ids[p]),
            _ => None,
        }
    }

    fn json(&self) -> Value {
        let (r, p, s) = (self.result, self.prepared, self.scenario);
        let d = self.reference.distances(&r.utilities);
        let parties: Vec<Value> = (0..p.own.len())
            .map(|k| {
                json!({
                    "id": p.ids[k],
                    "strategy": self.specs[k].name,
                    "utility": r.utilities[k],
                    "discounted_utility": r.discounted[k],
                    "reservation": p.own[k].reservation(),
                    "advantage": r.discounted[k] - p.own[k].reservation(),
                })
            })
            .collect();
        let mut report = json!({
            "schema": "concord.simulate/1",
            "scenario": s.id,
            "protocol": protocol_name(self.config),
            "rounds_allowed": self.config.rounds,
            "seed": self.seed,
            "agreement": r.agreement.is_some(),
            "end": end_name(r.end),
            "ended_by": self.ended_by(),
            "package": r.agreement.map(|o| {
                package_pairs(s, p, o).into_iter().map(|(i, o)| (i, Value::String(o))).collect::<serde_json::Map<_, _>>()
            }),
            "rounds": r.rounds,
            "relative_time": r.time,
            "offers": r.offers,
            "parties": parties,
            "welfare": r.discounted.iter().sum::<f64>(),
            "distances": {
                "metric": "euclidean",
                "pareto": opt(d.pareto),
                "nash": opt(d.nash),
                "kalai_smorodinsky": opt(d.ks),
            },
            "elapsed_seconds": self.elapsed.as_secs_f64(),
        });
        if self.config.trace {
            report["trace"] = Value::Array(r.trace.iter().map(|e| self.event_json(e)).collect());
        }
        report
    }

    fn event_json(&self, e: &concord_sim::protocol::Event) -> Value {
        let (s, p) = (self.scenario, self.prepared);
        let party = e.party.map(|k| p.ids[k].clone());
        let text = |o: OutcomeId| {
            json!({
                "package": package_pairs(s, p, o).into_iter().map(|(i, o)| (i, Value::String(o))).collect::<serde_json::Map<_, _>>(),
                "utilities": p.utilities(o),
            })
        };
        let (action, detail) = match e.action {
            Action::Offer(o) => ("offer", text(o)),
            Action::Accept(o) => ("accept", text(o)),
            Action::Walk => ("walk-away", json!({})),
            Action::Candidate {
                text: o,
                moved,
                vetoes,
            } => {
                let mut v = text(o);
                v["moved"] = json!(moved);
                v["vetoes"] = json!(vetoes);
                ("candidate", v)
            }
            Action::Ratify(o, signed) => {
                let mut v = text(o);
                v["signed"] = json!(signed);
                ("ratify", v)
            }
        };
        let mut v = json!({"round": e.round, "time": e.time, "party": party, "action": action});
        if let (Value::Object(m), Value::Object(d)) = (&mut v, detail) {
            m.extend(d);
        }
        v
    }

    fn text(&self) -> String {
        let (r, p, s) = (self.result, self.prepared, self.scenario);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Simulation of {} — protocol {}, {} rounds, seed {}",
            s.id,
            protocol_name(self.config),
            self.config.rounds,
            self.seed
        );
        if self.config.trace {
            let _ = writeln!(
                out,
                "\nround  time    party                  action     package  [utilities]"
            );
            for e in &r.trace {
                let who = e.party.map_or("(mediator)", |k| p.ids[k].as_str());
                let (action, o) = match e.action {
                    Action::Offer(o) => ("offer".to_string(), Some(o)),
                    Action::Accept(o) => ("accept".to_string(), Some(o)),
                    Action::Walk => ("walk away".to_string(), None),
                    Action::Candidate {
                        text,
                        moved,
                        vetoes,
                    } => (
                        if moved {
                            "moved to".to_string()
                        } else {
                            format!("vetoed ×{vetoes}")
                        },
                        Some(text),
                    ),
                    Action::Ratify(o, signed) => (
                        (if signed { "signs" } else { "vetoes" }).to_string(),
                        Some(o),
                    ),
                };
                let detail = o.map_or(String::new(), |o| {
                    let u: Vec<String> = p.utilities(o).iter().map(|u| format!("{u:.3}")).collect();
                    format!("{}  [{}]", package_text(s, p, o), u.join(", "))
                });
                let _ = writeln!(
                    out,
                    "{:>5}  {:.4}  {:<22} {:<10} {}",
                    e.round + 1,
                    e.time,
                    who,
                    action,
                    detail
                );
            }
            out.push('\n');
        }
        match r.agreement {
            Some(o) => {
                let _ = writeln!(
                    out,
                    "Agreement in round {} of {} (relative time {:.4}): {}",
                    r.rounds,
                    self.config.rounds,
                    r.time,
                    package_text(s, p, o)
                );
            }
            None => {
                let why = match r.end {
                    End::Deadline => "the deadline passed".to_string(),
                    End::TimeLimit => "the time limit passed".to_string(),
                    End::WalkedAway(k) => format!("`{}` walked away", p.ids[k]),
                    End::Vetoed(k) => format!("`{}` vetoed the final text", p.ids[k]),
                    End::Stopped => "it was interrupted".to_string(),
                    End::Agreement => unreachable!("an agreement has an outcome"),
                };
                let _ = writeln!(
                    out,
                    "No agreement after {} of {} rounds: {why}.",
                    r.rounds, self.config.rounds
                );
            }
        }
        let _ = writeln!(
            out,
            "\n{:<22} {:<22} {:>8} {:>10} {:>11} {:>10}",
            "party", "strategy", "utility", "discounted", "reservation", "advantage"
        );
        for k in 0..p.own.len() {
            let _ = writeln!(
                out,
                "{:<22} {:<22} {:>8.4} {:>10.4} {:>11.4} {:>+10.4}",
                p.ids[k],
                self.specs[k].name,
                r.utilities[k],
                r.discounted[k],
                p.own[k].reservation(),
                r.discounted[k] - p.own[k].reservation()
            );
        }
        let d = self.reference.distances(&r.utilities);
        let _ = writeln!(
            out,
            "\nDistances (Euclidean, in the utility space of the {} negotiating parties, undiscounted):\n  to the Pareto frontier {}\n  to the Nash point {}\n  to the Kalai-Smorodinsky point {}",
            p.own.len(),
            fmt_opt(d.pareto),
            fmt_opt(d.nash),
            fmt_opt(d.ks)
        );
        out
    }
}

/// Above this many negotiations a tournament starts with a warning.
const LARGE_TOURNAMENT: usize = 1_000_000;

/// Runs `concord tournament`.
pub fn run_tournament(args: &TournamentArgs) -> Result<ExitCode, BadInput> {
    let args = &tournament_plan(args)?;
    let sim = args.options.config(false)?;
    if args.repetitions == 0 {
        return Err(BadInput(anyhow!("--repetitions must be at least 1")));
    }
    let strategies: Vec<StrategySpec> = args
        .strategies
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| StrategySpec::parse(s))
        .collect::<Result<_, _>>()?;
    if strategies.is_empty() {
        return Err(BadInput(anyhow!("--strategies names no strategy")));
    }
    let mut entries = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for path in &args.scenarios {
        let (scenario, prepared) = args.options.load(path)?;
        let reference = reference(&scenario).with_context(|| {
            format!("cannot compute the reference points of {}", path.display())
        })?;
        let stem = path
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
        entries.push((
            scenario,
            Entry {
                name,
                prepared,
                reference,
            },
        ));
    }
    let config = TournamentConfig {
        sim,
        repetitions: args.repetitions,
        seed: args.seed,
        max_negotiations: args.max_negotiations,
    };
    let scenarios: Vec<Scenario> = entries.iter().map(|(s, _)| s.clone()).collect();
    let entries: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
    let jobs = plan(&entries, strategies.len(), &config).map_err(|e| match e {
        concord_sim::SimError::TooManyNegotiations { planned, limit } => BadInput(anyhow!(
            "the tournament plans {planned} negotiations, more than the limit of {limit}; \
             raise it with --max-negotiations N (config key `max_negotiations`)"
        )),
        other => BadInput(other.into()),
    })?;
    if jobs.len() > LARGE_TOURNAMENT {
        eprintln!(
            "warning: {} negotiations of up to {} rounds planned; this may take long and hold \
             much memory (Ctrl-C stops it and writes the negotiations finished)",
            jobs.len(),
            config.sim.rounds
        );
    }
    let out_dir = args.out.as_path();
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} negotiations ({elapsed}, eta {eta})",
            )
            .expect("the template is valid")
            .progress_chars("=> "),
        );
        bar.set_message("negotiating");
        bar
    });
    let tick = || {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    };
    // Every negotiation polls the stop flag each round, and what finished is written after
    // Ctrl-C: the handler must not end the process before.
    interactive::stops_itself();
    let started = Instant::now();
    if args.threads.is_some_and(|t| t == 0 || t > MAX_THREADS) {
        return Err(BadInput(anyhow!(
            "--threads (config key `threads`) must be from 1 to {MAX_THREADS}, not {}",
            args.threads.unwrap_or_default()
        )));
    }
    let rows =
        tournament::run_tournament_on(args.threads, &entries, &strategies, &jobs, &config, &tick)?;
    let elapsed = started.elapsed();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // After Ctrl-C the negotiations that finished are still written, and said to be partial.
    let stopped = interactive::interrupted();
    let summary = summarize(&rows, &strategies);
    let written = write_tables(
        out_dir,
        &[
            (
                "negotiations",
                negotiations_table(&scenarios, &entries, &strategies, &rows),
            ),
            ("summary", summary_table(&summary)),
        ],
    )?;
    // Every (scenario, assignment) pair is played `repetitions` times.
    let assignments = jobs.len() / args.repetitions.max(1);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let breakdown = if entries.len() == 1 {
        format!(
            "1 scenario × {}",
            plural(assignments, "strategy assignment")
        )
    } else {
        format!(
            "{} with {} in all",
            plural(entries.len(), "scenario"),
            plural(assignments, "strategy assignment")
        )
    };
    let mut out = format!(
        "{} ({breakdown} × {}) in {:.3} s, {:.1} µs each\n\n",
        plural(rows.len(), "negotiation"),
        plural(args.repetitions, "repetition"),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / rows.len().max(1) as f64
    );
    let _ = writeln!(
        out,
        "{:<24} {:>7} {:>9} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8}",
        "strategy",
        "seats",
        "agreed",
        "utility",
        "advantage",
        "welfare",
        "d-pareto",
        "d-nash",
        "rounds"
    );
    let short = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"));
    for s in &summary {
        let _ = writeln!(
            out,
            "{:<24} {:>7} {:>8.1}% {:>8.4} {:>+9.4} {:>8.4} {:>8} {:>8} {:>8.1}",
            s.strategy,
            s.seats,
            100.0 * s.agreement_rate,
            s.mean_utility,
            s.mean_advantage,
            s.mean_welfare,
            short(s.mean_pareto),
            short(s.mean_nash),
            s.mean_rounds
        );
    }
    let _ = writeln!(out, "\nWrote {}", written.join(", "));
    if stopped {
        let _ = writeln!(
            out,
            "\nInterrupted: partial results, {} of {} planned negotiations finished",
            rows.len(),
            jobs.len()
        );
        emit(&out);
        eprintln!("interrupted");
        return Ok(ExitCode::from(130));
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// Writes each table as `NAME.csv` and `NAME.parquet` in `dir`; returns the paths written.
fn write_tables(dir: &Path, tables: &[(&str, Table)]) -> Result<Vec<String>, BadInput> {
    let mut written = Vec::new();
    for (name, table) in tables {
        let csv = dir.join(format!("{name}.csv"));
        std::fs::write(&csv, table.to_csv())
            .with_context(|| format!("cannot write {}", csv.display()))?;
        let parquet = dir.join(format!("{name}.parquet"));
        let bytes = table
            .to_parquet(name)
            .with_context(|| format!("cannot encode {}", parquet.display()))?;
        std::fs::write(&parquet, bytes)
            .with_context(|| format!("cannot write {}", parquet.display()))?;
        written.push(tidy(&csv).display().to_string());
        written.push(tidy(&parquet).display().to_string());
    }
    Ok(written)
}

/// One row per negotiation, with per-party columns up to the largest number of parties. The
/// types do not depend on the results: columns that can be undefined are always nullable.
fn negotiations_table(
    scenarios: &[Scenario],
    entries: &[Entry],
    strategies: &[StrategySpec],
    rows: &[Row],
) -> Table {
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
                        &scenarios[r.job.scenario],
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
                text(&|r| seat(r).map(|s| strategies[s].name.clone())),
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
fn summary_table(summary: &[tournament::Summary]) -> Table {
    let float = |f: &dyn Fn(&tournament::Summary) -> Option<f64>| {
        Cells::Float(summary.iter().map(f).collect())
    };
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

/// A path for display with `.` and `name/..` removed (`examples/../results/a.csv` is
/// `results/a.csv`). Lexical: the path used to open the file is left as it is.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use concord_format::tournament::{DISCOUNTS, MEDIATORS, NORMALIZATIONS, PROTOCOLS};

    /// The config reader accepts exactly the flags' values, so `enum_value` cannot panic.
    #[test]
    fn every_config_value_is_a_flag_value() {
        fn names<T: ValueEnum>() -> Vec<String> {
            T::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|p| p.get_name().to_string())
                .collect()
        }
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(names::<ProtocolArg>(), owned(PROTOCOLS));
        assert_eq!(names::<MediatorArg>(), owned(MEDIATORS));
        assert_eq!(names::<DiscountArg>(), owned(DISCOUNTS));
        assert_eq!(names::<NormalizationArg>(), owned(NORMALIZATIONS));
    }
}

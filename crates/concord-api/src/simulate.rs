//! `simulate`: one negotiation between strategies, round by round, and the settings a
//! simulation and a tournament share (protocol, deadline, discounting, reading), with their
//! defaults in one place.

use std::sync::Arc;
use std::time::{Duration, Instant};

use concord_core::model::Scenario;
use concord_io::genius::Normalization;
use concord_report::analysis_report::Keyed;
use concord_report::simulate_report::{
    self as report, Distances, SimParty, SimulateModel, TraceEvent, SIMULATE_SCHEMA,
};
use concord_sim::metrics::{reference, Reference};
use concord_sim::protocol::{
    run_seeded, Action, End, Event, Protocol, SimConfig, SimResult, MAX_ROUNDS, MAX_TIME_LIMIT_SECS,
};
use concord_sim::space::{prepare, OutcomeId, PrepareConfig, Prepared};
use concord_sim::strategy::{MakeStrategy, StrategySpec};
use concord_sim::SimError;

use crate::{Control, Error, ErrorKind, Report, Result, ScenarioInput};

pub use concord_sim::protocol::{Discounting, SingleTextMode};

pub use concord_sim::protocol::ProtocolKind;

/// Protocol, deadline, discounting and reading options of a simulation or a tournament.
/// [`SimSettings::DEFAULT`] is what `concord simulate` does with no flags.
#[derive(Debug, Clone, PartialEq)]
pub struct SimSettings {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// How the single-text mediator moves (ignored by SAO).
    pub mediator: SingleTextMode,
    /// The deadline in rounds, from 1 to [`MAX_ROUNDS`]; a round is one turn of every
    /// negotiating party.
    pub rounds: usize,
    /// An optional wall-clock limit per negotiation, in seconds (results then depend on speed).
    pub time_limit: Option<f64>,
    /// Discounting of agreements by the scenario's discount factors.
    pub discounting: Discounting,
    /// How to scale the evaluations of a Genius folder.
    pub normalization: Normalization,
    /// Divide each party's weights by their sum instead of refusing weights that do not sum to 1.
    pub normalize_weights: bool,
    /// The largest outcome space indexed (each party keeps 20 bytes per outcome).
    pub max_outcomes: u64,
}

impl SimSettings {
    /// The defaults.
    pub const DEFAULT: SimSettings = SimSettings {
        protocol: ProtocolKind::Sao,
        mediator: SingleTextMode::Veto,
        rounds: 100,
        time_limit: None,
        discounting: Discounting::Off,
        normalization: Normalization::Genius,
        normalize_weights: false,
        max_outcomes: 5_000_000,
    };

    /// Refuses a deadline or a time limit out of range (before any file is read).
    pub fn check(&self) -> Result<()> {
        self.config(false, &Control::default()).map(drop)
    }

    /// The simulator's configuration, its stop flag the caller's token.
    pub(crate) fn config(&self, trace: bool, control: &Control) -> Result<SimConfig> {
        if self.rounds == 0 || self.rounds > MAX_ROUNDS {
            return Err(request_error(
                "rounds",
                self.rounds.to_string(),
                "out of range",
                format!("a number of rounds from 1 to {MAX_ROUNDS}"),
            ));
        }
        let time_limit = match self.time_limit {
            None => None,
            Some(s) if s.is_finite() && s > 0.0 && s <= MAX_TIME_LIMIT_SECS => {
                Some(Duration::from_secs_f64(s))
            }
            Some(s) => {
                return Err(request_error(
                    "time_limit",
                    s.to_string(),
                    "out of range",
                    format!("a positive number of seconds, at most {MAX_TIME_LIMIT_SECS:e}"),
                ))
            }
        };
        Ok(SimConfig {
            protocol: match self.protocol {
                ProtocolKind::Sao => Protocol::Sao,
                ProtocolKind::SingleText => Protocol::SingleText(self.mediator),
            },
            rounds: self.rounds,
            time_limit,
            discounting: self.discounting,
            trace,
            stop: Some(control.cancel.shared()),
        })
    }

    /// Reads a scenario and indexes its outcome space.
    pub(crate) fn load(&self, input: &ScenarioInput) -> Result<(Scenario, Prepared)> {
        let input = match input {
            ScenarioInput::Genius {
                name,
                files,
                normalization: _,
            } => &ScenarioInput::Genius {
                name: name.clone(),
                files: files.clone(),
                normalization: self.normalization,
            },
            other => other,
        };
        let loaded = crate::load(input, self.normalize_weights)?;
        let prepared = prepare(
            &loaded.scenario,
            &PrepareConfig {
                max_outcomes: self.max_outcomes,
            },
        )
        .map_err(|e| from_sim(e).context(format!("cannot simulate {}", loaded.name)))?;
        Ok((loaded.scenario, prepared))
    }
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings::DEFAULT
    }
}

/// A simulator's error, classified.
pub(crate) fn from_sim(e: SimError) -> Error {
    let kind = match &e {
        SimError::SpaceTooLarge { .. }
        | SimError::TooManyNegotiations { .. }
        | SimError::ThreadPool { .. }
        | SimError::Analysis(_) => ErrorKind::Limit,
        _ => ErrorKind::BadInput,
    };
    Error::new(kind, e.to_string())
}

/// One negotiation: who plays what, from which seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulateRequest {
    /// Protocol, deadline, discounting, reading.
    pub settings: SimSettings,
    /// A strategy per negotiating party, as `PARTY=NAME` (docs/simulation.md).
    pub strategies: Vec<String>,
    /// The strategy of every party not named in `strategies` (none: each must be named).
    pub default_strategy: Option<String>,
    /// The seed of the random draws.
    pub seed: u64,
    /// Record every action.
    pub trace: bool,
}

impl SimulateRequest {
    /// The defaults.
    pub const DEFAULT: SimulateRequest = SimulateRequest {
        settings: SimSettings::DEFAULT,
        strategies: Vec::new(),
        default_strategy: None,
        seed: 0,
        trace: false,
    };
}

impl Default for SimulateRequest {
    fn default() -> Self {
        SimulateRequest::DEFAULT
    }
}

/// The answer of [`simulate`]: the negotiation's result and its distances to the reference
/// points.
#[derive(Debug, Clone)]
pub struct SimulateReport {
    /// The scenario.
    pub scenario: Scenario,
    /// Its indexed outcome space.
    pub prepared: Prepared,
    /// The strategy of each negotiating party.
    pub strategies: Vec<Arc<dyn MakeStrategy>>,
    /// The simulator's configuration.
    pub config: SimConfig,
    /// The seed.
    pub seed: u64,
    /// The result.
    pub result: SimResult,
    /// The frontier and bargaining points.
    pub reference: Reference,
    /// How long the negotiation took.
    pub elapsed: Duration,
}

/// Runs one negotiation. An error of kind cancelled (`interrupted in round R of N`) when the
/// token stops it.
pub fn simulate(
    input: &ScenarioInput,
    request: &SimulateRequest,
    control: &Control,
) -> Result<SimulateReport> {
    simulate_with(input, request, &[], control)
}

/// [`simulate`] with strategies made outside Concord's built-ins: `external` gives some
/// negotiating parties (by id) a [`MakeStrategy`] (a Python class, through the bindings), the
/// others are named in `request.strategies` or take its default. A party given both is an
/// error, as is a party given two names.
pub fn simulate_with(
    input: &ScenarioInput,
    request: &SimulateRequest,
    external: &[(String, Arc<dyn MakeStrategy>)],
    control: &Control,
) -> Result<SimulateReport> {
    let config = request.settings.config(request.trace, control)?;
    let (scenario, prepared) = request.settings.load(input)?;
    let strategies = assign(
        &scenario,
        &prepared,
        &request.strategies,
        external,
        request.default_strategy.as_deref(),
    )?;
    let reference = reference(&scenario)
        .map_err(|e| from_sim(e).context("cannot compute the reference points"))?;
    let mut players: Vec<_> = strategies
        .iter()
        .enumerate()
        .map(|(me, s)| s.make(&prepared.seat(me)))
        .collect();
    let started = Instant::now();
    let result = run_seeded(&prepared, &mut players, &config, request.seed);
    let elapsed = started.elapsed();
    if result.end == End::Stopped {
        return Err(Error::new(
            ErrorKind::Cancelled,
            format!(
                "interrupted in round {} of {}",
                result.rounds + 1,
                config.rounds
            ),
        ));
    }
    Ok(SimulateReport {
        scenario,
        prepared,
        strategies,
        config,
        seed: request.seed,
        result,
        reference,
        elapsed,
    })
}

/// Resolves `PARTY=NAME` pairs and the external strategies to one strategy per negotiating
/// party.
fn assign(
    scenario: &Scenario,
    prepared: &Prepared,
    pairs: &[String],
    external: &[(String, Arc<dyn MakeStrategy>)],
    default: Option<&str>,
) -> Result<Vec<Arc<dyn MakeStrategy>>> {
    let parse = |name: &str| -> Result<Arc<dyn MakeStrategy>> {
        Ok(Arc::new(StrategySpec::parse(name).map_err(from_sim)?))
    };
    let mut chosen: Vec<Option<Arc<dyn MakeStrategy>>> = vec![None; prepared.own.len()];
    let named = pairs.iter().map(|pair| {
        let (party, name) = pair.split_once('=').ok_or_else(|| {
            request_error(
                "strategy",
                pair.clone(),
                "not a party's strategy",
                "PARTY=NAME",
            )
        })?;
        Ok::<_, Error>((party.trim(), parse(name)?))
    });
    let external = external
        .iter()
        .map(|(party, maker)| Ok::<_, Error>((party.as_str(), Arc::clone(maker))));
    for pair in named.chain(external) {
        let (party, strategy): (&str, Arc<dyn MakeStrategy>) = pair?;
        let Some(slot) = prepared.slot_of(party) else {
            let known = prepared.ids.join(", ");
            let hint = if scenario.parties.iter().any(|p| p.id == party) {
                format!("party `{party}` does not negotiate: its consent is not needed")
            } else {
                format!("unknown party `{party}`")
            };
            return Err(Error::bad_input(format!(
                "{hint}; the negotiating parties are: {known}"
            )));
        };
        if chosen[slot].is_some() {
            return Err(Error::bad_input(format!(
                "party `{party}` is given two strategies"
            )));
        }
        chosen[slot] = Some(strategy);
    }
    let default = default.map(parse).transpose()?;
    let missing: Vec<String> = chosen
        .iter()
        .zip(&prepared.ids)
        .filter(|(c, _)| c.is_none())
        .map(|(_, id)| format!("`{id}`"))
        .collect();
    if !missing.is_empty() && default.is_none() {
        return Err(Error::bad_input(format!(
            "no strategy for {}: give each negotiating party a strategy (PARTY=NAME), or a default strategy",
            missing.join(", ")
        ))
        .with_remedy("default_strategy"));
    }
    Ok(chosen
        .into_iter()
        .map(|c| c.or_else(|| default.clone()).expect("checked above"))
        .collect())
}

/// The protocol's name in reports.
pub(crate) fn protocol_name(config: &SimConfig) -> &'static str {
    match config.protocol {
        Protocol::Sao => "sao",
        Protocol::SingleText(SingleTextMode::Veto) => "single-text/veto",
        Protocol::SingleText(SingleTextMode::HillClimbing) => "single-text/hill-climbing",
    }
}

/// `issue=option` pairs of an outcome.
pub(crate) fn package_pairs(
    scenario: &Scenario,
    prepared: &Prepared,
    id: OutcomeId,
) -> Vec<(String, String)> {
    prepared
        .space
        .package(id)
        .iter()
        .zip(&scenario.issues)
        .map(|(&o, issue)| (issue.id.clone(), issue.options[o].id.clone()))
        .collect()
}

impl SimulateReport {
    /// Whether the negotiation ended in agreement.
    pub fn agreement(&self) -> bool {
        self.result.agreement.is_some()
    }

    fn ended_by(&self) -> Option<&str> {
        match self.result.end {
            End::WalkedAway(p) | End::Vetoed(p) => Some(&self.prepared.ids[p]),
            _ => None,
        }
    }

    /// The typed report (schema `concord.simulate/1`, `schemas/simulate.schema.json`).
    pub fn model(&self) -> SimulateModel {
        let (r, p, s) = (&self.result, &self.prepared, &self.scenario);
        let package = |o: OutcomeId| package_pairs(s, p, o).into_iter().collect::<Keyed<_>>();
        let d = self.reference.distances(&r.utilities);
        let parties = (0..p.own.len())
            .map(|k| SimParty {
                id: p.ids[k].clone(),
                strategy: self.strategies[k].name().to_string(),
                utility: r.utilities[k],
                discounted_utility: r.discounted[k],
                reservation: p.own[k].reservation(),
                advantage: r.discounted[k] - p.own[k].reservation(),
            })
            .collect();
        let event = |e: &Event| {
            let mut t = TraceEvent {
                round: e.round,
                time: e.time,
                party: e.party.map(|k| p.ids[k].clone()),
                action: report::Action::Offer,
                package: None,
                utilities: None,
                moved: None,
                vetoes: None,
                signed: None,
            };
            let text = match e.action {
                Action::Offer(o) => Some(o),
                Action::Accept(o) => {
                    t.action = report::Action::Accept;
                    Some(o)
                }
                Action::Walk => {
                    t.action = report::Action::WalkAway;
                    None
                }
                Action::Candidate {
                    text,
                    moved,
                    vetoes,
                } => {
                    t.action = report::Action::Candidate;
                    (t.moved, t.vetoes) = (Some(moved), Some(vetoes));
                    Some(text)
                }
                Action::Ratify(o, signed) => {
                    t.action = report::Action::Ratify;
                    t.signed = Some(signed);
                    Some(o)
                }
            };
            if let Some(o) = text {
                (t.package, t.utilities) = (Some(package(o)), Some(p.utilities(o)));
            }
            t
        };
        SimulateModel {
            schema: SIMULATE_SCHEMA.to_string(),
            scenario: s.id.clone(),
            protocol: protocol_name(&self.config).to_string(),
            rounds_allowed: self.config.rounds,
            seed: self.seed,
            agreement: r.agreement.is_some(),
            end: match r.end {
                End::Agreement => report::End::Agreement,
                End::Deadline => report::End::Deadline,
                End::TimeLimit => report::End::TimeLimit,
                End::WalkedAway(_) => report::End::WalkedAway,
                End::Vetoed(_) => report::End::Vetoed,
                End::Stopped => report::End::Stopped,
            },
            ended_by: self.ended_by().map(str::to_string),
            package: r.agreement.map(package),
            rounds: r.rounds,
            relative_time: r.time,
            offers: r.offers,
            parties,
            welfare: r.discounted.iter().sum::<f64>(),
            distances: Distances {
                metric: "euclidean".to_string(),
                pareto: d.pareto,
                nash: d.nash,
                kalai_smorodinsky: d.ks,
            },
            elapsed_seconds: self.elapsed.as_secs_f64(),
            trace: self
                .config
                .trace
                .then(|| r.trace.iter().map(event).collect()),
        }
    }
}

impl Report for SimulateReport {
    /// As text, rendered from [`SimulateReport::model`].
    fn text(&self) -> String {
        self.model().text()
    }

    /// As JSON ([`SimulateReport::model`] serialised; docs/simulation.md).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }

    /// Whether the negotiation ended in agreement.
    fn answer(&self) -> Option<bool> {
        Some(self.agreement())
    }
}
/// A request value that does not fit: the error names the request field, which a front end may
/// name as its own flag.
pub(crate) fn request_error(
    field: &str,
    value: String,
    problem: &str,
    expected: impl Into<String>,
) -> Error {
    Error::from(concord_io::request::RequestError {
        field: field.to_string(),
        value,
        problem: problem.to_string(),
        expected: expected.into(),
    })
}

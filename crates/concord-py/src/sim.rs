//! Simulation and tournaments from Python, and strategies written in Python.
//!
//! A Python strategy is an object with `propose(state)` and `respond(state, offer)`; Concord
//! takes it through the api's external-strategy hook ([`api::MakeStrategy`]): a [`PyMaker`]
//! calls the Python factory (a class, or a function returning a fresh object) once per
//! negotiation and a [`PyPlayer`] turns each turn into a call with the GIL held. The state a
//! player sees ([`NegotiationState`]) holds its own preferences only: the parties' ids, the
//! issues, the clock, the offers made, its own utility function and reservation value.
//!
//! An exception raised by a Python strategy stops the whole run through the call's
//! cancellation token; the exception is then raised to the caller instead of an interruption.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use concord_api as api;
use concord_api::Report as _;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::{py_error, run_with, to_json, Scenario};

/// The first exception a Python strategy raised in a run, and the token that stops the run.
#[derive(Debug)]
pub(crate) struct Failure {
    error: Mutex<Option<PyErr>>,
    cancel: api::CancelToken,
}

impl Failure {
    pub(crate) fn new(cancel: api::CancelToken) -> Arc<Self> {
        Arc::new(Failure {
            error: Mutex::new(None),
            cancel,
        })
    }

    fn fail(&self, e: PyErr) {
        let mut slot = self.error.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(e);
        }
        self.cancel.cancel();
    }

    fn failed(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// The exception raised, if any (taken: raised once).
    pub(crate) fn take(&self) -> Option<PyErr> {
        self.error.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// A Python strategy's maker: its name and a factory that returns a fresh strategy object.
pub(crate) struct PyMaker {
    name: String,
    factory: Py<PyAny>,
    failure: Arc<Failure>,
}

impl std::fmt::Debug for PyMaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyMaker").field("name", &self.name).finish()
    }
}

/// What every turn of one seat shares: who it is, the issues with their options by name, and
/// its own preferences.
struct SeatInfo {
    me: String,
    parties: Vec<String>,
    issues: Arc<Vec<api::IssueNames>>,
    options: Vec<HashMap<String, usize>>,
    space: api::Space,
    own: Arc<api::OwnPreferences>,
}

impl SeatInfo {
    fn package<'py>(&self, py: Python<'py>, id: api::OutcomeId) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (issue, &o) in self.issues.iter().zip(&self.space.package(id)) {
            d.set_item(&issue.id, &issue.options[o])?;
        }
        Ok(d)
    }

    /// A package given as `{issue: option}`, every issue named once.
    fn outcome(&self, package: &Bound<'_, PyAny>) -> PyResult<api::OutcomeId> {
        let d = package.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!(
                "a package is a dict {{issue: option}}, not {}",
                package
                    .get_type()
                    .name()
                    .map_or("?".into(), |n| n.to_string())
            ))
        })?;
        if d.len() != self.issues.len() {
            return Err(PyValueError::new_err(format!(
                "a package names every issue once ({}), not {} keys",
                self.issues
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                d.len()
            )));
        }
        let mut options = Vec::with_capacity(self.issues.len());
        for (issue, index) in self.issues.iter().zip(&self.options) {
            let option = d.get_item(&issue.id)?.ok_or_else(|| {
                PyValueError::new_err(format!("the package names no option of `{}`", issue.id))
            })?;
            let option: String = option.extract()?;
            let o = index.get(&option).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "`{option}` is not an option of `{}` ({})",
                    issue.id,
                    issue.options.join(", ")
                ))
            })?;
            options.push(*o);
        }
        Ok(self
            .space
            .encode(&options)
            .expect("options are in range and one per issue"))
    }
}

impl api::MakeStrategy for PyMaker {
    fn name(&self) -> &str {
        &self.name
    }

    fn make(&self, seat: &api::Seat<'_>) -> Box<dyn api::Strategy> {
        let info = Arc::new(SeatInfo {
            me: seat.parties[seat.me].clone(),
            parties: seat.parties.to_vec(),
            issues: Arc::clone(seat.issues),
            options: seat
                .issues
                .iter()
                .map(|i| {
                    i.options
                        .iter()
                        .enumerate()
                        .map(|(k, o)| (o.clone(), k))
                        .collect()
                })
                .collect(),
            space: seat.space.clone(),
            own: Arc::clone(seat.own),
        });
        Python::attach(|py| {
            let object = if self.failure.failed() {
                None
            } else {
                match self.factory.call0(py) {
                    Ok(o) => Some(o),
                    Err(e) => {
                        self.failure.fail(e);
                        None
                    }
                }
            };
            Box::new(PyPlayer {
                object,
                info,
                offers: PyList::empty(py).unbind(),
                seen: 0,
                failure: Arc::clone(&self.failure),
            }) as Box<dyn api::Strategy>
        })
    }
}

/// A Python strategy in play. Without an object (its factory failed), it walks away.
struct PyPlayer {
    object: Option<Py<PyAny>>,
    info: Arc<SeatInfo>,
    /// The offers made so far as `(round, party, package)` tuples, converted once each.
    offers: Py<PyList>,
    seen: usize,
    failure: Arc<Failure>,
}

impl PyPlayer {
    fn state(&mut self, py: Python<'_>, view: &api::View<'_>) -> PyResult<Py<NegotiationState>> {
        let offers = self.offers.bind(py);
        for offer in &view.offers[self.seen.min(view.offers.len())..] {
            let party = self
                .info
                .parties
                .get(offer.party)
                .map_or("(mediator)", String::as_str);
            let item = PyTuple::new(
                py,
                [
                    offer.round.into_pyobject(py)?.into_any(),
                    PyString::new(py, party).into_any(),
                    self.info.package(py, offer.outcome)?.into_any(),
                ],
            )?;
            offers.append(item)?;
        }
        self.seen = view.offers.len();
        Py::new(
            py,
            NegotiationState {
                info: Arc::clone(&self.info),
                round: view.round,
                rounds: view.rounds,
                time: view.time,
                offers: self.offers.clone_ref(py),
            },
        )
    }

    fn call<T>(
        &mut self,
        on_failure: T,
        f: impl FnOnce(&mut Self, Python<'_>) -> PyResult<T>,
    ) -> T {
        if self.object.is_none() || self.failure.failed() {
            return on_failure;
        }
        Python::attach(|py| match f(self, py) {
            Ok(t) => t,
            Err(e) => {
                self.failure.fail(e);
                on_failure
            }
        })
    }
}

impl api::Strategy for PyPlayer {
    fn respond(
        &mut self,
        view: &api::View<'_>,
        offer: api::OutcomeId,
        _rng: &mut api::SimRng,
    ) -> api::Response {
        self.call(api::Response::Walk, |me, py| {
            let state = me.state(py, view)?;
            let package = me.info.package(py, offer)?;
            let object = me.object.as_ref().expect("checked by call");
            let answer = object.call_method1(py, "respond", (state, package))?;
            let answer = answer.bind(py);
            if let Ok(b) = answer.cast::<pyo3::types::PyBool>() {
                return Ok(if b.is_true() {
                    api::Response::Accept
                } else {
                    api::Response::Reject
                });
            }
            match answer.extract::<String>().as_deref() {
                Ok("accept") => Ok(api::Response::Accept),
                Ok("reject") => Ok(api::Response::Reject),
                Ok("walk") => Ok(api::Response::Walk),
                _ => Err(PyTypeError::new_err(format!(
                    "respond() returned {}: expected True, False, \"accept\", \"reject\" or \"walk\"",
                    answer.repr().map_or("?".into(), |r| r.to_string())
                ))),
            }
        })
    }

    fn propose(&mut self, view: &api::View<'_>, _rng: &mut api::SimRng) -> Option<api::OutcomeId> {
        self.call(None, |me, py| {
            let state = me.state(py, view)?;
            let object = me.object.as_ref().expect("checked by call");
            let answer = object.call_method1(py, "propose", (state,))?;
            let answer = answer.bind(py);
            if answer.is_none() {
                return Ok(None);
            }
            me.info.outcome(answer).map(Some)
        })
    }
}

/// What a Python strategy sees at its turn: the parties, the issues, the clock, the offers
/// made, and its own utility function; never another party's utilities.
#[pyclass(module = "concord._concord", frozen)]
pub(crate) struct NegotiationState {
    info: Arc<SeatInfo>,
    round: usize,
    rounds: usize,
    time: f64,
    offers: Py<PyList>,
}

#[pymethods]
impl NegotiationState {
    /// Its own party's id.
    #[getter]
    fn me(&self) -> &str {
        &self.info.me
    }

    /// The negotiating parties' ids, in turn order.
    #[getter]
    fn parties(&self) -> Vec<String> {
        self.info.parties.clone()
    }

    /// `[(issue, [options])]`, in the scenario's order.
    #[getter]
    fn issues(&self) -> Vec<(String, Vec<String>)> {
        self.info
            .issues
            .iter()
            .map(|i| (i.id.clone(), i.options.clone()))
            .collect()
    }

    /// The round, from 0.
    #[getter]
    fn round(&self) -> usize {
        self.round
    }

    /// The rounds allowed.
    #[getter]
    fn rounds(&self) -> usize {
        self.rounds
    }

    /// Relative time in (0, 1]: (round + 1) / (rounds + 1), or the share of a time limit used.
    #[getter]
    fn time(&self) -> f64 {
        self.time
    }

    /// Every offer made so far, `(round, party, package)`, oldest first.
    #[getter]
    fn offers(&self, py: Python<'_>) -> Py<PyList> {
        self.offers.clone_ref(py)
    }

    /// Its own reservation value (the utility of no agreement).
    #[getter]
    fn reservation(&self) -> f64 {
        self.info.own.reservation()
    }

    /// Its own best utility of a package its red lines allow.
    #[getter]
    fn max_utility(&self) -> f64 {
        self.info.own.max_utility()
    }

    /// Its own utility of a package `{issue: option}`.
    fn utility(&self, package: &Bound<'_, PyAny>) -> PyResult<f64> {
        Ok(self.info.own.utility(self.info.outcome(package)?))
    }

    /// Whether its own red lines allow a package.
    fn allows(&self, package: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.info.own.allows(self.info.outcome(package)?))
    }

    fn __repr__(&self) -> String {
        format!(
            "<concord.NegotiationState of {:?}: round {} of {}, {} offers>",
            self.info.me,
            self.round,
            self.rounds,
            Python::attach(|py| self.offers.bind(py).len())
        )
    }
}

/// A strategy as Python passes it: a built-in's name, or `(name, factory)`.
pub(crate) fn maker(
    py: Python<'_>,
    strategy: &Bound<'_, PyAny>,
    failure: &Arc<Failure>,
) -> PyResult<Arc<dyn api::MakeStrategy>> {
    if let Ok(name) = strategy.extract::<String>() {
        let spec = api::StrategySpec::parse(&name)
            .map_err(|e| py_error(py, api::Error::bad_input(e.to_string())))?;
        return Ok(Arc::new(spec));
    }
    let (name, factory): (String, Py<PyAny>) = strategy.extract()?;
    Ok(Arc::new(PyMaker {
        name,
        factory,
        failure: Arc::clone(failure),
    }))
}

/// `protocol=`: a protocol's name (`sao`, `single-text`), a single text with its mediator's moves
/// after a slash (`single-text/hill-climbing`; `single-text` alone is `veto`), in the words the
/// command line's `--protocol` and `--mediator` take.
pub(crate) fn protocol(name: &str) -> PyResult<(api::ProtocolKind, Option<api::SingleTextMode>)> {
    use api::Named;
    let (kind, mode) = match name.split_once('/') {
        Some((kind, mode)) => (kind, Some(mode)),
        None => (name, None),
    };
    let parsed = match (api::ProtocolKind::parse(kind), mode) {
        (Some(api::ProtocolKind::Sao), None) => Some((api::ProtocolKind::Sao, None)),
        (Some(api::ProtocolKind::SingleText), None) => Some((
            api::ProtocolKind::SingleText,
            Some(api::SingleTextMode::Veto),
        )),
        (Some(api::ProtocolKind::SingleText), Some(mode)) => {
            api::SingleTextMode::parse(mode).map(|m| (api::ProtocolKind::SingleText, Some(m)))
        }
        _ => None,
    };
    parsed.ok_or_else(|| {
        PyValueError::new_err(format!(
            "protocol={name:?}: expected \"sao\", \"single-text\" or \"single-text/MEDIATOR\" with MEDIATOR {}",
            api::SingleTextMode::expected()
        ))
    })
}

pub(crate) fn discounting(name: &str) -> PyResult<api::Discounting> {
    crate::named("discounting", name)
}

/// The scenario as the simulator reads it: its file's text, or, when it was read with options
/// of its own (a Genius folder's normalisation, weights normalised), the model it was read
/// into, so that every use case sees the utilities `load` gave.
pub(crate) fn input(scenario: &Scenario) -> api::ScenarioInput {
    match &scenario.input {
        api::ScenarioInput::Toml { .. } if !scenario.normalize_weights => scenario.input.clone(),
        other => api::ScenarioInput::Model {
            name: other.name().to_string(),
            scenario: Box::new(scenario.loaded.scenario.clone()),
        },
    }
}

/// The simulation settings from Python's keywords.
pub(crate) fn settings(
    protocol_name: &str,
    rounds: Option<usize>,
    time_limit: Option<f64>,
    discount: &str,
) -> PyResult<api::SimSettings> {
    let d = api::SimSettings::DEFAULT;
    let (protocol, mediator) = protocol(protocol_name)?;
    Ok(api::SimSettings {
        protocol,
        mediator: mediator.unwrap_or(d.mediator),
        rounds: rounds.unwrap_or(d.rounds),
        time_limit,
        discounting: discounting(discount)?,
        normalization: d.normalization,
        normalize_weights: false,
        max_outcomes: d.max_outcomes,
    })
}

/// One negotiation's result (`Scenario.simulate`).
#[pyclass(module = "concord._concord", frozen)]
pub(crate) struct Trace {
    report: api::SimulateReport,
}

#[pymethods]
impl Trace {
    /// The report as `concord simulate --trace --json` prints it, as a JSON string.
    fn to_json(&self) -> String {
        to_json(&self.report.json())
    }

    /// The report as `concord simulate --trace` prints it.
    fn text(&self) -> String {
        self.report.text()
    }
}

/// Runs one negotiation: `named` as `PARTY=NAME`, `external` as `(party, name, factory)`.
pub(crate) fn simulate(
    py: Python<'_>,
    scenario: &Scenario,
    named: Vec<String>,
    external: Vec<(String, String, Py<PyAny>)>,
    settings: api::SimSettings,
    seed: u64,
    default_strategy: Option<String>,
) -> PyResult<Trace> {
    let cancel = api::CancelToken::new();
    let failure = Failure::new(cancel.clone());
    let external: Vec<(String, Arc<dyn api::MakeStrategy>)> = external
        .into_iter()
        .map(|(party, name, factory)| {
            let maker: Arc<dyn api::MakeStrategy> = Arc::new(PyMaker {
                name,
                factory,
                failure: Arc::clone(&failure),
            });
            (party, maker)
        })
        .collect();
    let request = api::SimulateRequest {
        settings,
        strategies: named,
        default_strategy,
        seed,
        trace: true,
    };
    let result = run_with(py, None, cancel, |control| {
        api::simulate_with(&input(scenario), &request, &external, control)
    });
    if let Some(e) = failure.take() {
        return Err(e);
    }
    Ok(Trace { report: result? })
}

/// A tournament set up: scenarios read, negotiations planned; run whole or in parts.
#[pyclass(module = "concord._concord", frozen)]
pub(crate) struct Tournament {
    prepared: api::PreparedTournament,
    failure: Arc<Failure>,
}

/// Rows of results as bytes, so that a worker's share travels between processes without a
/// Python object per value (floats bit for bit, little-endian): per row the scenario, the
/// number of parties n, n strategy positions, the repetition, agreement, the outcome (flag and
/// number), the rounds, n utilities, n advantages, the welfare and three optional distances.
fn encode_rows(rows: &[api::TournamentRow]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 96);
    let int = |out: &mut Vec<u8>, x: usize| out.extend_from_slice(&(x as u64).to_le_bytes());
    let float = |out: &mut Vec<u8>, x: f64| out.extend_from_slice(&x.to_le_bytes());
    for r in rows {
        int(&mut out, r.job.scenario);
        int(&mut out, r.job.assignment.len());
        for &s in &r.job.assignment {
            int(&mut out, s);
        }
        int(&mut out, r.job.repetition);
        out.push(u8::from(r.agreement));
        out.push(u8::from(r.outcome.is_some()));
        int(&mut out, r.outcome.unwrap_or(0) as usize);
        int(&mut out, r.rounds);
        for &u in r.utilities.iter().chain(&r.advantages) {
            float(&mut out, u);
        }
        float(&mut out, r.welfare);
        for d in [r.pareto, r.nash, r.ks] {
            out.push(u8::from(d.is_some()));
            float(&mut out, d.unwrap_or(0.0));
        }
    }
    out
}

/// The rows [`encode_rows`] wrote; `None` when the bytes are not such rows.
fn decode_rows(bytes: &[u8]) -> Option<Vec<api::TournamentRow>> {
    struct Reader<'a>(&'a [u8]);
    impl Reader<'_> {
        fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
            let (head, rest) = self.0.split_at_checked(N)?;
            self.0 = rest;
            head.try_into().ok()
        }
        fn int(&mut self) -> Option<usize> {
            usize::try_from(u64::from_le_bytes(self.take::<8>()?)).ok()
        }
        fn float(&mut self) -> Option<f64> {
            Some(f64::from_le_bytes(self.take::<8>()?))
        }
        fn flag(&mut self) -> Option<bool> {
            match self.take::<1>()? {
                [0] => Some(false),
                [1] => Some(true),
                _ => None,
            }
        }
        fn maybe(&mut self) -> Option<Option<f64>> {
            let some = self.flag()?;
            let x = self.float()?;
            Some(some.then_some(x))
        }
    }
    let mut r = Reader(bytes);
    let mut rows = Vec::new();
    while !r.0.is_empty() {
        let scenario = r.int()?;
        let n = r.int()?;
        if n > 1 << 16 {
            return None;
        }
        let assignment = (0..n).map(|_| r.int()).collect::<Option<Vec<_>>>()?;
        let repetition = r.int()?;
        let agreement = r.flag()?;
        let has_outcome = r.flag()?;
        let outcome = u32::try_from(r.int()?).ok()?;
        let rounds = r.int()?;
        let utilities = (0..n).map(|_| r.float()).collect::<Option<Vec<_>>>()?;
        let advantages = (0..n).map(|_| r.float()).collect::<Option<Vec<_>>>()?;
        let welfare = r.float()?;
        let (pareto, nash, ks) = (r.maybe()?, r.maybe()?, r.maybe()?);
        rows.push(api::TournamentRow {
            job: api::Job {
                scenario,
                assignment,
                repetition,
            },
            agreement,
            outcome: has_outcome.then_some(outcome),
            rounds,
            utilities,
            advantages,
            welfare,
            pareto,
            nash,
            ks,
        });
    }
    Some(rows)
}

#[pymethods]
impl Tournament {
    /// Reads the scenarios and plans every negotiation. `strategies` are built-in names or
    /// `(name, factory)` pairs of Python strategies.
    #[new]
    #[pyo3(signature = (
        scenarios, strategies, *, rounds = None, repetitions = 1, seed = 0, protocol = "sao",
        time_limit = None, discounting = "off", threads = None, max_negotiations = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        scenarios: Vec<PyRef<'_, Scenario>>,
        strategies: Vec<Bound<'_, PyAny>>,
        rounds: Option<usize>,
        repetitions: usize,
        seed: u64,
        protocol: &str,
        time_limit: Option<f64>,
        discounting: &str,
        threads: Option<usize>,
        max_negotiations: Option<u64>,
    ) -> PyResult<Self> {
        if scenarios.is_empty() {
            return Err(py_error(
                py,
                api::Error::bad_input("a tournament needs at least one scenario"),
            ));
        }
        let d = api::TournamentRequest::DEFAULT;
        let request = api::TournamentRequest {
            strategies: Vec::new(),
            repetitions,
            seed,
            threads,
            max_negotiations: max_negotiations.unwrap_or(d.max_negotiations),
            settings: settings(protocol, rounds, time_limit, discounting)?,
        };
        let failure = Failure::new(api::CancelToken::new());
        let makers = strategies
            .iter()
            .map(|s| maker(py, s, &failure))
            .collect::<PyResult<Vec<_>>>()?;
        let inputs: Vec<api::ScenarioInput> = scenarios.iter().map(|s| input(s)).collect();
        let prepared = run_with(py, None, api::CancelToken::new(), |control| {
            api::prepare_tournament_with(&inputs, &request, makers, control)
        })?;
        Ok(Tournament { prepared, failure })
    }

    /// The negotiations planned.
    #[getter]
    fn planned(&self) -> usize {
        self.prepared.planned()
    }

    /// Runs every negotiation; `progress` gets (task, done, total).
    #[pyo3(signature = (*, progress = None))]
    fn run(&self, py: Python<'_>, progress: Option<Py<PyAny>>) -> PyResult<TournamentReport> {
        let prepared = self.prepared.clone();
        let (result, interrupt) =
            crate::run_interruptible(py, progress, self.failure.cancel.clone(), |control| {
                api::run_tournament(prepared, control)
            });
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        let (report, stopped) = match (result, interrupt) {
            (Ok(report), interrupt) => (report, interrupt.is_some()),
            (Err(_), Some(interrupt)) => return Err(interrupt),
            (Err(e), None) => return Err(e),
        };
        if report.interrupted || stopped {
            // A KeyboardInterrupt that keeps what was finished, as the CLI writes it.
            let err =
                crate::TournamentInterrupted::new_err(report.partial_note().unwrap_or_default());
            err.value(py)
                .setattr("partial", Py::new(py, TournamentReport { report })?)?;
            return Err(err);
        }
        Ok(TournamentReport { report })
    }

    /// Runs the negotiations numbered `start..end` of the plan and returns their rows as bytes
    /// (a worker's share; `finish` makes the report of every share's rows).
    fn run_part<'py>(
        &self,
        py: Python<'py>,
        start: usize,
        end: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let result = run_with(py, None, self.failure.cancel.clone(), |control| {
            let rows = api::run_tournament_part(&self.prepared, start..end, control)?;
            if control.is_cancelled() {
                return Err(api::Error::new(
                    api::ErrorKind::Cancelled,
                    format!(
                        "interrupted: {} of {} negotiations finished",
                        rows.len(),
                        end - start
                    ),
                ));
            }
            Ok(rows)
        });
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        Ok(PyBytes::new(py, &encode_rows(&result?)))
    }

    /// The report of the rows of every part (`run_part`'s bytes), in plan order.
    fn finish(&self, parts: Vec<Bound<'_, PyBytes>>, elapsed: f64) -> PyResult<TournamentReport> {
        let mut rows = Vec::with_capacity(self.prepared.planned());
        for part in &parts {
            rows.extend(decode_rows(part.as_bytes()).ok_or_else(|| {
                PyValueError::new_err("a part's bytes are not rows of Tournament.run_part")
            })?);
        }
        if rows.len() != self.prepared.planned() {
            return Err(PyValueError::new_err(format!(
                "{} rows for {} planned negotiations",
                rows.len(),
                self.prepared.planned()
            )));
        }
        Ok(TournamentReport {
            report: api::finish_tournament(
                self.prepared.clone(),
                rows,
                false,
                Duration::from_secs_f64(elapsed.max(0.0)),
            ),
        })
    }
}

/// A tournament's results: the tables `negotiations` and `summary`.
#[pyclass(module = "concord._concord", frozen)]
pub(crate) struct TournamentReport {
    report: api::TournamentReport,
}

fn table<'py>(py: Python<'py>, t: &api::Table) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for c in t.columns() {
        let cells = match &c.cells {
            api::Cells::Text(v) => v.clone().into_pyobject(py)?.into_any(),
            api::Cells::Int(v) => v.clone().into_pyobject(py)?.into_any(),
            api::Cells::Bool(v) => v.clone().into_pyobject(py)?.into_any(),
            api::Cells::Float(v) => v.clone().into_pyobject(py)?.into_any(),
        };
        out.set_item(&c.name, cells)?;
    }
    Ok(out)
}

#[pymethods]
impl TournamentReport {
    /// The headline and the summary per strategy, as `concord tournament` prints them.
    fn text(&self) -> String {
        self.report.text()
    }

    /// `{"negotiations": {column: [cells]}, "summary": {column: [cells]}}`, in column order.
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (name, t) in self.report.tables() {
            out.set_item(name, table(py, &t)?)?;
        }
        Ok(out)
    }

    /// The tables as the CLI writes them: `[(file name, bytes)]`, CSV and Parquet.
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, Bound<'py, PyBytes>)>> {
        let files = self.report.files().map_err(|e| py_error(py, e))?;
        Ok(files
            .into_iter()
            .map(|(name, bytes)| (name, PyBytes::new(py, &bytes)))
            .collect())
    }

    /// Seconds the negotiations took.
    #[getter]
    fn elapsed(&self) -> f64 {
        self.report.elapsed.as_secs_f64()
    }
}

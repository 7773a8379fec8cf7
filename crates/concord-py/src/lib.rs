//! The `concord._concord` extension module: Concord's application layer (`concord-api`) for
//! Python. It holds no logic of its own: every call builds an api request, runs it with the GIL
//! released, and hands back the api's report. The Python package (`python/concord`) adds file
//! reading, pandas tables and the Pythonic surface.
//!
//! Long calls run on a worker thread while the calling thread waits with the GIL released and,
//! every 50 ms, checks Python's signals: Ctrl-C (or `_thread.interrupt_main()`) cancels the
//! work through the api's cancellation token and raises `KeyboardInterrupt`.

use std::sync::Arc;
use std::time::Duration;

mod sim;
mod sweep;

use concord_api as api;
use concord_api::Report as _;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

create_exception!(
    _concord,
    ConcordError,
    PyException,
    "Any error Concord reports."
);
create_exception!(
    _concord,
    ScenarioError,
    ConcordError,
    "The input is wrong; `.problems` lists each located problem."
);
create_exception!(
    _concord,
    LimitError,
    ConcordError,
    "Answering exactly would pass a limit of the request; the message says which."
);
create_exception!(
    _concord,
    TournamentInterrupted,
    pyo3::exceptions::PyKeyboardInterrupt,
    "Ctrl-C stopped a tournament; `.partial` holds the negotiations it finished."
);
create_exception!(
    _concord,
    InternalError,
    ConcordError,
    "A bug in Concord, not a problem of the input."
);

/// An api error as the Python exception of its kind; a reader's located problems become the
/// exception's `problems` attribute (a list of dicts: file, line, column, field, found,
/// expected), and the request field that would get past it its `remedy` attribute (`None`
/// when none would), named in the message when it is a limit's keyword.
pub(crate) fn py_error(py: Python<'_>, e: api::Error) -> PyErr {
    let mut message = e.message().to_string();
    if let Some(field) = e.remedy() {
        if e.kind() == api::ErrorKind::Limit && !message.contains(&format!("{field}=")) {
            message.push_str(&format!(" (raise it with {field}=…)"));
        }
    }
    let err = match e.kind() {
        api::ErrorKind::BadInput => ScenarioError::new_err(message),
        api::ErrorKind::Limit => LimitError::new_err(message),
        api::ErrorKind::Cancelled => pyo3::exceptions::PyKeyboardInterrupt::new_err(message),
        _ => InternalError::new_err(message),
    };
    let problems = PyList::empty(py);
    for p in e.problems() {
        let d = PyDict::new(py);
        let _ = d.set_item("file", &p.file);
        let _ = d.set_item("line", p.line);
        let _ = d.set_item("column", p.column);
        let _ = d.set_item("field", &p.field);
        let _ = d.set_item("found", &p.found);
        let _ = d.set_item("expected", &p.expected);
        let _ = problems.append(d);
    }
    let _ = err.value(py).setattr("problems", problems);
    let _ = err.value(py).setattr("remedy", e.remedy());
    err
}

/// Runs `work` on a worker thread with the GIL released, polling Python's signals every 50 ms:
/// a pending KeyboardInterrupt cancels the work through its token and is raised once the work
/// has stopped. `progress`, when given, is called with (task, done, total) from the worker.
fn run<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    work: impl FnOnce(&api::Control) -> api::Result<T> + Send,
) -> PyResult<T> {
    run_with(py, progress, api::CancelToken::new(), work)
}

/// [`run`] with the caller's token, which others (a failing Python strategy) may cancel too.
pub(crate) fn run_with<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    cancel: api::CancelToken,
    work: impl FnOnce(&api::Control) -> api::Result<T> + Send,
) -> PyResult<T> {
    let (result, interrupt) = run_interruptible(py, progress, cancel, work);
    match interrupt {
        Some(e) => Err(e),
        None => result,
    }
}

/// [`run_with`], returning what the work returned beside the KeyboardInterrupt that stopped it
/// (if one did), for work that keeps what it finished when stopped (a tournament).
pub(crate) fn run_interruptible<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    cancel: api::CancelToken,
    work: impl FnOnce(&api::Control) -> api::Result<T> + Send,
) -> (PyResult<T>, Option<PyErr>) {
    let control = api::Control {
        cancel,
        progress: progress.map(|callback| {
            let callback = Arc::new(callback);
            let f: api::ProgressFn = Arc::new(move |p: api::Progress<'_>| {
                Python::attach(|py| {
                    // A failing progress callback must not stop the analysis.
                    let _ = callback.call1(py, (p.task, p.done, p.total));
                });
            });
            f
        }),
        // A warning before long work (the merge may pass its budget) is a Python warning, so
        // that a notebook shows it at once and `warnings` filters it.
        notice: Some(Arc::new(|text: &str| {
            Python::attach(|py| {
                let warned = py.import("warnings").and_then(|w| {
                    w.call_method1(
                        "warn",
                        (text, py.get_type::<pyo3::exceptions::PyRuntimeWarning>()),
                    )
                });
                // A filter that turns warnings into errors must not stop the analysis.
                let _ = warned;
            });
        })),
    };
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let mut interrupt: Option<PyErr> = None;
    let result = std::thread::scope(|scope| {
        let control = &control;
        let worker = scope.spawn(move || {
            // The worker keeps a Python thread state for the whole call, without the GIL, so
            // that each call of a Python strategy only takes the GIL (creating and dropping a
            // thread state per call costs more than the call).
            let r = Python::attach(|py| py.detach(|| work(control)));
            let _ = done_tx.send(());
            r
        });
        let mut done_rx = done_rx;
        loop {
            let (finished, rx) = py.detach(move || {
                let finished = done_rx.recv_timeout(Duration::from_millis(50));
                (finished, done_rx)
            });
            done_rx = rx;
            match finished {
                Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if interrupt.is_none() {
                        if let Err(e) = py.check_signals() {
                            control.cancel.cancel();
                            interrupt = Some(e);
                        }
                    }
                }
            }
        }
        py.detach(|| worker.join())
    });
    let result = match result {
        Ok(r) => r.map_err(|e| py_error(py, e)),
        Err(_) => Err(InternalError::new_err(
            "the computation panicked: a bug in Concord, please report it",
        )),
    };
    (result, interrupt)
}

pub(crate) fn to_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value).expect("reports are plain JSON values")
}

/// A scenario, read and checked.
#[pyclass(module = "concord._concord", frozen)]
pub(crate) struct Scenario {
    input: api::ScenarioInput,
    loaded: api::Loaded,
    /// Whether the reader divided weights by their sum.
    normalize_weights: bool,
}

/// The value a keyword argument names, or a `ValueError` listing the words accepted (the same
/// words as the command line's flags).
pub(crate) fn named<T: api::Named>(keyword: &str, word: &str) -> PyResult<T> {
    T::parse(word).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "{keyword}={word:?}: expected {}",
            T::expected()
        ))
    })
}

fn method(name: &str) -> PyResult<api::MethodChoice> {
    named("method", name)
}

fn red_lines(name: &str) -> PyResult<api::RedLineSelection> {
    named("red_lines", name)
}

#[pymethods]
impl Scenario {
    /// Reads a scenario file's text; `name` names it in every error.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<string>".to_string(), normalize_weights = false))]
    fn from_toml(
        py: Python<'_>,
        text: String,
        name: String,
        normalize_weights: bool,
    ) -> PyResult<Self> {
        let input = api::ScenarioInput::toml(name, text);
        let loaded = api::load(&input, normalize_weights).map_err(|e| py_error(py, e))?;
        Ok(Scenario {
            input,
            loaded,
            normalize_weights,
        })
    }

    /// Reads a Genius (XML) or GeniusWeb (JSON) domain from its files, `[(file name, text)]`;
    /// `normalization` is "genius" (each issue's largest evaluation is 1) or "raw".
    #[staticmethod]
    #[pyo3(signature = (files, name = "<genius>".to_string(), normalization = "genius"))]
    fn from_genius(
        py: Python<'_>,
        files: Vec<(String, String)>,
        name: String,
        normalization: &str,
    ) -> PyResult<Self> {
        let normalization: api::Normalization = named("normalization", normalization)?;
        let input = api::ScenarioInput::Genius {
            name,
            files: files
                .into_iter()
                .map(|(name, text)| api::NamedText { name, text })
                .collect(),
            normalization,
        };
        let loaded = api::load(&input, false).map_err(|e| py_error(py, e))?;
        Ok(Scenario {
            input,
            loaded,
            normalize_weights: false,
        })
    }

    /// What it was read from, to read it again elsewhere (pickling, Ray workers):
    /// `("toml", name, text, normalize_weights)` or `("genius", name, [(file, text)],
    /// normalization)`.
    fn source<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        match &self.input {
            api::ScenarioInput::Toml { name, text } => {
                ("toml", name, text, self.normalize_weights).into_pyobject(py)
            }
            api::ScenarioInput::Genius {
                name,
                files,
                normalization,
            } => {
                let files: Vec<(&str, &str)> = files
                    .iter()
                    .map(|f| (f.name.as_str(), f.text.as_str()))
                    .collect();
                let normalization = api::Named::name(*normalization);
                ("genius", name, files, normalization).into_pyobject(py)
            }
            api::ScenarioInput::Model { .. } => Err(InternalError::new_err(
                "a scenario built in code has no source to read again",
            )),
        }
    }

    /// One negotiation (`concord simulate --trace`): `named` as `PARTY=NAME` for built-in
    /// strategies, `external` as `(party, name, factory)` for Python ones.
    #[pyo3(signature = (
        *, named = Vec::new(), external = Vec::new(), protocol = "sao", rounds = None, seed = 0,
        time_limit = None, discounting = "off", default_strategy = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn simulate(
        &self,
        py: Python<'_>,
        named: Vec<String>,
        external: Vec<(String, String, Py<PyAny>)>,
        protocol: &str,
        rounds: Option<usize>,
        seed: u64,
        time_limit: Option<f64>,
        discounting: &str,
        default_strategy: Option<String>,
    ) -> PyResult<sim::Trace> {
        let settings = sim::settings(protocol, rounds, time_limit, discounting)?;
        sim::simulate(py, self, named, external, settings, seed, default_strategy)
    }

    /// The scenario's id.
    #[getter]
    fn id(&self) -> String {
        self.loaded.scenario.id.clone()
    }

    /// The scenario's title.
    #[getter]
    fn title(&self) -> String {
        self.loaded.scenario.title.clone()
    }

    /// The parties' ids, in file order.
    #[getter]
    fn parties(&self) -> Vec<String> {
        self.loaded
            .scenario
            .parties
            .iter()
            .map(|p| p.id.clone())
            .collect()
    }

    /// The issues: `[(issue id, [option ids])]`, in file order.
    #[getter]
    fn issues(&self) -> Vec<(String, Vec<String>)> {
        self.loaded
            .scenario
            .issues
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.options.iter().map(|o| o.id.clone()).collect(),
                )
            })
            .collect()
    }

    /// Is there a zone of agreement: `concord analyze` with `request`'s options. With
    /// `sensitivity_parts` (the bytes of `sensitivity_part` for every stretch of the request's
    /// draws), the draws are not made again but put together: the same report.
    #[pyo3(signature = (request, *, progress = None, sensitivity_parts = None))]
    fn analyze(
        &self,
        py: Python<'_>,
        request: &AnalyzeRequest,
        progress: Option<Py<PyAny>>,
        sensitivity_parts: Option<Vec<Vec<u8>>>,
    ) -> PyResult<Analysis> {
        let parts = sensitivity_parts
            .map(|parts| parts.iter().map(|b| sweep::decode_part(b)).collect())
            .transpose()?;
        let request = &request.request;
        let report = run(py, progress, |control| {
            let reloaded;
            let loaded = if request.settings.normalize_weights {
                // Weights are normalised by the reader: read the input again with that option.
                reloaded = api::load(&self.input, true)?;
                &reloaded
            } else {
                &self.loaded
            };
            match parts {
                Some(parts) => api::analyze_parts(loaded, request, parts, control),
                None => api::analyze_loaded(loaded, request, control),
            }
        })?;
        Ok(Analysis { report })
    }

    /// The sensitivity draws numbered `start..end` of `request`'s run, as bytes for
    /// `analyze(request, sensitivity_parts=...)`: one stretch of a run split among processes.
    #[pyo3(signature = (request, start, end, *, progress = None))]
    fn sensitivity_part<'py>(
        &self,
        py: Python<'py>,
        request: &AnalyzeRequest,
        start: usize,
        end: usize,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let request = &request.request;
        let part = run(py, progress, |control| {
            let reloaded;
            let loaded = if request.settings.normalize_weights {
                reloaded = api::load(&self.input, true)?;
                &reloaded
            } else {
                &self.loaded
            };
            api::sensitivity_part(loaded, request, start..end, control)
        })?;
        Ok(pyo3::types::PyBytes::new(py, &sweep::encode_part(&part)))
    }

    /// A phased sequence of joint steps that meets every demand, or the demands that deadlock.
    #[pyo3(signature = (*, max_conflicts = None, max_nodes = None, max_way_out_nodes = None, drop_demand = Vec::new()))]
    fn sequence(
        &self,
        py: Python<'_>,
        max_conflicts: Option<usize>,
        max_nodes: Option<u64>,
        max_way_out_nodes: Option<u64>,
        drop_demand: Vec<String>,
    ) -> PyResult<Report> {
        let d = api::SequenceRequest::default();
        let request = api::SequenceRequest {
            max_conflicts: max_conflicts.unwrap_or(d.max_conflicts),
            max_nodes: max_nodes.unwrap_or(d.max_nodes),
            max_way_out_nodes: max_way_out_nodes.unwrap_or(d.max_way_out_nodes),
            drop_demands: drop_demand,
        };
        let report = run(py, None, |control| {
            api::sequence(&self.input, &request, control)
        })?;
        Ok(Report::of(&report))
    }

    /// The pledges and guarantees behind each layer, their conditions and uncovered triggers.
    fn commitments(&self, py: Python<'_>) -> PyResult<Report> {
        let report = api::commitments(&self.input).map_err(|e| py_error(py, e))?;
        Ok(Report::of(&report))
    }

    /// The scenario as Genius XML files, `[(file name, text)]`: a domain and one profile per
    /// party with preferences. Genius has no red lines or framework points: a `UserWarning`
    /// says how many were left out.
    fn to_genius(&self, py: Python<'_>) -> PyResult<Vec<(String, String)>> {
        let exported = api::export_genius(&self.loaded);
        let warnings = py.import("warnings")?;
        for note in &exported.notes {
            warnings.call_method1(
                "warn",
                (note, py.get_type::<pyo3::exceptions::PyUserWarning>()),
            )?;
        }
        Ok(exported
            .files
            .into_iter()
            .map(|f| (f.name, f.text))
            .collect())
    }

    /// The scenario as a scenario file's text (`concord import genius`), and notes on weights
    /// divided by their sum.
    fn to_toml(&self, py: Python<'_>) -> PyResult<(String, Vec<String>)> {
        api::to_scenario_toml(&self.loaded).map_err(|e| py_error(py, e))
    }

    /// Each party's preferences: `{party: {"reservation": r, "issues": {issue: {"weight": w,
    /// "values": {option: v}}}}}`, values as the analysis evaluates them.
    #[getter]
    fn preferences<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.loaded.scenario;
        let out = PyDict::new(py);
        for (p, prefs) in s.preferences.iter().enumerate() {
            let Some(prefs) = prefs else { continue };
            let issues = PyDict::new(py);
            for (i, ip) in prefs.issues.iter().enumerate() {
                let issue = &s.issues[i];
                let values = PyDict::new(py);
                for (o, option) in issue.options.iter().enumerate() {
                    values.set_item(&option.id, ip.values.value(issue, o, |a| a.value))?;
                }
                let entry = PyDict::new(py);
                entry.set_item("weight", ip.weight.value)?;
                entry.set_item("values", values)?;
                issues.set_item(&issue.id, entry)?;
            }
            let party = PyDict::new(py);
            party.set_item("reservation", prefs.reservation.value)?;
            party.set_item("issues", issues)?;
            out.set_item(&s.parties[p].id, party)?;
        }
        Ok(out)
    }

    fn __repr__(&self) -> String {
        format!(
            "<concord.Scenario {:?}: {} parties, {} issues>",
            self.loaded.scenario.id,
            self.loaded.scenario.parties.len(),
            self.loaded.scenario.issues.len()
        )
    }
}

/// `concord analyze`'s options, for `Scenario.analyze` and `Scenario.sensitivity_part`.
#[pyclass(module = "concord._concord", frozen)]
pub(crate) struct AnalyzeRequest {
    request: api::AnalyzeRequest,
}

#[pymethods]
impl AnalyzeRequest {
    /// The options as keywords, `None` for the command's default; what-ifs as `KEY=VALUE`
    /// strings, as the command takes them.
    #[new]
    #[pyo3(signature = (
        *,
        method = "auto",
        red_lines = "all",
        count_limit = None,
        max_partial_sums = None,
        max_merge_work = None,
        max_nodes = None,
        list_ties = None,
        exact = true,
        normalize_weights = false,
        drop_red_line = Vec::new(),
        set_reservation = Vec::new(),
        fix = Vec::new(),
        set_weight = Vec::new(),
        sensitivity = None,
        seed = 0,
        negmas = false,
        count_halves = true,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        method: &str,
        red_lines: &str,
        count_limit: Option<u128>,
        max_partial_sums: Option<usize>,
        max_merge_work: Option<u64>,
        max_nodes: Option<u64>,
        list_ties: Option<u64>,
        exact: bool,
        normalize_weights: bool,
        drop_red_line: Vec<String>,
        set_reservation: Vec<String>,
        fix: Vec<String>,
        set_weight: Vec<String>,
        sensitivity: Option<usize>,
        seed: u64,
        negmas: bool,
        count_halves: bool,
    ) -> PyResult<Self> {
        let d = api::Settings::DEFAULT;
        Ok(AnalyzeRequest {
            request: api::AnalyzeRequest {
                settings: api::Settings {
                    normalize_weights,
                    method: self::method(method)?,
                    count_limit: count_limit.unwrap_or(d.count_limit),
                    max_partial_sums: max_partial_sums.unwrap_or(d.max_partial_sums),
                    max_merge_work: max_merge_work.unwrap_or(d.max_merge_work),
                    max_nodes: max_nodes.unwrap_or(d.max_nodes),
                    list_ties: list_ties.unwrap_or(d.list_ties).max(1),
                    red_lines: self::red_lines(red_lines)?,
                    exact_decimals: exact,
                    negmas_points: negmas,
                    count_without_enumerating: count_halves,
                },
                what_if: api::WhatIfFlags {
                    drop_red_line,
                    set_reservation,
                    fix,
                    set_weight,
                },
                sensitivity: sensitivity.map(|samples| api::SensitivityRequest { samples, seed }),
            },
        })
    }
}

/// The answer of `Scenario.analyze`.
#[pyclass(module = "concord._concord", frozen)]
struct Analysis {
    report: api::AnalyzeReport,
}

#[pymethods]
impl Analysis {
    /// Whether an agreement zone exists.
    #[getter]
    fn zone_exists(&self) -> bool {
        self.report.zone_exists()
    }

    /// The number of packages in the zone, when counted.
    #[getter]
    fn zone_size(&self) -> Option<u64> {
        self.report.analysis.zone_size
    }

    /// The report as `concord analyze --json` prints it (schema `concord.analysis/1`), as a
    /// JSON string.
    fn to_json(&self) -> String {
        to_json(&self.report.json())
    }

    /// The report as `concord analyze` prints it, at `width` columns.
    #[pyo3(signature = (*, width = 100, frontier = false))]
    fn text(&self, width: usize, frontier: bool) -> String {
        // The width is the process's (text reports read it while they draw tables).
        api::layout::set_width(width.max(20));
        api::layout::fit(&self.report.text_with(&api::TextOptions { frontier }))
    }

    /// Every frontier point as JSON Lines (one `{utilities, package_count, packages}` object per
    /// line), whatever its size; a LimitError when the frontier was not materialised.
    fn frontier_lines(&self, py: Python<'_>) -> PyResult<String> {
        let mut out = Vec::new();
        self.report
            .frontier()
            .map_err(|e| py_error(py, e))?
            .write_to(&mut out)
            .map_err(|e| InternalError::new_err(e.to_string()))?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// A report of another use case: its text, its JSON and whether its answer is the positive one
/// (a plan exists, every trigger is covered).
#[pyclass(module = "concord._concord", frozen, get_all)]
struct Report {
    /// As the CLI prints it.
    text: String,
    /// As the CLI's `--json` prints it.
    json: String,
    /// The CLI's exit status 0.
    positive: bool,
}

impl Report {
    /// An api report's text, JSON and answer (a report without one is positive).
    fn of(report: &impl api::Report) -> Self {
        Report {
            text: report.text(),
            json: to_json(&report.json()),
            positive: report.answer().unwrap_or(true),
        }
    }
}

/// Compares versions of the framework document (`concord diff`): `old` and `new` are
/// Scenarios; without `new`, the lineage of all of `old`'s versions.
#[pyfunction]
#[pyo3(signature = (old, new = None, *, from_version = None, to_version = None, threshold = None))]
fn diff(
    py: Python<'_>,
    old: &Scenario,
    new: Option<&Scenario>,
    from_version: Option<String>,
    to_version: Option<String>,
    threshold: Option<f64>,
) -> PyResult<Report> {
    let request = api::DiffRequest {
        from: from_version,
        to: to_version,
        threshold: threshold.unwrap_or(api::DiffRequest::default().threshold),
    };
    let report =
        api::diff(&old.input, new.map(|n| &n.input), &request).map_err(|e| py_error(py, e))?;
    Ok(Report::of(&report))
}

/// Candidate claims of plain-text reports, `[(file name, text)]` (`concord evidence extract`),
/// or, with `conflicts=True`, where they conflict (`concord evidence conflicts`).
#[pyfunction]
#[pyo3(signature = (reports, *, conflicts = false, scenario = None, published = Vec::new(), undated_window = true))]
fn evidence(
    py: Python<'_>,
    reports: Vec<(String, String)>,
    conflicts: bool,
    scenario: Option<&Scenario>,
    published: Vec<String>,
    undated_window: bool,
) -> PyResult<Report> {
    let mut request = api::EvidenceRequest::new(reports);
    request.scenario = scenario.map(|s| s.input.clone());
    request.published = published;
    request.undated_window = undated_window;
    run(py, None, |control| {
        if conflicts {
            api::conflicts(&request, control).map(|r| Report::of(&r))
        } else {
            api::extract_claims(&request, control).map(|r| Report::of(&r))
        }
    })
}

/// A file error as the Python exception of its kind: a path the system cannot open or read is
/// an `OSError` (`FileNotFoundError`, `PermissionError`), as Python's own readers raise; a
/// folder over its byte limit a `LimitError`; a file that is not what it should be (not a
/// regular file, too large, not UTF-8) a `ScenarioError` with no located problems.
fn fs_error(py: Python<'_>, e: api::fs::FsError) -> PyErr {
    use std::io::ErrorKind;
    let err = match &e {
        api::fs::FsError::Io { message, kind } => {
            return match kind {
                ErrorKind::NotFound => {
                    pyo3::exceptions::PyFileNotFoundError::new_err(message.clone())
                }
                ErrorKind::PermissionDenied => {
                    pyo3::exceptions::PyPermissionError::new_err(message.clone())
                }
                _ => pyo3::exceptions::PyOSError::new_err(message.clone()),
            }
        }
        api::fs::FsError::ReportsTooLarge { .. } => return py_error(py, api::Error::from(e)),
        _ => ScenarioError::new_err(e.to_string()),
    };
    let _ = err.value(py).setattr("problems", PyList::empty(py));
    err
}

/// A text file, with the command line's checks: a regular file of at most 64 MiB, in UTF-8 (the
/// first byte that is not is located); `what` names it in messages.
#[pyfunction]
fn read_text(py: Python<'_>, path: std::path::PathBuf, what: &str) -> PyResult<String> {
    api::fs::read_text(&path, what).map_err(|e| fs_error(py, e))
}

/// The `.xml` and `.json` files of a Genius or GeniusWeb folder as `[(name, text)]`, by name; an
/// entry that is not a regular file (a dangling link, a pipe) is an error, as is a folder with
/// none.
#[pyfunction]
fn read_genius_folder(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Vec<(String, String)>> {
    api::fs::read_genius_folder(&path)
        .map(|files| files.into_iter().map(|f| (f.name, f.text)).collect())
        .map_err(|e| fs_error(py, e))
}

/// The `.txt` reports of a folder as `[(name, text)]`, by name, refused past `max_bytes` in all.
#[pyfunction]
fn read_reports(
    py: Python<'_>,
    path: std::path::PathBuf,
    max_bytes: u64,
) -> PyResult<Vec<(String, String)>> {
    api::fs::read_reports(&path, max_bytes).map_err(|e| fs_error(py, e))
}

/// The JSON Schema of `Analysis.to_json()`, as a JSON string.
#[pyfunction]
fn analysis_schema() -> String {
    serde_json::to_string_pretty(&api::AnalysisReport::schema()).expect("a schema is JSON")
}

#[pymodule]
fn _concord(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    // No request field gets past an error unless one says so (`py_error` sets it).
    py.get_type::<ConcordError>().setattr("remedy", py.None())?;
    m.add("ConcordError", py.get_type::<ConcordError>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("LimitError", py.get_type::<LimitError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add(
        "TournamentInterrupted",
        py.get_type::<TournamentInterrupted>(),
    )?;
    m.add_class::<Scenario>()?;
    m.add_class::<Analysis>()?;
    m.add_class::<AnalyzeRequest>()?;
    m.add_class::<Report>()?;
    m.add_class::<sim::NegotiationState>()?;
    m.add_class::<sim::Trace>()?;
    m.add_class::<sim::Tournament>()?;
    m.add_class::<sim::TournamentReport>()?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(evidence, m)?)?;
    m.add_function(wrap_pyfunction!(analysis_schema, m)?)?;
    m.add_function(wrap_pyfunction!(read_text, m)?)?;
    m.add_function(wrap_pyfunction!(read_genius_folder, m)?)?;
    m.add_function(wrap_pyfunction!(read_reports, m)?)?;
    m.add("MAX_REPORT_BYTES", api::fs::MAX_REPORT_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

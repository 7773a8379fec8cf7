//! The analyst's endpoints (`/analyst/…`): scenario files opened with `concord serve --open` or
//! uploaded, answered through the application layer exactly as the `concord` command answers
//! them (the same JSON reports), for the dashboard's analyst, sequencing, evidence and
//! simulation views. They touch no room: an analyst's file is the analyst's own, held in memory
//! only, and these endpoints are off unless the server was started with them
//! (`--open` or `--analyst`).

use std::sync::{Arc, RwLock};

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use concord_api::{
    AnalyzeRequest, Control, EvidenceRequest, Loaded, RedLineSelection, Report, ScenarioInput,
    SensitivityRequest, SequenceRequest, SimulateRequest, SpaceRequest,
};

use crate::error::{ApiError, FieldProblem};
use crate::routes::{blocking, Body};

/// The most scenarios held at once (opened and uploaded); an upload past it is refused.
pub const MAX_SCENARIOS: usize = 64;

/// Scenario files held for the analyst views, and the report texts given with `--sources`.
#[derive(Debug, Default)]
pub struct Workspace {
    enabled: bool,
    scenarios: RwLock<Vec<Arc<Opened>>>,
    reports: Vec<(String, String)>,
}

#[derive(Debug)]
struct Opened {
    id: String,
    file: String,
    text: String,
    loaded: Loaded,
    /// Whether it has `[[steps]]` to sequence (read once, when opened).
    has_steps: bool,
    /// The conflicts between the reports, computed once (the reports do not change).
    conflicts: std::sync::OnceLock<Value>,
}

impl Workspace {
    /// No analyst views: every `/analyst/…` request is answered 404 with how to turn them on.
    pub fn disabled() -> Self {
        Workspace::default()
    }

    /// Analyst views on, with the report texts `(file name, text)` of a sources folder (for the
    /// claims' standing and the conflicts between reports).
    pub fn new(reports: Vec<(String, String)>) -> Self {
        Workspace {
            enabled: true,
            scenarios: RwLock::new(Vec::new()),
            reports,
        }
    }

    /// Analyst views on, with the `.txt` reports of `sources` (at most `max_report_bytes` of
    /// them) and each scenario file of `files` read, checked and held: a file that is not a
    /// scenario is refused with its located problems, before the server starts.
    pub fn with_files(
        files: &[std::path::PathBuf],
        sources: Option<&std::path::Path>,
        max_report_bytes: u64,
    ) -> Result<Self, concord_api::Error> {
        let reports = match sources {
            Some(dir) => concord_api::fs::read_reports(dir, max_report_bytes)?,
            None => Vec::new(),
        };
        let workspace = Workspace::new(reports);
        for path in files {
            let text = concord_api::fs::read_text(path, "scenario")?;
            workspace.open(&path.display().to_string(), &text)?;
        }
        Ok(workspace)
    }

    /// Reads and checks a scenario file and holds it; its id is the scenario's id (with `-2`,
    /// `-3`, … when another file held has it).
    pub fn open(&self, file: &str, text: &str) -> Result<String, concord_api::Error> {
        let loaded = concord_api::load(&ScenarioInput::toml(file, text), false)?;
        let mut scenarios = self.scenarios.write().unwrap_or_else(|e| e.into_inner());
        if scenarios.len() >= MAX_SCENARIOS {
            return Err(concord_api::Error::new(
                concord_api::ErrorKind::Limit,
                format!(
                    "the server holds {MAX_SCENARIOS} scenarios already; restart it to clear them"
                ),
            ));
        }
        let has_steps = concord_api::sequence_file(&loaded)
            .map(|f| !f.problem.steps.is_empty())
            .unwrap_or(false);
        let base = loaded.scenario.id.clone();
        let mut id = base.clone();
        let mut n = 1;
        while scenarios.iter().any(|s| s.id == id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        scenarios.push(Arc::new(Opened {
            id: id.clone(),
            file: file.to_string(),
            text: text.to_string(),
            loaded,
            has_steps,
            conflicts: std::sync::OnceLock::new(),
        }));
        Ok(id)
    }

    /// The text of a scenario held, when the analyst views are on and it is held.
    pub(crate) fn text_of(&self, id: &str) -> Option<(String, String)> {
        self.get(id).ok().map(|s| (s.file.clone(), s.text.clone()))
    }

    fn get(&self, id: &str) -> Result<Arc<Opened>, ApiError> {
        if !self.enabled {
            return Err(off());
        }
        self.scenarios
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "no scenario `{id}` is open here (GET /analyst/scenarios lists them)"
                ))
            })
    }

    /// The texts of a scenario's sources among the reports, in the order of its `[[sources]]`.
    fn source_texts(&self, loaded: &Loaded) -> Vec<Option<String>> {
        loaded
            .scenario
            .sources
            .iter()
            .map(|s| {
                self.reports
                    .iter()
                    .find(|(name, _)| *name == s.file)
                    .map(|(_, text)| text.clone())
            })
            .collect()
    }
}

fn off() -> ApiError {
    ApiError::not_found(
        "the analyst views are off on this server; start it with `concord serve --open FILE` or `--analyst`",
    )
}

type Shared = State<Arc<Workspace>>;

/// Query parameters whose rejections are API errors (400 naming the parameters).
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(ApiError::bad_request_problems(
                format!("query parameters: {}", e.body_text()),
                vec![FieldProblem::field(
                    "query".into(),
                    parts.uri.query().unwrap_or_default(),
                    "the parameters the API document describes (/openapi.json)",
                )],
            )),
        }
    }
}
type Answer<T> = Result<Json<T>, ApiError>;

/// An application-layer error: a request field at fault named as the request names it.
fn api_error(e: concord_api::Error) -> ApiError {
    if let Some(r) = e.request() {
        return ApiError::bad_request_problems(
            e.message().to_string(),
            vec![FieldProblem::field(r.field.clone(), &r.value, &r.expected)],
        );
    }
    ApiError::from_api_plain(e)
}

/// A scenario held.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScenarioSummary {
    /// How the other endpoints name it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The file it was read from (or uploaded as).
    pub file: String,
    /// Its parties.
    pub parties: Vec<PartySummary>,
    /// Its issues.
    pub issues: Vec<IssueSummary>,
    /// Whether it has `[[steps]]` to sequence.
    pub has_sequencing: bool,
    /// Whether it has a claims register.
    pub has_claims: bool,
    /// Whether report texts were given (`--sources`) for the conflicts between reports.
    pub has_reports: bool,
}

/// A party.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartySummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Whether an agreement needs its consent.
    pub consent: bool,
    /// Whether the file gives its preferences (it can be an axis of the utility space).
    pub has_preferences: bool,
}

/// An issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueSummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its option ids.
    pub options: Vec<String>,
}

/// The scenarios held.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScenarioList {
    /// In the order they were opened.
    pub scenarios: Vec<ScenarioSummary>,
}

fn summary(ws: &Workspace, s: &Opened) -> ScenarioSummary {
    let scenario = &s.loaded.scenario;
    ScenarioSummary {
        id: s.id.clone(),
        title: scenario.title.clone(),
        file: s.file.clone(),
        parties: scenario
            .parties
            .iter()
            .enumerate()
            .map(|(p, party)| PartySummary {
                id: party.id.clone(),
                name: party.name.clone(),
                role: party.role.as_str().to_string(),
                consent: party.consent,
                has_preferences: scenario.preferences[p].is_some(),
            })
            .collect(),
        issues: scenario
            .issues
            .iter()
            .map(|i| IssueSummary {
                id: i.id.clone(),
                name: i.name.clone(),
                options: i.options.iter().map(|o| o.id.clone()).collect(),
            })
            .collect(),
        has_sequencing: s.has_steps,
        has_claims: !scenario.claims.is_empty(),
        has_reports: !ws.reports.is_empty(),
    }
}

/// The scenarios open for the analyst views.
#[utoipa::path(get, path = "/analyst/scenarios",
    responses((status = 200, body = ScenarioList), (status = 404, description = "analyst views off", body = crate::error::ErrorBody)))]
pub async fn list(State(ws): Shared) -> Answer<ScenarioList> {
    if !ws.enabled {
        return Err(off());
    }
    let held: Vec<Arc<Opened>> = ws
        .scenarios
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    Ok(Json(ScenarioList {
        scenarios: held.iter().map(|s| summary(&ws, s)).collect(),
    }))
}

/// A scenario file to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    /// The file's name, for messages.
    pub name: String,
    /// The file's text (TOML, docs/scenario-format.md).
    pub toml: String,
}

/// A scenario opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    /// How the other endpoints name it.
    pub id: String,
}

/// Opens an uploaded scenario file for the analyst views (held in memory until the server
/// stops). A bad file is a 400 naming each problem's line and field.
#[utoipa::path(post, path = "/analyst/scenarios", request_body = Upload,
    responses((status = 200, body = Uploaded), (status = 400, body = crate::error::ErrorBody),
        (status = 404, description = "analyst views off", body = crate::error::ErrorBody)))]
pub async fn upload(State(ws): Shared, Body(upload): Body<Upload>) -> Answer<Uploaded> {
    if !ws.enabled {
        return Err(off());
    }
    let id = blocking(move || {
        ws.open(&upload.name, &upload.toml).map_err(|e| {
            ApiError::from_api(e, |p| FieldProblem {
                field: format!("toml: {}", p.field),
                line: p.line,
                column: p.column,
                found: p.found.clone(),
                expected: p.expected.clone(),
            })
        })
    })
    .await?;
    Ok(Json(Uploaded { id }))
}

/// Which red lines apply.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum RedLines {
    /// Every red line.
    #[default]
    All,
    /// Stated or reported, not assumed.
    Cited,
    /// Stated by the party itself.
    Stated,
}

impl RedLines {
    fn selection(self) -> RedLineSelection {
        match self {
            RedLines::All => RedLineSelection::All,
            RedLines::Cited => RedLineSelection::Cited,
            RedLines::Stated => RedLineSelection::Stated,
        }
    }
}

/// The analysis's options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalysisParams {
    /// `all` (default), `cited` or `stated`.
    pub red_lines: Option<RedLines>,
    /// Sensitivity draws (0 or absent: none; at most 2000).
    pub samples: Option<usize>,
    /// The draws' seed.
    pub seed: Option<u64>,
}

/// The most sensitivity draws one request may ask for.
pub const MAX_SAMPLES: usize = 2000;

/// `concord analyze --json` of a scenario held: the zone, frontier, solutions, issue map,
/// framework status, conflicts and smallest changes, and sensitivity draws when asked.
#[utoipa::path(get, path = "/analyst/scenarios/{id}/analysis",
    params(("id" = String, Path), AnalysisParams),
    responses((status = 200, description = "the `concord.analysis/1` report (schemas/)", body = Object),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn analysis(
    State(ws): Shared,
    Path(id): Path<String>,
    Query(params): Query<AnalysisParams>,
) -> Answer<Value> {
    let opened = ws.get(&id)?;
    let samples = params.samples.unwrap_or(0);
    if samples > MAX_SAMPLES {
        return Err(ApiError::bad_request_problems(
            format!("samples {samples} is over {MAX_SAMPLES}"),
            vec![FieldProblem::field(
                "samples".into(),
                samples.to_string(),
                format!("0 to {MAX_SAMPLES}"),
            )],
        ));
    }
    let json = blocking(move || {
        let mut request = AnalyzeRequest::default();
        request.settings.red_lines = params.red_lines.unwrap_or_default().selection();
        if samples > 0 {
            request.sensitivity = Some(SensitivityRequest {
                samples,
                seed: params.seed.unwrap_or(0),
            });
        }
        concord_api::analyze_loaded(&opened.loaded, &request, &Control::default())
            .map(|r| r.json())
            .map_err(api_error)
    })
    .await?;
    Ok(Json(json))
}

/// The utility space's options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpaceParams {
    /// The party on the horizontal axis.
    pub x: String,
    /// The party on the vertical axis.
    pub y: String,
    /// `all` (default), `cited` or `stated`.
    pub red_lines: Option<RedLines>,
}

/// The utility space of two parties (schema `concord.space/1`): every package binned on a grid,
/// the zone, the pair's frontier and the whole problem's solutions, downsampled for a chart and
/// saying so in its `notes`.
#[utoipa::path(get, path = "/analyst/scenarios/{id}/space",
    params(("id" = String, Path), SpaceParams),
    responses((status = 200, description = "the `concord.space/1` report (schemas/)", body = Object),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn space(
    State(ws): Shared,
    Path(id): Path<String>,
    Query(params): Query<SpaceParams>,
) -> Answer<Value> {
    let opened = ws.get(&id)?;
    let json = blocking(move || {
        let mut request = SpaceRequest::new(params.x, params.y);
        request.settings.red_lines = params.red_lines.unwrap_or_default().selection();
        concord_api::space(&opened.loaded, &request, &Control::default())
            .map(|r| r.json())
            .map_err(api_error)
    })
    .await?;
    Ok(Json(json))
}

/// `concord sequence --json` of a scenario held: a phased plan, or the demands that deadlock.
#[utoipa::path(get, path = "/analyst/scenarios/{id}/sequence",
    params(("id" = String, Path)),
    responses((status = 200, description = "the `concord.sequence/1` report (schemas/)", body = Object),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn sequence(State(ws): Shared, Path(id): Path<String>) -> Answer<Value> {
    let opened = ws.get(&id)?;
    let json = blocking(move || {
        let input = ScenarioInput::toml(&opened.file, &opened.text);
        concord_api::sequence(&input, &SequenceRequest::new(), &Control::default())
            .map(|r| r.json())
            .map_err(api_error)
    })
    .await?;
    Ok(Json(json))
}

/// `concord evidence claims --json` of a scenario held: the claims register with each claim's
/// standing (with the report texts given by `--sources`, copies of one story count once).
#[utoipa::path(get, path = "/analyst/scenarios/{id}/claims",
    params(("id" = String, Path)),
    responses((status = 200, description = "the `concord.claims/1` report (schemas/)", body = Object),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn claims(State(ws): Shared, Path(id): Path<String>) -> Answer<Value> {
    let opened = ws.get(&id)?;
    let json = blocking(move || {
        let input = ScenarioInput::toml(&opened.file, &opened.text);
        let texts = ws.source_texts(&opened.loaded);
        let texts = texts.iter().any(Option::is_some).then_some(texts);
        concord_api::claims(&input, texts.as_deref())
            .map(|r| r.json())
            .map_err(api_error)
    })
    .await?;
    Ok(Json(json))
}

/// `concord evidence conflicts --json` over the report texts given by `--sources`, with the
/// scenario's `[[sources]]` for their metadata: where the reports disagree.
#[utoipa::path(get, path = "/analyst/scenarios/{id}/conflicts",
    params(("id" = String, Path)),
    responses((status = 200, description = "the `concord.conflicts/1` report (schemas/)", body = Object),
        (status = 404, description = "no such scenario, or no report texts were given", body = crate::error::ErrorBody)))]
pub async fn conflicts(State(ws): Shared, Path(id): Path<String>) -> Answer<Value> {
    let opened = ws.get(&id)?;
    if ws.reports.is_empty() {
        return Err(ApiError::not_found(
            "no report texts on this server: start it with `--sources DIR` (a folder of .txt reports)",
        ));
    }
    if let Some(json) = opened.conflicts.get() {
        return Ok(Json(json.clone()));
    }
    let json = blocking(move || {
        let mut request = EvidenceRequest::new(ws.reports.clone());
        request.scenario = Some(ScenarioInput::toml(&opened.file, &opened.text));
        let json = concord_api::conflicts(&request, &Control::default())
            .map(|r| r.json())
            .map_err(api_error)?;
        Ok(opened.conflicts.get_or_init(|| json).clone())
    })
    .await?;
    Ok(Json(json))
}

/// One simulated negotiation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulateBody {
    /// A strategy per party id (names as `concord simulate --help` lists them).
    #[serde(default)]
    pub strategies: std::collections::BTreeMap<String, String>,
    /// The strategy of every party not named.
    pub default_strategy: Option<String>,
    /// The seed.
    #[serde(default)]
    pub seed: u64,
    /// The deadline in rounds (default 100, at most 1000 here).
    pub rounds: Option<usize>,
}

/// The most rounds a simulation here may run.
pub const MAX_ROUNDS: usize = 1000;

/// `concord simulate --trace --json` of a scenario held: every offer, the agreement and its
/// distances to the frontier and the bargaining points.
#[utoipa::path(post, path = "/analyst/scenarios/{id}/simulate",
    params(("id" = String, Path)), request_body = SimulateBody,
    responses((status = 200, description = "the `concord.simulate/1` report (docs/simulation.md)", body = Object),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn simulate(
    State(ws): Shared,
    Path(id): Path<String>,
    Body(body): Body<SimulateBody>,
) -> Answer<Value> {
    let opened = ws.get(&id)?;
    let rounds = body.rounds.unwrap_or(100);
    if rounds == 0 || rounds > MAX_ROUNDS {
        return Err(ApiError::bad_request_problems(
            format!("rounds {rounds} is out of range"),
            vec![FieldProblem::field(
                "rounds".into(),
                rounds.to_string(),
                format!("1 to {MAX_ROUNDS}"),
            )],
        ));
    }
    let json = blocking(move || {
        let mut request = SimulateRequest {
            strategies: body
                .strategies
                .iter()
                .map(|(p, s)| format!("{p}={s}"))
                .collect(),
            default_strategy: body.default_strategy,
            seed: body.seed,
            trace: true,
            ..SimulateRequest::default()
        };
        request.settings.rounds = rounds;
        let input = ScenarioInput::toml(&opened.file, &opened.text);
        concord_api::simulate(&input, &request, &Control::default())
            .map(|r| r.json())
            .map_err(api_error)
    })
    .await?;
    Ok(Json(json))
}

/// The analyst routes, on a workspace.
pub fn router(ws: Arc<Workspace>) -> axum::Router {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/analyst/scenarios", get(list).post(upload))
        .route("/analyst/scenarios/{id}/analysis", get(analysis))
        .route("/analyst/scenarios/{id}/space", get(space))
        .route("/analyst/scenarios/{id}/sequence", get(sequence))
        .route("/analyst/scenarios/{id}/claims", get(claims))
        .route("/analyst/scenarios/{id}/conflicts", get(conflicts))
        .route("/analyst/scenarios/{id}/simulate", post(simulate))
        .with_state(ws)
}

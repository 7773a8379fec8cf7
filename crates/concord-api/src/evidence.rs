//! `evidence extract`, `evidence conflicts`, `evidence claims` and `commitments`.

use concord_evidence::conflicts::{analyse_until, Analysis as ConflictAnalysis, ConflictConfig};
use concord_evidence::date::DateSpan;
use concord_evidence::extract::{
    extract_until, ExtractConfig, Extraction, Report as Text, SourceMeta,
};
use concord_io::evidence::{read_aliases, LoadedEvidence};
use concord_report::evidence::{
    claims_model, claims_model_text, commitments_model, commitments_model_text, conflicts_model,
    conflicts_text, extract_model, extract_text, review_ledger,
};
use concord_report::evidence_report::{
    ClaimsModel, CommitmentsModel, ConflictsModel, ExtractModel,
};

use crate::{Control, Error, Report, Result, ScenarioInput};

/// Plain-text reports and what is known about them.
#[derive(Debug, Clone, Default)]
pub struct EvidenceRequest {
    /// (file name, text) of each report; a report's id is its file name without `.txt`.
    pub reports: Vec<(String, String)>,
    /// A scenario whose `[[sources]]` give the reports' metadata (matched by `file`) and whose
    /// parties' names and aliases extend the alias list.
    pub scenario: Option<ScenarioInput>,
    /// An alias file, (name, text): `[actors] ukraine = ["Zelensky"]`, `outlets = ["…"]`.
    pub aliases: Option<(String, String)>,
    /// Publication dates, `FILE=DATE` (a day, a month `2025-12` or a range `a..b`); they
    /// override the scenario's and the report's own date line.
    pub published: Vec<String>,
    /// Assume that undated reports were published within a week of the dated ones (their
    /// weekdays then get a date range). On by default.
    pub undated_window: bool,
}

impl EvidenceRequest {
    /// The reports, with the defaults.
    pub fn new(reports: Vec<(String, String)>) -> Self {
        EvidenceRequest {
            reports,
            undated_window: true,
            ..EvidenceRequest::default()
        }
    }
}

/// The answer of [`extract_claims`].
#[derive(Debug, Clone)]
pub struct ExtractReport {
    /// Every candidate claim of every report.
    pub extraction: Extraction,
}

impl ExtractReport {
    /// The typed report (schema `concord.extract/1`, `schemas/extract.schema.json`).
    pub fn model(&self) -> ExtractModel {
        extract_model(&self.extraction)
    }
}

impl Report for ExtractReport {
    /// As text.
    fn text(&self) -> String {
        extract_text(&self.extraction)
    }

    /// As JSON ([`ExtractReport::model`] serialised; docs/evidence.md).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }
}

/// The answer of [`conflicts`].
#[derive(Debug, Clone)]
pub struct ConflictsReport {
    /// Every candidate claim of every report.
    pub extraction: Extraction,
    /// Events, conflicts and corroboration.
    pub analysis: ConflictAnalysis,
}

impl ConflictsReport {
    /// The typed report (schema `concord.conflicts/1`, `schemas/conflicts.schema.json`).
    pub fn model(&self) -> ConflictsModel {
        conflicts_model(&self.extraction, &self.analysis)
    }
}

impl Report for ConflictsReport {
    /// As text.
    fn text(&self) -> String {
        conflicts_text(&self.extraction, &self.analysis)
    }

    /// As JSON ([`ConflictsReport::model`] serialised; docs/evidence.md).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }
}

/// The extraction's settings and each report's metadata, from the request.
fn prepare(request: &EvidenceRequest) -> Result<(ExtractConfig, Vec<SourceMeta>)> {
    let texts = &request.reports;
    let mut config = ExtractConfig::default();
    if !request.undated_window {
        config.undated_window_days = None;
    }
    let mut meta: Vec<SourceMeta> = vec![SourceMeta::default(); texts.len()];
    if let Some(input) = &request.scenario {
        let loaded = crate::load(input, false)?;
        let scenario = loaded.scenario;
        for (k, (file, _)) in texts.iter().enumerate() {
            if let Some(s) = scenario.sources.iter().find(|s| s.file == *file) {
                meta[k] = SourceMeta {
                    outlet: s.outlet.clone(),
                    published: match &s.published {
                        Some(p) => Some(DateSpan::parse(p).ok_or_else(|| {
                            Error::bad_input(format!(
                                "{}: source `{}` has published = {p:?}, which is not a date such as \"2026-01-03\" or \"03 January 2026\"",
                                loaded.name, s.id
                            ))
                        })?),
                        None => None,
                    },
                    language: s.language.clone(),
                    translated: s.translated,
                    agencies: s.agencies.clone(),
                };
            }
        }
        for p in &scenario.parties {
            config.aliases.add(&p.id, &p.id);
            config.aliases.add(&p.name, &p.id);
            for a in &p.aliases {
                config.aliases.add(a, &p.id);
            }
        }
    }
    if let Some((name, text)) = &request.aliases {
        let file = read_aliases(text, name)?;
        for (alias, actor) in &file.aliases {
            config.aliases.add(alias, actor);
        }
        for o in &file.outlets {
            config.aliases.add_outlet(o);
        }
    }
    for spec in &request.published {
        let (name, date) = spec.split_once('=').ok_or_else(|| {
            Error::bad_input(format!(
                "published date {spec:?}: expected FILE=DATE, e.g. report.txt=2026-01-03"
            ))
        })?;
        let span = DateSpan::parse(date).ok_or_else(|| {
            Error::bad_input(format!(
                "published date {spec:?}: {date:?} is not a date (2026-01-03), a month (2025-12), a year or a range (a..b)"
            ))
        })?;
        let k = texts
            .iter()
            .position(|(f, _)| f == name || f.trim_end_matches(".txt") == name)
            .ok_or_else(|| {
                Error::bad_input(format!(
                    "published date {spec:?}: no report {name:?} (reports: {})",
                    texts
                        .iter()
                        .map(|(f, _)| f.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        meta[k].published = Some(span);
    }
    Ok((config, meta))
}

fn run_extract(
    request: &EvidenceRequest,
    meta: &[SourceMeta],
    config: &ExtractConfig,
    control: &Control,
) -> Result<Extraction> {
    let reports: Vec<Text<'_>> = request
        .reports
        .iter()
        .zip(meta)
        .map(|((file, text), m)| Text {
            id: file.trim_end_matches(".txt").to_string(),
            file: file.clone(),
            text,
            meta: m.clone(),
        })
        .collect();
    let extraction = control.watch(|watch| extract_until(&reports, config, watch));
    control.check()?;
    Ok(extraction)
}

fn require_reports(request: &EvidenceRequest) -> Result<()> {
    if request.reports.is_empty() {
        return Err(Error::bad_input("no reports to read"));
    }
    Ok(())
}

/// Candidate claims of plain-text reports: speakers, actors, figures, dates, denials, relayed
/// agencies. Cancelled through `control` at any sentence.
pub fn extract_claims(request: &EvidenceRequest, control: &Control) -> Result<ExtractReport> {
    require_reports(request)?;
    let (config, meta) = prepare(request)?;
    Ok(ExtractReport {
        extraction: run_extract(request, &meta, &config, control)?,
    })
}

/// The reports' claims about the same events aligned, where they conflict, and corroboration
/// by independent sources. Cancelled through `control` at any sentence of the extraction and
/// any clause of the search for aligned pairs.
pub fn conflicts(request: &EvidenceRequest, control: &Control) -> Result<ConflictsReport> {
    require_reports(request)?;
    let (config, meta) = prepare(request)?;
    let extraction = run_extract(request, &meta, &config, control)?;
    let analysis = control.watch(|watch| {
        analyse_until(
            &extraction,
            &config.aliases,
            &ConflictConfig::default(),
            watch,
        )
    });
    control.check()?;
    Ok(ConflictsReport {
        extraction,
        analysis,
    })
}

/// The answer of [`claims`]: the file's evidence tables.
#[derive(Debug, Clone)]
pub struct EvidenceFileReport {
    /// The scenario, claims register and ledger.
    pub evidence: LoadedEvidence,
}

/// The claims register of a scenario file, with each claim's standing; with the texts of its
/// sources (in the order of `[[sources]]`), copies and rewrites of one story count as one origin.
pub fn claims(
    input: &ScenarioInput,
    source_texts: Option<&[Option<String>]>,
) -> Result<EvidenceFileReport> {
    let loaded = crate::load(input, false)?;
    let tables = loaded.whole("the claims register")?.evidence.clone();
    if let Some(texts) = source_texts {
        crate::sources::require_some_texts(&loaded, texts)?;
    }
    let mut evidence = tables.with_scenario(loaded.scenario);
    if let Some(texts) = source_texts {
        evidence.join_stories(texts);
    }
    Ok(EvidenceFileReport { evidence })
}

impl EvidenceFileReport {
    /// The claims register's typed report (schema `concord.claims/1`,
    /// `schemas/claims.schema.json`).
    pub fn claims_model(&self) -> ClaimsModel {
        claims_model(&self.evidence)
    }
}

impl Report for EvidenceFileReport {
    /// The claims register as text, rendered from [`EvidenceFileReport::claims_model`].
    fn text(&self) -> String {
        claims_model_text(&self.claims_model())
    }

    /// The claims register as JSON ([`EvidenceFileReport::claims_model`] serialised).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.claims_model())
    }
}

/// The answer of [`commitments`].
#[derive(Debug, Clone)]
pub struct CommitmentsReport {
    /// The file's evidence tables.
    pub evidence: LoadedEvidence,
    /// The review of its ledger.
    pub review: concord_evidence::commitments::Review,
}

impl CommitmentsReport {
    /// Whether every trigger has a firm pledge behind it.
    pub fn covered(&self) -> bool {
        self.review.uncovered.is_empty()
    }

    /// The typed report (schema `concord.commitments/1`, `schemas/commitments.schema.json`).
    pub fn model(&self) -> CommitmentsModel {
        commitments_model(&self.evidence.ledger, &self.review)
    }
}

impl Report for CommitmentsReport {
    /// As text, rendered from [`CommitmentsReport::model`].
    fn text(&self) -> String {
        commitments_model_text(&self.model())
    }

    /// As JSON ([`CommitmentsReport::model`] serialised; docs/evidence.md).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }

    /// Whether every trigger has a firm pledge behind it.
    fn answer(&self) -> Option<bool> {
        Some(self.covered())
    }
}

/// The pledges and guarantees behind each layer, their conditions and uncovered triggers.
pub fn commitments(input: &ScenarioInput) -> Result<CommitmentsReport> {
    let loaded = crate::load(input, false)?;
    let tables = loaded.whole("the commitments ledger")?.evidence.clone();
    let evidence = tables.with_scenario(loaded.scenario);
    let review = review_ledger(&evidence.ledger);
    Ok(CommitmentsReport { evidence, review })
}

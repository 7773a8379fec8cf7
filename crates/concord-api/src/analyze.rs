//! `analyze`: is there a zone of agreement, its frontier, bargaining solutions, what blocks;
//! with what-ifs and sensitivity draws.

use concord_core::analysis::{analyze_with, Analysis, AnalysisConfig};
use concord_core::model::Scenario;
use concord_core::sensitivity::{
    draw_range_with, sensitivity_with, summarise_with, DrawChoices, Sensitivity, SensitivityConfig,
};
use concord_core::whatif::{apply, Applied, WhatIf};
use concord_io::request::{parse_what_ifs, WhatIfFlags};
use concord_report::analysis_text::analysis_model_text;
use concord_report::json::AnalysisReport;
use concord_report::proposal::what_if_lines;
use concord_report::text::TextOptions;

use crate::{Control, Error, Loaded, Report, Result, ScenarioInput, Settings};

/// Sensitivity draws: how many, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensitivityRequest {
    /// Scenarios drawn within the ranges of assumed numbers.
    pub samples: usize,
    /// The seed of the draws.
    pub seed: u64,
}

/// What to analyse and how.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalyzeRequest {
    /// Method, limits, red lines, arithmetic.
    pub settings: Settings,
    /// What-if changes for this answer, the scenario as given unchanged.
    pub what_if: WhatIfFlags,
    /// Sensitivity draws, when wanted.
    pub sensitivity: Option<SensitivityRequest>,
}

/// The answer of [`analyze`]: the scenario analysed (with the what-ifs applied), the analysis,
/// the sensitivity draws when asked, and the what-ifs in words.
#[derive(Debug, Clone)]
pub struct AnalyzeReport {
    /// How the input was named.
    pub name: String,
    /// The scenario analysed.
    pub scenario: Scenario,
    /// The analysis.
    pub analysis: Analysis,
    /// The sensitivity draws, when asked.
    pub sensitivity: Option<Sensitivity>,
    /// The what-ifs applied, in words (empty without any).
    pub what_if: Vec<String>,
}

impl AnalyzeReport {
    /// Whether an agreement zone exists.
    pub fn zone_exists(&self) -> bool {
        self.analysis.zone_exists
    }

    /// The report as text with `options` (the whole frontier listed), fitted to the width set
    /// by [`concord_report::layout::set_width`]; [`Report::text`] is the default options'.
    pub fn text_with(&self, options: &TextOptions) -> String {
        analysis_model_text(&self.model(), options)
    }

    /// The typed report (schema `concord.analysis/1`, `schemas/analysis.schema.json`).
    pub fn model(&self) -> AnalysisReport {
        let mut report =
            AnalysisReport::new(&self.scenario, &self.analysis, self.sensitivity.as_ref());
        report.what_if = Some(self.what_if.clone());
        report
    }

    /// The whole frontier, to be written as JSON Lines ([`FrontierLines::write_to`]); an
    /// error of kind limit when it was not materialised (branch and bound computes only its
    /// solutions). Checking and writing are two steps, so that each has one kind of failure.
    pub fn frontier(&self) -> Result<FrontierLines<'_>> {
        if !self.analysis.frontier_materialised {
            return Err(Error::new(
                crate::ErrorKind::Limit,
                format!(
                    "the frontier of {} cannot be written: it was not materialised ({}); only the merge and enumeration build it, within their partial-sum limit",
                    self.name,
                    self.analysis.method.as_str()
                ),
            ));
        }
        Ok(FrontierLines { report: self })
    }
}

impl Report for AnalyzeReport {
    fn text(&self) -> String {
        self.text_with(&TextOptions::default())
    }

    /// The report as JSON ([`AnalyzeReport::model`] serialised; docs/json-output.md).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }

    /// Whether an agreement zone exists.
    fn answer(&self) -> Option<bool> {
        Some(self.zone_exists())
    }
}

/// A materialised frontier, ready to be written ([`AnalyzeReport::frontier`]).
#[derive(Debug, Clone, Copy)]
pub struct FrontierLines<'a> {
    report: &'a AnalyzeReport,
}

impl FrontierLines<'_> {
    /// Streams every point as JSON Lines, one `{utilities, package_count, packages}` object per
    /// line (the objects of the report's frontier), so that a frontier of any size is written
    /// without being held as one string.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        concord_report::json::write_frontier_lines(
            &self.report.scenario,
            &self.report.analysis,
            out,
        )
    }
}

/// Analyses a scenario.
pub fn analyze(
    input: &ScenarioInput,
    request: &AnalyzeRequest,
    control: &Control,
) -> Result<AnalyzeReport> {
    let loaded = crate::load(input, request.settings.normalize_weights)?;
    analyze_loaded(&loaded, request, control)
}

/// [`analyze`] of a scenario already loaded.
pub fn analyze_loaded(
    loaded: &Loaded,
    request: &AnalyzeRequest,
    control: &Control,
) -> Result<AnalyzeReport> {
    analyze_then(loaded, request, control, |scenario, config, s, hooks| {
        sensitivity_with(
            scenario,
            &SensitivityConfig {
                samples: s.samples,
                seed: s.seed,
                analysis: config.clone(),
            },
            hooks,
        )
    })
}

/// The draws numbered `range` of the request's sensitivity run, drawn from the scenario with the
/// request's what-ifs applied: one stretch of a run split among processes or machines, to be put
/// together by [`analyze_parts`]. Draw `i` uses stream `i` of the seed wherever it is drawn, so
/// the stretches of any split give the draws of the whole run.
pub fn sensitivity_part(
    loaded: &Loaded,
    request: &AnalyzeRequest,
    range: std::ops::Range<usize>,
    control: &Control,
) -> Result<SensitivityPart> {
    loaded.require_issues()?;
    let s = sensitivity_of(request)?;
    if range.start > range.end || range.end > s.samples {
        return Err(Error::bad_input(format!(
            "draws {}..{} are not within the {} of the run",
            range.start, range.end, s.samples
        )));
    }
    let config = request.settings.config();
    let (scenario, _) = apply_flags(&loaded.scenario, &request.what_if, &config)?;
    let start = range.start;
    let draws = control
        .run("sensitivity draws", |hooks| {
            draw_range_with(
                &scenario,
                &SensitivityConfig {
                    samples: s.samples,
                    seed: s.seed,
                    analysis: config.clone(),
                },
                range,
                hooks,
            )
        })
        .map_err(|e| {
            Error::from_analysis(e, control.is_cancelled())
                .context(format!("cannot analyse {}", loaded.name))
        })?;
    control.check()?;
    Ok(SensitivityPart { start, draws })
}

/// [`analyze_loaded`] with the sensitivity draws already made, in stretches, by
/// [`sensitivity_part`] (with the same request): the parts, in any order, must cover the run's
/// draws exactly once. The report is the one [`analyze_loaded`] gives.
pub fn analyze_parts(
    loaded: &Loaded,
    request: &AnalyzeRequest,
    mut parts: Vec<SensitivityPart>,
    control: &Control,
) -> Result<AnalyzeReport> {
    let s = sensitivity_of(request)?;
    // Empty stretches hold nothing to place (an empty one may start where another does).
    parts.retain(|p| !p.draws.is_empty());
    parts.sort_by_key(|p| p.start);
    let mut next = 0;
    for p in &parts {
        if p.start != next {
            return Err(Error::bad_input(format!(
                "the sensitivity parts do not cover draws 0..{} once each: draw {next} is followed by draw {}",
                s.samples, p.start
            )));
        }
        next += p.draws.len();
    }
    if next != s.samples {
        return Err(Error::bad_input(format!(
            "the sensitivity parts hold {next} draws, not the {} of the run",
            s.samples
        )));
    }
    let draws: Vec<DrawChoices> = parts.into_iter().flat_map(|p| p.draws).collect();
    analyze_then(loaded, request, control, |scenario, config, s, hooks| {
        summarise_with(
            scenario,
            &SensitivityConfig {
                samples: s.samples,
                seed: s.seed,
                analysis: config.clone(),
            },
            &draws,
            hooks,
        )
    })
}

/// A stretch of a sensitivity run's draws ([`sensitivity_part`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitivityPart {
    /// The number of its first draw.
    pub start: usize,
    /// What each draw showed, in order.
    pub draws: Vec<DrawChoices>,
}

/// The request's sensitivity run; an error when it asks for none.
fn sensitivity_of(request: &AnalyzeRequest) -> Result<SensitivityRequest> {
    request.sensitivity.ok_or_else(|| {
        Error::bad_input("the request asks for no sensitivity draws (`sensitivity` is not set)")
    })
}

/// The analysis of the scenario with the request's what-ifs, and its sensitivity as `sensitivity`
/// computes it when the request asks for one.
fn analyze_then(
    loaded: &Loaded,
    request: &AnalyzeRequest,
    control: &Control,
    sensitivity: impl FnOnce(
        &Scenario,
        &AnalysisConfig,
        SensitivityRequest,
        &concord_core::analysis::Hooks,
    )
        -> std::result::Result<Sensitivity, concord_core::analysis::AnalysisError>,
) -> Result<AnalyzeReport> {
    loaded.require_issues()?;
    let config = request.settings.config();
    let cannot = |e| {
        Error::from_analysis(e, control.is_cancelled())
            .context(format!("cannot analyse {}", loaded.name))
    };
    let (scenario, what_if) = apply_flags(&loaded.scenario, &request.what_if, &config)?;
    let analysis = control
        .run("analysing", |hooks| analyze_with(&scenario, &config, hooks))
        .map_err(cannot)?;
    let sensitivity = match request.sensitivity {
        Some(s) => Some(
            control
                .run("sensitivity draws", |hooks| {
                    sensitivity(&scenario, &config, s, hooks)
                })
                .map_err(cannot)?,
        ),
        None => None,
    };
    control.check()?;
    Ok(AnalyzeReport {
        name: loaded.name.clone(),
        scenario,
        analysis,
        sensitivity,
        what_if,
    })
}

/// The what-if flags applied, with their lines; the scenario unchanged when there are none.
fn apply_flags(
    scenario: &Scenario,
    flags: &WhatIfFlags,
    config: &AnalysisConfig,
) -> Result<(Scenario, Vec<String>)> {
    if flags.is_empty() {
        return Ok((scenario.clone(), Vec::new()));
    }
    let changes = parse_what_ifs(scenario, flags)?;
    let (applied, lines) = apply_what_ifs(scenario, &changes, config)?;
    Ok((applied.scenario, lines))
}

/// The what-ifs applied, or why the variant has no agreement zone to analyse: a fixed issue
/// that breaks a red line shaping the zone whatever the other issues.
pub(crate) fn apply_what_ifs(
    scenario: &Scenario,
    changes: &[WhatIf],
    config: &AnalysisConfig,
) -> Result<(Applied, Vec<String>)> {
    let applied = apply(scenario, changes)
        .map_err(|e| Error::bad_input(format!("cannot apply the what-if changes: {e}")))?;
    let lines = what_if_lines(scenario, changes, &applied);
    if let Some(why) = closed_by(scenario, &applied, config) {
        return Err(Error::bad_input(format!(
            "{why}, so there is no agreement zone to analyse; drop the red line too to see the rest"
        ))
        .with_remedy("drop_red_line"));
    }
    Ok((applied, lines))
}

/// Why the what-ifs leave no agreement zone whatever the other issues, when they do: the fixed
/// issues break a red line shaping the zone (or a party's red lines together).
pub(crate) fn closed_by(
    scenario: &Scenario,
    applied: &Applied,
    config: &AnalysisConfig,
) -> Option<String> {
    let r = applied.restricted.as_ref()?;
    let blocking: Vec<String> = r
        .broken
        .iter()
        .filter(|&&b| concord_core::proposal::applies(scenario, config, b))
        .map(|&b| {
            format!(
                "`{}` of {}",
                scenario.red_lines[b].id, scenario.parties[scenario.red_lines[b].party].name
            )
        })
        .chain(
            r.jointly
                .iter()
                .filter(|&&p| scenario.parties[p].consent)
                .map(|&p| format!("all of {}'s red lines together", scenario.parties[p].name)),
        )
        .collect();
    (!blocking.is_empty()).then(|| {
        format!(
            "the fixed issues break {} whatever the other issues",
            blocking.join(", ")
        )
    })
}

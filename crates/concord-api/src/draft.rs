//! The draft on the table: `score` it, `improve` it for everyone, `compare` what-if variants.

use concord_core::analysis::analyze_with;
use concord_core::bargaining::Concept;
use concord_core::model::{OptionSet, Proposal, Scenario, Term};
use concord_core::proposal::{improve_with, score_with, Improvements, Score};
use concord_core::whatif::{apply, WhatIf};
use concord_io::request::{
    combine, parse_keep, parse_package, parse_variant, parse_what_ifs, pick_proposal, WhatIfFlags,
};
use concord_report::draft_report::{CompareModel, ImproveModel, ScoreModel};
use concord_report::proposal::{
    compare_model, compare_text, improve_model, improve_model_text, score_model, score_model_text,
    what_if_lines, Variant,
};

use crate::analyze::closed_by;
use crate::{Control, Error, Loaded, Report, Result, ScenarioInput, Settings};

/// Which proposal: an id of `[[proposals]]` or `framework`, and terms that replace its terms or
/// make a package of their own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// An id of `[[proposals]]`, or `framework` (the default when the framework proposes
    /// anything).
    pub proposal: Option<String>,
    /// Terms, `ISSUE=OPTION,…`.
    pub package: Option<String>,
    /// What-if changes; fixes become terms of the draft.
    pub what_if: WhatIfFlags,
}

/// A `score` request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreRequest {
    /// Method, limits, red lines, arithmetic.
    pub settings: Settings,
    /// The draft.
    pub draft: Draft,
}

/// An `improve` request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImproveRequest {
    /// Method, limits, red lines, arithmetic.
    pub settings: Settings,
    /// The draft.
    pub draft: Draft,
    /// Issues not to reopen, `ISSUE,…`.
    pub keep: Option<String>,
    /// Settle the issues a partial draft leaves open with its best completion by this concept.
    pub fill: Option<Concept>,
}

/// A `compare` request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareRequest {
    /// Method, limits, red lines, arithmetic.
    pub settings: Settings,
    /// The variants: changes separated by spaces, each `drop:RED-LINE`,
    /// `reservation:PARTY=VALUE`, `weight:PARTY.ISSUE=VALUE` or `fix:ISSUE=OPTION`.
    pub variants: Vec<String>,
}

/// A draft chosen with its terms combined, against the scenario as written; the what-ifs other
/// than fixes applied to the scenario (fixes become terms).
struct Chosen {
    scenario: Scenario,
    proposal: Option<Proposal>,
    allowed: Vec<OptionSet>,
    overridden: Vec<usize>,
    fixed: Vec<usize>,
    lines: Vec<String>,
}

fn choose(original: &Scenario, draft: &Draft) -> Result<Chosen> {
    // A fix is a term too: with one, no proposal is needed.
    let proposal = pick_proposal(
        original,
        draft.proposal.as_deref(),
        draft.package.is_some() || !draft.what_if.fix.is_empty(),
    )?;
    let mut terms: Vec<Term> = match &draft.package {
        Some(p) => parse_package(original, p)?,
        None => Vec::new(),
    };
    let changes = parse_what_ifs(original, &draft.what_if)?;
    let mut fixed = Vec::new();
    for c in &changes {
        if let WhatIf::Fix { issue, option } = *c {
            terms.retain(|t| t.issue != issue);
            terms.push(Term {
                issue,
                options: vec![option],
            });
            fixed.push(issue);
        }
    }
    let (allowed, overridden) = combine(original, proposal.as_ref(), &terms);
    // Fixes are the proposal's terms here, not a narrowing of the scenario.
    let others: Vec<WhatIf> = changes
        .iter()
        .filter(|c| !matches!(c, WhatIf::Fix { .. }))
        .cloned()
        .collect();
    let applied = apply(original, &others)
        .map_err(|e| Error::bad_input(format!("cannot apply the what-if changes: {e}")))?;
    let lines = what_if_lines(original, &changes, &applied);
    Ok(Chosen {
        scenario: applied.scenario,
        proposal,
        allowed,
        overridden,
        fixed,
        lines,
    })
}

fn loaded_for_draft(input: &ScenarioInput, settings: &Settings) -> Result<Loaded> {
    let loaded = crate::load(input, settings.normalize_weights)?;
    loaded.require_issues()?;
    Ok(loaded)
}

fn cannot<'a>(
    loaded: &'a Loaded,
    control: &'a Control,
) -> impl Fn(concord_core::analysis::AnalysisError) -> Error + 'a {
    move |e| {
        Error::from_analysis(e, control.is_cancelled())
            .context(format!("cannot analyse {}", loaded.name))
    }
}

/// The answer of [`score`].
#[derive(Debug, Clone)]
pub struct ScoreReport {
    /// The scenario, with the what-ifs other than fixes applied.
    pub scenario: Scenario,
    /// The proposal scored, when one was named or is the default.
    pub proposal: Option<Proposal>,
    /// Issues whose terms the request replaced.
    pub overridden: Vec<usize>,
    /// The score.
    pub score: Score,
    /// The what-ifs in words.
    pub what_if: Vec<String>,
}

impl ScoreReport {
    /// Whether the package is in the agreement zone (for a partial draft: some completion is).
    pub fn positive(&self) -> bool {
        match (&self.score.in_zone, &self.score.completions) {
            (Some(z), _) => *z,
            (None, Some(c)) => c.analysis.as_ref().is_some_and(|a| a.zone_exists),
            (None, None) => false,
        }
    }

    /// The typed report (schema `concord.score/1`, `schemas/score.schema.json`).
    pub fn model(&self) -> ScoreModel {
        score_model(
            &self.scenario,
            self.proposal.as_ref(),
            &self.overridden,
            &self.score,
            &self.what_if,
        )
    }
}

impl Report for ScoreReport {
    /// As text.
    fn text(&self) -> String {
        score_model_text(&self.model())
    }

    /// As JSON ([`ScoreReport::model`] serialised).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }

    /// Whether the package (or some completion) is in the agreement zone.
    fn answer(&self) -> Option<bool> {
        Some(self.positive())
    }
}

/// What a draft gives each party, which red lines it breaks, how far it is from the frontier;
/// for a partial draft, what the open issues can still give and the best completions.
pub fn score(
    input: &ScenarioInput,
    request: &ScoreRequest,
    control: &Control,
) -> Result<ScoreReport> {
    let loaded = loaded_for_draft(input, &request.settings)?;
    let chosen = choose(&loaded.scenario, &request.draft)?;
    let config = request.settings.config();
    let score = control
        .run("scoring", |hooks| {
            score_with(&chosen.scenario, &chosen.allowed, &config, hooks)
        })
        .map_err(cannot(&loaded, control))?;
    control.check()?;
    Ok(ScoreReport {
        scenario: chosen.scenario,
        proposal: chosen.proposal,
        overridden: chosen.overridden,
        score,
        what_if: chosen.lines,
    })
}

/// The answer of [`improve`].
#[derive(Debug, Clone)]
pub struct ImproveReport {
    /// The scenario, with the what-ifs other than fixes applied.
    pub scenario: Scenario,
    /// The proposal improved on.
    pub proposal: Option<Proposal>,
    /// Issues whose terms the request replaced.
    pub overridden: Vec<usize>,
    /// The improvements.
    pub improvements: Improvements,
    /// The what-ifs and the filling of open issues, in words.
    pub what_if: Vec<String>,
}

impl ImproveReport {
    /// Whether an improvement exists.
    pub fn improvable(&self) -> bool {
        !self.improvements.efficient
    }

    /// The typed report (schema `concord.improve/1`, `schemas/improve.schema.json`).
    pub fn model(&self) -> ImproveModel {
        improve_model(
            &self.scenario,
            self.proposal.as_ref(),
            &self.overridden,
            &self.improvements,
            &self.what_if,
        )
    }
}

impl Report for ImproveReport {
    /// As text.
    fn text(&self) -> String {
        improve_model_text(&self.model())
    }

    /// As JSON ([`ImproveReport::model`] serialised).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }

    /// Whether an improvement exists.
    fn answer(&self) -> Option<bool> {
        Some(self.improvable())
    }
}

/// The Pareto improvements over a draft: packages every consenting party weakly prefers and one
/// strictly, or the proof that there are none.
pub fn improve(
    input: &ScenarioInput,
    request: &ImproveRequest,
    control: &Control,
) -> Result<ImproveReport> {
    let loaded = loaded_for_draft(input, &request.settings)?;
    let original = &loaded.scenario;
    let chosen = choose(original, &request.draft)?;
    let config = request.settings.config();
    let open: Vec<String> = chosen
        .allowed
        .iter()
        .enumerate()
        .filter(|(_, s)| s.indices().len() != 1)
        .map(|(i, _)| original.issues[i].id.clone())
        .collect();
    let mut lines = chosen.lines.clone();
    let package: Vec<usize> = match (open.is_empty(), request.fill) {
        (true, _) => chosen.allowed.iter().map(|s| s.indices()[0]).collect(),
        (false, None) => {
            return Err(Error::bad_input(format!(
                "the proposal leaves {} open (or admits several options there); improve needs a whole package: settle them in the package, or fill them with a bargaining solution's completion (scoring the proposal shows the best completions)",
                open.join(", ")
            ))
            .with_remedy("fill"))
        }
        (false, Some(concept)) => {
            let scored = control
                .run("scoring", |hooks| {
                    score_with(&chosen.scenario, &chosen.allowed, &config, hooks)
                })
                .map_err(cannot(&loaded, control))?;
            control.check()?;
            let best = scored.completions.as_ref().and_then(|c| {
                let a = c.analysis.as_ref()?;
                let s = a.solutions.iter().find(|s| s.concept == concept)?;
                let point = a.solution_point(*s.points.first()?);
                let package = a.packages(point).into_iter().next()?;
                Some(c.restricted.original(&package))
            });
            let Some(best) = best else {
                return Err(Error::bad_input(format!(
                    "filling with {}: no completion of the proposal is in the agreement zone, so there is none to fill with (scoring the proposal says why)",
                    concept.as_str()
                )));
            };
            let filled: Vec<String> = original
                .issues
                .iter()
                .enumerate()
                .filter(|(_, issue)| open.contains(&issue.id))
                .map(|(i, issue)| format!("{} = {}", issue.id, issue.options[best[i]].id))
                .collect();
            lines.push(format!(
                "the open issues filled with the {} completion: {}",
                concept.as_str(),
                filled.join(", ")
            ));
            best
        }
    };
    let mut keep = match &request.keep {
        Some(k) => parse_keep(original, k)?,
        None => Vec::new(),
    };
    keep.extend(&chosen.fixed);
    let improvements = control
        .run("improving", |hooks| {
            improve_with(&chosen.scenario, &package, &keep, &config, hooks)
        })
        .map_err(cannot(&loaded, control))?;
    control.check()?;
    Ok(ImproveReport {
        scenario: chosen.scenario,
        proposal: chosen.proposal,
        overridden: chosen.overridden,
        improvements,
        what_if: lines,
    })
}

/// One variant of [`compare`]: its label, changes, scenario and analysis (or why it has none).
#[derive(Debug, Clone)]
pub struct ComparedVariant {
    /// `as written`, or the variant's text.
    pub label: String,
    /// The changes in words.
    pub what_if: Vec<String>,
    /// The scenario analysed (the scenario as written when the variant cannot be applied).
    pub scenario: Scenario,
    /// The analysis, or why the variant cannot be analysed.
    pub outcome: std::result::Result<concord_core::analysis::Analysis, String>,
    /// Why the variant has no zone whatever the issues left open, when known without analysis.
    pub closed: Option<String>,
}

/// The answer of [`compare`]: the scenario as written first, then each variant.
#[derive(Debug, Clone)]
pub struct CompareReport {
    /// The variants.
    pub variants: Vec<ComparedVariant>,
}

impl CompareReport {
    fn borrowed(&self) -> Vec<Variant<'_>> {
        self.variants
            .iter()
            .map(|v| Variant {
                label: v.label.clone(),
                what_if: v.what_if.clone(),
                scenario: &v.scenario,
                outcome: v.outcome.clone(),
                closed: v.closed.clone(),
            })
            .collect()
    }

    /// The typed report (schema `concord.compare/1`, `schemas/compare.schema.json`).
    pub fn model(&self) -> CompareModel {
        compare_model(&self.borrowed())
    }
}

impl Report for CompareReport {
    /// As text.
    fn text(&self) -> String {
        compare_text(&self.borrowed())
    }

    /// As JSON ([`CompareReport::model`] serialised).
    fn json(&self) -> serde_json::Value {
        crate::to_json(&self.model())
    }
}

/// What-if variants side by side: zone, the four solutions, which conclusions change.
pub fn compare(
    input: &ScenarioInput,
    request: &CompareRequest,
    control: &Control,
) -> Result<CompareReport> {
    let loaded = loaded_for_draft(input, &request.settings)?;
    let original = &loaded.scenario;
    let config = concord_core::analysis::AnalysisConfig {
        issue_map: false,
        ..request.settings.config()
    };
    let mut changes = Vec::new();
    for text in &request.variants {
        changes.push(parse_variant(original, text)?);
    }
    let mut variants = vec![ComparedVariant {
        label: "as written".to_string(),
        what_if: Vec::new(),
        scenario: original.clone(),
        outcome: Err(String::new()),
        closed: None,
    }];
    // Whether each variant is still to be analysed (its outcome a placeholder until then).
    let mut pending = vec![true];
    for (text, c) in request.variants.iter().zip(&changes) {
        variants.push(match apply(original, c) {
            Ok(a) => {
                let lines = what_if_lines(original, c, &a);
                let closed = closed_by(original, &a, &config);
                pending.push(closed.is_none());
                match closed {
                    // A fix that breaks a red line: a conclusion, not an error.
                    Some(why) => ComparedVariant {
                        label: text.clone(),
                        what_if: lines,
                        scenario: original.clone(),
                        outcome: Err(why.clone()),
                        closed: Some(why),
                    },
                    None => ComparedVariant {
                        label: text.clone(),
                        what_if: lines,
                        scenario: a.scenario,
                        outcome: Err(String::new()),
                        closed: None,
                    },
                }
            }
            Err(e) => {
                pending.push(false);
                ComparedVariant {
                    label: text.clone(),
                    what_if: Vec::new(),
                    scenario: original.clone(),
                    outcome: Err(format!("cannot apply the what-if changes: {e}")),
                    closed: None,
                }
            }
        });
    }
    for (v, _) in variants.iter_mut().zip(&pending).filter(|(_, &p)| p) {
        let outcome = control.run("analysing", |hooks| {
            analyze_with(&v.scenario, &config, hooks)
        });
        // A variant stopped by a cancel is not a variant without an answer: stop there.
        if let (Err(e), true) = (&outcome, control.is_cancelled()) {
            return Err(cannot(&loaded, control)(e.clone()));
        }
        control.check()?;
        v.outcome = outcome.map_err(|e| e.to_string());
    }
    if let Err(e) = &variants[0].outcome {
        return Err(Error::bad_input(format!(
            "cannot analyse {}: {e}",
            loaded.name
        )));
    }
    Ok(CompareReport { variants })
}

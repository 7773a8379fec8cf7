//! Sensitivity analysis: redraw every assumed number within its range and see which conclusions
//! survive.
//!
//! Each sample draws every ranged number uniformly within its range; a party's weights are then
//! divided by their sum, so that they again sum to 1. Samples use independent ChaCha8 streams
//! derived from the seed and the sample's number, so a run is the same for a given seed whatever
//! the number of threads, or of stretches the draws are split into ([`draw_range_with`],
//! [`summarise_with`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::analysis::{analyze_with, check, AnalysisConfig, AnalysisError, Hooks};
use crate::bargaining::Concept;

use crate::model::{Assumed, OptionIx, Scenario, ValueFunction};

/// Whether a zone exists, and the packages each concept picks.
type Choices = (bool, Vec<Vec<Vec<OptionIx>>>);

/// Options for [`sensitivity`].
#[derive(Debug, Clone)]
pub struct SensitivityConfig {
    /// How many scenarios to draw.
    pub samples: usize,
    /// The seed of the draws.
    pub seed: u64,
    /// Passed to each sample's analysis.
    pub analysis: AnalysisConfig,
}

/// How often one package was a concept's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageFrequency {
    /// The package: an option for every issue.
    pub package: Vec<OptionIx>,
    /// In how many samples it was among the choices.
    pub samples: usize,
}

/// The result for one bargaining concept.
#[derive(Debug, Clone, PartialEq)]
pub struct ConceptSensitivity {
    /// The concept.
    pub concept: Concept,
    /// The packages chosen at the central values: for each tied point, in the solution's order,
    /// its first package by option index (whatever the method and the listing limit). The first
    /// is the package the bargaining table shows.
    pub baseline: Vec<Vec<OptionIx>>,
    /// In how many samples one of the baseline packages was among the choices.
    pub baseline_holds: usize,
    /// The packages chosen in any sample, most frequent first (ties by package index).
    pub frequencies: Vec<PackageFrequency>,
    /// For each issue, in how many samples a chosen package sets it as the first central choice
    /// does: which parts of the recommendation survive the assumptions, even when the whole
    /// package does not.
    pub issue_holds: Vec<usize>,
}

/// What the draws showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Samples drawn.
    pub samples: usize,
    /// Numbers that carry a range.
    pub ranged_numbers: usize,
    /// Whether the central values have a zone.
    pub baseline_zone: bool,
    /// In how many samples an agreement zone exists.
    pub zone_exists: usize,
    /// One entry per concept.
    pub concepts: Vec<ConceptSensitivity>,
}

/// Every ranged number in a scenario's preferences, mutably.
fn ranged(scenario: &mut Scenario) -> Vec<&mut Assumed> {
    let mut out = Vec::new();
    for prefs in scenario.preferences.iter_mut().flatten() {
        out.push(&mut prefs.reservation);
        for ip in &mut prefs.issues {
            out.push(&mut ip.weight);
            if let ValueFunction::Table(values) = &mut ip.values {
                out.extend(values.iter_mut());
            }
        }
    }
    out.retain(|a| a.range.is_some());
    out
}

/// Draws one scenario within the ranges.
pub fn draw(scenario: &Scenario, rng: &mut impl Rng) -> Scenario {
    let mut sample = scenario.clone();
    for a in ranged(&mut sample) {
        let (lo, hi) = a.range.expect("filtered to ranged numbers");
        a.value = if hi > lo {
            rng.random_range(lo..=hi)
        } else {
            lo
        };
    }
    // Only weights that were drawn are renormalised: dividing weights that sum to 1 in decimal by
    // their float sum (0.9999999999999999 for 0.3, 0.6 and 0.1) would move every utility,
    // and a draw without ranged numbers would contradict the central analysis.
    for prefs in sample.preferences.iter_mut().flatten() {
        if prefs.issues.iter().all(|ip| ip.weight.range.is_none()) {
            continue;
        }
        let total: f64 = prefs.issues.iter().map(|ip| ip.weight.value).sum();
        if total > 0.0 {
            for ip in &mut prefs.issues {
                ip.weight.value /= total;
            }
        }
    }
    sample
}

/// The packages each concept picks in an analysis.
fn choices(
    scenario: &Scenario,
    config: &AnalysisConfig,
    stop: Option<&AtomicBool>,
) -> Result<Choices, AnalysisError> {
    let a = analyze_with(
        scenario,
        config,
        &Hooks {
            stop,
            progress: None,
            notice: None,
        },
    )?;
    let picks = Concept::ALL
        .iter()
        .map(|c| {
            a.solutions
                .iter()
                .find(|s| s.concept == *c)
                // One package per tied point, its first by option index, in the solution's order:
                // the first is the package the bargaining table shows, and the choices do not
                // depend on how many tied packages a method lists.
                .map(|s| {
                    s.points
                        .iter()
                        .filter_map(|&i| a.packages(a.solution_point(i)).into_iter().next())
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    Ok((a.zone_exists, picks))
}

/// Runs the sensitivity analysis.
pub fn sensitivity(
    scenario: &Scenario,
    config: &SensitivityConfig,
) -> Result<Sensitivity, AnalysisError> {
    sensitivity_with(scenario, config, &Hooks::default())
}

/// [`sensitivity`] with hooks: it polls `hooks.stop` (before each draw and within each draw's
/// analysis; once it is set, the result is [`AnalysisError::Stopped`]) and reports
/// `hooks.progress` as (draws done, draws) after each draw.
///
/// It is [`draw_range_with`] over every draw and [`summarise_with`] of what they showed; a run
/// split into stretches of draws (among processes or machines) and summarised gives the same
/// result.
pub fn sensitivity_with(
    scenario: &Scenario,
    config: &SensitivityConfig,
    hooks: &Hooks,
) -> Result<Sensitivity, AnalysisError> {
    check(scenario, &config.analysis)?;
    // The central values first: a scenario whose analysis fails fails before any draw.
    let baseline = choices(scenario, &sample_config(config), hooks.stop)?;
    let draws = draw_range_with(scenario, config, 0..config.samples, hooks)?;
    Ok(summary(scenario, baseline, &draws))
}

/// What one draw showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawChoices {
    /// Whether the drawn scenario has an agreement zone.
    pub zone_exists: bool,
    /// For each concept of [`Concept::ALL`], in that order, the packages it picks: one per tied
    /// point, its first by option index, in the solution's order.
    pub picks: Vec<Vec<Vec<OptionIx>>>,
}

/// The analysis configuration of every draw: only the solutions and the zone are needed.
fn sample_config(config: &SensitivityConfig) -> AnalysisConfig {
    AnalysisConfig {
        issue_map: false,
        explain: false,
        count_limit: 0,
        ..config.analysis.clone()
    }
}

/// The draws numbered `range` of a run of `config` (`config.samples` itself is not read): draw
/// `i` uses stream `i` of `config.seed`, whichever stretch it is drawn in, so the draws of
/// `0..n` are those of `0..k` followed by those of `k..n`. Polls `hooks.stop` as
/// [`sensitivity_with`] does and reports `hooks.progress` as (draws done, draws in `range`).
pub fn draw_range_with(
    scenario: &Scenario,
    config: &SensitivityConfig,
    range: std::ops::Range<usize>,
    hooks: &Hooks,
) -> Result<Vec<DrawChoices>, AnalysisError> {
    let stop = hooks.stop;
    let done = AtomicUsize::new(0);
    check(scenario, &config.analysis)?;
    let analysis = sample_config(config);
    let total = range.len();
    range
        .into_par_iter()
        .map(|i| {
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return Err(AnalysisError::Stopped(format!(
                    "cancelled during the sensitivity draws ({} asked)",
                    config.samples
                )));
            }
            let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
            rng.set_stream(i as u64);
            let sample = draw(scenario, &mut rng);
            let picked = choices(&sample, &analysis, stop);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = hooks.progress {
                progress(n, total);
            }
            picked.map(|(zone_exists, picks)| DrawChoices { zone_exists, picks })
        })
        .collect()
}

/// The result of a run from what its draws showed (every draw of the run, from
/// [`draw_range_with`], in any order: the result counts them). Analyses the central values for
/// the baseline; `config.samples` is not read, the draws given are the samples.
pub fn summarise_with(
    scenario: &Scenario,
    config: &SensitivityConfig,
    draws: &[DrawChoices],
    hooks: &Hooks,
) -> Result<Sensitivity, AnalysisError> {
    check(scenario, &config.analysis)?;
    let baseline = choices(scenario, &sample_config(config), hooks.stop)?;
    Ok(summary(scenario, baseline, draws))
}

/// Counts what the draws showed against the central choices.
fn summary(scenario: &Scenario, baseline: Choices, runs: &[DrawChoices]) -> Sensitivity {
    let (baseline_zone, baseline) = baseline;
    let concepts = Concept::ALL
        .iter()
        .enumerate()
        .map(|(c, &concept)| {
            let mut counts: HashMap<&[OptionIx], usize> = HashMap::new();
            let mut holds = 0;
            let central = baseline[c].first();
            let mut issue_holds = vec![0; scenario.issues.len()];
            for DrawChoices { picks, .. } in runs {
                if let Some(central) = central {
                    for (i, held) in issue_holds.iter_mut().enumerate() {
                        if picks[c].iter().any(|p| p[i] == central[i]) {
                            *held += 1;
                        }
                    }
                }
                for p in &picks[c] {
                    *counts.entry(p.as_slice()).or_default() += 1;
                }
                if picks[c].iter().any(|p| baseline[c].contains(p)) {
                    holds += 1;
                }
            }
            let mut frequencies: Vec<PackageFrequency> = counts
                .into_iter()
                .map(|(package, samples)| PackageFrequency {
                    package: package.to_vec(),
                    samples,
                })
                .collect();
            frequencies.sort_by(|a, b| b.samples.cmp(&a.samples).then(a.package.cmp(&b.package)));
            ConceptSensitivity {
                concept,
                baseline: baseline[c].clone(),
                baseline_holds: holds,
                frequencies,
                issue_holds,
            }
        })
        .collect();
    Sensitivity {
        samples: runs.len(),
        ranged_numbers: ranged(&mut scenario.clone()).len(),
        baseline_zone,
        zone_exists: runs.iter().filter(|d| d.zone_exists).count(),
        concepts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    /// Issue 11: without ranged numbers, a draw is the scenario itself. Weights 0.3, 0.6 and 0.1
    /// used to be divided by their float sum, 0.9999999999999999, in every draw.
    #[test]
    fn a_draw_without_ranged_numbers_is_the_scenario() {
        let issue = |id: &str| Issue {
            id: id.into(),
            name: id.into(),
            ordered: false,
            options: vec![IssueOption {
                id: "x".into(),
                name: "x".into(),
                value: None,
            }],
            numeric: None,
        };
        let prefs = Preferences {
            reservation: Assumed::exact(0.4),
            provenance: Provenance::default(),
            issues: [0.3, 0.6, 0.1]
                .into_iter()
                .map(|w| IssuePreference {
                    weight: Assumed::exact(w),
                    values: ValueFunction::Table(vec![Assumed::exact(1.0)]),
                    provenance: Provenance::default(),
                })
                .collect(),
            discount: None,
        };
        let scenario = Scenario {
            id: "s".into(),
            title: "s".into(),
            description: String::new(),
            sources: vec![],
            parties: vec![Party {
                id: "a".into(),
                name: "a".into(),
                role: Role::Party,
                consent: true,
                aliases: vec![],
                provenance: Provenance::default(),
            }],
            issues: ["i", "j", "k"].map(issue).to_vec(),
            preferences: vec![Some(prefs)],
            red_lines: vec![],
            framework: Framework::default(),
            claims: vec![],
        };
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        assert_eq!(draw(&scenario, &mut rng), scenario);
    }
}

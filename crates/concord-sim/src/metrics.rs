//! How good a result is: its distances to the Pareto frontier, the Nash point and the
//! Kalai-Smorodinsky point of the agreement zone, read off
//! [`concord_core::analysis::analyze`].
//!
//! Distances are Euclidean, in the utility space of the negotiating parties (the consenting
//! ones), from the result's utility vector (undiscounted; the reservation values when there is
//! no agreement) to the nearest frontier point, the nearest tied Nash point and the nearest
//! tied KS point. They are `None` when the zone is empty.

use concord_core::analysis::{analyze, AnalysisConfig};
use concord_core::bargaining::Concept;
use concord_core::model::Scenario;

use crate::SimError;

/// The reference points of a scenario, in the negotiating parties' order.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The zone's Pareto frontier.
    pub frontier: Vec<Vec<f64>>,
    /// The Nash points (ties all listed).
    pub nash: Vec<Vec<f64>>,
    /// The Kalai-Smorodinsky points.
    pub ks: Vec<Vec<f64>>,
}

/// A result's distances to the reference points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distances {
    /// To the nearest point of the Pareto frontier.
    pub pareto: Option<f64>,
    /// To the nearest Nash point.
    pub nash: Option<f64>,
    /// To the nearest Kalai-Smorodinsky point.
    pub ks: Option<f64>,
}

/// Computes the frontier and the bargaining points of a scenario (no issue map, no counting,
/// no explanation of an empty zone: only what the metrics need).
pub fn reference(scenario: &Scenario) -> Result<Reference, SimError> {
    let config = AnalysisConfig {
        issue_map: false,
        explain: false,
        count_limit: 0,
        package_limit: 1,
        ..AnalysisConfig::default()
    };
    let analysis = analyze(scenario, &config).map_err(|e| SimError::Analysis(e.to_string()))?;
    let points = |concept: Concept| -> Vec<Vec<f64>> {
        analysis
            .solutions
            .iter()
            .filter(|s| s.concept == concept)
            .flat_map(|s| {
                s.points
                    .iter()
                    .map(|&p| analysis.solution_point(p).utilities.clone())
            })
            .collect()
    };
    Ok(Reference {
        frontier: analysis
            .frontier
            .iter()
            .map(|p| p.utilities.clone())
            .collect(),
        nash: points(Concept::Nash),
        ks: points(Concept::KalaiSmorodinsky),
    })
}

fn nearest(points: &[Vec<f64>], u: &[f64]) -> Option<f64> {
    points
        .iter()
        .map(|p| {
            p.iter()
                .zip(u)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt()
        })
        .min_by(f64::total_cmp)
}

impl Reference {
    /// The distances of the utility vector `u` to the reference points.
    pub fn distances(&self, u: &[f64]) -> Distances {
        Distances {
            pareto: nearest(&self.frontier, u),
            nash: nearest(&self.nash, u),
            ks: nearest(&self.ks, u),
        }
    }
}

//! Bargaining solutions read off a Pareto frontier.
//!
//! With `u` a point's utilities, `r` the reservation values and `U` each party's best utility on
//! the frontier (its ideal), the gains are `g = u - r` and:
//! - Nash maximises the product of the gains;
//! - Kalai-Smorodinsky maximises the smallest normalised gain `g / (U - r)`, the discrete form of
//!   "gains in proportion to each party's best possible gain" (a party with `U = r` counts as 1);
//! - egalitarian maximises the smallest gain;
//! - utilitarian maximises the sum of utilities.
//!
//! Values within a relative tolerance of [`TIE_TOLERANCE`] of the best are ties, and every tied
//! point is returned.

/// Relative tolerance under which two objective values are the same.
pub const TIE_TOLERANCE: f64 = 1e-9;

/// A bargaining solution concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Concept {
    /// Largest product of gains over reservation.
    Nash,
    /// Largest smallest gain relative to each party's best possible gain.
    KalaiSmorodinsky,
    /// Largest smallest gain.
    Egalitarian,
    /// Largest sum of utilities.
    Utilitarian,
}

impl Concept {
    /// All concepts, in report order.
    pub const ALL: [Concept; 4] = [
        Concept::Nash,
        Concept::KalaiSmorodinsky,
        Concept::Egalitarian,
        Concept::Utilitarian,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Concept::Nash => "nash",
            Concept::KalaiSmorodinsky => "kalai-smorodinsky",
            Concept::Egalitarian => "egalitarian",
            Concept::Utilitarian => "utilitarian",
        }
    }

    /// The objective of this concept at utilities `u`, given reservations and ideals.
    pub fn objective(self, u: &[f64], reservation: &[f64], ideal: &[f64]) -> f64 {
        let gains = u.iter().zip(reservation).map(|(u, r)| u - r);
        match self {
            Concept::Nash => gains.product(),
            Concept::KalaiSmorodinsky => gains
                .zip(ideal.iter().zip(reservation))
                .map(|(g, (ideal, r))| {
                    let span = ideal - r;
                    if span > 0.0 {
                        g / span
                    } else {
                        1.0
                    }
                })
                .fold(f64::INFINITY, f64::min),
            Concept::Egalitarian => gains.fold(f64::INFINITY, f64::min),
            Concept::Utilitarian => u.iter().sum(),
        }
    }
}

/// The points of a frontier that a concept picks.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The concept.
    pub concept: Concept,
    /// The best objective value.
    pub value: f64,
    /// Indices into the frontier of every point within tolerance of the best; more than one is a
    /// tie.
    pub points: Vec<usize>,
}

/// Whether `value` ties with `best` under [`TIE_TOLERANCE`].
pub fn ties(value: f64, best: f64) -> bool {
    (best - value).abs() <= TIE_TOLERANCE * best.abs().max(1e-12)
        || (best - value).abs() <= f64::EPSILON
}

/// Each party's best utility among `points` (vectors of equal width).
pub fn ideal_point<'a>(points: impl IntoIterator<Item = &'a [f64]>, width: usize) -> Vec<f64> {
    let mut ideal = vec![f64::NEG_INFINITY; width];
    for u in points {
        for (i, x) in ideal.iter_mut().zip(u) {
            *i = i.max(*x);
        }
    }
    ideal
}

/// Picks the solution of `concept` among `points`; `None` when there are no points.
pub fn solve(
    concept: Concept,
    points: &[&[f64]],
    reservation: &[f64],
    ideal: &[f64],
) -> Option<Solution> {
    let values: Vec<f64> = points
        .iter()
        .map(|u| concept.objective(u, reservation, ideal))
        .collect();
    let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() {
        return None;
    }
    let points = (0..values.len())
        .filter(|&i| ties(values[i], best))
        .collect();
    Some(Solution {
        concept,
        value: best,
        points,
    })
}

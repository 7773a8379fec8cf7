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

impl crate::names::Named for Concept {
    const ALL: &'static [Self] = &Concept::ALL;

    fn name(self) -> &'static str {
        self.as_str()
    }

    fn help(self) -> &'static str {
        match self {
            Concept::Nash => "the largest product of gains over the reservation values",
            Concept::KalaiSmorodinsky => "gains in proportion to each party's best",
            Concept::Egalitarian => "the largest smallest gain",
            Concept::Utilitarian => "the largest sum of utilities",
        }
    }
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

/// Absolute tolerance under which NegMAS 0.16 takes two objective values as tied
/// (`eps = 1e-12` in `negmas.preferences.ops`).
pub const NEGMAS_TIE_TOLERANCE: f64 = 1e-12;

/// A bargaining rule as NegMAS 0.16 computes it (`negmas.preferences.ops`), offered beside
/// Concord's own so that results can be matched with NegMAS's. Both measure gains from each
/// party's floor `f = max(r, m)`, with `m` its least utility over the whole outcome space, and
/// consider only points with `u ≥ r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NegmasConcept {
    /// `kalai_points`: the largest smallest gain `u − f`, not normalised (Concord's egalitarian
    /// point, measured from the floor instead of the reservation value).
    Kalai,
    /// `ks_points`: the most equal normalised gains, the smallest `max a − min a` over the
    /// parties of `a = (u − f) / (M − f)`, with `M` the party's best utility over the whole
    /// outcome space (`u − f` when `M = f`). Concord's Kalai-Smorodinsky instead maximises the
    /// smallest normalised gain, over the zone's ideal point.
    KalaiSmorodinsky,
}

impl NegmasConcept {
    /// Both, in report order.
    pub const ALL: [NegmasConcept; 2] = [NegmasConcept::KalaiSmorodinsky, NegmasConcept::Kalai];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            NegmasConcept::Kalai => "negmas-kalai",
            NegmasConcept::KalaiSmorodinsky => "negmas-kalai-smorodinsky",
        }
    }

    /// NegMAS's function that this rule follows.
    pub fn negmas_function(self) -> &'static str {
        match self {
            NegmasConcept::Kalai => "kalai_points",
            NegmasConcept::KalaiSmorodinsky => "ks_points",
        }
    }
}

/// The points of a frontier that a NegMAS rule picks.
#[derive(Debug, Clone, PartialEq)]
pub struct NegmasSolution {
    /// The rule.
    pub concept: NegmasConcept,
    /// The best objective value: the smallest gain (`Kalai`, maximised) or the spread of the
    /// normalised gains (`KalaiSmorodinsky`, minimised); NaN when every point is picked because
    /// some party's range is empty (as NegMAS does).
    pub value: f64,
    /// Indices into the frontier of every point within [`NEGMAS_TIE_TOLERANCE`] of the best.
    pub points: Vec<usize>,
}

/// Picks the points of `concept` among `points` as NegMAS 0.16 does, given each party's
/// reservation value and its `(least, best)` utility over the whole outcome space; `None` when no
/// point has `u ≥ r` everywhere.
pub fn negmas_solve(
    concept: NegmasConcept,
    points: &[&[f64]],
    reservation: &[f64],
    range: &[(f64, f64)],
) -> Option<NegmasSolution> {
    // NegMAS raises the floor to the reservation value when that is finite and not below the
    // least utility.
    let floors: Vec<(f64, f64)> = range
        .iter()
        .zip(reservation)
        .map(|(&(lo, hi), &r)| {
            if r.is_finite() && r >= lo {
                (r, hi)
            } else {
                (lo, hi)
            }
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    // A party whose range is (nearly) empty makes every point a solution.
    if floors.iter().any(|&(f, hi)| hi - f <= NEGMAS_TIE_TOLERANCE) {
        return Some(NegmasSolution {
            concept,
            value: f64::NAN,
            points: (0..points.len()).collect(),
        });
    }
    let rational = |u: &[f64]| u.iter().zip(reservation).all(|(u, r)| u >= r);
    let objective = |u: &[f64]| -> f64 {
        match concept {
            NegmasConcept::Kalai => u
                .iter()
                .zip(&floors)
                .map(|(u, &(f, _))| u - f)
                .fold(f64::INFINITY, f64::min),
            NegmasConcept::KalaiSmorodinsky => {
                let (lo, hi) = u.iter().zip(&floors).fold(
                    (f64::INFINITY, f64::NEG_INFINITY),
                    |(lo, hi), (u, &(f, m))| {
                        let a = if m - f != 0.0 {
                            (u - f) / (m - f)
                        } else {
                            u - f
                        };
                        (lo.min(a), hi.max(a))
                    },
                );
                hi - lo
            }
        }
    };
    // Maximised as NegMAS does: the spread is minimised, so its negation is maximised.
    let signed = |u: &[f64]| match concept {
        NegmasConcept::Kalai => objective(u),
        NegmasConcept::KalaiSmorodinsky => -objective(u),
    };
    let values: Vec<Option<f64>> = points
        .iter()
        .map(|u| rational(u).then(|| signed(u)))
        .collect();
    // The first strictly best, as NegMAS's loop keeps it; ties are then every value within the
    // tolerance of it.
    let mut best: Option<f64> = None;
    for v in values.iter().flatten() {
        if best.is_none_or(|b| *v > b) {
            best = Some(*v);
        }
    }
    let best = best?;
    let picked = (0..points.len())
        .filter(|&i| values[i].is_some_and(|v| v >= best - NEGMAS_TIE_TOLERANCE))
        .collect();
    Some(NegmasSolution {
        concept,
        value: match concept {
            NegmasConcept::Kalai => best,
            NegmasConcept::KalaiSmorodinsky => -best,
        },
        points: picked,
    })
}

//! The outcome space of a simulation, and each negotiating party's own view of it.
//!
//! Outcomes (one option per issue) are numbered in mixed radix, issue 0 most significant, so
//! that numbering follows the lexicographic order of option indices. Each party gets an
//! [`OwnPreferences`]: its utility of every outcome and the outcomes its own red lines allow,
//! sorted by that utility, best first (ties by outcome number). A time-based strategy finds its
//! offer in that index by binary search: nothing scans the space during a negotiation.

use std::sync::Arc;

use concord_core::engine::Evaluator;
use concord_core::model::{OptionIx, PartyIx, Scenario};

use crate::SimError;

/// An outcome's number in [`Space`].
pub type OutcomeId = u32;

/// The outcome space: the number of options of each issue, and the numbering of packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Space {
    counts: Vec<usize>,
    size: usize,
}

impl Space {
    /// The space of issues with these numbers of options (each at least 1), when it has at
    /// most `limit` outcomes.
    pub fn new(counts: Vec<usize>, limit: u64) -> Result<Self, SimError> {
        if counts.is_empty() {
            return Err(SimError::NoIssues);
        }
        let mut size: u128 = 1;
        let mut overflow = false;
        for &c in &counts {
            match size.checked_mul(c as u128) {
                Some(s) => size = s,
                None => overflow = true,
            }
        }
        let cap = limit.min(u64::from(u32::MAX));
        if overflow || size > u128::from(cap) {
            let text = if overflow {
                let log10: f64 = counts.iter().map(|&c| (c as f64).log10()).sum();
                format!("about 10^{log10:.1}")
            } else {
                size.to_string()
            };
            return Err(SimError::SpaceTooLarge {
                size: text,
                limit: cap,
            });
        }
        Ok(Space {
            counts,
            size: size as usize,
        })
    }

    /// The number of outcomes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The number of options of each issue.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// The package (one option per issue) numbered `id`.
    pub fn package(&self, id: OutcomeId) -> Vec<OptionIx> {
        let mut out = vec![0; self.counts.len()];
        self.decode(id, &mut out);
        out
    }

    /// Writes the package numbered `id` into `out` (one slot per issue).
    pub fn decode(&self, id: OutcomeId, out: &mut [OptionIx]) {
        let mut rest = id as usize;
        for (slot, &c) in out.iter_mut().zip(&self.counts).rev() {
            *slot = rest % c;
            rest /= c;
        }
    }

    /// The number of a package; `None` when an option is out of range or the length is wrong.
    pub fn encode(&self, package: &[OptionIx]) -> Option<OutcomeId> {
        if package.len() != self.counts.len() {
            return None;
        }
        let mut id = 0usize;
        for (&o, &c) in package.iter().zip(&self.counts) {
            if o >= c {
                return None;
            }
            id = id * c + o;
        }
        Some(id as OutcomeId)
    }
}

/// One party's own preferences over the numbered outcomes: everything a strategy may know
/// about utilities. It holds no other party's utility.
#[derive(Debug, Clone)]
pub struct OwnPreferences {
    utilities: Vec<f64>,
    sorted: Vec<OutcomeId>,
    /// `sorted`'s utilities, in the same order: binary searches read one contiguous array.
    sorted_utilities: Vec<f64>,
    allowed: Option<Vec<bool>>,
    reservation: f64,
    discount: Option<f64>,
}

impl OwnPreferences {
    /// Builds a view from the party's utility of every outcome (by outcome number), the outcomes
    /// its own red lines allow (`None`: all), its reservation value and discount factor.
    pub fn new(
        utilities: Vec<f64>,
        allowed: Option<Vec<bool>>,
        reservation: f64,
        discount: Option<f64>,
    ) -> Self {
        let mut sorted: Vec<OutcomeId> = (0..utilities.len() as OutcomeId)
            .filter(|&id| allowed.as_ref().is_none_or(|a| a[id as usize]))
            .collect();
        // Best first; ties by outcome number, so the order is the same on every run.
        sorted.sort_by(|&a, &b| {
            utilities[b as usize]
                .total_cmp(&utilities[a as usize])
                .then(a.cmp(&b))
        });
        let sorted_utilities = sorted.iter().map(|&id| utilities[id as usize]).collect();
        OwnPreferences {
            utilities,
            sorted,
            sorted_utilities,
            allowed,
            reservation,
            discount,
        }
    }

    /// The party's utility of an outcome.
    #[inline]
    pub fn utility(&self, id: OutcomeId) -> f64 {
        self.utilities[id as usize]
    }

    /// Whether the party's own red lines allow an outcome.
    #[inline]
    pub fn allows(&self, id: OutcomeId) -> bool {
        self.allowed.as_ref().is_none_or(|a| a[id as usize])
    }

    /// The utility of no agreement.
    pub fn reservation(&self) -> f64 {
        self.reservation
    }

    /// The discount factor per round, if the scenario gives one.
    pub fn discount(&self) -> Option<f64> {
        self.discount
    }

    /// The allowed outcomes, best first (ties by outcome number).
    pub fn sorted(&self) -> &[OutcomeId] {
        &self.sorted
    }

    /// The best allowed outcome (smallest number among ties), if any is allowed.
    pub fn best(&self) -> Option<OutcomeId> {
        self.sorted.first().copied()
    }

    /// The best utility of an allowed outcome (−∞ when none is allowed).
    pub fn max_utility(&self) -> f64 {
        self.best().map_or(f64::NEG_INFINITY, |id| self.utility(id))
    }

    /// The allowed outcomes worth at least `target`, best first: a prefix of [`Self::sorted`].
    pub fn at_least(&self, target: f64) -> &[OutcomeId] {
        let k = self.sorted_utilities.partition_point(|&u| u >= target);
        &self.sorted[..k]
    }

    /// The allowed outcome worth least among those worth at least `target` (smallest number
    /// among ties): the offer of a time-based strategy whose target is `target`. `None` when no
    /// allowed outcome reaches `target`. Two binary searches.
    pub fn worst_at_least(&self, target: f64) -> Option<OutcomeId> {
        self.bracket(target).map(|b| b.offer)
    }

    /// [`Self::worst_at_least`] with the range of targets that give the same offer, so that a
    /// strategy can skip the search while its target stays in that range.
    pub fn bracket(&self, target: f64) -> Option<Bracket> {
        let k = self.sorted_utilities.partition_point(|&u| u >= target);
        let u = *self.sorted_utilities[..k].last()?;
        let start = self.sorted_utilities[..k].partition_point(|&x| x > u);
        let below = self
            .sorted_utilities
            .get(k)
            .copied()
            .unwrap_or(f64::NEG_INFINITY);
        Some(Bracket {
            offer: self.sorted[start],
            below,
            up_to: u,
        })
    }
}

/// The offer of a time-based strategy for every target in `(below, up_to]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bracket {
    /// The allowed outcome worth least among those worth at least the target.
    pub offer: OutcomeId,
    /// The utility of the next allowed outcome down (−∞ when none): targets above it give the
    /// same offer.
    pub below: f64,
    /// The offer's utility: targets up to it give the same offer.
    pub up_to: f64,
}

impl Bracket {
    /// Whether `target` gives the same offer.
    #[inline]
    pub fn holds(&self, target: f64) -> bool {
        self.below < target && target <= self.up_to
    }
}

/// Options for [`prepare`].
#[derive(Debug, Clone, Copy)]
pub struct PrepareConfig {
    /// The largest outcome space indexed (every party keeps 20 bytes per outcome).
    pub max_outcomes: u64,
}

impl Default for PrepareConfig {
    fn default() -> Self {
        PrepareConfig {
            max_outcomes: 5_000_000,
        }
    }
}

/// An issue's id and its options' ids, in the scenario's order: what every party knows of the
/// outcome space, for strategies that speak of packages by name (the Python bindings').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueNames {
    /// The issue's id.
    pub id: String,
    /// Its options' ids, by option index.
    pub options: Vec<String>,
}

/// A scenario made ready for simulation: the space and each negotiating party's own view.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The outcome space.
    pub space: Space,
    /// The issues' and options' ids, by index (shared with every player that asks for them).
    pub issues: Arc<Vec<IssueNames>>,
    /// The negotiating parties: those whose consent is needed, in index order. Position `k` in
    /// every per-party slice of this crate is `parties[k]`.
    pub parties: Vec<PartyIx>,
    /// Their ids.
    pub ids: Vec<String>,
    /// Their own preferences, shared: a strategy made outside this crate may keep its own
    /// (and only its own) beyond one call ([`crate::strategy::Seat`]).
    pub own: Vec<Arc<OwnPreferences>>,
}

impl Prepared {
    /// The position of a party (by id) among the negotiating parties.
    pub fn slot_of(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|p| p == id)
    }

    /// Every negotiating party's utility of an outcome.
    pub fn utilities(&self, id: OutcomeId) -> Vec<f64> {
        self.own.iter().map(|o| o.utility(id)).collect()
    }

    /// Every negotiating party's reservation value.
    pub fn reservations(&self) -> Vec<f64> {
        self.own.iter().map(|o| o.reservation()).collect()
    }

    /// What the party at position `me` may know before the negotiation starts.
    ///
    /// # Panics
    /// When `me` is not a negotiating party's position.
    pub fn seat(&self, me: usize) -> crate::strategy::Seat<'_> {
        crate::strategy::Seat {
            me,
            parties: &self.ids,
            issues: &self.issues,
            space: &self.space,
            own: &self.own[me],
        }
    }
}

/// Numbers the outcome space and builds each consenting party's own view. Utilities are summed
/// in issue order from 0.0, as in the analysis, so that they compare exactly with its frontier.
pub fn prepare(scenario: &Scenario, config: &PrepareConfig) -> Result<Prepared, SimError> {
    let parties = scenario.consenting();
    for &p in &parties {
        if scenario.preferences[p].is_none() {
            return Err(SimError::MissingPreferences {
                party: scenario.parties[p].id.clone(),
            });
        }
    }
    if parties.len() < 2 {
        return Err(SimError::TooFewParties(parties.len()));
    }
    let space = Space::new(scenario.option_counts(), config.max_outcomes)?;
    let eval = Evaluator::new(scenario);
    let slots: Vec<usize> = parties
        .iter()
        .map(|&p| eval.slot(p).expect("consenting parties have preferences"))
        .collect();
    let n = space.size();
    let mut utilities: Vec<Vec<f64>> = vec![Vec::with_capacity(n); parties.len()];
    let mut allowed: Vec<Option<Vec<bool>>> = parties
        .iter()
        .map(|&p| {
            scenario
                .red_lines
                .iter()
                .any(|r| r.party == p)
                .then(|| Vec::with_capacity(n))
        })
        .collect();
    let mut package = vec![0; space.counts().len()];
    let mut all = vec![0.0; eval.width()];
    for id in 0..n {
        space.decode(id as OutcomeId, &mut package);
        eval.utilities(&package, &mut all);
        for (k, &s) in slots.iter().enumerate() {
            utilities[k].push(all[s]);
            if let Some(a) = &mut allowed[k] {
                let p = parties[k];
                a.push(
                    scenario
                        .red_lines
                        .iter()
                        .filter(|r| r.party == p)
                        .all(|r| r.rule.allows(&package)),
                );
            }
        }
    }
    let own = parties
        .iter()
        .zip(utilities)
        .zip(allowed)
        .map(|((&p, u), a)| {
            let prefs = scenario.preferences[p].as_ref().expect("checked above");
            Arc::new(OwnPreferences::new(
                u,
                a,
                prefs.reservation.value,
                prefs.discount,
            ))
        })
        .collect();
    let issues = scenario
        .issues
        .iter()
        .map(|i| IssueNames {
            id: i.id.clone(),
            options: i.options.iter().map(|o| o.id.clone()).collect(),
        })
        .collect();
    Ok(Prepared {
        space,
        issues: Arc::new(issues),
        ids: parties
            .iter()
            .map(|&p| scenario.parties[p].id.clone())
            .collect(),
        parties,
        own,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_round_trips_in_lexicographic_order() {
        let space = Space::new(vec![2, 3, 4], 1000).unwrap();
        assert_eq!(space.size(), 24);
        let mut previous: Option<Vec<usize>> = None;
        for id in 0..24 {
            let p = space.package(id);
            assert_eq!(space.encode(&p), Some(id));
            if let Some(q) = previous {
                assert!(q < p);
            }
            previous = Some(p);
        }
        assert_eq!(space.encode(&[2, 0, 0]), None);
    }

    #[test]
    fn too_large_spaces_are_refused_with_their_size() {
        let err = Space::new(vec![10; 8], 1_000_000).unwrap_err();
        assert!(
            matches!(&err, SimError::SpaceTooLarge { size, .. } if size == "100000000"),
            "{err}"
        );
        let err = Space::new(vec![1000; 20], 1_000_000).unwrap_err();
        assert!(err.to_string().contains("10^60"), "{err}");
    }

    #[test]
    fn index_finds_the_cheapest_offer_above_a_target() {
        let own = OwnPreferences::new(vec![0.5, 0.9, 0.5, 0.1, 0.7], None, 0.2, None);
        assert_eq!(own.sorted(), &[1, 4, 0, 2, 3]);
        assert_eq!(own.worst_at_least(0.6), Some(4));
        assert_eq!(own.worst_at_least(0.5), Some(0));
        assert_eq!(own.worst_at_least(0.95), None);
        let b = own.bracket(0.6).unwrap();
        assert_eq!((b.offer, b.below, b.up_to), (4, 0.5, 0.7));
        assert!(b.holds(0.7) && b.holds(0.51) && !b.holds(0.5) && !b.holds(0.71));
        assert_eq!(own.at_least(0.5).len(), 4);
        let restricted = OwnPreferences::new(
            vec![0.5, 0.9, 0.5],
            Some(vec![true, false, true]),
            0.0,
            None,
        );
        assert_eq!(restricted.best(), Some(0));
        assert!(!restricted.allows(1));
    }
}

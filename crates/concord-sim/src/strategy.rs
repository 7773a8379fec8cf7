//! Strategies: the [`Strategy`] trait users implement, and the built-in ones.
//!
//! A strategy sees a [`View`]: its own preferences ([`OwnPreferences`]), the clock and the
//! offers made so far. It never sees another party's utilities. Opponent models fit in a
//! strategy's own state, learnt from [`View::offers`] (and from [`Strategy::observe`]).
//!
//! Built-in strategies combine an offering policy with acceptance conditions:
//! - time-based: target(t) = r + (max − r)·(1 − t^e), with r the reservation value, max the
//!   party's best utility and t the relative time; the offer is the allowed outcome worth least
//!   among those worth at least the target (smallest outcome number among ties). `boulware` is
//!   e = 4, `linear` e = 1, `conceder` e = 0.25, `time:E` any e > 0;
//! - `hardliner`: always its best outcome;
//! - `random`: a uniformly drawn allowed outcome worth at least the reservation value;
//! - `tit-for-tat` (naive): starts at its best; whenever the others' latest offer is worth more
//!   to it than their previous one, it lowers its own target by that gain, never below r.
//!
//! Acceptance (any that holds accepts; never an offer worth less than the reservation value or
//! forbidden by the party's own red lines): `next` (the default) accepts an offer worth at least
//! the offer it would make now; `const:C` an offer worth at least C; `time:T` anything once
//! t ≥ T. A specification is `NAME[/ACCEPT[/ACCEPT…]]`, such as `linear/const:0.8/time:0.95`.
//!
//! Strategies from outside the crate (a caller's own, or a Python class through the bindings)
//! take part beside the built-ins through [`MakeStrategy`]: a maker of fresh players, told at
//! each negotiation's start only where its player sits ([`Seat`]: its own preferences and what
//! every party knows). [`StrategySpec`] is the built-ins' maker.

use std::fmt::Debug;
use std::sync::Arc;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::space::{Bracket, IssueNames, OutcomeId, OwnPreferences, Space};
use crate::SimError;

/// The random number generator every strategy and protocol draws from: one ChaCha8 stream per
/// negotiation.
pub type SimRng = ChaCha8Rng;

/// An offer made in a negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// The round (0-based) it was made in.
    pub round: usize,
    /// The proposer's position among the negotiating parties.
    pub party: usize,
    /// The outcome offered.
    pub outcome: OutcomeId,
}

/// What a strategy sees when it acts.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// Its own preferences: the only utilities it knows.
    pub own: &'a OwnPreferences,
    /// Its position among the negotiating parties.
    pub me: usize,
    /// The number of negotiating parties.
    pub parties: usize,
    /// The current round, 0-based.
    pub round: usize,
    /// The number of rounds allowed.
    pub rounds: usize,
    /// Relative time in (0, 1]: (round + 1) / (rounds + 1), or the share of the wall-clock
    /// limit used when that is larger (NegMAS's `relative_time`).
    pub time: f64,
    /// Every offer made so far, in order.
    pub offers: &'a [Offer],
}

/// A response to a standing offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// Accept the standing offer.
    Accept,
    /// Reject it; the party then makes a counter-offer.
    Reject,
    /// Leave the negotiation, which ends without agreement.
    Walk,
}

/// Which of two texts a party prefers, in the single-text protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    /// The current text.
    Current,
    /// The mediator's candidate.
    Candidate,
    /// Neither.
    Indifferent,
}

/// A negotiation strategy. Implementations see only their own preferences and the offers made.
pub trait Strategy: Send {
    /// Responds to the standing offer `offer`, made by another party.
    fn respond(&mut self, view: &View<'_>, offer: OutcomeId, rng: &mut SimRng) -> Response;

    /// Makes an offer, or `None` to walk away.
    fn propose(&mut self, view: &View<'_>, rng: &mut SimRng) -> Option<OutcomeId>;

    /// Single text: which of the current text and the mediator's candidate it prefers. The
    /// default compares its own utilities; a candidate its red lines forbid is never preferred.
    fn compare(&mut self, view: &View<'_>, current: OutcomeId, candidate: OutcomeId) -> Preference {
        let own = view.own;
        let (a, b) = (own.utility(current), own.utility(candidate));
        if !own.allows(candidate) && own.allows(current) {
            Preference::Current
        } else if b > a {
            Preference::Candidate
        } else if a > b {
            Preference::Current
        } else {
            Preference::Indifferent
        }
    }

    /// Single text: whether it signs the final text (otherwise it vetoes it). The default signs
    /// a text its red lines allow and worth at least its reservation value.
    fn ratify(&mut self, view: &View<'_>, text: OutcomeId) -> bool {
        view.own.allows(text) && view.own.utility(text) >= view.own.reservation()
    }

    /// Told of every offer as it is made (including its own), for opponent models. The default
    /// ignores it; the whole history is in [`View::offers`] anyway.
    fn observe(&mut self, _offer: &Offer) {}
}

/// Where a player sits in one negotiation: everything its strategy may know before the first
/// round. Its own preferences, and what every party knows (the parties, the issues, the
/// numbering of outcomes); never another party's utilities.
#[derive(Debug, Clone, Copy)]
pub struct Seat<'a> {
    /// Its position among the negotiating parties.
    pub me: usize,
    /// The negotiating parties' ids, by position.
    pub parties: &'a [String],
    /// The issues' and options' ids.
    pub issues: &'a Arc<Vec<IssueNames>>,
    /// The numbering of outcomes.
    pub space: &'a Space,
    /// Its own preferences, which a player may keep.
    pub own: &'a Arc<OwnPreferences>,
}

/// A maker of players of one strategy, one fresh player per negotiation: the hook through
/// which strategies written outside this crate (the Python bindings' classes) play in a
/// simulation or a tournament beside the built-in ones. A tournament calls it from several
/// threads at once.
pub trait MakeStrategy: Send + Sync + Debug {
    /// The strategy's name in reports.
    fn name(&self) -> &str;

    /// A fresh player for the seat `seat` of a negotiation about to start.
    fn make(&self, seat: &Seat<'_>) -> Box<dyn Strategy>;
}

impl MakeStrategy for StrategySpec {
    fn name(&self) -> &str {
        &self.name
    }

    fn make(&self, _seat: &Seat<'_>) -> Box<dyn Strategy> {
        self.build()
    }
}

impl<T: MakeStrategy + ?Sized> MakeStrategy for Arc<T> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn make(&self, seat: &Seat<'_>) -> Box<dyn Strategy> {
        (**self).make(seat)
    }
}

/// How a built-in strategy chooses its offers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Offering {
    /// Target r + (max − r)(1 − t^e).
    TimeBased {
        /// The exponent e: above 1 holds out (Boulware), below 1 gives way early (Conceder).
        exponent: f64,
    },
    /// Always the best outcome.
    Hardliner,
    /// A uniformly drawn outcome worth at least the reservation value.
    Random,
    /// Concedes what the others conceded (naive tit-for-tat).
    TitForTat,
}

/// When a built-in strategy accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acceptance {
    /// An offer worth at least the offer it would make now (AC_next).
    Next,
    /// An offer worth at least a constant (AC_const).
    AtLeast(f64),
    /// Anything (not below the reservation value) once relative time reaches this (AC_time).
    AfterTime(f64),
}

/// A built-in strategy by name and parameters; [`StrategySpec::build`] makes a fresh player.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySpec {
    /// The specification as written (also its name in reports).
    pub name: String,
    /// How it offers.
    pub offering: Offering,
    /// When it accepts (any one suffices).
    pub acceptance: Vec<Acceptance>,
}

/// The built-in strategy names, for messages.
pub const KNOWN: &str =
    "boulware, linear, conceder, time:E, hardliner, random, tit-for-tat (acceptance suffixes: /next, /const:C, /time:T)";

impl StrategySpec {
    /// Parses `NAME[/ACCEPT…]`.
    pub fn parse(spec: &str) -> Result<Self, SimError> {
        let spec = spec.trim();
        let mut parts = spec.split('/');
        let head = parts.next().unwrap_or_default();
        let bad = |reason: String| SimError::BadParameter {
            spec: spec.to_string(),
            reason,
        };
        let number = |text: &str, what: &str| -> Result<f64, SimError> {
            text.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| bad(format!("{what} `{text}` is not a number")))
        };
        let offering = match head {
            "boulware" => Offering::TimeBased { exponent: 4.0 },
            "linear" => Offering::TimeBased { exponent: 1.0 },
            "conceder" => Offering::TimeBased { exponent: 0.25 },
            "hardliner" => Offering::Hardliner,
            "random" => Offering::Random,
            "tit-for-tat" | "tft" => Offering::TitForTat,
            _ => match head.strip_prefix("time:") {
                Some(e) => {
                    let exponent = number(e, "the exponent")?;
                    if exponent <= 0.0 {
                        return Err(bad(format!(
                            "the exponent must be positive, not {exponent}"
                        )));
                    }
                    Offering::TimeBased { exponent }
                }
                None => {
                    return Err(SimError::UnknownStrategy {
                        name: head.to_string(),
                        known: KNOWN.to_string(),
                    })
                }
            },
        };
        let mut acceptance = Vec::new();
        for part in parts {
            let a = if part == "next" {
                Acceptance::Next
            } else if let Some(c) = part.strip_prefix("const:") {
                Acceptance::AtLeast(number(c, "the constant")?)
            } else if let Some(t) = part.strip_prefix("time:") {
                let t = number(t, "the time")?;
                if !(0.0..=1.0).contains(&t) {
                    return Err(bad(format!("the time must be in [0, 1], not {t}")));
                }
                Acceptance::AfterTime(t)
            } else {
                return Err(bad(format!(
                    "unknown acceptance condition `{part}` (next, const:C, time:T)"
                )));
            };
            acceptance.push(a);
        }
        if acceptance.is_empty() {
            acceptance.push(Acceptance::Next);
        }
        Ok(StrategySpec {
            name: spec.to_string(),
            offering,
            acceptance,
        })
    }

    /// A fresh player of this strategy.
    pub fn build(&self) -> Box<dyn Strategy> {
        Box::new(BuiltIn {
            offering: self.offering,
            acceptance: self.acceptance.clone(),
            tft_target: None,
            tft_seen: 0,
            tft_last: None,
            planned: None,
            bracket: None,
        })
    }
}

/// The time-based target r + (max − r)(1 − t^e), for t in [0, 1].
pub fn time_target(reservation: f64, max: f64, time: f64, exponent: f64) -> f64 {
    // Whole exponents (Boulware's 4, linear's 1) by multiplication: `powf` is the most
    // expensive step of a time-based turn.
    let power = if exponent == 1.0 {
        time
    } else if exponent.fract() == 0.0 && (1.0..=32.0).contains(&exponent) {
        time.powi(exponent as i32)
    } else {
        time.powf(exponent)
    };
    reservation + (max - reservation) * (1.0 - power)
}

/// A built-in strategy in play.
struct BuiltIn {
    offering: Offering,
    acceptance: Vec<Acceptance>,
    tft_target: Option<f64>,
    tft_seen: usize,
    tft_last: Option<f64>,
    /// The offer decided while responding in this round, made if the response is a rejection,
    /// so that AC_next compares with the very offer that follows.
    planned: Option<(usize, Option<OutcomeId>)>,
    /// The last offer found in the index and the targets that give it: the binary search is
    /// skipped while the target stays in that range.
    bracket: Option<Bracket>,
}

impl BuiltIn {
    fn offer_for(&mut self, own: &OwnPreferences, target: f64) -> Option<OutcomeId> {
        if let Some(b) = self.bracket {
            if b.holds(target) {
                return Some(b.offer);
            }
        }
        self.bracket = own.bracket(target);
        self.bracket.map(|b| b.offer)
    }

    fn plan(&mut self, view: &View<'_>, rng: &mut SimRng) -> Option<OutcomeId> {
        if let Some((round, offer)) = self.planned {
            if round == view.round {
                return offer;
            }
        }
        let own = view.own;
        let offer = match self.offering {
            Offering::TimeBased { exponent } => {
                let target = time_target(own.reservation(), own.max_utility(), view.time, exponent);
                own.worst_at_least(target)
            }
            Offering::Hardliner => own.best().filter(|&b| own.utility(b) >= own.reservation()),
            Offering::Random => {
                let rational = own.at_least(own.reservation());
                (!rational.is_empty()).then(|| rational[rng.random_range(0..rational.len())])
            }
            Offering::TitForTat => {
                let max = own.max_utility();
                let mut target = self.tft_target.unwrap_or(max);
                for offer in &view.offers[self.tft_seen.min(view.offers.len())..] {
                    if offer.party == view.me {
                        continue;
                    }
                    let u = own.utility(offer.outcome);
                    if let Some(previous) = self.tft_last {
                        if u > previous {
                            target -= u - previous;
                        }
                    }
                    self.tft_last = Some(u);
                }
                self.tft_seen = view.offers.len();
                target = target.max(own.reservation());
                self.tft_target = Some(target);
                self.offer_for(own, target)
            }
        };
        self.planned = Some((view.round, offer));
        offer
    }
}

impl Strategy for BuiltIn {
    fn respond(&mut self, view: &View<'_>, offer: OutcomeId, rng: &mut SimRng) -> Response {
        let own = view.own;
        let u = own.utility(offer);
        if !own.allows(offer) || u < own.reservation() {
            return Response::Reject;
        }
        let mut accept = false;
        for k in 0..self.acceptance.len() {
            accept |= match self.acceptance[k] {
                Acceptance::Next => match self.plan(view, rng) {
                    Some(next) => u >= own.utility(next),
                    // It has nothing left to offer: anything rational beats walking away.
                    None => true,
                },
                Acceptance::AtLeast(c) => u >= c,
                Acceptance::AfterTime(t) => view.time >= t,
            };
        }
        if accept {
            Response::Accept
        } else {
            Response::Reject
        }
    }

    fn propose(&mut self, view: &View<'_>, rng: &mut SimRng) -> Option<OutcomeId> {
        let offer = self.plan(view, rng);
        self.planned = None;
        offer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_unknown_ones_are_explained() {
        let s = StrategySpec::parse("linear/const:0.8/time:0.9").unwrap();
        assert_eq!(s.offering, Offering::TimeBased { exponent: 1.0 });
        assert_eq!(
            s.acceptance,
            vec![Acceptance::AtLeast(0.8), Acceptance::AfterTime(0.9)]
        );
        assert_eq!(
            StrategySpec::parse("time:2.5").unwrap().offering,
            Offering::TimeBased { exponent: 2.5 }
        );
        let err = StrategySpec::parse("greedy").unwrap_err();
        assert!(
            err.to_string().contains("unknown strategy `greedy`"),
            "{err}"
        );
        assert!(StrategySpec::parse("time:-1").is_err());
        assert!(StrategySpec::parse("time:x").is_err());
        assert!(StrategySpec::parse("linear/time:2").is_err());
        assert!(StrategySpec::parse("linear/sometimes").is_err());
    }

    #[test]
    fn the_target_falls_from_max_to_the_reservation_value() {
        assert_eq!(time_target(0.2, 1.0, 0.0, 4.0), 1.0);
        assert!((time_target(0.2, 1.0, 1.0, 4.0) - 0.2).abs() < 1e-12);
        assert!((time_target(0.2, 1.0, 0.5, 1.0) - 0.6).abs() < 1e-12);
        // Boulware holds out longer than Conceder.
        assert!(time_target(0.0, 1.0, 0.5, 4.0) > time_target(0.0, 1.0, 0.5, 0.25));
    }
}

//! The protocols: stacked alternating offers (SAO) and the mediated single negotiating text.
//!
//! **SAO.** A round is one turn of every negotiating party, in party order (NegMAS's "step"
//! with `one_offer_per_step = False`). At its turn a party facing a standing offer made by
//! someone else accepts it, rejects it and makes a counter-offer (which becomes the standing
//! offer), or walks away; the first party of the first round only offers. The standing offer
//! is agreed when every other party has accepted it in turn after its proposer (the proposer
//! accepts its own offer): with n parties, n − 1 acceptances in a row. The negotiation ends at
//! agreement, when a party walks away (or has no offer to make), after `rounds` rounds, or when
//! the optional wall-clock limit is reached. Relative time in round r is
//! max((r + 1) / (rounds + 1), elapsed / limit), capped at 1, as NegMAS computes it.
//!
//! **Single text.** A mediator starts from a text (an outcome) drawn at random and, each round,
//! proposes a candidate that changes one randomly drawn issue of the current text to another
//! option. Every party says which of the two it prefers. With [`SingleTextMode::Veto`] the
//! candidate replaces the text unless some party prefers the current one (NegMAS's VetoST);
//! with [`SingleTextMode::HillClimbing`] it must also be preferred by at least one party (a
//! strict Pareto improvement in the parties' stated preferences; NegMAS's HillClimbingST). After
//! the last round each party signs or vetoes the final text: an agreement needs every signature.
//!
//! **Discounting.** With a discount factor d (the scenario's, per party), an agreement reached
//! in round r (0-based) is worth u·d^r ([`Discounting::PerRound`]) or u·d^t with t the relative
//! time ([`Discounting::RelativeTime`], Genius's convention); no agreement is worth the
//! reservation value, undiscounted. Strategies see undiscounted utilities.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use concord_core::names::Named;
use rand::{Rng, SeedableRng};

use crate::space::{OutcomeId, Prepared};
use crate::strategy::{Offer, Preference, Response, SimRng, Strategy, StrategySpec, View};

/// Which protocol to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Stacked alternating offers.
    Sao,
    /// The mediated single negotiating text.
    SingleText(SingleTextMode),
}

/// Which protocol runs, without its settings (the single-text mediator's moves are a
/// [`SingleTextMode`]): what a flag or a configuration names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProtocolKind {
    /// Stacked alternating offers.
    Sao,
    /// The mediated single negotiating text.
    SingleText,
}

impl Named for ProtocolKind {
    const ALL: &'static [Self] = &[ProtocolKind::Sao, ProtocolKind::SingleText];

    fn name(self) -> &'static str {
        match self {
            ProtocolKind::Sao => "sao",
            ProtocolKind::SingleText => "single-text",
        }
    }

    fn help(self) -> &'static str {
        match self {
            ProtocolKind::Sao => "stacked alternating offers",
            ProtocolKind::SingleText => "the mediated single negotiating text",
        }
    }
}

impl Named for SingleTextMode {
    const ALL: &'static [Self] = &[SingleTextMode::Veto, SingleTextMode::HillClimbing];

    fn name(self) -> &'static str {
        match self {
            SingleTextMode::Veto => "veto",
            SingleTextMode::HillClimbing => "hill-climbing",
        }
    }

    fn help(self) -> &'static str {
        match self {
            SingleTextMode::Veto => "a candidate replaces the text unless someone prefers the current one (VetoST)",
            SingleTextMode::HillClimbing => "a candidate replaces the text when nobody prefers the current one and someone prefers it (HillClimbingST)",
        }
    }
}

impl Named for Discounting {
    const ALL: &'static [Self] = &[
        Discounting::Off,
        Discounting::PerRound,
        Discounting::RelativeTime,
    ];

    fn name(self) -> &'static str {
        match self {
            Discounting::Off => "off",
            Discounting::PerRound => "per-round",
            Discounting::RelativeTime => "relative-time",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Discounting::Off => "none",
            Discounting::PerRound => "u·d^round (round 0-based)",
            Discounting::RelativeTime => "u·d^t with t the relative time (Genius)",
        }
    }
}

/// How the single-text mediator moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SingleTextMode {
    /// The candidate replaces the text unless someone prefers the current text.
    #[default]
    Veto,
    /// The candidate replaces the text when nobody prefers the current text and someone
    /// prefers the candidate.
    HillClimbing,
}

/// How utilities are discounted over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Discounting {
    /// No discounting, whatever the scenario says.
    #[default]
    Off,
    /// u·d^r for an agreement in round r (0-based).
    PerRound,
    /// u·d^t for an agreement at relative time t (Genius).
    RelativeTime,
}

/// The most rounds a negotiation may be given: every offer of every round is kept for the
/// trace and the metrics, so memory grows with the rounds.
pub const MAX_ROUNDS: usize = 1_000_000;
/// The longest wall-clock limit, in seconds (about 31 years): longer ones cannot be timed.
pub const MAX_TIME_LIMIT_SECS: f64 = 1e9;
/// The most worker threads a tournament may start.
pub const MAX_THREADS: usize = 1024;

/// Options of a simulation.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The protocol.
    pub protocol: Protocol,
    /// The number of rounds allowed (at least 1).
    pub rounds: usize,
    /// An optional wall-clock limit; with it, results depend on the machine's speed.
    pub time_limit: Option<Duration>,
    /// Discounting of agreements.
    pub discounting: Discounting,
    /// Whether to record every action in [`SimResult::trace`].
    pub trace: bool,
    /// When set (by a Ctrl-C handler, say), the negotiation ends at the next round with
    /// [`End::Stopped`].
    pub stop: Option<Arc<AtomicBool>>,
}

impl SimConfig {
    /// SAO with `rounds` rounds, no time limit, no discounting, no trace.
    pub fn sao(rounds: usize) -> Self {
        SimConfig {
            protocol: Protocol::Sao,
            rounds,
            time_limit: None,
            discounting: Discounting::Off,
            trace: false,
            stop: None,
        }
    }
}

/// Why a negotiation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every party accepted (SAO) or signed (single text).
    Agreement,
    /// The last round ended without agreement.
    Deadline,
    /// The wall-clock limit was reached.
    TimeLimit,
    /// This party (by position) walked away or had nothing to offer.
    WalkedAway(usize),
    /// Single text: this party (the first by position) vetoed the final text.
    Vetoed(usize),
    /// The caller's stop flag was set: the negotiation was cut short, without agreement.
    Stopped,
}

/// One action, for the trace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    /// A party made an offer.
    Offer(OutcomeId),
    /// A party accepted the standing offer.
    Accept(OutcomeId),
    /// A party walked away.
    Walk,
    /// Single text: the mediator proposed a candidate; `moved` tells whether it became the text.
    Candidate {
        /// The candidate text.
        text: OutcomeId,
        /// Whether it replaced the current text.
        moved: bool,
        /// How many parties preferred the current text (vetoes).
        vetoes: usize,
    },
    /// Single text: a party signed (`true`) or vetoed the final text.
    Ratify(OutcomeId, bool),
}

/// One traced event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// The round, 0-based.
    pub round: usize,
    /// The acting party's position, or `None` for the mediator.
    pub party: Option<usize>,
    /// Relative time.
    pub time: f64,
    /// What happened.
    pub action: Action,
}

/// The result of one negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct SimResult {
    /// The agreed outcome, if any.
    pub agreement: Option<OutcomeId>,
    /// Why it ended.
    pub end: End,
    /// The number of rounds started.
    pub rounds: usize,
    /// Relative time at the end.
    pub time: f64,
    /// Each party's utility: of the agreement, or its reservation value.
    pub utilities: Vec<f64>,
    /// The same after discounting (equal to `utilities` without discounting).
    pub discounted: Vec<f64>,
    /// Every action, when asked for.
    pub trace: Vec<Event>,
    /// The number of offers made (SAO) or candidates proposed (single text).
    pub offers: usize,
}

/// Runs one negotiation between fresh players of `specs` (one per negotiating party, in
/// order), with a ChaCha8 generator seeded by `seed`.
pub fn simulate(
    prepared: &Prepared,
    specs: &[StrategySpec],
    config: &SimConfig,
    seed: u64,
) -> SimResult {
    let mut players: Vec<Box<dyn Strategy>> = specs.iter().map(|s| s.build()).collect();
    let mut rng = SimRng::seed_from_u64(seed);
    run(prepared, &mut players, config, &mut rng)
}

/// Runs one negotiation between the given players (one per negotiating party, in order), with
/// a ChaCha8 generator seeded by `seed`.
///
/// # Panics
/// When the number of players differs from the number of negotiating parties.
pub fn run_seeded(
    prepared: &Prepared,
    players: &mut [Box<dyn Strategy>],
    config: &SimConfig,
    seed: u64,
) -> SimResult {
    run(prepared, players, config, &mut SimRng::seed_from_u64(seed))
}

/// Runs one negotiation between the given players (one per negotiating party, in order).
///
/// # Panics
/// When the number of players differs from the number of negotiating parties.
pub fn run(
    prepared: &Prepared,
    players: &mut [Box<dyn Strategy>],
    config: &SimConfig,
    rng: &mut SimRng,
) -> SimResult {
    assert_eq!(
        players.len(),
        prepared.own.len(),
        "one player per negotiating party"
    );
    match config.protocol {
        Protocol::Sao => sao(prepared, players, config, rng),
        Protocol::SingleText(mode) => single_text(prepared, players, config, mode, rng),
    }
}

struct Clock<'a> {
    start: Instant,
    limit: Option<Duration>,
    rounds: usize,
    stop: Option<&'a AtomicBool>,
}

impl Clock<'_> {
    /// Whether the caller asked to stop.
    fn stopped(&self) -> bool {
        self.stop.is_some_and(|s| s.load(Ordering::Relaxed))
    }

    /// Relative time in round `r`, and whether the wall-clock limit has passed.
    fn at(&self, r: usize) -> (f64, bool) {
        let steps = (r + 1) as f64 / (self.rounds + 1) as f64;
        match self.limit {
            None => (steps, false),
            Some(limit) => {
                let elapsed = self.start.elapsed();
                let share = elapsed.as_secs_f64() / limit.as_secs_f64().max(f64::MIN_POSITIVE);
                (steps.max(share).min(1.0), elapsed >= limit)
            }
        }
    }
}

fn finish(
    prepared: &Prepared,
    config: &SimConfig,
    agreement: Option<OutcomeId>,
    end: End,
    (round, time): (usize, f64),
    (trace, offers): (Vec<Event>, usize),
) -> SimResult {
    let utilities: Vec<f64> = match agreement {
        Some(o) => prepared.utilities(o),
        None => prepared.reservations(),
    };
    let discounted = match agreement {
        None => utilities.clone(),
        Some(_) => utilities
            .iter()
            .zip(&prepared.own)
            .map(|(&u, own)| match (config.discounting, own.discount()) {
                (Discounting::PerRound, Some(d)) => u * d.powi(round as i32),
                (Discounting::RelativeTime, Some(d)) => u * d.powf(time),
                _ => u,
            })
            .collect(),
    };
    SimResult {
        agreement,
        end,
        rounds: round + 1,
        time,
        utilities,
        discounted,
        trace,
        offers,
    }
}

fn sao(
    prepared: &Prepared,
    players: &mut [Box<dyn Strategy>],
    config: &SimConfig,
    rng: &mut SimRng,
) -> SimResult {
    let n = players.len();
    let rounds = config.rounds.max(1);
    let clock = Clock {
        start: Instant::now(),
        limit: config.time_limit,
        rounds,
        stop: config.stop.as_deref(),
    };
    let mut offers: Vec<Offer> = Vec::with_capacity(if rounds <= 4096 { rounds * n } else { 0 });
    let mut trace = Vec::new();
    let mut standing: Option<OutcomeId> = None;
    // How many parties in a row hold the standing offer acceptable, its proposer included.
    let mut holding = 0;
    let mut time = 0.0;
    for round in 0..rounds {
        let (t, out_of_time) = clock.at(round);
        time = t;
        if clock.stopped() {
            return finish(
                prepared,
                config,
                None,
                End::Stopped,
                (round, t),
                (trace, offers.len()),
            );
        }
        if out_of_time {
            return finish(
                prepared,
                config,
                None,
                End::TimeLimit,
                (round, t),
                (trace, offers.len()),
            );
        }
        for me in 0..n {
            let view = View {
                own: &prepared.own[me],
                me,
                parties: n,
                round,
                rounds,
                time: t,
                offers: &offers,
            };
            if let Some(o) = standing {
                match players[me].respond(&view, o, rng) {
                    Response::Accept => {
                        holding += 1;
                        if config.trace {
                            trace.push(Event {
                                round,
                                party: Some(me),
                                time: t,
                                action: Action::Accept(o),
                            });
                        }
                        if holding == n {
                            return finish(
                                prepared,
                                config,
                                Some(o),
                                End::Agreement,
                                (round, t),
                                (trace, offers.len()),
                            );
                        }
                        continue;
                    }
                    Response::Walk => {
                        if config.trace {
                            trace.push(Event {
                                round,
                                party: Some(me),
                                time: t,
                                action: Action::Walk,
                            });
                        }
                        return finish(
                            prepared,
                            config,
                            None,
                            End::WalkedAway(me),
                            (round, t),
                            (trace, offers.len()),
                        );
                    }
                    Response::Reject => {}
                }
            }
            match players[me].propose(&view, rng) {
                Some(o) => {
                    let offer = Offer {
                        round,
                        party: me,
                        outcome: o,
                    };
                    offers.push(offer);
                    standing = Some(o);
                    holding = 1;
                    if config.trace {
                        trace.push(Event {
                            round,
                            party: Some(me),
                            time: t,
                            action: Action::Offer(o),
                        });
                    }
                    for p in players.iter_mut() {
                        p.observe(&offer);
                    }
                }
                None => {
                    if config.trace {
                        trace.push(Event {
                            round,
                            party: Some(me),
                            time: t,
                            action: Action::Walk,
                        });
                    }
                    return finish(
                        prepared,
                        config,
                        None,
                        End::WalkedAway(me),
                        (round, t),
                        (trace, offers.len()),
                    );
                }
            }
        }
    }
    finish(
        prepared,
        config,
        None,
        End::Deadline,
        (rounds - 1, time),
        (trace, offers.len()),
    )
}

fn single_text(
    prepared: &Prepared,
    players: &mut [Box<dyn Strategy>],
    config: &SimConfig,
    mode: SingleTextMode,
    rng: &mut SimRng,
) -> SimResult {
    let n = players.len();
    let rounds = config.rounds.max(1);
    let clock = Clock {
        start: Instant::now(),
        limit: config.time_limit,
        rounds,
        stop: config.stop.as_deref(),
    };
    let space = &prepared.space;
    let counts = space.counts();
    let movable: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 1).collect();
    let mut package = vec![0; counts.len()];
    let mut text = rng.random_range(0..space.size()) as OutcomeId;
    let mut trace = Vec::new();
    let mut offers: Vec<Offer> = Vec::new();
    let mut proposed = 0;
    let mut time = 0.0;
    let mut last_round = rounds - 1;
    for round in 0..rounds {
        let (t, out_of_time) = clock.at(round);
        time = t;
        if clock.stopped() {
            return finish(
                prepared,
                config,
                None,
                End::Stopped,
                (round, t),
                (trace, proposed),
            );
        }
        if out_of_time {
            last_round = round;
            break;
        }
        if movable.is_empty() {
            // A space of one outcome: there is nothing to move to.
            last_round = round;
            break;
        }
        space.decode(text, &mut package);
        let issue = movable[rng.random_range(0..movable.len())];
        let current_option = package[issue];
        let mut option = rng.random_range(0..counts[issue] - 1);
        if option >= current_option {
            option += 1;
        }
        package[issue] = option;
        let candidate = space.encode(&package).expect("options stay in range");
        proposed += 1;
        let (mut vetoes, mut supporters) = (0, 0);
        for (me, player) in players.iter_mut().enumerate() {
            let view = View {
                own: &prepared.own[me],
                me,
                parties: n,
                round,
                rounds,
                time: t,
                offers: &offers,
            };
            match player.compare(&view, text, candidate) {
                Preference::Current => vetoes += 1,
                Preference::Candidate => supporters += 1,
                Preference::Indifferent => {}
            }
        }
        let moved = vetoes == 0 && (mode == SingleTextMode::Veto || supporters > 0);
        if config.trace {
            trace.push(Event {
                round,
                party: None,
                time: t,
                action: Action::Candidate {
                    text: candidate,
                    moved,
                    vetoes,
                },
            });
        }
        if moved {
            text = candidate;
            // The history a strategy sees: the mediator's texts, as offers by nobody in
            // particular (`party == parties`).
            offers.push(Offer {
                round,
                party: n,
                outcome: text,
            });
        }
    }
    let mut vetoed_by = None;
    for (me, player) in players.iter_mut().enumerate() {
        let view = View {
            own: &prepared.own[me],
            me,
            parties: n,
            round: last_round,
            rounds,
            time,
            offers: &offers,
        };
        let signed = player.ratify(&view, text);
        if config.trace {
            trace.push(Event {
                round: last_round,
                party: Some(me),
                time,
                action: Action::Ratify(text, signed),
            });
        }
        if !signed && vetoed_by.is_none() {
            vetoed_by = Some(me);
        }
    }
    match vetoed_by {
        None => finish(
            prepared,
            config,
            Some(text),
            End::Agreement,
            (last_round, time),
            (trace, proposed),
        ),
        Some(p) => finish(
            prepared,
            config,
            None,
            End::Vetoed(p),
            (last_round, time),
            (trace, proposed),
        ),
    }
}

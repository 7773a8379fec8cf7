//! Tournaments: every assignment of strategies to the negotiating parties of every scenario
//! (every ordered tuple, so roles are rotated and a single strategy plays itself), repeated,
//! run in parallel with rayon.
//!
//! Negotiation number k (in the order of [`plan`]) draws from the ChaCha8 stream k of the
//! tournament's seed, and results are collected in plan order, so a tournament without a
//! wall-clock limit gives the same rows whatever the number of threads.

use std::sync::atomic::Ordering;

use rand::SeedableRng;
use rayon::prelude::*;

use crate::metrics::Reference;
use crate::protocol::{run, End, SimConfig};
use crate::space::Prepared;
use crate::strategy::{MakeStrategy, SimRng};
use crate::SimError;

/// A scenario ready for a tournament.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its name in the results.
    pub name: String,
    /// The indexed outcome space.
    pub prepared: Prepared,
    /// Its frontier and bargaining points.
    pub reference: Reference,
}

/// Options of a tournament.
#[derive(Debug, Clone)]
pub struct TournamentConfig {
    /// The protocol, rounds, discounting (the trace is never recorded).
    pub sim: SimConfig,
    /// How many times each assignment is played.
    pub repetitions: usize,
    /// The seed of every stream.
    pub seed: u64,
    /// The largest number of negotiations accepted.
    pub max_negotiations: u64,
}

/// One negotiation to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The scenario's position in the entries.
    pub scenario: usize,
    /// The strategy (by position in the list) of each negotiating party.
    pub assignment: Vec<usize>,
    /// The repetition, 0-based.
    pub repetition: usize,
}

/// One row of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What was run.
    pub job: Job,
    /// Whether they agreed.
    pub agreement: bool,
    /// The agreed outcome.
    pub outcome: Option<u32>,
    /// Rounds started.
    pub rounds: usize,
    /// Each party's utility (discounted when discounting is on), in party order.
    pub utilities: Vec<f64>,
    /// Each party's utility minus its reservation value.
    pub advantages: Vec<f64>,
    /// The sum of the utilities.
    pub welfare: f64,
    /// Distance to the Pareto frontier (undiscounted utilities).
    pub pareto: Option<f64>,
    /// Distance to the nearest Nash point.
    pub nash: Option<f64>,
    /// Distance to the nearest Kalai-Smorodinsky point.
    pub ks: Option<f64>,
}

/// Every negotiation of a tournament, in a fixed order: scenario, then assignment (as a number
/// in base `strategies`, party 0 most significant), then repetition.
pub fn plan(
    entries: &[Entry],
    strategies: usize,
    config: &TournamentConfig,
) -> Result<Vec<Job>, SimError> {
    let mut total: u128 = 0;
    for e in entries {
        let n = e.prepared.own.len() as u32;
        let per = (strategies as u128)
            .checked_pow(n)
            .and_then(|a| a.checked_mul(config.repetitions as u128))
            .unwrap_or(u128::MAX);
        total = total.saturating_add(per);
    }
    if total > u128::from(config.max_negotiations) {
        return Err(SimError::TooManyNegotiations {
            planned: total,
            limit: config.max_negotiations,
        });
    }
    let mut jobs = Vec::with_capacity(total as usize);
    for (s, e) in entries.iter().enumerate() {
        let n = e.prepared.own.len();
        let assignments = strategies.pow(n as u32);
        for a in 0..assignments {
            let mut assignment = vec![0; n];
            let mut rest = a;
            for slot in assignment.iter_mut().rev() {
                *slot = rest % strategies;
                rest /= strategies;
            }
            for repetition in 0..config.repetitions {
                jobs.push(Job {
                    scenario: s,
                    assignment: assignment.clone(),
                    repetition,
                });
            }
        }
    }
    Ok(jobs)
}

/// Runs one planned negotiation on stream `k` of the seed; `None` when the stop flag of
/// `config.sim` cut it short.
pub fn run_job<S: MakeStrategy>(
    entries: &[Entry],
    strategies: &[S],
    config: &TournamentConfig,
    k: usize,
    job: &Job,
) -> Option<Row> {
    let entry = &entries[job.scenario];
    let mut players: Vec<_> = job
        .assignment
        .iter()
        .enumerate()
        .map(|(me, &s)| strategies[s].make(&entry.prepared.seat(me)))
        .collect();
    let mut rng = SimRng::seed_from_u64(config.seed);
    rng.set_stream(k as u64);
    let sim = SimConfig {
        trace: false,
        ..config.sim.clone()
    };
    let result = run(&entry.prepared, &mut players, &sim, &mut rng);
    if result.end == End::Stopped {
        return None;
    }
    let d = entry.reference.distances(&result.utilities);
    let reservations = entry.prepared.reservations();
    Some(Row {
        job: job.clone(),
        agreement: result.agreement.is_some(),
        outcome: result.agreement,
        rounds: result.rounds,
        advantages: result
            .discounted
            .iter()
            .zip(&reservations)
            .map(|(u, r)| u - r)
            .collect(),
        welfare: result.discounted.iter().sum(),
        utilities: result.discounted,
        pareto: d.pareto,
        nash: d.nash,
        ks: d.ks,
    })
}

/// Runs every planned negotiation in parallel on rayon's pool; `tick` is called once per
/// finished negotiation (from any thread). Rows come back in plan order.
///
/// When the stop flag of `config.sim` is set, negotiations not yet started are skipped and
/// those under way end at their next round: the rows are then those of the negotiations that
/// finished, still in plan order (a subset of the plan, not necessarily a prefix).
pub fn run_tournament<S: MakeStrategy>(
    entries: &[Entry],
    strategies: &[S],
    jobs: &[Job],
    config: &TournamentConfig,
    tick: &(dyn Fn() + Sync),
) -> Vec<Row> {
    run_tournament_from(entries, strategies, jobs, 0, config, tick)
}

/// [`run_tournament`] on a stretch of the plan that starts at negotiation number `first`:
/// `jobs[i]` draws from stream `first + i`, so that the stretches of a plan split among
/// workers (Ray tasks, machines) give together the rows of the whole plan, exactly.
pub fn run_tournament_from<S: MakeStrategy>(
    entries: &[Entry],
    strategies: &[S],
    jobs: &[Job],
    first: usize,
    config: &TournamentConfig,
    tick: &(dyn Fn() + Sync),
) -> Vec<Row> {
    let stopped = || {
        config
            .sim
            .stop
            .as_deref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
    };
    // `filter_map` keeps plan order (rayon's `collect` does) without a slot per skipped job.
    jobs.par_iter()
        .enumerate()
        .filter_map(|(k, job)| {
            if stopped() {
                return None;
            }
            let row = run_job(entries, strategies, config, first + k, job);
            if row.is_some() {
                tick();
            }
            row
        })
        .collect()
}

/// [`run_tournament`] on a pool of `threads` threads (`None`: rayon's global pool, one thread
/// per core). The rows do not depend on the number of threads.
pub fn run_tournament_on<S: MakeStrategy>(
    threads: Option<usize>,
    entries: &[Entry],
    strategies: &[S],
    jobs: &[Job],
    config: &TournamentConfig,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Row>, SimError> {
    run_tournament_on_from(threads, entries, strategies, jobs, 0, config, tick)
}

/// [`run_tournament_from`] on a pool of `threads` threads (`None`: rayon's global pool). One
/// thread means the calling thread, without a pool: a caller whose strategies must run on its
/// own thread (the Python bindings', whose thread keeps Python's state for every call) asks
/// for one. The rows do not depend on it.
pub fn run_tournament_on_from<S: MakeStrategy>(
    threads: Option<usize>,
    entries: &[Entry],
    strategies: &[S],
    jobs: &[Job],
    first: usize,
    config: &TournamentConfig,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Row>, SimError> {
    match threads {
        None => Ok(run_tournament_from(
            entries, strategies, jobs, first, config, tick,
        )),
        Some(1) => Ok(run_in_order(entries, strategies, jobs, first, config, tick)),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| SimError::ThreadPool {
                    threads: n,
                    reason: e.to_string(),
                })?;
            Ok(
                pool.install(|| {
                    run_tournament_from(entries, strategies, jobs, first, config, tick)
                }),
            )
        }
    }
}

/// [`run_tournament_from`] on the calling thread, one negotiation after another.
fn run_in_order<S: MakeStrategy>(
    entries: &[Entry],
    strategies: &[S],
    jobs: &[Job],
    first: usize,
    config: &TournamentConfig,
    tick: &(dyn Fn() + Sync),
) -> Vec<Row> {
    let stop = config.sim.stop.as_deref();
    let mut rows = Vec::with_capacity(jobs.len());
    for (k, job) in jobs.iter().enumerate() {
        if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            break;
        }
        if let Some(row) = run_job(entries, strategies, config, first + k, job) {
            tick();
            rows.push(row);
        }
    }
    rows
}

/// The summary of one strategy over every party it played.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The strategy's name.
    pub strategy: String,
    /// How many (negotiation, party) seats it took.
    pub seats: usize,
    /// Share of those negotiations that ended in agreement.
    pub agreement_rate: f64,
    /// Mean utility it obtained.
    pub mean_utility: f64,
    /// Mean utility minus reservation value.
    pub mean_advantage: f64,
    /// Mean welfare (sum of utilities) of its negotiations.
    pub mean_welfare: f64,
    /// Mean distance to the Pareto frontier (over negotiations where it is defined).
    pub mean_pareto: Option<f64>,
    /// Mean distance to the Nash point.
    pub mean_nash: Option<f64>,
    /// Mean rounds used.
    pub mean_rounds: f64,
}

/// Aggregates rows per strategy, in the order of `strategies`. A negotiation counts once for
/// each seat a strategy took in it. Sums run in row order, so the summary is deterministic.
pub fn summarize<S: MakeStrategy>(rows: &[Row], strategies: &[S]) -> Vec<Summary> {
    strategies
        .iter()
        .enumerate()
        .map(|(s, spec)| {
            let (mut seats, mut agreed, mut u, mut adv, mut welfare, mut rounds) =
                (0usize, 0usize, 0.0, 0.0, 0.0, 0.0);
            let (mut pareto, mut pareto_n, mut nash, mut nash_n) = (0.0, 0usize, 0.0, 0usize);
            for row in rows {
                for (slot, &a) in row.job.assignment.iter().enumerate() {
                    if a != s {
                        continue;
                    }
                    seats += 1;
                    agreed += usize::from(row.agreement);
                    u += row.utilities[slot];
                    adv += row.advantages[slot];
                    welfare += row.welfare;
                    rounds += row.rounds as f64;
                    if let Some(d) = row.pareto {
                        pareto += d;
                        pareto_n += 1;
                    }
                    if let Some(d) = row.nash {
                        nash += d;
                        nash_n += 1;
                    }
                }
            }
            let mean = |x: f64, n: usize| if n == 0 { 0.0 } else { x / n as f64 };
            Summary {
                strategy: spec.name().to_string(),
                seats,
                agreement_rate: mean(agreed as f64, seats),
                mean_utility: mean(u, seats),
                mean_advantage: mean(adv, seats),
                mean_welfare: mean(welfare, seats),
                mean_pareto: (pareto_n > 0).then(|| pareto / pareto_n as f64),
                mean_nash: (nash_n > 0).then(|| nash / nash_n as f64),
                mean_rounds: mean(rounds, seats),
            }
        })
        .collect()
}

//! Property tests of the protocols and strategies on random small scenarios: determinism,
//! individual rationality of agreements, hardliners, and the time-based target formula.

use concord_core::model::*;
use concord_sim::metrics::reference;
use concord_sim::protocol::{
    simulate, Action, Discounting, End, Protocol, SimConfig, SingleTextMode,
};
use concord_sim::space::{prepare, PrepareConfig, Prepared};
use concord_sim::strategy::{time_target, Acceptance, Offering, StrategySpec};
use concord_sim::tournament::{plan, run_tournament, summarize, Entry, TournamentConfig};
use proptest::prelude::*;

fn party(id: &str) -> Party {
    Party {
        id: id.into(),
        name: id.into(),
        role: Role::Party,
        consent: true,
        aliases: vec![],
        provenance: Provenance::default(),
    }
}

/// A party of [`scenario`]: reservation value, issue weights, option values per issue.
type PartySpec = (f64, Vec<f64>, Vec<Vec<f64>>);

/// A scenario with the given options per issue, and per party: reservation, weights, values.
fn scenario(counts: &[usize], parties: &[PartySpec]) -> Scenario {
    Scenario {
        id: "t".into(),
        title: String::new(),
        description: String::new(),
        sources: vec![],
        parties: (0..parties.len())
            .map(|p| party(&format!("p{p}")))
            .collect(),
        issues: counts
            .iter()
            .enumerate()
            .map(|(i, &c)| Issue {
                id: format!("i{i}"),
                name: format!("i{i}"),
                ordered: false,
                numeric: None,
                options: (0..c)
                    .map(|o| IssueOption {
                        id: format!("o{o}"),
                        name: format!("o{o}"),
                        value: None,
                    })
                    .collect(),
            })
            .collect(),
        preferences: parties
            .iter()
            .map(|(r, weights, values)| {
                let total: f64 = weights.iter().sum();
                Some(Preferences {
                    reservation: Assumed::exact(*r),
                    provenance: Provenance::default(),
                    discount: Some(0.9),
                    issues: weights
                        .iter()
                        .zip(values)
                        .map(|(w, v)| IssuePreference {
                            weight: Assumed::exact(w / total),
                            values: ValueFunction::Table(
                                v.iter().map(|&x| Assumed::exact(x)).collect(),
                            ),
                            provenance: Provenance::default(),
                        })
                        .collect(),
                })
            })
            .collect(),
        red_lines: vec![],
        framework: Framework::default(),
        claims: Vec::new(),
    }
}

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (2usize..=3, prop::collection::vec(2usize..=5, 1..=3)).prop_flat_map(|(n, counts)| {
        let issue_values: Vec<_> = counts
            .iter()
            .map(|&c| prop::collection::vec(0.0f64..=1.0, c))
            .collect();
        let one_party = (
            0.0f64..0.6,
            prop::collection::vec(0.1f64..1.0, counts.len()),
            issue_values,
        );
        prop::collection::vec(one_party, n).prop_map(move |ps| scenario(&counts, &ps))
    })
}

const NAMES: [&str; 9] = [
    "boulware",
    "linear",
    "conceder",
    "hardliner",
    "random",
    "tit-for-tat",
    "time:2",
    "linear/const:0.7",
    "conceder/time:0.5",
];

fn specs(picks: &[usize], n: usize) -> Vec<StrategySpec> {
    (0..n)
        .map(|k| StrategySpec::parse(NAMES[picks[k % picks.len()] % NAMES.len()]).unwrap())
        .collect()
}

fn prepared(s: &Scenario) -> Prepared {
    prepare(s, &PrepareConfig::default()).unwrap()
}

fn config(protocol: Protocol, rounds: usize) -> SimConfig {
    SimConfig {
        protocol,
        rounds,
        time_limit: None,
        discounting: Discounting::PerRound,
        trace: true,
        stop: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn same_seed_same_trace(
        s in arb_scenario(),
        picks in prop::collection::vec(0usize..9, 3),
        seed in any::<u64>(),
        rounds in 1usize..60,
        single_text in any::<bool>(),
    ) {
        let p = prepared(&s);
        let protocol = if single_text {
            Protocol::SingleText(SingleTextMode::HillClimbing)
        } else {
            Protocol::Sao
        };
        let sp = specs(&picks, p.own.len());
        let a = simulate(&p, &sp, &config(protocol, rounds), seed);
        let b = simulate(&p, &sp, &config(protocol, rounds), seed);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn agreements_are_acceptable_to_every_party_when_made(
        s in arb_scenario(),
        picks in prop::collection::vec(0usize..9, 3),
        seed in any::<u64>(),
        rounds in 1usize..60,
    ) {
        let p = prepared(&s);
        let sp = specs(&picks, p.own.len());
        let r = simulate(&p, &sp, &config(Protocol::Sao, rounds), seed);
        let Some(o) = r.agreement else { return Ok(()) };
        prop_assert_eq!(r.end, End::Agreement);
        // The last offer and the acceptances that follow it: every party, each at its time.
        let last = r.trace.iter().rposition(|e| matches!(e.action, Action::Offer(_))).unwrap();
        let mut seen = vec![false; p.own.len()];
        for e in &r.trace[last..] {
            let k = e.party.unwrap();
            seen[k] = true;
            let own = &p.own[k];
            let u = own.utility(o);
            prop_assert!(u >= own.reservation(), "party {} below its reservation", k);
            if let Offering::TimeBased { exponent } = sp[k].offering {
                if sp[k].acceptance == [Acceptance::Next] {
                    let target = time_target(own.reservation(), own.max_utility(), e.time, exponent);
                    prop_assert!(u >= target, "party {} took {} under its target {}", k, u, target);
                }
            }
        }
        prop_assert!(seen.iter().all(|&x| x), "not every party accepted");
    }

    #[test]
    fn hardliners_agree_only_on_an_outcome_best_for_both(
        s in arb_scenario(),
        seed in any::<u64>(),
        rounds in 1usize..30,
    ) {
        let p = prepared(&s);
        let sp = vec![StrategySpec::parse("hardliner").unwrap(); p.own.len()];
        let r = simulate(&p, &sp, &config(Protocol::Sao, rounds), seed);
        if let Some(o) = r.agreement {
            for own in &p.own {
                prop_assert_eq!(own.utility(o), own.max_utility());
            }
        } else {
            // They failed: no single outcome is best for all of them.
            let common = (0..p.space.size() as u32)
                .any(|o| p.own.iter().all(|own| own.utility(o) == own.max_utility()
                    && own.max_utility() >= own.reservation()));
            prop_assert!(!common || p.own.len() > 2,
                "two hardliners with a common best outcome did not agree");
        }
    }

    #[test]
    fn time_based_offers_follow_the_target_formula(
        s in arb_scenario(),
        e in 0.1f64..6.0,
        seed in any::<u64>(),
        rounds in 1usize..80,
    ) {
        let p = prepared(&s);
        let n = p.own.len();
        // Party 0 plays time:e against hardliners, so it makes an offer every round.
        let mut sp = vec![StrategySpec::parse("hardliner").unwrap(); n];
        sp[0] = StrategySpec::parse(&format!("time:{e}")).unwrap();
        let r = simulate(&p, &sp, &config(Protocol::Sao, rounds), seed);
        let own = &p.own[0];
        for ev in r.trace.iter().filter(|ev| ev.party == Some(0)) {
            if let Action::Offer(o) = ev.action {
                let t = (ev.round + 1) as f64 / (rounds + 1) as f64;
                prop_assert_eq!(ev.time, t);
                let target = time_target(own.reservation(), own.max_utility(), t, e);
                // Brute force: the cheapest outcome worth at least the target.
                let cheapest = (0..p.space.size() as u32)
                    .map(|x| own.utility(x))
                    .filter(|&u| u >= target)
                    .fold(f64::INFINITY, f64::min);
                prop_assert_eq!(own.utility(o), cheapest);
            }
        }
    }

    #[test]
    fn single_text_agreements_satisfy_everyone_and_hill_climbing_never_goes_down(
        s in arb_scenario(),
        seed in any::<u64>(),
        rounds in 1usize..60,
    ) {
        let p = prepared(&s);
        let sp = vec![StrategySpec::parse("linear").unwrap(); p.own.len()];
        let r = simulate(&p, &sp, &config(Protocol::SingleText(SingleTextMode::HillClimbing), rounds), seed);
        let mut previous: Option<Vec<f64>> = None;
        for ev in &r.trace {
            if let Action::Candidate { text, moved: true, .. } = ev.action {
                let u = p.utilities(text);
                if let Some(prev) = &previous {
                    prop_assert!(u.iter().zip(prev).all(|(a, b)| a >= b));
                    prop_assert!(u.iter().zip(prev).any(|(a, b)| a > b));
                }
                previous = Some(u);
            }
        }
        if let Some(o) = r.agreement {
            for own in &p.own {
                prop_assert!(own.utility(o) >= own.reservation());
            }
        }
    }
}

#[test]
fn tournaments_do_not_depend_on_the_number_of_threads() {
    let s = scenario(
        &[4, 5, 3],
        &[
            (
                0.3,
                vec![1.0, 2.0, 1.0],
                vec![
                    vec![0.0, 0.3, 0.6, 1.0],
                    vec![1.0, 0.2, 0.5, 0.0, 0.9],
                    vec![0.0, 1.0, 0.4],
                ],
            ),
            (
                0.2,
                vec![2.0, 1.0, 1.0],
                vec![
                    vec![1.0, 0.6, 0.3, 0.0],
                    vec![0.0, 0.9, 0.5, 1.0, 0.1],
                    vec![1.0, 0.0, 0.7],
                ],
            ),
        ],
    );
    let entries = vec![Entry {
        name: "t".into(),
        reference: reference(&s).unwrap(),
        prepared: prepared(&s),
    }];
    let strategies: Vec<StrategySpec> = ["boulware", "random", "tit-for-tat", "conceder"]
        .iter()
        .map(|n| StrategySpec::parse(n).unwrap())
        .collect();
    let config = TournamentConfig {
        sim: SimConfig::sao(50),
        repetitions: 5,
        seed: 42,
        max_negotiations: 1_000_000,
    };
    let jobs = plan(&entries, strategies.len(), &config).unwrap();
    assert_eq!(jobs.len(), 16 * 5);
    let run_on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| run_tournament(&entries, &strategies, &jobs, &config, &|| {}))
    };
    let one = run_on(1);
    let two = run_on(2);
    assert_eq!(one, two);
    // Random players make different draws on different repetitions.
    let random_rows: Vec<_> = one.iter().filter(|r| r.job.assignment == [1, 1]).collect();
    assert!(random_rows
        .windows(2)
        .any(|w| w[0].outcome != w[1].outcome || w[0].rounds != w[1].rounds));
    let summary = summarize(&one, &strategies);
    assert_eq!(summary.len(), 4);
    // Each strategy takes 2 seats in its self-play and 1 in each of 6 mixed pairs, times 5.
    assert!(summary.iter().all(|s| s.seats == 40));
    assert!(summary
        .iter()
        .all(|s| (0.0..=1.0).contains(&s.agreement_rate)));
}

#[test]
fn a_party_with_nothing_acceptable_walks_away_and_discounting_applies_per_round() {
    let values = vec![vec![0.0, 0.5, 1.0]];
    let reverse = vec![vec![1.0, 0.5, 0.0]];
    // Party 1's reservation is above anything it can get: it walks away at its first turn.
    let s = scenario(
        &[3],
        &[
            (0.1, vec![1.0], values.clone()),
            (1.5, vec![1.0], reverse.clone()),
        ],
    );
    let p = prepared(&s);
    let sp = vec![StrategySpec::parse("linear").unwrap(); 2];
    let r = simulate(&p, &sp, &config(Protocol::Sao, 10), 1);
    assert_eq!(r.end, End::WalkedAway(1));
    assert_eq!(r.utilities, vec![0.1, 1.5]);
    // Linear against linear on a symmetric split meets in the middle, discounted by 0.9^round.
    let s = scenario(&[3], &[(0.0, vec![1.0], values), (0.0, vec![1.0], reverse)]);
    let p = prepared(&s);
    let r = simulate(&p, &sp, &config(Protocol::Sao, 10), 1);
    assert_eq!(r.end, End::Agreement);
    assert_eq!(r.agreement, Some(1));
    let round = r.rounds - 1;
    assert_eq!(r.utilities, vec![0.5, 0.5]);
    assert!((r.discounted[0] - 0.5 * 0.9f64.powi(round as i32)).abs() < 1e-12);
}

#[test]
fn three_party_agreement_needs_every_acceptance() {
    // Party 2 is a hardliner whose best outcome is the worst for the others, who hold out.
    let s = scenario(
        &[3],
        &[
            (0.4, vec![1.0], vec![vec![1.0, 0.5, 0.0]]),
            (0.4, vec![1.0], vec![vec![1.0, 0.6, 0.0]]),
            (0.0, vec![1.0], vec![vec![0.0, 0.2, 1.0]]),
        ],
    );
    let p = prepared(&s);
    let sp = vec![
        StrategySpec::parse("conceder").unwrap(),
        StrategySpec::parse("conceder").unwrap(),
        StrategySpec::parse("hardliner").unwrap(),
    ];
    let r = simulate(&p, &sp, &config(Protocol::Sao, 50), 3);
    assert_eq!(r.agreement, None);
    assert_eq!(r.end, End::Deadline);
    assert_eq!(r.rounds, 50);
}

#[test]
fn a_set_stop_flag_cuts_negotiations_and_tournaments_short() {
    // Issue 16: simulations and tournaments did not poll Ctrl-C, and a stopped tournament left
    // no results. A negotiation under a set flag ends without agreement as `Stopped`; a
    // tournament under it finishes nothing, and says so by returning no rows.
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let values = vec![vec![0.0, 0.5, 1.0]];
    let reverse = vec![vec![1.0, 0.5, 0.0]];
    let s = scenario(&[3], &[(0.0, vec![1.0], values), (0.0, vec![1.0], reverse)]);
    let p = prepared(&s);
    let sp = vec![StrategySpec::parse("linear").unwrap(); 2];
    let stop = Arc::new(AtomicBool::new(true));
    for protocol in [Protocol::Sao, Protocol::SingleText(SingleTextMode::Veto)] {
        let stopped = SimConfig {
            stop: Some(Arc::clone(&stop)),
            ..config(protocol, 10)
        };
        let r = simulate(&p, &sp, &stopped, 1);
        assert_eq!(r.end, End::Stopped);
        assert_eq!(r.agreement, None);
        assert_eq!(r.utilities, vec![0.0, 0.0]);
        // Unset, the same negotiation runs to its end.
        let r = simulate(&p, &sp, &config(protocol, 10), 1);
        assert_ne!(r.end, End::Stopped);
    }
    let entries = vec![Entry {
        name: "t".into(),
        reference: reference(&s).unwrap(),
        prepared: p,
    }];
    let strategies: Vec<StrategySpec> = vec![StrategySpec::parse("linear").unwrap()];
    let mut config = TournamentConfig {
        sim: SimConfig::sao(10),
        repetitions: 3,
        seed: 1,
        max_negotiations: 2,
    };
    assert_eq!(
        plan(&entries, 1, &config).unwrap_err().to_string(),
        "3 negotiations planned, more than the limit of 2"
    );
    config.max_negotiations = 3;
    let jobs = plan(&entries, 1, &config).unwrap();
    assert_eq!(
        run_tournament(&entries, &strategies, &jobs, &config, &|| {}).len(),
        3
    );
    config.sim.stop = Some(stop);
    assert!(run_tournament(&entries, &strategies, &jobs, &config, &|| {}).is_empty());
}

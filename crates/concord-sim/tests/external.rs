//! Strategies made outside the crate ([`MakeStrategy`]) play beside the built-ins: a Boulware
//! written here from its definition, knowing only its own preferences, gives the built-in's
//! every row; and a plan run in stretches gives the rows of the whole run.

use std::sync::Arc;

use concord_core::model::*;
use concord_sim::protocol::SimConfig;
use concord_sim::space::{prepare, OutcomeId, OwnPreferences, PrepareConfig};
use concord_sim::strategy::{MakeStrategy, Response, Seat, SimRng, Strategy, StrategySpec, View};
use concord_sim::tournament::{
    plan, run_tournament, run_tournament_from, run_tournament_on_from, summarize, Entry,
    TournamentConfig,
};

/// Time-based Boulware (e = 4) with AC_next, by a scan of its own utilities: the built-in's
/// definition, none of its index.
#[derive(Debug)]
struct OwnBoulware;

struct Player {
    own: Arc<OwnPreferences>,
    outcomes: usize,
}

impl Player {
    fn offer(&self, time: f64) -> Option<OutcomeId> {
        let own = &self.own;
        let allowed = || (0..self.outcomes as OutcomeId).filter(|&o| own.allows(o));
        let max = allowed()
            .map(|o| own.utility(o))
            .fold(f64::NEG_INFINITY, f64::max);
        let r = own.reservation();
        let t2 = time * time;
        let target = r + (max - r) * (1.0 - t2 * t2);
        // The least utility at or above the target, smallest outcome number among ties.
        allowed()
            .filter(|&o| own.utility(o) >= target)
            .min_by(|&a, &b| own.utility(a).total_cmp(&own.utility(b)).then(a.cmp(&b)))
    }
}

impl Strategy for Player {
    fn respond(&mut self, view: &View<'_>, offer: OutcomeId, _rng: &mut SimRng) -> Response {
        let u = self.own.utility(offer);
        if !self.own.allows(offer) || u < self.own.reservation() {
            return Response::Reject;
        }
        match self.offer(view.time) {
            Some(next) if u < self.own.utility(next) => Response::Reject,
            _ => Response::Accept,
        }
    }

    fn propose(&mut self, view: &View<'_>, _rng: &mut SimRng) -> Option<OutcomeId> {
        self.offer(view.time)
    }
}

impl MakeStrategy for OwnBoulware {
    fn name(&self) -> &str {
        "own-boulware"
    }

    fn make(&self, seat: &Seat<'_>) -> Box<dyn Strategy> {
        Box::new(Player {
            own: Arc::clone(seat.own),
            outcomes: seat.space.size(),
        })
    }
}

fn scenario() -> Scenario {
    let issue = |id: &str, n: usize| Issue {
        id: id.into(),
        name: id.into(),
        ordered: true,
        numeric: None,
        options: (0..n)
            .map(|k| IssueOption {
                id: format!("{id}{k}"),
                name: format!("{id}{k}"),
                value: None,
            })
            .collect(),
    };
    let prefs = |r: f64, w: f64, a: Vec<f64>, b: Vec<f64>| {
        let table = |v: Vec<f64>| ValueFunction::Table(v.into_iter().map(Assumed::exact).collect());
        Some(Preferences {
            reservation: Assumed::exact(r),
            provenance: Provenance::default(),
            discount: None,
            issues: vec![
                IssuePreference {
                    weight: Assumed::exact(w),
                    values: table(a),
                    provenance: Provenance::default(),
                },
                IssuePreference {
                    weight: Assumed::exact(1.0 - w),
                    values: table(b),
                    provenance: Provenance::default(),
                },
            ],
        })
    };
    let party = |id: &str| Party {
        id: id.into(),
        name: id.into(),
        role: Role::Party,
        consent: true,
        aliases: vec![],
        provenance: Provenance::default(),
    };
    Scenario {
        id: "two-issues".into(),
        title: String::new(),
        description: String::new(),
        sources: vec![],
        parties: vec![party("a"), party("b")],
        issues: vec![issue("x", 7), issue("y", 5)],
        preferences: vec![
            prefs(
                0.15,
                0.6,
                vec![0.0, 0.1, 0.35, 0.5, 0.5, 0.8, 1.0],
                vec![1.0, 0.7, 0.4, 0.2, 0.0],
            ),
            prefs(
                0.3,
                0.3,
                vec![1.0, 0.9, 0.6, 0.55, 0.3, 0.1, 0.0],
                vec![0.0, 0.25, 0.5, 0.75, 1.0],
            ),
        ],
        red_lines: vec![],
        framework: Framework::default(),
        claims: vec![],
    }
}

fn entries() -> Vec<Entry> {
    let s = scenario();
    vec![Entry {
        name: "two-issues".into(),
        prepared: prepare(&s, &PrepareConfig::default()).unwrap(),
        reference: concord_sim::metrics::reference(&s).unwrap(),
    }]
}

fn config(rounds: usize) -> TournamentConfig {
    TournamentConfig {
        sim: SimConfig::sao(rounds),
        repetitions: 2,
        seed: 11,
        max_negotiations: 1000,
    }
}

#[test]
fn an_external_boulware_gives_the_built_in_boulwares_rows() {
    let entries = entries();
    for rounds in [3, 10, 57, 200] {
        let config = config(rounds);
        let built_in: Vec<Arc<dyn MakeStrategy>> = vec![
            Arc::new(StrategySpec::parse("boulware").unwrap()),
            Arc::new(StrategySpec::parse("conceder").unwrap()),
        ];
        let external: Vec<Arc<dyn MakeStrategy>> = vec![
            Arc::new(OwnBoulware),
            Arc::new(StrategySpec::parse("conceder").unwrap()),
        ];
        let jobs = plan(&entries, 2, &config).unwrap();
        let a = run_tournament(&entries, &built_in, &jobs, &config, &|| {});
        let b = run_tournament(&entries, &external, &jobs, &config, &|| {});
        assert_eq!(a.len(), jobs.len());
        assert_eq!(a, b, "{rounds} rounds");
        assert!(a.iter().any(|r| r.agreement), "some negotiation agrees");
        let names: Vec<String> = summarize(&b, &external)
            .into_iter()
            .map(|s| s.strategy)
            .collect();
        assert_eq!(names, ["own-boulware", "conceder"]);
    }
}

#[test]
fn stretches_of_a_plan_give_the_rows_of_the_whole() {
    let entries = entries();
    let config = config(40);
    let strategies = ["random", "linear", "tit-for-tat"].map(|s| StrategySpec::parse(s).unwrap());
    let jobs = plan(&entries, strategies.len(), &config).unwrap();
    let whole = run_tournament(&entries, &strategies, &jobs, &config, &|| {});
    for cut in [1, 5, jobs.len() - 1] {
        let mut parts =
            run_tournament_from(&entries, &strategies, &jobs[..cut], 0, &config, &|| {});
        parts.extend(run_tournament_from(
            &entries,
            &strategies,
            &jobs[cut..],
            cut,
            &config,
            &|| {},
        ));
        assert_eq!(parts, whole, "cut at {cut}");
    }
    // One thread (the calling one, without a pool) and three give the same rows.
    for threads in [Some(1), Some(3), None] {
        let rows =
            run_tournament_on_from(threads, &entries, &strategies, &jobs, 0, &config, &|| {})
                .unwrap();
        assert_eq!(rows, whole, "{threads:?} threads");
    }
    // Starting a stretch at the wrong number changes the random strategy's draws.
    let shifted = run_tournament_from(&entries, &strategies, &jobs, 1, &config, &|| {});
    assert_ne!(shifted, whole);
}

//! Times the exact way out (MILP) against its brute-force twin on random deadlocks of growing
//! size, and checks that they agree. Run: `cargo run --release -p concord-sequence --example
//! way_out_scaling`. Deterministic: the problems come from a fixed-seed generator.

use std::time::Instant;

use concord_core::model::Provenance;
use concord_sequence::analysis::{analyze, SequenceAnalysis, SequenceConfig};
use concord_sequence::model::*;
use concord_sequence::reference;

/// A small linear congruential generator: enough to draw reproducible problems.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// `n` steps of 1 to 3 days, every other one splittable, and `2n` hard "before" demands with
/// gaps of 0 or 1 day: random orders, so most such problems deadlock.
fn problem(rng: &mut Lcg, n: usize) -> SequenceProblem {
    let steps = (0..n)
        .map(|k| Step {
            id: format!("s{k}"),
            name: format!("s{k}"),
            parties: vec![],
            duration: 1 + rng.below(3) as i64,
            verification: None,
            split: if k % 2 == 0 {
                DEFAULT_SPLIT
            } else {
                Split::Never
            },
            provenance: Provenance::default(),
        })
        .collect();
    let demands = (0..2 * n)
        .map(|k| {
            let first = rng.below(n as u64) as usize;
            let then = (first + 1 + rng.below(n as u64 - 1) as usize) % n;
            Demand {
                id: format!("d{k}"),
                party: 0,
                rule: Rule::Before {
                    first,
                    then,
                    relation: Relation::FinishToStart,
                    min_gap: rng.below(2) as i64,
                    max_gap: None,
                },
                strength: Strength::Hard,
                note: None,
                provenance: Provenance::default(),
            }
        })
        .collect();
    SequenceProblem { steps, demands }
}

fn main() {
    let mut rng = Lcg(2026);
    println!("steps  deadlocks  exact way out (ms, mean)  brute force (ms, mean)  agree");
    for n in [2usize, 3, 4, 6, 8, 12] {
        let (mut count, mut exact_ms, mut brute_ms, mut agree) = (0, 0.0, 0.0, true);
        let mut tries = 0;
        while count < 10 && tries < 1000 {
            tries += 1;
            let p = problem(&mut rng, n);
            let t = Instant::now();
            let analysis = analyze(&p, &SequenceConfig::default()).expect("valid");
            let SequenceAnalysis::Deadlock(d) = analysis else {
                continue;
            };
            exact_ms += t.elapsed().as_secs_f64() * 1e3;
            count += 1;
            // The brute force only where its box is small enough to search.
            if n <= 4 {
                let w = d.way_out.expect("a way out");
                let t = Instant::now();
                let brute = reference::cheapest_way_out(&p);
                brute_ms += t.elapsed().as_secs_f64() * 1e3;
                agree &= brute
                    == Some((
                        w.cost.days,
                        w.cost.changes,
                        w.cost.splits,
                        w.plan.cost,
                        w.plan.duration,
                    ));
            }
        }
        let mean = |x: f64| x / count.max(1) as f64;
        let brute = if n <= 4 {
            format!("{:.1}", mean(brute_ms))
        } else {
            "out of reach".into()
        };
        println!(
            "{n:>5}  {count:>9}  {:>24.1}  {brute:>22}  {}",
            mean(exact_ms),
            if n <= 4 {
                agree.to_string()
            } else {
                "-".into()
            }
        );
    }
}

//! Kernels: the issue-by-issue merge against enumeration on the same scenario, and the merge on
//! spaces enumeration cannot reach; counting by meet in the middle. `cargo bench -p concord-core`.

// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]
use concord_core::analysis::{analyze, AnalysisConfig, MethodChoice};
use concord_core::engine::{Evaluator, Floor, Rules};
use concord_core::model::*;
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random additive scenario: `issues` issues of `options` options, `parties` parties with
/// weights summing to 1, no red lines, reservation 0.
fn scenario(issues: usize, options: usize, parties: usize, seed: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let issue_list: Vec<Issue> = (0..issues)
        .map(|i| Issue {
            id: format!("i{i}"),
            name: format!("I{i}"),
            ordered: false,
            options: (0..options)
                .map(|o| IssueOption {
                    id: format!("o{o}"),
                    name: format!("O{o}"),
                    value: None,
                })
                .collect(),
            numeric: None,
        })
        .collect();
    let preferences = (0..parties)
        .map(|_| {
            let weights: Vec<f64> = (0..issues).map(|_| rng.random::<f64>()).collect();
            let total: f64 = weights.iter().sum();
            Some(Preferences {
                reservation: Assumed::exact(0.0),
                provenance: Provenance::default(),
                issues: weights
                    .iter()
                    .map(|w| IssuePreference {
                        weight: Assumed::exact(w / total),
                        values: ValueFunction::Table(
                            (0..options).map(|_| Assumed::exact(rng.random())).collect(),
                        ),
                        provenance: Provenance::default(),
                    })
                    .collect(),
                discount: None,
            })
        })
        .collect();
    Scenario {
        id: "bench".into(),
        title: "bench".into(),
        description: String::new(),
        sources: vec![],
        parties: (0..parties)
            .map(|p| Party {
                id: format!("p{p}"),
                name: format!("P{p}"),
                role: Role::Party,
                consent: true,
                aliases: vec![],
                provenance: Provenance::default(),
            })
            .collect(),
        issues: issue_list,
        preferences,
        red_lines: vec![],
        framework: Framework::default(),
        claims: Vec::new(),
    }
}

/// [`scenario`] with the numbers a user writes: weights in thousandths summing to exactly 1,
/// values in hundredths, reservation 0.3; on the exact integer scale, as the analysis runs it.
fn short_decimal_scenario(issues: usize, options: usize, parties: usize, seed: u64) -> Scenario {
    let mut s = scenario(issues, options, parties, seed);
    for prefs in s.preferences.iter_mut().flatten() {
        prefs.reservation = Assumed::exact(0.3);
        let mut thousandths: Vec<i64> = prefs
            .issues
            .iter()
            .map(|i| (i.weight.value * 1000.0).floor() as i64)
            .collect();
        thousandths[0] += 1000 - thousandths.iter().sum::<i64>();
        for (issue, w) in prefs.issues.iter_mut().zip(thousandths) {
            issue.weight = Assumed::exact(w as f64 / 1000.0);
            if let ValueFunction::Table(values) = &mut issue.values {
                for v in values.iter_mut() {
                    *v = Assumed::exact((v.value * 100.0).round() / 100.0);
                }
            }
        }
    }
    concord_core::exact::scale(&s)
        .expect("short decimals have an exact scale")
        .0
}

fn config(method: MethodChoice) -> AnalysisConfig {
    AnalysisConfig {
        method,
        issue_map: false,
        count_limit: 0,
        ..AnalysisConfig::default()
    }
}

fn kernels(c: &mut Criterion) {
    let mut group = c.benchmark_group("2 parties, 10^5 packages");
    let s = scenario(5, 10, 2, 1);
    group.bench_function("enumeration", |b| {
        b.iter(|| analyze(&s, &config(MethodChoice::Enumeration)).unwrap())
    });
    group.bench_function("merge", |b| {
        b.iter(|| analyze(&s, &config(MethodChoice::Merge)).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("merge beyond enumeration");
    group.sample_size(10);
    let s = scenario(50, 10, 2, 2);
    group.bench_function("2 parties, 50 x 10", |b| {
        b.iter(|| analyze(&s, &config(MethodChoice::Merge)).unwrap())
    });
    let s = scenario(12, 4, 3, 3);
    group.bench_function("3 parties, 12 x 4", |b| {
        b.iter(|| analyze(&s, &config(MethodChoice::Merge)).unwrap())
    });
    // The sizes of issue 5's targets (bench/negmas's "beyond enumeration" cases use other
    // random draws of the same shapes).
    for (issues, options, parties) in [(200, 10, 2), (20, 5, 3), (12, 4, 4), (10, 4, 5)] {
        let s = scenario(issues, options, parties, 4);
        group.bench_function(format!("{parties} parties, {issues} x {options}"), |b| {
            b.iter(|| analyze(&s, &config(MethodChoice::Merge)).unwrap())
        });
    }
    group.finish();

    // The counts the default analysis makes past 10^4 packages: the zone's and the issue map's,
    // by meet in the middle (halves of 10^4 packages here).
    let mut group = c.benchmark_group("counting, zone and issue map");
    for parties in [2, 3] {
        let s = short_decimal_scenario(8, 10, parties, 5);
        let eval = Evaluator::new(&s);
        let rules = Rules {
            red_lines: vec![],
            floors: s
                .consenting()
                .iter()
                .map(|&p| Floor {
                    slot: eval.slot(p).expect("consenting parties are scored"),
                    min: s.preferences[p].as_ref().expect("scored").reservation.value,
                })
                .collect(),
        };
        group.bench_function(format!("{parties} parties, 10^8"), |b| {
            b.iter(|| concord_core::halves::zone_and_issue_counts(&eval, &rules, None))
        });
    }
    group.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);

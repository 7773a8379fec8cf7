//! No model, however malformed, makes an analysis panic: a valid random scenario is broken in
//! one to three random ways (short tables, unknown indices, NaN and infinities, empty issues,
//! duplicate ids, wrong option-set lengths), and every analysis entry point must answer or
//! return an error, never panic. A broken model is refused by `Scenario::validate` with the
//! path of the broken field.

mod common;

use concord_core::analysis::{analyze, AnalysisConfig, AnalysisError, MethodChoice};
use concord_core::model::*;
use proptest::prelude::*;

/// One way to break a model; the numbers pick where.
#[derive(Debug, Clone)]
enum Break {
    ShortPreferences,
    ShortIssuePreferences(usize),
    ShortValueTable(usize, usize),
    Weight(usize, usize, f64),
    Value(usize, usize, f64),
    Reservation(usize, f64),
    EmptyIssue(usize),
    RedLineParty(usize, usize),
    RedLineIssue(usize, usize),
    RedLineSetLength(usize),
    DuplicateIssueId,
    CitationSource(usize),
    ClaimIndex(usize),
    PiecewiseOnTable(usize, usize),
}

fn bad_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-1.0),
        Just(f64::MAX),
    ]
}

fn a_break() -> impl Strategy<Value = Break> {
    let k = 0usize..8;
    prop_oneof![
        Just(Break::ShortPreferences),
        k.clone().prop_map(Break::ShortIssuePreferences),
        (k.clone(), k.clone()).prop_map(|(a, b)| Break::ShortValueTable(a, b)),
        (k.clone(), k.clone(), bad_number()).prop_map(|(a, b, x)| Break::Weight(a, b, x)),
        (k.clone(), k.clone(), bad_number()).prop_map(|(a, b, x)| Break::Value(a, b, x)),
        (k.clone(), bad_number()).prop_map(|(a, x)| Break::Reservation(a, x)),
        k.clone().prop_map(Break::EmptyIssue),
        (k.clone(), 5usize..100).prop_map(|(a, b)| Break::RedLineParty(a, b)),
        (k.clone(), 5usize..100).prop_map(|(a, b)| Break::RedLineIssue(a, b)),
        k.clone().prop_map(Break::RedLineSetLength),
        Just(Break::DuplicateIssueId),
        (1usize..100).prop_map(Break::CitationSource),
        (1usize..100).prop_map(Break::ClaimIndex),
        (k.clone(), k).prop_map(|(a, b)| Break::PiecewiseOnTable(a, b)),
    ]
}

/// Applies a break where it can; returns whether the model changed.
fn apply(s: &mut Scenario, b: &Break) -> bool {
    let ni = s.issues.len();
    let nr = s.red_lines.len().max(1);
    fn pref(s: &mut Scenario, p: usize) -> Option<&mut Preferences> {
        let n = s.preferences.len().max(1);
        s.preferences
            .get_mut(p % n)?
            .as_mut()
            .filter(|pr| !pr.issues.is_empty())
    }
    match *b {
        Break::ShortPreferences => {
            s.preferences.pop();
            true
        }
        Break::ShortIssuePreferences(p) => match pref(s, p) {
            Some(pr) => pr.issues.pop().is_some(),
            None => false,
        },
        Break::ShortValueTable(p, i) => match pref(s, p) {
            Some(pr) => match &mut {
                let n = pr.issues.len();
                &mut pr.issues[i % n]
            }
            .values
            {
                ValueFunction::Table(v) => v.pop().is_some(),
                ValueFunction::PiecewiseLinear(_) => false,
            },
            None => false,
        },
        Break::Weight(p, i, x) => match pref(s, p) {
            Some(pr) => {
                {
                    let n = pr.issues.len();
                    &mut pr.issues[i % n]
                }
                .weight
                .value = x;
                true
            }
            None => false,
        },
        Break::Value(p, i, x) => match pref(s, p) {
            Some(pr) => match &mut {
                let n = pr.issues.len();
                &mut pr.issues[i % n]
            }
            .values
            {
                ValueFunction::Table(v) if !v.is_empty() => {
                    v[0].value = x;
                    true
                }
                _ => false,
            },
            None => false,
        },
        Break::Reservation(p, x) => match pref(s, p) {
            Some(pr) => {
                pr.reservation.value = x;
                true
            }
            None => false,
        },
        Break::EmptyIssue(i) => {
            s.issues[i % ni].options.clear();
            true
        }
        Break::RedLineParty(r, p) => match s.red_lines.get_mut(r % nr) {
            Some(line) => {
                line.party = p;
                true
            }
            None => false,
        },
        Break::RedLineIssue(r, i) => match s.red_lines.get_mut(r % nr) {
            Some(line) => {
                match &mut line.rule {
                    RedLineRule::Simple(x) => x.issue = i,
                    RedLineRule::Conditional { if_issue, .. } => *if_issue = i,
                }
                true
            }
            None => false,
        },
        Break::RedLineSetLength(r) => match s.red_lines.get_mut(r % nr) {
            Some(line) => {
                match &mut line.rule {
                    RedLineRule::Simple(x) => x.allowed.0.push(true),
                    RedLineRule::Conditional { then, .. } => {
                        then.allowed.0.pop();
                    }
                }
                true
            }
            None => false,
        },
        Break::DuplicateIssueId => {
            if ni < 2 {
                return false;
            }
            s.issues[1].id = s.issues[0].id.clone();
            true
        }
        Break::CitationSource(k) => {
            s.parties[0].provenance.citations.push(Citation {
                source: k,
                quote: "q".into(),
                speaker: None,
            });
            true
        }
        Break::ClaimIndex(k) => {
            s.parties[0].provenance.claims.push(k);
            true
        }
        Break::PiecewiseOnTable(p, i) => match pref(s, p) {
            Some(pr) => {
                {
                    let n = pr.issues.len();
                    &mut pr.issues[i % n]
                }
                .values = ValueFunction::PiecewiseLinear(vec![(1.0, 0.5), (0.0, 1.0)]);
                true
            }
            None => false,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn a_malformed_model_is_refused_never_a_panic(
        spec in common::spec(),
        breaks in prop::collection::vec(a_break(), 1..=3),
    ) {
        let mut scenario = common::build(&spec);
        prop_assert!(scenario.validate().is_ok(), "the generator builds valid models");
        let mut changed = false;
        for b in &breaks {
            changed |= apply(&mut scenario, b);
        }
        for method in [MethodChoice::Enumeration, MethodChoice::Merge, MethodChoice::Auto] {
            let config = AnalysisConfig { method, ..AnalysisConfig::default() };
            match analyze(&scenario, &config) {
                Err(AnalysisError::InvalidModel(problems)) => {
                    prop_assert!(!problems.0.is_empty());
                    prop_assert!(problems.0.iter().all(|p| !p.path.is_empty() && !p.message.is_empty()));
                }
                Err(_) | Ok(_) => prop_assert!(!changed || scenario.validate().is_ok()),
            }
        }
        if changed {
            // What was broken is named: validate and the analysis agree.
            let valid = scenario.validate().is_ok();
            let refused = matches!(
                analyze(&scenario, &AnalysisConfig::default()),
                Err(AnalysisError::InvalidModel(_))
            );
            prop_assert_eq!(valid, !refused);
        }
    }
}

#[test]
fn problems_name_their_fields() {
    let spec = common::Spec {
        counts: vec![2, 3],
        roles: vec![Role::Party, Role::Party],
        weights: vec![vec![1, 1], vec![1, 1]],
        values: vec![
            vec![vec![1, 2, 3], vec![1, 2, 3]],
            vec![vec![1, 2, 3], vec![1, 2, 3]],
        ],
        reservations: vec![0, 0],
        red_lines: vec![],
    };
    let mut s = common::build(&spec);
    s.preferences[1].as_mut().unwrap().issues[0].weight.value = f64::NAN;
    s.issues[1].options.clear();
    let problems = s.validate().unwrap_err();
    let paths: Vec<&str> = problems.0.iter().map(|p| p.path.as_str()).collect();
    assert!(
        paths.contains(&"preferences[1].issues[0].weight"),
        "{problems}"
    );
    assert!(paths.contains(&"issues[1].options"), "{problems}");
    assert!(
        paths.contains(&"preferences[0].issues[1].values"),
        "{problems}"
    );
    let text = problems.to_string();
    assert!(
        text.contains("NaN, but expected a finite number of at least 0"),
        "{text}"
    );
}

//! The random small scenarios the property tests draw: parties, issues, preferences on a
//! coarse grid, red lines and reservations, shared by every test against the reference.
#![allow(dead_code)]

use concord_core::model::*;
use proptest::prelude::*;

pub fn party(i: usize, role: Role) -> Party {
    Party {
        id: format!("p{i}"),
        name: format!("P{i}"),
        role,
        consent: role == Role::Party,
        aliases: vec![],
        provenance: Provenance::default(),
    }
}

/// Values on a coarse grid, so that ties between packages are common.
pub fn grid(x: u8) -> f64 {
    f64::from(x % 5) / 4.0
}

/// A random red line: (party, conditional?, if-issue, if-options, issue, allowed options).
type RandomRedLine = (usize, bool, usize, Vec<bool>, usize, Vec<bool>);

#[derive(Debug, Clone)]
pub struct Spec {
    pub counts: Vec<usize>,
    pub roles: Vec<Role>,
    pub weights: Vec<Vec<u8>>,
    pub values: Vec<Vec<Vec<u8>>>,
    pub reservations: Vec<u8>,
    pub red_lines: Vec<RandomRedLine>,
}

pub fn spec() -> impl Strategy<Value = Spec> {
    spec_sized(1..=4, 1..=5, 2..=5)
}

/// Scenarios of `issues` issues of `options` options each and `parties` parties.
pub fn spec_sized(
    options: std::ops::RangeInclusive<usize>,
    issues: std::ops::RangeInclusive<usize>,
    parties: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = Spec> {
    (prop::collection::vec(options, issues), parties).prop_flat_map(|(counts, parties)| {
        let n_issues = counts.len();
        let max_opts = *counts.iter().max().unwrap();
        (
            Just(counts),
            prop::collection::vec(prop_oneof![3 => Just(Role::Party), 1 => Just(Role::Mediator), 1 => Just(Role::Guarantor)], parties),
            prop::collection::vec(prop::collection::vec(1u8..=9, n_issues), parties),
            prop::collection::vec(prop::collection::vec(prop::collection::vec(any::<u8>(), max_opts), n_issues), parties),
            prop::collection::vec(0u8..=14, parties),
            prop::collection::vec(
                (0..parties, any::<bool>(), 0..n_issues, prop::collection::vec(any::<bool>(), max_opts), 0..n_issues, prop::collection::vec(any::<bool>(), max_opts)),
                0..=4,
            ),
        )
            .prop_map(|(counts, roles, weights, values, reservations, red_lines)| Spec {
                counts,
                roles,
                weights,
                values,
                reservations,
                red_lines,
            })
    })
}

pub fn build(spec: &Spec) -> Scenario {
    let mut roles = spec.roles.clone();
    roles[0] = Role::Party; // at least one party must consent
    let issues: Vec<Issue> = spec
        .counts
        .iter()
        .enumerate()
        .map(|(i, &n)| Issue {
            id: format!("i{i}"),
            name: format!("I{i}"),
            ordered: false,
            options: (0..n)
                .map(|o| IssueOption {
                    id: format!("o{o}"),
                    name: format!("O{o}"),
                    value: None,
                })
                .collect(),
            numeric: None,
        })
        .collect();
    let preferences = (0..roles.len())
        .map(|p| {
            let total: f64 = spec.weights[p].iter().map(|&w| f64::from(w)).sum();
            Some(Preferences {
                reservation: Assumed::exact(f64::from(spec.reservations[p]) / 20.0),
                provenance: Provenance::default(),
                issues: issues
                    .iter()
                    .enumerate()
                    .map(|(i, issue)| IssuePreference {
                        weight: Assumed::exact(f64::from(spec.weights[p][i]) / total),
                        values: ValueFunction::Table(
                            (0..issue.options.len())
                                .map(|o| Assumed::exact(grid(spec.values[p][i][o])))
                                .collect(),
                        ),
                        provenance: Provenance::default(),
                    })
                    .collect(),
                discount: None,
            })
        })
        .collect();
    let restriction = |issue: usize, mask: &[bool]| {
        let n = spec.counts[issue];
        IssueRestriction {
            issue,
            allowed: OptionSet(mask[..n].to_vec()),
            phrasing: Phrasing::MustBeOneOf,
        }
    };
    let red_lines = spec
        .red_lines
        .iter()
        .enumerate()
        .map(|(k, (party, conditional, a, amask, b, bmask))| RedLine {
            id: format!("r{k}"),
            party: *party,
            rule: if *conditional && a != b {
                RedLineRule::Conditional {
                    if_issue: *a,
                    if_options: OptionSet(amask[..spec.counts[*a]].to_vec()),
                    then: restriction(*b, bmask),
                }
            } else {
                RedLineRule::Simple(restriction(*b, bmask))
            },
            provenance: Provenance::default(),
        })
        .collect();
    Scenario {
        id: "random".into(),
        title: "random".into(),
        description: String::new(),
        sources: vec![],
        parties: roles
            .iter()
            .enumerate()
            .map(|(i, &r)| party(i, r))
            .collect(),
        issues,
        preferences,
        red_lines,
        framework: Framework::default(),
        claims: Vec::new(),
    }
}

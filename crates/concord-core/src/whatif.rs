//! What-if variants of a scenario: a red line dropped, a reservation value or a weight changed,
//! an issue fixed, without editing the file. Also the one way to narrow a scenario's options
//! ([`restrict`]), which fixed issues, kept issues and partial proposals all use, so that every
//! such question is answered by the ordinary analysis of a smaller scenario.

use thiserror::Error;

use crate::analysis::self_contradictory_parties;
use crate::model::{
    IssueIx, IssueRestriction, OptionIx, OptionSet, PartyIx, RedLineIx, RedLineRule, Scenario,
    Term, ValueFunction,
};

/// One change to a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum WhatIf {
    /// Leave a red line out.
    DropRedLine(RedLineIx),
    /// Give a party another reservation value.
    SetReservation {
        /// The party.
        party: PartyIx,
        /// The new value, in [0, 1].
        value: f64,
    },
    /// Settle an issue on one option.
    Fix {
        /// The issue.
        issue: IssueIx,
        /// The option.
        option: OptionIx,
    },
    /// Give one of a party's issues another weight; its other weights are scaled so that the
    /// weights sum to 1 again.
    SetWeight {
        /// The party.
        party: PartyIx,
        /// The issue.
        issue: IssueIx,
        /// The new weight, in [0, 1].
        weight: f64,
    },
}

/// Why a what-if cannot be applied.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum WhatIfError {
    /// The party has no preferences to change.
    #[error("party `{party}` has no preferences, so it has no {what} to change")]
    NoPreferences {
        /// The party's id.
        party: String,
        /// "reservation value" or "weights".
        what: &'static str,
    },
    /// A number outside [0, 1].
    #[error("{what} {value} is outside [0, 1]")]
    OutOfRange {
        /// What the number is.
        what: String,
        /// The number.
        value: f64,
    },
    /// The weight leaves the party's other issues a share they cannot be scaled to.
    #[error("the weights of `{party}` cannot be renormalised: its other issues weigh 0, so they cannot make up {rest}")]
    CannotRenormalise {
        /// The party's id.
        party: String,
        /// What the other weights would have to sum to.
        rest: f64,
    },
    /// The same issue fixed to two options.
    #[error("issue `{issue}` is fixed twice, to `{first}` and to `{second}`")]
    FixedTwice {
        /// The issue's id.
        issue: String,
        /// The first option.
        first: String,
        /// The second option.
        second: String,
    },
}

/// What applying what-ifs did beyond the changes themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The changed scenario (options of fixed issues narrowed: see [`Restricted`]).
    pub scenario: Scenario,
    /// For each party whose weights were renormalised, its weights before and after, by issue.
    pub renormalised: Vec<(PartyIx, Vec<f64>, Vec<f64>)>,
    /// The narrowing of fixed issues, when any issue was fixed; its red-line indices are those
    /// of the scenario as written.
    pub restricted: Option<Restricted>,
}

/// Applies what-ifs to a scenario. Red lines are dropped, reservation values and weights set
/// first (so that every index refers to the scenario as written), then fixed issues narrowed.
pub fn apply(scenario: &Scenario, changes: &[WhatIf]) -> Result<Applied, WhatIfError> {
    let mut out = scenario.clone();
    let mut renormalised: Vec<(PartyIx, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut fixed: Vec<Option<OptionIx>> = vec![None; scenario.issues.len()];
    for change in changes {
        match *change {
            WhatIf::DropRedLine(_) => {}
            WhatIf::SetReservation { party, value } => {
                let prefs =
                    out.preferences[party]
                        .as_mut()
                        .ok_or_else(|| WhatIfError::NoPreferences {
                            party: scenario.parties[party].id.clone(),
                            what: "reservation value",
                        })?;
                if !(0.0..=1.0).contains(&value) {
                    return Err(WhatIfError::OutOfRange {
                        what: format!("the reservation value of `{}`", scenario.parties[party].id),
                        value,
                    });
                }
                prefs.reservation.value = value;
                prefs.reservation.range = None;
            }
            WhatIf::SetWeight {
                party,
                issue,
                weight,
            } => {
                let id = &scenario.parties[party].id;
                let prefs =
                    out.preferences[party]
                        .as_mut()
                        .ok_or_else(|| WhatIfError::NoPreferences {
                            party: id.clone(),
                            what: "weights",
                        })?;
                if !(0.0..=1.0).contains(&weight) {
                    return Err(WhatIfError::OutOfRange {
                        what: format!("the weight of `{id}` on `{}`", scenario.issues[issue].id),
                        value: weight,
                    });
                }
                let before: Vec<f64> = prefs.issues.iter().map(|ip| ip.weight.value).collect();
                let others: f64 = (0..before.len())
                    .filter(|&i| i != issue)
                    .map(|i| before[i])
                    .sum();
                let rest = 1.0 - weight;
                if others <= 0.0 && rest > 0.0 {
                    return Err(WhatIfError::CannotRenormalise {
                        party: id.clone(),
                        rest,
                    });
                }
                for (i, ip) in prefs.issues.iter_mut().enumerate() {
                    let scale = if i == issue {
                        None
                    } else if others > 0.0 {
                        Some(rest / others)
                    } else {
                        Some(0.0)
                    };
                    match scale {
                        None => ip.weight.value = weight,
                        Some(s) => ip.weight.value *= s,
                    }
                    // A range drawn around the old weight no longer means anything.
                    ip.weight.range = None;
                }
                let after: Vec<f64> = prefs.issues.iter().map(|ip| ip.weight.value).collect();
                match renormalised.iter_mut().find(|(p, _, _)| *p == party) {
                    Some(entry) => entry.2 = after,
                    None => renormalised.push((party, before, after)),
                }
            }
            WhatIf::Fix { issue, option } => match fixed[issue] {
                Some(o) if o != option => {
                    let i = &scenario.issues[issue];
                    return Err(WhatIfError::FixedTwice {
                        issue: i.id.clone(),
                        first: i.options[o].id.clone(),
                        second: i.options[option].id.clone(),
                    });
                }
                _ => fixed[issue] = Some(option),
            },
        }
    }
    let dropped: Vec<RedLineIx> = changes
        .iter()
        .filter_map(|c| match c {
            WhatIf::DropRedLine(r) => Some(*r),
            _ => None,
        })
        .collect();
    if !dropped.is_empty() {
        out.red_lines = out
            .red_lines
            .into_iter()
            .enumerate()
            .filter(|(r, _)| !dropped.contains(r))
            .map(|(_, line)| line)
            .collect();
    }
    let restricted = if fixed.iter().any(Option::is_some) {
        let allowed: Vec<OptionSet> = scenario
            .issues
            .iter()
            .zip(&fixed)
            .map(|(issue, f)| match f {
                Some(o) => OptionSet::from_indices(issue.options.len(), &[*o]),
                None => OptionSet(vec![true; issue.options.len()]),
            })
            .collect();
        let mut r = restrict(&out, &allowed);
        // Red lines by their index in the scenario as written, dropped ones counted.
        let written: Vec<RedLineIx> = (0..scenario.red_lines.len())
            .filter(|r| !dropped.contains(r))
            .collect();
        for b in r.broken.iter_mut().chain(r.red_line_origin.iter_mut()) {
            *b = written[*b];
        }
        out = r.scenario.clone();
        Some(r)
    } else {
        None
    };
    Ok(Applied {
        scenario: out,
        renormalised,
        restricted,
    })
}

/// A scenario narrowed to some options of each issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Restricted {
    /// The narrowed scenario: every issue has only the allowed options, red lines are narrowed
    /// with them, and red lines that no allowed package can meet are left out (listed in
    /// [`Restricted::broken`]), so that it can be analysed.
    pub scenario: Scenario,
    /// For each issue, the original index of each option kept.
    pub kept: Vec<Vec<OptionIx>>,
    /// The original index of each red line of the narrowed scenario.
    pub red_line_origin: Vec<RedLineIx>,
    /// Red lines (of the original scenario) that every allowed package breaks.
    pub broken: Vec<RedLineIx>,
    /// Parties whose remaining red lines, each met by some allowed package, no allowed package
    /// meets together: their red lines are left out of the narrowed scenario too.
    pub jointly: Vec<PartyIx>,
}

impl Restricted {
    /// A package of the narrowed scenario in the original's option indices.
    pub fn original(&self, package: &[OptionIx]) -> Vec<OptionIx> {
        package
            .iter()
            .zip(&self.kept)
            .map(|(&o, kept)| kept[o])
            .collect()
    }
}

/// Narrows a scenario to the allowed options of each issue (each set non-empty).
pub fn restrict(scenario: &Scenario, allowed: &[OptionSet]) -> Restricted {
    let kept: Vec<Vec<OptionIx>> = allowed.iter().map(OptionSet::indices).collect();
    let new_index = |i: IssueIx, o: OptionIx| kept[i].iter().position(|&k| k == o);
    let narrow_set =
        |i: IssueIx, set: &OptionSet| OptionSet(kept[i].iter().map(|&o| set.contains(o)).collect());
    let narrow = |r: &IssueRestriction| IssueRestriction {
        issue: r.issue,
        allowed: narrow_set(r.issue, &r.allowed),
        phrasing: r.phrasing,
    };
    let mut out = scenario.clone();
    for (i, issue) in out.issues.iter_mut().enumerate() {
        issue.options = kept[i]
            .iter()
            .map(|&o| scenario.issues[i].options[o].clone())
            .collect();
    }
    for prefs in out.preferences.iter_mut().flatten() {
        for (i, ip) in prefs.issues.iter_mut().enumerate() {
            if let ValueFunction::Table(values) = &mut ip.values {
                *values = kept[i].iter().map(|&o| values[o]).collect();
            }
        }
    }
    let mut lines = Vec::new();
    let mut origin = Vec::new();
    let mut broken = Vec::new();
    for (r, line) in scenario.red_lines.iter().enumerate() {
        let rule = match &line.rule {
            RedLineRule::Simple(x) => RedLineRule::Simple(narrow(x)),
            RedLineRule::Conditional {
                if_issue,
                if_options,
                then,
            } => RedLineRule::Conditional {
                if_issue: *if_issue,
                if_options: narrow_set(*if_issue, if_options),
                then: narrow(then),
            },
        };
        let impossible = match &rule {
            RedLineRule::Simple(x) => x.allowed.is_empty(),
            // Triggered by every allowed option of its condition, with nothing allowed after.
            RedLineRule::Conditional {
                if_options, then, ..
            } => !if_options.0.contains(&false) && then.allowed.is_empty(),
        };
        if impossible {
            broken.push(r);
        } else {
            let mut line = line.clone();
            line.rule = rule;
            lines.push(line);
            origin.push(r);
        }
    }
    out.red_lines = lines;
    // Red lines each satisfiable but not together: the party accepts nothing here.
    let jointly = self_contradictory_parties(&out);
    if !jointly.is_empty() {
        let mut lines = Vec::new();
        let mut kept_origin = Vec::new();
        for (line, &r) in out.red_lines.iter().zip(&origin) {
            if !jointly.contains(&line.party) {
                lines.push(line.clone());
                kept_origin.push(r);
            }
        }
        out.red_lines = lines;
        origin = kept_origin;
    }
    let narrow_terms = |terms: &mut Vec<Term>| {
        for t in terms.iter_mut() {
            t.options = t
                .options
                .iter()
                .filter_map(|&o| new_index(t.issue, o))
                .collect();
        }
        terms.retain(|t| !t.options.is_empty());
    };
    for point in &mut out.framework.points {
        narrow_terms(&mut point.proposes);
    }
    for proposal in &mut out.framework.proposals {
        narrow_terms(&mut proposal.terms);
    }
    Restricted {
        scenario: out,
        kept,
        red_line_origin: origin,
        broken,
        jointly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    /// Two parties, two issues of two options; party 0 puts all its weight on issue 0.
    fn scenario() -> Scenario {
        let party = |id: &str| Party {
            id: id.into(),
            name: id.into(),
            role: Role::Party,
            consent: true,
            aliases: vec![],
            provenance: Provenance::default(),
        };
        let issue = |id: &str| Issue {
            id: id.into(),
            name: id.into(),
            ordered: false,
            options: ["a", "b"]
                .iter()
                .map(|o| IssueOption {
                    id: (*o).into(),
                    name: (*o).into(),
                    value: None,
                })
                .collect(),
            numeric: None,
        };
        let prefs = |w: [f64; 2]| Preferences {
            reservation: Assumed::exact(0.2),
            provenance: Provenance::default(),
            issues: w
                .iter()
                .map(|&w| IssuePreference {
                    weight: Assumed {
                        value: w,
                        range: Some((0.0, 1.0)),
                    },
                    values: ValueFunction::Table(vec![Assumed::exact(1.0), Assumed::exact(0.0)]),
                    provenance: Provenance::default(),
                })
                .collect(),
            discount: None,
        };
        Scenario {
            id: "s".into(),
            title: "s".into(),
            description: String::new(),
            sources: vec![],
            parties: vec![party("p"), party("q")],
            issues: vec![issue("x"), issue("y")],
            preferences: vec![Some(prefs([1.0, 0.0])), Some(prefs([0.25, 0.75]))],
            red_lines: vec![RedLine {
                id: "q-x-a".into(),
                party: 1,
                rule: RedLineRule::Simple(IssueRestriction {
                    issue: 0,
                    allowed: OptionSet(vec![true, false]),
                    phrasing: Phrasing::MustBeOneOf,
                }),
                provenance: Provenance::default(),
            }],
            framework: Framework::default(),
            claims: vec![],
        }
    }

    #[test]
    fn a_weight_cannot_be_renormalised_when_the_others_weigh_nothing() {
        let err = apply(
            &scenario(),
            &[WhatIf::SetWeight {
                party: 0,
                issue: 0,
                weight: 0.5,
            }],
        )
        .unwrap_err();
        assert!(
            matches!(err, WhatIfError::CannotRenormalise { .. }),
            "{err}"
        );
        // All the weight on the one issue is fine: the others stay at 0.
        let ok = apply(
            &scenario(),
            &[WhatIf::SetWeight {
                party: 0,
                issue: 1,
                weight: 1.0,
            }],
        )
        .unwrap();
        assert_eq!(ok.renormalised, vec![(0, vec![1.0, 0.0], vec![0.0, 1.0])]);
    }

    #[test]
    fn weights_are_scaled_and_lose_their_ranges() {
        let applied = apply(
            &scenario(),
            &[WhatIf::SetWeight {
                party: 1,
                issue: 0,
                weight: 0.5,
            }],
        )
        .unwrap();
        let prefs = applied.scenario.preferences[1].as_ref().unwrap();
        assert_eq!(prefs.issues[0].weight.value, 0.5);
        assert_eq!(prefs.issues[1].weight.value, 0.5);
        assert!(prefs.issues.iter().all(|ip| ip.weight.range.is_none()));
    }

    #[test]
    fn bad_numbers_and_double_fixes_are_refused() {
        let s = scenario();
        assert!(matches!(
            apply(
                &s,
                &[WhatIf::SetReservation {
                    party: 0,
                    value: 1.5
                }]
            ),
            Err(WhatIfError::OutOfRange { .. })
        ));
        assert!(matches!(
            apply(
                &s,
                &[
                    WhatIf::Fix {
                        issue: 1,
                        option: 0
                    },
                    WhatIf::Fix {
                        issue: 1,
                        option: 1
                    }
                ]
            ),
            Err(WhatIfError::FixedTwice { .. })
        ));
    }

    #[test]
    fn a_fix_reports_the_red_line_it_breaks_by_its_index_as_written() {
        // The red line is the scenario's only one; dropping nothing, fixing x = b breaks it.
        let applied = apply(
            &scenario(),
            &[WhatIf::Fix {
                issue: 0,
                option: 1,
            }],
        )
        .unwrap();
        let r = applied.restricted.unwrap();
        assert_eq!(r.broken, vec![0]);
        assert!(applied.scenario.red_lines.is_empty());
        assert_eq!(applied.scenario.issues[0].options.len(), 1);
        assert_eq!(r.original(&[0, 1]), vec![1, 1]);
    }
}

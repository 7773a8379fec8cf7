//! Whole packages named by their option ids: each party's utility of them, and how two compare
//! for every consenting party, decided in exact arithmetic when the numbers are short decimals.

use std::cmp::Ordering;

use concord_core::engine::Evaluator;
use concord_core::exact::{scale, Unit};
use concord_core::model::{OptionIx, Scenario};

use crate::{Error, Loaded, Result};

/// A whole package: one option id for every issue, in any order.
pub type NamedPackage = Vec<(String, String)>;

/// The utilities of some packages to every party with preferences.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageValues {
    /// The parties with preferences, by id, in the scenario's order.
    pub parties: Vec<String>,
    /// Whether an agreement needs each one's consent.
    pub consent: Vec<bool>,
    /// Each party's reservation value.
    pub reservations: Vec<f64>,
    /// For each package, each party's utility (correctly rounded from the exact sum when
    /// `exact`).
    pub utilities: Vec<Vec<f64>>,
    /// Whether the utilities were summed exactly (every weight, value and reservation a short
    /// decimal); otherwise they are floating-point sums in issue order, as the engine sums them.
    pub exact: bool,
    /// The utilities on the common integer scale (exact), or the floating-point sums: what the
    /// comparisons use.
    scaled: Vec<Vec<f64>>,
    scaled_reservations: Vec<f64>,
}

impl PackageValues {
    /// How package `b` compares with package `a` for each consenting party (`Greater`: the
    /// party prefers `b`), in the order of the consenting parties among [`Self::parties`].
    pub fn compare(&self, a: usize, b: usize) -> Vec<Ordering> {
        (0..self.parties.len())
            .filter(|&k| self.consent[k])
            .map(|k| {
                self.scaled[b][k]
                    .partial_cmp(&self.scaled[a][k])
                    .unwrap_or(Ordering::Equal)
            })
            .collect()
    }

    /// Whether `b` is at least as good as `a` for every consenting party and better for one.
    pub fn pareto_improves(&self, a: usize, b: usize) -> bool {
        let c = self.compare(a, b);
        c.iter().all(|o| *o != Ordering::Less) && c.contains(&Ordering::Greater)
    }

    /// Whether package `p` gives every consenting party at least its reservation value (red
    /// lines are not checked here).
    pub fn clears_reservations(&self, p: usize) -> bool {
        (0..self.parties.len())
            .filter(|&k| self.consent[k])
            .all(|k| self.scaled[p][k] >= self.scaled_reservations[k])
    }
}

/// Each party's utility of each package. Every package must name one option of every issue
/// (option ids as the scenario writes them; numeric issues by their number); an unknown or
/// missing issue or option is bad input naming the package and the field.
pub fn package_values(loaded: &Loaded, packages: &[NamedPackage]) -> Result<PackageValues> {
    let scenario = &loaded.scenario;
    let indices: Vec<Vec<OptionIx>> = packages
        .iter()
        .enumerate()
        .map(|(n, p)| package_indices(scenario, p).map_err(|e| e.context(format!("package {n}"))))
        .collect::<Result<_>>()?;
    let (scaled_scenario, unit, exact) = match scale(scenario) {
        Some((s, unit)) => (s, unit, true),
        None => (scenario.clone(), Unit::ONE, false),
    };
    let eval = Evaluator::new(&scaled_scenario);
    let parties: Vec<String> = eval
        .scored
        .iter()
        .map(|&p| scenario.parties[p].id.clone())
        .collect();
    let consent = eval
        .scored
        .iter()
        .map(|&p| scenario.parties[p].consent)
        .collect();
    let reservation = |s: &Scenario, p: usize| {
        s.preferences[p]
            .as_ref()
            .map_or(0.0, |x| x.reservation.value)
    };
    let reservations = eval
        .scored
        .iter()
        .map(|&p| reservation(scenario, p))
        .collect();
    let scaled_reservations = eval
        .scored
        .iter()
        .map(|&p| reservation(&scaled_scenario, p))
        .collect();
    let scaled: Vec<Vec<f64>> = indices
        .iter()
        .map(|package| {
            let mut out = vec![0.0; eval.scored.len()];
            eval.utilities(package, &mut out);
            out
        })
        .collect();
    let utilities = scaled
        .iter()
        .map(|row| row.iter().map(|&x| unit.utility(x)).collect())
        .collect();
    Ok(PackageValues {
        parties,
        consent,
        reservations,
        utilities,
        exact,
        scaled,
        scaled_reservations,
    })
}

fn package_indices(scenario: &Scenario, package: &NamedPackage) -> Result<Vec<OptionIx>> {
    let mut chosen: Vec<Option<OptionIx>> = vec![None; scenario.issues.len()];
    for (issue_id, option_id) in package {
        let Some(i) = scenario.issues.iter().position(|i| &i.id == issue_id) else {
            let known: Vec<&str> = scenario.issues.iter().map(|i| i.id.as_str()).collect();
            return Err(Error::bad_input(format!(
                "unknown issue `{issue_id}`; the issues are {}",
                known.join(", ")
            )));
        };
        let issue = &scenario.issues[i];
        let Some(o) = issue.options.iter().position(|o| &o.id == option_id) else {
            let known: Vec<&str> = issue.options.iter().map(|o| o.id.as_str()).collect();
            return Err(Error::bad_input(format!(
                "field `{issue_id}`: unknown option `{option_id}`; the options are {}",
                known.join(", ")
            )));
        };
        if chosen[i].replace(o).is_some() {
            return Err(Error::bad_input(format!(
                "field `{issue_id}`: the issue is named twice"
            )));
        }
    }
    let missing: Vec<&str> = scenario
        .issues
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| c.is_none())
        .map(|(i, _)| i.id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::bad_input(format!(
            "a whole package names one option of every issue; missing: {}",
            missing.join(", ")
        )));
    }
    Ok(chosen.into_iter().map(|c| c.unwrap_or(0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{load, ScenarioInput};

    const TEXT: &str = r#"
[scenario]
id = "t"
title = "t"
[[parties]]
id = "a"
name = "A"
role = "party"
[[parties]]
id = "b"
name = "B"
role = "party"
[[issues]]
id = "x"
name = "X"
options = ["p", "q", "r"]
[[issues]]
id = "y"
name = "Y"
options = ["s", "t"]
[preferences.a]
reservation = 0.3
[preferences.a.issues.x]
weight = 0.1
values = { p = 0.0, q = 0.5, r = 1.0 }
[preferences.a.issues.y]
weight = 0.9
values = { s = 0.2, t = 0.1 }
[preferences.b]
reservation = 0.3
[preferences.b.issues.x]
weight = 0.5
values = { p = 1.0, q = 0.5, r = 0.0 }
[preferences.b.issues.y]
weight = 0.5
values = { s = 0.1, t = 0.7 }
"#;

    fn pkg(x: &str, y: &str) -> NamedPackage {
        vec![("x".into(), x.into()), ("y".into(), y.into())]
    }

    #[test]
    fn exact_ties_and_improvements() {
        let loaded = load(&ScenarioInput::toml("t.toml", TEXT), false).unwrap();
        // a(q,t) = 0.05 + 0.09 = 0.14 and a(p,s) = 0.18.
        let v = package_values(&loaded, &[pkg("q", "t"), pkg("p", "s"), pkg("q", "s")]).unwrap();
        assert!(v.exact);
        assert_eq!(v.parties, vec!["a", "b"]);
        assert_eq!(v.utilities[0][0], 0.14);
        assert_eq!(v.utilities[1][0], 0.18);
        // (q,s) vs (p,s): a gains 0.05, b loses 0.25.
        assert_eq!(v.compare(1, 2), vec![Ordering::Greater, Ordering::Less]);
        assert!(!v.pareto_improves(1, 2));
        assert!(v.compare(2, 2).iter().all(|o| *o == Ordering::Equal));
        assert!(!v.pareto_improves(2, 2));
        assert!(!v.clears_reservations(0));
    }

    #[test]
    fn located_errors() {
        let loaded = load(&ScenarioInput::toml("t.toml", TEXT), false).unwrap();
        let e = package_values(&loaded, &[vec![("x".into(), "p".into())]]).unwrap_err();
        assert!(e.message().contains("missing: y"), "{}", e.message());
        let e = package_values(&loaded, &[pkg("z", "s")]).unwrap_err();
        assert!(
            e.message().contains("unknown option `z`"),
            "{}",
            e.message()
        );
    }
}

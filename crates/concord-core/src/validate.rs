//! The checks a [`Scenario`] must pass before any analysis: every index in range, every table
//! the right length, every number finite and where it belongs, every id unique. The scenario
//! reader locates such problems in the file; this module finds them in a model built in code (a
//! Python script, a server request), with the path of each field, so that no algorithm is ever
//! started on a model it would misread or panic on.

use std::collections::HashSet;
use std::fmt;

use crate::model::{
    Assumed, Citation, IssueRestriction, Provenance, RedLineRule, Scenario, ValueFunction,
};

/// One problem of a model: where (`preferences[1].issues[0].weight`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelProblem {
    /// The field, as a path into the model.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.path, self.message)
    }
}

/// Every problem of a model, in the order of its fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ModelProblems(pub Vec<ModelProblem>);

impl fmt::Display for ModelProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the model has {} problem(s):", self.0.len())?;
        for p in &self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

struct Checker<'a> {
    scenario: &'a Scenario,
    problems: Vec<ModelProblem>,
}

impl Checker<'_> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(ModelProblem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn unique<'s>(&mut self, path: &str, ids: impl Iterator<Item = &'s str>) {
        let mut seen = HashSet::new();
        for (k, id) in ids.enumerate() {
            if id.is_empty() {
                self.problem(
                    format!("{path}[{k}].id"),
                    "an empty id; expected a short name",
                );
            } else if !seen.insert(id) {
                self.problem(
                    format!("{path}[{k}].id"),
                    format!("`{id}` is used twice; ids must be unique"),
                );
            }
        }
    }

    fn party(&mut self, path: String, p: usize) {
        if p >= self.scenario.parties.len() {
            let n = self.scenario.parties.len();
            self.problem(path, format!("party index {p}, but there are {n} parties"));
        }
    }

    fn issue(&mut self, path: String, i: usize) -> bool {
        let n = self.scenario.issues.len();
        if i >= n {
            self.problem(path, format!("issue index {i}, but there are {n} issues"));
            return false;
        }
        true
    }

    fn number(&mut self, path: &str, x: f64, low: f64, high: f64) {
        if !x.is_finite() || x < low || x > high {
            let expected = match (low == f64::MIN, high == f64::MAX) {
                (true, true) => "a finite number".to_string(),
                (false, true) => format!("a finite number of at least {low}"),
                _ => format!("a number from {low} to {high}"),
            };
            self.problem(path, format!("{x}, but expected {expected}"));
        }
    }

    fn assumed(&mut self, path: &str, a: &Assumed, low: f64, high: f64) {
        self.number(path, a.value, low, high);
        if let Some((lo, hi)) = a.range {
            self.number(&format!("{path}.range[0]"), lo, low, high);
            self.number(&format!("{path}.range[1]"), hi, low, high);
            if lo.is_finite() && hi.is_finite() && lo > hi {
                self.problem(
                    format!("{path}.range"),
                    format!("[{lo}, {hi}]: the low end is above the high end"),
                );
            }
        }
    }

    fn citation(&mut self, path: String, c: &Citation) {
        let n = self.scenario.sources.len();
        if c.source >= n {
            self.problem(
                format!("{path}.source"),
                format!("source index {}, but there are {n} sources", c.source),
            );
        }
    }

    fn provenance(&mut self, path: &str, p: &Provenance) {
        for (k, c) in p.citations.iter().enumerate() {
            self.citation(format!("{path}.cite[{k}]"), c);
        }
        let n = self.scenario.claims.len();
        for (k, &c) in p.claims.iter().enumerate() {
            if c >= n {
                self.problem(
                    format!("{path}.claims[{k}]"),
                    format!("claim index {c}, but there are {n} claims"),
                );
            }
        }
    }

    fn options(&mut self, path: String, issue: usize, set_len: usize) {
        if issue < self.scenario.issues.len() {
            let n = self.scenario.issues[issue].options.len();
            if set_len != n {
                self.problem(
                    path,
                    format!(
                        "an option set of {set_len}, but issue `{}` has {n} options",
                        self.scenario.issues[issue].id
                    ),
                );
            }
        }
    }

    fn restriction(&mut self, path: &str, r: &IssueRestriction) {
        if self.issue(format!("{path}.issue"), r.issue) {
            self.options(format!("{path}.allowed"), r.issue, r.allowed.0.len());
        }
    }
}

impl Scenario {
    /// Every problem of the model, with the path of its field; `Ok` when an analysis may start.
    ///
    /// Checked: ids unique and not empty (parties, issues, options of each issue, red lines,
    /// sources, claims); each issue has an option, and a numeric issue's options have finite
    /// values; one preferences entry per party, each with one preference per issue, weights
    /// finite and not negative, values finite and not negative (in the
    /// scenario's own unit), reservations finite, ranges finite and in order (a
    /// renormalised or drawn value may leave its range); tables of values as long as the issue's options; value-function points
    /// finite with `x` strictly increasing, on numeric issues; every party, issue, option, source
    /// and claim index in range (red lines, claims, framework points, proposals, provenance).
    pub fn validate(&self) -> Result<(), ModelProblems> {
        let mut c = Checker {
            scenario: self,
            problems: Vec::new(),
        };
        c.unique("parties", self.parties.iter().map(|p| p.id.as_str()));
        c.unique("issues", self.issues.iter().map(|i| i.id.as_str()));
        c.unique("red_lines", self.red_lines.iter().map(|r| r.id.as_str()));
        c.unique("sources", self.sources.iter().map(|s| s.id.as_str()));
        c.unique("claims", self.claims.iter().map(|s| s.id.as_str()));
        for (k, p) in self.parties.iter().enumerate() {
            c.provenance(&format!("parties[{k}]"), &p.provenance);
        }
        for (i, issue) in self.issues.iter().enumerate() {
            let path = format!("issues[{i}]");
            if issue.options.is_empty() {
                c.problem(
                    format!("{path}.options"),
                    "no options; expected at least one",
                );
            }
            c.unique(
                &format!("{path}.options"),
                issue.options.iter().map(|o| o.id.as_str()),
            );
            if issue.numeric.is_some() {
                for (o, option) in issue.options.iter().enumerate() {
                    match option.value {
                        Some(v) if v.is_finite() => {}
                        other => c.problem(
                            format!("{path}.options[{o}].value"),
                            format!(
                                "{}, but an option of a numeric issue needs a finite value",
                                other.map_or("none".to_string(), |v| v.to_string())
                            ),
                        ),
                    }
                }
            }
        }
        if self.preferences.len() != self.parties.len() {
            c.problem(
                "preferences",
                format!(
                    "{} entries, but there are {} parties (one entry per party, `None` for a \
                     party without preferences)",
                    self.preferences.len(),
                    self.parties.len()
                ),
            );
        }
        for (p, prefs) in self.preferences.iter().enumerate() {
            let Some(prefs) = prefs else { continue };
            let path = format!("preferences[{p}]");
            c.assumed(
                &format!("{path}.reservation"),
                &prefs.reservation,
                f64::MIN,
                f64::MAX,
            );
            c.provenance(&path, &prefs.provenance);
            if let Some(d) = prefs.discount {
                if !(d.is_finite() && d > 0.0 && d <= 1.0) {
                    c.problem(
                        format!("{path}.discount"),
                        format!("{d}, but expected a number above 0 and at most 1"),
                    );
                }
            }
            if prefs.issues.len() != self.issues.len() {
                c.problem(
                    format!("{path}.issues"),
                    format!(
                        "{} entries, but there are {} issues (one per issue, weight 0 for an \
                         issue the party does not care about)",
                        prefs.issues.len(),
                        self.issues.len()
                    ),
                );
            }
            for (i, ip) in prefs.issues.iter().enumerate() {
                let ipath = format!("{path}.issues[{i}]");
                c.assumed(&format!("{ipath}.weight"), &ip.weight, 0.0, f64::MAX);
                c.provenance(&ipath, &ip.provenance);
                let Some(issue) = self.issues.get(i) else {
                    continue;
                };
                match &ip.values {
                    ValueFunction::Table(values) => {
                        if values.len() != issue.options.len() {
                            c.problem(
                                format!("{ipath}.values"),
                                format!(
                                    "{} values, but issue `{}` has {} options",
                                    values.len(),
                                    issue.id,
                                    issue.options.len()
                                ),
                            );
                        }
                        for (o, v) in values.iter().enumerate() {
                            c.assumed(&format!("{ipath}.values[{o}]"), v, 0.0, f64::MAX);
                        }
                    }
                    ValueFunction::PiecewiseLinear(points) => {
                        if issue.numeric.is_none() {
                            c.problem(
                                format!("{ipath}.values"),
                                format!(
                                    "a value function of points, but issue `{}` is not numeric",
                                    issue.id
                                ),
                            );
                        }
                        if points.is_empty() {
                            c.problem(
                                format!("{ipath}.values"),
                                "no points; expected at least one",
                            );
                        }
                        for (k, &(x, y)) in points.iter().enumerate() {
                            if !x.is_finite() {
                                c.problem(
                                    format!("{ipath}.values[{k}].x"),
                                    format!("{x}, but expected a finite number"),
                                );
                            }
                            c.number(&format!("{ipath}.values[{k}].value"), y, 0.0, f64::MAX);
                        }
                        if points
                            .windows(2)
                            .any(|w| w[0].0.partial_cmp(&w[1].0) != Some(std::cmp::Ordering::Less))
                        {
                            c.problem(
                                format!("{ipath}.values"),
                                "the points' x must increase strictly",
                            );
                        }
                    }
                }
            }
        }
        for (k, r) in self.red_lines.iter().enumerate() {
            let path = format!("red_lines[{k}]");
            c.party(format!("{path}.party"), r.party);
            c.provenance(&path, &r.provenance);
            match &r.rule {
                RedLineRule::Simple(restriction) => c.restriction(&path, restriction),
                RedLineRule::Conditional {
                    if_issue,
                    if_options,
                    then,
                } => {
                    if c.issue(format!("{path}.if.issue"), *if_issue) {
                        c.options(format!("{path}.if.options"), *if_issue, if_options.0.len());
                    }
                    c.restriction(&format!("{path}.then"), then);
                }
            }
        }
        for (k, claim) in self.claims.iter().enumerate() {
            let path = format!("claims[{k}]");
            for (field, list) in [
                ("by", &claim.by),
                ("denied_by", &claim.denied_by),
                ("disputed_by", &claim.disputed_by),
            ] {
                for (j, &p) in list.iter().enumerate() {
                    c.party(format!("{path}.{field}[{j}]"), p);
                }
            }
            for (j, cite) in claim.citations.iter().enumerate() {
                c.citation(format!("{path}.cite[{j}]"), cite);
            }
        }
        let terms = |c: &mut Checker, path: &str, terms: &[crate::model::Term]| {
            for (j, t) in terms.iter().enumerate() {
                let tpath = format!("{path}.proposes[{j}]");
                if c.issue(format!("{tpath}.issue"), t.issue) {
                    let n = self.issues[t.issue].options.len();
                    for &o in &t.options {
                        if o >= n {
                            c.problem(
                                format!("{tpath}.options"),
                                format!(
                                    "option index {o}, but issue `{}` has {n} options",
                                    self.issues[t.issue].id
                                ),
                            );
                        }
                    }
                }
            }
        };
        for (k, point) in self.framework.points.iter().enumerate() {
            let path = format!("framework.points[{k}]");
            c.provenance(&path, &point.provenance);
            for (j, &i) in point.issues.iter().enumerate() {
                c.issue(format!("{path}.issues[{j}]"), i);
            }
            if point.stances.len() > self.parties.len() {
                c.problem(
                    format!("{path}.stances"),
                    format!(
                        "{} stances, but there are {} parties",
                        point.stances.len(),
                        self.parties.len()
                    ),
                );
            }
            for (j, s) in point.stances.iter().enumerate() {
                c.provenance(&format!("{path}.stances[{j}]"), &s.provenance);
            }
            terms(&mut c, &path, &point.proposes);
        }
        for (k, proposal) in self.framework.proposals.iter().enumerate() {
            let path = format!("framework.proposals[{k}]");
            for (j, &p) in proposal.by.iter().enumerate() {
                c.party(format!("{path}.by[{j}]"), p);
            }
            c.provenance(&path, &proposal.provenance);
            terms(&mut c, &path, &proposal.terms);
        }
        if c.problems.is_empty() {
            Ok(())
        } else {
            Err(ModelProblems(c.problems))
        }
    }
}

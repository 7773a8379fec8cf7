//! Request values read from text: what-ifs, packages, kept issues and proposal ids, turned into
//! the model's terms. The reports of `concord score`, `concord improve` and `concord compare`
//! are `concord_report::proposal`.
//!
//! Request values (what-ifs, packages, kept issues, proposal ids) are parsed against the
//! scenario, so that a wrong name gets an error naming the request field, what was written and
//! what was expected, with the names the scenario has. Fields are named as the request structs
//! name them (`fix`, `package`, …), never as a front end's flags: the CLI renders them as its
//! flags ([`RequestError::field`]).

use concord_core::model::{
    IssueIx, OptionIx, OptionSet, PartyIx, Proposal, Scenario, Term, DRAFT_ID,
};
use concord_core::whatif::WhatIf;
use thiserror::Error;

/// A request value that does not fit the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}{}: {}; expected {}", .field, quoted(.value), .problem, .expected)]
pub struct RequestError {
    /// The request field: `drop_red_line`, `set_reservation`, `set_weight`, `fix` (what-ifs),
    /// `variant KIND:` (one change of a compared variant), `package`, `keep`, `proposal`,
    /// `drop_demand` or `threshold` (a diff's).
    pub field: String,
    /// What was written.
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// What was expected.
    pub expected: String,
}

/// A value as the message shows it: ` "value"`, or nothing when none was given.
fn quoted(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!(" {value:?}")
    }
}

fn flag_error(
    flag: &str,
    value: &str,
    problem: impl Into<String>,
    expected: impl Into<String>,
) -> RequestError {
    RequestError {
        field: flag.to_string(),
        value: value.to_string(),
        problem: problem.into(),
        expected: expected.into(),
    }
}

fn listing(what: &str, names: impl IntoIterator<Item = String>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        format!("{what} (the scenario has none)")
    } else {
        format!("{what}: {}", names.join(", "))
    }
}

fn find_party(
    scenario: &Scenario,
    flag: &str,
    value: &str,
    name: &str,
) -> Result<PartyIx, RequestError> {
    scenario
        .parties
        .iter()
        .position(|p| p.id == name)
        .ok_or_else(|| {
            flag_error(
                flag,
                value,
                format!("no party `{name}`"),
                listing("a party id", scenario.parties.iter().map(|p| p.id.clone())),
            )
        })
}

fn find_issue(
    scenario: &Scenario,
    flag: &str,
    value: &str,
    name: &str,
) -> Result<IssueIx, RequestError> {
    scenario
        .issues
        .iter()
        .position(|i| i.id == name)
        .ok_or_else(|| {
            flag_error(
                flag,
                value,
                format!("no issue `{name}`"),
                listing("an issue id", scenario.issues.iter().map(|i| i.id.clone())),
            )
        })
}

fn find_option(
    scenario: &Scenario,
    flag: &str,
    value: &str,
    issue: IssueIx,
    name: &str,
) -> Result<OptionIx, RequestError> {
    let i = &scenario.issues[issue];
    let by_value = name.parse::<f64>().ok().and_then(|x| {
        i.options.iter().position(|o| {
            o.value
                .is_some_and(|y| (x - y).abs() <= 1e-9 * x.abs().max(1.0))
        })
    });
    i.options
        .iter()
        .position(|o| o.id == name)
        .or(by_value)
        .ok_or_else(|| {
            flag_error(
                flag,
                value,
                format!("no option `{name}` of issue `{}`", i.id),
                listing(
                    &format!("an option of `{}`", i.id),
                    i.options.iter().map(|o| o.id.clone()),
                ),
            )
        })
}

fn number(flag: &str, value: &str, text: &str, what: &str) -> Result<f64, RequestError> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(flag_error(
            flag,
            value,
            format!("`{text}` is not a number in [0, 1]"),
            what.to_string(),
        )),
    }
}

fn split_pair<'a>(
    flag: &str,
    value: &'a str,
    form: &str,
) -> Result<(&'a str, &'a str), RequestError> {
    value
        .split_once('=')
        .map(|(a, b)| (a.trim(), b.trim()))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .ok_or_else(|| {
            flag_error(
                flag,
                value,
                "no `=` with something on each side",
                form.to_string(),
            )
        })
}

/// The what-if flags as written, each repeatable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhatIfFlags {
    /// `--drop-red-line ID`.
    pub drop_red_line: Vec<String>,
    /// `--set-reservation PARTY=VALUE`.
    pub set_reservation: Vec<String>,
    /// `--fix ISSUE=OPTION`.
    pub fix: Vec<String>,
    /// `--set-weight PARTY.ISSUE=VALUE`.
    pub set_weight: Vec<String>,
}

impl WhatIfFlags {
    /// Whether no what-if was asked for.
    pub fn is_empty(&self) -> bool {
        self.drop_red_line.is_empty()
            && self.set_reservation.is_empty()
            && self.fix.is_empty()
            && self.set_weight.is_empty()
    }
}

/// `--drop-red-line ID`.
pub fn parse_drop(scenario: &Scenario, flag: &str, value: &str) -> Result<WhatIf, RequestError> {
    scenario
        .red_lines
        .iter()
        .position(|r| r.id == value.trim())
        .map(WhatIf::DropRedLine)
        .ok_or_else(|| {
            flag_error(
                flag,
                value,
                "no such red line",
                listing(
                    "a red-line id",
                    scenario.red_lines.iter().map(|r| r.id.clone()),
                ),
            )
        })
}

/// `--set-reservation PARTY=VALUE`.
pub fn parse_reservation(
    scenario: &Scenario,
    flag: &str,
    value: &str,
) -> Result<WhatIf, RequestError> {
    let (party, x) = split_pair(flag, value, "PARTY=VALUE, such as russia=0.3")?;
    let party = find_party(scenario, flag, value, party)?;
    if scenario.preferences[party].is_none() {
        return Err(flag_error(
            flag,
            value,
            format!(
                "party `{}` has no preferences, so no reservation value",
                scenario.parties[party].id
            ),
            "a party with preferences",
        ));
    }
    let value = number(flag, value, x, "a reservation value in [0, 1]")?;
    Ok(WhatIf::SetReservation { party, value })
}

/// `--fix ISSUE=OPTION`.
pub fn parse_fix(scenario: &Scenario, flag: &str, value: &str) -> Result<WhatIf, RequestError> {
    let (issue, option) = split_pair(flag, value, "ISSUE=OPTION, such as nato=no-membership")?;
    let issue = find_issue(scenario, flag, value, issue)?;
    let option = find_option(scenario, flag, value, issue, option)?;
    Ok(WhatIf::Fix { issue, option })
}

/// `--set-weight PARTY.ISSUE=VALUE`.
pub fn parse_weight(scenario: &Scenario, flag: &str, value: &str) -> Result<WhatIf, RequestError> {
    let form = "PARTY.ISSUE=VALUE, such as ukraine.territory=0.4";
    let (target, x) = split_pair(flag, value, form)?;
    let (party, issue) = target
        .split_once('.')
        .ok_or_else(|| flag_error(flag, value, format!("`{target}` names no issue"), form))?;
    let party = find_party(scenario, flag, value, party)?;
    let issue = find_issue(scenario, flag, value, issue)?;
    if scenario.preferences[party].is_none() {
        return Err(flag_error(
            flag,
            value,
            format!(
                "party `{}` has no preferences, so no weights",
                scenario.parties[party].id
            ),
            "a party with preferences",
        ));
    }
    let weight = number(flag, value, x, "a weight in [0, 1]")?;
    Ok(WhatIf::SetWeight {
        party,
        issue,
        weight,
    })
}

/// Every what-if of the flags, in the order: dropped red lines, reservations, weights, fixes.
pub fn parse_what_ifs(
    scenario: &Scenario,
    flags: &WhatIfFlags,
) -> Result<Vec<WhatIf>, RequestError> {
    let mut out = Vec::new();
    for v in &flags.drop_red_line {
        out.push(parse_drop(scenario, "drop_red_line", v)?);
    }
    for v in &flags.set_reservation {
        out.push(parse_reservation(scenario, "set_reservation", v)?);
    }
    for v in &flags.set_weight {
        out.push(parse_weight(scenario, "set_weight", v)?);
    }
    for v in &flags.fix {
        out.push(parse_fix(scenario, "fix", v)?);
    }
    Ok(out)
}

/// One `--what-if` of `concord compare`: changes separated by spaces, each `drop:ID`,
/// `reservation:PARTY=VALUE`, `weight:PARTY.ISSUE=VALUE` or `fix:ISSUE=OPTION`.
pub fn parse_variant(scenario: &Scenario, text: &str) -> Result<Vec<WhatIf>, RequestError> {
    let expected = "changes separated by spaces, each drop:RED-LINE, reservation:PARTY=VALUE, weight:PARTY.ISSUE=VALUE or fix:ISSUE=OPTION";
    let mut out = Vec::new();
    for token in text.split_whitespace() {
        let (kind, rest) = token.split_once(':').ok_or_else(|| {
            flag_error("variant", text, format!("`{token}` has no kind"), expected)
        })?;
        let flag = format!("variant {kind}:");
        out.push(match kind {
            "drop" => parse_drop(scenario, &flag, rest)?,
            "reservation" => parse_reservation(scenario, &flag, rest)?,
            "weight" => parse_weight(scenario, &flag, rest)?,
            "fix" => parse_fix(scenario, &flag, rest)?,
            _ => {
                return Err(flag_error(
                    "variant",
                    text,
                    format!("unknown kind `{kind}`"),
                    expected,
                ))
            }
        });
    }
    if out.is_empty() {
        return Err(flag_error("variant", text, "no change", expected));
    }
    Ok(out)
}

/// `--package ISSUE=OPTION,…`: terms, one per issue.
pub fn parse_package(scenario: &Scenario, value: &str) -> Result<Vec<Term>, RequestError> {
    let mut terms: Vec<Term> = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (issue, option) = split_pair("package", part, "ISSUE=OPTION,ISSUE=OPTION,…")?;
        let i = find_issue(scenario, "package", value, issue)?;
        let o = find_option(scenario, "package", value, i, option)?;
        if terms.iter().any(|t| t.issue == i) {
            return Err(flag_error(
                "package",
                value,
                format!("issue `{issue}` is given twice"),
                "each issue at most once",
            ));
        }
        terms.push(Term {
            issue: i,
            options: vec![o],
        });
    }
    if terms.is_empty() {
        return Err(flag_error(
            "package",
            value,
            "no issue",
            "ISSUE=OPTION,ISSUE=OPTION,…",
        ));
    }
    terms.sort_by_key(|t| t.issue);
    Ok(terms)
}

/// `--keep ISSUE,…`.
pub fn parse_keep(scenario: &Scenario, value: &str) -> Result<Vec<IssueIx>, RequestError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|name| find_issue(scenario, "keep", value, name))
        .collect()
}

/// The proposal a command is about: a `[[proposals]]` id, or `framework` (the draft the
/// framework points propose); with neither, the draft when the points propose anything, else
/// the `--package` alone.
pub fn pick_proposal(
    scenario: &Scenario,
    name: Option<&str>,
    has_package: bool,
) -> Result<Option<Proposal>, RequestError> {
    let ids = || {
        let mut ids: Vec<String> = Vec::new();
        if scenario.framework.draft().is_some() {
            ids.push(DRAFT_ID.to_string());
        }
        ids.extend(scenario.framework.proposals.iter().map(|p| p.id.clone()));
        ids
    };
    match name {
        Some(DRAFT_ID) => scenario.framework.draft().map(Some).ok_or_else(|| {
            flag_error(
                "proposal",
                DRAFT_ID,
                "no framework point states what it proposes (`proposes`)",
                listing("a proposal id", ids()),
            )
        }),
        Some(id) => scenario
            .framework
            .proposals
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .map(Some)
            .ok_or_else(|| {
                flag_error(
                    "proposal",
                    id,
                    "no such proposal",
                    listing("a proposal id", ids()),
                )
            }),
        None => match scenario.framework.draft() {
            Some(d) => Ok(Some(d)),
            None if has_package => Ok(None),
            None => Err(flag_error(
                "proposal",
                "",
                "no proposal named, no package given, and no framework point proposes anything",
                listing("a proposal id or a package ISSUE=OPTION,…", ids()),
            )),
        },
    }
}

/// The options a proposal admits on each issue once `--package` and `--fix` terms override its
/// own (later terms win), with the issues overridden.
pub fn combine(
    scenario: &Scenario,
    proposal: Option<&Proposal>,
    overrides: &[Term],
) -> (Vec<OptionSet>, Vec<IssueIx>) {
    let counts = scenario.option_counts();
    let mut allowed = match proposal {
        Some(p) => p.allowed(&counts),
        None => counts.iter().map(|&n| OptionSet(vec![true; n])).collect(),
    };
    let mut overridden = Vec::new();
    for t in overrides {
        let set = OptionSet::from_indices(counts[t.issue], &t.options);
        if proposal.is_some_and(|p| {
            p.terms
                .iter()
                .any(|u| u.issue == t.issue && u.options != t.options)
        }) {
            overridden.push(t.issue);
        }
        allowed[t.issue] = set;
    }
    (allowed, overridden)
}

//! Writing a [`Scenario`] back as a scenario TOML file (for `concord import genius`).
//!
//! The output reads back into the same scenario: every table of `docs/scenario-format.md` that
//! the scenario uses is written, with ranges, citations and bases.

use concord_core::model::*;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

fn assumed(a: &Assumed) -> Value {
    match a.range {
        None => Value::from(a.value),
        Some((lo, hi)) => {
            let mut t = InlineTable::new();
            t.insert("value", Value::from(a.value));
            let mut r = Array::new();
            r.push(lo);
            r.push(hi);
            t.insert("range", Value::Array(r));
            Value::InlineTable(t)
        }
    }
}

fn provenance(scenario: &Scenario, t: &mut Table, p: &Provenance) {
    if !p.citations.is_empty() {
        let mut cites = Array::new();
        for c in &p.citations {
            let mut it = InlineTable::new();
            it.insert(
                "source",
                Value::from(scenario.sources[c.source].id.as_str()),
            );
            it.insert("quote", Value::from(c.quote.as_str()));
            if let Some(s) = &c.speaker {
                it.insert("speaker", Value::from(s.as_str()));
            }
            cites.push(Value::InlineTable(it));
        }
        t.insert("cite", value(cites));
    }
    let default = if p.citations.is_empty() {
        Basis::Assumed
    } else {
        Basis::Stated
    };
    if p.basis != default {
        t.insert("basis", value(p.basis.as_str()));
    }
}

fn options(issue: &Issue, set: &OptionSet) -> Array {
    set.indices()
        .iter()
        .map(|&o| issue.options[o].id.as_str())
        .collect()
}

fn restriction(scenario: &Scenario, t: &mut Table, r: &IssueRestriction) {
    let issue = &scenario.issues[r.issue];
    // Always written as the allowed set or its complement: `at_least`/`at_most` need a numeric
    // issue, and the sets say the same.
    match r.phrasing {
        Phrasing::MustNotBe => t.insert(
            "must_not_be",
            value(options(issue, &r.allowed.complement())),
        ),
        _ => t.insert("must_be_one_of", value(options(issue, &r.allowed))),
    };
}

/// Proposal terms as an inline table: issue id → option id, or an array of them.
fn terms(scenario: &Scenario, terms: &[Term]) -> InlineTable {
    let mut t = InlineTable::new();
    for term in terms {
        let issue = &scenario.issues[term.issue];
        let v = match term.options.as_slice() {
            [o] => Value::from(issue.options[*o].id.as_str()),
            many => Value::Array(many.iter().map(|&o| issue.options[o].id.as_str()).collect()),
        };
        t.insert(&issue.id, v);
    }
    t
}

/// The scenario as TOML text.
pub fn scenario_to_toml(scenario: &Scenario) -> String {
    let mut doc = DocumentMut::new();
    let mut meta = Table::new();
    meta.insert("id", value(scenario.id.as_str()));
    meta.insert("title", value(scenario.title.as_str()));
    if !scenario.description.is_empty() {
        meta.insert("description", value(scenario.description.as_str()));
    }
    doc.insert("scenario", Item::Table(meta));

    if !scenario.sources.is_empty() {
        let mut arr = ArrayOfTables::new();
        for s in &scenario.sources {
            let mut t = Table::new();
            t.insert("id", value(s.id.as_str()));
            t.insert("file", value(s.file.as_str()));
            for (k, v) in [
                ("title", &s.title),
                ("outlet", &s.outlet),
                ("published", &s.published),
                ("language", &s.language),
                ("caveat", &s.caveat),
            ] {
                if let Some(v) = v {
                    t.insert(k, value(v.as_str()));
                }
            }
            if s.translated {
                t.insert("translated", value(true));
            }
            if s.embellished {
                t.insert("embellished", value(true));
            }
            if !s.agencies.is_empty() {
                t.insert(
                    "agencies",
                    value(s.agencies.iter().map(String::as_str).collect::<Array>()),
                );
            }
            arr.push(t);
        }
        doc.insert("sources", Item::ArrayOfTables(arr));
    }

    let mut parties = ArrayOfTables::new();
    for p in &scenario.parties {
        let mut t = Table::new();
        t.insert("id", value(p.id.as_str()));
        t.insert("name", value(p.name.as_str()));
        t.insert("role", value(p.role.as_str()));
        if p.consent != p.role.consent_by_default() {
            t.insert("consent", value(p.consent));
        }
        if !p.aliases.is_empty() {
            t.insert(
                "aliases",
                value(p.aliases.iter().map(String::as_str).collect::<Array>()),
            );
        }
        provenance(scenario, &mut t, &p.provenance);
        parties.push(t);
    }
    doc.insert("parties", Item::ArrayOfTables(parties));

    let mut issues = ArrayOfTables::new();
    for issue in &scenario.issues {
        let mut t = Table::new();
        t.insert("id", value(issue.id.as_str()));
        t.insert("name", value(issue.name.as_str()));
        match &issue.numeric {
            Some(d) => {
                let mut n = InlineTable::new();
                n.insert("min", Value::from(d.min));
                n.insert("max", Value::from(d.max));
                n.insert("step", Value::from(d.step));
                if !d.unit.is_empty() {
                    n.insert("unit", Value::from(d.unit.as_str()));
                }
                t.insert("numeric", value(n));
            }
            None => {
                if issue.ordered {
                    t.insert("ordered", value(true));
                }
                let mut opts = Array::new();
                for o in &issue.options {
                    let mut it = InlineTable::new();
                    it.insert("id", Value::from(o.id.as_str()));
                    it.insert("name", Value::from(o.name.as_str()));
                    opts.push(Value::InlineTable(it));
                }
                t.insert("options", value(opts));
            }
        }
        issues.push(t);
    }
    doc.insert("issues", Item::ArrayOfTables(issues));

    let mut prefs_table = Table::new();
    prefs_table.set_implicit(true);
    for (p, prefs) in scenario.preferences.iter().enumerate() {
        let Some(prefs) = prefs else { continue };
        let mut pt = Table::new();
        pt.insert("reservation", value(assumed(&prefs.reservation)));
        provenance(scenario, &mut pt, &prefs.provenance);
        let mut issues_t = Table::new();
        issues_t.set_implicit(true);
        for (i, ip) in prefs.issues.iter().enumerate() {
            let issue = &scenario.issues[i];
            let mut it = Table::new();
            it.insert("weight", value(assumed(&ip.weight)));
            match &ip.values {
                ValueFunction::Table(vals) => {
                    let mut v = InlineTable::new();
                    for (o, a) in vals.iter().enumerate() {
                        v.insert(&issue.options[o].id, assumed(a));
                    }
                    it.insert("values", value(v));
                }
                ValueFunction::PiecewiseLinear(points) => {
                    let mut arr = Array::new();
                    for &(x, y) in points {
                        let mut pair = Array::new();
                        pair.push(x);
                        pair.push(y);
                        arr.push(Value::Array(pair));
                    }
                    it.insert("points", value(arr));
                }
            }
            provenance(scenario, &mut it, &ip.provenance);
            issues_t.insert(&issue.id, Item::Table(it));
        }
        pt.insert("issues", Item::Table(issues_t));
        prefs_table.insert(&scenario.parties[p].id, Item::Table(pt));
    }
    doc.insert("preferences", Item::Table(prefs_table));

    if !scenario.red_lines.is_empty() {
        let mut arr = ArrayOfTables::new();
        for r in &scenario.red_lines {
            let mut t = Table::new();
            t.insert("id", value(r.id.as_str()));
            t.insert("party", value(scenario.parties[r.party].id.as_str()));
            match &r.rule {
                RedLineRule::Simple(x) => {
                    t.insert("issue", value(scenario.issues[x.issue].id.as_str()));
                    restriction(scenario, &mut t, x);
                }
                RedLineRule::Conditional {
                    if_issue,
                    if_options,
                    then,
                } => {
                    let mut cond = InlineTable::new();
                    cond.insert("issue", Value::from(scenario.issues[*if_issue].id.as_str()));
                    cond.insert(
                        "is",
                        Value::Array(options(&scenario.issues[*if_issue], if_options)),
                    );
                    t.insert("if", value(cond));
                    let mut then_t = Table::new();
                    then_t.insert("issue", value(scenario.issues[then.issue].id.as_str()));
                    restriction(scenario, &mut then_t, then);
                    t.insert("then", value(then_t.into_inline_table()));
                }
            }
            provenance(scenario, &mut t, &r.provenance);
            arr.push(t);
        }
        doc.insert("red_lines", Item::ArrayOfTables(arr));
    }

    if !scenario.framework.points.is_empty() {
        let mut fw = Table::new();
        if !scenario.framework.title.is_empty() {
            fw.insert("title", value(scenario.framework.title.as_str()));
        }
        let mut points = ArrayOfTables::new();
        for point in &scenario.framework.points {
            let mut t = Table::new();
            t.insert("number", value(i64::from(point.number)));
            t.insert("title", value(point.title.as_str()));
            if !point.summary.is_empty() {
                t.insert("summary", value(point.summary.as_str()));
            }
            t.insert(
                "issues",
                value(
                    point
                        .issues
                        .iter()
                        .map(|&i| scenario.issues[i].id.as_str())
                        .collect::<Array>(),
                ),
            );
            let mut stances = InlineTable::new();
            for (p, s) in point.stances.iter().enumerate() {
                if s.stance == Stance::NotStated && s.provenance.citations.is_empty() {
                    continue;
                }
                stances.insert(&scenario.parties[p].id, Value::from(s.stance.as_str()));
            }
            if !point.proposes.is_empty() {
                t.insert("proposes", value(terms(scenario, &point.proposes)));
            }
            t.insert("stances", value(stances));
            provenance(scenario, &mut t, &point.provenance);
            points.push(t);
        }
        fw.insert("points", Item::ArrayOfTables(points));
        doc.insert("framework", Item::Table(fw));
    }
    if !scenario.framework.proposals.is_empty() {
        let mut list = ArrayOfTables::new();
        for p in &scenario.framework.proposals {
            let mut t = Table::new();
            t.insert("id", value(p.id.as_str()));
            t.insert("title", value(p.title.as_str()));
            if !p.by.is_empty() {
                t.insert(
                    "by",
                    value(
                        p.by.iter()
                            .map(|&q| scenario.parties[q].id.as_str())
                            .collect::<Array>(),
                    ),
                );
            }
            if let Some(d) = &p.date {
                t.insert("date", value(d.as_str()));
            }
            t.insert("package", value(terms(scenario, &p.terms)));
            if !p.note.is_empty() {
                t.insert("note", value(p.note.as_str()));
            }
            provenance(scenario, &mut t, &p.provenance);
            list.push(t);
        }
        doc.insert("proposals", Item::ArrayOfTables(list));
    }
    doc.to_string()
}

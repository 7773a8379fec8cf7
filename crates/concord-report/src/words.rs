//! A scenario's terms in words, shared by the typed reports and their text: a package as
//! `(issue id, option id)` pairs, a red line's rule as a sentence and a position's basis as a
//! note.

use concord_core::model::{
    Basis, IssueRestriction, OptionIx, Phrasing, Provenance, RedLineRule, Scenario,
};

/// `(issue id, option id)` for each issue of a package.
pub fn package_options(scenario: &Scenario, package: &[OptionIx]) -> Vec<(String, String)> {
    scenario
        .issues
        .iter()
        .zip(package)
        .map(|(i, &o)| (i.id.clone(), i.options[o].id.clone()))
        .collect()
}

fn restriction(scenario: &Scenario, r: &IssueRestriction) -> String {
    let issue = &scenario.issues[r.issue];
    let names = |os: Vec<OptionIx>| {
        os.iter()
            .map(|&o| issue.options[o].id.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if r.allowed.indices().is_empty() {
        // The `then` of a conditional red line may admit nothing: it forbids the condition.
        return format!("no option of {} is acceptable", issue.id);
    }
    match r.phrasing {
        Phrasing::MustNotBe => format!(
            "{} must not be {}",
            issue.id,
            names(r.allowed.complement().indices())
        ),
        Phrasing::MustBeOneOf => {
            format!("{} must be one of {}", issue.id, names(r.allowed.indices()))
        }
        Phrasing::AtLeast | Phrasing::AtMost => {
            let allowed = r.allowed.indices();
            let (word, o) = if r.phrasing == Phrasing::AtLeast {
                ("at least", allowed[0])
            } else {
                ("at most", allowed[allowed.len() - 1])
            };
            format!("{} must be {word} {}", issue.id, issue.options[o].name)
        }
    }
}

/// A red line's rule in words, such as `if territory is cede-donbas then guarantees must be one of …`.
pub fn describe_rule(scenario: &Scenario, rule: &RedLineRule) -> String {
    match rule {
        RedLineRule::Simple(r) => restriction(scenario, r),
        RedLineRule::Conditional {
            if_issue,
            if_options,
            then,
        } => {
            let issue = &scenario.issues[*if_issue];
            let opts: Vec<String> = if_options
                .indices()
                .iter()
                .map(|&o| issue.options[o].id.clone())
                .collect();
            format!(
                "if {} is {} then {}",
                issue.id,
                opts.join(" or "),
                restriction(scenario, then)
            )
        }
    }
}

/// Where a position comes from, in words: its basis with its first citation (`stated in src,
/// says X: "…"`), or `assumed by the analyst`.
pub(crate) fn basis_note(scenario: &Scenario, p: &Provenance) -> String {
    if p.basis == Basis::Assumed {
        return "assumed by the analyst".into();
    }
    // A position resting on claims shows the first claim, and its passage when it quotes none.
    let claim = p.claims.first().map(|&c| &scenario.claims[c]);
    let tag = claim
        .map(|c| format!(", claim `{}`", c.id))
        .unwrap_or_default();
    match p
        .citations
        .first()
        .or_else(|| claim.and_then(|c| c.citations.first()))
    {
        Some(c) => {
            let speaker = c
                .speaker
                .as_ref()
                .map(|s| format!(", says {s}"))
                .unwrap_or_default();
            format!(
                "{} in {}{speaker}{tag}: \"{}\"",
                p.basis.as_str(),
                scenario.sources[c.source].id,
                c.quote
            )
        }
        None => format!("{}{tag}", p.basis.as_str()),
    }
}

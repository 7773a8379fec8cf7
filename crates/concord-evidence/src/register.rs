//! The claims register an analyst writes into a scenario: who asserts what about whom, when,
//! with what figures, its status, and the passage of every source that carries it. The standing
//! of each claim (corroborated by how many independent sources, denied, single-source) is
//! computed from its citations, counting sources that relay the same agency once.
//!
//! Claims have ids and the parties they are attributed to: positions of a scenario rest on them
//! (`claims = ["id"]`), and take their basis from who asserts them.

use crate::conflicts::Standing;
use crate::date::{DateSpan, Weekday};

/// A source as the register sees it: what decides whether two sources are independent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterSource {
    /// The source's id.
    pub id: String,
    /// The agencies it relays throughout.
    pub agencies: Vec<String>,
    /// The first source of its story, when it is a copy or a rewrite of another source's story
    /// (found by text: [`crate::extract::same_story`]): sources of one story are one origin.
    pub same_story_as: Option<String>,
}

/// When a claimed event happened, as the analyst normalised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimDate {
    /// The days it may be.
    pub span: DateSpan,
    /// The weekday the source names, if any.
    pub weekday: Option<Weekday>,
    /// The words of the source ("late Friday").
    pub as_written: Option<String>,
}

/// A figure of a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The value.
    pub value: f64,
    /// Its unit, free text (`"people"`, `"USD bn"`, `"%"`).
    pub unit: String,
    /// Whether the source gives it as approximate.
    pub approx: bool,
}

/// Where a source carries a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimCitation {
    /// Index of the source in the register's sources.
    pub source: usize,
    /// The verbatim passage.
    pub quote: String,
    /// Who says it in the source, if not the source itself.
    pub speaker: Option<String>,
    /// Agencies or outlets the source relays for this passage (`"AFP"`).
    pub via: Vec<String>,
}

/// A claim of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisteredClaim {
    /// Its id, unique among claims.
    pub id: String,
    /// What is asserted, in one line.
    pub text: String,
    /// The parties that assert it (ids).
    pub by: Vec<String>,
    /// The parties it is about (ids).
    pub about: Vec<String>,
    /// When the event happened.
    pub date: Option<ClaimDate>,
    /// Its figures.
    pub figures: Vec<Figure>,
    /// Parties that deny it.
    pub denied_by: Vec<String>,
    /// Parties that dispute it.
    pub disputed_by: Vec<String>,
    /// Whether a source says it could not be verified.
    pub unverifiable: bool,
    /// The sources that carry it.
    pub citations: Vec<ClaimCitation>,
    /// Free text.
    pub note: Option<String>,
}

/// The standing of a registered claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimStanding {
    /// The summary.
    pub standing: Standing,
    /// The independent origins: a source id, or an agency that several sources relay.
    pub origins: Vec<String>,
}

/// Computes the standing of a claim from its citations and markers.
pub fn standing(claim: &RegisteredClaim, sources: &[RegisterSource]) -> ClaimStanding {
    // Each citation's origins: what it relays, what its source relays throughout, else itself.
    let sets: Vec<Vec<String>> = claim
        .citations
        .iter()
        .map(|c| {
            let mut o: Vec<String> = c.via.iter().map(|v| v.to_lowercase()).collect();
            if let Some(s) = sources.get(c.source) {
                o.extend(s.agencies.iter().map(|a| a.to_lowercase()));
            }
            if o.is_empty() {
                o.push(sources.get(c.source).map_or_else(
                    || format!("source #{}", c.source),
                    |s| s.same_story_as.clone().unwrap_or_else(|| s.id.clone()),
                ));
            }
            o
        })
        .collect();
    let mut group: Vec<usize> = (0..sets.len()).collect();
    for i in 0..sets.len() {
        for j in 0..i {
            let dependent = claim.citations[i].source == claim.citations[j].source
                || sets[i].iter().any(|o| sets[j].contains(o));
            if dependent {
                let (gi, gj) = (group[i], group[j]);
                for g in group.iter_mut() {
                    if *g == gi {
                        *g = gj;
                    }
                }
            }
        }
    }
    let mut origins: Vec<String> = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for (i, &g) in group.iter().enumerate() {
        if !seen.contains(&g) {
            seen.push(g);
            origins.push(sets[i][0].clone());
        }
    }
    let standing = if !claim.denied_by.is_empty() {
        Standing::Denied
    } else if !claim.disputed_by.is_empty() {
        Standing::Disputed
    } else if claim.unverifiable {
        Standing::Unverifiable
    } else if origins.len() >= 2 {
        Standing::Corroborated
    } else if !claim.citations.is_empty()
        && claim
            .citations
            .iter()
            .all(|c| c.speaker.as_deref().is_some_and(is_unnamed))
    {
        Standing::Anonymous
    } else {
        Standing::SingleSource
    };
    ClaimStanding { standing, origins }
}

/// Whether a speaker as written is an unnamed person ("a senior Ukrainian official").
pub fn is_unnamed(speaker: &str) -> bool {
    let first = speaker
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    ["a", "an", "one", "some", "several", "unnamed", "anonymous"].contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(source: usize, via: &[&str]) -> ClaimCitation {
        ClaimCitation {
            source,
            quote: "q".into(),
            speaker: None,
            via: via.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn claim(citations: Vec<ClaimCitation>) -> RegisteredClaim {
        RegisteredClaim {
            id: "c".into(),
            text: "t".into(),
            by: vec![],
            about: vec![],
            date: None,
            figures: vec![],
            denied_by: vec![],
            disputed_by: vec![],
            unverifiable: false,
            citations,
            note: None,
        }
    }

    /// Sources `a`, `b`, `c`, relaying nothing, each its own story.
    fn three_sources() -> Vec<RegisterSource> {
        ["a", "b", "c"]
            .iter()
            .map(|id| RegisterSource {
                same_story_as: None,
                id: id.to_string(),
                agencies: vec![],
            })
            .collect()
    }

    #[test]
    fn sources_of_one_story_are_one_origin() {
        let mut sources = three_sources();
        let c = claim(vec![cite(0, &[]), cite(1, &[]), cite(2, &[])]);
        assert_eq!(standing(&c, &sources).origins.len(), 3);
        sources[1].same_story_as = Some("a".into());
        sources[0].same_story_as = Some("a".into());
        let s = standing(&c, &sources);
        assert_eq!(s.origins, ["a", "c"]);
        assert_eq!(s.standing, Standing::Corroborated);
        sources[2].same_story_as = Some("a".into());
        let s = standing(&c, &sources);
        assert_eq!((s.standing, s.origins.len()), (Standing::SingleSource, 1));
    }

    #[test]
    fn independence() {
        let sources = three_sources();
        let s = standing(&claim(vec![cite(0, &["AFP"]), cite(1, &["afp"])]), &sources);
        assert_eq!((s.standing, s.origins.len()), (Standing::SingleSource, 1));
        let s = standing(
            &claim(vec![cite(0, &["AFP"]), cite(1, &["afp"]), cite(2, &[])]),
            &sources,
        );
        assert_eq!((s.standing, s.origins.len()), (Standing::Corroborated, 2));
        let mut denied = claim(vec![cite(0, &[]), cite(1, &[])]);
        denied.denied_by = vec!["ukraine".into()];
        assert_eq!(standing(&denied, &sources).standing, Standing::Denied);
        assert_eq!(
            standing(&claim(vec![cite(0, &[]), cite(0, &[])]), &sources)
                .origins
                .len(),
            1
        );
    }
}

//! Mentions that conflicts are made of, besides numbers and dates: people with their titles
//! (`former U.S. President Donald Trump`), named lists of countries (`Britain, France and
//! Germany`) and numbered versions of a document (`the 20-point plan`, `19 key points`).

use crate::actors::span_text;
use crate::alias_index::ActorLookup;
use crate::quantity::{Quantity, Unit};
use crate::text::{Token, TokenKind};

/// A person named with a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titled {
    /// The name as written (`Donald Trump`).
    pub name: String,
    /// The surname, lower case, the key for comparing mentions (`trump`).
    pub key: String,
    /// The title (`President`, `Prime Minister`, `special envoy`).
    pub title: String,
    /// The actor qualifying the title (`U.S.` → `united_states`), if any.
    pub of: Option<String>,
    /// Whether the title is a past one ("former", "ex-").
    pub former: bool,
    /// The whole mention as written.
    pub text: String,
}

/// Whether a word is part of a title ("president", "Minister", "envoy"), in any case.
pub(crate) fn is_title_word(word: &str) -> bool {
    TITLES
        .iter()
        .flat_map(|t| t.iter())
        .any(|w| *w != "of" && w.trim_end_matches('.').eq_ignore_ascii_case(word))
}

/// Titles, longest first within each family.
const TITLES: &[&[&str]] = &[
    &["Deputy", "Prime", "Minister"],
    &["First", "Deputy", "Prime", "Minister"],
    &["Prime", "Minister"],
    &["Vice", "President"],
    &["President"],
    &["Chancellor"],
    &["Secretary", "of", "State"],
    &["Secretary", "General"],
    &["Foreign", "Minister"],
    &["Defence", "Minister"],
    &["Defense", "Minister"],
    &["Defense", "Secretary"],
    &["Minister"],
    &["Senator"],
    &["Sen."],
    &["Representative"],
    &["Rep."],
    &["Governor"],
    &["General"],
    &["Gen."],
    &["Special", "Envoy"],
    &["special", "envoy"],
    &["envoy"],
    &["King"],
    &["Queen"],
    &["Pope"],
    &["Mayor"],
    &["Chief", "of", "General", "Staff"],
    &["National", "Security", "Secretary"],
    &["National", "Security", "Adviser"],
    &["Speaker"],
    &["Ambassador"],
    &["Commissioner"],
    &["Premier"],
    &["Chairman"],
    &["Supreme", "Leader"],
    &["Emir"],
    &["Crown", "Prince"],
];

fn title_at(tokens: &[Token<'_>], i: usize) -> Option<usize> {
    TITLES
        .iter()
        .filter(|t| {
            i + t.len() <= tokens.len()
                && t.iter().enumerate().all(|(k, w)| tokens[i + k].text == *w)
        })
        .map(|t| t.len())
        .max()
}

/// People named with a title in a sentence.
pub fn titled(tokens: &[Token<'_>], aliases: &impl ActorLookup) -> Vec<Titled> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(len) = title_at(tokens, i) else {
            i += 1;
            continue;
        };
        // The name: up to three capitalised words, none a title or an actor's name.
        let mut end = i + len;
        while end < tokens.len()
            && end < i + len + 3
            && tokens[end].is_capitalised()
            && title_at(tokens, end).is_none()
            && (crate::date::month_number(tokens[end].text).is_none()
                || tokens[end].text.len() <= 2)
            && crate::date::Weekday::parse(tokens[end].text).is_none()
        {
            let possessive = tokens[end].is_possessive();
            end += 1;
            if possessive {
                break;
            }
        }
        if end == i + len {
            i += len;
            continue;
        }
        // Qualifiers before the title: an actor ("U.S.", "French") and "former".
        let mut first = i;
        let mut of = None;
        let mut former = false;
        while first > 0 {
            let p = &tokens[first - 1];
            if p.is("former") || p.is("ex") || p.is("then") {
                former = true;
            } else if let Some(m) = aliases.find(std::slice::from_ref(p)).into_iter().next() {
                if of.is_some() {
                    break;
                }
                of = Some(m.actor);
            } else if p.is_punct('-') && first >= 2 && tokens[first - 2].is_any(&["ex", "then"]) {
                former = true;
                first -= 1;
            } else {
                break;
            }
            first -= 1;
        }
        let last = &tokens[end - 1];
        let name = span_text(tokens, i + len, end - i - len);
        let name = crate::text::strip_possessive(&name).to_string();
        out.push(Titled {
            key: crate::text::plain_lower(last.base()),
            name,
            title: span_text(tokens, i, len),
            of,
            former,
            text: span_text(tokens, first, end - first),
        });
        i = end;
    }
    out
}

/// A named list of countries: `Britain, France and Germany`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedList {
    /// The countries' actor ids, in order.
    pub members: Vec<String>,
    /// Whether the list says it is not exhaustive ("including", "such as").
    pub partial: bool,
    /// The words as written.
    pub text: String,
}

/// Lists of two or more countries joined by commas and "and".
pub fn named_lists(tokens: &[Token<'_>], aliases: &impl ActorLookup) -> Vec<NamedList> {
    let mentions: Vec<_> = aliases
        .find(tokens)
        .into_iter()
        .filter(|m| m.country)
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < mentions.len() {
        let mut members = vec![mentions[k].actor.clone()];
        let mut last = k;
        while last + 1 < mentions.len() {
            let (a, b) = (&mentions[last], &mentions[last + 1]);
            let gap = &tokens[a.token + a.len..b.token];
            let joined = !gap.is_empty()
                && gap.len() <= 2
                && gap.iter().all(|t| t.is_punct(',') || t.is("and"));
            if !joined {
                break;
            }
            members.push(b.actor.clone());
            last += 1;
        }
        if members.len() >= 2 {
            let start = mentions[k].token;
            let end = mentions[last].token + mentions[last].len;
            let partial = (start.saturating_sub(3)..start).any(|j| {
                tokens[j].is_any(&["including", "notably", "like", "among"])
                    || (tokens[j].is("such") && tokens.get(j + 1).is_some_and(|t| t.is("as")))
            });
            members.dedup();
            out.push(NamedList {
                members,
                partial,
                text: span_text(tokens, start, end - start),
            });
        }
        k = last + 1;
    }
    out
}

/// A numbered version of a document: `the 20-point plan`, `19 key points`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentVersion {
    /// The number of points.
    pub points: u32,
    /// What it is called (`plan`, `draft`, `agenda`).
    pub noun: String,
    /// Words that place it in time within its report: `initial`, `earlier`, `original`
    /// (before the report's date) or `current`, `revised`, `new` (at it).
    pub cue: Option<String>,
    /// The words as written.
    pub text: String,
}

const EARLIER: &[&str] = &[
    "initial", "earlier", "original", "previous", "first", "old", "leaked", "former", "prior",
];
const CURRENT: &[&str] = &[
    "current", "revised", "new", "latest", "updated", "final", "present", "narrows", "narrowed",
];

/// Numbered document versions among a sentence's quantities.
pub fn document_versions(tokens: &[Token<'_>], quantities: &[Quantity]) -> Vec<DocumentVersion> {
    let mut out = Vec::new();
    for q in quantities {
        if q.unit != Unit::Count("point".into()) || q.value < 1.0 || q.value != q.value.trunc() {
            continue;
        }
        let i = q.token;
        // The noun after "N-point" or the thing "N points" belong to ("narrows the agenda to").
        let after = tokens[i + 1..].iter().take(3).find(|t| {
            t.kind == TokenKind::Word
                && t.text.chars().next().is_some_and(char::is_lowercase)
                && !t.is_any(&["key", "points", "point"])
        });
        let before = tokens[..i].iter().rev().take(5).find(|t| {
            t.is_any(&[
                "agenda",
                "plan",
                "draft",
                "text",
                "proposal",
                "framework",
                "document",
            ])
        });
        let noun = if tokens[i].text.contains('-') {
            after.map(|t| t.base().to_lowercase())
        } else {
            before.map(|t| t.text.to_lowercase())
        }
        .unwrap_or_else(|| "points".into());
        let window = i.saturating_sub(6)..(i + 4).min(tokens.len());
        let cue = tokens[window.clone()]
            .iter()
            .find(|t| t.is_any(EARLIER))
            .or_else(|| tokens[window].iter().find(|t| t.is_any(CURRENT)))
            .map(|t| t.text.to_lowercase());
        out.push(DocumentVersion {
            points: q.value as u32,
            noun,
            cue,
            text: q.text.clone(),
        });
    }
    out
}

/// Whether a document cue places the version before its report's date.
pub fn cue_is_earlier(cue: &str) -> bool {
    EARLIER.contains(&cue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::Aliases;
    use crate::text::tokenize;

    #[test]
    fn titles() {
        let a = Aliases::builtin();
        let t = titled(
            &tokenize("where former U.S. President Donald Trump told reporters"),
            &a,
        );
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].key.as_str(), t[0].title.as_str(), t[0].former),
            ("trump", "President", true)
        );
        assert_eq!(t[0].of.as_deref(), Some("united_states"));
        let t = titled(
            &tokenize("U.S. President Trump’s special envoy, Steve Witkoff, said"),
            &a,
        );
        assert_eq!(t[0].name, "Trump");
        assert!(!t[0].former);
        assert!(titled(&tokenize("the U.S. president was considering"), &a).is_empty());
    }

    #[test]
    fn lists() {
        let a = Aliases::builtin();
        let l = named_lists(
            &tokenize(
                "Officials from countries including Britain, France and Germany, as well as NATO",
            ),
            &a,
        );
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].members, ["united_kingdom", "france", "germany"]);
        assert!(l[0].partial);
        let l = named_lists(
            &tokenize("advisers from Britain, France, Germany, and Ukraine"),
            &a,
        );
        assert_eq!(l[0].members.len(), 4);
        assert!(!l[0].partial);
    }

    #[test]
    fn documents() {
        let s = "a revised plan that replaced an initial 28-point draft leaked last month";
        let tokens = tokenize(s);
        let q = crate::quantity::quantities(&tokens, s, &[]);
        let d = document_versions(&tokens, &q);
        assert_eq!(
            (d[0].points, d[0].noun.as_str(), d[0].cue.as_deref()),
            (28, "draft", Some("initial"))
        );
    }
}

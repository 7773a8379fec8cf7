//! The alias list indexed by the folded form of each name's first word, so that finding the
//! actors of a sentence costs a hash look-up or two per token instead of a pass over every name
//! (lower-casing each) at every token.
//!
//! [`AliasIndex::find`] answers exactly as [`Aliases::find`] does, and a property test holds it
//! to that: the index only narrows the names tried at a token to those whose first word folds
//! (`plain_lower`) to the token's folded text, which every name the alias list's rule accepts
//! does, and each of them is still decided by that rule (`actors::name_matches`).
//!
//! Extraction ([`crate::extract::extract`]) and the conflicts analysis
//! ([`crate::conflicts::analyse`]) each build one index per call and look every actor and outlet
//! up through it, by way of [`ActorLookup`]; the alias list's own methods stay as the
//! brute-force reference the tests compare the index with, mention for mention and (through
//! extraction run both ways) claim for claim.

use std::collections::HashMap;

use crate::actors::{name_matches, name_words, span_text, ActorMention, Alias, Aliases};
use crate::text::{plain_lower, tokenize, Token, TokenKind};

/// How actors and outlets are looked up in a sentence's tokens: through an [`AliasIndex`], which
/// extraction and the conflicts analysis build once per call, or through the [`Aliases`] list
/// itself, the brute-force reference that tries every name at every token. Both answer alike.
pub trait ActorLookup {
    /// Every actor mention in a token sequence: see [`Aliases::find`].
    fn find(&self, tokens: &[Token<'_>]) -> Vec<ActorMention>;
    /// The actor a phrase names as a whole, or the first actor mentioned in it: see
    /// [`Aliases::actor_in`].
    fn actor_in(&self, phrase: &str) -> Option<String> {
        let tokens = tokenize(phrase);
        self.find(&tokens).into_iter().next().map(|m| m.actor)
    }
    /// The outlet named at token `i`, with its length in tokens: see [`Aliases::outlet_at`].
    fn outlet_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(&str, usize)>;
}

impl ActorLookup for Aliases {
    fn find(&self, tokens: &[Token<'_>]) -> Vec<ActorMention> {
        Aliases::find(self, tokens)
    }
    fn actor_in(&self, phrase: &str) -> Option<String> {
        Aliases::actor_in(self, phrase)
    }
    fn outlet_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(&str, usize)> {
        Aliases::outlet_at(self, tokens, i)
    }
}

impl ActorLookup for AliasIndex<'_> {
    fn find(&self, tokens: &[Token<'_>]) -> Vec<ActorMention> {
        AliasIndex::find(self, tokens)
    }
    fn actor_in(&self, phrase: &str) -> Option<String> {
        AliasIndex::actor_in(self, phrase)
    }
    fn outlet_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(&str, usize)> {
        AliasIndex::outlet_at(self, tokens, i)
    }
}

/// Names of one kind (aliases or outlets), keyed by their folded first word.
#[derive(Debug, Clone, Default)]
struct Names {
    /// Each name's words, in the list's order.
    words: Vec<Vec<String>>,
    /// Names of one word, by that word folded: indices in increasing order.
    single: HashMap<String, Vec<usize>>,
    /// Names of several words, by their first word folded: indices in increasing order.
    multi: HashMap<String, Vec<usize>>,
}

impl Names {
    fn new<'n>(names: impl Iterator<Item = &'n str>) -> Names {
        let mut out = Names::default();
        for (k, name) in names.enumerate() {
            let words = name_words(name);
            match words.len() {
                0 => {}
                1 => out
                    .single
                    .entry(plain_lower(&words[0]))
                    .or_default()
                    .push(k),
                _ => out.multi.entry(plain_lower(&words[0])).or_default().push(k),
            }
            out.words.push(words);
        }
        out
    }

    /// The index and length of the longest name at token `i`, the latest added winning a tie:
    /// what the alias list's own search over every name finds. A name's last word is matched
    /// against the token without its possessive, the others against the token as written.
    fn longest(&self, tokens: &[Token<'_>], i: usize) -> Option<(usize, usize)> {
        let t = tokens.get(i)?;
        let multi = self.multi.get(&plain_lower(t.text));
        let single = self.single.get(&plain_lower(t.base()));
        let mut best: Option<(usize, usize)> = None;
        for &k in multi
            .into_iter()
            .flatten()
            .chain(single.into_iter().flatten())
        {
            let parts = &self.words[k];
            let n = parts.len();
            if i + n > tokens.len() || best.is_some_and(|(bk, bn)| (bn, bk) >= (n, k)) {
                continue;
            }
            let matches = parts.iter().enumerate().all(|(j, p)| {
                let t = &tokens[i + j];
                let text = if j + 1 == n { t.base() } else { t.text };
                name_matches(p, text)
            });
            if matches {
                best = Some((k, n));
            }
        }
        best
    }
}

/// An alias list indexed for look-up: build it once per analysis, then [`AliasIndex::find`],
/// [`AliasIndex::actor_in`] and [`AliasIndex::outlet_at`] answer as the list's own methods do, in
/// time that does not grow with the length of the list.
#[derive(Debug, Clone)]
pub struct AliasIndex<'a> {
    aliases: &'a Aliases,
    names: Names,
    outlets: Names,
    /// Every alias by its whole name folded, for the parts of hyphenated words.
    whole: HashMap<String, Vec<usize>>,
}

impl<'a> AliasIndex<'a> {
    /// Indexes `aliases` (its names and its outlets).
    pub fn new(aliases: &'a Aliases) -> AliasIndex<'a> {
        let mut whole: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, e) in aliases.entries().iter().enumerate() {
            whole.entry(plain_lower(&e.name)).or_default().push(k);
        }
        AliasIndex {
            aliases,
            names: Names::new(aliases.entries().iter().map(|e| e.name.as_str())),
            outlets: Names::new(aliases.outlets().iter().map(String::as_str)),
            whole,
        }
    }

    /// Every actor mention in a token sequence: exactly [`Aliases::find`].
    pub fn find(&self, tokens: &[Token<'_>]) -> Vec<ActorMention> {
        let entries = self.aliases.entries();
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if tokens[i].kind == TokenKind::Punct {
                i += 1;
                continue;
            }
            // An outlet's name is not its country's voice: "Kyiv Post", "Washington Post".
            if let Some((_, len)) = self.outlets.longest(tokens, i) {
                i += len;
                continue;
            }
            if let Some((k, len)) = self.names.longest(tokens, i) {
                let alias = &entries[k];
                out.push(ActorMention {
                    actor: alias.actor.clone(),
                    text: span_text(tokens, i, len),
                    token: i,
                    len,
                    country: alias.country,
                    language: alias.language.clone(),
                });
                i += len;
                continue;
            }
            // Inside a hyphenated word: "Kyiv-held", "US-brokered", "Moscow-occupied".
            let word = tokens[i].base();
            if word.contains('-') {
                for part in word.split('-') {
                    if let Some(alias) = self.exact(part) {
                        out.push(ActorMention {
                            actor: alias.actor.clone(),
                            text: tokens[i].text.to_string(),
                            token: i,
                            len: 1,
                            country: false,
                            language: alias.language.clone(),
                        });
                        break;
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// The actor a phrase names as a whole, or the first actor mentioned in it: exactly
    /// [`Aliases::actor_in`].
    pub fn actor_in(&self, phrase: &str) -> Option<String> {
        let tokens = tokenize(phrase);
        self.find(&tokens).into_iter().next().map(|m| m.actor)
    }

    /// The outlet named at token `i`, with its length in tokens: exactly [`Aliases::outlet_at`].
    pub fn outlet_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(&'a str, usize)> {
        self.outlets
            .longest(tokens, i)
            .map(|(k, n)| (self.aliases.outlets()[k].as_str(), n))
    }

    /// The latest alias whose whole name is `word`.
    fn exact(&self, word: &str) -> Option<&'a Alias> {
        let entries = self.aliases.entries();
        self.whole
            .get(&plain_lower(word))?
            .iter()
            .rev()
            .map(|&k| &entries[k])
            .find(|e| name_matches(&e.name, word))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Words met in sentences: alias names and their variants (case, accents, possessives,
    /// hyphens), outlets, and ordinary words. Extraction's own property test draws on them too.
    pub(crate) const WORDS: &[&str] = &[
        "Kyiv",
        "kyiv",
        "KYIV",
        "Kiev",
        "Kyiv’s",
        "Kyiv's",
        "Kyiv-held",
        "US",
        "us",
        "U.S.",
        "U.S.-brokered",
        "United",
        "States",
        "Kingdom",
        "of",
        "America",
        "the",
        "White",
        "House",
        "Kremlin",
        "Moscou",
        "moscou",
        "Élysée",
        "Elysee",
        "elysee",
        "Türkiye",
        "Turkiye",
        "НАТО",
        "Москва",
        "Kyiv",
        "Post",
        "Washington",
        "Post",
        "Associated",
        "Press",
        "AP",
        "Nato",
        "NATO",
        "nato",
        "EU",
        "E.U.",
        "European",
        "Union",
        "Commission",
        "said",
        "met",
        "in",
        "and",
        ",",
        ".",
        ";",
        "-",
        "North",
        "Korea",
        "South",
        "Korean",
        "New",
        "Delhi",
        "Zelensky",
        "Umerov",
        "Daily",
        "Planet",
        "Moscow-occupied",
        "Russia-held",
        "Etats-Unis",
        "États-Unis",
        "Royaume-Uni",
        "Saudi",
        "Arabia",
    ];

    /// Names a user may add: new ones, ones the built-in list knows, several words, odd ones.
    const EXTRA: &[&str] = &[
        "Zelensky",
        "Kremlin",
        "Kyiv",
        "Umerov",
        "White House",
        "Daily Planet",
        "the",
        "US",
        "us",
        "Kyiv Post",
        "Elysee",
        "-",
        "New",
        "North Korea",
        "Moscow-occupied",
        "Élysée",
    ];

    /// The built-in list with some of [`EXTRA`] added, as names of actors or as outlets.
    pub(crate) fn aliases() -> impl Strategy<Value = Aliases> {
        (
            prop::collection::vec((0..EXTRA.len(), 0..4usize), 0..6),
            prop::collection::vec(0..EXTRA.len(), 0..3),
        )
            .prop_map(|(names, outlets)| {
                let mut a = Aliases::builtin();
                for (k, actor) in names {
                    a.add(EXTRA[k], ["ukraine", "kremlin", "us", "x"][actor]);
                }
                for k in outlets {
                    a.add_outlet(EXTRA[k]);
                }
                a
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The index finds what the alias list finds, mention for mention.
        #[test]
        fn the_index_finds_what_the_list_finds(
            aliases in aliases(),
            words in prop::collection::vec(0..WORDS.len(), 0..14),
        ) {
            let text = words.iter().map(|&k| WORDS[k]).collect::<Vec<_>>().join(" ");
            let tokens = tokenize(&text);
            let index = AliasIndex::new(&aliases);
            prop_assert_eq!(index.find(&tokens), aliases.find(&tokens), "{}", text);
            for w in &words {
                prop_assert_eq!(index.actor_in(WORDS[*w]), aliases.actor_in(WORDS[*w]));
            }
            for part in text.split(['-', ' ']) {
                prop_assert_eq!(index.actor_in(part), aliases.actor_in(part));
            }
            // Extraction also looks up sub-slices (a speaker's words, one token before a
            // title) and outlets at each token.
            for i in 0..=tokens.len() {
                prop_assert_eq!(index.outlet_at(&tokens, i), aliases.outlet_at(&tokens, i));
                for j in (i..=tokens.len().min(i + 5)).chain([tokens.len()]) {
                    let slice = &tokens[i..j];
                    prop_assert_eq!(index.find(slice), aliases.find(slice));
                }
            }
        }
    }

    #[test]
    fn the_index_finds_the_builtin_names() {
        let a = Aliases::builtin();
        let index = AliasIndex::new(&a);
        for text in [
            "Moscou and the Kremlin",
            "OTAN ministers met in Kyiv",
            "Киев, Москва, Россия и НАТО",
            "the United States and Ukraine’s allies; a Kyiv-held area; a US-brokered plan",
            "the Kyiv Post and the Washington Post said; tell us more",
        ] {
            let tokens = tokenize(text);
            assert_eq!(index.find(&tokens), a.find(&tokens), "{text}");
        }
    }
}

//! The words that name a choice (a method, a red-line selection, a bargaining concept, a
//! protocol), one list per choice, so that every front end (command-line flags, Python keyword
//! arguments, server requests, configuration files) accepts and refuses the same words.

/// A choice among a fixed set of named values.
pub trait Named: Sized + Copy + PartialEq + 'static {
    /// Every value, in the order help lists them.
    const ALL: &'static [Self];

    /// The word that names the value (`merge`, `stated`, `kalai-smorodinsky`).
    fn name(self) -> &'static str;

    /// What the value means, in a few words, for help texts.
    fn help(self) -> &'static str;

    /// The value a word names, if any (exact, case-sensitive).
    fn parse(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == word)
    }

    /// The words accepted, for an error message: `auto, enumerate, merge or bnb`.
    fn expected() -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|v| v.name()).collect();
        match names.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Named;
    use crate::analysis::{MethodChoice, RedLineSelection};
    use crate::bargaining::Concept;

    fn round_trips<T: Named + std::fmt::Debug>() {
        for &v in T::ALL {
            assert_eq!(T::parse(v.name()), Some(v));
            assert!(!v.help().is_empty(), "{v:?}");
        }
        assert_eq!(T::parse("no such word"), None);
        let names: Vec<&str> = T::ALL.iter().map(|v| v.name()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
    }

    #[test]
    fn every_word_names_one_value() {
        round_trips::<MethodChoice>();
        round_trips::<RedLineSelection>();
        round_trips::<Concept>();
        assert_eq!(MethodChoice::expected(), "auto, enumerate, merge or bnb");
    }
}

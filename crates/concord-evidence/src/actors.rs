//! Actors and the names the reports use for them: an alias list (Kyiv → Ukraine, Moscou and
//! the Kremlin → Russia, OTAN → NATO, …) that users extend, a gazetteer of countries for counting
//! named lists, and the news agencies and outlets whose relaying makes two reports dependent.

use crate::text::{plain_lower, tokenize, Token, TokenKind};

/// One name of an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The name as it appears in text (`"Kremlin"`, `"United States"`).
    pub name: String,
    /// The actor's id (`"russia"`).
    pub actor: String,
    /// The language of a foreign form (`"fr"` for `"Moscou"`); `None` for English.
    pub language: Option<String>,
    /// Whether the name is a country (or its usual short form) for counting named lists.
    pub country: bool,
}

/// A mention of an actor in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMention {
    /// The actor's id.
    pub actor: String,
    /// The words as written.
    pub text: String,
    /// Index of the first token.
    pub token: usize,
    /// Number of tokens.
    pub len: usize,
    /// Whether the alias is a country name.
    pub country: bool,
    /// The language of a foreign form.
    pub language: Option<String>,
}

/// The alias list: an ordered list where later additions take precedence over the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Aliases {
    entries: Vec<Alias>,
    /// The words of each entry's name, tokenised once.
    words: Vec<Vec<String>>,
    outlets: Vec<String>,
    outlet_words: Vec<Vec<String>>,
}

/// (actor id, English names, demonyms, capital and seat-of-power names, foreign forms).
type Country = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// Countries: id, names (the first is the display name) and other names (demonyms, capitals,
/// seats of power), all in English.
const COUNTRIES: &[Country] = &[
    (
        "ukraine",
        &["Ukraine"],
        &["Ukrainian", "Ukrainians", "Kyiv", "Kiev"],
    ),
    (
        "russia",
        &["Russia", "Russian Federation"],
        &["Russian", "Russians", "Moscow", "Kremlin"],
    ),
    (
        "united_states",
        &[
            "United States",
            "United States of America",
            "US",
            "U.S.",
            "USA",
            "America",
        ],
        &[
            "American",
            "Americans",
            "Washington",
            "White House",
            "Pentagon",
        ],
    ),
    (
        "united_kingdom",
        &["United Kingdom", "Britain", "Great Britain", "UK", "U.K."],
        &["British", "London", "Downing Street"],
    ),
    (
        "france",
        &["France"],
        &["French", "Paris", "Élysée", "Elysee"],
    ),
    ("germany", &["Germany"], &["German", "Germans", "Berlin"]),
    ("italy", &["Italy"], &["Italian", "Rome"]),
    ("spain", &["Spain"], &["Spanish", "Madrid"]),
    ("poland", &["Poland"], &["Polish", "Warsaw"]),
    ("canada", &["Canada"], &["Canadian", "Ottawa"]),
    (
        "netherlands",
        &["Netherlands"],
        &["Dutch", "The Hague", "Amsterdam"],
    ),
    ("belgium", &["Belgium"], &["Belgian", "Brussels"]),
    ("sweden", &["Sweden"], &["Swedish", "Stockholm"]),
    ("norway", &["Norway"], &["Norwegian", "Oslo"]),
    ("finland", &["Finland"], &["Finnish", "Helsinki"]),
    ("denmark", &["Denmark"], &["Danish", "Copenhagen"]),
    ("estonia", &["Estonia"], &["Estonian", "Tallinn"]),
    ("latvia", &["Latvia"], &["Latvian", "Riga"]),
    ("lithuania", &["Lithuania"], &["Lithuanian", "Vilnius"]),
    ("romania", &["Romania"], &["Romanian", "Bucharest"]),
    ("moldova", &["Moldova"], &["Moldovan", "Chisinau"]),
    ("hungary", &["Hungary"], &["Hungarian", "Budapest"]),
    ("slovakia", &["Slovakia"], &["Slovak", "Bratislava"]),
    (
        "czechia",
        &["Czech Republic", "Czechia"],
        &["Czech", "Prague"],
    ),
    ("austria", &["Austria"], &["Austrian", "Vienna"]),
    (
        "switzerland",
        &["Switzerland"],
        &["Swiss", "Bern", "Geneva"],
    ),
    ("portugal", &["Portugal"], &["Portuguese", "Lisbon"]),
    ("ireland", &["Ireland"], &["Irish", "Dublin"]),
    ("greece", &["Greece"], &["Greek", "Athens"]),
    ("bulgaria", &["Bulgaria"], &["Bulgarian", "Sofia"]),
    ("croatia", &["Croatia"], &["Croatian", "Zagreb"]),
    ("slovenia", &["Slovenia"], &["Slovenian", "Ljubljana"]),
    ("serbia", &["Serbia"], &["Serbian", "Belgrade"]),
    ("luxembourg", &["Luxembourg"], &[]),
    ("iceland", &["Iceland"], &["Icelandic", "Reykjavik"]),
    ("albania", &["Albania"], &["Albanian", "Tirana"]),
    ("montenegro", &["Montenegro"], &[]),
    ("north_macedonia", &["North Macedonia"], &["Skopje"]),
    ("belarus", &["Belarus"], &["Belarusian", "Minsk"]),
    ("georgia", &["Georgia"], &["Georgian", "Tbilisi"]),
    ("armenia", &["Armenia"], &["Armenian", "Yerevan"]),
    ("azerbaijan", &["Azerbaijan"], &["Azerbaijani", "Baku"]),
    ("turkey", &["Turkey", "Türkiye"], &["Turkish", "Ankara"]),
    ("israel", &["Israel"], &["Israeli", "Jerusalem"]),
    ("iran", &["Iran"], &["Iranian", "Tehran"]),
    ("iraq", &["Iraq"], &["Iraqi", "Baghdad"]),
    ("syria", &["Syria"], &["Syrian", "Damascus"]),
    ("saudi_arabia", &["Saudi Arabia"], &["Saudi", "Riyadh"]),
    ("qatar", &["Qatar"], &["Qatari", "Doha"]),
    (
        "united_arab_emirates",
        &["United Arab Emirates", "UAE"],
        &["Emirati", "Abu Dhabi"],
    ),
    ("egypt", &["Egypt"], &["Egyptian", "Cairo"]),
    ("china", &["China"], &["Chinese", "Beijing"]),
    ("india", &["India"], &["Indian", "New Delhi"]),
    ("japan", &["Japan"], &["Japanese", "Tokyo"]),
    ("south_korea", &["South Korea"], &["South Korean", "Seoul"]),
    (
        "north_korea",
        &["North Korea"],
        &["North Korean", "Pyongyang"],
    ),
    ("taiwan", &["Taiwan"], &["Taiwanese", "Taipei"]),
    ("australia", &["Australia"], &["Australian", "Canberra"]),
    ("new_zealand", &["New Zealand"], &["Wellington"]),
    ("brazil", &["Brazil"], &["Brazilian", "Brasilia"]),
    ("mexico", &["Mexico"], &["Mexican"]),
    ("venezuela", &["Venezuela"], &["Venezuelan", "Caracas"]),
    ("south_africa", &["South Africa"], &["Pretoria"]),
    ("kazakhstan", &["Kazakhstan"], &["Kazakh", "Astana"]),
];

/// International organisations: id and names.
const ORGANISATIONS: &[(&str, &[&str])] = &[
    (
        "nato",
        &[
            "NATO",
            "Nato",
            "North Atlantic Treaty Organization",
            "Atlantic Alliance",
        ],
    ),
    (
        "eu",
        &["EU", "E.U.", "European Union", "European Commission"],
    ),
    ("un", &["UN", "U.N.", "United Nations", "Security Council"]),
    ("osce", &["OSCE"]),
    ("g7", &["G7", "Group of Seven"]),
    ("iaea", &["IAEA"]),
];

/// Foreign forms met in machine-translated or foreign text: (name, actor, language, whether it
/// names the country itself).
const FOREIGN: &[(&str, &str, &str, bool)] = &[
    ("Russie", "russia", "fr", true),
    ("Moscou", "russia", "fr", false),
    ("OTAN", "nato", "fr", false),
    ("UE", "eu", "fr", false),
    ("ONU", "un", "fr", false),
    ("États-Unis", "united_states", "fr", true),
    ("Etats-Unis", "united_states", "fr", true),
    ("Royaume-Uni", "united_kingdom", "fr", true),
    ("Allemagne", "germany", "fr", true),
    ("Londres", "united_kingdom", "fr", false),
    ("Varsovie", "poland", "fr", false),
    ("Inde", "india", "fr", true),
    ("Chine", "china", "fr", true),
    ("Pékin", "china", "fr", false),
    ("Turquie", "turkey", "fr", true),
    ("Biélorussie", "belarus", "fr", true),
    ("Pologne", "poland", "fr", true),
    ("Rusia", "russia", "es", true),
    ("Moscú", "russia", "es", false),
    ("Estados Unidos", "united_states", "es", true),
    ("Russland", "russia", "de", true),
    ("Moskau", "russia", "de", false),
    ("Vereinigte Staaten", "united_states", "de", true),
    ("Kiew", "ukraine", "de", false),
    ("Kreml", "russia", "de", false),
    ("Deutschland", "germany", "de", true),
    ("Frankreich", "france", "de", true),
    ("Türkei", "turkey", "de", true),
    ("Ucrania", "ukraine", "es", true),
    ("Alemania", "germany", "es", true),
    ("Turquía", "turkey", "es", true),
    ("Mosca", "russia", "it", false),
    ("Ucraina", "ukraine", "it", true),
    ("Cremlino", "russia", "it", false),
    ("Stati Uniti", "united_states", "it", true),
    ("Germania", "germany", "it", true),
    // Cyrillic, Russian, with the case forms most met in running text.
    ("Россия", "russia", "ru", true),
    ("России", "russia", "ru", true),
    ("Россией", "russia", "ru", true),
    ("Москва", "russia", "ru", false),
    ("Москвы", "russia", "ru", false),
    ("Москве", "russia", "ru", false),
    ("Кремль", "russia", "ru", false),
    ("Кремля", "russia", "ru", false),
    ("Украина", "ukraine", "ru", true),
    ("Украины", "ukraine", "ru", true),
    ("Украине", "ukraine", "ru", true),
    ("Киев", "ukraine", "ru", false),
    ("Киева", "ukraine", "ru", false),
    ("Киеве", "ukraine", "ru", false),
    ("НАТО", "nato", "ru", false),
    ("США", "united_states", "ru", true),
    ("Вашингтон", "united_states", "ru", false),
    ("Евросоюз", "eu", "ru", false),
    ("ЕС", "eu", "ru", false),
    ("Турция", "turkey", "ru", true),
    ("Стамбул", "turkey", "ru", false),
    // Ukrainian.
    ("Україна", "ukraine", "uk", true),
    ("України", "ukraine", "uk", true),
    ("Київ", "ukraine", "uk", false),
    ("Києва", "ukraine", "uk", false),
    ("Росія", "russia", "uk", true),
    ("Росії", "russia", "uk", true),
];

/// News agencies and outlets: when a sentence relays one, reports relaying the same one are not
/// independent of each other.
const OUTLETS: &[&str] = &[
    "AFP",
    "Agence France-Presse",
    "AP",
    "Associated Press",
    "Reuters",
    "Bloomberg",
    "TASS",
    "RIA Novosti",
    "Interfax",
    "Ukrinform",
    "UNIAN",
    "Xinhua",
    "Anadolu",
    "dpa",
    "EFE",
    "ANSA",
    "Kyiv Post",
    "Kyiv Independent",
    "Politico",
    "The Independent",
    "The Wall Street Journal",
    "Wall Street Journal",
    "The New York Times",
    "New York Times",
    "The Washington Post",
    "Washington Post",
    "BBC",
    "CNN",
    "Financial Times",
    "The Guardian",
    "Le Monde",
    "Axios",
    "Al Jazeera",
    "Meduza",
    "Der Spiegel",
    "Sky News",
    "NBC News",
    "CBS News",
    "ABC News",
    "Fox News",
    "The Economist",
    "The Telegraph",
    "Euronews",
    "Radio Free Europe",
    "Deutsche Welle",
    "France 24",
    "Le Figaro",
    "Kommersant",
    "Izvestia",
];

impl Aliases {
    /// The built-in list: countries with their demonyms, capitals and seats of power;
    /// international organisations; common foreign forms (`Moscou`, `Russie`, `OTAN`); and
    /// news agencies and outlets.
    pub fn builtin() -> Aliases {
        let mut a = Aliases::default();
        for (id, names, others) in COUNTRIES {
            for n in names.iter() {
                a.push(n, id, None, true);
            }
            for n in others.iter() {
                a.push(n, id, None, false);
            }
        }
        for (id, names) in ORGANISATIONS {
            for n in names.iter() {
                a.push(n, id, None, false);
            }
        }
        for (name, id, lang, country) in FOREIGN {
            a.push(name, id, Some(lang.to_string()), *country);
        }
        for o in OUTLETS {
            a.add_outlet(o);
        }
        a
    }

    fn push(&mut self, name: &str, actor: &str, language: Option<String>, country: bool) {
        self.words.push(words_of(name));
        self.entries.push(Alias {
            name: name.to_string(),
            actor: actor.to_string(),
            language,
            country,
        });
    }

    /// Adds a name for an actor; it takes precedence over earlier entries with the same name.
    pub fn add(&mut self, name: &str, actor: &str) {
        // A name the built-in list knows keeps what it knows of the name itself: its language
        // (a French form stays a sign of translation) and whether it names a country.
        let mut language = None;
        let mut country = false;
        while let Some(k) = self.entries.iter().position(|e| e.name == name) {
            let old = self.entries.remove(k);
            self.words.remove(k);
            language = language.or(old.language);
            country |= old.country;
        }
        self.push(name, actor, language, country);
    }

    /// Adds a news agency or outlet.
    pub fn add_outlet(&mut self, name: &str) {
        if !self.outlets.iter().any(|o| o == name) {
            self.outlets.push(name.to_string());
            self.outlet_words.push(words_of(name));
        }
    }

    /// Every alias, in precedence order (later first is not guaranteed: use [`Aliases::find`]).
    pub fn entries(&self) -> &[Alias] {
        &self.entries
    }

    /// The known news agencies and outlets.
    pub fn outlets(&self) -> &[String] {
        &self.outlets
    }

    /// The actor a phrase names as a whole (`"the Kremlin"` → `russia`), or the first actor
    /// mentioned in it.
    pub fn actor_in(&self, phrase: &str) -> Option<String> {
        let tokens = tokenize(phrase);
        self.find(&tokens).into_iter().next().map(|m| m.actor)
    }

    /// Every actor mention in a token sequence, longest match first at each position, in
    /// order. Hyphenated words are looked into (`Kyiv-held` mentions Ukraine) and possessives
    /// ignored (`Ukraine’s`).
    ///
    /// This tries every name at every token: it is the brute-force reference that defines the
    /// answers. Extraction and the conflicts analysis look actors up through an
    /// [`AliasIndex`](crate::alias_index::AliasIndex) built once per call, which answers the
    /// same in time that does not grow with the list, and the tests hold the two to each other.
    pub fn find(&self, tokens: &[Token<'_>]) -> Vec<ActorMention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if tokens[i].kind == TokenKind::Punct {
                i += 1;
                continue;
            }
            // An outlet's name is not its country's voice: "Kyiv Post", "Washington Post".
            if let Some(len) = longest(&self.outlet_words, tokens, i).map(|(_, n)| n) {
                i += len;
                continue;
            }
            if let Some((alias, len)) = self.longest_at(tokens, i) {
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

    fn exact(&self, word: &str) -> Option<&Alias> {
        self.entries
            .iter()
            .rev()
            .find(|e| names_equal(&e.name, word))
    }

    /// The longest alias starting at token `i`, with its length in tokens.
    fn longest_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(&Alias, usize)> {
        longest(&self.words, tokens, i).map(|(k, n)| (&self.entries[k], n))
    }

    /// The outlet named at token `i`, with its length in tokens: like [`Aliases::find`], the
    /// brute-force reference for [`AliasIndex::outlet_at`](crate::alias_index::AliasIndex::outlet_at).
    pub fn outlet_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(&str, usize)> {
        longest(&self.outlet_words, tokens, i).map(|(k, n)| (self.outlets[k].as_str(), n))
    }
}

fn words_of(name: &str) -> Vec<String> {
    tokenize(name).iter().map(|t| t.text.to_string()).collect()
}

/// The index and length of the longest name among `names` at token `i`; the latest added wins
/// a tie.
fn longest(names: &[Vec<String>], tokens: &[Token<'_>], i: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (k, parts) in names.iter().enumerate().rev() {
        let n = parts.len();
        if n == 0 || i + n > tokens.len() || best.is_some_and(|(_, l)| l >= n) {
            continue;
        }
        let matches = parts.iter().enumerate().all(|(j, p)| {
            let t = &tokens[i + j];
            let text = if j + 1 == n { t.base() } else { t.text };
            names_equal(p, text)
        });
        if matches {
            best = Some((k, n));
        }
    }
    best
}

/// Whether a name matches a word: exactly for names with a capital (proper names and
/// initialisms are case-sensitive: `US` is not `us`), else ignoring case and accents.
fn names_equal(name: &str, word: &str) -> bool {
    if name == word {
        return true;
    }
    let first = |s: &str| s.chars().next().map(|c| plain_lower(&c.to_string()));
    if name.len().abs_diff(word.len()) > 2 || first(name) != first(word) {
        return false;
    }
    let capital = name.chars().any(char::is_uppercase);
    if capital {
        // "Café" and "Cafe", "Élysée" and "Elysee" are the same name.
        word.chars().next().is_some_and(char::is_uppercase)
            && name.chars().filter(|c| c.is_uppercase()).count() <= 1
            && plain_lower(name) == plain_lower(word)
    } else {
        plain_lower(name) == plain_lower(word)
    }
}

/// The words of an alias's or an outlet's name as [`Aliases`] matches them, for the index of
/// the same names (`crate::alias_index`).
pub(crate) fn name_words(name: &str) -> Vec<String> {
    words_of(name)
}

/// Whether a name matches a word by the rule [`Aliases::find`] applies, for the index of the
/// same names (`crate::alias_index`), which narrows the names to try but decides by this rule.
pub(crate) fn name_matches(name: &str, word: &str) -> bool {
    names_equal(name, word)
}

/// The text of `len` tokens from `i`, re-spaced.
pub fn span_text(tokens: &[Token<'_>], i: usize, len: usize) -> String {
    let mut s = String::new();
    for (k, t) in tokens[i..i + len].iter().enumerate() {
        if k > 0 && t.kind != TokenKind::Punct {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actors(text: &str) -> Vec<String> {
        let a = Aliases::builtin();
        a.find(&tokenize(text))
            .into_iter()
            .map(|m| m.actor)
            .collect()
    }

    #[test]
    fn builtin_aliases() {
        assert_eq!(actors("Moscou and the Kremlin"), ["russia", "russia"]);
        assert_eq!(actors("OTAN ministers met in Kyiv"), ["nato", "ukraine"]);
        assert_eq!(
            actors("Киев, Москва, Россия и НАТО"),
            ["ukraine", "russia", "russia", "nato"]
        );
        assert_eq!(
            actors("Kiew und der Kreml; Mosca; Ucrania"),
            ["ukraine", "russia", "russia", "ukraine"]
        );
        assert_eq!(
            actors("the United States and Ukraine’s allies"),
            ["united_states", "ukraine"]
        );
        assert_eq!(
            actors("a Kyiv-held area; a US-brokered plan"),
            ["ukraine", "united_states"]
        );
        assert_eq!(actors("tell us more"), Vec::<String>::new());
    }

    #[test]
    fn user_aliases_take_precedence() {
        let mut a = Aliases::builtin();
        a.add("Zelensky", "ukraine");
        a.add("Kremlin", "kremlin");
        let found: Vec<String> = a
            .find(&tokenize("Zelensky and the Kremlin"))
            .into_iter()
            .map(|m| m.actor)
            .collect();
        assert_eq!(found, ["ukraine", "kremlin"]);
    }
}

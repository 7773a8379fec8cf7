//! Quantities with units in a sentence: money (`$800 billion`, `£2.5 billion`), percentages
//! (`20%`, `90 percent`), counts and durations (`28 people`, `15 countries`, `five hours`,
//! `20-point plan`), with the approximation or bound that qualifies them (`about`, `more than`).

use std::fmt;

use crate::text::{Token, TokenKind};

/// What a number counts or measures.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// An amount of money, by ISO currency code (`"USD"`).
    Money(String),
    /// A percentage.
    Percent,
    /// A count or duration of something, by its singular noun (`"person"`, `"country"`,
    /// `"hour"`, `"point"`); empty when the text names nothing.
    Count(String),
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Money(code) => f.write_str(code),
            Unit::Percent => f.write_str("%"),
            Unit::Count(noun) => f.write_str(noun),
        }
    }
}

/// How a quantity is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qualifier {
    /// As written, no qualifier.
    Exact,
    /// "about", "around", "roughly", "some", "nearly", "almost".
    About,
    /// "more than", "over", "at least": a lower bound.
    AtLeast,
    /// "less than", "fewer than", "up to", "under": an upper bound.
    AtMost,
}

impl Qualifier {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::About => "about",
            Qualifier::AtLeast => "at least",
            Qualifier::AtMost => "at most",
        }
    }
}

/// A number with its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value in whole units (800 billion dollars is `8e11`).
    pub value: f64,
    /// What it counts.
    pub unit: Unit,
    /// Its qualifier.
    pub qualifier: Qualifier,
    /// The words as written, e.g. `about $800 billion`.
    pub text: String,
    /// Index of the number's token in the sentence.
    pub token: usize,
    /// For a count of people: whether the nearest casualty word says they were killed or
    /// wounded ("34 people were killed", "a further 117 people were wounded").
    pub casualty: Option<Casualty>,
}

/// What happened to the people a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Casualty {
    /// Killed, dead, the death toll.
    Killed,
    /// Wounded, injured, hurt.
    Wounded,
    /// Taken to hospital: a part of the wounded, counted apart ("52 have been hospitalized"
    /// against "91 people have sought medical treatment" or "25 are injured").
    Hospitalised,
}

impl Casualty {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Casualty::Killed => "killed",
            Casualty::Wounded => "wounded",
            Casualty::Hospitalised => "hospitalized",
        }
    }
}

/// Nouns that count people, whose figures say whether they were killed or wounded.
const PERSON_NOUNS: &[&str] = &[
    "person",
    "child",
    "civilian",
    "soldier",
    "serviceman",
    "servicemen",
    "troop",
    "fighter",
    "resident",
    "victim",
    "officer",
    "man",
    "woman",
    "adult",
    "individual",
];

/// Participles that stand for persons after a bare number ("54 injured", "70 wounded").
const ELIDED_PERSON_WORDS: &[&str] = &[
    "injured",
    "wounded",
    "killed",
    "dead",
    "hurt",
    "hospitalised",
    "hospitalized",
    "missing",
];

/// Words of dying and of being wounded, for [`Quantity::casualty`].
const KILLED_WORDS: &[&str] = &[
    "killed", "killing", "kill", "kills", "dead", "died", "die", "deaths", "death", "toll",
    "lives", "bodies",
];
const WOUNDED_WORDS: &[&str] = &[
    "wounded",
    "wounding",
    "injured",
    "injuring",
    "injuries",
    "hurt",
    "hospitalised",
    "hospitalized",
];

impl Quantity {
    /// `800000000000 USD`, `28 person`, `20 %`.
    pub fn canonical(&self) -> String {
        format!("{} {}", format_value(self.value), self.unit)
    }

    /// The quantity in the unit figures are compared in: durations in minutes ("about two
    /// hours" is about 120 minute), counts of people with what happened to them (`person
    /// killed`, `child wounded`: the killed and the wounded are different figures).
    pub fn measure(&self) -> Quantity {
        let mut m = self.clone();
        if let Unit::Count(noun) = &self.unit {
            let (noun, factor) = match noun.as_str() {
                "hour" => ("minute".to_string(), 60.0),
                "minute" => ("minute".to_string(), 1.0),
                "week" => ("day".to_string(), 7.0),
                // "12 lives", "12 deaths", "100 injuries", "100 individuals": persons.
                "life" | "death" | "fatality" | "injury" | "individual" => {
                    ("person".to_string(), 1.0)
                }
                n => (n.to_string(), 1.0),
            };
            let casualty = match self.unit {
                Unit::Count(ref n) if matches!(n.as_str(), "life" | "death" | "fatality") => {
                    Some(Casualty::Killed)
                }
                Unit::Count(ref n) if n == "injury" => Some(Casualty::Wounded),
                _ => self.casualty,
            };
            let noun = match casualty {
                Some(c) => format!("{noun} {}", c.as_str()),
                None => noun,
            };
            m.value = self.value * factor;
            m.unit = Unit::Count(noun);
            m.casualty = casualty;
        }
        m
    }

    /// Whether two quantities of the same unit can be the same figure, given their qualifiers.
    pub fn compatible(&self, other: &Quantity) -> bool {
        let (a, b) = (self.value, other.value);
        let close = |tolerance: f64| (a - b).abs() <= tolerance * a.abs().max(b.abs());
        match (self.qualifier, other.qualifier) {
            (Qualifier::Exact, Qualifier::Exact) => a == b,
            (Qualifier::AtLeast, Qualifier::Exact) => b >= a,
            (Qualifier::Exact, Qualifier::AtLeast) => a >= b,
            (Qualifier::AtMost, Qualifier::Exact) => b <= a,
            (Qualifier::Exact, Qualifier::AtMost) => a <= b,
            (Qualifier::AtLeast, Qualifier::AtLeast) | (Qualifier::AtMost, Qualifier::AtMost) => {
                true
            }
            (Qualifier::AtLeast, Qualifier::AtMost) => a <= b,
            (Qualifier::AtMost, Qualifier::AtLeast) => b <= a,
            // "at least 16" and "some 50": about 50 may be more than 16.
            (Qualifier::AtLeast, Qualifier::About) => b * 1.1 >= a,
            (Qualifier::About, Qualifier::AtLeast) => a * 1.1 >= b,
            (Qualifier::AtMost, Qualifier::About) => b * 0.9 <= a,
            (Qualifier::About, Qualifier::AtMost) => a * 0.9 <= b,
            // "About" tolerates a tenth either way.
            _ => close(0.1),
        }
    }
}

/// A number without trailing zeros or exponent for ordinary sizes.
pub fn format_value(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e16 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

const SMALL: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];
const TENS: &[(&str, f64)] = &[
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
    ("dozens", 24.0),
];

/// The value of a spelled-out number word. "One" is not counted: it is far more often a
/// pronoun or an article ("one of his residences", "one senior adviser") than a count.
pub fn word_number(word: &str) -> Option<f64> {
    let w = word.to_lowercase();
    if let Some(k) = SMALL.iter().position(|s| *s == w) {
        return (k != 1).then_some(k as f64);
    }
    TENS.iter().find(|(s, _)| *s == w).map(|&(_, v)| v)
}

fn numeral(text: &str) -> Option<f64> {
    // "2½", "1¾": a whole number and a vulgar fraction.
    if let Some((whole, part)) = ['½', '¼', '¾']
        .iter()
        .find_map(|&f| text.strip_suffix(f).map(|w| (w, f)))
    {
        let part = match part {
            '½' => 0.5,
            '¼' => 0.25,
            _ => 0.75,
        };
        return if whole.is_empty() {
            Some(part)
        } else {
            numeral(whole).map(|w| w + part)
        };
    }
    let plain: String = text.chars().filter(|&c| c != ',').collect();
    plain.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// "4-1/2-hour", "4 1/2 hours": a whole number and a fraction written with a slash, starting
/// at token `i`. Returns the value, the unit glued to the denominator ("hour" of "2-hour") and
/// the denominator's token.
fn mixed_fraction<'t>(tokens: &[Token<'t>], i: usize) -> Option<(f64, Option<&'t str>, usize)> {
    let small = |text: &str| text.parse::<u32>().ok().filter(|n| (1..=9).contains(n));
    // The whole number and the numerator: one token "4-1", or two tokens "4" "1".
    let (whole, numerator, slash) = match tokens[i].text.split_once('-') {
        Some((w, n)) => (numeral(w)?, small(n)?, i + 1),
        None => {
            let next = tokens.get(i + 1).filter(|n| n.kind == TokenKind::Number)?;
            (numeral(tokens[i].text)?, small(next.text)?, i + 2)
        }
    };
    if !tokens.get(slash)?.is_punct('/') {
        return None;
    }
    let denominator_token = tokens
        .get(slash + 1)
        .filter(|d| d.kind == TokenKind::Number)?;
    let (denominator, unit) = match denominator_token.text.split_once('-') {
        Some((d, u)) => (small(d)?, Some(u)),
        None => (small(denominator_token.text)?, None),
    };
    if numerator >= denominator || !(2..=4).contains(&denominator) {
        return None;
    }
    Some((
        whole + f64::from(numerator) / f64::from(denominator),
        unit,
        slash + 1,
    ))
}

fn multiplier(word: &str) -> Option<f64> {
    match word.to_lowercase().trim_end_matches('.') {
        "dozen" => Some(12.0),
        "hundred" => Some(1e2),
        "thousand" | "k" => Some(1e3),
        "million" | "millions" | "mn" | "m" | "mln" => Some(1e6),
        "billion" | "billions" | "bn" | "b" | "bln" => Some(1e9),
        "trillion" | "trillions" | "tn" => Some(1e12),
        _ => None,
    }
}

fn currency_symbol(text: &str) -> Option<&'static str> {
    match text {
        "$" | "US$" => Some("USD"),
        "£" => Some("GBP"),
        "€" => Some("EUR"),
        "¥" => Some("JPY"),
        "₴" => Some("UAH"),
        "₽" => Some("RUB"),
        _ => None,
    }
}

fn currency_word(word: &str) -> Option<&'static str> {
    match word.to_lowercase().as_str() {
        "dollars" | "dollar" | "usd" => Some("USD"),
        "euros" | "euro" | "eur" => Some("EUR"),
        "pounds" | "pound" | "sterling" | "gbp" => Some("GBP"),
        "hryvnias" | "hryvnia" | "uah" => Some("UAH"),
        "roubles" | "rubles" | "rouble" | "ruble" | "rub" => Some("RUB"),
        _ => None,
    }
}

/// Adjectives that may stand between a number and its noun ("19 key points").
const BETWEEN: &[&str] = &[
    "key",
    "more",
    "additional",
    "other",
    "new",
    "senior",
    "major",
    "main",
    "separate",
    "further",
    "extra",
    "full",
    "different",
    "former",
    "young",
    "frozen",
    "fallen",
    "concrete",
    "similar",
    "specific",
    "large",
    "small",
    "serious",
];

/// Singular form of a plural noun, for units.
pub fn singular(noun: &str) -> String {
    let w = noun.to_lowercase();
    match w.as_str() {
        "people" => return "person".into(),
        "children" => return "child".into(),
        "men" => return "man".into(),
        "women" => return "woman".into(),
        "feet" => return "foot".into(),
        "series" | "species" | "news" | "troops" => {
            return if w == "troops" { "troop".into() } else { w };
        }
        "lives" => return "life".into(),
        "personnel" => return w,
        _ => {}
    }
    // "servicemen", "policemen": compounds of "men".
    if let Some(stem) = w.strip_suffix("men") {
        if stem.len() > 2 && !stem.ends_with('a') {
            return format!("{stem}man");
        }
    }
    if let Some(stem) = w.strip_suffix("ies") {
        if stem.len() > 1 {
            return format!("{stem}y");
        }
    }
    for suffix in ["ches", "shes", "sses", "xes"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        return w[..w.len() - 1].to_string();
    }
    w
}

fn is_noun_candidate(t: &Token<'_>) -> bool {
    t.kind == TokenKind::Word
        && t.text.chars().next().is_some_and(char::is_lowercase)
        && !crate::text::strip_possessive(t.text).contains('.')
        && !is_function_word(t.text)
}

/// Whether the figure of tokens `first..=last` is told as a part of a figure before it: "25
/// people were rescued, 11 of whom …", "of which 11 were pulled out", "90 drones, including
/// eight over the sea", "Of the 66 people hospitalized, five remained …".
pub(crate) fn part_cue(tokens: &[Token<'_>], first: usize, last: usize) -> bool {
    let of_the = tokens.first().is_some_and(|t| t.is("of"))
        && tokens.get(1).is_some_and(|t| t.is("the"))
        && first > 0
        && tokens[first - 1].is_punct(',');
    // A figure broken down by place: "injured 112 people: 62 in Dnipropetrovsk Oblast, 48 in
    // Kyiv", "28 fatalities — 11 in Dnipropetrovsk Oblast and 17 in Kyiv", or a figure that
    // follows one already placed ("47 injured in Kryvyi Rih, and 12 in the regional capital").
    let placed = |k: usize| tokens.get(k + 1).is_some_and(|n| n.is("in"));
    let figure = |t: &Token<'_>| t.kind == TokenKind::Number || word_number(t.text).is_some();
    let breakdown = placed(last)
        && (first.saturating_sub(BREAKDOWN_REACH)..first).any(|k| {
            tokens[k].is_punct(':')
                || tokens[k].is_punct('—')
                || tokens[k].is_punct('–')
                || figure(&tokens[k]) && (placed(k) || placed(k + 1))
        });
    of_the
        || breakdown
        || (first > 0 && tokens[first - 1].is("including"))
        || (first >= 2
            && tokens[first - 1].is_any(&["which", "whom"])
            && tokens[first - 2].is("of"))
        || (tokens.get(last + 1).is_some_and(|n| n.is("of"))
            && tokens
                .get(last + 2)
                .is_some_and(|n| n.is_any(&["whom", "which", "them"])))
}

/// How many tokens before a figure placed by "in" a colon, a dash or another placed figure
/// makes it a part of a breakdown ([`part_cue`]).
const BREAKDOWN_REACH: usize = 10;

/// "five remained in critical condition", "12 arrived": a past tense after a figure is its verb,
/// not what it counts (nouns in -ed are few and listed).
fn past_tense_verb(t: &Token<'_>) -> bool {
    const NOUNS: &[&str] = &[
        "hundred", "bed", "speed", "seed", "need", "shed", "feed", "creed",
    ];
    let w = t.text.to_lowercase();
    w.len() > 4 && w.ends_with("ed") && !NOUNS.contains(&w.as_str())
}

fn is_function_word(w: &str) -> bool {
    const F: &[&str] = &[
        "of", "in", "on", "at", "to", "for", "and", "or", "but", "the", "a", "an", "from", "by",
        "with", "as", "than", "that", "which", "who", "was", "were", "is", "are", "be", "been",
        "has", "have", "had", "ago", "since", "per", "percent", "cent", "this", "these", "those",
        "its", "their", "his", "her", "our", "after", "before", "during", "over", "into", "about",
        "among", "amid", "between", "against", "across", "within", "under", "via",
    ];
    F.contains(&w.to_lowercase().as_str())
}

/// Finds the quantities of a sentence. `skip` marks tokens already read as parts of dates
/// (days, years), which are not quantities.
pub fn quantities(tokens: &[Token<'_>], sentence: &str, skip: &[bool]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if skip.get(i).copied().unwrap_or(false) {
            i += 1;
            continue;
        }
        let t = &tokens[i];
        // A number: a numeral, or a spelled-out word.
        let fraction = if t.kind == TokenKind::Number {
            mixed_fraction(tokens, i)
        } else {
            None
        };
        // "24/7", "9/11", "5/17": numbers joined by a slash (a ratio, a name, a date) are not
        // counts of what follows. A mixed fraction ("4 1/2 hours") was read above.
        let slashed = |a: usize| {
            tokens.get(a).is_some_and(|a| a.kind == TokenKind::Number)
                && tokens.get(a + 1).is_some_and(|s| s.is_punct('/'))
                && tokens
                    .get(a + 2)
                    .is_some_and(|b| b.kind == TokenKind::Number)
        };
        if t.kind == TokenKind::Number
            && fraction.is_none()
            && (slashed(i) || (i >= 2 && slashed(i - 2)))
        {
            i += 1;
            continue;
        }
        let (mut value, compound_unit) = match (t.kind, fraction) {
            (TokenKind::Number, Some((v, unit, _))) => (v, unit),
            (TokenKind::Number, None) => {
                // "20-point", "two-hour" come as one token: split the number from its unit.
                let (num, rest) = match t.text.split_once('-') {
                    Some((n, r)) => (n, Some(r)),
                    None => (t.text, None),
                };
                match numeral(num) {
                    Some(v) => (v, rest),
                    None => {
                        i += 1;
                        continue;
                    }
                }
            }
            (TokenKind::Word, _) => {
                let (num, rest) = match t.text.split_once('-') {
                    Some((n, r)) => (n, Some(r)),
                    None => (t.text, None),
                };
                // "at least one person was killed": "one" before a noun of persons is a count.
                // "at least one concrete proposal", "only one missile": after a word of
                // measure, "one" before a noun is a count too.
                let measured = i > 0
                    && (tokens[i - 1].is_any(&["only", "just", "exactly"])
                        || i > 1 && tokens[i - 2].is("at") && tokens[i - 1].is("least"))
                    && tokens.get(i + 1).is_some_and(|n| {
                        n.kind == TokenKind::Word
                            && n.text.chars().next().is_some_and(char::is_lowercase)
                            && !n.is_any(&[
                                "of", "who", "that", "which", "in", "on", "at", "to", "is", "was",
                                "has", "had", "and", "or", "more", "another", "day", "time", "way",
                                "side",
                            ])
                    });
                // "six people, including a child": one person of the whole.
                let including_one = rest.is_none()
                    && t.is_any(&["a", "an"])
                    && i > 0
                    && tokens[i - 1].is("including")
                    && tokens
                        .get(i + 1)
                        .is_some_and(|n| n.is_any(PERSON_NOUNS) && !n.is("man"));
                let one = rest.is_none()
                    && t.is("one")
                    && (tokens
                        .get(i + 1)
                        .is_some_and(|n| n.is_any(PERSON_NOUNS) && !n.is("man"))
                        || difference_than(tokens, i)
                        || measured)
                    || including_one;
                // "Twenty-seven", "forty-one": a compound number, not a number and its unit.
                let compound = rest.and_then(|r| {
                    let tens =
                        word_number(num).filter(|t| (20.0..100.0).contains(t) && t % 10.0 == 0.0);
                    let (unit, after) = match r.split_once('-') {
                        Some((u, a)) => (u, Some(a)),
                        None => (r, None),
                    };
                    let ones = SMALL.iter().position(|s| s.eq_ignore_ascii_case(unit));
                    match (tens, ones) {
                        (Some(t), Some(o)) if (1..=9).contains(&o) => Some((t + o as f64, after)),
                        _ => None,
                    }
                });
                match compound {
                    Some((v, after)) => (v, after),
                    None => match word_number(num).or(one.then_some(1.0)) {
                        Some(v) => (v, rest),
                        None => {
                            i += 1;
                            continue;
                        }
                    },
                }
            }
            (TokenKind::Punct, _) => {
                i += 1;
                continue;
            }
        };
        // "several hundred meters", "a few dozen": no figure is given.
        if t.is_any(&["hundred", "dozen", "dozens"])
            && i > 0
            && tokens[i - 1].is_any(&["several", "few", "many"])
        {
            i += 1;
            continue;
        }
        // "four times as many prisoners", "three times more": a multiplier, not a count.
        if tokens.get(i + 1).is_some_and(|n| n.is("times"))
            && tokens.get(i + 2).is_some_and(|n| {
                n.is_any(&[
                    "as", "more", "fewer", "less", "larger", "smaller", "higher", "lower",
                    "greater", "bigger",
                ])
            })
        {
            i += 3;
            continue;
        }
        // "under 25 years old", "aged 18 to 60": ages, not durations.
        let age = tokens
            .get(i + 1)
            .is_some_and(|n| n.is_any(&["years", "year"]))
            && tokens.get(i + 2).is_some_and(|n| n.is("old"));
        if age {
            i += 3;
            continue;
        }
        // "3-year-old": an age, not a quantity. "5-6": a range (only in dates here). "The
        // 10-story hospital", "a two-storey wing": the height of a building, which qualifies it.
        if let Some(rest) = compound_unit {
            if rest.ends_with("-old")
                || rest.chars().next().is_some_and(|c| c.is_ascii_digit())
                || ["story", "storey", "stories", "storeys", "floor"]
                    .iter()
                    .any(|w| rest.eq_ignore_ascii_case(w))
            {
                i += 1;
                continue;
            }
        }
        // "1000-for-1000", "a 307-for-307 swap", "1,000 for 1,000": the format of an exchange,
        // not a count; the noun after it ("deal", "exchange") is not counted either.
        if compound_unit.is_some_and(|r| r.starts_with("for-")) {
            i += 1;
            continue;
        }
        if compound_unit.is_none()
            && tokens.get(i + 1).is_some_and(|n| n.is("for"))
            && tokens
                .get(i + 2)
                .is_some_and(|n| n.kind == t.kind && n.text.trim_end_matches('-') == t.text)
        {
            i += 3;
            continue;
        }
        // A time of day ("10:15 am", "13:30"), not a quantity.
        let clock = tokens.get(i + 1).is_some_and(|n| n.is_punct(':'))
            && tokens
                .get(i + 2)
                .is_some_and(|n| n.kind == TokenKind::Number)
            || i >= 2 && tokens[i - 1].is_punct(':') && tokens[i - 2].kind == TokenKind::Number;
        // "at 1 p.m.", "6 PM": a clock time without minutes.
        let clock = clock
            || tokens.get(i + 1).is_some_and(|n| {
                n.is_any(&["am", "pm", "a.m.", "p.m.", "a.m", "p.m"])
                    || matches!(n.text, "AM" | "PM")
                    // "1 p.m." may come as "p", ".", "m", ".".
                    || n.is_any(&["a", "p"])
                        && tokens.get(i + 2).is_some_and(|d| d.is_punct('.'))
                        && tokens.get(i + 3).is_some_and(|m| m.is("m"))
            });
        if clock && t.kind == TokenKind::Number {
            i += 1;
            while i < tokens.len()
                && (tokens[i].kind == TokenKind::Number
                    || tokens[i].is_punct(':')
                    || tokens[i].is_any(&["am", "pm", "a.m.", "p.m.", "a.m", "p.m"]))
            {
                i += 1;
            }
            continue;
        }
        // "the two sides", "both presidents", "all three countries": the parties already
        // named, not a count.
        // "the two warring sides": one adjective may stand before the noun.
        let referring = i > 0
            && tokens[i - 1].is_any(&["the", "these", "those", "both", "all"])
            && (tokens.get(i + 1).is_some_and(|n| n.is_any(REFERENCE_NOUNS))
                || tokens.get(i + 1).is_some_and(|n| {
                    is_noun_candidate(n) && singular(n.base()) == n.base().to_lowercase()
                }) && tokens.get(i + 2).is_some_and(|n| n.is_any(REFERENCE_NOUNS)));
        if referring && compound_unit.is_none() {
            i += 1;
            continue;
        }
        // Bare four-digit years are dates, read elsewhere; a number glued to a letter
        // ("G7") is a name.
        let mut first = i;
        let mut last = fraction.map_or(i, |(_, _, end)| end);
        let mut currency: Option<&str> = None;
        if i > 0 {
            if let Some(c) = currency_symbol(tokens[i - 1].text) {
                currency = Some(c);
                first = i - 1;
                // "US$": "US" then "$".
                if first > 0 && tokens[first - 1].text == "US" && tokens[first].text == "$" {
                    first -= 1;
                }
            }
        }
        // "two and a half hours".
        if compound_unit.is_none()
            && tokens.get(last + 1).is_some_and(|n| n.is("and"))
            && tokens.get(last + 2).is_some_and(|n| n.is("a"))
            && tokens.get(last + 3).is_some_and(|n| n.is("half"))
        {
            value += 0.5;
            last += 3;
        }
        // "two dozen", "three hundred", "two hundred thousand", "1.5 million".
        if compound_unit.is_none() {
            while let Some(m) = tokens.get(last + 1).and_then(|n| multiplier(n.text)) {
                value *= m;
                last += 1;
            }
        }
        let unit = if let Some(c) = currency {
            Unit::Money(c.to_string())
        } else if let Some(rest) = compound_unit {
            // "the four-year-long war": four years.
            Unit::Count(singular(rest.strip_suffix("-long").unwrap_or(rest)))
        } else if let Some(c) = tokens.get(last + 1).and_then(|n| currency_word(n.text)) {
            last += 1;
            Unit::Money(c.to_string())
        } else if tokens
            .get(last + 1)
            .is_some_and(|n| n.is_punct('%') || n.is("percent"))
        {
            last += 1;
            Unit::Percent
        } else if tokens.get(last + 1).is_some_and(|n| n.is("per"))
            && tokens.get(last + 2).is_some_and(|n| n.is("cent"))
        {
            last += 2;
            Unit::Percent
        } else {
            // Up to three words may stand between the number and its noun: "19 key points",
            // "more than 60 Ukrainian soldiers", "two Iskander-M tactical missiles".
            let mut j = last + 1;
            // "22 severely wounded Ukrainian soldiers", "30 injured civilians": an adverb and a
            // casualty participle qualify the noun after them, which is counted; the
            // participle stands for persons only when no noun follows ("70 injured").
            if let Some(h) = noun_after_participle(tokens, j) {
                j = h;
            }
            let mut skipped = 0;
            while skipped < 3
                && tokens.get(j).is_some_and(|n| between_number_and_noun(n))
                && tokens
                    .get(j + 1)
                    .is_some_and(|n| is_noun_candidate(n) || between_number_and_noun(n))
            {
                j += 1;
                skipped += 1;
            }
            // "two separate, but very similar statements": adjectives joined by a comma (and
            // "but", "and", an adverb of degree) before the noun.
            if tokens.get(j).is_some_and(between_number_and_noun)
                && tokens.get(j + 1).is_some_and(|n| n.is_punct(','))
            {
                let mut k = j + 2;
                while k < tokens.len().min(j + 6)
                    && (tokens[k].is_any(&["but", "and", "yet", "very", "equally", "largely"])
                        || between_number_and_noun(&tokens[k]))
                    && tokens.get(k + 1).is_some_and(|n| n.kind == TokenKind::Word)
                {
                    k += 1;
                }
                if k > j + 2
                    && between_number_and_noun(&tokens[k - 1])
                    && tokens.get(k).is_some_and(is_noun_candidate)
                    && !between_number_and_noun(&tokens[k])
                {
                    j = k;
                    skipped += 1;
                }
            }
            if skipped > 0 && !tokens.get(j).is_some_and(is_noun_candidate) {
                j = last + 1;
            }
            // "66 ballistic and cruise missiles": two adjectives joined by "and"/"or".
            if tokens.get(j).is_some_and(between_number_and_noun)
                && tokens.get(j + 1).is_some_and(|n| n.is_any(&["and", "or"]))
                && tokens.get(j + 2).is_some_and(is_noun_candidate)
                && tokens
                    .get(j + 3)
                    .is_some_and(|n| is_noun_candidate(n) && singular(n.base()) != n.base())
            {
                j += 3;
            }
            // "three online working groups", "2,736 Shahed kamikaze drones": up to three
            // modifiers (lower-case words, names) before a plural noun; the plural is counted.
            if value > 1.0 {
                let k = plural_head(tokens, j);
                if k > j {
                    j = k;
                }
            }
            // The whole counted before, not a part of it ("16 people, including six children,
            // and more than 50 others").
            let part = |q: &Quantity| {
                (q.token.saturating_sub(3)..q.token).any(|k| tokens[k].is("including"))
            };
            let earlier_count = out.iter().rev().find(|q| !part(q)).filter(|q: &&Quantity| {
                i - q.token <= 16 && matches!(&q.unit, Unit::Count(n) if !n.is_empty())
            });
            match tokens.get(j) {
                // "175 POWs", "40 IDPs": a plural abbreviation, kept as written.
                Some(n) if acronym_plural(n) => {
                    last = j;
                    Unit::Count(n.base()[..n.base().len() - 1].to_string())
                }
                // "48 plane-type UAVs", "12 long-range ATACMs": a hyphenated modifier before a
                // plural abbreviation, which is what is counted.
                Some(n)
                    if n.text.contains('-')
                        && is_noun_candidate(n)
                        && tokens.get(j + 1).is_some_and(acronym_plural) =>
                {
                    last = j + 1;
                    let m = tokens[j + 1].base();
                    Unit::Count(m[..m.len() - 1].to_string())
                }
                // "the 22 Ukrainians", "12 Georgians": a plural of a people's name counts them.
                Some(n) if demonym_plural(n) => {
                    last = j;
                    Unit::Count(n.base()[..n.base().len() - 1].to_string())
                }
                // "two people died and three others were injured": "others" are more of what
                // was just counted.
                Some(n) if n.is("others") && earlier_count.is_some() => {
                    last = j;
                    earlier_count.map_or(Unit::Count(String::new()), |q| q.unit.clone())
                }
                // "nine people dead and more than 70 injured": the noun is left out, and a
                // casualty participle stands for persons.
                Some(n) if n.is_any(ELIDED_PERSON_WORDS) => Unit::Count("person".to_string()),
                // "1,882 instances of shelling, including 812 involving heavy weaponry": a
                // participle after a figure above one is no noun (what is counted comes in the
                // plural).
                Some(n)
                    if is_noun_candidate(n)
                        && !n.is_any(&["more", "others", "more.", "fewer", "less"])
                        && !past_tense_verb(n)
                        && (value <= 1.0 || !n.base().ends_with("ing") || n.is("missing")) =>
                {
                    last = j;
                    // "150 attack drones", "46 apartment buildings": a noun before a plural
                    // noun qualifies it; the plural is what is counted.
                    let head = tokens.get(j + 1).filter(|m| {
                        value > 1.0
                            && is_noun_candidate(m)
                            && !m.is_any(ELIDED_PERSON_WORDS)
                            && !crate::attribution::is_attribution_verb(&m.text.to_lowercase())
                            && singular(n.base()) == n.base().to_lowercase()
                            && singular(m.base()) != m.base().to_lowercase()
                            && !n.base().ends_with("ed")
                            && !n.base().ends_with("ing")
                    });
                    if let Some(m) = head {
                        last = j + 1;
                        Unit::Count(singular(m.base()))
                    } else {
                        // "12 children-the youngest": a dash glued to the next word.
                        let word = n.base();
                        let word = match word.split_once('-') {
                            Some((a, b)) if is_function_word(b) => a,
                            _ => word,
                        };
                        Unit::Count(singular(word))
                    }
                }
                _ => Unit::Count(
                    copula_noun(tokens, last)
                        .or_else(|| difference_noun(tokens, last, sentence, skip))
                        .or_else(|| partitive_or_range_noun(tokens, last))
                        .filter(|_| first == 0 || !tokens[first - 1].is("aged"))
                        .or_else(|| number_of_before(tokens, i))
                        // A spelled-out number needs its noun: "put the toll at nine" may count
                        // the soldiers of the sentence before.
                        .or_else(|| {
                            ((t.kind == TokenKind::Number || toll_risen(tokens, i))
                                && toll_before(tokens, i))
                            .then(|| "person".to_string())
                        })
                        .or_else(|| casualty_count_after(tokens, last))
                        .unwrap_or_default(),
                ),
            }
        };
        if t.kind == TokenKind::Number
            && compound_unit.is_none()
            && currency.is_none()
            && unit != Unit::Percent
            && is_year(value)
            && t.text.len() == 4
        {
            i += 1;
            continue;
        }
        // "40 million cubic meters", "1,200 square kilometres": the unit keeps its modifier.
        let unit = match unit {
            Unit::Count(noun)
                if last > i + 1
                    && tokens[last - 1].is_any(&["cubic", "square"])
                    && is_length_unit(&noun) =>
            {
                Unit::Count(format!("{} {noun}", tokens[last - 1].text.to_lowercase()))
            }
            other => other,
        };
        // "17 articles, down from 22": a bare figure just after a word of comparison, close
        // after another figure, takes its unit.
        let compared =
            first > 0 && tokens[first - 1].is_any(&["from", "to", "than", "versus", "vs", "or"]);
        let unit = match unit {
            Unit::Count(ref noun) if noun.is_empty() && compared => out
                .last()
                .filter(|q: &&Quantity| {
                    i - q.token <= 8 && matches!(&q.unit, Unit::Count(n) if !n.is_empty())
                })
                .map_or(unit.clone(), |q| q.unit.clone()),
            other => other,
        };
        // A bare figure that is a part of a larger figure just before (the nearest, past the
        // other parts of a breakdown) counts what it counts.
        let part = part_cue(tokens, first, last);
        let unit = match unit {
            Unit::Count(ref noun) if noun.is_empty() && part => out
                .iter()
                .rev()
                .take_while(|q| i - q.token <= 12)
                .find(|q| q.value > value && matches!(&q.unit, Unit::Count(n) if !n.is_empty()))
                .map_or(unit.clone(), |q| q.unit.clone()),
            other => other,
        };
        // A number that counts nothing named is not a quantity: "two" alone, "the formula
        // 1000 for 1000", "at least 117 more".
        if unit == Unit::Count(String::new()) {
            i += 1;
            continue;
        }
        let (qualifier, qfirst) = qualifier_before(tokens, first);
        let start = tokens[qfirst].start;
        let end = tokens[last].end();
        out.push(Quantity {
            value,
            unit,
            qualifier,
            text: sentence[start..end].to_string(),
            token: i,
            casualty: None,
        });
        i = last + 1;
    }
    for k in 0..out.len() {
        let counts_people =
            matches!(&out[k].unit, Unit::Count(n) if PERSON_NOUNS.contains(&n.as_str()));
        if !counts_people {
            continue;
        }
        // "killing 16 people, including six children, and injuring 50": a part counted with
        // "including" shares what happened to the whole it is part of.
        let t = out[k].token;
        let part_of = (t.saturating_sub(3)..t).any(|j| tokens[j].is("including"));
        let whole = (part_of && k > 0).then(|| out[k - 1].casualty).flatten();
        // "the death toll … has risen to 13 with 60 wounded": the toll counts the dead,
        // whatever casualty word stands nearer.
        // Only the first figure after the phrase, with no other figure and no other "number
        // of" between: "The death toll stood at 12, while injuries rose to 40" (40 wounded).
        let figures_between = |j: usize| out.iter().any(|q| q.token > j && q.token < t);
        let number_of_between = |j: usize| {
            (j + 1..t.saturating_sub(1)).any(|n| tokens[n].is("number") && tokens[n + 1].is("of"))
        };
        let death_toll = (t.saturating_sub(TOLL_REACH)..t)
            .rfind(|&j| tokens[j].is("toll"))
            .is_some_and(|j| {
                j > 0 && tokens[j - 1].is("death") && !figures_between(j) && !number_of_between(j)
            })
            && toll_before(tokens, t);
        // "the number of killed … rose to 22": what the phrase names happened to them (the
        // nearest such phrase, with no figure between).
        let number_of = (t.saturating_sub(TOLL_REACH)..t.saturating_sub(2))
            .rfind(|&j| tokens[j].is("number") && tokens[j + 1].is("of"))
            .filter(|&j| !figures_between(j))
            .and_then(|j| casualty_word(&tokens[j + 2]))
            .filter(|_| {
                t > 0
                    && tokens[t - 1].is_any(&["to", "at", "reached", "hit", "was", "is"])
                    && number_of_before(tokens, t).is_some()
            });
        out[k].casualty = whole
            .or_else(|| death_toll.then_some(Casualty::Killed))
            .or(number_of)
            .or_else(|| casualty_predicate(tokens, t))
            .or_else(|| {
                (!other_state(tokens, t))
                    .then(|| casualty_near(tokens, t))
                    .flatten()
            });
    }
    out
}

/// Whether the number at `i` is a difference: "one fewer than", "two more than".
fn difference_than(tokens: &[Token<'_>], i: usize) -> bool {
    tokens
        .get(i + 1)
        .is_some_and(|n| n.is_any(&["fewer", "less", "more"]))
        && tokens.get(i + 2).is_some_and(|n| n.is("than"))
}

/// "one fewer than the 23 wounded POWs": a difference counts what the figure it is compared
/// with counts.
fn difference_noun(
    tokens: &[Token<'_>],
    last: usize,
    sentence: &str,
    skip: &[bool],
) -> Option<String> {
    if !difference_than(tokens, last) {
        return None;
    }
    let from = last + 3;
    let to = (from + 6).min(tokens.len());
    let rest = tokens.get(from..to)?;
    let first = quantities(rest, sentence, skip.get(from..).unwrap_or(&[]))
        .into_iter()
        .next()
        .filter(|q| q.token <= 2)?;
    match first.unit {
        Unit::Count(noun) if !noun.is_empty() => Some(noun),
        _ => None,
    }
}

/// After a casualty participle (and an adverb before it) at `j`, the index of the noun it
/// qualifies, when one follows: "severely wounded Ukrainian soldiers", "injured POWs".
fn noun_after_participle(tokens: &[Token<'_>], j: usize) -> Option<usize> {
    let mut k = j;
    let adverb = |n: &Token<'_>| {
        n.kind == TokenKind::Word
            && n.text.len() > 4
            && n.text.ends_with("ly")
            && n.text.chars().all(|c| c.is_ascii_lowercase())
    };
    if tokens.get(k).is_some_and(adverb) {
        k += 1;
    }
    if !tokens.get(k).is_some_and(|n| n.is_any(ELIDED_PERSON_WORDS)) {
        return None;
    }
    let h = plural_head(tokens, k + 1);
    let n = tokens.get(h)?;
    let plural = is_noun_candidate(n)
        && !n.is_any(ELIDED_PERSON_WORDS)
        && !crate::attribution::is_attribution_verb(&n.text.to_lowercase())
        && singular(n.base()) != n.base().to_lowercase();
    (plural || acronym_plural(n)).then_some(h)
}

/// "POWs", "IDPs": an abbreviation in capitals with a plural "s".
fn acronym_plural(t: &Token<'_>) -> bool {
    let w = t.base();
    t.kind == TokenKind::Word
        && w.len() >= 3
        && w.ends_with('s')
        && w[..w.len() - 1].chars().all(|c| c.is_ascii_uppercase())
}

/// "Ukrainians", "Georgians", "Americans": the plural of a people's name.
fn demonym_plural(t: &Token<'_>) -> bool {
    let w = t.base();
    t.is_capitalised()
        && w.len() >= 7
        && w.ends_with("ans")
        && w.chars().skip(1).all(|c| c.is_ascii_lowercase())
}

/// Units of length, which "cubic" and "square" make units of volume and area.
fn is_length_unit(noun: &str) -> bool {
    matches!(
        noun,
        "meter"
            | "metre"
            | "kilometer"
            | "kilometre"
            | "centimeter"
            | "centimetre"
            | "foot"
            | "mile"
            | "yard"
            | "inch"
            | "km"
            | "m"
    )
}

fn is_year(x: f64) -> bool {
    x == x.trunc() && (1900.0..=2100.0).contains(&x)
}

/// The index of the plural noun that heads the words from `j`: `j` itself when it is not a
/// modifier, else the first plural noun after up to three modifiers ("online working
/// groups", "Shahed kamikaze drones", "nine-story apartment blocks").
fn plural_head(tokens: &[Token<'_>], j: usize) -> usize {
    let plain = |n: &Token<'_>| {
        n.kind == TokenKind::Word
            && !is_function_word(n.text)
            && !crate::text::strip_possessive(n.text).contains('.')
            && !n.is_any(ELIDED_PERSON_WORDS)
            && !n.is_any(KILLED_WORDS)
            && !n.is_any(WOUNDED_WORDS)
            && !n.is_any(&["others", "more", "less", "fewer"])
            && !crate::attribution::is_attribution_verb(&n.text.to_lowercase())
    };
    let modifier = |n: &Token<'_>| plain(n) && singular(n.base()) == n.base().to_lowercase();
    let plural = |n: &Token<'_>| {
        plain(n) && is_noun_candidate(n) && singular(n.base()) != n.base().to_lowercase()
    };
    let mut k = j;
    while k < j + 3 && tokens.get(k).is_some_and(modifier) {
        k += 1;
    }
    if k > j && tokens.get(k).is_some_and(plural) {
        k
    } else {
        j
    }
}

/// The noun a bare figure counts when it is named after it: a part of a whole ("85 of the
/// meeting participants", "483 of the 524 detected threats") or the first end of a range ("24
/// to 48 hours", "between 10 and 20 people").
fn partitive_or_range_noun(tokens: &[Token<'_>], last: usize) -> Option<String> {
    let number = |k: usize| {
        tokens.get(k).is_some_and(|n| {
            n.kind == TokenKind::Number && numeral(n.text).is_some()
                || n.kind == TokenKind::Word && word_number(n.text).is_some()
        })
    };
    let noun_at = |k: usize| {
        let h = plural_head(tokens, k);
        tokens
            .get(h)
            .filter(|n| is_noun_candidate(n) && singular(n.base()) != n.base().to_lowercase())
            .filter(|n| !n.is_any(ELIDED_PERSON_WORDS) && !n.is_any(&["others", "more"]))
            .map(|n| singular(n.base()))
    };
    // "24- or 48-hour truces": a suspended hyphen takes the unit of the compound after it.
    let hyphen = tokens.get(last + 1).is_some_and(|n| n.text == "-");
    if hyphen
        && tokens
            .get(last + 2)
            .is_some_and(|n| n.is_any(&["or", "and", "to"]))
    {
        let (num, rest) = tokens.get(last + 3)?.text.split_once('-')?;
        return (numeral(num).or_else(|| word_number(num)).is_some()
            && rest.chars().all(char::is_alphabetic))
        .then(|| singular(rest));
    }
    let next = tokens.get(last + 1)?;
    if next.is("of")
        && tokens
            .get(last + 2)?
            .is_any(&["the", "its", "their", "those", "these"])
    {
        let k = if number(last + 3) { last + 4 } else { last + 3 };
        return noun_at(k);
    }
    if next.is_any(&["to", "and", "or"]) && number(last + 2) {
        return noun_at(last + 3);
    }
    None
}

/// The noun a part of a casualty count is said to be: "10 of them are children", "Fourteen of
/// the injured were children", "two of whom were soldiers" (the part's own noun, more
/// precise than the whole's).
fn copula_noun(tokens: &[Token<'_>], last: usize) -> Option<String> {
    if !tokens.get(last + 1)?.is("of") {
        return None;
    }
    let whole = tokens.get(last + 2)?;
    let copula = if whole.is_any(&["them", "whom"]) {
        last + 3
    } else if whole.is("the") && tokens.get(last + 3)?.is_any(ELIDED_PERSON_WORDS) {
        last + 4
    } else {
        return None;
    };
    if !tokens.get(copula)?.is_any(&["are", "were", "is", "was"]) {
        return None;
    }
    // "one of whom was a child": one, with its article.
    let article = tokens.get(copula + 1)?.is_any(&["a", "an"]);
    let n = tokens.get(copula + 1 + usize::from(article))?;
    (is_noun_candidate(n)
        && (article || singular(n.base()) != n.base().to_lowercase())
        && !n.is_any(ELIDED_PERSON_WORDS)
        && !n.is_any(&["others", "more"]))
    .then(|| singular(n.base()))
}

/// "the number of evacuees … to 150,000": the noun of a "number of" phrase before a bare
/// figure. A toll that "has risen to 18" may stand far from its "number of people killed".
fn number_of_before(tokens: &[Token<'_>], i: usize) -> Option<String> {
    let risen = i >= 2
        && tokens[i - 1].is("to")
        && tokens[i - 2].is_any(&["risen", "rose", "climbed", "increased", "reached"]);
    // "brought the number of … to more than 4,300": a bound between "to" and the figure.
    let to_bound = i >= 3
        && tokens[i - 1].is("than")
        && tokens[i - 2].is_any(&["more", "less", "fewer"])
        && tokens[i - 3].is("to");
    let window = i.saturating_sub(if risen {
        24
    } else if to_bound {
        16
    } else {
        12
    });
    // "the number of Ukrainian soldiers": modifiers before the noun are passed over.
    let number_of = (window..i.saturating_sub(1)).rev().find_map(|k| {
        if !(tokens[k].is("number") && tokens[k + 1].is("of")) {
            return None;
        }
        // "the number of killed … rose to 22", "the number of dead": persons (not "the number
        // of wounded soldiers evacuated", which counts soldiers).
        if tokens
            .get(k + 2)
            .is_some_and(|t| t.is_any(ELIDED_PERSON_WORDS))
            && !tokens.get(k + 3).is_some_and(|n| {
                is_noun_candidate(n) && singular(n.base()) != n.base().to_lowercase()
            })
        {
            return Some("person".to_string());
        }
        tokens
            .get(plural_head(tokens, k + 2))
            .filter(|t| is_noun_candidate(t))
            .map(|t| singular(t.base()))
    });
    number_of
}

/// How far before its figure "toll" may stand: "The death toll from a Russian missile strike on
/// a packed restaurant in the eastern city of X has risen to 12" (a toll that has risen reaches
/// further).
const TOLL_REACH: usize = 24;

/// "has risen to", "reached": a verb of growth before the figure at `i` (with "to", or "reached"
/// and "hit" alone).
fn toll_risen(tokens: &[Token<'_>], i: usize) -> bool {
    (i >= 2
        && tokens[i - 1].is("to")
        && tokens[i - 2].is_any(&["risen", "rose", "climbed", "increased", "reached", "jumped"]))
        || (i >= 1 && tokens[i - 1].is_any(&["reached", "hit"]))
}

/// "the death toll at 21", "the toll rose to 21": a bare figure that gives a toll.
fn toll_before(tokens: &[Token<'_>], i: usize) -> bool {
    let reach = if toll_risen(tokens, i) {
        TOLL_REACH
    } else {
        16
    };
    (i.saturating_sub(reach)..i).any(|k| tokens[k].is("toll"))
        && i > 0
        && tokens[i - 1].is_any(&["at", "to", "of", "is", "was", "reached", "hit"])
}

/// "a further 117 were wounded", "21 have died": a bare figure that is the subject of a
/// casualty verb counts people.
fn casualty_count_after(tokens: &[Token<'_>], last: usize) -> Option<String> {
    let mut k = last + 1;
    while tokens
        .get(k)
        .is_some_and(|t| t.is_any(&["were", "was", "have", "had", "been", "are", "reportedly"]))
    {
        k += 1;
    }
    (k > last + 1 || tokens.get(k).is_some_and(|t| t.is_any(&["died", "dead"])))
        .then_some(())
        .and_then(|_| tokens.get(k))
        .filter(|t| t.is_any(KILLED_WORDS) || t.is_any(WOUNDED_WORDS))
        .map(|_| "person".to_string())
}

/// The casualty verb whose subject the figure at `i` is, through a copula: "another 180 people
/// are injured", "34 civilians were killed". It is the figure's own, whatever casualty word
/// stands nearer before it ("about 41 dead, another 180 people are injured").
fn casualty_predicate(tokens: &[Token<'_>], i: usize) -> Option<Casualty> {
    predicate(tokens, i).and_then(casualty_word)
}

/// Whether the figure at `i` is the subject of a state that is neither death nor a wound ("39
/// people were still missing", "eight were rescued") or is followed by one ("50 dead, more than
/// 235 wounded and 15 missing", "15 people missing"): no casualty word nearby then says what
/// happened to them.
fn other_state(tokens: &[Token<'_>], i: usize) -> bool {
    const STATES: &[&str] = &[
        "missing",
        "rescued",
        "evacuated",
        "unaccounted",
        "detained",
        "captured",
        "released",
        "freed",
        "returned",
        "saved",
    ];
    let state = |k: usize| tokens.get(k).is_some_and(|t| t.is_any(STATES));
    let noun = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            t.kind == TokenKind::Word && !t.is_any(KILLED_WORDS) && !t.is_any(WOUNDED_WORDS)
        })
    };
    predicate(tokens, i).is_some_and(|t| t.is_any(STATES))
        || state(i + 1)
        || (noun(i + 1) && state(i + 2))
}

/// The word after the copula whose subject the figure at `i` is ("34 civilians were killed",
/// "39 people were still missing"), if any.
fn predicate<'t, 's>(tokens: &'t [Token<'s>], i: usize) -> Option<&'t Token<'s>> {
    const COPULA: &[&str] = &["were", "was", "are", "is", "have", "has", "had", "been"];
    let mut k = i + 1;
    // The noun and the words that qualify it ("people", "Ukrainian soldiers").
    while k <= i + 3
        && tokens.get(k).is_some_and(|t| {
            t.kind == TokenKind::Word
                && !t.is_any(COPULA)
                && !t.is_any(KILLED_WORDS)
                && !t.is_any(WOUNDED_WORDS)
        })
    {
        k += 1;
    }
    // "At least 20 people, including three children, have been killed": the part set between
    // commas is passed over.
    if tokens.get(k).is_some_and(|t| t.is_punct(','))
        && tokens.get(k + 1).is_some_and(|t| t.is("including"))
    {
        if let Some(close) = (k + 2..tokens.len().min(k + 10)).find(|&j| tokens[j].is_punct(',')) {
            k = close + 1;
        }
    }
    let copula = k;
    while tokens.get(k).is_some_and(|t| {
        t.is_any(COPULA)
            || t.is_any(&[
                "reportedly",
                "still",
                "also",
                "now",
                "currently",
                "considered",
                "listed",
                "believed",
            ])
    }) {
        k += 1;
    }
    if k == copula {
        return None;
    }
    tokens.get(k)
}

/// What a casualty word says happened: killed, wounded, or taken to hospital.
fn casualty_word(t: &Token<'_>) -> Option<Casualty> {
    if t.is_any(KILLED_WORDS) {
        Some(Casualty::Killed)
    } else if t.is_any(&["hospitalised", "hospitalized"]) {
        Some(Casualty::Hospitalised)
    } else if t.is_any(WOUNDED_WORDS) {
        Some(Casualty::Wounded)
    } else {
        None
    }
}

/// The casualty word nearest to token `i` within its clause (up to eight words either way, not
/// past a semicolon).
///
/// After "and" or a comma ("two people were killed and seven more injured"), a casualty word
/// within the next four words is the figure's own: the word before the conjunction is the
/// previous figure's.
fn casualty_near(tokens: &[Token<'_>], i: usize) -> Option<Casualty> {
    let joined = i > 0 && (tokens[i - 1].is("and") || tokens[i - 1].is_punct(','));
    if joined {
        let ahead = (i + 1..tokens.len().min(i + 5))
            .take_while(|&k| tokens[k].kind != TokenKind::Punct)
            .find_map(|k| casualty_word(&tokens[k]));
        if ahead.is_some() {
            return ahead;
        }
    }
    nearest_in_clause(tokens, i, casualty_word)
}

/// The first answer of `f` on the words nearest to token `i`, up to eight either way, not past a
/// semicolon (the earlier word first at equal distance).
pub(crate) fn nearest_in_clause<T>(
    tokens: &[Token<'_>],
    i: usize,
    f: impl Fn(&Token<'_>) -> Option<T>,
) -> Option<T> {
    for d in 1..=8 {
        for k in [i.checked_sub(d), Some(i + d)].into_iter().flatten() {
            let Some(t) = tokens.get(k) else { continue };
            let blocked = if k < i { k..i } else { i..k };
            if blocked.clone().any(|b| tokens[b].is_punct(';')) {
                continue;
            }
            if let Some(c) = f(t) {
                return Some(c);
            }
        }
    }
    None
}

/// Words that may stand between a number and its noun: listed adjectives ("key", "senior"),
/// adjectives by their ending ("ballistic", "tactical"), names used as adjectives ("Ukrainian",
/// "Iskander-M").
fn between_number_and_noun(t: &Token<'_>) -> bool {
    if t.kind != TokenKind::Word || is_function_word(t.text) {
        return false;
    }
    if t.is_any(BETWEEN) {
        return true;
    }
    let w = t.text.to_lowercase();
    if t.is_capitalised() {
        return w.contains('-') || w.len() > 4 && crate::attribution::adjective_like(t);
    }
    ["ic", "ical", "al", "ary", "ive", "ful", "ed"]
        .iter()
        .any(|e| w.ends_with(e) && w.len() > 4)
        && !crate::attribution::is_attribution_verb(&w)
        && !t.is_any(KILLED_WORDS)
        && !t.is_any(WOUNDED_WORDS)
}

/// Nouns that, after "the two" or "both", name parties already mentioned.
const REFERENCE_NOUNS: &[&str] = &[
    "sides",
    "side",
    "nations",
    "countries",
    "presidents",
    "leaders",
    "delegations",
    "parties",
    "men",
    "women",
    "governments",
    "capitals",
    "neighbours",
    "neighbors",
    "sessions",
];

fn qualifier_before(tokens: &[Token<'_>], first: usize) -> (Qualifier, usize) {
    let word = |k: usize| tokens.get(k).map(|t| t.text.to_lowercase());
    // "no fewer than 1,000", "no more than 20": the negation turns the bound round.
    if first >= 3 && word(first - 1).as_deref() == Some("than") {
        let negated = matches!(word(first - 3).as_deref(), Some("no" | "not"));
        match word(first - 2).as_deref() {
            Some("fewer" | "less") if negated => return (Qualifier::AtLeast, first - 3),
            Some("more") if negated => return (Qualifier::AtMost, first - 3),
            _ => {}
        }
    }
    if first >= 2 {
        let pair = format!(
            "{} {}",
            word(first - 2).unwrap_or_default(),
            word(first - 1).unwrap_or_default()
        );
        match pair.as_str() {
            "more than" | "at least" | "upwards of" => return (Qualifier::AtLeast, first - 2),
            "less than" | "fewer than" | "up to" | "no more" => {
                return (Qualifier::AtMost, first - 2)
            }
            _ => {}
        }
    }
    if first >= 1 {
        match word(first - 1).unwrap_or_default().as_str() {
            "about" | "around" | "roughly" | "approximately" | "nearly" | "almost" | "some"
            | "circa" | "estimated" | "approx." => return (Qualifier::About, first - 1),
            // "handed over 205 prisoners", "took over 30 towns": a verb's particle, not a
            // bound.
            "over"
                if first >= 2
                    && word(first - 2).is_some_and(|w| {
                        [
                            "hand", "handed", "hands", "handing", "turn", "turned", "turns",
                            "turning", "take", "took", "taken", "takes", "taking", "pass",
                            "passed", "passes", "passing", "sign", "signed", "signs",
                        ]
                        .contains(&w.as_str())
                    }) => {}
            "over" | "above" | "exceeding" => return (Qualifier::AtLeast, first - 1),
            "under" | "below" => return (Qualifier::AtMost, first - 1),
            _ => {}
        }
    }
    (Qualifier::Exact, first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    /// The figures of `text` as measured (durations in minutes, casualties with their kind).
    fn measured(text: &str) -> Vec<String> {
        quantities(&tokenize(text), text, &[])
            .iter()
            .map(|q| q.measure().canonical())
            .collect()
    }

    fn q(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        quantities(&tokens, text, &[])
            .iter()
            .map(|q| format!("{} [{}]", q.canonical(), q.qualifier.as_str()))
            .collect()
    }

    #[test]
    fn a_part_said_to_be_children_counts_children() {
        assert_eq!(
            q("Another 30 were injured, 10 of them are children."),
            ["30 person [exact]", "10 child [exact]"]
        );
        assert_eq!(
            q("Fourteen of the injured were children."),
            ["14 child [exact]"]
        );
        assert_eq!(
            q("Nine were wounded, two of whom were soldiers."),
            ["9 person [exact]", "2 soldier [exact]"]
        );
        // A part of a whole that is a noun keeps the whole's noun.
        assert_eq!(
            q("85 of the meeting participants voted."),
            ["85 participant [exact]"]
        );
    }

    #[test]
    fn compound_numbers_halves_and_long_spans() {
        assert_eq!(
            q("Twenty-seven people have now been killed."),
            ["27 person [exact]"]
        );
        assert_eq!(
            q("the attack lasted nearly two and a half hours"),
            ["2.5 hour [about]"]
        );
        assert_eq!(
            q("ending the nearly four-year-long war"),
            ["4 year [about]"]
        );
        assert_eq!(q("a forty-one-day siege"), ["41 day [exact]"]);
    }

    #[test]
    fn a_figure_after_and_takes_the_casualty_word_after_it() {
        let text = "two people were killed and seven more injured";
        let e: Vec<String> = quantities(&tokenize(text), text, &[])
            .iter()
            .map(|q| q.measure().unit.to_string())
            .collect();
        assert_eq!(e, ["person killed", "person wounded"]);
    }

    #[test]
    fn over_after_a_verb_of_handing_is_its_particle() {
        assert_eq!(
            q("Russia handed over 205 prisoners"),
            ["205 prisoner [exact]"]
        );
        assert_eq!(
            q("over 205 prisoners were freed"),
            ["205 prisoner [at least]"]
        );
    }

    #[test]
    fn mixed_fractions_are_one_number() {
        assert_eq!(q("During the 4-1/2-hour meeting"), ["4.5 hour [exact]"]);
        assert_eq!(q("the talks lasted 4 1/2 hours"), ["4.5 hour [exact]"]);
        assert_eq!(q("shut down suddenly after 2½ hours"), ["2.5 hour [exact]"]);
        // A ratio or a date-like pair is not a fraction of a whole number.
        assert_eq!(q("a 24/7 watch"), Vec::<String>::new());
        assert_eq!(q("since 9/11, 40 people"), ["40 person [exact]"]);
        assert_eq!(q("1/2 of the 30 villages"), ["30 village [exact]"]);
    }

    #[test]
    fn money_percent_counts() {
        assert_eq!(
            q("a package worth about $800 billion, a $200 billion booster and £2.5 billion"),
            [
                "800000000000 USD [about]",
                "200000000000 USD [exact]",
                "2500000000 GBP [exact]"
            ]
        );
        assert_eq!(
            q("around 20% or roughly 20 percent"),
            ["20 % [about]", "20 % [about]"]
        );
        assert_eq!(
            q("28 people, including two children, and more than 30 countries"),
            [
                "28 person [exact]",
                "2 child [exact]",
                "30 country [at least]"
            ]
        );
        assert_eq!(
            q("narrows the agenda to 19 key points"),
            ["19 point [exact]"]
        );
        assert_eq!(
            q("a 20-point plan after a two-hour call"),
            ["20 point [exact]", "2 hour [exact]"]
        );
        assert_eq!(
            q("the number of evacuees since then to 150,000."),
            ["150000 evacuee [exact]"]
        );
        assert_eq!(
            q("17 articles, down from 22 in March"),
            ["17 article [exact]", "22 article [exact]"]
        );
    }

    /// A number before "dozen" or "hundred" is multiplied, as before "million"; "a dozen" alone
    /// keeps its value.
    #[test]
    fn participles_abbreviations_peoples_differences_and_units_of_volume() {
        assert_eq!(
            q("the navy freed 14 badly wounded Georgian sailors and 30 injured civilians"),
            ["14 sailor [exact]", "30 civilian [exact]"]
        );
        assert_eq!(
            q("nine people dead and 70 injured"),
            ["9 person [exact]", "70 person [exact]"]
        );
        assert_eq!(q("each side returned 40 POWs"), ["40 POW [exact]"]);
        assert_eq!(
            q("the 12 Georgians were flown home"),
            ["12 Georgian [exact]"]
        );
        assert_eq!(
            q("two fewer than the 30 tanks promised"),
            ["2 tank [exact]", "30 tank [exact]"]
        );
        assert_eq!(
            q("a reservoir of 3.5 million cubic metres and 1,200 square kilometers of forest"),
            [
                "3500000 cubic metre [exact]",
                "1200 square kilometer [exact]"
            ]
        );
        assert!(q("a depot several hundred meters from the border").is_empty());
        assert!(q("the two warring parties met").is_empty());
        assert_eq!(
            q("raised the number of Georgian sailors held abroad since the war to more than 1,200"),
            ["1200 sailor [at least]"]
        );
    }

    #[test]
    fn dozens_and_hundreds_multiply() {
        assert_eq!(
            q("two dozen people were wounded and three hundred drones launched"),
            ["24 person [exact]", "300 drone [exact]"]
        );
        assert_eq!(
            q("two hundred thousand residents and 1.5 million people"),
            ["200000 resident [exact]", "1500000 person [exact]"]
        );
        assert_eq!(q("a dozen drones"), ["12 drone [exact]"]);
    }

    #[test]
    fn hyphenated_modifier_before_a_plural_abbreviation() {
        assert_eq!(
            q("the army fired 12 long-range ATACMs, including two at the airfield"),
            ["12 ATACM [exact]", "2 ATACM [exact]"]
        );
        assert_eq!(q("it deployed 30 plane-type drones"), ["30 drone [exact]"]);
    }

    /// A bare figure that is a part of the figure before it counts what that one counts.
    #[test]
    fn parts_of_the_figure_before() {
        assert_eq!(
            q("Of the 40 patients admitted, six remained in intensive care."),
            ["40 patient [exact]", "6 patient [exact]"]
        );
        // A past tense or a preposition after a figure is not what it counts.
        assert!(q("At dawn, 12 arrived at the port.").is_empty());
        assert!(q("The 12 among them stayed.").is_empty());
        // A part said to be something else counts that ("12 of whom were children": children,
        // as the news sets' labels count them).
        assert_eq!(
            q("Medics treated 40 patients, 12 of whom were children."),
            ["40 patient [exact]", "12 child [exact]"]
        );
        assert_eq!(
            q("The navy intercepted 30 missiles, including nine over the bay."),
            ["30 missile [exact]", "9 missile [exact]"]
        );
        assert_eq!(
            q("Crews evacuated 60 residents, of which 14 were taken to hospital."),
            ["60 resident [exact]", "14 resident [exact]"]
        );
        // Not a part: a larger figure, or one far from the first.
        assert_eq!(q("40 patients, including 50 more"), ["40 patient [exact]"]);
        // A figure broken down by place.
        assert_eq!(
            q("The attack also injured 112 people: 62 in Dnipropetrovsk Oblast, 48 in Kyiv, and 2 in Kyiv Oblast."),
            ["112 person [exact]", "62 person [exact]", "48 person [exact]", "2 person [exact]"]
        );
        assert_eq!(
            q("28 fatalities occurred from the assault — 11 in Dnipropetrovsk Oblast and 17 in Kyiv."),
            ["28 fatality [exact]", "11 fatality [exact]", "17 fatality [exact]"]
        );
        assert_eq!(
            q("there were 47 injured in Kryvyi Rih, and 12 in the regional capital"),
            ["47 person [exact]", "12 person [exact]"]
        );
        // Not a breakdown: a figure placed with nothing before it that breaks a figure down.
        assert!(q("Officials said 12 in the city had left.").is_empty());
    }

    /// "The number of killed rose to 22": the persons killed.
    #[test]
    fn the_number_of_killed_counts_persons() {
        assert_eq!(
            measured("The number of killed in the shelling of the town rose to 22 on Monday."),
            ["22 person killed"]
        );
        assert_eq!(
            measured("The number of injured has risen to 40."),
            ["40 person wounded"]
        );
        // Another figure after it keeps its own casualty.
        assert_eq!(
            measured("The ministry put the number of deaths at 12, with 30 injured."),
            ["12 person killed", "30 person wounded"]
        );
        assert_eq!(
            measured("The number of dead rose to 22 and the number of injured rose to 40."),
            ["22 person killed", "40 person wounded"]
        );
        assert_eq!(
            measured("The death toll stood at 12, while injuries rose to 40."),
            ["12 person killed", "40 person wounded"]
        );
        // With a noun after the casualty word, what is counted is not the persons wounded.
        let evacuated =
            measured("The number of wounded soldiers evacuated to the capital rose to 300.");
        assert!(
            !evacuated.contains(&"300 person wounded".to_string()),
            "{evacuated:?}"
        );
    }

    /// People missing or rescued are not the dead or wounded of a casualty word nearby.
    #[test]
    fn the_missing_and_the_rescued_are_not_casualties() {
        assert_eq!(
            measured("Four bodies were found, while 12 people were still missing."),
            ["4 body", "12 person"]
        );
        assert_eq!(
            measured("Seven people were rescued near the wounded driver."),
            ["7 person"]
        );
        assert_eq!(
            measured("The identification of bodies goes on, and three people are currently considered missing."),
            ["3 person"]
        );
        assert_eq!(
            measured(
                "The governor updated the toll to 50 dead, more than 235 wounded and 15 missing."
            ),
            ["50 person killed", "235 person wounded", "15 person"]
        );
        assert_eq!(
            measured("Two people were killed, and 15 people missing after the blast."),
            ["2 person killed", "15 person"]
        );
    }

    /// A death toll counts the dead, however far its figure stands from "toll" and whatever
    /// casualty word is nearer; a part set between commas does not hide the whole's verb.
    #[test]
    fn death_tolls_and_parts_between_commas() {
        assert_eq!(
            measured(
                "The death toll from an overnight drone attack on the port area of a southern \
                 city in the west of the country has climbed to seven, the mayor said."
            ),
            ["7 person killed"]
        );
        assert_eq!(
            measured("The regional death toll now stands at 9 with 31 wounded."),
            ["9 person killed", "31 person wounded"]
        );
        assert_eq!(
            measured("At least 14 people, including two teenagers, have been killed in the town."),
            ["14 person killed", "2 teenager"]
        );
    }

    #[test]
    fn words_between_number_and_noun_and_casualties() {
        assert_eq!(
            q("According to Moscow, more than 60 Ukrainian soldiers were killed."),
            ["60 soldier [at least]"]
        );
        let text = "more than 60 Ukrainian soldiers were killed";
        let soldiers = quantities(&tokenize(text), text, &[]);
        assert_eq!(soldiers[0].measure().canonical(), "60 soldier killed");
        // The figure's own verb, not the casualty word nearer before it.
        let text = "Now it is known about 41 dead, another 180 people are injured.";
        let found = quantities(&tokenize(text), text, &[]);
        let canonical: Vec<String> = found.iter().map(|q| q.measure().canonical()).collect();
        assert_eq!(canonical, ["41 person killed", "180 person wounded"]);
        assert_eq!(
            q("its forces launched two Iskander-M tactical missiles and two ballistic missiles"),
            ["2 missile [exact]", "2 missile [exact]"]
        );
        assert_eq!(
            q("confirmed the death toll at 21, and a further 117 were wounded"),
            ["21 person [exact]", "117 person [exact]"]
        );
        let text = "at least 34 people were killed, including two children, and a further 117 people were wounded, including 15 children";
        let tokens = tokenize(text);
        let found = quantities(&tokens, text, &[]);
        let casualties: Vec<_> = found.iter().map(|q| q.casualty).collect();
        use Casualty::*;
        assert_eq!(
            casualties,
            [Some(Killed), Some(Killed), Some(Wounded), Some(Wounded)]
        );
        assert_eq!(found[0].measure().canonical(), "34 person killed");
        assert_eq!(found[3].measure().canonical(), "15 child wounded");
        let text =
            "killing at least 16 people, including six children, and injuring more than 50 others";
        let found = quantities(&tokenize(text), text, &[]);
        assert_eq!(found[1].measure().canonical(), "6 child killed");
    }

    #[test]
    fn durations_are_measured_in_minutes() {
        let tokens = tokenize("the talks lasted about two hours, not 90 minutes");
        let found = quantities(
            &tokens,
            "the talks lasted about two hours, not 90 minutes",
            &[],
        );
        let m: Vec<String> = found.iter().map(|q| q.measure().canonical()).collect();
        assert_eq!(m, ["120 minute", "90 minute"]);
        assert!(!found[0].measure().compatible(&found[1].measure()));
    }

    #[test]
    fn not_quantities() {
        assert!(
            q("The two ballistic missiles hit around 10:15 am and 13:30 p.m.")
                .iter()
                .all(|x| x.starts_with("2 missile"))
        );
        assert!(q("the two sides and both presidents; the formula 1000 for 1000").is_empty());
        assert!(q("killed 34 civilians and injured at least 117 more").len() == 1);
        assert!(q("a three-year-old child and a 3-year-old").is_empty());
        assert!(q("since 1945, in 2022").is_empty());
        assert!(q("one of his residences; one senior adviser").is_empty());
        assert!(q("there were two.").is_empty());
    }

    #[test]
    fn compatibility() {
        let make = |value, qualifier| Quantity {
            value,
            unit: Unit::Count("person".into()),
            qualifier,
            text: String::new(),
            token: 0,
            casualty: None,
        };
        assert!(!make(27.0, Qualifier::Exact).compatible(&make(28.0, Qualifier::Exact)));
        assert!(make(30.0, Qualifier::AtLeast).compatible(&make(31.0, Qualifier::Exact)));
        assert!(make(20.0, Qualifier::About).compatible(&make(21.0, Qualifier::Exact)));
    }

    /// Issue 17: the forms the second news development set showed.
    #[test]
    fn exchange_formats_elided_nouns_and_compound_nouns() {
        assert!(q("the 1000 for 1000 deal and a 307-for-307 swap").is_empty());
        assert!(q("in the 1,000-for-1,000 format, 1,000 for 1,000").is_empty());
        assert_eq!(
            q("303 Russian servicemen and 12 lives"),
            ["303 serviceman [exact]", "12 life [exact]"]
        );
        assert_eq!(
            q("two people were killed and 54 injured"),
            ["2 person [exact]", "54 person [exact]"]
        );
        assert_eq!(
            q("Russia launched 66 ballistic and cruise missiles and about 150 attack drones"),
            ["66 missile [exact]", "150 drone [about]"]
        );
        assert_eq!(
            q("the death toll had risen to nine, with 63 people injured"),
            ["9 person [exact]", "63 person [exact]"]
        );
        assert_eq!(
            q("The death toll from the strike on Kyiv on the night of the attack has risen to 13."),
            ["13 person [exact]"]
        );
        assert_eq!(
            q("including at least 12 children-the youngest"),
            ["12 child [at least]"]
        );
    }

    /// Issue 17: ages are not durations; participles stand between a number and its noun.
    #[test]
    fn ages_and_participle_adjectives() {
        assert_eq!(
            q("young soldiers (under 25 years old), no fewer than 1,000 people"),
            ["1000 person [at least]"]
        );
        assert_eq!(
            q("6,000 frozen bodies and 3,000 fallen servicemen"),
            ["6000 body [exact]", "3000 serviceman [exact]"]
        );
    }

    /// The held-out sets' misses (issue 17): modifiers before a plural noun, "others", parts of a whole, ranges, "one
    /// person", and a toll far from its "number of".
    #[test]
    fn modifiers_others_parts_ranges_and_one() {
        assert_eq!(
            q("to create three online working groups"),
            ["3 group [exact]"]
        );
        assert_eq!(
            q("Moscow launched 2,736 Shahed kamikaze drones at Ukraine"),
            ["2736 drone [exact]"]
        );
        assert_eq!(
            q("two people died and three others were injured"),
            ["2 person [exact]", "3 person [exact]"]
        );
        assert_eq!(
            q("85 of the meeting participants were killed"),
            ["85 participant [exact]"]
        );
        assert_eq!(
            q("ceasefires lasting 24 to 48 hours"),
            ["24 hour [exact]", "48 hour [exact]"]
        );
        assert_eq!(q("at least one person was killed"), ["1 person [at least]"]);
        assert_eq!(
            q("The number of people killed due to Russia's missile strike on Dnipro has risen to 18."),
            ["18 person [exact]"]
        );
        assert!(q("one of the buildings, one man said").is_empty());
        assert!(q("a score of 2 to 1").is_empty());
        assert_eq!(
            q("1,882 instances of shelling, including 812 involving heavy weaponry"),
            ["1882 instance [exact]", "812 instance [exact]"]
        );
        // A multiplier is no count; times counted are.
        assert!(q("it cost the release of four times as many prisoners").is_empty());
        assert!(q("losses three times higher than reported").is_empty());
        assert_eq!(q("The sirens sounded three times."), ["3 time [exact]"]);
        // The height of a building qualifies it; its floors counted are a quantity.
        assert!(q("The 10-story hospital and a two-storey wing were hit.").is_empty());
        assert_eq!(q("two nine-story apartment blocks"), ["2 block [exact]"]);
        assert_eq!(q("Two floors collapsed."), ["2 floor [exact]"]);
        assert!(q("were to begin at 1 p.m. with officials from all three countries").is_empty());
        assert_eq!(
            q("killing at least 16 people, including six children, and injuring more than 50 others"),
            ["16 person [at least]", "6 child [exact]", "50 person [at least]"]
        );
        assert_eq!(
            q("short 24- or 48-hour ceasefires"),
            ["24 hour [exact]", "48 hour [exact]"]
        );
        assert_eq!(q("60 Ukrainian soldiers said"), ["60 soldier [exact]"]);
    }

    #[test]
    fn one_after_a_measure_and_a_person_after_including() {
        assert_eq!(
            q("The envoy hoped for at least one concrete proposal."),
            ["1 proposal [at least]"]
        );
        assert_eq!(q("Only one missile got through."), ["1 missile [exact]"]);
        assert_eq!(
            q("It issued two separate, but very similar statements."),
            ["2 statement [exact]"]
        );
        assert!(q("He was the only one of them to speak.").is_empty());
        assert!(q("at least one of the towers fell").is_empty());
        assert_eq!(
            q("Four people, including a child, were hurt."),
            ["4 person [exact]", "1 child [exact]"]
        );
        assert_eq!(
            q("Four people, including a bus driver, were hurt."),
            ["4 person [exact]"]
        );
    }
}

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
}

impl Quantity {
    /// `800000000000 USD`, `28 person`, `20 %`.
    pub fn canonical(&self) -> String {
        format!("{} {}", format_value(self.value), self.unit)
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
    let plain: String = text.chars().filter(|&c| c != ',').collect();
    plain.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn multiplier(word: &str) -> Option<f64> {
    match word.to_lowercase().trim_end_matches('.') {
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
        _ => {}
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

fn is_function_word(w: &str) -> bool {
    const F: &[&str] = &[
        "of", "in", "on", "at", "to", "for", "and", "or", "but", "the", "a", "an", "from", "by",
        "with", "as", "than", "that", "which", "who", "was", "were", "is", "are", "be", "been",
        "has", "have", "had", "ago", "since", "per", "percent", "cent", "this", "these", "those",
        "its", "their", "his", "her", "our", "after", "before", "during", "over", "into", "about",
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
        let (mut value, compound_unit) = match t.kind {
            TokenKind::Number => {
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
            TokenKind::Word => {
                let (num, rest) = match t.text.split_once('-') {
                    Some((n, r)) => (n, Some(r)),
                    None => (t.text, None),
                };
                match word_number(num) {
                    Some(v) => (v, rest),
                    None => {
                        i += 1;
                        continue;
                    }
                }
            }
            TokenKind::Punct => {
                i += 1;
                continue;
            }
        };
        // "3-year-old": an age, not a quantity. "5-6": a range (only in dates here).
        if let Some(rest) = compound_unit {
            if rest.ends_with("-old") || rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
                continue;
            }
        }
        // Bare four-digit years are dates, read elsewhere; a number glued to a letter
        // ("G7") is a name.
        let mut first = i;
        let mut last = i;
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
        if let Some(m) = tokens.get(i + 1).and_then(|n| multiplier(n.text)) {
            if compound_unit.is_none() {
                value *= m;
                last = i + 1;
            }
        }
        let unit = if let Some(c) = currency {
            Unit::Money(c.to_string())
        } else if let Some(rest) = compound_unit {
            Unit::Count(singular(rest))
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
            let mut j = last + 1;
            if tokens.get(j).is_some_and(|n| n.is_any(BETWEEN))
                && tokens.get(j + 1).is_some_and(is_noun_candidate)
            {
                j += 1;
            }
            match tokens.get(j) {
                Some(n) if is_noun_candidate(n) => {
                    last = j;
                    Unit::Count(singular(n.base()))
                }
                _ => Unit::Count(number_of_before(tokens, i).unwrap_or_default()),
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
        // "17 articles, down from 22": a bare figure close after another takes its unit.
        let unit = match unit {
            Unit::Count(ref noun) if noun.is_empty() => out
                .last()
                .filter(|q: &&Quantity| {
                    i - q.token <= 8 && matches!(&q.unit, Unit::Count(n) if !n.is_empty())
                })
                .map_or(unit.clone(), |q| q.unit.clone()),
            other => other,
        };
        // A spelled-out number needs a unit: "two" alone is not a quantity.
        if t.kind == TokenKind::Word && unit == Unit::Count(String::new()) {
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
        });
        i = last + 1;
    }
    out
}

fn is_year(x: f64) -> bool {
    x == x.trunc() && (1900.0..=2100.0).contains(&x)
}

/// "the number of evacuees … to 150,000": the noun of a "number of" phrase before a bare figure.
fn number_of_before(tokens: &[Token<'_>], i: usize) -> Option<String> {
    let window = i.saturating_sub(12);
    (window..i.saturating_sub(1)).rev().find_map(|k| {
        (tokens[k].is("number") && tokens[k + 1].is("of"))
            .then(|| tokens.get(k + 2))
            .flatten()
            .filter(|t| is_noun_candidate(t))
            .map(|t| singular(t.base()))
    })
}

fn qualifier_before(tokens: &[Token<'_>], first: usize) -> (Qualifier, usize) {
    let word = |k: usize| tokens.get(k).map(|t| t.text.to_lowercase());
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

    fn q(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        quantities(&tokens, text, &[])
            .iter()
            .map(|q| format!("{} [{}]", q.canonical(), q.qualifier.as_str()))
            .collect()
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

    #[test]
    fn not_quantities() {
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
        };
        assert!(!make(27.0, Qualifier::Exact).compatible(&make(28.0, Qualifier::Exact)));
        assert!(make(30.0, Qualifier::AtLeast).compatible(&make(31.0, Qualifier::Exact)));
        assert!(make(20.0, Qualifier::About).compatible(&make(21.0, Qualifier::Exact)));
    }
}

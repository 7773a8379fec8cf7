//! Words of a sentence with their byte offsets, and the folding (quote marks, dashes, accents,
//! whitespace) under which passages and names are compared.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with digits, inner hyphens, apostrophes and abbreviation dots.
    Word,
    /// Starts with a digit: `3,000`, `2.5`, `20-point`, `3-year-old`, `5-6`.
    Number,
    /// Any other single character that is not whitespace.
    Punct,
}

/// A token of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The text as written.
    pub text: &'a str,
    /// Byte offset in the sentence.
    pub start: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
}

impl<'a> Token<'a> {
    /// Byte offset just past the token.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The text without a trailing possessive (`Ukraine’s` → `Ukraine`).
    pub fn base(&self) -> &'a str {
        strip_possessive(self.text)
    }

    /// Whether the token is a word starting with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.kind == TokenKind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the token is a word, compared case-insensitively with `w`.
    pub fn is(&self, w: &str) -> bool {
        self.kind != TokenKind::Punct && self.text.eq_ignore_ascii_case(w)
    }

    /// Whether the token is one of `words` (case-insensitive).
    pub fn is_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.is(w))
    }

    /// Whether the token is this punctuation character.
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct && self.text.starts_with(c)
    }

    /// Whether the token ends with a possessive `’s` or `'s`.
    pub fn is_possessive(&self) -> bool {
        self.text.len() != self.base().len()
    }
}

/// Removes a trailing possessive `’s`, `'s` or a bare apostrophe after `s`.
pub fn strip_possessive(word: &str) -> &str {
    for suffix in ["’s", "'s", "’S", "'S"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    word
}

/// Abbreviations whose final dot does not end a sentence.
pub const ABBREVIATIONS: &[&str] = &[
    "Dr", "Mr", "Mrs", "Ms", "St", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Capt", "Sgt", "Jr",
    "Sr", "Prof", "Mt", "No", "vs", "etc", "Inc", "Ltd", "Co", "Corp", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "approx", "est", "Adm", "Maj", "Pres",
    "Rev", "Fr", "Hon",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits a sentence into tokens. Inner hyphens, apostrophes and dots between letters stay in
/// the word (`Kyiv-held`, `Ukraine’s`, `U.S`); the dot after an initialism (`U.S.`) or a known
/// abbreviation (`Dr.`) is kept with it.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !is_word_char(c) {
            out.push(Token {
                text: &text[start..start + c.len_utf8()],
                start,
                kind: TokenKind::Punct,
            });
            i += 1;
            continue;
        }
        let numeric = c.is_ascii_digit();
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if is_word_char(c) {
                j += 1;
                continue;
            }
            let next_is_word = chars.get(j + 1).is_some_and(|&(_, n)| is_word_char(n));
            let joins = match c {
                '-' | '\'' | '’' | '‑' => next_is_word,
                // Thousands separators and decimals inside numbers; dots inside initialisms.
                ',' => numeric && chars.get(j + 1).is_some_and(|&(_, n)| n.is_ascii_digit()),
                '.' => next_is_word && (numeric || chars[j - 1].1.is_uppercase()),
                _ => false,
            };
            if !joins {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
        let mut word = &text[start..end];
        // Keep the final dot of an initialism (U.S.) or a known abbreviation (Dr.).
        if chars.get(j).is_some_and(|&(_, c)| c == '.') {
            let initialism = word.contains('.') && word.split('.').all(|p| p.chars().count() == 1);
            if initialism || ABBREVIATIONS.contains(&word) {
                word = &text[start..end + 1];
                j += 1;
            }
        }
        out.push(Token {
            text: word,
            start,
            kind: if numeric {
                TokenKind::Number
            } else {
                TokenKind::Word
            },
        });
        i = j;
    }
    out
}

/// Folds a passage for comparison: typographic quotes and apostrophes to ASCII, dashes to `-`,
/// the ellipsis to `...`, runs of whitespace to one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let mapped = match c {
            '“' | '”' | '„' | '«' | '»' | '″' => '"',
            '‘' | '’' | '‚' | '′' | '`' => '\'',
            '–' | '—' | '‑' | '−' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if mapped == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c == '…' {
            out.push_str("...");
        } else {
            out.push(mapped);
        }
    }
    out
}

/// Lower case without accents on Latin letters (`Café` → `cafe`), for matching words.
pub fn plain_lower(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            '’' => '\'',
            c => c,
        })
        .collect()
}

/// Spans of quoted text in a sentence, as byte ranges including the marks. Curly quotes pair
/// by direction; straight double quotes pair in order, and either closes a quotation the other
/// opened. An unclosed quotation runs to the end.
pub fn quote_spans(text: &str) -> Vec<(usize, usize)> {
    scan_quotes(text).0
}

/// Whether the quotation marks of `text` leave a quotation open at its end.
pub fn leaves_quote_open(text: &str) -> bool {
    scan_quotes(text).1
}

/// The closed quotations of `text` (and the one left open, running to the end), and whether one
/// is left open.
fn scan_quotes(text: &str) -> (Vec<(usize, usize)>, bool) {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '“') | (None, '"') | (None, '«') => open = Some((i, c)),
            // A page that mixes the marks ("“…\"", "\"…”") closes with the other kind.
            (Some((s, '“' | '"')), '”' | '"') | (Some((s, '«')), '»') => {
                spans.push((s, i + c.len_utf8()));
                open = None;
            }
            _ => {}
        }
    }
    if let Some((s, _)) = open {
        spans.push((s, text.len()));
    }
    (spans, open.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_keep_inner_marks() {
        assert_eq!(
            words("U.S. envoy Dr. Witkoff’s Kyiv-held 3,000 $2.5 billion, 90%."),
            [
                "U.S.",
                "envoy",
                "Dr.",
                "Witkoff’s",
                "Kyiv-held",
                "3,000",
                "$",
                "2.5",
                "billion",
                ",",
                "90",
                "%",
                "."
            ]
        );
        assert_eq!(
            words("January 5-6 and 20-point"),
            ["January", "5-6", "and", "20-point"]
        );
        assert_eq!(words("end. Next"), ["end", ".", "Next"]);
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold("“90%”  ready — Kyiv’s\n…"),
            "\"90%\" ready - Kyiv's ..."
        );
        assert_eq!(plain_lower("Café"), "cafe");
    }

    #[test]
    fn quotes() {
        let t = "“A,” he said, “b";
        assert_eq!(quote_spans(t).len(), 2);
        assert!(leaves_quote_open(t));
        assert!(!leaves_quote_open("said \"x\" and “y”"));
        // Mixed marks: each quotation closes, the attribution between them is outside.
        let t = "“A,\" he said, \"b.”";
        assert_eq!(quote_spans(t), [(0, 6), (16, 22)]);
        assert!(!leaves_quote_open(t));
        assert!(leaves_quote_open("He said: “the talks go on."));
    }
}

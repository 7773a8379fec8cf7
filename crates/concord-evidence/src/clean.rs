//! Stripping what a scraper leaves around a news report (timestamps, "Advertisement",
//! "Follow us", bylines, counters) and telling headings from running text, line by line.

use crate::date::{parse_written_date, Date};
use crate::text::tokenize;

/// What a line of a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A headline or a section heading: short, no sentence-final punctuation.
    Heading,
    /// Running text: one or more sentences.
    Paragraph,
    /// Page furniture, removed: timestamps, counters, "Advertisement", share prompts, bylines.
    Furniture,
    /// A line that is only a date: the report's dateline.
    Dateline,
}

/// One non-empty line of a report, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Heading, paragraph, furniture or dateline.
    pub kind: BlockKind,
    /// The line, trimmed.
    pub text: String,
    /// 1-based line number in the report.
    pub line: usize,
}

/// A report split into classified lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The non-empty lines, in order.
    pub blocks: Vec<Block>,
    /// The date of the first dateline, if any: taken as the publication date.
    pub dateline: Option<Date>,
}

impl Cleaned {
    /// The first heading, taken as the headline.
    pub fn headline(&self) -> Option<&str> {
        self.blocks
            .iter()
            .find(|b| b.kind == BlockKind::Heading)
            .map(|b| b.text.as_str())
    }

    /// The removed lines.
    pub fn furniture(&self) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Furniture)
    }
}

/// Words and phrases that make a short line page furniture wherever they appear.
const FURNITURE_PHRASES: &[&str] = &[
    "advertisement",
    "follow us",
    "help us improve",
    "share this",
    "share on",
    "sign up",
    "subscribe",
    "newsletter",
    "read more",
    "related articles",
    "related:",
    "most read",
    "click here",
    "cookie",
    "all rights reserved",
    "skip to content",
    "listen to this article",
    "comments",
    "world news",
    "breaking news",
    "print this",
    "email this",
];

/// Classifies every line of `text`.
pub fn clean(text: &str) -> Cleaned {
    let mut blocks = Vec::new();
    let mut dateline = None;
    for (k, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let kind = classify(line);
        if kind == BlockKind::Dateline && dateline.is_none() {
            dateline = parse_written_date(line).or_else(|| {
                crate::date::DateSpan::parse(line)
                    .filter(|s| s.is_day())
                    .map(|s| s.earliest)
            });
        }
        blocks.push(Block {
            kind,
            text: line.to_string(),
            line: k + 1,
        });
    }
    Cleaned { blocks, dateline }
}

fn classify(line: &str) -> BlockKind {
    let lower = line.to_lowercase();
    let tokens = tokenize(line);
    let words = tokens
        .iter()
        .filter(|t| t.kind != crate::text::TokenKind::Punct)
        .count();
    // Nothing but punctuation, digits and separators: timestamps ("16:40"), counters ("46"),
    // bullets ("-").
    if line
        .chars()
        .all(|c| !c.is_alphabetic() || c.is_whitespace())
    {
        return BlockKind::Furniture;
    }
    let date_only = parse_written_date(line).is_some()
        || crate::date::DateSpan::parse(line).is_some_and(|s| s.is_day());
    if date_only {
        return BlockKind::Dateline;
    }
    // "Today : Jan 10, 2026", "Updated 10:42": the page's clock, not the report's date.
    if words <= 6
        && ["today", "updated", "published", "posted", "last modified"]
            .iter()
            .any(|p| lower.starts_with(p))
        && line.chars().any(|c| c.is_ascii_digit())
    {
        return BlockKind::Furniture;
    }
    if words <= 8 && FURNITURE_PHRASES.iter().any(|p| lower.contains(p)) {
        return BlockKind::Furniture;
    }
    // A byline: "By Jane Doe".
    if words <= 5
        && lower.starts_with("by ")
        && tokens
            .iter()
            .skip(1)
            .all(|t| t.is_capitalised() || t.kind == crate::text::TokenKind::Punct)
    {
        return BlockKind::Furniture;
    }
    let last = line
        .trim_end_matches(['”', '"', '’', '\'', ')', ']'])
        .chars()
        .last();
    let ends_sentence = matches!(last, Some('.' | '!' | '?' | '…' | ':'));
    if ends_sentence {
        return BlockKind::Paragraph;
    }
    // Without a final stop: a heading if short or written in title case; a standfirst (running
    // text) otherwise.
    let content: Vec<_> = tokens
        .iter()
        .filter(|t| t.kind == crate::text::TokenKind::Word && t.text.chars().count() > 3)
        .collect();
    let capitalised = content.iter().filter(|t| t.is_capitalised()).count();
    let title_case = !content.is_empty() && capitalised * 10 >= content.len() * 6;
    if words <= 12 || title_case {
        BlockKind::Heading
    } else {
        BlockKind::Paragraph
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_headings_and_paragraphs() {
        let text = "Today : Jan 10, 2026\nWorld News\n03 January 2026\n\nKyiv Peace Talks Intensify Amid Escalating Russian Strikes\n-\n16:40\n46\nFollow us on Facebook\n- Advertisement -\nThe talks began. They went on.\nOfficials from countries including Britain, France and Germany, as well as representatives from NATO and the EU, joined the meeting\nBy Jane Doe\n";
        let c = clean(text);
        let kinds: Vec<BlockKind> = c.blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(
            kinds,
            [
                Furniture, Furniture, Dateline, Heading, Furniture, Furniture, Furniture,
                Furniture, Furniture, Paragraph, Paragraph, Furniture
            ]
        );
        assert_eq!(c.dateline.unwrap().to_string(), "2026-01-03");
        assert_eq!(
            c.headline(),
            Some("Kyiv Peace Talks Intensify Amid Escalating Russian Strikes")
        );
    }
}

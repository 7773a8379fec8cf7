//! Layout of text reports: the width they fit, prose wrapped to it, tables that fit it or become
//! lists, ids and numbers never split, and the one style (bold, colour) a headline may carry.
//!
//! The width and whether to style are set once per process by the front end
//! ([`set_width`], [`set_color`]); reports read them when they render. Without a front end they
//! are 80 columns and no style, so that reports written to files and snapshots are stable.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use comfy_table::{presets, ContentArrangement, Table};

/// The width text reports fit when nothing else is known.
pub const WIDTH: usize = 80;

/// The narrowest width honoured: below it, lines would hold a word or two.
pub const MIN_WIDTH: usize = 40;

static CURRENT_WIDTH: AtomicUsize = AtomicUsize::new(WIDTH);
static COLOR: AtomicBool = AtomicBool::new(false);

/// `n` and the noun it counts, singular for one (`counted(1, "claim", "claims")` is "1 claim"),
/// the number grouped as reports group numbers ("1,250 claims").
pub fn counted(n: usize, one: &str, many: &str) -> String {
    let noun = if n == 1 { one } else { many };
    format!("{} {noun}", concord_core::number::grouped(n as u128))
}

/// The width text reports fit.
pub fn width() -> usize {
    CURRENT_WIDTH.load(Ordering::Relaxed)
}

/// Sets the width text reports fit (at least [`MIN_WIDTH`]).
pub fn set_width(columns: usize) {
    CURRENT_WIDTH.store(columns.max(MIN_WIDTH), Ordering::Relaxed);
}

/// Whether headlines are styled (ANSI bold and colour).
pub fn color() -> bool {
    COLOR.load(Ordering::Relaxed)
}

/// Turns styling of headlines on or off.
pub fn set_color(on: bool) {
    COLOR.store(on, Ordering::Relaxed);
}

/// How a headline reads: good news, bad news, or neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// An answer that is what a mediator hopes for (a zone exists, a plan exists).
    Good,
    /// An answer that is not (no zone, a deadlock).
    Bad,
    /// Neither.
    Plain,
}

/// `text` in bold, coloured by `tone`, when styling is on; else `text` unchanged.
pub fn headline(text: &str, tone: Tone) -> String {
    styled(text, tone, color())
}

fn styled(text: &str, tone: Tone, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match tone {
        Tone::Good => "1;32",
        Tone::Bad => "1;31",
        Tone::Plain => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The number of columns `text` takes: characters, not counting ANSI style sequences.
pub fn display_width(text: &str) -> usize {
    let mut n = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            n += 1;
        }
    }
    n
}

/// Writes `text` wrapped at [`width`], the first line after `first`, the others after `rest`.
/// Words are never split: a word longer than the width has a line to itself.
pub fn wrap(w: &mut String, first: &str, rest: &str, text: &str) {
    let limit = width();
    let mut line = first.to_string();
    let mut used = display_width(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        let len = display_width(word);
        if !empty && used + 1 + len > limit {
            let _ = writeln!(w, "{line}");
            line = rest.to_string();
            used = display_width(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += len;
        empty = false;
    }
    let _ = writeln!(w, "{line}");
}

/// Characters that mark a line of a drawn table, which [`fit`] leaves as it is.
const TABLE_CHARS: &[char] = &['│', '┆', '┌', '└', '├', '╞', '═', '─', '┐', '┘'];

/// Wraps every prose line of a report that is wider than [`width`], keeping its indentation and
/// hanging continuation lines under the text of a list item (`- `, `* `, `1. `); drawn tables
/// are left alone (they are made to fit by [`render_table`]). Words are never split.
pub fn fit(text: &str) -> String {
    let limit = width();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if display_width(body) <= limit || body.contains(TABLE_CHARS) {
            out.push_str(line);
            continue;
        }
        let indent = body.len() - body.trim_start().len();
        let rest = &body[indent..];
        let marker = list_marker(rest).max(column(rest));
        let hang = indent + list_marker(rest).max(2);
        let first = &body[..indent + marker];
        wrap(&mut out, first, &" ".repeat(hang), &rest[marker..]);
        if !line.ends_with('\n') {
            out.pop();
        }
    }
    out
}

/// The width of a first word padded into a column at the start of `s` (`id   text`: the word
/// and two spaces or more), which wrapping keeps as it is; 0 when there is none.
fn column(s: &str) -> usize {
    let word = s.find(char::is_whitespace).unwrap_or(s.len());
    let spaces = s[word..].len() - s[word..].trim_start_matches(' ').len();
    if word > 0 && spaces >= 2 {
        word + spaces
    } else {
        0
    }
}

/// The width of a list marker at the start of `s` (`- `, `* `, `12. `, `3) `), or 0.
fn list_marker(s: &str) -> usize {
    if s.starts_with("- ") || s.starts_with("* ") || s.starts_with("• ") {
        return s.chars().next().map_or(0, char::len_utf8) + 1;
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (s[digits..].starts_with(". ") || s[digits..].starts_with(") ")) {
        return digits + 2;
    }
    0
}

/// A table in the style of every report.
pub fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    t
}

/// The table drawn when it fits [`width`] without breaking a cell; otherwise the same content
/// as a list, one item per row (`header: cell; header: cell`), wrapped to the width, so that no
/// id or number is split across lines. `indent` is put before every line.
pub fn render_table(t: &Table, indent: &str) -> String {
    let limit = width().saturating_sub(display_width(indent));
    let mut out = String::new();
    // Drawn as it is, then with cells wrapped at spaces to fit; kept only if every word of
    // every cell is whole on some line.
    let mut wrapped = t.clone();
    wrapped
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(limit).unwrap_or(u16::MAX));
    for drawn in [t.to_string(), wrapped.to_string()] {
        let lines: Vec<&str> = drawn.lines().collect();
        let fits = lines.iter().all(|l| display_width(l) <= limit);
        if fits && words_whole(t, &lines) {
            for l in lines {
                let _ = writeln!(out, "{indent}{l}");
            }
            return out;
        }
    }
    let headers: Vec<String> = t
        .header()
        .map(|h| h.cell_iter().map(|c| one_line(&c.content())).collect())
        .unwrap_or_default();
    let mut above = String::new();
    for row in t.row_iter() {
        let mut cells: Vec<String> = row.cell_iter().map(|c| one_line(&c.content())).collect();
        // A blank first cell means "as above" in a drawn table; a list repeats it.
        match cells.first_mut() {
            None => continue,
            Some(c) if c.is_empty() => c.clone_from(&above),
            Some(c) => above.clone_from(c),
        }
        let first = &cells[0];
        // A leading number (a rank, a step) is a label: the title is it and the next cell.
        let numbered = cells.len() > 1
            && !first.is_empty()
            && first.chars().all(|c| c.is_ascii_digit() || c == '.');
        let title = match (headers.first(), numbered) {
            (Some(h), true) if !h.is_empty() => format!("{h} {first}: {}", cells[1]),
            (_, true) => format!("{first}. {}", cells[1]),
            (Some(h), false) if !h.is_empty() => format!("{h} {first}"),
            _ => first.clone(),
        };
        let skip = if numbered { 2 } else { 1 };
        let fields: Vec<String> = cells
            .iter()
            .enumerate()
            .skip(skip)
            .filter(|(_, c)| !c.is_empty())
            .map(|(k, c)| match headers.get(k) {
                Some(h) if !h.is_empty() => format!("{h}: {c}"),
                _ => c.clone(),
            })
            .collect();
        let hang = format!("{indent}    ");
        wrap(&mut out, &format!("{indent}- "), &hang, &title);
        if !fields.is_empty() {
            wrap(&mut out, &hang, &hang, &fields.join("; "));
        }
    }
    out
}

/// Whether every word of every cell of `t` (and of its header) is whole on one of `lines`.
fn words_whole(t: &Table, lines: &[&str]) -> bool {
    let header = t.header().into_iter();
    header.chain(t.row_iter()).all(|row| {
        row.cell_iter().all(|c| {
            c.content()
                .split_whitespace()
                .all(|w| lines.iter().any(|l| l.contains(w)))
        })
    })
}

/// A cell's lines on one line: separated by a comma unless a line already ends in punctuation.
fn one_line(s: &str) -> String {
    let mut out = String::new();
    for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str(if out.ends_with([',', ';', ':']) {
                " "
            } else {
                ", "
            });
        }
        out.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_and_words_survive() {
        let text = "one two three ".repeat(30) + &"x".repeat(90);
        let mut out = String::new();
        wrap(&mut out, "  - ", "    ", &text);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[..lines.len() - 1]
            .iter()
            .all(|l| l.chars().count() <= WIDTH));
        assert!(lines[0].starts_with("  - one"));
        assert!(lines[1].starts_with("    "));
        assert_eq!(lines.last().unwrap().trim(), "x".repeat(90));
        let words: Vec<&str> = out.split_whitespace().filter(|w| *w != "-").collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn fit_wraps_prose_under_list_items_and_keeps_short_lines() {
        let long = format!("  12. {}", "word ".repeat(40).trim_end());
        let text = format!("short\n{long}\n");
        let out = fit(&text);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "short");
        assert!(lines[1].starts_with("  12. word"));
        assert!(lines[2].starts_with("      word"), "{out}");
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
        assert!(out.ends_with('\n'));
        assert_eq!(
            out.split_whitespace().count(),
            text.split_whitespace().count()
        );
    }

    #[test]
    fn fit_keeps_a_padded_first_column() {
        let long = format!("  {:<28} {}", "short-id", "word ".repeat(30).trim_end());
        let out = fit(&format!("{long}\n"));
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with(&format!("  {:<28} word", "short-id")),
            "{out}"
        );
        assert!(lines[1].starts_with("    word"), "{out}");
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
        assert_eq!(
            out.split_whitespace().count(),
            long.split_whitespace().count()
        );
    }

    #[test]
    fn a_table_too_wide_becomes_a_list_with_every_cell_whole() {
        let mut t = table();
        t.set_header(vec!["issue", "ukraine: favourite", "red lines"]);
        let long_id = "ukraine-no-surrender-of-the-east";
        t.add_row(vec![
            "territory",
            "line-frozen/mutual-pullback-dmz",
            long_id,
        ]);
        t.add_row(vec!["nato", "constitutional-renunciation", &"x".repeat(60)]);
        let out = render_table(&t, "");
        assert!(!out.contains('│'), "{out}");
        assert!(out.contains(long_id));
        assert!(out.contains("- issue territory"), "{out}");
        assert!(out
            .lines()
            .all(|l| l.chars().count() <= WIDTH || !l.contains(' ')));
        let mut small = table();
        small.set_header(vec!["a", "b"]);
        small.add_row(vec!["1", "2"]);
        assert!(render_table(&small, "  ").contains('│'));
    }

    #[test]
    fn styles_are_not_counted_in_widths() {
        let h = styled("NO AGREEMENT ZONE", Tone::Bad, true);
        assert!(h.starts_with('\x1b'));
        assert_eq!(display_width(&h), "NO AGREEMENT ZONE".len());
        assert_eq!(styled("x", Tone::Good, false), "x");
    }
}

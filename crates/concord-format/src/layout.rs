//! Layout of text reports: prose wrapped to the width reports fit, ids and numbers never split.

use std::fmt::Write as _;

/// The width text reports fit.
pub const WIDTH: usize = 80;

/// Writes `text` wrapped at [`WIDTH`], the first line after `first`, the others after `rest`.
/// Words are never split: a word longer than the width has a line to itself.
pub fn wrap(w: &mut String, first: &str, rest: &str, text: &str) {
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            let _ = writeln!(w, "{line}");
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    let _ = writeln!(w, "{line}");
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
}

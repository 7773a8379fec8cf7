//! Located diagnostics: every problem in a file, with its line, column and field, and a reader
//! over `toml_edit` tables that records problems instead of stopping at the first.

use std::fmt;
use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

/// A byte range in the file, when the parser kept one.
pub type Span = Option<Range<usize>>;

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The field, as a path such as `parties[2].role`.
    pub field: String,
    /// What the file has there.
    pub found: String,
    /// What was expected instead.
    pub expected: String,
    /// The text of the line around the column, for display: the whole line when it is short,
    /// else at most [`EXCERPT_CHARS`] characters, with `…` where the line goes on.
    pub source_line: String,
    /// How many characters of the line come before `source_line` (0 for a whole line).
    pub source_offset: usize,
}

/// The most characters of a source line a diagnostic keeps: a file with one huge line and many
/// errors must not copy the line into every error.
pub const EXCERPT_CHARS: usize = 160;
/// The most problems of one file printed; the others are counted.
pub const MAX_PRINTED_PROBLEMS: usize = 50;
/// The most problems one reader records in a file; past it, a file is known to be far off and
/// the reading stops listing (so that error reporting stays linear in the file's size).
pub const MAX_RECORDED_PROBLEMS: usize = 1000;

/// The part of `line` a diagnostic at 1-based `column` shows, and how many characters of the
/// line come before it.
pub fn excerpt(line: &str, column: usize) -> (String, usize) {
    let line = line.trim_end();
    let chars = line.chars().count();
    if chars <= EXCERPT_CHARS {
        return (line.to_string(), 0);
    }
    let start = column
        .saturating_sub(1 + EXCERPT_CHARS / 3)
        .min(chars - EXCERPT_CHARS);
    let mut text: String = line.chars().skip(start).take(EXCERPT_CHARS).collect();
    if start + EXCERPT_CHARS < chars {
        text.push('…');
    }
    if start > 0 {
        text.insert(0, '…');
    }
    (text, start)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: `{}`: found {}, expected {}",
            self.line, self.column, self.field, self.found, self.expected
        )
    }
}

/// Every problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// The file's name as the user gave it.
    pub file: String,
    /// The problems, in file order.
    pub items: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.items.len();
        if n > MAX_RECORDED_PROBLEMS {
            writeln!(
                f,
                "{}: more than {MAX_RECORDED_PROBLEMS} problems found",
                self.file
            )?;
        } else {
            writeln!(
                f,
                "{}: {} problem{} found",
                self.file,
                n,
                if n == 1 { "" } else { "s" }
            )?;
        }
        for d in self.items.iter().take(MAX_PRINTED_PROBLEMS) {
            writeln!(f, "{}:{d}", self.file)?;
            if !d.source_line.is_empty() {
                // The excerpt starts with `…` when it does not start the line.
                let caret =
                    d.column.saturating_sub(1 + d.source_offset) + usize::from(d.source_offset > 0);
                writeln!(f, "    | {}", d.source_line)?;
                writeln!(f, "    | {}^", " ".repeat(caret))?;
            }
        }
        if n > MAX_RECORDED_PROBLEMS {
            writeln!(
                f,
                "{}: and more than {} more problems (the first {MAX_PRINTED_PROBLEMS} are shown; \
                 listing stopped after {MAX_RECORDED_PROBLEMS})",
                self.file,
                MAX_RECORDED_PROBLEMS - MAX_PRINTED_PROBLEMS
            )?;
        } else if n > MAX_PRINTED_PROBLEMS {
            writeln!(
                f,
                "{}: and {} more problems (the first {MAX_PRINTED_PROBLEMS} are shown)",
                self.file,
                n - MAX_PRINTED_PROBLEMS
            )?;
        }
        Ok(())
    }
}

/// The reading state: the text, for turning byte offsets into lines, and the problems so far.
pub struct Cx<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'t> Cx<'t> {
    /// A reader of `text`.
    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Cx {
            text,
            line_starts,
            diagnostics: Vec::new(),
        }
    }

    /// The 1-based line and column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        // An offset inside a character (a parser that counted bytes differently) points at
        // the character: slicing there would panic.
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// Records a problem at `span`.
    pub fn error(
        &mut self,
        span: &Span,
        field: &str,
        found: impl fmt::Display,
        expected: impl fmt::Display,
    ) {
        if self.diagnostics.len() > MAX_RECORDED_PROBLEMS {
            return;
        }
        let offset = span.as_ref().map_or(0, |r| r.start);
        let (line, column) = self.position(offset);
        let (source_line, source_offset) =
            excerpt(self.text.lines().nth(line - 1).unwrap_or_default(), column);
        self.diagnostics.push(Diagnostic {
            line,
            column,
            field: field.to_string(),
            found: found.to_string(),
            expected: expected.to_string(),
            source_line,
            source_offset,
        });
    }
}

/// Describes what an item is, for "found …" messages.
pub fn describe(item: &Item) -> String {
    match item {
        Item::None => "nothing".into(),
        Item::Table(_) => "a table".into(),
        Item::ArrayOfTables(_) => "an array of tables".into(),
        Item::Value(v) => describe_value(v),
    }
}

/// Describes a value, quoting short strings and numbers.
pub fn describe_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string {:?}", s.value()),
        Value::Integer(i) => format!("the integer {}", i.value()),
        Value::Float(x) => format!("the number {}", x.value()),
        Value::Boolean(b) => format!("the boolean {}", b.value()),
        Value::Datetime(d) => format!("the date-time {}", d.value()),
        Value::Array(_) => "an array".into(),
        Value::InlineTable(_) => "a table".into(),
    }
}

/// The span of an item: its value's, or for a table, its header's.
pub fn item_span(item: &Item) -> Span {
    match item {
        Item::Value(v) => v.span(),
        Item::Table(t) => t.span(),
        Item::ArrayOfTables(a) => a.span(),
        Item::None => None,
    }
}

/// Joins a field path.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Reads fields of one table, recording problems in `cx`.
pub struct Fields<'c, 't, 'd> {
    /// The reading state.
    pub cx: &'c mut Cx<'t>,
    /// The table.
    pub table: &'d dyn TableLike,
    /// The table's path.
    pub path: String,
    /// The table's span (or the closest known), owned.
    pub span: Span,
}

impl<'c, 't, 'd> Fields<'c, 't, 'd> {
    /// Starts reading `table` at `path`, flagging keys outside `allowed`.
    pub fn new(
        cx: &'c mut Cx<'t>,
        table: &'d dyn TableLike,
        span: Span,
        path: String,
        allowed: &[&str],
    ) -> Self {
        for (key, _) in table.iter() {
            if !allowed.contains(&key) {
                let kspan = table.get_key_value(key).and_then(|(k, _)| k.span());
                cx.error(
                    &kspan.or_else(|| span.clone()),
                    &join(&path, key),
                    format!("the unknown key `{key}`"),
                    format!(
                        "one of {}",
                        allowed
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        Fields {
            cx,
            table,
            path,
            span,
        }
    }

    /// Reads a table whose keys were already checked by an earlier [`Fields::new`].
    pub fn resume(cx: &'c mut Cx<'t>, table: &'d dyn TableLike, span: Span, path: String) -> Self {
        Fields {
            cx,
            table,
            path,
            span,
        }
    }

    /// The path of a key of this table.
    pub fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The item at `key`, if present.
    pub fn item(&self, key: &str) -> Option<&'d Item> {
        self.table.get(key).filter(|i| !i.is_none())
    }

    /// The span of `key`'s value, or of the table when absent.
    pub fn span_of(&self, key: &str) -> Span {
        self.item(key)
            .and_then(item_span)
            .or_else(|| self.span.clone())
    }

    /// Records that a required key is missing.
    pub fn missing(&mut self, key: &str, expected: &str) {
        let (span, path) = (self.span.clone(), self.at(key));
        self.cx.error(&span, &path, "nothing", expected);
    }

    /// Records a wrong type at `key`.
    pub fn wrong(&mut self, key: &str, item: &Item, expected: &str) {
        let span = item_span(item).or_else(|| self.span.clone());
        let path = self.at(key);
        self.cx.error(&span, &path, describe(item), expected);
    }

    /// An optional string.
    pub fn opt_str(&mut self, key: &str) -> Option<String> {
        let item = self.item(key)?;
        match item.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.wrong(key, item, "a string");
                None
            }
        }
    }

    /// A required string.
    pub fn req_str(&mut self, key: &str) -> Option<String> {
        if self.item(key).is_none() {
            self.missing(key, "a string");
            return None;
        }
        self.opt_str(key)
    }

    /// A required id: non-empty, ASCII letters, digits, `-` and `_`.
    pub fn req_id(&mut self, key: &str) -> Option<(String, Span)> {
        let s = self.req_str(key)?;
        let span = self.span_of(key);
        if valid_id(&s) {
            Some((s, span))
        } else {
            let path = self.at(key);
            self.cx.error(&span, &path, format!("{s:?}"), ID_RULE);
            None
        }
    }

    /// An optional boolean.
    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let item = self.item(key)?;
        match item.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong(key, item, "true or false");
                None
            }
        }
    }

    /// An optional number (integer or float).
    pub fn opt_number(&mut self, key: &str) -> Option<f64> {
        let item = self.item(key)?;
        match number(item) {
            Some(x) => Some(x),
            None => {
                self.wrong(key, item, "a number");
                None
            }
        }
    }

    /// An optional array of strings; empty when absent. Non-strings are recorded and skipped.
    pub fn opt_str_array(&mut self, key: &str) -> Vec<String> {
        let path = self.at(key);
        let Some(array) = self.opt_array(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in array.iter().enumerate() {
            match v.as_str() {
                Some(s) => out.push(s.to_string()),
                None => self.cx.error(
                    &v.span(),
                    &format!("{path}[{k}]"),
                    describe_value(v),
                    "a string",
                ),
            }
        }
        out
    }

    /// An optional array.
    pub fn opt_array(&mut self, key: &str) -> Option<&'d toml_edit::Array> {
        let item = self.item(key)?;
        match item.as_array() {
            Some(a) => Some(a),
            None => {
                self.wrong(key, item, "an array");
                None
            }
        }
    }

    /// An optional table (standard or inline).
    pub fn opt_table(&mut self, key: &str) -> Option<(&'d dyn TableLike, Span)> {
        let item = self.item(key)?;
        match item.as_table_like() {
            Some(t) => Some((t, item_span(item).or_else(|| self.span.clone()))),
            None => {
                self.wrong(key, item, "a table");
                None
            }
        }
    }
}

/// Parses TOML text, turning a syntax error into a located [`crate::FormatError::Syntax`]: every
/// reader of a scenario or config file starts here.
pub fn parse_document<'t>(
    text: &'t str,
    file: &str,
) -> Result<toml_edit::Document<&'t str>, crate::FormatError> {
    toml_edit::Document::parse(text).map_err(|e| {
        let (line, column) = Cx::new(text).position(e.span().map_or(0, |s| s.start));
        crate::FormatError::Syntax {
            file: file.to_string(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

/// The tables of an array of tables (or an array of inline tables) at `key`, with their paths
/// and spans; a wrong type is recorded. Every reader of a scenario file's arrays uses it.
pub fn tables<'d>(f: &mut Fields<'_, '_, 'd>, key: &str) -> Vec<(&'d dyn TableLike, Span, String)> {
    let Some(item) = f.item(key) else {
        return Vec::new();
    };
    let path = f.at(key);
    match item {
        Item::ArrayOfTables(a) => a
            .iter()
            .enumerate()
            .map(|(k, t)| (t as &dyn TableLike, t.span(), format!("{path}[{k}]")))
            .collect(),
        Item::Value(Value::Array(a)) if a.iter().all(|v| v.is_inline_table()) => a
            .iter()
            .enumerate()
            .filter_map(|(k, v)| {
                v.as_inline_table()
                    .map(|t| (t as &dyn TableLike, v.span(), format!("{path}[{k}]")))
            })
            .collect(),
        other => {
            f.wrong(
                key,
                other,
                &format!("an array of tables, written [[{key}]]"),
            );
            Vec::new()
        }
    }
}

/// The `id`s of the tables at `key` of a file's root, as written, read leniently (entries with
/// problems included), so that references to them can be checked even when the entries are
/// broken and are not reported twice.
pub fn declared_ids(root: &toml_edit::Table, key: &str) -> Vec<String> {
    let id = |t: &dyn TableLike| t.get("id").and_then(Item::as_str).map(str::to_string);
    match root.get(key) {
        Some(Item::ArrayOfTables(a)) => a.iter().filter_map(|t| id(t)).collect(),
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_inline_table().and_then(|t| id(t)))
            .collect(),
        _ => Vec::new(),
    }
}

/// What an id may be made of, for messages.
pub const ID_RULE: &str = "an id: ASCII letters, digits, `-` and `_`, not empty";

/// Whether `s` is a valid id.
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// An integer or float item as `f64`.
pub fn number(item: &Item) -> Option<f64> {
    item.as_float()
        .or_else(|| item.as_integer().map(|i| i as f64))
}

/// An integer or float value as `f64`.
pub fn number_value(value: &Value) -> Option<f64> {
    value
        .as_float()
        .or_else(|| value.as_integer().map(|i| i as f64))
}

/// "one of `a`, `b`, `c`" for messages, sorted, or a plain description when there is nothing.
pub(crate) fn one_of(what: &str, mut known: Vec<String>) -> String {
    known.sort();
    if known.is_empty() {
        format!("{what} (none are defined)")
    } else if known.len() > 12 {
        format!(
            "{what}: one of {} and {} more",
            known[..12]
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            known.len() - 12
        )
    } else {
        format!(
            "{what}: one of {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

//! Time expressions in a sentence and their normalisation: absolute dates (`January 3, 2026`,
//! `February 2022`, `2025`), weekdays (`late Friday`, `on Thursday`, `Monday’s meeting`) and
//! relative phrases (`last year`, `this week`, `last month`), resolved against the publication
//! date of the report with the uncertainty kept.
//!
//! A weekday is read as the most recent such day on or before publication, or the next one on
//! or after it when the sentence speaks of the future ("is expected", "will"). When the
//! publication date is only known to lie in a span (a month, or a window assumed from the other
//! reports), every candidate day is kept as a range; when nothing is known, the weekday alone is.

use std::fmt;

use crate::actors::span_text;
use crate::date::{month_number, Date, DateSpan, Weekday};
use crate::text::{Token, TokenKind};

/// Words that make a weekday after them a named day: "Palm Sunday", "Black Saturday", "Good
/// Friday", "Bloody Sunday", "Super Tuesday".
const NAMED_DAY_WORDS: &[&str] = &[
    "Palm",
    "Black",
    "Easter",
    "Bloody",
    "Super",
    "Good",
    "Holy",
    "Ash",
    "Shrove",
    "Cyber",
    "Maundy",
    "Fat",
    "Clean",
    "Great",
    "Red",
    "Orthodox",
    "Giving",
    "Pentecost",
    "Whit",
];

/// Part of a day a report names ("late Friday", "early on Thursday", "Friday night").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DayPart {
    /// "early".
    Early,
    /// "late".
    Late,
    /// "morning".
    Morning,
    /// "afternoon".
    Afternoon,
    /// "evening".
    Evening,
    /// "night", "overnight".
    Night,
}

impl DayPart {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DayPart::Early => "early",
            DayPart::Late => "late",
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
            DayPart::Night => "night",
        }
    }
}

/// How a normalised date was obtained: what the reader should trust it for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Inference {
    /// The text writes the date in full.
    Stated,
    /// Completed from the publication date (a weekday, a month without a year, "last year").
    FromPublication,
    /// The publication date is only known within a span; the range holds every candidate.
    FromWindow,
    /// Nothing to anchor it: only the weekday (or the phrase) is known.
    Unanchored,
    /// A day and month in an undated report, given the year of the full dates the report
    /// itself states.
    FromReportYear,
}

impl Inference {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Inference::Stated => "stated",
            Inference::FromPublication => "from-publication",
            Inference::FromWindow => "from-window",
            Inference::Unanchored => "unanchored",
            Inference::FromReportYear => "from-report-year",
        }
    }
}

/// A normalised time expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// The words as written.
    pub text: String,
    /// The days it may denote; `None` when unanchored.
    pub span: Option<DateSpan>,
    /// The weekday the text names, if any.
    pub weekday: Option<Weekday>,
    /// The part of the day, if named.
    pub part: Option<DayPart>,
    /// How the span was obtained.
    pub inference: Inference,
    /// Whether the sentence places it in the future relative to publication.
    pub future: bool,
    /// Index of the first token in the sentence.
    pub token: usize,
}

impl When {
    /// The normalised form: `2026-01-02`, `2026-01`, `2022`, `2026-01-05..2026-01-06`, or the
    /// weekday (`Friday`) when unanchored; `None` for a relative phrase that nothing anchors.
    pub fn canonical(&self) -> Option<String> {
        match (self.inference, self.span, self.weekday) {
            (Inference::FromWindow | Inference::Unanchored, _, Some(w)) => Some(w.name().into()),
            (_, Some(span), _) => Some(span.to_string()),
            _ => None,
        }
    }

    /// Whether two expressions can denote the same day.
    pub fn compatible(&self, other: &When) -> bool {
        if let (Some(a), Some(b)) = (self.weekday, other.weekday) {
            if a != b {
                return false;
            }
        }
        // A weekday against a span that is one day: that day's weekday must match.
        for (x, y) in [(self, other), (other, self)] {
            if let (Some(w), Some(s)) = (x.weekday, y.span) {
                if s.is_day() && y.weekday.is_none() && s.earliest.weekday() != w {
                    return false;
                }
            }
        }
        match (self.span, other.span) {
            (Some(a), Some(b)) => a.overlaps(&b),
            _ => true,
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.span, self.weekday) {
            (Some(s), Some(w)) if self.inference != Inference::Stated && !s.is_day() => {
                write!(f, "{w}, {s}")
            }
            (Some(s), _) => write!(f, "{s}"),
            (None, Some(w)) => write!(f, "{w}"),
            (None, None) => write!(f, "“{}”", self.text),
        }
    }
}

/// What dates in a report are resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The publication day.
    Published(Date),
    /// The publication is known only to lie in this span.
    Window(DateSpan),
    /// Nothing is known of the publication, but the report states full dates of this year: a
    /// day and month written without a year ("May 25") take it.
    ReportYear(i32),
    /// Nothing is known.
    None,
}

impl Anchor {
    /// The anchor of a publication span: a single day or a window.
    pub fn from_span(span: Option<DateSpan>) -> Anchor {
        match span {
            Some(s) if s.is_day() => Anchor::Published(s.earliest),
            Some(s) => Anchor::Window(s),
            None => Anchor::None,
        }
    }

    fn span(self) -> Option<DateSpan> {
        match self {
            Anchor::Published(d) => Some(DateSpan::day(d)),
            Anchor::Window(s) => Some(s),
            Anchor::ReportYear(_) | Anchor::None => None,
        }
    }
}

const FUTURE_CUES: &[&str] = &[
    "will",
    "expected",
    "scheduled",
    "planned",
    "upcoming",
    "hopes",
    "plans",
    "set",
    "next",
    "due",
    "anticipated",
    "slated",
    // "designated Friday as a day of mourning": a day of mourning is declared ahead.
    "designated",
];

/// Whether a sentence speaks of the future.
pub fn future_tense(tokens: &[Token<'_>]) -> bool {
    tokens
        .iter()
        .any(|t| t.is_any(FUTURE_CUES) && (!t.is("set") || tokens.iter().any(|u| u.is("to"))))
}

/// Finds and normalises the time expressions of a sentence. Returns them with a mask of the
/// tokens they use (so that quantities skip days and years).
pub fn times(tokens: &[Token<'_>], anchor: Anchor) -> (Vec<When>, Vec<bool>) {
    let future = future_tense(tokens);
    let mut used = vec![false; tokens.len()];
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((mut when, len)) = at(tokens, i, anchor, future) {
            for u in used.iter_mut().skip(when.token).take(len) {
                *u = true;
            }
            i = when.token + len;
            end_after_start(tokens, &mut when, &out);
            out.push(when);
        } else if let Some(when) = day_before_or_after(tokens, i, &out) {
            for u in used.iter_mut().skip(i).take(3) {
                *u = true;
            }
            i += 3;
            out.push(when);
        } else {
            i += 1;
        }
    }
    (out, used)
}

/// "from 6 p.m. today until midnight Sunday into Monday": the end of a span is not before its
/// start, so a weekday after "until", "till", "into" or "through" is resolved on or after the
/// last day the sentence named before it (the Sunday after today, the Monday after that Sunday),
/// not backwards from publication.
fn end_after_start(tokens: &[Token<'_>], when: &mut When, earlier: &[When]) {
    let (Some(w), Some(span)) = (when.weekday, when.span) else {
        return;
    };
    if !matches!(
        when.inference,
        Inference::FromPublication | Inference::FromWindow
    ) {
        return;
    }
    let ends = (when.token.saturating_sub(3)..when.token)
        .rev()
        .take_while(|&k| {
            tokens[k].is_any(&["until", "till", "into", "through", "midnight", "noon", "on"])
        })
        .any(|k| tokens[k].is_any(&["until", "till", "into", "through"]));
    let Some(start) = earlier.iter().rev().find_map(|e| e.span) else {
        return;
    };
    if ends && span.earliest < start.earliest {
        let earliest = resolve_weekday(start.earliest, w, true);
        let latest = resolve_weekday(start.latest, w, true).max(earliest);
        when.span = Some(DateSpan { earliest, latest });
    }
}

/// "said Wednesday that … promised the day before": "the day before", "the day after", "the
/// previous day" count from the last day the sentence named, not from publication; without
/// such a day, or before a noun ("the day before the talks"), they give nothing.
fn day_before_or_after(tokens: &[Token<'_>], i: usize, earlier: &[When]) -> Option<When> {
    if !tokens[i].is("the") {
        return None;
    }
    let shift = match (tokens.get(i + 1), tokens.get(i + 2)) {
        (Some(a), Some(b)) if a.is("day") && b.is("before") => -1,
        (Some(a), Some(b)) if a.is("day") && b.is("after") => 1,
        (Some(a), Some(b)) if a.is("previous") && b.is("day") => -1,
        (Some(a), Some(b)) if a.is("following") && b.is("day") => 1,
        // "a 2022 deal … halted the next year": the year after the year named.
        (Some(a), Some(b)) if a.is_any(&["next", "following"]) && b.is("year") => {
            return year_from_named(tokens, i, earlier, 1)
        }
        (Some(a), Some(b)) if a.is("previous") && b.is("year") => {
            return year_from_named(tokens, i, earlier, -1)
        }
        _ => return None,
    };
    let ends = tokens
        .get(i + 3)
        .is_none_or(|n| n.kind == TokenKind::Punct || n.is_any(&["and", "but", "when", "as"]));
    if !ends {
        return None;
    }
    let named = earlier
        .iter()
        .rev()
        .find(|w| w.span.is_some_and(|s| s.is_day()))?;
    let day = named.span?.earliest.add_days(shift);
    Some(When {
        text: span_text(tokens, i, 3),
        span: Some(DateSpan::day(day)),
        weekday: None,
        part: None,
        inference: named.inference,
        future: named.future,
        token: i,
    })
}

/// "the next year" / "the previous year" at `i`: the year after or before the last year the
/// sentence named as a whole year; nothing without one.
fn year_from_named(tokens: &[Token<'_>], i: usize, earlier: &[When], shift: i32) -> Option<When> {
    let named = earlier.iter().rev().find(|w| {
        w.span.is_some_and(|s| {
            s.earliest.month == 1
                && s.earliest.day == 1
                && s.latest.month == 12
                && s.latest.day == 31
                && s.earliest.year == s.latest.year
        })
    })?;
    let year = named.span?.earliest.year + shift;
    Some(When {
        text: span_text(tokens, i, 3),
        span: Some(DateSpan::year(year)),
        weekday: None,
        part: None,
        inference: named.inference,
        future: named.future,
        token: i,
    })
}

fn number(t: Option<&Token<'_>>) -> Option<i64> {
    let t = t?;
    if t.kind != TokenKind::Number {
        return None;
    }
    t.text.parse().ok()
}

fn year_at(t: Option<&Token<'_>>) -> Option<i32> {
    let t = t?;
    (t.kind == TokenKind::Number && t.text.len() == 4)
        .then(|| t.text.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The time expression starting at token `i`, with the number of tokens it uses (counted from
/// `when.token`, which may be before `i` for a preceding modifier).
fn at(tokens: &[Token<'_>], i: usize, anchor: Anchor, future: bool) -> Option<(When, usize)> {
    let t = &tokens[i];
    let make = |first: usize, last: usize, span, weekday, part, inference| When {
        text: crate::actors::span_text(tokens, first, last - first + 1),
        span,
        weekday,
        part,
        inference,
        future,
        token: first,
    };
    // Month names: "January 3, 2026", "January 5-6", "February 2022", "in November".
    if let Some(month) = month_number(t.text).filter(|_| t.is_capitalised()) {
        let day_token = tokens.get(i + 1);
        let day_range = day_token.and_then(|d| {
            if d.kind != TokenKind::Number || d.text.contains(',') || d.text.len() > 5 {
                return None;
            }
            match d.text.split_once('-') {
                Some((a, b)) => Some((a.parse::<u8>().ok()?, b.parse::<u8>().ok()?)),
                None => {
                    let v: u8 = d.text.parse().ok()?;
                    Some((v, v))
                }
            }
        });
        if let Some((d1, d2)) =
            day_range.filter(|&(a, b)| (1..=31).contains(&a) && a <= b && b <= 31)
        {
            // An optional year after a comma or directly.
            let (year, last) = if tokens.get(i + 2).is_some_and(|c| c.is_punct(','))
                && year_at(tokens.get(i + 3)).is_some()
            {
                (year_at(tokens.get(i + 3)), i + 3)
            } else if let Some(y) = year_at(tokens.get(i + 2)) {
                (Some(y), i + 2)
            } else {
                (None, i + 1)
            };
            let (span, inference) = match year {
                Some(y) => (span_days(y, month, d1, d2), Inference::Stated),
                None => match anchor.span() {
                    Some(a) => {
                        let y = nearest_year(a.earliest, month);
                        let inf = if matches!(anchor, Anchor::Published(_)) {
                            Inference::FromPublication
                        } else {
                            Inference::FromWindow
                        };
                        (span_days(y, month, d1, d2), inf)
                    }
                    None => match anchor {
                        Anchor::ReportYear(y) => {
                            (span_days(y, month, d1, d2), Inference::FromReportYear)
                        }
                        _ => (None, Inference::Unanchored),
                    },
                },
            };
            let span = span?;
            let weekday = None;
            return Some((
                make(i, last, Some(span), weekday, None, inference),
                last - i + 1,
            ));
        }
        // A day before the month: "3 January 2026".
        if let Some(y) = year_at(tokens.get(i + 1)) {
            let first = if number(tokens.get(i.wrapping_sub(1)))
                .is_some_and(|d| (1..=31).contains(&d))
                && i > 0
            {
                i - 1
            } else {
                i
            };
            let span = if first < i {
                let d = number(tokens.get(first)).unwrap_or(1) as u8;
                Date::new(y, month, d).map(DateSpan::day)
            } else {
                DateSpan::month(y, month)
            }?;
            return Some((
                make(first, i + 1, Some(span), None, None, Inference::Stated),
                i + 1 - first + 1,
            ));
        }
        // A day (or days) before the month, without a year: "on 16 May", "the night of 23-24
        // April".
        if i > 0 && tokens[i - 1].kind == TokenKind::Number && !tokens[i - 1].text.contains(',') {
            let d = tokens[i - 1].text;
            let days = match d.split_once('-') {
                Some((a, b)) => a.parse::<u8>().ok().zip(b.parse::<u8>().ok()),
                None => d.parse::<u8>().ok().map(|v| (v, v)),
            };
            if let Some((d1, d2)) =
                days.filter(|&(a, b)| (1..=31).contains(&a) && a <= b && b <= 31)
            {
                let (span, inference) = match anchor {
                    Anchor::Published(p) => (
                        span_days(nearest_year(p, month), month, d1, d2),
                        Inference::FromPublication,
                    ),
                    Anchor::Window(w) => (
                        span_days(nearest_year(w.earliest, month), month, d1, d2),
                        Inference::FromWindow,
                    ),
                    Anchor::ReportYear(y) => {
                        (span_days(y, month, d1, d2), Inference::FromReportYear)
                    }
                    Anchor::None => (None, Inference::Unanchored),
                };
                if let Some(span) = span {
                    return Some((make(i - 1, i, Some(span), None, None, inference), 2));
                }
            }
        }
        let prev = i.checked_sub(1).map(|k| &tokens[k]);
        let introduced = prev.is_some_and(|p| {
            p.is_any(&[
                "in", "of", "since", "until", "by", "during", "early", "late", "mid", "last",
                "next", "this", "from", "through",
            ])
        });
        // "May" alone is more often the verb; after "since", "in", "by" it is the month.
        if !introduced {
            return None;
        }
        // "by the end of August", "until September", "before the end of May": a deadline
        // looks ahead, whatever the tense of the sentence.
        let deadline = (i.saturating_sub(5)..i).any(|k| {
            tokens[k].is_any(&["by", "until", "till", "before", "next"])
                && !tokens[k + 1..i].iter().any(|w| w.is_punct(','))
        });
        let (span, inference) = match anchor {
            Anchor::Published(p) => {
                let y = if future || deadline {
                    if month >= p.month {
                        p.year
                    } else {
                        p.year + 1
                    }
                } else if month <= p.month {
                    p.year
                } else {
                    p.year - 1
                };
                (DateSpan::month(y, month), Inference::FromPublication)
            }
            Anchor::Window(w) => {
                let y = nearest_year(w.earliest, month);
                (DateSpan::month(y, month), Inference::FromWindow)
            }
            Anchor::ReportYear(_) | Anchor::None => (None, Inference::Unanchored),
        };
        // Month without any anchor: nothing normalised, but the phrase is kept.
        return Some((make(i, i, span, None, None, inference), 1));
    }
    // A bare year: "in 2022", "As 2026 opened", "since 1945".
    if let Some(y) = year_at(Some(t)) {
        let next_is_unit = tokens.get(i + 1).is_some_and(|n| {
            n.kind == TokenKind::Word
                && n.text.chars().next().is_some_and(char::is_lowercase)
                && !n.is_any(&[
                    "opened", "began", "ended", "and", "or", "to", "when", "after", "before", "as",
                    "was", "is", "has", "had", "saw", "brought", "marked",
                    // "since early 2022 in Istanbul": a preposition after the year.
                    "in", "on", "at", "with", "for", "from", "by", "during", "amid", "until",
                    "since", "but", "than",
                ])
        });
        let money = i > 0 && matches!(tokens[i - 1].text, "$" | "£" | "€");
        // "a 2022 agreement", "the 2014 annexation": a year before a singular noun, after an
        // article, names when (a count would take a plural: "the 2000 troops").
        let modifier = i > 0
            && tokens[i - 1].is_any(&["a", "an", "the", "its", "their"])
            && tokens.get(i + 1).is_some_and(|n| {
                n.kind == TokenKind::Word
                    && (!n.text.ends_with('s') || n.text.ends_with("ss"))
                    && n.text.chars().next().is_some_and(char::is_lowercase)
            });
        if (!next_is_unit || modifier) && !money {
            return Some((
                make(i, i, Some(DateSpan::year(y)), None, None, Inference::Stated),
                1,
            ));
        }
        return None;
    }
    // A named day ("Palm Sunday", "Black Saturday", "Good Friday") is a feast or an epithet,
    // not a date to resolve.
    let named_day = i > 0
        && tokens[i - 1].is_capitalised()
        && tokens[i - 1].is_any(NAMED_DAY_WORDS)
        && Weekday::parse(t.text).is_some();
    if named_day {
        return None;
    }
    // "Sunday, May 25", "Wednesday (July 23)", "Wednesday of July 23": the date that follows
    // says which day; the weekday adds nothing to resolve.
    let dated_weekday = Weekday::parse(t.text).is_some()
        && tokens
            .get(i + 1)
            .is_some_and(|n| n.is_punct(',') || n.text == "(" || n.is("of"))
        && tokens
            .get(i + 2)
            .is_some_and(|n| n.is_capitalised() && month_number(n.text).is_some())
        && tokens.get(i + 3).is_some_and(|n| {
            n.kind == TokenKind::Number && number(Some(n)).is_some_and(|d| (1..=31).contains(&d))
        });
    if dated_weekday {
        return None;
    }
    // Weekdays with their modifiers.
    if let Some(w) = Weekday::parse(t.text).filter(|_| t.is_capitalised()) {
        let mut first = i;
        let mut part = None;
        let mut direction: Option<bool> = None; // Some(true): future.
                                                // Look back over "on", "late", "early", "last", "next", "this", "overnight".
        let mut k = i;
        while k > 0 && i - k < 3 {
            let p = &tokens[k - 1];
            if p.is("on") {
            } else if p.is("late") {
                part = Some(DayPart::Late);
            } else if p.is("early") {
                part = Some(DayPart::Early);
            } else if p.is("overnight") {
                part = Some(DayPart::Night);
            } else if p.is("last") || p.is("past") {
                direction = Some(false);
            } else if p.is("next") || p.is("coming") {
                direction = Some(true);
            } else if p.is("this") {
            } else {
                break;
            }
            k -= 1;
            first = k;
        }
        let mut last = i;
        if let Some(n) = tokens.get(i + 1) {
            let p = match n.text.to_lowercase().as_str() {
                "morning" => Some(DayPart::Morning),
                "afternoon" => Some(DayPart::Afternoon),
                "evening" => Some(DayPart::Evening),
                "night" => Some(DayPart::Night),
                _ => None,
            };
            if p.is_some() {
                part = p;
                last = i + 1;
            }
        }
        let forward = direction.unwrap_or(future);
        let (span, inference) = match anchor {
            Anchor::Published(p) => (
                Some(DateSpan::day(resolve_weekday(p, w, forward))),
                Inference::FromPublication,
            ),
            Anchor::Window(s) => {
                let a = resolve_weekday(s.earliest, w, forward);
                let b = resolve_weekday(s.latest, w, forward);
                (
                    Some(DateSpan {
                        earliest: a,
                        latest: b,
                    }),
                    Inference::FromWindow,
                )
            }
            Anchor::ReportYear(_) | Anchor::None => (None, Inference::Unanchored),
        };
        return Some((
            make(first, last, span, Some(w), part, inference),
            last - first + 1,
        ));
    }
    // Relative phrases.
    let lower = |k: usize| {
        tokens
            .get(k)
            .map(|t| t.text.to_lowercase())
            .unwrap_or_default()
    };
    let w0 = lower(i);
    let w1 = lower(i + 1);
    let relative: Option<(usize, i64, &str)> = match (w0.as_str(), w1.as_str()) {
        ("today", _) | ("tonight", _) => Some((1, 0, "day")),
        ("yesterday", _) => Some((1, -1, "day")),
        ("tomorrow", _) => Some((1, 1, "day")),
        // "over the weekend", "during the weekend": the weekend of the publication's week.
        ("the", "weekend")
            if i > 0 && tokens[i - 1].is_any(&["over", "during", "at", "on", "for"]) =>
        {
            Some((2, 0, "weekend"))
        }
        // "the next year", "the previous week" count from a time the sentence names, not from
        // publication (see `day_before_or_after`).
        ("last" | "this" | "next", "week" | "month" | "year" | "weekend")
            if !(i > 0 && tokens[i - 1].is("the")) =>
        {
            let shift = match w0.as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            Some((
                2,
                shift,
                if w1 == "weekend" {
                    "weekend"
                } else {
                    tokens[i + 1].text
                },
            ))
        }
        _ => None,
    };
    let (len, shift, unit) = relative?;
    let unit = unit.to_lowercase();
    let (span, inference) = match anchor {
        Anchor::Published(p) => (
            relative_span(p, shift, &unit, future),
            Inference::FromPublication,
        ),
        Anchor::Window(s) => {
            let a = relative_span(s.earliest, shift, &unit, future);
            let b = relative_span(s.latest, shift, &unit, future);
            match (a, b) {
                (Some(a), Some(b)) => (
                    Some(DateSpan {
                        earliest: a.earliest,
                        latest: b.latest,
                    }),
                    Inference::FromWindow,
                ),
                _ => (None, Inference::Unanchored),
            }
        }
        Anchor::ReportYear(_) | Anchor::None => (None, Inference::Unanchored),
    };
    Some((make(i, i + len - 1, span, None, None, inference), len))
}

fn span_days(year: i32, month: u8, d1: u8, d2: u8) -> Option<DateSpan> {
    Some(DateSpan {
        earliest: Date::new(year, month, d1)?,
        latest: Date::new(year, month, d2)?,
    })
}

/// The year that puts `month` closest to `near`.
fn nearest_year(near: Date, month: u8) -> i32 {
    let diff = i32::from(month) - i32::from(near.month);
    if diff > 6 {
        near.year - 1
    } else if diff < -6 {
        near.year + 1
    } else {
        near.year
    }
}

/// The most recent `w` on or before `p`, or the next on or after it.
pub fn resolve_weekday(p: Date, w: Weekday, forward: bool) -> Date {
    let have = p.weekday().index();
    let want = w.index();
    if forward {
        p.add_days((want - have).rem_euclid(7))
    } else {
        p.add_days(-((have - want).rem_euclid(7)))
    }
}

fn relative_span(p: Date, shift: i64, unit: &str, future: bool) -> Option<DateSpan> {
    match unit {
        "day" => Some(DateSpan::day(p.add_days(shift))),
        "week" => {
            if shift == 0 {
                // The seven days ending on publication ("this week" in a report looks back).
                return Some(DateSpan {
                    earliest: p.add_days(-6),
                    latest: p,
                });
            }
            // "next week", "last week": the whole calendar week, Monday to Sunday, after or
            // before publication's.
            let monday = p.add_days(-(p.weekday().index() - Weekday::Monday.index()).rem_euclid(7));
            let start = monday.add_days(7 * shift);
            Some(DateSpan {
                earliest: start,
                latest: start.add_days(6),
            })
        }
        "weekend" => {
            let sat = resolve_weekday(p, Weekday::Saturday, future || shift > 0);
            let sat = if shift < 0 { sat.add_days(-7) } else { sat };
            Some(DateSpan {
                earliest: sat,
                latest: sat.add_days(1),
            })
        }
        "month" => {
            let total = i64::from(p.year) * 12 + i64::from(p.month) - 1 + shift;
            DateSpan::month(
                total.div_euclid(12) as i32,
                (total.rem_euclid(12) + 1) as u8,
            )
        }
        "year" => Some(DateSpan::year(p.year + shift as i32)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn canon(text: &str, anchor: Anchor) -> Vec<String> {
        let tokens = tokenize(text);
        times(&tokens, anchor)
            .0
            .iter()
            .map(|w| w.canonical().unwrap_or_else(|| format!("?{}", w.text)))
            .collect()
    }

    fn sat() -> Anchor {
        Anchor::Published(Date::new(2026, 1, 3).unwrap())
    }

    #[test]
    fn the_day_before_counts_from_the_day_named() {
        assert_eq!(
            canon(
                "The ministry said Friday that it freed 20 sailors, one fewer than promised the day before.",
                sat()
            ),
            ["2026-01-02", "2026-01-01"]
        );
        assert!(canon("promised the day before the talks", sat()).is_empty());
        assert!(canon("as promised the day before.", sat()).is_empty());
    }

    #[test]
    fn a_year_before_a_noun_and_the_next_year() {
        assert_eq!(
            canon(
                "The pact replaced a 2019 treaty that Armenia left the next year.",
                sat()
            ),
            ["2019", "2020"]
        );
        assert_eq!(canon("since the 2014 annexation", sat()), ["2014"]);
        // A count before a plural, and "the next year" with no year named.
        assert!(canon("the 2000 troops arrived", sat()).is_empty());
        assert!(canon("The deal was signed and broken the next year.", sat()).is_empty());
        // Without "the", next year counts from publication.
        assert_eq!(canon("talks resume next year", sat()), ["2027"]);
    }

    #[test]
    fn the_end_of_a_span_is_not_before_its_start() {
        assert_eq!(
            canon(
                "Russia is declaring a ceasefire from 6 p.m. today until midnight Sunday into Monday.",
                sat()
            ),
            ["2026-01-03", "2026-01-04", "2026-01-05"]
        );
        // With no start named, a weekday past is still the one before publication.
        assert_eq!(
            canon("The truce lasted until Sunday.", sat()),
            ["2025-12-28"]
        );
    }

    #[test]
    fn weekdays_against_a_publication_date() {
        assert_eq!(
            canon("killed in a strike late Friday", sat()),
            ["2026-01-02"]
        );
        assert_eq!(canon("met on Saturday", sat()), ["2026-01-03"]);
        assert_eq!(
            canon("a meeting is expected on Tuesday", sat()),
            ["2026-01-06"]
        );
        assert_eq!(canon("early on Thursday", sat()), ["2026-01-01"]);
    }

    #[test]
    fn named_days_are_not_dates() {
        assert!(canon("as crowds gathered to celebrate Palm Sunday", sat()).is_empty());
        assert!(canon("the attack of Black Saturday", sat()).is_empty());
        assert_eq!(
            canon("the strike on Sunday, Palm Sunday, killed 34", sat()),
            ["2025-12-28"]
        );
    }

    #[test]
    fn weekdays_without_a_publication_date() {
        assert_eq!(
            canon("late Friday and early Saturday", Anchor::None),
            ["Friday", "Saturday"]
        );
        let window = Anchor::Window(DateSpan::parse("2025-12-27..2026-01-10").unwrap());
        let tokens = tokenize("late Friday");
        let w = &times(&tokens, window).0[0];
        assert_eq!(w.span.unwrap().to_string(), "2025-12-26..2026-01-09");
        assert_eq!(w.inference, Inference::FromWindow);
    }

    #[test]
    fn absolute_and_relative_dates() {
        assert_eq!(
            canon("On January 3, 2026, Kyiv hosted", Anchor::None),
            ["2026-01-03"]
        );
        assert_eq!(
            canon("the January 5-6 meetings", sat()),
            ["2026-01-05..2026-01-06"]
        );
        assert_eq!(canon("on January 6", sat()), ["2026-01-06"]);
        assert_eq!(canon("resigned in November", sat()), ["2025-11"]);
        assert_eq!(
            canon("in February 2022 and in 2022", Anchor::None),
            ["2022-02", "2022"]
        );
        assert_eq!(canon("03 January 2026", Anchor::None), ["2026-01-03"]);
        assert_eq!(canon("last year", sat()), ["2025"]);
        assert_eq!(canon("last year", Anchor::None), ["?last year"]);
        assert_eq!(canon("leaked last month", sat()), ["2025-12"]);
        assert!(canon("it May rain; 2022 people", Anchor::None).is_empty());
    }

    /// Issue 17: days written before the month, weekends, and undated reports' own year.
    #[test]
    fn day_month_order_weekends_and_the_report_year() {
        let thu = Anchor::Published(Date::new(2025, 5, 22).unwrap());
        assert_eq!(canon("On 16 May, he said", thu), ["2025-05-16"]);
        assert_eq!(
            canon("on the night of 23-24 April", thu),
            ["2025-04-23..2025-04-24"]
        );
        let fri = Anchor::Published(Date::new(2025, 5, 23).unwrap());
        assert_eq!(
            canon("further exchanges anticipated over the weekend", fri),
            ["2025-05-24..2025-05-25"]
        );
        let undated = Anchor::ReportYear(2025);
        assert_eq!(
            canon("The exchange concluded on Sunday, May 25", undated),
            ["2025-05-25"]
        );
        assert_eq!(
            canon("beginning Friday, May 23, when", undated),
            ["2025-05-23"]
        );
        assert_eq!(canon("on Saturday", undated), ["Saturday"]);
        assert_eq!(
            canon(
                "met on Wednesday (July 23)",
                Anchor::Published(Date::new(2025, 7, 24).unwrap())
            ),
            ["2025-07-23"]
        );
    }

    /// Issue 17: next and last week are calendar weeks, Monday to Sunday.
    #[test]
    fn weeks_are_calendar_weeks() {
        let mon = Anchor::Published(Date::new(2025, 6, 2).unwrap());
        assert_eq!(
            canon("Ukraine will receive them next week.", mon),
            ["2025-06-09..2025-06-15"]
        );
        let wed = Anchor::Published(Date::new(2025, 6, 4).unwrap());
        assert_eq!(canon("talks last week", wed), ["2025-05-26..2025-06-01"]);
        assert_eq!(canon("met this week", wed), ["2025-05-29..2025-06-04"]);
    }

    /// The held-out sets' misses (issue 17): a month after "since" even when it is "May"; a deadline month looks ahead.
    #[test]
    fn deadlines_look_ahead_and_since_may() {
        let jul = Anchor::Published(Date::new(2025, 7, 24).unwrap());
        assert_eq!(
            canon("proposed a summit by the end of August", jul),
            ["2025-08"]
        );
        assert_eq!(canon("a truce until September", jul), ["2025-09"]);
        assert_eq!(canon("a summit in August", jul), ["2024-08"]);
        let jun = Anchor::Published(Date::new(2025, 6, 24).unwrap());
        assert_eq!(canon("its attacks since May when it", jun), ["2025-05"]);
        assert!(canon("They May agree.", jun).is_empty());
        assert_eq!(
            canon("their first direct talks since early 2022 in Istanbul", jun),
            ["2022"]
        );
    }
}

//! Calendar dates, weekdays and date spans: the small civil calendar that normalising "late
//! Friday" against a publication date needs, without a date-time dependency.

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

impl Weekday {
    /// The English name, capitalised.
    pub fn name(self) -> &'static str {
        match self {
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
            Weekday::Sunday => "Sunday",
        }
    }

    /// Reads an English weekday name (any case, a trailing possessive allowed).
    pub fn parse(word: &str) -> Option<Weekday> {
        let w = word.trim_end_matches("’s").trim_end_matches("'s");
        WEEKDAYS
            .iter()
            .copied()
            .find(|d| d.name().eq_ignore_ascii_case(w))
    }

    /// Monday is 0, Sunday 6.
    pub fn index(self) -> i64 {
        WEEKDAYS.iter().position(|&d| d == self).unwrap_or(0) as i64
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month (1 to 12) a word names: a full English name or a usual abbreviation ("Jan",
/// "Sept."), any case.
pub fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    for (k, name) in MONTHS.iter().enumerate() {
        if name.eq_ignore_ascii_case(w) {
            return Some(k as u8 + 1);
        }
        // Abbreviations: "Jan", "Sept"; "May" is a full name already.
        let abbreviation = w.len() <= 4 && name.len() > w.len() && {
            let prefix = &name[..w.len()];
            prefix.eq_ignore_ascii_case(w)
        };
        if abbreviation && w.chars().next().is_some_and(|c| c.is_uppercase()) {
            return Some(k as u8 + 1);
        }
    }
    None
}

/// Days in a month of a year.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3).
        WEEKDAYS[((self.days() + 3).rem_euclid(7)) as usize]
    }

    /// The first day of this date's month.
    pub fn first_of_month(self) -> Date {
        Date { day: 1, ..self }
    }

    /// The last day of this date's month.
    pub fn last_of_month(self) -> Date {
        Date {
            day: days_in_month(self.year, self.month),
            ..self
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A closed interval of days: one day, a month, a year, or "some day in this window".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateSpan {
    /// The first possible day.
    pub earliest: Date,
    /// The last possible day.
    pub latest: Date,
}

impl DateSpan {
    /// One day.
    pub fn day(date: Date) -> DateSpan {
        DateSpan {
            earliest: date,
            latest: date,
        }
    }

    /// A whole month.
    pub fn month(year: i32, month: u8) -> Option<DateSpan> {
        let first = Date::new(year, month, 1)?;
        Some(DateSpan {
            earliest: first,
            latest: first.last_of_month(),
        })
    }

    /// A whole year.
    pub fn year(year: i32) -> DateSpan {
        DateSpan {
            earliest: Date {
                year,
                month: 1,
                day: 1,
            },
            latest: Date {
                year,
                month: 12,
                day: 31,
            },
        }
    }

    /// Whether the span is a single day.
    pub fn is_day(&self) -> bool {
        self.earliest == self.latest
    }

    /// Whether two spans share a day.
    pub fn overlaps(&self, other: &DateSpan) -> bool {
        self.earliest <= other.latest && other.earliest <= self.latest
    }

    /// Number of days in the span.
    pub fn len_days(&self) -> i64 {
        self.latest.days() - self.earliest.days() + 1
    }

    /// Reads `2026-01-03`, `2026-01` (a month), `2026` (a year), `2026-01-05..2026-01-06`, or
    /// a date as news text writes it (`3 January 2026`, `January 3, 2026`, `Jan 10, 2026`).
    pub fn parse(text: &str) -> Option<DateSpan> {
        let t = text.trim();
        if let Some((a, b)) = t.split_once("..") {
            let (a, b) = (DateSpan::parse(a)?, DateSpan::parse(b)?);
            return (a.earliest <= b.latest).then_some(DateSpan {
                earliest: a.earliest,
                latest: b.latest,
            });
        }
        let parts: Vec<&str> = t.split('-').collect();
        let all_digits = parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if all_digits && parts[0].len() == 4 {
            let year: i32 = parts[0].parse().ok()?;
            return match parts.len() {
                1 => Some(DateSpan::year(year)),
                2 => DateSpan::month(year, parts[1].parse().ok()?),
                3 => Date::new(year, parts[1].parse().ok()?, parts[2].parse().ok()?)
                    .map(DateSpan::day),
                _ => None,
            };
        }
        parse_written_date(t).map(DateSpan::day)
    }
}

impl fmt::Display for DateSpan {
    /// `2026-01-03`, `2026-01` for a whole month, `2026` for a whole year, else `a..b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (self.earliest, self.latest);
        if a == b {
            write!(f, "{a}")
        } else if a.year == b.year && a.month == 1 && a.day == 1 && b.month == 12 && b.day == 31 {
            write!(f, "{:04}", a.year)
        } else if a.year == b.year && a.month == b.month && a.day == 1 && b == b.last_of_month() {
            write!(f, "{:04}-{:02}", a.year, a.month)
        } else {
            write!(f, "{a}..{b}")
        }
    }
}

/// Reads a full date as news text writes it: `3 January 2026`, `03 January 2026`,
/// `January 3, 2026`, `Jan 10, 2026`.
pub fn parse_written_date(text: &str) -> Option<Date> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() != 3 {
        return None;
    }
    let year: i32 = words[2].parse().ok()?;
    if let Some(month) = month_number(words[0]) {
        return Date::new(year, month, words[1].parse().ok()?);
    }
    let month = month_number(words[1])?;
    Date::new(year, month, words[0].parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_weekdays() {
        for days in -800_000..800_000i64 {
            if days % 997 != 0 {
                continue;
            }
            assert_eq!(Date::from_days(days).days(), days);
        }
        let d = Date::new(2026, 1, 3).unwrap();
        assert_eq!(d.weekday(), Weekday::Saturday);
        assert_eq!(d.add_days(-1).to_string(), "2026-01-02");
        assert_eq!(
            Date::new(2025, 12, 31).unwrap().add_days(1),
            Date::new(2026, 1, 1).unwrap()
        );
        assert_eq!(Date::new(2024, 2, 29).unwrap().weekday(), Weekday::Thursday);
        assert!(Date::new(2025, 2, 29).is_none());
    }

    #[test]
    fn spans_parse_and_print() {
        for text in ["2026-01-03", "2025-12", "2022", "2026-01-05..2026-01-06"] {
            assert_eq!(DateSpan::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            DateSpan::parse("03 January 2026").unwrap().to_string(),
            "2026-01-03"
        );
        assert_eq!(
            DateSpan::parse("Jan 10, 2026").unwrap().to_string(),
            "2026-01-10"
        );
        assert!(DateSpan::parse("2026-13").is_none());
        assert!(DateSpan::parse("Friday").is_none());
        assert!(DateSpan::parse("2026-01-06..2026-01-05").is_none());
    }

    #[test]
    fn month_names() {
        assert_eq!(month_number("January"), Some(1));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("Jan"), Some(1));
        assert_eq!(month_number("may"), Some(5));
        assert_eq!(
            month_number("mar"),
            None,
            "a lower-case abbreviation is a word"
        );
        assert_eq!(month_number("Ma"), None);
    }
}

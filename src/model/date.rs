//! Dates with the precision that is actually known: a year, a month or a day.
//!
//! Press reports say "next spring" or "in December"; a model card says "2025-04-05".
//! Rounding a month to its first day would invent a fact, so a [`PartialDate`] keeps
//! its precision, and comparisons only answer when the order is certain.
//!
//! Deserialisation never fails on a malformed date: it keeps the text in
//! [`DateValue::Invalid`] so the validator can report every bad date in one run.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A calendar date known to a year, a month or a day. Fields beyond the precision are
/// stored as 0 and never read.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: u16,
    month: u8,
    day: u8,
}

impl PartialDate {
    pub fn year(year: u16) -> Self {
        PartialDate {
            year,
            month: 0,
            day: 0,
        }
    }

    /// A full date; `None` when the day does not exist in that month.
    pub fn ymd(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(PartialDate { year, month, day })
    }

    pub fn precision(self) -> Precision {
        match (self.month, self.day) {
            (0, _) => Precision::Year,
            (_, 0) => Precision::Month,
            _ => Precision::Day,
        }
    }

    pub fn year_part(self) -> u16 {
        self.year
    }

    /// The earliest day this date can stand for (`2025-04` starts on `2025-04-01`),
    /// as `(year, month, day)`.
    pub fn first_day(self) -> (u16, u8, u8) {
        (self.year, self.month.max(1), self.day.max(1))
    }

    /// The latest day this date can stand for (`2025-04` ends on `2025-04-30`).
    pub fn last_day(self) -> (u16, u8, u8) {
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year, month)
        } else {
            self.day
        };
        (self.year, month, day)
    }

    /// `Some(Less)` only when every day `self` can stand for precedes every day `other`
    /// can stand for; `None` when the two overlap (`2025-04` and `2025-04-05`).
    pub fn certain_cmp(self, other: PartialDate) -> Option<Ordering> {
        if self.last_day() < other.first_day() {
            Some(Ordering::Less)
        } else if self.first_day() > other.last_day() {
            Some(Ordering::Greater)
        } else if self == other && self.precision() == Precision::Day {
            Some(Ordering::Equal)
        } else {
            None
        }
    }

    /// ISO 8601 text at this precision: `2025`, `2025-04` or `2025-04-05`.
    pub fn to_iso(self) -> String {
        self.to_string()
    }
}

/// The number of days in a month of the proleptic Gregorian calendar, from `jiff`
/// (the one calendar of the crate); 0 for a month or year it does not know, which no
/// day is within. Years are four digits (`YYYY`), well inside jiff's -9999..=9999.
fn days_in_month(year: u16, month: u8) -> u8 {
    let (Ok(year), Ok(month)) = (i16::try_from(year), i8::try_from(month)) else {
        return 0;
    };
    jiff::civil::Date::new(year, month, 1).map_or(0, |first| first.days_in_month().unsigned_abs())
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision() {
            Precision::Year => write!(f, "{:04}", self.year),
            Precision::Month => write!(f, "{:04}-{:02}", self.year, self.month),
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

impl fmt::Debug for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a date could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Format,
    /// Well formed, but no such month or day (`2025-02-30`).
    NoSuchDay,
    /// Outside 1900..=2100: almost certainly a typo in this field.
    OutOfRange,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateError::Format => "expected a date written YYYY, YYYY-MM or YYYY-MM-DD",
            DateError::NoSuchDay => "no such month or day in the calendar",
            DateError::OutOfRange => "the year must lie between 1900 and 2100",
        })
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    /// Parses a date of the data: years outside 1900 to 2100 are refused as typos.
    fn from_str(text: &str) -> Result<Self, DateError> {
        let date = PartialDate::parse_any_year(text)?;
        if !(1900..=2100).contains(&date.year) {
            return Err(DateError::OutOfRange);
        }
        Ok(date)
    }
}

impl PartialDate {
    /// What [`PartialDate::parse_any_year`] accepts, for the messages of every place
    /// that takes a date in a question (`as_of`, `known_at`: API, web pages, CLI).
    pub const QUESTION_GRAMMAR: &'static str = "a date YYYY-MM-DD (or YYYY-MM, YYYY)";

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with any four-digit year: a question
    /// such as "what held on 0001-01-01" is valid even though no data is that old.
    /// This is the one grammar of dates in questions: the API, the web pages and the
    /// CLI all parse `as_of` and `known_at` with it.
    pub fn parse_any_year(text: &str) -> Result<Self, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let widths_ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        };
        if !widths_ok || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(DateError::Format);
        }
        let number = |p: &str| p.parse::<u16>().map_err(|_| DateError::Format);
        let year = number(parts[0])?;
        let month = parts.get(1).map(|p| number(p)).transpose()?;
        let day = parts.get(2).map(|p| number(p)).transpose()?;
        match (month, day) {
            (None, _) => Ok(PartialDate::year(year)),
            (Some(m), None) if (1..=12).contains(&m) => Ok(PartialDate {
                year,
                month: m as u8,
                day: 0,
            }),
            (Some(m), Some(d)) if m <= 12 && d <= 31 => {
                PartialDate::ymd(year, m as u8, d as u8).ok_or(DateError::NoSuchDay)
            }
            _ => Err(DateError::NoSuchDay),
        }
    }
}

/// A date field as written in YAML: either a valid [`PartialDate`] or the text that
/// failed to parse, kept for the validator's report.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum DateValue {
    Valid(PartialDate),
    Invalid(Box<str>, DateError),
}

impl DateValue {
    /// The date, for code that runs after validation has rejected invalid ones.
    pub fn date(&self) -> Option<PartialDate> {
        match self {
            DateValue::Valid(date) => Some(*date),
            DateValue::Invalid(..) => None,
        }
    }
}

impl fmt::Debug for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateValue::Valid(date) => fmt::Display::fmt(date, f),
            DateValue::Invalid(text, _) => write!(f, "invalid {text:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateValue, E> {
                Ok(match text.parse() {
                    Ok(date) => DateValue::Valid(date),
                    Err(error) => DateValue::Invalid(text.into(), error),
                })
            }
            // A bare year is an integer to YAML; with a string target serde-saphyr hands
            // us its text, but other deserialisers (JSON, say) hand us the number.
            fn visit_u64<E: serde::de::Error>(self, year: u64) -> Result<DateValue, E> {
                self.visit_str(&year.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, year: i64) -> Result<DateValue, E> {
                self.visit_str(&year.to_string())
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for DateValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DateValue::Valid(date) => date.serialize(serializer),
            DateValue::Invalid(text, _) => serializer.serialize_str(text),
        }
    }
}

impl JsonSchema for DateValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A date at the precision known: YYYY, YYYY-MM or YYYY-MM-DD.",
            "anyOf": [
                { "type": "string", "pattern": r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$" },
                { "type": "integer", "minimum": 1900, "maximum": 2100 }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> PartialDate {
        text.parse().unwrap()
    }

    #[test]
    fn parses_each_precision_and_prints_it_back() {
        for text in ["2025", "2025-04", "2025-04-05", "2024-02-29"] {
            assert_eq!(d(text).to_string(), text);
        }
        assert_eq!(d("2025").precision(), Precision::Year);
        assert_eq!(d("2025-04").precision(), Precision::Month);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        assert_eq!("2025-4-5".parse::<PartialDate>(), Err(DateError::Format));
        assert_eq!("25".parse::<PartialDate>(), Err(DateError::Format));
        assert_eq!(
            "2025-02-29".parse::<PartialDate>(),
            Err(DateError::NoSuchDay)
        );
        assert_eq!("2025-13".parse::<PartialDate>(), Err(DateError::NoSuchDay));
        assert_eq!(
            "2025-00-10".parse::<PartialDate>(),
            Err(DateError::NoSuchDay)
        );
        assert_eq!("1066".parse::<PartialDate>(), Err(DateError::OutOfRange));
        assert_eq!("spring".parse::<PartialDate>(), Err(DateError::Format));
    }

    #[test]
    fn compares_only_when_certain() {
        assert_eq!(d("2025-04").certain_cmp(d("2025-04-05")), None);
        assert_eq!(d("2025").certain_cmp(d("2025-12-31")), None);
        assert_eq!(
            d("2025-03").certain_cmp(d("2025-04-01")),
            Some(Ordering::Less)
        );
        assert_eq!(
            d("2026").certain_cmp(d("2025-12-31")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            d("2025-04-05").certain_cmp(d("2025-04-05")),
            Some(Ordering::Equal)
        );
        assert_eq!(d("2025-04").certain_cmp(d("2025-04")), None);
    }
}

//! Dates as résumés write them: a year, a month or a day, and `present` for ongoing.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A date with the precision it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    /// 1–12, when given.
    pub month: Option<u8>,
    /// 1–31 and valid for the month, when given.
    pub day: Option<u8>,
}

impl Date {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, explaining what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let bad_format = || {
            format!(
                "invalid date \"{text}\": write it as YYYY, YYYY-MM or YYYY-MM-DD (for example 2021-03)"
            )
        };
        let parts: Vec<&str> = text.split('-').collect();
        let widths_ok = matches!(parts.as_slice(), [y] if y.len() == 4)
            || matches!(parts.as_slice(), [y, m] if y.len() == 4 && m.len() == 2)
            || matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2);
        if !widths_ok || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            return Err(bad_format());
        }
        let number = |s: &str| s.parse::<u16>().map_err(|_| bad_format());
        let year = number(parts[0])?;
        let month = parts.get(1).map(|m| number(m)).transpose()?;
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!(
                "invalid month {m} in date \"{text}\": months run from 01 to 12"
            ));
        }
        let day = parts.get(2).map(|d| number(d)).transpose()?;
        if let (Some(m), Some(d)) = (month, day) {
            let last = days_in_month(year, m as u8);
            if d == 0 || d > u16::from(last) {
                return Err(format!(
                    "invalid day {d} in date \"{text}\": {} {year} has {last} days",
                    MONTHS_EN[m as usize - 1]
                ));
            }
        }
        Ok(Date {
            year,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }

    /// The earliest day this date can mean, for comparing dates of different precision.
    fn first_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The latest day this date can mean.
    fn last_day(&self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        (
            self.year,
            month,
            self.day.unwrap_or_else(|| days_in_month(self.year, month)),
        )
    }

    /// Whether `self` as an end date lies before `start` however both are read.
    pub fn ends_before(&self, start: &Date) -> bool {
        self.last_day() < start.first_day()
    }
}

const MONTHS_EN: [&str; 12] = [
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

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    /// ISO form, at the precision written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(DateVisitor {
                allow_present: false,
            })
            .and_then(|d| match d {
                EndDate::Date(d) => Ok(d),
                EndDate::Present => Err(de::Error::custom(
                    "unreachable: present is only an end date",
                )),
            })
    }
}

/// An end date: a date, or `present` for ongoing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EndDate {
    Date(Date),
    #[serde(serialize_with = "serialize_present")]
    Present,
}

fn serialize_present<S: Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("present")
}

impl<'de> Deserialize<'de> for EndDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor {
            allow_present: true,
        })
    }
}

struct DateVisitor {
    allow_present: bool,
}

impl Visitor<'_> for DateVisitor {
    type Value = EndDate;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.allow_present {
            f.write_str("a date (YYYY, YYYY-MM or YYYY-MM-DD) or \"present\"")
        } else {
            f.write_str("a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<EndDate, E> {
        if self.allow_present && v.trim().eq_ignore_ascii_case("present") {
            return Ok(EndDate::Present);
        }
        Date::parse(v).map(EndDate::Date).map_err(E::custom)
    }

    // YAML reads an unquoted `2014` as a number.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<EndDate, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<EndDate, E> {
        self.visit_str(&v.to_string())
    }
}

/// Exactly what [`Date::parse`] accepts: `YYYY`, `YYYY-MM` with a month 01–12, `YYYY-MM-DD`
/// with a day that month has (29 February in leap years only), around spaces it trims.
pub(crate) const DATE_PATTERN: &str = concat!(
    r"^\s*[0-9]{4}(-(0[1-9]|1[0-2]))?\s*$",
    r"|^\s*[0-9]{4}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])\s*$",
    r"|^\s*[0-9]{4}-(0[469]|11)-(0[1-9]|[12][0-9]|30)\s*$",
    r"|^\s*[0-9]{4}-02-(0[1-9]|1[0-9]|2[0-8])\s*$",
    r"|^\s*([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29\s*$",
);

/// `present`, in any case, around spaces it trims.
const PRESENT_PATTERN: &str = r"^\s*[Pp][Rr][Ee][Ss][Ee][Nn][Tt]\s*$";

/// An optional date where an empty string (which JSON Resume themes' fixtures write for
/// "none") counts as absent; validation warns about it.
pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let end = d.deserialize_option(OptionalVisitor {
        allow_present: false,
    })?;
    end.map(|e| match e {
        EndDate::Date(d) => Ok(d),
        EndDate::Present => Err(de::Error::custom(
            "unreachable: present is only an end date",
        )),
    })
    .transpose()
}

/// An optional end date, an empty string counting as absent.
pub(crate) fn optional_end<'de, D: Deserializer<'de>>(d: D) -> Result<Option<EndDate>, D::Error> {
    d.deserialize_option(OptionalVisitor {
        allow_present: true,
    })
}

struct OptionalVisitor {
    allow_present: bool,
}

impl<'de> Visitor<'de> for OptionalVisitor {
    type Value = Option<EndDate>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        DateVisitor {
            allow_present: self.allow_present,
        }
        .expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        DateVisitor {
            allow_present: self.allow_present,
        }
        .visit_str(v)
        .map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "YYYY, YYYY-MM or YYYY-MM-DD.",
            "anyOf": [
                { "type": "string", "pattern": DATE_PATTERN },
                { "type": "integer", "minimum": 1000, "maximum": 9999 }
            ]
        })
    }
}

impl JsonSchema for EndDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EndDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "YYYY, YYYY-MM or YYYY-MM-DD, or \"present\" (any case) for ongoing.",
            "anyOf": [
                { "type": "string", "pattern": DATE_PATTERN },
                { "type": "string", "pattern": PRESENT_PATTERN },
                { "type": "integer", "minimum": 1000, "maximum": 9999 }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        assert_eq!(Date::parse("2014").unwrap().to_string(), "2014");
        assert_eq!(Date::parse("2014-03").unwrap().to_string(), "2014-03");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn rejects_impossible_dates_with_reasons() {
        assert_eq!(
            Date::parse("2020-13").unwrap_err(),
            "invalid month 13 in date \"2020-13\": months run from 01 to 12"
        );
        assert_eq!(
            Date::parse("2021-02-29").unwrap_err(),
            "invalid day 29 in date \"2021-02-29\": February 2021 has 28 days"
        );
        assert!(
            Date::parse("March 2020")
                .unwrap_err()
                .starts_with("invalid date \"March 2020\"")
        );
        assert!(Date::parse("20-01").is_err());
    }

    #[test]
    fn compares_mixed_precision_generously() {
        let d = |s| Date::parse(s).unwrap();
        assert!(d("2019-01").ends_before(&d("2020-05")));
        assert!(!d("2020").ends_before(&d("2020-05")));
        assert!(!d("2020-05").ends_before(&d("2020-05-31")));
    }
}

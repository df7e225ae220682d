//! Calendar months, the finest time resolution this crate ever outputs.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::Error;

/// A calendar month (`YYYY-MM`). Insights never carry a finer date than this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: u16,
    month: u8,
}

impl Month {
    /// A month from its parts; `year` must be 1..=9999 and `month` 1..=12.
    pub fn new(year: u16, month: u8) -> Result<Self, Error> {
        if (1..=9999).contains(&year) && (1..=12).contains(&month) {
            Ok(Month { year, month })
        } else {
            Err(Error::InvalidMonth {
                input: format!("{year:04}-{month:02}"),
            })
        }
    }

    /// Parses exactly `YYYY-MM` (e.g. `2026-03`).
    pub fn parse(input: &str) -> Result<Self, Error> {
        let bad = || Error::InvalidMonth {
            input: input.to_owned(),
        };
        let b = input.as_bytes();
        if b.len() != 7 || b[4] != b'-' {
            return Err(bad());
        }
        let digits = |s: &[u8]| -> Option<u16> {
            s.iter().try_fold(0u16, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u16::from(c - b'0'))
            })
        };
        let year = digits(&b[..4]).ok_or_else(bad)?;
        let month = digits(&b[5..]).ok_or_else(bad)?;
        let month = u8::try_from(month).map_err(|_| bad())?;
        Month::new(year, month).map_err(|_| bad())
    }

    /// The year (1..=9999).
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month of the year (1..=12).
    pub fn month(self) -> u8 {
        self.month
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Month::parse(s)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let m = Month::parse("2026-03").unwrap();
        assert_eq!((m.year(), m.month()), (2026, 3));
        assert_eq!(m.to_string(), "2026-03");
        assert_eq!(Month::new(7, 1).unwrap().to_string(), "0007-01");
    }

    #[test]
    fn rejects_bad_months() {
        for bad in [
            "2026-3",
            "2026-13",
            "2026-00",
            "0000-01",
            "26-03",
            "2026/03",
            "2026-03-01",
            "+026-03",
            "",
            "２026-03",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_chronologically() {
        assert!(Month::parse("2025-12").unwrap() < Month::parse("2026-01").unwrap());
    }
}

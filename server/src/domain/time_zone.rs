//! A member's time zone: an IANA name like `Europe/Paris`, parsed at the edge into
//! [`TimeZone`], so that local times (digests at 8 a.m., "3 hours ago") follow daylight
//! saving without the member adjusting anything. Other layers get a `chrono_tz::Tz` from
//! it with [`TimeZone::tz`]; `service::mail_preferences::time_zone_of` reads a member's.

use chrono::{DateTime, Offset, TimeZone as _, Utc};
use chrono_tz::Tz;

use crate::error::Error;

/// A valid IANA time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone(Tz::UTC)
    }
}

impl TimeZone {
    /// `Europe/Paris`, `America/New_York`, `UTC`…; anything else is `400 invalid_time_zone`.
    pub fn parse(raw: &str) -> Result<TimeZone, Error> {
        let trimmed = raw.trim();
        if trimmed.len() > 64 {
            return Err(Self::invalid());
        }
        trimmed
            .parse::<Tz>()
            .map(TimeZone)
            .map_err(|_| Self::invalid())
    }

    fn invalid() -> Error {
        Error::invalid(
            "time_zone",
            "time_zone must be an IANA time zone name like Europe/Paris or America/New_York",
        )
    }

    /// A name read back from the database. A name a later time zone database dropped
    /// reads as UTC rather than failing the member's mail.
    pub fn from_stored(name: &str) -> TimeZone {
        name.parse::<Tz>().map(TimeZone).unwrap_or_default()
    }

    /// The zone for a fixed offset from UTC, as older clients send it: `UTC` for 0, the
    /// `Etc/GMT±N` zone for whole hours (whose sign is reversed, by POSIX convention:
    /// UTC+2 is `Etc/GMT-2`). Other offsets have no such zone: the member must name theirs.
    pub fn from_utc_offset_minutes(minutes: i32) -> Result<TimeZone, Error> {
        let hours = minutes / 60;
        if minutes % 60 != 0 || !(-12..=14).contains(&hours) {
            return Err(Error::invalid(
                "utc_offset_minutes",
                "utc_offset_minutes must be whole hours between -720 and 840; send time_zone instead (like Asia/Kolkata)",
            ));
        }
        let name = match hours {
            0 => "UTC".to_owned(),
            h if h > 0 => format!("Etc/GMT-{h}"),
            h => format!("Etc/GMT+{}", -h),
        };
        Self::parse(&name)
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The local time at `utc_micros` (microseconds since the epoch).
    pub fn local(self, utc_micros: i64) -> DateTime<Tz> {
        DateTime::<Utc>::from_timestamp_micros(utc_micros)
            .unwrap_or_default()
            .with_timezone(&self.0)
    }

    /// The zone's offset from UTC at `utc_micros`, in minutes (for clients that read
    /// `utc_offset_minutes`).
    pub fn offset_minutes_at(self, utc_micros: i64) -> i32 {
        let local = self.local(utc_micros);
        self.0
            .offset_from_utc_datetime(&local.naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn names_parse_and_others_do_not() {
        assert_eq!(
            TimeZone::parse(" Europe/Paris ").expect("a zone").name(),
            "Europe/Paris"
        );
        for bad in [
            "",
            "Mars/Olympus",
            "UTC+2",
            "europe/paris\n",
            &"A/".repeat(40),
        ] {
            assert!(TimeZone::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(TimeZone::from_stored("Gone/Zone"), TimeZone::default());
    }

    #[test]
    fn offsets_become_etc_zones() {
        let name = |m| TimeZone::from_utc_offset_minutes(m).map(TimeZone::name);
        assert_eq!(name(0).expect("a zone"), "UTC");
        assert_eq!(name(120).expect("a zone"), "Etc/GMT-2");
        assert_eq!(name(-300).expect("a zone"), "Etc/GMT+5");
        assert_eq!(name(840).expect("a zone"), "Etc/GMT-14");
        assert!(name(330).is_err());
        assert!(name(900).is_err());
    }

    #[test]
    fn local_hours_follow_daylight_saving() {
        let new_york = TimeZone::parse("America/New_York").expect("a zone");
        // 2026-01-15 13:00 UTC is 8:00 in New York (EST); 2026-07-15 12:00 UTC is 8:00 (EDT).
        let winter = 1_768_482_000_000_000;
        let summer = 1_784_116_800_000_000;
        assert_eq!(new_york.local(winter).hour(), 8);
        assert_eq!(new_york.local(summer).hour(), 8);
        assert_eq!(new_york.offset_minutes_at(winter), -300);
        assert_eq!(new_york.offset_minutes_at(summer), -240);
    }
}

//! Times as the reader reads them: "3 hours ago" in words, with the full time in the
//! reader's own time zone on hover (`<time title>`). Every page that shows a time goes
//! through [`time`]; app.js refreshes the words of a page left open, from `datetime`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maud::{html, Markup};

/// The reader's time zone (a member's setting; UTC for visitors) and the moment the page
/// is rendered.
#[derive(Debug, Clone, Copy)]
pub struct ReaderClock {
    pub zone: Tz,
    pub now: DateTime<Utc>,
}

impl Default for ReaderClock {
    fn default() -> Self {
        ReaderClock {
            zone: Tz::UTC,
            now: Utc::now(),
        }
    }
}

impl ReaderClock {
    /// The zone's IANA name, which app.js formats new times with.
    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }
}

/// Beyond this many days the words are the local date, not a count of days.
const RELATIVE_DAYS: i64 = 7;

/// A time as the server formats it (RFC 3339): words relative to now, the full local time
/// on hover. An unreadable stamp is shown as it is.
pub fn time(clock: &ReaderClock, stamp: &str) -> Markup {
    let Ok(at) = DateTime::parse_from_rfc3339(stamp) else {
        return html! { time datetime=(stamp) { (stamp) } };
    };
    let at = at.with_timezone(&Utc);
    html! {
        time datetime=(stamp) title=(full_local(clock, at)) data-relative { (relative(clock, at)) }
    }
}

/// "Monday 7 December 2026 at 14:03 CET".
fn full_local(clock: &ReaderClock, at: DateTime<Utc>) -> String {
    at.with_timezone(&clock.zone)
        .format("%A %-d %B %Y at %H:%M %Z")
        .to_string()
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago", then the local date.
fn relative(clock: &ReaderClock, at: DateTime<Utc>) -> String {
    let elapsed = clock.now.signed_duration_since(at);
    let (minutes, hours, days) = (
        elapsed.num_minutes(),
        elapsed.num_hours(),
        elapsed.num_days(),
    );
    if minutes < 1 {
        "just now".to_owned()
    } else if hours < 1 {
        ago(minutes, "minute")
    } else if days < 1 {
        ago(hours, "hour")
    } else if days < RELATIVE_DAYS {
        ago(days, "day")
    } else {
        at.with_timezone(&clock.zone)
            .format("%-d %B %Y")
            .to_string()
    }
}

fn ago(n: i64, unit: &str) -> String {
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(zone: Tz, now: &str) -> ReaderClock {
        ReaderClock {
            zone,
            now: DateTime::parse_from_rfc3339(now)
                .map(|t| t.with_timezone(&Utc))
                .expect("a test time"),
        }
    }

    #[test]
    fn recent_times_read_as_words() {
        let c = clock(Tz::UTC, "2026-12-07T15:00:00.000Z");
        let words = |stamp: &str| time(&c, stamp).into_string();
        assert!(words("2026-12-07T14:59:30.000Z").contains(">just now<"));
        assert!(words("2026-12-07T14:59:00.000Z").contains(">1 minute ago<"));
        assert!(words("2026-12-07T12:00:00.000Z").contains(">3 hours ago<"));
        assert!(words("2026-12-05T15:00:00.000Z").contains(">2 days ago<"));
        assert!(words("2026-11-03T09:00:00.000Z").contains(">3 November 2026<"));
        // A clock a little behind the database's says "just now", not "-1 minutes ago".
        assert!(words("2026-12-07T15:02:00.000Z").contains(">just now<"));
    }

    #[test]
    fn the_full_time_is_in_the_readers_zone() {
        let tokyo = clock(chrono_tz::Asia::Tokyo, "2026-12-07T15:00:00.000Z");
        let shown = time(&tokyo, "2026-12-07T14:03:00.000Z").into_string();
        assert!(shown.contains(r#"datetime="2026-12-07T14:03:00.000Z""#));
        assert!(
            shown.contains(r#"title="Monday 7 December 2026 at 23:03 JST""#),
            "{shown}"
        );
        // Summer time: Paris is two hours ahead in July.
        let paris = clock(chrono_tz::Europe::Paris, "2026-07-10T12:00:00.000Z");
        assert!(time(&paris, "2026-07-01T12:00:00.000Z")
            .into_string()
            .contains("at 14:00 CEST"));
    }

    #[test]
    fn unreadable_stamps_are_shown_as_they_are() {
        let c = clock(Tz::UTC, "2026-12-07T15:00:00.000Z");
        assert_eq!(
            time(&c, "soon").into_string(),
            r#"<time datetime="soon">soon</time>"#
        );
    }
}

//! Times as the reader reads them: "3 hours ago" in words, with the full time in the
//! reader's own time zone on hover (`<time title>`). Every page that shows a time goes
//! through [`time`]; app.js refreshes the words of a page left open, from `datetime`.
//! Words, day and month names follow the reader's language ("hace 3 horas").

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use maud::{html, Markup};

use crate::i18n::Lang;

/// The reader's time zone (a member's setting; UTC for visitors) and the moment the page
/// is rendered.
#[derive(Debug, Clone, Copy)]
pub struct ReaderClock {
    pub zone: Tz,
    pub now: DateTime<Utc>,
    /// The language of the words and of day and month names.
    pub lang: Lang,
}

impl Default for ReaderClock {
    fn default() -> Self {
        ReaderClock {
            zone: Tz::UTC,
            now: Utc::now(),
            lang: Lang::En,
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

/// "Monday 7 December 2026 at 14:03 CET" / "lunes 7 de diciembre de 2026, 14:03 CET".
fn full_local(clock: &ReaderClock, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&clock.zone);
    match clock.lang {
        Lang::En => local.format("%A %-d %B %Y at %H:%M %Z").to_string(),
        Lang::Es => format!(
            "{} {}, {}",
            SPANISH_DAYS[local.weekday().num_days_from_monday() as usize],
            spanish_date(local.day(), local.month(), local.year()),
            local.format("%H:%M %Z")
        ),
    }
}

/// "3 November 2026" / "3 de noviembre de 2026".
fn local_date(clock: &ReaderClock, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&clock.zone);
    match clock.lang {
        Lang::En => local.format("%-d %B %Y").to_string(),
        Lang::Es => spanish_date(local.day(), local.month(), local.year()),
    }
}

const SPANISH_DAYS: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];

const SPANISH_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

fn spanish_date(day: u32, month: u32, year: i32) -> String {
    let name = SPANISH_MONTHS[(month.clamp(1, 12) - 1) as usize];
    format!("{day} de {name} de {year}")
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago", then the local date.
fn relative(clock: &ReaderClock, at: DateTime<Utc>) -> String {
    let elapsed = clock.now.signed_duration_since(at);
    let (minutes, hours, days) = (
        elapsed.num_minutes(),
        elapsed.num_hours(),
        elapsed.num_days(),
    );
    let ago = |key: &str, n: i64| clock.lang.t_args(key, &[("count", n.into())]);
    if minutes < 1 {
        clock.lang.t("time-just-now")
    } else if hours < 1 {
        ago("time-minutes-ago", minutes)
    } else if days < 1 {
        ago("time-hours-ago", hours)
    } else if days < RELATIVE_DAYS {
        ago("time-days-ago", days)
    } else {
        local_date(clock, at)
    }
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
            lang: Lang::En,
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
    fn spanish_readers_get_spanish_words_and_names() {
        let c = ReaderClock {
            lang: Lang::Es,
            ..clock(chrono_tz::America::Mexico_City, "2026-12-07T15:00:00.000Z")
        };
        let words = |stamp: &str| time(&c, stamp).into_string();
        assert!(words("2026-12-07T14:59:30.000Z").contains(">ahora mismo<"));
        assert!(words("2026-12-07T14:59:00.000Z").contains(">hace 1 minuto<"));
        assert!(words("2026-12-07T12:00:00.000Z").contains(">hace 3 horas<"));
        assert!(words("2026-12-05T15:00:00.000Z").contains(">hace 2 días<"));
        assert!(words("2026-11-03T18:00:00.000Z").contains(">3 de noviembre de 2026<"));
        assert!(
            words("2026-12-07T14:03:00.000Z")
                .contains(r#"title="lunes 7 de diciembre de 2026, 08:03 CST""#),
            "{}",
            words("2026-12-07T14:03:00.000Z")
        );
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

//! Times as the reader reads them: "3 hours ago" in words, with the full time in the
//! reader's own time zone on hover (`<time title>`). Every page that shows a time goes
//! through [`time`]; app.js refreshes the words of a page left open, from `datetime`.
//! Words, day and month names follow the reader's language ("hace 3 horas").

use chrono::{DateTime, Datelike, TimeDelta, Utc};
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

/// When the words [`time`] writes for `at` at `now` next read differently ("just now"
/// becomes "1 minute ago", "3 hours ago" "4 hours ago", "6 days ago" the date), or none
/// once they are a date for good. A page cached with relative times is accurate until then.
pub fn words_change_at(now: DateTime<Utc>, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let elapsed = now.signed_duration_since(at);
    let next = if elapsed.num_minutes() < 1 {
        TimeDelta::minutes(1)
    } else if elapsed.num_hours() < 1 {
        TimeDelta::minutes(elapsed.num_minutes() + 1)
    } else if elapsed.num_days() < 1 {
        TimeDelta::hours(elapsed.num_hours() + 1)
    } else if elapsed.num_days() < RELATIVE_DAYS {
        TimeDelta::days(elapsed.num_days() + 1)
    } else {
        return None;
    };
    Some(at + next)
}

/// The earliest moment any relative time in a rendered page (every `<time datetime>` that
/// [`time`] wrote; markup from posts never has one, as `<` in text is escaped and the
/// sanitiser keeps no `time` element) reads differently than it did at `now`.
pub fn page_words_change_at(page: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    const OPENING: &str = "<time datetime=\"";
    page.match_indices(OPENING)
        .filter_map(|(at, _)| {
            let rest = &page[at + OPENING.len()..];
            let stamp = &rest[..rest.find('"')?];
            DateTime::parse_from_rfc3339(stamp).ok()
        })
        .filter_map(|at| words_change_at(now, at.with_timezone(&Utc)))
        .min()
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
    #[test]
    fn words_change_when_the_next_unit_passes() {
        let c = clock(Tz::UTC, "2026-12-07T15:00:00.000Z");
        let at = |stamp: &str| {
            DateTime::parse_from_rfc3339(stamp)
                .map(|t| t.with_timezone(&Utc))
                .expect("a test time")
        };
        let change = |stamp: &str| words_change_at(c.now, at(stamp));
        assert_eq!(
            change("2026-12-07T14:59:30.000Z"),
            Some(at("2026-12-07T15:00:30.000Z"))
        );
        assert_eq!(
            change("2026-12-07T14:57:10.000Z"),
            Some(at("2026-12-07T15:00:10.000Z"))
        );
        assert_eq!(
            change("2026-12-07T12:00:00.000Z"),
            Some(at("2026-12-07T16:00:00.000Z"))
        );
        assert_eq!(
            change("2026-12-05T15:00:01.000Z"),
            Some(at("2026-12-07T15:00:01.000Z"))
        );
        assert_eq!(change("2026-11-03T09:00:00.000Z"), None);
        // The words are the same just before the change and differ at it.
        for stamp in [
            "2026-12-07T14:59:30.000Z",
            "2026-12-07T14:57:10.000Z",
            "2026-12-07T12:00:00.000Z",
            "2026-12-05T15:00:01.000Z",
            "2026-11-30T15:00:01.000Z",
        ] {
            let Some(next) = change(stamp) else {
                panic!("{stamp} has relative words");
            };
            let words_at = |now| relative(&ReaderClock { now, ..c }, at(stamp));
            assert_eq!(
                words_at(next - TimeDelta::milliseconds(1)),
                words_at(c.now),
                "{stamp}"
            );
            assert_ne!(words_at(next), words_at(c.now), "{stamp}");
        }
    }

    #[test]
    fn a_page_changes_with_its_soonest_time() {
        let c = clock(Tz::UTC, "2026-12-07T15:00:00.000Z");
        let page = format!(
            "<p>{}</p><p>{}</p><p>datetime=\"2026-12-07T14:59:59.000Z\"</p>{}",
            time(&c, "2026-12-07T12:00:00.000Z").into_string(),
            time(&c, "2026-12-07T14:58:30.000Z").into_string(),
            time(&c, "soon").into_string(),
        );
        assert_eq!(
            page_words_change_at(&page, c.now).map(|t| t.to_rfc3339()),
            Some("2026-12-07T15:00:30+00:00".to_owned())
        );
        let old = time(&c, "2026-10-01T12:00:00.000Z").into_string();
        assert_eq!(page_words_change_at(&old, c.now), None);
    }
}

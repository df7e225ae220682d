//! De-identified community insights: monthly counts of posts and threads mentioning
//! curated terms, from members who opted in, with small-cell and complementary
//! suppression (see the `kindred-insights` crate). Every export is audited.

use chrono::{Datelike, TimeZone, Utc};
use kindred_insights::{aggregate, Contribution, Month, Vocabulary, MIN_MEMBERS};

use crate::domain::community::CommunitySlug;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{next_id, now_micros};
use crate::domain::markdown::html_to_text;
use crate::domain::text_enum;
use crate::error::Error;
use crate::store::communities;
use crate::store::insights::{self as store, AuditEntry};
use crate::store::Store;

const TREATMENTS: &str = include_str!("../../../seed-data/insights/treatments.txt");
const SIDE_EFFECTS: &str = include_str!("../../../seed-data/insights/side_effects.txt");
const CONCERNS: &str = include_str!("../../../seed-data/insights/concerns.txt");

text_enum! {
    /// How an export is written.
    ExportFormat, "format" {
        Csv => "csv",
        Json => "json",
    }
}

/// Who asked: an admin over the API, or an operator with the command line.
pub enum Requester<'a> {
    Admin(&'a CurrentUser),
    CommandLine,
}

pub struct InsightsRequest {
    pub community: CommunitySlug,
    pub from: Month,
    pub to: Month,
    pub format: ExportFormat,
}

impl InsightsRequest {
    pub fn parse(
        community: &str,
        from: &str,
        to: &str,
        format: Option<&str>,
    ) -> Result<InsightsRequest, Error> {
        let month = |field: &'static str, raw: &str| {
            Month::parse(raw)
                .map_err(|_| Error::invalid(field, format!("{field} must be a month like 2026-03")))
        };
        let request = InsightsRequest {
            community: CommunitySlug::parse(community)?,
            from: month("from", from)?,
            to: month("to", to)?,
            format: format
                .map(ExportFormat::parse)
                .transpose()?
                .unwrap_or(ExportFormat::Json),
        };
        if request.from > request.to {
            return Err(Error::invalid("to", "to must not be before from"));
        }
        Ok(request)
    }
}

/// Microseconds at the start of a month (UTC).
fn month_start(year: i32, month: u32) -> i64 {
    Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0)
        .single()
        .map_or(0, |t| t.timestamp_micros())
}

fn month_of(micros: i64) -> Option<Month> {
    let time = chrono::DateTime::from_timestamp_micros(micros)?;
    Month::new(
        u16::try_from(time.year()).ok()?,
        u8::try_from(time.month()).ok()?,
    )
    .ok()
}

/// Produces the report, or explains why there is none, and audits the attempt either way.
pub fn export(
    store_handle: &Store,
    requester: Requester<'_>,
    request: &InsightsRequest,
) -> Result<String, Error> {
    let actor_id = match requester {
        Requester::Admin(user) if user.is_admin() => Some(user.id.0),
        Requester::Admin(_) => {
            return Err(Error::forbidden(
                "not_admin",
                "only site admins can export insights",
            ))
        }
        Requester::CommandLine => None,
    };
    let vocabulary = Vocabulary::parse(TREATMENTS, SIDE_EFFECTS, CONCERNS)
        .map_err(|e| Error::failed("insights vocabulary", e))?;
    let community = store_handle
        .read(|conn| communities::find_by_slug(conn, request.community.as_str()))?
        .ok_or_else(|| {
            Error::invalid(
                "community",
                format!("no community is called {}", request.community.as_str()),
            )
        })?;
    let from = month_start(
        i32::from(request.from.year()),
        u32::from(request.from.month()),
    );
    let (next_year, next_month) = match request.to.month() {
        12 => (i32::from(request.to.year()) + 1, 1),
        m => (i32::from(request.to.year()), u32::from(m) + 1),
    };
    let to = month_start(next_year, next_month);
    let posts = store_handle.read(|conn| store::counted_posts(conn, community.id.0, from, to))?;
    let texts: Vec<(i64, i64, i64, Option<Month>, String)> = posts
        .into_iter()
        .map(|(author, thread, post, at, html)| {
            (author, thread, post, month_of(at), html_to_text(&html))
        })
        .collect();
    let contributions = texts
        .iter()
        .filter_map(|(author, thread, post, month, text)| {
            Some(Contribution {
                member: u64::try_from(*author).ok()?,
                thread: u64::try_from(*thread).ok()?,
                post: u64::try_from(*post).ok()?,
                month: (*month)?,
                text,
            })
        });
    let report = aggregate(&vocabulary, contributions)
        .publish(MIN_MEMBERS)
        .map_err(|e| Error::failed("insights", e))?;
    let withheld = report.is_empty_after_suppression();
    let (from_text, to_text) = (request.from.to_string(), request.to.to_string());
    let channel = if actor_id.is_some() { "api" } else { "cli" };
    store_handle.write(|conn| {
        store::audit(
            conn,
            &AuditEntry {
                id: next_id(),
                actor_id,
                channel,
                community_id: community.id.0,
                from_month: &from_text,
                to_month: &to_text,
                format: request.format.as_str(),
                outcome: if withheld { "withheld" } else { "exported" },
                created_at: now_micros(),
            },
        )
    })?;
    tracing::info!(community_id = community.id.0, channel, from = %from_text, to = %to_text, withheld, "insights export");
    if withheld {
        return Err(Error::bad_request(
            "too_few_members",
            format!(
                "no figure can be shown for {} from {from_text} to {to_text}: every count rests on fewer than {MIN_MEMBERS} members who agreed to count towards insights",
                request.community.as_str()
            ),
        ));
    }
    match request.format {
        ExportFormat::Csv => Ok(report.to_csv()),
        ExportFormat::Json => report.to_json().map_err(|e| Error::failed("insights", e)),
    }
}

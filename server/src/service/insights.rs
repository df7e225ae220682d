//! De-identified community insights: monthly counts of posts and threads mentioning
//! curated terms, from members who opted in, with small-cell and complementary
//! suppression (see the `kindred-insights` crate). Every export is audited.

use chrono::{Datelike, TimeZone, Utc};
use kindred_insights::{Aggregator, Counted, Mentions, Month, Report, MIN_MEMBERS};
use rustc_hash::FxHashMap;

use crate::domain::community::CommunitySlug;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{next_id, now_micros, CommunityId};
use crate::domain::insight_terms::{
    fingerprint, mentions_of_html, stored_terms_of_html, vocabulary,
};
use crate::domain::text_enum;
use crate::error::Error;
use crate::store::communities::{self, CommunityRow};
use crate::store::insights::{self as store, AuditEntry};
use crate::store::partners;
use crate::store::Store;

text_enum! {
    /// How an export is written.
    ExportFormat, "format" {
        Csv => "csv",
        Json => "json",
    }
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
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

/// Who may see a community's insights, and through which door.
pub enum Viewer<'a> {
    /// A site admin or a research partner the community is granted to.
    Person(&'a CurrentUser),
    CommandLine,
}

/// Where the figures went, as the audit table records it.
#[derive(Clone, Copy)]
pub enum Channel {
    Api,
    Cli,
    /// The `/insights/{slug}` page (format `html`) and its downloads.
    Page,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Api => "api",
            Channel::Cli => "cli",
            Channel::Page => "page",
        }
    }
}

/// Produces the report, or explains why there is none, and audits the attempt either way.
pub fn export(
    store_handle: &Store,
    requester: Requester<'_>,
    request: &InsightsRequest,
) -> Result<String, Error> {
    let viewer = match requester {
        Requester::Admin(user) if user.is_admin() => Viewer::Person(user),
        Requester::Admin(_) => {
            return Err(Error::forbidden(
                "not_admin",
                "only site admins can export insights",
            ))
        }
        Requester::CommandLine => Viewer::CommandLine,
    };
    let channel = match viewer {
        Viewer::Person(_) => Channel::Api,
        Viewer::CommandLine => Channel::Cli,
    };
    let community = community_for(store_handle, &viewer, &request.community)?;
    let report = audited_report(
        store_handle,
        &viewer,
        channel,
        community.id,
        request,
        request.format.as_str(),
    )?;
    write_report(&report, request.format)
}

/// The report in the requested format.
pub fn write_report(report: &Report, format: ExportFormat) -> Result<String, Error> {
    match format {
        ExportFormat::Csv => Ok(report.to_csv()),
        ExportFormat::Json => report.to_json().map_err(|e| Error::failed("insights", e)),
    }
}

/// The community whose insights `viewer` asks for: any for admins and the command line,
/// only granted ones for research partners; `NotFound` for anyone else, so a partner
/// learns nothing of communities not granted to them.
pub fn community_for(
    store_handle: &Store,
    viewer: &Viewer<'_>,
    slug: &CommunitySlug,
) -> Result<CommunityRow, Error> {
    let community = store_handle.read(|conn| communities::find_by_slug(conn, slug.as_str()))?;
    match viewer {
        Viewer::CommandLine => community.ok_or_else(|| unknown_community(slug)),
        Viewer::Person(user) if user.is_admin() => community.ok_or_else(|| unknown_community(slug)),
        Viewer::Person(user) if user.is_research_partner() => {
            let community = community.ok_or(Error::NotFound)?;
            let granted =
                store_handle.read(|conn| partners::is_granted(conn, user.id, community.id))?;
            if granted {
                Ok(community)
            } else {
                Err(Error::NotFound)
            }
        }
        Viewer::Person(_) => Err(Error::NotFound),
    }
}

fn unknown_community(slug: &CommunitySlug) -> Error {
    Error::invalid(
        "community",
        format!("no community is called {}", slug.as_str()),
    )
}

/// Builds the suppressed report of `[request.from, request.to]` and writes its audit row
/// (`format` is what the figures were written as: `csv`, `json` or `html`). A report with
/// nothing left after suppression is audited as `withheld` and answered with
/// `too_few_members`.
pub fn audited_report(
    store_handle: &Store,
    viewer: &Viewer<'_>,
    channel: Channel,
    community_id: CommunityId,
    request: &InsightsRequest,
    format: &str,
) -> Result<Report, Error> {
    let report = build_report(store_handle, community_id, request.from, request.to)?;
    let withheld = report.is_empty_after_suppression();
    let actor_id = match viewer {
        Viewer::Person(user) => Some(user.id.0),
        Viewer::CommandLine => None,
    };
    let (from_text, to_text) = (request.from.to_string(), request.to.to_string());
    store_handle.write(|conn| {
        store::audit(
            conn,
            &AuditEntry {
                id: next_id(),
                actor_id,
                channel: channel.as_str(),
                community_id: community_id.0,
                from_month: &from_text,
                to_month: &to_text,
                format,
                outcome: if withheld { "withheld" } else { "exported" },
                created_at: now_micros(),
            },
        )
    })?;
    tracing::info!(community_id = community_id.0, channel = channel.as_str(), from = %from_text, to = %to_text, withheld, "insights export");
    if withheld {
        return Err(Error::bad_request(
            "too_few_members",
            format!(
                "no figure can be shown for {} from {from_text} to {to_text}: every count rests on fewer than {MIN_MEMBERS} members who agreed to count towards insights",
                request.community.as_str()
            ),
        ));
    }
    Ok(report)
}

/// The suppressed report of one community over `[from, to]`, not audited. It counts the
/// vocabulary terms stored with each post (`post_insight_terms`); a post without them
/// (not filled yet after an upgrade) is scanned from its HTML, with the same result.
fn build_report(
    store_handle: &Store,
    community_id: CommunityId,
    first: Month,
    last: Month,
) -> Result<Report, Error> {
    let vocabulary = vocabulary()?;
    let from = month_start(i32::from(first.year()), u32::from(first.month()));
    let (next_year, next_month) = match last.month() {
        12 => (i32::from(last.year()) + 1, 1),
        m => (i32::from(last.year()), u32::from(m) + 1),
    };
    let to = month_start(next_year, next_month);
    // Each month with its first microsecond, so that a post's month is a search.
    let months: Vec<(i64, Month)> = months_between(first, last)
        .into_iter()
        .map(|m| (month_start(i32::from(m.year()), u32::from(m.month())), m))
        .collect();
    let month_at = |micros: i64| {
        let after = months.partition_point(|(start, _)| *start <= micros);
        after
            .checked_sub(1)
            .and_then(|i| months.get(i))
            .map(|(_, m)| *m)
    };
    let posts = store_handle.read(|conn| store::counted_posts(conn, community_id.0, from, to))?;
    let unfilled: Vec<i64> = posts
        .iter()
        .filter(|post| post.terms.is_none())
        .map(|post| post.id)
        .collect();
    let mut scanned = FxHashMap::default();
    if !unfilled.is_empty() {
        for (id, html) in store_handle.read(|conn| store::bodies(conn, &unfilled))? {
            scanned.insert(id, mentions_of_html(&html)?);
        }
    }
    // Posts share few distinct sets of terms: each is decoded once.
    let mut decoded: FxHashMap<String, Mentions> = FxHashMap::default();
    let mut aggregator = Aggregator::new(vocabulary);
    for post in posts {
        let (Ok(member), Ok(thread), Ok(id), Some(month)) = (
            u64::try_from(post.author_id),
            u64::try_from(post.thread_id),
            u64::try_from(post.id),
            month_at(post.created_at),
        ) else {
            continue;
        };
        let mentions = match post.terms {
            Some(terms) => {
                if !decoded.contains_key(&terms) {
                    let mentions = Mentions::decode(&terms, vocabulary)
                        .map_err(|e| Error::failed("insights terms", e))?;
                    decoded.insert(terms.clone(), mentions);
                }
                decoded.get(&terms)
            }
            None => scanned.get(&post.id),
        };
        let Some(mentions) = mentions else {
            continue;
        };
        aggregator.add_counted(Counted {
            member,
            thread,
            post: id,
            month,
            mentions,
        });
    }
    aggregator
        .finish()
        .publish(MIN_MEMBERS)
        .map_err(|e| Error::failed("insights", e))
}

/// How many posts [`fill_terms`] reads and writes at a time.
const FILL_BATCH: i64 = 1_000;

/// Stores the vocabulary terms of every post that has none (posts written before
/// migration 000032, or by a node of an older version), after forgetting them all if
/// they were found with another vocabulary. Run at startup, off the request path; a
/// post edited meanwhile keeps the terms its edit stored. Returns the posts filled.
pub fn fill_terms(store_handle: &Store) -> Result<usize, Error> {
    let current = fingerprint();
    store_handle.write(|conn| {
        if store::vocabulary_fingerprints(conn)? != [current.clone()] {
            store::reset_terms(conn, &current)?;
        }
        Ok(())
    })?;
    let mut filled = 0;
    let mut after = i64::MIN;
    loop {
        let batch =
            store_handle.read(|conn| store::posts_without_terms(conn, after, FILL_BATCH))?;
        let Some((last, _)) = batch.last() else {
            return Ok(filled);
        };
        after = *last;
        let rows = batch
            .iter()
            .map(|(id, html)| Ok((*id, stored_terms_of_html(html)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        store_handle.write(|conn| store::fill_terms(conn, &rows))?;
        filled += rows.len();
    }
}

/// The months `from..=to`, oldest first.
pub fn months_between(from: Month, to: Month) -> Vec<Month> {
    let mut months = Vec::new();
    let mut month = Some(from);
    while let Some(m) = month.filter(|m| *m <= to) {
        months.push(m);
        month = shift(m, 1);
    }
    months
}

/// `month` moved by `delta` months, if that stays within years 1..=9999.
pub fn shift(month: Month, delta: i32) -> Option<Month> {
    let index = i32::from(month.year()) * 12 + i32::from(month.month()) - 1 + delta;
    let year = u16::try_from(index.div_euclid(12)).ok()?;
    let month_of_year = u8::try_from(index.rem_euclid(12) + 1).ok()?;
    Month::new(year, month_of_year).ok()
}

/// The longest range the page draws.
pub const PAGE_MAX_MONTHS: usize = 24;

/// What the insights page shows: the chosen range's report (or why there is none) and
/// the report of as many months just before it, for "this period against the last".
pub struct PageReports {
    pub community: CommunityRow,
    pub current: Result<Report, Error>,
    /// `None` when everything in it is withheld.
    pub previous: Option<Report>,
    pub previous_from: Month,
    pub previous_to: Month,
}

/// Both reports of the page, each audited (channel `page`, format `html`).
pub fn page_reports(
    store_handle: &Store,
    user: &CurrentUser,
    request: &InsightsRequest,
) -> Result<PageReports, Error> {
    let viewer = Viewer::Person(user);
    let community = community_for(store_handle, &viewer, &request.community)?;
    let length = months_between(request.from, request.to).len();
    if length > PAGE_MAX_MONTHS {
        return Err(Error::invalid(
            "to",
            format!("choose at most {PAGE_MAX_MONTHS} months"),
        ));
    }
    let back = i32::try_from(length).unwrap_or(i32::MAX);
    let (previous_from, previous_to) = shift(request.from, -back)
        .zip(shift(request.from, -1))
        .ok_or_else(|| Error::invalid("from", "choose a later first month"))?;
    let current = match audited_report(
        store_handle,
        &viewer,
        Channel::Page,
        community.id,
        request,
        "html",
    ) {
        Err(e) if e.code() != "too_few_members" => return Err(e),
        other => other,
    };
    let previous_request = InsightsRequest {
        community: request.community.clone(),
        from: previous_from,
        to: previous_to,
        format: request.format,
    };
    let previous = match audited_report(
        store_handle,
        &viewer,
        Channel::Page,
        community.id,
        &previous_request,
        "html",
    ) {
        Ok(report) => Some(report),
        Err(e) if e.code() == "too_few_members" => None,
        Err(e) => return Err(e),
    };
    Ok(PageReports {
        community,
        current,
        previous,
        previous_from,
        previous_to,
    })
}

/// This month (UTC), the page's default last month.
pub fn current_month() -> Result<Month, Error> {
    month_of(now_micros()).ok_or_else(|| Error::Internal("the clock is out of range".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Month {
        Month::parse(text).expect("month")
    }

    #[test]
    fn ranges_of_months_cross_years() {
        assert_eq!(shift(month("2026-01"), -1), Some(month("2025-12")));
        assert_eq!(shift(month("2025-12"), 13), Some(month("2027-01")));
        assert_eq!(shift(month("0001-01"), -1), None);
        let range = months_between(month("2025-11"), month("2026-02"));
        assert_eq!(
            range.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert!(months_between(month("2026-02"), month("2026-01")).is_empty());
    }
}

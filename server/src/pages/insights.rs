//! Insights pages (issue 20), for research partners of a community and site admins:
//! `/insights` (the communities one may look at), `/insights/{slug}` (charts over a range
//! of months) and `/insights/{slug}/export` (the same figures as CSV or JSON). Every
//! view and download is audited by the service.

use std::collections::BTreeSet;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_insights::{Category, Figure, Month, Report};
use kindred_web::insights::{
    insights_index, insights_page, Cell, ConcernRow, Heatmap, InsightsLink, InsightsPage,
    LineChart, Series, Total,
};
use serde::Deserialize;

use super::{Ctx, PageError, PageResult};
use crate::error::Error;
use crate::service::insights::{
    self, current_month, months_between, shift, Channel, InsightsRequest, PageReports,
};
use crate::service::partners;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/insights", web::get().to(index))
        .route("/insights/{slug}", web::get().to(community))
        .route("/insights/{slug}/export", web::get().to(export));
}

/// Series drawn per chart: more lines than this cannot be told apart.
const MAX_SERIES: usize = 6;
/// Concerns in "this period against the last".
const TOP_CONCERNS: usize = 8;

async fn index(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    if !user.is_admin() && !user.is_research_partner() {
        return Err(PageError::from(Error::NotFound));
    }
    let communities = state
        .store
        .reading(move |store| partners::communities_of(store, &user))
        .await?;
    let links: Vec<InsightsLink> = communities
        .into_iter()
        .map(|c| InsightsLink {
            slug: c.slug,
            name: c.name,
        })
        .collect();
    let chrome = ctx.chrome();
    Ok(ctx.html(insights_index(&chrome, &links)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// The range asked for; by default the twelve months up to this one.
fn request(slug: &str, query: &RangeQuery) -> Result<InsightsRequest, Error> {
    let to = match &query.to {
        Some(to) => to.clone(),
        None => current_month()?.to_string(),
    };
    let from = match &query.from {
        Some(from) => from.clone(),
        None => Month::parse(&to)
            .ok()
            .and_then(|to| shift(to, -11))
            .map_or_else(|| to.clone(), |m| m.to_string()),
    };
    InsightsRequest::parse(slug, &from, &to, query.format.as_deref())
}

async fn community(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RangeQuery>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let request = request(&path.into_inner(), &query).map_err(|e| match e {
        // A slug that cannot exist is a page that does not exist.
        Error::Invalid {
            field: "community", ..
        } => Error::NotFound,
        other => other,
    })?;
    let (from, to) = (request.from, request.to);
    let slug = request.community.as_str().to_owned();
    let reports = state
        .store
        .blocking(move |store| insights::page_reports(store, &user, &request))
        .await?;
    let view = view(&slug, from, to, reports);
    let chrome = ctx.chrome();
    Ok(ctx.html(insights_page(&chrome, &view)))
}

async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<RangeQuery>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let request = request(&path.into_inner(), &query)?;
    let format = request.format;
    let file = format!(
        "insights-{}-{}-{}.{}",
        request.community.as_str(),
        request.from,
        request.to,
        format.as_str()
    );
    let body = state
        .store
        .blocking(move |store| {
            let viewer = insights::Viewer::Person(&user);
            let community = insights::community_for(store, &viewer, &request.community)?;
            let report = insights::audited_report(
                store,
                &viewer,
                Channel::Page,
                community.id,
                &request,
                request.format.as_str(),
            )?;
            insights::write_report(&report, request.format)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .body(body))
}

fn cell(figure: Figure) -> Cell {
    match figure {
        Figure::Value(v) => Cell::Value(v),
        Figure::Suppressed { .. } => Cell::Withheld,
    }
}

/// Posts mentioning each term, month by month over `months` (a month absent from the
/// report had no consenting posts and is drawn as withheld, not as zero).
fn term_cells(report: &Report, months: &[Month], category: Category) -> Vec<(String, Vec<Cell>)> {
    let mut by_term: Vec<(String, Vec<Cell>)> = Vec::new();
    for (i, month) in months.iter().enumerate() {
        let row = report.months.iter().find(|m| m.month == *month);
        for term in report
            .months
            .first()
            .map(|m| m.terms.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|t| t.category == category)
        {
            let figure = row
                .and_then(|r| {
                    r.terms
                        .iter()
                        .find(|t| t.category == category && t.label == term.label)
                })
                .map_or(Cell::Withheld, |t| cell(t.figures.posts));
            if let Some((_, cells)) = by_term.iter_mut().find(|(label, _)| *label == term.label) {
                cells.push(figure);
            } else {
                let mut cells = vec![Cell::Withheld; i];
                cells.push(figure);
                by_term.push((term.label.clone(), cells));
            }
        }
    }
    by_term
}

/// A term's total over the months present in the report (absent months had no posts).
fn term_total(report: &Report, category: Category, label: &str) -> Total {
    Total::of(report.months.iter().map(|m| {
        m.terms
            .iter()
            .find(|t| t.category == category && t.label == label)
            .map_or(Cell::Withheld, |t| cell(t.figures.posts))
    }))
}

fn chart(report: &Report, months: &[Month], category: Category) -> LineChart {
    let id = match category {
        Category::Treatment => "treatments",
        Category::SideEffect => "side-effects",
        Category::Concern => "concerns",
    };
    let mut terms: Vec<(u64, Series)> = term_cells(report, months, category)
        .into_iter()
        .map(|(label, points)| {
            let published: u64 = points
                .iter()
                .map(|c| match c {
                    Cell::Value(v) => *v,
                    Cell::Withheld => 0,
                })
                .sum();
            (published, Series { label, points })
        })
        .collect();
    terms.sort_by_key(|(published, _)| std::cmp::Reverse(*published));
    let mut series = Vec::new();
    let mut quiet = Vec::new();
    for (published, s) in terms {
        if published > 0 && series.len() < MAX_SERIES {
            series.push(s);
        } else {
            quiet.push(s.label);
        }
    }
    LineChart { id, series, quiet }
}

fn concerns(current: &Report, previous: Option<&Report>) -> Vec<ConcernRow> {
    let labels: Vec<String> = current
        .months
        .first()
        .map(|m| {
            m.terms
                .iter()
                .filter(|t| t.category == Category::Concern)
                .map(|t| t.label.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut rows: Vec<ConcernRow> = labels
        .into_iter()
        .map(|label| ConcernRow {
            this_period: term_total(current, Category::Concern, &label),
            last_period: previous.map_or(Total::Withheld, |p| {
                term_total(p, Category::Concern, &label)
            }),
            label,
        })
        .filter(|row| row.this_period != Total::Withheld || row.last_period != Total::Withheld)
        .collect();
    let amount = |t: Total| match t {
        Total::Known(v) | Total::AtLeast(v) => v,
        Total::Withheld => 0,
    };
    rows.sort_by(|a, b| {
        amount(b.this_period)
            .cmp(&amount(a.this_period))
            .then(amount(b.last_period).cmp(&amount(a.last_period)))
    });
    rows.truncate(TOP_CONCERNS);
    rows
}

/// Pairs over the report's months: a pair a month does not list is withheld that month.
fn heatmap(report: &Report) -> Heatmap {
    let mut published: BTreeSet<(&str, &str)> = BTreeSet::new();
    for month in &report.months {
        for pair in &month.pairs {
            if pair.figures.posts.value().is_some() {
                published.insert((pair.treatment.as_str(), pair.side_effect.as_str()));
            }
        }
    }
    let mut treatments: Vec<String> = published.iter().map(|(t, _)| (*t).to_owned()).collect();
    treatments.dedup();
    let mut side_effects: Vec<String> = published.iter().map(|(_, s)| (*s).to_owned()).collect();
    side_effects.sort();
    side_effects.dedup();
    let cells = treatments
        .iter()
        .map(|t| {
            side_effects
                .iter()
                .map(|s| {
                    Total::of(report.months.iter().map(|m| {
                        m.pairs
                            .iter()
                            .find(|p| p.treatment == *t && p.side_effect == *s)
                            .map_or(Cell::Withheld, |p| cell(p.figures.posts))
                    }))
                })
                .collect()
        })
        .collect();
    Heatmap {
        treatments,
        side_effects,
        cells,
    }
}

fn view(slug: &str, from: Month, to: Month, reports: PageReports) -> InsightsPage {
    let months = months_between(from, to);
    let mut page = InsightsPage {
        community_name: reports.community.name.clone(),
        slug: slug.to_owned(),
        from: from.to_string(),
        to: to.to_string(),
        last_from: reports.previous_from.to_string(),
        last_to: reports.previous_to.to_string(),
        below: kindred_insights::MIN_MEMBERS,
        nothing: None,
        months: months.iter().map(ToString::to_string).collect(),
        members: Vec::new(),
        charts: Vec::new(),
        concerns: Vec::new(),
        heatmap: Heatmap {
            treatments: Vec::new(),
            side_effects: Vec::new(),
            cells: Vec::new(),
        },
    };
    match &reports.current {
        Err(e) => page.nothing = Some(e.to_string()),
        Ok(report) => {
            page.below = report.min_members;
            page.members = months
                .iter()
                .map(|month| {
                    report
                        .months
                        .iter()
                        .find(|m| m.month == *month)
                        .map_or(Cell::Withheld, |m| cell(m.totals.members))
                })
                .collect();
            page.charts = Category::ALL
                .into_iter()
                .map(|category| chart(report, &months, category))
                .collect();
            page.concerns = concerns(report, reports.previous.as_ref());
            page.heatmap = heatmap(report);
        }
    }
    page
}

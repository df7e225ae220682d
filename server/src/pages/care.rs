//! Duty of care (issue 19) on the pages: `/me/care`, where a member lands after a post that
//! suggests they may be at risk (the calm crisis-lines panel, dismissible with a form), and
//! the moderators' "I reached out" form for a wellbeing item shown in `/mod/queue`.

use actix_web::{web, HttpRequest};
use kindred_web::care::{self as view, CarePage, WellbeingEntry};
use serde::Deserialize;

use super::convert::{person, post};
use super::{query, Ctx, PageError, PageResult};
use crate::error::Error;
use crate::service::care::{self, CarePanel, WellbeingItemView};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/care", web::get().to(care_page))
        .route("/me/care/dismiss", web::post().to(dismiss))
        .route(
            "/mod/wellbeing/{id}/reached-out",
            web::post().to(reached_out),
        );
}

/// Where the member goes after posting at risk: the panel, then their post.
pub(super) fn after_posting(thread: &str, post: &str) -> String {
    format!(
        "/me/care?next={}",
        urlencoding_path(&format!("/t/{thread}#p{post}"))
    )
}

/// `/t/{thread}#p{post}` with the `#` escaped, for a query value.
fn urlencoding_path(path: &str) -> String {
    path.replace('#', "%23")
}

/// Only a link to a post (`/t/{digits}#p{digits}`) is followed: never another site.
fn safe_next(raw: Option<&str>) -> Option<String> {
    let rest = raw?.strip_prefix("/t/")?;
    let (thread, post) = rest.split_once("#p")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(thread) && digits(post)).then(|| format!("/t/{thread}#p{post}"))
}

fn panel_view(panel: &CarePanel) -> view::CarePanel {
    view::CarePanel {
        message: panel.message.clone(),
        country_name: panel.country.name.clone(),
        emergency: panel.country.emergency.clone(),
        services: panel
            .country
            .services
            .iter()
            .map(|s| view::CrisisService {
                name: s.name.clone(),
                how: s.how.clone(),
                number: s.number.clone(),
                keyword: s.keyword.clone(),
                hours: s.hours.clone(),
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        last_checked: panel.last_checked.clone(),
    }
}

/// A wellbeing item as the queue page shows it.
pub(super) fn wellbeing_entry(item: &WellbeingItemView) -> WellbeingEntry {
    WellbeingEntry {
        id: item.id.clone(),
        community: item.community.clone(),
        level: item.level.clone(),
        urgent: item.urgent,
        source: item.source.clone(),
        sentences: item.sentences.clone(),
        guide: item.guide.clone(),
        reach_out_template: item.reach_out_template.clone(),
        post: post(&item.post, None),
        thread_id: item.post.thread_id.0.to_string(),
        thread_title: item.thread_title.clone(),
        reached_out_by: item.reached_out_by.as_ref().map(person),
        reached_out_at: item.reached_out_at.clone(),
        created_at: item.created_at.clone(),
    }
}

#[derive(Deserialize)]
struct CareQuery {
    next: Option<String>,
}

async fn care_page(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: CareQuery = query(&req)?;
    let app = state.clone();
    let mine = state
        .store
        .reading(move |store| care::my_care(store, &user, &app.care()))
        .await?;
    let page = CarePage {
        panel: mine.panel.as_ref().map(panel_view),
        continue_to: safe_next(q.next.as_deref()),
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(view::care_page(&chrome, &page)))
}

#[derive(Deserialize)]
struct DismissForm {
    #[serde(default)]
    csrf_token: String,
    next: Option<String>,
}

async fn dismiss(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<DismissForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    state
        .store
        .blocking(move |store| care::dismiss(store, &user))
        .await?;
    let next = safe_next(form.next.as_deref()).unwrap_or_else(|| "/".to_owned());
    Ok(ctx.redirect(&next))
}

#[derive(Deserialize)]
struct ReachedOutForm {
    #[serde(default)]
    csrf_token: String,
}

async fn reached_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ReachedOutForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id: i64 = path
        .into_inner()
        .parse()
        .map_err(|_| PageError::from(Error::NotFound))?;
    let item = state
        .store
        .blocking(move |store| care::reached_out(store, &user, id))
        .await?;
    Ok(ctx.redirect(&format!("/mod/queue?notice=reached_out#w{}", item.id)))
}

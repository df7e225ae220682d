//! `/c/{slug}/removal-reasons`: moderators keep their community's canned removal reasons
//! (add, make default, remove), with forms that work without JavaScript.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::reasons::{removal_reasons as reasons_page, ReasonItem};
use kindred_web::FormState;
use serde::Deserialize;

use super::convert::detail_card;
use super::{form_problem, query, Ctx, PageResult};
use crate::domain::current_user::CurrentUser;
use crate::domain::moderation::ModerationText;
use crate::error::Error;
use crate::service::{communities, moderation};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{slug}/removal-reasons", web::get().to(show))
        .route("/c/{slug}/removal-reasons", web::post().to(add))
        .route(
            "/c/{slug}/removal-reasons/{id}/default",
            web::post().to(make_default),
        )
        .route(
            "/c/{slug}/removal-reasons/{id}/remove",
            web::post().to(remove),
        );
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn render(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    slug: String,
    form: FormState,
    notice: Option<&str>,
) -> PageResult {
    let (detail, reasons) = state
        .store
        .reading(move |store| {
            let reasons = moderation::removal_reasons(store, &user, &slug)?;
            let detail = communities::get(store, Some(&user), &slug)?;
            Ok::<_, Error>((detail, reasons))
        })
        .await?;
    let items: Vec<ReasonItem> = reasons
        .reasons
        .into_iter()
        .map(|r| ReasonItem {
            id: r.id,
            text: r.text,
            is_default: r.is_default,
        })
        .collect();
    let status = if form.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let chrome = ctx.chrome();
    let html = reasons_page(&chrome, &detail_card(&detail), &items, &form, notice);
    Ok(ctx.html_status(status, html))
}

async fn show(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: NoticeQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("added") => Some(ctx.lang.t("form-notice-reason-added")),
        Some("default") => Some(ctx.lang.t("form-notice-reason-default")),
        Some("removed") => Some(ctx.lang.t("form-notice-reason-removed")),
        _ => None,
    };
    render(
        ctx,
        &state,
        user,
        path.into_inner(),
        FormState::new(),
        notice.as_deref(),
    )
    .await
}

#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    text: String,
    default: Option<String>,
}

async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AddForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let slug = path.into_inner();
    let mut kept = FormState::new()
        .with_value("text", form.text.clone())
        .with_value("default", form.default.clone().unwrap_or_default());
    let make_default = form.default.as_deref() == Some("on");
    let result = match ModerationText::reason(&form.text) {
        Ok(text) => {
            let (moderator, target) = (user.clone(), slug.clone());
            state
                .store
                .blocking(move |store| {
                    moderation::add_removal_reason(store, &moderator, &target, &text, make_default)
                })
                .await
                .map(|_| ())
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Ok(ctx.redirect(&format!("/c/{slug}/removal-reasons?notice=added"))),
        Err(error) => {
            form_problem(ctx.lang, error, &mut kept)?;
            render(ctx, &state, user, slug, kept, None).await
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn make_default(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (slug, id) = path.into_inner();
    let target = slug.clone();
    state
        .store
        .blocking(move |store| moderation::make_default_reason(store, &user, &target, &id))
        .await?;
    Ok(ctx.redirect(&format!("/c/{slug}/removal-reasons?notice=default")))
}

async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (slug, id) = path.into_inner();
    let target = slug.clone();
    state
        .store
        .blocking(move |store| moderation::remove_removal_reason(store, &user, &target, &id))
        .await?;
    Ok(ctx.redirect(&format!("/c/{slug}/removal-reasons?notice=removed")))
}

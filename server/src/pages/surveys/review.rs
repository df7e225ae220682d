//! The admins' side of surveys: `/admin/surveys` (reviewing partners' drafts) and
//! `/admin/partners` (granting and revoking research-partner access to a community).

use actix_web::{web, HttpRequest};
use kindred_web::surveys::{
    admin_surveys_page, partner_grants_page, AdminSurveysPage, GrantItem, PartnerGrantsPage,
};
use serde::Deserialize;

use super::{asked_notice, respond, settle, survey_id, survey_item, CsrfForm};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::format_time;
use crate::error::Error;
use crate::pages::admin::{admin_form, load_admin};
use crate::pages::{Ctx, PageError, PageResult};
use crate::service::partners::{self, Granter};
use crate::service::surveys::{self, DecisionInput};
use crate::state::AppState;
use crate::store::partners as grant_store;

async fn render_admin(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    notice: Option<String>,
    problem: Option<String>,
) -> PageResult {
    let list = state
        .store
        .reading(move |store| surveys::for_review(store, &user))
        .await?;
    let view = AdminSurveysPage {
        surveys: list.iter().map(survey_item).collect(),
        notice,
        problem,
    };
    Ok(respond(ctx, view.problem.as_ref(), |chrome| {
        admin_surveys_page(chrome, &view)
    }))
}

pub(super) async fn admin_page(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let (ctx, user) = load_admin(&req, &state).await?;
    let notice = asked_notice(
        &req,
        ctx.lang,
        &[
            ("approved", "form-notice-survey-approved"),
            ("rejected", "form-notice-survey-rejected"),
        ],
    )?;
    render_admin(ctx, &state, user, notice, None).await
}

#[derive(Deserialize)]
pub(super) struct DecideForm {
    csrf_token: String,
    reason: String,
    /// `approve` or `reject`.
    decision: String,
}

pub(super) async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<DecideForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let id = survey_id(&path.into_inner())?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(PageError::from(Error::invalid(
                "decision",
                "approve or reject",
            )))
        }
    };
    let admin = user.clone();
    let input = DecisionInput {
        reason: form.reason,
    };
    let outcome = state
        .store
        .blocking(move |store| surveys::decide(store, &admin, id, approve, &input))
        .await;
    let done = if approve {
        "/admin/surveys?notice=approved"
    } else {
        "/admin/surveys?notice=rejected"
    };
    settle(ctx, outcome.map(drop), done, |ctx, problem| {
        render_admin(ctx, &state, user, None, Some(problem))
    })
    .await
}

async fn render_grants(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    notice: Option<String>,
    problem: Option<String>,
) -> PageResult {
    let (grants, communities) = state
        .store
        .reading(move |store| {
            Ok::<_, Error>((
                partners::list(store, &Granter::Admin(&user))?,
                store.read(grant_store::all_communities)?,
            ))
        })
        .await?;
    let view = PartnerGrantsPage {
        grants: grants
            .into_iter()
            .map(|g| GrantItem {
                username: g.username,
                community: g.community,
                community_name: g.community_name,
                granted_at: format_time(g.granted_at),
            })
            .collect(),
        communities,
        notice,
        problem,
    };
    Ok(respond(ctx, view.problem.as_ref(), |chrome| {
        partner_grants_page(chrome, &view)
    }))
}

pub(super) async fn grants_page(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let (ctx, user) = load_admin(&req, &state).await?;
    let notice = asked_notice(
        &req,
        ctx.lang,
        &[
            ("granted", "form-notice-granted"),
            ("revoked", "form-notice-revoked"),
        ],
    )?;
    render_grants(ctx, &state, user, notice, None).await
}

#[derive(Deserialize)]
pub(super) struct GrantForm {
    csrf_token: String,
    username: String,
    community: String,
}

pub(super) async fn grant(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<GrantForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let admin = user.clone();
    let outcome = state
        .store
        .blocking(move |store| {
            partners::grant(
                store,
                &Granter::Admin(&admin),
                &form.username,
                &form.community,
            )
        })
        .await;
    settle(
        ctx,
        outcome.map(drop),
        "/admin/partners?notice=granted",
        |ctx, problem| render_grants(ctx, &state, user, None, Some(problem)),
    )
    .await
}

pub(super) async fn revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let (username, slug) = path.into_inner();
    let admin = user.clone();
    state
        .store
        .blocking(move |store| partners::revoke(store, &Granter::Admin(&admin), &username, &slug))
        .await?;
    Ok(ctx.redirect("/admin/partners?notice=revoked"))
}

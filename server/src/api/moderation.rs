//! Reports, the moderation queue, decisions and the moderation log.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{answered, idempotency_key, ErrorBody, PageQuery};
use crate::auth::Viewer;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::PostId;
use crate::domain::moderation::{Decision, ModerationText, Sanction, SanctionKind};
use crate::error::Error;
use crate::service::idempotency::Keyed;
use crate::service::moderation::{
    self, DecisionInput, DecisionView, ModLogEntryView, ModerationPolicyView, OpenQueueCount,
    QueueItemView, RemovalReasons, ReportReceipt,
};
use crate::service::page_size;
use crate::service::views::Page;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(report)
        .service(queue)
        .service(queue_count)
        .service(decide)
        .service(modlog)
        .service(moderation_policy)
        .service(set_moderation_policy)
        .service(removal_reasons)
        .service(add_removal_reason)
        .service(make_default_reason)
        .service(remove_removal_reason);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReportRequest {
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    reason: String,
}

#[utoipa::path(tag = "moderation", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters; the same key from the same member within 24 hours returns the first answer and creates nothing")), security(("bearer" = [])), request_body = ReportRequest,
    responses((status = 201, body = ReportReceipt), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Own post, or already reported", body = ErrorBody),
        (status = 422, description = "`idempotency_key_reused`: the key was used for another request", body = ErrorBody),
        (status = 429, description = "`rate_limited`: reports are limited per member", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/posts/{id}/reports")]
async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<ReportRequest>,
) -> Result<HttpResponse, Error> {
    let post_id = PostId::parse(&path.into_inner()).ok_or(Error::NotFound)?;
    let reason = ModerationText::reason(&body.into_inner().reason)?;
    let keyed = idempotency_key(&req)?.map(|key| Keyed::report(key, post_id, &reason));
    let app = state.clone();
    let answer = state
        .store
        .blocking(move |store| {
            moderation::report(
                store,
                &user,
                post_id,
                reason,
                keyed.as_ref(),
                &app.abuse.reports_by_member,
            )
        })
        .await?;
    Ok(answered(answer))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct QueueQuery {
    /// Only this community's items (a slug).
    community: Option<String>,
    /// Opaque: the `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page; values outside 1–100 are brought into that range.
    limit: Option<i64>,
}

#[utoipa::path(tag = "moderation", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, description = "Open items, oldest first", body = Page<QueueItemView>), (status = 403, body = ErrorBody),
        (status = 404, description = "`community` names no community this moderator may see", body = ErrorBody)))]
#[get("/mod/queue")]
async fn queue(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let page = state
        .store
        .reading(move |store| {
            moderation::queue(
                store,
                &user,
                query.community.as_deref(),
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(tag = "moderation", security(("bearer" = [])),
    responses((status = 200, description = "Open items in every queue the caller moderates (the pages' header count)", body = OpenQueueCount),
        (status = 403, description = "`not_moderator`", body = ErrorBody)))]
#[get("/mod/queue/count")]
async fn queue_count(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let count = state
        .store
        .reading(move |store| moderation::open_queue_count_of_moderator(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(count))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SanctionRequest {
    #[schema(value_type = SanctionKind)]
    kind: String,
    /// For `suspend` only, and required there.
    #[schema(minimum = 1, maximum = 365)]
    days: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DecisionRequest {
    #[schema(value_type = Decision)]
    action: String,
    /// Shown in the public moderation log and, for removals, to the author. Left out: a
    /// removal records the community's default removal reason (`400` without one), an
    /// approval or dismissal fixed words.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    reason: Option<String>,
    /// Seen by moderators only.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    note: Option<String>,
    sanction: Option<SanctionRequest>,
}

#[utoipa::path(tag = "moderation", params(("id" = String, Path)), security(("bearer" = [])), request_body = DecisionRequest,
    responses((status = 200, body = DecisionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Already decided", body = ErrorBody)))]
#[post("/mod/queue/{id}/decision")]
async fn decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<DecisionRequest>,
) -> Result<HttpResponse, Error> {
    let item_id = path
        .into_inner()
        .parse::<i64>()
        .map_err(|_| Error::NotFound)?;
    let body = body.into_inner();
    let input = DecisionInput {
        decision: Decision::parse(&body.action)?,
        reason: body
            .reason
            .as_deref()
            .map(ModerationText::reason)
            .transpose()?,
        note: body.note.as_deref().map(ModerationText::note).transpose()?,
        sanction: body
            .sanction
            .map(|s| Sanction::parse(&s.kind, s.days))
            .transpose()?,
    };
    let decision = state
        .store
        .blocking(move |store| moderation::decide(store, &user, item_id, input))
        .await?;
    Ok(HttpResponse::Ok().json(decision))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path), PageQuery), security((), ("bearer" = [])),
    responses((status = 200, description = "Newest first; notes and names for moderators only", body = Page<ModLogEntryView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/communities/{slug}/modlog")]
async fn modlog(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let query = query.into_inner();
    let page = state
        .store
        .reading(move |store| {
            moderation::modlog(
                store,
                viewer.user(),
                &slug,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Every threshold, defaults filled in", body = ModerationPolicyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/communities/{slug}/moderation-policy")]
async fn moderation_policy(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let view = state
        .store
        .reading(move |store| moderation::moderation_policy(store, &user, &slug))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Replaces the policy. Per label (`promotion`, `misinformation`, `personal_info`):
/// `flag`, `hold`, `reject` (null: never) in [0, 1] with flag <= hold <= reject, and
/// `flag_instead_of_hold`, trust levels 0–3. What the body leaves out takes the default.
#[utoipa::path(tag = "moderation", params(("slug" = String, Path)), security(("bearer" = [])), request_body = Object,
    responses((status = 200, body = ModerationPolicyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[put("/communities/{slug}/moderation-policy")]
async fn set_moderation_policy(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, Error> {
    let policy: kindred_moderation::Policy = serde_json::from_value(body.into_inner())
        .map_err(|e| Error::invalid("policy", e.to_string()))?;
    let slug = path.into_inner();
    let view = state
        .store
        .blocking(move |store| moderation::set_moderation_policy(store, &user, &slug, &policy))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The community's canned removal reasons, oldest first", body = RemovalReasons), (status = 403, description = "`not_moderator`", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/communities/{slug}/removal-reasons")]
async fn removal_reasons(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let reasons = state
        .store
        .reading(move |store| moderation::removal_reasons(store, &user, &slug))
        .await?;
    Ok(HttpResponse::Ok().json(reasons))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewRemovalReason {
    /// What the author of a removed post reads, and the public log shows.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    text: String,
    /// Make it the default (the first reason always is).
    #[serde(default)]
    default: bool,
}

/// Moderators only, like the other moderation settings; a community keeps at most 20.
#[utoipa::path(tag = "moderation", params(("slug" = String, Path)), security(("bearer" = [])), request_body = NewRemovalReason,
    responses((status = 201, description = "Added; the whole list", body = RemovalReasons), (status = 403, description = "`not_moderator`", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The community already has that reason", body = ErrorBody)))]
#[post("/communities/{slug}/removal-reasons")]
async fn add_removal_reason(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<NewRemovalReason>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let body = body.into_inner();
    let text = ModerationText::reason(&body.text)?;
    let reasons = state
        .store
        .blocking(move |store| {
            moderation::add_removal_reason(store, &user, &slug, &text, body.default)
        })
        .await?;
    Ok(HttpResponse::Created().json(reasons))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path), ("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The whole list, this reason now the default", body = RemovalReasons), (status = 403, description = "`not_moderator`", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[put("/communities/{slug}/removal-reasons/{id}/default")]
async fn make_default_reason(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, id) = path.into_inner();
    let reasons = state
        .store
        .blocking(move |store| moderation::make_default_reason(store, &user, &slug, &id))
        .await?;
    Ok(HttpResponse::Ok().json(reasons))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path), ("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The list left; the oldest becomes the default if the default went", body = RemovalReasons), (status = 403, description = "`not_moderator`", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/communities/{slug}/removal-reasons/{id}")]
async fn remove_removal_reason(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, id) = path.into_inner();
    let reasons = state
        .store
        .blocking(move |store| moderation::remove_removal_reason(store, &user, &slug, &id))
        .await?;
    Ok(HttpResponse::Ok().json(reasons))
}

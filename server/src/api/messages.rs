//! `/conversations`, `/messages/{id}/report` and the site admins' `/admin/messages`:
//! private messages (see `service::messages`).

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{answered, idempotency_key, ErrorBody, PageQuery};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{ConversationId, MessageId};
use crate::error::Error;
use crate::service::messages::review::{
    self, DecisionInput, HeldMessagePage, MessageReportPage, ReportInput, ReportReceived,
};
use crate::service::messages::{
    self, ConversationPage, ConversationView, CreatedConversation, MessageChecks, MessagePage,
    MessageView, NewConversation, NewMessage, SentMessage,
};
use crate::service::page_size;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(start)
        .service(read)
        .service(send)
        .service(mute)
        .service(unmute)
        .service(report)
        .service(held)
        .service(reports)
        .service(decide);
}

fn conversation_id(raw: &str) -> Result<ConversationId, Error> {
    ConversationId::parse(raw).ok_or(Error::NotFound)
}

fn message_id(raw: &str) -> Result<MessageId, Error> {
    MessageId::parse(raw).ok_or(Error::NotFound)
}

#[utoipa::path(operation_id = "list_conversations", tag = "messages", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, description = "Your conversations, latest message first, with the unread count over those not muted", body = ConversationPage)))]
#[get("/conversations")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let page = state
        .store
        .reading(move |store| {
            messages::list(
                store,
                &user,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(operation_id = "start_conversation", tag = "messages", params(("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters; the same key from the same member within 24 hours returns the first answer and creates nothing")), security(("bearer" = [])), request_body = NewConversation,
    responses((status = 201, description = "Started; the message may be `held` for review", body = CreatedConversation),
        (status = 403, description = "`cannot_message` (no shared community, or a block: one code for both), `trust_level_too_low` (new members may answer but not start)", body = ErrorBody),
        (status = 422, description = "`rejected` by screening, or `idempotency_key_reused` for another request", body = ErrorBody),
        (status = 429, description = "`rate_limited`: messages per hour", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/conversations")]
async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<NewConversation>,
) -> Result<HttpResponse, Error> {
    let input = body.into_inner();
    let key = idempotency_key(&req)?;
    let app = state.clone();
    let created = state
        .store
        .blocking(move |store| {
            let checks = MessageChecks {
                screener: &app.screener,
                limits: &app.abuse,
            };
            messages::start(store, &checks, &user, input, key)
        })
        .await?;
    Ok(answered(created))
}

#[utoipa::path(operation_id = "list_messages", tag = "messages", params(("id" = String, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, description = "Oldest first; the last page marks the conversation read", body = MessagePage), (status = 404, body = ErrorBody)))]
#[get("/conversations/{id}/messages")]
async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let id = conversation_id(&path.into_inner())?;
    let query = query.into_inner();
    let page = state
        .store
        .blocking(move |store| {
            messages::messages(
                store,
                &user,
                id,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(operation_id = "send_message", tag = "messages", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters; the same key from the same member within 24 hours returns the first answer and creates nothing")), security(("bearer" = [])), request_body = NewMessage,
    responses((status = 201, body = SentMessage), (status = 403, description = "`cannot_message`", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "`rejected` by screening, or `idempotency_key_reused` for another request", body = ErrorBody),
        (status = 429, description = "`rate_limited`: messages per hour", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/conversations/{id}/messages")]
async fn send(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<NewMessage>,
) -> Result<HttpResponse, Error> {
    let id = conversation_id(&path.into_inner())?;
    let input = body.into_inner();
    let key = idempotency_key(&req)?;
    let app = state.clone();
    let sent = state
        .store
        .blocking(move |store| {
            let checks = MessageChecks {
                screener: &app.screener,
                limits: &app.abuse,
            };
            messages::send(store, &checks, &user, id, input, key)
        })
        .await?;
    Ok(answered(sent))
}

#[utoipa::path(operation_id = "mute_conversation", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
#[put("/conversations/{id}/mute")]
async fn mute(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    set_muted(state, user, path, true).await
}

#[utoipa::path(operation_id = "unmute_conversation", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
#[delete("/conversations/{id}/mute")]
async fn unmute(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    set_muted(state, user, path, false).await
}

async fn set_muted(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    muted: bool,
) -> Result<HttpResponse, Error> {
    let id = conversation_id(&path.into_inner())?;
    let view = state
        .store
        .blocking(move |store| messages::set_muted(store, &user, id, muted))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(operation_id = "report_message", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])), request_body = ReportInput,
    responses((status = 202, description = "The site admins will look; nobody is told who reported", body = ReportReceived), (status = 404, body = ErrorBody)))]
#[post("/messages/{id}/report")]
async fn report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<ReportInput>,
) -> Result<HttpResponse, Error> {
    let id = message_id(&path.into_inner())?;
    let input = body.into_inner();
    let received = state
        .store
        .blocking(move |store| review::report(store, &user, id, &input))
        .await?;
    Ok(HttpResponse::Accepted().json(received))
}

#[utoipa::path(operation_id = "held_messages", tag = "messages", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, description = "Messages screening held, oldest first", body = HeldMessagePage), (status = 403, description = "Not a site admin", body = ErrorBody)))]
#[get("/admin/messages/held")]
async fn held(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let page = state
        .store
        .reading(move |store| {
            review::held(
                store,
                &user,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(operation_id = "message_reports", tag = "messages", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, description = "Open reports with the reported text, oldest first", body = MessageReportPage), (status = 403, description = "Not a site admin", body = ErrorBody)))]
#[get("/admin/messages/reports")]
async fn reports(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let page = state
        .store
        .reading(move |store| {
            review::reports(
                store,
                &user,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(operation_id = "decide_message", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])), request_body = DecisionInput,
    responses((status = 200, body = MessageView), (status = 403, description = "Not a site admin", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/admin/messages/{id}/decision")]
async fn decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<DecisionInput>,
) -> Result<HttpResponse, Error> {
    let id = message_id(&path.into_inner())?;
    let input = body.into_inner();
    let view = state
        .store
        .blocking(move |store| review::decide(store, &user, id, &input))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

//! `/notifications` and `/threads/{id}/watch`: what happened that concerns the member.

use actix_web::{delete, get, post, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::threads::{switch_thread, thread_id};
use super::{ErrorBody, PageQuery};
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::notifications::{
    self, MarkReadInput, NotificationPage, UnreadCount, WatchState,
};
use crate::service::page_size;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(unread_count)
        .service(mark_read)
        .service(watch_state)
        .service(watch)
        .service(unwatch);
}

#[utoipa::path(operation_id = "list_notifications", tag = "notifications", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, description = "Newest first, with the unread count", body = NotificationPage)))]
#[get("/notifications")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let page = state
        .store
        .reading(move |store| {
            notifications::list(
                store,
                &user,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = UnreadCount)))]
#[get("/notifications/unread-count")]
async fn unread_count(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, Error> {
    let count = state
        .store
        .reading(move |store| notifications::unread_count(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(count))
}

#[utoipa::path(tag = "notifications", security(("bearer" = [])), request_body = MarkReadInput,
    responses((status = 200, description = "The unread count afterwards", body = UnreadCount)))]
#[post("/notifications/read")]
async fn mark_read(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<MarkReadInput>,
) -> Result<HttpResponse, Error> {
    let selection = body.into_inner().parse()?;
    let count = state
        .store
        .blocking(move |store| notifications::mark_read(store, &user, selection))
        .await?;
    Ok(HttpResponse::Ok().json(count))
}

#[utoipa::path(tag = "notifications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = WatchState), (status = 404, body = ErrorBody)))]
#[get("/threads/{id}/watch")]
async fn watch_state(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let id = thread_id(&path.into_inner())?;
    let watching = state
        .store
        .reading(move |store| notifications::watch_state(store, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(watching))
}

#[utoipa::path(tag = "notifications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "New posts in the thread will notify you", body = WatchState), (status = 404, body = ErrorBody)))]
#[put("/threads/{id}/watch")]
async fn watch(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    switch_thread(&state, user, &path, true, notifications::set_watch).await
}

#[utoipa::path(tag = "notifications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = WatchState), (status = 404, body = ErrorBody)))]
#[delete("/threads/{id}/watch")]
async fn unwatch(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    switch_thread(&state, user, &path, false, notifications::set_watch).await
}

//! `/me/blocks` and `/threads/{id}/mute`: whom and what a member does not want to hear.

use actix_web::{web, HttpResponse};

use super::threads::{switch_thread, thread_id};
use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::blocks::{self, BlockInput, BlockList, MuteState};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/blocks", web::get().to(list))
        .route("/me/blocks", web::post().to(block))
        .route("/me/blocks/{username}", web::delete().to(unblock))
        .route("/threads/{id}/mute", web::get().to(mute_state))
        .route("/threads/{id}/mute", web::put().to(mute))
        .route("/threads/{id}/mute", web::delete().to(unmute));
}

#[utoipa::path(get, path = "/api/v1/me/blocks", operation_id = "list_blocks", tag = "messages", security(("bearer" = [])),
    responses((status = 200, description = "The members you block, oldest block first", body = BlockList)))]
async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let list = state
        .store
        .reading(move |store| blocks::list(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/v1/me/blocks", operation_id = "block_member", tag = "messages", security(("bearer" = [])), request_body = BlockInput,
    responses((status = 200, description = "Blocked (again: nothing changes); the member is not told. Your list afterwards", body = BlockList), (status = 404, description = "No such member", body = ErrorBody)))]
async fn block(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<BlockInput>,
) -> Result<HttpResponse, Error> {
    let input = body.into_inner();
    let list = state
        .store
        .blocking(move |store| blocks::block(store, &user, input))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(delete, path = "/api/v1/me/blocks/{username}", operation_id = "unblock_member", tag = "messages", params(("username" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Unblocked (or was not blocked); your list afterwards", body = BlockList), (status = 404, description = "No such member", body = ErrorBody)))]
async fn unblock(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let username = path.into_inner();
    let list = state
        .store
        .blocking(move |store| blocks::unblock(store, &user, &username))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(get, path = "/api/v1/threads/{id}/mute", operation_id = "thread_mute_state", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = MuteState), (status = 404, body = ErrorBody)))]
async fn mute_state(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let id = thread_id(&path.into_inner())?;
    let muted = state
        .store
        .reading(move |store| blocks::thread_mute(store, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(muted))
}

#[utoipa::path(put, path = "/api/v1/threads/{id}/mute", operation_id = "mute_thread", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The thread notifies you of nothing (watching, replies and mentions included)", body = MuteState), (status = 404, body = ErrorBody)))]
async fn mute(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    switch_thread(&state, user, &path, true, blocks::set_thread_mute).await
}

#[utoipa::path(delete, path = "/api/v1/threads/{id}/mute", operation_id = "unmute_thread", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = MuteState), (status = 404, body = ErrorBody)))]
async fn unmute(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    switch_thread(&state, user, &path, false, blocks::set_thread_mute).await
}

//! `/me/blocks` and `/threads/{id}/mute`: whom and what a member does not want to hear.

use actix_web::{delete, get, post, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::threads::{switch_thread, thread_id};
use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::blocks::{self, BlockInput, BlockList, MuteState};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(block)
        .service(unblock)
        .service(mute_state)
        .service(mute)
        .service(unmute);
}

#[utoipa::path(operation_id = "list_blocks", tag = "messages", security(("bearer" = [])),
    responses((status = 200, description = "The members you block, oldest block first", body = BlockList)))]
#[get("/me/blocks")]
async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let blocked = state
        .store
        .reading(move |store| blocks::list(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(blocked))
}

#[utoipa::path(operation_id = "block_member", tag = "messages", security(("bearer" = [])), request_body = BlockInput,
    responses((status = 200, description = "Blocked (again: nothing changes); the member is not told. Your list afterwards", body = BlockList), (status = 404, description = "No such member", body = ErrorBody)))]
#[post("/me/blocks")]
async fn block(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<BlockInput>,
) -> Result<HttpResponse, Error> {
    let input = body.into_inner();
    let blocked = state
        .store
        .blocking(move |store| blocks::block(store, &user, input))
        .await?;
    Ok(HttpResponse::Ok().json(blocked))
}

#[utoipa::path(operation_id = "unblock_member", tag = "messages", params(("username" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Unblocked (or was not blocked); your list afterwards", body = BlockList), (status = 404, description = "No such member", body = ErrorBody)))]
#[delete("/me/blocks/{username}")]
async fn unblock(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let username = path.into_inner();
    let blocked = state
        .store
        .blocking(move |store| blocks::unblock(store, &user, &username))
        .await?;
    Ok(HttpResponse::Ok().json(blocked))
}

#[utoipa::path(operation_id = "thread_mute_state", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = MuteState), (status = 404, body = ErrorBody)))]
#[get("/threads/{id}/mute")]
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

#[utoipa::path(operation_id = "mute_thread", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The thread notifies you of nothing (watching, replies and mentions included)", body = MuteState), (status = 404, body = ErrorBody)))]
#[put("/threads/{id}/mute")]
async fn mute(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    switch_thread(&state, user, &path, true, blocks::set_thread_mute).await
}

#[utoipa::path(operation_id = "unmute_thread", tag = "messages", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = MuteState), (status = 404, body = ErrorBody)))]
#[delete("/threads/{id}/mute")]
async fn unmute(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    switch_thread(&state, user, &path, false, blocks::set_thread_mute).await
}

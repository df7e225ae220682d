//! Bookmarks: `GET /me/bookmarks`, `PUT`/`DELETE /me/bookmarks/{post_id}` (idempotent).

use actix_web::{delete, get, put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::PostId;
use crate::error::Error;
use crate::service::bookmarks::{self, SavedList, SavedState};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(save).service(forget);
}

#[utoipa::path(operation_id = "list_bookmarks", tag = "bookmarks", security(("bearer" = [])),
    responses((status = 200, description = "Saved posts the member may still read, newest first", body = SavedList)))]
#[get("/me/bookmarks")]
async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let saved = state
        .store
        .reading(move |store| bookmarks::list(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[utoipa::path(operation_id = "save_post", tag = "bookmarks", params(("post_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Saved (again: nothing changes)", body = SavedState),
        (status = 409, description = "`post_not_published`: held, removed or deleted", body = ErrorBody)))]
#[put("/me/bookmarks/{post_id}")]
async fn save(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    set(state, user, &path.into_inner(), true).await
}

#[utoipa::path(operation_id = "forget_saved_post", tag = "bookmarks", params(("post_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "No longer saved (or never was)", body = SavedState)))]
#[delete("/me/bookmarks/{post_id}")]
async fn forget(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    set(state, user, &path.into_inner(), false).await
}

async fn set(
    state: web::Data<AppState>,
    user: CurrentUser,
    raw: &str,
    on: bool,
) -> Result<HttpResponse, Error> {
    let id = PostId::parse(raw).ok_or(Error::NotFound)?;
    let saved = state
        .store
        .blocking(move |store| bookmarks::set(store, &user, id, on))
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

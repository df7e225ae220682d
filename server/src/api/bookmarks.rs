//! Bookmarks: `GET /me/bookmarks`, `PUT`/`DELETE /me/bookmarks/{post_id}` (idempotent).

use actix_web::{web, HttpResponse};

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::PostId;
use crate::error::Error;
use crate::service::bookmarks::{self, SavedList, SavedState};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/bookmarks", web::get().to(list))
        .route("/me/bookmarks/{post_id}", web::put().to(save))
        .route("/me/bookmarks/{post_id}", web::delete().to(forget));
}

#[utoipa::path(get, path = "/api/v1/me/bookmarks", operation_id = "list_bookmarks", tag = "bookmarks", security(("bearer" = [])),
    responses((status = 200, description = "Saved posts the member may still read, newest first", body = SavedList)))]
async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let saved = state
        .store
        .reading(move |store| bookmarks::list(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[utoipa::path(put, path = "/api/v1/me/bookmarks/{post_id}", operation_id = "save_post", tag = "bookmarks", params(("post_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Saved (again: nothing changes)", body = SavedState),
        (status = 409, description = "`post_not_published`: held, removed or deleted", body = ErrorBody)))]
async fn save(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    set(state, user, &path.into_inner(), true).await
}

#[utoipa::path(delete, path = "/api/v1/me/bookmarks/{post_id}", operation_id = "forget_saved_post", tag = "bookmarks", params(("post_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "No longer saved (or never was)", body = SavedState)))]
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

//! Duty of care (issue 19): the crisis-resources panel of a member at risk, and the
//! moderators' wellbeing queue.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::care::{self, MyCare, WellbeingItemView};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/care", web::get().to(my_care))
        .route("/me/care/dismiss", web::post().to(dismiss))
        .route("/mod/wellbeing", web::get().to(wellbeing))
        .route(
            "/mod/wellbeing/{id}/reached-out",
            web::post().to(reached_out),
        );
}

#[utoipa::path(get, path = "/api/v1/me/care", tag = "care", security(("bearer" = [])),
    responses((status = 200, description = "The crisis-resources panel while it is shown: after a post that suggests the member may be at risk, until dismissed, at most once a day", body = MyCare)))]
async fn my_care(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let app = state.clone();
    let answer = state
        .store
        .reading(move |store| care::my_care(store, &user, &app.care()))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[utoipa::path(post, path = "/api/v1/me/care/dismiss", tag = "care", security(("bearer" = [])),
    responses((status = 204, description = "Panel dismissed; it may come back after a day")))]
async fn dismiss(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    state
        .store
        .blocking(move |store| care::dismiss(store, &user))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct WellbeingQuery {
    /// Only this community's items (a slug).
    community: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/mod/wellbeing", tag = "care", params(WellbeingQuery), security(("bearer" = [])),
    responses((status = 200, description = "Wellbeing items: not yet reached out about first, urgent (`high`) first, newest first", body = Vec<WellbeingItemView>),
        (status = 403, body = ErrorBody),
        (status = 404, description = "`community` names no community this moderator may see", body = ErrorBody)))]
async fn wellbeing(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<WellbeingQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let items = state
        .store
        .reading(move |store| care::queue(store, &user, query.community.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

#[utoipa::path(post, path = "/api/v1/mod/wellbeing/{id}/reached-out", tag = "care", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Recorded: this moderator reached out to the author, now", body = WellbeingItemView),
        (status = 404, body = ErrorBody)))]
async fn reached_out(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let id: i64 = path.into_inner().parse().map_err(|_| Error::NotFound)?;
    let item = state
        .store
        .blocking(move |store| care::reached_out(store, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

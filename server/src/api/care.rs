//! Duty of care (issue 19): the crisis-resources panel of a member at risk, and the
//! moderators' wellbeing queue.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::care::{self, MyCare, WellbeingItemView};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(my_care)
        .service(dismiss)
        .service(wellbeing)
        .service(reached_out);
}

#[utoipa::path(tag = "care", security(("bearer" = [])),
    responses((status = 200, description = "The crisis-resources panel while it is shown: after a post that suggests the member may be at risk, until dismissed, at most once a day", body = MyCare)))]
#[get("/me/care")]
async fn my_care(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let app = state.clone();
    let answer = state
        .store
        .reading(move |store| care::my_care(store, &user, &app.care()))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[utoipa::path(tag = "care", security(("bearer" = [])),
    responses((status = 204, description = "Panel dismissed; it may come back after a day")))]
#[post("/me/care/dismiss")]
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

#[utoipa::path(tag = "care", params(WellbeingQuery), security(("bearer" = [])),
    responses((status = 200, description = "Wellbeing items: not yet reached out about first, urgent (`high`) first, newest first", body = Vec<WellbeingItemView>),
        (status = 403, body = ErrorBody),
        (status = 404, description = "`community` names no community this moderator may see", body = ErrorBody)))]
#[get("/mod/wellbeing")]
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

#[utoipa::path(tag = "care", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Recorded: this moderator reached out to the author, now", body = WellbeingItemView),
        (status = 404, body = ErrorBody)))]
#[post("/mod/wellbeing/{id}/reached-out")]
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

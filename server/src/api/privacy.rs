//! `/me/consents`, `/me/export` and `DELETE /me`: a member's control over their data.

use actix_web::{delete, get, patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::auth::cookies;
use crate::domain::current_user::CurrentUser;
use crate::domain::user::{ErasePosts, ProfileAudience};
use crate::error::Error;
use crate::service::privacy::{self, ConsentPatch, ConsentsView, Export};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(consents)
        .service(update_consents)
        .service(export)
        .service(erase);
}

#[utoipa::path(tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = ConsentsView)))]
#[get("/me/consents")]
async fn consents(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let view = state
        .store
        .reading(move |store| privacy::consents(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ConsentRequest {
    #[schema(value_type = Option<ProfileAudience>)]
    profile_audience: Option<String>,
    discoverable: Option<bool>,
    insights_opt_in: Option<bool>,
}

#[utoipa::path(tag = "privacy", security(("bearer" = [])), request_body = ConsentRequest,
    responses((status = 200, description = "Applies from now; recorded in the history", body = ConsentsView)))]
#[patch("/me/consents")]
async fn update_consents(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ConsentRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let patch = ConsentPatch {
        profile_audience: body
            .profile_audience
            .as_deref()
            .map(ProfileAudience::parse)
            .transpose()?,
        discoverable: body.discoverable,
        insights_opt_in: body.insights_opt_in,
    };
    let view = state
        .store
        .blocking(move |store| privacy::update_consents(store, &user, patch))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(operation_id = "export_my_data", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, description = "Everything Kindred holds about the member", body = Export),
        (status = 429, description = "`rate_limited`: exports are limited per member", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[get("/me/export")]
async fn export(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    tracing::info!(user_id = %user.id, "data export requested");
    let user_id = user.id.0;
    let app = state.clone();
    let document = state
        .store
        .blocking(move |store| privacy::export_limited(store, &app.exports, user_id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"kindred-export.json\"",
        ))
        .json(document))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct EraseRequest {
    /// The account's password, asked again.
    #[schema(max_length = 256)]
    password: String,
    /// `delete` the posts, or keep them as "a former member"'s (`anonymize`).
    #[schema(value_type = ErasePosts)]
    posts: String,
}

#[utoipa::path(tag = "privacy", security(("bearer" = [])), request_body = EraseRequest,
    responses((status = 204, description = "Erased; cookies cleared"), (status = 401, description = "No credentials, or the wrong password", body = ErrorBody)))]
#[delete("/me")]
async fn erase(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<EraseRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let choice = ErasePosts::parse(&body.posts)?;
    let user_id = user.id;
    state
        .store
        .blocking(move |store| privacy::erase_self(store, &user, &body.password, choice))
        .await?;
    tracing::info!(user_id = %user_id, "account erased at the member's request");
    let mut response = HttpResponse::NoContent();
    for cookie in cookies::cleared_cookies(state.settings.secure_cookies()) {
        response.cookie(cookie);
    }
    Ok(response.finish())
}

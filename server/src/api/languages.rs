//! `GET|PUT /api/v1/me/language`: the language a member reads Kindred in (issue 21).

use actix_web::{get, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::languages::{self, MyLanguage};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(my_language).service(set_my_language);
}

#[utoipa::path(tag = "account", security(("bearer" = [])),
    responses((status = 200, description = "The member's interface language (`null`: their browser's, else the site's default) and the choices", body = MyLanguage)))]
#[get("/me/language")]
async fn my_language(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let default = state.settings.default_language;
    let answer = state
        .store
        .reading(move |store| languages::get(store, &user, default))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// The member's language; `null` goes back to their browser's.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LanguageRequest {
    /// A code of the choices (`es`), or `null`.
    #[schema(max_length = 35)]
    language: Option<String>,
}

#[utoipa::path(tag = "account", security(("bearer" = [])), request_body = LanguageRequest,
    responses((status = 200, description = "Saved", body = MyLanguage), (status = 400, description = "`invalid_language`: not one of the choices", body = ErrorBody)))]
#[put("/me/language")]
async fn set_my_language(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<LanguageRequest>,
) -> Result<HttpResponse, Error> {
    let language = body
        .into_inner()
        .language
        .as_deref()
        .map(languages::parse)
        .transpose()?;
    let default = state.settings.default_language;
    let answer = state
        .store
        .blocking(move |store| languages::set(store, &user, language, default))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

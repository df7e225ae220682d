//! `GET|PUT /api/v1/me/country`: the country whose crisis lines the member sees (issue 19).

use actix_web::{get, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::countries::{self, CareCountry, MyCountry};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get).service(set);
}

#[utoipa::path(tag = "care", security(("bearer" = [])),
    responses((status = 200, description = "The member's country for crisis lines (`null`: the site's default) and the countries to choose from", body = MyCountry)))]
#[get("/me/country")]
async fn get(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let app = state.clone();
    let answer = state
        .store
        .reading(move |store| countries::get(store, &user, &app.settings.care_country))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// The member's country; `null` goes back to the site's default.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CountryRequest {
    /// A code of the choices (`GB`), or `null`.
    #[schema(pattern = "^[A-Za-z]{2}$")]
    country: Option<String>,
}

#[utoipa::path(tag = "care", security(("bearer" = [])), request_body = CountryRequest,
    responses((status = 200, description = "Saved", body = MyCountry), (status = 400, description = "`invalid_country`: not one of the choices", body = ErrorBody)))]
#[put("/me/country")]
async fn set(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CountryRequest>,
) -> Result<HttpResponse, Error> {
    let country = body
        .into_inner()
        .country
        .as_deref()
        .map(CareCountry::parse)
        .transpose()?;
    let app = state.clone();
    let answer = state
        .store
        .blocking(move |store| countries::set(store, &user, country, &app.settings.care_country))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

//! `/me/mail-preferences`: which notification mail a member gets, and when.

use actix_web::{get, patch, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::mail_preferences::{self, MailPreferences, MailPreferencesPatch};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get).service(update);
}

#[utoipa::path(operation_id = "get_mail_preferences", tag = "account", security(("bearer" = [])),
    responses((status = 200, description = "Per kind of notification: `immediately`, `daily`, `weekly` or `never`; whether mail may quote posts; the digest hour", body = MailPreferences)))]
#[get("/me/mail-preferences")]
async fn get(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let preferences = state
        .store
        .reading(move |store| mail_preferences::get(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(preferences))
}

#[utoipa::path(operation_id = "update_mail_preferences", tag = "account", security(("bearer" = [])), request_body = MailPreferencesPatch,
    responses((status = 200, description = "The preferences after the change; fields not sent stay as they were", body = MailPreferences),
        (status = 400, description = "`invalid_time_zone` (not an IANA name), `invalid_utc_offset_minutes` (not whole hours in range), `invalid_digest_hour`, or an unknown frequency", body = ErrorBody)))]
#[patch("/me/mail-preferences")]
async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<MailPreferencesPatch>,
) -> Result<HttpResponse, Error> {
    let patch = body.into_inner();
    let preferences = state
        .store
        .blocking(move |store| mail_preferences::update(store, &user, patch))
        .await?;
    Ok(HttpResponse::Ok().json(preferences))
}

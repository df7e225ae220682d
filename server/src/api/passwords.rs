//! `/auth/password-reset`, `/auth/password-reset/confirm` and `/me/password`.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::domain::user::{Email, Password};
use crate::error::Error;
use crate::http::client_address;
use crate::service::passwords::{self, MailContext, RESET_ACCEPTED};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(request_reset)
        .service(confirm_reset)
        .service(change_password);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ResetRequest {
    #[schema(format = Email, max_length = 254)]
    email: String,
}

#[derive(Serialize, ToSchema)]
struct ResetAccepted {
    /// Always the same, whether or not the address belongs to an account.
    message: &'static str,
}

#[utoipa::path(tag = "auth", request_body = ResetRequest,
    responses((status = 202, description = "The same answer whether or not the address belongs to an account; a link valid for 30 minutes is mailed if it does", body = ResetAccepted),
        (status = 429, description = "`rate_limited`: too many requests for this address or from this client", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/auth/password-reset")]
async fn request_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ResetRequest>,
) -> Result<HttpResponse, Error> {
    let email = Email::parse(&body.into_inner().email)?;
    let address = client_address(&req);
    let app = state.clone();
    state
        .store
        .blocking(move |store| {
            let context = MailContext::of(&app.settings);
            passwords::request_reset(store, &app.reset_limits, &context, &email, &address)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(ResetAccepted {
        message: RESET_ACCEPTED,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ResetConfirmRequest {
    /// From the mailed link.
    #[schema(max_length = 128)]
    token: String,
    /// Not one of the common passwords.
    #[schema(min_length = 10, max_length = 256)]
    password: String,
}

#[utoipa::path(tag = "auth", request_body = ResetConfirmRequest,
    responses((status = 204, description = "Password changed; every session of the account is signed out"),
        (status = 400, description = "`invalid_token`: unknown, altered, used or expired link (nothing changed); `invalid_password`", body = ErrorBody)))]
#[post("/auth/password-reset/confirm")]
async fn confirm_reset(
    state: web::Data<AppState>,
    body: web::Json<ResetConfirmRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let password = Password::parse(&body.password)?;
    state
        .store
        .blocking(move |store| passwords::confirm_reset(store, &body.token, &password))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ChangePasswordRequest {
    #[schema(max_length = 256)]
    current_password: String,
    /// Not one of the common passwords.
    #[schema(min_length = 10, max_length = 256)]
    new_password: String,
}

#[utoipa::path(tag = "account", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 204, description = "Password changed; every other session is signed out, this one stays"),
        (status = 400, description = "`invalid_current_password`, `invalid_new_password`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong current passwords", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/me/password")]
async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let new_password =
        Password::parse(&body.new_password).map_err(|e| e.for_field("new_password"))?;
    let app = state.clone();
    state
        .store
        .blocking(move |store| {
            let context = MailContext::of(&app.settings);
            passwords::change_password(
                store,
                &app.password_checks,
                &context,
                &user,
                &body.current_password,
                &new_password,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

//! `/me/email` (change of address), `/me/email/confirmation` (a new link for a member who
//! must confirm their address) and `/auth/email/confirm` (opening the link).

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::domain::user::Email;
use crate::error::Error;
use crate::service::email::{self, EmailChecks};
use crate::service::passwords::MailContext;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(change_email)
        .service(resend_confirmation)
        .service(confirm_email);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ChangeEmailRequest {
    #[schema(format = Email, max_length = 254)]
    new_email: String,
    #[schema(max_length = 256)]
    current_password: String,
}

#[derive(Serialize, ToSchema)]
struct ConfirmationSent {
    message: &'static str,
}

#[utoipa::path(tag = "account", security(("bearer" = [])), request_body = ChangeEmailRequest,
    responses((status = 202, description = "A single-use link, valid 24 hours, is mailed to the new address and a notice to the current one; the address changes when the link is opened", body = ConfirmationSent),
        (status = 400, description = "`invalid_current_password`, `invalid_new_email` (not an address, or already this account's)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong passwords or confirmation mails", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/me/email")]
async fn change_email(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ChangeEmailRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let new_email = Email::parse(&body.new_email).map_err(|e| e.for_field("new_email"))?;
    let app = state.clone();
    state
        .store
        .blocking(move |store| {
            let checks = EmailChecks {
                mails: &app.email_mails,
                passwords: &app.password_checks,
            };
            let context = MailContext::of(&app.settings);
            email::request_change(
                store,
                &checks,
                &context,
                &user,
                &new_email,
                &body.current_password,
            )
        })
        .await?;
    Ok(HttpResponse::Accepted().json(ConfirmationSent {
        message: email::CHANGE_MAILED,
    }))
}

#[utoipa::path(tag = "account", security(("bearer" = [])),
    responses((status = 202, description = "A new confirmation link is mailed to the account's address (members who registered under `KINDRED_REQUIRE_EMAIL_VERIFICATION` and have not confirmed yet)", body = ConfirmationSent),
        (status = 400, description = "`already_confirmed`: the address needs no confirmation", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many confirmation mails", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/me/email/confirmation")]
async fn resend_confirmation(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, Error> {
    let app = state.clone();
    state
        .store
        .blocking(move |store| {
            let context = MailContext::of(&app.settings);
            email::resend_confirmation(store, &app.email_mails, &context, &user)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(ConfirmationSent {
        message: email::LINK_RESENT,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ConfirmEmailRequest {
    /// From the mailed link.
    #[schema(max_length = 128)]
    token: String,
}

#[utoipa::path(tag = "auth", request_body = ConfirmEmailRequest,
    responses((status = 204, description = "The address the link was mailed to is now the account's, and confirmed; reset links mailed to an earlier address stop working"),
        (status = 400, description = "`invalid_token`: unknown, altered, used, replaced or expired link (nothing changed)", body = ErrorBody)))]
#[post("/auth/email/confirm")]
async fn confirm_email(
    state: web::Data<AppState>,
    body: web::Json<ConfirmEmailRequest>,
) -> Result<HttpResponse, Error> {
    let token = body.into_inner().token;
    state
        .store
        .blocking(move |store| email::confirm(store, &token))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

//! `/me/email` (see and change one's address, ask for a new confirmation link) and
//! `/email/confirm` (open a mailed link), over `service::email`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::email_settings::{self as pages, AddressState};
use kindred_web::FormState;
use serde::Deserialize;

use super::{form_problem, query, Ctx, PageResult};
use crate::domain::current_user::CurrentUser;
use crate::domain::user::Email;
use crate::error::Error;
use crate::service::email::{self, EmailChecks};
use crate::service::passwords::{MailContext, INVALID_TOKEN};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/email", web::get().to(settings_form))
        .route("/me/email", web::post().to(change))
        .route("/me/email/confirmation", web::post().to(resend))
        .route("/email/confirm", web::get().to(confirm_form))
        .route("/email/confirm", web::post().to(confirm));
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn settings_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: NoticeQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("mailed") => Some(email::CHANGE_MAILED),
        Some("resent") => Some(email::LINK_RESENT),
        _ => None,
    };
    settings_page(ctx, &state, user, FormState::new(), StatusCode::OK, notice).await
}

async fn settings_page(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    form: FormState,
    status: StatusCode,
    notice: Option<&str>,
) -> PageResult {
    let (current, unconfirmed) = state
        .store
        .reading(move |store| email::address(store, &user))
        .await?;
    let chrome = ctx.chrome();
    let view = AddressState {
        current: current.as_deref(),
        unconfirmed,
        notice,
    };
    Ok(ctx.html_status(status, pages::email_settings(&chrome, &form, &view)))
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    csrf_token: String,
    new_email: String,
    current_password: String,
}

async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ChangeForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let app = state.clone();
    let asker = user.clone();
    let typed = form.new_email.clone();
    let result = state
        .store
        .blocking(move |store| {
            let new_email = Email::parse(&form.new_email).map_err(|e| e.for_field("new_email"))?;
            let checks = EmailChecks {
                mails: &app.email_mails,
                passwords: &app.password_checks,
            };
            let context = MailContext::of(&app.settings);
            email::request_change(
                store,
                &checks,
                &context,
                &asker,
                &new_email,
                &form.current_password,
            )
        })
        .await;
    match result {
        Ok(()) => Ok(ctx.redirect("/me/email?notice=mailed")),
        Err(error) => {
            let mut kept = FormState::new().with_value("new_email", typed);
            form_problem(ctx.lang, error, &mut kept)?;
            settings_page(ctx, &state, user, kept, StatusCode::BAD_REQUEST, None).await
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let app = state.clone();
    let asker = user.clone();
    let result = state
        .store
        .blocking(move |store| {
            let context = MailContext::of(&app.settings);
            email::resend_confirmation(store, &app.email_mails, &context, &asker)
        })
        .await;
    match result {
        Ok(()) => Ok(ctx.redirect("/me/email?notice=resent")),
        Err(error) => {
            let mut kept = FormState::new();
            form_problem(ctx.lang, error, &mut kept)?;
            settings_page(ctx, &state, user, kept, StatusCode::BAD_REQUEST, None).await
        }
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn confirm_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: TokenQuery = query(&req)?;
    let token = q.token.clone();
    let ok = state
        .store
        .reading(move |store| email::token_valid(store, &token))
        .await?;
    let chrome = ctx.chrome();
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(ctx.html_status(status, pages::confirm_email(&chrome, &q.token, ok, false)))
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    token: String,
}

async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ConfirmForm>,
) -> PageResult {
    let form = form.into_inner();
    let ctx = Ctx::for_form(&req, &state, &form.csrf_token).await?;
    let token = form.token.clone();
    let result = state
        .store
        .blocking(move |store| email::confirm(store, &token))
        .await;
    let chrome = ctx.chrome();
    match result {
        Ok(()) => Ok(ctx.html(pages::confirm_email(&chrome, "", false, true))),
        Err(Error::BadRequest {
            code: INVALID_TOKEN,
            ..
        }) => Ok(ctx.html_status(
            StatusCode::BAD_REQUEST,
            pages::confirm_email(&chrome, "", false, false),
        )),
        Err(other) => Err(other.into()),
    }
}

//! The account's settings pages beyond the profile: `/forgot`, `/reset` and
//! `/me/password` (`service::passwords`), and `/me/privacy` with the consents, the export
//! and erasure (`service::privacy`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::{account as pages, FormState};
use serde::Deserialize;

use super::{form_problem, query, Ctx, PageResult};
use crate::auth::cookies;
use crate::domain::current_user::CurrentUser;
use crate::domain::user::{Email, ErasePosts, Password, ProfileAudience};
use crate::error::Error;
use crate::http::client_address;
use crate::service::accounts;
use crate::service::passwords::{self, MailContext};
use crate::service::privacy::{self, ConsentPatch};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/forgot", web::get().to(forgot_form))
        .route("/forgot", web::post().to(forgot))
        .route("/reset", web::get().to(reset_form))
        .route("/reset", web::post().to(reset))
        .route("/me/password", web::get().to(password_form))
        .route("/me/password", web::post().to(change_password))
        .route("/me/privacy", web::get().to(privacy_form))
        .route("/me/privacy", web::post().to(save_privacy))
        .route("/me/export", web::post().to(export))
        .route("/me/erase", web::post().to(erase));
}

async fn forgot_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::forgot(&chrome, &FormState::new(), None)))
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    csrf_token: String,
    email: String,
}

async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> PageResult {
    let form = form.into_inner();
    let ctx = Ctx::for_form(&req, &state, &form.csrf_token).await?;
    let address = client_address(&req);
    let app = state.clone();
    let raw = form.email.clone();
    let result = state
        .store
        .blocking(move |store| {
            let email = Email::parse(&raw)?;
            let context = MailContext::of(&app.settings);
            passwords::request_reset(store, &app.reset_limits, &context, &email, &address)
        })
        .await;
    let chrome = ctx.chrome();
    match result {
        Ok(()) => Ok(ctx.html(pages::forgot(
            &chrome,
            &FormState::new(),
            Some(passwords::RESET_ACCEPTED),
        ))),
        Err(error) => {
            let mut kept = FormState::new().with_value("email", form.email);
            form_problem(ctx.lang, error, &mut kept)?;
            Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::forgot(&chrome, &kept, None)))
        }
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn reset_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: TokenQuery = query(&req)?;
    let token = q.token.clone();
    let ok = state
        .store
        .reading(move |store| passwords::reset_token_valid(store, &token))
        .await?;
    let form = FormState::new().with_value("token", q.token);
    let chrome = ctx.chrome();
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(ctx.html_status(status, pages::reset(&chrome, &form, ok)))
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    token: String,
    password: String,
}

async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ResetForm>,
) -> PageResult {
    let form = form.into_inner();
    let mut ctx = Ctx::for_form(&req, &state, &form.csrf_token).await?;
    let mut kept = FormState::new().with_value("token", form.token.clone());
    let password = match Password::parse(&form.password) {
        Ok(password) => password,
        Err(error) => {
            form_problem(ctx.lang, error, &mut kept)?;
            let chrome = ctx.chrome();
            return Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::reset(&chrome, &kept, true)));
        }
    };
    let app = state.clone();
    let token = form.token.clone();
    let typed = form.password.clone();
    let result = state
        .store
        .blocking(move |store| {
            let username = passwords::confirm_reset(store, &token, &password)?;
            accounts::login(store, &app.tokens, &username, &typed)
        })
        .await;
    match result {
        Ok(session) => {
            ctx.add_cookies(cookies::session_cookies(
                &session.access_token,
                &session.refresh_token,
                &session.csrf_token,
                state.settings.secure_cookies(),
            ));
            Ok(ctx.redirect("/"))
        }
        Err(Error::BadRequest {
            code: passwords::INVALID_TOKEN,
            ..
        }) => {
            let chrome = ctx.chrome();
            Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::reset(&chrome, &kept, false)))
        }
        Err(other) => {
            form_problem(ctx.lang, other, &mut kept)?;
            let chrome = ctx.chrome();
            Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::reset(&chrome, &kept, true)))
        }
    }
}

#[derive(Deserialize)]
struct SavedQuery {
    notice: Option<String>,
}

async fn password_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    ctx.require_user()?;
    let q: SavedQuery = query(&req)?;
    let chrome = ctx.chrome();
    let saved = q.notice.as_deref() == Some("saved");
    Ok(ctx.html(pages::change_password(&chrome, &FormState::new(), saved)))
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf_token: String,
    current_password: String,
    new_password: String,
}

async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let app = state.clone();
    let result = state
        .store
        .blocking(move |store| {
            let new_password =
                Password::parse(&form.new_password).map_err(|e| e.for_field("new_password"))?;
            let context = MailContext::of(&app.settings);
            passwords::change_password(
                store,
                &app.password_checks,
                &context,
                &user,
                &form.current_password,
                &new_password,
            )
        })
        .await;
    match result {
        Ok(()) => Ok(ctx.redirect("/me/password?notice=saved")),
        Err(error) => {
            let mut kept = FormState::new();
            form_problem(ctx.lang, error, &mut kept)?;
            let chrome = ctx.chrome();
            Ok(ctx.html_status(
                StatusCode::BAD_REQUEST,
                pages::change_password(&chrome, &kept, false),
            ))
        }
    }
}

async fn privacy_page(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    mut form: FormState,
    status: StatusCode,
    saved: bool,
) -> PageResult {
    let view = state
        .store
        .reading(move |store| privacy::consents(store, &user))
        .await?;
    if form.value("profile_audience").is_empty() {
        form.set_value("profile_audience", view.profile_audience.clone());
        if view.discoverable {
            form.set_value("discoverable", "on");
        }
        if view.insights_opt_in {
            form.set_value("insights_opt_in", "on");
        }
    }
    let history: Vec<(String, String, String)> = view
        .history
        .into_iter()
        .map(|r| (r.consent, r.value, r.at))
        .collect();
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::privacy(&chrome, &form, saved, &history)))
}

async fn privacy_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: SavedQuery = query(&req)?;
    let saved = q.notice.as_deref() == Some("saved");
    privacy_page(ctx, &state, user, FormState::new(), StatusCode::OK, saved).await
}

#[derive(Deserialize)]
struct PrivacyForm {
    #[serde(default)]
    csrf_token: String,
    profile_audience: String,
    discoverable: Option<String>,
    insights_opt_in: Option<String>,
}

async fn save_privacy(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<PrivacyForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let audience = match ProfileAudience::parse(&form.profile_audience) {
        Ok(audience) => audience,
        Err(error) => {
            let mut kept = FormState::new();
            form_problem(ctx.lang, error, &mut kept)?;
            return privacy_page(ctx, &state, user, kept, StatusCode::BAD_REQUEST, false).await;
        }
    };
    let patch = ConsentPatch {
        profile_audience: Some(audience),
        discoverable: Some(form.discoverable.as_deref() == Some("on")),
        insights_opt_in: Some(form.insights_opt_in.as_deref() == Some("on")),
    };
    state
        .store
        .blocking(move |store| privacy::update_consents(store, &user, patch))
        .await?;
    Ok(ctx.redirect("/me/privacy?notice=saved"))
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

/// The export as a download: a form POST (with its CSRF token), so no other site can
/// spend the member's exports.
async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    let (_ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let user_id = user.id.0;
    let app = state.clone();
    let document = state
        .store
        .blocking(move |store| privacy::export_limited(store, &app.exports, user_id))
        .await?;
    Ok(actix_web::HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"kindred-export.json\"",
        ))
        .json(document))
}

#[derive(Deserialize)]
struct EraseForm {
    #[serde(default)]
    csrf_token: String,
    password: String,
    posts: String,
}

async fn erase(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<EraseForm>,
) -> PageResult {
    let form = form.into_inner();
    let (mut ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let choice = ErasePosts::parse(&form.posts);
    let who = user.clone();
    let result = match choice {
        Ok(choice) => {
            state
                .store
                .blocking(move |store| privacy::erase_self(store, &who, &form.password, choice))
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => {
            tracing::info!(user_id = %user.id, "account erased at the member's request");
            ctx.add_cookies(cookies::cleared_cookies(state.settings.secure_cookies()));
            Ok(ctx.redirect("/"))
        }
        Err(Error::InvalidCredentials) => {
            let mut kept = FormState::new();
            kept.fail("password", ctx.lang.t("form-not-your-password"));
            privacy_page(ctx, &state, user, kept, StatusCode::BAD_REQUEST, false).await
        }
        Err(error) => {
            let mut kept = FormState::new();
            form_problem(ctx.lang, error, &mut kept)?;
            privacy_page(ctx, &state, user, kept, StatusCode::BAD_REQUEST, false).await
        }
    }
}

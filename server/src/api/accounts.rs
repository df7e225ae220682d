//! `/auth/*`, `/me` and `/users/{username}`.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::auth;
use crate::auth::cookies::{self, CookieName};
use crate::auth::extract::check_csrf;
use crate::auth::tokens::ACCESS_TOKEN_SECONDS;
use crate::auth::Viewer;
use crate::domain::current_user::CurrentUser;
use crate::domain::user::{
    Bio, ConditionTags, DisplayName, Email, Password, ProfileRole, SiteRole, Username,
};
use crate::error::Error;
use crate::http::client_address;
use crate::service::accounts::{self, IssuedSession, ProfilePatch, Registration};
use crate::service::passwords::MailContext;
use crate::service::views::{OwnAccount, PublicProfile};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(me)
        .service(update_profile)
        .service(public_profile);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RegisterRequest {
    /// Letters, digits and underscores; compared case-insensitively, stored lower-cased.
    #[schema(min_length = 3, max_length = 32, pattern = "^[A-Za-z0-9_]+$")]
    username: String,
    /// Not one of the common passwords.
    #[schema(min_length = 10, max_length = 256)]
    password: String,
    #[schema(format = Email, max_length = 254)]
    email: Option<String>,
    #[schema(min_length = 1, max_length = 64, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    display_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LoginRequest {
    #[schema(max_length = 32)]
    username: String,
    #[schema(max_length = 256)]
    password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RefreshRequest {
    /// Omitted by browsers, which send the refresh cookie instead.
    refresh_token: Option<String>,
}

/// A signed-in session: the account, and the tokens for API clients.
#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    user: OwnAccount,
    access_token: String,
    refresh_token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    /// Seconds until the access token expires.
    expires_in: i64,
}

/// Answers a sign-in with the tokens in the body (API clients) and in cookies (browsers).
fn session_response(
    mut response: actix_web::HttpResponseBuilder,
    session: IssuedSession,
    secure: bool,
) -> HttpResponse {
    for cookie in cookies::session_cookies(
        &session.access_token,
        &session.refresh_token,
        &session.csrf_token,
        secure,
    ) {
        response.cookie(cookie);
    }
    response.json(SessionResponse {
        user: session.account,
        access_token: session.access_token,
        refresh_token: session.refresh_token,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
    })
}

#[utoipa::path(tag = "auth", request_body = RegisterRequest,
    responses((status = 201, description = "Account created and signed in", body = SessionResponse),
        (status = 409, description = "Username taken, or one that looks like it (`rnaria` for `maria`)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many accounts from this address", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/auth/register")]
async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let input = Registration {
        username: Username::parse(&body.username)?,
        password: Password::parse(&body.password)?,
        email: body.email.as_deref().map(Email::parse).transpose()?,
        display_name: body
            .display_name
            .as_deref()
            .map(DisplayName::parse)
            .transpose()?,
        site_role: SiteRole::Member,
    };
    let app = state.clone();
    let address = client_address(&req);
    let session = state
        .store
        .blocking(move |store| {
            let context = MailContext::of(&app.settings);
            accounts::register(
                store,
                &app.tokens,
                &app.abuse.registrations_by_address,
                &address,
                input,
                app.settings
                    .mail
                    .require_email_verification
                    .then_some(&context),
            )
        })
        .await?;
    Ok(session_response(
        HttpResponse::Created(),
        session,
        state.settings.secure_cookies(),
    ))
}

#[utoipa::path(tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "Signed in; also sets HttpOnly cookies", body = SessionResponse),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 403, description = "`memorialised`: the account is kept in memory of the member and cannot be signed in to", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed sign-ins", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let session = auth::sign_in(&state, body.username, body.password, client_address(&req)).await?;
    Ok(session_response(
        HttpResponse::Ok(),
        session,
        state.settings.secure_cookies(),
    ))
}

#[utoipa::path(tag = "auth", request_body = RefreshRequest,
    responses((status = 200, description = "A new token pair; the old refresh token is spent", body = SessionResponse),
        (status = 401, description = "Invalid, expired or reused (the session is revoked)", body = ErrorBody),
        (status = 403, description = "`csrf_failed`: the refresh cookie was sent without the X-CSRF-Token header", body = ErrorBody)))]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, Error> {
    let secure = state.settings.secure_cookies();
    let token = if let Some(token) = body.into_inner().refresh_token {
        token
    } else {
        check_csrf(&req, secure)?;
        cookies::read(&req, CookieName::Refresh, secure)
            .filter(|t| !t.is_empty())
            .ok_or(Error::InvalidToken("es3-token-refresh-missing"))?
    };
    let app = state.clone();
    let session = state
        .store
        .blocking(move |store| accounts::refresh(store, &app.tokens, &token))
        .await?;
    Ok(session_response(HttpResponse::Ok(), session, secure))
}

#[utoipa::path(tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Session revoked, cookies cleared")))]
#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    state
        .store
        .blocking(move |store| accounts::logout(store, &user))
        .await?;
    let mut response = HttpResponse::NoContent();
    for cookie in cookies::cleared_cookies(state.settings.secure_cookies()) {
        response.cookie(cookie);
    }
    Ok(response.finish())
}

#[utoipa::path(tag = "account", security(("bearer" = [])),
    responses((status = 200, body = OwnAccount)))]
#[get("/me")]
async fn me(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let account = state
        .store
        .reading(move |store| accounts::me(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(account))
}

/// Distinguishes "absent" (`None`) from "null" (`Some(None)`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ProfileRequest {
    #[schema(min_length = 1, max_length = 64, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    display_name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<ProfileRole>)]
    role: Option<Option<String>>,
    /// At most 20 tags of 1–48 letters, digits and hyphens (compared lower-cased).
    #[schema(max_items = 20)]
    conditions: Option<Vec<String>>,
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    bio: Option<String>,
    show_role: Option<bool>,
    show_conditions: Option<bool>,
    show_bio: Option<bool>,
}

#[utoipa::path(tag = "account", security(("bearer" = [])), request_body = ProfileRequest,
    responses((status = 200, body = OwnAccount)))]
#[patch("/me/profile")]
async fn update_profile(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ProfileRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let patch = ProfilePatch {
        display_name: body
            .display_name
            .as_deref()
            .map(DisplayName::parse)
            .transpose()?,
        role: body
            .role
            .map(|role| role.as_deref().map(ProfileRole::parse).transpose())
            .transpose()?,
        conditions: body
            .conditions
            .as_deref()
            .map(ConditionTags::parse)
            .transpose()?,
        bio: body.bio.as_deref().map(Bio::parse).transpose()?,
        show_role: body.show_role,
        show_conditions: body.show_conditions,
        show_bio: body.show_bio,
    };
    let account = state
        .store
        .blocking(move |store| accounts::update_profile(store, &user, patch))
        .await?;
    Ok(HttpResponse::Ok().json(account))
}

#[utoipa::path(tag = "account",
    params(("username" = String, Path)), security((), ("bearer" = [])),
    responses((status = 200, description = "Only the fields the member shares", body = PublicProfile), (status = 404, body = ErrorBody)))]
#[get("/users/{username}")]
async fn public_profile(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let username = path.into_inner();
    let profile = state
        .store
        .reading(move |store| accounts::public_profile(store, viewer.user(), &username))
        .await?;
    Ok(HttpResponse::Ok().json(profile))
}

//! Registration, sign-in, sign-out and the member's own profile settings.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_web::i18n::Lang;
use kindred_web::model::Settings;
use kindred_web::{pages, FormState};
use serde::Deserialize;

use super::{form_problem, local_path, query, Ctx, PageResult};
use crate::auth::{self, cookies};
use crate::domain::current_user::CurrentUser;
use crate::domain::user::{
    Bio, ConditionTags, DisplayName, Email, Password, ProfileRole, SiteRole, Username,
};
use crate::error::Error;
use crate::http::client_address;
use crate::service::accounts::{self, IssuedSession, ProfilePatch, Registration};
use crate::service::passwords::MailContext;
use crate::service::views::OwnAccount;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/register", web::get().to(register_form))
        .route("/register", web::post().to(register))
        .route("/logout", web::post().to(logout))
        .route("/me", web::get().to(settings_form))
        .route("/me", web::post().to(save_settings));
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: NextQuery = query(&req)?;
    let form = FormState::new().with_value("next", local_path(q.next.as_deref().unwrap_or("/")));
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::login(&chrome, &form)))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf_token: String,
    username: String,
    password: String,
    next: Option<String>,
}

fn signed_in(mut ctx: Ctx, state: &AppState, session: IssuedSession, next: &str) -> HttpResponse {
    ctx.add_cookies(cookies::session_cookies(
        &session.access_token,
        &session.refresh_token,
        &session.csrf_token,
        state.settings.secure_cookies(),
    ));
    ctx.redirect(&local_path(next))
}

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> PageResult {
    let form = form.into_inner();
    let ctx = Ctx::for_form(&req, &state, &form.csrf_token).await?;
    let next = form.next.clone().unwrap_or_else(|| "/".into());
    let result = auth::sign_in(
        &state,
        form.username.clone(),
        form.password,
        client_address(&req),
    )
    .await;
    match result {
        Ok(session) => Ok(signed_in(ctx, &state, session, &next)),
        Err(error) => {
            let mut kept = FormState::new()
                .with_value("username", form.username)
                .with_value("next", local_path(&next));
            form_problem(ctx.lang, error, &mut kept)?;
            let chrome = ctx.chrome();
            Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::login(&chrome, &kept)))
        }
    }
}

async fn register_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::register(&chrome, &FormState::new())))
}

#[derive(Deserialize)]
struct RegisterForm {
    #[serde(default)]
    csrf_token: String,
    username: String,
    password: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
}

/// Parses every field, collecting each problem next to its field.
fn registration(lang: Lang, form: &RegisterForm, kept: &mut FormState) -> Option<Registration> {
    let mut fail = |error: Error| {
        if let Error::Invalid { field, message } = error {
            kept.fail(field, super::field_problem(lang, field, &message));
        }
    };
    let username = Username::parse(form.username.trim())
        .map_err(&mut fail)
        .ok();
    let password = Password::parse(&form.password).map_err(&mut fail).ok();
    let display_name = match form.display_name.trim() {
        "" => Some(None),
        name => DisplayName::parse(name).map(Some).map_err(&mut fail).ok(),
    };
    let email = match form.email.trim() {
        "" => Some(None),
        email => Email::parse(email).map(Some).map_err(&mut fail).ok(),
    };
    Some(Registration {
        username: username?,
        password: password?,
        email: email?,
        display_name: display_name?,
        site_role: SiteRole::Member,
    })
}

async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<RegisterForm>,
) -> PageResult {
    let form = form.into_inner();
    let ctx = Ctx::for_form(&req, &state, &form.csrf_token).await?;
    let mut kept = FormState::new()
        .with_value("username", form.username.clone())
        .with_value("display_name", form.display_name.clone())
        .with_value("email", form.email.clone());
    if let Some(input) = registration(ctx.lang, &form, &mut kept) {
        let app = state.clone();
        let address = client_address(&req);
        let confirming = state.settings.mail.require_email_verification;
        let registered = state.store.blocking(move |store| {
            let context = MailContext::of(&app.settings);
            accounts::register(
                store,
                &app.tokens,
                &app.abuse.registrations_by_address,
                &address,
                input,
                confirming.then_some(&context),
            )
        });
        match registered.await {
            // A member who must confirm their address is shown where to do it first.
            Ok(session) if confirming => return Ok(signed_in(ctx, &state, session, "/me/email")),
            Ok(session) => return Ok(signed_in(ctx, &state, session, "/start")),
            Err(Error::Conflict(_)) => {
                kept.fail("username", ctx.lang.t("form-username-taken"));
            }
            Err(error) => form_problem(ctx.lang, error, &mut kept)?,
        }
    }
    let chrome = ctx.chrome();
    Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::register(&chrome, &kept)))
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<TokenForm>,
) -> PageResult {
    let mut ctx = Ctx::for_form(&req, &state, &form.csrf_token).await?;
    if let Some(user) = ctx.user.clone() {
        state
            .store
            .blocking(move |store| accounts::logout(store, &user))
            .await?;
    }
    ctx.add_cookies(cookies::cleared_cookies(state.settings.secure_cookies()));
    Ok(ctx.redirect("/"))
}

fn settings_view(account: &OwnAccount, form: FormState, saved: bool) -> Settings {
    Settings {
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        email: account.email.clone(),
        site_role: account.site_role.clone(),
        joined: account.created_at.clone(),
        memberships: account
            .memberships
            .iter()
            .map(|m| {
                (
                    m.community.clone(),
                    m.role.as_str().to_owned(),
                    m.state.as_str().to_owned(),
                )
            })
            .collect(),
        form,
        saved,
    }
}

fn account_form(account: &OwnAccount) -> FormState {
    let on = |shown: bool| if shown { "on" } else { "" };
    let visible = &account.profile.visible_to_others;
    FormState::new()
        .with_value("display_name", account.display_name.clone())
        .with_value("role", account.profile.role.clone().unwrap_or_default())
        .with_value("conditions", account.profile.conditions.join(", "))
        .with_value("bio", account.profile.bio.clone())
        .with_value("show_role", on(visible.role))
        .with_value("show_conditions", on(visible.conditions))
        .with_value("show_bio", on(visible.bio))
}

async fn load_account(
    state: &web::Data<AppState>,
    user: &CurrentUser,
) -> Result<OwnAccount, Error> {
    let user = user.clone();
    state
        .store
        .reading(move |store| accounts::me(store, &user))
        .await
}

#[derive(Deserialize)]
struct SavedQuery {
    notice: Option<String>,
}

async fn settings_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: SavedQuery = query(&req)?;
    let account = load_account(&state, &user).await?;
    let view = settings_view(
        &account,
        account_form(&account),
        q.notice.as_deref() == Some("saved"),
    );
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::settings(&chrome, &view)))
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    csrf_token: String,
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    conditions: String,
    #[serde(default)]
    bio: String,
    show_role: Option<String>,
    show_conditions: Option<String>,
    show_bio: Option<String>,
}

fn profile_patch(lang: Lang, form: &SettingsForm, kept: &mut FormState) -> Option<ProfilePatch> {
    let mut fail = |error: Error| {
        if let Error::Invalid { field, message } = error {
            kept.fail(field, super::field_problem(lang, field, &message));
        }
    };
    let display_name = DisplayName::parse(&form.display_name)
        .map_err(&mut fail)
        .ok();
    let role = match form.role.as_str() {
        "" => Some(None),
        role => ProfileRole::parse(role).map(Some).map_err(&mut fail).ok(),
    };
    let tags: Vec<String> = form
        .conditions
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let conditions = ConditionTags::parse(&tags).map_err(&mut fail).ok();
    let bio = Bio::parse(&form.bio).map_err(&mut fail).ok();
    Some(ProfilePatch {
        display_name: Some(display_name?),
        role: Some(role?),
        conditions: Some(conditions?),
        bio: Some(bio?),
        show_role: Some(form.show_role.is_some()),
        show_conditions: Some(form.show_conditions.is_some()),
        show_bio: Some(form.show_bio.is_some()),
    })
}

async fn save_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<SettingsForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let on = |v: &Option<String>| if v.is_some() { "on" } else { "" };
    let mut kept = FormState::new()
        .with_value("display_name", form.display_name.clone())
        .with_value("role", form.role.clone())
        .with_value("conditions", form.conditions.clone())
        .with_value("bio", form.bio.clone())
        .with_value("show_role", on(&form.show_role))
        .with_value("show_conditions", on(&form.show_conditions))
        .with_value("show_bio", on(&form.show_bio));
    if let Some(patch) = profile_patch(ctx.lang, &form, &mut kept) {
        let owner = user.clone();
        match state
            .store
            .blocking(move |store| accounts::update_profile(store, &owner, patch))
            .await
        {
            Ok(_) => return Ok(ctx.redirect("/me?notice=saved")),
            Err(error) => form_problem(ctx.lang, error, &mut kept)?,
        }
    }
    let account = load_account(&state, &user).await?;
    let view = settings_view(&account, kept, false);
    let chrome = ctx.chrome();
    Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::settings(&chrome, &view)))
}

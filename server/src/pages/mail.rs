//! `/me/mail` (notification-mail preferences) and `/unsubscribe` (one-click unsubscribe,
//! RFC 8058), both over `service::mail_preferences`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_web::mail_settings as pages;
use kindred_web::FormState;
use serde::Deserialize;

use super::{form_problem, query, Ctx, PageResult};
use crate::error::Error;
use crate::service::mail_preferences::{
    self, describe_target, Frequency, MailPreferences, MailPreferencesPatch,
};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/mail", web::get().to(preferences_form))
        .route("/me/mail", web::post().to(save_preferences))
        .route("/unsubscribe", web::get().to(unsubscribe_form))
        .route("/unsubscribe", web::post().to(unsubscribe));
}

#[derive(Deserialize)]
struct SavedQuery {
    notice: Option<String>,
}

fn form_of(preferences: &MailPreferences) -> FormState {
    let word = |f: Frequency| {
        serde_json::to_value(f)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    FormState::new()
        .with_value("reply_to_thread", word(preferences.reply_to_thread))
        .with_value("reply_to_post", word(preferences.reply_to_post))
        .with_value("mention", word(preferences.mention))
        .with_value("watched_thread", word(preferences.watched_thread))
        .with_value("moderation_outcome", word(preferences.moderation_outcome))
        .with_value("private_message", word(preferences.private_message))
        .with_value(
            "show_content",
            if preferences.show_content { "on" } else { "" },
        )
        .with_value("time_zone", preferences.time_zone.name())
        .with_value("digest_hour", preferences.digest_hour.to_string())
}

async fn preferences_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: SavedQuery = query(&req)?;
    let preferences = state
        .store
        .reading(move |store| mail_preferences::get(store, &user))
        .await?;
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::mail_preferences(
        &chrome,
        &form_of(&preferences),
        q.notice.as_deref() == Some("saved"),
    )))
}

#[derive(Deserialize)]
struct PreferencesForm {
    #[serde(default)]
    csrf_token: String,
    reply_to_thread: String,
    reply_to_post: String,
    mention: String,
    watched_thread: String,
    moderation_outcome: String,
    /// Absent from forms rendered before it existed: the choice stays as it was.
    private_message: Option<String>,
    show_content: Option<String>,
    time_zone: String,
    digest_hour: String,
}

impl PreferencesForm {
    fn patch(&self) -> Result<MailPreferencesPatch, Error> {
        let frequency = |field: &'static str, value: &str| {
            serde_json::from_value::<Frequency>(serde_json::Value::String(value.to_owned()))
                .map_err(|_| Error::invalid(field, "choose one of the offered frequencies"))
        };
        let number = |field: &'static str, value: &str| {
            value
                .trim()
                .parse::<i32>()
                .map_err(|_| Error::invalid(field, "enter a whole number"))
        };
        Ok(MailPreferencesPatch {
            reply_to_thread: Some(frequency("reply_to_thread", &self.reply_to_thread)?),
            reply_to_post: Some(frequency("reply_to_post", &self.reply_to_post)?),
            mention: Some(frequency("mention", &self.mention)?),
            watched_thread: Some(frequency("watched_thread", &self.watched_thread)?),
            moderation_outcome: Some(frequency("moderation_outcome", &self.moderation_outcome)?),
            private_message: self
                .private_message
                .as_deref()
                .map(|value| frequency("private_message", value))
                .transpose()?,
            show_content: Some(self.show_content.as_deref() == Some("on")),
            time_zone: Some(self.time_zone.clone()),
            utc_offset_minutes: None,
            digest_hour: Some(number("digest_hour", &self.digest_hour)?),
        })
    }
}

async fn save_preferences(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<PreferencesForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let kept = || {
        let mut kept = FormState::new();
        for (name, value) in [
            ("reply_to_thread", &form.reply_to_thread),
            ("reply_to_post", &form.reply_to_post),
            ("mention", &form.mention),
            ("watched_thread", &form.watched_thread),
            ("moderation_outcome", &form.moderation_outcome),
            ("time_zone", &form.time_zone),
            ("digest_hour", &form.digest_hour),
        ] {
            kept.set_value(name, value.clone());
        }
        kept.set_value(
            "private_message",
            form.private_message.clone().unwrap_or_default(),
        );
        kept.set_value(
            "show_content",
            form.show_content.clone().unwrap_or_default(),
        );
        kept
    };
    let result = match form.patch() {
        Ok(patch) => {
            state
                .store
                .blocking(move |store| mail_preferences::update(store, &user, patch))
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => Ok(ctx.redirect("/me/mail?notice=saved")),
        Err(error) => {
            let mut kept = kept();
            form_problem(ctx.lang, error, &mut kept)?;
            let chrome = ctx.chrome();
            Ok(ctx.html_status(
                StatusCode::BAD_REQUEST,
                pages::mail_preferences(&chrome, &kept, false),
            ))
        }
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The link in a mail, opened in a browser: asks to confirm, so that a mail scanner that
/// follows links unsubscribes nobody.
async fn unsubscribe_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: TokenQuery = query(&req)?;
    let ok = state.notification_mail.keys.verify(&q.token).is_ok();
    let chrome = ctx.chrome();
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(ctx.html_status(status, pages::unsubscribe(&chrome, &q.token, ok, None)))
}

/// RFC 8058 one-click unsubscribe: a `POST` with `List-Unsubscribe=One-Click`, from the
/// mail client or the confirmation page. The signed token is the only credential: no
/// session and no CSRF token, by the RFC's design (the token names one member and one
/// kind of mail, and can only turn mail off). An altered token is `400 invalid_token`.
async fn unsubscribe(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Error> {
    let q: TokenQuery = web::Query::<TokenQuery>::from_query(req.query_string()).map_or(
        TokenQuery {
            token: String::new(),
        },
        web::Query::into_inner,
    );
    let app = state.clone();
    let target = state
        .store
        .blocking(move |store| {
            mail_preferences::unsubscribe(store, &app.notification_mail.keys, &q.token)
        })
        .await?;
    let chrome = kindred_web::model::Chrome::default();
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(pages::unsubscribe(
            &chrome,
            "",
            true,
            Some(describe_target(target)),
        )))
}

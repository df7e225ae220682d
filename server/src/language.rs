//! Which language a request is answered in (issue 21): a signed-in member's setting (read
//! by the pages, `pages::Ctx`), else the language cookie the footer's switch sets, else
//! `Accept-Language`, else the deployment's `KINDRED_DEFAULT_LANGUAGE`. Errors follow it
//! too (with the member's setting first): [`localise_errors`] rewrites `error.message` of
//! a JSON error from the catalogue words the error left on the response (`Said`), else by
//! its `code`, which stays the same in every language; and renders an HTML error page
//! (`pages::ErrorPage`) again in the reader's language.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};
use kindred_web::i18n::Lang;

use crate::auth::extract::SignedIn;
use crate::domain::ids::UserId;
use crate::error::Said;
use crate::pages::ErrorPage;
use crate::state::AppState;

/// The cookie the footer's language switch sets (readable: it holds no secret).
pub const LANGUAGE_COOKIE: &str = "kindred_lang";

/// A year: the choice is kept like any site preference.
const LANGUAGE_COOKIE_SECONDS: i64 = 365 * 24 * 3600;

/// The largest error body that is translated; bigger ones pass as they are.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The request's language without the member's setting: cookie, `Accept-Language`, default.
pub fn requested(req: &HttpRequest, default: Lang) -> Lang {
    req.cookie(LANGUAGE_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(default)
}

/// The cookie that remembers a visitor's choice.
pub fn cookie(lang: Lang, secure: bool) -> Cookie<'static> {
    Cookie::build(LANGUAGE_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(Duration::seconds(LANGUAGE_COOKIE_SECONDS))
        .finish()
}

/// The message of an API error `code` in `lang`: the code's own, else the field's (for
/// `invalid_<field>`), else the status's.
pub fn error_message(lang: Lang, code: &str, status: u16) -> String {
    let key = format!("error-{}", code.replace('_', "-"));
    if lang.has(&key) {
        return lang.t(&key);
    }
    if let Some(field) = code.strip_prefix("invalid_") {
        return lang.t_args(
            "error-invalid-field",
            &[("field", field.replace('_', " ").into())],
        );
    }
    let by_status = format!("error-status-{status}");
    if lang.has(&by_status) {
        lang.t(&by_status)
    } else if status >= 500 {
        lang.t("error-status-5xx")
    } else {
        lang.t("error-status-4xx")
    }
}

/// The codes whose message the server already writes in the words of the content it is
/// about (a refused post's note is in the post's language, `crate::plain_words`).
const WRITTEN_IN_CONTENT_LANGUAGE: [&str; 1] = ["rejected"];

/// Answers errors in the request's language: a signed-in member's setting (read only
/// when an error is answered, so successful requests cost nothing more), else the cookie,
/// `Accept-Language` and the default. The English bodies are already the catalogue's.
pub async fn localise_errors<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let default = state
        .as_ref()
        .map_or(Lang::En, |state| state.settings.default_language);
    let requested = requested(req.request(), default);
    let response = next.call(req).await?;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response.map_into_boxed_body());
    }
    let page = response.response().extensions().get::<ErrorPage>().cloned();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !json && page.is_none() {
        return Ok(response.map_into_boxed_body());
    }
    let member = response.request().extensions().get::<SignedIn>().copied();
    let lang = match (member, state) {
        (Some(SignedIn(user_id)), Some(state)) => {
            member_language(&state, user_id).await.unwrap_or(requested)
        }
        _ => requested,
    };
    if lang == Lang::En {
        return Ok(response.map_into_boxed_body());
    }
    let said = response.response().extensions().get::<Said>().cloned();
    let (request, response) = response.into_parts();
    let (response, body) = response.into_parts();
    let body = match page {
        Some(page) => BoxBody::new(page.render(lang)),
        None => translated_body(body, lang, status.as_u16(), said.as_ref()).await,
    };
    let mut response = response.set_body(body);
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        header::HeaderValue::from_static(lang.code()),
    );
    Ok(ServiceResponse::new(request, response))
}

/// A JSON error body with its `message` in `lang`: the error's own catalogue words when it
/// left them, else the code's.
async fn translated_body<B: MessageBody + 'static>(
    body: B,
    lang: Lang,
    status: u16,
    said: Option<&Said>,
) -> BoxBody {
    // Error bodies are small JSON the server wrote; one that cannot be read whole is
    // answered without a body rather than half of one.
    let Ok(Ok(bytes)) = body::to_bytes_limited(body, MAX_ERROR_BODY_BYTES).await else {
        return BoxBody::new(());
    };
    let translated = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|mut value| {
            let error = value.get_mut("error")?.as_object_mut()?;
            let code = error.get("code")?.as_str()?.to_owned();
            if WRITTEN_IN_CONTENT_LANGUAGE.contains(&code.as_str()) {
                return None;
            }
            let message = match said {
                Some(said) => said.in_lang(lang),
                None => error_message(lang, &code, status),
            };
            error.insert("message".into(), message.into());
            serde_json::to_vec(&value).ok()
        });
    match translated {
        Some(text) => BoxBody::new(text),
        None => BoxBody::new(bytes),
    }
}

/// The language a signed-in member chose; `None` without a choice, or when it cannot be
/// read (the error is answered in the request's language rather than failing again).
async fn member_language(state: &AppState, user_id: UserId) -> Option<Lang> {
    match state
        .store
        .reading(move |store| crate::service::languages::chosen_by(store, user_id))
        .await
    {
        Ok(chosen) => chosen,
        Err(error) => {
            tracing::warn!(error = %error.report(), "cannot read the member's language");
            None
        }
    }
}

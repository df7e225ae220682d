//! Server-rendered pages. Handlers are thin: parse the request, call the same services as
//! the JSON API on the blocking pool, map service views to `kindred_web` view models, and
//! render. Forms POST and redirect (303) on success; a refused form is rendered again with
//! the input kept and the problem next to the field.
//!
//! Browsers authenticate with the cookies the API's login sets. Every form carries the
//! CSRF cookie's value in a hidden `csrf_token` field; visitors get a CSRF cookie of their
//! own so the sign-in and registration forms are protected as well.

mod account;
mod admin;
mod advice;
mod care;
mod content_notes;
mod convert;
mod country;
mod duty;
mod email;
mod forum;
mod insights;
mod language;
mod mail;
mod messages;
mod moderation;
mod notifications;
mod passwords;
mod posting;
mod problems;
mod reactions;
mod reasons;
mod saved;
mod start;
mod surveys;
mod thread_page;

use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use kindred_web::clock::ReaderClock;
use kindred_web::i18n::{Lang, LANGUAGES};
use kindred_web::model::{Chrome, NavUser};
use kindred_web::{assets, pages};

use crate::auth::cookies::{self, CookieName};
use crate::auth::extract::{cookie_user, csrf_matches, resolve};
use crate::auth::renewals::Renewal;
use crate::auth::tokens::{hash_refresh_token, mask_csrf_token, new_csrf_token};
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::accounts;
use crate::state::AppState;

pub use problems::{field_problem, form_problem, general_problem};

/// The policy for HTML pages: only our own scripts, styles, images and form targets; no
/// inline code; never framed.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(crate::http::MAX_BODY_BYTES)
            .error_handler(|error, _req| {
                PageError::from(Error::bad_request("invalid_form", error.to_string())).into()
            }),
    )
    .route("/static/{file}", web::get().to(static_file))
    .configure(forum::configure)
    .configure(posting::configure)
    .configure(reactions::configure)
    .configure(saved::configure)
    .configure(account::configure)
    .configure(passwords::configure)
    .configure(email::configure)
    .configure(mail::configure)
    .configure(messages::configure)
    .configure(moderation::configure)
    .configure(reasons::configure)
    .configure(notifications::configure)
    .configure(admin::configure)
    .configure(start::configure)
    .configure(care::configure)
    .configure(insights::configure)
    .configure(country::configure)
    .configure(duty::configure)
    .configure(surveys::configure)
    .configure(content_notes::configure)
    .configure(language::configure);
}

async fn static_file(req: HttpRequest) -> HttpResponse {
    match assets::find(req.path()) {
        Some(asset) => HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(asset.body),
        None => not_found_page(),
    }
}

/// An error shown as a friendly HTML page. `Unauthenticated` sends the browser to sign in,
/// and back to `login_next` afterwards.
#[derive(Debug)]
pub struct PageError {
    pub error: Error,
    login_next: Option<String>,
}

impl From<Error> for PageError {
    fn from(error: Error) -> PageError {
        PageError {
            error,
            login_next: None,
        }
    }
}

impl PageError {
    /// A form refused for a missing or wrong CSRF token.
    pub fn is_csrf_failure(&self) -> bool {
        matches!(
            self.error,
            Error::Forbidden {
                code: "csrf_failed",
                ..
            }
        )
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self.error {
            Error::Unauthenticated | Error::InvalidToken(_) => StatusCode::SEE_OTHER,
            _ => self.error.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        if matches!(self.error, Error::Unauthenticated | Error::InvalidToken(_)) {
            let location = match &self.login_next {
                Some(next) => format!("/login?next={}", percent_encode(next)),
                None => "/login".to_owned(),
            };
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        let status = self.error.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self.error, "page failed");
        }
        let page = ErrorPage::of(&self.error);
        let mut response = html_response(status, page.render(Lang::En));
        if let Some(seconds) = self.error.retry_after_secs() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        // For `crate::language`, which renders it again in the reader's language.
        response.extensions_mut().insert(page);
        response
    }
}

/// An error page's status and its message in every language, so that it can be rendered
/// in the reader's language once that is known (`crate::language`).
#[derive(Debug, Clone)]
pub struct ErrorPage {
    status: u16,
    messages: Vec<(Lang, String)>,
}

impl ErrorPage {
    fn of(error: &Error) -> ErrorPage {
        let status = error.status_code();
        let messages = LANGUAGES
            .iter()
            .map(|&lang| {
                let message = if status.is_client_error() {
                    error.message_in(lang)
                } else {
                    String::new()
                };
                (lang, message)
            })
            .collect();
        ErrorPage {
            status: status.as_u16(),
            messages,
        }
    }

    /// The whole page in `lang`, with the chrome of a visitor.
    pub fn render(&self, lang: Lang) -> String {
        let message = self
            .messages
            .iter()
            .find(|(said_in, _)| *said_in == lang)
            .map_or("", |(_, message)| message.as_str());
        let chrome = Chrome {
            lang,
            ..Chrome::default()
        };
        pages::error(&chrome, self.status, message)
    }
}

pub type PageResult = Result<HttpResponse, PageError>;

fn html_response(status: StatusCode, body: impl MessageBody + 'static) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, PAGE_CSP))
        .body(body)
}

/// The 404 page for unknown paths outside the API.
pub fn not_found_page() -> HttpResponse {
    let page = ErrorPage {
        status: 404,
        messages: Vec::new(),
    };
    let mut response = html_response(StatusCode::NOT_FOUND, page.render(Lang::En));
    response.extensions_mut().insert(page);
    response
}

/// Who is asking and the CSRF token their forms carry, plus any cookies to set.
pub struct Ctx {
    pub user: Option<CurrentUser>,
    /// This page's path and query, to come back to after signing in.
    here: String,
    pub csrf: String,
    /// The signed-in member's unread notifications, for the header.
    unread_notifications: i64,
    /// Their unread private messages (conversations not muted), for the header.
    unread_messages: i64,
    /// Open queue items, for moderators' link to their queue.
    open_queue_items: Option<i64>,
    /// The `mod:{slug}` topics whose events change that count, for live updates.
    queue_topics: Vec<String>,
    /// The member's time zone, for every time a page shows (visitors: UTC).
    time_zone: chrono_tz::Tz,
    /// The reader's language (`crate::language`).
    pub lang: kindred_web::i18n::Lang,
    new_cookies: Vec<Cookie<'static>>,
}

impl Ctx {
    /// For a GET: reads the session cookie, refreshing an expired access token with the
    /// refresh cookie, and gives a visitor a CSRF cookie if they have none.
    pub async fn load(req: &HttpRequest, state: &web::Data<AppState>) -> Result<Ctx, PageError> {
        let secure = state.settings.secure_cookies();
        let mut ctx = Ctx {
            here: req
                .uri()
                .path_and_query()
                .map_or_else(|| "/".into(), |p| p.as_str().to_owned()),
            user: cookie_user(req, state).await?,
            csrf: cookies::read(req, CookieName::Csrf, secure).unwrap_or_default(),
            unread_notifications: 0,
            unread_messages: 0,
            open_queue_items: None,
            queue_topics: Vec::new(),
            time_zone: chrono_tz::Tz::UTC,
            lang: crate::language::requested(req, state.settings.default_language),
            new_cookies: Vec::new(),
        };
        if ctx.user.is_none() {
            ctx.try_refresh(req, state).await?;
        }
        // A session renewed just now was not seen by the partners' fence.
        let fenced = ctx
            .user
            .as_ref()
            .is_some_and(CurrentUser::is_research_partner)
            && !req
                .match_pattern()
                .is_some_and(|p| crate::service::partners::partner_may_use(&p));
        if fenced {
            return Err(PageError::from(Error::NotFound));
        }
        if let Some(user) = ctx.user.clone() {
            ctx.unread_notifications = unread_notifications(state, user.clone()).await;
            ctx.unread_messages = unread_messages(state, user.clone()).await;
            ctx.open_queue_items = open_queue_items(state, user.clone()).await;
            if ctx.open_queue_items.is_some() {
                ctx.queue_topics = queue_topics(state, user.clone()).await;
            }
            ctx.time_zone = reader_time_zone(state, user.clone()).await;
            if let Some(lang) = member_language(state, user).await {
                ctx.lang = lang;
            }
        }
        if ctx.csrf.is_empty() {
            ctx.csrf = new_csrf_token();
            ctx.new_cookies
                .push(cookies::visitor_csrf_cookie(&ctx.csrf, secure));
        }
        Ok(ctx)
    }

    /// For a form POST: refuses a missing or wrong `csrf_token` before anything else.
    pub async fn for_form(
        req: &HttpRequest,
        state: &web::Data<AppState>,
        sent_token: &str,
    ) -> Result<Ctx, PageError> {
        if !csrf_matches(req, state.settings.secure_cookies(), sent_token) {
            return Err(PageError::from(Error::forbidden(
                "csrf_failed",
                "This form has expired. Please go back, reload the page and try again.",
            )));
        }
        Ctx::load(req, state).await
    }

    /// For a form POST that needs a signed-in member.
    pub async fn member_form(
        req: &HttpRequest,
        state: &web::Data<AppState>,
        sent_token: &str,
    ) -> Result<(Ctx, CurrentUser), PageError> {
        let ctx = Ctx::for_form(req, state, sent_token).await?;
        let user = ctx.user.clone().ok_or(Error::Unauthenticated)?;
        Ok((ctx, user))
    }

    async fn try_refresh(
        &mut self,
        req: &HttpRequest,
        state: &web::Data<AppState>,
    ) -> Result<(), PageError> {
        let secure = state.settings.secure_cookies();
        let Some(token) = cookies::read(req, CookieName::Refresh, secure).filter(|t| !t.is_empty())
        else {
            return Ok(());
        };
        let token_hash = hash_refresh_token(&token);
        let mut slot = state.renewals.slot().await;
        let renewed = if let Some(renewal) = slot.recent(&token_hash) {
            Ok(renewal)
        } else {
            let app = state.clone();
            state
                .store
                .blocking(move |store| accounts::refresh(store, &app.tokens, &token))
                .await
                .map(|session| {
                    let renewal = Renewal::new(session.access_token, session.refresh_token);
                    slot.remember(token_hash, renewal.clone());
                    renewal
                })
        };
        drop(slot);
        match renewed {
            Ok(renewal) => {
                self.user = Some(resolve(state.clone(), renewal.access_token.clone()).await?);
                // Keep the CSRF value the browser already has, so forms open in other tabs
                // stay valid across the renewal (double-submit needs no particular value).
                if self.csrf.is_empty() {
                    self.csrf = new_csrf_token();
                }
                self.new_cookies.extend(cookies::session_cookies(
                    &renewal.access_token,
                    &renewal.refresh_token,
                    &self.csrf,
                    secure,
                ));
                Ok(())
            }
            Err(Error::InvalidToken(_) | Error::Unauthenticated) => {
                self.new_cookies.extend(cookies::cleared_cookies(secure));
                self.csrf.clear();
                Ok(())
            }
            Err(other) => Err(PageError::from(other)),
        }
    }

    /// The signed-in user, or a redirect to the sign-in page that comes back here.
    pub fn require_user(&self) -> Result<CurrentUser, PageError> {
        self.user.clone().ok_or_else(|| PageError {
            error: Error::Unauthenticated,
            login_next: Some(self.here.clone()),
        })
    }

    pub fn chrome(&self) -> Chrome {
        Chrome {
            user: self.user.as_ref().map(|u| NavUser {
                username: u.username.clone(),
                is_admin: u.is_admin(),
                is_partner: u.is_research_partner(),
                unread_notifications: self.unread_notifications,
                unread_messages: self.unread_messages,
                open_queue_items: self.open_queue_items,
                queue_topics: self.queue_topics.clone(),
            }),
            csrf_token: mask_csrf_token(&self.csrf),
            clock: ReaderClock {
                zone: self.time_zone,
                now: chrono::Utc::now(),
                lang: self.lang,
            },
            lang: self.lang,
        }
    }

    pub fn add_cookies(&mut self, cookies: impl IntoIterator<Item = Cookie<'static>>) {
        self.new_cookies.extend(cookies);
    }

    pub fn html(self, body: String) -> HttpResponse {
        self.html_status(StatusCode::OK, body)
    }

    pub fn html_status(self, status: StatusCode, body: String) -> HttpResponse {
        self.with_cookies(html_response(status, body))
    }

    /// Redirect after POST.
    pub fn redirect(self, location: &str) -> HttpResponse {
        self.with_cookies(
            HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location.to_owned()))
                .finish(),
        )
    }

    /// `response` with the cookies this request sets.
    pub fn with_cookies(self, mut response: HttpResponse) -> HttpResponse {
        for cookie in self.new_cookies {
            // Adding a well-formed cookie only fails on invalid header bytes, which ours never have.
            let _ = response.add_cookie(&cookie);
        }
        response
    }
}

/// The header's unread count. A failure to count is logged and shows as none rather than
/// failing the page the member asked for.
async fn unread_notifications(state: &web::Data<AppState>, user: CurrentUser) -> i64 {
    match state
        .store
        .reading(move |store| crate::service::notifications::unread_count(store, &user))
        .await
    {
        Ok(count) => count.unread_count,
        Err(error) => {
            tracing::warn!(%error, "cannot count unread notifications");
            0
        }
    }
}

/// The header's count of unread messages; a failure shows as none, like notifications.
async fn unread_messages(state: &web::Data<AppState>, user: CurrentUser) -> i64 {
    match state
        .store
        .reading(move |store| crate::service::messages::unread_count(store, &user))
        .await
    {
        Ok(count) => count,
        Err(error) => {
            tracing::warn!(%error, "cannot count unread messages");
            0
        }
    }
}

/// The header's count of open queue items, for moderators; a failure shows as none.
async fn open_queue_items(state: &web::Data<AppState>, user: CurrentUser) -> Option<i64> {
    match state
        .store
        .reading(move |store| crate::service::moderation::open_queue_count(store, &user))
        .await
    {
        Ok(count) => count,
        Err(error) => {
            tracing::warn!(%error, "cannot count open queue items");
            None
        }
    }
}

/// The `mod:{slug}` topics of the queues a moderator looks after; a failure leaves the
/// header's count as the server rendered it.
async fn queue_topics(state: &web::Data<AppState>, user: CurrentUser) -> Vec<String> {
    match state
        .store
        .reading(move |store| crate::service::moderation::moderated_slugs(store, &user))
        .await
    {
        Ok(slugs) => slugs
            .into_iter()
            .map(|slug| format!("mod:{slug}"))
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "cannot list moderated communities");
            Vec::new()
        }
    }
}

/// The member's chosen language; a failure to read it falls back to the request's.
async fn member_language(
    state: &web::Data<AppState>,
    user: CurrentUser,
) -> Option<kindred_web::i18n::Lang> {
    match state
        .store
        .reading(move |store| crate::service::languages::chosen(store, &user))
        .await
    {
        Ok(lang) => lang,
        Err(error) => {
            tracing::warn!(%error, "cannot read the member's language");
            None
        }
    }
}

/// The member's time zone; a failure to read it shows times in UTC, like a visitor's.
async fn reader_time_zone(state: &web::Data<AppState>, user: CurrentUser) -> chrono_tz::Tz {
    match state
        .store
        .reading(move |store| crate::service::reader::time_zone(store, &user))
        .await
    {
        Ok(zone) => zone,
        Err(error) => {
            tracing::warn!(%error, "cannot read the member's time zone");
            chrono_tz::Tz::UTC
        }
    }
}

/// Percent-encodes a path for use as a query value.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Service messages start in lower case; on a page they read as sentences.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut text: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// Reads an optional query string into `T` (unknown parameters are ignored).
pub fn query<T: serde::de::DeserializeOwned>(req: &HttpRequest) -> Result<T, PageError> {
    web::Query::<T>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| PageError::from(Error::bad_request("invalid_query", e.to_string())))
}

/// A relative path on this site, for `?next=` after sign-in; anything else becomes `/`.
pub fn local_path(next: &str) -> String {
    let safe = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if safe {
        next.to_owned()
    } else {
        "/".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(local_path("/c/lung-cancer"), "/c/lung-cancer");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "",
            "javascript:x",
        ] {
            assert_eq!(local_path(bad), "/", "{bad}");
        }
    }

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            sentence("title must be 1 to 200"),
            "Title must be 1 to 200."
        );
        assert_eq!(sentence("Done."), "Done.");
    }
}

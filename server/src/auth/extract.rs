//! Extractors: `Viewer` (maybe signed in) and `CurrentUser` (must be signed in).
//!
//! Credentials come from an `Authorization: Bearer` header (API clients) or the access
//! cookie (browsers). A cookie-authenticated request with an unsafe method must carry the
//! CSRF header. Every token is checked against its session, so logging out ends it at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, Method};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::cookies::{self, CookieName, CSRF_HEADER};
use super::tokens::csrf_token_matches;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::state::AppState;
use crate::store::sessions;

/// Whoever is asking: a signed-in user or an anonymous visitor.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<CurrentUser>);

impl Viewer {
    pub fn user(&self) -> Option<&CurrentUser> {
        self.0.as_ref()
    }
}

/// The member a request was answered for, once an extractor found them: the API's error
/// messages (`crate::language`) follow that member's language setting.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn(pub crate::domain::ids::UserId);

/// A user the partners' fence (`crate::fence`) already authenticated for this request,
/// with the token it read, so the extractors need not read the session again.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub token: String,
    pub user: CurrentUser,
}

/// The user the fence found for `token`, if it looked at this very token.
fn already_authenticated(req: &HttpRequest, token: &str) -> Option<CurrentUser> {
    req.extensions()
        .get::<Authenticated>()
        .filter(|known| known.token == token)
        .map(|known| known.user.clone())
}

/// The access token a request carries (bearer header first, then the access cookie),
/// without the CSRF check: for the fence, which only reads who is asking.
pub(crate) fn raw_access_token(req: &HttpRequest, secure: bool) -> Option<String> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        return value
            .to_str()
            .ok()
            .and_then(bearer_token)
            .map(str::to_owned);
    }
    cookies::read(req, CookieName::Access, secure).filter(|t| !t.is_empty())
}

/// Finds the access token in the request, enforcing CSRF for cookie sessions.
pub(crate) fn access_token(req: &HttpRequest, secure: bool) -> Result<Option<String>, Error> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let text = value
            .to_str()
            .map_err(|_| Error::InvalidToken("es3-token-header-malformed"))?;
        return match bearer_token(text) {
            Some(token) => Ok(Some(token.to_owned())),
            _ => Err(Error::InvalidToken("es3-token-bearer-expected")),
        };
    }
    let Some(token) = cookies::read(req, CookieName::Access, secure) else {
        return Ok(None);
    };
    if token.is_empty() {
        return Ok(None);
    }
    check_csrf(req, secure)?;
    Ok(Some(token))
}

/// The token of an `Authorization: Bearer <token>` value. The scheme name is
/// case-insensitive (RFC 7235 §2.1), so `bearer` and `BEARER` work too.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Unsafe methods from a cookie session must echo the CSRF cookie in a header.
pub fn check_csrf(req: &HttpRequest, secure: bool) -> Result<(), Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe {
        return Ok(());
    }
    let cookie = cookies::read(req, CookieName::Csrf, secure).unwrap_or_default();
    let sent = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !csrf_token_matches(&cookie, sent) {
        return Err(Error::forbidden(
            "csrf_failed",
            "missing or wrong CSRF token (send the kindred_csrf cookie's value in X-CSRF-Token)",
        ));
    }
    Ok(())
}

pub(crate) async fn resolve(
    state: web::Data<AppState>,
    token: String,
) -> Result<CurrentUser, Error> {
    authenticate(&state, &token).await.map(|(user, _)| user)
}

/// Checks an access token and its session; returns the user and when the token expires
/// (seconds since the epoch).
pub(crate) async fn authenticate(
    state: &AppState,
    token: &str,
) -> Result<(CurrentUser, i64), Error> {
    let (user_id, session_id, expires_at) = state.tokens.verify_access_until(token)?;
    let row = state
        .store
        .reading(move |store| store.read(|conn| sessions::active_user(conn, session_id, user_id)))
        .await?
        .ok_or(Error::InvalidToken("es3-token-session-ended"))?;
    let user = CurrentUser {
        id: row.id,
        site_role: row.site_role,
        username: row.username,
        session_id,
    };
    Ok((user, expires_at))
}

type ExtractFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>>>>;

impl FromRequest for Viewer {
    type Error = Error;
    type Future = ExtractFuture<Viewer>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = state
            .as_ref()
            .map(|s| access_token(req, s.settings.secure_cookies()));
        let known = match &token {
            Some(Ok(Some(token))) => already_authenticated(req, token),
            _ => None,
        };
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| Error::Internal("application state missing".into()))?;
            let user = match (known, token.transpose()?.flatten()) {
                (Some(user), _) => Some(user),
                (None, None) => None,
                (None, Some(token)) => Some(resolve(state, token).await?),
            };
            if let Some(user) = &user {
                req.extensions_mut().insert(SignedIn(user.id));
            }
            Ok(Viewer(user))
        })
    }
}

impl FromRequest for CurrentUser {
    type Error = Error;
    type Future = ExtractFuture<CurrentUser>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let viewer = Viewer::from_request(req, payload);
        Box::pin(async move { viewer.await?.0.ok_or(Error::Unauthenticated) })
    }
}

/// Whether `sent` (a form's `csrf_token` field) is the CSRF cookie's value, masked or not. Pages use this for
/// HTML forms, which cannot send the header; an absent cookie never matches.
pub fn csrf_matches(req: &HttpRequest, secure: bool, sent: &str) -> bool {
    let cookie = cookies::read(req, CookieName::Csrf, secure).unwrap_or_default();
    csrf_token_matches(&cookie, sent)
}

/// For pages: the user of the browser's access cookie (bearer headers are ignored). An
/// invalid, expired or revoked token counts as signed out rather than failing the page.
pub async fn cookie_user(
    req: &HttpRequest,
    state: &web::Data<AppState>,
) -> Result<Option<CurrentUser>, Error> {
    let secure = state.settings.secure_cookies();
    let Some(token) = cookies::read(req, CookieName::Access, secure).filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    let user = match already_authenticated(req, &token) {
        Some(user) => user,
        None => match resolve(state.clone(), token).await {
            Ok(user) => user,
            Err(Error::InvalidToken(_)) => return Ok(None),
            Err(other) => return Err(other),
        },
    };
    // An error page is answered in this member's language (`crate::language`).
    req.extensions_mut().insert(SignedIn(user.id));
    Ok(Some(user))
}

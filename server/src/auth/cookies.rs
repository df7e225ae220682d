//! Browser sessions: the access and refresh tokens in HttpOnly cookies, plus a readable
//! CSRF cookie whose value unsafe requests must echo in the `X-CSRF-Token` header
//! (double-submit). Behind https the names carry the `__Host-` prefix.

use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::HttpRequest;

use super::tokens::{ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS};

pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone, Copy)]
pub enum CookieName {
    Access,
    Refresh,
    Csrf,
}

impl CookieName {
    pub fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (CookieName::Access, false) => "kindred_access",
            (CookieName::Refresh, false) => "kindred_refresh",
            (CookieName::Csrf, false) => "kindred_csrf",
            (CookieName::Access, true) => "__Host-kindred_access",
            (CookieName::Refresh, true) => "__Host-kindred_refresh",
            (CookieName::Csrf, true) => "__Host-kindred_csrf",
        }
    }
}

pub fn read(req: &HttpRequest, which: CookieName, secure: bool) -> Option<String> {
    req.cookie(which.name(secure)).map(|c| c.value().to_owned())
}

fn build(which: CookieName, value: String, max_age_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build(which.name(secure), value)
        .path("/")
        .http_only(!matches!(which, CookieName::Csrf))
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(Duration::seconds(max_age_secs))
        .finish()
}

/// The three cookies of a signed-in browser.
pub fn session_cookies(
    access: &str,
    refresh: &str,
    csrf: &str,
    secure: bool,
) -> [Cookie<'static>; 3] {
    [
        build(
            CookieName::Access,
            access.to_owned(),
            ACCESS_TOKEN_SECONDS,
            secure,
        ),
        build(
            CookieName::Refresh,
            refresh.to_owned(),
            REFRESH_TOKEN_SECONDS,
            secure,
        ),
        build(
            CookieName::Csrf,
            csrf.to_owned(),
            REFRESH_TOKEN_SECONDS,
            secure,
        ),
    ]
}

/// Cookies that erase the session from the browser.
pub fn cleared_cookies(secure: bool) -> [Cookie<'static>; 3] {
    [
        build(CookieName::Access, String::new(), 0, secure),
        build(CookieName::Refresh, String::new(), 0, secure),
        build(CookieName::Csrf, String::new(), 0, secure),
    ]
}

/// A CSRF cookie for a visitor who is not signed in yet, so the sign-in and registration
/// forms are protected too (login CSRF). Signing in replaces it with the session's token.
pub fn visitor_csrf_cookie(csrf: &str, secure: bool) -> Cookie<'static> {
    build(
        CookieName::Csrf,
        csrf.to_owned(),
        REFRESH_TOKEN_SECONDS,
        secure,
    )
}

//! Browser sessions: tokens in cookies, and the double-submit CSRF check on every unsafe
//! request authenticated by cookie.

use reqwest::header::{HeaderMap, AUTHORIZATION, COOKIE, SET_COOKIE};
use reqwest::{Client, Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, assert_error_for, expect_json, TestApp, PASSWORD};

const CSRF_HEADER: &str = "X-CSRF-Token";

/// One `Set-Cookie` header, split into its parts.
#[derive(Debug)]
struct SetCookie {
    name: String,
    value: String,
    /// Attribute names lower-cased, with their values (empty for flags).
    attributes: Vec<(String, String)>,
}

impl SetCookie {
    fn parse(header: &str) -> SetCookie {
        let mut parts = header.split(';').map(str::trim);
        let (name, value) = parts
            .next()
            .and_then(|p| p.split_once('='))
            .unwrap_or_else(|| panic!("cookie pair in {header}"));
        let attributes = parts
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_owned()),
                None => (p.to_ascii_lowercase(), String::new()),
            })
            .collect();
        SetCookie {
            name: name.to_owned(),
            value: value.to_owned(),
            attributes,
        }
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn has_flag(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }
}

fn set_cookies(headers: &HeaderMap) -> Vec<SetCookie> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| SetCookie::parse(v.to_str().expect("ascii Set-Cookie")))
        .collect()
}

fn cookie<'a>(cookies: &'a [SetCookie], name: &str) -> &'a SetCookie {
    cookies
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("Set-Cookie {name} in {cookies:?}"))
}

/// A client that keeps cookies, like a browser.
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn request(app: &TestApp, client: &Client, method: Method, path: &str) -> RequestBuilder {
    client.request(method, app.url(path))
}

/// Signs in through the browser client; returns the login body and the cookies it set.
async fn browser_login(app: &TestApp, client: &Client, username: &str) -> (Value, Vec<SetCookie>) {
    let response = request(app, client, Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    let cookies = set_cookies(response.headers());
    (expect_json(response, StatusCode::OK).await, cookies)
}

async fn membership_of(app: &TestApp, client: &Client, slug: &str) -> Value {
    let response = request(
        app,
        client,
        Method::GET,
        &format!("/api/v1/communities/{slug}"),
    )
    .send()
    .await
    .expect("GET community");
    expect_json(response, StatusCode::OK).await["membership"].clone()
}

async fn cookie_sessions_need_the_csrf_header(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    app.register("sam_p").await;
    let client = browser();
    let (login, cookies) = browser_login(&app, &client, "sam_p").await;

    let csrf = the_three_cookies_carry_their_attributes(&login, &cookies);
    safe_requests_work_with_cookies_alone(&app, &client).await;
    unsafe_requests_without_the_matching_header_are_refused_and_change_nothing(&app, &client, csrf)
        .await;
    an_unsafe_request_with_the_matching_header_goes_through(&app, &client, csrf).await;
}

/// The three cookies and their attributes. The CSRF token.
fn the_three_cookies_carry_their_attributes<'a>(
    login: &Value,
    cookies: &'a [SetCookie],
) -> &'a str {
    let access = cookie(cookies, "kindred_access");
    let refresh = cookie(cookies, "kindred_refresh");
    let csrf = cookie(cookies, "kindred_csrf");
    assert_eq!(
        access.value,
        login["access_token"].as_str().expect("access")
    );
    assert_eq!(
        refresh.value,
        login["refresh_token"].as_str().expect("refresh")
    );
    assert!(
        csrf.value.len() >= 16,
        "CSRF token of some length: {csrf:?}"
    );
    for c in [access, refresh, csrf] {
        assert_eq!(
            c.attribute("samesite")
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("lax"),
            "{c:?}"
        );
        assert_eq!(c.attribute("path"), Some("/"), "{c:?}");
        assert!(!c.has_flag("secure"), "plain http test server: {c:?}");
    }
    assert!(access.has_flag("httponly"), "{access:?}");
    assert!(refresh.has_flag("httponly"), "{refresh:?}");
    assert!(
        !csrf.has_flag("httponly"),
        "scripts must read the CSRF cookie: {csrf:?}"
    );
    &csrf.value
}

/// Safe requests work with cookies alone.
async fn safe_requests_work_with_cookies_alone(app: &TestApp, client: &Client) {
    let response = request(app, client, Method::GET, "/api/v1/me")
        .send()
        .await
        .expect("me");
    assert_eq!(
        expect_json(response, StatusCode::OK).await["username"],
        "sam_p"
    );
}

/// Unsafe requests need the header, equal to the cookie; refused requests changed
/// nothing.
async fn unsafe_requests_without_the_matching_header_are_refused_and_change_nothing(
    app: &TestApp,
    client: &Client,
    csrf: &str,
) {
    let join = "/api/v1/communities/open-garden/join";
    let response = request(app, client, Method::POST, join)
        .json(&json!({}))
        .send()
        .await
        .expect("join");
    assert_error_for(response, StatusCode::FORBIDDEN, "csrf_failed", "no header").await;
    for wrong in [
        "wrong-token",
        "",
        &csrf[..csrf.len() - 1],
        &format!("{csrf}x"),
    ] {
        let response = request(app, client, Method::POST, join)
            .header(CSRF_HEADER, wrong)
            .json(&json!({}))
            .send()
            .await
            .expect("join");
        assert_error_for(
            response,
            StatusCode::FORBIDDEN,
            "csrf_failed",
            format!("header {wrong:?}"),
        )
        .await;
    }
    let response = request(app, client, Method::PATCH, "/api/v1/me/profile")
        .json(&json!({"bio": "changed by a forged form"}))
        .send()
        .await
        .expect("profile");
    assert_error(response, StatusCode::FORBIDDEN, "csrf_failed").await;
    let response = request(app, client, Method::POST, "/api/v1/auth/logout")
        .send()
        .await
        .expect("logout");
    assert_error(response, StatusCode::FORBIDDEN, "csrf_failed").await;
    assert_eq!(
        membership_of(app, client, "open-garden").await,
        Value::Null,
        "refused requests changed nothing"
    );
    let me = expect_json(
        request(app, client, Method::GET, "/api/v1/me")
            .send()
            .await
            .expect("me"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["profile"]["bio"], "");
}

/// With the header equal to the cookie, the join goes through.
async fn an_unsafe_request_with_the_matching_header_goes_through(
    app: &TestApp,
    client: &Client,
    csrf: &str,
) {
    let join = "/api/v1/communities/open-garden/join";
    let response = request(app, client, Method::POST, join)
        .header(CSRF_HEADER, csrf)
        .json(&json!({}))
        .send()
        .await
        .expect("join");
    assert_eq!(
        expect_json(response, StatusCode::OK).await["membership"]["state"],
        "active"
    );
    assert_eq!(
        membership_of(app, client, "open-garden").await["state"],
        "active"
    );
}

async fn csrf_header_without_the_cookie_is_refused(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let sam = app.register("sam_p").await;
    // An access cookie but no CSRF cookie: no header value can match.
    for header in [None, Some(""), Some("anything")] {
        let mut builder = app
            .client
            .post(app.url("/api/v1/communities/open-garden/join"))
            .header(COOKIE, format!("kindred_access={}", sam.access_token))
            .json(&json!({}));
        if let Some(value) = header {
            builder = builder.header(CSRF_HEADER, value);
        }
        let response = builder.send().await.expect("join");
        assert_error_for(
            response,
            StatusCode::FORBIDDEN,
            "csrf_failed",
            format!("{header:?}"),
        )
        .await;
    }
    // Cookie and header set by hand to the same value work.
    let response = app
        .client
        .post(app.url("/api/v1/communities/open-garden/join"))
        .header(
            COOKIE,
            format!(
                "kindred_access={}; kindred_csrf=same-value",
                sam.access_token
            ),
        )
        .header(CSRF_HEADER, "same-value")
        .json(&json!({}))
        .send()
        .await
        .expect("join");
    assert_eq!(
        expect_json(response, StatusCode::OK).await["membership"]["state"],
        "active"
    );
}

async fn bearer_requests_need_no_csrf_token(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    app.community(&admin, "quiet-room", "public", "open").await;
    let sam = app.register("sam_p").await;
    let response = app
        .post(
            "/api/v1/communities/open-garden/join",
            Some(&sam),
            json!({}),
        )
        .await;
    assert_eq!(
        expect_json(response, StatusCode::OK).await["membership"]["state"],
        "active"
    );

    // A browser that also sends a bearer token: the bearer token decides, no CSRF needed.
    let client = browser();
    browser_login(&app, &client, "sam_p").await;
    let response = request(
        &app,
        &client,
        Method::POST,
        "/api/v1/communities/quiet-room/join",
    )
    .header(AUTHORIZATION, format!("Bearer {}", sam.access_token))
    .json(&json!({}))
    .send()
    .await
    .expect("join");
    assert_eq!(
        expect_json(response, StatusCode::OK).await["membership"]["state"],
        "active"
    );
}

async fn cookie_refresh_and_logout(app: TestApp) {
    app.register("sam_p").await;
    let client = browser();
    let (_, cookies) = browser_login(&app, &client, "sam_p").await;
    let old_csrf = cookie(&cookies, "kindred_csrf").value.clone();
    let old_refresh = cookie(&cookies, "kindred_refresh").value.clone();

    // Refreshing from the cookie needs the CSRF header too.
    let response = request(&app, &client, Method::POST, "/api/v1/auth/refresh")
        .json(&json!({}))
        .send()
        .await
        .expect("refresh");
    assert_error(response, StatusCode::FORBIDDEN, "csrf_failed").await;
    let response = request(&app, &client, Method::POST, "/api/v1/auth/refresh")
        .header(CSRF_HEADER, &old_csrf)
        .json(&json!({}))
        .send()
        .await
        .expect("refresh");
    let renewed = set_cookies(response.headers());
    let body = expect_json(response, StatusCode::OK).await;
    let new_refresh = cookie(&renewed, "kindred_refresh").value.clone();
    let new_csrf = cookie(&renewed, "kindred_csrf").value.clone();
    assert_ne!(new_refresh, old_refresh);
    assert_eq!(body["refresh_token"], new_refresh.as_str());
    assert_eq!(
        cookie(&renewed, "kindred_access").value,
        body["access_token"].as_str().expect("access")
    );
    assert!(cookie(&renewed, "kindred_access").has_flag("httponly"));
    assert!(cookie(&renewed, "kindred_refresh").has_flag("httponly"));

    // The browser now holds the new cookies; the old refresh token is spent.
    let response = request(&app, &client, Method::GET, "/api/v1/me")
        .send()
        .await
        .expect("me");
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": old_refresh}),
        )
        .await;
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    // ...which revoked the family, so the browser session has ended.
    let response = request(&app, &client, Method::GET, "/api/v1/me")
        .send()
        .await
        .expect("me");
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;

    // A fresh browser session logs out with the CSRF header; the cookies are cleared.
    let client = browser();
    let (login, cookies) = browser_login(&app, &client, "sam_p").await;
    let csrf = cookie(&cookies, "kindred_csrf").value.clone();
    assert_ne!(csrf, new_csrf, "each sign-in gets its own CSRF token");
    let response = request(&app, &client, Method::POST, "/api/v1/auth/logout")
        .header(CSRF_HEADER, &csrf)
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookies(response.headers());
    for name in ["kindred_access", "kindred_refresh", "kindred_csrf"] {
        let c = cookie(&cleared, name);
        assert_eq!(c.value, "", "{c:?}");
        assert_eq!(c.attribute("max-age"), Some("0"), "{c:?}");
    }
    let response = request(&app, &client, Method::GET, "/api/v1/me")
        .send()
        .await
        .expect("me");
    assert_error_for(
        response,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "no cookies left",
    )
    .await;
    let response = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(login["access_token"].as_str().expect("access"))
        .send()
        .await
        .expect("me");
    assert_error_for(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "the session ended on the server too",
    )
    .await;
}

both_backends!(
    cookie_sessions_need_the_csrf_header,
    csrf_header_without_the_cookie_is_refused,
    bearer_requests_need_no_csrf_token,
    cookie_refresh_and_logout,
);

//! Research partners (issue 20): admins grant communities; a partner sees only the
//! insights of those, and every other route — API and pages alike, read from the route
//! table — answers them 404. Every look is audited.

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, session_from, Session, TestApp, PASSWORD};

/// Every (method, pattern) the pages register, read from `server/src/pages/**/*.rs`
/// (`.route("/path", web::method()…)`), like the OpenAPI check reads the API's.
pub fn page_routes() -> BTreeSet<(String, String)> {
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src/pages")];
    let mut sources = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).expect("pages dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                sources.push(path);
            }
        }
    }
    let mut routes = BTreeSet::new();
    for path in sources {
        let source = std::fs::read_to_string(path).expect("page source");
        let body: String = source.split_whitespace().collect();
        for route in body.split(".route(\"").skip(1) {
            let (path, rest) = route.split_once('"').expect("route path");
            let Some(method) = rest
                .strip_prefix(",web::")
                .and_then(|rest| rest.split("()").next())
            else {
                continue;
            };
            routes.insert((method.to_owned(), path.to_owned()));
        }
    }
    assert!(routes.len() > 30, "found only {routes:?}");
    routes
}

/// Every (method, path) of the OpenAPI document, which the OpenAPI test keeps equal to
/// the registered API routes.
async fn api_routes(app: &TestApp) -> BTreeSet<(String, String)> {
    let document: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .expect("openapi");
    let mut routes = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                routes.insert((method.to_owned(), path.clone()));
            }
        }
    }
    routes
}

/// What a partner may use: signing in and out, their password, the service's own
/// documents and probes, their insights.
fn partner_route(path: &str) -> bool {
    [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/me/password",
        "/api/v1/openapi.json",
        "/livez",
        "/healthz",
        "/metrics",
        "/login",
        "/logout",
        "/me/password",
        "/static/{file}",
        "/",
        "/insights",
        "/insights/{slug}",
        "/insights/{slug}/export",
        "/partner/surveys",
        "/partner/surveys/{id}",
        "/partner/surveys/{id}/results.csv",
    ]
    .contains(&path)
        || path.starts_with("/api/v1/partner/")
}

/// A concrete path for a pattern: every parameter filled with something that exists
/// where it can (`lung`, the thread, the admin).
fn fill(pattern: &str, thread: &str, post: &str) -> String {
    pattern
        .split('/')
        .map(|part| match part {
            "{slug}" => "lung".to_owned(),
            "{username}" => "site_admin".to_owned(),
            "{id}" | "{thread_id}" => thread.to_owned(),
            "{post_id}" => post.to_owned(),
            "{kind}" => "helpful".to_owned(),
            "{file}" => "app.css".to_owned(),
            p if p.starts_with('{') => "1".to_owned(),
            p => p.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

pub async fn partner(app: &TestApp, admin: &Session, name: &str, slug: &str) -> Session {
    let member = app.register(name).await;
    let granted = app
        .post(
            "/api/v1/admin/partners",
            Some(admin),
            json!({"username": name, "community": slug}),
        )
        .await;
    expect_json(granted, StatusCode::CREATED).await;
    // Becoming a partner signed the account out everywhere.
    let old = app.get("/api/v1/me", Some(&member)).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    session_from(app.login(name, PASSWORD).await).await
}

async fn partner_is_refused_on_every_other_route(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    let (thread, post) = app
        .thread(&admin, "lung", "Scan days", "How do you cope?")
        .await;
    let lena = partner(&app, &admin, "lena_research", "lung").await;
    let member = app.register("ana_patient").await;

    let mut checked = 0;
    let routes = api_routes(&app).await;
    for (method, pattern) in routes.iter().chain(page_routes().iter()) {
        let path = fill(pattern, &thread, &post);
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let send = |session: &Session, cookie: bool| {
            let builder = app.client.request(method.clone(), app.url(&path));
            let builder = if cookie {
                builder.header("cookie", format!("kindred_access={}", session.access_token))
            } else {
                builder.bearer_auth(&session.access_token)
            };
            let builder = if method == Method::GET {
                builder
            } else {
                builder.json(&json!({}))
            };
            builder.send()
        };
        // Her own routes are exercised elsewhere (signing out here would end the test).
        if partner_route(pattern) {
            continue;
        }
        for cookie in [false, true] {
            let response = send(&lena, cookie).await.expect("request");
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "{method} {pattern} (cookie: {cookie}) answered a research partner"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} refusals checked");

    // What members see stays theirs.
    let listed = app.get("/api/v1/communities", Some(&member)).await;
    assert_eq!(listed.status(), StatusCode::OK);
    let thread_read = app
        .get(&format!("/api/v1/threads/{thread}"), Some(&member))
        .await;
    assert_eq!(thread_read.status(), StatusCode::OK);

    // Home sends a partner on to their insights; the websocket is closed to them.
    let home = app
        .client
        .get(app.url("/"))
        .bearer_auth(&lena.access_token)
        .send()
        .await
        .expect("home");
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        home.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/insights")
    );
    let ws = app.get("/api/v1/ws", Some(&lena)).await;
    assert_error(ws, StatusCode::NOT_FOUND, "not_found").await;
}

async fn admins_grant_and_revoke_and_partners_see_only_theirs(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    app.community(&admin, "breast", "private", "approval").await;
    let member = app.register("ana_patient").await;

    // Bad input: nothing changes.
    let grant = |body: Value, who: &Session| {
        let who = who.clone();
        let app = &app;
        async move { app.post("/api/v1/admin/partners", Some(&who), body).await }
    };
    let by_member = grant(
        json!({"username": "ana_patient", "community": "lung"}),
        &member,
    )
    .await;
    assert_error(by_member, StatusCode::FORBIDDEN, "not_admin").await;
    let unknown_user = grant(
        json!({"username": "nobody_here", "community": "lung"}),
        &admin,
    )
    .await;
    assert_error(unknown_user, StatusCode::BAD_REQUEST, "invalid_username").await;
    let unknown_community = grant(
        json!({"username": "ana_patient", "community": "nowhere"}),
        &admin,
    )
    .await;
    assert_error(
        unknown_community,
        StatusCode::BAD_REQUEST,
        "invalid_community",
    )
    .await;
    let to_admin = grant(
        json!({"username": "site_admin", "community": "lung"}),
        &admin,
    )
    .await;
    assert_error(to_admin, StatusCode::CONFLICT, "conflict").await;
    let extra = grant(
        json!({"username": "ana_patient", "community": "lung", "x": 1}),
        &admin,
    )
    .await;
    assert_error(extra, StatusCode::BAD_REQUEST, "invalid_json").await;
    let still_member = app.get("/api/v1/me", Some(&member)).await;
    assert_eq!(
        still_member.status(),
        StatusCode::OK,
        "a refused grant signs nobody out"
    );
    let none: Value = expect_json(
        app.get("/api/v1/admin/partners", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none, json!([]));

    let lena = crate::partners::partner(&app, &admin, "lena_research", "lung").await;
    let again = grant(
        json!({"username": "lena_research", "community": "lung"}),
        &admin,
    )
    .await;
    expect_json(again, StatusCode::OK).await;
    let grants: Value = expect_json(
        app.get("/api/v1/admin/partners", Some(&admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(grants.as_array().map(Vec::len), Some(1));
    assert_eq!(grants[0]["username"], "lena_research");
    assert_eq!(grants[0]["community"], "lung");
    let members_list = app.get("/api/v1/admin/partners", Some(&member)).await;
    assert_error(members_list, StatusCode::FORBIDDEN, "not_admin").await;

    let mine: Value = expect_json(
        app.get("/api/v1/partner/communities", Some(&lena)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine, json!([{"slug": "lung", "name": "Community lung"}]));

    // A granted community: too few consenting members yet, said plainly — and audited.
    let month = "2026-01";
    let path = |slug: &str| {
        format!("/api/v1/partner/insights?community={slug}&from={month}&to={month}&format=csv")
    };
    let few = app.get(&path("lung"), Some(&lena)).await;
    assert_error(few, StatusCode::BAD_REQUEST, "too_few_members").await;
    // Another community, existing or not, is simply not there for her.
    let other = app.get(&path("breast"), Some(&lena)).await;
    assert_error(other, StatusCode::NOT_FOUND, "not_found").await;
    let missing = app.get(&path("nowhere"), Some(&lena)).await;
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    // Members cannot use the partners' door either.
    let by_member = app.get(&path("lung"), Some(&member)).await;
    assert_error(by_member, StatusCode::NOT_FOUND, "not_found").await;
    let lena_id: i64 = lena.user_id.parse().expect("id");
    let audit = app
        .store
        .read(|conn| kindred_server::store::insights::audit_of_actor(conn, lena_id))
        .expect("audit");
    assert_eq!(
        audit,
        vec![("api".to_owned(), "csv".to_owned(), "withheld".to_owned())]
    );

    // Revoked: the community is gone for her; a second revoke finds nothing.
    let revoke_path = "/api/v1/admin/partners/lena_research/communities/lung";
    let by_member = app.delete(revoke_path, Some(&member)).await;
    assert_error(by_member, StatusCode::FORBIDDEN, "not_admin").await;
    let revoked = app.delete(revoke_path, Some(&admin)).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let twice = app.delete(revoke_path, Some(&admin)).await;
    assert_error(twice, StatusCode::NOT_FOUND, "not_found").await;
    let gone = app.get(&path("lung"), Some(&lena)).await;
    assert_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    let mine: Value = expect_json(
        app.get("/api/v1/partner/communities", Some(&lena)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine, json!([]));
    // Still a partner: the rest of the site stays closed.
    let listed = app.get("/api/v1/communities", Some(&lena)).await;
    assert_error(listed, StatusCode::NOT_FOUND, "not_found").await;
}

both_backends!(
    partner_is_refused_on_every_other_route,
    admins_grant_and_revoke_and_partners_see_only_theirs,
);

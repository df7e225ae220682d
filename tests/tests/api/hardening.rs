//! What an outside attack run found: markdown that costs the server seconds, actions
//! without limits, moderation gaps, and missing response headers.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, assert_error_for, expect_error, expect_json, spawn_app_with, Backend, Fixture,
    Session, TestApp, World,
};
use crate::pages::{csrf_token, Browser};

/// A public community with a moderator, a member and a thread.
async fn cast(app: &TestApp) -> World {
    Fixture::new(app)
        .community("myeloma", "public", "open")
        .moderator("mod_maria")
        .members(["sam_member"])
        .thread("Induction", "How is everyone doing?")
        .build()
        .await
}

/// Deepest nesting of `tag` in `html`.
fn depth(html: &str, tag: &str) -> usize {
    let (open, close) = (format!("<{tag}"), format!("</{tag}"));
    let (mut now, mut deepest) = (0usize, 0usize);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if rest.starts_with(&close) {
            now = now.saturating_sub(1);
        } else if rest.starts_with(&open) {
            now += 1;
            deepest = deepest.max(now);
        }
        rest = &rest[1..];
    }
    deepest
}

async fn markdown_bombs_are_bounded(app: TestApp) {
    let c = cast(&app).await;
    // 20,000 `>`: accepted, but nested 16 deep at most (the rest reads as text), quickly.
    let started = Instant::now();
    let post = app
        .reply(c.member("sam_member"), c.thread_id(), &">".repeat(20_000))
        .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    let html = post["body_html"].as_str().expect("body_html");
    assert!(
        depth(html, "blockquote") <= 16,
        "{}",
        depth(html, "blockquote")
    );
    assert!(html.contains("&gt;&gt;&gt;"));
    for bomb in [
        "> - ".repeat(5_000),
        "- > ".repeat(5_000),
        "1. ".repeat(6_666),
    ] {
        let post = app
            .reply(c.member("sam_member"), c.thread_id(), &bomb)
            .await;
        let html = post["body_html"].as_str().expect("body_html");
        assert!(depth(html, "blockquote") + depth(html, "li") <= 32);
    }
    // A table whose short rows are padded to a wide header asks for millions of cells.
    let mut table = format!("{}|\n{}|\n", "|a".repeat(2_000), "|-".repeat(2_000));
    table.push_str(&"a|\n".repeat(3_900));
    let refused = app
        .post(
            &format!("/api/v1/threads/{}/posts", c.thread_id()),
            Some(c.member("sam_member")),
            json!({ "body": table }),
        )
        .await;
    assert_error(refused, StatusCode::BAD_REQUEST, "invalid_body").await;
    // Nothing of the refused body was stored.
    let thread = app
        .get_json(
            &format!("/api/v1/threads/{}", c.thread_id()),
            Some(c.member("sam_member")),
        )
        .await;
    assert_eq!(thread["posts"].as_array().expect("posts").len(), 5);
}

async fn preview_needs_a_member_and_is_limited(app: TestApp) {
    let c = cast(&app).await;
    let page = format!("/t/{}", c.thread_id());
    // A visitor with a CSRF cookie from any page cannot make the server render.
    let visitor = Browser::new(&app);
    let token = csrf_token(&visitor.page("/login", StatusCode::OK).await);
    let refused = visitor
        .post(
            "/preview",
            &[("csrf_token", token.as_str()), ("body", "hi")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    let browser = Browser::new(&app);
    browser.sign_in("sam_member").await;
    let token = csrf_token(&browser.page(&page, StatusCode::OK).await);
    for _ in 0..2 {
        let ok = browser
            .post(
                "/preview",
                &[("csrf_token", token.as_str()), ("body", "*hi*")],
            )
            .await;
        assert_eq!(ok.status(), StatusCode::OK);
    }
    let limited = browser
        .post(
            "/preview",
            &[("csrf_token", token.as_str()), ("body", "*hi*")],
        )
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
}

async fn registrations_and_reports_are_limited(app: TestApp) {
    let c = cast(&app).await;
    // `cast` registered two accounts from this address; the limit is three.
    app.register("third_member").await;
    let limited = app
        .register_raw(json!({ "username": "fourth_member", "password": crate::helpers::PASSWORD }))
        .await;
    let retry_after = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("Retry-After");
    assert!((1..=3600).contains(&retry_after));
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // The refused account does not exist.
    let login = app.login("fourth_member", crate::helpers::PASSWORD).await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);

    // One report an hour in this configuration.
    let first = app.reply(c.moderator(), c.thread_id(), "First reply").await;
    let second = app
        .reply(c.moderator(), c.thread_id(), "Second reply")
        .await;
    let report = |post: &Value| {
        let path = format!("/api/v1/posts/{}/reports", post["id"].as_str().expect("id"));
        let member = c.member("sam_member").clone();
        let app = &app;
        async move {
            app.post(
                &path,
                Some(&member),
                json!({ "reason": "looks like an advert" }),
            )
            .await
        }
    };
    expect_json(report(&first).await, StatusCode::CREATED).await;
    expect_error(report(&second).await, StatusCode::TOO_MANY_REQUESTS).await;
}

async fn new_members_post_within_their_hourly_limit(app: TestApp) {
    let c = cast(&app).await;
    let path = format!("/api/v1/threads/{}/posts", c.thread_id());
    for n in 0..2 {
        app.reply(
            c.member("sam_member"),
            c.thread_id(),
            &format!("Reply number {n}"),
        )
        .await;
    }
    let limited = app
        .post(
            &path,
            Some(c.member("sam_member")),
            json!({"body": "One more"}),
        )
        .await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let thread = app
        .get_json(
            &format!("/api/v1/threads/{}", c.thread_id()),
            Some(c.member("sam_member")),
        )
        .await;
    assert!(!thread.to_string().contains("One more"));
    // A new thread counts against the same limit; moderators have none.
    let refused = app
        .post(
            "/api/v1/communities/myeloma/threads",
            Some(c.member("sam_member")),
            json!({"title": "A question", "body": "Anyone else?"}),
        )
        .await;
    expect_error(refused, StatusCode::TOO_MANY_REQUESTS).await;
    for n in 0..4 {
        app.reply(c.moderator(), c.thread_id(), &format!("Moderator note {n}"))
            .await;
    }
}

async fn spawn_with_tight_limits(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        |_| {},
        |settings| {
            settings.limits.registrations_per_hour_per_ip = 3;
            settings.limits.reports_per_hour = 1;
            settings.limits.previews_per_minute = 2;
            settings.limits.posts_per_hour_new_member = 2;
        },
    )
    .await
}

mod limited {
    use super::*;

    both_backends!(with crate::hardening::spawn_with_tight_limits;
        preview_needs_a_member_and_is_limited,
        registrations_and_reports_are_limited,
        new_members_post_within_their_hourly_limit,
    );
}

/// Decides the queue item of `post_id` (reported by the moderator's account being
/// unable to report: the item is opened by screening) as `decision`.
async fn decide(app: &TestApp, moderator: &Session, decision: Value) -> Value {
    let queue = app
        .get_json("/api/v1/mod/queue?community=myeloma", Some(moderator))
        .await;
    let item = queue["items"][0]["id"].as_str().expect("a queue item");
    expect_json(
        app.post(
            &format!("/api/v1/mod/queue/{item}/decision"),
            Some(moderator),
            decision,
        )
        .await,
        StatusCode::OK,
    )
    .await
}

const ADVERT: &str = "Buy our miracle turmeric capsules, 50% off today only at \
                      https://cure-shop.example — message me on WhatsApp +1 202 555 0143";

async fn removed_posts_and_suspended_members_cannot_edit(app: TestApp) {
    let c = cast(&app).await;
    let held = app
        .reply(c.member("sam_member"), c.thread_id(), ADVERT)
        .await;
    assert_eq!(held["status"], "held");
    let post_path = format!("/api/v1/posts/{}", held["id"].as_str().expect("id"));
    decide(
        &app,
        c.moderator(),
        json!({"action": "remove", "reason": "No selling here"}),
    )
    .await;
    // Editing would put the removed post back in the queue.
    let edit = app
        .patch(
            &post_path,
            Some(c.member("sam_member")),
            json!({"body": "Just sharing, nothing to sell"}),
        )
        .await;
    assert_error(edit, StatusCode::FORBIDDEN, "post_removed").await;
    let queue = app
        .get_json("/api/v1/mod/queue?community=myeloma", Some(c.moderator()))
        .await;
    assert!(queue["items"].as_array().expect("items").is_empty());

    // A suspended member cannot edit their published posts either.
    let published = app
        .reply(
            c.member("sam_member"),
            c.thread_id(),
            "Day 3 of induction, tired but fine",
        )
        .await;
    let again = app
        .reply(c.member("sam_member"), c.thread_id(), ADVERT)
        .await;
    assert_eq!(again["status"], "held");
    decide(
        &app,
        c.moderator(),
        json!({"action": "remove", "reason": "Second advert",
               "sanction": {"kind": "suspend", "days": 3}}),
    )
    .await;
    let edit = app
        .patch(
            &format!("/api/v1/posts/{}", published["id"].as_str().expect("id")),
            Some(c.member("sam_member")),
            json!({"body": "Edited while suspended"}),
        )
        .await;
    assert_error(edit, StatusCode::FORBIDDEN, "suspended").await;
    let after = app
        .get_json(
            &format!("/api/v1/threads/{}", c.thread_id()),
            Some(c.member("sam_member")),
        )
        .await;
    assert!(!after.to_string().contains("Edited while suspended"));
}

async fn a_warning_reaches_the_member_and_their_export(app: TestApp) {
    let c = cast(&app).await;
    let held = app
        .reply(c.member("sam_member"), c.thread_id(), ADVERT)
        .await;
    assert_eq!(held["status"], "held");
    decide(
        &app,
        c.moderator(),
        json!({"action": "approve", "reason": "Please do not share shop links",
               "sanction": {"kind": "warn"}}),
    )
    .await;
    let inbox = app
        .get_json("/api/v1/notifications", Some(c.member("sam_member")))
        .await;
    let details: Vec<&str> = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["detail"].as_str())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("warned you") && d.contains("Please do not share shop links")),
        "{inbox}"
    );
    let export = app
        .get_json("/api/v1/me/export", Some(c.member("sam_member")))
        .await;
    assert!(
        export["notifications"]
            .to_string()
            .contains("Please do not share shop links"),
        "{export}"
    );
    // A second decision on the same post replaces the notice instead of failing.
    let reporter = app.register("reader_one").await;
    app.join(&reporter, "myeloma").await;
    let post_id = held["id"].as_str().expect("id");
    for name in ["reader_two", "reader_three"] {
        let reader = app.register(name).await;
        app.join(&reader, "myeloma").await;
        expect_json(
            app.post(
                &format!("/api/v1/posts/{post_id}/reports"),
                Some(&reader),
                json!({"reason": "advert"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    expect_json(
        app.post(
            &format!("/api/v1/posts/{post_id}/reports"),
            Some(&reporter),
            json!({"reason": "advert"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    decide(
        &app,
        c.moderator(),
        json!({"action": "remove", "reason": "Shop links again", "sanction": {"kind": "warn"}}),
    )
    .await;
    let inbox = app
        .get_json("/api/v1/notifications", Some(c.member("sam_member")))
        .await;
    assert!(inbox.to_string().contains("Shop links again"), "{inbox}");
}

async fn headers_methods_and_bearer(app: TestApp) {
    let response = app.get("/api/v1/communities", None).await;
    let headers = response.headers();
    assert!(headers
        .get("permissions-policy")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("camera=()") && v.contains("geolocation=()")));
    assert_eq!(
        headers
            .get("cross-origin-opener-policy")
            .and_then(|v| v.to_str().ok()),
        Some("same-origin")
    );
    // Over plain HTTP there is no HSTS (it would lock browsers out of this deployment).
    assert!(headers.get("strict-transport-security").is_none());

    for method in ["TRACE", "OPTIONS", "PROPFIND"] {
        let response = app
            .request(
                Method::from_bytes(method.as_bytes()).expect("method"),
                "/api/v1/communities",
                None,
            )
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert!(response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("GET")));
        assert!(response.headers().contains_key("permissions-policy"));
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "method_not_allowed");
    }

    // HEAD answers like GET, without the body.
    let get = app.get("/api/v1/communities", None).await;
    let get_length = get.text().await.expect("body").len();
    let head = app
        .request(Method::HEAD, "/api/v1/communities", None)
        .send()
        .await
        .expect("HEAD");
    assert_eq!(head.status(), StatusCode::OK);
    let advertised = head
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    assert_eq!(advertised, Some(get_length));
    assert!(head.bytes().await.expect("body").is_empty());
    let page = app
        .request(Method::HEAD, "/login", None)
        .send()
        .await
        .expect("HEAD");
    assert_eq!(page.status(), StatusCode::OK);

    // The Bearer scheme is case-insensitive.
    let member = app.register("case_member").await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let response = app
            .request(Method::GET, "/api/v1/me", None)
            .header("authorization", format!("{scheme} {}", member.access_token))
            .send()
            .await
            .expect("GET /me");
        assert_eq!(response.status(), StatusCode::OK, "{scheme}");
    }
}

async fn https_deployments_send_hsts(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        |input| input.public_url = Some("https://kindred.example.org".into()),
        |_| {},
    )
    .await
}

async fn hsts_behind_https(app: TestApp) {
    let response = app.get("/livez", None).await;
    assert_eq!(
        response
            .headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=63072000; includeSubDomains")
    );
}

mod https {
    use super::*;

    both_backends!(with crate::hardening::https_deployments_send_hsts; hsts_behind_https);
}

async fn impersonation_is_refused_and_staff_are_marked(app: TestApp) {
    let c = cast(&app).await;
    // Look-alikes of a taken name, and reserved names, cannot be registered.
    for (name, status, code) in [
        ("rnod_maria", StatusCode::CONFLICT, "conflict"),
        ("mod_rnaria", StatusCode::CONFLICT, "conflict"),
        ("mod__maria", StatusCode::CONFLICT, "conflict"),
        ("adm1n", StatusCode::BAD_REQUEST, "invalid_username"),
        ("administrator", StatusCode::BAD_REQUEST, "invalid_username"),
        ("kindred_team", StatusCode::BAD_REQUEST, "invalid_username"),
        ("root", StatusCode::BAD_REQUEST, "invalid_username"),
    ] {
        let response = app
            .register_raw(json!({ "username": name, "password": crate::helpers::PASSWORD }))
            .await;
        assert_error_for(response, status, code, &name).await;
    }

    // The moderator calls herself Maria; members cannot, nor claim a role.
    let own = app
        .patch(
            "/api/v1/me/profile",
            Some(c.moderator()),
            json!({"display_name": "Maria"}),
        )
        .await;
    expect_json(own, StatusCode::OK).await;
    for name in [
        "Maria",
        "M\u{0430}ria",
        "maria",
        "Maria (moderator)",
        "Site Admin",
        "Kindred team",
    ] {
        let response = app
            .patch(
                "/api/v1/me/profile",
                Some(c.member("sam_member")),
                json!({ "display_name": name }),
            )
            .await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_display_name",
            &name,
        )
        .await;
    }
    // A right-to-left override is dropped, not shown.
    let response = app
        .register_raw(json!({
            "username": "sam_airam", "password": crate::helpers::PASSWORD,
            "display_name": "\u{202E}sam_airam"
        }))
        .await;
    let account = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(account["user"]["display_name"], "sam_airam", "{account}");

    // Staff carry a badge wherever their names appear; members do not.
    app.reply(
        c.member("sam_member"),
        c.thread_id(),
        "Thank you for the welcome",
    )
    .await;
    let thread = app
        .get_json(&format!("/api/v1/threads/{}", c.thread_id()), None)
        .await;
    let posts = thread["posts"].as_array().expect("posts");
    assert_eq!(posts[0]["author"]["staff"], "moderator");
    assert!(posts[1]["author"]["staff"].is_null());
    let profile = app.get_json("/api/v1/users/mod_maria", None).await;
    assert_eq!(profile["staff"], "moderator");
    let page = Browser::new(&app)
        .page(&format!("/t/{}", c.thread_id()), StatusCode::OK)
        .await;
    // Beside "Started by" and her post; not beside the member's reply.
    assert_eq!(page.matches("badge staff").count(), 2, "{page}");
}

both_backends!(
    impersonation_is_refused_and_staff_are_marked,
    markdown_bombs_are_bounded,
    removed_posts_and_suspended_members_cannot_edit,
    a_warning_reaches_the_member_and_their_export,
    headers_methods_and_bearer,
);

//! What a client reads when a request fails: one representative failure per status,
//! its whole body kept in a snapshot, so a change of code or wording is seen in review.

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, Fixture, TestApp, World, PASSWORD};

/// One row of the table: what was done, the status and the body answered.
async fn row(case: &str, response: Response, status: StatusCode, code: &str) -> Value {
    let body = assert_error(response, status, code).await;
    json!({ "case": case, "status": status.as_u16(), "body": body })
}

async fn posted_with_key(app: &TestApp, path: &str, w: &World, body: Value) -> Response {
    app.request(Method::POST, path, Some(w.member("ana_patient")))
        .header("idempotency-key", "k-1")
        .json(&body)
        .send()
        .await
        .expect("POST")
}

async fn error_bodies_read_the_same_on_every_failure(app: TestApp) {
    let w = Fixture::new(&app)
        .community("lung", "public", "open")
        .moderator("mod_maria")
        .members(["ana_patient"])
        .thread("Scan days", "How do you get through them?")
        .build()
        .await;
    let mut table = Vec::new();
    table.extend(no_token_no_right_and_no_such_thing(&app, &w).await);
    table.extend(wrong_method_size_and_media_type(&app, &w).await);
    table.push(an_idempotency_key_used_again_for_another_body(&app, &w).await);
    table.push(a_sixth_wrong_password_is_limited(&app).await);
    the_table_matches_its_snapshot(&table);
}

/// 401 without a token, 403 for a member asking for insights, 404 for an unknown
/// community.
async fn no_token_no_right_and_no_such_thing(app: &TestApp, w: &World) -> Vec<Value> {
    let mut rows = Vec::new();
    let response = app.get("/api/v1/me", None).await;
    rows.push(
        row(
            "no token",
            response,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await,
    );

    let response = app
        .get(
            "/api/v1/admin/insights?community=lung&from=2026-01&to=2026-01",
            Some(w.member("ana_patient")),
        )
        .await;
    rows.push(
        row(
            "a member asks for insights",
            response,
            StatusCode::FORBIDDEN,
            "not_admin",
        )
        .await,
    );

    let response = app.get("/api/v1/communities/no-such-place", None).await;
    rows.push(
        row(
            "unknown community",
            response,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await,
    );
    rows
}

/// 405 for TRACE, 413 for a 260 KiB reply, 415 for JSON sent as text/plain.
async fn wrong_method_size_and_media_type(app: &TestApp, w: &World) -> Vec<Value> {
    let replies = format!("/api/v1/threads/{}/posts", w.thread_id());
    let mut rows = Vec::new();
    let response = app
        .request(Method::TRACE, "/api/v1/communities", None)
        .send()
        .await
        .expect("TRACE");
    rows.push(
        row(
            "TRACE on a collection",
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await,
    );

    let big = "x".repeat(260 * 1024);
    let response = app
        .post(
            &replies,
            Some(w.member("ana_patient")),
            json!({ "body": big }),
        )
        .await;
    rows.push(
        row(
            "a 260 KiB reply",
            response,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        )
        .await,
    );

    let response = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header(CONTENT_TYPE, "text/plain")
        .body(json!({ "username": "ana_patient", "password": PASSWORD }).to_string())
        .send()
        .await
        .expect("POST");
    rows.push(
        row(
            "JSON sent as text/plain",
            response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await,
    );
    rows
}

/// 422 for an idempotency key used again for another body.
async fn an_idempotency_key_used_again_for_another_body(app: &TestApp, w: &World) -> Value {
    let replies = format!("/api/v1/threads/{}/posts", w.thread_id());
    let first = posted_with_key(app, &replies, w, json!({ "body": "first words" })).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let response = posted_with_key(app, &replies, w, json!({ "body": "other words" })).await;
    row(
        "an idempotency key used again for another body",
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await
}

/// Five wrong passwords are answered as such; the sixth attempt is limited (429).
async fn a_sixth_wrong_password_is_limited(app: &TestApp) -> Value {
    for _ in 0..5 {
        let response = app.login("ghost_user", "guess number one two").await;
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    let response = app.login("ghost_user", "guess number one two").await;
    row(
        "a sixth wrong password",
        response,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await
}

/// The whole table, in order, against the reviewed snapshot.
fn the_table_matches_its_snapshot(table: &[Value]) {
    insta::assert_json_snapshot!("error_bodies", table, {
        // The wait counts down from the first attempt, so its seconds vary.
        "[7].body.error.message" => insta::dynamic_redaction(|value, _| {
            let text = value.as_str().unwrap_or_default().to_owned();
            let seconds: String = text.chars().filter(char::is_ascii_digit).collect();
            if seconds.is_empty() {
                text
            } else {
                text.replace(&seconds, "[seconds]")
            }
        })
    });
}

both_backends!(error_bodies_read_the_same_on_every_failure);

//! Errors the server words itself come from the catalogue in English and in Spanish,
//! details included (issue 21); error pages are rendered in the reader's language.

use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};

async fn api_errors_keep_their_details_in_both_languages(app: TestApp) {
    let as_text = |lang: &'static str| {
        app.request(Method::POST, "/api/v1/auth/login", None)
            .header(CONTENT_TYPE, "text/plain")
            .header(ACCEPT_LANGUAGE, lang)
            .body(json!({ "username": "someone", "password": "x" }).to_string())
            .send()
    };
    let english = as_text("en").await.expect("POST");
    let body = assert_error(
        english,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    assert_eq!(
        body["error"]["message"],
        "send the body as application/json"
    );
    let spanish = as_text("es").await.expect("POST");
    let body = assert_error(
        spanish,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    assert_eq!(
        body["error"]["message"],
        "envía el cuerpo como application/json"
    );

    // A detail the error carries (the byte limit) is kept in Spanish too.
    let big = "x".repeat(260 * 1024);
    let too_big = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header(ACCEPT_LANGUAGE, "es")
        .json(&json!({ "username": big, "password": "x" }))
        .send()
        .await
        .expect("POST");
    let body = assert_error(too_big, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(
        body["error"]["message"],
        "el cuerpo de la solicitud ocupa más de 262144 bytes"
    );

    // A token that cannot be used: the reason in the reader's language.
    let bad_token = |lang: &'static str| {
        app.request(Method::GET, "/api/v1/me/language", None)
            .header("authorization", "Bearer not-a-token")
            .header(ACCEPT_LANGUAGE, lang)
            .send()
    };
    let body = assert_error(
        bad_token("en").await.expect("GET"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_eq!(
        body["error"]["message"],
        "access token is invalid or expired"
    );
    let body = assert_error(
        bad_token("es").await.expect("GET"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_eq!(
        body["error"]["message"],
        "el token de acceso no es válido o ha caducado"
    );
}

async fn error_pages_speak_the_readers_language(app: TestApp) {
    let page = |path: &'static str, lang: &'static str| {
        app.client
            .get(app.url(path))
            .header(ACCEPT_LANGUAGE, lang)
            .send()
    };
    for path in ["/c/no-such-place", "/static/no-such-file.css"] {
        let spanish = page(path, "es-MX,es;q=0.9").await.expect("GET");
        assert_eq!(spanish.status(), StatusCode::NOT_FOUND, "{path}");
        let html = spanish.text().await.expect("body");
        assert!(html.contains(r#"<html lang="es""#), "{path}: {html}");
        assert!(html.contains("Página no encontrada"), "{path}: {html}");
        assert!(!html.contains("Page not found"), "{path}: {html}");

        let english = page(path, "en").await.expect("GET");
        let html = english.text().await.expect("body");
        assert!(html.contains(r#"<html lang="en""#), "{path}: {html}");
        assert!(html.contains("Page not found"), "{path}: {html}");
    }
    // A refused request shows its reason in Spanish too (an unreadable form).
    let refused = app
        .client
        .post(app.url("/language"))
        .header(ACCEPT_LANGUAGE, "es")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("%%%")
        .send()
        .await
        .expect("POST");
    assert!(refused.status().is_client_error());
    let html = refused.text().await.expect("body");
    assert!(html.contains(r#"<html lang="es""#), "{html}");

    // An unknown path outside the API answers JSON, in Spanish too.
    let unknown = page("/no-such-page", "es").await.expect("GET");
    let body = assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body["error"]["message"], "no encontrado");
}

both_backends!(
    api_errors_keep_their_details_in_both_languages,
    error_pages_speak_the_readers_language,
);

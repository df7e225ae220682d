//! `Idempotency-Key` on starting a conversation and on sending a message: a retry gets
//! the first answer byte for byte and creates nothing; the same key with another request
//! is refused; a malformed key is a 400.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Session, TestApp};
use crate::messages::ward;

async fn keyed(
    app: &TestApp,
    who: &Session,
    path: &str,
    key: &str,
    body: &Value,
) -> reqwest::Response {
    app.request(reqwest::Method::POST, path, Some(who))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("POST")
}

async fn conversations(app: &TestApp, who: &Session) -> usize {
    app.get_json("/api/v1/conversations", Some(who)).await["items"]
        .as_array()
        .expect("items")
        .len()
}

async fn a_retried_conversation_or_message_is_created_once(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    let request = json!({"to": ["ben_carer"], "body": "Thinking of you before the scan"});
    let first = keyed(&app, ana, "/api/v1/conversations", "start-1", &request).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.text().await.expect("body");
    let again = keyed(&app, ana, "/api/v1/conversations", "start-1", &request).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.text().await.expect("body"), first);
    assert_eq!(conversations(&app, ben).await, 1);
    // The same key for another request: refused, nothing created.
    let other = json!({"to": ["cat_survivor"], "body": "Hello"});
    let reused = keyed(&app, ana, "/api/v1/conversations", "start-1", &other).await;
    assert_error(
        reused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(conversations(&app, ana).await, 1);

    let created: Value = serde_json::from_str(&first).expect("json");
    let id = created["conversation"]["id"].as_str().expect("id");
    let path = format!("/api/v1/conversations/{id}/messages");
    let answer = json!({"body": "Thank you, it helps"});
    let sent = keyed(&app, ben, &path, "send-1", &answer).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let sent = sent.text().await.expect("body");
    let resent = keyed(&app, ben, &path, "send-1", &answer).await;
    assert_eq!(resent.text().await.expect("body"), sent);
    // Another member's identical key is unrelated.
    let from_ana = keyed(&app, ana, &path, "send-1", &answer).await;
    let from_ana = expect_json(from_ana, StatusCode::CREATED).await;
    assert_ne!(from_ana["message"]["id"].to_string(), {
        let sent: Value = serde_json::from_str(&sent).expect("json");
        sent["message"]["id"].to_string()
    });
    let page = app.get_json(&path, Some(ana)).await;
    assert_eq!(page["items"].as_array().expect("items").len(), 3, "{page}");

    for bad in ["", "with space"] {
        let refused = keyed(&app, ana, &path, bad, &answer).await;
        assert_error(refused, StatusCode::BAD_REQUEST, "invalid_idempotency_key").await;
    }
}

both_backends! {
    a_retried_conversation_or_message_is_created_once,
}

//! The thread page cache (issue 22): a signed-out visitor's JSON page of a public
//! community's thread comes from memory (`X-Page-Cache: hit`) until something on it changes
//! — a reply, an edit, a reaction, a context note, the community's default content notes,
//! a removal — and then shows the change at once; a member's own page is never cached nor
//! served to anyone else, and a private community's pages are never cached.

use reqwest::header::{ETAG, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{expect_error, expect_json, Fixture, Session, TestApp};

/// GETs `path` as `session`: the status, the `X-Page-Cache` header and the body.
async fn read(
    app: &TestApp,
    path: &str,
    session: Option<&Session>,
) -> (StatusCode, String, String) {
    let response = app
        .request(Method::GET, path, session)
        .send()
        .await
        .expect("GET");
    let status = response.status();
    let cache = response
        .headers()
        .get("x-page-cache")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    (status, cache, response.text().await.expect("body"))
}

/// The visitor's page once it comes from the cache (the event tail may still be reading
/// the log of the fixture's writes), checked against the page read afresh just before.
async fn cached(app: &TestApp, path: &str) -> Value {
    for _ in 0..100 {
        let (status, cache, body) = read(app, path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if cache == "hit" {
            return serde_json::from_str(&body).expect("JSON");
        }
        assert_eq!(cache, "miss", "a visitor's public page is cacheable");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the page never came from the cache");
}

/// A visitor's page right after a change (read afresh: the tail has not caught up or
/// dropped it), and again once cached: both must show `expected`.
async fn shows_at_once_and_when_cached(
    app: &TestApp,
    path: &str,
    expected: impl Fn(&Value) -> bool,
) {
    let (status, _, body) = read(app, path, None).await;
    assert_eq!(status, StatusCode::OK);
    let fresh: Value = serde_json::from_str(&body).expect("JSON");
    assert!(expected(&fresh), "at once: {fresh}");
    let again = cached(app, path).await;
    assert!(expected(&again), "cached: {again}");
}

fn text_of(page: &Value) -> String {
    page.to_string()
}

async fn a_visitors_page_is_cached_until_the_thread_changes(app: TestApp) {
    let w = Fixture::public_scan_days(&app, ["ben_carer", "ana_patient"])
        .build()
        .await;
    let path = format!("/api/v1/threads/{}?limit=50", w.thread_id());
    let page = cached(&app, &path).await;
    assert!(text_of(&page).contains("How do you get through them?"));

    // 304 from the cached tag, without a body.
    let response = app
        .request(Method::GET, &path, None)
        .send()
        .await
        .expect("GET");
    let tag = response
        .headers()
        .get(ETAG)
        .expect("ETag")
        .to_str()
        .expect("ascii")
        .to_owned();
    let response = app
        .request(Method::GET, &path, None)
        .header(IF_NONE_MATCH, &tag)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        response
            .headers()
            .get("x-page-cache")
            .map(|v| v.to_str().ok()),
        Some(Some("hit"))
    );

    let reply = app
        .reply(
            w.moderator(),
            w.thread_id(),
            "Music in the waiting room helps me.",
        )
        .await;
    shows_at_once_and_when_cached(&app, &path, |p| {
        text_of(p).contains("Music in the waiting room")
    })
    .await;
    let response = app
        .request(Method::GET, &path, None)
        .header(IF_NONE_MATCH, &tag)
        .send()
        .await
        .expect("GET");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the old tag no longer matches"
    );

    let edited = app
        .patch(
            &format!("/api/v1/posts/{}", w.first_post_id()),
            Some(w.member("ben_carer")),
            json!({"body": "How do you get through the days before a scan?"}),
        )
        .await;
    expect_json(edited, StatusCode::OK).await;
    shows_at_once_and_when_cached(&app, &path, |p| {
        text_of(p).contains("the days before a scan")
    })
    .await;

    let reacted = app
        .request(
            Method::PUT,
            &format!("/api/v1/posts/{}/reactions/with_you", w.first_post_id()),
            Some(w.member("ana_patient")),
        )
        .send()
        .await
        .expect("react");
    expect_json(reacted, StatusCode::OK).await;
    shows_at_once_and_when_cached(&app, &path, |p| {
        p["posts"][0]["reactions"]["with_you"]["count"] == 1
    })
    .await;

    let note = app
        .post(
            &format!("/api/v1/posts/{}/context-notes", w.first_post_id()),
            Some(w.moderator()),
            json!({"body": "Scan anxiety has a name: scanxiety."}),
        )
        .await;
    let note = expect_json(note, StatusCode::CREATED).await;
    shows_at_once_and_when_cached(&app, &path, |p| text_of(p).contains("scanxiety")).await;
    let note_path = format!(
        "/api/v1/context-notes/{}",
        note["id"].as_str().expect("note id")
    );
    let removed = app.delete(&note_path, Some(w.moderator())).await;
    assert!(removed.status().is_success(), "{}", removed.status());
    shows_at_once_and_when_cached(&app, &path, |p| !text_of(p).contains("scanxiety")).await;

    let defaults = app
        .request(
            Method::PUT,
            "/api/v1/communities/lung/content-notes",
            Some(w.moderator()),
        )
        .json(&json!({"collapse": ["death_and_loss"]}))
        .send()
        .await
        .expect("defaults");
    expect_json(defaults, StatusCode::OK).await;
    shows_at_once_and_when_cached(&app, &path, |p| {
        p["collapse_content_notes"] == json!(["death_and_loss"])
    })
    .await;

    let reply_id = reply["id"].as_str().expect("reply id");
    let deleted = app
        .delete(&format!("/api/v1/posts/{reply_id}"), Some(w.moderator()))
        .await;
    expect_json(deleted, StatusCode::OK).await;
    shows_at_once_and_when_cached(&app, &path, |p| {
        !text_of(p).contains("Music in the waiting room")
    })
    .await;
}

async fn a_members_page_is_never_served_to_a_visitor(app: TestApp) {
    let w = Fixture::public_scan_days(&app, ["ben_carer"]).build().await;
    let (ben, maria) = (w.member("ben_carer"), w.moderator());
    let reacted = app
        .request(
            Method::PUT,
            &format!("/api/v1/posts/{}/reactions/with_you", w.first_post_id()),
            Some(maria),
        )
        .send()
        .await
        .expect("react");
    expect_json(reacted, StatusCode::OK).await;
    let path = format!("/api/v1/threads/{}", w.thread_id());
    for _ in 0..3 {
        let (status, cache, body) = read(&app, &path, Some(ben)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(cache, "", "a member's page is never cached");
        let own: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(own["posts"][0]["body"], "How do you get through them?");
        let (_, cache, body) = read(&app, &path, Some(maria)).await;
        assert_eq!(cache, "");
        let hers: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(hers["posts"][0]["reactions"]["with_you"]["mine"], true);
    }
    let page = cached(&app, &path).await;
    assert_eq!(
        page["posts"][0]["body"],
        Value::Null,
        "his source is his alone"
    );
    assert_ne!(page["posts"][0]["reactions"]["with_you"]["mine"], true);
    assert_eq!(page["posts"][0]["reactions"]["with_you"]["count"], 1);
    // And the visitor's cached page is served back to neither of them.
    let (_, cache, body) = read(&app, &path, Some(ben)).await;
    assert_eq!(cache, "");
    let own: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(own["posts"][0]["body"], "How do you get through them?");
    let (_, cache, body) = read(&app, &path, Some(maria)).await;
    assert_eq!(cache, "");
    let hers: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(hers["posts"][0]["reactions"]["with_you"]["mine"], true);
}

async fn a_private_communitys_page_is_never_cached(app: TestApp) {
    let w = Fixture::private_seizure_plans(&app).build().await;
    let path = format!("/api/v1/threads/{}", w.thread_id());
    for _ in 0..3 {
        let (status, cache, body) = read(&app, &path, Some(w.moderator())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(cache, "");
        assert!(body.contains("Seizure"), "{body}");
        let response = app
            .request(Method::GET, &path, None)
            .send()
            .await
            .expect("GET");
        assert!(response.headers().get("x-page-cache").is_none());
        let body = expect_error(response, StatusCode::NOT_FOUND).await;
        assert!(!body.contains("Seizure"), "{body}");
    }
}

both_backends!(
    a_visitors_page_is_cached_until_the_thread_changes,
    a_members_page_is_never_served_to_a_visitor,
    a_private_communitys_page_is_never_cached
);

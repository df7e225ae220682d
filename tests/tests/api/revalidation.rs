//! Thread pages revalidate: `GET /api/v1/threads/{id}` carries an `ETag`, answers
//! `If-None-Match` with 304 and no body while the page is unchanged, a new tag as soon as a
//! reply, an edit or a deletion changes it, and never a 304 to someone who may not see it.

use reqwest::header::{ETAG, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{expect_error, expect_json, Fixture, Session, TestApp};

/// GETs `path` with `If-None-Match: tag` (if any): the status, the `ETag` and the body.
async fn revalidate(
    app: &TestApp,
    path: &str,
    session: Option<&Session>,
    tag: Option<&str>,
) -> (StatusCode, String, String) {
    let mut request = app.request(Method::GET, path, session);
    if let Some(tag) = tag {
        request = request.header(IF_NONE_MATCH, tag);
    }
    let response = request.send().await.expect("GET");
    let status = response.status();
    let etag = response
        .headers()
        .get(ETAG)
        .map(|v| v.to_str().expect("ascii ETag").to_owned())
        .unwrap_or_default();
    (status, etag, response.text().await.expect("body"))
}

async fn a_thread_page_is_not_modified_until_it_changes(app: TestApp) {
    let w = Fixture::public_scan_days(&app, ["ben_carer"]).build().await;
    let path = format!("/api/v1/threads/{}?limit=50", w.thread_id());

    let (status, first, body) = revalidate(&app, &path, None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.starts_with("W/\""), "a weak tag: {first}");
    assert!(body.contains("How do you get through them?"), "{body}");

    let (status, tag, body) = revalidate(&app, &path, None, Some(&first)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(tag, first);
    assert!(body.is_empty(), "304 has no body: {body}");
    // Any of a list, or a strong spelling of the same tag, matches (weak comparison).
    let listed = format!("W/\"0000\", {first}");
    let (status, _, _) = revalidate(&app, &path, None, Some(&listed)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let (status, _, _) = revalidate(&app, &path, None, Some("W/\"0000\"")).await;
    assert_eq!(status, StatusCode::OK);

    let reply = app
        .reply(
            w.moderator(),
            w.thread_id(),
            "Music in the waiting room helps me.",
        )
        .await;
    let (status, replied, body) = revalidate(&app, &path, None, Some(&first)).await;
    assert_eq!(status, StatusCode::OK, "a reply changes the page");
    assert_ne!(replied, first);
    assert!(body.contains("Music in the waiting room"), "{body}");
    let (status, _, _) = revalidate(&app, &path, None, Some(&replied)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    let edited = app
        .patch(
            &format!("/api/v1/posts/{}", w.first_post_id()),
            Some(w.member("ben_carer")),
            json!({"body": "How do you get through the days before a scan?"}),
        )
        .await;
    expect_json(edited, StatusCode::OK).await;
    let (status, after_edit, body) = revalidate(&app, &path, None, Some(&replied)).await;
    assert_eq!(status, StatusCode::OK, "an edit changes the page");
    assert_ne!(after_edit, replied);
    assert!(body.contains("the days before a scan"), "{body}");

    let reply_id = reply["id"].as_str().expect("reply id");
    let deleted = app
        .delete(&format!("/api/v1/posts/{reply_id}"), Some(w.moderator()))
        .await;
    expect_json(deleted, StatusCode::OK).await;
    let (status, after_delete, body) = revalidate(&app, &path, None, Some(&after_edit)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a deletion changes the page at once"
    );
    assert_ne!(after_delete, after_edit);
    assert!(!body.contains("Music in the waiting room"), "{body}");

    // A signed-in reader's page is their own (their reactions, what they may edit): its
    // tag is taken over the page they get, and revalidates for them.
    let ben = w.member("ben_carer");
    let (status, own, _) = revalidate(&app, &path, Some(ben), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(own, after_delete, "Ben's page names what he may edit");
    let (status, _, _) = revalidate(&app, &path, Some(ben), Some(&own)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

async fn a_private_thread_is_not_found_whatever_the_tag(app: TestApp) {
    let w = Fixture::private_seizure_plans(&app).build().await;
    let outsider = app.register("outsider_olga").await;
    let path = format!("/api/v1/threads/{}", w.thread_id());
    let (status, tag, _) = revalidate(&app, &path, Some(w.moderator()), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!tag.is_empty());

    for (reader, sent) in [
        (None, tag.as_str()),
        (Some(&outsider), tag.as_str()),
        (None, "*"),
    ] {
        let response = app
            .request(Method::GET, &path, reader)
            .header(IF_NONE_MATCH, sent)
            .send()
            .await
            .expect("GET");
        assert!(response.headers().get(ETAG).is_none());
        let body = expect_error(response, StatusCode::NOT_FOUND).await;
        assert!(!body.contains("Seizure"), "{body}");
    }
    let (status, _, _) = revalidate(&app, &path, Some(w.moderator()), Some(&tag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

both_backends!(
    a_thread_page_is_not_modified_until_it_changes,
    a_private_thread_is_not_found_whatever_the_tag
);

//! The whole forum journey: register, join, start a thread, reply, edit, delete.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, Session, TestApp};

async fn member_journey(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung-cancer", "public", "open").await;
    let patient = app.register("sam_patient").await;
    let carer = app.register("jo_caregiver").await;

    a_non_member_cannot_post(&app, &patient).await;
    joining_counts_both_members(&app, &[&patient, &carer]).await;
    let (thread_id, first_post, reply_id) =
        a_thread_and_a_reply_are_rendered_in_order(&app, &patient, &carer).await;
    only_the_author_edits_and_the_edit_is_marked(&app, &patient, &carer, &first_post).await;
    deleting_leaves_a_tombstone_and_the_thread_listed(&app, &carer, &thread_id, &reply_id).await;
    leaving_drops_the_member_count(&app, &carer).await;
}

/// Not a member yet: reading works, posting does not.
async fn a_non_member_cannot_post(app: &TestApp, patient: &Session) {
    let response = app
        .post(
            "/api/v1/communities/lung-cancer/threads",
            Some(patient),
            json!({"title": "Hi", "body": "Hello"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_member").await;
}

/// Both join; the community counts two members.
async fn joining_counts_both_members(app: &TestApp, sessions: &[&Session]) {
    for session in sessions {
        let joined = app
            .post(
                "/api/v1/communities/lung-cancer/join",
                Some(session),
                json!({}),
            )
            .await;
        assert_eq!(joined.status(), StatusCode::OK);
    }
    let community: Value = app
        .get("/api/v1/communities/lung-cancer", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(community["member_count"], 2);
}

/// The patient starts a thread, the carer replies; both are rendered in order. The
/// thread's, its first post's and the reply's ids.
async fn a_thread_and_a_reply_are_rendered_in_order(
    app: &TestApp,
    patient: &Session,
    carer: &Session,
) -> (String, String, String) {
    let (thread_id, first_post) = app
        .thread(
            patient,
            "lung-cancer",
            "Scanxiety before my CT",
            "My scan is on **Friday**.",
        )
        .await;
    let reply = app
        .post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(carer),
            json!({"body": "Thinking of you."}),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    let reply: Value = reply.json().await.expect("json");
    let reply_id = reply["post"]["id"].as_str().expect("id").to_owned();
    assert_eq!(reply["post"]["status"], "published");

    let thread: Value = app
        .get(&format!("/api/v1/threads/{thread_id}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(thread["thread"]["post_count"], 2);
    assert_eq!(
        thread["posts"][0]["body_html"],
        "<p>My scan is on <strong>Friday</strong>.</p>\n"
    );
    assert_eq!(thread["posts"][1]["author"]["username"], "jo_caregiver");
    (thread_id, first_post, reply_id)
}

/// Only the author edits; the edit keeps a revision.
async fn only_the_author_edits_and_the_edit_is_marked(
    app: &TestApp,
    patient: &Session,
    carer: &Session,
    first_post: &str,
) {
    let response = app
        .patch(
            &format!("/api/v1/posts/{first_post}"),
            Some(carer),
            json!({"body": "hijacked"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_author").await;
    let edited = app
        .patch(
            &format!("/api/v1/posts/{first_post}"),
            Some(patient),
            json!({"body": "My scan moved to Monday."}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.expect("json");
    assert!(edited["post"]["edited_at"].is_string());
    assert!(edited["post"]["body_html"]
        .as_str()
        .expect("html")
        .contains("Monday"));
}

/// Delete leaves a tombstone; the thread is still listed.
async fn deleting_leaves_a_tombstone_and_the_thread_listed(
    app: &TestApp,
    carer: &Session,
    thread_id: &str,
    reply_id: &str,
) {
    let deleted = app
        .delete(&format!("/api/v1/posts/{reply_id}"), Some(carer))
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let thread: Value = app
        .get(&format!("/api/v1/threads/{thread_id}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(thread["posts"][1]["deleted"], true);
    assert_eq!(thread["posts"][1]["body_html"], "");

    let listing: Value = app
        .get("/api/v1/communities/lung-cancer/threads", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listing["items"][0]["title"], "Scanxiety before my CT");
}

/// Leaving drops the count.
async fn leaving_drops_the_member_count(app: &TestApp, carer: &Session) {
    let left = app
        .post(
            "/api/v1/communities/lung-cancer/leave",
            Some(carer),
            json!({}),
        )
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let community: Value = app
        .get("/api/v1/communities/lung-cancer", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(community["member_count"], 1);
}

both_backends!(member_journey);

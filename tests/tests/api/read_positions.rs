//! Read positions: "4 new since your last visit" on thread objects and lists, positions
//! that only move forward and belong to one member, private-community rules, the pages
//! (lists, "Jump to first unread", "Post 3 of 5", times in the reader's zone), the export
//! and erasure.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Fixture, Session, TestApp, World, PASSWORD};
use crate::pages::Browser;

async fn ward(app: &TestApp) -> World {
    Fixture::new(app)
        .community("myeloma", "public", "open")
        .moderator("mod_mia")
        .members(["reader_rae", "other_oli", "writer_wes"])
        .thread_by(
            "writer_wes",
            "Living with maintenance lenalidomide",
            "Two years on maintenance now. Happy to answer questions.",
        )
        .build()
        .await
}

/// `PUT /threads/{thread}/read/{post}` as `session`, expecting 200.
async fn mark(app: &TestApp, session: &Session, thread: &str, post: &str) -> Value {
    let response = app
        .request(
            Method::PUT,
            &format!("/api/v1/threads/{thread}/read/{post}"),
            Some(session),
        )
        .send()
        .await
        .expect("PUT read");
    expect_json(response, StatusCode::OK).await
}

/// The reader's `read` on the thread as the community's list shows it (`Null`: none).
async fn listed_read(app: &TestApp, session: Option<&Session>, slug: &str) -> Value {
    let page = app
        .get_json(&format!("/api/v1/communities/{slug}/threads"), session)
        .await;
    page["items"][0]["read"].clone()
}

async fn replies(app: &TestApp, session: &Session, thread: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let post = app
            .reply(
                session,
                thread,
                &format!("Update number {i} from the clinic."),
            )
            .await;
        ids.push(post["id"].as_str().expect("id").to_owned());
    }
    ids
}

async fn new_posts_are_counted_forward_only_and_per_member(app: TestApp) {
    let w = ward(&app).await;
    let (rae, oli, wes) = (
        w.member("reader_rae"),
        w.member("other_oli"),
        w.member("writer_wes"),
    );
    let (thread, first) = (w.thread_id().to_owned(), w.first_post_id().to_owned());
    // Never opened: no position, no count.
    assert_eq!(listed_read(&app, Some(rae), "myeloma").await, Value::Null);
    let later = replies(&app, wes, &thread, 3).await;

    let read = mark(&app, rae, &thread, &first).await;
    assert_eq!(
        read,
        json!({"last_read_post_id": first, "new_posts": 3, "first_unread_post_id": later[0]})
    );
    assert_eq!(listed_read(&app, Some(rae), "myeloma").await, read);
    let one = app
        .get_json(&format!("/api/v1/threads/{thread}"), Some(rae))
        .await;
    assert_eq!(one["thread"]["read"], read);

    let read = mark(&app, rae, &thread, &later[1]).await;
    assert_eq!(read["new_posts"], 1);
    assert_eq!(read["first_unread_post_id"], later[2].as_str());
    // Going back to the first post does not move the position back.
    let again = mark(&app, rae, &thread, &first).await;
    assert_eq!(again, read);

    // Oli's position is his own, and does not touch Rae's.
    assert_eq!(listed_read(&app, Some(oli), "myeloma").await, Value::Null);
    let olis = mark(&app, oli, &thread, &later[2]).await;
    assert_eq!(olis["new_posts"], 0);
    assert_eq!(olis["first_unread_post_id"], Value::Null);
    assert_eq!(listed_read(&app, Some(rae), "myeloma").await, read);

    // A member's own reply is not news to them; it is to the others.
    app.reply(rae, &thread, "Thank you, this helps.").await;
    assert_eq!(
        listed_read(&app, Some(rae), "myeloma").await["new_posts"],
        1
    );
    assert_eq!(
        listed_read(&app, Some(oli), "myeloma").await["new_posts"],
        1
    );
    // A deleted post is not news either.
    let deleted = app.reply(wes, &thread, "Sorry, wrong thread.").await;
    let response = app
        .delete(
            &format!("/api/v1/posts/{}", deleted["id"].as_str().expect("id")),
            Some(wes),
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(
        listed_read(&app, Some(oli), "myeloma").await["new_posts"],
        1
    );
    // Visitors see threads without anyone's position.
    assert_eq!(listed_read(&app, None, "myeloma").await, Value::Null);
}

async fn bad_positions_are_refused(app: TestApp) {
    let w = ward(&app).await;
    let rae = w.member("reader_rae");
    let thread = w.thread_id().to_owned();
    let other = app
        .thread(
            w.moderator(),
            "myeloma",
            "Another thread",
            "About something else.",
        )
        .await;
    let path = |t: &str, p: &str| format!("/api/v1/threads/{t}/read/{p}");
    for (t, p) in [
        (thread.as_str(), other.1.as_str()),
        (thread.as_str(), "123"),
        (thread.as_str(), "not-a-post"),
        ("0", w.first_post_id()),
    ] {
        let response = app
            .request(Method::PUT, &path(t, p), Some(rae))
            .send()
            .await;
        assert_error(response.expect("PUT"), StatusCode::NOT_FOUND, "not_found").await;
    }
    let response = app
        .request(Method::PUT, &path(&thread, w.first_post_id()), None)
        .send()
        .await
        .expect("PUT");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // A held post is the author's and the moderators' only: nobody else can read up to it.
    let held = app
        .reply(
            w.member("writer_wes"),
            &thread,
            "Message me for a great deal on vitamins, discount code CURE20 at my shop",
        )
        .await;
    if held["status"] == "held" {
        let response = app
            .request(
                Method::PUT,
                &path(&thread, held["id"].as_str().expect("id")),
                Some(rae),
            )
            .send()
            .await
            .expect("PUT");
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
}

async fn private_positions_follow_membership_and_go_with_the_member(app: TestApp) {
    let w = Fixture::new(&app)
        .community("myeloma", "private", "open")
        .moderator("mod_mia")
        .thread(
            "Living with maintenance lenalidomide",
            "Two years on it now.",
        )
        .build()
        .await;
    let outsider = app.register("outside_otto").await;
    let rae = &app.register("reader_rae").await;
    app.add_member(w.moderator(), "myeloma", "reader_rae").await;
    let (thread, first) = (w.thread_id().to_owned(), w.first_post_id().to_owned());
    let rae_read = mark(&app, rae, &thread, &first).await;
    assert_eq!(rae_read["new_posts"], 0);

    // Outsiders cannot tell the thread exists.
    let response = app
        .request(
            Method::PUT,
            &format!("/api/v1/threads/{thread}/read/{first}"),
            Some(&outsider),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // A member who leaves keeps no window into the thread through their position.
    let left = app
        .post("/api/v1/communities/myeloma/leave", Some(rae), json!({}))
        .await;
    assert!(left.status().is_success(), "{}", left.status());
    replies(&app, w.moderator(), &thread, 2).await;
    let response = app
        .get("/api/v1/communities/myeloma/threads", Some(rae))
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app
        .request(
            Method::PUT,
            &format!("/api/v1/threads/{thread}/read/{first}"),
            Some(rae),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // In the export; gone with the member.
    let export = app.get_json("/api/v1/me/export", Some(rae)).await;
    assert_eq!(export["read_positions"][0]["thread_id"], thread.as_str());
    assert_eq!(
        export["read_positions"][0]["last_read_post_id"],
        first.as_str()
    );
    let response = app
        .request(Method::DELETE, "/api/v1/me", Some(rae))
        .json(&json!({ "password": PASSWORD, "posts": "delete" }))
        .send()
        .await
        .expect("DELETE /me");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let user_id: i64 = rae.user_id.parse().expect("user id");
    let store = app.store.clone();
    let count = tokio::task::spawn_blocking(move || {
        store.read(|conn| kindred_server::store::privacy::references_to(conn, user_id))
    })
    .await
    .expect("join")
    .expect("references");
    assert_eq!(count, 0, "nothing names the erased member");
}

async fn pages_show_what_is_new_and_jump_to_it(app: TestApp) {
    let w = ward(&app).await;
    let thread = w.thread_id().to_owned();
    let browser = Browser::new(&app);
    browser.sign_in("reader_rae").await;
    let zone = app
        .patch(
            "/api/v1/me/mail-preferences",
            Some(w.member("reader_rae")),
            json!({"time_zone": "Asia/Tokyo"}),
        )
        .await;
    assert_eq!(zone.status(), StatusCode::OK);

    // Reading the thread page records the position.
    let html = browser.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(!html.contains("Jump to first unread"), "{html}");
    assert!(html.contains("Post 1 of 1"), "{html}");
    // Times are words, with the full time in the reader's zone on hover.
    assert!(html.contains(">just now</time>"), "{html}");
    assert!(
        html.contains(" JST\""),
        "the hover title names Tokyo time: {html}"
    );
    assert!(html.contains(r#"data-time-zone="Asia/Tokyo""#), "{html}");

    let later = replies(&app, w.member("writer_wes"), &thread, 4).await;
    let html = browser.page("/c/myeloma", StatusCode::OK).await;
    assert!(
        html.contains(&format!(
            r#"<a class="unread" href="/p/{}"><strong>4 new</strong> since your last visit</a>"#,
            later[0]
        )),
        "{html}"
    );
    // Oli never opened it: no count for him.
    let oli = Browser::new(&app);
    oli.sign_in("other_oli").await;
    assert!(!oli
        .page("/c/myeloma", StatusCode::OK)
        .await
        .contains("since your last visit"));

    let html = browser.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(
        html.contains(&format!(
            r#"href="/p/{}">Jump to first unread</a>"#,
            later[0]
        )),
        "{html}"
    );
    assert!(html.contains("4 new since your last visit"), "{html}");
    assert!(html.contains("Post 5 of 5"), "{html}");
    // The jump lands on the thread page at the post.
    assert_eq!(
        browser.redirect(&format!("/p/{}", later[0])).await,
        format!("/t/{thread}#p{}", later[0])
    );
    // Having read the page, nothing is new any more.
    let html = browser.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(!html.contains("Jump to first unread"), "{html}");
    assert!(!browser
        .page("/c/myeloma", StatusCode::OK)
        .await
        .contains("since your last visit"));
    // Visitors read times in UTC.
    let visitor = Browser::new(&app);
    let html = visitor.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(html.contains(" UTC\""), "{html}");
}

both_backends!(
    new_posts_are_counted_forward_only_and_per_member,
    bad_positions_are_refused,
    private_positions_follow_membership_and_go_with_the_member,
    pages_show_what_is_new_and_jump_to_it,
);

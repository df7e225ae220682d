//! Stored notifications: replies to your thread and your post, mentions, watched
//! threads, moderation outcomes; who may receive them; reading and marking them read.

use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, assert_error_for, expect_json, Fixture, Session, TestApp, World,
};

/// A public community with a moderator, a thread by `thread_author`, and a second member.
async fn ward(app: &TestApp) -> World {
    Fixture::new(app)
        .admin("ward_admin")
        .community("lymphoma", "public", "open")
        .moderator("mod_lee")
        .members(["thread_author", "kind_replier"])
        .thread_by(
            "thread_author",
            "Scan anxiety before the PET",
            "My PET scan is on Friday and I cannot sleep. How do you cope?",
        )
        .build()
        .await
}

async fn inbox(app: &TestApp, session: &Session) -> Value {
    app.get_json("/api/v1/notifications", Some(session)).await
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["kind"].as_str().expect("kind").to_owned())
        .collect()
}

async fn reply_to(app: &TestApp, session: &Session, thread: &str, body: Value) -> Value {
    let response = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(session),
            body,
        )
        .await;
    expect_json(response, StatusCode::CREATED).await["post"].clone()
}

async fn replies_and_mentions_notify_once_each_and_can_be_marked_read(app: TestApp) {
    let w = ward(&app).await;
    let bystander = app.register("quiet_reader").await;
    app.join(&bystander, "lymphoma").await;

    a_reply_that_also_mentions_notifies_once_the_most_specific_way(&app, &w, &bystander).await;
    let (plain, mention_id) = a_plain_reply_tells_the_threads_author(&app, &w, &bystander).await;
    replying_to_a_particular_post_tells_its_author(&app, &w, &bystander, &plain).await;
    marking_read_one_by_id_then_all(&app, &w, &bystander, &mention_id).await;
}

/// The thread's author replied-to *and* mentioned: one notification, the most specific.
/// Nobody is told about their own post.
async fn a_reply_that_also_mentions_notifies_once_the_most_specific_way(
    app: &TestApp,
    w: &World,
    bystander: &Session,
) {
    let reply = reply_to(
        app,
        w.member("kind_replier"),
        w.thread_id(),
        json!({
            "body": "Breathing exercises helped me. @quiet_reader, you had tips too? \
                     And @Thread_Author, you are not alone. @nobody_here",
            "reply_to": w.first_post_id(),
        }),
    )
    .await;
    assert_eq!(reply["reply_to"], w.first_post_id());

    let theirs = inbox(app, w.member("thread_author")).await;
    assert_eq!(kinds(&theirs), ["mention"], "{theirs}");
    assert_eq!(theirs["unread_count"], 1);
    let item = &theirs["items"][0];
    assert_eq!(item["post_id"], reply["id"]);
    assert_eq!(item["thread_id"], w.thread_id());
    assert_eq!(item["thread_title"], "Scan anxiety before the PET");
    assert_eq!(item["community"], "lymphoma");
    assert_eq!(item["actor"]["username"], "kind_replier");
    assert_eq!(item["read"], false);
    assert!(
        item["excerpt"]
            .as_str()
            .expect("excerpt")
            .starts_with("Breathing exercises helped me."),
        "{item}"
    );
    assert_eq!(kinds(&inbox(app, bystander).await), ["mention"]);
    // Nobody is told about their own post.
    assert_eq!(
        kinds(&inbox(app, w.member("kind_replier")).await),
        Vec::<String>::new()
    );
}

/// A plain reply from someone else: the thread's author hears of it. The reply, and the
/// id of the author's earlier mention notification.
async fn a_plain_reply_tells_the_threads_author(
    app: &TestApp,
    w: &World,
    bystander: &Session,
) -> (Value, String) {
    let plain = app
        .reply(bystander, w.thread_id(), "Thinking of you on Friday.")
        .await;
    let theirs = inbox(app, w.member("thread_author")).await;
    assert_eq!(kinds(&theirs), ["reply_to_thread", "mention"]);
    assert_eq!(theirs["items"][0]["post_id"], plain["id"]);
    assert_eq!(theirs["unread_count"], 2);
    let mention_id = theirs["items"][1]["id"].as_str().expect("id").to_owned();
    (plain, mention_id)
}

/// Replying to a particular post tells that post's author.
async fn replying_to_a_particular_post_tells_its_author(
    app: &TestApp,
    w: &World,
    bystander: &Session,
    plain: &Value,
) {
    reply_to(
        app,
        w.member("thread_author"),
        w.thread_id(),
        json!({ "body": "Thank you, that means a lot.", "reply_to": plain["id"] }),
    )
    .await;
    assert_eq!(
        kinds(&inbox(app, bystander).await),
        ["reply_to_post", "mention"]
    );
}

/// Marking read: one by id, then all. Someone else's notification ids change nothing.
async fn marking_read_one_by_id_then_all(
    app: &TestApp,
    w: &World,
    bystander: &Session,
    first_id: &str,
) {
    let response = app
        .post(
            "/api/v1/notifications/read",
            Some(w.member("thread_author")),
            json!({ "ids": [first_id] }),
        )
        .await;
    assert_eq!(
        expect_json(response, StatusCode::OK).await["unread_count"],
        1
    );
    let count = app
        .get_json(
            "/api/v1/notifications/unread-count",
            Some(w.member("thread_author")),
        )
        .await;
    assert_eq!(count["unread_count"], 1);
    let theirs = inbox(app, w.member("thread_author")).await;
    assert_eq!(theirs["items"][1]["read"], true);
    assert_eq!(theirs["items"][0]["read"], false);
    // Someone else's notification ids change nothing.
    let bystanders = inbox(app, bystander).await;
    let foreign = bystanders["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let response = app
        .post(
            "/api/v1/notifications/read",
            Some(w.member("thread_author")),
            json!({ "ids": [foreign] }),
        )
        .await;
    assert_eq!(
        expect_json(response, StatusCode::OK).await["unread_count"],
        1
    );
    assert_eq!(inbox(app, bystander).await["unread_count"], 2);
    let response = app
        .post(
            "/api/v1/notifications/read",
            Some(w.member("thread_author")),
            json!({ "all": true }),
        )
        .await;
    assert_eq!(
        expect_json(response, StatusCode::OK).await["unread_count"],
        0
    );
}

async fn watchers_hear_of_new_posts_and_unwatching_stops_it(app: TestApp) {
    let w = ward(&app).await;
    let watcher = app.register("worried_sister").await;
    app.join(&watcher, "lymphoma").await;
    let path = format!("/api/v1/threads/{}/watch", w.thread_id());
    let state = app.get_json(&path, Some(&watcher)).await;
    assert_eq!(state["watching"], false);
    let response = app
        .request(reqwest::Method::PUT, &path, Some(&watcher))
        .send()
        .await
        .expect("PUT");
    assert_eq!(
        expect_json(response, StatusCode::OK).await["watching"],
        true
    );
    assert_eq!(app.get_json(&path, Some(&watcher)).await["watching"], true);

    app.reply(w.member("kind_replier"), w.thread_id(), "Sending strength.")
        .await;
    assert_eq!(kinds(&inbox(&app, &watcher).await), ["watched_thread"]);

    let response = app.delete(&path, Some(&watcher)).await;
    assert_eq!(
        expect_json(response, StatusCode::OK).await["watching"],
        false
    );
    app.reply(
        w.member("kind_replier"),
        w.thread_id(),
        "And more strength.",
    )
    .await;
    assert_eq!(kinds(&inbox(&app, &watcher).await), ["watched_thread"]);

    // Watching needs a thread one can read; ids are checked.
    let response = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/threads/12345/watch",
            Some(&watcher),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app.get("/api/v1/notifications", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn private_posts_notify_only_people_who_can_read_them(app: TestApp) {
    let w = ward(&app).await;
    app.community(&w.admin, "night-shift", "private", "approval")
        .await;
    app.appoint_moderator(&w.admin, "night-shift", "mod_lee")
        .await;
    app.add_member(w.moderator(), "night-shift", "kind_replier")
        .await;
    let (thread, _) = app
        .thread(
            w.moderator(),
            "night-shift",
            "Caregivers awake at 3 a.m.",
            "Who else is up?",
        )
        .await;
    // `thread_author` is not a member: mentioning them must not tell them anything.
    app.reply(
        w.member("kind_replier"),
        &thread,
        "Me. @thread_author would understand this, @mod_lee too.",
    )
    .await;
    assert_eq!(
        kinds(&inbox(&app, w.member("thread_author")).await),
        Vec::<String>::new()
    );
    let moderators = inbox(&app, w.moderator()).await;
    assert_eq!(kinds(&moderators), ["mention"]);

    // Leaving the community hides what it said there, at once.
    let response = app
        .post(
            "/api/v1/communities/night-shift/leave",
            Some(w.moderator()),
            json!({}),
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    let after = inbox(&app, w.moderator()).await;
    assert_eq!(kinds(&after), Vec::<String>::new(), "{after}");
    assert_eq!(after["unread_count"], 0);
}

async fn held_posts_notify_on_approval_and_authors_learn_the_outcome(app: TestApp) {
    let w = ward(&app).await;
    let newcomer = app.register("brand_new").await;
    app.join(&newcomer, "lymphoma").await;
    let held = app
        .reply(
            &newcomer,
            w.thread_id(),
            "Call me on 555-867-5309 and I will tell you about my clinic, @thread_author.",
        )
        .await;
    assert_eq!(held["status"], "held");
    // Held: nobody hears of it yet.
    assert_eq!(
        kinds(&inbox(&app, w.member("thread_author")).await),
        Vec::<String>::new()
    );

    decide(
        &app,
        w.moderator(),
        &held,
        "approve",
        "checked with the member",
    )
    .await;

    // Published now: the mention arrives, and the author hears the outcome.
    assert_eq!(
        kinds(&inbox(&app, w.member("thread_author")).await),
        ["mention"]
    );
    let own = inbox(&app, &newcomer).await;
    assert_eq!(kinds(&own), ["moderation_outcome"]);
    assert!(
        own["items"][0]["actor"].is_null(),
        "moderators stay unnamed"
    );
    assert!(own["items"][0]["detail"]
        .as_str()
        .expect("detail")
        .contains("published"));

    // A removal is explained, and only to the author.
    let advert = app
        .reply(
            &newcomer,
            w.thread_id(),
            "Buy my turmeric capsules, 20% off with code HEAL20 at my shop!",
        )
        .await;
    decide(&app, w.moderator(), &advert, "remove", "no selling here").await;
    let own = inbox(&app, &newcomer).await;
    assert_eq!(kinds(&own), ["moderation_outcome", "moderation_outcome"]);
    assert!(own["items"][0]["detail"]
        .as_str()
        .expect("detail")
        .contains("no selling here"));
    assert_eq!(
        kinds(&inbox(&app, w.member("thread_author")).await),
        ["mention"]
    );
}

/// A moderator of `lymphoma` decides on the queue item of `post`.
async fn decide(app: &TestApp, moderator: &Session, post: &Value, action: &str, reason: &str) {
    let queue = app
        .get_json("/api/v1/mod/queue?community=lymphoma", Some(moderator))
        .await;
    let item = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == post["id"])
        .expect("queued")
        .clone();
    let path = format!(
        "/api/v1/mod/queue/{}/decision",
        item["id"].as_str().expect("id")
    );
    let response = app
        .post(
            &path,
            Some(moderator),
            json!({ "action": action, "reason": reason }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn bad_notification_requests_get_clear_errors(app: TestApp) {
    let w = ward(&app).await;
    for body in [
        json!({}),
        json!({ "all": true, "ids": ["1"] }),
        json!({ "ids": [] }),
        json!({ "ids": ["not-a-number"] }),
        json!({ "ids": (0..501).map(|i| i.to_string()).collect::<Vec<_>>() }),
        json!({ "everything": true }),
    ] {
        let response = app
            .post(
                "/api/v1/notifications/read",
                Some(w.member("thread_author")),
                body.clone(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.expect("json");
        assert!(error["error"]["code"].is_string(), "{error}");
    }
    let response = app
        .get(
            "/api/v1/notifications?cursor=%%%",
            Some(w.member("thread_author")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // reply_to must be a post of the same thread; one that does not exist is not found.
    let (other_thread, other_post) = app
        .thread(
            w.member("kind_replier"),
            "lymphoma",
            "Another thread",
            "Hello there",
        )
        .await;
    for reply_to in [other_post.as_str(), "abc"] {
        let response = app
            .post(
                &format!("/api/v1/threads/{}/posts", w.thread_id()),
                Some(w.member("kind_replier")),
                json!({ "body": "hi", "reply_to": reply_to }),
            )
            .await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_reply_to",
            &reply_to,
        )
        .await;
    }
    let response = app
        .post(
            &format!("/api/v1/threads/{}/posts", w.thread_id()),
            Some(w.member("kind_replier")),
            json!({ "body": "hi", "reply_to": "999999" }),
        )
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let _ = other_thread;
}

/// Kinds are stored as their names. A stored name the server does not know is an error
/// when read, never shown as some other kind.
async fn an_unknown_stored_kind_is_a_read_error(app: TestApp) {
    let w = ward(&app).await;
    let author = w.member("thread_author");
    reply_to(
        &app,
        w.member("kind_replier"),
        w.thread_id(),
        json!({ "body": "Breathing slowly before the scan helped me." }),
    )
    .await;
    assert_eq!(kinds(&inbox(&app, author).await), ["reply_to_thread"]);
    app.store
        .write(|conn| Ok(conn.batch_execute("UPDATE notifications SET kind = 'nudge'")?))
        .expect("rewrite the stored kind");
    let response = app.get("/api/v1/notifications", Some(author)).await;
    assert_error(response, StatusCode::INTERNAL_SERVER_ERROR, "internal").await;
}

both_backends! {
    replies_and_mentions_notify_once_each_and_can_be_marked_read,
    watchers_hear_of_new_posts_and_unwatching_stops_it,
    private_posts_notify_only_people_who_can_read_them,
    held_posts_notify_on_approval_and_authors_learn_the_outcome,
    bad_notification_requests_get_clear_errors,
    an_unknown_stored_kind_is_a_read_error,
}
